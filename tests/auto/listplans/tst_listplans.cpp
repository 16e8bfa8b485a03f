// SPDX-License-Identifier: MIT
// The trace list's plans for sorts other than by start time (sqlitelistplan.cpp) list the same pages
// as one query over every summary, for every sort, direction, filter and page size, across stretches
// of the list's indexes; and the stretches' time ranges follow late spans and survive a migration.
#include "store/sqlitestore.h"
#include "store/tracelistsql.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace agentops;
using store::TraceSort;

namespace {

constexpr std::int64_t kStart = 1'790'000'000'000'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;
const char *const kModels[] = { "gpt-4o-mini", "gpt-4o-mini", "gpt-4o-mini", "claude-3-5-sonnet", "gemini-2.0-flash" };
const char *const kServices[] = { "support", "support", "billing", "search" };

/// Traces over several stretches (kListStretch each): three spans, some sharing durations, costs and
/// token counts so ties are paged by row id; one trace in 200 uses a rare model, one in 15 fails.
std::vector<core::Span> makeTraces(int traces, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<core::Span> out;
    for (int t = 0; t < traces; ++t) {
        core::TraceId id {};
        for (auto &b : id)
            b = static_cast<std::uint8_t>(rng());
        const std::int64_t start = kStart + std::int64_t(t) * 60 * kSecond;
        const char *model = t % 200 == 7 ? "o1-preview" : kModels[rng() % std::size(kModels)];
        const char *service = kServices[rng() % std::size(kServices)];
        const std::int64_t llm = std::int64_t(rng() % 40) * kSecond / 4; // few distinct values: ties
        const int spans = 2 + static_cast<int>(rng() % 3);
        core::SpanId root {};
        for (int i = 0; i < spans; ++i) {
            core::Span &s = out.emplace_back();
            s.trace_id = id;
            for (auto &b : s.span_id)
                b = static_cast<std::uint8_t>(rng());
            s.service_name = service;
            s.start_ns = start + i * kSecond / 10;
            if (i == 0) {
                root = s.span_id;
                s.kind = core::SpanKind::Agent;
                s.name = std::string("invoke_agent ") + service;
                s.end_ns = start + llm + 3 * kSecond;
            } else {
                s.parent_span_id = root;
                if (i == 1) {
                    s.kind = core::SpanKind::Llm;
                    s.name = std::string("chat ") + model;
                    s.request_model = model;
                    const std::int64_t in = std::int64_t(rng() % 50) * 100;
                    s.tokens.input = in;
                    s.tokens.output = 100;
                    if (rng() % 10 != 0) // some calls have no price: no cost, not $0
                        s.cost_usd = double(in) * 1e-6;
                    s.end_ns = s.start_ns + llm;
                } else {
                    s.kind = core::SpanKind::Tool;
                    s.name = "execute_tool lookup";
                    s.tool_name = "lookup";
                    s.end_ns = s.start_ns + kSecond;
                    if (rng() % 15 == 0) {
                        s.status = core::StatusCode::Error;
                        s.status_message = "lookup failed";
                    }
                }
            }
        }
    }
    return out;
}

struct Filter
{
    const char *what;
    std::function<void(store::TraceQuery &)> set;
};

std::vector<Filter> filters()
{
    const std::int64_t day = 86'400 * kSecond;
    return {
        { "none", [](auto &) {} },
        { "common model", [](auto &q) { q.model = "gpt-4o-mini"; } },
        { "rare model", [](auto &q) { q.model = "o1-preview"; } },
        { "service", [](auto &q) { q.service = "billing"; } },
        { "errors only", [](auto &q) { q.errors_only = true; } },
        { "min duration", [](auto &q) { q.min_duration_ns = 8 * kSecond; } },
        { "min cost", [](auto &q) { q.min_cost_usd = 0.004; } },
        { "wide time range", [day](auto &q) { q.from_ns = kStart + 2 * day; } },
        { "narrow time range",
            [](auto &q) {
                q.from_ns = kStart + std::int64_t { 9000 } * 60 * kSecond;
                q.to_ns = kStart + std::int64_t { 9300 } * 60 * kSecond;
            } },
        { "time range across stretches",
            [](auto &q) {
                q.from_ns = kStart + std::int64_t { 3000 } * 60 * kSecond;
                q.to_ns = kStart + std::int64_t { 9000 } * 60 * kSecond;
            } },
        { "name", [](auto &q) { q.name_contains = "search"; } },
        { "model, errors and range",
            [day](auto &q) {
                q.model = "gemini-2.0-flash";
                q.errors_only = true;
                q.from_ns = kStart + day;
            } },
        { "common model, min cost",
            [](auto &q) {
                q.model = "gpt-4o-mini";
                q.min_cost_usd = 0.003;
            } },
    };
}

/// Every trace id of a listing, page after page (at most `pages` of them).
std::vector<std::string> listAll(store::TraceStore &db, store::TraceQuery q, int pages)
{
    std::vector<std::string> ids;
    for (int p = 0; p < pages; ++p) {
        const store::TracePage page = db.listTraces(q);
        for (const auto &t : page.traces)
            ids.push_back(core::toHex(t.trace_id));
        if (page.next_cursor.empty())
            break;
        q.cursor = page.next_cursor;
    }
    return ids;
}

std::int64_t scalar(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    const std::int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/// Traces whose spans come in three batches, so that each summary changes after its model's row was
/// written: the agent spans first (no model yet), then the model calls (one trace in 10 calls two
/// models, one in 50 a model whose name JSON must escape), then the tool calls (longer, some failing).
std::vector<std::vector<core::Span>> tracesInThreeBatches(int traces, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<std::vector<core::Span>> batches(3);
    for (int t = 0; t < traces; ++t) {
        core::TraceId id {};
        for (auto &b : id)
            b = static_cast<std::uint8_t>(rng());
        const std::int64_t start = kStart + std::int64_t(t) * 60 * kSecond;
        auto span
            = [&](int batch, core::SpanKind kind, std::string name, std::int64_t s0, std::int64_t s1) -> core::Span & {
            core::Span &s = batches[static_cast<std::size_t>(batch)].emplace_back();
            s.trace_id = id;
            for (auto &b : s.span_id)
                b = static_cast<std::uint8_t>(rng());
            s.kind = kind;
            s.name = std::move(name);
            s.start_ns = s0;
            s.end_ns = s1;
            s.service_name = "support";
            return s;
        };
        span(0, core::SpanKind::Agent, "invoke_agent support", start, start + kSecond);
        const int calls = t % 10 == 3 ? 2 : 1;
        for (int c = 0; c < calls; ++c) {
            const char *model = t % 50 == 9 ? "odd \"model\"\\\n"
                : c == 1                    ? "claude-3-5-sonnet"
                                            : kModels[rng() % std::size(kModels)];
            core::Span &llm = span(1, core::SpanKind::Llm, std::string("chat ") + model, start + kSecond / 10,
                start + kSecond / 10 + std::int64_t(rng() % 20) * kSecond / 4);
            llm.request_model = model;
            llm.tokens.input = std::int64_t(rng() % 50) * 100;
            llm.tokens.output = 100;
            llm.cost_usd = double(*llm.tokens.input) * 1e-6;
        }
        core::Span &tool = span(2, core::SpanKind::Tool, "execute_tool lookup", start + 6 * kSecond,
            start + 6 * kSecond + std::int64_t(rng() % 30) * kSecond);
        tool.tool_name = "lookup";
        if (rng() % 7 == 0) {
            tool.status = core::StatusCode::Error;
            tool.status_message = "lookup failed";
        }
    }
    return batches;
}

/// How many trace_models rows carry other sort keys than their trace's summary.
std::int64_t staleModelKeys(const std::string &path)
{
    return scalar(path,
        "SELECT count(*) FROM trace_models m JOIN traces t ON t.id = m.trace_rowid WHERE m.duration_ns IS NOT "
        "t.duration_ns OR m.cost_usd IS NOT t.cost_usd OR m.tok_total IS NOT t.tok_total");
}

/// The walk (on), its indexed filters' count set low so that it walks even for the few traces of a
/// test; or one query (off).
store::SqliteStore::Options plans(bool on, std::int64_t budget = INT64_MAX, std::int64_t few = 40)
{
    store::SqliteStore::Options o;
    o.search = false;
    o.list_plans = on;
    o.list_few_traces = few;
    o.list_walk_budget = budget;
    return o;
}

} // namespace

class TestListPlans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("list.db")).toStdString();
        store::SqliteStore db(m_path, plans(true));
        const auto spans = makeTraces(kTraces, 11);
        for (std::size_t i = 0; i < spans.size(); i += 2000)
            db.writeBatch(std::span(spans).subspan(i, std::min<std::size_t>(2000, spans.size() - i)));
    }

    void everySortFilterAndPageListsAsOneQuery_data()
    {
        QTest::addColumn<int>("sort");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<int>("filter");
        QTest::addColumn<int>("limit");
        const std::pair<const char *, TraceSort> sorts[]
            = { { "duration", TraceSort::Duration }, { "cost", TraceSort::Cost }, { "tokens", TraceSort::Tokens },
                  { "spans", TraceSort::SpanCount }, { "errors", TraceSort::ErrorCount } };
        const auto fs = filters();
        for (const auto &[name, sort] : sorts)
            for (const bool desc : { true, false })
                for (std::size_t f = 0; f < fs.size(); ++f)
                    for (const int limit : { 1, 37 })
                        QTest::addRow("%s %s, %s, pages of %d", name, desc ? "desc" : "asc", fs[f].what, limit)
                            << int(sort) << desc << int(f) << limit;
    }

    void everySortFilterAndPageListsAsOneQuery()
    {
        QFETCH(int, sort);
        QFETCH(bool, descending);
        QFETCH(int, filter);
        QFETCH(int, limit);
        store::TraceQuery q;
        q.sort = TraceSort(sort);
        q.descending = descending;
        q.limit = limit;
        filters()[static_cast<std::size_t>(filter)].set(q);
        const int pages = limit == 1 ? 8 : 6;
        store::SqliteStore planned(m_path, plans(true));
        store::SqliteStore single(m_path, plans(false));
        const auto expected = listAll(single, q, pages);
        QVERIFY(!expected.empty());
        QCOMPARE(listAll(planned, q, pages), expected);
        // A walk that gives up at once hands over to the one query: the same pages again.
        store::SqliteStore givesUp(m_path, plans(true, 1));
        QCOMPARE(listAll(givesUp, q, pages), expected);
    }

    /// A whole listing in pages of 1000: every trace once, in the order of one query.
    void wholeListingAcrossEveryStretch()
    {
        store::SqliteStore planned(m_path, plans(true));
        store::SqliteStore single(m_path, plans(false));
        for (const TraceSort sort : { TraceSort::Cost, TraceSort::Duration }) {
            store::TraceQuery q;
            q.sort = sort;
            q.limit = 1000;
            const auto all = listAll(planned, q, 100);
            QCOMPARE(all.size(), std::size_t(kTraces));
            QCOMPARE(all, listAll(single, q, 100));
        }
    }

    /// A late span that starts before its trace moves the trace's start back into another time
    /// range; its stretch's start times follow it, so a sorted list of that range finds the trace.
    void lateSpanMovesItsStretchsRange()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("late.db")).toStdString();
        store::SqliteStore db(path, plans(true, INT64_MAX, 0)); // walks, even for one trace
        const auto spans = makeTraces(2 * store::kListStretch + 10, 5);
        db.writeBatch(spans);
        // The newest trace moves to before every other: a span of it 10 days earlier.
        core::Span late = spans.back();
        late.span_id[0] ^= 0xff;
        late.start_ns = kStart - std::int64_t { 10 } * 86'400 * kSecond;
        late.end_ns = late.start_ns + 500 * kSecond; // the longest trace by far, and the earliest
        db.writeBatch(std::vector<core::Span> { late });

        store::TraceQuery q;
        q.sort = TraceSort::Duration;
        q.to_ns = kStart; // only that trace starts before kStart
        const auto page = db.listTraces(q);
        QCOMPARE(page.traces.size(), std::size_t(1));
        QCOMPARE(page.traces[0].trace_id, late.trace_id);
    }

    /// Each model's rows carry their trace's sort keys (duration, cost, tokens) while the summary
    /// changes after they were written (later spans, costs priced again), so a model's sorted list
    /// walked over them lists as one query over the summaries does, for each of those sorts and both
    /// directions.
    void modelKeysFollowTheirTraces()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("later.db")).toStdString();
        store::SqliteStore db(path, plans(true));
        const auto batches = tracesInThreeBatches(2 * store::kListStretch + 300, 13);
        auto listsAsOneQuery = [&](const char *step) {
            QCOMPARE(staleModelKeys(path), 0LL);
            store::SqliteStore single(path, plans(false));
            for (const TraceSort sort : { TraceSort::Duration, TraceSort::Cost, TraceSort::Tokens })
                for (const bool desc : { true, false })
                    for (const char *model : { "gpt-4o-mini", "claude-3-5-sonnet", "odd \"model\"\\\n" }) {
                        store::TraceQuery q;
                        q.sort = sort;
                        q.descending = desc;
                        q.model = model;
                        q.limit = 40;
                        const auto expected = listAll(single, q, 4);
                        QVERIFY2(!expected.empty(), step);
                        QVERIFY2(listAll(db, q, 4) == expected, step);
                    }
        };
        for (std::size_t i = 0; i < batches[0].size(); i += 3000)
            db.writeBatch(std::span(batches[0]).subspan(i, std::min<std::size_t>(3000, batches[0].size() - i)));
        QCOMPARE(scalar(path, "SELECT count(*) FROM trace_models"), 0LL);
        db.writeBatch(batches[1]);
        QVERIFY(scalar(path, "SELECT count(*) FROM trace_models") > std::int64_t { 2 } * store::kListStretch);
        listsAsOneQuery("model calls");
        db.writeBatch(batches[2]); // longer traces, a span more, some failing
        QVERIFY(scalar(path, "SELECT count(*) FROM traces WHERE error_count > 0") > 0);
        listsAsOneQuery("tool calls");
        // The common model's price goes up; its traces' costs change, and their order by cost.
        const std::size_t changed = db.reprice(
            [](core::Span &s) {
                if (s.request_model != "gpt-4o-mini")
                    return false;
                s.cost_usd = double(s.tokens.input.value_or(0)) * 7e-6 + 1e-3;
                return true;
            },
            {});
        QVERIFY(changed > 0);
        listsAsOneQuery("repriced");
    }

    /// A database of schema 10 gets the models' sort keys when it is opened: every row its trace's
    /// keys, and the model's lists as one query.
    void migratedDatabaseGetsModelKeys()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ten.db")).toStdString();
        {
            store::SqliteStore db(path, plans(false));
            db.writeBatch(makeTraces(store::kListStretch + 700, 17));
        }
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        QCOMPARE(sqlite3_exec(raw, kDowngradeTo10, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
        QCOMPARE(scalar(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'trace_models_%'"), 0LL);
        store::SqliteStore db(path, plans(true));
        QCOMPARE(db.schemaVersion(), store::SqliteStore::latestSchemaVersion());
        QCOMPARE(scalar(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'trace_models_%'"), 3LL);
        QVERIFY(scalar(path, "SELECT count(*) FROM trace_models WHERE cost_usd > 0 AND duration_ns > 0") > 1000);
        QCOMPARE(staleModelKeys(path), 0LL);
        store::SqliteStore single(path, plans(false));
        for (const TraceSort sort : { TraceSort::Cost, TraceSort::Duration, TraceSort::SpanCount }) {
            store::TraceQuery q;
            q.sort = sort;
            q.model = "gpt-4o-mini";
            q.limit = 200;
            QCOMPARE(listAll(db, q, 100), listAll(single, q, 100));
        }
    }

    /// A database of the schema before the list's indexes gets them when it is opened; its listings
    /// are the same as before.
    void migratedDatabaseListsTheSame()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("old.db")).toStdString();
        const auto spans = makeTraces(store::kListStretch + 500, 3);
        {
            store::SqliteStore db(path, plans(false));
            db.writeBatch(spans);
        }
        // Back to schema 9: what schema 10 added goes, the rows stay.
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        QCOMPARE(sqlite3_exec(raw, kDowngradeTo10, nullptr, nullptr, nullptr), SQLITE_OK);
        const char *downgrade
            = "DROP INDEX traces_list_start; DROP INDEX traces_list_duration; DROP INDEX traces_list_cost; "
              "DROP INDEX traces_list_tokens; DROP INDEX traces_list_spans; DROP INDEX traces_list_errors; "
              "PRAGMA user_version = 9;";
        QCOMPARE(sqlite3_exec(raw, downgrade, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
        QCOMPARE(scalar(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'traces_list_%'"), 0LL);
        store::SqliteStore db(path, plans(true));
        QCOMPARE(db.schemaVersion(), store::SqliteStore::latestSchemaVersion());
        QCOMPARE(scalar(path, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'traces_list_%'"), 6LL);
        store::SqliteStore single(path, plans(false));
        store::TraceQuery q;
        q.sort = TraceSort::Cost;
        q.limit = 100;
        QCOMPARE(listAll(db, q, 100), listAll(single, q, 100));
        QCOMPARE(listAll(db, q, 100).size(), std::size_t(store::kListStretch + 500));
    }

private:
    /// What schema 12 added goes; the rows stay (schema 11, run again, makes the summaries table again).
    static constexpr const char *kDowngradeTo10
        = "DROP INDEX trace_models_list_duration; DROP INDEX trace_models_list_cost; "
          "DROP INDEX trace_models_list_tokens; DROP INDEX traces_list_duration; DROP INDEX traces_list_cost; "
          "CREATE INDEX traces_list_duration ON traces(id / 4096, duration_ns); "
          "CREATE INDEX traces_list_cost ON traces(id / 4096, cost_usd); "
          "ALTER TABLE trace_models DROP COLUMN duration_ns; "
          "ALTER TABLE trace_models DROP COLUMN cost_usd; ALTER TABLE trace_models DROP COLUMN tok_total; "
          "PRAGMA user_version = 10;";
    static constexpr int kTraces = 3 * store::kListStretch + 1234;
    QTemporaryDir m_dir;
    std::string m_path;
};

QTEST_GUILESS_MAIN(TestListPlans)
#include "tst_listplans.moc"
