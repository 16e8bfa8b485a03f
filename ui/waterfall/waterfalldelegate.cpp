// SPDX-License-Identifier: MIT
#include "waterfalldelegate.h"

#include "spancolors.h"
#include "waterfallmodel.h"

#include "common/format.h"

#include <QApplication>
#include <QPainter>

namespace agentops::ui {

WaterfallDelegate::WaterfallDelegate(const TimeLineData *timeLine, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_timeLine(timeLine)
{ }

QSize WaterfallDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    // Room for the bar and its label, a little more than a plain text row.
    size.setHeight(std::max(size.height(), option.fontMetrics.height() + 10));
    return size;
}

void WaterfallDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    opt.text.clear();
    opt.icon = QIcon();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);

    painter->save();
    // Only straight boxes and text: antialiasing would just blur the edges.
    painter->setRenderHint(QPainter::Antialiasing, false);
    switch (index.column()) {
    case WaterfallModel::NameColumn: paintName(painter, opt, index); break;
    case WaterfallModel::DurationColumn: paintDuration(painter, opt, index); break;
    case WaterfallModel::TimelineColumn: paintTimeline(painter, opt, index); break;
    default: break;
    }
    painter->restore();
}

void WaterfallDelegate::paintName(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect rect = option.rect;
    const QPalette &palette = option.palette;
    const bool dark = SpanColors::isDark(palette);
    const auto kind = core::SpanKind(index.data(WaterfallModel::KindRole).toInt());
    const bool error = index.data(WaterfallModel::ErrorRole).toBool();
    const bool orphan = index.data(WaterfallModel::OrphanRole).toBool();
    const int match = index.data(WaterfallModel::MatchRole).toInt();
    const bool dimmed
        = (m_criticalPath && !index.data(WaterfallModel::CriticalRole).toBool()) || match == WaterfallModel::NoMatch;

    int x = rect.left() + 2;
    const int cy = rect.center().y();

    // Kind chip.
    QColor chip = SpanColors::kindColor(kind, dark);
    painter->fillRect(QRect(x, cy - 5, 10, 10), chip);
    x += 16;

    if (error) {
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing, true);
        const QRectF badge(x, cy - 7, 14, 14);
        painter->setPen(Qt::NoPen);
        painter->setBrush(SpanColors::errorColor(dark));
        painter->drawEllipse(badge);
        QFont bold = option.font;
        bold.setBold(true);
        bold.setPixelSize(11);
        painter->setFont(bold);
        painter->setPen(SpanColors::textOn(SpanColors::errorColor(dark)));
        painter->drawText(badge, Qt::AlignCenter, QStringLiteral("!"));
        painter->restore();
        x += 19;
    }

    QFont font = option.font;
    if (match == WaterfallModel::Match)
        font.setBold(true);
    const QFontMetrics fm(font);
    QFont small = option.font;
    small.setPointSizeF(option.font.pointSizeF() * 0.88);
    const QFontMetrics smallFm(small);

    int right = rect.right() - 4;
    if (orphan) {
        const QString tag = tr("parent missing");
        const int w = smallFm.horizontalAdvance(tag) + 10;
        if (right - w > x + 40) {
            const QRect tagRect(right - w, cy - smallFm.height() / 2 - 1, w, smallFm.height() + 2);
            const QColor amber = dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xb4, 0x53, 0x09);
            painter->setPen(amber);
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(tagRect.adjusted(0, 0, -1, -1));
            painter->setFont(small);
            painter->drawText(tagRect, Qt::AlignCenter, tag);
            right -= w + 6;
        }
    }

    const bool selected = option.state & QStyle::State_Selected;
    QColor textColor = palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    if (dimmed)
        textColor = SpanColors::faded(textColor, palette.color(QPalette::Base), 0.5);
    const QString name = fm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, std::max(0, right - x));
    const int nameWidth = fm.horizontalAdvance(name);
    if (match == WaterfallModel::Match) {
        const QColor mark = dark ? QColor(0x85, 0x6a, 0x00) : QColor(0xff, 0xe0, 0x66);
        painter->fillRect(QRect(x - 2, cy - fm.height() / 2, nameWidth + 4, fm.height()), mark);
        if (!selected)
            textColor = dark ? QColor(Qt::white) : QColor(0x11, 0x18, 0x27);
    }
    painter->setFont(font);
    painter->setPen(textColor);
    painter->drawText(QRect(x, rect.top(), nameWidth + 1, rect.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
    x += nameWidth + 8;

    const QString secondary = index.data(WaterfallModel::SecondaryTextRole).toString();
    if (!secondary.isEmpty() && right - x > 40) {
        painter->setFont(small);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(QRect(x, rect.top(), right - x, rect.height()), Qt::AlignLeft | Qt::AlignVCenter,
            smallFm.elidedText(secondary, Qt::ElideRight, right - x));
    }
}

void WaterfallDelegate::paintDuration(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const bool selected = option.state & QStyle::State_Selected;
    const bool dark = SpanColors::isDark(option.palette);
    QColor color = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    if (index.data(WaterfallModel::ErrorRole).toBool())
        color = SpanColors::errorColor(dark);
    else if (m_criticalPath && !index.data(WaterfallModel::CriticalRole).toBool())
        color = SpanColors::faded(color, option.palette.color(QPalette::Base), 0.5);
    painter->setPen(color);
    painter->setFont(option.font);
    // The column fits the trace's longest duration; narrowed by hand it elides rather than lose digits.
    const QRect rect = option.rect.adjusted(DurationPadding / 3, 0, -(DurationPadding - DurationPadding / 3), 0);
    const QString text
        = option.fontMetrics.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight, rect.width());
    painter->drawText(rect, Qt::AlignRight | Qt::AlignVCenter, text);
}

const std::vector<double> &WaterfallDelegate::gridLines() const
{
    if (m_gridStart != m_timeLine->visibleStart || m_gridEnd != m_timeLine->visibleEnd
        || m_gridWidth != m_timeLine->width) {
        m_grid.clear();
        for (const TimeTick &tick : timeTicks(*m_timeLine))
            m_grid.push_back(tick.x);
        m_gridStart = m_timeLine->visibleStart;
        m_gridEnd = m_timeLine->visibleEnd;
        m_gridWidth = m_timeLine->width;
    }
    return m_grid;
}

void WaterfallDelegate::paintTimeline(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const QRect rect = option.rect;
    const QPalette &palette = option.palette;
    const bool dark = SpanColors::isDark(palette);
    const int left = rect.left() + TimelineMargin;
    painter->setClipRect(rect);

    QColor gridColor = palette.color(QPalette::Text);
    gridColor.setAlpha(dark ? 28 : 20);
    for (double gx : gridLines()) {
        const int px = left + int(gx);
        painter->fillRect(QRect(px, rect.top(), 1, rect.height()), gridColor);
    }

    const qint64 start = index.data(WaterfallModel::StartRole).toLongLong();
    const qint64 end = index.data(WaterfallModel::EndRole).toLongLong();
    const auto px = m_timeLine->pixelSpan(start, end, 2);
    if (!px)
        return; // outside the visible time window

    const auto kind = core::SpanKind(index.data(WaterfallModel::KindRole).toInt());
    const bool error = index.data(WaterfallModel::ErrorRole).toBool();
    const bool offPath = m_criticalPath && !index.data(WaterfallModel::CriticalRole).toBool();
    const QColor base = palette.color(QPalette::Base);
    QColor fill = error ? SpanColors::errorColor(dark) : SpanColors::kindColor(kind, dark);
    if (offPath)
        fill = SpanColors::faded(fill, base);

    const int barHeight = std::max(6, rect.height() - 10);
    const QRect bar(left + px->x0, rect.top() + (rect.height() - barHeight) / 2, px->width(), barHeight);
    painter->fillRect(bar, fill);
    if (error) {
        // A darker frame keeps failed spans recognisable when they are only a few pixels wide.
        painter->setPen(dark ? QColor(0xfe, 0xca, 0xca) : QColor(0x7f, 0x1d, 0x1d));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(bar.adjusted(0, 0, -1, -1));
    } else if (m_criticalPath && !offPath) {
        painter->setPen(palette.color(QPalette::Text));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(bar.adjusted(0, 0, -1, -1));
    }

    // The duration goes where it fits: after the bar, inside it, or before it; else nowhere.
    QFont font = option.font;
    font.setPointSizeF(option.font.pointSizeF() * 0.88);
    const QFontMetrics fm(font);
    const QString label = format::duration(end - start);
    const int textWidth = fm.horizontalAdvance(label);
    const int right = rect.right() - 2;
    QRect textRect;
    QColor textColor
        = palette.color((option.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text);
    if (offPath)
        textColor = SpanColors::faded(textColor, base, 0.55);
    if (bar.right() + 5 + textWidth <= right) {
        textRect = QRect(bar.right() + 5, rect.top(), textWidth + 1, rect.height());
    } else if (bar.width() >= textWidth + 8) {
        textRect = QRect(bar.right() - textWidth - 4, rect.top(), textWidth + 1, rect.height());
        textColor = SpanColors::textOn(fill);
    } else if (bar.left() - 5 - textWidth >= rect.left() + 2) {
        textRect = QRect(bar.left() - 5 - textWidth, rect.top(), textWidth + 1, rect.height());
    } else {
        return;
    }
    painter->setFont(font);
    painter->setPen(textColor);
    painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, label);
}

} // namespace agentops::ui
