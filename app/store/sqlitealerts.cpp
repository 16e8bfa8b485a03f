// SPDX-License-Identifier: MIT
// Alert rules and the alerts they raised (schema 9), in the store of the traces they watch.
#include "store/alertrows.h"
#include "store/sqlitereader.h"
#include "store/sqlitestore.h"
#include "store/sqliteutil.h"

#include <sqlite3.h>

namespace agentops::store {

using namespace sqlite;

namespace {

constexpr const char *kRuleColumns
    = "id, name, kind, threshold, window_s, for_s, scope, scope_value, webhook_url, webhook_secret, enabled, "
      "created_ns, status, since_ns, fired_value, clear_since_ns, value, evaluated_ns";

core::AlertRule readRule(const Stmt &s)
{
    core::AlertRule r;
    r.id = s.i64(0);
    r.name = s.text(1);
    r.kind = alertrows::kind(s.textView(2));
    r.threshold = s.dbl(3);
    r.window_s = s.i64(4);
    r.for_s = s.i64(5);
    r.scope = alertrows::scope(s.textView(6));
    r.scope_value = s.text(7);
    r.webhook_url = s.text(8);
    r.webhook_secret = s.text(9);
    r.enabled = s.i64(10) != 0;
    r.created_ns = s.i64(11);
    r.state.status = alertrows::status(s.textView(12));
    r.state.since_ns = s.i64(13);
    r.state.fired_value = s.dbl(14);
    r.state.clear_since_ns = s.i64(15);
    if (!s.isNull(16))
        r.state.value = s.dbl(16);
    r.state.evaluated_ns = s.i64(17);
    return r;
}

/// Binds the definition columns in kRuleColumns order from ?2 (name) to ?12 (created_ns).
void bindDefinition(Stmt &s, const core::AlertRule &r)
{
    s.bindText(2, r.name);
    s.bindText(3, core::alertKindName(r.kind));
    s.bind(4, r.threshold);
    s.bind(5, r.window_s);
    s.bind(6, r.for_s);
    s.bindText(7, core::alertScopeName(r.scope));
    s.bindText(8, r.scope_value);
    s.bindText(9, r.webhook_url);
    s.bindText(10, r.webhook_secret);
    s.bind(11, std::int64_t(r.enabled ? 1 : 0));
    s.bind(12, r.created_ns);
}

/// Runs f in a write transaction on the writer connection, rolled back when it throws.
template<typename F>
auto writeTransaction(sqlite3 *db, F &&f)
{
    exec(db, "BEGIN IMMEDIATE");
    try {
        auto result = f();
        exec(db, "COMMIT");
        return result;
    } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

bool nameTaken(sqlite3 *db, const std::string &name, std::int64_t exceptId)
{
    Stmt s(db, "SELECT 1 FROM alert_rules WHERE name = ?1 AND id <> ?2");
    s.bindText(1, name);
    s.bind(2, exceptId);
    return s.step();
}

} // namespace

std::vector<core::AlertRule> SqliteStore::alertRules()
{
    auto reader = acquireReader();
    std::vector<core::AlertRule> rules;
    {
        Stmt s(reader->db, std::string("SELECT ") + kRuleColumns + " FROM alert_rules ORDER BY id");
        while (s.step())
            rules.push_back(readRule(s));
    }
    releaseReader(std::move(reader));
    return rules;
}

core::AlertRule SqliteStore::addAlertRule(const core::AlertRule &rule)
{
    alertrows::checkRule(rule);
    std::lock_guard lock(m_writeMutex);
    return writeTransaction(m_writer, [&] {
        if (nameTaken(m_writer, rule.name, 0))
            throw QueryError("name: a rule named '" + rule.name + "' exists already");
        Stmt s(m_writer,
            "INSERT INTO alert_rules(id, name, kind, threshold, window_s, for_s, scope, scope_value, webhook_url, "
            "webhook_secret, enabled, created_ns) VALUES(NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
        bindDefinition(s, rule);
        s.step();
        core::AlertRule stored = rule;
        stored.id = sqlite3_last_insert_rowid(m_writer);
        stored.state = {};
        return stored;
    });
}

bool SqliteStore::updateAlertRule(const core::AlertRule &rule)
{
    alertrows::checkRule(rule);
    std::lock_guard lock(m_writeMutex);
    return writeTransaction(m_writer, [&] {
        {
            Stmt exists(m_writer, "SELECT 1 FROM alert_rules WHERE id = ?1");
            exists.bind(1, rule.id);
            if (!exists.step())
                return false;
        }
        if (nameTaken(m_writer, rule.name, rule.id))
            throw QueryError("name: a rule named '" + rule.name + "' exists already");
        Stmt s(m_writer,
            "UPDATE alert_rules SET name = ?2, kind = ?3, threshold = ?4, window_s = ?5, for_s = ?6, scope = ?7, "
            "scope_value = ?8, webhook_secret = CASE WHEN ?10 = '' AND webhook_url = ?9 THEN webhook_secret "
            "ELSE ?10 END, webhook_url = ?9, enabled = ?11, status = 'ok', "
            "since_ns = 0, fired_value = 0, clear_since_ns = 0, value = NULL, evaluated_ns = 0 WHERE id = ?1");
        s.bind(1, rule.id);
        bindDefinition(s, rule);
        s.step();
        return sqlite3_changes(m_writer) > 0;
    });
}

bool SqliteStore::removeAlertRule(std::int64_t id)
{
    std::lock_guard lock(m_writeMutex);
    return writeTransaction(m_writer, [&] {
        Stmt s(m_writer, "DELETE FROM alert_rules WHERE id = ?1");
        s.bind(1, id);
        s.step();
        return sqlite3_changes(m_writer) > 0;
    });
}

void SqliteStore::recordAlertEvaluation(
    const std::vector<std::pair<std::int64_t, core::AlertState>> &states, std::vector<core::AlertEvent> &events)
{
    std::lock_guard lock(m_writeMutex);
    writeTransaction(m_writer, [&] {
        Stmt update(m_writer,
            "UPDATE alert_rules SET status = ?2, since_ns = ?3, fired_value = ?4, clear_since_ns = ?5, value = ?6, "
            "evaluated_ns = ?7 WHERE id = ?1");
        for (const auto &[id, st] : states) {
            ResetGuard guard { update };
            update.bind(1, id);
            update.bindText(2, core::alertStatusName(st.status));
            update.bind(3, st.since_ns);
            update.bind(4, st.fired_value);
            update.bind(5, st.clear_since_ns);
            update.bindOpt(6, st.value);
            update.bind(7, st.evaluated_ns);
            update.step();
        }
        Stmt insert(m_writer,
            "INSERT INTO alert_events(rule_id, rule_name, kind, scope, scope_value, firing, at_ns, value, threshold, "
            "window_s, since_ns) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        for (auto &e : events) {
            ResetGuard guard { insert };
            insert.bind(1, e.rule_id);
            insert.bindText(2, e.rule_name);
            insert.bindText(3, core::alertKindName(e.kind));
            insert.bindText(4, core::alertScopeName(e.scope));
            insert.bindText(5, e.scope_value);
            insert.bind(6, std::int64_t(e.firing ? 1 : 0));
            insert.bind(7, e.at_ns);
            insert.bindOpt(8, e.value);
            insert.bind(9, e.threshold);
            insert.bind(10, e.window_s);
            insert.bind(11, e.since_ns);
            insert.step();
            e.id = sqlite3_last_insert_rowid(m_writer);
        }
        if (!events.empty()) {
            Stmt trim(m_writer,
                "DELETE FROM alert_events WHERE id <= (SELECT id FROM alert_events ORDER BY id DESC LIMIT 1 "
                "OFFSET ?1)");
            trim.bind(1, static_cast<std::int64_t>(kMaxAlertEvents));
            trim.step();
        }
        return 0;
    });
}

std::vector<core::AlertEvent> SqliteStore::alertEvents(std::size_t limit)
{
    auto reader = acquireReader();
    std::vector<core::AlertEvent> events;
    {
        Stmt s(reader->db,
            "SELECT id, rule_id, rule_name, kind, scope, scope_value, firing, at_ns, value, threshold, window_s, "
            "since_ns FROM alert_events ORDER BY id DESC LIMIT ?1");
        s.bind(1, static_cast<std::int64_t>(std::min<std::size_t>(limit, kMaxAlertEvents)));
        while (s.step()) {
            core::AlertEvent e;
            e.id = s.i64(0);
            e.rule_id = s.i64(1);
            e.rule_name = s.text(2);
            e.kind = alertrows::kind(s.textView(3));
            e.scope = alertrows::scope(s.textView(4));
            e.scope_value = s.text(5);
            e.firing = s.i64(6) != 0;
            e.at_ns = s.i64(7);
            if (!s.isNull(8))
                e.value = s.dbl(8);
            e.threshold = s.dbl(9);
            e.window_s = s.i64(10);
            e.since_ns = s.i64(11);
            events.push_back(std::move(e));
        }
    }
    releaseReader(std::move(reader));
    return events;
}

} // namespace agentops::store
