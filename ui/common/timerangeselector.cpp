// SPDX-License-Identifier: MIT
#include "common/timerangeselector.h"

#include "common/format.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QSignalBlocker>

namespace agentops::ui {

TimeRangeSelector::TimeRangeSelector(TimeRangeModel *model, QWidget *parent)
    : QWidget(parent)
    , m_combo(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
{
    for (const auto preset : TimeRange::Presets)
        m_combo->addItem(TimeRange::name(preset), static_cast<int>(preset));
    m_combo->setObjectName(QStringLiteral("timeRange"));
    m_combo->setToolTip(tr("Time range of the trace start, shared by the Dashboard and the Traces page"));
    for (auto *edit : { m_from, m_to }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_from->setObjectName(QStringLiteral("timeRangeFrom"));
    m_to->setObjectName(QStringLiteral("timeRangeTo"));
    m_from->setToolTip(tr("From (trace start)"));
    m_to->setToolTip(tr("To (trace start, exclusive)"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(8);
    layout->addWidget(m_combo);
    layout->addWidget(m_from);
    layout->addWidget(m_to);
    setFocusProxy(m_combo);

    // activated: only what the user picks goes into the model, never the echo of a model change.
    connect(m_combo, &QComboBox::activated, this, &TimeRangeSelector::presetChosen);
    for (auto *edit : { m_from, m_to })
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &TimeRangeSelector::customEdited);
    setModel(model);
}

void TimeRangeSelector::setModel(TimeRangeModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (!m_model)
        return;
    connect(m_model, &TimeRangeModel::rangeChanged, this, &TimeRangeSelector::showRange);
    showRange(m_model->range());
}

void TimeRangeSelector::showRange(const TimeRange &range)
{
    const QSignalBlocker blockCombo(m_combo);
    const QSignalBlocker blockFrom(m_from);
    const QSignalBlocker blockTo(m_to);
    m_combo->setCurrentIndex(m_combo->findData(static_cast<int>(range.preset)));
    const bool custom = range.preset == TimeRange::Preset::Custom;
    if (custom) {
        m_from->setDateTime(range.from);
        m_to->setDateTime(range.to);
    }
    m_from->setVisible(custom);
    m_to->setVisible(custom);
}

void TimeRangeSelector::presetChosen()
{
    if (!m_model)
        return;
    const auto preset = static_cast<TimeRange::Preset>(m_combo->currentData().toInt());
    if (preset != TimeRange::Preset::Custom) {
        m_model->setRange(TimeRange::last(preset));
        return;
    }
    if (m_model->range().preset == TimeRange::Preset::Custom)
        return;
    // A custom range starts as the range shown so far, so that nothing jumps.
    const QDateTime now = QDateTime::currentDateTime();
    const auto from = m_model->range().fromNs(now);
    m_model->setRange(TimeRange::custom(from ? format::fromNs(*from) : now.addDays(-1), now.addSecs(60)));
}

void TimeRangeSelector::customEdited()
{
    if (m_model && m_combo->currentData().toInt() == static_cast<int>(TimeRange::Preset::Custom))
        m_model->setRange(TimeRange::custom(m_from->dateTime(), m_to->dateTime()));
}

} // namespace agentops::ui
