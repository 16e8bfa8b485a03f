// SPDX-License-Identifier: MIT
#pragma once

#include <QHeaderView>

namespace agentops::ui {

struct TimeLineData;

/// The waterfall's column header: ordinary titles for the text columns, and in the timeline column
/// a time axis whose ticks follow the zoom (1-2-5 steps, labelled in ns, µs, ms or s).
class TimeAxisHeader : public QHeaderView
{
    Q_OBJECT
public:
    TimeAxisHeader(const TimeLineData *timeLine, int timelineSection, QWidget *parent = nullptr);

    QSize sizeHint() const override;

protected:
    void paintSection(QPainter *painter, const QRect &rect, int logicalIndex) const override;

private:
    const TimeLineData *m_timeLine;
    int m_timelineSection;
};

} // namespace agentops::ui
