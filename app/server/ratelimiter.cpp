// SPDX-License-Identifier: MIT
#include "server/ratelimiter.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <vector>

namespace agentops::server {

RateLimiter::RateLimiter(double ratePerSecond, double burst, std::size_t maxKeys)
    : m_rate(ratePerSecond)
    , m_burst(burst)
    , m_maxPerShard(std::max<std::size_t>(1, maxKeys / kShards))
{
    if (!std::isfinite(ratePerSecond) || ratePerSecond < 0)
        throw std::invalid_argument(
            "rate limit: rate must be a non-negative number per second, got " + std::to_string(ratePerSecond));
    if (!std::isfinite(burst) || burst < 0)
        throw std::invalid_argument("rate limit: burst must be a non-negative number, got " + std::to_string(burst));
    m_burst = std::max(1.0, burst);
}

RateLimiter::Shard &RateLimiter::shardOf(const std::string &key)
{
    return m_shards[std::hash<std::string> {}(key) % kShards];
}

void RateLimiter::sweep(Shard &shard, Clock::time_point now)
{
    // A bucket that has refilled to the brim is the same as no bucket.
    const double fullAfter = m_burst / m_rate;
    for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
        const double idle = std::chrono::duration<double>(now - it->second.updated).count();
        if (it->second.tokens + idle * m_rate >= m_burst || idle >= fullAfter)
            it = shard.buckets.erase(it);
        else
            ++it;
    }
    shard.lastSweep = now;
}

RateLimiter::Decision RateLimiter::take(const std::string &key, Clock::time_point now, double cost)
{
    if (m_rate <= 0)
        return {};
    if (!(cost >= 0) || !std::isfinite(cost))
        cost = 1;
    Shard &shard = shardOf(key);
    std::lock_guard lock(shard.mutex);
    auto it = shard.buckets.find(key);
    if (it == shard.buckets.end()) {
        // Sweeping idle buckets costs O(shard), so it runs when the shard is full or at most about
        // once per refill time; either keeps the amortised cost per call constant.
        const bool due = std::chrono::duration<double>(now - shard.lastSweep).count() >= m_burst / m_rate;
        if (shard.buckets.size() >= m_maxPerShard || (due && !shard.buckets.empty()))
            sweep(shard, now);
        if (shard.buckets.size() >= m_maxPerShard) {
            // Every bucket is still refilling: drop the least recently used eighth at once, so a
            // flood of new keys costs O(1) amortised rather than a scan per key.
            std::vector<std::unordered_map<std::string, Bucket>::iterator> all;
            all.reserve(shard.buckets.size());
            for (auto i = shard.buckets.begin(); i != shard.buckets.end(); ++i)
                all.push_back(i);
            const std::size_t drop = std::max<std::size_t>(1, all.size() / 8);
            std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(drop - 1), all.end(),
                [](const auto &a, const auto &b) { return a->second.updated < b->second.updated; });
            for (std::size_t i = 0; i < drop; ++i)
                shard.buckets.erase(all[i]);
        }
        it = shard.buckets.emplace(key, Bucket { m_burst, now }).first;
    } else if (now > it->second.updated) {
        const double elapsed = std::chrono::duration<double>(now - it->second.updated).count();
        it->second.tokens = std::min(m_burst, it->second.tokens + elapsed * m_rate);
        it->second.updated = now;
    }
    Bucket &b = it->second;
    // A tiny tolerance so that refills computed in floating point are not refused by rounding.
    if (cost <= b.tokens + 1e-9) {
        b.tokens = std::max(0.0, b.tokens - cost);
        return {};
    }
    const double missing = std::min(cost, m_burst) - b.tokens;
    const double wait = cost > m_burst ? m_burst / m_rate : missing / m_rate;
    Decision d;
    d.allowed = false;
    d.retry_after = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait - 1e-9)));
    return d;
}

std::size_t RateLimiter::size() const
{
    std::size_t n = 0;
    for (const Shard &s : m_shards) {
        std::lock_guard lock(s.mutex);
        n += s.buckets.size();
    }
    return n;
}

} // namespace agentops::server
