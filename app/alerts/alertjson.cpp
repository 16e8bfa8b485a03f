// SPDX-License-Identifier: MIT
#include "alerts/alertjson.h"

#include "core/spanjson.h"

#include <sodium.h>

#include <cmath>
#include <cstdio>
#include <set>

namespace agentops::alerts {

namespace {

std::string nanos(std::int64_t ns)
{
    return std::to_string(ns);
}

nlohmann::json optionalNumber(const std::optional<double> &v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json stateJson(const core::AlertState &s)
{
    nlohmann::json j = { { "status", core::alertStatusName(s.status) }, { "value", optionalNumber(s.value) },
        { "evaluated_time_unix_nano", nanos(s.evaluated_ns) } };
    if (s.status != core::AlertStatus::Ok)
        j["since_time_unix_nano"] = nanos(s.since_ns);
    if (s.status == core::AlertStatus::Firing)
        j["fired_value"] = s.fired_value;
    return j;
}

/// A whole number field within [min, max]; false with the message when it is not.
bool wholeField(const nlohmann::json &v, const char *name, std::int64_t min, std::int64_t max, std::int64_t &out,
    std::string &error)
{
    if (!v.is_number_integer() && !(v.is_number_float() && std::floor(v.get<double>()) == v.get<double>())) {
        error = std::string(name) + ": must be a whole number";
        return false;
    }
    const double d = v.get<double>();
    if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
        error = std::string(name) + ": must be from " + std::to_string(min) + " to " + std::to_string(max);
        return false;
    }
    out = static_cast<std::int64_t>(d);
    return true;
}

bool stringField(const nlohmann::json &v, const char *name, std::string &out, std::string &error)
{
    if (!v.is_string()) {
        error = std::string(name) + ": must be a string";
        return false;
    }
    out = v.get<std::string>();
    return true;
}

} // namespace

nlohmann::json ruleJson(const core::AlertRule &r)
{
    return { { "id", r.id }, { "name", r.name }, { "kind", core::alertKindName(r.kind) }, { "threshold", r.threshold },
        { "unit", core::alertUnit(r.kind) }, { "window_minutes", r.window_s / 60 }, { "for_seconds", r.for_s },
        { "scope", core::alertScopeName(r.scope) }, { "scope_value", r.scope_value }, { "webhook_url", r.webhook_url },
        { "webhook_secret_set", !r.webhook_secret.empty() }, { "enabled", r.enabled },
        { "created_time_unix_nano", nanos(r.created_ns) }, { "state", stateJson(r.state) } };
}

nlohmann::json eventJson(const core::AlertEvent &e)
{
    return { { "id", e.id }, { "rule_id", e.rule_id }, { "rule", e.rule_name },
        { "status", e.firing ? "firing" : "resolved" }, { "kind", core::alertKindName(e.kind) },
        { "scope", core::alertScopeName(e.scope) }, { "scope_value", e.scope_value },
        { "value", optionalNumber(e.value) }, { "threshold", e.threshold }, { "unit", core::alertUnit(e.kind) },
        { "window_minutes", e.window_s / 60 }, { "time_unix_nano", nanos(e.at_ns) },
        { "time", core::formatRfc3339Nanos(e.at_ns) }, { "since_time_unix_nano", nanos(e.since_ns) },
        { "since", core::formatRfc3339Nanos(e.since_ns) } };
}

bool ruleFromJson(const nlohmann::json &body, core::AlertRule &rule, std::string &error)
{
    if (!body.is_object()) {
        error = "body: must be a JSON object";
        return false;
    }
    static const std::set<std::string> known = { "name", "kind", "threshold", "window_minutes", "for_seconds", "scope",
        "scope_value", "webhook_url", "webhook_secret", "enabled" };
    for (const auto &[key, value] : body.items()) {
        if (!known.contains(key)) {
            error = key
                + ": unknown field (fields: name, kind, threshold, window_minutes, for_seconds, scope, "
                  "scope_value, webhook_url, webhook_secret, enabled)";
            return false;
        }
    }
    for (const char *required : { "name", "kind" }) {
        if (!body.contains(required)) {
            error = std::string(required) + ": required";
            return false;
        }
    }
    std::string text;
    if (!stringField(body["name"], "name", rule.name, error) || !stringField(body["kind"], "kind", text, error))
        return false;
    const auto kind = core::alertKindFromName(text);
    if (!kind) {
        error = "kind: unknown kind '" + text + "' (kinds: " + core::alertKindNames() + ")";
        return false;
    }
    rule.kind = *kind;
    if (rule.kind != core::AlertKind::NoTraffic && !body.contains("threshold")) {
        error = "threshold: required";
        return false;
    }
    if (const auto it = body.find("threshold"); it != body.end()) {
        if (!it->is_number()) {
            error = "threshold: must be a number";
            return false;
        }
        rule.threshold = it->get<double>();
    }
    std::int64_t minutes = rule.window_s / 60;
    if (const auto it = body.find("window_minutes");
        it != body.end() && !wholeField(*it, "window_minutes", 1, core::kMaxAlertWindowSeconds / 60, minutes, error))
        return false;
    rule.window_s = minutes * 60;
    if (const auto it = body.find("for_seconds");
        it != body.end() && !wholeField(*it, "for_seconds", 0, core::kMaxAlertForSeconds, rule.for_s, error))
        return false;
    if (const auto it = body.find("scope"); it != body.end()) {
        if (!stringField(*it, "scope", text, error))
            return false;
        const auto scope = core::alertScopeFromName(text);
        if (!scope) {
            error = "scope: unknown scope '" + text + "' (scopes: " + core::alertScopeNames() + ")";
            return false;
        }
        rule.scope = *scope;
    }
    for (const auto &[name, field] : { std::pair { "scope_value", &rule.scope_value },
             std::pair { "webhook_url", &rule.webhook_url }, std::pair { "webhook_secret", &rule.webhook_secret } }) {
        if (const auto it = body.find(name);
            it != body.end() && !it->is_null() && !stringField(*it, name, *field, error))
            return false;
    }
    if (const auto it = body.find("enabled"); it != body.end()) {
        if (!it->is_boolean()) {
            error = "enabled: must be true or false";
            return false;
        }
        rule.enabled = it->get<bool>();
    }
    error = core::validateAlertRule(rule);
    return error.empty();
}

std::string webhookBody(const core::AlertEvent &event, std::string_view project)
{
    nlohmann::json j = eventJson(event);
    j["project"] = std::string(project);
    j["summary"] = std::string(event.firing ? "FIRING: " : "RESOLVED: ") + event.rule_name + " — "
        + core::alertKindName(event.kind) + " "
        + (event.value ? formatAlertValue(event.kind, *event.value) : std::string("no data"))
        + (event.kind == core::AlertKind::NoTraffic ? " (at most " : " (threshold ")
        + formatAlertValue(event.kind, event.threshold) + ")";
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string webhookSignature(std::string_view secret, std::int64_t unixSeconds, std::string_view body)
{
    const std::string message = std::to_string(unixSeconds) + "." + std::string(body);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char *>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char *>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string("sha256=") + hex;
}

std::string newWebhookSecret()
{
    if (sodium_init() < 0)
        throw std::runtime_error("libsodium cannot be initialised");
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char hex[2 * sizeof raw + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return hex;
}

std::string formatAlertValue(core::AlertKind kind, double value)
{
    char buf[64];
    switch (kind) {
    case core::AlertKind::ErrorRate: std::snprintf(buf, sizeof buf, "%.1f%%", value); break;
    case core::AlertKind::CostPerHour: std::snprintf(buf, sizeof buf, "$%.2f/h", value); break;
    case core::AlertKind::CostPerDay: std::snprintf(buf, sizeof buf, "$%.2f/day", value); break;
    case core::AlertKind::P95Latency: std::snprintf(buf, sizeof buf, "%.0f ms", value); break;
    case core::AlertKind::NoTraffic: std::snprintf(buf, sizeof buf, "%.0f spans", value); break;
    }
    return buf;
}

} // namespace agentops::alerts
