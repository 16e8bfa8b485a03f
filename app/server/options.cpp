// SPDX-License-Identifier: MIT
#include "server/options.h"

#include "ingest/redaction.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <tuple>

#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/resource.h>

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

void raiseOpenFileLimit(std::size_t connections)
{
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = static_cast<rlim_t>(connections) + 256;
    if (limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(limit.rlim_max, wanted);
    setrlimit(RLIMIT_NOFILE, &limit);
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

namespace {

/// A word as a POSIX shell reads it back: as it is when it holds nothing special, else quoted.
std::string shellWord(const std::string &word)
{
    if (!word.empty()
        && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@=%,")
            == std::string::npos)
        return word;
    std::string out = "'";
    for (char c : word)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

std::string adminCommand(const ServerOptions &options, const std::string &arguments)
{
    const bool ownDatabase
        = options.database == options.data_dir + "/agentops.db" || options.database == options.data_dir + "/traces.db";
    const std::string where = ownDatabase ? "--data-dir " + shellWord(options.data_dir)
                                          : "--database " + shellWord(redactDatabaseUrl(options.database));
    return "agentops-server " + where + " " + arguments;
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

bool isWildcardHost(const std::string &host)
{
    return host.empty() || host == "0.0.0.0" || host == "::";
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

bool loadRedactor(ServerOptions &options, std::string &error)
{
    ingest::RedactionConfig config;
    if (!options.redact_rules_file.empty()) {
        std::ifstream in(options.redact_rules_file, std::ios::binary);
        if (!in) {
            error = "--redact-rules: cannot read " + options.redact_rules_file;
            return false;
        }
        std::ostringstream text;
        text << in.rdbuf();
        try {
            config = ingest::parseRedactionRules(text.str());
        } catch (const std::invalid_argument &e) {
            error = "--redact-rules: " + options.redact_rules_file + ": " + e.what();
            return false;
        }
    }
    if (options.redact_builtin)
        for (std::string_view name : ingest::kBuiltinPatterns)
            if (std::find(config.builtins.begin(), config.builtins.end(), name) == config.builtins.end())
                config.builtins.emplace_back(name);
    if (config.empty()) {
        options.http.redactor.reset();
        return true;
    }
    try {
        options.http.redactor = std::make_shared<const ingest::Redactor>(config);
    } catch (const std::invalid_argument &e) {
        error = std::string("--redact: ") + e.what();
        return false;
    }
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

namespace {

/// The usage text in parts, each a raw string short enough to read.
const char *usageCommands()
{
    return R"(Usage: agentops-server [options]
       agentops-server user add EMAIL [--name NAME] [--project PROJECT] [--password-stdin]
       agentops-server user list | disable EMAIL | enable EMAIL | passwd EMAIL [--password-stdin]
       agentops-server user grant-admin EMAIL | revoke-admin EMAIL
       agentops-server project create NAME [--retention-days N] | list
       agentops-server project add-member PROJECT EMAIL | remove-member PROJECT EMAIL
       agentops-server project retention PROJECT DAYS | prices PROJECT FILE|none
       agentops-server key create PROJECT [--name NAME] | list [PROJECT] | revoke ID | rotate ID
       agentops-server alert add NAME --kind KIND [--threshold X] [--window MINUTES] [--for SECONDS]
                       [--scope service|agent|model --scope-value NAME] [--webhook URL [--secret S]]
                       [--project PROJECT]
       agentops-server alert list [--project PROJECT] | remove NAME|ID [--project PROJECT]
       agentops-server reprice [--data-dir DIR | --database PATH] [--prices FILE]
       agentops-server backup [--data-dir DIR | --database PATH] --to FILE
       agentops-server restore [--data-dir DIR | --database PATH] --from FILE
       agentops-server erase [--data-dir DIR] (--user ID | --session ID | --trace ID) [--project P]
       agentops-server export [--data-dir DIR] (--user ID | --session ID | --trace ID) [--project P]
                       --to FILE
       agentops-server audit [--data-dir DIR] [--limit N]

Receives OpenTelemetry traces from AI agents (OTLP/HTTP on /v1/traces, OTLP/gRPC on port 4317,
native JSON on /api/v1/ingest), stores them, and answers the query API the desktop app reads.

By default the server runs for a team: ingest needs a project API key (Authorization: Bearer
<key> or x-api-key; over gRPC the same as metadata) and files spans under the key's project; queries need an API key or a
session token from POST /api/v1/auth/login. Create users, projects and keys with the commands
above (they work on the database directly; the server may be running). --auth none serves one
store with no keys, as the desktop app's embedded server does.

Commands:
  user, project, key          manage accounts, projects and API keys, then exit
  alert                       add, list and remove alert rules (docs/alerts.md), then exit;
                              KIND is error_rate (%), cost_per_hour, cost_per_day (USD),
                              p95_latency (ms) or no_traffic (spans, usually 0); a team server
                              needs --project
  reprice                     price the stored spans again with the shipped table and --prices
                              overrides (after a price change), then exit; the database may be in
                              use by a running server meanwhile
  backup                      write a consistent copy of every database of the data directory to
                              FILE (a tar archive) while the server keeps running, then exit
  restore                     replace the data directory's databases with those of a backup, then
                              exit; refused while a server uses the directory. The former content
                              is kept beside it (DIR.before-restore-TIME). PostgreSQL: pg_dump and
                              pg_restore (docs/postgresql.md)
  erase                       delete every trace of an end user (the spans' user.id or enduser.id),
                              a session or one trace, in every project (or --project P), so that
                              none of its text is left in any file of the data directory; refused
                              while a server uses the directory (use POST /api/v1/admin/erase
                              then); exit code 3 when nothing matched (docs/deployment.md)
  export                      write the same traces as OTLP/JSON lines to FILE (File > Open in the
                              app reads them); exit code 3 when nothing matched
  audit                       print the audit log of admin actions, newest first (--limit N, default
                              100)
  user grant-admin EMAIL      let a user erase, export and read the audit log over the API
                              (revoke-admin EMAIL takes it back)

)";
}

const char *usageOptions()
{
    return R"(Options:
  --listen HOST:PORT          address to listen on (default 127.0.0.1:4318; port 0 picks a free one)
  --grpc-listen HOST:PORT|off address of the OTLP/gRPC receiver (default 127.0.0.1:4317; off: none);
                              it shares TLS, the size and rate limits and the shutdown timeout
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
  --retention-size SIZE       keep each trace store (each project's) within SIZE, e.g. 500MiB, 10GB,
                              1.5TiB (K, M, G, T are powers of 1024; at least 1MiB): above it the
                              oldest traces are deleted, whole; looked at every minute (SQLite only)
  --disk-low SIZE|PERCENT     free disk below this is low: a warning in the log and agentops_disk_low
                              in /metrics (default 1GiB; e.g. 5GiB or 5%)
  --session-idle DURATION     sign-in sessions unused this long end (default 24h; 90s, 15m, 12h, 30d)
  --session-lifetime DURATION sign-in sessions end this long after sign-in (default 30d)
  --data-dir DIR              where the databases live (default $XDG_DATA_HOME/agentops-monitor)
  --database PATH|URL         SQLite file or postgresql:// URL (default DATA_DIR/agentops.db, or
                              DATA_DIR/traces.db with --auth none)
  --log-format text|json      access and event log format on stdout (default text)
  --max-body-bytes SIZE       largest request body on the wire (default 16MiB)
  --max-decompressed-bytes SIZE
                              largest body after gzip is undone (default 64MiB)
  --max-value-bytes SIZE      longest attribute value, payload, name or status message stored
                              whole; longer ones are stored cut, with a marker (default 1MiB;
                              0: no limit)
  --queue-max-spans N         spans waiting for the writer before ingest answers 503 (default 200000)
  --workers N                 threads for requests that wait (store queries, sign-in, ingest
                              waiting for its commit); connections hold none (default 64)
  --io-threads N              threads that read and write every connection (default 2)
  --sync normal|full          SQLite durability: normal survives a crash of the server,
                              full also survives power loss (default normal)
  --search-index on|off       keep a full-text index of what spans say, for q= (SQLite:
                              about five times the database's size for text-heavy spans;
                              PostgreSQL: pg_trgm indexes; default on)
  --redact builtin|none       replace e-mail addresses, API keys, bearer tokens, JWTs and card
                              numbers in everything received by [REDACTED:<pattern>] before it
                              is stored (default none; docs/deployment.md "Redaction")
  --redact-rules FILE         redaction rules of your own (JSON: built-in patterns by name,
                              RE2 patterns, attribute keys whose values are replaced whole)
  --prices FILE               model price overrides (JSON, see docs/pricing.md) laid over the
                              shipped price table; a row with a shipped id replaces it
  --fault-unavailable N       answer the first N ingest requests with 503 (to test client retries)
  --backup-dir DIR            take scheduled backups into DIR (SQLite only) ...
  --backup-every DURATION     ... this often (at least 1m; e.g. 6h, 1d) ...
  --backup-keep N             ... keeping the newest N (default 7); older ones are deleted after
                              each backup that succeeded
  --alert-interval DURATION   how often alert rules are evaluated (default 1m; 1s to 1h)
  --webhook-attempts N        attempts to deliver an alert to a webhook before giving up
                              (default 8; 1 to 100)
  --webhook-backoff DURATION  wait after a failed delivery, doubled after each further failure up
                              to 5m (default 1s; 1s to 5m)

)";
}

const char *usageLimits()
{
    return R"(Limits (docs/deployment.md; the defaults are safe for a server on the internet):
  --max-header-bytes SIZE     request line and header fields together (default 32KiB; over: 431)
  --max-header-count N        header fields (default 100; over: 431)
  --max-request-line SIZE     request line (default 8KiB; over: 414)
  --header-timeout DURATION   the whole header must arrive within this (default 10s)
  --body-timeout DURATION     a body may take this long ... (default 10s)
  --body-min-rate SIZE        ... plus a second per SIZE received (default 16KiB)
  --keep-alive-timeout DURATION
                              an idle connection is closed after this (default 10s)
  --max-connections N         open connections in all (default 1024; over: 503 and closed)
  --max-connections-per-client N
                              open connections per client address (default 128); behind a
                              reverse proxy every connection has the proxy's address
  --tls-handshake-timeout DURATION
                              a TLS handshake must be done within this (default 10s)
  --shutdown-timeout DURATION on SIGTERM, requests in flight may finish within this (default 10s)
  --grpc-max-streams N        OTLP/gRPC calls at once on one connection (default 32)
  --grpc-idle-timeout DURATION
                              an OTLP/gRPC connection without calls is closed after this (default 5m)
  --grpc-max-memory SIZE|none bytes of OTLP/gRPC messages still arriving the server holds at once;
                              beyond it the connection holding most is closed (default 16 times
                              --max-body-bytes; none: no bound)
  --grpc-max-connection-age DURATION
                              an OTLP/gRPC connection is closed after this plus the shutdown timeout,
                              however slowly its calls arrive; clients reconnect (default 10m)
  --allow-host NAME           with --auth none, also answer requests whose Host is NAME (by
                              default only loopback names and addresses: DNS rebinding); repeat
  --version                   print the version and exit
  --help                      print this help and exit
)";
}

} // namespace

std::string serverUsage()
{
    return std::string(usageCommands()) + usageOptions() + usageLimits();
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

namespace {

/// One flag of the command line and its value, as the parsers below take them.
struct Arg
{
    const std::vector<std::string> &args;
    std::size_t &i;
    std::string &error;
    std::string flag;
    std::string value;
    bool hasValue = false;

    bool need()
    {
        if (hasValue)
            return true;
        if (i + 1 >= args.size()) {
            error = flag + ": needs a value";
            return false;
        }
        value = args[++i];
        return true;
    }
    bool count(std::size_t &target, std::size_t min, std::size_t max = SIZE_MAX)
    {
        if (!need())
            return false;
        std::uint64_t v = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (ec != std::errc() || end != value.data() + value.size() || v < min) {
            error = flag + ": must be a whole number >= " + std::to_string(min) + ", got '" + value + "'";
            return false;
        }
        target = static_cast<std::size_t>(std::min<std::uint64_t>(v, max));
        return true;
    }
    bool bytes(std::size_t &target)
    {
        if (!need())
            return false;
        if (!parseByteSize(value, target)) {
            error = flag + ": expected a size such as 16MiB or 1048576, got '" + value + "'";
            return false;
        }
        return true;
    }
    bool seconds(int &target)
    {
        if (!need())
            return false;
        std::chrono::seconds d {};
        if (!parseDuration(value, d) || d > std::chrono::hours(24)) {
            error = flag + ": expected a duration such as 10s or 2m (at most 1d), got '" + value + "'";
            return false;
        }
        target = static_cast<int>(d.count());
        return true;
    }
    /// A value that is one of two words; isFirst says which.
    bool either(std::string_view first, std::string_view second, bool &isFirst)
    {
        if (!need())
            return false;
        if (value != first && value != second) {
            error = flag + ": must be " + std::string(first) + " or " + std::string(second) + ", got '" + value + "'";
            return false;
        }
        isFirst = value == first;
        return true;
    }
};

enum class Parsed { No, Yes, Error };

Parsed result(bool ok)
{
    return ok ? Parsed::Yes : Parsed::Error;
}

/// The limits of the HTTP server (http::Limits).
Parsed parseLimitOption(Arg &a, http::Limits &l)
{
    const std::string &f = a.flag;
    if (f == "--max-header-bytes")
        return result(a.bytes(l.max_header_bytes));
    if (f == "--max-header-count")
        return result(a.count(l.max_header_count, 1, 100'000));
    if (f == "--max-request-line")
        return result(a.bytes(l.max_request_line));
    if (f == "--header-timeout")
        return result(a.seconds(l.header_timeout_seconds));
    if (f == "--body-timeout")
        return result(a.seconds(l.body_timeout_seconds));
    if (f == "--body-min-rate")
        return result(a.bytes(l.body_min_rate));
    if (f == "--keep-alive-timeout")
        return result(a.seconds(l.keep_alive_seconds));
    if (f == "--max-connections")
        return result(a.count(l.max_connections, 1, 1'000'000));
    if (f == "--max-connections-per-client")
        return result(a.count(l.max_connections_per_client, 1, 1'000'000));
    if (f == "--tls-handshake-timeout")
        return result(a.seconds(l.tls_handshake_timeout_seconds));
    if (f == "--shutdown-timeout")
        return result(a.seconds(l.shutdown_timeout_seconds));
    return Parsed::No;
}

/// What the HTTP front door is told: address, TLS, rate limits, CORS, threads, sizes.
Parsed parseHttpOption(Arg &a, ServerConfig &http)
{
    const std::string &f = a.flag;
    if (f == "--listen") {
        if (!a.need())
            return Parsed::Error;
        if (!parseHostPort(a.value, http.host, http.port)) {
            a.error = "--listen: expected HOST:PORT (e.g. 127.0.0.1:4318), got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--tls-cert" || f == "--tls-key") {
        if (!a.need())
            return Parsed::Error;
        (f == "--tls-cert" ? http.tls_cert_file : http.tls_key_file) = a.value;
        return Parsed::Yes;
    }
    if (f == "--rate-limit-key" || f == "--rate-limit-client" || f == "--rate-limit-login") {
        if (!a.need())
            return Parsed::Error;
        double rate = 0;
        double burst = 0;
        if (!parseRate(a.value, rate, burst)) {
            a.error = f + ": expected RATE or RATE/BURST in requests per second (e.g. 100/200, 0 for none), got '"
                + a.value + "'";
            return Parsed::Error;
        }
        auto [r, b] = f == "--rate-limit-key" ? std::tie(http.key_rate, http.key_burst)
            : f == "--rate-limit-client"      ? std::tie(http.client_rate, http.client_burst)
                                              : std::tie(http.login_rate, http.login_burst);
        r = rate;
        b = burst;
        return Parsed::Yes;
    }
    if (f == "--cors-origin" || f == "--allow-host") {
        if (!a.need())
            return Parsed::Error;
        (f == "--cors-origin" ? http.cors_origins : http.allowed_hosts).push_back(a.value);
        return Parsed::Yes;
    }
    if (f == "--cors-credentials") {
        http.cors_credentials = true;
        return Parsed::Yes;
    }
    if (f == "--max-body-bytes")
        return result(a.bytes(http.max_body_bytes));
    if (f == "--max-decompressed-bytes")
        return result(a.bytes(http.max_decompressed_bytes));
    if (f == "--max-value-bytes") {
        if (!a.need())
            return Parsed::Error;
        if (a.value == "0") { // no limit
            http.max_value_bytes = 0;
            return Parsed::Yes;
        }
        if (!parseByteSize(a.value, http.max_value_bytes)) {
            a.error = f + ": expected a size such as 1MiB or 1048576, or 0 for no limit, got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    std::size_t n = 0;
    if (f == "--workers" || f == "--io-threads" || f == "--fault-unavailable") {
        const bool ok = a.count(n, f == "--fault-unavailable" ? 0 : 1, f == "--fault-unavailable" ? 1'000'000 : 256);
        (f == "--workers"             ? http.worker_threads
                : f == "--io-threads" ? http.io_threads
                                      : http.fault_unavailable)
            = static_cast<int>(n);
        return result(ok);
    }
    return parseLimitOption(a, http.limits);
}

/// Backups, alerts and webhooks, and what the erase and audit commands select.
Parsed parseCommandOption(Arg &a, ServerOptions &out)
{
    const std::string &f = a.flag;
    if (f == "--to" || f == "--from" || f == "--backup-dir") {
        if (!a.need())
            return Parsed::Error;
        if (a.value.empty()) {
            a.error = f + (f == "--backup-dir" ? ": needs a directory" : ": needs a file name");
            return Parsed::Error;
        }
        (f == "--backup-dir" ? out.backup_dir : out.backup_file) = a.value;
        out.backup_flag = f == "--backup-dir" ? out.backup_flag : f;
        return Parsed::Yes;
    }
    if (f == "--backup-every") {
        if (!a.need())
            return Parsed::Error;
        if (!parseDuration(a.value, out.backup_every) || out.backup_every < std::chrono::minutes(1)) {
            a.error = "--backup-every: expected a duration of at least 1m such as 30m, 6h or 1d, got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--backup-keep")
        return result(a.count(out.backup_keep, 1, 10'000));
    if (f == "--alert-interval" || f == "--webhook-backoff") {
        if (!a.need())
            return Parsed::Error;
        const bool interval = f == "--alert-interval";
        const auto max = interval ? std::chrono::seconds(3600) : std::chrono::seconds(300);
        auto &target = interval ? out.alert_interval : out.webhook_backoff;
        if (!parseDuration(a.value, target) || target > max) {
            a.error = f + ": expected a duration from 1s to " + (interval ? "1h" : "5m") + " such as 30s or 2m, got '"
                + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--webhook-attempts") {
        if (!a.count(out.webhook_attempts, 1) || out.webhook_attempts > 100) {
            if (a.error.empty())
                a.error = "--webhook-attempts: must be a whole number from 1 to 100, got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--user" || f == "--session" || f == "--trace") {
        if (!a.need())
            return Parsed::Error;
        if (a.value.empty()) {
            a.error = f + ": needs an id";
            return Parsed::Error;
        }
        out.select_by = f.substr(2);
        out.select_id = a.value;
        ++out.select_count;
        return Parsed::Yes;
    }
    if (f == "--limit")
        return result(a.count(out.audit_limit, 1, 100'000));
    return Parsed::No;
}

/// Store, accounts, logging and the like.
Parsed parseStoreOption(Arg &a, ServerOptions &out)
{
    const std::string &f = a.flag;
    if (f == "--auth")
        return result(a.either("required", "none", out.auth_required));
    if (f == "--retention-interval" || f == "--session-idle" || f == "--session-lifetime") {
        if (!a.need())
            return Parsed::Error;
        std::chrono::seconds d {};
        if (!parseDuration(a.value, d)) {
            a.error = f == "--retention-interval"
                ? "--retention-interval: expected a duration such as 15m or 1h, got '" + a.value + "'"
                : f + ": expected a duration such as 90s, 15m, 12h or 30d, got '" + a.value + "'";
            return Parsed::Error;
        }
        (f == "--retention-interval"    ? out.retention_interval
                : f == "--session-idle" ? out.sessions.idle_timeout
                                        : out.sessions.lifetime)
            = d;
        return Parsed::Yes;
    }
    if (f == "--retention-size") {
        if (!a.need())
            return Parsed::Error;
        if (!store::parseStorageSize(a.value, out.retention_size) || out.retention_size < (1u << 20)) {
            a.error = "--retention-size: expected a size of at least 1MiB such as 500MiB, 10GB or 1.5TiB, got '"
                + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--disk-low") {
        if (!a.need())
            return Parsed::Error;
        if (!store::parseDiskLowThreshold(a.value, out.disk_low)) {
            a.error
                = "--disk-low: expected a size such as 1GiB or a share of the disk such as 5%, got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--data-dir" || f == "--database") {
        if (!a.need())
            return Parsed::Error;
        (f == "--data-dir" ? out.data_dir : out.database) = a.value;
        return Parsed::Yes;
    }
    if (f == "--log-format") {
        bool text = true;
        if (!a.either("text", "json", text))
            return Parsed::Error;
        out.log_format = text ? Log::Format::Text : Log::Format::Json;
        return Parsed::Yes;
    }
    if (f == "--queue-max-spans")
        return result(a.count(out.queue_max_spans, 1));
    if (f == "--prices" || f == "--redact-rules") {
        if (!a.need())
            return Parsed::Error;
        if (a.value.empty()) {
            a.error = f + ": needs a file name";
            return Parsed::Error;
        }
        (f == "--prices" ? out.prices_file : out.redact_rules_file) = a.value;
        return Parsed::Yes;
    }
    if (f == "--redact")
        return result(a.either("builtin", "none", out.redact_builtin));
    if (f == "--sync") {
        bool normal = true;
        if (!a.either("normal", "full", normal))
            return Parsed::Error;
        out.sync_full = !normal;
        return Parsed::Yes;
    }
    if (f == "--search-index")
        return result(a.either("on", "off", out.search_index));
    return Parsed::No;
}

/// The OTLP/gRPC receiver's address and the limits of its own (GrpcConfig).
Parsed parseGrpcOption(Arg &a, ServerOptions &out)
{
    const std::string &f = a.flag;
    GrpcConfig &g = out.grpc;
    if (f == "--grpc-listen") {
        if (!a.need())
            return Parsed::Error;
        out.grpc_enabled = a.value != "off";
        if (out.grpc_enabled && !parseHostPort(a.value, g.host, g.port)) {
            a.error = "--grpc-listen: expected HOST:PORT (e.g. 127.0.0.1:4317) or off, got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    std::size_t n = 0;
    if (f == "--grpc-max-streams") {
        const bool ok = a.count(n, 1, 100'000);
        g.max_concurrent_streams = static_cast<int>(n);
        return result(ok);
    }
    if (f == "--grpc-idle-timeout")
        return result(a.seconds(g.idle_timeout_seconds));
    if (f == "--grpc-max-memory") {
        if (!a.need())
            return Parsed::Error;
        g.unbounded_memory = a.value == "none";
        if (!g.unbounded_memory && (!parseByteSize(a.value, g.memory_bytes) || g.memory_bytes == 0)) {
            a.error = "--grpc-max-memory: expected a size above 0 (such as 256MiB) or none, got '" + a.value + "'";
            return Parsed::Error;
        }
        return Parsed::Yes;
    }
    if (f == "--grpc-max-connection-age")
        return result(a.seconds(g.max_connection_age_seconds));
    return Parsed::No;
}

/// Whether two listening hosts would take the same port from each other: the same name, a wildcard
/// address, or "localhost" and the loopback address it names.
bool hostsOverlap(const std::string &a, const std::string &b)
{
    const auto localhost = [](const std::string &h) { return h == "localhost" || h == "127.0.0.1" || h == "::1"; };
    return a == b || isWildcardHost(a) || isWildcardHost(b) || (localhost(a) && localhost(b));
}

/// The gRPC receiver's address: the rules of --listen, and not the HTTP server's own address.
bool validateGrpc(const ServerOptions &out, std::string &error)
{
    if (!out.grpc_enabled || !out.command.empty())
        return true;
    if (!isLoopbackHost(out.grpc.host) && out.http.tls_cert_file.empty() && !out.allow_insecure_http) {
        error = "--grpc-listen " + out.grpc.host
            + ": refusing plain gRPC beyond loopback, where API keys would cross the network unencrypted; give "
              "--tls-cert and --tls-key (gRPC uses them too), or pass --allow-insecure-http behind a TLS proxy, or "
              "--grpc-listen off";
        return false;
    }
    if (!out.auth_required && !isLoopbackHost(out.grpc.host) && !out.allow_insecure_http) {
        error = "--auth none: refusing to serve an open store beyond loopback over gRPC (--grpc-listen " + out.grpc.host
            + "); use --auth required, or pass --allow-insecure-http as well if that is really meant";
        return false;
    }
    if (out.grpc.port != 0 && out.grpc.port == out.http.port && hostsOverlap(out.grpc.host, out.http.host)) {
        error = "--grpc-listen and --listen name the same address: give gRPC a port of its own (4317 by default)";
        return false;
    }
    return true;
}

/// backup and restore, and scheduled backups: the flags they need, on the databases they can copy.
bool validateBackup(const ServerOptions &out, std::string &error)
{
    const bool isBackup = out.command == "backup";
    const bool isRestore = out.command == "restore";
    if ((isBackup || isRestore) && out.backup_file.empty()) {
        error = out.command + ": needs " + (isBackup ? "--to FILE" : "--from FILE");
        return false;
    }
    const bool isExport = out.command == "export";
    if (!out.backup_flag.empty() && out.backup_flag != (isBackup || isExport ? "--to" : isRestore ? "--from" : "")) {
        error = out.backup_flag + ": only with " + (out.backup_flag == "--to" ? "backup or export" : "restore");
        return false;
    }
    const bool scheduled = !out.backup_dir.empty() || out.backup_every.count() > 0;
    if (scheduled && (out.backup_dir.empty() || out.backup_every.count() == 0)) {
        error = "--backup-dir and --backup-every go together: give both";
        return false;
    }
    if ((isBackup || isRestore || scheduled) && isPostgresUrl(out.database)) {
        error = std::string(isBackup || isRestore ? out.command : "--backup-dir")
            + ": the database is PostgreSQL; back it up with pg_dump and restore it with pg_restore "
              "(docs/postgresql.md)";
        return false;
    }
    return true;
}

/// erase, export and audit: one selection each, in a data directory with projects or one store.
bool validateErasure(const ServerOptions &out, std::string &error)
{
    const bool selecting = out.command == "erase" || out.command == "export";
    if (selecting && out.select_count == 0) {
        error = out.command + ": needs --user ID, --session ID or --trace ID (whose traces to " + out.command + ")";
        return false;
    }
    if (out.select_count > 1) {
        error = out.command.empty() || !selecting ? "--user, --session and --trace: only with erase and export"
                                                  : out.command + ": give one of --user, --session and --trace";
        return false;
    }
    if (!selecting && out.select_count > 0) {
        error = "--" + out.select_by + ": only with erase and export";
        return false;
    }
    if (!out.select_project.empty() && !out.auth_required) {
        error = "--project: --auth none keeps one store and no projects";
        return false;
    }
    if (out.command == "export" && out.backup_file.empty()) {
        error = "export: needs --to FILE";
        return false;
    }
    if (out.command == "audit" && !out.auth_required) {
        error = "audit: --auth none keeps no accounts and no audit log";
        return false;
    }
    return true;
}

/// The flags that belong together or to a listening address.
bool validate(ServerOptions &out, std::string &error)
{
    if (!validateBackup(out, error) || !validateErasure(out, error))
        return false;
    if (out.retention_size > 0 && isPostgresUrl(out.database)) {
        // PostgreSQL's relation sizes do not drop when rows are deleted (VACUUM makes the space
        // reusable, only VACUUM FULL, which locks the tables, gives it back): a limit measured by them
        // would delete every trace. Its own tools size a database better.
        error = "--retention-size: SQLite only; on PostgreSQL keep traces by age (project retention DAYS) "
                "and watch pg_database_size (docs/postgresql.md)";
        return false;
    }
    if (out.http.max_decompressed_bytes < out.http.max_body_bytes) {
        error = "--max-decompressed-bytes must not be smaller than --max-body-bytes";
        return false;
    }
    if (out.http.limits.max_request_line > out.http.limits.max_header_bytes) {
        error = "--max-request-line must not be larger than --max-header-bytes";
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
    return validateGrpc(out, error);
}

} // namespace

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
        Arg a { args, i, error, args[i], {}, false };
        if (auto eq = a.flag.find('='); a.flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            a.value = a.flag.substr(eq + 1);
            a.flag.resize(eq);
            a.hasValue = true;
        }
        const std::string &flag = a.flag;
        // The command is the first word that is not an option or an option's value, so the global
        // options may come before it as well as after: `--data-dir D project create x`.
        if (out.command.empty()
            && (flag == "reprice" || flag == "backup" || flag == "restore" || flag == "user" || flag == "project"
                || flag == "key" || flag == "alert" || flag == "erase" || flag == "export" || flag == "audit")) {
            out.command = flag;
            continue;
        }
        const bool dataCommand = out.command == "reprice" || out.command == "backup" || out.command == "restore"
            || out.command == "erase" || out.command == "export" || out.command == "audit";
        if (dataCommand && flag == "--project") {
            if (!a.need())
                return false;
            if (a.value.empty()) {
                error = "--project: needs a project name or id";
                return false;
            }
            out.select_project = a.value;
            continue;
        }
        if (!out.command.empty() && !dataCommand && flag.rfind("--", 0) != 0) {
            out.command_args.push_back(flag);
            continue;
        }
        const bool alertOption = out.command == "alert"
            && (flag == "--kind" || flag == "--threshold" || flag == "--window" || flag == "--for" || flag == "--scope"
                || flag == "--scope-value" || flag == "--webhook" || flag == "--secret");
        if (!out.command.empty() && !dataCommand
            && (flag == "--name" || flag == "--project" || flag == "--retention-days" || alertOption)) {
            // Options of the admin commands, passed on with their value.
            if (!a.need())
                return false;
            out.command_args.push_back(flag);
            out.command_args.push_back(a.value);
            continue;
        }
        if (!out.command.empty() && flag == "--password-stdin") {
            out.command_args.push_back(flag);
            continue;
        }
        if (flag == "--allow-insecure-http" || flag == "--help" || flag == "-h" || flag == "--version") {
            (flag == "--allow-insecure-http" ? out.allow_insecure_http
                    : flag == "--version"    ? out.version
                                             : out.help)
                = true;
            continue;
        }
        Parsed parsed = parseHttpOption(a, out.http);
        if (parsed == Parsed::No)
            parsed = parseGrpcOption(a, out);
        if (parsed == Parsed::No)
            parsed = parseStoreOption(a, out);
        if (parsed == Parsed::No)
            parsed = parseCommandOption(a, out);
        if (parsed == Parsed::Error)
            return false;
        if (parsed == Parsed::No) {
            error = "unknown option '" + args[i] + "' (see --help)";
            return false;
        }
    }
    if (out.data_dir.empty())
        out.data_dir = defaultDataDir();
    if (out.database.empty())
        out.database = out.data_dir + (out.auth_required ? "/agentops.db" : "/traces.db");
    return validate(out, error);
}

} // namespace agentops::server
