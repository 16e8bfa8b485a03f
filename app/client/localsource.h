// SPDX-License-Identifier: MIT
#pragma once

#include "client/tracesource.h"
#include "store/ingestpipeline.h"

#include <atomic>

namespace agentops::client {

/// Reads the embedded store directly, with no HTTP hop. The change counter follows the commits of
/// the ingest pipeline that writes into the same store.
class LocalSource final : public TraceSource
{
public:
    LocalSource(store::TraceStore &store, const store::IngestPipeline *pipeline);

    QString displayName() const override;
    store::TracePage listTraces(const store::TraceQuery &query) override;
    std::shared_ptr<const store::TraceDetail> trace(const core::TraceId &id) override;
    std::optional<core::Span> span(const core::TraceId &traceId, const core::SpanId &spanId) override;
    store::SessionPage listSessions(const store::SessionQuery &query) override;
    std::vector<core::TraceSummary> sessionTraces(const std::string &sessionId) override;
    store::MetricsResult metrics(const store::MetricsQuery &query) override;
    std::uint64_t changeCounter() const override;

private:
    store::TraceStore &m_store;
    const store::IngestPipeline *m_pipeline;
};

} // namespace agentops::client
