// SPDX-License-Identifier: MIT
#pragma once

// agentops-server as a child process, for tests that run it as an operator would. The test target
// defines AGENTOPS_SERVER_BINARY (the built agentops-server).

#include "support/serveroutput.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace agentops::test {

/// Starts agentops-server with `args` and waits up to timeoutMs for its "listening on" line, whose
/// scheme must match `scheme` (a regular expression). Returns the port it listens on, or -1 after
/// printing what the server said, so a failure under load can be told from one of the server.
/// Unless args name one, the OTLP/gRPC receiver gets a free port (tests run side by side). What the
/// server printed up to then goes to `printed` when given.
inline int startServerProcess(QProcess &server, const QStringList &args, int timeoutMs, const char *scheme = "https?",
    QByteArray *printed = nullptr)
{
    server.setProgram(QStringLiteral(AGENTOPS_SERVER_BINARY));
    QStringList all = args;
    if (!all.contains(QStringLiteral("--grpc-listen")))
        all << QStringLiteral("--grpc-listen") << QStringLiteral("127.0.0.1:0");
    server.setArguments(all);
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start();
    if (!server.waitForStarted(10000))
        return -1;
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        server.waitForReadyRead(200);
        out += server.readAll();
        if (const int port = listeningPort(QString::fromUtf8(out), scheme); port >= 0) {
            if (printed)
                *printed = out;
            return port;
        }
    }
    qWarning("no listening line within %d ms; the server printed: %s", timeoutMs, out.constData());
    return -1;
}

/// Runs an agentops-server command on the data directory, with `input` on its standard input.
/// Returns its exit code (-1 when it did not start, finish or exit normally); its output in out.
inline int runServerCommand(const QString &dataDir, QStringList args, QByteArray &out, const QByteArray &input = {})
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(AGENTOPS_SERVER_BINARY), args << QStringLiteral("--data-dir") << dataDir);
    if (!p.waitForStarted(10000))
        return -1;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return -1;
    out = p.readAll();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

} // namespace agentops::test
