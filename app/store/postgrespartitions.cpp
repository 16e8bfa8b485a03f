// SPDX-License-Identifier: MIT
// PostgresStore's spans partitions, one per day a trace was first stored (schema 9): which exist,
// making the next ones, and the day of each trace a batch writes to.
#include "store/postgresutil.h"

#include <chrono>
#include <cstdio>

namespace agentops::store::pg {

int dayOf(std::int64_t ns)
{
    const std::int64_t q = ns / kDayNs - (ns % kDayNs < 0 ? 1 : 0);
    return static_cast<int>(q);
}

std::string partitionName(int day)
{
    const std::chrono::year_month_day date { std::chrono::sys_days { std::chrono::days { day } } };
    char name[32];
    std::snprintf(name, sizeof name, "spans_%04d%02u%02u", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return name;
}

bool ensurePartition(pqxx::dbtransaction &tx, const std::string &schema, int day)
{
    const std::string name = partitionName(day);
    if (!tx.exec("SELECT to_regclass(" + tx.quote(quoteIdent(schema) + "." + name) + ")")[0][0].is_null())
        return true;
    try {
        pqxx::subtransaction sub(tx, "partition");
        const std::string table = quoteIdent(schema) + "." + name;
        sub.exec("CREATE TABLE " + table + " PARTITION OF " + quoteIdent(schema) + ".spans FOR VALUES FROM ("
            + std::to_string(day) + ") TO (" + std::to_string(day + 1) + ")");
        // A partition read on its own answers with its own policies, which are those of every table
        // of the schema (migration 5).
        sub.exec("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY");
        sub.exec("ALTER TABLE " + table + " FORCE ROW LEVEL SECURITY");
        sub.exec("CREATE POLICY project_rows ON " + table + " USING ((SELECT current_setting('agentops.project', "
            + "true) = " + sub.quote(schema) + "))");
        sub.commit();
        return true;
    } catch (const pqxx::sql_error &e) {
        // 42P17: the day is in a partition already, the one of the days before the schema was
        // partitioned (a clock behind that of the server that migrated it).
        if (e.sqlstate() == "42P17")
            return false;
        throw;
    }
}

std::vector<SpanPartition> spanPartitions(pqxx::transaction_base &tx)
{
    // The bound as PostgreSQL spells it: "FOR VALUES FROM (20429) TO (20430)", "FROM (MINVALUE) TO (...)".
    const auto rows = tx.exec("SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
                              "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'spans'::regclass");
    std::vector<SpanPartition> out;
    for (const auto &r : rows) {
        const std::string bound = text(r[1]);
        const auto from = bound.find("FROM (");
        const auto to = bound.find(") TO (");
        if (from == std::string::npos || to == std::string::npos)
            continue;
        SpanPartition p;
        p.name = text(r[0]);
        const std::string lower = bound.substr(from + 6, to - from - 6);
        p.from = lower == "MINVALUE" ? INT32_MIN : std::stoi(lower);
        const std::string upper = bound.substr(to + 6, bound.find(')', to + 6) - to - 6);
        p.to = upper == "MAXVALUE" ? INT32_MAX : std::stoi(upper);
        out.push_back(std::move(p));
    }
    std::sort(out.begin(), out.end(), [](const SpanPartition &a, const SpanPartition &b) { return a.to < b.to; });
    return out;
}

std::map<core::TraceId, int> traceDays(
    pqxx::transaction_base &tx, std::span<const std::span<const EncodedSpan>> chunks, int today)
{
    std::map<core::TraceId, int> days;
    ArrayBuilder ids;
    for (const auto &chunk : chunks)
        for (const EncodedSpan &e : chunk)
            if (days.emplace(e.span->trace_id, today).second)
                ids.text(bytea(e.span->trace_id));
    for (const auto &row :
        run(tx, "SELECT trace_id, day FROM traces WHERE trace_id = ANY($1::bytea[])", { ids.finish() })) {
        core::TraceId id {};
        unbytea(row[0], id);
        days[id] = static_cast<int>(i64(row[1]));
    }
    return days;
}

} // namespace agentops::store::pg
