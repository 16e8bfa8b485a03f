// SPDX-License-Identifier: MIT
#include "ingest/decode.h"
#include "ingest/tracefile.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>

using namespace agentops;
namespace pbtrace = opentelemetry::proto::trace::v1;
namespace pbcollector = opentelemetry::proto::collector::trace::v1;

namespace {

std::string readFixture(const char *name)
{
    QFile file(QStringLiteral(AGENTOPS_FIXTURES_DIR "/otlp/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", name);
    return file.readAll().toStdString();
}

void writeFile(const QString &path, std::string_view content)
{
    std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
    out.write(content.data(), std::streamsize(content.size()));
}

std::vector<core::Span> decodeFixture(const char *name)
{
    ingest::DecodeResult result;
    ingest::FatalError fatal;
    if (!ingest::decodeOtlpTraces(readFixture(name), ingest::OtlpEncoding::Json, result, fatal))
        qFatal("fixture %s does not decode: %s", name, fatal.toString().c_str());
    return std::move(result.spans);
}

core::Span makeSpan(int n, std::uint8_t traceByte = 1)
{
    core::Span s;
    s.trace_id.fill(traceByte);
    s.span_id.fill(0);
    s.span_id[6] = std::uint8_t(n >> 8);
    s.span_id[7] = std::uint8_t(n & 0xff);
    s.span_id[0] = 0x42;
    s.name = "step " + std::to_string(n);
    s.start_ns = 1741946400000000000 + std::int64_t(n) * 1000;
    s.end_ns = s.start_ns + 500;
    s.service_name = "svc";
    s.resource = { { "service.name", core::AttrValue::ofString("svc") } };
    s.attributes = { { "n", core::AttrValue::ofInt(n) } };
    return s;
}

/// Names the first field that differs, so a failing comparison says where.
std::string firstDifference(const core::Span &a, const core::Span &b)
{
#define AGENTOPS_CMP(field)                                                                                            \
    if (!(a.field == b.field))                                                                                         \
        return #field;
    AGENTOPS_CMP(trace_id)
    AGENTOPS_CMP(span_id)
    AGENTOPS_CMP(parent_span_id)
    AGENTOPS_CMP(trace_state)
    AGENTOPS_CMP(name)
    AGENTOPS_CMP(kind)
    AGENTOPS_CMP(otel_kind)
    AGENTOPS_CMP(start_ns)
    AGENTOPS_CMP(end_ns)
    AGENTOPS_CMP(status)
    AGENTOPS_CMP(status_message)
    AGENTOPS_CMP(service_name)
    AGENTOPS_CMP(scope_name)
    AGENTOPS_CMP(scope_version)
    AGENTOPS_CMP(request_model)
    AGENTOPS_CMP(response_model)
    AGENTOPS_CMP(provider)
    AGENTOPS_CMP(agent_name)
    AGENTOPS_CMP(tool_name)
    AGENTOPS_CMP(tokens)
    AGENTOPS_CMP(cost_usd)
    AGENTOPS_CMP(price_ref)
    AGENTOPS_CMP(input)
    AGENTOPS_CMP(output)
    AGENTOPS_CMP(session_id)
    AGENTOPS_CMP(user_id)
    AGENTOPS_CMP(attributes)
    AGENTOPS_CMP(events)
    AGENTOPS_CMP(links)
    AGENTOPS_CMP(resource)
    AGENTOPS_CMP(dropped_attributes)
    AGENTOPS_CMP(dropped_events)
    AGENTOPS_CMP(dropped_links)
#undef AGENTOPS_CMP
    return {};
}

void sortById(std::vector<core::Span> &spans)
{
    std::sort(spans.begin(), spans.end(), [](const core::Span &a, const core::Span &b) {
        return std::tie(a.trace_id, a.span_id) < std::tie(b.trace_id, b.span_id);
    });
}

void compareSpans(std::vector<core::Span> got, std::vector<core::Span> want)
{
    sortById(got);
    sortById(want);
    QCOMPARE(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const std::string diff = firstDifference(got[i], want[i]);
        QVERIFY2(diff.empty(), ("span " + std::to_string(i) + " (" + want[i].name + ") differs in " + diff).c_str());
        QVERIFY(got[i] == want[i]);
    }
}

bool hasWarning(const ingest::TraceFileResult &r, std::string_view needle)
{
    return std::any_of(r.warnings.begin(), r.warnings.end(),
        [&](const std::string &w) { return w.find(needle) != std::string::npos; });
}

QByteArray joined(const std::vector<std::string> &lines)
{
    QByteArray out;
    for (const auto &l : lines)
        out += QByteArray::fromStdString(l) + '\n';
    return out;
}

} // namespace

class TestTraceFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ingest::silenceProtobufLogging();
        QVERIFY(m_dir.isValid());
    }

    void roundTripDecodedFixtures()
    {
        auto spans = decodeFixture("genai_agent_trace.json");
        auto adk = decodeFixture("adk_weather_trace.json");
        std::move(adk.begin(), adk.end(), std::back_inserter(spans));
        QVERIFY(spans.size() > 5);

        const QString path = m_dir.filePath(QStringLiteral("fixtures.jsonl"));
        std::string error;
        QVERIFY2(ingest::writeTraceFile(path.toStdString(), { spans }, error), error.c_str());
        std::vector<core::Span> back;
        const auto result = ingest::readTraceFile(path.toStdString(), back);
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(result.format == ingest::TraceFileFormat::OtlpJsonLines);
        QCOMPARE(joined(result.warnings), QByteArray());
        compareSpans(back, spans);
    }

    void roundTripCanonicalFields()
    {
        // Spans as the native API stores them: canonical fields without the attributes behind them,
        // a cost, JSON-typed attributes, events, links, dropped counts, two resources and scopes.
        core::Span a = makeSpan(1);
        a.kind = core::SpanKind::Llm;
        a.request_model = "gpt-4o";
        a.response_model = "gpt-4o-2024-08-06";
        a.provider = "openai";
        a.agent_name = "planner";
        a.tokens.input = 1200;
        a.tokens.cache_read = 1000;
        a.tokens.output = 80;
        a.tokens.reasoning = 20;
        a.tokens.total = 1280;
        a.cost_usd = 0.00123;
        a.price_ref = "openai/gpt-4o@2024-08";
        a.input = R"([{"role":"user","content":"hi"}])";
        a.output = "hello";
        a.session_id = "sess-1";
        a.user_id = "user-7";
        a.status = core::StatusCode::Error;
        a.status_message = "rate limited";
        a.otel_kind = 3;
        a.trace_state = "k=v";
        a.scope_name = "my.scope";
        a.scope_version = "1.2";
        a.attributes.push_back({ "list", core::AttrValue::ofJson(R"(["a",1,2.5,true,null,{"x":"y"}])") });
        a.attributes.push_back({ "map", core::AttrValue::ofJson(R"({"z":1,"a":[1,2],"m":{"k":"v"}})") });
        a.attributes.push_back({ "flag", core::AttrValue::ofBool(true) });
        a.attributes.push_back({ "ratio", core::AttrValue::ofDouble(0.25) });
        a.attributes.push_back({ "blob", core::AttrValue::ofBytesBase64("AAEC/w==") });
        a.attributes.push_back({ "nothing", core::AttrValue {} });
        a.events.push_back({ a.start_ns + 10, "exception",
            { { "exception.type", core::AttrValue::ofString("ValueError") },
                { "exception.stacktrace", core::AttrValue::ofString("Traceback...\n  line 1\n") } } });
        core::SpanLink link;
        link.trace_id.fill(9);
        link.span_id.fill(8);
        link.trace_state = "a=b";
        link.attributes = { { "link.reason", core::AttrValue::ofString("retry") } };
        a.links.push_back(link);
        a.dropped_attributes = 3;
        a.dropped_events = 2;
        a.dropped_links = 1;

        core::Span b = makeSpan(2);
        b.parent_span_id = a.span_id;
        b.kind = core::SpanKind::Tool;
        b.tool_name = "search";
        b.input = R"({"q":"x"})";
        b.output = "";
        b.resource = { { "service.name", core::AttrValue::ofString("other") }, { "host", core::AttrValue::ofInt(1) } };
        b.service_name = "other";

        core::Span c = makeSpan(3, 2);
        c.resource.clear();
        c.service_name = "unknown_service";
        c.cost_usd = 0.0; // a real zero price stays a zero, and is not turned into "no price"

        const std::vector<core::Span> spans { a, b, c };
        const std::string text = ingest::encodeOtlpJson(spans);
        QVERIFY(text.find('\n') == std::string::npos);
        QVERIFY(text.find("\"arrayValue\"") != std::string::npos);
        QVERIFY(text.find("\"kvlistValue\"") != std::string::npos);
        QVERIFY(text.find("\"startTimeUnixNano\":\"") != std::string::npos);

        const QString path = m_dir.filePath(QStringLiteral("canonical.jsonl"));
        std::string error;
        QVERIFY(ingest::writeTraceFile(path.toStdString(), { { a, b }, { c } }, error));
        std::vector<core::Span> back;
        const auto result = ingest::readTraceFile(path.toStdString(), back);
        QVERIFY2(result.ok(), result.error.c_str());
        compareSpans(back, spans);
    }

    void singlePrettyPrintedRequest()
    {
        const QString path = QStringLiteral(AGENTOPS_FIXTURES_DIR "/otlp/genai_agent_trace.json");
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(result.format == ingest::TraceFileFormat::OtlpJson);
        compareSpans(spans, decodeFixture("genai_agent_trace.json"));
    }

    void frameworkCaptures_data()
    {
        QTest::addColumn<QString>("scenario");
        const QDir dir(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks"));
        const auto files = dir.entryList({ QStringLiteral("*.otlp.json") }, QDir::Files, QDir::Name);
        QVERIFY2(!files.isEmpty(), "no captured framework traces in tests/fixtures/frameworks");
        for (const auto &file : files) {
            const QString scenario = file.chopped(int(std::strlen(".otlp.json")));
            QTest::newRow(qPrintable(scenario)) << scenario;
        }
    }

    void frameworkCaptures()
    {
        // Real framework traces as their OTLP/JSON exporter sent them (tests/interop/capture-fixtures.mjs),
        // one request per line: every span is read, none is refused, and every span the expectations name
        // is there.
        QFETCH(QString, scenario);
        const QString base = QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/") + scenario;
        QFile expectedFile(base + QStringLiteral(".expected.json"));
        QVERIFY2(expectedFile.open(QIODevice::ReadOnly), qPrintable(expectedFile.fileName()));
        const QJsonObject expected = QJsonDocument::fromJson(expectedFile.readAll()).object();
        const QJsonArray runs = expected.value(QStringLiteral("runs")).toArray();
        QVERIFY(!runs.isEmpty());

        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(QString(base + QStringLiteral(".otlp.json")).toStdString(), spans);
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(result.format == ingest::TraceFileFormat::OtlpJsonLines);
        QCOMPARE(joined(result.warnings), QByteArray());
        QCOMPARE(result.rejected, std::size_t(0));

        std::size_t wantSpans = 0;
        std::set<std::string> wantTraces;
        std::set<std::string> wantSpanIds;
        for (const auto &runValue : runs) {
            const QJsonObject run = runValue.toObject();
            wantSpans += std::size_t(run.value(QStringLiteral("span_count")).toInt());
            wantTraces.insert(run.value(QStringLiteral("trace_id")).toString().toStdString());
            for (const char *list : { "llm_calls", "tool_calls", "error_spans" }) {
                for (const auto &item : run.value(QLatin1String(list)).toArray())
                    wantSpanIds.insert(item.toObject().value(QStringLiteral("span_id")).toString().toStdString());
            }
        }
        QCOMPARE(spans.size(), wantSpans);
        std::set<std::string> traces;
        std::set<std::string> spanIds;
        for (const auto &span : spans) {
            traces.insert(core::toHex(span.trace_id));
            spanIds.insert(core::toHex(span.span_id));
            QCOMPARE(span.service_name, expected.value(QStringLiteral("service_name")).toString().toStdString());
        }
        QVERIFY(traces == wantTraces);
        for (const auto &id : wantSpanIds)
            QVERIFY2(spanIds.count(id) == 1, id.c_str());
    }

    void jsonLines()
    {
        // As the Collector's file exporter writes it: one request per line, CRLF and blank lines allowed.
        std::string text = ingest::encodeOtlpJson({ makeSpan(1), makeSpan(2) }) + "\r\n\n"
            + ingest::encodeOtlpJson({ makeSpan(3) }) + '\n';
        const QString path = m_dir.filePath(QStringLiteral("lines.jsonl"));
        writeFile(path, text);
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(result.format == ingest::TraceFileFormat::OtlpJsonLines);
        QCOMPARE(result.spans, std::size_t(3));
        QCOMPARE(spans.size(), std::size_t(3));
        QCOMPARE(spans[2].name, std::string("step 3"));
    }

    void protobufFile()
    {
        pbcollector::ExportTraceServiceRequest request;
        auto *rs = request.add_resource_spans();
        auto *kv = rs->mutable_resource()->add_attributes();
        kv->set_key("service.name");
        kv->mutable_value()->set_string_value("pb-service");
        auto *ss = rs->add_scope_spans();
        ss->mutable_scope()->set_name("pb.scope");
        for (int i = 1; i <= 3; ++i) {
            auto *span = ss->add_spans();
            span->set_trace_id(std::string(16, '\x07'));
            span->set_span_id(std::string(7, '\x01') + char(i));
            span->set_name("pb span " + std::to_string(i));
            span->set_start_time_unix_nano(1741946400000000000ULL);
            span->set_end_time_unix_nano(1741946400000001000ULL);
            auto *a = span->add_attributes();
            a->set_key("gen_ai.operation.name");
            a->mutable_value()->set_string_value("chat");
        }
        const QString path = m_dir.filePath(QStringLiteral("traces.pb"));
        writeFile(path, request.SerializeAsString());
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(result.ok(), result.error.c_str());
        QVERIFY(result.format == ingest::TraceFileFormat::OtlpProtobuf);
        QCOMPARE(spans.size(), std::size_t(3));
        QCOMPARE(spans[0].service_name, std::string("pb-service"));
        QVERIFY(spans[0].kind == core::SpanKind::Llm);
    }

    void emptyFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.json"));
        writeFile(path, "");
        std::vector<core::Span> spans;
        auto result = ingest::readTraceFile(path.toStdString(), spans);
        QCOMPARE(QByteArray::fromStdString(result.error), QByteArray("the file is empty"));
        writeFile(path, "  \n\n");
        result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY(!result.ok());
        QVERIFY(spans.empty());
    }

    void missingFile()
    {
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(m_dir.filePath(QStringLiteral("nope.json")).toStdString(), spans);
        QVERIFY(QByteArray::fromStdString(result.error).startsWith("cannot open the file"));
    }

    void truncatedJson()
    {
        const std::string text = readFixture("genai_agent_trace.json");
        const QString path = m_dir.filePath(QStringLiteral("truncated.json"));
        writeFile(path, std::string_view(text).substr(0, text.size() / 2));
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY(!result.ok());
        QVERIFY(spans.empty());
        QVERIFY2(result.error.find("not valid JSON") != std::string::npos, result.error.c_str());
        QVERIFY2(result.error.find("line ") != std::string::npos, result.error.c_str()); // says where

        // A one-line request cut short is the same: a broken JSON document, not a bad line.
        const std::string line = ingest::encodeOtlpJson({ makeSpan(1) });
        writeFile(path, std::string_view(line).substr(0, line.size() - 5));
        const auto oneLine = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(oneLine.error.find("not valid JSON") != std::string::npos, oneLine.error.c_str());
    }

    void binaryGarbage()
    {
        std::string garbage;
        for (int i = 0; i < 4096; ++i)
            garbage.push_back(char((i * 7919 + 13) % 251));
        garbage[0] = '\xff';
        const QString path = m_dir.filePath(QStringLiteral("garbage.bin"));
        writeFile(path, garbage);
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QCOMPARE(QByteArray::fromStdString(result.error),
            QByteArray("not OTLP: expected a JSON object or protobuf ExportTraceServiceRequest"));
        QVERIFY(spans.empty());

        writeFile(path, "hello world, this is not a trace\n");
        const auto text = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY(QByteArray::fromStdString(text.error).startsWith("not OTLP"));
    }

    void badLinesInTheMiddle()
    {
        const std::string good1 = ingest::encodeOtlpJson({ makeSpan(1) });
        std::string badId = ingest::encodeOtlpJson({ makeSpan(2) });
        const std::string hex = core::toHex(makeSpan(2).trace_id);
        badId.replace(badId.find(hex), hex.size(), "xyz");
        const std::string notJson = R"({"resourceSpans": [ oops )";
        const std::string good2 = ingest::encodeOtlpJson({ makeSpan(4), makeSpan(5) });
        // A bad line among good ones: the good ones are kept, the bad one named by its number.
        const std::string text = good1 + '\n' + badId + '\n' + notJson + "}\n" + good2 + '\n';
        const QString path = m_dir.filePath(QStringLiteral("mixed.jsonl"));
        writeFile(path, text);
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(result.error.empty(), result.error.c_str());
        QCOMPARE(spans.size(), std::size_t(3));
        QCOMPARE(result.rejected, std::size_t(2));
        QVERIFY2(hasWarning(result, "line 2: resourceSpans[0].scopeSpans[0].spans[0].traceId: must be 32 hex digits"),
            joined(result.warnings).constData());
        QVERIFY2(hasWarning(result, "line 3: not valid JSON"), joined(result.warnings).constData());
    }

    void everyLineBad()
    {
        const QString path = m_dir.filePath(QStringLiteral("allbad.jsonl"));
        writeFile(path, "{\"resourceSpans\": 5}\n{\"resourceSpans\": 6}\n");
        std::vector<core::Span> spans;
        const auto result = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(QByteArray::fromStdString(result.error).startsWith("line 1: resourceSpans: must be an array"),
            result.error.c_str());
    }

    void batchesAndProgress()
    {
        // Many lines: the sink sees bounded batches and progress only ever grows, up to the file size.
        std::string text;
        for (int i = 0; i < 600; ++i)
            text += ingest::encodeOtlpJson({ makeSpan(2 * i), makeSpan(2 * i + 1) }) + '\n';
        const QString path = m_dir.filePath(QStringLiteral("many.jsonl"));
        writeFile(path, text);

        std::vector<std::uint64_t> seen;
        std::uint64_t total = 0;
        ingest::TraceFileOptions options;
        options.batch_spans = 100;
        options.progress = [&](std::uint64_t done, std::uint64_t all) {
            seen.push_back(done);
            total = all;
        };
        std::size_t batches = 0;
        std::size_t largest = 0;
        std::size_t count = 0;
        const auto result = ingest::readTraceFile(
            path.toStdString(),
            [&](std::vector<core::Span> &&batch) {
                ++batches;
                largest = std::max(largest, batch.size());
                count += batch.size();
                return std::string();
            },
            options);
        QVERIFY2(result.ok(), result.error.c_str());
        QCOMPARE(count, std::size_t(1200));
        QCOMPARE(result.spans, std::size_t(1200));
        QVERIFY(batches >= 12);
        QVERIFY(largest <= 101);
        QVERIFY(seen.size() >= 2);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(total, std::uint64_t(text.size()));
        QCOMPARE(seen.back(), total);
    }

    void sinkRefuses()
    {
        const QString path = m_dir.filePath(QStringLiteral("refused.jsonl"));
        writeFile(path, ingest::encodeOtlpJson({ makeSpan(1) }) + '\n');
        const auto result = ingest::readTraceFile(
            path.toStdString(), [](std::vector<core::Span> &&) { return std::string("disk full"); });
        QCOMPARE(QByteArray::fromStdString(result.error), QByteArray("disk full"));
        QCOMPARE(result.spans, std::size_t(0));
    }

    void cancel()
    {
        std::string text;
        for (int i = 0; i < 2000; ++i)
            text += ingest::encodeOtlpJson({ makeSpan(i) }) + '\n';
        const QString path = m_dir.filePath(QStringLiteral("cancel.jsonl"));
        writeFile(path, text);

        std::atomic<bool> cancelled { false };
        ingest::TraceFileOptions options;
        options.cancel = &cancelled;
        options.batch_spans = 10;
        std::size_t count = 0;
        const auto result = ingest::readTraceFile(
            path.toStdString(),
            [&](std::vector<core::Span> &&batch) {
                count += batch.size();
                if (count >= 50)
                    cancelled = true;
                return std::string();
            },
            options);
        QVERIFY(result.cancelled);
        QVERIFY(!result.ok());
        QVERIFY(count >= 50);
        QVERIFY(count < 2000);

        // Cancelled before the start: nothing is read.
        count = 0;
        const auto early = ingest::readTraceFile(
            path.toStdString(),
            [&](std::vector<core::Span> &&batch) {
                count += batch.size();
                return std::string();
            },
            options);
        QVERIFY(early.cancelled);
        QCOMPARE(count, std::size_t(0));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestTraceFile)
#include "tst_tracefile.moc"
