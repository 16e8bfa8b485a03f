// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLineEdit;
class QTimer;

namespace agentops::ui {

/// The filters above the trace list: name text, time range (presets or custom from/to), service,
/// model, minimum duration and errors only. filterChanged() fires once per change (typing is
/// debounced).
class TraceFilterBar : public QWidget
{
    Q_OBJECT

public:
    enum class Range { Last15Minutes, LastHour, Last24Hours, Last7Days, Last30Days, All, Custom };

    explicit TraceFilterBar(QWidget *parent = nullptr);

    /// The query for the current filters; preset ranges end "now" as of this call.
    store::TraceQuery filter() const;

    void setRange(Range range);
    Range range() const;
    void setCustomRange(const QDateTime &from, const QDateTime &to);
    void setNameFilter(const QString &text);
    void setErrorsOnly(bool on);
    void setService(const QString &service);
    void setModel(const QString &model);
    void setMinDurationSeconds(double seconds);
    /// Shows exactly one time range, optionally of one service or model, with every other filter
    /// cleared (a drill-down from the dashboard). filterChanged() fires once.
    void showRange(const QDateTime &from, const QDateTime &to, const QString &service = {}, const QString &model = {});
    /// Back to no filters at all (time range: all).
    void clear();

    /// Offer these values in the service and model choices (the current choice stays).
    void setKnownServices(const QStringList &services);
    void setKnownModels(const QStringList &models);

    QLineEdit *searchEdit() const { return m_search; }

    /// The custom range's ends (meaningful when range() is Custom).
    QDateTime customFrom() const;
    QDateTime customTo() const;

Q_SIGNALS:
    void filterChanged();
    /// The user chose another time range (not emitted when set from code), so another view can
    /// follow it.
    void rangeChosen();

private:
    void updateCustomVisibility();
    void selectChoice(QComboBox *combo, const QString &value);
    static void setChoices(QComboBox *combo, const QStringList &values);

    QLineEdit *m_search;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QComboBox *m_service;
    QComboBox *m_model;
    QDoubleSpinBox *m_minDuration;
    QCheckBox *m_errorsOnly;
    QTimer *m_typing;
};

} // namespace agentops::ui
