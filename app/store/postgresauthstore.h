// SPDX-License-Identifier: MIT
#pragma once

#include "store/authstore.h"

#include <memory>
#include <mutex>
#include <string>

namespace agentops::store {

/// The accounts of a team server (users, projects, memberships, API keys, sessions) in PostgreSQL,
/// with the semantics of SqliteAuthStore: emails stored lower-case, a name or email already taken is
/// a QueryError naming the field. Its tables live in one schema (created and migrated under an
/// advisory lock, like PostgresStore's), so several server processes share the accounts.
class PostgresAuthStore final : public AuthStore
{
public:
    struct Options
    {
        std::string schema = "agentops";
    };

    /// Connects, creates the schema when missing and migrates it. Throws StoreError.
    explicit PostgresAuthStore(const std::string &conninfo);
    PostgresAuthStore(const std::string &conninfo, Options options);
    ~PostgresAuthStore() override;

    PostgresAuthStore(const PostgresAuthStore &) = delete;
    PostgresAuthStore &operator=(const PostgresAuthStore &) = delete;

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
    /// Runs f(connection) under the mutex, opening a new connection when the last one broke.
    template<typename F>
    auto with(F &&f);

    std::string m_conninfo;
    Options m_options;
    std::mutex m_mutex;
    struct Db;
    std::unique_ptr<Db> m_db;
};

} // namespace agentops::store
