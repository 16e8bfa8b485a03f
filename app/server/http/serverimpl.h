// SPDX-License-Identifier: MIT
#pragma once

// Inside of http::Server, shared by server.cpp (listening, accepting, stopping) and connection.cpp
// (one connection's requests). Only these two files include Boost.

#include "server/http/server.h"
#include "server/http/workerpool.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace agentops::server::http {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

/// A connection as the server's bookkeeping sees it (plain or TLS).
class ConnectionBase : public std::enable_shared_from_this<ConnectionBase>
{
public:
    virtual ~ConnectionBase() = default;
    virtual void start() = 0;
    /// Graceful: idle connections close now, a request in flight is answered first.
    virtual void stop() = 0;
    virtual void forceClose() = 0;
};

class Server::Impl
{
public:
    using ConnectionPtr = std::shared_ptr<ConnectionBase>;

    Impl(Options options, std::vector<Route> routes, Hooks hooks);
    ~Impl();

    bool bind(std::string &error);
    void run();
    void stop();
    void shutdownWorkers();

    /// A connection ended (from its destructor).
    void forget(ConnectionBase *c, const std::string &addr);
    std::string nextRequestId();

    // Declared in the order they must be destroyed last to first: connections still held by queued
    // tasks or pending handlers unregister themselves from the bookkeeping while it still exists.
    Options opts;
    Router router;
    Hooks hooks;
    ConnectionStats stats;
    std::mutex connMutex;
    std::unordered_map<ConnectionBase *, std::weak_ptr<ConnectionBase>> connections;
    std::unordered_map<std::string, std::size_t> perClient;
    std::atomic<std::uint64_t> requestCounter { 0 };
    std::atomic<bool> stopping { false };
    std::atomic<bool> destroying { false }; ///< set first thing in ~Impl
    int port = 0;

    net::io_context ioc;
    std::optional<ssl::context> tls;
    net::strand<net::io_context::executor_type> acceptStrand;
    tcp::acceptor acceptor;
    net::steady_timer drainTimer;
    net::steady_timer acceptRetry;
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    bool finished = false; ///< on acceptStrand
    WorkerPool workers;

private:
    bool setUpTls(std::string &error);
    void accept();
    void admit(tcp::socket socket);
    void refuseConnection(tcp::socket socket, const char *why);
    void finishStop();
    std::vector<ConnectionPtr> liveConnections();
    static std::string peerAddress(const tcp::socket &socket, int &peerPort);
};

Server::Impl::ConnectionPtr makePlainConnection(Server::Impl &server, tcp::socket socket, std::string addr, int port);
Server::Impl::ConnectionPtr makeTlsConnection(Server::Impl &server, tcp::socket socket, std::string addr, int port);

} // namespace agentops::server::http
