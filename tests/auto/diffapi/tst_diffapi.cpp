// SPDX-License-Identifier: MIT
#include "core/pricing.h"
#include "server/apiserver.h"
#include "server/log.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <thread>

using namespace agentops;
using nlohmann::json;

/// QCOMPARE for JSON values, which Qt Test cannot print.
#define JSON_COMPARE(actual, expected)                                                                                 \
    QVERIFY2(json(actual) == json(expected), (json(actual).dump() + " != " + json(expected).dump()).c_str())

namespace {

json fixture(const std::string &scenario)
{
    std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".expected.json");
    return json::parse(in);
}

json runOf(const json &expected, const std::string &name)
{
    for (const auto &r : expected["runs"])
        if (r["run"] == name)
            return r;
    return {};
}

std::int64_t n(const json &v)
{
    return v.is_number() ? v.get<std::int64_t>() : 0;
}

} // namespace

class TestDiffApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void retriedToolCall();
    void failedTool();
    void refusals_data();
    void refusals();
    void documented();
    void teamMode();

private:
    void post(const std::string &scenario);
    json diff(const json &a, const json &b, int *status = nullptr);
    test::HttpResult get(const std::string &path);

    QTemporaryDir m_dir;
    std::FILE *m_logFile = nullptr;
    std::unique_ptr<server::Log> m_log;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<store::IngestPipeline> m_pipeline;
    std::unique_ptr<server::ApiServer> m_server;
    std::thread m_thread;
    int m_port = 0;
};

// The embedded receiver's configuration: open mode on loopback, the shipped prices.
void TestDiffApi::initTestCase()
{
    m_logFile = std::fopen(m_dir.filePath(QStringLiteral("server.log")).toLocal8Bit().constData(), "a");
    m_log = std::make_unique<server::Log>(server::Log::Format::Text, m_logFile);
    m_store = std::make_unique<store::SqliteStore>(m_dir.filePath(QStringLiteral("traces.db")).toStdString());
    m_pipeline = std::make_unique<store::IngestPipeline>(*m_store);
    m_pipeline->setPriceTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
    server::ServerConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    m_server = std::make_unique<server::ApiServer>(*m_store, *m_pipeline, config, *m_log);
    std::string error;
    QVERIFY2(m_server->bind(error), error.c_str());
    m_port = m_server->port();
    m_thread = std::thread([s = m_server.get()] { s->run(); });
    auto res = get("/healthz");
    QVERIFY(res && res->status == 200);
    for (const char *scenario : { "adk-js", "adk-js-retry" })
        post(scenario);
}

void TestDiffApi::cleanupTestCase()
{
    m_server->stop();
    m_thread.join();
    m_pipeline->stop();
    std::fclose(m_logFile);
}

test::HttpResult TestDiffApi::get(const std::string &path)
{
    test::HttpClient client("127.0.0.1", m_port);
    client.setTimeout(std::chrono::seconds(30));
    return client.get(path);
}

// Each line of a capture is one request body as the exporter sent it.
void TestDiffApi::post(const std::string &scenario)
{
    std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json");
    std::string line;
    test::HttpClient client("127.0.0.1", m_port);
    while (std::getline(in, line)) {
        auto res = client.post("/v1/traces", line, "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }
}

json TestDiffApi::diff(const json &a, const json &b, int *status)
{
    auto res
        = get("/api/v1/traces/diff?a=" + a["trace_id"].get<std::string>() + "&b=" + b["trace_id"].get<std::string>());
    if (!res)
        return {};
    if (status)
        *status = res->status;
    return json::parse(res->body);
}

// The retried run against run "ok": the failed attempt and the model call that reacted to it are
// added, the first divergence is the first step not alike, the deltas are the producers' totals.
void TestDiffApi::retriedToolCall()
{
    const json ok = runOf(fixture("adk-js"), "ok"), retry = runOf(fixture("adk-js-retry"), "retry");
    int status = 0;
    const json d = diff(ok, retry, &status);
    QCOMPARE(status, 200);
    JSON_COMPARE(d["a"]["trace_id"], ok["trace_id"]);
    JSON_COMPARE(d["b"]["trace_id"], retry["trace_id"]);
    JSON_COMPARE(d["content_compared"], json(true));
    const auto &s = d["summary"];
    QCOMPARE(n(s["added"]), n(retry["span_count"]) - n(ok["span_count"]));
    QCOMPARE(n(s["removed"]), 0);
    QCOMPARE(n(s["steps_b"]) - n(s["steps_a"]), n(retry["span_count"]) - n(ok["span_count"]));
    for (const char *kind : { "input", "output" })
        QCOMPARE(n(s["delta"]["tokens"][kind]), n(retry["total_usage"][kind]) - n(ok["total_usage"][kind]));
    // The producer's first model calls reported the same usage for the same question: the first
    // divergence is the failed attempt of the tool call (what ADK reported as failed), an added step.
    QVERIFY(ok["llm_calls"][0]["usage"] == retry["llm_calls"][0]["usage"]);
    const auto &first = d["pairs"][n(s["first_divergence"])];
    const auto &failed = retry["tool_calls"][0];
    QVERIFY(failed["failed"] == json(true));
    JSON_COMPARE(first["b"]["span_id"], failed["span_id"]);
    JSON_COMPARE(first["state"], "added");
    JSON_COMPARE(first["b"]["status"], "error");
    JSON_COMPARE(first["b"]["status_message"], failed["error_message"]);
    QVERIFY(first["a"].is_null());
    // The retried call pairs with run "ok"'s call, and no text diff is of a pair that is not changed.
    bool paired = false;
    for (const auto &p : d["pairs"])
        paired = paired
            || (p["b"].is_object() && p["b"]["span_id"] == retry["tool_calls"][1]["span_id"] && p["a"].is_object()
                && p["a"]["span_id"] == ok["tool_calls"][0]["span_id"]);
    QVERIFY(paired);
    QVERIFY(!d["text_diffs"].empty());
    for (const auto &t : d["text_diffs"])
        JSON_COMPARE(d["pairs"][n(t["pair"])]["state"], "changed");
    JSON_COMPARE(d["pairs_truncated"], json(false));
}

// ADK ok against tool-error: the failed tool is a changed pair, status unset → error.
void TestDiffApi::failedTool()
{
    const json expected = fixture("adk-js");
    const json ok = runOf(expected, "ok"), failed = runOf(expected, "tool-error");
    const json d = diff(ok, failed);
    bool seen = false;
    for (const auto &p : d["pairs"]) {
        if (!p["b"].is_object() || p["b"]["span_id"] != failed["tool_calls"][0]["span_id"])
            continue;
        seen = true;
        JSON_COMPARE(p["state"], json("changed"));
        JSON_COMPARE(p["a"]["span_id"], ok["tool_calls"][0]["span_id"]);
        JSON_COMPARE(p["b"]["status"], json("error"));
        JSON_COMPARE(p["b"]["status_message"], failed["tool_calls"][0]["error_message"]);
        QVERIFY(std::find(p["changes"].begin(), p["changes"].end(), json("status")) != p["changes"].end());
    }
    QVERIFY(seen);
    const auto &first = d["pairs"][n(d["summary"]["first_divergence"])];
    JSON_COMPARE(first["b"]["span_id"], failed["llm_calls"][0]["span_id"]);
    QCOMPARE(n(first["delta"]["tokens"]["input"]),
        n(failed["llm_calls"][0]["usage"]["input"]) - n(ok["llm_calls"][0]["usage"]["input"]));
    QCOMPARE(n(d["summary"]["added"]) + n(d["summary"]["removed"]), 0);
}

void TestDiffApi::refusals_data()
{
    const std::string ok = runOf(fixture("adk-js"), "ok")["trace_id"];
    QTest::addColumn<std::string>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<std::string>("names");
    QTest::newRow("no b") << "a=" + ok << 400 << std::string("b: required");
    QTest::newRow("no a") << "b=" + ok << 400 << std::string("a: required");
    QTest::newRow("empty a") << "a=&b=" + ok << 400 << std::string("a: required");
    QTest::newRow("short a") << "a=abc&b=" + ok << 400 << std::string("a: must be 32 hex digits");
    QTest::newRow("zero b") << "a=" + ok + "&b=" + std::string(32, '0') << 400 << std::string("b: must be 32 hex");
    QTest::newRow("unknown parameter") << "a=" + ok + "&b=" + ok + "&c=1" << 400 << std::string("c");
    QTest::newRow("unknown a") << "a=" + std::string(31, '1') + "2&b=" + ok << 404 << std::string("a: no trace 1111");
    QTest::newRow("unknown b") << "a=" + ok + "&b=" + std::string(32, 'f') << 404 << std::string("b: no trace ffff");
}

void TestDiffApi::refusals()
{
    QFETCH(std::string, query);
    QFETCH(int, status);
    QFETCH(std::string, names);
    auto res = get("/api/v1/traces/diff?" + query);
    QVERIFY(res);
    QCOMPARE(res->status, status);
    const json body = json::parse(res->body);
    const std::string message = body["error"]["message"];
    QVERIFY2(message.find(names) != std::string::npos, message.c_str());
}

// /openapi.json describes the route the server answers.
void TestDiffApi::documented()
{
    auto res = get("/openapi.json");
    QVERIFY(res && res->status == 200);
    const json doc = json::parse(res->body);
    const auto &op = doc["paths"]["/api/v1/traces/diff"]["get"];
    QVERIFY(op.is_object());
    QVERIFY(doc["components"]["schemas"]["TraceDiff"].is_object());
    QVERIFY(op["responses"].contains("404"));
}

// agentops-server as a team runs it: the route answers only with credentials, and only about the
// traces of the caller's project (an API key's, or the one a session names with project=).
void TestDiffApi::teamMode()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("server"));
    QByteArray out;
    auto cli = [&](QStringList args, const QByteArray &input = {}) {
        return test::runServerCommand(data, std::move(args), out, input);
    };
    auto keyOf = [&] { return test::apiKeyIn(out); };
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("checkout") }), 0);
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("billing") }), 0);
    QCOMPARE(cli({ QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("ada@example.com"),
                     QStringLiteral("--project"), QStringLiteral("checkout"), QStringLiteral("--password-stdin") },
                 "ada-password\n"),
        0);
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("add-member"), QStringLiteral("billing"),
                 QStringLiteral("ada@example.com") }),
        0);
    QCOMPARE(cli({ QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("checkout") }), 0);
    const std::string checkoutKey = keyOf().toStdString();
    QCOMPARE(cli({ QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("billing") }), 0);
    const std::string billingKey = keyOf().toStdString();
    QVERIFY(!checkoutKey.empty() && !billingKey.empty() && checkoutKey != billingKey);

    QProcess server;
    const int port = test::startServerProcess(server,
        { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), data }, 20000,
        "http");
    QVERIFY(port > 0);
    auto stop = qScopeGuard([&] {
        server.terminate();
        if (!server.waitForFinished(15000))
            server.kill();
    });
    auto bearer = [](const std::string &token) {
        return test::HttpClient::Headers { { "Authorization", "Bearer " + token } };
    };
    // The runs, sent with the checkout project's key as the exporters sent them.
    for (const char *scenario : { "adk-js", "adk-js-retry" }) {
        std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json");
        std::string line;
        test::HttpClient client("127.0.0.1", port);
        while (std::getline(in, line)) {
            auto res = client.post("/v1/traces", bearer(checkoutKey), line, "application/json");
            QVERIFY(res);
            QCOMPARE(res->status, 200);
        }
    }
    const json ok = runOf(fixture("adk-js"), "ok"), retry = runOf(fixture("adk-js-retry"), "retry");
    const std::string route
        = "/api/v1/traces/diff?a=" + ok["trace_id"].get<std::string>() + "&b=" + retry["trace_id"].get<std::string>();
    auto ask = [&](const std::string &target, const test::HttpClient::Headers &headers) {
        test::HttpClient client("127.0.0.1", port);
        client.setTimeout(std::chrono::seconds(30));
        return client.get(target, headers);
    };
    auto added = [](const test::HttpResult &res) { return n(json::parse(res->body)["summary"]["added"]); };
    const std::int64_t producerAdded = n(retry["span_count"]) - n(ok["span_count"]);

    auto res = ask(route, {});
    QVERIFY(res);
    QCOMPARE(res->status, 401);
    res = ask(route, bearer("aok_" + std::string(43, 'A')));
    QCOMPARE(res->status, 401);
    // The project's key: its runs compared, as the producers reported them.
    res = ask(route, bearer(checkoutKey));
    QCOMPARE(res->status, 200);
    QCOMPARE(added(res), producerAdded);
    // Another project's key does not reach them.
    res = ask(route, bearer(billingKey));
    QCOMPARE(res->status, 404);

    // A member of both projects names the project.
    test::HttpClient login("127.0.0.1", port);
    const auto signedIn = login.post(
        "/api/v1/auth/login", R"({"email":"ada@example.com","password":"ada-password"})", "application/json");
    QVERIFY(signedIn && signedIn->status == 200);
    const std::string session = json::parse(signedIn->body)["token"];
    res = ask(route, bearer(session));
    QCOMPARE(res->status, 400);
    QVERIFY2(res->body.find("checkout") != std::string::npos, res->body.c_str());
    res = ask(route + "&project=checkout", bearer(session));
    QCOMPARE(res->status, 200);
    QCOMPARE(added(res), producerAdded);
    res = ask(route + "&project=billing", bearer(session));
    QCOMPARE(res->status, 404);
    res = ask(route + "&project=payroll", bearer(session));
    QVERIFY2(res->status == 403, res->body.c_str());
    // A key is its project's only, whatever project= says.
    res = ask(route + "&project=checkout", bearer(billingKey));
    QVERIFY2(res->status == 403, res->body.c_str());
}

QTEST_GUILESS_MAIN(TestDiffApi)
#include "tst_diffapi.moc"
