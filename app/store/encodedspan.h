// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::store {

/// A span with its JSON columns already written. Encoding runs on the request threads, in parallel,
/// so the single writer thread only binds and inserts.
///
/// Payloads are stored once: an attribute whose value is exactly the span's input or output (the
/// normalizer copies gen_ai.input.messages, input.value, llm_request ... there) is left out of the
/// attributes JSON and remembered in payload_refs, and put back, at its place, when read.
///
/// The span itself stays where it was decoded: whoever encodes keeps the spans alive until the write
/// is done (a request thread waits for the commit anyway), so nothing is copied or moved to encode.
struct EncodedSpan
{
    const core::Span *span = nullptr;
    std::string attributes; ///< JSON object, less the attributes that duplicate input/output
    std::string payload_refs; ///< "<index> <i|o> <key>\n" per left-out attribute; empty when none
    std::string events; ///< JSON array, empty when none
    std::string links; ///< JSON array, empty when none
    std::string resource; ///< JSON object
    std::uint64_t resource_hash = 0;
};

/// Payloads shorter than this are not worth a reference.
inline constexpr std::size_t kMinDedupedPayload = 64;

/// Encodes spans into out, one element each. Elements already in out are overwritten in place, so a
/// vector reused from request to request keeps its strings' storage.
void encodeSpans(std::span<const core::Span> spans, std::vector<EncodedSpan> &out);

/// Rebuilds the full attribute list from the stored JSON and payload_refs.
void restoreAttributes(
    std::string_view attributesJson, std::string_view payloadRefs, const core::Span &span, core::Attributes &out);

} // namespace agentops::store
