// SPDX-License-Identifier: MIT
// agentops-server as an operator runs it: a real process, real HTTP, then its reprice command.
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "store/sqlitestore.h"

#include <httplib.h>

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>

using namespace agentops;

class TestServerCli : public QObject
{
    Q_OBJECT

private:
    /// Starts the server on a free port and returns it, or -1.
    int start(QProcess &server, const QString &dataDir, const QStringList &extra = {})
    {
        server.setProgram(QStringLiteral(AGENTOPS_SERVER_BINARY));
        server.setArguments(QStringList { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                QStringLiteral("--data-dir"), dataDir }
            + extra);
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.start();
        if (!server.waitForStarted(10000))
            return -1;
        static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)"));
        QByteArray out;
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 10000) {
            server.waitForReadyRead(200);
            out += server.readAll();
            const auto m = listening.match(QString::fromUtf8(out));
            if (m.hasMatch())
                return m.captured(1).toInt();
        }
        return -1;
    }

    void stop(QProcess &server)
    {
        ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(15000));
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
        const std::string batch = "{\"trace\":{\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\",\"service_name\":\"cli\"},"
                                  "\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"chat acme-llm-1\","
                                  "\"kind\":\"llm\",\"model\":\"acme-llm-1\",\"start_time_unix_nano\":1764086400000000000,"
                                  "\"end_time_unix_nano\":1764086401000000000,"
                                  "\"tokens\":{\"input\":1000,\"output\":500}},"
                                  "{\"span_id\":\"c7ad6b7169203332\",\"name\":\"chat gpt-4o\",\"kind\":\"llm\","
                                  "\"model\":\"gpt-4o\",\"start_time_unix_nano\":1764086401000000000,"
                                  "\"end_time_unix_nano\":1764086402000000000,\"tokens\":{\"input\":2000,\"output\":100}}]}";
        httplib::Client client("127.0.0.1", port);
        auto res = client.Post("/api/v1/ingest", batch, "application/json");
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
        prices.write("{\"format\":1,\"currency\":\"USD\",\"unit\":\"per_million_tokens\",\"rows\":[{\"id\":\"acme-llm-1\","
                     "\"provider\":\"acme\",\"models\":[\"acme-llm-1\"],\"prices\":{\"input\":1.0,\"output\":2.0},"
                     "\"as_of\":\"2026-11-01\"}]}");
        prices.close();
        QProcess reprice;
        reprice.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("reprice"), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--prices"),
                prices.fileName() });
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
            { QStringLiteral("reprice"), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--prices"),
                prices.fileName() });
        QVERIFY(reprice.waitForFinished(30000));
        QCOMPARE(reprice.exitCode(), 2);
        const QByteArray err = reprice.readAllStandardError();
        QVERIFY2(err.contains("outptu"), err.constData());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("traces.db"))));
    }
};

QTEST_GUILESS_MAIN(TestServerCli)
#include "tst_servercli.moc"
