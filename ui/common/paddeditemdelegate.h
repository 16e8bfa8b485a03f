// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QStyledItemDelegate>

namespace agentops::ui {

/// Leaves air between a cell's text and the column edges, which the default delegate does not:
/// PaddedHeaderView::Padding on either side, as much as the titles above have. The row background
/// (selection, error tint) still spans the whole cell.
class PaddedItemDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    /// Columns whose overlong text is elided in the middle (ids), not at the end.
    void setMiddleElided(const QSet<int> &columns) { m_middleElided = columns; }

    /// The text paint() draws: elided as the style elides it when the cell is too narrow.
    virtual QString displayedText(const QStyleOptionViewItem &cell, const QModelIndex &index) const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
    /// The width the text of a cell has to itself: the style's text rectangle less its margins.
    static int textWidth(const QStyleOptionViewItem &option);
    /// Draws the row background (selection, error tint) across the whole cell.
    void paintBackground(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;

private:
    QSet<int> m_middleElided;
};

} // namespace agentops::ui
