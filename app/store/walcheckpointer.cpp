// SPDX-License-Identifier: MIT
#include "store/walcheckpointer.h"

#include <sqlite3.h>

#include <pthread.h>

#include <chrono>

namespace agentops::store {

WalCheckpointer::WalCheckpointer(sqlite3 *writer, sqlite3 *connection, Options options)
    : m_writer(writer)
    , m_db(connection)
    , m_options(options)
    , m_thread([this] { run(); })
{
    sqlite3_wal_hook(m_writer, &WalCheckpointer::onCommit, this); // replaces wal_autocheckpoint
}

WalCheckpointer::~WalCheckpointer()
{
    sqlite3_wal_hook(m_writer, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
    sqlite3_close(m_db);
}

WalCheckpointer::Counters WalCheckpointer::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

// Runs on the writer's thread at the end of every commit, with the number of frames in the WAL.
int WalCheckpointer::onCommit(void *arg, sqlite3 *db, const char *schema, int frames)
{
    auto *self = static_cast<WalCheckpointer *>(arg);
    if (frames < self->m_options.restart_frames)
        self->m_restartAgainAt = 0;
    if (frames >= self->m_options.restart_frames && frames >= self->m_restartAgainAt) {
        // RESTART: copies the rest, then waits until the readers still reading old frames are done,
        // so the next transaction starts the WAL over. Readers' queries are short, and new ones read
        // the database file meanwhile; one that holds a snapshot for long (a backup) is not waited
        // for at every commit: the next try is threshold_frames later.
        const auto started = std::chrono::steady_clock::now();
        int rc = SQLITE_OK;
        {
            std::lock_guard checkpoint(self->m_checkpointMutex);
            sqlite3_busy_timeout(db, self->m_options.restart_wait_ms);
            rc = sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
            sqlite3_busy_timeout(db, self->m_options.busy_timeout_ms);
        }
        self->m_restartAgainAt = rc == SQLITE_OK ? 0 : frames + self->m_options.threshold_frames;
        const auto took = std::chrono::steady_clock::now() - started;
        std::lock_guard lock(self->m_mutex);
        self->m_counters.by_writer_ns += static_cast<std::uint64_t>(std::chrono::nanoseconds(took).count());
        if (rc == SQLITE_OK)
            ++self->m_counters.by_writer;
    } else if (frames >= self->m_options.threshold_frames) {
        {
            std::lock_guard lock(self->m_mutex);
            self->m_pending = true;
        }
        self->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    pthread_setname_np(pthread_self(), "agentops-ckpt");
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || m_pending; });
            if (m_stopping)
                return;
            m_pending = false;
        }
        // PASSIVE: copies what no reader still needs, takes no lock the writer or readers wait on.
        // The writer starts the WAL over at its next transaction once everything is copied.
        int rc = SQLITE_OK;
        {
            std::lock_guard checkpoint(m_checkpointMutex);
            rc = sqlite3_wal_checkpoint_v2(m_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        if (rc == SQLITE_OK) {
            std::lock_guard lock(m_mutex);
            ++m_counters.background;
        }
    }
}

} // namespace agentops::store
