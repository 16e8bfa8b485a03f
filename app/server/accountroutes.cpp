// SPDX-License-Identifier: MIT
// Sign-in, the caller's identity and projects, and API keys (team mode; open mode has no accounts).
#include "api/apiwire.h"
#include "core/span.h"
#include "server/accounts.h"
#include "server/apiserver.h"
#include "server/erasure.h"
#include "server/routeutil.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace agentops::server {

using core::asciiLower;

namespace {

/// The caller, for routes about the account itself; open mode has no accounts.
Caller callerOf(Accounts *accounts, const Request &req)
{
    if (!accounts)
        throw AuthError { 404, "not_found", "this server runs without sign-in (open mode): no accounts" };
    Caller c;
    const auto failure = accounts->authenticate(bearerToken(req), c);
    if (failure != AuthFailure::None)
        throw AuthError { 401, "unauthorized", Accounts::describe(failure) };
    return c;
}

/// A signed-in person (key management is for people, not keys).
Caller signedInPerson(Accounts *accounts, const Request &req)
{
    Caller c = callerOf(accounts, req);
    if (c.kind != Caller::Kind::Session)
        throw AuthError { 403, "forbidden", "managing API keys needs a sign-in session, not an API key" };
    return c;
}

/// A signed-in member of the project named in the path.
store::Project memberProject(Accounts *accounts, const Request &req, const std::string &wanted)
{
    const Caller c = signedInPerson(accounts, req);
    for (const auto &p : c.projects) {
        if (namesProject(wanted, p))
            return p;
    }
    throw AuthError { 403, "forbidden", "project: no access to project '" + wanted + "'" };
}

/// The key named in the path, when the caller is a signed-in member of its project. Credentials
/// first, so nobody without them learns which key ids exist; a key of a project the caller is not
/// a member of is answered like a missing one.
store::ApiKey memberKey(Accounts *accounts, const Request &req)
{
    const Caller c = signedInPerson(accounts, req);
    std::int64_t id = 0;
    if (!parseInt64(req.path_params[0], id))
        throw ParamError { "key_id: must be an integer, got '" + req.path_params[0] + "'" };
    const auto key = accounts->store().apiKeyById(id);
    const bool member = key && std::any_of(c.projects.begin(), c.projects.end(), [&](const store::Project &p) {
        return p.id == key->project_id;
    });
    if (!member)
        throw AuthError { 404, "not_found", "no API key " + std::to_string(id) + " in your projects" };
    return *key;
}

std::string newKeyJson(const Accounts::NewKey &k)
{
    return api::write::newKey(k.key, k.secret);
}

/// What the hold step of sign-in read from the body, for the handler.
struct LoginAttempt
{
    std::string email;
    std::string password;
};

} // namespace

/// Before a sign-in attempt's password is checked (on the I/O thread: all of it in memory): the
/// limits, and the account's slow-down, which delays the check without holding a thread.
std::chrono::milliseconds ApiServer::holdLogin(Request &req, Response &res)
{
    std::chrono::milliseconds delay { 0 };
    guarded(res, [&] {
        if (!m_access->teamMode())
            throw AuthError { 404, "not_found", "this server runs without sign-in (open mode)" };
        const auto now = LoginLimiter::Clock::now();
        if (const auto d = m_loginLimiter->admitClient(req.remote_addr, now); !d)
            throw rateLimited("client address (sign-in attempts)", d);
        const auto body = jsonBody(req);
        LoginAttempt attempt { stringField(body, "email", true), stringField(body, "password", true) };
        const auto d = m_loginLimiter->admit(req.remote_addr, attempt.email, now);
        if (!d.allowed)
            throw rateLimited(d.who, RateLimiter::Decision { false, d.retry_after });
        req.state = std::move(attempt);
        delay = d.delay;
    });
    return delay;
}

void ApiServer::login(Request &req, Response &res)
{
    guarded(res, [&] {
        const auto &attempt = std::any_cast<const LoginAttempt &>(req.state);
        // Each check takes Argon2id's 64 MiB for a moment: only a few at a time.
        struct Slot
        {
            std::atomic<int> &n;
            ~Slot() { --n; }
        };
        if (++m_passwordChecks > kMaxPasswordChecks) {
            --m_passwordChecks;
            throw AuthError { 503, "unavailable", "too many sign-ins at once; retry in a second", 1 };
        }
        const Slot slot { m_passwordChecks };
        std::string why;
        auto *accounts = m_access->accounts();
        const auto login = accounts->login(attempt.email, attempt.password, why);
        if (!login) {
            m_loginLimiter->failed(attempt.email);
            throw AuthError { 401, "unauthorized", why };
        }
        m_loginLimiter->succeeded(attempt.email);
        setJson(res,
            api::write::login(login->token, login->caller.session.expires_ns, accounts->policy().idle_timeout.count(),
                login->caller.user, login->caller.projects));
    });
}

void ApiServer::logout(Request &req, Response &res)
{
    guarded(res, [&] {
        const Caller c = callerOf(m_access->accounts(), req);
        if (c.kind != Caller::Kind::Session)
            throw ParamError { "an API key is not a session: it cannot sign out; revoke it instead "
                               "(DELETE /api/v1/keys/{key_id})" };
        m_access->accounts()->logout(c);
        res.status = 204;
    });
}

void ApiServer::me(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        if (!m_access->teamMode()) {
            setJson(res, api::write::me(false, nullptr, nullptr, {}, 0));
            return;
        }
        const Caller c = callerOf(m_access->accounts(), req);
        const bool session = c.kind == Caller::Kind::Session;
        setJson(res,
            api::write::me(true, session ? &c.user : nullptr, session ? nullptr : &c.key, c.projects,
                session ? c.session.expires_ns : 0));
    });
}

void ApiServer::projects(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        const Caller c = callerOf(m_access->accounts(), req);
        setJson(res, api::write::projects(c.projects));
    });
}

void ApiServer::listKeys(Request &req, Response &res)
{
    guarded(res, [&] {
        Params(req, {});
        const auto project = memberProject(m_access->accounts(), req, req.path_params[0]);
        setJson(res, api::write::keys(m_access->accounts()->store().apiKeys(project.id)));
    });
}

void ApiServer::createKey(Request &req, Response &res)
{
    guarded(res, [&] {
        auto *accounts = m_access->accounts();
        const auto project = memberProject(accounts, req, req.path_params[0]);
        const std::string name = stringField(jsonBody(req), "name", false);
        if (name.size() > 200)
            throw ParamError { "name: at most 200 characters" };
        const Caller c = callerOf(accounts, req);
        const auto key = accounts->createKey(project.id, name, c.user.id);
        audit(accounts->store(), "user:" + c.user.email, "key.create",
            "key " + std::to_string(key.key.id) + " of project " + project.name);
        setJson(res, newKeyJson(key));
        res.status = 201;
    });
}

void ApiServer::rotateKey(Request &req, Response &res)
{
    guarded(res, [&] {
        const auto key = memberKey(m_access->accounts(), req);
        const auto fresh = m_access->accounts()->rotateKey(key.id);
        if (!fresh)
            throw AuthError { 409, "conflict", "API key " + std::to_string(key.id) + " is revoked; create a new one" };
        audit(m_access->accounts()->store(), "user:" + callerOf(m_access->accounts(), req).user.email, "key.rotate",
            "key " + std::to_string(key.id) + " (now key " + std::to_string(fresh->key.id) + ")");
        setJson(res, newKeyJson(*fresh));
        res.status = 201;
    });
}

void ApiServer::revokeKey(Request &req, Response &res)
{
    guarded(res, [&] {
        const auto key = memberKey(m_access->accounts(), req);
        m_access->accounts()->store().revokeApiKey(key.id, Accounts::nowNs());
        audit(m_access->accounts()->store(), "user:" + callerOf(m_access->accounts(), req).user.email, "key.revoke",
            "key " + std::to_string(key.id));
        res.status = 204;
    });
}

} // namespace agentops::server
