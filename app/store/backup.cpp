// SPDX-License-Identifier: MIT
#include "store/backup.h"

#include "store/privatefiles.h"

#include <archive.h>
#include <archive_entry.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace agentops::store {

namespace fs = std::filesystem;

namespace {

constexpr int kManifestVersion = 1;
constexpr const char *kFormat = "agentops-monitor-backup";
/// Pages copied per sqlite3_backup_step (16 KiB pages: 4 MiB), between progress reports.
constexpr int kPagesPerStep = 256;
constexpr std::size_t kChunk = 1 << 20;

std::string errnoText(const std::string &what)
{
    return what + ": " + std::strerror(errno);
}

/// A file descriptor closed on scope exit.
struct Fd
{
    int fd = -1;
    explicit Fd(int f = -1)
        : fd(f)
    { }
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
};

void syncPath(const fs::path &path)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.fd >= 0)
        ::fsync(fd.fd);
}

/// A file that is removed on scope exit unless kept.
struct TempPath
{
    fs::path path;
    ~TempPath()
    {
        if (!path.empty()) {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    }
    fs::path release() { return std::exchange(path, {}); }
};

/// A new private file beside `target` (".<name>.<tag>-XXXXXX"), open for writing.
int createTempBeside(const fs::path &target, const std::string &tag, TempPath &temp)
{
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::string pattern = (dir / ("." + target.filename().string() + "." + tag + "-XXXXXX")).string();
    const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0)
        throw BackupError(errnoText("cannot write in " + dir.string()));
    temp.path = pattern;
    return fd;
}

/// A read transaction on one database, begun at construction: what it copies is the database as of
/// that moment, however much other connections write meanwhile (WAL readers see a fixed snapshot;
/// since the transaction stays open across steps, sqlite3_backup_step never starts over).
class Snapshot
{
public:
    explicit Snapshot(const fs::path &path)
        : m_path(path)
    {
        // Read-write without CREATE: a database that went away is an error, not a new empty file, and
        // a read-write connection can open a WAL database whose -shm does not exist yet.
        if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
            fail("cannot open");
        sqlite3_busy_timeout(m_db, 10000);
        // The read transaction (and with it the snapshot) begins at the first read.
        exec("BEGIN");
        exec("SELECT count(*) FROM sqlite_schema");
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, "PRAGMA page_count", -1, &stmt, nullptr) != SQLITE_OK
            || sqlite3_step(stmt) != SQLITE_ROW) {
            sqlite3_finalize(stmt);
            fail("cannot read");
        }
        m_pages = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        sqlite3_stmt *size = nullptr;
        sqlite3_prepare_v2(m_db, "PRAGMA page_size", -1, &size, nullptr);
        if (size && sqlite3_step(size) == SQLITE_ROW)
            m_pageSize = sqlite3_column_int64(size, 0);
        sqlite3_finalize(size);
    }
    ~Snapshot() { sqlite3_close_v2(m_db); }
    Snapshot(const Snapshot &) = delete;
    Snapshot &operator=(const Snapshot &) = delete;

    std::uint64_t bytes() const { return static_cast<std::uint64_t>(m_pages * m_pageSize); }

    /// Copies the snapshot into the new file dest; progress(pages copied) between steps.
    void copyTo(const fs::path &dest, const std::function<bool(std::uint64_t)> &progress)
    {
        sqlite3 *out = nullptr;
        const auto closeOut = [&out] { sqlite3_close_v2(std::exchange(out, nullptr)); };
        if (sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
            const std::string msg = out ? sqlite3_errmsg(out) : "out of memory";
            closeOut();
            throw BackupError("cannot create " + dest.string() + ": " + msg);
        }
        sqlite3_backup *backup = sqlite3_backup_init(out, "main", m_db, "main");
        if (!backup) {
            const std::string msg = sqlite3_errmsg(out);
            closeOut();
            throw BackupError("cannot back up " + m_path.string() + ": " + msg);
        }
        int rc = SQLITE_OK;
        bool cancelled = false;
        do {
            rc = sqlite3_backup_step(backup, kPagesPerStep);
            const auto done
                = static_cast<std::uint64_t>(sqlite3_backup_pagecount(backup) - sqlite3_backup_remaining(backup));
            if (progress && !progress(done * static_cast<std::uint64_t>(m_pageSize)))
                cancelled = true;
        } while (!cancelled && (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED));
        sqlite3_backup_finish(backup);
        const std::string msg = sqlite3_errmsg(out);
        closeOut();
        if (cancelled)
            throw BackupError("backup cancelled");
        if (rc != SQLITE_DONE)
            throw BackupError("cannot back up " + m_path.string() + ": " + msg);
    }

private:
    [[noreturn]] void fail(const std::string &what)
    {
        const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        throw BackupError(what + " " + m_path.string() + ": " + msg);
    }
    void exec(const char *sql)
    {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            fail(std::string("cannot ") + sql);
    }

    fs::path m_path;
    sqlite3 *m_db = nullptr;
    std::int64_t m_pages = 0;
    std::int64_t m_pageSize = 4096;
};

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive *)>;

std::string archiveError(struct archive *a)
{
    const char *msg = archive_error_string(a);
    return msg ? msg : "unknown error";
}

/// One regular file entry of the archive, its data read from fd (or from data when fd < 0).
void addEntry(struct archive *a, const std::string &name, int fd, const std::string &data, std::uint64_t size)
{
    std::unique_ptr<archive_entry, void (*)(archive_entry *)> entry(archive_entry_new(), archive_entry_free);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0600);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    archive_entry_set_mtime(entry.get(), std::time(nullptr), 0);
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
        throw BackupError("cannot write the archive: " + archiveError(a));
    if (fd < 0) {
        if (archive_write_data(a, data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
            throw BackupError("cannot write the archive: " + archiveError(a));
        return;
    }
    std::vector<char> buffer(kChunk);
    std::uint64_t left = size;
    while (left > 0) {
        const ssize_t n = ::read(fd, buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
        if (n <= 0)
            throw BackupError(errnoText("cannot read the copy of " + name));
        if (archive_write_data(a, buffer.data(), static_cast<std::size_t>(n)) != n)
            throw BackupError("cannot write the archive: " + archiveError(a));
        left -= static_cast<std::uint64_t>(n);
    }
}

std::string manifestText(const std::vector<std::string> &files)
{
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char created[32];
    std::tm tm {};
    gmtime_r(&now, &tm);
    std::strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    nlohmann::json manifest { { "format", kFormat }, { "version", kManifestVersion }, { "created", created },
        { "app_version", AGENTOPS_VERSION }, { "files", files } };
    return manifest.dump(2) + "\n";
}

/// A database name a backup may hold: "name.db" or "projects/name.db", nothing that climbs out.
bool isDatabaseName(const std::string &name)
{
    const auto plain = [](const std::string &n) {
        return n.size() > 3 && n.compare(n.size() - 3, 3, ".db") == 0 && n.front() != '.'
            && n.find_first_of("/\\") == std::string::npos;
    };
    if (name.rfind("projects/", 0) == 0)
        return plain(name.substr(9));
    return plain(name);
}

} // namespace

std::vector<std::string> dataDirDatabases(const fs::path &dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const std::string_view sub : { "", "projects" }) {
        for (const auto &entry : fs::directory_iterator(sub.empty() ? dir : dir / sub, ec)) {
            const std::string name
                = (sub.empty() ? std::string() : std::string(sub) + "/") + entry.path().filename().string();
            if (isDatabaseName(name) && entry.is_regular_file(ec))
                out.push_back(name);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string archiveNameOf(const std::string &fileName)
{
    return isDatabaseName(fileName) && fileName.find('/') == std::string::npos ? fileName : "traces.db";
}

BackupSummary writeBackup(const fs::path &dir, const std::vector<std::string> &files, const fs::path &archive,
    const BackupProgress &progress, const std::vector<std::string> &namesGiven)
{
    if (files.empty())
        throw BackupError("no database to back up in " + dir.string());
    const std::vector<std::string> &names = namesGiven.empty() ? files : namesGiven;
    if (names.size() != files.size() || std::set<std::string>(names.begin(), names.end()).size() != names.size())
        throw BackupError("one distinct name per database is needed");
    // Every snapshot first: each holds what was committed before this call.
    std::vector<std::unique_ptr<Snapshot>> snapshots;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (!isDatabaseName(names[i]))
            throw BackupError("not a database name: " + names[i]);
        snapshots.push_back(std::make_unique<Snapshot>(dir / files[i]));
        total += snapshots.back()->bytes();
    }
    TempPath tempArchive;
    Fd out(createTempBeside(archive, "tmp", tempArchive));
    ::fchmod(out.fd, 0600);
    ArchivePtr a(archive_write_new(), archive_write_free);
    if (archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK
        || archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK
        || archive_write_open_fd(a.get(), out.fd) != ARCHIVE_OK)
        throw BackupError("cannot write the archive: " + archiveError(a.get()));
    const std::string manifest = manifestText(names);
    addEntry(a.get(), kBackupManifest, -1, manifest, manifest.size());
    std::uint64_t before = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        // Each copy goes through a temporary file beside the archive: SQLite writes a database file,
        // the archive then takes it.
        TempPath copy;
        ::close(createTempBeside(archive, "db", copy));
        fs::remove(copy.path);
        snapshots[i]->copyTo(
            copy.path, [&](std::uint64_t done) { return !progress || progress(before + done, total); });
        before += snapshots[i]->bytes();
        snapshots[i].reset(); // the read transaction ends; the writer's checkpoints may go past it
        Fd in(::open(copy.path.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st
        {
        };
        if (in.fd < 0 || ::fstat(in.fd, &st) != 0)
            throw BackupError(errnoText("cannot read the copy of " + files[i]));
        addEntry(a.get(), names[i], in.fd, {}, static_cast<std::uint64_t>(st.st_size));
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        throw BackupError("cannot write the archive: " + archiveError(a.get()));
    if (::fsync(out.fd) != 0)
        throw BackupError(errnoText("cannot write " + tempArchive.path.string()));
    struct stat st
    {
    };
    ::fstat(out.fd, &st);
    if (::rename(tempArchive.path.c_str(), archive.c_str()) != 0)
        throw BackupError(errnoText("cannot rename the backup to " + archive.string()));
    tempArchive.release();
    syncPath(archive.parent_path().empty() ? fs::path(".") : archive.parent_path());
    return { names, static_cast<std::uint64_t>(st.st_size) };
}

namespace {

/// Reads the archive into dir (new, empty): the manifest first, then exactly the databases it
/// names. Returns the names.
std::vector<std::string> extractBackup(const fs::path &archive, const fs::path &dir)
{
    ArchivePtr a(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(a.get());
    archive_read_support_filter_all(a.get()); // a backup someone compressed afterwards
    const std::string notBackup = archive.string() + " is not an AgentOps Monitor backup";
    {
        Fd probe(::open(archive.c_str(), O_RDONLY | O_CLOEXEC));
        if (probe.fd < 0)
            throw BackupError(errnoText("cannot read " + archive.string()));
    }
    // Opening reads the first header already: a file it cannot make out is not a tar archive.
    archive_entry *entry = nullptr;
    if (archive_read_open_filename(a.get(), archive.c_str(), kChunk) != ARCHIVE_OK
        || archive_read_next_header(a.get(), &entry) != ARCHIVE_OK)
        throw BackupError(notBackup + " (not a tar archive: " + archiveError(a.get()) + ")");
    if (archive_entry_pathname(entry) != std::string(kBackupManifest) || archive_entry_size(entry) > (64 << 10))
        throw BackupError(notBackup + " (it does not begin with " + kBackupManifest + ")");
    std::string text(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    if (archive_read_data(a.get(), text.data(), text.size()) != static_cast<la_ssize_t>(text.size()))
        throw BackupError(notBackup + " (" + archiveError(a.get()) + ")");
    std::set<std::string> expected;
    try {
        const auto manifest = nlohmann::json::parse(text);
        if (manifest.at("format") != kFormat)
            throw BackupError(notBackup + " (its manifest is of another format)");
        if (manifest.at("version").get<int>() > kManifestVersion)
            throw BackupError(archive.string() + " was written by a newer version (backup format "
                + std::to_string(manifest.at("version").get<int>()) + "); restore it with that version");
        for (const auto &f : manifest.at("files")) {
            if (!isDatabaseName(f.get<std::string>()))
                throw BackupError(notBackup + " (its manifest names " + f.get<std::string>() + ")");
            expected.insert(f.get<std::string>());
        }
    } catch (const nlohmann::json::exception &e) {
        throw BackupError(notBackup + " (its manifest is not valid: " + e.what() + ")");
    }
    if (expected.empty())
        throw BackupError(notBackup + " (its manifest names no database)");
    std::set<std::string> seen;
    std::vector<char> buffer(kChunk);
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
        const std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        if (!expected.count(name) || seen.count(name) || archive_entry_filetype(entry) != AE_IFREG
            || archive_entry_hardlink(entry) || archive_entry_symlink(entry))
            throw BackupError("damaged backup " + archive.string() + ": unexpected entry '" + name + "'");
        seen.insert(name);
        if (name.rfind("projects/", 0) == 0)
            createPrivateDirectories((dir / "projects").string());
        Fd out(::open((dir / name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (out.fd < 0)
            throw BackupError(errnoText("cannot write " + (dir / name).string()));
        la_ssize_t n = 0;
        while ((n = archive_read_data(a.get(), buffer.data(), buffer.size())) > 0) {
            if (::write(out.fd, buffer.data(), static_cast<std::size_t>(n)) != n)
                throw BackupError(errnoText("cannot write " + (dir / name).string()));
        }
        if (n < 0)
            throw BackupError("damaged backup " + archive.string() + ": " + archiveError(a.get()));
        if (::fsync(out.fd) != 0)
            throw BackupError(errnoText("cannot write " + (dir / name).string()));
    }
    if (rc != ARCHIVE_EOF)
        throw BackupError("damaged backup " + archive.string() + ": " + archiveError(a.get()));
    if (seen != expected)
        throw BackupError("damaged backup " + archive.string() + ": databases named in its manifest are missing");
    return { expected.begin(), expected.end() };
}

/// SQLite's integrity check of one restored database; throws with its first findings.
void checkIntegrity(const fs::path &file, const std::string &name)
{
    sqlite3 *db = nullptr;
    std::string result;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        // The file came from outside: nothing in it may run or change more than a check needs.
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
        sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
        sqlite3_stmt *stmt = nullptr;
        if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(5)", -1, &stmt, nullptr) == SQLITE_OK) {
            while (sqlite3_step(stmt) == SQLITE_ROW)
                result += (result.empty() ? "" : "; ")
                    + std::string(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
        } else {
            result = sqlite3_errmsg(db);
        }
        sqlite3_finalize(stmt);
    } else {
        result = db ? sqlite3_errmsg(db) : "out of memory";
    }
    sqlite3_close_v2(db);
    if (result != "ok")
        throw BackupError("the backup's " + name + " fails SQLite's integrity check: " + result);
}

/// A data directory's own database files (and their WAL and journals), which a restore replaces.
bool isDatabaseFile(const std::string &relative)
{
    for (const char *suffix : { "-wal", "-shm", "-journal" }) {
        const std::string s(suffix);
        if (relative.size() > s.size() && relative.compare(relative.size() - s.size(), s.size(), s) == 0)
            return isDatabaseName(relative.substr(0, relative.size() - s.size()));
    }
    return isDatabaseName(relative);
}

/// Everything of `from` but its databases, hard-linked into `to` (copied where links fail): the
/// lock file (the same inode, so the caller's lock holds on), certificates, price files, backups.
void carryOver(const fs::path &from, const fs::path &to)
{
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        const fs::path relative = fs::relative(it->path(), from);
        const fs::path target = to / relative;
        const auto status = it->symlink_status();
        if (fs::is_directory(status)) {
            fs::create_directory(target, it->path(), ec);
            ec.clear();
        } else if (fs::is_symlink(status)) {
            fs::copy_symlink(it->path(), target, ec);
        } else if (!isDatabaseFile(relative.generic_string())) {
            fs::create_hard_link(it->path(), target, ec);
            if (ec)
                fs::copy_file(it->path(), target, ec);
        }
        if (ec)
            throw BackupError("cannot carry " + it->path().string() + " over: " + ec.message());
    }
    if (ec)
        throw BackupError("cannot read " + from.string() + ": " + ec.message());
}

/// The restored directory and databases get the owner and mode of the directory they replace: a
/// restore run as root for a service's data must leave files the service can write.
void takeOwnerAndMode(const fs::path &from, const fs::path &to, const std::vector<std::string> &files)
{
    struct stat st
    {
    };
    if (::stat(from.c_str(), &st) != 0)
        return;
    ::chmod(to.c_str(), st.st_mode & 07777);
    if (::geteuid() != 0 || st.st_uid == 0)
        return;
    std::vector<fs::path> paths { to, to / "projects" };
    for (const auto &name : files)
        paths.push_back(to / name);
    for (const auto &path : paths) {
        if (::lchown(path.c_str(), st.st_uid, st.st_gid) != 0 && errno != ENOENT)
            throw BackupError(errnoText("cannot give " + path.string() + " the data directory's owner"));
    }
}

std::string timestamp()
{
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm {};
    localtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%d-%H%M%S", &tm);
    return text;
}

} // namespace

RestoreSummary restoreBackup(const fs::path &dirIn, const fs::path &archive)
{
    // The directory itself, not a symbolic link to it (systemd's StateDirectory with DynamicUser is
    // /var/lib/NAME -> private/NAME): the swap must replace the directory, and keep the link.
    std::error_code canonical;
    fs::path dir = fs::weakly_canonical(fs::absolute(dirIn), canonical);
    if (canonical)
        dir = fs::absolute(dirIn).lexically_normal();
    const fs::path parent = dir.parent_path();
    std::string pattern = (parent / ("." + dir.filename().string() + ".restore-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        throw BackupError(errnoText("cannot create a directory in " + parent.string()));
    TempPath staging { pattern };
    RestoreSummary summary;
    summary.files = extractBackup(archive, staging.path);
    for (const auto &name : summary.files)
        checkIntegrity(staging.path / name, name);
    std::error_code ec;
    const bool existed = fs::is_directory(dir, ec);
    if (existed) {
        carryOver(dir, staging.path);
        takeOwnerAndMode(dir, staging.path, summary.files);
    }
    syncPath(staging.path);
    if (existed) {
        if (::renameat2(AT_FDCWD, staging.path.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0)
            throw BackupError(errnoText("cannot swap the restored databases in"));
        // The former content is now where the staging directory was.
        summary.previous = parent / (dir.filename().string() + ".before-restore-" + timestamp());
        if (::rename(staging.path.c_str(), summary.previous.c_str()) != 0)
            summary.previous = staging.path;
        staging.release();
        // A directory that held no databases (a first restore: only the lock) is not worth keeping.
        if (dataDirDatabases(summary.previous).empty()) {
            std::size_t entries = 0;
            for ([[maybe_unused]] const auto &e : fs::recursive_directory_iterator(summary.previous, ec))
                ++entries;
            if (!ec && entries <= 1 && fs::remove_all(summary.previous, ec) && !ec)
                summary.previous.clear();
        }
    } else {
        if (::rename(staging.path.c_str(), dir.c_str()) != 0)
            throw BackupError(errnoText("cannot move the restored databases to " + dir.string()));
        staging.release();
    }
    syncPath(parent);
    return summary;
}

std::vector<fs::path> pruneBackups(const fs::path &dir, const std::string &prefix, std::size_t keep)
{
    std::vector<fs::path> backups;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".tar" && entry.is_regular_file(ec))
            backups.push_back(entry.path());
    }
    std::sort(backups.begin(), backups.end());
    std::vector<fs::path> deleted;
    while (backups.size() > keep) {
        if (fs::remove(backups.front(), ec))
            deleted.push_back(backups.front());
        backups.erase(backups.begin());
    }
    return deleted;
}

DataDirLock::DataDirLock(const fs::path &dir, Mode mode)
{
    createPrivateDirectories(dir.string());
    const fs::path file = dir / "agentops.lock";
    m_fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (m_fd < 0)
        throw BackupError(errnoText("cannot open " + file.string()));
    if (::flock(m_fd, (mode == Mode::Shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        const int err = errno;
        ::close(m_fd);
        m_fd = -1;
        if (err != EWOULDBLOCK)
            throw BackupError("cannot lock " + file.string() + ": " + std::strerror(err));
        throw BackupError(mode == Mode::Shared
                ? dir.string() + " is being restored (agentops-server restore); try again when it has finished"
                : "a server, the desktop app or a backup is using " + dir.string() + ": stop it first");
    }
}

DataDirLock::~DataDirLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace agentops::store
