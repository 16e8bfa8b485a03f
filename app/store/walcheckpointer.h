// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

struct sqlite3;

namespace agentops::store {

/// Checkpoints a WAL database on a thread of its own, so the writer rarely waits for one.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses the threshold: the writer copies
/// the WAL into the database file and waits for both files to be synced while every request waiting
/// for that commit waits too (with 2 KB spans that halves the insert rate: docs/benchmarks.md). Here
/// the writer's commit hook only signals, and this thread runs PASSIVE checkpoints on its own
/// connection, which neither block nor are blocked by the writer and readers.
///
/// A WAL only starts over from its beginning when a checkpoint has copied all of it and no reader
/// still reads it, which a busy writer and busy readers rarely leave time for; so once the WAL
/// holds restart_frames, the writer finishes the copy itself (only what was appended since the last
/// background checkpoint is left) in RESTART mode, waiting for the readers of old frames, and the
/// WAL starts over. It waits for them at most restart_wait_ms: a reader that holds one snapshot for
/// longer (a backup copying a large store) is not waited for, and the writer tries again only once
/// the WAL has grown by another threshold_frames, so its commits are not held up while that reader
/// reads (the WAL grows meanwhile, and starts over at the first RESTART after the reader is done).
class WalCheckpointer
{
public:
    struct Options
    {
        int threshold_frames = 4000; ///< checkpoint in the background from this many frames (pages)
        int restart_frames = 16000; ///< the writer completes the checkpoint from this many
        int restart_wait_ms = 250; ///< how long that checkpoint waits for readers of old frames
        int busy_timeout_ms = 5000; ///< the writer's busy timeout, set again after the wait
    };

    /// Takes ownership of `connection` (read-write, same file as `writer`) and installs the commit
    /// hook on `writer`, replacing SQLite's automatic checkpoint.
    WalCheckpointer(sqlite3 *writer, sqlite3 *connection, Options options);
    /// Stops the thread (a checkpoint in progress finishes) and closes its connection.
    ~WalCheckpointer();

    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    struct Counters
    {
        std::uint64_t background = 0; ///< checkpoints run by the thread
        std::uint64_t by_writer = 0; ///< checkpoints the writer completed at restart_frames
        std::uint64_t by_writer_ns = 0; ///< time the writer spent on them
    };
    Counters counters() const;

private:
    static int onCommit(void *self, sqlite3 *db, const char *schema, int frames);
    void run();

    sqlite3 *m_writer;
    sqlite3 *m_db;
    Options m_options;
    std::mutex m_checkpointMutex; ///< one checkpoint at a time, so none answers SQLITE_BUSY
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    int m_restartAgainAt = 0; ///< after a RESTART that readers kept from finishing: frames to wait for
    bool m_stopping = false;
    Counters m_counters;
    std::thread m_thread;
};

} // namespace agentops::store
