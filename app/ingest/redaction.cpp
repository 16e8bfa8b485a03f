// SPDX-License-Identifier: MIT
#include "ingest/redaction.h"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>

namespace agentops::ingest {

namespace {

// What may stand before a secret: the start, a character that cannot be part of it, or a JSON
// escape ("\n" before a key in a JSON string attribute, where the 'n' would otherwise glue the key
// to the word before). The escape comes first: RE2 takes the first alternative that matches.
constexpr std::string_view kBefore = R"((?:\\[nrtbf]|^|[^A-Za-z0-9_]))";

struct Builtin
{
    std::string_view name;
    std::string_view pattern; ///< after kBefore, but for the card number's
    std::vector<std::string_view> needles; ///< a text holds one of these or cannot match
    bool card = false; ///< the candidates are checked by cardNumberEnd()
};

const std::vector<Builtin> &builtins()
{
    static const std::vector<Builtin> list = {
        { "api_key",
            R"((?P<secret>sk-[A-Za-z0-9_-]{20,}|A[KS]IA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,})"
            R"(|github_pat_[A-Za-z0-9_]{22,}|xox[abposre]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}))",
            { "sk-", "AKIA", "ASIA", "gh", "xox", "AIza" } },
        { "jwt", R"((?P<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*))", { "eyJ" } },
        { "bearer", R"((?:[Bb]earer|BEARER)[ \t]+(?P<secret>[A-Za-z0-9._~+/_-]{16,}=*))", { "earer", "EARER" } },
        { "email", R"((?P<secret>[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}))", { "@" } },
        { "card", R"((?:^|[^0-9])(?P<secret>[0-9](?:[ -]?[0-9]){12,18}))", {}, true },
    };
    return list;
}

const Builtin *findBuiltin(std::string_view name)
{
    for (const Builtin &b : builtins())
        if (b.name == name)
            return &b;
    return nullptr;
}

bool validName(std::string_view name)
{
    if (name.empty() || name.size() > 64)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
            || c == '-';
    });
}

int prefix(std::string_view digits, std::size_t n)
{
    int v = 0;
    for (std::size_t i = 0; i < n && i < digits.size(); ++i)
        v = v * 10 + (digits[i] - '0');
    return v;
}

bool cardNetworkPrefix(std::string_view d)
{
    const std::size_t n = d.size();
    const int p2 = prefix(d, 2), p3 = prefix(d, 3), p4 = prefix(d, 4);
    if (d[0] == '4') // Visa
        return n == 13 || n == 16 || n == 19;
    if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) // Mastercard
        return n == 16;
    if (p2 == 34 || p2 == 37) // American Express
        return n == 15;
    if (n < 14)
        return false;
    return p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) // Discover
        || p2 == 62 // UnionPay
        || (p4 >= 3528 && p4 <= 3589) // JCB
        || p2 == 36 || p2 == 38 || p2 == 39 || (p3 >= 300 && p3 <= 305) // Diners Club
        || p2 == 50 || (p2 >= 56 && p2 <= 58) || p4 == 6304 || p4 == 6759; // Maestro
}

/// The end of the longest card number at the start of candidate (digits grouped by single spaces
/// or dashes) that is not followed by a digit; 0: none.
std::size_t cardNumberEnd(std::string_view candidate)
{
    for (std::size_t end = candidate.size(); end > 0; --end) {
        if (end < candidate.size() && candidate[end] >= '0' && candidate[end] <= '9')
            continue;
        if (candidate[end - 1] < '0' || candidate[end - 1] > '9')
            continue;
        if (looksLikeCardNumber(candidate.substr(0, end)))
            return end;
    }
    return 0;
}

bool isTextType(core::AttrValue::Type t)
{
    return t == core::AttrValue::Type::String || t == core::AttrValue::Type::Json;
}

} // namespace

bool looksLikeCardNumber(std::string_view text)
{
    std::string d;
    for (char c : text)
        if (c >= '0' && c <= '9')
            d += c;
    if (d.size() < 13 || d.size() > 19 || !cardNetworkPrefix(d))
        return false;
    int sum = 0;
    bool twice = false;
    for (auto it = d.rbegin(); it != d.rend(); ++it, twice = !twice) {
        int v = *it - '0';
        if (twice && (v *= 2) > 9)
            v -= 9;
        sum += v;
    }
    return sum % 10 == 0;
}

struct Redactor::Rule
{
    std::size_t index = 0; ///< into the counts
    std::string marker; ///< "[REDACTED:name]"
    std::unique_ptr<re2::RE2> re; ///< null: the whole value
    int secretGroup = 0; ///< the group replaced (0: the whole match)
    std::vector<std::string> keys; ///< sorted; empty: every text
    std::vector<std::string> needles;
    bool card = false;

    bool appliesTo(std::string_view key) const
    {
        if (keys.empty())
            return true;
        return !key.empty() && std::binary_search(keys.begin(), keys.end(), key, std::less<>());
    }

    bool mayMatch(const std::string &text) const
    {
        if (needles.empty())
            return true;
        return std::any_of(
            needles.begin(), needles.end(), [&](const std::string &n) { return text.find(n) != std::string::npos; });
    }

    /// Replaces every match in text; returns how many.
    std::size_t replaceAll(std::string &text) const;
};

std::size_t Redactor::Rule::replaceAll(std::string &text) const
{
    if (!mayMatch(text))
        return 0;
    const re2::StringPiece input(text);
    re2::StringPiece groups[8];
    const int n = secretGroup + 1;
    std::string out;
    std::size_t copied = 0, count = 0, pos = 0;
    while (pos <= text.size() && re->Match(input, pos, text.size(), re2::RE2::UNANCHORED, groups, n)) {
        const re2::StringPiece &secret = groups[secretGroup].data() ? groups[secretGroup] : groups[0];
        const std::size_t wholeEnd = static_cast<std::size_t>(groups[0].data() - text.data()) + groups[0].size();
        const std::size_t start = static_cast<std::size_t>(secret.data() - text.data());
        std::size_t end = start + secret.size();
        const std::size_t next = std::max(wholeEnd, pos + 1);
        if (card) {
            const std::size_t len = cardNumberEnd(std::string_view(text).substr(start, secret.size()));
            if (len == 0) {
                pos = next;
                continue;
            }
            end = start + len;
        }
        if (end > start) {
            out.append(text, copied, start - copied);
            out += marker;
            copied = end;
            ++count;
        }
        pos = std::max(end, pos + 1);
        if (!card)
            pos = next;
    }
    if (count > 0) {
        out.append(text, copied, std::string::npos);
        text = std::move(out);
    }
    return count;
}

Redactor::~Redactor() = default;

Redactor::Redactor(const RedactionConfig &config)
    : m_config(config)
{
    for (const std::string &name : config.builtins)
        if (!findBuiltin(name))
            throw std::invalid_argument(
                "unknown built-in redaction pattern '" + name + "' (known: email, api_key, bearer, jwt, card)");
    if (config.rules.size() > kMaxRedactionRules)
        throw std::invalid_argument("too many redaction rules (at most " + std::to_string(kMaxRedactionRules) + ")");
    // Whole values first: a value replaced whole needs no pattern run over it.
    for (const RedactionRule &r : config.rules)
        if (r.pattern.empty())
            addRule(r.name, r.pattern, r.keys, nullptr);
    for (const Builtin &b : builtins()) {
        const std::string name(b.name);
        if (std::find(config.builtins.begin(), config.builtins.end(), name) == config.builtins.end())
            continue;
        addRule(name, b.card ? std::string(b.pattern) : std::string(kBefore) + std::string(b.pattern), {}, &b);
        for (std::string_view needle : b.needles)
            m_rules.back()->needles.emplace_back(needle);
    }
    for (const RedactionRule &r : config.rules)
        if (!r.pattern.empty())
            addRule(r.name, r.pattern, r.keys, nullptr);
}

void Redactor::addRule(std::string name, const std::string &pattern, std::vector<std::string> keys, const void *builtin)
{
    const std::string who = "redaction rule '" + name + "'";
    if (!builtin && !validName(name))
        throw std::invalid_argument(who + ": a name is 1 to 64 letters, digits, '_', '.' or '-'");
    if (!builtin && findBuiltin(name))
        throw std::invalid_argument(who + ": the name is a built-in pattern's");
    if (std::find(m_names.begin(), m_names.end(), name) != m_names.end())
        throw std::invalid_argument(who + ": the name is used twice");
    if (pattern.empty() && keys.empty())
        throw std::invalid_argument(who + ": has neither a pattern nor keys");
    if (pattern.size() > kMaxPatternLength)
        throw std::invalid_argument(who + ": the pattern is longer than " + std::to_string(kMaxPatternLength));
    if (keys.size() > kMaxRuleKeys)
        throw std::invalid_argument(who + ": more than " + std::to_string(kMaxRuleKeys) + " keys");
    for (const std::string &k : keys)
        if (k.empty())
            throw std::invalid_argument(who + ": an empty key");
    auto rule = std::make_unique<Rule>();
    rule->index = m_names.size();
    rule->marker = "[REDACTED:" + name + "]";
    rule->card = builtin && static_cast<const Builtin *>(builtin)->card;
    std::sort(keys.begin(), keys.end());
    rule->keys = std::move(keys);
    if (!pattern.empty()) {
        re2::RE2::Options options;
        options.set_log_errors(false);
        // Bounds the compiled program and the DFA's cache: a pattern too large to run within it
        // is refused here, and matching falls back to the (still linear) NFA, never to backtracking.
        options.set_max_mem(8 << 20);
        rule->re = std::make_unique<re2::RE2>(pattern, options);
        if (!rule->re->ok())
            throw std::invalid_argument(who + ": the pattern is not one this server can run in linear time: "
                + rule->re->error() + " (RE2 syntax: no back-references or look-around)");
        if (rule->re->ProgramSize() > 20000)
            throw std::invalid_argument(who + ": the pattern is too large (" + std::to_string(rule->re->ProgramSize())
                + " instructions; at most 20000)");
        if (re2::RE2::PartialMatch("", *rule->re))
            throw std::invalid_argument(who + ": the pattern matches the empty text");
        const auto &named = rule->re->NamedCapturingGroups();
        if (const auto it = named.find("secret"); it != named.end())
            rule->secretGroup = it->second;
        if (rule->secretGroup >= 8)
            throw std::invalid_argument(who + ": the group named 'secret' must be one of the first 7 groups");
    }
    m_names.push_back(std::move(name));
    m_rules.push_back(std::move(rule));
}

std::size_t Redactor::redactText(std::string &text, std::string_view key, std::vector<std::uint64_t> &counts) const
{
    if (counts.size() < m_names.size())
        counts.resize(m_names.size());
    std::size_t total = 0;
    for (const auto &rule : m_rules) {
        if (!rule->appliesTo(key))
            continue;
        if (!rule->re) {
            text = rule->marker;
            ++counts[rule->index];
            return total + 1;
        }
        const std::size_t n = rule->replaceAll(text);
        counts[rule->index] += n;
        total += n;
    }
    return total;
}

std::size_t Redactor::redactAttributes(core::Attributes &attrs, std::vector<std::uint64_t> &counts) const
{
    std::size_t total = 0;
    for (auto &a : attrs) {
        auto &v = a.value;
        if (!isTextType(v.type)) {
            // A non-text value is replaced only by a rule that takes the whole value of its key.
            const bool whole = std::any_of(
                m_rules.begin(), m_rules.end(), [&](const auto &r) { return !r->re && r->appliesTo(a.key); });
            if (!whole)
                continue;
            v = core::AttrValue::ofString({});
        }
        const std::size_t n = redactText(v.s, a.key, counts);
        total += n;
        // JSON with a part replaced is still JSON when the part sat inside a string, which is where
        // the built-in patterns match; a pattern of one's own may have cut through its structure.
        if (n > 0 && v.type == core::AttrValue::Type::Json && !nlohmann::json::accept(v.s))
            v.type = core::AttrValue::Type::String;
    }
    return total;
}

std::size_t Redactor::redact(core::Span &span, std::vector<std::uint64_t> &counts) const
{
    if (m_rules.empty())
        return 0;
    std::size_t total = redactAttributes(span.attributes, counts) + redactAttributes(span.resource, counts);
    for (auto &e : span.events)
        total += redactAttributes(e.attributes, counts) + redactText(e.name, {}, counts);
    for (auto &l : span.links)
        total += redactAttributes(l.attributes, counts);
    for (std::string *s : { &span.input, &span.output, &span.name, &span.status_message, &span.session_id,
             &span.user_id, &span.agent_name, &span.tool_name })
        total += redactText(*s, {}, counts);
    return total;
}

RedactionConfig parseRedactionRules(std::string_view text)
{
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        throw std::invalid_argument(std::string("redaction rules are not valid JSON: ") + e.what());
    }
    if (!doc.is_object())
        throw std::invalid_argument("redaction rules: the top level must be an object {\"builtin\": [...], "
                                    "\"rules\": [...]}");
    RedactionConfig config;
    for (const auto &[k, v] : doc.items()) {
        if (k == "builtin") {
            if (!v.is_array())
                throw std::invalid_argument("redaction rules: \"builtin\" must be an array of names");
            for (const auto &name : v) {
                if (!name.is_string() || !findBuiltin(name.get<std::string>()))
                    throw std::invalid_argument("redaction rules: unknown built-in pattern " + name.dump()
                        + " (known: email, api_key, bearer, jwt, card)");
                config.builtins.push_back(name.get<std::string>());
            }
        } else if (k == "rules") {
            if (!v.is_array())
                throw std::invalid_argument("redaction rules: \"rules\" must be an array of rules");
            for (std::size_t i = 0; i < v.size(); ++i) {
                const auto &r = v[i];
                const std::string who = "redaction rule " + std::to_string(i + 1);
                if (!r.is_object() || !r.contains("name") || !r["name"].is_string())
                    throw std::invalid_argument(who + ": must be an object with a \"name\"");
                RedactionRule rule;
                rule.name = r["name"].get<std::string>();
                for (const auto &[field, value] : r.items()) {
                    if (field == "pattern" && value.is_string())
                        rule.pattern = value.get<std::string>();
                    else if (field == "keys" && value.is_array()
                        && std::all_of(value.begin(), value.end(), [](const auto &x) { return x.is_string(); }))
                        rule.keys = value.get<std::vector<std::string>>();
                    else if (field != "name")
                        // NOLINTNEXTLINE(performance-inefficient-string-concatenation): once, as the loop ends
                        throw std::invalid_argument(who + " ('" + rule.name + "'): \"" + field
                            + "\" is not a field of a rule, or not of its type (pattern: a string, keys: "
                              "an array of strings)");
                }
                config.rules.push_back(std::move(rule));
            }
        } else {
            throw std::invalid_argument("redaction rules: unknown field \"" + k + "\" (known: builtin, rules)");
        }
    }
    const Redactor check(config); // every pattern compiled and checked now, not at the first span
    return config;
}

std::string redactionRulesToJson(const RedactionConfig &config)
{
    nlohmann::json doc = nlohmann::json::object();
    doc["builtin"] = config.builtins;
    doc["rules"] = nlohmann::json::array();
    for (const RedactionRule &r : config.rules) {
        nlohmann::json rule = { { "name", r.name } };
        if (!r.pattern.empty())
            rule["pattern"] = r.pattern;
        if (!r.keys.empty())
            rule["keys"] = r.keys;
        doc["rules"].push_back(std::move(rule));
    }
    return doc.dump(2);
}

} // namespace agentops::ingest
