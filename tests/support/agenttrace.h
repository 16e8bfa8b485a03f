// SPDX-License-Identifier: MIT
// The synthetic agent trace of the UI benchmarks (bench_waterfall, bench_search) and the waterfall
// tests that need a big one.
#pragma once

#include "store/tracestore.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace agentops::bench {

/// Tool calls of the generated trace: most are "search"; one in RareToolEvery is "refund_payment"
/// and one in WeatherToolEvery "get_weather", so that searches with few, some hundreds and many
/// thousands of hits can be timed on the same trace.
constexpr int WeatherToolEvery = 36;
constexpr int RareToolEvery = 5000;

/// A long-running multi-agent job: a root agent runs sub-agents one after another; each sub-agent
/// runs turns (chain) of an LLM call, a tool call with an HTTP and a database child, and a retrieval
/// with an embedding child; now and then a tool fails and a few tool calls run in parallel.
///
/// With uniqueText, the HTTP and database spans carry text of their own (a query string, a cache
/// key), as real ones often do: then about a third of the spans have a name no other span has.
inline std::shared_ptr<store::TraceDetail> generateAgentTrace(int spans, std::uint32_t seed, bool uniqueText = false)
{
    constexpr std::int64_t Us = 1000;
    constexpr std::int64_t Ms = 1000 * Us;
    auto trace = std::make_shared<store::TraceDetail>();
    trace->spans.reserve(std::size_t(spans));
    trace->depth.reserve(std::size_t(spans));
    trace->orphan.reserve(std::size_t(spans));
    std::mt19937 rng(seed);
    const auto jitter = [&rng](std::int64_t base) {
        return base / 2 + std::int64_t(std::uniform_int_distribution<std::int64_t>(0, base)(rng));
    };
    std::uint64_t nextId = 1;
    // The open ancestors' ids by depth: each span's parent is the nearest earlier span one level up,
    // so that a store puts the spans back into the same tree.
    std::vector<core::SpanId> open;
    const auto add = [&](int depth, const char *name, core::SpanKind kind, std::int64_t start, std::int64_t end) {
        core::Span s;
        std::uint64_t id = nextId++;
        std::memcpy(s.span_id.data(), &id, sizeof id);
        open.resize(std::size_t(depth));
        if (depth > 0)
            s.parent_span_id = open.back();
        open.push_back(s.span_id);
        s.name = name;
        s.kind = kind;
        s.start_ns = start;
        s.end_ns = end;
        s.status = core::StatusCode::Ok;
        s.service_name = "travel-desk";
        trace->spans.push_back(std::move(s));
        trace->depth.push_back(depth);
        trace->orphan.push_back(false);
        return trace->spans.size() - 1;
    };

    const std::int64_t t0 = 1700000000000000000;
    const std::size_t root = add(0, "invoke_agent orchestrator", core::SpanKind::Agent, t0, t0);
    std::int64_t t = t0 + Ms;
    int agent = 0;
    int toolCalls = 0;
    while (int(trace->spans.size()) < spans) {
        const std::size_t a
            = add(1, agent % 2 ? "invoke_agent researcher" : "invoke_agent writer", core::SpanKind::Agent, t, t);
        ++agent;
        std::int64_t at = t + 200 * Us;
        for (int turn = 0; turn < 140 && int(trace->spans.size()) < spans; ++turn) {
            const std::size_t c = add(2, "chain step", core::SpanKind::Chain, at, at);
            std::int64_t ct = at + 50 * Us;
            const std::size_t llm = add(3, "chat gpt-4o", core::SpanKind::Llm, ct, ct + jitter(800 * Ms));
            trace->spans[llm].response_model = "gpt-4o";
            trace->spans[llm].tokens.input = 1500;
            trace->spans[llm].tokens.output = 200;
            ct = trace->spans[llm].end_ns + 100 * Us;
            const int parallel = turn % 10 == 0 ? 4 : 1;
            std::int64_t toolsEnd = ct;
            for (int p = 0; p < parallel; ++p) {
                ++toolCalls;
                const char *tool = toolCalls % RareToolEvery == 0 ? "refund_payment"
                    : toolCalls % WeatherToolEvery == 0           ? "get_weather"
                                                                  : "search";
                const std::string toolSpan = std::string("execute_tool ") + tool;
                const std::int64_t ts = ct + std::int64_t { p } * 2 * Ms;
                const std::size_t call = add(3, toolSpan.c_str(), core::SpanKind::Tool, ts, ts);
                trace->spans[call].tool_name = tool;
                const std::int64_t h = ts + 20 * Us;
                const std::size_t http = add(4, "GET /search", core::SpanKind::Other, h, h + jitter(300 * Ms));
                const std::int64_t d = trace->spans[http].end_ns + 10 * Us;
                const std::size_t db = add(4, "SELECT cache", core::SpanKind::Other, d, d + jitter(5 * Ms));
                if (uniqueText) {
                    trace->spans[http].name += "?q=" + std::to_string(http * 7919 % 1000003);
                    trace->spans[db].name += " WHERE key = 'k" + std::to_string(db) + "'";
                }
                trace->spans[call].end_ns = trace->spans[db].end_ns + 30 * Us;
                if ((turn * 7 + p) % 97 == 0) {
                    trace->spans[call].status = core::StatusCode::Error;
                    trace->spans[http].status = core::StatusCode::Error;
                    trace->spans[http].status_message = "503 Service Unavailable";
                }
                toolsEnd = std::max(toolsEnd, trace->spans[call].end_ns);
            }
            ct = toolsEnd + 100 * Us;
            const std::size_t r = add(3, "retrieve documents", core::SpanKind::Retriever, ct, ct);
            const std::size_t e = add(4, "embeddings", core::SpanKind::Embedding, ct + 10 * Us, ct + jitter(40 * Ms));
            trace->spans[r].end_ns = trace->spans[e].end_ns + jitter(60 * Ms);
            trace->spans[c].end_ns = trace->spans[r].end_ns + 200 * Us;
            at = trace->spans[c].end_ns + 100 * Us;
        }
        trace->spans[a].end_ns = at + 100 * Us;
        t = trace->spans[a].end_ns + Ms;
    }
    trace->spans[root].end_ns = t;
    trace->summary.name = trace->spans[root].name;
    trace->summary.span_count = std::int64_t(trace->spans.size());
    return trace;
}

} // namespace agentops::bench
