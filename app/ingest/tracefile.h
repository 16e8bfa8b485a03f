// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::ingest {

class Redactor;

/// What a trace file turned out to be.
enum class TraceFileFormat {
    Unknown,
    OtlpJson, ///< one ExportTraceServiceRequest, possibly pretty-printed over many lines
    OtlpJsonLines, ///< one request per line: the Collector's file exporter and this app's own export
    OtlpProtobuf, ///< one binary ExportTraceServiceRequest
};

/// Receives the spans of a file in batches; returns an empty string to go on, or why it cannot take
/// them (reading then stops and the reason becomes the error).
using SpanSink = std::function<std::string(std::vector<core::Span> &&batch)>;

struct TraceFileOptions
{
    /// Called with bytes read so far and the file size; never goes backwards. May be empty.
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    /// Set to true from any thread to stop reading; the result is then marked cancelled.
    const std::atomic<bool> *cancel = nullptr;
    /// Spans per call of the sink.
    std::size_t batch_spans = 2000;
    /// Redacts every span as the receivers do (ingest/redaction.h), before it is normalized and
    /// before the sink sees it; null: none. Used from the reading thread only while the read runs.
    const Redactor *redactor = nullptr;
};

struct TraceFileResult
{
    TraceFileFormat format = TraceFileFormat::Unknown;
    std::size_t spans = 0; ///< spans handed to the sink
    std::size_t rejected = 0; ///< spans or lines left out (each one named in warnings, up to a cap)
    /// Problems that did not stop the read, each saying where: "line 17: resourceSpans[0]...: ...".
    std::vector<std::string> warnings;
    /// What made the file unreadable as a whole ("" when it was read); says where when known.
    std::string error;
    bool cancelled = false;
    /// Replacements per rule of options.redactor (Redactor::ruleNames() order) in the spans read,
    /// those handed to the sink and those of a batch the sink refused alike. Empty without a redactor.
    std::vector<std::uint64_t> redactions;
    bool ok() const { return error.empty() && !cancelled; }
};

/// Reads an OTLP trace file: a single OTLP/JSON ExportTraceServiceRequest, JSON lines of them, or a
/// binary (protobuf) request. JSON lines are read one line at a time, so memory stays bounded by the
/// longest line and one batch whatever the file's size. A bad line is reported with its number and
/// skipped; the good lines around it are kept.
TraceFileResult readTraceFile(const std::string &path, const SpanSink &sink, const TraceFileOptions &options = {});
/// The same into a vector (tests, small files).
TraceFileResult readTraceFile(
    const std::string &path, std::vector<core::Span> &out, const TraceFileOptions &options = {});

/// Encodes spans as one OTLP/JSON ExportTraceServiceRequest on a single line: grouped by resource and
/// scope, hex ids, 64-bit integers as strings, typed AnyValues (JSON-typed attribute values written
/// back as arrayValue/kvlistValue). Fields the normalizer would not derive again from the attributes
/// (spans that came in through the native API, costs) travel in "agentops.export.*" attributes that
/// readTraceFile applies and removes, so reading the text back yields spans equal to these.
std::string encodeOtlpJson(const std::vector<core::Span> &spans);

/// Writes the app's own export format: OTLP/JSON lines, one request per trace. False (and error set)
/// when the file cannot be written.
bool writeTraceFile(const std::string &path, const std::vector<std::vector<core::Span>> &traces, std::string &error);

/// Applies and removes the "agentops.export.*" attributes of a span read from an exported file.
void applyExportOverrides(core::Span &span);

} // namespace agentops::ingest
