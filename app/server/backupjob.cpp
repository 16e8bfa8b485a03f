// SPDX-License-Identifier: MIT
#include "server/backupjob.h"

#include "store/backup.h"
#include "store/privatefiles.h"

#include <ctime>
#include <pthread.h>

namespace agentops::server {

namespace fs = std::filesystem;

BackupJob::BackupJob(Options options, Log &log)
    : m_options(std::move(options))
    , m_log(log)
{
    store::createPrivateDirectories(m_options.backup_dir.string());
}

BackupJob::~BackupJob()
{
    stop();
}

void BackupJob::start()
{
    m_thread = std::thread([this] { run(); });
}

void BackupJob::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

BackupJob::Stats BackupJob::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void BackupJob::run()
{
    pthread_setname_np(pthread_self(), "agentops-backup");
    // Due `every` after the newest backup there is, so a server restarted often still takes them.
    auto due = std::chrono::system_clock::now();
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(m_options.backup_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0 || entry.path().extension() != ".tar")
            continue;
        const auto written = entry.last_write_time(ec);
        if (ec)
            continue;
        const auto when = std::chrono::system_clock::now()
            + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                written - fs::file_time_type::clock::now());
        due = std::max(due, when + m_options.every);
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_wake.wait_until(lock, due, [this] { return m_stop; }))
            return;
        lock.unlock();
        backupOnce();
        lock.lock();
        due = std::chrono::system_clock::now() + m_options.every;
    }
}

void BackupJob::backupOnce()
{
    const auto now = std::time(nullptr);
    std::tm tm {};
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    const fs::path file = m_options.backup_dir / (std::string(kPrefix) + stamp + ".tar");
    const auto started = std::chrono::steady_clock::now();
    try {
        // A backup in progress ends at stop(): the server's shutdown does not wait for a big copy.
        const auto summary = store::writeBackup(m_options.data_dir, store::dataDirDatabases(m_options.data_dir), file,
            [this](std::uint64_t, std::uint64_t) {
                std::lock_guard lock(m_mutex);
                return !m_stop;
            });
        const auto deleted = store::pruneBackups(m_options.backup_dir, kPrefix, m_options.keep);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        {
            std::lock_guard lock(m_mutex);
            ++m_stats.backups;
            m_stats.last_success_unix = now;
            m_stats.last_bytes = summary.bytes;
        }
        m_log.info("backup written",
            { { "file", Log::str(file.string()) }, { "bytes", Log::num(static_cast<long long>(summary.bytes)) },
                { "databases", Log::num(static_cast<long long>(summary.files.size())) },
                { "seconds", Log::num(seconds) },
                { "deleted_old", Log::num(static_cast<long long>(deleted.size())) } });
    } catch (const std::exception &e) {
        {
            std::lock_guard lock(m_mutex);
            ++m_stats.errors;
        }
        m_log.error(std::string("backup failed: ") + e.what(), { { "file", Log::str(file.string()) } });
    }
}

} // namespace agentops::server
