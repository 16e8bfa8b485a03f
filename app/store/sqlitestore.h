// SPDX-License-Identifier: MIT
#pragma once

#include "store/searchindex.h"
#include "store/toolfailures.h"
#include "store/tracestore.h"
#include "store/walcheckpointer.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct sqlite3;

namespace agentops::store {

struct TraceListSql;

/// The embedded trace store: one SQLite file in WAL mode. Spans live in a rowid table keyed by their
/// trace's row id, with a UNIQUE(trace_rowid, span_id) index (schema 5; large rows insert several
/// times faster into a rowid table than into a WITHOUT ROWID one keyed on the ids); per-trace summaries are upserted in
/// the same transaction as their spans. Writes come from one thread at a time; reads use a pool of read-only
/// connections and run concurrently with the writer.
class SqliteStore final : public TraceStore
{
public:
    enum class Sync { Normal, Full };
    struct Options
    {
        /// NORMAL survives a crash of the process (WAL); FULL also survives power loss, slower.
        Sync sync = Sync::Normal;
        /// Stop migrating at this schema version (tests of old schemas); 0 = latest.
        int target_version = 0;
        int busy_timeout_ms = 5000;
        /// When the WAL is checkpointed into the database file, off the writer's thread.
        WalCheckpointer::Options checkpoint;
        /// Keep a full-text index of what spans say (searchindex.h), for TraceQuery::text.
        bool search = true;
        SearchIndex::Options search_options;
        /// Writes that would grow the database beyond this many pages fail as on a full disk
        /// (SQLITE_FULL; PRAGMA max_page_count). 0: no limit. For tests of a full disk.
        std::int64_t max_page_count = 0;
        /// Sorts other than by start time walk the list's per-stretch indexes (schema 10); false: one
        /// query that reads every summary the filters keep (benchmarks of the plan before).
        bool list_plans = true;
        /// One query answers when an indexed filter (model, service, session, time range) keeps at
        /// most this many traces; and when walking the stretches takes more than list_walk_budget
        /// virtual machine steps (about 40 ms), because the other filters keep few.
        std::int64_t list_few_traces = 20'000;
        std::int64_t list_walk_budget = 400'000;
    };

    /// Opens (creating when missing) and migrates the database. Throws StoreError.
    explicit SqliteStore(const std::string &path);
    SqliteStore(const std::string &path, Options options);
    ~SqliteStore() override;

    SqliteStore(const SqliteStore &) = delete;
    SqliteStore &operator=(const SqliteStore &) = delete;

    static int latestSchemaVersion();
    int schemaVersion();
    const std::string &path() const { return m_path; }

    WriteStats writeEncoded(std::span<const std::span<const EncodedSpan>> chunks) override;
    TracePage listTraces(const TraceQuery &query) override;
    using TraceStore::trace;
    std::optional<TraceDetail> trace(const core::TraceId &id, TraceLoad load) override;
    std::optional<core::Span> span(const core::TraceId &traceId, const core::SpanId &spanId) override;
    SessionPage listSessions(const SessionQuery &query) override;
    std::vector<core::TraceSummary> sessionTraces(const std::string &session_id) override;
    MetricsResult metrics(const MetricsQuery &query) override;
    std::size_t reprice(const std::function<bool(core::Span &)> &price,
        const std::function<bool(std::size_t done, std::size_t total)> &progress) override;
    std::size_t deleteTracesBefore(std::int64_t cutoff_ns, std::size_t max_traces) override;
    std::vector<core::AlertRule> alertRules() override;
    core::AlertRule addAlertRule(const core::AlertRule &rule) override;
    bool updateAlertRule(const core::AlertRule &rule) override;
    bool removeAlertRule(std::int64_t id) override;
    void recordAlertEvaluation(const std::vector<std::pair<std::int64_t, core::AlertState>> &states,
        std::vector<core::AlertEvent> &events) override;
    std::vector<core::AlertEvent> alertEvents(std::size_t limit) override;
    std::vector<core::TraceId> selectTraces(const TraceSelection &selection) override;
    /// Deletes with secure_delete (zeroed rows and free pages), then empties the WAL (checkpoint
    /// TRUNCATE) and has the search index purge the traces' rows (SearchIndex::purge) before it
    /// returns. Throws StoreError when the WAL cannot be emptied (a reader held it): the traces are
    /// gone from every query then, and erasing again finishes the job.
    EraseStats erase(const TraceSelection &selection) override;
    /// Pages in use of the database and of its search index (free pages left out: they are reused).
    std::optional<StoreBytes> storeBytes() override;
    bool compactIndexes() override;
    bool ready(std::string &why) override;
    std::int64_t spanCount() override;
    WalCheckpointer::Counters checkpointCounters() const;
    /// Deletes the search index files of a database (derived data: made again when it is opened).
    static void removeSearchIndex(const std::string &databasePath);
    /// The search index's progress; nullopt when the store keeps none; only an error when it could
    /// not be opened (the store then works without content search).
    std::optional<SearchIndex::Progress> searchProgress() const;
    /// Blocks until every span stored so far is searchable (tests, benchmarks).
    bool waitForSearchIndex();

private:
    class Reader;
    struct WriterStatements;

    std::unique_ptr<Reader> acquireReader();
    void releaseReader(std::unique_ptr<Reader> reader);
    void migrate(int target);
    void openSearchIndex();
    /// Drops the writer's memory of row ids (RecentTraces, resources) before rows may go; m_writeMutex held.
    void forgetRecentTraces();
    /// Summaries of the traces with these row ids, in that order.
    static TracePage readTracePage(Reader &reader, const TraceListSql &list, std::vector<std::int64_t> &rowids);
    /// The page of a content search: from the matching traces while they are few, else by walking
    /// the list in order and asking the index about each stretch of it (walkTracePage).
    TracePage searchTracePage(Reader &reader, const TraceListSql &list, std::vector<std::int64_t> &rowids);
    std::optional<TracePage> walkTracePage(Reader &reader, const TraceListSql &list, std::vector<std::int64_t> &rowids);
    /// A page sorted by other than start time, merged from the top of each stretch of traces
    /// (tracelistplan.cpp); nullopt where one query over the filters' own index is cheaper.
    /// Rewrites the list's query as it is best answered (a model in many traces probed per trace), and
    /// says whether to walk the stretches (stretchTracePage) rather than run it as one query.
    bool planTraceList(Reader &reader, const TraceQuery &query, TraceListSql &list);
    std::optional<TracePage> stretchTracePage(
        Reader &reader, const TraceQuery &query, const TraceListSql &list, std::vector<std::int64_t> &rowids);
    static std::vector<SearchHit> searchHits(
        Reader &reader, const std::string &match, const std::vector<std::int64_t> &traceRowids);
    static std::vector<core::TraceSummary> summariesByRowid(Reader &reader, const std::vector<std::int64_t> &rowids);

    std::string m_path;
    Options m_options;
    sqlite3 *m_writer = nullptr;
    std::unique_ptr<WriterStatements> m_stmts;
    std::unique_ptr<WalCheckpointer> m_checkpointer;
    std::mutex m_writeMutex;
    std::mutex m_poolMutex;
    std::vector<std::unique_ptr<Reader>> m_readers;
    PendingReports m_pendingReports; ///< the writer's; see store/toolfailures.h
    /// Grows when erasure deletes resource rows: pooled readers of an older generation (whose
    /// resource cache may hold a row id given again) are not reused.
    std::atomic<std::uint64_t> m_readerGeneration { 0 };
    std::unique_ptr<SearchIndex> m_search;
    std::string m_searchError; ///< why there is no index although one was asked for
};

} // namespace agentops::store
