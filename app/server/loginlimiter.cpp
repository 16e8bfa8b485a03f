// SPDX-License-Identifier: MIT
#include "server/loginlimiter.h"

#include "core/span.h"

#include <algorithm>
#include <cmath>

namespace agentops::server {

LoginLimiter::LoginLimiter(double ratePerSecond, double burst)
    : m_perClient(ratePerSecond, burst)
    , m_perAccountAndClient(ratePerSecond, burst)
{ }

std::string LoginLimiter::accountKey(const std::string &account)
{
    return core::asciiLower(account);
}

double LoginLimiter::decayed(const Failures &f, Clock::time_point now) const
{
    const double seconds = std::max(0.0, std::chrono::duration<double>(now - f.updated).count());
    return f.count * std::exp2(-seconds / static_cast<double>(kFailureHalfLife.count()));
}

RateLimiter::Decision LoginLimiter::admitClient(const std::string &clientAddress, Clock::time_point now)
{
    return m_perClient.take("login:" + clientAddress, now);
}

LoginLimiter::Decision LoginLimiter::admit(
    const std::string &clientAddress, const std::string &account, Clock::time_point now)
{
    Decision d;
    const std::string key = accountKey(account);
    if (const auto r = m_perAccountAndClient.take(key + "|" + clientAddress, now); !r) {
        d.allowed = false;
        d.retry_after = r.retry_after;
        d.who = "account from this client address (sign-in attempts)";
        return d;
    }
    std::lock_guard lock(m_mutex);
    const auto it = m_failures.find(key);
    if (it == m_failures.end())
        return d;
    const double excess = decayed(it->second, now) - kFreeFailures;
    if (excess > 0) {
        // 250 ms for the first failure over the allowance, doubling, at most kMaxDelay.
        const double ms = std::min<double>(static_cast<double>(kMaxDelay.count()), 250.0 * std::exp2(excess - 1));
        d.delay = std::chrono::milliseconds(static_cast<std::int64_t>(ms));
    }
    return d;
}

void LoginLimiter::failed(const std::string &account, Clock::time_point now)
{
    const std::string key = accountKey(account);
    std::lock_guard lock(m_mutex);
    if (m_failures.size() >= kMaxAccounts && !m_failures.count(key)) {
        // Forget accounts whose failures have faded; if all are recent, forget them all (which only
        // ever errs towards not delaying).
        std::erase_if(m_failures, [&](const auto &entry) { return decayed(entry.second, now) < 1; });
        if (m_failures.size() >= kMaxAccounts)
            m_failures.clear();
    }
    auto &f = m_failures[key];
    f.count = decayed(f, now) + 1;
    f.updated = now;
}

void LoginLimiter::succeeded(const std::string &account)
{
    std::lock_guard lock(m_mutex);
    m_failures.erase(accountKey(account));
}

double LoginLimiter::failures(const std::string &account, Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_failures.find(accountKey(account));
    return it == m_failures.end() ? 0 : decayed(it->second, now);
}

} // namespace agentops::server
