// SPDX-License-Identifier: MIT
#include "server/diskmonitor.h"

namespace agentops::server {

DiskMonitor::DiskMonitor(std::string path, store::DiskLowThreshold threshold, Log &log, std::chrono::milliseconds every)
    : m_path(std::move(path))
    , m_log(log)
    , m_every(every)
    , m_threshold(threshold)
{ }

DiskMonitor::~DiskMonitor()
{
    stop();
}

void DiskMonitor::start()
{
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_stop = false;
    m_thread = std::thread([this] {
        for (;;) {
            check();
            std::unique_lock wait(m_mutex);
            if (m_wake.wait_for(wait, m_every, [this] { return m_stop; }))
                return;
        }
    });
}

void DiskMonitor::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void DiskMonitor::setThreshold(store::DiskLowThreshold threshold)
{
    std::lock_guard lock(m_mutex);
    m_threshold = threshold;
}

DiskMonitor::Sample DiskMonitor::check()
{
    Sample s;
    s.disk = store::diskSpace(m_path);
    std::lock_guard lock(m_mutex); // one crossing, one line, however many threads look
    if (!s.disk)
        return s;
    s.threshold_bytes = m_threshold.bytesFor(*s.disk);
    s.low = m_threshold.isLow(*s.disk);
    if (s.low == m_low)
        return s;
    m_low = s.low;
    const Log::Fields fields { { "path", Log::str(m_path) },
        { "free_bytes", Log::num(static_cast<long long>(s.disk->free_bytes)) },
        { "threshold_bytes", Log::num(static_cast<long long>(s.threshold_bytes)) } };
    if (s.low)
        m_log.warn(
            "disk space is low: ingest fails once the disk is full (free space, or lower --retention-size)", fields);
    else
        m_log.info("disk space is no longer low", fields);
    return s;
}

} // namespace agentops::server
