// SPDX-License-Identifier: MIT
#include "store/tracelistsql.h"

#include "store/cursor.h"
#include "store/searchquery.h"

namespace agentops::store {

std::string likeContains(std::string_view text)
{
    std::string pattern = "%";
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            pattern.push_back('\\');
        pattern.push_back(c);
    }
    pattern += "%";
    return pattern;
}

namespace {

std::string sortColumn(TraceSort sort)
{
    switch (sort) {
    case TraceSort::StartTime: return "start_ns";
    case TraceSort::Duration: return "duration_ns";
    case TraceSort::Cost: return "cost_usd";
    case TraceSort::Tokens: return "tok_total";
    case TraceSort::SpanCount: return "span_count";
    case TraceSort::ErrorCount: return "error_count";
    }
    return "start_ns";
}

} // namespace

TraceListSql buildTraceListSql(const TraceQuery &query, std::string_view like, const ContentFilter &content)
{
    using Type = TraceListSql::Param::Type;
    if (query.limit < 1 || query.limit > 1000)
        throw QueryError("limit: must be between 1 and 1000");
    TraceListSql out;
    out.column = sortColumn(query.sort);
    out.doubleKey = query.sort == TraceSort::Cost;
    out.tag = "traces/" + out.column + (query.descending ? "/desc" : "/asc");
    out.limit = query.limit;
    std::string &sql = out.clauses;
    auto addInt = [&](const char *clause, std::int64_t v) {
        sql += clause;
        out.params.push_back({ Type::Int, v, 0, {} });
    };
    auto addDouble = [&](const char *clause, double v) {
        sql += clause;
        out.params.push_back({ Type::Double, 0, v, {} });
    };
    auto addText = [&](const std::string &clause, std::string v) {
        sql += clause;
        out.params.push_back({ Type::Text, 0, 0, std::move(v) });
    };
    if (query.from_ns)
        addInt(" AND start_ns >= ?", *query.from_ns);
    if (query.to_ns)
        addInt(" AND start_ns < ?", *query.to_ns);
    if (!query.service.empty())
        addText(" AND service = ?", query.service);
    if (!query.name_contains.empty())
        addText(" AND name " + std::string(like) + " ? ESCAPE '\\'", likeContains(query.name_contains));
    if (!query.text.empty()) {
        const SearchQuery search = SearchQuery::parse(query.text);
        if (!search.session.empty())
            addText(" AND session_id = ?", search.session);
        if (!search.nameOnly.empty())
            addText(" AND name " + std::string(like) + " ? ESCAPE '\\'", likeContains(search.nameOnly));
        if (!search.match.empty() && !content) {
            // A store without a content index: plain words still find trace names.
            if (search.plain.empty())
                throw QueryError("q: this server's database cannot search what spans contain; search plain "
                                 "words (trace names) or a session (session:ID)");
            addText(" AND name " + std::string(like) + " ? ESCAPE '\\'", likeContains(search.plain));
        } else if (!search.match.empty()) {
            out.content_at = sql.size();
            out.content_param = out.params.size();
            content(search, sql, out.params);
            out.content_length = sql.size() - out.content_at;
            out.content_params = out.params.size() - out.content_param;
            out.match = search.match;
            out.condition = search.condition;
        }
    }
    if (query.errors_only)
        sql += " AND error_count > 0";
    if (!query.model.empty())
        addText(" AND id IN (SELECT trace_rowid FROM trace_models WHERE model = ?)", query.model);
    if (!query.session_id.empty())
        addText(" AND session_id = ?", query.session_id);
    if (query.min_duration_ns)
        addInt(" AND duration_ns >= ?", *query.min_duration_ns);
    if (query.min_cost_usd)
        addDouble(" AND cost_usd >= ?", *query.min_cost_usd);
    if (!query.cursor.empty()) {
        auto cursor = Cursor::decode(query.cursor);
        if (!cursor)
            throw QueryError("cursor: not a cursor this server issued");
        if (cursor->tag != out.tag)
            throw QueryError("cursor: belongs to another sort order; start again without a cursor");
        out.cursor_at = sql.size();
        sql += " AND (" + out.column + ", id) " + (query.descending ? "<" : ">") + " (?, ?)";
        if (out.doubleKey)
            out.params.push_back({ Type::Double, 0, cursor->dkey, {} });
        else
            out.params.push_back({ Type::Int, cursor->ikey, 0, {} });
        out.params.push_back({ Type::Int, cursor->rowid, 0, {} });
    }
    const char *dir = query.descending ? " DESC" : " ASC";
    sql += " ORDER BY " + out.column + dir + ", id" + dir;
    addInt(" LIMIT ?", query.limit + 1); // one more row says whether there is a next page
    return out;
}

TraceListSql TraceListSql::replaceContent(std::string_view clause, std::string value) const
{
    TraceListSql out = *this;
    if (match.empty())
        return out;
    out.clauses.replace(content_at, content_length, clause);
    if (out.cursor_at != std::string::npos)
        out.cursor_at = out.cursor_at - content_length + clause.size();
    out.content_length = clause.size();
    const auto first = out.params.begin() + static_cast<std::ptrdiff_t>(content_param);
    out.params.erase(first, first + static_cast<std::ptrdiff_t>(content_params));
    out.content_params = clause.empty() ? 0 : 1;
    if (!clause.empty())
        out.params.insert(out.params.begin() + static_cast<std::ptrdiff_t>(content_param),
            { Param::Type::Text, 0, 0, std::move(value) });
    return out;
}

void TraceListSql::setLimit(std::int64_t rows)
{
    params.back().i = rows; // the LIMIT, always the last
}

bool TracePager::room()
{
    if (static_cast<int>(m_page.traces.size()) < m_sql.limit)
        return true;
    Cursor c;
    c.tag = m_sql.tag;
    c.rowid = m_rowid;
    c.ikey = m_ikey;
    c.dkey = m_dkey;
    m_page.next_cursor = c.encode();
    return false;
}

void TracePager::add(core::TraceSummary summary, std::int64_t rowid, std::int64_t ikey, double dkey)
{
    m_page.traces.push_back(std::move(summary));
    m_rowid = rowid;
    m_ikey = ikey;
    m_dkey = dkey;
}

} // namespace agentops::store
