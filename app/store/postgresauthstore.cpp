// SPDX-License-Identifier: MIT
#include "store/postgresauthstore.h"

#include "store/postgresutil.h"
#include "store/sqliteauthstore.h"

#include <chrono>

namespace agentops::store {

using namespace pg;

namespace {

// Migrations of the account schema, in order; auth_schema_version holds how many have run (a name
// of its own, so one schema may hold a trace store too).
const char *const kMigrations[] = {
    R"sql(
CREATE TABLE users(
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    display_name text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_ns bigint NOT NULL);
CREATE TABLE projects(
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    retention_days integer NOT NULL DEFAULT 0,
    created_ns bigint NOT NULL);
CREATE TABLE project_members(
    project_id bigint NOT NULL REFERENCES projects(id),
    user_id bigint NOT NULL REFERENCES users(id),
    PRIMARY KEY(project_id, user_id));
CREATE TABLE api_keys(
    id bigserial PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects(id),
    name text NOT NULL DEFAULT '',
    prefix text NOT NULL,
    hash text NOT NULL UNIQUE,
    created_ns bigint NOT NULL,
    revoked_ns bigint NOT NULL DEFAULT 0,
    last_used_ns bigint NOT NULL DEFAULT 0);
CREATE INDEX api_keys_by_project ON api_keys(project_id);
CREATE TABLE sessions(
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users(id),
    hash text NOT NULL UNIQUE,
    created_ns bigint NOT NULL,
    last_seen_ns bigint NOT NULL,
    expires_ns bigint NOT NULL,
    revoked_ns bigint NOT NULL DEFAULT 0);
CREATE INDEX sessions_user ON sessions(user_id);
)sql",
    // Per-project price overrides.
    "ALTER TABLE projects ADD COLUMN prices_json text NOT NULL DEFAULT ''",
    // Who created a key, so it can go when they leave.
    "ALTER TABLE api_keys ADD COLUMN created_by bigint NOT NULL DEFAULT 0",
    // Admins (erasure, export, the audit log) and the audit log of admin actions.
    R"sql(
ALTER TABLE users ADD COLUMN admin boolean NOT NULL DEFAULT false;
CREATE TABLE audit_log(
    id bigserial PRIMARY KEY,
    time_ns bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    details text NOT NULL DEFAULT '');
)sql",
};
constexpr int kLatestVersion = static_cast<int>(std::size(kMigrations));
constexpr int kAuthMigrationLock = 0x41474f52;

constexpr const char *kUserColumns
    = "SELECT id, email, display_name, password_hash, disabled::int, created_ns, admin::int FROM users ";
constexpr const char *kProjectColumns
    = "SELECT p.id, p.name, p.retention_days, p.created_ns, p.prices_json FROM projects p ";
constexpr const char *kKeyColumns
    = "SELECT id, project_id, name, prefix, hash, created_ns, revoked_ns, last_used_ns, created_by FROM api_keys ";

User readUser(const pqxx::row &r)
{
    User u;
    u.id = i64(r[0]);
    u.email = text(r[1]);
    u.display_name = text(r[2]);
    u.password_hash = text(r[3]);
    u.disabled = i64(r[4]) != 0;
    u.created_ns = i64(r[5]);
    u.admin = i64(r[6]) != 0;
    return u;
}

Project readProject(const pqxx::row &r)
{
    Project p;
    p.id = i64(r[0]);
    p.name = text(r[1]);
    p.retention_days = static_cast<int>(i64(r[2]));
    p.created_ns = i64(r[3]);
    p.prices_json = text(r[4]);
    return p;
}

ApiKey readKey(const pqxx::row &r)
{
    ApiKey k;
    k.id = i64(r[0]);
    k.project_id = i64(r[1]);
    k.name = text(r[2]);
    k.prefix = text(r[3]);
    k.hash = text(r[4]);
    k.created_ns = i64(r[5]);
    k.revoked_ns = i64(r[6]);
    k.last_used_ns = i64(r[7]);
    k.created_by = i64(r[8]);
    return k;
}

std::int64_t nowNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string n(std::int64_t v)
{
    return std::to_string(v);
}

std::unique_ptr<pqxx::connection> connect(const std::string &conninfo, const std::string &schema)
{
    auto c = std::make_unique<pqxx::connection>(conninfo);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    c->inhibit_reactivation(true); // a re-opened connection would lose the search_path
#pragma GCC diagnostic pop
    pqxx::nontransaction tx(*c);
    tx.exec("SET search_path TO " + quoteIdent(schema));
    return c;
}

} // namespace

struct PostgresAuthStore::Db
{
    std::unique_ptr<pqxx::connection> c;
};

template<typename F>
auto PostgresAuthStore::with(F &&f)
{
    std::lock_guard lock(m_mutex);
    try {
        if (!m_db->c || !m_db->c->is_open())
            m_db->c = connect(m_conninfo, m_options.schema);
        return f(*m_db->c);
    } catch (const pqxx::sql_error &e) {
        throw StoreError(std::string("account database: ") + e.what());
    } catch (const pqxx::failure &e) {
        m_db->c.reset(); // broken or in doubt: a fresh connection next time
        throw StoreError(std::string("account database: ") + e.what());
    }
}

PostgresAuthStore::PostgresAuthStore(const std::string &conninfo)
    : PostgresAuthStore(conninfo, Options {})
{ }

PostgresAuthStore::PostgresAuthStore(const std::string &conninfo, Options options)
    : m_conninfo(conninfo)
    , m_options(std::move(options))
    , m_db(std::make_unique<Db>())
{
    const auto &s = m_options.schema;
    const bool valid = !s.empty() && s.size() <= 63 && !(s[0] >= '0' && s[0] <= '9')
        && std::all_of(
            s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
    if (!valid)
        throw StoreError("schema \"" + s + "\": use 1-63 lower-case letters, digits and _, not starting with a digit");
    try {
        m_db->c = connect(m_conninfo, s);
        pqxx::work tx(*m_db->c);
        const std::string schema = quoteIdent(s);
        run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { n(kAuthMigrationLock), s });
        tx.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
        tx.exec("CREATE TABLE IF NOT EXISTS " + schema + ".auth_schema_version(version integer NOT NULL)");
        const auto r = tx.exec("SELECT version FROM " + schema + ".auth_schema_version");
        int current = 0;
        if (r.empty())
            tx.exec("INSERT INTO " + schema + ".auth_schema_version VALUES(0)");
        else
            current = static_cast<int>(i64(r[0][0]));
        if (current > kLatestVersion)
            throw StoreError("schema " + s + " has account schema version " + std::to_string(current)
                + ", newer than this build understands (" + std::to_string(kLatestVersion)
                + "); upgrade agentops-server");
        for (int v = current; v < kLatestVersion; ++v)
            tx.exec(kMigrations[v]);
        tx.exec("UPDATE " + schema
            + ".auth_schema_version SET version = " + std::to_string(std::max(current, kLatestVersion)));
        tx.commit();
    } catch (const pqxx::failure &e) {
        throw StoreError("cannot open PostgreSQL account store (schema " + s + "): " + e.what());
    }
}

PostgresAuthStore::~PostgresAuthStore() = default;

User PostgresAuthStore::addUser(
    const std::string &email, const std::string &displayName, const std::string &passwordHash)
{
    const std::string key = core::asciiLower(email);
    checkEmail(key);
    return with([&](pqxx::connection &c) {
        pqxx::work tx(c);
        try {
            const auto r = run(tx,
                "INSERT INTO users(email, display_name, password_hash, created_ns) VALUES($1, $2, $3, $4) "
                "RETURNING id, email, display_name, password_hash, disabled::int, created_ns, admin::int",
                { key, displayName, passwordHash, n(nowNanos()) });
            tx.commit();
            return readUser(r[0]);
        } catch (const pqxx::unique_violation &) {
            throw QueryError("email: a user with email " + key + " already exists");
        }
    });
}

std::optional<User> PostgresAuthStore::userByEmail(const std::string &email)
{
    return with([&](pqxx::connection &c) -> std::optional<User> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx, std::string(kUserColumns) + "WHERE email = $1", { core::asciiLower(email) });
        if (r.empty())
            return std::nullopt;
        return readUser(r[0]);
    });
}

std::optional<User> PostgresAuthStore::userById(std::int64_t id)
{
    return with([&](pqxx::connection &c) -> std::optional<User> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx, std::string(kUserColumns) + "WHERE id = $1", { n(id) });
        if (r.empty())
            return std::nullopt;
        return readUser(r[0]);
    });
}

std::vector<User> PostgresAuthStore::users()
{
    return with([&](pqxx::connection &c) {
        pqxx::read_transaction tx(c);
        std::vector<User> out;
        for (const auto &row : tx.exec(std::string(kUserColumns) + "ORDER BY email COLLATE \"C\""))
            out.push_back(readUser(row));
        return out;
    });
}

namespace {

/// Runs one UPDATE or DELETE in its own transaction; true when it changed a row.
bool change(pqxx::connection &c, const std::string &sql, const std::vector<std::string> &params)
{
    pqxx::work tx(c);
    const auto r = run(tx, sql, params);
    tx.commit();
    return r.affected_rows() > 0;
}

} // namespace

bool PostgresAuthStore::setUserDisabled(std::int64_t userId, bool disabled)
{
    return with([&](pqxx::connection &c) {
        return change(
            c, "UPDATE users SET disabled = $1::boolean WHERE id = $2", { disabled ? "true" : "false", n(userId) });
    });
}

bool PostgresAuthStore::setPasswordHash(std::int64_t userId, const std::string &passwordHash)
{
    return with([&](pqxx::connection &c) {
        return change(c, "UPDATE users SET password_hash = $1 WHERE id = $2", { passwordHash, n(userId) });
    });
}

Project PostgresAuthStore::addProject(const std::string &name, int retentionDays)
{
    checkProjectName(name);
    checkRetentionDays(retentionDays);
    return with([&](pqxx::connection &c) {
        pqxx::work tx(c);
        try {
            const auto r = run(tx,
                "INSERT INTO projects(name, retention_days, created_ns) VALUES($1, $2, $3) RETURNING id, name, "
                "retention_days, created_ns, prices_json",
                { name, n(retentionDays), n(nowNanos()) });
            tx.commit();
            return readProject(r[0]);
        } catch (const pqxx::unique_violation &) {
            throw QueryError("project name: a project named " + name + " already exists");
        }
    });
}

std::optional<Project> PostgresAuthStore::projectByName(const std::string &name)
{
    return with([&](pqxx::connection &c) -> std::optional<Project> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx, std::string(kProjectColumns) + "WHERE p.name = $1", { name });
        if (r.empty())
            return std::nullopt;
        return readProject(r[0]);
    });
}

std::optional<Project> PostgresAuthStore::projectById(std::int64_t id)
{
    return with([&](pqxx::connection &c) -> std::optional<Project> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx, std::string(kProjectColumns) + "WHERE p.id = $1", { n(id) });
        if (r.empty())
            return std::nullopt;
        return readProject(r[0]);
    });
}

std::vector<Project> PostgresAuthStore::projects()
{
    return with([&](pqxx::connection &c) {
        pqxx::read_transaction tx(c);
        std::vector<Project> out;
        for (const auto &row : tx.exec(std::string(kProjectColumns) + "ORDER BY p.name COLLATE \"C\""))
            out.push_back(readProject(row));
        return out;
    });
}

bool PostgresAuthStore::setRetentionDays(std::int64_t projectId, int days)
{
    checkRetentionDays(days);
    return with([&](pqxx::connection &c) {
        return change(c, "UPDATE projects SET retention_days = $1 WHERE id = $2", { n(days), n(projectId) });
    });
}

bool PostgresAuthStore::setProjectPrices(std::int64_t projectId, const std::string &pricesJson)
{
    return with([&](pqxx::connection &c) {
        return change(c, "UPDATE projects SET prices_json = $1 WHERE id = $2", { pricesJson, n(projectId) });
    });
}

void PostgresAuthStore::addMember(std::int64_t projectId, std::int64_t userId)
{
    with([&](pqxx::connection &c) {
        try {
            change(c, "INSERT INTO project_members(project_id, user_id) VALUES($1, $2) ON CONFLICT DO NOTHING",
                { n(projectId), n(userId) });
        } catch (const pqxx::foreign_key_violation &) {
            throw QueryError("member: no such project or user");
        }
    });
}

bool PostgresAuthStore::removeMember(std::int64_t projectId, std::int64_t userId)
{
    return with([&](pqxx::connection &c) {
        return change(
            c, "DELETE FROM project_members WHERE project_id = $1 AND user_id = $2", { n(projectId), n(userId) });
    });
}

std::vector<Project> PostgresAuthStore::projectsOfUser(std::int64_t userId)
{
    return with([&](pqxx::connection &c) {
        pqxx::read_transaction tx(c);
        std::vector<Project> out;
        for (const auto &row : run(tx,
                 std::string(kProjectColumns)
                     + "JOIN project_members m ON m.project_id = p.id WHERE m.user_id = $1 ORDER BY p.name COLLATE "
                       "\"C\"",
                 { n(userId) }))
            out.push_back(readProject(row));
        return out;
    });
}

ApiKey PostgresAuthStore::addApiKey(std::int64_t projectId, const std::string &name, const std::string &prefix,
    const std::string &hash, std::int64_t createdBy)
{
    return with([&](pqxx::connection &c) {
        pqxx::work tx(c);
        try {
            const auto r = run(tx,
                "INSERT INTO api_keys(project_id, name, prefix, hash, created_ns, created_by) VALUES($1, $2, $3, $4, "
                "$5, $6) RETURNING id, project_id, name, prefix, hash, created_ns, revoked_ns, last_used_ns, "
                "created_by",
                { n(projectId), name, prefix, hash, n(nowNanos()), n(createdBy) });
            tx.commit();
            return readKey(r[0]);
        } catch (const pqxx::foreign_key_violation &) {
            throw QueryError("project: no project with id " + std::to_string(projectId));
        } catch (const pqxx::unique_violation &) {
            throw QueryError("project: no project with id " + std::to_string(projectId));
        }
    });
}

std::optional<ApiKey> PostgresAuthStore::apiKeyByHash(const std::string &hash)
{
    return with([&](pqxx::connection &c) -> std::optional<ApiKey> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx, std::string(kKeyColumns) + "WHERE hash = $1", { hash });
        if (r.empty())
            return std::nullopt;
        return readKey(r[0]);
    });
}

std::optional<ApiKey> PostgresAuthStore::apiKeyById(std::int64_t id)
{
    return with([&](pqxx::connection &c) -> std::optional<ApiKey> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx, std::string(kKeyColumns) + "WHERE id = $1", { n(id) });
        if (r.empty())
            return std::nullopt;
        return readKey(r[0]);
    });
}

std::vector<ApiKey> PostgresAuthStore::apiKeys(std::int64_t projectId)
{
    return with([&](pqxx::connection &c) {
        pqxx::read_transaction tx(c);
        std::vector<ApiKey> out;
        const auto r = projectId
            ? run(tx, std::string(kKeyColumns) + "WHERE project_id = $1 ORDER BY id", { n(projectId) })
            : tx.exec(std::string(kKeyColumns) + "ORDER BY id");
        for (const auto &row : r)
            out.push_back(readKey(row));
        return out;
    });
}

bool PostgresAuthStore::revokeApiKey(std::int64_t keyId, std::int64_t nowNs)
{
    return with([&](pqxx::connection &c) {
        return change(
            c, "UPDATE api_keys SET revoked_ns = $1 WHERE id = $2 AND revoked_ns = 0", { n(nowNs), n(keyId) });
    });
}

void PostgresAuthStore::touchApiKey(std::int64_t keyId, std::int64_t nowNs)
{
    with([&](pqxx::connection &c) {
        change(c, "UPDATE api_keys SET last_used_ns = $1 WHERE id = $2", { n(nowNs), n(keyId) });
    });
}

AuthSession PostgresAuthStore::addSession(
    std::int64_t userId, const std::string &hash, std::int64_t nowNs, std::int64_t expiresNs)
{
    return with([&](pqxx::connection &c) {
        pqxx::work tx(c);
        const auto r = run(tx,
            "INSERT INTO sessions(user_id, hash, created_ns, last_seen_ns, expires_ns) VALUES($1, $2, $3, $3, $4) "
            "RETURNING id",
            { n(userId), hash, n(nowNs), n(expiresNs) });
        tx.commit();
        AuthSession s;
        s.id = i64(r[0][0]);
        s.user_id = userId;
        s.hash = hash;
        s.created_ns = nowNs;
        s.last_seen_ns = nowNs;
        s.expires_ns = expiresNs;
        return s;
    });
}

std::optional<AuthSession> PostgresAuthStore::sessionByHash(const std::string &hash)
{
    return with([&](pqxx::connection &c) -> std::optional<AuthSession> {
        pqxx::read_transaction tx(c);
        const auto r = run(tx,
            "SELECT id, user_id, hash, created_ns, last_seen_ns, expires_ns, revoked_ns FROM sessions WHERE hash = $1",
            { hash });
        if (r.empty())
            return std::nullopt;
        AuthSession s;
        s.id = i64(r[0][0]);
        s.user_id = i64(r[0][1]);
        s.hash = text(r[0][2]);
        s.created_ns = i64(r[0][3]);
        s.last_seen_ns = i64(r[0][4]);
        s.expires_ns = i64(r[0][5]);
        s.revoked_ns = i64(r[0][6]);
        return s;
    });
}

void PostgresAuthStore::touchSession(std::int64_t sessionId, std::int64_t nowNs)
{
    with([&](pqxx::connection &c) {
        change(c, "UPDATE sessions SET last_seen_ns = $1 WHERE id = $2", { n(nowNs), n(sessionId) });
    });
}

bool PostgresAuthStore::revokeSession(std::int64_t sessionId, std::int64_t nowNs)
{
    return with([&](pqxx::connection &c) {
        return change(
            c, "UPDATE sessions SET revoked_ns = $1 WHERE id = $2 AND revoked_ns = 0", { n(nowNs), n(sessionId) });
    });
}

std::size_t PostgresAuthStore::revokeApiKeysOfUser(std::int64_t userId, std::int64_t projectId, std::int64_t nowNs)
{
    return with([&](pqxx::connection &c) {
        pqxx::work tx(c);
        const auto r = run(tx,
            "UPDATE api_keys SET revoked_ns = $1 WHERE created_by = $2 AND revoked_ns = 0 AND ($3 = 0 OR project_id = "
            "$3)",
            { n(nowNs), n(userId), n(projectId) });
        tx.commit();
        return static_cast<std::size_t>(r.affected_rows());
    });
}

void PostgresAuthStore::revokeSessionsOfUser(std::int64_t userId, std::int64_t nowNs)
{
    with([&](pqxx::connection &c) {
        change(c, "UPDATE sessions SET revoked_ns = $1 WHERE user_id = $2 AND revoked_ns = 0", { n(nowNs), n(userId) });
    });
}

bool PostgresAuthStore::setUserAdmin(std::int64_t userId, bool admin)
{
    return with([&](pqxx::connection &c) {
        return change(c, "UPDATE users SET admin = $1::boolean WHERE id = $2", { admin ? "true" : "false", n(userId) });
    });
}

AuditEntry PostgresAuthStore::addAudit(AuditEntry entry)
{
    if (entry.time_ns == 0)
        entry.time_ns = nowNanos();
    return with([&](pqxx::connection &c) {
        pqxx::work tx(c);
        const auto r = run(tx,
            "INSERT INTO audit_log(time_ns, actor, action, target, details) VALUES($1, $2, $3, $4, $5) RETURNING id",
            { n(entry.time_ns), entry.actor, entry.action, entry.target, entry.details });
        tx.commit();
        entry.id = i64(r[0][0]);
        return entry;
    });
}

std::vector<AuditEntry> PostgresAuthStore::auditLog(std::int64_t beforeId, int limit)
{
    return with([&](pqxx::connection &c) {
        pqxx::read_transaction tx(c);
        std::vector<AuditEntry> out;
        for (const auto &row : run(tx,
                 "SELECT id, time_ns, actor, action, target, details FROM audit_log WHERE id < $1 ORDER BY id DESC "
                 "LIMIT $2",
                 { n(beforeId > 0 ? beforeId : INT64_MAX), n(std::max(0, limit)) }))
            out.push_back({ i64(row[0]), i64(row[1]), text(row[2]), text(row[3]), text(row[4]), text(row[5]) });
        return out;
    });
}

} // namespace agentops::store
