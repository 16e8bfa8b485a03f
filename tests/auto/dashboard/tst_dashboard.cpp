// SPDX-License-Identifier: MIT
#include "dashboard/dashboardchartview.h"
#include "dashboard/dashboardpage.h"
#include "dashboard/dashboardview.h"
#include "dashboard/kpitile.h"
#include "dashboard/metricsseries.h"
#include "dashboard/metricstablemodels.h"
#include "store/sqlitestore.h"
#include "support/common.h"

#include <QAbstractBarSeries>
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QGraphicsRectItem>
#include <QImage>
#include <QLineSeries>
#include <QMenu>
#include <QScatterSeries>
#include <QScreen>
#include <QSignalSpy>
#include <QStackedBarSeries>
#include <QStyleFactory>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolTip>
#include <QXYSeries>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <thread>

using namespace agentops;
using agentops::ui::DashboardPage;
using agentops::ui::DashboardView;
using agentops::ui::TimeRange;
namespace dash = agentops::ui::dashboard;

namespace {

using agentops::test::kSecond;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kBase = 1'741'564'800'000'000'000; // 2025-03-10T00:00:00Z

core::TraceId traceId(int n)
{
    core::TraceId id {};
    id[0] = 0xda;
    id[14] = static_cast<std::uint8_t>(n >> 8);
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

/// Deterministic noise in [0, 1).
double noise(int i, int salt)
{
    const std::uint32_t x = static_cast<std::uint32_t>(i) * 2654435761u ^ static_cast<std::uint32_t>(salt) * 40503u;
    return static_cast<double>((x >> 8) % 10000) / 10000.0;
}

struct Model
{
    const char *name;
    double inPrice; ///< USD per million input tokens; 0 = unknown
    double outPrice;
    double share; ///< of the calls
    double cacheShare; ///< of input read from a cache
};

const Model kModels[] = {
    { "gpt-4o", 2.5, 10, 0.38, 0.25 },
    { "claude-sonnet-4", 3, 15, 0.32, 0.55 },
    { "gemini-2.5-pro", 1.25, 10, 0.2, 0.1 },
    { "llama-3.1-70b-local", 0, 0, 0.1, 0 },
};

/// Three days of hourly traffic with a daily rhythm, four models (one without a price) and a few
/// error spikes: grouped by model, and the same range ungrouped.
struct Realistic
{
    store::MetricsQuery query;
    store::MetricsResult grouped;
    store::MetricsResult overall;
};

Realistic realisticData()
{
    Realistic r;
    constexpr int hours = 72;
    r.query.from_ns = kBase;
    r.query.to_ns = kBase + hours * kHour;
    r.query.bucket_ns = kHour;
    r.query.group_by = store::MetricsGroupBy::Model;
    r.grouped.bucket_ns = kHour;
    r.overall.bucket_ns = kHour;
    for (int h = 0; h < hours; ++h) {
        const double daily = 0.55 + 0.45 * std::sin((h % 24 - 8) / 24.0 * 2 * M_PI);
        const auto traces = static_cast<std::int64_t>(30 + 170 * std::max(0.05, daily) * (0.8 + 0.4 * noise(h, 1)));
        const bool spike = h == 19 || h == 20 || h == 46 || h == 61;
        const auto errors
            = static_cast<std::int64_t>(traces * (spike ? 0.18 + 0.1 * noise(h, 2) : 0.015 * noise(h, 3) * 2));
        store::MetricsBucket all;
        all.start_ns = kBase + h * kHour;
        for (const auto &m : kModels) {
            store::MetricsBucket b;
            b.start_ns = all.start_ns;
            b.group = m.name;
            b.traces = static_cast<std::int64_t>(std::round(traces * m.share * 1.3));
            b.spans = b.traces * 4;
            b.error_traces = static_cast<std::int64_t>(std::round(errors * m.share));
            b.error_spans = b.error_traces * 2;
            b.input_tokens = static_cast<std::int64_t>(b.traces * 3 * (1800 + 900 * noise(h, 4)));
            b.output_tokens = static_cast<std::int64_t>(b.traces * 3 * (350 + 250 * noise(h, 5)));
            b.cache_read_tokens = static_cast<std::int64_t>(b.input_tokens * m.cacheShare);
            b.reasoning_tokens = b.output_tokens / 5;
            if (m.inPrice > 0) {
                b.cost_usd = (b.input_tokens - b.cache_read_tokens) * m.inPrice / 1e6
                    + b.cache_read_tokens * m.inPrice / 10 / 1e6 + b.output_tokens * m.outPrice / 1e6;
                b.priced_spans = b.traces * 3;
            } else {
                b.unpriced_spans = b.traces * 3;
            }
            b.llm_p50_ns = static_cast<std::int64_t>((0.9 + 0.4 * noise(h, 6)) * kSecond);
            b.llm_p95_ns = *b.llm_p50_ns * 3;
            b.llm_p99_ns = *b.llm_p50_ns * 5;
            all.traces += 0; // trace counts come from the ungrouped answer
            dash::accumulate(r.grouped.totals, b);
            r.grouped.buckets.push_back(b);
            store::MetricsBucket forAll = b;
            forAll.traces = forAll.error_traces = forAll.spans = forAll.error_spans = 0;
            dash::accumulate(all, forAll);
        }
        all.traces = traces;
        all.error_traces = errors;
        all.spans = traces * 9;
        all.error_spans = errors * 2;
        const double slow = spike ? 2.2 : 1.0;
        all.trace_p50_ns = static_cast<std::int64_t>((2.4 + 0.8 * noise(h, 7)) * kSecond * slow);
        all.trace_p95_ns = static_cast<std::int64_t>(*all.trace_p50_ns * (2.8 + noise(h, 8)));
        all.trace_p99_ns = static_cast<std::int64_t>(*all.trace_p95_ns * (1.5 + 0.6 * noise(h, 9)));
        r.overall.buckets.push_back(all);
        dash::accumulate(r.overall.totals, all);
    }
    r.overall.totals.trace_p50_ns = static_cast<std::int64_t>(2.7 * kSecond);
    r.overall.totals.trace_p95_ns = static_cast<std::int64_t>(9.4 * kSecond);
    r.overall.totals.trace_p99_ns = static_cast<std::int64_t>(17.8 * kSecond);

    const char *names[] = { "research-agent", "support-triage", "code-review", "sql-assistant", "summarize-ticket" };
    const char *services[] = { "agents-api", "support-bot", "reviewer", "analytics", "support-bot" };
    for (int i = 0; i < 10; ++i) {
        core::TraceSummary t;
        t.trace_id = traceId(100 + i);
        t.name = names[i % 5];
        t.service_name = services[i % 5];
        t.start_ns = kBase + (5 + i * 7) * kHour + i * (97 * kSecond);
        t.end_ns = t.start_ns + static_cast<std::int64_t>((48.0 - i * 3.7) * kSecond);
        t.span_count = 40 - i;
        t.error_count = i % 4 == 1 ? 2 : 0;
        t.total_tokens = 180'000 - i * 9'000;
        t.cost_usd = 1.92 - i * 0.13;
        t.priced_spans = 6;
        t.unpriced_spans = i == 3 ? 4 : 0;
        r.overall.slowest_traces.push_back(t);
        t.trace_id = traceId(200 + i);
        t.name = names[(i + 2) % 5];
        t.service_name = services[(i + 2) % 5];
        t.end_ns = t.start_ns + static_cast<std::int64_t>((21.0 - i * 1.5) * kSecond);
        t.cost_usd = 3.41 - i * 0.27;
        t.total_tokens = 410'000 - i * 31'000;
        t.unpriced_spans = 0;
        r.overall.costliest_traces.push_back(t);
    }
    const struct
    {
        const char *span;
        const char *message;
        int count;
    } errors[] = {
        { "chat gpt-4o", "RateLimitError: 429 Too Many Requests (tokens per minute)", 212 },
        { "tool web_search", "TimeoutError: request to https://api.search.example/v1 timed out after 30s", 87 },
        { "chat claude-sonnet-4", "overloaded_error: Overloaded", 41 },
        { "tool run_sql", "psycopg.errors.UndefinedColumn: column \"cust_id\" does not exist", 17 },
        { "agent.plan", "ValueError: could not parse tool call arguments as JSON", 9 },
        { "chat gemini-2.5-pro", "RESOURCE_EXHAUSTED: Quota exceeded for aiplatform.googleapis.com", 6 },
    };
    int n = 0;
    for (const auto &e : errors) {
        store::ErrorGroup g;
        g.span_name = e.span;
        g.message = e.message;
        g.count = e.count;
        g.last_seen_ns = kBase + (70 - n * 5) * kHour + n * (611 * kSecond);
        g.example_trace = traceId(300 + n);
        r.overall.top_errors.push_back(g);
        ++n;
    }
    r.grouped.slowest_traces = r.overall.slowest_traces;
    r.grouped.costliest_traces = r.overall.costliest_traces;
    r.grouped.top_errors = r.overall.top_errors;
    return r;
}

/// Four hourly buckets, ungrouped, small exact numbers.
store::MetricsResult smallResult()
{
    store::MetricsResult r;
    r.bucket_ns = kHour;
    const std::int64_t traces[] = { 10, 0, 25, 5 };
    const std::int64_t errors[] = { 1, 0, 5, 0 };
    for (int i = 0; i < 4; ++i) {
        store::MetricsBucket b;
        b.start_ns = kBase + i * kHour;
        b.traces = traces[i];
        b.error_traces = errors[i];
        b.spans = traces[i] * 3;
        b.error_spans = errors[i];
        b.input_tokens = traces[i] * 100;
        b.cache_read_tokens = traces[i] * 40;
        b.output_tokens = traces[i] * 20;
        b.reasoning_tokens = traces[i] * 5;
        b.cost_usd = static_cast<double>(traces[i]) * 0.01;
        b.priced_spans = traces[i];
        if (traces[i] > 0) {
            b.trace_p50_ns = 100'000'000 * (i + 1);
            b.trace_p95_ns = 300'000'000 * (i + 1);
            b.trace_p99_ns = 500'000'000 * (i + 1);
        }
        dash::accumulate(r.totals, b);
        r.buckets.push_back(b);
    }
    r.totals.trace_p50_ns = 250'000'000;
    r.totals.trace_p95_ns = 1'240'000'000;
    r.totals.trace_p99_ns = 2'500'000'000;
    return r;
}

store::MetricsQuery smallQuery()
{
    store::MetricsQuery q;
    q.from_ns = kBase;
    q.to_ns = kBase + 4 * kHour;
    q.bucket_ns = kHour;
    return q;
}

QString screenshotDir()
{
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x1f, 0x21, 0x25));
    p.setColor(QPalette::WindowText, QColor(0xe4, 0xe6, 0xea));
    p.setColor(QPalette::Base, QColor(0x26, 0x29, 0x2e));
    p.setColor(QPalette::AlternateBase, QColor(0x2c, 0x2f, 0x35));
    p.setColor(QPalette::Text, QColor(0xe4, 0xe6, 0xea));
    p.setColor(QPalette::Button, QColor(0x2c, 0x2f, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe4, 0xe6, 0xea));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8b, 0xd9));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x44, 0x48, 0x4f));
    p.setColor(QPalette::ToolTipBase, QColor(0x2c, 0x2f, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xe4, 0xe6, 0xea));
    return p;
}

template<typename Series>
QList<Series *> seriesOf(QChart *chart)
{
    QList<Series *> out;
    const auto all = chart->series();
    for (auto *s : all)
        if (auto *typed = qobject_cast<Series *>(s))
            out << typed;
    return out;
}

/// The page's query function over a real store, as the app's LocalSource answers it.
std::function<store::MetricsResult(const store::MetricsQuery &)> storeMetrics(store::TraceStore &s)
{
    return [&s](const store::MetricsQuery &q) { return s.metrics(q); };
}

/// How many points a chart draws: line points and bar values that are not zero.
int pointsOf(QChart *chart)
{
    int n = 0;
    for (QAbstractSeries *series : chart->series()) {
        if (auto *xy = qobject_cast<QXYSeries *>(series))
            n += static_cast<int>(xy->count());
        else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series))
            for (QBarSet *set : bars->barSets())
                for (int i = 0; i < set->count(); ++i)
                    n += set->at(i) != 0;
    }
    return n;
}

/// Runs f on the popup menu or modal dialog of type T as soon as one opens: what a user does in
/// a menu or dialog that the code under test opens and waits for.
template<typename T>
void whenOpen(std::function<void(T *)> f)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, f] {
        T *w = qobject_cast<T *>(QApplication::activePopupWidget());
        if (!w)
            w = qobject_cast<T *>(QApplication::activeModalWidget());
        if (!w || !w->isVisible())
            return;
        timer->stop();
        timer->deleteLater();
        f(w);
    });
    timer->start();
}

/// The chart's context menu, as a right click at pos opens it.
void openContextMenu(agentops::ui::DashboardChartView *chart, const QPoint &pos)
{
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, chart->viewport()->mapToGlobal(pos));
    QCoreApplication::sendEvent(chart->viewport(), &event);
}

/// The hover band of a chart view: the one rectangle item it adds over the plot.
QGraphicsRectItem *hoverBand(QChart *chart)
{
    for (QGraphicsItem *item : chart->childItems())
        if (auto *rect = qgraphicsitem_cast<QGraphicsRectItem *>(item); rect && rect->zValue() == 0.5)
            return rect;
    return nullptr;
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    }

    void downsampleKeepsMinAndMax()
    {
        QList<QPointF> points;
        for (int i = 0; i < 10000; ++i)
            points << QPointF(i, std::sin(i / 50.0) * 10 + noise(i, 11));
        points[4321].setY(500);
        points[8765].setY(-300);
        const auto out = dash::minMaxDownsample(points, dash::kMaxPoints);
        QVERIFY(out.size() <= dash::kMaxPoints);
        QVERIFY(out.size() >= dash::kMaxPoints - 2);
        QVERIFY(out.contains(points[4321]));
        QVERIFY(out.contains(points[8765]));
        for (qsizetype i = 1; i < out.size(); ++i)
            QVERIFY(out[i - 1].x() < out[i].x());
        // Short series pass through untouched.
        QCOMPARE(dash::minMaxDownsample(points.mid(0, 50)), points.mid(0, 50));
    }

    void mergesBucketsBeyondTheCap()
    {
        store::MetricsResult r;
        r.bucket_ns = kHour;
        std::int64_t total = 0;
        for (int i = 0; i < 1000; ++i) {
            store::MetricsBucket b;
            b.start_ns = kBase + i * kHour;
            b.traces = i % 7;
            b.cost_usd = 0.5;
            b.priced_spans = 1;
            b.trace_p99_ns = i == 777 ? 90 * kSecond : kSecond;
            total += b.traces;
            r.buckets.push_back(b);
        }
        const auto s = dash::buildSeries(r);
        QVERIFY(s.grid.count <= dash::kMaxPoints);
        QCOMPARE(s.grid.bucket_ns % kHour, 0);
        std::int64_t sum = 0;
        double cost = 0;
        std::int64_t maxP99 = 0;
        for (const auto &b : s.overall) {
            sum += b.traces;
            cost += b.cost_usd;
            maxP99 = std::max(maxP99, b.trace_p99_ns.value_or(0));
        }
        QCOMPARE(sum, total);
        QCOMPARE(cost, 500.0);
        QCOMPARE(maxP99, 90 * kSecond); // the spike survives the merge
    }

    void seriesStayUnderTheCap()
    {
        store::MetricsResult r;
        r.bucket_ns = 60 * kSecond;
        for (int i = 0; i < 2000; ++i) {
            for (const char *model : { "a", "b" }) {
                store::MetricsBucket b;
                b.start_ns = kBase + i * r.bucket_ns;
                b.group = model;
                b.traces = 1 + i % 5;
                b.error_traces = i % 9 == 0 ? 1 : 0;
                b.input_tokens = 100;
                b.output_tokens = 10;
                b.cost_usd = 0.01;
                b.priced_spans = 1;
                b.trace_p95_ns = kSecond + std::int64_t { i } * 1000;
                dash::accumulate(r.totals, b);
                r.buckets.push_back(b);
            }
        }
        store::MetricsQuery q;
        q.group_by = store::MetricsGroupBy::Model;
        DashboardView view;
        view.setResult(r, q);
        QVERIFY(!view.isEmptyStateShown());
        for (int c = 0; c < DashboardView::NUM_CHARTS; ++c) {
            QChart *chart = view.chart(static_cast<DashboardView::Chart>(c));
            for (auto *bars : seriesOf<QAbstractBarSeries>(chart))
                for (auto *set : bars->barSets())
                    QVERIFY2(set->count() <= dash::kMaxPoints, qPrintable(set->label()));
            for (auto *line : seriesOf<QLineSeries>(chart))
                QVERIFY2(line->count() <= dash::kMaxPoints, qPrintable(line->name()));
        }
    }

    void stackedValuesSumToTotals()
    {
        const auto data = realisticData();
        DashboardView view;
        view.setResult(data.grouped, data.query, data.overall);
        const auto &series = view.series();
        QCOMPARE(series.grid.count, 72);

        // Traces: succeeded + failed = traces of the ungrouped answer.
        const auto traceBars = seriesOf<QStackedBarSeries>(view.chart(DashboardView::TracesChart));
        QCOMPARE(traceBars.size(), 1);
        const auto traceSets = traceBars.front()->barSets();
        QCOMPARE(traceSets.size(), 2);
        for (int i = 0; i < 72; ++i)
            QCOMPARE(traceSets[0]->at(i) + traceSets[1]->at(i),
                static_cast<double>(data.overall.buckets[static_cast<std::size_t>(i)].traces));

        // Tokens: the three parts add up to input + output (the axis is in millions or thousands,
        // so compare the exported exact numbers too).
        const auto &tokenCsv = view.chartView(DashboardView::TokensChart)->data();
        for (int i = 0; i < 72; ++i) {
            const auto &row = tokenCsv.rows[i];
            const auto &b = data.overall.buckets[static_cast<std::size_t>(i)];
            QCOMPARE(row[2].toLongLong() + row[3].toLongLong(), b.input_tokens);
            QCOMPARE(row[2].toLongLong() + row[3].toLongLong() + row[4].toLongLong(), b.input_tokens + b.output_tokens);
        }

        // Cost: one set per priced model, summing to the bucket's cost.
        const auto costBars = seriesOf<QStackedBarSeries>(view.chart(DashboardView::CostChart));
        QCOMPARE(costBars.size(), 1);
        const auto costSets = costBars.front()->barSets();
        QCOMPARE(costSets.size(), 3); // the unpriced model has no cost to stack
        std::map<std::string, double> costOfModel; // from the answer, not from the view
        for (const auto &b : data.grouped.buckets)
            costOfModel[b.group] += b.cost_usd;
        const auto costliest
            = std::ranges::max_element(costOfModel, {}, [](const auto &entry) { return entry.second; });
        QCOMPARE(costSets[0]->label(), QString::fromStdString(costliest->first)); // at the bottom
        for (int i = 0; i < 72; ++i) {
            double sum = 0;
            for (auto *set : costSets)
                sum += set->at(i);
            QVERIFY(std::abs(sum - data.overall.buckets[static_cast<std::size_t>(i)].cost_usd) < 1e-9);
        }
        // The same model has the same colour in the stacked and the horizontal chart.
        const auto byGroup = seriesOf<QAbstractBarSeries>(view.chart(DashboardView::CostByGroupChart));
        QCOMPARE(byGroup.size(), 1);
        for (auto *set : byGroup.front()->barSets())
            for (auto *other : costSets)
                if (other->label() == set->label())
                    QCOMPARE(other->color(), set->color());
    }

    void costByGroupSaysWhatWasPriced()
    {
        // Three models: one priced, one priced at $0 (a local model with a $0 price row), one
        // without a price. The chart stacks the two priced ones, the $0 one included; the labels use
        // the list's words; nothing reads $0 that was not priced at $0.
        store::MetricsResult r;
        r.bucket_ns = kHour;
        const struct
        {
            const char *model;
            double cost;
            std::int64_t priced, unpriced;
        } groups[] = { { "gpt-4o", 0.25, 3, 0 }, { "llama-local", 0, 2, 0 }, { "acme-x", 0, 0, 4 } };
        for (const auto &g : groups) {
            store::MetricsBucket b;
            b.start_ns = kBase;
            b.group = g.model;
            b.traces = 1;
            b.input_tokens = 100;
            b.cost_usd = g.cost;
            b.priced_spans = g.priced;
            b.unpriced_spans = g.unpriced;
            dash::accumulate(r.totals, b);
            r.buckets.push_back(b);
        }
        store::MetricsQuery q = smallQuery();
        q.group_by = store::MetricsGroupBy::Model;
        DashboardView view;
        view.setResult(r, q, r);
        const auto costBars = seriesOf<QStackedBarSeries>(view.chart(DashboardView::CostChart));
        QCOMPARE(costBars.size(), 1);
        QStringList stacked;
        for (auto *set : costBars.front()->barSets())
            stacked << set->label();
        stacked.sort();
        QCOMPARE(stacked, (QStringList { QStringLiteral("gpt-4o"), QStringLiteral("llama-local") }));
        auto *axis = qobject_cast<QBarCategoryAxis *>(
            view.chart(DashboardView::CostByGroupChart)->axes(Qt::Vertical).value(0));
        QVERIFY(axis);
        const QString labels = axis->categories().join(u'|');
        QVERIFY2(labels.contains(QStringLiteral("gpt-4o  $0.250")), qPrintable(labels));
        QVERIFY2(labels.contains(QStringLiteral("llama-local  $0.00")), qPrintable(labels));
        QVERIFY2(labels.contains(QStringLiteral("acme-x  no price")), qPrintable(labels));
        QCOMPARE(view.kpi(DashboardView::CostKpi)->value(), QStringLiteral("$0.250+"));
        // The export leaves the cost of the unpriced model empty rather than 0.
        const auto &csv = view.chartView(DashboardView::CostChart)->data();
        const int column = int(csv.header.indexOf(QStringLiteral("acme-x")));
        QVERIFY(column >= 0);
        QCOMPARE(csv.rows.at(0).at(column), QString());
    }

    void kpiTexts()
    {
        DashboardView view;
        view.setResult(smallResult(), smallQuery());
        QCOMPARE(view.kpi(DashboardView::TracesKpi)->value(), QStringLiteral("40"));
        QCOMPARE(view.kpi(DashboardView::TracesKpi)->detail(), QStringLiteral("120 spans"));
        QCOMPARE(view.kpi(DashboardView::ErrorRateKpi)->value(), QStringLiteral("15.0%"));
        QCOMPARE(view.kpi(DashboardView::ErrorRateKpi)->detail(), QStringLiteral("6 failed traces"));
        QCOMPARE(view.kpi(DashboardView::TokensKpi)->value(), QStringLiteral("4,800"));
        QCOMPARE(view.kpi(DashboardView::TokensKpi)->detail(), QStringLiteral("4,000 in · 800 out"));
        QCOMPARE(view.kpi(DashboardView::CostKpi)->value(), QStringLiteral("$0.400"));
        QCOMPARE(view.kpi(DashboardView::CostKpi)->detail(), QStringLiteral("$0.010 per trace"));
        QVERIFY(!view.kpi(DashboardView::CostKpi)->hasWarning());
        QCOMPARE(view.kpi(DashboardView::LatencyKpi)->value(), QStringLiteral("1.24 s"));
        QCOMPARE(view.kpi(DashboardView::LatencyKpi)->detail(), QStringLiteral("p50 250 ms · p99 2.5 s"));
    }

    void unpricedWarning()
    {
        auto r = smallResult();
        r.totals.unpriced_spans = 7;
        DashboardView view;
        view.setResult(r, smallQuery());
        auto *cost = view.kpi(DashboardView::CostKpi);
        QVERIFY(cost->hasWarning());
        QCOMPARE(cost->warning(), QStringLiteral("7 unpriced spans"));
        QCOMPARE(cost->value(), QStringLiteral("$0.400+"));

        // Nothing priced at all: the cost is unknown, not $0.
        for (auto &b : r.buckets) {
            b.cost_usd = 0;
            b.priced_spans = 0;
        }
        r.totals.cost_usd = 0;
        r.totals.priced_spans = 0;
        r.totals.unpriced_spans = 1;
        view.setResult(r, smallQuery());
        QCOMPARE(cost->value(), QStringLiteral("no price"));
        QCOMPARE(cost->warning(), QStringLiteral("1 unpriced span"));
    }

    void emptyState()
    {
        DashboardView view;
        QVERIFY(view.isEmptyStateShown());
        store::MetricsResult empty;
        empty.bucket_ns = kHour;
        for (int i = 0; i < 4; ++i) {
            store::MetricsBucket b;
            b.start_ns = kBase + i * kHour;
            empty.buckets.push_back(b);
        }
        view.setResult(empty, smallQuery());
        QVERIFY(view.isEmptyStateShown());
        QVERIFY(view.emptyStateText().contains(QStringLiteral("No traces in this time range")));
        QVERIFY(view.emptyStateText().contains(QStringLiteral("OTLP")));
        view.setEmptyHint(QStringLiteral("Send traces to <b>http://127.0.0.1:4318/v1/traces</b>"));
        QVERIFY(view.emptyStateText().contains(QStringLiteral("http://127.0.0.1:4318/v1/traces")));

        view.setResult(smallResult(), smallQuery());
        QVERIFY(!view.isEmptyStateShown());
        view.setResult({}, smallQuery());
        QVERIFY(view.isEmptyStateShown());
    }

    void latencyAxisReadsAsDurations_data()
    {
        QTest::addColumn<std::int64_t>("p99");
        QTest::addColumn<QStringList>("labels");
        QTest::newRow("seconds") << std::int64_t(2'000'000'000)
                                 << QStringList { QStringLiteral("0"), QStringLiteral("500 ms"), QStringLiteral("1 s"),
                                        QStringLiteral("1.5 s"), QStringLiteral("2 s") };
        // Not "0 s ... 100000 s": hours, as durations read everywhere else.
        QTest::newRow("a 25-hour trace") << std::int64_t((25 * 3600 + 15 * 60 + 36) * kSecond)
                                         << QStringList { QStringLiteral("0"), QStringLiteral("12h"),
                                                QStringLiteral("24h"), QStringLiteral("36h") };
    }

    void latencyAxisReadsAsDurations()
    {
        QFETCH(std::int64_t, p99);
        QFETCH(QStringList, labels);
        auto result = smallResult();
        result.buckets[2].trace_p99_ns = p99;
        DashboardView view;
        view.setResult(result, smallQuery());
        QChart *chart = view.chartView(DashboardView::LatencyChart)->chart();
        QCategoryAxis *axis = nullptr;
        const auto axes = chart->axes(Qt::Vertical);
        for (QAbstractAxis *a : axes)
            if (auto *category = qobject_cast<QCategoryAxis *>(a))
                axis = category;
        QVERIFY2(axis, "the latency axis has no duration labels");
        QCOMPARE(axis->categoriesLabels(), labels);
        // The axis reaches the highest percentile, in the unit the series are plotted in.
        double top = 0;
        for (QAbstractSeries *series : chart->series())
            for (const QPointF &p : static_cast<QLineSeries *>(series)->points())
                top = std::max(top, p.y());
        QVERIFY(top > 0 && top <= axis->max());
        QVERIFY(axis->endValue(labels.last()) <= axis->max());
        QVERIFY(top <= axis->endValue(labels.last())); // the highest tick is above the highest point
    }

    void csvExport()
    {
        DashboardView view;
        view.setResult(smallResult(), smallQuery());
        const QString traces = view.chartView(DashboardView::TracesChart)->data().toCsv();
        QCOMPARE(traces,
            QStringLiteral("bucket_start,bucket_end,traces,error_traces,error_rate_percent\n"
                           "2025-03-10T00:00:00Z,2025-03-10T01:00:00Z,10,1,10.00\n"
                           "2025-03-10T01:00:00Z,2025-03-10T02:00:00Z,0,0,\n"
                           "2025-03-10T02:00:00Z,2025-03-10T03:00:00Z,25,5,20.00\n"
                           "2025-03-10T03:00:00Z,2025-03-10T04:00:00Z,5,0,0.00\n"));
        QCOMPARE(view.chartView(DashboardView::TokensChart)->data().toCsv().section(QLatin1Char('\n'), 0, 1),
            QStringLiteral("bucket_start,bucket_end,input_uncached,input_cache_read,output,output_reasoning\n"
                           "2025-03-10T00:00:00Z,2025-03-10T01:00:00Z,600,400,200,50"));
        QCOMPARE(view.chartView(DashboardView::CostChart)->data().toCsv().section(QLatin1Char('\n'), 0, 1),
            QStringLiteral("bucket_start,bucket_end,cost_usd,unpriced_spans\n"
                           "2025-03-10T00:00:00Z,2025-03-10T01:00:00Z,0.100000,0"));
        QCOMPARE(view.chartView(DashboardView::LatencyChart)->data().toCsv().section(QLatin1Char('\n'), 0, 2),
            QStringLiteral("bucket_start,bucket_end,trace_p50_ms,trace_p95_ms,trace_p99_ms\n"
                           "2025-03-10T00:00:00Z,2025-03-10T01:00:00Z,100.000,300.000,500.000\n"
                           "2025-03-10T01:00:00Z,2025-03-10T02:00:00Z,,,"));

        // Group names with commas or quotes are quoted.
        dash::CsvTable table;
        table.header = QStringList { QStringLiteral("group"), QStringLiteral("cost_usd") };
        table.rows.append(QStringList { QStringLiteral("my \"fast\", model"), QStringLiteral("1.5") });
        QCOMPARE(table.toCsv(), QStringLiteral("group,cost_usd\n\"my \"\"fast\"\", model\",1.5\n"));

        // The file the context menu writes, and the PNG.
        QTemporaryDir dir;
        const QString csvPath = dir.filePath(QStringLiteral("traces.csv"));
        QVERIFY(view.chartView(DashboardView::TracesChart)->saveCsv(csvPath));
        QFile file(csvPath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), traces);
        view.resize(1200, 900);
        const QString pngPath = dir.filePath(QStringLiteral("traces.png"));
        QVERIFY(view.chartView(DashboardView::TracesChart)->savePng(pngPath));
        QVERIFY(!QImage(pngPath).isNull());
    }

    void clickingABucketActivatesItsRange()
    {
        const auto data = realisticData();
        DashboardView view;
        view.resize(1400, 1400);
        view.setResult(data.grouped, data.query, data.overall);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy spy(&view, &DashboardView::bucketActivated);

        // A click on the bar of bucket 20 of the traces chart.
        auto *traces = view.chartView(DashboardView::TracesChart);
        const QPoint bar = traces->positionOf(20, 1);
        QCOMPARE(traces->bucketAt(bar), 20);
        QTest::mouseClick(traces->viewport(), Qt::LeftButton, {}, bar);
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<std::int64_t>(), kBase + 20 * kHour);
        QCOMPARE(spy.at(0).at(1).value<std::int64_t>(), kBase + 21 * kHour);
        QCOMPARE(spy.at(0).at(2).toString(), QString());
        QVERIFY(traces->toolTipFor(20).contains(QStringLiteral("Failed")));

        // In the cost chart the click names the model under the cursor: the bottom of the stack is
        // the costliest model.
        auto *cost = view.chartView(DashboardView::CostChart);
        const QPoint bottom = cost->positionOf(30, 0.0001);
        const QString costliest = view.series().groups[0];
        QCOMPARE(cost->groupAt(bottom), costliest);
        QTest::mouseClick(cost->viewport(), Qt::LeftButton, {}, bottom);
        QCOMPARE(spy.count(), 2);
        QCOMPARE(spy.at(1).at(0).value<std::int64_t>(), kBase + 30 * kHour);
        QCOMPARE(spy.at(1).at(2).toString(), costliest);

        // The cost by model bars cover the whole range of one model.
        view.activateBucket(DashboardView::CostByGroupChart, 0, QStringLiteral("gpt-4o"));
        QCOMPARE(spy.count(), 3);
        QCOMPARE(spy.at(2).at(0).value<std::int64_t>(), kBase);
        QCOMPARE(spy.at(2).at(1).value<std::int64_t>(), kBase + 72 * kHour);
        QCOMPARE(spy.at(2).at(2).toString(), QStringLiteral("gpt-4o"));

        // Outside the plot: nothing.
        QCOMPARE(traces->bucketAt(QPoint(1, 1)), -1);
    }

    void hoverHighlightsTheBucketAndShowsItsValues()
    {
        const auto data = realisticData();
        DashboardView view;
        view.resize(1400, 1400);
        view.setResult(data.grouped, data.query, data.overall);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy clicked(&view, &DashboardView::bucketActivated);
        auto *traces = view.chartView(DashboardView::TracesChart);

        // Over bucket 20: a band over its column, and the tooltip with its exact values.
        const QPoint bar = traces->positionOf(20, 1);
        QTest::mouseMove(traces->viewport(), bar);
        QTRY_VERIFY(hoverBand(traces->chart()) && hoverBand(traces->chart())->isVisible());
        QGraphicsRectItem *band = hoverBand(traces->chart());
        const QPointF barInChart = traces->chart()->mapFromScene(traces->mapToScene(bar));
        QVERIFY(band->rect().left() < barInChart.x() && barInChart.x() < band->rect().right());
        QVERIFY(band->rect().width() < traces->chart()->plotArea().width() / 60); // one of 72 columns
        QTRY_VERIFY(QToolTip::isVisible());
        QCOMPARE(QToolTip::text(), traces->toolTipFor(20));
        QVERIFY(QToolTip::text().contains(QStringLiteral("Failed")));

        // The next bucket: the band moves with the mouse.
        const double left = band->rect().left();
        QTest::mouseMove(traces->viewport(), traces->positionOf(21, 1));
        QTRY_VERIFY(band->rect().left() > left);
        QTRY_COMPARE(QToolTip::text(), traces->toolTipFor(21));

        // The saved picture shows the data, not where the mouse happened to be.
        QTemporaryDir dir;
        const QString hovered = dir.filePath(QStringLiteral("hovered.png"));
        QVERIFY(traces->savePng(hovered));
        QVERIFY(band->isVisible()); // and the band is back on screen
        QTest::mouseMove(traces->viewport(), QPoint(1, 1)); // outside the plot
        QTRY_VERIFY(!band->isVisible());
        QTRY_VERIFY(!QToolTip::isVisible());
        QCOMPARE(QImage(hovered).convertToFormat(QImage::Format_ARGB32),
            traces->grab().toImage().convertToFormat(QImage::Format_ARGB32));

        // A drag that starts on a bar is not a click on it.
        QTest::mousePress(traces->viewport(), Qt::LeftButton, {}, bar);
        QTest::mouseRelease(traces->viewport(), Qt::LeftButton, {}, bar + QPoint(0, 40));
        QCOMPARE(clicked.count(), 0);
        QTest::mouseClick(traces->viewport(), Qt::LeftButton, {}, bar);
        QCOMPARE(clicked.count(), 1);

        // Leaving the chart clears the band.
        QTest::mouseMove(traces->viewport(), traces->positionOf(30, 1));
        QTRY_VERIFY(band->isVisible());
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(traces, &leave);
        QVERIFY(!band->isVisible());
        // Nothing files can be written to: refused, not pretended.
        QVERIFY(!traces->saveCsv(dir.filePath(QStringLiteral("missing/traces.csv"))));
    }

    void chartMenuSavesAndCopiesTheData()
    {
        const auto data = realisticData();
        DashboardView view;
        view.resize(1400, 1400);
        view.setResult(data.grouped, data.query, data.overall);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *traces = view.chartView(DashboardView::TracesChart);
        const QPoint at = traces->positionOf(10, 1);
        QTemporaryDir dir;

        // Picks an entry of the menu as a user does (a click on it); "" when it is there and enabled.
        auto pick = [](const QString &text, QString *problem) {
            return [text, problem](QMenu *menu) {
                QStringList seen;
                for (QAction *action : menu->actions()) {
                    seen << action->text();
                    if (action->text() != text)
                        continue;
                    if (!action->isEnabled()) {
                        *problem = text + QStringLiteral(" is disabled");
                        menu->close();
                        return;
                    }
                    QTest::mouseClick(menu, Qt::LeftButton, {}, menu->actionGeometry(action).center());
                    return;
                }
                *problem = text + QStringLiteral(" is not in ") + seen.join(QStringLiteral(" | "));
                menu->close();
            };
        };
        auto saveAs = [](const QString &path) {
            return [path](QFileDialog *dialog) {
                dialog->selectFile(path);
                // QFileDialog's accept() is protected, QDialog's public. As the Save button does:
                static_cast<QDialog *>(dialog)->accept(); // clazy:exclude=unneeded-cast
            };
        };

        // Copy Data: the chart's numbers on the clipboard, as CSV.
        QApplication::clipboard()->clear();
        QString problem;
        whenOpen<QMenu>(pick(QStringLiteral("Copy Data"), &problem));
        openContextMenu(traces, at);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(!traces->data().rows.isEmpty());
        QCOMPARE(QApplication::clipboard()->text(), traces->data().toCsv());

        // Save Data as CSV…: the file the user names holds the same.
        const QString csvPath = dir.filePath(QStringLiteral("traces.csv"));
        whenOpen<QMenu>(pick(QStringLiteral("Save Data as CSV…"), &problem));
        whenOpen<QFileDialog>(saveAs(csvPath));
        openContextMenu(traces, at);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QTRY_VERIFY(QFile::exists(csvPath));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(csv.readAll()), traces->data().toCsv());

        // Save Chart as PNG…: the chart as it is on screen.
        const QString pngPath = dir.filePath(QStringLiteral("traces.png"));
        whenOpen<QMenu>(pick(QStringLiteral("Save Chart as PNG…"), &problem));
        whenOpen<QFileDialog>(saveAs(pngPath));
        openContextMenu(traces, at);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QTRY_VERIFY(QFile::exists(pngPath));
        QCOMPARE(QImage(pngPath).size(), traces->grab().toImage().size());

        // A chart without data offers the picture only.
        ui::DashboardChartView empty(QStringLiteral("empty"));
        empty.resize(400, 300);
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QStringList enabled;
        whenOpen<QMenu>([&enabled](QMenu *menu) {
            for (QAction *action : menu->actions())
                if (action->isEnabled())
                    enabled << action->text();
            menu->close();
        });
        openContextMenu(&empty, QPoint(100, 100));
        QCOMPARE(enabled, QStringList { QStringLiteral("Save Chart as PNG…") });
    }

    void tablesOpenTraces()
    {
        const auto data = realisticData();
        DashboardView view;
        QAbstractItemModelTester errorsTester(
            view.errorModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester slowTester(
            view.slowestModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester costTester(
            view.costliestModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setResult(data.grouped, data.query, data.overall);
        QCOMPARE(view.errorModel()->rowCount(), 6);
        QCOMPARE(view.slowestModel()->rowCount(), 10);
        QCOMPARE(view.costliestModel()->rowCount(), 10);
        QCOMPARE(
            view.errorModel()->index(0, ui::ErrorGroupModel::CountColumn).data().toString(), QStringLiteral("212"));
        QCOMPARE(
            view.costliestModel()->index(0, ui::TraceRankModel::CostColumn).data().toString(), QStringLiteral("$3.41"));
        QCOMPARE(
            view.slowestModel()->index(3, ui::TraceRankModel::CostColumn).data().toString(), QStringLiteral("$1.53+"));
        QCOMPARE(view.slowestModel()->index(0, ui::TraceRankModel::DurationColumn).data().toString(),
            QStringLiteral("48 s"));

        QSignalSpy spy(&view, &DashboardView::traceRequested);
        Q_EMIT view.errorTable()->activated(view.errorModel()->index(1, ui::ErrorGroupModel::MessageColumn));
        QCOMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).value<core::TraceId>(), traceId(301));
        Q_EMIT view.costliestTable()->activated(view.costliestModel()->index(2, 0));
        QCOMPARE(spy.at(1).at(0).value<core::TraceId>(), traceId(202));

        // A refresh resets the models cleanly (the testers watch).
        view.setResult(smallResult(), smallQuery());
        QCOMPARE(view.errorModel()->rowCount(), 0);
        view.setResult(data.grouped, data.query, data.overall);
        QCOMPARE(view.errorModel()->rowCount(), 6);
    }

    void pageQueriesOffTheGuiThreadAndDropsStaleAnswers()
    {
        std::atomic<int> calls { 0 };
        const auto gui = std::this_thread::get_id();
        std::atomic<bool> offThread { true };
        DashboardPage page;
        page.setRefreshInterval(0);
        page.setQueryFunction([&](const store::MetricsQuery &q) {
            if (std::this_thread::get_id() == gui)
                offThread = false;
            const int call = ++calls;
            // The first answer is slow and must lose against the newer question.
            if (call == 1)
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
            auto r = smallResult();
            r.totals.traces = call == 1 ? 111 : 40;
            Q_UNUSED(q);
            return r;
        });
        QSignalSpy spy(&page, &DashboardPage::resultAvailable);
        page.setGroupBy(store::MetricsGroupBy::None);
        page.refresh();
        page.setTimeRange(TimeRange::last(TimeRange::Preset::LastHour)); // asks again while the first is running
        QVERIFY(spy.wait(5000));
        QTest::qWait(100);
        QCOMPARE(spy.count(), 1);
        QVERIFY(offThread);
        QCOMPARE(page.view()->kpi(DashboardView::TracesKpi)->value(), QStringLiteral("40"));
        QVERIFY(!page.isLoading());

        // The query: the range ending now; the store chooses round buckets (bucket_ns 0), so the
        // page never asks for a width the API refuses.
        const QDateTime now = QDateTime::fromMSecsSinceEpoch(kBase / 1'000'000 + 3'723'000);
        page.setTimeRange(TimeRange::last(TimeRange::Preset::Last7Days));
        const auto q = page.query(now);
        QCOMPARE(q.bucket_ns, 0);
        QCOMPARE(q.to_ns, kBase + 3'723 * kSecond);
        QCOMPARE(q.to_ns - q.from_ns, 7 * kDay);
        QVERIFY(spy.wait(5000)); // let the refresh the range change asked for land before the page goes
    }

    void pageWithoutMetricsSaysSo()
    {
        DashboardPage page;
        page.setQueryFunction({});
        QVERIFY(page.view()->isEmptyStateShown());
        QVERIFY(page.view()->emptyStateText().contains(QStringLiteral("not available")));
    }

    void realStore()
    {
        QTemporaryDir dir;
        store::SqliteStore db(dir.filePath(QStringLiteral("traces.db")).toStdString());
        auto query = storeMetrics(db);
        std::vector<core::Span> spans;
        for (int t = 0; t < 60; ++t) {
            core::Span root;
            root.trace_id = traceId(t);
            root.span_id[0] = 1;
            root.span_id[7] = static_cast<std::uint8_t>(t);
            root.name = "agent run";
            root.service_name = "agents";
            root.start_ns = kBase + t * (5 * kMinute);
            root.end_ns = root.start_ns + (1 + t % 7) * kSecond;
            if (t % 10 == 0)
                root.status = core::StatusCode::Error;
            spans.push_back(root);
            core::Span llm = root;
            llm.span_id[0] = 2;
            llm.parent_span_id = root.span_id;
            llm.name = "chat";
            llm.kind = core::SpanKind::Llm;
            llm.status = core::StatusCode::Unset;
            llm.request_model = t % 2 ? "gpt-4o" : "claude-sonnet-4";
            llm.tokens.input = 1000;
            llm.tokens.output = 200;
            llm.end_ns = llm.start_ns + kSecond / 2;
            spans.push_back(llm);
        }
        db.writeBatch(spans);
        store::MetricsQuery q;
        q.from_ns = kBase;
        q.to_ns = kBase + 5 * kHour;
        q.bucket_ns = kHour;
        q.group_by = store::MetricsGroupBy::Model;
        store::MetricsQuery whole = q;
        whole.group_by = store::MetricsGroupBy::None;
        DashboardView view;
        view.setResult(query(q), q, query(whole));
        QVERIFY(!view.isEmptyStateShown());
        QCOMPARE(view.kpi(DashboardView::TracesKpi)->value(), QStringLiteral("60"));
        QCOMPARE(view.kpi(DashboardView::TokensKpi)->value(), QStringLiteral("72,000"));
        QCOMPARE(view.series().grid.count, 5);
        std::int64_t traces = 0;
        for (const auto &csvRow : view.chartView(DashboardView::TracesChart)->data().rows)
            traces += csvRow[2].toLongLong();
        QCOMPARE(traces, 60);
    }

    void everyRangeShowsItsData_data()
    {
        QTest::addColumn<int>("range"); ///< TimeRange::Preset
        QTest::addColumn<qint64>("customMinutes"); ///< for a custom range: how long, ending now
        QTest::newRow("last 15 minutes") << int(TimeRange::Preset::Last15Minutes) << qint64(0);
        QTest::newRow("last hour") << int(TimeRange::Preset::LastHour) << qint64(0);
        QTest::newRow("last 24 hours") << int(TimeRange::Preset::Last24Hours) << qint64(0);
        QTest::newRow("last 7 days") << int(TimeRange::Preset::Last7Days) << qint64(0);
        QTest::newRow("last 30 days") << int(TimeRange::Preset::Last30Days) << qint64(0);
        QTest::newRow("all time") << int(TimeRange::Preset::All) << qint64(0);
        QTest::newRow("custom, 2 minutes") << int(TimeRange::Preset::Custom) << qint64(2);
        QTest::newRow("custom, 90 days") << int(TimeRange::Preset::Custom) << qint64(90 * 24 * 60);
        // Every choice the selector offers is a row here.
        QCOMPARE(int(std::size(TimeRange::Presets)), 7);
    }

    void everyRangeShowsItsData()
    {
        // Every option of the range box, against a real store holding a trace in each of them: the
        // page asks only what the store answers, and every chart draws the data it has.
        QFETCH(int, range);
        QFETCH(qint64, customMinutes);
        QTemporaryDir dir;
        store::SqliteStore db(dir.filePath(QStringLiteral("traces.db")).toStdString());
        const QDateTime now = QDateTime::currentDateTime();
        const std::int64_t nowNs = now.toMSecsSinceEpoch() * 1'000'000;
        const std::int64_t ages[]
            = { 90 * kSecond, 10 * kMinute, 50 * kMinute, 5 * kHour, 3 * kDay, 20 * kDay, 80 * kDay };
        std::vector<core::Span> spans;
        for (int t = 0; t < int(std::size(ages)); ++t) {
            core::Span root;
            root.trace_id = traceId(500 + t);
            root.span_id[0] = 1;
            root.name = "invoke_agent planner";
            root.kind = core::SpanKind::Agent;
            root.service_name = "agents";
            root.start_ns = nowNs - ages[t];
            root.end_ns = root.start_ns + (2 + t) * kSecond;
            root.status = t % 2 ? core::StatusCode::Error : core::StatusCode::Unset;
            spans.push_back(root);
            core::Span llm = root;
            llm.span_id[0] = 2;
            llm.parent_span_id = root.span_id;
            llm.name = "chat gpt-4o";
            llm.kind = core::SpanKind::Llm;
            llm.status = core::StatusCode::Unset;
            llm.request_model = "gpt-4o";
            llm.tokens.input = 1000 + t;
            llm.tokens.output = 100;
            llm.cost_usd = 0.0035;
            llm.end_ns = llm.start_ns + kSecond;
            spans.push_back(llm);
        }
        db.writeBatch(spans);

        DashboardPage page;
        page.setRefreshInterval(0);
        page.resize(1280, 720);
        page.setQueryFunction(storeMetrics(db));
        const std::int64_t oldest = nowNs - ages[std::size(ages) - 1];
        page.setOldestFunction([oldest]() -> std::optional<std::int64_t> { return oldest; });
        QSignalSpy done(&page, &DashboardPage::resultAvailable);
        QSignalSpy failed(&page, &DashboardPage::queryFailed);
        const auto preset = static_cast<TimeRange::Preset>(range);
        page.setTimeRange(preset == TimeRange::Preset::Custom ? TimeRange::custom(now.addSecs(-customMinutes * 60), now)
                                                              : TimeRange::last(preset));
        page.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty() || !failed.isEmpty(), 10000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!page.isLoading(), 10000);

        const auto q = page.query(now, oldest);
        std::int64_t inRange = 0;
        for (std::int64_t age : ages)
            inRange += nowNs - age >= q.from_ns && nowNs - age < q.to_ns;
        QVERIFY(inRange > 0);
        auto *view = page.view();
        QVERIFY(!view->isEmptyStateShown());
        QCOMPARE(view->kpi(DashboardView::TracesKpi)->value(), QString::number(inRange));
        for (int c = 0; c < DashboardView::NUM_CHARTS; ++c) {
            const auto chart = static_cast<DashboardView::Chart>(c);
            QVERIFY2(pointsOf(view->chart(chart)) > 0, qPrintable(QStringLiteral("chart %1 is empty").arg(c)));
        }
        // The latency chart draws each percentile in every bucket that has samples, a lone bucket as
        // a visible point, and no line across buckets without samples.
        std::set<std::int64_t> sampled;
        for (std::int64_t age : ages)
            if (nowNs - age >= q.from_ns && nowNs - age < q.to_ns)
                sampled.insert(view->series().grid.indexOf(nowNs - age));
        for (auto latency : { DashboardView::Latency::Traces, DashboardView::Latency::LlmCalls }) {
            view->setLatency(latency);
            int drawn = 0;
            for (QAbstractSeries *series : view->chart(DashboardView::LatencyChart)->series()) {
                auto *xy = qobject_cast<QXYSeries *>(series);
                QVERIFY(xy);
                const bool line = qobject_cast<QLineSeries *>(series) != nullptr;
                QVERIFY2(!line || xy->count() > 1 || xy->pointsVisible(), "a lone point that is not drawn");
                for (int i = 0; i < xy->count(); ++i) {
                    QVERIFY(sampled.count(std::llround(xy->at(i).x())));
                    if (line && i > 0)
                        QCOMPARE(xy->at(i).x() - xy->at(i - 1).x(), 1.0);
                }
                drawn += static_cast<int>(xy->count());
            }
            QCOMPARE(drawn, int(3 * sampled.size()));
        }
    }

    void aNewRangeLeavesNothingOfTheOldOnScreen()
    {
        // Runs spread over three weeks, most of them in the last day, against a real store; the
        // range box goes from all time to the last day and to the last week, as a user would. After
        // each answer the window shows the new charts and nothing of the old (no rings or fragments
        // of the last range's points): what is on screen, the window's backing store (which the
        // offscreen platform grabs), is what a full repaint of each chart gives.
        QTemporaryDir dir;
        store::SqliteStore db(dir.filePath(QStringLiteral("traces.db")).toStdString());
        const std::int64_t nowNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
        std::vector<core::Span> spans;
        for (int t = 0; t < 48; ++t) {
            core::Span root;
            root.trace_id = traceId(900 + t);
            root.span_id[0] = 1;
            root.span_id[7] = static_cast<std::uint8_t>(t);
            root.name = "agent run";
            root.service_name = "agents";
            const std::int64_t age = t < 36 ? (t * 37 % 23 + 1) * kHour - t * (61 * kSecond) : (t - 35) * (40 * kHour);
            root.start_ns = nowNs - age;
            root.end_ns = root.start_ns + (5 + t % 9 * 7) * 1'000'000LL;
            root.status = t % 4 == 1 ? core::StatusCode::Error : core::StatusCode::Unset;
            spans.push_back(root);
        }
        db.writeBatch(spans);

        DashboardPage page;
        page.setRefreshInterval(0);
        page.resize(1280, 720);
        page.setQueryFunction(storeMetrics(db));
        const std::int64_t oldest = nowNs - 13 * (40 * kHour);
        page.setOldestFunction([oldest]() -> std::optional<std::int64_t> { return oldest; });
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        for (auto preset : { TimeRange::Preset::All, TimeRange::Preset::Last24Hours, TimeRange::Preset::Last7Days }) {
            QSignalSpy done(&page, &DashboardPage::resultAvailable);
            page.setTimeRange(TimeRange::last(preset));
            page.refresh();
            QVERIFY(done.wait(10000));
            QTRY_VERIFY_WITH_TIMEOUT(!page.isLoading(), 10000);
            QTest::qWait(300);
            QVERIFY(!page.view()->isEmptyStateShown());
            const QImage window
                = page.screen()->grabWindow(page.winId()).toImage().convertToFormat(QImage::Format_RGB32);
            QCOMPARE(window.size(), page.size());
            for (auto c : { DashboardView::TracesChart, DashboardView::LatencyChart }) {
                auto *chart = page.view()->chartView(c);
                const QRect area(chart->mapTo(&page, QPoint(0, 0)), chart->size());
                const QImage onScreen = window.copy(area);
                const QImage full = chart->grab().toImage().convertToFormat(QImage::Format_RGB32);
                QCOMPARE(onScreen.size(), full.size());
                int stale = 0;
                for (int y = 0; y < full.height(); ++y)
                    for (int x = 0; x < full.width(); ++x) {
                        const QColor a = onScreen.pixelColor(x, y), b = full.pixelColor(x, y);
                        stale += std::max({ std::abs(a.red() - b.red()), std::abs(a.green() - b.green()),
                                     std::abs(a.blue() - b.blue()) })
                            > 48;
                    }
                if (stale > 0) {
                    const QString name = QStringLiteral("/stale-%1-%2").arg(int(preset)).arg(int(c));
                    onScreen.save(screenshotDir() + name + QStringLiteral("-on-screen.png"));
                    full.save(screenshotDir() + name + QStringLiteral("-repainted.png"));
                }
                QVERIFY2(stale == 0,
                    qPrintable(QStringLiteral("range %1, chart %2: %3 pixels differ from a full repaint")
                                   .arg(int(preset))
                                   .arg(int(c))
                                   .arg(stale)));
            }
        }
    }

    void errorRateBreaksWhereThereAreNoTraces()
    {
        // A real store with traces in two hours far apart of a day: one of two failed in the first,
        // the only one in the second. The buckets between have no traces and so no error rate: no
        // point there, and no line across them ramping from 50 % to 100 %.
        QTemporaryDir dir;
        store::SqliteStore db(dir.filePath(QStringLiteral("traces.db")).toStdString());
        std::vector<core::Span> spans;
        const struct
        {
            int hour;
            bool failed;
        } runs[] = { { 2, false }, { 2, true }, { 20, true } };
        int n = 0;
        for (const auto &run : runs) {
            core::Span root;
            root.trace_id = traceId(700 + n);
            root.span_id[0] = 1;
            root.span_id[7] = static_cast<std::uint8_t>(n);
            root.name = "agent run";
            root.service_name = "agents";
            root.start_ns = kBase + run.hour * kHour + n * kSecond;
            root.end_ns = root.start_ns + kSecond;
            root.status = run.failed ? core::StatusCode::Error : core::StatusCode::Unset;
            spans.push_back(root);
            ++n;
        }
        db.writeBatch(spans);
        store::MetricsQuery q;
        q.from_ns = kBase;
        q.to_ns = kBase + 24 * kHour;
        q.bucket_ns = kHour;
        DashboardView view;
        view.setResult(db.metrics(q), q);
        QCOMPARE(view.series().grid.count, 24);
        QCOMPARE(view.kpi(DashboardView::ErrorRateKpi)->value(), QStringLiteral("66.7%"));

        std::map<int, double> rates; // bucket -> error rate drawn
        for (QAbstractSeries *series : view.chart(DashboardView::TracesChart)->series()) {
            auto *xy = qobject_cast<QXYSeries *>(series);
            if (!xy)
                continue;
            const bool line = qobject_cast<QLineSeries *>(series) != nullptr;
            QVERIFY2(!line || xy->count() > 1 || xy->pointsVisible(), "a lone point that is not drawn");
            for (int i = 0; i < xy->count(); ++i) {
                if (line && i > 0)
                    QVERIFY2(xy->at(i).x() - xy->at(i - 1).x() == 1.0,
                        qPrintable(QStringLiteral("a line from bucket %1 to %2 across buckets without traces")
                                       .arg(xy->at(i - 1).x())
                                       .arg(xy->at(i).x())));
                rates[static_cast<int>(std::lround(xy->at(i).x()))] = xy->at(i).y();
            }
        }
        QCOMPARE(rates.size(), std::size_t(2));
        QCOMPARE(rates.at(2), 50.0);
        QCOMPARE(rates.at(20), 100.0);
        // The CSV says the same: no rate where there are no traces.
        const auto &rows = view.chartView(DashboardView::TracesChart)->data().rows;
        QCOMPARE(rows.size(), 24);
        for (int i = 0; i < 24; ++i)
            QCOMPARE(rows[i][4].isEmpty(), i != 2 && i != 20);
    }

    void sparseLatencyIsDrawnAsPoints()
    {
        // A sample every few hours over 30 days of hourly buckets: 90 runs of one bucket each, drawn
        // as one series of points per percentile, not as hundreds of series.
        store::MetricsResult r;
        r.bucket_ns = kHour;
        for (int i = 0; i < 720; ++i) {
            store::MetricsBucket b;
            b.start_ns = kBase + i * kHour;
            if (i % 8 == 0) {
                b.traces = 1;
                b.trace_p50_ns = b.trace_p95_ns = b.trace_p99_ns = kSecond * (1 + i % 5);
            }
            dash::accumulate(r.totals, b);
            r.buckets.push_back(b);
        }
        DashboardView view;
        view.setResult(r, smallQuery());
        const auto series = view.chart(DashboardView::LatencyChart)->series();
        QCOMPARE(series.size(), 3);
        int points = 0;
        for (QAbstractSeries *s : series) {
            QVERIFY(qobject_cast<QScatterSeries *>(s));
            points += static_cast<int>(static_cast<QXYSeries *>(s)->count());
        }
        QCOMPARE(points, 3 * 90);
    }

    void aFailedQueryClearsTheCharts()
    {
        // A question the store refuses must not leave the answer to the previous one on screen.
        DashboardPage page;
        page.setRefreshInterval(0);
        page.setQueryFunction([](const store::MetricsQuery &q) -> store::MetricsResult {
            if (q.to_ns - q.from_ns == 15 * kMinute)
                throw std::runtime_error("bucket: must be a whole number of minutes");
            return smallResult();
        });
        QSignalSpy done(&page, &DashboardPage::resultAvailable);
        QSignalSpy failed(&page, &DashboardPage::queryFailed);
        page.setGroupBy(store::MetricsGroupBy::None);
        page.refresh();
        QVERIFY(done.wait(5000));
        QVERIFY(!page.view()->isEmptyStateShown());
        page.setTimeRange(TimeRange::last(TimeRange::Preset::Last15Minutes));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 5000);
        QVERIFY(page.view()->isEmptyStateShown());
        QVERIFY(page.view()->emptyStateText().contains(QStringLiteral("whole number of minutes")));
    }

    void screenshots()
    {
        const QString dir = screenshotDir();
        const auto data = realisticData();
        for (const bool dark : { false, true }) {
            DashboardView view;
            if (dark)
                view.setPalette(darkPalette());
            view.resize(1400, 900);
            view.setResult(data.grouped, data.query, data.overall);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            const QString suffix = dark ? QStringLiteral("-dark") : QString();
            QVERIFY(view.grab().save(dir + QStringLiteral("/dashboard") + suffix + QStringLiteral(".png")));
            // The whole page, as if scrolled through.
            auto *content = view.content();
            view.resize(1400, content->sizeHint().height() + 4);
            QTest::qWait(50);
            QVERIFY(content->grab().save(dir + QStringLiteral("/dashboard-full") + suffix + QStringLiteral(".png")));
        }
        DashboardView empty;
        empty.resize(1400, 900);
        empty.setEmptyHint(QStringLiteral("Point an OpenTelemetry exporter at <b>http://127.0.0.1:4318/v1/traces</b>,"
                                          "<br>open a trace file (Ctrl+O), or choose a longer time range."));
        empty.setResult({}, smallQuery());
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        QVERIFY(empty.grab().save(dir + QStringLiteral("/dashboard-empty.png")));
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
