// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agentops::core {

/// What an alert rule watches. Every kind is read from the metrics rollups over the rule's window.
enum class AlertKind {
    ErrorRate, ///< error spans / spans in percent; fires above the threshold
    CostPerHour, ///< USD spent in the window, as a rate per hour; fires above the threshold
    CostPerDay, ///< the same as a rate per day
    P95Latency, ///< 95th percentile of trace durations in ms; fires above the threshold
    /// Fires when at most threshold spans (0: none at all) arrived in the window: an agent or
    /// service gone quiet.
    NoTraffic,
};

/// Which part of the traffic a rule looks at.
enum class AlertScope { All, Service, Agent, Model };

enum class AlertStatus {
    Ok,
    Pending, ///< the condition holds, for less than the rule's "for" duration so far
    Firing,
};

/// Where a rule stands after its last evaluation.
struct AlertState
{
    AlertStatus status = AlertStatus::Ok;
    /// Firing: when it began to fire; Pending: when the condition was first seen.
    std::int64_t since_ns = 0;
    /// Firing: the value that made it fire.
    double fired_value = 0;
    /// Firing, condition no longer met: since when (it resolves after the "for" duration).
    std::int64_t clear_since_ns = 0;
    /// The last value measured; none when the window held nothing to measure (no spans, no traces).
    std::optional<double> value;
    std::int64_t evaluated_ns = 0; ///< 0: never evaluated
};

/// A rule: a condition on the rollups of one scope, over a sliding window of whole minutes.
struct AlertRule
{
    std::int64_t id = 0; ///< assigned by the store
    std::string name; ///< unique within a store
    AlertKind kind = AlertKind::ErrorRate;
    /// ErrorRate: percent (0-100); CostPerHour/CostPerDay: USD; P95Latency: milliseconds; NoTraffic: spans (a whole
    /// number, usually 0).
    double threshold = 0;
    std::int64_t window_s = 300; ///< whole minutes, kMinWindowSeconds..kMaxWindowSeconds
    /// The condition must hold this long before the rule fires, and be gone this long before it
    /// resolves, so a value that flaps around the threshold does not notify every evaluation.
    std::int64_t for_s = 0;
    AlertScope scope = AlertScope::All;
    std::string scope_value; ///< the service, agent or model name; empty for All
    std::string webhook_url; ///< http(s) URL the server POSTs firing and resolved alerts to; may be empty
    std::string webhook_secret; ///< HMAC-SHA256 key of the webhook signature; never shown back
    bool enabled = true;
    std::int64_t created_ns = 0;
    AlertState state;
};

/// A rule that began or stopped firing.
struct AlertEvent
{
    std::int64_t id = 0; ///< assigned by the store
    std::int64_t rule_id = 0;
    std::string rule_name;
    AlertKind kind = AlertKind::ErrorRate;
    AlertScope scope = AlertScope::All;
    std::string scope_value;
    bool firing = true; ///< false: resolved
    std::int64_t at_ns = 0;
    std::optional<double> value;
    double threshold = 0;
    std::int64_t window_s = 0;
    std::int64_t since_ns = 0; ///< resolved: when it had begun to fire
};

inline constexpr std::int64_t kMinAlertWindowSeconds = 60;
inline constexpr std::int64_t kMaxAlertWindowSeconds = std::int64_t { 24 } * 3600;
inline constexpr std::int64_t kMaxAlertForSeconds = std::int64_t { 24 } * 3600;
inline constexpr std::size_t kMaxAlertNameBytes = 200;
inline constexpr std::size_t kMaxAlertScopeValueBytes = 500;
inline constexpr std::size_t kMaxAlertUrlBytes = 2000;
inline constexpr std::size_t kMinAlertSecretBytes = 16;
inline constexpr std::size_t kMaxAlertSecretBytes = 200;
inline constexpr double kMaxAlertThreshold = 1e12;

/// error_rate, cost_per_hour, cost_per_day, p95_latency, no_traffic.
const char *alertKindName(AlertKind kind);
std::optional<AlertKind> alertKindFromName(std::string_view name);
/// all, service, agent, model.
const char *alertScopeName(AlertScope scope);
std::optional<AlertScope> alertScopeFromName(std::string_view name);
/// ok, pending, firing.
const char *alertStatusName(AlertStatus status);
/// The unit of a kind's threshold and value: "%", "USD/h", "USD/day", "ms", "spans".
const char *alertUnit(AlertKind kind);
/// The names of the kinds and scopes, for messages: "error_rate, cost_per_hour, ...".
std::string alertKindNames();
std::string alertScopeNames();

/// Why a rule cannot be stored ("" when it can): names the field and what it must be.
std::string validateAlertRule(const AlertRule &rule);
/// Is the URL one a webhook can be sent to: http:// or https://, a host, no spaces or control
/// characters, no user:password@? "" when it is, else why not.
std::string validateWebhookUrl(std::string_view url);

} // namespace agentops::core
