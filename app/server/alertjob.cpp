// SPDX-License-Identifier: MIT
#include "server/alertjob.h"

#include "alerts/alertjson.h"
#include "alerts/evaluator.h"

#include <map>
#include <pthread.h>

namespace agentops::server {

namespace {

std::int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

AlertJob::AlertJob(Targets targets, std::chrono::seconds interval, WebhookSender *sender, Log &log)
    : m_targets(std::move(targets))
    , m_interval(interval)
    , m_sender(sender)
    , m_log(log)
{ }

AlertJob::~AlertJob()
{
    stop();
}

void AlertJob::start()
{
    m_thread = std::thread([this] { run(); });
}

void AlertJob::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

std::vector<AlertJob::Firing> AlertJob::firing() const
{
    std::lock_guard lock(m_mutex);
    return m_firing;
}

AlertJob::Stats AlertJob::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void AlertJob::run()
{
    pthread_setname_np(pthread_self(), "agentops-alerts");
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stop)
            return;
        lock.unlock();
        evaluate(nowNs());
        lock.lock();
        if (m_wake.wait_for(lock, m_interval, [this] { return m_stop; }))
            return;
    }
}

void AlertJob::evaluate(std::int64_t now_ns)
{
    std::lock_guard pass(m_evaluating);
    std::vector<Firing> firing;
    std::vector<Target> targets;
    try {
        targets = m_targets();
    } catch (const std::exception &e) {
        m_log.error(std::string("alerts: cannot list the projects: ") + e.what());
        std::lock_guard lock(m_mutex);
        ++m_stats.errors;
        return;
    }
    for (const auto &target : targets)
        evaluateTarget(target, now_ns, firing);
    std::lock_guard lock(m_mutex);
    m_firing = std::move(firing);
    ++m_stats.evaluations;
}

void AlertJob::evaluateTarget(const Target &target, std::int64_t now_ns, std::vector<Firing> &firing)
{
    std::vector<std::string> errors;
    std::vector<core::AlertEvent> events;
    std::vector<core::AlertRule> rules;
    try {
        events = alerts::evaluateStore(*target.store, now_ns, &errors);
        rules = target.store->alertRules();
    } catch (const std::exception &e) {
        errors.emplace_back(e.what());
    }
    for (const auto &e : errors)
        m_log.error("alerts: " + e, { { "project", Log::str(target.project) } });
    std::map<std::int64_t, const core::AlertRule *> byId;
    for (const auto &r : rules) {
        byId[r.id] = &r;
        if (r.enabled && r.state.status == core::AlertStatus::Firing)
            firing.push_back({ target.project, r.name, r.kind, r.state.fired_value });
    }
    for (const auto &e : events) {
        const std::string value = e.value ? alerts::formatAlertValue(e.kind, *e.value) : std::string("no data");
        m_log.info(std::string(e.firing ? "alert firing: " : "alert resolved: ") + e.rule_name,
            { { "project", Log::str(target.project) }, { "kind", Log::str(core::alertKindName(e.kind)) },
                { "value", Log::str(value) } });
        const auto it = byId.find(e.rule_id);
        if (!m_sender || it == byId.end() || it->second->webhook_url.empty())
            continue;
        if (!m_sender->enqueue({ it->second->webhook_url, it->second->webhook_secret,
                alerts::webhookBody(e, target.project), target.project + "-" + std::to_string(e.id) }))
            m_log.error("alerts: the webhook queue is full; an alert was not sent",
                { { "project", Log::str(target.project) }, { "rule", Log::str(e.rule_name) } });
    }
    std::lock_guard lock(m_mutex);
    m_stats.errors += errors.size();
    m_stats.events += events.size();
}

} // namespace agentops::server
