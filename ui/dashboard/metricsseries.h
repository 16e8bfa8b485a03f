// SPDX-License-Identifier: MIT
#pragma once

#include "store/metrics.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace agentops::ui::dashboard {

/// The most points one chart series gets; Qt Charts slows down and labels crowd beyond that.
constexpr int kMaxPoints = 300;

/// The regular time grid the charts share: bucket i covers [startOf(i), startOf(i) + bucket_ns).
struct TimeGrid
{
    std::int64_t start_ns = 0;
    std::int64_t bucket_ns = 0;
    int count = 0;
    std::int64_t startOf(int i) const { return start_ns + static_cast<std::int64_t>(i) * bucket_ns; }
    std::int64_t endOf(int i) const { return startOf(i) + bucket_ns; }
    std::int64_t end_ns() const { return startOf(count); }
    /// The bucket a time falls in (may be outside 0..count-1).
    int indexOf(std::int64_t t) const
    {
        const std::int64_t d = t - start_ns;
        return static_cast<int>(d / bucket_ns - (d % bucket_ns < 0 ? 1 : 0));
    }
};

/// A MetricsResult laid out for charting: every group on the same gap-free grid of at most
/// maxBuckets buckets (adjacent buckets merged when the store sent more), plus the groups summed.
struct MetricsSeries
{
    TimeGrid grid;
    /// Group names, costliest first; one empty name when the result is not grouped.
    QStringList groups;
    /// [bucket]: all groups added up. Percentiles are only meaningful here when there is one group.
    std::vector<store::MetricsBucket> overall;
    /// [group][bucket], same order as groups.
    std::vector<std::vector<store::MetricsBucket>> byGroup;
    /// [group]: the whole range of one group.
    std::vector<store::MetricsBucket> groupTotals;

    bool grouped() const { return groups.size() > 1 || (groups.size() == 1 && !groups.front().isEmpty()); }
};

MetricsSeries buildSeries(const store::MetricsResult &result, int maxBuckets = kMaxPoints);

/// Adds b into a: counts, tokens and cost add up; percentiles keep the larger value (an upper
/// bound, so a latency spike never disappears when buckets are merged).
void accumulate(store::MetricsBucket &a, const store::MetricsBucket &b);

/// Reduces points (sorted by x) to at most maxPoints by keeping, per run of points, the lowest and
/// the highest, in x order: peaks and dips stay visible, unlike plain averaging.
QList<QPointF> minMaxDownsample(const QList<QPointF> &points, int maxPoints = kMaxPoints);

/// Input tokens that were not read from a cache (input includes cache reads).
std::int64_t uncachedInput(const store::MetricsBucket &b);
std::int64_t cachedInput(const store::MetricsBucket &b);

/// Rows of a chart's data, as exported to CSV.
struct CsvTable
{
    QStringList header;
    QList<QStringList> rows;
    /// RFC 4180: comma separated, fields with commas, quotes or line breaks quoted, CRLF-free.
    QString toCsv() const;
};

/// How the dashboard prints numbers (exact, with group separators, independent of the C locale).
namespace fmt {
QString count(std::int64_t n);
/// "4.2%"; "—" when there is nothing to divide by.
QString percent(std::int64_t part, std::int64_t whole);
/// "$0.0042", "$0.153", "$12.40".
QString money(double usd);
/// "850 µs", "830 ms", "1.24 s", "2m 05s".
QString duration(std::int64_t ns);
/// ISO 8601 UTC, for exported data.
QString isoTime(std::int64_t ns);
/// Numbers in exported data: no group separators, '.' as decimal point.
QString number(double v, int decimals);
} // namespace fmt

/// Colours that stay apart from each other and from the error red, readable on light and dark
/// backgrounds.
QColor categoryColor(int index, bool darkBackground);
QColor errorColor();
QColor warningColor();

} // namespace agentops::ui::dashboard
