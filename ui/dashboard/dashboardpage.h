// SPDX-License-Identifier: MIT
#pragma once

#include "store/metrics.h"

#include <QDateTime>
#include <QThreadPool>
#include <QWidget>

#include <cstdint>
#include <functional>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QTimer;
class QToolButton;

namespace agentops::ui {

class DashboardView;

/// The Dashboard page: time range and group-by choices over a DashboardView. Queries run on a
/// worker thread through a query function (the store's or the trace source's metrics()); an
/// answer that arrives after a newer question was asked is dropped. Refreshes itself while
/// visible, so live traffic shows up without a click.
class DashboardPage : public QWidget
{
    Q_OBJECT

public:
    using QueryFunction = std::function<store::MetricsResult(const store::MetricsQuery &)>;
    enum class Range { Last15Minutes, LastHour, Last24Hours, Last7Days, Last30Days, Custom };

    explicit DashboardPage(QWidget *parent = nullptr);
    /// Waits for a running query: it may use a store that goes away after this page.
    ~DashboardPage() override;

    /// Where answers come from; called on a worker thread. Empty: the page says metrics are not
    /// available from this source.
    void setQueryFunction(QueryFunction query);
    bool hasQueryFunction() const { return static_cast<bool>(m_query); }

    DashboardView *view() const { return m_view; }

    void setRange(Range range);
    Range range() const;
    void setCustomRange(const QDateTime &from, const QDateTime &to);
    /// The custom range's ends (meaningful when range() is Custom).
    QDateTime customFrom() const;
    QDateTime customTo() const;
    void setGroupBy(store::MetricsGroupBy groupBy);
    store::MetricsGroupBy groupBy() const;
    /// How often the visible page asks again (ms); 0 turns live refresh off.
    void setRefreshInterval(int ms);

    /// The question for the current choices; preset ranges end at now, buckets on round times.
    store::MetricsQuery query(const QDateTime &now = QDateTime::currentDateTime()) const;
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
    /// The user chose another time range (not emitted when set from code), so the trace list can
    /// follow it.
    void rangeChosen();

protected:
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

    void start();
    void finished(quint64 generation, const Answer &answer);
    void updateCustomVisibility();

    DashboardView *m_view;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_groupBy;
    QToolButton *m_refresh;
    QLabel *m_status;
    QTimer *m_timer;
    QueryFunction m_query;
    QThreadPool m_pool;
    quint64 m_generation = 0;
    bool m_running = false;
    bool m_hasResult = false;
};

} // namespace agentops::ui
