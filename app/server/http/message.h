// SPDX-License-Identifier: MIT
#pragma once

#include <any>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentops::server::http {

/// Header fields in arrival order; names are compared case-insensitively.
using Fields = std::vector<std::pair<std::string, std::string>>;

/// How the body of a request arrived, as far as the HTTP layer can tell.
enum class BodyStatus {
    Complete, ///< all of it, within the route's limit
    TooLarge, ///< more than the route's limit on the wire (declared or as it arrived); not read
    Incomplete, ///< the connection ended or the chunked framing broke before the end
};

/// One request as the routes see it: no type of the HTTP library shows through, so handlers, the
/// route table and the tests of the routes do not depend on it.
struct Request
{
    std::string id; ///< X-Request-Id, unique per server run
    std::string method; ///< as sent ("GET", or any token)
    std::string target; ///< as sent (origin form, or the path of an absolute form)
    std::string path; ///< the target's path with each segment's %XX decoded
    std::vector<std::pair<std::string, std::string>> query; ///< decoded; '+' is a space
    Fields headers;
    unsigned version = 11; ///< 10 or 11
    std::string remote_addr;
    int remote_port = 0;
    std::vector<std::string> path_params; ///< the route's {name} segments, in order, decoded
    std::string body; ///< as it came on the wire (Content-Encoding not undone)
    BodyStatus body_status = BodyStatus::Complete;
    bool has_body_framing = false; ///< Content-Length or Transfer-Encoding was sent
    std::chrono::steady_clock::time_point start; ///< when the header had arrived
    /// What a route's admit step hands to its handler (e.g. the store an ingest request resolved to).
    std::any state;

    /// The first field of that name, or "".
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
    /// The first query parameter of that name, or "".
    std::string param(std::string_view name) const;
    bool hasParam(std::string_view name) const;
};

/// The answer a route writes. status 0 means "not answered yet" to the steps before the handler.
struct Response
{
    int status = 0;
    Fields headers;
    std::string body;
    /// End the connection after this answer (a body left unread, a broken request).
    bool close = false;

    /// Facts for the access log line: spans stored and rejected (-1: not an ingest request) and the
    /// error message of a refusal.
    long long spans = -1;
    long long rejected = -1;
    std::string error;

    /// Replaces every field of that name.
    void setHeader(std::string_view name, std::string value);
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
    void setContent(std::string content, std::string_view contentType);
};

bool equalsIgnoringCase(std::string_view a, std::string_view b);

} // namespace agentops::server::http
