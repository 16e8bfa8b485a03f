// SPDX-License-Identifier: MIT
#pragma once

#include "common/timerange.h"
#include "store/metrics.h"

#include <QDateTime>
#include <QThreadPool>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QTimer;
class QToolButton;

namespace agentops::ui {

class DashboardView;
class TimeRangeSelector;

/// The Dashboard page: time range and group-by choices over a DashboardView. Queries run on a
/// worker thread through a query function (the store's or the trace source's metrics()); an
/// answer that arrives after a newer question was asked is dropped. Refreshes itself while
/// visible, so live traffic shows up without a click. The time range is a TimeRangeModel's, which
/// the window shares with the trace list.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    using QueryFunction = std::function<store::MetricsResult(const store::MetricsQuery &)>;
    /// The start of the oldest stored trace (nullopt: none), for "All time"; called on a worker thread.
    using OldestFunction = std::function<std::optional<std::int64_t>()>;

    explicit DashboardPage(QWidget *parent = nullptr);
    /// Waits for a running query: it may use a store that goes away after this page.
    ~DashboardPage() override;

    /// Where answers come from; called on a worker thread. Empty: the page says metrics are not
    /// available from this source.
    void setQueryFunction(QueryFunction query);
    bool hasQueryFunction() const { return static_cast<bool>(m_query); }

    /// Where "All time" starts; without it, all time shows the last 24 hours.
    void setOldestFunction(OldestFunction oldest);

    DashboardView *view() const { return m_view; }

    /// The time range shown: the page's own until the window gives it the shared one.
    TimeRangeModel *timeRangeModel() const;
    void setTimeRangeModel(TimeRangeModel *model);
    TimeRange timeRange() const;
    /// Sets the (shared) time range, as the user would.
    void setTimeRange(const TimeRange &range);
    TimeRangeSelector *rangeSelector() const { return m_range; }
    void setGroupBy(store::MetricsGroupBy groupBy);
    store::MetricsGroupBy groupBy() const;
    /// How often the visible page asks again (ms); 0 turns live refresh off.
    void setRefreshInterval(int ms);

    /// The question for the current choices; preset ranges end at now, buckets on round times. All
    /// time starts at oldestNs (the last 24 hours when there is none).
    store::MetricsQuery query(
        const QDateTime &now = QDateTime::currentDateTime(), std::optional<std::int64_t> oldestNs = {}) const;
    bool isLoading() const { return m_running; }

public Q_SLOTS:
    /// Asks again now; an answer still on its way for older choices is dropped.
    void refresh();

Q_SIGNALS:
    void traceRequested(const core::TraceId &id);
    void bucketActivated(std::int64_t from_ns, std::int64_t to_ns, const QString &group);
    /// A new answer is on screen.
    void resultAvailable();
    void queryFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Answer
    {
        store::MetricsQuery query;
        store::MetricsResult result;
        std::optional<store::MetricsResult> overall;
        QString error;
    };

    static store::MetricsQuery queryFor(const TimeRange &range, store::MetricsGroupBy groupBy, const QDateTime &now,
        std::optional<std::int64_t> oldestNs);
    void start();
    void updateStatusColor();
    void finished(quint64 generation, const Answer &answer);

    DashboardView *m_view;
    TimeRangeModel *m_ownRange;
    TimeRangeSelector *m_range;
    QComboBox *m_groupBy;
    QToolButton *m_refresh;
    QLabel *m_status;
    QTimer *m_timer;
    QueryFunction m_query;
    OldestFunction m_oldest;
    QThreadPool m_pool;
    quint64 m_generation = 0;
    bool m_running = false;
    bool m_hasResult = false;
};

} // namespace agentops::ui
