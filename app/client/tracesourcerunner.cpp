// SPDX-License-Identifier: MIT
#include "client/tracesourcerunner.h"

namespace agentops::client {

TraceSourceRunner::TraceSourceRunner(std::shared_ptr<TraceSource> source, QObject *parent)
    : QObject(parent)
    , m_source(std::move(source))
{
    // A few readers are enough: the store serves concurrent reads, and more threads only compete
    // with the ingest writer for the same cores.
    m_pool.setMaxThreadCount(3);
}

TraceSourceRunner::~TraceSourceRunner()
{
    m_pool.waitForDone();
}

void TraceSourceRunner::begin()
{
    if (m_pending++ == 0)
        Q_EMIT busyChanged(true);
}

void TraceSourceRunner::finish()
{
    if (--m_pending == 0)
        Q_EMIT busyChanged(false);
}

} // namespace agentops::client
