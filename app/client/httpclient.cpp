// SPDX-License-Identifier: MIT
#include "client/httpclient.h"

#include "api/apiwire.h"
#include "core/span.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <random>

#ifndef AGENTOPS_VERSION
#define AGENTOPS_VERSION "0"
#endif

namespace agentops::client {

/// The largest answer read from a server.
constexpr std::size_t kMaxAnswerBytes = std::size_t(2) << 30;

namespace {

/// curl_global_init is not thread-safe and must run once per process, before any handle exists.
void globalInit()
{
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

std::string percentEncode(std::string_view s)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

using core::asciiLower;

bool retryableStatus(const HttpClient::Request &request, long status)
{
    // A POST (sign-in) is repeated only where the server says it did not process it.
    if (request.post)
        return status == 429 || status == 503;
    return status == 429 || status == 502 || status == 503 || status == 504;
}

bool retryableTransport(const HttpClient::Request &request, CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return true; // nothing was sent: safe for any method
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE: return !request.post;
    default: return false;
    }
}

std::string describeSeconds(long long ms)
{
    if (ms % 1000 == 0)
        return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

} // namespace

struct HttpClient::Handle
{
    CURL *easy = nullptr;
    CURLM *multi = nullptr;
    std::string body;
    std::string retryAfter;
    char error[CURL_ERROR_SIZE] {};

    ~Handle()
    {
        if (easy)
            curl_easy_cleanup(easy);
        if (multi)
            curl_multi_cleanup(multi);
    }
};

HttpClient::HttpClient(RemoteConfig config)
    : m_config(std::move(config))
    , m_base(m_config.base_url)
    , m_rngState(std::random_device {}())
{
    globalInit();
    while (!m_base.empty() && m_base.back() == '/')
        m_base.pop_back();
}

HttpClient::~HttpClient() = default;

std::string HttpClient::url(const Request &request) const
{
    std::string out = m_base + request.path;
    char sep = '?';
    for (const auto &[key, value] : request.query) {
        out.push_back(sep);
        sep = '&';
        out += percentEncode(key);
        out.push_back('=');
        out += percentEncode(value);
    }
    return out;
}

HttpClient::Handle &HttpClient::handleForThisThread()
{
    std::lock_guard lock(m_mutex);
    auto &slot = m_handles[std::this_thread::get_id()];
    if (slot)
        return *slot;
    auto h = std::make_unique<Handle>();
    h->easy = curl_easy_init();
    h->multi = curl_multi_init();
    if (!h->easy || !h->multi)
        throw SourceError("cannot start an HTTP client (libcurl failed to initialise)");
    CURL *e = h->easy;
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, h->error);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_config.connect_timeout.count()));
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(m_config.total_timeout.count()));
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!m_config.ca_file.empty())
        curl_easy_setopt(e, CURLOPT_CAINFO, m_config.ca_file.c_str());
    // gzip and deflate only: with "" libcurl would also offer br, and a server that then compresses a
    // big answer with brotli at its highest quality (as some servers do) takes ~45 s for a 70 MB trace
    // that gzip compresses in ~0.4 s.
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "gzip, deflate");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "agentops-monitor/" AGENTOPS_VERSION);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    // Never follow redirects: the bearer token must not travel to another host.
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    // CURLOPT_PROXY is deliberately not set: libcurl then takes http_proxy, https_proxy, all_proxy
    // and no_proxy from the environment.
    curl_easy_setopt(e, CURLOPT_WRITEDATA, h.get());
    curl_easy_setopt(
        e, CURLOPT_WRITEFUNCTION, +[](char *data, size_t size, size_t n, void *user) -> size_t {
            auto *handle = static_cast<Handle *>(user);
            // A server that answers without end must not take the app's memory: no answer of the
            // API comes near this (a 1M-span trace read narrow is about 300 MB).
            if (handle->body.size() + size * n > kMaxAnswerBytes)
                return 0; // CURLE_WRITE_ERROR
            handle->body.append(data, size * n);
            return size * n;
        });
    curl_easy_setopt(e, CURLOPT_HEADERDATA, h.get());
    curl_easy_setopt(
        e, CURLOPT_HEADERFUNCTION, +[](char *data, size_t size, size_t n, void *user) -> size_t {
            const std::string_view line(data, size * n);
            auto *handle = static_cast<Handle *>(user);
            if (line.rfind("HTTP/", 0) == 0) {
                handle->retryAfter.clear(); // a new answer (after 100 Continue or a proxy's CONNECT)
            } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
                if (asciiLower(line.substr(0, colon)) == "retry-after")
                    handle->retryAfter = core::trimWhitespace(line.substr(colon + 1));
            }
            return size * n;
        });
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(
        e, CURLOPT_XFERINFOFUNCTION, +[](void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> int {
            return static_cast<HttpClient *>(user)->m_cancelled.load() ? 1 : 0;
        });
    slot = std::move(h);
    return *slot;
}

int HttpClient::perform(Handle &h, const Request &request, Response &response, std::string &error, long &osErrno)
{
    CURL *e = h.easy;
    h.body.clear();
    h.retryAfter.clear();
    h.error[0] = 0;
    const std::string target = url(request);
    curl_easy_setopt(e, CURLOPT_URL, target.c_str());
    curl_slist *headers = nullptr;
    headers = curl_slist_append(headers, "Accept: application/json");
    std::string auth;
    if (request.bearer && !m_config.token.empty()) {
        auth = "Authorization: Bearer " + m_config.token;
        headers = curl_slist_append(headers, auth.c_str());
    }
    if (request.post) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);

    // The multi interface so cancelAll() can wake a transfer that waits on a silent server at once
    // (curl_multi_wakeup) instead of at the next progress callback.
    CURLcode result = CURLE_OK;
    bool finished = false;
    curl_multi_add_handle(h.multi, e);
    for (;;) {
        int running = 0;
        if (curl_multi_perform(h.multi, &running) != CURLM_OK) {
            result = CURLE_FAILED_INIT;
            break;
        }
        int left = 0;
        while (CURLMsg *msg = curl_multi_info_read(h.multi, &left)) {
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == e) {
                result = msg->data.result;
                finished = true;
            }
        }
        if (finished)
            break;
        if (m_cancelled.load()) {
            result = CURLE_ABORTED_BY_CALLBACK;
            break;
        }
        if (running == 0) {
            result = CURLE_RECV_ERROR;
            break;
        }
        curl_multi_poll(h.multi, nullptr, 0, 1000, nullptr);
    }
    curl_multi_remove_handle(h.multi, e);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, nullptr);
    curl_slist_free_all(headers);

    error = h.error;
    osErrno = 0;
    curl_easy_getinfo(e, CURLINFO_OS_ERRNO, &osErrno);
    if (result == CURLE_OK) {
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        response.status = status;
        response.body = std::move(h.body);
        response.retry_after_ms = h.retryAfter.empty() ? -1 : parseRetryAfter(h.retryAfter);
    }
    h.body.clear();
    h.body.shrink_to_fit();
    return static_cast<int>(result);
}

long long HttpClient::parseRetryAfter(const std::string &value)
{
    long long seconds = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && p == value.data() + value.size() && !value.empty())
        return seconds < 0 ? 0 : std::min<long long>(seconds, 365LL * 86400) * 1000;
    const time_t when = curl_getdate(value.c_str(), nullptr);
    if (when == -1)
        return -1;
    const auto now = std::chrono::system_clock::now();
    const auto at = std::chrono::system_clock::from_time_t(when);
    // Rounded up: a retry a fraction of a millisecond before the date would be too early.
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(at - now).count();
    return ms < 0 ? 0 : ms;
}

std::chrono::milliseconds HttpClient::backoff(int attempt)
{
    const long long base = std::max<long long>(1, m_config.backoff_base.count());
    const long long max = std::max<long long>(base, m_config.backoff_max.count());
    long long cap = base;
    for (int i = 0; i < attempt && cap < max; ++i)
        cap *= 2;
    cap = std::min(cap, max);
    std::lock_guard lock(m_mutex);
    std::mt19937_64 rng(m_rngState);
    m_rngState = rng();
    std::uniform_int_distribution<long long> d(0, cap);
    return std::chrono::milliseconds(d(rng));
}

bool HttpClient::sleepFor(std::chrono::milliseconds d)
{
    std::unique_lock lock(m_mutex);
    return !m_sleepCv.wait_for(lock, d, [this] { return m_cancelled.load(); });
}

void HttpClient::cancelAll()
{
    m_cancelled = true;
    std::lock_guard lock(m_mutex);
    m_sleepCv.notify_all();
    for (auto &[id, h] : m_handles)
        curl_multi_wakeup(h->multi);
}

void HttpClient::resume()
{
    m_cancelled = false;
}

HttpClient::Response HttpClient::send(const Request &request)
{
    if (m_cancelled.load())
        throw SourceError("cancelled", SourceError::Kind::Cancelled);
    Handle &h = handleForThisThread();
    const int maxRetries = std::max(0, m_config.max_retries);
    for (int attempt = 0;; ++attempt) {
        Response response;
        std::string error;
        long osErrno = 0;
        const auto code = static_cast<CURLcode>(perform(h, request, response, error, osErrno));
        if (code == CURLE_ABORTED_BY_CALLBACK || m_cancelled.load())
            throw SourceError("cancelled", SourceError::Kind::Cancelled);
        std::chrono::milliseconds wait { 0 };
        if (code == CURLE_OK) {
            if (!retryableStatus(request, response.status) || attempt >= maxRetries)
                return response;
            // Retry-After is honoured as given (no jitter, never shorter); one longer than
            // backoff_max is not waited for: the answer goes back to the caller at once.
            if (response.retry_after_ms >= 0) {
                if (response.retry_after_ms > m_config.backoff_max.count())
                    return response;
                wait = std::chrono::milliseconds(response.retry_after_ms);
            } else {
                wait = backoff(attempt);
            }
        } else {
            if (!retryableTransport(request, code) || attempt >= maxRetries)
                throwTransportError(code, error, osErrno);
            wait = backoff(attempt);
        }
        if (!sleepFor(wait))
            throw SourceError("cancelled", SourceError::Kind::Cancelled);
    }
}

void HttpClient::throwTransportError(int code, const std::string &error, long osErrno) const
{
    using Kind = SourceError::Kind;
    const std::string detail = error.empty() ? std::string(curl_easy_strerror(static_cast<CURLcode>(code))) : error;
    const std::string where = "cannot reach " + m_base + ": ";
    switch (static_cast<CURLcode>(code)) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        throw SourceError("'" + m_config.base_url
                + "' is not a server address (expected http://host:port or "
                  "https://host)",
            Kind::Other);
    case CURLE_COULDNT_RESOLVE_HOST: throw SourceError(where + "host not found (" + detail + ")", Kind::Offline);
    case CURLE_COULDNT_RESOLVE_PROXY:
        throw SourceError(where + "the proxy's host was not found (" + detail + ")", Kind::Offline);
    case CURLE_COULDNT_CONNECT:
        if (osErrno == ECONNREFUSED || asciiLower(detail).find("refused") != std::string::npos)
            throw SourceError(where + "connection refused", Kind::Offline);
        throw SourceError(where + "cannot connect (" + detail + ")", Kind::Offline);
    case CURLE_OPERATION_TIMEDOUT:
        if (asciiLower(detail).find("connection timed out") != std::string::npos
            || asciiLower(detail).find("connection timeout") != std::string::npos)
            throw SourceError(
                where + "no connection within " + describeSeconds(m_config.connect_timeout.count()), Kind::Offline);
        throw SourceError(
            where + "no complete answer within " + describeSeconds(m_config.total_timeout.count()), Kind::Offline);
    case CURLE_GOT_NOTHING:
        throw SourceError(where + "the server closed the connection without answering", Kind::Offline);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR: throw SourceError(where + "the connection broke (" + detail + ")", Kind::Offline);
    case CURLE_PARTIAL_FILE: throw SourceError(where + "the answer was cut off (" + detail + ")", Kind::Offline);
    case CURLE_PEER_FAILED_VERIFICATION:
        throw SourceError(where + "the server's TLS certificate cannot be trusted (" + detail
                + "); if the server uses a private CA, give its CA file",
            Kind::Offline);
    case CURLE_SSL_CACERT_BADFILE:
        throw SourceError(
            where + "cannot read the CA certificate file '" + m_config.ca_file + "' (" + detail + ")", Kind::Offline);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
        throw SourceError(where + "TLS handshake failed; check the certificate (" + detail + ")", Kind::Offline);
    case CURLE_WRITE_ERROR:
        throw SourceError(
            m_base + " sent an answer larger than " + std::to_string(kMaxAnswerBytes >> 20) + " MiB; it was not read",
            Kind::Server);
    case CURLE_BAD_CONTENT_ENCODING:
        throw SourceError(m_base + " sent an answer that cannot be decoded (" + detail + ")", Kind::Server);
    default: break;
    }
    throw SourceError(where + detail, Kind::Offline);
}

std::string HttpClient::expectOk(const Request &request, const Response &response) const
{
    using Kind = SourceError::Kind;
    if (response.status >= 200 && response.status < 300)
        return response.body;
    const std::string message = api::read::errorMessage(response.body);
    const std::string said = message.empty() ? std::string() : ": " + message;
    const std::string status = " (HTTP " + std::to_string(response.status) + ")";
    const std::string what = (request.post ? "POST " : "GET ") + request.path;
    switch (response.status) {
    case 401:
        throw SourceError(m_base + " did not accept the credentials" + (said.empty() ? std::string() : said) + status,
            Kind::Unauthorized);
    case 403:
        throw SourceError(m_base + " refused access" + (said.empty() ? std::string() : said) + status, Kind::Forbidden);
    default: break;
    }
    if (response.status == 429 || response.status == 503) {
        std::string later;
        if (response.retry_after_ms > 0)
            later = "; it asks to retry in " + describeSeconds((response.retry_after_ms + 999) / 1000 * 1000);
        throw SourceError(m_base + " is busy" + said + status + later, Kind::Server);
    }
    if (response.status >= 500)
        throw SourceError(m_base + " failed to answer " + what + said + status, Kind::Server);
    if (!message.empty())
        throw SourceError(m_base + " says: " + message + status, Kind::Other);
    throw SourceError(m_base + " answered " + what + " with HTTP " + std::to_string(response.status), Kind::Server);
}

} // namespace agentops::client
