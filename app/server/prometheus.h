// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace agentops::server::prom {

/// Label name → value. Order does not matter: a series is identified by its labels sorted by name.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// A value that only goes up. Whole increments are one atomic add.
class Counter
{
public:
    void inc(std::uint64_t n = 1) { m_whole.fetch_add(n, std::memory_order_relaxed); }
    /// Adds a fractional amount (seconds, bytes as double); negative amounts are ignored.
    void add(double v);
    double value() const;

private:
    std::atomic<std::uint64_t> m_whole { 0 };
    std::atomic<double> m_fraction { 0 };
};

/// A value that goes up and down.
class Gauge
{
public:
    void set(double v) { m_value.store(v, std::memory_order_relaxed); }
    void add(double v) { m_value.fetch_add(v, std::memory_order_relaxed); }
    double value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value { 0 };
};

/// Counts observations into fixed buckets (each bucket counts values <= its upper bound).
class Histogram
{
public:
    explicit Histogram(std::vector<double> upperBounds);
    /// NaN is ignored.
    void observe(double v);
    const std::vector<double> &upperBounds() const { return m_bounds; }
    /// Cumulative counts per bound, then the +Inf bucket (= count).
    std::vector<std::uint64_t> cumulativeCounts() const;
    double sum() const { return m_sum.load(std::memory_order_relaxed); }

private:
    std::vector<double> m_bounds;
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_counts; ///< per bucket, not cumulative; last = +Inf
    std::atomic<double> m_sum { 0 };
};

/// Prometheus metrics of one process, written in the text exposition format 0.0.4.
///
/// counter(), gauge() and histogram() return the series for a name and label set, creating it on
/// first use; the reference stays valid as long as the registry, so code on a hot path looks the
/// series up once and then only does atomic adds (no lock). Looking a series up again takes a
/// shared lock. Gauges whose value lives elsewhere (queue depth, database size) are computed by a
/// callback when scraped. Families come out sorted by name, series by their labels.
///
/// Names must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* (not starting with
/// "__", and not "le" on a histogram); a name registered again with another type, help or bucket
/// list is refused. Errors throw std::invalid_argument naming the metric.
class Registry
{
public:
    enum class Type { Counter, Gauge, Histogram };
    struct Sample
    {
        Labels labels;
        double value = 0;
    };

    Counter &counter(const std::string &name, const std::string &help, const Labels &labels = {});
    Gauge &gauge(const std::string &name, const std::string &help, const Labels &labels = {});
    /// upperBounds: strictly increasing and finite; the +Inf bucket is added.
    Histogram &histogram(const std::string &name, const std::string &help, const std::vector<double> &upperBounds,
        const Labels &labels = {});
    /// A gauge family whose series are computed at scrape time (several series: one per label
    /// set). Runs on the scraping thread; if it throws, the family has no samples in that scrape.
    void gaugeCallback(const std::string &name, const std::string &help, std::function<std::vector<Sample>()> collect);
    /// A single gauge computed at scrape time.
    void gaugeCallback(const std::string &name, const std::string &help, std::function<double()> value);

    /// The whole registry in the text format (Content-Type: kContentType).
    std::string render() const;

    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";
    /// Latency buckets in seconds (1 ms .. 10 s), a common choice for HTTP request durations.
    static std::vector<double> defaultLatencyBuckets();

private:
    struct Series
    {
        Labels labels; ///< sorted by name
        std::unique_ptr<Counter> counter;
        std::unique_ptr<Gauge> gauge;
        std::unique_ptr<Histogram> histogram;
    };
    struct Family
    {
        Type type = Type::Counter;
        std::string help;
        std::vector<double> bounds;
        std::map<std::string, Series> series; ///< by rendered label set
        std::function<std::vector<Sample>()> collect;
    };
    Series &series(const std::string &name, const std::string &help, Type type, const Labels &labels,
        const std::vector<double> *bounds);

    mutable std::shared_mutex m_mutex;
    std::map<std::string, Family> m_families;
};

/// Escapes a label value for the text format: backslash, double quote and line feed.
std::string escapeLabelValue(const std::string &v);
/// A sample value as the text format writes it: shortest round-trip decimal, +Inf, -Inf, NaN.
std::string formatValue(double v);

} // namespace agentops::server::prom
