// SPDX-License-Identifier: MIT
#pragma once

#include "core/alertrule.h"
#include "store/tracestore.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace agentops::alerts {

/// What a rule's condition read from the rollups at one moment.
struct Measurement
{
    /// In the kind's unit (core::alertUnit); none when the window held nothing to measure (an
    /// error rate or a latency without spans or traces).
    std::optional<double> value;
    bool breached = false; ///< the condition holds
};

/// The metrics query a rule asks at now_ns: the last window_s seconds in whole minutes, the current
/// minute included, filtered to the rule's scope.
store::MetricsQuery ruleQuery(const core::AlertRule &rule, std::int64_t now_ns);

/// Reads a rule's value from the store's rollups (TraceStore::metrics) and compares it with the
/// threshold. Throws what the store throws.
Measurement measure(store::TraceStore &store, const core::AlertRule &rule, std::int64_t now_ns);

/// The value and condition of a rule from a metrics answer for ruleQuery(rule, ...).
Measurement judge(const core::AlertRule &rule, const store::MetricsResult &metrics);

/// A rule's next state after a measurement, and the event when it began or stopped firing. The
/// condition must hold for rule.for_s before the rule fires and be gone as long before it resolves
/// (with for_s 0, the first evaluation that sees it decides).
struct Step
{
    core::AlertState state;
    std::optional<core::AlertEvent> event;
};
Step step(const core::AlertRule &rule, const core::AlertState &state, const Measurement &m, std::int64_t now_ns);

/// One evaluation of every enabled rule of a store at now_ns: measures each, records the new
/// states and events in the store (one transaction) and returns the events (with their ids). A rule
/// whose measurement fails keeps its state; its error goes to errors when given.
std::vector<core::AlertEvent> evaluateStore(
    store::TraceStore &store, std::int64_t now_ns, std::vector<std::string> *errors = nullptr);

} // namespace agentops::alerts
