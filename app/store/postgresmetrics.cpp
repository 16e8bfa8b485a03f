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
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>

namespace agentops::store {

using namespace pg;

MetricsResult PostgresStore::metrics(const MetricsQuery &query)
{
    MetricsBuilder builder(query);
    std::vector<core::TraceSummary> slowest;
    std::vector<core::TraceSummary> costliest;

    withReader([&](Connection &c) {
        // One snapshot: the three queries see the same commit.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.db);
        // $4 and $5 are always bound; an empty one matches everything.
        const std::vector<std::string> params { std::to_string(builder.resolution() / rollup::kSecondNs),
            std::to_string(builder.from()), std::to_string(builder.to()), query.service, query.model };
        const std::string filters = std::string(query.service.empty() ? "" : " AND service = $4")
            + (query.model.empty() ? " AND $5 = ''" : " AND model = $5")
            + (query.service.empty() ? " AND $4 = ''" : "");
        {
            const auto rows = run(tx,
                "SELECT t, kind, model, service, agent, spans, error_spans, tok_input, tok_output, tok_cache_read, "
                "tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency, priced_spans FROM span_rollup "
                "WHERE res = $1::int AND t >= $2::bigint AND t < $3::bigint"
                    + filters,
                params);
            std::string latency;
            for (const auto &s : rows) {
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
                // Only LLM rows' histograms are read; decoding the others would be waste.
                latency = row.kind == core::SpanKind::Llm ? unbytea(s[14]) : std::string();
                row.latency = latency;
                row.priced = i64(s[15]);
                builder.addSpanRow(row);
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
            for (const auto &s : rows) {
                MetricsBuilder::TraceRow row;
                row.rowid = i64(s[0]);
                unbytea(s[1], row.id);
                row.start = i64(s[2]);
                row.duration = i64(s[3]);
                row.error = i64(s[4]) > 0;
                row.cost = dbl(s[5]);
                row.service = textView(s[6]);
                row.models = textView(s[7]);
                row.kinds = i64(s[8]);
                row.agents = textView(s[9]);
                builder.addTraceRow(row);
            }
        }
        {
            const auto rows = run(tx,
                "SELECT name, message, count, last_seen_ns, example_trace FROM error_rollup "
                "WHERE res = $1::int AND t >= $2::bigint AND t < $3::bigint"
                    + filters,
                params);
            for (const auto &s : rows) {
                core::TraceId example {};
                unbytea(s[4], example);
                builder.addErrorRow(text(s[0]), text(s[1]), i64(s[2]), i64(s[3]), example);
            }
        }

        // The summaries of the top traces, in the builder's order.
        auto summaries = [&](const std::vector<std::int64_t> &rowids) {
            std::vector<core::TraceSummary> out;
            if (rowids.empty())
                return out;
            ArrayBuilder ids;
            for (const std::int64_t id : rowids)
                ids.i64(id);
            std::map<std::int64_t, core::TraceSummary> byRowid;
            for (const auto &row :
                run(tx, std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE id = ANY($1::bigint[])",
                    { ids.finish() }))
                byRowid.emplace(i64(row[0]), readSummary(row));
            for (const std::int64_t id : rowids) {
                auto it = byRowid.find(id);
                if (it != byRowid.end())
                    out.push_back(it->second);
            }
            return out;
        };
        slowest = summaries(builder.slowestRowids());
        costliest = summaries(builder.costliestRowids());
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
