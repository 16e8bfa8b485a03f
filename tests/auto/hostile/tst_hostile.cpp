// SPDX-License-Identifier: MIT
// agentops-server against clients that mean harm, over real sockets: slow and silent clients,
// unframed and endless bodies, unterminated lines, header floods, every request-smuggling shape,
// pipelining, stalled TLS handshakes, random methods, Host values of another site, connection
// floods, and SIGTERM under load. The server runs as a process of its own, so its memory is
// measured from /proc alone.
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/rawconnection.h"
#include "support/serveroutput.h"

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace agentops;
using test::RawConnection;
using test::RawResponse;
using Clock = std::chrono::steady_clock;

namespace {

long long msSince(Clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

/// The resident memory of a process in KiB (VmRSS), or -1.
long long rssKiB(qint64 pid)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::atoll(line.c_str() + 6);
    }
    return -1;
}

std::string traceHex(int n)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "4bf92f3577b34da6%016x", n + 1);
    return buf;
}

/// A native ingest batch: one trace of `spans` spans.
std::string nativeBatch(int trace, int spans = 1)
{
    std::string out = "{\"trace\":{\"trace_id\":\"" + traceHex(trace) + "\",\"service_name\":\"hostile\"},\"spans\":[";
    for (int i = 0; i < spans; ++i) {
        char span[24];
        std::snprintf(span, sizeof span, "%08x%08x", trace + 1, i + 1);
        out += std::string(i ? "," : "") + "{\"span_id\":\"" + span + "\",\"name\":\"step " + std::to_string(i)
            + "\",\"start_time_unix_nano\":1764086400000000000,\"end_time_unix_nano\":1764086401000000000}";
    }
    return out + "]}";
}

std::string ingestRequest(int trace, const std::string &extraHeaders = {})
{
    const std::string body = nativeBatch(trace);
    return "POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
        + std::to_string(body.size()) + "\r\n" + extraHeaders + "\r\n" + body;
}

/// Sends up to `total` bytes of `piece` repeated, as a client that reads while it writes: it stops
/// when an answer comes (or the server stops taking bytes). Returns how many it sent.
std::size_t flood(RawConnection &conn, const std::string &piece, std::size_t total)
{
    std::size_t sent = 0;
    while (sent < total && !conn.readable()) {
        if (!conn.send(piece))
            break;
        sent += piece.size();
    }
    return sent;
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private:
    /// A running agentops-server in open mode (--auth none) unless `extra` says otherwise.
    struct Server
    {
        QTemporaryDir dir;
        QProcess process;
        int port = -1;
        qint64 pid() const { return process.processId(); }
        QString logFile() const { return dir.filePath(QStringLiteral("server.log")); }
        QString log() const
        {
            QFile f(logFile());
            return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        }
        ~Server()
        {
            if (process.state() != QProcess::NotRunning) {
                process.terminate();
                if (!process.waitForFinished(15000))
                    process.kill();
            }
        }
    };

    /// Starts agentops-server with its output in a file (a pipe nobody reads would fill up and stop
    /// it) and waits for its "listening on" line.
    static bool start(Server &s, const QStringList &extra = {}, const char *scheme = "http")
    {
        QStringList args { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
            s.dir.path() };
        if (!extra.contains(QStringLiteral("--auth")))
            args << QStringLiteral("--auth") << QStringLiteral("none");
        if (!extra.contains(QStringLiteral("--grpc-listen")))
            args << QStringLiteral("--grpc-listen") << QStringLiteral("127.0.0.1:0");
        s.process.setStandardOutputFile(s.logFile());
        s.process.setStandardErrorFile(s.logFile(), QIODevice::Append);
        s.process.start(QStringLiteral(AGENTOPS_SERVER_BINARY), args + extra);
        if (!s.process.waitForStarted(10000))
            return false;
        const auto started = Clock::now();
        while (msSince(started) < 30000 && s.process.state() == QProcess::Running) {
            s.port = test::listeningPort(s.log(), scheme);
            if (s.port >= 0)
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        qWarning("no listening line; the server printed: %s", qPrintable(s.log()));
        return false;
    }

    /// GET /healthz on a new connection; its time in ms, or -1 when it failed.
    static long long healthzMs(int port)
    {
        const auto t = Clock::now();
        test::HttpClient c("127.0.0.1", port);
        c.setTimeout(std::chrono::seconds(10));
        const auto res = c.get("/healthz");
        return res && res->status == 200 ? msSince(t) : -1;
    }

    static bool stored(int port, int trace)
    {
        test::HttpClient c("127.0.0.1", port);
        const auto res = c.get("/api/v1/traces/" + traceHex(trace));
        return res && res->status == 200;
    }

private Q_SLOTS:
    void slowClientsDoNotBlockOthers();
    void silentConnectionsAreCutOff();
    void unframedBodiesAreRefusedUnread_data();
    void unframedBodiesAreRefusedUnread();
    void unterminatedLines();
    void headerFloods();
    void smuggling_data();
    void smuggling();
    void pipelinedRequestsAreAnsweredInOrder();
    void slowBodyAndIdleConnectionsAreCut();
    void connectionLimits();
    void hostHeaderInOpenMode();
    void stalledTlsHandshakesAndCiphers();
    void randomMethodsKeepMetricsBounded();
    void sigtermUnderLoad();
};

void TestHostile::slowClientsDoNotBlockOthers()
{
    // 64 connections that send a byte of their request every 1.5 s: the server holds no thread for
    // them, answers everyone else at once, and cuts each off when its header deadline passes.
    Server s;
    QVERIFY(start(s, { QStringLiteral("--header-timeout"), QStringLiteral("4s") }));
    std::vector<std::unique_ptr<RawConnection>> slow;
    for (int i = 0; i < 64; ++i) {
        slow.push_back(std::make_unique<RawConnection>(s.port));
        QVERIFY(slow.back()->connected());
    }
    const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const auto started = Clock::now();
    long long worst = 0;
    for (std::size_t byte = 0; byte < 3; ++byte) {
        for (auto &c : slow)
            c->send(request.substr(byte, 1));
        for (int i = 0; i < 3; ++i) {
            const auto ms = healthzMs(s.port);
            QVERIFY2(ms >= 0, "GET /healthz failed while slow clients were connected");
            worst = std::max(worst, ms);
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    }
    qInfo("slowest /healthz among 9, with 64 slow clients: %lld ms", worst);
    QVERIFY2(worst < 1000, std::to_string(worst).c_str());
    // Their header deadline (4 s from the first byte) ends them, although they keep sending.
    int closed = 0;
    for (auto &c : slow)
        closed += c->closedByPeer(std::max<long long>(0, 7000 - msSince(started)));
    QCOMPARE(closed, 64);
    QVERIFY(healthzMs(s.port) >= 0);
}

void TestHostile::silentConnectionsAreCutOff()
{
    Server s;
    QVERIFY(start(s, { QStringLiteral("--header-timeout"), QStringLiteral("2s") }));
    std::vector<std::unique_ptr<RawConnection>> silent;
    silent.reserve(64);
    for (int i = 0; i < 64; ++i)
        silent.push_back(std::make_unique<RawConnection>(s.port));
    const auto started = Clock::now();
    const auto ms = healthzMs(s.port);
    QVERIFY(ms >= 0);
    QVERIFY2(ms < 1000, std::to_string(ms).c_str());
    int closed = 0;
    for (auto &c : silent)
        closed += c->closedByPeer(std::max<long long>(0, 4000 - msSince(started)));
    QCOMPARE(closed, 64);
    qInfo("64 silent connections closed after %lld ms (deadline 2 s)", msSince(started));
}

void TestHostile::unframedBodiesAreRefusedUnread_data()
{
    QTest::addColumn<QString>("framing");
    QTest::addColumn<int>("status");
    QTest::newRow("no Content-Length, no Transfer-Encoding") << QString() << 411;
    QTest::newRow("Content-Length: -1") << QStringLiteral("Content-Length: -1\r\n") << 400;
    QTest::newRow("Content-Length: huge") << QStringLiteral("Content-Length: 99999999999999\r\n") << 413;
}

void TestHostile::unframedBodiesAreRefusedUnread()
{
    // Four clients each send a body the server cannot take (256 MiB in all): it refuses at once
    // and stops reading; its memory stays where it was.
    QFETCH(QString, framing);
    QFETCH(int, status);
    Server s;
    QVERIFY(start(s));
    QVERIFY(healthzMs(s.port) >= 0);
    const long long before = rssKiB(s.pid());
    QVERIFY(before > 0);
    std::vector<std::thread> clients;
    std::atomic<std::size_t> mostTaken { 0 };
    std::atomic<int> answered { 0 };
    clients.reserve(4);
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back([&] {
            RawConnection conn(s.port);
            const std::string head = "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                     "application/x-protobuf\r\n"
                + framing.toStdString() + "\r\n";
            conn.send(head);
            const std::size_t taken = flood(conn, std::string(1 << 20, 'x'), std::size_t(64) << 20);
            std::size_t seen = mostTaken.load();
            while (taken > seen && !mostTaken.compare_exchange_weak(seen, taken)) { }
            const auto res = conn.readResponse(5000);
            if (res.complete && res.status == status && res.header("connection") == "close")
                ++answered;
        });
    }
    for (auto &t : clients)
        t.join();
    const long long after = rssKiB(s.pid());
    qInfo("RSS %lld -> %lld KiB; the most one client got in: %zu KiB", before, after, mostTaken.load() >> 10);
    QCOMPARE(answered.load(), 4);
    // Socket buffers and the 1 MiB the server drops while closing, not 64 MiB.
    QVERIFY2(mostTaken.load() < (std::size_t(16) << 20), std::to_string(mostTaken.load()).c_str());
    QVERIFY2(after - before < 32LL * 1024, (std::to_string(before) + " -> " + std::to_string(after)).c_str());
    QVERIFY(healthzMs(s.port) >= 0);
}

void TestHostile::unterminatedLines()
{
    Server s;
    QVERIFY(start(s));
    QVERIFY(healthzMs(s.port) >= 0);
    const long long before = rssKiB(s.pid());
    {
        // A request line that never ends.
        RawConnection conn(s.port);
        conn.send("GET /");
        const std::size_t taken = flood(conn, std::string(1 << 20, 'a'), std::size_t(256) << 20);
        const auto res = conn.readResponse(5000);
        QVERIFY(res.complete);
        QCOMPARE(res.status, 414);
        QVERIFY2(taken < (std::size_t(16) << 20), std::to_string(taken).c_str());
    }
    {
        // A header line that never ends.
        RawConnection conn(s.port);
        conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ");
        const std::size_t taken = flood(conn, std::string(1 << 20, 'b'), std::size_t(256) << 20);
        const auto res = conn.readResponse(5000);
        QVERIFY(res.complete);
        QCOMPARE(res.status, 431);
        QVERIFY2(taken < (std::size_t(16) << 20), std::to_string(taken).c_str());
    }
    const long long after = rssKiB(s.pid());
    qInfo("RSS %lld -> %lld KiB after two 256 MiB lines", before, after);
    QVERIFY2(after - before < 16LL * 1024, (std::to_string(before) + " -> " + std::to_string(after)).c_str());
    QVERIFY(healthzMs(s.port) >= 0);
}

void TestHostile::headerFloods()
{
    Server s;
    QVERIFY(start(s,
        { QStringLiteral("--max-header-count"), QStringLiteral("50"), QStringLiteral("--log-format"),
            QStringLiteral("text") }));
    QVERIFY(healthzMs(s.port) >= 0);
    const long long before = rssKiB(s.pid());
    {
        // Five million fields.
        RawConnection conn(s.port);
        conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        std::string fields;
        for (int i = 0; i < 10000; ++i)
            fields += "a: b\r\n";
        const std::size_t taken = flood(conn, fields, std::size_t(5'000'000) * 6);
        const auto res = conn.readResponse(5000);
        QVERIFY(res.complete);
        QCOMPARE(res.status, 431);
        QVERIFY2(taken < (std::size_t(16) << 20), std::to_string(taken).c_str());
    }
    {
        // Just over the count: refused; at the count: served.
        std::string at = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 1; i < 50; ++i)
            at += "X-F" + std::to_string(i) + ": v\r\n";
        RawConnection ok(s.port);
        ok.send(at + "\r\n");
        QCOMPARE(ok.readResponse().status, 200);
        RawConnection over(s.port);
        over.send(at + "X-One-More: v\r\n\r\n");
        QCOMPARE(over.readResponse().status, 431);
    }
    {
        // Few fields, too many bytes.
        RawConnection conn(s.port);
        conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(std::size_t { 40 } * 1024, 'c')
            + "\r\n\r\n");
        const auto res = conn.readResponse(5000);
        QVERIFY(res.complete);
        QCOMPARE(res.status, 431);
    }
    const long long after = rssKiB(s.pid());
    qInfo("RSS %lld -> %lld KiB after the floods", before, after);
    QVERIFY2(after - before < 16LL * 1024, (std::to_string(before) + " -> " + std::to_string(after)).c_str());
    // A refused request is logged with its method and path.
    const QString log = s.log();
    QVERIFY2(log.contains(QStringLiteral("method=GET path=/healthz status=431")), qPrintable(log.right(2000)));
}

void TestHostile::smuggling_data()
{
    QTest::addColumn<QString>("requestLine");
    QTest::addColumn<QString>("framing");
    QTest::addColumn<int>("status");
    const QString post = QStringLiteral("POST /api/v1/ingest HTTP/1.1");
    QTest::newRow("Content-Length and Transfer-Encoding")
        << post << QStringLiteral("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n") << 400;
    QTest::newRow("Transfer-Encoding and Content-Length")
        << post << QStringLiteral("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n") << 400;
    QTest::newRow("Content-Length +12") << post << QStringLiteral("Content-Length: +12\r\n") << 400;
    QTest::newRow("Content-Length 12abc") << post << QStringLiteral("Content-Length: 12abc\r\n") << 400;
    QTest::newRow("two different Content-Lengths")
        << post << QStringLiteral("Content-Length: 2\r\nContent-Length: 3\r\n") << 400;
    QTest::newRow("Content-Length -1") << post << QStringLiteral("Content-Length: -1\r\n") << 400;
    QTest::newRow("Transfer-Encoding xchunked") << post << QStringLiteral("Transfer-Encoding: xchunked\r\n") << 501;
    QTest::newRow("Transfer-Encoding identity, chunked")
        << post << QStringLiteral("Transfer-Encoding: identity, chunked\r\n") << 501;
    QTest::newRow("Transfer-Encoding chunked, identity")
        << post << QStringLiteral("Transfer-Encoding: chunked, identity\r\n") << 501;
    QTest::newRow("Transfer-Encoding twice")
        << post << QStringLiteral("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") << 400;
    QTest::newRow("Transfer-Encoding in HTTP/1.0")
        << QStringLiteral("POST /api/v1/ingest HTTP/1.0") << QStringLiteral("Transfer-Encoding: chunked\r\n") << 400;
}

void TestHostile::smuggling()
{
    // Whatever the framing trick, the request is refused and its connection ends: the complete
    // ingest request hidden behind it is never served.
    QFETCH(QString, requestLine);
    QFETCH(QString, framing);
    QFETCH(int, status);
    Server s;
    QVERIFY(start(s));
    const int hidden = 7;
    RawConnection conn(s.port);
    QVERIFY(conn.send(requestLine.toStdString() + "\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + framing.toStdString() + "\r\n0\r\n\r\n" + ingestRequest(hidden)));
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, status);
    QCOMPARE(QString::fromStdString(res.header("connection")), QStringLiteral("close"));
    const auto next = conn.readResponse(1000);
    QVERIFY2(!next.complete, std::to_string(next.status).c_str());
    QVERIFY(conn.closedByPeer(3000));
    QVERIFY(!stored(s.port, hidden));
    QVERIFY(healthzMs(s.port) >= 0);
}

void TestHostile::pipelinedRequestsAreAnsweredInOrder()
{
    Server s;
    QVERIFY(start(s));
    RawConnection conn(s.port);
    // Three requests in one segment: a probe, an ingest with a body, a read of what it stored.
    QVERIFY(conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + ingestRequest(3) + "GET /api/v1/traces/"
        + traceHex(3) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    const auto first = conn.readResponse();
    const auto second = conn.readResponse();
    const auto third = conn.readResponse();
    QVERIFY(first.complete && second.complete && third.complete);
    QCOMPARE(first.status, 200);
    QVERIFY2(first.body.find("\"ok\"") != std::string::npos, first.body.c_str());
    QCOMPARE(second.status, 200);
    QVERIFY2(second.body.find("\"accepted\":1") != std::string::npos, second.body.c_str());
    QCOMPARE(third.status, 200);
    QVERIFY2(third.body.find(traceHex(3)) != std::string::npos, third.body.c_str());
    QVERIFY(first.header("x-request-id") < second.header("x-request-id"));
    QVERIFY(second.header("x-request-id") < third.header("x-request-id"));
}

void TestHostile::slowBodyAndIdleConnectionsAreCut()
{
    Server s;
    QVERIFY(start(s,
        { QStringLiteral("--body-timeout"), QStringLiteral("2s"), QStringLiteral("--body-min-rate"),
            QStringLiteral("16KiB"), QStringLiteral("--keep-alive-timeout"), QStringLiteral("2s") }));
    {
        // A body that trickles a byte a second: 2 s plus a second per 16 KiB that came.
        RawConnection conn(s.port);
        conn.send("POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  "Content-Length: 100000\r\n\r\n{");
        const auto started = Clock::now();
        bool cut = false;
        while (msSince(started) < 6000 && !cut) {
            cut = !conn.send("x");
            if (!cut)
                cut = conn.closedByPeer(1000);
        }
        QVERIFY(cut);
        qInfo("trickling body cut off after %lld ms", msSince(started));
        QVERIFY(msSince(started) < 4500);
    }
    {
        // An idle keep-alive connection.
        RawConnection conn(s.port);
        conn.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QCOMPARE(conn.readResponse().status, 200);
        const auto started = Clock::now();
        QVERIFY(conn.closedByPeer(5000));
        qInfo("idle keep-alive connection closed after %lld ms", msSince(started));
        QVERIFY(msSince(started) >= 1500);
    }
}

void TestHostile::connectionLimits()
{
    Server s;
    QVERIFY(start(s,
        { QStringLiteral("--max-connections-per-client"), QStringLiteral("4"), QStringLiteral("--max-connections"),
            QStringLiteral("6") }));
    std::vector<std::unique_ptr<RawConnection>> held;
    held.reserve(4);
    for (int i = 0; i < 4; ++i)
        held.push_back(std::make_unique<RawConnection>(s.port));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    {
        // A fifth from the same address: told so and closed.
        RawConnection fifth(s.port);
        const auto res = fifth.readResponse(3000);
        QVERIFY(res.complete);
        QCOMPARE(res.status, 503);
        QCOMPARE(QString::fromStdString(res.header("retry-after")), QStringLiteral("1"));
        QVERIFY(res.body.find("this address") != std::string::npos);
    }
    // Another address is served...
    RawConnection other(s.port, "127.0.0.2");
    other.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QCOMPARE(other.readResponse().status, 200);
    RawConnection sixth(s.port, "127.0.0.3");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // ... until the total is reached.
    RawConnection seventh(s.port, "127.0.0.4");
    const auto res = seventh.readResponse(3000);
    QVERIFY(res.complete);
    QCOMPARE(res.status, 503);
    held.clear();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    QVERIFY(healthzMs(s.port) >= 0);
}

void TestHostile::hostHeaderInOpenMode()
{
    Server s;
    QVERIFY(start(s, { QStringLiteral("--allow-host"), QStringLiteral("monitor.internal") }));
    auto status = [&](const std::string &request) {
        RawConnection conn(s.port);
        conn.send(request);
        return conn.readResponse().status;
    };
    auto withHost
        = [&](const std::string &host) { return status("GET /api/v1/traces HTTP/1.1\r\nHost: " + host + "\r\n\r\n"); };
    // A page on another site that rebinds its name to 127.0.0.1 sends that name: refused.
    QCOMPARE(withHost("evil.example"), 421);
    QCOMPARE(withHost("evil.example:" + std::to_string(s.port)), 421);
    QCOMPARE(withHost("127.0.0.1.evil.example"), 421);
    QCOMPARE(withHost("localhost.evil.example"), 421);
    QCOMPARE(withHost("10.0.0.1"), 421);
    QCOMPARE(withHost("[::2]:80"), 421);
    QCOMPARE(withHost("::1"), 421); // an IPv6 literal must be bracketed
    // Loopback names and addresses with any port, and the configured name.
    for (const char *host : { "localhost", "LOCALHOST:4318", "localhost.", "app.localhost:8080", "127.0.0.1",
             "127.0.0.1:4318", "127.9.8.7", "[::1]", "[::1]:4318", "monitor.internal", "Monitor.Internal:443" })
        QVERIFY2(withHost(host) == 200, host);
    // The absolute form's authority is the host; HTTP/1.1 needs exactly one Host.
    QCOMPARE(status("GET http://evil.example/api/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 421);
    QCOMPARE(status("GET http://localhost/api/v1/traces HTTP/1.1\r\nHost: localhost\r\n\r\n"), 200);
    QCOMPARE(status("GET /api/v1/traces HTTP/1.1\r\n\r\n"), 400);
    QCOMPARE(status("GET /api/v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n"), 400);

    // Team mode checks credentials instead and answers any Host.
    Server team;
    QVERIFY(start(team, { QStringLiteral("--auth"), QStringLiteral("required") }));
    RawConnection conn(team.port);
    conn.send("GET /healthz HTTP/1.1\r\nHost: agentops.example.com\r\n\r\n");
    QCOMPARE(conn.readResponse().status, 200);
}

void TestHostile::stalledTlsHandshakesAndCiphers()
{
    Server s;
    const QString cert = s.dir.filePath(QStringLiteral("cert.pem"));
    const QString key = s.dir.filePath(QStringLiteral("key.pem"));
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
            QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
            QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1") });
    QVERIFY(openssl.waitForFinished(60000));
    QCOMPARE(openssl.exitCode(), 0);
    QVERIFY(start(s,
        { QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key,
            QStringLiteral("--tls-handshake-timeout"), QStringLiteral("2s") },
        "https"));

    // Eight connections that never start their handshake hold nothing up, and are closed.
    std::vector<std::unique_ptr<RawConnection>> stalled;
    stalled.reserve(8);
    for (int i = 0; i < 8; ++i)
        stalled.push_back(std::make_unique<RawConnection>(s.port));
    const auto started = Clock::now();
    test::HttpClient client("127.0.0.1", s.port, { cert.toStdString(), true });
    const auto res = client.get("/healthz");
    QVERIFY2(res, res.error().c_str());
    QCOMPARE(res->status, 200);
    QVERIFY2(msSince(started) < 1000, std::to_string(msSince(started)).c_str());
    int closed = 0;
    for (auto &c : stalled)
        closed += c->closedByPeer(std::max<long long>(0, 4000 - msSince(started)));
    QCOMPARE(closed, 8);

    // TLS 1.2 with forward secrecy only; TLS 1.3 as OpenSSL offers it; nothing older.
    auto handshake = [&](const QStringList &how) {
        QProcess sClient;
        sClient.setProcessChannelMode(QProcess::MergedChannels);
        sClient.start(QStringLiteral("openssl"),
            QStringList {
                QStringLiteral("s_client"), QStringLiteral("-connect"), QStringLiteral("127.0.0.1:%1").arg(s.port) }
                + how);
        sClient.closeWriteChannel();
        sClient.waitForFinished(15000);
        return QString::fromUtf8(sClient.readAll());
    };
    const QString ecdhe = handshake(
        { QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256") });
    QVERIFY2(ecdhe.contains(QStringLiteral("Cipher is ECDHE-RSA-AES128-GCM-SHA256")), qPrintable(ecdhe));
    for (const char *suite : { "AES128-GCM-SHA256", "AES256-SHA256", "AES128-SHA", "ECDHE-RSA-AES128-SHA256" }) {
        const QString out
            = handshake({ QStringLiteral("-tls1_2"), QStringLiteral("-cipher"), QString::fromLatin1(suite) });
        QVERIFY2(out.contains(QStringLiteral("Cipher is (NONE)")) || out.contains(QStringLiteral("alert")),
            qPrintable(QString::fromLatin1(suite) + QStringLiteral(": ") + out.left(600)));
    }
    const QString tls13 = handshake({ QStringLiteral("-tls1_3") });
    QVERIFY2(tls13.contains(QStringLiteral("TLSv1.3")), qPrintable(tls13.left(600)));
    const QString tls11 = handshake({ QStringLiteral("-tls1_1") });
    QVERIFY2(tls11.contains(QStringLiteral("Cipher is (NONE)")), qPrintable(tls11.left(600)));
}

void TestHostile::randomMethodsKeepMetricsBounded()
{
    Server s;
    QVERIFY(start(s));
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> letter('A', 'Z');
    RawConnection conn(s.port);
    for (int batch = 0; batch < 30; ++batch) {
        std::string requests;
        for (int i = 0; i < 100; ++i) {
            std::string method;
            for (int k = 0; k < 8; ++k)
                method.push_back(static_cast<char>(letter(rng)));
            requests += method + " /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        }
        QVERIFY(conn.send(requests));
        for (int i = 0; i < 100; ++i)
            QCOMPARE(conn.readResponse().status, 405);
    }
    test::HttpClient c("127.0.0.1", s.port);
    const auto res = c.get("/metrics");
    QVERIFY(res);
    std::set<std::string> series;
    std::size_t pos = 0;
    while ((pos = res->body.find("\nagentops_http_requests_total{", pos)) != std::string::npos) {
        const auto end = res->body.find('}', pos);
        series.insert(res->body.substr(pos + 1, end - pos));
        pos = end;
    }
    for (const auto &line : series)
        qInfo("%s", line.c_str());
    QVERIFY2(series.size() <= 3, std::to_string(series.size()).c_str());
    QVERIFY(series.count("agentops_http_requests_total{code=\"405\",method=\"other\"}"));
    QVERIFY2(res->body.size() < std::size_t { 64 } * 1024, std::to_string(res->body.size()).c_str());
}

void TestHostile::sigtermUnderLoad()
{
    // Eight clients ingest as fast as they can, one more trickles a body; SIGTERM. The server stops
    // accepting, answers what is in flight, gives the trickler up at the deadline, commits and exits
    // within it; every trace it acknowledged is in the database.
    Server s;
    QVERIFY(start(s,
        { QStringLiteral("--shutdown-timeout"), QStringLiteral("3s"), QStringLiteral("--body-timeout"),
            QStringLiteral("60s") }));
    std::mutex mutex;
    std::set<int> acknowledged;
    std::atomic<int> next { 0 };
    std::atomic<bool> done { false };
    std::vector<std::thread> clients;
    clients.reserve(8);
    for (int c = 0; c < 8; ++c) {
        clients.emplace_back([&] {
            test::HttpClient client("127.0.0.1", s.port);
            client.setKeepAlive(true);
            client.setTimeout(std::chrono::seconds(10));
            while (!done) {
                const int trace = next++;
                const auto res = client.post("/api/v1/ingest", nativeBatch(trace, 20), "application/json");
                if (res && res->status == 200) {
                    std::lock_guard lock(mutex);
                    acknowledged.insert(trace);
                } else if (!res) {
                    client = test::HttpClient("127.0.0.1", s.port);
                    client.setKeepAlive(true);
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
            }
        });
    }
    RawConnection trickler(s.port);
    trickler.send("POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  "Content-Length: 1000\r\n\r\n{");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto signalled = Clock::now();
    ::kill(static_cast<pid_t>(s.pid()), SIGTERM);
    QVERIFY(s.process.waitForFinished(15000));
    const long long took = msSince(signalled);
    done = true;
    for (auto &t : clients)
        t.join();
    qInfo("exited %lld ms after SIGTERM (deadline 3 s), %zu traces acknowledged", took, acknowledged.size());
    QCOMPARE(s.process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(s.process.exitCode(), 0);
    QVERIFY2(took < 5000, std::to_string(took).c_str());
    QVERIFY2(took >= 2500, "the trickling request in flight was given its time");
    QVERIFY(acknowledged.size() > 10);
    store::SqliteStore db(s.dir.filePath(QStringLiteral("traces.db")).toStdString());
    int missing = 0;
    for (int trace : acknowledged) {
        core::TraceId id {};
        core::fromHex(traceHex(trace), id);
        const auto t = db.trace(id);
        missing += !t || t->spans.size() != 20;
    }
    QCOMPARE(missing, 0);
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
