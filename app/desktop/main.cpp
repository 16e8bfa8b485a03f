// SPDX-License-Identifier: MIT
// agentops-monitor: the desktop app. Wires the embedded backend (store, ingest pipeline, OTLP
// receiver), the reader that keeps store calls off the GUI thread, and the main window.
#include "client/localbackend.h"
#include "client/sourcemanager.h"
#include "client/tracesourcerunner.h"
#include "common/theme.h"
#include "common/translations.h"
#include "core/crashhandler.h"
#include "shell/crashreportdialog.h"
#include "shell/mainwindow.h"
#include "smoketest.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>

#include <QTimer>
#include <algorithm>

#include <csignal>
#include <cstdio>

using namespace agentops;

namespace {

QtMessageHandler g_qtMessages = nullptr;

/// Every Qt message also goes into the ring of recent lines a crash report ends with.
void keepForCrashReport(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    crash::logLine(message.toUtf8().constData());
    if (g_qtMessages)
        g_qtMessages(type, context, message);
}

/// Crash reports into the data directory; the one a previous run left is offered once the window is up.
void installCrashReports()
{
    if (!crash::install(ui::CrashReportDialog::reportDirectory().toStdString(), "agentops-monitor", AGENTOPS_VERSION))
        std::fprintf(stderr, "agentops-monitor: crash reports are off: cannot create %s\n",
            qPrintable(ui::CrashReportDialog::reportDirectory()));
    g_qtMessages = qInstallMessageHandler(keepForCrashReport);
    crash::logLine("agentops-monitor " AGENTOPS_VERSION " started");
}

void offerCrashReport(QWidget *window)
{
    const QStringList reports = ui::CrashReportDialog::unseenReports(ui::CrashReportDialog::reportDirectory());
    if (reports.isEmpty())
        return;
    auto *dialog = new ui::CrashReportDialog(reports, window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

/// The command line's options; --help lists them in this order.
struct CommandLine
{
    QCommandLineOption database { QStringLiteral("database"),
        QCoreApplication::translate("main", "Trace database to open (default: %1).")
            .arg(QStringLiteral("~/.local/share/AgentOps/AgentOps Monitor/traces.db")),
        QStringLiteral("path") };
    QCommandLineOption port { QStringLiteral("port"),
        QCoreApplication::translate("main", "Receive OTLP on this port (this run only)."), QStringLiteral("port") };
    QCommandLineOption grpcPort { QStringLiteral("grpc-port"),
        QCoreApplication::translate("main", "Receive OTLP/gRPC on this port (this run only)."),
        QStringLiteral("port") };
    QCommandLineOption noServer { QStringLiteral("no-server"),
        QCoreApplication::translate("main", "Do not receive traces (this run only).") };
    QCommandLineOption verbose { QStringLiteral("verbose"),
        QCoreApplication::translate("main", "Log every request of the receiver to stderr.") };
    QCommandLineOption smokeTest { QStringLiteral("smoke-test"),
        QCoreApplication::translate("main",
            "Check the installation: receive one OTLP request on a free port into a temporary database, check "
            "that it is stored and listed, and exit (0: passed).") };

    void addTo(QCommandLineParser &parser) const
    {
        parser.setApplicationDescription(
            QCoreApplication::translate("main", "Debug AI agents: receive OpenTelemetry traces and explore them."));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({ database, port, grpcPort, noServer, verbose, smokeTest });
        parser.addPositionalArgument(QStringLiteral("files"),
            QCoreApplication::translate("main", "Trace files to import (OTLP JSON, JSON lines, protobuf)."),
            QStringLiteral("[files...]"));
    }
};

/// The language, theme, names and icon of the application, before any window exists.
void setUpApplication()
{
    // The system's language, or the one chosen in Settings.
    QString translationError;
    if (ui::translations::installConfigured(&translationError) == QLatin1String("en") && !translationError.isEmpty())
        std::fprintf(stderr, "agentops-monitor: %s\n", qPrintable(translationError));
    // The colour theme chosen in Settings (System by default: the desktop's light or dark).
    ui::theme::applyConfigured();
    QGuiApplication::setApplicationDisplayName(QStringLiteral("AgentOps Monitor"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.agentops.Monitor"));
    QIcon appIcon(QStringLiteral(":/icons/org.agentops.Monitor.svg"));
    for (const int size : { 16, 32, 64, 128, 256 })
        appIcon.addFile(
            QStringLiteral(":/icons/hicolor/%1x%1/apps/org.agentops.Monitor.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(appIcon);
}

/// The receivers as Settings left them.
client::ServerSettings configuredServerSettings()
{
    const QSettings settings;
    client::ServerSettings serverSettings;
    serverSettings.enabled = settings.value(QStringLiteral("server/enabled"), true).toBool();
    serverSettings.host = settings.value(QStringLiteral("server/host"), serverSettings.host).toString();
    serverSettings.port = settings.value(QStringLiteral("server/port"), serverSettings.port).toInt();
    serverSettings.grpcEnabled
        = settings.value(QStringLiteral("server/grpc_enabled"), serverSettings.grpcEnabled).toBool();
    serverSettings.grpcPort = settings.value(QStringLiteral("server/grpc_port"), serverSettings.grpcPort).toInt();
    serverSettings.redact = settings.value(QStringLiteral("redaction/enabled"), false).toBool();
    serverSettings.redactionRules = settings.value(QStringLiteral("redaction/rules")).toString();
    return serverSettings;
}

/// A port given for this run only: false after saying why when it is not a port number.
bool portArgument(const QCommandLineParser &parser, const QCommandLineOption &option, int &port)
{
    if (!parser.isSet(option))
        return true;
    bool ok = false;
    port = parser.value(option).toInt(&ok);
    if (ok && port >= 0 && port <= 65535)
        return true;
    std::fprintf(stderr, "agentops-monitor: --%s: not a port number: %s\n", qPrintable(option.names().constFirst()),
        qPrintable(parser.value(option)));
    return false;
}

/// The settings with this run's options over them; false when an option is wrong (said why).
bool applyArguments(const QCommandLineParser &parser, const CommandLine &options, bool smokeTest,
    client::ServerSettings &serverSettings)
{
    if (!portArgument(parser, options.port, serverSettings.port)
        || !portArgument(parser, options.grpcPort, serverSettings.grpcPort))
        return false;
    if (parser.isSet(options.grpcPort))
        serverSettings.grpcEnabled = true;
    if (parser.isSet(options.noServer))
        serverSettings.enabled = false;
    if (smokeTest) {
        serverSettings.enabled = true;
        serverSettings.host = QStringLiteral("127.0.0.1");
        if (!parser.isSet(options.port))
            serverSettings.port = 0;
        if (!parser.isSet(options.grpcPort))
            serverSettings.grpcPort = 0;
    }
    return true;
}

void applyConfiguredRetention(client::LocalBackend &backend)
{
    const QSettings settings;
    client::RetentionSettings retention;
    retention.days = std::max(0, settings.value(QStringLiteral("storage/retention_days"), 0).toInt());
    retention.maxBytes = settings.value(QStringLiteral("storage/max_bytes"), 0).toULongLong();
    backend.setRetention(retention);
}

/// Shows the main window over the started backend and runs the event loop; the exit status.
int runWindow(QApplication &app, client::LocalBackend &backend, const QStringList &files, bool smokeTest)
{
    // Every page reads through the manager's runner, so the source can be switched to a team
    // server and back without rebuilding the window.
    client::SourceManager sources(backend.source());
    ui::MainWindow window(&backend, sources.runner());
    window.setSourceManager(&sources);
    window.show();
    // The last used server's sign-in is read from the keychain and checked off the GUI thread.
    window.startSources();
    if (!files.isEmpty())
        QTimer::singleShot(0, &window, [&window, files] { window.importFiles(files); });
    if (smokeTest)
        desktop::startSmokeTest(backend, window);
    else
        QTimer::singleShot(0, &window, [&window] { offerCrashReport(&window); });
    // AGENTOPS_CRASH_TEST: tests of the crash report only.
    QTimer::singleShot(0, &window, [] { crash::crashIfAsked(); });
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    // A client that goes away mid-response must not kill the app.
    std::signal(SIGPIPE, SIG_IGN);

    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTOPS_VERSION));

    QCommandLineParser parser;
    const CommandLine options;
    options.addTo(parser);

    // --help and --version answer without a display.
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version") {
            QCoreApplication core(argc, argv);
            parser.process(core);
            return 0;
        }
    }

    installCrashReports();
    QApplication app(argc, argv);
    setUpApplication();
    parser.process(app);
    desktop::quitOnTerminationSignals();

    // The smoke test touches nothing of the user's: temporary settings and database, a free port.
    const bool smokeTest = parser.isSet(options.smokeTest);
    QTemporaryDir smokeDir;
    if (smokeTest) {
        if (!smokeDir.isValid()) {
            std::fprintf(stderr, "agentops-monitor --smoke-test: cannot create a temporary directory\n");
            return 1;
        }
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, smokeDir.path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, smokeDir.path());
    }

    client::ServerSettings serverSettings = configuredServerSettings();
    if (!applyArguments(parser, options, smokeTest, serverSettings))
        return 2;

    client::LocalBackend backend(parser.isSet(options.database) || !smokeTest
            ? parser.value(options.database)
            : smokeDir.filePath(QStringLiteral("traces.db")));
    if (parser.isSet(options.verbose))
        backend.setServerLog(stderr);
    backend.setServerSettings(serverSettings);
    applyConfiguredRetention(backend);
    QString error;
    if (!backend.start(&error)) {
        if (smokeTest)
            std::fprintf(stderr, "agentops-monitor --smoke-test: %s\n", qPrintable(error));
        else
            QMessageBox::critical(nullptr, QCoreApplication::translate("main", "AgentOps Monitor"), error);
        return 1;
    }

    const int status = runWindow(app, backend, parser.positionalArguments(), smokeTest);
    backend.stop();
    return status;
}
