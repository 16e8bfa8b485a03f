// SPDX-License-Identifier: MIT
#include "store/retentionjob.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace agentops::store {

namespace {
constexpr std::int64_t kDayNs = std::int64_t(86'400) * 1'000'000'000;
}

RetentionJob::RetentionJob(std::function<std::vector<RetentionTarget>()> targets, Options options)
    : m_targets(std::move(targets))
    , m_options(std::move(options))
{
    if (m_options.batch == 0)
        throw std::invalid_argument("retention batch: must be at least 1 trace");
    if (m_options.interval.count() <= 0)
        throw std::invalid_argument("retention interval: must be positive");
    if (m_options.size_interval.count() <= 0)
        throw std::invalid_argument("retention size interval: must be positive");
    if (!(m_options.low_water > 0 && m_options.low_water <= 1))
        throw std::invalid_argument("retention low water: must be in (0, 1]");
    if (m_options.pause.count() < 0)
        throw std::invalid_argument("retention pause: must not be negative");
    if (!m_options.now)
        m_options.now = [] { return Clock::now(); };
}

RetentionJob::~RetentionJob()
{
    stop();
}

void RetentionJob::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void RetentionJob::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void RetentionJob::trigger()
{
    {
        std::lock_guard lock(m_mutex);
        m_triggered = true;
    }
    m_wake.notify_all();
}

RetentionJob::Stats RetentionJob::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

bool RetentionJob::sleepFor(std::chrono::milliseconds d)
{
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, d, [this] { return m_stop; });
    return !m_stop;
}

void RetentionJob::run()
{
    using Steady = std::chrono::steady_clock;
    const auto sizeEvery = std::min(m_options.size_interval, m_options.interval);
    auto nextAge = Steady::now();
    for (;;) {
        bool withAge = Steady::now() >= nextAge;
        {
            std::lock_guard lock(m_mutex);
            withAge = withAge || m_triggered;
            m_triggered = false;
        }
        if (withAge)
            nextAge = Steady::now() + m_options.interval;
        if (!runOnce(withAge))
            return;
        const auto wake = std::min(nextAge, Steady::now() + sizeEvery);
        std::unique_lock lock(m_mutex);
        m_wake.wait_until(lock, wake, [this] { return m_stop || m_triggered; });
        if (m_stop)
            return;
    }
}

bool RetentionJob::deleteBefore(const RetentionTarget &t, std::int64_t cutoff)
{
    for (;;) {
        const std::size_t n = t.store->deleteTracesBefore(cutoff, m_options.batch);
        if (n == 0)
            return true;
        count(n, false);
        if (!sleepFor(m_options.pause))
            return false;
    }
}

void RetentionJob::count(std::size_t deleted, bool bySize)
{
    std::lock_guard lock(m_mutex);
    m_stats.deleted_traces += deleted;
    if (bySize)
        m_stats.deleted_traces_by_size += deleted;
}

bool RetentionJob::enforceSize(const RetentionTarget &t)
{
    auto bytes = t.store->storeBytes();
    if (!bytes)
        throw StoreError("retention by size: this store cannot tell its size");
    if (bytes->countedWithin(t.max_bytes) <= t.max_bytes)
        return true;
    // An index that holds more deleted rows than live ones is rewritten first: its estimate per span
    // assumes the deleted rows' pages come back, and this is where they do.
    if (bytes->derived_dead_rows > bytes->derived_rows && t.store->compactIndexes()) {
        bytes = t.store->storeBytes();
        if (!bytes || bytes->countedWithin(t.max_bytes) <= t.max_bytes)
            return true;
    }
    const auto lowWater = static_cast<std::uint64_t>(static_cast<double>(t.max_bytes) * m_options.low_water);
    // The logs as they are now: deleting writes to them, and a checkpoint, not fewer traces, empties
    // them, so what they take is set aside for this run rather than chased.
    const std::uint64_t wal = bytes->countedWithin(t.max_bytes) - bytes->data - bytes->derived_share;
    auto counted = [wal](const StoreBytes &b) { return b.data + b.derived_share + wal; };
    // One trace first, to learn what one frees; then as many as that says are still too much, so
    // a store of a few big traces does not lose them all to one batch.
    std::size_t batch = 1;
    while (counted(*bytes) > lowWater) {
        const std::size_t n = t.store->deleteTracesBefore(INT64_MAX, batch);
        if (n == 0)
            return true; // nothing left to delete: what remains is the schema and the rollups
        count(n, true);
        const auto after = t.store->storeBytes();
        if (!after)
            return true;
        const double perTrace = counted(*after) < counted(*bytes)
            ? static_cast<double>(counted(*bytes) - counted(*after)) / static_cast<double>(n)
            : 0;
        bytes = after;
        if (counted(*bytes) <= lowWater)
            return true;
        // Freed pages are whole pages: a few small traces may free none yet.
        const double wanted
            = perTrace > 0 ? std::ceil(static_cast<double>(counted(*bytes) - lowWater) / perTrace) : 2.0 * batch;
        // At most twice the last batch: what a trace frees varies (rollup rows, pages shared with
        // the traces left), and one wrong guess must not take more than the mark asks.
        batch = static_cast<std::size_t>(
            std::clamp(wanted, 1.0, static_cast<double>(std::min(m_options.batch, 2 * batch))));
        if (!sleepFor(m_options.pause))
            return false;
    }
    return true;
}

bool RetentionJob::runOnce(bool withAge)
{
    std::vector<RetentionTarget> targets;
    std::string error;
    try {
        targets = m_targets();
    } catch (const std::exception &e) {
        error = std::string("targets: ") + e.what();
    }
    bool failed = !error.empty();
    for (const RetentionTarget &t : targets) {
        if (!t.store)
            continue;
        try {
            if (withAge && t.retention_days > 0) {
                const auto now
                    = std::chrono::duration_cast<std::chrono::nanoseconds>(m_options.now().time_since_epoch());
                // Days beyond ~290 years would overflow: such a cutoff lies before every trace anyway.
                const std::int64_t days = std::min<std::int64_t>(t.retention_days, 100'000);
                if (!deleteBefore(t, now.count() - days * kDayNs))
                    return false;
            }
            if (t.max_bytes > 0 && !enforceSize(t))
                return false;
        } catch (const std::exception &e) {
            failed = true;
            error = t.name + ": " + e.what(); // the other stores are still enforced
        }
        std::lock_guard lock(m_mutex);
        if (m_stop)
            return false;
    }
    std::lock_guard lock(m_mutex);
    if (failed) {
        ++m_stats.errors;
        m_stats.last_error = error;
    }
    if (!withAge)
        return !m_stop;
    ++m_stats.runs;
    m_stats.last_run_unix_ns
        = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    return !m_stop;
}

} // namespace agentops::store
