// SPDX-License-Identifier: MIT
#include "server/erasurecommands.h"

#include "core/spanjson.h"
#include "server/access.h"
#include "server/backend.h"
#include "server/erasure.h"
#include "store/backup.h"

#include <cstdio>

namespace agentops::server {

namespace {

store::TraceSelection selectionOf(const ServerOptions &options)
{
    using By = store::TraceSelection::By;
    const By by = options.select_by == "trace" ? By::Trace : options.select_by == "session" ? By::Session : By::User;
    return { by, options.select_id };
}

/// The stores the command goes through: the chosen project's, every project's, or open mode's one.
struct Targets
{
    std::unique_ptr<store::AuthStore> auth;
    std::vector<std::unique_ptr<store::TraceStore>> stores;
    std::vector<ErasureTarget> list;
};

Targets openTargets(const ServerOptions &options)
{
    Targets t;
    if (!options.auth_required) {
        t.stores.push_back(openSingleStore(options));
        t.list.push_back({ "", t.stores.back().get() });
        return t;
    }
    t.auth = openAuthStore(options);
    const auto open = projectStoreFactory(options);
    for (const auto &p : t.auth->projects()) {
        if (!options.select_project.empty() && !namesProject(options.select_project, p))
            continue;
        t.stores.push_back(open(p));
        t.list.push_back({ p.name, t.stores.back().get() });
    }
    if (t.list.empty() && !options.select_project.empty())
        throw store::QueryError(
            "--project: no project " + options.select_project + " (see: agentops-server project list)");
    return t;
}

std::string scopeOf(const ServerOptions &options)
{
    if (!options.auth_required)
        return "";
    return options.select_project.empty() ? " in every project" : " in project " + options.select_project;
}

void printReport(const char *verb, const store::TraceSelection &selection, const ErasureReport &report)
{
    std::printf("%s %s: %zu trace%s, %zu span%s\n", verb, describe(selection).c_str(), report.traces,
        report.traces == 1 ? "" : "s", report.spans, report.spans == 1 ? "" : "s");
    for (const auto &part : report.parts)
        if (!part.project.empty())
            std::printf("  project %s: %zu traces, %zu spans\n", part.project.c_str(), part.traces, part.spans);
}

} // namespace

int runErasureCommand(const ServerOptions &options)
{
    const std::string &command = options.command;
    const bool erase = command == "erase";
    const auto selection = selectionOf(options);
    try {
        core::TraceId checked {};
        store::checkSelection(selection, checked);
    } catch (const store::QueryError &e) {
        std::fprintf(stderr, "agentops-server %s: %s\n", command.c_str(), e.what());
        return 2;
    }
    try {
        // Erasure writes: no server may hold the stores open meanwhile (its caches would go stale);
        // an export only reads, beside a running server.
        std::unique_ptr<store::DataDirLock> lock;
        if (!isPostgresUrl(options.database)) {
            try {
                lock = std::make_unique<store::DataDirLock>(databaseDir(options),
                    erase ? store::DataDirLock::Mode::Exclusive : store::DataDirLock::Mode::Shared);
            } catch (const store::BackupError &e) {
                throw std::runtime_error(std::string(e.what())
                    + (erase ? " (or erase through the running server: POST /api/v1/admin/erase)" : ""));
            }
        }
        Targets targets = openTargets(options);
        const ErasureReport report
            = erase ? eraseFrom(targets.list, selection) : exportToFile(targets.list, selection, options.backup_file);
        if (targets.auth)
            audit(*targets.auth, commandLineActor(), command, describe(selection) + scopeOf(options), report.json());
        if (report.traces == 0) {
            std::fprintf(stderr, "agentops-server %s: nothing to %s: no trace of %s%s\n", command.c_str(),
                command.c_str(), describe(selection).c_str(), scopeOf(options).c_str());
            return kNothingMatched;
        }
        printReport(erase ? "erased" : "exported", selection, report);
        if (!erase)
            std::printf(
                "written to %s (OTLP/JSON lines: File > Open in the app reads it)\n", options.backup_file.c_str());
        return 0;
    } catch (const store::QueryError &e) {
        std::fprintf(stderr, "agentops-server %s: %s\n", command.c_str(), e.what());
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server %s: %s\n", command.c_str(), e.what());
        return 1;
    }
}

int runAuditCommand(const ServerOptions &options)
{
    try {
        const auto auth = openAuthStore(options);
        const auto entries = auth->auditLog(0, static_cast<int>(options.audit_limit));
        std::printf("%-6s %-30s %-24s %-18s %-40s %s\n", "ID", "TIME", "ACTOR", "ACTION", "TARGET", "DETAILS");
        for (const auto &e : entries)
            std::printf("%-6lld %-30s %-24s %-18s %-40s %s\n", static_cast<long long>(e.id),
                core::formatRfc3339Nanos(e.time_ns).c_str(), e.actor.c_str(), e.action.c_str(), e.target.c_str(),
                e.details.c_str());
        if (entries.empty())
            std::printf("(no admin actions recorded yet)\n");
        return 0;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "agentops-server audit: %s\n", e.what());
        return 1;
    }
}

} // namespace agentops::server
