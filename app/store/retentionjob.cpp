// SPDX-License-Identifier: MIT
#include "store/retentionjob.h"

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
    for (;;) {
        if (!runOnce())
            return;
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, m_options.interval, [this] { return m_stop || m_triggered; });
        if (m_stop)
            return;
        m_triggered = false;
    }
}

bool RetentionJob::runOnce()
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
        if (!t.store || t.retention_days <= 0)
            continue;
        const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(m_options.now().time_since_epoch());
        // Days beyond ~290 years would overflow: such a cutoff lies before every trace anyway.
        const std::int64_t days = std::min<std::int64_t>(t.retention_days, 100'000);
        const std::int64_t cutoff = now.count() - days * kDayNs;
        try {
            for (;;) {
                const std::size_t n = t.store->deleteTracesBefore(cutoff, m_options.batch);
                if (n > 0) {
                    std::lock_guard lock(m_mutex);
                    m_stats.deleted_traces += n;
                }
                if (n == 0)
                    break;
                if (!sleepFor(m_options.pause))
                    return false;
            }
        } catch (const std::exception &e) {
            failed = true;
            error = t.name + ": " + e.what(); // the other stores are still enforced
        }
        std::lock_guard lock(m_mutex);
        if (m_stop)
            return false;
    }
    std::lock_guard lock(m_mutex);
    ++m_stats.runs;
    if (failed) {
        ++m_stats.errors;
        m_stats.last_error = error;
    }
    m_stats.last_run_unix_ns
        = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
    return !m_stop;
}

} // namespace agentops::store
