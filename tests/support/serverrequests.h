// SPDX-License-Identifier: MIT
#pragma once
// Requests for the HTTP tests of ApiServer: ids, OTLP requests in protobuf and JSON, native ingest
// batches of the query tests' traces, gzip and chunked bodies, and google.rpc.Status read by hand.
// Header-only; protobuf (agentops_otlp_proto), zlib, nlohmann_json.

#include "support/common.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <QStringList>

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace agentops::test {

using json = nlohmann::json;
namespace otlp = opentelemetry::proto;
using otlp::collector::trace::v1::ExportTraceServiceRequest;

inline constexpr std::int64_t kDay = 86400 * kSecond;
// 2026-01-01T00:00:00Z
inline constexpr std::int64_t kBase = 1767225600 * kSecond;

/// A JSON value as text for comparisons: strings as they are, anything else dumped. A template so
/// that only json itself picks it, not everything json converts from.
template<typename J>
requires std::is_same_v<J, json> QString q(const J &v)
{
    return v.is_string() ? q(v.template get<std::string>()) : q(v.dump());
}

inline std::string traceHex(int n)
{
    char buf[40];
    std::snprintf(buf, sizeof buf, "5eed%028x", n);
    return buf;
}

inline std::string spanHex(int trace, int span)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "%08x%08x", trace + 1, span + 1);
    return buf;
}

inline std::string bytesOf(const std::string &hex)
{
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

inline std::string gzip(std::string_view data)
{
    z_stream z {};
    // 15 + 16: gzip framing rather than zlib's.
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return rc == Z_STREAM_END ? out : std::string();
}

inline std::string chunked(std::string_view body, std::size_t chunkSize)
{
    std::string out;
    for (std::size_t pos = 0; pos < body.size(); pos += chunkSize) {
        const auto piece = body.substr(pos, chunkSize);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        out += size;
        out += piece;
        out += "\r\n";
    }
    out += "0\r\n\r\n";
    return out;
}

inline std::string urlEncode(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

/// One OTLP span as the tests describe it; turned into protobuf or OTLP/JSON.
struct SpanSpec
{
    SpanSpec(std::string traceId, std::string spanId, std::string parentId, std::string spanName, std::int64_t startNs,
        std::int64_t endNs, bool isError = false, std::string modelName = {}, std::int64_t input = -1,
        std::int64_t output = -1, std::string sessionId = {})
        : trace(std::move(traceId))
        , span(std::move(spanId))
        , parent(std::move(parentId))
        , name(std::move(spanName))
        , start(startNs)
        , end(endNs)
        , error(isError)
        , model(std::move(modelName))
        , inputTokens(input)
        , outputTokens(output)
        , session(std::move(sessionId))
    { }
    std::string trace;
    std::string span;
    std::string parent;
    std::string name;
    std::int64_t start;
    std::int64_t end;
    bool error;
    std::string model;
    std::int64_t inputTokens; ///< -1: not reported
    std::int64_t outputTokens;
    std::string session;
};

inline void addStringAttr(otlp::common::v1::KeyValue *kv, const std::string &key, const std::string &value)
{
    kv->set_key(key);
    kv->mutable_value()->set_string_value(value);
}

inline void addIntAttr(otlp::common::v1::KeyValue *kv, const std::string &key, std::int64_t value)
{
    kv->set_key(key);
    kv->mutable_value()->set_int_value(value);
}

inline ExportTraceServiceRequest otlpRequest(
    const std::vector<SpanSpec> &spans, const std::string &service = "proto-svc")
{
    ExportTraceServiceRequest req;
    auto *rs = req.add_resource_spans();
    addStringAttr(rs->mutable_resource()->add_attributes(), "service.name", service);
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("tst-scope");
    ss->mutable_scope()->set_version("9.9");
    for (const auto &s : spans) {
        auto *sp = ss->add_spans();
        sp->set_trace_id(bytesOf(s.trace));
        sp->set_span_id(bytesOf(s.span));
        if (!s.parent.empty())
            sp->set_parent_span_id(bytesOf(s.parent));
        sp->set_name(s.name);
        sp->set_kind(otlp::trace::v1::Span::SPAN_KIND_CLIENT);
        sp->set_start_time_unix_nano(static_cast<std::uint64_t>(s.start));
        sp->set_end_time_unix_nano(static_cast<std::uint64_t>(s.end));
        if (s.error) {
            sp->mutable_status()->set_code(otlp::trace::v1::Status::STATUS_CODE_ERROR);
            sp->mutable_status()->set_message("it broke");
        }
        if (!s.model.empty())
            addStringAttr(sp->add_attributes(), "gen_ai.request.model", s.model);
        if (s.inputTokens >= 0)
            addIntAttr(sp->add_attributes(), "gen_ai.usage.input_tokens", s.inputTokens);
        if (s.outputTokens >= 0)
            addIntAttr(sp->add_attributes(), "gen_ai.usage.output_tokens", s.outputTokens);
        if (!s.session.empty())
            addStringAttr(sp->add_attributes(), "session.id", s.session);
    }
    return req;
}

inline std::string otlpBody(const std::vector<SpanSpec> &spans, const std::string &service = "proto-svc")
{
    return otlpRequest(spans, service).SerializeAsString();
}

/// google.rpc.Status decoded by hand: code (field 1, varint) and message (field 2, bytes).
struct RpcStatus
{
    bool ok = false;
    std::int64_t code = -1;
    std::string message;
};

inline bool readVarint(std::string_view &in, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
        const auto b = static_cast<unsigned char>(in.front());
        in.remove_prefix(1);
        v |= std::uint64_t(b & 0x7f) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

inline RpcStatus decodeRpcStatus(std::string_view in)
{
    RpcStatus st;
    while (!in.empty()) {
        std::uint64_t key = 0;
        if (!readVarint(in, key))
            return st;
        const auto field = key >> 3;
        const auto wire = key & 7;
        std::uint64_t v = 0;
        if (wire == 0) {
            if (!readVarint(in, v))
                return st;
            if (field == 1)
                st.code = static_cast<std::int64_t>(v);
        } else if (wire == 2) {
            if (!readVarint(in, v) || v > in.size())
                return st;
            if (field == 2)
                st.message = std::string(in.substr(0, v));
            in.remove_prefix(v);
        } else {
            return st;
        }
    }
    st.ok = true;
    return st;
}

inline std::string requestHead(const std::string &path, const std::string &contentType, const std::string &extraHeaders)
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\n" + extraHeaders
        + "\r\n";
}

inline json parse(const std::string &text)
{
    return json::parse(text, nullptr, false);
}

/// A trace of the query tests: every value that can be sorted on differs between traces.
struct TraceSpec
{
    const char *name;
    const char *service;
    int day; ///< starts at noon of 2026-01-<day>
    int durationMs;
    int spans;
    int errors;
    int tokens;
    const char *model;
    const char *session;
};

inline const TraceSpec kQueryTraces[] = {
    { "Plan Trip", "alpha", 1, 1000, 1, 0, 10, "gpt-4o", "s1" },
    { "book FLIGHT", "alpha", 2, 5000, 2, 1, 300, "claude-sonnet", "s1" },
    { "summarize", "beta", 3, 2000, 3, 3, 50, "gpt-4o", "s2" },
    { "trip report", "beta", 4, 10000, 4, 2, 0, "", "" },
};

inline std::int64_t queryTraceStart(const TraceSpec &t)
{
    return kBase + (t.day - 1) * kDay + std::int64_t { 12 } * 3600 * kSecond;
}

/// The native ingest batch of one query-test trace (trace number n).
inline json nativeTrace(int n, const TraceSpec &t)
{
    const std::int64_t start = queryTraceStart(t);
    json spans = json::array();
    for (int i = 0; i < t.spans; ++i) {
        json s = { { "span_id", spanHex(n, i) }, { "name", i == 0 ? std::string(t.name) : "step " + std::to_string(i) },
            { "start_time_unix_nano", start + i * kMs },
            { "end_time_unix_nano", i == 0 ? start + t.durationMs * kMs : start + (i + 1) * kMs },
            { "status", i < t.errors ? "error" : "ok" } };
        if (i > 0)
            s["parent_span_id"] = spanHex(n, 0);
        if (i == t.spans - 1 && *t.model) {
            s["kind"] = "llm";
            s["model"] = t.model;
            s["tokens"] = { { "input", t.tokens - t.tokens / 4 }, { "output", t.tokens / 4 } };
        }
        spans.push_back(s);
    }
    json trace = { { "trace_id", traceHex(n) }, { "service_name", t.service } };
    if (*t.session)
        trace["session_id"] = t.session;
    return { { "trace", trace }, { "spans", spans } };
}

inline std::vector<std::string> traceIds(const json &page)
{
    std::vector<std::string> ids;
    for (auto &t : page["traces"])
        ids.push_back(t["trace_id"].get<std::string>());
    return ids;
}

inline QStringList qlist(const std::vector<std::string> &v)
{
    QStringList out;
    for (const auto &s : v)
        out << q(s);
    return out;
}

} // namespace agentops::test
