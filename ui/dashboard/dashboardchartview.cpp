// SPDX-License-Identifier: MIT
#include "dashboard/dashboardchartview.h"

#include <QAbstractSeries>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFile>
#include <QFileDialog>
#include <QGraphicsRectItem>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPixmap>
#include <QStandardPaths>
#include <QToolTip>

#include <cmath>

namespace agentops::ui {

DashboardChartView::DashboardChartView(const QString &exportName, QWidget *parent)
    : QChartView(parent)
    , m_exportName(exportName)
{
    setRenderHint(QPainter::Antialiasing);
    // Qt Charts leaves the point markers of a line series out of its bounding rectangle, and the
    // view repaints only what items report as changed: a lone point came out as a clipped square,
    // and removed series left rings and fragments of their markers behind until something
    // repainted the whole chart. A chart is small; repaint all of it on every change.
    setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
}

void DashboardChartView::setBuckets(int count, QAbstractSeries *indexSeries)
{
    m_buckets = count;
    m_indexSeries = indexSeries;
    resetHover();
}

void DashboardChartView::resetHover()
{
    m_hovered = -1;
    // The band belongs to the chart; a new chart needs a new one.
    if (m_band && m_band->parentItem() != chart()) {
        m_band = nullptr;
    }
    if (m_band)
        m_band->hide();
}

QPointF DashboardChartView::valueAt(const QPoint &pos) const
{
    const QPointF chartPos = chart()->mapFromScene(mapToScene(pos));
    return chart()->mapToValue(chartPos, m_indexSeries);
}

int DashboardChartView::bucketAt(const QPoint &pos) const
{
    if (m_buckets <= 0 || !m_indexSeries)
        return -1;
    const QPointF chartPos = chart()->mapFromScene(mapToScene(pos));
    if (!chart()->plotArea().contains(chartPos))
        return -1;
    const double x = valueAt(pos).x();
    const auto bucket = static_cast<int>(std::lround(x));
    return bucket >= 0 && bucket < m_buckets ? bucket : -1;
}

QString DashboardChartView::groupAt(const QPoint &pos) const
{
    const int bucket = bucketAt(pos);
    if (bucket < 0 || !m_groupAt)
        return {};
    return m_groupAt(bucket, valueAt(pos).y());
}

QPoint DashboardChartView::positionOf(int bucket, double y) const
{
    const QPointF chartPos = chart()->mapToPosition(QPointF(bucket, y), m_indexSeries);
    return mapFromScene(chart()->mapToScene(chartPos));
}

void DashboardChartView::hoverBucket(int bucket, const QPoint &pos)
{
    if (bucket == m_hovered)
        return;
    m_hovered = bucket;
    if (bucket < 0) {
        if (m_band)
            m_band->hide();
        QToolTip::hideText();
        return;
    }
    if (!m_band) {
        m_band = new QGraphicsRectItem(chart());
        m_band->setPen(Qt::NoPen);
        m_band->setZValue(0.5); // over the plot background, under grid and series
    }
    QColor shade = palette().color(QPalette::Text);
    shade.setAlpha(28);
    m_band->setBrush(shade);
    const QRectF plot = chart()->plotArea();
    const double left = chart()->mapToPosition(QPointF(bucket - 0.5, 0), m_indexSeries).x();
    const double right = chart()->mapToPosition(QPointF(bucket + 0.5, 0), m_indexSeries).x();
    m_band->setRect(QRectF(
        QPointF(std::max(left, plot.left()), plot.top()), QPointF(std::min(right, plot.right()), plot.bottom())));
    m_band->show();
    const QString text = toolTipFor(bucket);
    if (!text.isEmpty())
        QToolTip::showText(mapToGlobal(pos + QPoint(16, 8)), text, this);
}

void DashboardChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    if (m_buckets > 0)
        hoverBucket(bucketAt(event->position().toPoint()), event->position().toPoint());
}

void DashboardChartView::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    hoverBucket(-1, {});
}

void DashboardChartView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    QChartView::mousePressEvent(event);
}

void DashboardChartView::mouseReleaseEvent(QMouseEvent *event)
{
    QChartView::mouseReleaseEvent(event);
    const QPoint pos = event->position().toPoint();
    if (event->button() != Qt::LeftButton || (pos - m_pressPos).manhattanLength() > QApplication::startDragDistance())
        return;
    const int bucket = bucketAt(pos);
    if (bucket >= 0)
        Q_EMIT bucketClicked(bucket, groupAt(pos));
}

bool DashboardChartView::savePng(const QString &path)
{
    // Without the hover band: the file shows the data, not where the mouse happened to be.
    const bool bandVisible = m_band && m_band->isVisible();
    if (m_band)
        m_band->hide();
    const bool ok = grab().save(path, "PNG");
    if (m_band && bandVisible)
        m_band->show();
    return ok;
}

bool DashboardChartView::saveCsv(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(m_data.toCsv().toUtf8()) >= 0 && file.flush();
}

void DashboardChartView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    menu.addAction(tr("Save Chart as PNG…"), this, [this, dir] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Chart"),
            dir + QLatin1Char('/') + m_exportName + QStringLiteral(".png"), tr("PNG images (*.png)"));
        if (!path.isEmpty() && !savePng(path))
            QMessageBox::warning(this, tr("Save Chart"), tr("Could not write %1.").arg(path));
    });
    auto *csv = menu.addAction(tr("Save Data as CSV…"), this, [this, dir] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Chart Data"),
            dir + QLatin1Char('/') + m_exportName + QStringLiteral(".csv"), tr("CSV files (*.csv)"));
        if (!path.isEmpty() && !saveCsv(path))
            QMessageBox::warning(this, tr("Save Chart Data"), tr("Could not write %1.").arg(path));
    });
    auto *copy = menu.addAction(tr("Copy Data"), this, [this] { QApplication::clipboard()->setText(m_data.toCsv()); });
    csv->setEnabled(!m_data.rows.isEmpty());
    copy->setEnabled(!m_data.rows.isEmpty());
    menu.exec(event->globalPos());
}

} // namespace agentops::ui
