// SPDX-License-Identifier: MIT
#include "diff/tracediff.h"

#include "core/usage.h"
#include "diff/sequencediff.h"

#include <string>
#include <unordered_map>

namespace agentops::diff {

namespace {

/// A run's steps: indexes of its step spans, and their alignment keys.
struct Steps
{
    std::vector<std::int32_t> spans;
    std::vector<std::uint32_t> keys;
};

/// Interns (kind, name, tool, model) as small integers shared by both runs.
class KeyTable
{
public:
    Steps steps(std::span<const core::Span> spans)
    {
        Steps out;
        for (std::size_t i = 0; i < spans.size(); ++i) {
            const auto &s = spans[i];
            if (!isStep(s.kind))
                continue;
            m_scratch.assign(1, static_cast<char>(s.kind));
            m_scratch.append(s.name).push_back('\0');
            m_scratch.append(s.tool_name).push_back('\0');
            m_scratch.append(s.model());
            const auto id = static_cast<std::uint32_t>(m_ids.size());
            out.spans.push_back(static_cast<std::int32_t>(i));
            out.keys.push_back(m_ids.try_emplace(m_scratch, id).first->second);
        }
        return out;
    }

private:
    std::unordered_map<std::string, std::uint32_t> m_ids;
    std::string m_scratch;
};

std::uint16_t changesOf(const core::Span &a, const core::Span &b, bool content)
{
    std::uint16_t c = 0;
    if (a.status != b.status)
        c |= StatusChange;
    if (a.status_message != b.status_message)
        c |= MessageChange;
    if (a.tokens != b.tokens)
        c |= TokensChange;
    if (a.cost_usd.has_value() != b.cost_usd.has_value() || (a.cost_usd && *a.cost_usd != *b.cost_usd))
        c |= CostChange;
    if (content && a.input != b.input)
        c |= InputChange;
    if (content && a.output != b.output)
        c |= OutputChange;
    return c;
}

/// How alike two steps with the same key are: where a run of one side's steps could stand in
/// several places, the place whose pairs score highest wins. The status weighs most, so that a
/// failed attempt is what stands alone and the attempt that succeeded is paired.
int similarity(std::uint16_t changes)
{
    int score = 0;
    score += (changes & StatusChange) ? 0 : 8;
    score += (changes & TokensChange) ? 0 : 4;
    score += (changes & (InputChange | OutputChange)) ? 0 : 2;
    score += (changes & InputChange) ? 0 : 1;
    score += (changes & (CostChange | MessageChange)) ? 0 : 1;
    return score;
}

/// Moves runs of one side's steps along their equal neighbours to where the pairs they displace
/// are most alike (what git calls sliding a diff hunk, scored by the spans' contents).
class Slider
{
public:
    Slider(const RunSide &a, const RunSide &b, const Steps &sa, const Steps &sb, bool content)
        : m_a(a)
        , m_b(b)
        , m_sa(sa)
        , m_sb(sb)
        , m_content(content)
    { }

    void slideAll(std::vector<AlignedPair> &al)
    {
        std::size_t i = 0;
        while (i < al.size()) {
            if (matched(al[i])) {
                ++i;
                continue;
            }
            std::size_t j = i;
            bool onlyB = true, onlyA = true;
            for (; j < al.size() && !matched(al[j]); ++j) {
                onlyB = onlyB && al[j].a < 0;
                onlyA = onlyA && al[j].b < 0;
            }
            i = onlyB ? slide(al, i, j, true) : onlyA ? slide(al, i, j, false) : j;
        }
    }

private:
    static bool matched(const AlignedPair &p) { return p.a >= 0 && p.b >= 0; }

    /// The score of pairing step i of a with step j of b.
    int score(std::int32_t i, std::int32_t j) const
    {
        const auto &x = m_a.spans[static_cast<std::size_t>(m_sa.spans[static_cast<std::size_t>(i)])];
        const auto &y = m_b.spans[static_cast<std::size_t>(m_sb.spans[static_cast<std::size_t>(j)])];
        return similarity(changesOf(x, y, m_content));
    }

    /// Slides the run [p, q) of steps of b alone (bSide) or of a alone; returns the index after it.
    std::size_t slide(std::vector<AlignedPair> &al, std::size_t p, std::size_t q, bool bSide)
    {
        auto own = [bSide](AlignedPair &e) -> std::int32_t & { return bSide ? e.b : e.a; };
        auto other = [bSide](AlignedPair &e) -> std::int32_t & { return bSide ? e.a : e.b; };
        const auto &keys = bSide ? m_sb.keys : m_sa.keys;
        auto key = [&](AlignedPair &e) { return keys[static_cast<std::size_t>(own(e))]; };
        auto pairScore = [&](std::int32_t o, std::int32_t mine) { return bSide ? score(o, mine) : score(mine, o); };
        // Up as far as the keys allow.
        while (p > 0 && matched(al[p - 1]) && key(al[p - 1]) == key(al[q - 1])) {
            other(al[q - 1]) = other(al[p - 1]);
            other(al[p - 1]) = -1;
            --p;
            --q;
        }
        // Then down, keeping the best place seen; of equal places the lowest, so that of identical
        // attempts the later one is the extra one.
        int score = 0, best = 0;
        std::size_t steps = 0, bestSteps = 0;
        while (q < al.size() && matched(al[q]) && key(al[p]) == key(al[q])) {
            const std::int32_t o = other(al[q]);
            score += pairScore(o, own(al[p])) - pairScore(o, own(al[q]));
            other(al[p]) = o;
            other(al[q]) = -1;
            ++p;
            ++q;
            ++steps;
            if (score >= best) {
                best = score;
                bestSteps = steps;
            }
        }
        // Back up to the best place.
        for (; steps > bestSteps; --steps) {
            other(al[q - 1]) = other(al[p - 1]);
            other(al[p - 1]) = -1;
            --p;
            --q;
        }
        return q;
    }

    const RunSide &m_a, &m_b;
    const Steps &m_sa, &m_sb;
    bool m_content;
};

std::int64_t count(const std::optional<std::int64_t> &v)
{
    return v.value_or(0);
}

TokenDelta tokensOf(const core::Span *s)
{
    TokenDelta t;
    if (!s)
        return t;
    t.input = count(s->tokens.input);
    t.output = count(s->tokens.output);
    t.total = s->tokens.total.value_or(t.input + t.output);
    t.cache_read = count(s->tokens.cache_read);
    t.cache_write = count(s->tokens.cache_write);
    t.reasoning = count(s->tokens.reasoning);
    return t;
}

TokenDelta minus(const TokenDelta &b, const TokenDelta &a)
{
    return { b.input - a.input, b.output - a.output, b.total - a.total, b.cache_read - a.cache_read,
        b.cache_write - a.cache_write, b.reasoning - a.reasoning };
}

} // namespace

std::string_view toString(PairState state)
{
    switch (state) {
    case PairState::Same: return "same";
    case PairState::Changed: return "changed";
    case PairState::Added: return "added";
    case PairState::Removed: return "removed";
    }
    return "same";
}

std::vector<std::string_view> changeNames(std::uint16_t changes)
{
    static const std::pair<Change, std::string_view> names[]
        = { { StatusChange, "status" }, { MessageChange, "message" }, { TokensChange, "tokens" },
              { CostChange, "cost" }, { InputChange, "input" }, { OutputChange, "output" } };
    std::vector<std::string_view> out;
    for (const auto &[bit, name] : names)
        if (changes & bit)
            out.push_back(name);
    return out;
}

PairDelta pairDelta(const core::Span *a, const core::Span *b)
{
    PairDelta d;
    d.duration_ns = (b ? b->durationNs() : 0) - (a ? a->durationNs() : 0);
    d.tokens = minus(tokensOf(b), tokensOf(a));
    const bool priced = (!a || a->cost_usd) && (!b || b->cost_usd);
    if (priced)
        d.cost_usd = (b ? *b->cost_usd : 0.0) - (a ? *a->cost_usd : 0.0);
    if (a)
        d.status_a = a->status;
    if (b)
        d.status_b = b->status;
    return d;
}

PairText diffPairText(const core::Span *a, const core::Span *b, std::size_t maxBytes)
{
    static const std::string none;
    PairText t;
    t.input = diffText(a ? a->input : none, b ? b->input : none, maxBytes);
    t.output = diffText(a ? a->output : none, b ? b->output : none, maxBytes);
    return t;
}

RunDelta runDelta(const core::TraceSummary &a, const core::TraceSummary &b)
{
    auto tokens = [](const core::TraceSummary &s) {
        return TokenDelta { s.input_tokens, s.output_tokens, s.total_tokens, s.cache_read_tokens, s.cache_write_tokens,
            s.reasoning_tokens };
    };
    RunDelta d;
    d.tokens = minus(tokens(b), tokens(a));
    if (a.priced_spans > 0 && b.priced_spans > 0)
        d.cost_usd = b.cost_usd - a.cost_usd;
    d.duration_ns = b.durationNs() - a.durationNs();
    return d;
}

TraceDiff diffTraces(const RunSide &a, const RunSide &b)
{
    KeyTable table;
    const Steps sa = table.steps(a.spans), sb = table.steps(b.spans);
    TraceDiff out;
    out.steps_a = sa.spans.size();
    out.steps_b = sb.spans.size();
    out.content_compared = a.complete && b.complete;
    auto al = alignSequences(sa.keys, sb.keys);
    Slider(a, b, sa, sb, out.content_compared).slideAll(al);
    out.pairs.reserve(al.size());
    for (const auto &p : al) {
        StepPair pair;
        pair.a = p.a < 0 ? -1 : sa.spans[static_cast<std::size_t>(p.a)];
        pair.b = p.b < 0 ? -1 : sb.spans[static_cast<std::size_t>(p.b)];
        if (pair.a < 0) {
            pair.state = PairState::Added;
            ++out.added;
        } else if (pair.b < 0) {
            pair.state = PairState::Removed;
            ++out.removed;
        } else {
            pair.changes = changesOf(a.spans[static_cast<std::size_t>(pair.a)],
                b.spans[static_cast<std::size_t>(pair.b)], out.content_compared);
            pair.state = pair.changes ? PairState::Changed : PairState::Same;
            ++(pair.changes ? out.changed : out.same);
        }
        if (pair.state != PairState::Same && !out.first_divergence)
            out.first_divergence = out.pairs.size();
        out.pairs.push_back(pair);
    }
    return out;
}

} // namespace agentops::diff
