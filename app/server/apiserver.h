// SPDX-License-Identifier: MIT
#pragma once

#include "core/scratchpool.h"
#include "ingest/decode.h"
#include "server/cors.h"
#include "server/log.h"
#include "server/prometheus.h"
#include "server/ratelimiter.h"
#include "store/ingestpipeline.h"
#include "store/tracestore.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace httplib {
struct Request;
}

namespace agentops::server {

struct ServerConfig
{
    std::string host = "127.0.0.1";
    int port = 4318; ///< 0 picks a free port (see ApiServer::port())
    std::size_t max_body_bytes = 16u << 20; ///< on the wire, before decompression
    std::size_t max_decompressed_bytes = 64u << 20; ///< after Content-Encoding is undone
    /// Each open connection holds a worker while it waits for its next request (keep-alive), so
    /// there must be more workers than clients that keep connections open.
    int worker_threads = 64;
    int keep_alive_seconds = 10;
    int retry_after_seconds = 1;
    /// HTTPS when both are set: PEM certificate (chain) and private key files.
    std::string tls_cert_file;
    std::string tls_key_file;
    /// Token buckets (requests per second and burst; rate 0: unlimited): per API key or session,
    /// per client address (every route but health and metrics), and for sign-in attempts per
    /// client address. Over the limit: 429 with Retry-After.
    double key_rate = 0;
    double key_burst = 0;
    double client_rate = 0;
    double client_burst = 0;
    double login_rate = 0;
    double login_burst = 0;
    /// Browser origins allowed to call the API (scheme://host[:port]); empty: CORS off.
    std::vector<std::string> cors_origins;
    bool cors_credentials = false;
    /// Fault injection for tests of client retries: answer this many ingest requests with 503.
    int fault_unavailable = 0;
};

/// One HTTP route, for /openapi.json and its test.
struct RouteInfo
{
    std::string method;
    std::string path; ///< OpenAPI spelling, e.g. /api/v1/traces/{trace_id}
};

/// The HTTP face of the ingest, query and health code: OTLP/HTTP on /v1/traces, the native ingest
/// API, the query API, health and the OpenAPI document. The desktop app's embedded server and
/// agentops-server are this class bound to different addresses.
class Accounts;
class ProjectStores;

class ApiServer
{
public:
    /// Open mode (the desktop's embedded server, agentops-server --auth none): one store, no sign-in.
    ApiServer(store::TraceStore &store, store::IngestPipeline &pipeline, ServerConfig config, Log &log);
    /// Team mode: ingest needs an API key and files spans under its project; queries need an API key
    /// or a session token and reach only the caller's projects.
    ApiServer(Accounts &accounts, ProjectStores &projects, ServerConfig config, Log &log);
    ~ApiServer();

    ApiServer(const ApiServer &) = delete;
    ApiServer &operator=(const ApiServer &) = delete;

    /// Binds the listening socket; false with a reason (e.g. the port is in use).
    bool bind(std::string &error);
    /// The bound port (after bind()).
    int port() const { return m_port; }
    /// Serves until stop(); in-flight requests are finished before it returns.
    void run();
    /// Stops accepting connections; safe from any thread (and from a signal-handling thread).
    void stop();

    /// The registry /metrics renders; the owner adds gauges of its own (database size, retention).
    prom::Registry &metrics() { return m_metrics; }

    static const std::vector<RouteInfo> &routes();
    static const std::string &openApiDocument();

private:
    ApiServer(Accounts *accounts, ProjectStores *projects, ServerConfig config, Log &log);
    void installRoutes();
    void installAccountRoutes();
    struct Scope
    {
        store::TraceStore &store;
        store::IngestPipeline &pipeline;
    };
    /// The store a request may reach. Throws AuthError (401/403/400) when it may reach none.
    Scope resolve(const httplib::Request &req, bool ingest);

    Accounts *m_accounts = nullptr;
    ProjectStores *m_projects = nullptr;
    store::TraceStore *m_store = nullptr; ///< open mode
    store::IngestPipeline *m_pipeline = nullptr; ///< open mode
    ServerConfig m_config;
    Log &m_log;
    class HttpServer;
    std::unique_ptr<HttpServer> m_http;
    int m_port = 0;
    std::atomic<int> m_faultsLeft { 0 };
    /// Password checks running now (each holds Argon2id's memory for a moment).
    std::atomic<int> m_passwordChecks { 0 };
    static constexpr int kMaxPasswordChecks = 4;
    CorsPolicy m_cors;
    std::unique_ptr<RateLimiter> m_keyLimiter;
    std::unique_ptr<RateLimiter> m_clientLimiter;
    std::unique_ptr<RateLimiter> m_loginLimiter;
    prom::Registry m_metrics;
    prom::Histogram *m_latency = nullptr;
    prom::Counter *m_ingestedSpans = nullptr;
    /// Rejected spans and requests by reason (see docs/api.md "Metrics").
    prom::Counter &rejectedSpans(const std::string &reason);
    prom::Counter &rejectedRequests(const std::string &reason);
    std::atomic<std::uint64_t> m_requestCounter { 0 };
    /// Decoded requests, reused by one ingest request after another: spans decoded into a reused
    /// result keep the storage of the ones before (DecodeResult::clear bounds it).
    core::ScratchPool<ingest::DecodeResult> m_decoded { 8, [](ingest::DecodeResult &d) { d.clear(); } };
};

} // namespace agentops::server
