// SPDX-License-Identifier: MIT
// Alert rules and the alerts they raised (docs/alerts.md): list, create and remove rules, and the
// firing and recent alerts, of the project a request resolves to (the open store in open mode).
#include "alerts/alertjson.h"
#include "server/accounts.h"
#include "server/apiserver.h"
#include "server/routeutil.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace agentops::server {

namespace {

/// Changing rules is for people: in team mode a sign-in session, not an API key (keys are handed
/// to exporters, and a rule sends data to a URL of its own).
void requirePerson(Access &access, const Request &req)
{
    auto *accounts = access.accounts();
    if (!accounts)
        return;
    Caller c;
    const auto failure = accounts->authenticate(bearerToken(req), c);
    if (failure != AuthFailure::None)
        throw AuthError { 401, "unauthorized", Accounts::describe(failure) };
    if (c.kind != Caller::Kind::Session)
        throw AuthError { 403, "forbidden", "managing alert rules needs a sign-in session, not an API key" };
}

std::int64_t ruleIdParam(const std::string &text)
{
    std::int64_t id = 0;
    if (!parseInt64(text, id) || id <= 0)
        throw ParamError { "rule_id: must be a positive integer, got '" + text + "'" };
    return id;
}

} // namespace

void ApiServer::listAlertRules(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "project" });
        auto scope = resolve(req);
        nlohmann::json rules = nlohmann::json::array();
        for (const auto &r : scope.store.alertRules())
            rules.push_back(alerts::ruleJson(r));
        setJson(
            res, nlohmann::json { { "rules", rules } }.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
}

void ApiServer::createAlertRule(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "project" });
        requirePerson(*m_access, req);
        auto scope = resolve(req);
        if (mediaType(req) != "application/json")
            throw ParamError { "Content-Type: must be application/json" };
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        if (body.is_discarded())
            throw ParamError { "body: must be a JSON object" };
        core::AlertRule rule;
        std::string error;
        if (!alerts::ruleFromJson(body, rule, error))
            throw ParamError { error };
        const bool newSecret = !rule.webhook_url.empty() && rule.webhook_secret.empty();
        if (newSecret)
            rule.webhook_secret = alerts::newWebhookSecret();
        rule.created_ns
            = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
        auto answer = alerts::ruleJson(scope.store.addAlertRule(rule));
        // Shown once, like a new API key: the receiver needs it to verify the signature.
        if (newSecret)
            answer["webhook_secret"] = rule.webhook_secret;
        setJson(res, answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        res.status = 201;
    });
}

void ApiServer::deleteAlertRule(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "project" });
        requirePerson(*m_access, req);
        auto scope = resolve(req);
        const std::int64_t id = ruleIdParam(req.path_params[0]);
        if (!scope.store.removeAlertRule(id))
            throw AuthError { 404, "not_found", "no alert rule " + std::to_string(id) };
        res.status = 204;
    });
}

void ApiServer::listAlerts(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params p(req, { "project", "limit" });
        const int limit = p.integer("limit", 100, 1, static_cast<int>(store::TraceStore::kMaxAlertEvents));
        auto scope = resolve(req);
        nlohmann::json firing = nlohmann::json::array();
        for (const auto &r : scope.store.alertRules()) {
            if (r.enabled && r.state.status == core::AlertStatus::Firing)
                firing.push_back(alerts::ruleJson(r));
        }
        nlohmann::json events = nlohmann::json::array();
        for (const auto &e : scope.store.alertEvents(static_cast<std::size_t>(limit)))
            events.push_back(alerts::eventJson(e));
        setJson(res,
            nlohmann::json { { "firing", firing }, { "events", events } }.dump(
                -1, ' ', false, nlohmann::json::error_handler_t::replace));
    });
}

} // namespace agentops::server
