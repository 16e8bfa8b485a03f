// SPDX-License-Identifier: MIT
#pragma once

#include "server/ratelimiter.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace agentops::server {

/// Sign-in attempts, limited so that guessing is slow and nobody can lock a user out:
/// - a token bucket per client address (many accounts guessed from one address);
/// - a token bucket per account and client address together (one account guessed from one
///   address), never per account alone: attempts from other addresses, however many, do not use up
///   the real user's allowance;
/// - per account, a delay that grows with its recent failed attempts from anywhere (up to
///   kMaxDelay) before the password is checked: guessing from many addresses is slowed down, and
///   the real user still signs in, a little later.
/// Thread-safe; memory is bounded like RateLimiter's.
class LoginLimiter
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kMaxDelay { 2000 };
    /// Failures an account may have before attempts on it are delayed.
    static constexpr double kFreeFailures = 3;
    /// Recent failures count less as time goes: halved every this long.
    static constexpr std::chrono::seconds kFailureHalfLife { 60 };
    static constexpr std::size_t kMaxAccounts = 65'536;

    LoginLimiter(double ratePerSecond, double burst);

    struct Decision
    {
        bool allowed = true;
        std::int64_t retry_after = 0; ///< refused: seconds
        std::string who; ///< refused: "client address (sign-in attempts)" or "account ..."
        std::chrono::milliseconds delay { 0 }; ///< allowed: wait this long before checking
    };
    /// Before a sign-in attempt's password is checked. account: the email as given.
    Decision admit(const std::string &clientAddress, const std::string &account, Clock::time_point now);
    Decision admit(const std::string &clientAddress, const std::string &account)
    {
        return admit(clientAddress, account, Clock::now());
    }
    /// Only the per-address bucket (before the body is read).
    RateLimiter::Decision admitClient(const std::string &clientAddress, Clock::time_point now);

    void failed(const std::string &account, Clock::time_point now);
    void failed(const std::string &account) { failed(account, Clock::now()); }
    void succeeded(const std::string &account);
    /// The account's recent failures, decayed to now (for tests).
    double failures(const std::string &account, Clock::time_point now);

private:
    struct Failures
    {
        double count = 0;
        Clock::time_point updated;
    };
    double decayed(const Failures &f, Clock::time_point now) const;
    static std::string accountKey(const std::string &account);

    RateLimiter m_perClient;
    RateLimiter m_perAccountAndClient;
    std::mutex m_mutex;
    std::unordered_map<std::string, Failures> m_failures;
};

} // namespace agentops::server
