// SPDX-License-Identifier: MIT
#include "store/newspans.h"

namespace agentops::store {

void NewSpans::add(const core::Span &s)
{
    rollups.add(s);
    if (!s.reported_tool_results.empty())
        m_calls.push_back(&s);
    // A tool span an earlier batch's model call may have reported failed.
    if (m_anyPending && s.kind == core::SpanKind::Tool && s.status == core::StatusCode::Unset)
        m_lateToolTraces.insert(s.trace_id);
}

const std::vector<const core::Span *> &NewSpans::reportingCalls(PendingReports &pending)
{
    for (const core::TraceId &traceId : m_lateToolTraces)
        for (core::Span &call : pending.take(traceId))
            m_calls.push_back(&m_pendingCalls.emplace_back(std::move(call)));
    m_lateToolTraces.clear();
    return m_calls;
}

} // namespace agentops::store
