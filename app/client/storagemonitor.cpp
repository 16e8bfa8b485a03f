// SPDX-License-Identifier: MIT
#include "client/storagemonitor.h"

#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

namespace agentops::client {

StorageMonitor::StorageMonitor(QString databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
{
    const QByteArray fromEnv = qgetenv("AGENTOPS_DISK_LOW");
    store::DiskLowThreshold threshold;
    if (!fromEnv.isEmpty() && store::parseDiskLowThreshold(fromEnv.toStdString(), threshold))
        m_threshold = threshold;
    m_timer.setInterval(30'000);
    connect(&m_timer, &QTimer::timeout, this, &StorageMonitor::refresh);
    connect(&m_watcher, &QFutureWatcher<StorageStatus>::finished, this, &StorageMonitor::finished);
}

void StorageMonitor::setThreshold(const store::DiskLowThreshold &threshold)
{
    m_threshold = threshold;
    refresh();
}

void StorageMonitor::start()
{
    m_timer.start();
    refresh();
}

StorageStatus StorageMonitor::look(const QString &databasePath, const store::DiskLowThreshold &threshold)
{
    const std::string path = QFile::encodeName(databasePath).toStdString();
    StorageStatus s;
    s.files = store::sqliteStorageFiles(path);
    s.disk = store::diskSpace(path);
    if (s.disk) {
        s.lowThresholdBytes = threshold.bytesFor(*s.disk);
        s.low = threshold.isLow(*s.disk);
    }
    return s;
}

void StorageMonitor::refresh()
{
    if (m_watcher.isRunning()) {
        m_again = true;
        return;
    }
    m_watcher.setFuture(QtConcurrent::run(&StorageMonitor::look, m_databasePath, m_threshold));
}

void StorageMonitor::finished()
{
    const StorageStatus s = m_watcher.result();
    const bool wasLow = m_status && m_status->low;
    m_status = s;
    Q_EMIT updated(s);
    if (s.low != wasLow)
        Q_EMIT lowChanged(s.low);
    if (m_again) {
        m_again = false;
        refresh();
    }
}

} // namespace agentops::client
