// SPDX-License-Identifier: MIT
#include "common/format.h"

#include <QCoreApplication>
#include <QLocale>

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

QString cost(double usd, std::int64_t unpricedSpans, std::int64_t tokens)
{
    if (usd <= 0 && (unpricedSpans > 0 || tokens == 0))
        return QStringLiteral("—");
    const QLocale loc = numberLocale();
    const int decimals = usd < 0.01 ? 4 : usd < 1 ? 3 : 2;
    QString text = QLatin1Char('$') + loc.toString(usd, 'f', decimals);
    if (unpricedSpans > 0)
        text += QLatin1Char('+');
    return text;
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
