// SPDX-License-Identifier: MIT
#include "core/pricing.h"
#include "core/usage.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace agentops::core {

extern const char *const kShippedPricesJson; // generated from resources/prices.json

namespace {

using nlohmann::json;

using core::asciiLower;

/// A validation failure; what() is the path and the message.
struct Invalid
{
    std::string path;
    std::string message;
};

void checkKeys(const json &obj, const std::string &path, std::initializer_list<std::string_view> allowed)
{
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
            std::string list;
            for (auto a : allowed)
                list += (list.empty() ? "" : ", ") + std::string(a);
            // A misspelt price field ("cached_input") silently ignored would misprice every call.
            throw Invalid { path.empty() ? it.key() : path + '.' + it.key(),
                "unknown field (expected one of: " + list + ")" };
        }
    }
}

std::optional<double> readPrice(const json &obj, const char *key, const std::string &path)
{
    auto it = obj.find(key);
    if (it == obj.end())
        return std::nullopt;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
        throw Invalid { path + '.' + key, "must be a number >= 0 (USD per million tokens), got " + it->dump() };
    return it->get<double>();
}

TokenPrices readPrices(const json &v, const std::string &path, bool requireBase)
{
    if (!v.is_object())
        throw Invalid { path, "must be an object" };
    checkKeys(v, path, { "input", "output", "cache_read", "cache_write", "reasoning" });
    TokenPrices p;
    p.input = readPrice(v, "input", path);
    p.output = readPrice(v, "output", path);
    p.cache_read = readPrice(v, "cache_read", path);
    p.cache_write = readPrice(v, "cache_write", path);
    p.reasoning = readPrice(v, "reasoning", path);
    if (requireBase && !p.input)
        throw Invalid { path + ".input", "is required" };
    if (requireBase && !p.output)
        throw Invalid { path + ".output", "is required" };
    if (!requireBase && p == TokenPrices {})
        throw Invalid { path, "must set at least one price" };
    return p;
}

std::string readString(const json &obj, const char *key, const std::string &path, bool required)
{
    auto it = obj.find(key);
    if (it == obj.end()) {
        if (required)
            throw Invalid { path + key, "is required" };
        return {};
    }
    if (!it->is_string() || (required && trimBlanks(it->get_ref<const std::string &>()).empty()))
        throw Invalid { path + key, "must be a non-empty string" };
    return it->get<std::string>();
}

bool isDate(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (std::size_t i : { 0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u })
        if (s[i] < '0' || s[i] > '9')
            return false;
    auto num = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i)
            v = v * 10 + (s[i] - '0');
        return v;
    };
    const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
    static constexpr int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

std::vector<std::string> readNames(const json &row, const char *key, const std::string &path, bool patterns)
{
    std::vector<std::string> out;
    auto it = row.find(key);
    if (it == row.end())
        return out;
    if (!it->is_array())
        throw Invalid { path + key, "must be an array of strings" };
    for (std::size_t i = 0; i < it->size(); ++i) {
        const auto &v = (*it)[i];
        const std::string at = path + key + '[' + std::to_string(i) + ']';
        if (!v.is_string() || trimBlanks(v.get_ref<const std::string &>()).empty())
            throw Invalid { at, "must be a non-empty string" };
        std::string name = asciiLower(trimBlanks(v.get_ref<const std::string &>()));
        if (patterns) {
            const auto stars = static_cast<std::size_t>(std::count(name.begin(), name.end(), '*'));
            if (stars == 0)
                throw Invalid { at, "\"" + name + "\" has no '*'; list exact names under models" };
            // A pattern of (almost) only wildcards would price every model alike: the guessing the
            // table exists to prevent.
            if (name.size() - stars < 3)
                throw Invalid { at, "\"" + name + "\" must contain at least 3 characters besides '*'" };
        } else if (name.find('*') != std::string::npos) {
            throw Invalid { at, "\"" + name + "\" contains '*'; list globs under patterns" };
        }
        out.push_back(std::move(name));
    }
    return out;
}

/// A row's id names a model too ("claude-sonnet-4" is priced by the row of that id): the name, when
/// the row does not list it among its models already. A name another row lists goes to that row.
std::string ownName(const PriceRow &row)
{
    std::string id = asciiLower(row.id);
    return std::ranges::find(row.models, id) == row.models.end() ? id : std::string();
}

PriceRow parseRow(const json &v, std::size_t index, PriceRow::Source source)
{
    const std::string base = "rows[" + std::to_string(index) + "]";
    if (!v.is_object())
        throw Invalid { base, "must be an object" };
    PriceRow row;
    row.source = source;
    {
        auto it = v.find("id");
        if (it == v.end())
            throw Invalid { base + ": id", "is required" };
        if (!it->is_string() || trimBlanks(it->get_ref<const std::string &>()).empty())
            throw Invalid { base + ": id", "must be a non-empty string" };
        row.id = std::string(trimBlanks(it->get_ref<const std::string &>()));
    }
    // Later messages name the row by index and id: "rows[3] (id \"gpt-4o\"): prices.input: ...".
    const std::string path = base + " (id \"" + row.id + "\"): ";
    for (auto it = v.begin(); it != v.end(); ++it) {
        static constexpr std::string_view allowed[]
            = { "id", "provider", "models", "patterns", "prices", "tiers", "as_of", "url", "note" };
        if (std::find(std::begin(allowed), std::end(allowed), it.key()) == std::end(allowed))
            throw Invalid { path + it.key(),
                "unknown field (expected id, provider, models, patterns, prices, tiers, as_of, url, note)" };
    }
    row.provider = readString(v, "provider", path, true);
    row.models = readNames(v, "models", path, false);
    row.patterns = readNames(v, "patterns", path, true);
    if (row.models.empty() && row.patterns.empty())
        throw Invalid { path + "models", "a row needs at least one model name or pattern" };
    auto prices = v.find("prices");
    if (prices == v.end())
        throw Invalid { path + "prices", "is required" };
    try {
        row.prices = readPrices(*prices, "prices", true);
    } catch (Invalid &e) {
        e.path = path + e.path;
        throw;
    }
    if (auto tiers = v.find("tiers"); tiers != v.end()) {
        if (!tiers->is_array())
            throw Invalid { path + "tiers", "must be an array" };
        for (std::size_t i = 0; i < tiers->size(); ++i) {
            const auto &t = (*tiers)[i];
            const std::string tp = "tiers[" + std::to_string(i) + "]";
            if (!t.is_object())
                throw Invalid { path + tp, "must be an object" };
            try {
                checkKeys(t, tp, { "above_input_tokens", "prices" });
            } catch (Invalid &e) {
                e.path = path + e.path;
                throw;
            }
            PriceTier tier;
            auto above = t.find("above_input_tokens");
            if (above == t.end())
                throw Invalid { path + tp + ".above_input_tokens", "is required" };
            if (!above->is_number_integer() || above->get<std::int64_t>() <= 0)
                throw Invalid { path + tp + ".above_input_tokens", "must be a whole number > 0, got " + above->dump() };
            tier.above_input_tokens = above->get<std::int64_t>();
            if (!row.tiers.empty() && tier.above_input_tokens <= row.tiers.back().above_input_tokens)
                throw Invalid { path + tp + ".above_input_tokens", "must be larger than the previous tier's" };
            auto tprices = t.find("prices");
            if (tprices == t.end())
                throw Invalid { path + tp + ".prices", "is required" };
            try {
                tier.prices = readPrices(*tprices, tp + ".prices", false);
            } catch (Invalid &e) {
                e.path = path + e.path;
                throw;
            }
            row.tiers.push_back(tier);
        }
    }
    row.as_of = readString(v, "as_of", path, true);
    if (!isDate(row.as_of))
        throw Invalid { path + "as_of", "must be a date YYYY-MM-DD, got \"" + row.as_of + "\"" };
    row.url = readString(v, "url", path, false);
    row.note = readString(v, "note", path, false);
    return row;
}

double usd(std::int64_t tokens, double perMillion)
{
    return static_cast<double>(tokens) * perMillion / 1e6;
}

void appendPricesJson(json &out, const TokenPrices &p)
{
    out = json::object();
    if (p.input)
        out["input"] = *p.input;
    if (p.output)
        out["output"] = *p.output;
    if (p.cache_read)
        out["cache_read"] = *p.cache_read;
    if (p.cache_write)
        out["cache_write"] = *p.cache_write;
    if (p.reasoning)
        out["reasoning"] = *p.reasoning;
}

} // namespace

TokenPrices PriceRow::pricesFor(std::int64_t inputTokens) const
{
    TokenPrices p = prices;
    for (const auto &tier : tiers) {
        if (inputTokens <= tier.above_input_tokens)
            break;
        p = prices;
        const auto &t = tier.prices;
        if (t.input)
            p.input = t.input;
        if (t.output)
            p.output = t.output;
        if (t.cache_read)
            p.cache_read = t.cache_read;
        if (t.cache_write)
            p.cache_write = t.cache_write;
        if (t.reasoning)
            p.reasoning = t.reasoning;
    }
    return p;
}

bool globMatch(std::string_view glob, std::string_view text)
{
    std::size_t g = 0, t = 0;
    std::size_t star = std::string_view::npos, resume = 0;
    while (t < text.size()) {
        if (g < glob.size() && glob[g] == '*') {
            star = g++;
            resume = t;
        } else if (g < glob.size() && glob[g] == text[t]) {
            ++g;
            ++t;
        } else if (star != std::string_view::npos) {
            g = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*')
        ++g;
    return g == glob.size();
}

bool PriceTable::load(std::string_view text, std::string &error, PriceRow::Source source)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error &e) {
        error = std::string("not valid JSON: ") + e.what();
        return false;
    }
    std::vector<PriceRow> rows;
    try {
        if (!doc.is_object())
            throw Invalid { "", "the price table must be a JSON object with a \"rows\" array" };
        checkKeys(doc, "", { "format", "currency", "unit", "note", "rows" });
        if (auto it = doc.find("format"); it != doc.end() && *it != 1)
            throw Invalid { "format", "must be 1, got " + it->dump() };
        if (auto it = doc.find("currency"); it != doc.end() && *it != "USD")
            throw Invalid { "currency", "must be \"USD\", got " + it->dump() };
        if (auto it = doc.find("unit"); it != doc.end() && *it != "per_million_tokens")
            throw Invalid { "unit", "must be \"per_million_tokens\", got " + it->dump() };
        auto it = doc.find("rows");
        if (it == doc.end() || !it->is_array())
            throw Invalid { "rows", "must be an array of price rows" };
        rows.reserve(it->size());
        for (std::size_t i = 0; i < it->size(); ++i)
            rows.push_back(parseRow((*it)[i], i, source));

        // Within one document a name claimed twice would make the price depend on row order.
        struct Claim
        {
            std::string_view name;
            std::size_t row;
            bool pattern;
        };
        std::vector<Claim> claims;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            for (std::size_t j = 0; j < i; ++j)
                if (rows[j].id == rows[i].id)
                    throw Invalid { "rows[" + std::to_string(i) + "].id",
                        "\"" + rows[i].id + "\" is also the id of rows[" + std::to_string(j) + "]" };
            for (const auto &m : rows[i].models)
                claims.push_back({ m, i, false });
            for (const auto &p : rows[i].patterns)
                claims.push_back({ p, i, true });
        }
        std::ranges::stable_sort(claims,
            [](const Claim &a, const Claim &b) { return std::tie(a.pattern, a.name) < std::tie(b.pattern, b.name); });
        for (std::size_t k = 1; k < claims.size(); ++k) {
            const auto &a = claims[k - 1];
            const auto &b = claims[k];
            if (a.pattern == b.pattern && a.name == b.name) {
                const auto &row = rows[std::max(a.row, b.row)];
                throw Invalid { "rows[" + std::to_string(std::max(a.row, b.row)) + "] (id \"" + row.id
                        + "\"): " + (a.pattern ? "patterns" : "models"),
                    "\"" + std::string(a.name) + "\" is also listed by rows[" + std::to_string(std::min(a.row, b.row))
                        + "] (id \"" + rows[std::min(a.row, b.row)].id + "\")" };
            }
        }
    } catch (const Invalid &e) {
        error = e.path.empty() ? e.message : e.path + ": " + e.message;
        return false;
    }
    m_rows = std::move(rows);
    rebuildIndex();
    return true;
}

std::optional<PriceTable> PriceTable::fromJson(std::string_view json, std::string &error, PriceRow::Source source)
{
    PriceTable table;
    if (!table.load(json, error, source))
        return std::nullopt;
    return table;
}

void PriceTable::merge(const PriceTable &overrides)
{
    for (const auto &row : overrides.m_rows) {
        auto it = std::ranges::find(m_rows, row.id, &PriceRow::id);
        if (it != m_rows.end())
            *it = row;
        else
            m_rows.push_back(row);
    }
    rebuildIndex();
}

void PriceTable::rebuildIndex()
{
    m_exact.clear();
    m_patterns.clear();
    // Overrides are indexed first so that, for a name both an override and a shipped row list, the
    // override is the one found.
    for (auto source : { PriceRow::Source::Override, PriceRow::Source::Shipped }) {
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            const auto &row = m_rows[i];
            if (row.source != source)
                continue;
            for (const auto &m : row.models)
                m_exact.emplace_back(m, i);
            for (const auto &p : row.patterns) {
                Pattern pat;
                pat.glob = p;
                pat.prefix = p.substr(0, p.find('*'));
                pat.suffix = p.substr(p.rfind('*') + 1);
                pat.literal = p.size() - static_cast<std::size_t>(std::count(p.begin(), p.end(), '*'));
                pat.row = i;
                m_patterns.push_back(std::move(pat));
            }
        }
    }
    // Stable: among equal names the first indexed (an override) stays first.
    std::ranges::stable_sort(m_exact, {}, &std::pair<std::string, std::size_t>::first);
    // A row's id names a model too, unless some row lists that name: a listed name wins.
    std::vector<std::pair<std::string, std::size_t>> ids;
    for (auto source : { PriceRow::Source::Override, PriceRow::Source::Shipped })
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            if (m_rows[i].source == source)
                if (std::string id = ownName(m_rows[i]); !id.empty()
                    && !std::ranges::binary_search(m_exact, id, {}, &std::pair<std::string, std::size_t>::first))
                    ids.emplace_back(std::move(id), i);
    m_exact.insert(m_exact.end(), ids.begin(), ids.end());
    std::ranges::stable_sort(m_exact, {}, &std::pair<std::string, std::size_t>::first);
    std::ranges::stable_sort(m_patterns, std::greater<> {}, &Pattern::literal);
}

const PriceRow *PriceTable::match(std::string_view model) const
{
    const std::string name = asciiLower(trimBlanks(model));
    if (name.empty())
        return nullptr;
    auto it = std::ranges::lower_bound(m_exact, name, {}, &std::pair<std::string, std::size_t>::first);
    if (it != m_exact.end() && it->first == name)
        return &m_rows[it->second];
    for (const auto &p : m_patterns) {
        // Most names fail on the literal ends already; the full match only runs on the few that pass.
        if (name.size() < p.literal || !name.starts_with(p.prefix) || !name.ends_with(p.suffix))
            continue;
        if (globMatch(p.glob, name))
            return &m_rows[p.row];
    }
    return nullptr;
}

std::optional<CostBreakdown> PriceTable::price(const Span &span) const
{
    // Agent and chain spans (the AI SDK's ai.generateText, for one) report the sum of the model calls
    // below them, which are spans of their own: pricing both would count every call twice.
    if (!countsUsage(span.kind))
        return std::nullopt;
    const auto &t = span.tokens;
    if (!t.input && !t.output && !t.cache_read && !t.cache_write && !t.reasoning)
        return std::nullopt;
    // The model that answered is the precise one; when it has no row, the one asked for still names
    // the same call (Azure answers with a dated snapshot of a deployment's model).
    const PriceRow *row = span.response_model.empty() ? nullptr : match(span.response_model);
    if (!row && !span.request_model.empty())
        row = match(span.request_model);
    if (!row)
        return std::nullopt;

    auto nonNegative = [](const std::optional<std::int64_t> &v) { return std::max<std::int64_t>(0, v.value_or(0)); };
    CostBreakdown c;
    const std::int64_t input = nonNegative(t.input);
    const std::int64_t output = nonNegative(t.output);
    c.cache_read_tokens = nonNegative(t.cache_read);
    c.cache_write_tokens = nonNegative(t.cache_write);
    c.reasoning_tokens = nonNegative(t.reasoning);
    // Canonical input includes the cached parts and output includes reasoning (TokenUsage): each
    // part is taken out of its whole, so no token is priced twice.
    c.uncached_input_tokens = std::max<std::int64_t>(0, input - c.cache_read_tokens - c.cache_write_tokens);
    c.output_tokens = std::max<std::int64_t>(0, output - c.reasoning_tokens);

    // Long-context tiers count the whole prompt, cached parts included.
    const std::int64_t promptTokens = std::max(input, c.cache_read_tokens + c.cache_write_tokens);
    const TokenPrices p = row->pricesFor(promptTokens);
    for (const auto &tier : row->tiers)
        if (promptTokens > tier.above_input_tokens)
            c.tier_above_input_tokens = tier.above_input_tokens;

    const double in = p.input.value_or(0);
    const double out = p.output.value_or(0);
    c.uncached_input_usd = usd(c.uncached_input_tokens, in);
    c.cache_read_usd = usd(c.cache_read_tokens, p.cache_read.value_or(in));
    c.cache_write_usd = usd(c.cache_write_tokens, p.cache_write.value_or(in));
    c.output_usd = usd(c.output_tokens, out);
    c.reasoning_usd = usd(c.reasoning_tokens, p.reasoning.value_or(out));
    c.total_usd = c.uncached_input_usd + c.cache_read_usd + c.cache_write_usd + c.output_usd + c.reasoning_usd;
    c.price_ref = row->ref();
    return c;
}

std::string PriceTable::toApiJson() const
{
    json rows = json::array();
    for (const auto &r : m_rows) {
        json row;
        row["id"] = r.id;
        row["provider"] = r.provider;
        row["models"] = r.models;
        row["patterns"] = r.patterns;
        appendPricesJson(row["prices"], r.prices);
        row["tiers"] = json::array();
        for (const auto &t : r.tiers) {
            json tier;
            tier["above_input_tokens"] = t.above_input_tokens;
            appendPricesJson(tier["prices"], t.prices);
            row["tiers"].push_back(std::move(tier));
        }
        row["as_of"] = r.as_of;
        row["ref"] = r.ref();
        row["source"] = r.source == PriceRow::Source::Override ? "override" : "shipped";
        if (!r.url.empty())
            row["url"] = r.url;
        if (!r.note.empty())
            row["note"] = r.note;
        rows.push_back(std::move(row));
    }
    json doc;
    doc["currency"] = "USD";
    doc["unit"] = "per_million_tokens";
    doc["rows"] = std::move(rows);
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

void applyPrice(Span &span, const PriceTable &table)
{
    if (auto cost = table.price(span)) {
        span.cost_usd = cost->total_usd;
        span.price_ref = std::move(cost->price_ref);
    } else {
        span.cost_usd.reset();
        span.price_ref.clear();
    }
}

void priceAtIngest(std::span<Span> spans, const PriceTable &table)
{
    for (auto &span : spans)
        if (!span.cost_usd)
            applyPrice(span, table);
}

std::string_view shippedPriceTableJson()
{
    return kShippedPricesJson;
}

const PriceTable &shippedPriceTable()
{
    static const PriceTable table = [] {
        std::string error;
        auto t = PriceTable::fromJson(kShippedPricesJson, error);
        // The shipped table is tested at build time; failing here means the binary was built from a
        // broken resources/prices.json.
        if (!t)
            throw std::logic_error("resources/prices.json: " + error);
        return std::move(*t);
    }();
    return table;
}

bool repriceSpan(Span &span, const PriceTable &table)
{
    if (span.cost_usd && span.price_ref.empty())
        return false;
    const auto cost = span.cost_usd;
    const auto ref = span.price_ref;
    applyPrice(span, table);
    return span.cost_usd != cost || span.price_ref != ref;
}

} // namespace agentops::core
