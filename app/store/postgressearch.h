// SPDX-License-Identifier: MIT
#pragma once
// Content search on PostgreSQL (PostgresStore's part of store/searchquery.h): each span has a row in
// span_search (its name, tool, model, status, kind and searchable text), made behind the writer by
// the store's indexer thread; pg_trgm's GIN indexes answer ILIKE over the text, name, tool and model.

#include "core/span.h"
#include "store/searchquery.h"
#include "store/tracelistsql.h"

#include <pqxx/pqxx>

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
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

/// The span condition as SQL over span_search aliased `s`, with `?` placeholders whose values
/// go to params: terms are ILIKE with LIKE's characters escaped, never text spliced into SQL.
std::string searchConditionSql(const SearchNode &condition, std::vector<TraceListSql::Param> &params);

/// Queues spans whose text the writer changed (a tool marked failed) to be indexed again.
void queueSearchText(pqxx::transaction_base &tx, const std::string &ids);

/// What the indexer remembers between steps: the texts each recent trace already had (SearchBody).
struct SearchMemory
{
    std::unordered_map<std::string, std::unordered_set<std::uint64_t>> traces;
    std::deque<std::string> order;
    std::unordered_set<std::uint64_t> &of(const std::string &trace);
};

/// How far the index is, in span row ids (search_state), as SearchIndex::Cursors on SQLite: every
/// span up to `backfill` and every span in (`backfill_to`, `forward`] is indexed. New spans (after
/// `forward`) go first; older ones (up to backfill_to) when there are no new ones, so a schema indexed
/// for the first time does not hold up ingest.
struct SearchCursors
{
    std::int64_t backfill = 0;
    std::int64_t backfill_to = 0;
    std::int64_t forward = 0;
};

/// The cursors' columns on a search_state of migration 4 (which had `indexed` only, now `backfill`):
/// added when missing, the range of new spans starting where it got.
void ensureSearchCursors(pqxx::transaction_base &tx);

/// Sets the indexer to take new spans first when more than `far` spans wait after a contiguous
/// index (a schema of an earlier version, or one whose indexer was off): what is stored now is
/// indexed when no new spans come.
void startSearchForward(pqxx::transaction_base &tx, std::int64_t far);

/// One step of the indexer, in tx: the queued spans made again, then up to `batch` spans stored after
/// the newest one indexed or, when there are none, up to `batch` older ones not indexed yet, and
/// where it got. Returns the spans it indexed; -1 when another process's indexer holds this schema
/// (keyed by lockKey).
/// Deletions of spans take turns with steps (kSearchDeleteLock); writerLock: the whole writer too, as
/// before that (PostgresStore::Options::search_takes_writer_lock).
int searchIndexStep(
    pqxx::transaction_base &tx, const std::string &lockKey, int batch, SearchMemory &memory, bool writerLock = false);

/// What content search waits for, as of tx.
struct SearchLag
{
    std::int64_t behind = 0; ///< spans stored after the newest one indexed, and queued spans: the writer's bound
    std::int64_t backfill = 0; ///< older spans not indexed yet (indexed when nothing new comes)
    std::int64_t total() const { return behind + backfill; }
};
SearchLag searchLag(pqxx::transaction_base &tx);

/// The role content search reads span_search as, past row-level security. Under the policies
/// PostgreSQL uses an index only for leakproof conditions, and no ILIKE or trigram operator is, so a
/// role they bind reads every row of span_search; a role with BYPASSRLS is not bound. An administrator
/// makes it once (docs/deployment.md): CREATE ROLE agentops_search NOLOGIN BYPASSRLS, granted to
/// the server's role.
inline constexpr const char *kSearchRole = "agentops_search";

/// Makes the schema's search_match(field, pattern, max_rows) when missing: the trace ids of up to
/// max_rows span_search rows whose field (0 the search text, 1 name, 2 tool, 3 model) is ILIKE
/// pattern, read with kSearchRole's rights, so through the trigram indexes; one NULL instead when
/// the planner expects more rows than that (its statistics, which the policies hide from the
/// server's role); nothing in a session whose project (agentops.project) is another. Only the
/// server's role may call it. Returns why it cannot be had (as a sentence, saying what an
/// administrator can do), or empty.
std::string ensureSearchMatch(pqxx::dbtransaction &tx, const std::string &schema);

/// The traces that may hold a span matching condition, found by search_match: every trace that
/// does is among them (the caller still applies the whole condition). nullopt when a term matches
/// more than `most` spans (`many` is then set), or a part of the condition has no trigram index to
/// answer it (status:, kind:, NOT, a term under three characters) and nothing narrows it down.
std::optional<std::set<core::TraceId>> candidateTraces(
    pqxx::transaction_base &tx, const SearchNode &condition, int most, bool &many);

/// Where the span that matched says it: the snippet of search_text's body, else its name, with the
/// positive terms of the condition highlighted; empty when neither has one (a field matched).
SearchHit searchHitFrom(std::string_view searchText, const SearchNode &condition);

} // namespace agentops::store::pg
