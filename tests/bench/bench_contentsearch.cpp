// SPDX-License-Identifier: MIT
// Content search over a stored database: how fast the index fills, what it costs on disk, and how
// long a trace list with q= takes, for a rare word, a common word, a word in most spans, a
// substring of an identifier and a field query.
//
//   bench_contentsearch [--traces N] [--spans-per-trace N] [--runs N] [--dir DIR] [--keep 1]
//                       [--reuse 1] [--postgres 1] [--writer-lock both]
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
// --writer-lock both: a third schema whose indexer does not take the writer's lock for its steps
// (PostgresStore::Options::search_takes_writer_lock off), written in the same turns: what taking
// turns with the indexer costs the writer.
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
#include <memory>
#include <random>
#include <string>
#include <vector>

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
            s.start_ns = start + i * 1'000'000;
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
};

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

Timing timeQuery(store::TraceStore &db, const std::string &q, int runs, store::TraceSort sort)
{
    std::vector<double> ms, cpu;
    std::size_t found = 0;
    for (int i = 0; i < runs; ++i) {
        store::TraceQuery query;
        query.text = q;
        query.sort = sort;
        const double c0 = threadCpuMs();
        const auto t0 = Clock::now();
        const auto page = db.listTraces(query);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        cpu.push_back(threadCpuMs() - c0);
        found = page.traces.size();
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    const std::size_t p95 = std::min(ms.size() - 1, ms.size() * 95 / 100);
    return { ms[ms.size() / 2], ms[p95], ms.back(), cpu[cpu.size() / 2], cpu[p95], found };
}

} // namespace

struct Query
{
    const char *what;
    std::string q;
    store::TraceSort sort;
};

std::vector<Query> queries(const std::string &rareOrder, const std::string &commonest)
{
    return {
        { "rare: an order id (1 trace)", rareOrder, store::TraceSort::StartTime },
        { "substring of it", rareOrder.substr(3, 9), store::TraceSort::StartTime },
        { "a city (in 1 trace in 5)", "Tokyo", store::TraceSort::StartTime },
        { "a word in every trace", "weather", store::TraceSort::StartTime },
        { "the commonest word of the text", commonest, store::TraceSort::StartTime },
        { "a failed tool in one city", "status:error tool:get_weather Tokyo", store::TraceSort::StartTime },
        { "a phrase that is nowhere", "\"weather service in Atlantis\"", store::TraceSort::StartTime },
        { "a city, by duration", "Tokyo", store::TraceSort::Duration },
        { "a word in every trace, by duration", "weather", store::TraceSort::Duration },
        { "a field: tool (every trace)", "tool:get_weather", store::TraceSort::StartTime },
    };
}

void timeQueries(
    store::TraceStore &db, const std::string &rareOrder, const std::string &commonest, std::int64_t spans, int runs)
{
    std::printf("q= over %lld spans, first page of 50, %d runs each: wall p50 / p95 / max ms, CPU p50 / p95 ms "
                "(traces on the page)\n",
        static_cast<long long>(spans), runs);
    for (const auto &q : queries(rareOrder, commonest)) {
        const Timing t = timeQuery(db, q.q, runs, q.sort);
        std::printf("  %-34s %-40s %7.1f %7.1f %7.1f   cpu %7.1f %7.1f  (%zu)\n", q.what, ("q=" + q.q).c_str(), t.p50,
            t.p95, t.max, t.cpu50, t.cpu95, t.traces);
    }
}

/// The PostgreSQL run: two schemas written batch by batch, with and without content search.
int runPostgres(int traces, int spansPerTrace, int runs, bool lockBoth)
{
    test::PgServer server;
    {
        // As a server would run it: the benchmark's writes are bulk, the default cost settings stay.
        pqxx::connection c(server.conninfo());
        pqxx::nontransaction tx(c);
        tx.exec("ALTER SYSTEM SET shared_buffers = '1GB'");
        tx.exec("ALTER SYSTEM SET max_wal_size = '8GB'");
    }
    server.stop();
    server.start();
    store::PostgresStore::Options on, off, noLock;
    on.schema = "with_search";
    off.schema = "without_search";
    off.search = false;
    noLock.schema = "with_search_no_lock";
    noLock.search_takes_writer_lock = false;
    const std::int64_t spans = std::int64_t(traces) * spansPerTrace;
    Generator gen(42);
    std::string rareOrder;
    double secs[3] = { 0, 0, 0 }; // [0] without, [1] with, [2] with, its indexer not taking the writer's lock
    double textBytes = 0;
    const auto t0 = Clock::now();
    {
        store::PostgresStore withSearch(server.conninfo(), on);
        store::PostgresStore withoutSearch(server.conninfo(), off);
        std::unique_ptr<store::PostgresStore> withoutLock;
        if (lockBoth)
            withoutLock = std::make_unique<store::PostgresStore>(server.conninfo(), noLock);
        store::TraceStore *stores[3] = { &withoutSearch, &withSearch, withoutLock.get() };
        const int count = lockBoth ? 3 : 2;
        if (!withSearch.searchIndexError().empty()) {
            std::fprintf(stderr, "%s\n", withSearch.searchIndexError().c_str());
            return 1;
        }
        std::vector<core::Span> batch;
        const std::int64_t start = 1'790'000'000'000'000'000;
        int turn = 0;
        for (int t = 0; t < traces; ++t) {
            std::string order;
            auto trace = gen.trace(spansPerTrace, start + std::int64_t(t) * 60'000'000'000, order);
            if (t == traces / 2)
                rareOrder = order;
            for (auto &s : trace) {
                textBytes += double(s.input.size() + s.output.size() + s.status_message.size() + s.name.size());
                batch.push_back(std::move(s));
            }
            if (batch.size() >= 1000 || t + 1 == traces) {
                for (int k = 0; k < count; ++k) {
                    const int which = (turn + k) % count;
                    const auto w0 = Clock::now();
                    stores[which]->writeBatch(batch);
                    secs[which] += std::chrono::duration<double>(Clock::now() - w0).count();
                }
                ++turn;
                batch.clear();
            }
        }
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
    std::printf("writes without content search %.1f s: %.0f spans/s; with it %.1f s: %.0f spans/s (%.0f%%)\n", secs[0],
        double(spans) / secs[0], secs[1], double(spans) / secs[1], 100.0 * secs[0] / secs[1]);
    if (lockBoth)
        std::printf("writes with content search, its indexer not taking the writer's lock: %.1f s: %.0f spans/s; with "
                    "the lock / without it: %.0f%%\n",
            secs[2], double(spans) / secs[2], 100.0 * secs[2] / secs[1]);
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
    store::PostgresStore db(server.conninfo(), on);
    timeQueries(db, rareOrder, gen.commonest(), spans, runs);
    return 0;
}

int main(int argc, char **argv)
{
    int traces = 100'000;
    int spansPerTrace = 10;
    int runs = 20;
    bool keep = false;
    bool postgres = false;
    bool reuse = false;
    bool lockBoth = false;
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
    }
    if (postgres)
        return runPostgres(traces, spansPerTrace, runs, lockBoth);
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
        const std::int64_t start = 1'790'000'000'000'000'000;
        for (int t = 0; t < traces; ++t) {
            std::string order;
            auto trace = gen.trace(spansPerTrace, start + std::int64_t(t) * 60'000'000'000, order);
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
        timeQueries(db, rareOrder, gen.commonest(), spans, runs);
    }
    if (!keep)
        std::filesystem::remove_all(dir);
    return 0;
}
