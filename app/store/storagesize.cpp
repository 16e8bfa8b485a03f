// SPDX-License-Identifier: MIT
#include "store/storagesize.h"

#include "store/searchindex.h"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <charconv>
#include <cmath>
#include <filesystem>

namespace agentops::store {

namespace {

std::uint64_t fileSize(const std::string &path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    return static_cast<std::uint64_t>(st.st_size);
}

} // namespace

StorageFiles sqliteStorageFiles(const std::string &databasePath)
{
    StorageFiles f;
    f.database = fileSize(databasePath);
    f.wal = fileSize(databasePath + "-wal");
    const std::string search = SearchIndex::pathFor(databasePath);
    f.search = fileSize(search);
    f.search_wal = fileSize(search + "-wal");
    return f;
}

std::optional<DiskSpace> diskSpace(const std::string &path)
{
    std::error_code ec;
    std::filesystem::path p = std::filesystem::absolute(path.empty() ? std::string(".") : path, ec);
    if (ec)
        return std::nullopt;
    // A database not created yet: the filesystem it will be created on.
    while (!std::filesystem::exists(p, ec) && p.has_parent_path() && p.parent_path() != p)
        p = p.parent_path();
    struct statvfs vfs
    {
    };
    if (::statvfs(p.c_str(), &vfs) != 0)
        return std::nullopt;
    DiskSpace d;
    d.free_bytes = static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    d.total_bytes = static_cast<std::uint64_t>(vfs.f_blocks) * vfs.f_frsize;
    return d;
}

std::uint64_t DiskLowThreshold::bytesFor(const DiskSpace &disk) const
{
    if (percent > 0)
        return static_cast<std::uint64_t>(std::llround(static_cast<double>(disk.total_bytes) * percent / 100.0));
    return bytes;
}

bool parseStorageSize(const std::string &text, std::uint64_t &bytes)
{
    double value = 0;
    const char *begin = text.data();
    const char *end = text.data() + text.size();
    // from_chars for double: locale-independent, no leading '+', no spaces.
    const auto [rest, ec] = std::from_chars(begin, end, value, std::chars_format::fixed);
    if (ec != std::errc() || rest == begin || !std::isfinite(value) || value <= 0)
        return false;
    std::string unit(rest, end);
    if (!unit.empty() && unit.front() == ' ')
        unit.erase(0, 1);
    double mult = 0;
    if (unit.empty() || unit == "B")
        mult = 1;
    else {
        const char prefix = static_cast<char>(unit.front() & ~0x20); // upper case
        const std::string suffix = unit.substr(1);
        if (suffix != "" && suffix != "B" && suffix != "iB")
            return false;
        switch (prefix) {
        case 'K': mult = 1024.0; break;
        case 'M': mult = 1024.0 * 1024; break;
        case 'G': mult = 1024.0 * 1024 * 1024; break;
        case 'T': mult = 1024.0 * 1024 * 1024 * 1024; break;
        default: return false;
        }
    }
    const double total = std::floor(value * mult);
    if (total < 1 || total > 1024.0 * 1024 * 1024 * 1024 * 1024)
        return false;
    bytes = static_cast<std::uint64_t>(total);
    return true;
}

bool parseDiskLowThreshold(const std::string &text, DiskLowThreshold &out)
{
    if (!text.empty() && text.back() == '%') {
        double value = 0;
        const char *begin = text.data();
        const char *end = text.data() + text.size() - 1;
        const auto [rest, ec] = std::from_chars(begin, end, value, std::chars_format::fixed);
        if (ec != std::errc() || rest != end || rest == begin || !(value > 0) || !(value < 100))
            return false;
        out = DiskLowThreshold { 0, value };
        return true;
    }
    std::uint64_t bytes = 0;
    if (!parseStorageSize(text, bytes))
        return false;
    out = DiskLowThreshold { bytes, 0 };
    return true;
}

} // namespace agentops::store
