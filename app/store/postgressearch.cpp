// SPDX-License-Identifier: MIT
#include "store/postgressearch.h"

#include "core/span.h"
#include "core/text.h"
#include "store/postgresutil.h"
#include "store/searchtext.h"

#include <algorithm>
#include <map>

namespace agentops::store::pg {

namespace {

/// The model a span used, as the model: field and the search index read it.
constexpr const char *kModelSql = "coalesce(nullif(s.response_model, ''), s.request_model)";

/// The columns refreshSearchText and fillSearchText make search_text from.
constexpr const char *kSourceColumns
    = "SELECT id, trace_id, name, tool_name, coalesce(nullif(response_model, ''), request_model), status, kind, "
      "status_message, output, input, attributes, events FROM spans ";

/// search_text for each row of a kSourceColumns query, into the arrays of an UPDATE; the seen
/// strings of each trace in `traces` (kept to `limit` traces).
void addRows(const pqxx::result &rows, ArrayBuilder &ids, ArrayBuilder &texts,
    std::map<std::string, std::unordered_set<std::uint64_t>> &traces, std::size_t limit)
{
    for (const auto &r : rows) {
        const std::string trace = r[1].c_str();
        if (traces.size() >= limit && !traces.count(trace))
            traces.clear();
        ids.i64(i64(r[0]));
        texts.text(searchText(textView(r[2]), textView(r[3]), textView(r[4]), static_cast<int>(i64(r[5])),
            static_cast<int>(i64(r[6])), textView(r[7]), textView(r[8]), textView(r[9]), textView(r[10]),
            textView(r[11]), traces[trace]));
    }
}

void update(pqxx::transaction_base &tx, const ArrayBuilder &ids, const ArrayBuilder &texts)
{
    run(tx, "UPDATE spans s SET search_text = u.t FROM unnest($1::bigint[], $2::text[]) AS u(id, t) WHERE s.id = u.id",
        { ids.finish(), texts.finish() });
}

/// Text with the field separator replaced: a name or tool cannot reach into the next field.
void appendField(std::string &out, std::string_view field)
{
    const std::size_t start = out.size();
    out += field;
    std::replace(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(), kSearchFieldSeparator, ' ');
    out.push_back(kSearchFieldSeparator);
}

/// The texts of the terms a row that matched may hold (not those under NOT), lower-cased; `name`:
/// those that apply to the name field, else those that apply to the body.
void positiveTerms(const SearchNode &n, bool name, std::vector<std::string> &out)
{
    switch (n.type) {
    case SearchNode::Type::Term:
        if (n.field.empty() || (name && n.field == "name"))
            out.push_back(core::asciiLower(n.text));
        return;
    case SearchNode::Type::Not: return;
    case SearchNode::Type::And:
    case SearchNode::Type::Or:
        for (const SearchNode &k : n.kids)
            positiveTerms(k, name, out);
        return;
    }
}

/// Code points of context a snippet shows: about FTS5's snippet of 40 trigram tokens.
constexpr std::size_t kSnippetCodePoints = 40;
constexpr std::size_t kContextBefore = 10;

/// A snippet of text around its first match of any of terms (ASCII case folded, as ILIKE in a "C"
/// database), the matches in it highlighted; empty when none matches.
SearchHit snippet(std::string_view text, const std::vector<std::string> &terms)
{
    const std::string lower = core::asciiLower(text);
    std::vector<std::pair<std::size_t, std::size_t>> found; // byte ranges
    for (const std::string &term : terms) {
        if (term.empty())
            continue;
        for (std::size_t at = lower.find(term); at != std::string::npos; at = lower.find(term, at + term.size()))
            found.emplace_back(at, at + term.size());
    }
    SearchHit hit;
    if (found.empty())
        return hit;
    std::sort(found.begin(), found.end());
    std::vector<std::pair<std::size_t, std::size_t>> merged;
    for (const auto &r : found) {
        if (!merged.empty() && r.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, r.second);
        else
            merged.push_back(r);
    }
    // Byte offset of each code point, and of the end.
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < text.size(); ++i)
        if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
            starts.push_back(i);
    const std::size_t count = starts.size();
    starts.push_back(text.size());
    auto codePoint = [&](std::size_t byte) {
        return static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), byte) - starts.begin());
    };
    const std::size_t firstBegin = codePoint(merged.front().first);
    const std::size_t firstEnd = codePoint(merged.front().second);
    const std::size_t window = std::max(kSnippetCodePoints, firstEnd - firstBegin + 2 * kContextBefore);
    std::size_t begin = firstBegin > kContextBefore ? firstBegin - kContextBefore : 0;
    const std::size_t end = std::min(count, begin + window);
    if (end - begin < window)
        begin = end > window ? end - window : 0;
    const int lead = begin > 0 ? 1 : 0;
    if (lead)
        hit.snippet = "…";
    hit.snippet.append(text.substr(starts[begin], starts[end] - starts[begin]));
    if (end < count)
        hit.snippet += "…";
    for (const auto &[b, e] : merged) {
        const std::size_t cb = codePoint(b);
        const std::size_t ce = codePoint(e);
        if (cb >= begin && ce <= end)
            hit.highlights.emplace_back(static_cast<int>(cb - begin) + lead, static_cast<int>(ce - begin) + lead);
    }
    return hit;
}

} // namespace

std::string searchText(std::string_view name, std::string_view tool, std::string_view model, int status, int kind,
    std::string_view statusMessage, std::string_view output, std::string_view input, std::string_view attributes,
    std::string_view events, std::unordered_set<std::uint64_t> &seen)
{
    std::string out;
    appendField(out, name);
    appendField(out, tool);
    appendField(out, model);
    appendField(out, searchStatusToken(status));
    appendField(out, searchKindToken(core::toString(static_cast<core::SpanKind>(kind))));
    std::string body;
    SearchBody(body, seen).addSpan(statusMessage, output, input, attributes, events);
    return out + body;
}

std::string searchConditionSql(const SearchNode &n, std::vector<TraceListSql::Param> &params)
{
    using Type = TraceListSql::Param::Type;
    switch (n.type) {
    case SearchNode::Type::Term: {
        if (n.field == "status") {
            params.push_back({ Type::Int, n.text == "error" ? 2 : n.text == "ok" ? 1 : 0, 0, {} });
            return "s.status = ?";
        }
        if (n.field == "kind") {
            const auto kind = core::spanKindFromString(n.text);
            if (!kind)
                throw QueryError("q: kind: " + n.text + " is not a span kind");
            params.push_back({ Type::Int, static_cast<int>(*kind), 0, {} });
            return "s.kind = ?";
        }
        const std::string column = n.field.empty() ? "s.search_text"
            : n.field == "name"                    ? "s.name"
            : n.field == "tool"                    ? "s.tool_name"
            : n.field == "model"                   ? kModelSql
                                                   : throw QueryError("q: " + n.field + ": is not a field");
        params.push_back({ Type::Text, 0, 0, likeContains(n.text) });
        return column + " ILIKE ?"; // PostgreSQL's LIKE escapes with a backslash
    }
    case SearchNode::Type::Not: return "(" + searchConditionSql(n.kids.front(), params) + ") IS NOT TRUE";
    case SearchNode::Type::And:
    case SearchNode::Type::Or: {
        std::string out = "(";
        for (const SearchNode &k : n.kids) {
            if (out.size() > 1)
                out += n.type == SearchNode::Type::And ? " AND " : " OR ";
            out += searchConditionSql(k, params);
        }
        return out + ")";
    }
    }
    return "false";
}

void refreshSearchText(pqxx::transaction_base &tx, const std::string &ids)
{
    ArrayBuilder rowids, texts;
    std::map<std::string, std::unordered_set<std::uint64_t>> traces;
    addRows(run(tx, std::string(kSourceColumns) + "WHERE id = ANY($1::bigint[]) ORDER BY id", { ids }), rowids, texts,
        traces, SIZE_MAX);
    update(tx, rowids, texts);
}

void fillSearchText(pqxx::transaction_base &tx)
{
    std::map<std::string, std::unordered_set<std::uint64_t>> traces;
    std::int64_t after = 0;
    for (;;) {
        const auto rows = run(tx,
            std::string(kSourceColumns) + "WHERE id > $1::bigint AND search_text IS NULL ORDER BY id LIMIT 1000",
            { std::to_string(after) });
        if (rows.empty())
            return;
        ArrayBuilder ids, texts;
        addRows(rows, ids, texts, traces, 4096);
        update(tx, ids, texts);
        after = i64(rows[rows.size() - 1][0]);
    }
}

SearchHit searchHitFrom(std::string_view text, const SearchNode &condition)
{
    const std::size_t nameEnd = text.find(kSearchFieldSeparator);
    std::size_t bodyStart = 0;
    for (int field = 0; field < 5 && bodyStart != std::string_view::npos; ++field) {
        bodyStart = text.find(kSearchFieldSeparator, bodyStart);
        if (bodyStart != std::string_view::npos)
            ++bodyStart;
    }
    std::vector<std::string> terms;
    positiveTerms(condition, false, terms);
    if (bodyStart != std::string_view::npos) {
        SearchHit hit = snippet(text.substr(bodyStart), terms);
        if (!hit.highlights.empty())
            return hit;
    }
    terms.clear();
    positiveTerms(condition, true, terms);
    SearchHit hit = snippet(text.substr(0, nameEnd), terms);
    return hit.highlights.empty() ? SearchHit {} : hit;
}

} // namespace agentops::store::pg
