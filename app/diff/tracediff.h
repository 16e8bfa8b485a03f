// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "diff/textdiff.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace agentops::diff {

/// The steps of a run that a comparison aligns: agent, LLM and tool spans.
constexpr bool isStep(core::SpanKind kind)
{
    return kind == core::SpanKind::Agent || kind == core::SpanKind::Llm || kind == core::SpanKind::Tool;
}

/// One run as the comparison reads it: its spans in tree order (store::TraceDetail::spans), and
/// whether they carry their input and output (false for a trace loaded narrow).
struct RunSide
{
    std::span<const core::Span> spans;
    bool complete = true;
};

enum class PairState : std::uint8_t { Same, Changed, Added, Removed };
std::string_view toString(PairState state);

/// What differs between two aligned steps (bits of StepPair::changes). Durations always differ
/// between runs and are reported as a delta, never as a change.
enum Change : std::uint16_t {
    StatusChange = 1, ///< status code
    MessageChange = 2, ///< status message
    TokensChange = 4, ///< any token count, or whether it was reported
    CostChange = 8, ///< cost, or whether there is one
    InputChange = 16, ///< prompt or tool arguments (only when both sides carry content)
    OutputChange = 32, ///< completion or tool result (only when both sides carry content)
};
/// The names of the bits set in changes, in the order above ("status", "message", "tokens", "cost",
/// "input", "output").
std::vector<std::string_view> changeNames(std::uint16_t changes);

/// One row of the aligned runs. a and b index the spans of each run (not its steps); -1 where the
/// step exists on one side only.
struct StepPair
{
    std::int32_t a = -1;
    std::int32_t b = -1;
    PairState state = PairState::Same;
    std::uint16_t changes = 0;
};

/// Token deltas of each kind (b − a); a count that was not reported counts as 0.
struct TokenDelta
{
    std::int64_t input = 0;
    std::int64_t output = 0;
    std::int64_t total = 0; ///< reported totals, else input + output
    std::int64_t cache_read = 0;
    std::int64_t cache_write = 0;
    std::int64_t reasoning = 0;
    bool operator==(const TokenDelta &other) const = default;
};

/// The figures of one pair, b − a. For an added step a counts as nothing (and the other way round).
struct PairDelta
{
    std::int64_t duration_ns = 0;
    TokenDelta tokens;
    std::optional<double> cost_usd; ///< none when a side that has the step has no price
    std::optional<core::StatusCode> status_a, status_b;
};
PairDelta pairDelta(const core::Span *a, const core::Span *b);

/// The word-level diffs of a pair's texts: prompt or tool arguments, completion or tool result.
/// Needs whole spans (TraceStore::span() for a trace loaded narrow).
struct PairText
{
    TextDiff input;
    TextDiff output;
};
PairText diffPairText(const core::Span *a, const core::Span *b, std::size_t maxBytes = kMaxDiffTextBytes);

/// The comparison of two runs: the aligned steps and their counts.
struct TraceDiff
{
    std::vector<StepPair> pairs;
    std::size_t steps_a = 0, steps_b = 0;
    std::size_t same = 0, changed = 0, added = 0, removed = 0;
    /// Index into pairs of the first pair that is not Same; none when the runs' steps are all alike.
    std::optional<std::size_t> first_divergence;
    /// Inputs and outputs were compared (both runs were loaded whole).
    bool content_compared = false;
};

/// Aligns the steps of two runs by kind, name, tool and model (a longest common subsequence of those
/// keys, so inserted and removed steps shift nothing after them), then places each run of steps
/// that one side has alone where its neighbours match best: a retried call whose first attempt
/// failed is the added step, and the attempt that succeeded is paired with the other run's call.
/// Stays near-linear for similar runs; see alignSequences for the bound on unrelated ones.
TraceDiff diffTraces(const RunSide &a, const RunSide &b);

} // namespace agentops::diff

namespace agentops::diff {

/// Totals of two runs' summaries, b − a: tokens of each kind, cost (none unless both runs have one),
/// duration.
struct RunDelta
{
    TokenDelta tokens;
    std::optional<double> cost_usd;
    std::int64_t duration_ns = 0;
};
RunDelta runDelta(const core::TraceSummary &a, const core::TraceSummary &b);

} // namespace agentops::diff
