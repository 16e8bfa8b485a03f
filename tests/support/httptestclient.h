// SPDX-License-Identifier: MIT
#pragma once

// A small blocking HTTP/1.1 client for tests (Boost.Beast, plain or TLS): one connection, kept
// alive when asked, deadlines on every step, gzip answers undone, and requests a library would not
// send for you (chunked bodies, any method, a chosen source address). Also a loopback server for
// tests of clients: the product's own http::Server with the routes a test installs.

#include "server/http/server.h"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace agentops::test {

struct HttpResponse
{
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// The first field of that name (any case), or "".
    std::string header(const std::string &name) const;
    bool hasHeader(const std::string &name) const;
};

/// An answer, or why there is none.
class HttpResult
{
public:
    HttpResult() = default;
    explicit HttpResult(HttpResponse r)
        : m_response(std::make_shared<HttpResponse>(std::move(r)))
    { }
    static HttpResult failure(std::string why)
    {
        HttpResult r;
        r.m_error = std::move(why);
        return r;
    }
    explicit operator bool() const { return m_response != nullptr; }
    const HttpResponse *operator->() const { return m_response.get(); }
    const HttpResponse &operator*() const { return *m_response; }
    const std::string &error() const { return m_error; }

private:
    std::shared_ptr<HttpResponse> m_response;
    std::string m_error;
};

class HttpClient
{
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;
    struct Tls
    {
        std::string ca_file; ///< PEM; empty: the system's CAs
        bool verify = true;
    };

    HttpClient(std::string host, int port);
    HttpClient(std::string host, int port, Tls tls);
    ~HttpClient();
    HttpClient(HttpClient &&) noexcept;
    HttpClient &operator=(HttpClient &&) noexcept;

    HttpResult get(const std::string &target, const Headers &headers = {});
    HttpResult post(const std::string &target, const std::string &body, const std::string &contentType);
    HttpResult post(
        const std::string &target, const Headers &headers, const std::string &body, const std::string &contentType);
    /// A chunked body: next(offset) returns the next piece, "" when done.
    HttpResult postChunked(
        const std::string &target, const std::function<std::string(std::size_t)> &next, const std::string &contentType);
    HttpResult put(const std::string &target, const std::string &body, const std::string &contentType);
    HttpResult del(const std::string &target, const Headers &headers = {});
    HttpResult options(const std::string &target, const Headers &headers = {});
    /// Any method; the body is sent with Content-Length when not empty or when the method is POST.
    HttpResult send(const std::string &method, const std::string &target, const Headers &headers,
        const std::string &body = {}, const std::string &contentType = {});

    /// Per step (connect, write, read); default 30 s.
    void setTimeout(std::chrono::milliseconds timeout);
    /// Keep the connection for the next request (default: Connection: close, one per request).
    void setKeepAlive(bool on);
    /// Ask for gzip and undo it (default on, as HTTP libraries do).
    void setDecompress(bool on);
    /// Connect from this local address (e.g. 127.0.0.7: all of 127/8 is this machine).
    void setLocalAddress(std::string address);

    class Impl;

private:
    std::unique_ptr<Impl> d;
};

/// http::Server on 127.0.0.1 and a free port, serving the routes given, on a thread of its own until
/// destroyed. For tests of clients: it checks no Host and has room for handlers that block.
class TestHttpServer
{
public:
    using Handler = std::function<void(const server::http::Request &, server::http::Response &)>;
    struct Route
    {
        std::string method;
        std::string path; ///< {name} matches one segment
        Handler handler;
    };
    /// port 0: a free one.
    explicit TestHttpServer(
        std::vector<Route> routes, std::string certFile = {}, std::string keyFile = {}, int port = 0);
    ~TestHttpServer();
    int port() const { return m_port; }
    bool ok() const { return m_port > 0; }

private:
    std::unique_ptr<server::http::Server> m_server;
    std::thread m_thread;
    int m_port = 0;
};

} // namespace agentops::test
