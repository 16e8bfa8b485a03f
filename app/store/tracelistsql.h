// SPDX-License-Identifier: MIT
#pragma once

#include "store/searchquery.h"
#include "store/tracestore.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::store {

/// Traces in a stretch of the list's sort indexes (SQLite schema 10, sqlitelistplan.cpp): row ids
/// divided by it. The schema's index expressions spell the same number.
inline constexpr int kListStretch = 4096;

/// The filters, order, paging and cursor of a trace list query, shared by the SQL stores so both
/// answer the same query the same way. Clauses use `?` placeholders, in the order of `params`; each
/// store renders and binds them its own way (SQLite `?`, PostgreSQL `$n` with a cast by type).
struct TraceListSql
{
    struct Param
    {
        enum class Type { Int, Double, Text };
        Type type = Type::Int;
        std::int64_t i = 0;
        double d = 0;
        std::string s;
    };

    std::string column; ///< the sort column (read back as the query's last column)
    bool doubleKey = false; ///< the sort column is a REAL (cost), else an INTEGER
    std::string tag; ///< the cursors of this listing, sort and order carry it
    /// " AND ..." clauses after the filters and the cursor, then " ORDER BY ... LIMIT ?".
    std::string clauses;
    std::vector<Param> params;
    int limit = 0;
    /// The content search's FTS5 expression (SearchQuery::match); empty without one.
    std::string match;
    /// The same condition as a tree (SearchQuery::condition); null without one.
    std::shared_ptr<const SearchNode> condition;
    /// Where the content clause is in `clauses` (its offset and length) and which of `params` it
    /// binds (from content_param, content_params of them).
    std::size_t content_at = 0, content_length = 0, content_param = 0, content_params = 0;
    /// Where the cursor's clause " AND (column, id) < (?, ?)" (or ">") starts in `clauses`, its two
    /// values just before the LIMIT's; npos without a cursor. The ORDER BY follows it.
    std::size_t cursor_at = std::string::npos;

    /// The same listing with the content clause replaced by `clause` (" AND ..." with one `?`, bound
    /// to `value`), or without it when `clause` is empty. Unchanged without a content clause.
    TraceListSql replaceContent(std::string_view clause, std::string value) const;
    /// Rows at most, rather than a page and one more: for a caller that reads on until it has enough.
    void setLimit(std::int64_t rows);
};

/// How a store keeps the traces whose spans match a content search: appends its " AND ..." clause,
/// with `?` placeholders, to `sql` and their values to `params`.
using ContentFilter
    = std::function<void(const SearchQuery &search, std::string &sql, std::vector<TraceListSql::Param> &params)>;

/// A LIKE pattern matching text anywhere, with LIKE's own characters escaped by a backslash.
std::string likeContains(std::string_view text);

/// Checks the limit and the cursor (QueryError naming the field) and builds the clauses. `like` is the
/// store's case-insensitive LIKE: "LIKE" in SQLite (ASCII), "ILIKE" in PostgreSQL. `content` keeps
/// the traces whose spans match; empty where the store cannot search content.
TraceListSql buildTraceListSql(const TraceQuery &query, std::string_view like, const ContentFilter &content = {});

/// Collects the rows of a trace list into a page: add() each row while room() says so; room() on
/// the row after a full page sets the cursor for the next one from the last row added.
class TracePager
{
public:
    explicit TracePager(const TraceListSql &sql)
        : m_sql(sql)
    { }
    bool room();
    void add(core::TraceSummary summary, std::int64_t rowid, std::int64_t ikey, double dkey);
    TracePage take() { return std::move(m_page); }

private:
    const TraceListSql &m_sql;
    TracePage m_page;
    std::int64_t m_rowid = 0;
    std::int64_t m_ikey = 0;
    double m_dkey = 0;
};

} // namespace agentops::store
