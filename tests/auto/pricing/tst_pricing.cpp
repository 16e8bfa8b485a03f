// SPDX-License-Identifier: MIT
#include "core/normalizer.h"
#include "core/pricing.h"
#include "support/common.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <cmath>

using namespace agentops::core;
using nlohmann::json;

namespace {

using agentops::test::q;

// Dollar amounts are sums of a few products; they agree with the hand computation to rounding.
bool sameCost(double actual, double expected)
{
    return std::abs(actual - expected) <= 1e-12 * std::max(1.0, std::abs(expected));
}

#define COMPARE_COST(actual, expected)                                                                                 \
    QVERIFY2(sameCost((actual), (expected)),                                                                           \
        qPrintable(QStringLiteral("%1 != %2").arg((actual), 0, 'g', 17).arg((expected), 0, 'g', 17)))

Attribute str(std::string key, std::string value)
{
    return { std::move(key), AttrValue::ofString(std::move(value)) };
}

Attribute num(std::string key, std::int64_t value)
{
    return { std::move(key), AttrValue::ofInt(value) };
}

Span normalized(std::string name, Attributes attrs)
{
    Span span;
    span.name = std::move(name);
    span.attributes = std::move(attrs);
    normalizeSpan(span);
    return span;
}

// Prices of the accounting tests: fixed here so the tests check the arithmetic, not the current list
// (the shipped table is checked separately). Rates per million tokens.
constexpr const char *kTestPrices = R"({
  "rows": [
    { "id": "gpt-4o", "provider": "openai", "models": ["gpt-4o"], "patterns": ["gpt-4o-20*"],
      "prices": { "input": 2.50, "output": 10.00, "cache_read": 1.25 }, "as_of": "2025-11-01" },
    { "id": "o3-mini", "provider": "openai", "models": ["o3-mini"], "patterns": ["o3-mini-20*"],
      "prices": { "input": 1.10, "output": 4.40, "cache_read": 0.55 }, "as_of": "2025-11-01" },
    { "id": "claude-sonnet-4-5", "provider": "anthropic", "models": ["claude-sonnet-4-5"],
      "patterns": ["claude-sonnet-4-5-202*"],
      "prices": { "input": 3.00, "output": 15.00, "cache_read": 0.30, "cache_write": 3.75 },
      "tiers": [ { "above_input_tokens": 200000,
                   "prices": { "input": 6.00, "output": 22.50, "cache_read": 0.60, "cache_write": 7.50 } } ],
      "as_of": "2025-11-02" },
    { "id": "gemini-2.5-flash", "provider": "google", "models": ["gemini-2.5-flash"],
      "prices": { "input": 0.30, "output": 2.50, "cache_read": 0.03 }, "as_of": "2025-11-03" },
    { "id": "thinker", "provider": "acme", "models": ["thinker-1"],
      "prices": { "input": 1.00, "output": 10.00, "reasoning": 20.00 }, "as_of": "2025-11-04" },
    { "id": "stepped", "provider": "acme", "models": ["stepped-1"],
      "prices": { "input": 1.00, "output": 2.00 },
      "tiers": [ { "above_input_tokens": 100, "prices": { "input": 3.00 } },
                 { "above_input_tokens": 1000, "prices": { "input": 5.00, "output": 7.00 } } ],
      "as_of": "2025-11-05" }
  ]
})";

const PriceTable &testTable()
{
    static const PriceTable table = [] {
        std::string error;
        auto t = PriceTable::fromJson(kTestPrices, error);
        if (!t)
            qFatal("test price table: %s", error.c_str());
        return std::move(*t);
    }();
    return table;
}

} // namespace

Q_DECLARE_METATYPE(agentops::core::Attributes)

class TestPricing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedTableLoads();
    void everyRowPricesItsOwnId();
    void idNamesAModel();
    void matchShipped_data();
    void matchShipped();
    void mostSpecificPatternWins();
    void noFamilyPrefixGuessing_data();
    void noFamilyPrefixGuessing();
    void glob_data();
    void glob();
    void tiers_data();
    void tiers();
    void shippedTiers();
    void overrideMerge();
    void validation_data();
    void validation();
    void failedLoadKeepsTable();
    void conventions_data();
    void conventions();
    void reasoningNeverFree();
    void rollupSpansAreNotPriced();
    void unknownModelHasNoPrice();
    void noTokensNoCost();
    void inconsistentCountsAreClamped();
    void responseModelFallsBackToRequestModel();
    void apiJson();
};

void TestPricing::everyRowPricesItsOwnId()
{
    // A model named exactly as a row's id ("claude-sonnet-4") is priced by that row, as its listed
    // names are: for every shipped row, in any case and with stray blanks.
    const auto &shipped = shippedPriceTable();
    for (const auto &row : shipped.rows()) {
        for (const std::string &name : { row.id, asciiLower(row.id), " " + row.id + " " }) {
            const PriceRow *found = shipped.match(name);
            QVERIFY2(found == &row, (row.id + " -> " + (found ? found->id : std::string("no price"))).c_str());
        }
        Span call;
        call.kind = SpanKind::Llm;
        call.request_model = row.id;
        call.tokens.input = 1000;
        call.tokens.output = 100;
        applyPrice(call, shipped);
        QVERIFY2(call.cost_usd && *call.cost_usd > 0, row.id.c_str());
        QCOMPARE(q(call.price_ref), q(row.ref()));
    }
}

void TestPricing::idNamesAModel()
{
    std::string error;
    auto table = PriceTable::fromJson(R"({"rows":[
        {"id":"acme-large","provider":"acme","patterns":["acme-large-20*"],"prices":{"input":1,"output":2},
         "as_of":"2025-06-30"},
        {"id":"acme-small","provider":"acme","models":["acme-small","acme-small-v1"],
         "prices":{"input":0.5,"output":1},"as_of":"2025-06-30"}]})",
        error);
    QVERIFY2(table, error.c_str());
    QCOMPARE(q(table->match("ACME-Large")->id), QStringLiteral("acme-large"));
    QCOMPARE(q(table->match("acme-large-2025")->id), QStringLiteral("acme-large"));
    QCOMPARE(q(table->match("acme-small")->id), QStringLiteral("acme-small"));
    QVERIFY(!table->match("acme-larger"));
    // The API lists the names as the row declares them: the id is not added to `models`.
    QVERIFY(table->toApiJson().find(R"("models":["acme-large"])") == std::string::npos);

    // A name one row lists and another row has as its id goes to the row that lists it: price files
    // that loaded before still load.
    auto listed = PriceTable::fromJson(R"({"rows":[
        {"id":"x","provider":"p","models":["y"],"prices":{"input":1,"output":2},"as_of":"2025-06-30"},
        {"id":"y","provider":"p","patterns":["yyy-*"],"prices":{"input":1,"output":2},"as_of":"2025-06-30"}]})",
        error);
    QVERIFY2(listed, error.c_str());
    QCOMPARE(q(listed->match("y")->id), QStringLiteral("x"));
    QCOMPARE(q(listed->match("x")->id), QStringLiteral("x"));

    // So does a shipped row's listed name against an override row's id; an override that lists the
    // name takes it.
    auto shipped = PriceTable::fromJson(R"({"rows":[
        {"id":"s","provider":"p","models":["m1"],"prices":{"input":1,"output":2},"as_of":"2025-06-30"}]})",
        error);
    auto overrides = PriceTable::fromJson(R"({"rows":[
        {"id":"m1","provider":"p","patterns":["m1-*"],"prices":{"input":9,"output":9},"as_of":"2026-01-01"},
        {"id":"o","provider":"p","models":["m2"],"prices":{"input":9,"output":9},"as_of":"2026-01-01"}]})",
        error, PriceRow::Source::Override);
    QVERIFY(shipped && overrides);
    shipped->merge(*overrides);
    QCOMPARE(q(shipped->match("m1")->id), QStringLiteral("s"));
    QCOMPARE(q(shipped->match("m1-large")->id), QStringLiteral("m1"));
}

void TestPricing::shippedTableLoads()
{
    std::string error;
    auto table = PriceTable::fromJson(shippedPriceTableJson(), error);
    QVERIFY2(table, error.c_str());
    const auto &shipped = shippedPriceTable();
    QVERIFY(shipped.rows().size() >= 60);
    for (const auto &row : shipped.rows()) {
        QVERIFY2(!row.provider.empty(), row.id.c_str());
        QVERIFY2(row.prices.input && row.prices.output, row.id.c_str());
        QVERIFY(row.source == PriceRow::Source::Shipped);
        // Every shipped row says when and where its prices were published.
        QCOMPARE(row.as_of.size(), std::size_t(10));
        QVERIFY2(row.url.starts_with("https://"), row.id.c_str());
    }
    // Each provider the product promises is covered.
    for (const char *provider : { "openai", "anthropic", "google", "mistral", "deepseek", "together", "groq" }) {
        const auto n = std::ranges::count(shipped.rows(), std::string(provider), &PriceRow::provider);
        QVERIFY2(n > 0, provider);
    }
}

void TestPricing::matchShipped_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("row"); // empty: no price

    auto row = [](const char *model, const char *id) { QTest::newRow(model) << q(model) << q(id); };
    // exact, case and surrounding blanks
    row("gpt-4o", "gpt-4o");
    row("GPT-4o", "gpt-4o");
    row(" gpt-4o ", "gpt-4o");
    row("gpt-4o-mini", "gpt-4o-mini");
    row("gpt-4.1", "gpt-4.1");
    row("gpt-4.1-mini", "gpt-4.1-mini");
    row("gpt-4.1-nano", "gpt-4.1-nano");
    row("gpt-5", "gpt-5");
    row("gpt-5-mini", "gpt-5-mini");
    row("gpt-5-nano", "gpt-5-nano");
    row("o1", "o1");
    row("o3", "o3");
    row("o3-mini", "o3-mini");
    row("o4-mini", "o4-mini");
    // dated snapshots: listed, or by an explicit pattern (a snapshot the table does not list yet)
    row("gpt-4o-2024-08-06", "gpt-4o");
    row("gpt-4o-2025-03-01", "gpt-4o");
    row("gpt-4o-2024-05-13", "gpt-4o-2024-05-13"); // the first snapshot costs twice as much
    row("gpt-4o-mini-2024-07-18", "gpt-4o-mini");
    row("o3-2025-04-16", "o3");
    row("o3-mini-2025-01-31", "o3-mini");
    row("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini");
    row("claude-sonnet-4-5-20250929", "claude-sonnet-4-5");
    row("claude-sonnet-4-20250514", "claude-sonnet-4");
    row("claude-3-5-haiku-20241022", "claude-3-5-haiku");
    row("claude-3-5-sonnet-20241022", "claude-3-5-sonnet");
    row("claude-3-7-sonnet-20250219", "claude-3-7-sonnet");
    row("claude-opus-4-1-20250805", "claude-opus-4-1");
    row("claude-haiku-4-5", "claude-haiku-4-5");
    // provider-prefixed and cloud spellings
    row("openai/gpt-4o", "gpt-4o");
    row("openai/gpt-4o-2024-05-13", "gpt-4o-2024-05-13");
    row("openai/gpt-4o-mini", "gpt-4o-mini");
    row("azure/gpt-4.1", "gpt-4.1");
    row("anthropic/claude-sonnet-4.5", "claude-sonnet-4-5");
    row("anthropic/claude-3.5-haiku", "claude-3-5-haiku");
    row("us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4");
    row("anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet");
    row("claude-sonnet-4@20250514", "claude-sonnet-4");
    row("claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet");
    row("models/gemini-2.5-pro", "gemini-2.5-pro");
    row("models/gemini-2.5-flash-lite", "gemini-2.5-flash-lite");
    row("publishers/google/models/gemini-2.5-flash", "gemini-2.5-flash");
    row("projects/p1/locations/us-central1/publishers/google/models/gemini-2.0-flash-001", "gemini-2.0-flash");
    row("gemini/gemini-1.5-pro", "gemini-1.5-pro");
    row("gemini-2.5-pro-preview-05-06", "gemini-2.5-pro");
    row("mistral-large-latest", "mistral-large");
    row("mistral/mistral-small-latest", "mistral-small");
    row("codestral-latest", "codestral");
    row("deepseek-chat", "deepseek-chat");
    row("deepseek-reasoner", "deepseek-reasoner");
    row("deepseek/deepseek-reasoner", "deepseek-reasoner");
    row("meta-llama/Llama-3.3-70B-Instruct-Turbo", "together/llama-3.3-70b-instruct-turbo");
    row("together_ai/Qwen/Qwen2.5-72B-Instruct-Turbo", "together/qwen2.5-72b-instruct-turbo");
    row("llama-3.3-70b-versatile", "groq/llama-3.3-70b-versatile");
    row("groq/llama-3.1-8b-instant", "groq/llama-3.1-8b-instant");
    row("accounts/fireworks/models/mixtral-8x7b-instruct", "fireworks/mixtral-8x7b-instruct");
    row("us.meta.llama3-3-70b-instruct-v1:0", "bedrock/llama3-3-70b-instruct");
    // no row: no price
    row("", "");
    row("my-finetune", "");
    row("llama-3.3-70b", ""); // the price depends on the host, which the bare name does not say
    row("gemini-2.5-flash-preview-04-17", ""); // priced differently from the released model
    row("claude-sonnet-4-7", "");
    row("gpt-4o-realtime-preview", "");
}

void TestPricing::matchShipped()
{
    QFETCH(QString, model);
    QFETCH(QString, row);
    const PriceRow *found = shippedPriceTable().match(model.toStdString());
    QCOMPARE(found ? q(found->id) : QString(), row);
}

void TestPricing::mostSpecificPatternWins()
{
    std::string error;
    auto table = PriceTable::fromJson(R"({"rows":[
        {"id":"broad","provider":"p","patterns":["*/acme-*"],"prices":{"input":1,"output":1},"as_of":"2025-01-01"},
        {"id":"narrow","provider":"p","patterns":["*/acme-pro-*"],"prices":{"input":2,"output":2},"as_of":"2025-01-01"},
        {"id":"exact","provider":"p","models":["x/acme-pro-7"],"prices":{"input":3,"output":3},"as_of":"2025-01-01"}
    ]})",
        error);
    QVERIFY2(table, error.c_str());
    QCOMPARE(q(table->match("x/acme-lite-1")->id), QStringLiteral("broad"));
    QCOMPARE(q(table->match("x/acme-pro-1")->id), QStringLiteral("narrow"));
    QCOMPARE(q(table->match("X/ACME-PRO-7")->id), QStringLiteral("exact"));
    QVERIFY(!table->match("acme-pro-1")); // no provider part: none of the patterns say so
}

void TestPricing::noFamilyPrefixGuessing_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("sibling"); // the row a prefix guess would have picked
    QTest::addColumn<QString>("row");
    QTest::newRow("gpt-4o-mini") << QStringLiteral("gpt-4o-mini") << QStringLiteral("gpt-4o")
                                 << QStringLiteral("gpt-4o-mini");
    QTest::newRow("o3-mini") << QStringLiteral("o3-mini") << QStringLiteral("o3") << QStringLiteral("o3-mini");
    QTest::newRow("o3-pro") << QStringLiteral("o3-pro") << QStringLiteral("o3") << QStringLiteral("o3-pro");
    QTest::newRow("gemini-2.5-flash-lite")
        << QStringLiteral("gemini-2.5-flash-lite") << QStringLiteral("gemini-2.5-flash")
        << QStringLiteral("gemini-2.5-flash-lite");
    QTest::newRow("claude-3-5-haiku") << QStringLiteral("claude-3-5-haiku-20241022")
                                      << QStringLiteral("claude-3-5-sonnet-latest")
                                      << QStringLiteral("claude-3-5-haiku");
    // Opus 4.5 costs a third of Opus 4: a guess from "claude-opus-4" would triple its cost.
    QTest::newRow("claude-opus-4-5 snapshot") << QStringLiteral("claude-opus-4-5-20251101")
                                              << QStringLiteral("claude-opus-4-0") << QStringLiteral("claude-opus-4-5");
    QTest::newRow("gpt-5-mini") << QStringLiteral("gpt-5-mini") << QStringLiteral("gpt-5")
                                << QStringLiteral("gpt-5-mini");
    QTest::newRow("gpt-4.1-nano") << QStringLiteral("gpt-4.1-nano-2025-04-14") << QStringLiteral("gpt-4.1")
                                  << QStringLiteral("gpt-4.1-nano");
}

void TestPricing::noFamilyPrefixGuessing()
{
    QFETCH(QString, model);
    QFETCH(QString, sibling);
    QFETCH(QString, row);
    const auto &shipped = shippedPriceTable();
    const PriceRow *found = shipped.match(model.toStdString());
    QVERIFY(found);
    QCOMPARE(q(found->id), row);
    const PriceRow *other = shipped.match(sibling.toStdString());
    QVERIFY(other);
    QVERIFY(other->prices != found->prices);

    // A table that only knows the sibling has no price for the model at all.
    PriceTable only;
    std::string error;
    json doc = json::parse(shipped.toApiJson());
    json rows = json::array();
    for (auto &r : doc["rows"])
        if (r["id"] == other->id) {
            r.erase("ref");
            r.erase("source");
            rows.push_back(r);
        }
    QVERIFY2(only.load(json { { "rows", rows } }.dump(), error), error.c_str());
    QVERIFY(only.match(sibling.toStdString()));
    QVERIFY(!only.match(model.toStdString()));
}

void TestPricing::glob_data()
{
    QTest::addColumn<QString>("glob");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("match");
    QTest::newRow("prefix") << QStringLiteral("gpt-4o-20*") << QStringLiteral("gpt-4o-2024-08-06") << true;
    QTest::newRow("prefix miss") << QStringLiteral("gpt-4o-20*") << QStringLiteral("gpt-4o-mini-2024-07-18") << false;
    QTest::newRow("suffix") << QStringLiteral("*/gpt-4o") << QStringLiteral("openai/gpt-4o") << true;
    QTest::newRow("suffix deep") << QStringLiteral("*/gpt-4o") << QStringLiteral("a/b/gpt-4o") << true;
    QTest::newRow("suffix miss") << QStringLiteral("*/gpt-4o") << QStringLiteral("openai/gpt-4o-mini") << false;
    QTest::newRow("no prefix part") << QStringLiteral("*/gpt-4o") << QStringLiteral("gpt-4o") << false;
    QTest::newRow("middle") << QStringLiteral("*anthropic.claude-3-haiku-202*")
                            << QStringLiteral("eu.anthropic.claude-3-haiku-20240307-v1:0") << true;
    QTest::newRow("two stars backtrack") << QStringLiteral("*a*ab") << QStringLiteral("xaaab") << true;
    QTest::newRow("star matches none") << QStringLiteral("abc*") << QStringLiteral("abc") << true;
    QTest::newRow("no star") << QStringLiteral("abc") << QStringLiteral("abcd") << false;
}

void TestPricing::glob()
{
    QFETCH(QString, glob);
    QFETCH(QString, text);
    QFETCH(bool, match);
    QCOMPARE(globMatch(glob.toStdString(), text.toStdString()), match);
}

void TestPricing::tiers_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("cacheRead");
    QTest::addColumn<qint64>("cacheWrite");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("tier");
    QTest::addColumn<double>("cost");

    // Claude Sonnet 4.5 test prices: base 3 / 15 / read 0.30 / write 3.75; above 200k 6 / 22.5 / 0.6 / 7.5.
    QTest::newRow("sonnet at threshold") << QStringLiteral("claude-sonnet-4-5") << qint64(200000) << qint64(150000)
                                         << qint64(10000) << qint64(1000) << qint64(0)
                                         << (40000 * 3e-6 + 150000 * 0.30e-6 + 10000 * 3.75e-6 + 1000 * 15e-6);
    // The threshold counts the whole prompt: cached tokens push a call over it like any others.
    QTest::newRow("sonnet one above") << QStringLiteral("claude-sonnet-4-5-20250929") << qint64(200001)
                                      << qint64(150000) << qint64(10000) << qint64(1000) << qint64(200000)
                                      << (40001 * 6e-6 + 150000 * 0.60e-6 + 10000 * 7.5e-6 + 1000 * 22.5e-6);
    // Stepped: base 1 / 2; above 100 input 3 (output stays 2); above 1000 input 5, output 7.
    QTest::newRow("stepped base") << QStringLiteral("stepped-1") << qint64(100) << qint64(0) << qint64(0) << qint64(10)
                                  << qint64(0) << (100 * 1e-6 + 10 * 2e-6);
    QTest::newRow("stepped first") << QStringLiteral("stepped-1") << qint64(101) << qint64(0) << qint64(0) << qint64(10)
                                   << qint64(100) << (101 * 3e-6 + 10 * 2e-6);
    QTest::newRow("stepped first top") << QStringLiteral("stepped-1") << qint64(1000) << qint64(0) << qint64(0)
                                       << qint64(10) << qint64(100) << (1000 * 3e-6 + 10 * 2e-6);
    QTest::newRow("stepped second") << QStringLiteral("stepped-1") << qint64(1001) << qint64(0) << qint64(0)
                                    << qint64(10) << qint64(1000) << (1001 * 5e-6 + 10 * 7e-6);
}

void TestPricing::tiers()
{
    QFETCH(QString, model);
    QFETCH(qint64, input);
    QFETCH(qint64, cacheRead);
    QFETCH(qint64, cacheWrite);
    QFETCH(qint64, output);
    QFETCH(qint64, tier);
    QFETCH(double, cost);
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = model.toStdString();
    s.tokens.input = input;
    s.tokens.output = output;
    if (cacheRead)
        s.tokens.cache_read = cacheRead;
    if (cacheWrite)
        s.tokens.cache_write = cacheWrite;
    const auto c = testTable().price(s);
    QVERIFY(c);
    QCOMPARE(c->tier_above_input_tokens, tier);
    COMPARE_COST(c->total_usd, cost);
}

void TestPricing::shippedTiers()
{
    // Gemini 2.5 Pro: 1.25 / 10 up to 200k prompt tokens, 2.50 / 15 above.
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = "gemini-2.5-pro";
    s.tokens.input = 200000;
    s.tokens.output = 1000;
    auto c = shippedPriceTable().price(s);
    QVERIFY(c);
    COMPARE_COST(c->total_usd, 200000 * 1.25e-6 + 1000 * 10e-6);
    s.tokens.input = 200001;
    c = shippedPriceTable().price(s);
    QVERIFY(c);
    COMPARE_COST(c->total_usd, 200001 * 2.50e-6 + 1000 * 15e-6);
    QCOMPARE(c->tier_above_input_tokens, 200000);

    // Claude Sonnet 4: long-context rates above 200k, cache rates included.
    s.request_model = "claude-sonnet-4-20250514";
    s.tokens.input = 300000;
    s.tokens.cache_read = 250000;
    s.tokens.output = 2000;
    c = shippedPriceTable().price(s);
    QVERIFY(c);
    COMPARE_COST(c->total_usd, 50000 * 6e-6 + 250000 * 0.60e-6 + 2000 * 22.5e-6);
}

void TestPricing::overrideMerge()
{
    PriceTable table = shippedPriceTable();
    const auto shippedRows = table.rows().size();
    const std::string overrides = R"({"rows":[
        {"id":"gpt-4o","provider":"azure","models":["gpt-4o"],
         "prices":{"input":2.75,"output":11.0,"cache_read":1.375},"as_of":"2026-01-15"},
        {"id":"acme-1","provider":"acme","models":["acme-1"],"patterns":["acme-1-*"],
         "prices":{"input":0.5,"output":1.5},"as_of":"2026-01-15","note":"internal deployment"},
        {"id":"team-sonnet","provider":"anthropic","models":["claude-sonnet-4-5"],
         "prices":{"input":2.7,"output":13.5},"as_of":"2026-01-16"}
    ]})";
    PriceTable over;
    std::string error;
    QVERIFY2(over.load(overrides, error, PriceRow::Source::Override), error.c_str());
    table.merge(over);

    // Same id: replaced in place (the shipped snapshots it listed went with it).
    QCOMPARE(table.rows().size(), shippedRows + 2);
    const PriceRow *gpt = table.match("gpt-4o");
    QVERIFY(gpt);
    QVERIFY(gpt->source == PriceRow::Source::Override);
    QCOMPARE(*gpt->prices.input, 2.75);
    QCOMPARE(q(gpt->ref()), QStringLiteral("gpt-4o@2026-01-15"));
    QVERIFY(!table.match("gpt-4o-2024-08-06"));
    QCOMPARE(q(table.match("gpt-4o-mini")->id), QStringLiteral("gpt-4o-mini")); // untouched

    // New id: added.
    QCOMPARE(q(table.match("acme-1-large")->id), QStringLiteral("acme-1"));
    // A new row naming a shipped model wins the lookup for that name only.
    QCOMPARE(q(table.match("claude-sonnet-4-5")->id), QStringLiteral("team-sonnet"));
    QCOMPARE(q(table.match("claude-sonnet-4-5-20250929")->id), QStringLiteral("claude-sonnet-4-5"));

    // Priced with the override, and the span says which row did it.
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = "gpt-4o";
    s.tokens.input = 10000;
    s.tokens.cache_read = 8000;
    s.tokens.output = 100;
    applyPrice(s, table);
    QVERIFY(s.cost_usd);
    COMPARE_COST(*s.cost_usd, 2000 * 2.75e-6 + 8000 * 1.375e-6 + 100 * 11e-6);
    QCOMPARE(q(s.price_ref), QStringLiteral("gpt-4o@2026-01-15"));
}

void TestPricing::validation_data()
{
    QTest::addColumn<QString>("doc");
    QTest::addColumn<QString>("error");

    auto row = [](const char *name, const std::string &rowJson, const char *error) {
        QTest::newRow(name) << q(R"({"rows":[)" + rowJson + "]}") << q(error);
    };
    const std::string ok = R"("provider":"p","models":["m"],"prices":{"input":1,"output":2},"as_of":"2025-06-30")";

    QTest::newRow("not json") << QStringLiteral("{\"rows\": [") << QStringLiteral("not valid JSON");
    QTest::newRow("array") << QStringLiteral("[]") << QStringLiteral("must be a JSON object");
    QTest::newRow("no rows") << QStringLiteral("{}") << QStringLiteral("rows: must be an array");
    QTest::newRow("rows not array") << QStringLiteral(R"({"rows":1})") << QStringLiteral("rows: must be an array");
    QTest::newRow("top-level typo") << QStringLiteral(R"({"row":[]})") << QStringLiteral("row: unknown field");
    QTest::newRow("format") << QStringLiteral(R"({"format":2,"rows":[]})") << QStringLiteral("format: must be 1");
    QTest::newRow("currency") << QStringLiteral(R"({"currency":"EUR","rows":[]})")
                              << QStringLiteral("currency: must be \"USD\"");
    row("row not object", "1", "rows[0]: must be an object");
    row("no id", R"({"provider":"p"})", "rows[0]: id: is required");
    row("empty id", R"({"id":" "})", "rows[0]: id: must be a non-empty string");
    row("unknown field", R"({"id":"a","modle":["m"],)" + ok + "}", R"(rows[0] (id "a"): modle: unknown field)");
    row("no provider", R"({"id":"a","models":["m"],"prices":{"input":1,"output":2},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): provider: is required)");
    row("no names", R"({"id":"a","provider":"p","prices":{"input":1,"output":2},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): models: a row needs at least one model name or pattern)");
    row("models not array", R"({"id":"a","provider":"p","models":"m"})",
        R"(rows[0] (id "a"): models: must be an array)");
    row("empty model", R"({"id":"a","provider":"p","models":[""]})",
        R"(rows[0] (id "a"): models[0]: must be a non-empty string)");
    row("star in model", R"({"id":"a","provider":"p","models":["gpt-*"]})",
        R"(rows[0] (id "a"): models[0]: "gpt-*" contains '*')");
    row("pattern without star", R"({"id":"a","provider":"p","patterns":["gpt-4o"]})",
        R"(rows[0] (id "a"): patterns[0]: "gpt-4o" has no '*')");
    row("pattern of wildcards", R"({"id":"a","provider":"p","patterns":["*/*"]})",
        R"(rows[0] (id "a"): patterns[0]: "*/*" must contain at least 3 characters besides '*')");
    row("no prices", R"({"id":"a","provider":"p","models":["m"],"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): prices: is required)");
    row("no input price", R"({"id":"a","provider":"p","models":["m"],"prices":{"output":2},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): prices.input: is required)");
    row("no output price", R"({"id":"a","provider":"p","models":["m"],"prices":{"input":2},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): prices.output: is required)");
    row("negative price",
        R"({"id":"a","provider":"p","models":["m"],"prices":{"input":1,"output":2,"cache_read":-1},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): prices.cache_read: must be a number >= 0)");
    row("price as text",
        R"({"id":"a","provider":"p","models":["m"],"prices":{"input":"1.25","output":2},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): prices.input: must be a number >= 0)");
    row("misspelt price",
        R"({"id":"a","provider":"p","models":["m"],"prices":{"input":1,"output":2,"cached_input":0.5},"as_of":"2025-06-30"})",
        R"(rows[0] (id "a"): prices.cached_input: unknown field)");
    row("no as_of", R"({"id":"a","provider":"p","models":["m"],"prices":{"input":1,"output":2}})",
        R"(rows[0] (id "a"): as_of: is required)");
    row("bad month", R"({"id":"a","provider":"p","models":["m"],"prices":{"input":1,"output":2},"as_of":"2025-13-01"})",
        R"(rows[0] (id "a"): as_of: must be a date YYYY-MM-DD, got "2025-13-01")");
    row("not a leap year",
        R"({"id":"a","provider":"p","models":["m"],"prices":{"input":1,"output":2},"as_of":"2025-02-29"})",
        R"(as_of: must be a date)");
    row("us date", R"({"id":"a","provider":"p","models":["m"],"prices":{"input":1,"output":2},"as_of":"06/30/2025"})",
        R"(as_of: must be a date)");
    row("tier zero", R"({"id":"a",)" + ok + R"(,"tiers":[{"above_input_tokens":0,"prices":{"input":2}}]})",
        R"(rows[0] (id "a"): tiers[0].above_input_tokens: must be a whole number > 0)");
    row("tier order",
        R"({"id":"a",)" + ok
            + R"(,"tiers":[{"above_input_tokens":200000,"prices":{"input":2}},{"above_input_tokens":128000,"prices":{"input":3}}]})",
        R"(rows[0] (id "a"): tiers[1].above_input_tokens: must be larger than the previous tier's)");
    row("tier without prices", R"({"id":"a",)" + ok + R"(,"tiers":[{"above_input_tokens":10,"prices":{}}]})",
        R"(rows[0] (id "a"): tiers[0].prices: must set at least one price)");
    row("tier typo", R"({"id":"a",)" + ok + R"(,"tiers":[{"above":10,"prices":{"input":1}}]})",
        R"(rows[0] (id "a"): tiers[0].above: unknown field)");
    row("duplicate id",
        R"({"id":"a",)" + ok
            + R"(},{"id":"a","provider":"p","models":["n"],"prices":{"input":1,"output":2},"as_of":"2025-06-30"})",
        R"(rows[1].id: "a" is also the id of rows[0])");
    row("duplicate model",
        R"({"id":"a",)" + ok
            + R"(},{"id":"b","provider":"p","models":["M"],"prices":{"input":1,"output":2},"as_of":"2025-06-30"})",
        R"(rows[1] (id "b"): models: "m" is also listed by rows[0] (id "a"))");
}

void TestPricing::validation()
{
    QFETCH(QString, doc);
    QFETCH(QString, error);
    std::string why;
    PriceTable table;
    QVERIFY(!table.load(doc.toStdString(), why));
    QVERIFY2(q(why).contains(error), why.c_str());
}

void TestPricing::failedLoadKeepsTable()
{
    PriceTable table = testTable();
    std::string error;
    QVERIFY(!table.load(R"({"rows":[{"id":"x"}]})", error));
    QCOMPARE(table.rows().size(), testTable().rows().size());
    QVERIFY(table.match("gpt-4o"));
}

// Each producer convention's real attributes, through the normalizer, then priced. The expected costs
// are computed by hand from the test prices: cached input is priced once at the cache rate, reasoning
// once at the reasoning (= output) rate.
void TestPricing::conventions_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<Attributes>("attrs");
    QTest::addColumn<QString>("ref");
    QTest::addColumn<double>("cost");
    QTest::addColumn<double>("cacheReadCost");
    QTest::addColumn<double>("reasoningCost");

    // OpenAI through the OTel GenAI conventions: input_tokens includes the cached prompt tokens.
    QTest::newRow("otel genai openai cached")
        << QStringLiteral("chat gpt-4o")
        << Attributes { str("gen_ai.operation.name", "chat"), str("gen_ai.provider.name", "openai"),
               str("gen_ai.request.model", "gpt-4o"), str("gen_ai.response.model", "gpt-4o-2024-08-06"),
               num("gen_ai.usage.input_tokens", 10000), num("gen_ai.usage.output_tokens", 500),
               num("gen_ai.usage.cache_read.input_tokens", 8000) }
        << QStringLiteral("gpt-4o@2025-11-01") << (2000 * 2.5e-6 + 8000 * 1.25e-6 + 500 * 10e-6) << 8000 * 1.25e-6
        << 0.0;
    QTest::newRow("otel genai openai reasoning")
        << QStringLiteral("chat o3-mini")
        << Attributes { str("gen_ai.operation.name", "chat"), str("gen_ai.system", "openai"),
               str("gen_ai.request.model", "o3-mini"), num("gen_ai.usage.input_tokens", 1000),
               num("gen_ai.usage.output_tokens", 3000), num("gen_ai.usage.reasoning.output_tokens", 2500) }
        << QStringLiteral("o3-mini@2025-11-01") << (1000 * 1.1e-6 + 500 * 4.4e-6 + 2500 * 4.4e-6) << 0.0
        << 2500 * 4.4e-6;

    // Anthropic reports input_tokens without the cache; both Anthropic instrumentations add cache
    // reads and writes into input_tokens before reporting.
    const double anthropic = 1200 * 3e-6 + 30000 * 0.30e-6 + 5000 * 3.75e-6 + 800 * 15e-6;
    QTest::newRow("openllmetry anthropic")
        << QStringLiteral("anthropic.chat")
        << Attributes { str("llm.request.type", "chat"), str("gen_ai.system", "Anthropic"),
               str("gen_ai.request.model", "claude-sonnet-4-5"),
               str("gen_ai.response.model", "claude-sonnet-4-5-20250929"), num("gen_ai.usage.prompt_tokens", 36200),
               num("gen_ai.usage.completion_tokens", 800), num("gen_ai.usage.cache_read_input_tokens", 30000),
               num("gen_ai.usage.cache_creation_input_tokens", 5000), num("llm.usage.total_tokens", 37000) }
        << QStringLiteral("claude-sonnet-4-5@2025-11-02") << anthropic << 30000 * 0.30e-6 << 0.0;
    QTest::newRow("otel contrib anthropic")
        << QStringLiteral("chat claude-sonnet-4-5")
        << Attributes { str("gen_ai.operation.name", "chat"), str("gen_ai.provider.name", "anthropic"),
               str("gen_ai.request.model", "claude-sonnet-4-5"), num("gen_ai.usage.input_tokens", 36200),
               num("gen_ai.usage.output_tokens", 800), num("gen_ai.usage.cache_read.input_tokens", 30000),
               num("gen_ai.usage.cache_creation.input_tokens", 5000) }
        << QStringLiteral("claude-sonnet-4-5@2025-11-02") << anthropic << 30000 * 0.30e-6 << 0.0;
    // An instrumentation that passes Anthropic's own input_tokens through: the parts are larger than
    // the whole, so the normalizer adds them, and the cost is the same.
    QTest::newRow("anthropic input without cache")
        << QStringLiteral("chat claude-sonnet-4-5")
        << Attributes { str("gen_ai.operation.name", "chat"), str("gen_ai.system", "anthropic"),
               str("gen_ai.request.model", "claude-sonnet-4-5"), num("gen_ai.usage.input_tokens", 1200),
               num("gen_ai.usage.output_tokens", 800), num("gen_ai.usage.cache_read_input_tokens", 30000),
               num("gen_ai.usage.cache_creation_input_tokens", 5000) }
        << QStringLiteral("claude-sonnet-4-5@2025-11-02") << anthropic << 30000 * 0.30e-6 << 0.0;

    // Google ADK: gen_ai.usage.* carries prompt and candidates only; usage_metadata in the response has
    // the cached part of the prompt and the thoughts, which Gemini does not count in candidates.
    QTest::newRow("adk gemini")
        << QStringLiteral("call_llm")
        << Attributes { str("gen_ai.system", "gcp.vertex.agent"), str("gen_ai.request.model", "gemini-2.5-flash"),
               num("gen_ai.usage.input_tokens", 12000), num("gen_ai.usage.output_tokens", 300),
               str("gcp.vertex.agent.llm_response",
                   R"({"content":{"role":"model","parts":[{"text":"Done."}]},"model_version":"gemini-2.5-flash-001",)"
                   R"("usage_metadata":{"cached_content_token_count":10000,"candidates_token_count":300,)"
                   R"("prompt_token_count":12000,"thoughts_token_count":700,"total_token_count":13000}})") }
        << QStringLiteral("gemini-2.5-flash@2025-11-03")
        << (2000 * 0.30e-6 + 10000 * 0.03e-6 + 300 * 2.5e-6 + 700 * 2.5e-6) << 10000 * 0.03e-6 << 700 * 2.5e-6;

    // OpenInference: prompt includes prompt_details.cache_read, completion includes the reasoning.
    QTest::newRow("openinference") << QStringLiteral("ChatCompletion")
                                   << Attributes { str("openinference.span.kind", "LLM"),
                                          str("llm.model_name", "o3-mini-2025-01-31"), str("llm.provider", "openai"),
                                          num("llm.token_count.prompt", 5000), num("llm.token_count.completion", 2000),
                                          num("llm.token_count.total", 7000),
                                          num("llm.token_count.prompt_details.cache_read", 4000),
                                          num("llm.token_count.completion_details.reasoning", 1500) }
                                   << QStringLiteral("o3-mini@2025-11-01")
                                   << (1000 * 1.1e-6 + 4000 * 0.55e-6 + 500 * 4.4e-6 + 1500 * 4.4e-6) << 4000 * 0.55e-6
                                   << 1500 * 4.4e-6;

    // Vercel AI SDK with OpenAI: inputTokens includes cachedInputTokens, outputTokens the reasoning.
    QTest::newRow("vercel openai") << QStringLiteral("ai.generateText.doGenerate")
                                   << Attributes { str("ai.operationId", "ai.generateText.doGenerate"),
                                          str("ai.model.provider", "openai.chat"), str("ai.model.id", "o3-mini"),
                                          str("ai.response.model", "o3-mini-2025-01-31"),
                                          num("ai.usage.inputTokens", 3000), num("ai.usage.outputTokens", 2500),
                                          num("ai.usage.totalTokens", 5500), num("ai.usage.cachedInputTokens", 1000),
                                          num("ai.usage.reasoningTokens", 2000) }
                                   << QStringLiteral("o3-mini@2025-11-01")
                                   << (2000 * 1.1e-6 + 1000 * 0.55e-6 + 500 * 4.4e-6 + 2000 * 4.4e-6) << 1000 * 0.55e-6
                                   << 2000 * 4.4e-6;
    // AI SDK <= 5 with Anthropic passes Anthropic's input_tokens (without the cache) through.
    QTest::newRow("vercel anthropic") << QStringLiteral("ai.streamText.doStream")
                                      << Attributes { str("ai.operationId", "ai.streamText.doStream"),
                                             str("ai.model.provider", "anthropic.messages"),
                                             str("ai.model.id", "claude-sonnet-4-5"), num("ai.usage.inputTokens", 1200),
                                             num("ai.usage.outputTokens", 800),
                                             num("ai.usage.cachedInputTokens", 30000) }
                                      << QStringLiteral("claude-sonnet-4-5@2025-11-02")
                                      << (1200 * 3e-6 + 30000 * 0.30e-6 + 800 * 15e-6) << 30000 * 0.30e-6 << 0.0;
}

void TestPricing::conventions()
{
    QFETCH(QString, name);
    QFETCH(Attributes, attrs);
    QFETCH(QString, ref);
    QFETCH(double, cost);
    QFETCH(double, cacheReadCost);
    QFETCH(double, reasoningCost);

    Span span = normalized(name.toStdString(), attrs);
    QCOMPARE(q(toString(span.kind)), q(toString(SpanKind::Llm)));
    const auto c = testTable().price(span);
    QVERIFY(c);
    COMPARE_COST(c->total_usd, cost);
    COMPARE_COST(c->cache_read_usd, cacheReadCost);
    COMPARE_COST(c->reasoning_usd, reasoningCost);
    // The parts add up to the total, and every reported token is in exactly one part.
    COMPARE_COST(c->uncached_input_usd + c->cache_read_usd + c->cache_write_usd + c->output_usd + c->reasoning_usd,
        c->total_usd);
    QCOMPARE(c->uncached_input_tokens + c->cache_read_tokens + c->cache_write_tokens, *span.tokens.input);
    QCOMPARE(c->output_tokens + c->reasoning_tokens, *span.tokens.output);
    QCOMPARE(q(c->price_ref), ref);

    applyPrice(span, testTable());
    QVERIFY(span.cost_usd);
    COMPARE_COST(*span.cost_usd, cost);
    QCOMPARE(q(span.price_ref), ref);
}

void TestPricing::reasoningNeverFree()
{
    // Without a reasoning price the output price applies...
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = "o3-mini";
    s.tokens.input = 0;
    s.tokens.output = 1000;
    s.tokens.reasoning = 1000;
    auto c = testTable().price(s);
    QVERIFY(c);
    QCOMPARE(c->output_tokens, 0);
    COMPARE_COST(c->reasoning_usd, 1000 * 4.4e-6);
    COMPARE_COST(c->total_usd, 1000 * 4.4e-6);
    // ...and a row that prices reasoning on its own uses that.
    s.request_model = "thinker-1";
    s.tokens.input = 100;
    s.tokens.output = 1000;
    s.tokens.reasoning = 600;
    c = testTable().price(s);
    QVERIFY(c);
    COMPARE_COST(c->total_usd, 100 * 1e-6 + 400 * 10e-6 + 600 * 20e-6);
    // Every shipped reasoning model prices its thinking.
    for (const char *model :
        { "o1", "o3", "o3-mini", "o4-mini", "gpt-5", "deepseek-reasoner", "gemini-2.5-pro", "claude-sonnet-4-5" }) {
        Span r;
        r.kind = SpanKind::Llm;
        r.request_model = model;
        r.tokens.output = 100;
        r.tokens.reasoning = 100;
        const auto rc = shippedPriceTable().price(r);
        QVERIFY2(rc && rc->reasoning_usd > 0, model);
    }
}

void TestPricing::rollupSpansAreNotPriced()
{
    // The AI SDK's outer ai.generateText span carries the sum of its doGenerate steps.
    Span outer = normalized("ai.generateText",
        { str("ai.operationId", "ai.generateText"), str("ai.model.id", "gpt-4o"),
            str("ai.model.provider", "openai.chat"), num("ai.usage.inputTokens", 1000),
            num("ai.usage.outputTokens", 100) });
    QCOMPARE(q(toString(outer.kind)), q(toString(SpanKind::Agent)));
    QVERIFY(!testTable().price(outer));
    applyPrice(outer, testTable());
    QVERIFY(!outer.cost_usd);

    Span chain;
    chain.kind = SpanKind::Chain;
    chain.request_model = "gpt-4o";
    chain.tokens.input = 10;
    QVERIFY(!testTable().price(chain));
}

void TestPricing::unknownModelHasNoPrice()
{
    Span s = normalized("chat",
        { str("gen_ai.operation.name", "chat"), str("gen_ai.request.model", "gpt-4o-mini"),
            num("gen_ai.usage.input_tokens", 100), num("gen_ai.usage.output_tokens", 10) });
    // The test table knows gpt-4o, not gpt-4o-mini: no price, and certainly not gpt-4o's.
    QVERIFY(!testTable().match("gpt-4o-mini"));
    QVERIFY(!testTable().price(s));
    s.cost_usd = 1.0;
    s.price_ref = "stale@2020-01-01";
    applyPrice(s, testTable());
    QVERIFY(!s.cost_usd); // "no price", never $0
    QVERIFY(s.price_ref.empty());

    Span noModel;
    noModel.kind = SpanKind::Llm;
    noModel.tokens.input = 5;
    QVERIFY(!testTable().price(noModel));
}

void TestPricing::noTokensNoCost()
{
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = "gpt-4o";
    QVERIFY(!testTable().price(s));
    s.tokens.total = 100; // a total alone cannot be split into input and output
    QVERIFY(!testTable().price(s));
    s.tokens.input = 0;
    s.tokens.output = 0;
    const auto c = testTable().price(s);
    QVERIFY(c); // reported zeros are a real $0
    QCOMPARE(c->total_usd, 0.0);
}

void TestPricing::inconsistentCountsAreClamped()
{
    // Counts a native client sent that do not add up: parts larger than their whole. Each token is
    // still priced once: no negative uncached input, no negative output.
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = "gpt-4o";
    s.tokens.input = 100;
    s.tokens.cache_read = 150;
    s.tokens.output = 10;
    s.tokens.reasoning = 30;
    const auto c = testTable().price(s);
    QVERIFY(c);
    QCOMPARE(c->uncached_input_tokens, 0);
    QCOMPARE(c->output_tokens, 0);
    COMPARE_COST(c->total_usd, 150 * 1.25e-6 + 30 * 10e-6);
}

void TestPricing::responseModelFallsBackToRequestModel()
{
    Span s;
    s.kind = SpanKind::Llm;
    s.request_model = "gpt-4o";
    s.response_model = "gpt-4o-2024-08-06";
    s.tokens.input = 1000;
    s.tokens.output = 0;
    // The answering snapshot is priced by its pattern...
    QCOMPARE(q(testTable().price(s)->price_ref), QStringLiteral("gpt-4o@2025-11-01"));
    // ...and an answering name without a row falls back to what was asked for.
    s.response_model = "azure-deployment-7";
    const auto c = testTable().price(s);
    QVERIFY(c);
    COMPARE_COST(c->total_usd, 1000 * 2.5e-6);
}

void TestPricing::apiJson()
{
    PriceTable table = testTable();
    PriceTable over;
    std::string error;
    QVERIFY2(over.load(R"({"rows":[{"id":"acme","provider":"acme","models":["acme-1"],
        "prices":{"input":1,"output":2},"as_of":"2026-01-01"}]})",
                 error, PriceRow::Source::Override),
        error.c_str());
    table.merge(over);
    const json doc = json::parse(table.toApiJson());
    QCOMPARE(q(doc["currency"].get<std::string>()), QStringLiteral("USD"));
    QCOMPARE(doc["rows"].size(), testTable().rows().size() + 1);
    const json &sonnet = doc["rows"][2];
    QCOMPARE(q(sonnet["id"].get<std::string>()), QStringLiteral("claude-sonnet-4-5"));
    QCOMPARE(q(sonnet["provider"].get<std::string>()), QStringLiteral("anthropic"));
    QVERIFY(sonnet["models"] == json::array({ "claude-sonnet-4-5" }));
    QVERIFY(sonnet["patterns"] == json::array({ "claude-sonnet-4-5-202*" }));
    QCOMPARE(sonnet["prices"]["cache_write"].get<double>(), 3.75);
    QVERIFY(!sonnet["prices"].contains("reasoning"));
    QCOMPARE(sonnet["tiers"][0]["above_input_tokens"].get<std::int64_t>(), 200000);
    QCOMPARE(sonnet["tiers"][0]["prices"]["output"].get<double>(), 22.5);
    QCOMPARE(q(sonnet["as_of"].get<std::string>()), QStringLiteral("2025-11-02"));
    QCOMPARE(q(sonnet["ref"].get<std::string>()), QStringLiteral("claude-sonnet-4-5@2025-11-02"));
    QCOMPARE(q(sonnet["source"].get<std::string>()), QStringLiteral("shipped"));
    QCOMPARE(q(doc["rows"].back()["source"].get<std::string>()), QStringLiteral("override"));

    // The API's rows load back as a price file (less the two fields the API adds).
    json rows = doc["rows"];
    for (auto &r : rows) {
        r.erase("ref");
        r.erase("source");
    }
    PriceTable again;
    QVERIFY2(again.load(json { { "rows", rows } }.dump(), error), error.c_str());
    QCOMPARE(again.rows().size(), table.rows().size());
}

QTEST_GUILESS_MAIN(TestPricing)
#include "tst_pricing.moc"
