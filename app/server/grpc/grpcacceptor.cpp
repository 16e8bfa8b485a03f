// SPDX-License-Identifier: MIT
// The OTLP/gRPC port's own acceptor: connection limits in front of gRPC 1.51, which has none.
#include "server/grpc/grpcacceptor.h"

#include <grpcpp/server_builder.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <linux/tcp.h> // struct tcp_info with tcpi_bytes_received (glibc's has not)
#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace agentops::server {

namespace {

constexpr int kStopAccepting = 1;
constexpr int kStop = 2;
/// After the process ran out of descriptors, accepting waits this long before it tries again (the
/// pending connection would otherwise wake the loop at once, again and again).
constexpr int kAcceptPauseMs = 100;
/// How often what the connections hold is looked at (one getsockopt and one ioctl per connection):
/// what one can read in between is the bound's overshoot (~12 MiB at 500 MB/s).
constexpr int kMemoryTickMs = 25;
/// What a call's message does not account for of the bytes its connection read: HTTP/2's HEADERS
/// (a few hundred bytes at most after HPACK), frame headers and TLS records (~40 bytes per 16 KiB).
/// Generous, so that a busy connection's estimate does not creep up with its calls.
constexpr std::uint64_t kCallOverhead = 1024;
constexpr std::uint64_t kFramingDivisor = 256;

std::string connectionKey(const std::string &client, int port)
{
    return client + " " + std::to_string(port);
}

int portOf(const sockaddr_storage &ss)
{
    return ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6 &>(ss).sin6_port
                                          : reinterpret_cast<const sockaddr_in &>(ss).sin_port);
}

/// The client's address as the HTTP server spells it: "127.0.0.1", "::1", an IPv4 client of a
/// dual-stack socket without its "::ffff:".
std::string addressOf(const sockaddr_storage &ss)
{
    char text[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
        const auto &a = reinterpret_cast<const sockaddr_in &>(ss);
        ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    } else if (ss.ss_family == AF_INET6) {
        const auto &a = reinterpret_cast<const sockaddr_in6 &>(ss);
        if (IN6_IS_ADDR_V4MAPPED(&a.sin6_addr))
            ::inet_ntop(AF_INET, &a.sin6_addr.s6_addr[12], text, sizeof text);
        else
            ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    }
    return text;
}

int boundPort(int fd)
{
    sockaddr_storage ss {};
    socklen_t len = sizeof ss;
    if (::getsockname(fd, reinterpret_cast<sockaddr *>(&ss), &len) != 0)
        return 0;
    return ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6 &>(ss).sin6_port
                                          : reinterpret_cast<sockaddr_in &>(ss).sin_port);
}

void setPort(addrinfo *a, int port)
{
    if (a->ai_family == AF_INET6)
        reinterpret_cast<sockaddr_in6 *>(a->ai_addr)->sin6_port = htons(static_cast<std::uint16_t>(port));
    else
        reinterpret_cast<sockaddr_in *>(a->ai_addr)->sin_port = htons(static_cast<std::uint16_t>(port));
}

} // namespace

GrpcAcceptor::GrpcAcceptor(Limits limits, Hooks hooks)
    : m_limits(limits)
    , m_hooks(std::move(hooks))
{ }

GrpcAcceptor::~GrpcAcceptor()
{
    stop();
    for (int fd : m_listeners)
        ::close(fd);
}

bool GrpcAcceptor::listen(const std::string &host, int port, std::string &error)
{
    addrinfo hints {};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo *list = nullptr;
    if (const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &list); rc != 0) {
        error = ::gai_strerror(rc);
        return false;
    }
    // "::" alone accepts IPv4 clients too (as gRPC's own "[::]:port" does); a name with several
    // addresses ("localhost") gets one socket for each.
    const bool several = list && list->ai_next;
    for (addrinfo *a = list; a && error.empty(); a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            if (several && (errno == EAFNOSUPPORT || errno == EPROTONOSUPPORT))
                continue; // no IPv6 on this machine: the IPv4 address serves
            error = std::strerror(errno);
            break;
        }
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->ai_family == AF_INET6) {
            const int v6only = several ? 1 : 0;
            ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
        }
        if (m_port != 0)
            setPort(a, m_port);
        if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
            const int err = errno;
            ::close(fd);
            if (several && err == EADDRNOTAVAIL)
                continue;
            error = err == EADDRINUSE ? "the port is in use by another program" : std::strerror(err);
            break;
        }
        m_port = boundPort(fd);
        m_listeners.push_back(fd);
    }
    ::freeaddrinfo(list);
    if (error.empty() && m_listeners.empty())
        error = "no address to listen on";
    if (!error.empty()) {
        for (int fd : m_listeners)
            ::close(fd);
        m_listeners.clear();
        m_port = 0;
        return false;
    }
    return true;
}

void GrpcAcceptor::start(grpc::experimental::ExternalConnectionAcceptor *target)
{
    m_target = target;
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.fd = m_wake;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
    for (int fd : m_listeners) {
        ev.data.fd = fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    }
    m_thread = std::thread([this] { run(); });
}

void GrpcAcceptor::post(int command)
{
    std::lock_guard lock(m_stopMutex);
    if (!m_thread.joinable() || m_command.load() >= command)
        return;
    m_command = command;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(m_wake, &one, sizeof one);
    if (command == kStop) {
        m_thread.join();
        // Closed here if the thread stopped before it carried out a stop-accepting: the clients
        // still queued are refused now rather than when the acceptor is destroyed.
        for (int fd : m_listeners)
            ::close(fd);
        m_listeners.clear();
        for (const auto &[fd, connection] : m_duplicates)
            ::close(fd);
        m_duplicates.clear();
        m_perClient.clear();
        m_stats.open = 0;
        if (m_hooks.openChanged)
            m_hooks.openChanged(0);
        ::close(m_epoll);
        ::close(m_wake);
    }
}

void GrpcAcceptor::stopAccepting()
{
    // The thread carries the command out later, and may go on accepting until then: from now on it
    // closes what it accepts. gRPC's acceptor, once its server's Shutdown() has begun, neither
    // serves nor closes a connection it is given (it leaves the descriptor open), so a connection
    // handed over then would be held open, unanswered, until the client gave up.
    {
        std::lock_guard lock(m_handOverMutex);
        m_handingOver = false;
    }
    post(kStopAccepting);
}

void GrpcAcceptor::stop()
{
    post(kStop);
}

void GrpcAcceptor::run()
{
    using Clock = std::chrono::steady_clock;
    bool paused = false; ///< out of descriptors: accepting again at resumeAccepting
    Clock::time_point resumeAccepting = Clock::now();
    Clock::time_point nextAccount = Clock::now();
    epoll_event events[64];
    const auto msUntil = [](Clock::time_point t) {
        return static_cast<int>(
            std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(t - Clock::now()).count()));
    };
    // Carries out the command posted last; false once told to stop.
    const auto obey = [this] {
        if (m_command.load() == kStop)
            return false;
        if (m_command.load() == kStopAccepting && !m_listeners.empty()) {
            for (int fd : m_listeners) {
                ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
                ::close(fd);
            }
            m_listeners.clear();
        }
        return true;
    };
    for (;;) {
        // Commands are looked at before each wait as well as after it: one read of the wake-up
        // counter may take the wake-ups of two commands, the second posted while the first was
        // being carried out, and a wait after it would then sleep through the second.
        if (!obey())
            return;
        int timeout = -1;
        if (paused)
            timeout = msUntil(resumeAccepting);
        const bool accounting = m_limits.memory_bytes > 0 && !m_duplicates.empty();
        if (accounting)
            timeout = timeout < 0 ? msUntil(nextAccount) : std::min(timeout, msUntil(nextAccount));
        const int n = ::epoll_wait(m_epoll, events, static_cast<int>(std::size(events)), timeout);
        if (!obey())
            return;
        if (accounting && Clock::now() >= nextAccount) {
            account();
            nextAccount = Clock::now() + std::chrono::milliseconds(kMemoryTickMs);
        }
        if (paused && Clock::now() >= resumeAccepting) {
            paused = false;
            pauseAccepting(false);
        }
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == m_wake) {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto r = ::read(m_wake, &count, sizeof count);
            } else if (m_duplicates.count(fd)) {
                forget(fd); // EPOLLHUP or EPOLLERR: gRPC has shut the connection down
            } else if (std::find(m_listeners.begin(), m_listeners.end(), fd) != m_listeners.end()) {
                if (!acceptFrom(fd) && !paused) {
                    paused = true;
                    resumeAccepting = Clock::now() + std::chrono::milliseconds(kAcceptPauseMs);
                    pauseAccepting(true);
                }
            }
        }
    }
}

void GrpcAcceptor::pauseAccepting(bool paused)
{
    for (int fd : m_listeners) {
        epoll_event ev {};
        ev.events = paused ? 0u : static_cast<std::uint32_t>(EPOLLIN);
        ev.data.fd = fd;
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
    }
}

bool GrpcAcceptor::acceptFrom(int listener)
{
    for (;;) {
        sockaddr_storage ss {};
        socklen_t len = sizeof ss;
        const int fd = ::accept4(listener, reinterpret_cast<sockaddr *>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return !(errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM);
        }
        const std::string client = addressOf(ss);
        const bool total = m_duplicates.size() >= m_limits.max_connections;
        if (total || m_perClient[client] >= m_limits.max_connections_per_client) {
            ++(total ? m_stats.refused_total_limit : m_stats.refused_client_limit);
            if (!total && m_perClient[client] == 0)
                m_perClient.erase(client); // a limit of 0
            ::close(fd);
            if (m_hooks.refused)
                m_hooks.refused(!total, client);
            continue;
        }
        admit(fd, listener, client, portOf(ss));
    }
}

void GrpcAcceptor::admit(int fd, int listener, const std::string &client, int port)
{
    std::lock_guard lock(m_handOverMutex);
    if (!m_handingOver) {
        ::close(fd); // stopping: gRPC would not take it
        return;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const int duplicate = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    // No event asked for: epoll reports EPOLLHUP and EPOLLERR whatever the mask, and nothing else,
    // so the bytes gRPC reads never wake this thread.
    epoll_event ev {};
    ev.data.fd = duplicate;
    if (duplicate < 0 || ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, duplicate, &ev) != 0) {
        const int error = errno;
        if (duplicate >= 0)
            ::close(duplicate);
        ::close(fd);
        ++m_stats.dropped_no_resources;
        if (m_hooks.dropped)
            m_hooks.dropped(client, error);
        return;
    }
    m_duplicates.emplace(duplicate, Connection { client, connectionKey(client, port) });
    ++m_perClient[client];
    m_stats.open = m_duplicates.size();
    ++m_stats.accepted;
    if (m_hooks.openChanged)
        m_hooks.openChanged(m_duplicates.size());
    grpc::experimental::ExternalConnectionAcceptor::NewConnectionParameters p;
    p.listener_fd = listener;
    p.fd = fd; // gRPC's from now on: it closes it
    m_target->HandleNewConnection(&p);
}

void GrpcAcceptor::forget(int duplicate)
{
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, duplicate, nullptr);
    ::close(duplicate);
    const auto it = m_duplicates.find(duplicate);
    if (auto c = m_perClient.find(it->second.client); c != m_perClient.end() && --c->second == 0)
        m_perClient.erase(c);
    m_duplicates.erase(it);
    m_stats.open = m_duplicates.size();
    if (m_hooks.openChanged)
        m_hooks.openChanged(m_duplicates.size());
}

void GrpcAcceptor::delivered(const std::string &client, int port, std::size_t bytes)
{
    if (m_limits.memory_bytes == 0)
        return;
    std::lock_guard lock(m_deliveredMutex);
    Delivered &d = m_delivered[connectionKey(client, port)];
    d.bytes += bytes;
    ++d.calls;
}

void GrpcAcceptor::account()
{
    std::map<std::string, Delivered> delivered;
    {
        std::lock_guard lock(m_deliveredMutex);
        delivered.swap(m_delivered);
    }
    // What gRPC has read from each socket (the kernel's count of bytes received, less those still
    // waiting in the socket), less the messages it handed over: the messages it is still receiving,
    // plus HTTP/2's and TLS's framing, which the allowance per call takes back.
    std::uint64_t total = 0;
    for (auto &[fd, c] : m_duplicates) {
        tcp_info info {};
        socklen_t len = sizeof info;
        int unread = 0;
        if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) != 0 || ::ioctl(fd, SIOCINQ, &unread) != 0)
            continue;
        const std::uint64_t read = info.tcpi_bytes_received - static_cast<std::uint64_t>(std::max(0, unread));
        std::uint64_t held = c.held + (read > c.read ? read - c.read : 0);
        c.read = std::max(c.read, read);
        if (const auto d = delivered.find(c.key); d != delivered.end()) {
            const std::uint64_t off
                = d->second.bytes + d->second.bytes / kFramingDivisor + d->second.calls * kCallOverhead;
            held = held > off ? held - off : 0;
        }
        c.held = held;
        total += held;
    }
    // Over the bound: the connections holding most are shut down (gRPC then closes them and frees
    // what they held; their calls fail UNAVAILABLE, and clients retry on a new connection).
    while (total > m_limits.memory_bytes) {
        auto biggest = std::max_element(m_duplicates.begin(), m_duplicates.end(),
            [](const auto &a, const auto &b) { return a.second.held < b.second.held; });
        if (biggest == m_duplicates.end() || biggest->second.held == 0)
            break;
        ::shutdown(biggest->first, SHUT_RDWR);
        ++m_stats.closed_memory_limit;
        if (m_hooks.closedForMemory)
            m_hooks.closedForMemory(biggest->second.client, biggest->second.held);
        total -= biggest->second.held;
        biggest->second.held = 0;
    }
    m_stats.held_bytes = total;
    if (m_hooks.held)
        m_hooks.held(total);
}

} // namespace agentops::server
