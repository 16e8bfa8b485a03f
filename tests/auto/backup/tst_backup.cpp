// SPDX-License-Identifier: MIT
// Backup and restore as an operator runs them: a real agentops-server ingesting over loopback HTTP
// while `agentops-server backup` copies its SQLite files, then `restore` and a server on the copy.
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "store/backup.h"
#include "support/httptestclient.h"
#include "support/pgserver.h"
#include "support/serverprocess.h"

#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <archive.h>
#include <archive_entry.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace agentops;
using Clock = std::chrono::steady_clock;

namespace {

/// OTLP/JSON with `count` one-span traces, ids `prefix` + a counter (from 1: an id of zeros is
/// invalid), each with a 2 KB prompt.
std::string otlpBody(const std::string &prefix, int first, int count, std::vector<std::string> &ids)
{
    static const std::string prompt(2000, 'p');
    std::string spans;
    for (int i = first + 1; i <= first + count; ++i) {
        char hex[17];
        std::snprintf(hex, sizeof hex, "%016x", i);
        const std::string id = prefix + hex;
        ids.push_back(id);
        if (!spans.empty())
            spans += ',';
        spans.append("{\"traceId\":\"")
            .append(id)
            .append("\",\"spanId\":\"")
            .append(hex)
            .append("\",\"name\":\"step\",\"kind\":1,\"startTimeUnixNano\":\"1764086400000000000\","
                    "\"endTimeUnixNano\":\"1764086401000000000\",\"attributes\":[{\"key\":\"input.value\","
                    "\"value\":{\"stringValue\":\"")
            .append(prompt)
            .append("\"}}]}");
    }
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{"
           "\"stringValue\":\"backup-test\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"t\"},\"spans\":["
        + spans + "]}]}]}";
}

/// The trace ids stored in a trace database, as hex.
std::set<std::string> storedTraceIds(const QString &file)
{
    std::set<std::string> out;
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(file.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT lower(hex(trace_id)) FROM traces", -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW)
                out.insert(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
}

/// One entry of a hand-made archive: a file with data, or a symbolic link to `link`.
struct Entry
{
    std::string name;
    std::string data;
    std::string link;
};

/// Writes a tar archive of the entries, in order, as an attacker or a broken tool might.
bool writeTar(const QString &path, const std::vector<Entry> &entries)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    bool ok = archive_write_open_filename(a, path.toUtf8().constData()) == ARCHIVE_OK;
    for (const auto &e : entries) {
        archive_entry *entry = archive_entry_new();
        archive_entry_set_pathname(entry, e.name.c_str());
        archive_entry_set_perm(entry, 0600);
        if (e.link.empty()) {
            archive_entry_set_filetype(entry, AE_IFREG);
            archive_entry_set_size(entry, static_cast<la_int64_t>(e.data.size()));
        } else {
            archive_entry_set_filetype(entry, AE_IFLNK);
            archive_entry_set_symlink(entry, e.link.c_str());
        }
        ok = ok && archive_write_header(a, entry) == ARCHIVE_OK
            && (e.data.empty() || archive_write_data(a, e.data.data(), e.data.size()) == la_ssize_t(e.data.size()));
        archive_entry_free(entry);
    }
    ok = archive_write_close(a) == ARCHIVE_OK && ok;
    archive_write_free(a);
    return ok;
}

std::string manifest(const std::string &files, int version = 1)
{
    return "{\"format\":\"agentops-monitor-backup\",\"version\":" + std::to_string(version) + ",\"files\":[" + files
        + "]}";
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

private:
    int cli(const QString &dataDir, const QStringList &args, QByteArray &out)
    {
        return test::runServerCommand(dataDir, args, out);
    }

    /// A team data directory with project "demo"; its ingest key.
    std::string makeTeam(const QString &dir)
    {
        QByteArray out;
        if (cli(dir, { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("demo") }, out) != 0)
            return {};
        cli(dir, { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("demo") }, out);
        return test::apiKeyIn(out).toStdString();
    }

    int startTeamServer(
        QProcess &server, const QString &dir, const QStringList &extra = {}, QByteArray *printed = nullptr)
    {
        return test::startServerProcess(server,
            QStringList { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"), dir,
                QStringLiteral("--rate-limit-key"), QStringLiteral("0"), QStringLiteral("--rate-limit-client"),
                QStringLiteral("0") }
                + extra,
            30000, "https?", printed);
    }

    void stop(QProcess &server)
    {
        ::kill(static_cast<pid_t>(server.processId()), SIGTERM);
        QVERIFY(server.waitForFinished(30000));
        QCOMPARE(server.exitCode(), 0);
    }

private Q_SLOTS:
    void backupWhileIngestingHoldsEveryAcknowledgedTrace()
    {
        QTemporaryDir dir;
        const std::string key = makeTeam(dir.path());
        QVERIFY(!key.empty());
        QProcess server;
        const int port = startTeamServer(server, dir.path());
        QVERIFY(port > 0);
        const test::HttpClient::Headers auth { { "Authorization", "Bearer " + key } };

        // ~30 MB of traces first, so that the copy takes long enough for ingest to go on meanwhile.
        std::vector<std::string> before;
        {
            test::HttpClient client("127.0.0.1", port);
            for (int r = 0; r < 60; ++r) {
                const auto res = client.post(
                    "/v1/traces", auth, otlpBody("aa000000aa000000", r * 250, 250, before), "application/json");
                QVERIFY(res);
                QCOMPARE(res->status, 200);
            }
        }

        // Ingest goes on from another thread: each acknowledged request's ids, and when it was answered.
        struct Ack
        {
            Clock::time_point at;
            std::vector<std::string> ids;
            double seconds = 0;
        };
        std::mutex mutex;
        std::vector<Ack> acks;
        std::atomic<bool> running { true };
        std::atomic<int> failures { 0 };
        std::string firstFailure;
        std::thread ingest([&] {
            test::HttpClient client("127.0.0.1", port);
            for (int r = 0; running; ++r) {
                Ack ack;
                const std::string body = otlpBody("bb000000bb000000", r * 20, 20, ack.ids);
                const auto sent = Clock::now();
                const auto res = client.post("/v1/traces", auth, body, "application/json");
                ack.at = Clock::now();
                ack.seconds = std::chrono::duration<double>(ack.at - sent).count();
                if (!res || res->status != 200) {
                    if (failures++ == 0)
                        firstFailure = res ? std::to_string(res->status) + " " + res->body : res.error();
                    continue;
                }
                std::lock_guard lock(mutex);
                acks.push_back(std::move(ack));
            }
        });
        QTest::qWait(300);

        const QString archive = dir.filePath(QStringLiteral("copy.tar"));
        QProcess backup;
        backup.setProcessChannelMode(QProcess::MergedChannels);
        const auto started = Clock::now();
        backup.start(QStringLiteral(AGENTOPS_SERVER_BINARY),
            { QStringLiteral("backup"), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--to"), archive });
        QVERIFY(backup.waitForFinished(120000));
        const auto finished = Clock::now();
        const QByteArray said = backup.readAll();
        QVERIFY2(backup.exitCode() == 0, said.constData());
        QTest::qWait(300);
        running = false;
        ingest.join();
        stop(server);
        QVERIFY2(failures == 0, firstFailure.c_str());

        std::set<std::string> mustHave(before.begin(), before.end());
        int duringBackup = 0;
        double slowest = 0;
        for (const auto &ack : acks) {
            if (ack.at < started)
                mustHave.insert(ack.ids.begin(), ack.ids.end());
            else if (ack.at <= finished) {
                ++duringBackup;
                slowest = std::max(slowest, ack.seconds);
            }
        }
        qInfo("backup took %.2f s; %d ingest requests acknowledged meanwhile, the slowest in %.3f s",
            std::chrono::duration<double>(finished - started).count(), duringBackup, slowest);
        QVERIFY2(duringBackup > 0, "ingest went on while the backup ran");

        // Restored into a new directory, the copy holds every trace acknowledged before it began.
        QTemporaryDir restored;
        QByteArray out;
        QVERIFY(QDir(restored.path()).removeRecursively());
        QCOMPARE(cli(restored.path(), { QStringLiteral("restore"), QStringLiteral("--from"), archive }, out), 0);
        QVERIFY2(QFile::exists(restored.filePath(QStringLiteral("agentops.db"))), out.constData());
        const auto stored = storedTraceIds(restored.filePath(QStringLiteral("projects/1.db")));
        std::size_t missing = 0;
        for (const auto &id : mustHave)
            missing += stored.count(id) ? 0 : 1;
        QCOMPARE(missing, std::size_t(0));
        QVERIFY(stored.size() >= mustHave.size());

        // A server on the restored directory knows the project and the key, and serves the traces.
        QProcess again;
        const int againPort = startTeamServer(again, restored.path());
        QVERIFY(againPort > 0);
        test::HttpClient client("127.0.0.1", againPort);
        const auto trace = client.get("/api/v1/traces/" + before.front(), auth);
        QVERIFY(trace);
        QCOMPARE(trace->status, 200);
        QVERIFY(trace->body.find("backup-test") != std::string::npos);
        stop(again);
    }

    void restoreRefusesWhileAServerUsesTheDirectory()
    {
        QTemporaryDir dir;
        QVERIFY(!makeTeam(dir.path()).empty());
        QByteArray out;
        const QString archive = dir.filePath(QStringLiteral("b.tar"));
        QCOMPARE(cli(dir.path(), { QStringLiteral("backup"), QStringLiteral("--to"), archive }, out), 0);
        // It holds prompts and key hashes: the owner's alone, whatever the umask.
        QCOMPARE(QFileInfo(archive).permissions()
                & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser),
            QFile::Permissions());
        QProcess server;
        QVERIFY(startTeamServer(server, dir.path()) > 0);
        QCOMPARE(cli(dir.path(), { QStringLiteral("restore"), QStringLiteral("--from"), archive }, out), 1);
        const QByteArray refusal = "is using " + dir.path().toUtf8() + ": stop it first";
        QVERIFY2(out.contains(refusal), out.constData());
        stop(server);
        // Stopped, the same restore goes through, and keeps the former content beside the directory.
        QCOMPARE(cli(dir.path(), { QStringLiteral("restore"), QStringLiteral("--from"), archive }, out), 0);
        static const QRegularExpression keptAside(QStringLiteral("is in (\\S+)"));
        const auto previous = keptAside.match(QString::fromUtf8(out));
        QVERIFY2(previous.hasMatch(), out.constData());
        QVERIFY(QFile::exists(previous.captured(1) + QStringLiteral("/agentops.db")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("b.tar")))); // other files are carried over
        QVERIFY(QDir(previous.captured(1)).removeRecursively());
    }

    void restoredFilesKeepTheDirectorysOwner()
    {
        // A restore run as root for a service's data directory (owned by the service's user) must
        // leave databases the service can write.
        QTemporaryDir dir;
        QVERIFY(!makeTeam(dir.path()).empty());
        QByteArray out;
        QTemporaryDir elsewhere;
        const QString archive = elsewhere.filePath(QStringLiteral("b.tar"));
        QCOMPARE(cli(dir.path(), { QStringLiteral("backup"), QStringLiteral("--to"), archive }, out), 0);
        const uid_t owner = ::geteuid() == 0 ? 65534 : ::geteuid(); // root: hand it to nobody
        QCOMPARE(::chown(dir.path().toUtf8().constData(), owner, owner), 0);
        QCOMPARE(::chmod(dir.path().toUtf8().constData(), 0750), 0);
        QCOMPARE(cli(dir.path(), { QStringLiteral("restore"), QStringLiteral("--from"), archive }, out), 0);
        for (const auto &name : { "", "agentops.db" }) {
            struct stat st
            {
            };
            QCOMPARE(::stat(dir.filePath(QString::fromLatin1(name)).toUtf8().constData(), &st), 0);
            QCOMPARE(st.st_uid, owner);
        }
        struct stat st
        {
        };
        QCOMPARE(::stat(dir.path().toUtf8().constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, mode_t(0750));
        static const QRegularExpression keptAside(QStringLiteral("is in (\\S+)"));
        const auto previous = keptAside.match(QString::fromUtf8(out));
        QVERIFY2(previous.hasMatch(), out.constData());
        QVERIFY(QDir(previous.captured(1)).removeRecursively());
    }

    void restoreThroughASymbolicLinkReplacesTheDirectory()
    {
        // systemd's StateDirectory with DynamicUser: /var/lib/NAME is a link to /var/lib/private/NAME.
        QTemporaryDir base;
        const QString real = base.filePath(QStringLiteral("private/agentops"));
        QVERIFY(QDir().mkpath(real));
        const QString link = base.filePath(QStringLiteral("agentops"));
        QVERIFY(QFile::link(QStringLiteral("private/agentops"), link));
        QVERIFY(!makeTeam(link).empty());
        QByteArray out;
        const QString archive = base.filePath(QStringLiteral("b.tar"));
        QCOMPARE(cli(link, { QStringLiteral("backup"), QStringLiteral("--to"), archive }, out), 0);
        QCOMPARE(cli(link, { QStringLiteral("restore"), QStringLiteral("--from"), archive }, out), 0);
        QVERIFY(QFileInfo(link).isSymLink());
        QVERIFY(QFile::exists(real + QStringLiteral("/agentops.db")));
        QVERIFY2(
            out.contains(base.filePath(QStringLiteral("private/agentops.before-restore-")).toUtf8()), out.constData());
    }

    void restoreRefusesWhatIsNotAGoodBackup()
    {
        QTemporaryDir dir;
        QVERIFY(!makeTeam(dir.path()).empty());
        const QStringList before = filesIn(dir.path());
        QByteArray out;
        auto restore = [&](const QString &file) {
            return cli(dir.path(), { QStringLiteral("restore"), QStringLiteral("--from"), file }, out);
        };
        auto write = [&](const QString &name, const QByteArray &bytes) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(bytes);
            return f.fileName();
        };
        // Not an archive at all.
        QCOMPARE(restore(write(QStringLiteral("notes.txt"), "just some text\n")), 1);
        QVERIFY2(out.contains("is not an AgentOps Monitor backup (not a tar archive"), out.constData());
        // A tar archive, but not a backup.
        QProcess tar;
        tar.setWorkingDirectory(dir.path());
        tar.start(
            QStringLiteral("tar"), { QStringLiteral("cf"), QStringLiteral("other.tar"), QStringLiteral("notes.txt") });
        QVERIFY(tar.waitForFinished());
        QCOMPARE(restore(dir.filePath(QStringLiteral("other.tar"))), 1);
        QVERIFY2(out.contains("does not begin with agentops-backup.json"), out.constData());
        // A missing file.
        QCOMPARE(restore(dir.filePath(QStringLiteral("nothing.tar"))), 1);
        QVERIFY2(out.contains("cannot read"), out.constData());

        // A real backup, cut short, and one whose database was damaged inside the archive.
        const QString good = dir.filePath(QStringLiteral("good.tar"));
        QCOMPARE(cli(dir.path(), { QStringLiteral("backup"), QStringLiteral("--to"), good }, out), 0);
        QFile f(good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        f.close();
        QCOMPARE(restore(write(QStringLiteral("cut.tar"), bytes.left(bytes.size() / 2))), 1);
        QVERIFY2(out.contains("damaged backup"), out.constData());
        // The account database is the second entry: overwrite a page in its middle.
        QByteArray damaged = bytes;
        const int db = damaged.indexOf("SQLite format 3");
        QVERIFY(db > 0);
        for (int i = db + 20000; i < db + 40000; ++i)
            damaged[i] = static_cast<char>(0x5a);
        QCOMPARE(restore(write(QStringLiteral("damaged.tar"), damaged)), 1);
        QVERIFY2(out.contains("fails SQLite's integrity check") || out.contains("is not a database")
                || out.contains("malformed"),
            out.constData());

        // Nothing changed: the same files, no staging directory left beside the data directory.
        QStringList after = filesIn(dir.path());
        for (const auto &added : { "notes.txt", "other.tar", "good.tar", "cut.tar", "damaged.tar", "agentops.lock" })
            after.removeAll(QString::fromLatin1(added));
        QCOMPARE(after, before);
        const QStringList siblings
            = QDir(QFileInfo(dir.path()).path())
                  .entryList({ QLatin1Char('.') + QFileInfo(dir.path()).fileName() + QLatin1Char('*') },
                      QDir::Dirs | QDir::Hidden);
        QVERIFY2(siblings.isEmpty(), qPrintable(siblings.join(QLatin1Char(' '))));
    }

    void restoreRefusesCraftedArchives_data()
    {
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("withDatabase"); // the archive also holds a valid traces.db
        QTest::addColumn<QString>("manifestFiles");
        QTest::addColumn<QString>("extraName");
        QTest::addColumn<QString>("extraLink");
        QTest::newRow("a name that climbs out")
            << QStringLiteral("is not an AgentOps Monitor backup (its manifest names ../evil.db)") << true
            << QStringLiteral("\"traces.db\",\"../evil.db\"") << QStringLiteral("../evil.db") << QString();
        QTest::newRow("an absolute name") << QStringLiteral("(its manifest names /etc/evil.db)") << true
                                          << QStringLiteral("\"/etc/evil.db\"") << QString() << QString();
        QTest::newRow("an entry the manifest does not name")
            << QStringLiteral("damaged backup") << true << QStringLiteral("\"traces.db\"") << QStringLiteral("other.db")
            << QString();
        QTest::newRow("a symbolic link for a database")
            << QStringLiteral("unexpected entry 'projects/1.db'") << true
            << QStringLiteral("\"traces.db\",\"projects/1.db\"") << QStringLiteral("projects/1.db")
            << QStringLiteral("/etc/passwd");
        QTest::newRow("a database missing")
            << QStringLiteral("databases named in its manifest are missing") << true
            << QStringLiteral("\"traces.db\",\"agentops.db\"") << QString() << QString();
        QTest::newRow("no database at all")
            << QStringLiteral("(its manifest names no database)") << false << QString() << QString() << QString();
    }

    void restoreRefusesCraftedArchives()
    {
        QFETCH(QString, message);
        QFETCH(bool, withDatabase);
        QFETCH(QString, manifestFiles);
        QFETCH(QString, extraName);
        QFETCH(QString, extraLink);
        QTemporaryDir dir;
        QVERIFY(!makeTeam(dir.path()).empty());
        const QStringList before = filesIn(dir.path());
        // A real database to go with the crafted parts.
        QByteArray out;
        const QString real = dir.filePath(QStringLiteral("real.tar"));
        QCOMPARE(cli(dir.path(), { QStringLiteral("backup"), QStringLiteral("--to"), real }, out), 0);
        QFile db(dir.filePath(QStringLiteral("agentops.db")));
        QVERIFY(db.open(QIODevice::ReadOnly));
        const std::string database = db.readAll().toStdString();
        std::vector<Entry> entries { { "agentops-backup.json", manifest(manifestFiles.toStdString()), {} } };
        if (withDatabase)
            entries.push_back({ "traces.db", database, {} });
        if (!extraName.isEmpty())
            entries.push_back(
                { extraName.toStdString(), extraLink.isEmpty() ? database : std::string(), extraLink.toStdString() });
        const QString crafted = dir.filePath(QStringLiteral("crafted.tar"));
        QVERIFY(writeTar(crafted, entries));
        QCOMPARE(cli(dir.path(), { QStringLiteral("restore"), QStringLiteral("--from"), crafted }, out), 1);
        QVERIFY2(out.contains(message.toUtf8()), out.constData());
        QVERIFY(!QFile::exists(QFileInfo(dir.path()).path() + QStringLiteral("/evil.db")));
        QStringList after = filesIn(dir.path());
        for (const auto &added : { "real.tar", "crafted.tar", "agentops.lock" })
            after.removeAll(QString::fromLatin1(added));
        QCOMPARE(after, before);
    }

    void restoreRefusesANewerFormat()
    {
        QTemporaryDir dir;
        const QString crafted = dir.filePath(QStringLiteral("future.tar"));
        QVERIFY(writeTar(crafted, { { "agentops-backup.json", manifest("\"traces.db\"", 2), {} } }));
        QByteArray out;
        QCOMPARE(cli(dir.filePath(QStringLiteral("data")),
                     { QStringLiteral("restore"), QStringLiteral("--from"), crafted }, out),
            1);
        QVERIFY2(out.contains("was written by a newer version (backup format 2); restore it with that version"),
            out.constData());
    }

    void backupThatCannotBeWrittenLeavesNothing()
    {
        QTemporaryDir dir;
        QVERIFY(!makeTeam(dir.path()).empty());
        QByteArray out;
        // A directory that does not exist.
        QCOMPARE(cli(dir.path(),
                     { QStringLiteral("backup"), QStringLiteral("--to"), QStringLiteral("/nonexistent/x.tar") }, out),
            1);
        QVERIFY2(out.contains("cannot write in /nonexistent"), out.constData());
        // A target that runs out of room half-way (a file size limit the size of a few pages; the
        // signal it raises is ignored, so the write fails as on a full disk).
        QTemporaryDir target;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral("sh"),
            { QStringLiteral("-c"),
                QStringLiteral("trap '' XFSZ; ulimit -f 40; exec \"$0\" backup --data-dir \"$1\" --to \"$2\""),
                QStringLiteral(AGENTOPS_SERVER_BINARY), dir.path(), target.filePath(QStringLiteral("b.tar")) });
        QVERIFY(p.waitForFinished(30000));
        out = p.readAll();
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(out.contains("agentops-server backup: "), out.constData());
        QCOMPARE(filesIn(target.path()), QStringList());
        // An existing backup of that name is left as it was.
        QFile old(target.filePath(QStringLiteral("b.tar")));
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("previous");
        old.close();
        p.start(QStringLiteral("sh"),
            { QStringLiteral("-c"),
                QStringLiteral("trap '' XFSZ; ulimit -f 40; exec \"$0\" backup --data-dir \"$1\" --to \"$2\""),
                QStringLiteral(AGENTOPS_SERVER_BINARY), dir.path(), old.fileName() });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 1);
        QCOMPARE(filesIn(target.path()), QStringList { QStringLiteral("b.tar") });
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), QByteArray("previous"));
    }

    void scheduledBackupsKeepTheNewestN()
    {
        QTemporaryDir dir;
        const std::string key = makeTeam(dir.path());
        QVERIFY(!key.empty());
        // Three backups from days ago: the next one is due at once, and afterwards two are kept.
        const QString backups = dir.filePath(QStringLiteral("backups"));
        QVERIFY(QDir().mkpath(backups));
        const QStringList old { QStringLiteral("agentops-backup-20240101-000000.tar"),
            QStringLiteral("agentops-backup-20240102-000000.tar"),
            QStringLiteral("agentops-backup-20240103-000000.tar") };
        for (const auto &name : old) {
            QFile f(QDir(backups).filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("old");
            f.flush();
            QVERIFY(f.setFileTime(QDateTime::currentDateTime().addDays(-3), QFileDevice::FileModificationTime));
        }
        QFile unrelated(QDir(backups).filePath(QStringLiteral("notes.tar")));
        QVERIFY(unrelated.open(QIODevice::WriteOnly));
        unrelated.close();

        QProcess server;
        QByteArray log;
        const int port = startTeamServer(server, dir.path(),
            { QStringLiteral("--backup-dir"), backups, QStringLiteral("--backup-every"), QStringLiteral("1h"),
                QStringLiteral("--backup-keep"), QStringLiteral("2") },
            &log);
        QVERIFY(port > 0);
        QTRY_VERIFY2_WITH_TIMEOUT((log += server.readAll()).contains("backup written"), log.constData(), 30000);
        {
            // What an alert on backups reads.
            test::HttpClient client("127.0.0.1", port);
            const auto metrics = client.get("/metrics");
            QVERIFY(metrics);
            static const QRegularExpression lastSuccess(
                QStringLiteral("\nagentops_backup_last_success_timestamp_seconds (\\d+)"));
            const auto last = lastSuccess.match(QString::fromStdString(metrics->body));
            QVERIFY2(last.hasMatch(), metrics->body.c_str());
            QVERIFY(std::abs(last.captured(1).toLongLong() - QDateTime::currentSecsSinceEpoch()) < 60);
            QVERIFY(metrics->body.find("\nagentops_backup_errors 0\n") != std::string::npos);
        }
        stop(server);
        const QStringList left = QDir(backups).entryList(QDir::Files, QDir::Name);
        QCOMPARE(left.size(), 3);
        QCOMPARE(left.at(0), old.at(2));
        QVERIFY(left.at(1).startsWith(QStringLiteral("agentops-backup-2")) && left.at(1) != old.at(2));
        QCOMPARE(left.at(2), QStringLiteral("notes.tar"));

        // The new one restores to a server that knows the project and its key.
        QTemporaryDir restored;
        QVERIFY(QDir(restored.path()).removeRecursively());
        QByteArray out;
        QCOMPARE(cli(restored.path(),
                     { QStringLiteral("restore"), QStringLiteral("--from"), QDir(backups).filePath(left.at(1)) }, out),
            0);
        QProcess again;
        const int againPort = startTeamServer(again, restored.path());
        QVERIFY(againPort > 0);
        test::HttpClient client("127.0.0.1", againPort);
        const auto me = client.get("/api/v1/me", { { "Authorization", "Bearer " + key } });
        QVERIFY(me);
        QCOMPARE(me->status, 200);
        stop(again);
    }

    void postgresRoundTripWithPgDumpAndPgRestore()
    {
        // What docs/postgresql.md tells an operator to do: pg_dump the server's database, restore it
        // into a new database with pg_restore, point a server at that, and read the same answers.
        std::unique_ptr<test::PgServer> pg;
        try {
            pg = std::make_unique<test::PgServer>();
        } catch (const std::exception &e) {
            QFAIL(e.what());
        }
        const auto url = [&](const QString &db) { return QString::fromStdString(pg->url(db.toStdString())); };
        QTemporaryDir dir;
        QByteArray out;
        const QStringList original { QStringLiteral("--database"), url(QStringLiteral("postgres")) };
        QCOMPARE(
            cli(dir.path(),
                QStringList { QStringLiteral("project"), QStringLiteral("create"), QStringLiteral("pg") } + original,
                out),
            0);
        QCOMPARE(
            cli(dir.path(),
                QStringList { QStringLiteral("key"), QStringLiteral("create"), QStringLiteral("pg") } + original, out),
            0);
        const std::string key = test::apiKeyIn(out).toStdString();
        QVERIFY2(!key.empty(), out.constData());
        const test::HttpClient::Headers auth { { "Authorization", "Bearer " + key } };

        // Ingest, and the answers the server gives about what it stored.
        std::vector<std::string> ids;
        std::vector<std::string> before;
        {
            QProcess server;
            const int port = startTeamServer(server, dir.path(), original);
            QVERIFY(port > 0);
            test::HttpClient client("127.0.0.1", port);
            for (int r = 0; r < 3; ++r) {
                const auto res = client.post(
                    "/v1/traces", auth, otlpBody("cc000000cc000000", r * 20, 20, ids), "application/json");
                QVERIFY(res);
                QCOMPARE(res->status, 200);
            }
            for (const char *target : { "/api/v1/traces?limit=100",
                     "/api/v1/metrics?from=1764000000000000000&to=1764172800000000000&bucket=1h&group_by=model" }) {
                const auto res = client.get(target, auth);
                QVERIFY(res);
                QCOMPARE(res->status, 200);
                before.push_back(res->body);
            }
            for (const auto &id : ids) {
                const auto res = client.get("/api/v1/traces/" + id, auth);
                QVERIFY(res);
                QCOMPARE(res->status, 200);
                before.push_back(res->body);
            }
            stop(server);
        }

        const char *binDir = std::getenv("AGENTOPS_PG_BINDIR");
        const QString bin = QString::fromUtf8(binDir && *binDir ? binDir : "/usr/lib/postgresql/15/bin");
        const QString dump = dir.filePath(QStringLiteral("agentops.dump"));
        auto run = [&](const QString &tool, const QStringList &args) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(bin + QLatin1Char('/') + tool, args);
            if (!p.waitForFinished(60000))
                return QByteArray("did not finish");
            return p.exitCode() == 0 ? QByteArray() : p.readAll() + "exit " + QByteArray::number(p.exitCode());
        };
        QByteArray failure = run(QStringLiteral("pg_dump"),
            { QStringLiteral("--format=custom"), QStringLiteral("--file=") + dump, url(QStringLiteral("postgres")) });
        QVERIFY2(failure.isEmpty(), failure.constData());
        failure = run(QStringLiteral("createdb"),
            { QStringLiteral("--maintenance-db=") + url(QStringLiteral("postgres")), QStringLiteral("restored") });
        QVERIFY2(failure.isEmpty(), failure.constData());
        failure = run(QStringLiteral("pg_restore"),
            { QStringLiteral("--exit-on-error"), QStringLiteral("--no-owner"),
                QStringLiteral("--dbname=") + url(QStringLiteral("restored")), dump });
        QVERIFY2(failure.isEmpty(), failure.constData());

        // A server on the restored database: the same key works, the same answers come back.
        QProcess server;
        const int port
            = startTeamServer(server, dir.path(), { QStringLiteral("--database"), url(QStringLiteral("restored")) });
        QVERIFY(port > 0);
        test::HttpClient client("127.0.0.1", port);
        std::vector<std::string> after;
        for (const char *target : { "/api/v1/traces?limit=100",
                 "/api/v1/metrics?from=1764000000000000000&to=1764172800000000000&bucket=1h&group_by=model" })
            after.push_back(client.get(target, auth)->body);
        for (const auto &id : ids)
            after.push_back(client.get("/api/v1/traces/" + id, auth)->body);
        stop(server);
        QCOMPARE(after.size(), before.size());
        for (std::size_t i = 0; i < before.size(); ++i)
            QCOMPARE(QString::fromStdString(after[i]), QString::fromStdString(before[i]));
        QVERIFY(before.front().find(ids.front()) != std::string::npos);
    }

    void badBackupOptionsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("backup without --to")
            << QStringList { QStringLiteral("backup") } << QStringLiteral("backup: needs --to FILE");
        QTest::newRow("restore without --from")
            << QStringList { QStringLiteral("restore") } << QStringLiteral("restore: needs --from FILE");
        QTest::newRow("--to when serving") << QStringList { QStringLiteral("--to"), QStringLiteral("x.tar") }
                                           << QStringLiteral("--to: only with backup");
        QTest::newRow("--from with backup") << QStringList { QStringLiteral("backup"), QStringLiteral("--from"),
            QStringLiteral("x.tar") } << QStringLiteral("--from: only with restore");
        QTest::newRow("empty --to") << QStringList { QStringLiteral("backup"), QStringLiteral("--to=") }
                                    << QStringLiteral("--to: needs a file name");
        QTest::newRow("every too short") << QStringList {
            QStringLiteral("--backup-dir"), QStringLiteral("/tmp/b"), QStringLiteral("--backup-every"),
            QStringLiteral("30s")
        } << QStringLiteral("--backup-every: expected a duration of at least 1m such as 30m, 6h or 1d, got '30s'");
        QTest::newRow("every not a duration") << QStringList { QStringLiteral("--backup-every"),
            QStringLiteral("daily") } << QStringLiteral("--backup-every: expected a duration of at least 1m");
        QTest::newRow("keep 0") << QStringList { QStringLiteral("--backup-keep"), QStringLiteral("0") }
                                << QStringLiteral("--backup-keep: must be a whole number >= 1, got '0'");
        QTest::newRow("dir without every") << QStringList { QStringLiteral("--backup-dir"), QStringLiteral("/tmp/b") }
                                           << QStringLiteral("--backup-dir and --backup-every go together");
        QTest::newRow("postgres backup") << QStringList { QStringLiteral("backup"), QStringLiteral("--to"),
            QStringLiteral("x.tar"), QStringLiteral("--database"), QStringLiteral("postgresql://db/agentops") }
                                         << QStringLiteral(
                                                "backup: the database is PostgreSQL; back it up with pg_dump");
    }

    void badBackupOptionsAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(QStringLiteral(AGENTOPS_SERVER_BINARY), args);
        QVERIFY(p.waitForFinished(10000));
        const QString out = QString::fromUtf8(p.readAll());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(out.contains(message), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
