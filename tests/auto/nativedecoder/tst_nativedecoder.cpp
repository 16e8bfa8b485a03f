// SPDX-License-Identifier: MIT
#include "ingest/decode.h"

#include <nlohmann/json.hpp>

#include <QFile>
#include <QTest>

#include <random>

using namespace agentops;
using json = nlohmann::ordered_json;

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

Decoded decode(std::string_view body)
{
    Decoded d;
    d.ok = ingest::decodeNativeBatch(body, d.result, d.fatal);
    return d;
}

const char *const kTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

/// A batch with one span whose fields are patched over a minimal valid span.
std::string batchWithSpan(const json &patch)
{
    json span = {
        { "span_id", "00f067aa0ba902b7" },
        { "name", "plan" },
        { "start_time", "2025-03-14T10:00:00Z" },
        { "end_time", "2025-03-14T10:00:01.5Z" },
    };
    if (patch.is_object()) // {} in a braced initializer is null, and a null patch would replace the span
        span.merge_patch(patch);
    json doc = { { "trace", { { "trace_id", kTraceId } } }, { "spans", json::array({ span }) } };
    return doc.dump();
}

const core::AttrValue *attr(const core::Attributes &attrs, std::string_view key)
{
    return core::findAttribute(attrs, key);
}

} // namespace

class tst_NativeDecoder : public QObject
{
    Q_OBJECT

    // moc misreads raw string literals that span lines or contain \": the full example batch lives in a
    // fixture file and expected texts with escapes are plain literals.
private Q_SLOTS:
    void fullBatch()
    {
        const Decoded d = decode(readFixture("native_batch.json"));
        QVERIFY2(d.ok, d.fatalText().constData());
        QCOMPARE(d.errorTexts(), QByteArrayList());
        QCOMPARE(d.result.spans.size(), std::size_t(3));
        const core::Span &agent = d.result.spans[0];
        const core::Span &llm = d.result.spans[1];
        const core::Span &tool = d.result.spans[2];

        QCOMPARE(bytes(core::toHex(agent.trace_id)), QByteArray(kTraceId));
        QCOMPARE(bytes(core::toHex(agent.span_id)), QByteArray("00f067aa0ba902b7"));
        QVERIFY(agent.isRoot());
        QCOMPARE(bytes(agent.name), QByteArray("support-agent"));
        QCOMPARE(int(agent.kind), int(core::SpanKind::Agent));
        QCOMPARE(agent.start_ns, std::int64_t(1741946400000000000));
        QCOMPARE(agent.end_ns, std::int64_t(1741946403250000000));
        QCOMPARE(bytes(agent.service_name), QByteArray("support-bot"));
        QCOMPARE(bytes(agent.session_id), QByteArray("sess-42"));
        QCOMPARE(bytes(agent.user_id), QByteArray("user-7"));
        QCOMPARE(bytes(agent.input), QByteArray("Where is my order #1234?"));
        QCOMPARE(*attr(agent.resource, "deployment.environment"), core::AttrValue::ofString("prod"));
        QCOMPARE(*attr(agent.resource, "host.cores"), core::AttrValue::ofInt(8));
        QCOMPARE(int(agent.status), int(core::StatusCode::Ok));

        QCOMPARE(llm.parent_span_id, agent.span_id);
        QCOMPARE(int(llm.kind), int(core::SpanKind::Llm));
        QCOMPARE(bytes(llm.request_model), QByteArray("gpt-4o-mini"));
        QCOMPARE(bytes(llm.response_model), QByteArray("gpt-4o-mini-2024-07-18"));
        QCOMPARE(bytes(llm.provider), QByteArray("openai"));
        QCOMPARE(llm.start_ns, std::int64_t(1741946400100000000));
        QCOMPARE(llm.end_ns, std::int64_t(1741946401300000000));
        QCOMPARE(llm.tokens.input, std::optional<std::int64_t>(1200));
        QCOMPARE(llm.tokens.output, std::optional<std::int64_t>(85));
        QCOMPARE(llm.tokens.total, std::optional<std::int64_t>(1285));
        QCOMPARE(llm.tokens.cache_read, std::optional<std::int64_t>(1024));
        QCOMPARE(llm.tokens.cache_write, std::optional<std::int64_t>(0));
        QCOMPARE(llm.tokens.reasoning, std::optional<std::int64_t>(40));
        // JSON payloads are kept as JSON text, in the order the client wrote them.
        QCOMPARE(bytes(llm.input),
            QByteArray("[{\"role\":\"system\",\"content\":\"You are a support agent.\"},"
                       "{\"role\":\"user\",\"content\":\"Where is my order #1234?\"}]"));
        QCOMPARE(
            bytes(llm.output), QByteArray("{\"role\":\"assistant\",\"tool_calls\":[{\"name\":\"lookup_order\"}]}"));
        QCOMPARE(*attr(llm.attributes, "temperature"), core::AttrValue::ofDouble(0.1));
        QCOMPARE(*attr(llm.attributes, "stream"), core::AttrValue::ofBool(false));
        QCOMPARE(*attr(llm.attributes, "retries"), core::AttrValue::ofInt(0));
        QCOMPARE(*attr(llm.attributes, "stop"), core::AttrValue::ofJson("[\"\\n\\n\",\"END\"]"));
        QCOMPARE(*attr(llm.attributes, "metadata"), core::AttrValue::ofJson("{\"team\":\"care\",\"tier\":2}"));
        QCOMPARE(*attr(llm.attributes, "note"), core::AttrValue {});
        QCOMPARE(llm.attributes.front().key, std::string("temperature"));
        QCOMPARE(llm.events.size(), std::size_t(1));
        QCOMPARE(bytes(llm.events[0].name), QByteArray("first_token"));
        QCOMPARE(llm.events[0].time_ns, std::int64_t(1741946400350000000));
        QCOMPARE(*attr(llm.events[0].attributes, "latency_ms"), core::AttrValue::ofInt(250));

        QCOMPARE(int(tool.kind), int(core::SpanKind::Tool));
        QCOMPARE(bytes(tool.tool_name), QByteArray("lookup_order"));
        QCOMPARE(int(tool.status), int(core::StatusCode::Error));
        QCOMPARE(bytes(tool.status_message), QByteArray("order service returned 503"));
        QCOMPARE(bytes(tool.input), QByteArray("{\"order_id\":1234}"));
        QCOMPARE(tool.start_ns, std::int64_t(1741946401400000000));
        QCOMPARE(tool.end_ns, std::int64_t(1741946401900000123));
        QCOMPARE(bytes(tool.session_id), QByteArray("sess-override"));
        QCOMPARE(tool.events.at(0).time_ns, std::int64_t(1741946401899000000));
        QCOMPARE(tool.links.size(), std::size_t(1));
        QCOMPARE(bytes(core::toHex(tool.links[0].span_id)), QByteArray("b7ad6b7169203331"));
    }

    void explicitFieldsWinOverAttributes()
    {
        const Decoded d = decode(batchWithSpan({
            { "kind", "chain" },
            { "model", "my-model" },
            { "provider", "acme" },
            { "session_id", "explicit" },
            { "tokens", { { "input", 5 } } },
            { "attributes",
                { { "gen_ai.operation.name", "chat" }, { "gen_ai.request.model", "gpt-4o" },
                    { "gen_ai.system", "openai" }, { "session.id", "from-attr" }, { "gen_ai.usage.input_tokens", 999 },
                    { "gen_ai.usage.output_tokens", 7 } } },
        }));
        QVERIFY(d.ok);
        QCOMPARE(d.errorTexts(), QByteArrayList());
        const core::Span &span = d.result.spans.at(0);
        QCOMPARE(int(span.kind), int(core::SpanKind::Chain));
        QCOMPARE(bytes(span.request_model), QByteArray("my-model"));
        QCOMPARE(bytes(span.response_model), QByteArray("my-model"));
        QCOMPARE(bytes(span.provider), QByteArray("acme"));
        QCOMPARE(bytes(span.session_id), QByteArray("explicit"));
        QCOMPARE(span.tokens.input, std::optional<std::int64_t>(5));
        // What was not given explicitly is still derived from the attributes.
        QCOMPARE(span.tokens.output, std::optional<std::int64_t>(7));
    }

    void defaults()
    {
        const Decoded d = decode(batchWithSpan({}));
        QVERIFY(d.ok);
        QCOMPARE(d.errorTexts(), QByteArrayList());
        const core::Span &span = d.result.spans.at(0);
        QCOMPARE(bytes(core::toHex(span.trace_id)), QByteArray(kTraceId));
        QVERIFY(span.isRoot());
        QCOMPARE(bytes(span.service_name), QByteArray("unknown_service"));
        QCOMPARE(int(span.status), int(core::StatusCode::Unset));
        QCOMPARE(span.start_ns, std::int64_t(1741946400000000000));
        QCOMPARE(span.end_ns, std::int64_t(1741946401500000000));
        QVERIFY(span.tokens.input == std::nullopt);

        // The service name comes from the trace resource where the trace object does not name it.
        const Decoded r = decode(
            R"({"trace": {"resource": {"service.name": "from-resource"}}, "spans": [{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "name": "x", "start_time_unix_nano": 1, "end_time_unix_nano": 2}]})");
        QVERIFY2(r.ok, r.fatalText().constData());
        QCOMPARE(r.errorTexts(), QByteArrayList());
        QCOMPARE(bytes(r.result.spans.at(0).service_name), QByteArray("from-resource"));

        // No trace object at all is fine when every span names its trace.
        const Decoded n = decode(
            R"({"spans": [{"trace_id": "4BF92F3577B34DA6A3CE929D0E0E4736", "span_id": "00F067AA0BA902B7", "parent_span_id": null, "name": "x", "start_time_unix_nano": "1", "end_time_unix_nano": "1"}]})");
        QVERIFY(n.ok);
        QCOMPARE(n.errorTexts(), QByteArrayList());
        QCOMPARE(bytes(core::toHex(n.result.spans.at(0).span_id)), QByteArray("00f067aa0ba902b7"));
        QCOMPARE(n.result.spans.at(0).durationNs(), std::int64_t(0));
    }

    void times_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("utc") << QByteArray("2025-03-14T10:00:00Z") << qint64(1741946400000000000);
        QTest::newRow("lower case") << QByteArray("2025-03-14t10:00:00z") << qint64(1741946400000000000);
        QTest::newRow("space") << QByteArray("2025-03-14 10:00:00Z") << qint64(1741946400000000000);
        QTest::newRow("millis") << QByteArray("2025-03-14T10:00:00.123Z") << qint64(1741946400123000000);
        QTest::newRow("nanos") << QByteArray("2025-03-14T10:00:00.123456789Z") << qint64(1741946400123456789);
        QTest::newRow("one digit") << QByteArray("2025-03-14T10:00:00.5Z") << qint64(1741946400500000000);
        QTest::newRow("offset") << QByteArray("2025-03-14T12:00:00+02:00") << qint64(1741946400000000000);
        QTest::newRow("negative offset") << QByteArray("2025-03-14T05:30:00.25-04:30") << qint64(1741946400250000000);
        QTest::newRow("leap day") << QByteArray("2024-02-29T00:00:00Z") << qint64(1709164800000000000);
        QTest::newRow("epoch+1s") << QByteArray("1970-01-01T00:00:01Z") << qint64(1000000000);
        QTest::newRow("no zone") << QByteArray("2025-03-14T10:00:00") << qint64(-1);
        QTest::newRow("ten digits") << QByteArray("2025-03-14T10:00:00.1234567891Z") << qint64(-1);
        QTest::newRow("empty fraction") << QByteArray("2025-03-14T10:00:00.Z") << qint64(-1);
        QTest::newRow("month 13") << QByteArray("2025-13-14T10:00:00Z") << qint64(-1);
        QTest::newRow("feb 29 2025") << QByteArray("2025-02-29T10:00:00Z") << qint64(-1);
        QTest::newRow("hour 24") << QByteArray("2025-03-14T24:00:00Z") << qint64(-1);
        QTest::newRow("date only") << QByteArray("2025-03-14") << qint64(-1);
        QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << qint64(-1);
        QTest::newRow("before 1970") << QByteArray("1969-12-31T23:59:59Z") << qint64(-1);
        QTest::newRow("after 2262") << QByteArray("2263-01-01T00:00:00Z") << qint64(-1);
        QTest::newRow("trailing") << QByteArray("2025-03-14T10:00:00Zx") << qint64(-1);
        QTest::newRow("bad offset") << QByteArray("2025-03-14T10:00:00+0200") << qint64(-1);
    }

    void times()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, ns);
        const Decoded d = decode(batchWithSpan({ { "start_time", text.toStdString() }, { "end_time", nullptr },
            { "end_time_unix_nano", "9000000000000000000" } }));
        QVERIFY(d.ok);
        if (ns < 0) {
            QCOMPARE(d.errorTexts(),
                QByteArrayList { "spans[0].start_time: must be an RFC 3339 date-time after 1970, "
                                 "e.g. \"2025-01-31T12:00:00.123Z\"" });
            return;
        }
        QCOMPARE(d.errorTexts(), QByteArrayList());
        QCOMPARE(d.result.spans.at(0).start_ns, ns);
    }

    void unixNano()
    {
        const Decoded d = decode(batchWithSpan({ { "start_time", nullptr }, { "end_time", "2099-01-01T00:00:00Z" },
            { "start_time_unix_nano", 1741946400000000001 } }));
        QVERIFY(d.ok);
        QCOMPARE(d.result.spans.at(0).start_ns, std::int64_t(1741946400000000001));
        const Decoded s = decode(batchWithSpan(
            { { "start_time_unix_nano", "1741946400000000002" }, { "end_time_unix_nano", "1741946400000000003" } }));
        QVERIFY(s.ok);
        QCOMPARE(s.errorTexts(), QByteArrayList());
        // The integer form wins where both are given.
        QCOMPARE(s.result.spans.at(0).start_ns, std::int64_t(1741946400000000002));
        QCOMPARE(s.result.spans.at(0).end_ns, std::int64_t(1741946400000000003));
    }

    void validationErrors_data()
    {
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QByteArray>("error");
        auto row = [](const char *tag, const char *patch, const char *error) {
            QTest::newRow(tag) << QByteArray(patch) << QByteArray(error);
        };
        row("span_id short", R"({"span_id": "00f067aa0ba902"})", "spans[0].span_id: must be 16 hex digits");
        row("span_id missing", R"({"span_id": null})", "spans[0].span_id: missing (16 hex digits)");
        row("span_id number", R"({"span_id": 12})", "spans[0].span_id: must be a string of 16 hex digits");
        row("span_id zero", R"({"span_id": "0000000000000000"})", "spans[0].span_id: must not be all zero");
        row("trace_id bad", R"({"trace_id": "4bf92f35"})", "spans[0].trace_id: must be 32 hex digits");
        row("trace_id zero", R"({"trace_id": "00000000000000000000000000000000"})",
            "spans[0].trace_id: must not be all zero");
        row("parent bad", R"({"parent_span_id": "xyz"})", "spans[0].parent_span_id: must be 16 hex digits");
        row("name missing", R"({"name": null})", "spans[0].name: must not be empty");
        row("name empty", R"({"name": ""})", "spans[0].name: must not be empty");
        row("name type", R"({"name": ["a"]})", "spans[0].name: must be a string");
        row("kind unknown", R"({"kind": "foo"})",
            "spans[0].kind: unknown kind \"foo\" (expected one of agent, llm, tool, chain, retriever, embedding, "
            "guardrail, evaluator, other)");
        row("kind case", R"({"kind": "LLM"})",
            "spans[0].kind: unknown kind \"LLM\" (expected one of agent, llm, tool, chain, retriever, embedding, "
            "guardrail, evaluator, other)");
        row("kind number", R"({"kind": 2})",
            "spans[0].kind: unknown kind 2 (expected one of agent, llm, tool, chain, retriever, embedding, "
            "guardrail, evaluator, other)");
        row("start missing", R"({"start_time": null})",
            "spans[0].start_time: missing (start_time or start_time_unix_nano)");
        row("end missing", R"({"end_time": null})", "spans[0].end_time: missing (end_time or end_time_unix_nano)");
        row("start bad", R"({"start_time": "yesterday"})",
            "spans[0].start_time: must be an RFC 3339 date-time after 1970, e.g. \"2025-01-31T12:00:00.123Z\"");
        row("start number", R"({"start_time": 1741946400})",
            "spans[0].start_time: must be an RFC 3339 date-time after 1970, e.g. \"2025-01-31T12:00:00.123Z\"");
        row("end before start", R"({"end_time": "2025-03-14T09:59:59.999Z"})", "spans[0].end_time: before start_time");
        row("end nano before start", R"({"end_time_unix_nano": 5})", "spans[0].end_time_unix_nano: before start_time");
        row("nano negative", R"({"start_time_unix_nano": -1})",
            "spans[0].start_time_unix_nano: must be a positive integer (nanoseconds since 1970)");
        row("nano zero", R"({"start_time_unix_nano": 0})",
            "spans[0].start_time_unix_nano: must be a positive integer (nanoseconds since 1970)");
        row("nano text", R"({"end_time_unix_nano": "soon"})",
            "spans[0].end_time_unix_nano: must be a positive integer (nanoseconds since 1970)");
        row("nano overflow", R"({"end_time_unix_nano": 18446744073709551615})",
            "spans[0].end_time_unix_nano: must be a positive integer (nanoseconds since 1970)");
        row("status unknown", R"({"status": "failed"})",
            "spans[0].status: unknown status \"failed\" (expected one of unset, ok, error)");
        row("status type", R"({"status": true})",
            "spans[0].status: unknown status true (expected one of unset, ok, error)");
        row("status_message", R"({"status_message": 5})", "spans[0].status_message: must be a string");
        row("model", R"({"model": 4})", "spans[0].model: must be a string");
        row("request_model", R"({"request_model": {}})", "spans[0].request_model: must be a string");
        row("session_id", R"({"session_id": 1})", "spans[0].session_id: must be a string");
        row("tokens type", R"({"tokens": 12})", "spans[0].tokens: must be an object");
        row("tokens negative", R"({"tokens": {"input": 3, "output": -1}})",
            "spans[0].tokens.output: must not be negative");
        row("tokens fraction", R"({"tokens": {"total": 1.5}})", "spans[0].tokens.total: must be an integer");
        row("tokens string", R"({"tokens": {"cache_read": "12"}})", "spans[0].tokens.cache_read: must be an integer");
        row("tokens reasoning", R"({"tokens": {"reasoning": -5}})", "spans[0].tokens.reasoning: must not be negative");
        row("attributes type", R"({"attributes": [1, 2]})", "spans[0].attributes: must be an object of key -> value");
        row("events type", R"({"events": {}})", "spans[0].events: must be an array");
        row("event type", R"({"events": [{"name": "a", "time_unix_nano": 1}, "b"]})",
            "spans[0].events[1]: must be an object");
        row("event name", R"({"events": [{"time_unix_nano": 1}]})", "spans[0].events[0].name: must not be empty");
        row("event time", R"({"events": [{"name": "a"}]})",
            "spans[0].events[0].time: missing (time or time_unix_nano)");
        row("event time bad", R"({"events": [{"name": "a", "time": "noon"}]})",
            "spans[0].events[0].time: must be an RFC 3339 date-time after 1970, e.g. \"2025-01-31T12:00:00.123Z\"");
        row("event attributes", R"({"events": [{"name": "a", "time_unix_nano": 1, "attributes": 3}]})",
            "spans[0].events[0].attributes: must be an object");
        row("link span_id", R"({"links": [{"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "12"}]})",
            "spans[0].links[0].span_id: must be 16 hex digits");
        row("link trace_id", R"({"links": [{"span_id": "00f067aa0ba902b7"}]})",
            "spans[0].links[0].trace_id: missing (32 hex digits)");
        row("span type", "", "spans[0]: must be an object");
    }

    void validationErrors()
    {
        QFETCH(QByteArray, patch);
        QFETCH(QByteArray, error);
        const std::string body
            = patch.isEmpty() ? std::string(R"({"spans": [42]})") : batchWithSpan(json::parse(patch.toStdString()));
        const Decoded d = decode(body);
        QVERIFY2(d.ok, d.fatalText().constData());
        QCOMPARE(d.errorTexts(), QByteArrayList { error });
        QCOMPARE(d.result.rejected, std::size_t(1));
        QVERIFY(d.result.spans.empty());
    }

    void missingTraceId()
    {
        const Decoded d = decode(
            R"({"spans": [{"span_id": "00f067aa0ba902b7", "name": "x", "start_time_unix_nano": 1, "end_time_unix_nano": 2}]})");
        QVERIFY(d.ok);
        QCOMPARE(d.errorTexts(), QByteArrayList { "spans[0].trace_id: missing (and no trace.trace_id to default to)" });
    }

    void partialRejection()
    {
        json spans = json::array();
        for (int i = 0; i < 30; ++i) {
            json span = { { "span_id", "00f067aa0ba902" + std::to_string(10 + i) }, { "name", "s" + std::to_string(i) },
                { "start_time_unix_nano", 100 }, { "end_time_unix_nano", 200 } };
            if (i % 3 == 1)
                span["kind"] = "robot";
            spans.push_back(span);
        }
        const json doc = { { "trace", { { "trace_id", kTraceId } } }, { "spans", spans } };
        const Decoded d = decode(doc.dump());
        QVERIFY(d.ok);
        QCOMPARE(d.result.spans.size(), std::size_t(20));
        QCOMPARE(d.result.rejected, std::size_t(10));
        QCOMPARE(d.result.errors.size(), std::size_t(10));
        QVERIFY(d.errorTexts().at(1).startsWith("spans[4].kind: unknown kind \"robot\""));
        QCOMPARE(bytes(d.result.spans[1].name), QByteArray("s2"));

        json many = json::array();
        for (int i = 0; i < 25; ++i)
            many.push_back({ { "name", "" } });
        const Decoded capped = decode(json({ { "spans", many } }).dump());
        QVERIFY(capped.ok);
        QCOMPARE(capped.result.rejected, std::size_t(25));
        QCOMPARE(capped.result.errors.size(), ingest::kMaxReportedErrors);
    }

    void fatalErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("error");
        QTest::newRow("empty") << QByteArray("") << QByteArray("empty body (expected a JSON object with \"spans\")");
        QTest::newRow("array") << QByteArray("[]") << QByteArray("body must be a JSON object");
        QTest::newRow("no spans") << QByteArray("{}") << QByteArray("spans: missing");
        QTest::newRow("null spans") << QByteArray(R"({"spans": null})") << QByteArray("spans: missing");
        QTest::newRow("spans type") << QByteArray(R"({"spans": {}})") << QByteArray("spans: must be an array");
        QTest::newRow("trace type") << QByteArray(R"({"trace": [], "spans": []})")
                                    << QByteArray("trace: must be an object");
        QTest::newRow("trace id") << QByteArray(R"({"trace": {"trace_id": "abc"}, "spans": []})")
                                  << QByteArray("trace.trace_id: must be 32 hex digits");
        QTest::newRow("trace id zero") << QByteArray(
            R"({"trace": {"trace_id": "00000000000000000000000000000000"}, "spans": []})")
                                       << QByteArray("trace.trace_id: must not be all zero");
        QTest::newRow("trace service") << QByteArray(R"({"trace": {"service_name": 1}, "spans": []})")
                                       << QByteArray("trace.service_name: must be a string");
        QTest::newRow("trace user") << QByteArray(R"({"trace": {"user_id": false}, "spans": []})")
                                    << QByteArray("trace.user_id: must be a string");
        QTest::newRow("trace resource") << QByteArray(R"({"trace": {"resource": "x"}, "spans": []})")
                                        << QByteArray("trace.resource: must be an object of key -> value");
        QTest::newRow("too deep") << QByteArray(R"({"spans": [{"input": )") + QByteArray(1000, '[')
                + QByteArray(1000, ']') + QByteArray("}]}")
                                  << QByteArray("JSON nested deeper than 256 levels");
    }

    void fatalErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, error);
        const Decoded d = decode(body.toStdString());
        QVERIFY(!d.ok);
        QCOMPARE(d.fatalText(), error);
        QVERIFY(d.result.spans.empty());
    }

    void notJson()
    {
        for (const char *body : { "{", "{\"spans\": [}", "spans", "{\"a\": \"\xc3\x28\"}", "{} x" }) {
            const Decoded d = decode(body);
            QVERIFY(!d.ok);
            QVERIFY2(d.fatalText().startsWith("body is not valid JSON: "), d.fatalText().constData());
        }
    }

    void emptyBatch()
    {
        const Decoded d = decode(R"({"spans": []})");
        QVERIFY(d.ok);
        QVERIFY(d.result.spans.empty());
        QCOMPARE(d.result.rejected, std::size_t(0));
    }

    void deepPayloadWithinLimit()
    {
        // Nesting below the body limit is kept as JSON text, however deep.
        std::string input(200, '[');
        input += std::string(200, ']');
        const Decoded d = decode(
            batchWithSpan({ { "input", json::parse(input) }, { "attributes", { { "a", json::parse(input) } } } }));
        QVERIFY(d.ok);
        QCOMPARE(d.errorTexts(), QByteArrayList());
        QCOMPARE(bytes(d.result.spans.at(0).input), QByteArray::fromStdString(input));
        QCOMPARE(*attr(d.result.spans.at(0).attributes, "a"), core::AttrValue::ofJson(input));
    }

    void objectsOfManyKeys()
    {
        // 100,000 attributes in one object (1.9 MB): every one kept, in the order written, and a
        // key written twice keeps its first place and its last value, as it always did. (Finding
        // keys by scanning made this quadratic: 19 s of CPU; bench: docs/benchmarks.md.)
        constexpr int kKeys = 100'000;
        std::string attrs = "{";
        for (int i = 0; i < kKeys; ++i)
            attrs += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
        attrs += ",\"k17\":\"again\"}";
        // The span's own fields come after its many keys, so looking them up crosses all of them.
        std::string payload = "{\"x\":1";
        for (int i = 0; i < kKeys; ++i)
            payload += ",\"p" + std::to_string(i) + "\":0";
        payload += ",\"role\":\"user\",\"content\":\"hi\"}";
        const std::string body = std::string("{\"trace\":{\"trace_id\":\"") + kTraceId
            + "\"},\"spans\":[{\"attributes\":" + attrs + ",\"input\":" + payload
            + ",\"span_id\":\"00f067aa0ba902b7\",\"name\":\"plan\",\"start_time\":\"2025-03-14T10:00:00Z\","
            + "\"end_time\":\"2025-03-14T10:00:01Z\"}]}";
        const Decoded d = decode(body);
        QVERIFY(d.ok);
        QCOMPARE(d.errorTexts(), QByteArrayList());
        const auto &span = d.result.spans.at(0);
        QCOMPARE(bytes(span.name), QByteArray("plan"));
        QCOMPARE(span.attributes.size(), std::size_t(kKeys));
        for (int i = 0; i < kKeys; ++i)
            if (span.attributes[std::size_t(i)].key != "k" + std::to_string(i))
                QFAIL(qPrintable(QStringLiteral("attribute %1 out of order").arg(i)));
        QCOMPARE(span.attributes[17].value, core::AttrValue::ofString("again"));
        QCOMPARE(span.attributes[18].value, core::AttrValue::ofInt(18));
        QVERIFY(bytes(span.input).endsWith("\"role\":\"user\",\"content\":\"hi\"}"));
    }

    void randomBytesAndMutations()
    {
        std::mt19937 rng(20250314);
        std::uniform_int_distribution<int> byte(0, 255);
        std::uniform_int_distribution<int> length(0, 200);
        for (int round = 0; round < 2000; ++round) {
            std::string body(std::size_t(length(rng)), '\0');
            for (auto &c : body)
                c = char(byte(rng));
            const Decoded d = decode(body);
            QVERIFY(d.ok || !d.fatal.message.empty());
        }
        const std::string text = readFixture("native_batch.json");
        for (std::size_t n = 0; n < text.size(); n += 3) {
            const Decoded d = decode(std::string_view(text).substr(0, n));
            QVERIFY(d.ok || !d.fatal.message.empty());
        }
        const char tokens[] = "{}[]\":,0123456789-.eE TZ:+\\nulltruefalse";
        std::uniform_int_distribution<std::size_t> pos(0, text.size() - 1);
        std::uniform_int_distribution<std::size_t> token(0, sizeof tokens - 2);
        for (int round = 0; round < 2000; ++round) {
            std::string mutated = text;
            for (int k = 0; k < 1 + round % 4; ++k)
                mutated[pos(rng)] = tokens[token(rng)];
            const Decoded d = decode(mutated);
            QVERIFY(d.ok || !d.fatal.message.empty());
            QVERIFY(d.result.spans.size() + d.result.rejected <= 3);
        }
    }
};

QTEST_GUILESS_MAIN(tst_NativeDecoder)
#include "tst_nativedecoder.moc"
