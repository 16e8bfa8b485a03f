// SPDX-License-Identifier: MIT
#pragma once
// Backups of a data directory's SQLite databases: one tar archive holding a manifest and a
// consistent copy of every database, taken with SQLite's online backup API while the server keeps
// writing; restore into a new directory that is swapped in whole. Qt-free.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace agentops::store {

/// Why a backup or a restore did not happen; the message names the file and says what to do.
class BackupError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// The manifest's name, the first entry of every backup archive.
inline constexpr const char *kBackupManifest = "agentops-backup.json";

/// Bytes copied so far of the total; return false to cancel.
using BackupProgress = std::function<bool(std::uint64_t done, std::uint64_t total)>;

/// The databases of a data directory a backup covers, relative to it: every `*.db` file in the
/// directory (the account store agentops.db, the open-mode traces.db) and in its projects/ (one per
/// project). Sorted.
std::vector<std::string> dataDirDatabases(const std::filesystem::path &dir);

struct BackupSummary
{
    std::vector<std::string> files; ///< the databases in the archive, relative to the data directory
    std::uint64_t bytes = 0; ///< size of the archive
};

/// Writes a backup of `files` (relative to dir) to `archive`. The snapshot of every database is
/// taken before the first page is copied, so it holds every transaction committed before the call
/// and the databases stay writable meanwhile. Written to a temporary file beside the archive,
/// fsynced and renamed: a failure leaves nothing behind and an existing archive untouched. Throws
/// BackupError (also when cancelled). `names`, when given, are the names the databases get in the
/// archive (a restore puts them there), one per file; by default their own.
BackupSummary writeBackup(const std::filesystem::path &dir, const std::vector<std::string> &files,
    const std::filesystem::path &archive, const BackupProgress &progress = {},
    const std::vector<std::string> &names = {});
/// The name a database file of the desktop app gets in a backup: its own when a restore can use it
/// (`name.db`), else traces.db, the app's default.
std::string archiveNameOf(const std::string &fileName);

struct RestoreSummary
{
    std::vector<std::string> files; ///< databases restored
    std::filesystem::path previous; ///< where the data directory's former content now is ("" when it had none)
};

/// Replaces the databases of `dir` with those of `archive`. Refuses (BackupError) a file that is not
/// a backup, an archive with damaged or unexpected content, and a database that fails SQLite's
/// integrity check, before anything in dir changes. The databases are restored into a new directory
/// beside dir, where every other file of dir (configuration, certificates, backups) is linked too;
/// that directory is then swapped with dir in one rename, so dir is either as it was or fully
/// restored. The former directory is kept beside it (RestoreSummary::previous). The caller holds
/// dir's DataDirLock exclusively.
RestoreSummary restoreBackup(const std::filesystem::path &dir, const std::filesystem::path &archive);

/// Deletes the oldest backups `prefix`*.tar in dir until `keep` are left (newest by name, which
/// starts with the time it was taken). Returns the paths deleted.
std::vector<std::filesystem::path> pruneBackups(
    const std::filesystem::path &dir, const std::string &prefix, std::size_t keep);

/// A lock on a data directory (flock on dir/agentops.lock): servers and backups hold it shared, a
/// restore exclusively, so a restore never replaces databases a server has open.
class DataDirLock
{
public:
    enum class Mode { Shared, Exclusive };
    /// Takes the lock without waiting; throws BackupError saying who holds it when it cannot.
    /// Creates dir (0700) when missing.
    DataDirLock(const std::filesystem::path &dir, Mode mode);
    ~DataDirLock();
    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

private:
    int m_fd = -1;
};

} // namespace agentops::store
