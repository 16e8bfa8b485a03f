// SPDX-License-Identifier: MIT
#pragma once

#include <QHeaderView>

namespace agentops::ui {

/// A table header whose titles sit as far from the column edges as the cells' text does. Styles
/// leave only a couple of pixels around a title: a right-aligned figure's title ("Cost") then runs
/// into the left-aligned title of the next column ("Cost User"). A title is inset on the side it is
/// aligned to, where it meets its neighbour; sizes to contents include the inset, so a column fitted
/// to its title keeps it.
class PaddedHeaderView : public QHeaderView
{
    Q_OBJECT

public:
    /// Pixels of air on a cell's sides in the tables whose cells PaddedItemDelegate pads: a title
    /// inset as much lines up with the text below it.
    static constexpr int Padding = 5;

    explicit PaddedHeaderView(Qt::Orientation orientation, QWidget *parent = nullptr);

    /// The inset (Padding unless set): less for a table whose cells have the style's own margins.
    void setPadding(int pixels);
    int padding() const { return m_padding; }

protected:
    void paintSection(QPainter *painter, const QRect &rect, int logicalIndex) const override;
    QSize sectionSizeFromContents(int logicalIndex) const override;

private:
    QRect labelRect(const QStyleOptionHeader &option) const;

    int m_padding = Padding;
};

} // namespace agentops::ui
