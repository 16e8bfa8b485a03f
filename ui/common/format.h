// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QLocale>
#include <QString>

#include <cstdint>
#include <optional>

namespace agentops::ui {

/// How every page prints numbers, times and money, so every table reads the same.
namespace format {

/// The user's locale for numbers, with group separators even in the C locale (headless runs).
QLocale numberLocale();
/// The one spelling of a duration, used wherever one is shown: "850 ns", "12.3 µs", "1.5 ms",
/// "456 ms", "1.23 s", "12.3 s", then "2m 05s" below an hour and "25h 15m" beyond (a clock's reading:
/// whole seconds, then whole minutes). Below a minute three significant digits, without the zeros a
/// fraction ends in. Negative durations (clock skew) get a minus sign.
QString duration(std::int64_t ns);
/// A label of a time axis whose ticks are step apart: the same units as duration(), as short as the
/// step allows ("0", "500 ms", "1.5 s", "2m", "2m 30s", "1h", "1h 30m", "25h").
QString durationTick(std::int64_t ns, std::int64_t step);
/// Reads what duration() writes, and what people type: "850 ns", "12.5 µs" (or "us"), "500 ms",
/// "1.5 s", "90" (seconds), "2m 05s", "2 min", "1h 30m", "1.5h". nullopt when it is none of these.
std::optional<std::int64_t> parseDuration(const QString &text);
/// 12345 -> "12,345" in the user's locale (with group separators even in the C locale).
QString count(std::int64_t n);
/// A size on disk in powers of 1024, as agentops-server's --retention-size reads them: "512 bytes",
/// "12.3 KiB", "456.7 MiB", "1.25 GiB", "3.50 TiB" (GiB and above with two decimals, so a limit of
/// 10 GiB and a store of 9.95 GiB do not read alike).
QString bytes(std::uint64_t n);
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
