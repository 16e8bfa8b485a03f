// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agentops::store {

/// One store to enforce retention on, and for how long it keeps traces.
struct RetentionTarget
{
    std::string name; ///< names the store in RetentionJob::Stats::last_error (e.g. the project)
    TraceStore *store = nullptr; ///< must outlive the job's run (stop() the job before closing it)
    int retention_days = 0; ///< 0 or less: keep forever
};

/// Deletes traces older than each store's retention, on a thread of its own. Every interval it asks
/// for the targets (so a changed retention or a new project is seen on the next run) and calls
/// TraceStore::deleteTracesBefore(now - days, batch) until it returns 0, pausing between calls so
/// the ingest writer, which shares the store's write lock, waits for one small batch at most.
class RetentionJob
{
public:
    using Clock = std::chrono::system_clock;
    struct Options
    {
        std::chrono::milliseconds interval = std::chrono::hours(1); ///< between runs; the first runs at start()
        std::size_t batch = 500; ///< traces per deleteTracesBefore call (at least 1)
        std::chrono::milliseconds pause = std::chrono::milliseconds(20); ///< between calls
        /// The time retention is measured from; the system clock unless a test sets another.
        std::function<Clock::time_point()> now;
    };
    struct Stats
    {
        std::uint64_t deleted_traces = 0; ///< since start
        std::uint64_t runs = 0; ///< completed runs
        std::uint64_t errors = 0; ///< runs in which a store failed
        std::int64_t last_run_unix_ns = 0; ///< end of the last completed run; 0 before the first
        std::string last_error; ///< "<target name>: <what>" of the last failure; empty when none
    };

    /// targets() runs on the job's thread at the start of every run. Throws std::invalid_argument
    /// for a batch of 0 or a non-positive interval.
    RetentionJob(std::function<std::vector<RetentionTarget>()> targets, Options options);
    ~RetentionJob();
    RetentionJob(const RetentionJob &) = delete;
    RetentionJob &operator=(const RetentionJob &) = delete;

    void start();
    /// Returns once the thread has ended: within one deleteTracesBefore call.
    void stop();
    /// Starts a run now instead of at the end of the interval (e.g. after retention was changed).
    void trigger();
    Stats stats() const;

private:
    void run();
    /// One pass over every target; false when stopped.
    bool runOnce();
    bool sleepFor(std::chrono::milliseconds d); ///< false when stopped meanwhile

    std::function<std::vector<RetentionTarget>()> m_targets;
    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    bool m_triggered = false;
    Stats m_stats;
    std::thread m_thread;
};

} // namespace agentops::store
