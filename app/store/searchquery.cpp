// SPDX-License-Identifier: MIT
#include "store/searchquery.h"

#include "core/span.h"
#include "core/text.h"
#include "store/tracestore.h"

#include <algorithm>
#include <array>
#include <vector>

namespace agentops::store {

namespace {

struct Token
{
    enum class Type { Open, Close, And, Or, Not, Term };
    Type type = Type::Term;
    std::string field; ///< before the colon, lower-cased; empty for plain text
    std::string text;
    bool quoted = false;
};

constexpr std::array kFields { "tool", "model", "name", "status", "kind", "session" };

bool isField(std::string_view f)
{
    for (std::string_view known : kFields)
        if (known == f)
            return true;
    return false;
}

std::string readQuoted(std::string_view q, std::size_t &i)
{
    ++i; // the opening quote
    std::string out;
    while (i < q.size() && q[i] != '"')
        out.push_back(q[i++]);
    if (i == q.size())
        throw QueryError("q: a phrase is missing its closing quote");
    ++i;
    return out;
}

std::vector<Token> tokenize(std::string_view q)
{
    std::vector<Token> out;
    std::size_t i = 0;
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (i < q.size()) {
        const char c = q[i];
        if (space(c)) {
            ++i;
            continue;
        }
        if (c == '(' || c == ')') {
            out.push_back({ c == '(' ? Token::Type::Open : Token::Type::Close, {}, {}, false });
            ++i;
            continue;
        }
        bool negated = false;
        if (c == '-' && i + 1 < q.size() && !space(q[i + 1]) && q[i + 1] != ')') {
            negated = true;
            ++i;
        }
        Token t;
        if (q[i] == '"') {
            t.text = readQuoted(q, i);
            t.quoted = true;
        } else {
            std::size_t end = i;
            while (end < q.size() && !space(q[end]) && q[end] != '(' && q[end] != ')' && q[end] != '"')
                ++end;
            const std::string_view word = q.substr(i, end - i);
            const auto colon = word.find(':');
            const std::string field = colon == std::string_view::npos ? "" : core::asciiLower(word.substr(0, colon));
            if (!field.empty() && isField(field)) {
                t.field = field;
                i += colon + 1;
                if (i < q.size() && q[i] == '"') {
                    t.text = readQuoted(q, i);
                    t.quoted = true;
                } else {
                    t.text = std::string(q.substr(i, end - i));
                    i = end;
                }
                if (t.text.empty())
                    // NOLINTNEXTLINE(performance-inefficient-string-concatenation): once, as the parse ends
                    throw QueryError("q: " + field + ": needs a value, e.g. " + field + ":value");
            } else {
                i = end;
                if (!negated && (word == "AND" || word == "OR" || word == "NOT")) {
                    out.push_back({ word == "AND" ? Token::Type::And
                            : word == "OR"        ? Token::Type::Or
                                                  : Token::Type::Not,
                        {}, {}, false });
                    continue;
                }
                t.text = std::string(word);
            }
        }
        if (negated)
            out.push_back({ Token::Type::Not, {}, {}, false });
        out.push_back(std::move(t));
    }
    return out;
}

using Node = SearchNode;

Node termNode(const Token &t)
{
    return { Node::Type::Term, t.field, t.text, {} };
}

class Parser
{
public:
    explicit Parser(std::vector<Token> tokens)
        : m_tokens(std::move(tokens))
    { }

    Node parse()
    {
        Node n = parseOr();
        if (m_pos != m_tokens.size())
            throw QueryError("q: unexpected ')'");
        return n;
    }

private:
    bool at(Token::Type t) const { return m_pos < m_tokens.size() && m_tokens[m_pos].type == t; }

    Node parseOr()
    {
        Node first = parseAnd();
        if (!at(Token::Type::Or))
            return first;
        Node n { Node::Type::Or, {}, {}, {} };
        n.kids.push_back(std::move(first));
        while (at(Token::Type::Or)) {
            ++m_pos;
            n.kids.push_back(parseAnd());
        }
        return n;
    }

    Node parseAnd()
    {
        Node n { Node::Type::And, {}, {}, {} };
        n.kids.push_back(parseUnary());
        while (m_pos < m_tokens.size() && !at(Token::Type::Or) && !at(Token::Type::Close)) {
            if (at(Token::Type::And))
                ++m_pos;
            n.kids.push_back(parseUnary());
        }
        return n.kids.size() == 1 ? std::move(n.kids.front()) : n;
    }

    Node parseUnary()
    {
        if (m_pos == m_tokens.size())
            throw QueryError("q: ends where a search term was expected");
        const Token &t = m_tokens[m_pos];
        switch (t.type) {
        case Token::Type::Not: {
            ++m_pos;
            Node n { Node::Type::Not, {}, {}, {} };
            n.kids.push_back(parseUnary());
            return n;
        }
        case Token::Type::Open: {
            ++m_pos;
            if (++m_depth > kMaxSearchDepth)
                throw QueryError("q: parentheses nest deeper than " + std::to_string(kMaxSearchDepth));
            Node n = parseOr();
            --m_depth;
            if (!at(Token::Type::Close))
                throw QueryError("q: a '(' is missing its ')'");
            ++m_pos;
            return n;
        }
        case Token::Type::Term: ++m_pos; return termNode(t);
        case Token::Type::Close: throw QueryError("q: unexpected ')'");
        case Token::Type::And:
        case Token::Type::Or: break;
        }
        throw QueryError("q: AND and OR need a search term on each side");
    }

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

std::string quoted(std::string_view text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string renderTerm(const Node &t)
{
    if (t.field == "session")
        throw QueryError("q: session: can only be combined with other terms by AND");
    if (t.field == "status") {
        const std::string v = core::asciiLower(t.text);
        if (v != "error" && v != "ok" && v != "unset")
            throw QueryError("q: status: must be error, ok or unset");
        return "status : " + quoted(searchStatusToken(v == "error" ? 2 : v == "ok" ? 1 : 0));
    }
    if (t.field == "kind") {
        const std::string v = core::asciiLower(t.text);
        if (!core::spanKindFromString(v))
            throw QueryError("q: kind: must be one of agent, llm, tool, chain, retriever, embedding, guardrail, "
                             "evaluator, other");
        return "kind : " + quoted(searchKindToken(v));
    }
    if (core::utf8Length(t.text) < 3)
        throw QueryError("q: \"" + t.text + "\" is too short: search terms need at least 3 characters");
    const std::string column = t.field.empty() ? "" : t.field + " : ";
    return column + quoted(t.text);
}

std::string render(const Node &n)
{
    switch (n.type) {
    case Node::Type::Term: return renderTerm(n);
    case Node::Type::Not: throw QueryError("q: NOT needs a term to search for first, e.g. \"error NOT timeout\"");
    case Node::Type::Or: {
        std::string out = "(";
        for (const Node &k : n.kids) {
            if (out.size() > 1)
                out += " OR ";
            out += render(k);
        }
        return out + ")";
    }
    case Node::Type::And: {
        std::string positive;
        std::string negative;
        for (const Node &k : n.kids) {
            if (k.type == Node::Type::Not) {
                negative += " NOT " + render(k.kids.front());
                continue;
            }
            if (!positive.empty())
                positive += " AND ";
            positive += render(k);
        }
        if (positive.empty())
            throw QueryError("q: NOT needs a term to search for first, e.g. \"error NOT timeout\"");
        return "(" + positive + negative + ")";
    }
    }
    return {};
}

/// The tree as render() checked it: status and kind values in lower case, and in an And the
/// negated kids after the others.
Node normalized(Node n)
{
    if (n.type == Node::Type::Term) {
        if (n.field == "status" || n.field == "kind")
            n.text = core::asciiLower(n.text);
        return n;
    }
    for (Node &k : n.kids)
        k = normalized(std::move(k));
    if (n.type == Node::Type::And)
        std::stable_partition(n.kids.begin(), n.kids.end(), [](const Node &k) { return k.type != Node::Type::Not; });
    return n;
}

bool isSession(const Node &n)
{
    return n.type == Node::Type::Term && n.field == "session";
}

} // namespace

std::string searchStatusToken(int status)
{
    return status == 2 ? "status_error" : status == 1 ? "status_ok" : "status_unset";
}

std::string searchKindToken(std::string_view kind)
{
    return "kind_" + std::string(kind);
}

SearchQuery SearchQuery::parse(std::string_view q)
{
    if (q.size() > kMaxSearchQuery)
        throw QueryError("q: longer than " + std::to_string(kMaxSearchQuery) + " bytes");
    for (unsigned char c : q)
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            throw QueryError("q: contains a control character");
    SearchQuery out;
    std::vector<Token> tokens = tokenize(q);
    if (tokens.empty())
        return out;
    if (tokens.size() == 1 && tokens.front().field.empty() && core::utf8Length(tokens.front().text) < 3) {
        out.nameOnly = tokens.front().text;
        return out;
    }
    // Plain words, one of them too short to search for on its own ("no such agent", "東京 天気"):
    // the words as they were typed, as one phrase.
    const bool plain = std::all_of(tokens.begin(), tokens.end(),
        [](const Token &t) { return t.type == Token::Type::Term && t.field.empty() && !t.quoted; });
    if (plain)
        out.plain = std::string(core::trimWhitespace(q));
    if (plain
        && std::any_of(tokens.begin(), tokens.end(), [](const Token &t) { return core::utf8Length(t.text) < 3; })) {
        std::string phrase;
        for (const Token &t : tokens)
            phrase += (phrase.empty() ? "" : " ") + t.text;
        out.match = quoted(phrase);
        out.plain = phrase;
        out.condition = std::make_shared<const Node>(Node { Node::Type::Term, {}, phrase, {} });
        return out;
    }
    Node root = Parser(std::move(tokens)).parse();
    if (isSession(root)) {
        out.session = root.text;
        return out;
    }
    if (root.type == Node::Type::And) {
        std::vector<Node> rest;
        for (Node &k : root.kids) {
            if (!isSession(k)) {
                rest.push_back(std::move(k));
                continue;
            }
            if (!out.session.empty() && out.session != k.text)
                return SearchQuery { "", "\x1f", "", "", {} }; // two different sessions: nothing matches
            out.session = k.text;
        }
        root.kids = std::move(rest);
        if (root.kids.empty())
            return out;
        if (root.kids.size() == 1 && root.kids.front().type != Node::Type::Not)
            root = std::move(root.kids.front());
    }
    out.match = render(root);
    out.condition = std::make_shared<const Node>(normalized(std::move(root)));
    return out;
}

} // namespace agentops::store
