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
/// An amount: "$0.00", "$0.000012", "$0.0042", "$0.153", "$12.40", "$1,234.56" (small amounts keep
/// two significant digits, so a priced call never reads as $0).
QString money(double usd);
/// A total's cost (trace, session, time bucket, span): the amount of its priced spans, with "+" when
/// some of its spans used tokens without a price (the real cost is higher); "no price" when none of
/// them was priced; "—" when nothing in it needed a price. The one wording of every page.
QString cost(double usd, std::int64_t pricedSpans, std::int64_t unpricedSpans);
/// What cost() leaves out, for its tooltip: empty when every span that used tokens was priced.
QString costNote(std::int64_t pricedSpans, std::int64_t unpricedSpans);
/// Local time: "14:03:27" today, "Mar 14, 14:03" this year, "2024-03-14 14:03" before.
QString startTime(std::int64_t ns, const QDateTime &now = QDateTime::currentDateTime());
/// Full local timestamp with milliseconds (tooltips).
QString timestamp(std::int64_t ns);
QDateTime fromNs(std::int64_t ns);
std::int64_t toNs(const QDateTime &time);

} // namespace format
} // namespace agentops::ui
