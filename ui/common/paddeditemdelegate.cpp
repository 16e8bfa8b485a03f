// SPDX-License-Identifier: MIT
#include "common/paddeditemdelegate.h"

#include "common/paddedheaderview.h"

#include <QApplication>
#include <QPainter>

namespace agentops::ui {

QString PaddedItemDelegate::displayedText(const QStyleOptionViewItem &cell, const QModelIndex &index) const
{
    QStyleOptionViewItem option = cell;
    initStyleOption(&option, index);
    return option.fontMetrics.elidedText(option.text, option.textElideMode, textWidth(option));
}

int PaddedItemDelegate::textWidth(const QStyleOptionViewItem &option)
{
    const QWidget *widget = option.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    // The style lays the text out in this rectangle, less a margin on either side.
    const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &option, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    return textRect.width() - 2 * margin;
}

void PaddedItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    option->rect.adjust(PaddedHeaderView::Padding, 0, -PaddedHeaderView::Padding, 0);
    if (m_middleElided.contains(index.column()))
        option->textElideMode = Qt::ElideMiddle;
}

void PaddedItemDelegate::paintBackground(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem background = option;
    QStyledItemDelegate::initStyleOption(&background, index);
    background.text.clear();
    background.icon = QIcon();
    background.features &= ~QStyleOptionViewItem::HasDecoration;
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &background, painter, widget);
}

void PaddedItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The row background (selection, error tint) spans the whole cell; only the content is inset.
    paintBackground(painter, option, index);
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    QStyleOptionViewItem content = option;
    initStyleOption(&content, index);
    content.backgroundBrush = Qt::NoBrush;
    style->drawControl(QStyle::CE_ItemViewItem, &content, painter, widget);
}

QSize PaddedItemDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    return QStyledItemDelegate::sizeHint(option, index) + QSize(2 * PaddedHeaderView::Padding, 0);
}

} // namespace agentops::ui
