// SPDX-License-Identifier: MIT
#include "store/postgresstore.h"
#include "store/newspans.h"
#include "store/rolluprows.h"
#include "store/spanrow.h"
#include "store/toolfailures.h"
#include "store/tracedelta.h"

#include "core/spanjson.h"
#include "core/text.h"
#include "store/cursor.h"
#include "store/migrations.h"
#include "store/postgressearch.h"
#include "store/postgresutil.h"
#include "store/rollup.h"
#include "store/tracelistsql.h"
#include "store/traceorder.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <unordered_set>

namespace agentops::store {

using core::Span;
using core::TraceSummary;
using namespace pg;

namespace {

/// The schema version this build writes: the number of migration steps.
int latestVersion()
{
    return static_cast<int>(postgresMigrations().size());
}

/// Spans the indexer takes in one transaction.
constexpr int kIndexBatch = 500;

bool validSchemaName(const std::string &s)
{
    if (s.empty() || s.size() > 63 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    return std::all_of(
        s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

} // namespace

namespace pg {

// Columns of a summary row, in the order readSummary expects.
const char *const kSummaryColumns
    = "id, trace_id, root_span_id, name, service, start_ns, end_ns, span_count, error_count, tok_input, "
      "tok_output, "
      "tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, models, session_id, "
      "user_id, priced_spans";
const int kSummaryColumnCount = 21;

TraceSummary readSummary(const pqxx::row &r)
{
    TraceSummary t;
    unbytea(r[1], t.trace_id);
    core::SpanId root {};
    if (unbytea(r[2], root))
        t.root_span_id = core::toHex(root);
    t.name = text(r[3]);
    t.service_name = text(r[4]);
    t.start_ns = i64(r[5]);
    t.end_ns = i64(r[6]);
    t.span_count = i64(r[7]);
    t.error_count = i64(r[8]);
    t.input_tokens = i64(r[9]);
    t.output_tokens = i64(r[10]);
    t.total_tokens = i64(r[11]);
    t.cache_read_tokens = i64(r[12]);
    t.cache_write_tokens = i64(r[13]);
    t.reasoning_tokens = i64(r[14]);
    t.cost_usd = dbl(r[15]);
    t.unpriced_spans = i64(r[16]);
    forEachSetItem(textView(r[17]), [&](std::string_view model) { t.models.emplace_back(model); });
    t.session_id = text(r[18]);
    t.user_id = text(r[19]);
    t.priced_spans = i64(r[20]);
    return t;
}

pqxx::result run(pqxx::transaction_base &tx, const std::string &sql, const std::vector<std::string> &params)
{
    // Bytes that are not UTF-8 in a filter are replaced as they are in stored text, not an error.
    if (!std::all_of(params.begin(), params.end(), [](const std::string &p) { return isValidUtf8(p); })) {
        std::vector<std::string> valid;
        valid.reserve(params.size());
        for (const auto &p : params)
            valid.push_back(validUtf8(p));
        return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(valid));
    }
    return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
}

} // namespace pg

namespace {

/// Marks the tool spans whose failure a batch's model calls report (store/toolfailures.h) and adds
/// what changes to the trace summaries and to `rollups`; `marked` keeps the spans the rollups' keys
/// point into.
void markToolFailures(pqxx::transaction_base &tx, const std::vector<const Span *> &calls, rollup::BatchRollup &rollups,
    std::deque<Span> &marked, PendingReports &pending, bool search)
{
    std::vector<std::size_t> markedRows;
    for (const auto &lookup : toolResultLookups(calls)) {
        const Span &call = *lookup.call;
        const std::string trace = bytea(call.trace_id);
        const auto previous = run(tx,
            "SELECT max(start_ns) FROM spans WHERE trace_id = $1 AND day = (SELECT day FROM traces WHERE trace_id = "
            "$1) AND kind = $2::int AND span_id <> $3 AND start_ns < $4::bigint",
            { trace, std::to_string(static_cast<int>(core::SpanKind::Llm)), bytea(call.span_id),
                std::to_string(call.start_ns) });
        const std::int64_t after = previous[0][0].is_null() ? INT64_MIN : i64(previous[0][0]) - kClockSlackNs;
        const auto rows = run(tx, R"sql(
SELECT id, span_id, name, start_ns, end_ns, service, request_model, response_model, agent_name, status,
    coalesce(input, '') <> '', coalesce(output, '') <> '', attributes
FROM spans WHERE trace_id = $1 AND day = (SELECT day FROM traces WHERE trace_id = $1) AND kind = $2::int
    AND tool_name = $3 AND start_ns >= $4::bigint AND start_ns <= $5::bigint
ORDER BY start_ns, id LIMIT 1000)sql",
            { trace, std::to_string(static_cast<int>(core::SpanKind::Tool)), lookup.tool, std::to_string(after),
                std::to_string(call.start_ns + kClockSlackNs) });
        std::vector<ToolSpanRow> candidates;
        for (const auto &r : rows) {
            ToolSpanRow row;
            row.id = i64(r[0]);
            unbytea(r[1], row.span.span_id);
            row.span.trace_id = call.trace_id;
            row.span.kind = core::SpanKind::Tool;
            row.span.name = text(r[2]);
            row.span.start_ns = i64(r[3]);
            row.span.end_ns = i64(r[4]);
            row.span.service_name = text(r[5]);
            row.span.request_model = text(r[6]);
            row.span.response_model = text(r[7]);
            row.span.agent_name = text(r[8]);
            row.span.status = static_cast<core::StatusCode>(i64(r[9]));
            row.hasInput = r[10].as<bool>();
            row.hasOutput = r[11].as<bool>();
            row.callId = toolCallIdOf(textView(r[12]));
            candidates.push_back(std::move(row));
        }
        std::size_t unpaired = 0;
        const auto updates = pairResults(lookup, candidates, markedRows, unpaired);
        if (unpaired > 0)
            pending.keep(call);
        if (updates.empty())
            continue;
        ArrayBuilder ids, messages, inputs, outputs;
        for (const auto &u : updates) {
            ids.i64(u.id);
            messages.text(u.message);
            inputs.textOrNull(u.input);
            outputs.text(u.output);
        }
        run(tx,
            "UPDATE spans s SET status = 2, status_message = u.message, input = CASE WHEN coalesce(s.input, '') = "
            "'' "
            "THEN u.input ELSE s.input END, output = u.output FROM unnest($1::bigint[], $2::text[], $3::text[], "
            "$4::text[]) AS u(id, message, input, output) WHERE s.id = u.id AND s.day = (SELECT day FROM traces "
            "WHERE trace_id = $5)",
            { ids.finish(), messages.finish(), inputs.finish(), outputs.finish(), trace });
        if (search)
            queueSearchText(tx, ids.finish()); // what the spans say changed: status, message, result
        run(tx, "UPDATE traces SET error_count = error_count + $2::bigint WHERE trace_id = $1",
            { trace, std::to_string(updates.size()) });
        for (const std::size_t k : markedRows)
            rollups.addFailure(marked.emplace_back(std::move(candidates[k].span)));
    }
}

using SpanRollupKey = std::tuple<std::int64_t, std::int64_t, int, std::string, std::string, std::string>;

SpanRollupKey spanRollupKey(const rollup::SpanKey &k)
{
    return { k.res / rollup::kSecondNs, k.t, k.kind, std::string(k.model), std::string(k.service),
        std::string(k.agent) };
}

/// The stored latency histograms of these span_rollup rows, by key.
std::map<SpanRollupKey, std::string> storedLatencies(
    pqxx::transaction_base &tx, const std::map<rollup::SpanKey, rollup::SpanAgg> &rows)
{
    std::map<SpanRollupKey, std::string> out;
    if (rows.empty())
        return out;
    ArrayColumns keys(6);
    for (const auto &[k, a] : rows)
        rollup::spanKeyColumns(keys.row(), k);
    const auto r = run(tx,
        "SELECT r.res, r.t, r.kind, r.model, r.service, r.agent, r.latency FROM span_rollup r "
        "JOIN unnest($1::int[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[]) "
        "AS k(res, t, kind, model, service, agent) USING (res, t, kind, model, service, agent)",
        keys.finish());
    for (const auto &row : r)
        out.emplace(SpanRollupKey { i64(row[0]), i64(row[1]), static_cast<int>(i64(row[2])), text(row[3]), text(row[4]),
                        text(row[5]) },
            unbytea(row[6]));
    return out;
}

/// Adds (sign 1) or removes (sign -1) a batch's span_rollup rows; a row whose last span is removed
/// goes. Runs under the writer lock, so the histograms read here are the ones the upsert replaces.
void applySpanRollups(pqxx::transaction_base &tx, const rollup::BatchRollup &rollups, int sign)
{
    if (rollups.spans().empty())
        return;
    const auto stored = storedLatencies(tx, rollups.spans());
    ArrayColumns rows(17);
    ArrayColumns gone(6); // keys whose last span is removed
    for (const auto &[k, a] : rollups.spans()) {
        rollup::Histogram merged;
        const auto it = stored.find(spanRollupKey(k));
        if (it != stored.end() && !merged.mergeEncoded(it->second.data(), it->second.size()))
            throw StoreError("span_rollup: latency is not a histogram");
        if (sign > 0)
            merged.merge(a.latency);
        else
            merged.subtract(a.latency);
        if (merged.empty() && sign < 0) {
            rollup::spanKeyColumns(gone.row(), k);
            continue;
        }
        rollup::spanKeyColumns(rows.row(), k);
        rollup::spanSumColumns(rows, a, merged.encode(), sign);
    }
    run(tx, R"sql(
INSERT INTO span_rollup AS r(res, t, kind, model, service, agent, spans, error_spans, tok_input, tok_output,
    tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency, priced_spans)
SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[],
    $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::float8[],
    $15::bigint[], $16::bytea[], $17::bigint[])
ON CONFLICT(res, t, kind, model, service, agent) DO UPDATE SET
    spans = r.spans + excluded.spans,
    error_spans = r.error_spans + excluded.error_spans,
    tok_input = r.tok_input + excluded.tok_input,
    tok_output = r.tok_output + excluded.tok_output,
    tok_cache_read = r.tok_cache_read + excluded.tok_cache_read,
    tok_cache_write = r.tok_cache_write + excluded.tok_cache_write,
    tok_reasoning = r.tok_reasoning + excluded.tok_reasoning,
    cost_usd = r.cost_usd + excluded.cost_usd,
    unpriced_spans = r.unpriced_spans + excluded.unpriced_spans,
    priced_spans = r.priced_spans + excluded.priced_spans,
    latency = excluded.latency)sql",
        rows.finish());
    if (sign < 0)
        run(tx,
            "DELETE FROM span_rollup r USING unnest($1::int[], $2::bigint[], $3::int[], $4::text[], "
            "$5::text[], $6::text[]) AS k(res, t, kind, model, service, agent) WHERE (r.res, r.t, r.kind, "
            "r.model, r.service, r.agent) = (k.res, k.t, k.kind, k.model, k.service, k.agent)",
            gone.finish());
}

/// What is left of the error_rollup rows removal took errors from (`removed`: the rows as the update
/// returned them): a row left with none goes. When the latest error of a row was among those taken,
/// the latest remaining one is looked up: it belongs to a trace that started before the row's bucket
/// ends and ended after it begins, and as the oldest traces go first those are few. Ties go to the
/// span stored first, as the writer's upsert keeps the earlier example.
void settleErrorRollups(pqxx::transaction_base &tx, const pqxx::result &removed)
{
    for (const auto &row : removed) {
        const std::vector<std::string> key { row[0].c_str(), row[1].c_str(), text(row[2]), text(row[3]), text(row[4]),
            text(row[5]) };
        const char *where = " WHERE res = $1::int AND t = $2::bigint AND name = $3 AND message = $4 AND service = $5 "
                            "AND model = $6";
        if (i64(row[6]) <= 0) {
            run(tx, std::string("DELETE FROM error_rollup") + where, key);
            continue;
        }
        if (i64(row[8]) < i64(row[7]))
            continue; // the latest error stays
        auto p = key;
        p.push_back(std::to_string(i64(row[1]) + i64(row[0]) * rollup::kSecondNs));
        const auto latest = run(tx, R"sql(
SELECT s.start_ns, s.trace_id FROM traces t CROSS JOIN spans s
WHERE $1::int > 0 AND t.start_ns < $7::bigint AND t.end_ns >= $2::bigint AND t.error_count > 0
    AND s.trace_id = t.trace_id AND s.day = t.day AND s.status = 2 AND s.start_ns >= $2::bigint AND s.start_ns < $7::bigint
    AND s.name = $3 AND coalesce(s.status_message, '') = $4 AND coalesce(s.service, '') = $5
    AND coalesce(nullif(s.response_model, ''), s.request_model, '') = $6
ORDER BY s.start_ns DESC, s.id LIMIT 1)sql",
            p);
        if (latest.empty()) { // the row counted spans that are not stored: nothing to point at
            run(tx, std::string("DELETE FROM error_rollup") + where, key);
            continue;
        }
        p.pop_back();
        p.emplace_back(latest[0][0].c_str());
        p.emplace_back(latest[0][1].c_str());
        run(tx, std::string("UPDATE error_rollup SET last_seen_ns = $7::bigint, example_trace = $8::bytea") + where, p);
    }
}

/// Adds (sign 1) or removes (sign -1, the spans already deleted) a batch's error_rollup rows.
void applyErrorRollups(pqxx::transaction_base &tx, const rollup::BatchRollup &rollups, int sign)
{
    if (rollups.errors().empty())
        return;
    ArrayColumns rows(9);
    for (const auto &[k, e] : rollups.errors()) {
        rollup::errorKeyColumns(rows.row(), k);
        rollup::errorValueColumns(rows, e, sign);
    }
    if (sign > 0) {
        run(tx, R"sql(
INSERT INTO error_rollup AS r(res, t, name, message, service, model, count, last_seen_ns, example_trace)
SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[],
    $8::bigint[], $9::bytea[])
ON CONFLICT(res, t, name, message, service, model) DO UPDATE SET
    count = r.count + excluded.count,
    example_trace = CASE WHEN excluded.last_seen_ns > r.last_seen_ns THEN excluded.example_trace
                         ELSE r.example_trace END,
    last_seen_ns = greatest(r.last_seen_ns, excluded.last_seen_ns))sql",
            rows.finish());
        return;
    }
    // Removal: counts minus the deleted errors, then what is left of each row.
    const auto removed = run(tx, R"sql(
UPDATE error_rollup r SET count = r.count + k.count
FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
    $9::bytea[]) AS k(res, t, name, message, service, model, count, last_seen_ns, example_trace)
WHERE (r.res, r.t, r.name, r.message, r.service, r.model) = (k.res, k.t, k.name, k.message, k.service, k.model)
RETURNING r.res, r.t, r.name, r.message, r.service, r.model, r.count, r.last_seen_ns, k.last_seen_ns)sql",
        rows.finish());
    settleErrorRollups(tx, removed);
}

/// Adds (sign 1) or removes (sign -1) a batch's rollup rows.
void applyRollups(pqxx::transaction_base &tx, rollup::BatchRollup &rollups, int sign)
{
    rollups.finish();
    applySpanRollups(tx, rollups, sign);
    applyErrorRollups(tx, rollups, sign);
}

} // namespace

namespace pg {

HandlePolicy::handle HandlePolicy::do_startconnect(handle orig)
{
    m_handle = connect_direct::do_startconnect(orig);
    return m_handle;
}

HandlePolicy::handle HandlePolicy::do_dropconnect(handle orig) noexcept
{
    m_handle = nullptr;
    return connect_direct::do_dropconnect(orig);
}

} // namespace pg

PostgresStore::Connection::Connection(const std::string &conninfo, const std::string &schema)
    : db(conninfo)
{
    // A transparently re-opened connection would lose the search_path: a broken one is dropped and
    // replaced by the pool instead.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    db.inhibit_reactivation(true);
#pragma GCC diagnostic pop
    pqxx::nontransaction tx(db);
    tx.exec("SET search_path TO " + quoteIdent(schema));
    // The project the session's rows belong to, which the row-level security policies of every
    // table of the schema compare with (migration 5); for the whole session, as search_path.
    tx.exec("SELECT set_config('agentops.project', " + tx.quote(schema) + ", false)");
}

PostgresStore::PostgresStore(const std::string &conninfo)
    : PostgresStore(conninfo, Options {})
{ }

PostgresStore::PostgresStore(const std::string &conninfo, Options options)
    : m_conninfo(conninfo)
    , m_options(std::move(options))
{
    if (!validSchemaName(m_options.schema))
        throw StoreError("schema \"" + m_options.schema
            + "\": use 1-63 lower-case letters, digits and _, not starting with a digit");
    if (m_options.pool_size < 1)
        throw StoreError("pool size: must be at least 1");
    try {
        m_writer = std::make_unique<Connection>(m_conninfo, m_options.schema);
        migrate(*m_writer);
    } catch (const pqxx::failure &e) {
        throw StoreError("cannot open PostgreSQL store (schema " + m_options.schema + "): " + e.what());
    }
    if (m_options.search)
        m_indexer = std::thread([this] { runIndexer(); });
}

PostgresStore::~PostgresStore()
{
    {
        std::lock_guard lock(m_indexMutex);
        m_indexStop = true;
    }
    m_indexWake.notify_all();
    m_indexProgressed.notify_all();
    if (m_indexer.joinable())
        m_indexer.join();
}

void PostgresStore::wakeIndexer()
{
    {
        std::lock_guard lock(m_indexMutex);
        ++m_indexRequests;
    }
    m_indexWake.notify_all();
}

void PostgresStore::runIndexer()
{
    SearchMemory memory;
    std::unique_ptr<Connection> c;
    std::unique_lock lock(m_indexMutex);
    while (!m_indexStop) {
        const std::uint64_t asked = m_indexRequests;
        lock.unlock();
        int done = 0;
        std::int64_t behind = 0;
        std::int64_t writtenBefore = 0;
        std::string error;
        try {
            if (!c)
                c = std::make_unique<Connection>(m_conninfo, m_options.schema);
            pqxx::work tx(c->db);
            done = searchIndexStep(tx, m_options.schema, kIndexBatch, memory, m_options.search_takes_writer_lock);
            // Writes go on during a step (only deletions take turns with it): the count sees those
            // committed before it, and the writer's own count adds those committed after.
            lock.lock();
            writtenBefore = m_indexWritten;
            lock.unlock();
            behind = searchLag(tx).behind;
            tx.commit();
        } catch (const std::exception &e) {
            error = e.what();
            done = -1;
            if (c && !c->db.is_open())
                c.reset();
        }
        if (done < 0)
            memory = {}; // rolled back, or indexed by another process meanwhile: what it remembers may be wrong
        lock.lock();
        m_indexError = error;
        if (error.empty())
            m_indexBehind = behind + (m_indexWritten - writtenBefore);
        m_indexProgressed.notify_all();
        if (done > 0)
            continue;
        // Nothing to do, another process's indexer has the schema, or a failure: until the writer
        // stores more, or a while (a failure is tried again).
        m_indexWake.wait_for(
            lock, std::chrono::seconds(error.empty() ? 1 : 5), [&] { return m_indexStop || m_indexRequests != asked; });
    }
}

void PostgresStore::waitForIndexRoom()
{
    if (!m_options.search || m_options.search_max_lag <= 0)
        return;
    std::unique_lock lock(m_indexMutex);
    m_indexProgressed.wait(
        lock, [this] { return m_indexStop || !m_indexError.empty() || m_indexBehind <= m_options.search_max_lag; });
}

PostgresStore::SearchProgress PostgresStore::searchProgress()
{
    SearchProgress p;
    if (!m_options.search)
        return p;
    const SearchLag lag = withReader([](Connection &c) {
        pqxx::read_transaction tx(c.db);
        return searchLag(tx);
    });
    p.lag = lag.total();
    p.behind = lag.behind;
    std::lock_guard lock(m_indexMutex);
    p.error = m_indexError;
    return p;
}

bool PostgresStore::waitForSearchIndex()
{
    std::int64_t last = -1;
    auto progressed = std::chrono::steady_clock::now();
    for (;;) {
        wakeIndexer();
        const std::int64_t lag = searchProgress().lag;
        if (lag == 0)
            return true;
        const auto now = std::chrono::steady_clock::now();
        if (last < 0 || lag < last)
            progressed = now;
        else if (now - progressed > std::chrono::minutes(1))
            return false;
        last = lag;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

int PostgresStore::latestSchemaVersion()
{
    return latestVersion();
}

void PostgresStore::migrate(Connection &c)
{
    // One transaction under an advisory lock: servers starting together over one database migrate
    // one after the other, the later ones finding the work done.
    pqxx::work tx(c.db);
    const std::string schema = quoteIdent(m_options.schema);
    run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kMigrationLock), m_options.schema });
    // Looked up first: CREATE SCHEMA, even IF NOT EXISTS, needs the right to create in the database,
    // which a role given only its own schema does not have.
    if (run(tx, "SELECT 1 FROM pg_namespace WHERE nspname = $1", { m_options.schema }).empty())
        tx.exec("CREATE SCHEMA " + schema);
    tx.exec("CREATE TABLE IF NOT EXISTS " + schema + ".schema_version(version integer NOT NULL)");
    auto r = tx.exec("SELECT version FROM " + schema + ".schema_version");
    int current = 0;
    if (r.empty())
        tx.exec("INSERT INTO " + schema + ".schema_version VALUES(0)");
    else
        current = static_cast<int>(i64(r[0][0]));
    if (current > latestVersion())
        throw StoreError("schema " + m_options.schema + " has version " + std::to_string(current)
            + ", newer than this program understands (" + std::to_string(latestVersion())
            + "); use a newer AgentOps Monitor");
    for (int v = current; v < latestVersion(); ++v) {
        try {
            tx.exec(postgresMigrations()[v].sql);
        } catch (const pqxx::sql_error &e) {
            throw StoreError("migration of schema " + m_options.schema + " to version " + std::to_string(v + 1) + " ("
                + postgresMigrations()[v].name + ") failed: " + e.what());
        }
    }
    if (m_options.search) {
        ensureSearchCursors(tx);
        // Far behind (a schema indexed for the first time, or stored with search off): what is
        // stored now waits until no new spans do, so that ingest does not wait for it. Here, before
        // the writer stores anything more.
        startSearchForward(tx, std::max<std::int64_t>(m_options.search_max_lag / 2, kIndexBatch));
        m_searchIndexError = ensureSearchIndexes(tx);
    }
    tx.exec("UPDATE " + schema + ".schema_version SET version = " + std::to_string(std::max(current, latestVersion())));
    tx.commit();
}

std::string PostgresStore::ensureSearchIndexes(pqxx::dbtransaction &tx)
{
    // pg_trgm's operator classes, from the schema the extension is in: made in public when it may
    // be (shared by every store of the database), else in this store's schema.
    const std::string schema = quoteIdent(m_options.schema);
    auto where = [&tx] {
        const auto r = tx.exec("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                               "WHERE e.extname = 'pg_trgm'");
        return r.empty() ? std::string() : text(r[0][0]);
    };
    std::string extension = where();
    std::string why;
    for (const std::string &target : { std::string("public"), m_options.schema }) {
        if (!extension.empty())
            break;
        try {
            pqxx::subtransaction sub(tx, "pg_trgm");
            sub.exec("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA " + quoteIdent(target));
            sub.commit();
        } catch (const pqxx::sql_error &e) {
            why = core::trimWhitespace(e.what());
        }
        extension = where();
    }
    if (extension.empty())
        return "the pg_trgm extension could not be created (" + why
            + "); content search reads every span. A superuser can run CREATE EXTENSION pg_trgm in this database";
    const std::string ops = quoteIdent(extension) + ".gin_trgm_ops";
    const struct
    {
        const char *name;
        const char *column;
    } indexes[] = {
        { "span_search_text", "search_text" },
        { "span_search_name", "name" },
        { "span_search_tool", "tool" },
        { "span_search_model", "model" },
    };
    for (const auto &index : indexes) {
        // Looked up first: CREATE INDEX IF NOT EXISTS would wait for the table's writers.
        if (!tx.exec("SELECT to_regclass(" + tx.quote(m_options.schema + "." + index.name) + ")")[0][0].is_null())
            continue;
        std::string create = "CREATE INDEX ";
        create.append(index.name).append(" ON ").append(schema).append(".span_search USING gin (");
        create.append(index.column).append(" ").append(ops).append(")");
        tx.exec(create);
    }
    // The policies bind the store's role: the indexes are read through the search role's function.
    const std::string table = tx.quote(m_options.schema + ".span_search");
    if (!tx.exec("SELECT row_security_active(" + table + "::regclass)")[0][0].as<bool>())
        return {};
    std::string unusable = ensureSearchMatch(tx, m_options.schema);
    m_searchMatch = unusable.empty();
    return unusable;
}

int PostgresStore::schemaVersion()
{
    return withReader([](Connection &c) {
        pqxx::nontransaction tx(c.db);
        return static_cast<int>(i64(tx.exec("SELECT version FROM schema_version")[0][0]));
    });
}

std::unique_ptr<PostgresStore::Connection> PostgresStore::acquire(bool wait)
{
    {
        std::unique_lock lock(m_poolMutex);
        const auto ready = [this] { return !m_idle.empty() || m_open < m_options.pool_size; };
        if (!wait && !ready())
            return nullptr;
        m_poolFree.wait(lock, ready);
        if (!m_idle.empty()) {
            auto c = std::move(m_idle.back());
            m_idle.pop_back();
            return c;
        }
        ++m_open;
    }
    try {
        return std::make_unique<Connection>(m_conninfo, m_options.schema);
    } catch (const std::exception &e) {
        {
            std::lock_guard lock(m_poolMutex);
            --m_open;
        }
        m_poolFree.notify_one();
        throw StoreError(std::string("cannot connect to the database: ") + e.what());
    }
}

void PostgresStore::release(std::unique_ptr<Connection> c)
{
    {
        std::lock_guard lock(m_poolMutex);
        if (c)
            m_idle.push_back(std::move(c));
        else
            --m_open;
    }
    m_poolFree.notify_one();
}

namespace {

using ChunkList = std::span<const std::span<const EncodedSpan>>;

/// Stores the batch's resources that are new, deduplicated by hash; the row ids of all, by hash.
std::unordered_map<std::uint64_t, std::int64_t> upsertResources(pqxx::transaction_base &tx, ChunkList chunks)
{
    std::map<std::uint64_t, const EncodedSpan *> resources;
    for (const auto &chunk : chunks)
        for (const EncodedSpan &e : chunk)
            resources.emplace(e.resource_hash, &e);
    std::unordered_map<std::uint64_t, std::int64_t> resourceIds;
    ArrayBuilder hashes, attrs;
    for (const auto &[h, e] : resources) {
        hashes.i64(static_cast<std::int64_t>(h));
        attrs.text(e->resource);
    }
    const std::string hashList = hashes.finish();
    run(tx,
        "INSERT INTO resources(hash, attributes) SELECT * FROM unnest($1::bigint[], $2::text[]) "
        "ON CONFLICT(hash) DO NOTHING",
        { hashList, attrs.finish() });
    for (const auto &row : run(tx, "SELECT id, hash FROM resources WHERE hash = ANY($1::bigint[])", { hashList }))
        resourceIds[static_cast<std::uint64_t>(i64(row[1]))] = i64(row[0]);
    return resourceIds;
}

/// Adds to the summaries of the batch's traces, one upsert for the batch, and to the model index.
void upsertSummaries(pqxx::transaction_base &tx, const std::map<core::TraceId, TraceDelta> &deltas,
    const std::map<core::TraceId, int> &days)
{
    ArrayColumns a(25);
    std::string models, agents;
    for (const auto &[traceId, d] : deltas) {
        joinSet(models, d.models);
        joinSet(agents, d.agents);
        summaryColumns(a.row(), traceId, d, models, agents);
        a.i64(days.at(traceId));
    }
    const auto ids = run(tx, R"sql(
INSERT INTO traces AS t(trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
    duration_ns, span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write,
    tok_reasoning, cost_usd, unpriced_spans, models, session_id, user_id, kinds, agents, priced_spans, day)
SELECT tid, root, name, is_root, name_start, service, s, e, greatest(e - s, 0), spans, errors, tin, tout, ttot, tcr,
    tcw, tre, cost, unpriced, models, session, usr, kinds, agents, priced, day
FROM unnest($1::bytea[], $2::bytea[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::bigint[], $8::bigint[],
    $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[],
    $16::bigint[], $17::float8[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::bigint[], $23::text[],
    $24::bigint[], $25::int[])
    AS u(tid, root, name, is_root, name_start, service, s, e, spans, errors, tin, tout, ttot, tcr, tcw, tre, cost,
         unpriced, models, session, usr, kinds, agents, priced, day)
ON CONFLICT(trace_id) DO UPDATE SET
    root_span_id = coalesce(t.root_span_id, excluded.root_span_id),
    name = CASE WHEN t.name_is_root = 1 THEN t.name WHEN excluded.name_is_root = 1 THEN excluded.name
                WHEN excluded.name_start_ns < t.name_start_ns THEN excluded.name ELSE t.name END,
    service = CASE WHEN t.name_is_root = 1 THEN t.service WHEN excluded.name_is_root = 1 THEN excluded.service
                WHEN excluded.name_start_ns < t.name_start_ns THEN excluded.service ELSE t.service END,
    name_start_ns = CASE WHEN t.name_is_root = 1 THEN t.name_start_ns
                WHEN excluded.name_is_root = 1 THEN excluded.name_start_ns
                WHEN excluded.name_start_ns < t.name_start_ns THEN excluded.name_start_ns ELSE t.name_start_ns END,
    name_is_root = greatest(t.name_is_root, excluded.name_is_root),
    start_ns = least(t.start_ns, excluded.start_ns),
    end_ns = greatest(t.end_ns, excluded.end_ns),
    duration_ns = greatest(greatest(t.end_ns, excluded.end_ns) - least(t.start_ns, excluded.start_ns), 0),
    span_count = t.span_count + excluded.span_count,
    error_count = t.error_count + excluded.error_count,
    tok_input = t.tok_input + excluded.tok_input,
    tok_output = t.tok_output + excluded.tok_output,
    tok_total = t.tok_total + excluded.tok_total,
    tok_cache_read = t.tok_cache_read + excluded.tok_cache_read,
    tok_cache_write = t.tok_cache_write + excluded.tok_cache_write,
    tok_reasoning = t.tok_reasoning + excluded.tok_reasoning,
    cost_usd = t.cost_usd + excluded.cost_usd,
    priced_spans = t.priced_spans + excluded.priced_spans,
    unpriced_spans = t.unpriced_spans + excluded.unpriced_spans,
    models = merge_set(t.models, excluded.models),
    session_id = CASE WHEN t.session_id = '' THEN excluded.session_id ELSE t.session_id END,
    user_id = CASE WHEN t.user_id = '' THEN excluded.user_id ELSE t.user_id END,
    kinds = t.kinds | excluded.kinds,
    agents = merge_set(t.agents, excluded.agents)
RETURNING id, trace_id)sql",
        a.finish());
    std::map<core::TraceId, std::int64_t> rowids;
    for (const auto &row : ids) {
        core::TraceId id {};
        unbytea(row[1], id);
        rowids[id] = i64(row[0]);
    }
    ArrayBuilder model, rowid;
    bool any = false;
    for (const auto &[traceId, d] : deltas)
        for (const auto &m : d.models) {
            model.text(m);
            rowid.i64(rowids.at(traceId));
            any = true;
        }
    if (any)
        run(tx,
            "INSERT INTO trace_models(model, trace_rowid) SELECT * FROM unnest($1::text[], $2::bigint[]) "
            "ON CONFLICT DO NOTHING",
            { model.finish(), rowid.finish() });
}

} // namespace

WriteStats PostgresStore::writeEncoded(std::span<const std::span<const EncodedSpan>> chunks)
{
    if (batchSpans(chunks) == 0)
        return {};
    waitForIndexRoom(); // the lag of content search stays bounded
    const int today = pg::dayOf(now());
    const WriteStats written = withWriter([&](Connection &c) {
        ensurePartitions(c, today);
        WriteStats st;
        pqxx::work tx(c.db);
        // One writer per schema at a time, across processes: summaries and rollups are read-modify-
        // write (histograms), and the single writer is what SqliteStore gives too.
        run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kWriterLock), m_options.schema });

        // Spans: the batch's rows in one COPY, each trace's into the partition of its first day;
        // tells which were new.
        const auto days = traceDays(tx, chunks, today);
        auto fresh = insertSpanRows(tx, c.db.raw(), chunks, upsertResources(tx, chunks), days);
        std::map<core::TraceId, TraceDelta> deltas;
        NewSpans added(m_pendingReports);
        for (const auto &chunk : chunks)
            for (const EncodedSpan &e : chunk) {
                const Span &s = *e.span;
                // The first copy of a span in the batch is the one inserted; later copies are duplicates.
                if (fresh.erase({ s.trace_id, s.span_id })) {
                    ++st.inserted;
                    deltas[s.trace_id].add(s);
                    added.add(s);
                } else {
                    ++st.duplicates;
                }
            }
        const auto &reportingCalls = added.reportingCalls(m_pendingReports);
        if (deltas.empty()) {
            tx.commit();
            return st;
        }
        upsertSummaries(tx, deltas, days);
        std::deque<Span> failedTools;
        markToolFailures(tx, reportingCalls, added.rollups, failedTools, m_pendingReports, m_options.search);
        applyRollups(tx, added.rollups, 1);
        tx.commit();
        return st;
    });
    if (m_options.search && written.inserted > 0) {
        {
            std::lock_guard lock(m_indexMutex);
            m_indexBehind += static_cast<std::int64_t>(written.inserted); // until the indexer counts again
            m_indexWritten += static_cast<std::int64_t>(written.inserted);
        }
        wakeIndexer();
    }
    return written;
}

namespace {

/// The `?` of TraceListSql clauses as `$n` with the parameter's type (every parameter goes as text).
void appendPg(std::string &sql, std::string_view clauses, const std::vector<TraceListSql::Param> &list,
    std::vector<std::string> &params)
{
    std::size_t next = 0;
    for (const char c : clauses) {
        if (c != '?') {
            sql.push_back(c);
            continue;
        }
        const auto &p = list.at(next++);
        switch (p.type) {
        case TraceListSql::Param::Type::Int: params.push_back(std::to_string(p.i)); break;
        case TraceListSql::Param::Type::Double: params.push_back(number(p.d)); break;
        case TraceListSql::Param::Type::Text: params.push_back(p.s); break;
        }
        sql += "$" + std::to_string(params.size());
        sql += p.type == TraceListSql::Param::Type::Int   ? "::bigint"
            : p.type == TraceListSql::Param::Type::Double ? "::float8"
                                                          : "";
    }
}

/// Traces with a span that matches (postgressearch.h).
void contentClause(const SearchQuery &search, std::string &sql, std::vector<TraceListSql::Param> &params)
{
    sql += " AND EXISTS (SELECT 1 FROM span_search s WHERE s.trace_id = traces.trace_id AND "
        + searchConditionSql(*search.condition, params) + ")";
}

/// A search that would run longer is cancelled, as SqliteStore's: same limit, same answer.
constexpr int kSearchDeadlineMs = 10'000;

QueryError searchTooLong()
{
    return QueryError("q: matches too much to list in " + std::to_string(kSearchDeadlineMs / 1000)
        + " s; add words or narrow the time range or other filters");
}

/// Trace ids as a bytea[] parameter.
template<typename Traces>
std::string traceIdArray(const Traces &traces)
{
    ArrayBuilder ids;
    for (const auto &t : traces)
        ids.bytes(t);
    return ids.finish();
}

/// Runs `select` (FROM span_search s, and any joins) over the span rows of `traces` that match
/// condition, then `rest` (ORDER BY ...).
pqxx::result runOverMatches(pqxx::transaction_base &tx, std::string select, const SearchNode &condition,
    const std::vector<core::TraceId> &traces, std::string_view rest = {})
{
    std::vector<TraceListSql::Param> list;
    const std::string where = searchConditionSql(condition, list);
    std::vector<std::string> params { traceIdArray(traces) };
    select += " WHERE s.trace_id = ANY($1::bytea[]) AND ";
    appendPg(select, where, list, params);
    select += rest;
    return run(tx, select, params);
}

/// Where each trace matched: its first span (in the order stored) that matches, and the snippet.
std::vector<SearchHit> searchHits(
    pqxx::transaction_base &tx, const SearchNode &condition, const std::vector<core::TraceId> &traces)
{
    std::vector<SearchHit> hits(traces.size());
    if (traces.empty())
        return hits;
    std::map<core::TraceId, std::size_t> at;
    for (std::size_t i = 0; i < traces.size(); ++i)
        at.emplace(traces[i], i);
    for (const auto &row : runOverMatches(tx,
             "SELECT DISTINCT ON (s.trace_id) s.trace_id, p.span_id, s.name, s.search_text FROM span_search s "
             "JOIN spans p ON p.id = s.span_rowid",
             condition, traces, " ORDER BY s.trace_id, s.span_rowid")) {
        core::TraceId id {};
        unbytea(row[0], id);
        const auto it = at.find(id);
        if (it == at.end())
            continue;
        SearchHit &hit = hits[it->second];
        hit = searchHitFrom(textView(row[3]), condition);
        core::SpanId span {};
        if (unbytea(row[1], span))
            hit.span_id = core::toHex(span);
        hit.span_name = text(row[2]);
        if (hit.snippet.empty())
            hit.snippet = hit.span_name;
    }
    return hits;
}

} // namespace

namespace {

/// The most distinct trace names the name filter walks before it reads the summaries instead.
constexpr int kMaxNameWalk = 1000;

/// The distinct trace names that match a LIKE pattern (any case), walked in order through
/// traces_by_name, a probe a name; nothing when there are more than kMaxNameWalk names.
std::optional<std::vector<std::string>> namesLike(pqxx::transaction_base &tx, const std::string &pattern)
{
    const auto rows = run(tx, R"sql(
WITH RECURSIVE n(name, k) AS (
    (SELECT name, 1 FROM traces ORDER BY name LIMIT 1)
    UNION ALL
    SELECT (SELECT t.name FROM traces t WHERE t.name > n.name ORDER BY t.name LIMIT 1), n.k + 1 FROM n
    WHERE n.name IS NOT NULL AND n.k <= $2::int)
SELECT name, k FROM n WHERE name IS NOT NULL AND (k > $2::int OR name ILIKE $1 ESCAPE '\'))sql",
        { pattern, std::to_string(kMaxNameWalk) });
    std::vector<std::string> names;
    for (const auto &row : rows) {
        if (i64(row[1]) > kMaxNameWalk)
            return std::nullopt; // more names than the walk takes
        names.push_back(text(row[0]));
    }
    return names;
}

/// A name pattern's matching names as an array literal, or nothing where they are too many to walk.
using NamesOfPatterns = std::map<std::string, std::optional<std::string>>;

/// The list's name filters (name ILIKE ?) as name = ANY(the names that match): equality can be an
/// index condition under row-level security, ILIKE cannot (migration 8). Unchanged where the names
/// are too many to walk. Patterns already in known are not walked again (the names cannot change
/// within one snapshot), and those walked are added to it.
void namesByIndex(pqxx::transaction_base &tx, TraceListSql &list, NamesOfPatterns &known)
{
    static const std::string like = " AND name ILIKE ? ESCAPE '\\'";
    static const std::string any = " AND name = ANY(?::text[])";
    for (std::size_t at = list.clauses.find(like); at != std::string::npos; at = list.clauses.find(like, at + 1)) {
        const auto param = static_cast<std::size_t>(std::count(list.clauses.begin(), list.clauses.begin() + at, '?'));
        const std::string &pattern = list.params.at(param).s;
        auto it = known.find(pattern);
        if (it == known.end()) {
            std::optional<std::string> array;
            if (const auto names = namesLike(tx, pattern)) {
                ArrayBuilder builder;
                for (const auto &name : *names)
                    builder.text(name);
                array = builder.finish();
            }
            it = known.emplace(pattern, std::move(array)).first;
        }
        if (!it->second)
            continue;
        list.params[param].s = *it->second;
        list.clauses.replace(at, like.size(), any);
    }
}

/// The traces of `traces` with a span that matches condition.
std::set<core::TraceId> tracesMatching(
    pqxx::transaction_base &tx, const SearchNode &condition, const std::vector<core::TraceId> &traces)
{
    if (traces.empty())
        return {};
    return traceIdsIn(runOverMatches(tx, "SELECT DISTINCT s.trace_id FROM span_search s", condition, traces));
}

/// Whether every span that matches n has failed (status:error in each branch): the partial index
/// of failed spans then leads the planner, whose statistics of the status the policies do not hide.
bool onlyFailed(const SearchNode &n)
{
    switch (n.type) {
    case SearchNode::Type::Term: return n.field == "status" && n.text == "error";
    case SearchNode::Type::Not: return false;
    case SearchNode::Type::And: return std::any_of(n.kids.begin(), n.kids.end(), onlyFailed);
    case SearchNode::Type::Or: return !n.kids.empty() && std::all_of(n.kids.begin(), n.kids.end(), onlyFailed);
    }
    return false;
}

/// The first rows a stretch of the walk reads, and the most.
constexpr std::int64_t kFirstStretch = 64;
constexpr std::int64_t kLongestStretch = 4096;

/// The page of a content search whose terms are in many spans, where row-level security keeps the
/// planner from knowing it (it assumes few, and reads every span_search row): the list is read in
/// its order, without the content clause, a stretch at a time (each twice as long as the last, row
/// ids and sort keys only), and the traces of each stretch are tried at once, until the page and
/// the row after it are found; then the summaries of the page are read.
TracePage walkSearch(pqxx::transaction_base &tx, const TraceQuery &query, const TraceListSql &page)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kSearchDeadlineMs);
    std::vector<Cursor> found; // the page's rows and the one after it, in order
    NamesOfPatterns names; // walked once for the whole search
    TraceQuery stretch = query;
    for (std::int64_t rows = kFirstStretch; found.size() <= static_cast<std::size_t>(page.limit);
         rows = std::min(2 * rows, kLongestStretch)) {
        TraceListSql list = buildTraceListSql(stretch, "ILIKE", contentClause).replaceContent("", "");
        list.setLimit(rows);
        namesByIndex(tx, list, names);
        std::string sql = "SELECT id, trace_id, " + list.column + " FROM traces WHERE true";
        std::vector<std::string> params;
        appendPg(sql, list.clauses, list.params, params);
        const auto read = run(tx, sql, params);
        std::vector<core::TraceId> ids(read.size());
        for (std::size_t i = 0; i < read.size(); ++i)
            unbytea(read[static_cast<pqxx::result::size_type>(i)][1], ids[i]);
        const auto matching = tracesMatching(tx, *page.condition, ids);
        Cursor last;
        last.tag = list.tag;
        for (std::size_t i = 0; i < read.size() && found.size() <= static_cast<std::size_t>(page.limit); ++i) {
            const auto &row = read[static_cast<pqxx::result::size_type>(i)];
            last.rowid = i64(row[0]);
            last.ikey = list.doubleKey ? 0 : i64(row[2]);
            last.dkey = list.doubleKey ? dbl(row[2]) : 0;
            if (matching.count(ids[i]))
                found.push_back(last);
        }
        if (read.size() < static_cast<std::size_t>(rows))
            break; // the end of the list
        if (std::chrono::steady_clock::now() > deadline)
            throw searchTooLong();
        stretch.cursor = last.encode();
    }
    ArrayBuilder rowids;
    for (const Cursor &c : found)
        rowids.i64(c.rowid);
    std::map<std::int64_t, TraceSummary> summaries;
    for (const auto &row :
        run(tx, std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE id = ANY($1::bigint[])",
            { rowids.finish() }))
        summaries.emplace(i64(row[0]), readSummary(row));
    TracePager pager(page);
    for (const Cursor &c : found) {
        if (!pager.room())
            break;
        pager.add(std::move(summaries.at(c.rowid)), c.rowid, c.ikey, c.dkey);
    }
    return pager.take();
}

/// The page of a listing, as one query.
TracePage listPage(pqxx::transaction_base &tx, TraceListSql &list)
{
    NamesOfPatterns names;
    namesByIndex(tx, list, names);
    std::string sql = std::string("SELECT ") + kSummaryColumns + ", " + list.column + " FROM traces WHERE true";
    std::vector<std::string> params;
    appendPg(sql, list.clauses, list.params, params);
    TracePager pager(list);
    for (const auto &row : run(tx, sql, params)) {
        if (!pager.room())
            break;
        pager.add(readSummary(row), i64(row[0]), list.doubleKey ? 0 : i64(row[kSummaryColumnCount]),
            list.doubleKey ? dbl(row[kSummaryColumnCount]) : 0);
    }
    return pager.take();
}

/// A content search where row-level security binds the store's role and search_match can be had:
/// when its terms narrow the list down to few traces, the list keeps only those (still applying
/// the whole condition to their spans). Returns whether to walk the list instead (walkSearch): a
/// term is in many spans and nothing narrows it down, and not every match is a failed span.
bool narrowSearch(pqxx::transaction_base &tx, const TraceQuery &query, TraceListSql &list, int most)
{
    bool many = false;
    const auto found = candidateTraces(tx, *list.condition, most, many);
    if (!found)
        return many && !onlyFailed(*list.condition);
    const TraceListSql::Param among { TraceListSql::Param::Type::Text, 0, 0, traceIdArray(*found) };
    list = buildTraceListSql(query, "ILIKE", [&](const SearchQuery &search, std::string &sql, auto &params) {
        sql += " AND trace_id = ANY(?::bytea[])";
        params.push_back(among);
        contentClause(search, sql, params);
    });
    return false;
}

} // namespace

TracePage PostgresStore::listTraces(const TraceQuery &query)
{
    const TraceListSql built
        = buildTraceListSql(query, "ILIKE", m_options.search ? ContentFilter(contentClause) : ContentFilter());
    return withReader([&](Connection &c) {
        // One snapshot: the names that match are those of the summaries listed.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.db);
        TraceListSql list = built;
        if (list.condition)
            tx.exec("SET LOCAL statement_timeout = " + std::to_string(kSearchDeadlineMs));
        try {
            const bool walk
                = list.condition && m_searchMatch && narrowSearch(tx, query, list, m_options.search_collect_max);
            TracePage page = walk ? walkSearch(tx, query, list) : listPage(tx, list);
            if (list.condition) {
                std::vector<core::TraceId> ids;
                for (const auto &t : page.traces)
                    ids.push_back(t.trace_id);
                page.hits = searchHits(tx, *list.condition, ids);
            } else if (!query.text.empty()) {
                page.hits.resize(page.traces.size());
            }
            return page;
        } catch (const pqxx::sql_error &e) {
            if (e.sqlstate() == "57014") // query_canceled: the statement timeout
                throw searchTooLong();
            throw;
        }
    });
}

namespace {

/// The spans of trace $1, in the one partition that holds them.
constexpr const char *kOfTrace = "trace_id = $1 AND day = (SELECT day FROM traces WHERE trace_id = $1)";

/// Reads span rows of one trace matching the condition ($1 is the trace id). Without full, the
/// columns only the span details show are left out (TraceLoad::Narrow).
void readSpans(pqxx::transaction_base &tx, PostgresStore::Connection &c, const core::TraceId &id,
    const std::string &where, const std::vector<std::string> &params, bool full, std::vector<Span> &spans)
{
    const std::string sql = std::string("SELECT span_id, parent_span_id, trace_state, name, kind, otel_kind, start_ns, "
                                        "end_ns, status, status_message, service, scope_name, scope_version, "
                                        "request_model, response_model, provider, tok_input, tok_output, tok_total, "
                                        "tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, price_ref, "
                                        "session_id, user_id, ")
        + (full ? "input, output, attributes, events, links, resource_id" : "NULL, NULL, NULL, NULL, NULL, 0")
        + ", dropped, agent_name, tool_name, " + (full ? "payload_refs" : "NULL") + " FROM spans WHERE " + where;
    const auto r = run(tx, sql, params);
    if (full) {
        ArrayBuilder missing;
        std::set<std::int64_t> want;
        for (const auto &row : r) {
            const std::int64_t rid = i64(row[31]);
            if (!c.resourceCache.count(rid) && want.insert(rid).second)
                missing.i64(rid);
        }
        if (!want.empty()) {
            for (const auto &row :
                run(tx, "SELECT id, attributes FROM resources WHERE id = ANY($1::bigint[])", { missing.finish() })) {
                core::Attributes attrs;
                core::attributesFromJson(textView(row[1]), attrs);
                c.resourceCache[i64(row[0])] = std::move(attrs);
            }
        }
    }
    spans.reserve(spans.size() + r.size());
    for (const auto &q : r) {
        Span s;
        s.trace_id = id;
        unbytea(q[0], s.span_id);
        unbytea(q[1], s.parent_span_id);
        s.trace_state = text(q[2]);
        s.name = text(q[3]);
        s.kind = static_cast<core::SpanKind>(i64(q[4]));
        s.otel_kind = static_cast<std::uint8_t>(i64(q[5]));
        s.start_ns = i64(q[6]);
        s.end_ns = i64(q[7]);
        s.status = static_cast<core::StatusCode>(i64(q[8]));
        s.status_message = text(q[9]);
        s.service_name = text(q[10]);
        s.scope_name = text(q[11]);
        s.scope_version = text(q[12]);
        s.request_model = text(q[13]);
        s.response_model = text(q[14]);
        s.provider = text(q[15]);
        readTokens(q, 16, s.tokens);
        if (!q[22].is_null())
            s.cost_usd = dbl(q[22]);
        s.price_ref = text(q[23]);
        s.session_id = text(q[24]);
        s.user_id = text(q[25]);
        s.input = text(q[26]);
        s.output = text(q[27]);
        restoreAttributes(textView(q[28]), textView(q[35]), s, s.attributes);
        core::eventsFromJson(textView(q[29]), s.events);
        core::linksFromJson(textView(q[30]), s.links);
        if (full) {
            const auto it = c.resourceCache.find(i64(q[31]));
            if (it != c.resourceCache.end())
                s.resource = it->second;
        }
        const std::int64_t dropped = i64(q[32]);
        s.dropped_attributes = static_cast<std::uint32_t>(dropped & 0x1FFFFF);
        s.dropped_events = static_cast<std::uint32_t>(dropped >> 21 & 0x1FFFFF);
        s.dropped_links = static_cast<std::uint32_t>(dropped >> 42 & 0x1FFFFF);
        s.agent_name = text(q[33]);
        s.tool_name = text(q[34]);
        spans.push_back(std::move(s));
    }
}

} // namespace

std::optional<TraceDetail> PostgresStore::trace(const core::TraceId &id, TraceLoad load)
{
    return withReader([&](Connection &c) -> std::optional<TraceDetail> {
        // One snapshot: the summary and the spans agree.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c.db);
        const std::string key = bytea(id);
        const auto sum
            = run(tx, std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE trace_id = $1", { key });
        if (sum.empty())
            return std::nullopt;
        TraceDetail d;
        d.summary = readSummary(sum[0]);
        const bool small = d.summary.span_count <= kFullTraceLoadLimit;
        const bool full
            = load == TraceLoad::Full || ((load == TraceLoad::Automatic || load == TraceLoad::Slim) && small);
        d.complete = full;
        std::vector<Span> spans;
        readSpans(tx, c, id, kOfTrace, { key }, full, spans);
        tx.commit();
        orderTree(spans, d.depth, d.orphan);
        if (load == TraceLoad::Slim && !small) // read narrow, held slim
            d.table = SpanTable::fromSpans(spans);
        else
            d.spans = std::move(spans);
        return d;
    });
}

std::optional<core::Span> PostgresStore::span(const core::TraceId &traceId, const core::SpanId &spanId)
{
    return withReader([&](Connection &c) -> std::optional<Span> {
        pqxx::read_transaction tx(c.db);
        std::vector<Span> spans;
        readSpans(tx, c, traceId, std::string(kOfTrace) + " AND span_id = $2", { bytea(traceId), bytea(spanId) }, true,
            spans);
        if (spans.empty())
            return std::nullopt;
        return std::move(spans.front());
    });
}

SessionPage PostgresStore::listSessions(const SessionQuery &query)
{
    if (query.limit < 1 || query.limit > 1000)
        throw QueryError("limit: must be between 1 and 1000");
    std::vector<std::string> params;
    auto param = [&](std::string v) {
        params.push_back(std::move(v));
        return "$" + std::to_string(params.size());
    };
    std::string where = " WHERE session_id <> ''";
    if (query.from_ns)
        where += " AND start_ns >= " + param(std::to_string(*query.from_ns)) + "::bigint";
    if (query.to_ns)
        where += " AND start_ns < " + param(std::to_string(*query.to_ns)) + "::bigint";
    if (!query.user_id.empty())
        where += " AND user_id = " + param(query.user_id);
    std::string having;
    if (!query.cursor.empty()) {
        const auto cursor = Cursor::decode(query.cursor);
        if (!cursor || cursor->tag != "sessions")
            throw QueryError("cursor: not a cursor this server issued for sessions");
        having = " HAVING (max(start_ns), session_id COLLATE \"C\") < (" + param(std::to_string(cursor->ikey))
            + "::bigint, " + param(cursor->skey) + " COLLATE \"C\")";
    }
    const std::string sql
        = "SELECT session_id, max(user_id COLLATE \"C\"), min(start_ns), max(end_ns), count(*), "
          "sum(span_count), sum(error_count), sum(tok_total), sum(cost_usd), max(start_ns), sum(priced_spans), "
          "sum(unpriced_spans) FROM traces"
        + where + " GROUP BY session_id" + having + " ORDER BY max(start_ns) DESC, session_id COLLATE \"C\" DESC LIMIT "
        + param(std::to_string(query.limit + 1));
    return withReader([&](Connection &c) {
        pqxx::read_transaction tx(c.db);
        SessionPage page;
        std::int64_t lastStart = 0;
        for (const auto &row : run(tx, sql, params)) {
            if (static_cast<int>(page.sessions.size()) == query.limit) {
                Cursor cur;
                cur.tag = "sessions";
                cur.ikey = lastStart;
                cur.skey = page.sessions.back().session_id;
                page.next_cursor = cur.encode();
                break;
            }
            SessionSummary ss;
            ss.session_id = text(row[0]);
            ss.user_id = text(row[1]);
            ss.first_start_ns = i64(row[2]);
            ss.last_end_ns = i64(row[3]);
            ss.trace_count = i64(row[4]);
            ss.span_count = i64(row[5]);
            ss.error_count = i64(row[6]);
            ss.total_tokens = i64(row[7]);
            ss.cost_usd = dbl(row[8]);
            lastStart = i64(row[9]);
            ss.priced_spans = i64(row[10]);
            ss.unpriced_spans = i64(row[11]);
            page.sessions.push_back(std::move(ss));
        }
        return page;
    });
}

std::vector<TraceSummary> PostgresStore::sessionTraces(const std::string &session_id)
{
    return withReader([&](Connection &c) {
        pqxx::read_transaction tx(c.db);
        std::vector<TraceSummary> out;
        for (const auto &row : run(tx,
                 std::string("SELECT ") + kSummaryColumns + " FROM traces WHERE session_id = $1 ORDER BY start_ns, id",
                 { session_id }))
            out.push_back(readSummary(row));
        return out;
    });
}

namespace {

/// The fields the rollups are keyed and summed by, of a span that goes, and its resource.
constexpr const char *kRollupColumns
    = "trace_id, name, kind, start_ns, end_ns, status, status_message, service, request_model, response_model, "
      "agent_name, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, "
      "resource_id";

/// The spans of kRollupColumns rows, as far as the rollups read them; adds their resources.
std::vector<Span> rollupSpans(const pqxx::result &rows, std::set<std::int64_t> &resources)
{
    std::vector<Span> spans(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto &q = rows[static_cast<pqxx::result::size_type>(i)];
        Span &s = spans[i];
        unbytea(q[0], s.trace_id);
        s.name = text(q[1]);
        s.kind = static_cast<core::SpanKind>(i64(q[2]));
        s.start_ns = i64(q[3]);
        s.end_ns = i64(q[4]);
        s.status = static_cast<core::StatusCode>(i64(q[5]));
        s.status_message = text(q[6]);
        s.service_name = text(q[7]);
        s.request_model = text(q[8]);
        s.response_model = text(q[9]);
        s.agent_name = text(q[10]);
        readTokens(q, 11, s.tokens);
        if (!q[17].is_null())
            s.cost_usd = dbl(q[17]);
        resources.insert(i64(q[18]));
    }
    return spans;
}

/// Deletes the resources of `ids` that no span uses any more (spans_by_resource makes the check an
/// index probe a partition).
void deleteUnusedResources(pqxx::transaction_base &tx, const std::set<std::int64_t> &ids)
{
    ArrayBuilder list;
    for (const std::int64_t id : ids)
        list.i64(id);
    run(tx,
        "DELETE FROM resources r WHERE r.id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM spans s WHERE "
        "s.resource_id = r.id)",
        { list.finish() });
}

void lockForDeletion(pqxx::transaction_base &tx, const std::string &schema)
{
    run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kWriterLock), schema });
    // The search indexer's step and a deletion take turns (postgresutil.h).
    run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kSearchDeleteLock), schema });
}

} // namespace

std::int64_t PostgresStore::now() const
{
    if (m_options.clock)
        return m_options.clock();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void PostgresStore::ensurePartitions(Connection &c, int today)
{
    // Two days ahead, so that a day's partition is made long before it is needed, and the first
    // batch after midnight never waits to make one.
    constexpr int kDaysAhead = 2;
    const auto now = std::chrono::steady_clock::now();
    if (m_partitionsReady >= today + 1 || (m_partitionsReady >= today && now < m_nextPartitionTry))
        return;
    pqxx::work tx(c.db);
    run(tx, "SELECT pg_advisory_xact_lock($1, hashtext($2))", { std::to_string(kWriterLock), m_options.schema });
    // Making a partition locks spans for a moment, and first waits for everything that reads it: a
    // pg_dump reads it for as long as the dump runs. Not for long then: the days ahead are tried
    // again a minute later. Only today's is needed now; without it the batch fails (503), and the
    // exporter sends it again.
    tx.exec("SET LOCAL lock_timeout = '2s'");
    int ready = today - 1;
    for (int day = today; day <= today + kDaysAhead; ++day) {
        try {
            ensurePartition(tx, m_options.schema, day);
            ready = day;
        } catch (const pqxx::sql_error &e) {
            if (e.sqlstate() != "55P03" || day == today)
                throw;
            break;
        }
    }
    tx.commit();
    m_partitionsReady = ready;
    m_nextPartitionTry = now + std::chrono::minutes(1);
}

namespace {

/// The traces of a partition's days, as a condition with the days' bounds as $1 and $2.
constexpr const char *kOfDays = " FROM traces WHERE day >= $1::int AND day < $2::int";

/// The first partition that can go whole: its days have ended, by the cutoff and by today, and every
/// trace stored under them started before the cutoff (one from a client whose clock runs ahead may
/// not have: that partition waits, the later ones do not).
std::optional<SpanPartition> expiredPartition(pqxx::transaction_base &tx, std::int64_t cutoff_ns, int today)
{
    for (auto &p : spanPartitions(tx)) {
        if (p.to > today || static_cast<std::int64_t>(p.to) * kDayNs > cutoff_ns)
            break; // the oldest first, by their ends
        if (run(tx, std::string("SELECT 1") + kOfDays + " AND start_ns >= $3::bigint LIMIT 1",
                { std::to_string(p.from), std::to_string(p.to), std::to_string(cutoff_ns) })
                .empty())
            return std::move(p);
    }
    return std::nullopt;
}

} // namespace

std::optional<std::size_t> PostgresStore::dropExpiredDay(Connection &c, std::int64_t cutoff_ns)
{
    pqxx::work tx(c.db);
    lockForDeletion(tx, m_options.schema);
    const auto day = expiredPartition(tx, cutoff_ns, dayOf(now()));
    if (!day)
        return std::nullopt;
    const std::vector<std::string> range { std::to_string(day->from), std::to_string(day->to) };
    // Every span of the traces that stay started at or after `keep` (a trace starts with its first
    // span). So each rollup bucket that ends by then counts spans of this day only, and goes whole;
    // from the hour bucket that holds `keep` on, the day's spans are taken away one by one: those of
    // the day's last hour or so, of its long traces, and of the traces stored on it that started
    // before (found through the BRIN index). A trace that stays and started before the day itself
    // (an exporter whose clock read zero, old traces sent late) would have every span of the day read:
    // it started before the cutoff too, so it goes by rows first, and the day after it.
    const auto first
        = run(tx, "SELECT start_ns FROM traces WHERE day < $1::int OR day >= $2::int ORDER BY start_ns LIMIT 1", range);
    const std::int64_t keep = first.empty() ? INT64_MAX : i64(first[0][0]); // INT64_MAX: none stays
    if (keep != INT64_MAX && day->from != INT32_MIN && keep < static_cast<std::int64_t>(day->from) * kDayNs)
        return std::nullopt;
    const std::string table = quoteIdent(day->name);
    std::set<std::int64_t> resources;
    for (const auto &row : tx.exec("SELECT DISTINCT resource_id FROM " + table))
        resources.insert(i64(row[0]));
    // The summaries go first: an error group that loses its latest error looks for the latest one
    // left among the traces that stay (settleErrorRollups).
    run(tx, std::string("DELETE FROM span_search WHERE trace_id IN (SELECT trace_id") + kOfDays + ")", range);
    run(tx, std::string("DELETE FROM trace_models WHERE trace_rowid IN (SELECT id") + kOfDays + ")", range);
    const auto traces = static_cast<std::size_t>(run(tx, std::string("DELETE") + kOfDays, range).affected_rows());
    if (keep != INT64_MAX) {
        // In steps of a bounded number of spans: the memory of a step, not of the day.
        constexpr int kStep = 20'000;
        const std::string from = std::to_string(rollup::floorTo(keep, rollup::kHourNs));
        for (std::int64_t after = 0;;) {
            const auto rows = run(tx,
                std::string("SELECT ") + kRollupColumns + ", id FROM " + table
                    + " WHERE start_ns >= $1::bigint AND id > $2::bigint ORDER BY id LIMIT $3::int",
                { from, std::to_string(after), std::to_string(kStep) });
            if (rows.empty())
                break;
            after = i64(rows[rows.size() - 1][19]);
            const auto late = rollupSpans(rows, resources);
            rollup::BatchRollup gone;
            for (const auto &s : late)
                gone.add(s);
            applyRollups(tx, gone, -1);
        }
    }
    const std::string before
        = keep != INT64_MAX ? " WHERE t + res::bigint * 1000000000 <= " + std::to_string(keep) : std::string();
    tx.exec("DELETE FROM span_rollup" + before);
    tx.exec("DELETE FROM error_rollup" + before);
    // Dropping a partition waits for the readers of spans, and holds up those that come after it:
    // not for long (deleteTracesBefore deletes rows instead, and tries again later).
    tx.exec("SET LOCAL lock_timeout = '5s'");
    tx.exec("DROP TABLE " + table);
    deleteUnusedResources(tx, resources);
    tx.commit();
    return traces;
}

std::size_t PostgresStore::deleteTracesBefore(std::int64_t cutoff_ns, std::size_t max_traces)
{
    if (max_traces == 0)
        return 0;
    // One call stops adding traces once it holds this many spans (it always takes at least one), so
    // a batch of big traces does not hold the writer lock for long.
    constexpr std::int64_t kMaxSpansPerCall = 20'000;
    const bool byDays = m_options.retention_drops_days;
    return withWriter([&](Connection &c) -> std::size_t {
        // A whole day first, however many traces it holds. A day without traces (the days before
        // partitioning, in a new schema; a day whose traces went by rows) is dropped on the way.
        const auto now = std::chrono::steady_clock::now();
        if (byDays && now >= m_dropsPausedUntil) {
            try {
                while (const auto dropped = dropExpiredDay(c, cutoff_ns))
                    if (*dropped > 0)
                        return *dropped;
            } catch (const pqxx::sql_error &e) {
                if (e.sqlstate() != "55P03") // lock_not_available: a long read of spans (a pg_dump)
                    throw;
                m_dropsPausedUntil = now + std::chrono::minutes(15); // rows go meanwhile
            }
        }
        pqxx::work tx(c.db);
        lockForDeletion(tx, m_options.schema);
        // The oldest traces first, so every remaining trace started no earlier than any deleted one.
        // Not those of the day the cutoff is in: they go with their day's partition once the cutoff
        // has passed its end (at most a day later), rather than row by row now.
        const auto candidates = run(tx,
            "SELECT id, trace_id, span_count FROM traces WHERE start_ns < $1 AND day <> $3::int ORDER BY start_ns, id "
            "LIMIT $2",
            { std::to_string(cutoff_ns), std::to_string(std::min<std::size_t>(max_traces, INT64_MAX)),
                std::to_string(byDays ? dayOf(cutoff_ns) : INT32_MIN) });
        ArrayBuilder rowids, traceIds;
        std::size_t victims = 0;
        std::int64_t spanTotal = 0;
        for (const auto &row : candidates) {
            if (victims > 0 && spanTotal + i64(row[2]) > kMaxSpansPerCall)
                break;
            spanTotal += i64(row[2]);
            ++victims;
            rowids.i64(i64(row[0]));
            traceIds.text(text(row[1]));
        }
        if (victims == 0)
            return 0;
        deleteTraceRows(tx, traceIds.finish(), rowids.finish());
        tx.commit();
        return victims;
    });
}

std::size_t PostgresStore::deleteTraceRows(
    pqxx::transaction_base &tx, const std::string &idList, const std::string &rowidList)
{
    // The caller holds the writer's and the search indexer's locks (lockForDeletion).
    std::set<std::int64_t> resources;
    const auto spans = rollupSpans(
        run(tx, std::string("DELETE FROM spans WHERE trace_id = ANY($1::bytea[]) RETURNING ") + kRollupColumns,
            { idList }),
        resources);
    run(tx, "DELETE FROM span_search WHERE trace_id = ANY($1::bytea[])", { idList });
    run(tx, "DELETE FROM trace_models WHERE trace_rowid = ANY($1::bigint[])", { rowidList });
    run(tx, "DELETE FROM traces WHERE id = ANY($1::bigint[])", { rowidList });
    // Filled only now: the rollup's keys point into the spans, which must not move any more.
    rollup::BatchRollup gone;
    for (const auto &s : spans)
        gone.add(s);
    applyRollups(tx, gone, -1);
    deleteUnusedResources(tx, resources);
    return spans.size();
}

namespace {

/// The traces a selection picks, oldest first: id, trace id (bytea text), span count. A session's or
/// user's traces are those whose summary names it and those with a span that does (a scan of the
/// spans: erasure is rare, and an index on them would cost every write).
template<typename Tx>
pqxx::result selectedTraces(Tx &tx, const TraceSelection &selection)
{
    core::TraceId id {};
    checkSelection(selection, id);
    std::string sql = "SELECT id, trace_id, span_count FROM traces WHERE ";
    if (selection.by == TraceSelection::By::Trace)
        return run(tx, sql + "trace_id = $1", { bytea(id) });
    const std::string column = selection.by == TraceSelection::By::Session ? "session_id" : "user_id";
    return run(tx,
        sql + column + " = $1 OR trace_id IN (SELECT trace_id FROM spans WHERE " + column
            + " = $1) ORDER BY start_ns, id",
        { selection.id });
}

} // namespace

std::vector<core::TraceId> PostgresStore::selectTraces(const TraceSelection &selection)
{
    return withReader([&](Connection &c) {
        pqxx::read_transaction tx(c.db);
        std::vector<core::TraceId> out;
        for (const auto &row : selectedTraces(tx, selection)) {
            core::TraceId id {};
            unbytea(row[1], id);
            out.push_back(id);
        }
        return out;
    });
}

EraseStats PostgresStore::erase(const TraceSelection &selection)
{
    core::TraceId checked {};
    checkSelection(selection, checked);
    // DELETE only: the rows' space is reclaimed by (auto)vacuum; PostgreSQL's own WAL, replicas and
    // backups are the operator's to manage (docs/deployment.md).
    return withWriter([&](Connection &c) {
        pqxx::work tx(c.db);
        lockForDeletion(tx, m_options.schema);
        ArrayBuilder rowids, traceIds;
        EraseStats stats;
        for (const auto &row : selectedTraces(tx, selection)) {
            rowids.i64(i64(row[0]));
            traceIds.text(text(row[1]));
            ++stats.traces;
        }
        if (stats.traces > 0)
            stats.spans = deleteTraceRows(tx, traceIds.finish(), rowids.finish());
        tx.commit();
        return stats;
    });
}

bool PostgresStore::ready(std::string &why)
{
    try {
        withReader([](Connection &c) {
            pqxx::nontransaction tx(c.db);
            tx.exec("SELECT version FROM schema_version");
        });
        return true;
    } catch (const std::exception &e) {
        why = e.what();
        return false;
    }
}

std::int64_t PostgresStore::spanCount()
{
    return withReader([](Connection &c) {
        pqxx::nontransaction tx(c.db);
        return i64(tx.exec("SELECT count(*) FROM spans")[0][0]);
    });
}

} // namespace agentops::store
