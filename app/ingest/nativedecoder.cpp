// SPDX-License-Identifier: MIT
#include "ingest/decode.h"
#include "ingest/redaction.h"

#include "core/normalizer.h"
#include "core/spanjson.h"
#include "ingest/decodeutil.h"
#include "ingest/orderedjson.h"

#include <nlohmann/json.hpp>

#include <limits>

namespace agentops::ingest {

namespace {

// Ordered, so attributes and JSON payloads keep the order the client wrote them in; indexed, so an
// object of many keys costs linear time (orderedjson.h).
using json = OrderedJson;

constexpr std::string_view kKindNames = "agent, llm, tool, chain, retriever, embedding, guardrail, evaluator, other";

/// A problem inside one span: the field (relative to the span) and what is wrong with it.
struct Problem
{
    std::string field;
    std::string message;
};

struct Fail
{
};

/// Throws Fail after recording the problem; keeps the field-by-field code below linear. Only used
/// inside decodeSpan, which catches it.
[[noreturn]] void fail(Problem &p, std::string field, std::string message)
{
    p = Problem { std::move(field), std::move(message) };
    throw Fail {};
}

const json *member(const json &obj, std::string_view key)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null())
        return nullptr;
    return &*it;
}

std::string jsonQuoted(std::string_view text)
{
    std::string out;
    core::appendJsonString(out, text);
    return out;
}

std::string indexed(std::string_view name, std::size_t i)
{
    return std::string(name) + '[' + std::to_string(i) + ']';
}

std::string dumpJson(const json &v)
{
    return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::int64_t> toInt64(const json &v)
{
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return std::int64_t(u);
    }
    if (v.is_number_integer())
        return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == double(std::int64_t(d)))
            return std::int64_t(d);
        return std::nullopt;
    }
    if (v.is_string())
        return detail::parseInt64(v.get_ref<const std::string &>());
    return std::nullopt;
}

core::AttrValue toAttrValue(const json &v)
{
    switch (v.type()) {
    case json::value_t::string: return core::AttrValue::ofString(v.get<std::string>());
    case json::value_t::boolean: return core::AttrValue::ofBool(v.get<bool>());
    case json::value_t::number_integer: return core::AttrValue::ofInt(v.get<std::int64_t>());
    case json::value_t::number_unsigned: {
        const auto u = v.get<std::uint64_t>();
        if (u <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            return core::AttrValue::ofInt(std::int64_t(u));
        return core::AttrValue::ofDouble(double(u));
    }
    case json::value_t::number_float: return core::AttrValue::ofDouble(v.get<double>());
    case json::value_t::array:
    case json::value_t::object: return core::AttrValue::ofJson(dumpJson(v));
    default: break;
    }
    return core::AttrValue {};
}

/// A flat object of key -> value as attributes; false when it is not an object.
bool toAttributes(const json *v, core::Attributes &out)
{
    if (!v)
        return true;
    if (!v->is_object())
        return false;
    out.reserve(out.size() + v->size());
    for (const auto &[key, value] : v->items())
        out.push_back(core::Attribute { key, toAttrValue(value) });
    return true;
}

bool optionalString(const json &obj, std::string_view key, std::string &out, Problem &p, std::string_view prefix = {})
{
    const json *v = member(obj, key);
    if (!v)
        return true;
    if (!v->is_string()) {
        p = Problem { std::string(prefix) + std::string(key), "must be a string" };
        return false;
    }
    out = v->get<std::string>();
    return true;
}

// --- time ----------------------------------------------------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int &out)
{
    if (pos + n > s.size())
        return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

/// RFC 3339 date-time ("2025-01-31T12:00:00.123456789Z", offsets like +02:00) as Unix nanoseconds.
std::optional<std::int64_t> parseRfc3339(std::string_view s)
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-'
        || !digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour)
        || s[13] != ':' || !digits(s, 14, 2, minute) || s[16] != ':' || !digits(s, 17, 2, second))
        return std::nullopt;
    static constexpr int monthDays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > monthDays[month - 1] || (month == 2 && day == 29 && !leap)
        || hour > 23 || minute > 59 || second > 60)
        return std::nullopt;
    std::size_t pos = 19;
    std::int64_t fraction = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t n = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (++n > 9)
                return std::nullopt;
            fraction = fraction * 10 + (s[pos] - '0');
            ++pos;
        }
        if (n == 0)
            return std::nullopt;
        for (; n < 9; ++n)
            fraction *= 10;
    }
    std::int64_t offsetSeconds = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        int oh = 0, om = 0;
        if (!digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, om)
            || oh > 23 || om > 59)
            return std::nullopt;
        offsetSeconds = (s[pos] == '+' ? 1 : -1) * (std::int64_t(oh) * 3600 + std::int64_t(om) * 60);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size())
        return std::nullopt;
    // Years 1970..2262 fit in int64 nanoseconds; anything else is not a time a span can have.
    const std::int64_t secs = daysFromCivil(year, unsigned(month), unsigned(day)) * 86400 + std::int64_t(hour) * 3600
        + std::int64_t(minute) * 60 + second - offsetSeconds;
    if (secs <= 0 || secs >= std::numeric_limits<std::int64_t>::max() / 1000000000 - 1)
        return std::nullopt;
    return secs * 1000000000 + fraction;
}

/// Reads "<name>" (RFC 3339) or "<name>_unix_nano" (integer or decimal string); the latter wins when
/// both are there. Returns the field it read in used ("" when neither is present).
std::optional<std::int64_t> readTime(
    const json &obj, std::string_view name, std::string_view prefix, std::string &used, Problem &p)
{
    const std::string nanoKey = std::string(name) + "_unix_nano";
    if (const json *v = member(obj, nanoKey)) {
        used = nanoKey;
        const auto ns = toInt64(*v);
        if (!ns || *ns <= 0)
            fail(p, std::string(prefix) + nanoKey, "must be a positive integer (nanoseconds since 1970)");
        return ns;
    }
    if (const json *v = member(obj, name)) {
        used = name;
        const auto ns = v->is_string() ? parseRfc3339(v->get_ref<const std::string &>()) : std::nullopt;
        if (!ns)
            fail(p, std::string(prefix) + std::string(name),
                "must be an RFC 3339 date-time after 1970, e.g. \"2025-01-31T12:00:00.123Z\"");
        return ns;
    }
    used.clear();
    return std::nullopt;
}

// --- the batch -----------------------------------------------------------------------------------

/// What the "trace" object gives every span.
struct TraceDefaults
{
    bool hasTraceId = false;
    core::TraceId trace_id {};
    std::string service_name;
    std::string session_id;
    std::string user_id;
    core::Attributes resource;
};

template<std::size_t N>
void readId(const json &obj, std::string_view key, std::array<std::uint8_t, N> &out, bool required, Problem &p)
{
    const json *v = member(obj, key);
    const std::string digitsText = std::to_string(2 * N) + " hex digits";
    if (!v) {
        if (required)
            fail(p, std::string(key), "missing (" + digitsText + ")");
        return;
    }
    if (!v->is_string())
        fail(p, std::string(key), "must be a string of " + digitsText);
    const auto &text = v->get_ref<const std::string &>();
    if (text.empty() && !required)
        return;
    if (!core::fromHex(text, out))
        fail(p, std::string(key), "must be " + digitsText);
    if (required && core::isZero(out))
        fail(p, std::string(key), "must not be all zero");
}

void readString(const json &obj, std::string_view key, std::string &out, Problem &p)
{
    if (!optionalString(obj, key, out, p))
        throw Fail {};
}

/// input/output: text as it is, anything else as its JSON text.
void readPayload(const json &obj, std::string_view key, std::string &out)
{
    if (const json *v = member(obj, key))
        out = v->is_string() ? v->get<std::string>() : dumpJson(*v);
}

void readTokens(const json &obj, core::TokenUsage &tokens, Problem &p)
{
    const json *t = member(obj, "tokens");
    if (!t)
        return;
    if (!t->is_object())
        fail(p, "tokens", "must be an object");
    const std::pair<std::string_view, std::optional<std::int64_t> *> fields[] = {
        { "input", &tokens.input },
        { "output", &tokens.output },
        { "total", &tokens.total },
        { "cache_read", &tokens.cache_read },
        { "cache_write", &tokens.cache_write },
        { "reasoning", &tokens.reasoning },
    };
    for (const auto &[key, slot] : fields) {
        const json *v = member(*t, key);
        if (!v)
            continue;
        const auto n = v->is_string() ? std::nullopt : toInt64(*v);
        if (!n)
            fail(p, "tokens." + std::string(key), "must be an integer");
        if (*n < 0)
            fail(p, "tokens." + std::string(key), "must not be negative");
        *slot = *n;
    }
}

void readEvents(const json &obj, std::vector<core::SpanEvent> &events, Problem &p)
{
    const json *v = member(obj, "events");
    if (!v)
        return;
    if (!v->is_array())
        fail(p, "events", "must be an array");
    events.reserve(v->size());
    for (std::size_t i = 0; i < v->size(); ++i) {
        const json &e = (*v)[i];
        const std::string at = indexed("events", i);
        if (!e.is_object())
            fail(p, at, "must be an object");
        core::SpanEvent event;
        if (!optionalString(e, "name", event.name, p, at + '.'))
            throw Fail {};
        if (event.name.empty())
            fail(p, at + ".name", "must not be empty");
        std::string used;
        const auto time = readTime(e, "time", at + '.', used, p);
        if (!time)
            fail(p, at + ".time", "missing (time or time_unix_nano)");
        event.time_ns = *time;
        if (!toAttributes(member(e, "attributes"), event.attributes))
            fail(p, at + ".attributes", "must be an object");
        events.push_back(std::move(event));
    }
}

void readLinks(const json &obj, std::vector<core::SpanLink> &links, Problem &p)
{
    const json *v = member(obj, "links");
    if (!v)
        return;
    if (!v->is_array())
        fail(p, "links", "must be an array");
    for (std::size_t i = 0; i < v->size(); ++i) {
        const json &l = (*v)[i];
        const std::string at = indexed("links", i);
        if (!l.is_object())
            fail(p, at, "must be an object");
        core::SpanLink link;
        try {
            readId(l, "trace_id", link.trace_id, true, p);
            readId(l, "span_id", link.span_id, true, p);
            readString(l, "trace_state", link.trace_state, p);
        } catch (const Fail &) {
            p.field.insert(0, at + '.');
            throw;
        }
        if (!toAttributes(member(l, "attributes"), link.attributes))
            fail(p, at + ".attributes", "must be an object");
        links.push_back(std::move(link));
    }
}

void decodeSpan(const json &v, const TraceDefaults &trace, core::Span &span, Problem &p)
{
    if (!v.is_object())
        fail(p, {}, "must be an object");
    if (member(v, "trace_id"))
        readId(v, "trace_id", span.trace_id, true, p);
    else if (trace.hasTraceId)
        span.trace_id = trace.trace_id;
    else
        fail(p, "trace_id", "missing (and no trace.trace_id to default to)");
    readId(v, "span_id", span.span_id, true, p);
    readId(v, "parent_span_id", span.parent_span_id, false, p);

    readString(v, "name", span.name, p);
    if (span.name.empty())
        fail(p, "name", "must not be empty");

    if (const json *kind = member(v, "kind")) {
        const auto parsed
            = kind->is_string() ? core::spanKindFromString(kind->get_ref<const std::string &>()) : std::nullopt;
        if (!parsed)
            fail(p, "kind",
                "unknown kind " + (kind->is_string() ? jsonQuoted(kind->get<std::string>()) : dumpJson(*kind))
                    + " (expected one of " + std::string(kKindNames) + ")");
        span.kind = *parsed;
    }

    std::string startField, endField;
    const auto start = readTime(v, "start_time", {}, startField, p);
    if (!start)
        fail(p, "start_time", "missing (start_time or start_time_unix_nano)");
    const auto end = readTime(v, "end_time", {}, endField, p);
    if (!end)
        fail(p, "end_time", "missing (end_time or end_time_unix_nano)");
    if (*end < *start)
        fail(p, endField, "before " + startField);
    span.start_ns = *start;
    span.end_ns = *end;

    if (const json *status = member(v, "status")) {
        const std::string text = status->is_string() ? status->get<std::string>() : std::string();
        if (text == "unset")
            span.status = core::StatusCode::Unset;
        else if (text == "ok")
            span.status = core::StatusCode::Ok;
        else if (text == "error")
            span.status = core::StatusCode::Error;
        else
            fail(p, "status",
                "unknown status " + (status->is_string() ? jsonQuoted(text) : dumpJson(*status))
                    + " (expected one of unset, ok, error)");
    }
    readString(v, "status_message", span.status_message, p);

    std::string model;
    readString(v, "model", model, p);
    readString(v, "request_model", span.request_model, p);
    readString(v, "response_model", span.response_model, p);
    // "model" is the short form for producers that only know one model name.
    if (span.request_model.empty())
        span.request_model = model;
    if (span.response_model.empty())
        span.response_model = model;
    readString(v, "provider", span.provider, p);
    readString(v, "agent_name", span.agent_name, p);
    readString(v, "tool_name", span.tool_name, p);
    readPayload(v, "input", span.input);
    readPayload(v, "output", span.output);
    readTokens(v, span.tokens, p);

    span.service_name = trace.service_name;
    span.session_id = trace.session_id;
    span.user_id = trace.user_id;
    readString(v, "service_name", span.service_name, p);
    readString(v, "session_id", span.session_id, p);
    readString(v, "user_id", span.user_id, p);
    if (span.service_name.empty())
        span.service_name = "unknown_service";

    if (!toAttributes(member(v, "attributes"), span.attributes))
        fail(p, "attributes", "must be an object of key -> value");
    readEvents(v, span.events, p);
    readLinks(v, span.links, p);
    span.resource = trace.resource;
}

bool fatalError(DecodeError &fatal, std::string path, std::string message)
{
    fatal = DecodeError { std::move(path), std::move(message) };
    return false;
}

bool decodeTrace(const json &doc, TraceDefaults &trace, DecodeError &fatal)
{
    const json *t = member(doc, "trace");
    if (!t)
        return true;
    if (!t->is_object())
        return fatalError(fatal, "trace", "must be an object");
    if (const json *id = member(*t, "trace_id")) {
        if (!id->is_string() || !core::fromHex(id->get_ref<const std::string &>(), trace.trace_id))
            return fatalError(fatal, "trace.trace_id", "must be 32 hex digits");
        if (core::isZero(trace.trace_id))
            return fatalError(fatal, "trace.trace_id", "must not be all zero");
        trace.hasTraceId = true;
    }
    Problem p;
    if (!optionalString(*t, "service_name", trace.service_name, p, "trace.")
        || !optionalString(*t, "session_id", trace.session_id, p, "trace.")
        || !optionalString(*t, "user_id", trace.user_id, p, "trace."))
        return fatalError(fatal, p.field, p.message);
    if (!toAttributes(member(*t, "resource"), trace.resource))
        return fatalError(fatal, "trace.resource", "must be an object of key -> value");
    // The resource names the service where the trace object does not, as OTLP resources do.
    if (trace.service_name.empty())
        if (const auto *name = core::findAttribute(trace.resource, "service.name"))
            trace.service_name = name->asText();
    return true;
}

bool decode(std::string_view body, DecodeResult &result, DecodeError &fatal)
{
    if (detail::isBlank(body))
        return fatalError(fatal, {}, "empty body (expected a JSON object with \"spans\")");
    if (core::jsonNestingExceeds(body, detail::kMaxJsonDepth))
        return fatalError(fatal, {}, "JSON nested deeper than " + std::to_string(detail::kMaxJsonDepth) + " levels");
    json doc;
    try {
        doc = json::parse(body);
    } catch (const json::parse_error &e) {
        return fatalError(fatal, {}, "body is not valid JSON: " + detail::stripJsonExceptionPrefix(e.what()));
    }
    if (!doc.is_object())
        return fatalError(fatal, {}, "body must be a JSON object");
    TraceDefaults trace;
    if (!decodeTrace(doc, trace, fatal))
        return false;
    const json *spans = member(doc, "spans");
    if (!spans)
        return fatalError(fatal, "spans", "missing");
    if (!spans->is_array())
        return fatalError(fatal, "spans", "must be an array");

    result.spans.reserve(spans->size());
    for (std::size_t i = 0; i < spans->size(); ++i) {
        core::Span span;
        Problem p;
        try {
            decodeSpan((*spans)[i], trace, span, p);
        } catch (const Fail &) {
            ++result.rejected;
            if (result.errors.size() < kMaxReportedErrors)
                result.errors.push_back(
                    DecodeError { indexed("spans", i) + (p.field.empty() ? "" : ".") + p.field, std::move(p.message) });
            continue;
        }
        if (result.redactor)
            result.redactor->redact(span, result.redactions);
        core::normalizeSpan(span);
        result.spans.push_back(std::move(span));
    }
    return true;
}

} // namespace

bool decodeNativeBatch(std::string_view body, DecodeResult &result, DecodeError &fatal)
{
    return detail::guardedDecode(result, fatal, [&] { return decode(body, result, fatal); });
}

} // namespace agentops::ingest
