// SPDX-License-Identifier: MIT
#pragma once

#include "server/log.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace agentops::server {

/// Scheduled backups (--backup-dir, --backup-every, --backup-keep): on a thread of its own, every
/// interval a backup of the data directory's databases into the backup directory
/// (agentops-backup-YYYYMMDD-HHMMSS.tar), then the oldest beyond `keep` deleted — only after a
/// backup that succeeded, so a failing disk never costs the copies there are.
class BackupJob
{
public:
    struct Options
    {
        std::filesystem::path data_dir;
        std::filesystem::path backup_dir;
        std::chrono::seconds every { std::chrono::hours(24) };
        std::size_t keep = 7;
    };
    struct Stats
    {
        std::uint64_t backups = 0; ///< succeeded since start
        std::uint64_t errors = 0; ///< failed since start
        std::int64_t last_success_unix = 0; ///< 0: none since start
        std::uint64_t last_bytes = 0;
    };
    static constexpr const char *kPrefix = "agentops-backup-";

    /// Creates the backup directory (0700); throws store::StoreError when it cannot.
    BackupJob(Options options, Log &log);
    ~BackupJob();
    BackupJob(const BackupJob &) = delete;
    BackupJob &operator=(const BackupJob &) = delete;

    /// The first backup is due `every` after the newest one in the directory (at once when there is none).
    void start();
    void stop();
    Stats stats() const;

private:
    void run();
    void backupOnce();

    Options m_options;
    Log &m_log;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    Stats m_stats;
    std::thread m_thread;
};

} // namespace agentops::server
