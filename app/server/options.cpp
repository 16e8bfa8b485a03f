// SPDX-License-Identifier: MIT
#include "server/options.h"

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <malloc.h>

namespace agentops::server {

std::string defaultDataDir()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg == '/')
        return std::string(xdg) + "/agentops-monitor";
    if (const char *home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/agentops-monitor";
    return "./agentops-data";
}

void tuneMemoryAllocator()
{
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
}

bool parseByteSize(const std::string &text, std::size_t &bytes)
{
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data())
        return false;
    std::string unit(end, text.data() + text.size());
    std::uint64_t mult = 1;
    if (unit.empty() || unit == "B")
        mult = 1;
    else if (unit == "K" || unit == "KiB" || unit == "k")
        mult = 1ull << 10;
    else if (unit == "M" || unit == "MiB")
        mult = 1ull << 20;
    else if (unit == "G" || unit == "GiB")
        mult = 1ull << 30;
    else
        return false;
    if (value == 0 || value > (1ull << 40) / mult)
        return false;
    bytes = static_cast<std::size_t>(value * mult);
    return true;
}

std::shared_ptr<const core::PriceTable> loadPriceTable(const std::string &overridesFile, std::string &error)
{
    auto table = std::make_shared<core::PriceTable>(core::shippedPriceTable());
    if (overridesFile.empty())
        return table;
    std::ifstream in(overridesFile, std::ios::binary);
    if (!in) {
        error = "--prices: cannot read " + overridesFile;
        return nullptr;
    }
    std::ostringstream text;
    text << in.rdbuf();
    core::PriceTable overrides;
    std::string why;
    if (!overrides.load(text.str(), why, core::PriceRow::Source::Override)) {
        error = "--prices: " + overridesFile + ": " + why;
        return nullptr;
    }
    table->merge(overrides);
    return table;
}

std::string serverUsage()
{
    return R"(Usage: agentops-server [options]
       agentops-server reprice [--data-dir DIR | --database PATH] [--prices FILE]

Receives OpenTelemetry traces from AI agents (OTLP/HTTP on /v1/traces, native JSON on
/api/v1/ingest), stores them, and answers the query API the desktop app reads.

Commands:
  reprice                     price the stored spans again with the shipped table and --prices
                              overrides (after a price change), then exit; the database may be in
                              use by a running server meanwhile

Options:
  --listen HOST:PORT          address to listen on (default 127.0.0.1:4318; port 0 picks a free one)
  --data-dir DIR              where the database lives (default $XDG_DATA_HOME/agentops-monitor)
  --database PATH             SQLite database file (default DATA_DIR/traces.db)
  --log-format text|json      access and event log format on stdout (default text)
  --max-body-bytes SIZE       largest request body on the wire (default 16MiB)
  --max-decompressed-bytes SIZE
                              largest body after gzip is undone (default 64MiB)
  --queue-max-spans N         spans waiting for the writer before ingest answers 503 (default 200000)
  --workers N                 HTTP worker threads; each open client connection holds one
                              (default 64)
  --sync normal|full          SQLite durability: normal survives a crash of the server,
                              full also survives power loss (default normal)
  --prices FILE               model price overrides (JSON, see docs/pricing.md) laid over the
                              shipped price table; a row with a shipped id replaces it
  --fault-unavailable N       answer the first N ingest requests with 503 (to test client retries)
  --version                   print the version and exit
  --help                      print this help and exit
)";
}

static bool parseHostPort(const std::string &text, std::string &host, int &port)
{
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string p = text.substr(colon + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    return ec == std::errc() && end == p.data() + p.size() && port >= 0 && port <= 65535;
}

bool parseServerOptions(const std::vector<std::string> &args, ServerOptions &out, std::string &error)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i];
        std::string value;
        bool hasValue = false;
        if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag.resize(eq);
            hasValue = true;
        }
        auto need = [&]() -> bool {
            if (hasValue)
                return true;
            if (i + 1 >= args.size()) {
                error = flag + ": needs a value";
                return false;
            }
            value = args[++i];
            return true;
        };
        auto count = [&](std::size_t &target, std::size_t min) -> bool {
            if (!need())
                return false;
            std::uint64_t v = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
            if (ec != std::errc() || end != value.data() + value.size() || v < min) {
                error = flag + ": must be a whole number >= " + std::to_string(min) + ", got '" + value + "'";
                return false;
            }
            target = static_cast<std::size_t>(v);
            return true;
        };
        if (i == 0 && flag == "reprice") {
            out.command = flag;
        } else if (flag == "--help" || flag == "-h") {
            out.help = true;
        } else if (flag == "--version") {
            out.version = true;
        } else if (flag == "--listen") {
            if (!need())
                return false;
            if (!parseHostPort(value, out.http.host, out.http.port)) {
                error = "--listen: expected HOST:PORT (e.g. 127.0.0.1:4318), got '" + value + "'";
                return false;
            }
        } else if (flag == "--data-dir") {
            if (!need())
                return false;
            out.data_dir = value;
        } else if (flag == "--database") {
            if (!need())
                return false;
            out.database = value;
        } else if (flag == "--log-format") {
            if (!need())
                return false;
            if (value == "json")
                out.log_format = Log::Format::Json;
            else if (value == "text")
                out.log_format = Log::Format::Text;
            else {
                error = "--log-format: must be text or json, got '" + value + "'";
                return false;
            }
        } else if (flag == "--max-body-bytes" || flag == "--max-decompressed-bytes") {
            if (!need())
                return false;
            std::size_t bytes = 0;
            if (!parseByteSize(value, bytes)) {
                error = flag + ": expected a size such as 16MiB or 1048576, got '" + value + "'";
                return false;
            }
            (flag == "--max-body-bytes" ? out.http.max_body_bytes : out.http.max_decompressed_bytes) = bytes;
        } else if (flag == "--queue-max-spans") {
            if (!count(out.queue_max_spans, 1))
                return false;
        } else if (flag == "--workers") {
            std::size_t n = 0;
            if (!count(n, 1))
                return false;
            out.http.worker_threads = static_cast<int>(std::min<std::size_t>(n, 256));
        } else if (flag == "--fault-unavailable") {
            std::size_t n = 0;
            if (!count(n, 0))
                return false;
            out.http.fault_unavailable = static_cast<int>(std::min<std::size_t>(n, 1'000'000));
        } else if (flag == "--prices") {
            if (!need())
                return false;
            if (value.empty()) {
                error = "--prices: needs a file name";
                return false;
            }
            out.prices_file = value;
        } else if (flag == "--sync") {
            if (!need())
                return false;
            if (value != "normal" && value != "full") {
                error = "--sync: must be normal or full, got '" + value + "'";
                return false;
            }
            out.sync_full = value == "full";
        } else {
            error = "unknown option '" + args[i] + "' (see --help)";
            return false;
        }
    }
    if (out.http.max_decompressed_bytes < out.http.max_body_bytes) {
        error = "--max-decompressed-bytes must not be smaller than --max-body-bytes";
        return false;
    }
    if (out.data_dir.empty())
        out.data_dir = defaultDataDir();
    if (out.database.empty())
        out.database = out.data_dir + "/traces.db";
    return true;
}

} // namespace agentops::server
