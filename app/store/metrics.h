// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace agentops::store {

/// What a series is split by.
enum class MetricsGroupBy { None, Model, Service, SpanKind, AgentName };

/// One dashboard question: a time range, how to split it, and optional filters (same meaning as
/// in TraceQuery).
struct MetricsQuery
{
    std::int64_t from_ns = 0;
    std::int64_t to_ns = 0;
    /// Bucket width; 0 = chosen from the range so a series has at most ~200 points.
    std::int64_t bucket_ns = 0;
    MetricsGroupBy group_by = MetricsGroupBy::None;
    std::string service;
    std::string model;
    /// Spans of this agent (their agent name), traces that contain it. The error groups (top_errors)
    /// are not split by agent: with this filter there are none.
    std::string agent;
    int top_n = 10; ///< size of the top lists
};

/// Values of one time bucket for one group.
struct MetricsBucket
{
    std::int64_t start_ns = 0;
    std::string group; ///< "" when not grouped
    std::int64_t traces = 0;
    std::int64_t spans = 0;
    std::int64_t error_spans = 0;
    std::int64_t error_traces = 0;
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    std::int64_t cache_read_tokens = 0;
    std::int64_t cache_write_tokens = 0;
    std::int64_t reasoning_tokens = 0;
    double cost_usd = 0; ///< the priced spans' sum; no cost at all when priced_spans is 0
    std::int64_t priced_spans = 0;
    std::int64_t unpriced_spans = 0;
    /// Latency percentiles in ns of traces (root durations) and of LLM spans; absent when no samples.
    std::optional<std::int64_t> trace_p50_ns, trace_p95_ns, trace_p99_ns;
    std::optional<std::int64_t> llm_p50_ns, llm_p95_ns, llm_p99_ns;
};

struct ErrorGroup
{
    std::string span_name;
    std::string message;
    std::int64_t count = 0;
    std::int64_t last_seen_ns = 0;
    core::TraceId example_trace {};
};

struct MetricsResult
{
    /// The range answered: the query's, widened to whole buckets (buckets start at multiples of
    /// bucket_ns since the epoch, so they line up across refreshes).
    std::int64_t from_ns = 0;
    std::int64_t to_ns = 0;
    std::int64_t bucket_ns = 0;
    std::vector<MetricsBucket> buckets; ///< ordered by start, then group; empty buckets included
    std::vector<core::TraceSummary> slowest_traces;
    std::vector<core::TraceSummary> costliest_traces;
    std::vector<ErrorGroup> top_errors; ///< errors grouped by span name and status message
    MetricsBucket totals; ///< the whole range, ungrouped
};

} // namespace agentops::store
