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
#include "store/metricsbuilder.h"
#include "store/postgresstore.h"
#include "store/postgresutil.h"
#include "store/rollup.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

namespace agentops::store {

using namespace pg;

namespace {

/// The bound parameters every dashboard query shares: $1 resolution (s), $2 from, $3 to, $4 service,
/// $5 model, $6 bucket width, $7 agent; an empty text matches everything.
std::vector<std::string> metricsParams(const MetricsQuery &query, const MetricsBuilder &builder)
{
    return { std::to_string(builder.resolution() / rollup::kSecondNs), std::to_string(builder.from()),
        std::to_string(builder.to()), query.service, query.model, std::to_string(builder.bucket()), query.agent };
}

/// Every parameter is referred to ($n = '' where a filter is off), so each has a type.
std::string unusedParams()
{
    return " AND $1::int > 0 AND $6::bigint > 0 AND $7::text IS NOT NULL";
}

/// Hex digits (as encode(..., 'hex') gives them) as bytes.
void unhex(std::string_view hex, std::string &out)
{
    auto val = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    out.clear();
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(val(hex[i]) << 4 | val(hex[i + 1])));
}

/// span_rollup summed in SQL to the answer's buckets, by the columns the query groups or filters
/// by (one row a bucket and group, rather than one an hour and every key: the rows were most of the
/// time a refresh took). The LLM rows' histograms come along as a list, merged here.
void readSpanRollups(pqxx::transaction_base &tx, const MetricsQuery &query, const std::vector<std::string> &params,
    MetricsBuilder &builder)
{
    const bool byAgent = query.group_by == MetricsGroupBy::AgentName || !query.agent.empty();
    const std::string sql = std::string("SELECT $2::bigint + (t - $2::bigint) / $6::bigint * $6::bigint, kind, ")
        + (query.group_by == MetricsGroupBy::Model ? "model" : "''") + ", "
        + (query.group_by == MetricsGroupBy::Service ? "service" : "''") + ", " + (byAgent ? "agent" : "''")
        + ", sum(spans), sum(error_spans), sum(tok_input), sum(tok_output), sum(tok_cache_read), "
          "sum(tok_cache_write), sum(tok_reasoning), sum(cost_usd), sum(unpriced_spans), "
          "string_agg(encode(latency, 'hex'), ',') FILTER (WHERE kind = "
        + std::to_string(static_cast<int>(core::SpanKind::Llm))
        + "), sum(priced_spans) FROM span_rollup WHERE res = $1::int AND t >= $2::bigint AND t < $3::bigint"
        + (query.service.empty() ? " AND $4 = ''" : " AND service = $4")
        + (query.model.empty() ? " AND $5 = ''" : " AND model = $5") + unusedParams() + " GROUP BY 1, 2, 3, 4, 5";
    std::string raw, encoded;
    rollup::HistogramSum merged;
    for (const auto &s : run(tx, sql, params)) {
        MetricsBuilder::SpanRow row;
        row.t = i64(s[0]);
        row.kind = static_cast<core::SpanKind>(i64(s[1]));
        row.model = textView(s[2]);
        row.service = textView(s[3]);
        row.agent = textView(s[4]);
        row.spans = i64(s[5]);
        row.error_spans = i64(s[6]);
        row.input = i64(s[7]);
        row.output = i64(s[8]);
        row.cache_read = i64(s[9]);
        row.cache_write = i64(s[10]);
        row.reasoning = i64(s[11]);
        row.cost = dbl(s[12]);
        row.unpriced = i64(s[13]);
        encoded.clear();
        if (row.kind == core::SpanKind::Llm && !s[14].is_null()) {
            std::string_view list = textView(s[14]);
            while (!list.empty()) {
                const std::size_t comma = std::min(list.find(','), list.size());
                unhex(list.substr(0, comma), raw);
                if (!merged.addEncoded(raw.data(), raw.size()))
                    throw StoreError("span_rollup: latency is not a histogram");
                list.remove_prefix(std::min(comma + 1, list.size()));
            }
            encoded = merged.take().encode();
        }
        row.latency = encoded;
        row.priced = i64(s[15]);
        builder.addSpanRow(row);
    }
}

/// The traces' filters of the dashboard ($2-$5, $7), as listTraces has them.
std::string traceFilters(const MetricsQuery &query)
{
    return std::string(" WHERE start_ns >= $2::bigint AND start_ns < $3::bigint")
        + (query.service.empty() ? " AND $4 = ''" : " AND service = $4")
        + (query.model.empty() ? " AND $5 = ''" : " AND id IN (SELECT trace_rowid FROM trace_models WHERE model = $5)")
        + unusedParams();
}

/// The trace summaries counted together in SQL: one row a bucket and set of groups, with the
/// durations (for exact percentiles) as a list.
std::string traceGroupsSql(const MetricsQuery &query)
{
    const bool byAgent = query.group_by == MetricsGroupBy::AgentName || !query.agent.empty();
    return std::string("SELECT $2::bigint + (start_ns - $2::bigint) / $6::bigint * $6::bigint, ")
        + (query.group_by == MetricsGroupBy::Service ? "service" : "''") + ", "
        + (query.group_by == MetricsGroupBy::Model && query.model.empty() ? "models" : "''") + ", "
        + (query.group_by == MetricsGroupBy::SpanKind ? "kinds" : "0") + ", " + (byAgent ? "agents" : "''")
        + ", count(*), count(*) FILTER (WHERE error_count > 0), string_agg(duration_ns::text, ',') FROM traces"
        + traceFilters(query) + " GROUP BY 1, 2, 3, 4, 5";
}

/// The rows of traceGroupsSql into the answer.
void addTraceGroups(const pqxx::result &rows, MetricsBuilder &builder)
{
    std::vector<std::int64_t> durations;
    for (const auto &s : rows) {
        MetricsBuilder::TraceRow row;
        row.start = i64(s[0]);
        row.service = textView(s[1]);
        row.models = textView(s[2]);
        row.kinds = i64(s[3]);
        row.agents = textView(s[4]);
        durations.clear();
        const std::string_view list = textView(s[7]);
        for (const char *p = list.data(), *end = p + list.size(); p < end;) {
            std::int64_t d = 0;
            const auto r = std::from_chars(p, end, d);
            if (r.ec != std::errc())
                throw StoreError("traces: a duration is not a number");
            durations.push_back(d);
            p = r.ptr + 1; // past the comma
        }
        builder.addTraceGroup(row, i64(s[5]), i64(s[6]), durations);
    }
}

/// The top traces by `column` (descending, ties by trace id, as MetricsBuilder orders them) among
/// those the dashboard counts.
std::vector<core::TraceSummary> topTraces(
    pqxx::transaction_base &tx, const MetricsQuery &query, const std::vector<std::string> &params, const char *column)
{
    std::vector<std::string> p = params;
    p.push_back(std::to_string(query.top_n));
    std::vector<core::TraceSummary> out;
    for (const auto &row : run(tx,
             std::string("SELECT ") + kSummaryColumns + " FROM traces" + traceFilters(query)
                 + (query.agent.empty() ? "" : " AND $7 = ANY(string_to_array(agents, chr(31)))") + " ORDER BY "
                 + column + " DESC, trace_id LIMIT $8::int",
             p))
        out.push_back(readSummary(row));
    return out;
}

} // namespace

MetricsResult PostgresStore::metrics(const MetricsQuery &query)
{
    MetricsBuilder builder(query);
    std::vector<core::TraceSummary> slowest;
    std::vector<core::TraceSummary> costliest;
    const std::vector<std::string> params = metricsParams(query, builder);
    const std::string traceSql = traceGroupsSql(query);
    // The sums by bucket and group sort or hash every row read (100k summaries and ~115k hourly
    // rollups for 30 days of 100k traces): in memory, not in files (the default 4 MB is not enough).
    // PostgreSQL cannot tell how few groups a bucket of the start time makes: it guessed 41,630
    // where 30 days of 100k traces make 960, so it sorted every row, in parallel (three processes'
    // CPU), rather than hash them. Hashing costs less whatever the number of groups (past work_mem it
    // spills to disk, as a sort would): 263 -> 180 ms of PostgreSQL for that refresh
    // (docs/benchmarks.md). Only for the two sums; the top lists keep their index order.
    static constexpr const char *kSums = "SET LOCAL work_mem = '64MB'; SET LOCAL enable_sort = off; "
                                         "SET LOCAL max_parallel_workers_per_gather = 0";

    withReader([&](Connection &c) {
        // One snapshot: the queries see the same commit.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.db);
        tx.exec(kSums);
        // The summaries are summed on a second connection of the pool, in this transaction's
        // snapshot (as pg_dump --jobs shares one), while this one sums the rollups: the two take
        // about as long, and a refresh about half the time on two cores. With no connection free,
        // both here, one after the other.
        // A connection lent by the pool goes back to it however the work on it ends.
        struct Lent
        {
            PostgresStore *store = nullptr;
            std::unique_ptr<Connection> c;
            ~Lent()
            {
                if (c)
                    store->release(c->db.is_open() ? std::move(c) : nullptr);
            }
        };
        std::future<std::optional<pqxx::result>> traces;
        auto lent = std::make_shared<Lent>();
        lent->store = this;
        lent->c = acquire(false);
        if (lent->c) {
            const std::string snapshot = text(tx.exec("SELECT pg_export_snapshot()")[0][0]);
            traces
                = std::async(std::launch::async, [lent, &traceSql, &params, snapshot]() -> std::optional<pqxx::result> {
                      try {
                          pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> other(lent->c->db);
                          other.exec("SET TRANSACTION SNAPSHOT " + other.quote(snapshot));
                          other.exec(kSums);
                          auto rows = run(other, traceSql, params);
                          other.commit();
                          return rows;
                      } catch (const std::exception &) {
                          return std::nullopt; // summed here instead, on the refresh's own connection
                      }
                  });
        }
        readSpanRollups(tx, query, params, builder);
        // The exporting transaction stays open until the other has its rows (a snapshot can be
        // taken up only while it is).
        std::optional<pqxx::result> sums = traces.valid() ? traces.get() : std::nullopt;
        addTraceGroups(sums ? *sums : run(tx, traceSql, params), builder);
        tx.exec("SET LOCAL enable_sort = DEFAULT; SET LOCAL max_parallel_workers_per_gather = DEFAULT");
        const auto rows = run(tx,
            "SELECT name, message, count, last_seen_ns, example_trace FROM error_rollup "
            "WHERE res = $1::int AND t >= $2::bigint AND t < $3::bigint"
                + std::string(query.service.empty() ? " AND $4 = ''" : " AND service = $4")
                + (query.model.empty() ? " AND $5 = ''" : " AND model = $5") + unusedParams(),
            params);
        for (const auto &s : rows) {
            core::TraceId example {};
            unbytea(s[4], example);
            builder.addErrorRow(text(s[0]), text(s[1]), i64(s[2]), i64(s[3]), example);
        }
        slowest = topTraces(tx, query, params, "duration_ns");
        costliest = topTraces(tx, query, params, "cost_usd");
        tx.commit();
    });
    return builder.finish(std::move(slowest), std::move(costliest));
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
                                                     "3600 AND kind NOT IN ("
            + std::to_string(static_cast<int>(core::SpanKind::Agent)) + ", "
            + std::to_string(static_cast<int>(core::SpanKind::Chain)) + ")")[0][0]));
    });

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
FROM spans WHERE id > $1::bigint AND id <= $2::bigint AND kind NOT IN ($3::int, $4::int) ORDER BY id
LIMIT $5::int)sql",
                { std::to_string(after), std::to_string(lastId),
                    std::to_string(static_cast<int>(core::SpanKind::Agent)),
                    std::to_string(static_cast<int>(core::SpanKind::Chain)), std::to_string(kBatch) });
            rollup::RepriceBatch changes;
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
                readTokens(q, 13, span.tokens);
                if (!q[19].is_null())
                    span.cost_usd = dbl(q[19]);
                span.price_ref = text(q[20]);
                span.session_id = text(q[21]);
                span.user_id = text(q[22]);
                if (span.tokens.empty())
                    continue;
                const core::Span before = span;
                if (!price(span) || (span.cost_usd == before.cost_usd && span.price_ref == before.price_ref))
                    continue;
                ids.i64(id);
                costs.optDbl(span.cost_usd);
                refs.textOrNull(span.price_ref);
                ++changed;
                changes.add(before, span);
            }
            if (!changes.empty()) {
                run(tx,
                    "UPDATE spans s SET cost_usd = u.cost, price_ref = u.ref FROM unnest($1::bigint[], $2::float8[], "
                    "$3::text[]) AS u(id, cost, ref) WHERE s.id = u.id",
                    { ids.finish(), costs.finish(), refs.finish() });
                ArrayBuilder tid, tcost, tpriced, tunpriced;
                for (const auto &[traceId, ch] : changes.traces()) {
                    tid.bytes(traceId);
                    tcost.dbl(ch.cost);
                    tpriced.i64(ch.priced);
                    tunpriced.i64(ch.unpriced);
                }
                run(tx,
                    "UPDATE traces t SET cost_usd = t.cost_usd + u.cost, priced_spans = t.priced_spans + u.priced, "
                    "unpriced_spans = t.unpriced_spans + u.unpriced FROM unnest($1::bytea[], $2::float8[], "
                    "$3::bigint[], $4::bigint[]) AS u(tid, cost, priced, unpriced) WHERE t.trace_id = u.tid",
                    { tid.finish(), tcost.finish(), tpriced.finish(), tunpriced.finish() });
                ArrayBuilder res, tt, kind, model, service, agent, rcost, rpriced, runpriced;
                for (const auto &[k, ch] : changes.rows()) {
                    res.i64(std::get<0>(k));
                    tt.i64(std::get<1>(k));
                    kind.i64(std::get<2>(k));
                    model.text(std::get<3>(k));
                    service.text(std::get<4>(k));
                    agent.text(std::get<5>(k));
                    rcost.dbl(ch.cost);
                    rpriced.i64(ch.priced);
                    runpriced.i64(ch.unpriced);
                }
                run(tx,
                    "UPDATE span_rollup r SET cost_usd = r.cost_usd + u.cost, priced_spans = r.priced_spans + "
                    "u.priced, unpriced_spans = r.unpriced_spans + u.unpriced FROM unnest($1::int[], $2::bigint[], "
                    "$3::int[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::bigint[], $9::bigint[]) "
                    "AS u(res, t, kind, model, service, agent, cost, priced, unpriced) "
                    "WHERE (r.res, r.t, r.kind, r.model, r.service, r.agent) = (u.res, u.t, u.kind, u.model, "
                    "u.service, u.agent)",
                    { res.finish(), tt.finish(), kind.finish(), model.finish(), service.finish(), agent.finish(),
                        rcost.finish(), rpriced.finish(), runpriced.finish() });
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
