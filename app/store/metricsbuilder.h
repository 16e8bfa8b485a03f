// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "store/metrics.h"
#include "store/rollup.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace agentops::store {

/// The backend-independent half of TraceStore::metrics(): checks the query, chooses the buckets,
/// accumulates the rows a store reads (span rollups, trace summaries, error rollups) and assembles
/// the answer. A store reads its rows in one snapshot and feeds them in; what counts where is
/// described in sqlitemetrics.cpp.
class MetricsBuilder
{
public:
    /// Throws QueryError naming the field the query got wrong.
    explicit MetricsBuilder(const MetricsQuery &query);

    /// The range widened to whole buckets, the bucket width, and which rollup rows to read
    /// (rollup::kMinuteNs or kHourNs).
    std::int64_t from() const { return m_from; }
    std::int64_t to() const { return m_to; }
    std::int64_t bucket() const { return m_bucket; }
    std::int64_t resolution() const { return m_resolution; }

    /// One span_rollup row.
    struct SpanRow
    {
        std::int64_t t = 0;
        core::SpanKind kind = core::SpanKind::Other;
        std::string_view model, service, agent;
        std::int64_t spans = 0, error_spans = 0;
        std::int64_t input = 0, output = 0, cache_read = 0, cache_write = 0, reasoning = 0;
        double cost = 0;
        std::int64_t priced = 0, unpriced = 0;
        std::string_view latency; ///< encoded histogram (rollup::Histogram)
    };
    /// Throws StoreError when the latency is not a histogram.
    void addSpanRow(const SpanRow &row);

    /// One traces row.
    struct TraceRow
    {
        std::int64_t rowid = 0;
        core::TraceId id {};
        std::int64_t start = 0, duration = 0;
        bool error = false;
        double cost = 0;
        std::string_view service;
        std::string_view models; ///< joined by \x1f
        std::int64_t kinds = 0; ///< bit per core::SpanKind
        std::string_view agents; ///< joined by \x1f
    };
    void addTraceRow(const TraceRow &row);

    /// Traces of one bucket counted together, for a store that groups them in SQL: `row` says the
    /// bucket (start) and the sets the group is named by (service, models, kinds, agents; the rest of
    /// it unused), `traces` how many, `errorTraces` how many with an error, `durations` theirs. The
    /// same counts as addTraceRow of each trace, without the top lists: with this, the store reads
    /// the slowest and costliest traces itself (in the order slowestRowids() gives).
    void addTraceGroup(
        const TraceRow &row, std::int64_t traces, std::int64_t errorTraces, const std::vector<std::int64_t> &durations);

    /// One error_rollup row.
    void addErrorRow(std::string spanName, std::string message, std::int64_t count, std::int64_t lastSeen,
        const core::TraceId &exampleTrace);

    /// Row ids of the slowest and the costliest traces, in order (at most top_n each).
    std::vector<std::int64_t> slowestRowids();
    std::vector<std::int64_t> costliestRowids();

    /// The answer, with the summaries of those traces read by the store.
    MetricsResult finish(std::vector<core::TraceSummary> slowest, std::vector<core::TraceSummary> costliest);

private:
    struct Acc
    {
        MetricsBucket values;
        std::vector<std::int64_t> traceDurations;
        rollup::Histogram llm;
    };
    struct NameHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view v) const noexcept { return std::hash<std::string_view>()(v); }
    };
    std::vector<Acc> &group(std::string_view name);
    std::size_t bucketOf(std::int64_t t) const { return static_cast<std::size_t>((t - m_from) / m_bucket); }
    template<typename List>
    std::vector<std::int64_t> top(List &list) const;
    /// The groups a trace counts in (m_names); false when the agent filter leaves it out.
    bool traceGroups(const TraceRow &row);

    MetricsQuery m_query;
    std::int64_t m_from = 0;
    std::int64_t m_to = 0;
    std::int64_t m_bucket = 0;
    std::int64_t m_buckets = 0;
    std::int64_t m_resolution = 0;
    std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> m_groupIndex;
    std::vector<std::string> m_groupNames;
    std::vector<std::vector<Acc>> m_acc;
    Acc m_total;
    std::vector<std::string_view> m_names; ///< scratch for addTraceRow
    std::vector<std::tuple<std::int64_t, core::TraceId, std::int64_t>> m_byDuration;
    std::vector<std::tuple<double, core::TraceId, std::int64_t>> m_byCost;
    std::map<std::pair<std::string, std::string>, ErrorGroup> m_errors;
};

} // namespace agentops::store
