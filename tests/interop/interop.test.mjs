// Interoperability tests: real OpenTelemetry JS SDK + OTLP exporters (OTLP/HTTP protobuf and JSON,
// OTLP/gRPC, with and without gzip) send a hand-built agent trace to agentops-server, and the trace
// is read back through the query API and compared field by field with what the SDK recorded.
//
// Usage: AGENTOPS_SERVER=/path/to/agentops-server node --test interop.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

import { trace, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';

import dnsPacket from 'dns-packet';
import { ServerProcess, withDiagnostics, getJson } from './server-process.mjs';

const EXPORT_RESULT_SUCCESS = 0; // ExportResultCode.SUCCESS in @opentelemetry/core
const EXPORT_RESULT_FAILED = 1;
const GRPC_UNAVAILABLE = 14;

const TRACER_NAME = 'agentops-interop';
const TRACER_VERSION = '1.4.2';

// Attributes whose values the server may move into the span's input/output payload fields.
const PAYLOAD_KEYS = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
]);

// ---------------------------------------------------------------------------------------------
// Helpers

/** [seconds, nanoseconds] hrtime → decimal string of nanoseconds since the epoch. */
function hrToNsString(hr) {
  return (BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1])).toString();
}

function hrDurationNs(start, end) {
  return Number(BigInt(hrToNsString(end)) - BigInt(hrToNsString(start)));
}

const BASE_SECONDS = Math.floor(Date.now() / 1000) - 300;

/** hrtime at BASE_SECONDS + offsetNs (offsetNs < 2^53), with exact nanoseconds. */
function at(offsetNs) {
  return [BASE_SECONDS + Math.floor(offsetNs / 1e9), offsetNs % 1e9];
}

function isNullish(v) {
  return v === null || v === undefined;
}

/** A field that was not reported: absent, null or the empty string. */
function isUnset(v) {
  return v === null || v === undefined || v === '';
}

const STATUS_NAMES = { [SpanStatusCode.UNSET]: 'unset', [SpanStatusCode.OK]: 'ok', [SpanStatusCode.ERROR]: 'error' };

/** Wraps an exporter to record every export call and its result. */
function recordingExporter(inner) {
  const calls = [];
  return {
    calls,
    export(spans, resultCallback) {
      const call = { spans: [...spans], result: null };
      calls.push(call);
      inner.export(spans, (result) => {
        call.result = result;
        resultCallback(result);
      });
    },
    shutdown() {
      return inner.shutdown();
    },
    forceFlush() {
      return inner.forceFlush ? inner.forceFlush() : Promise.resolve();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The agent trace

const CHAT1_INPUT = [
  { role: 'system', parts: [{ type: 'text', content: 'You are a travel planner. Use tools when helpful.' }] },
  { role: 'user', parts: [{ type: 'text', content: 'Plan a weekend in Lisbon for two — what will the weather be?' }] },
];
const CHAT1_OUTPUT = [
  {
    role: 'assistant',
    parts: [{ type: 'tool_call', id: 'call_w1', name: 'get_weather', arguments: { city: 'Lisbon', days: 2 } }],
    finish_reason: 'tool_call',
  },
];
const TOOL_ARGS = { city: 'Lisbon', days: 2 };
const TOOL_RESULT = { error: 'upstream timeout', retriable: true };
const CHAT2_INPUT = [
  ...CHAT1_INPUT,
  ...CHAT1_OUTPUT,
  { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_w1', response: TOOL_RESULT }] },
];
const CHAT2_OUTPUT = [
  {
    role: 'assistant',
    parts: [{ type: 'text', content: 'I could not fetch the forecast, but here is a plan: Alfama on Saturday, Belém on Sunday.' }],
    finish_reason: 'stop',
  },
];

/**
 * Builds invoke_agent → { chat, execute_tool (error), chat } with explicit parent contexts and
 * explicit start/end times. Returns the API span handles.
 */
function buildAgentTrace(tracer, { sessionId, userId }) {
  const root = tracer.startSpan('invoke_agent travel_planner', {
    kind: SpanKind.INTERNAL,
    startTime: at(123_456_789),
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'travel_planner',
      'gen_ai.conversation.id': sessionId,
      'user.id': userId,
      // attribute value types
      'app.request.attempt': 3,
      'app.negative': -17,
      'app.max_safe_int': Number.MAX_SAFE_INTEGER,
      'app.sampling.temperature': 0.7,
      'app.streaming': true,
      'app.dry_run': false,
      'app.note': 'Zürich ☀ "quoted" \\ back\nnew line',
      'app.feature.flags': ['fast-path', 'beta'],
      'app.shard.ids': [1, 2, 42],
      'app.weights': [0.25, 0.75],
      'app.checks': [true, false, true],
    },
  }, ROOT_CONTEXT);
  root.addEvent('agent.plan', { 'plan.steps': 2, 'plan.kind': 'sequential', 'plan.score': 0.5 }, at(200_000_000));
  const rootCtx = trace.setSpan(ROOT_CONTEXT, root);

  const chat1 = tracer.startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    startTime: at(250_000_001),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.finish_reasons': ['tool_call'],
      'gen_ai.response.id': 'chatcmpl-interop-1',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 85,
      'gen_ai.input.messages': JSON.stringify(CHAT1_INPUT),
      'gen_ai.output.messages': JSON.stringify(CHAT1_OUTPUT),
    },
  }, rootCtx);
  chat1.end(at(1_180_654_321));

  const tool = tracer.startSpan('execute_tool get_weather', {
    kind: SpanKind.INTERNAL,
    startTime: at(1_200_000_007),
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_w1',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.arguments': JSON.stringify(TOOL_ARGS),
      'gen_ai.tool.call.result': JSON.stringify(TOOL_RESULT),
    },
  }, rootCtx);
  const err = new Error('weather API timed out after 5000 ms');
  err.name = 'WeatherApiTimeout';
  tool.recordException(err, at(1_350_000_000));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: 'get_weather failed: upstream timeout' });
  tool.end(at(1_420_999_999));

  const chat2 = tracer.startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    startTime: at(1_500_000_003),
    links: [{ context: chat1.spanContext(), attributes: { 'link.reason': 'follow_up' } }],
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.id': 'chatcmpl-interop-2',
      'gen_ai.usage.input_tokens': 1500,
      'gen_ai.usage.output_tokens': 120,
      'gen_ai.usage.cache_read.input_tokens': 1024,
      'gen_ai.input.messages': JSON.stringify(CHAT2_INPUT),
      'gen_ai.output.messages': JSON.stringify(CHAT2_OUTPUT),
    },
  }, rootCtx);
  chat2.setStatus({ code: SpanStatusCode.OK });
  chat2.end(at(2_875_432_100));

  root.end(at(3_000_000_011));
  return { root, chat1, tool, chat2 };
}

/**
 * Sends one agent trace with the given exporter and processor, checks that every export call
 * succeeded, and returns the SDK's records of the spans.
 */
async function sendAgentTrace({ exporter, processor, serviceName, sessionId, userId }) {
  const recorder = recordingExporter(exporter);
  const spanProcessor = processor === 'batch'
    ? new BatchSpanProcessor(recorder, { scheduledDelayMillis: 100, exportTimeoutMillis: 60_000 })
    : new SimpleSpanProcessor(recorder);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: serviceName,
      [ATTR_SERVICE_VERSION]: '0.9.1',
      'deployment.environment.name': 'interop',
      'host.cores': 2,
    }),
    spanProcessors: [spanProcessor],
  });
  const tracer = provider.getTracer(TRACER_NAME, TRACER_VERSION);
  const handles = buildAgentTrace(tracer, { sessionId, userId });
  const started = Date.now();
  let flushError = null;
  try {
    await provider.forceFlush();
  } catch (err) {
    flushError = err;
  }
  await provider.shutdown();

  assert.ok(recorder.calls.length > 0, 'the exporter was never called');
  recorder.calls.forEach((call, i) => {
    const what = `export call ${i + 1}/${recorder.calls.length} (${call.spans.map((x) => x.name).join(', ')})`;
    assert.ok(call.result, `${what} never completed`);
    assert.equal(call.result.code, EXPORT_RESULT_SUCCESS,
      `${what} failed after ${Date.now() - started} ms: ${inspect(call.result.error)}`);
  });
  assert.equal(flushError, null, `provider.forceFlush() failed: ${inspect(flushError)}`);
  const sdkSpans = recorder.calls.flatMap((c) => c.spans);
  assert.equal(sdkSpans.length, 4, 'the SDK exported 4 spans');
  const byId = new Map(sdkSpans.map((s) => [s.spanContext().spanId, s]));
  const pick = (h) => {
    const s = byId.get(h.spanContext().spanId);
    assert.ok(s, `span ${h.spanContext().spanId} was exported`);
    return s;
  };
  return {
    calls: recorder.calls,
    root: pick(handles.root),
    chat1: pick(handles.chat1),
    tool: pick(handles.tool),
    chat2: pick(handles.chat2),
  };
}

// ---------------------------------------------------------------------------------------------
// Verification against the query API

function checkTokensAbsent(got, label) {
  if (isNullish(got.tokens)) return;
  assert.equal(typeof got.tokens, 'object', `${label}: tokens`);
  for (const k of ['input', 'output', 'total', 'cache_read', 'cache_write', 'reasoning']) {
    assert.ok(isNullish(got.tokens[k]), `${label}: tokens.${k} must be absent or null (got ${got.tokens[k]})`);
  }
}

function checkLlmTokens(got, label, { input, output, cacheRead }) {
  assert.ok(got.tokens && typeof got.tokens === 'object', `${label}: tokens object`);
  assert.equal(got.tokens.input, input, `${label}: tokens.input`);
  assert.equal(got.tokens.output, output, `${label}: tokens.output`);
  if (!isNullish(got.tokens.total)) {
    assert.equal(got.tokens.total, input + output, `${label}: tokens.total`);
  }
  if (cacheRead === undefined) {
    assert.ok(isNullish(got.tokens.cache_read), `${label}: tokens.cache_read not reported (got ${got.tokens.cache_read})`);
  } else {
    assert.equal(got.tokens.cache_read, cacheRead, `${label}: tokens.cache_read`);
  }
  assert.ok(isNullish(got.tokens.cache_write), `${label}: tokens.cache_write not reported (got ${got.tokens.cache_write})`);
  assert.ok(isNullish(got.tokens.reasoning), `${label}: tokens.reasoning not reported (got ${got.tokens.reasoning})`);
}

function checkJsonPayload(gotText, expected, label) {
  assert.equal(typeof gotText, 'string', `${label} must be a string`);
  let parsed;
  try {
    parsed = JSON.parse(gotText);
  } catch (err) {
    assert.fail(`${label} is not JSON text (${err.message}): ${gotText.slice(0, 500)}`);
  }
  assert.deepEqual(parsed, expected, label);
}

/**
 * Cost: the summary's cost_usd is the sum of the priced spans' costs; spans without a price row
 * have no cost (null), and the summary counts them as unpriced_spans when it reports that field.
 */
function checkCost(summary, spans) {
  assert.equal(typeof summary.cost_usd, 'number', `summary.cost_usd is a number (got ${JSON.stringify(summary.cost_usd)})`);
  assert.ok(Number.isFinite(summary.cost_usd) && summary.cost_usd >= 0, `summary.cost_usd (got ${summary.cost_usd})`);
  const llm = spans.filter((x) => x.kind === 'llm');
  const priced = llm.filter((x) => !isNullish(x.cost_usd));
  for (const x of spans) {
    if (!isNullish(x.cost_usd)) {
      assert.ok(Number.isFinite(x.cost_usd) && x.cost_usd > 0, `span ${x.span_id}: cost_usd (got ${x.cost_usd})`);
    }
  }
  const sum = spans.reduce((acc, x) => acc + (x.cost_usd ?? 0), 0);
  assert.ok(Math.abs(summary.cost_usd - sum) < 1e-9, `summary.cost_usd ${summary.cost_usd} = sum of span costs ${sum}`);
  if ('unpriced_spans' in summary) {
    assert.equal(summary.unpriced_spans, llm.length - priced.length, 'summary.unpriced_spans = LLM spans without a cost');
  }
  if (priced.length === llm.length) {
    assert.ok(summary.cost_usd > 0, `every LLM span is priced, so summary.cost_usd > 0 (got ${summary.cost_usd})`);
  }
}

/** Checks the fields every span has against the SDK's ReadableSpan. */
function checkSpanCommon(got, sdk, { serviceName, depth }) {
  const label = `span "${sdk.name}" (${sdk.spanContext().spanId})`;
  const ctx = sdk.spanContext();
  assert.equal(got.trace_id, ctx.traceId, `${label}: trace_id`);
  assert.equal(got.span_id, ctx.spanId, `${label}: span_id`);
  const parentId = sdk.parentSpanContext?.spanId ?? null;
  if (parentId === null) {
    assert.equal(got.parent_span_id, null, `${label}: parent_span_id of the root is null`);
  } else {
    assert.equal(got.parent_span_id, parentId, `${label}: parent_span_id`);
  }
  assert.equal(got.name, sdk.name, `${label}: name`);
  assert.equal(got.otel_kind, sdk.kind + 1, `${label}: otel_kind (OTLP numbering)`);

  assert.equal(got.start_time_unix_nano, hrToNsString(sdk.startTime), `${label}: start_time_unix_nano`);
  assert.equal(got.end_time_unix_nano, hrToNsString(sdk.endTime), `${label}: end_time_unix_nano`);
  assert.equal(got.duration_ns, hrDurationNs(sdk.startTime, sdk.endTime), `${label}: duration_ns`);

  assert.ok(got.status && typeof got.status === 'object', `${label}: status object`);
  assert.equal(got.status.code, STATUS_NAMES[sdk.status.code], `${label}: status.code`);
  if (sdk.status.code === SpanStatusCode.ERROR) {
    assert.equal(got.status.message, sdk.status.message, `${label}: status.message`);
  } else {
    assert.ok(isNullish(got.status.message) || got.status.message === '',
      `${label}: status.message must be empty (got ${JSON.stringify(got.status.message)})`);
  }

  assert.equal(got.service_name, serviceName, `${label}: service_name`);
  assert.deepEqual(got.scope, { name: TRACER_NAME, version: TRACER_VERSION }, `${label}: scope`);
  assert.deepEqual(got.resource, { ...sdk.resource.attributes }, `${label}: resource`);
  assert.equal(got.resource[ATTR_SERVICE_NAME], serviceName, `${label}: resource service.name`);

  // Attributes: every attribute round-trips with its type (payload attributes may instead be
  // carried only in input/output, but if present they must be unchanged).
  assert.ok(got.attributes && typeof got.attributes === 'object' && !Array.isArray(got.attributes),
    `${label}: attributes object`);
  for (const [key, value] of Object.entries(sdk.attributes)) {
    if (PAYLOAD_KEYS.has(key) && !(key in got.attributes)) continue;
    assert.deepEqual(got.attributes[key], value, `${label}: attribute ${key}`);
  }

  // Events.
  assert.ok(Array.isArray(got.events), `${label}: events array`);
  assert.equal(got.events.length, sdk.events.length, `${label}: number of events`);
  sdk.events.forEach((ev, i) => {
    const g = got.events[i];
    assert.equal(g.name, ev.name, `${label}: event[${i}].name`);
    assert.equal(g.time_unix_nano, hrToNsString(ev.time), `${label}: event[${i}].time_unix_nano`);
    assert.deepEqual(g.attributes, { ...(ev.attributes ?? {}) }, `${label}: event[${i}].attributes`);
  });

  // Links.
  const links = got.links ?? [];
  assert.ok(Array.isArray(links), `${label}: links array`);
  assert.equal(links.length, sdk.links.length, `${label}: number of links`);
  sdk.links.forEach((ln, i) => {
    const g = links[i];
    assert.equal(g.trace_id, ln.context.traceId, `${label}: link[${i}].trace_id`);
    assert.equal(g.span_id, ln.context.spanId, `${label}: link[${i}].span_id`);
    assert.deepEqual(g.attributes, { ...(ln.attributes ?? {}) }, `${label}: link[${i}].attributes`);
  });

  assert.equal(got.depth, depth, `${label}: depth`);
  assert.equal(got.orphan, false, `${label}: orphan`);
}

/** Reads the trace back and checks every field against what the SDK recorded. */
async function verifyAgentTrace(server, sent, { serviceName, sessionId, userId }) {
  const traceId = sent.root.spanContext().traceId;

  const list = await getJson(server, `/api/v1/traces?service=${encodeURIComponent(serviceName)}`);
  assert.ok(Array.isArray(list.traces), 'trace list: "traces" array');
  assert.ok('next_cursor' in list, 'trace list: "next_cursor" present');
  assert.ok(isNullish(list.next_cursor), `trace list: no next page expected (next_cursor ${JSON.stringify(list.next_cursor)})`);
  assert.equal(list.traces.length, 1, `trace list for service ${serviceName}: exactly one trace`);
  const listed = list.traces[0];
  assert.equal(listed.trace_id, traceId, 'trace list: trace_id');

  const detail = await getJson(server, `/api/v1/traces/${traceId}`);
  assert.ok(detail.trace && typeof detail.trace === 'object', 'trace detail: "trace" object');
  assert.ok(Array.isArray(detail.spans), 'trace detail: "spans" array');
  assert.deepEqual(listed, detail.trace, 'the summary in the list equals the summary in the detail');

  // --- summary
  const s = detail.trace;
  const { root, chat1, tool, chat2 } = sent;
  assert.equal(s.trace_id, traceId, 'summary.trace_id');
  assert.equal(s.root_span_id, root.spanContext().spanId, 'summary.root_span_id');
  assert.equal(s.name, 'invoke_agent travel_planner', 'summary.name');
  assert.equal(s.service_name, serviceName, 'summary.service_name');
  assert.equal(s.start_time_unix_nano, hrToNsString(root.startTime), 'summary.start_time_unix_nano');
  assert.equal(s.end_time_unix_nano, hrToNsString(root.endTime), 'summary.end_time_unix_nano');
  assert.equal(s.duration_ns, hrDurationNs(root.startTime, root.endTime), 'summary.duration_ns');
  assert.equal(s.span_count, 4, 'summary.span_count');
  assert.equal(s.error_count, 1, 'summary.error_count');
  assert.deepEqual(s.tokens, {
    input: 1200 + 1500,
    output: 85 + 120,
    total: 1200 + 85 + 1500 + 120,
    cache_read: 1024,
    cache_write: 0,
    reasoning: 0,
  }, 'summary.tokens');
  checkCost(s, detail.spans);
  assert.deepEqual(s.models, ['gpt-4o-2024-08-06'], 'summary.models');
  assert.equal(s.session_id, sessionId, 'summary.session_id');
  assert.equal(s.user_id, userId, 'summary.user_id');

  // --- spans, in tree order: root, then children by start time
  assert.equal(detail.spans.length, 4, 'trace detail: 4 spans');
  assert.deepEqual(
    detail.spans.map((x) => x.span_id),
    [root, chat1, tool, chat2].map((x) => x.spanContext().spanId),
    'spans in tree order (parent first, siblings by start time)');
  const [gRoot, gChat1, gTool, gChat2] = detail.spans;

  checkSpanCommon(gRoot, root, { serviceName, depth: 0 });
  assert.equal(gRoot.kind, 'agent', 'root kind');
  assert.equal(gRoot.agent_name, 'travel_planner', 'root agent_name');
  assert.equal(gRoot.session_id, sessionId, 'root session_id');
  assert.equal(gRoot.user_id, userId, 'root user_id');
  for (const f of ['request_model', 'response_model', 'provider', 'tool_name']) {
    assert.ok(isUnset(gRoot[f]), `root ${f} not reported (got ${JSON.stringify(gRoot[f])})`);
  }
  checkTokensAbsent(gRoot, 'root');

  for (const [g, sdk, tokens, input, output] of [
    [gChat1, chat1, { input: 1200, output: 85 }, CHAT1_INPUT, CHAT1_OUTPUT],
    [gChat2, chat2, { input: 1500, output: 120, cacheRead: 1024 }, CHAT2_INPUT, CHAT2_OUTPUT],
  ]) {
    const label = `llm span ${sdk.spanContext().spanId}`;
    checkSpanCommon(g, sdk, { serviceName, depth: 1 });
    assert.equal(g.kind, 'llm', `${label}: kind`);
    assert.equal(g.provider, 'openai', `${label}: provider`);
    assert.equal(g.request_model, 'gpt-4o', `${label}: request_model`);
    assert.equal(g.response_model, 'gpt-4o-2024-08-06', `${label}: response_model`);
    checkLlmTokens(g, label, tokens);
    checkJsonPayload(g.input, input, `${label}: input`);
    checkJsonPayload(g.output, output, `${label}: output`);
  }

  checkSpanCommon(gTool, tool, { serviceName, depth: 1 });
  assert.equal(gTool.kind, 'tool', 'tool kind');
  assert.equal(gTool.tool_name, 'get_weather', 'tool_name');
  assert.equal(gTool.status.code, 'error', 'tool status.code');
  assert.equal(gTool.status.message, 'get_weather failed: upstream timeout', 'tool status.message');
  checkTokensAbsent(gTool, 'tool');
  checkJsonPayload(gTool.input, TOOL_ARGS, 'tool input');
  checkJsonPayload(gTool.output, TOOL_RESULT, 'tool output');
  const exc = gTool.events.find((e) => e.name === 'exception');
  assert.ok(exc, 'tool span has an "exception" event');
  assert.equal(exc.attributes['exception.type'], 'WeatherApiTimeout', 'exception.type');
  assert.equal(exc.attributes['exception.message'], 'weather API timed out after 5000 ms', 'exception.message');
  assert.equal(typeof exc.attributes['exception.stacktrace'], 'string', 'exception.stacktrace');

  return detail;
}

// ---------------------------------------------------------------------------------------------
// Tests

let server; // shared by tests A–D
const startedServers = [];

before(async () => {
  assert.ok(process.env.AGENTOPS_SERVER,
    'set AGENTOPS_SERVER to the path of the agentops-server binary');
  server = await ServerProcess.start();
  startedServers.push(server);
});

after(async () => {
  for (const s of startedServers) {
    await s.kill();
    await s.removeDataDir();
  }
});

function uniqueIds(label) {
  const tag = randomUUID().slice(0, 8);
  return {
    serviceName: `interop-${label}-${tag}`,
    sessionId: `sess-${label}-${tag}`,
    userId: `user-${label}@example.com`,
  };
}

const otlpHttp = (srv) => `${srv.baseUrl}/v1/traces`;
const variants = [
  { id: 'A', title: 'OTLP/protobuf, no compression, SimpleSpanProcessor', make: (srv) => new ProtoTraceExporter({ url: otlpHttp(srv) }), processor: 'simple' },
  { id: 'B', title: 'OTLP/protobuf, gzip, BatchSpanProcessor', make: (srv) => new ProtoTraceExporter({ url: otlpHttp(srv), compression: 'gzip' }), processor: 'batch' },
  { id: 'C', title: 'OTLP/JSON, no compression, SimpleSpanProcessor', make: (srv) => new JsonTraceExporter({ url: otlpHttp(srv) }), processor: 'simple' },
  { id: 'D', title: 'OTLP/JSON, gzip, BatchSpanProcessor', make: (srv) => new JsonTraceExporter({ url: otlpHttp(srv), compression: 'gzip' }), processor: 'batch' },
  { id: 'G', title: 'OTLP/gRPC, no compression, SimpleSpanProcessor', make: (srv) => new GrpcTraceExporter({ url: srv.grpcUrl }), processor: 'simple' },
  { id: 'H', title: 'OTLP/gRPC, gzip, BatchSpanProcessor', make: (srv) => new GrpcTraceExporter({ url: srv.grpcUrl, compression: 'gzip' }), processor: 'batch' },
];

for (const v of variants) {
  test(`${v.id}: ${v.title}`, async () => {
    const ids = uniqueIds(v.id.toLowerCase());
    const exporter = v.make(server);
    try {
      const sent = await sendAgentTrace({ exporter, processor: v.processor, ...ids });
      if (v.processor === 'simple') {
        assert.equal(sent.calls.length, 4, 'SimpleSpanProcessor sends one request per span, children first');
      }
      await verifyAgentTrace(server, sent, ids);
    } catch (err) {
      throw withDiagnostics(err, server);
    }
  });
}

test('server exits with code 0 on SIGTERM', async () => {
  const result = await server.stop();
  assert.deepEqual(result, { code: 0, signal: null }, `exit status\n${server.diagnostics()}`);
});

test('E: the exporter retries after 503 + Retry-After and the trace is stored once', async () => {
  const faulty = await ServerProcess.start(['--auth', 'none', '--fault-unavailable', '1']);
  startedServers.push(faulty);
  try {
    const ids = uniqueIds('e');
    const exporter = new ProtoTraceExporter({ url: `${faulty.baseUrl}/v1/traces`, timeoutMillis: 30_000 });
    const sent = await sendAgentTrace({ exporter, processor: 'batch', ...ids });
    assert.equal(sent.calls.length, 1, 'one batch: the retry happens inside the exporter');

    const detail = await verifyAgentTrace(faulty, sent, ids);
    assert.equal(new Set(detail.spans.map((x) => x.span_id)).size, 4, 'no duplicated spans');

    // The request log: one JSON object per line; POST /v1/traces answered 503 once, then 200.
    const isIngest = (o) => Object.values(o).some((v) => v === '/v1/traces' || (typeof v === 'string' && v.startsWith('/v1/traces?')));
    const isPost = (o) => Object.values(o).includes('POST');
    let statuses = [];
    const deadline = Date.now() + 5000;
    for (;;) {
      statuses = faulty.jsonLogLines()
        .filter((o) => isIngest(o) && isPost(o) && o.status !== undefined)
        .map((o) => Number(o.status));
      if (statuses.length >= 2 || Date.now() > deadline) break;
      await sleep(50);
    }
    assert.deepEqual(statuses, [503, 200], 'statuses of POST /v1/traces in the request log');

    const result = await faulty.stop();
    assert.deepEqual(result, { code: 0, signal: null }, 'exit status');
    const nonJson = faulty.stdoutLines.filter((line) => {
      try {
        const o = JSON.parse(line);
        return !(o && typeof o === 'object' && !Array.isArray(o));
      } catch {
        return true;
      }
    });
    assert.deepEqual(nonJson, [], 'with --log-format json every stdout line is a JSON object');
  } catch (err) {
    throw withDiagnostics(err, faulty);
  }
});

/** Runs an admin command of agentops-server on the server's data directory and returns its stdout. */
function admin(srv, ...args) {
  return execFileSync(process.env.AGENTOPS_SERVER, [...args, '--data-dir', srv.dataDir],
    { encoding: 'utf8', input: 'correct horse battery\n' });
}

test('F: with --auth required, exporters send a project API key in their headers', async () => {
  const team = await ServerProcess.start([]);
  startedServers.push(team);
  try {
    // The operator's set-up, with the server running: two projects, a key for each.
    admin(team, 'project', 'create', 'support-bot');
    admin(team, 'project', 'create', 'billing');
    const keyOf = (out) => {
      const m = /^\s+(aok_[A-Za-z0-9_-]{43})$/m.exec(out);
      assert.ok(m, `key create prints the key once:\n${out}`);
      return m[1];
    };
    const supportKey = keyOf(admin(team, 'key', 'create', 'support-bot', '--name', 'interop'));
    const billingKey = keyOf(admin(team, 'key', 'create', 'billing'));

    // Without a key the exporter is refused (401) and nothing is stored.
    const anonymous = uniqueIds('f0');
    const refused = new ProtoTraceExporter({ url: `${team.baseUrl}/v1/traces` });
    await assert.rejects(sendAgentTrace({ exporter: refused, processor: 'batch', ...anonymous }),
      /failed after/, 'the export without a key fails');

    // With the key, as OTEL_EXPORTER_OTLP_HEADERS would set it.
    const ids = uniqueIds('f');
    const exporter = new ProtoTraceExporter({
      url: `${team.baseUrl}/v1/traces`, compression: 'gzip', headers: { Authorization: `Bearer ${supportKey}` },
    });
    const sent = await sendAgentTrace({ exporter, processor: 'batch', ...ids });
    team.token = supportKey;
    await verifyAgentTrace(team, sent, ids);

    // The other project's key sees nothing of it.
    const traceId = sent.root.spanContext().traceId;
    const other = await fetch(`${team.baseUrl}/api/v1/traces/${traceId}`,
      { headers: { authorization: `Bearer ${billingKey}` } });
    assert.equal(other.status, 404, 'a key of another project cannot read the trace');
    const list = await fetch(`${team.baseUrl}/api/v1/traces`, { headers: { 'x-api-key': billingKey } });
    assert.equal(list.status, 200);
    assert.deepEqual((await list.json()).traces, [], 'the other project has no traces');
    const statuses = team.jsonLogLines().filter((o) => o.path === '/v1/traces').map((o) => Number(o.status));
    assert.ok(statuses.includes(401) && statuses.includes(200), `ingest statuses: ${statuses}`);
  } catch (err) {
    throw withDiagnostics(err, team);
  }
});

/** google.rpc.Status from a gRPC error's grpc-status-details-bin, decoded by hand: { code, message, details }. */
function decodeRpcStatus(buf) {
  let pos = 0;
  const varint = () => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[pos++];
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  const fields = (end) => {
    const out = [];
    while (pos < end) {
      const key = Number(varint());
      const wire = key & 7;
      if (wire === 0) out.push({ field: key >> 3, value: varint() });
      else if (wire === 2) {
        const len = Number(varint());
        out.push({ field: key >> 3, bytes: buf.subarray(pos, pos + len) });
        pos += len;
      } else throw new Error(`unexpected wire type ${wire}`);
    }
    return out;
  };
  const top = fields(buf.length);
  const status = { code: 0, message: '', details: [] };
  for (const f of top) {
    if (f.field === 1) status.code = Number(f.value);
    else if (f.field === 2) status.message = f.bytes.toString('utf8');
    else if (f.field === 3) {
      // google.protobuf.Any: type_url (1), value (2)
      const saved = [buf, pos];
      buf = f.bytes;
      pos = 0;
      const any = fields(buf.length);
      const typeUrl = any.find((x) => x.field === 1)?.bytes.toString('utf8');
      const value = any.find((x) => x.field === 2)?.bytes ?? Buffer.alloc(0);
      let retrySeconds = null;
      if (typeUrl === 'type.googleapis.com/google.rpc.RetryInfo') {
        // RetryInfo.retry_delay (1): google.protobuf.Duration { seconds (1), nanos (2) }
        buf = value;
        pos = 0;
        const delay = fields(buf.length).find((x) => x.field === 1)?.bytes ?? Buffer.alloc(0);
        buf = delay;
        pos = 0;
        retrySeconds = Number(fields(buf.length).find((x) => x.field === 1)?.value ?? 0n);
      }
      status.details.push({ typeUrl, retrySeconds });
      [buf, pos] = saved;
    }
  }
  return status;
}

/** The statuses of the OTLP/gRPC calls in a server's JSON request log, in order. */
function grpcStatuses(srv) {
  return srv.jsonLogLines().filter((o) => o.transport === 'grpc').map((o) => o.status);
}

test('I: OTLP/gRPC backpressure is UNAVAILABLE with RetryInfo; the retried batch is stored once', async () => {
  const faulty = await ServerProcess.start(['--auth', 'none', '--fault-unavailable', '1']);
  startedServers.push(faulty);
  try {
    const ids = uniqueIds('i');
    const recorder = recordingExporter(new GrpcTraceExporter({ url: faulty.grpcUrl, timeoutMillis: 30_000 }));
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        [ATTR_SERVICE_NAME]: ids.serviceName,
        [ATTR_SERVICE_VERSION]: '0.9.1',
        'deployment.environment.name': 'interop',
        'host.cores': 2,
      }),
      spanProcessors: [new BatchSpanProcessor(recorder, { scheduledDelayMillis: 100, exportTimeoutMillis: 60_000 })],
    });
    const handles = buildAgentTrace(provider.getTracer(TRACER_NAME, TRACER_VERSION), ids);
    await assert.rejects(provider.forceFlush(), 'the flush reports the failed export');
    await provider.shutdown();

    // The pinned exporter (0.223.1) does not retry by itself: its gRPC transport reports every error
    // as final (its HTTP exporters retry 503 with Retry-After; see test E). What it receives is what a
    // retrying OpenTelemetry exporter (Go, Java, Python, the Collector) acts on: UNAVAILABLE, and in
    // grpc-status-details-bin a google.rpc.Status with RetryInfo saying when.
    assert.equal(recorder.calls.length, 1, 'one batch');
    const failed = recorder.calls[0].result;
    assert.equal(failed.code, EXPORT_RESULT_FAILED, `the first export fails: ${inspect(failed)}`);
    assert.equal(failed.error?.code, GRPC_UNAVAILABLE, `UNAVAILABLE: ${inspect(failed.error)}`);
    const detailsBin = failed.error.metadata?.get('grpc-status-details-bin')?.[0];
    assert.ok(Buffer.isBuffer(detailsBin), `status details in the trailers: ${inspect(failed.error.metadata)}`);
    const status = decodeRpcStatus(detailsBin);
    assert.equal(status.code, GRPC_UNAVAILABLE, 'google.rpc.Status code');
    assert.deepEqual(status.details, [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', retrySeconds: 1 }],
      'RetryInfo with the server\'s retry delay');
    assert.deepEqual(failed.error.metadata.get('grpc-retry-pushback-ms'), ['1000'],
      'the same delay in the trailer that gRPC\'s own retry policy reads (test K)');
    const traceId = handles.root.spanContext().traceId;
    const before = await fetch(`${faulty.baseUrl}/api/v1/traces/${traceId}`);
    await before.arrayBuffer();
    assert.equal(before.status, 404, 'nothing of the refused batch is stored');

    // What a retrying exporter does: wait retry_delay, send the same batch again with the same exporter.
    await sleep(status.details[0].retrySeconds * 1000);
    const exporter = new GrpcTraceExporter({ url: faulty.grpcUrl, timeoutMillis: 30_000 });
    const again = await new Promise((resolve) => exporter.export(recorder.calls[0].spans, resolve));
    await exporter.shutdown();
    assert.equal(again.code, EXPORT_RESULT_SUCCESS, `the retry succeeds: ${inspect(again.error)}`);

    const spans = recorder.calls[0].spans;
    const byId = new Map(spans.map((x) => [x.spanContext().spanId, x]));
    const pick = (h) => byId.get(h.spanContext().spanId);
    const sent = { calls: recorder.calls, root: pick(handles.root), chat1: pick(handles.chat1), tool: pick(handles.tool), chat2: pick(handles.chat2) };
    const detail = await verifyAgentTrace(faulty, sent, ids);
    assert.equal(new Set(detail.spans.map((x) => x.span_id)).size, 4, 'no duplicated spans');
    assert.deepEqual(grpcStatuses(faulty), ['UNAVAILABLE', 'OK'], 'statuses of the gRPC calls in the request log');
    const result = await faulty.stop();
    assert.deepEqual(result, { code: 0, signal: null }, 'exit status');
  } catch (err) {
    throw withDiagnostics(err, faulty);
  }
});

/**
 * A DNS server on loopback (UDP) that answers TXT queries for `name` with a gRPC service config, the
 * way an operator publishes one for the host name in an exporter's endpoint (grpc-js looks up the
 * TXT records of the target's own name and takes the one that starts with "grpc_config="). Every
 * question it is asked is kept in `queries`. dns-packet reads and writes the messages.
 */
async function serviceConfigDns(name, serviceConfig) {
  const socket = dgram.createSocket('udp4');
  const queries = [];
  // One TXT record of character-strings of at most 255 bytes each; grpc-js joins them.
  const text = `grpc_config=${JSON.stringify([{ serviceConfig }])}`;
  const chunks = [];
  for (let i = 0; i < text.length; i += 255) chunks.push(text.slice(i, i + 255));
  socket.on('message', (msg, rinfo) => {
    let query;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return;
    }
    queries.push(...query.questions.map((q) => `${q.type} ${q.name}`));
    const answers = query.questions
      .filter((q) => q.type === 'TXT' && q.name.toLowerCase() === name)
      .map((q) => ({ type: 'TXT', class: 'IN', name: q.name, ttl: 30, data: chunks }));
    const reply = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: query.questions,
      answers,
    });
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${socket.address().port}`, queries, close: () => socket.close() };
}

test('K: the JS gRPC exporter retries UNAVAILABLE by a retry policy from DNS, after the server\'s pushback', async () => {
  // The exporter (even 0.301.2, the newest) reports every gRPC error as final and hands grpc-js no
  // channel options. What does retry is grpc-js itself, with a retryPolicy from the service config
  // that it reads from the TXT records of the endpoint's host name. Its backoff here is short
  // (0.05-0.1 s); the retry waits the server's delay instead, from grpc-retry-pushback-ms.
  const resolver = await serviceConfigDns('localhost', {
    methodConfig: [{
      name: [{ service: 'opentelemetry.proto.collector.trace.v1.TraceService' }],
      retryPolicy: {
        maxAttempts: 4,
        initialBackoff: '0.05s',
        maxBackoff: '0.1s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE', 'RESOURCE_EXHAUSTED'],
      },
    }],
  });
  const savedServers = dns.getServers();
  dns.setServers([resolver.address]);
  // grpc-js looks up the addresses and the TXT record side by side, and a channel's first call goes
  // out as soon as it has addresses, usually before the service config: a long-lived exporter has it
  // from then on. So the exporter first sends a batch to a server without faults on the port, which
  // then gets a server whose first answer is UNAVAILABLE; the exporter is kept open in between (the
  // same channel, which keeps its service config across reconnections).
  const warm = await ServerProcess.start(['--auth', 'none']);
  startedServers.push(warm);
  const exporter = new GrpcTraceExporter({ url: `http://localhost:${warm.grpcPort}`, timeoutMillis: 30_000 });
  const keptOpen = {
    export: (spans, done) => exporter.export(spans, done),
    shutdown: async () => {},
    forceFlush: () => exporter.forceFlush(),
  };
  let faulty = warm;
  try {
    const warmIds = uniqueIds('k0');
    await verifyAgentTrace(warm, await sendAgentTrace({ exporter: keptOpen, processor: 'batch', ...warmIds }), warmIds);
    assert.ok(resolver.queries.includes('TXT localhost'), `the channel asked DNS for its service config: ${resolver.queries}`);
    assert.deepEqual(await warm.stop(), { code: 0, signal: null }, 'exit status');
    faulty = await ServerProcess.start(['--auth', 'none', '--fault-unavailable', '1',
      '--grpc-listen', `127.0.0.1:${warm.grpcPort}`]);
    startedServers.push(faulty);
    assert.equal(faulty.grpcPort, warm.grpcPort, 'the same port');

    const ids = uniqueIds('k');
    const started = Date.now();
    const sent = await sendAgentTrace({ exporter: keptOpen, processor: 'batch', ...ids });
    const elapsed = Date.now() - started;
    assert.equal(sent.calls.length, 1, 'one batch, and it succeeded: the retry happened under the exporter');
    const detail = await verifyAgentTrace(faulty, sent, ids);
    assert.equal(new Set(detail.spans.map((x) => x.span_id)).size, 4, 'no duplicated spans');
    const calls = faulty.jsonLogLines().filter((o) => o.transport === 'grpc');
    assert.deepEqual(calls.map((o) => o.status), ['UNAVAILABLE', 'OK'], 'statuses of the gRPC calls in the request log');
    // The second call came the server's retry delay (1 s) after the first, not the policy's 0.1 s.
    // (Each line is written when its call is answered: the second call arrived duration_ms earlier.)
    const gap = Date.parse(calls[1].ts) - Number(calls[1].duration_ms) - Date.parse(calls[0].ts);
    assert.ok(gap >= 900, `the retry came ${gap} ms after the refusal: grpc-retry-pushback-ms was honoured`);
    assert.ok(elapsed >= 900, `the export took ${elapsed} ms`);
    await exporter.shutdown();
    assert.deepEqual(await faulty.stop(), { code: 0, signal: null }, 'exit status');
  } catch (err) {
    throw withDiagnostics(err, faulty);
  } finally {
    dns.setServers(savedServers);
    resolver.close();
  }
});

test('J: with --auth required, a gRPC exporter sends the key as metadata from OTEL_EXPORTER_OTLP_HEADERS', async () => {
  const team = await ServerProcess.start([]);
  startedServers.push(team);
  const saved = { ...process.env };
  try {
    admin(team, 'project', 'create', 'support-bot');
    const out = admin(team, 'key', 'create', 'support-bot', '--name', 'grpc');
    const key = /^\s+(aok_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
    assert.ok(key, `key create prints the key once:\n${out}`);

    // As an operator configures an agent: endpoint, protocol and headers in the environment.
    const fromEnv = (headers) => {
      process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = team.grpcUrl;
      process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'grpc';
      if (headers) process.env.OTEL_EXPORTER_OTLP_HEADERS = headers;
      else delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
      try {
        return new GrpcTraceExporter();
      } finally {
        for (const k of ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_HEADERS']) {
          if (k in saved) process.env[k] = saved[k];
          else delete process.env[k];
        }
      }
    };
    await assert.rejects(sendAgentTrace({ exporter: fromEnv(null), processor: 'batch', ...uniqueIds('j0') }),
      /failed after/, 'the export without a key fails');
    await assert.rejects(sendAgentTrace({ exporter: fromEnv('Authorization=Bearer%20aok_wrong'), processor: 'batch', ...uniqueIds('j1') }),
      /failed after/, 'the export with a wrong key fails');

    const ids = uniqueIds('j');
    const sent = await sendAgentTrace({ exporter: fromEnv(`Authorization=Bearer%20${key}`), processor: 'batch', ...ids });
    team.token = key;
    await verifyAgentTrace(team, sent, ids);
    const statuses = grpcStatuses(team);
    assert.deepEqual(statuses, ['UNAUTHENTICATED', 'UNAUTHENTICATED', 'OK'], 'statuses of the gRPC calls in the request log');
  } catch (err) {
    throw withDiagnostics(err, team);
  }
});
