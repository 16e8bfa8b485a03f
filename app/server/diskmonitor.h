// SPDX-License-Identifier: MIT
#pragma once

#include "server/log.h"
#include "store/storagesize.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace agentops::server {

/// Watches the free space of the filesystem that holds the databases (--disk-low): logs a warning
/// once when it falls below the threshold and a note once it is back above, and gives /metrics its
/// figures. Looks every `every` on a thread of its own, and whenever check() is called (a scrape).
class DiskMonitor
{
public:
    struct Sample
    {
        std::optional<store::DiskSpace> disk; ///< nullopt: statvfs failed
        std::uint64_t threshold_bytes = 0;
        bool low = false;
    };

    DiskMonitor(std::string path, store::DiskLowThreshold threshold, Log &log,
        std::chrono::milliseconds every = std::chrono::seconds(30));
    ~DiskMonitor();
    DiskMonitor(const DiskMonitor &) = delete;
    DiskMonitor &operator=(const DiskMonitor &) = delete;

    void start();
    void stop();
    /// Asks the filesystem now; logs when the disk crossed the threshold since the last look.
    Sample check();
    void setThreshold(store::DiskLowThreshold threshold);

private:
    std::string m_path;
    Log &m_log;
    std::chrono::milliseconds m_every;
    std::mutex m_mutex;
    store::DiskLowThreshold m_threshold;
    bool m_low = false; ///< as last logged
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace agentops::server
