// SPDX-License-Identifier: MIT
// Erasure, export and the audit log as an operator and an admin meet them: a real agentops-server
// process in team mode with two projects holding captured framework traces, the admin API over
// real HTTP (who may, what is refused and why), the export read back into a fresh store, and the
// erase, export and audit commands on the data directory.
#include "core/pricing.h"
#include "ingest/tracefile.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <csignal>
#include <fstream>
#include <map>

using namespace agentops;
using nlohmann::json;

namespace {

const std::string kUser = "ana@example.com"; // the end user the captured traces name
using Headers = std::vector<std::pair<std::string, std::string>>;

std::vector<std::string> fixtureLines(const char *scenario)
{
    std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

Headers bearer(const std::string &token)
{
    return { { "Authorization", "Bearer " + token } };
}

/// Per trace: spans, input and output tokens, cost (-1: no price); as a server's trace list reports them.
using Figures = std::map<std::string, std::tuple<std::int64_t, std::int64_t, std::int64_t, double>>;

Figures figuresOf(const json &list)
{
    Figures out;
    for (const auto &t : list["traces"])
        out[t["trace_id"]] = { t["span_count"].get<std::int64_t>(), t["tokens"]["input"].get<std::int64_t>(),
            t["tokens"]["output"].get<std::int64_t>(), t["cost_usd"].is_number() ? t["cost_usd"].get<double>() : -1.0 };
    return out;
}

} // namespace

class TestErasureApi : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_demoKey, m_otherKey;

    int cli(QStringList args, QByteArray &out, const QByteArray &input = {})
    {
        return test::runServerCommand(m_dir.path(), std::move(args), out, input);
    }
    int start(QProcess &server)
    {
        return test::startServerProcess(server,
            { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), m_dir.path() },
            30000);
    }
    void stop(QProcess &server)
    {
        ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 0);
    }
    std::string login(test::HttpClient &client, const std::string &email)
    {
        auto res = client.post("/api/v1/auth/login",
            json { { "email", email }, { "password", "correct horse 1" } }.dump(), "application/json");
        return res && res->status == 200 ? json::parse(res->body)["token"].get<std::string>() : std::string();
    }
    std::string newKey(const char *project)
    {
        QByteArray out;
        if (cli({ QStringLiteral("key"), QStringLiteral("create"), QLatin1String(project) }, out) != 0)
            return {};
        return test::apiKeyIn(out).toStdString();
    }
    json traces(test::HttpClient &client, const std::string &token, const char *project)
    {
        auto res = client.get(std::string("/api/v1/traces?limit=100&project=") + project, bearer(token));
        return res && res->status == 200 ? json::parse(res->body) : json();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QByteArray out;
        for (const char *p : { "demo", "other" })
            QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("create"), QLatin1String(p) }, out), 0);
        for (const char *who : { "admin@example.com", "bob@example.com" })
            QCOMPARE(cli({ QStringLiteral("user"), QStringLiteral("add"), QLatin1String(who),
                             QStringLiteral("--project"), QStringLiteral("demo"), QStringLiteral("--password-stdin") },
                         out, "correct horse 1\n"),
                0);
        QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("add-member"), QStringLiteral("other"),
                         QStringLiteral("admin@example.com") },
                     out),
            0);
        QCOMPARE(
            cli({ QStringLiteral("user"), QStringLiteral("grant-admin"), QStringLiteral("admin@example.com") }, out),
            0);
        QVERIFY2(out.contains("is an admin"), out.constData());
        m_demoKey = newKey("demo");
        m_otherKey = newKey("other");
        QVERIFY(!m_demoKey.empty() && !m_otherKey.empty());
    }

    void adminApi()
    {
        QProcess server;
        const int port = start(server);
        QVERIFY(port > 0);
        test::HttpClient client("127.0.0.1", port);
        for (const auto &[scenario, key] : { std::pair { "openai-openinference", m_demoKey },
                 std::pair { "vercel-ai", m_otherKey }, std::pair { "adk-js", m_demoKey } })
            for (const auto &line : fixtureLines(scenario))
                QCOMPARE(client.post("/v1/traces", bearer(key), line, "application/json")->status, 200);
        const std::string admin = login(client, "admin@example.com");
        const std::string bob = login(client, "bob@example.com");
        QVERIFY(!admin.empty() && !bob.empty());
        const json body { { "user", kUser } };

        // Who may: an admin's session only.
        auto res = client.post("/api/v1/admin/erase", body.dump(), "application/json");
        QCOMPARE(res->status, 401);
        res = client.post("/api/v1/admin/erase", bearer(bob), body.dump(), "application/json");
        QCOMPARE(res->status, 403);
        QVERIFY2(res->body.find("is not an admin") != std::string::npos, res->body.c_str());
        res = client.post("/api/v1/admin/erase", bearer(m_demoKey), body.dump(), "application/json");
        QCOMPARE(res->status, 403);
        QCOMPARE(client.get("/api/v1/admin/audit", bearer(bob))->status, 403);

        // Bad requests say what is wrong; an unknown id is a 404 that says so.
        const std::vector<std::pair<std::string, std::string>> bad = {
            { "{}", "needs one of trace, session or user" },
            { "{\"user\":7}", "user: must be a string" },
            { "{\"user\":\"a\",\"trace\":\"b\"}", "not several" },
            { "{\"trace\":\"abc\"}", "32 hex digits" },
            { "{\"user\":\"\"}", "user: needs an id" },
            { "{\"user\":\"a\",\"who\":1}", "unknown member 'who'" },
            { "[1]", "must be a JSON object" },
        };
        for (const auto &[text, message] : bad) {
            res = client.post("/api/v1/admin/erase", bearer(admin), text, "application/json");
            QCOMPARE(res->status, 400);
            QVERIFY2(res->body.find(message) != std::string::npos, (text + " -> " + res->body).c_str());
        }
        res = client.post(
            "/api/v1/admin/erase", bearer(admin), "{\"user\":\"nobody@example.com\"}", "application/json");
        QCOMPARE(res->status, 404);
        QVERIFY2(res->body.find("no trace of user nobody@example.com") != std::string::npos, res->body.c_str());
        res = client.post(
            "/api/v1/admin/erase", bearer(admin), "{\"user\":\"x\",\"project\":\"nope\"}", "application/json");
        QCOMPARE(res->status, 404);

        // Export: OTLP/JSON lines of the user's traces in both projects, read back into a fresh store.
        Figures before = figuresOf(traces(client, admin, "demo"));
        const Figures beforeOther = figuresOf(traces(client, admin, "other"));
        QCOMPARE(before.size(), std::size_t(4)); // two openai-openinference runs (ana's), two adk-js (no user)
        res = client.post("/api/v1/admin/export", bearer(admin), body.dump(), "application/json");
        QCOMPARE(res->status, 200);
        QCOMPARE(res->header("Content-Type"), std::string("application/x-ndjson"));
        QTemporaryDir work;
        const std::string exported = work.filePath(QStringLiteral("export.jsonl")).toStdString();
        std::ofstream(exported, std::ios::binary) << res->body;
        {
            store::SqliteStore fresh(work.filePath(QStringLiteral("fresh.db")).toStdString());
            store::IngestPipeline pipeline(fresh);
            pipeline.setPriceTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
            const auto read = ingest::readTraceFile(exported, [&](std::vector<core::Span> &&batch) {
                return pipeline.submit(std::move(batch)).outcome == store::IngestPipeline::Outcome::Committed
                    ? std::string()
                    : std::string("not committed");
            });
            QVERIFY2(read.ok(), read.error.c_str());
            pipeline.stop();
            store::TraceQuery q;
            q.limit = 100;
            const auto page = fresh.listTraces(q);
            QCOMPARE(page.traces.size(), std::size_t(4)); // 2 in demo, 2 in other
            for (const auto &t : page.traces) {
                const std::string id = core::toHex(t.trace_id);
                const auto &want = before.count(id) ? before.at(id) : beforeOther.at(id);
                QCOMPARE(t.span_count, std::get<0>(want));
                QCOMPARE(t.input_tokens, std::get<1>(want));
                QCOMPARE(t.output_tokens, std::get<2>(want));
                QCOMPARE(t.priced_spans > 0 ? t.cost_usd : -1.0, std::get<3>(want));
                QCOMPARE(t.user_id, kUser);
            }
        }

        // Erase in one project: the other keeps its traces.
        res = client.post("/api/v1/admin/erase", bearer(admin),
            json { { "user", kUser }, { "project", "demo" } }.dump(), "application/json");
        QCOMPARE(res->status, 200);
        const json erased = json::parse(res->body);
        QCOMPARE(erased["traces"].get<int>(), 2);
        QCOMPARE(erased["spans"].get<int>(), 8);
        QCOMPARE(erased["projects"][0]["project"].get<std::string>(), std::string("demo"));
        const Figures after = figuresOf(traces(client, admin, "demo"));
        QCOMPARE(after.size(), std::size_t(2));
        for (const auto &[id, figures] : after)
            QVERIFY(before.count(id));
        QCOMPARE(figuresOf(traces(client, admin, "other")), beforeOther);

        // The audit log: newest first, who did what, paged.
        res = client.get("/api/v1/admin/audit?limit=3", bearer(admin));
        QCOMPARE(res->status, 200);
        json log = json::parse(res->body);
        QCOMPARE(log["entries"].size(), std::size_t(3));
        QCOMPARE(log["entries"][0]["action"].get<std::string>(), std::string("erase"));
        QCOMPARE(log["entries"][0]["actor"].get<std::string>(), std::string("user:admin@example.com"));
        QCOMPARE(log["entries"][0]["target"].get<std::string>(), "user " + kUser + " in project demo");
        QCOMPARE(log["entries"][0]["details"]["spans"].get<int>(), 8);
        QCOMPARE(log["entries"][1]["action"].get<std::string>(), std::string("export"));
        QCOMPARE(log["entries"][1]["details"]["traces"].get<int>(), 4);
        QCOMPARE(log["entries"][2]["action"].get<std::string>(), std::string("erase")); // the 404 one
        QCOMPARE(log["entries"][2]["details"]["traces"].get<int>(), 0);
        std::vector<std::string> actions;
        std::int64_t previous = INT64_MAX;
        for (std::string next = "/api/v1/admin/audit?limit=3";;) {
            res = client.get(next, bearer(admin));
            QCOMPARE(res->status, 200);
            log = json::parse(res->body);
            for (const auto &e : log["entries"]) {
                QVERIFY(e["id"].get<std::int64_t>() < previous);
                previous = e["id"];
                actions.push_back(e["action"]);
            }
            if (log["next_before"].is_null())
                break;
            next = "/api/v1/admin/audit?limit=3&before=" + std::to_string(log["next_before"].get<std::int64_t>());
        }
        const std::vector<std::string> want = { "erase", "export", "erase", "key.create", "key.create",
            "user.grant-admin", "project.add-member", "user.add", "user.add", "project.create", "project.create" };
        QCOMPARE(actions, want);
        QCOMPARE(client.get("/api/v1/admin/audit?limit=0", bearer(admin))->status, 400);

        // Keys made, rotated and revoked over the API are recorded with the member who did it.
        res = client.post("/api/v1/projects/demo/keys", bearer(bob), "{\"name\":\"ci\"}", "application/json");
        QCOMPARE(res->status, 201);
        const auto keyId = json::parse(res->body)["key"]["id"].get<std::int64_t>();
        res = client.post("/api/v1/keys/" + std::to_string(keyId) + "/rotate", bearer(bob), "", "application/json");
        QCOMPARE(res->status, 201);
        const auto rotatedId = json::parse(res->body)["key"]["id"].get<std::int64_t>();
        QCOMPARE(client.del("/api/v1/keys/" + std::to_string(rotatedId), bearer(bob))->status, 204);
        log = json::parse(client.get("/api/v1/admin/audit?limit=3", bearer(admin))->body);
        QCOMPARE(log["entries"][0]["action"].get<std::string>(), std::string("key.revoke"));
        QCOMPARE(log["entries"][0]["target"].get<std::string>(), "key " + std::to_string(rotatedId));
        QCOMPARE(log["entries"][1]["action"].get<std::string>(), std::string("key.rotate"));
        QCOMPARE(log["entries"][2]["action"].get<std::string>(), std::string("key.create"));
        QCOMPARE(log["entries"][2]["target"].get<std::string>(), "key " + std::to_string(keyId) + " of project demo");
        for (const auto &e : log["entries"])
            QCOMPARE(e["actor"].get<std::string>(), std::string("user:bob@example.com"));
        QCOMPARE(client.get("/api/v1/admin/audit?before=x", bearer(admin))->status, 400);

        // The command refuses to erase under a running server, and says what to do instead.
        QByteArray out;
        QCOMPARE(cli({ QStringLiteral("erase"), QStringLiteral("--user"), QString::fromStdString(kUser) }, out), 1);
        QVERIFY2(out.contains("POST /api/v1/admin/erase"), out.constData());
        stop(server);
    }

    void commands()
    {
        QByteArray out;
        // Export beside no server, then erase: the other project's two traces of the user.
        QTemporaryDir work;
        const QString file = work.filePath(QStringLiteral("ana.jsonl"));
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--user"), QString::fromStdString(kUser),
                         QStringLiteral("--to"), file },
                     out),
            0);
        QVERIFY2(out.contains("exported user ana@example.com: 2 traces"), out.constData());
        std::vector<core::Span> spans;
        QVERIFY(ingest::readTraceFile(file.toStdString(), spans).ok());
        QCOMPARE(spans.size(), std::size_t(8));
        QCOMPARE(cli({ QStringLiteral("erase"), QStringLiteral("--user"), QString::fromStdString(kUser) }, out), 0);
        QVERIFY2(out.contains("erased user ana@example.com: 2 traces, 8 spans"), out.constData());
        QVERIFY2(out.contains("project other: 2 traces"), out.constData());
        // Nothing left: exit code 3, and a message that says so.
        QCOMPARE(cli({ QStringLiteral("erase"), QStringLiteral("--user"), QString::fromStdString(kUser) }, out), 3);
        QVERIFY2(out.contains("nothing to erase: no trace of user ana@example.com in every project"), out.constData());
        QCOMPARE(cli({ QStringLiteral("export"), QStringLiteral("--user"), QString::fromStdString(kUser),
                         QStringLiteral("--to"), file + QStringLiteral("2") },
                     out),
            3);
        QVERIFY(!QFile::exists(file + QStringLiteral("2")) && !QFile::exists(file + QStringLiteral("2.part")));
        // A session of the project that keeps one.
        QCOMPARE(cli({ QStringLiteral("erase"), QStringLiteral("--session"), QStringLiteral("adk-js-session-1"),
                         QStringLiteral("--project"), QStringLiteral("demo") },
                     out),
            0);
        QVERIFY2(out.contains("erased session adk-js-session-1: 2 traces"), out.constData());

        // Bad arguments: exit code 2 and what is wrong.
        const std::vector<std::pair<QStringList, const char *>> bad = {
            { { QStringLiteral("erase") }, "needs --user ID, --session ID or --trace ID" },
            { { QStringLiteral("erase"), QStringLiteral("--user"), QStringLiteral("a"), QStringLiteral("--session"),
                  QStringLiteral("b") },
                "give one of --user, --session and --trace" },
            { { QStringLiteral("erase"), QStringLiteral("--trace"), QStringLiteral("xyz") }, "32 hex digits" },
            { { QStringLiteral("erase"), QStringLiteral("--user=") }, "--user: needs an id" },
            { { QStringLiteral("erase"), QStringLiteral("--user"), QStringLiteral("a"), QStringLiteral("--project"),
                  QStringLiteral("nope") },
                "no project nope" },
            { { QStringLiteral("export"), QStringLiteral("--user"), QStringLiteral("a") }, "export: needs --to FILE" },
            { { QStringLiteral("erase"), QStringLiteral("--user"), QStringLiteral("a"), QStringLiteral("--to"),
                  QStringLiteral("f") },
                "--to: only with backup or export" },
            { { QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("0") }, "--limit" },
            { { QStringLiteral("backup"), QStringLiteral("--user"), QStringLiteral("a"), QStringLiteral("--to"),
                  QStringLiteral("f") },
                "--user: only with erase and export" },
        };
        for (const auto &[args, message] : bad) {
            QCOMPARE(cli(args, out), 2);
            QVERIFY2(out.contains(message),
                (args.join(QLatin1Char(' ')) + QStringLiteral(" -> ") + QString::fromUtf8(out)).toUtf8().constData());
        }

        // The audit command shows the commands' entries with their actor.
        QCOMPARE(cli({ QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("4") }, out), 0);
        const QStringList lines = QString::fromUtf8(out).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 5); // heading and four entries
        QVERIFY2(lines[1].contains(QStringLiteral(" erase "))
                && lines[1].contains(QStringLiteral("session adk-js-session-1")),
            qPrintable(lines[1]));
        static const QRegularExpression byCli(QStringLiteral(" cli:\\S+ "));
        QVERIFY2(lines[1].contains(byCli), qPrintable(lines[1]));
        QVERIFY2(lines[2].contains(QStringLiteral(" export ")) && lines[2].contains(QStringLiteral("\"traces\":0")),
            qPrintable(lines[2]));
    }
};

QTEST_GUILESS_MAIN(TestErasureApi)
#include "tst_erasureapi.moc"
