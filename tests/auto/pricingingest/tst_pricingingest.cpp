// SPDX-License-Identifier: MIT
#include "core/normalizer.h"
#include "core/pricing.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>
#include <thread>

using namespace agentops;
using core::Span;

namespace {

constexpr std::int64_t kBase = 1'764'000'000'000'000'000; // 2025-11-24, ns

core::TraceId traceId(int n)
{
    core::TraceId id {};
    id[0] = 0xC0;
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

core::SpanId spanId(int n)
{
    core::SpanId id {};
    id[0] = 0x70;
    id[7] = static_cast<std::uint8_t>(n);
    return id;
}

Span span(int trace, int id, int parent, std::string name)
{
    Span s;
    s.trace_id = traceId(trace);
    s.span_id = spanId(id);
    if (parent >= 0)
        s.parent_span_id = spanId(parent);
    s.name = std::move(name);
    s.start_ns = kBase + std::int64_t { id } * 1'000'000;
    s.end_ns = s.start_ns + 1'000'000;
    s.service_name = "pricing";
    return s;
}

// An OTel GenAI model call, normalized as the decoders hand it over.
Span llm(int trace, int id, const char *model, std::int64_t input, std::int64_t cached, std::int64_t output)
{
    Span s = span(trace, id, 0, std::string("chat ") + model);
    s.attributes = {
        { "gen_ai.operation.name", core::AttrValue::ofString("chat") },
        { "gen_ai.request.model", core::AttrValue::ofString(model) },
        { "gen_ai.usage.input_tokens", core::AttrValue::ofInt(input) },
        { "gen_ai.usage.output_tokens", core::AttrValue::ofInt(output) },
        { "gen_ai.usage.cache_read.input_tokens", core::AttrValue::ofInt(cached) },
    };
    core::normalizeSpan(s);
    return s;
}

constexpr const char *kPrices = R"({"rows":[
    {"id":"gpt-4o","provider":"openai","models":["gpt-4o"],
     "prices":{"input":2.5,"output":10,"cache_read":1.25},"as_of":"2025-11-01"},
    {"id":"gpt-4o-mini","provider":"openai","models":["gpt-4o-mini"],
     "prices":{"input":0.15,"output":0.6,"cache_read":0.075},"as_of":"2025-11-01"}
]})";

bool sameCost(double a, double b)
{
    return std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(b));
}

} // namespace

/// The ingest pipeline prices spans on the submitting thread before they are stored, so stored spans
/// and trace summaries carry the cost and the row that produced it.
class TestPricingIngest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void pricesAtIngest();
    void explicitCostIsKept();
    void withoutTableNothingIsPriced();
    void swapWhileSubmitting();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<store::IngestPipeline> m_pipeline;
};

void TestPricingIngest::init()
{
    QVERIFY(m_dir.isValid());
    static int n = 0;
    m_store = std::make_unique<store::SqliteStore>(m_dir.filePath(QStringLiteral("t%1.db").arg(++n)).toStdString());
    m_pipeline = std::make_unique<store::IngestPipeline>(*m_store);
    std::string error;
    auto table = core::PriceTable::fromJson(kPrices, error);
    QVERIFY2(table, error.c_str());
    m_pipeline->setPriceTable(std::make_shared<const core::PriceTable>(std::move(*table)));
}

void TestPricingIngest::cleanup()
{
    m_pipeline.reset();
    m_store.reset();
}

void TestPricingIngest::pricesAtIngest()
{
    Span root = span(1, 0, -1, "agent run");
    root.kind = core::SpanKind::Agent;
    std::vector<Span> batch { root, llm(1, 1, "gpt-4o", 10000, 8000, 500), llm(1, 2, "gpt-4o-mini", 2000, 0, 300),
        llm(1, 3, "mystery-model", 100, 0, 10) };
    QCOMPARE(m_pipeline->submit(std::move(batch)).outcome, store::IngestPipeline::Outcome::Committed);

    const double first = 2000 * 2.5e-6 + 8000 * 1.25e-6 + 500 * 10e-6;
    const double second = 2000 * 0.15e-6 + 300 * 0.6e-6;
    const auto detail = m_store->trace(traceId(1));
    QVERIFY(detail);
    QVERIFY2(sameCost(detail->summary.cost_usd, first + second),
        qPrintable(QString::number(detail->summary.cost_usd, 'g', 17)));
    QCOMPARE(detail->summary.unpriced_spans, std::int64_t(1)); // mystery-model: no price, not $0
    int priced = 0;
    for (const auto &s : detail->spans) {
        if (s.request_model == "gpt-4o") {
            QVERIFY(s.cost_usd && sameCost(*s.cost_usd, first));
            QCOMPARE(QString::fromStdString(s.price_ref), QStringLiteral("gpt-4o@2025-11-01"));
            ++priced;
        } else if (s.request_model == "gpt-4o-mini") {
            QVERIFY(s.cost_usd && sameCost(*s.cost_usd, second));
            QCOMPARE(QString::fromStdString(s.price_ref), QStringLiteral("gpt-4o-mini@2025-11-01"));
            ++priced;
        } else {
            QVERIFY(!s.cost_usd);
            QVERIFY(s.price_ref.empty());
        }
    }
    QCOMPARE(priced, 2);
}

void TestPricingIngest::explicitCostIsKept()
{
    // The native API may send the cost the client was billed; it is not overwritten.
    Span s = llm(2, 1, "gpt-4o", 1000, 0, 100);
    s.cost_usd = 0.5;
    s.price_ref = "invoice";
    QCOMPARE(m_pipeline->submit({ s }).outcome, store::IngestPipeline::Outcome::Committed);
    const auto detail = m_store->trace(traceId(2));
    QVERIFY(detail);
    QCOMPARE(detail->summary.cost_usd, 0.5);
    QCOMPARE(QString::fromStdString(detail->spans.front().price_ref), QStringLiteral("invoice"));
}

void TestPricingIngest::withoutTableNothingIsPriced()
{
    m_pipeline->setPriceTable(nullptr);
    QVERIFY(!m_pipeline->priceTable());
    QCOMPARE(
        m_pipeline->submit({ llm(3, 1, "gpt-4o", 1000, 0, 100) }).outcome, store::IngestPipeline::Outcome::Committed);
    const auto detail = m_store->trace(traceId(3));
    QVERIFY(detail);
    QVERIFY(!detail->spans.front().cost_usd);
    QCOMPARE(detail->summary.unpriced_spans, std::int64_t(1));
}

void TestPricingIngest::swapWhileSubmitting()
{
    // Tables are swapped while other threads submit: every span is priced by one whole table or the
    // other, never by a half-replaced one.
    std::string error;
    auto a = std::make_shared<const core::PriceTable>(*core::PriceTable::fromJson(kPrices, error));
    auto b = std::make_shared<const core::PriceTable>(core::shippedPriceTable());
    std::atomic<bool> done { false };
    std::thread swapper([&] {
        for (int i = 0; !done; ++i)
            m_pipeline->setPriceTable(i % 2 ? a : b);
    });
    std::vector<std::thread> submitters;
    submitters.reserve(4);
    for (int t = 0; t < 4; ++t) {
        submitters.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i)
                m_pipeline->submit({ llm(10 + t, i + 1, "gpt-4o", 1000, 0, 100) });
        });
    }
    for (auto &t : submitters)
        t.join();
    done = true;
    swapper.join();
    for (int t = 0; t < 4; ++t) {
        const auto detail = m_store->trace(traceId(10 + t));
        QVERIFY(detail);
        QCOMPARE(detail->spans.size(), std::size_t(25));
        for (const auto &s : detail->spans) {
            QVERIFY(s.cost_usd);
            QVERIFY(s.price_ref == a->match("gpt-4o")->ref() || s.price_ref == b->match("gpt-4o")->ref());
        }
    }
}

QTEST_GUILESS_MAIN(TestPricingIngest)
#include "tst_pricingingest.moc"
