// SPDX-License-Identifier: MIT
#pragma once

// What the route files of ApiServer share: error answers, query parameters, the translation of
// thrown errors into answers. Internal to agentops_server.

#include "server/access.h"
#include "server/http/message.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::server {

using http::Request;
using http::Response;

/// A query parameter that was wrong; turned into a 400 naming the parameter.
struct ParamError
{
    std::string message;
};

enum class Encoding { Protobuf, Json };

/// {"error":{"code":...,"message":...}} with the status; the message also goes to the access log.
void setJsonError(Response &res, int status, std::string_view code, std::string_view message);
/// Failure answer for an OTLP request: google.rpc.Status in the request's encoding. The JSON form
/// also carries the {"error": ...} object every other route answers with.
void setOtlpError(
    Response &res, Encoding enc, int status, int rpcCode, std::string_view code, std::string_view message);
/// The refusal as JSON, or as OTLP's google.rpc.Status in the request's encoding when otlp is set.
void setAuthError(Response &res, const AuthError &e, std::optional<Encoding> otlp = std::nullopt);
void setJson(Response &res, std::string body);

// Protobuf wire helpers for the two small OTLP response messages; hand-encoded so the server layer
// needs no generated code.
void appendVarint(std::string &out, std::uint64_t v);
void appendLengthDelimited(std::string &out, int field, std::string_view bytes);

/// The media type of Content-Type, lower case, without parameters.
std::string mediaType(const Request &req);
/// The credential a request carries: "Authorization: Bearer <token>" or "x-api-key: <key>".
std::string bearerToken(const Request &req);
/// The request's "project" parameter, when it has one.
std::optional<std::string> projectParam(const Request &req);

bool parseInt64(std::string_view s, std::int64_t &out);
bool parseDouble(std::string_view s, double &out);

/// The query parameters of a route: unknown names are refused (400), values parsed or refused.
class Params
{
public:
    Params(const Request &req, std::initializer_list<std::string_view> allowed);

    std::string text(const char *name) const { return m_req.param(name); }
    bool has(const char *name) const { return m_req.hasParam(name); }
    /// RFC 3339 time or integer nanoseconds since the epoch.
    std::optional<std::int64_t> time(const char *name) const;
    std::optional<double> number(const char *name, double min) const;
    int integer(const char *name, int def, int min, int max) const;
    bool boolean(const char *name) const;

private:
    const Request &m_req;
};

/// A small JSON request body (sign-in, key names, the admin routes): an object, or a 400 naming
/// what is wrong.
nlohmann::json jsonBody(const Request &req);
/// A string member of such a body; "" when absent and not required, else a 400 naming it.
std::string stringField(const nlohmann::json &body, const char *name, bool required);

void answerThrown(Response &res); ///< inside a catch block: the answer for the current exception

/// Runs a query or account handler; the errors it throws become their JSON answers (anything else
/// goes on to the HTTP layer, which answers 500).
template<typename Handler>
void guarded(Response &res, Handler &&handler)
{
    try {
        handler();
    } catch (...) {
        answerThrown(res);
    }
}

} // namespace agentops::server
