// SPDX-License-Identifier: MIT
// The admin API (team mode): erasure and export of a person's traces, and the audit log, for
// signed-in admins only. Open mode has no accounts, so no admins: its operator uses the
// agentops-server erase and export commands.
#include "core/spanjson.h"
#include "server/accounts.h"
#include "server/apiserver.h"
#include "server/erasure.h"
#include "server/projectstores.h"
#include "server/routeutil.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace agentops::server {

namespace {

/// Spans one export request may carry (the answer is built in memory); more: the command.
constexpr std::size_t kMaxExportSpans = 200'000;

/// A signed-in admin: anyone else is refused, an API key too (keys belong to projects, not people).
Caller adminCaller(Accounts *accounts, const Request &req)
{
    if (!accounts)
        throw AuthError { 404, "not_found",
            "this server runs without sign-in (open mode): no admin API; use agentops-server erase, export" };
    Caller c;
    const auto failure = accounts->authenticate(bearerToken(req), c);
    if (failure != AuthFailure::None)
        throw AuthError { 401, "unauthorized", Accounts::describe(failure) };
    if (c.kind != Caller::Kind::Session)
        throw AuthError { 403, "forbidden", "the admin API needs an admin's sign-in session, not an API key" };
    if (!c.user.admin)
        throw AuthError { 403, "forbidden",
            "admins only: " + c.user.email + " is not an admin (agentops-server user grant-admin EMAIL)" };
    return c;
}

/// Exactly one of "trace", "session", "user" in the body.
store::TraceSelection selectionOf(const nlohmann::json &body)
{
    std::optional<store::TraceSelection> out;
    for (const auto by :
        { store::TraceSelection::By::Trace, store::TraceSelection::By::Session, store::TraceSelection::By::User }) {
        const char *name = store::toString(by);
        if (!body.contains(name))
            continue;
        if (out)
            throw ParamError { "body: give one of trace, session and user, not several" };
        out = store::TraceSelection { by, stringField(body, name, true) };
    }
    if (!out)
        throw ParamError { "body: needs one of trace, session or user (the id whose traces are meant)" };
    for (const auto &[key, value] : body.items())
        if (key != "trace" && key != "session" && key != "user" && key != "project")
            throw ParamError { "body: unknown member '" + key + "'" };
    core::TraceId checked {};
    store::checkSelection(*out, checked); // QueryError: a 400 naming the field
    return *out;
}

/// The body's project (name or id), or every project of the server.
std::vector<ErasureTarget> targetsOf(Accounts &accounts, ProjectStores &projects, const nlohmann::json &body)
{
    const std::string wanted = stringField(body, "project", false);
    std::vector<ErasureTarget> out;
    for (const auto &p : accounts.store().projects())
        if (wanted.empty() || namesProject(wanted, p))
            out.push_back({ p.name, &projects.open(p).store });
    if (out.empty())
        throw AuthError { 404, "not_found", "project: no project '" + wanted + "'" };
    return out;
}

std::string scopeOf(const nlohmann::json &body)
{
    const std::string project = stringField(body, "project", false);
    return project.empty() ? " in every project" : " in project " + project;
}

} // namespace

void ApiServer::adminErase(Request &req, Response &res)
{
    guarded(res, [&] {
        const Caller c = adminCaller(m_access->accounts(), req);
        const auto body = jsonBody(req);
        const auto selection = selectionOf(body);
        auto &accounts = *m_access->accounts();
        const auto report = eraseFrom(targetsOf(accounts, *m_access->projects(), body), selection);
        // Erasing nothing is recorded too: the request was made.
        audit(accounts.store(), "user:" + c.user.email, "erase", describe(selection) + scopeOf(body), report.json());
        if (report.traces == 0)
            throw AuthError { 404, "not_found",
                "nothing to erase: no trace of " + describe(selection) + scopeOf(body) };
        setJson(res, report.json());
    });
}

void ApiServer::adminExport(Request &req, Response &res)
{
    guarded(res, [&] {
        const Caller c = adminCaller(m_access->accounts(), req);
        const auto body = jsonBody(req);
        const auto selection = selectionOf(body);
        auto &accounts = *m_access->accounts();
        std::ostringstream out;
        const auto report
            = exportFrom(targetsOf(accounts, *m_access->projects(), body), selection, out, kMaxExportSpans);
        audit(accounts.store(), "user:" + c.user.email, "export", describe(selection) + scopeOf(body), report.json());
        if (report.traces == 0)
            throw AuthError { 404, "not_found",
                "nothing to export: no trace of " + describe(selection) + scopeOf(body) };
        // OTLP/JSON lines: File -> Open in the app, or each line POSTed to /v1/traces, reads them back.
        res.status = 200;
        res.setContent(out.str(), "application/x-ndjson");
        res.setHeader("Content-Disposition", "attachment; filename=\"agentops-export.otlp.jsonl\"");
    });
}

void ApiServer::adminAudit(Request &req, Response &res)
{
    guarded(res, [&] {
        const Params params(req, { "limit", "before" });
        adminCaller(m_access->accounts(), req);
        const int limit = params.integer("limit", 50, 1, 1000);
        std::int64_t before = 0;
        if (params.has("before") && (!parseInt64(params.text("before"), before) || before < 1))
            throw ParamError { "before: must be an entry id (a whole number from 1), got '" + params.text("before")
                + "'" };
        // One more than asked for tells whether there is a next page.
        auto entries = m_access->accounts()->store().auditLog(before, limit + 1);
        const bool more = static_cast<int>(entries.size()) > limit;
        if (more)
            entries.resize(static_cast<std::size_t>(limit));
        nlohmann::json list = nlohmann::json::array();
        for (const auto &e : entries) {
            auto details = nlohmann::json::parse(e.details, nullptr, false);
            list.push_back({ { "id", e.id }, { "time", core::formatRfc3339Nanos(e.time_ns) }, { "actor", e.actor },
                { "action", e.action }, { "target", e.target },
                { "details", details.is_discarded() ? nlohmann::json::object() : details } });
        }
        nlohmann::json out { { "entries", std::move(list) } };
        out["next_before"] = more ? nlohmann::json(entries.back().id) : nlohmann::json();
        setJson(res, out.dump());
    });
}

} // namespace agentops::server
