// SPDX-License-Identifier: MIT
#include "dashboard/dashboardview.h"

#include "common/durationstep.h"
#include "common/focusring.h"
#include "common/format.h"
#include "common/paddedheaderview.h"
#include "common/theme.h"
#include "dashboard/dashboardchartview.h"
#include "dashboard/kpitile.h"
#include "dashboard/metricstablemodels.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGraphicsLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QScrollArea>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

namespace agentops::ui {

using dashboard::fmt::count;
using dashboard::fmt::duration;
using dashboard::fmt::money;

namespace {

/// Above this many runs of buckets with data, a line (latency percentile, error rate) is drawn as points.
constexpr std::size_t kMaxLatencyRuns = 24;
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

QDateTime timeOf(std::int64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000);
}

void clearChart(QChart *chart)
{
    chart->removeAllSeries();
    const auto axes = chart->axes();
    for (auto *axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
}

/// 1, 2, 2.5 or 5 times a power of ten, at least x: axis steps people can read.
double niceStep(double x)
{
    if (!(x > 0))
        return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(x)));
    const double f = x / magnitude;
    const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * magnitude;
}

int decimalsFor(double step)
{
    for (int d = 0; d < 6; ++d) {
        const double scaled = step * std::pow(10.0, d);
        if (std::abs(scaled - std::round(scaled)) < 1e-6)
            return d;
    }
    return 6;
}

struct Scale
{
    double divisor = 1;
    QString suffix;
};

Scale tokenScale(double max)
{
    if (max >= 1e6)
        return { 1e6, QStringLiteral("M") };
    if (max >= 1e4)
        return { 1e3, QStringLiteral("k") };
    return {};
}

/// The unit latency series are plotted in; the axis labels them as durations (addDurationAxis).
Scale latencyScale(double maxNs)
{
    if (maxNs >= 2e9)
        return { 1e9, {} };
    if (maxNs >= 1e6)
        return { 1e6, {} };
    return { 1e3, {} };
}

/// a * share + b * (1 - share)
QColor mix(const QColor &a, const QColor &b, double share)
{
    auto channel = [share](double x, double y) { return static_cast<int>(std::lround(x * share + y * (1 - share))); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue()));
}

/// Points (bucket, value) of the buckets that have a value, split where a bucket has none: a line
/// drawn across buckets without any would claim values nobody measured.
std::vector<QList<QPointF>> runsOf(int count, const std::function<std::optional<double>(int)> &valueAt)
{
    std::vector<QList<QPointF>> runs;
    bool inRun = false;
    for (int i = 0; i < count; ++i) {
        const std::optional<double> v = valueAt(i);
        if (v && !inRun)
            runs.emplace_back();
        if (v)
            runs.back().append(QPointF(i, *v));
        inRun = v.has_value();
    }
    return runs;
}

/// Draws runs (runsOf) on chart against the axes x and y: one line per run, a lone bucket as a
/// visible point, and one legend entry for them all. Sparse data of many runs is drawn as points
/// alone: a series per run would be hundreds. Returns the first series added (none: nullptr).
QXYSeries *addRuns(QChart *chart, const std::vector<QList<QPointF>> &runs, const QString &name, const QPen &pen,
    bool pointsVisible, QAbstractAxis *x, QAbstractAxis *y)
{
    if (runs.size() > kMaxLatencyRuns) {
        auto *dots = new QScatterSeries;
        dots->setName(name);
        dots->setColor(pen.color());
        dots->setBorderColor(pen.color());
        dots->setMarkerSize(pen.widthF() > 2 ? 7 : 5);
        for (const auto &run : runs)
            dots->append(run);
        chart->addSeries(dots);
        dots->attachAxis(x);
        dots->attachAxis(y);
        return dots;
    }
    QXYSeries *first = nullptr;
    for (const auto &points : runs) {
        auto *line = new QLineSeries;
        line->setName(name);
        line->setPen(pen);
        line->append(dashboard::minMaxDownsample(points));
        line->setPointsVisible(points.size() == 1 || pointsVisible);
        chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        for (QLegendMarker *marker : chart->legend()->markers(line))
            marker->setVisible(!first);
        if (!first)
            first = line;
    }
    return first;
}

QString swatch(const QColor &color)
{
    return QStringLiteral("<span style='color:%1'>■</span>&nbsp;").arg(color.name());
}

QString row(const QColor &color, const QString &name, const QString &value)
{
    return QStringLiteral("<tr><td>%1%2</td><td align='right'>&nbsp;&nbsp;%3</td></tr>")
        .arg(color.isValid() ? swatch(color) : QString(), name.toHtmlEscaped(), value.toHtmlEscaped());
}

QStringList bucketCells(const dashboard::TimeGrid &grid, int i)
{
    return { dashboard::fmt::isoTime(grid.startOf(i)), dashboard::fmt::isoTime(grid.endOf(i)) };
}

QString optionalMs(const std::optional<std::int64_t> &ns)
{
    return ns ? dashboard::fmt::number(static_cast<double>(*ns) / 1e6, 3) : QString();
}

/// Timestamps on the time axis: a tick count that puts ticks on round times where the range
/// allows, and a format no longer than the spacing needs.
struct TimeTicks
{
    int count = 7;
    QString format;
};

TimeTicks timeTicks(const dashboard::TimeGrid &grid)
{
    static const std::int64_t nice[] = { kSecond, 2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond, 30 * kSecond,
        kMinute, 2 * kMinute, 3 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute, kHour, 2 * kHour,
        3 * kHour, 4 * kHour, 6 * kHour, 8 * kHour, 12 * kHour, kDay, 2 * kDay, 5 * kDay, 7 * kDay, 10 * kDay };
    const std::int64_t span = grid.end_ns() - grid.start_ns;
    TimeTicks t;
    int intervals = 6;
    for (int d : { 6, 5, 7, 4, 8, 3 }) {
        if (span % d != 0)
            continue;
        const std::int64_t step = span / d;
        if (std::find(std::begin(nice), std::end(nice), step) != std::end(nice)) {
            intervals = d;
            break;
        }
    }
    t.count = intervals + 1;
    const std::int64_t step = span / intervals;
    if (step < kMinute)
        t.format = QStringLiteral("HH:mm:ss");
    else if (span <= kDay)
        t.format = QStringLiteral("HH:mm");
    else if (step < kDay)
        t.format = QStringLiteral("ddd HH:mm");
    else
        t.format = QStringLiteral("MMM d");
    return t;
}

} // namespace

DashboardView::DashboardView(QWidget *parent)
    : QWidget(parent)
    , m_latency(new QComboBox(this))
    , m_errors(new ErrorGroupModel(this))
    , m_slowest(new TraceRankModel(this))
    , m_costliest(new TraceRankModel(this))
    , m_stack(new QStackedWidget(this))
    , m_scroll(new QScrollArea(this))
    , m_empty(new QLabel(this))
{
    m_kpis[TracesKpi] = new KpiTile(tr("Traces"), this);
    m_kpis[ErrorRateKpi] = new KpiTile(tr("Error rate"), this);
    m_kpis[TokensKpi] = new KpiTile(tr("Tokens"), this);
    m_kpis[CostKpi] = new KpiTile(tr("Cost"), this);
    m_kpis[LatencyKpi] = new KpiTile(tr("p95 trace latency"), this);

    m_charts[TracesChart] = new DashboardChartView(QStringLiteral("traces"), this);
    m_charts[TokensChart] = new DashboardChartView(QStringLiteral("tokens"), this);
    m_charts[CostChart] = new DashboardChartView(QStringLiteral("cost"), this);
    m_charts[LatencyChart] = new DashboardChartView(QStringLiteral("latency"), this);
    m_charts[CostByGroupChart] = new DashboardChartView(QStringLiteral("cost-by-group"), this);
    for (int c = 0; c < NUM_CHARTS; ++c) {
        auto *view = m_charts[c];
        view->chart()->setAnimationOptions(QChart::NoAnimation);
        view->setMinimumHeight(220);
        // Charts answer the mouse only; Tab passes them by.
        view->setFocusPolicy(Qt::NoFocus);
        connect(view, &DashboardChartView::bucketClicked, this,
            [this, c](int bucket, const QString &group) { activateBucket(static_cast<Chart>(c), bucket, group); });
    }

    m_latency->addItem(tr("Traces"), static_cast<int>(Latency::Traces));
    m_latency->addItem(tr("LLM calls"), static_cast<int>(Latency::LlmCalls));
    m_latency->setToolTip(tr("Latency of whole traces or of single LLM calls"));
    connect(m_latency, &QComboBox::currentIndexChanged, this, [this] {
        if (m_series.grid.count > 0)
            renderLatency();
    });

    auto *content = new QWidget(m_scroll);
    auto *grid = new QGridLayout(content);
    grid->setContentsMargins(12, 12, 12, 12);
    grid->setSpacing(12);
    auto *kpiRow = new QHBoxLayout;
    kpiRow->setSpacing(12);
    for (auto *tile : m_kpis)
        kpiRow->addWidget(tile, 1);
    grid->addLayout(kpiRow, 0, 0, 1, 2);
    grid->addWidget(card(tr("Traces and error rate"), m_charts[TracesChart]), 1, 0);
    grid->addWidget(card(tr("Latency percentiles"), m_charts[LatencyChart], nullptr, m_latency), 1, 1);
    grid->addWidget(card(tr("Tokens"), m_charts[TokensChart]), 2, 0);
    grid->addWidget(card(tr("Cost"), m_charts[CostChart], &m_costTitle), 2, 1);
    m_errorTable = makeTable(m_errors, ErrorGroupModel::MessageColumn);
    m_slowestTable = makeTable(m_slowest, TraceRankModel::NameColumn);
    m_costliestTable = makeTable(m_costliest, TraceRankModel::NameColumn);
    grid->addWidget(card(tr("Cost by model"), m_charts[CostByGroupChart], &m_costByGroupTitle), 3, 0);
    grid->addWidget(card(tr("Top failing spans"), m_errorTable), 3, 1);
    grid->addWidget(card(tr("Slowest traces"), m_slowestTable), 4, 0);
    grid->addWidget(card(tr("Costliest traces"), m_costliestTable), 4, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);

    // Reading order: the page (arrow keys scroll it), then the controls and lists row by row.
    setTabChain(tabStops());

    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_empty->setObjectName(QStringLiteral("dashboardEmptyState"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_empty->setContentsMargins(60, 40, 60, 40);
    m_emptyHint = tr("Point an OpenTelemetry exporter at the OTLP/HTTP endpoint (<b>/v1/traces</b> on the "
                     "address shown in the status bar), open a trace file (Ctrl+O), or choose a longer time range.");

    m_stack->addWidget(m_scroll);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    for (int c = 0; c < NUM_CHARTS; ++c)
        styleChart(m_charts[c]->chart());
    setResult({}, {});
}

QWidget *DashboardView::content() const
{
    return m_scroll->widget();
}

QChart *DashboardView::chart(Chart c) const
{
    return m_charts[c]->chart();
}

QWidget *DashboardView::card(const QString &title, QWidget *body, QLabel **titleLabel, QWidget *extra)
{
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::Box);
    frame->setFrameShadow(QFrame::Plain);
    frame->setForegroundRole(QPalette::Mid);
    frame->setBackgroundRole(QPalette::Base);
    frame->setAutoFillBackground(true);
    auto *layout = new QVBoxLayout(frame);
    layout->setContentsMargins(12, 8, 8, 6);
    layout->setSpacing(4);
    auto *header = new QHBoxLayout;
    auto *label = new QLabel(title, frame);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    label->setForegroundRole(QPalette::Text);
    // Every title row as tall as one with a combo box, so the charts side by side line up.
    label->setMinimumHeight(m_latency->sizeHint().height());
    header->addWidget(label);
    header->addStretch(1);
    if (extra)
        header->addWidget(extra);
    layout->addLayout(header);
    layout->addWidget(body, 1);
    if (titleLabel)
        *titleLabel = label;
    return frame;
}

QList<QWidget *> DashboardView::tabStops() const
{
    return { m_scroll, m_latency, m_errorTable, m_slowestTable, m_costliestTable };
}

QTableView *DashboardView::makeTable(QAbstractItemModel *model, int stretchColumn)
{
    auto *table = new QTableView(this);
    // A right-aligned count's title must not run into the next column's ("Count Last seen"). The
    // cells keep the style's margins (padding them would take room from the names), so the titles
    // are inset about as much as the text below them.
    auto *titles = new PaddedHeaderView(Qt::Horizontal, table);
    titles->setPadding(3);
    table->setHorizontalHeader(titles);
    table->setModel(model);
    table->setFrameShape(QFrame::NoFrame);
    table->setShowGrid(false);
    table->setAlternatingRowColors(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setTabKeyNavigation(false); // Tab goes on to the next table, arrows move within one
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    auto *header = table->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    for (int c = 0; c < model->columnCount(); ++c)
        header->setSectionResizeMode(c, c == stretchColumn ? QHeaderView::Stretch : QHeaderView::ResizeToContents);
    // Ten rows and the header: the top lists hold ten entries.
    table->setMinimumHeight(header->sizeHint().height() + 10 * table->verticalHeader()->defaultSectionSize() + 4);
    connect(table, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        core::TraceId id {};
        if (core::fromHex(index.data(Qt::UserRole).toString().toStdString(), id))
            Q_EMIT traceRequested(id);
    });
    return table;
}

bool DashboardView::darkPalette() const
{
    return theme::isDark(palette());
}

QColor DashboardView::onChart(const QColor &color) const
{
    return theme::readable(color, palette().color(QPalette::Base), 3.0);
}

void DashboardView::styleChart(QChart *chart) const
{
    const QPalette pal = palette();
    // Qt Charts' own light or dark theme for whatever is not set below (it resets the chart, so it
    // comes first; render() adds the series afterwards).
    const QChart::ChartTheme chartTheme = darkPalette() ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart->theme() != chartTheme)
        chart->setTheme(chartTheme);
    chart->setBackgroundBrush(pal.color(QPalette::Base));
    chart->setBackgroundPen(Qt::NoPen);
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setMargins(QMargins(2, 2, 4, 0));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    auto *legend = chart->legend();
    legend->setFont(small);
    legend->setLabelColor(pal.color(QPalette::Text));
    legend->setBorderColor(Qt::transparent);
    legend->setAlignment(Qt::AlignBottom);
    legend->setMarkerShape(QLegend::MarkerShapeRectangle);
    legend->setBackgroundVisible(false);
    for (auto *view : m_charts) {
        if (view && view->chart() == chart) {
            view->setBackgroundBrush(pal.color(QPalette::Base));
            view->setPalette(pal);
        }
    }
}

void DashboardView::styleAxis(QAbstractAxis *axis) const
{
    const QPalette pal = palette();
    const QColor label = theme::mutedText(pal);
    QColor grid = pal.color(QPalette::Text);
    grid.setAlphaF(0.1f);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    axis->setLabelsFont(small);
    axis->setLabelsColor(label);
    axis->setGridLineColor(grid);
    axis->setLinePenColor(grid);
    axis->setShadesVisible(false);
    axis->setMinorGridLineVisible(false);
    axis->setTitleVisible(false);
}

QValueAxis *DashboardView::addTimeAxes(QChart *chart)
{
    const auto &grid = m_series.grid;
    // Series use bucket indices; the visible time axis spans the same buckets edge to edge.
    auto *index = new QValueAxis;
    index->setRange(-0.5, grid.count - 0.5);
    index->setVisible(false);
    chart->addAxis(index, Qt::AlignBottom);

    auto *time = new QDateTimeAxis;
    styleAxis(time);
    const TimeTicks ticks = timeTicks(grid);
    time->setRange(timeOf(grid.start_ns), timeOf(grid.end_ns()));
    time->setTickCount(ticks.count);
    time->setFormat(ticks.format);
    time->setGridLineVisible(false);
    time->setLineVisible(true);
    chart->addAxis(time, Qt::AlignBottom);
    return index;
}

QValueAxis *DashboardView::addValueAxis(QChart *chart, double max, Qt::Alignment alignment, const QString &prefix,
    const QString &suffix, bool integral) const
{
    auto *axis = new QValueAxis;
    styleAxis(axis);
    double step = niceStep(max / 4);
    if (integral)
        step = std::max(step, 1.0);
    axis->setRange(0, step * 4);
    axis->setTickCount(5);
    // Literal text around the number goes through printf: '%' must be doubled.
    QString pre = prefix;
    QString post = suffix;
    pre.replace(QLatin1String("%"), QLatin1String("%%"));
    post.replace(QLatin1String("%"), QLatin1String("%%"));
    axis->setLabelFormat(pre + QStringLiteral("%.") + QString::number(decimalsFor(step)) + QStringLiteral("f") + post);
    axis->setLineVisible(false);
    chart->addAxis(axis, alignment);
    return axis;
}

QValueAxis *DashboardView::addDurationAxis(QChart *chart, double maxNs, double divisor) const
{
    // Ticks on whole durations, labelled as durations are everywhere ("30m", "1h 30m"), not "5400 s".
    auto *axis = new QCategoryAxis;
    styleAxis(axis);
    const std::int64_t step = niceDurationStep(std::max(maxNs, 1.0) / 4);
    const auto ticks
        = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(maxNs / static_cast<double>(step))));
    // A little headroom: a label on the very top edge would be cut by the chart's title.
    axis->setRange(0, static_cast<double>(ticks * step) / divisor * 1.06);
    axis->setStartValue(0);
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    for (std::int64_t i = 0; i <= ticks; ++i)
        axis->append(format::durationTick(i * step, step), static_cast<double>(i * step) / divisor);
    axis->setLineVisible(false);
    chart->addAxis(axis, Qt::AlignLeft);
    return axis;
}

QColor DashboardView::groupColor(const QString &group)
{
    const bool dark = darkPalette();
    if (group.isEmpty())
        return onChart(dashboard::categoryColor(m_series.grouped() ? 8 : 0, dark)); // "(none)" in grey
    auto it = m_groupColors.find(group);
    if (it == m_groupColors.end()) {
        it = m_groupColors.insert(group, dashboard::categoryColor(m_nextColor, false));
        ++m_nextColor;
        // The grey means "no group"; no named group gets it.
        if (m_nextColor % 9 == 8)
            ++m_nextColor;
    }
    return onChart(dark ? it->lighter(118) : *it);
}

QString DashboardView::groupNoun() const
{
    switch (m_query.group_by) {
    case store::MetricsGroupBy::Model: return tr("model");
    case store::MetricsGroupBy::Service: return tr("service");
    case store::MetricsGroupBy::SpanKind: return tr("span kind");
    case store::MetricsGroupBy::AgentName: return tr("agent");
    case store::MetricsGroupBy::None: break;
    }
    return {};
}

QString DashboardView::groupLabel(const QString &group) const
{
    if (!group.isEmpty())
        return group;
    return m_series.grouped() ? tr("(none)") : tr("All");
}

QString DashboardView::bucketTitle(int bucket) const
{
    const QDateTime from = timeOf(m_series.grid.startOf(bucket));
    const QDateTime to = timeOf(m_series.grid.endOf(bucket));
    const bool seconds = m_series.grid.bucket_ns < kMinute;
    const QString time = seconds ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    const QString start = from.toString(QStringLiteral("ddd MMM d, ") + time);
    const QString end
        = to.date() == from.date() ? to.toString(time) : to.toString(QStringLiteral("ddd MMM d, ") + time);
    return QStringLiteral("<b>%1 – %2</b>").arg(start, end);
}

void DashboardView::setEmptyHint(const QString &hint)
{
    m_emptyHint = hint;
    if (m_noTraces)
        render();
}

bool DashboardView::isEmptyStateShown() const
{
    return m_stack->currentWidget() == m_empty;
}

QString DashboardView::emptyStateText() const
{
    return m_empty->text();
}

void DashboardView::showMessage(const QString &title, const QString &detail)
{
    QColor muted = palette().color(QPalette::Text);
    muted.setAlphaF(0.6f);
    m_empty->setText(QStringLiteral("<p style='font-size:x-large'>%1</p><p style='color:%2'>%3</p>")
                         .arg(title.toHtmlEscaped(), muted.name(QColor::HexArgb), detail));
    m_stack->setCurrentWidget(m_empty);
}

void DashboardView::setLatency(Latency latency)
{
    m_latency->setCurrentIndex(m_latency->findData(static_cast<int>(latency)));
}

DashboardView::Latency DashboardView::latency() const
{
    return static_cast<Latency>(m_latency->currentData().toInt());
}

void DashboardView::setResult(const store::MetricsResult &result, const store::MetricsQuery &query,
    const std::optional<store::MetricsResult> &overall)
{
    m_result = result;
    m_query = query;
    m_series = dashboard::buildSeries(result);
    m_overall = m_series.overall;
    m_totals = result.totals;
    if (overall) {
        const auto plain = dashboard::buildSeries(*overall);
        if (plain.grid.start_ns == m_series.grid.start_ns && plain.grid.bucket_ns == m_series.grid.bucket_ns
            && plain.grid.count == m_series.grid.count)
            m_overall = plain.overall;
        m_totals = overall->totals;
        m_result.slowest_traces = overall->slowest_traces;
        m_result.costliest_traces = overall->costliest_traces;
        m_result.top_errors = overall->top_errors;
    }
    render();
}

void DashboardView::render()
{
    m_noTraces = m_totals.traces == 0 || m_series.grid.count == 0;
    if (m_noTraces) {
        showMessage(tr("No traces in this time range"), m_emptyHint);
        for (auto *view : m_charts) {
            clearChart(view->chart());
            view->setBuckets(0, nullptr);
            view->setData({});
        }
        m_errors->setErrors({});
        m_slowest->setTraces({});
        m_costliest->setTraces({});
        return;
    }
    m_stack->setCurrentWidget(m_scroll);
    const QString noun = groupNoun();
    m_costTitle->setText(noun.isEmpty() ? tr("Cost") : tr("Cost by %1").arg(noun));
    m_costByGroupTitle->setText(noun.isEmpty() ? tr("Cost in range") : tr("Cost by %1 in range").arg(noun));
    // Colours follow cost order the first time a group shows up, then stick to the group.
    for (const auto &g : std::as_const(m_series.groups))
        groupColor(g);
    renderKpis();
    renderTraces();
    renderTokens();
    renderCost();
    renderLatency();
    renderCostByGroup();
    m_errors->setErrors(m_result.top_errors);
    m_slowest->setTraces(m_result.slowest_traces);
    m_costliest->setTraces(m_result.costliest_traces);
}

void DashboardView::renderKpis()
{
    const auto &t = m_totals;
    m_kpis[TracesKpi]->setValue(count(t.traces));
    m_kpis[TracesKpi]->setDetail(tr("%1 spans").arg(count(t.spans)));

    m_kpis[ErrorRateKpi]->setValue(dashboard::fmt::percent(t.error_traces, t.traces));
    m_kpis[ErrorRateKpi]->setDetail(
        t.error_traces == 1 ? tr("1 failed trace") : tr("%1 failed traces").arg(count(t.error_traces)));

    m_kpis[TokensKpi]->setValue(count(t.input_tokens + t.output_tokens));
    m_kpis[TokensKpi]->setDetail(tr("%1 in · %2 out").arg(count(t.input_tokens), count(t.output_tokens)));

    auto *cost = m_kpis[CostKpi];
    cost->setValue(
        format::cost(t.cost_usd, t.priced_spans, t.unpriced_spans), format::costNote(t.priced_spans, t.unpriced_spans));
    if (t.unpriced_spans > 0) {
        // Part of the usage has no known price: the total is a lower bound, never a silent $0.
        cost->setWarning(
            t.unpriced_spans == 1 ? tr("1 unpriced span") : tr("%1 unpriced spans").arg(count(t.unpriced_spans)));
    } else {
        cost->setDetail(t.traces > 0 && t.priced_spans > 0
                ? tr("%1 per trace").arg(money(t.cost_usd / static_cast<double>(t.traces)))
                : QString());
    }

    auto *latency = m_kpis[LatencyKpi];
    latency->setValue(t.trace_p95_ns ? duration(*t.trace_p95_ns) : QStringLiteral("—"));
    latency->setDetail(tr("p50 %1 · p99 %2")
                           .arg(t.trace_p50_ns ? duration(*t.trace_p50_ns) : QStringLiteral("—"),
                               t.trace_p99_ns ? duration(*t.trace_p99_ns) : QStringLiteral("—")));
}

void DashboardView::renderTraces()
{
    auto *view = m_charts[TracesChart];
    QChart *chart = view->chart();
    clearChart(chart);
    const auto &grid = m_series.grid;

    auto *bars = new QStackedBarSeries;
    bars->setBarWidth(0.8);
    auto *ok = new QBarSet(tr("Succeeded"));
    auto *failed = new QBarSet(tr("Failed"));
    // A calm neutral for the bulk, so the failed part and the model colours stand out.
    const QColor okColor = mix(mix(palette().color(QPalette::Text), palette().color(QPalette::Highlight), 0.5),
        palette().color(QPalette::Base), 0.5);
    ok->setColor(onChart(okColor));
    failed->setColor(onChart(dashboard::errorColor()));
    for (auto *set : { ok, failed })
        set->setPen(Qt::NoPen);

    double maxTraces = 0;
    double maxRate = 0;
    dashboard::CsvTable csv;
    csv.header = QStringList { QStringLiteral("bucket_start"), QStringLiteral("bucket_end"), QStringLiteral("traces"),
        QStringLiteral("error_traces"), QStringLiteral("error_rate_percent") };
    // A bucket without traces has no error rate: the line breaks there rather than ramp across it.
    std::vector<std::optional<double>> rates(static_cast<std::size_t>(grid.count));
    for (int i = 0; i < grid.count; ++i) {
        const auto &b = m_overall[static_cast<std::size_t>(i)];
        const auto errorsIn = std::min(b.error_traces, b.traces);
        *ok << static_cast<double>(b.traces - errorsIn);
        *failed << static_cast<double>(errorsIn);
        maxTraces = std::max(maxTraces, static_cast<double>(b.traces));
        QString ratePercent;
        if (b.traces > 0) {
            const double r = 100.0 * static_cast<double>(errorsIn) / static_cast<double>(b.traces);
            rates[static_cast<std::size_t>(i)] = r;
            maxRate = std::max(maxRate, r);
            ratePercent = dashboard::fmt::number(r, 2);
        }
        csv.rows.append(
            bucketCells(grid, i) << QString::number(b.traces) << QString::number(b.error_traces) << ratePercent);
    }
    bars->append(ok);
    bars->append(failed);
    chart->addSeries(bars);
    auto *index = addTimeAxes(chart);
    bars->attachAxis(index);
    bars->attachAxis(addValueAxis(chart, maxTraces, Qt::AlignLeft, {}, {}, true));
    auto *rateAxis = addValueAxis(chart, std::max(maxRate, 5.0), Qt::AlignRight, {}, QStringLiteral("%"), false);
    rateAxis->setGridLineVisible(false);
    if (rateAxis->max() > 100)
        rateAxis->setRange(0, 100);
    const QPen ratePen(onChart(dashboard::errorColor().darker(darkPalette() ? 80 : 130)), 2);
    addRuns(chart, runsOf(grid.count, [&rates](int i) { return rates[static_cast<std::size_t>(i)]; }),
        tr("Error rate (right)"), ratePen, grid.count <= 48, index, rateAxis);

    view->setBuckets(grid.count, bars);
    view->setData(std::move(csv));
    view->setGroupFunction({});
    view->setToolTipFunction([this, okColor](int i) -> QString {
        const auto &b = m_overall[static_cast<std::size_t>(i)];
        QString html = bucketTitle(i) + QStringLiteral("<table>");
        html += row(okColor, tr("Succeeded"), count(b.traces - std::min(b.error_traces, b.traces)));
        html += row(dashboard::errorColor(), tr("Failed"), count(b.error_traces));
        html += row({}, tr("Error rate"), dashboard::fmt::percent(b.error_traces, b.traces));
        html += row({}, tr("Error spans"), count(b.error_spans));
        return html + QStringLiteral("</table><i>") + tr("Click to list these traces") + QStringLiteral("</i>");
    });
}

void DashboardView::renderTokens()
{
    auto *view = m_charts[TokensChart];
    QChart *chart = view->chart();
    clearChart(chart);
    const auto &grid = m_series.grid;
    const bool dark = darkPalette();

    // Three hues apart from one another, each at 3:1 on the chart.
    const QColor inputColor = onChart(palette().color(QPalette::Highlight));
    const QColor cachedColor = onChart(dashboard::categoryColor(3, dark));
    const QColor outputColor = onChart(dark ? QColor::fromRgb(0x5fbfb8) : QColor::fromRgb(0x3f9a94));
    double max = 0;
    for (const auto &b : m_overall)
        max = std::max(max, static_cast<double>(b.input_tokens + b.output_tokens));
    const Scale scale = tokenScale(max);

    auto *bars = new QStackedBarSeries;
    bars->setBarWidth(0.8);
    auto *uncached = new QBarSet(tr("Input"));
    auto *cached = new QBarSet(tr("Input, cache read"));
    auto *output = new QBarSet(tr("Output (incl. reasoning)"));
    uncached->setColor(inputColor);
    cached->setColor(cachedColor);
    output->setColor(outputColor);
    dashboard::CsvTable csv;
    csv.header
        = QStringList { QStringLiteral("bucket_start"), QStringLiteral("bucket_end"), QStringLiteral("input_uncached"),
              QStringLiteral("input_cache_read"), QStringLiteral("output"), QStringLiteral("output_reasoning") };
    for (int i = 0; i < grid.count; ++i) {
        const auto &b = m_overall[static_cast<std::size_t>(i)];
        *uncached << static_cast<double>(dashboard::uncachedInput(b)) / scale.divisor;
        *cached << static_cast<double>(dashboard::cachedInput(b)) / scale.divisor;
        *output << static_cast<double>(b.output_tokens) / scale.divisor;
        csv.rows.append(bucketCells(grid, i)
            << QString::number(dashboard::uncachedInput(b)) << QString::number(dashboard::cachedInput(b))
            << QString::number(b.output_tokens) << QString::number(b.reasoning_tokens));
    }
    for (auto *set : { uncached, cached, output }) {
        set->setPen(Qt::NoPen);
        bars->append(set);
    }
    chart->addSeries(bars);
    bars->attachAxis(addTimeAxes(chart));
    bars->attachAxis(addValueAxis(chart, max / scale.divisor, Qt::AlignLeft, {}, scale.suffix, scale.divisor == 1));

    view->setBuckets(grid.count, bars);
    view->setData(std::move(csv));
    view->setGroupFunction({});
    view->setToolTipFunction([this, inputColor, cachedColor, outputColor](int i) -> QString {
        const auto &b = m_overall[static_cast<std::size_t>(i)];
        QString html = bucketTitle(i) + QStringLiteral("<table>");
        html += row(inputColor, tr("Input"), count(dashboard::uncachedInput(b)));
        html += row(cachedColor, tr("Input, cache read"), count(dashboard::cachedInput(b)));
        html += row(outputColor, tr("Output"), count(b.output_tokens));
        if (b.reasoning_tokens > 0)
            html += row({}, tr("  of which reasoning"), count(b.reasoning_tokens));
        if (b.cache_write_tokens > 0)
            html += row({}, tr("Cache write (in input)"), count(b.cache_write_tokens));
        html += row({}, tr("Total"), count(b.input_tokens + b.output_tokens));
        return html + QStringLiteral("</table>");
    });
}

void DashboardView::renderCost()
{
    auto *view = m_charts[CostChart];
    QChart *chart = view->chart();
    clearChart(chart);
    const auto &grid = m_series.grid;

    auto *bars = new QStackedBarSeries;
    bars->setBarWidth(0.8);
    // Only groups with a cost (priced spans, $0 ones too) get a bar set; unpriced ones are named in the
    // tooltip and the KPI.
    QStringList shown;
    std::vector<std::size_t> shownIndex;
    for (int g = 0; g < m_series.groups.size(); ++g) {
        if (m_series.groupTotals[static_cast<std::size_t>(g)].priced_spans > 0) {
            shown << m_series.groups[g];
            shownIndex.push_back(static_cast<std::size_t>(g));
        }
    }
    double max = 0;
    for (int i = 0; i < grid.count; ++i) {
        double sum = 0;
        for (auto g : shownIndex)
            sum += m_series.byGroup[g][static_cast<std::size_t>(i)].cost_usd;
        max = std::max(max, sum);
    }
    for (int k = 0; k < shown.size(); ++k) {
        auto *set = new QBarSet(groupLabel(shown[k]));
        set->setColor(groupColor(shown[k]));
        set->setPen(Qt::NoPen);
        const auto &values = m_series.byGroup[shownIndex[static_cast<std::size_t>(k)]];
        for (int i = 0; i < grid.count; ++i)
            *set << values[static_cast<std::size_t>(i)].cost_usd;
        bars->append(set);
    }

    dashboard::CsvTable csv;
    csv.header = QStringList { QStringLiteral("bucket_start"), QStringLiteral("bucket_end") };
    for (const auto &g : std::as_const(m_series.groups))
        csv.header << (m_series.grouped() ? groupLabel(g) : QStringLiteral("cost_usd"));
    csv.header << QStringLiteral("unpriced_spans");
    for (int i = 0; i < grid.count; ++i) {
        QStringList cells = bucketCells(grid, i);
        for (std::size_t g = 0; g < m_series.byGroup.size(); ++g) {
            // Nothing priced: no cost, an empty cell rather than 0.
            const auto &b = m_series.byGroup[g][static_cast<std::size_t>(i)];
            cells << (b.priced_spans > 0 ? dashboard::fmt::number(b.cost_usd, 6) : QString());
        }
        cells << QString::number(m_overall[static_cast<std::size_t>(i)].unpriced_spans);
        csv.rows.append(cells);
    }

    chart->addSeries(bars);
    bars->attachAxis(addTimeAxes(chart));
    bars->attachAxis(addValueAxis(chart, max, Qt::AlignLeft, QStringLiteral("$"), {}, false));
    chart->legend()->setVisible(m_series.grouped());

    view->setBuckets(grid.count, bars);
    view->setData(std::move(csv));
    view->setGroupFunction([this, shown, shownIndex](int i, double y) {
        double top = 0;
        for (std::size_t k = 0; k < shownIndex.size(); ++k) {
            top += m_series.byGroup[shownIndex[k]][static_cast<std::size_t>(i)].cost_usd;
            if (y <= top)
                return shown[static_cast<int>(k)];
        }
        return QString();
    });
    view->setToolTipFunction([this](int i) -> QString {
        QString html = bucketTitle(i) + QStringLiteral("<table>");
        store::MetricsBucket total;
        for (int g = 0; g < m_series.groups.size(); ++g) {
            const auto &b = m_series.byGroup[static_cast<std::size_t>(g)][static_cast<std::size_t>(i)];
            dashboard::accumulate(total, b);
            if (b.priced_spans > 0)
                html += row(groupColor(m_series.groups[g]), groupLabel(m_series.groups[g]), money(b.cost_usd));
            if (b.unpriced_spans > 0)
                html += row({}, tr("%1 (unpriced spans)").arg(groupLabel(m_series.groups[g])), count(b.unpriced_spans));
        }
        if (m_series.grouped())
            html += row({}, tr("Total"), format::cost(total.cost_usd, total.priced_spans, total.unpriced_spans));
        return html + QStringLiteral("</table><i>") + tr("Click to list these traces") + QStringLiteral("</i>");
    });
}

void DashboardView::renderLatency()
{
    auto *view = m_charts[LatencyChart];
    QChart *chart = view->chart();
    clearChart(chart);
    const auto &grid = m_series.grid;
    const bool llm = latency() == Latency::LlmCalls;
    using Member = std::optional<std::int64_t> store::MetricsBucket::*;
    const Member members[3] = { llm ? &store::MetricsBucket::llm_p50_ns : &store::MetricsBucket::trace_p50_ns,
        llm ? &store::MetricsBucket::llm_p95_ns : &store::MetricsBucket::trace_p95_ns,
        llm ? &store::MetricsBucket::llm_p99_ns : &store::MetricsBucket::trace_p99_ns };
    const QString names[3] = { tr("p50"), tr("p95"), tr("p99") };
    const bool dark = darkPalette();
    const QColor colors[3] = { onChart(dashboard::categoryColor(4, dark)), onChart(dashboard::categoryColor(0, dark)),
        onChart(dashboard::categoryColor(3, dark)) };

    double max = 0;
    for (const auto &b : m_overall)
        for (auto m : members)
            if (b.*m)
                max = std::max(max, static_cast<double>(*(b.*m)));
    const Scale scale = latencyScale(max);

    auto *index = addTimeAxes(chart);
    auto *axis = addDurationAxis(chart, max, scale.divisor);
    QXYSeries *first = nullptr;
    dashboard::CsvTable csv;
    const QString kind = llm ? QStringLiteral("llm") : QStringLiteral("trace");
    csv.header = QStringList { QStringLiteral("bucket_start"), QStringLiteral("bucket_end"),
        kind + QStringLiteral("_p50_ms"), kind + QStringLiteral("_p95_ms"), kind + QStringLiteral("_p99_ms") };
    for (int p = 0; p < 3; ++p) {
        // Lines only across buckets with samples; a lone bucket (a few runs in a week) is a visible point.
        const auto runs = runsOf(grid.count, [&](int i) -> std::optional<double> {
            const auto &v = m_overall[static_cast<std::size_t>(i)].*members[p];
            return v ? std::optional<double>(static_cast<double>(*v) / scale.divisor) : std::nullopt;
        });
        QXYSeries *added
            = addRuns(chart, runs, names[p], QPen(colors[p], p == 1 ? 2.5 : 1.6), grid.count <= 48, index, axis);
        if (!first)
            first = added;
    }
    for (int i = 0; i < grid.count; ++i) {
        const auto &b = m_overall[static_cast<std::size_t>(i)];
        csv.rows.append(bucketCells(grid, i)
            << optionalMs(b.*members[0]) << optionalMs(b.*members[1]) << optionalMs(b.*members[2]));
    }
    view->setBuckets(grid.count, first);
    view->setData(std::move(csv));
    view->setGroupFunction({});
    view->setToolTipFunction([this, members, names, colors](int i) -> QString {
        const auto &b = m_overall[static_cast<std::size_t>(i)];
        QString html = bucketTitle(i) + QStringLiteral("<table>");
        for (int p = 2; p >= 0; --p)
            html += row(colors[p], names[p], b.*members[p] ? duration(*(b.*members[p])) : tr("no samples"));
        return html + QStringLiteral("</table>");
    });
}

void DashboardView::renderCostByGroup()
{
    auto *view = m_charts[CostByGroupChart];
    QChart *chart = view->chart();
    clearChart(chart);
    view->setBuckets(0, nullptr);

    // Groups that used priced or unpriced models; at most twelve, costliest on top.
    std::vector<int> groups;
    for (int g = 0; g < m_series.groups.size(); ++g) {
        const auto &t = m_series.groupTotals[static_cast<std::size_t>(g)];
        if (t.priced_spans > 0 || t.unpriced_spans > 0 || t.input_tokens + t.output_tokens > 0)
            groups.push_back(g);
    }
    if (groups.size() > 12)
        groups.resize(12);
    std::reverse(groups.begin(), groups.end()); // category 0 is drawn at the bottom

    dashboard::CsvTable csv;
    csv.header = QStringList { QStringLiteral("group"), QStringLiteral("cost_usd"), QStringLiteral("unpriced_spans"),
        QStringLiteral("input_tokens"), QStringLiteral("output_tokens") };
    for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
        const auto &t = m_series.groupTotals[static_cast<std::size_t>(*it)];
        csv.rows.append(QStringList { groupLabel(m_series.groups[*it]), dashboard::fmt::number(t.cost_usd, 6),
            QString::number(t.unpriced_spans), QString::number(t.input_tokens), QString::number(t.output_tokens) });
    }
    view->setData(std::move(csv));

    QStringList categories;
    double max = 0;
    for (int g : groups) {
        const auto &t = m_series.groupTotals[static_cast<std::size_t>(g)];
        // The amount in the label: reading it off the axis would be guesswork.
        QString label = groupLabel(m_series.groups[g]) + QStringLiteral("  ");
        label += format::cost(t.cost_usd, t.priced_spans, t.unpriced_spans);
        categories << label;
        max = std::max(max, t.cost_usd);
    }
    auto *bars = new QHorizontalStackedBarSeries;
    bars->setBarWidth(groups.size() <= 3 ? 0.4 : 0.55);
    // One set per group, non-zero only in its own row, so every bar has its group's colour.
    for (int k = 0; k < static_cast<int>(groups.size()); ++k) {
        const int g = groups[static_cast<std::size_t>(k)];
        const QString group = m_series.groups[g];
        auto *set = new QBarSet(groupLabel(group));
        set->setColor(groupColor(group));
        set->setPen(Qt::NoPen);
        for (int c = 0; c < static_cast<int>(groups.size()); ++c)
            *set << (c == k ? m_series.groupTotals[static_cast<std::size_t>(g)].cost_usd : 0.0);
        connect(set, &QBarSet::hovered, view, [this, view, g](bool status, int) {
            if (!status) {
                QToolTip::hideText();
                return;
            }
            const auto &t = m_series.groupTotals[static_cast<std::size_t>(g)];
            QString html = QStringLiteral("<b>%1</b><table>").arg(groupLabel(m_series.groups[g]).toHtmlEscaped());
            html += row(
                groupColor(m_series.groups[g]), tr("Cost"), format::cost(t.cost_usd, t.priced_spans, t.unpriced_spans));
            html += row({}, tr("Share of cost"),
                m_totals.cost_usd > 0
                    ? dashboard::fmt::number(100.0 * t.cost_usd / m_totals.cost_usd, 1) + QLatin1Char('%')
                    : QStringLiteral("—"));
            html += row({}, tr("Tokens"), count(t.input_tokens + t.output_tokens));
            if (t.unpriced_spans > 0)
                html += row(dashboard::warningColor(), tr("Unpriced spans"), count(t.unpriced_spans));
            html += QStringLiteral("</table><i>") + tr("Click to list these traces") + QStringLiteral("</i>");
            QToolTip::showText(QCursor::pos() + QPoint(16, 8), html, view);
        });
        connect(set, &QBarSet::clicked, this, [this, group](int) { activateBucket(CostByGroupChart, 0, group); });
        bars->append(set);
    }
    chart->addSeries(bars);
    auto *categoryAxis = new QBarCategoryAxis;
    styleAxis(categoryAxis);
    categoryAxis->append(categories);
    categoryAxis->setGridLineVisible(false);
    chart->addAxis(categoryAxis, Qt::AlignLeft);
    bars->attachAxis(categoryAxis);
    auto *valueAxis = addValueAxis(chart, max, Qt::AlignBottom, QStringLiteral("$"), {}, false);
    valueAxis->setLineVisible(false);
    bars->attachAxis(valueAxis);
    chart->legend()->setVisible(false);
}

void DashboardView::activateBucket(Chart c, int bucket, const QString &group)
{
    const auto &grid = m_series.grid;
    if (grid.count == 0)
        return;
    if (c == CostByGroupChart) {
        Q_EMIT bucketActivated(grid.start_ns, grid.end_ns(), group);
        return;
    }
    if (bucket < 0 || bucket >= grid.count)
        return;
    Q_EMIT bucketActivated(grid.startOf(bucket), grid.endOf(bucket), group);
}

void DashboardView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() != QEvent::PaletteChange)
        return;
    for (auto *view : m_charts)
        if (view)
            styleChart(view->chart());
    if (m_series.grid.count > 0 && !isEmptyStateShown())
        render();
}

} // namespace agentops::ui
