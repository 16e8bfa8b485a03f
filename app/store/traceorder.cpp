// SPDX-License-Identifier: MIT
#include "store/traceorder.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>

namespace agentops::store {

using core::Span;

void orderTree(std::vector<Span> &spans, std::vector<int> &depthOut, std::vector<bool> &orphanOut)
{
    // Tree order: depth first from the roots, siblings by start time. Spans whose parent is not in
    // the trace (yet) start subtrees of their own and are marked; a parent cycle (bad input) cannot
    // hide spans either, as everything not reached from a root is appended the same way.
    const std::size_t n = spans.size();
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (spans[a].start_ns != spans[b].start_ns)
            return spans[a].start_ns < spans[b].start_ns;
        return spans[a].span_id < spans[b].span_id;
    });
    struct SpanIdHash
    {
        std::size_t operator()(const core::SpanId &id) const noexcept
        {
            std::size_t h;
            std::memcpy(&h, id.data(), sizeof h);
            return h;
        }
    };
    std::unordered_map<core::SpanId, std::size_t, SpanIdHash> index;
    index.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        index.emplace(spans[i].span_id, i);
    std::vector<std::vector<std::size_t>> children(n);
    std::vector<std::size_t> roots;
    std::vector<bool> orphan(n, false);
    for (std::size_t i : order) { // in start order, so children lists come out sorted
        const Span &s = spans[i];
        if (s.isRoot()) {
            roots.push_back(i);
            continue;
        }
        auto parent = index.find(s.parent_span_id);
        if (parent == index.end() || parent->second == i) {
            orphan[i] = true;
            roots.push_back(i);
        } else {
            children[parent->second].push_back(i);
        }
    }
    std::vector<bool> visited(n, false);
    std::vector<std::size_t> outOrder;
    std::vector<int> outDepth;
    outOrder.reserve(n);
    outDepth.reserve(n);
    auto walk = [&](std::size_t start) {
        std::vector<std::pair<std::size_t, int>> stack { { start, 0 } };
        while (!stack.empty()) {
            auto [i, d] = stack.back();
            stack.pop_back();
            if (visited[i])
                continue;
            visited[i] = true;
            outOrder.push_back(i);
            outDepth.push_back(d);
            for (auto it = children[i].rbegin(); it != children[i].rend(); ++it)
                stack.emplace_back(*it, d + 1);
        }
    };
    for (std::size_t r : roots)
        walk(r);
    for (std::size_t i : order) {
        if (!visited[i]) {
            orphan[i] = true;
            walk(i);
        }
    }
    depthOut = std::move(outDepth);
    orphanOut.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        orphanOut[k] = orphan[outOrder[k]];
    // Put the spans in tree order in place, cycle by cycle: a second vector of a million spans would
    // cost as much again in fresh memory as reading them did.
    std::vector<bool> placed(n, false);
    for (std::size_t start = 0; start < n; ++start) {
        if (placed[start] || outOrder[start] == start) {
            placed[start] = true;
            continue;
        }
        Span held = std::move(spans[start]);
        std::size_t at = start;
        for (;;) {
            placed[at] = true;
            const std::size_t from = outOrder[at];
            if (from == start) {
                spans[at] = std::move(held);
                break;
            }
            spans[at] = std::move(spans[from]);
            at = from;
        }
    }
}

} // namespace agentops::store
