// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

#include <cstdint>

namespace agentops::ui {

/// How every page prints numbers, times and money, so every table reads the same.
namespace format {

/// The user's locale for numbers, with group separators even in the C locale (headless runs).
QLocale numberLocale();
/// "850 µs", "830 ms", "1.24 s", "2m 05s", "1h 02m".
QString duration(std::int64_t ns);
/// 12345 -> "12,345" in the user's locale (with group separators even in the C locale).
QString count(std::int64_t n);
/// "$0.0042", "$0.153", "$12.40"; "—" when nothing was priced.
QString cost(double usd, std::int64_t unpricedSpans, std::int64_t tokens);
/// Local time: "14:03:27" today, "Mar 14, 14:03" this year, "2024-03-14 14:03" before.
QString startTime(std::int64_t ns, const QDateTime &now = QDateTime::currentDateTime());
/// Full local timestamp with milliseconds (tooltips).
QString timestamp(std::int64_t ns);
QDateTime fromNs(std::int64_t ns);
std::int64_t toNs(const QDateTime &time);

} // namespace format
} // namespace agentops::ui
