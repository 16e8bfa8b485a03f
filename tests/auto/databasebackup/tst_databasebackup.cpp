// SPDX-License-Identifier: MIT
// File ▸ Back Up Database… as a user meets it: the menu item of the real window over a real store
// holding real framework traces, the archive it writes restored and compared trace by trace, the
// progress dialog and its Cancel over a larger database, and the message when the target cannot be
// written. Screenshots of each go to build/ci/screenshots.
#include "shell/databasebackup.h"
#include "store/backup.h"
#include "store/sqlitestore.h"
#include "support/appwindow.h"

#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QtTest>

#include <sqlite3.h>

using namespace agentops;

namespace {

QString screenshot(const QString &name)
{
    const QString dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name;
}

/// Every trace of a store as comparable text: id, spans, tokens, cost, span names in order.
QStringList describe(store::TraceStore &store)
{
    QStringList out;
    store::TraceQuery q;
    q.limit = 1000;
    for (const auto &summary : store.listTraces(q).traces) {
        const auto detail = store.trace(summary.trace_id);
        QString line = QString::fromStdString(core::toHex(summary.trace_id))
            + QStringLiteral(" spans=%1 in=%2 out=%3 cost=%4:")
                  .arg(summary.span_count)
                  .arg(summary.input_tokens)
                  .arg(summary.output_tokens)
                  .arg(summary.cost_usd, 0, 'g', 17);
        for (const auto &span : detail->spans)
            line += QLatin1Char(' ') + QString::fromStdString(span.name);
        out << line;
    }
    return out;
}

/// A SQLite file of about `megabytes` MiB, so a backup takes many steps.
bool makeLargeDatabase(const QString &path, int megabytes)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.toUtf8().constData(), &db) != SQLITE_OK)
        return false;
    const bool ok = sqlite3_exec(db,
                        ("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; CREATE TABLE blobs(b BLOB);"
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                            + std::to_string(megabytes * 16) + ") INSERT INTO blobs SELECT randomblob(65536) FROM n;")
                            .c_str(),
                        nullptr, nullptr, nullptr)
        == SQLITE_OK;
    sqlite3_close(db);
    return ok;
}

} // namespace

class TestDatabaseBackup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_app.start({ QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/adk-js.otlp.json"),
                        QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/vercel-ai.otlp.json") },
            true);
    }
    void cleanup() { m_app.stop(); }

    void menuItemBacksUpTheDatabase()
    {
        auto *window = m_app.window.get();
        auto *action = window->findChild<QAction *>(QStringLiteral("backupAction"));
        QVERIFY(action);
        QVERIFY(action->isEnabled());
        QCOMPARE(action->text(), QStringLiteral("&Back Up Database…"));
        // The File menu as the user opens it.
        QMenu *file = window->menuBar()->actions().constFirst()->menu();
        QVERIFY(file && file->actions().contains(action));
        file->popup(window->mapToGlobal(QPoint(0, window->menuBar()->height())));
        QVERIFY(QTest::qWaitForWindowExposed(file));
        QVERIFY(file->grab().save(screenshot(QStringLiteral("backup-menu.png"))));
        file->hide();

        QTemporaryDir target;
        const QString archive = target.filePath(QStringLiteral("my backup.tar"));
        QSignalSpy finished(window->databaseBackup(), &ui::DatabaseBackup::finished);
        window->backUpDatabaseTo(archive);
        // While it runs (until its end reaches this thread's event loop), the menu item starts
        // nothing: no file dialog opens for a second backup.
        QVERIFY(window->databaseBackup()->isRunning());
        bool triggering = true;
        QString dialogOpened;
        QTimer::singleShot(0, this, [&] {
            if (QWidget *modal = QApplication::activeModalWidget(); triggering && modal) {
                dialogOpened = modal->windowTitle();
                modal->close();
            }
        });
        action->trigger();
        triggering = false;
        QVERIFY2(dialogOpened.isEmpty(), qPrintable(dialogOpened));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const qint64 bytes = finished.front().at(1).toLongLong();
        QCOMPARE(bytes, QFileInfo(archive).size());
        const QString message = window->statusBar()->currentMessage();
        QCOMPARE(message,
            QStringLiteral("Backed up the database to %1 (%2)").arg(archive, QLocale().formattedDataSize(bytes)));
        QVERIFY(window->grab().save(screenshot(QStringLiteral("backup-finished.png"))));
        QCOMPARE(
            QDir(target.path()).entryList(QDir::Files | QDir::Hidden), QStringList { QStringLiteral("my backup.tar") });

        // Restored, it holds the same traces, span for span.
        QTemporaryDir restoredParent;
        const std::filesystem::path restored = restoredParent.filePath(QStringLiteral("restored")).toStdString();
        const auto summary = store::restoreBackup(restored, archive.toStdString());
        QCOMPARE(summary.files, std::vector<std::string> { "traces.db" });
        store::SqliteStore copy((restored / "traces.db").string());
        const QStringList original = describe(*m_app.backend->store());
        QVERIFY(original.size() >= 2);
        QCOMPARE(describe(copy), original);
    }

    void progressAndCancelOnALargerDatabase()
    {
        QTemporaryDir dir;
        // Not named *.db (--database may name any file): the archive holds it as traces.db.
        const QString database = dir.filePath(QStringLiteral("large.sqlite"));
        QVERIFY(makeLargeDatabase(database, 32));
        ui::DatabaseBackup backup(database, m_app.window.get());
        backup.setMinimumDuration(0);
        QSignalSpy finished(&backup, &ui::DatabaseBackup::finished);
        QSignalSpy failed(&backup, &ui::DatabaseBackup::failed);
        bool shot = false;
        connect(&backup, &ui::DatabaseBackup::progressChanged, this, [&](int permille) {
            if (shot || permille < 300 || !backup.progressDialog())
                return;
            shot = true;
            QCoreApplication::processEvents();
            backup.progressDialog()->grab().save(screenshot(QStringLiteral("backup-progress.png")));
        });
        const QString archive = dir.filePath(QStringLiteral("large.tar"));
        QVERIFY(backup.start(archive));
        QVERIFY(!backup.start(archive)); // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(shot);
        QVERIFY(QFileInfo(archive).size() > qint64 { 32 } * 1024 * 1024);
        QTemporaryDir restoredParent;
        const auto restored = store::restoreBackup(
            restoredParent.filePath(QStringLiteral("restored")).toStdString(), archive.toStdString());
        QCOMPARE(restored.files, std::vector<std::string> { "traces.db" });

        // Cancelled as soon as it started (the copy goes 4 MiB a step), nothing is left at the target.
        QVERIFY(QFile::remove(archive));
        QVERIFY(backup.start(archive));
        auto *cancel = backup.progressDialog()->findChild<QPushButton *>();
        QVERIFY(cancel);
        QCOMPARE(cancel->text(), QStringLiteral("Cancel"));
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count() + finished.count(), 2, 60000);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.front().at(1).toBool(), true);
        QCOMPARE(failed.front().at(0).toString(), QStringLiteral("The backup was cancelled; nothing was written."));
        QCOMPARE(
            QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList { QStringLiteral("large.sqlite") });
    }

    void unwritableTargetSaysWhy()
    {
        auto *window = m_app.window.get();
        QSignalSpy failed(window->databaseBackup(), &ui::DatabaseBackup::failed);
        window->backUpDatabaseTo(QStringLiteral("/nonexistent/backups/b.tar"));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 30000);
        QMessageBox *box = nullptr;
        QTRY_VERIFY((box = window->findChild<QMessageBox *>(QStringLiteral("backupFailedMessage"))) != nullptr);
        QCOMPARE(box->text(), QStringLiteral("The database could not be backed up. Nothing was written."));
        QVERIFY2(box->informativeText().startsWith(QStringLiteral("cannot write in /nonexistent/backups")),
            qPrintable(box->informativeText()));
        QVERIFY(QTest::qWaitForWindowExposed(box));
        QVERIFY(box->grab().save(screenshot(QStringLiteral("backup-failed.png"))));
        box->accept();
        QVERIFY(!QFile::exists(QStringLiteral("/nonexistent/backups/b.tar")));
    }

    void restoreRefusesWhileTheAppHasTheDatabaseOpen()
    {
        // What `agentops-server restore --data-dir <the app's data directory>` runs into.
        const std::filesystem::path dir = m_app.dir->path().toStdString();
        try {
            store::DataDirLock restore(dir, store::DataDirLock::Mode::Exclusive);
            QFAIL("the lock was taken while the app has the database open");
        } catch (const store::BackupError &e) {
            QCOMPARE(QString::fromUtf8(e.what()),
                QStringLiteral("a server, the desktop app or a backup is using %1: stop it first")
                    .arg(m_app.dir->path()));
        }
        // Closed, it can be restored; the app then refuses to open it while that runs.
        m_app.window.reset();
        m_app.sources.reset();
        m_app.backend->stop();
        {
            store::DataDirLock restore(dir, store::DataDirLock::Mode::Exclusive);
            client::LocalBackend backend(QString::fromStdString((dir / "traces.db").string()));
            QString error;
            QVERIFY(!backend.start(&error));
            QVERIFY2(error.endsWith(
                         QStringLiteral("is being restored (agentops-server restore); try again when it has finished")),
                qPrintable(error));
        }
        QString error;
        QVERIFY2(m_app.backend->start(&error), qPrintable(error)); // and opens it again afterwards
    }

private:
    test::AppWindow m_app;
};

QTEST_MAIN(TestDatabaseBackup)
#include "tst_databasebackup.moc"
