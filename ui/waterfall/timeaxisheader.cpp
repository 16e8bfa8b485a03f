// SPDX-License-Identifier: MIT
#include "timeaxisheader.h"

#include "timelinedata.h"
#include "waterfalldelegate.h"

#include "common/format.h"

#include <QPainter>

namespace agentops::ui {

TimeAxisHeader::TimeAxisHeader(const TimeLineData *timeLine, int timelineSection, QWidget *parent)
    : QHeaderView(Qt::Horizontal, parent)
    , m_timeLine(timeLine)
    , m_timelineSection(timelineSection)
{
    setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    setHighlightSections(false);
}

QSize TimeAxisHeader::sizeHint() const
{
    QSize size = QHeaderView::sizeHint();
    size.setHeight(std::max(size.height(), fontMetrics().height() + 12));
    return size;
}

void TimeAxisHeader::paintSection(QPainter *painter, const QRect &rect, int logicalIndex) const
{
    QHeaderView::paintSection(painter, rect, logicalIndex);
    if (logicalIndex != m_timelineSection || !m_timeLine || m_timeLine->width <= 0)
        return;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setClipRect(rect.adjusted(1, 0, -1, 0));
    QFont font = painter->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    painter->setFont(font);
    const QFontMetrics fm(font);
    const int left = rect.left() + WaterfallDelegate::TimelineMargin;
    QColor tickColor = palette().color(QPalette::WindowText);
    QColor labelColor = tickColor;
    tickColor.setAlpha(110);
    const int right = rect.right() - 2;
    // The same ticks as the delegate's grid lines, so axis and grid line up.
    for (const TimeTick &tick : timeTicks(*m_timeLine)) {
        const int x = left + int(tick.x);
        painter->fillRect(QRect(x, rect.bottom() - 5, 1, 6), tickColor);
        const QString label = format::durationTick(tick.time, tick.step);
        const int w = fm.horizontalAdvance(label);
        // Labels sit right of their tick; the last one moves left of it rather than be cut off.
        int tx = x + 4;
        if (tx + w > right)
            tx = x - 4 - w;
        if (tx < rect.left() + 2)
            continue;
        painter->setPen(labelColor);
        painter->drawText(QRect(tx, rect.top(), w + 1, rect.height() - 3), Qt::AlignLeft | Qt::AlignVCenter, label);
    }
    painter->restore();
}

} // namespace agentops::ui
