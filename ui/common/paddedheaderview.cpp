// SPDX-License-Identifier: MIT
#include "common/paddedheaderview.h"

#include <QPainter>
#include <QStyleOptionHeaderV2>

namespace agentops::ui {

PaddedHeaderView::PaddedHeaderView(Qt::Orientation orientation, QWidget *parent)
    : QHeaderView(orientation, parent)
{
    // As QTableView's own header: a click sorts.
    setSectionsClickable(true);
}

void PaddedHeaderView::setPadding(int pixels)
{
    m_padding = pixels;
    updateGeometries();
    viewport()->update();
}

QRect PaddedHeaderView::labelRect(const QStyleOptionHeader &option) const
{
    QRect rect = style()->subElementRect(QStyle::SE_HeaderLabel, &option, this);
    if (orientation() != Qt::Horizontal)
        return rect;
    // Only the side the title is aligned to: that is where it meets the next column's title.
    const Qt::Alignment h = QStyle::visualAlignment(layoutDirection(), option.textAlignment) & Qt::AlignHorizontal_Mask;
    if (h & Qt::AlignRight)
        return rect.adjusted(0, 0, -m_padding, 0);
    if (h & Qt::AlignHCenter)
        return rect.adjusted(m_padding / 2, 0, -(m_padding - m_padding / 2), 0);
    return rect.adjusted(m_padding, 0, 0, 0);
}

void PaddedHeaderView::paintSection(QPainter *painter, const QRect &rect, int logicalIndex) const
{
    if (!rect.isValid())
        return;
    // QHeaderView::paintSection draws CE_Header, which lays the title out in SE_HeaderLabel; the
    // same steps here (as QCommonStyle takes them), with the title's rectangle inset.
    QStyleOptionHeaderV2 option;
    initStyleOption(&option);
    initStyleOptionForIndex(&option, logicalIndex);
    option.rect = rect;
    const QPointF oldOrigin = painter->brushOrigin();
    painter->setBrushOrigin(rect.topLeft());
    painter->save();
    painter->setClipRect(rect, Qt::IntersectClip);
    style()->drawControl(QStyle::CE_HeaderSection, &option, painter, this);
    QStyleOptionHeaderV2 label = option;
    label.rect = labelRect(option);
    if (label.rect.isValid())
        style()->drawControl(QStyle::CE_HeaderLabel, &label, painter, this);
    if (option.sortIndicator != QStyleOptionHeader::None) {
        QStyleOptionHeaderV2 arrow = option;
        arrow.rect = style()->subElementRect(QStyle::SE_HeaderArrow, &option, this);
        style()->drawPrimitive(QStyle::PE_IndicatorHeaderArrow, &arrow, painter, this);
    }
    painter->restore();
    painter->setBrushOrigin(oldOrigin);
}

QSize PaddedHeaderView::sectionSizeFromContents(int logicalIndex) const
{
    QSize size = QHeaderView::sectionSizeFromContents(logicalIndex);
    if (orientation() == Qt::Horizontal)
        size.rwidth() += m_padding;
    return size;
}

} // namespace agentops::ui
