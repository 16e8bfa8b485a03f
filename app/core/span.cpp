// SPDX-License-Identifier: MIT
#include "core/span.h"

#include "core/spanjson.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace agentops::core {

std::string toHex(const std::uint8_t *data, std::size_t size)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0xf];
    }
    return out;
}

static int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool fromHex(std::string_view hex, std::uint8_t *out, std::size_t size)
{
    if (hex.size() != size * 2)
        return false;
    for (std::size_t i = 0; i < size; ++i) {
        const int hi = hexDigit(hex[2 * i]);
        const int lo = hexDigit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    }
    return true;
}

std::string_view toString(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Agent: return "agent";
    case SpanKind::Llm: return "llm";
    case SpanKind::Tool: return "tool";
    case SpanKind::Chain: return "chain";
    case SpanKind::Retriever: return "retriever";
    case SpanKind::Embedding: return "embedding";
    case SpanKind::Guardrail: return "guardrail";
    case SpanKind::Evaluator: return "evaluator";
    case SpanKind::Other: break;
    }
    return "other";
}

std::optional<SpanKind> spanKindFromString(std::string_view text)
{
    for (auto kind : { SpanKind::Other, SpanKind::Agent, SpanKind::Llm, SpanKind::Tool, SpanKind::Chain,
             SpanKind::Retriever, SpanKind::Embedding, SpanKind::Guardrail, SpanKind::Evaluator }) {
        if (toString(kind) == text)
            return kind;
    }
    return std::nullopt;
}

std::string_view toString(StatusCode code)
{
    switch (code) {
    case StatusCode::Ok: return "ok";
    case StatusCode::Error: return "error";
    case StatusCode::Unset: break;
    }
    return "unset";
}

std::string AttrValue::asText() const
{
    switch (type) {
    case Type::String:
    case Type::Bytes:
    case Type::Json: return s;
    case Type::Bool: return b ? "true" : "false";
    case Type::Int: return std::to_string(i);
    case Type::Double: {
        std::string out;
        appendJsonDouble(out, d);
        return out;
    }
    case Type::Empty: break;
    }
    return {};
}

std::optional<std::int64_t> AttrValue::asInt() const
{
    switch (type) {
    case Type::Int: return i;
    case Type::Double:
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e18)
            return static_cast<std::int64_t>(d);
        return std::nullopt;
    case Type::String: {
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return v;
        return std::nullopt;
    }
    default: return std::nullopt;
    }
}

const AttrValue *findAttribute(const Attributes &attrs, std::string_view key)
{
    for (const auto &a : attrs)
        if (a.key == key)
            return &a.value;
    return nullptr;
}

} // namespace agentops::core
