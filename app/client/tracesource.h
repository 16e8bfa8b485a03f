// SPDX-License-Identifier: MIT
#pragma once

#include "store/metrics.h"
#include "store/tracestore.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace agentops::client {

/// Where the desktop app reads traces from: the embedded store (LocalSource) or a team server over
/// HTTP (RemoteSource). Calls block and are thread-safe: the UI makes them from worker threads
/// (TraceSourceRunner), never from the GUI thread. Errors are thrown as SourceError.
class TraceSource
{
public:
    virtual ~TraceSource() = default;

    /// Shown in the UI: "Local" or the server's address.
    virtual QString displayName() const = 0;

    virtual store::TracePage listTraces(const store::TraceQuery &query) = 0;
    /// A big trace comes back narrow (TraceDetail::complete false): fetch a span's details with span().
    virtual std::shared_ptr<const store::TraceDetail> trace(const core::TraceId &id) = 0;
    virtual std::optional<core::Span> span(const core::TraceId &traceId, const core::SpanId &spanId) = 0;
    virtual store::SessionPage listSessions(const store::SessionQuery &query) = 0;
    virtual std::vector<core::TraceSummary> sessionTraces(const std::string &sessionId) = 0;
    /// Dashboard figures for a time range (buckets, percentiles, top lists, error groups).
    virtual store::MetricsResult metrics(const store::MetricsQuery &query) = 0;

    /// Grows whenever new data may be there to read; the UI polls it to refresh live.
    virtual std::uint64_t changeCounter() const = 0;
};

/// A failure the UI shows to the user (store error, bad query, unreachable server). The kind lets the
/// UI react: ask to sign in again, show an offline banner and retry, or just show the message.
class SourceError : public std::runtime_error
{
public:
    enum class Kind {
        Other, ///< a bad query, a local database error
        Offline, ///< the server cannot be reached (DNS, refused, timeout, TLS failure)
        Unauthorized, ///< 401: the session expired or was revoked, or the key is wrong
        Forbidden, ///< 403: signed in, but no access to this project
        Server, ///< 5xx, or an answer that cannot be read
        Cancelled, ///< the caller cancelled the request
    };
    explicit SourceError(const std::string &message, Kind kind = Kind::Other)
        : std::runtime_error(message)
        , m_kind(kind)
    { }
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

} // namespace agentops::client
