// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace agentops::ui {

/// A bar's horizontal extent in pixels, [x0, x1).
struct PixelSpan
{
    int x0 = 0;
    int x1 = 0;
    int width() const { return x1 - x0; }
    bool operator==(const PixelSpan &other) const = default;
};

/// Time↔pixel mapping of the timeline: the full trace range, the visible window of it and the width
/// in pixels it is drawn into. Plain maths, shared by the delegate, the axis header and the minimap so
/// that all three agree to the pixel.
struct TimeLineData
{
    /// Narrowest window one can zoom into; below that the labels would say nothing new.
    static constexpr std::int64_t MinVisibleNs = 100;

    std::int64_t fullStart = 0;
    std::int64_t fullEnd = 0;
    std::int64_t visibleStart = 0;
    std::int64_t visibleEnd = 0;
    int width = 0;

    /// Sets the whole range and shows all of it.
    void setFullRange(std::int64_t start, std::int64_t end);
    std::int64_t visibleDuration() const { return visibleEnd - visibleStart; }
    std::int64_t fullDuration() const { return fullEnd - fullStart; }
    bool isZoomed() const { return visibleStart > fullStart || visibleEnd < fullEnd; }

    double mapTimeToX(std::int64_t time) const;
    std::int64_t mapXToTime(double x) const;
    /// Nanoseconds per pixel at the current zoom (never 0).
    double nsPerPixel() const;

    /// factor > 1 zooms in, < 1 out; the time under anchorX stays under it.
    void zoom(double factor, double anchorX);
    /// Shows [start, end], clamped to the full range.
    void zoomTo(std::int64_t start, std::int64_t end);
    /// Moves the window by dx pixels (positive: later in time).
    void panPixels(double dx);
    /// Moves the window to start at the given time, keeping its duration.
    void panTo(std::int64_t start);
    void reset();
    /// Keeps the window inside the full range and at least MinVisibleNs wide.
    void clamp();

    /// The pixels a span [start, end] covers, clipped to [0, width]; nullopt when it lies outside the
    /// visible window. Bars are at least minWidth wide so that instant spans stay visible.
    std::optional<PixelSpan> pixelSpan(std::int64_t start, std::int64_t end, int minWidth = 1) const;
};

/// One tick of the time axis; its label is format::durationTick(time, step).
struct TimeTick
{
    double x = 0;
    std::int64_t time = 0; ///< relative to the full range's start
    std::int64_t step = 0; ///< between this tick and the next
};

/// A "nice" tick step (niceDurationStep: 1, 2 or 5 × 10^k ns, then whole minutes and hours) giving
/// ticks at least minSpacingPx apart.
std::int64_t niceTickStep(double nsPerPixel, double minSpacingPx);
/// Ticks for the visible window, at times relative to fullStart.
std::vector<TimeTick> timeTicks(const TimeLineData &data, double minSpacingPx = 90);

} // namespace agentops::ui
