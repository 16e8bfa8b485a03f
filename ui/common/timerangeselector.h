// SPDX-License-Identifier: MIT
#pragma once

#include "common/timerange.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QDateTimeEdit;

namespace agentops::ui {

/// The choice of time range, as the Dashboard and the trace list both show it: the presets, all
/// time, and a custom from/to. Bound to a TimeRangeModel: it shows the model's range, and sets it
/// when the user picks another, so every selector bound to the same model shows the same range.
class TimeRangeSelector : public QWidget
{
    Q_OBJECT

public:
    explicit TimeRangeSelector(TimeRangeModel *model, QWidget *parent = nullptr);

    TimeRangeModel *model() const { return m_model; }
    /// Follows another model from now on (the one a window shares between its pages).
    void setModel(TimeRangeModel *model);

    QComboBox *comboBox() const { return m_combo; }
    QDateTimeEdit *fromEdit() const { return m_from; }
    QDateTimeEdit *toEdit() const { return m_to; }

private:
    void showRange(const TimeRange &range);
    void presetChosen();
    void customEdited();

    QPointer<TimeRangeModel> m_model;
    QComboBox *m_combo;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
};

} // namespace agentops::ui
