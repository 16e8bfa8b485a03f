// SPDX-License-Identifier: MIT
#pragma once

#include <QTreeView>

namespace agentops::ui {

struct TimeLineData;

/// The tree part of the waterfall. Adds the time line's mouse handling to QTreeView: Ctrl+wheel
/// zooms around the pointer, Shift+wheel pans, dragging across the timeline column selects a range
/// to zoom into, and a double click there (or Escape) fits the whole trace again.
class WaterfallTreeView : public QTreeView
{
    Q_OBJECT
public:
    WaterfallTreeView(const TimeLineData *timeLine, int timelineColumn, QWidget *parent = nullptr);

    /// x of the time line's origin in viewport coordinates.
    int timelineOrigin() const;
    bool isInTimeline(int viewportX) const;
    /// Text shown centred in the empty view ("Loading…", "No spans match").
    void setPlaceholderText(const QString &text);

Q_SIGNALS:
    /// factor > 1 zooms in; x is in time line pixels.
    void zoomRequested(double factor, double x);
    void panRequested(double dx);
    void rangeRequested(qint64 start, qint64 end);
    void resetZoomRequested();

protected:
    bool event(QEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void tintSelection();

    const TimeLineData *m_timeLine;
    int m_timelineColumn;
    QString m_placeholder;
    bool m_pressInTimeline = false;
    bool m_banding = false;
    int m_bandFrom = 0;
    int m_bandTo = 0;
    bool m_tinting = false;
};

} // namespace agentops::ui
