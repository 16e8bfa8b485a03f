// CPU time of processes read from /proc, for the benchmarks that account a server's CPU (the
// PostgreSQL server's above all: its backends are children of the postmaster).
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <system_error>

namespace agentops::bench {

/// CPU seconds (user + system) of a process; with children, also of its children that ended.
inline double processCpu(pid_t pid, bool withEndedChildren)
{
    std::ifstream statFile("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    double sum = 0;
    for (int i = 3; fields >> field && i <= 17; ++i) {
        if (i == 14 || i == 15 || (withEndedChildren && (i == 16 || i == 17)))
            sum += std::stod(field);
    }
    return sum / static_cast<double>(sysconf(_SC_CLK_TCK));
}

inline pid_t parentOf(const std::filesystem::path &proc)
{
    std::ifstream statFile(proc / "stat");
    std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string state;
    long ppid = -1;
    fields >> state >> ppid;
    return static_cast<pid_t>(ppid);
}

/// CPU seconds of the whole PostgreSQL server: the postmaster, its live children, and the
/// children that ended (reaped by the postmaster, so counted in its children's time).
inline double postgresCpu(pid_t postmaster)
{
    double sum = processCpu(postmaster, true);
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        if (parentOf(entry.path()) == postmaster)
            sum += processCpu(static_cast<pid_t>(std::stol(name)), false);
    }
    return sum;
}

} // namespace agentops::bench
