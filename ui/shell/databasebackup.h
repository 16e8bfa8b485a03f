// SPDX-License-Identifier: MIT
#pragma once

#include <QFuture>
#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>

class QProgressDialog;
class QWidget;

namespace agentops::ui {

/// File ▸ Back Up Database…: a backup archive of the local database (store::writeBackup, the same
/// archive `agentops-server restore` reads) written on a worker thread while the app keeps receiving,
/// with a progress dialog that can cancel it. A failure leaves nothing at the target.
class DatabaseBackup : public QObject
{
    Q_OBJECT

public:
    /// databasePath: the SQLite file to back up; dialogs are shown over parent.
    DatabaseBackup(QString databasePath, QWidget *parent);
    /// Cancels a backup in progress and waits for its thread.
    ~DatabaseBackup() override;

    /// Starts a backup to archive; false (and nothing starts) when one is already running.
    bool start(const QString &archive);
    bool isRunning() const { return m_running; }
    /// The dialog of the backup in progress (nullptr when none).
    QProgressDialog *progressDialog() const;
    /// How long a backup runs before its progress dialog appears (default 500 ms).
    void setMinimumDuration(int ms) { m_minimumDuration = ms; }

Q_SIGNALS:
    void progressChanged(int permille);
    void finished(const QString &archive, qint64 bytes);
    /// cancelled: the user cancelled it (message says so); else message says why it failed.
    void failed(const QString &message, bool cancelled);

private:
    void done(const QString &archive, qint64 bytes, const QString &error);

    QString m_databasePath;
    QWidget *m_parent;
    QPointer<QProgressDialog> m_progress;
    QFuture<void> m_future;
    std::atomic<bool> m_cancel { false };
    std::atomic<int> m_lastPermille { -1 };
    bool m_running = false;
    int m_minimumDuration = 500;
};

} // namespace agentops::ui
