// SPDX-License-Identifier: MIT
#pragma once

#include "server/ratelimiter.h"
#include "store/authstore.h"
#include "store/ingestpipeline.h"
#include "store/tracestore.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace agentops::server {

class Accounts;
class ProjectStores;

/// A request without the right to what it asked for: 401 (no valid credentials), 403 (valid, but
/// not for this), 400 (which project is meant cannot be told), 429 (over a rate limit), 503.
struct AuthError
{
    int status;
    std::string code;
    std::string message;
    std::int64_t retry_after = 0; ///< 429, 503: seconds
};

AuthError rateLimited(const std::string &who, const RateLimiter::Decision &d);

/// The store and pipeline a request may reach.
struct Scope
{
    store::TraceStore &store;
    store::IngestPipeline &pipeline;
};

/// Who may reach which store: open mode (one store, no credentials) or team mode (API keys and
/// sessions, one store per project). Shared by every transport and route, so a key means the same
/// on OTLP/HTTP, the native API, the query API and any other receiver.
class Access
{
public:
    /// Open mode.
    Access(store::TraceStore &store, store::IngestPipeline &pipeline);
    /// Team mode; keyRate/keyBurst: the token bucket per API key or signed-in user.
    Access(Accounts &accounts, ProjectStores &projects, double keyRate, double keyBurst);

    bool teamMode() const { return m_accounts != nullptr; }
    Accounts *accounts() const { return m_accounts; }
    ProjectStores *projects() const { return m_projects; }
    store::TraceStore *openStore() const { return m_store; }
    store::IngestPipeline *openPipeline() const { return m_pipeline; }

    /// The store a caller may reach with this credential (a bearer token or x-api-key value) and
    /// optional project (name or id). Ingest needs an API key and writes to its project. Throws
    /// AuthError; a failing account or project store throws its own exception.
    Scope resolve(const std::string &credential, const std::optional<std::string> &project, bool ingest);

private:
    Accounts *m_accounts = nullptr;
    ProjectStores *m_projects = nullptr;
    store::TraceStore *m_store = nullptr;
    store::IngestPipeline *m_pipeline = nullptr;
    std::unique_ptr<RateLimiter> m_keyLimiter;
};

/// Does a project parameter ("name" or "id") name this project? Names hold a letter, so a value of
/// digits only is an id and never a name.
bool namesProject(const std::string &wanted, const store::Project &p);

} // namespace agentops::server
