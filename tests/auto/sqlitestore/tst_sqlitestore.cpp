// SPDX-License-Identifier: MIT
// The store suite: every TraceStore behaviour, run against SqliteStore (unit sqlitestore) and, built
// with AGENTOPS_TEST_POSTGRES, against PostgresStore on a real PostgreSQL server (unit postgresstore).
// Tests of one backend's own machinery (SQLite files, WAL, migrations) are marked as such.
#include "store/ingestpipeline.h"
#include "store/privatefiles.h"
#include "store/sqlitestore.h"
#include "store/sqlitetraceids.h"
#include "support/storebackend.h"

#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace agentops;
using core::Span;

namespace {

core::TraceId traceId(int n)
{
    core::TraceId id {};
    id[0] = 0xA0;
    id[14] = static_cast<std::uint8_t>(n >> 8);
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

core::SpanId spanId(int n)
{
    core::SpanId id {};
    id[0] = 0x50;
    id[6] = static_cast<std::uint8_t>(n >> 8);
    id[7] = static_cast<std::uint8_t>(n);
    return id;
}

constexpr std::int64_t kBase = 1'764'000'000'000'000'000; // 2025-11-24, ns

Span makeSpan(int trace, int id, int parent, std::int64_t startMs, std::int64_t endMs, std::string name)
{
    Span s;
    s.trace_id = traceId(trace);
    s.span_id = spanId(id);
    if (parent >= 0)
        s.parent_span_id = spanId(parent);
    s.name = std::move(name);
    s.start_ns = kBase + startMs * 1'000'000;
    s.end_ns = kBase + endMs * 1'000'000;
    s.service_name = "planner";
    s.resource = { { "service.name", core::AttrValue::ofString("planner") } };
    return s;
}

Span llmSpan(int trace, int id, int parent, std::int64_t startMs, std::int64_t endMs, const std::string &model,
    std::int64_t in, std::int64_t out)
{
    Span s = makeSpan(trace, id, parent, startMs, endMs, "chat " + model);
    s.kind = core::SpanKind::Llm;
    s.request_model = model;
    s.tokens.input = in;
    s.tokens.output = out;
    s.tokens.total = in + out;
    return s;
}

#ifndef AGENTOPS_TEST_POSTGRES
int countRows(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    int n = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

QString queryText(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    QString out;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        out = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

#endif

} // namespace

class TestTraceStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_seq = 0;
    std::string freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_seq)).toStdString(); }
    test::StoreBackend m_backend;

private Q_SLOTS:
    void roundTripsEveryField()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        Span s = llmSpan(1, 1, -1, 0, 1500, "gpt-4o", 1200, 85);
        s.response_model = "gpt-4o-2024-08-06";
        s.provider = "openai";
        s.agent_name = "travel_planner";
        s.tool_name = "";
        s.otel_kind = 3;
        s.trace_state = "vendor=1";
        s.status = core::StatusCode::Error;
        s.status_message = "rate limited";
        s.scope_name = "openai.instrumentation";
        s.scope_version = "1.2.3";
        s.tokens.cache_read = 1024;
        s.tokens.cache_write = 7;
        s.tokens.reasoning = 40;
        s.cost_usd = 0.0125;
        s.price_ref = "openai/gpt-4o@2025-01-01";
        s.input = R"([{"role":"system","content":"You plan trips."},{"role":"user","content":"Plan a trip to Kyoto"}])";
        s.output = "Here is a plan: \xE2\x9C\x88 ...";
        s.session_id = "sess-1";
        s.user_id = "user-7";
        s.attributes = { { "gen_ai.request.model", core::AttrValue::ofString("gpt-4o") },
            { "gen_ai.usage.input_tokens", core::AttrValue::ofInt(1200) },
            { "gen_ai.input.messages", core::AttrValue::ofString(s.input) },
            { "temperature", core::AttrValue::ofDouble(0.25) }, { "stream", core::AttrValue::ofBool(false) },
            { "gen_ai.response.finish_reasons", core::AttrValue::ofJson(R"(["stop"])") } };
        core::SpanEvent ev;
        ev.time_ns = s.start_ns + 5;
        ev.name = "exception";
        ev.attributes = { { "exception.type", core::AttrValue::ofString("RateLimitError") },
            { "exception.stacktrace", core::AttrValue::ofString("Traceback...\n  line 1") } };
        s.events.push_back(ev);
        core::SpanLink link;
        link.trace_id = traceId(9);
        link.span_id = spanId(9);
        link.trace_state = "a=b";
        link.attributes = { { "link.kind", core::AttrValue::ofString("follows") } };
        s.links.push_back(link);
        s.resource = { { "service.name", core::AttrValue::ofString("planner") },
            { "host.name", core::AttrValue::ofString("box") } };
        s.dropped_attributes = 3;
        s.dropped_events = 1;
        s.dropped_links = 2;

        const auto stats = db.writeBatch(std::vector<Span> { s });
        QCOMPARE(stats.inserted, std::size_t(1));
        // The payload is stored once: the attribute that repeats it is a reference.
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM spans WHERE attributes LIKE '%You plan trips%'"), 0LL);
        QCOMPARE(m_backend.text("SELECT payload_refs FROM spans"), std::string("2 i gen_ai.input.messages\n"));
        const auto detail = db.trace(s.trace_id);
        QVERIFY(detail.has_value());
        QCOMPARE(detail->spans.size(), std::size_t(1));
        const Span &back = detail->spans[0];
        QCOMPARE(back.attributes.size(), s.attributes.size());
        for (std::size_t i = 0; i < s.attributes.size(); ++i) {
            QCOMPARE(back.attributes[i].key, s.attributes[i].key);
            QCOMPARE(back.attributes[i].value.asText(), s.attributes[i].value.asText());
            QVERIFY(back.attributes[i].value.type == s.attributes[i].value.type);
        }
        QVERIFY(back.events == s.events);
        QVERIFY(back.links == s.links);
        QVERIFY(back.resource == s.resource);
        QVERIFY(back.tokens == s.tokens);
        QVERIFY(back == s);
        QCOMPARE(detail->depth[0], 0);
        QCOMPARE(detail->orphan[0], false);
        QCOMPARE(detail->summary.error_count, std::int64_t(1));
        QCOMPARE(detail->summary.cost_usd, 0.0125);
        QCOMPARE(detail->summary.unpriced_spans, std::int64_t(0));
        QCOMPARE(detail->summary.cache_read_tokens, std::int64_t(1024));
        QCOMPARE(detail->summary.reasoning_tokens, std::int64_t(40));
        QCOMPARE(detail->summary.models, std::vector<std::string> { "gpt-4o-2024-08-06" });
        QVERIFY(!db.trace(traceId(2)).has_value());
    }

    void narrowTraceAndSpanOnDemand()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        Span root = makeSpan(8, 1, -1, 0, 100, "agent");
        Span llm = llmSpan(8, 2, 1, 10, 60, "gpt-4o", 100, 20);
        llm.input = std::string(300, 'p');
        llm.output = "answer";
        llm.attributes = { { "gen_ai.input.messages", core::AttrValue::ofString(llm.input) },
            { "temperature", core::AttrValue::ofDouble(0.5) } };
        core::SpanEvent ev;
        ev.name = "exception";
        ev.time_ns = llm.start_ns + 1;
        llm.events.push_back(ev);
        db.writeBatch(std::vector<Span> { root, llm });

        const auto narrow = db.trace(traceId(8), store::TraceLoad::Narrow);
        QVERIFY(narrow.has_value());
        QVERIFY(!narrow->complete);
        QCOMPARE(narrow->spans.size(), std::size_t(2));
        const Span &n = narrow->spans[1];
        // What the waterfall draws is there; the details are not.
        QCOMPARE(n.name, llm.name);
        QCOMPARE(n.start_ns, llm.start_ns);
        QCOMPARE(n.request_model, std::string("gpt-4o"));
        QVERIFY(n.tokens == llm.tokens);
        QCOMPARE(narrow->depth, (std::vector<int> { 0, 1 }));
        QVERIFY(n.input.empty() && n.output.empty() && n.attributes.empty() && n.events.empty() && n.resource.empty());

        // The span read on its own is the whole span, as a full read gives it.
        const auto whole = db.span(traceId(8), spanId(2));
        QVERIFY(whole.has_value());
        const auto full = db.trace(traceId(8), store::TraceLoad::Full);
        QVERIFY(full->complete);
        QVERIFY(*whole == full->spans[1]);
        QVERIFY(*whole == llm);
        QVERIFY(!db.span(traceId(8), spanId(99)).has_value());
        // Small traces come back whole when the store chooses.
        QVERIFY(db.trace(traceId(8), store::TraceLoad::Automatic)->complete);
    }

    void slimTraceHoldsWhatIsDrawn()
    {
        // Above kFullTraceLoadLimit spans, TraceLoad::Slim reads one slim record a span, names
        // interned, in the same tree order as a narrow read; each record says what the narrow span says.
        auto opened = m_backend.open();
        auto &db = *opened;
        const int n = static_cast<int>(store::kFullTraceLoadLimit) + 2;
        const auto id = [](int k) {
            core::SpanId s = spanId(k & 0xffff);
            s[5] = static_cast<std::uint8_t>(k >> 16);
            return s;
        };
        std::vector<Span> spans;
        spans.reserve(static_cast<std::size_t>(n));
        for (int k = 0; k < n; ++k) {
            Span s = k % 3 == 1 ? llmSpan(40, 0, 0, k, k + 5, k % 2 ? "gpt-4o" : "claude-sonnet-4", k, 7)
                                : makeSpan(40, 0, 0, k, k + 2 + k % 5, "tool " + std::to_string(k % 10));
            s.span_id = id(k);
            // A tree of agents with tools below them; one span's parent never arrived.
            s.parent_span_id = k == 0 ? core::SpanId {} : k == 777 ? id(n + 5) : id(k % 50 == 0 ? 0 : k - k % 50);
            if (k % 3 == 1) {
                s.response_model = k % 4 == 1 ? "gpt-4o-2024-08-06" : "";
                s.provider = "openai";
                s.cost_usd = k * 1e-6;
                s.tokens.cache_read = k % 7 == 0 ? std::optional<std::int64_t>(3) : std::nullopt;
            } else {
                s.kind = k % 50 == 0 ? core::SpanKind::Agent : core::SpanKind::Tool;
                s.tool_name = k % 50 == 0 ? "" : "tool " + std::to_string(k % 10);
                s.agent_name = "planner";
            }
            if (k % 1000 == 3) {
                s.status = core::StatusCode::Error;
                s.status_message = "failed " + std::to_string(k % 3000);
            }
            s.input = "{\"k\":" + std::to_string(k) + "}";
            spans.push_back(std::move(s));
        }
        // Two batches with another trace between them: its rows must not leak in.
        db.writeBatch(std::span<const Span>(spans).first(static_cast<std::size_t>(n / 2)));
        db.writeBatch(std::vector<Span> { makeSpan(41, 1, -1, 0, 5, "other") });
        db.writeBatch(std::span<const Span>(spans).subspan(static_cast<std::size_t>(n / 2)));

        const auto slim = db.trace(traceId(40), store::TraceLoad::Slim);
        const auto narrow = db.trace(traceId(40), store::TraceLoad::Narrow);
        QVERIFY(slim && narrow);
        QVERIFY(slim->slim());
        QVERIFY(!slim->complete);
        QVERIFY(slim->spans.empty());
        QCOMPARE(slim->spanCount(), std::size_t(n));
        QCOMPARE(slim->depth, narrow->depth);
        QCOMPARE(slim->orphan, narrow->orphan);
        QCOMPARE(std::count(slim->orphan.begin(), slim->orphan.end(), true), 1L);
        QVERIFY2(slim->table.strings.size() < 40, std::to_string(slim->table.strings.size()).c_str());
        for (std::size_t i = 0; i < narrow->spans.size(); ++i) {
            const Span &e = narrow->spans[i];
            const Span got = slim->span(i);
            QVERIFY(got.trace_id == e.trace_id && got.span_id == e.span_id && got.parent_span_id == e.parent_span_id);
            QCOMPARE(got.start_ns, e.start_ns);
            QCOMPARE(got.end_ns, e.end_ns);
            QCOMPARE(got.name, e.name);
            QVERIFY(got.kind == e.kind);
            QVERIFY(got.status == e.status);
            QCOMPARE(got.status_message, e.status_message);
            QCOMPARE(got.service_name, e.service_name);
            QCOMPARE(got.request_model, e.request_model);
            QCOMPARE(got.response_model, e.response_model);
            QCOMPARE(got.provider, e.provider);
            QCOMPARE(got.agent_name, e.agent_name);
            QCOMPARE(got.tool_name, e.tool_name);
            QVERIFY(got.tokens == e.tokens);
            QCOMPARE(got.cost_usd, e.cost_usd);
            QVERIFY(got.input.empty());
        }
        // The written spans come back, and a span's details are read on demand.
        QCOMPARE(slim->span(0).name, std::string("tool 0"));
        QVERIFY(slim->span(1).tokens.input == std::optional<std::int64_t>(1));
        const int at = slim->indexOf(id(4));
        QVERIFY(at > 0);
        QCOMPARE(db.span(traceId(40), slim->spanId(std::size_t(at)))->input, std::string("{\"k\":4}"));
        // Small traces come back whole.
        const auto small = db.trace(traceId(41), store::TraceLoad::Slim);
        QVERIFY(small->complete && !small->slim());
        QCOMPARE(small->spans.size(), std::size_t(1));
    }

    void bigTraceReadByRowRange()
    {
        // Big traces are read in two halves; when their rows lie together, by rowid range. Another
        // trace's rows inside that range must not leak in.
        auto opened = m_backend.open();
        auto &db = *opened;
        auto part = [](int from, int to) {
            std::vector<Span> spans;
            for (int k = from; k < to; ++k)
                spans.push_back(makeSpan(30, k + 1, k == 0 ? -1 : 1, k, k + 2, "s" + std::to_string(k)));
            return spans;
        };
        db.writeBatch(part(0, 30000));
        std::vector<Span> other;
        other.reserve(500);
        for (int k = 0; k < 500; ++k)
            other.push_back(makeSpan(31, k + 1, k == 0 ? -1 : 1, k, k + 1, "other"));
        db.writeBatch(other);
        db.writeBatch(part(30000, 60000));

        for (auto load : { store::TraceLoad::Full, store::TraceLoad::Narrow }) {
            const auto t = db.trace(traceId(30), load);
            QVERIFY(t.has_value());
            QCOMPARE(t->spans.size(), std::size_t(60000));
            std::set<core::SpanId> ids;
            for (const auto &s : t->spans) {
                QVERIFY(s.trace_id == traceId(30));
                ids.insert(s.span_id);
            }
            QCOMPARE(ids.size(), std::size_t(60000));
            QCOMPARE(t->spans.front().name, std::string("s0"));
            QCOMPARE(t->depth[1], 1);
        }
        QCOMPARE(db.trace(traceId(31))->spans.size(), std::size_t(500));
    }

    void retriedBatchChangesNothing()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        std::vector<Span> batch { makeSpan(1, 1, -1, 0, 100, "agent"), llmSpan(1, 2, 1, 10, 60, "gpt-4o", 100, 20),
            llmSpan(1, 3, 1, 60, 90, "claude-sonnet-4", 50, 5) };
        batch[2].status = core::StatusCode::Error;
        auto first = db.writeBatch(batch);
        QCOMPARE(first.inserted, std::size_t(3));
        const auto before = db.trace(traceId(1))->summary;
        auto second = db.writeBatch(batch);
        QCOMPARE(second.inserted, std::size_t(0));
        QCOMPARE(second.duplicates, std::size_t(3));
        // A retry mixed with one new span counts only the new one.
        auto mixed = batch;
        mixed.push_back(llmSpan(1, 4, 1, 91, 95, "gpt-4o", 7, 3));
        auto third = db.writeBatch(mixed);
        QCOMPARE(third.inserted, std::size_t(1));
        QCOMPARE(third.duplicates, std::size_t(3));

        const auto after = db.trace(traceId(1))->summary;
        QCOMPARE(before.span_count, std::int64_t(3));
        QCOMPARE(before.error_count, std::int64_t(1));
        QCOMPARE(before.input_tokens, std::int64_t(150));
        QCOMPARE(after.span_count, std::int64_t(4));
        QCOMPARE(after.error_count, std::int64_t(1));
        QCOMPARE(after.input_tokens, std::int64_t(157));
        QCOMPARE(after.output_tokens, std::int64_t(28));
        QCOMPARE(after.total_tokens, std::int64_t(185));
        QCOMPARE(after.models, (std::vector<std::string> { "claude-sonnet-4", "gpt-4o" }));
        QCOMPARE(db.spanCount(), std::int64_t(4));
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM traces"), 1LL);
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM trace_models"), 2LL);

        // One span twice in one batch, of a trace never seen and of a known one (a retry that met its
        // original in one group commit): stored and counted once.
        std::vector<Span> twice { llmSpan(2, 1, -1, 0, 50, "gpt-4o", 10, 1), llmSpan(2, 1, -1, 0, 50, "gpt-4o", 10, 1),
            llmSpan(1, 5, 1, 96, 99, "gpt-4o", 1, 1), llmSpan(1, 5, 1, 96, 99, "gpt-4o", 1, 1) };
        const auto fourth = db.writeBatch(twice);
        QCOMPARE(fourth.inserted, std::size_t(2));
        QCOMPARE(fourth.duplicates, std::size_t(2));
        const auto fresh = db.trace(traceId(2))->summary;
        QCOMPARE(fresh.span_count, std::int64_t(1));
        QCOMPARE(fresh.input_tokens, std::int64_t(10));
        QCOMPARE(db.trace(traceId(1))->summary.span_count, std::int64_t(5));
        QCOMPARE(db.trace(traceId(1))->summary.input_tokens, std::int64_t(158));
    }

    // Erasure deletes the resources that only the erased spans used (a resource may name the user).
    // The producer's next spans carry the same resource: it is stored again, not pointed at the
    // deleted row.
    void resourceOfErasedTracesIsStoredAgain()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        const core::Attributes resource = { { "service.name", core::AttrValue::ofString("concierge") },
            { "host.name", core::AttrValue::ofString("ana-laptop") } };
        Span first = makeSpan(1, 1, -1, 0, 10, "plan");
        first.user_id = "ana@example.com";
        first.resource = resource;
        QCOMPARE(db.writeBatch(std::vector<Span> { first }).inserted, std::size_t(1));
        store::TraceSelection ana;
        ana.by = store::TraceSelection::By::User;
        ana.id = "ana@example.com";
        QCOMPARE(db.erase(ana).traces, std::size_t(1));
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM resources"), 0LL);

        Span next = makeSpan(2, 1, -1, 20, 30, "plan");
        next.resource = resource;
        QCOMPARE(db.writeBatch(std::vector<Span> { next }).inserted, std::size_t(1));
        const auto detail = db.trace(next.trace_id);
        QVERIFY(detail.has_value());
        QCOMPARE(detail->spans.size(), std::size_t(1));
        QVERIFY(detail->spans[0].resource == resource);
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM resources"), 1LL);
    }

    void childrenBeforeParentsAcrossRequests()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        // Exporters flush children as they end, before their parents.
        Span tool = makeSpan(5, 3, 2, 40, 70, "execute_tool get_weather");
        tool.kind = core::SpanKind::Tool;
        tool.status = core::StatusCode::Error;
        Span llm = llmSpan(5, 2, 1, 20, 80, "gpt-4o", 300, 40);
        llm.session_id = "s-5";
        db.writeBatch(std::vector<Span> { tool });
        auto partial = db.trace(traceId(5))->summary;
        QCOMPARE(partial.name, std::string("execute_tool get_weather")); // earliest span until the root comes
        QVERIFY(partial.root_span_id.empty());
        db.writeBatch(std::vector<Span> { llm });
        partial = db.trace(traceId(5))->summary;
        QCOMPARE(partial.name, std::string("chat gpt-4o")); // now the earliest
        QCOMPARE(partial.session_id, std::string("s-5"));

        Span root = makeSpan(5, 1, -1, 0, 120, "invoke_agent travel_planner");
        root.service_name = "agent-service";
        root.user_id = "u-1";
        db.writeBatch(std::vector<Span> { root });
        // A late span earlier than all the others must not take the name from the root.
        Span early = makeSpan(5, 4, 1, -5, 2, "warmup");
        early.service_name = "other";
        db.writeBatch(std::vector<Span> { early });

        const auto t = db.trace(traceId(5));
        QCOMPARE(t->summary.name, std::string("invoke_agent travel_planner"));
        QCOMPARE(t->summary.service_name, std::string("agent-service"));
        QCOMPARE(t->summary.root_span_id, core::toHex(spanId(1)));
        QCOMPARE(t->summary.span_count, std::int64_t(4));
        QCOMPARE(t->summary.error_count, std::int64_t(1));
        QCOMPARE(t->summary.start_ns, kBase - 5'000'000);
        QCOMPARE(t->summary.end_ns, kBase + 120'000'000);
        QCOMPARE(t->summary.durationNs(), std::int64_t(125'000'000));
        QCOMPARE(t->summary.session_id, std::string("s-5"));
        QCOMPARE(t->summary.user_id, std::string("u-1"));
        QCOMPARE(t->summary.input_tokens, std::int64_t(300));
        QCOMPARE(t->summary.unpriced_spans, std::int64_t(1));

        // Tree order: root, then its children by start time, depth first.
        std::vector<std::string> names;
        for (const auto &s : t->spans)
            names.push_back(s.name);
        QCOMPARE(names,
            (std::vector<std::string> {
                "invoke_agent travel_planner", "warmup", "chat gpt-4o", "execute_tool get_weather" }));
        QCOMPARE(t->depth, (std::vector<int> { 0, 1, 1, 2 }));
        QCOMPARE(t->orphan, (std::vector<bool> { false, false, false, false }));
    }

    void orphansAndCyclesAreKept()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        std::vector<Span> spans { makeSpan(7, 1, -1, 0, 100, "root"), makeSpan(7, 2, 99, 10, 20, "lost child"),
            makeSpan(7, 3, 2, 12, 18, "grandchild"),
            // a parent cycle (bad producer): neither is reachable from a root
            makeSpan(7, 4, 5, 30, 40, "cycle a"), makeSpan(7, 5, 4, 31, 41, "cycle b"),
            makeSpan(7, 6, 6, 50, 60, "own parent") };
        db.writeBatch(spans);
        const auto t = db.trace(traceId(7));
        QCOMPARE(t->spans.size(), std::size_t(6));
        std::map<std::string, std::pair<int, bool>> pos;
        for (std::size_t i = 0; i < t->spans.size(); ++i)
            pos[t->spans[i].name] = { t->depth[i], t->orphan[i] };
        QCOMPARE(pos["root"], std::make_pair(0, false));
        QCOMPARE(pos["lost child"], std::make_pair(0, true));
        QCOMPARE(pos["grandchild"], std::make_pair(1, false));
        QCOMPARE(pos["own parent"], std::make_pair(0, true));
        QVERIFY(pos["cycle a"].second || pos["cycle b"].second);
        QCOMPARE(t->summary.name, std::string("root"));
    }

    void listFiltersSortsAndPages()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        std::vector<Span> spans;
        for (int i = 0; i < 30; ++i) {
            // Start times repeat in pairs so paging must break ties by row id.
            Span root = makeSpan(100 + i, 1, -1, std::int64_t { i / 2 } * 1000,
                std::int64_t { i / 2 } * 1000 + std::int64_t { 10 } * (i + 1), "run " + std::to_string(i));
            root.service_name = i % 3 == 0 ? "alpha" : "beta";
            root.session_id = "session-" + std::to_string(i % 4);
            if (i % 5 == 0)
                root.status = core::StatusCode::Error;
            spans.push_back(root);
            spans.push_back(llmSpan(
                100 + i, 2, 1, (i / 2) * 1000 + 1, (i / 2) * 1000 + 5, i % 2 ? "gpt-4o" : "gemini-2.5-pro", i, 1));
        }
        db.writeBatch(spans);

        store::TraceQuery q;
        q.limit = 1000;
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(30));
        q.service = "alpha";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(10));
        q = {};
        q.errors_only = true;
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(6));
        q = {};
        q.model = "gpt-4o";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(15));
        q = {};
        q.name_contains = "RUN 1"; // case-insensitive: run 1, run 10..19
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(11));
        q = {};
        q.name_contains = "%";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(0)); // LIKE wildcards are literal
        q = {};
        q.session_id = "session-1";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(8));
        q = {};
        q.min_duration_ns = 200'000'000;
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(11)); // 10*(i+1) ms >= 200 -> i >= 19
        q = {};
        q.from_ns = kBase + 5000 * 1'000'000LL;
        q.to_ns = kBase + 7000 * 1'000'000LL;
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(4));

        for (auto sort : { store::TraceSort::StartTime, store::TraceSort::Duration, store::TraceSort::Tokens,
                 store::TraceSort::SpanCount, store::TraceSort::Cost, store::TraceSort::ErrorCount }) {
            for (bool desc : { true, false }) {
                store::TraceQuery pq;
                pq.sort = sort;
                pq.descending = desc;
                pq.limit = 7;
                std::vector<std::string> seen;
                std::vector<core::TraceSummary> all;
                for (int page = 0; page < 10; ++page) {
                    auto p = db.listTraces(pq);
                    for (auto &t : p.traces) {
                        seen.push_back(core::toHex(t.trace_id));
                        all.push_back(t);
                    }
                    if (p.next_cursor.empty())
                        break;
                    pq.cursor = p.next_cursor;
                }
                QCOMPARE(seen.size(), std::size_t(30));
                std::sort(seen.begin(), seen.end());
                QVERIFY(std::unique(seen.begin(), seen.end()) == seen.end());
                for (std::size_t i = 1; i < all.size(); ++i) {
                    auto key = [&](const core::TraceSummary &t) -> double {
                        switch (sort) {
                        case store::TraceSort::StartTime: return double(t.start_ns);
                        case store::TraceSort::Duration: return double(t.durationNs());
                        case store::TraceSort::Tokens: return double(t.total_tokens);
                        case store::TraceSort::SpanCount: return double(t.span_count);
                        case store::TraceSort::Cost: return t.cost_usd;
                        case store::TraceSort::ErrorCount: return double(t.error_count);
                        }
                        return 0;
                    };
                    if (desc)
                        QVERIFY(key(all[i - 1]) >= key(all[i]));
                    else
                        QVERIFY(key(all[i - 1]) <= key(all[i]));
                }
            }
        }

        store::TraceQuery byStart;
        byStart.limit = 5;
        const auto cursor = db.listTraces(byStart).next_cursor;
        store::TraceQuery byDuration;
        byDuration.sort = store::TraceSort::Duration;
        byDuration.cursor = cursor;
        QVERIFY_THROWS_EXCEPTION(store::QueryError, db.listTraces(byDuration));
        byDuration.cursor = "not-a-cursor!";
        QVERIFY_THROWS_EXCEPTION(store::QueryError, db.listTraces(byDuration));
        byDuration.cursor.clear();
        byDuration.limit = 0;
        QVERIFY_THROWS_EXCEPTION(store::QueryError, db.listTraces(byDuration));
    }

    void sessions()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        std::vector<Span> spans;
        for (int i = 0; i < 9; ++i) {
            Span root = makeSpan(
                200 + i, 1, -1, std::int64_t { i } * 100, std::int64_t { i } * 100 + 50, "turn " + std::to_string(i));
            root.session_id = "chat-" + std::to_string(i % 3);
            root.user_id = i % 3 == 2 ? "bob" : "alice";
            if (i == 4)
                root.status = core::StatusCode::Error;
            spans.push_back(root);
        }
        spans.push_back(makeSpan(300, 1, -1, 5000, 5001, "no session"));
        db.writeBatch(spans);

        store::SessionQuery q;
        auto page = db.listSessions(q);
        QCOMPARE(page.sessions.size(), std::size_t(3));
        QCOMPARE(page.sessions[0].session_id, std::string("chat-2")); // last active first (turn 8)
        QCOMPARE(page.sessions[0].trace_count, std::int64_t(3));
        QCOMPARE(page.sessions[0].user_id, std::string("bob"));
        QCOMPARE(page.sessions[1].session_id, std::string("chat-1"));
        QCOMPARE(page.sessions[1].error_count, std::int64_t(1));
        QCOMPARE(page.sessions[2].first_start_ns, kBase);
        QCOMPARE(page.sessions[2].last_end_ns, kBase + 650'000'000);

        q.limit = 2;
        page = db.listSessions(q);
        QCOMPARE(page.sessions.size(), std::size_t(2));
        QVERIFY(!page.next_cursor.empty());
        q.cursor = page.next_cursor;
        page = db.listSessions(q);
        QCOMPARE(page.sessions.size(), std::size_t(1));
        QCOMPARE(page.sessions[0].session_id, std::string("chat-0"));
        QVERIFY(page.next_cursor.empty());

        store::SessionQuery byUser;
        byUser.user_id = "bob";
        QCOMPARE(db.listSessions(byUser).sessions.size(), std::size_t(1));

        const auto traces = db.sessionTraces("chat-1");
        QCOMPARE(traces.size(), std::size_t(3));
        QCOMPARE(traces[0].name, std::string("turn 1"));
        QCOMPARE(traces[2].name, std::string("turn 7"));
        QVERIFY(db.sessionTraces("nope").empty());
    }

#ifndef AGENTOPS_TEST_POSTGRES
    // SQLite only: its migrations, its file, a process killed while holding it.

    /// Summary rows a trace id has in the file (the writer keeps it at one: schema 11 has no unique
    /// constraint on trace ids).
    static int summaryRows(const std::string &path, int trace)
    {
        sqlite3 *raw = nullptr;
        sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        sqlite3_stmt *st = nullptr;
        sqlite3_prepare_v2(raw, "SELECT count(*) FROM traces NOT INDEXED WHERE trace_id = ?1", -1, &st, nullptr);
        const core::TraceId id = traceId(trace);
        sqlite3_bind_blob(st, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
        const int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
        sqlite3_finalize(st);
        sqlite3_close(raw);
        return n;
    }

    // Trace ids are indexed per stretch of 4,096 traces in arrival order (schema 11). A span that
    // comes for a trace stored three stretches earlier, after a restart (the writer remembers no
    // trace), joins that trace's summary rather than starting a second one.
    void aLateSpanFindsItsTraceStretchesAgoAfterARestart()
    {
        const std::string path = freshPath();
        {
            store::SqliteStore db(path);
            db.writeBatch(std::vector<Span> {
                makeSpan(1, 1, -1, 0, 100, "early root"), makeSpan(1, 2, 1, 10, 20, "early child") });
            std::vector<Span> others;
            for (int t = 2; t < 2 + 3 * 4096; ++t)
                others.push_back(makeSpan(t, 1, -1, t, t + 5, "other"));
            db.writeBatch(others);
        }
        {
            store::SqliteStore db(path);
            db.writeBatch(std::vector<Span> { makeSpan(1, 3, 1, 30, 250, "late child") });
            const auto t = db.trace(traceId(1));
            QVERIFY(t);
            QCOMPARE(t->spans.size(), std::size_t(3));
            QCOMPARE(t->summary.span_count, std::int64_t(3));
            QCOMPARE(t->summary.name, std::string("early root"));
            QCOMPARE(t->summary.end_ns, kBase + std::int64_t(250) * 1'000'000);
            // A late span of a trace of the middle stretch too, and of the newest.
            db.writeBatch(std::vector<Span> {
                makeSpan(5000, 2, 1, 5000, 5001, "late"), makeSpan(12000, 2, 1, 12000, 12001, "late") });
            QCOMPARE(db.trace(traceId(5000))->summary.span_count, std::int64_t(2));
            QCOMPARE(db.trace(traceId(12000))->summary.span_count, std::int64_t(2));
            QCOMPARE(db.spanCount(), std::int64_t(3 + 3 * 4096 + 2));
        }
        for (int trace : { 1, 2, 5000, 12000, 3 * 4096 + 1 })
            QCOMPARE(summaryRows(path, trace), 1);
    }

    // Two stores over one file (two processes, say) each keep a filter of the trace ids stored:
    // one learns of the other's traces from the file, so a trace continued by the other writer
    // still has one summary.
    void twoWritersOverOneFileKeepOneSummaryATrace()
    {
        const std::string path = freshPath();
        store::SqliteStore a(path);
        store::SqliteStore b(path);
        a.writeBatch(std::vector<Span> { makeSpan(7, 1, -1, 0, 10, "root of 7") });
        b.writeBatch(std::vector<Span> { makeSpan(7, 2, 1, 1, 5, "child of 7 by b") });
        b.writeBatch(std::vector<Span> { makeSpan(8, 1, -1, 0, 10, "root of 8") });
        a.writeBatch(std::vector<Span> { makeSpan(8, 2, 1, 1, 5, "child of 8 by a") });
        a.writeBatch(std::vector<Span> { makeSpan(7, 3, 1, 2, 6, "child of 7 by a") });
        QCOMPARE(a.trace(traceId(7))->summary.span_count, std::int64_t(3));
        QCOMPARE(b.trace(traceId(8))->summary.span_count, std::int64_t(2));
        QCOMPARE(summaryRows(path, 7), 1);
        QCOMPARE(summaryRows(path, 8), 1);
    }

    // The writer's filter of stored trace ids never says "no" to an id the file holds, also past
    // its capacity (where it is made again, larger, from the file), and says "maybe" to few others.
    void theTraceIdFilterKnowsEveryStoredId()
    {
        const std::string path = freshPath();
        {
            store::SqliteStore db(path); // the schema
        }
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        sqlite3_stmt *insert = nullptr;
        QCOMPARE(sqlite3_prepare_v2(
                     raw, "INSERT INTO traces(trace_id, start_ns, end_ns) VALUES(?1, 0, 0)", -1, &insert, nullptr),
            SQLITE_OK);
        std::mt19937_64 rng(7);
        auto randomId = [&rng] {
            core::TraceId id;
            for (std::size_t i = 0; i < id.size(); i += 8) {
                const std::uint64_t v = rng();
                std::memcpy(id.data() + i, &v, 8);
            }
            return id;
        };
        std::vector<core::TraceId> stored;
        auto store = [&](const core::TraceId &id) {
            sqlite3_bind_blob(insert, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
            QCOMPARE(sqlite3_step(insert), SQLITE_DONE);
            sqlite3_reset(insert);
            stored.push_back(id);
        };
        sqlite3_exec(raw, "BEGIN", nullptr, nullptr, nullptr);
        for (int i = 0; i < 20'000; ++i) {
            core::TraceId id = randomId();
            std::memset(id.data(), 0, 8); // ids widened from 8 bytes, as some producers send them
            store(id);
        }
        store::sqlite::TraceIdFilter filter;
        QVERIFY(!filter.ready());
        filter.build(raw);
        QVERIFY(filter.ready());
        const std::size_t before = filter.bytes();
        for (int i = 0; i < 150'000; ++i) { // past the capacity made for 20,000 (at least 65,536)
            const core::TraceId id = randomId();
            store(id);
            filter.add(id, raw);
        }
        sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
        QVERIFY(filter.bytes() > before);
        for (const auto &id : stored)
            QVERIFY(filter.mayContain(id));
        int maybe = 0;
        for (int i = 0; i < 100'000; ++i)
            maybe += filter.mayContain(randomId());
        qInfo("%d of 100,000 ids never stored were a \"maybe\" (%zu bytes for %zu ids)", maybe, filter.bytes(),
            stored.size());
        QVERIFY2(maybe < 100, qPrintable(QString::number(maybe))); // ~1 in 2,000 at capacity; fewer below
        sqlite3_finalize(insert);
        sqlite3_close(raw);
    }

    // A trace that retention deleted starts again from its late span, as one new summary.
    void aLateSpanAfterRetentionStartsItsTraceAgain()
    {
        const std::string path = freshPath();
        store::SqliteStore db(path);
        db.writeBatch(std::vector<Span> { makeSpan(1, 1, -1, 0, 100, "old root"), makeSpan(1, 2, 1, 10, 20, "old") });
        db.writeBatch(std::vector<Span> { makeSpan(2, 1, -1, 60'000, 60'100, "new root") });
        QCOMPARE(db.deleteTracesBefore(kBase + 1'000'000'000, 100), std::size_t(1));
        QVERIFY(!db.trace(traceId(1)));
        db.writeBatch(std::vector<Span> { makeSpan(1, 3, 1, 30, 40, "late") });
        const auto t = db.trace(traceId(1));
        QVERIFY(t);
        QCOMPARE(t->spans.size(), std::size_t(1));
        QCOMPARE(t->summary.span_count, std::int64_t(1));
        QCOMPARE(summaryRows(path, 1), 1);
    }

    // A database of schema 10 (trace ids unique, one index keyed by them alone) moves to the index
    // per stretch: the same traces are found, and late spans join their traces.
    void migratesTraceIdsToTheIndexPerStretch()
    {
        const std::string current = freshPath();
        {
            store::SqliteStore db(current);
            std::vector<Span> spans;
            for (int t = 1; t <= 5000; ++t) {
                spans.push_back(makeSpan(t, 1, -1, t, t + 50, "root " + std::to_string(t)));
                spans.push_back(llmSpan(t, 2, 1, t + 1, t + 40, "gpt-4o", 100 + t, 10));
            }
            db.writeBatch(spans);
        }
        const std::string old = freshPath();
        {
            store::SqliteStore::Options o;
            o.target_version = 10;
            store::SqliteStore db(old, o);
            QCOMPARE(db.schemaVersion(), 10);
        }
        auto indexes = [](const std::string &file) {
            sqlite3 *raw = nullptr;
            sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(
                raw, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'traces'", -1, &st, nullptr);
            std::set<std::string> names;
            while (sqlite3_step(st) == SQLITE_ROW)
                names.insert(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
            sqlite3_finalize(st);
            sqlite3_close(raw);
            return names;
        };
        QVERIFY(indexes(old).count("sqlite_autoindex_traces_1")); // schema 10's unique constraint
        {
            sqlite3 *raw = nullptr;
            QCOMPARE(sqlite3_open(old.c_str(), &raw), SQLITE_OK);
            const std::string copy = "ATTACH '" + current + R"sql(' AS cur;
INSERT INTO resources SELECT * FROM cur.resources;
INSERT INTO spans SELECT * FROM cur.spans;
INSERT INTO traces(id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
        span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
        cost_usd, unpriced_spans, models, session_id, user_id, duration_ns, kinds, agents, priced_spans)
    SELECT id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
        span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
        cost_usd, unpriced_spans, models, session_id, user_id, duration_ns, kinds, agents, priced_spans
    FROM cur.traces;
INSERT INTO trace_models(model, trace_rowid) SELECT model, trace_rowid FROM cur.trace_models;
INSERT INTO span_rollup SELECT * FROM cur.span_rollup;
INSERT INTO error_rollup SELECT * FROM cur.error_rollup;
)sql";
            char *err = nullptr;
            QVERIFY2(sqlite3_exec(raw, copy.c_str(), nullptr, nullptr, &err) == SQLITE_OK, err);
            sqlite3_close(raw);
        }
        {
            store::SqliteStore migrated(old);
            QCOMPARE(migrated.schemaVersion(), store::SqliteStore::latestSchemaVersion());
            store::SqliteStore reference(current);
            for (int t : { 1, 2, 777, 4096, 4097, 5000 }) {
                const auto m = migrated.trace(traceId(t));
                const auto r = reference.trace(traceId(t));
                QVERIFY(m && r);
                QCOMPARE(m->summary.name, r->summary.name);
                QCOMPARE(m->summary.span_count, r->summary.span_count);
                QCOMPARE(m->summary.input_tokens, r->summary.input_tokens);
                QCOMPARE(m->spans.size(), r->spans.size());
            }
            store::TraceQuery q;
            q.limit = 10;
            q.sort = store::TraceSort::Tokens;
            const auto mp = migrated.listTraces(q).traces;
            const auto rp = reference.listTraces(q).traces;
            QCOMPARE(mp.size(), rp.size());
            for (std::size_t i = 0; i < mp.size(); ++i)
                QVERIFY(mp[i].trace_id == rp[i].trace_id);
            // Late spans of migrated traces join them.
            migrated.writeBatch(
                std::vector<Span> { makeSpan(3, 9, 1, 3, 500, "late"), makeSpan(4999, 9, 1, 4999, 5100, "late") });
            QCOMPARE(migrated.trace(traceId(3))->summary.span_count, std::int64_t(3));
            QCOMPARE(migrated.trace(traceId(4999))->summary.end_ns, kBase + std::int64_t(5100) * 1'000'000);
        }
        QCOMPARE(summaryRows(old, 3), 1);
        QCOMPARE(summaryRows(old, 4999), 1);
        const auto after = indexes(old);
        QVERIFY(!after.count("sqlite_autoindex_traces_1"));
        for (const char *name : { "traces_by_trace_id", "traces_by_start", "traces_by_session", "traces_by_service",
                 "traces_list_start", "traces_list_duration", "traces_list_cost", "traces_list_tokens",
                 "traces_list_spans", "traces_list_errors" })
            QVERIFY2(after.count(name), name);
    }

    void migratesFromSchemaVersion1()
    {
        const std::string path = freshPath();
        {
            store::SqliteStore::Options o;
            o.target_version = 1;
            store::SqliteStore old(path, o);
            QCOMPARE(old.schemaVersion(), 1);
        }
        // Rows as version 1 wrote them.
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        const char *sql = R"sql(
INSERT INTO resources(id, hash, attributes) VALUES(1, 42, '{"service.name":"legacy"}');
INSERT INTO spans(trace_id, span_id, parent_span_id, name, kind, otel_kind, start_ns, end_ns, status, service,
                  request_model, response_model, tok_input, tok_output, tok_total, attributes, resource_id)
VALUES (x'0000000000000000000000000000abcd', x'0000000000000001', NULL, 'old root', 1, 0, 1000, 9000, 0, 'legacy',
        NULL, NULL, NULL, NULL, NULL, '{}', 1),
       (x'0000000000000000000000000000abcd', x'0000000000000002', x'0000000000000001', 'old llm', 2, 3, 2000, 5000, 2,
        'legacy', 'gpt-4', 'gpt-4-0613', 10, 2, 12, '{"gen_ai.request.model":"gpt-4"}', 1);
INSERT INTO traces(trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns, span_count,
                   error_count, tok_input, tok_output, tok_total, models)
VALUES (x'0000000000000000000000000000abcd', x'0000000000000001', 'old root', 1, 1000, 'legacy', 1000, 9000, 2, 1,
        10, 2, 12, 'gpt-4-0613');
)sql";
        QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);

        store::SqliteStore current(path);
        QCOMPARE(current.schemaVersion(), store::SqliteStore::latestSchemaVersion());
        store::TraceQuery q;
        q.model = "gpt-4-0613"; // answered from the trace_models index the migration back-filled
        auto page = current.listTraces(q);
        QCOMPARE(page.traces.size(), std::size_t(1));
        QCOMPARE(page.traces[0].name, std::string("old root"));
        q = {};
        q.sort = store::TraceSort::Duration;
        q.min_duration_ns = 8000; // duration column computed by the migration
        QCOMPARE(current.listTraces(q).traces.size(), std::size_t(1));
        core::TraceId id {};
        id[14] = 0xab;
        id[15] = 0xcd;
        auto detail = current.trace(id);
        QVERIFY(detail.has_value());
        QCOMPARE(detail->spans.size(), std::size_t(2));
        QCOMPARE(detail->spans[1].response_model, std::string("gpt-4-0613"));
        QVERIFY(detail->spans[1].status == core::StatusCode::Error);
        QVERIFY(detail->spans[1].agent_name.empty());
        QCOMPARE(detail->spans[0].resource.size(), std::size_t(1));

        // New writes work on the migrated file and join the old trace's summary.
        Span late;
        late.trace_id = id;
        late.span_id = spanId(3);
        late.parent_span_id = detail->spans[0].span_id;
        late.name = "new tool";
        late.kind = core::SpanKind::Tool;
        late.tool_name = "search";
        late.start_ns = 6000;
        late.end_ns = 12000;
        current.writeBatch(std::vector<Span> { late });
        detail = current.trace(id);
        QCOMPARE(detail->summary.span_count, std::int64_t(3));
        QCOMPARE(detail->summary.end_ns, std::int64_t(12000));
        QCOMPARE(detail->spans.back().tool_name, std::string("search"));

        // Spans are unique on their trace's row id since version 5, the old rows included: a retry of
        // a span stored before the migration, or of the one just written, changes nothing.
        Span oldRoot = detail->spans[0];
        const auto again = current.writeBatch(std::vector<Span> { oldRoot, late });
        QCOMPARE(again.inserted, std::size_t(0));
        QCOMPARE(again.duplicates, std::size_t(2));
        QCOMPARE(current.trace(id)->summary.span_count, std::int64_t(3));
        QCOMPARE(countRows(QString::fromStdString(path),
                     "SELECT count(*) FROM sqlite_master WHERE name = 'spans_by_trace' AND sql LIKE '%UNIQUE%'"),
            1);
        QCOMPARE(
            countRows(QString::fromStdString(path), "SELECT count(*) FROM sqlite_master WHERE name = 'spans_by_id'"),
            0);
        QCOMPARE(countRows(QString::fromStdString(path), "SELECT count(*) FROM spans WHERE trace_rowid IS NULL"), 0);
        // Version 6 sorts traces by duration and cost without indexes of their own (the duration
        // query above worked all the same).
        QCOMPARE(countRows(QString::fromStdString(path),
                     "SELECT count(*) FROM sqlite_master WHERE name IN ('traces_by_duration', 'traces_by_cost')"),
            0);
    }

    // The writer remembers the row ids of traces it stored lately (a long run's spans come in many
    // batches). Rows deleted behind its back, by another connection or by retention, must not be
    // written to through that memory: the next spans of such a trace start a new summary.
    void traceRowsDeletedBehindTheWriterAreNotReused()
    {
        const std::string path = freshPath();
        store::SqliteStore db(path);
        auto write = [&](int trace, int id, std::int64_t startMs) {
            QCOMPARE(
                db.writeBatch(std::vector<Span> { makeSpan(trace, id, -1, startMs, startMs + 10, "step") }).inserted,
                std::size_t(1));
        };
        auto check = [&](int trace, std::size_t spans) {
            const auto detail = db.trace(traceId(trace));
            QVERIFY(detail.has_value());
            QCOMPARE(detail->summary.span_count, std::int64_t(spans));
            QCOMPARE(detail->spans.size(), spans);
        };
        // Trace 1 is written first, trace 2 after it, so a new row for trace 1 gets a new row id.
        write(1, 1, 0);
        write(2, 1, 10);
        write(1, 2, 20); // from memory: one summary, two spans
        check(1, 2);

        // Another connection (another process, say) deletes trace 1.
        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open_v2(path.c_str(), &other, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
        sqlite3_busy_timeout(other, 5000);
        const int rc = sqlite3_exec(other,
            "BEGIN IMMEDIATE; DELETE FROM spans WHERE trace_rowid = (SELECT id FROM traces WHERE trace_id = "
            "x'A0000000000000000000000000000001'); DELETE FROM traces WHERE trace_id = "
            "x'A0000000000000000000000000000001'; COMMIT;",
            nullptr, nullptr, nullptr);
        QVERIFY2(rc == SQLITE_OK, sqlite3_errmsg(other));
        sqlite3_close(other);
        QVERIFY(!db.trace(traceId(1)).has_value());
        write(1, 3, 30);
        check(1, 1);

        // Retention on the store itself deletes traces 1 and 2 (started before 5 s); trace 3 stays.
        write(3, 1, 10'000);
        QCOMPARE(db.deleteTracesBefore(kBase + 5'000 * std::int64_t(1'000'000), 100), std::size_t(2));
        QVERIFY(!db.trace(traceId(1)).has_value());
        write(1, 4, 20'000);
        check(1, 1);
        check(3, 1);
    }

    // SQLite's own machinery: checkpoints run off the writer's thread and the WAL stays bounded.
    void walIsCheckpointedInTheBackgroundAndStaysBounded()
    {
        const std::string path = freshPath();
        store::SqliteStore::Options o;
        o.checkpoint.threshold_frames = 8;
        o.checkpoint.restart_frames = 64;
        constexpr int kPage = 16384;
        std::uintmax_t biggestWal = 0;
        {
            store::SqliteStore db(path, o);
            const std::string payload(3000, 'p'); // a few spans fill a page
            std::atomic<bool> done { false };
            std::thread reader([&] { // readers keep working while checkpoints run
                while (!done)
                    db.listTraces(store::TraceQuery {});
            });
            for (int b = 0; b < 60; ++b) {
                std::vector<Span> spans;
                for (int k = 0; k < 20; ++k) {
                    Span s = makeSpan(b, k + 1, k == 0 ? -1 : 1, k, k + 3, "w");
                    s.input = payload;
                    spans.push_back(std::move(s));
                }
                db.writeBatch(spans);
                std::error_code ec;
                biggestWal = std::max<std::uintmax_t>(biggestWal, std::filesystem::file_size(path + "-wal", ec));
            }
            done = true;
            reader.join();
            // Let the background thread catch up, then look at what it did.
            for (int i = 0; i < 200 && db.checkpointCounters().background == 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            const auto c = db.checkpointCounters();
            QVERIFY2(c.background > 0, "no checkpoint ran in the background");
            QVERIFY2(c.by_writer > 0, "the writer never completed a checkpoint at restart_frames");
            QCOMPARE(db.spanCount(), std::int64_t(1200));
            // The database file holds the copied pages while the store is still open.
            QVERIFY(std::filesystem::file_size(path) > std::uintmax_t(100) * kPage);
        }
        // 1200 spans of 3 KB are ~240 pages: without restarts the WAL would hold them all; with them
        // it never holds much more than restart_frames (plus the commit that crossed it).
        QVERIFY2(biggestWal < std::uintmax_t(64 + 40) * (kPage + 24) + 32,
            qPrintable(QStringLiteral("WAL grew to %1 bytes").arg(biggestWal)));
        store::SqliteStore reopened(path);
        QCOMPARE(reopened.spanCount(), std::int64_t(1200));
        QCOMPARE(reopened.trace(traceId(59))->spans.size(), std::size_t(20));
    }

    // A reader that holds one snapshot for long (agentops-server backup copying a large store) once
    // made every commit past restart_frames wait the whole busy timeout for it.
    void aLongReaderDoesNotHoldTheWriterUp()
    {
        const std::string path = freshPath();
        store::SqliteStore::Options o;
        o.checkpoint.threshold_frames = 64;
        o.checkpoint.restart_frames = 64;
        o.busy_timeout_ms = 2000;
        store::SqliteStore db(path, o);
        const std::string payload(3000, 'p');
        auto write = [&](int b) {
            std::vector<Span> spans;
            for (int k = 0; k < 20; ++k) {
                Span s = makeSpan(b, k + 1, k == 0 ? -1 : 1, k, k + 3, "w");
                s.input = payload;
                spans.push_back(std::move(s));
            }
            const auto started = std::chrono::steady_clock::now();
            db.writeBatch(spans);
            return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        };
        write(0);
        // Counted from here: the first commit may complete a checkpoint of the frames the schema's
        // migrations left in the WAL, before any reader.
        const auto before = db.checkpointCounters();
        sqlite3 *reader = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &reader), SQLITE_OK);
        QCOMPARE(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM spans;", nullptr, nullptr, nullptr), SQLITE_OK);
        double total = 0;
        double worst = 0;
        for (int b = 1; b < 40; ++b) { // ~160 pages: well past restart_frames while the reader reads
            const double ms = write(b);
            total += ms;
            worst = std::max(worst, ms);
        }
        const auto during = db.checkpointCounters();
        sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
        sqlite3_close(reader);
        // It tries at most once per threshold_frames (64 pages, ~6 batches here) and waits at most
        // restart_wait_ms (250 ms) each time, never the busy timeout.
        qInfo("39 commits while a reader held its snapshot: %.0f ms in all, the slowest %.0f ms", total, worst);
        QVERIFY2(worst < 1000, qPrintable(QStringLiteral("a commit took %1 ms").arg(worst)));
        QVERIFY2(total < 4000, qPrintable(QStringLiteral("39 commits took %1 ms").arg(total)));
        QCOMPARE(during.by_writer, before.by_writer);
        // With the reader gone, the next commit past the mark starts the WAL over.
        for (int b = 40; b < 50; ++b)
            write(b);
        QVERIFY(db.checkpointCounters().by_writer > before.by_writer);
        QCOMPARE(db.spanCount(), std::int64_t(1000));
    }

    void refusesNewerSchema()
    {
        const std::string path = freshPath();
        {
            store::SqliteStore db(path);
        }
        sqlite3 *db = nullptr;
        sqlite3_open(path.c_str(), &db);
        sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        try {
            store::SqliteStore again(path);
            QFAIL("a newer schema must be refused");
        } catch (const store::StoreError &e) {
            QVERIFY2(std::string(e.what()).find("newer") != std::string::npos, e.what());
        }
    }

    void refusesFileThatIsNotADatabase()
    {
        const std::string path = freshPath();
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        QVERIFY_THROWS_EXCEPTION(store::StoreError, store::SqliteStore { path });
        // Nothing was overwritten.
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray(8192, 'x'));
    }

    void acknowledgedSpansSurviveAKill()
    {
        const std::string path = freshPath();
        int ackPipe[2];
        QCOMPARE(pipe(ackPipe), 0);
        const pid_t child = fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            // The child ingests forever and reports each acknowledged request; it is killed mid-write.
            close(ackPipe[0]);
            store::SqliteStore db(path);
            store::IngestPipeline pipeline(db);
            for (int batch = 0;; ++batch) {
                std::vector<Span> spans;
                for (int k = 0; k < 200; ++k) {
                    const int n = batch * 200 + k;
                    spans.push_back(
                        llmSpan(1000 + n / 50, n % 50 + 1, n % 50 == 0 ? -1 : 1, n, n + 10, "gpt-4o", 3, 1));
                }
                if (pipeline.submit(spans).outcome != store::IngestPipeline::Outcome::Committed)
                    _exit(3);
                const int acked = batch + 1;
                if (write(ackPipe[1], &acked, sizeof acked) != sizeof acked)
                    _exit(4);
            }
        }
        close(ackPipe[1]);
        int acked = 0;
        while (acked < 25) {
            int v = 0;
            QCOMPARE(read(ackPipe[0], &v, sizeof v), ssize_t(sizeof v));
            acked = v;
        }
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        QVERIFY(WIFSIGNALED(status));
        // Acknowledgements the child sent before it died may still sit in the pipe.
        int v = 0;
        while (read(ackPipe[0], &v, sizeof v) == ssize_t(sizeof v))
            acked = v;
        close(ackPipe[0]);

        store::SqliteStore db(path);
        const auto stored = db.spanCount();
        QVERIFY2(stored >= std::int64_t { acked } * 200,
            qPrintable(QStringLiteral("stored %1 < acknowledged %2").arg(stored).arg(acked * 200)));
        // Summaries are committed with their spans: they agree with the span table after a kill.
        const QString p = QString::fromStdString(path);
        QCOMPARE(countRows(p, "SELECT sum(span_count) FROM traces"), static_cast<int>(stored));
        QCOMPARE(countRows(p,
                     "SELECT count(*) FROM traces t WHERE span_count <> (SELECT count(*) FROM spans s WHERE "
                     "s.trace_id = t.trace_id)"),
            0);
        QCOMPARE(queryText(p, "PRAGMA integrity_check"), QStringLiteral("ok"));
    }

#endif

    void pipelineGroupsConcurrentRequests()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        store::IngestPipeline pipeline(db);
        constexpr int kThreads = 8;
        constexpr int kRequests = 40;
        std::vector<std::thread> threads;
        std::atomic<int> committed { 0 };
        threads.reserve(kThreads);
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int r = 0; r < kRequests; ++r) {
                    std::vector<Span> spans;
                    const int trace = t * 1000 + r;
                    spans.reserve(20);
                    for (int k = 0; k < 20; ++k)
                        spans.push_back(makeSpan(trace, k + 1, k == 0 ? -1 : 1, k, k + 5, "s"));
                    if (pipeline.submit(spans).outcome == store::IngestPipeline::Outcome::Committed)
                        ++committed;
                }
            });
        }
        for (auto &th : threads)
            th.join();
        QCOMPARE(committed.load(), kThreads * kRequests);
        const auto c = pipeline.counters();
        QCOMPARE(c.committed_spans, std::uint64_t(kThreads * kRequests * 20));
        QVERIFY2(c.commits < std::uint64_t(kThreads * kRequests),
            qPrintable(
                QStringLiteral("%1 commits for %2 requests: no grouping").arg(c.commits).arg(kThreads * kRequests)));
        QCOMPARE(db.spanCount(), std::int64_t(kThreads * kRequests * 20));
    }

#ifndef AGENTOPS_TEST_POSTGRES

    void filesAreTheOwnersAlone()
    {
        // Prompts and completions live here: whatever the umask, no one but the owner reads them.
        const mode_t old = ::umask(022);
        // Restored however the test ends.
        const std::unique_ptr<const mode_t, void (*)(const mode_t *)> restore(
            &old, [](const mode_t *m) { ::umask(*m); });
        const std::string dir = m_dir.filePath(QStringLiteral("private/a/b")).toStdString();
        store::createPrivateDirectories(dir);
        const std::string path = dir + "/traces.db";
        {
            store::SqliteStore db(path);
            core::Span s;
            s.trace_id[0] = 1;
            s.span_id[0] = 1;
            s.name = "x";
            db.writeBatch(std::vector<core::Span> { s });
            for (const std::string &file : { path, path + "-wal", path + "-shm" }) {
                struct stat st
                {
                };
                QVERIFY2(::stat(file.c_str(), &st) == 0, file.c_str());
                QCOMPARE(st.st_mode & 0777, mode_t(0600));
            }
        }
        for (const char *d : { "private", "private/a", "private/a/b" }) {
            struct stat st
            {
            };
            QVERIFY(::stat(m_dir.filePath(QString::fromLatin1(d)).toLocal8Bit().constData(), &st) == 0);
            QCOMPARE(st.st_mode & 0777, mode_t(0700));
        }
        // A file that is there keeps the mode its owner gave it.
        const std::string shared = m_dir.filePath(QStringLiteral("shared.db")).toStdString();
        QVERIFY(::close(::open(shared.c_str(), O_CREAT | O_WRONLY, 0640)) == 0);
        ::chmod(shared.c_str(), 0640);
        {
            store::SqliteStore db(shared);
        }
        struct stat st
        {
        };
        QVERIFY(::stat(shared.c_str(), &st) == 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0640));
        // Something in the way is reported, not ignored.
        QVERIFY_THROWS_EXCEPTION(store::StoreError, store::createPrivateDirectories(shared + "/sub"));
    }

    void pipelineRefusesWhenFullAndDrainsOnStop()
    {
        const std::string path = freshPath();
        store::SqliteStore::Options o;
        o.busy_timeout_ms = 20000;
        store::SqliteStore db(path, o);
        // Hold the write lock from another connection so the writer thread stalls on its commit.
        sqlite3 *blocker = nullptr;
        sqlite3_open(path.c_str(), &blocker);
        QCOMPARE(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

        store::IngestPipeline::Options po;
        po.max_queued_spans = 50;
        store::IngestPipeline pipeline(db, po);
        std::vector<std::thread> waiting;
        std::atomic<int> committed { 0 };
        waiting.reserve(2);
        for (int r = 0; r < 2; ++r) {
            waiting.emplace_back([&, r] {
                std::vector<Span> spans;
                spans.reserve(20);
                for (int k = 0; k < 20; ++k)
                    spans.push_back(makeSpan(500 + r, k + 1, k == 0 ? -1 : 1, k, k + 1, "queued"));
                if (pipeline.submit(spans).outcome == store::IngestPipeline::Outcome::Committed)
                    ++committed;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(pipeline.queuedSpans(), std::size_t(40), 5000);
        std::vector<Span> tooMany;
        tooMany.reserve(20);
        for (int k = 0; k < 20; ++k)
            tooMany.push_back(makeSpan(600, k + 1, -1, k, k + 1, "refused"));
        QVERIFY(pipeline.submit(tooMany).outcome == store::IngestPipeline::Outcome::QueueFull);
        QCOMPARE(pipeline.counters().rejected_queue_full, std::uint64_t(1));

        sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(blocker);
        for (auto &t : waiting)
            t.join();
        pipeline.stop();
        QCOMPARE(committed.load(), 2);
        QCOMPARE(db.spanCount(), std::int64_t(40));
        QVERIFY(!db.trace(traceId(600)).has_value());
        std::vector<Span> afterStop { makeSpan(700, 1, -1, 0, 1, "late") };
        QVERIFY(pipeline.submit(afterStop).outcome == store::IngestPipeline::Outcome::Stopped);
    }

#endif

    void readersRunWhileWriting()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        std::atomic<bool> done { false };
        std::atomic<int> reads { 0 };
        std::thread reader([&] {
            while (!done) {
                store::TraceQuery q;
                q.limit = 10;
                auto page = db.listTraces(q);
                for (auto &t : page.traces) {
                    auto d = db.trace(t.trace_id);
                    // A summary is never ahead of or behind its spans: both are in one transaction.
                    if (d && static_cast<std::int64_t>(d->spans.size()) != d->summary.span_count)
                        qFatal("summary and spans disagree");
                }
                ++reads;
            }
        });
        for (int b = 0; b < 50; ++b) {
            std::vector<Span> spans;
            spans.reserve(40);
            for (int k = 0; k < 40; ++k)
                spans.push_back(makeSpan(b, k + 1, k == 0 ? -1 : 1, k, k + 3, "w"));
            db.writeBatch(spans);
        }
        done = true;
        reader.join();
        QVERIFY(reads.load() > 0);
        QCOMPARE(db.spanCount(), std::int64_t(2000));
    }

    /// Alert rules and events (schema 9) keep every field, names stay unique, edits keep the webhook
    /// secret and start the state over, events stay bounded and newest first.
    void alertRulesAndEvents()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        QVERIFY(db.alertRules().empty());
        core::AlertRule r;
        r.name = "checkout errors ✓";
        r.kind = core::AlertKind::CostPerHour;
        r.threshold = 2.5;
        r.window_s = std::int64_t { 45 } * 60;
        r.for_s = 90;
        r.scope = core::AlertScope::Model;
        r.scope_value = "gpt-4o";
        r.webhook_url = "https://hooks.example.com/x?a=1";
        r.webhook_secret = "s3cret-s3cret-s3cret";
        r.enabled = false;
        r.created_ns = 1'764'000'000'123'456'789;
        const auto stored = db.addAlertRule(r);
        QVERIFY(stored.id > 0);
        QVERIFY_THROWS_EXCEPTION(store::QueryError, db.addAlertRule(r));
        auto bad = r;
        bad.name = "other";
        bad.threshold = -1;
        QVERIFY_THROWS_EXCEPTION(store::QueryError, db.addAlertRule(bad));

        core::AlertState st;
        st.status = core::AlertStatus::Firing;
        st.since_ns = 5;
        st.fired_value = 3.25;
        st.evaluated_ns = 7;
        std::vector<core::AlertEvent> events(2);
        for (auto &e : events) {
            e.rule_id = stored.id;
            e.rule_name = r.name;
            e.kind = r.kind;
            e.scope = r.scope;
            e.scope_value = r.scope_value;
            e.at_ns = 5;
            e.threshold = 2.5;
            e.window_s = r.window_s;
        }
        events[0].value = 3.25; // events[1]: no value
        events[1].firing = false;
        db.recordAlertEvaluation({ { stored.id, st }, { stored.id + 1000, st } }, events);
        QVERIFY(events[0].id > 0 && events[1].id > events[0].id);

        auto reopened = m_backend.reopen();
        const auto rules = reopened->alertRules();
        QCOMPARE(rules.size(), 1u);
        const auto &got = rules[0];
        QCOMPARE(got.name, r.name);
        QCOMPARE(got.kind, r.kind);
        QCOMPARE(got.threshold, r.threshold);
        QCOMPARE(got.window_s, r.window_s);
        QCOMPARE(got.for_s, r.for_s);
        QCOMPARE(got.scope, r.scope);
        QCOMPARE(got.scope_value, r.scope_value);
        QCOMPARE(got.webhook_url, r.webhook_url);
        QCOMPARE(got.webhook_secret, r.webhook_secret);
        QCOMPARE(got.enabled, false);
        QCOMPARE(got.created_ns, r.created_ns);
        QCOMPARE(got.state.status, core::AlertStatus::Firing);
        QCOMPARE(got.state.since_ns, 5);
        QCOMPARE(got.state.fired_value, 3.25);
        QVERIFY(!got.state.value);
        QCOMPARE(got.state.evaluated_ns, 7);
        const auto read = reopened->alertEvents(10);
        QCOMPARE(read.size(), 2u);
        QVERIFY(!read[0].firing);
        QVERIFY(!read[0].value);
        QVERIFY(read[1].firing);
        QCOMPARE(*read[1].value, 3.25);
        QCOMPARE(read[1].scope_value, r.scope_value);
        QCOMPARE(read[1].window_s, r.window_s);

        auto edited = got;
        edited.webhook_secret.clear();
        edited.threshold = 4;
        QVERIFY(reopened->updateAlertRule(edited));
        QCOMPARE(reopened->alertRules()[0].webhook_secret, r.webhook_secret);
        QCOMPARE(reopened->alertRules()[0].state.status, core::AlertStatus::Ok);
        edited.webhook_url = "https://elsewhere.example.com/";
        QVERIFY(reopened->updateAlertRule(edited));
        QVERIFY(reopened->alertRules()[0].webhook_secret.empty()); // a new receiver: not the old secret
        edited.id += 1000;
        QVERIFY(!reopened->updateAlertRule(edited));

        std::vector<core::AlertEvent> many(store::TraceStore::kMaxAlertEvents + 5, events[0]);
        reopened->recordAlertEvaluation({}, many);
        const auto bounded = reopened->alertEvents(5000);
        QCOMPARE(bounded.size(), store::TraceStore::kMaxAlertEvents);
        QCOMPARE(bounded.front().id, many.back().id);
        QVERIFY(reopened->removeAlertRule(stored.id));
        QVERIFY(!reopened->removeAlertRule(stored.id));
        QVERIFY(reopened->alertRules().empty());
    }
};

#ifdef AGENTOPS_TEST_POSTGRES
// The postgresstore unit's main (tst_postgresstore.cpp) runs this suite, then its own tests.
int runStoreSuite(int argc, char **argv)
{
    TestTraceStore suite;
    return QTest::qExec(&suite, argc, argv);
}
#else
QTEST_GUILESS_MAIN(TestTraceStore)
#endif
#include "tst_sqlitestore.moc"
