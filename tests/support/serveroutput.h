// SPDX-License-Identifier: MIT
#pragma once

// What agentops-server prints that tests read back: the port it listens on, the API key it made.

#include <QByteArray>
#include <QLatin1String>
#include <QRegularExpression>
#include <QString>

namespace agentops::test {

/// The port of the server's "listening on <scheme>://host:port" line in what it printed; -1 while
/// there is none. `scheme`: "http", "https", or "https?" for either.
inline int listeningPort(const QString &printed, const char *scheme = "https?")
{
    static const QRegularExpression listening(QStringLiteral("listening on (https?)://[^:]+:(\\d+)"));
    const QString wanted = QString::fromLatin1(scheme);
    for (auto it = listening.globalMatch(printed); it.hasNext();) {
        const auto m = it.next();
        if (wanted == QLatin1String("https?") || m.captured(1) == wanted)
            return m.captured(2).toInt();
    }
    return -1;
}

/// The API key `agentops-server key create` printed (aok_ and 43 characters); empty when none.
inline QString apiKeyIn(const QByteArray &printed)
{
    static const QRegularExpression key(QStringLiteral("(aok_[A-Za-z0-9_-]{43})"));
    return key.match(QString::fromUtf8(printed)).captured(1);
}

/// The OTLP/gRPC port the "listening on" line names (otlp_grpc_endpoint=http://127.0.0.1:port); -1
/// when it names none.
inline int grpcPortIn(const QByteArray &printed)
{
    static const QRegularExpression endpoint(QStringLiteral("otlp_grpc_endpoint=http://127\\.0\\.0\\.1:(\\d+)"));
    const auto m = endpoint.match(QString::fromUtf8(printed));
    return m.hasMatch() ? m.captured(1).toInt() : -1;
}

} // namespace agentops::test
