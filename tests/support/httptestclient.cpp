// SPDX-License-Identifier: MIT
#include "support/httptestclient.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <zlib.h>

#include <optional>

namespace agentops::test {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

std::string lower(std::string s)
{
    for (auto &c : s)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return s;
}

bool gunzip(const std::string &in, std::string &out)
{
    z_stream z {};
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        return false;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    char buf[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef *>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    return rc == Z_STREAM_END;
}

} // namespace

std::string HttpResponse::header(const std::string &name) const
{
    const std::string wanted = lower(name);
    for (const auto &[k, v] : headers) {
        if (lower(k) == wanted)
            return v;
    }
    return {};
}

bool HttpResponse::hasHeader(const std::string &name) const
{
    const std::string wanted = lower(name);
    for (const auto &[k, v] : headers) {
        if (lower(k) == wanted)
            return true;
    }
    return false;
}

class HttpClient::Impl
{
public:
    Impl(std::string host, int port, std::optional<Tls> tls)
        : m_host(std::move(host))
        , m_port(port)
        , m_tls(std::move(tls))
    { }

    HttpResult send(const std::string &method, const std::string &target, const Headers &headers,
        const std::string &body, const std::string &contentType, const std::function<std::string(std::size_t)> *next)
    {
        const std::string bytes = serialize(method, target, headers, body, contentType, next);
        m_head = method == "HEAD";
        const bool reused = m_stream || m_tlsStream;
        auto result = exchange(bytes);
        // A kept connection the server has closed meanwhile: once more on a new one.
        if (!result && reused && m_nothingRead)
            result = exchange(bytes);
        return result;
    }

    std::chrono::milliseconds timeout { 30000 };
    bool keepAlive = false;
    bool decompress = true;
    std::string localAddress;

private:
    std::string serialize(const std::string &method, const std::string &target, const Headers &headers,
        const std::string &body, const std::string &contentType, const std::function<std::string(std::size_t)> *next)
    {
        std::string out = method + " " + target + " HTTP/1.1\r\nHost: " + m_host + ":" + std::to_string(m_port)
            + "\r\nUser-Agent: agentops-tests\r\n";
        bool hasEncoding = false;
        for (const auto &[k, v] : headers) {
            out.append(k).append(": ").append(v).append("\r\n");
            hasEncoding = hasEncoding || lower(k) == "accept-encoding";
        }
        if (decompress && !hasEncoding)
            out += "Accept-Encoding: gzip, deflate\r\n";
        if (!keepAlive)
            out += "Connection: close\r\n";
        if (!contentType.empty())
            out += "Content-Type: " + contentType + "\r\n";
        if (next) {
            out += "Transfer-Encoding: chunked\r\n\r\n";
            for (std::size_t offset = 0;;) {
                const std::string piece = (*next)(offset);
                char size[32];
                std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
                out += size;
                out += piece;
                out += "\r\n";
                if (piece.empty())
                    break;
                offset += piece.size();
            }
            return out;
        }
        if (!body.empty() || method == "POST" || method == "PUT")
            out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
        out += "\r\n";
        out += body;
        return out;
    }

    bool connect(std::string &error)
    {
        beast::error_code ec;
        tcp::resolver resolver(m_ioc);
        const auto endpoints = resolver.resolve(m_host, std::to_string(m_port), ec);
        if (ec) {
            error = "resolve: " + ec.message();
            return false;
        }
        beast::tcp_stream stream(m_ioc);
        if (!localAddress.empty()) {
            stream.socket().open(tcp::v4(), ec);
            stream.socket().bind(tcp::endpoint(net::ip::make_address(localAddress), 0), ec);
            if (ec) {
                error = "bind " + localAddress + ": " + ec.message();
                return false;
            }
        }
        stream.expires_after(timeout);
        bool done = false;
        if (localAddress.empty()) {
            stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint &) {
                ec = e;
                done = true;
            });
        } else {
            // One endpoint: connecting to a range would reopen the socket and lose its bound address.
            stream.async_connect(endpoints.begin()->endpoint(), [&](beast::error_code e) {
                ec = e;
                done = true;
            });
        }
        run(done);
        if (ec) {
            error = ec == beast::error::timeout ? "connect timed out" : "connect: " + ec.message();
            return false;
        }
        if (!m_tls) {
            m_stream.emplace(std::move(stream));
            return true;
        }
        m_ssl.emplace(ssl::context::tls_client);
        if (m_tls->verify) {
            m_ssl->set_verify_mode(ssl::verify_peer);
            if (m_tls->ca_file.empty())
                m_ssl->set_default_verify_paths();
            else
                m_ssl->load_verify_file(m_tls->ca_file, ec);
        } else {
            m_ssl->set_verify_mode(ssl::verify_none);
        }
        m_tlsStream.emplace(std::move(stream), *m_ssl);
        SSL_set_tlsext_host_name(m_tlsStream->native_handle(), m_host.c_str());
        if (m_tls->verify)
            m_tlsStream->set_verify_callback(ssl::host_name_verification(m_host));
        m_tlsStream->next_layer().expires_after(timeout);
        done = false;
        m_tlsStream->async_handshake(ssl::stream_base::client, [&](beast::error_code e) {
            ec = e;
            done = true;
        });
        run(done);
        if (ec) {
            error = "TLS handshake: " + ec.message();
            closeConnection();
            return false;
        }
        return true;
    }

    void run(bool &done)
    {
        m_ioc.restart();
        while (!done && m_ioc.run_one() > 0) { }
    }

    template<typename Stream>
    HttpResult exchangeOn(Stream &stream, const std::string &bytes)
    {
        beast::get_lowest_layer(stream).expires_after(timeout);
        beast::error_code writeError;
        bool done = false;
        net::async_write(stream, net::buffer(bytes), [&](beast::error_code e, std::size_t) {
            writeError = e;
            done = true;
        });
        run(done);
        // Even when the write failed (the server answered early and closed), the answer may be there.
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(boost::none);
        parser.header_limit(1 << 20);
        parser.skip(m_head);
        beast::error_code ec;
        beast::get_lowest_layer(stream).expires_after(timeout);
        done = false;
        bhttp::async_read(stream, m_buffer, parser, [&](beast::error_code e, std::size_t n) {
            ec = e;
            m_nothingRead = n == 0;
            done = true;
        });
        run(done);
        if (ec) {
            closeConnection();
            if (writeError)
                return HttpResult::failure("write: " + writeError.message() + "; read: " + ec.message());
            return HttpResult::failure(ec == beast::error::timeout ? "read timed out" : "read: " + ec.message());
        }
        auto message = parser.release();
        HttpResponse r;
        r.status = static_cast<int>(message.result_int());
        for (const auto &f : message)
            r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        r.body = std::move(message.body());
        if (decompress && lower(r.header("Content-Encoding")) == "gzip") {
            std::string plain;
            if (!gunzip(r.body, plain))
                return HttpResult::failure("the gzip answer does not decompress");
            r.body = std::move(plain);
        }
        if (!keepAlive || !message.keep_alive())
            closeConnection();
        return HttpResult(std::move(r));
    }

    HttpResult exchange(const std::string &bytes)
    {
        m_nothingRead = false;
        if (!m_stream && !m_tlsStream) {
            std::string error;
            if (!connect(error))
                return HttpResult::failure(error);
        }
        return m_tlsStream ? exchangeOn(*m_tlsStream, bytes) : exchangeOn(*m_stream, bytes);
    }

    void closeConnection()
    {
        beast::error_code ec;
        if (m_stream)
            m_stream->socket().close(ec);
        if (m_tlsStream)
            m_tlsStream->next_layer().socket().close(ec);
        m_stream.reset();
        m_tlsStream.reset();
        m_buffer.clear();
    }

    std::string m_host;
    int m_port;
    std::optional<Tls> m_tls;
    net::io_context m_ioc;
    std::optional<ssl::context> m_ssl;
    std::optional<beast::tcp_stream> m_stream;
    std::optional<beast::ssl_stream<beast::tcp_stream>> m_tlsStream;
    beast::flat_buffer m_buffer;
    bool m_nothingRead = false;
    bool m_head = false;
};

HttpClient::HttpClient(std::string host, int port)
    : d(std::make_unique<Impl>(std::move(host), port, std::nullopt))
{ }

HttpClient::HttpClient(std::string host, int port, Tls tls)
    : d(std::make_unique<Impl>(std::move(host), port, std::move(tls)))
{ }

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient &&) noexcept = default;
HttpClient &HttpClient::operator=(HttpClient &&) noexcept = default;

HttpResult HttpClient::get(const std::string &target, const Headers &headers)
{
    return d->send("GET", target, headers, {}, {}, nullptr);
}

HttpResult HttpClient::post(const std::string &target, const std::string &body, const std::string &contentType)
{
    return d->send("POST", target, {}, body, contentType, nullptr);
}

HttpResult HttpClient::post(
    const std::string &target, const Headers &headers, const std::string &body, const std::string &contentType)
{
    return d->send("POST", target, headers, body, contentType, nullptr);
}

HttpResult HttpClient::postChunked(
    const std::string &target, const std::function<std::string(std::size_t)> &next, const std::string &contentType)
{
    return d->send("POST", target, {}, {}, contentType, &next);
}

HttpResult HttpClient::put(const std::string &target, const std::string &body, const std::string &contentType)
{
    return d->send("PUT", target, {}, body, contentType, nullptr);
}

HttpResult HttpClient::del(const std::string &target, const Headers &headers)
{
    return d->send("DELETE", target, headers, {}, {}, nullptr);
}

HttpResult HttpClient::options(const std::string &target, const Headers &headers)
{
    return d->send("OPTIONS", target, headers, {}, {}, nullptr);
}

HttpResult HttpClient::send(const std::string &method, const std::string &target, const Headers &headers,
    const std::string &body, const std::string &contentType)
{
    return d->send(method, target, headers, body, contentType, nullptr);
}

void HttpClient::setTimeout(std::chrono::milliseconds timeout)
{
    d->timeout = timeout;
}

void HttpClient::setKeepAlive(bool on)
{
    d->keepAlive = on;
}

void HttpClient::setDecompress(bool on)
{
    d->decompress = on;
}

void HttpClient::setLocalAddress(std::string address)
{
    d->localAddress = std::move(address);
}

// --- the test server ---------------------------------------------------------------------------

TestHttpServer::TestHttpServer(std::vector<Route> routes, std::string certFile, std::string keyFile, int port)
{
    server::http::Options options;
    options.host = "127.0.0.1";
    options.port = port;
    options.worker_threads = 16;
    options.tls_cert_file = std::move(certFile);
    options.tls_key_file = std::move(keyFile);
    options.limits.shutdown_timeout_seconds = 2;
    std::vector<server::http::Route> table;
    for (auto &r : routes) {
        server::http::Route route;
        route.method = r.method;
        route.path = r.path;
        route.handle
            = [h = std::move(r.handler)](server::http::Request &req, server::http::Response &res) { h(req, res); };
        table.push_back(std::move(route));
    }
    server::http::Hooks hooks;
    hooks.guard = [](server::http::Request &, server::http::Response &) {};
    hooks.error = [](server::http::Response &res, int status, std::string_view code, const std::string &message) {
        res.status = status;
        res.setContent(
            "{\"error\":{\"code\":\"" + std::string(code) + "\",\"message\":\"" + message + "\"}}", "application/json");
    };
    m_server = std::make_unique<server::http::Server>(std::move(options), std::move(table), std::move(hooks));
    std::string error;
    if (!m_server->bind(error)) {
        std::fprintf(stderr, "test server: %s\n", error.c_str());
        return;
    }
    m_port = m_server->port();
    m_thread = std::thread([this] { m_server->run(); });
}

TestHttpServer::~TestHttpServer()
{
    m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace agentops::test
