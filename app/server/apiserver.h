// SPDX-License-Identifier: MIT
#pragma once

#include "server/log.h"
#include "store/ingestpipeline.h"
#include "store/tracestore.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

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
    ApiServer(store::TraceStore &store, store::IngestPipeline &pipeline, ServerConfig config, Log &log);
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

    static const std::vector<RouteInfo> &routes();
    static const std::string &openApiDocument();

private:
    void installRoutes();

    store::TraceStore &m_store;
    store::IngestPipeline &m_pipeline;
    ServerConfig m_config;
    Log &m_log;
    class HttpServer;
    std::unique_ptr<HttpServer> m_http;
    int m_port = 0;
    std::atomic<int> m_faultsLeft { 0 };
    std::atomic<std::uint64_t> m_requestCounter { 0 };
};

} // namespace agentops::server
