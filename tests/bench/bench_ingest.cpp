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
//                [--search on|off|both] [--redact off|builtin|both] [--phases all|e2e] [--window N]
// --runs: end-to-end runs per transport, each over a fresh database (default 3; the median is
//         reported); with both, the transports take turns (http, grpc, grpc, http, ...).
// --keep: leave DIR/e2e.db (of the last run) for a look.
// --search: end-to-end runs with the content search index (on), without it (off, the default, as
//   before the index existed), or each run twice, alternating which goes first (both).
// --redact: end-to-end runs without redaction (off, the default), with every built-in pattern
//   (builtin), or each run twice, alternating which goes first (both); the one-thread decode figure
//   is printed for both in any case.
// --phases: all (the default), or e2e: only the end-to-end runs (no one-thread figures, no bare
//   SQLite), for long runs.
// --window: while a run longer than this many spans goes on, its rate and the writer's and
//   checkpoints' CPU are printed for each window of this many committed spans (default 204,800).
// Requests past the first 400 (204,800 spans) are made from those with new trace ids and later
// times (Load), so long runs need no more memory than that.
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

#include <ctime>
#include <pthread.h>
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
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
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

/// The requests of a run. Long runs would hold gigabytes of bodies, so at most a pool of distinct
/// requests is kept (kPoolSpans); request i past the pool is request i % pool with every trace id
/// changed and every span's start and end moved on by a pool's stretch of time, so it is what the
/// generator would have made for it: new traces, later in time (its random values repeat).
class Load
{
public:
    static constexpr int kPoolSpans = 204'800;

    Load(std::vector<std::string> pool, int requests)
        : m_pool(std::move(pool))
        , m_requests(requests)
    {
        for (const auto &body : m_pool)
            m_sites.push_back(patchSites(body));
    }
    int requests() const { return m_requests; }
    const std::vector<std::string> &pool() const { return m_pool; }
    /// Request i: a pool body as it is, or patched into scratch.
    const std::string &body(int i, std::string &scratch) const
    {
        const auto n = m_pool.size();
        const auto &body = m_pool[static_cast<std::size_t>(i) % n];
        const auto round = static_cast<std::uint64_t>(i) / n;
        if (round == 0)
            return body;
        scratch = body;
        const auto &sites = m_sites[static_cast<std::size_t>(i) % n];
        for (std::size_t at : sites.traceIds) { // the first 8 bytes of the 16, as another random id
            std::uint64_t v;
            std::memcpy(&v, scratch.data() + at, 8);
            v ^= round * 0x9E3779B97F4A7C15ull;
            std::memcpy(scratch.data() + at, &v, 8);
        }
        const std::uint64_t shift = round * n * 1'000'000'000ull; // makeBatch's start: 1 s a request
        for (std::size_t at : sites.times) {
            std::uint64_t v;
            std::memcpy(&v, scratch.data() + at, 8);
            v += shift;
            std::memcpy(scratch.data() + at, &v, 8);
        }
        return scratch;
    }

private:
    struct Sites
    {
        std::vector<std::size_t> traceIds, times; ///< offsets of the values in the body
    };
    /// Where the body holds its spans' trace ids (field 1, 16 bytes) and start and end times
    /// (fields 7 and 8, fixed64): found from the parsed request, checked against the bytes.
    static Sites patchSites(const std::string &body)
    {
        otlp::collector::trace::v1::ExportTraceServiceRequest req;
        req.ParseFromString(body);
        std::unordered_set<std::string> ids;
        std::unordered_set<std::uint64_t> times;
        for (const auto &rs : req.resource_spans())
            for (const auto &ss : rs.scope_spans())
                for (const auto &sp : ss.spans()) {
                    ids.insert(sp.trace_id());
                    times.insert(sp.start_time_unix_nano());
                    times.insert(sp.end_time_unix_nano());
                }
        Sites s;
        for (std::size_t i = 0; i + 18 <= body.size(); ++i) {
            if (body[i] == 0x0A && body[i + 1] == 0x10 && ids.count(body.substr(i + 2, 16))) {
                s.traceIds.push_back(i + 2);
                i += 17;
            } else if (body[i] == 0x39 || body[i] == 0x41) {
                std::uint64_t v;
                std::memcpy(&v, body.data() + i + 1, 8);
                if (times.count(v)) {
                    s.times.push_back(i + 1);
                    i += 8;
                }
            }
        }
        return s;
    }

    std::vector<std::string> m_pool;
    std::vector<Sites> m_sites;
    int m_requests;
};

/// CPU seconds (user, system) used so far by each live thread of this process, by thread name.
std::map<std::string, std::pair<double, double>> cpuSplitByThreadName()
{
    std::map<std::string, std::pair<double, double>> out;
    const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
    for (const auto &task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream commFile(task.path() / "comm");
        std::string comm;
        std::getline(commFile, comm);
        std::ifstream statFile(task.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
        const auto close = stat.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream fields(stat.substr(close + 2));
        std::string field;
        for (int i = 3; fields >> field; ++i) {
            if (i == 14)
                out[comm].first += std::stod(field) / tick;
            else if (i == 15) {
                out[comm].second += std::stod(field) / tick;
                break;
            }
        }
    }
    return out;
}

/// Bytes each thread of this process has passed to write(2) and the like so far (wchar), by thread
/// name: the writer's are its WAL appends, the checkpoint thread's its copies into the database file.
std::map<std::string, double> writtenByThreadName()
{
    std::map<std::string, double> out;
    for (const auto &task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream commFile(task.path() / "comm");
        std::string comm;
        std::getline(commFile, comm);
        std::ifstream ioFile(task.path() / "io");
        std::string key;
        double value = 0;
        while (ioFile >> key >> value)
            if (key == "wchar:")
                out[comm] += value;
    }
    return out;
}

/// Prints the rate and the writer's and checkpoint thread's CPU per window of committed spans while
/// a run goes on, so that a decline over a long run shows (the process's CPU includes the kernel
/// work done in its threads: the checkpoint thread's fsync writes the database file back).
class WindowSampler
{
public:
    WindowSampler(const store::IngestPipeline &pipeline, const store::SqliteStore &db, std::string walPath, int window)
        : m_thread([this, &pipeline, &db, wal = std::move(walPath), window] { run(pipeline, db, wal, window); })
    { }
    ~WindowSampler()
    {
        m_stop = true;
        m_thread.join();
    }

private:
    void run(const store::IngestPipeline &pipeline, const store::SqliteStore &db, const std::string &wal, int window)
    {
        auto t0 = Clock::now();
        auto cpu0 = cpuSplitByThreadName();
        auto io0 = writtenByThreadName();
        auto ck0 = db.checkpointCounters();
        std::uint64_t next = static_cast<std::uint64_t>(window), from = 0;
        while (!m_stop) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            const std::uint64_t done = pipeline.counters().committed_spans;
            if (done < next)
                continue;
            const auto t1 = Clock::now();
            auto cpu1 = cpuSplitByThreadName();
            auto io1 = writtenByThreadName();
            const auto ck1 = db.checkpointCounters();
            const double n = double(done - from), secs = std::chrono::duration<double>(t1 - t0).count();
            auto d = [&](const char *name, bool sys) {
                const auto &a = cpu1[name];
                const auto &b = cpu0[name];
                return 1e6 * ((sys ? a.second - b.second : a.first - b.first)) / n;
            };
            auto written = [&](const char *name) { return (io1[name] - io0[name]) / n; };
            std::error_code ec;
            const auto walBytes = std::filesystem::file_size(wal, ec);
            std::printf("  window to %llu spans: %.0f spans/s; writer %.1f + %.1f us (user + sys), checkpoints %.1f + "
                        "%.1f us a span; bytes written a span: %.0f to the WAL, %.0f by checkpoints; writer "
                        "checkpoints %llu (%.0f ms); "
                        "WAL %.0f MiB\n",
                static_cast<unsigned long long>(done), n / secs, d("agentops-writer", false),
                d("agentops-writer", true), d("agentops-ckpt", false), d("agentops-ckpt", true),
                written("agentops-writer"), written("agentops-ckpt"),
                static_cast<unsigned long long>(ck1.by_writer - ck0.by_writer),
                double(ck1.by_writer_ns - ck0.by_writer_ns) / 1e6, ec ? 0.0 : double(walBytes) / 1048576.0);
            std::fflush(stdout);
            t0 = t1;
            cpu0 = std::move(cpu1);
            io0 = std::move(io1);
            ck0 = ck1;
            from = done;
            while (next <= done)
                next += static_cast<std::uint64_t>(window);
        }
    }

    std::atomic<bool> m_stop { false };
    std::thread m_thread;
};

enum class Transport { Http, Grpc };

const char *name(Transport t)
{
    return t == Transport::Http ? "OTLP/HTTP" : "OTLP/gRPC";
}

/// What every end-to-end run takes.
struct E2e
{
    const Load &load;
    std::shared_ptr<const core::PriceTable> prices;
    store::SqliteStore::Options storeOptions;
    std::string dir;
    int clients;
    int workers;
    std::shared_ptr<const ingest::Redactor> redactor;
    int window; ///< spans per window of the figures printed while a long run goes on
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
    const int nBatches = e.load.requests();
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
    // gRPC's requests of the pool as ByteBuffers made before the clock starts (they share the
    // bodies' slices).
    std::vector<grpc::ByteBuffer> messages;
    if (transport == Transport::Grpc) {
        for (const auto &b : e.load.pool()) {
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
    std::optional<WindowSampler> windows;
    if (total > e.window)
        windows.emplace(pipeline, db, e.dir + "/e2e.db-wal", e.window);
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(e.clients));
    for (int c = 0; c < e.clients; ++c) {
        threads.emplace_back([&] {
            const double cpu0 = threadCpuSeconds();
            if (transport == Transport::Http) {
                test::HttpClient cli("127.0.0.1", api.port());
                cli.setKeepAlive(true);
                cli.setTimeout(std::chrono::seconds(60));
                std::string scratch;
                for (int i; (i = next++) < nBatches;) {
                    auto r = cli.post("/v1/traces", e.load.body(i, scratch), "application/x-protobuf");
                    if (!r || r->status != 200)
                        ++failures;
                }
            } else {
                GrpcClient cli(grpc.port());
                std::string scratch;
                for (int i; (i = next++) < nBatches;) {
                    const auto pooled = static_cast<std::size_t>(i) < messages.size();
                    grpc::Slice slice(pooled ? std::string() : e.load.body(i, scratch));
                    const grpc::ByteBuffer patched(&slice, 1);
                    if (!cli.send(pooled ? messages[static_cast<std::size_t>(i)] : patched))
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
    windows.reset();
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
    std::string phases = "all";
    int window = Load::kPoolSpans;
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
        else if (flag == "--phases")
            phases = argv[i + 1];
        else if (flag == "--window")
            window = std::max(kBatch, std::atoi(argv[i + 1]));
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
    if (phases != "all" && phases != "e2e") {
        std::fprintf(stderr, "--phases: all or e2e\n");
        return 2;
    }
    const int nBatches = (spans + kBatch - 1) / kBatch;
    if (dir.empty())
        dir = (std::filesystem::temp_directory_path() / ("agentops-bench-" + std::to_string(::getpid()))).string();
    std::filesystem::create_directories(dir);

    const int pooled = std::min(nBatches, Load::kPoolSpans / kBatch);
    std::printf("preparing %d OTLP protobuf requests of %d spans (%d distinct, the rest made from them)...\n", nBatches,
        kBatch, pooled);
    std::mt19937_64 rng(42);
    std::vector<std::string> bodies;
    std::size_t bytes = 0;
    for (int b = 0; b < pooled; ++b) {
        bodies.push_back(makeBatch(rng, 1'764'000'000'000'000'000 + std::int64_t(b) * 1'000'000'000));
        bytes += bodies.back().size();
    }
    const int total = pooled * kBatch;
    // The shipped price table, which agentops-server prices with unless told otherwise.
    const auto prices = std::make_shared<const core::PriceTable>(core::shippedPriceTable());
    std::printf("  %.1f MiB of protobuf, %.0f bytes per span on the wire\n", bytes / 1048576.0, double(bytes) / total);

    const Load load(bodies, nBatches);
    if (phases == "all")
        redactionShare(bodies, *prices, *redactor);

    if (phases == "all") {
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
        E2e e2e { load, prices, storeOptions, dir, clients, workers, redactOrder[i] ? redactor : nullptr, window };
        e2e.storeOptions.search = searchOrder[i];
        const double rate = endToEnd(e2e, order[i], stored);
        if (rate <= 0)
            return 1;
        if (redactModes == "both") {
            redactRates[redactOrder[i]].push_back(rate);
            if (!redactOrder[i]) // the figures below: the runs without redaction
                e2eRates[order[i]].push_back(rate);
        } else if (searchModes == "both") {
            searchRates[searchOrder[i]].push_back(rate);
        } else {
            e2eRates[order[i]].push_back(rate);
        }
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

    if (phases != "all") {
        std::printf("database size: %.1f MiB for %lld spans; peak RSS %.0f MiB\n",
            std::filesystem::file_size(dir + "/e2e.db") / 1048576.0, static_cast<long long>(stored),
            peakRssKiB() / 1024.0);
        if (!keep)
            std::filesystem::remove_all(dir);
        return 0;
    }
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
