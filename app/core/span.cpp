// SPDX-License-Identifier: MIT
#include "core/span.h"

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

static void appendDouble(std::string &out, double d)
{
    if (!std::isfinite(d)) {
        // JSON has no NaN or infinity: keep them readable as strings.
        appendJsonString(out, std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity"));
        return;
    }
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, ec == std::errc() ? end : buf);
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
        appendDouble(out, d);
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

// Length of a valid UTF-8 sequence starting at p (1..4), or 0 when it is not valid.
static std::size_t utf8SequenceLength(const unsigned char *p, std::size_t avail)
{
    const unsigned char c = p[0];
    std::size_t len = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < len)
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((p[k] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/// False when none of the eight bytes in chunk needs escaping in a JSON string: no control
/// character, no '"', no '\\', nothing outside ASCII. (Bit tricks of the "has a byte less than n"
/// kind: the answer may be true for a chunk that needs nothing, never false for one that does.)
static bool mayNeedEscaping(std::uint64_t chunk)
{
    constexpr std::uint64_t ones = 0x0101010101010101ull;
    constexpr std::uint64_t high = 0x8080808080808080ull;
    const std::uint64_t quote = chunk ^ (ones * '"');
    const std::uint64_t backslash = chunk ^ (ones * '\\');
    const std::uint64_t control = (chunk - ones * 0x20) & ~chunk;
    const std::uint64_t isQuote = (quote - ones) & ~quote;
    const std::uint64_t isBackslash = (backslash - ones) & ~backslash;
    return ((control | isQuote | isBackslash | chunk) & high) != 0;
}

void appendJsonString(std::string &out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 2);
    out.push_back('"');
    const auto *p = reinterpret_cast<const unsigned char *>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // Copy the longest run that needs no escaping in one go, found eight bytes at a time.
        std::size_t run = i;
        while (n - run >= 8) {
            std::uint64_t chunk;
            std::memcpy(&chunk, p + run, 8);
            if (mayNeedEscaping(chunk))
                break;
            run += 8;
        }
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            ++run;
        out.append(s.data() + i, run - i);
        i = run;
        if (i >= n)
            break;
        const unsigned char c = p[i];
        switch (c) {
        case '"':
            out += "\\\"";
            ++i;
            continue;
        case '\\':
            out += "\\\\";
            ++i;
            continue;
        case '\n':
            out += "\\n";
            ++i;
            continue;
        case '\r':
            out += "\\r";
            ++i;
            continue;
        case '\t':
            out += "\\t";
            ++i;
            continue;
        case '\b':
            out += "\\b";
            ++i;
            continue;
        case '\f':
            out += "\\f";
            ++i;
            continue;
        default: break;
        }
        if (c < 0x20) {
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
            ++i;
            continue;
        }
        const std::size_t len = utf8SequenceLength(p + i, n - i);
        if (len == 0) {
            out += "\xEF\xBF\xBD"; // U+FFFD for bytes that are not UTF-8
            ++i;
        } else {
            out.append(s.data() + i, len);
            i += len;
        }
    }
    out.push_back('"');
}

static void appendValueJson(std::string &out, const AttrValue &v)
{
    switch (v.type) {
    case AttrValue::Type::String:
    case AttrValue::Type::Bytes: appendJsonString(out, v.s); break;
    case AttrValue::Type::Bool: out += v.b ? "true" : "false"; break;
    case AttrValue::Type::Int: out += std::to_string(v.i); break;
    case AttrValue::Type::Double: appendDouble(out, v.d); break;
    case AttrValue::Type::Json: out += v.s.empty() ? std::string_view("null") : std::string_view(v.s); break;
    case AttrValue::Type::Empty: out += "null"; break;
    }
}

void appendAttributesJson(std::string &out, const Attributes &attrs, std::span<const std::size_t> skip)
{
    // One allocation for the usual case (no escapes), instead of regrowing attribute by attribute.
    std::size_t estimate = out.size() + 2;
    for (std::size_t i = 0, k = 0; i < attrs.size(); ++i) {
        if (k < skip.size() && skip[k] == i) {
            ++k;
            continue;
        }
        estimate += attrs[i].key.size() + attrs[i].value.s.size() + 24;
    }
    out.reserve(estimate);
    out.push_back('{');
    bool first = true;
    for (std::size_t i = 0; i < attrs.size(); ++i) {
        if (!skip.empty() && skip.front() == i) {
            skip = skip.subspan(1);
            continue;
        }
        if (!first)
            out.push_back(',');
        first = false;
        appendJsonString(out, attrs[i].key);
        out.push_back(':');
        appendValueJson(out, attrs[i].value);
    }
    out.push_back('}');
}

std::string attributesToJson(const Attributes &attrs)
{
    std::string out;
    appendAttributesJson(out, attrs);
    return out;
}

} // namespace agentops::core
