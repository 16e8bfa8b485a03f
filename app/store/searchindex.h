// SPDX-License-Identifier: MIT
#pragma once

#include "store/searchtext.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

struct sqlite3;

namespace agentops::store {

/// The full-text index of an SqliteStore's spans: an FTS5 table with the trigram tokenizer (so
/// substrings of identifiers and Japanese or Chinese text match) in a file of its own beside the
/// database, `<database>.search`.
///
/// Trigram indexing costs ~150 µs per KB of text, tens of times what storing a span costs, so it
/// runs behind the writer on a thread of its own, at a lower priority, into its own file (its own
/// write lock and WAL: the writer never waits for it). It reads the spans the writer committed, in
/// row id order, and keeps how far it got in the index file, in the same transaction as the rows it
/// added: after a crash it goes on from there. A database without an index (an older version's, or
/// one whose index file was deleted) is indexed from its first span the same way; progress() says
/// how far it is. The writer waits when the index falls more than Options::max_lag spans behind,
/// so the lag stays bounded.
///
/// Each span is one row, keyed by (its trace's row id << 24) + its ordinal in the trace, so the
/// traces a search matched are the row ids shifted, without reading any row. Columns: name, tool,
/// model, status (searchStatusToken), kind (searchKindToken), body: the text of the input, output,
/// status message, string attribute values and events, with JSON reduced to its string values.
/// Within a trace, a text already indexed for an earlier span (a conversation's history, sent again
/// with each model call) is indexed only there; at most kMaxBodyBytes of a span's body are indexed.
///
/// Work that changes what is indexed is queued in the database's search_queue table, in the
/// transaction that makes it: traces deleted by retention, traces whose tool spans were marked failed
/// after they were stored (their rows are made again), and the highest span row id left after a
/// deletion (SQLite gives deleted row ids above it to new rows).
class SearchIndex
{
public:
    struct Options
    {
        std::int64_t max_lag = 250'000;
        int batch = 256;
        /// Traces whose texts and ordinals the indexer keeps in memory.
        std::size_t traces_remembered = 4096;
        /// Index rows a search reads before it calls its terms common and walks the trace list in
        /// order instead of collecting every match (SqliteStore::searchTracePage). Negative: one
        /// query with the index as a subquery of the list, for benchmarks to compare with.
        std::int64_t common_rows = 20'000;
        /// Trace rows such a walk reads without filling its page before it collects the matches after all.
        std::size_t walk_give_up = 4'096;
    };
    struct Progress
    {
        std::int64_t indexed = 0; ///< spans indexed (in row id units)
        std::int64_t latest = 0; ///< row id of the last span stored
        std::int64_t lag() const { return latest > indexed ? latest - indexed : 0; }
        /// Spans stored since the index was opened and not indexed yet: what the writer waits for.
        std::int64_t behind = 0;
        std::string error; ///< why indexing stopped; empty while it works
    };
    /// How far the index is, in span row ids: every span up to `backfill` and every span in
    /// (`backfill_to`, `forward`] is indexed. New spans are indexed first (forward), older ones
    /// (up to backfill_to) when there are no new ones: a database indexed for the first time does
    /// not hold up ingest.
    struct Cursors
    {
        std::int64_t backfill = 0;
        std::int64_t backfill_to = 0;
        std::int64_t forward = 0;
        std::int64_t deletes_done = 0;
        /// Rows deleted since the index was last rewritten whole ('optimize'): their terms are still
        /// in its segments, marked deleted, until merges drop them.
        std::int64_t dead_rows = 0;
        std::int64_t indexed() const { return backfill + (forward - backfill_to); }
    };

    static constexpr std::size_t kMaxBodyBytes = SearchBody::kMaxBytes;
    static constexpr int kOrdinalBits = 24;
    static constexpr std::size_t kQueueBatch = 64;

    /// Opens (creating when missing) the index beside the database at databasePath and starts
    /// indexing. Throws StoreError when the index file cannot be opened.
    SearchIndex(const std::string &databasePath, Options options);
    ~SearchIndex();
    SearchIndex(const SearchIndex &) = delete;
    SearchIndex &operator=(const SearchIndex &) = delete;

    static std::string pathFor(const std::string &databasePath) { return databasePath + ".search"; }
    const std::string &path() const { return m_path; }

    /// The writer committed spans up to this row id (or deleted traces): there is work.
    void committed(std::int64_t lastSpanRowid);
    /// Blocks while the index is more than max_lag spans behind (not when indexing has failed).
    void waitForRoom();
    /// Blocks until every span committed so far is indexed (tests, benchmarks); false on an error.
    bool waitUntilCaughtUp();
    /// Erasure: works through the queued deletions, then rewrites the index's segments into one
    /// (FTS5 'optimize': deleted rows' terms are dropped from them, not only marked deleted) and
    /// empties the index's WAL. The index connection runs with secure_delete, so what was deleted
    /// leaves no bytes behind in free space. Blocks until done; false on an error (progress().error).
    /// Costs a rewrite of the whole index: for erasure, and for retention by size once the index
    /// holds more deleted rows than live ones (then at most one rewrite per index's worth deleted).
    bool purge();
    /// Rows deleted since the index was last rewritten whole (Cursors::dead_rows).
    std::int64_t deadRows() const;
    Progress progress() const;
    /// The sequence number of the last queued work (search_queue) the index has carried out:
    /// the queue's rows up to it may go.
    std::int64_t deletesDone() const;

private:
    void run();
    bool step(); ///< one batch; false when there was nothing to do
    void open();
    void reload(); ///< after a failed step: forget what the indexer kept in memory
    void purgeNow(); ///< on the indexer's thread, after the queue is worked through
    void readCursors(); ///< into the state, from the index file
    void writeCursors(); ///< from the state, into the index file

    std::string m_databasePath;
    std::string m_path;
    Options m_options;
    sqlite3 *m_index = nullptr; ///< the index file, read-write
    sqlite3 *m_source = nullptr; ///< the database, read-only
    struct State;
    std::unique_ptr<State> m_state;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake; ///< the indexer: work, or stop
    std::condition_variable m_progressed; ///< writers and waiters: the index moved on
    std::int64_t m_latest = 0;
    Cursors m_at;
    std::uint64_t m_requested = 0; ///< grows with each committed() and waitUntilCaughtUp()
    std::uint64_t m_done = 0; ///< the m_requested the indexer last worked through to the end
    std::uint64_t m_purgeWanted = 0; ///< the m_requested of the latest purge()
    std::uint64_t m_purged = 0; ///< the m_requested the indexer last purged after
    bool m_stop = false;
    std::string m_error;
    std::thread m_thread;
};

} // namespace agentops::store
