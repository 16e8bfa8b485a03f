// SPDX-License-Identifier: MIT
#include "waterfalldata.h"

#include "spansearch.h"
#include "store/tracestore.h"

#include <algorithm>
#include <limits>

namespace agentops::ui {

const SpanSearchIndex &WaterfallData::searchIndex() const
{
    return m_searchIndex->get();
}

std::shared_ptr<const WaterfallData> WaterfallData::build(
    std::shared_ptr<const store::TraceDetail> trace, std::shared_ptr<const LazySpanSearchIndex> index)
{
    auto data = std::make_shared<WaterfallData>();
    data->trace = std::move(trace);
    data->m_searchIndex = index && index->trace() == data->trace
        ? std::move(index)
        : std::make_shared<const LazySpanSearchIndex>(data->trace);
    if (!data->trace) {
        data->table = &data->m_ownTable;
        return data;
    }
    if (!data->trace->slim())
        data->m_ownTable = store::SpanTable::fromSpans(data->trace->spans);
    data->table = data->trace->slim() ? &data->trace->table : &data->m_ownTable;
    const auto &spans = data->table->rows;
    const std::size_t n = spans.size();
    std::vector<int> depth(data->trace->depth.begin(), data->trace->depth.end());
    depth.resize(n, 0);
    data->tree = SpanTree::fromDepths(depth);
    data->start.resize(n);
    data->end.resize(n);
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i) {
        const auto &s = spans[i];
        data->start[i] = s.start_ns;
        // A span that has not ended (or ended before it began) is drawn as an instant.
        data->end[i] = std::max(s.end_ns, s.start_ns);
        lo = std::min(lo, data->start[i]);
        hi = std::max(hi, data->end[i]);
        data->kindMask |= 1u << unsigned(s.kind);
        if (s.status == core::StatusCode::Error)
            ++data->errorCount;
    }
    if (n == 0)
        lo = hi = 0;
    data->traceStart = lo;
    data->traceEnd = std::max(hi, lo + 1);
    data->critical.assign(n, 0);
    for (int i : criticalPath(data->tree, data->start, data->end))
        data->critical[i] = 1;
    return data;
}

} // namespace agentops::ui
