// SPDX-License-Identifier: MIT
#include "client/storagemonitor.h"
#include "common/format.h"
#include "common/theme.h"
#include "ingest/tracefile.h"
#include "shell/settingsdialog.h"
#include "store/retentionjob.h"
#include "store/sqlitestore.h"
#include "support/appwindow.h"

#include <QDoubleSpinBox>
#include <QLabel>
#include <QSpinBox>
#include <QStatusBar>
#include <QtTest>

using namespace agentops;
namespace format = agentops::ui::format;
namespace theme = agentops::ui::theme;

namespace {

QString screenshot(const QString &name)
{
    const QString dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name;
}

QString fixture(const char *scenario)
{
    return QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/") + QLatin1String(scenario)
        + QStringLiteral(".otlp.json");
}

/// Applies a theme and waits until the window's widgets follow it.
void applyTheme(QWidget *window, theme::Choice choice)
{
    theme::apply(choice);
    const QColor base
        = (choice == theme::Choice::Dark ? theme::darkPalette() : theme::lightPalette()).color(QPalette::Base);
    QTRY_COMPARE(window->palette().color(QPalette::Base), base);
    QTest::qWait(50);
}

/// A look of the monitor to its end.
bool lookNow(client::StorageMonitor *monitor)
{
    QSignalSpy updated(monitor, &client::StorageMonitor::updated);
    monitor->refresh();
    return updated.wait(10000);
}

/// Nothing of the label cut off: as wide as its text needs, inside the window.
bool unclipped(QLabel *label)
{
    return label->isVisible() && label->width() >= label->sizeHint().width()
        && label->mapTo(label->window(), QPoint(label->width(), 0)).x() <= label->window()->width();
}

} // namespace

class TestStorageUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void statusBarShowsSizeAndFreeDisk();
    void lowDiskWarnsOnceAndClears();
    void settingsShowAndApplyRetention();
    void cleanup() { m_app.stop(); }

private:
    test::AppWindow m_app;
};

void TestStorageUi::statusBarShowsSizeAndFreeDisk()
{
    m_app.start({ fixture("adk-js"), fixture("vercel-ai"), fixture("openai-openinference") }, false);
    if (QTest::currentTestFailed())
        return;
    auto *window = m_app.window.get();
    auto *monitor = window->storageMonitor();
    QVERIFY(monitor && window->storageLabel());
    auto *sqlite = dynamic_cast<store::SqliteStore *>(m_app.backend->store());
    QVERIFY(sqlite && sqlite->waitForSearchIndex());
    // What the window shows is what stat says of the files (looked at until two looks agree: the
    // checkpointer and the index may still write).
    const std::string path = m_app.backend->databasePath().toStdString();
    store::StorageFiles files;
    QTRY_VERIFY_WITH_TIMEOUT(lookNow(monitor)
            && monitor->status()->files.total() == store::sqliteStorageFiles(path).total()
            && (files = store::sqliteStorageFiles(path)).total() > 0,
        20000);
    const auto status = *monitor->status();
    QCOMPARE(status.files.database, files.database);
    QCOMPARE(status.files.search, files.search);
    QVERIFY(files.search > 0);
    QVERIFY(status.disk && !status.low);
    const QString text = window->storageLabel()->text();
    QCOMPARE(text,
        QStringLiteral("Database %1 · %2 free")
            .arg(format::bytes(files.total()), format::bytes(status.disk->free_bytes)));
    const QString tip = window->storageLabel()->toolTip();
    for (const auto part : { files.database, files.wal, files.search, files.search_wal, status.disk->total_bytes })
        QVERIFY2(tip.contains(format::bytes(part)), qPrintable(tip));
    QVERIFY(tip.contains(m_app.backend->databasePath()));
    // Every figure whole, at both window sizes, in both themes.
    for (const auto choice : { theme::Choice::Light, theme::Choice::Dark }) {
        applyTheme(window, choice);
        for (const QSize size : { QSize(1280, 720), QSize(1920, 1080) }) {
            window->resize(size);
            QTRY_COMPARE(window->size(), size);
            QVERIFY2(unclipped(window->storageLabel()), qPrintable(window->storageLabel()->text()));
            QVERIFY(window->grab().save(
                screenshot(QStringLiteral("storage-%1-%2.png")
                               .arg(choice == theme::Choice::Dark ? QStringLiteral("dark") : QStringLiteral("light"))
                               .arg(size.width()))));
        }
    }
    theme::apply(theme::Choice::Light);
}

void TestStorageUi::lowDiskWarnsOnceAndClears()
{
    m_app.start({ fixture("adk-js") }, false);
    if (QTest::currentTestFailed())
        return;
    auto *window = m_app.window.get();
    auto *monitor = window->storageMonitor();
    QVERIFY(lookNow(monitor));
    QVERIFY(!monitor->status()->low);
    const auto disk = store::diskSpace(m_app.backend->databasePath().toStdString());
    QVERIFY(disk);
    QSignalSpy lowChanged(monitor, &client::StorageMonitor::lowChanged);
    // The threshold above the real free space: the warning, once.
    window->statusBar()->clearMessage();
    monitor->setThreshold({ disk->free_bytes + (std::uint64_t(1) << 40), 0 });
    QTRY_COMPARE(lowChanged.count(), 1);
    QCOMPARE(lowChanged.front().front().toBool(), true);
    const auto status = *monitor->status();
    QVERIFY(status.low);
    const QString label = window->storageLabel()->text();
    QVERIFY2(label.contains(QStringLiteral("Disk low: Database ")), qPrintable(label));
    QVERIFY2(label.contains(theme::warningText(window->palette()).name()), qPrintable(label));
    const QString notice = window->statusBar()->currentMessage();
    QCOMPARE(notice,
        QStringLiteral("Disk low: %1 free (warning below %2). New traces are refused once it is full.")
            .arg(format::bytes(status.disk->free_bytes), format::bytes(status.lowThresholdBytes)));
    // The advice is in the label's tooltip.
    QVERIFY(window->storageLabel()->toolTip().contains(QStringLiteral("Settings")));
    for (const auto choice : { theme::Choice::Light, theme::Choice::Dark }) {
        applyTheme(window, choice);
        QTRY_VERIFY(window->storageLabel()->text().contains(theme::warningText(window->palette()).name()));
        for (const QSize size : { QSize(1280, 720), QSize(1920, 1080) }) {
            window->resize(size);
            QTRY_COMPARE(window->size(), size);
            QVERIFY2(unclipped(window->storageLabel()), qPrintable(window->storageLabel()->text()));
            QVERIFY(window->grab().save(
                screenshot(QStringLiteral("storage-low-%1-%2.png")
                               .arg(choice == theme::Choice::Dark ? QStringLiteral("dark") : QStringLiteral("light"))
                               .arg(size.width()))));
        }
    }
    theme::apply(theme::Choice::Light);
    // Still low at the next look: no second notice.
    window->statusBar()->clearMessage();
    QVERIFY(lookNow(monitor));
    QCOMPARE(lowChanged.count(), 1);
    QVERIFY(window->statusBar()->currentMessage().isEmpty());
    // Below the free space again: the warning goes.
    monitor->setThreshold({ 1, 0 });
    QTRY_COMPARE(lowChanged.count(), 2);
    QCOMPARE(lowChanged.back().front().toBool(), false);
    QVERIFY(!window->storageLabel()->text().contains(QStringLiteral("Disk low")));
    QVERIFY(window->storageLabel()->text().startsWith(QStringLiteral("Database ")));
}

void TestStorageUi::settingsShowAndApplyRetention()
{
    m_app.start(
        { fixture("adk-js"), fixture("vercel-ai"), fixture("openai-openllmetry"), fixture("vercel-ai-reworded") },
        false);
    if (QTest::currentTestFailed())
        return;
    auto *window = m_app.window.get();
    auto *monitor = window->storageMonitor();
    QVERIFY(lookNow(monitor));
    const auto status = *monitor->status();

    for (const auto choice : { theme::Choice::Light, theme::Choice::Dark }) {
        applyTheme(window, choice);
        ui::SettingsDialog dialog(m_app.backend->serverSettings(), m_app.backend->databasePath(), window);
        dialog.setStorage({ 30, std::uint64_t(10) << 30 }, status);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.retentionDaysBox()->value(), 30);
        QCOMPARE(dialog.retentionSizeBox()->value(), 10.0);
        const QString size = dialog.storageSizeLabel()->text();
        // A figure is never split from its unit when the text wraps.
        auto nb = [](QString figure) { return figure.replace(QLatin1Char(' '), QChar(0x00A0)); };
        QVERIFY2(size.startsWith(nb(format::bytes(status.files.total()))), qPrintable(size));
        QVERIFY(size.contains(nb(format::bytes(status.files.search + status.files.search_wal))));
        QVERIFY(size.contains(nb(format::bytes(status.disk->free_bytes))));
        QVERIFY(dialog.grab().save(
            screenshot(QStringLiteral("storage-settings-%1.png")
                           .arg(choice == theme::Choice::Dark ? QStringLiteral("dark") : QStringLiteral("light")))));
        // 0 reads as words, not as a limit of nothing.
        dialog.retentionDaysBox()->setValue(0);
        dialog.retentionSizeBox()->setValue(0);
        QCOMPARE(dialog.retentionDaysBox()->text(), QStringLiteral("Keep all"));
        QCOMPARE(dialog.retentionSizeBox()->text(), QStringLiteral("No limit"));
        QCOMPARE(dialog.retention(), (client::RetentionSettings { 0, 0 }));
        dialog.retentionSizeBox()->setValue(2.5);
        QCOMPARE(dialog.retention().maxBytes, std::uint64_t(5) << 29);
        dialog.reject();
    }
    theme::apply(theme::Choice::Light);

    // Applied, a limit below what the store takes deletes its oldest traces and keeps the newest.
    auto *st = m_app.backend->store();
    const auto sqlite = dynamic_cast<store::SqliteStore *>(st);
    // Enough traces that deleting the oldest frees pages before every trace is gone (beside the
    // schema's own pages): copies of a captured run, each a day older than the one before.
    std::vector<core::Span> run;
    QVERIFY(ingest::readTraceFile(fixture("adk-js").toStdString(), run).ok());
    for (int copy = 1; copy <= 40; ++copy) {
        auto spans = run;
        for (auto &span : spans) {
            span.trace_id[0] ^= static_cast<std::uint8_t>(copy);
            span.start_ns -= std::int64_t(copy) * 86'400'000'000'000;
            span.end_ns -= std::int64_t(copy) * 86'400'000'000'000;
        }
        sqlite->writeBatch(spans);
    }
    QVERIFY(sqlite->waitForSearchIndex());
    store::TraceQuery all;
    all.limit = 1000;
    const auto before = st->listTraces(all).traces; // newest first
    QVERIFY2(before.size() >= 6, qPrintable(QString::number(before.size())));
    const auto bytes = st->storeBytes();
    QVERIFY(bytes);
    // Just below what it takes (the database, the search index's share and the logs, counted up to
    // half the limit): the traces are small beside the schema and the rollups, and the job deletes to
    // 90 % of the limit.
    const std::uint64_t rest = bytes->data + bytes->derived_share;
    // The logs as counted within this limit: at most half of it, so at most half of the rest here.
    const std::uint64_t limit = rest + std::min(bytes->wal, rest / 2) - 1;
    QVERIFY(bytes->countedWithin(limit) > limit);
    m_app.backend->setRetention({ 0, limit });
    QTRY_VERIFY_WITH_TIMEOUT(m_app.backend->retentionJob()->stats().deleted_traces_by_size > 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(m_app.backend->retentionJob()->stats().runs >= 2, 20000);
    const auto after = st->listTraces(all).traces;
    qInfo("counted %llu bytes, limit %llu, now %llu; traces %zu, now %zu",
        static_cast<unsigned long long>(bytes->countedWithin(limit)), static_cast<unsigned long long>(limit),
        static_cast<unsigned long long>(st->storeBytes()->countedWithin(limit)), before.size(), after.size());
    QVERIFY(!after.empty() && after.size() < before.size());
    for (std::size_t i = 0; i < after.size(); ++i)
        QCOMPARE(after[i].trace_id, before[i].trace_id);
}

QTEST_MAIN(TestStorageUi)
#include "tst_storageui.moc"
