// SPDX-License-Identifier: MIT
#include "server/admin.h"

#include "core/pricing.h"
#include "server/erasure.h"
#include "store/sqliteauthstore.h"
#include "store/tracestore.h"

#include <charconv>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <termios.h>
#include <unistd.h>

namespace agentops::server {

namespace {

struct Usage
{
    std::string message;
};

/// The command's words split into positional words and --options with values.
struct Words
{
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> options;
    bool passwordStdin = false;

    explicit Words(const std::vector<std::string> &args)
    {
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i] == "--password-stdin")
                passwordStdin = true;
            else if (args[i].rfind("--", 0) == 0 && i + 1 < args.size())
                options.emplace_back(args[i], args[i + 1]), ++i;
            else
                positional.push_back(args[i]);
        }
    }
    std::string option(const std::string &name) const
    {
        for (const auto &[k, v] : options)
            if (k == name)
                return v;
        return {};
    }
    const std::string &at(std::size_t i, const char *what) const
    {
        if (i >= positional.size())
            throw Usage { std::string("missing ") + what };
        return positional[i];
    }
    void expect(std::size_t n) const
    {
        if (positional.size() > n)
            throw Usage { "unexpected argument '" + positional[n] + "'" };
    }
};

std::string formatTime(std::int64_t ns)
{
    if (ns == 0)
        return "-";
    const std::time_t t = static_cast<std::time_t>(ns / 1'000'000'000);
    std::tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
    return buf;
}

std::int64_t integer(const std::string &text, const char *what, std::int64_t max = INT64_MAX)
{
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0 || v > max)
        throw Usage { std::string(what) + ": must be a whole number from 0 to " + std::to_string(max) + ", got '" + text
            + "'" };
    return v;
}

store::User needUser(Accounts &accounts, const std::string &email)
{
    auto user = accounts.store().userByEmail(email);
    if (!user)
        throw store::QueryError("email: no user " + email);
    return *user;
}

store::Project needProject(Accounts &accounts, const std::string &name)
{
    // Names hold a letter, so digits only are an id.
    std::optional<store::Project> project;
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), id);
    if (ec == std::errc() && end == name.data() + name.size() && !name.empty())
        project = accounts.store().projectById(id);
    else
        project = accounts.store().projectByName(name);
    if (!project)
        throw store::QueryError("project: no project " + name + " (see: agentops-server project list)");
    return *project;
}

int userCommand(const Words &w, Accounts &accounts, const PasswordReader &readPassword, std::FILE *out)
{
    const std::string &verb = w.at(0, "user command (add, list, disable, enable, passwd, grant-admin, revoke-admin)");
    auto &store = accounts.store();
    if (verb == "add") {
        const std::string &email = w.at(1, "EMAIL");
        w.expect(2);
        std::optional<store::Project> project;
        if (const auto p = w.option("--project"); !p.empty())
            project = needProject(accounts, p);
        std::string password;
        if (!readPassword("Password for " + email + ": ", password))
            throw Usage { "no password given (type it at the prompt, or pipe it with --password-stdin)" };
        const auto user = accounts.addUser(email, w.option("--name"), password);
        if (project)
            store.addMember(project->id, user.id);
        std::fprintf(out, "added user %s (id %lld)%s%s\n", user.email.c_str(), static_cast<long long>(user.id),
            project ? ", member of " : "", project ? project->name.c_str() : "");
        return 0;
    }
    if (verb == "list") {
        w.expect(1);
        std::fprintf(out, "%-6s %-32s %-24s %-14s %s\n", "ID", "EMAIL", "NAME", "STATUS", "PROJECTS");
        for (const auto &u : store.users()) {
            std::string projects;
            for (const auto &p : store.projectsOfUser(u.id))
                projects += (projects.empty() ? "" : ",") + p.name;
            const std::string status = std::string(u.disabled ? "disabled" : "active") + (u.admin ? ",admin" : "");
            std::fprintf(out, "%-6lld %-32s %-24s %-14s %s\n", static_cast<long long>(u.id), u.email.c_str(),
                u.display_name.c_str(), status.c_str(), projects.c_str());
        }
        return 0;
    }
    if (verb == "disable" || verb == "enable") {
        const auto user = needUser(accounts, w.at(1, "EMAIL"));
        w.expect(2);
        store.setUserDisabled(user.id, verb == "disable");
        std::size_t keys = 0;
        if (verb == "disable") {
            store.revokeSessionsOfUser(user.id, Accounts::nowNs());
            keys = store.revokeApiKeysOfUser(user.id, 0, Accounts::nowNs());
        }
        if (verb == "disable")
            std::fprintf(
                out, "disabled %s: signed out, %zu API key(s) they created revoked\n", user.email.c_str(), keys);
        else
            std::fprintf(out, "enabled %s\n", user.email.c_str());
        return 0;
    }
    if (verb == "passwd") {
        const auto user = needUser(accounts, w.at(1, "EMAIL"));
        w.expect(2);
        std::string password;
        if (!readPassword("New password for " + user.email + ": ", password))
            throw Usage { "no password given (type it at the prompt, or pipe it with --password-stdin)" };
        if (password.size() < Accounts::kMinPasswordLength)
            throw store::QueryError(
                "password: must be at least " + std::to_string(Accounts::kMinPasswordLength) + " characters long");
        store.setPasswordHash(user.id, Accounts::hashPassword(password));
        store.revokeSessionsOfUser(user.id, Accounts::nowNs());
        std::fprintf(out, "password of %s changed; its sessions were signed out\n", user.email.c_str());
        return 0;
    }
    if (verb == "grant-admin" || verb == "revoke-admin") {
        const auto user = needUser(accounts, w.at(1, "EMAIL"));
        w.expect(2);
        const bool admin = verb == "grant-admin";
        store.setUserAdmin(user.id, admin);
        if (admin)
            std::fprintf(
                out, "%s is an admin: may erase and export traces and read the audit log\n", user.email.c_str());
        else
            std::fprintf(out, "%s is no longer an admin\n", user.email.c_str());
        return 0;
    }
    throw Usage { "unknown user command '" + verb
        + "' (add, list, disable, enable, passwd, grant-admin, revoke-admin)" };
}

int projectCommand(const Words &w, Accounts &accounts, std::FILE *out)
{
    const std::string &verb = w.at(0, "project command (create, list, add-member, remove-member, retention, prices)");
    auto &store = accounts.store();
    if (verb == "create") {
        const std::string &name = w.at(1, "NAME");
        w.expect(2);
        const std::string days = w.option("--retention-days");
        const auto project = store.addProject(
            name, days.empty() ? 0 : static_cast<int>(integer(days, "--retention-days", store::kMaxRetentionDays)));
        std::fprintf(out, "created project %s (id %lld)\n", project.name.c_str(), static_cast<long long>(project.id));
        return 0;
    }
    if (verb == "list") {
        w.expect(1);
        std::fprintf(out, "%-6s %-32s %-10s %-22s %s\n", "ID", "NAME", "RETENTION", "CREATED", "PRICES");
        for (const auto &p : store.projects())
            std::fprintf(out, "%-6lld %-32s %-10s %-22s %s\n", static_cast<long long>(p.id), p.name.c_str(),
                p.retention_days ? (std::to_string(p.retention_days) + "d").c_str() : "forever",
                formatTime(p.created_ns).c_str(), p.prices_json.empty() ? "server" : "server + overrides");
        return 0;
    }
    if (verb == "add-member" || verb == "remove-member") {
        const auto project = needProject(accounts, w.at(1, "PROJECT"));
        const auto user = needUser(accounts, w.at(2, "EMAIL"));
        w.expect(3);
        if (verb == "add-member") {
            store.addMember(project.id, user.id);
            std::fprintf(out, "%s is a member of %s\n", user.email.c_str(), project.name.c_str());
        } else {
            if (!store.removeMember(project.id, user.id))
                throw store::QueryError("member: " + user.email + " is not a member of " + project.name);
            const std::size_t keys = store.revokeApiKeysOfUser(user.id, project.id, Accounts::nowNs());
            std::fprintf(out, "%s is no longer a member of %s; %zu API key(s) they created there revoked\n",
                user.email.c_str(), project.name.c_str(), keys);
        }
        return 0;
    }
    if (verb == "retention") {
        const auto project = needProject(accounts, w.at(1, "PROJECT"));
        const int days = static_cast<int>(integer(w.at(2, "DAYS"), "DAYS", store::kMaxRetentionDays));
        w.expect(3);
        store.setRetentionDays(project.id, days);
        if (days)
            std::fprintf(out, "traces of %s are kept for %d days\n", project.name.c_str(), days);
        else
            std::fprintf(out, "traces of %s are kept forever\n", project.name.c_str());
        return 0;
    }
    if (verb == "prices") {
        const auto project = needProject(accounts, w.at(1, "PROJECT"));
        const std::string &file = w.at(2, "FILE (a price file, docs/pricing.md) or none");
        w.expect(3);
        std::string json;
        if (file != "none") {
            std::ifstream in(file, std::ios::binary);
            if (!in)
                throw store::QueryError("FILE: cannot read " + file);
            std::ostringstream text;
            text << in.rdbuf();
            json = text.str();
            core::PriceTable check;
            std::string why;
            if (!check.load(json, why, core::PriceRow::Source::Override))
                throw store::QueryError(file + ": " + why);
        }
        store.setProjectPrices(project.id, json);
        if (json.empty())
            std::fprintf(out, "%s prices with the server's table again\n", project.name.c_str());
        else
            std::fprintf(out,
                "%s prices new spans with the overrides in %s; run agentops-server reprice to price stored spans "
                "again\n",
                project.name.c_str(), file.c_str());
        return 0;
    }
    throw Usage { "unknown project command '" + verb
        + "' (create, list, add-member, remove-member, retention, prices)" };
}

void printNewKey(std::FILE *out, const Accounts::NewKey &k, const std::string &project, const char *what)
{
    std::fprintf(out,
        "%s API key %lld for project %s:\n\n    %s\n\n"
        "Store it now: it is shown only this once (the server keeps only its SHA-256 hash).\n"
        "Exporters send it as OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer%%20%s\"\n",
        what, static_cast<long long>(k.key.id), project.c_str(), k.secret.c_str(), k.secret.c_str());
}

int keyCommand(const Words &w, Accounts &accounts, std::FILE *out)
{
    const std::string &verb = w.at(0, "key command (create, list, revoke, rotate)");
    auto &store = accounts.store();
    if (verb == "create") {
        const auto project = needProject(accounts, w.at(1, "PROJECT"));
        w.expect(2);
        printNewKey(out, accounts.createKey(project.id, w.option("--name")), project.name, "Created");
        return 0;
    }
    if (verb == "list") {
        std::int64_t projectId = 0;
        if (w.positional.size() > 1)
            projectId = needProject(accounts, w.positional[1]).id;
        w.expect(2);
        std::fprintf(out, "%-6s %-20s %-12s %-20s %-24s %-22s %s\n", "ID", "PROJECT", "PREFIX", "NAME", "CREATED BY",
            "LAST USED", "STATUS");
        for (const auto &k : store.apiKeys(projectId)) {
            const auto project = store.projectById(k.project_id);
            const auto creator = k.created_by ? store.userById(k.created_by) : std::nullopt;
            std::fprintf(out, "%-6lld %-20s %-12s %-20s %-24s %-22s %s\n", static_cast<long long>(k.id),
                project ? project->name.c_str() : "?", (k.prefix + "...").c_str(), k.name.c_str(),
                creator ? creator->email.c_str() : "(admin)", formatTime(k.last_used_ns).c_str(),
                k.revoked_ns ? ("revoked " + formatTime(k.revoked_ns)).c_str() : "active");
        }
        return 0;
    }
    if (verb == "revoke" || verb == "rotate") {
        const std::int64_t id = integer(w.at(1, "ID"), "ID");
        w.expect(2);
        const auto key = store.apiKeyById(id);
        if (!key)
            throw store::QueryError("ID: no API key " + std::to_string(id) + " (see: agentops-server key list)");
        if (key->revoked_ns)
            throw store::QueryError("ID: API key " + std::to_string(id) + " is already revoked");
        const auto project = store.projectById(key->project_id);
        if (verb == "revoke") {
            store.revokeApiKey(id, Accounts::nowNs());
            std::fprintf(out, "revoked API key %lld (%s...); requests with it are refused from now on\n",
                static_cast<long long>(id), key->prefix.c_str());
            return 0;
        }
        const auto fresh = accounts.rotateKey(id);
        if (!fresh)
            throw store::QueryError("ID: API key " + std::to_string(id) + " was revoked meanwhile");
        printNewKey(out, *fresh, project ? project->name : "?", "Rotated: the old key is revoked. New");
        return 0;
    }
    throw Usage { "unknown key command '" + verb + "' (create, list, revoke, rotate)" };
}

/// The audit log's entry for a command that changed something (listings change nothing): the
/// command and verb as the action, the words after them (never a password: those are read from the
/// terminal or stdin) as the target.
void auditCommand(const std::string &command, const Words &w, Accounts &accounts)
{
    if (w.positional.empty() || w.positional[0] == "list")
        return;
    std::string target;
    for (std::size_t i = 1; i < w.positional.size(); ++i)
        target += (target.empty() ? "" : " ") + w.positional[i];
    for (const auto &[k, v] : w.options) {
        if (!target.empty())
            target += ' ';
        target.append(k).append(1, ' ').append(v);
    }
    audit(accounts.store(), commandLineActor(), command + "." + w.positional[0], target);
}

} // namespace

int runAdminCommand(const std::string &command, const std::vector<std::string> &args, Accounts &accounts,
    const PasswordReader &readPassword, std::FILE *out, std::FILE *err)
{
    const Words words(args);
    try {
        int rc = 0;
        if (command == "user")
            rc = userCommand(words, accounts, readPassword, out);
        else if (command == "project")
            rc = projectCommand(words, accounts, out);
        else if (command == "key")
            rc = keyCommand(words, accounts, out);
        else
            throw Usage { "unknown command '" + command + "'" };
        if (rc == 0)
            auditCommand(command, words, accounts);
        return rc;
    } catch (const Usage &u) {
        std::fprintf(err, "agentops-server %s: %s (see --help)\n", command.c_str(), u.message.c_str());
        return 2;
    } catch (const store::QueryError &e) {
        std::fprintf(err, "agentops-server %s: %s\n", command.c_str(), e.what());
        return 1;
    } catch (const store::StoreError &e) {
        std::fprintf(err, "agentops-server %s: %s\n", command.c_str(), e.what());
        return 1;
    }
}

PasswordReader terminalPasswordReader(bool passwordStdin)
{
    return [passwordStdin](const std::string &prompt, std::string &password) {
        if (passwordStdin || !isatty(STDIN_FILENO)) {
            if (!passwordStdin)
                return false;
            if (!std::getline(std::cin, password))
                return false;
            if (!password.empty() && password.back() == '\r')
                password.pop_back();
            return !password.empty();
        }
        auto readHidden = [](const std::string &ask, std::string &into) {
            std::fputs(ask.c_str(), stderr);
            std::fflush(stderr);
            termios old {};
            const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
            if (tty) {
                termios quiet = old;
                quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
                tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
            }
            const bool ok = static_cast<bool>(std::getline(std::cin, into));
            if (tty)
                tcsetattr(STDIN_FILENO, TCSANOW, &old);
            std::fputs("\n", stderr);
            return ok;
        };
        std::string again;
        if (!readHidden(prompt, password) || !readHidden("Again: ", again))
            return false;
        if (password != again) {
            std::fputs("the two passwords differ\n", stderr);
            return false;
        }
        return !password.empty();
    };
}

} // namespace agentops::server
