// SPDX-License-Identifier: MIT
#pragma once

#include "store/storagesize.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

namespace agentops::client {

/// What the embedded database takes on disk and how much the disk has left.
struct StorageStatus
{
    store::StorageFiles files;
    std::optional<store::DiskSpace> disk; ///< nullopt: the filesystem could not be asked
    std::uint64_t lowThresholdBytes = 0;
    bool low = false; ///< free disk below the threshold
};

/// Looks at the database's files and the free disk of the filesystem that holds them every interval,
/// off the GUI thread (stat and statvfs; cheap, but a network filesystem may be slow to answer), and
/// reports each look in updated(); lowChanged() when the disk falls below the threshold or rises
/// above it again.
class StorageMonitor : public QObject
{
    Q_OBJECT

public:
    explicit StorageMonitor(QString databasePath, QObject *parent = nullptr);

    void setInterval(int ms) { m_timer.setInterval(ms); }
    /// When free disk counts as low (default 1 GiB; AGENTOPS_DISK_LOW, e.g. "5%" or "2GiB", replaces
    /// it). Looks again at once.
    void setThreshold(const store::DiskLowThreshold &threshold);
    store::DiskLowThreshold threshold() const { return m_threshold; }
    /// Starts looking (the first look at once).
    void start();
    /// A look now, off the GUI thread (none while one runs).
    void refresh();
    std::optional<StorageStatus> status() const { return m_status; }

    /// Computes a status on the calling thread.
    static StorageStatus look(const QString &databasePath, const store::DiskLowThreshold &threshold);

Q_SIGNALS:
    void updated(const agentops::client::StorageStatus &status);
    void lowChanged(bool low);

private:
    void finished();

    QString m_databasePath;
    store::DiskLowThreshold m_threshold;
    QTimer m_timer;
    QFutureWatcher<StorageStatus> m_watcher;
    bool m_again = false; ///< asked again while a look ran
    std::optional<StorageStatus> m_status;
};

} // namespace agentops::client
