// SPDX-License-Identifier: MIT
#pragma once

#include "common/timerange.h"
#include "store/tracestore.h"

#include <QDateTime>
#include <QWidget>

#include <optional>
#include <utility>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QTimer;
class QToolButton;

namespace agentops::ui {

class TimeRangeSelector;

/// The filters above the trace list: content search, time range, service, model, minimum duration and
/// errors only. The time range is a TimeRangeModel's, which the window shares with the Dashboard; a
/// drill-down from a dashboard bucket narrows the list to the bucket's time on top of it, shown as a
/// chip that removes it. filterChanged() fires once per change (typing is debounced).
class TraceFilterBar : public QWidget
{
    Q_OBJECT

public:
    explicit TraceFilterBar(QWidget *parent = nullptr);

    /// The query for the current filters; preset ranges end "now" as of this call.
    store::TraceQuery filter() const;

    /// The time range the list follows: its own until the window gives it the shared one.
    TimeRangeModel *timeRangeModel() const;
    void setTimeRangeModel(TimeRangeModel *model);
    TimeRange timeRange() const;
    /// Sets the (shared) time range, as the user would; filterChanged() fires when it changes.
    void setTimeRange(const TimeRange &range);
    /// Sets the (shared) time range to all time and clears every other filter: what "Clear filters"
    /// does. filterChanged() fires once.
    void clear();
    /// True when any filter narrows the list (a time range other than all time included).
    bool isFiltering() const;
    /// The filters in force, for people: "name contains “retry” · errors only · Last 24 hours".
    QString description() const;
    /// Why the search box's query cannot be searched (store/searchquery.h), or empty.
    QString searchError() const;
    /// The search is one word too short for the content index: it matches trace names only.
    bool searchIsNameOnly() const;
    /// The drill-down window [from, to) shown on top of the time range, if any.
    std::optional<std::pair<QDateTime, QDateTime>> drillDown() const { return m_drillDown; }

    /// Puts text in the search box and searches at once.
    void setSearch(const QString &text);
    void setErrorsOnly(bool on);
    void setService(const QString &service);
    void setModel(const QString &model);
    void setMinDurationSeconds(double seconds);
    /// Shows exactly [from, to) of the time range, optionally of one service or model, with every
    /// other filter cleared (a drill-down from the dashboard); the shared time range stays as it is.
    /// filterChanged() fires once.
    void showRange(const QDateTime &from, const QDateTime &to, const QString &service = {}, const QString &model = {});

    /// Offer these values in the service and model choices (the current choice stays).
    void setKnownServices(const QStringList &services);
    void setKnownModels(const QStringList &models);

    QLineEdit *searchEdit() const { return m_search; }
    TimeRangeSelector *rangeSelector() const { return m_range; }

Q_SIGNALS:
    void filterChanged();

private:
    void rangeChanged();
    void setDrillDown(std::optional<std::pair<QDateTime, QDateTime>> window);
    void selectChoice(QComboBox *combo, const QString &value);
    static void setChoices(QComboBox *combo, const QStringList &values);

    TimeRangeModel *m_ownRange;
    QLineEdit *m_search;
    TimeRangeSelector *m_range;
    QToolButton *m_drillDownChip;
    std::optional<std::pair<QDateTime, QDateTime>> m_drillDown;
    QComboBox *m_service;
    QComboBox *m_model;
    QDoubleSpinBox *m_minDuration;
    QCheckBox *m_errorsOnly;
    QTimer *m_typing;
};

} // namespace agentops::ui
