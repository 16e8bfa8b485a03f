// SPDX-License-Identifier: MIT
#include "store/sqlitestore.h"

#include "core/spanjson.h"
#include "store/cursor.h"
#include "store/migrations.h"
#include "store/newspans.h"
#include "store/privatefiles.h"
#include "store/rollup.h"
#include "store/rolluprows.h"
#include "store/spanrow.h"
#include "store/sqlitemodelkeys.h"
#include "store/sqlitereader.h"
#include "store/sqlitetraceids.h"
#include "store/sqliteutil.h"
#include "store/storagesize.h"
#include "store/toolfailures.h"
#include "store/tracedelta.h"
#include "store/tracelistsql.h"
#include "store/traceorder.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace agentops::store {

using core::Span;
using core::TraceSummary;

namespace {

using namespace sqlite;

// agentops_merge_set(a, b): union of two sorted, unit-separator-joined sets. Keeps the models column
// of a trace summary right when one trace's spans arrive over many batches.
void mergeSetFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    auto text = [](sqlite3_value *v) {
        const auto *p = sqlite3_value_text(v);
        return p ? std::string_view(reinterpret_cast<const char *>(p), static_cast<std::size_t>(sqlite3_value_bytes(v)))
                 : std::string_view();
    };
    const std::string out = mergeSets(text(argv[0]), text(argv[1]));
    sqlite3_result_text(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

sqlite3 *openConnection(const std::string &path, bool readOnly, const SqliteStore::Options &options)
{
    // Memory statistics take a global mutex on every allocation, which the writer does per row.
    // Only takes effect before SQLite is first used in the process.
    static std::once_flag configured;
    std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    sqlite3 *db = nullptr;
    const int flags
        = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        throw StoreError("cannot open database " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    sqlite3_extended_result_codes(db, 1);
    if (sqlite3_create_function(db, "agentops_merge_set", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
            &mergeSetFunction, nullptr, nullptr)
            != SQLITE_OK
        || rollup::registerFunctions(db) != SQLITE_OK) {
        sqlite3_close(db);
        throw StoreError("cannot register SQL functions");
    }
    try {
        if (!readOnly) {
            // Span rows are 1-4 KiB: on 4 KiB pages the large ones spill into overflow pages. 16 KiB
            // pages made the file a third smaller and inserts faster (docs/benchmarks.md). Only takes
            // effect while the file is still empty.
            exec(db, "PRAGMA page_size=16384");
            exec(db, "PRAGMA journal_mode=WAL");
            // Deleted and overwritten rows are zeroed in their pages, and freed pages too: text that
            // was erased (or deleted by retention) stays in no free space of the file. Costs I/O only
            // where pages fall free; an earlier version of the page stays in the WAL until a
            // checkpoint, which erasure runs itself (SqliteStore::erase).
            exec(db, "PRAGMA secure_delete=ON");
            exec(db, options.sync == SqliteStore::Sync::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            // Checkpoints are run by the store's WalCheckpointer, not inside the writer's commits.
            if (options.max_page_count > 0)
                exec(db, ("PRAGMA max_page_count=" + std::to_string(options.max_page_count)).c_str());
        }
        exec(db, "PRAGMA temp_store=MEMORY");
        exec(db, "PRAGMA cache_size=-32768");
        exec(db, "PRAGMA mmap_size=268435456");
    } catch (...) {
        sqlite3_close(db);
        throw;
    }
    return db;
}

/// The schema version this build writes: the number of migration steps.
int latestVersion()
{
    return static_cast<int>(sqliteMigrations().size());
}

// Columns of a summary row, in the order readSummary expects.
const char *const kSummaryColumns
    = "id, trace_id, root_span_id, name, service, start_ns, end_ns, span_count, error_count, tok_input, tok_output, "
      "tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, models, session_id, "
      "user_id, priced_spans";
constexpr int kSummaryColumnCount = 21;

TraceSummary readSummary(const Stmt &s)
{
    TraceSummary t;
    s.blob(1, t.trace_id);
    core::SpanId root {};
    if (s.blob(2, root))
        t.root_span_id = core::toHex(root);
    t.name = s.text(3);
    t.service_name = s.text(4);
    t.start_ns = s.i64(5);
    t.end_ns = s.i64(6);
    t.span_count = s.i64(7);
    t.error_count = s.i64(8);
    t.input_tokens = s.i64(9);
    t.output_tokens = s.i64(10);
    t.total_tokens = s.i64(11);
    t.cache_read_tokens = s.i64(12);
    t.cache_write_tokens = s.i64(13);
    t.reasoning_tokens = s.i64(14);
    t.cost_usd = s.dbl(15);
    t.unpriced_spans = s.i64(16);
    forEachSetItem(s.textView(17), [&](std::string_view model) { t.models.emplace_back(model); });
    t.session_id = s.text(18);
    t.user_id = s.text(19);
    t.priced_spans = s.i64(20);
    return t;
}

struct IdHash
{
    std::size_t operator()(const core::TraceId &id) const noexcept
    {
        std::size_t h;
        std::memcpy(&h, id.data() + 8, sizeof h); // ids are random: any 8 bytes hash well
        return h;
    }
};

/// A trace of a write batch with its summary's row id, which its spans are keyed by. A trace stored
/// lately has it from RecentTraces. Any other is most likely new: it is summed up as if it were (its
/// spans all new but for repeats within the batch, which `seen` leaves out as the span insert will)
/// and its summary row inserted before its spans. Where a trace turns out to be known already, the
/// insert does nothing and its row id is looked up. A known trace's summary is added to from the
/// spans actually inserted, after them.
struct BatchTrace
{
    std::int64_t rowid = 0;
    bool fresh = true;
    TraceDelta delta;
    std::unordered_set<std::uint64_t> seen; ///< span ids, while the trace counts as new
};
using BatchTraces = std::unordered_map<core::TraceId, BatchTrace, IdHash>;

/// Marks the tool spans whose failure a batch's model calls report (store/toolfailures.h), each call
/// of a trace of the batch, and adds what changes to the trace summaries and to `rollups`; `marked`
/// keeps the spans the rollups' keys point into.
void markToolFailures(sqlite3 *db, const std::vector<const Span *> &calls, const BatchTraces &traces,
    rollup::BatchRollup &rollups, std::deque<Span> &marked, PendingReports &pending)
{
    if (calls.empty())
        return;
    Stmt previousCall(
        db, "SELECT max(start_ns) FROM spans WHERE trace_rowid = ?1 AND kind = ?2 AND span_id <> ?3 AND start_ns < ?4");
    Stmt find(db, R"sql(
SELECT id, span_id, name, start_ns, end_ns, service, request_model, response_model, agent_name, status,
    coalesce(input, '') <> '', coalesce(output, '') <> '', attributes
FROM spans WHERE trace_rowid = ?1 AND kind = ?2 AND tool_name = ?3 AND start_ns >= ?4 AND start_ns <= ?5
ORDER BY start_ns, id LIMIT 1000)sql");
    Stmt update(db,
        "UPDATE spans SET status = 2, status_message = ?2, input = CASE WHEN coalesce(input, '') = '' THEN ?3 "
        "ELSE input END, output = ?4 WHERE id = ?1");
    Stmt errors(db, "UPDATE traces SET error_count = error_count + ?2 WHERE id = ?1");
    Stmt reindex(db, "INSERT INTO search_queue(trace_rowid) VALUES(?1)"); // the statuses searched by changed
    std::vector<std::size_t> markedRows;
    for (const auto &lookup : toolResultLookups(calls)) {
        const Span &call = *lookup.call;
        const std::int64_t traceRowid = traces.at(call.trace_id).rowid;
        std::int64_t after = INT64_MIN;
        {
            ResetGuard g { previousCall };
            previousCall.bind(1, traceRowid);
            previousCall.bind(2, static_cast<int>(core::SpanKind::Llm));
            previousCall.bindBlob(3, call.span_id.data(), call.span_id.size());
            previousCall.bind(4, call.start_ns);
            if (previousCall.step() && !previousCall.isNull(0))
                after = previousCall.i64(0) - kClockSlackNs;
        }
        std::vector<ToolSpanRow> candidates;
        {
            ResetGuard g { find };
            find.bind(1, traceRowid);
            find.bind(2, static_cast<int>(core::SpanKind::Tool));
            find.bindText(3, lookup.tool);
            find.bind(4, after);
            find.bind(5, call.start_ns + kClockSlackNs);
            while (find.step()) {
                ToolSpanRow row;
                row.id = find.i64(0);
                find.blob(1, row.span.span_id);
                row.span.trace_id = call.trace_id;
                row.span.kind = core::SpanKind::Tool;
                row.span.name = find.text(2);
                row.span.start_ns = find.i64(3);
                row.span.end_ns = find.i64(4);
                row.span.service_name = find.text(5);
                row.span.request_model = find.text(6);
                row.span.response_model = find.text(7);
                row.span.agent_name = find.text(8);
                row.span.status = static_cast<core::StatusCode>(find.i64(9));
                row.hasInput = find.i64(10) != 0;
                row.hasOutput = find.i64(11) != 0;
                row.callId = toolCallIdOf(find.textView(12));
                candidates.push_back(std::move(row));
            }
        }
        std::size_t unpaired = 0;
        const auto updates = pairResults(lookup, candidates, markedRows, unpaired);
        if (unpaired > 0)
            pending.keep(call);
        for (const auto &u : updates) {
            ResetGuard g { update };
            update.bind(1, u.id);
            update.bindText(2, u.message);
            update.bindTextOrNull(3, u.input);
            update.bindText(4, u.output);
            update.step();
        }
        for (const std::size_t k : markedRows)
            rollups.addFailure(marked.emplace_back(std::move(candidates[k].span)));
        if (!updates.empty()) {
            ResetGuard g { errors };
            errors.bind(1, traceRowid);
            errors.bind(2, static_cast<std::int64_t>(updates.size()));
            errors.step();
            ResetGuard r { reindex };
            reindex.bind(1, traceRowid);
            reindex.step();
        }
    }
}

/// Upserts a batch's rollup rows: a few per resolution, model, service, agent and kind in the batch.
void upsertRollups(rollup::BatchRollup &rollups, Stmt &spanRow, Stmt &errorRow)
{
    rollups.finish();
    std::string latency;
    for (const auto &[k, a] : rollups.spans()) {
        ResetGuard g { spanRow };
        StmtRow row { spanRow };
        rollup::spanKeyColumns(row, k);
        latency = a.latency.encode();
        rollup::spanSumColumns(row, a, latency);
        spanRow.step();
    }
    for (const auto &[k, e] : rollups.errors()) {
        ResetGuard g { errorRow };
        StmtRow row { errorRow };
        rollup::errorKeyColumns(row, k);
        rollup::errorValueColumns(row, e);
        errorRow.step();
    }
}

} // namespace

SqliteStore::Reader::Reader(const std::string &path, const Options &options)
    : db(openConnection(path, true, options))
{ }

SqliteStore::Reader::~Reader()
{
    sqlite3_close(db);
}

/// Row ids of the traces the writer stored last, so that the spans of a trace that come in many
/// batches (a long agent run exported as it goes) find their summary without a statement. Only
/// committed rows are remembered, and all is forgotten whenever trace rows may have gone: retention
/// on this connection, or a commit by any other connection (PRAGMA data_version).
struct RecentTraces
{
    static constexpr std::size_t kLimit = 32'768;
    std::unordered_map<core::TraceId, std::int64_t, IdHash> rowids;
    std::deque<core::TraceId> order; ///< oldest first
    std::int64_t dataVersion = -1;

    void remember(const core::TraceId &id, std::int64_t rowid)
    {
        if (!rowids.try_emplace(id, rowid).second)
            return;
        order.push_back(id);
        if (order.size() > kLimit) {
            rowids.erase(order.front());
            order.pop_front();
        }
    }
    void clear()
    {
        rowids.clear();
        order.clear();
    }
    /// Forgets all when another connection committed since the last look (and says so). Inside the
    /// write transaction: no other connection can commit after it.
    bool sync(Stmt &dataVersionStmt)
    {
        ResetGuard g { dataVersionStmt };
        dataVersionStmt.step();
        if (const std::int64_t version = dataVersionStmt.i64(0); version != dataVersion) {
            clear();
            dataVersion = version;
            return true;
        }
        return false;
    }
};

struct SqliteStore::WriterStatements
{
    Stmt dataVersion;
    RecentTraces recentTraces;
    TraceIdFilter traceIds; ///< every trace id stored, as a filter: made at the first write
    Stmt insertSpan;
    Stmt findTrace;
    Stmt insertTrace; ///< a new trace's summary
    Stmt upsertTrace; ///< a known trace's summary (?25: its row id) plus a batch's
    Stmt insertTraceModel;
    std::unique_ptr<ModelKeys> modelKeys; ///< the sort keys of a changed summary's model rows
    Stmt upsertSpanRollup;
    Stmt upsertErrorRollup;
    Stmt findResource;
    Stmt insertResource;
    sqlite3 *db = nullptr; ///< the writer's connection
    std::unordered_map<std::uint64_t, std::int64_t> resourceIds;
    std::uint64_t lastHash = 0;
    std::int64_t lastResourceId = 0; ///< the resource of hash lastHash; 0: none yet
    std::string models, agents; ///< scratch: a summary's joined sets

    /// The batch's traces, each new one summed up (BatchTrace).
    BatchTraces batchTraces(std::span<const std::span<const EncodedSpan>> chunks) const;
    /// Writes t's summary with u (insertTrace or upsertTrace); false when the insert did nothing.
    bool writeSummary(Stmt &u, const core::TraceId &traceId, BatchTrace &t);
    /// The batch's new traces' summaries: each id the filter may hold is looked up first, and a
    /// trace found is known (its spans are added to its summary later) instead of new.
    void insertNewTraces(BatchTraces &traces);
    /// The row id of a span's resource: the previous span's, a known one, or a new row's.
    std::int64_t resourceId(const EncodedSpan &e);
    /// Forgets the resource row ids learnt, which a rolled-back transaction took with it.
    void forgetResources()
    {
        resourceIds.clear();
        lastResourceId = 0;
    }
};

BatchTraces SqliteStore::WriterStatements::batchTraces(std::span<const std::span<const EncodedSpan>> chunks) const
{
    BatchTraces traces;
    for (const auto &chunk : chunks)
        for (const EncodedSpan &e : chunk) {
            const Span &s = *e.span;
            auto [it, added] = traces.try_emplace(s.trace_id);
            BatchTrace &t = it->second;
            if (added)
                if (const auto known = recentTraces.rowids.find(s.trace_id); known != recentTraces.rowids.end()) {
                    t.fresh = false;
                    t.rowid = known->second;
                }
            if (!t.fresh)
                continue;
            std::uint64_t spanKey;
            std::memcpy(&spanKey, s.span_id.data(), sizeof spanKey);
            if (t.seen.insert(spanKey).second)
                t.delta.add(s);
        }
    return traces;
}

bool SqliteStore::WriterStatements::writeSummary(Stmt &u, const core::TraceId &traceId, BatchTrace &t)
{
    const TraceDelta &d = t.delta;
    joinSet(models, d.models);
    joinSet(agents, d.agents);
    {
        ResetGuard g { u };
        StmtRow row { u };
        summaryColumns(row, traceId, d, models, agents);
        if (!t.fresh)
            u.bind(25, t.rowid);
        u.step();
    }
    if (sqlite3_changes(db) == 0)
        return false;
    // A new trace's row id is the one just inserted; a known trace's was looked up. (RETURNING
    // would buffer the row in a temporary table on every upsert.)
    if (t.fresh)
        t.rowid = sqlite3_last_insert_rowid(db);
    else
        modelKeys->follow(t.rowid);
    for (const auto &m : d.models) {
        ResetGuard g { insertTraceModel };
        insertTraceModel.bindTextStatic(1, m);
        insertTraceModel.bind(2, t.rowid);
        insertTraceModel.step();
    }
    return true;
}

void SqliteStore::WriterStatements::insertNewTraces(BatchTraces &traces)
{
    if (!traceIds.ready())
        traceIds.build(db);
    for (auto &[traceId, t] : traces) {
        if (!t.fresh)
            continue;
        if (traceIds.mayContain(traceId)) {
            ResetGuard g { findTrace };
            findTrace.bindBlob(1, traceId.data(), traceId.size());
            if (findTrace.step() && !findTrace.isNull(0)) { // a late span of a trace stored earlier
                t.fresh = false;
                t.delta = TraceDelta {};
                t.rowid = findTrace.i64(0);
                continue;
            }
        }
        if (!writeSummary(insertTrace, traceId, t))
            throw StoreError("trace summary not inserted");
        traceIds.add(traceId, db);
    }
}

std::int64_t SqliteStore::WriterStatements::resourceId(const EncodedSpan &e)
{
    if (lastResourceId != 0 && e.resource_hash == lastHash)
        return lastResourceId; // the spans of a resource mostly come together
    auto it = resourceIds.find(e.resource_hash);
    if (it == resourceIds.end()) {
        std::int64_t id = 0;
        {
            ResetGuard g { findResource };
            findResource.bind(1, static_cast<std::int64_t>(e.resource_hash));
            if (findResource.step())
                id = findResource.i64(0);
        }
        if (id == 0) {
            ResetGuard g { insertResource };
            insertResource.bind(1, static_cast<std::int64_t>(e.resource_hash));
            insertResource.bindTextStatic(2, e.resource);
            insertResource.step();
            id = insertResource.i64(0);
        }
        it = resourceIds.emplace(e.resource_hash, id).first;
    }
    lastHash = e.resource_hash;
    lastResourceId = it->second;
    return lastResourceId;
}

SqliteStore::SqliteStore(const std::string &path)
    : SqliteStore(path, Options {})
{ }

SqliteStore::SqliteStore(const std::string &path, Options options)
    : m_path(path)
    , m_options(options)
{
    createPrivateFile(path);
    m_writer = openConnection(path, false, options);
    try {
        migrate(options.target_version > 0 ? std::min(options.target_version, latestVersion()) : latestVersion());
        auto checkpoint = options.checkpoint;
        checkpoint.busy_timeout_ms = options.busy_timeout_ms;
        m_checkpointer = std::make_unique<WalCheckpointer>(m_writer, openConnection(path, false, options), checkpoint);
        if (schemaVersion() < latestVersion())
            return; // an old schema for tests of migrations: no statements for the current one
        m_stmts = std::make_unique<WriterStatements>();
        m_stmts->db = m_writer;
        m_stmts->insertSpan = Stmt(m_writer, R"sql(
INSERT INTO spans(trace_id, span_id, parent_span_id, trace_state, name, kind, otel_kind, start_ns, end_ns, status,
    status_message, service, scope_name, scope_version, request_model, response_model, provider, tok_input,
    tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref, session_id, user_id,
    input, output, attributes, events, links, resource_id, dropped, agent_name, tool_name, payload_refs, trace_rowid)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
    ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38)
ON CONFLICT(trace_rowid, span_id) DO NOTHING)sql");
        m_stmts->findTrace = Stmt(m_writer, "SELECT " + traceRowidSql(1));
        m_stmts->dataVersion = Stmt(m_writer, "PRAGMA data_version");
        // A batch's summary of a trace, as a new row, or (upsert) added to the row there is.
        const std::string insertSummary = R"sql(
INSERT INTO traces(trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns, duration_ns,
    span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
    cost_usd, unpriced_spans, models, session_id, user_id, kinds, agents, priced_spans)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, max(?8 - ?7, 0), ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,
    ?22, ?23, ?24)
)sql";
        m_stmts->insertTrace = Stmt(m_writer, insertSummary);
        // The same parameters added to a known trace's row (?25: its row id). Every right-hand side
        // reads the row as it was before this update.
        m_stmts->upsertTrace = Stmt(m_writer, R"sql(
UPDATE traces SET
    root_span_id = coalesce(root_span_id, ?2),
    name = CASE WHEN name_is_root THEN name WHEN ?4 THEN ?3 WHEN ?5 < name_start_ns THEN ?3 ELSE name END,
    service = CASE WHEN name_is_root THEN service WHEN ?4 THEN ?6 WHEN ?5 < name_start_ns THEN ?6 ELSE service END,
    name_start_ns = CASE WHEN name_is_root THEN name_start_ns WHEN ?4 THEN ?5
                WHEN ?5 < name_start_ns THEN ?5 ELSE name_start_ns END,
    name_is_root = max(name_is_root, ?4),
    start_ns = min(start_ns, ?7),
    end_ns = max(end_ns, ?8),
    duration_ns = max(max(end_ns, ?8) - min(start_ns, ?7), 0),
    span_count = span_count + ?9,
    error_count = error_count + ?10,
    tok_input = tok_input + ?11,
    tok_output = tok_output + ?12,
    tok_total = tok_total + ?13,
    tok_cache_read = tok_cache_read + ?14,
    tok_cache_write = tok_cache_write + ?15,
    tok_reasoning = tok_reasoning + ?16,
    cost_usd = cost_usd + ?17,
    unpriced_spans = unpriced_spans + ?18,
    models = agentops_merge_set(models, ?19),
    session_id = CASE WHEN session_id = '' THEN ?20 ELSE session_id END,
    user_id = CASE WHEN user_id = '' THEN ?21 ELSE user_id END,
    kinds = kinds | ?22,
    agents = agentops_merge_set(agents, ?23),
    priced_spans = priced_spans + ?24
WHERE id = ?25 AND trace_id = ?1)sql");
        m_stmts->upsertSpanRollup = Stmt(m_writer, R"sql(
INSERT INTO span_rollup(res, t, kind, model, service, agent, spans, error_spans, tok_input, tok_output, tok_cache_read,
    tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency, priced_spans)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
ON CONFLICT(res, t, kind, model, service, agent) DO UPDATE SET
    spans = spans + excluded.spans,
    error_spans = error_spans + excluded.error_spans,
    tok_input = tok_input + excluded.tok_input,
    tok_output = tok_output + excluded.tok_output,
    tok_cache_read = tok_cache_read + excluded.tok_cache_read,
    tok_cache_write = tok_cache_write + excluded.tok_cache_write,
    tok_reasoning = tok_reasoning + excluded.tok_reasoning,
    cost_usd = cost_usd + excluded.cost_usd,
    unpriced_spans = unpriced_spans + excluded.unpriced_spans,
    priced_spans = priced_spans + excluded.priced_spans,
    latency = agentops_hist_merge(latency, excluded.latency))sql");
        m_stmts->upsertErrorRollup = Stmt(m_writer, R"sql(
INSERT INTO error_rollup(res, t, name, message, service, model, count, last_seen_ns, example_trace)
VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT(res, t, name, message, service, model) DO UPDATE SET
    count = count + excluded.count,
    example_trace = CASE WHEN excluded.last_seen_ns > last_seen_ns THEN excluded.example_trace ELSE example_trace END,
    last_seen_ns = max(last_seen_ns, excluded.last_seen_ns))sql");
        m_stmts->insertTraceModel = Stmt(m_writer, R"sql(
INSERT OR IGNORE INTO trace_models(model, trace_rowid, duration_ns, cost_usd, tok_total)
    SELECT ?1, id, duration_ns, cost_usd, tok_total FROM traces WHERE id = ?2)sql");
        m_stmts->modelKeys = std::make_unique<ModelKeys>(m_writer);
        m_stmts->findResource = Stmt(m_writer, "SELECT id FROM resources WHERE hash = ?1");
        m_stmts->insertResource = Stmt(m_writer, "INSERT INTO resources(hash, attributes) VALUES(?1, ?2) RETURNING id");
        if (options.search)
            openSearchIndex();
    } catch (...) {
        m_search.reset();
        m_stmts.reset();
        m_checkpointer.reset();
        sqlite3_close(m_writer);
        throw;
    }
}

SqliteStore::~SqliteStore()
{
    m_search.reset();
    m_checkpointer.reset();
    m_readers.clear();
    m_stmts.reset();
    if (m_writer) {
        // Fold the WAL back into the main file so the database is one self-contained file at rest.
        sqlite3_wal_checkpoint_v2(m_writer, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        sqlite3_close(m_writer);
    }
}

void SqliteStore::openSearchIndex()
{
    // The index is derived data: one that cannot be opened (damaged, written by something else) is
    // made again from the database; if even that fails, the store works without content search.
    try {
        m_search = std::make_unique<SearchIndex>(m_path, m_options.search_options);
        return;
    } catch (const StoreError &) { }
    try {
        removeSearchIndex(m_path);
        m_search = std::make_unique<SearchIndex>(m_path, m_options.search_options);
    } catch (const StoreError &e) {
        m_searchError = e.what();
    }
}

void SqliteStore::removeSearchIndex(const std::string &databasePath)
{
    for (const char *suffix : { "", "-wal", "-shm" }) {
        const std::string file = SearchIndex::pathFor(databasePath) + suffix;
        std::remove(file.c_str());
    }
}

std::optional<SearchIndex::Progress> SqliteStore::searchProgress() const
{
    if (!m_search) {
        if (m_searchError.empty())
            return std::nullopt;
        SearchIndex::Progress broken;
        broken.error = m_searchError;
        return broken;
    }
    return m_search->progress();
}

bool SqliteStore::waitForSearchIndex()
{
    return !m_search || m_search->waitUntilCaughtUp();
}

WalCheckpointer::Counters SqliteStore::checkpointCounters() const
{
    return m_checkpointer ? m_checkpointer->counters() : WalCheckpointer::Counters {};
}

int SqliteStore::latestSchemaVersion()
{
    return latestVersion();
}

int SqliteStore::schemaVersion()
{
    std::lock_guard lock(m_writeMutex);
    Stmt s(m_writer, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.i64(0));
}

void SqliteStore::migrate(int target)
{
    Stmt version(m_writer, "PRAGMA user_version");
    version.step();
    const int current = static_cast<int>(version.i64(0));
    version.reset();
    if (current > latestVersion())
        throw StoreError("database " + m_path + " has schema version " + std::to_string(current)
            + ", newer than this program understands (" + std::to_string(latestVersion())
            + "); use a newer AgentOps Monitor");
    for (int v = current; v < target; ++v) {
        exec(m_writer, "BEGIN IMMEDIATE");
        try {
            exec(m_writer, sqliteMigrations()[v].sql);
            exec(m_writer, ("PRAGMA user_version=" + std::to_string(v + 1)).c_str());
            exec(m_writer, "COMMIT");
        } catch (const StoreError &e) {
            sqlite3_exec(m_writer, "ROLLBACK", nullptr, nullptr, nullptr);
            throw StoreError("migration to schema version " + std::to_string(v + 1) + " (" + sqliteMigrations()[v].name
                + ") failed: " + e.what());
        }
    }
}

void SqliteStore::forgetRecentTraces()
{
    if (!m_stmts)
        return;
    m_stmts->recentTraces.clear();
    // Resource rows go too (erasure deletes those no span uses any more): a producer's next spans
    // look theirs up again rather than point at a deleted row.
    m_stmts->forgetResources();
}

WriteStats SqliteStore::writeEncoded(std::span<const std::span<const EncodedSpan>> chunks)
{
    if (m_search)
        m_search->waitForRoom(); // the search index stays at most max_lag spans behind
    std::lock_guard lock(m_writeMutex);
    if (!m_stmts)
        throw StoreError("database schema is not current; cannot write");
    WriteStats stats;
    if (batchSpans(chunks) == 0)
        return stats;
    auto &st = *m_stmts;
    std::int64_t lastSpanRowid = 0;
    exec(m_writer, "BEGIN IMMEDIATE");
    try {
        if (st.recentTraces.sync(st.dataVersion))
            st.traceIds.invalidate(); // another connection may have stored traces
        BatchTraces traces = st.batchTraces(chunks);
        st.insertNewTraces(traces);

        NewSpans added(m_pendingReports);
        BatchTrace *trace = nullptr;
        const core::TraceId *traceKey = nullptr;
        for (const auto &chunk : chunks)
            for (const EncodedSpan &e : chunk) {
                const Span &s = *e.span;
                if (!traceKey || *traceKey != s.trace_id) { // spans of a trace mostly come together
                    trace = &traces.find(s.trace_id)->second;
                    traceKey = &s.trace_id;
                }
                auto &q = st.insertSpan;
                ResetKeepingBindingsGuard g { q }; // all 38 parameters are bound below, every time
                StmtRow row { q };
                spanColumns(row, e, st.resourceId(e));
                row.i64(trace->rowid);
                q.step();
                if (sqlite3_changes(m_writer) > 0) {
                    ++stats.inserted;
                    lastSpanRowid = sqlite3_last_insert_rowid(m_writer);
                    if (!trace->fresh)
                        trace->delta.add(s);
                    added.add(s);
                } else {
                    ++stats.duplicates; // a retried span: already counted in its summary
                }
            }
        for (auto &[traceId, t] : traces)
            if (!t.fresh && t.delta.spans > 0)
                st.writeSummary(st.upsertTrace, traceId, t);
        std::deque<Span> failedTools;
        markToolFailures(
            m_writer, added.reportingCalls(m_pendingReports), traces, added.rollups, failedTools, m_pendingReports);
        upsertRollups(added.rollups, st.upsertSpanRollup, st.upsertErrorRollup);
        exec(m_writer, "COMMIT");
        for (const auto &[traceId, t] : traces)
            st.recentTraces.remember(traceId, t.rowid);
        if (m_search && lastSpanRowid > 0)
            m_search->committed(lastSpanRowid);
    } catch (...) {
        sqlite3_exec(m_writer, "ROLLBACK", nullptr, nullptr, nullptr);
        st.forgetResources(); // ids learnt inside the rolled-back transaction are gone with it
        throw;
    }
    return stats;
}

std::unique_ptr<SqliteStore::Reader> SqliteStore::acquireReader()
{
    {
        std::lock_guard lock(m_poolMutex);
        while (!m_readers.empty()) {
            auto r = std::move(m_readers.back());
            m_readers.pop_back();
            if (r->generation == m_readerGeneration)
                return r;
        }
    }
    auto reader = std::make_unique<Reader>(m_path, m_options);
    reader->generation = m_readerGeneration;
    if (m_search) {
        Stmt attach(reader->db, "ATTACH DATABASE ?1 AS search");
        attach.bindText(1, m_search->path());
        attach.step();
    }
    return reader;
}

void SqliteStore::releaseReader(std::unique_ptr<Reader> reader)
{
    std::lock_guard lock(m_poolMutex);
    if (m_readers.size() < 8 && reader->generation == m_readerGeneration)
        m_readers.push_back(std::move(reader));
}

namespace {

/// The traces whose spans match the FTS5 expression: index row ids are (trace row id << 24) + ordinal.
constexpr int kSearchDeadlineMs = 10'000;
void contentClause(const SearchQuery &search, std::string &sql, std::vector<TraceListSql::Param> &params)
{
    sql += " AND id IN (SELECT rowid >> " + std::to_string(SearchIndex::kOrdinalBits)
        + " FROM search.span_text WHERE span_text MATCH ?)";
    params.push_back({ TraceListSql::Param::Type::Text, 0, 0, search.match });
}

/// A snippet() with \x02 ... \x03 around the matches, as text and code point ranges.
SearchHit hitFromSnippet(std::string_view marked)
{
    SearchHit hit;
    int codePoint = 0;
    int begin = -1;
    for (char c : marked) {
        if (c == '\x02') {
            begin = codePoint;
            continue;
        }
        if (c == '\x03') {
            if (begin >= 0)
                hit.highlights.emplace_back(begin, codePoint);
            begin = -1;
            continue;
        }
        codePoint += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        hit.snippet.push_back(c);
    }
    return hit;
}

} // namespace

std::vector<SearchHit> SqliteStore::searchHits(
    Reader &reader, const std::string &match, const std::vector<std::int64_t> &traceRowids)
{
    // The first span of each trace that matched (in the order the index got them), with the text
    // around the match: from the span's body, else its name, else the name alone (a field matched).
    Stmt first(reader.db,
        "SELECT span_rowid, snippet(span_text, 5, char(2), char(3), '…', 40), "
        "snippet(span_text, 0, char(2), char(3), '…', 40) FROM search.span_text "
        "WHERE span_text MATCH ?1 AND rowid >= ?2 AND rowid < ?3 ORDER BY rowid LIMIT 1");
    // The trace too: a trace row id used again (its trace deleted) may have rows the index has not
    // dropped yet.
    Stmt span(reader.db, "SELECT span_id, name FROM spans WHERE id = ?1 AND trace_rowid = ?2");
    std::vector<SearchHit> hits;
    hits.reserve(traceRowids.size());
    for (std::int64_t trace : traceRowids) {
        SearchHit &hit = hits.emplace_back();
        ResetGuard g { first };
        first.bindText(1, match);
        first.bind(2, trace << SearchIndex::kOrdinalBits);
        first.bind(3, (trace + 1) << SearchIndex::kOrdinalBits);
        if (!first.step())
            continue; // matched by a field of the trace (its session)
        const std::string_view body = first.textView(1);
        const std::string_view name = first.textView(2);
        if (body.find('\x02') != std::string_view::npos)
            hit = hitFromSnippet(body);
        else if (name.find('\x02') != std::string_view::npos)
            hit = hitFromSnippet(name);
        ResetGuard s { span };
        span.bind(1, first.i64(0));
        span.bind(2, trace);
        if (span.step()) {
            core::SpanId id {};
            if (span.blob(0, id))
                hit.span_id = core::toHex(id);
            hit.span_name = span.text(1);
        }
        if (hit.snippet.empty())
            hit.snippet = hit.span_name;
    }
    return hits;
}

TracePage SqliteStore::listTraces(const TraceQuery &query)
{
    const TraceListSql list
        = buildTraceListSql(query, "LIKE", m_search ? ContentFilter(contentClause) : ContentFilter());
    auto reader = acquireReader();
    std::vector<std::int64_t> rowids;
    TracePage page;
    if (list.match.empty()) {
        TraceListSql planned = list;
        std::optional<TracePage> walked;
        const bool walk = m_options.list_plans && planTraceList(*reader, query, planned);
        if (walk)
            walked = stretchTracePage(*reader, query, planned, rowids);
        // A walk that gave up met filters that keep few traces far apart in the sort's order (a model
        // in most traces, but not in the top ones): the list as built, which collects the model's
        // traces first, reads them with the least work.
        page = walked ? std::move(*walked) : readTracePage(*reader, walk ? list : planned, rowids);
    } else {
        // A search reads every span it matches: one that matches most of a large database is cut
        // off rather than left to hold a reader and a request thread for long.
        using Clock = std::chrono::steady_clock;
        const auto deadline = Clock::now() + std::chrono::milliseconds(kSearchDeadlineMs);
        auto late = [](void *arg) { return Clock::now() > *static_cast<const Clock::time_point *>(arg) ? 1 : 0; };
        sqlite3_progress_handler(reader->db, 10'000, late, const_cast<Clock::time_point *>(&deadline));
        try {
            page = searchTracePage(*reader, list, rowids);
            page.hits = searchHits(*reader, list.match, rowids);
        } catch (const StoreError &e) {
            const int code = sqlite3_errcode(reader->db);
            const std::string what = e.what();
            sqlite3_progress_handler(reader->db, 0, nullptr, nullptr);
            if (code == SQLITE_INTERRUPT)
                throw QueryError("q: matches too much to list in " + std::to_string(kSearchDeadlineMs / 1000)
                    + " s; add words or narrow the time range or other filters");
            if (what.find("fts5") != std::string::npos)
                throw QueryError("q: cannot be searched: " + what);
            throw;
        }
        sqlite3_progress_handler(reader->db, 0, nullptr, nullptr);
    }
    if (list.match.empty() && !query.text.empty())
        page.hits.resize(page.traces.size());
    releaseReader(std::move(reader));
    return page;
}

namespace {

/// Traces a walk reads at a time, at most.
constexpr std::size_t kLongestStretch = 1024;

Stmt prepareTraceList(sqlite3 *db, const TraceListSql &list)
{
    Stmt s(
        db, std::string("SELECT ") + kSummaryColumns + ", " + list.column + " FROM traces WHERE true" + list.clauses);
    bindTraceListParams(s, list.params);
    return s;
}

/// Which of these traces (row ids, ascending, distinct) have a span matching the expression. Reads
/// the index rows of the stretch they cover in row id order, and seeks past a run of rows that
/// decides nothing (more spans of a trace already found, or traces not asked about): a stretch of
/// the list in start order covers neighbouring row ids, so this reads few rows and seeks rarely.
std::vector<std::int64_t> tracesMatching(Stmt &probe, const std::string &match, const std::vector<std::int64_t> &traces)
{
    constexpr int bits = SearchIndex::kOrdinalBits;
    constexpr int kStrayRows = 16;
    std::vector<std::int64_t> found;
    std::size_t next = 0; // the first trace not decided yet
    while (next < traces.size()) {
        ResetGuard g { probe };
        probe.bindText(1, match);
        probe.bind(2, traces[next] << bits);
        probe.bind(3, (traces.back() + 1) << bits);
        int stray = 0;
        bool seek = false;
        while (!seek && next < traces.size() && probe.step()) {
            const std::int64_t trace = probe.i64(0) >> bits;
            while (next < traces.size() && traces[next] < trace)
                ++next; // passed without a match
            if (next < traces.size() && traces[next] == trace) {
                found.push_back(trace);
                ++next;
                stray = 0;
            } else {
                seek = ++stray > kStrayRows;
            }
        }
        if (!seek)
            break; // the stretch is read to its end: the rest have no match
    }
    return found;
}

} // namespace

TracePage SqliteStore::searchTracePage(Reader &reader, const TraceListSql &list, std::vector<std::int64_t> &rowids)
{
    if (m_options.search_options.common_rows < 0)
        return readTracePage(reader, list, rowids); // one query, the index as its subquery (benchmarks)
    // Collect the matching traces while there are few: the list then keeps just those.
    std::string ids = "[";
    bool common = false;
    std::int64_t first = -1, last = -1, distinct = 0;
    {
        Stmt rows(reader.db, "SELECT rowid FROM search.span_text WHERE span_text MATCH ?1");
        rows.bindText(1, list.match);
        std::int64_t n = 0;
        while (rows.step()) {
            const std::int64_t trace = rows.i64(0) >> SearchIndex::kOrdinalBits;
            if (++n > m_options.search_options.common_rows) {
                common = true;
                break;
            }
            if (trace != last) {
                ids += (last < 0 ? "" : ",") + std::to_string(trace);
                ++distinct;
            }
            if (first < 0)
                first = trace;
            last = trace;
        }
    }
    if (!common)
        return readTracePage(
            reader, list.replaceContent(" AND id IN (SELECT value FROM json_each(?))", ids + "]"), rowids);
    // Terms in many spans. In start order a stretch of the list is a range of neighbouring row ids,
    // cheap to ask about, so walking finds a page soon. In another order each trace of a stretch
    // costs a seek in the index: walk only when most traces match (judged by the share of the row ids
    // among those read so far that matched), else one query with the index as its subquery is cheaper.
    const double share = last > first ? double(distinct) / double(last - first + 1) : 1.0;
    const bool walk = list.column == "start_ns" || share >= 0.5;
    if (auto page = walk ? walkTracePage(reader, list, rowids) : std::nullopt)
        return std::move(*page);
    rowids.clear();
    return readTracePage(reader, list, rowids); // common, but not among the traces the filters keep
}

std::optional<TracePage> SqliteStore::walkTracePage(
    Reader &reader, const TraceListSql &list, std::vector<std::int64_t> &rowids)
{
    // At most what the walk reads before it gives up: a sort other than start order then keeps the
    // top rows only rather than sorting every trace.
    TraceListSql all = list.replaceContent({}, {});
    all.setLimit(static_cast<std::int64_t>(m_options.search_options.walk_give_up) + kLongestStretch);
    Stmt s = prepareTraceList(reader.db, all);
    Stmt probe(reader.db, "SELECT rowid FROM search.span_text WHERE span_text MATCH ?1 AND rowid >= ?2 AND rowid < ?3");
    struct Row
    {
        core::TraceSummary summary;
        std::int64_t rowid = 0, ikey = 0;
        double dkey = 0;
    };
    TracePager pager(list);
    std::vector<Row> stretch;
    std::vector<std::int64_t> asked;
    std::size_t size = 64, read = 0;
    bool more = true;
    while (more) {
        stretch.clear();
        while (stretch.size() < size && (more = s.step()))
            stretch.push_back({ readSummary(s), s.i64(0), s.i64(kSummaryColumnCount), s.dbl(kSummaryColumnCount) });
        read += stretch.size();
        asked.clear();
        for (const Row &r : stretch)
            asked.push_back(r.rowid);
        std::sort(asked.begin(), asked.end());
        const std::vector<std::int64_t> found = tracesMatching(probe, list.match, asked);
        for (Row &r : stretch) {
            if (!std::binary_search(found.begin(), found.end(), r.rowid))
                continue;
            if (!pager.room())
                return pager.take();
            rowids.push_back(r.rowid);
            pager.add(std::move(r.summary), r.rowid, r.ikey, r.dkey);
        }
        // (Reading on would also pass the statement's limit, after which the end of its rows would no
        // longer be the end of the list.)
        if (more && read >= m_options.search_options.walk_give_up)
            return std::nullopt; // matches are rare here: collecting them all is cheaper
        size = std::min<std::size_t>(size * 2, kLongestStretch);
    }
    return pager.take();
}

TracePage SqliteStore::readTracePage(Reader &reader, const TraceListSql &list, std::vector<std::int64_t> &rowids)
{
    TracePager pager(list);
    Stmt s = prepareTraceList(reader.db, list);
    while (s.step() && pager.room()) {
        rowids.push_back(s.i64(0));
        pager.add(readSummary(s), s.i64(0), s.i64(kSummaryColumnCount), s.dbl(kSummaryColumnCount));
    }
    return pager.take();
}

namespace {

/// The spans of the trace whose id is bound to ?1 (they are keyed by its summary's row id).
const std::string kSpansOfTrace = "trace_rowid = " + traceRowidSql(1);

/// Reads span rows of one trace. Without full, the columns only the span details show (payloads,
/// attributes, events, links, resource) are left out: opening a trace of a million spans then reads
/// and holds what the waterfall draws, and a span's details are fetched when it is selected.
template<typename ReaderT>
void readSpans(ReaderT &r, const core::TraceId &id, const std::string &where, const std::function<void(Stmt &)> &bind,
    bool full, std::vector<Span> &spans)
{
    static const std::string fullColumns = "input, output, attributes, events, links, resource_id";
    static const std::string narrowColumns = "NULL, NULL, NULL, NULL, NULL, 0";
    Stmt q(r.db,
        "SELECT span_id, parent_span_id, trace_state, name, kind, otel_kind, start_ns, end_ns, status, status_message, "
        "service, scope_name, scope_version, request_model, response_model, provider, tok_input, tok_output, "
        "tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref, session_id, user_id, "
            + (full ? fullColumns : narrowColumns) + ", dropped, agent_name, tool_name, "
            + (full ? "payload_refs" : "NULL") + " FROM spans WHERE " + where);
    q.bindBlob(1, id.data(), id.size());
    bind(q);
    while (q.step()) {
        Span s;
        s.trace_id = id;
        q.blob(0, s.span_id);
        q.blob(1, s.parent_span_id);
        s.trace_state = q.text(2);
        s.name = q.text(3);
        s.kind = static_cast<core::SpanKind>(q.i64(4));
        s.otel_kind = static_cast<std::uint8_t>(q.i64(5));
        s.start_ns = q.i64(6);
        s.end_ns = q.i64(7);
        s.status = static_cast<core::StatusCode>(q.i64(8));
        s.status_message = q.text(9);
        s.service_name = q.text(10);
        s.scope_name = q.text(11);
        s.scope_version = q.text(12);
        s.request_model = q.text(13);
        s.response_model = q.text(14);
        s.provider = q.text(15);
        readTokens(q, 16, s.tokens);
        if (!q.isNull(22))
            s.cost_usd = q.dbl(22);
        s.price_ref = q.text(23);
        s.session_id = q.text(24);
        s.user_id = q.text(25);
        s.input = q.text(26);
        s.output = q.text(27);
        restoreAttributes(q.textView(28), q.textView(35), s, s.attributes);
        core::eventsFromJson(q.textView(29), s.events);
        core::linksFromJson(q.textView(30), s.links);
        const std::int64_t resourceId = q.i64(31);
        auto cached = r.resourceCache.find(resourceId);
        if (full && cached == r.resourceCache.end()) {
            Stmt rs(r.db, "SELECT attributes FROM resources WHERE id = ?1");
            rs.bind(1, resourceId);
            core::Attributes attrs;
            if (rs.step())
                core::attributesFromJson(rs.textView(0), attrs);
            cached = r.resourceCache.emplace(resourceId, std::move(attrs)).first;
        }
        if (full)
            s.resource = cached->second;
        const std::int64_t dropped = q.i64(32);
        s.dropped_attributes = static_cast<std::uint32_t>(dropped & 0x1FFFFF);
        s.dropped_events = static_cast<std::uint32_t>(dropped >> 21 & 0x1FFFFF);
        s.dropped_links = static_cast<std::uint32_t>(dropped >> 42 & 0x1FFFFF);
        s.agent_name = q.text(33);
        s.tool_name = q.text(34);
        spans.push_back(std::move(s));
    }
}

/// Reads the slim records of a big trace's spans (TraceLoad::Slim): the columns the waterfall draws,
/// searches and compares, names and services interned as they are read.
template<typename ReaderT>
void readSlimRows(ReaderT &r, const core::TraceId &id, const std::string &where,
    const std::function<void(Stmt &)> &bind, SpanTable &table)
{
    Stmt q(r.db,
        "SELECT span_id, parent_span_id, name, kind, start_ns, end_ns, status, status_message, service, "
        "request_model, response_model, provider, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, "
        "tok_reasoning, cost_usd, agent_name, tool_name FROM spans WHERE "
            + where);
    q.bindBlob(1, id.data(), id.size());
    bind(q);
    StringInterner intern(table.strings);
    while (q.step()) {
        SpanTable::Row &row = table.rows.emplace_back();
        q.blob(0, row.span_id);
        q.blob(1, row.parent_span_id);
        row.name = intern(q.textView(2));
        row.kind = static_cast<core::SpanKind>(q.i64(3));
        row.start_ns = q.i64(4);
        row.end_ns = q.i64(5);
        row.status = static_cast<core::StatusCode>(q.i64(6));
        row.status_message = intern(q.textView(7));
        row.service = intern(q.textView(8));
        row.request_model = intern(q.textView(9));
        row.response_model = intern(q.textView(10));
        row.provider = intern(q.textView(11));
        for (int k = 0; k < 6; ++k) {
            if (!q.isNull(12 + k)) {
                row.tokens[k] = q.i64(12 + k);
                row.tokens_present |= static_cast<std::uint8_t>(1u << k);
            }
        }
        row.has_cost = !q.isNull(18);
        row.cost_usd = row.has_cost ? q.dbl(18) : 0;
        row.agent = intern(q.textView(19));
        row.tool = intern(q.textView(20));
    }
}

/// Spans read in one part of a trace: whole or narrow, or slim records.
struct SpanPart
{
    std::vector<Span> spans;
    SpanTable table;
};

} // namespace

std::optional<TraceDetail> SqliteStore::trace(const core::TraceId &id, TraceLoad load)
{
    auto reader = acquireReader();
    std::optional<TraceDetail> result;
    {
        Stmt sum(reader->db, std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE id = " + traceRowidSql(1));
        sum.bindBlob(1, id.data(), id.size());
        if (sum.step()) {
            result.emplace();
            result->summary = readSummary(sum);
        }
    }
    if (!result) {
        releaseReader(std::move(reader));
        return result;
    }
    const bool small = result->summary.span_count <= kFullTraceLoadLimit;
    const bool full = load == TraceLoad::Full || ((load == TraceLoad::Automatic || load == TraceLoad::Slim) && small);
    const bool slim = load == TraceLoad::Slim && !small;
    result->complete = full;
    auto readPart = [&id, full, slim](
                        Reader &r, const std::string &where, const std::function<void(Stmt &)> &bind, SpanPart &part) {
        if (slim)
            readSlimRows(r, id, where, bind, part.table);
        else
            readSpans(r, id, where, bind, full, part.spans);
    };

    // Reads the spans whose id falls in [low, high) (by first byte); big traces are read in two
    // halves on two connections at once.
    auto readRange = [&readPart](Reader &r, int low, int high, SpanPart &part) {
        const unsigned char lowKey[1] = { static_cast<unsigned char>(low) };
        const unsigned char highKey[9]
            = { static_cast<unsigned char>(std::min(high, 255)), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
        readPart(
            r, kSpansOfTrace + " AND span_id >= ?2 AND span_id < ?3",
            [&](Stmt &q) {
                q.bindBlob(2, low == 0 ? "" : reinterpret_cast<const char *>(lowKey), low == 0 ? 0 : 1);
                q.bindBlob(3, highKey, high >= 256 ? 9 : 1);
            },
            part);
    };

    // A big trace whose rows lie together (it arrived mostly on its own) is read by scanning the
    // table's rowid range, which skips an index-to-table seek per row; `+trace_id` keeps SQLite from
    // preferring the index. Interleaved with much other traffic, it goes through the index.
    std::int64_t firstRow = 0, lastRow = -1;
    if (result->summary.span_count >= 50'000) {
        Stmt bounds(reader->db, "SELECT min(id), max(id) FROM spans WHERE " + kSpansOfTrace);
        bounds.bindBlob(1, id.data(), id.size());
        if (bounds.step() && !bounds.isNull(0)) {
            firstRow = bounds.i64(0);
            lastRow = bounds.i64(1);
        }
    }
    const bool contiguous = lastRow >= firstRow && lastRow - firstRow < 2 * result->summary.span_count;
    auto readRows = [&readPart](Reader &r, std::int64_t from, std::int64_t to, SpanPart &part) {
        readPart(
            r, "id BETWEEN ?2 AND ?3 AND +trace_id = ?1",
            [&](Stmt &q) {
                q.bind(2, from);
                q.bind(3, to);
            },
            part);
    };

    SpanPart lower;
    if (slim) // room for the upper half too: appending it then moves no row
        lower.table.rows.reserve(static_cast<std::size_t>(result->summary.span_count));
    if (result->summary.span_count < 50'000) {
        readRange(*reader, 0, 256, lower);
    } else {
        SpanPart upper;
        if (slim)
            upper.table.rows.reserve(static_cast<std::size_t>(result->summary.span_count / 2 + 1024));
        std::exception_ptr failed;
        std::thread second([&] {
            try {
                auto other = acquireReader();
                const std::int64_t middle = firstRow + (lastRow - firstRow) / 2;
                if (contiguous)
                    readRows(*other, middle + 1, lastRow, upper);
                else
                    readRange(*other, 128, 256, upper);
                releaseReader(std::move(other));
            } catch (...) {
                failed = std::current_exception();
            }
        });
        try {
            if (contiguous)
                readRows(*reader, firstRow, firstRow + (lastRow - firstRow) / 2, lower);
            else
                readRange(*reader, 0, 128, lower);
        } catch (...) {
            second.join();
            throw;
        }
        second.join();
        if (failed)
            std::rethrow_exception(failed);
        lower.spans.reserve(lower.spans.size() + upper.spans.size());
        std::move(upper.spans.begin(), upper.spans.end(), std::back_inserter(lower.spans));
        upper.spans = {};
        lower.table.append(std::move(upper.table));
    }
    releaseReader(std::move(reader));

    if (slim) {
        orderTree(lower.table.rows, result->depth, result->orphan);
        result->table = std::move(lower.table);
    } else {
        orderTree(lower.spans, result->depth, result->orphan);
        result->spans = std::move(lower.spans);
    }
    return result;
}

std::optional<core::Span> SqliteStore::span(const core::TraceId &traceId, const core::SpanId &spanId)
{
    auto reader = acquireReader();
    std::vector<Span> spans;
    readSpans(
        *reader, traceId, kSpansOfTrace + " AND span_id = ?2",
        [&spanId](Stmt &q) { q.bindBlob(2, spanId.data(), spanId.size()); }, true, spans);
    releaseReader(std::move(reader));
    if (spans.empty())
        return std::nullopt;
    return std::move(spans.front());
}

SessionPage SqliteStore::listSessions(const SessionQuery &query)
{
    if (query.limit < 1 || query.limit > 1000)
        throw QueryError("limit: must be between 1 and 1000");
    std::string where = " WHERE session_id <> ''";
    if (query.from_ns)
        where += " AND start_ns >= ?";
    if (query.to_ns)
        where += " AND start_ns < ?";
    if (!query.user_id.empty())
        where += " AND user_id = ?";
    std::string having;
    std::optional<Cursor> cursor;
    if (!query.cursor.empty()) {
        cursor = Cursor::decode(query.cursor);
        if (!cursor || cursor->tag != "sessions")
            throw QueryError("cursor: not a cursor this server issued for sessions");
        having = " HAVING (max(start_ns), session_id) < (?, ?)";
    }
    const std::string sql = "SELECT session_id, max(user_id), min(start_ns), max(end_ns), count(*), sum(span_count), "
                            "sum(error_count), sum(tok_total), sum(cost_usd), max(start_ns), sum(priced_spans), "
                            "sum(unpriced_spans) FROM traces"
        + where + " GROUP BY session_id" + having + " ORDER BY max(start_ns) DESC, session_id DESC LIMIT ?";

    auto reader = acquireReader();
    SessionPage page;
    {
        Stmt s(reader->db, sql);
        int i = 1;
        if (query.from_ns)
            s.bind(i++, *query.from_ns);
        if (query.to_ns)
            s.bind(i++, *query.to_ns);
        if (!query.user_id.empty())
            s.bindText(i++, query.user_id);
        if (cursor) {
            s.bind(i++, cursor->ikey);
            s.bindText(i++, cursor->skey);
        }
        s.bind(i++, query.limit + 1);
        std::int64_t lastStart = 0;
        while (s.step()) {
            if (static_cast<int>(page.sessions.size()) == query.limit) {
                Cursor c;
                c.tag = "sessions";
                c.ikey = lastStart;
                c.skey = page.sessions.back().session_id;
                page.next_cursor = c.encode();
                break;
            }
            SessionSummary ss;
            ss.session_id = s.text(0);
            ss.user_id = s.text(1);
            ss.first_start_ns = s.i64(2);
            ss.last_end_ns = s.i64(3);
            ss.trace_count = s.i64(4);
            ss.span_count = s.i64(5);
            ss.error_count = s.i64(6);
            ss.total_tokens = s.i64(7);
            ss.cost_usd = s.dbl(8);
            lastStart = s.i64(9);
            ss.priced_spans = s.i64(10);
            ss.unpriced_spans = s.i64(11);
            page.sessions.push_back(std::move(ss));
        }
    }
    releaseReader(std::move(reader));
    return page;
}

std::vector<TraceSummary> SqliteStore::summariesByRowid(Reader &reader, const std::vector<std::int64_t> &rowids)
{
    std::vector<TraceSummary> out;
    Stmt s(reader.db, std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE id = ?1");
    for (const std::int64_t id : rowids) {
        ResetGuard g { s };
        s.bind(1, id);
        if (s.step())
            out.push_back(readSummary(s));
    }
    return out;
}

std::vector<TraceSummary> SqliteStore::sessionTraces(const std::string &session_id)
{
    auto reader = acquireReader();
    std::vector<TraceSummary> out;
    {
        Stmt s(reader->db,
            std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE session_id = ?1 ORDER BY start_ns, id");
        s.bindText(1, session_id);
        while (s.step())
            out.push_back(readSummary(s));
    }
    releaseReader(std::move(reader));
    return out;
}

bool SqliteStore::ready(std::string &why)
{
    try {
        auto reader = acquireReader();
        {
            Stmt s(reader->db, "SELECT count(*) FROM sqlite_master");
            s.step();
        }
        releaseReader(std::move(reader));
        return true;
    } catch (const std::exception &e) {
        why = e.what();
        return false;
    }
}

std::int64_t SqliteStore::spanCount()
{
    auto reader = acquireReader();
    std::int64_t n = 0;
    {
        Stmt s(reader->db, "SELECT count(*) FROM spans");
        s.step();
        n = s.i64(0);
    }
    releaseReader(std::move(reader));
    return n;
}

namespace {

/// (page_count - freelist_count) * page_size of an open connection's main database.
std::uint64_t pagesInUse(sqlite3 *db)
{
    auto pragma = [db](const char *sql) {
        Stmt s(db, sql);
        return s.step() ? s.i64(0) : 0;
    };
    const std::int64_t pages = pragma("PRAGMA page_count");
    const std::int64_t freePages = pragma("PRAGMA freelist_count");
    const std::int64_t size = pragma("PRAGMA page_size");
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, pages - freePages) * size);
}

} // namespace

std::optional<StoreBytes> SqliteStore::storeBytes()
{
    StoreBytes bytes;
    std::int64_t spans = 0;
    auto reader = acquireReader();
    try {
        bytes.data = pagesInUse(reader->db);
        if (m_search) {
            Stmt count(reader->db, "SELECT count(*) FROM spans");
            spans = count.step() ? count.i64(0) : 0;
        }
    } catch (...) {
        releaseReader(std::move(reader));
        throw;
    }
    releaseReader(std::move(reader));
    const StorageFiles files = sqliteStorageFiles(m_path);
    bytes.wal = files.wal + files.search_wal;
    if (!m_search)
        return bytes;
    // A connection of its own: the index's are busy on its thread. Read-only, so it cannot get in
    // the index's way beyond a shared read lock.
    sqlite3 *index = nullptr;
    const std::string path = SearchIndex::pathFor(m_path);
    if (sqlite3_open_v2(path.c_str(), &index, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(index, m_options.busy_timeout_ms);
        try {
            exec(index, "BEGIN");
            bytes.derived = pagesInUse(index);
            Stmt rows(index, "SELECT count(*) FROM span_text_docsize");
            bytes.derived_rows = rows.step() ? rows.i64(0) : 0;
            Stmt dead(index, "SELECT dead_rows FROM search_state WHERE id = 1");
            bytes.derived_dead_rows = dead.step() ? dead.i64(0) : 0;
            exec(index, "COMMIT");
        } catch (const StoreError &) {
            // An index being made again: counted at the next look.
        }
    }
    sqlite3_close(index);
    // Per span, as the index holds them now: what deleting spans will give back once merged.
    const std::int64_t held = bytes.derived_rows + bytes.derived_dead_rows;
    if (held > 0)
        bytes.derived_share = static_cast<std::uint64_t>(
            std::llround(static_cast<double>(bytes.derived) * static_cast<double>(spans) / static_cast<double>(held)));
    return bytes;
}

bool SqliteStore::compactIndexes()
{
    if (!m_search)
        return false;
    m_search->committed(0); // the deletions queued first
    return m_search->purge();
}

} // namespace agentops::store
