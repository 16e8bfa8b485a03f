// SPDX-License-Identifier: MIT
#include "core/spanjson.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace agentops::core {

void appendJsonDouble(std::string &out, double d)
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
    case AttrValue::Type::Double: appendJsonDouble(out, v.d); break;
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

void appendEventsJson(std::string &out, const std::vector<SpanEvent> &events)
{
    out.push_back('[');
    bool first = true;
    for (const auto &e : events) {
        if (!first)
            out.push_back(',');
        first = false;
        out += "{\"time_unix_nano\":\"";
        out += std::to_string(e.time_ns);
        out += "\",\"name\":";
        appendJsonString(out, e.name);
        out += ",\"attributes\":";
        appendAttributesJson(out, e.attributes);
        out.push_back('}');
    }
    out.push_back(']');
}

void appendLinksJson(std::string &out, const std::vector<SpanLink> &links)
{
    out.push_back('[');
    bool first = true;
    for (const auto &l : links) {
        if (!first)
            out.push_back(',');
        first = false;
        out += "{\"trace_id\":\"";
        out += toHex(l.trace_id);
        out += "\",\"span_id\":\"";
        out += toHex(l.span_id);
        out += "\",\"trace_state\":";
        appendJsonString(out, l.trace_state);
        out += ",\"attributes\":";
        appendAttributesJson(out, l.attributes);
        out.push_back('}');
    }
    out.push_back(']');
}

// nlohmann's default json keeps object keys sorted; ordered_json keeps the order the producer sent.
using ojson = nlohmann::ordered_json;

static void attributesFromObject(const ojson &obj, Attributes &out)
{
    out.clear();
    out.reserve(obj.size());
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const auto &v = it.value();
        AttrValue value;
        switch (v.type()) {
        case ojson::value_t::string: value = AttrValue::ofString(v.get<std::string>()); break;
        case ojson::value_t::boolean: value = AttrValue::ofBool(v.get<bool>()); break;
        case ojson::value_t::number_integer: value = AttrValue::ofInt(v.get<std::int64_t>()); break;
        case ojson::value_t::number_unsigned: {
            const auto u = v.get<std::uint64_t>();
            value = u <= static_cast<std::uint64_t>(INT64_MAX) ? AttrValue::ofInt(static_cast<std::int64_t>(u))
                                                               : AttrValue::ofDouble(static_cast<double>(u));
            break;
        }
        case ojson::value_t::number_float: value = AttrValue::ofDouble(v.get<double>()); break;
        case ojson::value_t::null: break;
        default: value = AttrValue::ofJson(v.dump(-1, ' ', false, ojson::error_handler_t::replace)); break;
        }
        out.push_back(Attribute { it.key(), std::move(value) });
    }
}

namespace {

/// A reader for the flat attribute objects the store writes (appendAttributesJson): reading a trace of
/// a million spans parses a million of them, several times faster than through a JSON DOM. Nested
/// values are captured as their JSON text, as AttrValue::Json holds them. Anything it does not
/// expect makes it give up, and the caller falls back to the general parser.
class FlatObjectReader
{
public:
    explicit FlatObjectReader(std::string_view text)
        : m_s(text)
    { }

    bool read(Attributes &out)
    {
        skipSpace();
        if (!consume('{'))
            return false;
        skipSpace();
        if (consume('}'))
            return atEnd();
        for (;;) {
            Attribute a;
            skipSpace();
            if (!readString(a.key))
                return false;
            skipSpace();
            if (!consume(':'))
                return false;
            skipSpace();
            if (!readValue(a.value))
                return false;
            out.push_back(std::move(a));
            skipSpace();
            if (consume(','))
                continue;
            if (consume('}'))
                return atEnd();
            return false;
        }
    }

private:
    bool atEnd()
    {
        skipSpace();
        return m_pos == m_s.size();
    }
    void skipSpace()
    {
        while (
            m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\n' || m_s[m_pos] == '\t' || m_s[m_pos] == '\r'))
            ++m_pos;
    }
    bool consume(char c)
    {
        if (m_pos < m_s.size() && m_s[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    bool readString(std::string &out)
    {
        if (!consume('"'))
            return false;
        for (;;) {
            const auto quote = m_s.find_first_of("\"\\", m_pos);
            if (quote == std::string_view::npos)
                return false;
            out.append(m_s.data() + m_pos, quote - m_pos);
            m_pos = quote + 1;
            if (m_s[quote] == '"')
                return true;
            if (m_pos >= m_s.size())
                return false;
            switch (m_s[m_pos++]) {
            case 'u': {
                std::uint32_t cp = 0;
                if (!readHex4(cp))
                    return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    std::uint32_t low = 0;
                    if (m_s.substr(m_pos, 2) != "\\u")
                        return false;
                    m_pos += 2;
                    if (!readHex4(low) || low < 0xDC00 || low > 0xDFFF)
                        return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return false;
                }
                appendUtf8(out, cp);
                break;
            }
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            default: return false;
            }
        }
    }
    bool readHex4(std::uint32_t &cp) { return readJsonHex4(m_s, m_pos, cp); }

    /// Skips one JSON value (for nested arrays/objects) and returns its text.
    bool skipComposite(std::string_view &text)
    {
        const std::size_t start = m_pos;
        int depth = 0;
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos++];
            if (c == '"') {
                while (m_pos < m_s.size() && m_s[m_pos] != '"')
                    m_pos += m_s[m_pos] == '\\' ? 2 : 1;
                if (m_pos >= m_s.size())
                    return false;
                ++m_pos;
            } else if (c == '[' || c == '{') {
                ++depth;
            } else if (c == ']' || c == '}') {
                if (--depth == 0) {
                    text = m_s.substr(start, m_pos - start);
                    return true;
                }
            }
        }
        return false;
    }
    bool readValue(AttrValue &v)
    {
        if (m_pos >= m_s.size())
            return false;
        const char c = m_s[m_pos];
        if (c == '"') {
            v.type = AttrValue::Type::String;
            return readString(v.s);
        }
        if (c == '[' || c == '{') {
            std::string_view text;
            if (!skipComposite(text))
                return false;
            v = AttrValue::ofJson(std::string(text));
            return true;
        }
        if (m_s.substr(m_pos, 4) == "true") {
            m_pos += 4;
            v = AttrValue::ofBool(true);
            return true;
        }
        if (m_s.substr(m_pos, 5) == "false") {
            m_pos += 5;
            v = AttrValue::ofBool(false);
            return true;
        }
        if (m_s.substr(m_pos, 4) == "null") {
            m_pos += 4;
            v = AttrValue {};
            return true;
        }
        std::size_t end = m_pos;
        bool isDouble = false;
        while (end < m_s.size() && std::string_view("0123456789+-.eE").find(m_s[end]) != std::string_view::npos) {
            isDouble = isDouble || m_s[end] == '.' || m_s[end] == 'e' || m_s[end] == 'E';
            ++end;
        }
        if (end == m_pos)
            return false;
        const char *first = m_s.data() + m_pos;
        const char *last = m_s.data() + end;
        if (!isDouble) {
            std::int64_t i = 0;
            auto [p, ec] = std::from_chars(first, last, i);
            if (ec != std::errc() || p != last)
                return false; // out of range: the general parser decides
            v = AttrValue::ofInt(i);
        } else {
            double d = 0;
            auto [p, ec] = std::from_chars(first, last, d);
            if (ec != std::errc() || p != last)
                return false;
            v = AttrValue::ofDouble(d);
        }
        m_pos = end;
        return true;
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
};

} // namespace

bool attributesFromJson(std::string_view text, Attributes &out, std::string *error)
{
    out.clear();
    if (text.empty())
        return true;
    if (FlatObjectReader(text).read(out))
        return true;
    out.clear();
    const ojson j = ojson::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        if (error)
            *error = "attributes: must be a JSON object";
        return false;
    }
    attributesFromObject(j, out);
    return true;
}

static std::int64_t nanosField(const ojson &o, const char *key)
{
    auto it = o.find(key);
    if (it == o.end())
        return 0;
    if (it->is_number_integer())
        return it->get<std::int64_t>();
    if (it->is_string()) {
        const auto &s = it->get_ref<const std::string &>();
        std::int64_t v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        return v;
    }
    return 0;
}

static void attributesField(const ojson &o, Attributes &out)
{
    auto it = o.find("attributes");
    if (it != o.end() && it->is_object())
        attributesFromObject(*it, out);
}

static std::string stringField(const ojson &o, const char *key)
{
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Reads a JSON array of objects (the stored events and links columns), one readOne call per object;
/// other elements are skipped. Empty text is an empty list.
template<typename T, typename ReadOne>
static bool arrayOfObjectsFromJson(
    std::string_view text, const char *what, std::vector<T> &out, std::string *error, ReadOne readOne)
{
    out.clear();
    if (text.empty())
        return true;
    const ojson j = ojson::parse(text, nullptr, false);
    if (!j.is_array()) {
        if (error)
            *error = std::string(what) + ": must be a JSON array";
        return false;
    }
    for (const auto &o : j) {
        if (o.is_object())
            out.push_back(readOne(o));
    }
    return true;
}

bool eventsFromJson(std::string_view text, std::vector<SpanEvent> &out, std::string *error)
{
    return arrayOfObjectsFromJson(text, "events", out, error, [](const ojson &e) {
        SpanEvent ev;
        ev.time_ns = nanosField(e, "time_unix_nano");
        ev.name = stringField(e, "name");
        attributesField(e, ev.attributes);
        return ev;
    });
}

bool linksFromJson(std::string_view text, std::vector<SpanLink> &out, std::string *error)
{
    return arrayOfObjectsFromJson(text, "links", out, error, [](const ojson &l) {
        SpanLink link;
        fromHex(stringField(l, "trace_id"), link.trace_id);
        fromHex(stringField(l, "span_id"), link.span_id);
        link.trace_state = stringField(l, "trace_state");
        attributesField(l, link.attributes);
        return link;
    });
}

static void appendOptionalInt(std::string &out, const std::optional<std::int64_t> &v)
{
    if (v)
        out += std::to_string(*v);
    else
        out += "null";
}

static void appendCost(std::string &out, double v)
{
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
}

static void appendKey(std::string &out, std::string_view key)
{
    out.push_back(',');
    out.push_back('"');
    out += key;
    out += "\":";
}

static void appendStringField(std::string &out, std::string_view key, std::string_view value)
{
    appendKey(out, key);
    appendJsonString(out, value);
}

static void appendNanosField(std::string &out, std::string_view key, std::int64_t ns)
{
    appendKey(out, key);
    out.push_back('"');
    out += std::to_string(ns);
    out.push_back('"');
}

void appendSpanApiJson(std::string &out, const Span &s, int depth, bool orphan)
{
    out += "{\"trace_id\":\"";
    out += toHex(s.trace_id);
    out += "\",\"span_id\":\"";
    out += toHex(s.span_id);
    out += "\",\"parent_span_id\":";
    if (s.isRoot()) {
        out += "null";
    } else {
        out.push_back('"');
        out += toHex(s.parent_span_id);
        out.push_back('"');
    }
    appendStringField(out, "trace_state", s.trace_state);
    appendStringField(out, "name", s.name);
    appendStringField(out, "kind", toString(s.kind));
    appendKey(out, "otel_kind");
    out += std::to_string(s.otel_kind);
    appendNanosField(out, "start_time_unix_nano", s.start_ns);
    appendNanosField(out, "end_time_unix_nano", s.end_ns);
    appendKey(out, "duration_ns");
    out += std::to_string(s.durationNs());
    appendKey(out, "status");
    out += "{\"code\":";
    appendJsonString(out, toString(s.status));
    out += ",\"message\":";
    appendJsonString(out, s.status_message);
    out.push_back('}');
    appendStringField(out, "service_name", s.service_name);
    appendKey(out, "scope");
    out += "{\"name\":";
    appendJsonString(out, s.scope_name);
    out += ",\"version\":";
    appendJsonString(out, s.scope_version);
    out.push_back('}');
    appendStringField(out, "request_model", s.request_model);
    appendStringField(out, "response_model", s.response_model);
    appendStringField(out, "provider", s.provider);
    appendStringField(out, "agent_name", s.agent_name);
    appendStringField(out, "tool_name", s.tool_name);
    appendKey(out, "tokens");
    out += "{\"input\":";
    appendOptionalInt(out, s.tokens.input);
    out += ",\"output\":";
    appendOptionalInt(out, s.tokens.output);
    out += ",\"total\":";
    appendOptionalInt(out, s.tokens.total);
    out += ",\"cache_read\":";
    appendOptionalInt(out, s.tokens.cache_read);
    out += ",\"cache_write\":";
    appendOptionalInt(out, s.tokens.cache_write);
    out += ",\"reasoning\":";
    appendOptionalInt(out, s.tokens.reasoning);
    out.push_back('}');
    appendKey(out, "cost_usd");
    if (s.cost_usd)
        appendCost(out, *s.cost_usd);
    else
        out += "null";
    appendStringField(out, "price_ref", s.price_ref);
    appendStringField(out, "input", s.input);
    appendStringField(out, "output", s.output);
    appendStringField(out, "session_id", s.session_id);
    appendStringField(out, "user_id", s.user_id);
    appendKey(out, "attributes");
    appendAttributesJson(out, s.attributes);
    appendKey(out, "events");
    appendEventsJson(out, s.events);
    appendKey(out, "links");
    appendLinksJson(out, s.links);
    appendKey(out, "resource");
    appendAttributesJson(out, s.resource);
    appendKey(out, "dropped_attributes_count");
    out += std::to_string(s.dropped_attributes);
    appendKey(out, "dropped_events_count");
    out += std::to_string(s.dropped_events);
    appendKey(out, "dropped_links_count");
    out += std::to_string(s.dropped_links);
    appendKey(out, "depth");
    out += std::to_string(depth);
    appendKey(out, "orphan");
    out += orphan ? "true" : "false";
    out.push_back('}');
}

void appendTotalCostJson(std::string &out, double costUsd, std::int64_t pricedSpans, std::int64_t unpricedSpans)
{
    appendKey(out, "cost_usd");
    if (pricedSpans > 0)
        appendCost(out, costUsd);
    else
        out += "null";
    appendKey(out, "priced_spans");
    out += std::to_string(pricedSpans);
    appendKey(out, "unpriced_spans");
    out += std::to_string(unpricedSpans);
}

void appendSummaryApiJson(std::string &out, const TraceSummary &t)
{
    out += "{\"trace_id\":\"";
    out += toHex(t.trace_id);
    out.push_back('"');
    appendKey(out, "root_span_id");
    if (t.root_span_id.empty())
        out += "null";
    else
        appendJsonString(out, t.root_span_id);
    appendStringField(out, "name", t.name);
    appendStringField(out, "service_name", t.service_name);
    appendNanosField(out, "start_time_unix_nano", t.start_ns);
    appendNanosField(out, "end_time_unix_nano", t.end_ns);
    appendStringField(out, "start_time", formatRfc3339Nanos(t.start_ns));
    appendKey(out, "duration_ns");
    out += std::to_string(t.durationNs());
    appendKey(out, "span_count");
    out += std::to_string(t.span_count);
    appendKey(out, "error_count");
    out += std::to_string(t.error_count);
    appendKey(out, "tokens");
    out += "{\"input\":" + std::to_string(t.input_tokens) + ",\"output\":" + std::to_string(t.output_tokens)
        + ",\"total\":" + std::to_string(t.total_tokens) + ",\"cache_read\":" + std::to_string(t.cache_read_tokens)
        + ",\"cache_write\":" + std::to_string(t.cache_write_tokens)
        + ",\"reasoning\":" + std::to_string(t.reasoning_tokens) + "}";
    appendTotalCostJson(out, t.cost_usd, t.priced_spans, t.unpriced_spans);
    appendKey(out, "models");
    out.push_back('[');
    for (std::size_t i = 0; i < t.models.size(); ++i) {
        if (i)
            out.push_back(',');
        appendJsonString(out, t.models[i]);
    }
    out.push_back(']');
    appendStringField(out, "session_id", t.session_id);
    appendStringField(out, "user_id", t.user_id);
    out.push_back('}');
}

std::string formatRfc3339Nanos(std::int64_t ns)
{
    std::int64_t secs = ns / 1000000000;
    std::int64_t frac = ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        secs -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(secs);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(frac));
    return buf;
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian); Howard Hinnant's algorithm.
static std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool parseRfc3339Nanos(std::string_view s, std::int64_t &ns)
{
    auto digits = [&](std::size_t pos, std::size_t n, int &value) {
        if (pos + n > s.size())
            return false;
        value = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    };
    int year, month, day, hour, minute, second;
    if (!digits(0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(5, 2, month) || s[7] != '-' || !digits(8, 2, day)
        || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, hour) || s[13] != ':'
        || !digits(14, 2, minute) || s[16] != ':' || !digits(17, 2, second))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
        return false;
    std::size_t pos = 19;
    std::int64_t frac = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        int n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (n < 9) {
                frac = frac * 10 + (s[pos] - '0');
                ++n;
            }
            ++pos;
        }
        if (n == 0)
            return false;
        for (; n < 9; ++n)
            frac *= 10;
    }
    std::int64_t offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh, om;
        if (!digits(pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(pos + 4, 2, om))
            return false;
        offset = (std::int64_t { oh } * 3600 + std::int64_t { om } * 60) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return false;
    }
    if (pos != s.size())
        return false;
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t secs
        = days * 86400 + std::int64_t { hour } * 3600 + std::int64_t { minute } * 60 + second - offset;
    if (secs > 9'000'000'000 || secs < -9'000'000'000)
        return false;
    ns = secs * 1000000000 + frac;
    return true;
}

bool jsonNestingExceeds(std::string_view body, std::size_t limit)
{
    std::size_t depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth > limit)
                return true;
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default: break;
        }
    }
    return false;
}

bool readJsonHex4(std::string_view text, std::size_t &pos, std::uint32_t &codePoint)
{
    if (pos + 4 > text.size())
        return false;
    std::uint32_t cp = 0;
    for (int k = 0; k < 4; ++k) {
        const char c = text[pos++];
        cp <<= 4;
        if (c >= '0' && c <= '9')
            cp |= static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            cp |= static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            cp |= static_cast<std::uint32_t>(c - 'A' + 10);
        else
            return false;
    }
    codePoint = cp;
    return true;
}

void appendUtf8(std::string &out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | cp >> 6));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | cp >> 12));
        out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | cp >> 18));
        out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

} // namespace agentops::core
