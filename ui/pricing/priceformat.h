// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

/// Text for prices and costs as the price editor shows them.
namespace agentops::ui::pricing {

/// A price in USD per million tokens: "$2.50", "$0.075", "$0.0375" (at least two decimals, more only
/// where the price has them, so 0.075 is never rounded to 0.08).
QString perMillion(double usdPerMillion);
/// A cost: "$0.0200", "$1.25"; sub-cent costs keep enough decimals to be told apart.
QString usd(double amount);
/// A token count with group separators, "12,000".
QString tokens(std::int64_t count);
/// A threshold in a compact form: "200K", "1M", "128,500".
QString threshold(std::int64_t tokens);

/// "above 200K: in $6.00 · out $22.50 · cached $0.60" per tier, "; " between tiers; empty without tiers.
QString tiersSummary(const core::PriceRow &row);
/// Models then patterns, comma-separated.
QString namesSummary(const core::PriceRow &row);

/// Which of a row's names selects this model: the exact name, or the most specific matching pattern
/// (the one PriceTable::match chose); empty when the row does not match.
QString matchedBy(const core::PriceRow &row, const QString &model);

} // namespace agentops::ui::pricing
