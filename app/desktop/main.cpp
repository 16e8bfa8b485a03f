// SPDX-License-Identifier: MIT
// agentops-monitor: the desktop app. Wires the embedded backend (store, ingest pipeline, OTLP
// receiver), the reader that keeps store calls off the GUI thread, and the main window.
#include "client/localbackend.h"
#include "client/tracesourcerunner.h"
#include "shell/mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace agentops;

int main(int argc, char **argv)
{
    // A client that goes away mid-response must not kill the app.
    std::signal(SIGPIPE, SIG_IGN);

    QCoreApplication::setOrganizationName(QStringLiteral("AgentOps"));
    QCoreApplication::setApplicationName(QStringLiteral("AgentOps Monitor"));
    QCoreApplication::setApplicationVersion(QStringLiteral(AGENTOPS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Debug AI agents: receive OpenTelemetry traces and explore them."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption databaseOption(QStringLiteral("database"),
        QCoreApplication::translate("main", "Trace database to open (default: %1).")
            .arg(QStringLiteral("~/.local/share/AgentOps/AgentOps Monitor/traces.db")),
        QStringLiteral("path"));
    const QCommandLineOption portOption(QStringLiteral("port"),
        QCoreApplication::translate("main", "Receive OTLP on this port (this run only)."), QStringLiteral("port"));
    const QCommandLineOption noServerOption(
        QStringLiteral("no-server"), QCoreApplication::translate("main", "Do not receive traces (this run only)."));
    const QCommandLineOption verboseOption(
        QStringLiteral("verbose"), QCoreApplication::translate("main", "Log every request of the receiver to stderr."));
    parser.addOptions({ databaseOption, portOption, noServerOption, verboseOption });
    parser.addPositionalArgument(QStringLiteral("files"),
        QCoreApplication::translate("main", "Trace files to import (OTLP JSON, JSON lines, protobuf)."),
        QStringLiteral("[files...]"));

    // --help and --version answer without a display.
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version") {
            QCoreApplication core(argc, argv);
            parser.process(core);
            return 0;
        }
    }

    QApplication app(argc, argv);
    QGuiApplication::setApplicationDisplayName(QStringLiteral("AgentOps Monitor"));
    QGuiApplication::setDesktopFileName(QStringLiteral("agentops-monitor"));
    parser.process(app);

    client::ServerSettings serverSettings;
    {
        const QSettings settings;
        serverSettings.enabled = settings.value(QStringLiteral("server/enabled"), true).toBool();
        serverSettings.host = settings.value(QStringLiteral("server/host"), serverSettings.host).toString();
        serverSettings.port = settings.value(QStringLiteral("server/port"), serverSettings.port).toInt();
    }
    if (parser.isSet(portOption)) {
        bool ok = false;
        const int port = parser.value(portOption).toInt(&ok);
        if (!ok || port < 0 || port > 65535) {
            std::fprintf(
                stderr, "agentops-monitor: --port: not a port number: %s\n", qPrintable(parser.value(portOption)));
            return 2;
        }
        serverSettings.port = port;
    }
    if (parser.isSet(noServerOption))
        serverSettings.enabled = false;

    client::LocalBackend backend(parser.value(databaseOption));
    if (parser.isSet(verboseOption))
        backend.setServerLog(stderr);
    backend.setServerSettings(serverSettings);
    QString error;
    if (!backend.start(&error)) {
        QMessageBox::critical(nullptr, QCoreApplication::translate("main", "AgentOps Monitor"), error);
        return 1;
    }

    int status = 0;
    {
        client::TraceSourceRunner runner(backend.source());
        ui::MainWindow window(&backend, &runner);
        window.show();
        const QStringList files = parser.positionalArguments();
        if (!files.isEmpty())
            QTimer::singleShot(0, &window, [&window, files] { window.importFiles(files); });
        status = app.exec();
    }
    backend.stop();
    return status;
}
