// SPDX-License-Identifier: MIT
#include "spantree.h"

#include <algorithm>

namespace agentops::ui {

SpanTree SpanTree::fromDepths(std::span<const int> depth)
{
    const int n = static_cast<int>(depth.size());
    SpanTree tree;
    tree.parent.assign(n, -1);
    tree.row.assign(n, 0);
    tree.childBegin.assign(n + 1, 0);

    // A stack of the open ancestors; its size is the depth of the next child.
    std::vector<int> stack;
    std::vector<int> count(n, 0);
    for (int i = 0; i < n; ++i) {
        const auto d = static_cast<std::size_t>(std::max(depth[i], 0));
        if (stack.size() > d)
            stack.resize(d);
        const int p = stack.empty() ? -1 : stack.back();
        tree.parent[i] = p;
        if (p < 0) {
            tree.row[i] = static_cast<int>(tree.roots.size());
            tree.roots.push_back(i);
        } else {
            tree.row[i] = count[p]++;
        }
        stack.push_back(i);
    }
    for (int i = 0; i < n; ++i)
        tree.childBegin[i + 1] = tree.childBegin[i] + count[i];
    tree.children.resize(tree.childBegin[n]);
    for (int i = 0; i < n; ++i) {
        if (const int p = tree.parent[i]; p >= 0)
            tree.children[tree.childBegin[p] + tree.row[i]] = i;
    }
    return tree;
}

std::vector<int> criticalPath(
    const SpanTree &tree, std::span<const std::int64_t> start, std::span<const std::int64_t> end)
{
    std::vector<int> path;
    if (tree.size() == 0)
        return path;

    // Work items: (span, the time by which it had to finish). -1 is the whole trace, ending when its
    // last top-level span ends. An explicit stack: traces can be deeper than the call stack allows.
    std::int64_t traceEnd = end[tree.roots.front()];
    for (int r : tree.roots)
        traceEnd = std::max(traceEnd, end[r]);
    std::vector<std::pair<int, std::int64_t>> work { { -1, traceEnd } };
    std::vector<int> byEnd;
    while (!work.empty()) {
        const auto [span, spanEnd] = work.back();
        work.pop_back();
        if (span >= 0)
            path.push_back(span);
        const auto kids = tree.childrenOf(span);
        if (kids.empty())
            continue;
        byEnd.assign(kids.begin(), kids.end());
        std::sort(byEnd.begin(), byEnd.end(),
            [&](int a, int b) { return end[a] != end[b] ? end[a] > end[b] : start[a] < start[b]; });
        // Walk backwards from the parent's end: the child that finished last before the cursor held
        // the parent up; before it started, the one that finished last before that, and so on.
        std::int64_t cursor = span >= 0 ? std::min(spanEnd, end[span]) : spanEnd;
        for (int child : byEnd) {
            if (end[child] > cursor)
                continue;
            work.emplace_back(child, end[child]);
            cursor = start[child];
        }
    }
    std::sort(path.begin(), path.end());
    return path;
}

std::vector<Bar> layoutBars(const TimeLineData &data, std::span<const int> indices, std::span<const std::int64_t> start,
    std::span<const std::int64_t> end)
{
    std::vector<Bar> bars;
    bars.reserve(indices.size());
    for (int i : indices) {
        if (auto px = data.pixelSpan(start[i], end[i]))
            bars.push_back(Bar { *px, i, 1 });
    }
    std::sort(bars.begin(), bars.end(),
        [](const Bar &a, const Bar &b) { return a.px.x0 != b.px.x0 ? a.px.x0 < b.px.x0 : a.span < b.span; });
    // Merge every bar that starts on a pixel the current one already covers.
    std::vector<Bar> merged;
    for (const Bar &bar : bars) {
        if (!merged.empty() && bar.px.x0 < merged.back().px.x1) {
            Bar &last = merged.back();
            last.px.x1 = std::max(last.px.x1, bar.px.x1);
            last.count += bar.count;
        } else {
            merged.push_back(bar);
        }
    }
    return merged;
}

} // namespace agentops::ui
