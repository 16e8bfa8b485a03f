// SPDX-License-Identifier: MIT
// Erasure (TraceStore::erase) over the captured framework traces (tests/fixtures/frameworks), with a
// unique marker in one prompt: the selected traces go from every query, the dashboard's totals equal
// what the producers reported for the traces that remain, and (SQLite) the marker is in no byte of
// any file of the data directory afterwards: database, WAL, shared memory, the search index and its
// WAL. Built twice: against SqliteStore, and (AGENTOPS_TEST_POSTGRES) against PostgresStore on a
// PostgreSQL server the test starts itself.
#include "core/pricing.h"
#include "ingest/tracefile.h"
#include "store/ingestpipeline.h"
#include "support/frameworkruns.h"
#include "support/storebackend.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

using namespace agentops;
using test::json;

namespace {

const std::string kMarker = "ZQX-erase-me-7f3a91c2";
const char *const kScenarios[] = { "adk-js", "adk-js-retry", "openai-openinference", "openai-openllmetry", "vercel-ai",
    "vercel-ai-openinference", "vercel-ai-reworded" };
/// The run whose prompt carries the marker: openai-openinference's "ok" (user ana@example.com).
constexpr const char *kMarkedScenario = "openai-openinference";

std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

json expectedOf(const std::string &scenario)
{
    return json::parse(readFile(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".expected.json"));
}

#ifndef AGENTOPS_TEST_POSTGRES
/// The files of dir (recursively) whose bytes contain needle.
std::vector<std::string> filesHolding(const std::string &dir, const std::string &needle)
{
    std::vector<std::string> out;
    for (const auto &entry : std::filesystem::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file())
            continue;
        const std::string bytes = readFile(entry.path().string());
        if (bytes.find(needle) != std::string::npos)
            out.push_back(entry.path().filename().string());
    }
    return out;
}

/// Fails naming the files that still hold needle.
#define VERIFY_NOWHERE(dir, needle)                                                                                    \
    do {                                                                                                               \
        std::string held;                                                                                              \
        for (const auto &f : filesHolding(dir, needle))                                                                \
            held += f + " ";                                                                                           \
        QVERIFY2(held.empty(), ("still in: " + held).c_str());                                                         \
    } while (false)
#endif

/// Totals of the dashboard over everything stored.
store::MetricsBucket totals(store::TraceStore &s)
{
    store::MetricsQuery q;
    q.from_ns = 1'700'000'000'000'000'000;
    q.to_ns = 1'900'000'000'000'000'000;
    return s.metrics(q).totals;
}

} // namespace

class TestErase : public QObject
{
    Q_OBJECT

    test::StoreBackend m_backend;
    std::unique_ptr<store::TraceStore> m_store;
    json m_prices;
    QTemporaryDir m_work; ///< the marked fixture copy: outside the data directory

    /// A fresh store with every scenario ingested as the receiver ingests it; the marked scenario's
    /// "ok" run says the marker in its prompt.
    void ingestAll()
    {
        m_store = m_backend.open();
        store::IngestPipeline pipeline(*m_store);
        pipeline.setPriceTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
        for (const char *scenario : kScenarios) {
            std::string path = std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json";
            if (std::string(scenario) == kMarkedScenario) {
                std::string text = readFile(path);
                const std::string prompt = "weather in Lisbon";
                std::size_t at = 0;
                int marked = 0;
                while ((at = text.find(prompt, at)) != std::string::npos) {
                    text.insert(at + prompt.size(), " " + kMarker);
                    at += prompt.size();
                    ++marked;
                }
                QVERIFY(marked > 0);
                path = m_work.filePath(QStringLiteral("marked.otlp.json")).toStdString();
                std::ofstream(path, std::ios::binary) << text;
            }
            const auto result = ingest::readTraceFile(path, [&](std::vector<core::Span> &&batch) -> std::string {
                const auto r = pipeline.submit(std::move(batch));
                return r.outcome == store::IngestPipeline::Outcome::Committed ? "" : "not committed";
            });
            QVERIFY2(result.ok(), result.error.c_str());
        }
        pipeline.stop();
    }

    /// Every run of every scenario but those erased: the dashboard's totals must equal their sums.
    void compareTotals(const std::set<std::string> &erasedTraces)
    {
        std::int64_t traces = 0, input = 0, output = 0, cacheRead = 0, priced = 0, unpriced = 0;
        double cost = 0;
        for (const char *scenario : kScenarios) {
            for (const auto &run : test::runsOf(expectedOf(scenario), m_prices)) {
                if (erasedTraces.count(run.traceId))
                    continue;
                ++traces;
                input += run.input;
                output += run.output;
                cacheRead += run.cacheRead;
                cost += run.cost;
                priced += run.priced;
                unpriced += run.unpriced;
            }
        }
        const auto t = totals(*m_store);
        QCOMPARE(t.traces, traces);
        QCOMPARE(t.input_tokens, input);
        QCOMPARE(t.output_tokens, output);
        QCOMPARE(t.cache_read_tokens, cacheRead);
        QCOMPARE(t.priced_spans, priced);
        QCOMPARE(t.unpriced_spans, unpriced);
        QVERIFY2(
            std::abs(t.cost_usd - cost) < 1e-9, (std::to_string(t.cost_usd) + " vs " + std::to_string(cost)).c_str());
        // The trace list agrees with the dashboard.
        store::TraceQuery q;
        q.limit = 1000;
        QCOMPARE(static_cast<std::int64_t>(m_store->listTraces(q).traces.size()), traces);
    }

    std::string runTrace(const std::string &scenario, const std::string &run)
    {
        const json expected = expectedOf(scenario);
        for (const auto &r : expected["runs"])
            if (r["run"] == run)
                return r["trace_id"];
        return {};
    }

    /// The trace ids of every run of a scenario.
    std::set<std::string> scenarioTraces(const std::string &scenario)
    {
        std::set<std::string> out;
        const json expected = expectedOf(scenario);
        for (const auto &r : expected["runs"])
            out.insert(r["trace_id"].get<std::string>());
        return out;
    }

#ifndef AGENTOPS_TEST_POSTGRES
    std::string dataDir() const
    {
        return std::filesystem::path(m_backend.path()).parent_path().string();
    }
    store::SqliteStore &sqlite()
    {
        return dynamic_cast<store::SqliteStore &>(*m_store);
    }
#endif

private Q_SLOTS:
    void initTestCase()
    {
        m_prices = json::parse(readFile(AGENTOPS_SOURCE_DIR "/resources/prices.json"));
        QVERIFY(m_prices.contains("rows"));
    }

    void cleanup()
    {
        m_store.reset();
#ifndef AGENTOPS_TEST_POSTGRES
        // Each case scans the data directory: no files of an earlier case's store in it.
        if (!m_backend.path().empty())
            for (const auto &e : std::filesystem::directory_iterator(dataDir()))
                std::filesystem::remove(e.path());
#endif
    }

    void eraseTrace()
    {
        ingestAll();
        const std::string victim = runTrace(kMarkedScenario, "ok");
        compareTotals({});
#ifndef AGENTOPS_TEST_POSTGRES
        QVERIFY(sqlite().waitForSearchIndex());
        store::TraceQuery search;
        search.text = kMarker;
        const auto found = m_store->listTraces(search);
        QCOMPARE(found.traces.size(), std::size_t(1));
        QCOMPARE(core::toHex(found.traces[0].trace_id), victim);
        // The scan can see it: the marker is in the database (or its WAL) and in the search index.
        const auto before = filesHolding(dataDir(), kMarker);
        QVERIFY2(before.size() >= 2, ("marker found only in: " + std::to_string(before.size()) + " files").c_str());
#else
        QVERIFY(m_backend.scalar("SELECT count(*) FROM spans WHERE input LIKE '%" + kMarker + "%'") > 0);
#endif

        const auto stats = m_store->erase({ store::TraceSelection::By::Trace, victim });
        QCOMPARE(stats.traces, std::size_t(1));
        QCOMPARE(stats.spans, std::size_t(4));
        core::TraceId id {};
        QVERIFY(core::fromHex(victim, id));
        QVERIFY(!m_store->trace(id));
        compareTotals({ victim });

#ifndef AGENTOPS_TEST_POSTGRES
        // With the store still open (its WAL and shared memory files in place) ...
        std::vector<std::string> files;
        for (const auto &e : std::filesystem::directory_iterator(dataDir()))
            files.push_back(e.path().filename().string());
        QVERIFY2(
            std::count_if(files.begin(), files.end(), [](const std::string &f) { return f.ends_with(".search"); }) == 1,
            "the search index file is checked too");
        VERIFY_NOWHERE(dataDir(), kMarker);
        QCOMPARE(m_store->listTraces(search).traces.size(), std::size_t(0));
        // ... and after it is closed.
        m_store.reset();
        VERIFY_NOWHERE(dataDir(), kMarker);
        m_store = m_backend.reopen();
        compareTotals({ victim });
#else
        for (const char *table : { "spans", "traces", "error_rollup", "resources" })
            QCOMPARE(m_backend.scalar(
                         std::string("SELECT count(*) FROM ") + table + " t WHERE t::text LIKE '%" + kMarker + "%'"),
                0LL);
#endif
        // Erasing it again: nothing matches.
        QCOMPARE(m_store->erase({ store::TraceSelection::By::Trace, victim }).traces, std::size_t(0));
    }

    void eraseUser()
    {
        ingestAll();
        const std::string user = "ana@example.com"; // the marked run's, and others'
        std::set<std::string> victims, sessions;
        std::size_t spans = 0;
        for (const char *scenario : kScenarios) {
            const json expected = expectedOf(scenario);
            for (const auto &r : expected["runs"])
                if (r["user_id"] == user) {
                    victims.insert(r["trace_id"].get<std::string>());
                    sessions.insert(r["session_id"].get<std::string>());
                    spans += r["span_count"].get<std::size_t>();
                }
        }
        QVERIFY(victims.size() > 2);
        store::SessionQuery sq;
        sq.user_id = user;
        QCOMPARE(m_store->listSessions(sq).sessions.size(), sessions.size());
        const auto selected = m_store->selectTraces({ store::TraceSelection::By::User, user });
        QCOMPARE(selected.size(), victims.size());
        for (const auto &id : selected)
            QVERIFY(victims.count(core::toHex(id)));
        const auto stats = m_store->erase({ store::TraceSelection::By::User, user });
        QCOMPARE(stats.traces, victims.size());
        QCOMPARE(stats.spans, spans);
        QCOMPARE(m_store->listSessions(sq).sessions.size(), std::size_t(0));
        compareTotals(victims);
#ifndef AGENTOPS_TEST_POSTGRES
        VERIFY_NOWHERE(dataDir(), kMarker);
        VERIFY_NOWHERE(dataDir(), user);
#endif
        QCOMPARE(m_store->erase({ store::TraceSelection::By::User, "nobody@example.com" }).traces, std::size_t(0));
    }

    void eraseSession()
    {
        ingestAll();
        const json runs = expectedOf("adk-js")["runs"];
        const std::string session = runs[0]["session_id"];
        std::set<std::string> victims;
        for (const char *scenario : kScenarios) {
            const json expected = expectedOf(scenario);
            for (const auto &r : expected["runs"])
                if (r["session_id"] == session)
                    victims.insert(r["trace_id"].get<std::string>());
        }
        QVERIFY(!victims.empty());
        QCOMPARE(m_store->sessionTraces(session).size(), victims.size());
        QCOMPARE(m_store->erase({ store::TraceSelection::By::Session, session }).traces, victims.size());
        QCOMPARE(m_store->sessionTraces(session).size(), std::size_t(0));
        compareTotals(victims);
    }

    void badSelections_data()
    {
        QTest::addColumn<int>("by");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty trace") << 0 << QString() << QStringLiteral("trace: needs an id");
        QTest::newRow("short trace") << 0 << QStringLiteral("abc") << QStringLiteral("32 hex digits");
        QTest::newRow("not hex") << 0 << QStringLiteral("zz5a24a0cfdc241f47a0a7aa83731816")
                                 << QStringLiteral("32 hex digits");
        QTest::newRow("zero trace") << 0 << QString(32, QLatin1Char('0')) << QStringLiteral("not all zero");
        QTest::newRow("empty session") << 1 << QString() << QStringLiteral("session: needs an id");
        QTest::newRow("long user") << 2 << QString(2000, QLatin1Char('u')) << QStringLiteral("at most 1024 bytes");
    }

    void badSelections()
    {
        QFETCH(int, by);
        QFETCH(QString, id);
        QFETCH(QString, message);
        if (!m_store)
            m_store = m_backend.open();
        const store::TraceSelection selection { static_cast<store::TraceSelection::By>(by), id.toStdString() };
        for (int call = 0; call < 2; ++call) {
            try {
                if (call == 0)
                    m_store->erase(selection);
                else
                    m_store->selectTraces(selection);
                QFAIL("no QueryError");
            } catch (const store::QueryError &e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
            }
        }
    }
};

#ifdef AGENTOPS_TEST_POSTGRES
int main(int argc, char **argv)
{
    TestErase t;
    return QTest::qExec(&t, argc, argv);
}
#else
QTEST_GUILESS_MAIN(TestErase)
#endif
#include "tst_erase.moc"
