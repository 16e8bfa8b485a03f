// SPDX-License-Identifier: MIT
#pragma once
// The columns of a span's row, in the order both stores' span inserts list them, through a row sink
// (rowsink.h).

#include "store/encodedspan.h"
#include "store/rowsink.h"

#include <cstddef>
#include <cstdint>
#include <span>

namespace agentops::store {

/// How many spans a write batch holds.
inline std::size_t batchSpans(std::span<const std::span<const EncodedSpan>> chunks)
{
    std::size_t n = 0;
    for (const auto &chunk : chunks)
        n += chunk.size();
    return n;
}

/// The value of the dropped column: the counts of dropped attributes, events and links, 21 bits each.
inline std::int64_t packDropped(const core::Span &s)
{
    return std::int64_t(s.dropped_attributes) | std::int64_t(s.dropped_events) << 21
        | std::int64_t(s.dropped_links) << 42;
}

/// The 37 columns of a span's row: trace_id, span_id, parent_span_id, trace_state, name, kind,
/// otel_kind, start_ns, end_ns, status, status_message, service, scope_name, scope_version,
/// request_model, response_model, provider, tok_input, tok_output, tok_total, tok_cache_read,
/// tok_cache_write, tok_reasoning, cost_usd, price_ref, session_id, user_id, input, output,
/// attributes, events, links, resource_id, dropped, agent_name, tool_name, payload_refs. Text that is
/// empty is stored as NULL, but for the name and the attributes.
template<RowSink Row>
void spanColumns(Row &row, const EncodedSpan &e, std::int64_t resourceId)
{
    const core::Span &s = *e.span;
    row.bytes(s.trace_id.data(), s.trace_id.size());
    row.bytes(s.span_id.data(), s.span_id.size());
    if (s.isRoot())
        row.null();
    else
        row.bytes(s.parent_span_id.data(), s.parent_span_id.size());
    row.textOrNull(s.trace_state);
    row.text(s.name);
    row.i64(static_cast<int>(s.kind));
    row.i64(static_cast<int>(s.otel_kind));
    row.i64(s.start_ns);
    row.i64(s.end_ns);
    row.i64(static_cast<int>(s.status));
    row.textOrNull(s.status_message);
    row.textOrNull(s.service_name);
    row.textOrNull(s.scope_name);
    row.textOrNull(s.scope_version);
    row.textOrNull(s.request_model);
    row.textOrNull(s.response_model);
    row.textOrNull(s.provider);
    row.optI64(s.tokens.input);
    row.optI64(s.tokens.output);
    row.optI64(s.tokens.total);
    row.optI64(s.tokens.cache_read);
    row.optI64(s.tokens.cache_write);
    row.optI64(s.tokens.reasoning);
    row.optDbl(s.cost_usd);
    row.textOrNull(s.price_ref);
    row.textOrNull(s.session_id);
    row.textOrNull(s.user_id);
    row.textOrNull(s.input);
    row.textOrNull(s.output);
    row.text(e.attributes);
    row.textOrNull(e.events);
    row.textOrNull(e.links);
    row.i64(resourceId);
    if (const std::int64_t dropped = packDropped(s))
        row.i64(dropped);
    else
        row.null();
    row.textOrNull(s.agent_name);
    row.textOrNull(s.tool_name);
    row.textOrNull(e.payload_refs);
}

} // namespace agentops::store
