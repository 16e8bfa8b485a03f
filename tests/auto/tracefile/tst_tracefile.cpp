// SPDX-License-Identifier: MIT
#include "ingest/decode.h"
#include "ingest/otlpjsonstream.h"
#include "ingest/tracefile.h"
#include "support/bigotlp.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <cstdio>
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
    ingest::DecodeError fatal;
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

/// The captured framework traces, the spans the big files are made of.
const bench::TemplateSpans &frameworkTemplate()
{
    static const bench::TemplateSpans t = [] {
        std::vector<std::string> paths;
        for (const QString &name : QDir(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks"))
                                       .entryList({ QStringLiteral("*.otlp.json") }, QDir::Files, QDir::Name))
            paths.push_back(AGENTOPS_FIXTURES_DIR "/frameworks/" + name.toStdString());
        return bench::loadTemplate(paths);
    }();
    return t;
}

std::string readAll(const QString &path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/// What the whole-document read makes of a request: the text parsed at once, then decoded.
std::vector<core::Span> decodeWhole(std::string_view text, ingest::OtlpEncoding encoding = ingest::OtlpEncoding::Json)
{
    ingest::DecodeResult result;
    ingest::DecodeError fatal;
    if (!ingest::decodeOtlpTraces(text, encoding, result, fatal))
        qFatal("does not decode whole: %s", fatal.toString().c_str());
    for (auto &span : result.spans)
        ingest::applyExportOverrides(span);
    return std::move(result.spans);
}

/// Reads a file through readTraceFile, recording batches and progress.
struct Streamed
{
    ingest::TraceFileResult result;
    std::vector<core::Span> spans;
    std::vector<std::uint64_t> progress;
    std::uint64_t total = 0;
    std::size_t batches = 0;
    std::size_t largestBatch = 0;
    std::size_t progressAtFirstBatch = 0; ///< progress reports seen when the first batch came
};

Streamed stream(const QString &path, std::size_t batch = 500, const std::atomic<bool> *cancel = nullptr,
    std::size_t cancelAfter = 0, std::atomic<bool> *setCancel = nullptr)
{
    Streamed out;
    ingest::TraceFileOptions options;
    options.batch_spans = batch;
    options.cancel = cancel;
    options.progress = [&](std::uint64_t done, std::uint64_t total) {
        out.progress.push_back(done);
        out.total = total;
    };
    out.result = ingest::readTraceFile(
        path.toStdString(),
        [&](std::vector<core::Span> &&spans) {
            if (out.batches++ == 0)
                out.progressAtFirstBatch = out.progress.size();
            out.largestBatch = std::max(out.largestBatch, spans.size());
            std::move(spans.begin(), spans.end(), std::back_inserter(out.spans));
            if (setCancel && out.spans.size() >= cancelAfter)
                *setCancel = true;
            return std::string();
        },
        options);
    return out;
}

/// The first spans of `all`, as many as `got` holds, compared field by field (same order).
void comparePrefix(const std::vector<core::Span> &got, const std::vector<core::Span> &all)
{
    QVERIFY2(got.size() <= all.size(), (std::to_string(got.size()) + " > " + std::to_string(all.size())).c_str());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const std::string diff = firstDifference(got[i], all[i]);
        QVERIFY2(diff.empty(), ("span " + std::to_string(i) + " differs in " + diff).c_str());
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
                const QJsonArray items = run.value(QLatin1String(list)).toArray();
                for (const auto &item : items)
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
        // The spans before the cut are kept, and the message says how many and where the cut is.
        comparePrefix(spans, decodeWhole(text));
        QVERIFY2(result.error.find("not valid JSON") != std::string::npos, result.error.c_str());
        QVERIFY2(result.error.find("line ") != std::string::npos, result.error.c_str()); // says where
        QVERIFY2(result.error.find("(at byte ") != std::string::npos, result.error.c_str());

        // A one-line request cut short is the same: a broken JSON document, not a bad line.
        const std::string line = ingest::encodeOtlpJson({ makeSpan(1) });
        writeFile(path, std::string_view(line).substr(0, line.size() - 5));
        const auto oneLine = ingest::readTraceFile(path.toStdString(), spans);
        QVERIFY2(oneLine.error.find("not valid JSON") != std::string::npos, oneLine.error.c_str());
    }

    void readErrorSaysTheFileCouldNotBeRead()
    {
        // A disk or network file system that fails half-way: the read ends with an error rather
        // than at the end of the file. That is not a broken document: the message says the file
        // could not be read, and the spans before the failure are kept.
        struct Cookie
        {
            std::string text;
            std::size_t at = 0;
            std::size_t failAt = 0;
        } cookie { readFixture("genai_agent_trace.json"), 0, 0 };
        cookie.failAt = cookie.text.size() * 2 / 3;
        cookie_io_functions_t io {};
        io.read = [](void *c, char *buf, std::size_t size) -> ssize_t {
            auto &k = *static_cast<Cookie *>(c);
            if (k.at >= k.failAt) {
                errno = EIO;
                return -1;
            }
            const std::size_t n = std::min(size, k.failAt - k.at);
            std::memcpy(buf, k.text.data() + k.at, n);
            k.at += n;
            return static_cast<ssize_t>(n);
        };
        std::FILE *file = fopencookie(&cookie, "r", io);
        QVERIFY(file);
        ingest::FileChunks in(file, 0, 4096);
        std::vector<core::Span> spans;
        ingest::JsonStreamOptions options;
        options.batch_spans = 1;
        options.flush = [&spans](ingest::DecodeResult &r) {
            spans.insert(spans.end(), r.spans.begin(), r.spans.end());
            return true;
        };
        const auto result = ingest::streamOtlpJsonRequest(in, options);
        std::fclose(file);
        QVERIFY(in.failed());
        QCOMPARE(static_cast<int>(result.end), static_cast<int>(ingest::JsonStreamResult::End::Failed));
        QVERIFY2(result.error.message == "the file could not be read", result.error.toString().c_str());
        QCOMPARE(result.at, std::uint64_t(cookie.failAt)); // where the read failed
        const auto whole = decodeWhole(cookie.text);
        QVERIFY2(!spans.empty() && spans.size() < whole.size(), std::to_string(spans.size()).c_str());
        comparePrefix(spans, whole);
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

    void bigRequestStreamedEqualsWholeDocument_data()
    {
        QTest::addColumn<bool>("pretty");
        QTest::addColumn<int>("count");
        // One line far longer than a line read whole (4 MiB), as the app's own export of a big trace.
        QTest::newRow("one line") << false << 12000;
        QTest::newRow("pretty-printed") << true << 3000;
    }

    void bigRequestStreamedEqualsWholeDocument()
    {
        QFETCH(bool, pretty);
        QFETCH(int, count);
        const QString path = m_dir.filePath(QStringLiteral("big.json"));
        const auto size = bench::writeBigOtlpJson(
            path.toStdString(), frameworkTemplate(), std::size_t(count), bench::MemberOrder::Usual, pretty);
        QVERIFY(pretty || size > (8u << 20));
        const auto got = stream(path, 500);
        QVERIFY2(got.result.ok(), got.result.error.c_str());
        QVERIFY(
            got.result.format == (pretty ? ingest::TraceFileFormat::OtlpJson : ingest::TraceFileFormat::OtlpJsonLines));
        QCOMPARE(got.result.spans, std::size_t(count));
        QCOMPARE(got.result.rejected, std::size_t(0));
        QVERIFY(got.largestBatch <= 500);
        const auto want = decodeWhole(readAll(path));
        QCOMPARE(got.spans.size(), want.size());
        comparePrefix(got.spans, want); // the same spans in the same order

        // Progress follows the bytes read: it moves while the spans go out, only ever grows, ends at 100%.
        QCOMPARE(got.total, size);
        QVERIFY(std::is_sorted(got.progress.begin(), got.progress.end()));
        QCOMPARE(got.progress.back(), size);
        QVERIFY2(got.progressAtFirstBatch > 0, "no progress before the first spans went out");
        QVERIFY2(got.progress[got.progressAtFirstBatch - 1] < size / 2, "the first spans went out late");
        QVERIFY2(got.progress.size() >= (pretty ? 4u : 16u), std::to_string(got.progress.size()).c_str());
    }

    void spansBeforeTheirResourceAndScope()
    {
        // JSON members have no order: "spans" before "scope", "scopeSpans" before "resource" are valid.
        const QString path = m_dir.filePath(QStringLiteral("spansfirst.json"));
        bench::writeBigOtlpJson(path.toStdString(), frameworkTemplate(), 2500, bench::MemberOrder::SpansFirst, true);
        const auto got = stream(path, 300);
        QVERIFY2(got.result.ok(), got.result.error.c_str());
        const auto want = decodeWhole(readAll(path));
        QCOMPARE(got.spans.size(), std::size_t(2500));
        QVERIFY(!want.empty() && want.front().service_name != "unknown_service"); // the resource was applied
        compareSpans(got.spans, want);
        QVERIFY(std::is_sorted(got.progress.begin(), got.progress.end()));
        QCOMPARE(got.progress.back(), got.total);

        // Mixed: a usual group, a group without scope, a resource after its scope spans.
        const auto &t = frameworkTemplate();
        const bench::SpanCopier copier(t);
        const auto span = [&](std::size_t n) { return copier.copy(n / copier.size(), n % copier.size()).dump(); };
        const std::string resource = t.resource.dump();
        const std::string scope = t.scope.dump();
        const std::string text = "{\n\"resourceSpans\":[\n{\"resource\":" + resource
            + ",\"scopeSpans\":[{\"scope\":" + scope + ",\"spans\":[" + span(0) + ",\n" + span(1) + "]},{\"spans\":["
            + span(2) + "]},{\"spans\":[\n" + span(3)
            + "],\"scope\":{\"name\":\"late\"}}]},\n{\"scopeSpans\":[{\"scope\":" + scope + ",\"spans\":[" + span(4)
            + "]}],\"schemaUrl\":\"x\",\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{"
              "\"stringValue\":\"after\"}}]}},\n{\"scopeSpans\":[{\"spans\":["
            + span(5) + "]}]}\n]}\n";
        writeFile(path, text);
        const auto mixed = stream(path, 2);
        QVERIFY2(mixed.result.ok(), mixed.result.error.c_str());
        const auto whole = decodeWhole(text);
        QCOMPARE(whole.size(), std::size_t(6));
        compareSpans(mixed.spans, whole);
        const auto late
            = std::find_if(whole.begin(), whole.end(), [](const core::Span &s) { return s.scope_name == "late"; });
        QVERIFY(late != whole.end());
        QVERIFY(std::any_of(whole.begin(), whole.end(), [](const core::Span &s) { return s.service_name == "after"; }));
        QVERIFY(std::any_of(
            whole.begin(), whole.end(), [](const core::Span &s) { return s.service_name == "unknown_service"; }));
    }

    void truncatedAtEveryPosition()
    {
        const QString full = m_dir.filePath(QStringLiteral("small.json"));
        bench::writeBigOtlpJson(full.toStdString(), frameworkTemplate(), 6, bench::MemberOrder::Usual, true);
        const std::string text = readAll(full);
        const auto all = decodeWhole(text);
        QCOMPARE(all.size(), std::size_t(6));
        const std::size_t end = text.find_last_of('}') + 1;
        const QString path = m_dir.filePath(QStringLiteral("cut.json"));
        std::size_t withSpans = 0;
        for (std::size_t cut = 1; cut < end; ++cut) {
            writeFile(path, std::string_view(text).substr(0, cut));
            const auto got = stream(path, 2);
            const std::string where = "cut at " + std::to_string(cut) + ": " + got.result.error;
            QVERIFY2(!got.result.ok(), where.c_str());
            if (got.result.error == "the file holds only white space")
                continue;
            QVERIFY2(got.result.error.find("(at byte ") != std::string::npos, where.c_str());
            QCOMPARE(got.result.spans, got.spans.size());
            comparePrefix(got.spans, all); // the spans before the cut, nothing else
            if (!got.spans.empty()) {
                ++withSpans;
                const std::string said = std::to_string(got.spans.size()) + " spans were imported before it";
                QVERIFY2(got.result.error.find(said) != std::string::npos, where.c_str());
            }
        }
        QVERIFY(withSpans > end / 2);
    }

    void malformedInTheMiddle_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("bad UTF-8") << QByteArray("\"step three\"") << QByteArray("\"step \xff\xfe\"")
                                   << QByteArray("not valid JSON");
        QTest::newRow("spans not an array") << QByteArray("\"spans\":[3]") << QByteArray("\"spans\":{}")
                                            << QByteArray("resourceSpans[1].scopeSpans[0].spans: must be an array");
        QTest::newRow("scope not an object") << QByteArray("\"scope\":{\"name\":\"two\"}") << QByteArray("\"scope\":[]")
                                             << QByteArray("resourceSpans[1].scopeSpans[0].scope: must be an object");
        QTest::newRow("resource not an object")
            << QByteArray("\"resource\":{\"attributes\":[]}") << QByteArray("\"resource\":7")
            << QByteArray("resourceSpans[1].resource: must be an object");
        QTest::newRow("scopeSpans element") << QByteArray("\"scopeSpans\":[{\"scope\":{\"name\":\"two\"}")
                                            << QByteArray("\"scopeSpans\":[5,{\"scope\":{\"name\":\"two\"}")
                                            << QByteArray("resourceSpans[1].scopeSpans[0]: must be an object");
        QTest::newRow("bad literal") << QByteArray("\"spans\":[3]") << QByteArray("\"spans\":[tru]")
                                     << QByteArray("not valid JSON");
    }

    void malformedInTheMiddle()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QByteArray, error);
        // Two resources: the first's spans go out before the problem in the second is met.
        const auto span = [](int n, const char *name) {
            return "{\"traceId\":\"" + std::string(32, 'a') + "\",\"spanId\":\"" + std::string(15, '0') + char('0' + n)
                + "\",\"name\":\"" + name + "\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}";
        };
        std::string text
            = "{\n\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"scope\":{\"name\":"
              "\"one\"},\"spans\":[\n"
            + span(1, "step one") + ",\n" + span(2, "step two")
            + "]}]},\n{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"scope\":{\"name\":\"two\"},\"spans\":[3]},{"
              "\"spans\":[\n"
            + span(3, "step three") + "]}]}]}\n";
        const auto at = text.rfind(from.toStdString());
        QVERIFY(at != std::string::npos);
        text.replace(at, std::size_t(from.size()), to.toStdString());
        const QString path = m_dir.filePath(QStringLiteral("malformed.json"));
        writeFile(path, text);
        const auto got = stream(path, 1);
        QVERIFY(!got.result.ok());
        QVERIFY2(got.result.error.find(error.toStdString()) != std::string::npos, got.result.error.c_str());
        QVERIFY2(got.result.error.find("(at byte ") != std::string::npos, got.result.error.c_str());
        // The whole-document read refuses the file with the same words.
        ingest::DecodeResult whole;
        ingest::DecodeError fatal;
        QVERIFY(!ingest::decodeOtlpTraces(text, ingest::OtlpEncoding::Json, whole, fatal));
        if (!error.startsWith("not valid JSON"))
            QCOMPARE(QByteArray::fromStdString(fatal.toString()), error);
        // The first resource's spans were imported, and the message says so.
        QCOMPARE(got.spans.size(), std::size_t(2));
        QCOMPARE(got.spans[1].name, std::string("step two"));
        QVERIFY2(
            got.result.error.find("2 spans were imported before it") != std::string::npos, got.result.error.c_str());
    }

    void hostileSizes()
    {
        // A value larger than any span may be is refused where it starts, without holding it all.
        const auto span = [](int n, const std::string &name) {
            return "{\"traceId\":\"" + std::string(32, 'a') + "\",\"spanId\":\"" + std::string(15, '0') + char('0' + n)
                + "\",\"name\":\"" + name + "\",\"startTimeUnixNano\":\"1\",\"endTimeUnixNano\":\"2\"}";
        };
        const std::string huge(ingest::kMaxStreamedItemBytes + (1u << 20), 'x');
        const QString path = m_dir.filePath(QStringLiteral("huge.json"));
        writeFile(path,
            "{\n\"resourceSpans\":[{\"resource\":{},\"scopeSpans\":[{\"scope\":{},\"spans\":[" + span(1, "ok") + ",\n"
                + span(2, huge) + "]}]}]}\n");
        auto got = stream(path, 1);
        QVERIFY(!got.result.ok());
        QVERIFY2(
            got.result.error.find("resourceSpans[0].scopeSpans[0].spans[1]: larger than 16 MiB") != std::string::npos,
            got.result.error.c_str());
        QCOMPARE(got.spans.size(), std::size_t(1));

        writeFile(path, "{\"padding\":\"" + huge + "\",\n\"resourceSpans\":[]}\n");
        got = stream(path, 1);
        QVERIFY2(got.result.error.find("a value larger than 16 MiB") != std::string::npos, got.result.error.c_str());

        // The same span where it waits for a second pass (its resource comes later) is named as well.
        writeFile(path,
            "{\n\"resourceSpans\":[{\"scopeSpans\":[{\"scope\":{},\"spans\":[" + span(1, "ok") + ",\n" + span(2, huge)
                + "]}],\"resource\":{}}]}\n");
        got = stream(path, 1);
        QVERIFY2(
            got.result.error.find("resourceSpans[0].scopeSpans[0].spans[1]: larger than 16 MiB") != std::string::npos,
            got.result.error.c_str());
        QCOMPARE(got.spans.size(), std::size_t(0));

        // Nesting deeper than any decoder accepts.
        writeFile(path, "{\n\"x\":" + std::string(300, '[') + std::string(300, ']') + "}\n");
        got = stream(path, 1);
        QVERIFY2(got.result.error.find("nested deeper than") != std::string::npos, got.result.error.c_str());
    }

    void longLinesAmongShortOnes()
    {
        // JSON lines: a line longer than a line read whole is streamed; a broken one is named, and the
        // lines after it are still read.
        const auto &t = frameworkTemplate();
        const std::string small = ingest::encodeOtlpJson({ makeSpan(1) });
        const QString bigPath = m_dir.filePath(QStringLiteral("bigline.json"));
        bench::writeBigOtlpJson(bigPath.toStdString(), t, 9000);
        std::string big = readAll(bigPath);
        big.pop_back(); // its newline
        QVERIFY(big.size() > (5u << 20));
        const std::string cut = big.substr(0, big.size() / 2);
        const std::string text
            = small + '\n' + big + '\n' + cut + '\n' + ingest::encodeOtlpJson({ makeSpan(2) }) + '\n';
        const QString path = m_dir.filePath(QStringLiteral("lines.jsonl"));
        writeFile(path, text);
        const auto got = stream(path, 700);
        QVERIFY2(got.result.error.empty(), got.result.error.c_str());
        QVERIFY(got.result.format == ingest::TraceFileFormat::OtlpJsonLines);
        const auto whole = decodeWhole(big);
        QCOMPARE(whole.size(), std::size_t(9000));
        QVERIFY(got.spans.size() > 9002 && got.spans.size() < 9002 + 9000);
        QCOMPARE(got.spans.front().name, std::string("step 1"));
        QCOMPARE(got.spans.back().name, std::string("step 2"));
        const std::vector<core::Span> middle(got.spans.begin() + 1, got.spans.begin() + 9001);
        comparePrefix(middle, whole);
        const std::vector<core::Span> partial(got.spans.begin() + 9001, got.spans.end() - 1);
        comparePrefix(partial, whole);
        const std::string said = "line 3: not valid JSON";
        QVERIFY2(hasWarning(got.result, said), joined(got.result.warnings).constData());
        QVERIFY2(hasWarning(got.result, std::to_string(partial.size()) + " spans were imported before it"),
            joined(got.result.warnings).constData());
        QCOMPARE(got.result.rejected, std::size_t(1));
        QVERIFY(std::is_sorted(got.progress.begin(), got.progress.end()));
        QCOMPARE(got.progress.back(), std::uint64_t(text.size()));
    }

    void bigProtobufInBatches()
    {
        const QString path = m_dir.filePath(QStringLiteral("big.pb"));
        const auto size = bench::writeBigOtlpProtobuf(path.toStdString(), frameworkTemplate(), 6000);
        const std::string bytes = readAll(path);
        const auto got = stream(path, 400);
        QVERIFY2(got.result.ok(), got.result.error.c_str());
        QVERIFY(got.result.format == ingest::TraceFileFormat::OtlpProtobuf);
        QVERIFY(got.largestBatch <= 400);
        const auto want = decodeWhole(bytes, ingest::OtlpEncoding::Protobuf);
        QCOMPARE(got.spans.size(), std::size_t(6000));
        QCOMPARE(want.size(), std::size_t(6000));
        comparePrefix(got.spans, want);
        // The same spans as the JSON file of the same request.
        const QString json = m_dir.filePath(QStringLiteral("same.json"));
        bench::writeBigOtlpJson(json.toStdString(), frameworkTemplate(), 6000);
        compareSpans(got.spans, stream(json).spans);
        QVERIFY(std::is_sorted(got.progress.begin(), got.progress.end()));
        QVERIFY(got.progressAtFirstBatch > 0);
        QCOMPARE(got.progress.back(), size);
        QVERIFY(got.progress.size() >= 4);

        // Cut short: the request's frame is read before any span, so nothing is imported.
        writeFile(path, std::string_view(bytes).substr(0, bytes.size() - 100));
        const auto cut = stream(path, 400);
        QVERIFY(!cut.result.ok());
        QVERIFY(cut.spans.empty());

        // A span broken in the middle of the file: the spans before it are imported, and the message says so.
        const std::string name = frameworkTemplate().spans[0]["name"].get<std::string>();
        std::size_t at = 0;
        for (int n = 0; n < 100; ++n)
            at = bytes.find(name, at + 1);
        QVERIFY(at != std::string::npos);
        std::string broken = bytes;
        broken[at] = '\xff'; // not UTF-8, which a string field must be
        writeFile(path, broken);
        const auto bad = stream(path, 400);
        QVERIFY(!bad.result.ok());
        QVERIFY2(bad.result.error.find("spans were imported before it") != std::string::npos, bad.result.error.c_str());
        QVERIFY(!bad.spans.empty() && bad.spans.size() < 6000);
        QCOMPARE(bad.result.spans, bad.spans.size());
        comparePrefix(bad.spans, want);
    }

    void manyGroupsConvertedInOrder_data()
    {
        QTest::addColumn<int>("batch");
        QTest::newRow("1") << 1;
        QTest::newRow("7") << 7;
        QTest::newRow("500") << 500;
        QTest::newRow("5000") << 5000;
    }

    void manyGroupsConvertedInOrder()
    {
        // The spans are converted on a thread of their own (OtlpJsonConverter), which gets each
        // group's resource and scope in the same order as the spans: 60 resources of 3 scopes each,
        // every fifth group listing its spans before its resource or scope (read in the second pass),
        // and some spans rejected, come out as the whole-document read makes them, each with its own
        // group's resource and scope, whatever the batch.
        QFETCH(int, batch);
        const auto &t = frameworkTemplate();
        const bench::SpanCopier copier(t);
        std::size_t n = 0;
        const auto spans = [&](int count, int bad) {
            std::string out;
            for (int i = 0; i < count; ++i, ++n) {
                auto span = copier.copy(n / copier.size(), n % copier.size());
                if (i == bad)
                    span["traceId"] = "not hex";
                out += (i ? ",\n" : "") + span.dump();
            }
            return out;
        };
        std::string text = "{\n\"resourceSpans\":[";
        for (int r = 0; r < 60; ++r) {
            const std::string resource = "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc-"
                + std::to_string(r) + "\"}}]}";
            std::string groups;
            for (int s = 0; s < 3; ++s) {
                const std::string scope = "{\"name\":\"scope-" + std::to_string(r) + "-" + std::to_string(s) + "\"}";
                const std::string list = "\"spans\":[" + spans(17 + s, (r + s) % 9 == 0 ? 5 : -1) + "]";
                if (s)
                    groups += ',';
                if ((r + s) % 5 == 0)
                    groups.append("{").append(list).append(",\"scope\":").append(scope).append("}");
                else
                    groups.append("{\"scope\":").append(scope).append(",").append(list).append("}");
            }
            if (r)
                text += ",\n";
            if (r % 5 == 1)
                text.append("{\"scopeSpans\":[").append(groups).append("],\"resource\":").append(resource).append("}");
            else
                text.append("{\"resource\":").append(resource).append(",\"scopeSpans\":[").append(groups).append("]}");
        }
        text += "]}\n";
        const QString path = m_dir.filePath(QStringLiteral("groups.json"));
        writeFile(path, text);

        ingest::DecodeResult whole;
        ingest::DecodeError fatal;
        QVERIFY2(ingest::decodeOtlpTraces(text, ingest::OtlpEncoding::Json, whole, fatal), fatal.toString().c_str());
        QVERIFY(whole.rejected > 5);
        const auto got = stream(path, std::size_t(batch));
        QVERIFY2(got.result.ok(), got.result.error.c_str());
        QCOMPARE(got.result.rejected, whole.rejected);
        QCOMPARE(got.spans.size(), std::size_t(60 * (17 + 18 + 19)) - whole.rejected);
        QVERIFY(got.largestBatch <= std::size_t(batch));
        for (auto &span : whole.spans)
            ingest::applyExportOverrides(span);
        compareSpans(got.spans, whole.spans);
        std::set<std::pair<std::string, std::string>> groups;
        for (const auto &span : got.spans)
            groups.emplace(span.service_name, span.scope_name);
        QCOMPARE(groups.size(), std::size_t(60 * 3));
        // Every rejected span is named where it is.
        QVERIFY(hasWarning(got.result, "resourceSpans[0].scopeSpans[0].spans[5].traceId"));
    }

    void cancelWhileStreaming()
    {
        // Cancel ends the read at the next batch: the spans handed over before stay, and are counted.
        const QString path = m_dir.filePath(QStringLiteral("cancel.json"));
        bench::writeBigOtlpJson(path.toStdString(), frameworkTemplate(), 12000);
        std::atomic<bool> cancelled { false };
        const auto got = stream(path, 500, &cancelled, 1000, &cancelled);
        QVERIFY(got.result.cancelled);
        QVERIFY(!got.result.ok());
        QCOMPARE(got.result.spans, got.spans.size());
        QVERIFY(got.spans.size() >= 1000 && got.spans.size() < 12000);
        QVERIFY(!got.progress.empty() && got.progress.back() < got.total);

        const QString pb = m_dir.filePath(QStringLiteral("cancel.pb"));
        bench::writeBigOtlpProtobuf(pb.toStdString(), frameworkTemplate(), 6000);
        cancelled = false;
        const auto gotPb = stream(pb, 500, &cancelled, 1000, &cancelled);
        QVERIFY(gotPb.result.cancelled);
        QCOMPARE(gotPb.result.spans, gotPb.spans.size());
        QVERIFY(gotPb.spans.size() >= 1000 && gotPb.spans.size() < 6000);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestTraceFile)
#include "tst_tracefile.moc"
