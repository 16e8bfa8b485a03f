// SPDX-License-Identifier: MIT
// Dashboard refresh time: stores N realistic agent spans spread over D days (writeBatch in big
// batches, as the ingest pipeline's group commit does), then times MetricsQuery refreshes of the
// dashboard's three usual views and the first page of the trace list in every sort and filter, and
// prints median, p95 and worst of each, and the database size.
//
//   bench_metrics [--spans N] [--days D] [--runs R] [--dir DIR] [--postgres 1] [--conninfo C] [--schema S]
//   [--postmaster PID] [--fill 0] [--retention 1]
// --postgres 1: the same over PostgresStore, in a PostgreSQL 15 server the benchmark starts itself
//   (fsync on, synchronous_commit off), as a role that is no superuser (row-level security binds it).
// --conninfo C: over PostgresStore in the server C names instead (schema "bench", or --schema S),
//   which stays: a big fill is made once (--fill 0 then only queries it again);
//   --postmaster PID: that server's postmaster, whose processes' CPU time is printed then too.
// --retention 1 (PostgreSQL): retention of the first day instead, dropped and deleted by rows.
// Beside the wall times: the CPU time a request costs, on average, in this process and in PostgreSQL
// (all of its processes: the machine may be shared, and wall times then say more of the load).
#include "proccpu.h"
#include "store/postgresstore.h"
#include "store/sqlitestore.h"
#include "support/pgserver.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fstream>
#include <sstream>

#include <ctime>
#include <unistd.h>

using namespace agentops;
using Clock = std::chrono::steady_clock;

namespace {

/// Without the content search index, whose indexing in the background would share the cores with
/// what is measured here (bench_ingest --search measures it).
agentops::store::SqliteStore::Options noSearch()
{
    agentops::store::SqliteStore::Options o;
    o.search = false;
    return o;
}

constexpr std::int64_t kSec = 1'000'000'000;
constexpr std::int64_t kHour = 3600 * kSec;
constexpr std::int64_t kDay = 24 * kHour;

std::string text(std::mt19937_64 &rng, std::size_t n)
{
    static const char words[][10] = { "agent ", "tool ", "weather ", "Kyoto ", "plan ", "the ", "budget ", "flight ",
        "hotel ", "search ", "result ", "user " };
    std::string s;
    while (s.size() < n)
        s += words[rng() % std::size(words)];
    s.resize(n);
    return s;
}

/// One agent run of 10 spans: agent root -> 4 LLM calls, 3 tools, a retriever and an embedding.
void addTrace(std::vector<core::Span> &out, std::mt19937_64 &rng, std::int64_t start)
{
    static const char *const services[] = { "travel-agent", "support-bot", "research", "billing", "triage" };
    static const char *const agents[] = { "planner", "booker", "researcher", "supervisor" };
    static const char *const models[] = { "gpt-4o-2024-08-06", "claude-sonnet-4", "gemini-2.5-flash", "gpt-4o-mini" };
    static const char *const tools[] = { "get_weather", "search_flights", "book_hotel", "lookup_order" };
    core::TraceId tid {};
    for (std::size_t i = 0; i < tid.size(); i += 8) {
        const std::uint64_t v = rng();
        std::memcpy(tid.data() + i, &v, 8);
    }
    const std::string service = services[rng() % std::size(services)];
    const std::string agent = agents[rng() % std::size(agents)];
    core::Span root;
    root.trace_id = tid;
    root.span_id = { 1, 0, 0, 0, 0, 0, 0, 1 };
    root.name = "invoke_agent " + agent;
    root.kind = core::SpanKind::Agent;
    root.agent_name = agent;
    root.service_name = service;
    root.session_id = "conv-" + std::to_string(rng() % 5000);
    root.user_id = "user-" + std::to_string(rng() % 300);
    root.start_ns = start;
    root.attributes = { { "gen_ai.operation.name", core::AttrValue::ofString("invoke_agent") },
        { "gen_ai.agent.name", core::AttrValue::ofString(agent) } };
    root.resource = { { "service.name", core::AttrValue::ofString(service) } };
    std::int64_t t = start + 1'000'000;
    for (int k = 1; k < 10; ++k) {
        core::Span s = root;
        s.span_id[7] = static_cast<std::uint8_t>(k + 1);
        s.parent_span_id = root.span_id;
        s.start_ns = t;
        if (k <= 4) {
            const std::string model = models[rng() % std::size(models)];
            s.kind = core::SpanKind::Llm;
            s.name = "chat " + model;
            s.request_model = model;
            s.response_model = model;
            s.provider = "openai";
            s.tokens.input = 500 + static_cast<std::int64_t>(rng() % 4000);
            s.tokens.output = 20 + static_cast<std::int64_t>(rng() % 600);
            s.tokens.cache_read = static_cast<std::int64_t>(rng() % 512);
            if (rng() % 10)
                s.cost_usd
                    = static_cast<double>(*s.tokens.input) * 2.5e-6 + static_cast<double>(*s.tokens.output) * 1e-5;
            s.input = text(rng, 600);
            s.output = text(rng, 150);
            s.end_ns = t + 200'000'000 + static_cast<std::int64_t>(rng() % 4'000'000'000);
        } else if (k <= 7) {
            const std::string tool = tools[rng() % std::size(tools)];
            s.kind = core::SpanKind::Tool;
            s.name = "execute_tool " + tool;
            s.tool_name = tool;
            s.input = R"({"city":"Kyoto","unit":"celsius"})";
            s.output = text(rng, 120);
            s.end_ns = t + 1'000'000 + static_cast<std::int64_t>(rng() % 900'000'000);
        } else if (k == 8) {
            s.kind = core::SpanKind::Retriever;
            s.name = "retrieve documents";
            s.end_ns = t + 20'000'000 + static_cast<std::int64_t>(rng() % 200'000'000);
        } else {
            s.kind = core::SpanKind::Embedding;
            s.name = "embeddings text-embedding-3-small";
            s.request_model = "text-embedding-3-small";
            s.tokens.input = 50 + static_cast<std::int64_t>(rng() % 500);
            s.cost_usd = static_cast<double>(*s.tokens.input) * 2e-8;
            s.end_ns = t + 30'000'000 + static_cast<std::int64_t>(rng() % 100'000'000);
        }
        if (rng() % 40 == 0) {
            s.status = core::StatusCode::Error;
            s.status_message = rng() % 2 ? "upstream timeout" : "rate limited (429)";
        }
        s.attributes.push_back({ "code.function", core::AttrValue::ofString("run_agent_step") });
        t = s.end_ns;
        out.push_back(std::move(s));
    }
    root.end_ns = t + 1'000'000;
    out.push_back(std::move(root));
}

/// CPU seconds of this process, and of the whole PostgreSQL server (0 without its postmaster).
struct CpuClock
{
    pid_t postmaster = -1;
    static double self()
    {
        timespec ts {};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    }
    double postgres() const { return postmaster > 0 ? bench::postgresCpu(postmaster) : 0; }
};

/// Times `runs` calls of f: the line's "median .. p95 .. worst .., CPU a request .." part.
template<typename F>
std::string timed(const CpuClock &cpu, int runs, F &&f)
{
    std::vector<double> times;
    // The walks through /proc (a few ms of this process's CPU) outside this process's reading.
    const double pg0 = cpu.postgres();
    const double self0 = CpuClock::self();
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        f();
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    const double self1 = CpuClock::self();
    const double pg1 = cpu.postgres();
    std::sort(times.begin(), times.end());
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(times.size())));
    char line[200];
    std::snprintf(line, sizeof line, "median %7.1f ms  p95 %7.1f ms  worst %7.1f ms  CPU/req: self %6.1f ms",
        times[times.size() / 2], times[std::min(times.size(), std::max<std::size_t>(rank, 1)) - 1], times.back(),
        (self1 - self0) * 1e3 / runs);
    std::string out = line;
    if (cpu.postmaster > 0) {
        std::snprintf(line, sizeof line, ", PostgreSQL %6.1f ms", (pg1 - pg0) * 1e3 / runs);
        out += line;
    }
    return out;
}

/// The first page (50 traces) of the trace list in every sort, both orders, and with each filter;
/// median, p95 and worst of `runs` requests each. False when a list that must have traces is empty.
bool traceList(store::TraceStore &db, int runs, const CpuClock &cpu)
{
    struct Case
    {
        std::string name;
        store::TraceQuery q;
        bool nonEmpty = true;
    };
    std::vector<Case> cases;
    const std::pair<const char *, store::TraceSort> sorts[]
        = { { "start time", store::TraceSort::StartTime }, { "duration", store::TraceSort::Duration },
              { "cost", store::TraceSort::Cost }, { "tokens", store::TraceSort::Tokens },
              { "spans", store::TraceSort::SpanCount }, { "errors", store::TraceSort::ErrorCount } };
    for (const auto &[name, sort] : sorts)
        for (const bool desc : { true, false }) {
            Case c { std::string("sort by ") + name + (desc ? " desc" : " asc"), {} };
            c.q.sort = sort;
            c.q.descending = desc;
            cases.push_back(c);
        }
    auto filtered = [&](const char *name, auto set, bool nonEmpty = true) {
        Case c { name, {}, nonEmpty };
        set(c.q);
        cases.push_back(c);
    };
    filtered("filter model", [](store::TraceQuery &q) { q.model = "claude-sonnet-4"; });
    filtered("filter model, sort cost", [](store::TraceQuery &q) {
        q.model = "gpt-4o-mini";
        q.sort = store::TraceSort::Cost;
    });
    filtered("filter errors", [](store::TraceQuery &q) { q.errors_only = true; });
    filtered("filter service", [](store::TraceQuery &q) { q.service = "billing"; });
    const auto newest = db.listTraces({}).traces; // a session that is there, whatever the size
    const std::string session = newest.empty() ? "conv-0" : newest.front().session_id;
    filtered("filter session", [&](store::TraceQuery &q) { q.session_id = session; });
    filtered("filter name", [](store::TraceQuery &q) { q.name_contains = "booker"; });
    filtered("filter min duration 5 s", [](store::TraceQuery &q) { q.min_duration_ns = 5 * kSec; });
    filtered("filter min cost $0.05", [](store::TraceQuery &q) { q.min_cost_usd = 0.05; });
    filtered(
        "filter name, no match", [](store::TraceQuery &q) { q.name_contains = "no such agent"; }, false);
    bool ok = true;
    std::printf("trace list, first page of 50 (%d requests each):\n", runs);
    for (const Case &c : cases) {
        std::size_t n = 0;
        const std::string line = timed(cpu, runs, [&] { n = db.listTraces(c.q).traces.size(); });
        std::printf("  %-28s %s  (%zu traces)\n", c.name.c_str(), line.c_str(), n);
        ok = ok && (n > 0) == c.nonEmpty;
    }
    return ok;
}

/// --retention 1: the first of `days` days of spans deleted by retention, dropped as a partition
/// and deleted row by row, each from a schema of its own filled alike (each trace stored when it
/// starts, so a day's traces are in that day's partition): time, CPU and WAL written.
bool retention(const std::string &conninfo, const CpuClock &cpu, long long spans, int days, std::int64_t end)
{
    const std::int64_t begin = end - days * kDay;
    const long long traces = spans / 10;
    bool ok = true;
    pqxx::connection admin(conninfo);
    const auto wal = [&admin] {
        pqxx::nontransaction tx(admin);
        return tx.exec1("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')")[0].as<double>();
    };
    for (const bool drop : { true, false }) {
        std::int64_t now = begin;
        store::PostgresStore::Options o;
        o.schema = drop ? "bench_retention_drop" : "bench_retention_rows";
        o.search = false;
        o.clock = [&now] { return now; };
        o.retention_drops_days = drop;
        store::PostgresStore db(conninfo, o);
        std::mt19937_64 rng(42);
        std::vector<core::Span> batch;
        for (long long i = 0; i < traces; ++i) {
            const std::int64_t start
                = begin + (end - begin - kHour) / traces * i + static_cast<std::int64_t>(rng() % kSec);
            addTrace(batch, rng, start);
            if (batch.size() >= 16'000 || i + 1 == traces) {
                now = start;
                db.writeBatch(std::move(batch));
                batch.clear();
            }
        }
        now = end + kDay;
        const double wal0 = wal(), pg0 = cpu.postgres(), self0 = CpuClock::self();
        const auto t0 = Clock::now();
        std::size_t deleted = 0, calls = 0;
        while (const std::size_t n = db.deleteTracesBefore(begin + kDay, 500)) {
            deleted += n;
            ++calls;
        }
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("retention, one day of %lld traces %s: %zu traces in %zu calls, %.2f s, CPU self %.2f s, "
                    "PostgreSQL %.2f s, WAL %.1f MiB\n",
            traces / days, drop ? "dropped as a partition" : "deleted by rows", deleted, calls, secs,
            CpuClock::self() - self0, cpu.postgres() - pg0, (wal() - wal0) / (1 << 20));
        ok = ok && deleted > 0;
    }
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    long long spans = 1'000'000;
    int days = 30;
    int runs = 10;
    std::string dir;
    bool postgres = false;
    bool fill = true;
    bool retentionOnly = false;
    std::string conninfo;
    CpuClock cpu;
    std::string schema = "bench";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--postgres")
            postgres = std::atoi(argv[i + 1]) != 0;
        else if (a == "--spans")
            spans = std::atoll(argv[i + 1]);
        else if (a == "--days")
            days = std::atoi(argv[i + 1]);
        else if (a == "--runs")
            runs = std::atoi(argv[i + 1]);
        else if (a == "--dir")
            dir = argv[i + 1];
        else if (a == "--conninfo")
            conninfo = argv[i + 1];
        else if (a == "--schema")
            schema = argv[i + 1];
        else if (a == "--postmaster")
            cpu.postmaster = static_cast<pid_t>(std::atol(argv[i + 1]));
        else if (a == "--fill")
            fill = std::atoi(argv[i + 1]) != 0;
        else if (a == "--retention")
            retentionOnly = std::atoi(argv[i + 1]) != 0;
        else {
            std::fprintf(stderr,
                "usage: bench_metrics [--spans N] [--days D] [--runs R] [--dir DIR] [--postgres 1] [--conninfo C] "
                "[--schema S] [--postmaster PID] [--fill 0] [--retention 1]\n");
            return 2;
        }
    }
    const bool ownDir = dir.empty();
    if (ownDir)
        dir = (std::filesystem::temp_directory_path() / ("agentops-bench-metrics-" + std::to_string(::getpid())))
                  .string();
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/metrics.db";
    if (fill)
        std::filesystem::remove(path);
    std::unique_ptr<test::PgServer> pg;
    if (!conninfo.empty())
        postgres = true;
    else if (postgres) {
        pg = std::make_unique<test::PgServer>("-c fsync=on -c full_page_writes=on -c synchronous_commit=off "
                                              "-c max_wal_size=4GB -c shared_buffers=256MB");
        conninfo = pg->conninfoAs("agentops_bench");
        cpu.postmaster = pg->pid();
    }
    auto open = [&]() -> std::unique_ptr<store::TraceStore> {
        if (postgres) {
            store::PostgresStore::Options o;
            o.schema = schema;
            o.search = false;
            return std::make_unique<store::PostgresStore>(conninfo, o);
        }
        return std::make_unique<store::SqliteStore>(path, noSearch());
    };

    const std::int64_t end = 1'767'225'600 * kSec; // 2026-01-01
    if (retentionOnly) {
        if (!postgres) {
            std::fprintf(stderr, "--retention: PostgreSQL only\n");
            return 2;
        }
        return retention(conninfo, cpu, spans, days, end) ? 0 : 1;
    }
    const std::int64_t begin = end - days * kDay;
    const long long traces = spans / 10;
    std::mt19937_64 rng(42);
    if (fill) {
        const auto db = open();
        const auto t0 = Clock::now();
        std::vector<core::Span> batch;
        for (long long i = 0; i < traces; ++i) {
            // Traces in time order with jitter, as they arrive.
            const std::int64_t start
                = begin + (end - begin - kHour) / traces * i + static_cast<std::int64_t>(rng() % kSec);
            addTrace(batch, rng, start);
            if (batch.size() >= 16'000) {
                db->writeBatch(std::move(batch));
                batch.clear();
            }
        }
        if (!batch.empty())
            db->writeBatch(std::move(batch));
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf(
            "stored %lld spans (%lld traces over %d days) in %.1f s = %.0f spans/s (generate + encode + write)\n",
            traces * 10, traces, days, secs, static_cast<double>(traces * 10) / secs);
    }
    if (!postgres)
        std::printf("database size: %.1f MiB\n", static_cast<double>(std::filesystem::file_size(path)) / (1 << 20));

    const auto store = open();
    store::TraceStore &db = *store;
    struct View
    {
        const char *name;
        std::int64_t range;
        store::MetricsGroupBy group;
    };
    const View views[] = { { "30 days by model", 30 * kDay, store::MetricsGroupBy::Model },
        { "24 h by service", kDay, store::MetricsGroupBy::Service },
        { "7 days by kind", 7 * kDay, store::MetricsGroupBy::SpanKind } };
    bool ok = true;
    for (const auto &v : views) {
        store::MetricsQuery q;
        q.to_ns = end;
        q.from_ns = end - std::min<std::int64_t>(v.range, days * kDay);
        q.group_by = v.group;
        store::MetricsResult r;
        const std::string line = timed(cpu, runs, [&] { r = db.metrics(q); });
        std::printf("%-18s %s  (%zu buckets of %lld s, %lld traces, %lld spans)\n", v.name, line.c_str(),
            r.buckets.size(), static_cast<long long>(r.bucket_ns / kSec), static_cast<long long>(r.totals.traces),
            static_cast<long long>(r.totals.spans));
        ok = ok && r.totals.spans > 0;
    }
    ok = traceList(db, runs, cpu) && ok;
    if (ownDir)
        std::filesystem::remove_all(dir);
    return ok ? 0 : 1;
}
