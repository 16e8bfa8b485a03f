// SPDX-License-Identifier: MIT
// AuthStore: users, projects, members, API keys and sessions, against SqliteAuthStore (unit
// authstore) and, built with AGENTOPS_TEST_POSTGRES, PostgresAuthStore on a PostgreSQL server the
// test starts itself (unit postgresauthstore). Both must behave the same.
#include "store/sqliteauthstore.h"
#include "store/tracestore.h"

#include <QtTest>

#ifndef AGENTOPS_TEST_POSTGRES
#include <sqlite3.h>
#endif

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#ifdef AGENTOPS_TEST_POSTGRES
#include "store/postgresauthstore.h"
#include "support/pgserver.h"
#endif

using namespace agentops;

class TestAuthStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_seq = 0;
#ifdef AGENTOPS_TEST_POSTGRES
    std::unique_ptr<test::PgServer> m_server;
    std::string m_schema;
#else
    std::string m_path;
#endif

    std::unique_ptr<store::AuthStore> open()
    {
#ifdef AGENTOPS_TEST_POSTGRES
        m_schema = "accounts_" + std::to_string(++m_seq);
        return reopen();
#else
        m_path = m_dir.filePath(QStringLiteral("auth%1.db").arg(++m_seq)).toStdString();
        return reopen();
#endif
    }
    /// Another store over the last one's data (another server process).
    std::unique_ptr<store::AuthStore> reopen()
    {
#ifdef AGENTOPS_TEST_POSTGRES
        store::PostgresAuthStore::Options o;
        o.schema = m_schema;
        return std::make_unique<store::PostgresAuthStore>(m_server->conninfo(), o);
#else
        return std::make_unique<store::SqliteAuthStore>(m_path);
#endif
    }

    static bool refuses(const std::function<void()> &f, const char *field)
    {
        try {
            f();
        } catch (const store::QueryError &e) {
            return std::string(e.what()).rfind(field, 0) == 0;
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
#ifdef AGENTOPS_TEST_POSTGRES
        m_server = std::make_unique<test::PgServer>();
#endif
    }

    void usersAreUniqueByLowerCaseEmail()
    {
        auto db = open();
        const auto ada = db->addUser("Ada@Example.COM", "Ada", "$argon2id$hash1");
        QVERIFY(ada.id > 0);
        QCOMPARE(ada.email, std::string("ada@example.com"));
        QCOMPARE(ada.display_name, std::string("Ada"));
        QVERIFY(!ada.disabled);
        QVERIFY(ada.created_ns > 0);
        QVERIFY(refuses([&] { db->addUser("ADA@example.com", "Other", "h"); }, "email:"));
        QVERIFY(refuses([&] { db->addUser("not-an-address", "X", "h"); }, "email:"));
        QCOMPARE(db->userByEmail("ada@EXAMPLE.com")->id, ada.id);
        QVERIFY(!db->userByEmail("bob@example.com"));
        const auto bob = db->addUser("bob@example.com", "Bob", "h2");
        QCOMPARE(db->userById(bob.id)->email, std::string("bob@example.com"));
        QVERIFY(!db->userById(bob.id + 100));
        const auto all = db->users();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].email, std::string("ada@example.com"));
        QVERIFY(db->setUserDisabled(bob.id, true));
        QVERIFY(db->userById(bob.id)->disabled);
        QVERIFY(!db->setUserDisabled(bob.id + 100, true));
        QVERIFY(db->setPasswordHash(ada.id, "$argon2id$hash2"));
        QCOMPARE(db->userById(ada.id)->password_hash, std::string("$argon2id$hash2"));
        // Another process sees the same accounts.
        auto other = reopen();
        QCOMPARE(other->users().size(), std::size_t(2));
        QVERIFY(other->userById(bob.id)->disabled);
    }

    void projectsAndMembers()
    {
        auto db = open();
        const auto web = db->addProject("web-shop", 30);
        QCOMPARE(web.retention_days, 30);
        QVERIFY(refuses([&] { db->addProject("web-shop", 0); }, "project name:"));
        QVERIFY(refuses([&] { db->addProject("Bad Name", 0); }, "project name:"));
        QVERIFY(refuses([&] { db->addProject("42", 0); }, "project name:")); // could be taken for an id
        QVERIFY(refuses([&] { db->addProject("long", 36501); }, "retention days:"));
        QVERIFY(refuses([&] { db->addProject("ok", -1); }, "retention days:"));
        const auto api = db->addProject("api", 0);
        QCOMPARE(db->projectByName("api")->id, api.id);
        QVERIFY(!db->projectByName("nope"));
        QCOMPARE(db->projectById(web.id)->name, std::string("web-shop"));
        const auto all = db->projects();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].name, std::string("api"));
        QVERIFY(db->setRetentionDays(api.id, 7));
        QCOMPARE(db->projectById(api.id)->retention_days, 7);
        QVERIFY(refuses([&] { db->setRetentionDays(api.id, -3); }, "retention days:"));
        QVERIFY(!db->setRetentionDays(api.id + 100, 1));
        QCOMPARE(web.prices_json, std::string());
        const std::string prices = "{\"format\":1,\"rows\":[]}";
        QVERIFY(db->setProjectPrices(api.id, prices));
        QCOMPARE(db->projectById(api.id)->prices_json, prices);
        QCOMPARE(db->projectByName("api")->prices_json, prices);
        QCOMPARE(db->projectById(web.id)->prices_json, std::string());
        QVERIFY(!db->setProjectPrices(api.id + 100, prices));

        const auto u = db->addUser("u@example.com", "U", "h");
        db->addMember(web.id, u.id);
        db->addMember(web.id, u.id); // twice is once
        db->addMember(api.id, u.id);
        const auto mine = db->projectsOfUser(u.id);
        QCOMPARE(mine.size(), std::size_t(2));
        QCOMPARE(mine[0].name, std::string("api"));
        QVERIFY(refuses([&] { db->addMember(web.id + 100, u.id); }, "member:"));
        QVERIFY(refuses([&] { db->addMember(web.id, u.id + 100); }, "member:"));
        QVERIFY(db->removeMember(api.id, u.id));
        QVERIFY(!db->removeMember(api.id, u.id));
        QCOMPARE(db->projectsOfUser(u.id).size(), std::size_t(1));
    }

    void apiKeys()
    {
        auto db = open();
        const auto p = db->addProject("proj", 0);
        const auto q = db->addProject("other", 0);
        const auto k1 = db->addApiKey(p.id, "ci", "aok_abc", std::string(64, 'a'), 0);
        const auto k2 = db->addApiKey(q.id, "", "aok_def", std::string(64, 'b'), 0);
        QCOMPARE(k1.project_id, p.id);
        QCOMPARE(k1.revoked_ns, std::int64_t(0));
        QVERIFY(refuses([&] { db->addApiKey(p.id + 100, "x", "aok_x", std::string(64, 'c'), 0); }, "project:"));
        QCOMPARE(db->apiKeyByHash(std::string(64, 'a'))->id, k1.id);
        QVERIFY(!db->apiKeyByHash(std::string(64, 'z')));
        QCOMPARE(db->apiKeyById(k2.id)->prefix, std::string("aok_def"));
        QCOMPARE(db->apiKeys(p.id).size(), std::size_t(1));
        QCOMPARE(db->apiKeys(0).size(), std::size_t(2));
        db->touchApiKey(k1.id, 12345);
        QCOMPARE(db->apiKeyById(k1.id)->last_used_ns, std::int64_t(12345));
        QVERIFY(db->revokeApiKey(k1.id, 777));
        QVERIFY(!db->revokeApiKey(k1.id, 888)); // already revoked: keeps its time
        QCOMPARE(db->apiKeyByHash(std::string(64, 'a'))->revoked_ns, std::int64_t(777));

        // Keys a person made go with them: in one project, or in all.
        const auto ann = db->addUser("ann@example.com", "Ann", "h");
        const auto a1 = db->addApiKey(p.id, "a1", "aok_a1", std::string(64, 'd'), ann.id);
        const auto a2 = db->addApiKey(q.id, "a2", "aok_a2", std::string(64, 'e'), ann.id);
        QCOMPARE(db->apiKeyById(a1.id)->created_by, ann.id);
        QCOMPARE(db->apiKeyById(k2.id)->created_by, std::int64_t(0));
        QCOMPARE(db->revokeApiKeysOfUser(ann.id, p.id, 900), std::size_t(1));
        QCOMPARE(db->apiKeyById(a1.id)->revoked_ns, std::int64_t(900));
        QCOMPARE(db->apiKeyById(a2.id)->revoked_ns, std::int64_t(0));
        QCOMPARE(db->revokeApiKeysOfUser(ann.id, 0, 950), std::size_t(1));
        QCOMPARE(db->apiKeyById(a2.id)->revoked_ns, std::int64_t(950));
        QCOMPARE(db->apiKeyById(k2.id)->revoked_ns, std::int64_t(0)); // nobody's key stays
    }

    void sessions()
    {
        auto db = open();
        const auto u = db->addUser("s@example.com", "S", "h");
        const auto s1 = db->addSession(u.id, std::string(64, '1'), 1000, 5000);
        const auto s2 = db->addSession(u.id, std::string(64, '2'), 1100, 5100);
        QVERIFY(s1.id != s2.id);
        const auto back = db->sessionByHash(std::string(64, '1'));
        QVERIFY(back.has_value());
        QCOMPARE(back->user_id, u.id);
        QCOMPARE(back->created_ns, std::int64_t(1000));
        QCOMPARE(back->last_seen_ns, std::int64_t(1000));
        QCOMPARE(back->expires_ns, std::int64_t(5000));
        db->touchSession(s1.id, 2000);
        QCOMPARE(db->sessionByHash(std::string(64, '1'))->last_seen_ns, std::int64_t(2000));
        QVERIFY(db->revokeSession(s1.id, 3000));
        QVERIFY(!db->revokeSession(s1.id, 3500));
        QCOMPARE(db->sessionByHash(std::string(64, '1'))->revoked_ns, std::int64_t(3000));
        db->revokeSessionsOfUser(u.id, 4000);
        QCOMPARE(db->sessionByHash(std::string(64, '2'))->revoked_ns, std::int64_t(4000));
        QCOMPARE(db->sessionByHash(std::string(64, '1'))->revoked_ns, std::int64_t(3000));
        QVERIFY(!db->sessionByHash(std::string(64, '3')));
        QVERIFY_THROWS_EXCEPTION(store::StoreError, db->addSession(u.id + 100, std::string(64, '4'), 1, 2));
    }

    void adminsAndAuditLog()
    {
        auto db = open();
        const auto u = db->addUser("Ana@Example.com", "Ana", "hash");
        QVERIFY(!u.admin);
        QVERIFY(db->setUserAdmin(u.id, true));
        QVERIFY(db->userById(u.id)->admin);
        QVERIFY(db->userByEmail("ana@example.com")->admin);
        QVERIFY(db->users().front().admin);
        QVERIFY(!db->setUserAdmin(u.id + 100, true));
        QVERIFY(db->setUserAdmin(u.id, false));
        QVERIFY(!reopen()->userById(u.id)->admin);

        QVERIFY(db->auditLog(0, 10).empty());
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 5; ++i) {
            store::AuditEntry e;
            e.actor = "cli:root";
            e.action = i == 4 ? "erase" : "key.create";
            e.target = "key " + std::to_string(i) + " of project demo \xe2\x80\x94 \"quoted\"";
            e.details = i == 4 ? "{\"traces\":2,\"spans\":9}" : "";
            e.time_ns = i == 0 ? 1'000 : 0;
            const auto added = db->addAudit(e);
            QVERIFY(added.id > (ids.empty() ? 0 : ids.back()));
            QCOMPARE(added.time_ns > 0, true);
            ids.push_back(added.id);
        }
        // Newest first; paged by id; another process reads the same.
        const auto all = reopen()->auditLog(0, 100);
        QCOMPARE(all.size(), std::size_t(5));
        QCOMPARE(all.front().id, ids.back());
        QCOMPARE(all.front().action, std::string("erase"));
        QCOMPARE(all.front().details, std::string("{\"traces\":2,\"spans\":9}"));
        QCOMPARE(all.back().time_ns, std::int64_t(1'000));
        QCOMPARE(all.back().target, std::string("key 0 of project demo \xe2\x80\x94 \"quoted\""));
        QCOMPARE(all.back().actor, std::string("cli:root"));
        const auto page = db->auditLog(0, 2);
        QCOMPARE(page.size(), std::size_t(2));
        const auto next = db->auditLog(page.back().id, 2);
        QCOMPARE(next.size(), std::size_t(2));
        QCOMPARE(next.front().id, ids[2]);
        QCOMPARE(db->auditLog(ids.front(), 10).size(), std::size_t(0));
        QCOMPARE(db->auditLog(0, 0).size(), std::size_t(0));
    }

#ifndef AGENTOPS_TEST_POSTGRES
    void accountSchema3IsMigrated()
    {
        // An account database as the previous version left it: no admin column, no audit log.
        auto db = open();
        const auto u = db->addUser("old@example.com", "", "hash");
        db.reset();
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(m_path.c_str(), &raw), SQLITE_OK);
        QCOMPARE(
            sqlite3_exec(raw, "DROP TABLE audit_log; ALTER TABLE users DROP COLUMN admin; PRAGMA user_version = 3;",
                nullptr, nullptr, nullptr),
            SQLITE_OK);
        sqlite3_close(raw);
        db = reopen();
        QCOMPARE(db->userById(u.id)->email, std::string("old@example.com"));
        QVERIFY(!db->userById(u.id)->admin);
        QVERIFY(db->auditLog(0, 10).empty());
        QVERIFY(db->addAudit({ 0, 0, "cli:root", "user.add", "x", "" }).id > 0);
    }
#endif

#ifdef AGENTOPS_TEST_POSTGRES
    void manyServersStartTogether()
    {
        m_schema = "accounts_race";
        std::vector<std::thread> threads;
        std::atomic<int> ok { 0 };
        threads.reserve(5);
        for (int i = 0; i < 5; ++i)
            threads.emplace_back([&] {
                try {
                    auto s = reopen();
                    s->projects();
                    ++ok;
                } catch (const std::exception &e) {
                    qWarning("%s", e.what());
                }
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(ok.load(), 5);
    }
#endif
};

#ifdef AGENTOPS_TEST_POSTGRES
// The postgresauthstore unit's main (tst_postgresauthstore.cpp) runs this suite.
int runAuthStoreSuite(int argc, char **argv)
{
    TestAuthStore suite;
    return QTest::qExec(&suite, argc, argv);
}
#else
QTEST_GUILESS_MAIN(TestAuthStore)
#endif
#include "tst_authstore.moc"
