// SPDX-License-Identifier: MIT
#pragma once

// Reading an OTLP/JSON ExportTraceServiceRequest as a stream: a file of any size is walked with a
// SAX parser (nlohmann::json's) down to resourceSpans[].scopeSpans[].spans[], and only one resource,
// one scope and one span at a time become a document, which the decoder's own parts (OtlpJsonParts)
// convert. Memory stays within one batch of spans and one span's document, whatever the file's size.

#include "ingest/decode.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <streambuf>
#include <string>
#include <vector>

namespace agentops::ingest {

/// A file read chunk by chunk, which knows the offset of every byte it hands out and can seek back.
/// Between reads it asks `onRead` (given the offset read up to) whether to go on: false ends the
/// stream there, as if the file ended (cancel, a size limit).
class FileChunks : public std::streambuf
{
public:
    /// Takes a file opened for reading (not closed here), positioned at `offset`.
    FileChunks(std::FILE *file, std::uint64_t offset, std::size_t chunk = 1u << 20);

    /// Offset in the file of the next byte to be read.
    std::uint64_t offset() const { return m_base + std::uint64_t(gptr() - eback()); }
    bool seek(std::uint64_t offset);
    /// While on, the stream ends before the next newline (which stays unread): one line of JSON lines
    /// cannot run into the next.
    void setStopAtNewline(bool on);
    enum class Line { Read, TooLong, End };
    /// Reads up to the next newline (consumed, not kept) or the end of the file into `line`. TooLong
    /// when the line holds more than `cap` bytes (then part of it is consumed: seek back to read it
    /// as a stream); End when nothing is left.
    Line readLine(std::string &line, std::size_t cap);
    /// True when the file had a read error (as opposed to its end).
    bool failed() const { return m_failed; }

    std::function<bool(std::uint64_t readUpTo)> onRead;

protected:
    int_type underflow() override;

private:
    void exposeFrom(char *from);

    std::FILE *m_file;
    std::vector<char> m_buffer;
    std::uint64_t m_base; ///< file offset of m_buffer[0]
    std::size_t m_length = 0; ///< valid bytes in m_buffer
    bool m_stopAtNewline = false;
    bool m_failed = false;
};

/// The largest single resource, scope or span (or any other value) a streamed request may hold.
inline constexpr std::uint64_t kMaxStreamedItemBytes = 16u << 20;
/// The most ResourceSpans or ScopeSpans whose spans come before their resource or scope that a
/// request may hold (each needs its resource or scope remembered for a second pass).
inline constexpr std::size_t kMaxDeferredGroups = 10'000;

struct JsonStreamOptions
{
    std::size_t batch_spans = 2000;
    /// Takes the decoded spans (and rejected spans' errors) so far; false stops reading.
    std::function<bool(DecodeResult &)> flush;
    /// True when reading should stop (checked between chunks and spans).
    std::function<bool()> cancelled;
    /// Strict: only white space may follow the request. Otherwise reading stops right after it.
    bool strict = true;
    /// Redacts every span before it is normalized (DecodeResult::redactor); null: none.
    const Redactor *redactor = nullptr;
};

struct JsonStreamResult
{
    enum class End {
        Read, ///< the whole request was read
        Stopped, ///< flush returned false or cancelled() said so
        Failed, ///< the request is unusable from `at` on: see error
    };
    End end = End::Read;
    std::uint64_t at = 0; ///< Failed: file offset where the problem was found
    DecodeError error; ///< Failed: where in the request, and what
    std::uint64_t spans = 0; ///< spans decoded and flushed (rejected ones not counted)
    bool second_pass = false; ///< spans came before their resource or scope: the request was read twice
};

/// Reads one request from the current position of `in`. When some spans come before their resource
/// or scope (allowed: JSON members have no order), those spans are left for a second pass over the
/// same bytes, which then knows the resource and scope; all other spans go out in the first pass.
/// On a failure the spans flushed before it stay flushed.
JsonStreamResult streamOtlpJsonRequest(FileChunks &in, const JsonStreamOptions &options);

} // namespace agentops::ingest
