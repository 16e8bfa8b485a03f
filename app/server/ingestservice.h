// SPDX-License-Identifier: MIT
#pragma once

#include "core/scratchpool.h"
#include "ingest/decode.h"
#include "ingest/redaction.h"
#include "ingest/valuelimits.h"
#include "server/access.h"
#include "server/log.h"
#include "server/prometheus.h"
#include "server/ratelimiter.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentops::server {

/// What became of one ingest request, in terms every transport can answer in: an HTTP status, a
/// google.rpc code (OTLP/HTTP's Status body, or a gRPC status), a message, and on success OTLP's
/// partial success (spans rejected and why).
struct IngestOutcome
{
    int status = 200; ///< HTTP status
    int rpc_code = 0; ///< google.rpc.Code: 0 OK, 3 INVALID_ARGUMENT, 7 PERMISSION_DENIED,
                      ///< 8 RESOURCE_EXHAUSTED, 14 UNAVAILABLE, 16 UNAUTHENTICATED
    std::string code; ///< the JSON error code ("invalid_argument", "unavailable", ...)
    std::string message;
    std::int64_t retry_after = 0; ///< seconds; a retryable refusal (429, 503) says when to retry
    /// Refused before or while the body was read: an HTTP connection must not be reused.
    bool close = false;
    std::size_t accepted = 0; ///< spans committed
    std::size_t rejected = 0; ///< spans refused by validation (partial success)
    bool all_rejected = false; ///< every span was refused (400)
    std::vector<ingest::DecodeError> errors; ///< the first rejections, each naming its field
    std::string errors_text; ///< them as one "; "-joined message, "and N more" at the end
    bool ok() const { return status == 200; }

    /// A refusal: @p status (HTTP), @p rpc (google.rpc.Code), the JSON error @p code and a message.
    static IngestOutcome refusal(
        int status, int rpc, std::string code, std::string message, std::int64_t retryAfter = 0)
    {
        IngestOutcome out;
        out.status = status;
        out.rpc_code = rpc;
        out.code = std::move(code);
        out.message = std::move(message);
        out.retry_after = retryAfter;
        return out;
    }
};

/// The ingest entry point every receiver shares: API key -> project (Access), rate limits,
/// Content-Encoding undone under the size limits, decoding (OTLP protobuf or JSON, the native JSON
/// batch), validation, the ingest pipeline, and the answer only after the commit. OTLP/HTTP and the
/// native API call admit() before reading a body and receive() after; a receiver that has the whole
/// request at once (OTLP/gRPC) calls exportTraces(). Thread-safe; receive() blocks until the spans
/// are committed or refused.
class IngestService
{
public:
    enum class Format { OtlpProtobuf, OtlpJson, Native };

    struct Options
    {
        std::size_t max_body_bytes = 16u << 20; ///< as received, before Content-Encoding is undone
        std::size_t max_decompressed_bytes = 64u << 20;
        int retry_after_seconds = 1;
        int fault_unavailable = 0; ///< answer this many requests with 503 (tests of client retries)
        /// Values (attributes, payloads, names, messages) longer than this are stored cut, with a
        /// marker (ingest/valuelimits.h); 0: no limit.
        std::size_t max_value_bytes = ingest::kDefaultMaxValueBytes;
        /// Applied to every span while it is decoded, before anything is derived from it or
        /// stored; each replacement counted in agentops_redactions_total{rule}. Null: none.
        std::shared_ptr<const ingest::Redactor> redactor;
    };

    /// clientLimiter: the per-client-address bucket; exportTraces() takes from it (the HTTP server
    /// takes from it for every route before routing).
    IngestService(Access &access, RateLimiter &clientLimiter, prom::Registry &metrics, Log &log, Options options);

    struct Admission
    {
        std::optional<Scope> scope; ///< empty: refused, see refusal
        IngestOutcome refusal;
    };
    /// Before the body is read: is the Content-Encoding one this server undoes, may the credential
    /// (API key; ignored in open mode) write, and where to. An unauthenticated client costs no
    /// decoding.
    Admission admit(
        const std::string &credential, const std::optional<std::string> &project, std::string_view contentEncoding);

    /// The body was larger on the wire than max_body_bytes (declared: its Content-Length, when it
    /// was refused before reading), or did not arrive whole.
    IngestOutcome bodyTooLarge(std::optional<std::uint64_t> declared);
    IngestOutcome bodyIncomplete();

    /// The body as received: Content-Encoding undone within the limits, decoded, validated, stored;
    /// returns after the commit (or the refusal).
    IngestOutcome receive(const Scope &scope, std::string_view body, std::string_view contentEncoding, Format format);

    struct Request
    {
        std::string credential; ///< the API key (team mode)
        std::string client_address; ///< for the per-client rate limit
        std::optional<std::string> project;
        std::string_view body; ///< as received
        std::string content_encoding; ///< "", "identity", "gzip", "x-gzip" or "deflate"
        Format format = Format::OtlpProtobuf;
        /// The transport undid its own compression (gRPC's grpc-encoding) and limited the compressed
        /// size itself: only max_decompressed_bytes applies to body.
        bool transport_decompressed = false;
    };
    /// admit() and receive() for a transport that has the whole request at once, after the
    /// per-client rate limit.
    IngestOutcome exportTraces(const Request &request);

    /// An ingest request refused before it reached the service (rate limit at the HTTP layer), for
    /// agentops_rejected_ingest_requests_total.
    void countRefusedRequest(const std::string &reason);

    /// Replacements per redaction rule so far (rule name, count), in the redactor's rule order.
    std::vector<std::pair<std::string, std::uint64_t>> redactionCounts() const;
    /// Adds replacements made by the same rules outside this service (a file imported by the desktop
    /// app) to agentops_redactions_total. False when no rule of this service's redactor has the name.
    bool countRedactions(std::string_view rule, std::uint64_t replacements);

private:
    IngestOutcome refuse(int status, int rpc, std::string code, std::string message, const char *reason);
    IngestOutcome receiveChecked(
        const Scope &scope, std::string_view body, std::string_view contentEncoding, Format format, bool wireLimit);
    IngestOutcome decodeAndStore(const Scope &scope, std::string_view body, Format format);
    IngestOutcome store(store::IngestPipeline &pipeline, ingest::DecodeResult &decoded);
    prom::Counter &rejectedSpans(const std::string &reason);

    Access &m_access;
    RateLimiter &m_clientLimiter;
    prom::Registry &m_metrics;
    Log &m_log;
    Options m_options;
    prom::Counter *m_ingestedSpans;
    prom::Counter *m_truncatedValues;
    std::vector<prom::Counter *> m_redactions; ///< per rule of m_options.redactor
    std::atomic<int> m_faultsLeft;
    /// Decoded requests, reused by one ingest request after another: spans decoded into a reused
    /// result keep the storage of the ones before (DecodeResult::clear bounds it).
    core::ScratchPool<ingest::DecodeResult> m_decoded { 8, [](ingest::DecodeResult &d) { d.clear(); } };
};

/// Maps an AuthError's status to google.rpc codes: UNAUTHENTICATED, RESOURCE_EXHAUSTED,
/// UNAVAILABLE, INVALID_ARGUMENT, PERMISSION_DENIED.
int rpcCodeFor(int httpStatus);

} // namespace agentops::server
