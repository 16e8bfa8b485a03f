// SPDX-License-Identifier: MIT
#pragma once
// Content search on PostgreSQL (PostgresStore's part of store/searchquery.h): each span row keeps its
// searchable text in spans.search_text, made at ingest in the writer's transaction; pg_trgm's GIN
// indexes answer ILIKE over it and over the name, tool and model columns.

#include "store/searchquery.h"
#include "store/tracelistsql.h"

#include <pqxx/pqxx>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace agentops::store::pg {

/// The fields of a span's search_text are separated by this byte: name, tool, model, status token,
/// kind token (searchquery.h), then the body (SearchBody). A query term never holds it (control
/// characters are refused), so no match spans two fields, as none spans two FTS5 columns.
inline constexpr char kSearchFieldSeparator = '\x1f';

/// A span's search_text. `seen`: as SearchBody's, for the spans of one trace.
std::string searchText(std::string_view name, std::string_view tool, std::string_view model, int status, int kind,
    std::string_view statusMessage, std::string_view output, std::string_view input, std::string_view attributes,
    std::string_view events, std::unordered_set<std::uint64_t> &seen);

/// The span condition as SQL over the spans table aliased `s`, with `?` placeholders whose values
/// go to params: terms are ILIKE with LIKE's characters escaped, never text spliced into SQL.
std::string searchConditionSql(const SearchNode &condition, std::vector<TraceListSql::Param> &params);

/// Makes search_text again for the spans with these row ids (a PostgreSQL bigint[] literal), from
/// their stored columns: after the writer changed what a span says (a tool marked failed).
void refreshSearchText(pqxx::transaction_base &tx, const std::string &ids);

/// Fills search_text for every span without one, in row id order, in batches (a migration).
void fillSearchText(pqxx::transaction_base &tx);

/// Where the span that matched says it: the snippet of search_text's body, else its name, with the
/// positive terms of the condition highlighted; empty when neither has one (a field matched).
SearchHit searchHitFrom(std::string_view searchText, const SearchNode &condition);

} // namespace agentops::store::pg
