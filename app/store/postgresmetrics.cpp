// SPDX-License-Identifier: MIT
// PostgresStore: dashboard metrics and re-pricing over the rollups the writer maintains (rollup.h),
// answering exactly as SqliteStore (sqlitemetrics.cpp), whose rules follow.
//
// What counts where:
// - Span values (counts, errors, tokens, cost, unpriced, LLM latency) come from span_rollup: a span
//   counts in the bucket of its start. Filters: service = the span's service, model = the span's
//   model (response model, else request model).
// - Trace values (traces, error traces, trace latency, the top lists) come from the traces summary
//   table: a trace counts in the bucket of its start (the earliest start of its spans stored so far;
//   a late span that starts earlier moves it). Filters as in listTraces: service = the trace's
//   service, model = any span of the trace used it. Grouped, a trace counts in every group it
//   touches (each model it used, each span kind and agent it contains), so groups may add up to
//   more than the total.
// - Trace latency percentiles are exact (nearest rank over root durations); LLM latency percentiles
//   come from the rollups' histograms, within rollup::kHistRelativeError (1/32) of exact.
// - The range is widened to whole buckets; buckets are whole minutes, hour multiples read the
//   hourly rows.
#include "store/postgresstore.h"
#include "store/postgresutil.h"
#include "store/rollup.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>

namespace agentops::store {

using namespace pg;
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

struct Acc
{
    MetricsBucket values;
    std::vector<std::int64_t> traceDurations;
    rollup::Histogram llm;
};

/// Nearest rank; reorders v (selection, not a full sort: 100k durations per refresh).
std::optional<std::int64_t> exactPercentile(std::vector<std::int64_t> &v, int pct)
{
    if (v.empty())
        return std::nullopt;
    const auto n = static_cast<std::int64_t>(v.size());
    const std::int64_t rank = std::max<std::int64_t>(1, (pct * n + 99) / 100);
    const auto it = v.begin() + (rank - 1);
    std::nth_element(v.begin(), it, v.end());
    return *it;
}

void finishPercentiles(Acc &a)
{
    a.values.trace_p50_ns = exactPercentile(a.traceDurations, 50);
    a.values.trace_p95_ns = exactPercentile(a.traceDurations, 95);
    a.values.trace_p99_ns = exactPercentile(a.traceDurations, 99);
    a.values.llm_p50_ns = a.llm.percentile(50);
    a.values.llm_p95_ns = a.llm.percentile(95);
    a.values.llm_p99_ns = a.llm.percentile(99);
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

MetricsResult PostgresStore::metrics(const MetricsQuery &query)
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

    auto alignedCount = [&](std::int64_t width, std::int64_t &from, std::int64_t &to) {
        from = rollup::floorTo(query.from_ns, width);
        to = -rollup::floorTo(-query.to_ns, width);
        return (to - from) / width;
    };
    MetricsResult result;
    std::int64_t from = 0, to = 0, nb = 0;
    if (query.bucket_ns > 0) {
        result.bucket_ns = query.bucket_ns;
        nb = alignedCount(query.bucket_ns, from, to);
        if (nb > kMaxBuckets)
            throw QueryError("bucket: too small for the range (more than " + std::to_string(kMaxBuckets)
                + " buckets); choose a wider bucket or omit it");
    } else {
        for (const std::int64_t step : kNiceSteps) {
            result.bucket_ns = step;
            nb = alignedCount(step, from, to);
            if (nb <= kMaxAutoBuckets)
                break;
        }
        if (nb > kMaxAutoBuckets) { // ranges of decades: whole months of 30 days
            const std::int64_t months = (query.to_ns - query.from_ns) / (kMaxAutoBuckets - 1) / (30 * kDayNs) + 1;
            result.bucket_ns = months * 30 * kDayNs;
            nb = alignedCount(result.bucket_ns, from, to);
        }
    }
    const std::int64_t bucket = result.bucket_ns;
    result.from_ns = from;
    result.to_ns = to;
    const std::int64_t res = bucket % kHourNs == 0 ? kHourNs : kMinuteNs;

    // Per group, one accumulator per bucket; groups appear as rows name them.
    struct NameHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view v) const noexcept { return std::hash<std::string_view>()(v); }
    };
    std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> groupIndex;
    std::vector<std::string> groupNames;
    std::vector<std::vector<Acc>> acc;
    auto group = [&](std::string_view name) -> std::vector<Acc> & {
        auto it = groupIndex.find(name);
        if (it == groupIndex.end()) {
            it = groupIndex.emplace(std::string(name), groupNames.size()).first;
            groupNames.emplace_back(name);
            acc.emplace_back(static_cast<std::size_t>(nb));
        }
        return acc[it->second];
    };
    if (query.group_by == MetricsGroupBy::None)
        group("");
    Acc total;

    std::vector<std::tuple<std::int64_t, core::TraceId, std::int64_t>> byDuration;
    std::vector<std::tuple<double, core::TraceId, std::int64_t>> byCost;
    std::map<std::pair<std::string, std::string>, ErrorGroup> errors;

    withReader([&](Connection &c) {
        // One snapshot: the three queries see the same commit.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.db);
        // $4 and $5 are always bound; an empty one matches everything.
        const std::vector<std::string> params { std::to_string(res / rollup::kSecondNs), std::to_string(from),
            std::to_string(to), query.service, query.model };
        const std::string filters = std::string(query.service.empty() ? "" : " AND service = $4")
            + (query.model.empty() ? " AND $5 = ''" : " AND model = $5")
            + (query.service.empty() ? " AND $4 = ''" : "");
        {
            const auto rows = run(tx,
                "SELECT t, kind, model, service, agent, spans, error_spans, tok_input, tok_output, tok_cache_read, "
                "tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency FROM span_rollup "
                "WHERE res = $1::int AND t >= $2::bigint AND t < $3::bigint"
                    + filters,
                params);
            for (const auto &s : rows) {
                const auto b = static_cast<std::size_t>((i64(s[0]) - from) / bucket);
                const auto kind = static_cast<core::SpanKind>(i64(s[1]));
                std::string_view name;
                switch (query.group_by) {
                case MetricsGroupBy::None: break;
                case MetricsGroupBy::Model: name = textView(s[2]); break;
                case MetricsGroupBy::Service: name = textView(s[3]); break;
                case MetricsGroupBy::SpanKind: name = core::toString(kind); break;
                case MetricsGroupBy::AgentName: name = textView(s[4]); break;
                }
                Acc &a = group(name)[b];
                if (kind == core::SpanKind::Llm) {
                    // Into the cell only; the total's histogram is the sum of the cells' at the end.
                    const std::string blob = unbytea(s[14]);
                    if (!a.llm.mergeEncoded(blob.data(), blob.size()))
                        throw StoreError("span_rollup: latency is not a histogram");
                }
                for (Acc *target : { &a, &total }) {
                    auto &v = target->values;
                    v.spans += i64(s[5]);
                    v.error_spans += i64(s[6]);
                    v.input_tokens += i64(s[7]);
                    v.output_tokens += i64(s[8]);
                    v.cache_read_tokens += i64(s[9]);
                    v.cache_write_tokens += i64(s[10]);
                    v.reasoning_tokens += i64(s[11]);
                    v.cost_usd += dbl(s[12]);
                    v.unpriced_spans += i64(s[13]);
                }
            }
        }
        {
            std::string sql = "SELECT id, trace_id, start_ns, duration_ns, error_count, cost_usd, service, models, "
                              "kinds, agents FROM traces WHERE start_ns >= $2::bigint AND start_ns < $3::bigint "
                              "AND $1::int > 0";
            sql += query.service.empty() ? " AND $4 = ''" : " AND service = $4";
            sql += query.model.empty() ? " AND $5 = ''"
                                       : " AND id IN (SELECT trace_rowid FROM trace_models WHERE model = $5)";
            const auto rows = run(tx, sql, params);
            std::vector<std::string_view> names;
            for (const auto &s : rows) {
                const std::int64_t rowid = i64(s[0]);
                core::TraceId id {};
                unbytea(s[1], id);
                const auto b = static_cast<std::size_t>((i64(s[2]) - from) / bucket);
                const std::int64_t duration = i64(s[3]);
                const bool error = i64(s[4]) > 0;
                const double cost = dbl(s[5]);
                names.clear();
                switch (query.group_by) {
                case MetricsGroupBy::None: names.emplace_back(); break;
                case MetricsGroupBy::Service: names.push_back(textView(s[6])); break;
                case MetricsGroupBy::Model:
                    if (!query.model.empty())
                        names.push_back(query.model); // the others it used are filtered out of the spans too
                    else
                        forEachItem(textView(s[7]), [&](std::string_view m) { names.push_back(m); });
                    break;
                case MetricsGroupBy::SpanKind: {
                    const std::int64_t kinds = i64(s[8]);
                    for (int k = 0; k <= static_cast<int>(core::SpanKind::Evaluator); ++k)
                        if (kinds >> k & 1)
                            names.push_back(core::toString(static_cast<core::SpanKind>(k)));
                    break;
                }
                case MetricsGroupBy::AgentName:
                    forEachItem(textView(s[9]), [&](std::string_view a) { names.push_back(a); });
                    break;
                }
                if (names.empty())
                    names.emplace_back(); // no model / agent: the "" group, as for spans
                auto count = [&](Acc &a) {
                    ++a.values.traces;
                    if (error)
                        ++a.values.error_traces;
                    a.traceDurations.push_back(duration);
                };
                for (const auto name : names)
                    count(group(name)[b]);
                count(total);
                byDuration.emplace_back(duration, id, rowid);
                byCost.emplace_back(cost, id, rowid);
            }
        }
        {
            const auto rows = run(tx,
                "SELECT name, message, count, last_seen_ns, example_trace FROM error_rollup "
                "WHERE res = $1::int AND t >= $2::bigint AND t < $3::bigint"
                    + filters,
                params);
            for (const auto &s : rows) {
                ErrorGroup &e = errors[{ text(s[0]), text(s[1]) }];
                const bool first = e.count == 0;
                e.count += i64(s[2]);
                const std::int64_t seen = i64(s[3]);
                if (first || seen > e.last_seen_ns) {
                    e.last_seen_ns = seen;
                    unbytea(s[4], e.example_trace);
                }
            }
        }

        const auto topN = static_cast<std::size_t>(query.top_n);
        auto top = [&](auto &list) {
            const std::size_t n = std::min(topN, list.size());
            std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(n), list.end(),
                [](const auto &a, const auto &b) {
                    if (std::get<0>(a) != std::get<0>(b))
                        return std::get<0>(a) > std::get<0>(b);
                    return std::get<1>(a) < std::get<1>(b);
                });
            std::vector<core::TraceSummary> out;
            if (n == 0)
                return out;
            ArrayBuilder ids;
            for (std::size_t i = 0; i < n; ++i)
                ids.i64(std::get<2>(list[i]));
            std::map<std::int64_t, core::TraceSummary> byRowid;
            for (const auto &row :
                run(tx, std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE id = ANY($1::bigint[])",
                    { ids.finish() }))
                byRowid.emplace(i64(row[0]), readSummary(row));
            for (std::size_t i = 0; i < n; ++i) {
                auto it = byRowid.find(std::get<2>(list[i]));
                if (it != byRowid.end())
                    out.push_back(it->second);
            }
            return out;
        };
        result.slowest_traces = top(byDuration);
        result.costliest_traces = top(byCost);
        tx.commit();
    });

    for (auto &[key, e] : errors) {
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
    if (result.top_errors.size() > static_cast<std::size_t>(query.top_n))
        result.top_errors.resize(static_cast<std::size_t>(query.top_n));

    std::vector<std::size_t> order(groupNames.size());
    for (std::size_t g = 0; g < order.size(); ++g)
        order[g] = g;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return groupNames[a] < groupNames[b]; });
    result.buckets.reserve(static_cast<std::size_t>(nb) * order.size());
    for (std::size_t b = 0; b < static_cast<std::size_t>(nb); ++b) {
        for (const std::size_t g : order) {
            Acc &a = acc[g][b];
            total.llm.merge(a.llm); // every span row is in exactly one group
            finishPercentiles(a);
            a.values.start_ns = from + static_cast<std::int64_t>(b) * bucket;
            a.values.group = groupNames[g];
            result.buckets.push_back(std::move(a.values));
        }
    }
    finishPercentiles(total);
    total.values.start_ns = from;
    result.totals = std::move(total.values);
    return result;
}

std::size_t PostgresStore::reprice(const std::function<bool(core::Span &)> &price,
    const std::function<bool(std::size_t done, std::size_t total)> &progress)
{
    // Small transactions, the writer lock taken per batch: ingest waits for one batch at most.
    constexpr int kBatch = 2000;
    std::int64_t lastId = 0;
    std::size_t total = 0;
    withWriter([&](Connection &c) {
        pqxx::read_transaction tx(c.db);
        // Spans stored from here on were priced at ingest with the new prices: stop at today's last.
        lastId = i64(tx.exec("SELECT coalesce(max(id), 0) FROM spans")[0][0]);
        total = static_cast<std::size_t>(i64(tx.exec("SELECT coalesce(sum(spans), 0) FROM span_rollup WHERE res = "
                                                     "3600 AND kind IN ("
            + std::to_string(static_cast<int>(core::SpanKind::Llm)) + ", "
            + std::to_string(static_cast<int>(core::SpanKind::Embedding)) + ")")[0][0]));
    });

    using RollupKey = std::tuple<std::int64_t, std::int64_t, int, std::string, std::string, std::string>;
    struct Change
    {
        double cost = 0;
        std::int64_t unpriced = 0;
    };
    std::size_t done = 0;
    std::size_t changed = 0;
    std::int64_t after = 0;
    for (;;) {
        std::size_t visited = 0;
        withWriter([&](Connection &c) {
            pqxx::work tx(c.db);
            run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))",
                { std::to_string(kWriterLock), m_options.schema });
            const auto rows = run(tx, R"sql(
SELECT id, trace_id, span_id, name, kind, start_ns, end_ns, status, service, request_model, response_model, provider,
    agent_name, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref,
    session_id, user_id
FROM spans WHERE id > $1::bigint AND id <= $2::bigint AND kind IN ($3::int, $4::int) ORDER BY id LIMIT $5::int)sql",
                { std::to_string(after), std::to_string(lastId), std::to_string(static_cast<int>(core::SpanKind::Llm)),
                    std::to_string(static_cast<int>(core::SpanKind::Embedding)), std::to_string(kBatch) });
            std::map<core::TraceId, Change> traceChanges;
            std::map<RollupKey, Change> rollupChanges;
            ArrayBuilder ids, costs, refs;
            std::int64_t batchLast = after;
            for (const auto &q : rows) {
                ++visited;
                const std::int64_t id = i64(q[0]);
                batchLast = id;
                core::Span span;
                unbytea(q[1], span.trace_id);
                unbytea(q[2], span.span_id);
                span.name = text(q[3]);
                span.kind = static_cast<core::SpanKind>(i64(q[4]));
                span.start_ns = i64(q[5]);
                span.end_ns = i64(q[6]);
                span.status = static_cast<core::StatusCode>(i64(q[7]));
                span.service_name = text(q[8]);
                span.request_model = text(q[9]);
                span.response_model = text(q[10]);
                span.provider = text(q[11]);
                span.agent_name = text(q[12]);
                span.tokens.input = optI64(q[13]);
                span.tokens.output = optI64(q[14]);
                span.tokens.total = optI64(q[15]);
                span.tokens.cache_read = optI64(q[16]);
                span.tokens.cache_write = optI64(q[17]);
                span.tokens.reasoning = optI64(q[18]);
                if (!q[19].is_null())
                    span.cost_usd = dbl(q[19]);
                span.price_ref = text(q[20]);
                span.session_id = text(q[21]);
                span.user_id = text(q[22]);
                if (span.tokens.empty())
                    continue;
                const auto oldCost = span.cost_usd;
                const auto oldRef = span.price_ref;
                const bool wasUnpriced = rollup::isUnpriced(span);
                if (!price(span) || (span.cost_usd == oldCost && span.price_ref == oldRef))
                    continue;
                ids.i64(id);
                costs.optDbl(span.cost_usd);
                refs.textOrNull(span.price_ref);
                ++changed;
                const Change ch { span.cost_usd.value_or(0) - oldCost.value_or(0),
                    std::int64_t(rollup::isUnpriced(span)) - std::int64_t(wasUnpriced) };
                auto &t = traceChanges[span.trace_id];
                t.cost += ch.cost;
                t.unpriced += ch.unpriced;
                for (const std::int64_t r : rollup::kResolutionsNs) {
                    auto &rc = rollupChanges[RollupKey { r / rollup::kSecondNs, rollup::floorTo(span.start_ns, r),
                        static_cast<int>(span.kind), span.model(), span.service_name, span.agent_name }];
                    rc.cost += ch.cost;
                    rc.unpriced += ch.unpriced;
                }
            }
            if (!traceChanges.empty()) {
                run(tx,
                    "UPDATE spans s SET cost_usd = u.cost, price_ref = u.ref FROM unnest($1::bigint[], $2::float8[], "
                    "$3::text[]) AS u(id, cost, ref) WHERE s.id = u.id",
                    { ids.finish(), costs.finish(), refs.finish() });
                ArrayBuilder tid, tcost, tunpriced;
                for (const auto &[traceId, ch] : traceChanges) {
                    tid.bytes(traceId);
                    tcost.dbl(ch.cost);
                    tunpriced.i64(ch.unpriced);
                }
                run(tx,
                    "UPDATE traces t SET cost_usd = t.cost_usd + u.cost, unpriced_spans = t.unpriced_spans + "
                    "u.unpriced FROM unnest($1::bytea[], $2::float8[], $3::bigint[]) AS u(tid, cost, unpriced) "
                    "WHERE t.trace_id = u.tid",
                    { tid.finish(), tcost.finish(), tunpriced.finish() });
                ArrayBuilder res, tt, kind, model, service, agent, rcost, runpriced;
                for (const auto &[k, ch] : rollupChanges) {
                    res.i64(std::get<0>(k));
                    tt.i64(std::get<1>(k));
                    kind.i64(std::get<2>(k));
                    model.text(std::get<3>(k));
                    service.text(std::get<4>(k));
                    agent.text(std::get<5>(k));
                    rcost.dbl(ch.cost);
                    runpriced.i64(ch.unpriced);
                }
                run(tx,
                    "UPDATE span_rollup r SET cost_usd = r.cost_usd + u.cost, unpriced_spans = r.unpriced_spans + "
                    "u.unpriced FROM unnest($1::int[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], "
                    "$7::float8[], $8::bigint[]) AS u(res, t, kind, model, service, agent, cost, unpriced) "
                    "WHERE (r.res, r.t, r.kind, r.model, r.service, r.agent) = (u.res, u.t, u.kind, u.model, "
                    "u.service, u.agent)",
                    { res.finish(), tt.finish(), kind.finish(), model.finish(), service.finish(), agent.finish(),
                        rcost.finish(), runpriced.finish() });
            }
            tx.commit();
            after = batchLast;
        });
        done += visited;
        total = std::max(total, done);
        const bool finished = visited < static_cast<std::size_t>(kBatch);
        if (progress && !progress(done, finished ? done : total))
            break;
        if (finished)
            break;
    }
    return changed;
}

} // namespace agentops::store
