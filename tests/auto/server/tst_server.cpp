// SPDX-License-Identifier: MIT
#include "server/apiserver.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/httptestclient.h"
#include "support/rawconnection.h"
#include "support/serverfixture.h"
#include "support/serverrequests.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <zlib.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <thread>

using namespace agentops;
// The requests, ids and the query tests' traces (support/serverrequests.h), and the server under
// test (support/serverfixture.h).
using namespace agentops::test;
using otlp::collector::trace::v1::ExportTraceServiceResponse;

class TestServer : public QObject, public test::ServerFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // ingest, happy paths
    void otlpProtobuf();
    void otlpJson();
    void otlpGzip();
    void chunkedBody();
    void chunkedGzipBody();
    void slowBody();
    void partialSuccessProtobuf();
    void partialSuccessJson();
    void allSpansRejected();
    void nativeIngest();
    void nativeIngestErrors();

    // bad input
    void wrongContentType();
    void unknownContentEncoding();
    void corruptGzip();
    void invalidProtobuf();
    void invalidJson();
    void declaredBodyTooLarge();
    void chunkedBodyTooLarge();
    void gzipBomb();
    void oversizedValuesAreStoredCut();
    void lyingContentLength();
    void refusedBodyIsNeverParsed_data();
    void refusedBodyIsNeverParsed();

    // idempotency and assembly
    void idempotentRetry();
    void traceAcrossRequests();

    // query API
    void traceFilters_data();
    void traceFilters();
    void traceSorts_data();
    void traceSorts();
    void cursorPaging_data();
    void cursorPaging();
    void cursorOfAnotherSort();
    void badParameters_data();
    void badParameters();
    void contentSearch();
    void traceById();
    void narrowTraceAndOneSpan();
    void compressesWithGzipNotBrotli();
    void sessions();
    void metrics();
    void health();
    void unknownRoute();
    void wrongMethod();
    void openApi();

    // back-pressure and faults
    void faultInjection();
    void queueFull();
    void requestIds();

    // shutdown
    void stopWithIdleConnections();
    void stopFinishesRequestInFlight();

private:
    void ingestQueryTraces();
};

void TestServer::init()
{
    setUp();
}

void TestServer::cleanup()
{
    tearDown();
}

void TestServer::ingestQueryTraces()
{
    // One request per trace, so the traces' store order (the tie-breaker of every sort) is known.
    int n = 0;
    for (const auto &t : kQueryTraces) {
        auto res = post("/api/v1/ingest", nativeTrace(n++, t).dump(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }
}

// --- ingest, happy paths -----------------------------------------------------------------------

void TestServer::otlpProtobuf()
{
    const auto t = traceHex(1);
    const auto root = spanHex(1, 0);
    const auto child = spanHex(1, 1);
    const std::vector<SpanSpec> spans {
        { t, root, {}, "agent run", kBase, kBase + 3 * kSecond, false, {}, -1, -1, "sess-p" },
        { t, child, root, "chat gpt-4o", kBase + kSecond, kBase + 2 * kSecond, true, "gpt-4o", 120, 30, "sess-p" },
    };
    auto res = post("/v1/traces", otlpBody(spans), "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(q(res->header("Content-Type")), QStringLiteral("application/x-protobuf"));
    ExportTraceServiceResponse answer;
    QVERIFY(answer.ParseFromString(res->body));
    QVERIFY(!answer.has_partial_success());

    auto list = getJson("/api/v1/traces");
    QCOMPARE(list["traces"].size(), 1u);
    QVERIFY(list["next_cursor"].is_null());
    auto &sum = list["traces"][0];
    QCOMPARE(q(sum["trace_id"]), q(t));
    QCOMPARE(q(sum["root_span_id"]), q(root));
    QCOMPARE(q(sum["name"]), QStringLiteral("agent run"));
    QCOMPARE(q(sum["service_name"]), QStringLiteral("proto-svc"));
    QCOMPARE(q(sum["start_time_unix_nano"]), QString::number(kBase));
    QCOMPARE(q(sum["end_time_unix_nano"]), QString::number(kBase + 3 * kSecond));
    QCOMPARE(q(sum["start_time"]).left(19), QStringLiteral("2026-01-01T00:00:00"));
    QCOMPARE(sum["duration_ns"].get<std::int64_t>(), 3 * kSecond);
    QCOMPARE(sum["span_count"].get<int>(), 2);
    QCOMPARE(sum["error_count"].get<int>(), 1);
    QCOMPARE(sum["tokens"]["input"].get<int>(), 120);
    QCOMPARE(sum["tokens"]["output"].get<int>(), 30);
    QCOMPARE(sum["tokens"]["total"].get<int>(), 150);
    QCOMPARE(q(sum["models"]), QStringLiteral(R"(["gpt-4o"])"));
    QCOMPARE(q(sum["session_id"]), QStringLiteral("sess-p"));

    auto detail = getJson("/api/v1/traces/" + t);
    QCOMPARE(q(detail["trace"]["trace_id"]), q(t));
    QCOMPARE(detail["spans"].size(), 2u);
    auto &r = detail["spans"][0];
    QCOMPARE(q(r["span_id"]), q(root));
    QVERIFY(r["parent_span_id"].is_null());
    QCOMPARE(r["depth"].get<int>(), 0);
    QCOMPARE(r["orphan"].get<bool>(), false);
    QCOMPARE(q(r["scope"]["name"]), QStringLiteral("tst-scope"));
    QCOMPARE(q(r["scope"]["version"]), QStringLiteral("9.9"));
    QCOMPARE(r["otel_kind"].get<int>(), 3);
    QCOMPARE(q(r["resource"]["service.name"]), QStringLiteral("proto-svc"));
    auto &c = detail["spans"][1];
    QCOMPARE(q(c["span_id"]), q(child));
    QCOMPARE(q(c["parent_span_id"]), q(root));
    QCOMPARE(c["depth"].get<int>(), 1);
    QCOMPARE(q(c["name"]), QStringLiteral("chat gpt-4o"));
    QCOMPARE(q(c["kind"]), QStringLiteral("llm"));
    QCOMPARE(q(c["request_model"]), QStringLiteral("gpt-4o"));
    QCOMPARE(q(c["status"]["code"]), QStringLiteral("error"));
    QCOMPARE(q(c["status"]["message"]), QStringLiteral("it broke"));
    QCOMPARE(c["tokens"]["input"].get<int>(), 120);
    QCOMPARE(c["tokens"]["output"].get<int>(), 30);
    QCOMPARE(q(c["start_time_unix_nano"]), QString::number(kBase + kSecond));
    QCOMPARE(c["duration_ns"].get<std::int64_t>(), kSecond);
    QVERIFY(c["cost_usd"].is_null()); // no price table: "no price", never a made-up $0
    QCOMPARE(q(c["session_id"]), QStringLiteral("sess-p"));
    QCOMPARE(c["attributes"]["gen_ai.usage.input_tokens"].get<int>(), 120);
}

void TestServer::otlpJson()
{
    const auto t = traceHex(2);
    const std::string body = R"({"resourceSpans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"json-svc"}}]},
      "scopeSpans":[{"scope":{"name":"json-scope","version":"1.2"},"spans":[
        {"traceId":")"
        + t + R"(","spanId":")" + spanHex(2, 0) + R"(","name":"json root","kind":2,
         "startTimeUnixNano":")"
        + std::to_string(kBase) + R"(","endTimeUnixNano":")" + std::to_string(kBase + 1500 * kMs) + R"(",
         "attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
                       {"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}},
                       {"key":"user.id","value":{"stringValue":"u-7"}}],
         "status":{"code":2,"message":"boom"}}]}]}]})";
    auto res = post("/v1/traces", body, "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(q(res->header("Content-Type")), QStringLiteral("application/json"));
    auto answer = parse(res->body);
    QVERIFY(answer.is_object());
    QVERIFY(!answer.contains("partialSuccess"));

    auto detail = getJson("/api/v1/traces/" + t);
    QCOMPARE(q(detail["trace"]["name"]), QStringLiteral("json root"));
    QCOMPARE(q(detail["trace"]["service_name"]), QStringLiteral("json-svc"));
    QCOMPARE(detail["trace"]["duration_ns"].get<std::int64_t>(), 1500 * kMs);
    QCOMPARE(detail["trace"]["error_count"].get<int>(), 1);
    QCOMPARE(q(detail["trace"]["user_id"]), QStringLiteral("u-7"));
    QCOMPARE(detail["spans"].size(), 1u);
    auto &s = detail["spans"][0];
    QCOMPARE(q(s["scope"]["name"]), QStringLiteral("json-scope"));
    QCOMPARE(s["otel_kind"].get<int>(), 2);
    QCOMPARE(q(s["status"]["code"]), QStringLiteral("error"));
    QCOMPARE(q(s["status"]["message"]), QStringLiteral("boom"));
    QCOMPARE(q(s["request_model"]), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(s["tokens"]["input"].get<int>(), 42);
    QCOMPARE(q(s["user_id"]), QStringLiteral("u-7"));
}

void TestServer::otlpGzip()
{
    const auto t = traceHex(3);
    const std::string raw = otlpBody({ { t, spanHex(3, 0), {}, "zipped", kBase, kBase + kSecond } });
    const std::string zipped = gzip(raw);
    QVERIFY(!zipped.empty());
    auto res = post("/v1/traces", zipped, "application/x-protobuf", { { "Content-Encoding", "gzip" } });
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(q(getJson("/api/v1/traces/" + t)["trace"]["name"]), QStringLiteral("zipped"));

    // The native API takes gzip too, and so does OTLP/JSON.
    const auto t2 = traceHex(4);
    const json native = { { "trace", { { "trace_id", t2 } } },
        { "spans",
            { { { "span_id", spanHex(4, 0) }, { "name", "zipped native" }, { "start_time", "2026-01-01T00:00:00Z" },
                { "end_time", "2026-01-01T00:00:01Z" } } } } };
    res = post("/api/v1/ingest", gzip(native.dump()), "application/json", { { "Content-Encoding", "gzip" } });
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(q(getJson("/api/v1/traces/" + t2)["trace"]["name"]), QStringLiteral("zipped native"));
}

void TestServer::chunkedBody()
{
    const auto t = traceHex(5);
    std::vector<SpanSpec> spans;
    spans.reserve(50);
    for (int i = 0; i < 50; ++i)
        spans.emplace_back(t, spanHex(5, i), i ? spanHex(5, 0) : std::string(), "span " + std::to_string(i),
            kBase + i * kMs, kBase + (i + 1) * kMs);
    const std::string body = otlpBody(spans);
    RawConnection conn(m_port);
    QVERIFY(conn.connected());
    QVERIFY(conn.send(
        requestHead("/v1/traces", "application/x-protobuf", "Transfer-Encoding: chunked\r\nConnection: close\r\n")
        + chunked(body, 97)));
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, 200);
    QVERIFY(!res.header("x-request-id").empty());
    ExportTraceServiceResponse answer;
    QVERIFY(answer.ParseFromString(res.body));
    QVERIFY(!answer.has_partial_success());
    QCOMPARE(getJson("/api/v1/traces/" + t)["trace"]["span_count"].get<int>(), 50);

    // The native API over chunked as well.
    const auto t2 = traceHex(6);
    const json native = { { "trace", { { "trace_id", t2 } } },
        { "spans",
            { { { "span_id", spanHex(6, 0) }, { "name", "chunked native" }, { "start_time_unix_nano", kBase },
                { "end_time_unix_nano", kBase + 1 } } } } };
    RawConnection conn2(m_port);
    QVERIFY(conn2.send(
        requestHead("/api/v1/ingest", "application/json", "Transfer-Encoding: chunked\r\nConnection: close\r\n")
        + chunked(native.dump(), 10)));
    const auto res2 = conn2.readResponse();
    QCOMPARE(res2.status, 200);
    QCOMPARE(parse(res2.body)["accepted"].get<int>(), 1);
}

void TestServer::chunkedGzipBody()
{
    const auto t = traceHex(7);
    std::vector<SpanSpec> spans;
    spans.reserve(20);
    for (int i = 0; i < 20; ++i)
        spans.emplace_back(t, spanHex(7, i), i ? spanHex(7, 0) : std::string(), "zipped chunk " + std::to_string(i),
            kBase + i * kMs, kBase + (i + 1) * kMs);
    const std::string zipped = gzip(otlpBody(spans));
    RawConnection conn(m_port);
    QVERIFY(conn.send(requestHead("/v1/traces", "application/x-protobuf",
                          "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\nConnection: close\r\n")
        + chunked(zipped, 33)));
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, 200);
    auto detail = getJson("/api/v1/traces/" + t);
    QCOMPARE(detail["trace"]["span_count"].get<int>(), 20);
    QCOMPARE(q(detail["trace"]["name"]), QStringLiteral("zipped chunk 0"));
}

void TestServer::slowBody()
{
    // A body that trickles in (a slow network) is still read whole.
    const auto t = traceHex(8);
    const std::string body = otlpBody({ { t, spanHex(8, 0), {}, "slow", kBase, kBase + kSecond } });
    RawConnection conn(m_port);
    QVERIFY(conn.send(requestHead("/v1/traces", "application/x-protobuf",
        "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n")));
    const std::size_t third = body.size() / 3;
    for (std::size_t pos = 0; pos < body.size(); pos += third) {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        QVERIFY(conn.send(std::string_view(body).substr(pos, third)));
    }
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, 200);
    QCOMPARE(q(getJson("/api/v1/traces/" + t)["trace"]["name"]), QStringLiteral("slow"));
}

void TestServer::partialSuccessProtobuf()
{
    const auto t = traceHex(9);
    auto req = otlpRequest({ { t, spanHex(9, 0), {}, "good root", kBase, kBase + 2 * kSecond },
        { t, spanHex(9, 1), spanHex(9, 0), "bad id", kBase, kBase + kSecond },
        { t, spanHex(9, 2), spanHex(9, 0), "good child", kBase, kBase + kSecond, false, {}, 7, 3 } });
    req.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans(1)->set_trace_id(std::string(8, '\x01'));
    auto res = post("/v1/traces", req.SerializeAsString(), "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    ExportTraceServiceResponse answer;
    QVERIFY(answer.ParseFromString(res->body));
    QVERIFY(answer.has_partial_success());
    QCOMPARE(answer.partial_success().rejected_spans(), 1);
    const QString msg = q(answer.partial_success().error_message());
    QVERIFY2(msg.contains(QStringLiteral("resourceSpans[0].scopeSpans[0].spans[1].traceId")), qPrintable(msg));

    auto detail = getJson("/api/v1/traces/" + t);
    QCOMPARE(detail["trace"]["span_count"].get<int>(), 2);
    QCOMPARE(detail["trace"]["tokens"]["total"].get<int>(), 10);
    QCOMPARE(q(detail["spans"][0]["name"]), QStringLiteral("good root"));
    QCOMPARE(q(detail["spans"][1]["name"]), QStringLiteral("good child"));
}

void TestServer::partialSuccessJson()
{
    const auto t = traceHex(10);
    const std::string body = R"({"resourceSpans":[{"scopeSpans":[{"spans":[
        {"traceId":")"
        + t + R"(","spanId":")" + spanHex(10, 0) + R"(","name":"ok",
         "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000"},
        {"traceId":"0102030405060708","spanId":")"
        + spanHex(10, 1) + R"(","name":"short id",
         "startTimeUnixNano":"1767225600000000000","endTimeUnixNano":"1767225601000000000"}]}]}]})";
    auto res = post("/v1/traces", body, "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    auto answer = parse(res->body);
    // OTLP/JSON spells 64-bit integers as strings.
    QCOMPARE(q(answer["partialSuccess"]["rejectedSpans"]), QStringLiteral("1"));
    const QString msg = q(answer["partialSuccess"]["errorMessage"]);
    QVERIFY2(msg.contains(QStringLiteral("resourceSpans[0].scopeSpans[0].spans[1].traceId")), qPrintable(msg));
    QCOMPARE(getJson("/api/v1/traces/" + t)["trace"]["span_count"].get<int>(), 1);
}

void TestServer::allSpansRejected()
{
    auto req = otlpRequest({ { traceHex(11), spanHex(11, 0), {}, "a", kBase, kBase + 1 },
        { traceHex(11), spanHex(11, 1), {}, "b", kBase, kBase + 1 } });
    for (auto &span : *req.mutable_resource_spans(0)->mutable_scope_spans(0)->mutable_spans())
        span.set_trace_id(std::string(8, '\x02'));
    auto res = post("/v1/traces", req.SerializeAsString(), "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 400);
    QCOMPARE(q(res->header("Content-Type")), QStringLiteral("application/x-protobuf"));
    const auto status = decodeRpcStatus(res->body);
    QVERIFY(status.ok);
    QCOMPARE(status.code, 3); // INVALID_ARGUMENT
    QVERIFY2(q(status.message).contains(QStringLiteral("spans[0].traceId")), status.message.c_str());
    QVERIFY2(q(status.message).contains(QStringLiteral("spans[1].traceId")), status.message.c_str());
    QCOMPARE(getJson("/api/v1/traces")["traces"].size(), 0u);
    checkStillServing(QStringLiteral("after all spans rejected"));
}

void TestServer::nativeIngest()
{
    const auto t = traceHex(12);
    const json batch = { { "trace",
                             { { "trace_id", t }, { "service_name", "native-svc" }, { "session_id", "sess-n" },
                                 { "user_id", "user-n" } } },
        { "spans",
            { { { "span_id", spanHex(12, 0) }, { "name", "support agent" }, { "kind", "agent" },
                  { "agent_name", "support" }, { "start_time", "2026-01-31T12:00:00Z" },
                  { "end_time", "2026-01-31T12:00:02.5Z" }, { "status", "ok" } },
                { { "span_id", spanHex(12, 1) }, { "parent_span_id", spanHex(12, 0) }, { "name", "chat" },
                    { "kind", "llm" }, { "model", "gpt-4o" }, { "provider", "openai" },
                    { "start_time_unix_nano",
                        std::to_string(kBase + 30 * kDay + std::int64_t { 12 } * 3600 * kSecond + 100 * kMs) },
                    { "end_time_unix_nano", kBase + 30 * kDay + std::int64_t { 12 } * 3600 * kSecond + 900 * kMs },
                    { "tokens", { { "input", 100 }, { "output", 20 }, { "cache_read", 60 } } },
                    { "input", "What is 2+2?" }, { "output", { { "answer", 4 } } },
                    { "attributes", { { "custom.flag", true } } } },
                { { "span_id", spanHex(12, 2) }, { "parent_span_id", spanHex(12, 0) }, { "name", "calculator" },
                    { "kind", "tool" }, { "tool_name", "calc" }, { "start_time", "2026-01-31T12:00:01Z" },
                    { "end_time", "2026-01-31T12:00:01.2Z" }, { "status", "error" },
                    { "status_message", "division by zero" } } } } };
    auto res = post("/api/v1/ingest", batch.dump(), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    auto answer = parse(res->body);
    QCOMPARE(answer["accepted"].get<int>(), 3);
    QCOMPARE(answer["rejected"].get<int>(), 0);
    QVERIFY(answer["errors"].is_array() && answer["errors"].empty());

    auto detail = getJson("/api/v1/traces/" + t);
    auto &sum = detail["trace"];
    QCOMPARE(q(sum["name"]), QStringLiteral("support agent"));
    QCOMPARE(q(sum["service_name"]), QStringLiteral("native-svc"));
    // Always nine fraction digits, so the text sorts like the time.
    QCOMPARE(q(sum["start_time"]), QStringLiteral("2026-01-31T12:00:00.000000000Z"));
    QCOMPARE(sum["duration_ns"].get<std::int64_t>(), 2500 * kMs);
    QCOMPARE(sum["span_count"].get<int>(), 3);
    QCOMPARE(sum["error_count"].get<int>(), 1);
    QCOMPARE(sum["tokens"]["input"].get<int>(), 100);
    QCOMPARE(sum["tokens"]["cache_read"].get<int>(), 60);
    QCOMPARE(sum["tokens"]["total"].get<int>(), 120);
    QCOMPARE(q(sum["session_id"]), QStringLiteral("sess-n"));
    QCOMPARE(q(sum["user_id"]), QStringLiteral("user-n"));
    QCOMPARE(sum["unpriced_spans"].get<int>(), 1);

    QCOMPARE(detail["spans"].size(), 3u);
    auto &agent = detail["spans"][0];
    QCOMPARE(q(agent["kind"]), QStringLiteral("agent"));
    QCOMPARE(q(agent["agent_name"]), QStringLiteral("support"));
    QCOMPARE(q(agent["status"]["code"]), QStringLiteral("ok"));
    // Children in start order: the LLM call (12:00:00.1) before the tool (12:00:01).
    auto &llm = detail["spans"][1];
    QCOMPARE(q(llm["name"]), QStringLiteral("chat"));
    QCOMPARE(q(llm["request_model"]), QStringLiteral("gpt-4o"));
    QCOMPARE(q(llm["response_model"]), QStringLiteral("gpt-4o"));
    QCOMPARE(q(llm["provider"]), QStringLiteral("openai"));
    QCOMPARE(llm["tokens"]["input"].get<int>(), 100);
    QCOMPARE(llm["tokens"]["output"].get<int>(), 20);
    QCOMPARE(llm["tokens"]["cache_read"].get<int>(), 60);
    QCOMPARE(q(llm["input"]), QStringLiteral("What is 2+2?"));
    QCOMPARE(parse(llm["output"].get<std::string>())["answer"].get<int>(), 4);
    QCOMPARE(llm["attributes"]["custom.flag"].get<bool>(), true);
    QCOMPARE(q(llm["service_name"]), QStringLiteral("native-svc"));
    QCOMPARE(q(llm["session_id"]), QStringLiteral("sess-n"));
    QCOMPARE(llm["depth"].get<int>(), 1);
    auto &tool = detail["spans"][2];
    QCOMPARE(q(tool["kind"]), QStringLiteral("tool"));
    QCOMPARE(q(tool["tool_name"]), QStringLiteral("calc"));
    QCOMPARE(q(tool["status"]["code"]), QStringLiteral("error"));
    QCOMPARE(q(tool["status"]["message"]), QStringLiteral("division by zero"));
    QCOMPARE(tool["duration_ns"].get<std::int64_t>(), 200 * kMs);
}

void TestServer::nativeIngestErrors()
{
    const auto t = traceHex(13);
    const json batch = { { "trace", { { "trace_id", t } } },
        { "spans",
            { { { "span_id", spanHex(13, 0) }, { "name", "fine" }, { "start_time_unix_nano", kBase },
                  { "end_time_unix_nano", kBase + kSecond } },
                { { "span_id", "xyz" }, { "name", "bad id" }, { "start_time_unix_nano", kBase },
                    { "end_time_unix_nano", kBase + kSecond } },
                { { "span_id", spanHex(13, 2) }, { "name", "backwards" }, { "start_time_unix_nano", kBase },
                    { "end_time_unix_nano", kBase - 1 } },
                { { "span_id", spanHex(13, 3) }, { "name", "kindless" }, { "kind", "robot" },
                    { "start_time_unix_nano", kBase }, { "end_time_unix_nano", kBase + 1 } } } } };
    auto res = post("/api/v1/ingest", batch.dump(), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    auto answer = parse(res->body);
    QCOMPARE(answer["accepted"].get<int>(), 1);
    QCOMPARE(answer["rejected"].get<int>(), 3);
    QCOMPARE(answer["errors"].size(), 3u);
    QCOMPARE(q(answer["errors"][0]["path"]), QStringLiteral("spans[1].span_id"));
    QCOMPARE(q(answer["errors"][1]["path"]), QStringLiteral("spans[2].end_time_unix_nano"));
    QCOMPARE(q(answer["errors"][2]["path"]), QStringLiteral("spans[3].kind"));
    for (auto &e : answer["errors"])
        QVERIFY(!e["message"].get<std::string>().empty());
    QCOMPARE(getJson("/api/v1/traces/" + t)["trace"]["span_count"].get<int>(), 1);

    // Every span bad: 400, each one listed in error.details.
    const json allBad = { { "spans",
        { { { "span_id", spanHex(14, 0) }, { "name", "no trace id" }, { "start_time_unix_nano", kBase },
              { "end_time_unix_nano", kBase + 1 } },
            { { "trace_id", traceHex(14) }, { "span_id", spanHex(14, 1) }, { "name", "" },
                { "start_time_unix_nano", kBase }, { "end_time_unix_nano", kBase + 1 } } } } };
    res = post("/api/v1/ingest", allBad.dump(), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 400);
    auto err = parse(res->body);
    QCOMPARE(q(err["error"]["code"]), QStringLiteral("invalid_argument"));
    QVERIFY2(q(err["error"]["message"]).contains(QStringLiteral("all 2 spans were rejected")), res->body.c_str());
    QCOMPARE(err["error"]["details"].size(), 2u);
    QCOMPARE(q(err["error"]["details"][0]["path"]), QStringLiteral("spans[0].trace_id"));
    QCOMPARE(q(err["error"]["details"][1]["path"]), QStringLiteral("spans[1].name"));

    // A body of the wrong shape is refused as a whole.
    res = post("/api/v1/ingest", R"({"spans": 5})", "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 400);
    QVERIFY2(q(parse(res->body)["error"]["message"]).contains(QStringLiteral("spans")), res->body.c_str());
    QCOMPARE(getJson("/api/v1/traces")["traces"].size(), 1u);
    checkStillServing(QStringLiteral("after native errors"));
}

// --- bad input ---------------------------------------------------------------------------------

void TestServer::wrongContentType()
{
    const auto body = otlpBody({ { traceHex(15), spanHex(15, 0), {}, "x", kBase, kBase + 1 } });
    for (const char *type : { "text/plain", "application/xml", "" }) {
        auto res = post("/v1/traces", body, type);
        QVERIFY(res);
        QCOMPARE(res->status, 415);
        auto err = parse(res->body);
        QCOMPARE(q(err["error"]["code"]), QStringLiteral("unsupported_media_type"));
        QVERIFY2(q(err["error"]["message"]).contains(QStringLiteral("application/x-protobuf")), res->body.c_str());
    }
    auto res = post("/api/v1/ingest", "{}", "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 415);
    QCOMPARE(q(parse(res->body)["error"]["code"]), QStringLiteral("unsupported_media_type"));
    // Parameters and case of the media type do not matter.
    res = post("/v1/traces", body, "Application/X-Protobuf; charset=binary");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(getJson("/api/v1/traces")["traces"].size(), 1u);
    checkStillServing(QStringLiteral("after wrong content types"));
}

void TestServer::unknownContentEncoding()
{
    checkStillServing(QStringLiteral("before"));
    const auto body = otlpBody({ { traceHex(16), spanHex(16, 0), {}, "x", kBase, kBase + 1 } });
    for (const char *encoding : { "br", "compress", "zstd" }) {
        auto res = post("/v1/traces", body, "application/x-protobuf", { { "Content-Encoding", encoding } });
        QVERIFY(res);
        QCOMPARE(res->status, 415);
        const auto status = decodeRpcStatus(res->body);
        QVERIFY(status.ok);
        QVERIFY2(q(status.message).contains(QLatin1String(encoding)), status.message.c_str());
    }
    auto res = post("/api/v1/ingest", R"({"spans":[]})", "application/json", { { "Content-Encoding", "br" } });
    QVERIFY(res);
    QCOMPARE(res->status, 415);
    QVERIFY2(q(parse(res->body)["error"]["message"]).contains(QStringLiteral("'br'")), res->body.c_str());
    checkStillServing(QStringLiteral("after unknown encodings"));
}

void TestServer::corruptGzip()
{
    checkStillServing(QStringLiteral("before"));
    const std::string zipped = gzip(otlpBody({ { traceHex(17), spanHex(17, 0), {}, "x", kBase, kBase + 1 } }));
    std::string corrupt = zipped;
    for (std::size_t i = 10; i < corrupt.size() - 8; ++i)
        corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    const std::string truncated = zipped.substr(0, zipped.size() / 2);
    for (const auto &body : { corrupt, truncated, std::string("definitely not gzip") }) {
        auto res = post("/v1/traces", body, "application/json", { { "Content-Encoding", "gzip" } });
        QVERIFY(res);
        QCOMPARE(res->status, 400);
        auto err = parse(res->body);
        QCOMPARE(err["code"].get<int>(), 3);
        QVERIFY2(q(err["error"]["message"]).contains(QStringLiteral("gzip")), res->body.c_str());
    }
    QCOMPARE(getJson("/api/v1/traces")["traces"].size(), 1u);
    checkStillServing(QStringLiteral("after corrupt gzip"));
}

void TestServer::invalidProtobuf()
{
    checkStillServing(QStringLiteral("before"));
    auto res = post("/v1/traces", "not a protobuf message at all", "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 400);
    QCOMPARE(q(res->header("Content-Type")), QStringLiteral("application/x-protobuf"));
    const auto status = decodeRpcStatus(res->body);
    QVERIFY(status.ok);
    QCOMPARE(status.code, 3);
    QVERIFY(!status.message.empty());
    checkStillServing(QStringLiteral("after invalid protobuf"));
}

void TestServer::invalidJson()
{
    checkStillServing(QStringLiteral("before"));
    for (const char *body : { "{not json", "[1,2,3]", "null", "\"text\"", R"({"resourceSpans": 7})" }) {
        auto res = post("/v1/traces", body, "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 400);
        QCOMPARE(q(res->header("Content-Type")), QStringLiteral("application/json"));
        auto err = parse(res->body);
        QVERIFY2(err.is_object(), res->body.c_str());
        QCOMPARE(err["code"].get<int>(), 3);
        QVERIFY(!err["message"].get<std::string>().empty());
        QCOMPARE(q(err["error"]["code"]), QStringLiteral("invalid_argument"));
        QCOMPARE(q(err["error"]["message"]), q(err["message"]));
    }
    auto res = post("/api/v1/ingest", "{not json", "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 400);
    QVERIFY2(q(parse(res->body)["error"]["message"]).contains(QStringLiteral("JSON")), res->body.c_str());
    // An empty body is an empty export request in either encoding (as zero bytes are an empty
    // protobuf message): accepted, nothing stored.
    for (const char *type : { "application/json", "application/x-protobuf" }) {
        res = post("/v1/traces", std::string(), type);
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }
    checkStillServing(QStringLiteral("after invalid JSON"));
}

void TestServer::declaredBodyTooLarge()
{
    stop();
    server::ServerConfig config;
    config.max_body_bytes = 64 << 10;
    start(config);
    if (QTest::currentTestFailed())
        return;
    checkStillServing(QStringLiteral("before"));

    // Only the headers are sent: the answer must come without the server waiting for the body.
    RawConnection conn(m_port);
    QVERIFY(conn.send(requestHead("/v1/traces", "application/x-protobuf", "Content-Length: 10485760\r\n")));
    const auto started = std::chrono::steady_clock::now();
    const auto res = conn.readResponse(5000);
    QVERIFY(res.complete);
    QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    QCOMPARE(res.status, 413);
    QCOMPARE(q(res.header("connection")), QStringLiteral("close"));
    const auto status = decodeRpcStatus(res.body);
    QVERIFY(status.ok);
    QCOMPARE(status.code, 8); // RESOURCE_EXHAUSTED
    QVERIFY2(q(status.message).contains(QStringLiteral("64 KiB")), status.message.c_str());

    // The same through the client library, which sends the whole body; JSON error for JSON.
    auto big = post("/api/v1/ingest", std::string(100 << 10, ' '), "application/json");
    QVERIFY(big);
    QCOMPARE(big->status, 413);
    QCOMPARE(q(parse(big->body)["error"]["code"]), QStringLiteral("payload_too_large"));
    // Exactly at the limit is fine as far as size goes (it is simply not valid JSON).
    auto edge = post("/api/v1/ingest", std::string(64 << 10, ' '), "application/json");
    QVERIFY(edge);
    QCOMPARE(edge->status, 400);
    checkStillServing(QStringLiteral("after oversized bodies"));
}

void TestServer::chunkedBodyTooLarge()
{
    stop();
    server::ServerConfig config;
    config.max_body_bytes = 64 << 10;
    start(config);
    if (QTest::currentTestFailed())
        return;
    checkStillServing(QStringLiteral("before"));

    // Chunked bodies declare no length: the limit applies as the bytes arrive.
    const std::string body(256 << 10, 'x');
    RawConnection conn(m_port);
    conn.send(requestHead("/v1/traces", "application/json", "Transfer-Encoding: chunked\r\n") + chunked(body, 4096));
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, 413);
    auto err = parse(res.body);
    QCOMPARE(err["code"].get<int>(), 8);
    QCOMPARE(q(err["error"]["code"]), QStringLiteral("payload_too_large"));
    QCOMPARE(q(res.header("connection")), QStringLiteral("close"));
    checkStillServing(QStringLiteral("after an oversized chunked body"));
}

void TestServer::oversizedValuesAreStoredCut()
{
    // A 3 MiB attribute and a 3 MiB input under a 1 MiB value limit: both stored cut with a marker,
    // counted on the span and in /metrics, and the trace read stays small.
    stop();
    server::ServerConfig config;
    config.max_value_bytes = 1 << 20;
    start(config);
    if (QTest::currentTestFailed())
        return;
    const auto t = traceHex(31);
    // "é" is two bytes: one straddles the limit, so the cut must back up to keep the text UTF-8.
    const std::string big = std::string((1 << 20) - 1, 'a') + "\xc3\xa9" + std::string(2 << 20, 'b');
    const json batch = { { "trace", { { "trace_id", t }, { "service_name", "big" } } },
        { "spans",
            { { { "span_id", spanHex(31, 0) }, { "name", "upload" }, { "kind", "tool" },
                { "start_time_unix_nano", kBase }, { "end_time_unix_nano", kBase + kMs }, { "input", big },
                { "attributes", { { "blob", big }, { "small", "kept" } } } } } } };
    auto res = post("/api/v1/ingest", batch.dump(), "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    auto stored = get("/api/v1/traces/" + t);
    QVERIFY(stored);
    QCOMPARE(stored->status, 200);
    QVERIFY2(stored->body.size() < (3u << 20), std::to_string(stored->body.size()).c_str());
    const auto span = parse(stored->body)["spans"][0];
    const std::string marker = "… [truncated: " + std::to_string(big.size()) + " bytes]";
    const std::string cut = std::string((1 << 20) - 1, 'a') + marker;
    QCOMPARE(span["attributes"]["blob"].get<std::string>(), cut);
    QCOMPARE(span["input"].get<std::string>(), cut);
    QCOMPARE(q(span["attributes"]["small"]), QStringLiteral("kept"));
    QCOMPARE(span["attributes"]["agentops.truncated_values"].get<int>(), 2);
    const auto metrics = get("/metrics");
    QVERIFY(metrics);
    QVERIFY2(metrics->body.find("agentops_truncated_values_total 2") != std::string::npos, metrics->body.c_str());
    stop();
    start();
}

void TestServer::gzipBomb()
{
    stop();
    server::ServerConfig config;
    config.max_body_bytes = 64 << 10;
    config.max_decompressed_bytes = 1 << 20;
    start(config);
    if (QTest::currentTestFailed())
        return;
    checkStillServing(QStringLiteral("before"));

    // 32 MiB of zeros compress to a few KiB: small on the wire, far over the decompressed limit.
    const std::string bomb = gzip(std::string(32 << 20, '\0'));
    QVERIFY(bomb.size() < (64u << 10));
    auto res = post("/v1/traces", bomb, "application/x-protobuf", { { "Content-Encoding", "gzip" } });
    QVERIFY(res);
    QCOMPARE(res->status, 413);
    const auto status = decodeRpcStatus(res->body);
    QVERIFY(status.ok);
    QCOMPARE(status.code, 8);
    QVERIFY2(q(status.message).contains(QStringLiteral("decompressed")), status.message.c_str());
    QVERIFY2(q(status.message).contains(QStringLiteral("1 MiB")), status.message.c_str());

    res = post("/api/v1/ingest", bomb, "application/json", { { "Content-Encoding", "gzip" } });
    QVERIFY(res);
    QCOMPARE(res->status, 413);

    // Just under the limit decompressed is accepted as far as size goes.
    const auto t = traceHex(18);
    std::vector<SpanSpec> spans;
    spans.reserve(200);
    for (int i = 0; i < 200; ++i)
        spans.push_back({ t, spanHex(18, i), {}, std::string(1000, 'n'), kBase, kBase + 1 });
    const std::string raw = otlpBody(spans);
    QVERIFY(raw.size() > (64u << 10) && raw.size() < (1u << 20));
    res = post("/v1/traces", gzip(raw), "application/x-protobuf", { { "Content-Encoding", "gzip" } });
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(getJson("/api/v1/traces/" + t)["trace"]["span_count"].get<int>(), 200);
    checkStillServing(QStringLiteral("after a gzip bomb"));
}

void TestServer::lyingContentLength()
{
    checkStillServing(QStringLiteral("before"));
    const auto t = traceHex(19);
    const std::string body = otlpBody({ { t, spanHex(19, 0), {}, "x", kBase, kBase + 1 } });

    // Longer than what comes: the body ends early (the client hangs up its side). Nothing of it
    // is stored; the client is told so, and the connection ends.
    {
        RawConnection conn(m_port);
        QVERIFY(conn.send(requestHead("/v1/traces", "application/x-protobuf",
                              "Content-Length: " + std::to_string(body.size() + 100) + "\r\n")
            + body));
        conn.shutdownWrite();
        const auto res = conn.readResponse(3000);
        QVERIFY(res.complete);
        QCOMPARE(res.status, 400);
        QVERIFY(conn.closedByPeer(3000));
    }
    // Shorter than what comes: the truncated message does not decode; nothing is stored.
    {
        RawConnection conn(m_port);
        QVERIFY(conn.send(requestHead("/v1/traces", "application/x-protobuf",
                              "Content-Length: " + std::to_string(body.size() / 2) + "\r\nConnection: close\r\n")
            + body));
        const auto res = conn.readResponse();
        QVERIFY(res.complete);
        QCOMPARE(res.status, 400);
    }
    auto list = getJson("/api/v1/traces?limit=1000");
    for (const auto &id : traceIds(list))
        QVERIFY(id != t);
    checkStillServing(QStringLiteral("after lying Content-Length"));
}

void TestServer::refusedBodyIsNeverParsed_data()
{
    QTest::addColumn<QString>("headers");
    QTest::addColumn<bool>("declareHuge");
    QTest::addColumn<int>("status");

    QTest::newRow("Content-Length over the limit")
        << QStringLiteral("Content-Type: application/x-protobuf\r\n") << true << 413;
    QTest::newRow("unknown Content-Encoding")
        << QStringLiteral("Content-Type: application/x-protobuf\r\nContent-Encoding: br\r\n") << false << 415;
    QTest::newRow("wrong Content-Type") << QStringLiteral("Content-Type: text/plain\r\n") << false << 415;
}

void TestServer::refusedBodyIsNeverParsed()
{
    // A body the server refuses without reading stays in the connection. Whatever it holds must not
    // be taken for a next request: here it is a complete, valid OTLP request of its own.
    QFETCH(QString, headers);
    QFETCH(bool, declareHuge);
    QFETCH(int, status);
    stop();
    server::ServerConfig config;
    config.max_body_bytes = 64 << 10;
    start(config);
    if (QTest::currentTestFailed())
        return;

    const auto hidden = traceHex(60);
    const std::string inner = otlpBody({ { hidden, spanHex(60, 0), {}, "smuggled", kBase, kBase + 1 } });
    const std::string innerRequest = requestHead("/v1/traces", "application/x-protobuf",
                                         "Content-Length: " + std::to_string(inner.size()) + "\r\n")
        + inner;
    const std::size_t declared = declareHuge ? 100'000 : innerRequest.size();
    RawConnection conn(m_port);
    QVERIFY(conn.send("POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers.toStdString()
        + "Content-Length: " + std::to_string(declared) + "\r\n\r\n" + innerRequest));
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, status);
    QCOMPARE(q(res.header("connection")), QStringLiteral("close"));
    // No second answer: the refused bytes are dropped, not served.
    const auto next = conn.readResponse(1000);
    QVERIFY2(!next.complete, std::to_string(next.status).c_str());
    auto list = getJson("/api/v1/traces?limit=1000");
    for (const auto &id : traceIds(list))
        QVERIFY2(id != hidden, "the refused body was served as a request");
    checkStillServing(QStringLiteral("after a refused body"));
}

// --- idempotency and assembly ------------------------------------------------------------------

void TestServer::idempotentRetry()
{
    const auto t = traceHex(20);
    const std::string body = otlpBody({ { t, spanHex(20, 0), {}, "root", kBase, kBase + 2 * kSecond },
        { t, spanHex(20, 1), spanHex(20, 0), "llm", kBase, kBase + kSecond, false, "gpt-4o", 1000, 200 } });
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto res = post("/v1/traces", body, "application/x-protobuf");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        auto sum = getJson("/api/v1/traces/" + t)["trace"];
        QCOMPARE(sum["span_count"].get<int>(), 2);
        QCOMPARE(sum["tokens"]["input"].get<int>(), 1000);
        QCOMPARE(sum["tokens"]["output"].get<int>(), 200);
        QCOMPARE(sum["tokens"]["total"].get<int>(), 1200);
        QCOMPARE(sum["unpriced_spans"].get<int>(), 1);
    }
    // A retry that repeats one old span next to a new one counts only the new one.
    auto res = post("/v1/traces",
        otlpBody({ { t, spanHex(20, 1), spanHex(20, 0), "llm", kBase, kBase + kSecond, false, "gpt-4o", 1000, 200 },
            { t, spanHex(20, 2), spanHex(20, 0), "llm 2", kBase, kBase + kSecond, false, "gpt-4o", 1, 1 } }),
        "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    auto sum = getJson("/api/v1/traces/" + t)["trace"];
    QCOMPARE(sum["span_count"].get<int>(), 3);
    QCOMPARE(sum["tokens"]["total"].get<int>(), 1202);
    QCOMPARE(getJson("/api/v1/traces")["traces"].size(), 1u);
    QCOMPARE(m_store->spanCount(), 3);
}

void TestServer::traceAcrossRequests()
{
    // Children arrive before their parents, one batch at a time; one span's parent never comes.
    const int n = 21;
    const auto t = traceHex(n);
    const auto R = spanHex(n, 0), A = spanHex(n, 1), A1 = spanHex(n, 2), B = spanHex(n, 3), O = spanHex(n, 4),
               O1 = spanHex(n, 5), missing = spanHex(n, 99);
    const SpanSpec root { t, R, {}, "root", kBase, kBase + 10 * kSecond };
    const SpanSpec a { t, A, R, "a", kBase + 1 * kSecond, kBase + 4 * kSecond, false, "gpt-4o", 100, 10 };
    const SpanSpec a1 { t, A1, A, "a1", kBase + 2 * kSecond, kBase + 3 * kSecond, true };
    const SpanSpec b { t, B, R, "b", kBase + 500 * kMs, kBase + 12 * kSecond, false, "claude", 5, 5 };
    const SpanSpec o { t, O, missing, "o", kBase + 5 * kSecond, kBase + 6 * kSecond };
    const SpanSpec o1 { t, O1, O, "o1", kBase + 5500 * kMs, kBase + 5800 * kMs };

    auto res = post("/v1/traces", otlpBody({ a1, o1 }), "application/x-protobuf");
    QVERIFY(res && res->status == 200);
    // Until the root arrives the trace is named after its earliest span.
    auto sum = getJson("/api/v1/traces/" + t)["trace"];
    QCOMPARE(q(sum["name"]), QStringLiteral("a1"));
    QVERIFY(sum["root_span_id"].is_null());

    res = post("/v1/traces", otlpBody({ o, b }), "application/x-protobuf");
    QVERIFY(res && res->status == 200);
    QCOMPARE(q(getJson("/api/v1/traces/" + t)["trace"]["name"]), QStringLiteral("b"));
    res = post("/v1/traces", otlpBody({ a, root }), "application/x-protobuf");
    QVERIFY(res && res->status == 200);

    auto detail = getJson("/api/v1/traces/" + t);
    sum = detail["trace"];
    QCOMPARE(q(sum["name"]), QStringLiteral("root"));
    QCOMPARE(q(sum["root_span_id"]), q(R));
    QCOMPARE(sum["span_count"].get<int>(), 6);
    QCOMPARE(sum["error_count"].get<int>(), 1);
    QCOMPARE(sum["tokens"]["input"].get<int>(), 105);
    QCOMPARE(sum["tokens"]["output"].get<int>(), 15);
    QCOMPARE(sum["tokens"]["total"].get<int>(), 120);
    QCOMPARE(q(sum["start_time_unix_nano"]), QString::number(kBase));
    // b ends after the root: the trace lasts from the first start to the last end.
    QCOMPARE(sum["duration_ns"].get<std::int64_t>(), 12 * kSecond);
    QCOMPARE(q(sum["models"]), QStringLiteral(R"(["claude","gpt-4o"])"));

    // Tree order: depth first, siblings by start; the orphan subtree follows, kept and marked.
    QStringList got;
    for (auto &s : detail["spans"])
        got << QStringLiteral("%1/%2/%3")
                   .arg(q(s["name"]))
                   .arg(s["depth"].get<int>())
                   .arg(s["orphan"].get<bool>() ? QStringLiteral("orphan") : QStringLiteral("-"));
    const QStringList expected { QStringLiteral("root/0/-"), QStringLiteral("b/1/-"), QStringLiteral("a/1/-"),
        QStringLiteral("a1/2/-"), QStringLiteral("o/0/orphan"), QStringLiteral("o1/1/-") };
    QCOMPARE(got, expected);
    QCOMPARE(q(detail["spans"][4]["parent_span_id"]), q(missing));
}

// --- query API ---------------------------------------------------------------------------------

void TestServer::traceFilters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("names"); // in the default order, newest first

    const auto all = QStringList { QStringLiteral("trip report"), QStringLiteral("summarize"),
        QStringLiteral("book FLIGHT"), QStringLiteral("Plan Trip") };
    QTest::newRow("none") << QString() << all;
    QTest::newRow("from/to RFC 3339") << QStringLiteral("from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z")
                                      << QStringList { QStringLiteral("summarize"), QStringLiteral("book FLIGHT") };
    QTest::newRow("from/to with offset") << QStringLiteral(
        "from=2026-01-02T01:00:00%2B01:00&to=2026-01-03T12:00:00.000000001Z")
                                         << QStringList { QStringLiteral("summarize"), QStringLiteral("book FLIGHT") };
    QTest::newRow("from/to ns") << QStringLiteral("from=%1&to=%2").arg(kBase + kDay).arg(kBase + 3 * kDay)
                                << QStringList { QStringLiteral("summarize"), QStringLiteral("book FLIGHT") };
    QTest::newRow("to is exclusive") << QStringLiteral("to=%1").arg(kBase + std::int64_t { 12 } * 3600 * kSecond)
                                     << QStringList {};
    QTest::newRow("from is inclusive") << QStringLiteral("from=%1").arg(
        kBase + 3 * kDay + std::int64_t { 12 } * 3600 * kSecond)
                                       << QStringList { QStringLiteral("trip report") };
    QTest::newRow("service") << QStringLiteral("service=beta")
                             << QStringList { QStringLiteral("trip report"), QStringLiteral("summarize") };
    QTest::newRow("service exact") << QStringLiteral("service=bet") << QStringList {};
    QTest::newRow("name any case") << QStringLiteral("name=TRIP")
                                   << QStringList { QStringLiteral("trip report"), QStringLiteral("Plan Trip") };
    QTest::newRow("name lower") << QStringLiteral("name=flight") << QStringList { QStringLiteral("book FLIGHT") };
    QTest::newRow("name wildcard is literal") << QStringLiteral("name=%25") << QStringList {};
    QTest::newRow("errors") << QStringLiteral("errors=true")
                            << QStringList { QStringLiteral("trip report"), QStringLiteral("summarize"),
                                   QStringLiteral("book FLIGHT") };
    QTest::newRow("errors=false") << QStringLiteral("errors=false") << all;
    QTest::newRow("model") << QStringLiteral("model=gpt-4o")
                           << QStringList { QStringLiteral("summarize"), QStringLiteral("Plan Trip") };
    QTest::newRow("model unknown") << QStringLiteral("model=gpt") << QStringList {};
    QTest::newRow("session") << QStringLiteral("session=s1")
                             << QStringList { QStringLiteral("book FLIGHT"), QStringLiteral("Plan Trip") };
    QTest::newRow("min_duration_ms") << QStringLiteral("min_duration_ms=2000")
                                     << QStringList { QStringLiteral("trip report"), QStringLiteral("summarize"),
                                            QStringLiteral("book FLIGHT") };
    QTest::newRow("min_duration_ms fraction") << QStringLiteral(
        "min_duration_ms=2000.5") << QStringList { QStringLiteral("trip report"), QStringLiteral("book FLIGHT") };
    // Nothing is priced without a price table: every cost is 0.
    QTest::newRow("min_cost tiny") << QStringLiteral("min_cost=0.000001") << QStringList {};
    QTest::newRow("min_cost 0") << QStringLiteral("min_cost=0") << all;
    QTest::newRow("combined") << QStringLiteral("service=alpha&errors=true&model=claude-sonnet&session=s1")
                              << QStringList { QStringLiteral("book FLIGHT") };
    QTest::newRow("combined, none") << QStringLiteral("service=alpha&name=summ") << QStringList {};
}

void TestServer::traceFilters()
{
    QFETCH(QString, query);
    QFETCH(QStringList, names);
    ingestQueryTraces();
    if (QTest::currentTestFailed())
        return;
    auto page = getJson("/api/v1/traces?" + query.toStdString());
    QVERIFY(page.is_object());
    QStringList got;
    for (auto &t : page["traces"])
        got << q(t["name"]);
    QCOMPARE(got, names);
    QVERIFY(page["next_cursor"].is_null());
}

void TestServer::contentSearch()
{
    // The Vercel AI SDK's runs as its OTLP exporter sent them; what the SDK reported says which span
    // failed and with which message.
    QFile otlp(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/vercel-ai.otlp.json"));
    QVERIFY(otlp.open(QIODevice::ReadOnly));
    for (const QByteArray &line : otlp.readAll().split('\n'))
        if (!line.trimmed().isEmpty())
            QCOMPARE(post("/v1/traces", line.toStdString(), "application/json")->status, 200);
    QFile expectedFile(QStringLiteral(AGENTOPS_FIXTURES_DIR "/frameworks/vercel-ai.expected.json"));
    QVERIFY(expectedFile.open(QIODevice::ReadOnly));
    const json expected = json::parse(expectedFile.readAll().toStdString());
    const json &failedRun = expected["runs"][1];
    const json &tool = failedRun["tool_calls"][0];
    QVERIFY(tool["failed"].get<bool>());

    // The index fills behind the writer: a moment after the answer, the failed call is found.
    json page;
    QTRY_VERIFY_WITH_TIMEOUT(
        (page = getJson("/api/v1/traces?q=tool%3Aget_weather%20status%3Aerror"))["traces"].size() == 1, 10000);
    QVERIFY(page["traces"][0]["trace_id"] == failedRun["trace_id"]);
    QCOMPARE(page["matches"].size(), std::size_t(1));
    QVERIFY2(page["matches"][0]["span_id"] == tool["span_id"], page.dump().c_str());
    QVERIFY(page["matches"][0]["span_name"] == tool["span_name"]);

    // The message the SDK reported, as a phrase: the snippet shows it, the highlight covers it.
    const std::string message = tool["error_message"];
    page = getJson("/api/v1/traces?q=%22unknown%20city%22");
    QCOMPARE(page["traces"].size(), std::size_t(1));
    const std::string snippet = page["matches"][0]["snippet"];
    QVERIFY2(snippet.find("unknown city") != std::string::npos, snippet.c_str());
    QCOMPARE(page["matches"][0]["highlights"].size(), std::size_t(1));

    // Both runs asked about the weather; with paging, one a page; with a filter, none.
    page = getJson("/api/v1/traces?q=weather&limit=1");
    QCOMPARE(page["traces"].size(), std::size_t(1));
    QVERIFY(page["next_cursor"].is_string());
    const json second = getJson("/api/v1/traces?q=weather&limit=1&cursor=" + page["next_cursor"].get<std::string>());
    QCOMPARE(second["traces"].size(), std::size_t(1));
    QVERIFY(second["traces"][0]["trace_id"] != page["traces"][0]["trace_id"]);
    const json none = getJson("/api/v1/traces?q=weather&service=no-such-service");
    QCOMPARE(none["traces"].size(), std::size_t(0));
    QVERIFY(none["matches"].is_array() && none["matches"].empty()); // a search's answer always has them
    QCOMPARE(getJson("/api/v1/traces?q=weather&errors=true")["traces"].size(), std::size_t(1));

    // A query the language cannot read is refused, saying why.
    const json bad = getJson("/api/v1/traces?q=NOT%20weather", 400);
    QVERIFY2(bad["error"]["message"].get<std::string>().find("q: NOT needs") == 0, bad.dump().c_str());
    QVERIFY(getJson("/api/v1/traces?q=ab%20OR%20weather", 400)["error"]["message"].get<std::string>().find("too short")
        != std::string::npos);
    // Hostile queries are refused as queries, not failures of the server.
    std::string nested = "abc";
    for (int i = 0; i < 50; ++i) {
        nested.insert(0, "(abc%20OR%20");
        nested += ')';
    }
    QVERIFY(getJson("/api/v1/traces?q=" + nested, 400)["error"]["message"].get<std::string>().find("nest")
        != std::string::npos);
    QVERIFY(getJson("/api/v1/traces?q=abc%00def", 400)["error"]["message"].get<std::string>().find("control")
        != std::string::npos);
}

void TestServer::traceSorts_data()
{
    QTest::addColumn<QString>("sort");
    QTest::addColumn<bool>("descending");
    for (const char *sort : { "start_time", "duration", "cost", "tokens", "spans", "errors" }) {
        QTest::addRow("%s asc", sort) << QString::fromLatin1(sort) << false;
        QTest::addRow("%s desc", sort) << QString::fromLatin1(sort) << true;
    }
}

void TestServer::traceSorts()
{
    QFETCH(QString, sort);
    QFETCH(bool, descending);
    ingestQueryTraces();
    if (QTest::currentTestFailed())
        return;

    // The expected order from the table; ties (every cost is 0) fall back to store order.
    std::vector<int> order { 0, 1, 2, 3 };
    auto key = [&](int i) -> double {
        const auto &t = kQueryTraces[i];
        if (sort == QLatin1String("start_time"))
            return t.day;
        if (sort == QLatin1String("duration"))
            return t.durationMs;
        if (sort == QLatin1String("tokens"))
            return t.tokens;
        if (sort == QLatin1String("spans"))
            return t.spans;
        if (sort == QLatin1String("errors"))
            return t.errors;
        return 0;
    };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    if (descending)
        std::reverse(order.begin(), order.end());
    QStringList expected;
    for (int i : order)
        expected << QLatin1String(kQueryTraces[i].name);

    const auto path = "/api/v1/traces?sort=" + sort.toStdString() + "&order=" + (descending ? "desc" : "asc");
    auto page = getJson(path);
    QVERIFY(page.is_object());
    QStringList got;
    for (auto &t : page["traces"])
        got << q(t["name"]);
    QCOMPARE(got, expected);

    // The same order one trace per page, through the cursors.
    QStringList paged;
    std::string cursor;
    for (int guard = 0; guard < 10; ++guard) {
        auto p = getJson(path + "&limit=1" + (cursor.empty() ? "" : "&cursor=" + urlEncode(cursor)));
        QVERIFY(p.is_object());
        for (auto &t : p["traces"])
            paged << q(t["name"]);
        if (p["next_cursor"].is_null())
            break;
        cursor = p["next_cursor"].get<std::string>();
    }
    QCOMPARE(paged, expected);
}

void TestServer::cursorPaging_data()
{
    QTest::addColumn<QString>("sort");
    QTest::addColumn<bool>("descending");
    QTest::newRow("start_time desc") << QStringLiteral("start_time") << true;
    QTest::newRow("start_time asc") << QStringLiteral("start_time") << false;
    QTest::newRow("duration asc") << QStringLiteral("duration") << false;
    QTest::newRow("duration desc") << QStringLiteral("duration") << true;
    // Every trace has the same (zero) token count: the pages run on the tie-breaker alone.
    QTest::newRow("tokens desc, all tied") << QStringLiteral("tokens") << true;
    QTest::newRow("cost asc, all tied") << QStringLiteral("cost") << false;
}

void TestServer::cursorPaging()
{
    QFETCH(QString, sort);
    QFETCH(bool, descending);
    const int count = 25;
    std::vector<std::int64_t> durations(count);
    for (int i = 0; i < count; ++i) {
        durations[i] = ((i * 7) % count + 1) * kMs; // a permutation of 1..25 ms
        const auto t = traceHex(100 + i);
        auto res = post("/v1/traces",
            otlpBody({ { t, spanHex(i, 0), {}, "t" + std::to_string(i), kBase + i * kSecond,
                kBase + i * kSecond + durations[i] } }),
            "application/x-protobuf");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
    }
    std::vector<int> order(count);
    for (int i = 0; i < count; ++i)
        order[i] = i;
    if (sort == QLatin1String("duration"))
        std::sort(order.begin(), order.end(), [&](int a, int b) { return durations[a] < durations[b]; });
    if (descending)
        std::reverse(order.begin(), order.end());
    QStringList expected;
    for (int i : order)
        expected << q(traceHex(100 + i));

    QStringList visited;
    std::string cursor;
    int pages = 0;
    for (;;) {
        std::string path
            = "/api/v1/traces?limit=7&sort=" + sort.toStdString() + "&order=" + (descending ? "desc" : "asc");
        if (!cursor.empty())
            path += "&cursor=" + urlEncode(cursor);
        auto page = getJson(path);
        QVERIFY(page.is_object());
        ++pages;
        QVERIFY(pages <= 4);
        QCOMPARE(int(page["traces"].size()), pages < 4 ? 7 : 4);
        for (auto &t : page["traces"])
            visited << q(t["trace_id"]);
        if (page["next_cursor"].is_null())
            break;
        cursor = page["next_cursor"].get<std::string>();
        QVERIFY(!cursor.empty());
    }
    QCOMPARE(pages, 4);
    QCOMPARE(visited, expected);
}

void TestServer::cursorOfAnotherSort()
{
    ingestQueryTraces();
    if (QTest::currentTestFailed())
        return;
    auto page = getJson("/api/v1/traces?limit=1");
    QVERIFY(page["next_cursor"].is_string());
    const auto cursor = urlEncode(page["next_cursor"].get<std::string>());
    for (const char *other : { "sort=duration", "order=asc", "sort=tokens&order=asc" }) {
        auto res = get("/api/v1/traces?limit=1&cursor=" + cursor + "&" + other);
        QVERIFY(res);
        QCOMPARE(res->status, 400);
        auto err = parse(res->body);
        QCOMPARE(q(err["error"]["code"]), QStringLiteral("invalid_argument"));
        QVERIFY2(q(err["error"]["message"]).startsWith(QStringLiteral("cursor:")), res->body.c_str());
    }
    // The cursor still works with the sort it came from.
    auto res = get("/api/v1/traces?limit=1&cursor=" + cursor);
    QVERIFY(res);
    QCOMPARE(res->status, 200);
}

void TestServer::badParameters_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("names");

    QTest::newRow("unknown parameter") << QStringLiteral("/api/v1/traces?colour=red") << QStringLiteral("'colour'");
    QTest::newRow("limit 0") << QStringLiteral("/api/v1/traces?limit=0") << QStringLiteral("limit:");
    QTest::newRow("limit too big") << QStringLiteral("/api/v1/traces?limit=1001") << QStringLiteral("limit:");
    QTest::newRow("limit text") << QStringLiteral("/api/v1/traces?limit=ten") << QStringLiteral("limit:");
    QTest::newRow("limit empty") << QStringLiteral("/api/v1/traces?limit=") << QStringLiteral("limit:");
    QTest::newRow("bad from") << QStringLiteral("/api/v1/traces?from=yesterday") << QStringLiteral("from:");
    QTest::newRow("bad to") << QStringLiteral("/api/v1/traces?to=2026-13-01T00:00:00Z") << QStringLiteral("to:");
    QTest::newRow("from after to") << QStringLiteral("/api/v1/traces?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")
                                   << QStringLiteral("from:");
    QTest::newRow("bad sort") << QStringLiteral("/api/v1/traces?sort=name") << QStringLiteral("sort:");
    QTest::newRow("bad order") << QStringLiteral("/api/v1/traces?order=up") << QStringLiteral("order:");
    QTest::newRow("bad errors") << QStringLiteral("/api/v1/traces?errors=maybe") << QStringLiteral("errors:");
    QTest::newRow("negative duration") << QStringLiteral("/api/v1/traces?min_duration_ms=-1")
                                       << QStringLiteral("min_duration_ms:");
    QTest::newRow("bad cost") << QStringLiteral("/api/v1/traces?min_cost=cheap") << QStringLiteral("min_cost:");
    QTest::newRow("nan cost") << QStringLiteral("/api/v1/traces?min_cost=nan") << QStringLiteral("min_cost:");
    QTest::newRow("garbage cursor") << QStringLiteral("/api/v1/traces?cursor=garbage") << QStringLiteral("cursor:");
    QTest::newRow("detail takes no parameters")
        << QStringLiteral("/api/v1/traces/%1?x=1").arg(q(traceHex(1))) << QStringLiteral("'x'");
    QTest::newRow("sessions unknown parameter")
        << QStringLiteral("/api/v1/sessions?session=s1") << QStringLiteral("'session'");
    QTest::newRow("sessions bad limit") << QStringLiteral("/api/v1/sessions?limit=-5") << QStringLiteral("limit:");
    QTest::newRow("sessions bad cursor") << QStringLiteral("/api/v1/sessions?cursor=abc") << QStringLiteral("cursor:");
    QTest::newRow("sessions bad from") << QStringLiteral("/api/v1/sessions?from=soon") << QStringLiteral("from:");
    const QString m = QStringLiteral("/api/v1/metrics?from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z");
    QTest::newRow("metrics without from")
        << QStringLiteral("/api/v1/metrics?to=2026-01-08T00:00:00Z") << QStringLiteral("from:");
    QTest::newRow("metrics without to") << QStringLiteral("/api/v1/metrics?from=2026-01-08T00:00:00Z")
                                        << QStringLiteral("to:");
    QTest::newRow("metrics from after to")
        << QStringLiteral("/api/v1/metrics?from=2026-01-08T00:00:00Z&to=2026-01-01T00:00:00Z")
        << QStringLiteral("from:");
    QTest::newRow("metrics bad bucket") << m + QStringLiteral("&bucket=90s") << QStringLiteral("bucket:");
    QTest::newRow("metrics bucket not whole minutes")
        << m + QStringLiteral("&bucket=90000000000") << QStringLiteral("bucket:");
    QTest::newRow("metrics too many buckets") << m + QStringLiteral("&bucket=1m") << QStringLiteral("bucket:");
    QTest::newRow("metrics bad group") << m + QStringLiteral("&group_by=colour") << QStringLiteral("group_by:");
    QTest::newRow("metrics top 0") << m + QStringLiteral("&top=0") << QStringLiteral("top:");
    QTest::newRow("metrics top 101") << m + QStringLiteral("&top=101") << QStringLiteral("top:");
    QTest::newRow("metrics unknown parameter") << m + QStringLiteral("&limit=5") << QStringLiteral("'limit'");
    QTest::newRow("trace id too short") << QStringLiteral("/api/v1/traces/abc") << QStringLiteral("trace_id:");
    QTest::newRow("trace id not hex") << QStringLiteral("/api/v1/traces/%1").arg(QString(32, QLatin1Char('g')))
                                      << QStringLiteral("trace_id:");
    QTest::newRow("trace id zero") << QStringLiteral("/api/v1/traces/%1").arg(QString(32, QLatin1Char('0')))
                                   << QStringLiteral("trace_id:");
}

void TestServer::badParameters()
{
    QFETCH(QString, path);
    QFETCH(QString, names);
    auto res = get(path.toStdString());
    QVERIFY(res);
    QCOMPARE(res->status, 400);
    auto err = parse(res->body);
    QVERIFY2(err.is_object(), res->body.c_str());
    QCOMPARE(q(err["error"]["code"]), QStringLiteral("invalid_argument"));
    QVERIFY2(q(err["error"]["message"]).contains(names), res->body.c_str());
}

void TestServer::traceById()
{
    const auto t = traceHex(30);
    auto res
        = post("/v1/traces", otlpBody({ { t, spanHex(30, 0), {}, "x", kBase, kBase + 1 } }), "application/x-protobuf");
    QVERIFY(res && res->status == 200);
    // Ids are accepted in either case and answered in lower case.
    std::string upper = t;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    QCOMPARE(q(getJson("/api/v1/traces/" + upper)["trace"]["trace_id"]), q(t));

    const auto unknown = traceHex(31);
    res = get("/api/v1/traces/" + unknown);
    QVERIFY(res);
    QCOMPARE(res->status, 404);
    auto err = parse(res->body);
    QCOMPARE(q(err["error"]["code"]), QStringLiteral("not_found"));
    QVERIFY2(q(err["error"]["message"]).contains(q(unknown)), res->body.c_str());
}

void TestServer::narrowTraceAndOneSpan()
{
    const auto t = traceHex(40);
    const auto before = getJson("/api/v1/changes");
    QVERIFY(before["change_counter"].is_string());
    auto res = post("/v1/traces",
        otlpBody({ { t, spanHex(40, 0), {}, "root", kBase, kBase + kSecond, false, "gpt-4o", 10, 5 },
            { t, spanHex(40, 1), spanHex(40, 0), "child", kBase + 1, kBase + 2 } }),
        "application/x-protobuf");
    QVERIFY(res && res->status == 200);
    const auto after = getJson("/api/v1/changes");
    QVERIFY2(std::stoull(after["change_counter"].get<std::string>())
            > std::stoull(before["change_counter"].get<std::string>()),
        "the change counter grows with a commit");

    const auto full = getJson("/api/v1/traces/" + t);
    QCOMPARE(full["complete"].get<bool>(), true);
    QVERIFY(!full["spans"][0]["attributes"].empty());
    const auto narrow = getJson("/api/v1/traces/" + t + "?load=narrow");
    QCOMPARE(narrow["complete"].get<bool>(), false);
    QCOMPARE(narrow["spans"].size(), std::size_t(2));
    QVERIFY2(narrow["spans"][0]["attributes"].empty(), narrow.dump().c_str());
    QCOMPARE(getJson("/api/v1/traces/" + t + "?load=auto")["complete"].get<bool>(), true);
    // A small trace asked for slim comes whole, in the usual shape.
    const auto slim = getJson("/api/v1/traces/" + t + "?load=slim");
    QCOMPARE(slim["complete"].get<bool>(), true);
    QVERIFY(slim["spans"] == full["spans"]);
    QVERIFY(!slim.contains("rows"));
    QCOMPARE(q(getJson("/api/v1/traces/" + t + "?load=sideways", 400)["error"]["message"]),
        QStringLiteral("load: must be full, auto, narrow or slim, got 'sideways'"));

    // One span whole, as the full trace has it.
    const auto one = getJson("/api/v1/traces/" + t + "/spans/" + spanHex(40, 0));
    json expected = full["spans"][0];
    expected.erase("depth");
    expected.erase("orphan");
    json got = one["span"];
    got.erase("depth");
    got.erase("orphan");
    QCOMPARE(q(got.dump()), q(expected.dump()));
    QCOMPARE(getJson("/api/v1/traces/" + t + "/spans/" + spanHex(41, 0), 404)["error"]["code"].get<std::string>(),
        std::string("not_found"));
    QCOMPARE(q(getJson("/api/v1/traces/" + t + "/spans/xyz", 400)["error"]["message"]),
        QStringLiteral("span_id: must be 16 hex digits (not all zero), got 'xyz'"));
}

void TestServer::compressesWithGzipNotBrotli()
{
    ingestQueryTraces();
    if (QTest::currentTestFailed())
        return;
    auto c = client();
    c->setDecompress(false);
    auto res = c->get("/api/v1/traces", { { "Accept-Encoding", "br, gzip;q=0.9" } });
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    QCOMPARE(q(res->header("Content-Encoding")), QStringLiteral("gzip"));
    res = c->get("/api/v1/traces", { { "Accept-Encoding", "br" } });
    QCOMPARE(res->status, 200);
    QVERIFY2(!res->hasHeader("Content-Encoding"), res->header("Content-Encoding").c_str());
    QVERIFY(parse(res->body).is_object());
}

void TestServer::sessions()
{
    ingestQueryTraces();
    if (QTest::currentTestFailed())
        return;
    auto list = getJson("/api/v1/sessions");
    QVERIFY(list.is_object());
    std::map<std::string, json> byId;
    for (auto &s : list["sessions"])
        byId[s["session_id"].get<std::string>()] = s;
    QCOMPARE(byId.size(), std::size_t(2)); // traces without a session make no session
    const auto &s1 = byId["s1"];
    QCOMPARE(s1["trace_count"].get<int>(), 2);
    QCOMPARE(s1["span_count"].get<int>(), 3);
    QCOMPARE(s1["error_count"].get<int>(), 1);
    QCOMPARE(s1["total_tokens"].get<int>(), 310);
    QCOMPARE(q(s1["first_start_time_unix_nano"]), QString::number(queryTraceStart(kQueryTraces[0])));
    QCOMPARE(q(s1["last_end_time_unix_nano"]), QString::number(queryTraceStart(kQueryTraces[1]) + 5000 * kMs));
    QCOMPARE(byId["s2"]["trace_count"].get<int>(), 1);
    QVERIFY(list["next_cursor"].is_null());

    // Paging by one visits both sessions once.
    std::set<std::string> seen;
    std::string cursor;
    for (int guard = 0; guard < 5; ++guard) {
        auto page = getJson("/api/v1/sessions?limit=1" + (cursor.empty() ? "" : "&cursor=" + urlEncode(cursor)));
        QVERIFY(page.is_object());
        QCOMPARE(page["sessions"].size(), 1u);
        QVERIFY(seen.insert(page["sessions"][0]["session_id"].get<std::string>()).second);
        if (page["next_cursor"].is_null())
            break;
        cursor = page["next_cursor"].get<std::string>();
    }
    QCOMPARE(seen.size(), std::size_t(2));

    auto detail = getJson("/api/v1/sessions/s1");
    QCOMPARE(q(detail["session_id"]), QStringLiteral("s1"));
    QCOMPARE(detail["traces"].size(), 2u);
    // Oldest first, the order a conversation happened in.
    QCOMPARE(q(detail["traces"][0]["name"]), QStringLiteral("Plan Trip"));
    QCOMPARE(q(detail["traces"][1]["name"]), QStringLiteral("book FLIGHT"));

    auto res = get("/api/v1/sessions/nope");
    QVERIFY(res);
    QCOMPARE(res->status, 404);
    QCOMPARE(q(parse(res->body)["error"]["code"]), QStringLiteral("not_found"));
}

void TestServer::metrics()
{
    ingestQueryTraces();
    if (QTest::currentTestFailed())
        return;
    const std::string range = "from=" + std::to_string(kBase) + "&to=2026-01-05T00:00:00Z";
    auto m = getJson("/api/v1/metrics?" + range + "&bucket=1d&group_by=service&top=2");
    QVERIFY(m.is_object());
    QCOMPARE(m["bucket_ns"].get<std::int64_t>(), kDay);
    QCOMPARE(q(m["from_time_unix_nano"]), QString::number(kBase)); // times as decimal strings
    QCOMPARE(q(m["group_by"]), QStringLiteral("service"));
    // Four days, two services, every bucket present (empty ones as zeros).
    QCOMPARE(m["buckets"].size(), 8u);
    int alphaTraces = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        const auto &b = m["buckets"][i];
        QCOMPARE(q(b["start_time_unix_nano"]), QString::number(kBase + static_cast<std::int64_t>(i / 2) * kDay));
        QCOMPARE(q(b["group"]), i % 2 ? QStringLiteral("beta") : QStringLiteral("alpha"));
        if (q(b["group"]) == QStringLiteral("alpha"))
            alphaTraces += b["traces"].get<int>();
    }
    QCOMPARE(alphaTraces, 2);
    QVERIFY(m["buckets"][1]["trace_latency_ns"]["p50"].is_null()); // beta has no trace on day 1
    const auto &t = m["totals"];
    QCOMPARE(t["traces"].get<int>(), 4);
    QCOMPARE(t["spans"].get<int>(), 10);
    QCOMPARE(t["error_spans"].get<int>(), 6);
    QCOMPARE(t["error_traces"].get<int>(), 3);
    QCOMPARE(t["tokens"]["input"].get<int>(), 8 + 225 + 38);
    QCOMPARE(t["tokens"]["output"].get<int>(), 2 + 75 + 12);
    QCOMPARE(t["unpriced_spans"].get<int>(), 3);
    QCOMPARE(t["trace_latency_ns"]["p99"].get<std::int64_t>(), 10000 * kMs);
    QVERIFY(t["llm_latency_ns"]["p50"].is_number());
    QCOMPARE(m["slowest_traces"].size(), 2u);
    QCOMPARE(q(m["slowest_traces"][0]["name"]), QStringLiteral("trip report"));
    QCOMPARE(q(m["slowest_traces"][1]["name"]), QStringLiteral("book FLIGHT"));
    QCOMPARE(m["top_errors"].size(), 2u);
    QVERIFY(q(m["top_errors"][0]["last_seen_time_unix_nano"]).toLongLong() > 0);
    QCOMPARE(q(m["top_errors"][0]["example_trace_id"]).size(), 32);

    // The bucket chosen from the range, a filter, and grouping by model.
    m = getJson("/api/v1/metrics?" + range + "&model=gpt-4o&group_by=model");
    QVERIFY(m.is_object());
    QCOMPARE(m["bucket_ns"].get<std::int64_t>(), 3600 * kSecond); // 4 days: hourly, 96 buckets
    QCOMPARE(m["buckets"].size(), 96u);
    QCOMPARE(m["totals"]["traces"].get<int>(), 2);
    QCOMPARE(m["totals"]["spans"].get<int>(), 2);
    QCOMPARE(q(m["buckets"][0]["group"]), QStringLiteral("gpt-4o"));
    m = getJson("/api/v1/metrics?" + range + "&bucket=6h&group_by=kind");
    QCOMPARE(m["bucket_ns"].get<std::int64_t>(), std::int64_t { 6 } * 3600 * kSecond);
}

void TestServer::health()
{
    auto h = getJson("/healthz");
    QCOMPARE(q(h["status"]), QStringLiteral("ok"));
    auto r = getJson("/readyz");
    QCOMPARE(q(r["status"]), QStringLiteral("ready"));
    QCOMPARE(r["queued_spans"].get<int>(), 0);
}

void TestServer::unknownRoute()
{
    for (const char *path : { "/nope", "/api/v1", "/api/v1/traces/a/b", "/v1/logs" }) {
        auto res = get(path);
        QVERIFY(res);
        QCOMPARE(res->status, 404);
        QCOMPARE(q(res->header("Content-Type")), QStringLiteral("application/json"));
        auto err = parse(res->body);
        QCOMPARE(q(err["error"]["code"]), QStringLiteral("not_found"));
        QVERIFY2(q(err["error"]["message"]).contains(q(path)), res->body.c_str());
    }
    auto res = post("/v1/metrics", "{}", "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 404);
}

void TestServer::wrongMethod()
{
    auto res = get("/v1/traces");
    QVERIFY(res);
    QCOMPARE(res->status, 405);
    QCOMPARE(q(res->header("Allow")), QStringLiteral("POST"));
    QCOMPARE(q(parse(res->body)["error"]["code"]), QStringLiteral("method_not_allowed"));

    res = post("/api/v1/traces", "{}", "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 405);
    QCOMPARE(q(res->header("Allow")), QStringLiteral("GET"));

    res = client()->del("/api/v1/traces/" + traceHex(1));
    QVERIFY(res);
    QCOMPARE(res->status, 405);
    QCOMPARE(q(res->header("Allow")), QStringLiteral("GET"));
    QVERIFY2(q(parse(res->body)["error"]["message"]).contains(QStringLiteral("DELETE")), res->body.c_str());

    res = client()->put("/api/v1/ingest", "{}", "application/json");
    QVERIFY(res);
    QCOMPARE(res->status, 405);
    QCOMPARE(q(res->header("Allow")), QStringLiteral("POST"));
}

void TestServer::openApi()
{
    auto doc = getJson("/openapi.json");
    QVERIFY(doc.is_object());
    QVERIFY(q(doc["openapi"]).startsWith(QStringLiteral("3.")));
    QVERIFY(doc["info"]["title"].is_string());
    std::set<std::pair<std::string, std::string>> documented;
    for (const auto &[path, ops] : doc["paths"].items()) {
        for (const auto &[method, op] : ops.items()) {
            std::string m = method;
            std::transform(m.begin(), m.end(), m.begin(), [](unsigned char c) { return std::toupper(c); });
            documented.emplace(m, path);
            QVERIFY2(op.contains("responses"), path.c_str());
        }
    }
    std::set<std::pair<std::string, std::string>> served;
    for (const auto &r : server::ApiServer::routes())
        served.emplace(r.method, r.path);
    QStringList a, b;
    for (const auto &[m, p] : documented)
        a << q((m + " ").append(p));
    for (const auto &[m, p] : served)
        b << q((m + " ").append(p));
    QCOMPARE(a, b);
    // The served document is the built-in one.
    QVERIFY(doc == parse(server::ApiServer::openApiDocument()));
}

// --- back-pressure and faults ------------------------------------------------------------------

void TestServer::faultInjection()
{
    stop();
    server::ServerConfig config;
    config.fault_unavailable = 1;
    config.retry_after_seconds = 3;
    start(config);
    if (QTest::currentTestFailed())
        return;

    const auto t = traceHex(40);
    const std::string body
        = otlpBody({ { t, spanHex(40, 0), {}, "retry me", kBase, kBase + kSecond, false, "m", 5, 5 } });
    auto res = post("/v1/traces", body, "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 503);
    QCOMPARE(q(res->header("Retry-After")), QStringLiteral("3"));
    const auto status = decodeRpcStatus(res->body);
    QVERIFY(status.ok);
    QCOMPARE(status.code, 14); // UNAVAILABLE
    QCOMPARE(getJson("/api/v1/traces")["traces"].size(), 0u);
    QCOMPARE(m_store->spanCount(), 0);

    res = post("/v1/traces", body, "application/x-protobuf");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    auto sum = getJson("/api/v1/traces/" + t)["trace"];
    QCOMPARE(sum["span_count"].get<int>(), 1);
    QCOMPARE(sum["tokens"]["total"].get<int>(), 10);
    QCOMPARE(m_store->spanCount(), 1);
}

void TestServer::queueFull()
{
    // The writer is held up by another connection's write lock on the database; the store's busy
    // timeout is long, so the writer waits rather than fails. Requests accepted meanwhile stay
    // queued; once the queue is full the next request is refused at once.
    stop();
    store::IngestPipeline::Options pipelineOptions;
    pipelineOptions.max_queued_spans = 8;
    store::SqliteStore::Options storeOptions;
    storeOptions.busy_timeout_ms = 60'000;
    server::ServerConfig config;
    config.retry_after_seconds = 2;
    start(config, pipelineOptions, storeOptions);
    if (QTest::currentTestFailed())
        return;

    sqlite3 *blocker = nullptr;
    QCOMPARE(sqlite3_open_v2(m_dbPath.c_str(), &blocker, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    QCOMPARE(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    bool released = false;
    auto release = [&] {
        if (!released)
            sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
        released = true;
    };

    auto batch = [](int n, int spans) {
        std::vector<SpanSpec> out;
        out.reserve(static_cast<std::size_t>(spans));
        for (int i = 0; i < spans; ++i)
            out.push_back({ traceHex(n), spanHex(n, i), {}, "q" + std::to_string(n), kBase + n * kSecond,
                kBase + n * kSecond + kMs, false, "m", 1, 1 });
        return otlpBody(out);
    };
    auto waitForQueued = [&](std::size_t n) {
        for (int i = 0; i < 500 && m_pipeline->queuedSpans() != n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return m_pipeline->queuedSpans() == n;
    };

    // 5 spans: taken by the writer, which now waits for the lock.
    int statusA = 0, statusC = 0;
    std::thread a([&] {
        auto res = post("/v1/traces", batch(41, 5), "application/x-protobuf");
        statusA = res ? res->status : -1;
    });
    const bool queuedA = waitForQueued(5);
    // 3 more fit (5 + 3 <= 8) and wait in the queue.
    std::thread c;
    if (queuedA) {
        c = std::thread([&] {
            auto res = post("/v1/traces", batch(43, 3), "application/x-protobuf");
            statusC = res ? res->status : -1;
        });
    }
    const bool queuedC = queuedA && waitForQueued(8);

    // 2 more do not fit: refused at once, nothing of them stored.
    int statusB = 0;
    std::string retryAfter;
    RpcStatus rpc;
    std::chrono::steady_clock::duration took {};
    if (queuedC) {
        const auto started = std::chrono::steady_clock::now();
        auto res = post("/v1/traces", batch(42, 2), "application/x-protobuf");
        took = std::chrono::steady_clock::now() - started;
        statusB = res ? res->status : -1;
        if (res) {
            retryAfter = res->header("Retry-After");
            rpc = decodeRpcStatus(res->body);
        }
    }
    // The native API is refused the same way, with a JSON error.
    int statusNative = 0;
    std::string nativeBody;
    if (queuedC) {
        auto res = post("/api/v1/ingest", nativeTrace(44, kQueryTraces[0]).dump(), "application/json");
        statusNative = res ? res->status : -1;
        nativeBody = res ? res->body : std::string();
    }
    // Readers are not held up by the stuck writer.
    const auto ready = queuedC ? getJson("/readyz") : json();

    release();
    a.join();
    if (c.joinable())
        c.join();
    sqlite3_close(blocker);

    QVERIFY(queuedA);
    QVERIFY(queuedC);
    QCOMPARE(statusB, 503);
    QVERIFY(took < std::chrono::seconds(2));
    QCOMPARE(q(retryAfter), QStringLiteral("2"));
    QCOMPARE(rpc.code, 14);
    QVERIFY2(q(rpc.message).contains(QStringLiteral("queue is full")), rpc.message.c_str());
    QCOMPARE(statusNative, 503);
    QCOMPARE(q(parse(nativeBody)["error"]["code"]), QStringLiteral("unavailable"));
    QCOMPARE(q(ready["status"]), QStringLiteral("ready"));
    QCOMPARE(ready["queued_spans"].get<int>(), 8);

    // Everything accepted was committed once the lock went away; the refused requests left nothing.
    QCOMPARE(statusA, 200);
    QCOMPARE(statusC, 200);
    QCOMPARE(m_store->spanCount(), 8);
    const auto ids = traceIds(getJson("/api/v1/traces"));
    QCOMPARE(qlist(ids), (QStringList { q(traceHex(43)), q(traceHex(41)) }));
    QCOMPARE(m_pipeline->queuedSpans(), std::size_t(0));
    const auto counters = m_pipeline->counters();
    QCOMPARE(counters.committed_spans, std::uint64_t(8));
    QCOMPARE(counters.rejected_queue_full, std::uint64_t(2));
    checkStillServing(QStringLiteral("after the queue drained"));
}

void TestServer::requestIds()
{
    std::set<std::string> ids;
    auto record = [&](const test::HttpResult &res) {
        QVERIFY(res);
        const auto id = res->header("X-Request-Id");
        QVERIFY2(!id.empty(), std::to_string(res->status).c_str());
        QVERIFY2(ids.insert(id).second, id.c_str());
    };
    record(get("/healthz"));
    record(get("/readyz"));
    record(get("/api/v1/traces"));
    record(get("/api/v1/traces?limit=0")); // 400
    record(get("/nope")); // 404
    record(get("/v1/traces")); // 405
    record(post("/v1/traces", "x", "text/plain")); // 415
    record(post("/v1/traces", "x", "application/x-protobuf")); // 400
    record(post("/v1/traces", otlpBody({ { traceHex(50), spanHex(50, 0), {}, "x", kBase, kBase + 1 } }),
        "application/x-protobuf"));
    record(post("/api/v1/ingest", "{}", "application/json"));
    record(get("/openapi.json"));
    // Several requests on one keep-alive connection get an id each as well.
    auto c = client();
    for (int i = 0; i < 5; ++i)
        record(c->get("/healthz"));
    QCOMPARE(ids.size(), std::size_t(16));
    // And the raw-socket path (chunked) too.
    RawConnection conn(m_port);
    conn.send(requestHead("/v1/traces", "application/json", "Transfer-Encoding: chunked\r\nConnection: close\r\n")
        + chunked("{", 1));
    const auto res = conn.readResponse();
    QVERIFY(res.complete);
    QCOMPARE(res.status, 400);
    QVERIFY(!res.header("x-request-id").empty());
    QVERIFY(ids.insert(res.header("x-request-id")).second);

    // Refused before a method or path could be read, or with a path far too long: every request has
    // a log line that says what it was, bounded.
    RawConnection garbage(m_port);
    garbage.send("\x16\x03\x01garbage\r\n\r\n");
    const auto refused = garbage.readResponse();
    QCOMPARE(refused.status, 400);
    RawConnection longPath(m_port);
    longPath.send("GET /" + std::string(9000, 'p') + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QCOMPARE(longPath.readResponse().status, 414);
    // The line is written once the answer is sent: wait for both.
    const std::string garbageId = "request_id=" + refused.header("x-request-id");
    QByteArray garbageLine, longLine;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            std::fflush(m_logFile);
            QFile log(m_dir->filePath(QStringLiteral("server.log")));
            if (!log.open(QIODevice::ReadOnly))
                return false;
            for (const QByteArray &line : log.readAll().split('\n')) {
                if (line.contains(QByteArray::fromStdString(garbageId)))
                    garbageLine = line;
                if (line.contains("status=414"))
                    longLine = line;
            }
            return !garbageLine.isEmpty() && !longLine.isEmpty();
        }(),
        5000);
    QVERIFY2(garbageLine.contains("path=- ") && !garbageLine.contains("method= "), garbageLine.constData());
    QVERIFY2(longLine.size() < 1000 && longLine.contains("path=/pppp"), longLine.constData());
}

// --- shutdown ----------------------------------------------------------------------------------

void TestServer::stopWithIdleConnections()
{
    // Open connections waiting for their next request must not hold up stop until their
    // keep-alive timeout runs out.
    auto keepAlive = client();
    keepAlive->setKeepAlive(true);
    auto res = keepAlive->get("/healthz");
    QVERIFY(res);
    QCOMPARE(res->status, 200);
    RawConnection silent(m_port); // connected, never sends a byte
    QVERIFY(silent.connected());
    RawConnection halfway(m_port); // sent half a request line
    QVERIFY(halfway.send("GET /heal"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));

    const auto started = std::chrono::steady_clock::now();
    m_server->stop();
    m_thread.join();
    const auto took = std::chrono::steady_clock::now() - started;
    QVERIFY2(took < std::chrono::seconds(3),
        qPrintable(QString::number(std::chrono::duration_cast<std::chrono::milliseconds>(took).count())));
    QVERIFY(silent.closedByPeer(1000));
}

void TestServer::stopFinishesRequestInFlight()
{
    // stop() while a request waits for its commit: the spans are committed and the client gets
    // its answer.
    stop();
    store::SqliteStore::Options storeOptions;
    storeOptions.busy_timeout_ms = 60'000;
    start({}, {}, storeOptions);
    if (QTest::currentTestFailed())
        return;
    sqlite3 *blocker = nullptr;
    QCOMPARE(sqlite3_open_v2(m_dbPath.c_str(), &blocker, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    QCOMPARE(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

    const auto t = traceHex(70);
    int status = 0;
    std::string body;
    std::thread request([&] {
        auto res = post("/v1/traces", otlpBody({ { t, spanHex(70, 0), {}, "in flight", kBase, kBase + 1 } }),
            "application/x-protobuf");
        status = res ? res->status : -1;
        body = res ? res->body : std::string();
    });
    for (int i = 0; i < 500 && m_pipeline->queuedSpans() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const bool queued = m_pipeline->queuedSpans() == 1;

    std::thread stopper([&] {
        m_server->stop();
        m_thread.join();
    });
    // The commit is let through only once the server is draining: stop() closes the listening
    // socket first, so a refused connection says the stopper is inside it.
    bool draining = false;
    for (int i = 0; i < 1000 && !draining; ++i) {
        draining = !test::RawConnection(m_port).connected();
        if (!draining)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    sqlite3_exec(blocker, "ROLLBACK", nullptr, nullptr, nullptr);
    request.join();
    stopper.join();
    sqlite3_close(blocker);

    QVERIFY(queued);
    QVERIFY(draining);
    QCOMPARE(m_store->spanCount(), 1);
    QCOMPARE(status, 200);
    ExportTraceServiceResponse answer;
    QVERIFY(answer.ParseFromString(body));
}

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
