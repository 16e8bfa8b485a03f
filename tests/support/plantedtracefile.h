// SPDX-License-Identifier: MIT
// A captured trace file with secrets in it, for the tests of redaction on import: the OpenInference
// run of tests/fixtures/frameworks (its user.id is an e-mail address) with an API key added to each
// prompt, written as JSON lines, one pretty-printed request, or one protobuf request.
#pragma once

#include "support/bigotlp.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QString>

#include <fstream>
#include <string>
#include <vector>

namespace agentops::test {

using nlohmann::json;

inline const std::string kFileKey = "sk-proj-AbCdEf0123456789GhIjKl";
inline const std::string kFileEmail = "ana@example.com";

inline std::size_t occurrences(const std::string &text, const std::string &what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

/// A captured OpenInference run (its user.id is an e-mail address) with a key added to each prompt,
/// as one request per line; planted: how many keys.
inline std::vector<json> capturedRequestsWithKey(std::size_t &planted)
{
    QFile f(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/openai-openinference.otlp.json"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    std::vector<json> out;
    planted = 0;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (line.isEmpty())
            continue;
        json request = json::parse(line.toStdString());
        for (auto &rs : request["resourceSpans"])
            for (auto &ss : rs["scopeSpans"])
                for (auto &span : ss["spans"])
                    for (auto &a : span["attributes"])
                        if (a["key"] == "input.value") {
                            a["value"]["stringValue"]
                                = a["value"]["stringValue"].get<std::string>() + " key " + kFileKey;
                            ++planted;
                        }
        out.push_back(std::move(request));
    }
    return out;
}

/// The requests written as the format asks: "jsonl" one per line, "json" one pretty-printed request,
/// "pb" one binary request.
inline void writePlantedTraceFile(const QString &path, const std::vector<json> &requests, const QString &format)
{
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    if (format == QLatin1String("jsonl")) {
        for (const json &r : requests)
            out << r.dump() << '\n';
        return;
    }
    json whole = { { "resourceSpans", json::array() } };
    for (const json &r : requests)
        for (const json &rs : r["resourceSpans"])
            whole["resourceSpans"].push_back(rs);
    if (format == QLatin1String("json")) {
        out << whole.dump(2);
        return;
    }
    namespace pb = opentelemetry::proto;
    pb::collector::trace::v1::ExportTraceServiceRequest request;
    for (const json &rs : whole["resourceSpans"]) {
        auto *outRs = request.add_resource_spans();
        if (rs.contains("resource"))
            *outRs->mutable_resource() = bench::toProto<pb::resource::v1::Resource>(rs["resource"]);
        for (const json &ss : rs["scopeSpans"]) {
            auto *outSs = outRs->add_scope_spans();
            if (ss.contains("scope"))
                *outSs->mutable_scope() = bench::toProto<pb::common::v1::InstrumentationScope>(ss["scope"]);
            for (const json &span : ss["spans"])
                *outSs->add_spans() = bench::toProto<pb::trace::v1::Span>(span);
        }
    }
    out << request.SerializeAsString();
}

} // namespace agentops::test
