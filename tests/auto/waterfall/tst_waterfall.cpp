// SPDX-License-Identifier: MIT
#include "common/format.h"
#include "support/agenttrace.h"
#include "waterfall/spansearch.h"
#include "waterfall/spantree.h"
#include "waterfall/timelinedata.h"
#include "waterfall/waterfalldata.h"
#include "waterfall/waterfallfiltermodel.h"
#include "waterfall/waterfallminimap.h"
#include "waterfall/waterfallmodel.h"
#include "waterfall/waterfalltreeview.h"
#include "waterfall/waterfallview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <QWheelEvent>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <random>

using namespace agentops;
using namespace agentops::ui;
using core::SpanKind;

namespace {

constexpr qint64 Ms = 1000000;
constexpr qint64 T0 = 1700000000000000000;

/// One line of a fixture: depth, name, kind, start and end in ms from the trace start.
struct Row
{
    int depth;
    const char *name;
    SpanKind kind;
    double startMs;
    double endMs;
    bool error = false;
    bool orphan = false;
    const char *model = "";
};

std::shared_ptr<store::TraceDetail> makeTrace(const std::vector<Row> &rows)
{
    auto trace = std::make_shared<store::TraceDetail>();
    std::uint8_t id = 1;
    for (const Row &r : rows) {
        core::Span s;
        s.span_id[7] = id++;
        s.name = r.name;
        s.kind = r.kind;
        s.start_ns = T0 + std::int64_t(r.startMs * Ms);
        s.end_ns = T0 + std::int64_t(r.endMs * Ms);
        s.status = r.error ? core::StatusCode::Error : core::StatusCode::Ok;
        if (r.error)
            s.status_message = "upstream timed out after 1200 ms";
        s.response_model = r.model;
        if (r.kind == SpanKind::Llm) {
            s.tokens.input = 1200 + id * 37;
            s.tokens.output = 180 + id * 11;
        }
        trace->spans.push_back(std::move(s));
        trace->depth.push_back(r.depth);
        trace->orphan.push_back(r.orphan);
    }
    if (!rows.empty()) {
        trace->summary.name = rows.front().name;
        trace->summary.span_count = std::int64_t(rows.size());
    }
    return trace;
}

std::vector<Row> smallFixture()
{
    return {
        { 0, "invoke_agent planner", SpanKind::Agent, 0, 100 },
        { 1, "chat gpt-4o", SpanKind::Llm, 1, 30, false, false, "gpt-4o" },
        { 1, "execute_tool search", SpanKind::Tool, 31, 60, true },
        { 2, "http GET", SpanKind::Other, 32, 59 },
        { 1, "chat gpt-4o", SpanKind::Llm, 61, 99, false, false, "gpt-4o" },
        { 0, "execute_tool late", SpanKind::Tool, 40, 50, false, true },
    };
}

/// The realistic agent run used by the screenshots: a planner agent with guardrails, retrieval,
/// parallel tools, a sub-agent with a failed and a retried tool call (nested four levels), an
/// evaluator, and one span whose parent never arrived.
std::vector<Row> agentFixture()
{
    std::vector<Row> rows = {
        { 0, "invoke_agent travel_planner", SpanKind::Agent, 0, 9200 },
        { 1, "input_guardrail", SpanKind::Guardrail, 2, 88 },
        { 1, "retrieve_context", SpanKind::Retriever, 90, 640 },
        { 2, "embeddings text-embedding-3-small", SpanKind::Embedding, 95, 210, false, false,
            "text-embedding-3-small" },
        { 2, "vector_search trips_index", SpanKind::Retriever, 215, 600 },
        { 1, "call_llm", SpanKind::Llm, 650, 2100, false, false, "gpt-4o-2024-08-06" },
        { 1, "execute_tool search_flights", SpanKind::Tool, 2110, 3300 },
        { 2, "GET api.flights.example/search", SpanKind::Other, 2130, 3250 },
        { 1, "execute_tool get_weather", SpanKind::Tool, 2115, 2900 },
        { 2, "GET api.weather.example/forecast", SpanKind::Other, 2130, 2880 },
        { 1, "execute_tool currency_convert", SpanKind::Tool, 2120, 2290 },
        { 1, "chat gpt-4o", SpanKind::Llm, 3310, 4200, false, false, "gpt-4o-2024-08-06" },
        { 1, "invoke_agent hotel_agent", SpanKind::Agent, 4210, 7600 },
        { 2, "chat claude-sonnet", SpanKind::Llm, 4220, 5000, false, false, "claude-3-5-sonnet" },
        { 2, "execute_tool search_hotels", SpanKind::Tool, 5010, 6200, true },
        { 3, "POST api.hotels.example/search", SpanKind::Other, 5020, 6190, true },
        { 2, "execute_tool search_hotels", SpanKind::Tool, 6210, 6900 },
        { 3, "POST api.hotels.example/search", SpanKind::Other, 6215, 6480 },
        { 3, "retrieve reviews", SpanKind::Retriever, 6490, 6890 },
        { 4, "embeddings text-embedding-3-small", SpanKind::Embedding, 6495, 6560, false, false,
            "text-embedding-3-small" },
        { 4, "vector_search reviews_index", SpanKind::Retriever, 6565, 6700 },
        { 4, "rerank", SpanKind::Chain, 6705, 6885, false, false, "rerank-english-v3" },
        { 2, "chat claude-sonnet", SpanKind::Llm, 6910, 7590, false, false, "claude-3-5-sonnet" },
        { 1, "chain build_itinerary", SpanKind::Chain, 7610, 8020 },
    };
    // A burst of small parallel tool calls: many short bars side by side.
    for (int i = 0; i < 8; ++i)
        rows.push_back({ 2, "execute_tool maps_distance", SpanKind::Tool, 7615 + i * 6.0, 7700 + i * 35.0 });
    rows.push_back({ 2, "chat gpt-4o-mini", SpanKind::Llm, 7720, 8010, false, false, "gpt-4o-mini" });
    rows.push_back({ 1, "evaluate answer_relevance", SpanKind::Evaluator, 8030, 8400, false, false, "gpt-4o-mini" });
    rows.push_back({ 1, "chat gpt-4o", SpanKind::Llm, 8410, 9150, false, false, "gpt-4o-2024-08-06" });
    rows.push_back({ 1, "output_guardrail", SpanKind::Guardrail, 9155, 9190 });
    rows.push_back({ 2, "instant_check", SpanKind::Guardrail, 9160, 9160.02 });
    rows.push_back({ 0, "execute_tool send_email", SpanKind::Tool, 8500, 8800, false, true });
    rows.push_back({ 1, "POST smtp.example", SpanKind::Other, 8510, 8790 });
    return rows;
}

void printTree(const QAbstractItemModel *model, const QModelIndex &parent, int indent, QString &out)
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex i = model->index(r, WaterfallModel::NameColumn, parent);
        out += QString(qsizetype { indent } * 2, QLatin1Char(' ')) + i.data().toString() + QLatin1String(" | ")
            + model->index(r, WaterfallModel::DurationColumn, parent).data().toString();
        if (i.data(WaterfallModel::ErrorRole).toBool())
            out += QLatin1String(" [error]");
        if (i.data(WaterfallModel::OrphanRole).toBool())
            out += QLatin1String(" [orphan]");
        if (i.data(WaterfallModel::CriticalRole).toBool())
            out += QLatin1String(" [critical]");
        if (i.data(WaterfallModel::MatchRole).toInt() == WaterfallModel::Match)
            out += QLatin1String(" [match]");
        out += QLatin1Char('\n');
        printTree(model, i, indent + 1, out);
    }
}

QString printTree(const QAbstractItemModel *model)
{
    QString out;
    printTree(model, {}, 0, out);
    return out;
}

SpanTree treeOf(std::vector<int> depths)
{
    return SpanTree::fromDepths(depths);
}

/// The search rule as the filter applied it span by span before the index: each field on its own,
/// ASCII case-insensitive, and "error" for failed spans.
std::vector<int> spansMatching(const store::TraceDetail &trace, const QString &text)
{
    const std::string needle = core::asciiLower(text.trimmed().toStdString());
    const auto has = [&needle](std::string_view field) {
        return std::search(field.begin(), field.end(), needle.begin(), needle.end(), [](char a, char b) {
            return ((a >= 'A' && a <= 'Z') ? char(a - 'A' + 'a') : a) == b;
        }) != field.end();
    };
    std::vector<int> out;
    for (std::size_t i = 0; i < trace.spans.size(); ++i) {
        const core::Span &s = trace.spans[i];
        if (has(s.name) || has(core::toString(s.kind)) || has(s.model()) || has(s.tool_name) || has(s.agent_name)
            || has(s.service_name) || has(s.status_message) || (s.status == core::StatusCode::Error && has("error")))
            out.push_back(int(i));
    }
    return out;
}

/// A 100k-span agent run (tests/support/agenttrace.h), made once: big enough for the view to build
/// and search it on worker threads.
std::shared_ptr<const store::TraceDetail> bigTrace()
{
    static const std::shared_ptr<const store::TraceDetail> trace = bench::generateAgentTrace(100000, 42);
    return trace;
}

/// The same trace as a big one is read (store::TraceLoad::Slim): slim records instead of spans.
std::shared_ptr<const store::TraceDetail> slimOf(const store::TraceDetail &trace)
{
    auto slim = std::make_shared<store::TraceDetail>();
    slim->summary = trace.summary;
    slim->complete = false;
    slim->table = store::SpanTable::fromSpans(trace.spans);
    slim->depth = trace.depth;
    slim->orphan = trace.orphan;
    return slim;
}

/// Rows the tree view lays out: the top-level rows and, below each expanded row, its children.
int laidOutRows(const QTreeView *tree, const QModelIndex &parent = {})
{
    const QAbstractItemModel *model = tree->model();
    int rows = 0;
    for (int r = 0, n = model->rowCount(parent); r < n; ++r) {
        const QModelIndex i = model->index(r, 0, parent);
        ++rows;
        if (tree->isExpanded(i))
            rows += laidOutRows(tree, i);
    }
    return rows;
}

/// The count "N matches" as the match label words it.
QString matchesText(std::size_t n)
{
    return n == 1 ? QStringLiteral("1 match") : QLocale().toString(qulonglong(n)) + QLatin1String(" matches");
}

/// Waits until the view shows the big trace.
bool opened(const QTreeView *tree)
{
    return QTest::qWaitFor([tree] { return tree->model()->rowCount() > 0; }, 20000);
}

QString screenshotDir()
{
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class tst_Waterfall : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void spanTree();
    void modelTester();
    void printedTree();
    void timeLineMapping_data();
    void timeLineMapping();
    void timeLineZoom_data();
    void timeLineZoom();
    void ticks_data();
    void ticks();
    void culling();
    void subPixelMerging();
    void criticalPath_data();
    void criticalPath();
    void search();
    void searchIndex();
    void keptTree();
    void searchExpansionBudget();
    void searchIsOneReset();
    void searchDebounce();
    void searchStaleResultsDropped();
    void searchBigTrace();
    void slimTraceShowsTheSame();
    void searchSlimBigTrace();
    void searchStepping();
    void viewCurrentSpan();
    void asyncBuild();
    void screenshots();
    void timelineMouseAndKeys();
};

void tst_Waterfall::spanTree()
{
    const SpanTree tree = treeOf({ 0, 1, 2, 1, 0, 1, 3 });
    QCOMPARE(tree.parent, (std::vector<int> { -1, 0, 1, 0, -1, 4, 5 }));
    QCOMPARE(tree.roots, (std::vector<int> { 0, 4 }));
    QCOMPARE(tree.row, (std::vector<int> { 0, 0, 0, 1, 1, 0, 0 }));
    QCOMPARE(tree.childCount(0), 2);
    QCOMPARE(tree.child(0, 1), 3);
    QCOMPARE(tree.childCount(-1), 2);
    QCOMPARE(tree.childCount(6), 0);
    QCOMPARE(treeOf({}).size(), 0);
}

void tst_Waterfall::modelTester()
{
    WaterfallModel model;
    WaterfallFilterModel filter;
    filter.setWaterfallModel(&model);
    QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setWaterfallData(WaterfallData::build(makeTrace(smallFixture())));
    filter.setSearchText(QStringLiteral("http"));
    filter.setSearchText(QStringLiteral("gpt"));
    model.setWaterfallData(WaterfallData::build(makeTrace(agentFixture())));
    // The new trace is searched for the same text.
    QCOMPARE(filter.matches(), spansMatching(*model.waterfallData()->trace, QStringLiteral("gpt")));
    const auto data = model.waterfallData();
    filter.setFilter(SpanFilter::compute(data, QStringLiteral("hotel"), 100));
    QCOMPARE(filter.searchText(), QStringLiteral("hotel"));
    // A filter computed for another trace is not shown.
    filter.setFilter(SpanFilter::compute(WaterfallData::build(makeTrace(smallFixture())), QStringLiteral("http"), 100));
    QCOMPARE(filter.searchText(), QStringLiteral("hotel"));
    filter.setFilter(nullptr);
    QCOMPARE(filter.rowCount(), 2);
    filter.setSearchText(QStringLiteral("nothing like this"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setSearchText(QString());
    model.setWaterfallData(WaterfallData::build(makeTrace({})));
    model.setWaterfallData(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

void tst_Waterfall::printedTree()
{
    WaterfallModel model;
    model.setWaterfallData(WaterfallData::build(makeTrace(smallFixture())));
    QCOMPARE(printTree(&model),
        QStringLiteral("invoke_agent planner | 100 ms [critical]\n"
                       "  chat gpt-4o | 29 ms [critical]\n"
                       "  execute_tool search | 29 ms [error] [critical]\n"
                       "    http GET | 27 ms [critical]\n"
                       "  chat gpt-4o | 38 ms [critical]\n"
                       "execute_tool late | 10 ms [orphan]\n"));

    WaterfallFilterModel filter;
    filter.setWaterfallModel(&model);
    filter.setSearchText(QStringLiteral("HTTP"));
    QCOMPARE(printTree(&filter),
        QStringLiteral("invoke_agent planner | 100 ms [critical]\n"
                       "  execute_tool search | 29 ms [error] [critical]\n"
                       "    http GET | 27 ms [critical] [match]\n"));
    filter.setSearchText(QStringLiteral("error"));
    QCOMPARE(filter.matches(), (std::vector<int> { 2 }));
    filter.setSearchText(QStringLiteral("nothing like this"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setSearchText(QString());
    QCOMPARE(filter.rowCount(), 2);
}

void tst_Waterfall::timeLineMapping_data()
{
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    QTest::addColumn<int>("width");
    QTest::addColumn<qint64>("time");
    QTest::addColumn<double>("x");

    QTest::newRow("origin") << qint64(1000) << qint64(2000) << 100 << qint64(1000) << 0.0;
    QTest::newRow("end") << qint64(1000) << qint64(2000) << 100 << qint64(2000) << 100.0;
    QTest::newRow("middle") << qint64(1000) << qint64(2000) << 100 << qint64(1500) << 50.0;
    QTest::newRow("before") << qint64(1000) << qint64(2000) << 100 << qint64(900) << -10.0;
    QTest::newRow("after") << qint64(1000) << qint64(2000) << 100 << qint64(2500) << 150.0;
    QTest::newRow("epoch ns") << T0 << T0 + 10 * Ms << 1000 << T0 + 5 * Ms << 500.0;
    QTest::newRow("sub-ns pixels") << qint64(0) << qint64(10) << 1000 << qint64(1) << 100.0;
}

void tst_Waterfall::timeLineMapping()
{
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    QFETCH(int, width);
    QFETCH(qint64, time);
    QFETCH(double, x);
    TimeLineData data;
    data.fullStart = data.visibleStart = start;
    data.fullEnd = data.visibleEnd = end;
    data.width = width;
    QCOMPARE(data.mapTimeToX(time), x);
    QCOMPARE(data.mapXToTime(x), time);
}

void tst_Waterfall::timeLineZoom_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("b");
    QTest::addColumn<qint64>("visibleStart");
    QTest::addColumn<qint64>("visibleEnd");

    // The full range is [0, 1000000] ns drawn on 1000 px (1000 ns per px).
    QTest::newRow("zoom 2x at left edge") << QStringLiteral("zoom") << 2.0 << 0.0 << qint64(0) << qint64(500000);
    QTest::newRow("zoom 2x at right edge")
        << QStringLiteral("zoom") << 2.0 << 1000.0 << qint64(500000) << qint64(1000000);
    QTest::newRow("zoom 4x around middle")
        << QStringLiteral("zoom") << 4.0 << 500.0 << qint64(375000) << qint64(625000);
    QTest::newRow("zoom 2x at 100px keeps anchor")
        << QStringLiteral("zoom") << 2.0 << 100.0 << qint64(50000) << qint64(550000);
    QTest::newRow("zoom out beyond full clamps")
        << QStringLiteral("zoom") << 0.25 << 300.0 << qint64(0) << qint64(1000000);
    QTest::newRow("zoom in to minimum") << QStringLiteral("zoom") << 1e9 << 500.0 << qint64(499950) << qint64(500050);
    QTest::newRow("zoomTo") << QStringLiteral("zoomTo") << 200000.0 << 300000.0 << qint64(200000) << qint64(300000);
    QTest::newRow("zoomTo reversed") << QStringLiteral("zoomTo") << 300000.0 << 200000.0 << qint64(200000)
                                     << qint64(300000);
    QTest::newRow("zoomTo past end clamps")
        << QStringLiteral("zoomTo") << 900000.0 << 1200000.0 << qint64(900000) << qint64(1000000);
    QTest::newRow("zoomTo before start clamps")
        << QStringLiteral("zoomTo") << -500.0 << 100000.0 << qint64(0) << qint64(100000);
    QTest::newRow("zoomTo tiny widens around its centre")
        << QStringLiteral("zoomTo") << 5000.0 << 5010.0 << qint64(4955) << qint64(5055);
    // After zooming 2x at the left edge the window is [0, 500000]: 500 ns per pixel.
    QTest::newRow("pan right after zoom")
        << QStringLiteral("zoomPan") << 100.0 << 0.0 << qint64(50000) << qint64(550000);
    QTest::newRow("pan left stops at start")
        << QStringLiteral("zoomPan") << -5000.0 << 0.0 << qint64(0) << qint64(500000);
    QTest::newRow("pan right stops at end")
        << QStringLiteral("zoomPan") << 5000.0 << 0.0 << qint64(500000) << qint64(1000000);
    QTest::newRow("panTo") << QStringLiteral("zoomPanTo") << 123000.0 << 0.0 << qint64(123000) << qint64(623000);
    QTest::newRow("reset") << QStringLiteral("reset") << 0.0 << 0.0 << qint64(0) << qint64(1000000);
}

void tst_Waterfall::timeLineZoom()
{
    QFETCH(QString, op);
    QFETCH(double, a);
    QFETCH(double, b);
    QFETCH(qint64, visibleStart);
    QFETCH(qint64, visibleEnd);
    TimeLineData data;
    data.setFullRange(0, 1000000);
    data.width = 1000;
    if (op == QLatin1String("zoom")) {
        data.zoom(a, b);
    } else if (op == QLatin1String("zoomTo")) {
        data.zoomTo(qint64(a), qint64(b));
    } else if (op.startsWith(QLatin1String("zoomPan"))) {
        data.zoom(2, 0);
        QCOMPARE(data.visibleEnd, 500000);
        if (op == QLatin1String("zoomPanTo"))
            data.panTo(qint64(a));
        else
            data.panPixels(a);
        QCOMPARE(data.visibleDuration(), 500000);
    } else if (op == QLatin1String("reset")) {
        data.zoom(8, 300);
        QVERIFY(data.isZoomed());
        data.reset();
        QVERIFY(!data.isZoomed());
    }
    QCOMPARE(data.visibleStart, visibleStart);
    QCOMPARE(data.visibleEnd, visibleEnd);
    QVERIFY(data.visibleStart >= data.fullStart && data.visibleEnd <= data.fullEnd);
}

void tst_Waterfall::ticks_data()
{
    QTest::addColumn<qint64>("duration");
    QTest::addColumn<int>("width");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QStringList>("labels");

    QTest::newRow("9 s on 900 px") << qint64 { 9 } * 1000 * Ms << 900 << 1000 * Ms
                                   << QStringList { QStringLiteral("0"), QStringLiteral("1 s"), QStringLiteral("2 s") };
    QTest::newRow("1 s on 1000 px") << 1000 * Ms << 1000
                                    << 100
            * Ms << QStringList { QStringLiteral("0"), QStringLiteral("100 ms"), QStringLiteral("200 ms") };
    QTest::newRow("2.5 s on 1000 px") << 2500 * Ms << 1000 << 500 * Ms
                                      << QStringList { QStringLiteral("0"), QStringLiteral("500 ms"),
                                             QStringLiteral("1 s"), QStringLiteral("1.5 s") };
    QTest::newRow("50 µs on 1000 px") << qint64(50000) << 1000 << qint64(5000)
                                      << QStringList { QStringLiteral("0"), QStringLiteral("5 µs"),
                                             QStringLiteral("10 µs") };
    QTest::newRow("800 ns on 800 px") << qint64(800) << 800 << qint64(100)
                                      << QStringList { QStringLiteral("0"), QStringLiteral("100 ns") };
    // Beyond seconds, steps and labels read as a clock does (not "3600 s", "1515 min 36 s").
    QTest::newRow("10 min on 1000 px") << qint64 { 600 } * 1000 * Ms << 1000
                                       << qint64 { 60 } * 1000
            * Ms << QStringList { QStringLiteral("0"), QStringLiteral("1m"), QStringLiteral("2m") };
    QTest::newRow("25 h on 1000 px") << qint64 { 25 * 3600 + 15 * 60 + 36 } * 1000 * Ms << 1000
                                     << qint64 { 3 } * 3600 * 1000 * Ms
                                     << QStringList { QStringLiteral("0"), QStringLiteral("3h"), QStringLiteral("6h") };
}

void tst_Waterfall::ticks()
{
    QFETCH(qint64, duration);
    QFETCH(int, width);
    QFETCH(qint64, step);
    QFETCH(QStringList, labels);
    TimeLineData data;
    data.setFullRange(T0, T0 + duration);
    data.width = width;
    QCOMPARE(niceTickStep(data.nsPerPixel(), 90), step);
    const auto ticks = timeTicks(data, 90);
    QVERIFY(ticks.size() >= std::size_t(labels.size()));
    for (int i = 0; i < labels.size(); ++i)
        QCOMPARE(format::durationTick(ticks[i].time, ticks[i].step), labels[i]);
    for (std::size_t i = 1; i < ticks.size(); ++i)
        QVERIFY(ticks[i].x - ticks[i - 1].x >= 90 - 1e-6);

    // Zoomed in, ticks start at the first multiple of the step inside the window.
    data.zoomTo(T0 + duration / 3, T0 + duration / 2);
    const auto zoomed = timeTicks(data, 90);
    QVERIFY(!zoomed.empty());
    QVERIFY(zoomed.front().x >= 0);
    QVERIFY(zoomed.back().x <= width + 1e-6);

    // Labels and durations are spelled as everywhere else (tst_format has the whole table).
    QCOMPARE(format::durationTick(0, step), QStringLiteral("0"));
    QCOMPARE(format::duration(850), QStringLiteral("850 ns"));
    QCOMPARE(format::duration(12500), QStringLiteral("12.5 µs"));
    QCOMPARE(format::duration(1234 * Ms), QStringLiteral("1.23 s"));
    QCOMPARE(format::duration(qint64 { 125 } * 1000 * Ms), QStringLiteral("2m 05s"));
}

void tst_Waterfall::culling()
{
    // Five spans along [0, 1000] ns, window [400, 600] on 200 px.
    const std::vector<std::int64_t> start { 0, 100, 450, 550, 700 };
    const std::vector<std::int64_t> end { 1000, 300, 500, 800, 900 };
    TimeLineData data;
    data.setFullRange(0, 1000);
    data.width = 200;
    data.zoomTo(400, 600);
    const std::vector<int> all { 0, 1, 2, 3, 4 };
    std::vector<int> visible;
    for (int i : all) {
        if (const auto px = data.pixelSpan(start[i], end[i]))
            visible.push_back(i);
    }
    QCOMPARE(visible, (std::vector<int> { 0, 2, 3 }));
    // Clipped to the window.
    QCOMPARE(*data.pixelSpan(start[0], end[0]), (PixelSpan { 0, 200 }));
    QCOMPARE(*data.pixelSpan(start[2], end[2]), (PixelSpan { 50, 100 }));
    QCOMPARE(*data.pixelSpan(start[3], end[3]), (PixelSpan { 150, 200 }));

    // layoutBars culls the same way.
    const auto bars = layoutBars(data, std::vector<int> { 1, 2, 4 }, start, end);
    QCOMPARE(bars.size(), std::size_t(1));
    QCOMPARE(bars.front().span, 2);

    // An instant span still gets a visible bar.
    QCOMPARE(data.pixelSpan(500, 500, 2)->width(), 2);
}

void tst_Waterfall::subPixelMerging()
{
    // 1000 spans of 10 ns each within the first 510 ns of a 1 ms range on 1000 px: all in pixel 0.
    const int n = 1000;
    std::vector<std::int64_t> start(n + 2), end(n + 2);
    std::vector<int> indices;
    for (int i = 0; i < n; ++i) {
        start[i] = i / 2;
        end[i] = i / 2 + 10;
        indices.push_back(i);
    }
    // Two separate bars far away stay separate.
    start[n] = 500000;
    end[n] = 600000;
    start[n + 1] = 800000;
    end[n + 1] = 800001;
    indices.push_back(n);
    indices.push_back(n + 1);
    TimeLineData data;
    data.setFullRange(0, 1000000);
    data.width = 1000;
    const auto bars = layoutBars(data, indices, start, end);
    QCOMPARE(bars.size(), std::size_t(3));
    QCOMPARE(bars[0].count, n);
    QCOMPARE(bars[0].px, (PixelSpan { 0, 1 }));
    QCOMPARE(bars[1].px, (PixelSpan { 500, 600 }));
    QCOMPARE(bars[1].count, 1);
    QCOMPARE(bars[2].count, 1);
    // Overlapping bars of one run merge into their union.
    const std::vector<std::int64_t> s2 { 0, 5000, 9000 };
    const std::vector<std::int64_t> e2 { 6000, 9500, 20000 };
    const auto merged = layoutBars(data, std::vector<int> { 2, 0, 1 }, s2, e2);
    QCOMPARE(merged.size(), std::size_t(1));
    QCOMPARE(merged[0].px, (PixelSpan { 0, 20 }));
    QCOMPARE(merged[0].count, 3);
}

void tst_Waterfall::criticalPath_data()
{
    QTest::addColumn<QVector<int>>("depth");
    QTest::addColumn<QVector<qint64>>("start");
    QTest::addColumn<QVector<qint64>>("end");
    QTest::addColumn<QVector<int>>("expected");

    QTest::newRow("single span") << QVector<int> { 0 } << QVector<qint64> { 0 } << QVector<qint64> { 10 }
                                 << QVector<int> { 0 };
    // root [0,100]: a [0,30], b [30,60], c [60,100]: all three block in turn.
    QTest::newRow("sequential children") << QVector<int> { 0, 1, 1, 1 } << QVector<qint64> { 0, 0, 30, 60 }
                                         << QVector<qint64> { 100, 30, 60, 100 } << QVector<int> { 0, 1, 2, 3 };
    // root [0,100]: a [0,90] and b [0,50] in parallel, c [90,100]: b never held anything up.
    QTest::newRow("parallel children") << QVector<int> { 0, 1, 1, 1 } << QVector<qint64> { 0, 0, 0, 90 }
                                       << QVector<qint64> { 100, 90, 50, 100 } << QVector<int> { 0, 1, 3 };
    // Parallel overlap: a [10,60], b [40,80]; b finished last, a had not finished when b started.
    QTest::newRow("overlapping siblings") << QVector<int> { 0, 1, 1 } << QVector<qint64> { 0, 10, 40 }
                                          << QVector<qint64> { 100, 60, 80 } << QVector<int> { 0, 2 };
    // Nested: root > a > (a1 [5,20], a2 [20,50]), b [50,60] under root; a1 and a2 sequential.
    QTest::newRow("nested") << QVector<int> { 0, 1, 2, 2, 1 } << QVector<qint64> { 0, 0, 5, 20, 50 }
                            << QVector<qint64> { 60, 50, 20, 50, 60 } << QVector<int> { 0, 1, 2, 3, 4 };
    // A child outliving its parent (fire and forget) is not on the path; its sibling is.
    QTest::newRow("child after parent end") << QVector<int> { 0, 1, 1 } << QVector<qint64> { 0, 10, 5 }
                                            << QVector<qint64> { 100, 150, 40 } << QVector<int> { 0, 2 };
    // Orphan finishing inside the root's time: the root alone determined the end.
    QTest::newRow("orphan inside") << QVector<int> { 0, 1, 0 } << QVector<qint64> { 0, 0, 20 }
                                   << QVector<qint64> { 100, 100, 40 } << QVector<int> { 0, 1 };
    // Orphan that finished last determined the end of what was observed, the root before it.
    QTest::newRow("orphan last") << QVector<int> { 0, 1, 0 } << QVector<qint64> { 0, 0, 110 }
                                 << QVector<qint64> { 100, 100, 150 } << QVector<int> { 0, 1, 2 };
    QTest::newRow("empty") << QVector<int> {} << QVector<qint64> {} << QVector<qint64> {} << QVector<int> {};
}

void tst_Waterfall::criticalPath()
{
    QFETCH(QVector<int>, depth);
    QFETCH(QVector<qint64>, start);
    QFETCH(QVector<qint64>, end);
    QFETCH(QVector<int>, expected);
    const SpanTree tree = treeOf(std::vector<int>(depth.begin(), depth.end()));
    const std::vector<std::int64_t> s(start.begin(), start.end());
    const std::vector<std::int64_t> e(end.begin(), end.end());
    const auto path = ui::criticalPath(tree, s, e);
    QCOMPARE(QVector<int>(path.begin(), path.end()), expected);
}

void tst_Waterfall::search()
{
    WaterfallView view;
    view.resize(1200, 600);
    view.setTrace(makeTrace(agentFixture()));
    // Shortcuts only fire in the active window.
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    QVERIFY(search && label && tree);
    QSignalSpy spy(&view, &WaterfallView::currentSpanChanged);

    search->setText(QStringLiteral("search_hotels"));
    // The filter follows the typing after a short delay, not on every key.
    QCOMPARE(label->text(), QString());
    QTRY_COMPARE(label->text(), QStringLiteral("2 matches"));
    QCOMPARE(printTree(tree->model()),
        QStringLiteral("invoke_agent travel_planner | 9.2 s [critical]\n"
                       "  invoke_agent hotel_agent | 3.39 s [critical]\n"
                       "    execute_tool search_hotels | 1.19 s [error] [critical] [match]\n"
                       "    execute_tool search_hotels | 690 ms [critical] [match]\n"));

    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(view.currentSpan(), 14);
    QCOMPARE(label->text(), QStringLiteral("1 of 2"));
    QTest::keyClick(search, Qt::Key_F3);
    QCOMPARE(view.currentSpan(), 16);
    QCOMPARE(label->text(), QStringLiteral("2 of 2"));
    QTest::keyClick(search, Qt::Key_F3);
    QCOMPARE(view.currentSpan(), 14); // wraps
    QTest::keyClick(search, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(view.currentSpan(), 16);
    QCOMPARE(spy.count(), 4);
    QTest::keyClick(search, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(view.currentSpan(), 14);
    // Ctrl+F from the tree goes back to the search field.
    tree->setFocus();
    QTest::keyClick(tree, Qt::Key_F, Qt::ControlModifier);
    QVERIFY(search->hasFocus());

    // Kinds and models are searched too.
    search->setText(QStringLiteral("claude"));
    QTRY_COMPARE(label->text(), QStringLiteral("2 matches"));
    search->setText(QStringLiteral("zzz"));
    QTRY_COMPARE(label->text(), QStringLiteral("No matches"));
    QCOMPARE(tree->model()->rowCount(), 0);
    search->clear();
    QTRY_COMPARE(label->text(), QString());
    QCOMPARE(tree->model()->rowCount(), 2);
}

void tst_Waterfall::searchIndex()
{
    // Spans of a few sorts with text of their own here and there: upper case, error messages with
    // numbers, non-ASCII names, empty fields.
    auto trace = std::make_shared<store::TraceDetail>();
    std::mt19937 rng(7);
    const char *names[] = { "Chat GPT-4o", "execute_tool Get_Weather", "invoke_agent planner", "résumé writer",
        "GET /search", "retrieve documents", "" };
    const char *models[] = { "", "gpt-4o-2024-08-06", "claude-3-5-sonnet", "" };
    const char *tools[] = { "", "get_weather", "search_flights" };
    for (int i = 0; i < 3000; ++i) {
        core::Span s;
        s.name = names[rng() % std::size(names)];
        s.kind = SpanKind(rng() % 9);
        s.response_model = models[rng() % std::size(models)];
        s.tool_name = tools[rng() % std::size(tools)];
        s.agent_name = rng() % 5 == 0 ? "Travel_Planner" : "";
        s.service_name = rng() % 2 ? "booking-svc" : "";
        if (rng() % 40 == 0) {
            s.status = core::StatusCode::Error;
            s.status_message = "Timeout after " + std::to_string(rng() % 5000) + " ms";
        } else if (rng() % 60 == 0) {
            s.status = core::StatusCode::Error; // failed without a message
        }
        trace->spans.push_back(std::move(s));
        trace->depth.push_back(i == 0 ? 0 : 1 + int(rng() % 3));
        trace->orphan.push_back(false);
    }
    const auto data = WaterfallData::build(trace);
    QCOMPARE(data->searchIndex().spanCount(), trace->spans.size());
    // Spans of one sort share a record: a 100k-span agent run has a handful.
    QVERIFY(WaterfallData::build(bigTrace())->searchIndex().recordCount() < 50);
    const QStringList needles { QStringLiteral("gpt"), QStringLiteral("GPT-4O"), QStringLiteral("weather"),
        QStringLiteral("error"), QStringLiteral("err"), QStringLiteral("r"), QStringLiteral("ms"),
        QStringLiteral("agent"), QStringLiteral("tool"), QStringLiteral("timeout after 1"),
        QStringLiteral("  planner "), QStringLiteral("résumé"), QStringLiteral("RÉSUMÉ"),
        QStringLiteral("travel_planner"), QStringLiteral("svc"),
        // Across the end of one field and the start of the next: never a match.
        QStringLiteral("planneragent"), QStringLiteral("sonnetget"), QStringLiteral("nothing like this") };
    for (const QString &needle : needles) {
        const auto filter = SpanFilter::compute(data, needle, 1000);
        QVERIFY2(filter, qPrintable(needle));
        QCOMPARE(filter->matches, spansMatching(*trace, needle));
        // Every ancestor of a match is kept, and nothing else.
        std::vector<std::uint8_t> kept(trace->spans.size(), 0);
        for (const int m : filter->matches)
            for (int p = m; p >= 0 && !kept[p]; p = data->tree.parent[p])
                kept[p] = 1;
        for (std::size_t i = 0; i < kept.size(); ++i)
            QCOMPARE(filter->state[i] != 0, kept[i] != 0);
    }
    QCOMPARE(spansMatching(*trace, QStringLiteral("planneragent")).size(), std::size_t(0));
    QVERIFY(!spansMatching(*trace, QStringLiteral("ms")).empty());
    QVERIFY(!SpanFilter::compute(data, QStringLiteral("   "), 1000)); // nothing to search for
    QVERIFY(!SpanFilter::compute(nullptr, QStringLiteral("gpt"), 1000));
    // A search nobody waits for any more stops without an answer.
    QVERIFY(!SpanFilter::compute(data, QStringLiteral("gpt"), 1000, [] { return true; }));
}

void tst_Waterfall::keptTree()
{
    // 0 ┬ 1 ─ 2      keep 0, 1, 2 and 5, 6: the kept tree drops 3 and 4.
    //   └ 3
    // 4 (top level)
    // 5 ─ 6
    const SpanTree full = treeOf({ 0, 1, 2, 1, 0, 0, 1 });
    const SpanTree kept = ui::keptTree(full, { 1, 1, 1, 0, 0, 1, 1 });
    QCOMPARE(kept.roots, (std::vector<int> { 0, 5 }));
    QCOMPARE(kept.row, (std::vector<int> { 0, 0, 0, -1, -1, 1, 0 }));
    QCOMPARE(kept.childCount(0), 1);
    QCOMPARE(kept.child(0, 0), 1);
    QCOMPARE(kept.childCount(1), 1);
    QCOMPARE(kept.childCount(3), 0);
    QCOMPARE(kept.childCount(5), 1);
    QCOMPARE(kept.child(5, 0), 6);
    QCOMPARE(kept.childCount(-1), 2);
    QCOMPARE(ui::keptTree(full, std::vector<std::uint8_t>(7, 0)).childCount(-1), 0);
}

void tst_Waterfall::searchExpansionBudget()
{
    // "a hit" at the top level, then a parent of 100 spans that all match, then one more top-level
    // parent with a single match below it.
    std::vector<Row> rows { { 0, "a hit", SpanKind::Tool, 0, 1 }, { 0, "parent", SpanKind::Agent, 1, 200 } };
    for (int i = 0; i < 100; ++i)
        rows.push_back({ 1, "hit", SpanKind::Tool, 2.0 + i, 3.0 + i });
    rows.push_back({ 0, "other parent", SpanKind::Agent, 200, 300 });
    rows.push_back({ 1, "last hit", SpanKind::Tool, 201, 202 });
    const auto data = WaterfallData::build(makeTrace(rows));
    // Enough rows for everything: both parents expanded, top down.
    QCOMPARE(SpanFilter::compute(data, QStringLiteral("hit"), 1000)->expand, (std::vector<int> { 1, 102 }));
    // Expanding "parent" would lay out 3 + 100 rows: the matches below it wait for stepping, and so
    // does the one after them (the first matches show, not a selection from all over the trace).
    const auto small = SpanFilter::compute(data, QStringLiteral("hit"), 50);
    QCOMPARE(small->matches.size(), std::size_t(102));
    QCOMPARE(small->expand, std::vector<int> {});
    // The first match always shows, whatever it costs.
    QCOMPARE(SpanFilter::compute(data, QStringLiteral("last hit"), 1)->expand, (std::vector<int> { 102 }));
}

void tst_Waterfall::searchIsOneReset()
{
    // The freeze: re-filtering an expanded 100k-span tree removed rows parent by parent, and each
    // removal walked every expanded row the view keeps. A search (and clearing it) is one reset now.
    WaterfallView view;
    view.resize(1280, 720);
    view.show();
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    view.setTrace(bigTrace());
    QVERIFY(opened(tree));
    const int topLevel = tree->model()->rowCount();
    const int expandedAtOpen = laidOutRows(tree);
    QCOMPARE(expandedAtOpen, int(bigTrace()->spans.size())); // opens fully expanded
    QSignalSpy resets(tree->model(), &QAbstractItemModel::modelReset);
    QSignalSpy removals(tree->model(), &QAbstractItemModel::rowsAboutToBeRemoved);
    QSignalSpy insertions(tree->model(), &QAbstractItemModel::rowsAboutToBeInserted);
    QSignalSpy layouts(tree->model(), &QAbstractItemModel::layoutAboutToBeChanged);

    search->setText(QStringLiteral("weather"));
    const auto expected = spansMatching(*bigTrace(), QStringLiteral("weather"));
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), matchesText(expected.size()), 20000);
    QCOMPARE(removals.count(), 0);
    QCOMPARE(insertions.count(), 0);
    QCOMPARE(layouts.count(), 0);
    QCOMPARE(resets.count(), 1);

    search->clear();
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), QString(), 20000);
    QCOMPARE(tree->model()->rowCount(), topLevel);
    // Expanded again as it opened (a chunk at a time).
    QTRY_COMPARE_WITH_TIMEOUT(laidOutRows(tree), expandedAtOpen, 20000);
    QCOMPARE(removals.count(), 0);
    QCOMPARE(insertions.count(), 0);
    QCOMPARE(layouts.count(), 0);
    QCOMPARE(resets.count(), 2);
}

void tst_Waterfall::searchDebounce()
{
    WaterfallView view;
    view.resize(1280, 720);
    view.setTrace(makeTrace(agentFixture()));
    view.show();
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    QSignalSpy resets(tree->model(), &QAbstractItemModel::modelReset);
    // Keys typed in a burst make one search, after the burst.
    QTest::keyClicks(search, QStringLiteral("hot"));
    QCOMPARE(resets.count(), 0);
    QCOMPARE(tree->model()->rowCount(), 2);
    QCOMPARE(label->text(), QString());
    QTRY_COMPARE(label->text(), QStringLiteral("5 matches"));
    QVERIFY(label->isEnabled());
    QCOMPARE(resets.count(), 1);
    QCOMPARE(tree->model()->rowCount(), 1);
    // Typing on: the old count stays, greyed, until the new one comes.
    QTest::keyClicks(search, QStringLiteral("el_"));
    QVERIFY(!label->isEnabled());
    QCOMPARE(label->text(), QStringLiteral("5 matches"));
    QTRY_COMPARE(label->text(), QStringLiteral("1 match"));
    QVERIFY(label->isEnabled());
    QCOMPARE(resets.count(), 2);
    // The matches show with their ancestors, expanded.
    QCOMPARE(printTree(tree->model()),
        QStringLiteral("invoke_agent travel_planner | 9.2 s [critical]\n"
                       "  invoke_agent hotel_agent | 3.39 s [critical] [match]\n"));
    QVERIFY(tree->isExpanded(tree->model()->index(0, 0)));
    // Typing the same text again searches nothing.
    QTest::keyClick(search, Qt::Key_Backspace);
    QTest::keyClicks(search, QStringLiteral("_"));
    QTest::qWait(200);
    QCOMPARE(resets.count(), 2);
    QVERIFY(label->isEnabled());
    // Escape clears.
    QTest::keyClick(search, Qt::Key_Escape);
    QTRY_COMPARE(label->text(), QString());
    QCOMPARE(tree->model()->rowCount(), 2);
}

void tst_Waterfall::searchStaleResultsDropped()
{
    WaterfallView view;
    view.resize(1280, 720);
    view.show();
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    view.setTrace(bigTrace());
    QVERIFY(opened(tree));
    QStringList shown;
    // The connection ends with this function (its context, scope, goes first), with what it captures.
    QObject scope;
    connect(tree->model(), &QAbstractItemModel::modelReset, &scope, [&] {
        shown << qobject_cast<WaterfallFilterModel *>(tree->model())->searchText(); // clazy:exclude=lambda-in-connect
    });

    // Hold the search thread, so that the searches queue up and finish only when let go.
    QThreadPool *pool = view.searchThread();
    const int threads = pool->maxThreadCount();
    auto holding = std::make_shared<QSemaphore>();
    auto gate = std::make_shared<QSemaphore>();
    for (int i = 0; i < threads; ++i) {
        (void)QtConcurrent::run(pool, [holding, gate] {
            holding->release();
            gate->acquire();
        });
    }
    // Let them go however the test ends.
    const auto release = qScopeGuard([gate, threads] { gate->release(threads); });
    QVERIFY(holding->tryAcquire(threads, 10000));
    search->setText(QStringLiteral("weather"));
    QTRY_COMPARE(label->text(), QStringLiteral("Searching…")); // the search for "weather" waits for a thread
    QVERIFY(!label->isEnabled());
    search->setText(QStringLiteral("refund"));
    QTest::qWait(150); // the search for "refund" queues too
    gate->release(threads);
    const auto expected = spansMatching(*bigTrace(), QStringLiteral("refund"));
    QTRY_COMPARE_WITH_TIMEOUT(label->text(), matchesText(expected.size()), 20000);
    QVERIFY(label->isEnabled());
    QTest::qWait(100);
    // The result for "weather" came after the text had changed: never shown.
    QCOMPARE(shown, QStringList { QStringLiteral("refund") });
    QCOMPARE(qobject_cast<WaterfallFilterModel *>(tree->model())->matches(), expected);
}

void tst_Waterfall::searchBigTrace()
{
    WaterfallView view;
    view.resize(1280, 720);
    view.show();
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    view.setTrace(bigTrace());
    QVERIFY(opened(tree));
    auto *filter = qobject_cast<WaterfallFilterModel *>(tree->model());
    QVERIFY(filter);
    // A rare word, some hundreds of hits, thousands, nearly every span, none.
    for (const char *word : { "refund", "weather", "error", "retrieve", "e", "nowhere" }) {
        const QString text = QString::fromLatin1(word);
        const auto expected = spansMatching(*bigTrace(), text);
        search->setText(text);
        QTRY_COMPARE_WITH_TIMEOUT(
            label->text(), expected.empty() ? QStringLiteral("No matches") : matchesText(expected.size()), 20000);
        QCOMPARE(filter->matches(), expected);
        if (expected.empty()) {
            QCOMPARE(tree->model()->rowCount(), 0);
            continue;
        }
        // The first match shows in the tree (its ancestors expanded) and is marked as a match.
        const QModelIndex first = filter->indexForSpan(expected.front());
        QVERIFY(first.isValid());
        for (QModelIndex p = first.parent(); p.isValid(); p = p.parent())
            QVERIFY2(tree->isExpanded(p), word);
        QCOMPARE(first.data(WaterfallModel::MatchRole).toInt(), int(WaterfallModel::Match));
        // However many matches, the view lays out a bounded number of rows.
        QVERIFY2(laidOutRows(tree) <= 20000 + 1, word);
    }
    QVERIFY(spansMatching(*bigTrace(), QStringLiteral("e")).size() > 90000);

    // Another trace is searched for the same text.
    auto small = makeTrace(agentFixture());
    search->setText(QStringLiteral("hotel"));
    QTRY_COMPARE(label->text(), QStringLiteral("No matches"));
    view.setTrace(small);
    QTRY_COMPARE(label->text(), QStringLiteral("5 matches"));
    QCOMPARE(filter->matches(), spansMatching(*small, QStringLiteral("hotel")));
}

void tst_Waterfall::slimTraceShowsTheSame()
{
    // A big trace is read slim (names interned, no payloads): every row, tooltip and role reads the
    // same as from the whole spans.
    auto agent = makeTrace(agentFixture());
    agent->spans[6].tool_name = "search_flights"; // in the name: no secondary text
    agent->spans[10].tool_name = "fx_rates"; // not in the name: shown dimmed after it
    agent->spans[1].tool_name = "moderation"; // a guardrail: no secondary text either
    agent->spans[8].provider = "openweather";
    agent->spans[5].cost_usd = 0.0123;
    agent->spans[5].tokens.cache_read = 300;
    agent->spans[11].tokens = {};
    agent->spans[11].tokens.total = 99; // reported a total only: "– in · – out"
    agent->spans[0].agent_name = "travel_planner";
    agent->spans[0].service_name = "planner-svc";
    for (const auto &whole : { std::shared_ptr<const store::TraceDetail>(agent), bigTrace() }) {
        const auto slim = slimOf(*whole);
        QVERIFY(slim->slim());
        QCOMPARE(slim->spanCount(), whole->spans.size());
        WaterfallModel a, b;
        QAbstractItemModelTester tester(&b, QAbstractItemModelTester::FailureReportingMode::QtTest);
        a.setWaterfallData(WaterfallData::build(whole));
        b.setWaterfallData(WaterfallData::build(slim));
        QCOMPARE(b.waterfallData()->table, &slim->table); // read in place, not copied
        if (whole == bigTrace())
            QCOMPARE(printTree(&b), printTree(&a));
        const int step = whole->spans.size() > 1000 ? 97 : 1;
        for (int i = 0; i < int(whole->spans.size()); i += step) {
            for (int column = 0; column < WaterfallModel::NUM_COLUMNS; ++column) {
                const QModelIndex ia = a.indexForSpan(i, column), ib = b.indexForSpan(i, column);
                QCOMPARE(ib.row(), ia.row());
                for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::TextAlignmentRole),
                         int(WaterfallModel::SpanIndexRole), int(WaterfallModel::StartRole),
                         int(WaterfallModel::EndRole), int(WaterfallModel::KindRole), int(WaterfallModel::ErrorRole),
                         int(WaterfallModel::OrphanRole), int(WaterfallModel::CriticalRole),
                         int(WaterfallModel::SecondaryTextRole) })
                    QCOMPARE(ib.data(role), ia.data(role));
            }
        }
        // The narrow span a slim trace gives back holds the fields the rows show.
        const core::Span narrow = slim->span(5);
        QCOMPARE(narrow.name, whole->spans[5].name);
        QCOMPARE(narrow.tokens, whole->spans[5].tokens);
        QCOMPARE(narrow.cost_usd, whole->spans[5].cost_usd);
        QCOMPARE(narrow.model(), whole->spans[5].model());
        QCOMPARE(slim->spanId(7), whole->spans[7].span_id);
        QCOMPARE(slim->indexOf(whole->spans[7].span_id), 7);
        for (const char *word : { "hotel", "weather", "error", "gpt", "planner-svc", "travel_planner", "e", "zzz" }) {
            const QString text = QString::fromLatin1(word);
            const auto filter = SpanFilter::compute(b.waterfallData(), text, 100);
            QVERIFY(filter);
            QCOMPARE(filter->matches, spansMatching(*whole, text));
        }
    }
    // The tooltip of a span that reported a total only, and one with a cost.
    WaterfallModel model;
    model.setWaterfallData(WaterfallData::build(slimOf(*agent)));
    QVERIFY(model.toolTip(11).contains(QStringLiteral("– in · – out")));
    QVERIFY(model.toolTip(5).contains(QStringLiteral("Cost")));
    QVERIFY(model.toolTip(8).contains(QStringLiteral("openweather")));
}

void tst_Waterfall::searchSlimBigTrace()
{
    // The view with a big trace read slim: search, hits by the thousand, stepping to a match.
    WaterfallView view;
    view.resize(1280, 720);
    view.show();
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    const auto slim = slimOf(*bigTrace());
    view.setTrace(slim);
    QVERIFY(opened(tree));
    auto *filter = qobject_cast<WaterfallFilterModel *>(tree->model());
    QVERIFY(filter);
    for (const char *word : { "refund", "weather", "retrieve", "nowhere" }) {
        const QString text = QString::fromLatin1(word);
        const auto expected = spansMatching(*bigTrace(), text);
        search->setText(text);
        QTRY_COMPARE_WITH_TIMEOUT(
            label->text(), expected.empty() ? QStringLiteral("No matches") : matchesText(expected.size()), 20000);
        QCOMPARE(filter->matches(), expected);
        if (expected.empty())
            continue;
        QVERIFY(expected.size() > 2 || std::string_view(word) == "refund");
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(view.currentSpan(), expected.front());
        QVERIFY2(laidOutRows(tree) <= 20000 + 1, word);
    }
    QVERIFY(spansMatching(*bigTrace(), QStringLiteral("retrieve")).size() > 10000); // thousands of hits
}

void tst_Waterfall::searchStepping()
{
    WaterfallView view;
    view.resize(1280, 720);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    view.setTrace(bigTrace());
    QVERIFY(opened(tree));
    const auto matches = spansMatching(*bigTrace(), QStringLiteral("weather"));
    QVERIFY(matches.size() > 400);
    const QString total = QLocale().toString(qulonglong(matches.size()));
    const auto of = [&](int k) -> QString { return QLocale().toString(k) + QLatin1String(" of ") + total; };
    const auto visible = [&](int span) {
        const QModelIndex index = qobject_cast<WaterfallFilterModel *>(tree->model())->indexForSpan(span);
        return index.isValid() && tree->viewport()->rect().intersects(tree->visualRect(index));
    };

    // Enter right after typing: steps once the search is done.
    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("weather"));
    QTest::keyClick(search, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(view.currentSpan(), matches[0], 20000);
    QCOMPARE(label->text(), of(1));
    QVERIFY(visible(matches[0]));
    QVERIFY(search->hasFocus()); // typing can go on
    QTest::keyClick(search, Qt::Key_Return);
    QCOMPARE(view.currentSpan(), matches[1]);
    QTest::keyClick(search, Qt::Key_F3);
    QCOMPARE(view.currentSpan(), matches[2]);
    QCOMPARE(label->text(), of(3));
    QTest::keyClick(search, Qt::Key_F3, Qt::ShiftModifier);
    QCOMPARE(view.currentSpan(), matches[1]);
    QTest::keyClick(search, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(view.currentSpan(), matches[0]);
    // Before the first: wraps to the last match, far down and not expanded by the search itself.
    QTest::keyClick(search, Qt::Key_Return, Qt::ShiftModifier);
    QCOMPARE(view.currentSpan(), matches.back());
    QCOMPARE(label->text(), of(int(matches.size())));
    QVERIFY(visible(matches.back()));
    QTest::keyClick(search, Qt::Key_F3);
    QCOMPARE(view.currentSpan(), matches[0]);

    // Down goes to the tree, and arrows move through the kept spans.
    QTest::keyClick(search, Qt::Key_Down);
    QVERIFY(tree->hasFocus());
    QTest::keyClick(tree, Qt::Key_Up);
    // The row above the first match is its parent: the search keeps nothing else before it.
    int parent = matches[0] - 1;
    while (bigTrace()->depth[parent] != bigTrace()->depth[matches[0]] - 1)
        --parent;
    QCOMPARE(view.currentSpan(), parent);
    QCOMPARE(label->text(), matchesText(matches.size()));
    QTest::keyClick(tree, Qt::Key_Down);
    QCOMPARE(view.currentSpan(), matches[0]);
    QTest::keyClick(tree, Qt::Key_Up);

    // Clearing the search keeps the current span, shown in the full tree.
    const int current = view.currentSpan();
    search->clear();
    QTRY_COMPARE(label->text(), QString());
    QCOMPARE(view.currentSpan(), current);
    QTRY_VERIFY(visible(current));
}

void tst_Waterfall::viewCurrentSpan()
{
    WaterfallView view;
    QSignalSpy spy(&view, &WaterfallView::currentSpanChanged);
    QCOMPARE(view.currentSpan(), -1);
    auto trace = makeTrace(agentFixture());
    view.setTrace(trace);
    QCOMPARE(view.trace(), trace);
    view.setCurrentSpan(19); // nested four levels deep
    QCOMPARE(view.currentSpan(), 19);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.last().at(0).toInt(), 19);
    view.setCurrentSpan(19);
    QCOMPARE(spy.count(), 1);
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    QCOMPARE(tree->currentIndex().data().toString(), QStringLiteral("embeddings text-embedding-3-small"));

    // Keyboard: Down moves to the next row, which is the next span in tree order.
    QTest::keyClick(tree, Qt::Key_Down);
    QCOMPARE(view.currentSpan(), 20);

    view.setCurrentSpan(-1);
    QCOMPARE(view.currentSpan(), -1);
    view.setCurrentSpan(3);
    view.setTrace(nullptr);
    QCOMPARE(view.currentSpan(), -1);
    QCOMPARE(spy.last().at(0).toInt(), -1);
    QVERIFY(!view.trace());
    QCOMPARE(tree->model()->rowCount(), 0);
}

void tst_Waterfall::asyncBuild()
{
    // Big enough to be built on a worker thread.
    std::vector<Row> rows { { 0, "root", SpanKind::Agent, 0, 100000 } };
    for (int i = 0; i < 30000; ++i)
        rows.push_back({ 1 + (i % 3 == 0 ? 0 : 1), "step", SpanKind::Tool, i * 3.0, i * 3.0 + 2 });
    auto big = makeTrace(rows);
    WaterfallView view;
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    view.setTrace(big);
    view.setCurrentSpan(5);
    // Asked for again while it is being built (a reload): the span selected last is the one shown.
    view.setTrace(big);
    view.setCurrentSpan(7);
    QCOMPARE(view.trace(), big);
    QTRY_VERIFY(tree->model()->rowCount() > 0);
    QCOMPARE(view.currentSpan(), 7);
    // A small trace asked for while the big one is being built shows at once; the big one's tree,
    // when it is done, is dropped.
    auto small = makeTrace(smallFixture());
    view.setTrace(big);
    view.setTrace(small);
    QCOMPARE(tree->model()->rowCount(), 2);
    // Every build has finished and its result been handled (each watcher deletes itself then):
    // only now does "still the small trace" say that the stale result was dropped.
    QTRY_VERIFY_WITH_TIMEOUT(view.findChildren<QFutureWatcherBase *>().isEmpty(), 30000);
    QCOMPARE(tree->model()->rowCount(), 2);
    QCOMPARE(view.trace(), small);
}

void tst_Waterfall::timelineMouseAndKeys()
{
    WaterfallView view;
    view.resize(1400, 700);
    view.setTrace(makeTrace(agentFixture()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *tree = view.findChild<WaterfallTreeView *>(QStringLiteral("waterfallTree"));
    auto *minimap = view.findChild<WaterfallMinimap *>(QStringLiteral("waterfallMinimap"));
    auto *reset = view.findChild<QToolButton *>(QStringLiteral("waterfallResetZoom"));
    QVERIFY(tree && minimap && reset);
    QTRY_VERIFY(tree->model()->rowCount() > 0);
    QWidget *viewport = tree->viewport();
    // What the user sees of the zoom: the minimap's window over the whole trace, and the reset button.
    const QRect whole = minimap->windowRect();
    QVERIFY(!reset->isEnabled());
    const int left = tree->header()->sectionViewportPosition(2);
    const int width = tree->header()->sectionSize(2);
    const int y = tree->visualRect(tree->model()->index(0, 0)).center().y();
    const QPoint middle(left + width / 2, y);
    auto wheel = [viewport](QPoint pos, QPoint angle, Qt::KeyboardModifiers modifiers) {
        QWheelEvent event(
            pos, viewport->mapToGlobal(pos), QPoint(), angle, Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(viewport, &event);
    };

    // Ctrl+wheel zooms in around the mouse, and out again.
    wheel(middle, QPoint(0, 120), Qt::ControlModifier);
    QVERIFY(reset->isEnabled());
    const QRect zoomed = minimap->windowRect();
    QVERIFY2(zoomed.width() < whole.width() * 0.85,
        qPrintable(QStringLiteral("%1 of %2").arg(zoomed.width()).arg(whole.width())));
    QVERIFY(zoomed.left() > whole.left() && zoomed.right() < whole.right()); // around the middle
    // Shift+wheel pans later, a sideways wheel earlier.
    wheel(middle, QPoint(0, -120), Qt::ShiftModifier);
    QVERIFY(minimap->windowRect().left() > zoomed.left());
    QVERIFY(std::abs(minimap->windowRect().width() - zoomed.width()) <= 1); // the same span of time, to the pixel
    const QRect panned = minimap->windowRect();
    wheel(middle, QPoint(120, 0), Qt::NoModifier);
    QVERIFY(minimap->windowRect().left() < panned.left());
    wheel(middle, QPoint(0, -120), Qt::ControlModifier);
    QVERIFY(minimap->windowRect().width() > zoomed.width());
    // Escape shows the whole trace again; the tree claims the key while there is a zoom to undo.
    QTest::keyClick(tree, Qt::Key_Escape);
    QVERIFY(!reset->isEnabled());
    QCOMPARE(minimap->windowRect(), whole);
    // A plain wheel does not touch the time line.
    wheel(middle, QPoint(0, -120), Qt::NoModifier);
    QVERIFY(!reset->isEnabled());

    // Dragging over the time line chooses a range; Escape before letting go drops it.
    const QPoint from(left + width / 4, y);
    const QPoint to(left + width / 2, y);
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QTest::mouseMove(viewport, from + QPoint(20, 0));
    QTest::mouseMove(viewport, to);
    QTest::keyClick(tree, Qt::Key_Escape);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    QVERIFY(!reset->isEnabled());
    // Let go: the waterfall shows that range, about a quarter of the trace.
    const QPoint inBand((from.x() + to.x()) / 2, y);
    const QRgb plain = viewport->grab().toImage().pixel(inBand);
    QTest::mousePress(viewport, Qt::LeftButton, {}, from);
    QTest::mouseMove(viewport, from + QPoint(20, 0));
    QTest::mouseMove(viewport, to);
    QVERIFY(viewport->grab().toImage().pixel(inBand) != plain); // the band, drawn while dragging
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, to);
    QVERIFY(reset->isEnabled());
    const double share = double(minimap->windowRect().width()) / whole.width();
    QVERIFY2(share > 0.2 && share < 0.3, qPrintable(QString::number(share)));
    // Double-click on the time line: the whole trace.
    QTest::mouseDClick(viewport, Qt::LeftButton, {}, middle);
    QVERIFY(!reset->isEnabled());
    // A press that hardly moves is a click on a row, not a range.
    const QPoint second(left + width / 2, tree->visualRect(tree->model()->index(0, 0)).bottom() + 6);
    QTest::mousePress(viewport, Qt::LeftButton, {}, second);
    QTest::mouseMove(viewport, second + QPoint(2, 0));
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, second + QPoint(2, 0));
    QVERIFY(!reset->isEnabled());
    QCOMPARE(tree->currentIndex().row(), tree->indexAt(second).row());
    QVERIFY(tree->currentIndex().isValid());

    // A new palette (a theme change) keeps the selection a tint that leaves the bars readable.
    QPalette red = tree->palette();
    red.setColor(QPalette::Highlight, Qt::red);
    tree->setPalette(red);
    QVERIFY(tree->palette().color(QPalette::Highlight) != QColor(Qt::red));
    QCOMPARE(tree->palette().color(QPalette::HighlightedText), tree->palette().color(QPalette::Text));
}

void tst_Waterfall::screenshots()
{
    const QString dir = screenshotDir();
    WaterfallView view;
    view.resize(1400, 700);
    view.setTrace(makeTrace(agentFixture()));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setCurrentSpan(14);
    auto save = [&](const char *name) {
        QApplication::processEvents();
        const QPixmap shot = view.grab();
        QVERIFY(!shot.isNull());
        const QString path = dir + QLatin1Char('/') + QLatin1String(name);
        QVERIFY2(shot.save(path), qPrintable(path));
        qInfo("screenshot: %s", qPrintable(path));
    };
    save("waterfall.png");

    // The end of the trace: a burst of parallel tool calls, the evaluator, and the orphan.
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    tree->scrollToBottom();
    save("waterfall-bottom.png");
    tree->scrollToTop();

    // Drag a range over the sub-agent on the time line to zoom into it.
    const int timelineLeft = tree->header()->sectionViewportPosition(2) + 10;
    const int timelineWidth = tree->header()->sectionSize(2) - 20;
    const auto xFor = [&](double ms) { return timelineLeft + int(ms / 9200.0 * timelineWidth); };
    const int y = tree->visualRect(tree->model()->index(0, 0)).center().y();
    QTest::mousePress(tree->viewport(), Qt::LeftButton, {}, QPoint(xFor(4150), y));
    QTest::mouseMove(tree->viewport(), QPoint(xFor(5500), y));
    QTest::mouseMove(tree->viewport(), QPoint(xFor(8100), y));
    QTest::mouseRelease(tree->viewport(), Qt::LeftButton, {}, QPoint(xFor(8100), y));
    auto *reset = view.findChild<QToolButton *>(QStringLiteral("waterfallResetZoom"));
    QVERIFY(reset->isEnabled());
    save("waterfall-zoomed.png");
    reset->click();
    QVERIFY(!reset->isEnabled());

    view.findChild<QToolButton *>(QStringLiteral("waterfallCriticalPath"))->setChecked(true);
    save("waterfall-critical-path.png");
    view.findChild<QToolButton *>(QStringLiteral("waterfallCriticalPath"))->setChecked(false);

    auto *search = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    search->setText(QStringLiteral("hotel"));
    QTest::keyClick(search, Qt::Key_Return);
    save("waterfall-search.png");
    search->clear();
    QTest::qWait(250);

    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x22));
    dark.setColor(QPalette::WindowText, QColor(0xdf, 0xe1, 0xe5));
    dark.setColor(QPalette::Base, QColor(0x17, 0x18, 0x1b));
    dark.setColor(QPalette::AlternateBase, QColor(0x1d, 0x1e, 0x22));
    dark.setColor(QPalette::Text, QColor(0xdf, 0xe1, 0xe5));
    dark.setColor(QPalette::Button, QColor(0x2b, 0x2d, 0x31));
    dark.setColor(QPalette::ButtonText, QColor(0xdf, 0xe1, 0xe5));
    dark.setColor(QPalette::Highlight, QColor(0x35, 0x74, 0xf0));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::PlaceholderText, QColor(0x8b, 0x8f, 0x97));
    dark.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2d, 0x31));
    dark.setColor(QPalette::ToolTipText, QColor(0xdf, 0xe1, 0xe5));
    QApplication::setPalette(dark);
    save("waterfall-dark.png");
    QApplication::setPalette(QPalette());

    // Searching a 100k-span trace at 1280x720: the hint in the empty field, the count, stepping. Held
    // slim, as the app holds a trace of over 100,000 spans.
    WaterfallView big;
    big.resize(1280, 720);
    big.show();
    QVERIFY(QTest::qWaitForWindowExposed(&big));
    auto *bigTree = big.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    auto *bigSearch = big.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *bigLabel = big.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    big.setTrace(slimOf(*bigTrace()));
    QVERIFY(opened(bigTree));
    const auto saveBig = [&](const char *name) {
        QApplication::processEvents();
        const QString path = dir + QLatin1Char('/') + QLatin1String(name);
        QVERIFY2(big.grab().save(path), qPrintable(path));
        qInfo("screenshot: %s", qPrintable(path));
    };
    saveBig("waterfall-1280x720.png");
    bigSearch->setText(QStringLiteral("weather"));
    QTRY_VERIFY_WITH_TIMEOUT(bigLabel->isEnabled() && bigLabel->text().endsWith(QLatin1String("matches")), 20000);
    saveBig("waterfall-search-1280x720.png");
    QTest::keyClick(bigSearch, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(bigLabel->text().startsWith(QLatin1String("1 of")), 20000);
    for (int i = 0; i < 3; ++i)
        QTest::keyClick(bigSearch, Qt::Key_Return);
    saveBig("waterfall-search-step-1280x720.png");
    QApplication::setPalette(dark);
    saveBig("waterfall-search-dark-1280x720.png");
    QApplication::setPalette(QPalette());
    bigSearch->setText(QStringLiteral("no such span"));
    QTRY_COMPARE_WITH_TIMEOUT(bigLabel->text(), QStringLiteral("No matches"), 20000);
    saveBig("waterfall-search-none-1280x720.png");
    bigSearch->clear();
    QTRY_VERIFY_WITH_TIMEOUT(bigLabel->text().isEmpty() && bigTree->model()->rowCount() > 0, 20000);
    big.resize(1920, 1080);
    big.setCurrentSpan(int(bigTrace()->spans.size()) / 2);
    saveBig("waterfall-big-1920x1080.png");
    QApplication::setPalette(dark);
    saveBig("waterfall-big-dark-1920x1080.png");
    QApplication::setPalette(QPalette());
}

QTEST_MAIN(tst_Waterfall)
#include "tst_waterfall.moc"
