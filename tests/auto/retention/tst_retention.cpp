// SPDX-License-Identifier: MIT
#include "core/pricing.h"
#include "ingest/tracefile.h"
#include "store/ingestpipeline.h"
#include "store/retentionjob.h"
#include "store/sqlitestore.h"
#include "store/storagesize.h"
#include "support/common.h"

#include <QDir>
#include <QtTest>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <thread>

using namespace agentops;
using core::Span;
using store::SqliteStore;

namespace {

using agentops::test::kMs;
constexpr std::int64_t kSec = 1000 * kMs;
constexpr std::int64_t kMinute = 60 * kSec;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kBase = 1'764'000'000'000'000'000 - 1'764'000'000'000'000'000 % kDay; // a midnight

core::TraceId traceId(int n, std::uint8_t tag = 0xB0)
{
    core::TraceId id {};
    id[0] = tag;
    id[13] = static_cast<std::uint8_t>(n >> 16);
    id[14] = static_cast<std::uint8_t>(n >> 8);
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

core::SpanId spanId(int trace, int n)
{
    core::SpanId id {};
    id[0] = 0x5A;
    id[3] = static_cast<std::uint8_t>(trace >> 16);
    id[4] = static_cast<std::uint8_t>(trace >> 8);
    id[5] = static_cast<std::uint8_t>(trace);
    id[7] = static_cast<std::uint8_t>(n + 1);
    return id;
}

/// A long prompt every LLM span shares (so the same payload text is stored by kept and deleted spans).
const std::string kSharedPrompt = "You are a careful travel planner. Answer briefly, cite the booking reference, and "
                                  "never invent prices that the tools did not return.";

struct Generated
{
    std::vector<std::vector<Span>> batches; ///< in write order
    std::map<core::TraceId, std::int64_t> traceStart;
    std::int64_t cutoff = 0;
};

/// Traces over five days: agent roots with LLM, tool and retriever children, three models (one
/// without a price), errors with a few messages, two services, sessions that span days, payloads
/// repeated in attributes (stored once), a few long traces whose spans reach past the cutoff, and a
/// cluster of traces around the cutoff whose errors share minute buckets with deleted ones.
Generated generate(std::int64_t base, std::uint8_t tag, int traces)
{
    Generated g;
    std::mt19937 rng(42 + tag);
    std::vector<Span> all;
    const std::int64_t cutoff = base + 3 * kDay + 20 * kSec; // 20 s into a minute
    g.cutoff = cutoff;
    const char *models[] = { "gpt-4o", "claude-sonnet-4", "local-llama" };
    const char *messages[] = { "upstream timeout", "rate limited", "tool crashed" };
    const char *services[] = { "planner", "booking" };
    int nsCounter = 0; // keeps every span start distinct, so the latest error of a bucket is unique
    auto addTrace = [&](int t, std::int64_t start, bool longTrace) {
        const int children = 2 + static_cast<int>(rng() % 6);
        const std::string service = services[t % 2];
        const std::string session = (t % 3 == 0) ? "sess-" + std::to_string(t % 17) : std::string();
        const std::string marker = "payload of trace " + std::to_string(t) + " ";
        Span root;
        root.trace_id = traceId(t, tag);
        root.span_id = spanId(t, 0);
        root.name = "invoke_agent planner";
        root.kind = core::SpanKind::Agent;
        root.start_ns = start + nsCounter++;
        root.end_ns = start + (longTrace ? 3 * kHour : 40 * kSec);
        root.service_name = service;
        root.agent_name = t % 4 == 0 ? "planner" : "";
        root.session_id = session;
        root.user_id = session.empty() ? "" : "user-" + std::to_string(t % 5);
        root.resource = { { "service.name", core::AttrValue::ofString(service) },
            { "host.name", core::AttrValue::ofString("host-" + std::to_string(t % 3)) } };
        all.push_back(root);
        for (int c = 1; c <= children; ++c) {
            Span s = root;
            s.span_id = spanId(t, c);
            s.parent_span_id = root.span_id;
            s.agent_name = root.agent_name;
            const std::int64_t offset
                = longTrace && c == children ? 2 * kHour + 30 * kMinute : std::int64_t { c } * 3 * kSec;
            s.start_ns = start + offset + nsCounter++;
            s.end_ns = s.start_ns + (100 + static_cast<std::int64_t>(rng() % 5000)) * kMs;
            const int k = (t + c) % 4;
            if (k == 0 || k == 1) {
                const std::string model = models[(t + c) % 3];
                s.kind = core::SpanKind::Llm;
                s.name = "chat " + model;
                s.request_model = model;
                if (c % 2)
                    s.response_model = model + "-2025";
                s.tokens.input = 100 + static_cast<std::int64_t>(rng() % 2000);
                s.tokens.output = 10 + static_cast<std::int64_t>(rng() % 300);
                s.tokens.total = *s.tokens.input + *s.tokens.output;
                if (c % 3 == 0)
                    s.tokens.cache_read = 64;
                if (c % 5 == 0)
                    s.tokens.reasoning = 7;
                if (model != std::string("local-llama"))
                    s.cost_usd
                        = static_cast<double>(*s.tokens.input) * 2.5e-6 + static_cast<double>(*s.tokens.output) * 1e-5;
                s.input = (kSharedPrompt + " ").append(marker).append("question ").append(std::to_string(c));
                s.output = marker + "answer " + std::to_string(c) + " with enough words to be worth storing once";
                s.attributes = { { "gen_ai.request.model", core::AttrValue::ofString(model) },
                    { "input.value", core::AttrValue::ofString(s.input) },
                    { "output.value", core::AttrValue::ofString(s.output) },
                    { "temperature", core::AttrValue::ofDouble(0.25) } };
            } else if (k == 2) {
                s.kind = core::SpanKind::Tool;
                s.name = "execute_tool get_weather";
                s.input = "{\"city\":\"Paris\"}";
                s.attributes = { { "tool.name", core::AttrValue::ofString("get_weather") } };
            } else {
                s.kind = core::SpanKind::Retriever;
                s.name = "retrieve";
            }
            if ((t + c) % 5 == 0) {
                s.status = core::StatusCode::Error;
                s.status_message = messages[(t * 7 + c) % 3];
            } else {
                s.status = core::StatusCode::Ok;
            }
            all.push_back(s);
        }
    };
    int t = 0;
    for (; t < traces; ++t) {
        std::int64_t start
            = base + static_cast<std::int64_t>(t) * (5 * kDay / traces) + static_cast<std::int64_t>(rng() % 1000) * kMs;
        addTrace(t, start, t % 23 == 5 || t == 177); // 177 starts before the cutoff and ends after it
    }
    // Around the cutoff: traces starting every 2 s from 20 s before it to 20 s after, with errors
    // of the same name and message in the same minute on both sides.
    for (int i = 0; i < 20; ++i, ++t) {
        const std::int64_t start = cutoff - 20 * kSec + std::int64_t { i } * 2 * kSec + 1;
        Span root;
        root.trace_id = traceId(t, tag);
        root.span_id = spanId(t, 0);
        root.name = "invoke_agent burst";
        root.kind = core::SpanKind::Agent;
        root.start_ns = start;
        root.end_ns = start + kMinute;
        root.service_name = "planner";
        root.resource = { { "service.name", core::AttrValue::ofString("planner") } };
        all.push_back(root);
        Span err = root;
        err.span_id = spanId(t, 1);
        err.parent_span_id = root.span_id;
        err.name = "execute_tool book";
        err.kind = core::SpanKind::Tool;
        // Deleted traces (before the cutoff) fail later than the kept ones, in the same minute.
        err.start_ns = start < cutoff ? cutoff + 35 * kSec - i * kMs : start + 500 * kMs;
        err.end_ns = err.start_ns + 200 * kMs;
        err.status = core::StatusCode::Error;
        err.status_message = "upstream timeout";
        all.push_back(err);
        // And a priced LLM call in the same minute on both sides, of a different length each.
        Span llm = root;
        llm.span_id = spanId(t, 2);
        llm.parent_span_id = root.span_id;
        llm.name = "chat gpt-4o";
        llm.kind = core::SpanKind::Llm;
        llm.request_model = "gpt-4o";
        llm.start_ns = start + kSec;
        llm.end_ns = llm.start_ns + std::int64_t { i + 1 } * 100 * kMs;
        llm.tokens.input = 1000 + i;
        llm.tokens.output = 50 + i;
        llm.cost_usd = 0.001 * (i + 1) + 0.0003;
        llm.status = core::StatusCode::Ok;
        all.push_back(llm);
    }
    // Write order: shuffled a little, so traces arrive over several batches and out of order.
    std::vector<std::size_t> order(all.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    for (std::size_t i = 0; i + 1 < order.size(); i += 2)
        if (rng() % 3 == 0)
            std::swap(order[i], order[i + 1]);
    std::vector<Span> batch;
    for (const std::size_t i : order) {
        batch.push_back(all[i]);
        if (batch.size() == 97) {
            g.batches.push_back(std::move(batch));
            batch.clear();
        }
    }
    if (!batch.empty())
        g.batches.push_back(std::move(batch));
    for (const Span &s : all) {
        auto it = g.traceStart.find(s.trace_id);
        if (it == g.traceStart.end())
            g.traceStart.emplace(s.trace_id, s.start_ns);
        else
            it->second = std::min(it->second, s.start_ns);
    }
    return g;
}

void writeAll(store::TraceStore &store, const Generated &g, const std::function<bool(const Span &)> &keep)
{
    for (const auto &b : g.batches) {
        std::vector<Span> spans;
        for (const Span &s : b)
            if (keep(s))
                spans.push_back(s);
        if (!spans.empty())
            store.writeBatch(std::move(spans));
    }
}

bool closeEnough(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

QString hexOf(const core::TraceId &id)
{
    return QString::fromStdString(core::toHex(id));
}

/// Compares two summaries field by field; the first difference as text, or empty.
QString diffSummary(const core::TraceSummary &a, const core::TraceSummary &b)
{
    auto d = [&](const char *field) -> QString {
        return hexOf(a.trace_id) + QStringLiteral(": ") + QString::fromLatin1(field);
    };
    if (a.trace_id != b.trace_id)
        return d("trace_id");
    if (a.root_span_id != b.root_span_id || a.name != b.name || a.service_name != b.service_name)
        return d("root/name/service");
    if (a.start_ns != b.start_ns || a.end_ns != b.end_ns)
        return d("times");
    if (a.span_count != b.span_count || a.error_count != b.error_count)
        return d("counts");
    if (a.input_tokens != b.input_tokens || a.output_tokens != b.output_tokens || a.total_tokens != b.total_tokens
        || a.cache_read_tokens != b.cache_read_tokens || a.cache_write_tokens != b.cache_write_tokens
        || a.reasoning_tokens != b.reasoning_tokens)
        return d("tokens");
    if (!closeEnough(a.cost_usd, b.cost_usd) || a.unpriced_spans != b.unpriced_spans)
        return d("cost");
    if (a.models != b.models || a.session_id != b.session_id || a.user_id != b.user_id)
        return d("models/session/user");
    return {};
}

QString diffBucket(const store::MetricsBucket &a, const store::MetricsBucket &b)
{
    const QString where = QStringLiteral("bucket %1 group %2: ").arg(a.start_ns).arg(QString::fromStdString(a.group));
    if (a.start_ns != b.start_ns || a.group != b.group)
        return where + QStringLiteral("start/group");
    if (a.traces != b.traces || a.spans != b.spans || a.error_spans != b.error_spans
        || a.error_traces != b.error_traces)
        return where
            + QStringLiteral("counts %1/%2 %3/%4 %5/%6 %7/%8")
                  .arg(a.traces)
                  .arg(b.traces)
                  .arg(a.spans)
                  .arg(b.spans)
                  .arg(a.error_spans)
                  .arg(b.error_spans)
                  .arg(a.error_traces)
                  .arg(b.error_traces);
    if (a.input_tokens != b.input_tokens || a.output_tokens != b.output_tokens
        || a.cache_read_tokens != b.cache_read_tokens || a.cache_write_tokens != b.cache_write_tokens
        || a.reasoning_tokens != b.reasoning_tokens)
        return where + QStringLiteral("tokens");
    if (!closeEnough(a.cost_usd, b.cost_usd) || a.unpriced_spans != b.unpriced_spans)
        return where + QStringLiteral("cost %1/%2").arg(a.cost_usd).arg(b.cost_usd);
    if (a.trace_p50_ns != b.trace_p50_ns || a.trace_p95_ns != b.trace_p95_ns || a.trace_p99_ns != b.trace_p99_ns)
        return where + QStringLiteral("trace latency");
    if (a.llm_p50_ns != b.llm_p50_ns || a.llm_p95_ns != b.llm_p95_ns || a.llm_p99_ns != b.llm_p99_ns)
        return where + QStringLiteral("llm latency");
    return {};
}

QString diffMetrics(const store::MetricsResult &a, const store::MetricsResult &b)
{
    if (a.from_ns != b.from_ns || a.to_ns != b.to_ns || a.bucket_ns != b.bucket_ns)
        return QStringLiteral("range");
    if (a.buckets.size() != b.buckets.size())
        return QStringLiteral("bucket count %1 vs %2").arg(a.buckets.size()).arg(b.buckets.size());
    for (std::size_t i = 0; i < a.buckets.size(); ++i)
        if (auto d = diffBucket(a.buckets[i], b.buckets[i]); !d.isEmpty())
            return d;
    if (auto d = diffBucket(a.totals, b.totals); !d.isEmpty())
        return QStringLiteral("totals: ") + d;
    for (const auto &[x, y] : { std::pair { &a.slowest_traces, &b.slowest_traces },
             std::pair { &a.costliest_traces, &b.costliest_traces } }) {
        if (x->size() != y->size())
            return QStringLiteral("top list size");
        for (std::size_t i = 0; i < x->size(); ++i)
            if (auto d = diffSummary((*x)[i], (*y)[i]); !d.isEmpty())
                return QStringLiteral("top list: ") + d;
    }
    if (a.top_errors.size() != b.top_errors.size())
        return QStringLiteral("error groups %1 vs %2").arg(a.top_errors.size()).arg(b.top_errors.size());
    for (std::size_t i = 0; i < a.top_errors.size(); ++i) {
        const auto &x = a.top_errors[i];
        const auto &y = b.top_errors[i];
        if (x.span_name != y.span_name || x.message != y.message || x.count != y.count
            || x.last_seen_ns != y.last_seen_ns || x.example_trace != y.example_trace)
            return QStringLiteral("error group %1 (%2: %3 count %4/%5 last %6/%7)")
                .arg(i)
                .arg(QString::fromStdString(x.span_name), QString::fromStdString(x.message))
                .arg(x.count)
                .arg(y.count)
                .arg(x.last_seen_ns)
                .arg(y.last_seen_ns);
    }
    return {};
}

std::vector<core::TraceSummary> allTraces(store::TraceStore &s)
{
    std::vector<core::TraceSummary> out;
    store::TraceQuery q;
    q.limit = 1000;
    q.descending = false;
    for (;;) {
        auto page = s.listTraces(q);
        out.insert(out.end(), page.traces.begin(), page.traces.end());
        if (page.next_cursor.empty())
            return out;
        q.cursor = page.next_cursor;
    }
}

std::vector<store::SessionSummary> allSessions(store::TraceStore &s)
{
    std::vector<store::SessionSummary> out;
    store::SessionQuery q;
    q.limit = 1000;
    for (;;) {
        auto page = s.listSessions(q);
        out.insert(out.end(), page.sessions.begin(), page.sessions.end());
        if (page.next_cursor.empty())
            return out;
        q.cursor = page.next_cursor;
    }
}

/// Rows of a query on a database file, each row's columns joined as text (REAL columns rounded so
/// sums that differ in the last bits compare equal), for comparing tables between two stores.
QStringList rows(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *st = nullptr;
    QStringList out;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
        out << QStringLiteral("prepare failed: ") + QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        QStringList cols;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            switch (sqlite3_column_type(st, c)) {
            case SQLITE_FLOAT: cols << QString::number(sqlite3_column_double(st, c), 'g', 10); break;
            case SQLITE_BLOB:
                cols << QString::fromLatin1(
                    QByteArray(static_cast<const char *>(sqlite3_column_blob(st, c)), sqlite3_column_bytes(st, c))
                        .toHex());
                break;
            case SQLITE_NULL: cols << QStringLiteral("NULL"); break;
            default: cols << QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, c)));
            }
        }
        out << cols.join(QLatin1Char('|'));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

std::int64_t scalar(const std::string &path, const std::string &sql)
{
    const QStringList r = rows(path, sql.c_str());
    return r.isEmpty() ? -1 : r.first().toLongLong();
}

/// The captured framework traces (tests/fixtures/frameworks), as the receiver got them, and the time
/// they cover: copies of them shifted by more than that are newer than every trace of the copy before.
struct Fixtures
{
    std::vector<std::vector<Span>> batches;
    std::int64_t covers_ns = 0;
};

Fixtures readFixtures()
{
    Fixtures f;
    std::int64_t first = INT64_MAX, last = INT64_MIN;
    for (const char *scenario : { "adk-js", "adk-js-retry", "openai-openinference", "openai-openllmetry", "vercel-ai",
             "vercel-ai-openinference", "vercel-ai-reworded" }) {
        const std::string path = std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json";
        const auto r = ingest::readTraceFile(path, [&](std::vector<Span> &&batch) -> std::string {
            for (const Span &s : batch) {
                first = std::min(first, s.start_ns);
                last = std::max(last, s.end_ns);
            }
            f.batches.push_back(std::move(batch));
            return {};
        });
        if (!r.ok())
            qFatal("%s: %s", path.c_str(), r.error.c_str());
    }
    f.covers_ns = last - first + kHour;
    return f;
}

/// Copy k of the fixtures: trace ids of its own (the first two bytes), every time k copies later.
std::vector<std::vector<Span>> fixtureCopy(const Fixtures &f, int k)
{
    std::vector<std::vector<Span>> out = f.batches;
    for (auto &batch : out)
        for (Span &s : batch) {
            s.trace_id[0] = static_cast<std::uint8_t>((k + 1) >> 8);
            s.trace_id[1] = static_cast<std::uint8_t>(k + 1);
            s.start_ns += k * f.covers_ns;
            s.end_ns += k * f.covers_ns;
            for (auto &e : s.events)
                e.time_ns += k * f.covers_ns;
        }
    return out;
}

/// The trace id of copy 0 that a copy's trace was made from.
core::TraceId originalOf(core::TraceId id)
{
    id[0] = 0;
    id[1] = 1;
    return id;
}

/// Stores copies [from, to) as the receiver would: priced with the shipped table, through the
/// ingest pipeline; `keep` chooses the traces.
void storeCopies(store::TraceStore &st, const Fixtures &f, int from, int to,
    const std::function<bool(const core::TraceId &)> &keep = {})
{
    store::IngestPipeline pipeline(st);
    pipeline.setPriceTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
    for (int k = from; k < to; ++k)
        for (auto &batch : fixtureCopy(f, k)) {
            if (keep)
                std::erase_if(batch, [&](const Span &s) { return !keep(s.trace_id); });
            if (batch.empty())
                continue;
            const auto r = pipeline.submit(std::move(batch));
            if (r.outcome != store::IngestPipeline::Outcome::Committed)
                qFatal("not committed: %s", r.error.c_str());
        }
    pipeline.stop();
}

/// A store whose logs stay as small, next to its data, as a big store's do: checkpoints every 256
/// pages, started over from 1,024 (a store of gigabytes keeps up to 64 MiB of log by default).
SqliteStore::Options smallLogs()
{
    SqliteStore::Options o;
    o.checkpoint.threshold_frames = 256;
    o.checkpoint.restart_frames = 1024;
    return o;
}

/// One run of a retention job with this target, to its end.
store::RetentionJob::Stats runRetention(const store::RetentionTarget &target)
{
    store::RetentionJob::Options options;
    options.pause = std::chrono::milliseconds(0);
    store::RetentionJob job([target] { return std::vector<store::RetentionTarget> { target }; }, options);
    job.start();
    while (job.stats().runs == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    job.stop();
    return job.stats();
}

} // namespace

class TestRetention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deletesOldTracesExactly();
    void refusesOldSchema();
    void jobRunsBesideIngest();
    void jobStopsPromptlyAndReportsErrors();
    void sizeLimitKeepsNewestTracesWhole();
    void sizeLimitHoldsUnderSustainedIngest();
    void sizeLimitCountsTheSearchIndex();
    void sizeLimitOnStoreThatCannotTell();
    void parsesSizesAndThresholds();
};

void TestRetention::deletesOldTracesExactly()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("traces.db")).toStdString();
    const std::string freshPath = dir.filePath(QStringLiteral("fresh.db")).toStdString();
    const Generated g = generate(kBase, 0xB0, 300);
    const std::int64_t cutoff = g.cutoff;
    auto kept = [&](const Span &s) { return g.traceStart.at(s.trace_id) >= cutoff; };
    std::set<core::TraceId> keptIds, goneIds;
    for (const auto &[id, start] : g.traceStart)
        (start >= cutoff ? keptIds : goneIds).insert(id);
    QVERIFY(keptIds.size() > 50);
    QVERIFY(goneIds.size() > 100);

    SqliteStore st(path);
    writeAll(st, g, [](const Span &) { return true; });
    SqliteStore fresh(freshPath);
    writeAll(fresh, g, kept);
    // Precondition, so the comparison below can fail: before retention the stores differ.
    QVERIFY(allTraces(st).size() == keptIds.size() + goneIds.size());
    // The long traces and the burst put deleted spans into buckets that kept spans share, and one
    // error row's latest error is a deleted one.
    QVERIFY(
        scalar(path, "SELECT count(*) FROM error_rollup WHERE res = 60 AND name = 'execute_tool book' AND count > 10")
        == 1);

    // ... and span rollup rows mix deleted and kept spans (the burst's LLM calls).
    QVERIFY(scalar(path,
                "SELECT spans FROM span_rollup WHERE res = 60 AND kind = 2 AND model = 'gpt-4o' AND t = "
                    + std::to_string(cutoff - 20 * kSec))
        == 20);
    std::size_t total = 0;
    int calls = 0;
    for (;;) {
        const std::size_t n = st.deleteTracesBefore(cutoff, 7);
        ++calls;
        QVERIFY(n <= 7);
        if (n == 0)
            break;
        total += n;
        QVERIFY2(calls < 1000, "deleteTracesBefore never returned 0");
    }
    QCOMPARE(total, goneIds.size());
    qInfo("deleted %zu traces in %d calls of at most 7", total, calls - 1);

    auto check = [&]() {
        // Listing and sessions: exactly the kept traces, with the same summaries as the fresh store's.
        const auto a = allTraces(st);
        const auto b = allTraces(fresh);
        QCOMPARE(a.size(), keptIds.size());
        QCOMPARE(a.size(), b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            QVERIFY(keptIds.count(a[i].trace_id));
            const QString d = diffSummary(a[i], b[i]);
            QVERIFY2(d.isEmpty(), qPrintable(d));
        }
        const auto sa = allSessions(st);
        const auto sb = allSessions(fresh);
        QCOMPARE(sa.size(), sb.size());
        for (std::size_t i = 0; i < sa.size(); ++i) {
            QCOMPARE(sa[i].session_id, sb[i].session_id);
            QCOMPARE(sa[i].user_id, sb[i].user_id);
            QCOMPARE(sa[i].first_start_ns, sb[i].first_start_ns);
            QCOMPARE(sa[i].last_end_ns, sb[i].last_end_ns);
            QCOMPARE(sa[i].trace_count, sb[i].trace_count);
            QCOMPARE(sa[i].span_count, sb[i].span_count);
            QCOMPARE(sa[i].error_count, sb[i].error_count);
            QCOMPARE(sa[i].total_tokens, sb[i].total_tokens);
            QVERIFY(closeEnough(sa[i].cost_usd, sb[i].cost_usd));
            const auto ta = st.sessionTraces(sa[i].session_id);
            for (const auto &t : ta)
                QVERIFY(keptIds.count(t.trace_id));
            QCOMPARE(ta.size(), fresh.sessionTraces(sa[i].session_id).size());
        }
        // Every kept trace whole (spans with payloads, attributes put back from payload_refs,
        // resources), every deleted one gone.
        for (const auto &id : keptIds) {
            const auto x = st.trace(id);
            const auto y = fresh.trace(id);
            QVERIFY(x && y);
            QVERIFY(x->spans == y->spans);
            QVERIFY(x->depth == y->depth);
            QVERIFY(x->orphan == y->orphan);
        }
        for (const auto &id : goneIds) {
            QVERIFY(!st.trace(id));
            QVERIFY(!st.span(id, spanId(static_cast<int>(id[13]) << 16 | id[14] << 8 | id[15], 0)));
        }
        // Dashboard: every field of every bucket, by every grouping, on hour rows over the whole
        // range and on minute rows over the day around the cutoff.
        const store::MetricsGroupBy groupings[] = { store::MetricsGroupBy::None, store::MetricsGroupBy::Model,
            store::MetricsGroupBy::Service, store::MetricsGroupBy::SpanKind, store::MetricsGroupBy::AgentName };
        for (const auto gb : groupings) {
            store::MetricsQuery q;
            q.from_ns = kBase - kDay;
            q.to_ns = kBase + 7 * kDay;
            q.bucket_ns = kHour;
            q.group_by = gb;
            q.top_n = 100;
            QString d = diffMetrics(st.metrics(q), fresh.metrics(q));
            QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("hourly: ") + d));
            q.from_ns = cutoff - 12 * kHour;
            q.to_ns = cutoff + 12 * kHour;
            q.bucket_ns = kMinute;
            d = diffMetrics(st.metrics(q), fresh.metrics(q));
            QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("by minute: ") + d));
            q.service = "planner";
            q.model = "gpt-4o";
            q.bucket_ns = 0;
            d = diffMetrics(st.metrics(q), fresh.metrics(q));
            QVERIFY2(d.isEmpty(), qPrintable(QStringLiteral("filtered: ") + d));
        }
        // The aggregate tables row by row (costs to 10 significant digits).
        QCOMPARE(rows(path, "SELECT * FROM span_rollup ORDER BY res, t, kind, model, service, agent"),
            rows(freshPath, "SELECT * FROM span_rollup ORDER BY res, t, kind, model, service, agent"));
        QCOMPARE(rows(path, "SELECT * FROM error_rollup ORDER BY res, t, name, message, service, model"),
            rows(freshPath, "SELECT * FROM error_rollup ORDER BY res, t, name, message, service, model"));
        const char *models
            = "SELECT m.model, hex(t.trace_id) FROM trace_models m JOIN traces t ON t.id = m.trace_rowid "
              "ORDER BY 1, 2";
        QCOMPARE(rows(path, models), rows(freshPath, models));
        QCOMPARE(scalar(path, "SELECT count(*) FROM trace_models WHERE trace_rowid NOT IN (SELECT id FROM traces)"), 0);
        QCOMPARE(scalar(path, "SELECT count(*) FROM spans WHERE trace_id NOT IN (SELECT trace_id FROM traces)"), 0);
        QCOMPARE(st.spanCount(), fresh.spanCount());
        // Payloads: those of deleted spans are gone, the prompt the kept spans share stays.
        for (const auto &id : goneIds) {
            const int n = id[13] << 16 | id[14] << 8 | id[15];
            const std::string marker = "payload of trace " + std::to_string(n) + " ";
            std::string sql = "SELECT count(*) FROM spans WHERE instr(input, '";
            sql.append(marker).append("') OR instr(output, '").append(marker);
            sql.append("') OR instr(attributes, '").append(marker).append("')");
            QCOMPARE(scalar(path, sql), 0);
        }
        QVERIFY(scalar(path, "SELECT count(*) FROM spans WHERE instr(input, '" + kSharedPrompt + "')") > 20);
        QCOMPARE(rows(path, "PRAGMA integrity_check"), QStringList { QStringLiteral("ok") });
    };
    check();
    if (QTest::currentTestFailed())
        return;
    // Idempotent: nothing more to delete, nothing changes.
    QCOMPARE(st.deleteTracesBefore(cutoff, 7), std::size_t(0));
    QCOMPARE(st.deleteTracesBefore(cutoff, 1000), std::size_t(0));
    check();
    // A later cutoff takes the rest, leaving empty aggregates.
    while (st.deleteTracesBefore(kBase + 30 * kDay, 50) > 0) { }
    QCOMPARE(st.spanCount(), std::int64_t(0));
    QCOMPARE(scalar(path, "SELECT count(*) FROM span_rollup"), 0);
    QCOMPARE(scalar(path, "SELECT count(*) FROM error_rollup"), 0);
    QCOMPARE(scalar(path, "SELECT count(*) FROM trace_models"), 0);
    QCOMPARE(scalar(path, "SELECT count(*) FROM traces"), 0);
    QCOMPARE(st.deleteTracesBefore(kBase + 30 * kDay, 0), std::size_t(0));
}

void TestRetention::refusesOldSchema()
{
    QTemporaryDir dir;
    SqliteStore::Options o;
    o.target_version = 1;
    SqliteStore old(dir.filePath(QStringLiteral("old.db")).toStdString(), o);
    QVERIFY_THROWS_EXCEPTION(store::StoreError, old.deleteTracesBefore(kBase, 10));
}

void TestRetention::jobRunsBesideIngest()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("traces.db")).toStdString();
    SqliteStore st(path);
    const std::int64_t now
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    // Old traffic: 3,000 traces 2 to 7 days old.
    const Generated old = generate(now - 7 * kDay, 0xC0, 3000);
    writeAll(st, old, [&](const Span &s) { return old.traceStart.at(s.trace_id) < now - 2 * kDay; });
    std::size_t oldTraces = 0;
    for (const auto &[id, start] : old.traceStart)
        oldTraces += start < now - 2 * kDay;
    QCOMPARE(allTraces(st).size(), oldTraces);

    std::atomic<bool> done { false };
    std::atomic<int> written { 0 };
    std::vector<double> batchMs;
    std::thread writer([&] {
        int t = 0;
        while (!done.load()) {
            std::vector<Span> batch;
            for (int k = 0; k < 10; ++k, ++t) {
                for (int c = 0; c < 20; ++c) {
                    Span s;
                    s.trace_id = traceId(t, 0xD0);
                    s.span_id = spanId(t, c);
                    if (c > 0)
                        s.parent_span_id = spanId(t, 0);
                    s.name = c == 0 ? "invoke_agent live" : "chat gpt-4o";
                    s.kind = c == 0 ? core::SpanKind::Agent : core::SpanKind::Llm;
                    s.start_ns = now + t * kMs + c;
                    s.end_ns = s.start_ns + 50 * kMs;
                    s.service_name = "live";
                    s.request_model = c == 0 ? "" : "gpt-4o";
                    s.tokens.input = 100;
                    s.tokens.output = 10;
                    s.input = kSharedPrompt;
                    batch.push_back(std::move(s));
                }
            }
            const auto t0 = std::chrono::steady_clock::now();
            st.writeBatch(std::move(batch));
            batchMs.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            written.fetch_add(10);
        }
    });

    store::RetentionJob::Options opts;
    opts.batch = 50;
    opts.pause = std::chrono::milliseconds(5);
    store::RetentionJob job([&] { return std::vector<store::RetentionTarget> { { "project 1", &st, 1 } }; }, opts);
    const auto started = std::chrono::steady_clock::now();
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.stats().runs >= 1, 120000);
    const double runSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Ingest went on while the job ran.
    const int writtenDuringRun = written.load();
    QTRY_VERIFY_WITH_TIMEOUT(written.load() > writtenDuringRun + 50, 30000);
    done = true;
    writer.join();

    const auto stats = job.stats();
    QCOMPARE(stats.deleted_traces, static_cast<std::uint64_t>(oldTraces));
    QVERIFY2(stats.last_error.empty(), stats.last_error.c_str());
    QVERIFY(stats.last_run_unix_ns >= now);
    const auto t0 = std::chrono::steady_clock::now();
    job.stop();
    const double stopMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    QVERIFY2(stopMs < 2000, qPrintable(QStringLiteral("stop took %1 ms").arg(stopMs)));

    // Everything old is gone, everything written live is there.
    store::TraceQuery q;
    q.to_ns = now - kDay;
    QVERIFY(st.listTraces(q).traces.empty());
    QCOMPARE(allTraces(st).size(), static_cast<std::size_t>(written.load()));
    QCOMPARE(st.spanCount(), std::int64_t(written.load()) * 20);
    QCOMPARE(rows(path, "PRAGMA integrity_check"), QStringList { QStringLiteral("ok") });

    std::vector<double> sorted = batchMs;
    std::sort(sorted.begin(), sorted.end());
    QVERIFY(!sorted.empty());
    qInfo("retention deleted %llu traces in %.2f s while %d traces (%zu write batches of 200 spans) were written; "
          "write batch ms: median %.1f, p99 %.1f, max %.1f; stop() %.1f ms",
        static_cast<unsigned long long>(stats.deleted_traces), runSeconds, written.load(), sorted.size(),
        sorted[sorted.size() / 2], sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)], sorted.back(),
        stopMs);
}

void TestRetention::jobStopsPromptlyAndReportsErrors()
{
    QTemporaryDir dir;
    SqliteStore st(dir.filePath(QStringLiteral("a.db")).toStdString());
    SqliteStore::Options o;
    o.target_version = 1;
    SqliteStore old(dir.filePath(QStringLiteral("old.db")).toStdString(), o);
    const Generated g = generate(kBase, 0xE0, 400);
    writeAll(st, g, [](const Span &) { return true; });
    const std::size_t traces = allTraces(st).size();

    // A failing store is reported and does not keep the others from being enforced; a long pause
    // between batches of one trace is cut short by stop().
    store::RetentionJob::Options opts;
    opts.batch = 1;
    opts.pause = std::chrono::seconds(30);
    opts.now = [] { return store::RetentionJob::Clock::time_point(std::chrono::nanoseconds(kBase + 40 * kDay)); };
    store::RetentionJob job(
        [&] {
            return std::vector<store::RetentionTarget> { { "project old", &old, 5 }, { "project forever", &st, 0 },
                { "project a", &st, 30 } };
        },
        opts);
    job.start();
    QTRY_VERIFY_WITH_TIMEOUT(job.stats().deleted_traces >= 1, 10000);
    const auto t0 = std::chrono::steady_clock::now();
    job.stop();
    const double stopMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    QVERIFY2(stopMs < 2000, qPrintable(QStringLiteral("stop took %1 ms").arg(stopMs)));
    qInfo("stop() during a 30 s pause returned after %.1f ms", stopMs);
    QCOMPARE(job.stats().deleted_traces, std::uint64_t(1));
    QCOMPARE(allTraces(st).size(), traces - 1);
    QCOMPARE(job.stats().runs, std::uint64_t(0)); // stopped inside its first run

    // Second job: runs to the end, records the error of the old store, trigger() runs it again.
    opts.pause = std::chrono::milliseconds(0);
    opts.batch = 100;
    std::atomic<int> asked { 0 };
    store::RetentionJob again(
        [&] {
            ++asked;
            return std::vector<store::RetentionTarget> { { "project old", &old, 5 }, { "project a", &st, 30 } };
        },
        opts);
    again.start();
    QTRY_VERIFY_WITH_TIMEOUT(again.stats().runs >= 1, 30000);
    auto s = again.stats();
    QCOMPARE(s.deleted_traces, static_cast<std::uint64_t>(traces - 1));
    QCOMPARE(s.errors, std::uint64_t(1));
    QVERIFY2(QString::fromStdString(s.last_error).startsWith(QStringLiteral("project old: ")), s.last_error.c_str());
    QVERIFY(allTraces(st).empty());
    again.trigger();
    QTRY_VERIFY_WITH_TIMEOUT(again.stats().runs >= 2, 10000);
    QVERIFY(asked.load() >= 2);
    again.stop();

    store::RetentionJob::Options bad;
    bad.batch = 0;
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument, store::RetentionJob([] { return std::vector<store::RetentionTarget> {}; }, bad));
    bad.batch = 1;
    bad.interval = std::chrono::milliseconds(0);
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument, store::RetentionJob([] { return std::vector<store::RetentionTarget> {}; }, bad));
}

void TestRetention::sizeLimitKeepsNewestTracesWhole()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Fixtures f = readFixtures();
    // One copy: what every trace of the fixtures sums to, as the ingest path stores it (the fixture
    // tests compare these with what the producers reported).
    SqliteStore ref(dir.filePath(QStringLiteral("ref.db")).toStdString());
    storeCopies(ref, f, 0, 1);
    std::map<core::TraceId, core::TraceSummary> original;
    for (const auto &t : allTraces(ref))
        original.emplace(t.trace_id, t);
    QVERIFY(original.size() >= 10);

    constexpr int kCopies = 40;
    const std::string path = dir.filePath(QStringLiteral("traces.db")).toStdString();
    SqliteStore st(path, smallLogs());
    storeCopies(st, f, 0, kCopies);
    QVERIFY(st.waitForSearchIndex());
    const auto before = st.storeBytes();
    QVERIFY(before && before->data > 0 && before->derived > 0);
    const auto tracesBefore = allTraces(st);
    QCOMPARE(tracesBefore.size(), original.size() * kCopies);

    // Nothing goes while the store is within its limit.
    auto stats = runRetention({ "database", &st, 0, before->counted() + 1 });
    QCOMPARE(stats.deleted_traces, std::uint64_t(0));
    QCOMPARE(stats.errors, std::uint64_t(0));

    const std::uint64_t limit = before->counted() / 2;
    stats = runRetention({ "database", &st, 0, limit });
    QCOMPARE(stats.errors, std::uint64_t(0));
    QVERIFY(stats.deleted_traces_by_size > 0);
    QCOMPARE(stats.deleted_traces, stats.deleted_traces_by_size);
    QVERIFY(st.waitForSearchIndex());
    const auto after = st.storeBytes();
    QVERIFY(after);
    qInfo("before: data %llu + logs %llu + index share %llu (%llu in use) bytes; limit %llu; after: data %llu + "
          "logs %llu + index share %llu (%llu in use); %llu of %zu traces deleted",
        static_cast<unsigned long long>(before->data), static_cast<unsigned long long>(before->wal),
        static_cast<unsigned long long>(before->derived_share), static_cast<unsigned long long>(before->derived),
        static_cast<unsigned long long>(limit), static_cast<unsigned long long>(after->data),
        static_cast<unsigned long long>(after->wal), static_cast<unsigned long long>(after->derived_share),
        static_cast<unsigned long long>(after->derived), static_cast<unsigned long long>(stats.deleted_traces),
        tracesBefore.size());
    QVERIFY2(after->countedWithin(limit) <= limit, "the store is still above its limit");
    // Below the low-water mark, not just under the limit, and not emptied either: about what half
    // the traces took (deleted a few at a time towards the mark, not one big batch).
    // (The job stops at 90 %; the index's share per span grows a little once the indexer has written
    // the deletions' markers, so what is counted afterwards can be a little above the mark.)
    QVERIFY(after->countedWithin(limit) <= static_cast<std::uint64_t>(0.95 * static_cast<double>(limit)));
    QVERIFY(after->countedWithin(limit) > limit / 2);
    QVERIFY(stats.deleted_traces > tracesBefore.size() / 4);
    QVERIFY(stats.deleted_traces < tracesBefore.size() * 3 / 4);

    // The newest traces kept, whole; the oldest gone.
    const auto kept = allTraces(st);
    QCOMPARE(kept.size() + stats.deleted_traces, tracesBefore.size());
    std::set<core::TraceId> keptIds;
    for (const auto &t : kept)
        keptIds.insert(t.trace_id);
    std::int64_t newestGone = INT64_MIN;
    for (const auto &t : tracesBefore)
        if (!keptIds.count(t.trace_id))
            newestGone = std::max(newestGone, t.start_ns);
    store::MetricsBucket sum;
    for (const auto &t : kept) {
        QVERIFY2(t.start_ns >= newestGone, "a trace newer than a kept one was deleted");
        const auto &o = original.at(originalOf(t.trace_id));
        QCOMPARE(t.span_count, o.span_count);
        QCOMPARE(t.error_count, o.error_count);
        QCOMPARE(t.input_tokens, o.input_tokens);
        QCOMPARE(t.output_tokens, o.output_tokens);
        QVERIFY(closeEnough(t.cost_usd, o.cost_usd));
        const auto detail = st.trace(t.trace_id);
        QVERIFY(detail);
        QCOMPARE(static_cast<std::int64_t>(detail->spans.size()), o.span_count);
        sum.traces += 1;
        sum.spans += o.span_count;
        sum.error_spans += o.error_count;
        sum.input_tokens += o.input_tokens;
        sum.output_tokens += o.output_tokens;
        sum.cost_usd += o.cost_usd;
    }
    for (const auto &t : tracesBefore)
        if (!keptIds.count(t.trace_id))
            QVERIFY(!st.trace(t.trace_id));

    // The dashboard: its totals are the remaining traces' sums, and every bucket is what a store that
    // only ever received the remaining traces answers.
    SqliteStore fresh(dir.filePath(QStringLiteral("fresh.db")).toStdString());
    storeCopies(fresh, f, 0, kCopies, [&](const core::TraceId &id) { return keptIds.count(id) > 0; });
    store::MetricsQuery q;
    q.from_ns = tracesBefore.front().start_ns - kDay;
    q.to_ns = tracesBefore.back().start_ns + 2 * kDay;
    q.top_n = 100;
    const auto m = st.metrics(q);
    QCOMPARE(m.totals.traces, sum.traces);
    QCOMPARE(m.totals.spans, sum.spans);
    QCOMPARE(m.totals.error_spans, sum.error_spans);
    QCOMPARE(m.totals.input_tokens, sum.input_tokens);
    QCOMPARE(m.totals.output_tokens, sum.output_tokens);
    QVERIFY(closeEnough(m.totals.cost_usd, sum.cost_usd));
    for (const auto gb :
        { store::MetricsGroupBy::None, store::MetricsGroupBy::Model, store::MetricsGroupBy::Service }) {
        q.group_by = gb;
        const QString d = diffMetrics(st.metrics(q), fresh.metrics(q));
        QVERIFY2(d.isEmpty(), qPrintable(d));
    }
    // Content search finds nothing of a deleted trace: the index was told.
    store::TraceQuery search;
    search.text = "weather";
    search.limit = 1000;
    for (const auto &t : st.listTraces(search).traces)
        QVERIFY(keptIds.count(t.trace_id));
}

void TestRetention::sizeLimitHoldsUnderSustainedIngest()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Fixtures f = readFixtures();
    const std::string path = dir.filePath(QStringLiteral("traces.db")).toStdString();
    SqliteStore st(path, smallLogs());
    // The limit: what 12 copies take.
    storeCopies(st, f, 0, 12);
    QVERIFY(st.waitForSearchIndex());
    const std::uint64_t limit = st.storeBytes()->counted();
    // Then 100 more copies, three at a time, with a retention run after each (as the job's minute
    // look would): the files on disk stop growing once the freed pages are reused.
    std::vector<std::uint64_t> database, search, files;
    int next = 12;
    for (int round = 0; round < 33; ++round, next += 3) {
        storeCopies(st, f, next, next + 3);
        QVERIFY(st.waitForSearchIndex());
        const auto stats = runRetention({ "database", &st, 0, limit });
        QCOMPARE(stats.errors, std::uint64_t(0));
        QVERIFY(st.waitForSearchIndex());
        const auto onDisk = store::sqliteStorageFiles(path);
        database.push_back(onDisk.database);
        search.push_back(onDisk.search);
        files.push_back(onDisk.total());
        QVERIFY2(st.storeBytes()->countedWithin(limit) <= limit, qPrintable(QStringLiteral("round %1").arg(round)));
    }
    auto kib = [](const std::vector<std::uint64_t> &v) {
        QStringList out;
        for (const auto b : v)
            out << QString::number(b / 1024);
        return out.join(QLatin1Char(' '));
    };
    qInfo("limit %llu KiB in use; after each round, database file (KiB): %s; search index file (KiB): %s; all "
          "files (KiB): %s",
        static_cast<unsigned long long>(limit / 1024), qPrintable(kib(database)), qPrintable(kib(search)),
        qPrintable(kib(files)));
    // 33 rounds hold 99 copies, eight times the limit; what is counted stayed within it (above).
    // Freed pages are reused: the database file stays well within twice the limit (it may still
    // grow a little when a rewrite of the index lowers the index's share per span, and the data gets
    // that room), and the index's file stops growing too, once deletions free as much of it as a
    // round fills: in the last six rounds it grows by less than a twentieth of what it grew before
    // them. (While it grows, it grows by about 500 KiB a round, at least every third round; when it
    // stops depends on how the indexer's batches fell: round 18 in one run, round 25 in another.
    // After that an FTS5 merge, which holds the old segments and the new one at once, may still
    // take a few more pages at its peak: 120 KiB once, under ThreadSanitizer's timing.)
    const auto highest = [](const std::vector<std::uint64_t> &v, std::size_t from, std::size_t to) {
        return *std::max_element(
            v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to));
    };
    QVERIFY(highest(database, 0, database.size()) < 2 * limit);
    const std::size_t lastSix = search.size() - 6;
    const std::uint64_t indexBefore = search[lastSix];
    const std::uint64_t indexLast = highest(search, lastSix, search.size());
    QVERIFY(indexBefore > search.front());
    QVERIFY2(indexLast <= indexBefore + (indexBefore - search.front()) / 20,
        qPrintable(QStringLiteral("the search index file grew from %1 to %2 KiB in the last six rounds")
                       .arg(indexBefore / 1024)
                       .arg(indexLast / 1024)));
    // The newest copy is all there.
    std::vector<core::TraceSummary> newest;
    for (const auto &t : allTraces(st))
        if (t.trace_id[1] == static_cast<std::uint8_t>(next) && t.trace_id[0] == static_cast<std::uint8_t>(next >> 8))
            newest.push_back(t);
    QVERIFY(!newest.empty());
}

void TestRetention::sizeLimitCountsTheSearchIndex()
{
    // The limit is what a user sees on disk: the database, its log, the search index and its log.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Fixtures f = readFixtures();
    const std::string path = dir.filePath(QStringLiteral("traces.db")).toStdString();
    SqliteStore st(path, smallLogs());
    storeCopies(st, f, 0, 40);
    QVERIFY(st.waitForSearchIndex());
    const auto tracesBefore = allTraces(st).size();
    const auto onDisk = store::sqliteStorageFiles(path);
    const auto before = st.storeBytes();
    QVERIFY(before && before->derived > 0 && before->derived_dead_rows == 0);
    // Nothing deleted yet: the index's share of the spans is all of it.
    QVERIFY(before->derived_share + 1 >= before->derived && before->derived_share <= before->derived + 1);
    const std::uint64_t limit = onDisk.total() / 2;
    const auto stats = runRetention({ "database", &st, 0, limit });
    QCOMPARE(stats.errors, std::uint64_t(0));
    QVERIFY(st.waitForSearchIndex());
    const auto after = st.storeBytes();
    QVERIFY(after);
    const auto kept = allTraces(st).size();
    qInfo("files %llu KiB (database %llu, log %llu, index %llu, its log %llu); limit %llu KiB; after: data %llu + "
          "logs %llu + index share %llu KiB (%llu in use, %lld live rows, %lld deleted); %zu of %zu traces kept",
        static_cast<unsigned long long>(onDisk.total() / 1024), static_cast<unsigned long long>(onDisk.database / 1024),
        static_cast<unsigned long long>(onDisk.wal / 1024), static_cast<unsigned long long>(onDisk.search / 1024),
        static_cast<unsigned long long>(onDisk.search_wal / 1024), static_cast<unsigned long long>(limit / 1024),
        static_cast<unsigned long long>(after->data / 1024), static_cast<unsigned long long>(after->wal / 1024),
        static_cast<unsigned long long>(after->derived_share / 1024),
        static_cast<unsigned long long>(after->derived / 1024), static_cast<long long>(after->derived_rows),
        static_cast<long long>(after->derived_dead_rows), kept, tracesBefore);
    QVERIFY2(after->countedWithin(limit) <= limit, "above the limit");
    // Not every trace: the index's deleted rows are not counted as if they were still there.
    QVERIFY2(kept > tracesBefore / 4, "too many traces deleted");
    QVERIFY(kept < tracesBefore);
    QVERIFY(after->derived_dead_rows > 0);
    // The estimate is what the index takes once its deleted rows are gone: rewritten, it holds
    // about the share it was counted at.
    QVERIFY(st.compactIndexes());
    const auto compacted = st.storeBytes();
    QVERIFY(compacted);
    QCOMPARE(compacted->derived_dead_rows, std::int64_t(0));
    qInfo("compacted: index %llu KiB in use, estimated %llu KiB before",
        static_cast<unsigned long long>(compacted->derived / 1024),
        static_cast<unsigned long long>(after->derived_share / 1024));
    QVERIFY2(compacted->derived <= after->derived_share + after->derived_share / 4,
        "the index takes more than its estimated share");
    QVERIFY(compacted->countedWithin(limit) <= limit);
}

void TestRetention::sizeLimitOnStoreThatCannotTell()
{
    // A store without storeBytes() (PostgreSQL) is reported as an error, and age retention of the
    // same run still happens for the other stores.
    class NoSize : public store::TraceStore
    {
    public:
        store::WriteStats writeEncoded(std::span<const std::span<const store::EncodedSpan>>) override { return {}; }
        store::TracePage listTraces(const store::TraceQuery &) override { return {}; }
        using TraceStore::trace;
        std::optional<store::TraceDetail> trace(const core::TraceId &, store::TraceLoad) override { return {}; }
        std::optional<Span> span(const core::TraceId &, const core::SpanId &) override { return {}; }
        store::SessionPage listSessions(const store::SessionQuery &) override { return {}; }
        std::vector<core::TraceSummary> sessionTraces(const std::string &) override { return {}; }
        store::MetricsResult metrics(const store::MetricsQuery &) override { return {}; }
        std::size_t reprice(
            const std::function<bool(Span &)> &, const std::function<bool(std::size_t, std::size_t)> &) override
        {
            return 0;
        }
        std::size_t deleteTracesBefore(std::int64_t, std::size_t) override
        {
            ++calls;
            return 0;
        }
        bool ready(std::string &) override { return true; }
        std::int64_t spanCount() override { return 0; }
        std::vector<core::AlertRule> alertRules() override { return {}; }
        core::AlertRule addAlertRule(const core::AlertRule &rule) override { return rule; }
        bool updateAlertRule(const core::AlertRule &) override { return false; }
        bool removeAlertRule(std::int64_t) override { return false; }
        void recordAlertEvaluation(
            const std::vector<std::pair<std::int64_t, core::AlertState>> &, std::vector<core::AlertEvent> &) override
        { }
        std::vector<core::AlertEvent> alertEvents(std::size_t) override { return {}; }
        std::vector<core::TraceId> selectTraces(const store::TraceSelection &) override { return {}; }
        store::EraseStats erase(const store::TraceSelection &) override { return {}; }
        int calls = 0;
    } noSize;
    const auto stats = runRetention({ "project pg", &noSize, 7, 1 << 20 });
    QCOMPARE(stats.errors, std::uint64_t(1));
    QVERIFY2(stats.last_error.find("project pg: retention by size") == 0, stats.last_error.c_str());
    QCOMPARE(noSize.calls, 1); // by age, before the size limit was refused
}

void TestRetention::parsesSizesAndThresholds()
{
    std::uint64_t b = 0;
    const std::pair<const char *, std::uint64_t> good[] = { { "1048576", 1048576 }, { "512KiB", 512 * 1024 },
        { "64M", 64ull << 20 }, { "10GB", 10ull << 30 }, { "1.5GiB", 3ull << 29 }, { "2T", 2ull << 40 },
        { "10 GiB", 10ull << 30 }, { "1g", 1ull << 30 }, { "100B", 100 } };
    for (const auto &[text, bytes] : good) {
        QVERIFY2(store::parseStorageSize(text, b), text);
        QCOMPARE(b, bytes);
    }
    for (const char *bad :
        { "", "0", "-5GB", "GB", "10XB", "10GBs", "1e3", "nan", "inf", " 5G", "5G ", "2000TiB", "0.1", "1,5G", "+1G" })
        QVERIFY2(!store::parseStorageSize(bad, b), bad);

    store::DiskLowThreshold t;
    QVERIFY(store::parseDiskLowThreshold("5%", t));
    QCOMPARE(t.percent, 5.0);
    QCOMPARE(t.bytesFor({ 0, 1000 }), std::uint64_t(50));
    QVERIFY(t.isLow({ 49, 1000 }));
    QVERIFY(!t.isLow({ 50, 1000 }));
    QVERIFY(store::parseDiskLowThreshold("2GiB", t));
    QCOMPARE(t.bytesFor({ 0, 1ull << 40 }), 2ull << 30);
    for (const char *bad : { "%", "0%", "100%", "-1%", "150%", "abc", "5 %", "" })
        QVERIFY2(!store::parseDiskLowThreshold(bad, t), bad);
    // The free disk statvfs reports is the one df reports; here, only that it is asked and sane.
    const auto disk = store::diskSpace(QDir::tempPath().toStdString());
    QVERIFY(disk && disk->total_bytes > 0 && disk->free_bytes <= disk->total_bytes);
    // A file not created yet: the disk it will be created on.
    const auto missing = store::diskSpace(QDir::tempPath().toStdString() + "/no/such/dir/traces.db");
    QVERIFY(missing && missing->total_bytes == disk->total_bytes);
}

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
