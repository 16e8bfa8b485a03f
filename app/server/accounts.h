// SPDX-License-Identifier: MIT
#pragma once

#include "store/authstore.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::server {

/// How long sign-in sessions live.
struct SessionPolicy
{
    /// A session unused for this long ends (the desktop app polls, so an open app stays signed in).
    std::chrono::seconds idle_timeout { std::chrono::hours(24) };
    /// A session ends this long after sign-in however much it is used.
    std::chrono::seconds lifetime { std::chrono::hours(24 * 30) };
    /// Nanoseconds since the epoch for sign-in and session checks; the system clock when empty (a
    /// test sets its own to move time on without waiting).
    std::function<std::int64_t()> clock;
};

/// Who made a request, after its token was checked.
struct Caller
{
    enum class Kind { Session, ApiKey };
    Kind kind = Kind::Session;
    store::User user; ///< Session: the signed-in user
    store::AuthSession session; ///< Session
    store::ApiKey key; ///< ApiKey
    /// The projects the caller may read: a user's memberships, or the key's one project.
    std::vector<store::Project> projects;
};

/// Why a token was refused; each has its own message so a client can tell the user what to do.
enum class AuthFailure { None, Missing, Unknown, Expired, Revoked, KeyRevoked, Disabled };

/// Sign-in, tokens and keys over an AuthStore: the policy part of authentication (hashing, expiry,
/// rotation), shared by the HTTP routes and the admin commands.
class Accounts
{
public:
    Accounts(store::AuthStore &store, SessionPolicy policy = {});

    store::AuthStore &store() { return m_store; }
    const SessionPolicy &policy() const { return m_policy; }

    /// Argon2id (libsodium, interactive limits) in the crypto_pwhash_str format.
    static std::string hashPassword(std::string_view password);
    static bool verifyPassword(const std::string &hash, std::string_view password);
    /// prefix + 43 characters of base64url: 256 random bits.
    static std::string newSecret(std::string_view prefix);
    static std::string sha256Hex(std::string_view data);
    static constexpr std::string_view kKeyPrefix = "aok_";
    static constexpr std::string_view kSessionPrefix = "aos_";
    /// Active keys a project may have (each key has a rate limit of its own).
    static constexpr std::size_t kMaxKeysPerProject = 100;
    /// Passwords shorter than this are refused when set.
    static constexpr std::size_t kMinPasswordLength = 8;

    struct Login
    {
        std::string token;
        Caller caller;
    };
    /// Checks the password; on success starts a session. nullopt with a message a user may see
    /// (never telling whether the email exists).
    std::optional<Login> login(const std::string &email, std::string_view password, std::string &why);
    /// Checks a bearer token (session token or API key).
    AuthFailure authenticate(const std::string &token, Caller &caller);
    static std::string describe(AuthFailure failure);
    void logout(const Caller &caller);

    struct NewKey
    {
        store::ApiKey key;
        std::string secret; ///< shown once, never stored
    };
    /// createdBy: the user making it (0: an admin command); their keys go when they leave.
    NewKey createKey(std::int64_t projectId, const std::string &name, std::int64_t createdBy = 0);
    /// A new key for the same project and name; the old one is revoked at once.
    std::optional<NewKey> rotateKey(std::int64_t keyId);

    /// Adds a user (password checked for length and hashed). Throws QueryError naming the field.
    store::User addUser(const std::string &email, const std::string &displayName, std::string_view password);

    static std::int64_t nowNs();

private:
    /// Now by the policy's clock (SessionPolicy::clock), else the system's.
    std::int64_t now() const;
    /// A new random key stored by its hash; the secret is in the answer only.
    NewKey issueKey(std::int64_t projectId, const std::string &name, std::int64_t createdBy);

    store::AuthStore &m_store;
    SessionPolicy m_policy;
    std::string m_dummyHash; ///< verified against for unknown emails, so timing does not tell
};

} // namespace agentops::server
