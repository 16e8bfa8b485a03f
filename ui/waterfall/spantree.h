// SPDX-License-Identifier: MIT
#pragma once

#include "timelinedata.h"

#include <cstdint>
#include <span>
#include <vector>

namespace agentops::store {
struct TraceDetail;
}

namespace agentops::ui {

/// The parent/child structure of a trace in flat arrays (children as index ranges into one vector),
/// so that a million spans cost a handful of allocations and the item model answers index() and
/// parent() with two array reads.
struct SpanTree
{
    std::vector<int> parent; ///< -1 for top-level spans (roots and orphans)
    std::vector<int> row; ///< position under the parent (or among the top-level spans)
    std::vector<int> childBegin; ///< children of i are children[childBegin[i] .. childBegin[i + 1])
    std::vector<int> children;
    std::vector<int> roots; ///< top-level spans in order

    int size() const { return static_cast<int>(parent.size()); }
    int childCount(int span) const
    {
        return span < 0 ? static_cast<int>(roots.size()) : childBegin[span + 1] - childBegin[span];
    }
    int child(int span, int r) const { return span < 0 ? roots[r] : children[childBegin[span] + r]; }
    std::span<const int> childrenOf(int span) const
    {
        if (span < 0)
            return roots;
        return std::span<const int>(children).subspan(childBegin[span], childCount(span));
    }

    /// Builds the tree from depth-first order and depths (a span's parent is the nearest earlier span
    /// one level up). Depths that jump by more than one are treated as one level deeper.
    static SpanTree fromDepths(std::span<const int> depth);
};

/// The spans that determined the end-to-end latency, sorted by index.
///
/// For a span: the span itself, then among its children the one that finished last (not after the
/// span's own end), then, walking backwards, the child that finished last before that one started,
/// and so on; each chosen child contributes its own critical path. Top-level spans (roots and
/// orphans) are treated as children of the whole trace. Children that end after their parent
/// (fire-and-forget work) did not hold the parent up and are skipped.
std::vector<int> criticalPath(
    const SpanTree &tree, std::span<const std::int64_t> start, std::span<const std::int64_t> end);

/// A bar as drawn: pixel extent, the first span it stands for and how many spans were merged into it.
struct Bar
{
    PixelSpan px;
    int span = -1;
    int count = 1;
    bool operator==(const Bar &other) const = default;
};

/// Bars for the given spans inside data's visible window: spans outside it are culled, and runs of
/// bars that share pixels are merged into one, so that drawing costs at most one rectangle per pixel
/// however many spans there are. indices need not be sorted.
std::vector<Bar> layoutBars(const TimeLineData &data, std::span<const int> indices, std::span<const std::int64_t> start,
    std::span<const std::int64_t> end);

} // namespace agentops::ui
