// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentops::store {

struct User
{
    std::int64_t id = 0;
    std::string email; ///< unique, stored lower-case
    std::string display_name;
    std::string password_hash; ///< Argon2id, libsodium's crypto_pwhash_str format
    bool disabled = false;
    std::int64_t created_ns = 0;
    /// May use the admin API (erasure, export, the audit log); granted by the admin command.
    bool admin = false;
};

struct Project
{
    std::int64_t id = 0;
    std::string name; ///< unique; [a-z0-9][a-z0-9_-]{0,62}
    int retention_days = 0; ///< 0: keep forever
    std::int64_t created_ns = 0;
    /// Model price overrides of this project (a price file, docs/pricing.md) laid over the server's
    /// table when its spans are priced; empty: none.
    std::string prices_json;
};

struct ApiKey
{
    std::int64_t id = 0;
    std::int64_t project_id = 0;
    std::string name;
    std::string prefix; ///< the first characters of the key, shown in listings ("aok_Xy3f...")
    std::string hash; ///< SHA-256 of the whole key, hex
    std::int64_t created_ns = 0;
    std::int64_t revoked_ns = 0; ///< 0: active
    std::int64_t last_used_ns = 0;
    /// The user who created it over HTTP; 0 when made by an admin command (belongs to nobody).
    std::int64_t created_by = 0;
};

struct AuthSession
{
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string hash; ///< SHA-256 of the token, hex
    std::int64_t created_ns = 0;
    std::int64_t last_seen_ns = 0;
    std::int64_t expires_ns = 0; ///< absolute expiry
    std::int64_t revoked_ns = 0;
};

/// One admin action, as the audit log keeps it: who did what to what, and when.
struct AuditEntry
{
    std::int64_t id = 0; ///< grows with each entry
    std::int64_t time_ns = 0;
    /// "user:<email>" (a signed-in admin, or a member managing keys), "cli:<unix user>" (an admin
    /// command).
    std::string actor;
    /// "erase", "export", "key.create", "key.revoke", "key.rotate", "user.add", "user.disable",
    /// "user.enable", "user.passwd", "user.admin", "project.create", "project.add-member", ...
    std::string action;
    std::string target; ///< what it was done to ("user ana@example.com", "key 7 of project demo")
    std::string details; ///< a JSON object with the outcome ({"traces":2,"spans":9}); may be empty
};

/// Accounts, projects, API keys and sign-in sessions of a team server. Only hashes of secrets are
/// stored: Argon2id for passwords, SHA-256 for API keys and session tokens (both 256-bit random, so
/// a fast hash is enough). Thread-safe. Errors: StoreError (tracestore.h); a name or email already
/// taken is a QueryError naming the field.
class AuthStore
{
public:
    virtual ~AuthStore() = default;

    virtual User addUser(const std::string &email, const std::string &displayName, const std::string &passwordHash) = 0;
    virtual std::optional<User> userByEmail(const std::string &email) = 0;
    virtual std::optional<User> userById(std::int64_t id) = 0;
    virtual std::vector<User> users() = 0;
    /// False when there is no such user.
    virtual bool setUserDisabled(std::int64_t userId, bool disabled) = 0;
    virtual bool setPasswordHash(std::int64_t userId, const std::string &passwordHash) = 0;
    virtual bool setUserAdmin(std::int64_t userId, bool admin) = 0;

    virtual Project addProject(const std::string &name, int retentionDays) = 0;
    virtual std::optional<Project> projectByName(const std::string &name) = 0;
    virtual std::optional<Project> projectById(std::int64_t id) = 0;
    virtual std::vector<Project> projects() = 0;
    virtual bool setRetentionDays(std::int64_t projectId, int days) = 0;
    /// Replaces the project's price overrides (empty: none). The caller validates the JSON.
    virtual bool setProjectPrices(std::int64_t projectId, const std::string &pricesJson) = 0;
    virtual void addMember(std::int64_t projectId, std::int64_t userId) = 0;
    virtual bool removeMember(std::int64_t projectId, std::int64_t userId) = 0;
    /// The projects the user is a member of, by name.
    virtual std::vector<Project> projectsOfUser(std::int64_t userId) = 0;

    virtual ApiKey addApiKey(std::int64_t projectId, const std::string &name, const std::string &prefix,
        const std::string &hash, std::int64_t createdBy)
        = 0;
    /// A key by the hash of its secret, revoked ones included (the caller decides and says why).
    virtual std::optional<ApiKey> apiKeyByHash(const std::string &hash) = 0;
    virtual std::optional<ApiKey> apiKeyById(std::int64_t id) = 0;
    /// All keys of a project (projectId 0: of every project), revoked ones included.
    virtual std::vector<ApiKey> apiKeys(std::int64_t projectId) = 0;
    virtual bool revokeApiKey(std::int64_t keyId, std::int64_t nowNs) = 0;
    /// Revokes the active keys a user created, in one project (0: in every project); returns how many.
    virtual std::size_t revokeApiKeysOfUser(std::int64_t userId, std::int64_t projectId, std::int64_t nowNs) = 0;
    /// Records use; cheap enough to call on every request (implementations may coalesce).
    virtual void touchApiKey(std::int64_t keyId, std::int64_t nowNs) = 0;

    virtual AuthSession addSession(
        std::int64_t userId, const std::string &hash, std::int64_t nowNs, std::int64_t expiresNs)
        = 0;
    /// A session by token hash, revoked or expired ones included (the caller decides and says why).
    virtual std::optional<AuthSession> sessionByHash(const std::string &hash) = 0;
    virtual void touchSession(std::int64_t sessionId, std::int64_t nowNs) = 0;
    virtual bool revokeSession(std::int64_t sessionId, std::int64_t nowNs) = 0;
    /// Revokes every session of a user (disabled users, password changes).
    virtual void revokeSessionsOfUser(std::int64_t userId, std::int64_t nowNs) = 0;

    /// Appends to the audit log; returns the entry with its id (and time_ns, when it was 0, now).
    virtual AuditEntry addAudit(AuditEntry entry) = 0;
    /// Newest first: at most limit entries with an id below beforeId (0: from the newest).
    virtual std::vector<AuditEntry> auditLog(std::int64_t beforeId, int limit) = 0;
};

} // namespace agentops::store
