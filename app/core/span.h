// SPDX-License-Identifier: MIT
#pragma once

#include "core/text.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::core {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

/// Lower-case hex of an id ("" for nothing); the spelling used on every API.
std::string toHex(const std::uint8_t *data, std::size_t size);
inline std::string toHex(const TraceId &id)
{
    return toHex(id.data(), id.size());
}
inline std::string toHex(const SpanId &id)
{
    return toHex(id.data(), id.size());
}
/// Parses exactly 2*N hex digits (either case) into out; false on anything else.
bool fromHex(std::string_view hex, std::uint8_t *out, std::size_t size);
template<std::size_t N>
bool fromHex(std::string_view hex, std::array<std::uint8_t, N> &out)
{
    return fromHex(hex, out.data(), N);
}
template<std::size_t N>
bool isZero(const std::array<std::uint8_t, N> &id)
{
    for (auto b : id)
        if (b != 0)
            return false;
    return true;
}

/// What a span does in an agent run; the normalizer derives it from the producer's conventions.
enum class SpanKind : std::uint8_t {
    Other = 0,
    Agent,
    Llm,
    Tool,
    Chain,
    Retriever,
    Embedding,
    Guardrail,
    Evaluator,
};
std::string_view toString(SpanKind kind);
std::optional<SpanKind> spanKindFromString(std::string_view text);

enum class StatusCode : std::uint8_t { Unset = 0, Ok = 1, Error = 2 };
std::string_view toString(StatusCode code);

/// A typed attribute value as OpenTelemetry carries it. Arrays and key-value lists are kept as their
/// JSON text: nothing in the normalizer needs to look inside them, and they are stored as JSON anyway.
struct AttrValue
{
    enum class Type : std::uint8_t { Empty, String, Bool, Int, Double, Bytes, Json };
    Type type = Type::Empty;
    bool b = false;
    std::int64_t i = 0;
    double d = 0;
    std::string s; ///< String; Bytes as base64; Json as JSON text (arrays, kvlists)

    static AttrValue ofString(std::string v)
    {
        AttrValue a;
        a.type = Type::String;
        a.s = std::move(v);
        return a;
    }
    static AttrValue ofBool(bool v)
    {
        AttrValue a;
        a.type = Type::Bool;
        a.b = v;
        return a;
    }
    static AttrValue ofInt(std::int64_t v)
    {
        AttrValue a;
        a.type = Type::Int;
        a.i = v;
        return a;
    }
    static AttrValue ofDouble(double v)
    {
        AttrValue a;
        a.type = Type::Double;
        a.d = v;
        return a;
    }
    static AttrValue ofJson(std::string json)
    {
        AttrValue a;
        a.type = Type::Json;
        a.s = std::move(json);
        return a;
    }
    static AttrValue ofBytesBase64(std::string b64)
    {
        AttrValue a;
        a.type = Type::Bytes;
        a.s = std::move(b64);
        return a;
    }

    /// The value as text: strings as they are, numbers and booleans printed, JSON as its text.
    std::string asText() const;
    /// The value as an integer where it is one (or an integral double, or a decimal string).
    std::optional<std::int64_t> asInt() const;
    bool operator==(const AttrValue &other) const = default;
};

struct Attribute
{
    std::string key;
    AttrValue value;
    bool operator==(const Attribute &other) const = default;
};
using Attributes = std::vector<Attribute>;

/// First attribute with this key, or nullptr.
const AttrValue *findAttribute(const Attributes &attrs, std::string_view key);

struct SpanEvent
{
    std::int64_t time_ns = 0;
    std::string name;
    Attributes attributes;
    bool operator==(const SpanEvent &other) const = default;
};

struct SpanLink
{
    TraceId trace_id {};
    SpanId span_id {};
    std::string trace_state;
    Attributes attributes;
    bool operator==(const SpanLink &other) const = default;
};

/// Token counts as reported. Absent means "not reported", which is not the same as zero.
/// input includes cache_read and cache_write where the producer reports them that way (OpenAI,
/// Gemini, OTel GenAI); the normalizer makes that true for every convention. output includes
/// reasoning.
struct TokenUsage
{
    std::optional<std::int64_t> input;
    std::optional<std::int64_t> output;
    std::optional<std::int64_t> total;
    std::optional<std::int64_t> cache_read;
    std::optional<std::int64_t> cache_write;
    std::optional<std::int64_t> reasoning;
    bool empty() const { return !input && !output && !total && !cache_read && !cache_write && !reasoning; }
    bool operator==(const TokenUsage &other) const = default;
};

/// The result of an earlier tool call as a later model call's request hands it to the model. Google
/// ADK catches a tool's exception, hands the model `{"error": "..."}` as the function's response and
/// leaves the tool's span unset and empty: this is where the failure shows. Derived at ingest
/// (core/failures.h) and not stored: the store marks the failed tool call's span with it. The
/// results that succeeded are kept too, so that each result can be paired with its call.
struct ToolResultReport
{
    std::string tool_name;
    std::string call_id; ///< the model's id for the call, where the convention has one
    std::string arguments; ///< JSON text, from the model turn that asked for the call
    bool failed = false;
    std::string message; ///< what the failure said (at most kMaxFailureMessage bytes)
    bool operator==(const ToolResultReport &other) const = default;
};

/// The canonical span: one shape for every producer (OTel GenAI, OpenInference, Vercel AI SDK,
/// Traceloop, Google ADK, the native API). Raw attributes are kept next to what was derived from them.
struct Span
{
    TraceId trace_id {};
    SpanId span_id {};
    SpanId parent_span_id {}; ///< all zero: a root span
    std::string trace_state;
    std::string name;
    SpanKind kind = SpanKind::Other;
    std::uint8_t otel_kind
        = 0; ///< OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer
    std::int64_t start_ns = 0;
    std::int64_t end_ns = 0;
    StatusCode status = StatusCode::Unset;
    std::string status_message;

    std::string service_name;
    std::string scope_name;
    std::string scope_version;

    std::string request_model;
    std::string response_model;
    std::string provider;
    std::string agent_name; ///< the agent that ran this span (agent spans: the agent itself)
    std::string tool_name;
    TokenUsage tokens;
    std::optional<double> cost_usd; ///< set by the cost engine; absent means "no price"
    std::string price_ref; ///< the price row that produced cost_usd

    std::string input; ///< prompt / tool arguments (text or JSON text)
    std::string output; ///< completion / tool result (text or JSON text)

    std::string session_id;
    std::string user_id;

    Attributes attributes; ///< every attribute as received, the ones the normalizer read included
    std::vector<SpanEvent> events;
    std::vector<SpanLink> links;
    Attributes resource;
    std::uint32_t dropped_attributes = 0;
    std::uint32_t dropped_events = 0;
    std::uint32_t dropped_links = 0;
    /// LLM spans whose request reports a failed tool call: the results that request hands the model
    /// for the first time, in its order (not stored; core/failures.h).
    std::vector<ToolResultReport> reported_tool_results;

    bool isRoot() const { return isZero(parent_span_id); }
    std::int64_t durationNs() const { return end_ns > start_ns ? end_ns - start_ns : 0; }
    /// The model to show and price: the one that answered, else the one asked for.
    const std::string &model() const { return response_model.empty() ? request_model : response_model; }
    bool operator==(const Span &other) const = default;
};

/// Per-trace summary, kept up to date at ingest so that listing traces never scans spans.
struct TraceSummary
{
    TraceId trace_id {};
    std::string root_span_id; ///< hex; empty while the root has not arrived
    std::string name; ///< the root span's name (or, until it arrives, the earliest span's)
    std::string service_name;
    std::int64_t start_ns = 0;
    std::int64_t end_ns = 0;
    std::int64_t span_count = 0;
    std::int64_t error_count = 0;
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t total_tokens = 0;
    std::int64_t cache_read_tokens = 0;
    std::int64_t cache_write_tokens = 0;
    std::int64_t reasoning_tokens = 0;
    double cost_usd = 0; ///< the priced spans' sum; no cost at all when priced_spans is 0
    std::int64_t priced_spans = 0; ///< spans whose cost is in cost_usd (core/usage.h)
    std::int64_t unpriced_spans = 0; ///< spans that used tokens but have no price (core/usage.h)
    std::vector<std::string> models;
    std::string session_id;
    std::string user_id;
    std::int64_t durationNs() const { return end_ns > start_ns ? end_ns - start_ns : 0; }
};

} // namespace agentops::core
