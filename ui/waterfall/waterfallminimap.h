// SPDX-License-Identifier: MIT
#pragma once

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <memory>

namespace agentops::ui {

struct TimeLineData;
struct WaterfallData;

/// An overview of the whole trace above the waterfall: every span as a thin bar in its kind's colour,
/// and the part the waterfall shows as a window that can be dragged to pan (or wheeled to zoom).
class WaterfallMinimap : public QWidget
{
    Q_OBJECT
public:
    explicit WaterfallMinimap(const TimeLineData *timeLine, QWidget *parent = nullptr);

    void setWaterfallData(std::shared_ptr<const WaterfallData> data);
    /// Where the map is drawn, in this widget's coordinates: aligned with the timeline column.
    void setMapArea(int left, int width);
    QRect mapRect() const;
    /// The pixel rectangle of the visible window, as drawn.
    QRect windowRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The user dragged the window: show the time range that starts at start.
    void panRequested(qint64 start);
    /// The user wheeled over the map: zoom by factor around time.
    void zoomRequested(double factor, qint64 time);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void renderMap();
    qint64 timeAt(int x) const;
    void updateSummary();

    const TimeLineData *m_timeLine;
    std::shared_ptr<const WaterfallData> m_data;
    int m_mapLeft = 0;
    int m_mapWidth = 0;
    QImage m_map; // the bars, rendered once per size and trace
    bool m_mapDirty = true;
    bool m_dragging = false;
    qint64 m_dragOffset = 0; // from the window's start to the grabbed time
    QString m_title;
    QString m_details;
};

} // namespace agentops::ui
