// SPDX-License-Identifier: MIT
#include "dashboard/metricsseries.h"

#include "common/format.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace agentops::ui::dashboard {

namespace {

void maxOf(std::optional<std::int64_t> &a, const std::optional<std::int64_t> &b)
{
    if (b && (!a || *b > *a))
        a = b;
}

std::int64_t inferBucket(const store::MetricsResult &result)
{
    if (result.bucket_ns > 0)
        return result.bucket_ns;
    std::vector<std::int64_t> starts;
    starts.reserve(result.buckets.size());
    for (const auto &b : result.buckets)
        starts.push_back(b.start_ns);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    std::int64_t step = 0;
    for (std::size_t i = 1; i < starts.size(); ++i) {
        const std::int64_t d = starts[i] - starts[i - 1];
        if (step == 0 || d < step)
            step = d;
    }
    return step > 0 ? step : 60'000'000'000; // a single bucket: any width draws it
}

using format::numberLocale;

} // namespace

void accumulate(store::MetricsBucket &a, const store::MetricsBucket &b)
{
    a.traces += b.traces;
    a.spans += b.spans;
    a.error_spans += b.error_spans;
    a.error_traces += b.error_traces;
    a.input_tokens += b.input_tokens;
    a.output_tokens += b.output_tokens;
    a.cache_read_tokens += b.cache_read_tokens;
    a.cache_write_tokens += b.cache_write_tokens;
    a.reasoning_tokens += b.reasoning_tokens;
    a.cost_usd += b.cost_usd;
    a.priced_spans += b.priced_spans;
    a.unpriced_spans += b.unpriced_spans;
    maxOf(a.trace_p50_ns, b.trace_p50_ns);
    maxOf(a.trace_p95_ns, b.trace_p95_ns);
    maxOf(a.trace_p99_ns, b.trace_p99_ns);
    maxOf(a.llm_p50_ns, b.llm_p50_ns);
    maxOf(a.llm_p95_ns, b.llm_p95_ns);
    maxOf(a.llm_p99_ns, b.llm_p99_ns);
}

MetricsSeries buildSeries(const store::MetricsResult &result, int maxBuckets)
{
    MetricsSeries s;
    if (result.buckets.empty())
        return s;
    maxBuckets = std::max(1, maxBuckets);

    const std::int64_t bucket = inferBucket(result);
    std::int64_t first = result.buckets.front().start_ns;
    std::int64_t last = first;
    for (const auto &b : result.buckets) {
        first = std::min(first, b.start_ns);
        last = std::max(last, b.start_ns);
    }
    const std::int64_t n = (last - first) / bucket + 1;
    const std::int64_t factor = (n + maxBuckets - 1) / maxBuckets;
    s.grid.start_ns = first;
    s.grid.bucket_ns = bucket * factor;
    s.grid.count = static_cast<int>((n + factor - 1) / factor);

    // Groups ordered by cost, then traces, so the biggest spender is always the first colour.
    QHash<QString, store::MetricsBucket> totals;
    for (const auto &b : result.buckets)
        accumulate(totals[QString::fromStdString(b.group)], b);
    s.groups = totals.keys();
    std::sort(s.groups.begin(), s.groups.end(), [&totals](const QString &a, const QString &b) {
        const auto &ta = totals[a];
        const auto &tb = totals[b];
        if (ta.cost_usd != tb.cost_usd)
            return ta.cost_usd > tb.cost_usd;
        if (ta.traces != tb.traces)
            return ta.traces > tb.traces;
        return a < b;
    });
    QHash<QString, int> groupIndex;
    for (int g = 0; g < s.groups.size(); ++g) {
        groupIndex.insert(s.groups[g], g);
        s.groupTotals.push_back(totals[s.groups[g]]);
        s.groupTotals.back().group = s.groups[g].toStdString();
        s.groupTotals.back().start_ns = s.grid.start_ns;
    }

    auto emptyRow = [&s](const QString &group) {
        std::vector<store::MetricsBucket> row(static_cast<std::size_t>(s.grid.count));
        for (int i = 0; i < s.grid.count; ++i) {
            row[static_cast<std::size_t>(i)].start_ns = s.grid.startOf(i);
            row[static_cast<std::size_t>(i)].group = group.toStdString();
        }
        return row;
    };
    s.overall = emptyRow({});
    for (const auto &g : std::as_const(s.groups))
        s.byGroup.push_back(emptyRow(g));

    for (const auto &b : result.buckets) {
        const auto i = static_cast<std::size_t>((b.start_ns - first) / bucket / factor);
        const auto g = static_cast<std::size_t>(groupIndex.value(QString::fromStdString(b.group)));
        accumulate(s.byGroup[g][i], b);
        accumulate(s.overall[i], b);
    }
    return s;
}

QList<QPointF> minMaxDownsample(const QList<QPointF> &points, int maxPoints)
{
    if (points.size() <= maxPoints || maxPoints < 2)
        return points;
    const qsizetype bins = maxPoints / 2;
    QList<QPointF> out;
    out.reserve(bins * 2);
    for (qsizetype bin = 0; bin < bins; ++bin) {
        const qsizetype begin = bin * points.size() / bins;
        const qsizetype end = (bin + 1) * points.size() / bins;
        if (begin >= end)
            continue;
        qsizetype lo = begin;
        qsizetype hi = begin;
        for (qsizetype i = begin + 1; i < end; ++i) {
            if (points[i].y() < points[lo].y())
                lo = i;
            if (points[i].y() > points[hi].y())
                hi = i;
        }
        out.append(points[std::min(lo, hi)]);
        if (lo != hi)
            out.append(points[std::max(lo, hi)]);
    }
    return out;
}

std::int64_t cachedInput(const store::MetricsBucket &b)
{
    return std::clamp<std::int64_t>(b.cache_read_tokens, 0, std::max<std::int64_t>(b.input_tokens, 0));
}

std::int64_t uncachedInput(const store::MetricsBucket &b)
{
    return std::max<std::int64_t>(b.input_tokens, 0) - cachedInput(b);
}

QString CsvTable::toCsv() const
{
    auto field = [](const QString &v) -> QString {
        if (!v.contains(QLatin1Char(',')) && !v.contains(QLatin1Char('"')) && !v.contains(QLatin1Char('\n'))
            && !v.contains(QLatin1Char('\r')))
            return v;
        QString quoted = v;
        quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + quoted + QLatin1Char('"');
    };
    auto line = [&field](const QStringList &values) -> QString {
        QStringList fields;
        fields.reserve(values.size());
        for (const auto &v : values)
            fields << field(v);
        return fields.join(QLatin1Char(',')) + QLatin1Char('\n');
    };
    QString out = line(header);
    for (const auto &row : rows)
        out += line(row);
    return out;
}

namespace fmt {

QString count(std::int64_t n)
{
    return format::count(n);
}

QString percent(std::int64_t part, std::int64_t whole)
{
    if (whole <= 0)
        return QStringLiteral("—");
    const double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    return numberLocale().toString(p, 'f', 1) + QLatin1Char('%');
}

QString money(double usd)
{
    return format::money(usd);
}

QString duration(std::int64_t ns)
{
    return format::duration(ns);
}

QString isoTime(std::int64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000, Qt::UTC).toString(Qt::ISODate);
}

QString number(double v, int decimals)
{
    return QString::number(v, 'f', decimals);
}

} // namespace fmt

QColor categoryColor(int index, bool darkBackground)
{
    // Tableau 10 without its red, which stays reserved for errors.
    static const QRgb colors[]
        = { 0x4e79a7, 0xf28e2b, 0x59a14f, 0xb07aa1, 0x76b7b2, 0xedc948, 0xff9da7, 0x9c755f, 0xbab0ac };
    constexpr int n = sizeof(colors) / sizeof(colors[0]);
    QColor c = QColor::fromRgb(colors[((index % n) + n) % n]);
    return darkBackground ? c.lighter(118) : c;
}

QColor errorColor()
{
    return QColor::fromRgb(0xe15759);
}

QColor warningColor()
{
    return QColor::fromRgb(0xd9822b);
}

} // namespace agentops::ui::dashboard
