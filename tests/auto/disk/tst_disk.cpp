// SPDX-License-Identifier: MIT
#include "server/apiserver.h"
#include "server/diskmonitor.h"
#include "server/log.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"
#include "store/storagesize.h"
#include "support/httptestclient.h"
#include "support/serverprocess.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <thread>

using namespace agentops;

namespace {

/// The request lines of a captured framework run (one OTLP/JSON export request each).
std::vector<std::string> fixtureRequests(const char *scenario)
{
    std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

/// A gauge of a /metrics page; -1 when it is not there.
double gauge(const std::string &page, const char *name)
{
    // The pattern holds the gauge's name: no one expression serves every call.
    const auto m = QRegularExpression( // clazy:exclude=use-static-qregularexpression
        QStringLiteral("\n%1 ([0-9.e+]+)\n").arg(QLatin1String(name)))
                       .match(QString::fromStdString(page));
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

std::uint64_t fileSize(const QString &path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

/// Every file of the directory whose name starts with traces.db (database, WAL, shared memory,
/// search index and its WAL), by stat.
std::uint64_t databaseFiles(const QString &dir)
{
    std::uint64_t total = 0;
    for (const QString &name : QDir(dir).entryList({ QStringLiteral("traces.db*") }, QDir::Files))
        total += fileSize(QDir(dir).filePath(name));
    return total;
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class TestDisk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void metricsReportRealSizesAndLowDisk();
    void monitorWarnsOnceAndClears();
    void fullDatabaseRefusesRetryablyAndKeepsWhatIsStored();
};

void TestDisk::metricsReportRealSizesAndLowDisk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(QStringLiteral("traces.db"));
    for (const bool low : { true, false }) {
        QProcess server;
        QByteArray printed; // what the server said before it listened: the warning may come first
        // Above any real free space, then below it: the flag follows.
        const int port = test::startServerProcess(server,
            { QStringLiteral("--auth"), QStringLiteral("none"), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--database"), db, QStringLiteral("--disk-low"),
                low ? QStringLiteral("1000TiB") : QStringLiteral("1B") },
            20000, "http", &printed);
        QVERIFY(port > 0);
        test::HttpClient client("127.0.0.1", port);
        for (const auto &line : fixtureRequests("adk-js")) {
            const auto res = client.post("/v1/traces", line, "application/json");
            QVERIFY(res);
            QCOMPARE(res->status, 200);
        }
        // The files settle once the search index caught up: the gauge equals their sizes by stat
        // when nothing changed between two looks around the scrape.
        bool matched = false;
        std::string page;
        for (int attempt = 0; attempt < 100 && !matched; ++attempt) {
            const std::uint64_t before = databaseFiles(dir.path());
            const auto metrics = client.get("/metrics");
            QVERIFY(metrics);
            page = metrics->body;
            const std::uint64_t after = databaseFiles(dir.path());
            matched = before == after && gauge(page, "agentops_database_bytes") == static_cast<double>(after);
            if (!matched)
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        QVERIFY2(matched, page.c_str());
        QVERIFY(databaseFiles(dir.path()) > 0);
        // Free disk as statvfs tells it now (others write to this disk too: within 64 MiB).
        const auto disk = store::diskSpace(db.toStdString());
        QVERIFY(disk);
        const double free = gauge(page, "agentops_disk_free_bytes");
        QVERIFY2(std::abs(free - static_cast<double>(disk->free_bytes)) < 64.0 * 1024 * 1024, page.c_str());
        QCOMPARE(gauge(page, "agentops_disk_size_bytes"), static_cast<double>(disk->total_bytes));
        QCOMPARE(gauge(page, "agentops_disk_low"), low ? 1.0 : 0.0);
        QCOMPARE(gauge(page, "agentops_disk_low_threshold_bytes"), low ? 1000.0 * (1ull << 40) : 1.0);

        server.terminate();
        QVERIFY(server.waitForFinished(20000));
        const QString out = QString::fromUtf8(printed + server.readAll());
        // Warned once, however many scrapes looked, and only when low.
        QCOMPARE(out.count(QStringLiteral("disk space is low")), low ? 1 : 0);
    }
}

void TestDisk::monitorWarnsOnceAndClears()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString logPath = dir.filePath(QStringLiteral("server.log"));
    std::FILE *file = std::fopen(QFile::encodeName(logPath).constData(), "w");
    QVERIFY(file);
    {
        server::Log log(server::Log::Format::Json, file);
        const auto disk = store::diskSpace(dir.path().toStdString());
        QVERIFY(disk);
        // The threshold set above the real free space, then below it.
        server::DiskMonitor monitor(dir.path().toStdString(), { disk->free_bytes * 2 + (1ull << 30), 0 }, log);
        auto s = monitor.check();
        QVERIFY(s.low);
        QVERIFY(s.disk);
        QVERIFY(monitor.check().low);
        monitor.setThreshold({ 1, 0 });
        s = monitor.check();
        QVERIFY(!s.low);
        QCOMPARE(s.threshold_bytes, std::uint64_t(1));
        QVERIFY(!monitor.check().low);
        // A share of the disk: 99.9 % of it is more than is free on any disk in use.
        monitor.setThreshold({ 0, 99.9 });
        QVERIFY(monitor.check().low);
        std::fflush(file);
    }
    std::fclose(file);
    const QStringList lines = readAll(logPath).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines[0].contains(QStringLiteral("\"level\":\"warn\""))
            && lines[0].contains(QStringLiteral("disk space is low"))
            && lines[0].contains(QStringLiteral("\"free_bytes\":")),
        qPrintable(lines[0]));
    QVERIFY2(lines[1].contains(QStringLiteral("disk space is no longer low")), qPrintable(lines[1]));
    QVERIFY(lines[2].contains(QStringLiteral("disk space is low")));
}

void TestDisk::fullDatabaseRefusesRetryablyAndKeepsWhatIsStored()
{
    // A full disk as SQLite meets it: PRAGMA max_page_count makes every write that would grow the
    // database fail with SQLITE_FULL, the error a full filesystem gives (ENOSPC), on the same path.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("traces.db")).toStdString();
    std::FILE *logFile = std::fopen(dir.filePath(QStringLiteral("server.log")).toLocal8Bit().constData(), "w");
    server::Log log(server::Log::Format::Text, logFile);
    auto serve = [&](std::int64_t maxPages, const std::function<void(test::HttpClient &)> &body) {
        store::SqliteStore::Options options;
        options.max_page_count = maxPages;
        options.search = false; // the index has its own file; only the database is filled here
        store::SqliteStore st(path, options);
        store::IngestPipeline pipeline(st);
        server::ServerConfig config;
        config.host = "127.0.0.1";
        config.port = 0;
        server::ApiServer api(st, pipeline, config, log);
        std::string error;
        QVERIFY2(api.bind(error), error.c_str());
        std::thread thread([&api] { api.run(); });
        test::HttpClient client("127.0.0.1", api.port());
        body(client);
        api.stop();
        thread.join();
        pipeline.stop();
    };
    const auto adk = fixtureRequests("adk-js");
    const auto vercel = fixtureRequests("vercel-ai");
    // Every stored trace, whole, as the API gives it.
    std::map<std::string, std::string> before;
    auto stored = [](test::HttpClient &client) {
        std::map<std::string, std::string> out;
        const auto list = nlohmann::json::parse(client.get("/api/v1/traces?limit=1000")->body);
        for (const auto &t : list["traces"]) {
            const std::string id = t["trace_id"];
            out[id] = client.get("/api/v1/traces/" + id)->body;
        }
        return out;
    };
    serve(0, [&](test::HttpClient &client) {
        for (const auto &line : adk)
            QCOMPARE(client.post("/v1/traces", line, "application/json")->status, 200);
        before = stored(client);
    });
    QVERIFY(!before.empty());
    // The database as it is now, and not a page more.
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt *pageCount = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &pageCount, nullptr);
    QCOMPARE(sqlite3_step(pageCount), SQLITE_ROW);
    const std::int64_t pages = sqlite3_column_int64(pageCount, 0);
    sqlite3_finalize(pageCount);
    sqlite3_close(db);
    int refused = 0;
    serve(pages, [&](test::HttpClient &client) {
        for (const auto &line : vercel) {
            const auto res = client.post("/v1/traces", line, "application/json");
            QVERIFY(res);
            if (res->status == 200)
                continue;
            ++refused;
            // Retryable, as OTLP exporters understand it, and saying why.
            QCOMPARE(res->status, 503);
            QVERIFY(!res->header("Retry-After").empty());
            QVERIFY2(res->body.find("full") != std::string::npos, res->body.c_str());
        }
        // What was stored before is all there, whole, and the server still answers.
        const auto now = stored(client);
        for (const auto &[id, detail] : before) {
            QVERIFY(now.count(id));
            QCOMPARE(QString::fromStdString(now.at(id)), QString::fromStdString(detail));
        }
        QCOMPARE(client.get("/readyz")->status, 200);
    });
    QVERIFY(refused > 0);
    // Space again: the exporter's retry of the same requests is stored, whole.
    serve(0, [&](test::HttpClient &client) {
        for (const auto &line : vercel)
            QCOMPARE(client.post("/v1/traces", line, "application/json")->status, 200);
        const auto after = stored(client);
        QVERIFY(after.size() > before.size());
        for (const auto &[id, detail] : before)
            QCOMPARE(QString::fromStdString(after.at(id)), QString::fromStdString(detail));
    });
    std::fclose(logFile);
}

QTEST_GUILESS_MAIN(TestDisk)
#include "tst_disk.moc"
