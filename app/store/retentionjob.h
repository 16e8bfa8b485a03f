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

/// One store to enforce retention on: for how long it keeps traces, and how much of them.
struct RetentionTarget
{
    std::string name; ///< names the store in RetentionJob::Stats::last_error (e.g. the project)
    TraceStore *store = nullptr; ///< must outlive the job's run (stop() the job before closing it)
    int retention_days = 0; ///< 0 or less: keep forever
    /// Retention by size: above this many bytes (TraceStore::storeBytes().counted(): the database's
    /// pages in use, the write-ahead logs, and the search index's share of the spans) the oldest
    /// traces go until the store is below Options::low_water of it. 0: no limit.
    std::uint64_t max_bytes = 0;
};

/// Deletes traces older than each store's retention, and the oldest traces of a store that grew
/// beyond its size limit, on a thread of its own. Every interval it asks for the targets (so a
/// changed retention or a new project is seen on the next run) and calls
/// TraceStore::deleteTracesBefore(now - days, batch) until it returns 0, pausing between calls so
/// the ingest writer, which shares the store's write lock, waits for one small batch at most.
/// Sizes are looked at more often (size_interval): a store fills faster than it ages.
///
/// By size, whole traces go oldest first (deleteTracesBefore with no cutoff), by the same rules as
/// by age, until the store is below the low-water mark; the pages they free are reused by new
/// traces, so a store at its limit stops growing. What is counted is what the store's files take:
/// the database, the logs, and the content search index. The index is counted per span (its size
/// over the rows it holds, times the spans stored), because its deletes leave tombstones that free
/// pages only when its segments merge: counted by its pages, it would read as full long after the
/// traces went, and the job would delete every trace. An index holding more deleted rows than live
/// ones is rewritten (TraceStore::compactIndexes) before anything is deleted, so the pages the
/// estimate leaves out do come back.
class RetentionJob
{
public:
    using Clock = std::chrono::system_clock;
    struct Options
    {
        std::chrono::milliseconds interval = std::chrono::hours(1); ///< between runs; the first runs at start()
        /// Between looks at the sizes of the targets that have a size limit (at most interval).
        std::chrono::milliseconds size_interval = std::chrono::minutes(1);
        /// Retention by size deletes until the store is below this share of its limit, so it does not
        /// run again for every few new traces.
        double low_water = 0.9;
        std::size_t batch = 500; ///< traces per deleteTracesBefore call (at least 1)
        std::chrono::milliseconds pause = std::chrono::milliseconds(20); ///< between calls
        /// The time retention is measured from; the system clock unless a test sets another.
        std::function<Clock::time_point()> now;
    };
    struct Stats
    {
        std::uint64_t deleted_traces = 0; ///< since start, by age and by size
        std::uint64_t deleted_traces_by_size = 0; ///< of those, for a size limit
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
    /// One pass over every target (by age only when withAge); false when stopped.
    bool runOnce(bool withAge);
    /// Deletes the traces that started before cutoff, batch by batch; false when stopped.
    bool deleteBefore(const RetentionTarget &t, std::int64_t cutoff);
    void count(std::size_t deleted, bool bySize);
    /// Retention by size of one target; false when stopped.
    bool enforceSize(const RetentionTarget &t);
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
