// SPDX-License-Identifier: MIT
// Alert rules and the alerts they raised (schema 9): the twin of sqlitealerts.cpp.
#include "store/alertrows.h"
#include "store/postgresutil.h"

namespace agentops::store {

using namespace pg;

namespace {

constexpr const char *kRuleColumns
    = "id, name, kind, threshold, window_s, for_s, scope, scope_value, webhook_url, webhook_secret, enabled, "
      "created_ns, status, since_ns, fired_value, clear_since_ns, value, evaluated_ns";

core::AlertRule readRule(const pqxx::row &row)
{
    core::AlertRule r;
    r.id = i64(row[0]);
    r.name = text(row[1]);
    r.kind = alertrows::kind(textView(row[2]));
    r.threshold = dbl(row[3]);
    r.window_s = i64(row[4]);
    r.for_s = i64(row[5]);
    r.scope = alertrows::scope(textView(row[6]));
    r.scope_value = text(row[7]);
    r.webhook_url = text(row[8]);
    r.webhook_secret = text(row[9]);
    r.enabled = textView(row[10]) == "t";
    r.created_ns = i64(row[11]);
    r.state.status = alertrows::status(textView(row[12]));
    r.state.since_ns = i64(row[13]);
    r.state.fired_value = dbl(row[14]);
    r.state.clear_since_ns = i64(row[15]);
    if (!row[16].is_null())
        r.state.value = dbl(row[16]);
    r.state.evaluated_ns = i64(row[17]);
    return r;
}

/// The id ($1) and the definition columns as parameters $2 (name) .. $11 (enabled).
std::vector<std::string> definitionParams(const core::AlertRule &r)
{
    return { std::to_string(r.id), r.name, core::alertKindName(r.kind), number(r.threshold), std::to_string(r.window_s),
        std::to_string(r.for_s), core::alertScopeName(r.scope), r.scope_value, r.webhook_url, r.webhook_secret,
        r.enabled ? "true" : "false" };
}

void checkName(pqxx::work &tx, const core::AlertRule &rule)
{
    if (!run(tx, "SELECT 1 FROM alert_rules WHERE name = $1 AND id <> $2", { rule.name, std::to_string(rule.id) })
             .empty())
        throw QueryError("name: a rule named '" + rule.name + "' exists already");
}

std::string optionalNumber(const std::optional<double> &v)
{
    return v ? number(*v) : std::string();
}

} // namespace

std::vector<core::AlertRule> PostgresStore::alertRules()
{
    return withReader([](Connection &c) {
        pqxx::nontransaction tx(c.db);
        std::vector<core::AlertRule> rules;
        for (const auto &row : tx.exec(std::string("SELECT ") + kRuleColumns + " FROM alert_rules ORDER BY id"))
            rules.push_back(readRule(row));
        return rules;
    });
}

core::AlertRule PostgresStore::addAlertRule(const core::AlertRule &rule)
{
    alertrows::checkRule(rule);
    return withWriter([&](Connection &c) {
        pqxx::work tx(c.db);
        core::AlertRule stored = rule;
        stored.id = 0;
        stored.state = {};
        checkName(tx, stored);
        auto params = definitionParams(stored);
        params.front() = std::to_string(stored.created_ns);
        const auto r = run(tx,
            "INSERT INTO alert_rules(created_ns, name, kind, threshold, window_s, for_s, scope, scope_value, "
            "webhook_url, webhook_secret, enabled) VALUES($1::bigint, $2, $3, $4::double precision, $5::bigint, "
            "$6::bigint, $7, $8, $9, $10, $11::boolean) RETURNING id",
            params);
        stored.id = i64(r[0][0]);
        tx.commit();
        return stored;
    });
}

bool PostgresStore::updateAlertRule(const core::AlertRule &rule)
{
    alertrows::checkRule(rule);
    return withWriter([&](Connection &c) {
        pqxx::work tx(c.db);
        if (run(tx, "SELECT 1 FROM alert_rules WHERE id = $1", { std::to_string(rule.id) }).empty())
            return false;
        checkName(tx, rule);
        const auto r = run(tx,
            "UPDATE alert_rules SET name = $2, kind = $3, threshold = $4::double precision, window_s = $5::bigint, "
            "for_s = $6::bigint, scope = $7, scope_value = $8, webhook_secret = CASE WHEN $10 = '' AND "
            "webhook_url = $9 THEN webhook_secret ELSE $10 END, webhook_url = $9, enabled = $11::boolean, "
            "status = 'ok', since_ns = 0, fired_value = 0, clear_since_ns = 0, value = NULL, evaluated_ns = 0 "
            "WHERE id = $1::bigint RETURNING id",
            definitionParams(rule));
        tx.commit();
        return !r.empty();
    });
}

bool PostgresStore::removeAlertRule(std::int64_t id)
{
    return withWriter([&](Connection &c) {
        pqxx::work tx(c.db);
        const auto r = run(tx, "DELETE FROM alert_rules WHERE id = $1 RETURNING id", { std::to_string(id) });
        tx.commit();
        return !r.empty();
    });
}

void PostgresStore::recordAlertEvaluation(
    const std::vector<std::pair<std::int64_t, core::AlertState>> &states, std::vector<core::AlertEvent> &events)
{
    withWriter([&](Connection &c) {
        pqxx::work tx(c.db);
        for (const auto &[id, st] : states)
            run(tx,
                "UPDATE alert_rules SET status = $2, since_ns = $3, fired_value = $4, clear_since_ns = $5, "
                "value = nullif($6, '')::double precision, evaluated_ns = $7 WHERE id = $1",
                { std::to_string(id), core::alertStatusName(st.status), std::to_string(st.since_ns),
                    number(st.fired_value), std::to_string(st.clear_since_ns), optionalNumber(st.value),
                    std::to_string(st.evaluated_ns) });
        for (auto &e : events) {
            const auto r = run(tx,
                "INSERT INTO alert_events(rule_id, rule_name, kind, scope, scope_value, firing, at_ns, value, "
                "threshold, window_s, since_ns) VALUES($1, $2, $3, $4, $5, $6, $7, nullif($8, '')::double precision, "
                "$9, $10, $11) RETURNING id",
                { std::to_string(e.rule_id), e.rule_name, core::alertKindName(e.kind), core::alertScopeName(e.scope),
                    e.scope_value, e.firing ? "true" : "false", std::to_string(e.at_ns), optionalNumber(e.value),
                    number(e.threshold), std::to_string(e.window_s), std::to_string(e.since_ns) });
            e.id = i64(r[0][0]);
        }
        if (!events.empty())
            run(tx,
                "DELETE FROM alert_events WHERE id <= (SELECT id FROM alert_events ORDER BY id DESC LIMIT 1 "
                "OFFSET $1)",
                { std::to_string(kMaxAlertEvents) });
        tx.commit();
        return 0;
    });
}

std::vector<core::AlertEvent> PostgresStore::alertEvents(std::size_t limit)
{
    return withReader([&](Connection &c) {
        pqxx::nontransaction tx(c.db);
        std::vector<core::AlertEvent> events;
        const auto rows = run(tx,
            "SELECT id, rule_id, rule_name, kind, scope, scope_value, firing, at_ns, value, threshold, window_s, "
            "since_ns FROM alert_events ORDER BY id DESC LIMIT $1",
            { std::to_string(std::min<std::size_t>(limit, kMaxAlertEvents)) });
        for (const auto &row : rows) {
            core::AlertEvent e;
            e.id = i64(row[0]);
            e.rule_id = i64(row[1]);
            e.rule_name = text(row[2]);
            e.kind = alertrows::kind(textView(row[3]));
            e.scope = alertrows::scope(textView(row[4]));
            e.scope_value = text(row[5]);
            e.firing = textView(row[6]) == "t";
            e.at_ns = i64(row[7]);
            if (!row[8].is_null())
                e.value = dbl(row[8]);
            e.threshold = dbl(row[9]);
            e.window_s = i64(row[10]);
            e.since_ns = i64(row[11]);
            events.push_back(std::move(e));
        }
        return events;
    });
}

} // namespace agentops::store
