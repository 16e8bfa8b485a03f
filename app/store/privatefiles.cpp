// SPDX-License-Identifier: MIT
#include "store/privatefiles.h"

#include "store/tracestore.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace agentops::store {

void createPrivateDirectories(const std::string &dir)
{
    if (dir.empty())
        return;
    std::filesystem::path partial;
    for (const auto &part : std::filesystem::path(dir)) {
        partial /= part;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
            throw StoreError("cannot create directory " + partial.string() + ": " + std::strerror(errno));
    }
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw StoreError("cannot create directory " + dir + ": a file of that name is in the way");
}

void createPrivateFile(const std::string &path)
{
    if (path.empty() || path == ":memory:")
        return; // not a file (the store opens paths without URI names: "file:x" is a file)
    // O_EXCL: a file that is there (or appears meanwhile) is left as it is.
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        // The umask may have taken bits away, never added them; 0600 whatever it is.
        ::fchmod(fd, 0600);
        ::close(fd);
        return;
    }
    if (errno != EEXIST)
        throw StoreError("cannot create " + path + ": " + std::strerror(errno));
}

} // namespace agentops::store
