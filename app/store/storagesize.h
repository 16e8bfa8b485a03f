// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace agentops::store {

/// The files of a SQLite trace store as they lie on disk (their sizes by stat), for what the app and
/// /metrics show: the database, its WAL, and the content search index beside it with its WAL.
struct StorageFiles
{
    std::uint64_t database = 0;
    std::uint64_t wal = 0;
    std::uint64_t search = 0; ///< <database>.search (store/searchindex.h)
    std::uint64_t search_wal = 0;
    std::uint64_t total() const { return database + wal + search + search_wal; }
};

/// Sizes of databasePath, databasePath-wal, databasePath.search and databasePath.search-wal; a file
/// that does not exist counts 0.
StorageFiles sqliteStorageFiles(const std::string &databasePath);

/// Free and total space of a filesystem.
struct DiskSpace
{
    std::uint64_t free_bytes = 0; ///< what an unprivileged process may still write (f_bavail)
    std::uint64_t total_bytes = 0;
};

/// Of the filesystem that holds path (or, when path does not exist yet, its nearest existing parent
/// directory); nullopt when it cannot be asked. statvfs only: cheap enough to call every few seconds.
std::optional<DiskSpace> diskSpace(const std::string &path);

/// When free disk counts as low: below a number of bytes, or below a share of the filesystem.
struct DiskLowThreshold
{
    std::uint64_t bytes = 1ull << 30; ///< used when percent is 0
    double percent = 0; ///< of the filesystem's size, (0, 100)
    /// The threshold in bytes for this filesystem.
    std::uint64_t bytesFor(const DiskSpace &disk) const;
    bool isLow(const DiskSpace &disk) const { return disk.free_bytes < bytesFor(disk); }
};

/// Reads a size with an optional unit: "1048576", "512KiB", "64M", "1.5GB", "10GiB", "2T". K, M, G and
/// T (with or without B or iB) are powers of 1024, as the app and the server print sizes. Whole bytes
/// from 1 up to 1 PiB; false for anything else (0, negative, unknown unit, trailing text).
bool parseStorageSize(const std::string &text, std::uint64_t &bytes);
/// Reads a disk-low threshold: a size as parseStorageSize reads it, or a percentage "5%" (above 0,
/// below 100). False for anything else.
bool parseDiskLowThreshold(const std::string &text, DiskLowThreshold &out);

} // namespace agentops::store
