// SPDX-License-Identifier: MIT
#pragma once

#include "core/alertrule.h"

#include <QCoreApplication>
#include <QString>

namespace agentops::ui::alertformat {

/// The words the alert pages use for kinds, scopes, states and values, translated.
QString kindName(core::AlertKind kind);
QString scopeText(core::AlertScope scope, const std::string &value);
/// "Error rate above 5.0% over 15 min", "No spans for 10 min".
QString condition(const core::AlertRule &rule);
/// "Firing since 14:02 (12.5%)", "OK", "Pending", "Disabled".
QString state(const core::AlertRule &rule);
QString value(core::AlertKind kind, double v);
/// "Firing: weather agent quiet" / "Resolved: ..." with what was measured, for notifications.
QString eventTitle(const core::AlertEvent &event);
QString eventText(const core::AlertEvent &event);
QString timeText(std::int64_t ns);

} // namespace agentops::ui::alertformat
