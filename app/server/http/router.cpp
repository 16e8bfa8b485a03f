// SPDX-License-Identifier: MIT
#include "server/http/router.h"

#include <algorithm>

namespace agentops::server::http {

namespace {

std::vector<std::string_view> splitPath(std::string_view path)
{
    std::vector<std::string_view> out;
    if (path.empty() || path.front() != '/')
        return out;
    std::size_t pos = 1;
    for (;;) {
        const auto slash = path.find('/', pos);
        out.push_back(path.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos));
        if (slash == std::string_view::npos)
            return out;
        pos = slash + 1;
    }
}

bool isParam(std::string_view segment)
{
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace

std::string percentDecode(std::string_view s, bool plusIsSpace)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%' && i + 2 < s.size()) {
            const int hi = hexValue(s[i + 1]);
            const int lo = hexValue(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi << 4 | lo));
                i += 2;
                continue;
            }
        }
        out.push_back(plusIsSpace && c == '+' ? ' ' : c);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query)
{
    std::vector<std::pair<std::string, std::string>> out;
    std::size_t pos = 0;
    while (pos <= query.size()) {
        const auto amp = std::min(query.find('&', pos), query.size());
        const auto pair = query.substr(pos, amp - pos);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            out.emplace_back(percentDecode(pair.substr(0, eq), true),
                eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1), true));
        }
        pos = amp + 1;
    }
    return out;
}

Router::Router(std::vector<Route> routes)
    : m_routes(std::move(routes))
{
    for (const auto &r : m_routes) {
        std::vector<std::string> segments;
        for (auto s : splitPath(r.path))
            segments.emplace_back(s);
        m_segments.push_back(std::move(segments));
    }
}

Router::Match Router::match(std::string_view method, std::string_view rawPath) const
{
    Match m;
    const auto segments = splitPath(rawPath);
    const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
    for (std::size_t i = 0; i < m_routes.size(); ++i) {
        const auto &pattern = m_segments[i];
        if (pattern.size() != segments.size())
            continue;
        std::vector<std::string> params;
        bool ok = true;
        for (std::size_t k = 0; k < pattern.size() && ok; ++k) {
            if (isParam(pattern[k])) {
                ok = !segments[k].empty();
                params.push_back(percentDecode(segments[k], false));
            } else {
                ok = percentDecode(segments[k], false) == pattern[k];
            }
        }
        if (!ok)
            continue;
        const auto &r = m_routes[i];
        if (std::find(m.allowed.begin(), m.allowed.end(), r.method) == m.allowed.end())
            m.allowed.push_back(r.method);
        if (!m.route && r.method == wanted) {
            m.route = &r;
            m.params = std::move(params);
        }
    }
    return m;
}

} // namespace agentops::server::http
