// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

namespace agentops::ui {

/// The smallest step of a duration axis that is at least rawNs and reads well beside
/// format::durationTick(): 1, 2 or 5 × 10^k ns below a minute; then 1, 2, 5, 10, 15 and 30 minutes;
/// 1, 2, 3, 6 and 12 hours; then 1, 2 or 5 × 10^k days. Plain maths without Qt, for the waterfall's
/// time line as for the dashboard's latency axis.
std::int64_t niceDurationStep(double rawNs);

} // namespace agentops::ui
