// SPDX-License-Identifier: MIT
// TraceStore::metrics, reprice and retention against a brute-force computation over the same
// generated spans: SqliteStore here, PostgresStore in the postgresmetrics unit (the same source built
// with AGENTOPS_TEST_POSTGRES).
#include "store/rollup.h"
#ifdef AGENTOPS_TEST_POSTGRES
#include "store/postgresutil.h"
#endif
#include "store/sqlitestore.h"
#include "support/common.h"
#include "support/storebackend.h"

#include <QtTest>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace agentops;
using core::Span;
using store::MetricsGroupBy;

namespace {

constexpr std::int64_t kSec = 1'000'000'000;
constexpr std::int64_t kMin = 60 * kSec;
constexpr std::int64_t kHour = 60 * kMin;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kBase = 1'764'000'000'000'000'000; // 2025-11-24T16:00:00Z, ns

using agentops::test::q;

const char *const kModels[] = { "gpt-4o", "claude-sonnet", "gemini-flash", "" };
const char *const kServices[] = { "alpha", "beta", "gamma" };
const char *const kAgents[] = { "planner", "booker", "" };
const char *const kMessages[] = { "timeout", "rate limited", "", "bad tool arguments" };

/// Traces over `days` days starting at kBase: an agent root and 1-8 children of every kind, with
/// errors, tokens, priced and unpriced LLM calls and latencies from 5 us to 10 min. Half the roots
/// carry the sum of their children's usage, as the AI SDK's ai.generateText and other agent spans do.
std::vector<Span> generate(std::uint64_t seed, int traces, int days)
{
    std::mt19937_64 rng(seed);
    auto pick = [&](auto &arr) { return arr[rng() % std::size(arr)]; };
    auto logUniform = [&](double lo, double hi) {
        std::uniform_real_distribution<double> d(std::log(lo), std::log(hi));
        return static_cast<std::int64_t>(std::exp(d(rng)));
    };
    std::vector<Span> out;
    for (int t = 0; t < traces; ++t) {
        core::TraceId tid {};
        for (auto &b : tid)
            b = static_cast<std::uint8_t>(rng());
        tid[0] |= 1;
        const std::int64_t start
            = kBase + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(days * kDay - kHour));
        const std::string service = pick(kServices);
        const std::string agent = pick(kAgents);
        const int children = 1 + static_cast<int>(rng() % 8);
        Span root;
        root.trace_id = tid;
        root.span_id = { 1, static_cast<std::uint8_t>(t), static_cast<std::uint8_t>(t >> 8), 0, 0, 0, 0, 1 };
        root.name = "invoke_agent " + agent;
        root.kind = core::SpanKind::Agent;
        root.agent_name = agent;
        root.service_name = service;
        root.start_ns = start;
        root.end_ns = start + logUniform(1e6, 6e11);
        if (rng() % 10 == 0) {
            root.status = core::StatusCode::Error;
            root.status_message = pick(kMessages);
        }
        const std::size_t rootIndex = out.size();
        const bool aggregate = rng() % 2 == 0;
        out.push_back(root);
        for (int c = 0; c < children; ++c) {
            Span s = root;
            s.span_id[7] = static_cast<std::uint8_t>(c + 2);
            s.parent_span_id = root.span_id;
            s.status = core::StatusCode::Ok;
            s.status_message.clear();
            // Some children start before their root (clock skew), some in the next minute or hour.
            s.start_ns = start + static_cast<std::int64_t>(rng() % (2 * kHour)) - 5 * kMin;
            s.end_ns = s.start_ns + logUniform(5e3, 1e11);
            if (rng() % 6 == 0)
                s.service_name = pick(kServices);
            if (rng() % 5 == 0)
                s.agent_name = pick(kAgents);
            const int k = static_cast<int>(rng() % 9);
            s.kind = static_cast<core::SpanKind>(k);
            if (s.kind == core::SpanKind::Llm || s.kind == core::SpanKind::Embedding) {
                s.request_model = pick(kModels);
                if (rng() % 2)
                    s.response_model = s.request_model.empty() ? "" : s.request_model + "-2025";
                s.name = "chat " + s.request_model;
                if (rng() % 8 != 0) {
                    s.tokens.input = static_cast<std::int64_t>(rng() % 5000);
                    s.tokens.output = static_cast<std::int64_t>(rng() % 800);
                    if (rng() % 3 == 0)
                        s.tokens.cache_read = static_cast<std::int64_t>(rng() % 1000);
                    if (rng() % 5 == 0)
                        s.tokens.cache_write = static_cast<std::int64_t>(rng() % 100);
                    if (rng() % 4 == 0)
                        s.tokens.reasoning = static_cast<std::int64_t>(rng() % 300);
                    if (rng() % 3 != 0)
                        s.cost_usd = static_cast<double>(rng() % 100000) / 1e6;
                }
            } else {
                s.name = std::string(core::toString(s.kind)) + " step";
                if (rng() % 20 == 0)
                    s.cost_usd = 0.001;
            }
            if (rng() % 8 == 0) {
                s.status = core::StatusCode::Error;
                s.status_message = pick(kMessages);
            }
            if (aggregate) {
                auto add = [](std::optional<std::int64_t> &sum, const std::optional<std::int64_t> &v) {
                    if (v)
                        sum = sum.value_or(0) + *v;
                };
                auto &sum = out[rootIndex].tokens;
                add(sum.input, s.tokens.input);
                add(sum.output, s.tokens.output);
                add(sum.cache_read, s.tokens.cache_read);
                add(sum.reasoning, s.tokens.reasoning);
            }
            out.push_back(std::move(s));
        }
    }
    return out;
}

/// The rule the store must follow (docs/pricing.md), written out here rather than taken from the
/// code under test: agent and chain spans repeat the usage of the calls below them and never count.
bool counts(const Span &s)
{
    return s.kind != core::SpanKind::Agent && s.kind != core::SpanKind::Chain;
}

/// Writes the spans shuffled (children before parents, a trace over many batches), in batches of
/// random size, and sends some batches twice (exporter retries).
void writeShuffled(store::TraceStore &db, std::vector<Span> spans, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::shuffle(spans.begin(), spans.end(), rng);
    std::size_t i = 0;
    while (i < spans.size()) {
        const std::size_t n = std::min(spans.size() - i, 1 + static_cast<std::size_t>(rng() % 700));
        std::vector<Span> batch(
            spans.begin() + static_cast<std::ptrdiff_t>(i), spans.begin() + static_cast<std::ptrdiff_t>(i + n));
        if (rng() % 4 == 0 && i > 0)
            batch.push_back(spans[i - 1]); // a span of the previous batch again
        db.writeBatch(batch);
        if (rng() % 5 == 0)
            QCOMPARE(db.writeBatch(batch).inserted, std::size_t(0));
        i += n;
    }
}

std::int64_t floorTo(std::int64_t t, std::int64_t w)
{
    return (t / w - (t % w < 0 ? 1 : 0)) * w;
}

std::optional<std::int64_t> nearestRank(std::vector<std::int64_t> v, int pct)
{
    if (v.empty())
        return std::nullopt;
    std::sort(v.begin(), v.end());
    const auto n = static_cast<std::int64_t>(v.size());
    const std::int64_t rank = std::max<std::int64_t>(1, (pct * n + 99) / 100);
    return v[static_cast<std::size_t>(rank - 1)];
}

struct Trace
{
    core::TraceId id {};
    std::int64_t start = INT64_MAX, end = INT64_MIN;
    std::string service;
    bool error = false;
    double cost = 0;
    std::int64_t priced = 0;
    std::int64_t unpriced = 0;
    std::set<std::string> models, kinds, agents;
};

std::map<core::TraceId, Trace> summarize(const std::vector<Span> &spans)
{
    std::map<core::TraceId, Trace> out;
    for (const Span &s : spans) {
        Trace &t = out[s.trace_id];
        t.id = s.trace_id;
        t.start = std::min(t.start, s.start_ns);
        t.end = std::max(t.end, std::max(s.end_ns, s.start_ns));
        if (s.isRoot())
            t.service = s.service_name;
        t.error = t.error || s.status == core::StatusCode::Error;
        if (counts(s)) {
            t.cost += s.cost_usd.value_or(0);
            t.priced += s.cost_usd.has_value();
            t.unpriced += !s.tokens.empty() && !s.cost_usd;
        }
        if (!s.model().empty())
            t.models.insert(s.model());
        t.kinds.insert(std::string(core::toString(s.kind)));
        if (!s.agent_name.empty())
            t.agents.insert(s.agent_name);
    }
    return out;
}

struct Expected
{
    store::MetricsBucket values;
    std::vector<std::int64_t> traceDurations, llmDurations;
};

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 + 1e-9 * std::abs(b);
}

/// Checks one result against brute force over `spans` (the distinct spans stored).
void checkAgainstBruteForce(const store::MetricsQuery &q, const store::MetricsResult &r, const std::vector<Span> &spans)
{
    const std::int64_t w = r.bucket_ns;
    QVERIFY(w > 0 && w % kMin == 0);
    QCOMPARE(r.from_ns, floorTo(q.from_ns, w));
    QCOMPARE(r.to_ns, -floorTo(-q.to_ns, w));
    const std::int64_t from = r.from_ns, to = r.to_ns;
    const auto traces = summarize(spans);

    std::map<std::pair<std::int64_t, std::string>, Expected> cells;
    Expected total;
    std::set<std::string> groups;
    if (q.group_by == MetricsGroupBy::None)
        groups.insert("");
    for (const Span &s : spans) {
        if (s.start_ns < from || s.start_ns >= to)
            continue;
        if (!q.service.empty() && s.service_name != q.service)
            continue;
        if (!q.model.empty() && s.model() != q.model)
            continue;
        std::string g;
        switch (q.group_by) {
        case MetricsGroupBy::None: break;
        case MetricsGroupBy::Model: g = s.model(); break;
        case MetricsGroupBy::Service: g = s.service_name; break;
        case MetricsGroupBy::SpanKind: g = std::string(core::toString(s.kind)); break;
        case MetricsGroupBy::AgentName: g = s.agent_name; break;
        }
        groups.insert(g);
        for (Expected *e : { &cells[{ floorTo(s.start_ns, w), g }], &total }) {
            auto &v = e->values;
            ++v.spans;
            v.error_spans += s.status == core::StatusCode::Error;
            if (counts(s)) {
                v.input_tokens += s.tokens.input.value_or(0);
                v.output_tokens += s.tokens.output.value_or(0);
                v.cache_read_tokens += s.tokens.cache_read.value_or(0);
                v.cache_write_tokens += s.tokens.cache_write.value_or(0);
                v.reasoning_tokens += s.tokens.reasoning.value_or(0);
                v.cost_usd += s.cost_usd.value_or(0);
                v.priced_spans += s.cost_usd.has_value();
                v.unpriced_spans += !s.tokens.empty() && !s.cost_usd;
            }
            if (s.kind == core::SpanKind::Llm)
                e->llmDurations.push_back(s.durationNs());
        }
    }
    std::vector<const Trace *> inRange;
    for (const auto &[id, t] : traces) {
        if (t.start < from || t.start >= to)
            continue;
        if (!q.service.empty() && t.service != q.service)
            continue;
        if (!q.model.empty() && !t.models.count(q.model))
            continue;
        inRange.push_back(&t);
        std::set<std::string> names;
        switch (q.group_by) {
        case MetricsGroupBy::None: names = { "" }; break;
        case MetricsGroupBy::Model: names = q.model.empty() ? t.models : std::set<std::string> { q.model }; break;
        case MetricsGroupBy::Service: names = { t.service }; break;
        case MetricsGroupBy::SpanKind: names = t.kinds; break;
        case MetricsGroupBy::AgentName: names = t.agents; break;
        }
        if (names.empty())
            names = { "" };
        for (const auto &g : names) {
            groups.insert(g);
            Expected &e = cells[{ floorTo(t.start, w), g }];
            ++e.values.traces;
            e.values.error_traces += t.error;
            e.traceDurations.push_back(t.end - t.start);
        }
        ++total.values.traces;
        total.values.error_traces += t.error;
        total.traceDurations.push_back(t.end - t.start);
    }

    auto compare = [&](const store::MetricsBucket &got, const Expected &e, const QString &where) {
        const auto &v = e.values;
        QVERIFY2(got.traces == v.traces, qPrintable(where + QStringLiteral(" traces")));
        QVERIFY2(got.spans == v.spans, qPrintable(where + QStringLiteral(" spans")));
        QVERIFY2(got.error_spans == v.error_spans, qPrintable(where));
        QVERIFY2(got.error_traces == v.error_traces, qPrintable(where));
        QVERIFY2(got.input_tokens == v.input_tokens, qPrintable(where));
        QVERIFY2(got.output_tokens == v.output_tokens, qPrintable(where));
        QVERIFY2(got.cache_read_tokens == v.cache_read_tokens, qPrintable(where));
        QVERIFY2(got.cache_write_tokens == v.cache_write_tokens, qPrintable(where));
        QVERIFY2(got.reasoning_tokens == v.reasoning_tokens, qPrintable(where));
        QVERIFY2(near(got.cost_usd, v.cost_usd),
            qPrintable(where + QStringLiteral(" cost %1 vs %2").arg(got.cost_usd).arg(v.cost_usd)));
        QVERIFY2(got.unpriced_spans == v.unpriced_spans, qPrintable(where));
        QVERIFY2(got.priced_spans == v.priced_spans, qPrintable(where + QStringLiteral(" priced")));
        // Trace percentiles are exact; LLM ones within the histogram's documented bound (1/32).
        for (int pct : { 50, 95, 99 }) {
            const auto exact = nearestRank(e.traceDurations, pct);
            const auto &gotT = pct == 50 ? got.trace_p50_ns : pct == 95 ? got.trace_p95_ns : got.trace_p99_ns;
            QVERIFY2(gotT == exact, qPrintable(where + QStringLiteral(" trace p%1").arg(pct)));
            const auto exactL = nearestRank(e.llmDurations, pct);
            const auto &gotL = pct == 50 ? got.llm_p50_ns : pct == 95 ? got.llm_p95_ns : got.llm_p99_ns;
            QVERIFY2(gotL.has_value() == exactL.has_value(), qPrintable(where));
            if (exactL)
                QVERIFY2(std::abs(static_cast<double>(*gotL - *exactL)) <= static_cast<double>(*exactL) / 32 + 1,
                    qPrintable(where + QStringLiteral(" llm p%1 %2 vs %3").arg(pct).arg(*gotL).arg(*exactL)));
        }
    };

    // Every bucket of every group, empty ones included, ordered by start then group.
    const std::size_t nb = static_cast<std::size_t>((to - from) / w);
    QCOMPARE(r.buckets.size(), nb * groups.size());
    std::size_t i = 0;
    for (std::size_t b = 0; b < nb; ++b) {
        for (const auto &g : groups) {
            const auto &got = r.buckets[i++];
            const std::int64_t start = from + static_cast<std::int64_t>(b) * w;
            QCOMPARE(got.start_ns, start);
            QCOMPARE(got.group, g);
            auto it = cells.find({ start, g });
            compare(got, it == cells.end() ? Expected {} : it->second,
                QStringLiteral("bucket %1 group '%2'").arg(b).arg(QString::fromStdString(g)));
            if (QTest::currentTestFailed())
                return;
        }
    }
    compare(r.totals, total, QStringLiteral("totals"));

    // Top lists: the top_n largest values, each with its summary.
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(q.top_n), inRange.size());
    std::vector<std::int64_t> durations;
    std::vector<double> costs;
    for (const Trace *t : inRange) {
        durations.push_back(t->end - t->start);
        costs.push_back(t->cost);
    }
    std::sort(durations.rbegin(), durations.rend());
    std::sort(costs.rbegin(), costs.rend());
    QCOMPARE(r.slowest_traces.size(), n);
    QCOMPARE(r.costliest_traces.size(), n);
    for (std::size_t k = 0; k < n; ++k) {
        QCOMPARE(r.slowest_traces[k].durationNs(), durations[k]);
        QVERIFY(near(r.costliest_traces[k].cost_usd, costs[k]));
        QVERIFY(near(traces.at(r.costliest_traces[k].trace_id).cost, r.costliest_traces[k].cost_usd));
    }

    // Errors grouped by span name and message.
    struct Err
    {
        std::int64_t count = 0, last = INT64_MIN;
        std::set<core::TraceId> atLast;
    };
    std::map<std::pair<std::string, std::string>, Err> errs;
    for (const Span &s : spans) {
        if (s.status != core::StatusCode::Error || s.start_ns < from || s.start_ns >= to)
            continue;
        if ((!q.service.empty() && s.service_name != q.service) || (!q.model.empty() && s.model() != q.model))
            continue;
        Err &e = errs[{ s.name, s.status_message }];
        ++e.count;
        if (s.start_ns > e.last)
            e.atLast.clear();
        if (s.start_ns >= e.last) {
            e.last = s.start_ns;
            e.atLast.insert(s.trace_id);
        }
    }
    QCOMPARE(r.top_errors.size(), std::min<std::size_t>(static_cast<std::size_t>(q.top_n), errs.size()));
    for (std::size_t k = 0; k < r.top_errors.size(); ++k) {
        const auto &g = r.top_errors[k];
        const auto it = errs.find({ g.span_name, g.message });
        QVERIFY(it != errs.end());
        QCOMPARE(g.count, it->second.count);
        QCOMPARE(g.last_seen_ns, it->second.last);
        QVERIFY(it->second.atLast.count(g.example_trace));
        if (k > 0)
            QVERIFY(r.top_errors[k - 1].count >= g.count);
    }
    std::vector<std::int64_t> counts;
    counts.reserve(errs.size());
    for (const auto &[k, e] : errs)
        counts.push_back(e.count);
    std::sort(counts.rbegin(), counts.rend());
    for (std::size_t k = 0; k < r.top_errors.size(); ++k)
        QCOMPARE(r.top_errors[k].count, counts[k]);
}

/// Every span the store holds for these traces (what a brute force after re-pricing must use).
std::vector<Span> storedSpans(store::TraceStore &db, const std::vector<Span> &generated)
{
    std::set<core::TraceId> ids;
    for (const auto &s : generated)
        ids.insert(s.trace_id);
    std::vector<Span> out;
    for (const auto &id : ids) {
        auto d = db.trace(id);
        for (auto &s : d->spans)
            out.push_back(std::move(s));
    }
    return out;
}

std::vector<store::MetricsQuery> queries()
{
    std::vector<store::MetricsQuery> out;
    for (auto g : { MetricsGroupBy::None, MetricsGroupBy::Model, MetricsGroupBy::Service, MetricsGroupBy::SpanKind,
             MetricsGroupBy::AgentName }) {
        store::MetricsQuery q;
        q.from_ns = kBase - kDay;
        q.to_ns = kBase + 7 * kDay;
        q.group_by = g;
        out.push_back(q);
    }
    store::MetricsQuery q;
    q.from_ns = kBase + kDay + 17 * kMin + 3; // not on a bucket boundary
    q.to_ns = kBase + 2 * kDay + 5 * kHour + 1;
    q.group_by = MetricsGroupBy::Model;
    q.top_n = 7;
    out.push_back(q);
    q.bucket_ns = 5 * kMin; // minute rows
    q.group_by = MetricsGroupBy::Service;
    q.to_ns = kBase + kDay + 9 * kHour;
    out.push_back(q);
    q.bucket_ns = 0;
    q.from_ns = kBase;
    q.to_ns = kBase + 5 * kDay;
    q.service = "beta";
    q.group_by = MetricsGroupBy::SpanKind;
    out.push_back(q);
    q.service.clear();
    q.model = "gpt-4o-2025";
    q.group_by = MetricsGroupBy::Model;
    out.push_back(q);
    q.group_by = MetricsGroupBy::AgentName;
    q.bucket_ns = 3 * kHour;
    q.top_n = 100;
    out.push_back(q);
    return out;
}

std::vector<Span> distinct(const std::vector<Span> &spans)
{
    return spans; // generated spans are already distinct; duplicates only come from re-sending
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_seq = 0;
    std::string freshPath() { return m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_seq)).toStdString(); }
    test::StoreBackend m_backend;

private Q_SLOTS:
    void aggregatesMatchBruteForce_data()
    {
        QTest::addColumn<int>("seed");
        QTest::newRow("seed 1") << 1;
        QTest::newRow("seed 2") << 2;
        QTest::newRow("seed 3") << 3;
    }

    void aggregatesMatchBruteForce()
    {
        QFETCH(int, seed);
        const auto spans = generate(static_cast<std::uint64_t>(seed), 500, 5);
        auto opened = m_backend.open();
        auto &db = *opened;
        writeShuffled(db, spans, static_cast<std::uint64_t>(seed) * 7);
        QCOMPARE(db.spanCount(), static_cast<std::int64_t>(spans.size()));
        for (const auto &q : queries()) {
            const auto r = db.metrics(q);
            checkAgainstBruteForce(q, r, distinct(spans));
            if (QTest::currentTestFailed())
                return;
        }
    }

    void bucketChoice_data()
    {
        QTest::addColumn<qint64>("range");
        QTest::addColumn<qint64>("bucket");
        QTest::newRow("1 h") << qint64(kHour) << qint64(kMin);
        QTest::newRow("200 min") << qint64(200 * kMin) << qint64(kMin);
        QTest::newRow("10 h") << qint64(10 * kHour) << qint64(5 * kMin);
        QTest::newRow("24 h") << qint64(kDay) << qint64(15 * kMin);
        QTest::newRow("7 d") << qint64(7 * kDay) << qint64(kHour);
        QTest::newRow("30 d") << qint64(30 * kDay) << qint64(6 * kHour);
        QTest::newRow("90 d") << qint64(90 * kDay) << qint64(kDay);
        QTest::newRow("1 y") << qint64(365 * kDay) << qint64(7 * kDay);
    }

    void bucketChoice()
    {
        QFETCH(qint64, range);
        QFETCH(qint64, bucket);
        auto opened = m_backend.open();
        auto &db = *opened;
        store::MetricsQuery q;
        q.from_ns = floorTo(kBase, kDay);
        q.to_ns = q.from_ns + range;
        const auto r = db.metrics(q);
        QCOMPARE(r.bucket_ns, std::int64_t(bucket));
        QVERIFY(r.buckets.size() <= 200);
        QCOMPARE(static_cast<qint64>(r.buckets.size()), (r.to_ns - r.from_ns) / bucket);
        QVERIFY(r.from_ns <= q.from_ns && r.to_ns >= q.to_ns && r.from_ns % bucket == 0);
    }

    void histogramSumEqualsMerges()
    {
        // The dense sum PostgreSQL's rollup rows are added up in gives what merging them does.
        std::mt19937_64 rng(7);
        for (int round = 0; round < 3; ++round) {
            store::rollup::Histogram merged;
            store::rollup::HistogramSum sum;
            for (int i = 0; i < 200; ++i) {
                store::rollup::Histogram h;
                for (int k = 0; k < 1 + static_cast<int>(rng() % 30); ++k)
                    h.addValue(static_cast<std::int64_t>(rng() % 4) == 0
                            ? static_cast<std::int64_t>(rng() % 40)
                            : static_cast<std::int64_t>(rng() >> (rng() % 40)));
                merged.merge(h);
                const std::string bytes = h.encode();
                QVERIFY(sum.addEncoded(bytes.data(), bytes.size()));
            }
            const std::string bad = "\x85"; // a varint that never ends: refused, nothing added
            QVERIFY(!sum.addEncoded(bad.data(), bad.size()));
            const auto taken = sum.take();
            QCOMPARE(taken.bins(), merged.bins());
            QVERIFY(sum.take().empty()); // taking empties it
        }
    }

    void refusesBadQueries()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        auto refuses = [&](const store::MetricsQuery &q, const char *field) {
            try {
                db.metrics(q);
            } catch (const store::QueryError &e) {
                return std::string(e.what()).rfind(field, 0) == 0;
            }
            return false;
        };
        store::MetricsQuery q;
        q.from_ns = kBase;
        q.to_ns = kBase + kDay;
        auto bad = q;
        bad.bucket_ns = 90 * kSec;
        QVERIFY(refuses(bad, "bucket:"));
        bad = q;
        bad.bucket_ns = kMin;
        bad.to_ns = kBase + 30 * kDay; // 43,200 buckets
        QVERIFY(refuses(bad, "bucket:"));
        bad = q;
        bad.to_ns = bad.from_ns;
        QVERIFY(refuses(bad, "from:"));
        bad = q;
        bad.top_n = 0;
        QVERIFY(refuses(bad, "top:"));
        bad.top_n = 101;
        QVERIFY(refuses(bad, "top:"));
    }

    void emptyBucketsAreIncluded()
    {
        auto opened = m_backend.open();
        auto &db = *opened;
        auto spans = generate(5, 3, 1);
        for (auto &s : spans) { // two traces at 02:xx, one at 20:xx
            const bool late = s.trace_id == spans.back().trace_id;
            s.start_ns = floorTo(kBase, kDay) + (late ? 20 : 2) * kHour + s.start_ns % kHour;
            s.end_ns = s.start_ns + 1000;
        }
        db.writeBatch(spans);
        store::MetricsQuery q;
        q.from_ns = floorTo(kBase, kDay);
        q.to_ns = q.from_ns + kDay;
        q.bucket_ns = kHour;
        const auto r = db.metrics(q);
        QCOMPARE(r.buckets.size(), std::size_t(24));
        QVERIFY(r.buckets[5].spans == 0 && r.buckets[5].traces == 0);
        QVERIFY(!r.buckets[5].trace_p50_ns && !r.buckets[5].llm_p99_ns);
        QCOMPARE(r.buckets[5].start_ns, q.from_ns + 5 * kHour);
        checkAgainstBruteForce(q, r, spans);
        q.group_by = MetricsGroupBy::SpanKind;
        checkAgainstBruteForce(q, db.metrics(q), spans);
        // An empty range of an empty store: buckets of zeros, no groups, empty lists.
        q.from_ns += 30 * kDay;
        q.to_ns += 30 * kDay;
        const auto e = db.metrics(q);
        QVERIFY(e.buckets.empty()); // grouped, and no group has data
        QVERIFY(e.slowest_traces.empty() && e.top_errors.empty());
        q.group_by = MetricsGroupBy::None;
        QCOMPARE(db.metrics(q).buckets.size(), std::size_t(24));
    }

#ifndef AGENTOPS_TEST_POSTGRES
    // SQLite only: its migration from schema 3.
    void migrationBackfillsRollups()
    {
        // The same data written by the current schema and by schema 3 (rows copied over), then
        // migrated: the back-filled rollups answer exactly as the ones maintained at ingest.
        const auto spans = generate(11, 300, 4);
        const std::string current = freshPath();
        {
            store::SqliteStore db(current);
            writeShuffled(db, spans, 3);
        }
        const std::string old = freshPath();
        {
            store::SqliteStore::Options o;
            o.target_version = 3; // before the rollups
            store::SqliteStore db(old, o);
            QCOMPARE(db.schemaVersion(), 3);
        }
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(old.c_str(), &raw), SQLITE_OK);
        const std::string attach = "ATTACH '" + current + "' AS cur";
        QCOMPARE(sqlite3_exec(raw, attach.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        const char *copy = R"sql(
INSERT INTO resources SELECT * FROM cur.resources;
INSERT INTO spans SELECT id, trace_id, span_id, parent_span_id, trace_state, name, kind, otel_kind, start_ns, end_ns,
    status, status_message, service, scope_name, scope_version, request_model, response_model, provider, tok_input,
    tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref, session_id, user_id,
    input, output, attributes, events, links, resource_id, dropped, agent_name, tool_name, payload_refs FROM cur.spans;
INSERT INTO traces(id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
    span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
    cost_usd, unpriced_spans, models, session_id, user_id, duration_ns)
SELECT id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
    span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
    cost_usd, unpriced_spans, models, session_id, user_id, duration_ns FROM cur.traces;
INSERT INTO trace_models(model, trace_rowid) SELECT model, trace_rowid FROM cur.trace_models;
)sql";
        char *err = nullptr;
        QVERIFY2(sqlite3_exec(raw, copy, nullptr, nullptr, &err) == SQLITE_OK, err);
        sqlite3_close(raw);

        store::SqliteStore migrated(old);
        QCOMPARE(migrated.schemaVersion(), store::SqliteStore::latestSchemaVersion());
        store::SqliteStore reference(current);
        for (const auto &q : queries()) {
            const auto r = migrated.metrics(q);
            checkAgainstBruteForce(q, r, spans);
            if (QTest::currentTestFailed())
                return;
            const auto ref = reference.metrics(q);
            QCOMPARE(r.buckets.size(), ref.buckets.size());
            for (std::size_t i = 0; i < r.buckets.size(); ++i)
                QVERIFY(r.buckets[i].llm_p95_ns == ref.buckets[i].llm_p95_ns); // same histograms
        }
        // New spans join the back-filled rows.
        auto more = generate(12, 50, 4);
        writeShuffled(migrated, more, 4);
        auto all = spans;
        all.insert(all.end(), more.begin(), more.end());
        checkAgainstBruteForce(queries()[1], migrated.metrics(queries()[1]), all);
    }

    void migrationCountsEachModelCallOnce()
    {
        // A database written by schema 6, which added the usage of agent and chain spans (the sum of
        // their model calls) to summaries and rollups and counted only LLM spans as unpriced: after
        // the migration it answers as a store that counted each model call once from the start.
        const auto spans = generate(13, 300, 4);
        const std::string current = freshPath();
        {
            store::SqliteStore db(current);
            writeShuffled(db, spans, 5);
        }
        const std::string old = freshPath();
        {
            store::SqliteStore::Options o;
            o.target_version = 6;
            store::SqliteStore db(old, o);
            QCOMPARE(db.schemaVersion(), 6);
        }
        sqlite3 *raw = nullptr;
        QCOMPARE(sqlite3_open(old.c_str(), &raw), SQLITE_OK);
        const std::string attach = "ATTACH '" + current + "' AS cur";
        QCOMPARE(sqlite3_exec(raw, attach.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
        // Schema 6's sums: every span's usage, whatever its kind; unpriced only for LLM spans (2).
        const char *copy = R"sql(
INSERT INTO resources SELECT * FROM cur.resources;
INSERT INTO spans SELECT id, trace_id, span_id, parent_span_id, trace_state, name, kind, otel_kind, start_ns, end_ns,
    status, status_message, service, scope_name, scope_version, request_model, response_model, provider, tok_input,
    tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref, session_id, user_id,
    input, output, attributes, events, links, resource_id, dropped, agent_name, tool_name, payload_refs, trace_rowid
    FROM cur.spans;
INSERT INTO traces SELECT id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
    span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
    cost_usd, unpriced_spans, models, session_id, user_id, duration_ns, kinds, agents FROM cur.traces;
UPDATE traces SET (tok_input, tok_output, tok_cache_read, tok_reasoning, cost_usd, unpriced_spans) = (
    SELECT coalesce(sum(tok_input), 0), coalesce(sum(tok_output), 0), coalesce(sum(tok_cache_read), 0),
        coalesce(sum(tok_reasoning), 0), total(cost_usd),
        coalesce(sum(kind = 2 AND cost_usd IS NULL AND tok_input IS NOT NULL), 0)
    FROM spans WHERE trace_rowid = traces.id);
INSERT INTO trace_models(model, trace_rowid) SELECT model, trace_rowid FROM cur.trace_models;
INSERT INTO span_rollup SELECT res, t, kind, model, service, agent, spans, error_spans, tok_input, tok_output,
    tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency FROM cur.span_rollup;
UPDATE span_rollup SET tok_input = tok_input + 1000 WHERE kind IN (1, 4);
INSERT INTO error_rollup SELECT * FROM cur.error_rollup;
)sql";
        char *err = nullptr;
        QVERIFY2(sqlite3_exec(raw, copy, nullptr, nullptr, &err) == SQLITE_OK, err);
        // The old sums really were inflated, so the migration has something to correct.
        std::int64_t oldInput = 0, countedInput = 0;
        {
            sqlite3_stmt *st = nullptr;
            QCOMPARE(sqlite3_prepare_v2(raw, "SELECT sum(tok_input) FROM traces", -1, &st, nullptr), SQLITE_OK);
            QCOMPARE(sqlite3_step(st), SQLITE_ROW);
            oldInput = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        sqlite3_close(raw);
        for (const Span &s : spans)
            countedInput += counts(s) ? s.tokens.input.value_or(0) : 0;
        QVERIFY(oldInput > countedInput);

        store::SqliteStore migrated(old);
        QCOMPARE(migrated.schemaVersion(), store::SqliteStore::latestSchemaVersion());
        for (const auto &q : queries()) {
            checkAgainstBruteForce(q, migrated.metrics(q), spans);
            if (QTest::currentTestFailed())
                return;
        }
        const auto traces = summarize(spans);
        std::map<core::TraceId, std::int64_t> inputTokens;
        for (const Span &s : spans)
            if (counts(s))
                inputTokens[s.trace_id] += s.tokens.input.value_or(0);
        for (const auto &[id, t] : traces) {
            const auto d = migrated.trace(id);
            QVERIFY(d);
            QCOMPARE(d->summary.input_tokens, inputTokens[id]);
            QVERIFY(near(d->summary.cost_usd, t.cost));
            QCOMPARE(d->summary.priced_spans, t.priced);
            QCOMPARE(d->summary.unpriced_spans, t.unpriced);
        }
    }

#endif

#ifdef AGENTOPS_TEST_POSTGRES
    void migrationCountsEachModelCallOnce()
    {
        // A schema written by PostgresStore's schema 1, which added the usage of agent and chain
        // spans (the sum of their model calls) to summaries and rollups and counted only LLM spans
        // as unpriced: after migration 2 it answers as a store that counted each call once. The
        // data is written by today's code, then taken back to schema 1's tables and sums.
        const auto spans = generate(13, 300, 4);
        {
            auto opened = m_backend.open();
            writeShuffled(*opened, spans, 5);
        }
        const char *const back = R"sql(
ALTER TABLE traces DROP COLUMN priced_spans;
ALTER TABLE span_rollup DROP COLUMN priced_spans;
UPDATE traces t SET (tok_input, tok_output, tok_cache_read, tok_reasoning, cost_usd, unpriced_spans) = (
    SELECT coalesce(sum(tok_input), 0), coalesce(sum(tok_output), 0), coalesce(sum(tok_cache_read), 0),
        coalesce(sum(tok_reasoning), 0), coalesce(sum(cost_usd), 0),
        count(*) FILTER (WHERE kind = 2 AND cost_usd IS NULL AND tok_input IS NOT NULL)
    FROM spans s WHERE s.trace_id = t.trace_id);
UPDATE span_rollup r SET tok_input = a.tin, tok_output = a.tout, tok_cache_read = a.tcr, tok_reasoning = a.tre,
    cost_usd = a.cost, unpriced_spans = a.unpriced
FROM (SELECT w.res, (s.start_ns / w.ns - CASE WHEN s.start_ns % w.ns < 0 THEN 1 ELSE 0 END) * w.ns AS t, s.kind,
          coalesce(nullif(s.response_model, ''), s.request_model, '') AS model, coalesce(s.service, '') AS service,
          coalesce(s.agent_name, '') AS agent, coalesce(sum(s.tok_input), 0) AS tin,
          coalesce(sum(s.tok_output), 0) AS tout, coalesce(sum(s.tok_cache_read), 0) AS tcr,
          coalesce(sum(s.tok_reasoning), 0) AS tre, coalesce(sum(s.cost_usd), 0) AS cost,
          count(*) FILTER (WHERE s.kind = 2 AND s.cost_usd IS NULL AND s.tok_input IS NOT NULL) AS unpriced
      FROM spans s CROSS JOIN (VALUES (60, 60000000000::bigint), (3600, 3600000000000::bigint)) AS w(res, ns)
      GROUP BY 1, 2, 3, 4, 5, 6) a
WHERE r.res = a.res AND r.t = a.t AND r.kind = a.kind AND r.model = a.model AND r.service = a.service
    AND r.agent = a.agent;
DROP TABLE alert_rules;
DROP TABLE alert_events;
DROP TABLE span_search, search_state, search_queue;
UPDATE schema_version SET version = 1;
)sql";
        m_backend.execute(back);
        std::int64_t countedInput = 0;
        for (const Span &s : spans)
            countedInput += counts(s) ? s.tokens.input.value_or(0) : 0;
        QVERIFY(m_backend.scalar("SELECT sum(tok_input) FROM traces") > countedInput); // inflated, as schema 1 was
        QVERIFY(m_backend.scalar("SELECT sum(tok_input) FROM span_rollup WHERE res = 60 AND kind IN (1, 4)") > 0);

        auto migrated = m_backend.reopen();
        QCOMPARE(m_backend.scalar("SELECT version FROM schema_version"),
            static_cast<long long>(store::PostgresStore::latestSchemaVersion()));
        for (const auto &q : queries()) {
            checkAgainstBruteForce(q, migrated->metrics(q), spans);
            if (QTest::currentTestFailed())
                return;
        }
        for (const auto &[id, t] : summarize(spans)) {
            const auto d = migrated->trace(id);
            QVERIFY(d);
            QVERIFY(near(d->summary.cost_usd, t.cost));
            QCOMPARE(d->summary.priced_spans, t.priced);
            QCOMPARE(d->summary.unpriced_spans, t.unpriced);
        }
    }

    void retentionDropsWholeDays()
    {
        // Spans partitioned by the day their trace was first stored (schema 9): retention drops a
        // day's partition whole once the cutoff has passed its end and every trace of it started
        // before the cutoff; other traces that started before the cutoff go row by row, but not
        // those of the day the cutoff is in, which wait for their partition (at most a day).
        // Traces arrive 20 minutes after they start, some with spans a day late (they join their
        // trace's day), some whole two days late (a later day, an old start), and one from a client
        // whose clock runs ahead (an early day, a start after the last cutoff): that day cannot go
        // whole, the days after it can. The retention job's cutoff moves on 3 hours at a time;
        // after each step the store holds exactly what the rule keeps, and at the end it answers as
        // one into which only the remaining traces were written.
        auto spans = generate(43, 500, 5);
        std::map<core::TraceId, std::vector<Span>> byTrace;
        for (const auto &s : spans)
            byTrace[s.trace_id].push_back(s);
        const std::int64_t lastCutoff = kBase + 3 * kDay + 7 * kHour;
        const core::TraceId ahead = byTrace.begin()->first;
        for (auto &s : byTrace.at(ahead)) { // all of it starts an hour after the last cutoff
            s.end_ns += lastCutoff + kHour - s.start_ns;
            s.start_ns = lastCutoff + kHour;
        }
        std::vector<std::pair<std::int64_t, std::vector<Span>>> arrivals; // (when, what)
        std::map<core::TraceId, int> stored; // the day each trace was first stored
        std::map<core::TraceId, std::int64_t> traceStart;
        std::mt19937_64 rng(44);
        int late = 0, lateTraces = 0;
        for (auto &[id, list] : byTrace) {
            std::int64_t start = INT64_MAX;
            for (const auto &s : list)
                start = std::min(start, s.start_ns);
            traceStart[id] = start;
            std::int64_t at = start + 20 * kMin;
            if (id == ahead) {
                at = kBase + kDay; // stored under an early day
            } else if (rng() % 15 == 0) {
                at += 2 * kDay;
                ++lateTraces;
            }
            if (list.size() > 2 && rng() % 10 == 0) {
                std::vector<Span> rest(list.begin() + 2, list.end());
                arrivals.emplace_back(at + kDay, rest);
                list.resize(2);
                ++late;
            }
            arrivals.emplace_back(at, list);
        }
        QVERIFY(late > 5 && lateTraces > 5);
        std::sort(arrivals.begin(), arrivals.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        std::int64_t now = kBase;
        auto opened = m_backend.openWithClock([&now] { return now; });
        auto &db = *opened;
        for (std::size_t i = 0; i < arrivals.size();) {
            // Batches of what arrives within a minute, as an exporter sends them.
            now = arrivals[i].first;
            std::vector<Span> batch;
            for (; i < arrivals.size() && arrivals[i].first < now + kMin; ++i)
                batch.insert(batch.end(), arrivals[i].second.begin(), arrivals[i].second.end());
            for (const auto &s : batch)
                stored.emplace(s.trace_id, store::pg::dayOf(now));
            db.writeBatch(batch);
        }
        spans.clear();
        for (const auto &[when, list] : arrivals)
            spans.insert(spans.end(), list.begin(), list.end());
        const auto partitions = [this] {
            return m_backend.scalar("SELECT count(*) FROM pg_inherits WHERE inhparent = 'spans'::regclass");
        };
        const long long before = partitions();
        QVERIFY(before >= 8); // the 5 days, the later arrivals', and the days ahead

        const auto keeps = [&](const core::TraceId &id, std::int64_t cutoff) {
            return traceStart.at(id) >= cutoff || stored.at(id) == store::pg::dayOf(cutoff);
        };
        std::size_t deleted = 0, drops = 0;
        std::vector<Span> kept;
        std::set<core::TraceId> gone; // deleted at some step
        for (std::int64_t cutoff = kBase; cutoff <= lastCutoff; cutoff += 3 * kHour) {
            now = cutoff + 7 * kDay; // retention of 7 days
            for (;;) {
                const std::size_t n = db.deleteTracesBefore(cutoff, 37);
                deleted += n;
                drops += n > 37; // a day at once
                if (n == 0)
                    break;
            }
            for (const auto &[id, start] : traceStart)
                if (!keeps(id, cutoff))
                    gone.insert(id);
            kept.clear();
            for (const auto &s : spans)
                if (!gone.count(s.trace_id))
                    kept.push_back(s);
            QCOMPARE(db.spanCount(), static_cast<std::int64_t>(kept.size()));
        }
        const std::size_t goneTraces = gone.size();
        QCOMPARE(deleted, goneTraces);
        QVERIFY2(drops >= 1, "no day of ~100 traces went at once");
        const long long after = partitions();
        // Dropped: the first day and those after the early clock's but before the last cutoff's.
        QVERIFY2(after <= before - 2 && after >= 4, std::to_string(after).c_str());
        for (const auto &q : queries()) {
            checkAgainstBruteForce(q, db.metrics(q), kept);
            if (QTest::currentTestFailed())
                return;
        }
        store::TraceQuery tq;
        tq.limit = 1000;
        QCOMPARE(db.listTraces(tq).traces.size(), traceStart.size() - goneTraces);
        QVERIFY(db.trace(ahead));
        QCOMPARE(db.trace(ahead)->spans.size(), byTrace.at(ahead).size());
        // Nothing of a dropped day is found any more, and writes after retention join what is left.
        const auto first = std::find_if(
            traceStart.begin(), traceStart.end(), [&](const auto &t) { return t.second < kBase + kDay; });
        QVERIFY(first != traceStart.end() && gone.count(first->first) && !db.trace(first->first));
        auto more = generate(45, 40, 4);
        db.writeBatch(more);
        auto all = kept;
        all.insert(all.end(), more.begin(), more.end());
        checkAgainstBruteForce(queries()[1], db.metrics(queries()[1]), all);
        // Then everything goes, and with it every rollup row.
        now = kBase + 40 * kDay;
        while (db.deleteTracesBefore(kBase + 39 * kDay, 1000) > 0) { }
        QCOMPARE(db.spanCount(), std::int64_t(0));
        QCOMPARE(m_backend.scalar("SELECT count(*) FROM span_rollup")
                + m_backend.scalar("SELECT count(*) FROM error_rollup")
                + m_backend.scalar("SELECT count(*) FROM resources")
                + m_backend.scalar("SELECT count(*) FROM span_search"),
            0LL);
    }
#endif

    void repriceUpdatesSummariesAndRollups()
    {
        const auto spans = generate(21, 3000, 3);
        auto opened = m_backend.open();
        auto &db = *opened;
        writeShuffled(db, spans, 9);
        // The new prices: gpt-4o doubles, claude loses its price, gemini gains one.
        auto newPrice = [](Span &s) {
            if (s.model().rfind("gpt-4o", 0) == 0 && s.cost_usd) {
                s.cost_usd = *s.cost_usd * 2;
                s.price_ref = "openai/gpt-4o@2026";
                return true;
            }
            if (s.model().rfind("claude", 0) == 0 && s.cost_usd) {
                s.cost_usd.reset();
                s.price_ref.clear();
                return true;
            }
            if (s.model().rfind("gemini", 0) == 0) {
                s.cost_usd = static_cast<double>(s.tokens.input.value_or(0)) * 1e-7;
                s.price_ref = "google/gemini@2026";
                return true;
            }
            return false;
        };
        auto expected = spans;
        std::size_t expectChanged = 0;
        for (auto &s : expected) {
            if (counts(s) && !s.tokens.empty()) {
                const auto before = s;
                if (newPrice(s) && (s.cost_usd != before.cost_usd || s.price_ref != before.price_ref))
                    ++expectChanged;
            }
        }
        std::size_t calls = 0;
        std::size_t lastDone = 0, lastTotal = 0;
        bool progressOk = true;
        const auto changed = db.reprice(
            [&](Span &s) {
                ++calls;
                return newPrice(s);
            },
            [&](std::size_t done, std::size_t total) {
                progressOk = progressOk && done >= lastDone && done <= total;
                lastDone = done;
                lastTotal = total;
                return true;
            });
        QCOMPARE(changed, expectChanged);
        QVERIFY(progressOk);
        QCOMPARE(lastDone, lastTotal);
        QVERIFY(calls > 2000); // more than one batch
        for (const auto &q : queries()) {
            checkAgainstBruteForce(q, db.metrics(q), expected);
            if (QTest::currentTestFailed())
                return;
        }
        // Summaries: cost and unpriced spans as the brute force says.
        const auto traces = summarize(expected);
        store::TraceQuery tq;
        tq.limit = 1000;
        for (;;) {
            auto page = db.listTraces(tq);
            for (const auto &t : page.traces) {
                QVERIFY(near(t.cost_usd, traces.at(t.trace_id).cost));
                QCOMPARE(t.priced_spans, traces.at(t.trace_id).priced);
                QCOMPARE(t.unpriced_spans, traces.at(t.trace_id).unpriced);
            }
            if (page.next_cursor.empty())
                break;
            tq.cursor = page.next_cursor;
        }
    }

    void cancelledRepriceStaysConsistent()
    {
        const auto spans = generate(31, 3000, 3);
        auto opened = m_backend.open();
        auto &db = *opened;
        writeShuffled(db, spans, 10);
        int batches = 0;
        const auto changed = db.reprice(
            [](Span &s) {
                s.cost_usd = s.cost_usd.value_or(0.5) + 1;
                s.price_ref = "test@1";
                return true;
            },
            [&](std::size_t, std::size_t) { return ++batches < 1; });
        QCOMPARE(batches, 1);
        QVERIFY(changed > 0);
        // Part of the spans have new prices: whatever the store holds now, its summaries and
        // metrics agree with it.
        const auto stored = storedSpans(db, spans);
        std::size_t repriced = 0;
        for (const auto &s : stored)
            repriced += s.price_ref == "test@1";
        QCOMPARE(repriced, changed);
        QVERIFY(repriced < spans.size() / 4);
        for (const auto &q : queries()) {
            checkAgainstBruteForce(q, db.metrics(q), stored);
            if (QTest::currentTestFailed())
                return;
        }
        const auto traces = summarize(stored);
        for (const auto &[id, t] : traces) {
            const auto d = db.trace(id);
            QVERIFY(near(d->summary.cost_usd, t.cost));
            QCOMPARE(d->summary.priced_spans, t.priced);
            QCOMPARE(d->summary.unpriced_spans, t.unpriced);
        }
    }

    void reportedToolFailuresMarkTheToolSpan_data()
    {
        QTest::addColumn<int>("order");
        QTest::newRow("the tool span stored by an earlier batch") << 0;
        QTest::newRow("both in one batch") << 1;
        // Exporters send spans as they end, in requests a server may commit in either order.
        QTest::newRow("the tool span stored by a later batch") << 2;
        // ADK runs the tools within the model call's span, which may end after them.
        QTest::newRow("the tools ran within the previous call's span") << 3;
    }

    void reportedToolFailuresMarkTheToolSpan()
    {
        // ADK's shape: a failed tool call leaves its span unset and empty; only the next model
        // call's request says what the model was handed ({"error": ...}). The store marks the tool
        // span, and every total that counts errors follows, as if the span had arrived failed.
        QFETCH(int, order);
        const bool oneBatch = order == 1;
        const std::int64_t t0 = kBase + 3 * kHour + 17 * kMin;
        core::TraceId tid {};
        tid[0] = 0x7a;
        tid[15] = static_cast<std::uint8_t>(order + 1);
        auto span = [&](std::uint8_t id, std::uint8_t parent, core::SpanKind kind, std::string name, std::int64_t start,
                        std::int64_t end) {
            Span s;
            s.trace_id = tid;
            s.span_id = { 0, 0, 0, 0, 0, 0, 0, id };
            if (parent)
                s.parent_span_id = { 0, 0, 0, 0, 0, 0, 0, parent };
            s.kind = kind;
            s.name = std::move(name);
            s.start_ns = start;
            s.end_ns = end;
            s.service_name = "alpha";
            s.agent_name = "planner";
            return s;
        };
        Span agent = span(1, 0, core::SpanKind::Agent, "invoke_agent planner", t0, t0 + 9 * kSec);
        Span call1
            = span(2, 1, core::SpanKind::Llm, "call_llm", t0, order == 3 ? t0 + 3 * kSec + kSec / 2 : t0 + 2 * kSec);
        call1.request_model = "gemini-flash";
        Span ok = span(3, 2, core::SpanKind::Tool, "execute_tool get_weather", t0 + 2 * kSec, t0 + 3 * kSec);
        ok.tool_name = "get_weather";
        ok.output = R"({"forecast":"sunny"})";
        Span failed = span(4, 2, core::SpanKind::Tool, "execute_tool get_weather", t0 + 3 * kSec, t0 + 4 * kSec);
        failed.tool_name = "get_weather";
        Span call2 = span(5, 1, core::SpanKind::Llm, "call_llm", t0 + 4 * kSec, t0 + 6 * kSec);
        call2.request_model = "gemini-flash";
        // The model asked for two calls; the request hands it both results, the second failed.
        call2.reported_tool_results = { { "get_weather", "", R"({"city":"Lisbon"})", false, "" },
            { "get_weather", "", R"({"city":"Atlantis"})", true, "Error in tool: unknown city" } };
        // A tool of another name, and one that ended after the call: neither is what it reports.
        Span other = span(6, 2, core::SpanKind::Tool, "execute_tool get_time", t0 + 3 * kSec, t0 + 4 * kSec);
        other.tool_name = "get_time";
        Span later = span(7, 1, core::SpanKind::Tool, "execute_tool get_weather", t0 + 6 * kSec, t0 + 7 * kSec);
        later.tool_name = "get_weather";

        auto opened = m_backend.open();
        auto &db = *opened;
        const std::vector<Span> first { ok, other, call1, failed };
        const std::vector<Span> second { call2, later, agent };
        if (oneBatch) {
            auto all = first;
            all.insert(all.end(), second.begin(), second.end());
            db.writeBatch(all);
        } else if (order == 2) {
            // Everything but the failed tool's span, which comes last, twice (a retry).
            auto early = second;
            for (const Span &s : first)
                if (s.span_id != failed.span_id)
                    early.push_back(s);
            db.writeBatch(early);
            const std::vector<Span> last { failed };
            db.writeBatch(last);
            db.writeBatch(last);
        } else {
            db.writeBatch(first);
            db.writeBatch(second);
            db.writeBatch(second); // an exporter's retry changes nothing
        }

        const auto d = db.trace(tid);
        QVERIFY(d);
        QCOMPARE(d->summary.error_count, std::int64_t(1));
        for (const Span &s : d->spans) {
            const bool isFailed = s.span_id == failed.span_id;
            QCOMPARE(s.status == core::StatusCode::Error, isFailed);
            if (!isFailed)
                continue;
            QCOMPARE(q(s.status_message), QStringLiteral("Error in tool: unknown city"));
            QCOMPARE(q(s.input), QStringLiteral(R"({"city":"Atlantis"})"));
            QCOMPARE(q(s.output), QStringLiteral(R"({"error":"Error in tool: unknown city"})"));
        }
        store::TraceQuery errorsOnly;
        errorsOnly.errors_only = true;
        QCOMPARE(db.listTraces(errorsOnly).traces.size(), std::size_t(1));

        // Every metric as a store that had received the tool span failed from the start.
        Span expectedFailed = failed;
        expectedFailed.status = core::StatusCode::Error;
        expectedFailed.status_message = "Error in tool: unknown city";
        const std::vector<Span> expected { agent, call1, ok, expectedFailed, call2, other, later };
        for (const auto &mq : queries()) {
            checkAgainstBruteForce(mq, db.metrics(mq), expected);
            if (QTest::currentTestFailed())
                return;
        }
        // Retention takes the marked span's error out again.
        QCOMPARE(db.deleteTracesBefore(kBase + 30 * kDay, 100), std::size_t(1));
        for (const auto &mq : queries())
            checkAgainstBruteForce(mq, db.metrics(mq), {});
    }

    void reportedResultsPairWithTheirCalls()
    {
        // Which tool span a reported failure is: the calls made since the previous model call, paired
        // with the request's results by call id, else in order; a span whose producer said how it
        // ended is never overruled.
        const std::int64_t t0 = kBase + 7 * kHour;
        std::uint8_t nextId = 1;
        auto span = [&](core::TraceId tid, core::SpanKind kind, const std::string &name, std::int64_t start,
                        std::int64_t end) {
            Span s;
            s.trace_id = tid;
            s.span_id = { 0, 0, 0, 0, 0, 0, 0, nextId++ };
            s.kind = kind;
            s.name = name;
            if (kind == core::SpanKind::Tool)
                s.tool_name = name;
            s.start_ns = start;
            s.end_ns = end;
            s.service_name = "beta";
            return s;
        };
        auto trace = [](std::uint8_t n) {
            core::TraceId id {};
            id[0] = 0x5c;
            id[15] = n;
            return id;
        };
        auto opened = m_backend.open();
        auto &db = *opened;
        auto statusOf = [&db](const core::TraceId &tid) {
            std::map<std::uint8_t, std::string> out;
            const auto d = db.trace(tid);
            for (const Span &s : d->spans)
                out[s.span_id[7]] = std::string(core::toString(s.status)) + ":" + s.status_message;
            return out;
        };

        // The AI SDK: notify() returns nothing (unset, no result), then fails, and the SDK marks
        // that span itself. The next prompt reports the failure: nothing to change.
        {
            const auto tid = trace(1);
            Span call1 = span(tid, core::SpanKind::Llm, "ai.generateText.doGenerate", t0, t0 + kSec);
            Span ok = span(tid, core::SpanKind::Tool, "notify", t0 + kSec, t0 + 2 * kSec);
            Span failed = span(tid, core::SpanKind::Tool, "notify", t0 + 2 * kSec, t0 + 3 * kSec);
            failed.status = core::StatusCode::Error;
            failed.status_message = "smtp down";
            Span call2 = span(tid, core::SpanKind::Llm, "ai.generateText.doGenerate", t0 + 3 * kSec, t0 + 4 * kSec);
            call2.reported_tool_results
                = { { "notify", "", "{}", false, "" }, { "notify", "", "{}", true, "smtp down" } };
            db.writeBatch(std::vector<Span> { call1, ok, failed, call2 });
            QCOMPARE(db.trace(tid)->summary.error_count, std::int64_t(1));
            QCOMPARE(statusOf(tid)[ok.span_id[7]], std::string("unset:"));
        }
        // Parallel calls of one tool, the one that succeeded ending later; and a retried model call
        // that reports the same failure again.
        {
            const auto tid = trace(2);
            Span call1 = span(tid, core::SpanKind::Llm, "call_llm", t0, t0 + kSec);
            Span first = span(tid, core::SpanKind::Tool, "search", t0 + kSec, t0 + 2 * kSec);
            Span second = span(tid, core::SpanKind::Tool, "search", t0 + kSec + 1000, t0 + 5 * kSec);
            Span call2 = span(tid, core::SpanKind::Llm, "call_llm", t0 + 5 * kSec, t0 + 6 * kSec);
            call2.reported_tool_results
                = { { "search", "", R"({"q":"a"})", true, "quota" }, { "search", "", R"({"q":"b"})", false, "" } };
            Span retry = call2;
            retry.span_id[7] = nextId++;
            retry.start_ns = t0 + 6 * kSec;
            retry.end_ns = t0 + 7 * kSec;
            db.writeBatch(std::vector<Span> { call1, first, second, call2 });
            db.writeBatch(std::vector<Span> { retry });
            auto st = statusOf(tid);
            QCOMPARE(st[first.span_id[7]], std::string("error:quota"));
            QCOMPARE(st[second.span_id[7]], std::string("unset:"));
            QCOMPARE(db.trace(tid)->summary.error_count, std::int64_t(1));
        }
        // Call ids on both sides pair across the order in which the calls started.
        {
            const auto tid = trace(3);
            Span call1 = span(tid, core::SpanKind::Llm, "chat", t0, t0 + kSec);
            Span c2 = span(tid, core::SpanKind::Tool, "lookup", t0 + kSec, t0 + 2 * kSec);
            c2.attributes = { { "gen_ai.tool.call.id", core::AttrValue::ofString("call_2") } };
            Span c1 = span(tid, core::SpanKind::Tool, "lookup", t0 + kSec + 5, t0 + 2 * kSec);
            c1.attributes = { { "gen_ai.tool.call.id", core::AttrValue::ofString("call_1") } };
            Span call2 = span(tid, core::SpanKind::Llm, "chat", t0 + 3 * kSec, t0 + 4 * kSec);
            call2.reported_tool_results
                = { { "lookup", "call_1", "{}", false, "" }, { "lookup", "call_2", "{}", true, "not found" } };
            db.writeBatch(std::vector<Span> { call1, c2, c1 });
            db.writeBatch(std::vector<Span> { call2 });
            auto st = statusOf(tid);
            QCOMPARE(st[c2.span_id[7]], std::string("error:not found"));
            QCOMPARE(st[c1.span_id[7]], std::string("unset:"));
        }
        // A tool called before the previous model call is not what this one reports.
        {
            const auto tid = trace(4);
            Span early = span(tid, core::SpanKind::Tool, "fetch", t0, t0 + kSec);
            Span call1 = span(tid, core::SpanKind::Llm, "chat", t0 + 2 * kSec, t0 + 3 * kSec);
            Span call2 = span(tid, core::SpanKind::Llm, "chat", t0 + 4 * kSec, t0 + 5 * kSec);
            call2.reported_tool_results = { { "fetch", "", "{}", true, "timeout" } };
            db.writeBatch(std::vector<Span> { early, call1, call2 });
            QCOMPARE(statusOf(tid)[early.span_id[7]], std::string("unset:"));
            QCOMPARE(db.trace(tid)->summary.error_count, std::int64_t(0));
        }
    }

    void retentionKeepsMetricsExact()
    {
        // Old traces deleted a few at a time: the store then answers as one into which only the
        // remaining traces were written (rollups, error groups, top lists, summaries).
        const auto spans = generate(41, 400, 4);
        auto opened = m_backend.open();
        auto &db = *opened;
        writeShuffled(db, spans, 12);
        const std::int64_t cutoff = kBase + 2 * kDay + 7 * kHour + 13 * kMin;
        std::map<core::TraceId, std::int64_t> traceStart;
        for (const auto &s : spans) {
            auto [it, fresh] = traceStart.emplace(s.trace_id, s.start_ns);
            if (!fresh)
                it->second = std::min(it->second, s.start_ns);
        }
        std::vector<Span> kept;
        std::size_t goneTraces = 0;
        for (const auto &[id, start] : traceStart)
            goneTraces += start < cutoff;
        for (const auto &s : spans)
            if (traceStart.at(s.trace_id) >= cutoff)
                kept.push_back(s);
        QVERIFY(goneTraces > 50 && kept.size() > spans.size() / 4);

        std::size_t deleted = 0;
        int calls = 0;
        for (;;) {
            const std::size_t n = db.deleteTracesBefore(cutoff, 37);
            QVERIFY(n <= 37);
            deleted += n;
            ++calls;
            if (n == 0)
                break;
        }
        QCOMPARE(deleted, goneTraces);
        QVERIFY(calls > 2);
        QCOMPARE(db.spanCount(), static_cast<std::int64_t>(kept.size()));
        QCOMPARE(db.deleteTracesBefore(cutoff, 1000), std::size_t(0));
        for (const auto &q : queries()) {
            checkAgainstBruteForce(q, db.metrics(q), kept);
            if (QTest::currentTestFailed())
                return;
        }
        store::TraceQuery tq;
        tq.limit = 1000;
        const auto page = db.listTraces(tq);
        QCOMPARE(page.traces.size(), traceStart.size() - goneTraces);
        for (const auto &t : page.traces)
            QVERIFY(t.start_ns >= cutoff);
        // Writes after retention join what is left.
        auto more = generate(42, 40, 4);
        writeShuffled(db, more, 5);
        auto all = kept;
        all.insert(all.end(), more.begin(), more.end());
        checkAgainstBruteForce(queries()[1], db.metrics(queries()[1]), all);
    }
};

#ifdef AGENTOPS_TEST_POSTGRES
// The postgresmetrics unit's main (tst_postgresmetrics.cpp) runs this suite.
int runMetricsSuite(int argc, char **argv)
{
    TestMetrics suite;
    return QTest::qExec(&suite, argc, argv);
}
#else
QTEST_GUILESS_MAIN(TestMetrics)
#endif
#include "tst_metrics.moc"
