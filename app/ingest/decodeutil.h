// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/decode.h"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace agentops::ingest::detail {

/// Deepest JSON nesting a body may have at all. It bounds every recursive walk over a parsed document
/// (serialising payloads, converting values), so no input can exhaust the stack.
inline constexpr std::size_t kMaxJsonDepth = 256;
/// Deepest nesting of arrays and key-value lists inside one attribute value.
inline constexpr int kMaxValueDepth = 32;

/// Runs a decoder with the guarantees every decoder gives: result and fatal start empty, and a
/// failed decode leaves the result empty. Any exception is reported as the client's problem:
/// nothing a client sends may take the server down.
template<typename Decode>
bool guardedDecode(DecodeResult &result, DecodeError &fatal, Decode &&decode)
{
    result.clear();
    fatal = DecodeError {};
    try {
        const bool ok = decode();
        if (!ok)
            result.clear();
        return ok;
    } catch (const std::exception &e) {
        result.clear();
        fatal = DecodeError { {}, std::string("could not decode the body: ") + e.what() };
        return false;
    }
}

/// Standard base64 with padding: the spelling OTLP/JSON uses for bytes.
std::string base64Encode(std::string_view bytes);
/// Accepts the standard and the URL-safe alphabet, with or without padding, as protobuf JSON parsers do.
bool base64Decode(std::string_view text, std::string &out);

/// Appends a double as JSON: shortest round-trip form; NaN and infinities as strings (JSON has none).
void appendJsonDouble(std::string &out, double d);

/// Strict decimal parsing of the whole text (optional leading '-' for signed); nullopt on anything else.
std::optional<std::int64_t> parseInt64(std::string_view text);
std::optional<std::uint64_t> parseUint64(std::string_view text);

/// The message of a JSON library exception without its "[json.exception...]" prefix.
std::string stripJsonExceptionPrefix(std::string_view what);

/// True when the body is empty or only whitespace.
bool isBlank(std::string_view body);

} // namespace agentops::ingest::detail
