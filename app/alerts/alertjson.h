// SPDX-License-Identifier: MIT
#pragma once
// Alert rules, states and events as JSON: the API's answers and requests, the CLI's rule options
// and the webhook's body (docs/alerts.md).

#include "core/alertrule.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace agentops::alerts {

/// A rule with its state; the webhook secret is never shown, only whether one is set.
nlohmann::json ruleJson(const core::AlertRule &rule);
/// An event ("firing" or "resolved").
nlohmann::json eventJson(const core::AlertEvent &event);

/// A rule from a request body: name, kind, threshold, window_minutes, for_seconds, scope,
/// scope_value, webhook_url, webhook_secret, enabled. Unknown fields, wrong types and values that
/// validateAlertRule refuses are refused: returns false with a message naming the field.
bool ruleFromJson(const nlohmann::json &body, core::AlertRule &rule, std::string &error);

/// The body POSTed to a rule's webhook.
std::string webhookBody(const core::AlertEvent &event, std::string_view project);

/// Headers of a signed webhook request (docs/alerts.md "Verifying a webhook").
inline constexpr const char *kSignatureHeader = "X-AgentOps-Signature";
inline constexpr const char *kTimestampHeader = "X-AgentOps-Timestamp";
/// "sha256=" and the hex HMAC-SHA256, keyed with the secret, of "<timestamp>.<body>".
std::string webhookSignature(std::string_view secret, std::int64_t unixSeconds, std::string_view body);
/// A new random secret: 32 bytes as 64 hex digits.
std::string newWebhookSecret();

/// "12.5%", "$3.20/h", "850 ms", "0 spans": a value with its kind's unit, for messages.
std::string formatAlertValue(core::AlertKind kind, double value);

} // namespace agentops::alerts
