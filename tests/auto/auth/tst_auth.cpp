// SPDX-License-Identifier: MIT
#include "server/accounts.h"
#include "server/admin.h"
#include "server/apiserver.h"
#include "server/projectstores.h"
#include "store/sqliteauthstore.h"
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/rawconnection.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <utility>

using namespace agentops;
using nlohmann::json;

namespace {

/// A native ingest batch of one span in trace `traceHex`.
std::string batch(const std::string &traceHex, const std::string &service)
{
    return "{\"trace\":{\"trace_id\":\"" + traceHex + "\",\"service_name\":\"" + service
        + "\"},\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"agent run\",\"kind\":\"agent\","
          "\"start_time_unix_nano\":1764086400000000000,\"end_time_unix_nano\":1764086401000000000}]}";
}

const std::string kTraceA = "0af7651916cd43dd8448eb211c80319c";
const std::string kTraceB = "1bf7651916cd43dd8448eb211c80319d";

/// A team server on a free loopback port, its account and project stores in a temporary directory.
class TeamServer
{
public:
    explicit TeamServer(server::SessionPolicy policy = {}, server::ServerConfig config = {})
        : authStore(std::make_unique<store::SqliteAuthStore>(dir.filePath(QStringLiteral("agentops.db")).toStdString()))
        , accounts(*authStore, std::move(policy))
        , log(server::Log::Format::Text, devNull())
    {
        const std::string projectsDir = dir.filePath(QStringLiteral("projects")).toStdString();
        projects = std::make_unique<server::ProjectStores>(
            [projectsDir](const store::Project &p) -> std::unique_ptr<store::TraceStore> {
                std::filesystem::create_directories(projectsDir);
                return std::make_unique<store::SqliteStore>(projectsDir + "/" + std::to_string(p.id) + ".db");
            },
            store::IngestPipeline::Options {}, nullptr);
        config.port = 0;
        config.worker_threads = 8;
        api = std::make_unique<server::ApiServer>(accounts, *projects, config, log);
        std::string error;
        if (!api->bind(error))
            qFatal("bind: %s", error.c_str());
        thread = std::thread([this] { api->run(); });
    }
    ~TeamServer()
    {
        api->stop();
        thread.join();
        projects->stopAll();
    }

    test::HttpClient client() const
    {
        test::HttpClient c("127.0.0.1", api->port());
        c.setTimeout(std::chrono::seconds(30));
        return c;
    }

    QTemporaryDir dir;
    std::unique_ptr<store::AuthStore> authStore;
    server::Accounts accounts;
    server::Log log;
    std::unique_ptr<server::ProjectStores> projects;
    std::unique_ptr<server::ApiServer> api;
    std::thread thread;

private:
    static std::FILE *devNull()
    {
        static std::FILE *f = std::fopen("/dev/null", "w");
        return f;
    }
};

/// Runs an admin command as agentops-server does, a prompt answered with password (none: no
/// password to give); what it printed, output and errors, in out.
int runAdmin(server::Accounts &accounts, const std::string &command, const std::vector<std::string> &args,
    std::string &out, const std::string &password = {})
{
    char *buf = nullptr;
    std::size_t len = 0;
    std::FILE *mem = ::open_memstream(&buf, &len);
    const int rc = server::runAdminCommand(
        command, args, accounts,
        [&](const std::string &, std::string &pw) {
            pw = password;
            return !pw.empty();
        },
        mem, mem);
    std::fclose(mem);
    out.assign(buf, len);
    std::free(buf);
    return rc;
}

test::HttpClient::Headers bearer(const std::string &token)
{
    return { { "Authorization", "Bearer " + token } };
}

json body(const test::HttpResult &res)
{
    return json::parse(res->body, nullptr, false);
}

std::string login(TeamServer &s, const std::string &email, const std::string &password, int expectStatus = 200)
{
    auto c = s.client();
    const json req = { { "email", email }, { "password", password } };
    auto res = c.post("/api/v1/auth/login", req.dump(), "application/json");
    if (!res || res->status != expectStatus)
        return {};
    return expectStatus == 200 ? body(res)["token"].get<std::string>() : res->body;
}

} // namespace

class TestAuth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void passwordsAreArgon2idAndSecretsAre256Bit()
    {
        const std::string hash = server::Accounts::hashPassword("correct horse");
        QVERIFY2(hash.rfind("$argon2id$", 0) == 0, hash.c_str());
        QVERIFY(server::Accounts::verifyPassword(hash, "correct horse"));
        QVERIFY(!server::Accounts::verifyPassword(hash, "correct hors"));
        QVERIFY(server::Accounts::hashPassword("correct horse") != hash); // salted

        const std::string a = server::Accounts::newSecret("aok_");
        const std::string b = server::Accounts::newSecret("aok_");
        QCOMPARE(a.size(), std::size_t(4 + 43)); // 32 bytes in unpadded base64url
        QVERIFY(a != b);
        QCOMPARE(server::Accounts::sha256Hex("abc"),
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void secretsAreStoredOnlyAsHashes()
    {
        TeamServer s;
        const auto project = s.authStore->addProject("alpha", 0);
        const auto user = s.accounts.addUser("Ana@Example.com", "Ana", "s3cret-pass");
        QCOMPARE(user.email, std::string("ana@example.com"));
        const auto key = s.accounts.createKey(project.id, "ci");
        const std::string token = login(s, "ana@example.com", "s3cret-pass");
        QVERIFY(!token.empty());
        s.projects->stopAll();

        QFile db(s.dir.filePath(QStringLiteral("agentops.db")));
        QVERIFY(db.open(QIODevice::ReadOnly));
        QByteArray all = db.readAll();
        QFile wal(s.dir.filePath(QStringLiteral("agentops.db-wal")));
        if (wal.open(QIODevice::ReadOnly))
            all += wal.readAll();
        QVERIFY(!all.isEmpty());
        QVERIFY2(!all.contains(QByteArray::fromStdString(key.secret)), "the API key is not stored");
        QVERIFY2(!all.contains(QByteArray::fromStdString(token)), "the session token is not stored");
        QVERIFY2(!all.contains("s3cret-pass"), "the password is not stored");
        QVERIFY(all.contains(QByteArray::fromStdString(server::Accounts::sha256Hex(key.secret))));
    }

    void signInWithWrongPasswordOrUnknownEmailIsRefusedAlike()
    {
        TeamServer s;
        s.accounts.addUser("ana@example.com", "Ana", "s3cret-pass");
        const std::string wrong = login(s, "ana@example.com", "nope-nope", 401);
        const std::string unknown = login(s, "bob@example.com", "nope-nope", 401);
        QVERIFY(!wrong.empty());
        QCOMPARE(wrong, unknown);
        QVERIFY2(wrong.find("wrong email or password") != std::string::npos, wrong.c_str());

        auto c = s.client();
        auto res = c.post("/api/v1/auth/login", "{\"email\":\"ana@example.com\"}", "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 400);
        QCOMPARE(body(res)["error"]["message"].get<std::string>(), std::string("password: required"));
        res = c.post("/api/v1/auth/login", "not json", "application/json");
        QCOMPARE(res->status, 400);

        // A disabled account cannot sign in, and its sessions end.
        const std::string token = login(s, "ana@example.com", "s3cret-pass");
        QVERIFY(!token.empty());
        const auto user = s.authStore->userByEmail("ana@example.com");
        s.authStore->setUserDisabled(user->id, true);
        QVERIFY(login(s, "ana@example.com", "s3cret-pass", 401).find("disabled") != std::string::npos);
        res = c.get("/api/v1/me", bearer(token));
        QCOMPARE(res->status, 401);
        QVERIFY(body(res)["error"]["message"].get<std::string>().find("disabled") != std::string::npos);
    }

    void sessionSignInMeAndSignOut()
    {
        TeamServer s;
        const auto alpha = s.authStore->addProject("alpha", 0);
        const auto user = s.accounts.addUser("ana@example.com", "Ana", "s3cret-pass");
        s.authStore->addMember(alpha.id, user.id);
        auto c = s.client();

        auto res = c.get("/api/v1/traces");
        QVERIFY(res);
        QCOMPARE(res->status, 401);
        QVERIFY(res->hasHeader("WWW-Authenticate"));
        QCOMPARE(body(res)["error"]["code"].get<std::string>(), std::string("unauthorized"));

        const json req = { { "email", "ana@example.com" }, { "password", "s3cret-pass" } };
        res = c.post("/api/v1/auth/login", req.dump(), "application/json");
        QCOMPARE(res->status, 200);
        const json answer = body(res);
        const std::string token = answer["token"];
        QVERIFY(token.rfind("aos_", 0) == 0);
        QCOMPARE(answer["user"]["email"].get<std::string>(), std::string("ana@example.com"));
        QCOMPARE(answer["projects"].size(), std::size_t(1));
        QCOMPARE(answer["projects"][0]["name"].get<std::string>(), std::string("alpha"));

        res = c.get("/api/v1/me", bearer(token));
        QCOMPARE(res->status, 200);
        QCOMPARE(body(res)["user"]["name"].get<std::string>(), std::string("Ana"));
        QVERIFY(body(res)["api_key"].is_null());
        res = c.get("/api/v1/traces", bearer(token));
        QCOMPARE(res->status, 200);

        res = c.post("/api/v1/auth/logout", bearer(token), "", "application/json");
        QCOMPARE(res->status, 204);
        res = c.get("/api/v1/traces", bearer(token));
        QCOMPARE(res->status, 401);
        QVERIFY(body(res)["error"]["message"].get<std::string>().find("signed out") != std::string::npos);
    }

    void sessionsExpireWhenIdleAndAtTheirLifetime()
    {
        // The server's clock is the test's: time moves on without waiting, exactly to each edge.
        using namespace std::chrono_literals;
        auto now = std::make_shared<std::atomic<std::int64_t>>(server::Accounts::nowNs());
        const auto advance = [&now](std::chrono::nanoseconds d) { *now += d.count(); };
        {
            server::SessionPolicy idle;
            idle.idle_timeout = 1s;
            idle.clock = [now] { return now->load(); };
            TeamServer s(idle);
            s.authStore->addMember(
                s.authStore->addProject("alpha", 0).id, s.accounts.addUser("ana@example.com", "", "s3cret-pass").id);
            const std::string token = login(s, "ana@example.com", "s3cret-pass");
            auto c = s.client();
            QCOMPARE(c.get("/api/v1/traces", bearer(token))->status, 200);
            advance(999ms); // not yet idle for a second
            QCOMPARE(c.get("/api/v1/traces", bearer(token))->status, 200);
            advance(1s);
            auto res = c.get("/api/v1/traces", bearer(token));
            QCOMPARE(res->status, 401);
            QVERIFY(body(res)["error"]["message"].get<std::string>().find("expired") != std::string::npos);
        }
        {
            // Used every 400 ms, so never idle for long, but past its lifetime all the same.
            server::SessionPolicy lifetime;
            lifetime.idle_timeout = 1s;
            lifetime.lifetime = 2s;
            lifetime.clock = [now] { return now->load(); };
            TeamServer s(lifetime);
            s.authStore->addMember(
                s.authStore->addProject("alpha", 0).id, s.accounts.addUser("ana@example.com", "", "s3cret-pass").id);
            const std::string token = login(s, "ana@example.com", "s3cret-pass");
            auto c = s.client();
            for (int i = 0; i < 4; ++i) {
                QCOMPARE(c.get("/api/v1/traces", bearer(token))->status, 200);
                advance(400ms);
            }
            advance(399ms); // 1.999 s after sign-in
            QCOMPARE(c.get("/api/v1/traces", bearer(token))->status, 200);
            advance(1ms);
            QCOMPARE(c.get("/api/v1/traces", bearer(token))->status, 401);
        }
    }

    void ingestNeedsAProjectKeyAndFilesSpansUnderItsProject()
    {
        TeamServer s;
        const auto alpha = s.authStore->addProject("alpha", 0);
        const auto beta = s.authStore->addProject("beta", 0);
        const auto alphaKey = s.accounts.createKey(alpha.id, "ingest");
        const auto betaKey = s.accounts.createKey(beta.id, "ingest");
        QVERIFY(alphaKey.secret.rfind("aok_", 0) == 0);
        auto c = s.client();

        // No key: 401 in the request's encoding, body unread.
        auto res = c.post("/api/v1/ingest", batch(kTraceA, "svc"), "application/json");
        QCOMPARE(res->status, 401);
        res = c.post("/v1/traces", "{}", "application/json");
        QCOMPARE(res->status, 401);
        QCOMPARE(body(res)["code"].get<int>(), 16); // google.rpc UNAUTHENTICATED
        res = c.post("/v1/traces", std::string(), "application/x-protobuf");
        QCOMPARE(res->status, 401);
        res = c.post("/v1/traces", bearer("aok_not-a-key"), "{}", "application/json");
        QCOMPARE(res->status, 401);

        // A session token is not an ingest credential.
        s.authStore->addMember(alpha.id, s.accounts.addUser("ana@example.com", "", "s3cret-pass").id);
        const std::string token = login(s, "ana@example.com", "s3cret-pass");
        res = c.post("/api/v1/ingest", bearer(token), batch(kTraceA, "svc"), "application/json");
        QCOMPARE(res->status, 403);

        // Bearer and x-api-key both work; each key's spans land in its own project.
        res = c.post("/api/v1/ingest", bearer(alphaKey.secret), batch(kTraceA, "alpha-svc"), "application/json");
        QCOMPARE(res->status, 200);
        res = c.post(
            "/api/v1/ingest", { { "x-api-key", betaKey.secret } }, batch(kTraceB, "beta-svc"), "application/json");
        QCOMPARE(res->status, 200);

        // Reading with the keys: each sees only its own project's trace.
        res = c.get("/api/v1/traces", bearer(alphaKey.secret));
        QCOMPARE(res->status, 200);
        QCOMPARE(body(res)["traces"].size(), std::size_t(1));
        QCOMPARE(body(res)["traces"][0]["trace_id"].get<std::string>(), kTraceA);
        QCOMPARE(c.get("/api/v1/traces/" + kTraceA, bearer(alphaKey.secret))->status, 200);
        QCOMPARE(c.get("/api/v1/traces/" + kTraceA, bearer(betaKey.secret))->status, 404);
        QCOMPARE(c.get("/api/v1/traces/" + kTraceB, bearer(alphaKey.secret))->status, 404);
        res = c.get("/api/v1/traces?project=alpha", bearer(betaKey.secret));
        QCOMPARE(res->status, 403);
        // A key cannot file spans under another project either.
        res = c.post("/api/v1/ingest?project=beta", bearer(alphaKey.secret), batch(kTraceB, "x"), "application/json");
        QCOMPARE(res->status, 403);

        // The same trace id sent to two projects stays two separate traces.
        res = c.post("/api/v1/ingest", bearer(betaKey.secret), batch(kTraceA, "beta-svc"), "application/json");
        QCOMPARE(res->status, 200);
        res = c.get("/api/v1/traces/" + kTraceA, bearer(alphaKey.secret));
        QCOMPARE(body(res)["trace"]["service_name"].get<std::string>(), std::string("alpha-svc"));
        res = c.get("/api/v1/traces/" + kTraceA, bearer(betaKey.secret));
        QCOMPARE(body(res)["trace"]["service_name"].get<std::string>(), std::string("beta-svc"));
    }

    void queriesReachOnlyTheCallersProjects()
    {
        TeamServer s;
        const auto alpha = s.authStore->addProject("alpha", 0);
        const auto beta = s.authStore->addProject("beta", 0);
        const auto gamma = s.authStore->addProject("gamma", 0);
        const auto ana = s.accounts.addUser("ana@example.com", "", "s3cret-pass");
        s.authStore->addMember(alpha.id, ana.id);
        s.authStore->addMember(beta.id, ana.id);
        auto c = s.client();
        QCOMPARE(c.post("/api/v1/ingest", bearer(s.accounts.createKey(gamma.id, "").secret), batch(kTraceA, "g"),
                      "application/json")
                     ->status,
            200);
        const std::string token = login(s, "ana@example.com", "s3cret-pass");

        // Two projects: the query must say which.
        auto res = c.get("/api/v1/traces", bearer(token));
        QCOMPARE(res->status, 400);
        QVERIFY(body(res)["error"]["message"].get<std::string>().find("project: required, one of alpha, beta")
            != std::string::npos);
        QCOMPARE(c.get("/api/v1/traces?project=alpha", bearer(token))->status, 200);
        QCOMPARE(c.get("/api/v1/traces?project=" + std::to_string(beta.id), bearer(token))->status, 200);
        res = c.get("/api/v1/traces?project=gamma", bearer(token));
        QCOMPARE(res->status, 403);
        QCOMPARE(body(res)["error"]["code"].get<std::string>(), std::string("forbidden"));
        QCOMPARE(c.get("/api/v1/traces/" + kTraceA + "?project=gamma", bearer(token))->status, 403);
        QCOMPARE(c.get("/api/v1/metrics?project=gamma&from=0&to=1", bearer(token))->status, 403);
        QCOMPARE(c.get("/api/v1/sessions?project=nope", bearer(token))->status, 403);

        res = c.get("/api/v1/projects", bearer(token));
        QCOMPARE(res->status, 200);
        QCOMPARE(body(res)["projects"].size(), std::size_t(2));
    }

    void revokedAndRotatedKeysAreRefused()
    {
        TeamServer s;
        const auto alpha = s.authStore->addProject("alpha", 0);
        const auto ana = s.accounts.addUser("ana@example.com", "", "s3cret-pass");
        s.authStore->addMember(alpha.id, ana.id);
        const std::string token = login(s, "ana@example.com", "s3cret-pass");
        auto c = s.client();

        // Keys managed over HTTP by a signed-in member.
        auto res = c.post("/api/v1/projects/alpha/keys", bearer(token), "{\"name\":\"exporter\"}", "application/json");
        QCOMPARE(res->status, 201);
        const std::string first = body(res)["secret"];
        const std::int64_t firstId = body(res)["key"]["id"];
        QCOMPARE(body(res)["key"]["prefix"].get<std::string>(), first.substr(0, 10));
        QCOMPARE(c.post("/api/v1/ingest", bearer(first), batch(kTraceA, "s"), "application/json")->status, 200);

        // An API key cannot manage keys.
        QCOMPARE(c.post("/api/v1/projects/alpha/keys", bearer(first), "{}", "application/json")->status, 403);

        res = c.post("/api/v1/keys/" + std::to_string(firstId) + "/rotate", bearer(token), "", "application/json");
        QCOMPARE(res->status, 201);
        const std::string second = body(res)["secret"];
        const std::int64_t secondId = body(res)["key"]["id"];
        QVERIFY(second != first);
        res = c.post("/api/v1/ingest", bearer(first), batch(kTraceB, "s"), "application/json");
        QCOMPARE(res->status, 401);
        QVERIFY(body(res)["error"]["message"].get<std::string>().find("revoked") != std::string::npos);
        QCOMPARE(c.post("/api/v1/ingest", bearer(second), batch(kTraceB, "s"), "application/json")->status, 200);

        res = c.get("/api/v1/projects/alpha/keys", bearer(token));
        QCOMPARE(res->status, 200);
        QCOMPARE(body(res)["keys"].size(), std::size_t(2));
        QVERIFY(body(res).dump().find(second) == std::string::npos); // listings never show secrets

        QCOMPARE(c.del("/api/v1/keys/" + std::to_string(secondId), bearer(token))->status, 204);
        QCOMPARE(c.get("/api/v1/traces", bearer(second))->status, 401);
        // A key of a project the caller is not a member of cannot be touched.
        const auto other = s.authStore->addProject("other", 0);
        const auto otherKey = s.accounts.createKey(other.id, "");
        // Answered like a missing key, so key ids of other projects cannot be probed; nor can
        // anyone's without credentials.
        QCOMPARE(c.del("/api/v1/keys/" + std::to_string(otherKey.key.id), bearer(token))->status, 404);
        QCOMPARE(c.del("/api/v1/keys/" + std::to_string(otherKey.key.id))->status, 401);
        QCOMPARE(c.del("/api/v1/keys/999999")->status, 401);
        QCOMPARE(c.get("/api/v1/traces", bearer(otherKey.secret))->status, 200);
    }

    void rateLimitsAnswer429WithRetryAfter();
    void wrongSignInsFromManyAddressesDoNotLockTheUserOut();
    void logoutWithoutABodyIsAnsweredAtOnce();
    void smallRoutesRefuseBigOrCompressedBodies();
    void keysPerProjectAreCapped();
    void corsAllowsOnlyConfiguredOrigins();
    void metricsCountIngestAndRejections();

    void adminCommandsManageUsersProjectsAndKeys()
    {
        TeamServer s;
        auto run = [&](const std::string &command, const std::vector<std::string> &args, std::string &out,
                       const std::string &password = "correct horse battery") {
            return runAdmin(s.accounts, command, args, out, password);
        };
        std::string out;
        QCOMPARE(run("project", { "create", "support-bot", "--retention-days", "30" }, out), 0);
        QCOMPARE(run("project", { "create", "support-bot" }, out), 1);
        QVERIFY2(out.find("already exists") != std::string::npos, out.c_str());
        QCOMPARE(run("project", { "create", "Bad Name" }, out), 1);
        QVERIFY2(out.find("project name:") != std::string::npos, out.c_str());
        QCOMPARE(run("user", { "add", "ana@example.com", "--name", "Ana", "--project", "support-bot" }, out), 0);
        QCOMPARE(run("user", { "add", "bob@example.com" }, out, "short"), 1);
        QVERIFY2(out.find("at least 8") != std::string::npos, out.c_str());
        QCOMPARE(run("user", { "list" }, out), 0);
        QVERIFY2(out.find("ana@example.com") != std::string::npos && out.find("support-bot") != std::string::npos,
            out.c_str());
        QCOMPARE(run("key", { "create", "support-bot", "--name", "prod" }, out), 0);
        const auto at = out.find("aok_");
        QVERIFY(at != std::string::npos);
        const std::string key = out.substr(at, 47);

        auto c = s.client();
        QCOMPARE(c.post("/api/v1/ingest", bearer(key), batch(kTraceA, "s"), "application/json")->status, 200);
        QVERIFY(!login(s, "ana@example.com", "correct horse battery").empty());
        QCOMPARE(run("key", { "list" }, out), 0);
        QVERIFY2(out.find(key) == std::string::npos && out.find("active") != std::string::npos, out.c_str());
        QCOMPARE(run("key", { "revoke", "1" }, out), 0);
        QCOMPARE(c.post("/api/v1/ingest", bearer(key), batch(kTraceB, "s"), "application/json")->status, 401);
        QCOMPARE(run("key", { "revoke", "1" }, out), 1);
        QCOMPARE(run("key", { "frobnicate" }, out), 2);
        // A key Ana made over HTTP goes when she is disabled; the admin's key stays.
        const std::string anaToken = login(s, "ana@example.com", "correct horse battery");
        auto made
            = c.post("/api/v1/projects/support-bot/keys", bearer(anaToken), "{\"name\":\"ana's\"}", "application/json");
        QCOMPARE(made->status, 201);
        const std::string anasKey = body(made)["secret"];
        QCOMPARE(body(made)["key"]["created_by_user_id"].get<std::int64_t>(),
            s.authStore->userByEmail("ana@example.com")->id);
        QCOMPARE(run("key", { "create", "support-bot", "--name", "deploy" }, out), 0);
        const std::string adminKey = out.substr(out.find("aok_"), 47);
        QCOMPARE(c.get("/api/v1/traces", bearer(anasKey))->status, 200);
        QCOMPARE(run("user", { "disable", "ana@example.com" }, out), 0);
        QVERIFY2(out.find("1 API key(s)") != std::string::npos, out.c_str());
        QCOMPARE(c.get("/api/v1/traces", bearer(anasKey))->status, 401);
        QCOMPARE(c.get("/api/v1/traces", bearer(adminKey))->status, 200);
        QVERIFY(login(s, "ana@example.com", "correct horse battery", 401).find("disabled") != std::string::npos);
        QCOMPARE(run("project", { "list" }, out), 0);
        QVERIFY2(out.find("30d") != std::string::npos, out.c_str());
    }

    void projectPriceOverridesPriceItsSpans()
    {
        TeamServer s;
        const auto priced = s.authStore->addProject("priced", 0);
        const auto plain = s.authStore->addProject("plain", 0);
        const auto pricedKey = s.accounts.createKey(priced.id, "");
        const auto plainKey = s.accounts.createKey(plain.id, "");
        QTemporaryDir dir;
        const std::string file = dir.filePath(QStringLiteral("prices.json")).toStdString();
        auto write = [&](const std::string &text) {
            std::FILE *f = std::fopen(file.c_str(), "w");
            std::fputs(text.c_str(), f);
            std::fclose(f);
        };
        auto run = [&](const std::vector<std::string> &args, std::string &out) {
            return runAdmin(s.accounts, "project", args, out);
        };
        std::string out;
        write("{\"format\":1,\"rows\":[{\"id\":\"acme\",\"provider\":\"acme\",\"models\":[\"acme-llm-1\"],"
              "\"prices\":{\"input\":1.0,\"outptu\":2.0},\"as_of\":\"2026-11-01\"}]}");
        QCOMPARE(run({ "prices", "priced", file }, out), 1);
        QVERIFY2(out.find("outptu") != std::string::npos, out.c_str()); // names the bad field
        QCOMPARE(s.authStore->projectById(priced.id)->prices_json, std::string());
        write("{\"format\":1,\"rows\":[{\"id\":\"acme\",\"provider\":\"acme\",\"models\":[\"acme-llm-1\"],"
              "\"prices\":{\"input\":1.0,\"output\":2.0},\"as_of\":\"2026-11-01\"}]}");
        QCOMPARE(run({ "prices", "priced", file }, out), 0);

        const std::string llm = "{\"trace\":{\"trace_id\":\"" + kTraceA
            + "\",\"service_name\":\"s\"},\"spans\":[{\"span_id\":\"b7ad6b7169203331\",\"name\":\"chat\","
              "\"kind\":\"llm\",\"model\":\"acme-llm-1\",\"tokens\":{\"input\":1000,\"output\":500},"
              "\"start_time_unix_nano\":1764086400000000000,\"end_time_unix_nano\":1764086401000000000}]}";
        auto c = s.client();
        QCOMPARE(c.post("/api/v1/ingest", bearer(pricedKey.secret), llm, "application/json")->status, 200);
        QCOMPARE(c.post("/api/v1/ingest", bearer(plainKey.secret), llm, "application/json")->status, 200);
        auto res = c.get("/api/v1/traces/" + kTraceA, bearer(pricedKey.secret));
        QCOMPARE(res->status, 200);
        auto span = body(res)["spans"][0];
        QCOMPARE(span["cost_usd"].get<double>(), 0.002); // 1000 at $1/M + 500 at $2/M
        QCOMPARE(span["price_ref"].get<std::string>(), std::string("acme@2026-11-01"));
        res = c.get("/api/v1/traces/" + kTraceA, bearer(plainKey.secret));
        QVERIFY2(body(res)["spans"][0]["cost_usd"].is_null(), res->body.c_str()); // no price, not $0
        res = c.get("/api/v1/models/prices", bearer(pricedKey.secret));
        QVERIFY(res->body.find("acme-llm-1") != std::string::npos);
        res = c.get("/api/v1/models/prices", bearer(plainKey.secret));
        QVERIFY(res->body.find("acme-llm-1") == std::string::npos);

        // Back to the server's table: new spans of the project are unpriced again.
        QCOMPARE(run({ "prices", "priced", "none" }, out), 0);
        const std::string again = std::string(llm).replace(llm.find(kTraceA), kTraceA.size(), kTraceB);
        QCOMPARE(c.post("/api/v1/ingest", bearer(pricedKey.secret), again, "application/json")->status, 200);
        res = c.get("/api/v1/traces/" + kTraceB, bearer(pricedKey.secret));
        QVERIFY(body(res)["spans"][0]["cost_usd"].is_null());
    }
};

void TestAuth::rateLimitsAnswer429WithRetryAfter()
{
    server::ServerConfig config;
    config.key_rate = 0.5;
    config.key_burst = 2;
    config.login_rate = 0.01;
    config.login_burst = 2;
    TeamServer s({}, config);
    const auto alpha = s.authStore->addProject("alpha", 0);
    const auto first = s.accounts.createKey(alpha.id, "a");
    const auto second = s.accounts.createKey(alpha.id, "b");
    auto c = s.client();
    QCOMPARE(c.get("/api/v1/traces", bearer(first.secret))->status, 200);
    QCOMPARE(c.get("/api/v1/traces", bearer(first.secret))->status, 200);
    auto res = c.get("/api/v1/traces", bearer(first.secret));
    QCOMPARE(res->status, 429);
    QCOMPARE(body(res)["error"]["code"].get<std::string>(), std::string("rate_limited"));
    QVERIFY(std::stoi(res->header("Retry-After")) >= 1);
    // OTLP ingest over the limit: 429 with google.rpc RESOURCE_EXHAUSTED, which exporters retry.
    res = c.post("/v1/traces", bearer(first.secret), "{}", "application/json");
    QCOMPARE(res->status, 429);
    QCOMPARE(body(res)["code"].get<int>(), 8);
    QVERIFY(res->hasHeader("Retry-After"));
    // Another key has its own bucket.
    QCOMPARE(c.get("/api/v1/traces", bearer(second.secret))->status, 200);

    // Sign-in attempts per client address.
    s.accounts.addUser("ana@example.com", "", "s3cret-pass");
    login(s, "ana@example.com", "wrong-pass", 401);
    login(s, "ana@example.com", "wrong-pass", 401);
    const std::string limited = login(s, "ana@example.com", "s3cret-pass", 429);
    QVERIFY2(limited.find("sign-in attempts") != std::string::npos, limited.c_str());

    // Per client address, whatever the credentials; probes are never limited.
    server::ServerConfig perClient;
    perClient.client_rate = 0.5;
    perClient.client_burst = 3;
    TeamServer t({}, perClient);
    auto tc = t.client();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(tc.get("/api/v1/traces")->status, 401);
    res = tc.get("/api/v1/traces");
    QCOMPARE(res->status, 429);
    QVERIFY(res->hasHeader("Retry-After"));
    QCOMPARE(tc.get("/healthz")->status, 200);
    QCOMPARE(tc.get("/metrics")->status, 200);
}

void TestAuth::wrongSignInsFromManyAddressesDoNotLockTheUserOut()
{
    // Someone guesses the user's password with one wrong attempt after another, each from a new
    // address. The account is slowed down for everyone, but not locked: the user, signing in from
    // their own address, gets in every time. (Limited per account alone, the attacker's attempts
    // used up the account's allowance and the user got 429.)
    server::ServerConfig config;
    config.login_rate = 0.2;
    config.login_burst = 4;
    TeamServer s({}, config);
    s.accounts.addUser("ana@example.com", "", "s3cret-pass");
    const std::string wrong = json({ { "email", "ana@example.com" }, { "password", "guess" } }).dump();
    std::atomic<bool> done { false };
    std::atomic<int> attempts { 0 };
    std::atomic<long long> slowestAttempt { 0 };
    std::thread attacker([&] {
        for (int i = 0; !done && i < 200; ++i) {
            test::HttpClient c("127.0.0.1", s.api->port());
            c.setLocalAddress("127.0.1." + std::to_string(2 + i % 250));
            const auto t = std::chrono::steady_clock::now();
            const auto res = c.post("/api/v1/auth/login", wrong, "application/json");
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t);
            if (res && res->status == 401) {
                ++attempts;
                slowestAttempt = std::max(slowestAttempt.load(), static_cast<long long>(ms.count()));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    // More wrong attempts than the account's allowance would have held.
    for (int i = 0; i < 300 && attempts < 6; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    QVERIFY(attempts >= 6);
    int signedIn = 0;
    long long slowest = 0;
    for (int i = 0; i < 4; ++i) {
        const auto t = std::chrono::steady_clock::now();
        signedIn += !login(s, "ana@example.com", "s3cret-pass").empty();
        slowest = std::max<long long>(slowest,
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count());
    }
    done = true;
    attacker.join();
    qInfo("%d wrong attempts from other addresses; the user's slowest sign-in took %lld ms, the attacker's "
          "slowest attempt %lld ms",
        attempts.load(), slowest, slowestAttempt.load());
    QCOMPARE(signedIn, 4);
    QVERIFY2(slowest < server::LoginLimiter::kMaxDelay.count() + 2000, std::to_string(slowest).c_str());
    // The guessing itself was slowed down.
    QVERIFY2(slowestAttempt >= 250, std::to_string(slowestAttempt.load()).c_str());
}

void TestAuth::logoutWithoutABodyIsAnsweredAtOnce()
{
    TeamServer s;
    s.accounts.addUser("ana@example.com", "", "s3cret-pass");
    const std::string token = login(s, "ana@example.com", "s3cret-pass");
    QVERIFY(!token.empty());
    // POST with neither Content-Length nor a body, as some clients send it.
    test::RawConnection conn(s.api->port());
    const auto t = std::chrono::steady_clock::now();
    QVERIFY(conn.send(
        "POST /api/v1/auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token + "\r\n\r\n"));
    const auto res = conn.readResponse(5000);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
    QVERIFY(res.complete);
    QCOMPARE(res.status, 204);
    QVERIFY2(ms < 2000, std::to_string(ms).c_str());
    QCOMPARE(s.client().get("/api/v1/me", bearer(token))->status, 401);
}

void TestAuth::smallRoutesRefuseBigOrCompressedBodies()
{
    TeamServer s;
    auto c = s.client();
    // Refused before the body is read, whoever sends it.
    auto res = c.post("/api/v1/auth/login", std::string(std::size_t { 100 } * 1024, 'x'), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 413);
    QCOMPARE(body(res)["error"]["code"].get<std::string>(), std::string("payload_too_large"));
    res = c.post("/api/v1/auth/login", { { "Content-Encoding", "gzip" } }, "{}", "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 413);
    res = c.postChunked(
        "/api/v1/auth/login",
        [](std::size_t offset) { return offset < std::size_t { 200 } * 1024 ? std::string(1024, ' ') : std::string(); },
        "application/json");
    // The server answers 413 and closes at once; the client may still be sending and see the
    // connection end instead. Either way nothing was read, and the server carries on.
    QVERIFY(!res || res->status == 413);
    QCOMPARE(s.client().get("/healthz")->status, 200);
    res = c.post("/no/such/route", std::string(std::size_t { 100 } * 1024, 'x'), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 413);

    // Signing out is for sessions: an API key is revoked instead.
    const auto alpha = s.authStore->addProject("alpha", 0);
    const auto key = s.accounts.createKey(alpha.id, "");
    res = s.client().post("/api/v1/auth/logout", bearer(key.secret), "", "application/json");
    QCOMPARE(res->status, 400);
    QVERIFY(body(res)["error"]["message"].get<std::string>().find("revoke") != std::string::npos);
    QCOMPARE(s.client().get("/api/v1/me", bearer(key.secret))->status, 200);
}

void TestAuth::keysPerProjectAreCapped()
{
    TeamServer s;
    const auto alpha = s.authStore->addProject("alpha", 0);
    for (std::size_t i = 0; i < server::Accounts::kMaxKeysPerProject; ++i)
        s.accounts.createKey(alpha.id, "k" + std::to_string(i));
    bool refused = false;
    try {
        s.accounts.createKey(alpha.id, "one too many");
    } catch (const store::QueryError &e) {
        refused = std::string(e.what()).find("revoke unused ones") != std::string::npos;
    }
    QVERIFY(refused);
    // A revoked key frees its place.
    s.authStore->revokeApiKey(s.authStore->apiKeys(alpha.id).front().id, server::Accounts::nowNs());
    QVERIFY(!s.accounts.createKey(alpha.id, "replacement").secret.empty());
}

void TestAuth::corsAllowsOnlyConfiguredOrigins()
{
    {
        TeamServer off;
        auto c = off.client();
        auto res = c.get("/healthz", { { "Origin", "https://evil.example" } });
        QCOMPARE(res->status, 200);
        QVERIFY(!res->hasHeader("Access-Control-Allow-Origin"));
        res = c.options(
            "/api/v1/traces", { { "Origin", "https://evil.example" }, { "Access-Control-Request-Method", "GET" } });
        QCOMPARE(res->status, 403);
        QVERIFY(!res->hasHeader("Access-Control-Allow-Origin"));
    }
    server::ServerConfig config;
    config.cors_origins = { "https://app.example.com" };
    config.cors_credentials = true;
    TeamServer s({}, config);
    auto c = s.client();
    auto res = c.options("/api/v1/traces",
        { { "Origin", "https://app.example.com" }, { "Access-Control-Request-Method", "GET" },
            { "Access-Control-Request-Headers", "authorization" } });
    QCOMPARE(res->status, 204);
    QCOMPARE(res->header("Access-Control-Allow-Origin"), std::string("https://app.example.com"));
    QCOMPARE(res->header("Access-Control-Allow-Credentials"), std::string("true"));
    QVERIFY(core::asciiLower(res->header("Access-Control-Allow-Headers")).find("authorization") != std::string::npos);
    res = c.options(
        "/api/v1/traces", { { "Origin", "https://evil.example" }, { "Access-Control-Request-Method", "GET" } });
    QCOMPARE(res->status, 403);
    QVERIFY(!res->hasHeader("Access-Control-Allow-Origin"));
    QVERIFY(body(res)["error"]["message"].get<std::string>().find("evil.example") != std::string::npos);
    res = c.get("/api/v1/traces", { { "Origin", "https://app.example.com" } });
    QCOMPARE(res->status, 401); // CORS does not stand in for credentials
    QCOMPARE(res->header("Access-Control-Allow-Origin"), std::string("https://app.example.com"));
    QVERIFY(res->header("Access-Control-Allow-Origin") != "*");
}

void TestAuth::metricsCountIngestAndRejections()
{
    TeamServer s;
    const auto alpha = s.authStore->addProject("alpha", 0);
    const auto key = s.accounts.createKey(alpha.id, "");
    auto c = s.client();
    QCOMPARE(c.post("/api/v1/ingest", bearer(key.secret), batch(kTraceA, "s"), "application/json")->status, 200);
    QCOMPARE(c.post("/api/v1/ingest", batch(kTraceB, "s"), "application/json")->status, 401);
    QCOMPARE(c.post("/api/v1/ingest", bearer(key.secret),
                  "{\"trace\":{\"trace_id\":\"" + kTraceB
                      + "\"},\"spans\":[{\"span_id\":\"c7ad6b7169203332\",\"name\":\"\",\"start_time_unix_nano\":1,"
                        "\"end_time_unix_nano\":2}]}",
                  "application/json")
                 ->status,
        400);
    auto res = c.get("/metrics");
    QCOMPARE(res->status, 200);
    QVERIFY(res->header("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
    const std::string text = res->body;
    auto has = [&](const std::string &line) {
        if (text.find(line) == std::string::npos)
            qWarning("missing in /metrics: %s\n%s", line.c_str(), text.c_str());
        return text.find(line) != std::string::npos;
    };
    QVERIFY(has("agentops_ingested_spans_total 1\n"));
    QVERIFY(has("agentops_rejected_ingest_requests_total{reason=\"unauthorized\"} 1\n"));
    QVERIFY(has("agentops_rejected_spans_total{reason=\"invalid\"} 1\n"));
    QVERIFY(has("# TYPE agentops_http_request_duration_seconds histogram"));
    QVERIFY(has("agentops_http_requests_total{code=\"200\",method=\"POST\"} 1\n"));
    QVERIFY(has("agentops_ingest_queue_spans 0\n"));
}

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
