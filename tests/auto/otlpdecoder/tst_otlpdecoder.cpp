// SPDX-License-Identifier: MIT
#include "ingest/decode.h"
#include "ingest/valuelimits.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include <QFile>
#include <QTest>

#include <cstdio>
#include <random>

using namespace agentops;
namespace pbcommon = opentelemetry::proto::common::v1;
namespace pbtrace = opentelemetry::proto::trace::v1;
namespace pbcollector = opentelemetry::proto::collector::trace::v1;
using nlohmann::json;

namespace agentops::core {
// Found by QCOMPARE through argument-dependent lookup, so failures print the values.
char *toString(const AttrValue &v)
{
    static const char *types[] = { "Empty", "String", "Bool", "Int", "Double", "Bytes", "Json" };
    return qstrdup((std::string(types[int(v.type)]) + ' ' + v.asText()).c_str());
}
} // namespace agentops::core

namespace {

QByteArray bytes(const std::string &s)
{
    return QByteArray::fromStdString(s);
}

std::string readFixture(const char *name)
{
    QFile file(QStringLiteral(AGENTOPS_FIXTURES_DIR "/otlp/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", name);
    return file.readAll().toStdString();
}

struct Decoded
{
    bool ok = false;
    ingest::DecodeResult result;
    ingest::DecodeError fatal;
    QByteArray fatalText() const { return bytes(fatal.toString()); }
    QByteArrayList errorTexts() const
    {
        QByteArrayList out;
        for (const auto &e : result.errors)
            out << bytes(e.toString());
        return out;
    }
};

Decoded decode(std::string_view body, ingest::OtlpEncoding encoding)
{
    Decoded d;
    d.ok = ingest::decodeOtlpTraces(body, encoding, d.result, d.fatal);
    return d;
}

/// Decodes body into reused (a result other bodies were decoded into before) and checks the outcome
/// is the fresh decode's, field for field.
bool decodesAsFresh(std::string_view body, ingest::OtlpEncoding encoding, ingest::DecodeResult &reused)
{
    const Decoded fresh = decode(body, encoding);
    ingest::DecodeError fatal;
    const bool ok = ingest::decodeOtlpTraces(body, encoding, reused, fatal);
    if (ok != fresh.ok || fatal.toString() != fresh.fatal.toString() || reused.rejected != fresh.result.rejected
        || reused.errors.size() != fresh.result.errors.size() || reused.spans != fresh.result.spans)
        return false;
    for (std::size_t i = 0; i < reused.errors.size(); ++i)
        if (reused.errors[i].toString() != fresh.result.errors[i].toString())
            return false;
    return true;
}

/// An OTLP/JSON request of `count` spans whose input.value attribute is `inputBytes` long.
std::string spansWithInput(int count, std::size_t inputBytes, int attributes)
{
    json spans = json::array();
    for (int i = 0; i < count; ++i) {
        json attrs = json::array({ { { "key", "input.value" },
            { "value", { { "stringValue", std::string(inputBytes, char('a' + i % 26)) } } } } });
        for (int a = 0; a < attributes; ++a)
            attrs.push_back({ { "key", "custom.attribute.number." + std::to_string(a) },
                { "value", { { "intValue", std::to_string(a) } } } });
        char spanId[17];
        std::snprintf(spanId, sizeof spanId, "%016x", i + 1);
        spans.push_back({ { "traceId", "5b8efff798038103d269b633813fc60c" }, { "spanId", spanId },
            { "name", "step " + std::to_string(i) }, { "startTimeUnixNano", "100" }, { "endTimeUnixNano", "200" },
            { "attributes", attrs } });
    }
    const json doc
        = { { "resourceSpans", json::array({ { { "scopeSpans", json::array({ { { "spans", spans } } }) } } }) } };
    return doc.dump();
}

Decoded decodeJson(std::string_view body)
{
    return decode(body, ingest::OtlpEncoding::Json);
}

Decoded decodePb(std::string_view body)
{
    return decode(body, ingest::OtlpEncoding::Protobuf);
}

// OTLP/JSON spells ids as hex where the protobuf JSON mapping uses base64; everything else is the
// standard mapping, so protobuf's own JSON parser serves as an independent reference decoder.
void hexIdsToBase64(json &v)
{
    if (v.is_array()) {
        for (auto &item : v)
            hexIdsToBase64(item);
        return;
    }
    if (!v.is_object())
        return;
    for (auto it = v.begin(); it != v.end(); ++it) {
        static const std::set<std::string> ids
            = { "traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id" };
        if (ids.count(it.key()) && it->is_string()) {
            const QByteArray raw = QByteArray::fromHex(QByteArray::fromStdString(it->get<std::string>()));
            *it = raw.toBase64().toStdString();
        } else {
            hexIdsToBase64(*it);
        }
    }
}

std::string otlpJsonToProtobuf(const std::string &otlpJson)
{
    json doc = json::parse(otlpJson);
    hexIdsToBase64(doc);
    pbcollector::ExportTraceServiceRequest request;
    const auto status = google::protobuf::util::JsonStringToMessage(doc.dump(), &request);
    if (!status.ok())
        qFatal("reference JSON parser rejected the fixture: %s", status.ToString().c_str());
    return request.SerializeAsString();
}

/// A request with one span whose fields are given as OTLP/JSON, the rest being a valid span.
std::string requestWithSpan(const json &patch)
{
    json span = {
        { "traceId", "5b8efff798038103d269b633813fc60c" },
        { "spanId", "eee19b7ec3c1b174" },
        { "name", "chat" },
        { "startTimeUnixNano", "1741946400000000000" },
        { "endTimeUnixNano", "1741946401000000000" },
    };
    if (patch.is_object()) // {} in a braced initializer is null, and a null patch would replace the span
        span.merge_patch(patch);
    json doc = { { "resourceSpans",
        json::array({ { { "scopeSpans", json::array({ { { "spans", json::array({ span }) } } }) } } }) } };
    return doc.dump();
}

pbtrace::Span validPbSpan(int n = 1)
{
    pbtrace::Span span;
    span.set_trace_id(std::string("\x5b\x8e\xff\xf7\x98\x03\x81\x03\xd2\x69\xb6\x33\x81\x3f\xc6\x0c", 16));
    span.set_span_id(std::string("\xee\xe1\x9b\x7e\xc3\xc1\xb1", 7) + char(n));
    span.set_name("span " + std::to_string(n));
    span.set_start_time_unix_nano(1741946400000000000ULL + std::uint64_t(n));
    span.set_end_time_unix_nano(1741946401000000000ULL);
    return span;
}

const core::AttrValue *attr(const core::Span &span, std::string_view key)
{
    return core::findAttribute(span.attributes, key);
}

/// An AnyValue nested `levels` arrays deep around a string.
json nestedJsonValue(int levels)
{
    json v = { { "stringValue", "leaf" } };
    for (int i = 0; i < levels; ++i)
        v = { { "arrayValue", { { "values", json::array({ v }) } } } };
    return v;
}

void nestPb(pbcommon::AnyValue *v, int levels)
{
    for (int i = 0; i < levels; ++i)
        v = v->mutable_array_value()->add_values();
    v->set_string_value("leaf");
}

} // namespace

class tst_OtlpDecoder : public QObject
{
    Q_OBJECT

    // moc misreads raw string literals that span lines or contain \": longer JSON lives in fixture files and
    // expected texts with escapes are plain literals.
private Q_SLOTS:
    void initTestCase()
    {
        // Malformed input makes protobuf log every failed parse; the robustness loops would flood the log.
        google::protobuf::SetLogHandler(nullptr);
    }

    void fixtureEncodingsAgree_data()
    {
        QTest::addColumn<QByteArray>("fixture");
        QTest::addColumn<int>("spanCount");
        QTest::newRow("genai agent") << QByteArray("genai_agent_trace.json") << 4;
        QTest::newRow("adk") << QByteArray("adk_weather_trace.json") << 5;
    }

    void fixtureEncodingsAgree()
    {
        QFETCH(QByteArray, fixture);
        QFETCH(int, spanCount);
        const std::string text = readFixture(fixture.constData());
        const Decoded fromJson = decodeJson(text);
        QVERIFY2(fromJson.ok, fromJson.fatalText().constData());
        QCOMPARE(fromJson.errorTexts(), QByteArrayList());
        QCOMPARE(int(fromJson.result.spans.size()), spanCount);
        QCOMPARE(fromJson.result.rejected, std::size_t(0));

        const Decoded fromPb = decodePb(otlpJsonToProtobuf(text));
        QVERIFY2(fromPb.ok, fromPb.fatalText().constData());
        QCOMPARE(fromPb.errorTexts(), QByteArrayList());
        QCOMPARE(fromPb.result.spans.size(), fromJson.result.spans.size());
        for (std::size_t i = 0; i < fromPb.result.spans.size(); ++i)
            QVERIFY2(fromPb.result.spans[i] == fromJson.result.spans[i], fromJson.result.spans[i].name.c_str());
        QVERIFY(fromPb.result.spans == fromJson.result.spans);
    }

    void genaiAgentTrace()
    {
        const Decoded d = decodeJson(readFixture("genai_agent_trace.json"));
        QVERIFY(d.ok);
        const auto &spans = d.result.spans;
        QCOMPARE(spans.size(), std::size_t(4));
        const core::Span &agent = spans[0];
        const core::Span &llm = spans[1];
        const core::Span &tool = spans[2];
        const core::Span &llm2 = spans[3];

        QCOMPARE(bytes(core::toHex(agent.trace_id)), QByteArray("5b8efff798038103d269b633813fc60c"));
        QCOMPARE(bytes(core::toHex(agent.span_id)), QByteArray("eee19b7ec3c1b174"));
        QVERIFY(agent.isRoot());
        QCOMPARE(bytes(agent.name), QByteArray("invoke_agent travel_planner"));
        QCOMPARE(agent.otel_kind, std::uint8_t(1));
        QCOMPARE(agent.start_ns, std::int64_t(1741946400000000000));
        QCOMPARE(agent.end_ns, std::int64_t(1741946404250000000));
        QCOMPARE(bytes(agent.service_name), QByteArray("travel-assistant"));
        QCOMPARE(bytes(agent.scope_name), QByteArray("opentelemetry.instrumentation.openai_v2"));
        QCOMPARE(bytes(agent.scope_version), QByteArray("2.1b0"));
        QCOMPARE(agent.resource.size(), std::size_t(7));
        QCOMPARE(*core::findAttribute(agent.resource, "process.pid"), core::AttrValue::ofInt(48211));
        QCOMPARE(int(agent.status), int(core::StatusCode::Unset));

        QCOMPARE(llm.parent_span_id, agent.span_id);
        QCOMPARE(llm.otel_kind, std::uint8_t(3));
        QCOMPARE(*attr(llm, "gen_ai.request.temperature"), core::AttrValue::ofDouble(0.2));
        QCOMPARE(*attr(llm, "gen_ai.request.max_tokens"), core::AttrValue::ofInt(1024));
        QCOMPARE(*attr(llm, "gen_ai.response.finish_reasons"), core::AttrValue::ofJson(R"(["tool_calls"])"));
        QCOMPARE(llm.events.size(), std::size_t(2));
        QCOMPARE(bytes(llm.events[0].name), QByteArray("gen_ai.user.message"));
        QCOMPARE(llm.events[0].time_ns, std::int64_t(1741946400121000000));
        QCOMPARE(bytes(llm.events[1].attributes.back().value.s),
            QByteArray(R"({"role":"assistant","tool_calls":[{"id":"call_VSPygqKTWdrhaFErNvMV18Yl",)"
                       R"("type":"function","function":{"name":"search_flights",)"
                       "\"arguments\":\"{\\\"from\\\":\\\"ZRH\\\",\\\"to\\\":\\\"LIS\\\",\\\"date\\\":\\\"2025-03-"
                       "21\\\"}\"}}]}"));
        QCOMPARE(llm.events[1].attributes.back().value.type, core::AttrValue::Type::Json);
        // Normalized on the way out: the GenAI attributes became canonical fields.
        QCOMPARE(int(llm.kind), int(core::SpanKind::Llm));
        QCOMPARE(bytes(llm.request_model), QByteArray("gpt-4o"));
        QCOMPARE(bytes(llm.response_model), QByteArray("gpt-4o-2024-08-06"));
        QCOMPARE(llm.tokens.input, std::optional<std::int64_t>(412));
        QCOMPARE(llm.tokens.output, std::optional<std::int64_t>(38));
        QCOMPARE(int(agent.kind), int(core::SpanKind::Agent));
        QCOMPARE(int(tool.kind), int(core::SpanKind::Tool));

        QCOMPARE(int(tool.status), int(core::StatusCode::Error));
        QCOMPARE(bytes(tool.status_message), QByteArray("flight search backend did not answer within 1s"));
        QCOMPARE(*core::findAttribute(tool.events[0].attributes, "exception.escaped"), core::AttrValue::ofBool(false));
        QCOMPARE(tool.links.size(), std::size_t(1));
        QCOMPARE(bytes(core::toHex(tool.links[0].trace_id)), QByteArray("0af7651916cd43dd8448eb211c80319c"));
        QCOMPARE(bytes(core::toHex(tool.links[0].span_id)), QByteArray("b7ad6b7169203331"));
        QCOMPARE(tool.links[0].attributes.size(), std::size_t(1));
        QCOMPARE(int(llm2.status), int(core::StatusCode::Ok));
    }

    void adkTrace()
    {
        const Decoded d = decodeJson(readFixture("adk_weather_trace.json"));
        QVERIFY2(d.ok, d.fatalText().constData());
        const auto &spans = d.result.spans;
        QCOMPARE(spans.size(), std::size_t(5));
        QCOMPARE(bytes(core::toHex(spans[0].trace_id)), QByteArray("9f2c4a1e7b3d4c8a9e6f0b1c2d3e4f50"));
        QVERIFY(spans[0].isRoot());
        QCOMPARE(spans[1].parent_span_id, spans[0].span_id);
        QCOMPARE(spans[2].parent_span_id, spans[1].span_id);
        QCOMPARE(bytes(spans[2].service_name), QByteArray("weather-agent"));
        QCOMPARE(bytes(spans[2].scope_name), QByteArray("gcp.vertex.agent"));
        QCOMPARE(spans[2].start_ns, std::int64_t(1741950000020000000));
        QCOMPARE(spans[0].start_ns, std::int64_t(1741950000000000000));
        QCOMPARE(*attr(spans[2], "gen_ai.usage.input_tokens"), core::AttrValue::ofInt(97));
        QCOMPARE(int(spans[4].status), int(core::StatusCode::Ok));
        QCOMPARE(int(spans[2].kind), int(core::SpanKind::Llm));
        QCOMPARE(int(spans[3].kind), int(core::SpanKind::Tool));
    }

    void anyValueTypes()
    {
        const json attributes = json::array({
            { { "key", "s" }, { "value", { { "stringValue", "text" } } } },
            { { "key", "b" }, { "value", { { "boolValue", true } } } },
            { { "key", "i" }, { "value", { { "intValue", "-42" } } } },
            { { "key", "in" }, { "value", { { "intValue", 7 } } } },
            { { "key", "d" }, { "value", { { "doubleValue", 1.5 } } } },
            { { "key", "dint" }, { "value", { { "doubleValue", 3 } } } },
            { { "key", "dstr" }, { "value", { { "doubleValue", "2.5" } } } },
            { { "key", "dnan" }, { "value", { { "doubleValue", "NaN" } } } },
            { { "key", "dinf" }, { "value", { { "doubleValue", "-Infinity" } } } },
            { { "key", "bytes" }, { "value", { { "bytesValue", "AQID" } } } },
            { { "key", "bytesurl" }, { "value", { { "bytesValue", "-_8" } } } },
            { { "key", "arr" },
                { "value",
                    { { "arrayValue",
                        { { "values",
                            json::array({ { { "stringValue", "a" } }, { { "intValue", "1" } },
                                { { "doubleValue", 2.5 } }, { { "boolValue", false } }, json::object(),
                                { { "bytesValue", "AQID" } }, { { "doubleValue", "Infinity" } },
                                { { "arrayValue", { { "values", json::array({ { { "intValue", 1 } } }) } } } },
                                { { "kvlistValue", json::object() } } }) } } } } } },
            { { "key", "kv" },
                { "value",
                    { { "kvlistValue",
                        { { "values",
                            json::array({ { { "key", "k" }, { "value", { { "stringValue", "v\"q" } } } },
                                { { "key", "n" },
                                    { "value",
                                        { { "kvlistValue",
                                            { { "values",
                                                json::array({ { { "key", "m" },
                                                    { "value", { { "intValue", 1 } } } } }) } } } } } },
                                { { "key", "none" } } }) } } } } } },
            { { "key", "emptyarr" }, { "value", { { "arrayValue", json::object() } } } },
            { { "key", "empty" }, { "value", json::object() } },
            { { "key", "missing" } },
        });
        const Decoded d = decodeJson(requestWithSpan({ { "attributes", attributes } }));
        QVERIFY2(d.ok, d.fatalText().constData());
        QCOMPARE(d.errorTexts(), QByteArrayList());
        QCOMPARE(d.result.spans.size(), std::size_t(1));
        const core::Span &span = d.result.spans[0];
        QCOMPARE(*attr(span, "s"), core::AttrValue::ofString("text"));
        QCOMPARE(*attr(span, "b"), core::AttrValue::ofBool(true));
        QCOMPARE(*attr(span, "i"), core::AttrValue::ofInt(-42));
        QCOMPARE(*attr(span, "in"), core::AttrValue::ofInt(7));
        QCOMPARE(*attr(span, "d"), core::AttrValue::ofDouble(1.5));
        QCOMPARE(*attr(span, "dint"), core::AttrValue::ofDouble(3));
        QCOMPARE(*attr(span, "dstr"), core::AttrValue::ofDouble(2.5));
        QVERIFY(attr(span, "dnan")->type == core::AttrValue::Type::Double && std::isnan(attr(span, "dnan")->d));
        QCOMPARE(*attr(span, "dinf"), core::AttrValue::ofDouble(-std::numeric_limits<double>::infinity()));
        QCOMPARE(*attr(span, "bytes"), core::AttrValue::ofBytesBase64("AQID"));
        // URL-safe and unpadded input comes out in the one canonical spelling.
        QCOMPARE(*attr(span, "bytesurl"), core::AttrValue::ofBytesBase64("+/8="));
        QCOMPARE(*attr(span, "arr"), core::AttrValue::ofJson(R"(["a",1,2.5,false,null,"AQID","Infinity",[1],{}])"));
        QCOMPARE(*attr(span, "kv"), core::AttrValue::ofJson("{\"k\":\"v\\\"q\",\"n\":{\"m\":1},\"none\":null}"));
        QCOMPARE(*attr(span, "emptyarr"), core::AttrValue::ofJson("[]"));
        QCOMPARE(*attr(span, "empty"), core::AttrValue {});
        QCOMPARE(*attr(span, "missing"), core::AttrValue {});
        QCOMPARE(span.attributes.size(), attributes.size());

        // The same values built as protobuf decode to the same span (NaN aside, which never compares equal).
        pbcollector::ExportTraceServiceRequest request;
        auto *pbSpan = request.add_resource_spans()->add_scope_spans()->add_spans();
        *pbSpan = validPbSpan();
        pbSpan->set_trace_id(std::string(reinterpret_cast<const char *>(span.trace_id.data()), 16));
        pbSpan->set_span_id(std::string(reinterpret_cast<const char *>(span.span_id.data()), 8));
        pbSpan->set_name(span.name);
        pbSpan->set_start_time_unix_nano(std::uint64_t(span.start_ns));
        pbSpan->set_end_time_unix_nano(std::uint64_t(span.end_ns));
        auto add = [&](const char *key) {
            auto *kv = pbSpan->add_attributes();
            kv->set_key(key);
            return kv->mutable_value();
        };
        add("s")->set_string_value("text");
        add("b")->set_bool_value(true);
        add("i")->set_int_value(-42);
        add("in")->set_int_value(7);
        add("d")->set_double_value(1.5);
        add("dint")->set_double_value(3);
        add("dstr")->set_double_value(2.5);
        add("dnan")->set_double_value(0.25);
        add("dinf")->set_double_value(-std::numeric_limits<double>::infinity());
        add("bytes")->set_bytes_value(std::string("\x01\x02\x03", 3));
        add("bytesurl")->set_bytes_value(std::string("\xfb\xff", 2));
        auto *arr = add("arr")->mutable_array_value();
        arr->add_values()->set_string_value("a");
        arr->add_values()->set_int_value(1);
        arr->add_values()->set_double_value(2.5);
        arr->add_values()->set_bool_value(false);
        arr->add_values();
        arr->add_values()->set_bytes_value(std::string("\x01\x02\x03", 3));
        arr->add_values()->set_double_value(std::numeric_limits<double>::infinity());
        arr->add_values()->mutable_array_value()->add_values()->set_int_value(1);
        arr->add_values()->mutable_kvlist_value();
        auto *kv = add("kv")->mutable_kvlist_value();
        auto *k = kv->add_values();
        k->set_key("k");
        k->mutable_value()->set_string_value("v\"q");
        auto *n = kv->add_values();
        n->set_key("n");
        auto *m = n->mutable_value()->mutable_kvlist_value()->add_values();
        m->set_key("m");
        m->mutable_value()->set_int_value(1);
        kv->add_values()->set_key("none");
        add("emptyarr")->mutable_array_value();
        add("empty");
        add("missing");
        const Decoded p = decodePb(request.SerializeAsString());
        QVERIFY(p.ok);
        QCOMPARE(p.result.spans.size(), std::size_t(1));
        core::Span fromPb = p.result.spans[0];
        core::Span fromJson = span;
        fromPb.attributes[7].value.d = fromJson.attributes[7].value.d = 0;
        QVERIFY(fromPb == fromJson);
    }

    void int64Forms()
    {
        const Decoded d = decodeJson(requestWithSpan({
            { "startTimeUnixNano", 1741946400000000001 },
            { "endTimeUnixNano", "1741946400000000002" },
            { "attributes",
                json::array({
                    { { "key", "max" }, { "value", { { "intValue", "9223372036854775807" } } } },
                    { { "key", "min" }, { "value", { { "intValue", "-9223372036854775808" } } } },
                    { { "key", "num" }, { "value", { { "intValue", -12 } } } },
                    { { "key", "float" }, { "value", { { "intValue", 1e3 } } } },
                }) },
        }));
        QVERIFY(d.ok);
        QCOMPARE(d.errorTexts(), QByteArrayList());
        const core::Span &span = d.result.spans.at(0);
        QCOMPARE(span.start_ns, std::int64_t(1741946400000000001));
        QCOMPARE(span.end_ns, std::int64_t(1741946400000000002));
        QCOMPARE(*attr(span, "max"), core::AttrValue::ofInt(std::numeric_limits<std::int64_t>::max()));
        QCOMPARE(*attr(span, "min"), core::AttrValue::ofInt(std::numeric_limits<std::int64_t>::min()));
        QCOMPARE(*attr(span, "num"), core::AttrValue::ofInt(-12));
        QCOMPARE(*attr(span, "float"), core::AttrValue::ofInt(1000));

        // Numbers and strings are the same thing.
        const Decoded asNumbers = decodeJson(requestWithSpan(
            { { "startTimeUnixNano", 1741946400000000000 }, { "endTimeUnixNano", 1741946401000000000 } }));
        const Decoded asStrings = decodeJson(requestWithSpan({}));
        QVERIFY(asNumbers.ok && asStrings.ok);
        QCOMPARE(asNumbers.result.spans.size(), std::size_t(1));
        QVERIFY(asNumbers.result.spans == asStrings.result.spans);
    }

    void hexCase()
    {
        const Decoded lower = decodeJson(requestWithSpan({ { "parentSpanId", "0a0b0c0d0e0f1011" } }));
        const Decoded upper = decodeJson(requestWithSpan({ { "traceId", "5B8EFFF798038103D269B633813FC60C" },
            { "spanId", "EEE19B7EC3C1B174" }, { "parentSpanId", "0A0b0C0d0E0f1011" } }));
        QVERIFY(lower.ok && upper.ok);
        QCOMPARE(upper.errorTexts(), QByteArrayList());
        QCOMPARE(upper.result.spans.size(), std::size_t(1));
        QVERIFY(upper.result.spans == lower.result.spans);
        QCOMPARE(bytes(core::toHex(upper.result.spans[0].parent_span_id)), QByteArray("0a0b0c0d0e0f1011"));
    }

    void enums_data()
    {
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<int>("otelKind");
        QTest::addColumn<int>("status");
        QTest::newRow("numbers") << QByteArray(R"({"kind": 3, "status": {"code": 2}})") << 3 << 2;
        QTest::newRow("names") << QByteArray(R"({"kind": "SPAN_KIND_CLIENT", "status": {"code": "STATUS_CODE_ERROR"}})")
                               << 3 << 2;
        QTest::newRow("number as string") << QByteArray(R"({"kind": "5", "status": {"code": "1"}})") << 0 << 0;
        QTest::newRow("server ok") << QByteArray(
            R"({"kind": "SPAN_KIND_SERVER", "status": {"code": "STATUS_CODE_OK"}})")
                                   << 2 << 1;
        QTest::newRow("consumer unset") << QByteArray(R"({"kind": 5, "status": {"code": 0}})") << 5 << 0;
        QTest::newRow("absent") << QByteArray(R"({})") << 0 << 0;
        // Enums are open in proto3: values from a newer protocol version read as unspecified.
        QTest::newRow("unknown numbers") << QByteArray(R"({"kind": 9, "status": {"code": 7}})") << 0 << 0;
    }

    void enums()
    {
        QFETCH(QByteArray, patch);
        QFETCH(int, otelKind);
        QFETCH(int, status);
        const Decoded d = decodeJson(requestWithSpan(json::parse(patch.toStdString())));
        QVERIFY(d.ok);
        if (QByteArray(QTest::currentDataTag()) == "number as string") {
            // Names are names: a digit string is not one.
            QCOMPARE(d.errorTexts(),
                QByteArrayList { "resourceSpans[0].scopeSpans[0].spans[0].kind: unknown span kind \"5\"" });
            return;
        }
        QCOMPARE(d.errorTexts(), QByteArrayList());
        QCOMPARE(int(d.result.spans.at(0).otel_kind), otelKind);
        QCOMPARE(int(d.result.spans.at(0).status), status);
    }

    void snakeCaseKeys()
    {
        // The same request with the JSON names and with the original proto field names.
        const std::string camel = readFixture("all_fields_camel.json");
        const std::string snake = readFixture("all_fields_snake.json");
        const Decoded c = decodeJson(camel);
        const Decoded s = decodeJson(snake);
        QVERIFY(c.ok && s.ok);
        QCOMPARE(c.errorTexts(), QByteArrayList());
        QCOMPARE(s.errorTexts(), QByteArrayList());
        QCOMPARE(c.result.spans.size(), std::size_t(1));
        QVERIFY(c.result.spans == s.result.spans);

        const core::Span &span = c.result.spans[0];
        QCOMPARE(bytes(span.trace_state), QByteArray("vendor=1"));
        QCOMPARE(span.otel_kind, std::uint8_t(2));
        QCOMPARE(span.dropped_attributes, 2u);
        QCOMPARE(span.dropped_events, 3u);
        QCOMPARE(span.dropped_links, 4u);
        QCOMPARE(int(span.status), int(core::StatusCode::Error));
        QCOMPARE(bytes(span.status_message), QByteArray("boom"));
        QCOMPARE(*attr(span, "a"), core::AttrValue::ofJson(R"([1,{"x":true}])"));
        QCOMPARE(span.events.size(), std::size_t(1));
        QCOMPARE(span.events[0].time_ns, std::int64_t(15));
        QCOMPARE(span.events[0].attributes[0].value, core::AttrValue::ofBytesBase64("AAE="));
        QCOMPARE(span.links.size(), std::size_t(1));
        QCOMPARE(bytes(span.links[0].trace_state), QByteArray("x=y"));
        QCOMPARE(span.links[0].attributes[0].value, core::AttrValue::ofDouble(0.5));
        QCOMPARE(bytes(span.service_name), QByteArray("svc"));
        QCOMPARE(bytes(span.scope_name), QByteArray("lib"));
        QCOMPARE(bytes(span.scope_version), QByteArray("2"));

        // And the protobuf encoding of the same request gives the same span.
        const Decoded p = decodePb(otlpJsonToProtobuf(camel));
        QVERIFY(p.ok);
        QVERIFY(p.result.spans == c.result.spans);
    }

    void resourceDefaults()
    {
        const Decoded d = decodeJson(requestWithSpan({}));
        QVERIFY(d.ok);
        const core::Span &span = d.result.spans.at(0);
        QCOMPARE(bytes(span.service_name), QByteArray("unknown_service"));
        QVERIFY(span.resource.empty());
        QVERIFY(span.scope_name.empty());
        QVERIFY(span.isRoot());

        // Spans of two resources keep their own resource and service.
        pbcollector::ExportTraceServiceRequest request;
        for (int r = 0; r < 2; ++r) {
            auto *rs = request.add_resource_spans();
            auto *kv = rs->mutable_resource()->add_attributes();
            kv->set_key("service.name");
            kv->mutable_value()->set_string_value("svc" + std::to_string(r));
            auto *ss = rs->add_scope_spans();
            ss->mutable_scope()->set_name("scope" + std::to_string(r));
            *ss->add_spans() = validPbSpan(r + 1);
        }
        const Decoded p = decodePb(request.SerializeAsString());
        QVERIFY(p.ok);
        QCOMPARE(p.result.spans.size(), std::size_t(2));
        QCOMPARE(bytes(p.result.spans[0].service_name), QByteArray("svc0"));
        QCOMPARE(bytes(p.result.spans[1].service_name), QByteArray("svc1"));
        QCOMPARE(bytes(p.result.spans[1].scope_name), QByteArray("scope1"));
        QCOMPARE(p.result.spans[1].resource.size(), std::size_t(1));
    }

    void jsonValidationErrors_data()
    {
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("error");
        auto row = [](const char *tag, const char *patch, const char *error) {
            QTest::newRow(tag) << QByteArray(patch)
                               << QByteArray("resourceSpans[0].scopeSpans[0].spans[0]") + QByteArray(error);
        };
        row("traceId short", R"({"traceId": "5b8efff7"})", ".traceId: must be 32 hex digits");
        row("traceId not hex", R"({"traceId": "5b8efff798038103d269b633813fc60g"})", ".traceId: must be 32 hex digits");
        row("traceId base64", R"({"traceId": "W47/95gDgQPSabYzgT/GDA=="})", ".traceId: must be 32 hex digits");
        row("traceId missing", R"({"traceId": null})", ".traceId: must be 32 hex digits");
        row("traceId empty", R"({"traceId": ""})", ".traceId: must be 32 hex digits");
        row("traceId number", R"({"traceId": 12})", ".traceId: must be a string of 32 hex digits");
        row("traceId zero", R"({"traceId": "00000000000000000000000000000000"})", ".traceId: must not be all zero");
        row("spanId short", R"({"spanId": "eee19b7ec3c1b17"})", ".spanId: must be 16 hex digits");
        row("spanId zero", R"({"spanId": "0000000000000000"})", ".spanId: must not be all zero");
        row("parentSpanId short", R"({"parentSpanId": "abcd"})", ".parentSpanId: must be 16 hex digits or empty");
        row("name empty", R"({"name": ""})", ".name: must not be empty");
        row("name missing", R"({"name": null})", ".name: must not be empty");
        row("name number", R"({"name": 5})", ".name: must be a string");
        row("start zero", R"({"startTimeUnixNano": "0"})", ".startTimeUnixNano: must not be zero");
        row("start missing", R"({"startTimeUnixNano": null})", ".startTimeUnixNano: must not be zero");
        row("start text", R"({"startTimeUnixNano": "soon"})",
            ".startTimeUnixNano: must be an unsigned 64-bit integer (number or decimal string)");
        row("start negative", R"({"startTimeUnixNano": -5})",
            ".startTimeUnixNano: must be an unsigned 64-bit integer (number or decimal string)");
        row("start too large", R"({"startTimeUnixNano": "18446744073709551615"})", ".startTimeUnixNano: out of range");
        row("end before start", R"({"endTimeUnixNano": "1741946399999999999"})",
            ".endTimeUnixNano: must not be before startTimeUnixNano");
        row("end missing", R"({"endTimeUnixNano": null})", ".endTimeUnixNano: must not be before startTimeUnixNano");
        row("kind name", R"({"kind": "SPAN_KIND_BOGUS"})", R"(.kind: unknown span kind "SPAN_KIND_BOGUS")");
        row("kind type", R"({"kind": true})", ".kind: must be an enum name or number");
        row("status type", R"({"status": "ok"})", ".status: must be an object");
        row("status code", R"({"status": {"code": "STATUS_CODE_MAYBE"}})",
            R"(.status.code: unknown status code "STATUS_CODE_MAYBE")");
        row("status message", R"({"status": {"message": 1}})", ".status.message: must be a string");
        row("attributes type", R"({"attributes": {"a": 1}})", ".attributes: must be an array");
        row("attribute type", R"({"attributes": [1]})", ".attributes[0]: must be an object");
        row("attribute key", R"({"attributes": [{"key": 1}]})", ".attributes[0].key: must be a string");
        row("attribute value type", R"({"attributes": [{"key": "a", "value": "x"}]})",
            ".attributes[0].value: must be an object");
        row("intValue", R"({"attributes": [{"key": "a", "value": {"intValue": "12a"}}]})",
            ".attributes[0].value.intValue: must be a 64-bit integer (number or decimal string)");
        row("intValue fraction", R"({"attributes": [{"key": "a", "value": {"intValue": 1.5}}]})",
            ".attributes[0].value.intValue: must be a 64-bit integer (number or decimal string)");
        row("intValue overflow", R"({"attributes": [{"key": "a", "value": {"intValue": "9223372036854775808"}}]})",
            ".attributes[0].value.intValue: must be a 64-bit integer (number or decimal string)");
        row("boolValue", R"({"attributes": [{"key": "a", "value": {"boolValue": "true"}}]})",
            ".attributes[0].value.boolValue: must be true or false");
        row("doubleValue", R"({"attributes": [{"key": "a", "value": {"doubleValue": "fast"}}]})",
            ".attributes[0].value.doubleValue: must be a number");
        row("stringValue", R"({"attributes": [{"key": "a", "value": {"stringValue": 1}}]})",
            ".attributes[0].value.stringValue: must be a string");
        row("bytesValue", R"({"attributes": [{"key": "a", "value": {"bytesValue": "!!"}}]})",
            ".attributes[0].value.bytesValue: must be a base64 string");
        row("arrayValue type", R"({"attributes": [{"key": "a", "value": {"arrayValue": []}}]})",
            ".attributes[0].value.arrayValue: must be an object");
        row("arrayValue values", R"({"attributes": [{"key": "a", "value": {"arrayValue": {"values": {}}}}]})",
            ".attributes[0].value.arrayValue.values: must be an array");
        row("array element",
            R"({"attributes": [{"key": "a", "value": {"arrayValue": {"values": [{}, {}, {"stringValue": 3}]}}}]})",
            ".attributes[0].value.arrayValue.values[2].stringValue: must be a string");
        row("kvlist element",
            R"({"attributes": [{"key": "a", "value": {"kvlistValue": {"values": [{"key": "x"}, {"key": "y", "value": {"intValue": "z"}}]}}}]})",
            ".attributes[0].value.kvlistValue.values[1].value.intValue: must be a 64-bit integer (number or decimal "
            "string)");
        row("kvlist key", R"({"attributes": [{"key": "a", "value": {"kvlistValue": {"values": [{"key": false}]}}}]})",
            ".attributes[0].value.kvlistValue.values[0].key: must be a string");
        row("events type", R"({"events": {}})", ".events: must be an array");
        row("event type", R"({"events": [{"name": "a"}, 2]})", ".events[1]: must be an object");
        row("event time", R"({"events": [{"name": "a"}, {"timeUnixNano": "x"}]})",
            ".events[1].timeUnixNano: must be an unsigned 64-bit integer (number or decimal string)");
        row("event attribute", R"({"events": [{"attributes": [{"key": "k", "value": {"boolValue": 1}}]}]})",
            ".events[0].attributes[0].value.boolValue: must be true or false");
        row("links type", R"({"links": 1})", ".links: must be an array");
        row("link traceId", R"({"links": [{"traceId": "abc", "spanId": "b7ad6b7169203331"}]})",
            ".links[0].traceId: must be 32 hex digits");
        row("link spanId", R"({"links": [{"traceId": "0af7651916cd43dd8448eb211c80319c"}]})",
            ".links[0].spanId: must be 16 hex digits");
        row("dropped count", R"({"droppedAttributesCount": -1})",
            ".droppedAttributesCount: must be an unsigned 32-bit integer");
        row("dropped events", R"({"droppedEventsCount": 4294967296})",
            ".droppedEventsCount: must be an unsigned 32-bit integer");
        row("flags", R"({"flags": "x"})", ".flags: must be an unsigned 32-bit integer");
        row("too deep", "", "");
    }

    void jsonValidationErrors()
    {
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, error);
        json patchJson;
        if (patch.isEmpty()) {
            patchJson = { { "attributes", json::array({ { { "key", "deep" }, { "value", nestedJsonValue(33) } } }) } };
            error += ".attributes[0].value";
            for (int i = 0; i < 32; ++i)
                error += ".arrayValue.values[0]";
            error += ": nesting deeper than 32 levels";
        } else {
            patchJson = json::parse(patch.toStdString());
        }
        const Decoded d = decodeJson(requestWithSpan(patchJson));
        QVERIFY2(d.ok, d.fatalText().constData());
        QCOMPARE(d.errorTexts(), QByteArrayList { error });
        QCOMPARE(d.result.rejected, std::size_t(1));
        QVERIFY(d.result.spans.empty());
    }

    void protobufValidationErrors_data()
    {
        QTest::addColumn<int>("mutation");
        QTest::addColumn<QByteArray>("error");
        const char *errors[] = {
            "traceId: must be 16 bytes",
            "traceId: must be 16 bytes",
            "traceId: must not be all zero",
            "spanId: must be 8 bytes",
            "spanId: must not be all zero",
            "parentSpanId: must be 8 bytes or empty",
            "name: must not be empty",
            "startTimeUnixNano: must not be zero",
            "endTimeUnixNano: must not be before startTimeUnixNano",
            "startTimeUnixNano: out of range",
            "endTimeUnixNano: out of range",
            "links[0].traceId: must be 16 bytes",
            "links[0].spanId: must be 8 bytes",
            "attributes[1].value.kvlistValue.values[0].value",
            "events[0].attributes[0].value",
        };
        const char *tags[] = { "traceId 15 bytes", "traceId empty", "traceId zero", "spanId 9 bytes", "spanId zero",
            "parent 4 bytes", "name empty", "start zero", "end before start", "start > int64", "end > int64",
            "link traceId", "link spanId", "too deep attribute", "too deep event" };
        for (int i = 0; i < int(std::size(errors)); ++i)
            QTest::newRow(tags[i]) << i << QByteArray("resourceSpans[0].scopeSpans[1].spans[3].") + errors[i];
    }

    void protobufValidationErrors()
    {
        QFETCH(int, mutation);
        QFETCH(QByteArray, error);
        pbcollector::ExportTraceServiceRequest request;
        auto *rs = request.add_resource_spans();
        *rs->add_scope_spans()->add_spans() = validPbSpan(1);
        auto *scope = rs->add_scope_spans();
        for (int i = 0; i < 4; ++i)
            *scope->add_spans() = validPbSpan(10 + i);
        pbtrace::Span &bad = *scope->mutable_spans(3);
        switch (mutation) {
        case 0: bad.mutable_trace_id()->pop_back(); break;
        case 1: bad.clear_trace_id(); break;
        case 2: bad.set_trace_id(std::string(16, '\0')); break;
        case 3: bad.mutable_span_id()->push_back('x'); break;
        case 4: bad.set_span_id(std::string(8, '\0')); break;
        case 5: bad.set_parent_span_id("abcd"); break;
        case 6: bad.clear_name(); break;
        case 7: bad.set_start_time_unix_nano(0); break;
        case 8: bad.set_end_time_unix_nano(bad.start_time_unix_nano() - 1); break;
        case 9: bad.set_start_time_unix_nano(1ULL << 63); break;
        case 10: bad.set_end_time_unix_nano(~0ULL); break;
        case 11: {
            auto *link = bad.add_links();
            link->set_trace_id("abc");
            link->set_span_id("12345678");
            break;
        }
        case 12: {
            auto *link = bad.add_links();
            link->set_trace_id(bad.trace_id());
            break;
        }
        case 13: {
            auto *ok = bad.add_attributes();
            ok->set_key("ok");
            nestPb(ok->mutable_value(), 32);
            auto *kv = bad.add_attributes();
            kv->set_key("deep");
            auto *inner = kv->mutable_value()->mutable_kvlist_value()->add_values();
            inner->set_key("x");
            nestPb(inner->mutable_value(), 32);
            for (int i = 0; i < 31; ++i)
                error += ".arrayValue.values[0]";
            error += ": nesting deeper than 32 levels";
            break;
        }
        case 14: {
            auto *kv = bad.add_events()->add_attributes();
            kv->set_key("deep");
            nestPb(kv->mutable_value(), 40);
            for (int i = 0; i < 32; ++i)
                error += ".arrayValue.values[0]";
            error += ": nesting deeper than 32 levels";
            break;
        }
        }
        const Decoded d = decodePb(request.SerializeAsString());
        QVERIFY2(d.ok, d.fatalText().constData());
        QCOMPARE(d.errorTexts(), QByteArrayList { error });
        QCOMPARE(d.result.rejected, std::size_t(1));
        QCOMPARE(d.result.spans.size(), std::size_t(4));
        QCOMPARE(bytes(d.result.spans[3].name), QByteArray("span 12"));
    }

    void nestingLimitIsTheSameInBothEncodings()
    {
        for (int levels : { 31, 32, 33, 40 }) {
            const std::string body = requestWithSpan(
                { { "attributes", json::array({ { { "key", "deep" }, { "value", nestedJsonValue(levels) } } }) } });
            const Decoded j = decodeJson(body);
            const Decoded p = decodePb(otlpJsonToProtobuf(body));
            QVERIFY(j.ok && p.ok);
            QCOMPARE(j.result.spans.size(), levels <= 32 ? std::size_t(1) : std::size_t(0));
            QCOMPARE(p.errorTexts(), j.errorTexts());
            QVERIFY(p.result.spans == j.result.spans);
        }
    }

    void partialRejection()
    {
        json spans = json::array();
        for (int i = 0; i < 5; ++i) {
            json span = { { "traceId", "5b8efff798038103d269b633813fc60c" },
                { "spanId", "00000000000000a" + std::to_string(i) }, { "name", "s" + std::to_string(i) },
                { "startTimeUnixNano", "100" }, { "endTimeUnixNano", "200" } };
            if (i == 1)
                span["spanId"] = "xyz";
            if (i == 3)
                span["endTimeUnixNano"] = "50";
            spans.push_back(span);
        }
        const json doc
            = { { "resourceSpans", json::array({ { { "scopeSpans", json::array({ { { "spans", spans } } }) } } }) } };
        const Decoded d = decodeJson(doc.dump());
        QVERIFY(d.ok);
        QCOMPARE(d.result.spans.size(), std::size_t(3));
        QCOMPARE(d.result.rejected, std::size_t(2));
        QCOMPARE(d.errorTexts(),
            (QByteArrayList { "resourceSpans[0].scopeSpans[0].spans[1].spanId: must be 16 hex digits",
                "resourceSpans[0].scopeSpans[0].spans[3].endTimeUnixNano: must not be before "
                "startTimeUnixNano" }));
        QCOMPARE(bytes(d.result.spans[2].name), QByteArray("s4"));

        const Decoded p = decodePb(otlpJsonToProtobuf(doc.dump().replace(doc.dump().find("xyz"), 3, "abcdef")));
        QVERIFY(p.ok);
        QCOMPARE(p.result.rejected, std::size_t(2));
        QCOMPARE(
            p.errorTexts().constFirst(), QByteArray("resourceSpans[0].scopeSpans[0].spans[1].spanId: must be 8 bytes"));

        // A span that is not an object is one rejected span too.
        const Decoded notObject = decodeJson(
            R"({"resourceSpans":[{"scopeSpans":[{"spans":[7, {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"n","startTimeUnixNano":1,"endTimeUnixNano":2}]}]}]})");
        QVERIFY(notObject.ok);
        QCOMPARE(
            notObject.errorTexts(), QByteArrayList { "resourceSpans[0].scopeSpans[0].spans[0]: must be an object" });
        QCOMPARE(notObject.result.spans.size(), std::size_t(1));
    }

    void reportedErrorsAreCapped()
    {
        pbcollector::ExportTraceServiceRequest request;
        auto *ss = request.add_resource_spans()->add_scope_spans();
        for (int i = 0; i < 30; ++i) {
            auto *span = ss->add_spans();
            *span = validPbSpan(i + 1);
            span->clear_name();
        }
        *ss->add_spans() = validPbSpan(99);
        const Decoded d = decodePb(request.SerializeAsString());
        QVERIFY(d.ok);
        QCOMPARE(d.result.rejected, std::size_t(30));
        QCOMPARE(d.result.errors.size(), ingest::kMaxReportedErrors);
        QCOMPARE(d.result.spans.size(), std::size_t(1));
        QCOMPARE(
            d.errorTexts().constLast(), QByteArray("resourceSpans[0].scopeSpans[0].spans[19].name: must not be empty"));
    }

    void fatalErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("array") << QByteArray("[]")
                               << QByteArray("body must be a JSON object (ExportTraceServiceRequest)");
        QTest::newRow("string") << QByteArray("\"x\"")
                                << QByteArray("body must be a JSON object (ExportTraceServiceRequest)");
        QTest::newRow("resourceSpans") << QByteArray(R"({"resourceSpans": {}})")
                                       << QByteArray("resourceSpans: must be an array");
        QTest::newRow("resourceSpans item")
            << QByteArray(R"({"resourceSpans": [{}, 5]})") << QByteArray("resourceSpans[1]: must be an object");
        QTest::newRow("scopeSpans") << QByteArray(R"({"resourceSpans": [{"scopeSpans": {}}]})")
                                    << QByteArray("resourceSpans[0].scopeSpans: must be an array");
        QTest::newRow("scopeSpans item") << QByteArray(R"({"resourceSpans": [{"scope_spans": [[]]}]})")
                                         << QByteArray("resourceSpans[0].scopeSpans[0]: must be an object");
        QTest::newRow("spans") << QByteArray(R"({"resourceSpans": [{"scopeSpans": [{}, {"spans": 3}]}]})")
                               << QByteArray("resourceSpans[0].scopeSpans[1].spans: must be an array");
        QTest::newRow("resource") << QByteArray(R"({"resourceSpans": [{"resource": []}]})")
                                  << QByteArray("resourceSpans[0].resource: must be an object");
        QTest::newRow("resource attributes") << QByteArray(R"({"resourceSpans": [{"resource": {"attributes": {}}}]})")
                                             << QByteArray("resourceSpans[0].resource.attributes: must be an array");
        QTest::newRow("resource attribute value")
            << QByteArray(
                   R"({"resourceSpans": [{"resource": {"attributes": [{"key": "k", "value": {"intValue": true}}]}}]})")
            << QByteArray("resourceSpans[0].resource.attributes[0].value.intValue: must be a 64-bit integer (number "
                          "or decimal string)");
        QTest::newRow("scope") << QByteArray(R"({"resourceSpans": [{"scopeSpans": [{"scope": 1}]}]})")
                               << QByteArray("resourceSpans[0].scopeSpans[0].scope: must be an object");
        QTest::newRow("scope name") << QByteArray(R"({"resourceSpans": [{"scopeSpans": [{"scope": {"name": 1}}]}]})")
                                    << QByteArray("resourceSpans[0].scopeSpans[0].scope.name: must be a string");
        QTest::newRow("too deep") << QByteArray(300, '[') + QByteArray(300, ']')
                                  << QByteArray("JSON nested deeper than 256 levels");
    }

    void fatalErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, error);
        const Decoded d = decodeJson(body.toStdString());
        QVERIFY(!d.ok);
        QCOMPARE(d.fatalText(), error);
        QVERIFY(d.result.spans.empty());
    }

    void notJson_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("open brace") << QByteArray("{");
        QTest::newRow("garbage") << QByteArray("resourceSpans");
        QTest::newRow("trailing") << QByteArray("{} {}");
        QTest::newRow("bad utf-8") << QByteArray("{\"a\": \"\xff\"}");
        QTest::newRow("protobuf") << QByteArray("\x0a\x02\x12\x00", 4);
    }

    void notJson()
    {
        QFETCH(QByteArray, body);
        const Decoded d = decodeJson(body.toStdString());
        QVERIFY(!d.ok);
        QVERIFY2(d.fatalText().startsWith("body is not valid JSON: "), d.fatalText().constData());
        QVERIFY(d.fatal.path.empty());
    }

    void notProtobuf_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("json") << QByteArray(R"({"resourceSpans": []})");
        QTest::newRow("truncated length") << QByteArray("\x0a\x05\x12\x03", 4);
        QTest::newRow("bad wire type") << QByteArray("\x0f\x01", 2);
        QTest::newRow("ff") << QByteArray("\xff\xff\xff\xff", 4);
        // proto3 strings must be UTF-8.
        QTest::newRow("bad utf-8 name") << QByteArray("\x0a\x08\x12\x06\x12\x04\x2a\x02\xc3\x28", 10);
    }

    void notProtobuf()
    {
        QFETCH(QByteArray, body);
        const Decoded d = decodePb(body.toStdString());
        QVERIFY(!d.ok);
        QCOMPARE(d.fatalText(), QByteArray("body is not a valid OTLP ExportTraceServiceRequest (protobuf)"));
    }

    void emptyBodies_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("json");
        QTest::newRow("json empty") << QByteArray() << true;
        QTest::newRow("json blank") << QByteArray(" \r\n") << true;
        QTest::newRow("json object") << QByteArray("{}") << true;
        QTest::newRow("json no resourceSpans") << QByteArray(R"({"resourceSpans": []})") << true;
        QTest::newRow("json null resourceSpans") << QByteArray(R"({"resourceSpans": null})") << true;
        QTest::newRow("json empty scopes") << QByteArray(R"({"resourceSpans": [{}, {"scopeSpans": [{}]}]})") << true;
        QTest::newRow("json unknown fields") << QByteArray(R"({"future": {"x": 1}, "resourceSpans": []})") << true;
        QTest::newRow("pb empty") << QByteArray() << false;
        QTest::newRow("pb empty resource") << QByteArray("\x0a\x00", 2) << false;
    }

    void emptyBodies()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, json);
        const Decoded d = json ? decodeJson(body.toStdString()) : decodePb(body.toStdString());
        QVERIFY2(d.ok, d.fatalText().constData());
        QVERIFY(d.result.spans.empty());
        QCOMPARE(d.result.rejected, std::size_t(0));
    }

    // The protobuf body is read by the project's own wire reader, not the generated classes: on
    // thousands of damaged bodies both must agree on whether it is a valid message at all, and on a
    // valid one they must see the same spans.
    void wireReaderAgreesWithTheGeneratedParser()
    {
        pbcollector::ExportTraceServiceRequest request;
        for (int r = 0; r < 2; ++r) {
            auto *rs = request.add_resource_spans();
            auto *rkv = rs->mutable_resource()->add_attributes();
            rkv->set_key("service.name");
            rkv->mutable_value()->set_string_value("svc-" + std::to_string(r));
            rs->set_schema_url("https://opentelemetry.io/schemas/1.26.0");
            for (int sc = 0; sc < 2; ++sc) {
                auto *ss = rs->add_scope_spans();
                ss->mutable_scope()->set_name("scope");
                ss->mutable_scope()->set_version("1.0");
                for (int n = 1; n <= 3; ++n) {
                    auto *span = ss->add_spans();
                    *span = validPbSpan(n + 10 * sc + 100 * r);
                    span->set_parent_span_id(std::string("\1\2\3\4\5\6\7\x08", 8));
                    span->set_kind(pbtrace::Span::SPAN_KIND_CLIENT);
                    span->mutable_status()->set_code(pbtrace::Status::STATUS_CODE_ERROR);
                    span->mutable_status()->set_message("boom");
                    auto add = [&](const char *key) {
                        auto *kv = span->add_attributes();
                        kv->set_key(key);
                        return kv->mutable_value();
                    };
                    add("s")->set_string_value("h\xc3\xa9llo");
                    add("b")->set_bool_value(true);
                    add("i")->set_int_value(-42);
                    add("d")->set_double_value(0.25);
                    add("bytes")->set_bytes_value(std::string("\0\xff", 2));
                    auto *array = add("a")->mutable_array_value();
                    array->add_values()->set_int_value(1);
                    array->add_values()->set_string_value("two");
                    auto *kvl = add("kv")->mutable_kvlist_value()->add_values();
                    kvl->set_key("inner");
                    kvl->mutable_value()->set_bool_value(false);
                    auto *event = span->add_events();
                    event->set_name("event");
                    event->set_time_unix_nano(1741946400500000000ULL);
                    auto *link = span->add_links();
                    link->set_trace_id(std::string(16, '\x11'));
                    link->set_span_id(std::string(8, '\x22'));
                    span->set_dropped_attributes_count(3);
                }
            }
        }
        const std::string base = request.SerializeAsString();
        const Decoded whole = decodePb(base);
        QVERIFY2(whole.ok, whole.fatalText().constData());
        QCOMPARE(whole.result.spans.size(), std::size_t(12));
        QCOMPARE(whole.result.spans[0].attributes.size(), std::size_t(7));
        QCOMPARE(whole.result.spans[0].dropped_attributes, std::uint32_t(3));
        QCOMPARE(whole.result.spans[0].status_message, std::string("boom"));
        QCOMPARE(whole.result.spans[0].events.size(), std::size_t(1));
        QCOMPARE(whole.result.spans[0].links.size(), std::size_t(1));

        std::mt19937 rng(20261125);
        int agreedValid = 0, agreedInvalid = 0;
        for (int iteration = 0; iteration < 4000; ++iteration) {
            std::string body = base;
            const int edits = 1 + int(rng() % 3);
            for (int e = 0; e < edits && !body.empty(); ++e) {
                const std::size_t at = rng() % body.size();
                switch (rng() % 4) {
                case 0: body[at] = char(rng()); break; // any byte
                case 1: body[at] = char(body[at] ^ (1 << (rng() % 8))); break; // one bit
                case 2: body.resize(at); break; // truncated
                case 3: body.insert(at, 1, char(rng())); break; // one byte more
                }
            }
            pbcollector::ExportTraceServiceRequest reference;
            const bool valid = reference.ParseFromString(body);
            const Decoded d = decodePb(body);
            const bool readable
                = d.ok || d.fatalText() != QByteArray("body is not a valid OTLP ExportTraceServiceRequest (protobuf)");
            if (valid != readable)
                QFAIL(qPrintable(
                    QStringLiteral("iteration %1: generated parser says %2, wire reader says %3 (%4)")
                        .arg(iteration)
                        .arg(QLatin1String(valid ? "valid" : "invalid"), QLatin1String(readable ? "valid" : "invalid"),
                            QString::fromUtf8(d.fatalText()))));
            if (!valid) {
                ++agreedInvalid;
                continue;
            }
            ++agreedValid;
            if (!d.ok)
                continue; // a resource the conversion refuses: the same for both readers
            // Every span of the reference is either decoded (in order, same ids and name) or rejected.
            std::size_t total = 0, next = 0;
            for (const auto &rs : reference.resource_spans())
                for (const auto &ss : rs.scope_spans())
                    for (const auto &span : ss.spans()) {
                        ++total;
                        if (next < d.result.spans.size() && span.name() == d.result.spans[next].name
                            && span.span_id()
                                == std::string(
                                    d.result.spans[next].span_id.begin(), d.result.spans[next].span_id.end()))
                            ++next;
                    }
            QCOMPARE(next, d.result.spans.size());
            QCOMPARE(total, d.result.spans.size() + d.result.rejected);
        }
        // The damage is varied enough to exercise both outcomes many times.
        QVERIFY2(agreedValid > 300 && agreedInvalid > 300,
            qPrintable(QStringLiteral("%1 valid, %2 invalid").arg(agreedValid).arg(agreedInvalid)));
    }

    void deepProtobufNesting()
    {
        // Deeper than protobuf's own recursion limit: the parser refuses it, nothing overflows.
        pbcollector::ExportTraceServiceRequest request;
        auto *span = request.add_resource_spans()->add_scope_spans()->add_spans();
        *span = validPbSpan();
        auto *kv = span->add_attributes();
        kv->set_key("deep");
        nestPb(kv->mutable_value(), 500);
        const Decoded d = decodePb(request.SerializeAsString());
        QVERIFY(!d.ok);

        // Resource attributes that nest too deep make the whole request unusable.
        pbcollector::ExportTraceServiceRequest request2;
        auto *rs = request2.add_resource_spans();
        auto *rkv = rs->mutable_resource()->add_attributes();
        rkv->set_key("deep");
        nestPb(rkv->mutable_value(), 40);
        *rs->add_scope_spans()->add_spans() = validPbSpan();
        const Decoded d2 = decodePb(request2.SerializeAsString());
        QVERIFY(!d2.ok);
        QVERIFY2(d2.fatalText().startsWith("resourceSpans[0].resource.attributes[0].value.arrayValue.values[0]"),
            d2.fatalText().constData());
        QVERIFY(d2.fatalText().endsWith(": nesting deeper than 32 levels"));
    }

    void deepJsonNesting()
    {
        for (int depth : { 255, 256, 257, 100000 }) {
            std::string body = R"({"resourceSpans":[{"resource":{"attributes":[{"key":"x","value":)";
            std::string open, close;
            for (int i = 0; i < depth; ++i) {
                open += R"({"arrayValue":{"values":[)";
                close += "]}}";
            }
            body += open + close + "}]}}]}";
            const Decoded d = decodeJson(body);
            QVERIFY(!d.ok);
            QVERIFY(!d.fatal.message.empty());
        }
        // Brackets inside strings do not count.
        const Decoded d = decodeJson(requestWithSpan({ { "name", std::string(5000, '[') } }));
        QVERIFY(d.ok);
        QCOMPARE(d.result.spans.size(), std::size_t(1));
    }

    void randomBytes()
    {
        std::mt19937 rng(20250314);
        std::uniform_int_distribution<int> byte(0, 255);
        std::uniform_int_distribution<int> length(0, 300);
        for (int round = 0; round < 3000; ++round) {
            std::string body(std::size_t(length(rng)), '\0');
            for (auto &c : body)
                c = char(byte(rng));
            if (round % 3 == 0 && !body.empty())
                body[0] = '{';
            const Decoded p = decodePb(body);
            const Decoded j = decodeJson(body);
            QVERIFY(p.ok || !p.fatal.message.empty());
            QVERIFY(j.ok || !j.fatal.message.empty());
        }
    }

    void reusedResultDecodesAsAFreshOne()
    {
        // Bodies of every shape the decoder meets: both encodings, many attributes and few, events and
        // links, rejected spans between good ones, refused bodies. Each is decoded, in every order,
        // into one reused result; each must come out as it does from a fresh one.
        std::vector<std::pair<std::string, ingest::OtlpEncoding>> bodies;
        for (const char *name :
            { "genai_agent_trace.json", "adk_weather_trace.json", "all_fields_camel.json", "all_fields_snake.json" }) {
            const std::string text = readFixture(name);
            bodies.emplace_back(text, ingest::OtlpEncoding::Json);
            if (std::string_view(name).find("snake") == std::string_view::npos)
                bodies.emplace_back(otlpJsonToProtobuf(text), ingest::OtlpEncoding::Protobuf);
        }
        json partly = json::parse(spansWithInput(6, 300, 3));
        partly["resourceSpans"][0]["scopeSpans"][0]["spans"][2]["spanId"] = "xyz";
        partly["resourceSpans"][0]["scopeSpans"][0]["spans"][4]["endTimeUnixNano"] = "50";
        bodies.emplace_back(partly.dump(), ingest::OtlpEncoding::Json);
        bodies.emplace_back(spansWithInput(3, 5000, 30), ingest::OtlpEncoding::Json);
        bodies.emplace_back(otlpJsonToProtobuf(spansWithInput(2, 10, 0)), ingest::OtlpEncoding::Protobuf);
        bodies.emplace_back("not protobuf at all", ingest::OtlpEncoding::Protobuf);
        bodies.emplace_back("{\"resourceSpans\": 7}", ingest::OtlpEncoding::Json);

        ingest::DecodeResult reused;
        for (const auto &[first, firstEncoding] : bodies)
            for (const auto &[second, secondEncoding] : bodies) {
                QVERIFY(decodesAsFresh(first, firstEncoding, reused));
                QVERIFY(decodesAsFresh(second, secondEncoding, reused));
            }
        QVERIFY(decodesAsFresh(bodies.front().first, bodies.front().second, reused));
        QVERIFY(!reused.spans.empty());
    }

    void reusedResultKeepsBoundedStorage()
    {
        // The storage of a span is handed on to the span decoded next at its place: a short input
        // lands in the long one's buffer.
        ingest::DecodeResult r;
        ingest::DecodeError fatal;
        QVERIFY(ingest::decodeOtlpTraces(spansWithInput(3, 5000, 20), ingest::OtlpEncoding::Json, r, fatal));
        QCOMPARE(r.spans[0].input.size(), std::size_t(5000));
        QVERIFY(ingest::decodeOtlpTraces(spansWithInput(3, 100, 20), ingest::OtlpEncoding::Json, r, fatal));
        QCOMPARE(r.spans[0].input, std::string(100, 'a'));
        QVERIFY(r.spans[0].input.capacity() >= 5000);
        QVERIFY(r.spans[2].attributes.capacity() >= 21);

        // ...but no more of it than DecodeResult::kKeptSpanBytes: of 20 spans holding 2 MiB each
        // (the input.value attribute and the input read from it), at most 4 are kept.
        const std::size_t big = std::size_t(1) << 20;
        QVERIFY(ingest::decodeOtlpTraces(spansWithInput(20, big, 0), ingest::OtlpEncoding::Json, r, fatal));
        QCOMPARE(r.spans.size(), std::size_t(20));
        QVERIFY(ingest::decodeOtlpTraces(spansWithInput(20, 10, 0), ingest::OtlpEncoding::Json, r, fatal));
        std::size_t keptSpans = 0;
        std::size_t keptBytes = 0;
        for (const auto &span : r.spans) {
            if (span.input.capacity() < big)
                continue;
            ++keptSpans;
            keptBytes += span.input.capacity() + span.attributes[0].value.s.capacity();
        }
        QVERIFY2(keptSpans > 0 && keptBytes <= ingest::DecodeResult::kKeptSpanBytes, std::to_string(keptSpans).c_str());

        // A request of more spans than kKeptSpans leaves nothing behind, not even its span vector.
        QVERIFY(ingest::decodeOtlpTraces(spansWithInput(5000, 10, 0), ingest::OtlpEncoding::Json, r, fatal));
        QCOMPARE(r.spans.size(), std::size_t(5000));
        for (int again = 0; again < 2; ++again) {
            QVERIFY(ingest::decodeOtlpTraces(spansWithInput(3, 10, 0), ingest::OtlpEncoding::Json, r, fatal));
            QVERIFY(r.spans.capacity() < 5000);
            QCOMPARE(r.spans[2].name, std::string("step 2"));
        }
    }

    void valueLimitsCutEveryValue()
    {
        // Every place a value can be long: attributes of the span, its resource, events and links,
        // the payloads, the name and the status message. JSON that is cut is text from then on.
        core::Span s;
        const std::string long10 = "0123456789";
        s.name = long10;
        s.status_message = long10;
        s.input = long10;
        s.output = "short";
        s.attributes = { { "json", core::AttrValue::ofJson("{\"k\":\"0123456\"}") },
            { "n", core::AttrValue::ofInt(1234567890123) }, { "fits", core::AttrValue::ofString("12345678") } };
        s.resource = { { "host.name", core::AttrValue::ofString(long10) } };
        s.events = { { 1, long10, { { "exception.message", core::AttrValue::ofString(long10) } } } };
        s.links = { { {}, {}, {}, { { "why", core::AttrValue::ofString(long10) } } } };
        std::vector<core::Span> spans { s };
        QCOMPARE(ingest::limitValueSizes(spans, 0), std::size_t(0)); // no limit
        QCOMPARE(spans[0], s);
        QCOMPARE(ingest::limitValueSizes(spans, 8), std::size_t(8));
        const auto &c = spans[0];
        const std::string cut = "01234567… [truncated: 10 bytes]";
        QCOMPARE(QString::fromStdString(c.name), QString::fromStdString(cut));
        QCOMPARE(QString::fromStdString(c.status_message), QString::fromStdString(cut));
        QCOMPARE(QString::fromStdString(c.input), QString::fromStdString(cut));
        QCOMPARE(QString::fromStdString(c.output), QStringLiteral("short"));
        const auto cutJson = core::AttrValue::ofString("{\"k\":\"01… [truncated: 15 bytes]");
        QCOMPARE(*core::findAttribute(c.attributes, "json"), cutJson);
        QCOMPARE(core::findAttribute(c.attributes, "n")->i, 1234567890123);
        QCOMPARE(core::findAttribute(c.attributes, "fits")->s, std::string("12345678"));
        QCOMPARE(core::findAttribute(c.resource, "host.name")->s, cut);
        QCOMPARE(c.events[0].name, cut);
        QCOMPARE(core::findAttribute(c.events[0].attributes, "exception.message")->s, cut);
        QCOMPARE(core::findAttribute(c.links[0].attributes, "why")->s, cut);
        QCOMPARE(core::findAttribute(c.attributes, ingest::kTruncatedValuesKey)->i, 8);
        // A character is never split: "é" straddling the limit goes whole.
        std::string text = "abc\xc3\xa9";
        QVERIFY(ingest::truncateValue(text, 4));
        QCOMPARE(QString::fromStdString(text), QStringLiteral("abc… [truncated: 5 bytes]"));
    }

    void truncationsAndMutations()
    {
        std::mt19937 rng(4318);
        ingest::DecodeResult reused;
        for (const char *name : { "genai_agent_trace.json", "adk_weather_trace.json" }) {
            const std::string text = readFixture(name);
            const std::string pb = otlpJsonToProtobuf(text);
            std::size_t pbOk = 0;
            for (std::size_t n = 0; n < pb.size(); ++n) {
                const Decoded d = decodePb(std::string_view(pb).substr(0, n));
                QVERIFY(d.ok || !d.fatal.message.empty());
                pbOk += d.ok;
                QVERIFY(d.result.spans.size() + d.result.rejected <= 5);
            }
            QVERIFY(pbOk > 0);
            for (std::size_t n = 0; n < text.size(); n += 13) {
                const Decoded d = decodeJson(std::string_view(text).substr(0, n));
                QVERIFY(d.ok || !d.fatal.message.empty());
            }
            std::uniform_int_distribution<std::size_t> pbPos(0, pb.size() - 1);
            std::uniform_int_distribution<std::size_t> textPos(0, text.size() - 1);
            std::uniform_int_distribution<int> byte(0, 255);
            const char tokens[] = "{}[]\":,0123456789-.eE \\nulltruefalse";
            std::uniform_int_distribution<std::size_t> token(0, sizeof tokens - 2);
            for (int round = 0; round < 1500; ++round) {
                std::string mutatedPb = pb;
                std::string mutatedText = text;
                for (int k = 0; k < 1 + round % 4; ++k) {
                    mutatedPb[pbPos(rng)] = char(byte(rng));
                    mutatedText[textPos(rng)] = tokens[token(rng)];
                }
                const Decoded p = decodePb(mutatedPb);
                const Decoded j = decodeJson(mutatedText);
                QVERIFY(p.ok || !p.fatal.message.empty());
                QVERIFY(j.ok || !j.fatal.message.empty());
                QVERIFY(p.result.errors.size() <= ingest::kMaxReportedErrors);
                // Damaged bodies, one after another into one result, decode as into fresh ones.
                QVERIFY(decodesAsFresh(mutatedPb, ingest::OtlpEncoding::Protobuf, reused));
                QVERIFY(decodesAsFresh(mutatedText, ingest::OtlpEncoding::Json, reused));
            }
        }
    }
};

QTEST_GUILESS_MAIN(tst_OtlpDecoder)
#include "tst_otlpdecoder.moc"
