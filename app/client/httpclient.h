// SPDX-License-Identifier: MIT
#pragma once

#include "client/remotesource.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace agentops::client {

/// The HTTP part of RemoteSource, over libcurl: one connection (an easy handle in its own multi
/// handle, which keeps the connection cache) per calling thread, reused from call to call; timeouts,
/// TLS verification with an optional extra CA file, proxies from the environment (libcurl's own
/// http_proxy/https_proxy/no_proxy handling, left on), gzip/deflate answers, retries with backoff,
/// and cancellation that interrupts transfers and backoff waits at once. Thread-safe.
class HttpClient
{
public:
    explicit HttpClient(RemoteConfig config);
    ~HttpClient();

    HttpClient(const HttpClient &) = delete;
    HttpClient &operator=(const HttpClient &) = delete;

    using Query = std::vector<std::pair<std::string, std::string>>;
    struct Request
    {
        bool post = false;
        std::string path; ///< e.g. "/api/v1/traces"
        Query query;
        std::string body; ///< POST: a JSON object
        bool bearer = true; ///< send the token (not for sign-in)
    };
    struct Response
    {
        long status = 0;
        std::string body;
        /// Retry-After of the last answer in ms (-1: none). Set when retries gave up on a 429/503.
        long long retry_after_ms = -1;
    };

    /// Sends the request, retrying as the retry rules say (see retryDelay), and returns the final
    /// answer, whatever its status. Throws SourceError for what is not an HTTP answer: Offline
    /// (unreachable, TLS failure, timeout), Cancelled, Other (an address that is not a URL).
    Response send(const Request &request);

    /// The answer's body when the status is 2xx; otherwise SourceError with the kind of the status
    /// and the server's own error message.
    std::string expectOk(const Request &request, const Response &response) const;

    /// Interrupts every transfer and backoff wait in flight; every send fails with Cancelled until
    /// resume().
    void cancelAll();
    void resume();
    bool cancelled() const { return m_cancelled.load(); }

    const RemoteConfig &config() const { return m_config; }
    /// base_url without a trailing '/'.
    const std::string &baseUrl() const { return m_base; }
    std::string url(const Request &request) const;

    /// How long to wait before retry number `attempt` (0-based): full jitter over
    /// min(backoff_max, backoff_base * 2^attempt). Exposed for tests.
    std::chrono::milliseconds backoff(int attempt);
    /// Parses a Retry-After value (delay-seconds or an HTTP-date) into ms from now; -1 when unreadable.
    static long long parseRetryAfter(const std::string &value);

private:
    struct Handle;
    Handle &handleForThisThread();
    /// One transfer, no retries. Returns the CURLcode (as int); fills response.
    int perform(Handle &h, const Request &request, Response &response, std::string &error, long &osErrno);
    /// Waits for d or until cancelled; false when cancelled.
    bool sleepFor(std::chrono::milliseconds d);
    [[noreturn]] void throwTransportError(int code, const std::string &error, long osErrno) const;

    RemoteConfig m_config;
    std::string m_base;
    std::atomic<bool> m_cancelled { false };
    std::mutex m_mutex; ///< guards m_handles, m_rng; m_sleepCv waits on it
    std::condition_variable m_sleepCv;
    std::map<std::thread::id, std::unique_ptr<Handle>> m_handles;
    std::uint64_t m_rngState;
};

} // namespace agentops::client
