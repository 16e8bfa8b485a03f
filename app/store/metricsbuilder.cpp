// SPDX-License-Identifier: MIT
#include "store/metricsbuilder.h"

#include "store/tracestore.h"

#include <algorithm>

namespace agentops::store {

using rollup::kHourNs;
using rollup::kMinuteNs;

namespace {

constexpr std::int64_t kDayNs = 24 * kHourNs;
/// Steps chosen from the range, the smallest giving at most kMaxAutoBuckets buckets.
constexpr std::int64_t kNiceSteps[]
    = { kMinuteNs, 5 * kMinuteNs, 15 * kMinuteNs, kHourNs, 6 * kHourNs, kDayNs, 7 * kDayNs, 30 * kDayNs };
constexpr std::int64_t kMaxAutoBuckets = 200;
constexpr std::int64_t kMaxBuckets = 2000;
/// Times beyond this (year 2116) could overflow bucket arithmetic.
constexpr std::int64_t kMaxTime = std::int64_t(1) << 62;

/// Nearest rank; reorders v (selection, not a full sort: 100k durations per refresh). Ranks asked
/// for in increasing order select within what the last one left above it: `from` is where to start
/// (the place of the last rank selected, or begin), and is moved to this one's place.
std::optional<std::int64_t> exactPercentile(
    std::vector<std::int64_t> &v, int pct, std::vector<std::int64_t>::iterator &from)
{
    if (v.empty())
        return std::nullopt;
    const auto n = static_cast<std::int64_t>(v.size());
    const std::int64_t rank = std::max<std::int64_t>(1, (pct * n + 99) / 100);
    const auto it = v.begin() + (rank - 1);
    std::nth_element(from, it, v.end());
    from = it;
    return *it;
}

template<typename F>
void forEachItem(std::string_view joined, F f)
{
    while (!joined.empty()) {
        const auto sep = joined.find('\x1f');
        if (sep != 0)
            f(joined.substr(0, sep));
        if (sep == std::string_view::npos)
            break;
        joined.remove_prefix(sep + 1);
    }
}

} // namespace

MetricsBuilder::MetricsBuilder(const MetricsQuery &query)
    : m_query(query)
{
    if (query.from_ns < -kMaxTime || query.from_ns > kMaxTime)
        throw QueryError("from: out of range");
    if (query.to_ns < -kMaxTime || query.to_ns > kMaxTime)
        throw QueryError("to: out of range");
    if (query.from_ns >= query.to_ns)
        throw QueryError("from: must be before to");
    if (query.top_n < 1 || query.top_n > 100)
        throw QueryError("top: must be between 1 and 100");
    if (query.bucket_ns < 0 || query.bucket_ns % kMinuteNs != 0)
        throw QueryError("bucket: must be a whole number of minutes");

    auto alignedCount = [&](std::int64_t width) {
        m_from = rollup::floorTo(query.from_ns, width);
        m_to = -rollup::floorTo(-query.to_ns, width);
        return (m_to - m_from) / width;
    };
    if (query.bucket_ns > 0) {
        m_bucket = query.bucket_ns;
        m_buckets = alignedCount(m_bucket);
        if (m_buckets > kMaxBuckets)
            throw QueryError("bucket: too small for the range (more than " + std::to_string(kMaxBuckets)
                + " buckets); choose a wider bucket or omit it");
    } else {
        for (const std::int64_t step : kNiceSteps) {
            m_bucket = step;
            m_buckets = alignedCount(step);
            if (m_buckets <= kMaxAutoBuckets)
                break;
        }
        if (m_buckets > kMaxAutoBuckets) { // ranges of decades: whole months of 30 days
            const std::int64_t months = (query.to_ns - query.from_ns) / (kMaxAutoBuckets - 1) / (30 * kDayNs) + 1;
            m_bucket = months * 30 * kDayNs;
            m_buckets = alignedCount(m_bucket);
        }
    }
    m_resolution = m_bucket % kHourNs == 0 ? kHourNs : kMinuteNs;
    if (query.group_by == MetricsGroupBy::None)
        group("");
}

std::vector<MetricsBuilder::Acc> &MetricsBuilder::group(std::string_view name)
{
    auto it = m_groupIndex.find(name);
    if (it == m_groupIndex.end()) {
        it = m_groupIndex.emplace(std::string(name), m_groupNames.size()).first;
        m_groupNames.emplace_back(name);
        m_acc.emplace_back(static_cast<std::size_t>(m_buckets));
    }
    return m_acc[it->second];
}

void MetricsBuilder::addSpanRow(const SpanRow &row)
{
    if (!m_query.agent.empty() && row.agent != m_query.agent)
        return;
    std::string_view name;
    switch (m_query.group_by) {
    case MetricsGroupBy::None: break;
    case MetricsGroupBy::Model: name = row.model; break;
    case MetricsGroupBy::Service: name = row.service; break;
    case MetricsGroupBy::SpanKind: name = core::toString(row.kind); break;
    case MetricsGroupBy::AgentName: name = row.agent; break;
    }
    Acc &a = group(name)[bucketOf(row.t)];
    if (row.kind == core::SpanKind::Llm) {
        // Into the cell only; the total's histogram is the sum of the cells' at the end.
        if (!a.llm.mergeEncoded(row.latency.data(), row.latency.size()))
            throw StoreError("span_rollup: latency is not a histogram");
    }
    for (Acc *target : { &a, &m_total }) {
        auto &v = target->values;
        v.spans += row.spans;
        v.error_spans += row.error_spans;
        v.input_tokens += row.input;
        v.output_tokens += row.output;
        v.cache_read_tokens += row.cache_read;
        v.cache_write_tokens += row.cache_write;
        v.reasoning_tokens += row.reasoning;
        v.cost_usd += row.cost;
        v.priced_spans += row.priced;
        v.unpriced_spans += row.unpriced;
    }
}

bool MetricsBuilder::traceGroups(const TraceRow &row)
{
    if (!m_query.agent.empty()) {
        bool contains = false;
        forEachItem(row.agents, [&](std::string_view a) { contains = contains || a == m_query.agent; });
        if (!contains)
            return false;
    }
    m_names.clear();
    switch (m_query.group_by) {
    case MetricsGroupBy::None: m_names.emplace_back(); break;
    case MetricsGroupBy::Service: m_names.push_back(row.service); break;
    case MetricsGroupBy::Model:
        if (!m_query.model.empty())
            m_names.push_back(m_query.model); // the others it used are filtered out of the spans too
        else
            forEachItem(row.models, [&](std::string_view m) { m_names.push_back(m); });
        break;
    case MetricsGroupBy::SpanKind:
        for (int k = 0; k <= static_cast<int>(core::SpanKind::Evaluator); ++k)
            if (row.kinds >> k & 1)
                m_names.push_back(core::toString(static_cast<core::SpanKind>(k)));
        break;
    case MetricsGroupBy::AgentName: forEachItem(row.agents, [&](std::string_view a) { m_names.push_back(a); }); break;
    }
    if (m_names.empty())
        m_names.emplace_back(); // no model / agent: the "" group, as for spans
    return true;
}

void MetricsBuilder::addTraceRow(const TraceRow &row)
{
    if (!traceGroups(row))
        return;
    const std::size_t b = bucketOf(row.start);
    auto count = [&](Acc &a) {
        ++a.values.traces;
        if (row.error)
            ++a.values.error_traces;
        a.traceDurations.push_back(row.duration);
    };
    for (const auto name : m_names)
        count(group(name)[b]);
    count(m_total);
    m_byDuration.emplace_back(row.duration, row.id, row.rowid);
    m_byCost.emplace_back(row.cost, row.id, row.rowid);
}

void MetricsBuilder::addTraceGroup(
    const TraceRow &row, std::int64_t traces, std::int64_t errorTraces, const std::vector<std::int64_t> &durations)
{
    if (!traceGroups(row))
        return;
    const std::size_t b = bucketOf(row.start);
    auto count = [&](Acc &a) {
        a.values.traces += traces;
        a.values.error_traces += errorTraces;
        a.traceDurations.insert(a.traceDurations.end(), durations.begin(), durations.end());
    };
    for (const auto name : m_names)
        count(group(name)[b]);
    count(m_total);
}

void MetricsBuilder::addErrorRow(std::string spanName, std::string message, std::int64_t count, std::int64_t lastSeen,
    const core::TraceId &exampleTrace)
{
    if (!m_query.agent.empty())
        return; // error rollups do not know agents
    ErrorGroup &e = m_errors[{ std::move(spanName), std::move(message) }];
    const bool first = e.count == 0;
    e.count += count;
    if (first || lastSeen > e.last_seen_ns) {
        e.last_seen_ns = lastSeen;
        e.example_trace = exampleTrace;
    }
}

template<typename List>
std::vector<std::int64_t> MetricsBuilder::top(List &list) const
{
    const std::size_t n = std::min(static_cast<std::size_t>(m_query.top_n), list.size());
    std::partial_sort(
        list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n), list.end(), [](const auto &a, const auto &b) {
            if (std::get<0>(a) != std::get<0>(b))
                return std::get<0>(a) > std::get<0>(b);
            return std::get<1>(a) < std::get<1>(b);
        });
    std::vector<std::int64_t> rowids;
    for (std::size_t i = 0; i < n; ++i)
        rowids.push_back(std::get<2>(list[i]));
    return rowids;
}

std::vector<std::int64_t> MetricsBuilder::slowestRowids()
{
    return top(m_byDuration);
}

std::vector<std::int64_t> MetricsBuilder::costliestRowids()
{
    return top(m_byCost);
}

MetricsResult MetricsBuilder::finish(std::vector<core::TraceSummary> slowest, std::vector<core::TraceSummary> costliest)
{
    MetricsResult result;
    result.from_ns = m_from;
    result.to_ns = m_to;
    result.bucket_ns = m_bucket;
    result.slowest_traces = std::move(slowest);
    result.costliest_traces = std::move(costliest);

    for (auto &[key, e] : m_errors) {
        e.span_name = key.first;
        e.message = key.second;
        result.top_errors.push_back(std::move(e));
    }
    std::sort(result.top_errors.begin(), result.top_errors.end(), [](const ErrorGroup &a, const ErrorGroup &b) {
        if (a.count != b.count)
            return a.count > b.count;
        if (a.last_seen_ns != b.last_seen_ns)
            return a.last_seen_ns > b.last_seen_ns;
        return std::tie(a.span_name, a.message) < std::tie(b.span_name, b.message);
    });
    if (result.top_errors.size() > static_cast<std::size_t>(m_query.top_n))
        result.top_errors.resize(static_cast<std::size_t>(m_query.top_n));

    auto finishPercentiles = [](Acc &a) {
        auto from = a.traceDurations.begin();
        a.values.trace_p50_ns = exactPercentile(a.traceDurations, 50, from);
        a.values.trace_p95_ns = exactPercentile(a.traceDurations, 95, from);
        a.values.trace_p99_ns = exactPercentile(a.traceDurations, 99, from);
        a.values.llm_p50_ns = a.llm.percentile(50);
        a.values.llm_p95_ns = a.llm.percentile(95);
        a.values.llm_p99_ns = a.llm.percentile(99);
    };
    std::vector<std::size_t> order(m_groupNames.size());
    for (std::size_t g = 0; g < order.size(); ++g)
        order[g] = g;
    std::sort(
        order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return m_groupNames[a] < m_groupNames[b]; });
    result.buckets.reserve(static_cast<std::size_t>(m_buckets) * order.size());
    for (std::size_t b = 0; b < static_cast<std::size_t>(m_buckets); ++b) {
        for (const std::size_t g : order) {
            Acc &a = m_acc[g][b];
            m_total.llm.merge(a.llm); // every span row is in exactly one group
            finishPercentiles(a);
            a.values.start_ns = m_from + static_cast<std::int64_t>(b) * m_bucket;
            a.values.group = m_groupNames[g];
            result.buckets.push_back(std::move(a.values));
        }
    }
    finishPercentiles(m_total);
    m_total.values.start_ns = m_from;
    result.totals = std::move(m_total.values);
    return result;
}

} // namespace agentops::store
