// SPDX-License-Identifier: MIT
// Benchmark of the trace diff (app/diff): two runs of one agent of N spans each, the second with
// retried tool calls, removed steps, other token counts and other prompts, are aligned and compared;
// and, as the worst case, two runs with nothing in common but their step names. Prints the median
// time of several runs.
//
// With --store, the two similar runs are also written to a SQLite store and read back the way the
// diff route and the app's local source read them (TraceLoad::Automatic), and that is timed too.
//
//   bench_diff [--spans N ...] [--runs R] [--store]   (default: 10000 and 100000 spans, 5 runs)

#include "diff/tracediff.h"
#include "store/sqlitestore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

using namespace agentops;

namespace {

const char *const kTools[]
    = { "search_web", "read_file", "write_file", "run_tests", "get_weather", "query_db", "send_mail", "fetch_url" };
const char *const kModels[] = { "gpt-4o-2024-08-06", "claude-sonnet-4" };

core::Span step(core::SpanKind kind, std::string name, std::int64_t start, std::int64_t duration)
{
    core::Span s;
    s.kind = kind;
    s.name = std::move(name);
    s.start_ns = start;
    s.end_ns = start + duration;
    return s;
}

/// One agent run: a root agent, then model calls each followed by a tool call, with prompts and
/// results of a few hundred bytes.
std::vector<core::Span> agentRun(std::size_t spans, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<core::Span> out;
    out.reserve(spans);
    out.push_back(step(core::SpanKind::Agent, "invoke_agent coder", 0, 1));
    std::int64_t t = 0;
    std::size_t i = 0;
    while (out.size() < spans) {
        const char *model = kModels[(i / 50) % 2];
        auto llm = step(core::SpanKind::Llm, std::string("chat ") + model, t, 800'000 + rng() % 400'000);
        llm.request_model = model;
        llm.tokens.input = 1000 + static_cast<std::int64_t>(i % 97);
        llm.tokens.output = 50 + static_cast<std::int64_t>(i % 13);
        llm.cost_usd = 0.001 * double(i % 7);
        llm.input = "Step " + std::to_string(i) + ": continue the task. The last tool answered with the file "
            + "contents below; decide what to do next and call one tool. " + std::string(200, 'x');
        llm.output = "I will call " + std::string(kTools[i % 8]) + " next.";
        out.push_back(std::move(llm));
        if (out.size() == spans)
            break;
        // The tool runs after the model call returned, as in a real run: siblings that start at
        // the same time are put in span id order by a store, not in the order they were made.
        auto tool = step(core::SpanKind::Tool, std::string("execute_tool ") + kTools[i % 8], t + 1'300'000, 100'000);
        tool.tool_name = kTools[i % 8];
        tool.input = "{\"path\":\"src/file" + std::to_string(i) + ".cpp\"}";
        tool.output = "{\"ok\":true,\"lines\":" + std::to_string(i % 500) + "}";
        out.push_back(std::move(tool));
        t += 1'500'000;
        ++i;
    }
    out[0].end_ns = t;
    return out;
}

/// The same agent run again, differently: ~1% of tool calls failed once and were retried, ~0.5% of
/// model calls are gone, ~2% report other token counts, ~2% were asked other words.
std::vector<core::Span> variant(const std::vector<core::Span> &a, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<core::Span> out;
    out.reserve(a.size() + a.size() / 50);
    for (const auto &s : a) {
        const unsigned r = rng() % 1000;
        core::Span copy = s;
        if (s.kind == core::SpanKind::Tool && r < 10) {
            // The failed attempt first, the retry after it.
            core::Span failed = s;
            failed.status = core::StatusCode::Error;
            failed.status_message = "timeout";
            failed.end_ns = failed.start_ns + 40'000;
            out.push_back(std::move(failed));
            copy.start_ns += 50'000;
            copy.end_ns += 50'000;
        }
        if (s.kind == core::SpanKind::Llm && r >= 990 && r < 995)
            continue;
        if (s.kind == core::SpanKind::Llm && r >= 100 && r < 120)
            copy.tokens.input = *copy.tokens.input + 17;
        if (s.kind == core::SpanKind::Llm && r >= 200 && r < 220)
            copy.input.replace(0, 4, "Then, at step");
        copy.end_ns += static_cast<std::int64_t>(rng() % 50'000);
        out.push_back(std::move(copy));
    }
    return out;
}

/// A run whose steps share only names with the other: model calls and tools in random order.
std::vector<core::Span> unrelated(std::size_t spans, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<core::Span> out;
    out.reserve(spans);
    for (std::size_t i = 0; i < spans; ++i) {
        const unsigned r = rng() % 10;
        if (r < 2) {
            auto s = step(core::SpanKind::Llm, std::string("chat ") + kModels[r], 0, 1);
            s.request_model = kModels[r];
            out.push_back(std::move(s));
        } else {
            auto s = step(core::SpanKind::Tool, std::string("execute_tool ") + kTools[r - 2], 0, 1);
            s.tool_name = kTools[r - 2];
            out.push_back(std::move(s));
        }
    }
    return out;
}

template<typename F>
double medianMs(int runs, F &&f)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

/// Gives a run the ids a store needs: one trace, every step a child of the root agent.
void identify(std::vector<core::Span> &spans, std::uint8_t trace)
{
    for (std::size_t i = 0; i < spans.size(); ++i) {
        auto &s = spans[i];
        s.trace_id.fill(trace);
        s.span_id.fill(0);
        // Big-endian, so that the ids' bytes sort as the steps were made.
        const auto n = static_cast<std::uint32_t>(i + 1);
        for (int k = 0; k < 4; ++k)
            s.span_id[7 - k] = static_cast<std::uint8_t>(n >> (8 * k));
        s.parent_span_id.fill(0);
        if (i > 0)
            s.parent_span_id = spans[0].span_id;
        s.service_name = "bench";
    }
}

/// Returns false when the runs read back compare otherwise than in memory (whole, or narrow when a
/// run was read narrow): the store must give back every field the comparison reads, in tree order.
bool benchStore(std::vector<core::Span> a, std::vector<core::Span> b, int runs, const diff::TraceDiff &whole,
    const diff::TraceDiff &narrow)
{
    identify(a, 0xa1);
    identify(b, 0xb2);
    const auto dir = std::filesystem::temp_directory_path() / ("bench_diff_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    diff::TraceDiff d;
    {
        store::SqliteStore db((dir / "traces.db").string());
        for (std::size_t i = 0; i < a.size(); i += 5000)
            db.writeBatch(std::span(a).subspan(i, std::min<std::size_t>(5000, a.size() - i)));
        for (std::size_t i = 0; i < b.size(); i += 5000)
            db.writeBatch(std::span(b).subspan(i, std::min<std::size_t>(5000, b.size() - i)));
        const double ms = medianMs(runs, [&] {
            const auto ta = db.trace(a[0].trace_id, store::TraceLoad::Automatic);
            const auto tb = db.trace(b[0].trace_id, store::TraceLoad::Automatic);
            d = diff::diffTraces({ ta->spans, ta->complete }, { tb->spans, tb->complete });
        });
        std::printf("%7zu vs %7zu spans, read from SQLite and compared: %8.1f ms  (%zu changed)\n", a.size(), b.size(),
            ms, d.changed);
    }
    std::filesystem::remove_all(dir);
    const diff::TraceDiff &inMemory = d.content_compared ? whole : narrow;
    const bool alike = d.pairs.size() == inMemory.pairs.size() && d.same == inMemory.same
        && d.changed == inMemory.changed && d.added == inMemory.added && d.removed == inMemory.removed;
    if (!alike)
        std::fprintf(stderr, "read from SQLite: %zu pairs, %zu changed; in memory: %zu pairs, %zu changed\n",
            d.pairs.size(), d.changed, inMemory.pairs.size(), inMemory.changed);
    return alike;
}

bool bench(std::size_t spans, int runs, bool withStore)
{
    const auto a = agentRun(spans, 1);
    const auto b = variant(a, 2);
    diff::TraceDiff d;
    const double similar = medianMs(runs, [&] { d = diff::diffTraces({ a, true }, { b, true }); });
    std::printf("%7zu vs %7zu spans, similar runs:   %8.1f ms  (%zu pairs: %zu same, %zu changed, %zu added, "
                "%zu removed; first divergence at pair %zu)\n",
        a.size(), b.size(), similar, d.pairs.size(), d.same, d.changed, d.added, d.removed,
        d.first_divergence.value_or(0));
    const diff::TraceDiff whole = d;
    const double narrow = medianMs(runs, [&] { d = diff::diffTraces({ a, false }, { b, false }); });
    std::printf("%7zu vs %7zu spans, loaded narrow:  %8.1f ms  (%zu changed)\n", a.size(), b.size(), narrow, d.changed);
    bool ok = true;
    if (withStore)
        ok = benchStore(a, b, runs, whole, d);
    const auto x = unrelated(spans, 3), y = unrelated(spans, 4);
    const double worst = medianMs(runs, [&] { d = diff::diffTraces({ x, true }, { y, true }); });
    std::printf("%7zu vs %7zu spans, unrelated runs: %8.1f ms  (%zu pairs, %zu same or changed)\n", x.size(), y.size(),
        worst, d.pairs.size(), d.same + d.changed);
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    std::vector<std::size_t> sizes;
    int runs = 5;
    bool withStore = false;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--spans") && i + 1 < argc)
            sizes.push_back(std::strtoull(argv[++i], nullptr, 10));
        else if (!std::strcmp(argv[i], "--store"))
            withStore = true;
        else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: bench_diff [--spans N ...] [--runs R] [--store]\n");
            return 2;
        }
    }
    if (sizes.empty())
        sizes = { 10'000, 100'000 };
    bool ok = true;
    for (auto n : sizes)
        ok = bench(n, runs, withStore) && ok;
    // Word diffs of one pair's texts at the size the API compares and at the app's limit.
    for (std::size_t bytes : { std::size_t(16 * 1024), diff::kMaxDiffTextBytes }) {
        std::string ta, tb;
        for (std::size_t i = 0; ta.size() < bytes; ++i) {
            ta += "word" + std::to_string(i % 1000) + " ";
            tb += (i % 40 == 7 ? "other" : "word") + std::to_string(i % 1000) + " ";
        }
        diff::TextDiff td;
        const double ms = medianMs(runs, [&] { td = diff::diffText(ta, tb); });
        std::printf(
            "word diff of two %zu KiB texts:         %8.1f ms  (%zu pieces)\n", bytes / 1024, ms, td.pieces.size());
    }
    return ok ? 0 : 1;
}
