// SPDX-License-Identifier: MIT
// Imports big OTLP trace files as File > Open does (TraceFileImporter into the ingest pipeline of a
// real SQLite store) and prints the time, spans per second and peak memory of each.
//
//   bench_import [--spans 100000,1000000] [--formats json,pb] [--dir DIR] [--value-chars 24] [--attributes 4]
//   [--no-old] [--other PATH]... [--repeat N]
//
// The files are one trace each, made of the real spans of tests/fixtures/frameworks copied over and
// over (support/bigotlp.h), their string values cut to --value-chars bytes and their attributes to the
// first --attributes, so that a span takes about what the spans of a long agent trace take (~600
// bytes in OTLP/JSON): OTLP/JSON on one line, as the app's own export writes a trace, and the
// same request as binary protobuf. Each import runs in a child process of its own, so that peaks
// (VmHWM) do not mix. bench_import_old, built next to this program from the reader before streaming,
// imports the same files in the same run; so does each --other program (this benchmark built from
// another version of the tree: its child mode is the same), labelled other1, other2, ... With
// --repeat N every file is imported N times by each program, the order turning round each time.
#include "files/tracefileimporter.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "support/bigotlp.h"

#include "core/pricing.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace agentops;

namespace {

long statusKb(const char *field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::size_t length = std::strlen(field);
    while (std::getline(status, line))
        if (line.compare(0, length, field) == 0)
            return std::stol(line.substr(length));
    return -1;
}

std::vector<std::string> split(const std::string &text)
{
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty())
            out.push_back(item);
    return out;
}

/// The child: imports one file into a new database and prints one line of figures.
int importOne(int argc, char **argv, const std::string &file, const std::string &database, bool search)
{
    QApplication app(argc, argv);
    store::SqliteStore::Options options; // the app's defaults
    options.search = search;
    store::SqliteStore store(database, options);
    store::IngestPipeline pipeline(store);
    pipeline.setPriceTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
    ui::TraceFileImporter importer(pipeline, nullptr, ui::TraceFileImporter::Dialogs::None);

    // How progress moved while the spans were stored: updates seen, and the share of the file read
    // when the first spans were committed.
    qint64 updates = 0, lastDone = -1, total = 0;
    double firstCommitAt = -1;
    QObject::connect(&importer, &ui::TraceFileImporter::progressChanged, [&](qint64 done, qint64 all) {
        total = all;
        if (done != lastDone)
            ++updates;
        lastDone = done;
        if (firstCommitAt < 0 && pipeline.counters().committed_spans > 0 && all > 0)
            firstCommitAt = double(done) / double(all);
    });
    int spans = -1;
    QString failure;
    QEventLoop loop;
    QObject::connect(&importer, &ui::TraceFileImporter::finished, &loop, [&](int n, const QStringList &) {
        spans = n;
        loop.quit();
    });
    QObject::connect(&importer, &ui::TraceFileImporter::failed, &loop, [&](const QString &message) {
        failure = message;
        loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    importer.importFiles({ QString::fromStdString(file) });
    loop.exec();
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (spans < 0) {
        std::printf("FAILED %s\n", failure.toUtf8().constData());
        return 1;
    }
    pipeline.stop();
    rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    const double cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf("RESULT %d %.2f %ld %lld %.3f %.2f\n", spans, seconds, statusKb("VmHWM:"),
        static_cast<long long>(updates), firstCommitAt, cpu);
    return 0;
}

struct Figures
{
    bool ok = false;
    std::string failure;
    int spans = 0;
    double seconds = 0;
    long peakKb = 0;
    long long updates = 0;
    double firstCommitAt = -1;
    double cpu = 0; ///< CPU seconds of the whole child, all threads
};

/// Runs `program --child file database search` and reads its figures.
Figures runChild(const std::string &program, const std::string &file, const std::string &database, bool search)
{
    Figures f;
    const std::string command
        = "'" + program + "' --child '" + file + "' '" + database + "' " + (search ? "1" : "0") + " 2>&1";
    FILE *pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        f.failure = "cannot start " + program;
        return f;
    }
    char line[4096];
    while (std::fgets(line, sizeof line, pipe)) {
        if (std::sscanf(line, "RESULT %d %lf %ld %lld %lf %lf", &f.spans, &f.seconds, &f.peakKb, &f.updates,
                &f.firstCommitAt, &f.cpu)
            == 6)
            f.ok = true;
        else if (std::strncmp(line, "FAILED", 6) == 0 || std::strstr(line, "terminate")
            || std::strstr(line, "bad_alloc"))
            f.failure += line;
    }
    const int status = ::pclose(pipe);
    if (!f.ok && f.failure.empty())
        f.failure = "exit status " + std::to_string(WEXITSTATUS(status)) + (WIFSIGNALED(status) ? " (killed)" : "");
    for (const char *suffix : { "", "-wal", "-shm", ".search", ".search-wal", ".search-shm" })
        std::filesystem::remove(database + suffix);
    return f;
}

/// Prints one import's figures; false when it failed.
bool print(const char *reader, const std::string &format, std::uint64_t bytes, const Figures &f)
{
    if (!f.ok) {
        std::printf(
            "  %-6s %-8s %8.0f MB  failed: %s\n", reader, format.c_str(), double(bytes) / 1e6, f.failure.c_str());
        return false;
    }
    std::printf("  %-6s %-5s %5.0f MB %8d spans %6.1f s %7.0f spans/s  CPU %5.1f s (%6.0f spans/CPU-s)  peak %5.0f MB "
                "(%4.1fx the file)  progress: %lld updates, %3.0f%% read at the first commit\n",
        reader, format.c_str(), double(bytes) / 1e6, f.spans, f.seconds, double(f.spans) / f.seconds, f.cpu,
        double(f.spans) / f.cpu, double(f.peakKb) / 1024.0, double(f.peakKb) * 1024.0 / double(bytes), f.updates,
        f.firstCommitAt < 0 ? 100.0 : f.firstCommitAt * 100.0);
    std::fflush(stdout);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 5 && std::strcmp(argv[1], "--child") == 0) {
        ::setenv("QT_QPA_PLATFORM", "offscreen", 0);
        return importOne(argc, argv, argv[2], argv[3], std::strcmp(argv[4], "1") == 0);
    }
    std::vector<std::string> sizes { "100000", "1000000" };
    std::vector<std::string> formats { "json", "pb" };
    std::string dir;
    bool old = true;
    bool search = false;
    std::vector<std::string> others;
    int repeat = 1;
    std::size_t valueChars = 24;
    std::size_t maxAttributes = 4;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--spans" && i + 1 < argc)
            sizes = split(argv[++i]);
        else if (arg == "--formats" && i + 1 < argc)
            formats = split(argv[++i]);
        else if (arg == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (arg == "--value-chars" && i + 1 < argc)
            valueChars = std::stoul(argv[++i]);
        else if (arg == "--attributes" && i + 1 < argc)
            maxAttributes = std::stoul(argv[++i]);
        else if (arg == "--search")
            search = true;
        else if (arg == "--no-old")
            old = false;
        else if (arg == "--other" && i + 1 < argc)
            others.push_back(std::filesystem::canonical(argv[++i]).string());
        else if (arg == "--repeat" && i + 1 < argc)
            repeat = std::max(1, std::stoi(argv[++i]));
        else {
            std::fprintf(stderr,
                "usage: %s [--spans 100000,1000000] [--formats json,pb] [--dir DIR] [--value-chars 24] [--attributes "
                "4] [--no-old] [--other PATH]... [--repeat N]\n",
                argv[0]);
            return 2;
        }
    }
    QTemporaryDir temp(dir.empty() ? QDir::tempPath() + QStringLiteral("/bench_import-XXXXXX")
                                   : QString::fromStdString(dir) + QStringLiteral("/bench_import-XXXXXX"));
    const std::string base = temp.path().toStdString();
    const std::string self = std::filesystem::canonical("/proc/self/exe").string();
    const std::string oldProgram = std::filesystem::path(self).parent_path() / "bench_import_old";
    old = old && std::filesystem::exists(oldProgram);

    const auto fixtures = std::filesystem::path(AGENTOPS_FIXTURES_DIR) / "frameworks";
    std::vector<std::string> paths;
    for (const auto &entry : std::filesystem::directory_iterator(fixtures))
        if (entry.path().string().ends_with(".otlp.json"))
            paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    const auto templ = bench::loadTemplate(paths, valueChars, maxAttributes);
    std::printf("import of one-trace OTLP files through File > Open's path (TraceFileImporter -> IngestPipeline -> "
                "SQLite, content search index %s); %zu template spans from %zu captured traces\n",
        search ? "on" : "off", templ.spans.size(), paths.size());
    // The programs that import each file: this one, the old reader's, the other builds'.
    std::vector<std::pair<std::string, std::string>> programs { { "new", self } };
    if (old)
        programs.emplace_back("old", oldProgram);
    for (std::size_t i = 0; i < others.size(); ++i) {
        programs.emplace_back("other" + std::to_string(i + 1), others[i]);
        std::printf("other%zu = %s\n", i + 1, others[i].c_str());
    }

    bool allOk = true;
    for (const auto &size : sizes) {
        const std::size_t count = std::stoul(size);
        for (const auto &format : formats) {
            const std::string file = (base + "/trace-").append(size).append(format == "pb" ? ".pb" : ".json");
            QElapsedTimer timer;
            timer.start();
            const std::uint64_t bytes = format == "pb" ? bench::writeBigOtlpProtobuf(file, templ, count)
                                                       : bench::writeBigOtlpJson(file, templ, count);
            std::printf("%zu spans, %s: %.0f MB (%.0f bytes/span), written in %.1f s\n", count, format.c_str(),
                double(bytes) / 1e6, double(bytes) / double(count), double(timer.nsecsElapsed()) / 1e9);
            std::fflush(stdout);
            for (int round = 0; round < repeat; ++round) {
                for (std::size_t k = 0; k < programs.size(); ++k) {
                    const auto &[label, program] = programs[(k + std::size_t(round)) % programs.size()];
                    allOk = print(label.c_str(), format, bytes,
                                runChild(program, file, (base + "/").append(label).append(".db"), search))
                        && allOk;
                }
            }
            std::filesystem::remove(file);
        }
    }
    return allOk ? 0 : 1;
}
