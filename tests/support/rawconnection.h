// SPDX-License-Identifier: MIT
#pragma once

// A plain TCP connection to a loopback server, for requests an HTTP client library will not make:
// chunked bodies written by hand, lying or missing lengths, bodies that arrive slowly or never,
// pipelined requests, floods. POSIX sockets; header-only.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

namespace agentops::test {

/// A response read off a raw socket.
struct RawResponse
{
    bool complete = false;
    int status = 0;
    std::map<std::string, std::string> headers; ///< lower-case names
    std::string body;
    std::string header(const std::string &name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// A plain TCP connection for requests test::HttpClient cannot make: chunked bodies written by hand,
/// lying Content-Length, bodies that arrive slowly or never.
class RawConnection
{
public:
    /// localAddress: connect from this loopback address (all of 127/8 is this machine).
    explicit RawConnection(int port, const char *localAddress = nullptr)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (localAddress) {
            sockaddr_in local {};
            local.sin_family = AF_INET;
            ::inet_pton(AF_INET, localAddress, &local.sin_addr);
            // A source address that cannot be bound leaves the connection unmade (connected()).
            if (::bind(m_fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0)
                return;
        }
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval tv { 10, 0 };
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0;
    }
    ~RawConnection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool connected() const { return m_connected; }

    /// False when the peer stopped taking bytes (closed or reset the connection).
    bool send(std::string_view bytes)
    {
        while (!bytes.empty()) {
            const auto n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    void shutdownWrite() { ::shutdown(m_fd, SHUT_WR); }

    /// Has the peer sent something (or closed) that has not been read yet?
    bool readable(int timeoutMs = 0)
    {
        if (!m_buffer.empty())
            return true;
        pollfd p { m_fd, POLLIN, 0 };
        return ::poll(&p, 1, timeoutMs) > 0;
    }

    /// Reads one response (Content-Length framed), waiting at most timeoutMs for each piece.
    RawResponse readResponse(int timeoutMs = 10000)
    {
        RawResponse r;
        std::size_t headerEnd = std::string::npos;
        std::size_t need = std::string::npos;
        for (;;) {
            if (headerEnd == std::string::npos) {
                headerEnd = m_buffer.find("\r\n\r\n");
                if (headerEnd != std::string::npos)
                    need = parseHead(r, headerEnd);
            }
            if (headerEnd != std::string::npos && need != std::string::npos
                && m_buffer.size() >= headerEnd + 4 + need) {
                r.body = m_buffer.substr(headerEnd + 4, need);
                m_buffer.erase(0, headerEnd + 4 + need);
                r.complete = true;
                return r;
            }
            if (!fill(timeoutMs))
                return r;
        }
    }

    /// True when the server closes (or resets) the connection within timeoutMs.
    bool closedByPeer(int timeoutMs)
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p { m_fd, POLLIN, 0 };
            if (::poll(&p, 1, 50) <= 0)
                continue;
            char buf[4096];
            const auto n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                return true;
        }
        return false;
    }

private:
    bool fill(int timeoutMs)
    {
        pollfd p { m_fd, POLLIN, 0 };
        if (::poll(&p, 1, timeoutMs) <= 0)
            return false;
        char buf[65536];
        const auto n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n <= 0)
            return false;
        m_buffer.append(buf, static_cast<std::size_t>(n));
        return true;
    }

    std::size_t parseHead(RawResponse &r, std::size_t headerEnd)
    {
        const std::string head = m_buffer.substr(0, headerEnd);
        std::size_t lineEnd = head.find("\r\n");
        const std::string statusLine = head.substr(0, lineEnd);
        if (statusLine.size() > 12)
            r.status = std::atoi(statusLine.c_str() + 9);
        while (lineEnd != std::string::npos) {
            const std::size_t start = lineEnd + 2;
            lineEnd = head.find("\r\n", start);
            const std::string line
                = head.substr(start, lineEnd == std::string::npos ? std::string::npos : lineEnd - start);
            const auto colon = line.find(':');
            if (colon == std::string::npos)
                continue;
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            r.headers[name] = value;
        }
        const auto len = r.header("content-length");
        return len.empty() ? 0 : static_cast<std::size_t>(std::stoull(len));
    }

    int m_fd = -1;
    bool m_connected = false;
    std::string m_buffer;
};

} // namespace agentops::test
