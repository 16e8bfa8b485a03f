// SPDX-License-Identifier: MIT
#pragma once
// What one write batch adds to one trace's summary, and the summary row's columns: shared by
// SqliteStore and PostgresStore, which add it to the stored row in their own SQL.

#include "core/span.h"
#include "core/usage.h"
#include "store/rowsink.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace agentops::store {

/// Separates the items of a summary's set columns (models, agents).
inline constexpr char kSetSeparator = '\x1f';

/// What one batch adds to one trace's summary. Views point into the batch's spans.
struct TraceDelta
{
    const core::Span *root = nullptr;
    const core::Span *earliest = nullptr;
    std::int64_t start = INT64_MAX;
    std::int64_t end = INT64_MIN;
    std::int64_t spans = 0;
    std::int64_t errors = 0;
    core::UsageTotals usage; ///< tokens and cost of the spans that count (core/usage.h)
    std::set<std::string_view> models;
    std::set<std::string_view> agents;
    std::int64_t kinds = 0; ///< bit set of the span kinds
    std::string_view session;
    std::string_view user;

    void add(const core::Span &s)
    {
        if (s.isRoot() && !root)
            root = &s;
        if (!earliest || s.start_ns < earliest->start_ns)
            earliest = &s;
        start = std::min(start, s.start_ns);
        end = std::max(end, std::max(s.end_ns, s.start_ns));
        ++spans;
        if (s.status == core::StatusCode::Error)
            ++errors;
        usage.add(s);
        if (!s.model().empty())
            models.insert(s.model());
        if (!s.agent_name.empty())
            agents.insert(s.agent_name);
        kinds |= std::int64_t(1) << static_cast<int>(s.kind);
        if (session.empty())
            session = s.session_id;
        if (user.empty())
            user = s.user_id;
    }
};

/// The items of a set joined by kSetSeparator, into out (cleared first).
inline void joinSet(std::string &out, const std::set<std::string_view> &items)
{
    out.clear();
    for (const auto &item : items) {
        if (!out.empty())
            out.push_back(kSetSeparator);
        out += item;
    }
}

/// Calls f with each item of a joined set, in order; empty items are none.
template<class F>
void forEachSetItem(std::string_view joined, F &&f)
{
    while (!joined.empty()) {
        const auto sep = joined.find(kSetSeparator);
        if (sep != 0)
            f(joined.substr(0, sep));
        if (sep == std::string_view::npos)
            break;
        joined.remove_prefix(sep + 1);
    }
}

/// The union of two joined sets, joined, its items sorted by their bytes: what a summary's set column
/// becomes when a batch adds to it (SQLite's agentops_merge_set, PostgreSQL's merge_set).
std::string mergeSets(std::string_view a, std::string_view b);

/// The columns a batch writes of a trace's summary row: trace_id, root_span_id, name, name_is_root,
/// name_start_ns, service, start_ns, end_ns, span_count, error_count, tok_input, tok_output,
/// tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, models,
/// session_id, user_id, kinds, agents, priced_spans. The trace is named after its root span, else
/// after its earliest span of the batch. models and agents: the delta's sets, joined (joinSet).
template<RowSink Row>
void summaryColumns(
    Row &row, const core::TraceId &traceId, const TraceDelta &d, std::string_view models, std::string_view agents)
{
    const core::Span *named = d.root ? d.root : d.earliest;
    row.bytes(traceId.data(), traceId.size());
    if (d.root)
        row.bytes(d.root->span_id.data(), d.root->span_id.size());
    else
        row.null();
    row.text(named->name);
    row.i64(d.root ? 1 : 0);
    row.i64(named->start_ns);
    row.text(named->service_name);
    row.i64(d.start);
    row.i64(d.end);
    row.i64(d.spans);
    row.i64(d.errors);
    row.i64(d.usage.input);
    row.i64(d.usage.output);
    row.i64(d.usage.total);
    row.i64(d.usage.cache_read);
    row.i64(d.usage.cache_write);
    row.i64(d.usage.reasoning);
    row.dbl(d.usage.cost_usd);
    row.i64(d.usage.unpriced_spans);
    row.text(models);
    row.text(d.session);
    row.text(d.user);
    row.i64(d.kinds);
    row.text(agents);
    row.i64(d.usage.priced_spans);
}

} // namespace agentops::store
