// SPDX-License-Identifier: MIT
#pragma once

#include "timelinedata.h"

#include <QStyledItemDelegate>

#include <vector>

namespace agentops::ui {

/// Paints the waterfall's rows: the span name with its kind chip and markers, the duration, and the
/// span's bar on the shared time line.
class WaterfallDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    /// Pixels kept free at both ends of the timeline column, so the first and last bars do not touch
    /// the column borders.
    static constexpr int TimelineMargin = 10;
    /// Room left and right of the Duration column's text, together.
    static constexpr int DurationPadding = 12;

    explicit WaterfallDelegate(const TimeLineData *timeLine, QObject *parent = nullptr);

    void setCriticalPathVisible(bool visible) { m_criticalPath = visible; }
    bool criticalPathVisible() const { return m_criticalPath; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    void paintName(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintDuration(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    void paintTimeline(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const;
    const std::vector<double> &gridLines() const;

    const TimeLineData *m_timeLine;
    bool m_criticalPath = false;
    // Tick positions for the current zoom, shared by all rows of one paint.
    mutable std::vector<double> m_grid;
    mutable std::int64_t m_gridStart = -1;
    mutable std::int64_t m_gridEnd = -1;
    mutable int m_gridWidth = -1;
};

} // namespace agentops::ui
