// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"
#include "server/accounts.h"
#include "server/apiserver.h"
#include "server/grpcconfig.h"
#include "server/log.h"
#include "store/storagesize.h"

#include <memory>
#include <string>
#include <vector>

namespace agentops::server {

/// Everything agentops-server can be told on its command line.
struct ServerOptions
{
    ServerConfig http;
    /// The OTLP/gRPC receiver beside it (--grpc-listen, default 127.0.0.1:4317); off: no gRPC.
    GrpcConfig grpc;
    bool grpc_enabled = true;
    std::string data_dir; ///< default: $XDG_DATA_HOME/agentops-monitor (or ~/.local/share/...)
    /// A SQLite file or a postgresql:// URL. Open mode: the trace store (default <data_dir>/traces.db).
    /// Team mode: the account store (default <data_dir>/agentops.db), project stores next to it in
    /// <dir>/projects/<id>.db (or one schema per project in PostgreSQL).
    std::string database;
    /// Team mode (the default): keys for ingest, sign-in for queries. false: open mode (--auth none).
    bool auth_required = true;
    /// Plain HTTP on an address other than loopback was asked for explicitly (behind a TLS proxy).
    bool allow_insecure_http = false;
    SessionPolicy sessions;
    /// How often the retention job looks for traces older than their project's retention.
    std::chrono::seconds retention_interval { std::chrono::hours(1) };
    /// Retention by size (--retention-size): each trace store (each project's in team mode) keeps
    /// its newest traces within this many bytes. 0: no limit. SQLite only.
    std::uint64_t retention_size = 0;
    /// Free disk below this is low (--disk-low): a warning in the log and agentops_disk_low in /metrics.
    store::DiskLowThreshold disk_low;
    Log::Format log_format = Log::Format::Text;
    bool sync_full = false;
    /// Keep the content search index of each SQLite project store (store/searchindex.h).
    bool search_index = true;
    std::size_t queue_max_spans = 200'000;
    std::string prices_file; ///< price overrides laid over the shipped table (docs/pricing.md)
    /// Redaction at ingest (docs/deployment.md "Redaction"): --redact builtin turns every built-in
    /// pattern on; --redact-rules FILE adds the file's (ingest/redaction.h). loadRedactor() reads them.
    bool redact_builtin = false;
    std::string redact_rules_file;
    /// backup --to FILE, restore --from FILE: the archive.
    std::string backup_file;
    std::string backup_flag; ///< "--to" or "--from" when given (each belongs to its command)
    /// Scheduled backups: every backup_every into backup_dir, the newest backup_keep kept.
    std::string backup_dir;
    std::chrono::seconds backup_every { 0 };
    std::size_t backup_keep = 7;
    /// How often the alert rules of every project are evaluated (docs/alerts.md).
    std::chrono::seconds alert_interval { std::chrono::minutes(1) };
    /// Webhook deliveries: attempts in all, and the wait after the first failed one (doubling after
    /// each further failure, at most 5 minutes).
    std::size_t webhook_attempts = 8;
    std::chrono::seconds webhook_backoff { 1 };
    /// erase, export: the traces meant (--trace, --session or --user; which one in select_by) and
    /// the project they are looked for in (--project; every project when empty). select_count
    /// counts the selection flags given, so two of them are refused.
    std::string select_by;
    std::string select_id;
    int select_count = 0;
    std::string select_project;
    /// audit: entries shown, newest first (--limit).
    std::size_t audit_limit = 100;
    /// "" serves; "reprice" prices the stored spans again with the current table and exits; "backup"
    /// and "restore" write and read a backup archive of the data directory; "user",
    /// "project" and "key" are the admin commands, "alert" manages alert rules, with their words
    /// in command_args; "erase" and "export" act on the traces of a person, session or trace
    /// (select_*); "audit" lists the log.
    std::string command;
    std::vector<std::string> command_args;
    bool help = false;
    bool version = false;
};

/// Parses the arguments (argv[0] excluded). False with a message naming the bad flag.
bool parseServerOptions(const std::vector<std::string> &args, ServerOptions &out, std::string &error);
std::string serverUsage();
/// XDG data directory of the product ($XDG_DATA_HOME/agentops-monitor, ~/.local/share/agentops-monitor).
std::string defaultDataDir();
/// An admin command line that works on the same data as a server started with these options
/// ("agentops-server --data-dir '/srv/agentops' project create my-project"): the commands a server
/// prints must not act on another database when run as printed (another user's $XDG_DATA_HOME, or
/// a server started with --data-dir). A PostgreSQL URL is shown with its password as ***.
std::string adminCommand(const ServerOptions &options, const std::string &arguments);
/// Process-wide malloc settings for ingest: request bodies and their decoded spans are large, short-
/// lived allocations; glibc's defaults hand them back to the kernel and fault them in again on every
/// request (a quarter of the decode time in the benchmark). Call once at start.
void tuneMemoryAllocator();
/// Raises the soft limit on open files towards the hard one, so `connections` client connections fit
/// beside the databases (a service's soft limit is often 1024).
void raiseOpenFileLimit(std::size_t connections);

/// The shipped price table with the overrides in overridesFile (if not empty) laid over it; nullptr with
/// a message naming the file and the bad row and field when the file cannot be read or is invalid.
std::shared_ptr<const core::PriceTable> loadPriceTable(const std::string &overridesFile, std::string &error);

/// The redaction --redact and --redact-rules ask for into options.http.redactor (left empty when they
/// ask for none). False with a message naming the file and the rule when the file cannot be read or a
/// rule is refused.
bool loadRedactor(ServerOptions &options, std::string &error);

/// Is the database a PostgreSQL URL (postgresql:// or postgres://)?
bool isPostgresUrl(const std::string &database);
/// The database as logs and messages may show it: a PostgreSQL URL's password replaced by ***.
std::string redactDatabaseUrl(const std::string &database);
/// 127.0.0.0/8, ::1, localhost.
bool isLoopbackHost(const std::string &host);
/// A listening host that means every address of this machine ("", 0.0.0.0, ::).
bool isWildcardHost(const std::string &host);
/// "90s", "15m", "12h", "30d" -> seconds; false when not a duration.
bool parseDuration(const std::string &text, std::chrono::seconds &out);

/// "16MiB", "64M", "1048576", "512KiB" -> bytes; false when not a size.
bool parseByteSize(const std::string &text, std::size_t &bytes);

} // namespace agentops::server
