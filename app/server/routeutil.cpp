// SPDX-License-Identifier: MIT
#include "server/routeutil.h"

#include "api/apiwire.h"
#include "core/span.h"
#include "core/spanjson.h"
#include "store/tracestore.h"

#include <nlohmann/json.hpp>

#include <charconv>

namespace agentops::server {

using core::asciiLower;

void setJsonError(Response &res, int status, std::string_view code, std::string_view message)
{
    res.status = status;
    res.setContent(api::write::error(code, message), "application/json");
    res.error = std::string(message);
}

void appendVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void appendLengthDelimited(std::string &out, int field, std::string_view bytes)
{
    appendVarint(out, static_cast<std::uint64_t>(field) << 3 | 2);
    appendVarint(out, bytes.size());
    out.append(bytes);
}

namespace {

/// google.rpc.Status, which OTLP/HTTP answers failures with.
std::string encodeRpcStatus(int code, std::string_view message)
{
    std::string out;
    appendVarint(out, 1 << 3 | 0);
    appendVarint(out, static_cast<std::uint64_t>(code));
    appendLengthDelimited(out, 2, message);
    return out;
}

} // namespace

void setOtlpError(Response &res, Encoding enc, int status, int rpcCode, std::string_view code, std::string_view message)
{
    if (enc == Encoding::Protobuf) {
        res.status = status;
        res.setContent(encodeRpcStatus(rpcCode, message), "application/x-protobuf");
        res.error = std::string(message);
        return;
    }
    setJsonError(res, status, code, message);
    // {"error":{...}} -> {"code":N,"message":"...","error":{...}}
    std::string body = "{\"code\":" + std::to_string(rpcCode) + ",\"message\":";
    core::appendJsonString(body, message);
    body += ',';
    body.append(res.body, 1, std::string::npos);
    res.setContent(std::move(body), "application/json");
}

void setAuthError(Response &res, const AuthError &e, std::optional<Encoding> otlp)
{
    if (otlp) {
        // google.rpc codes: UNAUTHENTICATED, RESOURCE_EXHAUSTED, UNAVAILABLE, PERMISSION_DENIED.
        const int rpc = e.status == 401 ? 16 : e.status == 429 ? 8 : e.status == 503 ? 14 : 7;
        setOtlpError(res, *otlp, e.status, rpc, e.code, e.message);
    } else {
        setJsonError(res, e.status, e.code, e.message);
    }
    if (e.status == 401)
        res.setHeader("WWW-Authenticate", "Bearer realm=\"agentops\"");
    if (e.retry_after > 0)
        res.setHeader("Retry-After", std::to_string(e.retry_after));
}

void setJson(Response &res, std::string body)
{
    res.status = 200;
    res.setContent(std::move(body), "application/json");
}

std::string mediaType(const Request &req)
{
    std::string ct = asciiLower(req.header("Content-Type"));
    if (auto semi = ct.find(';'); semi != std::string::npos)
        ct.resize(semi);
    while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t'))
        ct.pop_back();
    return ct;
}

std::string bearerToken(const Request &req)
{
    const std::string auth = req.header("Authorization");
    if (auth.size() > 7 && asciiLower(auth.substr(0, 7)) == "bearer ") {
        std::string token = auth.substr(7);
        while (!token.empty() && token.front() == ' ')
            token.erase(0, 1);
        while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
            token.pop_back();
        return token;
    }
    return req.header("x-api-key");
}

std::optional<std::string> projectParam(const Request &req)
{
    if (!req.hasParam("project"))
        return std::nullopt;
    return req.param("project");
}

bool parseInt64(std::string_view s, std::int64_t &out)
{
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parseDouble(std::string_view s, double &out)
{
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

Params::Params(const Request &req, std::initializer_list<std::string_view> allowed)
    : m_req(req)
{
    for (const auto &[key, value] : req.query) {
        bool known = key == "project"; // every query route; see Access::resolve
        for (auto a : allowed)
            known = known || a == key;
        if (!known) {
            std::string list;
            for (auto a : allowed) {
                if (!list.empty())
                    list += ", ";
                list += a;
            }
            // NOLINTNEXTLINE(performance-inefficient-string-concatenation): once, as it throws
            throw ParamError { "unknown query parameter '" + key + "' (expected one of: " + list + ")" };
        }
    }
}

std::optional<std::int64_t> Params::time(const char *name) const
{
    if (!has(name))
        return std::nullopt;
    const std::string v = text(name);
    std::int64_t ns = 0;
    if (parseInt64(v, ns) || core::parseRfc3339Nanos(v, ns))
        return ns;
    throw ParamError { std::string(name)
        + ": must be an RFC 3339 time (2026-01-31T12:00:00Z) or integer "
          "nanoseconds since the epoch, got '"
        + v + "'" };
}

std::optional<double> Params::number(const char *name, double min) const
{
    if (!has(name))
        return std::nullopt;
    const std::string v = text(name);
    double d = 0;
    if (!parseDouble(v, d) || !(d >= min))
        throw ParamError { std::string(name) + ": must be a number >= " + std::to_string(static_cast<long long>(min))
            + ", got '" + v + "'" };
    return d;
}

int Params::integer(const char *name, int def, int min, int max) const
{
    if (!has(name))
        return def;
    const std::string v = text(name);
    std::int64_t i = 0;
    if (!parseInt64(v, i) || i < min || i > max)
        throw ParamError { std::string(name) + ": must be an integer from " + std::to_string(min) + " to "
            + std::to_string(max) + ", got '" + v + "'" };
    return static_cast<int>(i);
}

bool Params::boolean(const char *name) const
{
    if (!has(name))
        return false;
    const std::string v = asciiLower(text(name));
    if (v == "true" || v == "1" || v.empty())
        return true;
    if (v == "false" || v == "0")
        return false;
    throw ParamError { std::string(name) + ": must be true or false, got '" + v + "'" };
}

void answerThrown(Response &res)
{
    try {
        throw;
    } catch (const ParamError &e) {
        setJsonError(res, 400, "invalid_argument", e.message);
    } catch (const AuthError &e) {
        setAuthError(res, e);
    } catch (const store::QueryError &e) {
        setJsonError(res, 400, "invalid_argument", e.what());
    } catch (const store::StoreError &e) {
        setJsonError(res, 503, "unavailable", std::string("store error: ") + e.what());
    }
}

/// A small JSON request body (sign-in, key names): an object, or a 400 naming what is wrong.
nlohmann::json jsonBody(const Request &req)
{
    if (mediaType(req) != "application/json")
        throw ParamError { "Content-Type: must be application/json" };
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object())
        throw ParamError { "body: must be a JSON object" };
    return body;
}

std::string stringField(const nlohmann::json &body, const char *name, bool required)
{
    const auto it = body.find(name);
    if (it == body.end() || it->is_null()) {
        if (required)
            throw ParamError { std::string(name) + ": required" };
        return {};
    }
    if (!it->is_string())
        throw ParamError { std::string(name) + ": must be a string" };
    return it->get<std::string>();
}

} // namespace agentops::server
