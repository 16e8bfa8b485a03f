// SPDX-License-Identifier: MIT
// Backing up a store while ingest writes to it: the online backup API in steps (store::writeBackup,
// what `agentops-server backup` runs) against VACUUM INTO, each taken while a writer thread keeps
// committing batches of 200 spans, as the ingest pipeline does. Prints each one's time and output
// size and the writer's commit times meanwhile (median, 99th percentile, worst), and the same
// without a backup running.
//
//   bench_backup [--spans N] [--seconds S] [--dir DIR]
#include "store/backup.h"
#include "store/sqlitestore.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace agentops;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

/// A batch of 20 traces of 10 spans, each with a 2 KB prompt and a 500 byte answer.
std::vector<core::Span> batch(std::mt19937_64 &rng)
{
    static const std::string prompt = [] {
        std::string s;
        while (s.size() < 2000)
            s += "Plan the trip to Kyoto within the budget, then book the flight. ";
        return s;
    }();
    std::vector<core::Span> out;
    const std::int64_t now
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    for (int t = 0; t < 20; ++t) {
        core::TraceId tid {};
        for (std::size_t i = 0; i < tid.size(); i += 8) {
            const std::uint64_t v = rng();
            std::memcpy(tid.data() + i, &v, 8);
        }
        for (int k = 0; k < 10; ++k) {
            core::Span s;
            s.trace_id = tid;
            s.span_id = { 1, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(k + 1) };
            if (k > 0)
                s.parent_span_id = { 1, 0, 0, 0, 0, 0, 0, 1 };
            s.name = k == 0 ? "invoke_agent planner" : "chat gpt-4o";
            s.kind = k == 0 ? core::SpanKind::Agent : core::SpanKind::Llm;
            s.service_name = "travel-agent";
            s.start_ns = now + std::int64_t { k } * 1'000'000;
            s.end_ns = s.start_ns + 900'000;
            if (k > 0) {
                s.request_model = s.response_model = "gpt-4o";
                s.tokens.input = 1000;
                s.tokens.output = 120;
                s.input = prompt;
                s.output = prompt.substr(0, 500);
            }
            out.push_back(std::move(s));
        }
    }
    return out;
}

struct Latencies
{
    std::mutex mutex;
    std::vector<double> ms;
};

void print(const char *what, double seconds, std::uint64_t bytes, Latencies &lat)
{
    std::lock_guard lock(lat.mutex);
    auto &v = lat.ms;
    std::sort(v.begin(), v.end());
    const auto at = [&v](double q) { return v.empty() ? 0.0 : v[std::min(v.size() - 1, std::size_t(q * v.size()))]; };
    std::printf("%-34s %7.2f s %9.1f MiB   writer: %5zu commits, median %6.2f ms, p99 %7.2f ms, worst %7.2f ms\n", what,
        seconds, static_cast<double>(bytes) / (1 << 20), v.size(), at(0.5), at(0.99), v.empty() ? 0 : v.back());
    v.clear();
}

} // namespace

int main(int argc, char **argv)
{
    long long spans = 400'000;
    double idleSeconds = 3;
    std::string dir;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--spans")
            spans = std::atoll(argv[i + 1]);
        else if (a == "--seconds")
            idleSeconds = std::atof(argv[i + 1]);
        else if (a == "--dir")
            dir = argv[i + 1];
        else {
            std::fprintf(stderr, "usage: bench_backup [--spans N] [--seconds S] [--dir DIR]\n");
            return 2;
        }
    }
    const bool ownDir = dir.empty();
    if (ownDir) {
        char pattern[] = "/tmp/bench_backup-XXXXXX";
        dir = mkdtemp(pattern);
    }
    const fs::path path = fs::path(dir) / "traces.db";
    std::mt19937_64 rng(42);
    store::SqliteStore db(path.string());
    for (long long n = 0; n < spans; n += 200)
        db.writeBatch(batch(rng));
    std::error_code ec;
    const auto wal = fs::file_size(path.string() + "-wal", ec);
    std::printf("store: %lld spans, %.1f MiB (and %.1f MiB of WAL)\n", spans,
        static_cast<double>(fs::file_size(path)) / (1 << 20), ec ? 0.0 : static_cast<double>(wal) / (1 << 20));

    // The writer: a batch every 20 ms (10,000 spans/s), each commit timed.
    Latencies lat;
    std::atomic<bool> running { true };
    std::thread writer([&] {
        std::mt19937_64 wrng(7);
        while (running) {
            auto b = batch(wrng);
            const auto t0 = Clock::now();
            db.writeBatch(b);
            const double took = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
            {
                std::lock_guard lock(lat.mutex);
                lat.ms.push_back(took);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });

    std::this_thread::sleep_for(std::chrono::duration<double>(idleSeconds));
    print("no backup", idleSeconds, 0, lat);

    const fs::path archive = fs::path(dir) / "backup.tar";
    auto t0 = Clock::now();
    const auto summary = store::writeBackup(dir, { "traces.db" }, archive);
    print(
        "online backup API, 4 MiB steps", std::chrono::duration<double>(Clock::now() - t0).count(), summary.bytes, lat);
    fs::remove(archive);

    // The same copy without the archive: a database file, as VACUUM INTO writes one.
    const fs::path copied = fs::path(dir) / "copied.db";
    t0 = Clock::now();
    {
        sqlite3 *src = nullptr;
        sqlite3 *dst = nullptr;
        sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_schema;", nullptr, nullptr, nullptr);
        sqlite3_open(copied.c_str(), &dst);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        while (sqlite3_backup_step(b, 256) == SQLITE_OK) { }
        sqlite3_backup_finish(b);
        sqlite3_close(dst);
        sqlite3_close(src);
    }
    print("online backup API, file only", std::chrono::duration<double>(Clock::now() - t0).count(),
        fs::file_size(copied), lat);
    fs::remove(copied);

    const fs::path vacuumed = fs::path(dir) / "vacuumed.db";
    t0 = Clock::now();
    sqlite3 *reader = nullptr;
    sqlite3_open_v2(path.c_str(), &reader, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_busy_timeout(reader, 10000);
    const std::string sql = "VACUUM INTO '" + vacuumed.string() + "'";
    if (sqlite3_exec(reader, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        std::fprintf(stderr, "VACUUM INTO: %s\n", sqlite3_errmsg(reader));
    sqlite3_close(reader);
    print("VACUUM INTO", std::chrono::duration<double>(Clock::now() - t0).count(), fs::file_size(vacuumed), lat);
    fs::remove(vacuumed);

    running = false;
    writer.join();
    if (ownDir)
        fs::remove_all(dir);
    return 0;
}
