// SPDX-License-Identifier: MIT
#pragma once
// What nearly every test needs: the model's time units and text as a QString for QCOMPARE.

#include <QString>

#include <cstdint>
#include <string_view>

namespace agentops::test {

/// Times in the model are nanoseconds since the epoch.
inline constexpr std::int64_t kMs = 1'000'000;
inline constexpr std::int64_t kSecond = 1'000'000'000;

/// UTF-8 text as a QString, for QCOMPARE and failure messages.
inline QString q(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace agentops::test
