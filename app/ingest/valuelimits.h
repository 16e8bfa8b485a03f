// SPDX-License-Identifier: MIT
#pragma once
// A limit on the size of one value, like OpenTelemetry's attribute value length limit: a client
// that sends a 50 MiB attribute gets it stored cut, not whole, so a trace read stays bounded. Every
// receiver (OTLP/HTTP, OTLP/gRPC, the native API) and File → Open apply it after decoding.

#include "core/span.h"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace agentops::ingest {

/// The default: longer than any prompt a model takes today, far shorter than a body may be.
inline constexpr std::size_t kDefaultMaxValueBytes = 1u << 20;

/// The attribute a span gets when values of it were cut: how many.
inline constexpr std::string_view kTruncatedValuesKey = "agentops.truncated_values";

/// Cuts every value longer than maxBytes — attribute values (the span's, its resource's, events'
/// and links'), input, output, name, status message and event names — to maxBytes on a UTF-8
/// boundary, followed by a marker that says how long it was ("… [truncated: 52428800 bytes]"). A
/// JSON value that is cut becomes a string (its text is no longer JSON). Each span that had values
/// cut gets kTruncatedValuesKey. maxBytes 0: no limit. Returns how many values were cut.
std::size_t limitValueSizes(std::span<core::Span> spans, std::size_t maxBytes);

/// s cut as limitValueSizes cuts a value; true when it was cut.
bool truncateValue(std::string &s, std::size_t maxBytes);

} // namespace agentops::ingest
