// SPDX-License-Identifier: MIT
#pragma once

#include "store/toolfailures.h"
#include "store/tracestore.h"

#include <chrono>
#include <climits>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pqxx {
class transaction_base;
class dbtransaction;
} // namespace pqxx

namespace agentops::store {

/// The team trace store over PostgreSQL. Every table lives in one schema, so several stores (one per
/// project) share a database. Behaves exactly like SqliteStore: the same summaries, cursors, tree
/// order and metrics. Writes of all processes over one schema are serialized by a transaction-level
/// advisory lock (like SQLite's single writer), so summaries and rollups never double count; reads
/// use a small pool of connections. A broken connection is dropped and a new one opened on next use.
class PostgresStore final : public TraceStore
{
public:
    struct Options
    {
        std::string schema = "public"; ///< letters, digits and _, created when missing
        int pool_size = 4; ///< read connections; the writer has its own
        /// Keep each span's search text and its pg_trgm indexes (content search). Off, the store
        /// answers q as one without them (trace names, sessions): benchmarks compare ingest.
        bool search = true;
        /// The most spans stored and not searchable yet that the writer lets build up: past it, it
        /// waits for the indexer (and the ingest queue, full meanwhile, answers 503 with Retry-After,
        /// which exporters retry). Older spans being indexed for the first time do not count. 0: no
        /// bound. Not while the indexer fails (its error is reported instead).
        std::int64_t search_max_lag = 250'000;
        /// An indexer step takes the schema's writer lock, as it did before only deletions of spans
        /// took turns with it (postgresutil.h, kSearchDeleteLock): the writer then waits for each
        /// step. On only for benchmarks that measure what that cost the writer.
        bool search_takes_writer_lock = false;
        /// Where row-level security binds the store's role and the search function can be had
        /// (postgressearch.h, kSearchRole): the most spans a term may match for a search to list
        /// the traces the function found through the trigram indexes. Past it the list is read in
        /// its order and each trace tried, which finds a page of a common term sooner.
        int search_collect_max = 5'000;
        /// The time now, in ns since 1970 (the system clock when empty): the day a new trace is
        /// stored under, whose spans partition it goes to (docs/postgresql.md, "Partitions by day").
        std::function<std::int64_t()> clock;
        /// Retention drops a whole day's partition where it can (deleteTracesBefore). Off only for
        /// benchmarks that measure deleting the same rows one by one.
        bool retention_drops_days = true;
    };

    /// Connects, creates the schema when missing and migrates it. Throws StoreError.
    explicit PostgresStore(const std::string &conninfo);
    PostgresStore(const std::string &conninfo, Options options);
    ~PostgresStore() override;

    PostgresStore(const PostgresStore &) = delete;
    PostgresStore &operator=(const PostgresStore &) = delete;

    static int latestSchemaVersion();
    int schemaVersion();
    const std::string &schema() const { return m_options.schema; }
    /// Why content search has no index it can use, as a sentence: pg_trgm could not be created, or
    /// row-level security binds the store's role and the search role is missing (postgressearch.h,
    /// kSearchRole); empty when it has one (or search is off). Without one, searches give the same
    /// answers, reading every span.
    const std::string &searchIndexError() const { return m_searchIndexError; }
    /// How far content search is behind the writer: spans stored and not searchable yet (changed
    /// spans waiting to be indexed again included), and why the indexer last failed (empty while it
    /// works). Throws StoreError when the database cannot be read.
    struct SearchProgress
    {
        std::int64_t lag = 0; ///< every span not searchable yet
        /// Of those, the ones stored after the newest indexed (and queued ones): what the writer's
        /// bound (Options::search_max_lag) holds; the rest are older spans indexed when nothing new comes.
        std::int64_t behind = 0;
        std::string error;
    };
    SearchProgress searchProgress();
    /// Blocks until every span stored so far is searchable (tests, benchmarks); false when the
    /// indexer made no progress for a minute.
    bool waitForSearchIndex();

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
    /// DELETE in one transaction; (auto)vacuum reclaims the space, docs/deployment.md says what
    /// PostgreSQL keeps beyond that (its WAL, replicas, backups).
    EraseStats erase(const TraceSelection &selection) override;
    bool ready(std::string &why) override;
    std::int64_t spanCount() override;

    class Connection;

private:
    /// Runs f(connection) on a pooled read connection; a broken one is dropped, not returned.
    template<typename F>
    auto withReader(F &&f);
    /// Runs f(connection) on the writer connection under the write mutex, reconnecting when broken.
    template<typename F>
    auto withWriter(F &&f);
    /// A read connection of the pool; without wait, nullptr when every one is in use (for work
    /// beside a connection already held: requests that each hold one never wait for a second).
    std::unique_ptr<Connection> acquire(bool wait = true);
    void release(std::unique_ptr<Connection> c);
    void migrate(Connection &c);
    /// Deletes traces whole (spans, summaries, model rows, their share of the rollups, resources no
    /// span uses any more) inside tx; returns the spans deleted. Lists as ArrayBuilder makes them.
    std::size_t deleteTraceRows(pqxx::transaction_base &tx, const std::string &idList, const std::string &rowidList);
    /// Retention by partition: drops the first day of spans that has ended (by cutoff_ns and by the
    /// clock) and whose traces all started before cutoff_ns, with its summaries and its share of the
    /// rollups. Returns the traces deleted, or nothing when no day can go this way.
    std::optional<std::size_t> dropExpiredDay(Connection &c, std::int64_t cutoff_ns);
    /// The time now (Options::clock).
    std::int64_t now() const;
    /// Makes the spans partitions of today and tomorrow when this writer has not seen them yet.
    void ensurePartitions(Connection &c, int today);
    /// Creates pg_trgm and the search indexes when missing; why it could not, or empty.
    std::string ensureSearchIndexes(pqxx::dbtransaction &tx);
    /// The content search indexer's thread: indexes what the writer stored, on a connection of its own.
    void runIndexer();
    void wakeIndexer();
    /// Blocks the writer while more than search_max_lag spans wait for the indexer.
    void waitForIndexRoom();

    std::string m_conninfo;
    Options m_options;
    std::mutex m_writeMutex;
    std::unique_ptr<Connection> m_writer;
    /// The last day whose spans partition the writer knows exists (INT_MIN: look again).
    int m_partitionsReady = INT_MIN;
    /// When the days ahead are tried again after a try that could not make them.
    std::chrono::steady_clock::time_point m_nextPartitionTry;
    /// Retention drops no day until then: the last drop could not lock spans in time.
    std::chrono::steady_clock::time_point m_dropsPausedUntil;
    std::mutex m_poolMutex;
    std::condition_variable m_poolFree;
    std::vector<std::unique_ptr<Connection>> m_idle;
    int m_open = 0; ///< read connections in use or idle
    std::string m_searchIndexError;
    /// Searches find their traces through the schema's search_match (row-level security binds the
    /// store's role, which may call it).
    bool m_searchMatch = false;
    std::mutex m_indexMutex;
    std::condition_variable m_indexWake;
    bool m_indexStop = false;
    std::uint64_t m_indexRequests = 0; ///< grows with each write, and each waitForSearchIndex
    std::string m_indexError;
    std::condition_variable m_indexProgressed; ///< the writer waiting for room: the indexer moved on
    /// Spans behind, as the indexer last counted them plus what the writer stored since.
    std::int64_t m_indexBehind = 0;
    /// Spans this store has written, ever: the ones written while a step counted are added to its count.
    std::int64_t m_indexWritten = 0;
    std::thread m_indexer;
    PendingReports m_pendingReports; ///< this instance's writer's; see store/toolfailures.h
};

} // namespace agentops::store
