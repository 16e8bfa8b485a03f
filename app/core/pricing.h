// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::core {

/// Token prices in USD per million tokens. input and output are always set on a loaded row; the others
/// fall back when absent: cache_read and cache_write to input (the provider does not discount or
/// surcharge them), reasoning to output (every provider bills thinking as output today).
struct TokenPrices
{
    std::optional<double> input;
    std::optional<double> output;
    std::optional<double> cache_read;
    std::optional<double> cache_write;
    std::optional<double> reasoning;
    bool operator==(const TokenPrices &other) const = default;
};

/// Prices that replace the row's base prices when a call's input tokens (cache reads and writes
/// included) are strictly above a threshold, as Gemini 2.5 Pro and Claude Sonnet 4/4.5 charge for long
/// context. Fields left out keep the base price.
struct PriceTier
{
    std::int64_t above_input_tokens = 0;
    TokenPrices prices;
    bool operator==(const PriceTier &other) const = default;
};

/// One row of the price table: the prices of one model (or of a set of names for the same model).
struct PriceRow
{
    enum class Source : std::uint8_t { Shipped, Override };

    std::string id; ///< unique; an override row with the same id replaces the shipped one
    std::string provider;
    std::vector<std::string> models; ///< exact names, lower case
    std::vector<std::string> patterns; ///< globs ('*' = any run of characters), lower case
    TokenPrices prices;
    std::vector<PriceTier> tiers; ///< ascending thresholds
    std::string as_of; ///< YYYY-MM-DD: when these prices were last checked against the provider's list
    std::string url; ///< where the provider publishes them (optional)
    std::string note; ///< optional
    Source source = Source::Shipped;

    /// "id@as_of": what a priced span records, so a cost can always be traced to the prices behind it.
    std::string ref() const { return id + '@' + as_of; }
    /// The prices for a call with this many input tokens: the base, or the highest tier exceeded.
    TokenPrices pricesFor(std::int64_t inputTokens) const;
    bool operator==(const PriceRow &other) const = default;
};

/// What one span cost, by token type. Every token is priced exactly once: cached input at its cache
/// rate and not again as input, reasoning at the reasoning rate and not again as output.
struct CostBreakdown
{
    std::int64_t uncached_input_tokens = 0;
    std::int64_t cache_read_tokens = 0;
    std::int64_t cache_write_tokens = 0;
    std::int64_t output_tokens = 0; ///< output without reasoning
    std::int64_t reasoning_tokens = 0;

    double uncached_input_usd = 0;
    double cache_read_usd = 0;
    double cache_write_usd = 0;
    double output_usd = 0;
    double reasoning_usd = 0;
    double total_usd = 0;

    std::string price_ref; ///< "id@as_of" of the row used
    std::int64_t tier_above_input_tokens = 0; ///< 0: base prices; else the threshold of the tier used
};

/// The model price table: rows loaded from JSON (docs/pricing.md), looked up by model name.
///
/// Matching is exact first (case-insensitive), then by the most specific explicit pattern (the one
/// with the most literal characters). Nothing else: a name no row lists or matches has no price, so a
/// new model never inherits the price of an older one that shares its prefix ("gpt-4o-mini" is not
/// "gpt-4o", "o3-mini" is not "o3").
class PriceTable
{
public:
    PriceTable() = default;

    /// Parses and validates a price table document. On failure returns false and names the row and
    /// field in error ("rows[3] (id \"gpt-4o\"): prices.cache_read: must be a number >= 0"); the table
    /// is left unchanged. Rows are tagged with the given source.
    bool load(std::string_view json, std::string &error, PriceRow::Source source = PriceRow::Source::Shipped);
    static std::optional<PriceTable> fromJson(
        std::string_view json, std::string &error, PriceRow::Source source = PriceRow::Source::Shipped);

    /// Lays overrides on top: a row whose id is already in the table replaces it in place, other rows
    /// are added. Where an added row lists a name or pattern that another row also lists, the override
    /// wins the lookup.
    void merge(const PriceTable &overrides);

    /// The row that prices this model name, or nullptr (no price).
    const PriceRow *match(std::string_view model) const;

    /// The cost of a span's tokens at its model's price; nullopt when the model has no row, the span
    /// reports no input/output/cache/reasoning tokens, or its kind is one that carries the sum of its
    /// children's model calls (agent, chain) rather than a call of its own.
    std::optional<CostBreakdown> price(const Span &span) const;

    const std::vector<PriceRow> &rows() const { return m_rows; }
    bool empty() const { return m_rows.empty(); }

    /// The effective table as the query API returns it (GET /api/v1/models/prices).
    std::string toApiJson() const;

private:
    struct Pattern
    {
        std::string glob;
        std::string prefix; ///< literal text before the first '*'
        std::string suffix; ///< literal text after the last '*'
        std::size_t literal = 0; ///< number of non-'*' characters: the specificity
        std::size_t row = 0;
    };

    void rebuildIndex();

    std::vector<PriceRow> m_rows;
    std::vector<std::pair<std::string, std::size_t>> m_exact; ///< sorted by name
    std::vector<Pattern> m_patterns; ///< most specific first
};

/// Matches text against a glob where '*' stands for any run of characters (also none). Both are
/// compared as they are (callers lower-case).
bool globMatch(std::string_view glob, std::string_view text);

/// Prices a span in place: sets cost_usd and price_ref, or clears both when there is no price ("no
/// price" is never $0).
void applyPrice(Span &span, const PriceTable &table);
/// Prices spans as ingest does: applyPrice on each, but a span that arrived with a cost of its own
/// (the native API may send one) keeps it.
void priceAtIngest(std::span<Span> spans, const PriceTable &table);

/// Prices a stored span again (re-pricing after a price change). A cost the producer reported itself
/// (no price row behind it) is kept, as ingest keeps it. True when the cost or its row changed.
bool repriceSpan(Span &span, const PriceTable &table);

/// The price table shipped with the product (resources/prices.json, embedded at build time).
const PriceTable &shippedPriceTable();
/// Its JSON text.
std::string_view shippedPriceTableJson();

} // namespace agentops::core
