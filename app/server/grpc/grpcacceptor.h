// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace grpc::experimental {
class ExternalConnectionAcceptor;
}

namespace agentops::server {

/// The OTLP/gRPC port's listening sockets, ours rather than gRPC's. gRPC 1.51 (Debian 12) has no
/// limit on the connections it accepts; this accepts them itself, closes at once those beyond the
/// limits (in total, and per client address, as the HTTP port does), and hands the others to the
/// gRPC server through its ExternalConnectionAcceptor, which does the rest as for a connection of
/// its own: TLS handshake within its deadline, HTTP/2, calls. See docs/architecture.md "OTLP/gRPC".
///
/// gRPC does not say when it is done with a connection. Every connection it closes, it first shuts
/// down (shutdown(SHUT_RDWR), in the poller's fd_orphan): this keeps a duplicate of each socket and
/// waits, with epoll and no other event, for the hang-up that this causes; then the connection no
/// longer counts. The duplicate is the only thing it does with the socket: the bytes are gRPC's.
class GrpcAcceptor
{
public:
    struct Limits
    {
        std::size_t max_connections = 1024;
        std::size_t max_connections_per_client = 128;
        /// Bytes the connections may make gRPC hold at once (messages being received, before their
        /// call starts); beyond it the connection holding most is closed. 0: no bound.
        std::size_t memory_bytes = 0;
    };

    struct Stats
    {
        std::atomic<std::uint64_t> open { 0 };
        std::atomic<std::uint64_t> accepted { 0 };
        std::atomic<std::uint64_t> refused_total_limit { 0 };
        std::atomic<std::uint64_t> refused_client_limit { 0 };
        std::atomic<std::uint64_t> closed_memory_limit { 0 };
        /// Accepted, then closed unserved: no descriptor or epoll entry to watch it with.
        std::atomic<std::uint64_t> dropped_no_resources { 0 };
        std::atomic<std::uint64_t> held_bytes { 0 }; ///< the estimate of the last look
    };

    /// Told on the accepting thread, for metrics and the log.
    struct Hooks
    {
        std::function<void(std::size_t open)> openChanged;
        /// @p perClient: refused by the per-address limit, else by the total.
        std::function<void(bool perClient, const std::string &client)> refused;
        /// A connection closed because together they held more than memory_bytes.
        std::function<void(const std::string &client, std::size_t held)> closedForMemory;
        /// The estimate of what all connections hold, after each look.
        std::function<void(std::size_t held)> held;
        /// A connection accepted and then closed unserved, as the process could not watch it (out of
        /// descriptors, or of epoll entries): @p error is errno's.
        std::function<void(const std::string &client, int error)> dropped;
    };

    GrpcAcceptor(Limits limits, Hooks hooks = {});
    ~GrpcAcceptor();

    GrpcAcceptor(const GrpcAcceptor &) = delete;
    GrpcAcceptor &operator=(const GrpcAcceptor &) = delete;

    /// Binds and listens on every address @p host names (port 0: a free port, the same on each);
    /// false with the reason ("the port is in use by another program").
    bool listen(const std::string &host, int port, std::string &error);
    int port() const { return m_port; }
    /// Accepts on a thread of its own and gives each admitted connection to @p target (which the
    /// caller keeps alive until stop()).
    void start(grpc::experimental::ExternalConnectionAcceptor *target);
    /// Closes the listening sockets: new connections are refused by the system from now on. The
    /// connections already handed over go on until gRPC closes them. When it returns no connection
    /// is handed to gRPC any more (one being handed over is waited for; those accepted after are
    /// closed): call it before the gRPC server's Shutdown(), after which gRPC would neither serve
    /// nor close a connection it is given.
    void stopAccepting();
    /// Stops the thread, closes the listening sockets if they are still open, and forgets the
    /// connections still counted (call after the gRPC server's Shutdown()/Wait(), which closed them).
    /// Safe more than once.
    void stop();

    const Stats &stats() const { return m_stats; }

    /// A call's message of @p bytes (as received) has left gRPC for the receiver, on the connection
    /// of the client at @p client, @p port: it no longer counts among what that connection holds.
    /// Any thread.
    void delivered(const std::string &client, int port, std::size_t bytes);

private:
    void run();
    /// Accepts until none is pending; false when the process is out of descriptors or memory.
    bool acceptFrom(int listener);
    void admit(int fd, int listener, const std::string &client, int port);
    void pauseAccepting(bool paused);
    /// Every kMemoryTickMs while connections are open: what each holds, and the closing of the
    /// biggest holders while together they hold more than memory_bytes.
    void account();
    void forget(int duplicate);
    void post(int command);

    Limits m_limits;
    Hooks m_hooks;
    Stats m_stats;
    int m_port = 0;
    int m_epoll = -1;
    int m_wake = -1; ///< eventfd: stopAccepting() and stop() wake the thread with it
    std::vector<int> m_listeners;
    grpc::experimental::ExternalConnectionAcceptor *m_target = nullptr;
    struct Connection
    {
        std::string client;
        std::string key; ///< client address and port, as delivered() names the connection
        std::uint64_t read = 0; ///< bytes gRPC has read from the socket so far
        std::uint64_t held = 0; ///< of those, not yet delivered (an estimate from above)
    };
    /// Only the accepting thread touches these two.
    std::map<int, Connection> m_duplicates; ///< by duplicate fd
    std::map<std::string, std::size_t> m_perClient;
    struct Delivered
    {
        std::uint64_t bytes = 0;
        std::uint64_t calls = 0;
    };
    std::mutex m_deliveredMutex;
    std::map<std::string, Delivered> m_delivered; ///< by Connection::key, since the last account()
    /// Held while a connection is handed to gRPC; stopAccepting() clears m_handingOver under it.
    std::mutex m_handOverMutex;
    bool m_handingOver = true;
    std::atomic<int> m_command { 0 }; ///< 1: stop accepting, 2: stop
    std::mutex m_stopMutex;
    std::thread m_thread;
};

} // namespace agentops::server
