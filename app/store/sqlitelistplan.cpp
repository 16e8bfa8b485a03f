// SPDX-License-Identifier: MIT
// The trace list sorted by other than start time, over many traces.
//
// Indexes on duration or cost slow ingest down once the database is large: their keys are random
// in arrival order, so each new trace dirties a page of each index. Schema 10 indexes the sort keys
// per stretch of kListStretch traces in arrival order (row ids) instead: new traces land in the
// newest stretch, whose few pages stay hot. A sorted page is then the best rows of the best rows of
// each stretch: each stretch is read from its top down, only past the page's worst row so far, so
// after the first stretches most are a seek that finds nothing. A time range reads only the stretches
// whose start times meet it (an index of start times per stretch: two seeks each).
//
// A model in many traces sorted by duration, cost or tokens walks the model's own stretches (schema
// 11): each trace_models row carries its trace's keys, indexed per model per stretch, so a model whose traces are
// nowhere near the top of the whole list's stretches (the cheapest model, by cost) is read from the top of its own. The
// duration and cost indexes carry each other's key too, so a minimum of one sorted by the other is checked in the index
// rather than in each summary the walk passes.
//
// One query that reads every summary the filters keep is still the better plan when an indexed
// filter keeps few traces (a rare model, a service, a session, a short time range), and when the
// other filters keep so few traces that the stretches would be read far down: the walk gives up
// after a budget of work and that query answers instead.
#include "store/sqlitereader.h"
#include "store/sqlitestore.h"
#include "store/sqliteutil.h"
#include "store/tracelistsql.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace agentops::store {

using namespace sqlite;

namespace {

struct Candidate
{
    std::int64_t ikey = 0;
    double dkey = 0;
    std::int64_t rowid = 0;
};

/// The per-stretch index of a sort column, of every trace (traces_list_*, schema 10); null for start
/// time.
const char *indexFor(const std::string &column)
{
    if (column == "duration_ns")
        return "traces_list_duration";
    if (column == "cost_usd")
        return "traces_list_cost";
    if (column == "tok_total")
        return "traces_list_tokens";
    if (column == "span_count")
        return "traces_list_spans";
    if (column == "error_count")
        return "traces_list_errors";
    return nullptr;
}

/// The per-stretch index of a sort column of each model's traces (trace_models_list_*, schema 12):
/// the keys that go with a model; null for the others, which the whole list's stretches serve.
const char *modelIndexFor(const std::string &column)
{
    if (column == "duration_ns")
        return "trace_models_list_duration";
    if (column == "cost_usd")
        return "trace_models_list_cost";
    if (column == "tok_total")
        return "trace_models_list_tokens";
    return nullptr;
}

/// The model filter as buildTraceListSql writes it, and as the plans write it for a model in many
/// traces: each listed trace is probed, rather than every trace of the model collected first.
const std::string kModelIn = " AND id IN (SELECT trace_rowid FROM trace_models WHERE model = ?)";
const std::string kModelExists
    = " AND EXISTS (SELECT 1 FROM trace_models m WHERE m.model = ? AND m.trace_rowid = traces.id)";

/// How many rows `from` (a table or index with its WHERE) has, counting no further than `cap`.
template<typename Bind>
std::int64_t countCapped(sqlite3 *db, const std::string &from, std::int64_t cap, Bind bind)
{
    Stmt s(db, "SELECT count(*) FROM (SELECT 1 FROM " + from + " LIMIT " + std::to_string(cap) + ")");
    bind(s);
    return s.step() ? s.i64(0) : 0;
}

/// What the filters with an index of their own keep, counted no further than it matters.
struct FilterCounts
{
    bool few = false; ///< one of them keeps few traces: one query reads just those
    bool commonModel = false; ///< the model is in many traces
};

FilterCounts countFilters(sqlite3 *db, const TraceQuery &query, std::int64_t fewTraces)
{
    const std::int64_t cap = fewTraces + 1;
    FilterCounts out;
    auto few = [&](std::int64_t n) { return n <= fewTraces; };
    if (!query.model.empty()) {
        const bool rare
            = few(countCapped(db, "trace_models WHERE model = ?", cap, [&](Stmt &s) { s.bindText(1, query.model); }));
        out.few = rare;
        out.commonModel = !rare;
    }
    if (!out.few && !query.service.empty())
        out.few = few(countCapped(db, "traces INDEXED BY traces_by_service WHERE service = ?", cap,
            [&](Stmt &s) { s.bindText(1, query.service); }));
    if (!out.few && !query.session_id.empty())
        out.few = few(countCapped(db, "traces INDEXED BY traces_by_session WHERE session_id = ?", cap,
            [&](Stmt &s) { s.bindText(1, query.session_id); }));
    if (!out.few && (query.from_ns || query.to_ns))
        out.few = few(countCapped(
            db, "traces INDEXED BY traces_by_start WHERE start_ns >= ?1 AND start_ns < ?2", cap, [&](Stmt &s) {
                s.bind(1, query.from_ns.value_or(INT64_MIN));
                s.bind(2, query.to_ns.value_or(INT64_MAX));
            }));
    return out;
}

/// A sort key and row id: a row of the list, or a bound of a range of them.
struct Key
{
    std::int64_t ikey = 0;
    double dkey = 0;
    std::int64_t rowid = 0;
};

/// Reads one stretch's rows of an open range of keys (lo, hi) in list order, at most `want`: as
/// three seeks of the stretch's index, so that neither bound costs a scan of rows with its key.
/// Row values in SQLite 3.40 seek on their first column only, and a bound's ties (most traces have
/// no errors) would otherwise be read one by one.
class StretchReader
{
public:
    /// `select` reads the row id (`id`) and the sort key (`column`) of the rows of stretch `?`.
    StretchReader(sqlite3 *db, const std::string &select, const std::string &column, const std::string &id,
        bool doubleKey, bool descending)
        : m_doubleKey(doubleKey)
        , m_descending(descending)
    {
        const char *dir = descending ? " DESC" : " ASC";
        m_same = Stmt(db,
            select + " AND " + column + " = ? AND " + id + " > ? AND " + id + " < ? ORDER BY " + id + dir + " LIMIT ?");
        m_between = Stmt(db,
            select + " AND " + column + " > ? AND " + column + " < ? ORDER BY " + column + dir + ", " + id + dir
                + " LIMIT ?");
    }

    /// Appends to `out` the rows of `stretch` strictly between lo and hi (nullopt: no bound), in list
    /// order; returns the virtual machine steps it took.
    std::int64_t read(std::int64_t stretch, const std::vector<TraceListSql::Param> &filters,
        const std::optional<Key> &lo, const std::optional<Key> &hi, std::size_t want, std::vector<Key> &out)
    {
        std::int64_t steps = 0;
        const std::size_t first = out.size();
        auto room = [&] { return out.size() - first < want; };
        const bool tied = lo && hi && sameKey(*lo, *hi);
        // In list order: the rows tied with the bound the list starts from, those strictly between
        // the bounds' keys, then those tied with the bound it ends at.
        const std::optional<Key> &from = m_descending ? hi : lo, &to = m_descending ? lo : hi;
        auto above = [&](const Key &k) { return lo && sameKey(*lo, k) ? lo->rowid : INT64_MIN; };
        auto below = [&](const Key &k) { return hi && sameKey(*hi, k) ? hi->rowid : INT64_MAX; };
        if (from && room())
            steps += same(stretch, filters, *from, above(*from), below(*from), want - (out.size() - first), out);
        if (!tied && room())
            steps += between(stretch, filters, lo, hi, want - (out.size() - first), out);
        if (!tied && to && room())
            steps += same(stretch, filters, *to, above(*to), below(*to), want - (out.size() - first), out);
        return steps;
    }

private:
    bool sameKey(const Key &a, const Key &b) const { return m_doubleKey ? a.dkey == b.dkey : a.ikey == b.ikey; }

    void bindKey(Stmt &s, int i, const Key &k) const
    {
        if (m_doubleKey)
            s.bind(i, k.dkey);
        else
            s.bind(i, k.ikey);
    }

    static int bindFilters(Stmt &s, std::int64_t stretch, const std::vector<TraceListSql::Param> &filters)
    {
        s.bind(1, stretch);
        bindTraceListParams(s, filters, 2);
        return 2 + static_cast<int>(filters.size());
    }

    std::int64_t collect(Stmt &s, std::vector<Key> &out)
    {
        while (s.step())
            out.push_back({ s.i64(1), s.dbl(1), s.i64(0) });
        return sqlite3_stmt_status(s.handle(), SQLITE_STMTSTATUS_VM_STEP, 1);
    }

    std::int64_t same(std::int64_t stretch, const std::vector<TraceListSql::Param> &filters, const Key &key,
        std::int64_t above, std::int64_t below, std::size_t want, std::vector<Key> &out)
    {
        ResetGuard g { m_same };
        int i = bindFilters(m_same, stretch, filters);
        bindKey(m_same, i++, key);
        m_same.bind(i++, above);
        m_same.bind(i++, below);
        m_same.bind(i, static_cast<std::int64_t>(want));
        return collect(m_same, out);
    }

    std::int64_t between(std::int64_t stretch, const std::vector<TraceListSql::Param> &filters,
        const std::optional<Key> &lo, const std::optional<Key> &hi, std::size_t want, std::vector<Key> &out)
    {
        ResetGuard g { m_between };
        int i = bindFilters(m_between, stretch, filters);
        if (m_doubleKey) {
            m_between.bind(i++, lo ? lo->dkey : -std::numeric_limits<double>::infinity());
            m_between.bind(i++, hi ? hi->dkey : std::numeric_limits<double>::infinity());
        } else {
            m_between.bind(i++, lo ? lo->ikey : INT64_MIN);
            m_between.bind(i++, hi ? hi->ikey : INT64_MAX);
        }
        m_between.bind(i, static_cast<std::int64_t>(want));
        return collect(m_between, out);
    }

    bool m_doubleKey;
    bool m_descending;
    Stmt m_same, m_between;
};

} // namespace

bool SqliteStore::planTraceList(Reader &reader, const TraceQuery &query, TraceListSql &out)
{
    const FilterCounts counts = countFilters(reader.db, query, m_options.list_few_traces);
    if (counts.commonModel) {
        // A model in many traces: probe each listed trace, rather than collect every trace of the
        // model first (the IN list) for the list's order to walk anyway. (A sorted list walks the
        // model's own stretches instead: stretchTracePage.)
        const std::size_t at = out.clauses.find(kModelIn);
        if (at != std::string::npos) {
            out.clauses.replace(at, kModelIn.size(), kModelExists);
            if (out.cursor_at != std::string::npos && out.cursor_at > at)
                out.cursor_at = out.cursor_at - kModelIn.size() + kModelExists.size();
        }
    }
    return !counts.few && indexFor(out.column) && query.text.empty();
}

void bindTraceListParams(Stmt &s, const std::vector<TraceListSql::Param> &params, int first)
{
    int i = first;
    for (const auto &p : params) {
        switch (p.type) {
        case TraceListSql::Param::Type::Int: s.bind(i, p.i); break;
        case TraceListSql::Param::Type::Double: s.bind(i, p.d); break;
        case TraceListSql::Param::Type::Text: s.bindText(i, p.s); break;
        }
        ++i;
    }
}

std::optional<TracePage> SqliteStore::stretchTracePage(
    Reader &reader, const TraceQuery &query, const TraceListSql &list, std::vector<std::int64_t> &rowids)
{
    const std::size_t orderAt = list.clauses.rfind(" ORDER BY ");
    const bool cursor = list.cursor_at != std::string::npos;
    std::string filters = list.clauses.substr(0, cursor ? list.cursor_at : orderAt);
    // The parameters of the filters: all but the cursor's two and the LIMIT.
    const auto &params = list.params;
    std::vector<TraceListSql::Param> filterParams(params.begin(), params.end() - (cursor ? 3 : 1));
    // A model in many traces (planTraceList walks only then): the stretches of its own rows, which
    // carry their traces' sort keys; the other filters probe each row's summary.
    const std::size_t modelAt
        = query.model.empty() || !modelIndexFor(list.column) ? std::string::npos : filters.find(kModelExists);
    const bool perModel = modelAt != std::string::npos;
    const char *index = perModel ? modelIndexFor(list.column) : indexFor(list.column);
    const std::string stretchOf = " / " + std::to_string(kListStretch) + " = ?";
    std::string select
        = "SELECT id, " + list.column + " FROM traces INDEXED BY " + index + " WHERE id" + stretchOf + filters;
    if (perModel) {
        // Its parameter is the one of the '?' it holds (no filter's SQL holds another '?').
        const auto param = std::count(filters.begin(), filters.begin() + static_cast<std::ptrdiff_t>(modelAt), '?');
        filters.erase(modelAt, kModelExists.size());
        filterParams.erase(filterParams.begin() + param);
        filterParams.insert(filterParams.begin(), { TraceListSql::Param::Type::Text, 0, 0, query.model });
        select = "SELECT m.trace_rowid, m." + list.column + " FROM trace_models m INDEXED BY " + index
            + " WHERE m.trace_rowid" + stretchOf + " AND m.model = ?"
            + (filters.empty() ? ""
                               : " AND EXISTS (SELECT 1 FROM traces WHERE traces.id = m.trace_rowid" + filters + ")");
    }
    const bool descending = query.descending;
    const std::size_t want = static_cast<std::size_t>(params.back().i); // a page and one more
    std::optional<Key> after; // the cursor: the list goes on after it
    if (cursor) {
        const auto &k = params[params.size() - 3];
        after = Key { k.i, k.d, params[params.size() - 2].i };
    }

    // The stretches that can hold a trace of the time range, in list order of row ids: each one's
    // earliest and latest start are a seek each in its index of start times.
    std::vector<std::int64_t> stretches;
    {
        Stmt last(reader.db, "SELECT max(id) FROM traces");
        const std::int64_t count = last.step() && !last.isNull(0) ? last.i64(0) / kListStretch + 1 : 0;
        const bool range = query.from_ns || query.to_ns;
        const std::string where = " FROM traces INDEXED BY traces_list_start WHERE id / " + std::to_string(kListStretch)
            + " = ?1 ORDER BY start_ns";
        Stmt earliest(reader.db, "SELECT start_ns" + where + " LIMIT 1");
        Stmt latest(reader.db, "SELECT start_ns" + where + " DESC LIMIT 1");
        for (std::int64_t i = 0; i < count; ++i) {
            const std::int64_t b = descending ? count - 1 - i : i;
            if (range) {
                ResetGuard ge { earliest }, gl { latest };
                earliest.bind(1, b);
                latest.bind(1, b);
                if (!earliest.step() || !latest.step())
                    continue; // no traces left in it
                if (earliest.i64(0) >= query.to_ns.value_or(INT64_MAX)
                    || latest.i64(0) < query.from_ns.value_or(INT64_MIN))
                    continue;
            }
            stretches.push_back(b);
        }
    }
    StretchReader reader2(reader.db, select, perModel ? "m." + list.column : list.column,
        perModel ? "m.trace_rowid" : "id", list.doubleKey, descending);

    // The best `want` rows so far, in list order.
    std::vector<Key> best, found, merged;
    auto before = [&](const Key &a, const Key &b) {
        if (list.doubleKey ? a.dkey != b.dkey : a.ikey != b.ikey)
            return descending == (list.doubleKey ? a.dkey > b.dkey : a.ikey > b.ikey);
        return descending == (a.rowid > b.rowid);
    };
    std::int64_t steps = 0;
    for (const std::int64_t b : stretches) {
        // Only rows after the cursor and, once the page is full, before its last row can enter it.
        std::optional<Key> until;
        if (best.size() >= want)
            until = best.back();
        const std::optional<Key> &lo = descending ? until : after, &hi = descending ? after : until;
        found.clear();
        steps += reader2.read(b, filterParams, lo, hi, want, found);
        if (steps > m_options.list_walk_budget)
            return std::nullopt; // the filters keep few traces: read them with one query
        if (found.empty())
            continue;
        merged.clear();
        std::merge(best.begin(), best.end(), found.begin(), found.end(), std::back_inserter(merged), before);
        merged.resize(std::min(merged.size(), want));
        best.swap(merged);
    }
    // The page itself: the summaries of the rows found, through the list's own query and pager.
    std::string ids = "[";
    for (const Key &c : best)
        ids += (ids.size() > 1 ? "," : "") + std::to_string(c.rowid);
    // The rows met the filters already: without them the query looks the rows up by row id, rather
    // than through a filter's index.
    TraceListSql page = list;
    page.clauses = " AND id IN (SELECT value FROM json_each(?))" + list.clauses.substr(orderAt);
    page.params.clear();
    page.params.push_back({ TraceListSql::Param::Type::Text, 0, 0, ids + "]" });
    page.params.push_back(params.back());
    page.cursor_at = std::string::npos;
    return readTracePage(reader, page, rowids);
}

} // namespace agentops::store
