// SPDX-License-Identifier: MIT
#pragma once
// The columns of the rollup tables' rows (span_rollup, error_rollup), in the order both stores'
// statements list them, through a row sink (rowsink.h): the key columns, then the sums.

#include "store/rollup.h"
#include "store/rowsink.h"

#include <cstdint>
#include <string_view>

namespace agentops::store::rollup {

/// span_rollup's key: res (in seconds), t, kind, model, service, agent.
template<RowSink Row>
void spanKeyColumns(Row &row, const SpanKey &k)
{
    row.i64(k.res / kSecondNs);
    row.i64(k.t);
    row.i64(k.kind);
    row.text(k.model);
    row.text(k.service);
    row.text(k.agent);
}

/// span_rollup's sums, each times sign (-1: what to take away), and the latency histogram as given
/// (encoded): spans, error_spans, tok_input, tok_output, tok_cache_read, tok_cache_write,
/// tok_reasoning, cost_usd, unpriced_spans, latency, priced_spans.
template<RowSink Row>
void spanSumColumns(Row &row, const SpanAgg &a, std::string_view latency, int sign = 1)
{
    row.i64(sign * a.spans);
    row.i64(sign * a.errors);
    row.i64(sign * a.usage.input);
    row.i64(sign * a.usage.output);
    row.i64(sign * a.usage.cache_read);
    row.i64(sign * a.usage.cache_write);
    row.i64(sign * a.usage.reasoning);
    row.dbl(sign * a.usage.cost_usd);
    row.i64(sign * a.usage.unpriced_spans);
    row.bytes(latency.data(), latency.size());
    row.i64(sign * a.usage.priced_spans);
}

/// error_rollup's key: res (in seconds), t, name, message, service, model.
template<RowSink Row>
void errorKeyColumns(Row &row, const ErrorKey &k)
{
    row.i64(k.res / kSecondNs);
    row.i64(k.t);
    row.text(k.name);
    row.text(k.message);
    row.text(k.service);
    row.text(k.model);
}

/// error_rollup's values: count (times sign), last_seen_ns, example_trace.
template<RowSink Row>
void errorValueColumns(Row &row, const ErrorAgg &e, int sign = 1)
{
    row.i64(sign * e.count);
    row.i64(e.last_seen);
    row.bytes(e.example.data(), e.example.size());
}

} // namespace agentops::store::rollup
