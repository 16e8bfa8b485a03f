// SPDX-License-Identifier: MIT
#pragma once

#include "server/http/message.h"
#include "server/http/router.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::server::http {

/// What one client may make the server hold, and for how long. Every limit has a safe default;
/// docs/deployment.md lists them with the agentops-server options that set them.
struct Limits
{
    std::size_t max_header_bytes = std::size_t { 32 } * 1024; ///< request line and header fields together
    std::size_t max_header_count = 100;
    std::size_t max_request_line = std::size_t { 8 } * 1024;
    std::size_t max_small_body = std::size_t { 64 } * 1024; ///< routes that do not set Route::max_body
    int header_timeout_seconds = 10; ///< the whole header, from its first byte
    int body_timeout_seconds = 10; ///< the body may take this long plus ...
    std::size_t body_min_rate = std::size_t { 16 } * 1024; ///< ... one second per this many bytes received
    int keep_alive_seconds = 10; ///< idle between requests (and before the first)
    int write_timeout_seconds = 30; ///< an answer, plus one second per body_min_rate bytes
    std::size_t max_connections = 1024;
    std::size_t max_connections_per_client = 128;
    int tls_handshake_timeout_seconds = 10;
    int shutdown_timeout_seconds = 10; ///< stop(): requests in flight may finish within this
};

/// Which Host header values a server answers (a defence against DNS rebinding, for servers that
/// have no credentials to check): loopback names and addresses always, plus the names given.
struct HostPolicy
{
    bool enforce = false;
    std::vector<std::string> allowed; ///< host names or addresses, without port, any case
};

struct Options
{
    std::string host = "127.0.0.1";
    int port = 0; ///< 0 picks a free port
    int io_threads = 1;
    int worker_threads = 16;
    Limits limits;
    HostPolicy hosts;
    /// HTTPS when both are set (PEM).
    std::string tls_cert_file;
    std::string tls_key_file;
    /// Responses at least this big, of a text or JSON type, are gzipped when the client accepts it.
    std::size_t compress_min_bytes = 1024;
};

/// The application's part in every request, beside its routes.
struct Hooks
{
    /// Runs on an I/O thread once the header is in and well-formed, before routing: CORS, limits
    /// on small bodies, rate limits. Answers by setting Response::status.
    std::function<void(Request &, Response &)> guard;
    /// Writes a refusal the HTTP layer decided on (400, 404, 405, 408, 411, 413, 414, 421, 431, 500,
    /// 501, 503) in the application's error format.
    std::function<void(Response &, int status, std::string_view code, const std::string &message)> error;
    /// After the answer was written, or the request was given up (status 0 when nothing could be
    /// sent): the access log line and request metrics. Runs on an I/O thread.
    std::function<void(const Request &, const Response &, double milliseconds)> finished;
};

/// Counters of what happened to connections, for /metrics.
struct ConnectionStats
{
    std::atomic<std::uint64_t> open { 0 };
    std::atomic<std::uint64_t> accepted { 0 };
    std::atomic<std::uint64_t> refused_total_limit { 0 };
    std::atomic<std::uint64_t> refused_client_limit { 0 };
    std::atomic<std::uint64_t> timed_out { 0 };
    std::atomic<std::uint64_t> tls_failed { 0 };
    std::atomic<std::uint64_t> bad_requests { 0 };
};

/// An asynchronous HTTP/1.1 server (Boost.Beast on Boost.Asio): a few I/O threads carry every
/// connection and parse strictly (RFC 9112 framing, limits enforced as bytes arrive, deadlines on
/// every read and write), and a bounded pool of worker threads runs the steps of routes that may
/// block. No thread waits for a client. See docs/architecture.md "HTTP server".
class Server
{
public:
    Server(Options options, std::vector<Route> routes, Hooks hooks);
    ~Server();

    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    /// Binds and listens; false with a reason (the port is in use, the certificate does not load).
    bool bind(std::string &error);
    int port() const;
    /// Serves until stop() and the drain after it are over. Runs the I/O on this thread and
    /// io_threads - 1 more.
    void run();
    /// Stops accepting, closes idle connections and lets requests in flight finish (their answers
    /// say Connection: close) for at most shutdown_timeout_seconds; then closes what is left.
    /// Safe from any thread, also before run() (run() then returns at once).
    void stop();

    const ConnectionStats &stats() const;
    const Options &options() const;

    /// Is this Host header value (host, [v6] or either with :port) one the policy serves?
    static bool hostAllowed(std::string_view hostHeader, const HostPolicy &policy);
    /// Does Accept-Encoding ask for gzip (q > 0)?
    static bool acceptsGzip(std::string_view acceptEncoding);

    class Impl;

private:
    std::shared_ptr<Impl> d;
};

} // namespace agentops::server::http
