// SPDX-License-Identifier: MIT
#include "dashboard/dashboardpage.h"

#include "common/focusring.h"
#include "common/theme.h"
#include "common/timerangeselector.h"
#include "dashboard/dashboardview.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QEvent>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace agentops::ui {

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

std::int64_t toNs(const QDateTime &t)
{
    return t.toMSecsSinceEpoch() * 1'000'000;
}

} // namespace

DashboardPage::DashboardPage(QWidget *parent)
    : QWidget(parent)
    , m_view(new DashboardView(this))
    , m_ownRange(new TimeRangeModel(this))
    , m_range(new TimeRangeSelector(m_ownRange, this))
    , m_groupBy(new QComboBox(this))
    , m_refresh(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_timer(new QTimer(this))
{
    // One query at a time is enough; the rest of the app keeps the other threads.
    m_pool.setMaxThreadCount(1);

    auto *title = new QLabel(tr("Dashboard"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setWeight(QFont::DemiBold);
    title->setFont(titleFont);

    m_groupBy->addItem(tr("Split by model"), static_cast<int>(store::MetricsGroupBy::Model));
    m_groupBy->addItem(tr("Split by service"), static_cast<int>(store::MetricsGroupBy::Service));
    m_groupBy->addItem(tr("Split by span kind"), static_cast<int>(store::MetricsGroupBy::SpanKind));
    m_groupBy->addItem(tr("Split by agent"), static_cast<int>(store::MetricsGroupBy::AgentName));
    m_groupBy->addItem(tr("No split"), static_cast<int>(store::MetricsGroupBy::None));
    m_groupBy->setToolTip(tr("How cost is broken down"));

    m_refresh->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_refresh->setToolTip(tr("Refresh now (the dashboard also refreshes every few seconds)"));
    m_refresh->setAutoRaise(true);

    updateStatusColor();

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(12, 10, 12, 0);
    bar->setSpacing(8);
    bar->addWidget(title);
    bar->addSpacing(12);
    bar->addWidget(m_status);
    bar->addStretch(1);
    bar->addWidget(m_range);
    bar->addWidget(m_groupBy);
    bar->addWidget(m_refresh);

    // Tab: the choices above the dashboard first, then the dashboard (created before them).
    setTabChain(QList<QWidget *> { m_range->comboBox(), m_range->fromEdit(), m_range->toEdit(), m_groupBy, m_refresh }
        + m_view->tabStops());
    setAccessibleName(tr("Dashboard"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_ownRange, &TimeRangeModel::rangeChanged, this, &DashboardPage::refresh);
    connect(m_groupBy, &QComboBox::currentIndexChanged, this, &DashboardPage::refresh);
    connect(m_refresh, &QToolButton::clicked, this, &DashboardPage::refresh);
    connect(m_view, &DashboardView::traceRequested, this, &DashboardPage::traceRequested);
    connect(m_view, &DashboardView::bucketActivated, this, &DashboardPage::bucketActivated);

    m_timer->setInterval(5000);
    connect(m_timer, &QTimer::timeout, this, [this] {
        // A slow store must not pile up queries: the next tick asks again.
        if (!m_running)
            start();
    });
}

DashboardPage::~DashboardPage()
{
    m_pool.waitForDone();
}

void DashboardPage::setQueryFunction(QueryFunction query)
{
    m_query = std::move(query);
    if (!m_query)
        m_view->showMessage(tr("Metrics are not available"),
            tr("The current trace source cannot compute metrics. The Traces and Sessions pages still work."));
    else if (isVisible())
        refresh();
}

void DashboardPage::setOldestFunction(OldestFunction oldest)
{
    m_oldest = std::move(oldest);
}

TimeRangeModel *DashboardPage::timeRangeModel() const
{
    return m_range->model();
}

void DashboardPage::setTimeRangeModel(TimeRangeModel *model)
{
    if (!model || model == m_range->model())
        return;
    disconnect(m_range->model(), nullptr, this, nullptr);
    m_range->setModel(model);
    connect(model, &TimeRangeModel::rangeChanged, this, &DashboardPage::refresh);
    refresh();
}

TimeRange DashboardPage::timeRange() const
{
    return timeRangeModel()->range();
}

void DashboardPage::setTimeRange(const TimeRange &range)
{
    timeRangeModel()->setRange(range);
}

void DashboardPage::setGroupBy(store::MetricsGroupBy groupBy)
{
    m_groupBy->setCurrentIndex(m_groupBy->findData(static_cast<int>(groupBy)));
}

store::MetricsGroupBy DashboardPage::groupBy() const
{
    return static_cast<store::MetricsGroupBy>(m_groupBy->currentData().toInt());
}

void DashboardPage::setRefreshInterval(int ms)
{
    m_timer->setInterval(std::max(ms, 0));
    if (ms <= 0)
        m_timer->stop();
    else if (isVisible())
        m_timer->start();
}

store::MetricsQuery DashboardPage::query(const QDateTime &now, std::optional<std::int64_t> oldestNs) const
{
    return queryFor(timeRange(), groupBy(), now, oldestNs);
}

store::MetricsQuery DashboardPage::queryFor(
    const TimeRange &range, store::MetricsGroupBy groupBy, const QDateTime &now, std::optional<std::int64_t> oldestNs)
{
    store::MetricsQuery q;
    q.group_by = groupBy;
    q.top_n = 10;
    std::int64_t span = TimeRange::spanOf(range.preset);
    switch (range.preset) {
    case TimeRange::Preset::Custom:
        q.from_ns = toNs(range.from);
        q.to_ns = std::max(toNs(range.to), q.from_ns + kMinute);
        return q;
    case TimeRange::Preset::All:
        // From the oldest stored trace; charts need a start, and nothing before it has data.
        span = oldestNs && *oldestNs < toNs(now) ? std::max(toNs(now) - *oldestNs, kDay) : kDay;
        break;
    default: break;
    }
    // The store chooses the buckets (bucket_ns 0): round ones, on whole minutes at least as its
    // rollups are, and widens the range to them. A width chosen here could be one the API refuses.
    q.to_ns = toNs(now);
    q.from_ns = q.to_ns - span;
    return q;
}

void DashboardPage::refresh()
{
    if (!m_query) {
        setQueryFunction({});
        return;
    }
    start();
}

void DashboardPage::start()
{
    if (!m_query)
        return;
    const quint64 generation = ++m_generation;
    const QDateTime now = QDateTime::currentDateTime();
    const TimeRange range = timeRange();
    const store::MetricsGroupBy groupBy = this->groupBy();
    store::MetricsQuery q = queryFor(range, groupBy, now, std::nullopt);
    const bool allTime = range.preset == TimeRange::Preset::All && m_oldest;
    m_running = true;
    m_status->setText(tr("Loading…"));
    auto *watcher = new QFutureWatcher<Answer>(this);
    connect(watcher, &QFutureWatcher<Answer>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        finished(generation, watcher->result());
    });
    watcher->setFuture(
        QtConcurrent::run(&m_pool, [fn = m_query, oldest = m_oldest, q, allTime, range, groupBy, now]() mutable {
            Answer answer;
            try {
                // All time starts where the stored traces do, which only the source knows.
                if (allTime)
                    q = queryFor(range, groupBy, now, oldest());
                answer.query = q;
                answer.result = fn(q);
                // Trace counts and percentiles do not add up across groups: ask for them whole.
                if (q.group_by != store::MetricsGroupBy::None) {
                    store::MetricsQuery whole = q;
                    whole.group_by = store::MetricsGroupBy::None;
                    answer.overall = fn(whole);
                }
            } catch (const std::exception &e) {
                answer.error = QString::fromUtf8(e.what());
            }
            return answer;
        }));
}

void DashboardPage::finished(quint64 generation, const Answer &answer)
{
    if (generation != m_generation)
        return; // the choices changed while this was running; the newer answer follows
    m_running = false;
    if (!answer.error.isEmpty()) {
        m_status->setText(tr("Could not load metrics"));
        m_status->setToolTip(answer.error);
        // The charts of an earlier question must not stand under a label they do not answer.
        m_hasResult = false;
        m_view->showMessage(tr("Could not load metrics"), answer.error.toHtmlEscaped());
        Q_EMIT queryFailed(answer.error);
        return;
    }
    m_hasResult = true;
    m_view->setResult(answer.result, answer.query, answer.overall);
    m_status->setText(tr("Updated %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
    m_status->setToolTip({});
    Q_EMIT resultAvailable();
}

void DashboardPage::updateStatusColor()
{
    // Secondary text in the theme's muted colour; set again when the theme changes.
    QPalette muted = m_status->palette();
    muted.setColor(QPalette::WindowText, theme::mutedText(palette()));
    m_status->setPalette(muted);
}

void DashboardPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateStatusColor();
}

void DashboardPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    if (m_timer->interval() > 0)
        m_timer->start();
}

void DashboardPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

} // namespace agentops::ui
