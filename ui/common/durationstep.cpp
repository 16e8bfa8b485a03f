// SPDX-License-Identifier: MIT
#include "common/durationstep.h"

#include <algorithm>
#include <limits>

namespace agentops::ui {

std::int64_t niceDurationStep(double rawNs)
{
    constexpr std::int64_t second = 1'000'000'000;
    constexpr std::int64_t minute = 60 * second;
    constexpr std::int64_t hour = 60 * minute;
    constexpr std::int64_t day = 24 * hour;
    const double raw = std::max(rawNs, 1.0);
    if (raw <= 10.0 * second) {
        std::int64_t magnitude = 1;
        while (static_cast<double>(magnitude) * 10 <= raw)
            magnitude *= 10;
        for (std::int64_t m : { 1, 2, 5, 10 })
            if (static_cast<double>(magnitude * m) >= raw)
                return magnitude * m;
    }
    // Beyond ten seconds: steps a clock reads, so ticks fall on whole minutes and hours.
    static constexpr std::int64_t clock[] = { 15 * second, 20 * second, 30 * second, minute, 2 * minute, 5 * minute,
        10 * minute, 15 * minute, 30 * minute, hour, 2 * hour, 3 * hour, 6 * hour, 12 * hour };
    for (std::int64_t step : clock)
        if (static_cast<double>(step) >= raw)
            return step;
    // Days: 1, 2, 5, 10, 20, 50 ... as far as an int64 reaches.
    constexpr std::int64_t largest = std::numeric_limits<std::int64_t>::max() / 10;
    for (std::int64_t magnitude = day;; magnitude *= 10) {
        for (std::int64_t m : { 1, 2, 5 })
            if (static_cast<double>(magnitude * m) >= raw || magnitude > largest / 5)
                return magnitude * m;
    }
}

} // namespace agentops::ui
