// SPDX-License-Identifier: MIT
#include "common/format.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <climits>
#include <cmath>
#include <iterator>
#include <limits>

namespace agentops::ui::format {

QLocale numberLocale()
{
    QLocale locale;
    // The C locale (headless runs, LANG unset) omits group separators; large counts need them.
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale;
}

namespace {

constexpr std::int64_t kMicrosecond = 1'000;
constexpr std::int64_t kMillisecond = 1'000'000;
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

QString tr(const char *text)
{
    return QCoreApplication::translate("agentops::ui::format", text);
}

/// The units below a minute, each with its spelling ("%1" is the number).
struct Unit
{
    std::int64_t ns;
    const char *text;
};
constexpr Unit kUnits[] = {
    { 1, QT_TRANSLATE_NOOP("agentops::ui::format", "%1 ns") },
    { kMicrosecond, QT_TRANSLATE_NOOP("agentops::ui::format", "%1 µs") },
    { kMillisecond, QT_TRANSLATE_NOOP("agentops::ui::format", "%1 ms") },
    { kSecond, QT_TRANSLATE_NOOP("agentops::ui::format", "%1 s") },
};

QString hours(std::int64_t h)
{
    return tr("%1h").arg(h);
}

/// Minutes, with two digits when hours come before them.
QString minutes(std::int64_t m, bool padded)
{
    return tr("%1m").arg(m, padded ? 2 : 1, 10, QLatin1Char('0'));
}

QString seconds(const QString &number)
{
    return tr("%1s").arg(number);
}

/// The number without the zeros its fraction ends in ("1.50" -> "1.5", "2.00" -> "2").
QString trimmed(QString number, const QLocale &locale)
{
    const QString point = locale.decimalPoint();
    if (!number.contains(point))
        return number;
    while (number.endsWith(QLatin1Char('0')))
        number.chop(1);
    if (number.endsWith(point))
        number.chop(point.size());
    return number;
}

/// Decimals that show every multiple of step in unit exactly (at most six).
int decimalsFor(std::int64_t step, std::int64_t unit)
{
    int decimals = 0;
    for (std::int64_t s = step; s % unit != 0 && decimals < 6; s *= 10)
        ++decimals;
    return decimals;
}

/// -ns, where -INT64_MIN (which does not exist) is the largest value: it reads the same.
std::int64_t negated(std::int64_t ns)
{
    return ns == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max() : -ns;
}

const QString &minus()
{
    static const QString sign = QStringLiteral("\u2212");
    return sign;
}

} // namespace

QString duration(std::int64_t ns)
{
    if (ns < 0)
        return minus() + duration(negated(ns));
    if (ns < kMicrosecond)
        return tr(kUnits[0].text).arg(ns);
    const QLocale loc = numberLocale();
    // Three significant digits in the largest unit that keeps the number at least 1, without the
    // zeros a fraction ends in ("1.5 s", "29 ms"). A value that rounds up to the next unit ("1000 µs",
    // "60.0 s") is written in that unit instead.
    for (std::size_t i = 1; i < std::size(kUnits); ++i) {
        const Unit &unit = kUnits[i];
        const double limit = unit.ns == kSecond ? 60 : 1000;
        const double value = static_cast<double>(ns) / static_cast<double>(unit.ns);
        if (value >= limit)
            continue;
        int decimals = value < 10 ? 2 : value < 100 ? 1 : 0;
        double rounded = std::round(value * std::pow(10, decimals)) / std::pow(10, decimals);
        if (decimals > 0 && rounded >= std::pow(10, 3 - decimals)) {
            --decimals; // 9.996 is "10.0", not "10.00"
            rounded = std::round(value * std::pow(10, decimals)) / std::pow(10, decimals);
        }
        if (rounded >= limit)
            continue;
        return tr(unit.text).arg(trimmed(loc.toString(rounded, 'f', decimals), loc));
    }
    // A minute and more reads as a clock does: whole seconds, then whole minutes.
    const std::int64_t totalSeconds = ns / kSecond + (ns % kSecond >= kSecond / 2 ? 1 : 0);
    if (totalSeconds < 3600)
        return minutes(totalSeconds / 60, false) + QLatin1Char(' ')
            + seconds(QStringLiteral("%1").arg(totalSeconds % 60, 2, 10, QLatin1Char('0')));
    return hours(totalSeconds / 3600) + QLatin1Char(' ') + minutes(totalSeconds / 60 % 60, true);
}

QString durationTick(std::int64_t ns, std::int64_t step)
{
    if (ns == 0)
        return QStringLiteral("0");
    if (ns < 0)
        return minus() + durationTick(negated(ns), step);
    const QLocale loc = numberLocale();
    step = std::max<std::int64_t>(step, 1);
    if (ns < kMinute) {
        // Each label in its own unit ("500 ms", "1.5 s"), with the decimals the step needs.
        const Unit *unit = &kUnits[0];
        for (const Unit &u : kUnits)
            if (ns >= u.ns)
                unit = &u;
        const double value = static_cast<double>(ns) / static_cast<double>(unit->ns);
        return tr(unit->text).arg(trimmed(loc.toString(value, 'f', decimalsFor(step, unit->ns)), loc));
    }
    // "2m", "2m 30s", "1h", "1h 30m", "1h 00m 30s": the parts that are not zero, spelled as in duration().
    const std::int64_t h = ns / kHour;
    const std::int64_t m = ns % kHour / kMinute;
    const std::int64_t rest = ns % kMinute;
    QStringList parts;
    if (h > 0)
        parts << hours(h);
    if (m > 0 || (h > 0 && rest > 0))
        parts << minutes(m, h > 0);
    if (rest > 0) {
        QString number
            = trimmed(loc.toString(static_cast<double>(rest) / kSecond, 'f', decimalsFor(step, kSecond)), loc);
        if (rest < 10 * kSecond)
            number.prepend(QLatin1Char('0'));
        parts << seconds(number);
    }
    return parts.join(QLatin1Char(' '));
}

std::optional<std::int64_t> parseDuration(const QString &text)
{
    // Numbers each with a unit, or one bare number (seconds). Both '.' and the locale's decimal
    // point are taken.
    const QLocale loc = numberLocale();
    QString t = text.trimmed();
    if (loc.decimalPoint() != QStringLiteral("."))
        t.replace(loc.decimalPoint(), QStringLiteral("."));
    if (t.isEmpty())
        return std::nullopt;
    static const QRegularExpression part(
        QStringLiteral("\\s*(\\d+(?:\\.\\d*)?|\\.\\d+)\\s*([a-zµ]*)\\s*"), QRegularExpression::CaseInsensitiveOption);
    static const std::pair<const char *, std::int64_t> units[] = { { "ns", 1 }, { "us", kMicrosecond },
        { "\xC2\xB5s", kMicrosecond }, { "ms", kMillisecond }, { "s", kSecond }, { "sec", kSecond }, { "m", kMinute },
        { "min", kMinute }, { "h", kHour }, { "hr", kHour }, { "d", 24 * kHour } };
    double total = 0;
    qsizetype at = 0;
    int parts = 0;
    bool bare = false;
    while (at < t.size()) {
        const auto match
            = part.match(t, at, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch() || match.capturedLength() == 0)
            return std::nullopt;
        const QString name = match.captured(2).toLower();
        std::int64_t unit = 0;
        if (name.isEmpty()) {
            unit = kSecond;
            bare = true;
        }
        for (const auto &[spelling, ns] : units)
            if (name == QString::fromUtf8(spelling))
                unit = ns;
        if (unit == 0)
            return std::nullopt;
        total += match.captured(1).toDouble() * static_cast<double>(unit);
        at = match.capturedEnd();
        ++parts;
    }
    if ((bare && parts > 1) || !(total < 0x1p63))
        return std::nullopt; // "2 30" says nothing clear; beyond an int64 nothing is meant
    return static_cast<std::int64_t>(std::llround(total));
}

QString count(std::int64_t n)
{
    return numberLocale().toString(static_cast<qlonglong>(n));
}

QString bytes(std::uint64_t n)
{
    const qint64 v = static_cast<qint64>(std::min<std::uint64_t>(n, std::numeric_limits<qint64>::max()));
    return numberLocale().formattedDataSize(v, v >= (qint64(1) << 30) ? 2 : 1, QLocale::DataSizeIecFormat);
}

QString money(double usd)
{
    // A sum that lands a rounding error below a boundary (0.0099999999 for 0.01) reads as the boundary.
    const double a = std::abs(usd) * (1 + 1e-9);
    // Two significant digits below a cent: a call of $0.0000102 must not read as $0.0000.
    const int decimals = a == 0 || a >= 1 ? 2
        : a >= 0.01                       ? 3
                                          : std::min(8, static_cast<int>(std::ceil(-std::log10(a))) + 1);
    return QLatin1Char('$') + numberLocale().toString(usd, 'f', decimals);
}

QString costNote(std::int64_t pricedSpans, std::int64_t unpricedSpans)
{
    if (unpricedSpans <= 0)
        return {};
    const int n = static_cast<int>(std::min<std::int64_t>(unpricedSpans, INT_MAX));
    // Spelt out (not through tr()) so that lupdate sees the plural.
    return pricedSpans > 0 ? QCoreApplication::translate("agentops::ui::format",
               "Not included: %Ln span(s) that used tokens of a model without a known price.", nullptr, n)
                           : QCoreApplication::translate("agentops::ui::format",
                               "No price is known for the models of the %Ln span(s) that used tokens.", nullptr, n);
}

QString cost(double usd, std::int64_t pricedSpans, std::int64_t unpricedSpans)
{
    if (pricedSpans <= 0)
        return unpricedSpans > 0 ? tr("no price") : QStringLiteral("—");
    return unpricedSpans > 0 ? money(usd) + QLatin1Char('+') : money(usd);
}

QDateTime fromNs(std::int64_t ns)
{
    return QDateTime::fromMSecsSinceEpoch(ns / 1'000'000);
}

std::int64_t toNs(const QDateTime &time)
{
    return time.toMSecsSinceEpoch() * 1'000'000;
}

QString startTime(std::int64_t ns, const QDateTime &now)
{
    const QDateTime t = fromNs(ns).toLocalTime();
    if (t.date() == now.date())
        return t.toString(QStringLiteral("HH:mm:ss"));
    if (t.date().year() == now.date().year())
        return numberLocale().toString(t, QStringLiteral("MMM d, HH:mm"));
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString timestamp(std::int64_t ns)
{
    return fromNs(ns).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

} // namespace agentops::ui::format
