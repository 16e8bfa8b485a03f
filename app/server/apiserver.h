// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/redaction.h"
#include "server/access.h"
#include "server/cors.h"
#include "server/http/server.h"
#include "server/ingestservice.h"
#include "server/log.h"
#include "server/loginlimiter.h"
#include "server/prometheus.h"
#include "server/ratelimiter.h"
#include "store/ingestpipeline.h"
#include "store/tracestore.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace agentops::server {

class Accounts;
class ProjectStores;
using http::Request;
using http::Response;

struct ServerConfig
{
    std::string host = "127.0.0.1";
    int port = 4318; ///< 0 picks a free port (see ApiServer::port())
    std::size_t max_body_bytes = 16u << 20; ///< on the wire, before decompression
    std::size_t max_decompressed_bytes = 64u << 20; ///< after Content-Encoding is undone
    /// A longer value (attribute, payload, name, message) is stored cut, with a marker; 0: no limit.
    std::size_t max_value_bytes = ingest::kDefaultMaxValueBytes;
    /// Redaction at ingest (ingest/redaction.h); null: none.
    std::shared_ptr<const ingest::Redactor> redactor;
    /// Threads for the steps that may block: store queries, password checks, ingest requests
    /// waiting for their commit (more of them waiting makes larger group commits). Connections
    /// hold none while they wait for a client.
    int worker_threads = 64;
    /// Threads that carry every connection's reads and writes.
    int io_threads = 2;
    /// Header, body, keep-alive and TLS handshake deadlines, header limits, connection limits,
    /// the shutdown drain (docs/deployment.md "Limits").
    http::Limits limits;
    int retry_after_seconds = 1;
    /// HTTPS when both are set: PEM certificate (chain) and private key files.
    std::string tls_cert_file;
    std::string tls_key_file;
    /// Token buckets (requests per second and burst; rate 0: unlimited): per API key or session,
    /// per client address (every route but health and metrics), and for sign-in attempts per
    /// client address and per account and client address together. Over the limit: 429 with
    /// Retry-After.
    double key_rate = 0;
    double key_burst = 0;
    double client_rate = 0;
    double client_burst = 0;
    double login_rate = 0;
    double login_burst = 0;
    /// Browser origins allowed to call the API (scheme://host[:port]); empty: CORS off.
    std::vector<std::string> cors_origins;
    bool cors_credentials = false;
    /// Open mode (no credentials) answers only requests whose Host is a loopback name or address,
    /// or one of these names (DNS rebinding); team mode answers any Host.
    std::vector<std::string> allowed_hosts;
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
    /// Serves until stop(); requests in flight are finished (within the shutdown deadline) before
    /// it returns.
    void run();
    /// Stops accepting connections and drains; safe from any thread, also before run().
    void stop();

    /// The registry /metrics renders; the owner adds gauges of its own (database size, retention).
    prom::Registry &metrics() { return m_metrics; }
    /// The transport-independent ingest entry point (for receivers of other protocols).
    IngestService &ingest() { return *m_ingest; }
    /// What receivers of other protocols share with this server: its limits, TLS files and log.
    const ServerConfig &config() const { return m_config; }
    Log &log() { return m_log; }
    /// Team mode (credentials checked) rather than open mode.
    bool teamMode() const { return m_access->teamMode(); }
    /// The Host values open mode answers: loopback, --allow-host names, the address listened on.
    const http::HostPolicy &hostPolicy() const;

    static const std::vector<RouteInfo> &routes();
    static const std::string &openApiDocument();

private:
    struct Table;
    ApiServer(std::unique_ptr<Access> access, ServerConfig config, Log &log);

    /// The route table (apiserver.cpp) made into the HTTP server's routes.
    std::vector<http::Route> makeRoutes();
    http::Hooks makeHooks();
    void registerMetrics();

    // requestguards.cpp: what every request passes before routing, and what it leaves in the log.
    void guard(Request &req, Response &res);
    void finished(const Request &req, const Response &res, double ms);

    // ingestroutes.cpp
    void admitOtlp(Request &req, Response &res);
    void admitNative(Request &req, Response &res);
    void otlpIngest(Request &req, Response &res);
    void nativeIngest(Request &req, Response &res);

    // queryroutes.cpp
    Scope resolve(const Request &req);
    void listTraces(Request &req, Response &res);
    void getTrace(Request &req, Response &res);
    void traceDiff(Request &req, Response &res);
    void getSpan(Request &req, Response &res);
    void changes(Request &req, Response &res);
    void listSessions(Request &req, Response &res);
    void getSession(Request &req, Response &res);
    void prices(Request &req, Response &res);
    void dashboardMetrics(Request &req, Response &res);
    void healthz(Request &req, Response &res);
    void readyz(Request &req, Response &res);
    void openApi(Request &req, Response &res);
    void prometheusMetrics(Request &req, Response &res);

    // accountroutes.cpp
    std::chrono::milliseconds holdLogin(Request &req, Response &res);
    void login(Request &req, Response &res);
    void logout(Request &req, Response &res);
    void me(Request &req, Response &res);
    void projects(Request &req, Response &res);
    void listKeys(Request &req, Response &res);
    void createKey(Request &req, Response &res);
    void rotateKey(Request &req, Response &res);
    void revokeKey(Request &req, Response &res);

    // alertroutes.cpp
    void listAlertRules(Request &req, Response &res);
    void createAlertRule(Request &req, Response &res);
    void deleteAlertRule(Request &req, Response &res);
    void listAlerts(Request &req, Response &res);
    // adminroutes.cpp
    void adminErase(Request &req, Response &res);
    void adminExport(Request &req, Response &res);
    void adminAudit(Request &req, Response &res);

    std::unique_ptr<Access> m_access;
    ServerConfig m_config;
    Log &m_log;
    int m_port = 0;
    /// Password checks running now (each holds Argon2id's memory for a moment).
    std::atomic<int> m_passwordChecks { 0 };
    static constexpr int kMaxPasswordChecks = 4;
    CorsPolicy m_cors;
    std::unique_ptr<RateLimiter> m_clientLimiter;
    std::unique_ptr<LoginLimiter> m_loginLimiter;
    prom::Registry m_metrics;
    prom::Histogram *m_latency = nullptr;
    std::unique_ptr<IngestService> m_ingest;
    std::unique_ptr<http::Server> m_http;
};

} // namespace agentops::server
