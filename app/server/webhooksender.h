// SPDX-License-Identifier: MIT
#pragma once

#include "server/log.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

namespace agentops::server {

/// Delivers alert webhooks (docs/alerts.md): each a JSON POST signed with the rule's secret
/// (X-AgentOps-Timestamp, X-AgentOps-Signature), on a thread of its own so evaluation, ingest and
/// queries never wait for a receiver. A delivery that fails (no connection, a timeout, an answer
/// other than 2xx) is tried again after a backoff that doubles from first_backoff up to
/// max_backoff, at most max_attempts times in all; then it is given up and counted. The queue is
/// bounded: beyond max_queued a new delivery is dropped and counted.
class WebhookSender
{
public:
    struct Options
    {
        int max_attempts = 8;
        std::chrono::milliseconds first_backoff { 1000 };
        std::chrono::milliseconds max_backoff { std::chrono::minutes(5) };
        std::chrono::milliseconds timeout { 10'000 }; ///< per attempt, connection included
        std::size_t max_queued = 10'000;
        std::string user_agent = "agentops-server";
    };
    struct Delivery
    {
        std::string url;
        std::string secret; ///< empty: unsigned
        std::string body;
        std::string id; ///< X-AgentOps-Delivery, the same on every attempt (receivers drop repeats)
    };
    struct Stats
    {
        std::uint64_t delivered = 0;
        std::uint64_t failed = 0; ///< given up after max_attempts
        std::uint64_t retries = 0; ///< attempts after a first one failed
        std::uint64_t dropped = 0; ///< refused: the queue was full
        std::size_t queued = 0; ///< waiting now, for a first attempt or a retry
    };

    WebhookSender(Options options, Log &log);
    ~WebhookSender();
    WebhookSender(const WebhookSender &) = delete;
    WebhookSender &operator=(const WebhookSender &) = delete;

    void start();
    /// Stops after the attempt in progress; what is still queued is not sent.
    void stop();
    /// Queues a delivery; never blocks. False when the queue is full (counted as dropped).
    bool enqueue(Delivery delivery);
    Stats stats() const;

    /// The wait before attempt n+1 after n failed attempts (n >= 1).
    static std::chrono::milliseconds backoff(const Options &options, int failedAttempts);

private:
    struct Pending
    {
        std::chrono::steady_clock::time_point due;
        std::uint64_t seq = 0;
        int attempts = 0;
        Delivery delivery;
        bool operator>(const Pending &o) const { return due != o.due ? due > o.due : seq > o.seq; }
    };
    void run();
    /// One POST; "" when the receiver answered 2xx, else what went wrong.
    std::string attempt(const Delivery &d);

    Options m_options;
    Log &m_log;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::uint64_t m_seq = 0;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> m_queue;
    Stats m_stats;
    std::thread m_thread;
};

} // namespace agentops::server
