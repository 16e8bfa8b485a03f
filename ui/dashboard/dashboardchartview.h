// SPDX-License-Identifier: MIT
#pragma once

#include "dashboard/metricsseries.h"

#include <QChartView>

#include <functional>

class QAbstractSeries;
class QGraphicsRectItem;

namespace agentops::ui {

/// A chart on the dashboard. For time charts the series lie on a hidden index axis (bucket i at
/// x = i) so that hovering and clicking map to a bucket the same way in bar and line charts: the
/// bucket under the mouse is highlighted and its exact values shown in a tooltip, and a click
/// reports the bucket (and, in stacked charts, the group under the cursor). The context menu saves
/// the chart as PNG and its data as CSV.
class DashboardChartView : public QChartView
{
    Q_OBJECT

public:
    using ToolTipFunction = std::function<QString(int bucket)>;
    using GroupFunction = std::function<QString(int bucket, double y)>;

    explicit DashboardChartView(const QString &exportName, QWidget *parent = nullptr);

    /// Makes this a time chart of count buckets, mapped through series (0 / nullptr: not one).
    void setBuckets(int count, QAbstractSeries *indexSeries);
    int bucketCount() const { return m_buckets; }
    void setToolTipFunction(ToolTipFunction f) { m_toolTip = std::move(f); }
    void setGroupFunction(GroupFunction f) { m_groupAt = std::move(f); }

    void setData(dashboard::CsvTable data) { m_data = std::move(data); }
    const dashboard::CsvTable &data() const { return m_data; }

    bool savePng(const QString &path);
    bool saveCsv(const QString &path) const;

    /// The bucket under a viewport position, or -1 outside the plot area.
    int bucketAt(const QPoint &pos) const;
    /// The group under a viewport position ("" when the chart is not split there).
    QString groupAt(const QPoint &pos) const;
    /// Where the value (bucket, y) is drawn, in viewport coordinates.
    QPoint positionOf(int bucket, double y) const;
    /// The exact values of a bucket, as the tooltip shows them.
    QString toolTipFor(int bucket) const { return m_toolTip && bucket >= 0 ? m_toolTip(bucket) : QString(); }

    /// Clears the hover highlight (after the chart was rebuilt).
    void resetHover();

Q_SIGNALS:
    void bucketClicked(int bucket, const QString &group);

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    QPointF valueAt(const QPoint &pos) const;
    void hoverBucket(int bucket, const QPoint &pos);

    QString m_exportName;
    int m_buckets = 0;
    QAbstractSeries *m_indexSeries = nullptr;
    QGraphicsRectItem *m_band = nullptr;
    int m_hovered = -1;
    QPoint m_pressPos;
    ToolTipFunction m_toolTip;
    GroupFunction m_groupAt;
    dashboard::CsvTable m_data;
};

} // namespace agentops::ui
