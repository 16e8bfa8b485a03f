// SPDX-License-Identifier: MIT
#pragma once
// How the stores read alert rules back from their rows. Internal to agentops_store.

#include "core/alertrule.h"
#include "store/tracestore.h"

#include <string_view>

namespace agentops::store::alertrows {

/// A name the store wrote; an unknown one (a newer program's kind) reads as the default.
inline core::AlertKind kind(std::string_view name)
{
    return core::alertKindFromName(name).value_or(core::AlertKind::ErrorRate);
}
inline core::AlertScope scope(std::string_view name)
{
    return core::alertScopeFromName(name).value_or(core::AlertScope::All);
}
inline core::AlertStatus status(std::string_view name)
{
    if (name == "firing")
        return core::AlertStatus::Firing;
    if (name == "pending")
        return core::AlertStatus::Pending;
    return core::AlertStatus::Ok;
}
/// Throws QueryError naming what is wrong with a rule about to be stored.
inline void checkRule(const core::AlertRule &rule)
{
    if (const auto why = core::validateAlertRule(rule); !why.empty())
        throw QueryError(why);
}

} // namespace agentops::store::alertrows
