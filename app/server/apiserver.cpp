// SPDX-License-Identifier: MIT
#include "server/apiserver.h"

#include "server/accounts.h"
#include "server/options.h"
#include "server/projectstores.h"
#include "server/routeutil.h"

namespace agentops::server {

namespace {

/// What kind of route an entry is: decides its body limit, where its steps run and whether it
/// needs a body.
enum class Kind {
    Ingest, ///< big bodies, admitted before reading, handled on a worker
    Query, ///< store reads, on a worker
    Account, ///< small JSON bodies, on a worker
    Probe, ///< answered on the I/O thread: never waits
};

struct RouteEntry
{
    const char *method;
    const char *path;
    Kind kind;
    void (ApiServer::*handle)(Request &, Response &);
};

} // namespace

// The route table: the one list that both installs the handlers and documents the routes, so
// /openapi.json cannot drift from what the server answers. Guards that apply to every route are in
// requestguards.cpp; the handlers in ingestroutes.cpp, queryroutes.cpp, accountroutes.cpp and adminroutes.cpp.
struct ApiServer::Table
{
    static const std::vector<RouteEntry> &entries()
    {
        static const std::vector<RouteEntry> table = {
            { "POST", "/v1/traces", Kind::Ingest, &ApiServer::otlpIngest },
            { "POST", "/api/v1/ingest", Kind::Ingest, &ApiServer::nativeIngest },
            { "GET", "/api/v1/traces", Kind::Query, &ApiServer::listTraces },
            // Before /traces/{trace_id}: the first route whose template matches answers.
            { "GET", "/api/v1/traces/diff", Kind::Query, &ApiServer::traceDiff },
            { "GET", "/api/v1/traces/{trace_id}", Kind::Query, &ApiServer::getTrace },
            { "GET", "/api/v1/traces/{trace_id}/spans/{span_id}", Kind::Query, &ApiServer::getSpan },
            { "GET", "/api/v1/changes", Kind::Query, &ApiServer::changes },
            { "GET", "/api/v1/sessions", Kind::Query, &ApiServer::listSessions },
            { "GET", "/api/v1/sessions/{session_id}", Kind::Query, &ApiServer::getSession },
            { "GET", "/api/v1/metrics", Kind::Query, &ApiServer::dashboardMetrics },
            { "GET", "/api/v1/models/prices", Kind::Query, &ApiServer::prices },
            { "POST", "/api/v1/auth/login", Kind::Account, &ApiServer::login },
            { "POST", "/api/v1/auth/logout", Kind::Account, &ApiServer::logout },
            { "GET", "/api/v1/me", Kind::Account, &ApiServer::me },
            { "GET", "/api/v1/projects", Kind::Account, &ApiServer::projects },
            { "GET", "/api/v1/projects/{project}/keys", Kind::Account, &ApiServer::listKeys },
            { "POST", "/api/v1/projects/{project}/keys", Kind::Account, &ApiServer::createKey },
            { "POST", "/api/v1/keys/{key_id}/rotate", Kind::Account, &ApiServer::rotateKey },
            { "DELETE", "/api/v1/keys/{key_id}", Kind::Account, &ApiServer::revokeKey },
            { "GET", "/api/v1/alerts", Kind::Query, &ApiServer::listAlerts },
            { "GET", "/api/v1/alerts/rules", Kind::Query, &ApiServer::listAlertRules },
            { "POST", "/api/v1/alerts/rules", Kind::Account, &ApiServer::createAlertRule },
            { "DELETE", "/api/v1/alerts/rules/{rule_id}", Kind::Account, &ApiServer::deleteAlertRule },
            { "POST", "/api/v1/admin/erase", Kind::Account, &ApiServer::adminErase },
            { "POST", "/api/v1/admin/export", Kind::Account, &ApiServer::adminExport },
            { "GET", "/api/v1/admin/audit", Kind::Account, &ApiServer::adminAudit },
            { "GET", "/healthz", Kind::Probe, &ApiServer::healthz },
            { "GET", "/readyz", Kind::Query, &ApiServer::readyz },
            { "GET", "/metrics", Kind::Query, &ApiServer::prometheusMetrics },
            { "GET", "/openapi.json", Kind::Query, &ApiServer::openApi }, // 60 KB to gzip: a worker
        };
        return table;
    }
};

extern const char *const kOpenApiJson; // generated from resources/openapi.json

const std::vector<RouteInfo> &ApiServer::routes()
{
    static const std::vector<RouteInfo> infos = [] {
        std::vector<RouteInfo> out;
        for (const auto &e : Table::entries())
            out.push_back({ e.method, e.path });
        return out;
    }();
    return infos;
}

const std::string &ApiServer::openApiDocument()
{
    static const std::string doc = kOpenApiJson;
    return doc;
}

std::vector<http::Route> ApiServer::makeRoutes()
{
    std::vector<http::Route> out;
    for (const auto &e : Table::entries()) {
        http::Route r;
        r.method = e.method;
        r.path = e.path;
        r.handle = [this, fn = e.handle](Request &req, Response &res) { (this->*fn)(req, res); };
        r.handle_runs = e.kind == Kind::Probe ? http::Runs::IoThread : http::Runs::Worker;
        if (e.kind == Kind::Ingest) {
            r.max_body = m_config.max_body_bytes;
            r.needs_length = true;
            const bool otlp = e.handle == &ApiServer::otlpIngest;
            r.admit = [this, otlp](Request &req, Response &res) { otlp ? admitOtlp(req, res) : admitNative(req, res); };
            // Open mode checks no credentials: nothing to wait for.
            r.admit_runs = m_access->teamMode() ? http::Runs::Worker : http::Runs::IoThread;
        }
        if (e.handle == &ApiServer::login) {
            r.needs_length = true;
            r.hold = [this](Request &req, Response &res) { return holdLogin(req, res); };
        }
        if (e.handle == &ApiServer::createKey || e.handle == &ApiServer::createAlertRule
            || e.handle == &ApiServer::adminErase || e.handle == &ApiServer::adminExport)
            r.needs_length = true;
        out.push_back(std::move(r));
    }
    return out;
}

http::Hooks ApiServer::makeHooks()
{
    http::Hooks hooks;
    hooks.guard = [this](Request &req, Response &res) { guard(req, res); };
    hooks.error = [](Response &res, int status, std::string_view code, const std::string &message) {
        setJsonError(res, status, code, message);
    };
    hooks.finished = [this](const Request &req, const Response &res, double ms) { finished(req, res, ms); };
    return hooks;
}

ApiServer::ApiServer(store::TraceStore &store, store::IngestPipeline &pipeline, ServerConfig config, Log &log)
    : ApiServer(std::make_unique<Access>(store, pipeline), std::move(config), log)
{ }

ApiServer::ApiServer(Accounts &accounts, ProjectStores &projects, ServerConfig config, Log &log)
    : ApiServer(std::make_unique<Access>(accounts, projects, config.key_rate, config.key_burst), std::move(config), log)
{ }

ApiServer::ApiServer(std::unique_ptr<Access> access, ServerConfig config, Log &log)
    : m_access(std::move(access))
    , m_config(std::move(config))
    , m_log(log)
{
    CorsPolicy::Options cors;
    cors.origins = m_config.cors_origins;
    cors.allow_credentials = m_config.cors_credentials;
    m_cors = CorsPolicy(cors);
    m_clientLimiter = std::make_unique<RateLimiter>(m_config.client_rate, m_config.client_burst);
    m_loginLimiter = std::make_unique<LoginLimiter>(m_config.login_rate, m_config.login_burst);
    IngestService::Options ingest;
    ingest.max_body_bytes = m_config.max_body_bytes;
    ingest.max_decompressed_bytes = m_config.max_decompressed_bytes;
    ingest.retry_after_seconds = m_config.retry_after_seconds;
    ingest.fault_unavailable = m_config.fault_unavailable;
    ingest.max_value_bytes = m_config.max_value_bytes;
    ingest.redactor = m_config.redactor;
    m_ingest = std::make_unique<IngestService>(*m_access, *m_clientLimiter, m_metrics, m_log, ingest);

    http::Options options;
    options.host = m_config.host;
    options.port = m_config.port;
    options.io_threads = m_config.io_threads;
    options.worker_threads = m_config.worker_threads;
    options.limits = m_config.limits;
    options.tls_cert_file = m_config.tls_cert_file;
    options.tls_key_file = m_config.tls_key_file;
    // Without credentials to check, a request must at least be meant for this machine: a web page
    // that rebinds its own name to 127.0.0.1 sends its own name as Host.
    options.hosts.enforce = !m_access->teamMode();
    options.hosts.allowed = m_config.allowed_hosts;
    // Listening on one address of this machine: requests to that address are meant for it.
    if (!isWildcardHost(m_config.host))
        options.hosts.allowed.push_back(m_config.host);
    m_http = std::make_unique<http::Server>(std::move(options), makeRoutes(), makeHooks());
    registerMetrics();
}

ApiServer::~ApiServer()
{
    stop();
}

void ApiServer::registerMetrics()
{
    m_latency = &m_metrics.histogram("agentops_http_request_duration_seconds",
        "Time from the request line to the response, by the server's clock.", prom::Registry::defaultLatencyBuckets());
    m_metrics.gaugeCallback("agentops_ingest_queue_spans", "Spans accepted and waiting for the writer.", [this] {
        double queued = 0;
        if (auto *projects = m_access->projects())
            projects->forEachOpen([&](std::int64_t, ProjectStores::Scope scope) {
                queued += static_cast<double>(scope.pipeline.queuedSpans());
            });
        else
            queued = static_cast<double>(m_access->openPipeline()->queuedSpans());
        return queued;
    });
    const auto &stats = m_http->stats();
    m_metrics.gaugeCallback("agentops_http_open_connections", "Client connections open now.",
        [&stats] { return static_cast<double>(stats.open.load()); });
    m_metrics.gaugeCallback(
        "agentops_http_refused_connections", "Connections refused since start, by limit.", [&stats] {
            return std::vector<prom::Registry::Sample> {
                { { { "limit", "total" } }, static_cast<double>(stats.refused_total_limit.load()) },
                { { { "limit", "per_client" } }, static_cast<double>(stats.refused_client_limit.load()) },
            };
        });
    m_metrics.gaugeCallback("agentops_http_timed_out_connections",
        "Connections closed since start because a deadline passed (idle, header, body, TLS handshake).",
        [&stats] { return static_cast<double>(stats.timed_out.load()); });
}

const http::HostPolicy &ApiServer::hostPolicy() const
{
    return m_http->options().hosts;
}

bool ApiServer::bind(std::string &error)
{
    if (!m_http->bind(error))
        return false;
    m_port = m_http->port();
    return true;
}

void ApiServer::run()
{
    m_http->run();
}

void ApiServer::stop()
{
    if (m_http)
        m_http->stop();
}

} // namespace agentops::server
