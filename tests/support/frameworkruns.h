// SPDX-License-Identifier: MIT
#pragma once
// What the producers of the captured framework traces (tests/fixtures/frameworks) reported, read from
// their .expected.json: per run the spans, tokens and errors, and the cost of its model calls by the
// shipped price table as docs/pricing.md says a user reads it. Header-only; nlohmann_json.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace agentops::test {

using json = nlohmann::json;

inline std::int64_t n(const json &v)
{
    return v.is_number() ? v.get<std::int64_t>() : 0;
}

/// The cost of one call by docs/pricing.md, from the shipped table as a user reads it: the row that
/// lists the model or has it as id; nothing when there is none.
inline std::optional<double> expectedCost(const json &prices, const std::string &model, const json &usage)
{
    for (const auto &row : prices["rows"]) {
        bool match = row["id"] == model;
        for (const auto &m : row.value("models", json::array()))
            match = match || m == model;
        if (!match)
            continue;
        const auto &p = row["prices"];
        const double in = p["input"], out = p["output"];
        const double cr = p.value("cache_read", in), cw = p.value("cache_write", in), re = p.value("reasoning", out);
        const std::int64_t input = n(usage["input"]), output = n(usage["output"]);
        const std::int64_t cacheRead = n(usage["cache_read"]), cacheWrite = n(usage["cache_write"]);
        const std::int64_t reasoning = n(usage["reasoning"]);
        return (static_cast<double>(input - cacheRead - cacheWrite) * in + static_cast<double>(cacheRead) * cr
                   + static_cast<double>(cacheWrite) * cw + static_cast<double>(output - reasoning) * out
                   + static_cast<double>(reasoning) * re)
            / 1e6;
    }
    return std::nullopt;
}

/// One run's figures as the producer reported them.
struct Run
{
    std::string traceId, session;
    std::int64_t spans = 0, input = 0, output = 0, cacheRead = 0, errors = 0;
    std::int64_t start = 0, end = 0;
    double cost = 0;
    std::int64_t priced = 0, unpriced = 0;
    json calls;
    std::vector<std::pair<std::string, std::string>> failedTools; ///< span id, message
};

inline std::vector<Run> runsOf(const json &expected, const json &prices)
{
    std::vector<Run> out;
    for (const auto &r : expected["runs"]) {
        Run run;
        run.traceId = r["trace_id"];
        run.session = r.value("session_id", json()).is_string() ? r["session_id"].get<std::string>() : "";
        run.spans = r["span_count"];
        run.start = std::stoll(r["start_time_unix_nano"].get<std::string>());
        run.end = std::stoll(r["end_time_unix_nano"].get<std::string>());
        run.errors = static_cast<std::int64_t>(r["error_spans"].size());
        run.calls = r["llm_calls"];
        for (const auto &c : r["llm_calls"]) {
            run.input += n(c["usage"]["input"]);
            run.output += n(c["usage"]["output"]);
            run.cacheRead += n(c["usage"]["cache_read"]);
            const std::string model = c["response_model"].is_string() ? c["response_model"] : c["request_model"];
            if (auto cost = expectedCost(prices, model, c["usage"])) {
                run.cost += *cost;
                ++run.priced;
            } else {
                ++run.unpriced;
            }
        }
        for (const auto &t : r["tool_calls"])
            if (t["failed"] == true)
                run.failedTools.emplace_back(t["span_id"], t["error_message"]);
        out.push_back(std::move(run));
    }
    return out;
}

} // namespace agentops::test
