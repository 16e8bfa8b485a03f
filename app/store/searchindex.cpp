// SPDX-License-Identifier: MIT
#include "store/searchindex.h"

#include "core/span.h"
#include "store/privatefiles.h"
#include "store/searchquery.h"
#include "store/sqliteutil.h"

#include <nlohmann/json.hpp>

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
constexpr int kIndexVersion = 1;

constexpr const char *kSchema = R"sql(
CREATE VIRTUAL TABLE IF NOT EXISTS span_text USING fts5(
    name, tool, model, status, kind, body, span_rowid UNINDEXED, tokenize = 'trigram');
CREATE TABLE IF NOT EXISTS search_state(
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    indexed INTEGER NOT NULL,
    deletes_done INTEGER NOT NULL);
)sql";

/// Appends the string values in a JSON document (not its keys), or the text itself when it is not
/// JSON. Strings already indexed for this trace (seen) are left out.
class BodyBuilder
{
public:
    BodyBuilder(std::string &out, std::unordered_set<std::uint64_t> &seen)
        : m_out(out)
        , m_seen(seen)
    { }

    void addText(std::string_view text)
    {
        if (text.empty() || full())
            return;
        const char first = text.front();
        if (first == '{' || first == '[') {
            auto json = nlohmann::json::parse(text, nullptr, false);
            if (!json.is_discarded()) {
                addJson(json);
                return;
            }
        }
        addString(text);
    }

    bool full() const { return m_out.size() >= SearchIndex::kMaxBodyBytes; }

private:
    void addJson(const nlohmann::json &j)
    {
        if (j.is_string()) {
            const auto &s = j.get_ref<const std::string &>();
            // A JSON string that is itself JSON (tool arguments, an attribute holding messages).
            if (!s.empty() && (s.front() == '{' || s.front() == '['))
                addText(s);
            else
                addString(s);
        } else if (j.is_structured()) {
            for (const auto &item : j) {
                if (full())
                    return;
                addJson(item);
            }
        }
    }

    void addString(std::string_view s)
    {
        if (s.size() >= 24 && !m_seen.insert(std::hash<std::string_view> {}(s)).second)
            return; // said before in this trace (a conversation's history, sent with every call)
        if (!m_out.empty())
            m_out.push_back('\n');
        const std::size_t room = SearchIndex::kMaxBodyBytes - std::min(m_out.size(), SearchIndex::kMaxBodyBytes);
        if (s.size() > room) {
            std::size_t cut = room;
            while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
                --cut; // not inside a UTF-8 sequence
            s = s.substr(0, cut);
        }
        m_out += s;
    }

    std::string &m_out;
    std::unordered_set<std::uint64_t> &m_seen;
};

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
    std::int64_t deletesDone = 0;
    std::unordered_map<std::int64_t, TraceMemory> traces;
    std::deque<std::int64_t> order;

    TraceMemory &memory(std::int64_t traceRowid)
    {
        auto [it, fresh] = traces.try_emplace(traceRowid);
        if (!fresh)
            return it->second;
        order.push_back(traceRowid);
        if (order.size() > 4096) {
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
        traces.erase(traceRowid); // its entry in order goes when it comes round
    }
};

SearchIndex::SearchIndex(const std::string &databasePath, Options options)
    : m_databasePath(databasePath)
    , m_path(pathFor(databasePath))
    , m_options(options)
    , m_state(std::make_unique<State>())
{
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
    exec(m_index, "PRAGMA synchronous=NORMAL");
    exec(m_index, "PRAGMA cache_size=-16384");
    exec(m_index, kSchema);
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
    st.readState = Stmt(m_index, "SELECT indexed, deletes_done FROM search_state WHERE id = 1");
    st.writeState = Stmt(m_index,
        "INSERT INTO search_state(id, version, indexed, deletes_done) VALUES(1, ?1, ?2, ?3) "
        "ON CONFLICT(id) DO UPDATE SET version = excluded.version, indexed = excluded.indexed, "
        "deletes_done = excluded.deletes_done");
    st.insert = Stmt(m_index,
        "INSERT INTO span_text(rowid, name, tool, model, status, kind, body, span_rowid) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    st.lastOrdinal = Stmt(m_index, "SELECT max(rowid) FROM span_text WHERE rowid >= ?1 AND rowid < ?2");
    st.deleteRange = Stmt(m_index, "DELETE FROM span_text WHERE rowid >= ?1 AND rowid < ?2");
    constexpr const char *kColumns = "id, trace_rowid, name, kind, status, tool_name, "
                                     "coalesce(nullif(response_model, ''), request_model), status_message, input, "
                                     "output, attributes, events FROM spans ";
    st.spans = Stmt(m_source, std::string("SELECT ") + kColumns + "WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.spansOfTrace
        = Stmt(m_source, std::string("SELECT ") + kColumns + "WHERE trace_rowid = ?1 AND id <= ?2 ORDER BY id");
    st.deletes
        = Stmt(m_source, "SELECT seq, trace_rowid, spans_after FROM search_queue WHERE seq > ?1 ORDER BY seq LIMIT 64");
    st.latest = Stmt(m_source, "SELECT coalesce(max(id), 0) FROM spans");
    reload();
    {
        ResetGuard g { st.latest };
        st.latest.step();
        m_latest = st.latest.i64(0);
    }
}

void SearchIndex::reload()
{
    State &st = *m_state;
    st.traces.clear();
    st.order.clear();
    ResetGuard g { st.readState };
    std::int64_t indexed = 0;
    std::int64_t deletes = 0;
    if (st.readState.step()) {
        indexed = st.readState.i64(0);
        deletes = st.readState.i64(1);
    }
    st.deletesDone = deletes;
    std::lock_guard lock(m_mutex);
    m_indexed = indexed;
    m_deletesDone = deletes;
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
    m_progressed.wait(lock, [&] { return m_stop || !m_error.empty() || m_latest - m_indexed <= m_options.max_lag; });
}

bool SearchIndex::waitUntilCaughtUp()
{
    std::unique_lock lock(m_mutex);
    const std::uint64_t target = ++m_requested;
    m_wake.notify_one();
    m_progressed.wait(lock, [&] { return m_stop || !m_error.empty() || m_done >= target; });
    return m_error.empty();
}

SearchIndex::Progress SearchIndex::progress() const
{
    std::lock_guard lock(m_mutex);
    return { m_indexed, m_latest, m_error };
}

std::int64_t SearchIndex::deletesDone() const
{
    std::lock_guard lock(m_mutex);
    return m_deletesDone;
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
            std::lock_guard lock(m_mutex);
            m_error.clear();
            m_done = generation;
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
void indexRow(Stmt &row, Stmt &insert, std::int64_t rowid, TraceMemory &memory)
{
    std::string body;
    BodyBuilder b(body, memory.seen);
    for (int c : { 7, 8, 9, 10, 11 }) // status message, input, output, attributes, events
        b.addText(row.textView(c));
    const auto kind = core::toString(static_cast<core::SpanKind>(row.i64(3)));
    ResetGuard g { insert };
    insert.bind(1, rowid);
    insert.bindText(2, row.textView(2));
    insert.bindText(3, row.textView(5));
    insert.bindText(4, row.textView(6));
    insert.bindText(5, searchStatusToken(static_cast<int>(row.i64(4))));
    insert.bindText(6, searchKindToken(kind));
    insert.bindText(7, body);
    insert.bind(8, row.i64(0));
    insert.step();
}

} // namespace

bool SearchIndex::step()
{
    State &st = *m_state;
    std::int64_t indexed = 0;
    {
        std::lock_guard lock(m_mutex);
        indexed = m_indexed;
    }
    exec(m_source, "BEGIN");
    exec(m_index, "BEGIN IMMEDIATE");
    bool did = false;
    bool rewound = false;
    // Queued work first, in the same snapshot as the spans read below: traces deleted or changed
    // lose their rows, and what is left of them is indexed again; row ids that may be used again
    // are read again.
    {
        ResetGuard g { st.deletes };
        st.deletes.bind(1, st.deletesDone);
        while (st.deletes.step()) {
            did = true;
            st.deletesDone = st.deletes.i64(0);
            if (!st.deletes.isNull(2)) {
                indexed = std::min(indexed, st.deletes.i64(2));
                rewound = true;
                continue;
            }
            const std::int64_t trace = st.deletes.i64(1);
            const std::int64_t lo = trace << kOrdinalBits;
            {
                ResetGuard d { st.deleteRange };
                st.deleteRange.bind(1, lo);
                st.deleteRange.bind(2, lo + (std::int64_t(1) << kOrdinalBits));
                st.deleteRange.step();
            }
            st.forget(trace);
            ResetGuard again { st.spansOfTrace };
            st.spansOfTrace.bind(1, trace);
            st.spansOfTrace.bind(2, indexed);
            while (st.spansOfTrace.step()) {
                TraceMemory &m = st.memory(trace);
                indexRow(st.spansOfTrace, st.insert, lo + m.next++, m);
            }
        }
    }
    std::int64_t latest = indexed;
    {
        ResetGuard g { st.spans };
        st.spans.bind(1, indexed);
        st.spans.bind(2, m_options.batch);
        while (st.spans.step()) {
            did = true;
            latest = st.spans.i64(0);
            const std::int64_t trace = st.spans.i64(1);
            TraceMemory &m = st.memory(trace);
            if (m.next >= (std::int64_t(1) << kOrdinalBits))
                continue; // a trace of over 16 million spans: the rest of it is not searchable
            indexRow(st.spans, st.insert, (trace << kOrdinalBits) + m.next++, m);
        }
    }
    if (did) {
        ResetGuard g { st.writeState };
        st.writeState.bind(1, kIndexVersion);
        st.writeState.bind(2, latest);
        st.writeState.bind(3, st.deletesDone);
        st.writeState.step();
    }
    exec(m_index, "COMMIT");
    exec(m_source, "COMMIT");
    {
        std::lock_guard lock(m_mutex);
        m_indexed = latest;
        // After a rewind the writer's last row id may be one that was deleted since; commits after
        // this snapshot raise it again.
        m_latest = rewound ? latest : std::max(m_latest, latest);
        m_deletesDone = st.deletesDone;
        m_latest = std::max(m_latest, latest);
    }
    m_progressed.notify_all();
    return did;
}

} // namespace agentops::store
