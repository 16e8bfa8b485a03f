// SPDX-License-Identifier: MIT
#pragma once
// Crash reports: when the program dies of SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT or
// std::terminate, a short text file is written to a directory of the data directory — the signal,
// a backtrace with symbols, the version, the last log lines — and the signal is raised again with
// its default action, so the exit status and a core dump are as without the handler. Nothing is
// sent anywhere. Qt-free.

#include <string>
#include <string_view>
#include <vector>

namespace agentops::crash {

/// Installs the handlers; reports go to dir (created 0700). Call once, early, from the main thread
/// (its alternate signal stack catches a stack overflow there). Returns false (and installs
/// nothing) when dir cannot be created or opened.
bool install(const std::string &dir, std::string_view program, std::string_view version);

/// Keeps a log line in the ring of recent lines a report ends with (the last 64, each cut at 400
/// bytes). Thread-safe; cheap enough to call for every line logged.
void logLine(std::string_view line);

/// Reports in dir not yet seen (crash-*.txt), oldest first, as full paths.
std::vector<std::string> unseenReports(const std::string &dir);
/// Marks a report seen (renamed to crash-*.seen.txt); returns the new path ("" on failure).
std::string markSeen(const std::string &report);

/// Test only: when the environment variable AGENTOPS_CRASH_TEST names a crash (segv, abort, bus,
/// fpe, ill, terminate), causes it. Lets tests check the report a real crash leaves.
void crashIfAsked();
/// The crashes crashIfAsked() causes, in functions of their own that a report's backtrace names.
void crashForTestSegv();
void crashForTestAbort();
void crashForTestSignal(int sig);
void crashForTestTerminate() noexcept;

} // namespace agentops::crash
