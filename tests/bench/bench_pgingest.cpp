// SPDX-License-Identifier: MIT
// Ingest on PostgreSQL against its limit. Starts its own PostgreSQL 15 (initdb in a temporary
// directory, fsync on, synchronous_commit off: what SQLite's synchronous=NORMAL promises), then, in
// one run:
//  - the store alone: PostgresStore::writeEncoded of 1,024 decoded spans a call, on one thread;
//  - end to end: agentops-server processes (--auth none --database postgresql://..., and the same
//    over SQLite for the comparison) taking OTLP/HTTP protobuf from concurrent clients (the load of
//    bench_ingest), the backends taking turns run after run;
//  - the bare limit: the rows the server stored, read back, written into a fresh table of the same
//    schema (same indexes) by COPY and by multi-row INSERT, 1,024 rows a transaction, over libpq.
// Prints spans/s and the CPU time per span of the server, of PostgreSQL and of the clients.
//
//   bench_pgingest [--spans N] [--clients N] [--runs N] [--server PATH]... [--sqlite 0]
// --server: an agentops-server binary to run end to end (default: the one built with this); give it
//   twice or more (old and new builds) to compare them in one run, taking turns.
#include "core/pricing.h"
#include "ingest/decode.h"
#include "otlpload.h"
#include "proccpu.h"
#include "store/encodedspan.h"
#include "store/postgresstore.h"
#include "support/httptestclient.h"
#include "support/pgserver.h"
#include "support/serverprocess.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTemporaryDir>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <ctime>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace agentops;
using Clock = std::chrono::steady_clock;

namespace {

using bench::kBatch;

constexpr int kRowsPerTransaction = 1024;

using bench::postgresCpu;
using bench::processCpu;

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

/// A libpq connection for the bench's own statements; exits on failure (a benchmark, not a product).
class Pq
{
public:
    explicit Pq(const std::string &conninfo)
        : m_conn(PQconnectdb(conninfo.c_str()))
    {
        if (PQstatus(m_conn) != CONNECTION_OK)
            die("connect");
        run("SET client_min_messages = warning");
    }
    ~Pq() { PQfinish(m_conn); }
    PGconn *get() const { return m_conn; }
    /// Runs SQL; returns the result (the caller clears it) and exits on an error.
    PGresult *exec(const std::string &sql) const
    {
        PGresult *r = PQexec(m_conn, sql.c_str());
        check(r, sql);
        return r;
    }
    void run(const std::string &sql) const { PQclear(exec(sql)); }
    std::int64_t count(const std::string &sql) const
    {
        PGresult *r = exec(sql);
        const std::int64_t n = std::stoll(PQgetvalue(r, 0, 0));
        PQclear(r);
        return n;
    }
    void check(PGresult *r, const std::string &what) const
    {
        const auto st = PQresultStatus(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_COPY_IN) {
            std::fprintf(stderr, "%s: %s\n", what.substr(0, 200).c_str(), PQerrorMessage(m_conn));
            std::exit(1);
        }
    }

private:
    [[noreturn]] void die(const char *what) const
    {
        std::fprintf(stderr, "%s: %s\n", what, PQerrorMessage(m_conn));
        std::exit(1);
    }
    PGconn *m_conn;
};

/// The rows of a table, as text (NULL kept apart), and the columns they are of.
struct Rows
{
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
    std::size_t bytes = 0;
};

Rows readRows(const Pq &pq, const std::string &table)
{
    Rows out;
    PGresult *cols = pq.exec("SELECT column_name FROM information_schema.columns WHERE table_schema || '.' || "
                             "table_name = '"
        + table + "' AND column_name <> 'id' ORDER BY ordinal_position");
    std::string list;
    for (int i = 0; i < PQntuples(cols); ++i) {
        out.columns.emplace_back(PQgetvalue(cols, i, 0));
        list += (i ? ", " : "") + out.columns.back();
    }
    PQclear(cols);
    PGresult *r = pq.exec("SELECT " + list + " FROM " + table + " ORDER BY id");
    for (int i = 0; i < PQntuples(r); ++i) {
        auto &row = out.rows.emplace_back();
        for (int c = 0; c < PQnfields(r); ++c) {
            if (PQgetisnull(r, i, c))
                row.emplace_back();
            else
                row.emplace_back(std::string(PQgetvalue(r, i, c), static_cast<std::size_t>(PQgetlength(r, i, c))));
            out.bytes += static_cast<std::size_t>(PQgetlength(r, i, c));
        }
    }
    PQclear(r);
    return out;
}

/// A value in COPY's text format.
void appendCopyValue(std::string &line, const std::optional<std::string> &v)
{
    if (!v) {
        line += "\\N";
        return;
    }
    for (const char ch : *v) {
        switch (ch) {
        case '\\': line += "\\\\"; break;
        case '\t': line += "\\t"; break;
        case '\n': line += "\\n"; break;
        case '\r': line += "\\r"; break;
        default: line.push_back(ch);
        }
    }
}

struct BareFigure
{
    double rate = 0; ///< rows per second
    double pgCpu = 0; ///< PostgreSQL's CPU seconds
    double clientCpu = 0; ///< this thread's
};

/// Writes every row into a fresh copy of table (LIKE ... INCLUDING ALL: the same indexes), by COPY
/// or by multi-row INSERT (512 rows a statement), kRowsPerTransaction rows a transaction.
BareFigure bareWrite(
    const Pq &pq, pid_t postmaster, const std::string &table, const Rows &rows, bool copy, const char *compression)
{
    pq.run("DROP SCHEMA IF EXISTS bare CASCADE; CREATE SCHEMA bare; CREATE TABLE bare.spans (LIKE " + table
        + " INCLUDING ALL)");
    // Every text column compressed (when PostgreSQL compresses: rows over ~2 KB) with this method.
    PGresult *text = pq.exec("SELECT column_name FROM information_schema.columns WHERE table_schema = 'bare' AND "
                             "table_name = 'spans' AND data_type = 'text'");
    for (int i = 0; i < PQntuples(text); ++i)
        pq.run(std::string("ALTER TABLE bare.spans ALTER COLUMN ") + PQgetvalue(text, i, 0) + " SET COMPRESSION "
            + compression);
    PQclear(text);
    std::string list;
    for (std::size_t c = 0; c < rows.columns.size(); ++c)
        list += (c ? ", " : "") + rows.columns[c];
    const int ncols = static_cast<int>(rows.columns.size());
    constexpr int kStatementRows = 512;
    auto valuesSql = [&](int n) {
        std::string sql = "INSERT INTO bare.spans(" + list + ") VALUES ";
        int p = 1;
        for (int r = 0; r < n; ++r) {
            sql += r ? ",(" : "(";
            for (int c = 0; c < ncols; ++c)
                sql += (c ? ",$" : "$") + std::to_string(p++);
            sql += ")";
        }
        return sql;
    };
    if (!copy)
        PQclear(PQprepare(pq.get(), "bare_insert", valuesSql(kStatementRows).c_str(), 0, nullptr));
    std::vector<const char *> values;
    std::string buffer;
    ::sync();
    const double pg0 = postgresCpu(postmaster);
    const double cpu0 = threadCpuSeconds();
    const auto t0 = Clock::now();
    for (std::size_t first = 0; first < rows.rows.size(); first += kRowsPerTransaction) {
        const std::size_t end = std::min(rows.rows.size(), first + kRowsPerTransaction);
        pq.run("BEGIN");
        if (copy) {
            PQclear(pq.exec("COPY bare.spans(" + list + ") FROM STDIN"));
            buffer.clear();
            for (std::size_t i = first; i < end; ++i) {
                for (int c = 0; c < ncols; ++c) {
                    if (c)
                        buffer.push_back('\t');
                    appendCopyValue(buffer, rows.rows[i][static_cast<std::size_t>(c)]);
                }
                buffer.push_back('\n');
            }
            PQputCopyData(pq.get(), buffer.data(), static_cast<int>(buffer.size()));
            PQputCopyEnd(pq.get(), nullptr);
            PGresult *r = PQgetResult(pq.get());
            pq.check(r, "COPY");
            PQclear(r);
        } else {
            for (std::size_t s = first; s < end; s += kStatementRows) {
                const std::size_t n = std::min<std::size_t>(kStatementRows, end - s);
                values.clear();
                for (std::size_t i = s; i < s + n; ++i)
                    for (const auto &v : rows.rows[i])
                        values.push_back(v ? v->c_str() : nullptr);
                PGresult *r = n == kStatementRows
                    ? PQexecPrepared(
                        pq.get(), "bare_insert", static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0)
                    : PQexecParams(pq.get(), valuesSql(static_cast<int>(n)).c_str(), static_cast<int>(values.size()),
                        nullptr, values.data(), nullptr, nullptr, 0);
                pq.check(r, "INSERT");
                PQclear(r);
            }
        }
        pq.run("COMMIT");
    }
    BareFigure f;
    f.rate = static_cast<double>(rows.rows.size()) / std::chrono::duration<double>(Clock::now() - t0).count();
    f.clientCpu = threadCpuSeconds() - cpu0;
    f.pgCpu = postgresCpu(postmaster) - pg0;
    if (!copy)
        pq.run("DEALLOCATE bare_insert");
    if (pq.count("SELECT count(*) FROM bare.spans") != static_cast<std::int64_t>(rows.rows.size())) {
        std::fprintf(stderr, "bare %s stored a different number of rows\n", copy ? "COPY" : "INSERT");
        std::exit(1);
    }
    return f;
}

/// What one end-to-end run measured.
struct Run
{
    std::string what;
    double rate = 0;
    double secs = 0;
    double serverCpu = 0, pgCpu = 0, clientCpu = 0;
};

/// One end-to-end run: an agentops-server over a fresh store (PostgreSQL: schema "traces" dropped
/// first; SQLite: a fresh data directory), `clients` threads posting every body over HTTP. Returns
/// the run, rate 0 when a request failed or spans are missing.
Run endToEnd(const std::string &binary, const std::vector<std::string> &bodies, int clients, const std::string *pgUrl,
    const Pq *pq, pid_t postmaster)
{
    Run run;
    QTemporaryDir dir;
    QStringList args { QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--listen"),
        QStringLiteral("127.0.0.1:0"), QStringLiteral("--grpc-listen"), QStringLiteral("off"),
        QStringLiteral("--rate-limit-client"), QStringLiteral("0"), QStringLiteral("--rate-limit-key"),
        QStringLiteral("0"), QStringLiteral("--search-index"), QStringLiteral("off"), QStringLiteral("--data-dir"),
        dir.path() };
    if (pgUrl) {
        pq->run("DROP SCHEMA IF EXISTS traces CASCADE");
        args << QStringLiteral("--database") << QString::fromStdString(*pgUrl);
    }
    QProcess server;
    server.setProgram(QString::fromStdString(binary));
    server.setArguments(args);
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start();
    QByteArray out;
    int port = -1;
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    while (port < 0 && Clock::now() < deadline && server.state() != QProcess::NotRunning) {
        server.waitForReadyRead(200);
        out += server.readAll();
        const auto at = out.indexOf("listening on http://127.0.0.1:");
        auto end = at + 30;
        while (at >= 0 && end < out.size() && out[end] >= '0' && out[end] <= '9')
            ++end;
        if (at >= 0 && end < out.size()) // the number is whole once something follows it
            port = out.mid(at + 30, end - at - 30).toInt();
    }
    if (port <= 0) {
        std::fprintf(stderr, "%s did not start: %s\n", binary.c_str(), out.constData());
        return run;
    }
    const pid_t serverPid = static_cast<pid_t>(server.processId());
    const int nBatches = static_cast<int>(bodies.size());
    std::atomic<int> next { 0 };
    std::atomic<int> failures { 0 };
    std::mutex cpuMutex;
    double clientCpu = 0;
    const double server0 = processCpu(serverPid, false);
    const double pg0 = pgUrl ? postgresCpu(postmaster) : 0;
    const auto t0 = Clock::now();
    std::vector<std::thread> threads;
    threads.reserve(static_cast<std::size_t>(clients));
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            const double cpu0 = threadCpuSeconds();
            test::HttpClient cli("127.0.0.1", port);
            cli.setKeepAlive(true);
            cli.setTimeout(std::chrono::seconds(120));
            for (int i; (i = next++) < nBatches;) {
                auto r = cli.post("/v1/traces", bodies[static_cast<std::size_t>(i)], "application/x-protobuf");
                if (!r || r->status != 200) {
                    if (failures++ == 0)
                        std::fprintf(stderr, "request failed: %s\n",
                            r ? (std::to_string(r->status) + " " + r->body).c_str() : r.error().c_str());
                }
            }
            std::lock_guard lock(cpuMutex);
            clientCpu += threadCpuSeconds() - cpu0;
        });
    for (auto &t : threads)
        t.join();
    run.secs = std::chrono::duration<double>(Clock::now() - t0).count();
    run.serverCpu = processCpu(serverPid, false) - server0;
    run.pgCpu = pgUrl ? postgresCpu(postmaster) - pg0 : 0;
    run.clientCpu = clientCpu;
    server.terminate();
    server.waitForFinished(60000);
    const std::int64_t total = std::int64_t(nBatches) * kBatch;
    std::int64_t stored = -1;
    if (pgUrl) {
        stored = pq->count("SELECT count(*) FROM traces.spans");
    } else {
        sqlite3 *db = nullptr;
        if (sqlite3_open_v2(
                (dir.path() + QStringLiteral("/traces.db")).toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr)
            == SQLITE_OK) {
            sqlite3_stmt *st = nullptr;
            sqlite3_prepare_v2(db, "SELECT count(*) FROM spans", -1, &st, nullptr);
            if (sqlite3_step(st) == SQLITE_ROW)
                stored = sqlite3_column_int64(st, 0);
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    }
    if (stored != total || failures) {
        std::fprintf(stderr, "stored %lld spans of %lld sent, %d requests failed\n", static_cast<long long>(stored),
            static_cast<long long>(total), failures.load());
        return run;
    }
    run.rate = static_cast<double>(total) / run.secs;
    return run;
}

void printRun(const Run &r, std::int64_t total)
{
    const double perSpan = 1e6 / static_cast<double>(total);
    std::printf("  %-34s %8.0f spans/s  %6.2f s wall; CPU a span: server %5.1f us, PostgreSQL %5.1f us, clients "
                "%4.1f us, all %5.1f us\n",
        r.what.c_str(), r.rate, r.secs, r.serverCpu * perSpan, r.pgCpu * perSpan, r.clientCpu * perSpan,
        (r.serverCpu + r.pgCpu + r.clientCpu) * perSpan);
}

/// The store's share alone, on this thread: bodies decoded two at a time, each pair written by one
/// writeEncoded (about what group commit takes at once end to end). Only the writes are timed.
void storeAlone(const std::string &conninfo, const std::vector<std::string> &bodies, const core::PriceTable &prices,
    pid_t postmaster, const Pq &pq)
{
    pq.run("DROP SCHEMA IF EXISTS alone CASCADE");
    store::PostgresStore::Options o;
    o.schema = "alone";
    o.search = false;
    store::PostgresStore db(conninfo, o);
    ingest::DecodeResult first, second;
    std::vector<store::EncodedSpan> a, b;
    double wall = 0, cpu = 0, pg = 0;
    std::int64_t n = 0;
    ::sync();
    for (std::size_t i = 0; i < bodies.size(); i += 2) {
        ingest::DecodeError f;
        ingest::decodeOtlpTraces(bodies[i], ingest::OtlpEncoding::Protobuf, first, f);
        core::priceAtIngest(first.spans, prices);
        store::encodeSpans(first.spans, a);
        b.clear();
        if (i + 1 < bodies.size()) {
            ingest::decodeOtlpTraces(bodies[i + 1], ingest::OtlpEncoding::Protobuf, second, f);
            core::priceAtIngest(second.spans, prices);
            store::encodeSpans(second.spans, b);
        }
        const std::span<const store::EncodedSpan> chunks[] = { a, b };
        const double pg0 = postgresCpu(postmaster);
        const double cpu0 = threadCpuSeconds();
        const auto t0 = Clock::now();
        n += static_cast<std::int64_t>(db.writeEncoded(chunks).inserted);
        wall += std::chrono::duration<double>(Clock::now() - t0).count();
        cpu += threadCpuSeconds() - cpu0;
        pg += postgresCpu(postmaster) - pg0;
    }
    std::printf("the store alone (PostgresStore::writeEncoded of 1,024 spans a call, one thread): %.0f spans/s; CPU a "
                "span: this thread %.1f us, PostgreSQL %.1f us\n",
        static_cast<double>(n) / wall, cpu * 1e6 / static_cast<double>(n), pg * 1e6 / static_cast<double>(n));
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

/// The statements PostgreSQL spent most time in over the end-to-end runs, as time a span stored.
void printStatements(const Pq &pq, double spans)
{
    PGresult *r = pq.exec("SELECT calls, total_exec_time, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) "
                          "FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10");
    std::printf("PostgreSQL's time by statement over the PostgreSQL runs (pg_stat_statements, execution only):\n");
    for (int i = 0; i < PQntuples(r); ++i)
        std::printf("  %6.2f us a span %8s calls  %s\n", std::atof(PQgetvalue(r, i, 1)) * 1000.0 / spans,
            PQgetvalue(r, i, 0), PQgetvalue(r, i, 2));
    PQclear(r);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    ingest::silenceProtobufLogging();
    int spans = 200'000;
    int clients = 4;
    int runs = 3;
    bool sqlite = true;
    bool statements = false; // PostgreSQL's time by statement (pg_stat_statements) after the runs
    std::vector<std::string> servers;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--spans")
            spans = std::max(kBatch, std::atoi(argv[i + 1]));
        else if (flag == "--clients")
            clients = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--runs")
            runs = std::max(1, std::atoi(argv[i + 1]));
        else if (flag == "--server")
            servers.emplace_back(argv[i + 1]);
        else if (flag == "--sqlite")
            sqlite = std::atoi(argv[i + 1]) != 0;
        else if (flag == "--statements")
            statements = std::atoi(argv[i + 1]) != 0;
        else {
            std::fprintf(stderr, "unknown option %s\n", flag.c_str());
            return 2;
        }
    }
    if (servers.empty())
        servers.emplace_back(AGENTOPS_SERVER_BINARY);

    // What a deployment would run with: every commit written (fsync), not waited for
    // (synchronous_commit off, as SQLite's synchronous=NORMAL in WAL mode), room for the WAL.
    std::unique_ptr<test::PgServer> pg;
    try {
        pg = std::make_unique<test::PgServer>(
            std::string("-c fsync=on -c full_page_writes=on -c synchronous_commit=off "
                        "-c max_wal_size=4GB -c shared_buffers=256MB")
            + (statements ? " -c shared_preload_libraries=pg_stat_statements" : ""));
    } catch (const std::exception &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    const std::string conninfo = pg->conninfo();
    const std::string url = pg->url();
    const pid_t postmaster = pg->pid();
    Pq pq(conninfo);
    std::printf("PostgreSQL %s (fsync on, synchronous_commit off, shared_buffers 256MB); %u cores; load %s",
        PQparameterStatus(pq.get(), "server_version"), std::thread::hardware_concurrency(), [] {
            static char buf[64] = "?\n";
            if (std::FILE *f = std::fopen("/proc/loadavg", "r")) {
                if (!std::fgets(buf, sizeof buf, f))
                    buf[0] = 0;
                std::fclose(f);
            }
            return buf;
        }());

    const int nBatches = (spans + kBatch - 1) / kBatch;
    const std::int64_t total = std::int64_t(nBatches) * kBatch;
    std::mt19937_64 rng(42);
    std::vector<std::string> bodies;
    std::size_t bytes = 0;
    for (int b = 0; b < nBatches; ++b) {
        bodies.push_back(bench::makeBatch(rng, 1'764'000'000'000'000'000 + std::int64_t(b) * 1'000'000'000));
        bytes += bodies.back().size();
    }
    std::printf("%d OTLP protobuf requests of %d spans, %.1f MiB, %.0f bytes a span on the wire\n", nBatches, kBatch,
        bytes / 1048576.0, double(bytes) / double(total));
    const auto prices = std::make_shared<const core::PriceTable>(core::shippedPriceTable());
    storeAlone(conninfo, bodies, *prices, postmaster, pq);

    // End to end: each server binary over PostgreSQL, and over SQLite, taking turns; the order
    // turns around every other run so neither always goes first.
    struct Case
    {
        std::string binary;
        bool postgres;
        std::string what;
    };
    std::vector<Case> cases;
    for (std::size_t s = 0; s < servers.size(); ++s) {
        const std::string tag = servers.size() > 1 ? " #" + std::to_string(s + 1) : "";
        cases.push_back({ servers[s], true, "PostgreSQL" + tag });
        if (sqlite)
            cases.push_back({ servers[s], false, "SQLite" + tag });
    }
    std::map<std::string, std::vector<double>> rates;
    std::map<std::string, std::vector<double>> cpuPerSpan;
    if (statements) {
        pq.run("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        pq.run("SELECT pg_stat_statements_reset()");
    }
    std::printf("end to end, OTLP/HTTP protobuf, %d clients, agentops-server --search-index off:\n", clients);
    for (int r = 0; r < runs; ++r) {
        std::vector<Case> order = cases;
        if (r % 2 == 1)
            std::reverse(order.begin(), order.end());
        for (const Case &c : order) {
            Run run = endToEnd(c.binary, bodies, clients, c.postgres ? &url : nullptr, &pq, postmaster);
            run.what = c.what + " run " + std::to_string(r + 1);
            if (run.rate <= 0)
                return 1;
            printRun(run, total);
            rates[c.what].push_back(run.rate);
            cpuPerSpan[c.what].push_back((run.serverCpu + run.pgCpu) * 1e6 / static_cast<double>(total));
        }
    }
    for (const auto &[what, r] : rates)
        std::printf("end to end %s, median of %zu: %.0f spans/s, server + database CPU %.1f us a span\n", what.c_str(),
            r.size(), median(r), median(cpuPerSpan[what]));
    if (statements)
        printStatements(pq, static_cast<double>(total) * static_cast<double>(runs * servers.size()));
    if (servers.size() > 1) // the newest schema of the last binary's run is what the rows come from
        std::printf("(bare rows below from the last PostgreSQL run)\n");

    // The bare limit, over the rows the (last) PostgreSQL run stored.
    const Rows rows = readRows(pq, "traces.spans");
    std::printf("bare PostgreSQL, the %zu rows stored (%zu bytes a row as text), %d rows a transaction:\n",
        rows.rows.size(), rows.rows.empty() ? 0 : rows.bytes / rows.rows.size(), kRowsPerTransaction);
    // Each way twice, the order turned around, with PostgreSQL's default compression (pglz) and
    // with lz4; the best of the two is the limit.
    std::map<std::pair<bool, std::string>, double> bare;
    for (int r = 0; r < 2; ++r)
        for (const bool copy : { r == 0, r != 0 })
            for (const char *compression : { "pglz", "lz4" }) {
                const BareFigure f = bareWrite(pq, postmaster, "traces.spans", rows, copy, compression);
                const double perRow = 1e6 / static_cast<double>(rows.rows.size());
                std::printf("  %-30s %4s %8.0f rows/s; CPU a row: PostgreSQL %5.1f us, client %4.1f us\n",
                    copy ? "COPY" : "INSERT ... VALUES (512 rows)", compression, f.rate, f.pgCpu * perRow,
                    f.clientCpu * perRow);
                double &best = bare[{ copy, compression }];
                best = std::max(best, f.rate);
            }
    pq.run("DROP SCHEMA IF EXISTS bare CASCADE");
    std::printf("bare, best of 2:");
    for (const auto &[key, rate] : bare)
        std::printf(" %s %s %.0f rows/s;", key.first ? "COPY" : "INSERT", key.second.c_str(), rate);
    std::printf("\n");
    const double copyRate = std::max(bare[{ true, "pglz" }], bare[{ true, "lz4" }]);
    const double insertRate = std::max(bare[{ false, "pglz" }], bare[{ false, "lz4" }]);
    for (const auto &[what, r] : rates)
        std::printf("end to end %s / best bare COPY: %.0f%%, / best bare INSERT: %.0f%%\n", what.c_str(),
            100.0 * median(r) / copyRate, 100.0 * median(r) / insertRate);
    return 0;
}
