// SPDX-License-Identifier: MIT
// Dashboard metrics and re-pricing over the rollups the writer maintains (rollup.h).
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
#include "store/rollup.h"
#include "store/sqlitemodelkeys.h"
#include "store/sqlitereader.h"
#include "store/sqlitestore.h"
#include "store/sqlitetraceids.h"
#include "store/sqliteutil.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>

namespace agentops::store {

using namespace sqlite;

MetricsResult SqliteStore::metrics(const MetricsQuery &query)
{
    MetricsBuilder builder(query);
    const std::int64_t from = builder.from();
    const std::int64_t to = builder.to();
    const std::int64_t res = builder.resolution();
    std::vector<core::TraceSummary> slowest;
    std::vector<core::TraceSummary> costliest;

    auto reader = acquireReader();
    sqlite3 *db = reader->db;
    // One read transaction: the three queries see the same commit.
    exec(db, "BEGIN");
    try {
        {
            std::string sql = "SELECT t, kind, model, service, agent, spans, error_spans, tok_input, tok_output, "
                              "tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency, "
                              "priced_spans "
                              "FROM span_rollup WHERE res = ?1 AND t >= ?2 AND t < ?3";
            if (!query.service.empty())
                sql += " AND service = ?4";
            if (!query.model.empty())
                sql += " AND model = ?5";
            Stmt s(db, sql);
            s.bind(1, res / rollup::kSecondNs);
            s.bind(2, from);
            s.bind(3, to);
            if (!query.service.empty())
                s.bindText(4, query.service);
            if (!query.model.empty())
                s.bindText(5, query.model);
            while (s.step()) {
                MetricsBuilder::SpanRow row;
                row.t = s.i64(0);
                row.kind = static_cast<core::SpanKind>(s.i64(1));
                row.model = s.textView(2);
                row.service = s.textView(3);
                row.agent = s.textView(4);
                row.spans = s.i64(5);
                row.error_spans = s.i64(6);
                row.input = s.i64(7);
                row.output = s.i64(8);
                row.cache_read = s.i64(9);
                row.cache_write = s.i64(10);
                row.reasoning = s.i64(11);
                row.cost = s.dbl(12);
                row.unpriced = s.i64(13);
                row.latency = s.blobView(14);
                row.priced = s.i64(15);
                builder.addSpanRow(row);
            }
        }
        {
            std::string sql = "SELECT id, trace_id, start_ns, duration_ns, error_count, cost_usd, service, models, "
                              "kinds, agents FROM traces WHERE start_ns >= ?1 AND start_ns < ?2";
            if (!query.service.empty())
                sql += " AND service = ?3";
            if (!query.model.empty())
                sql += " AND id IN (SELECT trace_rowid FROM trace_models WHERE model = ?4)";
            Stmt s(db, sql);
            s.bind(1, from);
            s.bind(2, to);
            if (!query.service.empty())
                s.bindText(3, query.service);
            if (!query.model.empty())
                s.bindText(4, query.model);
            while (s.step()) {
                MetricsBuilder::TraceRow row;
                row.rowid = s.i64(0);
                s.blob(1, row.id);
                row.start = s.i64(2);
                row.duration = s.i64(3);
                row.error = s.i64(4) > 0;
                row.cost = s.dbl(5);
                row.service = s.textView(6);
                row.models = s.textView(7);
                row.kinds = s.i64(8);
                row.agents = s.textView(9);
                builder.addTraceRow(row);
            }
        }
        {
            std::string sql = "SELECT name, message, count, last_seen_ns, example_trace FROM error_rollup "
                              "WHERE res = ?1 AND t >= ?2 AND t < ?3";
            if (!query.service.empty())
                sql += " AND service = ?4";
            if (!query.model.empty())
                sql += " AND model = ?5";
            Stmt s(db, sql);
            s.bind(1, res / rollup::kSecondNs);
            s.bind(2, from);
            s.bind(3, to);
            if (!query.service.empty())
                s.bindText(4, query.service);
            if (!query.model.empty())
                s.bindText(5, query.model);
            while (s.step()) {
                core::TraceId example {};
                s.blob(4, example);
                builder.addErrorRow(s.text(0), s.text(1), s.i64(2), s.i64(3), example);
            }
        }
        slowest = summariesByRowid(*reader, builder.slowestRowids());
        costliest = summariesByRowid(*reader, builder.costliestRowids());
        exec(db, "COMMIT");
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        releaseReader(std::move(reader));
        throw;
    }
    releaseReader(std::move(reader));
    return builder.finish(std::move(slowest), std::move(costliest));
}

std::size_t SqliteStore::reprice(const std::function<bool(core::Span &)> &price,
    const std::function<bool(std::size_t done, std::size_t total)> &progress)
{
    // Small transactions, the writer lock taken per batch: ingest waits for one batch at most.
    constexpr int kBatch = 2000;
    std::int64_t lastId = 0;
    std::size_t total = 0;
    {
        std::lock_guard lock(m_writeMutex);
        if (!m_stmts)
            throw StoreError("database schema is not current; cannot write");
        // Spans stored from here on were priced at ingest with the new prices: stop at today's last.
        Stmt s(m_writer, "SELECT coalesce(max(id), 0) FROM spans");
        s.step();
        lastId = s.i64(0);
        Stmt c(m_writer,
            "SELECT coalesce(sum(spans), 0) FROM span_rollup WHERE res = 3600 AND kind NOT IN ("
                + std::to_string(static_cast<int>(core::SpanKind::Agent)) + ", "
                + std::to_string(static_cast<int>(core::SpanKind::Chain)) + ")");
        c.step();
        total = static_cast<std::size_t>(c.i64(0));
    }

    std::size_t done = 0;
    std::size_t changed = 0;
    std::int64_t after = 0;
    for (;;) {
        std::size_t visited = 0;
        {
            std::lock_guard lock(m_writeMutex);
            exec(m_writer, "BEGIN IMMEDIATE");
            try {
                Stmt select(m_writer, R"sql(
SELECT id, trace_id, span_id, name, kind, start_ns, end_ns, status, service, request_model, response_model, provider,
    agent_name, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref,
    session_id, user_id
FROM spans WHERE id > ?1 AND id <= ?2 AND kind NOT IN (?3, ?4) ORDER BY id LIMIT ?5)sql");
                Stmt update(m_writer, "UPDATE spans SET cost_usd = ?1, price_ref = ?2 WHERE id = ?3");
                Stmt updateTrace(m_writer,
                    "UPDATE traces SET cost_usd = cost_usd + ?1, priced_spans = priced_spans + ?2, "
                    "unpriced_spans = unpriced_spans + ?3 WHERE id = "
                        + traceRowidSql(4));
                Stmt updateRollup(m_writer,
                    "UPDATE span_rollup SET cost_usd = cost_usd + ?1, priced_spans = priced_spans + ?2, "
                    "unpriced_spans = unpriced_spans + ?3 "
                    "WHERE res = ?4 AND t = ?5 AND kind = ?6 AND model = ?7 AND service = ?8 AND agent = ?9");
                ModelKeys modelKeys(m_writer);
                rollup::RepriceBatch changes;
                select.bind(1, after);
                select.bind(2, lastId);
                select.bind(3, static_cast<int>(core::SpanKind::Agent));
                select.bind(4, static_cast<int>(core::SpanKind::Chain));
                select.bind(5, kBatch);
                std::int64_t batchLast = after;
                while (select.step()) {
                    ++visited;
                    const std::int64_t id = select.i64(0);
                    batchLast = id;
                    core::Span span;
                    select.blob(1, span.trace_id);
                    select.blob(2, span.span_id);
                    span.name = select.text(3);
                    span.kind = static_cast<core::SpanKind>(select.i64(4));
                    span.start_ns = select.i64(5);
                    span.end_ns = select.i64(6);
                    span.status = static_cast<core::StatusCode>(select.i64(7));
                    span.service_name = select.text(8);
                    span.request_model = select.text(9);
                    span.response_model = select.text(10);
                    span.provider = select.text(11);
                    span.agent_name = select.text(12);
                    readTokens(select, 13, span.tokens);
                    if (!select.isNull(19))
                        span.cost_usd = select.dbl(19);
                    span.price_ref = select.text(20);
                    span.session_id = select.text(21);
                    span.user_id = select.text(22);
                    if (span.tokens.empty())
                        continue;
                    const core::Span before = span;
                    if (!price(span) || (span.cost_usd == before.cost_usd && span.price_ref == before.price_ref))
                        continue;
                    {
                        ResetGuard g { update };
                        update.bindOpt(1, span.cost_usd);
                        update.bindTextOrNull(2, span.price_ref);
                        update.bind(3, id);
                        update.step();
                    }
                    ++changed;
                    changes.add(before, span);
                }
                for (const auto &[traceId, c] : changes.traces()) {
                    ResetGuard g { updateTrace };
                    updateTrace.bind(1, c.cost);
                    updateTrace.bind(2, c.priced);
                    updateTrace.bind(3, c.unpriced);
                    updateTrace.bindBlob(4, traceId.data(), traceId.size());
                    updateTrace.step();
                    modelKeys.followTraceId(traceId.data(), traceId.size());
                }
                for (const auto &[k, c] : changes.rows()) {
                    ResetGuard g { updateRollup };
                    updateRollup.bind(1, c.cost);
                    updateRollup.bind(2, c.priced);
                    updateRollup.bind(3, c.unpriced);
                    updateRollup.bind(4, std::get<0>(k));
                    updateRollup.bind(5, std::get<1>(k));
                    updateRollup.bind(6, std::get<2>(k));
                    updateRollup.bindTextStatic(7, std::get<3>(k));
                    updateRollup.bindTextStatic(8, std::get<4>(k));
                    updateRollup.bindTextStatic(9, std::get<5>(k));
                    updateRollup.step();
                }
                exec(m_writer, "COMMIT");
                after = batchLast;
            } catch (...) {
                sqlite3_exec(m_writer, "ROLLBACK", nullptr, nullptr, nullptr);
                throw;
            }
        }
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
