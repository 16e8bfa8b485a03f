// SPDX-License-Identifier: MIT
#include "timelinedata.h"

#include "common/durationstep.h"

#include <algorithm>
#include <cmath>

namespace agentops::ui {

void TimeLineData::setFullRange(std::int64_t start, std::int64_t end)
{
    fullStart = start;
    fullEnd = std::max(end, start + 1);
    reset();
}

double TimeLineData::nsPerPixel() const
{
    const double ns = static_cast<double>(visibleDuration()) / std::max(width, 1);
    return ns > 0 ? ns : 1.0;
}

double TimeLineData::mapTimeToX(std::int64_t time) const
{
    return static_cast<double>(time - visibleStart) / nsPerPixel();
}

std::int64_t TimeLineData::mapXToTime(double x) const
{
    return visibleStart + static_cast<std::int64_t>(std::llround(x * nsPerPixel()));
}

void TimeLineData::zoom(double factor, double anchorX)
{
    if (factor <= 0)
        return;
    const std::int64_t anchor = mapXToTime(anchorX);
    const double newDuration = std::max(static_cast<double>(visibleDuration()) / factor, double(MinVisibleNs));
    // Keep the anchor's relative position in the window.
    const double ratio = width > 0 ? std::clamp(anchorX / width, 0.0, 1.0) : 0.5;
    visibleStart = anchor - static_cast<std::int64_t>(std::llround(newDuration * ratio));
    visibleEnd = visibleStart + static_cast<std::int64_t>(std::llround(newDuration));
    clamp();
}

void TimeLineData::zoomTo(std::int64_t start, std::int64_t end)
{
    if (end < start)
        std::swap(start, end);
    // Whatever part of the range lies outside the trace is of no interest.
    visibleStart = std::max(start, fullStart);
    visibleEnd = std::min(end, fullEnd);
    if (visibleEnd - visibleStart < MinVisibleNs) {
        const std::int64_t centre = visibleStart + (visibleEnd - visibleStart) / 2;
        visibleStart = centre - MinVisibleNs / 2;
        visibleEnd = visibleStart + MinVisibleNs;
    }
    clamp();
}

void TimeLineData::panPixels(double dx)
{
    panTo(visibleStart + static_cast<std::int64_t>(std::llround(dx * nsPerPixel())));
}

void TimeLineData::panTo(std::int64_t start)
{
    const std::int64_t duration = visibleDuration();
    visibleStart = start;
    visibleEnd = start + duration;
    clamp();
}

void TimeLineData::reset()
{
    visibleStart = fullStart;
    visibleEnd = fullEnd;
}

void TimeLineData::clamp()
{
    const std::int64_t full = fullDuration();
    std::int64_t duration = std::clamp(visibleDuration(), std::min(MinVisibleNs, full), full);
    if (duration <= 0)
        duration = full;
    if (visibleStart < fullStart)
        visibleStart = fullStart;
    if (visibleStart + duration > fullEnd)
        visibleStart = fullEnd - duration;
    visibleEnd = visibleStart + duration;
}

std::optional<PixelSpan> TimeLineData::pixelSpan(std::int64_t start, std::int64_t end, int minWidth) const
{
    if (end < start)
        end = start;
    if (end < visibleStart || start > visibleEnd || width <= 0)
        return std::nullopt;
    const double x0 = std::max(mapTimeToX(start), -1.0);
    const double x1 = std::min(mapTimeToX(end), double(width) + 1);
    PixelSpan px { static_cast<int>(std::floor(x0)), static_cast<int>(std::ceil(x1)) };
    px.x0 = std::max(px.x0, 0);
    px.x1 = std::min(px.x1, width);
    if (px.x1 - px.x0 < minWidth) {
        px.x1 = std::min(px.x0 + minWidth, width);
        px.x0 = std::max(0, px.x1 - minWidth);
    }
    return px;
}

std::int64_t niceTickStep(double nsPerPixel, double minSpacingPx)
{
    return niceDurationStep(nsPerPixel * minSpacingPx);
}

std::vector<TimeTick> timeTicks(const TimeLineData &data, double minSpacingPx)
{
    std::vector<TimeTick> ticks;
    if (data.width <= 0 || data.visibleDuration() <= 0)
        return ticks;
    const std::int64_t step = niceTickStep(data.nsPerPixel(), minSpacingPx);
    const std::int64_t relStart = data.visibleStart - data.fullStart;
    std::int64_t t = relStart / step * step;
    if (t < relStart)
        t += step;
    for (; data.fullStart + t <= data.visibleEnd; t += step) {
        TimeTick tick;
        tick.time = t;
        tick.x = data.mapTimeToX(data.fullStart + t);
        tick.step = step;
        ticks.push_back(tick);
    }
    return ticks;
}

} // namespace agentops::ui
