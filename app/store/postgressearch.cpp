// SPDX-License-Identifier: MIT
#include "store/postgressearch.h"

#include "core/span.h"
#include "core/text.h"
#include "store/postgresutil.h"
#include "store/searchtext.h"

#include <algorithm>

namespace agentops::store::pg {

namespace {

/// The columns an index row is made from, in the order addRows reads them.
constexpr const char *kSourceColumns
    = "SELECT id, trace_id, name, coalesce(tool_name, ''), coalesce(nullif(response_model, ''), request_model, ''), "
      "status, kind, status_message, output, input, attributes, events FROM spans ";

/// The index rows of a kSourceColumns query, inserted (replacing any of the same spans).
void addRows(pqxx::transaction_base &tx, const pqxx::result &rows, SearchMemory *memory)
{
    if (rows.empty())
        return;
    ArrayBuilder ids, traces, names, tools, models, statuses, kinds, texts;
    for (const auto &r : rows) {
        const std::string trace = r[1].c_str();
        std::unordered_set<std::uint64_t> fresh;
        ids.i64(i64(r[0]));
        traces.text(trace);
        names.text(textView(r[2]));
        tools.text(textView(r[3]));
        models.text(textView(r[4]));
        statuses.i64(i64(r[5]));
        kinds.i64(i64(r[6]));
        texts.text(searchText(textView(r[2]), textView(r[3]), textView(r[4]), static_cast<int>(i64(r[5])),
            static_cast<int>(i64(r[6])), textView(r[7]), textView(r[8]), textView(r[9]), textView(r[10]),
            textView(r[11]), memory ? memory->of(trace) : fresh));
    }
    run(tx, R"sql(
INSERT INTO span_search(span_rowid, trace_id, name, tool, model, status, kind, search_text)
SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[])
ON CONFLICT (span_rowid) DO UPDATE SET name = excluded.name, tool = excluded.tool, model = excluded.model,
    status = excluded.status, kind = excluded.kind, search_text = excluded.search_text)sql",
        { ids.finish(), traces.finish(), names.finish(), tools.finish(), models.finish(), statuses.finish(),
            kinds.finish(), texts.finish() });
}

/// The query language's text fields and the span_search columns that hold them; search_match
/// takes a field by its place here.
constexpr std::pair<std::string_view, std::string_view> kTextFields[] = {
    { "", "search_text" },
    { "name", "name" },
    { "tool", "tool" },
    { "model", "model" },
};

/// The place of a term's field in kTextFields; -1 for fields that are not text (status:, kind:).
int textField(std::string_view field)
{
    for (std::size_t i = 0; i < std::size(kTextFields); ++i)
        if (kTextFields[i].first == field)
            return static_cast<int>(i);
    return -1;
}

/// Traces whose texts the indexer remembers.
constexpr std::size_t kTracesRemembered = 4096;

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
        const int field = textField(n.field);
        if (field < 0)
            throw QueryError("q: " + n.field + ": is not a field");
        params.push_back({ Type::Text, 0, 0, likeContains(n.text) });
        // PostgreSQL's LIKE escapes with a backslash.
        return "s." + std::string(kTextFields[field].second) + " ILIKE ?";
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

std::unordered_set<std::uint64_t> &SearchMemory::of(const std::string &trace)
{
    auto [it, fresh] = traces.try_emplace(trace);
    if (fresh) {
        order.push_back(trace);
        if (order.size() > kTracesRemembered) {
            traces.erase(order.front());
            order.pop_front();
        }
    }
    return traces[trace];
}

void queueSearchText(pqxx::transaction_base &tx, const std::string &ids)
{
    run(tx, "INSERT INTO search_queue(span_rowid) SELECT unnest($1::bigint[])", { ids });
}

void ensureSearchCursors(pqxx::transaction_base &tx)
{
    if (!tx.exec("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND "
                 "table_name = 'search_state' AND column_name = 'forward'")
             .empty())
        return;
    tx.exec("ALTER TABLE search_state RENAME COLUMN indexed TO backfill");
    tx.exec("ALTER TABLE search_state ADD COLUMN backfill_to bigint NOT NULL DEFAULT 0, "
            "ADD COLUMN forward bigint NOT NULL DEFAULT 0");
    tx.exec("UPDATE search_state SET backfill_to = backfill, forward = backfill");
}

namespace {

SearchCursors readCursors(pqxx::transaction_base &tx)
{
    const auto r = tx.exec("SELECT backfill, backfill_to, forward FROM search_state")[0];
    return { i64(r[0]), i64(r[1]), i64(r[2]) };
}

void writeCursors(pqxx::transaction_base &tx, const SearchCursors &c)
{
    run(tx, "UPDATE search_state SET backfill = $1::bigint, backfill_to = $2::bigint, forward = $3::bigint",
        { std::to_string(c.backfill), std::to_string(c.backfill_to), std::to_string(c.forward) });
}

std::int64_t latestSpan(pqxx::transaction_base &tx)
{
    return i64(tx.exec("SELECT coalesce(max(id), 0) FROM spans")[0][0]);
}

} // namespace

void startSearchForward(pqxx::transaction_base &tx, std::int64_t far)
{
    SearchCursors c = readCursors(tx);
    const std::int64_t latest = latestSpan(tx);
    if (c.backfill != c.forward || latest - c.forward <= far)
        return;
    c.backfill_to = c.forward = latest;
    writeCursors(tx, c);
}

int searchIndexStep(
    pqxx::transaction_base &tx, const std::string &lockKey, int batch, SearchMemory &memory, bool writerLock)
{
    if (!run(tx, "SELECT pg_try_advisory_xact_lock($1, hashtext($2))", { std::to_string(kSearchLock), lockKey })[0][0]
             .as<bool>())
        return -1;
    // Deletions of spans wait for the step, and it for them (kSearchDeleteLock): a span deleted while
    // the step reads it would leave an index row behind. The rest of the writer's work does not: its
    // new spans are not seen until committed, and the spans whose failure it marks it queues to be
    // made again.
    if (writerLock)
        run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kWriterLock), lockKey });
    run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kSearchDeleteLock), lockKey });
    SearchCursors c = readCursors(tx);
    const std::string indexed = "(id <= " + std::to_string(c.backfill) + " OR (id > " + std::to_string(c.backfill_to)
        + " AND id <= " + std::to_string(c.forward) + "))";
    // Spans the writer changed after they were indexed: made again from what they say now. Those
    // not indexed yet are made below, as they are now.
    const auto queued = tx.exec("SELECT seq, span_rowid FROM search_queue ORDER BY seq LIMIT 1000");
    if (!queued.empty()) {
        ArrayBuilder ids;
        for (const auto &r : queued)
            ids.i64(i64(r[1]));
        addRows(tx,
            run(tx, std::string(kSourceColumns) + "WHERE id = ANY($1::bigint[]) AND " + indexed + " ORDER BY id",
                { ids.finish() }),
            nullptr);
        run(tx, "DELETE FROM search_queue WHERE seq <= $1::bigint", { queued[queued.size() - 1][0].c_str() });
    }
    // Row ids grow in commit order (writers of a schema take turns under a lock): after the newest
    // one indexed come exactly the spans stored since.
    const auto fresh = run(tx, std::string(kSourceColumns) + "WHERE id > $1::bigint ORDER BY id LIMIT $2::bigint",
        { std::to_string(c.forward), std::to_string(batch) });
    addRows(tx, fresh, &memory);
    if (!fresh.empty())
        c.forward = i64(fresh[fresh.size() - 1][0]);
    std::size_t old = 0;
    if (fresh.size() < static_cast<std::size_t>(batch) && c.backfill < c.backfill_to) {
        const auto rows = run(tx,
            std::string(kSourceColumns) + "WHERE id > $1::bigint AND id <= $2::bigint ORDER BY id LIMIT $3::bigint",
            { std::to_string(c.backfill), std::to_string(c.backfill_to), std::to_string(batch) });
        addRows(tx, rows, &memory);
        old = rows.size();
        c.backfill = rows.size() < static_cast<std::size_t>(batch) ? c.backfill_to : i64(rows[rows.size() - 1][0]);
    }
    if (c.backfill >= c.backfill_to)
        c.backfill = c.backfill_to = c.forward; // one contiguous range again
    if (!fresh.empty() || old > 0 || !queued.empty())
        writeCursors(tx, c);
    return static_cast<int>(fresh.size() + old + queued.size());
}

SearchLag searchLag(pqxx::transaction_base &tx)
{
    const SearchCursors c = readCursors(tx);
    SearchLag lag;
    lag.behind = std::max<std::int64_t>(0, latestSpan(tx) - c.forward)
        + i64(tx.exec("SELECT count(*) FROM search_queue")[0][0]);
    lag.backfill = std::max<std::int64_t>(0, c.backfill_to - c.backfill);
    return lag;
}

namespace {

/// What an administrator runs once so that content search reads through its indexes.
std::string searchRoleAdvice(pqxx::transaction_base &tx)
{
    const std::string role = tx.exec("SELECT current_user")[0][0].c_str();
    return std::string("row-level security binds the server's role, and PostgreSQL uses no trigram index under "
                       "it; content search reads every span. A superuser can run, once: CREATE ROLE ")
        + kSearchRole + " NOLOGIN BYPASSRLS; GRANT " + kSearchRole + " TO " + quoteIdent(role);
}

/// search_match, only for a session of this schema's project. Its queries are planned with the
/// pattern (EXECUTE), by a role the policies do not bind, so with the column's statistics: where
/// the planner expects more than max_rows rows, and more than a thousandth of the table (below
/// that its estimate of a pattern is a floor, not a count), it answers one NULL instead of reading
/// them.
std::string searchMatchBody(pqxx::transaction_base &tx, const std::string &schema)
{
    const std::string table = quoteIdent(schema) + ".span_search";
    std::string columns;
    for (const auto &[field, column] : kTextFields)
        columns.append(columns.empty() ? "'" : ", '").append(column).append("'");
    return R"sql(
DECLARE
    column_name text := (ARRAY[)sql"
        + columns + R"sql(])[field + 1];
    plan json;
    stored float8;
BEGIN
    IF current_setting('agentops.project', true) IS DISTINCT FROM )sql"
        + tx.quote(schema) + R"sql( OR column_name IS NULL THEN
        RETURN;
    END IF;
    EXECUTE format('EXPLAIN (FORMAT JSON) SELECT 1 FROM )sql"
        + table + R"sql( s WHERE s.%I ILIKE $1', column_name) INTO plan USING pattern;
    -- Estimates under a thousandth of the table are the planner's floor for a pattern, not a count.
    SELECT greatest(reltuples, 0) INTO stored FROM pg_class WHERE oid = ')sql"
        + table + R"sql('::regclass;
    IF (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8 > greatest(max_rows, stored / 1000) THEN
        RETURN NEXT NULL;
        RETURN;
    END IF;
    RETURN QUERY EXECUTE format('SELECT s.trace_id FROM )sql"
        + table + R"sql( s WHERE s.%I ILIKE $1 LIMIT $2', column_name) USING pattern, max_rows;
END
)sql";
}

} // namespace

std::string ensureSearchMatch(pqxx::dbtransaction &tx, const std::string &schema)
{
    const auto role = tx.exec("SELECT rolbypassrls, pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles "
                              "WHERE rolname = "
        + tx.quote(kSearchRole));
    if (role.empty() || !role[0][0].as<bool>() || !role[0][1].as<bool>())
        return searchRoleAdvice(tx);
    const std::string function = quoteIdent(schema) + ".search_match(integer, text, integer)";
    // Made again when the table is new (the function names it, PostgreSQL does not know it does)
    // or the function is another version's.
    const std::string body = searchMatchBody(tx, schema);
    const auto made = tx.exec("SELECT pg_get_userbyid(proowner) = " + tx.quote(kSearchRole)
        + " AND has_table_privilege(proowner, " + tx.quote(quoteIdent(schema) + ".span_search")
        + ", 'SELECT') AND has_function_privilege(oid, 'EXECUTE') AND prosecdef AND provolatile = 'v' AND prosrc = "
        + tx.quote(body) + " FROM pg_proc WHERE oid = to_regprocedure(" + tx.quote(function) + ")");
    if (!made.empty() && made[0][0].as<bool>())
        return {};
    const std::string searchRole = quoteIdent(kSearchRole);
    try {
        pqxx::subtransaction sub(tx, "search_match");
        sub.exec("CREATE OR REPLACE FUNCTION " + quoteIdent(schema)
            + ".search_match(field integer, pattern text, max_rows integer) RETURNS SETOF bytea LANGUAGE plpgsql "
              "SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS "
            + sub.quote(body));
        sub.exec("REVOKE ALL ON FUNCTION " + function + " FROM PUBLIC");
        // The owner reads the table; it may create in the schema only while it is made the owner.
        sub.exec("GRANT USAGE, CREATE ON SCHEMA " + quoteIdent(schema) + " TO " + searchRole);
        sub.exec("GRANT SELECT ON " + quoteIdent(schema) + ".span_search TO " + searchRole);
        sub.exec("ALTER FUNCTION " + function + " OWNER TO " + searchRole);
        sub.exec("REVOKE CREATE ON SCHEMA " + quoteIdent(schema) + " FROM " + searchRole);
        sub.exec("GRANT EXECUTE ON FUNCTION " + function + " TO CURRENT_USER");
        sub.commit();
    } catch (const pqxx::sql_error &e) {
        return "the search function could not be made as role " + std::string(kSearchRole) + " ("
            + std::string(core::trimWhitespace(e.what())) + "); content search reads every span";
    }
    return {};
}

std::optional<std::set<core::TraceId>> candidateTraces(
    pqxx::transaction_base &tx, const SearchNode &n, int most, bool &many)
{
    switch (n.type) {
    case SearchNode::Type::Term: {
        const int field = textField(n.field);
        if (field < 0 || core::utf8Length(n.text) < 3)
            return std::nullopt; // status:, kind:, or too short for a trigram
        const auto rows = run(tx, "SELECT t FROM search_match($1::integer, $2, $3::integer) t",
            { std::to_string(field), likeContains(n.text), std::to_string(std::int64_t(most) + 1) });
        if (rows.size() > static_cast<std::size_t>(most) || (!rows.empty() && rows[0][0].is_null())) {
            many = true;
            return std::nullopt;
        }
        return traceIdsIn(rows);
    }
    case SearchNode::Type::Not: return std::nullopt;
    case SearchNode::Type::And: {
        // Any kid's traces hold every match; those of all kids that have them, the fewest.
        std::optional<std::set<core::TraceId>> out;
        for (const SearchNode &k : n.kids) {
            auto kid = candidateTraces(tx, k, most, many);
            if (!kid)
                continue;
            if (!out) {
                out = std::move(kid);
            } else {
                std::erase_if(*out, [&](const core::TraceId &t) { return !kid->count(t); });
            }
            if (out->empty())
                break;
        }
        return out;
    }
    case SearchNode::Type::Or: {
        std::set<core::TraceId> out;
        for (const SearchNode &k : n.kids) {
            auto kid = candidateTraces(tx, k, most, many);
            if (!kid)
                return std::nullopt;
            out.merge(*kid);
            if (out.size() > static_cast<std::size_t>(most)) {
                many = true;
                return std::nullopt;
            }
        }
        return out;
    }
    }
    return std::nullopt;
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
