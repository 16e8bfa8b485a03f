// SPDX-License-Identifier: MIT
// Content search: the query language, and searches over the traces real frameworks produced
// (tests/fixtures/frameworks), checked against what the producers reported and against the captured
// spans themselves. The same cases run on real SQLite files (this unit) and on PostgreSQL schemas in
// a server the test starts (the postgressearch unit builds this file with AGENTOPS_TEST_POSTGRES);
// what only SQLite's search index has (its own file, filled behind the writer) is tested here only.
#include "ingest/tracefile.h"
#include "store/searchquery.h"
#include "store/sqlitestore.h"
#include "support/storebackend.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "core/text.h"
#ifdef AGENTOPS_TEST_POSTGRES
#include "store/postgresstore.h"

#include <pqxx/pqxx>
#endif

using namespace agentops;
using nlohmann::json;

namespace {

const char *const kScenarios[]
    = { "adk-js", "vercel-ai", "vercel-ai-openinference", "openai-openinference", "openai-openllmetry" };

json expected(const char *scenario)
{
    QFile f(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/%1.expected.json").arg(QLatin1String(scenario)));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return json::parse(f.readAll().toStdString());
}

std::vector<core::Span> captured(const char *scenario)
{
    std::vector<core::Span> spans;
    const auto result
        = ingest::readTraceFile(std::string(AGENTOPS_FIXTURES_DIR "/frameworks/") + scenario + ".otlp.json", spans);
    if (!result.ok())
        qWarning("%s", result.error.c_str());
    return spans;
}

/// The traces of every page of a search, in the order listed.
std::vector<std::string> pages(store::TraceStore &db, store::TraceQuery query, int limit)
{
    std::vector<std::string> ids;
    query.limit = limit;
    for (;;) {
        const store::TracePage page = db.listTraces(query);
        if (page.hits.size() != page.traces.size())
            return { "hits and traces differ in number" };
        for (std::size_t i = 0; i < page.traces.size(); ++i)
            ids.push_back(core::toHex(page.traces[i].trace_id) + " " + page.hits[i].span_id);
        if (page.next_cursor.empty())
            return ids;
        query.cursor = page.next_cursor;
    }
}

/// Trace ids (hex) of every page of a search.
std::set<std::string> search(store::TraceStore &db, const std::string &q, store::TraceQuery query = {})
{
    std::set<std::string> ids;
    query.text = q;
    query.limit = 2;
    for (;;) {
        const store::TracePage page = db.listTraces(query);
        for (const auto &t : page.traces)
            ids.insert(core::toHex(t.trace_id));
        if (page.next_cursor.empty())
            return ids;
        query.cursor = page.next_cursor;
    }
}

/// Waits until every span stored so far is searchable: both stores index behind the writer.
bool caughtUp(store::TraceStore &db)
{
    if (auto *sqlite = dynamic_cast<store::SqliteStore *>(&db))
        return sqlite->waitForSearchIndex();
#ifdef AGENTOPS_TEST_POSTGRES
    if (auto *pg = dynamic_cast<store::PostgresStore *>(&db))
        return pg->waitForSearchIndex();
#endif
    return false;
}

/// The traces (hex ids) with a span for which pred holds: what a search must find, from the spans.
template<typename Pred>
std::set<std::string> tracesWith(const std::vector<core::Span> &spans, Pred pred)
{
    std::set<std::string> out;
    for (const auto &s : spans)
        if (pred(s))
            out.insert(core::toHex(s.trace_id));
    return out;
}

bool containsNoCase(std::string_view text, std::string_view word)
{
    return core::asciiLower(text).find(core::asciiLower(word)) != std::string::npos;
}

[[maybe_unused]] std::int64_t indexRows(const std::string &indexPath)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(indexPath.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM span_text", -1, &s, nullptr);
    std::int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

} // namespace

class TestSearch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void refuses_data();
    void refuses();
    void frameworkFailuresAreFound();
    void snippetsSayWhereItMatched();
    void combinesWithFiltersAndPages();
    void everyPlanListsTheSamePages();
    void cjkAndIdentifierSubstrings();
    void fieldsPhrasesAndOperators_data();
    void fieldsPhrasesAndOperators();
    void refusedQueriesAreRefusedByTheStore();
    void toolMarkedFailedLaterIsFoundAsFailed();
#ifndef AGENTOPS_TEST_POSTGRES
    void aTraceForgottenAndChangedIsIndexedOnce();
    void backfillDoesNotHoldUpIngest();
    void aDamagedIndexIsMadeAgain();
    void oldDatabaseIsIndexedFromTheStart();
    void retentionTakesTheIndexRowsToo();
#else
    void oldSchemaIsIndexedByTheMigration();
    void withoutPgTrgmSearchStillAnswers();
    void pgLagStaysWithinItsBound();
    void pgNewSpansBeforeTheBackfill();
    void pgDeletionsAndMarkingWhileIndexing();
#endif

private:
    test::StoreBackend m_backend;
};

void TestSearch::parse_data()
{
    QTest::addColumn<QString>("q");
    QTest::addColumn<QString>("match");
    QTest::addColumn<QString>("session");
    QTest::addColumn<QString>("nameOnly");
    QTest::newRow("word") << "weather"
                          << R"("weather")"
                          << ""
                          << "";
    QTest::newRow("implicit and") << "unknown city"
                                  << R"(("unknown" AND "city"))"
                                  << ""
                                  << "";
    QTest::newRow("phrase") << R"("unknown city")"
                            << R"("unknown city")"
                            << ""
                            << "";
    QTest::newRow("fields") << "tool:get_weather status:error"
                            << R"((tool : "get_weather" AND status : "status_error"))"
                            << ""
                            << "";
    QTest::newRow("field phrase") << R"(model:"gpt 4o")"
                                  << R"(model : "gpt 4o")"
                                  << ""
                                  << "";
    QTest::newRow("kind") << "kind:tool"
                          << R"(kind : "kind_tool")"
                          << ""
                          << "";
    QTest::newRow("or") << "Atlantis OR Paris"
                        << R"(("Atlantis" OR "Paris"))"
                        << ""
                        << "";
    QTest::newRow("not") << "forecast NOT Atlantis"
                         << R"(("forecast" NOT "Atlantis"))"
                         << ""
                         << "";
    QTest::newRow("minus") << "forecast -Atlantis"
                           << R"(("forecast" NOT "Atlantis"))"
                           << ""
                           << "";
    QTest::newRow("not first") << "NOT Atlantis forecast"
                               << R"(("forecast" NOT "Atlantis"))"
                               << ""
                               << "";
    QTest::newRow("groups") << "(Paris OR Atlantis) status:error"
                            << R"((("Paris" OR "Atlantis") AND status : "status_error"))"
                            << ""
                            << "";
    QTest::newRow("session only") << "session:abc-1"
                                  << ""
                                  << "abc-1"
                                  << "";
    QTest::newRow("session and text") << "session:abc-1 weather"
                                      << R"("weather")"
                                      << "abc-1"
                                      << "";
    QTest::newRow("plain words, one short: a phrase") << "no such agent"
                                                      << R"("no such agent")"
                                                      << ""
                                                      << "";
    QTest::newRow("cjk words, one short") << "東京 天気予報"
                                          << R"("東京 天気予報")"
                                          << ""
                                          << "";
    QTest::newRow("short name") << "r5"
                                << ""
                                << ""
                                << "r5";
    QTest::newRow("lower-case and is a word") << "rain and snow"
                                              << R"(("rain" AND "and" AND "snow"))"
                                              << ""
                                              << "";
    QTest::newRow("unknown prefix is text") << "http://x.io"
                                            << R"("http://x.io")"
                                            << ""
                                            << "";
    QTest::newRow("blank") << "   "
                           << ""
                           << ""
                           << "";
}

void TestSearch::parse()
{
    QFETCH(QString, q);
    QFETCH(QString, match);
    QFETCH(QString, session);
    QFETCH(QString, nameOnly);
    const auto parsed = store::SearchQuery::parse(q.toStdString());
    QCOMPARE(QString::fromStdString(parsed.match), match);
    QCOMPARE(QString::fromStdString(parsed.session), session);
    QCOMPARE(QString::fromStdString(parsed.nameOnly), nameOnly);
}

void TestSearch::refuses_data()
{
    QTest::addColumn<QString>("q");
    QTest::addColumn<QString>("says");
    QTest::newRow("short term with an operator") << "ab OR weather"
                                                 << "too short";
    QTest::newRow("short field value") << "tool:ab"
                                       << "too short";
    QTest::newRow("not alone") << "NOT weather"
                               << "NOT needs";
    QTest::newRow("only negatives") << "-rain -snow"
                                    << "NOT needs";
    QTest::newRow("open quote") << R"("unknown city)"
                                << "closing quote";
    QTest::newRow("open paren") << "(rain OR snow"
                                << "')'";
    QTest::newRow("stray paren") << "rain)"
                                 << "unexpected ')'";
    QTest::newRow("dangling or") << "rain OR"
                                 << "ends where";
    QTest::newRow("bad status") << "status:failed"
                                << "status:";
    QTest::newRow("bad kind") << "kind:robot"
                              << "kind:";
    QTest::newRow("empty field") << "tool: weather"
                                 << "needs a value";
    QTest::newRow("session in or") << "session:a OR weather"
                                   << "session:";
    QTest::newRow("too long") << QString(2000, QLatin1Char('x')) << "longer than";
    QTest::newRow("deep nesting") << QStringLiteral("((((((((((abc))))))))))") << "nest deeper";
    QTest::newRow("control character") << QStringLiteral("abc") + QChar(0) + QStringLiteral("def") << "control";
}

void TestSearch::refuses()
{
    QFETCH(QString, q);
    QFETCH(QString, says);
    try {
        store::SearchQuery::parse(q.toStdString());
        QFAIL("accepted");
    } catch (const store::QueryError &e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(says), e.what());
        QVERIFY(QString::fromUtf8(e.what()).startsWith(QLatin1String("q: ")));
    }
}

void TestSearch::frameworkFailuresAreFound()
{
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    for (const char *scenario : kScenarios)
        db.writeBatch(captured(scenario));
    QVERIFY(caughtUp(db));

    for (const char *scenario : kScenarios) {
        const json e = expected(scenario);
        for (const auto &run : e["runs"]) {
            const std::string traceId = run["trace_id"];
            // Each failed tool call, by the message the framework reported, and by tool and status.
            for (const auto &tool : run["tool_calls"]) {
                if (!tool["failed"].get<bool>())
                    continue;
                const std::string message = tool["error_message"];
                const std::string tail = message.substr(message.size() - 12); // "unknown city" etc.
                QVERIFY2(search(db, "\"" + tail + "\"").count(traceId), scenario);
                const std::string name = tool["tool_name"];
                QVERIFY2(search(db, "tool:" + name + " status:error").count(traceId), scenario);
            }
            // The session id the producer reported names exactly the runs of that session.
            if (run["session_id"].is_string()) {
                std::set<std::string> inSession;
                for (const auto &other : e["runs"])
                    if (other["session_id"] == run["session_id"])
                        inSession.insert(other["trace_id"].get<std::string>());
                QCOMPARE(search(db, "session:" + run["session_id"].get<std::string>()), inSession);
            }
            // Every model the run used finds it.
            for (const auto &model : run["models"])
                QVERIFY2(search(db, "model:" + model.get<std::string>()).count(traceId), scenario);
        }
    }
    // Runs without a failed tool are not found as failed tool calls.
    std::set<std::string> failedRuns;
    for (const char *scenario : kScenarios) {
        const json e = expected(scenario);
        for (const auto &run : e["runs"])
            for (const auto &tool : run["tool_calls"])
                if (tool["failed"].get<bool>())
                    failedRuns.insert(run["trace_id"].get<std::string>());
    }
    QCOMPARE(failedRuns.size(), std::size_t(4));
    QCOMPARE(search(db, "tool:get_weather status:error"), failedRuns);
    QCOMPARE(search(db, "\"unknown city\" NOT Atlantis"), std::set<std::string> {});
    QVERIFY(search(db, "nothing-like-this-anywhere").empty());
}

void TestSearch::snippetsSayWhereItMatched()
{
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    db.writeBatch(captured("vercel-ai"));
    QVERIFY(caughtUp(db));
    const json run = expected("vercel-ai")["runs"][1];
    const json &tool = run["tool_calls"][0];
    store::TraceQuery q;
    q.text = "status:error tool:get_weather";
    store::TracePage page = db.listTraces(q);
    QCOMPARE(page.traces.size(), std::size_t(1));
    QCOMPARE(page.hits.size(), std::size_t(1));
    // The failed tool call itself, the span the producer reported with status ERROR.
    QCOMPARE(page.hits[0].span_id, tool["span_id"].get<std::string>());
    QCOMPARE(page.hits[0].span_name, tool["span_name"].get<std::string>());

    q.text = "Atlantis";
    page = db.listTraces(q);
    QCOMPARE(page.traces.size(), std::size_t(1));
    const store::SearchHit &hit = page.hits[0];
    QVERIFY(!hit.highlights.empty());
    const std::u32string text = QString::fromStdString(hit.snippet).toStdU32String();
    for (const auto &[begin, end] : hit.highlights) {
        QVERIFY(begin >= 0 && begin < end && end <= static_cast<int>(text.size()));
        QCOMPARE(QString::fromStdU32String(text.substr(begin, end - begin)).toLower(), QStringLiteral("atlantis"));
    }
    QVERIFY2(hit.snippet.find("Atlantis") != std::string::npos, hit.snippet.c_str());
}

void TestSearch::combinesWithFiltersAndPages()
{
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    std::set<std::string> all, failed, adk;
    for (const char *scenario : kScenarios) {
        db.writeBatch(captured(scenario));
        const json e = expected(scenario);
        for (const auto &run : e["runs"]) {
            all.insert(run["trace_id"].get<std::string>());
            if (!run["error_spans"].empty())
                failed.insert(run["trace_id"].get<std::string>());
            if (e["service_name"] == "adk-weather-agent")
                adk.insert(run["trace_id"].get<std::string>());
        }
    }
    QVERIFY(caughtUp(db));
    // "weather" is in every run (the tool's name, the question): all of them, over pages of two.
    QCOMPARE(search(db, "weather"), all);
    store::TraceQuery errors;
    errors.errors_only = true;
    QCOMPARE(search(db, "weather", errors), failed);
    store::TraceQuery service;
    service.service = "adk-weather-agent";
    QCOMPARE(search(db, "weather", service), adk);
    // Every sort pages through the same set.
    for (auto sort : { store::TraceSort::Duration, store::TraceSort::Cost, store::TraceSort::Tokens }) {
        store::TraceQuery sorted;
        sorted.sort = sort;
        QCOMPARE(search(db, "weather", sorted), all);
    }
}

// A search whose terms are in many spans walks the trace list in order and asks the index about
// each stretch of it; one whose terms are rare lists the traces it collected from the index; a walk
// that finds few matches among the traces the filters keep goes back to collecting them. All three
// must list the same traces in the same order, page by page, with the same matched spans.
void TestSearch::everyPlanListsTheSamePages()
{
    // 16 copies of every captured run, each an hour apart, stored newest first and interleaved,
    // so that list order and row id order differ and the walk seeks across the index.
    std::vector<core::Span> spans;
    for (const char *scenario : kScenarios) {
        const auto run = captured(scenario);
        spans.insert(spans.end(), run.begin(), run.end());
    }
    std::vector<std::vector<core::Span>> batches(4);
    for (int copy = 15; copy >= 0; --copy)
        for (std::size_t i = 0; i < spans.size(); ++i) {
            core::Span s = spans[i];
            s.trace_id[0] ^= static_cast<std::uint8_t>(copy + 1);
            s.start_ns += std::int64_t(copy) * 3'600'000'000'000;
            s.end_ns += std::int64_t(copy) * 3'600'000'000'000;
            batches[i % batches.size()].push_back(std::move(s));
        }
    QTemporaryDir dir;
    struct Plan
    {
        const char *name;
        std::int64_t commonRows;
        std::size_t giveUp;
    };
    const Plan plans[] = { { "collect", 1'000'000, 4096 }, { "walk", 0, 1'000'000 }, { "walk, then collect", 0, 1 } };
    std::vector<std::unique_ptr<store::SqliteStore>> stores;
    for (const Plan &plan : plans) {
        store::SqliteStore::Options options;
        options.search_options.common_rows = plan.commonRows;
        options.search_options.walk_give_up = plan.giveUp;
        stores.push_back(
            std::make_unique<store::SqliteStore>(dir.filePath(QString::fromLatin1(plan.name)).toStdString(), options));
        for (const auto &batch : batches)
            stores.back()->writeBatch(batch);
        QVERIFY(stores.back()->waitForSearchIndex());
    }
    store::TraceQuery everything;
    everything.limit = 1000;
    const std::size_t traces = stores[0]->listTraces(everything).traces.size();
    QVERIFY2(traces >= 128, std::to_string(traces).c_str());

    const char *const queries[] = { "weather", "status:error tool:get_weather", "\"unknown city\"", "Atlantis",
        "weather -Atlantis", "name:weather OR tool:get_weather", "nothing-like-this-anywhere" };
    std::size_t listed = 0;
    for (const char *q : queries)
        for (auto sort : { store::TraceSort::StartTime, store::TraceSort::Cost })
            for (bool descending : { true, false })
                for (bool errorsOnly : { false, true })
                    for (int limit : { 1, 7, 50 }) {
                        const bool first = sort == store::TraceSort::StartTime && descending && !errorsOnly;
                        if ((limit == 1 && (q != queries[0] || !first)) || (limit == 50 && !first))
                            continue; // a page a trace once (the cursor of every row), and one big page a query
                        store::TraceQuery query;
                        query.text = q;
                        query.sort = sort;
                        query.descending = descending;
                        query.errors_only = errorsOnly;
                        const auto reference = pages(*stores[0], query, limit);
                        listed += reference.size();
                        for (std::size_t p = 1; p < stores.size(); ++p) {
                            const std::string what = std::string(plans[p].name) + ": " + q + ", sort "
                                + std::to_string(int(sort)) + (descending ? " desc" : " asc")
                                + (errorsOnly ? ", errors" : "") + ", limit " + std::to_string(limit);
                            QVERIFY2(pages(*stores[p], query, limit) == reference, what.c_str());
                        }
                    }
    // The queries found something: "weather" alone lists every trace, under every order and page size.
    QVERIFY2(listed > traces * 12, std::to_string(listed).c_str());
    store::TraceQuery all;
    all.text = "weather";
    QCOMPARE(pages(*stores[1], all, 7).size(), traces);
}

void TestSearch::cjkAndIdentifierSubstrings()
{
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    std::vector<core::Span> spans = captured("adk-js");
    const std::string ja = core::toHex(spans.front().trace_id);
    for (auto &s : spans)
        if (s.trace_id == spans.front().trace_id && s.kind == core::SpanKind::Llm)
            s.output = R"([{"role":"model","parts":[{"text":"東京の天気は晴れです。"}]}])";
    db.writeBatch(spans);
    QVERIFY(caughtUp(db));
    QCOMPARE(search(db, "天気は"), std::set<std::string> { ja });
    QCOMPARE(search(db, "東京の天気"), std::set<std::string> { ja });
    // Part of an identifier: "et_weat" is inside get_weather.
    QCOMPARE(search(db, "et_weat").size(), std::size_t(2));
    // Any case.
    QCOMPARE(search(db, "ATLANTIS").size(), std::size_t(1));
}

namespace {

/// What a span says, as a haystack for the brute-force answer: every text it was stored with (of
/// attributes, their values).
std::string said(const core::Span &s)
{
    std::string out = s.name + "\n" + s.tool_name + "\n" + s.request_model + "\n" + s.response_model + "\n"
        + s.status_message + "\n" + s.input + "\n" + s.output + "\n";
    for (const auto &a : s.attributes) // values, not keys
        out += a.value.asText() + "\n";
    for (const auto &e : s.events) {
        out += e.name + "\n";
        for (const auto &a : e.attributes)
            out += a.value.asText() + "\n";
    }
    return out;
}

std::string modelOf(const core::Span &s)
{
    return s.response_model.empty() ? s.request_model : s.response_model;
}

/// The spans of these spans' traces as the store holds them.
std::vector<core::Span> stored(store::TraceStore &db, const std::vector<core::Span> &spans)
{
    std::set<std::string> seen;
    std::vector<core::Span> out;
    for (const auto &s : spans) {
        if (!seen.insert(core::toHex(s.trace_id)).second)
            continue;
        const auto detail = db.trace(s.trace_id);
        if (detail)
            out.insert(out.end(), detail->spans.begin(), detail->spans.end());
    }
    return out;
}

struct Case
{
    const char *q;
    bool (*matches)(const core::Span &);
};

const Case kCases[] = {
    { "Atlantis", [](const core::Span &s) { return containsNoCase(said(s), "Atlantis"); } },
    { "ATLANTIS", [](const core::Span &s) { return containsNoCase(said(s), "Atlantis"); } },
    { R"("unknown city")", [](const core::Span &s) { return containsNoCase(said(s), "unknown city"); } },
    { "forecast NOT Atlantis",
        [](const core::Span &s) {
            return containsNoCase(said(s), "forecast") && !containsNoCase(said(s), "Atlantis");
        } },
    { "forecast -Atlantis",
        [](const core::Span &s) {
            return containsNoCase(said(s), "forecast") && !containsNoCase(said(s), "Atlantis");
        } },
    { "tool:get_weather NOT Atlantis",
        [](const core::Span &s) {
            return containsNoCase(s.tool_name, "get_weather") && !containsNoCase(said(s), "Atlantis");
        } },
    { "Atlantis OR invocation",
        [](const core::Span &s) {
            return containsNoCase(said(s), "Atlantis") || containsNoCase(said(s), "invocation");
        } },
    { R"((Atlantis OR "unknown city") kind:tool)",
        [](const core::Span &s) {
            return s.kind == core::SpanKind::Tool
                && (containsNoCase(said(s), "Atlantis") || containsNoCase(said(s), "unknown city"));
        } },
    { "kind:llm AND Atlantis",
        [](const core::Span &s) { return s.kind == core::SpanKind::Llm && containsNoCase(said(s), "Atlantis"); } },
    { "name:invocation", [](const core::Span &s) { return containsNoCase(s.name, "invocation"); } },
    { "model:gemini OR model:CLAUDE",
        [](const core::Span &s) {
            return containsNoCase(modelOf(s), "gemini") || containsNoCase(modelOf(s), "claude");
        } },
    { R"(model:"gpt-4o-mini")", [](const core::Span &s) { return containsNoCase(modelOf(s), "gpt-4o-mini"); } },
    // LIKE's own characters are text: "_" is an underscore, "%" a percent sign.
    { "_weath", [](const core::Span &s) { return containsNoCase(said(s), "_weath"); } },
    { "get%weather", [](const core::Span &s) { return containsNoCase(said(s), "get%weather"); } },
    { R"("x'); DROP TABLE spans; --")", [](const core::Span &) { return false; } },
    { "nothing-like-this-anywhere", [](const core::Span &) { return false; } },
};

} // namespace

void TestSearch::fieldsPhrasesAndOperators_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < static_cast<int>(std::size(kCases)); ++i)
        QTest::newRow(kCases[i].q) << i;
}

void TestSearch::fieldsPhrasesAndOperators()
{
    // Every scenario's spans as the frameworks sent them, in one store; each query's answer is the
    // traces with a span for which the condition holds, found by reading every captured span.
    QFETCH(int, index);
    const Case &c = kCases[index];
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    std::vector<core::Span> all;
    for (const char *scenario : kScenarios) {
        std::vector<core::Span> spans = captured(scenario);
        db.writeBatch(spans);
        all.insert(all.end(), spans.begin(), spans.end());
    }
    QVERIFY(caughtUp(db));
    all = stored(db, all); // as stored: the store marks tool calls failed that a later model call reports
    const auto want = tracesWith(all, c.matches);
    QCOMPARE(search(db, c.q), want);
    QCOMPARE(db.spanCount(), static_cast<std::int64_t>(all.size()));
    // Each trace found says which span matched: one of its spans, for which the condition holds.
    store::TraceQuery q;
    q.text = c.q;
    q.limit = 100;
    const store::TracePage page = db.listTraces(q);
    QCOMPARE(page.hits.size(), page.traces.size());
    for (std::size_t i = 0; i < page.traces.size(); ++i) {
        const auto &hit = page.hits[i];
        const auto span = std::find_if(all.begin(), all.end(), [&](const core::Span &s) {
            return s.trace_id == page.traces[i].trace_id && core::toHex(s.span_id) == hit.span_id;
        });
        QVERIFY2(span != all.end(), hit.span_id.c_str());
        QVERIFY2(c.matches(*span), hit.span_id.c_str());
        QCOMPARE(hit.span_name, span->name);
        QVERIFY(!hit.snippet.empty());
    }
}

void TestSearch::refusedQueriesAreRefusedByTheStore()
{
    // What the query language refuses, the store refuses too, naming q (the API's 400).
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    db.writeBatch(captured("vercel-ai"));
    QVERIFY(caughtUp(db));
    for (const std::string &q : std::vector<std::string> { "ab OR weather", "tool:ab", "NOT weather", "-rain -snow",
             "\"unknown city", "(rain OR snow", "rain)", "rain OR", "status:failed", "kind:robot", "tool: weather",
             "session:a OR weather", "((((((((((abc))))))))))",
             std::string("abc\x01"
                         "def") }) {
        store::TraceQuery query;
        query.text = q;
        try {
            db.listTraces(query);
            QFAIL(q.c_str());
        } catch (const store::QueryError &e) {
            QVERIFY2(std::string(e.what()).rfind("q: ", 0) == 0, e.what());
        }
    }
    // A short word alone matches trace names only, as a substring; with other words, a phrase.
    store::TraceQuery query;
    query.text = "ai"; // in the root span's name ("ai.generateText"), nowhere as a word of its own
    QCOMPARE(db.listTraces(query).traces.size(), std::size_t(2));
    query.text = "no forecast for";
    QCOMPARE(db.listTraces(query).traces.size(), std::size_t(1));
    query.text = "for no forecast";
    QCOMPARE(db.listTraces(query).traces.size(), std::size_t(0));
}

void TestSearch::toolMarkedFailedLaterIsFoundAsFailed()
{
    // ADK leaves its failed tool span unset; the model call that reports the failure marks it. When
    // that call comes in a later batch, the tool span was indexed as it was, and is indexed again.
    const auto opened = m_backend.open();
    store::TraceStore &db = *opened;
    std::vector<core::Span> first, later;
    for (auto &s : captured("adk-js"))
        (s.reported_tool_results.empty() ? first : later).push_back(std::move(s));
    QVERIFY(!later.empty());
    db.writeBatch(first);
    QVERIFY(caughtUp(db));
    QVERIFY(search(db, "tool:get_weather status:error").empty());
    db.writeBatch(later);
    QVERIFY(caughtUp(db));
    const json run = expected("adk-js")["runs"][1];
    QVERIFY(run["tool_calls"][0]["failed"].get<bool>());
    QCOMPARE(search(db, "tool:get_weather status:error"), std::set<std::string> { run["trace_id"] });
}

#ifndef AGENTOPS_TEST_POSTGRES
void TestSearch::aTraceForgottenAndChangedIsIndexedOnce()
{
    // The indexer remembers few traces here: the ADK run whose tool is marked failed later is the
    // oldest it remembers when it is indexed again.
    QTemporaryDir dir;
    store::SqliteStore::Options o;
    o.search_options.traces_remembered = 4;
    store::SqliteStore db(dir.filePath(QStringLiteral("t.db")).toStdString(), o);
    std::vector<core::Span> first, later;
    for (auto &s : captured("adk-js"))
        (s.reported_tool_results.empty() ? first : later).push_back(std::move(s));
    db.writeBatch(first);
    QVERIFY(db.waitForSearchIndex());
    for (const char *scenario : { "vercel-ai", "openai-openinference", "openai-openllmetry" })
        db.writeBatch(captured(scenario));
    QVERIFY(db.waitForSearchIndex());
    db.writeBatch(later);
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(indexRows(store::SearchIndex::pathFor(db.path())), db.spanCount());
    const json run = expected("adk-js")["runs"][1];
    QCOMPARE(search(db, "tool:get_weather status:error").count(run["trace_id"]), std::size_t(1));
}

void TestSearch::backfillDoesNotHoldUpIngest()
{
    // A database stored without the index, much larger than the lag the writer waits for.
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("t.db")).toStdString();
    const std::vector<core::Span> adk = captured("adk-js");
    {
        store::SqliteStore::Options noIndex;
        noIndex.search = false;
        store::SqliteStore db(path, noIndex);
        for (int copy = 1; copy <= 400; ++copy) {
            std::vector<core::Span> spans = adk;
            for (auto &s : spans) {
                s.trace_id[0] = static_cast<std::uint8_t>(copy);
                s.trace_id[1] = static_cast<std::uint8_t>(copy >> 8);
            }
            db.writeBatch(spans);
        }
    }
    store::SqliteStore::Options o;
    o.search_options.max_lag = 50;
    store::SqliteStore db(path, o);
    // New spans are stored at once (the writer waits only for spans stored since the index was
    // opened) and are searchable before the old ones are all indexed.
    std::vector<core::Span> fresh = captured("vercel-ai");
    db.writeBatch(fresh);
    const auto early = db.searchProgress();
    QVERIFY(early);
    QVERIFY2(early->lag() > 1000, std::to_string(early->lag()).c_str());
    QVERIFY(early->behind <= 50 + static_cast<std::int64_t>(fresh.size()));
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(indexRows(store::SearchIndex::pathFor(path)), db.spanCount());
    QCOMPARE(search(db, "Atlantis").size(), std::size_t(401)); // 400 ADK copies, the Vercel run
    QCOMPARE(db.searchProgress()->lag(), 0);
}

void TestSearch::aDamagedIndexIsMadeAgain()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("t.db")).toStdString();
    {
        store::SqliteStore db(path);
        db.writeBatch(captured("adk-js"));
        QVERIFY(db.waitForSearchIndex());
    }
    QFile index(QString::fromStdString(store::SearchIndex::pathFor(path)));
    QVERIFY(index.open(QIODevice::WriteOnly | QIODevice::Truncate));
    index.write(QByteArray(8192, 'x')); // not an SQLite file at all
    index.close();
    store::SqliteStore db(path);
    QVERIFY(db.waitForSearchIndex());
    QVERIFY(db.searchProgress()->error.empty());
    QCOMPARE(search(db, "Atlantis").size(), std::size_t(1));
}

void TestSearch::oldDatabaseIsIndexedFromTheStart()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("t.db")).toStdString();
    {
        store::SqliteStore::Options noIndex;
        noIndex.search = false;
        store::SqliteStore db(path, noIndex);
        for (const char *scenario : kScenarios)
            db.writeBatch(captured(scenario));
        QVERIFY(!db.searchProgress());
        // Without the index, plain words find trace names only; fields cannot be searched.
        store::TraceQuery q;
        q.text = "Atlantis";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(0));
        q.text = "invocation";
        QCOMPARE(db.listTraces(q).traces.size(), std::size_t(2)); // the ADK runs' root span
        q.text = "tool:get_weather";
        QVERIFY_THROWS_EXCEPTION(store::QueryError, db.listTraces(q));
    }
    QVERIFY(!QFile::exists(QString::fromStdString(store::SearchIndex::pathFor(path))));
    store::SqliteStore db(path);
    QVERIFY(db.waitForSearchIndex());
    const auto progress = db.searchProgress();
    QVERIFY(progress);
    QCOMPARE(progress->lag(), 0);
    QVERIFY(progress->indexed > 0);
    QCOMPARE(progress->indexed, progress->latest);
    QCOMPARE(indexRows(store::SearchIndex::pathFor(path)), db.spanCount());
    QCOMPARE(search(db, "Atlantis").size(), std::size_t(4)); // the tool-error run of each scenario but one
}

void TestSearch::retentionTakesTheIndexRowsToo()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("t.db")).toStdString();
    store::SqliteStore db(path);
    for (const char *scenario : kScenarios)
        db.writeBatch(captured(scenario));
    QVERIFY(db.waitForSearchIndex());
    const std::int64_t before = indexRows(store::SearchIndex::pathFor(path));
    QCOMPARE(before, db.spanCount());
    // Delete everything: the index is emptied, by the queue the database keeps for it.
    while (db.deleteTracesBefore(std::numeric_limits<std::int64_t>::max(), 3) > 0) { }
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(db.spanCount(), 0);
    QCOMPARE(indexRows(store::SearchIndex::pathFor(path)), 0);
    QVERIFY(search(db, "weather").empty());
    // Stored again (the same trace and span row ids come back): found again, once.
    for (const char *scenario : kScenarios)
        db.writeBatch(captured(scenario));
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(indexRows(store::SearchIndex::pathFor(path)), db.spanCount());
    QCOMPARE(search(db, "Atlantis").size(), std::size_t(4));
    // The same, without giving the index time between the deletion and the new spans.
    while (db.deleteTracesBefore(std::numeric_limits<std::int64_t>::max(), 3) > 0) { }
    for (const char *scenario : kScenarios)
        db.writeBatch(captured(scenario));
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(indexRows(store::SearchIndex::pathFor(path)), db.spanCount());
    QCOMPARE(search(db, "Atlantis").size(), std::size_t(4));
}

#endif

#ifdef AGENTOPS_TEST_POSTGRES
void TestSearch::oldSchemaIsIndexedByTheMigration()
{
    // A schema of the version before content search: the migration makes the search tables and
    // their pg_trgm indexes, and the indexer then indexes every span stored before.
    std::vector<core::Span> all;
    {
        const auto opened = m_backend.open();
        for (const char *scenario : kScenarios) {
            std::vector<core::Span> spans = captured(scenario);
            opened->writeBatch(spans);
            all.insert(all.end(), spans.begin(), spans.end());
        }
    }
    m_backend.execute("DROP TABLE span_search, search_state, search_queue; UPDATE schema_version SET version = 3;");
    QCOMPARE(m_backend.scalar("SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'span_search%' AND schemaname = '"
                 + m_backend.schema() + "'"),
        0LL);
    const auto db = m_backend.reopen();
    QCOMPARE(m_backend.scalar("SELECT version FROM schema_version"),
        static_cast<long long>(store::PostgresStore::latestSchemaVersion()));
    QVERIFY(caughtUp(*db));
    QCOMPARE(m_backend.scalar("SELECT count(*) FROM span_search"), static_cast<long long>(all.size()));
    QCOMPARE(m_backend.scalar("SELECT count(*) FROM spans"), static_cast<long long>(all.size()));
    QVERIFY(static_cast<store::PostgresStore &>(*db).searchIndexError().empty());
    // Each condition the list uses is answered by its index (the planner told not to read the table).
    const std::pair<const char *, const char *> uses[] = {
        { "s.search_text ILIKE '%Atlantis%'", "span_search_text" },
        { "s.name ILIKE '%invocation%'", "span_search_name" },
        { "s.tool ILIKE '%get_weather%'", "span_search_tool" },
        { "s.model ILIKE '%gemini%'", "span_search_model" },
    };
    for (const auto &[where, index] : uses) {
        std::string plan;
        pqxx::connection c(test::StoreBackend::server().conninfo());
        pqxx::work tx(c);
        tx.exec("SET search_path TO " + m_backend.schema());
        tx.exec("SET enable_seqscan = off");
        for (const auto &row : tx.exec(std::string("EXPLAIN SELECT 1 FROM span_search s WHERE ") + where))
            plan += std::string(row[0].c_str()) + "\n";
        QVERIFY2(plan.find(index) != std::string::npos, plan.c_str());
    }
    all = stored(*db, all);
    QCOMPARE(search(*db, "Atlantis"),
        tracesWith(all, [](const core::Span &s) { return containsNoCase(said(s), "Atlantis"); }));
    std::set<std::string> failedRuns;
    for (const char *scenario : kScenarios) {
        const json e = expected(scenario);
        for (const auto &run : e["runs"])
            for (const auto &tool : run["tool_calls"])
                if (tool["failed"].get<bool>())
                    failedRuns.insert(run["trace_id"].get<std::string>());
    }
    QCOMPARE(failedRuns.size(), std::size_t(4));
    QCOMPARE(search(*db, "tool:get_weather status:error"), failedRuns);
}

void TestSearch::withoutPgTrgmSearchStillAnswers()
{
    // A role that owns its schema but may not create anything else in the database (least
    // privilege), where pg_trgm is not installed: the store opens, says why it has no index, and
    // answers searches the same way, reading the spans.
    const std::string admin = test::StoreBackend::server().conninfo();
    {
        pqxx::connection c(admin);
        pqxx::nontransaction tx(c);
        tx.exec("DROP DATABASE IF EXISTS no_trgm");
        tx.exec("CREATE DATABASE no_trgm");
        tx.exec("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'no_trgm_user') THEN "
                "CREATE ROLE no_trgm_user LOGIN; END IF; END $$");
    }
    std::string conninfo = admin;
    conninfo.replace(conninfo.find("dbname=postgres"), std::string("dbname=postgres").size(), "dbname=no_trgm");
    {
        pqxx::connection c(conninfo);
        pqxx::nontransaction tx(c);
        tx.exec("CREATE SCHEMA project AUTHORIZATION no_trgm_user");
    }
    conninfo.replace(conninfo.find("user=postgres"), std::string("user=postgres").size(), "user=no_trgm_user");
    store::PostgresStore::Options o;
    o.schema = "project";
    store::PostgresStore db(conninfo, o);
    QVERIFY(!db.searchIndexError().empty());
    QVERIFY2(db.searchIndexError().find("pg_trgm") != std::string::npos, db.searchIndexError().c_str());
    QVERIFY2(db.searchIndexError().find("permission denied") != std::string::npos, db.searchIndexError().c_str());
    std::vector<core::Span> all;
    for (const char *scenario : kScenarios) {
        std::vector<core::Span> spans = captured(scenario);
        db.writeBatch(spans);
        all.insert(all.end(), spans.begin(), spans.end());
    }
    QVERIFY(db.waitForSearchIndex());
    all = stored(db, all);
    for (const Case &c : kCases)
        QCOMPARE(search(db, c.q), tracesWith(all, c.matches));
}
#endif

#ifdef AGENTOPS_TEST_POSTGRES
namespace {

/// Copy `copy` of the spans, with trace ids of its own.
std::vector<core::Span> copyOf(const std::vector<core::Span> &spans, int copy)
{
    std::vector<core::Span> out = spans;
    for (auto &s : out) {
        s.trace_id[0] = static_cast<std::uint8_t>(copy);
        s.trace_id[1] = static_cast<std::uint8_t>(copy >> 8);
        s.trace_id[2] = 0xb0;
    }
    return out;
}

/// Writes `batches` batches of 20 copies of the captured runs from one thread while another samples
/// the spans the writer's bound holds (SearchProgress::behind); returns the most it saw. batchSpans:
/// what one batch adds to it, its spans and the tool spans it marks failed (indexed again).
std::int64_t mostBehindWhileWriting(store::PostgresStore &db, int batches, std::size_t &batchSpans)
{
    std::vector<core::Span> runs;
    for (const char *scenario : kScenarios) {
        auto spans = captured(scenario);
        runs.insert(runs.end(), spans.begin(), spans.end());
    }
    std::size_t reports = 0;
    for (const auto &s : runs)
        reports += s.reported_tool_results.size();
    batchSpans = 20 * (runs.size() + reports);
    std::atomic<bool> writing { true };
    std::atomic<std::int64_t> most { 0 };
    std::thread sampler([&] {
        while (writing) {
            most = std::max<std::int64_t>(most, db.searchProgress().behind);
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    for (int b = 0; b < batches; ++b) {
        std::vector<core::Span> batch;
        for (int copy = 1; copy <= 20; ++copy) {
            auto spans = copyOf(runs, b * 20 + copy);
            batch.insert(batch.end(), spans.begin(), spans.end());
        }
        db.writeBatch(batch);
    }
    most = std::max<std::int64_t>(most, db.searchProgress().behind);
    writing = false;
    sampler.join();
    return most;
}

} // namespace

void TestSearch::pgLagStaysWithinItsBound()
{
    // The writer stores batch after batch as fast as it can, far faster than trigram indexing goes:
    // with a bound, it waits, and the spans not searchable yet never exceed the bound by more than
    // the batch stored after it looked (its spans, and the tool spans it marked failed).
    (void)m_backend.open();
    store::PostgresStore::Options o;
    o.schema = m_backend.schema();
    o.search_max_lag = 300;
    std::size_t batch = 0;
    std::int64_t bounded = 0;
    {
        store::PostgresStore db(test::StoreBackend::server().conninfo(), o);
        bounded = mostBehindWhileWriting(db, 30, batch);
        QVERIFY(db.waitForSearchIndex());
        QCOMPARE(db.searchProgress().lag, 0);
    }
    qInfo("bound %lld, batches of %zu spans: at most %lld behind", static_cast<long long>(o.search_max_lag), batch,
        static_cast<long long>(bounded));
    QVERIFY2(bounded <= o.search_max_lag + static_cast<std::int64_t>(batch), std::to_string(bounded).c_str());
    QCOMPARE(m_backend.scalar("SELECT count(*) FROM span_search"), m_backend.scalar("SELECT count(*) FROM spans"));
    // Without it (0), the same load leaves the indexer further behind: the check above can fail.
    (void)m_backend.open();
    o.schema = m_backend.schema();
    o.search_max_lag = 0;
    store::PostgresStore unbounded(test::StoreBackend::server().conninfo(), o);
    const std::int64_t most = mostBehindWhileWriting(unbounded, 30, batch);
    qInfo("without a bound: at most %lld behind", static_cast<long long>(most));
    QVERIFY2(most > 300 + static_cast<std::int64_t>(batch), std::to_string(most).c_str());
    QVERIFY(unbounded.waitForSearchIndex());
}

void TestSearch::pgNewSpansBeforeTheBackfill()
{
    // A schema stored without the index, much larger than the bound: new spans are stored at once
    // and searchable before the old ones are all indexed.
    const std::vector<core::Span> adk = captured("adk-js");
    (void)m_backend.open();
    store::PostgresStore::Options o;
    o.schema = m_backend.schema();
    o.search = false;
    {
        store::PostgresStore db(test::StoreBackend::server().conninfo(), o);
        for (int copy = 1; copy <= 200; ++copy) {
            auto spans = copyOf(adk, copy);
            db.writeBatch(spans);
        }
    }
    const long long oldMax = m_backend.scalar("SELECT max(id) FROM spans");
    const long long oldSpans = m_backend.scalar("SELECT count(*) FROM spans");
    QVERIFY(oldSpans > 1000);
    o.search = true;
    o.search_max_lag = 50;
    store::PostgresStore db(test::StoreBackend::server().conninfo(), o);
    std::vector<core::Span> fresh = captured("vercel-ai");
    db.writeBatch(fresh);
    // The indexer does not wait for the writer: while the new run was being stored it saw no new
    // spans and took old ones. Those indexed by the time the run was stored, and the one step that
    // may have been under way then, may come before the new run's rows; no step started later.
    const long long oldBefore
        = m_backend.scalar("SELECT count(*) FROM span_search WHERE span_rowid <= " + std::to_string(oldMax));
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(m_backend.scalar("SELECT count(*) FROM span_search"), m_backend.scalar("SELECT count(*) FROM spans"));
    // In the order PostgreSQL gave the indexer's transactions their ids: the new run's rows in one
    // step, no more old rows in earlier ones than said above (a step: 500), the rest in later ones.
    const std::string freshStep
        = "(SELECT max(xmin::text::bigint) FROM span_search WHERE span_rowid > " + std::to_string(oldMax) + ")";
    QCOMPARE(m_backend.scalar(
                 "SELECT count(DISTINCT xmin::text) FROM span_search WHERE span_rowid > " + std::to_string(oldMax)),
        1LL);
    const long long oldFirst = m_backend.scalar("SELECT count(*) FROM span_search WHERE span_rowid <= "
        + std::to_string(oldMax) + " AND xmin::text::bigint < " + freshStep);
    QVERIFY2(oldFirst <= oldBefore + 500,
        (std::to_string(oldFirst) + " old spans first, " + std::to_string(oldBefore) + " when stored").c_str());
    const long long after = m_backend.scalar("SELECT count(*) FROM span_search WHERE span_rowid <= "
        + std::to_string(oldMax) + " AND xmin::text::bigint > " + freshStep);
    qInfo("%lld of %lld old spans indexed after the new run", after, oldSpans);
    // Every old span not indexed (nor in the step under way) when the run was stored came in its
    // step (which fills up with old ones) or after it.
    const long long notFirst = m_backend.scalar("SELECT count(*) FROM span_search WHERE span_rowid <= "
        + std::to_string(oldMax) + " AND xmin::text::bigint >= " + freshStep);
    QVERIFY2(notFirst >= oldSpans - oldBefore - 500, std::to_string(notFirst).c_str());
    QCOMPARE(search(db, "Atlantis").size(), std::size_t(201)); // 200 ADK copies, the Vercel run
    QCOMPARE(db.searchProgress().lag, 0);
}
#endif

#ifdef AGENTOPS_TEST_POSTGRES
namespace {

/// How many lines of the test server's log say this.
long long logged(const std::string &what)
{
    const std::string log = test::StoreBackend::server().log();
    long long n = 0;
    for (std::size_t at = log.find(what); at != std::string::npos; at = log.find(what, at + what.size()))
        ++n;
    return n;
}

} // namespace

void TestSearch::pgDeletionsAndMarkingWhileIndexing()
{
    // While the indexer is busy with the spans, one thread stores runs (their model calls marking the
    // tool spans of the batch before failed, which are being indexed) and another deletes the oldest
    // traces, round after round. A deletion locks the spans it deletes, then their span_search rows
    // (ON DELETE CASCADE); an indexer step locks span_search rows, then the spans they are made of
    // (the foreign key), in id order: unless the two take turns they deadlock (PostgreSQL fails one),
    // and a span deleted between a step's read and its insert fails the step. Neither may happen,
    // the writer may not fail, and what is left is indexed exactly once.
    std::vector<core::Span> first, later;
    for (const char *scenario : kScenarios)
        for (auto &s : captured(scenario))
            (s.reported_tool_results.empty() ? first : later).push_back(std::move(s));
    QVERIFY(!later.empty());
    const long long deadlocks = logged("deadlock detected");
    const long long orphans = logged("violates foreign key constraint");
    const auto opened = m_backend.open();
    auto &db = dynamic_cast<store::PostgresStore &>(*opened);
    constexpr int kRounds = 3, kBatches = 8, kCopies = 10;
    std::atomic<int> failures { 0 };
    std::string failure;
    std::mutex failureMutex;
    auto failed = [&](const std::exception &e) {
        std::lock_guard lock(failureMutex);
        ++failures;
        failure = e.what();
    };
    std::size_t deleted = 0;
    for (int round = 0; round < kRounds; ++round) {
        std::atomic<bool> writing { true };
        std::thread writer([&] {
            try {
                for (int b = 0; b <= kBatches; ++b) {
                    std::vector<core::Span> batch;
                    for (int copy = 1; copy <= kCopies; ++copy) {
                        const int id = (round * (kBatches + 1) + b) * kCopies + copy;
                        auto spans = copyOf(b < kBatches ? first : std::vector<core::Span> {}, id);
                        auto reports = copyOf(b > 0 ? later : std::vector<core::Span> {}, id - kCopies);
                        batch.insert(batch.end(), spans.begin(), spans.end());
                        batch.insert(batch.end(), reports.begin(), reports.end());
                    }
                    db.writeBatch(batch);
                }
            } catch (const std::exception &e) {
                failed(e);
            }
            writing = false;
        });
        // The oldest traces, a few or many at a time, as retention takes them, while the runs are stored.
        try {
            for (int call = 0; writing || db.spanCount() > 0; ++call) {
                const std::size_t n
                    = db.deleteTracesBefore(std::numeric_limits<std::int64_t>::max(), call % 2 ? 40 : 7);
                deleted += n;
                if (n == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(5)); // the writer's next batch
            }
        } catch (const std::exception &e) {
            failed(e);
        }
        writer.join();
        QVERIFY2(failures == 0, failure.c_str());
        QVERIFY(db.waitForSearchIndex());
        QCOMPARE(db.searchProgress().error, std::string());
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM spans"), 0LL);
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM span_search"), 0LL);
    }
    const long long newDeadlocks = logged("deadlock detected") - deadlocks;
    const long long newOrphans = logged("violates foreign key constraint") - orphans;
    qInfo("%zu traces deleted while indexing; %lld deadlocks, %lld steps failed on a deleted span", deleted,
        newDeadlocks, newOrphans);
    QCOMPARE(newDeadlocks, 0LL);
    QCOMPARE(newOrphans, 0LL);
    // Stored again and left: every span indexed once, the failures marked later found as failed.
    std::vector<core::Span> all = first;
    all.insert(all.end(), later.begin(), later.end());
    db.writeBatch(first);
    db.writeBatch(later);
    QVERIFY(db.waitForSearchIndex());
    QCOMPARE(m_backend.scalar("SELECT count(*) FROM span_search"), m_backend.scalar("SELECT count(*) FROM spans"));
    all = stored(db, all);
    for (const Case &c : kCases)
        QCOMPARE(search(db, c.q), tracesWith(all, c.matches));
}
#endif

#ifdef AGENTOPS_TEST_POSTGRES
// The postgressearch unit's main (tst_postgressearch.cpp) runs this suite.
int runSearchSuite(int argc, char **argv)
{
    TestSearch suite;
    return QTest::qExec(&suite, argc, argv);
}
#else
QTEST_GUILESS_MAIN(TestSearch)
#endif
#include "tst_search.moc"
