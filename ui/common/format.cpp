// SPDX-License-Identifier: MIT
#include "common/format.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <climits>
#include <cmath>

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
QString tr(const char *text)
{
    return QCoreApplication::translate("agentops::ui::format", text);
}
} // namespace

QString duration(std::int64_t ns)
{
    const QLocale loc = numberLocale();
    if (ns < 1'000'000)
        return tr("%1 µs").arg(loc.toString(static_cast<double>(ns) / 1e3, 'f', 0));
    if (ns < 1'000'000'000) {
        const double ms = static_cast<double>(ns) / 1e6;
        return tr("%1 ms").arg(loc.toString(ms, 'f', ms < 10 ? 1 : 0));
    }
    const double s = static_cast<double>(ns) / 1e9;
    if (s < 60)
        return tr("%1 s").arg(loc.toString(s, 'f', s < 10 ? 2 : 1));
    const auto totalSeconds = static_cast<std::int64_t>(std::llround(s));
    if (totalSeconds < 3600)
        return tr("%1m %2s").arg(totalSeconds / 60).arg(totalSeconds % 60, 2, 10, QLatin1Char('0'));
    return tr("%1h %2m").arg(totalSeconds / 3600).arg((totalSeconds / 60) % 60, 2, 10, QLatin1Char('0'));
}

QString count(std::int64_t n)
{
    return numberLocale().toString(static_cast<qlonglong>(n));
}

QString money(double usd)
{
    // A sum that lands a rounding error below a boundary (0.0099999999 for 0.01) reads as the boundary.
    const double a = std::abs(usd) * (1 + 1e-9);
    // Two significant digits below a cent: a call of $0.0000102 must not read as $0.0000.
    const int decimals = a == 0 || a >= 1 ? 2 : a >= 0.01 ? 3 : std::min(8, static_cast<int>(std::ceil(-std::log10(a))) + 1);
    return QLatin1Char('$') + numberLocale().toString(usd, 'f', decimals);
}

QString costNote(std::int64_t pricedSpans, std::int64_t unpricedSpans)
{
    if (unpricedSpans <= 0)
        return {};
    const int n = static_cast<int>(std::min<std::int64_t>(unpricedSpans, INT_MAX));
    // Spelt out (not through tr()) so that lupdate sees the plural.
    return pricedSpans > 0
        ? QCoreApplication::translate("agentops::ui::format",
              "Not included: %Ln span(s) that used tokens of a model without a known price.", nullptr, n)
        : QCoreApplication::translate(
              "agentops::ui::format", "No price is known for the models of the %Ln span(s) that used tokens.", nullptr, n);
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
