// SPDX-License-Identifier: MIT
// Ingest throughput: OTLP protobuf batches of 512 realistic agent spans sent over loopback to the
// real server (decode, normalize, group commit into SQLite) over OTLP/HTTP and over OTLP/gRPC, and,
// in the same run, the bare SQLite insert rate of the same rows (prepared statement, 512-row
// transactions, WAL, synchronous=NORMAL, same row sizes, no HTTP, no decoding, no summaries), once
// with SQLite's own checkpoints and once with the store's background checkpointer. Prints the rates
// and the ratios.
//
//   bench_ingest [--spans N] [--clients N] [--workers N] [--dir DIR] [--checkpoint-frames N]
//                [--restart-frames N] [--runs N] [--keep 1] [--transport http|grpc|both]
//                [--search on|off|both] [--redact off|builtin|both]
// --runs: end-to-end runs per transport, each over a fresh database (default 3; the median is
//         reported); with both, the transports take turns (http, grpc, grpc, http, ...).
// --keep: leave DIR/e2e.db (of the last run) for a look.
// --search: end-to-end runs with the content search index (on), without it (off, the default, as
//   before the index existed), or each run twice, alternating which goes first (both).
// --redact: end-to-end runs without redaction (off, the default), with every built-in pattern
//   (builtin), or each run twice, alternating which goes first (both); the one-thread decode figure
//   is printed for both in any case.
#include "core/pricing.h"
#include "ingest/decode.h"
#include "ingest/redaction.h"
#include "otlpload.h"
#include "server/apiserver.h"
#include "server/grpc/grpcreceiver.h"
#include "server/options.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "store/walcheckpointer.h"
#include "support/httptestclient.h"

#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace agentops;
namespace otlp = opentelemetry::proto;
using Clock = std::chrono::steady_clock;

namespace {

using bench::kBatch;
using bench::makeBatch;

/// Inserts exactly the span rows the server stored (read back from its database, outside the
/// clock) into a fresh table of the same schema with the same unique index: a bare prepared-statement
/// loop, 512 rows a transaction, WAL, synchronous=NORMAL.
double bareSqliteRate(
    const std::string &storedPath, const std::string &barePath, bool backgroundCheckpoints, std::size_t &rowBytes)
{
    sqlite3 *src = nullptr;
    sqlite3_open_v2(storedPath.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
    std::string createTable, createIndex;
    {
        sqlite3_stmt *st = nullptr;
        sqlite3_prepare_v2(
            src, "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'spans' AND sql IS NOT NULL", -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW) {
            const std::string type = reinterpret_cast<const char *>(sqlite3_column_text(st, 0));
            const std::string sql = reinterpret_cast<const char *>(sqlite3_column_text(st, 1));
            (type == "table" ? createTable : createIndex) = sql;
        }
        sqlite3_finalize(st);
    }
    // Each value kept as its type and bytes, bound without a copy (SQLITE_STATIC) in the timed loop.
    struct Value
    {
        int type = SQLITE_NULL;
        std::int64_t i = 0;
        double d = 0;
        std::string bytes;
    };
    std::vector<std::vector<Value>> rows;
    int columns = 0;
    rowBytes = 0;
    {
        sqlite3_stmt *st = nullptr;
        sqlite3_prepare_v2(src, "SELECT * FROM spans ORDER BY id", -1, &st, nullptr);
        columns = sqlite3_column_count(st);
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::vector<Value> row;
            for (int c = 1; c < columns; ++c) { // not the rowid: the bare table assigns its own
                Value v;
                v.type = sqlite3_column_type(st, c);
                if (v.type == SQLITE_INTEGER)
                    v.i = sqlite3_column_int64(st, c);
                else if (v.type == SQLITE_FLOAT)
                    v.d = sqlite3_column_double(st, c);
                else if (v.type != SQLITE_NULL)
                    v.bytes.assign(static_cast<const char *>(sqlite3_column_blob(st, c)),
                        static_cast<std::size_t>(sqlite3_column_bytes(st, c)));
                row.push_back(std::move(v));
                rowBytes += static_cast<std::size_t>(sqlite3_column_bytes(st, c));
            }
            rows.push_back(std::move(row));
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(src);
    if (!rows.empty())
        rowBytes /= rows.size();

    sqlite3 *db = nullptr;
    sqlite3_open(barePath.c_str(), &db);
    sqlite3_exec(
        db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", nullptr, nullptr, nullptr);
    sqlite3_exec(db, createTable.c_str(), nullptr, nullptr, nullptr);
    sqlite3_exec(db, createIndex.c_str(), nullptr, nullptr, nullptr);
    std::string insert = "INSERT INTO spans VALUES(NULL";
    for (int c = 1; c < columns; ++c)
        insert += ",?";
    insert += ")";
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, insert.c_str(), -1, &st, nullptr);
    std::unique_ptr<store::WalCheckpointer> checkpointer;
    if (backgroundCheckpoints) { // as SqliteStore does
        sqlite3 *other = nullptr;
        sqlite3_open(barePath.c_str(), &other);
        sqlite3_busy_timeout(other, 5000);
        sqlite3_busy_timeout(db, 5000);
        checkpointer = std::make_unique<store::WalCheckpointer>(db, other, store::WalCheckpointer::Options {});
    }
    ::sync(); // the kernel's write-back of earlier phases is not this loop's cost
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i % kBatch == 0)
            sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
        for (std::size_t c = 0; c < rows[i].size(); ++c) {
            const Value &v = rows[i][c];
            const int n = static_cast<int>(c + 1);
            switch (v.type) {
            case SQLITE_INTEGER: sqlite3_bind_int64(st, n, v.i); break;
            case SQLITE_FLOAT: sqlite3_bind_double(st, n, v.d); break;
            case SQLITE_TEXT:
                sqlite3_bind_text(st, n, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_STATIC);
                break;
            case SQLITE_BLOB:
                sqlite3_bind_blob(st, n, v.bytes.data(), static_cast<int>(v.bytes.size()), SQLITE_STATIC);
                break;
            default: sqlite3_bind_null(st, n);
            }
        }
        sqlite3_step(st);
        sqlite3_reset(st);
        if (i % kBatch == kBatch - 1 || i + 1 == rows.size())
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    checkpointer.reset();
    sqlite3_finalize(st);
    sqlite3_close(db);
    return static_cast<double>(rows.size()) / secs;
}

/// CPU seconds used so far by each live thread of this process, summed by thread name.
std::map<std::string, double> cpuByThreadName()
{
    std::map<std::string, double> out;
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    for (const auto &task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream commFile(task.path() / "comm");
        std::string comm;
        std::getline(commFile, comm);
        std::ifstream statFile(task.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
        const auto close = stat.rfind(')'); // the name may hold spaces: fields start after it
        if (close == std::string::npos)
            continue;
        std::istringstream fields(stat.substr(close + 2));
        std::string field;
        double utime = 0, stime = 0;
        for (int i = 3; fields >> field; ++i) { // field 3 is the state; 14 and 15 are utime and stime
            if (i == 14)
                utime = std::stod(field);
            else if (i == 15) {
                stime = std::stod(field);
                break;
            }
        }
        out[comm] += (utime + stime) / tick;
    }
    return out;
}

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// Removes an SQLite database with its WAL and shared-memory files.
void removeDatabase(const std::string &path)
{
    for (const char *suffix : { "", "-wal", "-shm", ".search", ".search-wal", ".search-shm" })
        std::filesystem::remove(path + suffix);
}

long peakRssKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stol(line.substr(6));
    return -1;
}

enum class Transport { Http, Grpc };

const char *name(Transport t)
{
    return t == Transport::Http ? "OTLP/HTTP" : "OTLP/gRPC";
}

/// What every end-to-end run takes.
struct E2e
{
    const std::vector<std::string> &bodies;
    std::shared_ptr<const core::PriceTable> prices;
    store::SqliteStore::Options storeOptions;
    std::string dir;
    int clients;
    int workers;
    std::shared_ptr<const ingest::Redactor> redactor;
};

/// One client's connection to the gRPC receiver: raw (already serialized) requests through
/// gRPC's generic stub, as the HTTP clients post bytes, so no client serializes in the timed part.
class GrpcClient
{
public:
    explicit GrpcClient(int port)
    {
        grpc::ChannelArguments args;
        args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1); // a connection of its own, as HTTP's clients
        args.SetMaxSendMessageSize(64 << 20);
        m_channel
            = grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials(), args);
        m_stub = std::make_unique<grpc::GenericStub>(m_channel);
    }
    bool send(const grpc::ByteBuffer &request)
    {
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
        grpc::ByteBuffer reply;
        std::unique_lock lock(m_mutex);
        bool done = false;
        grpc::Status status;
        m_stub->UnaryCall(&ctx, "/opentelemetry.proto.collector.trace.v1.TraceService/Export", grpc::StubOptions(),
            &request, &reply, [&](grpc::Status st) {
                std::lock_guard inner(m_mutex);
                status = std::move(st);
                done = true;
                m_cv.notify_all();
            });
        m_cv.wait(lock, [&] { return done; });
        return status.ok();
    }

private:
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<grpc::GenericStub> m_stub;
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

/// One end-to-end run over a fresh database: `clients` threads send every body over the transport
/// as fast as they are answered. Returns spans per second (0 when a request failed or spans are
/// missing); prints the run's figures.
double endToEnd(const E2e &e, Transport transport, std::int64_t &stored)
{
    const int nBatches = static_cast<int>(e.bodies.size());
    const int total = nBatches * kBatch;
    removeDatabase(e.dir + "/e2e.db");
    store::SqliteStore db(e.dir + "/e2e.db", e.storeOptions);
    store::IngestPipeline pipeline(db);
    pipeline.setPriceTable(e.prices); // as agentops-server does: LLM spans are priced at ingest
    std::FILE *devNull = std::fopen("/dev/null", "w");
    server::Log log(server::Log::Format::Text, devNull);
    server::ServerConfig cfg;
    cfg.port = 0;
    cfg.worker_threads = e.workers;
    cfg.redactor = e.redactor;
    server::ApiServer api(db, pipeline, cfg, log);
    server::GrpcConfig grpcCfg;
    grpcCfg.port = 0;
    server::GrpcReceiver grpc(api, grpcCfg);
    std::string err;
    if (!api.bind(err) || !grpc.start(err)) {
        std::fprintf(stderr, "bind: %s\n", err.c_str());
        return 0;
    }
    std::thread serverThread([&] { api.run(); });
    // gRPC's requests as ByteBuffers made before the clock starts (they share the bodies' slices).
    std::vector<grpc::ByteBuffer> messages;
    if (transport == Transport::Grpc) {
        for (const auto &b : e.bodies) {
            grpc::Slice slice(b);
            messages.emplace_back(&slice, 1);
        }
    }
    ::sync();
    std::atomic<int> next { 0 };
    std::atomic<int> failures { 0 };
    std::mutex clientCpuMutex;
    double clientCpu = 0;
    const auto cpuBefore = cpuByThreadName();
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < e.clients; ++c) {
        threads.emplace_back([&] {
            const double cpu0 = threadCpuSeconds();
            if (transport == Transport::Http) {
                test::HttpClient cli("127.0.0.1", api.port());
                cli.setKeepAlive(true);
                cli.setTimeout(std::chrono::seconds(60));
                for (int i; (i = next++) < nBatches;) {
                    auto r = cli.post("/v1/traces", e.bodies[static_cast<std::size_t>(i)], "application/x-protobuf");
                    if (!r || r->status != 200)
                        ++failures;
                }
            } else {
                GrpcClient cli(grpc.port());
                for (int i; (i = next++) < nBatches;) {
                    if (!cli.send(messages[static_cast<std::size_t>(i)]))
                        ++failures;
                }
            }
            std::lock_guard lock(clientCpuMutex);
            clientCpu += threadCpuSeconds() - cpu0;
        });
    }
    for (auto &t : threads)
        t.join();
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    auto cpu = cpuByThreadName();
    for (const auto &[name, seconds] : cpuBefore)
        cpu[name] -= seconds;
    api.stop();
    grpc.stop();
    serverThread.join();
    pipeline.stop();
    std::fclose(devNull);
    stored = db.spanCount();
    const double rate = total / secs;
    const auto c = pipeline.counters();
    std::printf("end-to-end (%s + decode + normalize + price + group commit): %d spans in %.2f s = %.0f spans/s "
                "(%d clients, %d workers, %llu commits, %.1f spans/commit, writer busy %.0f%%, %d failed requests)\n",
        transport == Transport::Http ? "HTTP" : "gRPC", total, secs, rate, e.clients, e.workers,
        static_cast<unsigned long long>(c.commits), c.commits ? double(c.committed_spans) / double(c.commits) : 0.0,
        100.0 * double(c.writer_busy_ns) / 1e9 / secs, failures.load());
    // Where the two cores went: the server's request threads (HTTP: its I/O threads and workers;
    // gRPC: the receiver's workers), its writer, gRPC's own threads (which carry both the server's
    // and the clients' side of the calls, in this one process), and the clients' threads. Clock ticks
    // of 10 ms: a rough split, not a profile.
    double grpcCore = 0;
    for (const auto &[name, seconds] : cpu) {
        if (name.rfind("grpc", 0) == 0 || name.rfind("default-execut", 0) == 0 || name.rfind("resolver-", 0) == 0
            || name.rfind("global-", 0) == 0 || name.rfind("event_engine", 0) == 0
            || name.rfind("timer_manager", 0) == 0 || name.rfind("nexting", 0) == 0)
            grpcCore += seconds;
    }
    const double requestCpu = cpu["agentops-http"] + cpu["agentops-io"] + cpu["agentops-grpc"],
                 writerCpu = cpu["agentops-writer"], checkpointCpu = cpu["agentops-ckpt"];
    const double perSpan = 1e6 / double(total);
    std::printf("CPU in that phase: %.2f s of %.2f s wall x %u cores; per span: request threads %.1f us, writer "
                "%.1f us, checkpoints %.1f us, gRPC's threads %.1f us, clients %.1f us\n",
        requestCpu + writerCpu + checkpointCpu + grpcCore + clientCpu, secs, std::thread::hardware_concurrency(),
        requestCpu * perSpan, writerCpu * perSpan, checkpointCpu * perSpan, grpcCore * perSpan, clientCpu * perSpan);
    const auto ck = db.checkpointCounters();
    std::printf("WAL checkpoints: %llu in the background, %llu by the writer (%.0f ms)\n",
        static_cast<unsigned long long>(ck.background), static_cast<unsigned long long>(ck.by_writer),
        double(ck.by_writer_ns) / 1e6);
    if (stored != total || failures) {
        std::fprintf(stderr, "stored %lld spans of %d sent\n", static_cast<long long>(stored), total);
        return 0;
    }
    if (const auto progress = db.searchProgress()) {
        // The content index runs behind the writer: how far behind it was when the last request was
        // answered, and how long it took to catch up from there.
        const auto t1 = Clock::now();
        const std::int64_t lag = progress->lag();
        db.waitForSearchIndex();
        const double catchUp = std::chrono::duration<double>(Clock::now() - t1).count();
        const auto indexBytes = std::filesystem::file_size(store::SearchIndex::pathFor(e.dir + "/e2e.db"))
            + (std::filesystem::exists(store::SearchIndex::pathFor(e.dir + "/e2e.db") + "-wal")
                    ? std::filesystem::file_size(store::SearchIndex::pathFor(e.dir + "/e2e.db") + "-wal")
                    : 0);
        std::printf("search index: %lld spans behind at the last answer, caught up %.2f s later (%.0f spans/s from "
                    "the start); %.0f bytes a span\n",
            static_cast<long long>(lag), catchUp, total / (secs + catchUp), double(indexBytes) / total);
    }
    return rate;
}

/// The request threads' share of the work, on one thread: decode + normalize + price + encode,
/// into storage reused from body to body as the server's request threads do.
double requestThreadShare(
    const std::vector<std::string> &bodies, const core::PriceTable &prices, const ingest::Redactor *redactor)
{
    const auto t0 = Clock::now();
    std::size_t n = 0;
    ingest::DecodeResult r;
    r.redactor = redactor;
    std::vector<store::EncodedSpan> encoded;
    for (const auto &b : bodies) {
        ingest::DecodeError f;
        ingest::decodeOtlpTraces(b, ingest::OtlpEncoding::Protobuf, r, f);
        core::priceAtIngest(r.spans, prices);
        store::encodeSpans(r.spans, encoded);
        n += encoded.size();
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    std::printf("decode + %snormalize + price + encode on one thread: %.0f spans/s (%.1f us a span)\n",
        redactor ? "redact (built-ins) + " : "", n / secs, secs * 1e6 / double(n));
    return n / secs;
}

/// The medians of runs with something (true) and without (false), and their ratio when there are both.
void printOnOff(std::map<bool, std::vector<double>> &rates, const char *on, const char *off, const char *ratio)
{
    for (auto &[with, r] : rates) {
        std::sort(r.begin(), r.end());
        std::printf("end-to-end %s, median of %zu runs: %.0f spans/s (slowest %.0f, fastest %.0f)\n", with ? on : off,
            r.size(), r[r.size() / 2], r.front(), r.back());
    }
    if (rates.size() == 2)
        std::printf(
            "%s: %.0f%%\n", ratio, 100.0 * rates[true][rates[true].size() / 2] / rates[false][rates[false].size() / 2]);
}

/// Redaction's cost where it is paid, on the request threads: off and on by turns, the best of three.
void redactionShare(const std::vector<std::string> &bodies, const core::PriceTable &prices, const ingest::Redactor &r)
{
    double off = 0, on = 0;
    for (int i = 0; i < 3; ++i) {
        off = std::max(off, requestThreadShare(bodies, prices, nullptr));
        on = std::max(on, requestThreadShare(bodies, prices, &r));
    }
    std::printf("one thread, best of 3: redaction off %.0f spans/s, built-ins on %.0f spans/s (%.0f%%)\n", off, on,
        100.0 * on / off);
}

std::shared_ptr<const ingest::Redactor> builtinRedactor()
{
    ingest::RedactionConfig builtins;
    for (std::string_view name : ingest::kBuiltinPatterns)
        builtins.builtins.emplace_back(name);
    return std::make_shared<const ingest::Redactor>(builtins);
}

/// Each run of order twice, once with something and once without, which goes first alternating
/// (firstOn: the first run's first has it); returns whether each run of the new order has it.
std::vector<bool> alternate(std::vector<Transport> &order, bool firstOn)
{
    std::vector<Transport> twice;
    std::vector<bool> on;
    for (std::size_t i = 0; i < order.size(); ++i) {
        twice.push_back(order[i]);
        twice.push_back(order[i]);
        on.push_back((i % 2 == 0) == firstOn);
        on.push_back((i % 2 == 0) != firstOn);
    }
    order = std::move(twice);
    return on;
}

} // namespace

int main(int argc, char **argv)
{
    server::tuneMemoryAllocator(); // as agentops-server does
    ingest::silenceProtobufLogging();
    int spans = 200'000;
    int clients = 4;
    int workers = 4;
    store::SqliteStore::Options storeOptions;
    storeOptions.search = false; // the end-to-end runs say (--search); the store-alone phase goes without
    std::string searchModes = "off";
    std::string redactModes = "off";
    bool keep = false;
    int runs = 3;
    std::string transports = "both";
    std::string dir;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--spans")
            spans = std::max(kBatch, std::atoi(argv[i + 1]));
        else if (flag == "--clients")
            clients = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--workers")
            workers = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--dir")
            dir = argv[i + 1];
        else if (flag == "--checkpoint-frames")
            storeOptions.checkpoint.threshold_frames = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--runs")
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--keep")
            keep = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--restart-frames")
            storeOptions.checkpoint.restart_frames = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--transport")
            transports = argv[i + 1];
        else if (flag == "--search")
            searchModes = argv[i + 1];
        else if (flag == "--redact")
            redactModes = argv[i + 1];
    }
    if ((redactModes != "off" && redactModes != "builtin" && redactModes != "both")
        || (redactModes == "both" && searchModes == "both")) {
        std::fprintf(stderr, "--redact: off, builtin or both (not both with --search both)\n");
        return 2;
    }
    const auto redactor = builtinRedactor();
    if (transports != "http" && transports != "grpc" && transports != "both") {
        std::fprintf(stderr, "--transport: http, grpc or both\n");
        return 2;
    }
    const int nBatches = (spans + kBatch - 1) / kBatch;
    if (dir.empty())
        dir = (std::filesystem::temp_directory_path() / ("agentops-bench-" + std::to_string(::getpid()))).string();
    std::filesystem::create_directories(dir);

    std::printf("preparing %d OTLP protobuf requests of %d spans...\n", nBatches, kBatch);
    std::mt19937_64 rng(42);
    std::vector<std::string> bodies;
    std::size_t bytes = 0;
    for (int b = 0; b < nBatches; ++b) {
        bodies.push_back(makeBatch(rng, 1'764'000'000'000'000'000 + std::int64_t(b) * 1'000'000'000));
        bytes += bodies.back().size();
    }
    const int total = nBatches * kBatch;
    // The shipped price table, which agentops-server prices with unless told otherwise.
    const auto prices = std::make_shared<const core::PriceTable>(core::shippedPriceTable());
    std::printf("  %.1f MiB of protobuf, %.0f bytes per span on the wire\n", bytes / 1048576.0, double(bytes) / total);

    redactionShare(bodies, *prices, *redactor);

    {
        // The store's share, on one thread of its own: the requests decoded two at a time (about what
        // group commit takes at once in the end-to-end phase), each pair written in one transaction.
        // Only the writes are timed. A steadier figure than the writer's share end to end, where it
        // shares two cores with everything else.
        removeDatabase(dir + "/store.db");
        store::SqliteStore db(dir + "/store.db", storeOptions);
        ingest::DecodeResult first, second;
        std::vector<store::EncodedSpan> a, b;
        double wall = 0, cpu = 0;
        ::sync();
        for (std::size_t i = 0; i < bodies.size(); i += 2) {
            ingest::DecodeError f;
            ingest::decodeOtlpTraces(bodies[i], ingest::OtlpEncoding::Protobuf, first, f);
            core::priceAtIngest(first.spans, *prices);
            store::encodeSpans(first.spans, a);
            b.clear();
            if (i + 1 < bodies.size()) {
                ingest::decodeOtlpTraces(bodies[i + 1], ingest::OtlpEncoding::Protobuf, second, f);
                core::priceAtIngest(second.spans, *prices);
                store::encodeSpans(second.spans, b);
            }
            const std::span<const store::EncodedSpan> chunks[] = { a, b };
            const double cpu0 = threadCpuSeconds();
            const auto t0 = Clock::now();
            db.writeEncoded(chunks);
            wall += std::chrono::duration<double>(Clock::now() - t0).count();
            cpu += threadCpuSeconds() - cpu0;
        }
        std::printf("the store alone (writes of 1,024 encoded spans a transaction, one thread): %.0f spans/s, "
                    "%.1f us of CPU a span\n",
            total / wall, cpu * 1e6 / total);
    }
    removeDatabase(dir + "/store.db");

    // The end-to-end phase runs `runs` times per transport, each over a fresh database; the median is
    // the figure.
    std::vector<Transport> order;
    for (int run = 0; run < runs; ++run) {
        if (transports != "grpc")
            order.push_back(Transport::Http);
        if (transports != "http")
            order.push_back(Transport::Grpc);
        if (transports == "both" && run % 2 == 1)
            std::swap(order[order.size() - 2], order.back()); // neither always goes first
    }
    std::map<Transport, std::vector<double>> e2eRates;
    std::map<bool, std::vector<double>> searchRates; // --search both: the HTTP runs, by index on/off
    std::int64_t stored = 0;
    std::vector<bool> searchOrder;
    std::vector<bool> redactOrder(order.size(), redactModes == "builtin");
    std::map<bool, std::vector<double>> redactRates; // --redact both: by redaction on/off
    if (redactModes == "both") { // each run once with redaction and once without
        redactOrder = alternate(order, false);
        searchOrder.assign(order.size(), searchModes == "on");
    } else if (searchModes == "both") { // each transport run once with the index and once without
        searchOrder = alternate(order, true);
        redactOrder.assign(order.size(), redactModes == "builtin");
    } else {
        searchOrder.assign(order.size(), searchModes == "on");
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        std::printf("run %zu of %zu (%s, search index %s, redaction %s)\n", i + 1, order.size(), name(order[i]),
            searchOrder[i] ? "on" : "off", redactOrder[i] ? "built-ins" : "off");
        E2e e2e { bodies, prices, storeOptions, dir, clients, workers, redactOrder[i] ? redactor : nullptr };
        e2e.storeOptions.search = searchOrder[i];
        const double rate = endToEnd(e2e, order[i], stored);
        if (rate <= 0)
            return 1;
        if (redactModes == "both")
            redactRates[redactOrder[i]].push_back(rate);
        if (redactModes == "both" && !redactOrder[i])
            e2eRates[order[i]].push_back(rate);
        else if (redactModes == "both")
            continue;
        else if (searchModes == "both")
            searchRates[searchOrder[i]].push_back(rate);
        else
            e2eRates[order[i]].push_back(rate);
    }
    printOnOff(searchRates, "with the search index on", "with the search index off", "search index on / off");
    printOnOff(redactRates, "with redaction of the built-ins", "with redaction off", "redaction on / off");
    if (searchModes == "both")
        e2eRates[order.front()] = searchRates[false]; // the figures below: the runs without the index
    std::map<Transport, double> medians;
    for (auto &[transport, rates] : e2eRates) {
        std::sort(rates.begin(), rates.end());
        medians[transport] = rates[rates.size() / 2];
        std::printf("end-to-end over %s, median of %zu runs: %.0f spans/s (slowest %.0f, fastest %.0f)\n",
            name(transport), rates.size(), medians[transport], rates.front(), rates.back());
    }
    if (medians.size() == 2)
        std::printf("OTLP/gRPC / OTLP/HTTP: %.0f%%\n", 100.0 * medians[Transport::Grpc] / medians[Transport::Http]);

    std::size_t rowBytes = 0;
    const double bare = bareSqliteRate(dir + "/e2e.db", dir + "/bare.db", false, rowBytes);
    removeDatabase(dir + "/bare.db");
    const double bareBackground = bareSqliteRate(dir + "/e2e.db", dir + "/bare.db", true, rowBytes);
    std::printf("bare SQLite insert of the same rows (%zu bytes a row, 512-row transactions):\n", rowBytes);
    for (const auto &[what, rate] : { std::pair { "with SQLite's own checkpoints", bare },
             { "with checkpoints in the background as the store does", bareBackground } }) {
        std::printf("  %s: %.0f rows/s; end-to-end / bare:", what, rate);
        for (const auto &[transport, median] : medians)
            std::printf(" %s %.0f%%", name(transport), 100.0 * median / rate);
        std::printf("\n");
    }
    std::printf("database size: %.1f MiB for %lld spans; peak RSS %.0f MiB\n",
        std::filesystem::file_size(dir + "/e2e.db") / 1048576.0, static_cast<long long>(stored), peakRssKiB() / 1024.0);
    if (keep)
        std::printf("kept %s/e2e.db\n", dir.c_str());
    else
        std::filesystem::remove_all(dir);
    return 0;
}
