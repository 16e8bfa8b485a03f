// SPDX-License-Identifier: MIT
// SqliteStore's schema, step by step (store/migrations.h).
#include "store/migrations.h"

#include <iterator>

namespace agentops::store {

namespace {

const Migration kSteps[] = {
    // 1: spans, per-trace summaries, deduplicated resources.
    { "spans, trace summaries, resources",
        R"sql(
CREATE TABLE resources(
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL UNIQUE,
    attributes TEXT NOT NULL);
CREATE TABLE spans(
    id INTEGER PRIMARY KEY,
    trace_id BLOB NOT NULL,
    span_id BLOB NOT NULL,
    parent_span_id BLOB,
    trace_state TEXT,
    name TEXT NOT NULL,
    kind INTEGER NOT NULL,
    otel_kind INTEGER NOT NULL,
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    status INTEGER NOT NULL,
    status_message TEXT,
    service TEXT,
    scope_name TEXT,
    scope_version TEXT,
    request_model TEXT,
    response_model TEXT,
    provider TEXT,
    tok_input INTEGER,
    tok_output INTEGER,
    tok_total INTEGER,
    tok_cache_read INTEGER,
    tok_cache_write INTEGER,
    tok_reasoning INTEGER,
    cost_usd REAL,
    price_ref TEXT,
    session_id TEXT,
    user_id TEXT,
    input TEXT,
    output TEXT,
    attributes TEXT,
    events TEXT,
    links TEXT,
    resource_id INTEGER,
    dropped INTEGER);
CREATE UNIQUE INDEX spans_by_id ON spans(trace_id, span_id);
CREATE TABLE traces(
    id INTEGER PRIMARY KEY,
    trace_id BLOB NOT NULL UNIQUE,
    root_span_id BLOB,
    name TEXT NOT NULL DEFAULT '',
    name_is_root INTEGER NOT NULL DEFAULT 0,
    name_start_ns INTEGER NOT NULL DEFAULT 0,
    service TEXT NOT NULL DEFAULT '',
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    span_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    tok_input INTEGER NOT NULL DEFAULT 0,
    tok_output INTEGER NOT NULL DEFAULT 0,
    tok_total INTEGER NOT NULL DEFAULT 0,
    tok_cache_read INTEGER NOT NULL DEFAULT 0,
    tok_cache_write INTEGER NOT NULL DEFAULT 0,
    tok_reasoning INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    unpriced_spans INTEGER NOT NULL DEFAULT 0,
    models TEXT NOT NULL DEFAULT '',
    session_id TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT '');
CREATE INDEX traces_by_start ON traces(start_ns);
CREATE INDEX traces_by_session ON traces(session_id, start_ns);
)sql" },
    // 2: agent and tool names on spans; trace duration as a column (sortable, indexed); a model ->
    // trace index so "traces that used model X" does not scan every summary.
    { "agent and tool names, trace duration, model index",
        R"sql(
ALTER TABLE spans ADD COLUMN agent_name TEXT;
ALTER TABLE spans ADD COLUMN tool_name TEXT;
ALTER TABLE traces ADD COLUMN duration_ns INTEGER NOT NULL DEFAULT 0;
UPDATE traces SET duration_ns = max(end_ns - start_ns, 0);
CREATE TABLE trace_models(
    model TEXT NOT NULL,
    trace_rowid INTEGER NOT NULL,
    PRIMARY KEY(model, trace_rowid)) WITHOUT ROWID;
INSERT OR IGNORE INTO trace_models(model, trace_rowid)
    SELECT DISTINCT coalesce(nullif(s.response_model, ''), s.request_model), t.id
    FROM spans s JOIN traces t ON t.trace_id = s.trace_id
    WHERE coalesce(nullif(s.response_model, ''), s.request_model, '') <> '';
CREATE INDEX traces_by_duration ON traces(duration_ns);
CREATE INDEX traces_by_cost ON traces(cost_usd);
CREATE INDEX traces_by_service ON traces(service, start_ns);
)sql" },
    // 3: payloads are stored once; attributes that repeated them are referenced (EncodedSpan).
    { "payloads stored once",
        R"sql(
ALTER TABLE spans ADD COLUMN payload_refs TEXT;
)sql" },
    // 4: dashboard metrics without scanning spans (sqlitemetrics.cpp). span_rollup and error_rollup
    // hold per-minute (res 60) and per-hour (res 3600) aggregates, upserted at ingest in the span's
    // transaction; traces learn which span kinds (bit set) and agents they contain, so trace counts
    // can be split by kind and agent as they already can by model. Back-filled from stored spans.
    { "dashboard rollups",
        R"sql(
CREATE TABLE span_rollup(
    res INTEGER NOT NULL,
    t INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    model TEXT NOT NULL,
    service TEXT NOT NULL,
    agent TEXT NOT NULL,
    spans INTEGER NOT NULL,
    error_spans INTEGER NOT NULL,
    tok_input INTEGER NOT NULL,
    tok_output INTEGER NOT NULL,
    tok_cache_read INTEGER NOT NULL,
    tok_cache_write INTEGER NOT NULL,
    tok_reasoning INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    unpriced_spans INTEGER NOT NULL,
    latency BLOB NOT NULL,
    PRIMARY KEY(res, t, kind, model, service, agent)) WITHOUT ROWID;
CREATE TABLE error_rollup(
    res INTEGER NOT NULL,
    t INTEGER NOT NULL,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    service TEXT NOT NULL,
    model TEXT NOT NULL,
    count INTEGER NOT NULL,
    last_seen_ns INTEGER NOT NULL,
    example_trace BLOB NOT NULL,
    PRIMARY KEY(res, t, name, message, service, model)) WITHOUT ROWID;
ALTER TABLE traces ADD COLUMN kinds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE traces ADD COLUMN agents TEXT NOT NULL DEFAULT '';
CREATE TEMP TABLE rollup_res(res INTEGER, w INTEGER);
INSERT INTO rollup_res VALUES(60, 60000000000), (3600, 3600000000000);
INSERT INTO span_rollup
    SELECT r.res, (s.start_ns / r.w - (s.start_ns % r.w < 0)) * r.w, s.kind,
        coalesce(nullif(s.response_model, ''), s.request_model, ''), coalesce(s.service, ''),
        coalesce(s.agent_name, ''), count(*), sum(s.status = 2), sum(coalesce(s.tok_input, 0)),
        sum(coalesce(s.tok_output, 0)), sum(coalesce(s.tok_cache_read, 0)), sum(coalesce(s.tok_cache_write, 0)),
        sum(coalesce(s.tok_reasoning, 0)), total(s.cost_usd),
        sum(s.kind = 2 AND s.cost_usd IS NULL AND coalesce(s.tok_input, s.tok_output, s.tok_total, s.tok_cache_read,
            s.tok_cache_write, s.tok_reasoning) IS NOT NULL),
        agentops_latency_hist(max(s.end_ns - s.start_ns, 0))
    FROM spans s CROSS JOIN rollup_res r
    GROUP BY 1, 2, 3, 4, 5, 6;
INSERT INTO error_rollup
    SELECT r.res, (s.start_ns / r.w - (s.start_ns % r.w < 0)) * r.w, s.name, coalesce(s.status_message, ''),
        coalesce(s.service, ''), coalesce(nullif(s.response_model, ''), s.request_model, ''), count(*),
        max(s.start_ns), s.trace_id
    FROM spans s CROSS JOIN rollup_res r
    WHERE s.status = 2
    GROUP BY 1, 2, 3, 4, 5, 6;
DROP TABLE rollup_res;
UPDATE traces SET
    kinds = coalesce((SELECT sum(DISTINCT 1 << s.kind) FROM spans s WHERE s.trace_id = traces.trace_id), 0),
    agents = coalesce((SELECT group_concat(a, char(31)) FROM (SELECT DISTINCT s.agent_name AS a FROM spans s
        WHERE s.trace_id = traces.trace_id AND coalesce(s.agent_name, '') <> '' ORDER BY 1)), '');
)sql" },
    // 5: spans are unique on (their trace's row id, span id) instead of (trace id, span id). Trace row
    // ids grow in arrival order, so a commit's index entries land together at the end of the index;
    // random trace ids put each trace's entries on its own 16 KiB page, and every such page went
    // through the WAL and a checkpoint again (over half the bytes written at ingest). Spans are found
    // by their trace's row id, looked up by trace id in the traces table.
    { "spans unique by trace row id",
        R"sql(
ALTER TABLE spans ADD COLUMN trace_rowid INTEGER;
UPDATE spans SET trace_rowid = (SELECT t.id FROM traces t WHERE t.trace_id = spans.trace_id);
DROP INDEX spans_by_id;
CREATE UNIQUE INDEX spans_by_trace ON spans(trace_rowid, span_id);
)sql" },
    // 6: no indexes on trace duration and cost. Their keys are random in arrival order, so each new
    // trace dirtied a page of each (16 KiB through the WAL and again through a checkpoint, per index,
    // per trace, once the database is large). The list sorts and filters by them with a scan, as it
    // already did by tokens and span count: ~0.2 s per million traces.
    { "no duration and cost indexes",
        R"sql(
DROP INDEX traces_by_duration;
DROP INDEX traces_by_cost;
)sql" },
    // 7: what a total counts (core/usage.h). Agent and chain spans carry the sum of the model calls
    // below them, so their usage and cost no longer count in summaries and rollups; every counting
    // span that used tokens without a price is unpriced (embeddings too, not only LLM calls); and
    // the number of priced spans is kept, so a total with none has no cost rather than $0. The
    // summaries' usage and the span rollups are computed again from the stored spans.
    { "what a total counts",
        R"sql(
ALTER TABLE traces ADD COLUMN priced_spans INTEGER NOT NULL DEFAULT 0;
ALTER TABLE span_rollup ADD COLUMN priced_spans INTEGER NOT NULL DEFAULT 0;
UPDATE traces SET (tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning, cost_usd,
        priced_spans, unpriced_spans) = (
    SELECT coalesce(sum(s.tok_input), 0), coalesce(sum(s.tok_output), 0),
        coalesce(sum(coalesce(s.tok_total, coalesce(s.tok_input, 0) + coalesce(s.tok_output, 0))), 0),
        coalesce(sum(s.tok_cache_read), 0), coalesce(sum(s.tok_cache_write), 0), coalesce(sum(s.tok_reasoning), 0),
        total(s.cost_usd), count(s.cost_usd),
        coalesce(sum(s.cost_usd IS NULL AND coalesce(s.tok_input, s.tok_output, s.tok_total, s.tok_cache_read,
            s.tok_cache_write, s.tok_reasoning) IS NOT NULL), 0)
    FROM spans s WHERE s.trace_rowid = traces.id AND s.kind NOT IN (1, 4));
DELETE FROM span_rollup;
CREATE TEMP TABLE rollup_res(res INTEGER, w INTEGER);
INSERT INTO rollup_res VALUES(60, 60000000000), (3600, 3600000000000);
INSERT INTO span_rollup(res, t, kind, model, service, agent, spans, error_spans, tok_input, tok_output,
        tok_cache_read, tok_cache_write, tok_reasoning, cost_usd, unpriced_spans, latency, priced_spans)
    SELECT r.res, (s.start_ns / r.w - (s.start_ns % r.w < 0)) * r.w, s.kind,
        coalesce(nullif(s.response_model, ''), s.request_model, ''), coalesce(s.service, ''),
        coalesce(s.agent_name, ''), count(*), sum(s.status = 2),
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE sum(coalesce(s.tok_input, 0)) END,
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE sum(coalesce(s.tok_output, 0)) END,
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE sum(coalesce(s.tok_cache_read, 0)) END,
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE sum(coalesce(s.tok_cache_write, 0)) END,
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE sum(coalesce(s.tok_reasoning, 0)) END,
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE total(s.cost_usd) END,
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE sum(s.cost_usd IS NULL AND coalesce(s.tok_input, s.tok_output,
            s.tok_total, s.tok_cache_read, s.tok_cache_write, s.tok_reasoning) IS NOT NULL) END,
        agentops_latency_hist(max(s.end_ns - s.start_ns, 0)),
        CASE WHEN s.kind IN (1, 4) THEN 0 ELSE count(s.cost_usd) END
    FROM spans s CROSS JOIN rollup_res r
    GROUP BY 1, 2, 3, 4, 5, 6;
DROP TABLE rollup_res;
)sql" },
    // 8: work for the search index beside the database (searchindex.h), queued in the transaction
    // that makes it: a trace whose spans were deleted or changed (trace_rowid), or span row ids above
    // spans_after that may be used again (the newest spans were deleted). seq orders the queue; the
    // index reports how far it got and the rows up to there go.
    { "search index queue",
        R"sql(
CREATE TABLE search_queue(
    seq INTEGER PRIMARY KEY,
    trace_rowid INTEGER,
    spans_after INTEGER);
)sql" },
    // 9: alert rules (core/alertrule.h) with their last state, and the alerts they raised.
    { "alert rules and alerts",
        R"sql(
CREATE TABLE alert_rules(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    threshold REAL NOT NULL,
    window_s INTEGER NOT NULL,
    for_s INTEGER NOT NULL,
    scope TEXT NOT NULL,
    scope_value TEXT NOT NULL,
    webhook_url TEXT NOT NULL,
    webhook_secret TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    created_ns INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'ok',
    since_ns INTEGER NOT NULL DEFAULT 0,
    fired_value REAL NOT NULL DEFAULT 0,
    clear_since_ns INTEGER NOT NULL DEFAULT 0,
    value REAL,
    evaluated_ns INTEGER NOT NULL DEFAULT 0);
CREATE TABLE alert_events(
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL,
    rule_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    scope_value TEXT NOT NULL,
    firing INTEGER NOT NULL,
    at_ns INTEGER NOT NULL,
    value REAL,
    threshold REAL NOT NULL,
    window_s INTEGER NOT NULL,
    since_ns INTEGER NOT NULL);
)sql" },
    // 10: the list's sorts other than by start time (sqlitelistplan.cpp). Schema 6 dropped the indexes
    // on duration and cost because their keys are random in arrival order: each new trace dirtied a
    // page of each. These index the sort keys per stretch of 4,096 traces in arrival order (row ids,
    // kListStretch), so new traces touch only the newest stretch's few pages; a sorted page is merged
    // from the top of each stretch. The start times per stretch tell which stretches a time range
    // can hold.
    { "sort keys per stretch of the trace list",
        R"sql(
CREATE INDEX traces_list_start ON traces(id / 4096, start_ns);
CREATE INDEX traces_list_duration ON traces(id / 4096, duration_ns);
CREATE INDEX traces_list_cost ON traces(id / 4096, cost_usd);
CREATE INDEX traces_list_tokens ON traces(id / 4096, tok_total);
CREATE INDEX traces_list_spans ON traces(id / 4096, span_count);
CREATE INDEX traces_list_errors ON traces(id / 4096, error_count);
)sql" },
    // 11: trace ids indexed per stretch of 4,096 traces in arrival order (sqlitetraceids.h). The unique
    // constraint on traces.trace_id kept an index keyed by the random ids alone, so past a few hundred
    // thousand traces each new trace dirtied a 16 KiB page of it in every commit. The table is made
    // again without the constraint (SQLite cannot drop one), with the same columns in the same order
    // and the same indexes; the writer keeps trace ids unique.
    { "trace ids indexed per stretch",
        R"sql(
CREATE TABLE traces_new(
    id INTEGER PRIMARY KEY,
    trace_id BLOB NOT NULL,
    root_span_id BLOB,
    name TEXT NOT NULL DEFAULT '',
    name_is_root INTEGER NOT NULL DEFAULT 0,
    name_start_ns INTEGER NOT NULL DEFAULT 0,
    service TEXT NOT NULL DEFAULT '',
    start_ns INTEGER NOT NULL,
    end_ns INTEGER NOT NULL,
    span_count INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    tok_input INTEGER NOT NULL DEFAULT 0,
    tok_output INTEGER NOT NULL DEFAULT 0,
    tok_total INTEGER NOT NULL DEFAULT 0,
    tok_cache_read INTEGER NOT NULL DEFAULT 0,
    tok_cache_write INTEGER NOT NULL DEFAULT 0,
    tok_reasoning INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    unpriced_spans INTEGER NOT NULL DEFAULT 0,
    models TEXT NOT NULL DEFAULT '',
    session_id TEXT NOT NULL DEFAULT '',
    user_id TEXT NOT NULL DEFAULT '',
    duration_ns INTEGER NOT NULL DEFAULT 0,
    kinds INTEGER NOT NULL DEFAULT 0,
    agents TEXT NOT NULL DEFAULT '',
    priced_spans INTEGER NOT NULL DEFAULT 0);
INSERT INTO traces_new(id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
        span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
        cost_usd, unpriced_spans, models, session_id, user_id, duration_ns, kinds, agents, priced_spans)
    SELECT id, trace_id, root_span_id, name, name_is_root, name_start_ns, service, start_ns, end_ns,
        span_count, error_count, tok_input, tok_output, tok_total, tok_cache_read, tok_cache_write, tok_reasoning,
        cost_usd, unpriced_spans, models, session_id, user_id, duration_ns, kinds, agents, priced_spans
    FROM traces ORDER BY id;
DROP TABLE traces;
ALTER TABLE traces_new RENAME TO traces;
CREATE INDEX traces_by_trace_id ON traces(id / 4096, trace_id);
CREATE INDEX traces_by_start ON traces(start_ns);
CREATE INDEX traces_by_session ON traces(session_id, start_ns);
CREATE INDEX traces_by_service ON traces(service, start_ns);
CREATE INDEX traces_list_start ON traces(id / 4096, start_ns);
CREATE INDEX traces_list_duration ON traces(id / 4096, duration_ns);
CREATE INDEX traces_list_cost ON traces(id / 4096, cost_usd);
CREATE INDEX traces_list_tokens ON traces(id / 4096, tok_total);
CREATE INDEX traces_list_spans ON traces(id / 4096, span_count);
CREATE INDEX traces_list_errors ON traces(id / 4096, error_count);
)sql" },
    // 12: sort keys per model (sqlitelistplan.cpp). A model in most traces sorted by a key it goes with
    // (the cheapest model by cost) has none of its traces near the top of the stretches of schema
    // 10: the walk read every summary. Each trace_models row carries its trace's duration, cost and
    // tokens, the keys that go with a model, indexed per model per stretch, so the walk reads the
    // model's rows alone. (Span and error counts are left to schema 10's stretches: two more
    // indexes would cost the writer as much again.) The writer inserts a row with its trace's keys
    // and copies them again whenever it changes the summary (later spans, repricing:
    // sqlitemodelkeys.h).
    // The stretches' duration and cost indexes also carry the other key of the two, after the row id
    // (the list's order stays the index's): a minimum cost sorted by duration, or a minimum duration
    // sorted by cost, is checked in the index, without reading each summary the walk passes.
    { "sort keys per model of the trace list",
        R"sql(
ALTER TABLE trace_models ADD COLUMN duration_ns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_models ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
ALTER TABLE trace_models ADD COLUMN tok_total INTEGER NOT NULL DEFAULT 0;
UPDATE trace_models SET (duration_ns, cost_usd, tok_total)
    = (SELECT t.duration_ns, t.cost_usd, t.tok_total FROM traces t
       WHERE t.id = trace_models.trace_rowid);
CREATE INDEX trace_models_list_duration ON trace_models(model, trace_rowid / 4096, duration_ns);
CREATE INDEX trace_models_list_cost ON trace_models(model, trace_rowid / 4096, cost_usd);
CREATE INDEX trace_models_list_tokens ON trace_models(model, trace_rowid / 4096, tok_total);
DROP INDEX traces_list_duration;
DROP INDEX traces_list_cost;
CREATE INDEX traces_list_duration ON traces(id / 4096, duration_ns, id, cost_usd);
CREATE INDEX traces_list_cost ON traces(id / 4096, cost_usd, id, duration_ns);
)sql" },
};

} // namespace

std::span<const Migration> sqliteMigrations()
{
    return { kSteps, std::size(kSteps) };
}

} // namespace agentops::store
