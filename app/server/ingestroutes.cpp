// SPDX-License-Identifier: MIT
// POST /v1/traces (OTLP/HTTP, protobuf or JSON) and POST /api/v1/ingest (the native JSON batch):
// HTTP around IngestService, which does the work for every transport.
#include "core/span.h"
#include "core/spanjson.h"
#include "server/apiserver.h"
#include "server/routeutil.h"

namespace agentops::server {

namespace {

/// What the admit step hands to the handler.
struct IngestState
{
    Scope scope;
    Encoding encoding;
};

/// What every ingest answer carries whatever its format: the counts for the access log, whether the
/// connection ends, Retry-After, and the Bearer challenge of a 401.
void writeCommon(Response &res, const IngestOutcome &o)
{
    res.spans = o.ok() ? static_cast<long long>(o.accepted) : -1;
    if (!o.ok() || o.rejected > 0)
        res.rejected = static_cast<long long>(o.rejected);
    if (o.close)
        res.close = true;
    if (o.retry_after > 0)
        res.setHeader("Retry-After", std::to_string(o.retry_after));
    if (o.status == 401)
        res.setHeader("WWW-Authenticate", "Bearer realm=\"agentops\"");
}

/// OTLP's answer: ExportTraceServiceResponse (partial success when spans were rejected) or
/// google.rpc.Status, in the request's encoding.
void writeOtlp(Response &res, Encoding enc, const IngestOutcome &o)
{
    writeCommon(res, o);
    if (!o.ok()) {
        const std::string message = o.all_rejected ? o.message + ": " + o.errors_text : o.message;
        setOtlpError(res, enc, o.status, o.rpc_code, o.code, message);
        return;
    }
    res.status = 200;
    if (enc == Encoding::Protobuf) {
        std::string out;
        if (o.rejected > 0) {
            std::string partial;
            appendVarint(partial, 1 << 3 | 0);
            appendVarint(partial, o.rejected);
            appendLengthDelimited(partial, 2, o.errors_text);
            appendLengthDelimited(out, 1, partial);
        }
        res.setContent(std::move(out), "application/x-protobuf");
        return;
    }
    std::string out = "{}";
    if (o.rejected > 0) {
        out = "{\"partialSuccess\":{\"rejectedSpans\":\"" + std::to_string(o.rejected) + "\",\"errorMessage\":";
        core::appendJsonString(out, o.errors_text);
        out += "}}";
    }
    res.setContent(std::move(out), "application/json");
}

/// The native API's answer: {"accepted","rejected","errors":[{"path","message"}]} or an error
/// object (with every per-span error as "details" when all spans were rejected).
void writeNative(Response &res, const IngestOutcome &o)
{
    writeCommon(res, o);
    std::string errors = "[";
    for (std::size_t i = 0; i < o.errors.size(); ++i) {
        if (i)
            errors += ',';
        errors += "{\"path\":";
        core::appendJsonString(errors, o.errors[i].path);
        errors += ",\"message\":";
        core::appendJsonString(errors, o.errors[i].message);
        errors += '}';
    }
    errors += ']';
    if (!o.ok()) {
        const bool allRejected = o.all_rejected;
        std::string msg = o.message;
        if (allRejected && !o.errors.empty())
            msg += ": " + o.errors.front().toString();
        setJsonError(res, o.status, o.code, msg);
        // Keep every per-span error in the body, next to the summary message.
        if (allRejected)
            res.body.insert(res.body.size() - 2, ",\"details\":" + errors);
        return;
    }
    setJson(res,
        "{\"accepted\":" + std::to_string(o.accepted) + ",\"rejected\":" + std::to_string(o.rejected)
            + ",\"errors\":" + errors + "}");
}

} // namespace

void ApiServer::admitOtlp(Request &req, Response &res)
{
    const std::string type = mediaType(req);
    Encoding enc;
    if (type == "application/x-protobuf" || type == "application/protobuf")
        enc = Encoding::Protobuf;
    else if (type == "application/json")
        enc = Encoding::Json;
    else {
        res.close = true;
        setJsonError(res, 415, "unsupported_media_type",
            "Content-Type '" + type + "' is not supported; OTLP/HTTP uses application/x-protobuf or application/json");
        return;
    }
    auto admission = m_ingest->admit(bearerToken(req), projectParam(req), req.header("Content-Encoding"));
    if (!admission.scope)
        return writeOtlp(res, enc, admission.refusal);
    req.state = IngestState { *admission.scope, enc };
}

void ApiServer::admitNative(Request &req, Response &res)
{
    if (mediaType(req) != "application/json") {
        res.close = true;
        setJsonError(res, 415, "unsupported_media_type",
            "Content-Type '" + mediaType(req) + "' is not supported; the native ingest API takes application/json");
        return;
    }
    auto admission = m_ingest->admit(bearerToken(req), projectParam(req), req.header("Content-Encoding"));
    if (!admission.scope)
        return writeNative(res, admission.refusal);
    req.state = IngestState { *admission.scope, Encoding::Json };
}

namespace {

/// The service's verdict on a body the HTTP layer could not take whole; nullopt when it is whole.
std::optional<IngestOutcome> bodyRefusal(IngestService &ingest, const Request &req)
{
    if (req.body_status == http::BodyStatus::TooLarge) {
        std::int64_t declared = 0;
        const bool hasLength = req.hasHeader("Content-Length") && parseInt64(req.header("Content-Length"), declared);
        return ingest.bodyTooLarge(hasLength ? std::optional<std::uint64_t>(declared) : std::nullopt);
    }
    if (req.body_status == http::BodyStatus::Incomplete)
        return ingest.bodyIncomplete();
    return std::nullopt;
}

} // namespace

void ApiServer::otlpIngest(Request &req, Response &res)
{
    const auto &state = std::any_cast<const IngestState &>(req.state);
    if (auto refusal = bodyRefusal(*m_ingest, req))
        return writeOtlp(res, state.encoding, *refusal);
    const auto outcome = m_ingest->receive(state.scope, req.body, req.header("Content-Encoding"),
        state.encoding == Encoding::Protobuf ? IngestService::Format::OtlpProtobuf : IngestService::Format::OtlpJson);
    writeOtlp(res, state.encoding, outcome);
}

void ApiServer::nativeIngest(Request &req, Response &res)
{
    const auto &state = std::any_cast<const IngestState &>(req.state);
    if (auto refusal = bodyRefusal(*m_ingest, req))
        return writeNative(res, *refusal);
    writeNative(
        res, m_ingest->receive(state.scope, req.body, req.header("Content-Encoding"), IngestService::Format::Native));
}

} // namespace agentops::server
