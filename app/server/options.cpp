// SPDX-License-Identifier: MIT
#include "server/options.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>

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

bool isPostgresUrl(const std::string &database)
{
    return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

bool isLoopbackHost(const std::string &host)
{
    if (host == "localhost")
        return true;
    in_addr v4 {};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6 {};
    return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string redactDatabaseUrl(const std::string &database)
{
    if (!isPostgresUrl(database))
        return database;
    // postgresql://user:secret@host/db -> postgresql://user:***@host/db; password=... in the query too.
    std::string out = database;
    const auto scheme = out.find("://") + 3;
    const auto at = out.find('@', scheme);
    const auto slash = out.find('/', scheme);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
        const auto colon = out.find(':', scheme);
        if (colon != std::string::npos && colon < at)
            out.replace(colon + 1, at - colon - 1, "***");
    }
    for (std::size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
        const auto end = out.find('&', p);
        out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
    }
    return out;
}

bool parseDuration(const std::string &text, std::chrono::seconds &out)
{
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end == text.data() || value == 0)
        return false;
    const std::string unit(end, text.data() + text.size());
    std::uint64_t mult = 0;
    if (unit == "s")
        mult = 1;
    else if (unit == "m")
        mult = 60;
    else if (unit == "h")
        mult = 3600;
    else if (unit == "d")
        mult = 86400;
    if (mult == 0 || value > (100ull * 365 * 86400) / mult)
        return false;
    out = std::chrono::seconds(static_cast<std::int64_t>(value * mult));
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
       agentops-server user add EMAIL [--name NAME] [--project PROJECT] [--password-stdin]
       agentops-server user list | disable EMAIL | enable EMAIL | passwd EMAIL [--password-stdin]
       agentops-server project create NAME [--retention-days N] | list
       agentops-server project add-member PROJECT EMAIL | remove-member PROJECT EMAIL
       agentops-server project retention PROJECT DAYS | prices PROJECT FILE|none
       agentops-server key create PROJECT [--name NAME] | list [PROJECT] | revoke ID | rotate ID
       agentops-server reprice [--data-dir DIR | --database PATH] [--prices FILE]

Receives OpenTelemetry traces from AI agents (OTLP/HTTP on /v1/traces, native JSON on
/api/v1/ingest), stores them, and answers the query API the desktop app reads.

By default the server runs for a team: ingest needs a project API key (Authorization: Bearer
<key> or x-api-key) and files spans under the key's project; queries need an API key or a
session token from POST /api/v1/auth/login. Create users, projects and keys with the commands
above (they work on the database directly; the server may be running). --auth none serves one
store with no keys, as the desktop app's embedded server does.

Commands:
  user, project, key          manage accounts, projects and API keys, then exit
  reprice                     price the stored spans again with the shipped table and --prices
                              overrides (after a price change), then exit; the database may be in
                              use by a running server meanwhile

Options:
  --listen HOST:PORT          address to listen on (default 127.0.0.1:4318; port 0 picks a free one)
  --auth required|none        require API keys and sign-in (default), or serve one open store
  --tls-cert FILE             serve HTTPS with this PEM certificate (chain) ...
  --tls-key FILE              ... and this PEM private key
  --allow-insecure-http       listen beyond loopback over plain HTTP (only behind a TLS proxy)
  --rate-limit-key RATE[/BURST]
                              requests per second per API key or signed-in user (default 100/200)
  --rate-limit-client RATE[/BURST]
                              requests per second per client address (default 200/400)
  --rate-limit-login RATE[/BURST]
                              sign-in attempts per second per client address (default 0.2/10);
                              RATE 0 turns a limit off; over it: 429 with Retry-After
  --cors-origin ORIGIN        let browser pages from ORIGIN (scheme://host[:port]) call the API;
                              repeat for several; none by default (CORS off)
  --cors-credentials          allow credentialed CORS requests from those origins (never with *)
  --retention-interval DURATION
                              how often old traces are deleted per project retention (default 1h)
  --session-idle DURATION     sign-in sessions unused this long end (default 24h; 90s, 15m, 12h, 30d)
  --session-lifetime DURATION sign-in sessions end this long after sign-in (default 30d)
  --data-dir DIR              where the databases live (default $XDG_DATA_HOME/agentops-monitor)
  --database PATH|URL         SQLite file or postgresql:// URL (default DATA_DIR/agentops.db, or
                              DATA_DIR/traces.db with --auth none)
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

/// "RATE" or "RATE/BURST" (BURST defaults to twice RATE, at least 1).
static bool parseRate(const std::string &text, double &rate, double &burst)
{
    const auto slash = text.find('/');
    const std::string r = text.substr(0, slash);
    auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), rate);
    if (ec != std::errc() || end != r.data() + r.size() || !(rate >= 0) || rate > 1e9)
        return false;
    burst = std::max(1.0, rate * 2);
    if (slash == std::string::npos)
        return true;
    const std::string b = text.substr(slash + 1);
    auto [bend, bec] = std::from_chars(b.data(), b.data() + b.size(), burst);
    return bec == std::errc() && bend == b.data() + b.size() && burst >= 1 && burst <= 1e9;
}

bool parseServerOptions(const std::vector<std::string> &args, ServerOptions &out, std::string &error)
{
    // A team server's defaults; the embedded server (ServerConfig's own defaults) has no limits.
    out.http.key_rate = 100;
    out.http.key_burst = 200;
    out.http.client_rate = 200;
    out.http.client_burst = 400;
    out.http.login_rate = 0.2;
    out.http.login_burst = 10;
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
        if (i == 0 && (flag == "reprice" || flag == "user" || flag == "project" || flag == "key")) {
            out.command = flag;
        } else if (!out.command.empty() && out.command != "reprice" && flag.rfind("--", 0) != 0) {
            out.command_args.push_back(flag);
        } else if (!out.command.empty() && out.command != "reprice"
            && (flag == "--name" || flag == "--project" || flag == "--retention-days")) {
            // Options of the admin commands, passed on with their value.
            if (!need())
                return false;
            out.command_args.push_back(flag);
            out.command_args.push_back(value);
        } else if (!out.command.empty() && flag == "--password-stdin") {
            out.command_args.push_back(flag);
        } else if (flag == "--auth") {
            if (!need())
                return false;
            if (value != "required" && value != "none") {
                error = "--auth: must be required or none, got '" + value + "'";
                return false;
            }
            out.auth_required = value == "required";
        } else if (flag == "--tls-cert" || flag == "--tls-key") {
            if (!need())
                return false;
            (flag == "--tls-cert" ? out.http.tls_cert_file : out.http.tls_key_file) = value;
        } else if (flag == "--rate-limit-key" || flag == "--rate-limit-client" || flag == "--rate-limit-login") {
            if (!need())
                return false;
            double rate = 0;
            double burst = 0;
            if (!parseRate(value, rate, burst)) {
                error = flag + ": expected RATE or RATE/BURST in requests per second (e.g. 100/200, 0 for none), got '"
                    + value + "'";
                return false;
            }
            if (flag == "--rate-limit-key") {
                out.http.key_rate = rate;
                out.http.key_burst = burst;
            } else if (flag == "--rate-limit-client") {
                out.http.client_rate = rate;
                out.http.client_burst = burst;
            } else {
                out.http.login_rate = rate;
                out.http.login_burst = burst;
            }
        } else if (flag == "--cors-origin") {
            if (!need())
                return false;
            out.http.cors_origins.push_back(value);
        } else if (flag == "--cors-credentials") {
            out.http.cors_credentials = true;
        } else if (flag == "--retention-interval") {
            if (!need())
                return false;
            if (!parseDuration(value, out.retention_interval)) {
                error = "--retention-interval: expected a duration such as 15m or 1h, got '" + value + "'";
                return false;
            }
        } else if (flag == "--allow-insecure-http") {
            out.allow_insecure_http = true;
        } else if (flag == "--session-idle" || flag == "--session-lifetime") {
            if (!need())
                return false;
            std::chrono::seconds d {};
            if (!parseDuration(value, d)) {
                error = flag + ": expected a duration such as 90s, 15m, 12h or 30d, got '" + value + "'";
                return false;
            }
            (flag == "--session-idle" ? out.sessions.idle_timeout : out.sessions.lifetime) = d;
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
    if (out.http.tls_cert_file.empty() != out.http.tls_key_file.empty()) {
        error = "--tls-cert and --tls-key go together: give both or neither";
        return false;
    }
    if (out.command.empty() && !isLoopbackHost(out.http.host) && out.http.tls_cert_file.empty()
        && !out.allow_insecure_http) {
        error = "--listen " + out.http.host
            + ": refusing plain HTTP beyond loopback, where API keys and session tokens would cross the network "
              "unencrypted; give --tls-cert and --tls-key, or run behind a TLS reverse proxy and pass "
              "--allow-insecure-http (docs/deployment.md)";
        return false;
    }
    if (out.command.empty() && !out.auth_required && !isLoopbackHost(out.http.host) && !out.allow_insecure_http) {
        error = "--auth none: refusing to serve an open store beyond loopback, where anyone could read and write "
                "it; use --auth required, or pass --allow-insecure-http as well if that is really meant";
        return false;
    }
    if (!out.http.cors_origins.empty() || out.http.cors_credentials) {
        try {
            CorsPolicy::Options cors;
            cors.origins = out.http.cors_origins;
            cors.allow_credentials = out.http.cors_credentials;
            CorsPolicy check(cors);
        } catch (const std::invalid_argument &e) {
            error = std::string("--cors-origin: ") + e.what();
            return false;
        }
    }
    if (out.sessions.idle_timeout > out.sessions.lifetime) {
        error = "--session-idle must not be longer than --session-lifetime";
        return false;
    }
    if (out.data_dir.empty())
        out.data_dir = defaultDataDir();
    if (out.database.empty())
        out.database = out.data_dir + (out.auth_required ? "/agentops.db" : "/traces.db");
    return true;
}

} // namespace agentops::server
