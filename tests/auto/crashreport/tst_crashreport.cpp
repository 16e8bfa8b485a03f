// SPDX-License-Identifier: MIT
// Crash reports as a user meets them: the real agentops-server and agentops-monitor made to crash
// (AGENTOPS_CRASH_TEST, a switch for tests only), the report they leave, and what the next start
// does with it.
#include "core/crashhandler.h"
#include "shell/crashreportdialog.h"
#include "support/serverprocess.h"

#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>

using namespace agentops;

namespace {

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QStringList reportsIn(const QString &dir, const QString &pattern = QStringLiteral("crash-*.txt"))
{
    QStringList out;
    for (const auto &name : QDir(dir).entryList({ pattern }, QDir::Files, QDir::Name))
        out << QDir(dir).filePath(name);
    return out;
}

/// Runs a program to its end with AGENTOPS_CRASH_TEST=how; the signal it died of (0: it did not).
int runUntilCrash(const QString &program, const QStringList &args, const QString &how, const QProcessEnvironment &base,
    QByteArray &output)
{
    QProcess p;
    auto env = base;
    env.insert(QStringLiteral("AGENTOPS_CRASH_TEST"), how);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    if (!p.waitForFinished(60000))
        return 0;
    output = p.readAll();
    // On Unix, a process that died of a signal reports the signal as its exit code.
    return p.exitStatus() == QProcess::CrashExit ? p.exitCode() : 0;
}

} // namespace

class TestCrashReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serverCrashLeavesAReport_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<int>("signal");
        QTest::addColumn<QString>("signalName");
        QTest::addColumn<QString>("frame");
        QTest::newRow("segv") << QStringLiteral("segv") << SIGSEGV << QStringLiteral("SIGSEGV")
                              << QStringLiteral("crashForTestSegv");
        QTest::newRow("abort") << QStringLiteral("abort") << SIGABRT << QStringLiteral("SIGABRT")
                               << QStringLiteral("crashForTestAbort");
        QTest::newRow("terminate") << QStringLiteral("terminate") << SIGABRT << QStringLiteral("SIGABRT")
                                   << QStringLiteral("crashForTestTerminate");
        QTest::newRow("bus") << QStringLiteral("bus") << SIGBUS << QStringLiteral("SIGBUS")
                             << QStringLiteral("crashForTestSignal");
        QTest::newRow("fpe") << QStringLiteral("fpe") << SIGFPE << QStringLiteral("SIGFPE")
                             << QStringLiteral("crashForTestSignal");
        QTest::newRow("ill") << QStringLiteral("ill") << SIGILL << QStringLiteral("SIGILL")
                             << QStringLiteral("crashForTestSignal");
    }

    void serverCrashLeavesAReport()
    {
        QFETCH(QString, how);
        QFETCH(int, signal);
        QFETCH(QString, signalName);
        QFETCH(QString, frame);
        QTemporaryDir dir;
        const QStringList args { QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--listen"),
            QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"), QStringLiteral("off"),
            QStringLiteral("--data-dir"), dir.path() };
        QByteArray out;
        // Killed by the signal itself (the default action runs after the report): the exit status is kept.
        QCOMPARE(runUntilCrash(
                     QStringLiteral(AGENTOPS_SERVER_BINARY), args, how, QProcessEnvironment::systemEnvironment(), out),
            signal);
        const QString reports = dir.filePath(QStringLiteral("crash-reports"));
        const auto found = reportsIn(reports);
        QCOMPARE(found.size(), 1);
        QCOMPARE(QFileInfo(found.front()).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        const QString report = readAll(found.front());
        QVERIFY2(report.contains(QStringLiteral("program: agentops-server\n")), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("version: " AGENTOPS_EXPECTED_VERSION "\n")), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("signal: ") + signalName), qPrintable(report));
        // A frame of our own code, by name (the binary exports its symbols for this).
        QVERIFY2(report.contains(frame) && report.contains(QStringLiteral("agentops-server(")), qPrintable(report));
        // The last log lines: the server's "listening on" line, as it logged it.
        QVERIFY2(report.contains(QStringLiteral("INFO listening on http://127.0.0.1:")), qPrintable(report));
        if (how == QLatin1String("terminate"))
            QVERIFY2(report.contains(QStringLiteral("reason: std::terminate: uncaught exception: test crash: an "
                                                    "exception nobody catches")),
                qPrintable(report));

        // The next start says there is a report, and where; once.
        QProcess server;
        QByteArray printed;
        QVERIFY(test::startServerProcess(server, args, 30000, "http", &printed) > 0);
        const QString seen = QString(found.front()).replace(QStringLiteral(".txt"), QStringLiteral(".seen.txt"));
        const QByteArray notice = "the server crashed before: a crash report is in " + seen.toUtf8();
        QVERIFY2(printed.contains(notice), printed.constData());
        QVERIFY(QFile::exists(seen));
        QVERIFY(reportsIn(reports, QStringLiteral("crash-*[0-9].txt")).isEmpty());
        ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 0);
    }

    void appCrashLeavesAReport()
    {
        QTemporaryDir home;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        QByteArray out;
        QCOMPARE(runUntilCrash(QStringLiteral(AGENTOPS_MONITOR_BINARY),
                     { QStringLiteral("--no-server"), QStringLiteral("--database"),
                         home.filePath(QStringLiteral("traces.db")) },
                     QStringLiteral("segv"), env, out),
            SIGSEGV);
        const QString reports = home.filePath(QStringLiteral("data/AgentOps/AgentOps Monitor/crash-reports"));
        const auto found = reportsIn(reports);
        QVERIFY2(found.size() == 1, out.constData());
        const QString report = readAll(found.front());
        QVERIFY2(report.contains(QStringLiteral("program: agentops-monitor\n")), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("version: " AGENTOPS_EXPECTED_VERSION "\n")), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("signal: SIGSEGV")), qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("agentops-monitor(_ZN8agentops5crash16crashForTestSegv")),
            qPrintable(report));
        QVERIFY2(report.contains(QStringLiteral("agentops-monitor " AGENTOPS_EXPECTED_VERSION " started")),
            qPrintable(report));

        // The next start offers it: the dialog marks it seen as it opens.
        QProcess again;
        again.setProcessEnvironment(env);
        again.setProcessChannelMode(QProcess::MergedChannels);
        again.start(QStringLiteral(AGENTOPS_MONITOR_BINARY),
            { QStringLiteral("--no-server"), QStringLiteral("--database"),
                home.filePath(QStringLiteral("traces.db")) });
        QVERIFY(again.waitForStarted(10000));
        const QString seen = QString(found.front()).replace(QStringLiteral(".txt"), QStringLiteral(".seen.txt"));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(seen), 30000);
        QVERIFY(!QFile::exists(found.front()));
        ::kill(static_cast<pid_t>(again.processId()), SIGTERM);
        QVERIFY(again.waitForFinished(30000));
        QCOMPARE(again.exitStatus(), QProcess::NormalExit);
        // Seen, it is not offered again (nothing unseen is left to offer).
        QVERIFY(ui::CrashReportDialog::unseenReports(reports).isEmpty());
    }

    void nextStartOffersTheReport()
    {
        QTemporaryDir dir;
        // Two crashes since the last run: the newest is shown, both are marked seen.
        for (const auto &[name, text] : { std::pair { "crash-1700000000-11.txt", "older report\n" },
                 std::pair { "crash-1700000100-12.txt",
                     "AgentOps Monitor crash report\nprogram: agentops-monitor\nsignal: SIGSEGV (invalid memory "
                     "access)\n\nbacktrace:\n/usr/bin/agentops-monitor(_ZN8agentops5crash16crashForTestSegvEv+0x10) "
                     "[0x55d0c2a1f2b0]\n" } }) {
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        const QStringList reports = ui::CrashReportDialog::unseenReports(dir.path());
        QCOMPARE(reports.size(), 2);
        ui::CrashReportDialog dialog(reports);
        QVERIFY(dialog.textView()->toPlainText().contains(QStringLiteral("crashForTestSegv")));
        QCOMPARE(dialog.shownReport(), dir.filePath(QStringLiteral("crash-1700000100-12.seen.txt")));
        QVERIFY(ui::CrashReportDialog::unseenReports(dir.path()).isEmpty());
        QSignalSpy open(&dialog, &ui::CrashReportDialog::openFolderRequested);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.openFolderButton()->click();
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.front().front().toString(), QFileInfo(dir.path()).absoluteFilePath());
        // Dismiss is the default: Enter closes it.
        const QString shot = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots/crash-report-dialog.png");
        QDir().mkpath(QFileInfo(shot).path());
        QVERIFY(dialog.grab().save(shot));
        QTest::keyClick(&dialog, Qt::Key_Return);
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }
};

QTEST_MAIN(TestCrashReport)
#include "tst_crashreport.moc"
