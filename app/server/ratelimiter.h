// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace agentops::server {

/// Token buckets keyed by a string (an API key, a client address): each key may spend `burst`
/// at once and regains `ratePerSecond`. A refused request is told when to retry (429 +
/// Retry-After).
///
/// Thread-safe: keys are spread over kShards shards, each with its own mutex, so threads serving
/// different keys rarely wait for each other. Memory is bounded: a bucket that has refilled
/// completely is indistinguishable from a new one and is evicted; and each shard holds at most
/// maxKeys / kShards buckets: when full, idle buckets are evicted first, and if every bucket is
/// still refilling the least recently used eighth goes (such a key starts over full, which only ever
/// errs towards allowing). So at most maxKeys buckets exist, whatever the number of distinct keys:
/// each is the key plus ~100 bytes, about 10 MB at the default for 40-byte keys.
class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::size_t kShards = 16;
    static constexpr std::size_t kDefaultMaxKeys = 65'536;

    struct Decision
    {
        bool allowed = true;
        /// When refused: whole seconds until the cost is available again (rounded up, at least 1);
        /// 0 when allowed.
        std::int64_t retry_after = 0;
        explicit operator bool() const { return allowed; }
    };

    /// ratePerSecond 0 = unlimited. burst below 1 is taken as 1 (a bucket must hold one request).
    /// Negative or non-finite values throw std::invalid_argument naming the value.
    RateLimiter(double ratePerSecond, double burst, std::size_t maxKeys = kDefaultMaxKeys);

    /// Takes cost tokens from key's bucket when it has them. A cost above the burst can never be
    /// paid and is refused with the time a full bucket takes to refill.
    Decision take(const std::string &key, Clock::time_point now, double cost = 1);
    Decision take(const std::string &key) { return take(key, Clock::now()); }

    bool unlimited() const { return m_rate <= 0; }
    double rate() const { return m_rate; }
    double burst() const { return m_burst; }
    /// Buckets held now (for tests and /metrics).
    std::size_t size() const;

private:
    struct Bucket
    {
        double tokens = 0;
        Clock::time_point updated;
    };
    struct Shard
    {
        mutable std::mutex mutex;
        std::unordered_map<std::string, Bucket> buckets;
        Clock::time_point lastSweep {};
    };
    Shard &shardOf(const std::string &key);
    void sweep(Shard &shard, Clock::time_point now);

    double m_rate;
    double m_burst;
    std::size_t m_maxPerShard;
    std::array<Shard, kShards> m_shards;
};

} // namespace agentops::server
