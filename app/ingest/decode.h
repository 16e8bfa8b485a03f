// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/decoderesult.h"

#include <string_view>

namespace agentops::ingest {

/// The decoders' entry points: OTLP in otlpdecoder.cpp, the native batch in nativedecoder.cpp.

enum class OtlpEncoding { Protobuf, Json };

/// Decodes an OTLP ExportTraceServiceRequest. Returns false (and sets fatal) when the body as a
/// whole is unusable; otherwise fills result, good spans and per-span errors alike.
bool decodeOtlpTraces(std::string_view body, OtlpEncoding encoding, DecodeResult &result, DecodeError &fatal);

/// Decodes the native JSON batch of POST /api/v1/ingest (documented in docs/api.md).
bool decodeNativeBatch(std::string_view body, DecodeResult &result, DecodeError &fatal);

/// libprotobuf logs an ERROR line to stderr for every malformed body it is given; on a server that
/// lets any client flood the log. Programs that decode network input call this once at start
/// (it changes a process-wide setting).
void silenceProtobufLogging();

} // namespace agentops::ingest
