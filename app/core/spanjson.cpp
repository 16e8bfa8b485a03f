// SPDX-License-Identifier: MIT
#include "core/spanjson.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <ctime>

namespace agentops::core {

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

bool attributesFromJson(std::string_view text, Attributes &out, std::string *error)
{
    out.clear();
    if (text.empty())
        return true;
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

bool eventsFromJson(std::string_view text, std::vector<SpanEvent> &out, std::string *error)
{
    out.clear();
    if (text.empty())
        return true;
    const ojson j = ojson::parse(text, nullptr, false);
    if (!j.is_array()) {
        if (error)
            *error = "events: must be a JSON array";
        return false;
    }
    for (const auto &e : j) {
        if (!e.is_object())
            continue;
        SpanEvent ev;
        ev.time_ns = nanosField(e, "time_unix_nano");
        ev.name = stringField(e, "name");
        attributesField(e, ev.attributes);
        out.push_back(std::move(ev));
    }
    return true;
}

bool linksFromJson(std::string_view text, std::vector<SpanLink> &out, std::string *error)
{
    out.clear();
    if (text.empty())
        return true;
    const ojson j = ojson::parse(text, nullptr, false);
    if (!j.is_array()) {
        if (error)
            *error = "links: must be a JSON array";
        return false;
    }
    for (const auto &l : j) {
        if (!l.is_object())
            continue;
        SpanLink link;
        fromHex(stringField(l, "trace_id"), link.trace_id);
        fromHex(stringField(l, "span_id"), link.span_id);
        link.trace_state = stringField(l, "trace_state");
        attributesField(l, link.attributes);
        out.push_back(std::move(link));
    }
    return true;
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
    appendKey(out, "depth");
    out += std::to_string(depth);
    appendKey(out, "orphan");
    out += orphan ? "true" : "false";
    out.push_back('}');
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
    appendKey(out, "cost_usd");
    appendCost(out, t.cost_usd);
    appendKey(out, "unpriced_spans");
    out += std::to_string(t.unpriced_spans);
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
        offset = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return false;
    }
    if (pos != s.size())
        return false;
    const std::int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset;
    if (secs > 9'000'000'000 || secs < -9'000'000'000)
        return false;
    ns = secs * 1000000000 + frac;
    return true;
}

} // namespace agentops::core
