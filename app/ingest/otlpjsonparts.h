// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/decode.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

namespace agentops::ingest {

/// The OTLP/JSON decoder one part of a request at a time, for a reader that walks a request too
/// large to hold in memory (readTraceFile). decodeOtlpTraces is built from these parts as well, so
/// both give the same spans, checks and messages.
///
/// Give a resource, then the scopes under it, each followed by its spans; a resource or scope that is
/// not given counts as absent, as a missing member does in a request.
class OtlpJsonParts
{
public:
    OtlpJsonParts();
    ~OtlpJsonParts();
    OtlpJsonParts(const OtlpJsonParts &) = delete;
    OtlpJsonParts &operator=(const OtlpJsonParts &) = delete;

    /// The "resource" member of resourceSpans[r] (nullptr when absent); also forgets the scope.
    /// False, with fatal set, when it cannot be used (the whole request is then refused).
    bool resource(std::size_t r, const nlohmann::json *resource, DecodeError &fatal);
    /// The "scope" member of resourceSpans[r].scopeSpans[s] (nullptr when absent).
    bool scope(std::size_t r, std::size_t s, const nlohmann::json *scope, DecodeError &fatal);
    /// Converts resourceSpans[r].scopeSpans[s].spans[i] into result, or counts it as rejected there.
    void span(std::size_t r, std::size_t s, std::size_t i, const nlohmann::json &span, DecodeResult &result);

private:
    struct State;
    std::unique_ptr<State> m;
};

/// Takes the spans decoded so far (and the rejected ones' errors), given how many bytes of the body
/// are decoded; false stops decoding.
using DecodeFlush = std::function<bool(DecodeResult &decoded, std::size_t bytesDone)>;

/// Decodes a binary ExportTraceServiceRequest as decodeOtlpTraces does, but hands the spans over
/// whenever `batch` of them are decoded, and once more at the end. Memory then stays within one batch
/// of spans whatever the request's size. On a fatal error (false, fatal set) the spans flushed before
/// it are already out; the rest are dropped.
bool decodeOtlpProtobufInBatches(
    std::string_view body, std::size_t batch, DecodeResult &result, DecodeError &fatal, const DecodeFlush &flush);

} // namespace agentops::ingest
