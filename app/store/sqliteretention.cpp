// SPDX-License-Identifier: MIT
// Retention for SqliteStore: deletes whole old traces in small transactions and takes their share
// out of every aggregate the writer keeps (trace_models, span_rollup, error_rollup), so the store
// afterwards answers exactly as one into which only the remaining spans were written.
//
// Payloads (input, output, attributes, events, links) live in the span rows, and payload_refs
// point into the same row, so they go with their spans. Resource rows are shared by every span of
// a producer process and are kept: finding out whether one is still used would scan all spans (no
// index on spans.resource_id), and there is one per distinct resource, not per span.
#include "store/rollup.h"
#include "store/rolluprows.h"
#include "store/sqlitereader.h"
#include "store/sqlitestore.h"
#include "store/sqlitetraceids.h"
#include "store/sqliteutil.h"
#include "store/tracedelta.h"

#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace agentops::store {

using namespace sqlite;

namespace {

/// One call stops adding traces once it holds this many spans (it always takes at least one
/// trace), so a batch of big traces does not hold the writer for long.
constexpr std::int64_t kMaxSpansPerCall = 20'000;

struct Victim
{
    std::int64_t rowid = 0;
    core::TraceId id {};
    std::string models; ///< unit-separator-joined, as in traces.models
};

/// A victim from a row of `id, trace_id, models`.
Victim readVictim(const Stmt &q)
{
    Victim v;
    v.rowid = q.i64(0);
    q.blob(1, v.id);
    v.models = q.text(2);
    return v;
}

/// The fields the rollups are keyed and summed by, of every span of the victims.
std::vector<core::Span> readVictimSpans(sqlite3 *db, const std::vector<Victim> &victims)
{
    std::vector<core::Span> spans;
    {
        Stmt q(db,
            "SELECT kind, start_ns, end_ns, status, status_message, name, service, request_model, "
            "response_model, agent_name, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, "
            "tok_reasoning, cost_usd FROM spans WHERE trace_rowid = ?1");
        for (const Victim &v : victims) {
            ResetGuard g { q };
            q.bind(1, v.rowid);
            while (q.step()) {
                core::Span s;
                s.trace_id = v.id;
                s.kind = static_cast<core::SpanKind>(q.i64(0));
                s.start_ns = q.i64(1);
                s.end_ns = q.i64(2);
                s.status = static_cast<core::StatusCode>(q.i64(3));
                s.status_message = q.text(4);
                s.name = q.text(5);
                s.service_name = q.text(6);
                s.request_model = q.text(7);
                s.response_model = q.text(8);
                s.agent_name = q.text(9);
                readTokens(q, 10, s.tokens);
                if (!q.isNull(16))
                    s.cost_usd = q.dbl(16);
                spans.push_back(std::move(s));
            }
        }
    }
    return spans;
}

/// Deletes the victims' spans, model index rows and summaries, and queues their search rows for
/// deletion.
void deleteVictimRows(sqlite3 *db, const std::vector<Victim> &victims)
{
    {
        Stmt delSpans(db, "DELETE FROM spans WHERE trace_rowid = ?1");
        Stmt delModel(db, "DELETE FROM trace_models WHERE model = ?1 AND trace_rowid = ?2");
        Stmt delTrace(db, "DELETE FROM traces WHERE id = ?1");
        // For the search index beside the database (searchindex.h), which deletes their rows.
        Stmt queueSearch(db, "INSERT INTO search_queue(trace_rowid) VALUES(?1)");
        for (const Victim &v : victims) {
            {
                ResetGuard g { delSpans };
                delSpans.bind(1, v.rowid);
                delSpans.step();
            }
            {
                ResetGuard g { queueSearch };
                queueSearch.bind(1, v.rowid);
                queueSearch.step();
            }
            forEachSetItem(v.models, [&](std::string_view model) {
                ResetGuard g { delModel };
                delModel.bindTextStatic(1, model);
                delModel.bind(2, v.rowid);
                delModel.step();
            });
            ResetGuard g { delTrace };
            delTrace.bind(1, v.rowid);
            delTrace.step();
        }
    }
}

/// span_rollup: every sum minus the deleted spans' share; a row left with no spans goes, as it
/// would never have been written.
void subtractSpanRollups(sqlite3 *db, const rollup::BatchRollup &gone)
{
    {
        const char *key = " WHERE res = ?1 AND t = ?2 AND kind = ?3 AND model = ?4 AND service = ?5 AND agent = ?6";
        Stmt get(db, std::string("SELECT spans, latency FROM span_rollup") + key);
        Stmt upd(db,
            std::string("UPDATE span_rollup SET spans = spans - ?7, error_spans = error_spans - ?8, "
                        "tok_input = tok_input - ?9, tok_output = tok_output - ?10, "
                        "tok_cache_read = tok_cache_read - ?11, tok_cache_write = tok_cache_write - ?12, "
                        "tok_reasoning = tok_reasoning - ?13, cost_usd = cost_usd - ?14, "
                        "unpriced_spans = unpriced_spans - ?15, latency = ?16, priced_spans = priced_spans - ?17")
                + key);
        Stmt del(db, std::string("DELETE FROM span_rollup") + key);
        auto bindKey = [](Stmt &s, const rollup::SpanKey &k) {
            StmtRow row { s };
            rollup::spanKeyColumns(row, k);
        };
        std::string latency;
        for (const auto &[k, a] : gone.spans()) {
            std::int64_t have = 0;
            {
                ResetGuard g { get };
                bindKey(get, k);
                if (!get.step())
                    continue; // nothing to take from (rollups written before they existed)
                have = get.i64(0);
                rollup::Histogram left;
                const auto blob = get.blobView(1);
                if (!left.mergeEncoded(blob.data(), blob.size()))
                    throw StoreError("span_rollup: latency is not a histogram");
                left.subtract(a.latency);
                latency = left.encode();
            }
            if (have <= a.spans) {
                ResetGuard g { del };
                bindKey(del, k);
                del.step();
                continue;
            }
            ResetGuard g { upd };
            StmtRow row { upd };
            rollup::spanKeyColumns(row, k);
            rollup::spanSumColumns(row, a, latency); // the statement takes them away
            upd.step();
        }
    }
}

/// error_rollup: counts minus the deleted errors. When the latest error of a row was among them, the
/// latest remaining one is looked up: it belongs to a trace that started before the row's bucket ends
/// and ended after it begins, and as the oldest traces go first those are few (the traces table's
/// start index narrows them, the spans' id index finds their spans).
void subtractErrorRollups(sqlite3 *db, const rollup::BatchRollup &gone)
{
    const char *key = " WHERE res = ?1 AND t = ?2 AND name = ?3 AND message = ?4 AND service = ?5 AND model = ?6";
    Stmt get(db, std::string("SELECT count, last_seen_ns FROM error_rollup") + key);
    Stmt upd(db, std::string("UPDATE error_rollup SET count = count - ?7") + key);
    Stmt updLatest(
        db, std::string("UPDATE error_rollup SET count = count - ?7, last_seen_ns = ?8, example_trace = ?9") + key);
    Stmt del(db, std::string("DELETE FROM error_rollup") + key);
    // Ties go to the span stored first, as the writer's upsert keeps the earlier example.
    Stmt latest(db, R"sql(
SELECT s.start_ns, s.trace_id FROM traces t CROSS JOIN spans s
WHERE t.start_ns < ?2 AND t.end_ns >= ?1 AND t.error_count > 0 AND s.trace_rowid = t.id
AND s.status = 2 AND s.start_ns >= ?1 AND s.start_ns < ?2 AND s.name = ?3
AND coalesce(s.status_message, '') = ?4 AND coalesce(s.service, '') = ?5
AND coalesce(nullif(s.response_model, ''), s.request_model, '') = ?6
ORDER BY s.start_ns DESC, s.id LIMIT 1)sql");
    auto bindKey = [](Stmt &s, const rollup::ErrorKey &k) {
        StmtRow row { s };
        rollup::errorKeyColumns(row, k);
    };
    for (const auto &[k, e] : gone.errors()) {
        std::int64_t count = 0, lastSeen = 0;
        {
            ResetGuard g { get };
            bindKey(get, k);
            if (!get.step())
                continue;
            count = get.i64(0);
            lastSeen = get.i64(1);
        }
        if (count <= e.count) {
            ResetGuard g { del };
            bindKey(del, k);
            del.step();
            continue;
        }
        if (e.last_seen < lastSeen) { // the latest error stays
            ResetGuard g { upd };
            bindKey(upd, k);
            upd.bind(7, e.count);
            upd.step();
            continue;
        }
        std::int64_t newest = 0;
        core::TraceId example {};
        bool found = false;
        {
            ResetGuard g { latest };
            latest.bind(1, k.t);
            latest.bind(2, k.t + k.res);
            latest.bindTextStatic(3, k.name);
            latest.bindTextStatic(4, k.message);
            latest.bindTextStatic(5, k.service);
            latest.bindTextStatic(6, k.model);
            if (latest.step()) {
                found = true;
                newest = latest.i64(0);
                latest.blob(1, example);
            }
        }
        if (!found) { // the row counted spans that are not stored: nothing to point at
            ResetGuard g { del };
            bindKey(del, k);
            del.step();
            continue;
        }
        ResetGuard g { updLatest };
        bindKey(updLatest, k);
        updLatest.bind(7, e.count);
        updLatest.bind(8, newest);
        updLatest.bindBlob(9, example.data(), example.size());
        updLatest.step();
    }
}

/// Deletes the victims whole inside the caller's transaction: rows, their share of the rollups, and
/// (queued) their search index rows.
void deleteVictims(sqlite3 *db, const std::vector<Victim> &victims, SearchIndex *search)
{
    const std::vector<core::Span> spans = readVictimSpans(db, victims);
    // Filled only now: the rollup's keys point into the spans, which must not move any more.
    rollup::BatchRollup gone;
    for (const core::Span &s : spans)
        gone.add(s);
    gone.finish();
    deleteVictimRows(db, victims);
    subtractSpanRollups(db, gone);
    subtractErrorRollups(db, gone);
    // The newest spans may have gone, and their row ids come back for new spans: the index reads
    // again from the highest row id left.
    exec(db, "INSERT INTO search_queue(spans_after) SELECT coalesce(max(id), 0) FROM spans");
    if (search) { // what the index has carried out need not be queued any more
        Stmt done(db, "DELETE FROM search_queue WHERE seq <= ?1");
        done.bind(1, search->deletesDone());
        done.step();
    }
}

/// The traces a selection picks, oldest first. A session's or user's traces are those whose summary
/// names it and those with a span that does (a scan of the spans: erasure is rare, and an index on
/// them would cost every write).
std::vector<Victim> selectVictims(sqlite3 *db, const TraceSelection &selection, std::int64_t *spanCount)
{
    core::TraceId id {};
    checkSelection(selection, id);
    std::string sql = "SELECT id, trace_id, models, span_count FROM traces WHERE ";
    if (selection.by == TraceSelection::By::Trace)
        sql += "id = " + traceRowidSql(1);
    else {
        const std::string column = selection.by == TraceSelection::By::Session ? "session_id" : "user_id";
        sql += column + " = ?1 OR id IN (SELECT trace_rowid FROM spans WHERE " + column + " = ?1)";
    }
    Stmt q(db, sql + " ORDER BY start_ns, id");
    if (selection.by == TraceSelection::By::Trace)
        q.bindBlob(1, id.data(), id.size());
    else
        q.bindText(1, selection.id);
    std::vector<Victim> victims;
    while (q.step()) {
        if (spanCount)
            *spanCount += q.i64(3);
        victims.push_back(readVictim(q));
    }
    return victims;
}

} // namespace

std::vector<core::TraceId> SqliteStore::selectTraces(const TraceSelection &selection)
{
    auto reader = acquireReader();
    std::vector<core::TraceId> out;
    for (const Victim &v : selectVictims(reader->db, selection, nullptr))
        out.push_back(v.id);
    releaseReader(std::move(reader));
    return out;
}

EraseStats SqliteStore::erase(const TraceSelection &selection)
{
    core::TraceId checked {};
    checkSelection(selection, checked); // before any lock: a bad id is the caller's mistake
    EraseStats stats;
    {
        std::lock_guard lock(m_writeMutex);
        if (!m_stmts)
            throw StoreError("database schema is not current; cannot erase traces");
        forgetRecentTraces();
        // The writer runs with secure_delete on (openConnection): the deleted rows' bytes are zeroed
        // in their pages, and pages that fall free are zeroed too, in the same transaction.
        exec(m_writer, "BEGIN IMMEDIATE");
        try {
            std::int64_t spans = 0;
            const auto victims = selectVictims(m_writer, selection, &spans);
            if (!victims.empty()) {
                deleteVictims(m_writer, victims, m_search.get());
                // Resources no span uses any more (a scan; erasure is rare): a resource may name the user.
                exec(m_writer,
                    "DELETE FROM resources WHERE id NOT IN (SELECT resource_id FROM spans WHERE resource_id IS NOT "
                    "NULL)");
                ++m_readerGeneration; // pooled readers cache resources by row id, which may be given again
            }
            exec(m_writer, "COMMIT");
            stats.traces = victims.size();
            stats.spans = static_cast<std::size_t>(spans);
        } catch (...) {
            sqlite3_exec(m_writer, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
        if (stats.traces == 0)
            return stats;
        // Earlier versions of the pages are still in the WAL (and in the database file until a
        // checkpoint copies the new ones over them): copy everything back and empty the WAL.
        truncateWal(m_writer, m_path);
    }
    if (m_search) {
        m_search->committed(0);
        if (!m_search->purge())
            throw StoreError(
                "the traces are erased, but the search index could not purge them: " + m_search->progress().error);
    } else if (std::ifstream(SearchIndex::pathFor(m_path)).good()) {
        removeSearchIndex(m_path); // an index this store does not keep up: derived data, made again when used
    }
    return stats;
}

std::size_t SqliteStore::deleteTracesBefore(std::int64_t cutoff_ns, std::size_t max_traces)
{
    if (max_traces == 0)
        return 0;
    std::lock_guard lock(m_writeMutex);
    if (!m_stmts)
        throw StoreError("database schema is not current; cannot delete traces");
    std::size_t deleted = 0;
    forgetRecentTraces(); // the writer's row ids of traces stored lately may be about to go
    exec(m_writer, "BEGIN IMMEDIATE");
    try {
        // The oldest traces first, so every remaining trace started no earlier than any deleted one.
        std::vector<Victim> victims;
        {
            Stmt q(m_writer,
                "SELECT id, trace_id, models, span_count FROM traces WHERE start_ns < ?1 ORDER BY start_ns, id "
                "LIMIT ?2");
            q.bind(1, cutoff_ns);
            q.bind(2, static_cast<std::int64_t>(std::min<std::size_t>(max_traces, INT64_MAX)));
            std::int64_t spans = 0;
            while (q.step()) {
                if (!victims.empty() && spans + q.i64(3) > kMaxSpansPerCall)
                    break;
                spans += q.i64(3);
                victims.push_back(readVictim(q));
            }
        }
        if (victims.empty()) {
            exec(m_writer, "COMMIT");
            return 0;
        }
        deleteVictims(m_writer, victims, m_search.get());
        exec(m_writer, "COMMIT");
        deleted = victims.size();
    } catch (...) {
        sqlite3_exec(m_writer, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    if (m_search)
        m_search->committed(0);
    return deleted;
}

} // namespace agentops::store
