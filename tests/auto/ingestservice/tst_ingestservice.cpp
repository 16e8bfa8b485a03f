// SPDX-License-Identifier: MIT
// IngestService, the ingest entry point without HTTP, as a receiver of another protocol (OTLP/gRPC)
// calls it: a key, the client's address, the body and its encoding in; an outcome with an HTTP
// status, a google.rpc code, Retry-After and OTLP's partial success out. Real SQLite stores and a
// real account store; the answer only after the commit.
#include "server/accounts.h"
#include "server/ingestservice.h"
#include "server/projectstores.h"
#include "store/ingestpipeline.h"
#include "store/sqliteauthstore.h"
#include "store/sqlitestore.h"

#include <zlib.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <utility>

using namespace agentops;
namespace prom = agentops::server::prom;
using Format = server::IngestService::Format;

namespace {

std::string fixture(const char *name)
{
    QFile f(QStringLiteral(AGENTOPS_FIXTURES_DIR "/otlp/") + QString::fromLatin1(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

std::string gzip(std::string_view data)
{
    z_stream z {};
    deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

core::TraceId traceId(const char *hex)
{
    core::TraceId id {};
    core::fromHex(hex, id);
    return id;
}

/// Open mode: one store and its pipeline.
struct Open
{
    QTemporaryDir dir;
    store::SqliteStore store { dir.filePath(QStringLiteral("traces.db")).toStdString() };
    store::IngestPipeline pipeline { store };
    server::Access access { store, pipeline };
    server::RateLimiter clients { 0, 0 };
    prom::Registry metrics;
    std::FILE *devNull = std::fopen("/dev/null", "w");
    server::Log log { server::Log::Format::Text, devNull };
    server::IngestService service;

    explicit Open(server::IngestService::Options options = {}, double clientRate = 0, double clientBurst = 0)
        : clients(clientRate, clientBurst)
        , service(access, clients, metrics, log, std::move(options))
    { }
    ~Open()
    {
        pipeline.stop();
        std::fclose(devNull);
    }
};

server::IngestService::Request request(std::string_view body, Format format = Format::OtlpJson)
{
    server::IngestService::Request r;
    r.client_address = "192.0.2.7";
    r.body = body;
    r.format = format;
    return r;
}

} // namespace

class TestIngestService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storesBeforeItAnswers();
    void partialSuccess();
    void encodingsAndLimits();
    void rateLimitAndBackpressure();
    void keysChooseTheProject();
};

void TestIngestService::storesBeforeItAnswers()
{
    Open s;
    const std::string body = fixture("genai_agent_trace.json");
    QVERIFY(!body.empty());
    const auto out = s.service.exportTraces(request(body));
    QCOMPARE(out.status, 200);
    QCOMPARE(out.rpc_code, 0);
    QCOMPARE(out.accepted, std::size_t(4));
    QCOMPARE(out.rejected, std::size_t(0));
    // Committed by the time the outcome is there.
    const auto stored = s.store.trace(traceId("5b8efff798038103d269b633813fc60c"));
    QVERIFY(stored);
    QCOMPARE(stored->spans.size(), std::size_t(4));
    // The native batch through the same entry point.
    const auto native = s.service.exportTraces(request(fixture("native_batch.json"), Format::Native));
    QCOMPARE(native.status, 200);
    QCOMPARE(native.accepted, std::size_t(3));
    // Not a body of the format: INVALID_ARGUMENT, nothing stored.
    const auto bad = s.service.exportTraces(request("not protobuf at all", Format::OtlpProtobuf));
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.rpc_code, 3);
    QVERIFY(!bad.message.empty());
}

void TestIngestService::partialSuccess()
{
    Open s;
    std::string body = fixture("genai_agent_trace.json");
    // One span gets a span id of the wrong length: rejected alone, the others stored.
    const std::string good = "\"spanId\": \"eee19b7ec3c1b174\"";
    const auto pos = body.find(good);
    QVERIFY(pos != std::string::npos);
    body.replace(pos, good.size(), "\"spanId\": \"eee19b7ec3c1\"");
    const auto out = s.service.exportTraces(request(body));
    QCOMPARE(out.status, 200);
    QCOMPARE(out.rejected, std::size_t(1));
    QCOMPARE(out.accepted, std::size_t(3));
    QVERIFY2(out.errors_text.find("spanId") != std::string::npos, out.errors_text.c_str());
    QCOMPARE(out.errors.size(), std::size_t(1));
}

void TestIngestService::encodingsAndLimits()
{
    server::IngestService::Options options;
    options.max_body_bytes = std::size_t { 4 } * 1024;
    options.max_decompressed_bytes = std::size_t { 64 } * 1024;
    Open s(options);
    const std::string body = fixture("adk_weather_trace.json");
    QVERIFY(body.size() > options.max_body_bytes && body.size() < options.max_decompressed_bytes);
    // gzip on the wire, undone within the limits.
    const std::string compressed = gzip(body);
    auto zipped = request(compressed);
    zipped.content_encoding = "gzip";
    QCOMPARE(s.service.exportTraces(zipped).status, 200);
    // The same bytes uncompressed are over the wire limit...
    const auto plain = s.service.exportTraces(request(body));
    QCOMPARE(plain.status, 413);
    QCOMPARE(plain.rpc_code, 8);
    // ... unless the transport undid its own compression (gRPC): then only the decompressed limit.
    auto grpc = request(body);
    grpc.transport_decompressed = true;
    QCOMPARE(s.service.exportTraces(grpc).status, 200);
    const std::string huge(options.max_decompressed_bytes + 1, ' ');
    grpc.body = huge;
    const auto tooBig = s.service.exportTraces(grpc);
    QCOMPARE(tooBig.status, 413);
    QVERIFY2(tooBig.message.find("decompressed") != std::string::npos, tooBig.message.c_str());
    // A decompression bomb stops at the limit.
    const std::string bomb = gzip(std::string(8 << 20, '\0'));
    auto b = request(bomb);
    b.content_encoding = "gzip";
    QCOMPARE(s.service.exportTraces(b).status, 413);
    // An encoding the service does not undo.
    auto br = request(body);
    br.content_encoding = "br";
    const auto unsupported = s.service.exportTraces(br);
    QCOMPARE(unsupported.status, 415);
    QCOMPARE(unsupported.rpc_code, 3);
}

void TestIngestService::rateLimitAndBackpressure()
{
    server::IngestService::Options options;
    options.fault_unavailable = 1;
    options.retry_after_seconds = 4;
    Open s(options, 0.001, 2);
    const std::string body = fixture("genai_agent_trace.json");
    // Backpressure: UNAVAILABLE with when to retry (a gRPC receiver sends it as RetryInfo).
    const auto first = s.service.exportTraces(request(body));
    QCOMPARE(first.status, 503);
    QCOMPARE(first.rpc_code, 14);
    QCOMPARE(first.retry_after, std::int64_t(4));
    QCOMPARE(s.service.exportTraces(request(body)).status, 200);
    // The client address has spent its burst: RESOURCE_EXHAUSTED with when to retry.
    const auto limited = s.service.exportTraces(request(body));
    QCOMPARE(limited.status, 429);
    QCOMPARE(limited.rpc_code, 8);
    QVERIFY(limited.retry_after >= 1);
    // Another address has its own.
    auto other = request(body);
    other.client_address = "192.0.2.8";
    QCOMPARE(s.service.exportTraces(other).status, 200);
    QVERIFY(s.metrics.render().find("agentops_rejected_ingest_requests_total{reason=\"rate_limited\"} 1")
        != std::string::npos);
}

void TestIngestService::keysChooseTheProject()
{
    QTemporaryDir dir;
    store::SqliteAuthStore authStore(dir.filePath(QStringLiteral("agentops.db")).toStdString());
    server::Accounts accounts(authStore);
    const std::string projectsDir = dir.filePath(QStringLiteral("projects")).toStdString();
    server::ProjectStores projects(
        [projectsDir](const store::Project &p) -> std::unique_ptr<store::TraceStore> {
            std::filesystem::create_directories(projectsDir);
            return std::make_unique<store::SqliteStore>(projectsDir + "/" + std::to_string(p.id) + ".db");
        },
        store::IngestPipeline::Options {}, nullptr);
    server::Access access(accounts, projects, 0, 0);
    server::RateLimiter clients(0, 0);
    prom::Registry metrics;
    std::FILE *devNull = std::fopen("/dev/null", "w");
    server::Log log(server::Log::Format::Text, devNull);
    server::IngestService service(access, clients, metrics, log, {});
    const auto alpha = authStore.addProject("alpha", 0);
    const auto beta = authStore.addProject("beta", 0);
    const auto key = accounts.createKey(beta.id, "collector");

    const std::string body = fixture("genai_agent_trace.json");
    auto r = request(body);
    r.credential = key.secret;
    const auto out = service.exportTraces(r);
    QCOMPARE(out.status, 200);
    // Filed under the key's project, and only there.
    QVERIFY(projects.open(beta).store.trace(traceId("5b8efff798038103d269b633813fc60c")));
    QVERIFY(!projects.open(alpha).store.trace(traceId("5b8efff798038103d269b633813fc60c")));

    r.credential = "aok_not-a-key";
    const auto unknown = service.exportTraces(r);
    QCOMPARE(unknown.status, 401);
    QCOMPARE(unknown.rpc_code, 16); // UNAUTHENTICATED
    r.credential.clear();
    QCOMPARE(service.exportTraces(r).rpc_code, 16);
    r.credential = key.secret;
    r.project = "alpha";
    const auto elsewhere = service.exportTraces(r);
    QCOMPARE(elsewhere.status, 403);
    QCOMPARE(elsewhere.rpc_code, 7); // PERMISSION_DENIED
    projects.stopAll();
    std::fclose(devNull);
}

QTEST_GUILESS_MAIN(TestIngestService)
#include "tst_ingestservice.moc"
