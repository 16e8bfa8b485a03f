// SPDX-License-Identifier: MIT
// GET /api/v1/traces/diff as JSON text (docs/api.md "Trace diff").
#include "api/apiwire.h"

#include "core/spanjson.h"

#include <charconv>

namespace agentops::api::write {

namespace {

void appendDouble(std::string &out, double v)
{
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, ec == std::errc() ? end : buf);
}

void appendOptionalCost(std::string &out, const std::optional<double> &v)
{
    if (v)
        appendDouble(out, *v);
    else
        out += "null";
}

void appendTokens(std::string &out, const diff::TokenDelta &t)
{
    out += "{\"input\":" + std::to_string(t.input) + ",\"output\":" + std::to_string(t.output)
        + ",\"total\":" + std::to_string(t.total) + ",\"cache_read\":" + std::to_string(t.cache_read)
        + ",\"cache_write\":" + std::to_string(t.cache_write) + ",\"reasoning\":" + std::to_string(t.reasoning) + "}";
}

/// One side of a pair: the step's span, briefly (the whole span is GET .../spans/{span_id}).
void appendStep(std::string &out, const store::TraceDetail &t, std::int32_t index)
{
    if (index < 0) {
        out += "null";
        return;
    }
    const auto i = static_cast<std::size_t>(index);
    const core::Span &s = t.spans[i];
    out += "{\"span_id\":\"" + core::toHex(s.span_id) + "\",\"name\":";
    core::appendJsonString(out, s.name);
    out += ",\"kind\":\"";
    out += core::toString(s.kind);
    out += "\",\"model\":";
    core::appendJsonString(out, s.model());
    out += ",\"tool_name\":";
    core::appendJsonString(out, s.tool_name);
    out += ",\"depth\":" + std::to_string(i < t.depth.size() ? t.depth[i] : 0);
    out += ",\"status\":\"";
    out += core::toString(s.status);
    out += "\",\"status_message\":";
    core::appendJsonString(out, s.status_message);
    out += ",\"duration_ns\":" + std::to_string(s.durationNs()) + ",\"tokens\":";
    appendTokens(out, diff::pairDelta(nullptr, &s).tokens);
    out += ",\"cost_usd\":";
    appendOptionalCost(out, s.cost_usd);
    out += '}';
}

void appendPair(std::string &out, const TraceDiffAnswer &answer, const diff::StepPair &p)
{
    out += "{\"state\":\"";
    out += diff::toString(p.state);
    out += "\",\"changes\":[";
    bool first = true;
    for (auto name : diff::changeNames(p.changes)) {
        out += first ? "\"" : ",\"";
        out += name;
        out += '"';
        first = false;
    }
    out += "],\"a\":";
    appendStep(out, *answer.a, p.a);
    out += ",\"b\":";
    appendStep(out, *answer.b, p.b);
    const core::Span *sa = p.a < 0 ? nullptr : &answer.a->spans[static_cast<std::size_t>(p.a)];
    const core::Span *sb = p.b < 0 ? nullptr : &answer.b->spans[static_cast<std::size_t>(p.b)];
    const auto d = diff::pairDelta(sa, sb);
    out += ",\"delta\":{\"duration_ns\":" + std::to_string(d.duration_ns) + ",\"tokens\":";
    appendTokens(out, d.tokens);
    out += ",\"cost_usd\":";
    appendOptionalCost(out, d.cost_usd);
    out += "}}";
}

void appendTextDiff(std::string &out, const diff::TextDiff &d)
{
    out += "{\"pieces\":[";
    for (std::size_t i = 0; i < d.pieces.size(); ++i) {
        const auto &piece = d.pieces[i];
        out += i ? ",[\"" : "[\"";
        out += piece.op == diff::TextPiece::Op::Equal ? '=' : piece.op == diff::TextPiece::Op::Insert ? '+' : '-';
        out += "\",";
        core::appendJsonString(out, piece.text);
        out += ']';
    }
    out += "],\"truncated\":";
    out += d.truncated ? "true" : "false";
    out += '}';
}

void appendSummary(std::string &out, const TraceDiffAnswer &answer)
{
    const auto &d = *answer.diff;
    out += "{\"steps_a\":" + std::to_string(d.steps_a) + ",\"steps_b\":" + std::to_string(d.steps_b)
        + ",\"same\":" + std::to_string(d.same) + ",\"changed\":" + std::to_string(d.changed)
        + ",\"added\":" + std::to_string(d.added) + ",\"removed\":" + std::to_string(d.removed)
        + ",\"first_divergence\":" + (d.first_divergence ? std::to_string(*d.first_divergence) : "null");
    const auto delta = diff::runDelta(answer.a->summary, answer.b->summary);
    out += ",\"delta\":{\"duration_ns\":" + std::to_string(delta.duration_ns) + ",\"tokens\":";
    appendTokens(out, delta.tokens);
    out += ",\"cost_usd\":";
    appendOptionalCost(out, delta.cost_usd);
    out += "}}";
}

} // namespace

std::string traceDiff(const TraceDiffAnswer &answer)
{
    const auto &d = *answer.diff;
    std::string out = "{\"a\":";
    core::appendSummaryApiJson(out, answer.a->summary);
    out += ",\"b\":";
    core::appendSummaryApiJson(out, answer.b->summary);
    out += ",\"content_compared\":";
    out += d.content_compared ? "true" : "false";
    out += ",\"summary\":";
    appendSummary(out, answer);
    out += ",\"pairs\":[";
    const std::size_t listed = std::min(d.pairs.size(), answer.max_pairs);
    for (std::size_t i = 0; i < listed; ++i) {
        if (i)
            out += ',';
        appendPair(out, answer, d.pairs[i]);
    }
    out += "],\"pairs_truncated\":";
    out += listed < d.pairs.size() ? "true" : "false";
    out += ",\"text_diffs\":[";
    for (std::size_t i = 0; i < answer.texts.size(); ++i) {
        out += i ? ",{\"pair\":" : "{\"pair\":";
        out += std::to_string(answer.texts[i].first) + ",\"input\":";
        appendTextDiff(out, answer.texts[i].second.input);
        out += ",\"output\":";
        appendTextDiff(out, answer.texts[i].second.output);
        out += '}';
    }
    out += "],\"text_diffs_truncated\":";
    out += answer.texts_truncated ? "true}" : "false}";
    return out;
}

} // namespace agentops::api::write
