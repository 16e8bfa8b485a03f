// SPDX-License-Identifier: MIT
#include "client/localsource.h"

#include <QCoreApplication>

namespace agentops::client {

LocalSource::LocalSource(store::TraceStore &store, const store::IngestPipeline *pipeline)
    : m_store(store)
    , m_pipeline(pipeline)
{ }

QString LocalSource::displayName() const
{
    return QCoreApplication::translate("LocalSource", "Local");
}

template<typename F>
static auto translateErrors(F &&f)
{
    try {
        return f();
    } catch (const store::QueryError &e) {
        throw SourceError(e.what());
    } catch (const store::StoreError &e) {
        throw SourceError(std::string("local database: ") + e.what());
    }
}

store::TracePage LocalSource::listTraces(const store::TraceQuery &query)
{
    return translateErrors([&] { return m_store.listTraces(query); });
}

std::shared_ptr<const store::TraceDetail> LocalSource::trace(const core::TraceId &id)
{
    return translateErrors([&]() -> std::shared_ptr<const store::TraceDetail> {
        auto detail = m_store.trace(id, store::TraceLoad::Slim);
        if (!detail)
            return nullptr;
        return std::make_shared<const store::TraceDetail>(std::move(*detail));
    });
}

std::optional<core::Span> LocalSource::span(const core::TraceId &traceId, const core::SpanId &spanId)
{
    return translateErrors([&] { return m_store.span(traceId, spanId); });
}

store::SessionPage LocalSource::listSessions(const store::SessionQuery &query)
{
    return translateErrors([&] { return m_store.listSessions(query); });
}

std::vector<core::TraceSummary> LocalSource::sessionTraces(const std::string &sessionId)
{
    return translateErrors([&] { return m_store.sessionTraces(sessionId); });
}

store::MetricsResult LocalSource::metrics(const store::MetricsQuery &query)
{
    return translateErrors([&] { return m_store.metrics(query); });
}

std::uint64_t LocalSource::changeCounter() const
{
    if (!m_pipeline)
        return 0;
    const auto c = m_pipeline->counters();
    return c.commits;
}

} // namespace agentops::client
