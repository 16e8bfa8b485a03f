// SPDX-License-Identifier: MIT
#include "server/http/server.h"

#include "core/text.h"
#include "server/http/serverimpl.h"

#include <boost/asio/ip/address.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <cstring>

namespace agentops::server::http {

namespace {

// TLS 1.2 suites with forward secrecy (ECDHE/DHE key exchange) and an AEAD cipher, strongest first
// (Mozilla's "intermediate" list); TLS 1.3 suites are OpenSSL's own, all of which qualify.
constexpr const char *kTls12Ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                                      "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

} // namespace

bool Server::hostAllowed(std::string_view hostHeader, const HostPolicy &policy)
{
    std::string_view value = core::trimBlanks(hostHeader);
    std::string_view host;
    std::string_view port;
    if (!value.empty() && value.front() == '[') {
        const auto close = value.find(']');
        if (close == std::string_view::npos)
            return false;
        host = value.substr(1, close - 1);
        const auto rest = value.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return false;
        port = rest.empty() ? rest : rest.substr(1);
    } else {
        const auto colon = value.find(':');
        if (colon != std::string_view::npos && value.find(':', colon + 1) != std::string_view::npos)
            return false; // a bare IPv6 literal is not a valid Host
        host = value.substr(0, colon);
        port = colon == std::string_view::npos ? std::string_view() : value.substr(colon + 1);
    }
    if (host.empty() || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    std::string name = core::asciiLower(host);
    if (name.size() > 1 && name.back() == '.')
        name.pop_back(); // "localhost." names the same host
    if (name == "localhost" || (name.size() > 10 && name.ends_with(".localhost")))
        return true;
    boost::system::error_code ec;
    const auto addr = boost::asio::ip::make_address(name, ec);
    if (!ec && addr.is_loopback())
        return true;
    if (!ec && addr.is_v6() && addr.to_v6().is_v4_mapped()
        && boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, addr.to_v6()).is_loopback()) // ::ffff:127.0.0.1
        return true;
    for (const auto &allowed : policy.allowed) {
        if (core::asciiLower(allowed) == name)
            return true;
    }
    return false;
}

bool Server::acceptsGzip(std::string_view acceptEncoding)
{
    bool gzip = false;
    bool star = false;
    bool gzipNamed = false;
    std::size_t pos = 0;
    while (pos <= acceptEncoding.size()) {
        const auto comma = std::min(acceptEncoding.find(',', pos), acceptEncoding.size());
        const auto item = acceptEncoding.substr(pos, comma - pos);
        pos = comma + 1;
        const auto semi = item.find(';');
        const std::string name = core::asciiLower(core::trimBlanks(item.substr(0, semi)));
        double q = 1;
        if (semi != std::string_view::npos) {
            const std::string params = core::asciiLower(item.substr(semi + 1));
            if (const auto qpos = params.find("q="); qpos != std::string::npos)
                q = std::atof(params.c_str() + qpos + 2);
        }
        if (name == "gzip" || name == "x-gzip") {
            gzipNamed = true;
            gzip = q > 0;
        } else if (name == "*") {
            star = q > 0;
        }
    }
    return gzipNamed ? gzip : star;
}

Server::Server(Options options, std::vector<Route> routes, Hooks hooks)
    : d(std::make_shared<Impl>(std::move(options), std::move(routes), std::move(hooks)))
{ }

Server::~Server()
{
    stop();
    d->shutdownWorkers();
}

bool Server::bind(std::string &error)
{
    return d->bind(error);
}

int Server::port() const
{
    return d->port;
}

void Server::run()
{
    d->run();
}

void Server::stop()
{
    d->stop();
}

const ConnectionStats &Server::stats() const
{
    return d->stats;
}

const Options &Server::options() const
{
    return d->opts;
}

// --- Impl: listening, accepting, stopping ----------------------------------------------------

Server::Impl::Impl(Options options, std::vector<Route> routes, Hooks hooksIn)
    : opts(std::move(options))
    , router(std::move(routes))
    , hooks(std::move(hooksIn))
    , acceptStrand(net::make_strand(ioc))
    , acceptor(acceptStrand)
    , drainTimer(acceptStrand)
    , acceptRetry(acceptStrand)
    , workers(std::max(1, opts.worker_threads), "agentops-http")
{ }

Server::Impl::~Impl()
{
    destroying = true;
    workers.shutdown();
}

bool Server::Impl::setUpTls(std::string &error)
{
    auto fail = [&] {
        error = "cannot start HTTPS with certificate " + opts.tls_cert_file + " and key " + opts.tls_key_file
            + ": the files cannot be read, are not PEM, or do not belong together";
        return false;
    };
    tls.emplace(ssl::context::tls_server);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3
        | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use
        | ssl::context::no_compression);
    SSL_CTX *ctx = tls->native_handle();
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
    if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
        return fail();
    SSL_CTX_set_dh_auto(ctx, 1);
    boost::system::error_code ec;
    tls->use_certificate_chain_file(opts.tls_cert_file, ec);
    if (ec)
        return fail();
    tls->use_private_key_file(opts.tls_key_file, ssl::context::pem, ec);
    if (ec || SSL_CTX_check_private_key(ctx) != 1)
        return fail();
    return true;
}

bool Server::Impl::bind(std::string &error)
{
    if (!opts.tls_cert_file.empty() && !setUpTls(error))
        return false;
    boost::system::error_code ec;
    tcp::resolver resolver(ioc);
    const auto endpoints = resolver.resolve(opts.host, std::to_string(opts.port),
        tcp::resolver::passive | tcp::resolver::numeric_service | tcp::resolver::address_configured, ec);
    if (ec) {
        error = "cannot listen on " + opts.host + ": " + ec.message();
        return false;
    }
    for (const auto &entry : endpoints) {
        acceptor.close(ec);
        acceptor.open(entry.endpoint().protocol(), ec);
        if (ec)
            continue;
        acceptor.set_option(net::socket_base::reuse_address(true), ec);
        acceptor.bind(entry.endpoint(), ec);
        if (!ec)
            acceptor.listen(net::socket_base::max_listen_connections, ec);
        if (!ec) {
            port = acceptor.local_endpoint().port();
            return true;
        }
    }
    if (opts.port == 0)
        error = "cannot listen on " + opts.host + ": " + ec.message();
    else
        error = "cannot listen on " + opts.host + ":" + std::to_string(opts.port) + ": "
            + (ec == net::error::address_in_use ? std::string("the port is in use by another program") : ec.message());
    acceptor.close(ec);
    return false;
}

void Server::Impl::run()
{
    work.emplace(ioc.get_executor());
    net::post(acceptStrand, [this] { accept(); });
    std::vector<std::thread> threads;
    for (int i = 0; i < std::max(1, opts.io_threads); ++i) {
        threads.emplace_back([this] {
            pthread_setname_np(pthread_self(), "agentops-io");
            ioc.run();
        });
    }
    for (auto &t : threads)
        t.join();
}

void Server::Impl::accept()
{
    if (!acceptor.is_open() || stopping)
        return;
    acceptor.async_accept(net::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
        if (ec) {
            if (!acceptor.is_open() || stopping)
                return;
            // Out of file descriptors (or a connection reset before it was taken): try again a bit
            // later rather than spinning.
            acceptRetry.expires_after(std::chrono::milliseconds(50));
            acceptRetry.async_wait([this](boost::system::error_code e) {
                if (!e)
                    accept();
            });
            return;
        }
        admit(std::move(socket));
        accept();
    });
}

std::string Server::Impl::peerAddress(const tcp::socket &socket, int &peerPort)
{
    boost::system::error_code ec;
    const auto peer = socket.remote_endpoint(ec);
    if (ec)
        return {};
    peerPort = peer.port();
    auto addr = peer.address();
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
        addr = net::ip::make_address_v4(net::ip::v4_mapped, addr.to_v6());
    return addr.to_string();
}

void Server::Impl::admit(tcp::socket socket)
{
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);
    int peerPort = 0;
    std::string addr = peerAddress(socket, peerPort);
    if (addr.empty())
        return; // already gone
    const char *refusal = nullptr;
    {
        std::lock_guard lock(connMutex);
        if (connections.size() >= opts.limits.max_connections) {
            ++stats.refused_total_limit;
            refusal = "the server has too many connections open; retry later";
        } else if (perClient[addr] >= opts.limits.max_connections_per_client) {
            ++stats.refused_client_limit;
            refusal = "too many connections from this address; retry later";
        }
        if (!refusal)
            ++perClient[addr];
    }
    if (refusal) {
        refuseConnection(std::move(socket), refusal);
        return;
    }
    ++stats.accepted;
    ConnectionPtr c = tls ? makeTlsConnection(*this, std::move(socket), std::move(addr), peerPort)
                          : makePlainConnection(*this, std::move(socket), std::move(addr), peerPort);
    {
        std::lock_guard lock(connMutex);
        connections.emplace(c.get(), c);
        stats.open = connections.size();
    }
    c->start();
}

void Server::Impl::forget(ConnectionBase *c, const std::string &addr)
{
    bool last = false;
    {
        std::lock_guard lock(connMutex);
        connections.erase(c);
        if (auto it = perClient.find(addr); it != perClient.end() && --it->second == 0)
            perClient.erase(it);
        stats.open = connections.size();
        last = connections.empty() && stopping;
    }
    // While the io_context is being destroyed, its pending handlers release their connections:
    // nothing may be posted then.
    if (last && !destroying)
        net::post(acceptStrand, [this] { finishStop(); });
}

std::vector<Server::Impl::ConnectionPtr> Server::Impl::liveConnections()
{
    std::vector<ConnectionPtr> out;
    std::lock_guard lock(connMutex);
    for (auto &[raw, weak] : connections) {
        if (auto c = weak.lock())
            out.push_back(std::move(c));
    }
    return out;
}

void Server::Impl::stop()
{
    if (stopping.exchange(true))
        return;
    net::post(acceptStrand, [this] {
        boost::system::error_code ec;
        acceptor.close(ec);
        acceptRetry.cancel();
        const auto live = liveConnections();
        for (const auto &c : live)
            c->stop();
        {
            std::lock_guard lock(connMutex);
            if (connections.empty()) {
                finishStop();
                return;
            }
        }
        drainTimer.expires_after(std::chrono::seconds(std::max(0, opts.limits.shutdown_timeout_seconds)));
        drainTimer.async_wait([this](boost::system::error_code e) {
            if (e || finished)
                return;
            // The drain took too long: close what is left, and give the I/O threads a moment to
            // run the closes before they are stopped.
            for (const auto &c : liveConnections())
                c->forceClose();
            drainTimer.expires_after(std::chrono::milliseconds(200));
            drainTimer.async_wait([this](boost::system::error_code) {
                finished = true;
                work.reset();
                ioc.stop();
            });
        });
    });
}

void Server::Impl::finishStop()
{
    if (finished)
        return;
    finished = true;
    drainTimer.cancel();
    work.reset();
}

void Server::Impl::shutdownWorkers()
{
    workers.shutdown();
}

std::string Server::Impl::nextRequestId()
{
    char id[24];
    std::snprintf(id, sizeof id, "%08llx", static_cast<unsigned long long>(++requestCounter));
    return id;
}

} // namespace agentops::server::http
