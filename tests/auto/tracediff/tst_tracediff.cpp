// SPDX-License-Identifier: MIT
#include "diff/sequencediff.h"
#include "diff/textdiff.h"
#include "diff/tracediff.h"
#include "support/fixturestore.h"

#include <QTest>

#include <random>

using namespace agentops;
using nlohmann::json;

namespace {

/// Length of a longest common subsequence by the textbook O(N·M) table.
int lcsLength(const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b)
{
    std::vector<std::vector<int>> t(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j)
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    return t[a.size()][b.size()];
}

/// Checks that an alignment lists both sequences whole, in order, pairing equal keys only; returns
/// the number of pairs.
int checkedPairs(
    const std::vector<diff::AlignedPair> &al, const std::vector<std::uint32_t> &a, const std::vector<std::uint32_t> &b)
{
    int nextA = 0, nextB = 0, pairs = 0;
    for (const auto &p : al) {
        if (p.a >= 0) {
            if (p.a != nextA++)
                return -1;
        }
        if (p.b >= 0) {
            if (p.b != nextB++)
                return -1;
        }
        if (p.a >= 0 && p.b >= 0) {
            if (a[std::size_t(p.a)] != b[std::size_t(p.b)])
                return -1;
            ++pairs;
        }
    }
    return nextA == int(a.size()) && nextB == int(b.size()) ? pairs : -1;
}

std::string sideText(const diff::TextDiff &d, bool second)
{
    std::string out;
    for (const auto &p : d.pieces)
        if (p.op == diff::TextPiece::Op::Equal
            || (second ? p.op == diff::TextPiece::Op::Insert : p.op == diff::TextPiece::Op::Delete))
            out += p.text;
    return out;
}

std::string hex(const core::SpanId &id)
{
    return core::toHex(id);
}

/// Two stored runs and their diff.
struct Compared
{
    store::TraceDetail a, b;
    diff::TraceDiff diff;

    const core::Span *spanA(const diff::StepPair &p) const { return p.a < 0 ? nullptr : &a.spans[std::size_t(p.a)]; }
    const core::Span *spanB(const diff::StepPair &p) const { return p.b < 0 ? nullptr : &b.spans[std::size_t(p.b)]; }
    /// The pair holding the span with this id on side a (or b); nullptr when none.
    const diff::StepPair *pairOf(const std::string &spanId, bool sideB) const
    {
        for (const auto &p : diff.pairs) {
            const core::Span *s = sideB ? spanB(p) : spanA(p);
            if (s && hex(s->span_id) == spanId)
                return &p;
        }
        return nullptr;
    }
};

Compared compare(
    store::TraceStore &store, const json &runA, const json &runB, store::TraceLoad load = store::TraceLoad::Full)
{
    core::TraceId ia {}, ib {};
    core::fromHex(runA["trace_id"].get<std::string>(), ia);
    core::fromHex(runB["trace_id"].get<std::string>(), ib);
    Compared c { *store.trace(ia, load), *store.trace(ib, load), {} };
    c.diff = diff::diffTraces({ c.a.spans, c.a.complete }, { c.b.spans, c.b.complete });
    return c;
}

std::int64_t n(const json &v)
{
    return v.is_number() ? v.get<std::int64_t>() : 0;
}

/// The cost of a model call by docs/pricing.md from resources/prices.json, as tst_frameworks reads it.
std::optional<double> expectedCost(const json &call)
{
    static const json prices = [] {
        std::ifstream in(std::string(AGENTOPS_SOURCE_DIR) + "/resources/prices.json");
        return json::parse(in);
    }();
    const std::string model = call["response_model"].is_string() ? call["response_model"] : call["request_model"];
    const auto &u = call["usage"];
    for (const auto &row : prices["rows"]) {
        bool match = row["id"] == model;
        for (const auto &m : row.value("models", json::array()))
            match = match || m == model;
        if (!match)
            continue;
        const auto &p = row["prices"];
        const double in = p["input"], out = p["output"];
        const double cr = p.value("cache_read", in), cw = p.value("cache_write", in), re = p.value("reasoning", out);
        return (double(n(u["input"]) - n(u["cache_read"]) - n(u["cache_write"])) * in + double(n(u["cache_read"])) * cr
                   + double(n(u["cache_write"])) * cw + double(n(u["output"]) - n(u["reasoning"])) * out
                   + double(n(u["reasoning"])) * re)
            / 1e6;
    }
    return std::nullopt;
}

double runCost(const json &run)
{
    double sum = 0;
    for (const auto &c : run["llm_calls"])
        sum += expectedCost(c).value_or(0);
    return sum;
}

/// Checks the run totals' deltas against the producers' own run totals.
void checkRunDelta(const Compared &c, const json &runA, const json &runB)
{
    const auto d = diff::runDelta(c.a.summary, c.b.summary);
    const auto &ua = runA["total_usage"], &ub = runB["total_usage"];
    QCOMPARE(d.tokens.input, n(ub["input"]) - n(ua["input"]));
    QCOMPARE(d.tokens.output, n(ub["output"]) - n(ua["output"]));
    QCOMPARE(d.tokens.cache_read, n(ub["cache_read"]) - n(ua["cache_read"]));
    QCOMPARE(d.tokens.cache_write, n(ub["cache_write"]) - n(ua["cache_write"]));
    QCOMPARE(d.tokens.reasoning, n(ub["reasoning"]) - n(ua["reasoning"]));
    const auto dur = [](const json &r) {
        return std::stoll(r["end_time_unix_nano"].get<std::string>())
            - std::stoll(r["start_time_unix_nano"].get<std::string>());
    };
    QCOMPARE(d.duration_ns, dur(runB) - dur(runA));
}

} // namespace

class TestTraceDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void alignmentIsALongestCommonSubsequence_data();
    void alignmentIsALongestCommonSubsequence();
    void unrelatedSequencesAreBounded();
    void words();
    void textDiffRebuildsBothTexts();
    void unrelatedTextsAreBlocks();
    void adkToolFailure();
    void adkRetriedToolCall();
    void vercelOtherPrompt();
    void narrowLoadAlignsTheSame();
    void retryWithoutContentPairsTheFirstAttempt();
};

void TestTraceDiff::alignmentIsALongestCommonSubsequence_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<int>("alphabet");
    for (int seed = 1; seed <= 40; ++seed)
        QTest::addRow("seed %d", seed) << seed << (seed % 4 == 0 ? 2 : seed % 4 == 1 ? 3 : 8);
}

void TestTraceDiff::alignmentIsALongestCommonSubsequence()
{
    QFETCH(int, seed);
    QFETCH(int, alphabet);
    std::mt19937 rng(static_cast<unsigned>(seed));
    std::uniform_int_distribution<int> len(0, 120), key(0, alphabet - 1), edit(0, 9);
    std::vector<std::uint32_t> a(static_cast<std::size_t>(len(rng)));
    for (auto &k : a)
        k = std::uint32_t(key(rng));
    // b: a with edits, so the pair is like two runs of one agent.
    std::vector<std::uint32_t> b;
    for (auto k : a) {
        const int e = edit(rng);
        if (e == 0)
            continue;
        if (e == 1)
            b.push_back(std::uint32_t(key(rng)));
        b.push_back(k);
    }
    const auto al = diff::alignSequences(a, b);
    QCOMPARE(checkedPairs(al, a, b), lcsLength(a, b));
}

void TestTraceDiff::unrelatedSequencesAreBounded()
{
    // Nothing in common but a few keys: the cost bound must still answer, listing everything.
    std::vector<std::uint32_t> a(60'000), b(60'000);
    std::mt19937 rng(7);
    for (auto &k : a)
        k = rng() % 50;
    for (auto &k : b)
        k = rng() % 50;
    const auto al = diff::alignSequences(a, b);
    QVERIFY(checkedPairs(al, a, b) > 0);
}

void TestTraceDiff::words()
{
    const auto w = diff::diffWords("Hello, world_2  東京は晴れ\n{\"a\":1}");
    const std::vector<std::string_view> expected = { "Hello", ",", " ", "world_2", "  ", "東", "京", "は", "晴", "れ",
        "\n", "{", "\"", "a", "\"", ":", "1", "}" };
    QCOMPARE(w, expected);
}

void TestTraceDiff::textDiffRebuildsBothTexts()
{
    const std::string a = "What is the weather in Lisbon this weekend?";
    const std::string b = "How is the weather in Lisbon looking for Saturday?";
    const auto d = diff::diffText(a, b);
    QCOMPARE(sideText(d, false), a);
    QCOMPARE(sideText(d, true), b);
    QVERIFY(!d.equal());
    QCOMPARE(int(d.pieces.front().op), int(diff::TextPiece::Op::Delete));
    QCOMPARE(d.pieces.front().text, std::string("What"));
    QVERIFY(diff::diffText(a, a).equal());
    // Long texts are compared up to the limit, never inside a character.
    const std::string longA(100, 'x'), longB = std::string(99, 'x') + "é";
    const auto cut = diff::diffText(longA, longB, 100);
    QVERIFY(cut.truncated);
    QCOMPARE(sideText(cut, true), std::string(99, 'x'));
}

// A tool's JSON result against the error the other run got: they share a word or two and much
// punctuation, so the old text is shown whole (removed), then the new one (added).
void TestTraceDiff::unrelatedTextsAreBlocks()
{
    const std::string a = "{\"city\":\"Lisbon\",\"forecast\":\"sunny\",\"high_c\":24}";
    const std::string b = "Error in tool 'get_weather': no forecast for Atlantis: unknown city";
    const auto d = diff::diffText(a, b);
    QCOMPARE(d.pieces.size(), std::size_t(2));
    QCOMPARE(d.pieces[0], (diff::TextPiece { diff::TextPiece::Op::Delete, a }));
    QCOMPARE(d.pieces[1], (diff::TextPiece { diff::TextPiece::Op::Insert, b }));
    // Two JSON objects with one value changed still diff word by word.
    const std::string prefix = "{\"city\":\"Lisbon\",\"forecast\":\"";
    const auto json = diff::diffText(prefix + "sunny\"}", prefix + "rain\"}");
    QCOMPARE(json.pieces.size(), std::size_t(4));
    QCOMPARE(json.pieces[0].text, prefix);
    QCOMPARE(json.pieces[1], (diff::TextPiece { diff::TextPiece::Op::Delete, "sunny" }));
    QCOMPARE(json.pieces[2], (diff::TextPiece { diff::TextPiece::Op::Insert, "rain" }));
    // CJK text, one character a word, still diffs character by character.
    const auto cjk = diff::diffText("東京は晴れです", "東京は雨です");
    QCOMPARE(cjk.pieces.front(), (diff::TextPiece { diff::TextPiece::Op::Equal, "東京は" }));
    QCOMPARE(sideText(cjk, false), std::string("東京は晴れです"));
    QCOMPARE(sideText(cjk, true), std::string("東京は雨です"));
    // Texts of punctuation alone are judged on all their tokens.
    QVERIFY(diff::diffText("{}", "{}").equal());
    QCOMPARE(diff::diffText("{[]}", "<>()").pieces.size(), std::size_t(2));
}

// ADK, run "ok" against run "tool-error": the first model call already differs (ADK's usage metadata
// differs), and the tool call that ADK reported as failed is a changed step whose status is error.
void TestTraceDiff::adkToolFailure()
{
    test::FixtureStore fs;
    fs.ingest("adk-js");
    const json expected = test::FixtureStore::expected("adk-js");
    const json ok = test::FixtureStore::run(expected, "ok"), failed = test::FixtureStore::run(expected, "tool-error");
    const Compared c = compare(fs.store(), ok, failed);

    QCOMPARE(c.diff.added, 0u);
    QCOMPARE(c.diff.removed, 0u);
    QVERIFY(c.diff.content_compared);
    // The producer's first model calls reported different usage: that is the first divergence.
    QVERIFY(ok["llm_calls"][0]["usage"] != failed["llm_calls"][0]["usage"]);
    QVERIFY(c.diff.first_divergence);
    const auto &first = c.diff.pairs[*c.diff.first_divergence];
    QCOMPARE(hex(c.spanA(first)->span_id), ok["llm_calls"][0]["span_id"].get<std::string>());
    QCOMPARE(hex(c.spanB(first)->span_id), failed["llm_calls"][0]["span_id"].get<std::string>());
    QVERIFY(first.changes & diff::TokensChange);
    const auto d = diff::pairDelta(c.spanA(first), c.spanB(first));
    QCOMPARE(d.tokens.input, n(failed["llm_calls"][0]["usage"]["input"]) - n(ok["llm_calls"][0]["usage"]["input"]));
    QCOMPARE(d.tokens.output, n(failed["llm_calls"][0]["usage"]["output"]) - n(ok["llm_calls"][0]["usage"]["output"]));

    // The failed tool call, as ADK reported it, paired with the call that succeeded.
    QVERIFY(failed["tool_calls"][0]["failed"] == json(true));
    const auto *tool = c.pairOf(failed["tool_calls"][0]["span_id"], true);
    QVERIFY(tool);
    QCOMPARE(hex(c.spanA(*tool)->span_id), ok["tool_calls"][0]["span_id"].get<std::string>());
    QCOMPARE(int(tool->state), int(diff::PairState::Changed));
    QVERIFY(tool->changes & diff::StatusChange);
    const auto td = diff::pairDelta(c.spanA(*tool), c.spanB(*tool));
    QCOMPARE(int(td.status_b.value_or(core::StatusCode::Unset)), int(core::StatusCode::Error));
    QCOMPARE(c.spanB(*tool)->status_message, failed["tool_calls"][0]["error_message"].get<std::string>());
    // The model was handed the failure: the next call's prompt diff shows the message inserted.
    const auto *next = c.pairOf(failed["llm_calls"][1]["span_id"], true);
    QVERIFY(next);
    const auto text = diff::diffPairText(c.spanA(*next), c.spanB(*next));
    std::string inserted;
    for (const auto &p : text.input.pieces)
        if (p.op == diff::TextPiece::Op::Insert)
            inserted += p.text;
    QVERIFY2(inserted.find("unknown") != std::string::npos, inserted.c_str());
    checkRunDelta(c, ok, failed);
    QCOMPARE(*diff::runDelta(c.a.summary, c.b.summary).cost_usd, runCost(failed) - runCost(ok));
}

// ADK, run "ok" against a run whose first tool call failed and was retried: the failed attempt and
// the model call that reacted to it are added; everything else pairs with its counterpart.
void TestTraceDiff::adkRetriedToolCall()
{
    test::FixtureStore fs;
    fs.ingest("adk-js");
    fs.ingest("adk-js-retry");
    const json ok = test::FixtureStore::run(test::FixtureStore::expected("adk-js"), "ok");
    const json retry = test::FixtureStore::run(test::FixtureStore::expected("adk-js-retry"), "retry");
    const Compared c = compare(fs.store(), ok, retry);

    QCOMPARE(c.diff.removed, 0u);
    QCOMPARE(
        std::int64_t(c.diff.added), retry["span_count"].get<std::int64_t>() - ok["span_count"].get<std::int64_t>());
    const auto &failedCall = retry["tool_calls"][0];
    QVERIFY(failedCall["failed"] == json(true));
    QVERIFY(retry["tool_calls"][1]["failed"] == json(false));
    const auto *attempt = c.pairOf(failedCall["span_id"], true);
    QVERIFY(attempt);
    QCOMPARE(int(attempt->state), int(diff::PairState::Added));
    QCOMPARE(int(c.pairOf(retry["llm_calls"][1]["span_id"], true)->state), int(diff::PairState::Added));
    // The retried call pairs with run "ok"'s tool call, the final answer with its final answer.
    const auto *retried = c.pairOf(retry["tool_calls"][1]["span_id"], true);
    QVERIFY(retried && retried->a >= 0);
    QCOMPARE(hex(c.spanA(*retried)->span_id), ok["tool_calls"][0]["span_id"].get<std::string>());
    const auto *answer = c.pairOf(retry["llm_calls"][2]["span_id"], true);
    QVERIFY(answer && answer->a >= 0);
    QCOMPARE(hex(c.spanA(*answer)->span_id), ok["llm_calls"][1]["span_id"].get<std::string>());
    const auto *firstCall = c.pairOf(retry["llm_calls"][0]["span_id"], true);
    QVERIFY(firstCall && firstCall->a >= 0);
    QCOMPARE(hex(c.spanA(*firstCall)->span_id), ok["llm_calls"][0]["span_id"].get<std::string>());
    // The first model calls asked the same and reported the same usage: the first divergence is the
    // failed attempt.
    QVERIFY(ok["llm_calls"][0]["usage"] == retry["llm_calls"][0]["usage"]);
    QVERIFY(c.diff.first_divergence);
    QCOMPARE(&c.diff.pairs[*c.diff.first_divergence], attempt);
    checkRunDelta(c, ok, retry);
}

// The AI SDK agent asked in other words: the root step's prompt is the first divergence, its word
// diff holds the producer's new prompt, and the token deltas are the producer's run totals.
void TestTraceDiff::vercelOtherPrompt()
{
    test::FixtureStore fs;
    fs.ingest("vercel-ai");
    fs.ingest("vercel-ai-reworded");
    const json ok = test::FixtureStore::run(test::FixtureStore::expected("vercel-ai"), "ok");
    const json reworded = test::FixtureStore::run(test::FixtureStore::expected("vercel-ai-reworded"), "reworded");
    const Compared c = compare(fs.store(), ok, reworded);

    QCOMPARE(c.diff.added, 0u);
    QCOMPARE(c.diff.removed, 0u);
    QVERIFY(c.diff.first_divergence);
    const auto &first = c.diff.pairs[*c.diff.first_divergence];
    QCOMPARE(*c.diff.first_divergence, 0u);
    QCOMPARE(hex(c.spanA(first)->span_id), ok["root_span_id"].get<std::string>());
    QCOMPARE(hex(c.spanB(first)->span_id), reworded["root_span_id"].get<std::string>());
    QVERIFY(first.changes & diff::InputChange);
    const auto text = diff::diffPairText(c.spanA(first), c.spanB(first));
    const std::string prompt = reworded["prompt"];
    QVERIFY2(sideText(text.input, true).find(prompt) != std::string::npos, sideText(text.input, true).c_str());
    std::string inserted;
    for (const auto &p : text.input.pieces)
        if (p.op == diff::TextPiece::Op::Insert)
            inserted += p.text;
    QVERIFY(inserted.find("Saturday") != std::string::npos);
    // Every model call: tokens as each producer reported them.
    for (std::size_t i = 0; i < ok["llm_calls"].size(); ++i) {
        const auto *pair = c.pairOf(reworded["llm_calls"][i]["span_id"], true);
        QVERIFY(pair && pair->a >= 0);
        QCOMPARE(hex(c.spanA(*pair)->span_id), ok["llm_calls"][i]["span_id"].get<std::string>());
        const auto d = diff::pairDelta(c.spanA(*pair), c.spanB(*pair));
        const auto &ua = ok["llm_calls"][i]["usage"], &ub = reworded["llm_calls"][i]["usage"];
        QCOMPARE(d.tokens.input, n(ub["input"]) - n(ua["input"]));
        QCOMPARE(d.tokens.cache_write, n(ub["cache_write"]) - n(ua["cache_write"]));
        QCOMPARE(d.tokens.reasoning, n(ub["reasoning"]) - n(ua["reasoning"]));
        QVERIFY(d.cost_usd);
        QVERIFY(std::abs(*d.cost_usd - (*expectedCost(reworded["llm_calls"][i]) - *expectedCost(ok["llm_calls"][i])))
            < 1e-12);
    }
    checkRunDelta(c, ok, reworded);
    QVERIFY(std::abs(*diff::runDelta(c.a.summary, c.b.summary).cost_usd - (runCost(reworded) - runCost(ok))) < 1e-12);
}

// A trace loaded narrow aligns the same way; content is not compared, and a pair's text diff from
// the whole spans (TraceStore::span) equals the one from a full load.
void TestTraceDiff::narrowLoadAlignsTheSame()
{
    test::FixtureStore fs;
    fs.ingest("adk-js");
    fs.ingest("adk-js-retry");
    const json ok = test::FixtureStore::run(test::FixtureStore::expected("adk-js"), "ok");
    const json retry = test::FixtureStore::run(test::FixtureStore::expected("adk-js-retry"), "retry");
    const Compared full = compare(fs.store(), ok, retry);
    const Compared narrow = compare(fs.store(), ok, retry, store::TraceLoad::Narrow);
    QVERIFY(!narrow.b.complete);
    QVERIFY(!narrow.diff.content_compared);
    QCOMPARE(narrow.diff.pairs.size(), full.diff.pairs.size());
    for (std::size_t i = 0; i < full.diff.pairs.size(); ++i) {
        QCOMPARE(narrow.diff.pairs[i].a, full.diff.pairs[i].a);
        QCOMPARE(narrow.diff.pairs[i].b, full.diff.pairs[i].b);
        QCOMPARE(narrow.diff.pairs[i].changes & ~(diff::InputChange | diff::OutputChange),
            full.diff.pairs[i].changes & ~(diff::InputChange | diff::OutputChange));
    }
    const auto *answer = narrow.pairOf(retry["llm_calls"][2]["span_id"], true);
    QVERIFY(answer && answer->a >= 0);
    QVERIFY(narrow.spanB(*answer)->input.empty());
    const auto wa = fs.store().span(narrow.a.summary.trace_id, narrow.spanA(*answer)->span_id);
    const auto wb = fs.store().span(narrow.b.summary.trace_id, narrow.spanB(*answer)->span_id);
    QVERIFY(wa && wb);
    const auto *fullAnswer = full.pairOf(retry["llm_calls"][2]["span_id"], true);
    const auto fromNarrow = diff::diffPairText(&*wa, &*wb);
    const auto fromFull = diff::diffPairText(full.spanA(*fullAnswer), full.spanB(*fullAnswer));
    QVERIFY(fromNarrow.input.pieces == fromFull.input.pieces);
    QVERIFY(fromNarrow.output.pieces == fromFull.output.pieces);
    QVERIFY(!fromFull.input.equal());
}

// Two identical attempts of one call against one: the second attempt is the added one, nothing
// after it shifts.
void TestTraceDiff::retryWithoutContentPairsTheFirstAttempt()
{
    auto span = [](std::uint8_t id, core::SpanKind kind, const char *name) {
        core::Span s;
        s.span_id.fill(id);
        s.kind = kind;
        s.name = name;
        return s;
    };
    const std::vector<core::Span> a = { span(1, core::SpanKind::Agent, "agent"), span(2, core::SpanKind::Llm, "chat"),
        span(3, core::SpanKind::Tool, "search"), span(4, core::SpanKind::Llm, "chat") };
    const std::vector<core::Span> b = { span(1, core::SpanKind::Agent, "agent"), span(2, core::SpanKind::Llm, "chat"),
        span(3, core::SpanKind::Tool, "search"), span(5, core::SpanKind::Tool, "search"),
        span(4, core::SpanKind::Llm, "chat") };
    const auto d = diff::diffTraces({ a, true }, { b, true });
    QCOMPARE(d.pairs.size(), 5u);
    QCOMPARE(d.added, 1u);
    QCOMPARE(d.pairs[2].a, 2);
    QCOMPARE(d.pairs[2].b, 2);
    QCOMPARE(int(d.pairs[3].state), int(diff::PairState::Added));
    QCOMPARE(d.pairs[3].b, 3);
    QCOMPARE(int(d.pairs[4].state), int(diff::PairState::Same));
    QCOMPARE(*d.first_divergence, 3u);
}

QTEST_GUILESS_MAIN(TestTraceDiff)
#include "tst_tracediff.moc"
