// SPDX-License-Identifier: MIT
#include "server/cors.h"

#include "core/text.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace agentops::server {

namespace {

using core::asciiLower;
using core::asciiUpper;

bool isToken(std::string_view s)
{
    if (s.empty())
        return false;
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok)
            return false;
    }
    return true;
}

// Always allowed: what the API's clients send, and the headers browsers may send without asking.
const char *const kBaseHeaders[] = { "authorization", "content-type", "content-encoding", "x-api-key" };
const char *const kSafelisted[] = { "accept", "accept-language", "content-language" };
const char *const kExposed = "X-Request-Id, Retry-After";

} // namespace

bool CorsPolicy::parse(std::string_view text, Origin &out, std::string &why)
{
    const auto sep = text.find("://");
    if (sep == std::string_view::npos) {
        why = "must be scheme://host[:port]";
        return false;
    }
    out.scheme = asciiLower(text.substr(0, sep));
    if (out.scheme != "http" && out.scheme != "https") {
        why = "scheme must be http or https";
        return false;
    }
    std::string_view rest = text.substr(sep + 3);
    std::string_view host = rest;
    std::string_view port;
    if (rest.starts_with('[')) { // IPv6 literal
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            why = "unterminated IPv6 address";
            return false;
        }
        host = rest.substr(0, close + 1);
        rest.remove_prefix(close + 1);
        if (rest.starts_with(':'))
            port = rest.substr(1);
        else if (!rest.empty()) {
            why = "must not have a path, query or user";
            return false;
        }
    } else {
        const auto colon = rest.rfind(':');
        if (colon != std::string_view::npos) {
            host = rest.substr(0, colon);
            port = rest.substr(colon + 1);
        }
    }
    if (host.empty()) {
        why = "has no host";
        return false;
    }
    const bool bracketed = host.starts_with('[');
    for (std::size_t i = 0; i < host.size(); ++i) {
        const char c = host[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
            || c == '.' || c == '_'
            || (bracketed && (c == ':' || (c == '[' && i == 0) || (c == ']' && i + 1 == host.size())));
        if (!ok) {
            why = "must not have a path, query or user";
            return false;
        }
    }
    out.host = asciiLower(host);
    out.port = out.scheme == "https" ? 443 : 80;
    if (!port.empty() || (host.size() < rest.size() && rest.back() == ':')) {
        int p = 0;
        const auto r = std::from_chars(port.data(), port.data() + port.size(), p);
        if (port.empty() || r.ec != std::errc() || r.ptr != port.data() + port.size() || p < 1 || p > 65535) {
            why = "port must be a number from 1 to 65535";
            return false;
        }
        out.port = p;
    }
    return true;
}

CorsPolicy::CorsPolicy(const Options &options)
    : m_credentials(options.allow_credentials)
    , m_maxAge(options.max_age_seconds)
{
    if (m_maxAge < 0)
        throw std::invalid_argument("cors max age: must not be negative");
    for (std::string_view o : options.origins) {
        o = core::trimBlanks(o);
        if (o == "*") {
            if (m_credentials)
                throw std::invalid_argument(
                    "cors origin \"*\": cannot be combined with credentials; list the allowed origins instead");
            m_any = true;
            continue;
        }
        if (o.ends_with('/'))
            o.remove_suffix(1);
        Origin parsed;
        std::string why;
        if (!parse(o, parsed, why))
            throw std::invalid_argument("cors origin \"" + std::string(o) + "\": " + why);
        if (std::find(m_origins.begin(), m_origins.end(), parsed) == m_origins.end())
            m_origins.push_back(std::move(parsed));
    }
    for (const auto &m : options.methods) {
        if (!isToken(m))
            throw std::invalid_argument("cors method \"" + m + "\": not a method name");
        const std::string u = asciiUpper(m);
        if (std::find(m_methods.begin(), m_methods.end(), u) == m_methods.end()) {
            if (!m_allowMethods.empty())
                m_allowMethods += ", ";
            m_allowMethods += u;
            m_methods.push_back(u);
        }
    }
    for (const char *h : kBaseHeaders)
        m_headers.emplace_back(h);
    for (const char *h : kSafelisted)
        m_headers.emplace_back(h);
    for (const auto &h : options.extra_headers) {
        if (!isToken(h))
            throw std::invalid_argument("cors header \"" + h + "\": not a header name");
        m_headers.push_back(asciiLower(h));
    }
}

bool CorsPolicy::allows(std::string_view origin) const
{
    if (!enabled() || origin.empty())
        return false;
    if (m_any)
        return true;
    Origin o;
    std::string why;
    // What a browser sends is exact (no trailing slash, no path): anything else is not an origin.
    if (origin.ends_with('/') || !parse(origin, o, why))
        return false;
    return std::find(m_origins.begin(), m_origins.end(), o) != m_origins.end();
}

CorsPolicy::Headers CorsPolicy::forRequest(std::string_view origin) const
{
    Headers h;
    if (!enabled() || origin.empty())
        return h;
    if (m_any) {
        h.emplace_back("Access-Control-Allow-Origin", "*");
        h.emplace_back("Access-Control-Expose-Headers", kExposed);
        return h;
    }
    h.emplace_back("Vary", "Origin");
    if (!allows(origin))
        return h;
    h.emplace_back("Access-Control-Allow-Origin", std::string(origin));
    if (m_credentials)
        h.emplace_back("Access-Control-Allow-Credentials", "true");
    h.emplace_back("Access-Control-Expose-Headers", kExposed);
    return h;
}

bool CorsPolicy::isPreflight(std::string_view method, std::string_view origin, std::string_view requestMethod)
{
    return method == "OPTIONS" && !origin.empty() && !requestMethod.empty();
}

CorsPolicy::Preflight CorsPolicy::preflight(
    std::string_view origin, std::string_view requestMethod, std::string_view requestHeaders) const
{
    Preflight p;
    if (!enabled()) {
        p.reason = "cross-origin requests are not enabled on this server";
        return p;
    }
    if (!m_any)
        p.headers.emplace_back("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if (!allows(origin)) {
        p.reason = "origin " + std::string(origin) + " is not allowed";
        return p;
    }
    const std::string method = asciiUpper(core::trimBlanks(requestMethod));
    if (std::find(m_methods.begin(), m_methods.end(), method) == m_methods.end()) {
        p.reason = "method " + std::string(core::trimBlanks(requestMethod))
            + " is not allowed (allowed: " + m_allowMethods + ")";
        return p;
    }
    std::string allowHeaders = "Authorization, Content-Type, Content-Encoding, x-api-key";
    std::vector<std::string> asked;
    std::string_view rest = requestHeaders;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view item = core::trimBlanks(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
        if (item.empty())
            continue;
        const std::string name = asciiLower(item);
        if (!isToken(name) || std::find(m_headers.begin(), m_headers.end(), name) == m_headers.end()) {
            p.reason = "request header " + std::string(item) + " is not allowed";
            return p;
        }
        const bool base = std::find(std::begin(kBaseHeaders), std::end(kBaseHeaders), name) != std::end(kBaseHeaders);
        if (!base && std::find(asked.begin(), asked.end(), name) == asked.end()) {
            asked.push_back(name);
            allowHeaders += ", " + name;
        }
    }
    p.allowed = true;
    p.headers.emplace_back("Access-Control-Allow-Origin", m_any ? std::string("*") : std::string(origin));
    if (m_credentials)
        p.headers.emplace_back("Access-Control-Allow-Credentials", "true");
    p.headers.emplace_back("Access-Control-Allow-Methods", m_allowMethods);
    p.headers.emplace_back("Access-Control-Allow-Headers", allowHeaders);
    p.headers.emplace_back("Access-Control-Max-Age", std::to_string(m_maxAge));
    return p;
}

} // namespace agentops::server
