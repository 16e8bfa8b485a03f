// SPDX-License-Identifier: MIT
#pragma once

#include "client/tracesource.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace agentops::client {

/// Where and how to reach an agentops-server. Nothing here is secret except the token, which the
/// caller keeps in the OS keychain (CredentialStore), never in settings or files.
struct RemoteConfig
{
    std::string base_url; ///< e.g. "https://agentops.example.com" or "http://127.0.0.1:4318"
    /// Session token from login() or an API key; sent as "Authorization: Bearer <token>".
    std::string token;
    /// Project name (or id) the queries are about; empty: the server picks the caller's only project.
    std::string project;
    std::string ca_file; ///< extra CA bundle (PEM) for a server with a private CA; empty: system CAs
    std::chrono::milliseconds connect_timeout { 5000 };
    std::chrono::milliseconds total_timeout { 60000 };
    /// Retries of 429/502/503/504 and of connection failures: exponential backoff with full jitter,
    /// honouring Retry-After; at most this many retries per call.
    int max_retries = 4;
    std::chrono::milliseconds backoff_base { 250 };
    std::chrono::milliseconds backoff_max { 8000 };
};

struct RemoteProject
{
    std::int64_t id = 0;
    std::string name;
};

/// Who the server says the caller is (GET /api/v1/me).
struct RemoteIdentity
{
    std::string email; ///< empty when signed in with an API key
    std::string display_name;
    bool api_key = false; ///< the token is an API key (scoped to one project)
    std::vector<RemoteProject> projects;
    std::int64_t session_expires_ns = 0; ///< absolute expiry of a session token; 0 for keys
};

struct LoginResult
{
    std::string token; ///< the session token; store it in the keychain
    RemoteIdentity identity;
};

/// Sign-in calls. Blocking, thread-safe; call from worker threads. Errors are SourceError with a kind
/// (Unauthorized for a wrong password or a revoked token, Offline when unreachable, ...).
class RemoteAuth
{
public:
    static LoginResult login(const RemoteConfig &config, const std::string &email, const std::string &password);
    /// Checks config.token (a session token or an API key) and says whose it is.
    static RemoteIdentity me(const RemoteConfig &config);
    /// Revokes the session token on the server (best effort: an unreachable server is not an error).
    static void logout(const RemoteConfig &config);
};

/// TraceSource over an agentops-server's HTTP API (libcurl). Thread-safe: each calling thread reuses
/// its own connection to the server. Never call it from the GUI thread (TraceSourceRunner does not).
class RemoteSource final : public TraceSource
{
public:
    explicit RemoteSource(RemoteConfig config);
    ~RemoteSource() override;

    QString displayName() const override;
    store::TracePage listTraces(const store::TraceQuery &query) override;
    std::shared_ptr<const store::TraceDetail> trace(const core::TraceId &id) override;
    std::optional<core::Span> span(const core::TraceId &traceId, const core::SpanId &spanId) override;
    store::SessionPage listSessions(const store::SessionQuery &query) override;
    std::vector<core::TraceSummary> sessionTraces(const std::string &sessionId) override;
    store::MetricsResult metrics(const store::MetricsQuery &query) override;
    /// Grows when a poll of the server finds newer data (the UI polls it to refresh live).
    std::uint64_t changeCounter() const override;

    /// Makes every call in flight and every later call fail with SourceError::Kind::Cancelled until
    /// resume() (the user moved on, or the source is being replaced).
    void cancelAll();
    void resume();

    const RemoteConfig &config() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace agentops::client
