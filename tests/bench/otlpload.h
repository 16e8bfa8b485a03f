// SPDX-License-Identifier: MIT
#pragma once
// The load of the ingest benchmarks: OTLP protobuf requests of 512 realistic agent spans (64 agent
// turns of 8 spans, ~20 attributes each, LLM spans with ~2 KB prompts), made from a seeded generator
// so every benchmark and every run sends the same bytes. Header-only.

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <random>
#include <string>

namespace agentops::bench {

namespace otlp = opentelemetry::proto;

inline constexpr int kBatch = 512;

inline std::string randomText(std::mt19937_64 &rng, std::size_t n)
{
    static const char words[][10] = { "agent ", "tool ", "weather ", "Kyoto ", "plan ", "the ", "budget ", "flight ",
        "hotel ", "search ", "result ", "user " };
    std::string s;
    s.reserve(n + 10);
    while (s.size() < n)
        s += words[rng() % std::size(words)];
    s.resize(n);
    return s;
}

inline void setId(std::string *out, std::mt19937_64 &rng, int bytes)
{
    out->resize(static_cast<std::size_t>(bytes));
    for (int i = 0; i < bytes; i += 8) {
        const std::uint64_t v = rng();
        std::memcpy(out->data() + i, &v, static_cast<std::size_t>(std::min(8, bytes - i)));
    }
}

inline void addString(otlp::trace::v1::Span *span, const char *key, const std::string &value)
{
    auto *kv = span->add_attributes();
    kv->set_key(key);
    kv->mutable_value()->set_string_value(value);
}

inline void addInt(otlp::trace::v1::Span *span, const char *key, std::int64_t value)
{
    auto *kv = span->add_attributes();
    kv->set_key(key);
    kv->mutable_value()->set_int_value(value);
}

/// One request of 512 spans: 64 agent turns of 8 spans (agent -> llm, tool, llm ...), ~20 attributes
/// each; LLM spans carry ~2 KB input message payloads.
inline std::string makeBatch(std::mt19937_64 &rng, std::int64_t startNs)
{
    otlp::collector::trace::v1::ExportTraceServiceRequest req;
    auto *rs = req.add_resource_spans();
    auto *res = rs->mutable_resource();
    for (auto [k, v] : { std::pair { "service.name", "travel-agent" }, { "service.version", "1.4.2" },
             { "telemetry.sdk.language", "python" }, { "telemetry.sdk.name", "opentelemetry" },
             { "deployment.environment", "staging" } }) {
        auto *kv = res->add_attributes();
        kv->set_key(k);
        kv->mutable_value()->set_string_value(v);
    }
    auto *ss = rs->add_scope_spans();
    ss->mutable_scope()->set_name("opentelemetry.instrumentation.openai_v2");
    ss->mutable_scope()->set_version("2.1b0");
    for (int turn = 0; turn < kBatch / 8; ++turn) {
        std::string traceId;
        setId(&traceId, rng, 16);
        std::string rootId;
        setId(&rootId, rng, 8);
        // Children run one after another, LLM calls for 0.3-8 s and tools for 5-500 ms; the agent
        // span covers them. Durations (and costs) differ from trace to trace, as in real runs.
        const std::int64_t t0 = startNs + std::int64_t { turn } * 1'000'000;
        std::int64_t begin[8];
        std::int64_t end[8];
        std::int64_t t = t0;
        for (int k = 1; k < 8; ++k) {
            const std::int64_t ms = k % 2 == 1 ? 300 + std::int64_t(rng() % 7700) : 5 + std::int64_t(rng() % 495);
            begin[k] = t;
            end[k] = t + ms * 1'000'000;
            t = end[k];
        }
        begin[0] = t0;
        end[0] = t;
        for (int k = 0; k < 8; ++k) {
            auto *sp = ss->add_spans();
            sp->set_trace_id(traceId);
            if (k == 0) {
                sp->set_span_id(rootId);
                sp->set_name("invoke_agent travel_planner");
                sp->set_kind(otlp::trace::v1::Span::SPAN_KIND_INTERNAL);
                addString(sp, "gen_ai.operation.name", "invoke_agent");
                addString(sp, "gen_ai.agent.name", "travel_planner");
            } else {
                setId(sp->mutable_span_id(), rng, 8);
                sp->set_parent_span_id(rootId);
            }
            sp->set_start_time_unix_nano(static_cast<std::uint64_t>(begin[k]));
            sp->set_end_time_unix_nano(static_cast<std::uint64_t>(end[k]));
            const bool llm = k % 2 == 1;
            if (k > 0 && llm) {
                sp->set_name("chat gpt-4o");
                sp->set_kind(otlp::trace::v1::Span::SPAN_KIND_CLIENT);
                addString(sp, "gen_ai.operation.name", "chat");
                addString(sp, "gen_ai.provider.name", "openai");
                addString(sp, "gen_ai.request.model", "gpt-4o");
                addString(sp, "gen_ai.response.model", "gpt-4o-2024-08-06");
                addInt(sp, "gen_ai.usage.input_tokens", 1000 + static_cast<std::int64_t>(rng() % 3000));
                addInt(sp, "gen_ai.usage.output_tokens", 50 + static_cast<std::int64_t>(rng() % 400));
                addString(sp, "gen_ai.input.messages",
                    R"([{"role":"user","parts":[{"type":"text","content":")" + randomText(rng, 2000) + "\"}]}]");
                addString(sp, "gen_ai.output.messages",
                    R"([{"role":"assistant","parts":[{"type":"text","content":")" + randomText(rng, 200) + "\"}]}]");
                addString(sp, "gen_ai.response.id", "chatcmpl-" + std::to_string(rng()));
                addString(sp, "gen_ai.response.finish_reasons", "stop");
                auto *kv = sp->add_attributes();
                kv->set_key("gen_ai.request.temperature");
                kv->mutable_value()->set_double_value(0.2);
                addInt(sp, "gen_ai.request.max_tokens", 1024);
                addString(sp, "server.address", "api.openai.com");
                addInt(sp, "server.port", 443);
            } else if (k > 0) {
                sp->set_name("execute_tool get_weather");
                addString(sp, "gen_ai.operation.name", "execute_tool");
                addString(sp, "gen_ai.tool.name", "get_weather");
                addString(sp, "gen_ai.tool.call.id", "call_" + std::to_string(rng() % 100000));
                addString(sp, "gen_ai.tool.call.arguments", R"({"city":"Kyoto","unit":"celsius"})");
                addString(sp, "gen_ai.tool.call.result", R"({"temperature":12,"sky":")" + randomText(rng, 60) + "\"}");
                addString(sp, "gen_ai.tool.type", "function");
                if (k == 6) {
                    sp->mutable_status()->set_code(otlp::trace::v1::Status::STATUS_CODE_ERROR);
                    sp->mutable_status()->set_message("upstream timeout");
                }
            }
            addString(sp, "gen_ai.conversation.id", "conv-" + std::to_string(turn % 7));
            addString(sp, "user.id", "user-42");
            addString(sp, "code.function", "run_agent_step");
            addString(sp, "code.filepath", "/srv/agents/travel/planner.py");
            addInt(sp, "code.lineno", 120 + k);
            addString(sp, "thread.name", "MainThread");
            while (sp->attributes_size() < 20)
                addString(sp, ("app.tag." + std::to_string(sp->attributes_size())).c_str(), randomText(rng, 16));
        }
    }
    return req.SerializeAsString();
}

} // namespace agentops::bench
