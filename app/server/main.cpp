// SPDX-License-Identifier: MIT
// agentops-server: the headless ingest + query backend. Wires the store, the ingest pipeline, the
// HTTP routes and the OTLP/gRPC receiver together and stops cleanly on SIGTERM/SIGINT.
#include "core/crashhandler.h"
#include "core/pricing.h"
#include "core/text.h"
#include "ingest/decode.h"
#include "server/access.h"
#include "server/accounts.h"
#include "server/admin.h"
#include "server/alertcommand.h"
#include "server/alertjob.h"
#include "server/apiserver.h"
#include "server/backend.h"
#include "server/backupjob.h"
#include "server/diskmonitor.h"
#include "server/erasurecommands.h"
#include "server/grpc/grpcreceiver.h"
#include "server/options.h"
#include "server/projectstores.h"
#include "server/webhooksender.h"
#include "store/backup.h"
#include "store/ingestpipeline.h"
#include "store/postgresstore.h"
#include "store/retentionjob.h"
#include "store/sqlitestore.h"

#include <curl/curl.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <pthread.h>
#include <thread>
#include <unistd.h>

using namespace agentops;

namespace {

/// user, project, key: the admin commands, on the account store.
int adminCommand(const server::ServerOptions &options)
{
    try {
        const auto authStore = server::openAuthStore(options);
        server::Accounts accounts(*authStore, options.sessions);
        bool passwordStdin = false;
        for (const auto &a : options.command_args)
            passwordStdin = passwordStdin || a == "--password-stdin";
        return server::runAdminCommand(options.command, options.command_args, accounts,
            server::terminalPasswordReader(passwordStdin), stdout, stderr);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server %s: %s\n", options.command.c_str(), e.what());
        return 1;
    }
}

/// alert: the alert rules of a project (team mode) or of the open store.
int alertCommand(const server::ServerOptions &options)
{
    try {
        std::unique_ptr<store::AuthStore> authStore;
        if (options.auth_required)
            authStore = server::openAuthStore(options);
        auto open = [&](const std::string &project) -> std::unique_ptr<store::TraceStore> {
            if (!options.auth_required) {
                if (!project.empty())
                    throw store::QueryError("--project: this server runs without projects (--auth none)");
                return server::openSingleStore(options);
            }
            if (project.empty())
                throw store::QueryError("--project: required on a team server (see: agentops-server project list)");
            for (const auto &p : authStore->projects())
                if (server::namesProject(project, p))
                    return server::projectStoreFactory(options)(p);
            throw store::QueryError("--project: no project " + project + " (see: agentops-server project list)");
        };
        return server::runAlertCommand(options.command_args, open, stdout, stderr);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server alert: %s\n", e.what());
        return 1;
    }
}

/// Label values of /metrics stay short, whatever a rule is named.
std::string labelValue(const std::string &v)
{
    return v.substr(0, core::utf8Prefix(v, 128));
}

/// Alert evaluation over every project (or the open store) and webhook delivery, with their
/// figures in /metrics: agentops_alert_firing per firing rule, deliveries, retries, errors.
struct Alerting
{
    std::unique_ptr<server::WebhookSender> webhooks;
    std::unique_ptr<server::AlertJob> job;

    void start()
    {
        webhooks->start();
        job->start();
    }
    void stop()
    {
        if (job)
            job->stop();
        if (webhooks)
            webhooks->stop();
    }
};

Alerting alerting(
    const server::ServerOptions &options, server::AlertJob::Targets targets, server::ApiServer &api, server::Log &log)
{
    Alerting a;
    server::WebhookSender::Options wo;
    wo.max_attempts = static_cast<int>(options.webhook_attempts);
    wo.first_backoff = options.webhook_backoff;
    wo.user_agent = "agentops-server/" AGENTOPS_VERSION;
    a.webhooks = std::make_unique<server::WebhookSender>(wo, log);
    a.job = std::make_unique<server::AlertJob>(std::move(targets), options.alert_interval, a.webhooks.get(), log);
    auto *job = a.job.get();
    auto *webhooks = a.webhooks.get();
    api.metrics().gaugeCallback(
        "agentops_alert_firing", "Alert rules firing at the last evaluation (1 per rule; docs/alerts.md).", [job] {
            std::vector<server::prom::Registry::Sample> samples;
            for (const auto &f : job->firing())
                samples.push_back({ { { "project", labelValue(f.project) }, { "rule", labelValue(f.rule) },
                                        { "kind", core::alertKindName(f.kind) } },
                    1.0 });
            return samples;
        });
    api.metrics().gaugeCallback("agentops_alert_evaluation_errors",
        "Alert rules or projects that could not be evaluated since the server started.",
        [job] { return static_cast<double>(job->stats().errors); });
    api.metrics().gaugeCallback("agentops_webhook_deliveries",
        "Alert webhooks since the server started, by outcome: delivered, failed (given up after "
        "--webhook-attempts), dropped (queue full).",
        [webhooks] {
            const auto s = webhooks->stats();
            return std::vector<server::prom::Registry::Sample> {
                { { { "result", "delivered" } }, static_cast<double>(s.delivered) },
                { { { "result", "failed" } }, static_cast<double>(s.failed) },
                { { { "result", "dropped" } }, static_cast<double>(s.dropped) },
            };
        });
    api.metrics().gaugeCallback("agentops_webhook_retries",
        "Webhook attempts after a failed one since the server started.",
        [webhooks] { return static_cast<double>(webhooks->stats().retries); });
    api.metrics().gaugeCallback("agentops_webhook_queue", "Webhook deliveries waiting for an attempt or a retry.",
        [webhooks] { return static_cast<double>(webhooks->stats().queued); });
    return a;
}

/// reprice: prices the stored spans again with the current table and exits.
int repriceCommand(const server::ServerOptions &options, const std::shared_ptr<const core::PriceTable> &prices)
{
    std::string error;
    try {
        // Open mode has one store; team mode one per project.
        // Each store with its price table: a project's overrides laid over the server's.
        struct Target
        {
            std::string name;
            std::unique_ptr<store::TraceStore> store;
            std::shared_ptr<const core::PriceTable> prices;
        };
        std::vector<Target> stores;
        if (options.auth_required) {
            const auto authStore = server::openAuthStore(options);
            const auto open = server::projectStoreFactory(options);
            for (const auto &project : authStore->projects()) {
                auto table = server::ProjectStores::projectPrices(prices, project.prices_json, error);
                if (!table)
                    throw std::runtime_error("project " + project.name + ": price overrides: " + error);
                stores.push_back({ "project " + project.name, open(project), table });
            }
        } else {
            stores.push_back({ server::redactDatabaseUrl(options.database), server::openSingleStore(options), prices });
        }
        std::size_t changed = 0;
        for (auto &[name, store, table] : stores) {
            std::size_t lastPercent = 101;
            const std::string label = name;
            const auto &priceTable = *table;
            changed += store->reprice([&priceTable](core::Span &span) { return core::repriceSpan(span, priceTable); },
                [&lastPercent, &label](std::size_t done, std::size_t total) {
                    const std::size_t percent = total ? done * 100 / total : 100;
                    if (percent != lastPercent) {
                        std::fprintf(
                            stderr, "\rre-pricing %s: %zu%% (%zu of %zu spans)", label.c_str(), percent, done, total);
                        lastPercent = percent;
                    }
                    return true;
                });
            std::fprintf(stderr, "\n");
        }
        std::printf(
            "re-priced %s: %zu spans changed cost\n", server::redactDatabaseUrl(options.database).c_str(), changed);
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server reprice: %s\n", e.what());
        return 1;
    }
}

/// backup: a consistent copy of every database of the data directory, taken while a server runs.
int backupCommand(const server::ServerOptions &options)
{
    try {
        const auto dir = server::databaseDir(options);
        // Shared, as a server holds it: only a restore in progress keeps a backup from starting.
        store::DataDirLock lock(dir, store::DataDirLock::Mode::Shared);
        const bool tty = isatty(STDERR_FILENO);
        int lastPercent = -1;
        const auto summary = store::writeBackup(
            dir, store::dataDirDatabases(dir), options.backup_file, [&](std::uint64_t done, std::uint64_t total) {
                const int percent = total ? static_cast<int>(done * 100 / total) : 100;
                if (tty && percent != lastPercent)
                    std::fprintf(stderr, "\rbacking up %s: %d%%", dir.c_str(), percent);
                lastPercent = percent;
                return true;
            });
        if (tty)
            std::fprintf(stderr, "\n");
        std::printf("backed up %zu database%s of %s to %s (%llu bytes)\n", summary.files.size(),
            summary.files.size() == 1 ? "" : "s", dir.c_str(), options.backup_file.c_str(),
            static_cast<unsigned long long>(summary.bytes));
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server backup: %s\n", e.what());
        return 1;
    }
}

/// restore: the data directory's databases replaced by a backup's, while no server uses it.
int restoreCommand(const server::ServerOptions &options)
{
    try {
        const auto dir = server::databaseDir(options);
        store::DataDirLock lock(dir, store::DataDirLock::Mode::Exclusive);
        const auto summary = store::restoreBackup(dir, options.backup_file);
        std::printf("restored %zu database%s from %s into %s\n", summary.files.size(),
            summary.files.size() == 1 ? "" : "s", options.backup_file.c_str(), dir.c_str());
        if (!summary.previous.empty())
            std::printf("the former content of %s is in %s (delete it when the restore is confirmed)\n", dir.c_str(),
                summary.previous.c_str());
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server restore: %s\n", e.what());
        return 1;
    }
}

/// The "listening on" line, and for a person at a terminal how to point an exporter at the server.
void announce(const server::ServerOptions &options, server::ApiServer &api, const server::GrpcReceiver *grpc,
    store::AuthStore *authStore, server::Log &log)
{
    const bool tls = !options.http.tls_cert_file.empty();
    const std::string scheme = tls ? "https://" : "http://";
    const std::string base = scheme
        + (options.http.host.find(':') != std::string::npos ? "[" + options.http.host + "]" : options.http.host) + ":"
        + std::to_string(api.port());
    const std::string grpcEndpoint = grpc ? scheme + grpc->address() : std::string();
    server::Log::Fields fields { { "database", server::Log::str(server::redactDatabaseUrl(options.database)) },
        { "auth", server::Log::str(options.auth_required ? "required" : "none") },
        { "otlp_endpoint", server::Log::str(base + "/v1/traces") } };
    if (grpc)
        fields.emplace_back("otlp_grpc_endpoint", server::Log::str(grpcEndpoint));
    fields.emplace_back("version", server::Log::str(AGENTOPS_VERSION));
    log.info("listening on " + base, fields);
    if (options.log_format != server::Log::Format::Text)
        return;
    const std::string grpcHint = grpc ? "Or over OTLP/gRPC:\n  export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="
            + grpcEndpoint + "\n  export OTEL_EXPORTER_OTLP_PROTOCOL=grpc\n"
                                      : std::string();
    if (options.auth_required) {
        const bool empty = authStore->projects().empty();
        // The commands act on this server's own data, whatever the caller's $XDG_DATA_HOME.
        const std::string firstSteps = empty ? "No projects yet. Create a project, a user and a key:\n  "
                + server::adminCommand(options, "project create my-project") + "\n  "
                + server::adminCommand(options, "user add you@example.com --project my-project") + "\n  "
                + server::adminCommand(options, "key create my-project") + "\n"
                                             : std::string();
        std::printf("\nPoint an OpenTelemetry exporter at it with a project API key:\n"
                    "  export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=%s/v1/traces\n"
                    "  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n"
                    "  export OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer%%20<key>\"\n%s%s\n",
            base.c_str(), grpcHint.c_str(), firstSteps.c_str());
    } else {
        std::printf("\nPoint an OpenTelemetry exporter at it:\n"
                    "  export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=%s/v1/traces\n"
                    "  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n%s"
                    "Browse what arrived:  curl %s/api/v1/traces\n\n",
            base.c_str(), grpcHint.c_str(), base.c_str());
    }
    std::fflush(stdout);
}

/// Crash reports go to DATA_DIR/crash-reports; one left by a previous run is logged (once).
void installCrashReports(const server::ServerOptions &options, server::Log &log)
{
    const std::string dir = options.data_dir + "/crash-reports";
    if (!crash::install(dir, "agentops-server", AGENTOPS_VERSION)) {
        log.warn("crash reports are off: cannot create " + dir);
        return;
    }
    for (const auto &report : crash::unseenReports(dir)) {
        const std::string seen = crash::markSeen(report);
        log.warn("the server crashed before: a crash report is in " + (seen.empty() ? report : seen));
    }
}

/// The scheduled backups of --backup-dir (nullptr without), with their gauges in /metrics.
std::unique_ptr<server::BackupJob> scheduledBackups(
    const server::ServerOptions &options, server::ApiServer &api, server::Log &log)
{
    if (options.backup_dir.empty())
        return nullptr;
    auto job = std::make_unique<server::BackupJob>(server::BackupJob::Options { server::databaseDir(options),
                                                       options.backup_dir, options.backup_every, options.backup_keep },
        log);
    auto *backups = job.get();
    api.metrics().gaugeCallback("agentops_backup_last_success_timestamp_seconds",
        "Unix time of the last scheduled backup that succeeded since the server started (0: none yet).",
        [backups] { return static_cast<double>(backups->stats().last_success_unix); });
    api.metrics().gaugeCallback("agentops_backup_errors", "Scheduled backups that failed since the server started.",
        [backups] { return static_cast<double>(backups->stats().errors); });
    return job;
}

/// Retention: each project's traces older than its retention_days, and with --retention-size the
/// oldest of each store beyond that size, deleted in small batches; nullptr when there is none to keep.
std::unique_ptr<store::RetentionJob> retentionJob(const server::ServerOptions &options, store::AuthStore *authStore,
    server::ProjectStores *projects, store::TraceStore *singleStore, server::ApiServer &api)
{
    if (!authStore && options.retention_size == 0)
        return nullptr; // open mode keeps traces by size only
    store::RetentionJob::Options retentionOptions;
    retentionOptions.interval = options.retention_interval;
    const std::uint64_t maxBytes = options.retention_size;
    auto targets = [authStore, projects, singleStore, maxBytes] {
        std::vector<store::RetentionTarget> out;
        if (!authStore) {
            out.push_back({ "database", singleStore, 0, maxBytes });
            return out;
        }
        for (const auto &project : authStore->projects()) {
            if (project.retention_days > 0 || maxBytes > 0)
                out.push_back({ project.name, &projects->open(project).store, project.retention_days, maxBytes });
        }
        return out;
    };
    auto job = std::make_unique<store::RetentionJob>(targets, retentionOptions);
    auto *retention = job.get();
    api.metrics().gaugeCallback("agentops_retention_deleted_traces",
        "Traces deleted by retention (by age and by size) since the server started.",
        [retention] { return static_cast<double>(retention->stats().deleted_traces); });
    api.metrics().gaugeCallback("agentops_retention_size_deleted_traces",
        "Traces deleted by retention by size (--retention-size) since the server started.",
        [retention] { return static_cast<double>(retention->stats().deleted_traces_by_size); });
    api.metrics().gaugeCallback("agentops_retention_size_limit_bytes",
        "The size each trace store is kept within (--retention-size); 0: no limit.",
        [maxBytes] { return static_cast<double>(maxBytes); });
    api.metrics().gaugeCallback("agentops_retention_errors",
        "Retention runs in which a project's store failed since the server started.",
        [retention] { return static_cast<double>(retention->stats().errors); });
    return job;
}

/// Free disk of the databases' filesystem (SQLite) in /metrics and a warning in the log when it runs
/// low; nullptr for PostgreSQL, whose disk is the database server's.
std::unique_ptr<server::DiskMonitor> diskMonitor(
    const server::ServerOptions &options, server::ApiServer &api, server::Log &log)
{
    if (server::isPostgresUrl(options.database))
        return nullptr;
    auto monitor = std::make_unique<server::DiskMonitor>(server::databaseDir(options).string(), options.disk_low, log);
    auto *disk = monitor.get();
    api.metrics().gaugeCallback("agentops_disk_free_bytes",
        "Free space of the filesystem that holds the databases (what the server may still write).",
        [disk] { return static_cast<double>(disk->check().disk.value_or(store::DiskSpace {}).free_bytes); });
    api.metrics().gaugeCallback("agentops_disk_size_bytes", "Size of the filesystem that holds the databases.",
        [disk] { return static_cast<double>(disk->check().disk.value_or(store::DiskSpace {}).total_bytes); });
    api.metrics().gaugeCallback("agentops_disk_low_threshold_bytes",
        "Free disk below this is low (--disk-low, in bytes for this filesystem).",
        [disk] { return static_cast<double>(disk->check().threshold_bytes); });
    api.metrics().gaugeCallback("agentops_disk_low",
        "1 while the free disk of the databases is below --disk-low (ingest fails once it is full), else 0.",
        [disk] { return disk->check().low ? 1.0 : 0.0; });
    return monitor;
}

/// A PostgreSQL store that could not make its content search index says so once, when opened.
void warnWithoutSearchIndex(store::TraceStore &s, server::Log &log)
{
    if (auto *pg = dynamic_cast<store::PostgresStore *>(&s); pg && !pg->searchIndexError().empty())
        log.warn("content search has no index in schema " + pg->schema() + ": " + pg->searchIndexError());
}

/// The content search index's lag over every open store, in /metrics. The pointers are read when the
/// gauge is, as team mode opens projects' stores while it serves.
void searchIndexLagGauge(server::ApiServer &api, const std::unique_ptr<server::ProjectStores> &projects,
    const std::unique_ptr<store::TraceStore> &singleStore)
{
    api.metrics().gaugeCallback("agentops_search_index_lag_spans",
        "Spans stored but not yet in the content search index, over every open project.", [&projects, &singleStore] {
            double lag = 0;
            auto add = [&lag](store::TraceStore &s) {
                if (auto *sqlite = dynamic_cast<store::SqliteStore *>(&s)) {
                    if (const auto progress = sqlite->searchProgress())
                        lag += static_cast<double>(progress->lag());
                } else if (auto *pg = dynamic_cast<store::PostgresStore *>(&s)) {
                    try {
                        lag += static_cast<double>(pg->searchProgress().lag);
                    } catch (const store::StoreError &) {
                        // the database is away: /readyz says so; the gauge keeps what it can
                    }
                }
            };
            if (projects)
                projects->forEachOpen([&add](std::int64_t, server::ProjectStores::Scope scope) { add(scope.store); });
            else if (singleStore)
                add(*singleStore);
            return lag;
        });
}

/// Stops the ingest pipelines, which commits everything that was accepted, and logs what they stored.
void stopPipelines(store::IngestPipeline *singlePipeline, server::ProjectStores *projects, server::Log &log)
{
    store::IngestPipeline::Counters c;
    auto add = [&c](const store::IngestPipeline::Counters &p) {
        c.committed_spans += p.committed_spans;
        c.duplicate_spans += p.duplicate_spans;
    };
    if (singlePipeline) {
        singlePipeline->stop();
        add(singlePipeline->counters());
    } else {
        projects->stopAll();
        projects->forEachOpen(
            [&](std::int64_t, server::ProjectStores::Scope scope) { add(scope.pipeline.counters()); });
    }
    log.info("stopped",
        { { "committed_spans", server::Log::num(static_cast<long long>(c.committed_spans)) },
            { "duplicate_spans", server::Log::num(static_cast<long long>(c.duplicate_spans)) } });
}

/// Serves until SIGTERM or SIGINT; then stops accepting, drains, commits and returns.
int serve(const server::ServerOptions &options, const std::shared_ptr<const core::PriceTable> &prices)
{
    std::string error;
    // Signals are taken by one thread with sigwait, so the handling code may do anything (not
    // only async-signal-safe calls) and no worker thread is interrupted by them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    ingest::silenceProtobufLogging();
    server::tuneMemoryAllocator();
    server::raiseOpenFileLimit(options.http.limits.max_connections);
    server::Log log(options.log_format);
    installCrashReports(options, log);
    try {
        // Held while serving: a restore (which takes it exclusively) cannot swap the databases away.
        std::unique_ptr<store::DataDirLock> dataDirLock;
        if (!server::isPostgresUrl(options.database))
            dataDirLock
                = std::make_unique<store::DataDirLock>(server::databaseDir(options), store::DataDirLock::Mode::Shared);
        // Open mode: one store and pipeline. Team mode: the account store, and one store and pipeline
        // per project, opened when first used.
        std::unique_ptr<store::TraceStore> singleStore;
        std::unique_ptr<store::IngestPipeline> singlePipeline;
        std::unique_ptr<store::AuthStore> authStore;
        std::unique_ptr<server::Accounts> accounts;
        std::unique_ptr<server::ProjectStores> projects;
        std::unique_ptr<server::ApiServer> apiPtr;
        store::IngestPipeline::Options pipelineOptions;
        pipelineOptions.max_queued_spans = options.queue_max_spans;
        if (options.auth_required) {
            authStore = server::openAuthStore(options);
            accounts = std::make_unique<server::Accounts>(*authStore, options.sessions);
            projects = std::make_unique<server::ProjectStores>(
                [factory = server::projectStoreFactory(options), &log](const store::Project &project) {
                    auto opened = factory(project);
                    warnWithoutSearchIndex(*opened, log);
                    return opened;
                },
                pipelineOptions, prices);
            apiPtr = std::make_unique<server::ApiServer>(*accounts, *projects, options.http, log);
        } else {
            singleStore = server::openSingleStore(options);
            warnWithoutSearchIndex(*singleStore, log);
            singlePipeline = std::make_unique<store::IngestPipeline>(*singleStore, pipelineOptions);
            singlePipeline->setPriceTable(prices);
            apiPtr = std::make_unique<server::ApiServer>(*singleStore, *singlePipeline, options.http, log);
        }
        auto &api = *apiPtr;

        const auto retention = retentionJob(options, authStore.get(), projects.get(), singleStore.get(), api);
        const auto disk = diskMonitor(options, api, log);
        api.metrics().gaugeCallback("agentops_database_bytes", "Size of the databases on disk.",
            [&options] { return server::databaseBytes(options); });
        searchIndexLagGauge(api, projects, singleStore);

        const auto backups = scheduledBackups(options, api, log);
        Alerting alerts = alerting(
            options,
            [&authStore, &projects, &singleStore] {
                std::vector<server::AlertJob::Target> targets;
                if (!projects)
                    return std::vector<server::AlertJob::Target> { { "default", singleStore.get() } };
                for (const auto &project : authStore->projects())
                    targets.push_back({ project.name, &projects->open(project).store });
                return targets;
            },
            api, log);

        if (!api.bind(error)) {
            log.error(error);
            return 1;
        }
        std::unique_ptr<server::GrpcReceiver> grpc;
        if (options.grpc_enabled) {
            grpc = std::make_unique<server::GrpcReceiver>(api, options.grpc);
            if (!grpc->start(error)) {
                log.error(error);
                return 1;
            }
        }
        announce(options, api, grpc.get(), authStore.get(), log);
        crash::crashIfAsked(); // AGENTOPS_CRASH_TEST: tests of the crash report only

        if (retention)
            retention->start();
        if (disk)
            disk->start();
        if (backups)
            backups->start();
        alerts.start();
        std::atomic<bool> serving { true };
        std::thread signalThread([&] {
            int sig = 0;
            sigwait(&signals, &sig);
            if (serving)
                log.info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", shutting down");
            // Both stop accepting now and drain side by side, within the same --shutdown-timeout.
            api.stop();
            if (grpc)
                grpc->stop();
        });

        api.run(); // returns after stop(), with requests in flight answered (within --shutdown-timeout)
        if (grpc)
            grpc->stop(); // waits for the signal thread's drain of the calls in flight
        // run() can also end without a signal (listen failure): wake the signal thread.
        serving = false;
        // The signal thread awaits SIGTERM (blocked) in sigwait(): it wakes the thread, it does not kill it.
        // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread)
        pthread_kill(signalThread.native_handle(), SIGTERM);
        signalThread.join();
        if (retention)
            retention->stop();
        if (disk)
            disk->stop();
        if (backups)
            backups->stop();
        alerts.stop();
        stopPipelines(singlePipeline.get(), projects.get(), log);
    } catch (const std::exception &e) {
        log.error(std::string("fatal: ") + e.what());
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    server::ServerOptions options;
    std::string error;
    if (!server::parseServerOptions(std::vector<std::string>(argv + 1, argv + argc), options, error)) {
        std::fprintf(stderr, "agentops-server: %s\n", error.c_str());
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT); // before any thread: webhooks (server/webhooksender.h)
    if (options.help) {
        std::fputs(server::serverUsage().c_str(), stdout);
        return 0;
    }
    if (options.version) {
        std::printf("agentops-server %s\n", AGENTOPS_VERSION);
        return 0;
    }
    // A price file that does not load is a usage error like a bad flag: refuse to start rather than
    // ingest with prices the operator did not ask for.
    const auto prices = server::loadPriceTable(options.prices_file, error);
    if (!prices) {
        std::fprintf(stderr, "agentops-server: %s\n", error.c_str());
        return 2;
    }
    if (!server::loadRedactor(options, error)) {
        std::fprintf(stderr, "agentops-server: %s\n", error.c_str());
        return 2;
    }

    if (options.command == "user" || options.command == "project" || options.command == "key")
        return adminCommand(options);
    if (options.command == "alert")
        return alertCommand(options);
    if (options.command == "reprice")
        return repriceCommand(options, prices);
    if (options.command == "backup")
        return backupCommand(options);
    if (options.command == "restore")
        return restoreCommand(options);
    if (options.command == "erase" || options.command == "export")
        return server::runErasureCommand(options);
    if (options.command == "audit")
        return server::runAuditCommand(options);
    return serve(options, prices);
}
