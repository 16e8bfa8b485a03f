// SPDX-License-Identifier: MIT
#include "ingest/tracefile.h"

#include "core/spanjson.h"
#include "ingest/decode.h"
#include "ingest/decodeutil.h"
#include "ingest/otlpjsonparts.h"
#include "ingest/otlpjsonstream.h"
#include "ingest/redaction.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <utility>

#include <sys/mman.h>
#include <unistd.h>

namespace agentops::ingest {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr std::string_view kOverridePrefix = "agentops.export.";
constexpr std::size_t kMaxWarnings = 100;
constexpr std::uint64_t kProgressStep = std::uint64_t { 256 } * 1024;
/// Lines up to this size are decoded whole (a bad one is then left out whole); longer ones are streamed.
constexpr std::size_t kMaxWholeLine = 4u << 20;

// --- writing ------------------------------------------------------------------------------------------

void appendQuoted(std::string &out, std::string_view key, std::string_view value)
{
    core::appendJsonString(out, key);
    out.push_back(':');
    core::appendJsonString(out, value);
}

void appendJsonAnyValue(std::string &out, const ordered_json &j, int depth)
{
    // Deeper than any decoder accepts: keep the text rather than recurse without bound.
    if (depth > detail::kMaxValueDepth) {
        out += "{\"stringValue\":";
        core::appendJsonString(out, j.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
        out.push_back('}');
        return;
    }
    switch (j.type()) {
    case ordered_json::value_t::null:
    case ordered_json::value_t::discarded: out += "{}"; return;
    case ordered_json::value_t::boolean:
        out += j.get<bool>() ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
        return;
    case ordered_json::value_t::number_integer:
        out += "{\"intValue\":\"" + std::to_string(j.get<std::int64_t>()) + "\"}";
        return;
    case ordered_json::value_t::number_unsigned: {
        const auto u = j.get<std::uint64_t>();
        if (u <= std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
            out += "{\"intValue\":\"" + std::to_string(u) + "\"}";
        } else {
            out += "{\"doubleValue\":";
            detail::appendJsonDouble(out, double(u));
            out.push_back('}');
        }
        return;
    }
    case ordered_json::value_t::number_float:
        out += "{\"doubleValue\":";
        detail::appendJsonDouble(out, j.get<double>());
        out.push_back('}');
        return;
    case ordered_json::value_t::string:
        out += "{\"stringValue\":";
        core::appendJsonString(out, j.get_ref<const std::string &>());
        out.push_back('}');
        return;
    case ordered_json::value_t::binary: out += "{}"; return;
    case ordered_json::value_t::array: {
        out += "{\"arrayValue\":{\"values\":[";
        bool first = true;
        for (const auto &item : j) {
            if (!first)
                out.push_back(',');
            first = false;
            appendJsonAnyValue(out, item, depth + 1);
        }
        out += "]}}";
        return;
    }
    case ordered_json::value_t::object: {
        out += "{\"kvlistValue\":{\"values\":[";
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (!first)
                out.push_back(',');
            first = false;
            out += "{\"key\":";
            core::appendJsonString(out, it.key());
            out += ",\"value\":";
            appendJsonAnyValue(out, it.value(), depth + 1);
            out.push_back('}');
        }
        out += "]}}";
        return;
    }
    }
}

void appendAnyValue(std::string &out, const core::AttrValue &v)
{
    using T = core::AttrValue::Type;
    switch (v.type) {
    case T::Empty: out += "{}"; return;
    case T::String:
        out += "{\"stringValue\":";
        core::appendJsonString(out, v.s);
        out.push_back('}');
        return;
    case T::Bool: out += v.b ? "{\"boolValue\":true}" : "{\"boolValue\":false}"; return;
    case T::Int: out += "{\"intValue\":\"" + std::to_string(v.i) + "\"}"; return;
    case T::Double:
        out += "{\"doubleValue\":";
        detail::appendJsonDouble(out, v.d);
        out.push_back('}');
        return;
    case T::Bytes:
        out += "{\"bytesValue\":";
        core::appendJsonString(out, v.s);
        out.push_back('}');
        return;
    case T::Json: {
        // OTLP has no JSON type: arrays and maps go back to arrayValue/kvlistValue, which the decoder
        // turns into the same JSON text again.
        const auto parsed = ordered_json::parse(v.s, nullptr, false);
        if (!parsed.is_discarded() && (parsed.is_array() || parsed.is_object())) {
            appendJsonAnyValue(out, parsed, 1);
        } else {
            out += "{\"stringValue\":";
            core::appendJsonString(out, v.s);
            out.push_back('}');
        }
        return;
    }
    }
}

void appendAttributes(std::string &out, const core::Attributes &attrs, const core::Attributes *extra = nullptr)
{
    out += "\"attributes\":[";
    bool first = true;
    const auto one = [&](const core::Attribute &a) {
        if (!first)
            out.push_back(',');
        first = false;
        out += "{\"key\":";
        core::appendJsonString(out, a.key);
        out += ",\"value\":";
        appendAnyValue(out, a.value);
        out.push_back('}');
    };
    for (const auto &a : attrs)
        one(a);
    if (extra)
        for (const auto &a : *extra)
            one(a);
    out.push_back(']');
}

void appendUint(std::string &out, std::string_view key, std::uint64_t value)
{
    core::appendJsonString(out, key);
    out += ":\"" + std::to_string(value) + '"';
}

void appendSpan(std::string &out, const core::Span &s, const core::Attributes &extra)
{
    out.push_back('{');
    appendQuoted(out, "traceId", core::toHex(s.trace_id));
    out.push_back(',');
    appendQuoted(out, "spanId", core::toHex(s.span_id));
    if (!s.isRoot()) {
        out.push_back(',');
        appendQuoted(out, "parentSpanId", core::toHex(s.parent_span_id));
    }
    if (!s.trace_state.empty()) {
        out.push_back(',');
        appendQuoted(out, "traceState", s.trace_state);
    }
    out.push_back(',');
    appendQuoted(out, "name", s.name);
    out += ",\"kind\":" + std::to_string(int(s.otel_kind)) + ',';
    appendUint(out, "startTimeUnixNano", std::uint64_t(std::max<std::int64_t>(s.start_ns, 0)));
    out.push_back(',');
    appendUint(out, "endTimeUnixNano", std::uint64_t(std::max<std::int64_t>(s.end_ns, 0)));
    out.push_back(',');
    appendAttributes(out, s.attributes, &extra);
    if (s.dropped_attributes)
        out += ",\"droppedAttributesCount\":" + std::to_string(s.dropped_attributes);
    if (!s.events.empty()) {
        out += ",\"events\":[";
        for (std::size_t i = 0; i < s.events.size(); ++i) {
            const auto &e = s.events[i];
            if (i)
                out.push_back(',');
            out.push_back('{');
            appendUint(out, "timeUnixNano", std::uint64_t(std::max<std::int64_t>(e.time_ns, 0)));
            out.push_back(',');
            appendQuoted(out, "name", e.name);
            out.push_back(',');
            appendAttributes(out, e.attributes);
            out.push_back('}');
        }
        out.push_back(']');
    }
    if (s.dropped_events)
        out += ",\"droppedEventsCount\":" + std::to_string(s.dropped_events);
    if (!s.links.empty()) {
        out += ",\"links\":[";
        for (std::size_t i = 0; i < s.links.size(); ++i) {
            const auto &l = s.links[i];
            if (i)
                out.push_back(',');
            out.push_back('{');
            appendQuoted(out, "traceId", core::toHex(l.trace_id));
            out.push_back(',');
            appendQuoted(out, "spanId", core::toHex(l.span_id));
            if (!l.trace_state.empty()) {
                out.push_back(',');
                appendQuoted(out, "traceState", l.trace_state);
            }
            out.push_back(',');
            appendAttributes(out, l.attributes);
            out.push_back('}');
        }
        out.push_back(']');
    }
    if (s.dropped_links)
        out += ",\"droppedLinksCount\":" + std::to_string(s.dropped_links);
    out += ",\"status\":{\"code\":" + std::to_string(int(s.status));
    if (!s.status_message.empty()) {
        out.push_back(',');
        appendQuoted(out, "message", s.status_message);
    }
    out += "}}";
}

std::string writeRequest(const std::vector<core::Span> &spans, const std::vector<core::Attributes> &extra)
{
    // Group by resource, then by scope, in order of first appearance.
    struct Scope
    {
        std::string name;
        std::string version;
        std::vector<std::size_t> spans;
    };
    struct Resource
    {
        const core::Attributes *attributes = nullptr;
        std::vector<Scope> scopes;
    };
    std::vector<Resource> resources;
    std::map<std::string, std::size_t> resourceIndex;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto &s = spans[i];
        auto [it, inserted] = resourceIndex.try_emplace(core::attributesToJson(s.resource), resources.size());
        if (inserted)
            resources.push_back(Resource { &s.resource, {} });
        auto &scopes = resources[it->second].scopes;
        auto scope = std::find_if(scopes.begin(), scopes.end(),
            [&](const Scope &sc) { return sc.name == s.scope_name && sc.version == s.scope_version; });
        if (scope == scopes.end()) {
            scopes.push_back(Scope { s.scope_name, s.scope_version, {} });
            scope = scopes.end() - 1;
        }
        scope->spans.push_back(i);
    }

    std::string out = "{\"resourceSpans\":[";
    for (std::size_t r = 0; r < resources.size(); ++r) {
        if (r)
            out.push_back(',');
        out += "{\"resource\":{";
        appendAttributes(out, *resources[r].attributes);
        out += "},\"scopeSpans\":[";
        const auto &scopes = resources[r].scopes;
        for (std::size_t sc = 0; sc < scopes.size(); ++sc) {
            if (sc)
                out.push_back(',');
            out += "{\"scope\":{";
            appendQuoted(out, "name", scopes[sc].name);
            if (!scopes[sc].version.empty()) {
                out.push_back(',');
                appendQuoted(out, "version", scopes[sc].version);
            }
            out += "},\"spans\":[";
            bool first = true;
            for (std::size_t i : scopes[sc].spans) {
                if (!first)
                    out.push_back(',');
                first = false;
                appendSpan(out, spans[i], extra[i]);
            }
            out += "]}";
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

std::string key(std::string_view field)
{
    std::string k(kOverridePrefix);
    k += field;
    return k;
}

void overrideText(core::Attributes &out, std::string_view field, const std::string &want, const std::string &got)
{
    if (want != got)
        out.push_back(core::Attribute { key(field), core::AttrValue::ofString(want) });
}

void overrideInt(core::Attributes &out, std::string_view field, const std::optional<std::int64_t> &want,
    const std::optional<std::int64_t> &got)
{
    if (want != got)
        out.push_back(
            core::Attribute { key(field), want ? core::AttrValue::ofInt(*want) : core::AttrValue::ofString({}) });
}

/// The fields a re-read would get wrong, as attributes that put them right.
core::Attributes overridesFor(const core::Span &want, const core::Span &got)
{
    core::Attributes out;
    if (want.kind != got.kind)
        out.push_back(
            core::Attribute { key("kind"), core::AttrValue::ofString(std::string(core::toString(want.kind))) });
    overrideText(out, "service_name", want.service_name, got.service_name);
    overrideText(out, "request_model", want.request_model, got.request_model);
    overrideText(out, "response_model", want.response_model, got.response_model);
    overrideText(out, "provider", want.provider, got.provider);
    overrideText(out, "agent_name", want.agent_name, got.agent_name);
    overrideText(out, "tool_name", want.tool_name, got.tool_name);
    overrideInt(out, "tokens.input", want.tokens.input, got.tokens.input);
    overrideInt(out, "tokens.output", want.tokens.output, got.tokens.output);
    overrideInt(out, "tokens.total", want.tokens.total, got.tokens.total);
    overrideInt(out, "tokens.cache_read", want.tokens.cache_read, got.tokens.cache_read);
    overrideInt(out, "tokens.cache_write", want.tokens.cache_write, got.tokens.cache_write);
    overrideInt(out, "tokens.reasoning", want.tokens.reasoning, got.tokens.reasoning);
    if (want.cost_usd != got.cost_usd)
        out.push_back(core::Attribute { key("cost_usd"),
            want.cost_usd ? core::AttrValue::ofDouble(*want.cost_usd) : core::AttrValue::ofString({}) });
    overrideText(out, "price_ref", want.price_ref, got.price_ref);
    overrideText(out, "input", want.input, got.input);
    overrideText(out, "output", want.output, got.output);
    overrideText(out, "session_id", want.session_id, got.session_id);
    overrideText(out, "user_id", want.user_id, got.user_id);
    return out;
}

// --- reading ------------------------------------------------------------------------------------------

std::optional<std::int64_t> overrideIntValue(const core::AttrValue &v)
{
    if (v.type == core::AttrValue::Type::String && v.s.empty())
        return std::nullopt;
    return v.asInt();
}

void applyOverride(core::Span &span, std::string_view field, const core::AttrValue &v)
{
    const std::string text = v.asText();
    if (field == "kind") {
        if (auto kind = core::spanKindFromString(text))
            span.kind = *kind;
    } else if (field == "service_name") {
        span.service_name = text;
    } else if (field == "request_model") {
        span.request_model = text;
    } else if (field == "response_model") {
        span.response_model = text;
    } else if (field == "provider") {
        span.provider = text;
    } else if (field == "agent_name") {
        span.agent_name = text;
    } else if (field == "tool_name") {
        span.tool_name = text;
    } else if (field == "tokens.input") {
        span.tokens.input = overrideIntValue(v);
    } else if (field == "tokens.output") {
        span.tokens.output = overrideIntValue(v);
    } else if (field == "tokens.total") {
        span.tokens.total = overrideIntValue(v);
    } else if (field == "tokens.cache_read") {
        span.tokens.cache_read = overrideIntValue(v);
    } else if (field == "tokens.cache_write") {
        span.tokens.cache_write = overrideIntValue(v);
    } else if (field == "tokens.reasoning") {
        span.tokens.reasoning = overrideIntValue(v);
    } else if (field == "cost_usd") {
        if (v.type == core::AttrValue::Type::Double)
            span.cost_usd = v.d;
        else if (v.type == core::AttrValue::Type::Int)
            span.cost_usd = double(v.i);
        else
            span.cost_usd.reset();
    } else if (field == "price_ref") {
        span.price_ref = text;
    } else if (field == "input") {
        span.input = text;
    } else if (field == "output") {
        span.output = text;
    } else if (field == "session_id") {
        span.session_id = text;
    } else if (field == "user_id") {
        span.user_id = text;
    }
}

bool isOverride(const core::Attribute &a)
{
    return std::string_view(a.key).starts_with(kOverridePrefix);
}

/// True when the text holds exactly one complete JSON object or array (strings are skipped correctly).
bool isCompleteJsonValue(std::string_view text)
{
    std::size_t depth = 0;
    bool inString = false;
    bool opened = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '{':
        case '[':
            ++depth;
            opened = true;
            break;
        case '}':
        case ']':
            if (depth == 0)
                return false;
            --depth;
            break;
        default: break;
        }
    }
    return opened && depth == 0 && !inString;
}

/// The decoder speaks of a request "body"; in a file it is the file (or the line).
std::string describeFatal(const DecodeError &fatal)
{
    std::string message = fatal.message;
    if (message.starts_with("body is "))
        message.replace(0, 8, "");
    else if (message.starts_with("body "))
        message.replace(0, 5, "");
    return fatal.path.empty() ? message : fatal.path + ": " + message;
}

/// Collects spans into batches for the sink, and the warnings (capped) for the result.
class Reader
{
public:
    Reader(const SpanSink &sink, const TraceFileOptions &options, TraceFileResult &result, std::uint64_t total)
        : m_sink(sink)
        , m_options(options)
        , m_result(result)
        , m_total(total)
    { }

    bool cancelled() const
    {
        if (m_options.cancel && m_options.cancel->load(std::memory_order_relaxed)) {
            m_result.cancelled = true;
            return true;
        }
        return false;
    }

    void progress(std::uint64_t done, bool force = false)
    {
        done = std::min(done, m_total);
        if (!m_options.progress || done < m_reported || (!force && done < m_reported + kProgressStep))
            return;
        m_reported = done;
        m_options.progress(done, m_total);
    }

    void warn(std::string message)
    {
        if (m_result.warnings.size() < kMaxWarnings)
            m_result.warnings.push_back(std::move(message));
        else
            ++m_moreWarnings;
    }

    /// Takes what one request decoded to; false when the sink refused the spans.
    bool take(DecodeResult &&decoded, std::string_view where)
    {
        for (const auto &e : decoded.errors)
            warn(std::string(where) + e.toString());
        if (decoded.rejected > decoded.errors.size())
            warn(
                std::string(where) + std::to_string(decoded.rejected - decoded.errors.size()) + " more spans rejected");
        m_result.rejected += decoded.rejected;
        countRedactions(decoded.redactions);
        for (auto &span : decoded.spans) {
            applyExportOverrides(span);
            m_batch.push_back(std::move(span));
            if (m_batch.size() >= m_options.batch_spans && !flush())
                return false;
        }
        return true;
    }

    std::size_t batchSpans() const { return std::max<std::size_t>(m_options.batch_spans, 1); }
    const Redactor *redactor() const { return m_options.redactor; }

    bool flush()
    {
        if (m_batch.empty())
            return true;
        const std::size_t n = m_batch.size();
        std::string error = m_sink(std::move(m_batch));
        m_batch = {};
        if (!error.empty()) {
            m_result.error = std::move(error);
            return false;
        }
        m_result.spans += n;
        return true;
    }

    void finish()
    {
        if (m_moreWarnings)
            m_result.warnings.push_back("... and " + std::to_string(m_moreWarnings) + " more problems");
    }

private:
    void countRedactions(const std::vector<std::uint64_t> &counts)
    {
        if (m_result.redactions.size() < counts.size())
            m_result.redactions.resize(counts.size());
        for (std::size_t i = 0; i < counts.size(); ++i)
            m_result.redactions[i] += counts[i];
    }

    const SpanSink &m_sink;
    const TraceFileOptions &m_options;
    TraceFileResult &m_result;
    std::uint64_t m_total;
    std::uint64_t m_reported = 0;
    std::size_t m_moreWarnings = 0;
    std::vector<core::Span> m_batch;
};

constexpr std::string_view kNotOtlp = "not OTLP: expected a JSON object or protobuf ExportTraceServiceRequest";

/// "at byte 123: what" and, when spans were taken before it, how many.
std::string describeStreamFailure(const JsonStreamResult &stream)
{
    std::string message = describeFatal(stream.error) + " (at byte " + std::to_string(stream.at);
    if (stream.spans > 0)
        message += "; " + std::to_string(stream.spans) + " spans were imported before it";
    return message + ')';
}

/// Streams one request from `in` (a line too long to hold, or the whole file) into the reader.
JsonStreamResult streamRequest(FileChunks &in, Reader &reader, std::string_view where, bool strict)
{
    JsonStreamOptions options;
    options.batch_spans = reader.batchSpans();
    options.strict = strict;
    options.redactor = reader.redactor();
    options.cancelled = [&reader] { return reader.cancelled(); };
    options.flush = [&reader, where](DecodeResult &decoded) { return reader.take(std::move(decoded), where); };
    auto stream = streamOtlpJsonRequest(in, options);
    // The spans read before a problem are kept (and the problem says how many), like those before a
    // bad line: holding back a whole file's spans until its end would cost memory without bound.
    if (stream.end != JsonStreamResult::End::Stopped && !reader.flush())
        stream.end = JsonStreamResult::End::Stopped;
    return stream;
}

/// Lines of JSON: each holding one request. A line of up to kMaxWholeLine bytes is decoded whole, so
/// a bad one is skipped entirely; a longer one is streamed, so memory stays bounded whatever its size.
void readLines(FileChunks &in, FileChunks::Line first, std::string line, std::uint64_t lineStart, Reader &reader,
    TraceFileResult &result)
{
    FileChunks::Line kind = first;
    std::size_t lineNumber = 1;
    std::size_t goodLines = 0;
    std::size_t badLines = 0;
    std::string firstBad;
    const auto bad = [&](std::string message) {
        ++badLines;
        ++result.rejected;
        if (firstBad.empty())
            firstBad = message;
        reader.warn(std::move(message));
    };
    while (kind != FileChunks::Line::End) {
        if (reader.cancelled())
            return;
        const std::string where = "line " + std::to_string(lineNumber) + ": ";
        if (kind == FileChunks::Line::TooLong) {
            // The first line may be a request spread over many lines; later ones end at their newline.
            in.seek(lineStart);
            in.setStopAtNewline(lineNumber > 1);
            const auto stream = streamRequest(in, reader, where, false);
            in.setStopAtNewline(false);
            if (stream.end == JsonStreamResult::End::Stopped)
                return;
            if (stream.end == JsonStreamResult::End::Failed)
                bad(where + describeStreamFailure(stream));
            else
                ++goodLines;
            // Whatever is left of the line after the request (or after the problem) is skipped.
            std::string rest;
            bool restBlank = true;
            FileChunks::Line tail;
            while ((tail = in.readLine(rest, kMaxWholeLine)) == FileChunks::Line::TooLong)
                restBlank = false;
            if (stream.end == JsonStreamResult::End::Read && !(restBlank && detail::isBlank(rest)))
                reader.warn(where + "text after the request was left out");
        } else {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            if (!detail::isBlank(line)) {
                DecodeResult decoded;
                decoded.redactor = reader.redactor();
                DecodeError fatal;
                if (decodeOtlpTraces(line, OtlpEncoding::Json, decoded, fatal)) {
                    ++goodLines;
                    if (!reader.take(std::move(decoded), where))
                        return;
                } else {
                    bad(where + describeFatal(fatal));
                }
            }
        }
        reader.progress(in.offset());
        lineStart = in.offset();
        kind = in.readLine(line, kMaxWholeLine);
        ++lineNumber;
    }
    if (!reader.flush())
        return;
    if (goodLines == 0 && badLines > 0)
        result.error
            = badLines == 1 ? firstBad : firstBad + " (and " + std::to_string(badLines - 1) + " more bad lines)";
}

/// A file that starts with '{' or '[': one request (perhaps over many lines) or JSON lines.
void readJsonText(FileChunks &in, Reader &reader, TraceFileResult &result)
{
    const std::uint64_t start = in.offset();
    std::string line;
    const auto first = in.readLine(line, kMaxWholeLine);
    if (first == FileChunks::Line::Read && !isCompleteJsonValue(line)) {
        // A request spread over many lines (pretty-printed), or one line cut short.
        result.format = TraceFileFormat::OtlpJson;
        in.seek(start);
        const auto stream = streamRequest(in, reader, {}, true);
        if (stream.end == JsonStreamResult::End::Failed && result.error.empty())
            result.error = describeStreamFailure(stream);
        return;
    }
    result.format = TraceFileFormat::OtlpJsonLines;
    readLines(in, first, std::move(line), start, reader, result);
}

/// A binary request, decoded straight from the mapped file in batches.
void readProtobuf(int fd, std::uint64_t start, std::uint64_t total, Reader &reader, TraceFileResult &result)
{
    result.format = TraceFileFormat::OtlpProtobuf;
    if (reader.cancelled())
        return;
    void *map = ::mmap(nullptr, std::size_t(total), PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        result.error = std::string("cannot map the file: ") + std::strerror(errno);
        return;
    }
    ::madvise(map, std::size_t(total), MADV_SEQUENTIAL);
    const std::string_view body(static_cast<const char *>(map) + start, std::size_t(total - start));
    const long page = ::sysconf(_SC_PAGESIZE);
    std::size_t released = 0;
    bool any = false;
    bool stopped = false;
    DecodeResult decoded;
    decoded.redactor = reader.redactor();
    DecodeError fatal;
    const auto flush = [&](DecodeResult &batch, std::size_t done) {
        any = any || !batch.spans.empty() || batch.rejected > 0;
        reader.progress(start + done);
        stopped = !reader.take(std::move(batch), {}) || reader.cancelled();
        // The moved-from batch is decoded into again: clear() resets it and keeps its redactor.
        batch.clear(); // NOLINT(bugprone-use-after-move): reset by clear(), which has no precondition
        // Pages decoded are not needed again: give them back, so the mapping does not grow to the file.
        const std::size_t upTo = (std::size_t(start) + done) / std::size_t(page) * std::size_t(page);
        if (upTo > released + (8u << 20)) {
            ::madvise(static_cast<char *>(map) + released, upTo - released, MADV_DONTNEED);
            released = upTo;
        }
        return !stopped;
    };
    const bool ok = decodeOtlpProtobufInBatches(body, reader.batchSpans(), decoded, fatal, flush);
    ::munmap(map, std::size_t(total));
    if (stopped)
        return;
    // Random bytes can happen to parse as protobuf (unknown fields are allowed): a request with no
    // resource spans at all is not taken for a trace file either.
    if (!ok && any) {
        if (reader.flush())
            result.error
                = describeFatal(fatal) + " (" + std::to_string(result.spans) + " spans were imported before it)";
    } else if (!ok || !any) {
        result.format = TraceFileFormat::Unknown;
        result.error = std::string(kNotOtlp);
    } else {
        reader.flush();
    }
}

} // namespace

void applyExportOverrides(core::Span &span)
{
    if (std::none_of(span.attributes.begin(), span.attributes.end(), isOverride))
        return;
    for (const auto &a : span.attributes)
        if (isOverride(a))
            applyOverride(span, std::string_view(a.key).substr(kOverridePrefix.size()), a.value);
    std::erase_if(span.attributes, isOverride);
}

std::string encodeOtlpJson(const std::vector<core::Span> &spans)
{
    std::vector<core::Attributes> extra(spans.size());
    std::string text = writeRequest(spans, extra);
    // Read it back as an importer would and note what did not survive; only the spans that need it
    // carry override attributes, so ordinary OTel spans stay as they came.
    DecodeResult decoded;
    DecodeError fatal;
    if (!decodeOtlpTraces(text, OtlpEncoding::Json, decoded, fatal))
        return text;
    std::map<std::pair<core::TraceId, core::SpanId>, const core::Span *> byId;
    for (const auto &s : decoded.spans)
        byId[{ s.trace_id, s.span_id }] = &s;
    bool any = false;
    for (std::size_t i = 0; i < spans.size(); ++i) {
        const auto it = byId.find({ spans[i].trace_id, spans[i].span_id });
        if (it == byId.end())
            continue;
        extra[i] = overridesFor(spans[i], *it->second);
        any = any || !extra[i].empty();
    }
    return any ? writeRequest(spans, extra) : text;
}

bool writeTraceFile(const std::string &path, const std::vector<std::vector<core::Span>> &traces, std::string &error)
{
    // Write next to the target and rename, so a failed export never leaves half a file under its name.
    const std::string partial = path + ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) {
            error = "cannot create " + partial + ": " + std::strerror(errno);
            return false;
        }
        for (const auto &trace : traces) {
            if (trace.empty())
                continue;
            const std::string line = encodeOtlpJson(trace);
            out.write(line.data(), std::streamsize(line.size()));
            out.put('\n');
        }
        out.flush();
        if (!out) {
            error = "cannot write " + partial + ": " + std::strerror(errno);
            std::error_code ignored;
            std::filesystem::remove(partial, ignored);
            return false;
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) {
        error = "cannot rename " + partial + " to " + path + ": " + ec.message();
        std::filesystem::remove(partial, ec);
        return false;
    }
    return true;
}

TraceFileResult readTraceFile(const std::string &path, const SpanSink &sink, const TraceFileOptions &options)
{
    TraceFileResult result;
    std::error_code ec;
    const std::uint64_t total = std::filesystem::file_size(path, ec);
    const std::unique_ptr<std::FILE, int (*)(std::FILE *)> file(
        ec ? nullptr : std::fopen(path.c_str(), "rb"), std::fclose);
    if (!file) {
        result.error = std::string("cannot open the file: ") + (ec ? ec.message() : std::strerror(errno));
        return result;
    }
    if (total == 0) {
        result.error = "the file is empty";
        return result;
    }
    if (options.redactor)
        result.redactions.assign(options.redactor->ruleNames().size(), 0); // every rule, at 0 when it never matched
    Reader reader(sink, options, result, total);
    FileChunks in(file.get(), 0);
    // Progress follows the bytes read; cancel is seen between chunks as well as between spans.
    in.onRead = [&reader](std::uint64_t done) {
        reader.progress(done);
        return !reader.cancelled();
    };

    // Skip a UTF-8 byte order mark and leading white space to see what the file starts with.
    std::uint64_t start = 0;
    std::string head;
    for (int i = 0; i < 3 && in.sgetc() != EOF; ++i)
        head.push_back(char(in.sbumpc()));
    if (head == "\xEF\xBB\xBF")
        start = 3;
    in.seek(start);
    int first = in.sgetc();
    while (first == ' ' || first == '\t' || first == '\r' || first == '\n') {
        in.sbumpc();
        first = in.sgetc();
    }
    if (first == EOF) {
        if (!reader.cancelled())
            result.error = "the file holds only white space";
        return result;
    }

    if (first == '{' || first == '[') {
        readJsonText(in, reader, result);
        // 0x0A followed by a length of 123 or 91 looks like JSON after a newline; it may still be protobuf.
        in.seek(start);
        if (!result.error.empty() && result.spans == 0 && !result.cancelled && in.sgetc() == '\n') {
            TraceFileResult asJson = result;
            result = TraceFileResult {};
            readProtobuf(fileno(file.get()), start, total, reader, result);
            if (!result.error.empty())
                result = std::move(asJson);
        }
    } else {
        readProtobuf(fileno(file.get()), start, total, reader, result);
    }
    if (result.cancelled)
        return result;
    reader.finish();
    reader.progress(total, true);
    return result;
}

TraceFileResult readTraceFile(const std::string &path, std::vector<core::Span> &out, const TraceFileOptions &options)
{
    const SpanSink sink = [&out](std::vector<core::Span> &&batch) {
        if (out.empty())
            out = std::move(batch);
        else
            std::move(batch.begin(), batch.end(), std::back_inserter(out));
        return std::string();
    };
    return readTraceFile(path, sink, options);
}

} // namespace agentops::ingest
