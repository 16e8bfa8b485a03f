// SPDX-License-Identifier: MIT
#pragma once
// What counts in a total: the one rule by which trace summaries, sessions, the dashboard's rollups
// and pricing add up tokens and cost (docs/pricing.md, "What a total counts").

#include "core/span.h"

#include <cstdint>

namespace agentops::core {

/// Whether a span's own token usage and cost count in the totals of its trace, session and time
/// bucket. Agent and chain spans never do: in every convention the normalizer knows, the usage they
/// carry is the sum of the model calls below them, which are spans of their own — the AI SDK's
/// ai.generateText/streamText/generateObject (and ai.embed around its doEmbed calls), OpenInference
/// AGENT and CHAIN spans (its Vercel processor copies the run's usage onto the CHAIN span),
/// Traceloop workflow/task/agent spans, ADK's invoke_agent and invocation, OTel GenAI invoke_agent.
/// Counting both would count every model call twice. The span itself still shows what it reported.
constexpr bool countsUsage(SpanKind kind)
{
    return kind != SpanKind::Agent && kind != SpanKind::Chain;
}

/// A span whose usage counts and that has a cost (priced, or a cost the producer reported).
inline bool isPricedCall(const Span &s)
{
    return countsUsage(s.kind) && s.cost_usd.has_value();
}

/// A span whose usage counts, that used tokens, and that has no price: "no price", never a silent $0.
inline bool isUnpricedCall(const Span &s)
{
    return countsUsage(s.kind) && !s.cost_usd && !s.tokens.empty();
}

/// Token and cost sums of the spans that count (countsUsage), with how many of them were priced and
/// how many used tokens without a price. A total whose priced_spans is 0 has no cost at all (null on
/// the API, "no price" or "—" in the app), which is not the same as $0.
struct UsageTotals
{
    std::int64_t input = 0;
    std::int64_t output = 0;
    std::int64_t total = 0; ///< reported totals, else input + output
    std::int64_t cache_read = 0;
    std::int64_t cache_write = 0;
    std::int64_t reasoning = 0;
    double cost_usd = 0;
    std::int64_t priced_spans = 0;
    std::int64_t unpriced_spans = 0;

    /// Adds the span's usage and cost when they count (countsUsage); otherwise nothing.
    void add(const Span &s)
    {
        if (!countsUsage(s.kind))
            return;
        const auto &t = s.tokens;
        input += t.input.value_or(0);
        output += t.output.value_or(0);
        total += t.total.value_or(t.input.value_or(0) + t.output.value_or(0));
        cache_read += t.cache_read.value_or(0);
        cache_write += t.cache_write.value_or(0);
        reasoning += t.reasoning.value_or(0);
        if (s.cost_usd) {
            cost_usd += *s.cost_usd;
            ++priced_spans;
        } else if (!t.empty()) {
            ++unpriced_spans;
        }
    }

    UsageTotals &operator+=(const UsageTotals &o)
    {
        input += o.input;
        output += o.output;
        total += o.total;
        cache_read += o.cache_read;
        cache_write += o.cache_write;
        reasoning += o.reasoning;
        cost_usd += o.cost_usd;
        priced_spans += o.priced_spans;
        unpriced_spans += o.unpriced_spans;
        return *this;
    }

    bool operator==(const UsageTotals &) const = default;
};

} // namespace agentops::core
