// SPDX-License-Identifier: MIT
#include "store/sqliteauthstore.h"

#include "store/privatefiles.h"

#include "store/sqliteutil.h"

#include <chrono>

namespace agentops::store {

using core::asciiLower;

using sqlite::exec;
using sqlite::Stmt;

namespace {

constexpr const char *kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users(
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS projects(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    retention_days INTEGER NOT NULL DEFAULT 0,
    created_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS project_members(
    project_id INTEGER NOT NULL REFERENCES projects(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY(project_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS api_keys(
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    name TEXT NOT NULL DEFAULT '',
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    created_ns INTEGER NOT NULL,
    revoked_ns INTEGER NOT NULL DEFAULT 0,
    last_used_ns INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sessions(
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    hash TEXT NOT NULL UNIQUE,
    created_ns INTEGER NOT NULL,
    last_seen_ns INTEGER NOT NULL,
    expires_ns INTEGER NOT NULL,
    revoked_ns INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
)sql";
/// Schema version 2: per-project price overrides.
constexpr const char *kSchemaV2 = "ALTER TABLE projects ADD COLUMN prices_json TEXT NOT NULL DEFAULT '';";
/// Schema version 3: who created a key, so it can go when they leave.
constexpr const char *kSchemaV3 = "ALTER TABLE api_keys ADD COLUMN created_by INTEGER NOT NULL DEFAULT 0;";
/// Schema version 4: admins (erasure, export, the audit log) and the audit log of admin actions.
constexpr const char *kSchemaV4 = R"sql(
ALTER TABLE users ADD COLUMN admin INTEGER NOT NULL DEFAULT 0;
CREATE TABLE audit_log(
    id INTEGER PRIMARY KEY,
    time_ns INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT ''
);
)sql";
constexpr int kLatestVersion = 4;

User readUser(const Stmt &q)
{
    User u;
    u.id = q.i64(0);
    u.email = q.text(1);
    u.display_name = q.text(2);
    u.password_hash = q.text(3);
    u.disabled = q.i64(4) != 0;
    u.created_ns = q.i64(5);
    u.admin = q.i64(6) != 0;
    return u;
}
constexpr const char *kUserColumns
    = "SELECT id, email, display_name, password_hash, disabled, created_ns, admin FROM users ";

Project readProject(const Stmt &q)
{
    Project p;
    p.id = q.i64(0);
    p.name = q.text(1);
    p.retention_days = static_cast<int>(q.i64(2));
    p.created_ns = q.i64(3);
    p.prices_json = q.text(4);
    return p;
}
constexpr const char *kProjectColumns
    = "SELECT p.id, p.name, p.retention_days, p.created_ns, p.prices_json FROM projects p ";

ApiKey readKey(const Stmt &q)
{
    ApiKey k;
    k.id = q.i64(0);
    k.project_id = q.i64(1);
    k.name = q.text(2);
    k.prefix = q.text(3);
    k.hash = q.text(4);
    k.created_ns = q.i64(5);
    k.revoked_ns = q.i64(6);
    k.last_used_ns = q.i64(7);
    k.created_by = q.i64(8);
    return k;
}
constexpr const char *kKeyColumns
    = "SELECT id, project_id, name, prefix, hash, created_ns, revoked_ns, last_used_ns, created_by FROM api_keys ";

std::int64_t nowNanos()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void bindArg(Stmt &q, int i, std::int64_t v)
{
    q.bind(i, v);
}
void bindArg(Stmt &q, int i, int v)
{
    q.bind(i, v);
}
void bindArg(Stmt &q, int i, const std::string &v)
{
    q.bindText(i, v);
}

/// Runs one statement with the arguments bound in order; the number of rows it changed.
template<typename... Args>
int change(sqlite3 *db, const std::string &sql, const Args &...args)
{
    Stmt q(db, sql);
    int i = 0;
    (bindArg(q, ++i, args), ...);
    q.step();
    return sqlite3_changes(db);
}

bool isConstraint(sqlite3 *db)
{
    return sqlite3_errcode(db) == SQLITE_CONSTRAINT;
}

} // namespace

void checkProjectName(const std::string &name)
{
    auto ok = [](char c, bool first) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!first && (c == '_' || c == '-'));
    };
    bool valid = !name.empty() && name.size() <= 63;
    bool letter = false;
    for (std::size_t i = 0; valid && i < name.size(); ++i) {
        valid = ok(name[i], i == 0);
        letter = letter || (name[i] >= 'a' && name[i] <= 'z');
    }
    // At least one letter: a name of digits only could be taken for a project id.
    if (!valid || !letter)
        throw QueryError("project name: must be 1 to 63 characters a-z, 0-9, '_' or '-', starting with a letter or "
                         "digit and holding at least one letter, got '"
            + name + "'");
}

void checkRetentionDays(std::int64_t days)
{
    if (days < 0 || days > kMaxRetentionDays)
        throw QueryError("retention days: must be from 0 (keep forever) to " + std::to_string(kMaxRetentionDays)
            + ", got " + std::to_string(days));
}

void checkEmail(const std::string &email)
{
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= email.size() || email.size() > 254
        || email.find_first_of(" \t\r\n") != std::string::npos)
        throw QueryError("email: not an email address: '" + email + "'");
}

SqliteAuthStore::SqliteAuthStore(const std::string &path)
{
    createPrivateFile(path);
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        std::string why = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        sqlite3_close(m_db);
        throw StoreError("cannot open " + path + ": " + why);
    }
    try {
        sqlite3_busy_timeout(m_db, 5000);
        exec(m_db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;");
        Stmt version(m_db, "PRAGMA user_version");
        const std::int64_t v = version.step() ? version.i64(0) : 0;
        if (v > kLatestVersion)
            throw StoreError(path + " has account schema version " + std::to_string(v)
                + ", newer than this build understands (" + std::to_string(kLatestVersion)
                + "); upgrade agentops-server");
        exec(m_db, "BEGIN IMMEDIATE");
        try {
            if (v < 1)
                exec(m_db, kSchema);
            if (v < 2)
                exec(m_db, kSchemaV2);
            if (v < 3)
                exec(m_db, kSchemaV3);
            if (v < 4)
                exec(m_db, kSchemaV4);
            exec(m_db, ("PRAGMA user_version = " + std::to_string(kLatestVersion)).c_str());
            exec(m_db, "COMMIT");
        } catch (...) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    } catch (...) {
        sqlite3_close(m_db);
        m_db = nullptr;
        throw;
    }
}

SqliteAuthStore::~SqliteAuthStore()
{
    sqlite3_close(m_db);
}

User SqliteAuthStore::addUser(const std::string &email, const std::string &displayName, const std::string &passwordHash)
{
    const std::string key = asciiLower(email);
    checkEmail(key);
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        "INSERT INTO users(email, display_name, password_hash, created_ns) VALUES(?,?,?,?) RETURNING id, email, "
        "display_name, password_hash, disabled, created_ns, admin");
    q.bindText(1, key);
    q.bindText(2, displayName);
    q.bindText(3, passwordHash);
    q.bind(4, nowNanos());
    try {
        q.step();
    } catch (const StoreError &) {
        if (isConstraint(m_db))
            throw QueryError("email: a user with email " + key + " already exists");
        throw;
    }
    return readUser(q);
}

std::optional<User> SqliteAuthStore::userByEmail(const std::string &email)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kUserColumns) + "WHERE email = ?");
    q.bindText(1, asciiLower(email));
    if (!q.step())
        return std::nullopt;
    return readUser(q);
}

std::optional<User> SqliteAuthStore::userById(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kUserColumns) + "WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return readUser(q);
}

std::vector<User> SqliteAuthStore::users()
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kUserColumns) + "ORDER BY email");
    std::vector<User> out;
    while (q.step())
        out.push_back(readUser(q));
    return out;
}

bool SqliteAuthStore::setUserDisabled(std::int64_t userId, bool disabled)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE users SET disabled = ? WHERE id = ?", disabled ? 1 : 0, userId) > 0;
}

bool SqliteAuthStore::setPasswordHash(std::int64_t userId, const std::string &passwordHash)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE users SET password_hash = ? WHERE id = ?", passwordHash, userId) > 0;
}

Project SqliteAuthStore::addProject(const std::string &name, int retentionDays)
{
    checkProjectName(name);
    checkRetentionDays(retentionDays);
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        "INSERT INTO projects(name, retention_days, created_ns) VALUES(?,?,?) RETURNING id, name, retention_days, "
        "created_ns, prices_json");
    q.bindText(1, name);
    q.bind(2, retentionDays);
    q.bind(3, nowNanos());
    try {
        q.step();
    } catch (const StoreError &) {
        if (isConstraint(m_db))
            throw QueryError("project name: a project named " + name + " already exists");
        throw;
    }
    return readProject(q);
}

std::optional<Project> SqliteAuthStore::projectByName(const std::string &name)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kProjectColumns) + "WHERE p.name = ?");
    q.bindText(1, name);
    if (!q.step())
        return std::nullopt;
    return readProject(q);
}

std::optional<Project> SqliteAuthStore::projectById(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kProjectColumns) + "WHERE p.id = ?");
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return readProject(q);
}

std::vector<Project> SqliteAuthStore::projects()
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kProjectColumns) + "ORDER BY p.name");
    std::vector<Project> out;
    while (q.step())
        out.push_back(readProject(q));
    return out;
}

bool SqliteAuthStore::setRetentionDays(std::int64_t projectId, int days)
{
    checkRetentionDays(days);
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE projects SET retention_days = ? WHERE id = ?", days, projectId) > 0;
}

bool SqliteAuthStore::setProjectPrices(std::int64_t projectId, const std::string &pricesJson)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE projects SET prices_json = ? WHERE id = ?", pricesJson, projectId) > 0;
}

void SqliteAuthStore::addMember(std::int64_t projectId, std::int64_t userId)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, "INSERT OR IGNORE INTO project_members(project_id, user_id) VALUES(?,?)");
    q.bind(1, projectId);
    q.bind(2, userId);
    try {
        q.step();
    } catch (const StoreError &) {
        if (isConstraint(m_db))
            throw QueryError("member: no such project or user");
        throw;
    }
}

bool SqliteAuthStore::removeMember(std::int64_t projectId, std::int64_t userId)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "DELETE FROM project_members WHERE project_id = ? AND user_id = ?", projectId, userId) > 0;
}

std::vector<Project> SqliteAuthStore::projectsOfUser(std::int64_t userId)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        std::string(kProjectColumns)
            + "JOIN project_members m ON m.project_id = p.id WHERE m.user_id = ? ORDER BY p.name");
    q.bind(1, userId);
    std::vector<Project> out;
    while (q.step())
        out.push_back(readProject(q));
    return out;
}

ApiKey SqliteAuthStore::addApiKey(std::int64_t projectId, const std::string &name, const std::string &prefix,
    const std::string &hash, std::int64_t createdBy)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        "INSERT INTO api_keys(project_id, name, prefix, hash, created_ns, created_by) VALUES(?,?,?,?,?,?) RETURNING "
        "id, project_id, name, prefix, hash, created_ns, revoked_ns, last_used_ns, created_by");
    q.bind(6, createdBy);
    q.bind(1, projectId);
    q.bindText(2, name);
    q.bindText(3, prefix);
    q.bindText(4, hash);
    q.bind(5, nowNanos());
    try {
        q.step();
    } catch (const StoreError &) {
        if (isConstraint(m_db))
            throw QueryError("project: no project with id " + std::to_string(projectId));
        throw;
    }
    return readKey(q);
}

std::optional<ApiKey> SqliteAuthStore::apiKeyByHash(const std::string &hash)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kKeyColumns) + "WHERE hash = ?");
    q.bindText(1, hash);
    if (!q.step())
        return std::nullopt;
    return readKey(q);
}

std::optional<ApiKey> SqliteAuthStore::apiKeyById(std::int64_t id)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kKeyColumns) + "WHERE id = ?");
    q.bind(1, id);
    if (!q.step())
        return std::nullopt;
    return readKey(q);
}

std::vector<ApiKey> SqliteAuthStore::apiKeys(std::int64_t projectId)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, std::string(kKeyColumns) + (projectId ? "WHERE project_id = ? ORDER BY id" : "ORDER BY id"));
    if (projectId)
        q.bind(1, projectId);
    std::vector<ApiKey> out;
    while (q.step())
        out.push_back(readKey(q));
    return out;
}

bool SqliteAuthStore::revokeApiKey(std::int64_t keyId, std::int64_t nowNs)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE api_keys SET revoked_ns = ? WHERE id = ? AND revoked_ns = 0", nowNs, keyId) > 0;
}

std::size_t SqliteAuthStore::revokeApiKeysOfUser(std::int64_t userId, std::int64_t projectId, std::int64_t nowNs)
{
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(change(m_db,
        "UPDATE api_keys SET revoked_ns = ? WHERE created_by = ? AND revoked_ns = 0 AND (? = 0 OR project_id = ?)",
        nowNs, userId, projectId, projectId));
}

void SqliteAuthStore::touchApiKey(std::int64_t keyId, std::int64_t nowNs)
{
    std::lock_guard lock(m_mutex);
    change(m_db, "UPDATE api_keys SET last_used_ns = ? WHERE id = ?", nowNs, keyId);
}

AuthSession SqliteAuthStore::addSession(
    std::int64_t userId, const std::string &hash, std::int64_t nowNs, std::int64_t expiresNs)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        "INSERT INTO sessions(user_id, hash, created_ns, last_seen_ns, expires_ns) VALUES(?,?,?,?,?) RETURNING id");
    q.bind(1, userId);
    q.bindText(2, hash);
    q.bind(3, nowNs);
    q.bind(4, nowNs);
    q.bind(5, expiresNs);
    q.step();
    AuthSession s;
    s.id = q.i64(0);
    s.user_id = userId;
    s.hash = hash;
    s.created_ns = nowNs;
    s.last_seen_ns = nowNs;
    s.expires_ns = expiresNs;
    return s;
}

std::optional<AuthSession> SqliteAuthStore::sessionByHash(const std::string &hash)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        "SELECT id, user_id, hash, created_ns, last_seen_ns, expires_ns, revoked_ns FROM sessions WHERE hash = ?");
    q.bindText(1, hash);
    if (!q.step())
        return std::nullopt;
    AuthSession s;
    s.id = q.i64(0);
    s.user_id = q.i64(1);
    s.hash = q.text(2);
    s.created_ns = q.i64(3);
    s.last_seen_ns = q.i64(4);
    s.expires_ns = q.i64(5);
    s.revoked_ns = q.i64(6);
    return s;
}

void SqliteAuthStore::touchSession(std::int64_t sessionId, std::int64_t nowNs)
{
    std::lock_guard lock(m_mutex);
    change(m_db, "UPDATE sessions SET last_seen_ns = ? WHERE id = ?", nowNs, sessionId);
}

bool SqliteAuthStore::revokeSession(std::int64_t sessionId, std::int64_t nowNs)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE sessions SET revoked_ns = ? WHERE id = ? AND revoked_ns = 0", nowNs, sessionId) > 0;
}

void SqliteAuthStore::revokeSessionsOfUser(std::int64_t userId, std::int64_t nowNs)
{
    std::lock_guard lock(m_mutex);
    change(m_db, "UPDATE sessions SET revoked_ns = ? WHERE user_id = ? AND revoked_ns = 0", nowNs, userId);
}

bool SqliteAuthStore::setUserAdmin(std::int64_t userId, bool admin)
{
    std::lock_guard lock(m_mutex);
    return change(m_db, "UPDATE users SET admin = ? WHERE id = ?", std::int64_t(admin ? 1 : 0), userId) > 0;
}

AuditEntry SqliteAuthStore::addAudit(AuditEntry entry)
{
    if (entry.time_ns == 0)
        entry.time_ns = nowNanos();
    std::lock_guard lock(m_mutex);
    Stmt q(m_db, "INSERT INTO audit_log(time_ns, actor, action, target, details) VALUES(?,?,?,?,?) RETURNING id");
    q.bind(1, entry.time_ns);
    q.bindText(2, entry.actor);
    q.bindText(3, entry.action);
    q.bindText(4, entry.target);
    q.bindText(5, entry.details);
    q.step();
    entry.id = q.i64(0);
    return entry;
}

std::vector<AuditEntry> SqliteAuthStore::auditLog(std::int64_t beforeId, int limit)
{
    std::lock_guard lock(m_mutex);
    Stmt q(m_db,
        "SELECT id, time_ns, actor, action, target, details FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?");
    q.bind(1, beforeId > 0 ? beforeId : INT64_MAX);
    q.bind(2, std::max(0, limit));
    std::vector<AuditEntry> out;
    while (q.step())
        out.push_back({ q.i64(0), q.i64(1), q.text(2), q.text(3), q.text(4), q.text(5) });
    return out;
}

} // namespace agentops::store
