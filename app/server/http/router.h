// SPDX-License-Identifier: MIT
#pragma once

#include "server/http/message.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::server::http {

/// Where a route's steps run. Blocking work (a store query, a password check, waiting for a
/// commit) runs on the server's worker pool; only steps that never wait run on an I/O thread.
enum class Runs { Worker, IoThread };

/// One route: what it answers and the steps that answer it. The server runs them in order:
///   admit (before the body is read; may answer, e.g. a refusal: the body is then never read)
///   -> the body is read, at most max_body bytes
///   -> hold (may delay the handler or answer, e.g. a slowed-down sign-in)
///   -> handle.
struct Route
{
    using Step = std::function<void(Request &, Response &)>;
    using Hold = std::function<std::chrono::milliseconds(Request &, Response &)>;

    std::string method;
    std::string path; ///< OpenAPI spelling: /api/v1/traces/{trace_id}
    /// Largest body on the wire (0: the server's small-body limit).
    std::size_t max_body = 0;
    /// A request without Content-Length or Transfer-Encoding is refused with 411.
    bool needs_length = false;
    Runs admit_runs = Runs::Worker;
    Step admit; ///< optional; answers by setting Response::status
    Hold hold; ///< optional; runs on an I/O thread
    Runs handle_runs = Runs::Worker;
    Step handle;
};

/// Matches request paths against the route templates. Segments match literally except {name},
/// which matches one non-empty segment.
class Router
{
public:
    explicit Router(std::vector<Route> routes);

    struct Match
    {
        const Route *route = nullptr; ///< nullptr: no route for this method
        std::vector<std::string> params;
        /// Methods the path is served under (for 405's Allow), in table order, each once.
        std::vector<std::string> allowed;
    };
    /// HEAD is served by the GET route. path: the raw (still percent-encoded) path.
    Match match(std::string_view method, std::string_view rawPath) const;

    const std::vector<Route> &routes() const { return m_routes; }

private:
    std::vector<Route> m_routes;
    std::vector<std::vector<std::string>> m_segments; ///< per route
};

/// %XX decoded (an invalid escape stays as it is); '+' becomes a space when plusIsSpace.
std::string percentDecode(std::string_view s, bool plusIsSpace);
/// "a=1&b=x+y" -> {{"a","1"},{"b","x y"}}
std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view query);

} // namespace agentops::server::http
