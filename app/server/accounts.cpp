// SPDX-License-Identifier: MIT
#include "server/accounts.h"

#include "store/tracestore.h"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace agentops::server {

namespace {

void initSodium()
{
    static const bool ok = sodium_init() >= 0;
    if (!ok)
        throw std::runtime_error("libsodium could not be initialised");
}

/// Refreshing last-use times on every request would write to the account store per request; once a
/// minute is enough for the idle timeout and for "last used" listings.
constexpr std::int64_t kTouchIntervalNs = 60'000'000'000;

} // namespace

Accounts::Accounts(store::AuthStore &store, SessionPolicy policy)
    : m_store(store)
    , m_policy(std::move(policy))
{
    initSodium();
    m_dummyHash = hashPassword(newSecret(""));
}

std::int64_t Accounts::nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t Accounts::now() const
{
    return m_policy.clock ? m_policy.clock() : nowNs();
}

std::string Accounts::hashPassword(std::string_view password)
{
    initSodium();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        throw std::runtime_error("password hashing ran out of memory");
    return out;
}

bool Accounts::verifyPassword(const std::string &hash, std::string_view password)
{
    initSodium();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string Accounts::newSecret(std::string_view prefix)
{
    initSodium();
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(bytes, sizeof bytes);
    return std::string(prefix) + b64;
}

std::string Accounts::sha256Hex(std::string_view data)
{
    initSodium();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char *>(data.data()), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::optional<Accounts::Login> Accounts::login(const std::string &email, std::string_view password, std::string &why)
{
    const auto user = m_store.userByEmail(email);
    // Unknown emails cost the same as wrong passwords.
    const bool passwordOk = verifyPassword(user ? user->password_hash : m_dummyHash, password);
    if (!user || !passwordOk) {
        why = "wrong email or password";
        return std::nullopt;
    }
    if (user->disabled) {
        why = "this account is disabled; ask an administrator";
        return std::nullopt;
    }
    Login login;
    login.token = newSecret(kSessionPrefix);
    const std::int64_t now = this->now();
    const std::int64_t expires = now + std::chrono::duration_cast<std::chrono::nanoseconds>(m_policy.lifetime).count();
    login.caller.kind = Caller::Kind::Session;
    login.caller.session = m_store.addSession(user->id, sha256Hex(login.token), now, expires);
    login.caller.user = *user;
    login.caller.projects = m_store.projectsOfUser(user->id);
    return login;
}

AuthFailure Accounts::authenticate(const std::string &token, Caller &caller)
{
    if (token.empty())
        return AuthFailure::Missing;
    const std::string hash = sha256Hex(token);
    const std::int64_t now = this->now();
    if (token.rfind(kSessionPrefix, 0) == 0) {
        const auto session = m_store.sessionByHash(hash);
        if (!session)
            return AuthFailure::Unknown;
        if (session->revoked_ns)
            return AuthFailure::Revoked;
        const std::int64_t idle = std::chrono::duration_cast<std::chrono::nanoseconds>(m_policy.idle_timeout).count();
        // The lifetime as configured now also bounds sessions issued under a longer one.
        const std::int64_t lifetime = std::chrono::duration_cast<std::chrono::nanoseconds>(m_policy.lifetime).count();
        if (now >= session->expires_ns || now - session->created_ns >= lifetime || now - session->last_seen_ns >= idle)
            return AuthFailure::Expired;
        const auto user = m_store.userById(session->user_id);
        if (!user)
            return AuthFailure::Unknown;
        if (user->disabled)
            return AuthFailure::Disabled;
        if (now - session->last_seen_ns >= std::min(kTouchIntervalNs, idle / 4))
            m_store.touchSession(session->id, now);
        caller.kind = Caller::Kind::Session;
        caller.session = *session;
        caller.user = *user;
        caller.projects = m_store.projectsOfUser(user->id);
        return AuthFailure::None;
    }
    const auto key = m_store.apiKeyByHash(hash);
    if (!key)
        return AuthFailure::Unknown;
    if (key->revoked_ns)
        return AuthFailure::KeyRevoked;
    const auto project = m_store.projectById(key->project_id);
    if (!project)
        return AuthFailure::Unknown;
    if (now - key->last_used_ns >= kTouchIntervalNs)
        m_store.touchApiKey(key->id, now);
    caller.kind = Caller::Kind::ApiKey;
    caller.key = *key;
    caller.projects = { *project };
    return AuthFailure::None;
}

std::string Accounts::describe(AuthFailure failure)
{
    switch (failure) {
    case AuthFailure::None: return "ok";
    case AuthFailure::Missing:
        return "authentication required: send an API key (Authorization: Bearer <key> or x-api-key) or a session "
               "token from POST /api/v1/auth/login";
    case AuthFailure::Unknown: return "the API key or session token is not valid";
    case AuthFailure::KeyRevoked: return "the API key was revoked (or rotated); use a current key";
    case AuthFailure::Expired: return "the session has expired; sign in again";
    case AuthFailure::Revoked: return "the session was signed out; sign in again";
    case AuthFailure::Disabled: return "this account is disabled; ask an administrator";
    }
    return "not authenticated";
}

void Accounts::logout(const Caller &caller)
{
    if (caller.kind == Caller::Kind::Session)
        m_store.revokeSession(caller.session.id, now());
}

Accounts::NewKey Accounts::createKey(std::int64_t projectId, const std::string &name, std::int64_t createdBy)
{
    std::size_t active = 0;
    for (const auto &k : m_store.apiKeys(projectId))
        active += k.revoked_ns == 0 ? 1 : 0;
    if (active >= kMaxKeysPerProject)
        throw store::QueryError("project: already has " + std::to_string(active)
            + " active API keys, the most a project may have; revoke unused ones first");
    return issueKey(projectId, name, createdBy);
}

Accounts::NewKey Accounts::issueKey(std::int64_t projectId, const std::string &name, std::int64_t createdBy)
{
    NewKey out;
    out.secret = newSecret(kKeyPrefix);
    out.key = m_store.addApiKey(
        projectId, name, out.secret.substr(0, kKeyPrefix.size() + 6), sha256Hex(out.secret), createdBy);
    return out;
}

std::optional<Accounts::NewKey> Accounts::rotateKey(std::int64_t keyId)
{
    const auto old = m_store.apiKeyById(keyId);
    // Revoking first, and only the one caller whose revoke changed the row goes on: two rotations
    // at once cannot both leave a live replacement.
    if (!old || !m_store.revokeApiKey(old->id, now()))
        return std::nullopt;
    return issueKey(old->project_id, old->name, old->created_by);
}

store::User Accounts::addUser(const std::string &email, const std::string &displayName, std::string_view password)
{
    if (password.size() < kMinPasswordLength)
        throw store::QueryError(
            "password: must be at least " + std::to_string(kMinPasswordLength) + " characters long");
    return m_store.addUser(email, displayName, hashPassword(password));
}

} // namespace agentops::server
