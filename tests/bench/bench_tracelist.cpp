// SPDX-License-Identifier: MIT
// The trace list over many traces: every sort and filter the list offers, first page and the next
// one, timed on the store (the API answers from the same call); and how fast the traces are written,
// with the list's indexes and without them, in the same run.
//
//   bench_tracelist [--traces 1000000] [--runs 12] [--dir DIR] [--keep 1] [--reuse 1] [--ingest 1]
//                   [--only TEXT] [--split 1] [--before 0]
//
// Each trace is an agent run of three spans (agent, model call, tool call) over 30 days; models,
// services and failures are spread unevenly, as real traffic is: one model in most traces, one in a
// thousand; one tool call in 20 fails. Payloads are short: the list reads summaries, not spans.
//
// --reuse 1 queries the databases a run with --keep 1 left in DIR. --ingest 1 also writes the same
// traces into a database without the list's sort indexes (the schema before them), taking turns
// batch by batch, and prints both rates; the "before" queries run on that database with the store
// told to plan as before (Options::list_plans = false). --split 1 writes each trace's three spans in
// three batches in a row (a batch: the agent spans of 1,000 new traces, the model calls of the 1,000
// before them and the tool calls of the 1,000 before those), so that most writes change a summary
// that is there already, as when spans are exported as they end. --before 0 leaves the "before"
// queries out (when another run measures them).
#include "store/sqlitestore.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace agentops;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kStart = 1'790'000'000'000'000'000;
constexpr std::int64_t kDayNs = 86'400'000'000'000;

struct Model
{
    const char *name;
    int weight; // per 1000 traces
    double usdPerToken;
};
const Model kModels[] = { { "gpt-4o-mini", 600, 0.6e-6 }, { "claude-3-5-sonnet", 250, 3e-6 },
    { "gemini-2.0-flash", 120, 0.4e-6 }, { "gpt-4o", 29, 5e-6 }, { "o1-preview", 1, 15e-6 } };
const char *const kServices[] = { "support-agent", "billing-agent", "search-agent", "triage-agent", "rare-agent" };
const int kServiceWeights[] = { 500, 300, 150, 49, 1 };

class Generator
{
public:
    explicit Generator(std::uint32_t seed)
        : m_rng(seed)
    { }

    std::vector<core::Span> trace(std::int64_t start)
    {
        std::vector<core::Span> out;
        core::TraceId traceId {};
        for (auto &b : traceId)
            b = static_cast<std::uint8_t>(m_rng());
        const Model &model = pick(kModels);
        const char *service = kServices[weighted(kServiceWeights)];
        // Durations spread over four orders of magnitude, as agent runs do.
        const std::int64_t llmNs
            = static_cast<std::int64_t>(std::exp(std::normal_distribution<double>(20.5, 1.2)(m_rng))); // ~0.8 s median
        const std::int64_t toolNs = static_cast<std::int64_t>(m_rng() % 2'000'000'000);
        const std::int64_t total = llmNs + toolNs + 5'000'000;
        auto span = [&](core::SpanKind kind, std::string name, std::int64_t s0, std::int64_t s1) -> core::Span & {
            core::Span &s = out.emplace_back();
            s.trace_id = traceId;
            for (auto &b : s.span_id)
                b = static_cast<std::uint8_t>(m_rng());
            if (out.size() > 1)
                s.parent_span_id = out.front().span_id;
            s.kind = kind;
            s.name = std::move(name);
            s.start_ns = s0;
            s.end_ns = s1;
            s.service_name = service;
            return s;
        };
        core::Span &agent = span(core::SpanKind::Agent, std::string("invoke_agent ") + service, start, start + total);
        agent.agent_name = service;
        core::Span &llm = span(
            core::SpanKind::Llm, std::string("chat ") + model.name, start + 1'000'000, start + 1'000'000 + llmNs);
        llm.request_model = model.name;
        const std::int64_t in = 50 + static_cast<std::int64_t>(m_rng() % 20000);
        const std::int64_t outTokens = 10 + static_cast<std::int64_t>(m_rng() % 2000);
        llm.tokens.input = in;
        llm.tokens.output = outTokens;
        llm.cost_usd = double(in + 4 * outTokens) * model.usdPerToken;
        llm.input = R"([{"role":"user","content":"where is my order?"}])";
        llm.output = R"([{"role":"assistant","content":"let me look it up"}])";
        core::Span &tool = span(core::SpanKind::Tool, "execute_tool lookup_order", start + 2'000'000 + llmNs,
            start + 2'000'000 + llmNs + toolNs);
        tool.tool_name = "lookup_order";
        if (m_rng() % 20 == 0) {
            tool.status = core::StatusCode::Error;
            tool.status_message = "order service timed out";
        }
        return out;
    }

private:
    template<typename T, std::size_t N>
    const T &pick(const T (&items)[N])
    {
        int r = static_cast<int>(m_rng() % 1000);
        for (const T &m : items) {
            if (r < m.weight)
                return m;
            r -= m.weight;
        }
        return items[0];
    }
    template<std::size_t N>
    std::size_t weighted(const int (&weights)[N])
    {
        int r = static_cast<int>(m_rng() % 1000);
        for (std::size_t i = 0; i < N; ++i) {
            if (r < weights[i])
                return i;
            r -= weights[i];
        }
        return 0;
    }
    std::mt19937 m_rng;
};

double threadCpuMs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

struct Timing
{
    double p50 = 0, p95 = 0, cpu50 = 0, cpu95 = 0;
    std::size_t first = 0, second = 0;
};

double percentile(std::vector<double> v, int p)
{
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, v.size() * static_cast<std::size_t>(p) / 100)];
}

/// The first page and the page after it (through the cursor), `runs` times each.
Timing timeQuery(store::TraceStore &db, const store::TraceQuery &query, int runs)
{
    std::vector<double> ms, cpu;
    Timing t;
    for (int i = 0; i < runs; ++i) {
        store::TraceQuery q = query;
        for (int page = 0; page < 2; ++page) {
            const double c0 = threadCpuMs();
            const auto t0 = Clock::now();
            const store::TracePage answer = db.listTraces(q);
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            cpu.push_back(threadCpuMs() - c0);
            (page == 0 ? t.first : t.second) = answer.traces.size();
            if (answer.next_cursor.empty())
                break;
            q.cursor = answer.next_cursor;
        }
    }
    t.p50 = percentile(ms, 50);
    t.p95 = percentile(ms, 95);
    t.cpu50 = percentile(cpu, 50);
    t.cpu95 = percentile(cpu, 95);
    return t;
}

struct Case
{
    std::string what;
    std::function<void(store::TraceQuery &)> set;
};

std::vector<Case> cases()
{
    using S = store::TraceSort;
    std::vector<Case> out;
    const std::pair<const char *, S> sorts[] = { { "start", S::StartTime }, { "duration", S::Duration },
        { "cost", S::Cost }, { "tokens", S::Tokens }, { "spans", S::SpanCount }, { "errors", S::ErrorCount } };
    for (const auto &[name, key] : sorts)
        for (const bool desc : { true, false })
            out.push_back({ std::string("sort by ") + name + (desc ? " desc" : " asc"), [sort = key, desc](auto &q) {
                               q.sort = sort;
                               q.descending = desc;
                           } });
    auto filtered = [&](const std::string &what, const std::function<void(store::TraceQuery &)> &set) {
        for (const auto &[name, key] : { std::pair { "start", S::StartTime }, std::pair { "cost", S::Cost },
                 std::pair { "duration", S::Duration } })
            out.push_back({ what + ", by " + name, [set, sort = key](auto &q) {
                               set(q);
                               q.sort = sort;
                           } });
    };
    filtered("model in 60%", [](auto &q) { q.model = "gpt-4o-mini"; });
    filtered("model in 0.1%", [](auto &q) { q.model = "o1-preview"; });
    filtered("service in 50%", [](auto &q) { q.service = "support-agent"; });
    filtered("service in 0.1%", [](auto &q) { q.service = "rare-agent"; });
    filtered("errors only (5%)", [](auto &q) { q.errors_only = true; });
    filtered("duration >= 10 s", [](auto &q) { q.min_duration_ns = 10'000'000'000; });
    filtered("cost >= $0.10", [](auto &q) { q.min_cost_usd = 0.10; });
    filtered("last 24 hours", [](auto &q) { q.from_ns = kStart + 29 * kDayNs; });
    filtered("last 7 days", [](auto &q) { q.from_ns = kStart + 23 * kDayNs; });
    filtered("name contains", [](auto &q) { q.name_contains = "billing"; });
    filtered("rare model, errors, 7 days", [](auto &q) {
        q.model = "gpt-4o";
        q.errors_only = true;
        q.from_ns = kStart + 23 * kDayNs;
    });
    return out;
}

std::string g_only; // --only TEXT: the cases whose name holds it

void timeAll(store::TraceStore &db, int runs, const char *label)
{
    std::printf("%s: first page of 50 and the next, %d runs each: wall p50 / p95 ms, CPU p50 / p95 ms (rows on "
                "the pages)\n",
        label, runs);
    for (const Case &c : cases()) {
        if (c.what.find(g_only) == std::string::npos)
            continue;
        store::TraceQuery q;
        c.set(q);
        const Timing t = timeQuery(db, q, runs);
        std::printf("  %-40s %8.1f %8.1f   cpu %8.1f %8.1f  (%zu, %zu)\n", c.what.c_str(), t.p50, t.p95, t.cpu50,
            t.cpu95, t.first, t.second);
        std::fflush(stdout);
    }
}

/// The schema before the list's sort indexes: they are dropped, so writes do not keep them.
void dropListIndexes(const std::string &path)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(
        db, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'traces_list_%'", -1, &st, nullptr);
    std::vector<std::string> names;
    while (sqlite3_step(st) == SQLITE_ROW)
        names.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    for (const auto &n : names)
        sqlite3_exec(db, ("DROP INDEX " + n).c_str(), nullptr, nullptr, nullptr);
    sqlite3_close(db);
}

} // namespace

int main(int argc, char **argv)
{
    int traces = 1'000'000, runs = 12;
    bool keep = false, reuse = false, ingest = false, split = false, timeBefore = true;
    std::string dir = std::filesystem::temp_directory_path().string() + "/agentops-bench-tracelist";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--traces")
            traces = std::atoi(argv[i + 1]);
        else if (flag == "--runs")
            runs = std::atoi(argv[i + 1]);
        else if (flag == "--dir")
            dir = argv[i + 1];
        else if (flag == "--keep")
            keep = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--reuse")
            reuse = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--only")
            g_only = argv[i + 1];
        else if (flag == "--ingest")
            ingest = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--split")
            split = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--before")
            timeBefore = std::atoi(argv[i + 1]) != 0;
        else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    if (traces < 1 || runs < 1) {
        std::fprintf(stderr, "--traces and --runs must be at least 1\n");
        return 2;
    }
    const std::string now = dir + "/list.db", before = dir + "/before.db";
    // Content search is measured by bench_contentsearch; its indexer would only compete for the CPU here.
    store::SqliteStore::Options plain;
    plain.search = false;
    if (!reuse) {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        {
            store::SqliteStore a(now, plain);
        }
        if (ingest) {
            {
                store::SqliteStore b(before, plain);
            }
            dropListIndexes(before);
        }
        store::SqliteStore a(now, plain);
        std::unique_ptr<store::SqliteStore> b;
        if (ingest)
            b = std::make_unique<store::SqliteStore>(before, plain);
        Generator gen(7);
        // Rounds of 1,000 traces: a batch of their 3,000 spans; or, with --split, their agent spans,
        // the model calls of the round before and the tool calls of the one before that.
        std::vector<core::Span> batch, calls, tools, olderTools;
        double secsNow = 0, secsBefore = 0, cpuNow = 0, cpuBefore = 0;
        const std::int64_t step = 30 * kDayNs / traces;
        const int rounds = (traces + 999) / 1000 + (split ? 2 : 0);
        for (int r = 0; r < rounds; ++r) {
            batch.clear();
            if (split) {
                batch.swap(calls);
                batch.insert(batch.end(), std::make_move_iterator(olderTools.begin()),
                    std::make_move_iterator(olderTools.end()));
                olderTools.swap(tools);
                tools.clear();
            }
            for (int t = r * 1000; t < std::min(traces, (r + 1) * 1000); ++t) {
                auto spans = gen.trace(kStart + std::int64_t(t) * step);
                for (std::size_t i = 0; i < spans.size(); ++i)
                    (!split || i == 0 ? batch : i == 1 ? calls : tools).push_back(std::move(spans[i]));
            }
            // Taking turns at going first, so neither always writes onto a warmer disk.
            const bool nowFirst = r % 2 == 0;
            for (int k = 0; k < (ingest ? 2 : 1); ++k) {
                const bool isNow = (k == 0) == nowFirst || !ingest;
                const double c0 = threadCpuMs();
                const auto t0 = Clock::now();
                (isNow ? a : *b).writeBatch(batch);
                const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
                (isNow ? secsNow : secsBefore) += secs;
                (isNow ? cpuNow : cpuBefore) += (threadCpuMs() - c0) / 1e3;
            }
        }
        const double spans = 3.0 * traces;
        std::printf("%d traces (%.0f spans) written in batches of 3,000 spans%s\n", traces, spans,
            split ? ", each trace's spans in three batches in a row" : "");
        std::printf("  with the list's indexes:    %8.0f spans/s  (%.1f s wall, writer CPU %.1f s)\n", spans / secsNow,
            secsNow, cpuNow);
        if (ingest)
            std::printf("  without them (before):      %8.0f spans/s  (%.1f s wall, writer CPU %.1f s)\n",
                spans / secsBefore, secsBefore, cpuBefore);
        std::fflush(stdout);
    }
    {
        const auto t0 = Clock::now();
        store::SqliteStore a(now, plain);
        std::printf(
            "opened (and migrated, if older) in %.1f s\n", std::chrono::duration<double>(Clock::now() - t0).count());
        timeAll(a, runs, "now");
    }
    if (timeBefore) {
        // The plan before: one query over every summary the filters keep. On the database without
        // the list's indexes when this run wrote one, else on the same database.
        store::SqliteStore::Options options = plain;
        options.list_plans = false;
        store::SqliteStore b(std::filesystem::exists(before) ? before : now, options);
        timeAll(b, runs, "before (one query)");
    }
    if (!keep && !reuse)
        std::filesystem::remove_all(dir);
    return 0;
}
