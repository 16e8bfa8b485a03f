// SPDX-License-Identifier: MIT
// PostgresStore: the shared store suite (tests/auto/sqlitestore) against a real PostgreSQL 15 server
// this process starts, then what only a shared database server has: migrations under a lock,
// schemas side by side, several stores writing one schema, a server that goes away and comes back.
#include "store/ingestpipeline.h"
#include "store/migrations.h"
#include "store/postgresstore.h"
#include "store/postgresutil.h"
#include "store/retentionjob.h"
#include "store/rollup.h"
#include "support/pgserver.h"
#include "support/storebackend.h"

#include <QtTest>

#include <pqxx/pqxx>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

using namespace agentops;
using core::Span;

int runStoreSuite(int argc, char **argv);

namespace {

constexpr std::int64_t kBase = 1'764'000'000'000'000'000;

Span span(int trace, int id, int parent, std::int64_t startMs, std::int64_t endMs)
{
    Span s;
    s.trace_id[0] = 0xB0;
    s.trace_id[14] = static_cast<std::uint8_t>(trace >> 8);
    s.trace_id[15] = static_cast<std::uint8_t>(trace);
    s.span_id[0] = 0x60;
    s.span_id[6] = static_cast<std::uint8_t>(id >> 8);
    s.span_id[7] = static_cast<std::uint8_t>(id);
    if (parent >= 0) {
        s.parent_span_id = s.span_id;
        s.parent_span_id[6] = static_cast<std::uint8_t>(parent >> 8);
        s.parent_span_id[7] = static_cast<std::uint8_t>(parent);
    }
    s.name = "step " + std::to_string(id);
    s.kind = id % 3 == 0 ? core::SpanKind::Llm : core::SpanKind::Tool;
    if (s.kind == core::SpanKind::Llm) {
        s.request_model = "gpt-4o";
        s.tokens.input = 10;
        s.tokens.output = 2;
    }
    s.start_ns = kBase + startMs * 1'000'000;
    s.end_ns = kBase + endMs * 1'000'000;
    s.service_name = "svc";
    return s;
}

std::string conninfo()
{
    return test::StoreBackend::server().conninfo();
}

store::PostgresStore::Options inSchema(const std::string &schema)
{
    store::PostgresStore::Options o;
    o.schema = schema;
    return o;
}

long long scalar(const std::string &sql)
{
    pqxx::connection c(conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec(sql)[0][0].as<long long>();
}

} // namespace

class TestPostgresStore : public QObject
{
    Q_OBJECT

    /// rowSecurityHidesOtherProjects's body: pqxx reports by exceptions.
    void rowSecurity()
    {
        // Two projects of one server: two schemas written by one role that owns them and is no
        // superuser (superusers pass every policy), as a server's role.
        const std::string asServer = test::StoreBackend::server().conninfoAs("agentops_server");
        store::PostgresStore a(asServer, inSchema("project_rls_a"));
        store::PostgresStore b(asServer, inSchema("project_rls_b"));
        a.writeBatch(std::vector<Span> { span(1, 1, -1, 0, 10), span(1, 3, 1, 2, 4) });
        b.writeBatch(std::vector<Span> { span(2, 1, -1, 100, 110), span(2, 3, 1, 102, 104), span(2, 6, 1, 105, 106) });
        store::MetricsQuery q;
        q.from_ns = kBase - 3'600'000'000'000;
        q.to_ns = kBase + 3'600'000'000'000;
        QCOMPARE(b.metrics(q).totals.spans, std::int64_t(3)); // b's rollups are there
        const char *const tables[] = { "resources", "spans", "traces", "trace_models", "span_rollup", "error_rollup",
            "alert_rules", "alert_events", "span_search", "search_state", "search_queue" };
        QVERIFY(b.waitForSearchIndex());
        QCOMPARE(scalar("SELECT count(*) FROM project_rls_b.span_search"), 3LL); // as superuser: all there

        // A connection of project a's store, as the store makes them. Queries that forget their
        // project: they name b's tables, or find them through a search_path gone wrong.
        store::PostgresStore::Connection c(asServer, "project_rls_a");
        pqxx::work tx(c.db);
        auto count = [&](const std::string &sql) { return tx.exec1(sql)[0].as<long long>(); };
        QCOMPARE(count("SELECT count(*) FROM spans"), 2LL); // its own rows
        QCOMPARE(count("SELECT count(*) FROM project_rls_a.traces"), 1LL);
        for (const char *table : tables)
            QVERIFY2(count(std::string("SELECT count(*) FROM project_rls_b.") + table) == 0, table);
        // Nor when it reads b's partition of today's spans (schema 9) on its own.
        const std::string today = "project_rls_b."
            + store::pg::partitionName(store::pg::dayOf(std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                                                            .count()));
        QCOMPARE(scalar("SELECT count(*) FROM " + today), 3LL); // as superuser
        QCOMPARE(count("SELECT count(*) FROM " + today), 0LL);
        QCOMPARE(count("SELECT count(*) FROM project_rls_b.spans s JOIN project_rls_b.traces t USING (trace_id)"), 0LL);
        tx.exec("SET LOCAL search_path TO project_rls_b");
        QCOMPARE(count("SELECT count(*) FROM spans"), 0LL);
        QCOMPARE(count("SELECT coalesce(sum(spans), 0) FROM span_rollup"), 0LL);
        // Nor can it change or add rows there.
        QCOMPARE(tx.exec("UPDATE project_rls_b.traces SET name = 'x'").affected_rows(), 0);
        QCOMPARE(tx.exec("DELETE FROM project_rls_b.spans").affected_rows(), 0);
        {
            pqxx::subtransaction insert(tx, "insert");
            QVERIFY_EXCEPTION_THROWN(
                insert.exec("INSERT INTO project_rls_b.resources(hash, attributes) VALUES (42, '{}')"),
                pqxx::sql_error);
        }
        tx.commit();

        // A session of the same role that names no project sees no project's rows.
        pqxx::connection plain(asServer);
        pqxx::nontransaction none(plain);
        QCOMPARE(none.exec1("SELECT count(*) FROM project_rls_a.spans")[0].as<long long>(), 0LL);
        // Each store still sees all of its own, and b's rows were not touched.
        QCOMPARE(a.spanCount(), std::int64_t(2));
        QCOMPARE(b.spanCount(), std::int64_t(3));
        QCOMPARE(b.trace(span(2, 1, -1, 0, 0).trace_id)->summary.name, std::string("step 1"));
        QCOMPARE(scalar("SELECT count(*) FROM project_rls_b.traces WHERE name = 'x'"), 0LL);
    }

    /// searchUnderRowSecurityReadsTheIndex's body: pqxx reports by exceptions.
    void searchUnderRowSecurity()
    {
        // Two server roles bound by row-level security: one a member of the search role (as
        // docs/deployment.md sets a server up), one not; each with a project holding the same runs.
        test::PgServer &server = test::StoreBackend::server();
        const std::string member = server.conninfoAs("agentops_searcher");
        server.grantSearchRole("agentops_searcher");
        const std::string plain = server.conninfoAs("agentops_nosearch");
        store::PostgresStore indexed(member, inSchema("project_search_fn"));
        store::PostgresStore scanned(plain, inSchema("project_search_scan"));
        QVERIFY2(indexed.searchIndexError().empty(), indexed.searchIndexError().c_str());
        QVERIFY2(scanned.searchIndexError().find("GRANT agentops_search TO \"agentops_nosearch\"") != std::string::npos,
            scanned.searchIndexError().c_str());
        std::vector<Span> spans;
        for (int t = 0; t < 300; ++t) {
            Span agent = span(t, 1, -1, std::int64_t { t } * 100, std::int64_t { t } * 100 + 20 + t % 7);
            agent.name = "invoke_agent planner";
            agent.cost_usd = 0.001 * (t % 13); // ties: the cursor's row id decides
            agent.output = "the weather in " + std::string(t % 10 == 0 ? "Tokyo" : "Lisbon") + " for order-"
                + std::to_string(1000 + t) + (t % 50 == 0 ? ", 100%_done" : "");
            agent.session_id = t % 4 == 0 ? "conv-a" : "conv-b";
            Span tool = span(t, 3, 1, t * 100 + 2, t * 100 + 9);
            tool.kind = core::SpanKind::Tool;
            tool.tool_name = t % 3 == 0 ? "get_weather" : "lookup_order";
            tool.name = "execute_tool " + tool.tool_name;
            tool.input = "{\"city\": \"" + std::string(t % 10 == 0 ? "Tokyo" : "Lisbon") + "\"}";
            if (t % 20 == 0)
                tool.status = core::StatusCode::Error;
            spans.push_back(agent);
            spans.push_back(tool);
        }
        indexed.writeBatch(spans);
        scanned.writeBatch(spans);
        QVERIFY(indexed.waitForSearchIndex());
        QVERIFY(scanned.waitForSearchIndex());
        // The planner's statistics, as autovacuum gathers them: the function tells common terms by them.
        pqxx::connection admin(conninfo());
        pqxx::nontransaction(admin).exec("ANALYZE project_search_fn.span_search");
        // The same store, its searches always past the bound of traces found first: read in order.
        store::PostgresStore::Options walking = inSchema("project_search_fn");
        walking.search_collect_max = 2;
        store::PostgresStore walked(member, walking);

        // Every page of each listing, with where each trace matched.
        auto listing = [](store::PostgresStore &db, store::TraceQuery q) {
            std::vector<std::string> out;
            for (;;) {
                const auto page = db.listTraces(q);
                for (std::size_t i = 0; i < page.traces.size(); ++i)
                    out.push_back(core::toHex(page.traces[i].trace_id) + " " + page.hits.at(i).span_id + " "
                        + page.hits[i].snippet);
                if (page.next_cursor.empty())
                    return out;
                q.cursor = page.next_cursor;
            }
        };
        auto same = [&](const store::TraceQuery &q, std::size_t traces) {
            const auto expected = listing(scanned, q);
            const std::string what = q.text + " sort " + std::to_string(static_cast<int>(q.sort))
                + (q.descending ? " desc" : " asc") + " limit " + std::to_string(q.limit);
            QVERIFY2(expected.size() == traces, (what + ": " + std::to_string(expected.size())).c_str());
            QVERIFY2(listing(indexed, q) == expected, what.c_str());
            QVERIFY2(listing(walked, q) == expected, what.c_str());
        };
        const struct
        {
            const char *text;
            std::size_t traces;
        } cases[] = {
            { "order-1017", 1 }, { "der-101", 10 }, { "Tokyo", 30 }, { "weather", 300 }, { "Tokyo OR order-1017", 31 },
            { "weather NOT Tokyo", 270 }, { "status:error Tokyo", 15 }, { "tool:get_weather", 100 },
            { "tool:get_weather Tokyo", 10 }, { "name:planner Lisbon", 270 }, { "\"in Tokyo for\"", 30 },
            { "Atlantis", 0 }, { "status:error", 15 }, { "weather order-1017", 1 },
            { "0%_d", 6 }, // LIKE's own characters are characters
        };
        for (const auto &c : cases)
            for (const auto sort : { store::TraceSort::StartTime, store::TraceSort::Duration, store::TraceSort::Cost })
                for (const bool descending : { true, false }) {
                    store::TraceQuery q;
                    q.text = c.text;
                    q.sort = sort;
                    q.descending = descending;
                    q.limit = 7;
                    same(q, c.traces);
                }
        // With the list's other filters, and pages of 3 and of 100.
        for (const int limit : { 3, 100 }) {
            store::TraceQuery q;
            q.limit = limit;
            q.sort = store::TraceSort::Duration;
            q.descending = false;
            q.text = "Tokyo";
            q.errors_only = true;
            same(q, 15);
            q.errors_only = false;
            q.session_id = "conv-a";
            same(q, 15);
            q.text = "weather";
            same(q, 75);
            q.session_id.clear();
            q.from_ns = kBase + std::int64_t { 100 } * 100 * 1'000'000;
            q.to_ns = kBase + std::int64_t { 200 } * 100 * 1'000'000;
            q.name_contains = "planner";
            same(q, 100);
            q.text = "Lisbon";
            q.min_cost_usd = 0.0105; // cost 0.011 and 0.012: t % 13 of 11 and 12, less t = 180
            same(q, 15);
        }

        // The search role's function reads span_search through its trigram index, where the same
        // query in the member's own session reads every row (the planner told not to).
        pqxx::connection c(member);
        pqxx::work tx(c);
        tx.exec("SET LOCAL search_path TO project_search_fn");
        tx.exec("SET LOCAL enable_seqscan = off");
        auto scans = [&] {
            return tx.exec1("SELECT pg_stat_get_xact_numscans('project_search_fn.span_search_text'::regclass)")[0]
                .as<long long>();
        };
        tx.exec("SELECT set_config('agentops.project', 'project_search_fn', true)");
        QCOMPARE(tx.exec1("SELECT count(*) FROM span_search WHERE search_text ILIKE '%order-1017%'")[0].as<long long>(),
            1LL);
        QCOMPARE(scans(), 0LL);
        QCOMPARE(tx.exec1("SELECT count(*) FROM search_match(0, '%order-1017%', 10)")[0].as<long long>(), 1LL);
        QVERIFY(scans() > 0);
        // A term the statistics say is in more spans than asked for: one NULL, nothing read.
        const auto common = tx.exec("SELECT t FROM search_match(0, '%weather%', 3) t");
        QCOMPARE(common.size(), 1);
        QVERIFY(common[0][0].is_null());
        QCOMPARE(tx.exec("SELECT t FROM search_match(0, '%order-1017%', 3) t WHERE t IS NOT NULL").size(), 1);
        // Nothing for a session that names another project, as the policies.
        tx.exec("SELECT set_config('agentops.project', 'project_search_scan', true)");
        QCOMPARE(tx.exec1("SELECT count(*) FROM search_match(0, '%weather%', 1000)")[0].as<long long>(), 0LL);
        tx.abort();
        // Only the role that made it may call it, even where another may use the schema.
        pqxx::nontransaction(admin).exec("GRANT USAGE ON SCHEMA project_search_fn TO agentops_nosearch");
        pqxx::connection other(plain);
        pqxx::work denied(other);
        QVERIFY_EXCEPTION_THROWN(
            denied.exec("SELECT * FROM project_search_fn.search_match(0, '%weather%', 10)"), pqxx::sql_error);
    }

private Q_SLOTS:
    void migrationsRunOnceUnderALock()
    {
        // Servers starting together over one database: one migrates, the others find it done.
        std::vector<std::thread> threads;
        std::atomic<int> opened { 0 };
        std::atomic<int> failed { 0 };
        threads.reserve(6);
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&] {
                try {
                    store::PostgresStore s(conninfo(), inSchema("project_race"));
                    if (s.schemaVersion() == store::PostgresStore::latestSchemaVersion())
                        ++opened;
                } catch (const std::exception &e) {
                    qWarning("%s", e.what());
                    ++failed;
                }
            });
        for (auto &t : threads)
            t.join();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(opened.load(), 6);
        QCOMPARE(scalar("SELECT count(*) FROM project_race.schema_version"), 1LL);

        // Opening it again is a no-op that keeps the data.
        {
            store::PostgresStore s(conninfo(), inSchema("project_race"));
            s.writeBatch(std::vector<Span> { span(1, 1, -1, 0, 10), span(1, 3, 1, 1, 5) });
        }
        store::PostgresStore again(conninfo(), inSchema("project_race"));
        QCOMPARE(again.schemaVersion(), store::PostgresStore::latestSchemaVersion());
        QCOMPARE(again.spanCount(), std::int64_t(2));
        QCOMPARE(again.trace(span(1, 1, -1, 0, 0).trace_id)->summary.span_count, std::int64_t(2));
    }

    void migrationPartitionsStoredSpans()
    {
        // A schema of version 8, spans in one table: schema 9 partitions it by day. The rows
        // stored stay where they are, in the partition of the days before today; they read as
        // before, a span sent again is still found there, a late span of an old trace joins it,
        // and retention drops it whole once its traces are old enough.
        std::vector<Span> old;
        for (std::int64_t t = 1; t <= 20; ++t)
            for (const Span &s : { span(static_cast<int>(t), 1, -1, t * 100, t * 100 + 50),
                     span(static_cast<int>(t), 3, 1, t * 100 + 1, t * 100 + 20),
                     span(static_cast<int>(t), 4, 1, t * 100 + 21, t * 100 + 40) })
                old.push_back(s);
        {
            store::PostgresStore src(conninfo(), inSchema("mig_src"));
            src.writeBatch(old);
            QVERIFY(src.waitForSearchIndex());
        }
        {
            pqxx::connection c(conninfo());
            pqxx::work tx(c);
            tx.exec("CREATE SCHEMA mig_old");
            tx.exec("SET LOCAL search_path TO mig_old");
            tx.exec("SELECT set_config('agentops.project', 'mig_old', true)");
            for (std::size_t v = 0; v < 8; ++v)
                tx.exec(store::postgresMigrations()[v].sql);
            tx.exec("CREATE TABLE schema_version(version integer NOT NULL); INSERT INTO schema_version VALUES (8)");
            auto columns = [&](const std::string &table) {
                return tx
                    .exec1("SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM "
                           "information_schema.columns WHERE table_schema = 'mig_old' AND table_name = "
                        + tx.quote(table))[0]
                    .as<std::string>();
            };
            // As step 4 made it before schema 9: span_search's rows refer to spans(id).
            tx.exec("ALTER TABLE mig_old.span_search ADD CONSTRAINT span_search_span_rowid_fkey FOREIGN KEY "
                    "(span_rowid) REFERENCES mig_old.spans(id) ON DELETE CASCADE");
            for (const char *table :
                { "resources", "spans", "traces", "trace_models", "span_rollup", "error_rollup", "span_search" }) {
                const std::string list = columns(table);
                std::string copy = "INSERT INTO mig_old.";
                copy.append(table).append("(").append(list).append(") SELECT ").append(list).append(" FROM mig_src.");
                copy.append(table);
                tx.exec(copy);
            }
            for (const char *table : { "resources", "spans", "traces" })
                tx.exec(std::string("SELECT setval('mig_old.") + table + "_id_seq', (SELECT max(id) FROM mig_old."
                    + table + "))");
            QCOMPARE(tx.exec1("SELECT count(*) FROM mig_old.spans")[0].as<std::size_t>(), old.size());
            QCOMPARE(tx.exec1("SELECT count(*) FROM mig_old.span_search")[0].as<std::size_t>(), old.size());
            tx.exec("UPDATE mig_old.search_state SET indexed = (SELECT max(id) FROM mig_old.spans)");
            tx.commit();
        }

        const std::int64_t realNow
            = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
                  .count();
        const std::string before
            = "mig_old.spans_before_" + store::pg::partitionName(store::pg::dayOf(realNow)).substr(6);
        store::PostgresStore src(conninfo(), inSchema("mig_src"));
        {
            store::PostgresStore migrated(conninfo(), inSchema("mig_old"));
            QCOMPARE(migrated.schemaVersion(), store::PostgresStore::latestSchemaVersion());
            QCOMPARE(
                scalar("SELECT count(*) FROM pg_class WHERE oid = 'mig_old.spans'::regclass AND relkind = 'p'"), 1LL);
            QCOMPARE(scalar("SELECT count(*) FROM " + before), static_cast<long long>(old.size()));
            QCOMPARE(scalar("SELECT count(*) FROM pg_constraint WHERE conname = 'span_search_span_rowid_fkey' AND "
                            "connamespace = 'mig_old'::regnamespace"),
                0LL);
            QCOMPARE(scalar("SELECT count(*) FROM mig_old.span_search"), static_cast<long long>(old.size()));
            for (int t = 1; t <= 20; ++t) {
                const auto id = span(t, 1, -1, 0, 0).trace_id;
                const auto a = src.trace(id);
                const auto b = migrated.trace(id);
                QVERIFY(a && b);
                QCOMPARE(b->spans.size(), a->spans.size());
                QCOMPARE(b->summary.span_count, a->summary.span_count);
                QCOMPARE(b->summary.input_tokens, a->summary.input_tokens);
                QCOMPARE(b->summary.durationNs(), a->summary.durationNs());
                for (std::size_t k = 0; k < a->spans.size(); ++k)
                    QCOMPARE(b->spans[k].name, a->spans[k].name);
            }
            store::MetricsQuery q;
            q.from_ns = kBase - 3'600'000'000'000;
            q.to_ns = kBase + 3'600'000'000'000;
            QCOMPARE(migrated.metrics(q).totals.spans, src.metrics(q).totals.spans);
            QCOMPARE(migrated.metrics(q).totals.input_tokens, src.metrics(q).totals.input_tokens);

            QCOMPARE(migrated.writeBatch(old).inserted, std::size_t(0)); // found in the old partition
            QCOMPARE(migrated.writeBatch(std::vector<Span> { span(1, 9, 1, 150, 160) }).inserted, std::size_t(1));
            QCOMPARE(scalar("SELECT count(*) FROM " + before), static_cast<long long>(old.size() + 1));
            QCOMPARE(migrated.trace(span(1, 1, -1, 0, 0).trace_id)->summary.span_count, std::int64_t(4));
            QCOMPARE(migrated.writeBatch(std::vector<Span> { span(30, 1, -1, 0, 10) }).inserted, std::size_t(1));
            QCOMPARE(scalar("SELECT count(*) FROM " + before), static_cast<long long>(old.size() + 1));
            QCOMPARE(migrated.spanCount(), static_cast<std::int64_t>(old.size() + 2));
        }
        // Two days on, with a cutoff past today's end: the old partition goes whole (its 20 traces at
        // once), then today's (the new trace).
        store::PostgresStore::Options later = inSchema("mig_old");
        later.clock = [realNow] { return realNow + 2 * store::pg::kDayNs; };
        store::PostgresStore retained(conninfo(), later);
        const std::int64_t cutoff = realNow + store::pg::kDayNs;
        QCOMPARE(retained.deleteTracesBefore(cutoff, 5), std::size_t(20));
        QCOMPARE(scalar("SELECT count(*) FROM pg_class WHERE relname = 'spans_before_"
                     + store::pg::partitionName(store::pg::dayOf(realNow)).substr(6) + "'"),
            0LL);
        QCOMPARE(retained.deleteTracesBefore(cutoff, 5), std::size_t(1));
        QCOMPARE(retained.deleteTracesBefore(cutoff, 5), std::size_t(0));
        QCOMPARE(retained.spanCount(), std::int64_t(0));
        QCOMPARE(scalar("SELECT count(*) FROM mig_old.span_rollup") + scalar("SELECT count(*) FROM mig_old.resources")
                + scalar("SELECT count(*) FROM mig_old.span_search"),
            0LL);
        // The ids go on: the sequence went over to the partitioned table, and stayed when the old one went.
        QVERIFY(scalar("SELECT last_value FROM mig_old.spans_id_seq") >= static_cast<long long>(old.size() + 2));
    }

    void dashboardSumsOnTwoConnectionsInOneSnapshot()
    {
        // A refresh sums the rollups on its connection and the summaries on a second one of the
        // pool, in the first one's snapshot. Traces of three spans are written all along: in one
        // snapshot, spans are three times the traces; in two, they would not always be. A store
        // with a pool of one sums both on its one connection; with a pool of two and six readers,
        // none waits for a second connection that another holds (a hang here).
        store::PostgresStore::Options o = inSchema("project_dash");
        store::PostgresStore writer(conninfo(), o);
        int next = 1;
        auto writeTrace = [&] {
            const int t = next++;
            writer.writeBatch(std::vector<Span> {
                span(t, 1, -1, t, t + 50), span(t, 3, 1, t + 1, t + 20), span(t, 4, 1, t + 21, t + 40) });
        };
        for (int i = 0; i < 30; ++i)
            writeTrace();
        store::MetricsQuery q;
        q.from_ns = kBase - 3'600'000'000'000;
        q.to_ns = kBase + 3'600'000'000'000;
        o.pool_size = 1;
        store::PostgresStore single(conninfo(), o);
        const auto one = single.metrics(q);
        const auto two = writer.metrics(q);
        QCOMPARE(one.totals.traces, std::int64_t(30));
        QCOMPARE(two.totals.traces, one.totals.traces);
        QCOMPARE(two.totals.spans, one.totals.spans);
        QCOMPARE(two.buckets.size(), one.buckets.size());
        QCOMPARE(two.slowest_traces.size(), one.slowest_traces.size());

        // Two readers and a pool of four: each refresh has its second connection.
        std::atomic<bool> writing { true };
        std::thread w([&] {
            while (writing)
                writeTrace();
        });
        std::atomic<int> refreshes { 0 }, torn { 0 }, failed { 0 };
        auto read = [&](store::PostgresStore &db, int times) {
            for (int i = 0; i < times; ++i) {
                try {
                    const auto m = db.metrics(q);
                    torn += m.totals.spans != 3 * m.totals.traces;
                    ++refreshes;
                } catch (const std::exception &e) {
                    qWarning("%s", e.what());
                    ++failed;
                }
            }
        };
        std::vector<std::thread> readers;
        readers.reserve(6);
        for (int r = 0; r < 2; ++r)
            readers.emplace_back([&] { read(writer, 100); });
        for (auto &t : readers)
            t.join();
        const int tornWithTwo = torn.load();
        // Six readers and a pool of two: most refreshes find no second connection free.
        o.pool_size = 2;
        store::PostgresStore shared(conninfo(), o);
        readers.clear();
        for (int r = 0; r < 6; ++r)
            readers.emplace_back([&] { read(shared, 15); });
        for (auto &t : readers)
            t.join();
        writing = false;
        w.join();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(refreshes.load(), 290);
        QCOMPARE(tornWithTwo, 0);
        QCOMPARE(torn.load(), 0);
        QVERIFY2(next > 40, std::to_string(next).c_str()); // the writer wrote while they read
    }

    void refusesNewerSchemaAndBadNames()
    {
        {
            store::PostgresStore s(conninfo(), inSchema("project_newer"));
        }
        scalar("WITH u AS (UPDATE project_newer.schema_version SET version = 99 RETURNING 1) SELECT count(*) FROM u");
        try {
            store::PostgresStore s(conninfo(), inSchema("project_newer"));
            QFAIL("a newer schema must be refused");
        } catch (const store::StoreError &e) {
            QVERIFY2(std::string(e.what()).find("newer") != std::string::npos, e.what());
        }
        for (const char *bad : { "", "Project", "a;drop", "1abc", "x\"y" }) {
            try {
                store::PostgresStore s(conninfo(), inSchema(bad));
                QFAIL("a bad schema name must be refused");
            } catch (const store::StoreError &e) {
                QVERIFY2(std::string(e.what()).find("schema") != std::string::npos, e.what());
            }
        }
        try {
            store::PostgresStore s("host=/nonexistent-dir port=1 user=postgres", inSchema("x"));
            QFAIL("an unreachable server must be reported");
        } catch (const store::StoreError &e) {
            QVERIFY2(std::string(e.what()).find("cannot open PostgreSQL store") != std::string::npos, e.what());
        }
    }

    void schemasAreIsolated()
    {
        store::PostgresStore a(conninfo(), inSchema("project_a"));
        store::PostgresStore b(conninfo(), inSchema("project_b"));
        a.writeBatch(std::vector<Span> { span(7, 1, -1, 0, 10), span(7, 3, 1, 2, 4) });
        // The same ids in another project are another trace.
        b.writeBatch(std::vector<Span> { span(7, 1, -1, 100, 110) });
        QCOMPARE(a.spanCount(), std::int64_t(2));
        QCOMPARE(b.spanCount(), std::int64_t(1));
        QCOMPARE(a.trace(span(7, 1, -1, 0, 0).trace_id)->summary.span_count, std::int64_t(2));
        QCOMPARE(b.trace(span(7, 1, -1, 0, 0).trace_id)->summary.span_count, std::int64_t(1));
        QCOMPARE(b.listTraces({}).traces.size(), std::size_t(1));
        store::MetricsQuery q;
        q.from_ns = kBase - 3'600'000'000'000;
        q.to_ns = kBase + 3'600'000'000'000;
        QCOMPARE(a.metrics(q).totals.spans, std::int64_t(2));
        QCOMPARE(b.metrics(q).totals.spans, std::int64_t(1));
        QCOMPARE(scalar("SELECT count(*) FROM project_a.spans"), 2LL);
    }

    void retentionBySizeIsRefused()
    {
        // PostgreSQL's files hold dead rows and free space until VACUUM gives them back, so the store
        // does not claim to know what its traces take: retention by size is refused for it (as the
        // server refuses --retention-size with a PostgreSQL database), and nothing is deleted.
        store::PostgresStore s(conninfo(), inSchema("project_size"));
        QCOMPARE(s.schema(), std::string("project_size"));
        s.writeBatch(std::vector<Span> { span(9, 1, -1, 0, 10), span(10, 1, -1, 0, 10) });
        QVERIFY(!s.storeBytes());
        QVERIFY(!s.compactIndexes());
        store::RetentionJob::Options options;
        options.pause = std::chrono::milliseconds(0);
        store::RetentionJob job(
            [&s] {
                return std::vector<store::RetentionTarget> { { "project size", &s, 0, 1 } };
            },
            options);
        job.start();
        QTRY_VERIFY(job.stats().runs > 0);
        job.stop();
        const auto stats = job.stats();
        QVERIFY(stats.errors > 0);
        QCOMPARE(stats.last_error, std::string("project size: retention by size: this store cannot tell its size"));
        QCOMPARE(stats.deleted_traces, std::uint64_t(0));
        QCOMPARE(s.spanCount(), std::int64_t(2));
    }

    void rowSecurityHidesOtherProjects()
    {
        try {
            rowSecurity();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

    void concurrentWritersDoNotDoubleCount()
    {
        // Two stores (two server processes) over one schema, each retrying the other's batches.
        store::PostgresStore one(conninfo(), inSchema("project_shared"));
        store::PostgresStore two(conninfo(), inSchema("project_shared"));
        std::vector<std::vector<Span>> batches;
        for (int b = 0; b < 40; ++b) {
            std::vector<Span> batch;
            for (int k = 0; k < 30; ++k) {
                const int trace = b % 2 * 25 + (b * 30 + k) % 25; // traces spread over many batches
                const int id = b * 30 + k + 1;
                batch.push_back(span(100 + trace, id, id % 30 == 1 ? -1 : 1, k, k + 3));
                // Each writer's own producer: nothing but the write lock orders the two writers.
                batch.back().resource = { { "host.name", core::AttrValue::ofString(b % 2 ? "odd" : "even") } };
            }
            batches.push_back(std::move(batch));
        }
        std::atomic<std::size_t> inserted { 0 };
        // First each writes its half at the same time as the other (new spans into the same rollup
        // rows), then each retries the other's half.
        auto writer = [&](store::PostgresStore &s, std::size_t half) {
            for (std::size_t i = half; i < batches.size(); i += 2)
                inserted += s.writeBatch(batches[i]).inserted;
            for (std::size_t i = 1 - half; i < batches.size(); i += 2)
                inserted += s.writeBatch(batches[i]).inserted;
        };
        std::thread t1([&] { writer(one, 0); });
        std::thread t2([&] { writer(two, 1); });
        t1.join();
        t2.join();
        const std::int64_t distinct = std::int64_t { 40 } * 30;
        QCOMPARE(inserted.load(), std::size_t(distinct));
        QCOMPARE(one.spanCount(), distinct);
        QCOMPARE(scalar("SELECT sum(span_count) FROM project_shared.traces"), static_cast<long long>(distinct));
        QCOMPARE(scalar("SELECT count(*) FROM project_shared.traces t WHERE span_count <> (SELECT count(*) FROM "
                        "project_shared.spans s WHERE s.trace_id = t.trace_id)"),
            0LL);
        store::MetricsQuery q;
        q.from_ns = kBase - 3'600'000'000'000;
        q.to_ns = kBase + 3'600'000'000'000;
        const auto m = two.metrics(q);
        QCOMPARE(m.totals.spans, distinct);
        QCOMPARE(m.totals.input_tokens, scalar("SELECT sum(tok_input) FROM project_shared.spans"));
        QCOMPARE(m.totals.traces, std::int64_t(50));
        // Latency histograms are merged read-modify-write: none lost an update to the other writer.
        pqxx::connection c(conninfo());
        pqxx::nontransaction tx(c);
        const auto rows = tx.exec("SELECT spans, encode(latency, 'hex') FROM project_shared.span_rollup");
        QVERIFY(rows.size() > 0);
        for (const auto &row : rows) {
            const std::string hex = row[1].c_str();
            std::string bytes;
            for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
                bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
            store::rollup::Histogram h;
            QVERIFY(h.mergeEncoded(bytes.data(), bytes.size()));
            QCOMPARE(h.count(), row[0].as<std::int64_t>());
        }
    }

    void pipelineWaitsForAnotherWriter()
    {
        // Another process holding the schema's write lock stalls the writer: the queue fills, the
        // pipeline refuses more, and everything accepted commits once the lock is released.
        store::PostgresStore db(conninfo(), inSchema("project_blocked"));
        pqxx::connection blocker(conninfo());
        pqxx::nontransaction btx(blocker);
        btx.exec("SELECT pg_advisory_lock(1095192401, hashtext('project_blocked'))");

        store::IngestPipeline::Options po;
        po.max_queued_spans = 50;
        store::IngestPipeline pipeline(db, po);
        std::vector<std::thread> waiting;
        std::atomic<int> committed { 0 };
        waiting.reserve(2);
        for (int r = 0; r < 2; ++r)
            waiting.emplace_back([&, r] {
                std::vector<Span> spans;
                spans.reserve(20);
                for (int k = 0; k < 20; ++k)
                    spans.push_back(span(500 + r, k + 1, k == 0 ? -1 : 1, k, k + 1));
                if (pipeline.submit(spans).outcome == store::IngestPipeline::Outcome::Committed)
                    ++committed;
            });
        QTRY_COMPARE_WITH_TIMEOUT(pipeline.queuedSpans(), std::size_t(40), 5000);
        std::vector<Span> tooMany;
        tooMany.reserve(20);
        for (int k = 0; k < 20; ++k)
            tooMany.push_back(span(600, k + 1, -1, k, k + 1));
        QVERIFY(pipeline.submit(tooMany).outcome == store::IngestPipeline::Outcome::QueueFull);
        btx.exec("SELECT pg_advisory_unlock(1095192401, hashtext('project_blocked'))");
        for (auto &t : waiting)
            t.join();
        pipeline.stop();
        QCOMPARE(committed.load(), 2);
        QCOMPARE(db.spanCount(), std::int64_t(40));
    }

    void textEscapesMatchOneByteAtATime()
    {
        // appendValidUtf8 copies runs and skips 8 plain bytes at a time; its output must be what
        // looking at each byte on its own gives, for COPY's escapes and for array literals'.
        const auto reference = [](std::string_view v, std::string_view special) {
            std::string out;
            const auto *p = reinterpret_cast<const unsigned char *>(v.data());
            for (std::size_t i = 0; i < v.size();) {
                const std::size_t len = p[i] == 0 ? 0 : p[i] < 0x80 ? 1 : store::pg::utf8Length(p + i, v.size() - i);
                if (len == 0) {
                    out += "\xEF\xBF\xBD";
                    ++i;
                    continue;
                }
                if (len == 1 && special.find(static_cast<char>(p[i])) != std::string_view::npos)
                    out.push_back('\\');
                out.append(v.data() + i, len);
                i += len;
            }
            return out;
        };
        const std::string alphabet("aZ ~\t\n\r\\\"\0\x1f\x7f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xff\xc0", 23);
        std::mt19937 rng(7);
        for (int round = 0; round < 20000; ++round) {
            std::string v(rng() % 40, 'x');
            const int plain = static_cast<int>(rng() % 4); // some values mostly plain ASCII, some not
            for (char &c : v)
                if (static_cast<int>(rng() % 4) >= plain)
                    c = alphabet[rng() % alphabet.size()];
            std::string mine;
            store::pg::appendValidUtf8<'"', '\\', '\t'>(mine, v, [](std::string &out, char c) {
                out.push_back('\\');
                out.push_back(c);
            });
            QCOMPARE(mine, reference(v, "\"\\\t"));
            QCOMPARE(store::pg::validUtf8(v), reference(v, {}));
        }
    }

    void writerNamesAColumnItCannotSend()
    {
        // Spans go as COPY in binary format, each value in its column's own type. A table whose
        // column has another type (a schema this build does not know) fails the write with the
        // column named, and stores nothing, rather than PostgreSQL's "incorrect binary data format".
        {
            store::PostgresStore made(conninfo(), inSchema("project_types"));
        }
        scalar("WITH a AS (SELECT 1) SELECT count(*) FROM a; ALTER TABLE project_types.spans ALTER COLUMN dropped "
               "TYPE integer; SELECT 1");
        store::PostgresStore db(conninfo(), inSchema("project_types"));
        try {
            db.writeBatch(std::vector<Span> { span(1, 1, -1, 0, 10) });
            QFAIL("a write into a column of another type must fail");
        } catch (const store::StoreError &e) {
            QVERIFY2(
                std::string(e.what()).find("spans.dropped is integer, the writer sends bigint") != std::string::npos,
                e.what());
        }
        QCOMPARE(scalar("SELECT count(*) FROM project_types.traces"), 0LL);
    }

    void aFailedCopyFailsItsBatchOnly()
    {
        // The span rows' COPY runs on libpq under libpqxx's transaction. When PostgreSQL refuses
        // the rows (here a NULL where the table, changed behind the store, wants a value), the
        // batch fails with PostgreSQL's reason, nothing of it is stored, and the writer's
        // connection goes on: the next batch is written.
        {
            store::PostgresStore made(conninfo(), inSchema("project_copyfail"));
        }
        scalar("WITH a AS (SELECT 1) SELECT count(*) FROM a; ALTER TABLE project_copyfail.spans ALTER COLUMN "
               "trace_state SET NOT NULL; SELECT 1");
        store::PostgresStore db(conninfo(), inSchema("project_copyfail"));
        Span bad = span(1, 1, -1, 0, 10);
        bad.trace_state.clear(); // stored as NULL
        try {
            db.writeBatch(std::vector<Span> { bad });
            QFAIL("a row the table refuses must fail its batch");
        } catch (const store::StoreError &e) {
            QVERIFY2(std::string(e.what()).find("trace_state") != std::string::npos, e.what());
        }
        QCOMPARE(scalar("SELECT count(*) FROM project_copyfail.traces"), 0LL);
        Span good = span(2, 1, -1, 0, 10);
        good.trace_state = "k=v";
        QCOMPARE(db.writeBatch(std::vector<Span> { good }).inserted, std::size_t(1));
        QVERIFY(db.trace(good.trace_id).has_value());
        QCOMPARE(scalar("SELECT count(*) FROM project_copyfail.spans"), 1LL);
    }

    void textThatIsNotUtf8IsStored()
    {
        // PostgreSQL text refuses NUL and bytes that are not UTF-8; producers send them anyway. The
        // span is stored with U+FFFD in their place instead of failing the whole batch.
        store::PostgresStore db(conninfo(), inSchema("project_bytes"));
        Span s = span(3, 1, -1, 0, 10);
        s.name = std::string("bad\xff name\0x", 11);
        s.output = "caf\xc3\xa9 \xe2\x82"; // valid, then a truncated sequence
        s.session_id = "sess\xfe";
        QCOMPARE(db.writeBatch(std::vector<Span> { s }).inserted, std::size_t(1));
        const auto back = db.trace(s.trace_id);
        QVERIFY(back.has_value());
        QCOMPARE(back->spans[0].name, std::string("bad\xEF\xBF\xBD name\xEF\xBF\xBDx"));
        QCOMPARE(back->spans[0].output, std::string("caf\xc3\xa9 \xEF\xBF\xBD\xEF\xBF\xBD"));
        QCOMPARE(back->summary.name, back->spans[0].name);
        // The characters COPY's text format and array literals escape, among valid and invalid
        // UTF-8, at the start and end of values and side by side: stored as they were sent.
        Span e = span(4, 1, -1, 0, 10);
        e.name = "\\name\t\"quoted\" {a,b}\\";
        e.input = "\ttab\nnew\r\ncr\\\\back\\t caf\xc3\xa9\t\xff\\";
        e.attributes = { { "k\tey", core::AttrValue::ofString("v\\al\nue") } };
        QCOMPARE(db.writeBatch(std::vector<Span> { e }).inserted, std::size_t(1));
        const auto escaped = db.trace(e.trace_id);
        QVERIFY(escaped.has_value());
        QCOMPARE(escaped->spans[0].name, e.name);
        QCOMPARE(escaped->summary.name, e.name);
        QCOMPARE(escaped->spans[0].input, std::string("\ttab\nnew\r\ncr\\\\back\\t caf\xc3\xa9\t\xEF\xBF\xBD\\"));
        QCOMPARE(escaped->spans[0].attributes, e.attributes);
        // A filter with such bytes is answered, not refused.
        store::TraceQuery q;
        q.session_id = "sess\xfe";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(1));
        q.session_id = "other\xff";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(0));
    }

    void searchFindsWhatSpansSay()
    {
        // Content search on PostgreSQL: what a span says (its output here), not only trace names;
        // fields, phrases and NOT; where it matched. (tests/auto/postgressearch runs the whole
        // search suite on real framework traces.)
        store::PostgresStore db(conninfo(), inSchema("project_search"));
        QVERIFY2(db.searchIndexError().empty(), db.searchIndexError().c_str());
        Span a = span(1, 1, -1, 0, 10);
        a.name = "invoke_agent Weather Planner";
        a.session_id = "conv-1";
        Span b = span(2, 1, -1, 0, 10);
        b.name = "invoke_agent refunds";
        b.output = "then the weather planner said: rain";
        db.writeBatch(std::vector<Span> { a, b });
        QVERIFY(db.waitForSearchIndex());
        QCOMPARE(db.searchProgress().lag, 0);
        store::TraceQuery q;
        auto count = [&](const char *text) {
            q.text = text;
            return db.listTraces(q).traces.size();
        };
        QCOMPARE(count("weather planner"), std::size_t(2));
        QCOMPARE(count("\"weather planner\""), std::size_t(2));
        QCOMPARE(count("weather OR refunds"), std::size_t(2));
        QCOMPARE(count("planner NOT refunds"), std::size_t(1));
        QCOMPARE(count("name:refunds"), std::size_t(1));
        QCOMPARE(count("tool:get_weather"), std::size_t(0));
        QCOMPARE(count("session:conv-1"), std::size_t(1));
        QCOMPARE(count("session:conv-1 refunds"), std::size_t(0));
        QCOMPARE(count("r5"), std::size_t(0)); // too short for any index: names only, as everywhere
        q.text = "said: rain";
        const auto page = db.listTraces(q);
        QCOMPARE(page.traces.size(), std::size_t(1));
        QCOMPARE(page.hits.size(), std::size_t(1));
        QCOMPARE(page.hits[0].span_id, core::toHex(b.span_id));
        QCOMPARE(page.hits[0].snippet, b.output);
        QCOMPARE(page.hits[0].highlights, (std::vector<std::pair<int, int>> { { 25, 30 }, { 31, 35 } }));
    }

    void searchUnderRowSecurityReadsTheIndex()
    {
        try {
            searchUnderRowSecurity();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
    }

    void nameFilterReadsTheNameIndex()
    {
        // The trace list's name filter (a substring, any case): the names that match, found by a walk
        // through the name index, then the traces with those names; the same traces as reading every
        // name. Past 1,000 distinct names it reads every summary, with the same answers.
        const std::string asServer = test::StoreBackend::server().conninfoAs("agentops_server");
        store::PostgresStore::Options o = inSchema("project_names");
        o.search = false;
        store::PostgresStore db(asServer, o);
        const char *const names[]
            = { "invoke_agent Booker", "invoke_agent planner", "chat gpt-4o", "100%_done", "invoke_agent booker-2" };
        std::vector<Span> spans;
        for (int t = 0; t < 200; ++t) {
            Span s = span(t, 1, -1, t, t + 5);
            s.name = names[t % std::size(names)];
            spans.push_back(s);
        }
        db.writeBatch(spans);
        auto listed = [&](const char *text) {
            std::size_t n = 0;
            store::TraceQuery q;
            q.name_contains = text;
            q.limit = 7; // several pages: the cursor goes with the filter
            for (;;) {
                const auto page = db.listTraces(q);
                for (const auto &t : page.traces)
                    n += QString::fromStdString(t.name).contains(QString::fromUtf8(text), Qt::CaseInsensitive);
                if (page.next_cursor.empty())
                    return n;
                q.cursor = page.next_cursor;
            }
        };
        auto check = [&] {
            QCOMPARE(listed("booker"), std::size_t(80));
            QCOMPARE(listed("BOOKER-2"), std::size_t(40));
            QCOMPARE(listed("0%_d"), std::size_t(40)); // LIKE's own characters are the characters
            QCOMPARE(listed("%"), std::size_t(40));
            QCOMPARE(listed("gent"), std::size_t(120));
            QCOMPARE(listed("no such name"), std::size_t(0));
        };
        check();
        // Under the tables' row-level security, as the server's role: the planner, told to read
        // neither the table nor another index in order, takes the name index for the names found.
        {
            store::PostgresStore::Connection c(asServer, "project_names");
            pqxx::work tx(c.db);
            tx.exec("SET LOCAL enable_seqscan = off");
            tx.exec("SET LOCAL enable_indexscan = off");
            std::string plan;
            for (const auto &row : tx.exec("EXPLAIN SELECT id FROM traces WHERE name = ANY('{\"invoke_agent Booker\"}'"
                                           "::text[]) ORDER BY start_ns DESC, id DESC LIMIT 51"))
                plan += std::string(row[0].c_str()) + "\n";
            QVERIFY2(plan.find("traces_by_name") != std::string::npos, plan.c_str());
        }
        // More distinct names than the walk takes: read from the summaries, the same answers.
        spans.clear();
        for (int t = 200; t < 1300; ++t) {
            Span s = span(t, 1, -1, t, t + 5);
            s.name = "tool run " + std::to_string(t);
            spans.push_back(s);
        }
        db.writeBatch(spans);
        check();
        QCOMPARE(listed("tool run 12"), std::size_t(100)); // 1200-1299
    }

    void brokenConnectionRecovers()
    {
        // Last: it stops the server this process shares between tests, then starts it again.
        store::PostgresStore db(conninfo(), inSchema("project_outage"));
        db.writeBatch(std::vector<Span> { span(1, 1, -1, 0, 10) });
        std::string why;
        QVERIFY(db.ready(why));
        test::StoreBackend::server().stop();
        why.clear();
        QVERIFY(!db.ready(why));
        QVERIFY2(!why.empty(), "ready() says why it is not");
        QVERIFY_THROWS_EXCEPTION(store::StoreError, db.writeBatch(std::vector<Span> { span(1, 2, 1, 1, 2) }));
        QVERIFY_THROWS_EXCEPTION(store::StoreError, db.listTraces({}));

        test::StoreBackend::server().start();
        QTRY_VERIFY2_WITH_TIMEOUT(db.ready(why), why.c_str(), 10000);
        // The write that failed is retried by its exporter and lands once; old pooled connections
        // were dropped and new ones opened.
        QCOMPARE(db.writeBatch(std::vector<Span> { span(1, 2, 1, 1, 2) }).inserted, std::size_t(1));
        QCOMPARE(db.spanCount(), std::int64_t(2));
        for (int i = 0; i < 8; ++i)
            QCOMPARE(db.trace(span(1, 1, -1, 0, 0).trace_id)->spans.size(), std::size_t(2));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    try {
        test::StoreBackend::server();
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    int failures = runStoreSuite(argc, argv);
    TestPostgresStore own;
    failures += QTest::qExec(&own, argc, argv);
    return failures;
}

#include "tst_postgresstore.moc"
