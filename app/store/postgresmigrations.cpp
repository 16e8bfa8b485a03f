// SPDX-License-Identifier: MIT
// PostgresStore's schema, step by step (store/migrations.h).
#include "store/migrations.h"

#include <iterator>

namespace agentops::store {

namespace {

const Migration kSteps[] = {
    // 1: the layout SqliteStore reached in its schema 4: spans, per-trace summaries, deduplicated
    // resources, the model -> trace index, and the per-minute/per-hour rollups of the dashboard.
    { "spans, trace summaries, resources, rollups",
        R"sql(
CREATE FUNCTION merge_set(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(string_agg(x, chr(31) ORDER BY x COLLATE "C"), '')
    FROM (SELECT DISTINCT x FROM unnest(string_to_array(a, chr(31)) || string_to_array(b, chr(31))) AS u(x)
          WHERE x <> '') s
$f$;
CREATE TABLE resources(
    id bigserial PRIMARY KEY,
    hash bigint NOT NULL UNIQUE,
    attributes text NOT NULL);
CREATE TABLE spans(
    id bigserial PRIMARY KEY,
    trace_id bytea NOT NULL,
    span_id bytea NOT NULL,
    parent_span_id bytea,
    trace_state text,
    name text NOT NULL,
    kind integer NOT NULL,
    otel_kind integer NOT NULL,
    start_ns bigint NOT NULL,
    end_ns bigint NOT NULL,
    status integer NOT NULL,
    status_message text,
    service text,
    scope_name text,
    scope_version text,
    request_model text,
    response_model text,
    provider text,
    tok_input bigint,
    tok_output bigint,
    tok_total bigint,
    tok_cache_read bigint,
    tok_cache_write bigint,
    tok_reasoning bigint,
    cost_usd double precision,
    price_ref text,
    session_id text,
    user_id text,
    input text,
    output text,
    attributes text,
    events text,
    links text,
    resource_id bigint,
    dropped bigint,
    agent_name text,
    tool_name text,
    payload_refs text,
    UNIQUE(trace_id, span_id));
CREATE INDEX spans_by_resource ON spans(resource_id);
CREATE TABLE traces(
    id bigserial PRIMARY KEY,
    trace_id bytea NOT NULL UNIQUE,
    root_span_id bytea,
    name text NOT NULL DEFAULT '',
    name_is_root integer NOT NULL DEFAULT 0,
    name_start_ns bigint NOT NULL DEFAULT 0,
    service text NOT NULL DEFAULT '',
    start_ns bigint NOT NULL,
    end_ns bigint NOT NULL,
    duration_ns bigint NOT NULL DEFAULT 0,
    span_count bigint NOT NULL DEFAULT 0,
    error_count bigint NOT NULL DEFAULT 0,
    tok_input bigint NOT NULL DEFAULT 0,
    tok_output bigint NOT NULL DEFAULT 0,
    tok_total bigint NOT NULL DEFAULT 0,
    tok_cache_read bigint NOT NULL DEFAULT 0,
    tok_cache_write bigint NOT NULL DEFAULT 0,
    tok_reasoning bigint NOT NULL DEFAULT 0,
    cost_usd double precision NOT NULL DEFAULT 0,
    unpriced_spans bigint NOT NULL DEFAULT 0,
    models text NOT NULL DEFAULT '',
    session_id text NOT NULL DEFAULT '',
    user_id text NOT NULL DEFAULT '',
    kinds bigint NOT NULL DEFAULT 0,
    agents text NOT NULL DEFAULT '');
CREATE INDEX traces_by_start ON traces(start_ns);
CREATE INDEX traces_by_session ON traces(session_id, start_ns);
CREATE INDEX traces_by_duration ON traces(duration_ns);
CREATE INDEX traces_by_cost ON traces(cost_usd);
CREATE INDEX traces_by_service ON traces(service, start_ns);
CREATE TABLE trace_models(
    model text NOT NULL,
    trace_rowid bigint NOT NULL,
    PRIMARY KEY(model, trace_rowid));
CREATE INDEX trace_models_by_trace ON trace_models(trace_rowid);
CREATE TABLE span_rollup(
    res integer NOT NULL,
    t bigint NOT NULL,
    kind integer NOT NULL,
    model text NOT NULL,
    service text NOT NULL,
    agent text NOT NULL,
    spans bigint NOT NULL,
    error_spans bigint NOT NULL,
    tok_input bigint NOT NULL,
    tok_output bigint NOT NULL,
    tok_cache_read bigint NOT NULL,
    tok_cache_write bigint NOT NULL,
    tok_reasoning bigint NOT NULL,
    cost_usd double precision NOT NULL,
    unpriced_spans bigint NOT NULL,
    latency bytea NOT NULL,
    PRIMARY KEY(res, t, kind, model, service, agent));
CREATE TABLE error_rollup(
    res integer NOT NULL,
    t bigint NOT NULL,
    name text NOT NULL,
    message text NOT NULL,
    service text NOT NULL,
    model text NOT NULL,
    count bigint NOT NULL,
    last_seen_ns bigint NOT NULL,
    example_trace bytea NOT NULL,
    PRIMARY KEY(res, t, name, message, service, model));
)sql" },
    // 2: what a total counts (core/usage.h), as SqliteStore's schema 7. Agent and chain spans carry
    // the sum of the model calls below them, so their usage and cost no longer count in summaries and
    // rollups; every counting span that used tokens without a price is unpriced (embeddings too); and
    // the number of priced spans is kept, so a total with none has no cost rather than $0.
    { "what a total counts",
        R"sql(
ALTER TABLE traces ADD COLUMN priced_spans bigint NOT NULL DEFAULT 0;
ALTER TABLE span_rollup ADD COLUMN priced_spans bigint NOT NULL DEFAULT 0;
UPDATE traces t SET (tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd,
        priced_spans, unpriced_spans) = (
    SELECT coalesce(sum(s.tok_input), 0), coalesce(sum(s.tok_output), 0),
        coalesce(sum(coalesce(s.tok_total, coalesce(s.tok_input, 0) + coalesce(s.tok_output, 0))), 0),
        coalesce(sum(s.tok_cache_read), 0), coalesce(sum(s.tok_cache_write), 0), coalesce(sum(s.tok_reasoning), 0),
        coalesce(sum(s.cost_usd), 0), count(s.cost_usd),
        count(*) FILTER (WHERE s.cost_usd IS NULL AND coalesce(s.tok_input, s.tok_output, s.tok_total,
            s.tok_cache_read, s.tok_cache_write, s.tok_reasoning) IS NOT NULL)
    FROM spans s WHERE s.trace_id = t.trace_id AND s.kind NOT IN (1, 4));
UPDATE span_rollup SET tok_input = 0, tok_output = 0, tok_cache_read = 0, tok_cache_write = 0, tok_reasoning = 0,
    cost_usd = 0, unpriced_spans = 0, priced_spans = 0
WHERE kind IN (1, 4);
UPDATE span_rollup r SET priced_spans = a.priced, unpriced_spans = a.unpriced
FROM (SELECT w.res, (s.start_ns / w.ns - CASE WHEN s.start_ns % w.ns < 0 THEN 1 ELSE 0 END) * w.ns AS t, s.kind,
          coalesce(nullif(s.response_model, ''), s.request_model, '') AS model, coalesce(s.service, '') AS service,
          coalesce(s.agent_name, '') AS agent, count(s.cost_usd) AS priced,
          count(*) FILTER (WHERE s.cost_usd IS NULL AND coalesce(s.tok_input, s.tok_output, s.tok_total,
              s.tok_cache_read, s.tok_cache_write, s.tok_reasoning) IS NOT NULL) AS unpriced
      FROM spans s CROSS JOIN (VALUES (60, 60000000000::bigint), (3600, 3600000000000::bigint)) AS w(res, ns)
      WHERE s.kind NOT IN (1, 4)
      GROUP BY 1, 2, 3, 4, 5, 6) a
WHERE r.res = a.res AND r.t = a.t AND r.kind = a.kind AND r.model = a.model AND r.service = a.service
    AND r.agent = a.agent;
)sql" },
    // 3: alert rules (core/alertrule.h) with their last state, and the alerts they raised.
    { "alert rules and alerts",
        R"sql(
CREATE TABLE alert_rules(
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    kind text NOT NULL,
    threshold double precision NOT NULL,
    window_s bigint NOT NULL,
    for_s bigint NOT NULL,
    scope text NOT NULL,
    scope_value text NOT NULL,
    webhook_url text NOT NULL,
    webhook_secret text NOT NULL,
    enabled boolean NOT NULL,
    created_ns bigint NOT NULL,
    status text NOT NULL DEFAULT 'ok',
    since_ns bigint NOT NULL DEFAULT 0,
    fired_value double precision NOT NULL DEFAULT 0,
    clear_since_ns bigint NOT NULL DEFAULT 0,
    value double precision,
    evaluated_ns bigint NOT NULL DEFAULT 0);
CREATE TABLE alert_events(
    id bigserial PRIMARY KEY,
    rule_id bigint NOT NULL,
    rule_name text NOT NULL,
    kind text NOT NULL,
    scope text NOT NULL,
    scope_value text NOT NULL,
    firing boolean NOT NULL,
    at_ns bigint NOT NULL,
    value double precision,
    threshold double precision NOT NULL,
    window_s bigint NOT NULL,
    since_ns bigint NOT NULL);
)sql" },
    // 4: content search (store/postgressearch.h): a row per span, made behind the writer by the
    // store's indexer (search_state says how far it got, search_queue holds spans the writer changed
    // after they were indexed); its pg_trgm indexes are made when the extension can be had
    // (PostgresStore::ensureSearchIndexes). A schema of an earlier version is indexed from its first span.
    //
    // It was made with a foreign key to spans(id), ON DELETE CASCADE, until spans was partitioned
    // (9): a partitioned table's unique keys include its partition key, so nothing can refer to its
    // id alone. Deletions delete the index rows themselves now; schema 9 drops the key of schemas
    // made before, and this step no longer makes it (a schema taken back by hand runs it again over
    // a partitioned spans).
    { "content search",
        R"sql(
CREATE TABLE span_search(
    span_rowid bigint PRIMARY KEY,
    trace_id bytea NOT NULL,
    name text NOT NULL,
    tool text NOT NULL,
    model text NOT NULL,
    status integer NOT NULL,
    kind integer NOT NULL,
    search_text text NOT NULL);
CREATE INDEX span_search_by_trace ON span_search(trace_id, span_rowid);
CREATE INDEX span_search_failed ON span_search(trace_id) WHERE status = 2;
CREATE TABLE search_state(id integer PRIMARY KEY CHECK (id = 1), indexed bigint NOT NULL);
INSERT INTO search_state VALUES (1, 0);
CREATE TABLE search_queue(seq bigserial PRIMARY KEY, span_rowid bigint NOT NULL);
)sql" },
    // 5: row-level security, as defence in depth behind the schema of each project: every table of
    // the schema shows and takes rows only in a session that names this schema as its project
    // (agentops.project, set by every connection of the store). A query that reaches another
    // project's tables (a schema-qualified name, a search_path gone wrong) finds nothing there and
    // cannot write there. FORCE: the policies bind the tables' owner too, which is the server's
    // role in the default set-up; only superusers and BYPASSRLS roles pass them (docs/deployment.md).
    { "row-level security per project",
        R"sql(
DO $rls$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['resources', 'spans', 'traces', 'trace_models', 'span_rollup', 'error_rollup',
            'alert_rules', 'alert_events', 'span_search', 'search_state', 'search_queue'] LOOP
        EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', current_schema(), t);
        EXECUTE format('ALTER TABLE %I.%I FORCE ROW LEVEL SECURITY', current_schema(), t);
        -- Made again where a table has it (a schema taken back to an older version by hand).
        EXECUTE format('DROP POLICY IF EXISTS project_rows ON %I.%I', current_schema(), t);
        -- A subquery: evaluated once per statement (an InitPlan), not once per row read.
        EXECUTE format('CREATE POLICY project_rows ON %I.%I '
                'USING ((SELECT current_setting(''agentops.project'', true) = %L))',
            current_schema(), t, current_schema());
    END LOOP;
END
$rls$;
)sql" },
    // 6: lz4 rather than pglz for the values PostgreSQL compresses (rows over ~2 KB: prompts,
    // completions, attributes), new rows on: pglz took more of the server's CPU than everything
    // else a stored span costs (docs/benchmarks.md, "Ingest on PostgreSQL"). A server built
    // without lz4 keeps pglz.
    { "lz4 compression of big values",
        R"sql(
DO $lz4$
BEGIN
    ALTER TABLE spans ALTER COLUMN input SET COMPRESSION lz4, ALTER COLUMN output SET COMPRESSION lz4,
        ALTER COLUMN attributes SET COMPRESSION lz4, ALTER COLUMN events SET COMPRESSION lz4,
        ALTER COLUMN links SET COMPRESSION lz4, ALTER COLUMN status_message SET COMPRESSION lz4;
    ALTER TABLE span_search ALTER COLUMN search_text SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$lz4$;
)sql" },
    // 7: the trace list's other sorts by an index, as by start time, duration and cost: without one,
    // the first page sorted by tokens, spans or errors read every summary (over 100k traces:
    // 100-175 ms; docs/benchmarks.md). The summary row is rewritten by each batch anyway, and
    // these columns change with it, so the cost at ingest is an index entry per trace a batch. With
    // the id, the list's tie-break: many traces have the same number of spans or errors.
    { "list sorts by tokens, spans and errors",
        R"sql(
CREATE INDEX IF NOT EXISTS traces_by_tokens ON traces(tok_total, id);
CREATE INDEX IF NOT EXISTS traces_by_spans ON traces(span_count, id);
CREATE INDEX IF NOT EXISTS traces_by_errors ON traces(error_count, id);
)sql" },
    // 8: the trace list's name filter. A substring in any case (ILIKE '%...%') read every summary
    // (over 100k traces: 35-66 ms). A trigram index cannot serve it under row-level security: ILIKE
    // is not leakproof, so PostgreSQL tests it only after the policy, never in an index scan. The
    // names are few next to the traces (one per agent entry point), so the list first walks the
    // distinct names through this index (a probe a name), keeps those that match, and filters by
    // name = ANY(...): equality is leakproof and served by it (PostgresStore::listTraces).
    { "trace names by an index",
        R"sql(
CREATE INDEX IF NOT EXISTS traces_by_name ON traces(name);
)sql" },
    // 9: spans partitioned by day (docs/postgresql.md, "Partitions by day"), so retention drops a
    // day's table instead of deleting its rows one by one. The partition key is the day (UTC, days
    // since 1970) the trace was first stored, kept in its summary: every span of a trace lands in
    // one partition, so the unique key (trace_id, span_id, day) still finds a span stored twice, and
    // a trace is read from one partition. The day is the server's, not the spans' own clock: a
    // client cannot make a partition for each day of 1970. The rows already stored stay where they
    // are: the table becomes the partition of every day before this one (no row moves; its indexes
    // are those of the new keys, built once). The store makes each day's partition before it writes
    // there (PostgresStore::ensurePartitions). BRIN on start_ns: a day's rows are in arrival order,
    // and retention reads the spans of a dropped day that started late (postgresstore.cpp).
    // Idempotent, for a schema taken back to an older version by hand.
    { "spans partitioned by day",
        R"sql(
DO $part$
DECLARE
    today integer := floor(extract(epoch FROM clock_timestamp()) / 86400)::integer;
    before text := 'spans_before_' || to_char(to_timestamp(today * 86400.0) AT TIME ZONE 'UTC', 'YYYYMMDD');
    policy text := format('USING ((SELECT current_setting(''agentops.project'', true) = %L))', current_schema());
BEGIN
    ALTER TABLE span_search DROP CONSTRAINT IF EXISTS span_search_span_rowid_fkey;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'traces'::regclass AND attname = 'day'
            AND NOT attisdropped) THEN
        -- Every trace stored so far is in the partition of the days before this one.
        EXECUTE format('ALTER TABLE traces ADD COLUMN day integer NOT NULL DEFAULT %s', today - 1);
        ALTER TABLE traces ALTER COLUMN day DROP DEFAULT;
    END IF;
    CREATE INDEX IF NOT EXISTS traces_by_day ON traces(day);
    IF (SELECT relkind FROM pg_class WHERE oid = 'spans'::regclass) = 'p' THEN
        RETURN;
    END IF;
    EXECUTE format('ALTER TABLE spans RENAME TO %I', before);
    -- A constant default: no row is rewritten.
    EXECUTE format('ALTER TABLE %I ADD COLUMN day integer NOT NULL DEFAULT %s', before, today - 1);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN day DROP DEFAULT', before);
    -- The old keys give way to the partitioned table's (the id alone is no key of it any more).
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT spans_pkey, DROP CONSTRAINT spans_trace_id_span_id_key', before);
    EXECUTE format('ALTER INDEX spans_by_resource RENAME TO %I', before || '_by_resource');
    EXECUTE format('CREATE TABLE spans (LIKE %I INCLUDING DEFAULTS INCLUDING COMPRESSION INCLUDING STORAGE) '
        'PARTITION BY RANGE (day)', before);
    -- The ids go on from where they were, and the sequence stays when the old partition goes.
    ALTER SEQUENCE spans_id_seq OWNED BY spans.id;
    ALTER TABLE spans ADD CONSTRAINT spans_key UNIQUE (trace_id, span_id, day);
    CREATE INDEX spans_by_id ON spans(id);
    CREATE INDEX spans_by_resource ON spans(resource_id); -- matched with the old partition's, not built
    CREATE INDEX spans_by_start ON spans USING brin (start_ns);
    -- A new schema's empty table goes: every day gets a partition of its own.
    IF EXISTS (SELECT 1 FROM spans_id_seq WHERE is_called) THEN
        EXECUTE format('ALTER TABLE spans ATTACH PARTITION %I FOR VALUES FROM (MINVALUE) TO (%s)', before, today);
    ELSE
        EXECUTE format('DROP TABLE %I', before);
    END IF;
    -- As schema 5 for every table: the partitioned table, and each partition (read on its own, a
    -- partition answers with its own policies).
    ALTER TABLE spans ENABLE ROW LEVEL SECURITY;
    ALTER TABLE spans FORCE ROW LEVEL SECURITY;
    EXECUTE 'CREATE POLICY project_rows ON spans ' || policy;
END
$part$;
)sql" },
};

} // namespace

std::span<const Migration> postgresMigrations()
{
    return { kSteps, std::size(kSteps) };
}

} // namespace agentops::store
