// SPDX-License-Identifier: MIT
#include "waterfallminimap.h"

#include "spancolors.h"
#include "store/tracestore.h"
#include "timelinedata.h"
#include "waterfalldata.h"
#include "waterfallmodel.h"

#include "common/format.h"

#include <QMouseEvent>
#include <QPainter>

#include <array>
#include <cmath>

namespace agentops::ui {

namespace {
constexpr int VerticalPadding = 5;
constexpr int KindCount = int(core::SpanKind::Evaluator) + 1;
} // namespace

WaterfallMinimap::WaterfallMinimap(const TimeLineData *timeLine, QWidget *parent)
    : QWidget(parent)
    , m_timeLine(timeLine)
{
    // paintEvent covers every pixel.
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize WaterfallMinimap::sizeHint() const
{
    // Title, facts and the colour legend on the left; the map gets the same height on the right.
    return { 400, std::max(64, fontMetrics().height() * 3 + 16) };
}

QSize WaterfallMinimap::minimumSizeHint() const
{
    return { 100, sizeHint().height() };
}

void WaterfallMinimap::setWaterfallData(std::shared_ptr<const WaterfallData> data)
{
    m_data = std::move(data);
    m_mapDirty = true;
    updateSummary();
    update();
}

void WaterfallMinimap::setMapArea(int left, int width)
{
    if (left == m_mapLeft && width == m_mapWidth)
        return;
    m_mapLeft = left;
    m_mapWidth = width;
    m_mapDirty = true;
    update();
}

QRect WaterfallMinimap::mapRect() const
{
    return QRect(m_mapLeft, VerticalPadding, std::max(0, m_mapWidth), height() - 2 * VerticalPadding);
}

QRect WaterfallMinimap::windowRect() const
{
    const QRect map = mapRect();
    if (!m_data || !m_timeLine || m_data->size() == 0 || map.width() <= 0)
        return {};
    TimeLineData full;
    full.setFullRange(m_timeLine->fullStart, m_timeLine->fullEnd);
    full.width = map.width();
    const int x0 = int(std::floor(full.mapTimeToX(m_timeLine->visibleStart)));
    const int x1 = std::max(x0 + 3, int(std::ceil(full.mapTimeToX(m_timeLine->visibleEnd))));
    return QRect(map.left() + x0, map.top() - 2, x1 - x0, map.height() + 4).intersected(rect());
}

void WaterfallMinimap::updateSummary()
{
    m_title.clear();
    m_details.clear();
    if (!m_data || !m_data->trace || m_data->size() == 0)
        return;
    const auto &trace = *m_data->trace;
    const std::string_view root = m_data->text(m_data->row(m_data->tree.roots.front()).name);
    m_title = trace.summary.name.empty() ? QString::fromUtf8(root.data(), qsizetype(root.size()))
                                         : QString::fromStdString(trace.summary.name);
    const QString duration = format::duration(m_data->traceEnd - m_data->traceStart);
    const QString spans = m_data->size() == 1
        ? tr("1 span")
        : tr("%1 spans").arg(format::count(static_cast<std::int64_t>(m_data->size())));
    m_details = duration + QStringLiteral(" · ") + spans;
    if (m_data->errorCount > 0)
        m_details += QStringLiteral(" · ")
            + (m_data->errorCount == 1 ? tr("1 error") : tr("%1 errors").arg(format::count(m_data->errorCount)));
}

void WaterfallMinimap::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        m_mapDirty = true;
    QWidget::changeEvent(event);
}

void WaterfallMinimap::renderMap()
{
    m_mapDirty = false;
    const QRect map = mapRect();
    if (map.width() <= 0 || map.height() <= 0) {
        m_map = QImage();
        return;
    }
    const qreal dpr = devicePixelRatioF();
    m_map = QImage(map.size() * dpr, QImage::Format_ARGB32_Premultiplied);
    m_map.setDevicePixelRatio(dpr);
    m_map.fill(Qt::transparent);
    if (!m_data || m_data->size() == 0)
        return;

    const bool dark = SpanColors::isDark(palette());
    std::array<QColor, KindCount + 1> colors;
    for (int k = 0; k < KindCount; ++k)
        colors[k] = SpanColors::kindColor(core::SpanKind(k), dark);
    colors[KindCount] = SpanColors::errorColor(dark);

    TimeLineData full;
    full.setFullRange(m_data->traceStart, m_data->traceEnd);
    full.width = map.width();

    const int n = m_data->size();
    const int h = map.height();
    // Few spans: one row each, at most 4 px apart. Many: each pixel row stands for a run of spans.
    const double pitch = std::min(4.0, double(h) / n);
    const int rows = pitch >= 1 ? n : h;
    const int top = pitch >= 1 ? (h - int(std::ceil(pitch * n))) / 2 : 0;

    QPainter painter(&m_map);
    painter.setRenderHint(QPainter::Antialiasing, false);
    std::array<std::vector<int>, KindCount + 1> groups;
    const auto &spans = m_data->table->rows;
    for (int r = 0; r < rows; ++r) {
        int lo, hi, y0, y1;
        if (pitch >= 1) {
            lo = r;
            hi = r + 1;
            y0 = top + int(std::floor(r * pitch));
            y1 = top + std::max(int(std::floor((r + 1) * pitch)) - (pitch >= 3 ? 1 : 0), y0 + 1);
        } else {
            lo = int(qint64(r) * n / h);
            hi = int(qint64(r + 1) * n / h);
            y0 = r;
            y1 = r + 1;
        }
        for (auto &g : groups)
            g.clear();
        for (int i = lo; i < hi; ++i) {
            const auto &s = spans[i];
            groups[s.status == core::StatusCode::Error ? KindCount : int(s.kind)].push_back(i);
        }
        // One colour at a time; errors last so that they stay visible on top.
        for (int g = 0; g <= KindCount; ++g) {
            if (groups[g].empty())
                continue;
            for (const Bar &bar : layoutBars(full, groups[g], m_data->start, m_data->end))
                painter.fillRect(QRect(bar.px.x0, y0, std::max(1, bar.px.width()), y1 - y0), colors[g]);
        }
    }
}

void WaterfallMinimap::paintEvent(QPaintEvent *)
{
    if (m_mapDirty)
        renderMap();
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QPalette &pal = palette();
    painter.fillRect(rect(), pal.color(QPalette::Window));

    // Trace title and facts, in the space above the span names.
    const int textRight = m_mapLeft - 12;
    if (textRight > 40 && !m_title.isEmpty()) {
        QFont bold = font();
        bold.setBold(true);
        const QFontMetrics bfm(bold);
        const QFontMetrics fm(font());
        QFont small = font();
        small.setPointSizeF(font().pointSizeF() * 0.88);
        const QFontMetrics sfm(small);
        const int textHeight = bfm.height() + fm.height() + sfm.height() + 4;
        const int y = (height() - textHeight) / 2;
        painter.setFont(bold);
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(10, y, textRight - 10, bfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
            bfm.elidedText(m_title, Qt::ElideRight, textRight - 10));
        painter.setFont(font());
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(10, y + bfm.height() + 2, textRight - 10, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(m_details, Qt::ElideRight, textRight - 10));

        // Legend: the kinds this trace has, in their colours.
        painter.setFont(small);
        const bool dark = SpanColors::isDark(pal);
        int x = 10;
        const int ly = y + bfm.height() + fm.height() + 4;
        for (int k = 1; k <= KindCount; ++k) {
            const auto kind = core::SpanKind(k % KindCount); // "other" last
            if (!m_data || !(m_data->kindMask & (1u << unsigned(kind))))
                continue;
            const QString name = WaterfallModel::kindName(kind);
            const int w = 12 + sfm.horizontalAdvance(name);
            if (x + w > textRight)
                break;
            painter.fillRect(QRect(x, ly + (sfm.height() - 8) / 2, 8, 8), SpanColors::kindColor(kind, dark));
            painter.setPen(pal.color(QPalette::WindowText));
            painter.drawText(QRect(x + 12, ly, w, sfm.height()), Qt::AlignLeft | Qt::AlignVCenter, name);
            x += w + 12;
        }
    }

    const QRect map = mapRect();
    if (map.width() <= 0)
        return;
    painter.fillRect(map.adjusted(-3, -2, 3, 2), pal.color(QPalette::Base));
    painter.drawImage(map.topLeft(), m_map);

    const QRect window = windowRect();
    if (window.isEmpty())
        return;
    // Shade what the waterfall does not show.
    QColor shade = pal.color(QPalette::WindowText);
    shade.setAlpha(SpanColors::isDark(pal) ? 70 : 45);
    const QRect frame = map.adjusted(-3, -2, 3, 2);
    if (window.left() > frame.left())
        painter.fillRect(QRect(frame.left(), frame.top(), window.left() - frame.left(), frame.height()), shade);
    if (window.right() < frame.right())
        painter.fillRect(QRect(window.right() + 1, frame.top(), frame.right() - window.right(), frame.height()), shade);
    painter.setPen(pal.color(QPalette::Highlight));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(window.adjusted(0, 0, -1, -1));
}

qint64 WaterfallMinimap::timeAt(int x) const
{
    const QRect map = mapRect();
    if (!m_timeLine || map.width() <= 0)
        return 0;
    const double ratio = std::clamp(double(x - map.left()) / map.width(), 0.0, 1.0);
    return m_timeLine->fullStart + qint64(std::llround(ratio * double(m_timeLine->fullDuration())));
}

void WaterfallMinimap::mousePressEvent(QMouseEvent *event)
{
    const QRect map = mapRect();
    if (event->button() != Qt::LeftButton || !m_data || map.width() <= 0 || event->position().x() < map.left() - 4) {
        QWidget::mousePressEvent(event);
        return;
    }
    const qint64 t = timeAt(int(event->position().x()));
    const qint64 duration = m_timeLine->visibleDuration();
    if (t >= m_timeLine->visibleStart && t <= m_timeLine->visibleEnd) {
        m_dragOffset = t - m_timeLine->visibleStart;
    } else {
        // Clicked beside the window: centre it there, then keep dragging from the middle.
        m_dragOffset = duration / 2;
        Q_EMIT panRequested(t - m_dragOffset);
    }
    m_dragging = true;
    setCursor(Qt::ClosedHandCursor);
}

void WaterfallMinimap::mouseMoveEvent(QMouseEvent *event)
{
    if (m_dragging) {
        Q_EMIT panRequested(timeAt(int(event->position().x())) - m_dragOffset);
        return;
    }
    const bool overWindow = windowRect().contains(event->position().toPoint());
    setCursor(overWindow ? Qt::OpenHandCursor : Qt::ArrowCursor);
}

void WaterfallMinimap::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_dragging && event->button() == Qt::LeftButton) {
        m_dragging = false;
        setCursor(Qt::OpenHandCursor);
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void WaterfallMinimap::wheelEvent(QWheelEvent *event)
{
    if (!m_data || mapRect().width() <= 0) {
        event->ignore();
        return;
    }
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        Q_EMIT zoomRequested(std::pow(1.25, steps), timeAt(int(event->position().x())));
    event->accept();
}

} // namespace agentops::ui
