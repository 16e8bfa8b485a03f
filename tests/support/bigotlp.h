// SPDX-License-Identifier: MIT
// Big OTLP trace files made of real captured spans (tests/fixtures/frameworks), copied over and over
// into one trace: the files of the import benchmark (bench_import) and of the streaming tests.
#pragma once

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace agentops::bench {

/// The spans of some captured traces, with the resource and scope of the first one.
struct TemplateSpans
{
    nlohmann::json resource;
    nlohmann::json scope;
    std::vector<nlohmann::json> spans;
    std::size_t root = 0; ///< a span without parent
};

/// Cuts every string value of attributes (and of the values nested in them) to `chars` bytes.
inline void cutStringValues(nlohmann::json &j, std::size_t chars)
{
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() == "stringValue" && it->is_string() && it->get_ref<const std::string &>().size() > chars) {
                std::string text = it->get<std::string>().substr(0, chars);
                while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
                    text.pop_back(); // not in the middle of a UTF-8 sequence
                if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0)
                    text.pop_back();
                *it = text;
            } else {
                cutStringValues(*it, chars);
            }
        }
    } else if (j.is_array()) {
        for (auto &item : j)
            cutStringValues(item, chars);
    }
}

/// Reads OTLP/JSON lines files (the fixtures) into one template. With valueChars, string values are
/// cut to that many bytes, and with maxAttributes a span keeps its first attributes only (the LLM
/// spans of the captures carry whole prompts; a trace of a million spans is mostly tool and framework
/// spans with a few short values).
inline TemplateSpans loadTemplate(
    const std::vector<std::string> &paths, std::size_t valueChars = 0, std::size_t maxAttributes = 0)
{
    TemplateSpans t;
    for (const auto &path : paths) {
        std::ifstream in(path);
        std::string line;
        while (std::getline(in, line)) {
            if (line.find_first_not_of(" \t\r") == std::string::npos)
                continue;
            const auto request = nlohmann::json::parse(line);
            for (const auto &rs : request.at("resourceSpans")) {
                if (t.resource.is_null())
                    t.resource = rs.value("resource", nlohmann::json::object());
                for (const auto &ss : rs.at("scopeSpans")) {
                    if (t.scope.is_null())
                        t.scope = ss.value("scope", nlohmann::json::object());
                    for (const auto &span : ss.at("spans")) {
                        t.spans.push_back(span);
                        if (valueChars)
                            cutStringValues(t.spans.back(), valueChars);
                        auto &attributes = t.spans.back()["attributes"];
                        if (maxAttributes && attributes.is_array() && attributes.size() > maxAttributes)
                            attributes.erase(attributes.begin() + std::ptrdiff_t(maxAttributes), attributes.end());
                    }
                }
            }
        }
    }
    if (t.spans.empty())
        throw std::runtime_error("no spans in the template files");
    for (std::size_t i = 0; i < t.spans.size(); ++i)
        if (t.spans[i].value("parentSpanId", std::string()).empty()) {
            t.root = i;
            break;
        }
    return t;
}

inline std::string hex16(std::uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

inline constexpr const char *kBigTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

inline std::uint64_t timeOf(const nlohmann::json &v)
{
    return v.is_string() ? std::stoull(v.get<std::string>()) : v.get<std::uint64_t>();
}

/// Copy k of template span j, as OTLP/JSON: ids made unique, one trace, times shifted by k ms; the
/// roots of later copies hang under the root of the first.
class SpanCopier
{
public:
    explicit SpanCopier(const TemplateSpans &t)
        : m_t(t)
    {
        std::map<std::string, std::size_t> index;
        for (std::size_t j = 0; j < t.spans.size(); ++j)
            index[t.spans[j].value("spanId", std::string())] = j;
        for (const auto &span : t.spans) {
            const auto parent = index.find(span.value("parentSpanId", std::string()));
            m_parent.push_back(parent == index.end() ? kNone : parent->second);
        }
    }
    std::size_t size() const { return m_t.spans.size(); }
    std::uint64_t id(std::size_t k, std::size_t j) const { return k * m_t.spans.size() + j + 1; }
    /// 0 for the root of the first copy.
    std::uint64_t parentId(std::size_t k, std::size_t j) const
    {
        if (m_parent[j] != kNone)
            return id(k, m_parent[j]);
        return k > 0 ? id(0, m_t.root) : 0;
    }
    static std::uint64_t shift(std::size_t k) { return std::uint64_t(k) * 1'000'000; }

    nlohmann::json copy(std::size_t k, std::size_t j) const
    {
        nlohmann::json s = m_t.spans[j];
        s["traceId"] = kBigTraceId;
        s["spanId"] = hex16(id(k, j));
        if (const std::uint64_t parent = parentId(k, j))
            s["parentSpanId"] = hex16(parent);
        else
            s.erase("parentSpanId");
        for (const char *field : { "startTimeUnixNano", "endTimeUnixNano" })
            if (s.contains(field))
                s[field] = std::to_string(timeOf(s[field]) + shift(k));
        return s;
    }

private:
    static constexpr std::size_t kNone = std::size_t(-1);
    const TemplateSpans &m_t;
    std::vector<std::size_t> m_parent;
};

enum class MemberOrder {
    Usual, ///< resource before scopeSpans, scope before spans, as exporters write them
    SpansFirst, ///< scopeSpans before resource and spans before scope: allowed, and rare
};

/// Writes one OTLP/JSON ExportTraceServiceRequest of `count` spans on one line (as the app's own
/// export writes a trace) or, with pretty, over many lines. Returns the file's size.
inline std::uint64_t writeBigOtlpJson(const std::string &path, const TemplateSpans &t, std::size_t count,
    MemberOrder order = MemberOrder::Usual, bool pretty = false)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const SpanCopier copier(t);
    const char *nl = pretty ? "\n" : "";
    const std::string resource = "\"resource\":" + t.resource.dump();
    const std::string scope = "\"scope\":" + t.scope.dump();
    out << "{" << nl << "\"resourceSpans\":[{" << nl;
    if (order == MemberOrder::Usual)
        out << resource << "," << nl << "\"scopeSpans\":[{" << scope << "," << nl << "\"spans\":[" << nl;
    else
        out << "\"scopeSpans\":[{\"spans\":[" << nl;
    for (std::size_t n = 0; n < count; ++n) {
        if (n)
            out << "," << nl;
        out << copier.copy(n / copier.size(), n % copier.size()).dump(pretty ? 1 : -1);
    }
    out << nl << "]";
    if (order == MemberOrder::Usual)
        out << "}]}]}\n";
    else
        out << "," << scope << "}]," << resource << "}]}\n";
    out.flush();
    return std::uint64_t(out.tellp());
}

/// OTLP/JSON ids are hex; protobuf's JSON mapping wants base64 for bytes.
inline std::string hexToBase64(const std::string &hex)
{
    static const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(char(std::stoi(hex.substr(i, 2), nullptr, 16)));
    std::string out;
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        std::uint32_t v = std::uint8_t(bytes[i]) << 16;
        if (i + 1 < bytes.size())
            v |= std::uint8_t(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size())
            v |= std::uint8_t(bytes[i + 2]);
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        out.push_back(i + 1 < bytes.size() ? alphabet[(v >> 6) & 63] : '=');
        out.push_back(i + 2 < bytes.size() ? alphabet[v & 63] : '=');
    }
    return out;
}

template<typename Message>
Message toProto(nlohmann::json j)
{
    for (const char *id : { "traceId", "spanId", "parentSpanId" })
        if (j.contains(id) && j[id].is_string())
            j[id] = hexToBase64(j[id].get<std::string>());
    if (j.contains("links"))
        for (auto &link : j["links"])
            for (const char *id : { "traceId", "spanId" })
                if (link.contains(id))
                    link[id] = hexToBase64(link[id].get<std::string>());
    Message m;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(j.dump(), &m, options).ok())
        throw std::runtime_error("cannot convert to protobuf: " + j.dump().substr(0, 200));
    return m;
}

/// The same request as writeBigOtlpJson, as one binary ExportTraceServiceRequest.
inline std::uint64_t writeBigOtlpProtobuf(const std::string &path, const TemplateSpans &t, std::size_t count)
{
    namespace pbtrace = opentelemetry::proto::trace::v1;
    namespace pbresource = opentelemetry::proto::resource::v1;
    namespace pbcommon = opentelemetry::proto::common::v1;
    const SpanCopier copier(t);
    const auto resource = toProto<pbresource::Resource>(t.resource).SerializeAsString();
    const auto scope = toProto<pbcommon::InstrumentationScope>(t.scope).SerializeAsString();
    // Copies differ only in fixed-size fields (ids, times): each template span has one size.
    std::vector<pbtrace::Span> templates;
    std::vector<std::size_t> sizes;
    for (std::size_t j = 0; j < copier.size(); ++j) {
        templates.push_back(toProto<pbtrace::Span>(copier.copy(1, j)));
        sizes.push_back(templates.back().ByteSizeLong());
    }
    const auto bigEndian = [](std::uint64_t v) {
        std::string out(8, '\0');
        for (int i = 7; i >= 0; --i, v >>= 8)
            out[std::size_t(i)] = char(v & 0xff);
        return out;
    };
    using google::protobuf::io::CodedOutputStream;
    const auto field = [](std::size_t length) { return 1 + CodedOutputStream::VarintSize64(length) + length; };
    std::uint64_t spansBytes = 0;
    for (std::size_t n = 0; n < count; ++n)
        spansBytes += field(sizes[n % copier.size()]);
    const std::uint64_t scopeSpans = field(scope.size()) + spansBytes;
    const std::uint64_t resourceSpans = field(resource.size()) + field(scopeSpans);

    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    {
        google::protobuf::io::OstreamOutputStream raw(&file);
        CodedOutputStream out(&raw);
        out.WriteTag(0x0A); // ExportTraceServiceRequest.resource_spans
        out.WriteVarint64(resourceSpans);
        out.WriteTag(0x0A); // ResourceSpans.resource
        out.WriteVarint64(resource.size());
        out.WriteString(resource);
        out.WriteTag(0x12); // ResourceSpans.scope_spans
        out.WriteVarint64(scopeSpans);
        out.WriteTag(0x0A); // ScopeSpans.scope
        out.WriteVarint64(scope.size());
        out.WriteString(scope);
        for (std::size_t n = 0; n < count; ++n) {
            const std::size_t k = n / copier.size();
            const std::size_t j = n % copier.size();
            pbtrace::Span span = templates[j];
            span.set_span_id(bigEndian(copier.id(k, j)));
            span.set_parent_span_id(bigEndian(copier.parentId(k, j)));
            span.set_start_time_unix_nano(timeOf(t.spans[j]["startTimeUnixNano"]) + SpanCopier::shift(k));
            span.set_end_time_unix_nano(timeOf(t.spans[j]["endTimeUnixNano"]) + SpanCopier::shift(k));
            const std::string bytes = span.SerializeAsString();
            out.WriteTag(0x12); // ScopeSpans.spans
            out.WriteVarint64(bytes.size());
            out.WriteString(bytes);
        }
    }
    file.flush();
    return std::uint64_t(file.tellp());
}

} // namespace agentops::bench
