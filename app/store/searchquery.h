// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::store {

/// A trace list's content search (`q`), parsed. The language:
///
///     weather                 spans whose text contains "weather" (any case, any part of a word)
///     "tool result"           the phrase, as it is written
///     tool:get_weather        a field: tool, model, name, kind (llm, tool, agent ...), status (error,
///                             ok, unset), session (the trace's session id, exactly)
///     a b / a AND b           both, in the same span; a OR b; NOT b or -b; parentheses group
///
/// Every condition but session applies to one span: `tool:get_weather status:error` finds traces with
/// a failed get_weather call. Text is matched by trigrams, so terms need at least three characters
/// (CJK too: 東京の, not 東京). Throws QueryError naming what is wrong.
/// One node of a parsed span condition. A term holds a field (empty for any text; "status" with
/// error, ok or unset; "kind" with a span kind, both lower-case) and the text to find, as a
/// substring in any case; And and Or hold two or more kids, Not one (only ever a kid of an And that
/// has a term to search for besides).
struct SearchNode
{
    enum class Type { Term, And, Or, Not };
    Type type = Type::Term;
    std::string field;
    std::string text;
    std::vector<SearchNode> kids;
};

struct SearchQuery
{
    /// The span condition as an SQLite FTS5 MATCH expression over the columns of the search index
    /// (name, tool, model, status, kind, body); empty when the query names only a session.
    std::string match;
    /// The trace's session id, exactly; empty for any.
    std::string session;
    /// The query is one short word or phrase (under three characters), which the index cannot
    /// answer: it is matched against trace names only, as a substring.
    std::string nameOnly;
    /// The query when it is plain words (no fields, phrases, operators or groups): where a store
    /// cannot search content, it matches trace names with it.
    std::string plain;
    /// The span condition of `match` as a tree, for stores that translate it themselves; null
    /// exactly when match is empty.
    std::shared_ptr<const SearchNode> condition;

    static SearchQuery parse(std::string_view q);
    bool empty() const { return match.empty() && session.empty() && nameOnly.empty(); }
};

/// The values the status and kind columns hold, so that `status:ok` (two letters) still has a trigram.
std::string searchStatusToken(int status);
std::string searchKindToken(std::string_view kind);

/// Longest `q` accepted, and the deepest nesting of parentheses.
inline constexpr std::size_t kMaxSearchQuery = 1024;
inline constexpr int kMaxSearchDepth = 8;

} // namespace agentops::store
