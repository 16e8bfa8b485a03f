// SPDX-License-Identifier: MIT
// Which regular-expression engine redaction at ingest can afford: std::regex, Boost.Regex and RE2
// on a pathological pattern (nested quantifiers on a text that almost matches) and on the e-mail
// pattern over ordinary text, and the built-in patterns of ingest/redaction.h over prompts. Each
// engine runs in a child process of its own, so that one that overflows its stack is reported, not
// fatal. Prints seconds and MB/s. Then what redaction costs a request thread per span: the captured
// framework traces (tests/fixtures/frameworks, as their exporters sent them, OTLP/JSON) decoded and
// normalized with redaction off and with every built-in pattern, by turns, in wall and in the
// thread's CPU time (what a loaded machine cannot inflate).
//
//   bench_redaction [--mib N] [--limit S] [--rounds N] [--copies N]
// --mib: the size of the ordinary text (default 8); --limit: seconds an engine may take on the
// pathological pattern before it is stopped (default 20); --rounds: off/on pairs of the per-span
// figure (default 7, 0: none); --copies: the fixtures' requests decoded per round (default 200).
#include "ingest/decode.h"
#include "ingest/redaction.h"

#include <boost/regex.hpp>
#include <re2/re2.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <functional>
#include <regex>
#include <string>
#include <vector>

using namespace agentops;
using Clock = std::chrono::steady_clock;

namespace {

/// Runs job in a child process with a time limit; prints what became of it.
void measure(const char *what, double limitSeconds, const std::function<std::string()> &job)
{
    std::fflush(stdout);
    int pipefd[2];
    if (::pipe(pipefd) != 0)
        return;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipefd[0]);
        ::alarm(static_cast<unsigned>(limitSeconds));
        const auto t0 = Clock::now();
        std::string result;
        try {
            result = job();
        } catch (const std::exception &e) {
            result = std::string("threw: ") + e.what();
        }
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        char line[512];
        const int n = std::snprintf(line, sizeof line, "%.4f s, %s", secs, result.c_str());
        (void)!::write(pipefd[1], line, static_cast<std::size_t>(std::max(0, n)));
        std::_Exit(0);
    }
    ::close(pipefd[1]);
    std::string out;
    char buf[512];
    for (ssize_t n; (n = ::read(pipefd[0], buf, sizeof buf)) > 0;)
        out.append(buf, static_cast<std::size_t>(n));
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        out = WTERMSIG(status) == SIGALRM
            ? "did not finish within " + std::to_string(static_cast<int>(limitSeconds)) + " s"
            : std::string("died: ") + strsignal(WTERMSIG(status));
    std::printf("  %-44s %s\n", what, out.c_str());
}

std::string prose(std::size_t bytes)
{
    static const char *words[] = { "the ", "agent ", "asked ", "for ", "weather ", "in ", "Lisbon ", "and ", "tool ",
        "returned ", "sunny, ", "24 ", "°C; ", "{\"city\":\"Kyoto\"} ", "plan ", "step ", "3 " };
    std::string s;
    std::size_t i = 0;
    while (s.size() < bytes)
        s += words[(i++ * 7919) % std::size(words)];
    return s;
}

std::string mbps(std::size_t bytes, double secs)
{
    return std::to_string(static_cast<int>(bytes / 1048576.0 / secs)) + " MB/s";
}

/// The OTLP/JSON requests of the captured framework traces, one a line of each *.otlp.json.
std::vector<std::string> capturedRequests()
{
    std::vector<std::string> out;
    const std::string dir = AGENTOPS_FIXTURES_DIR "/frameworks/";
    DIR *d = opendir(dir.c_str());
    if (!d)
        return out;
    std::vector<std::string> names;
    while (const dirent *e = readdir(d)) {
        const std::string name = e->d_name;
        if (name.size() > 10 && name.ends_with(".otlp.json"))
            names.push_back(name);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    for (const auto &name : names) {
        std::ifstream in(dir + name);
        for (std::string line; std::getline(in, line);)
            if (!line.empty())
                out.push_back(line);
    }
    return out;
}

double threadCpuSeconds()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

struct PerSpan
{
    double wall_us = 0;
    double cpu_us = 0;
    std::size_t spans = 0;
    std::uint64_t replaced = 0;
};

/// Decodes (and normalizes) every request `copies` times into storage reused from body to body, as
/// a server's request thread does; redactor null: no redaction.
PerSpan decodeAll(const std::vector<std::string> &bodies, std::size_t copies, const ingest::Redactor *redactor)
{
    ingest::DecodeResult r;
    r.redactor = redactor;
    PerSpan out;
    const auto t0 = Clock::now();
    const double c0 = threadCpuSeconds();
    for (std::size_t k = 0; k < copies; ++k)
        for (const auto &body : bodies) {
            ingest::DecodeError f;
            ingest::decodeOtlpTraces(body, ingest::OtlpEncoding::Json, r, f);
            out.spans += r.spans.size();
            for (const auto n : r.redactions)
                out.replaced += n;
        }
    const double cpu = threadCpuSeconds() - c0;
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    out.wall_us = wall * 1e6 / double(std::max<std::size_t>(out.spans, 1));
    out.cpu_us = cpu * 1e6 / double(std::max<std::size_t>(out.spans, 1));
    return out;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

/// Off and on by turns (which goes first alternates), `rounds` pairs; prints each and the medians.
void ingestShare(const ingest::Redactor &redactor, int rounds, std::size_t copies)
{
    const auto bodies = capturedRequests();
    if (bodies.empty()) {
        std::printf("no fixtures under %s\n", AGENTOPS_FIXTURES_DIR);
        return;
    }
    std::printf(
        "decode + normalize of the captured framework traces (%zu requests x %zu), per span:\n", bodies.size(), copies);
    std::vector<double> offWall, offCpu, onWall, onCpu;
    for (int i = 0; i < rounds; ++i) {
        for (int j = 0; j < 2; ++j) {
            const bool on = (i + j) % 2 == 1;
            const PerSpan p = decodeAll(bodies, copies, on ? &redactor : nullptr);
            std::printf("  round %d, redaction %-9s %zu spans: wall %6.2f us, CPU %6.2f us (%llu replaced)\n", i + 1,
                on ? "built-ins" : "off", p.spans, p.wall_us, p.cpu_us, static_cast<unsigned long long>(p.replaced));
            (on ? onWall : offWall).push_back(p.wall_us);
            (on ? onCpu : offCpu).push_back(p.cpu_us);
        }
    }
    if (rounds == 0)
        return;
    const double offC = median(offCpu), onC = median(onCpu);
    std::printf("medians of %d rounds: off wall %.2f us CPU %.2f us; built-ins wall %.2f us CPU %.2f us; "
                "redaction costs %.2f us CPU a span (%+.0f%%)\n",
        rounds, median(offWall), offC, median(onWall), onC, onC - offC, 100.0 * (onC - offC) / offC);
}

} // namespace

int main(int argc, char **argv)
{
    std::size_t mib = 8;
    double limit = 20;
    int rounds = 7;
    std::size_t copies = 200;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--mib") == 0)
            mib = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
        else if (std::strcmp(argv[i], "--limit") == 0)
            limit = std::max(1, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--rounds") == 0)
            rounds = std::max(0, std::atoi(argv[i + 1]));
        else if (std::strcmp(argv[i], "--copies") == 0)
            copies = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
    }

    const char *nested = "(a+)+$";
    for (std::size_t n : { 24u, 28u, 100000u }) {
        const std::string text = std::string(n, 'a') + "c";
        std::printf("pattern %s on %zu a's and a c (no match):\n", nested, n);
        measure("std::regex (ECMAScript, backtracking)", limit,
            [&] { return std::regex_search(text, std::regex(nested)) ? "match" : "no match"; });
        measure("Boost.Regex 1.81 (backtracking, bounded)", limit,
            [&] { return boost::regex_search(text, boost::regex(nested)) ? "match" : "no match"; });
        measure("RE2 (automaton, linear)", limit,
            [&] { return RE2::PartialMatch(text, RE2(nested)) ? "match" : "no match"; });
    }

    const std::string text = prose(mib << 20);
    const char *email = R"([A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})";
    std::printf("e-mail pattern over %zu MiB of prompt-like text (no match):\n", mib);
    for (const char *engine : { "std::regex", "Boost.Regex", "RE2" }) {
        measure(engine, 120, [&]() -> std::string {
            const auto t0 = Clock::now();
            bool found = false;
            if (std::strcmp(engine, "std::regex") == 0)
                found = std::regex_search(text, std::regex(email));
            else if (std::strcmp(engine, "Boost.Regex") == 0)
                found = boost::regex_search(text, boost::regex(email));
            else
                found = RE2::PartialMatch(text, RE2(email));
            const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
            return std::string(found ? "match, " : "no match, ") + mbps(text.size(), secs);
        });
    }

    ingest::RedactionConfig all;
    for (std::string_view name : ingest::kBuiltinPatterns)
        all.builtins.emplace_back(name);
    const ingest::Redactor redactor(all);
    std::printf("the built-in patterns (ingest/redaction.h) over %zu MiB:\n", mib);
    measure("prompt-like text, nothing to redact", 120, [&] {
        std::string copy = text;
        std::vector<std::uint64_t> counts;
        const auto t0 = Clock::now();
        redactor.redactText(copy, {}, counts);
        return mbps(text.size(), std::chrono::duration<double>(Clock::now() - t0).count());
    });
    measure("the same with an e-mail and a key every 4 KiB", 120, [&] {
        std::string copy;
        for (std::size_t i = 0; i < text.size(); i += 4096)
            copy += text.substr(i, 4096) + " bob@example.org sk-proj-AbCdEf0123456789GhIjKl ";
        std::vector<std::uint64_t> counts;
        const auto t0 = Clock::now();
        const std::size_t n = redactor.redactText(copy, {}, counts);
        return mbps(copy.size(), std::chrono::duration<double>(Clock::now() - t0).count()) + ", " + std::to_string(n)
            + " replaced";
    });
    ingestShare(redactor, rounds, copies);
    return 0;
}
