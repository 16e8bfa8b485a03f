// SPDX-License-Identifier: MIT
#include "server/erasure.h"

#include "ingest/tracefile.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <pwd.h>
#include <stdexcept>
#include <unistd.h>

namespace agentops::server {

std::string ErasureReport::json() const
{
    nlohmann::json projects = nlohmann::json::array();
    for (const auto &p : parts)
        if (!p.project.empty())
            projects.push_back({ { "project", p.project }, { "traces", p.traces }, { "spans", p.spans } });
    nlohmann::json out { { "traces", traces }, { "spans", spans } };
    if (!projects.empty())
        out["projects"] = std::move(projects);
    return out.dump();
}

std::string describe(const store::TraceSelection &selection)
{
    return std::string(store::toString(selection.by)) + " " + selection.id;
}

ErasureReport eraseFrom(const std::vector<ErasureTarget> &targets, const store::TraceSelection &selection)
{
    core::TraceId checked {};
    store::checkSelection(selection, checked); // refused before any store is touched
    ErasureReport report;
    for (const auto &t : targets) {
        const auto stats = t.store->erase(selection);
        if (stats.traces == 0)
            continue;
        report.parts.push_back({ t.project, stats.traces, stats.spans });
        report.traces += stats.traces;
        report.spans += stats.spans;
    }
    return report;
}

ErasureReport exportFrom(const std::vector<ErasureTarget> &targets, const store::TraceSelection &selection,
    std::ostream &out, std::size_t maxSpans)
{
    core::TraceId checked {};
    store::checkSelection(selection, checked);
    ErasureReport report;
    for (const auto &t : targets) {
        ErasureReport::Part part { t.project, 0, 0 };
        for (const auto &id : t.store->selectTraces(selection)) {
            auto detail = t.store->trace(id, store::TraceLoad::Full);
            if (!detail || detail->spans.empty())
                continue; // erased meanwhile
            if (maxSpans && report.spans + detail->spans.size() > maxSpans)
                throw store::QueryError("export: more than " + std::to_string(maxSpans)
                    + " spans; export this much with agentops-server export (docs/deployment.md)");
            const std::string line = ingest::encodeOtlpJson(detail->spans);
            out.write(line.data(), static_cast<std::streamsize>(line.size()));
            out.put('\n');
            ++part.traces;
            part.spans += detail->spans.size();
        }
        if (part.traces == 0)
            continue;
        report.traces += part.traces;
        report.spans += part.spans;
        report.parts.push_back(std::move(part));
    }
    return report;
}

ErasureReport exportToFile(
    const std::vector<ErasureTarget> &targets, const store::TraceSelection &selection, const std::string &path)
{
    const std::string partial = path + ".part";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out)
        throw std::runtime_error("cannot create " + partial + ": " + std::strerror(errno));
    ErasureReport report;
    try {
        report = exportFrom(targets, selection, out);
        out.flush();
        if (!out)
            throw std::runtime_error("cannot write " + partial + ": " + std::strerror(errno));
        out.close();
        if (report.traces == 0) {
            std::filesystem::remove(partial);
            return report;
        }
        std::filesystem::rename(partial, path);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw;
    }
    return report;
}

std::string commandLineActor()
{
    const passwd *pw = getpwuid(geteuid());
    return "cli:" + (pw && pw->pw_name ? std::string(pw->pw_name) : std::to_string(geteuid()));
}

void audit(store::AuthStore &store, const std::string &actor, const std::string &action, const std::string &target,
    const std::string &details)
{
    store::AuditEntry e;
    e.actor = actor;
    e.action = action;
    e.target = target;
    e.details = details;
    store.addAudit(std::move(e));
}

} // namespace agentops::server
