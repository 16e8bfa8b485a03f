// SPDX-License-Identifier: MIT
// Content search over a stored database: how fast the index fills, what it costs on disk, and how
// long a trace list with q= takes, for a rare word, a common word, a word in most spans, a
// substring of an identifier and a field query.
//
//   bench_contentsearch [--traces N] [--spans-per-trace N] [--runs N] [--dir DIR] [--keep 1]
//                       [--reuse 1] [--postgres 1] [--writer-lock both] [--compare-traces N]
//                       [--index-after 1] [--hold FILE] [--conninfo STR]
//
// --reuse 1 queries the database a run with --keep 1 left in DIR (same --traces and
// --spans-per-trace) instead of storing it again. On SQLite every query is timed twice in the same
// run: with the single query that searches used before (the index as a subquery of the list), and
// with the plans searches use now (collect few matches; walk the list for common terms). Wall time
// and the CPU time of the querying thread are both printed: on a busy machine the first says what a
// user waits, the second what the query costs.
//
// --postgres 1: the same over PostgresStore, in a PostgreSQL 15 server the benchmark starts itself
// (tests/support/pgserver.h; AGENTOPS_PG_BINDIR names its binaries). Each batch is written to two
// schemas, one with content search and one without (Options::search), taking turns at going first:
// what content search costs the writer, in the same run; then how long its indexer takes.
// --writer-lock both: a third schema whose indexer takes the writer's lock for its steps, as it did
// before only deletions took turns with it (PostgresStore::Options::search_takes_writer_lock),
// written in the same turns: what taking turns with the indexer cost the writer, old against new.
// --compare-traces N: only the first N traces are written to every schema in turns; the rest go to
// the schema with content search alone (the query figures at 1M spans without storing them all
// twice). Queries slower than 150 ms have their plans in the output (auto_explain, EXPLAIN ANALYZE).
// --index-after 1: the schema's four trigram indexes are dropped while those other traces are
// stored and indexed, and made again in bulk by the store when it next opens (as it makes missing
// ones): a faster way to a large indexed schema on a busy machine; the rows are the indexer's.
// --hold FILE keeps the server running at the end, until FILE exists; --conninfo STR (with the same
// --traces and --spans-per-trace) then times only the queries, over that server's schema.
//
// Each trace is an agent run: an agent span, LLM calls whose input is ~1.5 KB of text in chat
// message JSON and whose output is ~200 bytes, and tool calls with JSON arguments (one of them an
// order id no other trace has) and results; one tool call in 50 fails.
#include "store/postgresstore.h"
#include "store/sqlitestore.h"
#include "support/pgserver.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace agentops;
using Clock = std::chrono::steady_clock;

namespace {

const char *const kCities[] = { "Paris", "Tokyo", "Lima", "Oslo", "Cairo", "Quito", "Hanoi", "Dakar", "Perth", "Sofia",
    "Riga", "Bern", "Doha", "Kyiv", "Nairobi", "Madrid", "Berlin", "Vienna", "Prague", "Lisbon" };

class Generator
{
public:
    explicit Generator(std::uint32_t seed)
        : m_rng(seed)
    {
        for (int i = 0; i < 5000; ++i) {
            std::string w;
            const int n = 3 + static_cast<int>(m_rng() % 7);
            for (int k = 0; k < n; ++k)
                w.push_back(static_cast<char>('a' + m_rng() % 26));
            m_words.push_back(std::move(w));
        }
    }

    std::string text(std::size_t bytes)
    {
        std::string out;
        while (out.size() < bytes) {
            if (!out.empty())
                out.push_back(' ');
            // A Zipf-like pick: a few words are everywhere, most are rare.
            const double u = std::uniform_real_distribution<double>(0, 1)(m_rng);
            out += m_words[static_cast<std::size_t>(std::pow(u, 3) * double(m_words.size() - 1))];
        }
        return out;
    }

    std::vector<core::Span> trace(int spans, std::int64_t start, std::string &orderId)
    {
        std::vector<core::Span> out;
        core::TraceId traceId {};
        for (auto &b : traceId)
            b = static_cast<std::uint8_t>(m_rng());
        char order[16];
        std::snprintf(order, sizeof order, "order-%08x", static_cast<unsigned>(m_rng()));
        orderId = order;
        auto span = [&](core::SpanKind kind, const std::string &name, int i) -> core::Span & {
            core::Span &s = out.emplace_back();
            s.trace_id = traceId;
            for (auto &b : s.span_id)
                b = static_cast<std::uint8_t>(m_rng());
            if (!out.empty() && out.size() > 1)
                s.parent_span_id = out.front().span_id;
            s.kind = kind;
            s.name = name;
            s.start_ns = start + std::int64_t { i } * 1'000'000;
            s.end_ns = s.start_ns + 900'000;
            s.service_name = "bench-agent";
            return s;
        };
        span(core::SpanKind::Agent, "invoke_agent support_agent", 0);
        bool orderUsed = false;
        for (int i = 1; i < spans; ++i) {
            if (i % 2 == 1) {
                core::Span &s = span(core::SpanKind::Llm, "chat gpt-4o-mini", i);
                s.request_model = "gpt-4o-mini";
                s.input = R"([{"role":"user","content":")" + text(1500) + R"("}])";
                s.output = R"([{"role":"assistant","content":")" + text(200) + R"("}])";
                s.tokens.input = 400;
                s.tokens.output = 50;
            } else {
                core::Span &s = span(core::SpanKind::Tool, "execute_tool get_weather", i);
                s.tool_name = "get_weather";
                const char *city = kCities[m_rng() % std::size(kCities)];
                s.input = std::string(R"({"city":")") + city + R"(")"
                    + (orderUsed ? std::string() : R"(,"order":")" + orderId + R"(")") + "}";
                orderUsed = true;
                if (m_rng() % 50 == 0) {
                    s.status = core::StatusCode::Error;
                    s.status_message = std::string("timeout talking to the ") + city + " weather service";
                } else {
                    s.output = std::string(R"({"forecast":")") + text(60) + R"("})";
                }
            }
        }
        // Runs take from their steps' time to half a minute more (the agent's own work), so that
        // sorting by duration is not sorting a million ties; from the start time, not the random
        // numbers, which make the same text as before.
        std::uint64_t z = static_cast<std::uint64_t>(start) + 0x9e3779b97f4a7c15ULL; // splitmix64
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        out.front().end_ns
            = start + std::int64_t(spans) * 1'000'000 + std::int64_t((z ^ (z >> 31)) % 30'000'000'000ULL);
        return out;
    }

    /// The word text() picks most often.
    const std::string &commonest() const { return m_words.front(); }

private:
    std::mt19937 m_rng;
    std::vector<std::string> m_words;
};

struct Timing
{
    double p50 = 0, p95 = 0, max = 0;
    double cpu50 = 0, cpu95 = 0;
    std::size_t traces = 0;
    double server50 = -1, server95 = -1; ///< PostgreSQL's CPU ms a query, when known
};

/// The PostgreSQL server's postmaster, whose children's CPU time a query is charged; -1: none.
int g_postmaster = -1;

/// utime + stime of the postmaster's children (the backends), in ms; -1 when unknown.
double serverCpuMs()
{
    if (g_postmaster < 0)
        return -1;
    std::ifstream children(
        "/proc/" + std::to_string(g_postmaster) + "/task/" + std::to_string(g_postmaster) + "/children");
    double ticks = 0;
    for (long pid = 0; children >> pid;) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream fields(line.substr(close + 2));
        std::string field;
        for (int i = 3; i <= 15 && fields >> field; ++i)
            if (i == 14 || i == 15)
                ticks += std::stod(field);
    }
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/// A query of the list: its content search, sort and the other filters it combines with.
struct Query
{
    const char *what;
    std::string q;
    store::TraceSort sort;
    std::function<void(store::TraceQuery &)> filters;
};

Timing timeQuery(store::TraceStore &db, const Query &q, int runs)
{
    std::vector<double> ms, cpu, server;
    std::size_t found = 0;
    for (int i = 0; i < runs; ++i) {
        store::TraceQuery query;
        query.text = q.q;
        query.sort = q.sort;
        if (q.filters)
            q.filters(query);
        const double s0 = serverCpuMs();
        const double c0 = threadCpuMs();
        const auto t0 = Clock::now();
        const auto page = db.listTraces(query);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        cpu.push_back(threadCpuMs() - c0);
        server.push_back(serverCpuMs() - s0);
        found = page.traces.size();
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    std::sort(server.begin(), server.end());
    const std::size_t p95 = std::min(ms.size() - 1, ms.size() * 95 / 100);
    Timing t { ms[ms.size() / 2], ms[p95], ms.back(), cpu[cpu.size() / 2], cpu[p95], found };
    if (g_postmaster >= 0) {
        t.server50 = server[server.size() / 2];
        t.server95 = server[p95];
    }
    return t;
}

} // namespace

/// The generator's traces start a minute apart from here.
constexpr std::int64_t kStartNs = 1'790'000'000'000'000'000;

/// rareStart: when the trace with the rare order id started; the time ranges are the day around it.
std::vector<Query> queries(const std::string &rareOrder, const std::string &commonest, std::int64_t rareStart)
{
    constexpr std::int64_t kHalfDay = 12LL * 3600 * 1'000'000'000;
    auto aDay = [rareStart](store::TraceQuery &q) {
        q.from_ns = rareStart - kHalfDay;
        q.to_ns = rareStart + kHalfDay;
    };
    return {
        { "rare: an order id (1 trace)", rareOrder, store::TraceSort::StartTime, {} },
        { "substring of it", rareOrder.substr(3, 9), store::TraceSort::StartTime, {} },
        { "a city (in 1 trace in 5)", "Tokyo", store::TraceSort::StartTime, {} },
        { "a word in every trace", "weather", store::TraceSort::StartTime, {} },
        { "the commonest word of the text", commonest, store::TraceSort::StartTime, {} },
        { "a failed tool in one city", "status:error tool:get_weather Tokyo", store::TraceSort::StartTime, {} },
        { "a phrase that is nowhere", "\"weather service in Atlantis\"", store::TraceSort::StartTime, {} },
        { "a city, by duration", "Tokyo", store::TraceSort::Duration, {} },
        { "a word in every trace, by duration", "weather", store::TraceSort::Duration, {} },
        { "a field: tool (every trace)", "tool:get_weather", store::TraceSort::StartTime, {} },
        { "a city, errors only", "Tokyo", store::TraceSort::StartTime,
            [](store::TraceQuery &q) { q.errors_only = true; } },
        { "a city, model and service", "Tokyo", store::TraceSort::StartTime,
            [](store::TraceQuery &q) {
                q.model = "gpt-4o-mini";
                q.service = "bench-agent";
            } },
        { "the substring, the day around it", rareOrder.substr(3, 9), store::TraceSort::StartTime, aDay },
        { "a city, that day, by duration", "Tokyo", store::TraceSort::Duration, aDay },
        { "a city, errors, by cost", "Tokyo", store::TraceSort::Cost,
            [](store::TraceQuery &q) { q.errors_only = true; } },
    };
}

/// Times every query; returns those whose p95 is over 150 ms.
std::vector<Query> timeQueries(store::TraceStore &db, const std::vector<Query> &list, std::int64_t spans, int runs)
{
    std::printf("q= over %lld spans, first page of 50, %d runs each: wall p50 / p95 / max ms, CPU p50 / p95 ms "
                "(traces on the page), PostgreSQL's CPU p50 / p95 ms\n",
        static_cast<long long>(spans), runs);
    std::vector<Query> slow;
    for (const auto &q : list) {
        const Timing t = timeQuery(db, q, runs);
        std::printf("  %-34s %-40s %7.1f %7.1f %7.1f   cpu %7.1f %7.1f  (%zu)", q.what, ("q=" + q.q).c_str(), t.p50,
            t.p95, t.max, t.cpu50, t.cpu95, t.traces);
        if (t.server50 >= 0) // the clock ticks of /proc: 10 ms steps, so read medians over many runs
            std::printf("  server cpu %6.1f %6.1f", t.server50, t.server95);
        std::printf("\n");
        std::fflush(stdout);
        if (t.p95 > 150)
            slow.push_back(q);
    }
    return slow;
}

namespace {

/// Runs the slow queries once more with auto_explain on and prints their plans from the server's log.
void explainSlow(test::PgServer &server, const store::PostgresStore::Options &options, const std::vector<Query> &slow)
{
    if (slow.empty())
        return;
    {
        pqxx::connection c(server.conninfo());
        pqxx::nontransaction tx(c);
        tx.exec("LOAD 'auto_explain'"); // its settings are known to this session from here on
        tx.exec("ALTER SYSTEM SET session_preload_libraries = 'auto_explain'");
        tx.exec("ALTER SYSTEM SET auto_explain.log_min_duration = 100");
        tx.exec("ALTER SYSTEM SET auto_explain.log_analyze = on");
        tx.exec("ALTER SYSTEM SET auto_explain.log_buffers = on");
        tx.exec("SELECT pg_reload_conf()");
    }
    const std::size_t from = server.log().size();
    {
        store::PostgresStore db(server.conninfo(), options); // new connections: auto_explain loaded
        for (const auto &q : slow)
            (void)timeQuery(db, q, 1);
    }
    std::printf("plans of the queries over 150 ms (auto_explain):\n%s\n", server.log().substr(from).c_str());
    pqxx::connection c(server.conninfo());
    pqxx::nontransaction tx(c);
    tx.exec("ALTER SYSTEM RESET session_preload_libraries");
    tx.exec("SELECT pg_reload_conf()");
}

/// Writes traces [from, to) of gen in batches of ~1,000 spans to each of stores in turns (which goes
/// first rotating), adding each store's write time to secs and the CPU time of this thread (the
/// store's client side) to cpuMs; prints progress every 100 batches.
void writeTraces(Generator &gen, int from, int to, int spansPerTrace, std::vector<store::PostgresStore *> stores,
    std::vector<double> &secs, std::vector<double> &cpuMs, std::string &rareOrder, int rareTrace, double &textBytes)
{
    std::vector<core::Span> batch;
    int turn = 0;
    const auto t0 = Clock::now();
    for (int t = from; t < to; ++t) {
        std::string order;
        auto trace = gen.trace(spansPerTrace, kStartNs + std::int64_t(t) * 60'000'000'000, order);
        if (t == rareTrace)
            rareOrder = order;
        for (auto &s : trace) {
            textBytes += double(s.input.size() + s.output.size() + s.status_message.size() + s.name.size());
            batch.push_back(std::move(s));
        }
        if (batch.size() < 1000 && t + 1 < to)
            continue;
        for (std::size_t k = 0; k < stores.size(); ++k) {
            const std::size_t which = (static_cast<std::size_t>(turn) + k) % stores.size();
            const auto w0 = Clock::now();
            const double c0 = threadCpuMs();
            stores[which]->writeBatch(batch);
            secs[which] += std::chrono::duration<double>(Clock::now() - w0).count();
            cpuMs[which] += threadCpuMs() - c0;
        }
        if (++turn % 100 == 0) {
            const auto p = stores.front()->searchProgress();
            std::printf("  %d traces written, %.0f s; content search %lld spans behind\n", t + 1,
                std::chrono::duration<double>(Clock::now() - t0).count(), static_cast<long long>(p.lag));
            std::fflush(stdout);
        }
        batch.clear();
    }
}

} // namespace

/// The PostgreSQL run: schemas written batch by batch, with and without content search.
int runPostgres(
    int traces, int spansPerTrace, int runs, bool lockBoth, int compareTraces, bool indexAfter, const std::string &hold)
{
    test::PgServer server;
    {
        // As a server would run it: the benchmark's writes are bulk, the default cost settings stay.
        pqxx::connection c(server.conninfo());
        pqxx::nontransaction tx(c);
        tx.exec("ALTER SYSTEM SET shared_buffers = '1GB'");
        tx.exec("ALTER SYSTEM SET max_wal_size = '8GB'");
        tx.exec("ALTER SYSTEM SET maintenance_work_mem = '1GB'");
    }
    server.stop();
    server.start();
    g_postmaster = server.pid();
    store::PostgresStore::Options on, off, writerLock;
    on.schema = "with_search";
    off.schema = "without_search";
    off.search = false;
    writerLock.schema = "with_search_writer_lock";
    writerLock.search_takes_writer_lock = true;
    const std::int64_t spans = std::int64_t(traces) * spansPerTrace;
    compareTraces = std::min(compareTraces, traces);
    Generator gen(42);
    std::string rareOrder;
    // [0] with content search, [1] without, [2] with, its indexer taking the writer's lock (as before)
    std::vector<double> secs(3, 0.0), cpuMs(3, 0.0);
    double textBytes = 0;
    const auto t0 = Clock::now();
    {
        store::PostgresStore withSearch(server.conninfo(), on);
        store::PostgresStore withoutSearch(server.conninfo(), off);
        std::unique_ptr<store::PostgresStore> withLock;
        if (lockBoth)
            withLock = std::make_unique<store::PostgresStore>(server.conninfo(), writerLock);
        if (!withSearch.searchIndexError().empty()) {
            std::fprintf(stderr, "%s\n", withSearch.searchIndexError().c_str());
            return 1;
        }
        std::vector<store::PostgresStore *> all { &withSearch, &withoutSearch };
        if (lockBoth)
            all.push_back(withLock.get());
        writeTraces(gen, 0, compareTraces, spansPerTrace, all, secs, cpuMs, rareOrder, traces / 2, textBytes);
        const std::int64_t compared = std::int64_t(compareTraces) * spansPerTrace;
        std::printf("%lld spans written to each schema in turns:\n", static_cast<long long>(compared));
        std::printf("writes without content search %.1f s: %.0f spans/s; with it %.1f s: %.0f spans/s (%.0f%%)\n",
            secs[1], double(compared) / secs[1], secs[0], double(compared) / secs[0], 100.0 * secs[1] / secs[0]);
        if (lockBoth)
            std::printf("writes with content search, its indexer taking the writer's lock (before): %.1f s: %.0f "
                        "spans/s (%.0f%% of the rate without content search); now / before: %.0f%%\n",
                secs[2], double(compared) / secs[2], 100.0 * secs[1] / secs[2], 100.0 * secs[2] / secs[0]);
        std::printf("client CPU of the writes (this thread), µs a span: without %.1f, with %.1f%s",
            1e3 * cpuMs[1] / double(compared), 1e3 * cpuMs[0] / double(compared), lockBoth ? "" : "\n");
        if (lockBoth)
            std::printf(", with, the writer's lock (before) %.1f\n", 1e3 * cpuMs[2] / double(compared));
        if (compareTraces < traces) {
            if (indexAfter) {
                pqxx::connection c(server.conninfo());
                pqxx::nontransaction tx(c);
                tx.exec("DROP INDEX with_search.span_search_text, with_search.span_search_name, "
                        "with_search.span_search_tool, with_search.span_search_model");
            }
            const double before = secs[0];
            writeTraces(gen, compareTraces, traces, spansPerTrace, { &withSearch }, secs, cpuMs, rareOrder, traces / 2,
                textBytes);
            std::printf("the other %lld spans to the schema with content search alone%s: %.1f s, %.0f spans/s\n",
                static_cast<long long>(spans - compared), indexAfter ? ", its trigram indexes dropped" : "",
                secs[0] - before, double(spans - compared) / (secs[0] - before));
            if (indexAfter) {
                const auto w0 = Clock::now();
                withSearch.waitForSearchIndex();
                std::printf(
                    "span_search filled %.1f s later\n", std::chrono::duration<double>(Clock::now() - w0).count());
            }
        }
    }
    if (indexAfter) {
        const auto w0 = Clock::now();
        store::PostgresStore db(server.conninfo(), on); // makes the missing indexes, as at any start
        std::printf("the store made its four trigram indexes over %lld rows when it opened: %.1f s\n",
            static_cast<long long>(spans), std::chrono::duration<double>(Clock::now() - w0).count());
    }
    std::printf("%lld spans in %d traces, %.0f bytes of text a span\n", static_cast<long long>(spans), traces,
        textBytes / double(spans));
    {
        store::PostgresStore db(server.conninfo(), on);
        const auto lag = db.searchProgress().lag;
        const double stored = std::chrono::duration<double>(Clock::now() - t0).count();
        db.waitForSearchIndex();
        const double indexed = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("stored in %.1f s; the indexer %lld spans behind then, caught up %.1f s later: %.0f spans/s "
                    "indexed from the start\n",
            stored, static_cast<long long>(lag), indexed - stored, double(spans) / indexed);
    }
    {
        pqxx::connection c(server.conninfo());
        pqxx::nontransaction tx(c);
        tx.exec("VACUUM ANALYZE with_search.spans");
        tx.exec("VACUUM ANALYZE with_search.span_search");
        tx.exec("VACUUM ANALYZE with_search.traces");
        auto bytes = [&](const std::string &sql) { return tx.exec1(sql)[0].as<double>() / double(spans); };
        std::printf("bytes a span: spans table %.0f; span_search with its indexes %.0f, of which search_text %.0f "
                    "and its pg_trgm indexes %.0f\n",
            bytes("SELECT pg_total_relation_size('with_search.spans')"),
            bytes("SELECT pg_total_relation_size('with_search.span_search')"),
            bytes("SELECT sum(pg_column_size(search_text)) FROM with_search.span_search"),
            bytes("SELECT coalesce(sum(pg_relation_size(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                  "c.relnamespace "
                  "WHERE n.nspname = 'with_search' AND c.relname IN ('span_search_text', 'span_search_name', "
                  "'span_search_tool', 'span_search_model')"));
    }
    std::vector<Query> slow;
    {
        store::PostgresStore db(server.conninfo(), on);
        slow = timeQueries(
            db, queries(rareOrder, gen.commonest(), kStartNs + std::int64_t(traces / 2) * 60'000'000'000), spans, runs);
    }
    try {
        explainSlow(server, on, slow);
    } catch (const std::exception &e) {
        std::printf("no plans: %s\n", e.what());
    }
    if (!hold.empty()) {
        std::printf("holding the server until %s exists: %s\n", hold.c_str(), server.conninfo().c_str());
        std::fflush(stdout);
        while (!std::filesystem::exists(hold))
            std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    return 0;
}

/// Only the queries, over the schema with content search of a server a --hold run keeps.
int queryPostgres(const std::string &conninfo, int traces, int spansPerTrace, int runs)
{
    Generator gen(42);
    std::string rareOrder;
    for (int t = 0; t <= traces / 2; ++t)
        (void)gen.trace(spansPerTrace, 0, rareOrder);
    {
        // The server's backends, for their CPU time: the postmaster's pid heads postmaster.pid.
        pqxx::connection c(conninfo);
        pqxx::nontransaction tx(c);
        std::ifstream pidFile(tx.exec1("SHOW data_directory")[0].as<std::string>() + "/postmaster.pid");
        pidFile >> g_postmaster;
        if (!pidFile)
            g_postmaster = -1;
    }
    store::PostgresStore::Options on;
    on.schema = "with_search";
    store::PostgresStore db(conninfo, on);
    (void)timeQueries(db, queries(rareOrder, gen.commonest(), kStartNs + std::int64_t(traces / 2) * 60'000'000'000),
        std::int64_t(traces) * spansPerTrace, runs);
    return 0;
}

int main(int argc, char **argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // a long run's output as it comes, when it goes to a file
    int traces = 100'000;
    int spansPerTrace = 10;
    int runs = 20;
    bool keep = false;
    bool postgres = false;
    bool reuse = false;
    bool lockBoth = false;
    int compareTraces = -1;
    bool indexAfter = false;
    std::string hold, conninfo;
    std::string dir = (std::filesystem::temp_directory_path() / "bench_contentsearch").string();
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--traces")
            traces = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--spans-per-trace")
            spansPerTrace = std::max(2, std::atoi(argv[i + 1]));
        else if (flag == "--runs")
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--dir")
            dir = argv[i + 1];
        else if (flag == "--keep")
            keep = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--postgres")
            postgres = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--reuse")
            reuse = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--writer-lock")
            lockBoth = std::string(argv[i + 1]) == "both";
        else if (flag == "--compare-traces")
            compareTraces = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--index-after")
            indexAfter = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--hold")
            hold = argv[i + 1];
        else if (flag == "--conninfo")
            conninfo = argv[i + 1];
    }
    if (postgres)
        return runPostgres(
            traces, spansPerTrace, runs, lockBoth, compareTraces < 0 ? traces : compareTraces, indexAfter, hold);
    if (!conninfo.empty())
        return queryPostgres(conninfo, traces, spansPerTrace, runs);
    if (reuse) {
        keep = true;
    } else {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    const std::string path = dir + "/search.db";
    const std::int64_t spans = std::int64_t(traces) * spansPerTrace;

    Generator gen(42);
    std::string rareOrder;
    double storeSecs = 0, textBytes = 0;
    const auto t0 = Clock::now();
    if (reuse) {
        // The same generator, to know the rare order id again; nothing is stored.
        std::string order;
        for (int t = 0; t <= traces / 2; ++t) {
            (void)gen.trace(spansPerTrace, 0, order);
            if (t == traces / 2)
                rareOrder = order;
        }
    } else {
        store::SqliteStore db(path);
        std::vector<core::Span> batch;
        for (int t = 0; t < traces; ++t) {
            std::string order;
            auto trace = gen.trace(spansPerTrace, kStartNs + std::int64_t(t) * 60'000'000'000, order);
            if (t == traces / 2)
                rareOrder = order;
            for (auto &s : trace) {
                textBytes += double(s.input.size() + s.output.size() + s.status_message.size() + s.name.size());
                batch.push_back(std::move(s));
            }
            if (batch.size() >= 1000 || t + 1 == traces) {
                const auto w0 = Clock::now();
                db.writeBatch(batch);
                storeSecs += std::chrono::duration<double>(Clock::now() - w0).count();
                batch.clear();
            }
        }
        const double stored = std::chrono::duration<double>(Clock::now() - t0).count();
        const auto lag = db.searchProgress()->lag();
        db.waitForSearchIndex();
        const double indexed = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("%lld spans in %d traces, %.0f bytes of text a span\n", static_cast<long long>(spans), traces,
            textBytes / double(spans));
        std::printf("stored in %.1f s (writes %.1f s: %.0f spans/s); the index %lld spans behind then, caught up "
                    "%.1f s later: %.0f spans/s indexed from the start\n",
            stored, storeSecs, double(spans) / storeSecs, static_cast<long long>(lag), indexed - stored,
            double(spans) / indexed);
    }
    const auto size = [](const std::string &p) {
        std::uintmax_t n = 0;
        for (const char *suffix : { "", "-wal" })
            if (std::filesystem::exists(p + suffix))
                n += std::filesystem::file_size(p + suffix);
        return n;
    };
    std::printf("database %.0f bytes a span; search index %.0f bytes a span\n", double(size(path)) / double(spans),
        double(size(store::SearchIndex::pathFor(path))) / double(spans));

    for (const bool before : { true, false }) {
        store::SqliteStore::Options options;
        if (before)
            options.search_options.common_rows = -1;
        store::SqliteStore db(path, options);
        db.waitForSearchIndex();
        std::printf("%s\n", before ? "one query, the index as a subquery (before):" : "collect or walk (now):");
        (void)timeQueries(
            db, queries(rareOrder, gen.commonest(), kStartNs + std::int64_t(traces / 2) * 60'000'000'000), spans, runs);
    }
    if (!keep)
        std::filesystem::remove_all(dir);
    return 0;
}
