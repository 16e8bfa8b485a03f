// SPDX-License-Identifier: MIT
#include "pricing/priceformat.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace agentops::ui::pricing {

namespace {

class PriceFormat
{
    Q_DECLARE_TR_FUNCTIONS(PriceFormat)
};

/// Decimals needed to show v exactly (up to max), but at least min.
int decimalsFor(double v, int min, int max)
{
    int d = min;
    while (d < max) {
        const double scale = std::pow(10.0, d);
        if (std::abs(std::round(v * scale) - v * scale) < 1e-6)
            break;
        ++d;
    }
    return d;
}

} // namespace

QString perMillion(double usdPerMillion)
{
    const QLocale loc;
    return QLatin1Char('$') + loc.toString(usdPerMillion, 'f', decimalsFor(usdPerMillion, 2, 6));
}

QString usd(double amount)
{
    const QLocale loc;
    if (amount == 0)
        return QStringLiteral("$0.00");
    const int decimals = amount >= 1 ? 2 : amount >= 0.01 ? 4 : 6;
    return QLatin1Char('$') + loc.toString(amount, 'f', decimals);
}

QString tokens(std::int64_t count)
{
    return QLocale().toString(static_cast<qlonglong>(count));
}

QString threshold(std::int64_t count)
{
    if (count >= 1'000'000 && count % 1'000'000 == 0)
        return QString::number(count / 1'000'000) + QLatin1Char('M');
    if (count >= 1000 && count % 1000 == 0)
        return QString::number(count / 1000) + QLatin1Char('K');
    return tokens(count);
}

QString tiersSummary(const core::PriceRow &row)
{
    QStringList tiers;
    for (const auto &t : row.tiers) {
        QStringList parts;
        if (t.prices.input)
            parts << PriceFormat::tr("in %1").arg(perMillion(*t.prices.input));
        if (t.prices.cache_read)
            parts << PriceFormat::tr("cached %1").arg(perMillion(*t.prices.cache_read));
        if (t.prices.cache_write)
            parts << PriceFormat::tr("write %1").arg(perMillion(*t.prices.cache_write));
        if (t.prices.output)
            parts << PriceFormat::tr("out %1").arg(perMillion(*t.prices.output));
        if (t.prices.reasoning)
            parts << PriceFormat::tr("reasoning %1").arg(perMillion(*t.prices.reasoning));
        tiers
            << PriceFormat::tr("above %1: %2").arg(threshold(t.above_input_tokens), parts.join(QStringLiteral(" · ")));
    }
    return tiers.join(QStringLiteral("; "));
}

QString namesSummary(const core::PriceRow &row)
{
    QStringList names;
    for (const auto &m : row.models)
        names << QString::fromStdString(m);
    for (const auto &p : row.patterns)
        names << QString::fromStdString(p);
    return names.join(QStringLiteral(", "));
}

QString matchedBy(const core::PriceRow &row, const QString &model)
{
    // The same normalisation PriceTable::match applies before comparing.
    const std::string name = model.trimmed().toLower().toStdString();
    if (name.empty())
        return {};
    if (std::ranges::find(row.models, name) != row.models.end())
        return PriceFormat::tr("exact name “%1”").arg(QString::fromStdString(name));
    const std::string *best = nullptr;
    std::size_t bestLiteral = 0;
    for (const auto &p : row.patterns) {
        const auto literal = p.size() - static_cast<std::size_t>(std::ranges::count(p, '*'));
        if (core::globMatch(p, name) && (!best || literal > bestLiteral)) {
            best = &p;
            bestLiteral = literal;
        }
    }
    return best ? PriceFormat::tr("pattern “%1”").arg(QString::fromStdString(*best)) : QString();
}

} // namespace agentops::ui::pricing
