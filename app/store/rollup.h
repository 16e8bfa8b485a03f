// SPDX-License-Identifier: MIT
#pragma once
// Narrow per-time-bucket aggregates of spans, maintained at ingest in the same transaction as the
// spans, so the dashboard never scans the wide spans table. Shared by the writer (sqlitestore.cpp),
// the metrics query and re-pricing (sqlitemetrics.cpp).

#include "core/span.h"
#include "core/usage.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

struct sqlite3;

namespace agentops::store::rollup {

inline constexpr std::int64_t kSecondNs = 1'000'000'000;
inline constexpr std::int64_t kMinuteNs = 60 * kSecondNs;
inline constexpr std::int64_t kHourNs = 60 * kMinuteNs;
/// Rollup rows exist at two resolutions (column `res`, in seconds): minutes for short ranges,
/// hours so that a month-long chart reads ~700 rows per series instead of ~43,000.
inline constexpr std::int64_t kResolutionsNs[] = { kMinuteNs, kHourNs };

inline std::int64_t floorTo(std::int64_t t, std::int64_t width)
{
    const std::int64_t q = t / width - (t % width < 0 ? 1 : 0);
    return q * width;
}

// Latency histogram: log-linear buckets (like HdrHistogram): values below 32 ns exactly, above that
// 16 linear sub-buckets per power of two, so a bucket is at most 1/16 of its lower bound wide. A
// percentile read from it (the bucket's midpoint) is within 1/32 (3.2 %) of the exact nearest-rank
// sample. Values from 2^48 ns (~78 h) up land in the last bucket.
inline constexpr int kHistSubBits = 4;
inline constexpr int kHistMaxExponent = 47;
int latencyBucket(std::int64_t ns);
/// The value reported for a bucket: its midpoint (exact for the exact buckets).
std::int64_t latencyBucketValue(int bucket);
/// Relative error bound of latencyBucketValue against any value in the bucket.
inline constexpr double kHistRelativeError = 1.0 / 32;

/// A sparse histogram: (bucket, count) pairs sorted by bucket.
class Histogram
{
public:
    void add(int bucket, std::int64_t count = 1);
    void addValue(std::int64_t ns) { add(latencyBucket(ns)); }
    void merge(const Histogram &other);
    /// Takes away the counts of `gone` (a part of this one's): a bucket left with none goes.
    void subtract(const Histogram &gone);
    /// Adds the counts of an encoded histogram; false when the bytes are not one.
    bool mergeEncoded(const void *data, std::size_t size);
    std::string encode() const;
    std::int64_t count() const;
    bool empty() const { return m_bins.empty(); }
    /// Nearest-rank percentile (the sample at rank ceil(pct * n / 100), pct in 1..100): the value of
    /// its bucket, or nothing when empty.
    std::optional<std::int64_t> percentile(int pct) const;
    const std::vector<std::pair<int, std::int64_t>> &bins() const { return m_bins; }

private:
    std::vector<std::pair<int, std::int64_t>> m_bins;
};

/// Adds up many encoded histograms, in a count for every bucket: a merge of sparse histograms copies
/// all that the sum holds each time, which over the ~60,000 rollup rows of a 30-day refresh on
/// PostgreSQL took a sixth of its time in this process.
class HistogramSum
{
public:
    /// False when the bytes are not a histogram (nothing of them is added then).
    bool addEncoded(const void *data, std::size_t size);
    /// The sum as a histogram; the sum is empty again.
    Histogram take();

private:
    std::vector<std::int64_t> m_counts; ///< by bucket, made on first use
    std::vector<int> m_used; ///< buckets with a count, unordered
    std::vector<std::pair<int, std::int64_t>> m_scratch;
};

/// Registers agentops_hist_merge(a, b) (union of two encoded histograms, for upserts) and the
/// aggregate agentops_latency_hist(duration_ns) (for back-filling). Returns an SQLite result code.
int registerFunctions(sqlite3 *db);

/// Identifies one span_rollup row.
struct SpanKey
{
    std::int64_t res = 0; ///< resolution in ns
    std::int64_t t = 0; ///< bucket start, ns
    int kind = 0;
    std::string_view model, service, agent;
    auto tie() const { return std::tie(res, t, kind, model, service, agent); }
    bool operator<(const SpanKey &o) const { return tie() < o.tie(); }
};

struct SpanAgg
{
    std::int64_t spans = 0;
    std::int64_t errors = 0;
    core::UsageTotals usage; ///< tokens and cost of the spans that count (core/usage.h)
    Histogram latency;
    void merge(const SpanAgg &o);
};

/// Identifies one error_rollup row.
struct ErrorKey
{
    std::int64_t res = 0;
    std::int64_t t = 0;
    std::string_view name, message, service, model;
    auto tie() const { return std::tie(res, t, name, message, service, model); }
    bool operator<(const ErrorKey &o) const { return tie() < o.tie(); }
};

struct ErrorAgg
{
    std::int64_t count = 0;
    std::int64_t last_seen = INT64_MIN; ///< latest start of an error span
    core::TraceId example {}; ///< the trace of that latest error span
    void merge(const ErrorAgg &o);
};

/// What one write batch adds to the rollups: every newly inserted span is added once, and the rows
/// are upserted once per batch. The views point into the batch's spans, which outlive it.
class BatchRollup
{
public:
    void add(const core::Span &s);
    /// A span counted before (stored earlier, or added to this batch) turned out to have failed: its
    /// status is now an error (the writer learnt it from a later model call, core/failures.h). Adds
    /// one error span and one error to its group, no span.
    void addFailure(const core::Span &s);
    /// Folds the minute rows into hour rows; call once, before reading the maps.
    void finish();
    const std::map<SpanKey, SpanAgg> &spans() const { return m_spans; }
    const std::map<ErrorKey, ErrorAgg> &errors() const { return m_errors; }
    bool empty() const { return m_spans.empty(); }

private:
    void addErrorGroup(const core::Span &s, std::int64_t minute);

    std::map<SpanKey, SpanAgg> m_spans;
    std::map<ErrorKey, ErrorAgg> m_errors;
};

/// What re-pricing changed in one total: its cost and how many of its spans are priced or unpriced.
struct PriceChange
{
    double cost = 0;
    std::int64_t priced = 0;
    std::int64_t unpriced = 0;
};

/// A re-pricing batch's changes to trace summaries and span rollup rows, so that each is updated
/// once per batch. A span counts as ingest counts it (core::UsageTotals).
class RepriceBatch
{
public:
    /// A span_rollup row: resolution in seconds, bucket start, kind, model, service, agent.
    using RowKey = std::tuple<std::int64_t, std::int64_t, int, std::string, std::string, std::string>;

    /// Records that `before` was re-priced as `after` (the same span with another cost).
    void add(const core::Span &before, const core::Span &after);
    const std::map<core::TraceId, PriceChange> &traces() const { return m_traces; }
    const std::map<RowKey, PriceChange> &rows() const { return m_rows; }
    bool empty() const { return m_traces.empty(); }

private:
    std::map<core::TraceId, PriceChange> m_traces;
    std::map<RowKey, PriceChange> m_rows;
};

} // namespace agentops::store::rollup
