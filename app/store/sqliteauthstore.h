// SPDX-License-Identifier: MIT
#pragma once

#include "store/authstore.h"

#include <mutex>
#include <string>

struct sqlite3;

namespace agentops::store {

/// Accounts of a team server in one SQLite file (WAL). Small tables read on every request (key and
/// session lookups by hash are indexed), written rarely; one connection behind a mutex is enough.
class SqliteAuthStore final : public AuthStore
{
public:
    /// Opens (creating when missing) and migrates. Throws StoreError.
    explicit SqliteAuthStore(const std::string &path);
    ~SqliteAuthStore() override;

    SqliteAuthStore(const SqliteAuthStore &) = delete;
    SqliteAuthStore &operator=(const SqliteAuthStore &) = delete;

    User addUser(const std::string &email, const std::string &displayName, const std::string &passwordHash) override;
    std::optional<User> userByEmail(const std::string &email) override;
    std::optional<User> userById(std::int64_t id) override;
    std::vector<User> users() override;
    bool setUserDisabled(std::int64_t userId, bool disabled) override;
    bool setPasswordHash(std::int64_t userId, const std::string &passwordHash) override;
    bool setUserAdmin(std::int64_t userId, bool admin) override;

    Project addProject(const std::string &name, int retentionDays) override;
    std::optional<Project> projectByName(const std::string &name) override;
    std::optional<Project> projectById(std::int64_t id) override;
    std::vector<Project> projects() override;
    bool setRetentionDays(std::int64_t projectId, int days) override;
    bool setProjectPrices(std::int64_t projectId, const std::string &pricesJson) override;
    void addMember(std::int64_t projectId, std::int64_t userId) override;
    bool removeMember(std::int64_t projectId, std::int64_t userId) override;
    std::vector<Project> projectsOfUser(std::int64_t userId) override;

    ApiKey addApiKey(std::int64_t projectId, const std::string &name, const std::string &prefix,
        const std::string &hash, std::int64_t createdBy) override;
    std::optional<ApiKey> apiKeyByHash(const std::string &hash) override;
    std::optional<ApiKey> apiKeyById(std::int64_t id) override;
    std::vector<ApiKey> apiKeys(std::int64_t projectId) override;
    bool revokeApiKey(std::int64_t keyId, std::int64_t nowNs) override;
    std::size_t revokeApiKeysOfUser(std::int64_t userId, std::int64_t projectId, std::int64_t nowNs) override;
    void touchApiKey(std::int64_t keyId, std::int64_t nowNs) override;

    AuthSession addSession(
        std::int64_t userId, const std::string &hash, std::int64_t nowNs, std::int64_t expiresNs) override;
    std::optional<AuthSession> sessionByHash(const std::string &hash) override;
    void touchSession(std::int64_t sessionId, std::int64_t nowNs) override;
    bool revokeSession(std::int64_t sessionId, std::int64_t nowNs) override;
    void revokeSessionsOfUser(std::int64_t userId, std::int64_t nowNs) override;
    AuditEntry addAudit(AuditEntry entry) override;
    std::vector<AuditEntry> auditLog(std::int64_t beforeId, int limit) override;

private:
    std::mutex m_mutex;
    sqlite3 *m_db = nullptr;
};

/// Throws QueryError naming the field when the project name is not [a-z0-9][a-z0-9_-]{0,62}.
void checkProjectName(const std::string &name);
/// Longest retention a project may have (100 years).
inline constexpr int kMaxRetentionDays = 36500;
/// Throws QueryError naming the field when days is not 0..kMaxRetentionDays.
void checkRetentionDays(std::int64_t days);
/// Throws QueryError when the email is not something@something.
void checkEmail(const std::string &email);

} // namespace agentops::store
