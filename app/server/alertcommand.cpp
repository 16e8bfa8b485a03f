// SPDX-License-Identifier: MIT
#include "server/alertcommand.h"

#include "alerts/alertjson.h"
#include "core/spanjson.h"

#include <chrono>
#include <cmath>
#include <map>
#include <set>

namespace agentops::server {

namespace {

struct Usage
{
    std::string message;
};

/// The words after "alert": the verb, positional words, and --options with their values.
struct AlertWords
{
    std::vector<std::string> positional;
    std::map<std::string, std::string> options;

    AlertWords(const std::vector<std::string> &args, const std::set<std::string> &allowed)
    {
        for (std::size_t i = 0; i < args.size(); ++i) {
            if (args[i].rfind("--", 0) != 0) {
                positional.push_back(args[i]);
                continue;
            }
            if (!allowed.contains(args[i]))
                throw Usage { "unknown option '" + args[i] + "' for this command" };
            if (i + 1 >= args.size())
                throw Usage { args[i] + ": needs a value" };
            if (!options.emplace(args[i], args[i + 1]).second)
                throw Usage { args[i] + ": given twice" };
            ++i;
        }
    }
    std::string option(const std::string &name) const
    {
        const auto it = options.find(name);
        return it == options.end() ? std::string() : it->second;
    }
    bool has(const std::string &name) const { return options.contains(name); }
};

double number(const std::string &text, const char *flag)
{
    std::size_t used = 0;
    double v = 0;
    try {
        v = std::stod(text, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    if (used != text.size() || text.empty() || !std::isfinite(v))
        throw store::QueryError(std::string(flag) + ": must be a number, got '" + text + "'");
    return v;
}

std::int64_t whole(const std::string &text, const char *flag, std::int64_t min, std::int64_t max)
{
    std::size_t used = 0;
    long long v = 0;
    try {
        v = std::stoll(text, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    if (used != text.size() || text.empty() || v < min || v > max)
        throw store::QueryError(std::string(flag) + ": must be a whole number from " + std::to_string(min) + " to "
            + std::to_string(max) + ", got '" + text + "'");
    return v;
}

/// The rule the options of `alert add` describe; throws QueryError naming the bad option.
core::AlertRule ruleFromOptions(const AlertWords &w)
{
    core::AlertRule r;
    if (w.positional.size() < 2)
        throw Usage { "missing NAME" };
    if (w.positional.size() > 2)
        throw Usage { "unexpected argument '" + w.positional[2] + "'" };
    r.name = w.positional[1];
    if (!w.has("--kind"))
        throw Usage { "--kind: required (" + core::alertKindNames() + ")" };
    const auto kind = core::alertKindFromName(w.option("--kind"));
    if (!kind)
        throw store::QueryError(
            "--kind: unknown kind '" + w.option("--kind") + "' (kinds: " + core::alertKindNames() + ")");
    r.kind = *kind;
    if (w.has("--threshold"))
        r.threshold = number(w.option("--threshold"), "--threshold");
    else if (r.kind != core::AlertKind::NoTraffic)
        throw Usage { "--threshold: required for " + w.option("--kind") };
    if (w.has("--window"))
        r.window_s = 60 * whole(w.option("--window"), "--window", 1, core::kMaxAlertWindowSeconds / 60);
    if (w.has("--for"))
        r.for_s = whole(w.option("--for"), "--for", 0, core::kMaxAlertForSeconds);
    if (w.has("--scope")) {
        const auto scope = core::alertScopeFromName(w.option("--scope"));
        if (!scope)
            throw store::QueryError(
                "--scope: unknown scope '" + w.option("--scope") + "' (scopes: " + core::alertScopeNames() + ")");
        r.scope = *scope;
    }
    r.scope_value = w.option("--scope-value");
    r.webhook_url = w.option("--webhook");
    r.webhook_secret = w.option("--secret");
    r.created_ns
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    if (const auto why = core::validateAlertRule(r); !why.empty())
        throw store::QueryError(why);
    return r;
}

std::string describeScope(const core::AlertRule &r)
{
    return r.scope == core::AlertScope::All ? std::string("all")
                                            : std::string(core::alertScopeName(r.scope)) + "=" + r.scope_value;
}

void list(store::TraceStore &store, std::FILE *out)
{
    std::fprintf(out, "%-6s %-24s %-14s %-14s %-8s %-6s %-24s %-9s %s\n", "ID", "NAME", "KIND", "THRESHOLD", "WINDOW",
        "FOR", "SCOPE", "STATE", "WEBHOOK");
    for (const auto &r : store.alertRules()) {
        std::string state = r.enabled ? core::alertStatusName(r.state.status) : "disabled";
        if (r.state.status == core::AlertStatus::Firing)
            state += " since " + core::formatRfc3339Nanos(r.state.since_ns).substr(0, 19) + "Z ("
                + alerts::formatAlertValue(r.kind, r.state.fired_value) + ")";
        std::fprintf(out, "%-6lld %-24s %-14s %-14s %-8s %-6s %-24s %-9s %s\n", static_cast<long long>(r.id),
            r.name.c_str(), core::alertKindName(r.kind), alerts::formatAlertValue(r.kind, r.threshold).c_str(),
            (std::to_string(r.window_s / 60) + "m").c_str(), (std::to_string(r.for_s) + "s").c_str(),
            describeScope(r).c_str(), state.c_str(), r.webhook_url.empty() ? "-" : r.webhook_url.c_str());
    }
}

int run(const std::vector<std::string> &args, const AlertStoreOpener &open, std::FILE *out)
{
    if (args.empty() || args[0].rfind("--", 0) == 0)
        throw Usage { "missing alert command (add, list, remove)" };
    const std::string &verb = args[0];
    if (verb == "add") {
        const AlertWords w(args,
            { "--kind", "--threshold", "--window", "--for", "--scope", "--scope-value", "--webhook", "--secret",
                "--project" });
        core::AlertRule rule = ruleFromOptions(w);
        const bool newSecret = !rule.webhook_url.empty() && rule.webhook_secret.empty();
        if (newSecret)
            rule.webhook_secret = alerts::newWebhookSecret();
        const auto store = open(w.option("--project"));
        const auto stored = store->addAlertRule(rule);
        std::fprintf(out, "added alert rule %s (id %lld): %s %s %s over %lld min, scope %s\n", stored.name.c_str(),
            static_cast<long long>(stored.id), core::alertKindName(stored.kind),
            stored.kind == core::AlertKind::NoTraffic ? "at most" : "above",
            alerts::formatAlertValue(stored.kind, stored.threshold).c_str(),
            static_cast<long long>(stored.window_s / 60), describeScope(stored).c_str());
        if (newSecret)
            std::fprintf(out,
                "\nWebhook signing secret (shown only this once; receivers verify X-AgentOps-Signature with it):\n\n"
                "    %s\n\n",
                rule.webhook_secret.c_str());
        return 0;
    }
    if (verb == "list") {
        const AlertWords w(args, { "--project" });
        if (w.positional.size() > 1)
            throw Usage { "unexpected argument '" + w.positional[1] + "'" };
        list(*open(w.option("--project")), out);
        return 0;
    }
    if (verb == "remove") {
        const AlertWords w(args, { "--project" });
        if (w.positional.size() < 2)
            throw Usage { "missing NAME or ID" };
        if (w.positional.size() > 2)
            throw Usage { "unexpected argument '" + w.positional[2] + "'" };
        const std::string &which = w.positional[1];
        const auto store = open(w.option("--project"));
        for (const auto &r : store->alertRules()) {
            if (r.name == which || std::to_string(r.id) == which) {
                store->removeAlertRule(r.id);
                std::fprintf(out, "removed alert rule %s (id %lld)\n", r.name.c_str(), static_cast<long long>(r.id));
                return 0;
            }
        }
        throw store::QueryError("no alert rule named or numbered '" + which + "' (see: agentops-server alert list)");
    }
    throw Usage { "unknown alert command '" + verb + "' (add, list, remove)" };
}

} // namespace

int runAlertCommand(const std::vector<std::string> &args, const AlertStoreOpener &open, std::FILE *out, std::FILE *err)
{
    try {
        return run(args, open, out);
    } catch (const Usage &u) {
        std::fprintf(err, "agentops-server alert: %s (see --help)\n", u.message.c_str());
        return 2;
    } catch (const std::exception &e) {
        std::fprintf(err, "agentops-server alert: %s\n", e.what());
        return 1;
    }
}

} // namespace agentops::server
