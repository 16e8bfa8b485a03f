// SPDX-License-Identifier: MIT
#pragma once
// Redaction at ingest: secrets and personal data replaced by a marker ("[REDACTED:email]") before a
// span is normalized, so that nothing derived from a value (input, output, session, user, the
// search index) and nothing stored ever holds the original. Every receiver (OTLP/HTTP, OTLP/gRPC,
// the native API) applies the same Redactor while decoding (DecodeResult::redactor).
//
// Patterns are RE2 (linear time in the text, bounded memory, no recursion): a careless or hostile
// pattern cannot hang ingest. Patterns RE2 cannot run in linear time (back-references,
// look-around) are refused when the rules are read (docs/architecture.md "Redaction").

#include "core/span.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace agentops::ingest {

/// The built-in patterns, by the name rules files, options and counters use.
/// email: e-mail addresses; api_key: OpenAI/Anthropic (sk-..., sk-ant-...), AWS access key ids
/// (AKIA..., ASIA...), GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Slack (xox...), Google
/// (AIza...); bearer: the token after "Bearer "; jwt: JSON Web Tokens; card: payment card numbers
/// (13-19 digits, optionally grouped by spaces or dashes, a card network's prefix, Luhn-checked).
inline constexpr std::string_view kBuiltinPatterns[] = { "email", "api_key", "bearer", "jwt", "card" };

/// One configured rule.
/// - pattern set, keys empty: every match of the pattern in every text value is replaced;
/// - pattern set, keys set: only in the values of the attributes with these keys;
/// - pattern empty, keys set: the whole value of the attributes with these keys is replaced.
/// A pattern with a group named "secret" ((?P<secret>...)) replaces only that group.
struct RedactionRule
{
    std::string name; ///< [A-Za-z0-9_.-], 1-64 characters; the marker says it: [REDACTED:name]
    std::string pattern; ///< RE2 syntax
    std::vector<std::string> keys; ///< attribute keys, exact
    bool operator==(const RedactionRule &other) const = default;
};

/// What to redact: built-in patterns by name, and rules of one's own.
struct RedactionConfig
{
    std::vector<std::string> builtins;
    std::vector<RedactionRule> rules;
    bool empty() const { return builtins.empty() && rules.empty(); }
    bool operator==(const RedactionConfig &other) const = default;
};

/// The most custom rules, the longest pattern, the most keys of a rule: a rules file is small.
inline constexpr std::size_t kMaxRedactionRules = 256;
inline constexpr std::size_t kMaxPatternLength = 4096;
inline constexpr std::size_t kMaxRuleKeys = 256;

/// Reads the rules file format (docs/deployment.md "Redaction"):
///   {"builtin": ["email", "card"], "rules": [{"name": "...", "pattern": "...", "keys": ["..."]}]}
/// Throws std::invalid_argument with a message that names the rule and what is wrong with it;
/// patterns are checked as Redactor checks them.
RedactionConfig parseRedactionRules(std::string_view json);
/// The same format back (the desktop app keeps its rules in it).
std::string redactionRulesToJson(const RedactionConfig &config);

/// Applies a RedactionConfig to spans. Built once (compiling and checking every pattern), then used
/// from any number of threads at once.
class Redactor
{
public:
    /// Throws std::invalid_argument naming the rule: an unknown built-in, a bad or duplicate name, a
    /// pattern RE2 refuses (back-references, look-around, syntax) or that is too large, a pattern
    /// that matches the empty text, a rule with neither pattern nor keys.
    explicit Redactor(const RedactionConfig &config);
    ~Redactor();
    Redactor(const Redactor &) = delete;
    Redactor &operator=(const Redactor &) = delete;

    /// Rule names in the order they apply, which is also the order of the counts: rules that
    /// replace whole values, the built-ins switched on, then the other rules.
    const std::vector<std::string> &ruleNames() const { return m_names; }
    const RedactionConfig &config() const { return m_config; }

    /// Redacts every text of the span: attribute values (the span's, its resource's, its events'
    /// and links'), input, output, name, status message, event names, session and user ids.
    /// counts[i] (resized to ruleNames().size() if shorter) grows by rule i's replacements.
    /// Returns the replacements made.
    std::size_t redact(core::Span &span, std::vector<std::uint64_t> &counts) const;

    /// One text as an attribute with this key would be redacted (key empty: a text that is no
    /// attribute's). Returns the replacements made.
    std::size_t redactText(std::string &text, std::string_view key, std::vector<std::uint64_t> &counts) const;

private:
    struct Rule;
    std::size_t redactAttributes(core::Attributes &attrs, std::vector<std::uint64_t> &counts) const;
    /// builtin: the built-in pattern the rule is (its Builtin), or null for a rule of one's own.
    void addRule(std::string name, const std::string &pattern, std::vector<std::string> keys, const void *builtin);

    RedactionConfig m_config;
    std::vector<std::string> m_names;
    std::vector<std::unique_ptr<Rule>> m_rules;
};

/// The digits of text (spaces and dashes left out) are 13 to 19, start with a card network's prefix
/// at a length it issues, and pass the Luhn check.
bool looksLikeCardNumber(std::string_view digits);

} // namespace agentops::ingest
