// SPDX-License-Identifier: MIT
#pragma once

// The store's answers compared field by field, for tests that check an answer travelled (through
// the API's JSON, or over HTTP) without a change. Header-only.

#include "core/span.h"
#include "store/metrics.h"
#include "store/tracestore.h"

#include <string>
#include <vector>

namespace agentops::test {

// Field-by-field comparison; each returns the name of the first field that differs, or "".

#define DIFF(field)                                                                                                    \
    if (!(a.field == b.field))                                                                                         \
        return #field;

inline std::string diffSummary(const core::TraceSummary &a, const core::TraceSummary &b)
{
    DIFF(trace_id)
    DIFF(root_span_id)
    DIFF(name)
    DIFF(service_name)
    DIFF(start_ns)
    DIFF(end_ns)
    DIFF(span_count)
    DIFF(error_count)
    DIFF(input_tokens)
    DIFF(output_tokens)
    DIFF(total_tokens)
    DIFF(cache_read_tokens)
    DIFF(cache_write_tokens)
    DIFF(reasoning_tokens)
    DIFF(cost_usd)
    DIFF(priced_spans)
    DIFF(unpriced_spans)
    DIFF(models)
    DIFF(session_id)
    DIFF(user_id)
    return {};
}

inline std::string diffSpan(const core::Span &a, const core::Span &b)
{
    DIFF(trace_id)
    DIFF(span_id)
    DIFF(parent_span_id)
    DIFF(trace_state)
    DIFF(name)
    DIFF(kind)
    DIFF(otel_kind)
    DIFF(start_ns)
    DIFF(end_ns)
    DIFF(status)
    DIFF(status_message)
    DIFF(service_name)
    DIFF(scope_name)
    DIFF(scope_version)
    DIFF(request_model)
    DIFF(response_model)
    DIFF(provider)
    DIFF(agent_name)
    DIFF(tool_name)
    DIFF(tokens)
    DIFF(cost_usd)
    DIFF(price_ref)
    DIFF(input)
    DIFF(output)
    DIFF(session_id)
    DIFF(user_id)
    DIFF(attributes)
    DIFF(events)
    DIFF(links)
    DIFF(resource)
    DIFF(dropped_attributes)
    DIFF(dropped_events)
    DIFF(dropped_links)
    if (!(a == b))
        return "(another field)";
    return {};
}

inline std::string diffBucket(const store::MetricsBucket &a, const store::MetricsBucket &b)
{
    DIFF(start_ns)
    DIFF(group)
    DIFF(traces)
    DIFF(spans)
    DIFF(error_spans)
    DIFF(error_traces)
    DIFF(input_tokens)
    DIFF(output_tokens)
    DIFF(cache_read_tokens)
    DIFF(cache_write_tokens)
    DIFF(reasoning_tokens)
    DIFF(cost_usd)
    DIFF(priced_spans)
    DIFF(unpriced_spans)
    DIFF(trace_p50_ns)
    DIFF(trace_p95_ns)
    DIFF(trace_p99_ns)
    DIFF(llm_p50_ns)
    DIFF(llm_p95_ns)
    DIFF(llm_p99_ns)
    return {};
}

inline std::string diffError(const store::ErrorGroup &a, const store::ErrorGroup &b)
{
    DIFF(span_name)
    DIFF(message)
    DIFF(count)
    DIFF(last_seen_ns)
    DIFF(example_trace)
    return {};
}

#undef DIFF

inline std::string diffSummaries(const std::vector<core::TraceSummary> &a, const std::vector<core::TraceSummary> &b)
{
    if (a.size() != b.size())
        return "count " + std::to_string(a.size()) + " != " + std::to_string(b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto d = diffSummary(a[i], b[i]);
        if (!d.empty())
            return "[" + std::to_string(i) + "]." + d;
    }
    return {};
}

inline std::string diffMetrics(const store::MetricsResult &a, const store::MetricsResult &b)
{
    if (a.from_ns != b.from_ns || a.to_ns != b.to_ns || a.bucket_ns != b.bucket_ns)
        return "range";
    if (a.buckets.size() != b.buckets.size())
        return "bucket count";
    for (std::size_t i = 0; i < a.buckets.size(); ++i) {
        const auto d = diffBucket(a.buckets[i], b.buckets[i]);
        if (!d.empty())
            return "buckets[" + std::to_string(i) + "]." + d;
    }
    if (const auto d = diffBucket(a.totals, b.totals); !d.empty())
        return "totals." + d;
    if (const auto d = diffSummaries(a.slowest_traces, b.slowest_traces); !d.empty())
        return "slowest_traces" + d;
    if (const auto d = diffSummaries(a.costliest_traces, b.costliest_traces); !d.empty())
        return "costliest_traces" + d;
    if (a.top_errors.size() != b.top_errors.size())
        return "top_errors count";
    for (std::size_t i = 0; i < a.top_errors.size(); ++i) {
        if (const auto d = diffError(a.top_errors[i], b.top_errors[i]); !d.empty())
            return "top_errors[" + std::to_string(i) + "]." + d;
    }
    return {};
}

} // namespace agentops::test
