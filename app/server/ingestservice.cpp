// SPDX-License-Identifier: MIT
#include "server/ingestservice.h"

#include "core/span.h"
#include "server/bodyreader.h"

#include <utility>

namespace agentops::server {

namespace {

bool isGzip(std::string_view encoding)
{
    return encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate";
}

} // namespace

int rpcCodeFor(int httpStatus)
{
    return httpStatus == 401 ? 16 : httpStatus == 429 ? 8 : httpStatus == 503 ? 14 : 7;
}

IngestService::IngestService(
    Access &access, RateLimiter &clientLimiter, prom::Registry &metrics, Log &log, Options options)
    : m_access(access)
    , m_clientLimiter(clientLimiter)
    , m_metrics(metrics)
    , m_log(log)
    , m_options(std::move(options))
    , m_ingestedSpans(&metrics.counter(
          "agentops_ingested_spans_total", "Spans accepted and committed (a retried span is stored once)."))
    , m_truncatedValues(&metrics.counter("agentops_truncated_values_total",
          "Values (attributes, payloads, names, messages) stored cut because they were longer than "
          "--max-value-bytes."))
    , m_faultsLeft(options.fault_unavailable)
{
    // Every rule's series from the start, at 0: a rule that never matched shows so.
    if (m_options.redactor)
        for (const std::string &rule : m_options.redactor->ruleNames())
            m_redactions.push_back(&metrics.counter("agentops_redactions_total",
                "Values replaced at ingest by a redaction rule, by rule (built-in pattern or the rules "
                "file's name).",
                { { "rule", rule } }));
}

std::vector<std::pair<std::string, std::uint64_t>> IngestService::redactionCounts() const
{
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < m_redactions.size(); ++i)
        out.emplace_back(m_options.redactor->ruleNames()[i], static_cast<std::uint64_t>(m_redactions[i]->value()));
    return out;
}

bool IngestService::countRedactions(std::string_view rule, std::uint64_t replacements)
{
    for (std::size_t i = 0; i < m_redactions.size(); ++i)
        if (m_options.redactor->ruleNames()[i] == rule) {
            m_redactions[i]->inc(replacements);
            return true;
        }
    return false;
}

prom::Counter &IngestService::rejectedSpans(const std::string &reason)
{
    return m_metrics.counter("agentops_rejected_spans_total",
        "Spans not stored, by reason: invalid (failed validation), queue_full, store_failed, shutting_down.",
        { { "reason", reason } });
}

void IngestService::countRefusedRequest(const std::string &reason)
{
    m_metrics
        .counter("agentops_rejected_ingest_requests_total",
            "Ingest requests refused before their spans were read, by reason: unauthorized, forbidden, "
            "rate_limited, too_large, bad_encoding, unsupported_media_type, unreadable.",
            { { "reason", reason } })
        .inc();
}

IngestOutcome IngestService::refuse(int status, int rpc, std::string code, std::string message, const char *reason)
{
    if (reason)
        countRefusedRequest(reason);
    IngestOutcome out = IngestOutcome::refusal(status, rpc, std::move(code), std::move(message));
    out.close = true;
    return out;
}

IngestService::Admission IngestService::admit(
    const std::string &credential, const std::optional<std::string> &project, std::string_view contentEncoding)
{
    Admission a;
    AuthError refusal {};
    try {
        a.scope.emplace(m_access.resolve(credential, project, true));
    } catch (const std::exception &e) {
        // The account or project store failed: retryable, and the detail stays in the log.
        m_log.error("ingest: account or project store failed", { { "error", Log::str(e.what()) } });
        refusal = AuthError { 503, "unavailable", "the server's database is unavailable; retry later",
            m_options.retry_after_seconds };
        countRefusedRequest("store_failed");
    } catch (const AuthError &e) {
        refusal = e;
        countRefusedRequest(e.code);
    }
    if (!a.scope) {
        a.refusal = refuse(refusal.status, rpcCodeFor(refusal.status), refusal.code, refusal.message, nullptr);
        a.refusal.retry_after = refusal.retry_after;
        return a;
    }
    const std::string encoding = core::asciiLower(contentEncoding);
    if (!isGzip(encoding) && !encoding.empty() && encoding != "identity") {
        a.scope.reset();
        a.refusal = refuse(415, 3, "unsupported_media_type",
            "Content-Encoding '" + encoding + "' is not supported (use gzip or none)", "unsupported_media_type");
    }
    return a;
}

IngestOutcome IngestService::bodyTooLarge(std::optional<std::uint64_t> declared)
{
    if (declared)
        return refuse(413, 8, "payload_too_large",
            "request body of " + std::to_string(*declared) + " bytes exceeds the limit of "
                + formatSize(m_options.max_body_bytes),
            "too_large");
    return refuse(413, 8, "payload_too_large",
        "request body exceeds the limit of " + formatSize(m_options.max_body_bytes), "too_large");
}

IngestOutcome IngestService::bodyIncomplete()
{
    return refuse(400, 3, "invalid_argument", "request body could not be read completely", "unreadable");
}

IngestOutcome IngestService::receive(
    const Scope &scope, std::string_view body, std::string_view contentEncoding, Format format)
{
    return receiveChecked(scope, body, contentEncoding, format, true);
}

IngestOutcome IngestService::receiveChecked(
    const Scope &scope, std::string_view body, std::string_view contentEncoding, Format format, bool wireLimit)
{
    if (wireLimit && body.size() > m_options.max_body_bytes)
        return bodyTooLarge(std::nullopt);
    const bool gzip = isGzip(core::asciiLower(contentEncoding));
    std::optional<BodyReader> inflated;
    if (gzip) {
        inflated.emplace(m_options.max_body_bytes, m_options.max_decompressed_bytes, true);
        inflated->feed(body);
        switch (inflated->finish()) {
        case BodyStatus::Ok: break;
        case BodyStatus::TooLargeWire: return bodyTooLarge(std::nullopt);
        case BodyStatus::TooLargeDecompressed:
            return refuse(413, 8, "payload_too_large",
                "decompressed request body exceeds the limit of " + formatSize(m_options.max_decompressed_bytes),
                "too_large");
        case BodyStatus::BadEncoding:
        case BodyStatus::ReadFailed:
            return refuse(
                400, 3, "invalid_argument", "body is not valid gzip data (Content-Encoding: gzip)", "unreadable");
        }
        body = inflated->body();
    } else if (body.size() > m_options.max_decompressed_bytes) {
        return refuse(413, 8, "payload_too_large",
            "decompressed request body exceeds the limit of " + formatSize(m_options.max_decompressed_bytes),
            "too_large");
    }
    if (m_faultsLeft.load() > 0 && m_faultsLeft.fetch_sub(1) > 0) {
        auto out = refuse(503, 14, "unavailable", "server is unavailable (injected fault); retry later", "unavailable");
        out.retry_after = m_options.retry_after_seconds;
        out.close = false;
        return out;
    }
    return decodeAndStore(scope, body, format);
}

IngestOutcome IngestService::decodeAndStore(const Scope &scope, std::string_view body, Format format)
{
    const auto lease = m_decoded.take();
    ingest::DecodeResult &decoded = *lease;
    ingest::DecodeError fatal;
    decoded.redactor = m_options.redactor.get();
    const bool ok = format == Format::Native
        ? ingest::decodeNativeBatch(body, decoded, fatal)
        : ingest::decodeOtlpTraces(body,
            format == Format::OtlpProtobuf ? ingest::OtlpEncoding::Protobuf : ingest::OtlpEncoding::Json, decoded,
            fatal);
    if (!ok) {
        IngestOutcome out = refuse(400, 3, "invalid_argument", fatal.toString(), nullptr);
        out.close = false;
        return out;
    }
    IngestOutcome out;
    out.rejected = decoded.rejected;
    out.errors = decoded.errors;
    if (decoded.rejected > 0)
        rejectedSpans("invalid").inc(decoded.rejected);
    for (const auto &e : decoded.errors)
        out.errors_text += (out.errors_text.empty() ? "" : "; ") + e.toString();
    if (decoded.rejected > decoded.errors.size())
        out.errors_text += "; and " + std::to_string(decoded.rejected - decoded.errors.size()) + " more";
    if (decoded.spans.empty() && decoded.rejected > 0) {
        out.status = 400;
        out.rpc_code = 3;
        out.code = "invalid_argument";
        out.message = "all " + std::to_string(decoded.rejected) + " spans were rejected";
        out.all_rejected = true;
        return out;
    }
    for (std::size_t i = 0; i < decoded.redactions.size() && i < m_redactions.size(); ++i)
        if (decoded.redactions[i] > 0)
            m_redactions[i]->inc(decoded.redactions[i]);
    if (const std::size_t cut = ingest::limitValueSizes(decoded.spans, m_options.max_value_bytes))
        m_truncatedValues->inc(cut);
    IngestOutcome stored = store(scope.pipeline, decoded);
    stored.rejected = out.rejected;
    stored.errors = std::move(out.errors);
    stored.errors_text = std::move(out.errors_text);
    return stored;
}

IngestOutcome IngestService::store(store::IngestPipeline &pipeline, ingest::DecodeResult &decoded)
{
    const std::size_t n = decoded.spans.size();
    const auto result = pipeline.submit(decoded.spans);
    IngestOutcome out;
    auto unavailable = [&](std::string msg) {
        out.status = 503;
        out.rpc_code = 14;
        out.code = "unavailable";
        out.message = std::move(msg);
        out.retry_after = m_options.retry_after_seconds;
        return out;
    };
    switch (result.outcome) {
    case store::IngestPipeline::Outcome::Committed:
        out.accepted = n;
        m_ingestedSpans->inc(n);
        return out;
    case store::IngestPipeline::Outcome::QueueFull:
        rejectedSpans("queue_full").inc(n);
        return unavailable("ingest queue is full; retry after " + std::to_string(m_options.retry_after_seconds) + " s");
    case store::IngestPipeline::Outcome::Stopped:
        rejectedSpans("shutting_down").inc(n);
        return unavailable("server is shutting down");
    case store::IngestPipeline::Outcome::StoreFailed:
        rejectedSpans("store_failed").inc(n);
        m_log.error("store write failed", { { "error", Log::str(result.error) } });
        return unavailable("spans could not be stored: " + result.error);
    }
    return unavailable("spans could not be stored");
}

IngestOutcome IngestService::exportTraces(const Request &request)
{
    if (const auto d = m_clientLimiter.take("ip:" + request.client_address); !d) {
        countRefusedRequest("rate_limited");
        const AuthError e = rateLimited("client address", d);
        IngestOutcome out = refuse(e.status, rpcCodeFor(e.status), e.code, e.message, nullptr);
        out.retry_after = e.retry_after;
        return out;
    }
    const auto admission = admit(request.credential, request.project, request.content_encoding);
    if (!admission.scope)
        return admission.refusal;
    return receiveChecked(
        *admission.scope, request.body, request.content_encoding, request.format, !request.transport_decompressed);
}

} // namespace agentops::server
