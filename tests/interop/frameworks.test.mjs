// Interoperability tests with real agent frameworks (frameworks.mjs): Google ADK JS, the Vercel AI SDK
// with and without OpenInference, the openai client with OpenLLMetry and with OpenInference. Each
// scenario runs three times, each against its own agentops-server:
//   live     — the framework exports through a real OTLP/HTTP exporter (protobuf or JSON);
//   gRPC     — the same, live, through the real OTLP/gRPC exporter;
//   fixture  — the committed capture in tests/fixtures/frameworks is posted as it was recorded.
// Every number the server shows is compared with what the producer itself reported: each model call's
// tokens and cost on its span, the trace summary in the list and in the trace, the session, a metrics
// bucket; the error count, the failed tool span and its message, the errors-only filter.
//
// Usage: AGENTOPS_SERVER=/path/to/agentops-server node --test frameworks.test.mjs

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';

import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';

import { ServerProcess, getJson } from './server-process.mjs';
import { SCENARIOS, runScenario } from './frameworks.mjs';

const PRICES = JSON.parse(readFileSync(new URL('../../resources/prices.json', import.meta.url), 'utf8'));
const FIXTURE_DIR = new URL('../fixtures/frameworks/', import.meta.url);
const TOKEN_KINDS = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'];
const HOUR_NS = 3_600_000_000_000n;

// Which OTLP encoding each live scenario uses (the fixtures are OTLP/JSON by nature).
const LIVE_ENCODING = {
  'adk-js': 'protobuf',
  'adk-js-retry': 'json',
  'vercel-ai-reworded': 'protobuf',
  'vercel-ai': 'json',
  'vercel-ai-openinference': 'protobuf',
  'openai-openllmetry': 'json',
  'openai-openinference': 'protobuf',
};

// ---------------------------------------------------------------------------------------------
// Prices, as docs/pricing.md defines them, computed here independently of the server

/** A glob where `*` stands for any characters. */
function globMatches(pattern, name) {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** The row that prices a model name: its own id or a listed name, else the most literal pattern. */
function priceRow(name) {
  const n = name.trim().toLowerCase();
  const exact = PRICES.rows.find((r) => r.id.toLowerCase() === n || (r.models ?? []).some((m) => m.toLowerCase() === n));
  if (exact) return exact;
  let best = null;
  for (const row of PRICES.rows) {
    for (const p of row.patterns ?? []) {
      const literal = p.replaceAll('*', '').length;
      if (globMatches(p.toLowerCase(), n) && (!best || literal > best.literal)) best = { row, literal };
    }
  }
  return best?.row ?? null;
}

/** { row, cost } for a model call, or null when neither its response nor its request model has a row. */
function expectedCost(call) {
  const row = [call.response_model, call.request_model].filter(Boolean).map(priceRow).find(Boolean);
  if (!row) return null;
  const u = Object.fromEntries(TOKEN_KINDS.map((k) => [k, call.usage[k] ?? 0]));
  let prices = row.prices;
  for (const tier of row.tiers ?? []) {
    if (u.input > tier.above_input_tokens) prices = { ...row.prices, ...tier.prices };
  }
  const cost = Math.max(0, u.input - u.cache_read - u.cache_write) * prices.input
    + u.cache_read * (prices.cache_read ?? prices.input)
    + u.cache_write * (prices.cache_write ?? prices.input)
    + Math.max(0, u.output - u.reasoning) * prices.output
    + u.reasoning * (prices.reasoning ?? prices.output);
  return { row, cost: cost / 1e6 };
}

/** What a set of model calls should cost: null when none is priced, else the priced sum. */
function expectedCostOf(calls) {
  const priced = calls.map(expectedCost).filter(Boolean);
  return {
    cost: priced.length ? priced.reduce((acc, p) => acc + p.cost, 0) : null,
    unpriced: calls.length - priced.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Checks that collect every mismatch, so a failure lists all the numbers that are wrong

class Mismatches {
  constructor() {
    this.list = [];
  }
  equal(label, got, want) {
    if (!isDeepStrictEqual(got, want)) this.list.push(`${label}: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  }
  cost(label, got, want) {
    if (want === null) {
      this.equal(label, got, null);
    } else if (typeof got !== 'number' || Math.abs(got - want) > 1e-9 * Math.max(1e-6, Math.abs(want))) {
      this.list.push(`${label}: ${JSON.stringify(got)}, expected ${want}`);
    }
  }
  ok(label, cond, detail) {
    if (!cond) this.list.push(`${label}${detail ? `: ${detail}` : ''}`);
  }
  done() {
    if (this.list.length) assert.fail(`${this.list.length} mismatch(es):\n  ${this.list.join('\n  ')}`);
  }
}

function orZero(v) {
  return v ?? 0;
}

function isUnset(v) {
  return v === null || v === undefined || v === '';
}

function summaryTokens(total) {
  return {
    input: orZero(total.input),
    output: orZero(total.output),
    total: orZero(total.input) + orZero(total.output),
    cache_read: orZero(total.cache_read),
    cache_write: orZero(total.cache_write),
    reasoning: orZero(total.reasoning),
  };
}

// ---------------------------------------------------------------------------------------------
// The checks, the same for a live run and for a committed fixture

async function traceDetail(ctx, traceId) {
  ctx.details ??= new Map();
  if (!ctx.details.has(traceId)) ctx.details.set(traceId, await getJson(ctx.server, `/api/v1/traces/${traceId}`));
  return ctx.details.get(traceId);
}

function findSpan(m, label, detail, spanId) {
  const span = detail.spans.find((s) => s.span_id === spanId);
  m.ok(`${label}: span ${spanId} is in the trace`, Boolean(span));
  return span;
}

function defineChecks(getCtx) {
  it('each model call\'s span has the tokens and cost the producer reported', async () => {
    const { expected } = getCtx();
    const m = new Mismatches();
    for (const run of expected.runs) {
      const detail = await traceDetail(getCtx(), run.trace_id);
      for (const call of run.llm_calls) {
        const label = `run ${run.run}, model call ${call.order} ("${call.span_name}" ${call.span_id})`;
        const span = findSpan(m, label, detail, call.span_id);
        if (!span) continue;
        m.equal(`${label}: kind`, span.kind, 'llm');
        for (const k of TOKEN_KINDS) m.equal(`${label}: tokens.${k}`, span.tokens?.[k] ?? null, call.usage[k]);
        if (span.tokens?.total !== null && span.tokens?.total !== undefined) {
          m.equal(`${label}: tokens.total`, span.tokens.total, call.usage.input + call.usage.output);
        }
        const price = expectedCost(call);
        m.cost(`${label}: cost_usd`, span.cost_usd, price ? price.cost : null);
        m.equal(`${label}: price_ref`, isUnset(span.price_ref) ? null : span.price_ref,
          price ? `${price.row.id}@${price.row.as_of}` : null);
      }
    }
    m.done();
  });

  it('the trace summary in the list and in the trace counts each model call once', async () => {
    const { expected, server } = getCtx();
    const list = await getJson(server, '/api/v1/traces?limit=1000');
    const m = new Mismatches();
    m.equal('trace ids in the list', list.traces.map((t) => t.trace_id).sort(), expected.runs.map((r) => r.trace_id).sort());
    for (const run of expected.runs) {
      const label = `run ${run.run}`;
      const detail = await traceDetail(getCtx(), run.trace_id);
      const row = list.traces.find((t) => t.trace_id === run.trace_id);
      m.ok(`${label}: the list row equals the trace's summary`, isDeepStrictEqual(row, detail.trace),
        `list ${JSON.stringify(row)} vs trace ${JSON.stringify(detail.trace)}`);
      for (const [where, s] of [['list row', row], ['trace', detail.trace]]) {
        if (!s) continue;
        m.equal(`${label}: ${where} tokens`, s.tokens, summaryTokens(run.total_usage));
        m.equal(`${label}: ${where} span_count`, s.span_count, run.span_count);
        m.equal(`${label}: ${where} root_span_id`, s.root_span_id, run.root_span_id);
      }
      m.equal(`${label}: spans in the trace`, detail.spans.length, run.span_count);
    }
    m.done();
  });

  it('the trace cost is the priced sum of its model calls, null when none is priced', async () => {
    const { expected } = getCtx();
    const m = new Mismatches();
    for (const run of expected.runs) {
      const s = (await traceDetail(getCtx(), run.trace_id)).trace;
      const want = expectedCostOf(run.llm_calls);
      m.cost(`run ${run.run}: summary cost_usd`, s.cost_usd, want.cost);
      m.equal(`run ${run.run}: summary unpriced_spans`, s.unpriced_spans, want.unpriced);
    }
    m.done();
  });

  it('the summary names the session, the user and the models', async () => {
    const { expected } = getCtx();
    const m = new Mismatches();
    for (const run of expected.runs) {
      const s = (await traceDetail(getCtx(), run.trace_id)).trace;
      m.equal(`run ${run.run}: session_id`, s.session_id, run.session_id);
      if (run.user_id === null) m.ok(`run ${run.run}: user_id not reported`, isUnset(s.user_id), JSON.stringify(s.user_id));
      else m.equal(`run ${run.run}: user_id`, s.user_id, run.user_id);
      m.equal(`run ${run.run}: models`, [...(s.models ?? [])].sort(), run.models);
    }
    m.done();
  });

  it('a failed tool call is an error span with the tool\'s message, and counted', async () => {
    const { expected } = getCtx();
    const m = new Mismatches();
    for (const run of expected.runs) {
      const label = `run ${run.run}`;
      const detail = await traceDetail(getCtx(), run.trace_id);
      m.equal(`${label}: summary error_count`, detail.trace.error_count, run.error_spans.length);
      m.equal(`${label}: spans with status error`,
        detail.spans.filter((s) => s.status?.code === 'error').map((s) => s.span_id).sort(),
        run.error_spans.map((e) => e.span_id).sort());
      for (const e of run.error_spans) {
        const span = findSpan(m, `${label}, error span "${e.span_name}"`, detail, e.span_id);
        if (!span) continue;
        m.equal(`${label}, "${e.span_name}" ${e.span_id}: status`, span.status, { code: 'error', message: e.message });
      }
      for (const t of run.tool_calls) {
        const span = findSpan(m, `${label}, tool call ${t.order}`, detail, t.span_id);
        if (!span) continue;
        m.equal(`${label}, tool span ${t.span_id}: kind`, span.kind, 'tool');
        m.equal(`${label}, tool span ${t.span_id}: tool_name`, span.tool_name, t.tool_name);
        if (t.failed) m.equal(`${label}, tool span ${t.span_id}: status.code`, span.status?.code, 'error');
        else m.ok(`${label}, tool span ${t.span_id}: not an error`, span.status?.code !== 'error', JSON.stringify(span.status));
      }
    }
    m.done();
  });

  it('errors=true lists exactly the runs with a failure', async () => {
    const { expected, server } = getCtx();
    const list = await getJson(server, '/api/v1/traces?errors=true&limit=1000');
    assert.deepEqual(list.traces.map((t) => t.trace_id).sort(),
      expected.runs.filter((r) => r.error_spans.length > 0).map((r) => r.trace_id).sort(),
      `errors=true: ${JSON.stringify(list.traces.map((t) => [t.trace_id, t.error_count]))}`);
  });

  it('the session shows the same totals', async () => {
    const { expected, server } = getCtx();
    const sessions = (await getJson(server, '/api/v1/sessions?limit=1000')).sessions;
    const m = new Mismatches();
    for (const sessionId of new Set(expected.runs.map((r) => r.session_id))) {
      const runs = expected.runs.filter((r) => r.session_id === sessionId);
      const label = `session ${sessionId}`;
      const s = sessions.find((x) => x.session_id === sessionId);
      m.ok(`${label}: listed`, Boolean(s), JSON.stringify(sessions.map((x) => x.session_id)));
      if (!s) continue;
      m.equal(`${label}: trace_count`, s.trace_count, runs.length);
      m.equal(`${label}: span_count`, s.span_count, runs.reduce((n, r) => n + r.span_count, 0));
      m.equal(`${label}: error_count`, s.error_count, runs.reduce((n, r) => n + r.error_spans.length, 0));
      m.equal(`${label}: total_tokens`, s.total_tokens, runs.reduce((n, r) => n + summaryTokens(r.total_usage).total, 0));
      m.cost(`${label}: cost_usd`, s.cost_usd, expectedCostOf(runs.flatMap((r) => r.llm_calls)).cost);
      if (runs[0].user_id === null) m.ok(`${label}: user_id not reported`, isUnset(s.user_id), JSON.stringify(s.user_id));
      else m.equal(`${label}: user_id`, s.user_id, runs[0].user_id);
    }
    m.done();
  });

  it('the metrics buckets and totals show the same totals', async () => {
    const { expected, server } = getCtx();
    const start = expected.runs.map((r) => BigInt(r.start_time_unix_nano)).reduce((a, b) => (b < a ? b : a));
    const end = expected.runs.map((r) => BigInt(r.end_time_unix_nano)).reduce((a, b) => (b > a ? b : a));
    const from = (start / HOUR_NS) * HOUR_NS;
    const to = (end / HOUR_NS + 1n) * HOUR_NS;
    const metrics = await getJson(server, `/api/v1/metrics?from=${from}&to=${to}&bucket=1h`);
    const calls = expected.runs.flatMap((r) => r.llm_calls);
    const total = Object.fromEntries(TOKEN_KINDS.map((k) => [k, expected.runs.reduce((n, r) => n + orZero(r.total_usage[k]), 0)]));
    const want = {
      traces: expected.runs.length,
      spans: expected.runs.reduce((n, r) => n + r.span_count, 0),
      error_spans: expected.runs.reduce((n, r) => n + r.error_spans.length, 0),
      error_traces: expected.runs.filter((r) => r.error_spans.length > 0).length,
      tokens: total,
      unpriced_spans: expectedCostOf(calls).unpriced,
    };
    const wantCost = expectedCostOf(calls).cost;
    const m = new Mismatches();
    const nonEmpty = metrics.buckets.filter((b) => b.spans > 0);
    m.ok('metrics: the runs fall into buckets', nonEmpty.length > 0, JSON.stringify(metrics.buckets));
    const sum = (key) => nonEmpty.reduce((n, b) => n + b[key], 0);
    const bucketSum = {
      traces: sum('traces'),
      spans: sum('spans'),
      error_spans: sum('error_spans'),
      error_traces: sum('error_traces'),
      tokens: Object.fromEntries(TOKEN_KINDS.map((k) => [k, nonEmpty.reduce((n, b) => n + b.tokens[k], 0)])),
      unpriced_spans: sum('unpriced_spans'),
    };
    const bucketCosts = nonEmpty.map((b) => b.cost_usd);
    const bucketCost = bucketCosts.every((c) => c === null) ? null : bucketCosts.reduce((n, c) => n + (c ?? 0), 0);
    for (const [where, got, gotCost] of [['buckets', bucketSum, bucketCost], ['totals', metrics.totals, metrics.totals?.cost_usd]]) {
      for (const key of Object.keys(want)) m.equal(`metrics ${where}: ${key}`, got?.[key], want[key]);
      m.cost(`metrics ${where}: cost_usd`, gotCost, wantCost);
    }
    m.done();
  });
}

// ---------------------------------------------------------------------------------------------

/** Posts a committed fixture line by line, as the exporter did. */
async function replayFixture(server, text) {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  assert.ok(lines.length > 0, 'the fixture holds at least one request');
  for (const [i, line] of lines.entries()) {
    const res = await fetch(`${server.baseUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: line,
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.text();
    assert.equal(res.status, 200, `line ${i + 1}: HTTP ${res.status} ${body.slice(0, 500)}`);
    const parsed = body ? JSON.parse(body) : {};
    const rejected = Number(parsed.partialSuccess?.rejectedSpans ?? parsed.partial_success?.rejected_spans ?? 0);
    assert.equal(rejected, 0, `line ${i + 1}: rejected spans: ${body.slice(0, 500)}`);
  }
}

/** The parts of a record a re-run of the same scenario reproduces (ids and times differ). */
function reproducible(expected) {
  return expected.runs.map((r) => ({
    run: r.run,
    root_span_name: r.root_span_name,
    span_count: r.span_count,
    session_id: r.session_id,
    user_id: r.user_id,
    models: r.models,
    llm_calls: r.llm_calls.map((c) => ({ span_name: c.span_name, usage: c.usage, request_model: c.request_model, response_model: c.response_model })),
    total_usage: r.total_usage,
    tool_calls: r.tool_calls.map((t) => ({ span_name: t.span_name, tool_name: t.tool_name, failed: t.failed, error_message: t.error_message })),
    error_spans: r.error_spans.map((e) => ({ span_name: e.span_name, message: e.message }))
      .sort((a, b) => a.span_name.localeCompare(b.span_name)),
  }));
}

assert.ok(process.env.AGENTOPS_SERVER, 'set AGENTOPS_SERVER to the path of the agentops-server binary');

const liveRecords = new Map();

for (const scenario of SCENARIOS) {
  const encoding = LIVE_ENCODING[scenario.id];
  assert.ok(encoding, `LIVE_ENCODING names no encoding for ${scenario.id}`);

  describe(`${scenario.id}, live over OTLP/${encoding}`, () => {
    const ctx = {};
    before(async () => {
      ctx.server = await ServerProcess.start();
      const url = `${ctx.server.baseUrl}/v1/traces`;
      ctx.expected = await runScenario(scenario.id, {
        makeExporter: () => (encoding === 'protobuf' ? new ProtoTraceExporter({ url }) : new JsonTraceExporter({ url })),
      });
      liveRecords.set(scenario.id, ctx.expected);
    });
    after(async () => {
      await ctx.server?.kill();
      await ctx.server?.removeDataDir();
    });
    defineChecks(() => ctx);
  });

  describe(`${scenario.id}, live over OTLP/gRPC`, () => {
    const ctx = {};
    before(async () => {
      ctx.server = await ServerProcess.start();
      // gzip for ADK, none for the others: the gRPC exporter's two encodings on real frameworks.
      const compression = scenario.id === 'adk-js' ? 'gzip' : 'none';
      ctx.expected = await runScenario(scenario.id, {
        makeExporter: () => new GrpcTraceExporter({ url: ctx.server.grpcUrl, compression }),
      });
    });
    after(async () => {
      await ctx.server?.kill();
      await ctx.server?.removeDataDir();
    });
    it('arrives over gRPC, every call answered OK', async () => {
      // The log is read from the server's stdout as it comes: wait for a line per run.
      let calls = [];
      for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(50)) {
        calls = ctx.server.jsonLogLines().filter((o) => o.transport === 'grpc');
        if (calls.length >= ctx.expected.runs.length) break;
      }
      assert.ok(calls.length >= ctx.expected.runs.length, `gRPC calls in the request log: ${calls.length}`);
      assert.deepEqual([...new Set(calls.map((o) => o.status))], ['OK']);
      assert.equal(ctx.server.jsonLogLines().filter((o) => o.path === '/v1/traces').length, 0, 'nothing over OTLP/HTTP');
    });
    defineChecks(() => ctx);
  });

  describe(`${scenario.id}, committed fixture`, () => {
    const ctx = {};
    before(async () => {
      ctx.expected = JSON.parse(readFileSync(new URL(`${scenario.id}.expected.json`, FIXTURE_DIR), 'utf8'));
      ctx.server = await ServerProcess.start();
      await replayFixture(ctx.server, readFileSync(new URL(`${scenario.id}.otlp.json`, FIXTURE_DIR), 'utf8'));
    });
    after(async () => {
      await ctx.server?.kill();
      await ctx.server?.removeDataDir();
    });
    it('matches what the framework reports today (else run capture-fixtures.mjs)', () => {
      const live = liveRecords.get(scenario.id);
      assert.ok(live, 'the live run of this scenario did not complete');
      assert.deepEqual(reproducible(ctx.expected), reproducible(live));
      assert.deepEqual(ctx.expected.producer, live.producer, 'producer package versions');
    });
    defineChecks(() => ctx);
  });
}
