// SPDX-License-Identifier: MIT
#include "store/searchindex.h"

#include "core/span.h"
#include "core/text.h"
#include "store/privatefiles.h"
#include "store/searchquery.h"
#include "store/searchtext.h"
#include "store/sqliteutil.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace agentops::store {

using namespace sqlite;

namespace {

// Bump when what a row holds changes: an index of another version is dropped and built again.
constexpr int kIndexVersion = 2;

constexpr const char *kSchema = R"sql(
CREATE VIRTUAL TABLE IF NOT EXISTS span_text USING fts5(
    name, tool, model, status, kind, body, span_rowid UNINDEXED, tokenize = 'trigram');
CREATE TABLE IF NOT EXISTS search_state(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    indexed INTEGER NOT NULL,
    deletes_done INTEGER NOT NULL,
    backfill_to INTEGER NOT NULL,
    forward INTEGER NOT NULL,
    dead_rows INTEGER NOT NULL DEFAULT 0);
)sql";

/// Per-trace memory of the indexer: the next ordinal, and the texts already indexed. Bounded: a
/// trace forgotten and seen again asks the index for its last ordinal and indexes repeats again.
struct TraceMemory
{
    std::int64_t next = 0;
    std::unordered_set<std::uint64_t> seen;
};

} // namespace

struct SearchIndex::State
{
    Stmt readState;
    Stmt writeState;
    Stmt insert;
    Stmt lastOrdinal;
    Stmt deleteRange;
    Stmt spans; ///< of the database, after a row id
    Stmt spansOfTrace; ///< of the database, one trace up to a row id
    Stmt deletes; ///< of the database, queued after a sequence number
    Stmt latest; ///< of the database
    Cursors at; ///< as of the step's transaction
    std::size_t limit = 4096; ///< traces remembered
    std::unordered_map<std::int64_t, TraceMemory> traces;
    std::deque<std::int64_t> order;

    TraceMemory &memory(std::int64_t traceRowid)
    {
        auto [it, fresh] = traces.try_emplace(traceRowid);
        if (!fresh)
            return it->second;
        order.push_back(traceRowid);
        if (order.size() > limit) {
            traces.erase(order.front());
            order.pop_front();
        }
        const std::int64_t lo = traceRowid << kOrdinalBits;
        ResetGuard g { lastOrdinal };
        lastOrdinal.bind(1, lo);
        lastOrdinal.bind(2, lo + (std::int64_t(1) << kOrdinalBits));
        if (lastOrdinal.step() && !lastOrdinal.isNull(0))
            it->second.next = lastOrdinal.i64(0) - lo + 1;
        return it->second;
    }

    void forget(std::int64_t traceRowid)
    {
        if (traces.erase(traceRowid) > 0)
            std::erase(order, traceRowid);
    }
};

SearchIndex::SearchIndex(const std::string &databasePath, Options options)
    : m_databasePath(databasePath)
    , m_path(pathFor(databasePath))
    , m_options(options)
    , m_state(std::make_unique<State>())
{
    m_state->limit = std::max<std::size_t>(1, options.traces_remembered);
    try {
        open();
    } catch (...) {
        m_state.reset();
        sqlite3_close(m_source);
        sqlite3_close(m_index);
        throw;
    }
    m_thread = std::thread([this] { run(); });
}

SearchIndex::~SearchIndex()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_progressed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    m_state.reset();
    sqlite3_close(m_source);
    if (m_index)
        sqlite3_wal_checkpoint_v2(m_index, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_close(m_index);
}

void SearchIndex::open()
{
    createPrivateFile(m_path);
    if (sqlite3_open_v2(
            m_path.c_str(), &m_index, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK)
        fail(m_index, "cannot open search index " + m_path);
    sqlite3_busy_timeout(m_index, 5000);
    exec(m_index, "PRAGMA journal_mode=WAL");
    // FULL: retention drops its queue up to where the index says it got, so what the index says
    // must survive a power loss too.
    exec(m_index, "PRAGMA synchronous=FULL");
    exec(m_index, "PRAGMA cache_size=-16384");
    // The log file is cut back to this when it starts over: what it takes counts against a size limit.
    exec(m_index, "PRAGMA journal_size_limit=4194304");
    // Deleted rows and freed pages are zeroed: text erased from the database (SqliteStore::erase)
    // must not stay in the index's free space either.
    exec(m_index, "PRAGMA secure_delete=ON");
    exec(m_index, kSchema);
    {
        // An index made before dead_rows was kept: none counted yet (as after 'optimize').
        sqlite3_stmt *probe = nullptr;
        if (sqlite3_prepare_v2(m_index, "SELECT dead_rows FROM search_state", -1, &probe, nullptr) != SQLITE_OK)
            exec(m_index, "ALTER TABLE search_state ADD COLUMN dead_rows INTEGER NOT NULL DEFAULT 0");
        sqlite3_finalize(probe);
    }
    {
        Stmt v(m_index, "SELECT version FROM search_state WHERE id = 1");
        if (v.step() && v.i64(0) != kIndexVersion) {
            exec(m_index, "DROP TABLE span_text; DELETE FROM search_state;");
            exec(m_index, kSchema);
        }
    }
    if (sqlite3_open_v2(m_databasePath.c_str(), &m_source, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK)
        fail(m_source, "cannot open database " + m_databasePath);
    sqlite3_busy_timeout(m_source, 5000);

    State &st = *m_state;
    st.readState
        = Stmt(m_index, "SELECT indexed, deletes_done, backfill_to, forward, dead_rows FROM search_state WHERE id = 1");
    st.writeState = Stmt(m_index,
        "INSERT INTO search_state(id, version, indexed, deletes_done, backfill_to, forward, dead_rows) "
        "VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET version = excluded.version, "
        "indexed = excluded.indexed, deletes_done = excluded.deletes_done, backfill_to = excluded.backfill_to, "
        "forward = excluded.forward, dead_rows = excluded.dead_rows");
    st.insert = Stmt(m_index,
        "INSERT INTO span_text(rowid, name, tool, model, status, kind, body, span_rowid) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    st.lastOrdinal = Stmt(m_index, "SELECT max(rowid) FROM span_text WHERE rowid >= ?1 AND rowid < ?2");
    st.deleteRange = Stmt(m_index, "DELETE FROM span_text WHERE rowid >= ?1 AND rowid < ?2");
    constexpr const char *kColumns = "id, trace_rowid, name, kind, status, tool_name, "
                                     "coalesce(nullif(response_model, ''), request_model), status_message, output, "
                                     "input, attributes, events FROM spans ";
    st.spans = Stmt(m_source, std::string("SELECT ") + kColumns + "WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3");
    st.spansOfTrace = Stmt(m_source,
        std::string("SELECT ") + kColumns
            + "WHERE trace_rowid = ?1 AND (id <= ?2 OR (id > ?3 AND id <= ?4)) ORDER BY id");
    st.deletes = Stmt(m_source,
        "SELECT seq, trace_rowid, spans_after FROM search_queue WHERE seq > ?1 ORDER BY seq LIMIT "
            + std::to_string(kQueueBatch));
    st.latest = Stmt(m_source, "SELECT coalesce(max(id), 0) FROM spans");

    // Where the index got, against the database it indexes now.
    exec(m_index, "BEGIN IMMEDIATE");
    try {
        readCursors();
        {
            ResetGuard g { st.latest };
            st.latest.step();
            m_latest = st.latest.i64(0);
        }
        Cursors &c = st.at;
        if (c.forward > m_latest) // a database older than its index (restored): read again from its end
            c.backfill = c.backfill_to = c.forward = std::min(c.backfill, m_latest);
        // Far behind (a database from a version without the index, or a deleted index file): new
        // spans go first and what is stored now is indexed when there are none, so ingest never waits
        // for the backlog.
        if (c.backfill == c.forward && m_latest - c.forward > m_options.max_lag / 2)
            c.backfill_to = c.forward = m_latest;
        writeCursors();
        exec(m_index, "COMMIT");
    } catch (...) {
        sqlite3_exec(m_index, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    std::lock_guard lock(m_mutex);
    m_at = st.at;
}

void SearchIndex::readCursors()
{
    State &st = *m_state;
    ResetGuard g { st.readState };
    st.at = Cursors {};
    if (st.readState.step()) {
        st.at.backfill = st.readState.i64(0);
        st.at.deletes_done = st.readState.i64(1);
        st.at.backfill_to = st.readState.i64(2);
        st.at.forward = st.readState.i64(3);
        st.at.dead_rows = st.readState.i64(4);
    }
}

void SearchIndex::writeCursors()
{
    State &st = *m_state;
    ResetGuard g { st.writeState };
    st.writeState.bind(1, kIndexVersion);
    st.writeState.bind(2, st.at.backfill);
    st.writeState.bind(3, st.at.deletes_done);
    st.writeState.bind(4, st.at.backfill_to);
    st.writeState.bind(5, st.at.forward);
    st.writeState.bind(6, st.at.dead_rows);
    st.writeState.step();
}

void SearchIndex::reload()
{
    State &st = *m_state;
    st.traces.clear();
    st.order.clear();
    readCursors();
    std::lock_guard lock(m_mutex);
    m_at = st.at;
}

void SearchIndex::committed(std::int64_t lastSpanRowid)
{
    {
        std::lock_guard lock(m_mutex);
        m_latest = std::max(m_latest, lastSpanRowid);
        ++m_requested;
    }
    m_wake.notify_one();
}

void SearchIndex::waitForRoom()
{
    std::unique_lock lock(m_mutex);
    m_progressed.wait(lock, [&] { return m_stop || !m_error.empty() || m_latest - m_at.forward <= m_options.max_lag; });
}

bool SearchIndex::purge()
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t target = ++m_requested;
    m_purgeWanted = target;
    m_wake.notify_one();
    m_progressed.wait(lock, [&] { return m_stop || !m_error.empty() || m_purged >= target; });
    return m_error.empty() && !m_stop;
}

void SearchIndex::purgeNow()
{
    State &st = *m_state;
    exec(m_index, "BEGIN IMMEDIATE");
    try {
        exec(m_index, "INSERT INTO span_text(span_text) VALUES('optimize')");
        readCursors();
        st.at.dead_rows = 0; // one segment now, of the live rows only
        writeCursors();
        exec(m_index, "COMMIT");
    } catch (...) {
        sqlite3_exec(m_index, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    {
        std::lock_guard lock(m_mutex);
        m_at = st.at;
    }
    truncateWal(m_index, m_path);
}

bool SearchIndex::waitUntilCaughtUp()
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t target = ++m_requested;
    m_wake.notify_one();
    m_progressed.wait(lock, [&] { return m_stop || !m_error.empty() || m_done >= target; });
    return m_error.empty() && !m_stop;
}

SearchIndex::Progress SearchIndex::progress() const
{
    std::lock_guard lock(m_mutex);
    Progress p;
    p.indexed = m_at.indexed();
    p.latest = std::max(m_latest, m_at.forward);
    p.behind = std::max<std::int64_t>(0, m_latest - m_at.forward);
    p.error = m_error;
    return p;
}

std::int64_t SearchIndex::deadRows() const
{
    std::lock_guard lock(m_mutex);
    return m_at.dead_rows;
}

std::int64_t SearchIndex::deletesDone() const
{
    std::lock_guard lock(m_mutex);
    return m_at.deletes_done;
}

void SearchIndex::run()
{
    // Searching is worth less than storing: the writer and the request threads go first.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    for (;;) {
        std::uint64_t generation = 0;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::seconds(1), [&] { return m_stop || m_requested != m_done; });
            if (m_stop)
                return;
            generation = m_requested;
        }
        try {
            while (step()) {
                std::lock_guard lock(m_mutex);
                if (m_stop)
                    return;
            }
            bool purge = false;
            {
                std::lock_guard lock(m_mutex);
                purge = m_purgeWanted > m_purged && m_purgeWanted <= generation;
            }
            if (purge)
                purgeNow();
            std::lock_guard lock(m_mutex);
            m_error.clear();
            m_done = generation;
            if (purge)
                m_purged = generation;
        } catch (const std::exception &e) {
            sqlite3_exec(m_index, "ROLLBACK", nullptr, nullptr, nullptr);
            sqlite3_exec(m_source, "ROLLBACK", nullptr, nullptr, nullptr);
            try {
                reload();
            } catch (const std::exception &) {
                // reported below; the next attempt reloads again
            }
            std::unique_lock lock(m_mutex);
            m_error = e.what();
            m_progressed.notify_all();
            // Try again later (a full disk may get room); writers do not wait meanwhile.
            m_wake.wait_for(lock, std::chrono::seconds(10), [&] { return m_stop; });
            if (m_stop)
                return;
        }
        m_progressed.notify_all();
    }
}

namespace {

/// One span row of the database (SearchIndex::State::spans) as an index row.
/// A span row of the database, copied out of its snapshot (State::spans' columns).
struct SpanRow
{
    std::int64_t id = 0;
    std::int64_t trace = 0;
    int kind = 0;
    int status = 0;
    std::string name, tool, model;
    std::string texts[5]; ///< status message, output, input, attributes, events
    std::size_t bytes() const
    {
        std::size_t n = name.size() + tool.size() + model.size();
        for (const auto &t : texts)
            n += t.size();
        return n;
    }
};

SpanRow copyRow(const Stmt &row)
{
    SpanRow r;
    r.id = row.i64(0);
    r.trace = row.i64(1);
    r.name = row.text(2);
    r.kind = static_cast<int>(row.i64(3));
    r.status = static_cast<int>(row.i64(4));
    r.tool = row.text(5);
    r.model = row.text(6);
    for (int c = 0; c < 5; ++c)
        r.texts[c] = row.text(7 + c);
    return r;
}

void indexRow(const SpanRow &row, Stmt &insert, std::int64_t rowid, TraceMemory &memory)
{
    std::string body;
    SearchBody(body, memory.seen).addSpan(row.texts[0], row.texts[1], row.texts[2], row.texts[3], row.texts[4]);
    ResetGuard g { insert };
    insert.bind(1, rowid);
    insert.bindText(2, row.name);
    insert.bindText(3, row.tool);
    insert.bindText(4, row.model);
    insert.bindText(5, searchStatusToken(row.status));
    insert.bindText(6, searchKindToken(core::toString(static_cast<core::SpanKind>(row.kind))));
    insert.bindText(7, body);
    insert.bind(8, row.id);
    insert.step();
}

/// Rows read in one step: at most this many bytes of text are copied out of a snapshot at once.
constexpr std::size_t kStepBytes = std::size_t { 32 } * 1024 * 1024;

} // namespace

bool SearchIndex::step()
{
    State &st = *m_state;
    exec(m_index, "BEGIN IMMEDIATE");
    readCursors(); // inside the transaction: another process may have moved it
    Cursors &c = st.at;
    // What to do is read from one snapshot of the database, held only while the rows are copied:
    // a reader that stays long keeps the writer's WAL from starting over.
    std::vector<std::int64_t> traces; // deleted or changed: their rows go, what is left is made again
    std::vector<std::pair<std::int64_t, std::vector<SpanRow>>> remade;
    std::vector<SpanRow> fresh, old;
    std::size_t queued = 0;
    bool backfilling = false;
    bool backfillDone = false;
    exec(m_source, "BEGIN");
    try {
        {
            ResetGuard g { st.deletes };
            st.deletes.bind(1, c.deletes_done);
            while (st.deletes.step()) {
                ++queued;
                c.deletes_done = st.deletes.i64(0);
                if (!st.deletes.isNull(2)) { // the row ids above it may have been given to new spans
                    const std::int64_t to = st.deletes.i64(2);
                    c.backfill = std::min(c.backfill, to);
                    c.backfill_to = std::min(c.backfill_to, to);
                    c.forward = std::min(c.forward, to);
                } else {
                    traces.push_back(st.deletes.i64(1));
                }
            }
        }
        std::size_t bytes = 0;
        for (const std::int64_t trace : traces) {
            auto &rows = remade.emplace_back(trace, std::vector<SpanRow> {}).second;
            ResetGuard g { st.spansOfTrace };
            st.spansOfTrace.bind(1, trace);
            st.spansOfTrace.bind(2, c.backfill);
            st.spansOfTrace.bind(3, c.backfill_to);
            st.spansOfTrace.bind(4, c.forward);
            while (st.spansOfTrace.step()) {
                rows.push_back(copyRow(st.spansOfTrace));
                bytes += rows.back().bytes();
            }
        }
        // New spans first; spans stored before the index was opened when there are none. Not while
        // more queued work waits: it may rewind.
        // Returns whether the rows ran out (rather than the batch or the bytes of a step).
        auto read = [&](std::int64_t after, std::int64_t upTo, std::vector<SpanRow> &out) {
            ResetGuard g { st.spans };
            st.spans.bind(1, after);
            st.spans.bind(2, upTo);
            st.spans.bind(3, m_options.batch);
            while (bytes < kStepBytes) {
                if (!st.spans.step())
                    return out.size() < static_cast<std::size_t>(m_options.batch);
                out.push_back(copyRow(st.spans));
                bytes += out.back().bytes();
            }
            return false;
        };
        if (queued < kQueueBatch && read(c.forward, INT64_MAX, fresh) && c.backfill < c.backfill_to) {
            backfilling = true;
            backfillDone = read(c.backfill, c.backfill_to, old);
        }
        exec(m_source, "COMMIT");
    } catch (...) {
        sqlite3_exec(m_source, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }

    for (const auto &[trace, rows] : remade) {
        const std::int64_t lo = trace << kOrdinalBits;
        {
            ResetGuard d { st.deleteRange };
            st.deleteRange.bind(1, lo);
            st.deleteRange.bind(2, lo + (std::int64_t(1) << kOrdinalBits));
            st.deleteRange.step();
        }
        // Their terms stay in the segments, marked deleted, until a merge drops them.
        c.dead_rows += sqlite3_changes(m_index);
        st.forget(trace);
        for (const SpanRow &row : rows) {
            TraceMemory &m = st.memory(trace);
            if (m.next >= (std::int64_t(1) << kOrdinalBits))
                break;
            indexRow(row, st.insert, lo + m.next++, m);
        }
    }
    auto index = [&](const std::vector<SpanRow> &rows, std::int64_t &cursor) {
        for (const SpanRow &row : rows) {
            cursor = row.id;
            TraceMemory &m = st.memory(row.trace);
            if (m.next >= (std::int64_t(1) << kOrdinalBits))
                continue; // a trace of over 16 million spans: the rest of it is not searchable
            indexRow(row, st.insert, (row.trace << kOrdinalBits) + m.next++, m);
        }
    };
    index(fresh, c.forward);
    if (backfilling) {
        index(old, c.backfill);
        if (backfillDone || c.backfill >= c.backfill_to)
            c.backfill = c.backfill_to; // every span up to backfill_to is indexed
    }
    if (c.backfill == c.backfill_to)
        c.backfill = c.backfill_to = c.forward; // one contiguous range again
    const bool did = queued > 0 || !fresh.empty() || backfilling;
    if (did)
        writeCursors();
    exec(m_index, "COMMIT");
    {
        std::lock_guard lock(m_mutex);
        m_at = c;
    }
    m_progressed.notify_all();
    return did;
}

} // namespace agentops::store
