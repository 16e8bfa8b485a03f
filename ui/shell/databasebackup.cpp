// SPDX-License-Identifier: MIT
#include "shell/databasebackup.h"

#include "store/backup.h"

#include <QFileInfo>
#include <QProgressDialog>
#include <QtConcurrent>

namespace agentops::ui {

DatabaseBackup::DatabaseBackup(QString databasePath, QWidget *parent)
    : QObject(parent)
    , m_databasePath(std::move(databasePath))
    , m_parent(parent)
{ }

DatabaseBackup::~DatabaseBackup()
{
    m_cancel = true;
    m_future.waitForFinished();
}

QProgressDialog *DatabaseBackup::progressDialog() const
{
    return m_progress;
}

bool DatabaseBackup::start(const QString &archive)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = false;
    m_lastPermille = -1;
    m_progress = new QProgressDialog(
        tr("Backing up the database to %1…").arg(QFileInfo(archive).fileName()), tr("Cancel"), 0, 1000, m_parent);
    m_progress->setWindowTitle(tr("Back Up Database"));
    m_progress->setWindowModality(Qt::WindowModal);
    m_progress->setMinimumDuration(m_minimumDuration);
    m_progress->setAutoClose(false);
    m_progress->setAutoReset(false);
    m_progress->setValue(0);
    connect(m_progress, &QProgressDialog::canceled, this, [this] { m_cancel = true; });
    connect(this, &DatabaseBackup::progressChanged, m_progress, &QProgressDialog::setValue);

    const QFileInfo database(m_databasePath);
    const std::filesystem::path dir = database.absolutePath().toStdString();
    const std::string name = database.fileName().toStdString();
    const std::filesystem::path target = archive.toStdString();
    m_future = QtConcurrent::run([this, dir, name, target, archive] {
        QString error;
        qint64 bytes = 0;
        try {
            const auto summary = store::writeBackup(dir, { name }, target,
                [this](std::uint64_t done, std::uint64_t total) {
                    // At most a thousand updates reach the GUI thread, whatever the size.
                    const int permille = total ? static_cast<int>(done * 1000 / total) : 1000;
                    if (m_lastPermille.exchange(permille) != permille)
                        Q_EMIT progressChanged(permille);
                    return !m_cancel.load();
                },
                { store::archiveNameOf(name) });
            bytes = static_cast<qint64>(summary.bytes);
        } catch (const std::exception &e) {
            error = QString::fromStdString(e.what());
            if (error.isEmpty())
                error = tr("unknown error");
        }
        QMetaObject::invokeMethod(
            this, [this, archive, bytes, error] { done(archive, bytes, error); }, Qt::QueuedConnection);
    });
    return true;
}

void DatabaseBackup::done(const QString &archive, qint64 bytes, const QString &error)
{
    m_running = false;
    if (m_progress) {
        m_progress->hide();
        m_progress->deleteLater();
    }
    if (error.isEmpty())
        Q_EMIT finished(archive, bytes);
    else if (m_cancel)
        Q_EMIT failed(tr("The backup was cancelled; nothing was written."), true);
    else
        Q_EMIT failed(error, false);
}

} // namespace agentops::ui
