// SPDX-License-Identifier: MIT
#include "alerts/alertformat.h"

#include <QDateTime>
#include <QLocale>

namespace agentops::ui::alertformat {

namespace {

/// The translation context of these texts.
class AlertFormat
{
    Q_DECLARE_TR_FUNCTIONS(AlertFormat)
};

QString minutes(std::int64_t seconds)
{
    const int m = static_cast<int>(seconds / 60);
    if (m >= 60 && m % 60 == 0)
        return AlertFormat::tr("%1 h").arg(m / 60);
    return AlertFormat::tr("%1 min").arg(m);
}

} // namespace

QString kindName(core::AlertKind kind)
{
    switch (kind) {
    case core::AlertKind::ErrorRate: return AlertFormat::tr("Error rate");
    case core::AlertKind::CostPerHour: return AlertFormat::tr("Cost per hour");
    case core::AlertKind::CostPerDay: return AlertFormat::tr("Cost per day");
    case core::AlertKind::P95Latency: return AlertFormat::tr("p95 latency");
    case core::AlertKind::NoTraffic: return AlertFormat::tr("No traffic");
    }
    return {};
}

QString scopeText(core::AlertScope scope, const std::string &value)
{
    const QString v = QString::fromStdString(value);
    switch (scope) {
    case core::AlertScope::All: return AlertFormat::tr("All traffic");
    case core::AlertScope::Service: return AlertFormat::tr("Service %1").arg(v);
    case core::AlertScope::Agent: return AlertFormat::tr("Agent %1").arg(v);
    case core::AlertScope::Model: return AlertFormat::tr("Model %1").arg(v);
    }
    return {};
}

QString value(core::AlertKind kind, double v)
{
    const QLocale locale;
    switch (kind) {
    case core::AlertKind::ErrorRate: return AlertFormat::tr("%1%").arg(locale.toString(v, 'f', 1));
    case core::AlertKind::CostPerHour: return AlertFormat::tr("$%1/h").arg(locale.toString(v, 'f', 2));
    case core::AlertKind::CostPerDay: return AlertFormat::tr("$%1/day").arg(locale.toString(v, 'f', 2));
    case core::AlertKind::P95Latency: return AlertFormat::tr("%1 ms").arg(locale.toString(v, 'f', 0));
    case core::AlertKind::NoTraffic:
        return v == 1 ? AlertFormat::tr("1 span") : AlertFormat::tr("%1 spans").arg(locale.toString(v, 'f', 0));
    }
    return {};
}

QString condition(const core::AlertRule &rule)
{
    const QString window = minutes(rule.window_s);
    if (rule.kind == core::AlertKind::NoTraffic) {
        if (rule.threshold == 0)
            return AlertFormat::tr("No spans for %1").arg(window);
        return AlertFormat::tr("At most %1 in %2").arg(value(rule.kind, rule.threshold), window);
    }
    return AlertFormat::tr("%1 above %2 over %3").arg(kindName(rule.kind), value(rule.kind, rule.threshold), window);
}

QString timeText(std::int64_t ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1'000'000);
    const bool today = t.date() == QDate::currentDate();
    return QLocale().toString(
        t, today ? QLocale().timeFormat(QLocale::ShortFormat) : QLocale().dateTimeFormat(QLocale::ShortFormat));
}

QString state(const core::AlertRule &rule)
{
    if (!rule.enabled)
        return AlertFormat::tr("Disabled");
    switch (rule.state.status) {
    case core::AlertStatus::Ok:
        return rule.state.evaluated_ns ? AlertFormat::tr("OK") : AlertFormat::tr("Not evaluated yet");
    case core::AlertStatus::Pending: return AlertFormat::tr("Pending since %1").arg(timeText(rule.state.since_ns));
    case core::AlertStatus::Firing:
        return AlertFormat::tr("Firing since %1 (%2)")
            .arg(timeText(rule.state.since_ns), value(rule.kind, rule.state.fired_value));
    }
    return {};
}

QString eventTitle(const core::AlertEvent &event)
{
    const QString name = QString::fromStdString(event.rule_name);
    return event.firing ? AlertFormat::tr("Alert: %1").arg(name) : AlertFormat::tr("Resolved: %1").arg(name);
}

QString eventText(const core::AlertEvent &event)
{
    const QString measured = event.value ? value(event.kind, *event.value) : AlertFormat::tr("no data");
    const QString scope = scopeText(event.scope, event.scope_value);
    const QString limit = value(event.kind, event.threshold);
    return event.kind == core::AlertKind::NoTraffic
        ? AlertFormat::tr("%1: %2 in the last %3 (at most %4)").arg(scope, measured, minutes(event.window_s), limit)
        : AlertFormat::tr("%1: %2 %3 over %4 (threshold %5)")
              .arg(scope, kindName(event.kind), measured, minutes(event.window_s), limit);
}

} // namespace agentops::ui::alertformat
