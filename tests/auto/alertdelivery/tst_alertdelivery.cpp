// SPDX-License-Identifier: MIT
// Alerts on agentops-server as an operator runs it: a real server process, real captured framework
// traces posted over OTLP/HTTP, rules made with its CLI and its API, webhooks delivered over loopback
// to a real HTTP receiver (one that is down at first, one that never comes up), the signature
// checked with OpenSSL's HMAC and with the Python snippet of docs/alerts.md, and /metrics.
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include <nlohmann/json.hpp>
#include <openssl/hmac.h>

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

using namespace agentops;

namespace {

struct Received
{
    std::string body;
    std::string timestamp;
    std::string signature;
    std::string delivery;
    std::string contentType;
};

/// A webhook receiver: records every POST to /hook and answers 204.
class Receiver
{
public:
    explicit Receiver(int port = 0)
        : m_server({ { "POST", "/hook",
                       [this](const server::http::Request &req, server::http::Response &res) {
                           std::lock_guard lock(m_mutex);
                           m_received.push_back(
                               { req.body, req.header("X-AgentOps-Timestamp"), req.header("X-AgentOps-Signature"),
                                   req.header("X-AgentOps-Delivery"), req.header("Content-Type") });
                           res.status = 204;
                       } } },
            {}, {}, port)
    { }
    int port() const { return m_server.port(); }
    bool ok() const { return m_server.ok(); }
    std::vector<Received> received()
    {
        std::lock_guard lock(m_mutex);
        return m_received;
    }

private:
    std::mutex m_mutex;
    std::vector<Received> m_received;
    test::TestHttpServer m_server;
};

/// A loopback port nothing listens on (bound, then closed: connections to it are refused).
int closedPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
        ::close(fd);
        return -1;
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

/// HMAC-SHA256 by OpenSSL (the server signs with libsodium), as sha256=<hex>.
std::string opensslSignature(const std::string &secret, const std::string &timestamp, const std::string &body)
{
    const std::string message = timestamp + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
        reinterpret_cast<const unsigned char *>(message.data()), message.size(), mac, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "sha256=";
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(kHex[mac[i] >> 4]);
        out.push_back(kHex[mac[i] & 15]);
    }
    return out;
}

/// The verification function of docs/alerts.md, run by python3 on a delivered request: "True" or
/// "False".
QString pythonVerify(const std::string &secret, const Received &r)
{
    std::ifstream doc(std::string(AGENTOPS_SOURCE_DIR) + "/docs/alerts.md");
    std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
    const auto marker = text.find("<!-- verify-webhook");
    const auto start = text.find("```python\n", marker);
    const auto end = text.find("```", start + 10);
    if (marker == std::string::npos || start == std::string::npos || end == std::string::npos)
        return QStringLiteral("no snippet in docs/alerts.md");
    const std::string snippet = text.substr(start + 10, end - start - 10);
    QTemporaryDir dir;
    const QString bodyFile = dir.filePath(QStringLiteral("body"));
    std::ofstream(bodyFile.toStdString(), std::ios::binary) << r.body;
    QProcess python;
    python.start(QStringLiteral("python3"),
        { QStringLiteral("-c"),
            QString::fromStdString(snippet
                + "\nimport sys\nprint(verify(sys.argv[1], open(sys.argv[2], 'rb').read(), sys.argv[3], "
                  "sys.argv[4]))\n"),
            QString::fromStdString(secret), bodyFile, QString::fromStdString(r.timestamp),
            QString::fromStdString(r.signature) });
    if (!python.waitForFinished(30000))
        return QStringLiteral("python3 did not finish");
    return QString::fromUtf8(python.readAllStandardOutput() + python.readAllStandardError()).trimmed();
}

/// A captured scenario's OTLP/JSON lines with every span moved so the first starts at startNs, and
/// optionally another service.name.
std::vector<std::string> shiftedFixture(
    const std::string &scenario, std::int64_t startNs, const std::string &service = {})
{
    std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json");
    std::vector<nlohmann::json> lines;
    std::int64_t first = INT64_MAX;
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        lines.push_back(nlohmann::json::parse(line));
        for (auto &rs : lines.back()["resourceSpans"])
            for (auto &ss : rs["scopeSpans"])
                for (auto &s : ss["spans"])
                    first = std::min<std::int64_t>(first, std::stoll(s["startTimeUnixNano"].get<std::string>()));
    }
    std::vector<std::string> out;
    for (auto &j : lines) {
        for (auto &rs : j["resourceSpans"]) {
            if (!service.empty())
                for (auto &a : rs["resource"]["attributes"])
                    if (a["key"] == "service.name")
                        a["value"] = { { "stringValue", service } };
            for (auto &ss : rs["scopeSpans"]) {
                for (auto &s : ss["spans"]) {
                    for (const char *field : { "startTimeUnixNano", "endTimeUnixNano" })
                        s[field] = std::to_string(std::stoll(s[field].get<std::string>()) - first + startNs);
                    // Traces of their own, or the store takes them for the ones already stored.
                    if (!service.empty()) {
                        std::string id = s["traceId"];
                        id[0] = id[0] == 'f' ? 'e' : 'f';
                        s["traceId"] = id;
                    }
                }
            }
        }
        out.push_back(j.dump());
    }
    return out;
}

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

template<typename F>
bool waitFor(F f, int ms = 20000)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms) {
        if (f())
            return true;
        QThread::msleep(100);
    }
    return f();
}

/// The value of a metric line (name with labels as written), or -1.
double metric(test::HttpClient &client, const std::string &series)
{
    const auto res = client.get("/metrics");
    if (!res)
        return -1;
    const auto at = res->body.find("\n" + series + " ");
    if (at == std::string::npos)
        return -1;
    return std::stod(res->body.substr(at + series.size() + 2));
}

} // namespace

class TestAlertDelivery : public QObject
{
    Q_OBJECT

private:
    /// An open server (--auth none) on a free port with fast alerts, or -1.
    int start(QProcess &server, const QString &dataDir, const QStringList &extra = {})
    {
        return test::startServerProcess(server,
            QStringList { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                dataDir, QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--alert-interval"),
                QStringLiteral("1s") }
                + extra,
            30000);
    }
    void stop(QProcess &server)
    {
        ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 0);
    }
    static nlohmann::json json(const test::HttpResult &r) { return nlohmann::json::parse(r->body); }

private Q_SLOTS:
    void firesOnCapturedErrorsAndResolvesOverSignedWebhooks();
    void retriesUntilTheReceiverComesUp();
    void givesUpAfterTheBoundAndCountsIt();
    void metricsLabelsAreBoundedAndEscaped();
    void cliMakesListsAndRemovesRules();
    void cliRefusesBadValues_data();
    void cliRefusesBadValues();
    void apiRefusesBadRulesAndKeysInTeamMode();
};

void TestAlertDelivery::firesOnCapturedErrorsAndResolvesOverSignedWebhooks()
{
    QTemporaryDir dir;
    Receiver receiver;
    QVERIFY(receiver.ok());
    QProcess server;
    const int port = start(server, dir.path());
    QVERIFY(port > 0);
    test::HttpClient client("127.0.0.1", port);

    // The ADK runs (one with a failed tool: 1 error span in 10, as ADK reported) as if sent now.
    for (const auto &line : shiftedFixture("adk-js", nowNs() - 5'000'000'000)) {
        auto res = client.post("/v1/traces", line, "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }
    const std::string secret = "a-shared-secret-of-the-receiver";
    const std::string hook = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
    const nlohmann::json errors = { { "name", "adk errors" }, { "kind", "error_rate" }, { "threshold", 5 },
        { "window_minutes", 10 }, { "webhook_url", hook }, { "webhook_secret", secret } };
    auto created = client.post("/api/v1/alerts/rules", errors.dump(), "application/json");
    QVERIFY(created);
    QCOMPARE(created->status, 201);
    QCOMPARE(json(created)["webhook_secret_set"].get<bool>(), true);
    QVERIFY(!json(created).contains("webhook_secret")); // given, so not shown back
    // Quiet service: no span of it in the window, so it fires; traffic makes it resolve. Two minutes,
    // so spans sent at the end of a minute still count when the next evaluation falls in the next.
    const nlohmann::json quiet = { { "name", "quiet service" }, { "kind", "no_traffic" }, { "window_minutes", 2 },
        { "scope", "service" }, { "scope_value", "quiet-svc" }, { "webhook_url", hook }, { "webhook_secret", secret } };
    QCOMPARE(client.post("/api/v1/alerts/rules", quiet.dump(), "application/json")->status, 201);

    QVERIFY2(waitFor([&] { return receiver.received().size() >= 2; }), "no webhooks within 20 s");
    auto got = receiver.received();
    std::map<std::string, nlohmann::json> byRule;
    for (const auto &r : got) {
        const auto body = nlohmann::json::parse(r.body);
        byRule[body["rule"]] = body;
        QCOMPARE(r.contentType, std::string("application/json"));
        QVERIFY(!r.delivery.empty());
        // Signed: OpenSSL's HMAC agrees, and so does the documented Python check.
        QCOMPARE(r.signature, opensslSignature(secret, r.timestamp, r.body));
        QCOMPARE(pythonVerify(secret, r), QStringLiteral("True"));
        Received tampered = r;
        tampered.body[tampered.body.size() / 2] ^= 1;
        QCOMPARE(pythonVerify(secret, tampered), QStringLiteral("False"));
        QCOMPARE(pythonVerify("another secret", r), QStringLiteral("False"));
    }
    QCOMPARE(byRule["adk errors"]["status"].get<std::string>(), std::string("firing"));
    QCOMPARE(byRule["adk errors"]["value"].get<double>(), 10.0);
    QCOMPARE(byRule["adk errors"]["project"].get<std::string>(), std::string("default"));
    QCOMPARE(byRule["quiet service"]["status"].get<std::string>(), std::string("firing"));
    QCOMPARE(byRule["quiet service"]["value"].get<double>(), 0.0);

    // Both in /metrics and in GET /api/v1/alerts.
    QCOMPARE(metric(client, "agentops_alert_firing{kind=\"error_rate\",project=\"default\",rule=\"adk errors\"}"), 1.0);
    QCOMPARE(
        metric(client, "agentops_alert_firing{kind=\"no_traffic\",project=\"default\",rule=\"quiet service\"}"), 1.0);
    auto alerts = client.get("/api/v1/alerts");
    QCOMPARE(alerts->status, 200);
    QCOMPARE(json(alerts)["firing"].size(), 2u);
    QVERIFY(json(alerts)["events"].size() >= 2u);

    // The quiet service sends: resolved, over the webhook, and gone from /metrics.
    for (const auto &line : shiftedFixture("adk-js", nowNs() - 1'000'000'000, "quiet-svc"))
        QCOMPARE(client.post("/v1/traces", line, "application/json")->status, 200);
    QVERIFY2(waitFor([&] {
        for (const auto &r : receiver.received()) {
            const auto body = nlohmann::json::parse(r.body);
            if (body["rule"] == "quiet service" && body["status"] == "resolved")
                return true;
        }
        return false;
    }),
        "no resolved webhook");
    QVERIFY(waitFor([&] {
        return metric(client, "agentops_alert_firing{kind=\"no_traffic\",project=\"default\",rule=\"quiet service\"}")
            < 0;
    }));
    QCOMPARE(metric(client, "agentops_webhook_deliveries{result=\"delivered\"}"), 3.0);
    QCOMPARE(metric(client, "agentops_webhook_deliveries{result=\"failed\"}"), 0.0);

    // Removed through the API: gone from the list and from /metrics.
    const auto rules = json(client.get("/api/v1/alerts/rules"))["rules"];
    QCOMPARE(rules.size(), 2u);
    for (const auto &r : rules)
        QCOMPARE(client.del("/api/v1/alerts/rules/" + std::to_string(r["id"].get<long long>()))->status, 204);
    QCOMPARE(client.del("/api/v1/alerts/rules/999")->status, 404);
    QCOMPARE(json(client.get("/api/v1/alerts/rules"))["rules"].size(), 0u);
    QVERIFY(waitFor([&] {
        const auto res = client.get("/metrics");
        return res && res->body.find("agentops_alert_firing{") == std::string::npos;
    }));
    stop(server);
}

void TestAlertDelivery::retriesUntilTheReceiverComesUp()
{
    QTemporaryDir dir;
    const int hookPort = closedPort();
    QVERIFY(hookPort > 0);
    QProcess server;
    const int port = start(server, dir.path(),
        { QStringLiteral("--webhook-attempts"), QStringLiteral("10"), QStringLiteral("--webhook-backoff"),
            QStringLiteral("1s") });
    QVERIFY(port > 0);
    test::HttpClient client("127.0.0.1", port);
    const std::string secret = "0123456789abcdef0123456789abcdef";
    const nlohmann::json rule = { { "name", "ghost quiet" }, { "kind", "no_traffic" }, { "window_minutes", 5 },
        { "scope", "agent" }, { "scope_value", "ghost" },
        { "webhook_url", "http://127.0.0.1:" + std::to_string(hookPort) + "/hook" }, { "webhook_secret", secret } };
    QCOMPARE(client.post("/api/v1/alerts/rules", rule.dump(), "application/json")->status, 201);
    // A second rule for another agent: two deliveries wait side by side, each on its own backoff.
    nlohmann::json second = rule;
    second["name"] = "phantom quiet";
    second["scope_value"] = "phantom";
    QCOMPARE(client.post("/api/v1/alerts/rules", second.dump(), "application/json")->status, 201);

    // Connection refused: tried again with backoff, nothing delivered yet, the ingest path untouched.
    QVERIFY2(waitFor([&] { return metric(client, "agentops_webhook_retries") >= 2; }), "no retry");
    QCOMPARE(metric(client, "agentops_webhook_deliveries{result=\"delivered\"}"), 0.0);
    QVERIFY(waitFor([&] { return metric(client, "agentops_webhook_queue") == 2.0; }));
    QCOMPARE(client.get("/readyz")->status, 200);

    // The receiver comes up on that port: the next attempts deliver both, signed.
    Receiver receiver(hookPort);
    QVERIFY(receiver.ok());
    QVERIFY2(
        waitFor([&] { return receiver.received().size() >= 2; }, 30000), "not delivered after the receiver came up");
    std::set<std::string> rules;
    for (const auto &r : receiver.received()) {
        rules.insert(nlohmann::json::parse(r.body)["rule"].get<std::string>());
        QCOMPARE(r.signature, opensslSignature(secret, r.timestamp, r.body));
    }
    QCOMPARE(rules, (std::set<std::string> { "ghost quiet", "phantom quiet" }));
    QVERIFY(waitFor([&] { return metric(client, "agentops_webhook_deliveries{result=\"delivered\"}") == 2.0; }));
    QCOMPARE(metric(client, "agentops_webhook_deliveries{result=\"failed\"}"), 0.0);
    QCOMPARE(metric(client, "agentops_webhook_queue"), 0.0);
    QCOMPARE(receiver.received().size(), 2u); // once each, not once per attempt
    stop(server);
}

void TestAlertDelivery::givesUpAfterTheBoundAndCountsIt()
{
    QTemporaryDir dir;
    const int hookPort = closedPort();
    QProcess server;
    const int port = start(server, dir.path(),
        { QStringLiteral("--webhook-attempts"), QStringLiteral("3"), QStringLiteral("--webhook-backoff"),
            QStringLiteral("1s") });
    QVERIFY(port > 0);
    test::HttpClient client("127.0.0.1", port);
    const nlohmann::json rule = { { "name", "never heard" }, { "kind", "no_traffic" }, { "window_minutes", 5 },
        { "webhook_url", "http://127.0.0.1:" + std::to_string(hookPort) + "/hook" } };
    auto created = client.post("/api/v1/alerts/rules", rule.dump(), "application/json");
    QCOMPARE(created->status, 201);
    // No secret given: one is made and shown once.
    QCOMPARE(json(created)["webhook_secret"].get<std::string>().size(), 64u);

    // Three attempts (waits of 1 s and 2 s between them), then given up and counted.
    QVERIFY2(waitFor([&] { return metric(client, "agentops_webhook_deliveries{result=\"failed\"}") == 1.0; }, 30000),
        "not given up");
    QCOMPARE(metric(client, "agentops_webhook_retries"), 2.0);
    QCOMPARE(metric(client, "agentops_webhook_deliveries{result=\"delivered\"}"), 0.0);
    QCOMPARE(metric(client, "agentops_webhook_queue"), 0.0);
    // Still firing: the alert is in /metrics whatever became of its webhook.
    QCOMPARE(
        metric(client, "agentops_alert_firing{kind=\"no_traffic\",project=\"default\",rule=\"never heard\"}"), 1.0);
    ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
    QVERIFY(server.waitForFinished(30000));
    const QString log = QString::fromUtf8(server.readAll());
    QVERIFY2(log.contains(QStringLiteral("webhook given up after 3 attempts")), qPrintable(log));
}

void TestAlertDelivery::metricsLabelsAreBoundedAndEscaped()
{
    QTemporaryDir dir;
    QProcess server;
    const int port = start(server, dir.path());
    QVERIFY(port > 0);
    test::HttpClient client("127.0.0.1", port);
    // 200 bytes (the most a name may have) with a quote and a backslash, and a character of two
    // bytes across the 128-byte cut.
    std::string name = "say \"hi\" \\ ";
    name += std::string(127 - name.size(), 'x');
    name += "\xc3\xa9";
    name += std::string(200 - name.size(), 'y');
    QCOMPARE(name.size(), 200u);
    const nlohmann::json rule = { { "name", name }, { "kind", "no_traffic" }, { "window_minutes", 5 } };
    QCOMPARE(client.post("/api/v1/alerts/rules", rule.dump(), "application/json")->status, 201);
    // The label: the first 127 bytes (the cut does not split the two-byte character), escaped.
    const std::string cut = name.substr(0, 127);
    std::string escaped;
    for (const char c : cut) {
        if (c == '\\' || c == '"')
            escaped.push_back('\\');
        escaped.push_back(c);
    }
    const std::string series
        = "agentops_alert_firing{kind=\"no_traffic\",project=\"default\",rule=\"" + escaped + "\"}";
    QVERIFY2(waitFor([&] { return metric(client, series) == 1.0; }), series.c_str());
    stop(server);
}

void TestAlertDelivery::cliMakesListsAndRemovesRules()
{
    QTemporaryDir dir;
    QByteArray out;
    const QString data = dir.path();
    auto cli = [&](QStringList args) { return test::runServerCommand(data, std::move(args), out); };
    const QStringList none { QStringLiteral("--auth"), QStringLiteral("none") };
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("add"), QStringLiteral("checkout errors"),
                     QStringLiteral("--kind"), QStringLiteral("error_rate"), QStringLiteral("--threshold"),
                     QStringLiteral("5"), QStringLiteral("--window"), QStringLiteral("15"), QStringLiteral("--for"),
                     QStringLiteral("120"), QStringLiteral("--scope"), QStringLiteral("service"),
                     QStringLiteral("--scope-value"), QStringLiteral("checkout"), QStringLiteral("--webhook"),
                     QStringLiteral("https://hooks.example.com/x") }
                 + none),
        0);
    QVERIFY2(out.contains("added alert rule checkout errors (id 1): error_rate above 5.0% over 15 min, scope "
                          "service=checkout"),
        out.constData());
    // A secret was made and shown once.
    static const QRegularExpression secret(QStringLiteral("\\n    [0-9a-f]{64}\\n"));
    QVERIFY(secret.match(QString::fromUtf8(out)).hasMatch());
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("add"), QStringLiteral("quiet"),
                     QStringLiteral("--kind"), QStringLiteral("no_traffic"), QStringLiteral("--window"),
                     QStringLiteral("30") }
                 + none),
        0);
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("list") } + none), 0);
    QVERIFY2(out.contains("checkout errors") && out.contains("service=checkout") && out.contains("quiet")
            && out.contains("https://hooks.example.com/x") && !out.contains("secret"),
        out.constData());
    // The same name twice is refused.
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("add"), QStringLiteral("quiet"),
                     QStringLiteral("--kind"), QStringLiteral("no_traffic") }
                 + none),
        1);
    QVERIFY2(out.contains("name: a rule named 'quiet' exists already"), out.constData());
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("remove"), QStringLiteral("quiet") } + none), 0);
    QVERIFY(out.contains("removed alert rule quiet (id 2)"));
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("remove"), QStringLiteral("1") } + none), 0);
    QCOMPARE(cli(QStringList { QStringLiteral("alert"), QStringLiteral("remove"), QStringLiteral("1") } + none), 1);
    QVERIFY2(out.contains("no alert rule named or numbered '1'"), out.constData());

    // A team server needs the project.
    QCOMPARE(cli({ QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("shop") }), 0);
    QCOMPARE(cli({ QStringLiteral("alert"), QStringLiteral("list") }), 1);
    QVERIFY2(out.contains("--project: required on a team server"), out.constData());
    QCOMPARE(cli({ QStringLiteral("alert"), QStringLiteral("add"), QStringLiteral("r"), QStringLiteral("--kind"),
                 QStringLiteral("p95_latency"), QStringLiteral("--threshold"), QStringLiteral("2000"),
                 QStringLiteral("--project"), QStringLiteral("shop") }),
        0);
    QCOMPARE(
        cli({ QStringLiteral("alert"), QStringLiteral("list"), QStringLiteral("--project"), QStringLiteral("nope") }),
        1);
    QVERIFY2(out.contains("--project: no project nope"), out.constData());
    QCOMPARE(
        cli({ QStringLiteral("alert"), QStringLiteral("list"), QStringLiteral("--project"), QStringLiteral("shop") }),
        0);
    QVERIFY2(out.contains("p95_latency") && out.contains("2000 ms"), out.constData());
}

void TestAlertDelivery::cliRefusesBadValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QString add = QStringLiteral("add");
    const QString kind = QStringLiteral("--kind");
    QTest::newRow("unknown kind") << QStringList { add, QStringLiteral("x"), kind, QStringLiteral("latency"),
        QStringLiteral("--threshold"), QStringLiteral("1") }
                                  << 1
                                  << QStringLiteral("--kind: unknown kind 'latency' (kinds: error_rate, cost_per_hour, "
                                                    "cost_per_day, p95_latency, no_traffic)");
    QTest::newRow("negative threshold") << QStringList { add, QStringLiteral("x"), kind, QStringLiteral("cost_per_day"),
        QStringLiteral("--threshold"), QStringLiteral("-3") }
                                        << 1 << QStringLiteral("threshold: must be a number >= 0");
    QTest::newRow("threshold not a number") << QStringList { add, QStringLiteral("x"), kind,
        QStringLiteral("cost_per_day"), QStringLiteral("--threshold"), QStringLiteral("5usd") }
                                            << 1 << QStringLiteral("--threshold: must be a number, got '5usd'");
    QTest::newRow("window 0") << QStringList { add, QStringLiteral("x"), kind, QStringLiteral("error_rate"),
        QStringLiteral("--threshold"), QStringLiteral("1"), QStringLiteral("--window"), QStringLiteral("0") }
                              << 1 << QStringLiteral("--window: must be a whole number from 1 to 1440, got '0'");
    QTest::newRow("bad url") << QStringList { add, QStringLiteral("x"), kind, QStringLiteral("error_rate"),
        QStringLiteral("--threshold"), QStringLiteral("1"), QStringLiteral("--webhook"), QStringLiteral("hooks.com") }
                             << 1 << QStringLiteral("webhook: must be an http:// or https:// URL, got 'hooks.com'");
    QTest::newRow("unknown scope") << QStringList { add, QStringLiteral("x"), kind, QStringLiteral("error_rate"),
        QStringLiteral("--threshold"), QStringLiteral("1"), QStringLiteral("--scope"), QStringLiteral("team") }
                                   << 1 << QStringLiteral("--scope: unknown scope 'team'");
    QTest::newRow("no kind") << QStringList { add, QStringLiteral("x") } << 2 << QStringLiteral("--kind: required");
    QTest::newRow("no threshold") << QStringList { add, QStringLiteral("x"), kind, QStringLiteral("error_rate") } << 2
                                  << QStringLiteral("--threshold: required for error_rate");
    QTest::newRow("unknown option") << QStringList { add, QStringLiteral("x"), QStringLiteral("--kind"),
        QStringLiteral("error_rate"), QStringLiteral("--secret-file"), QStringLiteral("f") }
                                    << 2 << QStringLiteral("unknown option '--secret-file'");
    QTest::newRow("unknown verb") << QStringList { QStringLiteral("mute") } << 2
                                  << QStringLiteral("unknown alert command 'mute' (add, list, remove)");
}

void TestAlertDelivery::cliRefusesBadValues()
{
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QByteArray out;
    QCOMPARE(test::runServerCommand(dir.path(),
                 QStringList { QStringLiteral("alert") } + args
                     + QStringList { QStringLiteral("--auth"), QStringLiteral("none") },
                 out),
        code);
    QVERIFY2(QString::fromUtf8(out).contains(message), out.constData());
}

void TestAlertDelivery::apiRefusesBadRulesAndKeysInTeamMode()
{
    QTemporaryDir dir;
    QByteArray out;
    QCOMPARE(test::runServerCommand(
                 dir.path(), { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("shop") }, out),
        0);
    QCOMPARE(test::runServerCommand(dir.path(),
                 { QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("ana@example.com"),
                     QStringLiteral("--project"), QStringLiteral("shop"), QStringLiteral("--password-stdin") },
                 out, "correct horse battery\n"),
        0);
    QCOMPARE(test::runServerCommand(
                 dir.path(), { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("shop") }, out),
        0);
    static const QRegularExpression printedKey(QStringLiteral("\\n    (\\S+)\\n"));
    const auto keyMatch = printedKey.match(QString::fromUtf8(out));
    QVERIFY(keyMatch.hasMatch());
    const std::string key = keyMatch.captured(1).toStdString();

    QProcess server;
    const int port = test::startServerProcess(server,
        { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir.path() }, 30000);
    QVERIFY(port > 0);
    test::HttpClient client("127.0.0.1", port);
    auto login = client.post("/api/v1/auth/login",
        nlohmann::json { { "email", "ana@example.com" }, { "password", "correct horse battery" } }.dump(),
        "application/json");
    QCOMPARE(login->status, 200);
    const std::string token = json(login)["token"];
    const test::HttpClient::Headers person { { "Authorization", "Bearer " + token } };
    const test::HttpClient::Headers exporter { { "Authorization", "Bearer " + key } };
    const nlohmann::json good = { { "name", "slow" }, { "kind", "p95_latency" }, { "threshold", 1500 } };

    // No credentials, an API key: refused; a signed-in member: made.
    QCOMPARE(client.post("/api/v1/alerts/rules", good.dump(), "application/json")->status, 401);
    auto byKey = client.post("/api/v1/alerts/rules", exporter, good.dump(), "application/json");
    QCOMPARE(byKey->status, 403);
    QVERIFY(byKey->body.find("needs a sign-in session") != std::string::npos);
    QCOMPARE(client.post("/api/v1/alerts/rules", person, good.dump(), "application/json")->status, 201);
    // Reading works with the key too (the project's rules).
    auto listed = client.get("/api/v1/alerts/rules", exporter);
    QCOMPARE(listed->status, 200);
    QCOMPARE(json(listed)["rules"][0]["name"].get<std::string>(), std::string("slow"));
    QCOMPARE(json(listed)["rules"][0]["window_minutes"].get<int>(), 5);

    struct Bad
    {
        nlohmann::json body;
        std::string message;
    };
    const std::vector<Bad> bad = {
        { { { "name", "x" }, { "kind", "latency" }, { "threshold", 1 } }, "kind: unknown kind 'latency'" },
        { { { "name", "x" }, { "kind", "error_rate" }, { "threshold", -1 } }, "threshold: must be a number >= 0" },
        { { { "name", "x" }, { "kind", "error_rate" }, { "threshold", 1 }, { "window_minutes", 0 } },
            "window_minutes: must be from 1 to 1440" },
        { { { "name", "x" }, { "kind", "error_rate" }, { "threshold", 1 }, { "webhook_url", "javascript:alert(1)" } },
            "webhook: must be an http:// or https:// URL" },
        { { { "name", "slow" }, { "kind", "error_rate" }, { "threshold", 1 } },
            "name: a rule named 'slow' exists already" },
    };
    for (const auto &b : bad) {
        auto res = client.post("/api/v1/alerts/rules", person, b.body.dump(), "application/json");
        QCOMPARE(res->status, 400);
        QVERIFY2(json(res)["error"]["message"].get<std::string>().find(b.message) == 0, res->body.c_str());
    }
    auto notJson = client.post("/api/v1/alerts/rules", person, "{", "application/json");
    QCOMPARE(notJson->status, 400);
    QCOMPARE(client.del("/api/v1/alerts/rules/abc", person)->status, 400);
    QCOMPARE(client.del("/api/v1/alerts/rules/1", exporter)->status, 403);
    QCOMPARE(client.get("/api/v1/alerts?limit=0", person)->status, 400);
    QCOMPARE(client.del("/api/v1/alerts/rules/1", person)->status, 204);
    stop(server);
}

QTEST_GUILESS_MAIN(TestAlertDelivery)
#include "tst_alertdelivery.moc"
