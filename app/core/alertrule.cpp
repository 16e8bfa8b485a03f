// SPDX-License-Identifier: MIT
#include "core/alertrule.h"

#include <cmath>
#include <iterator>

namespace agentops::core {

namespace {

struct KindName
{
    AlertKind kind;
    const char *name;
    const char *unit;
};
constexpr KindName kKinds[] = {
    { AlertKind::ErrorRate, "error_rate", "%" },
    { AlertKind::CostPerHour, "cost_per_hour", "USD/h" },
    { AlertKind::CostPerDay, "cost_per_day", "USD/day" },
    { AlertKind::P95Latency, "p95_latency", "ms" },
    { AlertKind::NoTraffic, "no_traffic", "spans" },
};

struct ScopeName
{
    AlertScope scope;
    const char *name;
};
constexpr ScopeName kScopes[] = {
    { AlertScope::All, "all" },
    { AlertScope::Service, "service" },
    { AlertScope::Agent, "agent" },
    { AlertScope::Model, "model" },
};

bool hasControl(std::string_view s)
{
    for (const unsigned char c : s)
        if (c < 0x20 || c == 0x7f)
            return true;
    return false;
}

} // namespace

const char *alertKindName(AlertKind kind)
{
    for (const auto &k : kKinds)
        if (k.kind == kind)
            return k.name;
    return "?";
}

std::optional<AlertKind> alertKindFromName(std::string_view name)
{
    for (const auto &k : kKinds)
        if (name == k.name)
            return k.kind;
    return std::nullopt;
}

const char *alertUnit(AlertKind kind)
{
    for (const auto &k : kKinds)
        if (k.kind == kind)
            return k.unit;
    return "";
}

const char *alertScopeName(AlertScope scope)
{
    for (const auto &s : kScopes)
        if (s.scope == scope)
            return s.name;
    return "?";
}

std::optional<AlertScope> alertScopeFromName(std::string_view name)
{
    for (const auto &s : kScopes)
        if (name == s.name)
            return s.scope;
    return std::nullopt;
}

const char *alertStatusName(AlertStatus status)
{
    switch (status) {
    case AlertStatus::Ok: return "ok";
    case AlertStatus::Pending: return "pending";
    case AlertStatus::Firing: return "firing";
    }
    return "?";
}

std::string alertKindNames()
{
    std::string out;
    for (const auto &k : kKinds)
        out += (out.empty() ? "" : ", ") + std::string(k.name);
    return out;
}

std::string alertScopeNames()
{
    std::string out;
    for (const auto &s : kScopes)
        out += (out.empty() ? "" : ", ") + std::string(s.name);
    return out;
}

std::string validateWebhookUrl(std::string_view url)
{
    if (url.size() > kMaxAlertUrlBytes)
        return "webhook: at most " + std::to_string(kMaxAlertUrlBytes) + " characters";
    std::string_view rest;
    if (url.substr(0, 7) == "http://")
        rest = url.substr(7);
    else if (url.substr(0, 8) == "https://")
        rest = url.substr(8);
    else
        return "webhook: must be an http:// or https:// URL, got '" + std::string(url.substr(0, 100)) + "'";
    if (hasControl(url) || url.find(' ') != std::string_view::npos)
        return "webhook: must not contain spaces or control characters";
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.find('@') != std::string_view::npos)
        return "webhook: must not carry a user name or password (the signature authenticates the server)";
    std::string_view host = authority;
    if (!host.empty() && host.front() == '[') {
        const auto close = host.find(']');
        if (close == std::string_view::npos)
            return "webhook: unclosed [ in the host";
        const std::string_view after = host.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return "webhook: bad host";
        host = host.substr(0, close + 1);
    } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
        const std::string_view port = host.substr(colon + 1);
        host = host.substr(0, colon);
        if (port.empty() || port.size() > 5)
            return "webhook: bad port";
        long n = 0;
        for (const char c : port) {
            if (c < '0' || c > '9')
                return "webhook: bad port";
            n = n * 10 + (c - '0');
        }
        if (n < 1 || n > 65535)
            return "webhook: port must be between 1 and 65535";
    }
    if (host.empty() || host == "[]")
        return "webhook: must name a host";
    return {};
}

std::string validateAlertRule(const AlertRule &rule)
{
    if (rule.name.empty())
        return "name: required";
    if (rule.name.size() > kMaxAlertNameBytes)
        return "name: at most " + std::to_string(kMaxAlertNameBytes) + " characters";
    if (hasControl(rule.name))
        return "name: must not contain control characters";
    if (!std::isfinite(rule.threshold) || rule.threshold < 0)
        return "threshold: must be a number >= 0";
    if (rule.threshold > kMaxAlertThreshold)
        return "threshold: too large";
    if (rule.kind == AlertKind::ErrorRate && rule.threshold > 100)
        return "threshold: an error rate is a percentage, from 0 to 100";
    if (rule.kind == AlertKind::NoTraffic && rule.threshold != std::floor(rule.threshold))
        return "threshold: a span count must be a whole number";
    if (rule.window_s < kMinAlertWindowSeconds || rule.window_s > kMaxAlertWindowSeconds || rule.window_s % 60 != 0)
        return "window: must be a whole number of minutes from 1 to " + std::to_string(kMaxAlertWindowSeconds / 60);
    if (rule.for_s < 0 || rule.for_s > kMaxAlertForSeconds)
        return "for: must be from 0 to " + std::to_string(kMaxAlertForSeconds) + " seconds";
    if (rule.scope == AlertScope::All && !rule.scope_value.empty())
        return "scope: a value is only for service, agent or model scopes";
    if (rule.scope != AlertScope::All && rule.scope_value.empty())
        return std::string("scope: the ") + alertScopeName(rule.scope) + " scope needs a name";
    if (rule.scope_value.size() > kMaxAlertScopeValueBytes)
        return "scope: at most " + std::to_string(kMaxAlertScopeValueBytes) + " characters";
    if (!rule.webhook_url.empty()) {
        if (auto why = validateWebhookUrl(rule.webhook_url); !why.empty())
            return why;
    }
    if (!rule.webhook_secret.empty() && rule.webhook_url.empty())
        return "secret: only with a webhook";
    if (!rule.webhook_secret.empty()
        && (rule.webhook_secret.size() < kMinAlertSecretBytes || rule.webhook_secret.size() > kMaxAlertSecretBytes))
        return "secret: must be " + std::to_string(kMinAlertSecretBytes) + " to " + std::to_string(kMaxAlertSecretBytes)
            + " characters";
    if (hasControl(rule.webhook_secret))
        return "secret: must not contain control characters";
    return {};
}

} // namespace agentops::core
