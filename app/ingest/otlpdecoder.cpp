// SPDX-License-Identifier: MIT
#include "ingest/decode.h"
#include "ingest/redaction.h"

#include "core/normalizer.h"
#include "core/spanjson.h"
#include "ingest/decodeutil.h"
#include "ingest/otlpjsonparts.h"
#include "ingest/otlpwire.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/stubs/logging.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>

namespace agentops::ingest {

namespace {

namespace pbcommon = opentelemetry::proto::common::v1;
namespace pbresource = opentelemetry::proto::resource::v1;
namespace pbtrace = opentelemetry::proto::trace::v1;
namespace pbcollector = opentelemetry::proto::collector::trace::v1;
using detail::kMaxValueDepth;
using nlohmann::json;

/// A problem found below some point of the request; callers prepend their part of the path as the
/// problem travels up, so the path is only ever built for requests that have problems.
struct Problem
{
    std::string path;
    std::string message;
    Problem &under(std::string_view prefix)
    {
        path.insert(0, prefix);
        return *this;
    }
};

std::string indexed(std::string_view name, std::size_t i)
{
    std::string out(name);
    out += '[';
    out += std::to_string(i);
    out += ']';
    return out;
}

std::string spanPath(std::size_t r, std::size_t s, std::size_t i)
{
    return indexed("resourceSpans", r) + indexed(".scopeSpans", s) + indexed(".spans", i);
}

std::string tooDeep()
{
    return "nesting deeper than " + std::to_string(kMaxValueDepth) + " levels";
}

void reject(DecodeResult &result, std::string path, std::string message)
{
    ++result.rejected;
    if (result.errors.size() < kMaxReportedErrors)
        result.errors.push_back(DecodeError { std::move(path), std::move(message) });
}

// --- protobuf messages -> core::Span (shared by both encodings) -----------------------------------

// Templates over the message types: the generated classes (JSON, filled from the document) and
// wire:: views (protobuf, read from the body) answer the same accessors.

template<typename AnyValue>
bool appendValueJson(const AnyValue &v, std::string &out, int depth, Problem &p);

template<typename AnyValue>
bool appendContainerJson(const AnyValue &v, std::string &out, int depth, Problem &p)
{
    if (depth > kMaxValueDepth) {
        p = Problem { {}, tooDeep() };
        return false;
    }
    if (v.value_case() == pbcommon::AnyValue::kArrayValue) {
        out.push_back('[');
        const auto &values = v.array_value().values();
        for (int i = 0; i < values.size(); ++i) {
            if (i)
                out.push_back(',');
            if (!appendValueJson(values.Get(i), out, depth + 1, p)) {
                p.under(indexed(".arrayValue.values", std::size_t(i)));
                return false;
            }
        }
        out.push_back(']');
        return true;
    }
    out.push_back('{');
    const auto &values = v.kvlist_value().values();
    for (int i = 0; i < values.size(); ++i) {
        if (i)
            out.push_back(',');
        core::appendJsonString(out, values.Get(i).key());
        out.push_back(':');
        if (!appendValueJson(values.Get(i).value(), out, depth + 1, p)) {
            p.under(indexed(".kvlistValue.values", std::size_t(i)) + ".value");
            return false;
        }
    }
    out.push_back('}');
    return true;
}

template<typename AnyValue>
bool appendValueJson(const AnyValue &v, std::string &out, int depth, Problem &p)
{
    switch (v.value_case()) {
    case pbcommon::AnyValue::kStringValue: core::appendJsonString(out, v.string_value()); return true;
    case pbcommon::AnyValue::kBoolValue: out += v.bool_value() ? "true" : "false"; return true;
    case pbcommon::AnyValue::kIntValue: out += std::to_string(v.int_value()); return true;
    case pbcommon::AnyValue::kDoubleValue: detail::appendJsonDouble(out, v.double_value()); return true;
    case pbcommon::AnyValue::kBytesValue:
        core::appendJsonString(out, detail::base64Encode(v.bytes_value()));
        return true;
    case pbcommon::AnyValue::kArrayValue:
    case pbcommon::AnyValue::kKvlistValue: return appendContainerJson(v, out, depth, p);
    case pbcommon::AnyValue::VALUE_NOT_SET: break;
    }
    out += "null";
    return true;
}

/// Sets out member by member, so that a reused value keeps its string's storage.
template<typename AnyValue>
bool convertValue(const AnyValue &v, core::AttrValue &out, Problem &p)
{
    using Type = core::AttrValue::Type;
    out.b = false;
    out.i = 0;
    out.d = 0;
    out.s.clear();
    switch (v.value_case()) {
    case pbcommon::AnyValue::kStringValue: {
        const std::string_view text = v.string_value();
        out.type = Type::String;
        out.s.assign(text.data(), text.size());
        return true;
    }
    case pbcommon::AnyValue::kBoolValue:
        out.type = Type::Bool;
        out.b = v.bool_value();
        return true;
    case pbcommon::AnyValue::kIntValue:
        out.type = Type::Int;
        out.i = v.int_value();
        return true;
    case pbcommon::AnyValue::kDoubleValue:
        out.type = Type::Double;
        out.d = v.double_value();
        return true;
    case pbcommon::AnyValue::kBytesValue:
        out.type = Type::Bytes;
        out.s = detail::base64Encode(v.bytes_value());
        return true;
    case pbcommon::AnyValue::kArrayValue:
    case pbcommon::AnyValue::kKvlistValue: {
        out.type = Type::Json;
        if (!appendContainerJson(v, out.s, 1, p))
            return false;
        return true;
    }
    case pbcommon::AnyValue::VALUE_NOT_SET: break;
    }
    out.type = Type::Empty; // the other members were reset above
    return true;
}

/// Makes out the list of kvs. Elements already in out (a reused span's) are overwritten in place, so
/// their strings keep their storage; the surplus is dropped.
template<typename KeyValues>
bool convertAttributes(const KeyValues &kvs, core::Attributes &out, std::string_view field, Problem &p)
{
    const auto n = std::size_t(kvs.size());
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto &kv = kvs.Get(int(i));
        core::Attribute &attr = i < out.size() ? out[i] : out.emplace_back();
        const std::string_view key = kv.key();
        attr.key.assign(key.data(), key.size());
        if (!convertValue(kv.value(), attr.value, p)) {
            p.under(indexed(field, i) + ".value");
            return false;
        }
    }
    out.erase(out.begin() + std::ptrdiff_t(n), out.end());
    return true;
}

/// What every span of one ResourceSpans/ScopeSpans shares.
struct SpanContext
{
    core::Attributes resource;
    std::string service_name;
    std::string scope_name;
    std::string scope_version;
};

template<typename Resource>
bool convertResource(const Resource &resource, SpanContext &ctx, Problem &p)
{
    if (!convertAttributes(resource.attributes(), ctx.resource, "resource.attributes", p))
        return false;
    const core::AttrValue *name = core::findAttribute(ctx.resource, "service.name");
    ctx.service_name = name ? name->asText() : std::string();
    if (ctx.service_name.empty())
        ctx.service_name = "unknown_service";
    return true;
}

template<std::size_t N>
bool copyId(std::string_view bytes, std::array<std::uint8_t, N> &out)
{
    if (bytes.size() != N)
        return false;
    std::memcpy(out.data(), bytes.data(), N);
    return true;
}

constexpr std::uint64_t kMaxTime = std::uint64_t(std::numeric_limits<std::int64_t>::max());

template<typename SpanT>
bool convertSpan(const SpanT &in, const SpanContext &ctx, core::Span &out, Problem &p)
{
    if (!copyId(in.trace_id(), out.trace_id)) {
        p = Problem { "traceId", "must be 16 bytes" };
        return false;
    }
    if (core::isZero(out.trace_id)) {
        p = Problem { "traceId", "must not be all zero" };
        return false;
    }
    if (!copyId(in.span_id(), out.span_id)) {
        p = Problem { "spanId", "must be 8 bytes" };
        return false;
    }
    if (core::isZero(out.span_id)) {
        p = Problem { "spanId", "must not be all zero" };
        return false;
    }
    if (!in.parent_span_id().empty() && !copyId(in.parent_span_id(), out.parent_span_id)) {
        p = Problem { "parentSpanId", "must be 8 bytes or empty" };
        return false;
    }
    if (in.name().empty()) {
        p = Problem { "name", "must not be empty" };
        return false;
    }
    if (in.start_time_unix_nano() == 0) {
        p = Problem { "startTimeUnixNano", "must not be zero" };
        return false;
    }
    if (in.start_time_unix_nano() > kMaxTime) {
        p = Problem { "startTimeUnixNano", "out of range" };
        return false;
    }
    if (in.end_time_unix_nano() > kMaxTime) {
        p = Problem { "endTimeUnixNano", "out of range" };
        return false;
    }
    if (in.end_time_unix_nano() < in.start_time_unix_nano()) {
        p = Problem { "endTimeUnixNano", "must not be before startTimeUnixNano" };
        return false;
    }
    out.name = in.name();
    out.trace_state = in.trace_state();
    // Enums are open in proto3: a kind or code from a newer protocol version reads as "unspecified".
    const int kind = in.kind();
    out.otel_kind = kind >= 0 && kind <= 5 ? std::uint8_t(kind) : 0;
    out.start_ns = std::int64_t(in.start_time_unix_nano());
    out.end_ns = std::int64_t(in.end_time_unix_nano());
    switch (in.status().code()) {
    case pbtrace::Status::STATUS_CODE_OK: out.status = core::StatusCode::Ok; break;
    case pbtrace::Status::STATUS_CODE_ERROR: out.status = core::StatusCode::Error; break;
    default: out.status = core::StatusCode::Unset; break;
    }
    out.status_message = in.status().message();
    out.service_name = ctx.service_name;
    out.scope_name = ctx.scope_name;
    out.scope_version = ctx.scope_version;
    if (!convertAttributes(in.attributes(), out.attributes, "attributes", p))
        return false;

    out.events.reserve(std::size_t(in.events_size()));
    for (int i = 0; i < in.events_size(); ++i) {
        const auto &e = in.events(i);
        core::SpanEvent event;
        event.time_ns = e.time_unix_nano() > kMaxTime ? std::numeric_limits<std::int64_t>::max()
                                                      : std::int64_t(e.time_unix_nano());
        event.name = e.name();
        if (!convertAttributes(e.attributes(), event.attributes, "attributes", p)) {
            p.under(indexed("events", std::size_t(i)) + '.');
            return false;
        }
        out.events.push_back(std::move(event));
    }

    out.links.reserve(std::size_t(in.links_size()));
    for (int i = 0; i < in.links_size(); ++i) {
        const auto &l = in.links(i);
        core::SpanLink link;
        if (!copyId(l.trace_id(), link.trace_id)) {
            p = Problem { indexed("links", std::size_t(i)) + ".traceId", "must be 16 bytes" };
            return false;
        }
        if (!copyId(l.span_id(), link.span_id)) {
            p = Problem { indexed("links", std::size_t(i)) + ".spanId", "must be 8 bytes" };
            return false;
        }
        link.trace_state = l.trace_state();
        if (!convertAttributes(l.attributes(), link.attributes, "attributes", p)) {
            p.under(indexed("links", std::size_t(i)) + '.');
            return false;
        }
        out.links.push_back(std::move(link));
    }

    out.resource = ctx.resource;
    out.dropped_attributes = in.dropped_attributes_count();
    out.dropped_events = in.dropped_events_count();
    out.dropped_links = in.dropped_links_count();
    return true;
}

template<typename SpanT>
void acceptSpan(
    const SpanT &in, const SpanContext &ctx, std::size_t r, std::size_t s, std::size_t i, DecodeResult &result)
{
    core::Span &span = result.addSpan();
    Problem p;
    if (!convertSpan(in, ctx, span, p)) {
        result.dropLastSpan();
        reject(result, spanPath(r, s, i) + '.' + p.path, std::move(p.message));
        return;
    }
    if (result.redactor)
        result.redactor->redact(span, result.redactions);
    core::normalizeSpan(span);
}

/// flush (may be empty) takes the spans whenever `batch` of them are decoded; false from it stops.
bool decodeProtobuf(std::string_view body, DecodeResult &result, DecodeError &fatal, std::size_t batch = 0,
    const DecodeFlush &flush = {})
{
    // Nothing of a refused request is kept, as with the generated parser, which read it all first.
    auto refuse = [&](DecodeError why) {
        result.clear();
        fatal = std::move(why);
        return false;
    };
    auto invalid = [&] {
        return refuse(DecodeError { {}, "body is not a valid OTLP ExportTraceServiceRequest (protobuf)" });
    };
    std::vector<wire::ResourceSpans> request;
    if (!wire::parseRequest(body, request))
        return invalid();
    std::size_t total = 0;
    for (const auto &rs : request)
        for (const auto &ss : rs.scope_spans)
            total += ss.spans.size();
    result.spans.reserve(flush ? std::min(total, batch) : total);

    wire::Span span; // reused: its vectors keep their storage from span to span
    for (std::size_t r = 0; r < request.size(); ++r) {
        const auto &rs = request[r];
        SpanContext ctx;
        Problem p;
        if (!convertResource(rs.resource(), ctx, p)) {
            // A body that is not a valid message at all says so first, as the generated parser did.
            for (const auto &other : request)
                for (const auto &ss : other.scope_spans)
                    for (const auto bytes : ss.spans)
                        if (!wire::parseSpan(bytes, span))
                            return invalid();
            return refuse(DecodeError { indexed("resourceSpans", r) + '.' + p.path, std::move(p.message) });
        }
        for (std::size_t s = 0; s < rs.scope_spans.size(); ++s) {
            const auto &ss = rs.scope_spans[s];
            ctx.scope_name = ss.scope().name();
            ctx.scope_version = ss.scope().version();
            for (std::size_t i = 0; i < ss.spans.size(); ++i) {
                if (!wire::parseSpan(ss.spans[i], span))
                    return invalid();
                acceptSpan(span, ctx, r, s, i, result);
                if (flush && result.spans.size() + result.rejected >= batch
                    && !flush(result, std::size_t(ss.spans[i].data() + ss.spans[i].size() - body.data())))
                    return true;
            }
        }
    }
    if (flush)
        flush(result, body.size());
    return true;
}

// --- OTLP/JSON -> protobuf messages ------------------------------------------------------------------
// The JSON encoding is read into the same generated messages the protobuf encoding produces, span by
// span, so both go through one conversion and cannot drift apart. Only what JSON adds (hex ids, names
// for enums, 64-bit integers as strings, base64 bytes, camelCase or snake_case keys) is handled here.

/// The member under its lowerCamelCase name or, failing that, its original proto name; null counts
/// as absent, as in the protobuf JSON mapping.
const json *member(const json &obj, std::string_view camel, std::string_view snake = {})
{
    auto it = obj.find(camel);
    if (it != obj.end() && !it->is_null())
        return &*it;
    if (!snake.empty()) {
        it = obj.find(snake);
        if (it != obj.end() && !it->is_null())
            return &*it;
    }
    return nullptr;
}

bool jsonString(const json *v, std::string_view name, std::string *out, Problem &p)
{
    if (!v)
        return true;
    if (!v->is_string()) {
        p = Problem { std::string(name), "must be a string" };
        return false;
    }
    *out = v->get_ref<const std::string &>();
    return true;
}

std::optional<std::uint64_t> jsonUint64(const json &v)
{
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    if (v.is_number_integer()) {
        const auto i = v.get<std::int64_t>();
        return i >= 0 ? std::optional<std::uint64_t>(std::uint64_t(i)) : std::nullopt;
    }
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d >= 0 && d < 18446744073709551616.0 && d == double(std::uint64_t(d)))
            return std::uint64_t(d);
        return std::nullopt;
    }
    if (v.is_string())
        return detail::parseUint64(v.get_ref<const std::string &>());
    return std::nullopt;
}

std::optional<std::int64_t> jsonInt64(const json &v)
{
    if (v.is_number_integer() && !v.is_number_unsigned())
        return v.get<std::int64_t>();
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        return u <= kMaxTime ? std::optional<std::int64_t>(std::int64_t(u)) : std::nullopt;
    }
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

bool jsonFixed64(const json *v, std::string_view name, std::uint64_t &out, Problem &p)
{
    if (!v)
        return true;
    const auto value = jsonUint64(*v);
    if (!value) {
        p = Problem { std::string(name), "must be an unsigned 64-bit integer (number or decimal string)" };
        return false;
    }
    out = *value;
    return true;
}

bool jsonUint32(const json *v, std::string_view name, std::uint32_t &out, Problem &p)
{
    if (!v)
        return true;
    const auto value = jsonUint64(*v);
    if (!value || *value > std::numeric_limits<std::uint32_t>::max()) {
        p = Problem { std::string(name), "must be an unsigned 32-bit integer" };
        return false;
    }
    out = std::uint32_t(*value);
    return true;
}

/// Hex id of exactly N bytes into bytes; an empty string where allowEmpty.
bool jsonHexId(const json *v, std::string_view name, std::size_t n, bool allowEmpty, std::string *out, Problem &p)
{
    const std::string &text = v && v->is_string() ? v->get_ref<const std::string &>() : std::string();
    if (v && !v->is_string()) {
        p = Problem { std::string(name), "must be a string of " + std::to_string(2 * n) + " hex digits" };
        return false;
    }
    if (text.empty() && allowEmpty) {
        out->clear();
        return true;
    }
    std::array<std::uint8_t, 16> buf {};
    if (!core::fromHex(text, buf.data(), n)) {
        p = Problem { std::string(name),
            "must be " + std::to_string(2 * n) + " hex digits" + (allowEmpty ? " or empty" : "") };
        return false;
    }
    out->assign(reinterpret_cast<const char *>(buf.data()), n);
    return true;
}

/// An enum given as its number or as its name (the full name or the name without the prefix).
template<typename Fn>
bool jsonEnum(const json *v, std::string_view name, std::string_view what, Fn fromName, int &out, Problem &p)
{
    if (!v)
        return true;
    if (v->is_string()) {
        const auto &text = v->get_ref<const std::string &>();
        const std::optional<int> value = fromName(text);
        if (!value) {
            p = Problem { std::string(name), "unknown " + std::string(what) + " \"" + text + '"' };
            return false;
        }
        out = *value;
        return true;
    }
    const auto number = jsonInt64(*v);
    if (!number || *number < std::numeric_limits<int>::min() || *number > std::numeric_limits<int>::max()) {
        p = Problem { std::string(name), "must be an enum name or number" };
        return false;
    }
    out = int(*number);
    return true;
}

std::optional<int> spanKindFromName(std::string_view text)
{
    static constexpr std::string_view names[] = { "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
        "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER" };
    for (int i = 0; i < 6; ++i)
        if (text == names[i])
            return i;
    return std::nullopt;
}

std::optional<int> statusCodeFromName(std::string_view text)
{
    static constexpr std::string_view names[] = { "STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR" };
    for (int i = 0; i < 3; ++i)
        if (text == names[i])
            return i;
    return std::nullopt;
}

bool jsonObject(const json &v, std::string_view name, Problem &p)
{
    if (v.is_object())
        return true;
    p = Problem { std::string(name), "must be an object" };
    return false;
}

bool jsonArray(const json &v, std::string_view name, Problem &p)
{
    if (v.is_array())
        return true;
    p = Problem { std::string(name), "must be an array" };
    return false;
}

bool jsonKeyValues(const json *v, std::string_view name, google::protobuf::RepeatedPtrField<pbcommon::KeyValue> *out,
    int depth, Problem &p);

bool jsonAnyValue(const json &v, pbcommon::AnyValue *out, int depth, Problem &p)
{
    if (v.is_null())
        return true;
    if (!jsonObject(v, {}, p))
        return false;
    if (const json *x = member(v, "stringValue", "string_value"))
        return jsonString(x, ".stringValue", out->mutable_string_value(), p);
    if (const json *x = member(v, "boolValue", "bool_value")) {
        if (!x->is_boolean()) {
            p = Problem { ".boolValue", "must be true or false" };
            return false;
        }
        out->set_bool_value(x->get<bool>());
        return true;
    }
    if (const json *x = member(v, "intValue", "int_value")) {
        const auto i = jsonInt64(*x);
        if (!i) {
            p = Problem { ".intValue", "must be a 64-bit integer (number or decimal string)" };
            return false;
        }
        out->set_int_value(*i);
        return true;
    }
    if (const json *x = member(v, "doubleValue", "double_value")) {
        if (x->is_number()) {
            out->set_double_value(x->get<double>());
            return true;
        }
        if (x->is_string()) {
            const auto &text = x->get_ref<const std::string &>();
            if (text == "NaN") {
                out->set_double_value(std::numeric_limits<double>::quiet_NaN());
                return true;
            }
            if (text == "Infinity" || text == "-Infinity") {
                const double inf = std::numeric_limits<double>::infinity();
                out->set_double_value(text[0] == '-' ? -inf : inf);
                return true;
            }
            const auto parsed = json::parse(text, nullptr, false);
            if (parsed.is_number()) {
                out->set_double_value(parsed.get<double>());
                return true;
            }
        }
        p = Problem { ".doubleValue", "must be a number" };
        return false;
    }
    if (const json *x = member(v, "bytesValue", "bytes_value")) {
        if (!x->is_string() || !detail::base64Decode(x->get_ref<const std::string &>(), *out->mutable_bytes_value())) {
            p = Problem { ".bytesValue", "must be a base64 string" };
            return false;
        }
        return true;
    }
    const bool isArray = member(v, "arrayValue", "array_value") != nullptr;
    const json *x = isArray ? member(v, "arrayValue", "array_value") : member(v, "kvlistValue", "kvlist_value");
    if (!x)
        return true; // an empty AnyValue is allowed
    const std::string_view name = isArray ? ".arrayValue" : ".kvlistValue";
    if (depth > kMaxValueDepth) {
        p = Problem { {}, tooDeep() };
        return false;
    }
    if (!jsonObject(*x, name, p))
        return false;
    if (isArray) {
        auto *array = out->mutable_array_value();
        const json *values = member(*x, "values");
        if (!values)
            return true;
        if (!jsonArray(*values, ".values", p))
            return p.under(name), false;
        for (std::size_t i = 0; i < values->size(); ++i) {
            if (!jsonAnyValue((*values)[i], array->add_values(), depth + 1, p)) {
                p.under(indexed(".arrayValue.values", i));
                return false;
            }
        }
        return true;
    }
    if (!jsonKeyValues(member(*x, "values"), "values", out->mutable_kvlist_value()->mutable_values(), depth + 1, p)) {
        p.under(".kvlistValue.");
        return false;
    }
    return true;
}

bool jsonKeyValues(const json *v, std::string_view name, google::protobuf::RepeatedPtrField<pbcommon::KeyValue> *out,
    int depth, Problem &p)
{
    if (!v)
        return true;
    if (!jsonArray(*v, name, p))
        return false;
    out->Reserve(int(v->size()));
    for (std::size_t i = 0; i < v->size(); ++i) {
        const json &item = (*v)[i];
        const std::string at = indexed(name, i);
        if (!jsonObject(item, at, p))
            return false;
        auto *kv = out->Add();
        if (!jsonString(member(item, "key"), "key", kv->mutable_key(), p))
            return p.under(at + '.'), false;
        if (const json *value = member(item, "value")) {
            if (!jsonAnyValue(*value, kv->mutable_value(), depth, p)) {
                p.under(at + ".value");
                return false;
            }
        }
    }
    return true;
}

bool jsonSpan(const json &v, pbtrace::Span *out, Problem &p)
{
    if (!jsonObject(v, {}, p))
        return false;
    if (!jsonHexId(member(v, "traceId", "trace_id"), "traceId", 16, false, out->mutable_trace_id(), p)
        || !jsonHexId(member(v, "spanId", "span_id"), "spanId", 8, false, out->mutable_span_id(), p)
        || !jsonHexId(
            member(v, "parentSpanId", "parent_span_id"), "parentSpanId", 8, true, out->mutable_parent_span_id(), p)
        || !jsonString(member(v, "traceState", "trace_state"), "traceState", out->mutable_trace_state(), p)
        || !jsonString(member(v, "name"), "name", out->mutable_name(), p))
        return false;
    std::uint32_t flags = 0;
    if (!jsonUint32(member(v, "flags"), "flags", flags, p))
        return false;
    out->set_flags(flags);
    int kind = 0;
    if (!jsonEnum(member(v, "kind"), "kind", "span kind", spanKindFromName, kind, p))
        return false;
    out->set_kind(static_cast<pbtrace::Span::SpanKind>(kind));
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    if (!jsonFixed64(member(v, "startTimeUnixNano", "start_time_unix_nano"), "startTimeUnixNano", start, p)
        || !jsonFixed64(member(v, "endTimeUnixNano", "end_time_unix_nano"), "endTimeUnixNano", end, p))
        return false;
    out->set_start_time_unix_nano(start);
    out->set_end_time_unix_nano(end);
    if (!jsonKeyValues(member(v, "attributes"), "attributes", out->mutable_attributes(), 1, p))
        return false;
    std::uint32_t count = 0;
    if (!jsonUint32(
            member(v, "droppedAttributesCount", "dropped_attributes_count"), "droppedAttributesCount", count, p))
        return false;
    out->set_dropped_attributes_count(count);

    if (const json *events = member(v, "events")) {
        if (!jsonArray(*events, "events", p))
            return false;
        for (std::size_t i = 0; i < events->size(); ++i) {
            const json &e = (*events)[i];
            const std::string at = indexed("events", i);
            if (!jsonObject(e, at, p))
                return false;
            auto *event = out->add_events();
            std::uint64_t time = 0;
            std::uint32_t dropped = 0;
            if (!jsonFixed64(member(e, "timeUnixNano", "time_unix_nano"), "timeUnixNano", time, p)
                || !jsonString(member(e, "name"), "name", event->mutable_name(), p)
                || !jsonKeyValues(member(e, "attributes"), "attributes", event->mutable_attributes(), 1, p)
                || !jsonUint32(member(e, "droppedAttributesCount", "dropped_attributes_count"),
                    "droppedAttributesCount", dropped, p))
                return p.under(at + '.'), false;
            event->set_time_unix_nano(time);
            event->set_dropped_attributes_count(dropped);
        }
    }
    count = 0;
    if (!jsonUint32(member(v, "droppedEventsCount", "dropped_events_count"), "droppedEventsCount", count, p))
        return false;
    out->set_dropped_events_count(count);

    if (const json *links = member(v, "links")) {
        if (!jsonArray(*links, "links", p))
            return false;
        for (std::size_t i = 0; i < links->size(); ++i) {
            const json &l = (*links)[i];
            const std::string at = indexed("links", i);
            if (!jsonObject(l, at, p))
                return false;
            auto *link = out->add_links();
            std::uint32_t dropped = 0;
            std::uint32_t linkFlags = 0;
            if (!jsonHexId(member(l, "traceId", "trace_id"), "traceId", 16, false, link->mutable_trace_id(), p)
                || !jsonHexId(member(l, "spanId", "span_id"), "spanId", 8, false, link->mutable_span_id(), p)
                || !jsonString(member(l, "traceState", "trace_state"), "traceState", link->mutable_trace_state(), p)
                || !jsonKeyValues(member(l, "attributes"), "attributes", link->mutable_attributes(), 1, p)
                || !jsonUint32(member(l, "droppedAttributesCount", "dropped_attributes_count"),
                    "droppedAttributesCount", dropped, p)
                || !jsonUint32(member(l, "flags"), "flags", linkFlags, p))
                return p.under(at + '.'), false;
            link->set_dropped_attributes_count(dropped);
            link->set_flags(linkFlags);
        }
    }
    count = 0;
    if (!jsonUint32(member(v, "droppedLinksCount", "dropped_links_count"), "droppedLinksCount", count, p))
        return false;
    out->set_dropped_links_count(count);

    if (const json *status = member(v, "status")) {
        if (!jsonObject(*status, "status", p))
            return false;
        int code = 0;
        if (!jsonString(member(*status, "message"), "message", out->mutable_status()->mutable_message(), p)
            || !jsonEnum(member(*status, "code"), "code", "status code", statusCodeFromName, code, p))
            return p.under("status."), false;
        out->mutable_status()->set_code(static_cast<pbtrace::Status::StatusCode>(code));
    }
    return true;
}

bool fatalAt(DecodeError &fatal, std::string prefix, Problem &&p)
{
    if (!p.path.empty() && p.path.front() != '.' && !prefix.empty())
        prefix += '.';
    fatal = DecodeError { prefix + p.path, std::move(p.message) };
    return false;
}

bool fatalType(DecodeError &fatal, std::string path, std::string_view what)
{
    fatal = DecodeError { std::move(path), "must be " + std::string(what) };
    return false;
}

// One reservation up front: growing the vector scope by scope would copy every span again each time.
std::size_t countJsonSpans(const json &resourceSpans)
{
    std::size_t total = 0;
    for (const json &rs : resourceSpans) {
        const json *scopeSpans = rs.is_object() ? member(rs, "scopeSpans", "scope_spans") : nullptr;
        if (!scopeSpans || !scopeSpans->is_array())
            continue;
        for (const json &ss : *scopeSpans) {
            const json *spans = ss.is_object() ? member(ss, "spans") : nullptr;
            if (spans && spans->is_array())
                total += spans->size();
        }
    }
    return total;
}

bool decodeJson(std::string_view body, DecodeResult &result, DecodeError &fatal)
{
    if (detail::isBlank(body))
        return true;
    if (core::jsonNestingExceeds(body, detail::kMaxJsonDepth)) {
        fatal = DecodeError { {}, "JSON nested deeper than " + std::to_string(detail::kMaxJsonDepth) + " levels" };
        return false;
    }
    json doc;
    try {
        doc = json::parse(body);
    } catch (const json::parse_error &e) {
        fatal = DecodeError { {}, "body is not valid JSON: " + detail::stripJsonExceptionPrefix(e.what()) };
        return false;
    }
    if (!doc.is_object()) {
        fatal = DecodeError { {}, "body must be a JSON object (ExportTraceServiceRequest)" };
        return false;
    }
    const json *resourceSpans = member(doc, "resourceSpans", "resource_spans");
    if (!resourceSpans)
        return true;
    if (!resourceSpans->is_array())
        return fatalType(fatal, "resourceSpans", "an array");

    result.spans.reserve(countJsonSpans(*resourceSpans));

    OtlpJsonParts parts;
    for (std::size_t r = 0; r < resourceSpans->size(); ++r) {
        const json &rs = (*resourceSpans)[r];
        const std::string rsPath = indexed("resourceSpans", r);
        if (!rs.is_object())
            return fatalType(fatal, rsPath, "an object");
        if (!parts.resource(r, member(rs, "resource"), fatal))
            return false;
        const json *scopeSpans = member(rs, "scopeSpans", "scope_spans");
        if (!scopeSpans)
            continue;
        if (!scopeSpans->is_array())
            return fatalType(fatal, rsPath + ".scopeSpans", "an array");
        for (std::size_t s = 0; s < scopeSpans->size(); ++s) {
            const json &ss = (*scopeSpans)[s];
            const std::string ssPath = rsPath + indexed(".scopeSpans", s);
            if (!ss.is_object())
                return fatalType(fatal, ssPath, "an object");
            if (!parts.scope(r, s, member(ss, "scope"), fatal))
                return false;
            const json *spans = member(ss, "spans");
            if (!spans)
                continue;
            if (!spans->is_array())
                return fatalType(fatal, ssPath + ".spans", "an array");
            for (std::size_t i = 0; i < spans->size(); ++i)
                parts.span(r, s, i, (*spans)[i], result);
        }
    }
    return true;
}

} // namespace

struct OtlpJsonParts::State
{
    SpanContext ctx;
    pbresource::Resource resource; // reused: Clear() keeps its storage
    pbtrace::Span span;
};

OtlpJsonParts::OtlpJsonParts()
    : m(std::make_unique<State>())
{ }

OtlpJsonParts::~OtlpJsonParts() = default;

bool OtlpJsonParts::resource(std::size_t r, const json *resource, DecodeError &fatal)
{
    const std::string rsPath = indexed("resourceSpans", r);
    m->resource.Clear();
    m->ctx.scope_name.clear();
    m->ctx.scope_version.clear();
    Problem p;
    if (resource) {
        if (!resource->is_object())
            return fatalType(fatal, rsPath + ".resource", "an object");
        if (!jsonKeyValues(member(*resource, "attributes"), "attributes", m->resource.mutable_attributes(), 1, p))
            return fatalAt(fatal, rsPath + ".resource", std::move(p));
    }
    if (!convertResource(m->resource, m->ctx, p))
        return fatalAt(fatal, rsPath, std::move(p));
    return true;
}

bool OtlpJsonParts::scope(std::size_t r, std::size_t s, const json *scope, DecodeError &fatal)
{
    m->ctx.scope_name.clear();
    m->ctx.scope_version.clear();
    if (!scope)
        return true;
    const std::string ssPath = indexed("resourceSpans", r) + indexed(".scopeSpans", s);
    if (!scope->is_object())
        return fatalType(fatal, ssPath + ".scope", "an object");
    Problem p;
    if (!jsonString(member(*scope, "name"), "name", &m->ctx.scope_name, p)
        || !jsonString(member(*scope, "version"), "version", &m->ctx.scope_version, p))
        return fatalAt(fatal, ssPath + ".scope", std::move(p));
    return true;
}

void OtlpJsonParts::span(std::size_t r, std::size_t s, std::size_t i, const json &span, DecodeResult &result)
{
    m->span.Clear();
    Problem p;
    if (!jsonSpan(span, &m->span, p)) {
        std::string path = spanPath(r, s, i);
        if (!p.path.empty() && p.path.front() != '.')
            path += '.';
        reject(result, path + p.path, std::move(p.message));
        return;
    }
    acceptSpan(m->span, m->ctx, r, s, i, result);
}

bool decodeOtlpProtobufInBatches(
    std::string_view body, std::size_t batch, DecodeResult &result, DecodeError &fatal, const DecodeFlush &flush)
{
    return detail::guardedDecode(
        result, fatal, [&] { return decodeProtobuf(body, result, fatal, std::max<std::size_t>(batch, 1), flush); });
}

void silenceProtobufLogging()
{
    google::protobuf::SetLogHandler(nullptr);
}

bool decodeOtlpTraces(std::string_view body, OtlpEncoding encoding, DecodeResult &result, DecodeError &fatal)
{
    return detail::guardedDecode(result, fatal, [&] {
        return encoding == OtlpEncoding::Protobuf ? decodeProtobuf(body, result, fatal)
                                                  : decodeJson(body, result, fatal);
    });
}

} // namespace agentops::ingest
