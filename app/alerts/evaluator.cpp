// SPDX-License-Identifier: MIT
#include "alerts/evaluator.h"

#include "store/rollup.h"

namespace agentops::alerts {

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::int64_t kMinuteNs = 60 * kSecondNs;

core::AlertEvent eventOf(
    const core::AlertRule &rule, bool firing, std::int64_t now_ns, std::optional<double> value, std::int64_t since_ns)
{
    core::AlertEvent e;
    e.rule_id = rule.id;
    e.rule_name = rule.name;
    e.kind = rule.kind;
    e.scope = rule.scope;
    e.scope_value = rule.scope_value;
    e.firing = firing;
    e.at_ns = now_ns;
    e.value = value;
    e.threshold = rule.threshold;
    e.window_s = rule.window_s;
    e.since_ns = since_ns;
    return e;
}

} // namespace

store::MetricsQuery ruleQuery(const core::AlertRule &rule, std::int64_t now_ns)
{
    store::MetricsQuery q;
    // Whole minutes, as the rollups keep them: the current minute and the ones before it.
    q.to_ns = store::rollup::floorTo(now_ns, kMinuteNs) + kMinuteNs;
    q.from_ns = q.to_ns - rule.window_s * kSecondNs;
    q.bucket_ns = kMinuteNs;
    q.top_n = 1;
    switch (rule.scope) {
    case core::AlertScope::All: break;
    case core::AlertScope::Service: q.service = rule.scope_value; break;
    case core::AlertScope::Agent: q.agent = rule.scope_value; break;
    case core::AlertScope::Model: q.model = rule.scope_value; break;
    }
    return q;
}

Measurement judge(const core::AlertRule &rule, const store::MetricsResult &metrics)
{
    const auto &t = metrics.totals;
    const double windowHours = static_cast<double>(rule.window_s) / 3600.0;
    Measurement m;
    switch (rule.kind) {
    case core::AlertKind::ErrorRate:
        if (t.spans > 0)
            m.value = 100.0 * static_cast<double>(t.error_spans) / static_cast<double>(t.spans);
        m.breached = m.value && *m.value > rule.threshold;
        break;
    case core::AlertKind::CostPerHour:
    case core::AlertKind::CostPerDay: {
        const double perHour = t.cost_usd / windowHours;
        m.value = rule.kind == core::AlertKind::CostPerHour ? perHour : perHour * 24.0;
        m.breached = *m.value > rule.threshold;
        break;
    }
    case core::AlertKind::P95Latency:
        if (t.trace_p95_ns)
            m.value = static_cast<double>(*t.trace_p95_ns) / 1e6;
        m.breached = m.value && *m.value > rule.threshold;
        break;
    case core::AlertKind::NoTraffic:
        m.value = static_cast<double>(t.spans);
        m.breached = *m.value <= rule.threshold;
        break;
    }
    return m;
}

Measurement measure(store::TraceStore &store, const core::AlertRule &rule, std::int64_t now_ns)
{
    return judge(rule, store.metrics(ruleQuery(rule, now_ns)));
}

Step step(const core::AlertRule &rule, const core::AlertState &state, const Measurement &m, std::int64_t now_ns)
{
    const std::int64_t hold = rule.for_s * kSecondNs;
    Step out;
    out.state = state;
    out.state.value = m.value;
    out.state.evaluated_ns = now_ns;
    auto fire = [&] {
        out.state.status = core::AlertStatus::Firing;
        out.state.since_ns = now_ns;
        out.state.fired_value = m.value.value_or(0);
        out.state.clear_since_ns = 0;
        out.event = eventOf(rule, true, now_ns, m.value, now_ns);
    };
    switch (state.status) {
    case core::AlertStatus::Ok:
        if (!m.breached)
            break;
        if (hold == 0) {
            fire();
        } else {
            out.state.status = core::AlertStatus::Pending;
            out.state.since_ns = now_ns;
        }
        break;
    case core::AlertStatus::Pending:
        if (!m.breached) {
            out.state.status = core::AlertStatus::Ok;
            out.state.since_ns = 0;
        } else if (now_ns - state.since_ns >= hold) {
            fire();
        }
        break;
    case core::AlertStatus::Firing:
        if (m.breached) {
            out.state.clear_since_ns = 0;
            break;
        }
        if (state.clear_since_ns == 0 && hold > 0) {
            out.state.clear_since_ns = now_ns;
            break;
        }
        if (now_ns - (state.clear_since_ns ? state.clear_since_ns : now_ns) >= hold) {
            out.event = eventOf(rule, false, now_ns, m.value, state.since_ns);
            out.state.status = core::AlertStatus::Ok;
            out.state.since_ns = 0;
            out.state.clear_since_ns = 0;
            out.state.fired_value = 0;
        }
        break;
    }
    return out;
}

std::vector<core::AlertEvent> evaluateStore(
    store::TraceStore &store, std::int64_t now_ns, std::vector<std::string> *errors)
{
    std::vector<std::pair<std::int64_t, core::AlertState>> states;
    std::vector<core::AlertEvent> events;
    for (const auto &rule : store.alertRules()) {
        if (!rule.enabled)
            continue;
        try {
            const auto next = step(rule, rule.state, measure(store, rule, now_ns), now_ns);
            states.emplace_back(rule.id, next.state);
            if (next.event)
                events.push_back(*next.event);
        } catch (const std::exception &e) {
            if (errors)
                errors->push_back("rule " + rule.name + ": " + e.what());
        }
    }
    if (!states.empty())
        store.recordAlertEvaluation(states, events);
    return events;
}

} // namespace agentops::alerts
