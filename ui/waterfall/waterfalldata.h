// SPDX-License-Identifier: MIT
#pragma once

#include "spantree.h"
#include "store/spantable.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace agentops::store {
struct TraceDetail;
}

namespace agentops::ui {

class LazySpanSearchIndex;
class SpanSearchIndex;

/// Everything the waterfall derives from a trace before showing it. Built in one go (off the GUI
/// thread for big traces) and then shared read-only by the model, the delegate and the minimap.
struct WaterfallData
{
    std::shared_ptr<const store::TraceDetail> trace;
    /// What the rows show of each span: the trace's own table when it was read slim, else one made
    /// from its spans. The model, the minimap and the search read spans from here only.
    const store::SpanTable *table = nullptr;
    SpanTree tree;
    /// Start and end times pulled out of the spans: the painters read them for every visible bar, and
    /// a dense array of them is far kinder to the cache than the 600-byte spans.
    std::vector<std::int64_t> start;
    std::vector<std::int64_t> end;
    std::vector<std::uint8_t> critical; ///< 1 for spans on the critical path
    std::int64_t traceStart = 0;
    std::int64_t traceEnd = 0;
    int errorCount = 0;
    std::uint32_t kindMask = 0; ///< bit k set: some span is of core::SpanKind k

    int size() const { return tree.size(); }
    /// index: the trace's search index if one is being built already (for the same trace).
    static std::shared_ptr<const WaterfallData> build(
        std::shared_ptr<const store::TraceDetail> trace, std::shared_ptr<const LazySpanSearchIndex> index = nullptr);

    /// The search index, built by the first caller (on any thread; others wait for it). Not part of
    /// build(): opening a trace does not wait for it.
    const SpanSearchIndex &searchIndex() const;

    const store::SpanTable::Row &row(int i) const { return table->rows[std::size_t(i)]; }
    std::string_view text(std::uint32_t id) const { return table->text(id); }

private:
    std::shared_ptr<const LazySpanSearchIndex> m_searchIndex;
    store::SpanTable m_ownTable;
};

} // namespace agentops::ui
