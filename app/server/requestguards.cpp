// SPDX-License-Identifier: MIT
// What every request passes before it is routed (CORS, the small-body rule, the per-client rate
// limit), and what it leaves behind (the access log line and the request metrics). Accept-Encoding
// is the HTTP layer's: it answers gzip or nothing (never brotli, see docs/architecture.md).
#include "core/span.h"
#include "core/text.h"
#include "server/apiserver.h"
#include "server/routeutil.h"

#include <array>

namespace agentops::server {

namespace {

using core::asciiLower;

/// Routes that answer without limits or credentials: probes and scrapers call them.
bool isProbe(const std::string &path)
{
    return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

bool isIngest(const std::string &path)
{
    return path == "/v1/traces" || path == "/api/v1/ingest";
}

/// The method as a metric label: the methods HTTP defines, every other token as "other", so a
/// client sending random methods cannot make the series grow without bound.
std::string methodLabel(const std::string &method)
{
    static constexpr std::array<std::string_view, 9> kKnown
        = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE" };
    for (auto m : kKnown) {
        if (method == m)
            return method;
    }
    return "other";
}

} // namespace

void ApiServer::guard(Request &req, Response &res)
{
    const std::string origin = req.header("Origin");
    if (CorsPolicy::isPreflight(req.method, origin, req.header("Access-Control-Request-Method"))) {
        const auto pre = m_cors.preflight(
            origin, req.header("Access-Control-Request-Method"), req.header("Access-Control-Request-Headers"));
        for (const auto &[k, v] : pre.headers)
            res.setHeader(k, v);
        if (pre.allowed)
            res.status = 204;
        else
            setJsonError(res, 403, "forbidden", "CORS preflight refused: " + pre.reason);
        return;
    }
    for (const auto &[k, v] : m_cors.forRequest(origin))
        res.setHeader(k, v);
    // Only the ingest routes take big or compressed bodies (and undo the compression within their
    // limits): refuse anything else before it is read.
    if (!isIngest(req.path)) {
        std::int64_t length = 0;
        const bool chunked = asciiLower(req.header("Transfer-Encoding")).find("chunked") != std::string::npos;
        const std::string encoding = asciiLower(req.header("Content-Encoding"));
        if (chunked || (!encoding.empty() && encoding != "identity")
            || (req.hasHeader("Content-Length")
                && (!parseInt64(req.header("Content-Length"), length)
                    || static_cast<std::size_t>(length) > m_config.limits.max_small_body))) {
            res.close = true;
            setJsonError(res, 413, "payload_too_large",
                "request bodies outside ingest are plain JSON of at most "
                    + std::to_string(m_config.limits.max_small_body / 1024) + " KiB with a Content-Length");
            return;
        }
    }
    if (!isProbe(req.path)) {
        if (const auto d = m_clientLimiter->take("ip:" + req.remote_addr); !d) {
            if (isIngest(req.path))
                m_ingest->countRefusedRequest("rate_limited");
            setAuthError(res, rateLimited("client address", d));
            res.close = true;
        }
    }
}

namespace {

/// A request's method or path as the access log shows it: "-" when the request was refused before
/// there was one, and at most `max` bytes of what a client sent (an 8 KiB path is one log line).
std::string logged(std::string_view text, std::size_t max)
{
    if (text.empty())
        return "-";
    if (text.size() <= max)
        return std::string(text);
    return std::string(text.substr(0, core::utf8Prefix(text, max))) + "…";
}

} // namespace

void ApiServer::finished(const Request &req, const Response &res, double ms)
{
    Log::Fields f { { "request_id", Log::str(req.id) }, { "method", Log::str(logged(req.method, 32)) },
        { "path", Log::str(logged(req.path, 512)) }, { "status", Log::num(static_cast<long long>(res.status)) },
        { "duration_ms", Log::num(ms) }, { "remote", Log::str(req.remote_addr) } };
    if (res.spans >= 0)
        f.emplace_back("spans", Log::num(res.spans));
    if (res.rejected > 0)
        f.emplace_back("rejected", Log::num(res.rejected));
    if (!res.error.empty())
        f.emplace_back("error", Log::str(res.error));
    m_log.write(res.status >= 500 ? "error" : (res.status >= 400 ? "warn" : "info"), "request", f);
    m_latency->observe(ms / 1000.0);
    m_metrics
        .counter("agentops_http_requests_total", "HTTP requests answered, by method and status code.",
            { { "method", methodLabel(req.method) }, { "code", std::to_string(res.status) } })
        .inc();
}

} // namespace agentops::server
