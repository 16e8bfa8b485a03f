// SPDX-License-Identifier: MIT
#include "store/traceorder.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>
#include <utility>

namespace agentops::store {

namespace {

struct SpanIdHash
{
    std::size_t operator()(const core::SpanId &id) const noexcept
    {
        std::size_t h;
        std::memcpy(&h, id.data(), sizeof h);
        return h;
    }
};

/// Moves spans[outOrder[k]] to spans[k], cycle by cycle: a second vector of a million spans would
/// cost as much again in fresh memory as reading them did.
template<typename SpanT>
void permute(std::vector<SpanT> &spans, const std::vector<std::size_t> &outOrder)
{
    const std::size_t n = spans.size();
    std::vector<bool> placed(n, false);
    for (std::size_t start = 0; start < n; ++start) {
        if (placed[start] || outOrder[start] == start) {
            placed[start] = true;
            continue;
        }
        SpanT held = std::move(spans[start]);
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

} // namespace

template<typename SpanT>
void orderTree(std::vector<SpanT> &spans, std::vector<int> &depthOut, std::vector<bool> &orphanOut)
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
    std::unordered_map<core::SpanId, std::size_t, SpanIdHash> index;
    index.reserve(n);
    for (std::size_t i = 0; i < n; ++i)
        index.emplace(spans[i].span_id, i);
    // Each span's parent (n: none, or not in the trace), then the children of each span as one flat
    // array of index ranges, filled in start order so that each range comes out sorted.
    constexpr std::size_t none = std::size_t(-1);
    std::vector<std::size_t> parent(n, none);
    std::vector<std::size_t> roots;
    std::vector<bool> orphan(n, false);
    std::vector<std::size_t> childBegin(n + 1, 0);
    for (std::size_t i : order) {
        const SpanT &s = spans[i];
        if (s.isRoot()) {
            roots.push_back(i);
            continue;
        }
        auto found = index.find(s.parent_span_id);
        if (found == index.end() || found->second == i) {
            orphan[i] = true;
            roots.push_back(i);
        } else {
            parent[i] = found->second;
            ++childBegin[found->second + 1];
        }
    }
    index = {};
    for (std::size_t i = 0; i < n; ++i)
        childBegin[i + 1] += childBegin[i];
    std::vector<std::size_t> children(childBegin[n]);
    {
        std::vector<std::size_t> fill(childBegin.begin(), childBegin.end() - 1);
        for (std::size_t i : order)
            if (parent[i] != none)
                children[fill[parent[i]]++] = i;
    }
    parent = {};
    std::vector<bool> visited(n, false);
    std::vector<std::size_t> outOrder;
    std::vector<int> outDepth;
    outOrder.reserve(n);
    outDepth.reserve(n);
    std::vector<std::pair<std::size_t, int>> stack;
    auto walk = [&](std::size_t start) {
        stack.assign(1, { start, 0 });
        while (!stack.empty()) {
            auto [i, d] = stack.back();
            stack.pop_back();
            if (visited[i])
                continue;
            visited[i] = true;
            outOrder.push_back(i);
            outDepth.push_back(d);
            for (std::size_t c = childBegin[i + 1]; c > childBegin[i]; --c)
                stack.emplace_back(children[c - 1], d + 1);
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
    permute(spans, outOrder);
}

template void orderTree(std::vector<core::Span> &, std::vector<int> &, std::vector<bool> &);
template void orderTree(std::vector<SpanTable::Row> &, std::vector<int> &, std::vector<bool> &);

} // namespace agentops::store
