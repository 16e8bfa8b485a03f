// SPDX-License-Identifier: MIT
#include "core/crashhandler.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <stdexcept>

#include <execinfo.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef AGENTOPS_COVERAGE_BUILD
extern "C" void __gcov_dump(); // NOLINT(bugprone-reserved-identifier): gcov's runtime
#endif

namespace agentops::crash {

namespace {

// Everything the handler uses is set up before a crash: it may only call async-signal-safe
// functions (write, openat, close, raise, sigaction) and read these.
constexpr int kRingLines = 64;
constexpr int kLineBytes = 400;
struct RingLine
{
    std::atomic<int> length { 0 };
    char text[kLineBytes];
};
RingLine g_ring[kRingLines];
std::atomic<unsigned> g_next { 0 };

int g_dirFd = -1;
char g_program[64];
char g_version[64];
char g_terminateReason[512];
std::atomic<bool> g_handling { false };
constexpr int kSignals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

void put(int fd, const char *text)
{
    std::size_t left = std::strlen(text);
    while (left > 0) {
        const ssize_t n = ::write(fd, text, left);
        if (n <= 0)
            return;
        text += n;
        left -= static_cast<std::size_t>(n);
    }
}

/// Decimal digits of v into buf (at least 24 bytes); no locale, no allocation.
const char *decimal(unsigned long long v, char *buf)
{
    char *p = buf + 23;
    *p = '\0';
    do {
        *--p = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

const char *signalName(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (invalid memory access)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic error)";
    case SIGILL: return "SIGILL (illegal instruction)";
    case SIGABRT: return "SIGABRT (aborted)";
    default: return "signal";
    }
}

void writeReport(int sig)
{
    char name[96] = "crash-";
    char digits[24];
    std::strcat(name, decimal(static_cast<unsigned long long>(::time(nullptr)), digits));
    std::strcat(name, "-");
    std::strcat(name, decimal(static_cast<unsigned long long>(::getpid()), digits));
    std::strcat(name, ".txt");
    const int fd = ::openat(g_dirFd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    put(fd, "AgentOps Monitor crash report\nprogram: ");
    put(fd, g_program);
    put(fd, "\nversion: ");
    put(fd, g_version);
    put(fd, "\nsignal: ");
    put(fd, signalName(sig));
    put(fd, "\ntime (unix): ");
    put(fd, decimal(static_cast<unsigned long long>(::time(nullptr)), digits));
    put(fd, "\npid: ");
    put(fd, decimal(static_cast<unsigned long long>(::getpid()), digits));
    if (sig == SIGABRT && g_terminateReason[0]) {
        put(fd, "\nreason: ");
        put(fd, g_terminateReason);
    }
    put(fd, "\n\nbacktrace:\n");
    void *frames[64];
    const int count = ::backtrace(frames, 64);
    ::backtrace_symbols_fd(frames, count, fd);
    put(fd, "\nlast log lines:\n");
    const unsigned next = g_next.load();
    for (unsigned i = next > kRingLines ? next - kRingLines : 0; i < next; ++i) {
        const RingLine &line = g_ring[i % kRingLines];
        const int length = std::min(line.length.load(), kLineBytes);
        if (length > 0) {
            [[maybe_unused]] const auto n = ::write(fd, line.text, static_cast<std::size_t>(length));
            put(fd, "\n");
        }
    }
    put(fd, "\nThis report stays on this machine; nothing was sent anywhere.\n");
    ::fsync(fd);
    ::close(fd);
}

void onCrash(int sig)
{
    // A crash inside the handler (or in two threads at once) goes straight to the default action.
    if (!g_handling.exchange(true))
        writeReport(sig);
#ifdef AGENTOPS_COVERAGE_BUILD
    // Coverage builds only (scripts/coverage.sh): a process that a signal ends never writes its
    // counters, so this code would always count as unrun. gcov's dump is not async-signal-safe,
    // which does not matter in a test of a deliberate crash.
    __gcov_dump();
#endif
    // SA_RESETHAND made the action the default one again: raised now, it is delivered when the
    // handler returns (a fault would also recur on return), ending the process as it would have.
    ::raise(sig);
}

void onTerminate()
{
    // Not a signal handler: the reason may be worked out with ordinary code, then abort() writes
    // the report (SIGABRT) with it.
    std::string reason = "std::terminate";
    if (const auto current = std::current_exception()) {
        try {
            std::rethrow_exception(current);
        } catch (const std::exception &e) {
            reason += std::string(": uncaught exception: ") + e.what();
        } catch (...) {
            reason += ": uncaught exception of an unknown type";
        }
    }
    std::strncpy(g_terminateReason, reason.c_str(), sizeof g_terminateReason - 1);
    std::abort();
}

void copyTo(char *out, std::size_t size, std::string_view text)
{
    const std::size_t n = std::min(size - 1, text.size());
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
}

} // namespace

bool install(const std::string &dir, std::string_view program, std::string_view version)
{
    // The data directory holds prompts: what is created here is the owner's alone (0700).
    std::filesystem::path partial;
    for (const auto &part : std::filesystem::path(dir)) {
        partial /= part;
        ::mkdir(partial.c_str(), 0700);
    }
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    if (g_dirFd >= 0)
        ::close(g_dirFd);
    g_dirFd = fd;
    copyTo(g_program, sizeof g_program, program);
    copyTo(g_version, sizeof g_version, version);
    // backtrace() loads libgcc on its first call, which allocates: done now, not in the handler.
    void *prime[2];
    ::backtrace(prime, 2);
    // A stack overflow leaves no stack to run the handler on: it gets one of its own.
    static char altStack[64 * 1024];
    stack_t ss {};
    ss.ss_sp = altStack;
    ss.ss_size = sizeof altStack;
    ::sigaltstack(&ss, nullptr);
    struct sigaction action
    {
    };
    action.sa_handler = onCrash;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_ONSTACK;
    for (const int sig : kSignals)
        ::sigaction(sig, &action, nullptr);
    std::set_terminate(onTerminate);
    return true;
}

void logLine(std::string_view text)
{
    // Each line takes a slot of its own (two threads never write one slot unless 64 lines are
    // logged while one is being copied); the handler reads without a lock, so a line being written
    // at the moment of a crash may come out torn, which a report can live with.
    RingLine &line = g_ring[g_next.fetch_add(1) % kRingLines];
    line.length.store(0);
    const int length = static_cast<int>(std::min<std::size_t>(text.size(), kLineBytes));
    std::memcpy(line.text, text.data(), static_cast<std::size_t>(length));
    line.length.store(length);
}

std::vector<std::string> unseenReports(const std::string &dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("crash-", 0) == 0 && name.size() > 4 && name.compare(name.size() - 4, 4, ".txt") == 0
            && name.find(".seen.") == std::string::npos)
            out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string markSeen(const std::string &report)
{
    if (report.size() < 4)
        return {};
    const std::string seen = report.substr(0, report.size() - 4) + ".seen.txt";
    return ::rename(report.c_str(), seen.c_str()) == 0 ? seen : std::string();
}

// Own, named functions so the test finds them in the report's backtrace: never inlined, and cold
// as a whole (a function split into hot and cold parts has its crash in the nameless cold part).
// The store through a null pointer is the point: UBSan's null check (the asan preset) would end the
// process with its own report, not the SIGSEGV the crash handler is there for.
[[gnu::noinline, gnu::cold]] __attribute__((no_sanitize("null"))) void crashForTestSegv()
{
    volatile int *nowhere = nullptr;
    *nowhere = 1;
}

// Called through volatile pointers, without sibling calls: the call is a real one, and the return
// address it leaves on the stack lies inside the function rather than at the next one.
[[gnu::noinline, gnu::cold, gnu::optimize("no-optimize-sibling-calls")]] void crashForTestAbort()
{
    void (*volatile abortNow)() = std::abort;
    abortNow();
}

[[gnu::noinline, gnu::cold, gnu::optimize("no-optimize-sibling-calls")]] void crashForTestSignal(int sig)
{
    int (*volatile raiseNow)(int) = ::raise;
    raiseNow(sig);
}

namespace {
[[gnu::noinline]] void throwForTest()
{
    throw std::runtime_error("test crash: an exception nobody catches");
}
} // namespace

[[gnu::noinline, gnu::cold, gnu::optimize("no-optimize-sibling-calls")]] void crashForTestTerminate() noexcept
{
    void (*volatile throwNow)() = throwForTest;
    throwNow(); // out of a noexcept function: std::terminate
}

void crashIfAsked()
{
    const char *what = std::getenv("AGENTOPS_CRASH_TEST");
    if (!what || !*what)
        return;
    const std::string w(what);
    if (w == "segv")
        crashForTestSegv();
    else if (w == "abort")
        crashForTestAbort();
    else if (w == "terminate")
        crashForTestTerminate();
    else if (w == "bus")
        crashForTestSignal(SIGBUS);
    else if (w == "fpe")
        crashForTestSignal(SIGFPE);
    else if (w == "ill")
        crashForTestSignal(SIGILL);
}

} // namespace agentops::crash
