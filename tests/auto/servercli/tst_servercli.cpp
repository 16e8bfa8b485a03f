// SPDX-License-Identifier: MIT
// agentops-server as an operator runs it: a real process, real HTTP, then its reprice command.
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/pgserver.h"
#include "support/serverprocess.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <csignal>
#include <map>
#include <set>
#include <thread>

using namespace agentops;

class TestServerCli : public QObject
{
    Q_OBJECT

private:
    /// Starts the server on a free port and returns it, or -1.
    int start(QProcess &server, const QString &dataDir, const QStringList &extra = {})
    {
        return test::startServerProcess(server,
            QStringList {
                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dataDir }
                + (extra.isEmpty() ? QStringList { QStringLiteral("--auth"), QStringLiteral("none") } : extra),
            30000);
    }

    /// Runs an admin command on the data directory; returns its exit code, output in out.
    int cli(const QString &dataDir, QStringList args, QByteArray &out, const QByteArray &input = {})
    {
        return test::runServerCommand(dataDir, std::move(args), out, input);
    }

    void stop(QProcess &server)
    {
        ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitStatus(), QProcess::NormalExit);
        QCOMPARE(server.exitCode(), 0);
    }

private Q_SLOTS:
    void repricesStoredSpansAfterAPriceChange()
    {
        QTemporaryDir dir;
        QProcess server;
        const int port = start(server, dir.path());
        QVERIFY(port > 0);

        // A model the shipped table does not know: stored without a price ("no price", not $0).
        const std::string batch
            = "{\"trace\":{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"service_name\":\"cli\"},"
              "\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"chat acme-llm-1\","
              "\"kind\":\"llm\",\"model\":\"acme-llm-1\",\"start_time_unix_nano\":1764086400000000000,"
              "\"end_time_unix_nano\":1764086401000000000,"
              "\"tokens\":{\"input\":1000,\"output\":500}},"
              "{\"span_id\":\"c7ad6b7169203332\",\"name\":\"chat gpt-4o\",\"kind\":\"llm\","
              "\"model\":\"gpt-4o\",\"start_time_unix_nano\":1764086401000000000,"
              "\"end_time_unix_nano\":1764086402000000000,\"tokens\":{\"input\":2000,\"output\":100}}]}";
        test::HttpClient client("127.0.0.1", port);
        auto res = client.post("/api/v1/ingest", batch, "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        stop(server);

        core::TraceId id {};
        QVERIFY(core::fromHex("0af7651916cd43dd8448eb211c80319c", id));
        const std::string database = dir.filePath(QStringLiteral("traces.db")).toStdString();
        double gpt4oCost = 0;
        {
            store::SqliteStore db(database);
            const auto before = db.trace(id);
            QVERIFY(before);
            QCOMPARE(before->summary.unpriced_spans, std::int64_t(1));
            QVERIFY(!before->spans[0].cost_usd.has_value());
            QVERIFY(before->spans[1].cost_usd.has_value());
            gpt4oCost = *before->spans[1].cost_usd;
        }

        // The operator adds a price for it and re-prices what is stored.
        QFile prices(dir.filePath(QStringLiteral("prices.json")));
        QVERIFY(prices.open(QIODevice::WriteOnly));
        prices.write(
            "{\"format\":1,\"currency\":\"USD\",\"unit\":\"per_million_tokens\",\"rows\":[{\"id\":\"acme-llm-1\","
            "\"provider\":\"acme\",\"models\":[\"acme-llm-1\"],\"prices\":{\"input\":1.0,\"output\":2.0},"
            "\"as_of\":\"2026-11-01\"}]}");
        prices.close();
        QProcess reprice;
        reprice.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("reprice"), QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--data-dir"),
                dir.path(), QStringLiteral("--prices"), prices.fileName() });
        QVERIFY(reprice.waitForFinished(30000));
        QCOMPARE(reprice.exitCode(), 0);
        QVERIFY2(reprice.readAllStandardOutput().contains("1 spans changed cost"), "reprice reports what changed");

        store::SqliteStore db(database);
        const auto after = db.trace(id);
        QVERIFY(after);
        // 1000 input at $1/M + 500 output at $2/M
        QVERIFY(after->spans[0].cost_usd.has_value());
        QCOMPARE(*after->spans[0].cost_usd, 0.002);
        QCOMPARE(after->spans[0].price_ref, std::string("acme-llm-1@2026-11-01"));
        QCOMPARE(*after->spans[1].cost_usd, gpt4oCost); // untouched: its price did not change
        QCOMPARE(after->summary.unpriced_spans, std::int64_t(0));
        QCOMPARE(after->summary.cost_usd, 0.002 + gpt4oCost);
    }

    void firstStartCommandsWorkAsPrinted()
    {
        // The commands a new team server prints act on its own data when run as printed: from
        // another directory, with another $XDG_DATA_HOME, and with the data directory's name holding
        // a blank. Global options may also come before the command.
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("team data"));
        // Read everything it prints (startServerProcess stops at the listening line).
        QProcess server;
        server.setProgram(QStringLiteral(AGENTOPS_SERVER_BINARY));
        server.setArguments({ QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--grpc-listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), data,
            QStringLiteral("--auth"), QStringLiteral("required") });
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start();
        QVERIFY(server.waitForStarted(10000));
        QByteArray printed;
        QElapsedTimer waited;
        waited.start();
        while (!printed.contains("key create my-project") && waited.elapsed() < 30000) {
            server.waitForReadyRead(200);
            printed += server.readAll();
        }
        const int port = test::listeningPort(QString::fromUtf8(printed));
        QVERIFY2(port >= 0, printed.constData());
        QStringList commands;
        for (const QByteArray &line : printed.split('\n'))
            if (line.trimmed().startsWith("agentops-server "))
                commands << QString::fromUtf8(line.trimmed());
        QCOMPARE(commands.size(), 3);
        for (const QString &c : commands)
            QVERIFY2(c.contains(QStringLiteral("--data-dir '") + data + QLatin1Char('\'')), qPrintable(c));

        const QString bin = QFileInfo(QStringLiteral(AGENTOPS_SERVER_BINARY)).absolutePath();
        QByteArray keyOutput;
        for (int k = 0; k < 3; ++k) {
            QProcess sh;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PATH"), bin + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
            env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("elsewhere")));
            sh.setProcessEnvironment(env);
            sh.setWorkingDirectory(QDir::tempPath());
            sh.setProcessChannelMode(QProcess::MergedChannels);
            // The password from standard input instead of a terminal; the rest exactly as printed.
            sh.start(QStringLiteral("/bin/sh"),
                { QStringLiteral("-c"), commands[k] + (k == 1 ? QStringLiteral(" --password-stdin") : QString()) });
            QVERIFY(sh.waitForStarted());
            if (k == 1)
                sh.write("correct horse battery\n");
            sh.closeWriteChannel();
            QVERIFY(sh.waitForFinished(30000));
            const QByteArray out = sh.readAll();
            QVERIFY2(sh.exitCode() == 0, out.constData());
            if (k == 2)
                keyOutput = out;
        }
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("elsewhere/agentops-monitor"))));
        const QString madeKey = test::apiKeyIn(keyOutput);
        QVERIFY2(!madeKey.isEmpty(), keyOutput.constData());
        // The running server knows the key at once.
        test::HttpClient client("127.0.0.1", port);
        const auto me = client.get("/api/v1/me", { { "Authorization", "Bearer " + madeKey.toStdString() } });
        QVERIFY(me);
        QCOMPARE(me->status, 200);
        stop(server);

        // Options before the command, as well as after it.
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("--data-dir"), data, QStringLiteral("project"), QStringLiteral("list") });
        QVERIFY(p.waitForFinished(30000));
        const QByteArray list = p.readAll();
        QVERIFY2(p.exitCode() == 0 && list.contains("my-project"), list.constData());
    }

    void teamModeFromTheCommandLine()
    {
        // The operator's first steps, as the server's start-up text tells them.
        QTemporaryDir dir;
        QByteArray out;
        QCOMPARE(
            cli(dir.path(), { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("demo") }, out), 0);
        QCOMPARE(cli(dir.path(),
                     { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("ana@example.com"),
                         QStringLiteral("--project"), QStringLiteral("demo"), QStringLiteral("--password-stdin") },
                     out, "correct horse battery\n"),
            0);
        QVERIFY2(out.contains("member of demo"), out.constData());
        // No password on a pipe without --password-stdin: refused, not read from the pipe by surprise.
        QCOMPARE(cli(dir.path(), { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("bob@example.com") },
                     out, "whatever-pass\n"),
            2);
        QCOMPARE(cli(dir.path(), { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("demo") }, out), 0);
        const std::string key = test::apiKeyIn(out).toStdString();
        QVERIFY2(!key.empty(), out.constData());

        QProcess server;
        int port = start(server, dir.path(), { QStringLiteral("--auth"), QStringLiteral("required") });
        QVERIFY(port > 0);
        const std::string batch
            = "{\"trace\":{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"service_name\":\"cli\"},"
              "\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"run\",\"kind\":\"agent\","
              "\"start_time_unix_nano\":1764086400000000000,\"end_time_unix_nano\":1764086401000000000}]}";
        {
            test::HttpClient client("127.0.0.1", port);
            auto res = client.post("/api/v1/ingest", batch, "application/json");
            QVERIFY(res);
            QCOMPARE(res->status, 401);
            res = client.post("/api/v1/ingest", { { "Authorization", "Bearer " + key } }, batch, "application/json");
            QCOMPARE(res->status, 200);
        }
        stop(server);

        // After a restart: the key and the account still work, and so does a session made before.
        port = start(server, dir.path(), { QStringLiteral("--auth"), QStringLiteral("required") });
        QVERIFY(port > 0);
        test::HttpClient client("127.0.0.1", port);
        auto res = client.post("/api/v1/auth/login",
            "{\"email\":\"ana@example.com\",\"password\":\"correct horse battery\"}", "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const std::string token = nlohmann::json::parse(res->body)["token"];
        res = client.get("/api/v1/traces", { { "Authorization", "Bearer " + token } });
        QCOMPARE(res->status, 200);
        QCOMPARE(nlohmann::json::parse(res->body)["traces"].size(), std::size_t(1));
        stop(server);
        port = start(server, dir.path(), { QStringLiteral("--auth"), QStringLiteral("required") });
        QVERIFY(port > 0);
        test::HttpClient again("127.0.0.1", port);
        QCOMPARE(again.get("/api/v1/me", { { "Authorization", "Bearer " + token } })->status, 200);
        QCOMPARE(again.get("/api/v1/me", { { "x-api-key", key } })->status, 200);
        stop(server);
    }

    void retentionDeletesOldTracesOfItsProject()
    {
        QTemporaryDir dir;
        QByteArray out;
        QCOMPARE(cli(dir.path(),
                     { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("short"),
                         QStringLiteral("--retention-days"), QStringLiteral("1") },
                     out),
            0);
        QCOMPARE(
            cli(dir.path(), { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("forever") }, out),
            0);
        auto keyOf = [&](const QString &project) {
            cli(dir.path(), { QStringLiteral("key"), QStringLiteral("create"), project }, out);
            return test::apiKeyIn(out).toStdString();
        };
        const std::string shortKey = keyOf(QStringLiteral("short"));
        const std::string foreverKey = keyOf(QStringLiteral("forever"));
        QVERIFY(!shortKey.empty() && !foreverKey.empty());

        QProcess server;
        const int port = start(server, dir.path(),
            { QStringLiteral("--auth"), QStringLiteral("required"), QStringLiteral("--retention-interval"),
                QStringLiteral("1s") });
        QVERIFY(port > 0);
        test::HttpClient client("127.0.0.1", port);
        const auto now
            = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
        auto span = [](const std::string &trace, std::int64_t start) {
            return "{\"trace\":{\"trace_id\":\"" + trace
                + "\",\"service_name\":\"r\"},\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"run\","
                  "\"start_time_unix_nano\":"
                + std::to_string(start) + ",\"end_time_unix_nano\":" + std::to_string(start + 1000) + "}]}";
        };
        const std::int64_t day = 86'400'000'000'000;
        const std::string oldTrace = "0af7651916cd43dd8448eb211c80319c";
        const std::string newTrace = "1af7651916cd43dd8448eb211c80319c";
        for (const auto &key : { shortKey, foreverKey }) {
            const test::HttpClient::Headers auth { { "x-api-key", key } };
            QCOMPARE(
                client.post("/api/v1/ingest", auth, span(oldTrace, now - 2 * day), "application/json")->status, 200);
            QCOMPARE(
                client.post("/api/v1/ingest", auth, span(newTrace, now - day / 2), "application/json")->status, 200);
        }
        auto traces = [&](const std::string &key) {
            auto res = client.get("/api/v1/traces", { { "x-api-key", key } });
            if (!res || res->status != 200)
                qWarning("GET /api/v1/traces: %d %s", res ? res->status : -1, res ? res->body.c_str() : "");
            std::set<std::string> ids;
            if (res && res->status == 200) {
                const auto page = nlohmann::json::parse(res->body);
                for (const auto &t : page["traces"])
                    ids.insert(t["trace_id"].get<std::string>());
            }
            return ids;
        };
        QElapsedTimer timer;
        timer.start();
        while (traces(shortKey).size() != 1 && timer.elapsed() < 20000)
            QTest::qWait(100);
        QCOMPARE(traces(shortKey), std::set<std::string>({ newTrace }));
        QCOMPARE(traces(foreverKey), std::set<std::string>({ oldTrace, newTrace }));
        auto metrics = client.get("/metrics");
        QVERIFY(metrics);
        QVERIFY2(
            metrics->body.find("agentops_retention_deleted_traces 1\n") != std::string::npos, metrics->body.c_str());
        stop(server);
    }

    void saysWhenPostgresSearchHasNoIndex()
    {
        // A server role that row-level security binds, without the search role an administrator
        // grants it (docs/deployment.md, "Row-level security"): the server says at start why its
        // content search has no index, and searches still answer, reading the spans.
        std::unique_ptr<test::PgServer> pg;
        try {
            pg = std::make_unique<test::PgServer>();
            pg->conninfoAs("plain_server"); // makes the role: it logs in and is no superuser
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        std::string url = pg->url();
        url.replace(url.find("user=postgres"), std::string("user=postgres").size(), "user=plain_server");
        QTemporaryDir dir;
        QProcess server;
        QByteArray printed;
        const int port = test::startServerProcess(server,
            { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.path(),
                QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--database"),
                QString::fromStdString(url) },
            30000, "https?", &printed);
        QVERIFY2(port > 0, printed.constData());
        QVERIFY2(printed.contains("content search has no index in schema traces: "), printed.constData());
        QVERIFY2(printed.contains("agentops_search"), printed.constData());
        test::HttpClient client("127.0.0.1", port);
        const auto found = client.get("/api/v1/traces?q=weather");
        QVERIFY(found);
        QCOMPARE(found->status, 200);
        stop(server);
    }

    void teamServerOnPostgresWithTwoInstances()
    {
        // The whole story on PostgreSQL: create a project, a user and a key, send traces
        // with the key to two server instances over one database, sign in, restart, still there.
        std::unique_ptr<test::PgServer> pg;
        try {
            pg = std::make_unique<test::PgServer>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        const QString url = QString::fromStdString(pg->url());
        const QStringList db { QStringLiteral("--database"), url };

        QTemporaryDir dir;
        QByteArray out;
        QCOMPARE(
            cli(dir.path(),
                QStringList { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("team") } + db, out),
            0);
        QCOMPARE(cli(dir.path(),
                     QStringList { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("ana@example.com"),
                         QStringLiteral("--project"), QStringLiteral("team"), QStringLiteral("--password-stdin") }
                         + db,
                     out, "correct horse battery\n"),
            0);
        QCOMPARE(cli(dir.path(),
                     QStringList { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("team") } + db, out),
            0);
        const std::string key = test::apiKeyIn(out).toStdString();
        QVERIFY2(!key.empty(), out.constData());
        QVERIFY2(!QFile::exists(dir.filePath(QStringLiteral("agentops.db"))), "nothing goes to SQLite");

        const QStringList team = QStringList { QStringLiteral("--auth"), QStringLiteral("required") } + db;
        QProcess a;
        QProcess b;
        const int portA = start(a, dir.path(), team);
        const int portB = start(b, dir.path(), team);
        QVERIFY(portA > 0 && portB > 0);
        auto batch = [](const std::string &trace) {
            return "{\"trace\":{\"trace_id\":\"" + trace
                + "\",\"service_name\":\"pg\"},\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"run\","
                  "\"kind\":\"llm\",\"model\":\"gpt-4o\",\"tokens\":{\"input\":1000,\"output\":10},"
                  "\"start_time_unix_nano\":1764086400000000000,\"end_time_unix_nano\":1764086401000000000}]}";
        };
        const test::HttpClient::Headers auth { { "Authorization", "Bearer " + key } };
        test::HttpClient clientA("127.0.0.1", portA);
        test::HttpClient clientB("127.0.0.1", portB);
        QCOMPARE(
            clientA.post("/api/v1/ingest", auth, batch("0af7651916cd43dd8448eb211c80319c"), "application/json")->status,
            200);
        QCOMPARE(
            clientB.post("/api/v1/ingest", auth, batch("1af7651916cd43dd8448eb211c80319c"), "application/json")->status,
            200);
        // The same batch again through the other instance: stored once.
        QCOMPARE(
            clientB.post("/api/v1/ingest", auth, batch("0af7651916cd43dd8448eb211c80319c"), "application/json")->status,
            200);

        auto res = clientB.post("/api/v1/auth/login",
            "{\"email\":\"ana@example.com\",\"password\":\"correct horse battery\"}", "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const std::string token = nlohmann::json::parse(res->body)["token"];
        res = clientA.get("/api/v1/traces", { { "Authorization", "Bearer " + token } }); // a session of B, used on A
        QCOMPARE(res->status, 200);
        const auto page = nlohmann::json::parse(res->body);
        QCOMPARE(page["traces"].size(), std::size_t(2));
        QCOMPARE(page["traces"][0]["span_count"].get<int>(), 1);
        QVERIFY(page["traces"][0]["cost_usd"].get<double>() > 0);
        res = clientA.get("/readyz");
        QCOMPARE(res->status, 200);
        stop(a);
        stop(b);

        const int portC = start(a, dir.path(), team);
        QVERIFY(portC > 0);
        test::HttpClient clientC("127.0.0.1", portC);
        res = clientC.get("/api/v1/traces", { { "Authorization", "Bearer " + token } });
        QCOMPARE(res->status, 200);
        QCOMPARE(nlohmann::json::parse(res->body)["traces"].size(), std::size_t(2));
        // Content search on PostgreSQL, over HTTP: a field query finds both runs (once the indexer
        // has them), each naming the span that matched; a query that is refused is a 400.
        auto search = [&](const std::string &q) {
            return clientC.get("/api/v1/traces?q=" + q, { { "Authorization", "Bearer " + token } });
        };
        QTRY_VERIFY_WITH_TIMEOUT(nlohmann::json::parse(search("model%3Agpt-4o")->body)["traces"].size() == 2, 10000);
        const auto found = nlohmann::json::parse(search("model%3Agpt-4o%20kind%3Allm")->body);
        QCOMPARE(found["traces"].size(), std::size_t(2));
        QCOMPARE(found["matches"].size(), std::size_t(2));
        QCOMPARE(found["matches"][0]["span_id"].get<std::string>(), std::string("b7ad6b7169203331"));
        QCOMPARE(
            nlohmann::json::parse(search("model%3Agpt-4o%20NOT%20kind%3Allm")->body)["traces"].size(), std::size_t(0));
        QCOMPARE(search("tool%3Aab")->status, 400);
        const std::string metrics = clientC.get("/metrics")->body;
        QVERIFY(metrics.find("agentops_database_bytes ") != std::string::npos);
        // The project store opened by the list above keeps a search index; how far behind it is.
        QVERIFY2(metrics.find("\nagentops_search_index_lag_spans ") != std::string::npos, metrics.c_str());
        stop(a);
    }

    void twoInstancesIngestingTogetherLoseNothing()
    {
        // Two server processes over one PostgreSQL database take the spans of the same traces at the
        // same time, from concurrent OTLP clients, some requests through both: every span is stored
        // once, and every summary and rollup counts each exactly once.
        std::unique_ptr<test::PgServer> pg;
        try {
            pg = std::make_unique<test::PgServer>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        const QStringList db { QStringLiteral("--database"), QString::fromStdString(pg->url()) };
        QTemporaryDir dir;
        QByteArray out;
        QCOMPARE(
            cli(dir.path(),
                QStringList { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("twins") } + db, out),
            0);
        QCOMPARE(
            cli(dir.path(),
                QStringList { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("twins") } + db, out),
            0);
        const std::string key = test::apiKeyIn(out).toStdString();
        QVERIFY2(!key.empty(), out.constData());

        // 30 traces of 40 model calls; request r carries call r of every trace, so every request
        // updates every trace's summary and the same rollup rows.
        constexpr int kTraces = 30, kRequests = 40;
        constexpr std::int64_t kBase = 1764086400000000000;
        struct Expected
        {
            long long spans = 0, errors = 0, input = 0, output = 0;
        };
        std::map<std::string, Expected> expected;
        Expected total;
        std::vector<std::string> bodies;
        for (int r = 0; r < kRequests; ++r) {
            std::string spans;
            for (int t = 0; t < kTraces; ++t) {
                char traceId[33], spanId[17], rootId[17];
                std::snprintf(traceId, sizeof traceId, "%032x", 0x7a000 + t);
                std::snprintf(spanId, sizeof spanId, "%016x", 0x5000 + r);
                std::snprintf(rootId, sizeof rootId, "%016x", 0x5000);
                const int input = 100 + r * kTraces + t, output = 10 + (r + t) % 7;
                const bool error = (r * kTraces + t) % 11 == 0;
                const std::int64_t start = kBase + std::int64_t(r) * 20'000'000'000 + std::int64_t(t) * 1'000'000;
                spans += std::string(spans.empty() ? "" : ",") + "{\"traceId\":\"" + traceId + "\",\"spanId\":\""
                    + spanId + "\"," + (r ? std::string("\"parentSpanId\":\"") + rootId + "\"," : std::string())
                    + "\"name\":\"chat gpt-4o\",\"kind\":3,\"startTimeUnixNano\":\"" + std::to_string(start)
                    + "\",\"endTimeUnixNano\":\"" + std::to_string(start + 900'000'000) + "\","
                    + (error ? "\"status\":{\"code\":2,\"message\":\"rate limited\"}," : "")
                    + "\"attributes\":[{\"key\":\"gen_ai.operation.name\",\"value\":{\"stringValue\":\"chat\"}},"
                      "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o\"}},"
                      "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\""
                    + std::to_string(input) + "\"}},{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":\""
                    + std::to_string(output) + "\"}}]}";
                Expected &e = expected[traceId];
                for (Expected *x : { &e, &total }) {
                    ++x->spans;
                    x->errors += error;
                    x->input += input;
                    x->output += output;
                }
            }
            bodies.push_back("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
                             "\"value\":{\"stringValue\":\"twins\"}}]},\"scopeSpans\":[{\"spans\":["
                + spans + "]}]}]}");
        }
        // Each request to one instance, every fourth to the other one too (an exporter's retry).
        std::vector<std::pair<int, int>> jobs; // (request, instance)
        for (int r = 0; r < kRequests; ++r) {
            jobs.emplace_back(r, r % 2);
            if (r % 4 == 0)
                jobs.emplace_back(r, 1 - r % 2);
        }

        const QStringList team = QStringList { QStringLiteral("--auth"), QStringLiteral("required"),
            QStringLiteral("--rate-limit-key"), QStringLiteral("0") }
            + db;
        QProcess a;
        QProcess b;
        const int ports[2] = { start(a, dir.path(), team), start(b, dir.path(), team) };
        QVERIFY(ports[0] > 0 && ports[1] > 0);
        const test::HttpClient::Headers auth { { "Authorization", "Bearer " + key } };
        std::atomic<std::size_t> next { 0 };
        std::atomic<int> failures { 0 };
        std::vector<std::thread> clients;
        clients.reserve(4);
        for (int c = 0; c < 4; ++c)
            clients.emplace_back([&] {
                // Each client takes the next job, over its connection to that job's instance.
                std::vector<test::HttpClient> to;
                for (const int port : ports) {
                    to.emplace_back("127.0.0.1", port);
                    to.back().setKeepAlive(true);
                }
                for (std::size_t j; (j = next++) < jobs.size();) {
                    const auto [r, instance] = jobs[j];
                    const auto res = to[static_cast<std::size_t>(instance)].post(
                        "/v1/traces", auth, bodies[static_cast<std::size_t>(r)], "application/json");
                    if (!res || res->status != 200)
                        ++failures;
                }
            });
        for (auto &t : clients)
            t.join();
        QCOMPARE(failures.load(), 0);

        // Every trace, as each instance lists it.
        for (const int port : ports) {
            test::HttpClient client("127.0.0.1", port);
            const auto res = client.get("/api/v1/traces?limit=100", auth);
            QVERIFY(res);
            QCOMPARE(res->status, 200);
            const auto traces = nlohmann::json::parse(res->body)["traces"];
            QCOMPARE(traces.size(), std::size_t(kTraces));
            for (const auto &t : traces) {
                const Expected &e = expected.at(t["trace_id"].get<std::string>());
                QCOMPARE(t["span_count"].get<long long>(), e.spans);
                QCOMPARE(t["error_count"].get<long long>(), e.errors);
                QCOMPARE(t["tokens"]["input"].get<long long>(), e.input);
                QCOMPARE(t["tokens"]["output"].get<long long>(), e.output);
                QCOMPARE(t["priced_spans"].get<long long>(), e.spans);
            }
            // Every span of each trace, once.
            const auto one = client.get("/api/v1/traces/" + traces[0]["trace_id"].get<std::string>(), auth);
            QVERIFY(one);
            QCOMPARE(nlohmann::json::parse(one->body)["spans"].size(), std::size_t(kRequests));
        }
        // The dashboard's rollups, per minute and per hour: each span counted once.
        test::HttpClient client("127.0.0.1", ports[1]);
        for (const char *bucket : { "1m", "1h" }) {
            const auto res = client.get("/api/v1/metrics?from=" + std::to_string(kBase - 3'600'000'000'000)
                    + "&to=" + std::to_string(kBase + 3'600'000'000'000) + "&bucket=" + bucket + "&top=100",
                auth);
            QVERIFY(res);
            QCOMPARE(res->status, 200);
            const auto m = nlohmann::json::parse(res->body);
            const auto &totals = m["totals"];
            QCOMPARE(totals["spans"].get<long long>(), total.spans);
            QCOMPARE(totals["error_spans"].get<long long>(), total.errors);
            QCOMPARE(totals["traces"].get<long long>(), static_cast<long long>(kTraces));
            QCOMPARE(totals["tokens"]["input"].get<long long>(), total.input);
            QCOMPARE(totals["tokens"]["output"].get<long long>(), total.output);
            QCOMPARE(totals["priced_spans"].get<long long>(), total.spans);
            long long bucketSpans = 0;
            for (const auto &bk : m["buckets"])
                bucketSpans += bk["spans"].get<long long>();
            QCOMPARE(bucketSpans, total.spans);
            long long errors = 0;
            for (const auto &e : m["top_errors"])
                errors += e["count"].get<long long>();
            QCOMPARE(errors, total.errors);
        }
        stop(a);
        stop(b);
    }

    void refusesPlainHttpBeyondLoopback()
    {
        QTemporaryDir dir;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"), QStringLiteral("--data-dir"), dir.path() });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 2);
        const QByteArray out = p.readAll();
        QVERIFY2(out.contains("refusing plain HTTP beyond loopback"), out.constData());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("agentops.db"))));

        // Said explicitly (a TLS proxy in front), it serves.
        QProcess server;
        QVERIFY(
            start(server, dir.path(),
                { QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"), QStringLiteral("--allow-insecure-http") })
            > 0);
        stop(server);
    }

    void servesHttps()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1") });
        QVERIFY(openssl.waitForFinished(60000));
        QCOMPARE(openssl.exitCode(), 0);

        QProcess server;
        const int port = start(server, dir.path(),
            { QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--tls-cert"), cert,
                QStringLiteral("--tls-key"), key });
        QVERIFY(port > 0);
        {
            test::HttpClient trusting("127.0.0.1", port, { cert.toStdString(), true });
            auto res = trusting.get("/healthz");
            QVERIFY(res);
            QCOMPARE(res->status, 200);
            test::HttpClient untrusting("127.0.0.1", port, { {}, true });
            QVERIFY2(!untrusting.get("/healthz"), "a certificate nobody vouches for is refused");
            test::HttpClient plain("127.0.0.1", port);
            auto cleartext = plain.get("/healthz");
            QVERIFY(!cleartext || cleartext->status != 200);
        }
        stop(server);

        // A key that does not belong: refused at start with both files named.
        QProcess bad;
        bad.setProcessChannelMode(QProcess::MergedChannels);
        bad.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--auth"),
                QStringLiteral("none"), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--tls-cert"), cert,
                QStringLiteral("--tls-key"), cert });
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY2(bad.readAll().contains("cannot start HTTPS"), "the error names the problem");
    }

    void refusesABadPriceFile()
    {
        QTemporaryDir dir;
        QFile prices(dir.filePath(QStringLiteral("prices.json")));
        QVERIFY(prices.open(QIODevice::WriteOnly));
        prices.write("{\"format\":1,\"rows\":[{\"id\":\"x\",\"provider\":\"p\",\"models\":[\"m\"],"
                     "\"prices\":{\"input\":1,\"outptu\":2},\"as_of\":\"2026-11-01\"}]}");
        prices.close();
        QProcess reprice;
        reprice.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("reprice"), QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--data-dir"),
                dir.path(), QStringLiteral("--prices"), prices.fileName() });
        QVERIFY(reprice.waitForFinished(30000));
        QCOMPARE(reprice.exitCode(), 2);
        const QByteArray err = reprice.readAllStandardError();
        QVERIFY2(err.contains("outptu"), err.constData());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("traces.db"))));
    }
};

QTEST_GUILESS_MAIN(TestServerCli)
#include "tst_servercli.moc"
