// SPDX-License-Identifier: MIT
#include "server/access.h"

#include "server/accounts.h"
#include "server/projectstores.h"

namespace agentops::server {

AuthError rateLimited(const std::string &who, const RateLimiter::Decision &d)
{
    return AuthError { 429, "rate_limited",
        "too many requests from this " + who + "; retry after " + std::to_string(d.retry_after) + " s", d.retry_after };
}

bool namesProject(const std::string &wanted, const store::Project &p)
{
    const bool digits = !wanted.empty() && wanted.find_first_not_of("0123456789") == std::string::npos;
    return digits ? std::to_string(p.id) == wanted : p.name == wanted;
}

Access::Access(store::TraceStore &store, store::IngestPipeline &pipeline)
    : m_store(&store)
    , m_pipeline(&pipeline)
    , m_keyLimiter(std::make_unique<RateLimiter>(0, 0))
{ }

Access::Access(Accounts &accounts, ProjectStores &projects, double keyRate, double keyBurst)
    : m_accounts(&accounts)
    , m_projects(&projects)
    , m_keyLimiter(std::make_unique<RateLimiter>(keyRate, keyBurst))
{ }

Scope Access::resolve(const std::string &credential, const std::optional<std::string> &project, bool ingest)
{
    if (!m_accounts)
        return { *m_store, *m_pipeline };
    Caller caller;
    const auto failure = m_accounts->authenticate(credential, caller);
    if (failure != AuthFailure::None)
        throw AuthError { 401, "unauthorized", Accounts::describe(failure) };
    const std::string limitKey = caller.kind == Caller::Kind::ApiKey ? "key:" + std::to_string(caller.key.id)
                                                                     : "user:" + std::to_string(caller.user.id);
    if (const auto d = m_keyLimiter->take(limitKey); !d)
        throw rateLimited(caller.kind == Caller::Kind::ApiKey ? "API key" : "user", d);
    if (ingest) {
        if (caller.kind != Caller::Kind::ApiKey)
            throw AuthError { 403, "forbidden", "ingest takes a project API key, not a sign-in session" };
        if (project && !namesProject(*project, caller.projects.front()))
            throw AuthError { 403, "forbidden",
                "project: this API key belongs to project " + caller.projects.front().name + ", not " + *project };
        const auto scope = m_projects->open(caller.projects.front());
        return { scope.store, scope.pipeline };
    }
    const store::Project *chosen = nullptr;
    if (project) {
        for (const auto &p : caller.projects) {
            if (namesProject(*project, p))
                chosen = &p;
        }
        if (!chosen)
            throw AuthError { 403, "forbidden", "project: no access to project '" + *project + "'" };
    } else if (caller.projects.size() == 1) {
        chosen = &caller.projects.front();
    } else if (caller.projects.empty()) {
        throw AuthError { 403, "forbidden", "you are not a member of any project; ask an administrator" };
    } else {
        std::string names;
        for (const auto &p : caller.projects)
            names += (names.empty() ? "" : ", ") + p.name;
        throw AuthError { 400, "invalid_argument", "project: required, one of " + names };
    }
    const auto scope = m_projects->open(*chosen);
    return { scope.store, scope.pipeline };
}

} // namespace agentops::server
