// SPDX-License-Identifier: MIT
#include "waterfalltreeview.h"

#include "spancolors.h"
#include "timelinedata.h"
#include "waterfalldelegate.h"

#include "common/format.h"

#include <QHeaderView>
#include <QMouseEvent>
#include <QPainter>

#include <cmath>

namespace agentops::ui {

namespace {
constexpr int BandThreshold = 4; // pixels of movement before a press becomes a range drag
}

WaterfallTreeView::WaterfallTreeView(const TimeLineData *timeLine, int timelineColumn, QWidget *parent)
    : QTreeView(parent)
    , m_timeLine(timeLine)
    , m_timelineColumn(timelineColumn)
{
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setAlternatingRowColors(true);
    setExpandsOnDoubleClick(true);
    setAnimated(false);
    setIndentation(14);
    setMouseTracking(true);
    tintSelection();
}

void WaterfallTreeView::tintSelection()
{
    // A full-strength selection colour would swallow the bars; a tint of it keeps them readable.
    m_tinting = true;
    QPalette pal = palette();
    const QColor base = pal.color(QPalette::Active, QPalette::Base);
    const QColor highlight = QPalette().color(QPalette::Active, QPalette::Highlight);
    const bool dark = SpanColors::isDark(pal);
    const QColor tint = SpanColors::faded(highlight, base, dark ? 0.62 : 0.78);
    for (auto group : { QPalette::Active, QPalette::Inactive }) {
        pal.setColor(group, QPalette::Highlight, tint);
        pal.setColor(group, QPalette::HighlightedText, pal.color(group, QPalette::Text));
    }
    setPalette(pal);
    m_tinting = false;
}

void WaterfallTreeView::changeEvent(QEvent *event)
{
    QTreeView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_tinting)
        tintSelection();
}

int WaterfallTreeView::timelineOrigin() const
{
    return header()->sectionViewportPosition(m_timelineColumn) + WaterfallDelegate::TimelineMargin;
}

bool WaterfallTreeView::isInTimeline(int viewportX) const
{
    return header()->logicalIndexAt(viewportX) == m_timelineColumn;
}

void WaterfallTreeView::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    viewport()->update();
}

void WaterfallTreeView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        if (delta.y() != 0)
            Q_EMIT zoomRequested(std::pow(1.25, delta.y() / 120.0), event->position().x() - timelineOrigin());
        event->accept();
        return;
    }
    // Some platforms turn Shift+wheel into a horizontal wheel themselves.
    const int dx = delta.x() != 0 ? delta.x() : ((event->modifiers() & Qt::ShiftModifier) ? delta.y() : 0);
    if (dx != 0) {
        Q_EMIT panRequested(-dx / 120.0 * std::max(1, m_timeLine->width) * 0.1);
        event->accept();
        return;
    }
    QTreeView::wheelEvent(event);
}

void WaterfallTreeView::mousePressEvent(QMouseEvent *event)
{
    const int x = int(event->position().x());
    m_pressInTimeline = event->button() == Qt::LeftButton && isInTimeline(x);
    m_banding = false;
    m_bandFrom = m_bandTo = x;
    QTreeView::mousePressEvent(event);
}

void WaterfallTreeView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_pressInTimeline && (event->buttons() & Qt::LeftButton)) {
        m_bandTo = int(event->position().x());
        if (!m_banding && std::abs(m_bandTo - m_bandFrom) >= BandThreshold)
            m_banding = true;
        if (m_banding) {
            viewport()->update();
            return; // no drag-selection of rows while choosing a range
        }
    }
    QTreeView::mouseMoveEvent(event);
}

void WaterfallTreeView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_banding && event->button() == Qt::LeftButton) {
        const int origin = timelineOrigin();
        const qint64 a = m_timeLine->mapXToTime(std::min(m_bandFrom, m_bandTo) - origin);
        const qint64 b = m_timeLine->mapXToTime(std::max(m_bandFrom, m_bandTo) - origin);
        m_banding = false;
        m_pressInTimeline = false;
        viewport()->update();
        Q_EMIT rangeRequested(a, b);
        return;
    }
    m_pressInTimeline = false;
    QTreeView::mouseReleaseEvent(event);
}

void WaterfallTreeView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && isInTimeline(int(event->position().x()))) {
        Q_EMIT resetZoomRequested();
        return;
    }
    QTreeView::mouseDoubleClickEvent(event);
}

bool WaterfallTreeView::event(QEvent *event)
{
    // Escape is the page's Back shortcut; while it has a zoom or a range selection to undo here,
    // the tree claims it so that keyPressEvent gets it.
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier
            && (m_banding || m_timeLine->isZoomed())) {
            event->accept();
            return true;
        }
    }
    return QTreeView::event(event);
}

void WaterfallTreeView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && event->modifiers() == Qt::NoModifier) {
        if (m_banding) {
            m_banding = false;
            m_pressInTimeline = false;
            viewport()->update();
            return;
        }
        if (m_timeLine->isZoomed()) {
            Q_EMIT resetZoomRequested();
            return;
        }
    }
    QTreeView::keyPressEvent(event);
}

void WaterfallTreeView::paintEvent(QPaintEvent *event)
{
    QTreeView::paintEvent(event);
    QPainter painter(viewport());
    if (m_banding) {
        const int left = std::min(m_bandFrom, m_bandTo);
        const int right = std::max(m_bandFrom, m_bandTo);
        const int columnLeft = header()->sectionViewportPosition(m_timelineColumn);
        const QRect band
            = QRect(QPoint(left, 0), QPoint(right, viewport()->height()))
                  .intersected(QRect(columnLeft, 0, header()->sectionSize(m_timelineColumn), viewport()->height()));
        QColor fill = QPalette().color(QPalette::Highlight);
        fill.setAlpha(50);
        painter.fillRect(band, fill);
        fill.setAlpha(200);
        painter.fillRect(QRect(band.left(), 0, 1, band.height()), fill);
        painter.fillRect(QRect(band.right(), 0, 1, band.height()), fill);
        // The range being chosen, so one can aim.
        const qint64 a = m_timeLine->mapXToTime(left - timelineOrigin());
        const qint64 b = m_timeLine->mapXToTime(right - timelineOrigin());
        const QString text = format::duration(b - a);
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(band.adjusted(4, 4, -4, -4), Qt::AlignTop | Qt::AlignHCenter, text);
    }
    if (!m_placeholder.isEmpty() && (!model() || model()->rowCount() == 0)) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(viewport()->rect(), Qt::AlignCenter, m_placeholder);
    }
}

} // namespace agentops::ui
