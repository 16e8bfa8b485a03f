// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace agentops::ingest {

class Redactor;

/// What a decoder refused, named by where it sits in the request: one rejected span, e.g. path
/// "resourceSpans[0].scopeSpans[1].spans[3].traceId", message "must be 16 bytes"; or a body that
/// cannot be decoded at all (not protobuf, not JSON, wrong top-level shape), path "" for the whole
/// body.
struct DecodeError
{
    std::string path;
    std::string message;
    std::string toString() const { return path.empty() ? message : path + ": " + message; }
};

/// What a decoder made of one request body. Good spans are kept even where others were rejected
/// (OTLP partial success); every span comes out normalized (core::normalizeSpan).
///
/// A result can be decoded into again and again: clear() keeps the storage of the spans it held (their
/// strings and attribute lists, up to kKeptSpanBytes in all) and addSpan() hands it out again, so a
/// server that decodes request after request into one result allocates next to nothing per span.
struct DecodeResult
{
    std::vector<core::Span> spans;
    std::vector<DecodeError> errors; ///< one per rejected span (capped; see rejected for the count)
    std::size_t rejected = 0; ///< spans rejected in all
    /// Set by the caller before decoding (clear() keeps it): every accepted span is redacted with it
    /// before it is normalized, so that nothing derived from a value holds what was redacted.
    const Redactor *redactor = nullptr;
    /// Replacements per rule of redactor (Redactor::ruleNames() order) in the spans decoded.
    std::vector<std::uint64_t> redactions;

    /// Empties the result, keeping span storage for addSpan() within kKeptSpans and kKeptSpanBytes.
    /// The content of the spans stays in that storage, in this process's memory, until overwritten.
    void clear() noexcept;
    /// Appends a span to spans and returns it. Every field is as in a default span except attributes:
    /// it still holds the elements of the span whose storage is reused, for the decoder to overwrite
    /// element by element, dropping the surplus at the end.
    core::Span &addSpan();
    /// Removes the span addSpan() returned last (the decoder rejected it).
    void dropLastSpan();

    /// The most storage clear() keeps for reuse: strings, attribute lists and the span vectors.
    static constexpr std::size_t kKeptSpanBytes = 8u << 20;
    /// A request of more spans than this leaves no storage behind at all.
    static constexpr std::size_t kKeptSpans = 2048;

private:
    void keepStorage();
    void release() noexcept;
    /// Counts the storage of the spans not counted yet.
    void countStorage();
    std::vector<std::size_t> m_counted; ///< storage of spans[i], for every i counted so far
    std::vector<core::Span> m_spare; ///< handed out by addSpan() from m_nextSpare on
    std::vector<std::size_t> m_spareBytes; ///< storage of m_spare[i]
    std::size_t m_nextSpare = 0;
};

/// The most per-span errors a result keeps (the count in rejected goes on).
inline constexpr std::size_t kMaxReportedErrors = 20;

} // namespace agentops::ingest
