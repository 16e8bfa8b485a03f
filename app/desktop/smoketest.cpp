// SPDX-License-Identifier: MIT
#include "smoketest.h"

#include "client/httpclient.h"
#include "client/localbackend.h"
#include "client/tracesource.h"
#include "core/span.h"
#include "shell/mainwindow.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSocketNotifier>
#include <QTimer>

#include <array>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace agentops::desktop {

namespace {
int g_signalSocket[2] = { -1, -1 };

void onTerminationSignal(int)
{
    const char byte = 1;
    // Async-signal-safe; a full socket means a quit is already pending.
    [[maybe_unused]] const auto written = ::write(g_signalSocket[0], &byte, 1);
}

void finish(int status, const QString &message)
{
    std::fprintf(status == 0 ? stdout : stderr, "agentops-monitor --smoke-test: %s\n", qPrintable(message));
    std::fflush(stdout);
    QApplication::closeAllWindows();
    QCoreApplication::exit(status);
}
} // namespace

void quitOnTerminationSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, g_signalSocket) != 0) {
        std::perror("agentops-monitor: socketpair");
        return;
    }
    auto *notifier = new QSocketNotifier(g_signalSocket[1], QSocketNotifier::Read, qApp);
    QObject::connect(notifier, &QSocketNotifier::activated, qApp, [] {
        char buffer[16];
        while (::read(g_signalSocket[1], buffer, sizeof buffer) > 0) { }
        // Closing the windows saves their layout; exit() also ends a dialog's nested event loop.
        QApplication::closeAllWindows();
        QCoreApplication::quit();
    });
    struct sigaction action = {};
    action.sa_handler = onTerminationSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (const int sig : { SIGTERM, SIGINT, SIGHUP })
        ::sigaction(sig, &action, nullptr);
}

void startSmokeTest(client::LocalBackend &backend, ui::MainWindow &window)
{
    window.setPollInterval(100);
    QTimer::singleShot(0, &window, [&backend, &window] {
        if (!backend.isServing()) {
            finish(1, QStringLiteral("the embedded receiver is not listening: ") + backend.serverError());
            return;
        }
        core::TraceId traceId {};
        core::SpanId spanId {};
        QRandomGenerator::global()->generate(traceId.begin(), traceId.end());
        QRandomGenerator::global()->generate(spanId.begin(), spanId.end());
        traceId[0] |= 1; // never all zero (invalid in OTLP)
        spanId[0] |= 1;
        const qint64 end = QDateTime::currentMSecsSinceEpoch() * 1000000;
        const std::string body = std::string("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":"
                                             "\"service.name\",\"value\":{\"stringValue\":\"smoke-test\"}}]},")
            + "\"scopeSpans\":[{\"scope\":{\"name\":\"agentops-monitor\"},\"spans\":[{\"traceId\":\""
            + core::toHex(traceId) + "\",\"spanId\":\"" + core::toHex(spanId)
            + "\",\"name\":\"smoke test\",\"kind\":1,\"startTimeUnixNano\":\"" + std::to_string(end - 5000000)
            + "\",\"endTimeUnixNano\":\"" + std::to_string(end)
            + "\",\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}}]}]}]}]}";

        // The app's own HTTP client (libcurl), as a remote exporter on this machine would send.
        client::RemoteConfig config;
        config.base_url = "http://127.0.0.1:" + std::to_string(backend.serverPort());
        config.connect_timeout = std::chrono::milliseconds(5000);
        config.total_timeout = std::chrono::milliseconds(10000);
        config.max_retries = 0;
        client::HttpClient http(config);
        client::HttpClient::Response response;
        try {
            client::HttpClient::Request request;
            request.post = true;
            request.path = "/v1/traces";
            request.body = body;
            request.bearer = false;
            response = http.send(request);
        } catch (const client::SourceError &e) {
            finish(1, QStringLiteral("POST /v1/traces failed: ") + QString::fromUtf8(e.what()));
            return;
        }
        if (response.status != 200) {
            finish(1,
                QStringLiteral("POST /v1/traces answered %1: %2")
                    .arg(response.status)
                    .arg(QString::fromStdString(response.body)));
            return;
        }
        const auto stored = backend.source()->trace(traceId);
        if (!stored || stored->spans.size() != 1 || stored->spans.front().name != "smoke test") {
            finish(1, QStringLiteral("the span sent was acknowledged but is not in the store"));
            return;
        }
        // The window must show it too: the trace list refreshes on its own when the store changes.
        auto *timer = new QTimer(&window);
        auto *clock = new QElapsedTimer;
        clock->start();
        QObject::connect(timer, &QTimer::timeout, &window, [&window, &backend, timer, clock] {
            if (window.traceListPage()->model()->rowCount() >= 1) {
                timer->stop();
                finish(0,
                    QStringLiteral("passed: one OTLP span received on %1, stored and listed (%2 ms)")
                        .arg(backend.serverUrl())
                        .arg(clock->elapsed()));
                delete clock;
            } else if (clock->elapsed() > 15000) {
                timer->stop();
                delete clock;
                finish(1, QStringLiteral("the stored trace did not appear in the trace list within 15 s"));
            }
        });
        timer->start(50);
    });
}

} // namespace agentops::desktop
