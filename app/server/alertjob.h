// SPDX-License-Identifier: MIT
#pragma once

#include "core/alertrule.h"
#include "server/log.h"
#include "server/webhooksender.h"
#include "store/tracestore.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agentops::server {

/// Evaluates the alert rules of every project on a thread of its own (every interval, the first
/// time at start), records their states and events in each project's store, hands the events of
/// rules with a webhook to the WebhookSender, and keeps the list of firing alerts for /metrics.
class AlertJob
{
public:
    struct Target
    {
        std::string project; ///< the name in messages, labels and webhook bodies
        store::TraceStore *store = nullptr;
    };
    /// The stores to evaluate now (called at each evaluation, so new projects are picked up).
    using Targets = std::function<std::vector<Target>()>;
    struct Firing
    {
        std::string project;
        std::string rule;
        core::AlertKind kind = core::AlertKind::ErrorRate;
        double value = 0; ///< the value that fired
    };
    struct Stats
    {
        std::uint64_t evaluations = 0; ///< passes over every project
        std::uint64_t errors = 0; ///< rules or projects that could not be evaluated
        std::uint64_t events = 0; ///< alerts fired or resolved
    };

    AlertJob(Targets targets, std::chrono::seconds interval, WebhookSender *sender, Log &log);
    ~AlertJob();
    AlertJob(const AlertJob &) = delete;
    AlertJob &operator=(const AlertJob &) = delete;

    void start();
    void stop();
    /// One pass over every project at now_ns.
    void evaluate(std::int64_t now_ns);
    std::vector<Firing> firing() const;
    Stats stats() const;

private:
    void run();
    /// One project: its events, and its firing rules appended to firing.
    void evaluateTarget(const Target &target, std::int64_t now_ns, std::vector<Firing> &firing);

    Targets m_targets;
    std::chrono::seconds m_interval;
    WebhookSender *m_sender;
    Log &m_log;
    std::mutex m_evaluating; ///< one pass at a time
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::vector<Firing> m_firing;
    Stats m_stats;
    std::thread m_thread;
};

} // namespace agentops::server
