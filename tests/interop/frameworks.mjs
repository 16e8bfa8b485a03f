// Real agent frameworks, run against fake models, exporting through real OpenTelemetry exporters.
// Shared by frameworks.test.mjs (which sends the traces to agentops-server and compares what the
// server shows with what the framework reported) and capture-fixtures.mjs (which writes the same
// traces to tests/fixtures/frameworks for the C++ tests).
//
// runScenario(id, { makeExporter }) runs one scenario (one or two agent runs, each one trace) and
// returns what the producer itself reported: per model call usage (from the framework's own API:
// ADK's usage metadata, the AI SDK's result.steps[i].usage, the OpenAI client's completion.usage),
// the run totals, the tool calls and which failed with which message, the session and user ids, the
// model names, and the span ids the exporter sent, so a test can find each call's span.
//
// What each framework really emits (read from its source in node_modules, versions in package.json):
//
// Google ADK JS 2.0.0 — tracer "gcp.vertex.agent", from the GLOBAL tracer provider only:
//   invocation (no attributes) → invoke_agent <agent> (gen_ai.operation.name, gen_ai.agent.name,
//   gen_ai.conversation.id = session id) → call_llm, one per model call (gen_ai.system
//   "gcp.vertex.agent", gen_ai.request.model, gen_ai.usage.input_tokens = promptTokenCount,
//   gen_ai.usage.output_tokens = candidatesTokenCount; no response model, no cached or reasoning
//   counts; gcp.vertex.agent.session_id, .llm_request and .llm_response as JSON) → execute_tool <tool>
//   under the call_llm that asked for it. No span carries the user id.
//   A tool that throws: FunctionTool rethrows it as Error("Error in tool '<name>': <message>") and
//   callToolAsync ends the span in `finally` without calling traceToolCall, so the failed execute_tool
//   span has no attributes at all and status UNSET. The model gets the failure as the function
//   response {"error": "Error in tool '<name>': <message>"}, visible in the next call_llm's
//   gcp.vertex.agent.llm_request.
//   ADK pins its own copy of @opentelemetry/api (1.9.0): its module-level tracer only reaches a provider
//   registered globally BEFORE @google/adk is imported, hence the dynamic import below.
//
// Vercel AI SDK 6.0.333 — generateText with experimental_telemetry:
//   ai.generateText (outer span): ai.usage.* = the run's total (sum of the steps), ai.model.id,
//   ai.model.provider, ai.prompt, ai.response.text; no gen_ai.usage.*.
//   ai.generateText.doGenerate, one per model call: ai.usage.inputTokens (cached included),
//   .inputTokenDetails.{noCache,cacheRead,cacheWrite}Tokens, .outputTokens (reasoning included),
//   .outputTokenDetails.{text,reasoning}Tokens, .cachedInputTokens, .reasoningTokens, .totalTokens, and
//   gen_ai.usage.input_tokens / output_tokens, gen_ai.request.model, gen_ai.response.model, gen_ai.system.
//   ai.toolCall, one per tool execution: ai.toolCall.name / id / args / result. A tool that throws:
//   status ERROR with the error's message and an "exception" event; the model gets a tool-error part.
//   Session and user only through experimental_telemetry.metadata: ai.telemetry.metadata.sessionId /
//   userId on every span.
//
// OpenInference for the AI SDK (@arizeai/openinference-vercel 2.8.1, the last one for Node 20 and
// ai@6) — a span processor that rewrites spans before export: openinference.span.kind (ai.generateText
//   AGENT, doGenerate LLM, toolCall TOOL), llm.token_count.prompt / completion / total on LLM spans only,
//   llm.model_name, input/output.value, metadata.*; every ai.* and gen_ai.* attribute stays, so the AGENT
//   span still carries the run total in ai.usage.*. Spans are renamed to their operation.name
//   ("ai.generateText weather-agent"). It means to set the root's status from the trace's errors, but it
//   tests ReadableSpan.parentSpanId, which SDK 2.x spans no longer have (parentSpanContext): every span
//   is taken for a root, so once a tool has failed, every AI SDK span ending later with status UNSET is
//   set to ERROR with the tool's message (the second doGenerate and ai.generateText); without a failure
//   every span is set to OK.
//
// OpenLLMetry (@traceloop/instrumentation-openai 0.27.0) on the openai client 6.x — one span per
//   chat.completions.create, "chat <model>": gen_ai.provider.name, gen_ai.operation.name "chat",
//   gen_ai.request.model, gen_ai.response.model, gen_ai.usage.input_tokens / output_tokens /
//   total_tokens, gen_ai.input/output.messages, status UNSET. prompt_tokens_details.cached_tokens and
//   completion_tokens_details.reasoning_tokens are NOT exported. Without the Traceloop SDK there are no
//   agent, tool or session spans: the application's own spans carry those (GenAI conventions here).
//
// OpenInference for openai (@arizeai/openinference-instrumentation-openai 4.2.7) — "OpenAI Chat
//   Completions": openinference.span.kind LLM, llm.model_name (the response's model), llm.system,
//   llm.token_count.prompt / completion / total, .prompt_details.cache_read,
//   .completion_details.reasoning, status OK; session.id / user.id from the context (setSession /
//   setUser) on every span it starts. openinference-core's traceAgent / traceTool make the AGENT and
//   TOOL spans; a function that throws gets an "exception" event and status ERROR with its message.

import http from 'node:http';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

import { context, trace, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { generateText, tool, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { OpenInferenceBatchSpanProcessor } from '@arizeai/openinference-vercel';
import { OpenAIInstrumentation as OpenLLMetryOpenAI } from '@traceloop/instrumentation-openai';
import { OpenAIInstrumentation as OpenInferenceOpenAI } from '@arizeai/openinference-instrumentation-openai';
import { traceAgent, traceTool, setSession, setUser } from '@arizeai/openinference-core';
import * as openaiEsm from 'openai';

const require = createRequire(import.meta.url);
// The openai package ships separate CommonJS and ES module builds, each with its own classes: OpenLLMetry
// patches the CommonJS one and OpenInference the ES module one, so neither instruments the other's calls.
const openaiCjs = require('openai');

const EXPORT_RESULT_SUCCESS = 0; // ExportResultCode.SUCCESS in @opentelemetry/core
const BATCH_DELAY_MS = 60_000; // only forceFlush exports: one OTLP request per run

/** Versions of the producer packages, as installed (some do not export their package.json). */
export function packageVersions(names) {
  const out = {};
  for (const name of names) {
    const file = new URL(`./node_modules/${name}/package.json`, import.meta.url);
    out[name] = JSON.parse(readFileSync(file, 'utf8')).version;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// OpenTelemetry plumbing

let contextManagerReady = false;

/** Parent/child spans across awaits need a context manager, registered once per process. */
function ensureContextManager() {
  if (contextManagerReady) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerReady = true;
}

/** Wraps an exporter to keep every span it was given and the result of every export call. */
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
    shutdown: () => inner.shutdown(),
    forceFlush: () => (inner.forceFlush ? inner.forceFlush() : Promise.resolve()),
  };
}

/** Flushes a run's processor and returns its spans; throws when an export failed. */
async function finishRun(processor, recorder, label) {
  await processor.forceFlush();
  await processor.shutdown();
  if (recorder.calls.length === 0) throw new Error(`${label}: the exporter was never called`);
  recorder.calls.forEach((call, i) => {
    if (!call.result || call.result.code !== EXPORT_RESULT_SUCCESS) {
      throw new Error(`${label}: export call ${i + 1} failed: ${inspect(call.result?.error ?? call.result)}`);
    }
  });
  return recorder.calls.flatMap((c) => c.spans);
}

function resource(serviceName) {
  return resourceFromAttributes({
    'service.name': serviceName,
    'service.version': '1.0.0',
    'deployment.environment.name': 'interop',
  });
}

/**
 * A span processor that forwards to the current run's processor. ADK reaches only the global
 * provider, registered once per process, so each run plugs its own exporter in here.
 */
class RunRouter {
  constructor() {
    this.target = null;
  }
  onStart(span, parentContext) {
    this.target?.onStart(span, parentContext);
  }
  onEnd(span) {
    this.target?.onEnd(span);
  }
  forceFlush() {
    return this.target ? this.target.forceFlush() : Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
}

// ---------------------------------------------------------------------------------------------
// What the producer reported, in one shape for every scenario

/** Usage with a field per token kind; null where the producer's telemetry does not carry it. */
function usage({ input, output, cacheRead = null, cacheWrite = null, reasoning = null }) {
  return { input, output, cache_read: cacheRead, cache_write: cacheWrite, reasoning };
}

function sumUsage(list) {
  const keys = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'];
  const out = {};
  for (const k of keys) {
    const present = list.filter((u) => u[k] !== null && u[k] !== undefined);
    out[k] = present.length ? present.reduce((acc, u) => acc + u[k], 0) : null;
  }
  return out;
}

function hrToNs(hr) {
  return BigInt(hr[0]) * 1_000_000_000n + BigInt(hr[1]);
}

function spanRef(span) {
  return { span_name: span.name, span_id: span.spanContext().spanId };
}

/**
 * Builds a run's record from the exported spans and what the framework's own API reported.
 * llmCalls: [{ usage, request_model, response_model, reported }] in call order, matched with the
 * spans isLlm picks; toolCalls: [{ tool_name, failed, error_message }] in call order, matched with the
 * spans isTool picks. Spans reach the exporter in the order they end, which for calls made one after
 * the other is the call order (their start times only have millisecond resolution, and calls to an
 * instant fake model often start in the same millisecond).
 */
function runRecord({ run, spans, isLlm, isTool, llmCalls, toolCalls, totalUsage, sessionId, userId, notes, prompt }) {
  const label = `run "${run}"`;
  const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
  if (traceIds.size !== 1) throw new Error(`${label}: expected one trace, the exporter sent ${traceIds.size}`);
  const roots = spans.filter((s) => !s.parentSpanContext?.spanId);
  if (roots.length !== 1) throw new Error(`${label}: expected one root span, got ${roots.length}`);

  const llmSpans = spans.filter(isLlm);
  if (llmSpans.length !== llmCalls.length) {
    throw new Error(`${label}: ${llmCalls.length} model calls but ${llmSpans.length} LLM spans`);
  }
  const toolSpans = spans.filter(isTool);
  if (toolSpans.length !== toolCalls.length) {
    throw new Error(`${label}: ${toolCalls.length} tool calls but ${toolSpans.length} tool spans`);
  }
  const sum = sumUsage(llmCalls.map((c) => c.usage));
  if (JSON.stringify(sum) !== JSON.stringify(totalUsage)) {
    throw new Error(`${label}: the producer's run total ${JSON.stringify(totalUsage)} is not the sum of its calls ${JSON.stringify(sum)}`);
  }

  const llm = llmCalls.map((c, i) => ({ ...spanRef(llmSpans[i]), order: i, ...c }));
  const tools = toolCalls.map((c, i) => ({ ...spanRef(toolSpans[i]), order: i, ...c }));

  // Error spans: the ones the producer gave status ERROR, and the tool calls the framework reported
  // as failed (ADK leaves those spans UNSET).
  const errors = new Map();
  for (const s of spans) {
    if (s.status.code === SpanStatusCode.ERROR) {
      errors.set(s.spanContext().spanId, { ...spanRef(s), message: s.status.message ?? '', source: 'span status' });
    }
  }
  for (const t of tools) {
    if (t.failed && !errors.has(t.span_id)) {
      errors.set(t.span_id, { span_name: t.span_name, span_id: t.span_id, message: t.error_message, source: 'framework tool failure' });
    }
  }
  const root = roots[0];
  const starts = spans.map((s) => hrToNs(s.startTime));
  const ends = spans.map((s) => hrToNs(s.endTime));
  const min = (xs) => xs.reduce((a, b) => (b < a ? b : a));
  const max = (xs) => xs.reduce((a, b) => (b > a ? b : a));
  const models = [...new Set(llm.map((c) => c.response_model ?? c.request_model))].sort();
  return {
    run,
    trace_id: root.spanContext().traceId,
    root_span_id: root.spanContext().spanId,
    root_span_name: root.name,
    start_time_unix_nano: min(starts).toString(),
    end_time_unix_nano: max(ends).toString(),
    span_count: spans.length,
    session_id: sessionId,
    user_id: userId,
    models,
    llm_calls: llm,
    total_usage: totalUsage,
    tool_calls: tools,
    failed_tool_calls: tools.filter((t) => t.failed).length,
    error_spans: [...errors.values()],
    ...(prompt ? { prompt } : {}),
    ...(notes ? { notes } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The agent every scenario runs: "what is the weather in <city>?" → model asks get_weather(city) →
// the tool answers (or throws for an unknown city) → model answers.

const CITY_OK = 'Lisbon';
const CITY_FAIL = 'Atlantis';
const RUNS = [
  { run: 'ok', city: CITY_OK },
  { run: 'tool-error', city: CITY_FAIL },
];

function question(city) {
  return `What is the weather in ${city} this weekend?`;
}

function cityOf(text) {
  const m = /weather in (\w+)/.exec(text ?? '');
  return m ? m[1] : CITY_OK;
}

/** The tool: a forecast, or an error for a city it does not know. */
async function getWeather(city) {
  if (city === CITY_FAIL) throw new Error(`no forecast for ${city}: unknown city`);
  return { city, forecast: 'sunny', high_c: 24, low_c: 16 };
}

/** The tool behind a flaky service: its first call fails, the ones after it answer. */
function flakyWeather() {
  let calls = 0;
  return async (city) => {
    calls += 1;
    if (calls === 1) throw new Error('forecast service busy: try again');
    return getWeather(city);
  };
}

// ---------------------------------------------------------------------------------------------
// Google ADK JS

// Usage the fake Gemini model reports, per city and model call (promptTokenCount, candidatesTokenCount).
const ADK_USAGE = {
  [CITY_OK]: [{ prompt: 412, candidates: 23 }, { prompt: 468, candidates: 41 }],
  [CITY_FAIL]: [{ prompt: 415, candidates: 24 }, { prompt: 489, candidates: 37 }],
  // The retry run asks the same question as run "ok"; its second call sees the failure and asks for the
  // tool again, its third sees the forecast.
  retry: [{ prompt: 412, candidates: 23 }, { prompt: 471, candidates: 19 }, { prompt: 527, candidates: 41 }],
};
const ADK_RETRY_RUNS = [{ run: 'retry', city: CITY_OK, retry: true }];
const ADK_MODEL = 'gemini-2.5-flash';
const ADK_SERVICE = 'adk-weather-agent';

let adkRuntime = null;

/** Registers the global provider (once) and only then loads ADK, so its tracer reaches the provider. */
async function loadAdk() {
  if (adkRuntime) return adkRuntime;
  ensureContextManager();
  const router = new RunRouter();
  const provider = new BasicTracerProvider({ resource: resource(ADK_SERVICE), spanProcessors: [router] });
  if (!trace.setGlobalTracerProvider(provider)) {
    throw new Error('a global tracer provider was already registered: ADK would not reach ours');
  }
  const adk = await import('@google/adk');
  adkRuntime = { adk, router };
  return adkRuntime;
}

async function runAdk({ makeExporter, sessionId, userId, runs: plan = RUNS }) {
  const { adk, router } = await loadAdk();
  const { BaseLlm, LlmAgent, FunctionTool, InMemoryRunner } = adk;
  let current = plan[0];

  /** A Gemini stand-in: asks for get_weather, then answers once the function response is back. */
  class FakeGemini extends BaseLlm {
    constructor() {
      super({ model: ADK_MODEL });
    }
    async *generateContentAsync(llmRequest) {
      const contents = llmRequest.contents ?? [];
      const firstUser = contents.findLast((c) => c.role === 'user' && c.parts?.some((p) => p.text));
      const city = cityOf(firstUser?.parts.find((p) => p.text)?.text);
      const last = contents[contents.length - 1];
      const response = last?.parts?.find((p) => p.functionResponse)?.functionResponse;
      const answered = contents.filter((c) => c.parts?.some((p) => p.functionResponse)).length;
      const table = ADK_USAGE[current.retry ? 'retry' : city];
      const [first, second] = current.retry ? [table[answered], table[answered]] : table;
      // The retry run asks again once its first call failed.
      if (!response || (current.retry && response.response?.error && answered === 1)) {
        const id = answered ? `adk-call-${city}-${answered + 1}` : `adk-call-${city}`;
        yield {
          content: { role: 'model', parts: [{ functionCall: { id, name: 'get_weather', args: { city } } }] },
          usageMetadata: { promptTokenCount: first.prompt, candidatesTokenCount: first.candidates, totalTokenCount: first.prompt + first.candidates },
          finishReason: 'STOP',
        };
        return;
      }
      const text = response.response?.error
        ? `I could not get a forecast for ${city}.`
        : `It will be ${response.response.forecast} in ${city}, ${response.response.high_c} °C at most.`;
      yield {
        content: { role: 'model', parts: [{ text }] },
        usageMetadata: { promptTokenCount: second.prompt, candidatesTokenCount: second.candidates, totalTokenCount: second.prompt + second.candidates },
        finishReason: 'STOP',
      };
    }
    async connect() {
      throw new Error('FakeGemini has no live connection');
    }
  }

  let weather = getWeather;
  const weatherTool = new FunctionTool({
    name: 'get_weather',
    description: 'Weather forecast for a city.',
    parameters: z.object({ city: z.string().describe('city name') }),
    execute: ({ city }) => weather(city),
  });
  const agent = new LlmAgent({
    name: 'weather_agent',
    description: 'Answers weather questions.',
    model: new FakeGemini(),
    instruction: 'Answer weather questions with the get_weather tool.',
    tools: [weatherTool],
  });
  const appName = 'weather_app';
  const runner = new InMemoryRunner({ agent, appName });
  await runner.sessionService.createSession({ appName, userId, sessionId });

  const runs = [];
  for (const planned of plan) {
    const { run, city } = planned;
    current = planned;
    weather = planned.retry ? flakyWeather() : getWeather;
    const recorder = recordingExporter(makeExporter());
    const processor = new BatchSpanProcessor(recorder, { scheduledDelayMillis: BATCH_DELAY_MS });
    router.target = processor;
    const events = [];
    try {
      for await (const event of runner.runAsync({
        userId, sessionId, newMessage: { role: 'user', parts: [{ text: question(city) }] },
      })) {
        events.push(event);
      }
    } finally {
      router.target = null;
    }
    const spans = await finishRun(processor, recorder, `adk-js ${run}`);

    // What ADK reported: each model response event's usage metadata, each function response.
    const modelEvents = events.filter((e) => e.usageMetadata);
    const llmCalls = modelEvents.map((e) => ({
      request_model: ADK_MODEL,
      response_model: null, // ADK 2.0 exports no response model
      usage: usage({ input: e.usageMetadata.promptTokenCount, output: e.usageMetadata.candidatesTokenCount }),
      reported: { usageMetadata: e.usageMetadata },
    }));
    const toolCalls = events.flatMap((e) => (e.content?.parts ?? []).filter((p) => p.functionResponse))
      .map((p) => ({
        tool_name: p.functionResponse.name,
        failed: typeof p.functionResponse.response?.error === 'string',
        error_message: p.functionResponse.response?.error ?? null,
      }));
    runs.push(runRecord({
      run,
      spans,
      isLlm: (s) => s.name === 'call_llm',
      isTool: (s) => s.name.startsWith('execute_tool '),
      llmCalls,
      toolCalls,
      totalUsage: sumUsage(llmCalls.map((c) => c.usage)),
      sessionId,
      userId: null, // ADK puts the user id on no span
      notes: `ADK ran with user id "${userId}" but exports it on no span; the run total is the sum of the model's usage metadata.`,
    }));
  }
  return {
    service_name: ADK_SERVICE,
    producer: packageVersions(['@google/adk', '@opentelemetry/sdk-trace-base']),
    runs,
  };
}

// ---------------------------------------------------------------------------------------------
// Vercel AI SDK 6 (plain, and with OpenInference)

// Usage the mock model reports per city and step, in the LanguageModelV3 shape.
const AI_USAGE = {
  [CITY_OK]: [
    { inputTokens: { total: 60, noCache: 28, cacheRead: 0, cacheWrite: 32 }, outputTokens: { total: 10, text: 4, reasoning: 6 } },
    { inputTokens: { total: 42, noCache: 10, cacheRead: 32, cacheWrite: 0 }, outputTokens: { total: 6, text: 6, reasoning: 0 } },
  ],
  [CITY_FAIL]: [
    { inputTokens: { total: 61, noCache: 29, cacheRead: 0, cacheWrite: 32 }, outputTokens: { total: 11, text: 5, reasoning: 6 } },
    { inputTokens: { total: 47, noCache: 15, cacheRead: 32, cacheWrite: 0 }, outputTokens: { total: 9, text: 9, reasoning: 0 } },
  ],
};

// The same agent asked in other words: another prompt, other usage.
const REWORDED_QUESTION = 'How is the weather in Lisbon looking for Saturday and Sunday?';
const AI_USAGE_BY_QUESTION = {
  [REWORDED_QUESTION]: [
    { inputTokens: { total: 64, noCache: 32, cacheRead: 0, cacheWrite: 32 }, outputTokens: { total: 12, text: 6, reasoning: 6 } },
    { inputTokens: { total: 46, noCache: 14, cacheRead: 32, cacheWrite: 0 }, outputTokens: { total: 8, text: 8, reasoning: 0 } },
  ],
};
const VERCEL_REWORDED_RUNS = [{ run: 'reworded', city: CITY_OK, question: REWORDED_QUESTION }];

function mockModel({ provider, modelId }) {
  return new MockLanguageModelV3({
    provider,
    modelId,
    doGenerate: async ({ prompt }) => {
      const userText = prompt.find((m) => m.role === 'user')?.content.find((p) => p.type === 'text')?.text;
      const city = cityOf(userText);
      const toolResult = prompt.find((m) => m.role === 'tool');
      const [first, second] = AI_USAGE_BY_QUESTION[userText] ?? AI_USAGE[city];
      if (!toolResult) {
        return {
          content: [{ type: 'tool-call', toolCallId: `ai-call-${city}`, toolName: 'get_weather', input: JSON.stringify({ city }) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_use' },
          usage: first,
          warnings: [],
        };
      }
      return {
        content: [{ type: 'text', text: `Here is what I found about the weather in ${city}.` }],
        finishReason: { unified: 'stop', raw: 'end_turn' },
        usage: second,
        warnings: [],
      };
    },
  });
}

function aiUsage(u) {
  return usage({
    input: u.inputTokens,
    output: u.outputTokens,
    cacheRead: u.inputTokenDetails?.cacheReadTokens ?? null,
    cacheWrite: u.inputTokenDetails?.cacheWriteTokens ?? null,
    reasoning: u.outputTokenDetails?.reasoningTokens ?? null,
  });
}

async function runVercel({ makeExporter, sessionId, userId, openInference, runs: plan = RUNS }) {
  ensureContextManager();
  const serviceName = openInference ? 'vercel-ai-openinference-agent' : 'vercel-ai-agent';
  // One model is priced by its row id (claude-sonnet-4), the other has no price row.
  const model = openInference
    ? mockModel({ provider: 'mock-provider', modelId: 'mock-model-id' })
    : mockModel({ provider: 'anthropic.messages', modelId: 'claude-sonnet-4' });
  const runs = [];
  for (const { run, city, question: asked } of plan) {
    const recorder = recordingExporter(makeExporter());
    const processor = openInference
      ? new OpenInferenceBatchSpanProcessor({ exporter: recorder, config: { scheduledDelayMillis: BATCH_DELAY_MS } })
      : new BatchSpanProcessor(recorder, { scheduledDelayMillis: BATCH_DELAY_MS });
    const provider = new BasicTracerProvider({ resource: resource(serviceName), spanProcessors: [processor] });
    const result = await generateText({
      model,
      system: 'Answer weather questions with the get_weather tool.',
      prompt: asked ?? question(city),
      tools: {
        get_weather: tool({
          description: 'Weather forecast for a city.',
          inputSchema: z.object({ city: z.string() }),
          execute: ({ city: c }) => getWeather(c),
        }),
      },
      stopWhen: stepCountIs(5),
      experimental_telemetry: {
        isEnabled: true,
        functionId: 'weather-agent',
        tracer: provider.getTracer('ai'),
        metadata: { sessionId, userId },
      },
    });
    const spans = await finishRun(processor, recorder, `${serviceName} ${run}`);

    const llmCalls = result.steps.map((step) => ({
      request_model: model.modelId,
      response_model: step.response.modelId,
      usage: aiUsage(step.usage),
      reported: { usage: step.usage },
    }));
    const toolCalls = result.steps.flatMap((step) => step.content)
      .filter((p) => p.type === 'tool-result' || p.type === 'tool-error')
      .map((p) => ({
        tool_name: p.toolName,
        failed: p.type === 'tool-error',
        error_message: p.type === 'tool-error' ? p.error.message : null,
      }));
    // The operation name is the span name (OpenInference renames spans to it).
    const op = (s) => String(s.attributes['ai.operationId'] ?? s.attributes['operation.name'] ?? s.name).split(' ')[0];
    runs.push(runRecord({
      run,
      spans,
      isLlm: (s) => op(s) === 'ai.generateText.doGenerate',
      isTool: (s) => op(s) === 'ai.toolCall',
      llmCalls,
      toolCalls,
      totalUsage: aiUsage(result.totalUsage),
      sessionId,
      userId,
      prompt: asked,
      notes: openInference
        ? 'The run total is result.totalUsage. The outer ai.generateText span repeats it in ai.usage.*. OpenInference marks every span ending after the failed tool as ERROR (see frameworks.mjs).'
        : 'The run total is result.totalUsage; the outer ai.generateText span repeats it in ai.usage.*.',
    }));
  }
  const producer = packageVersions(['ai', '@opentelemetry/sdk-trace-base']);
  if (openInference) Object.assign(producer, packageVersions(['@arizeai/openinference-vercel']));
  return { service_name: serviceName, producer, runs };
}

// ---------------------------------------------------------------------------------------------
// The openai client against a local OpenAI-compatible server, with OpenLLMetry or OpenInference

const OPENAI_MODELS = { 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18', 'o4-mini': 'o4-mini-2025-04-16' };
// The usage the server answers per city and call, as OpenAI reports it.
const OPENAI_USAGE = {
  [CITY_OK]: [
    { prompt_tokens: 200, completion_tokens: 25, cached: 0, reasoning: 10 },
    { prompt_tokens: 300, completion_tokens: 40, cached: 128, reasoning: 16 },
  ],
  [CITY_FAIL]: [
    { prompt_tokens: 201, completion_tokens: 26, cached: 0, reasoning: 10 },
    { prompt_tokens: 310, completion_tokens: 35, cached: 128, reasoning: 12 },
  ],
};

function openaiUsage(u) {
  return {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** A small OpenAI-compatible chat completions server on loopback. */
async function startFakeOpenAI() {
  let counter = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not found"}}');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const city = cityOf(body.messages.find((m) => m.role === 'user')?.content);
      const toolMessage = body.messages.find((m) => m.role === 'tool');
      const [first, second] = OPENAI_USAGE[city];
      const message = toolMessage
        ? { role: 'assistant', content: `Here is what I found about the weather in ${city}.`, refusal: null }
        : {
          role: 'assistant', content: null, refusal: null,
          tool_calls: [{ id: `call_${city}`, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city }) } }],
        };
      counter += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: `chatcmpl-interop-${counter}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: OPENAI_MODELS[body.model] ?? body.model,
        choices: [{ index: 0, message, finish_reason: toolMessage ? 'stop' : 'tool_calls', logprobs: null }],
        usage: openaiUsage(toolMessage ? second : first),
        system_fingerprint: 'fp_interop',
      }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${server.address().port}/v1`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const WEATHER_TOOL_SCHEMA = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather forecast for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/**
 * The application's agent loop over the openai client: ask, run the requested tool (a failure goes
 * back to the model as {"error": message}), ask again. runTool(name, args) runs a tool inside whatever
 * span the scenario gives it.
 */
async function openaiAgentLoop(client, modelName, city, runTool) {
  const messages = [
    { role: 'system', content: 'Answer weather questions with the get_weather tool.' },
    { role: 'user', content: question(city) },
  ];
  const completions = [];
  const toolCalls = [];
  const first = await client.chat.completions.create({ model: modelName, messages, tools: [WEATHER_TOOL_SCHEMA] });
  completions.push(first);
  const call = first.choices[0].message.tool_calls[0];
  messages.push(first.choices[0].message);
  let content;
  try {
    content = JSON.stringify(await runTool(call.function.name, JSON.parse(call.function.arguments)));
    toolCalls.push({ tool_name: call.function.name, failed: false, error_message: null });
  } catch (err) {
    content = JSON.stringify({ error: err.message });
    toolCalls.push({ tool_name: call.function.name, failed: true, error_message: err.message });
  }
  messages.push({ role: 'tool', tool_call_id: call.id, content });
  completions.push(await client.chat.completions.create({ model: modelName, messages, tools: [WEATHER_TOOL_SCHEMA] }));
  return { completions, toolCalls };
}

let openLLMetry = null;
let openInference = null;

async function runOpenLLMetry({ makeExporter, sessionId, userId }) {
  ensureContextManager();
  const serviceName = 'openai-openllmetry-agent';
  const modelName = 'gpt-4o-mini';
  if (!openLLMetry) {
    openLLMetry = new OpenLLMetryOpenAI({ enabled: false });
    openLLMetry.manuallyInstrument(openaiCjs.OpenAI);
  }
  const fake = await startFakeOpenAI();
  const runs = [];
  try {
    const client = new openaiCjs.OpenAI({ apiKey: 'sk-interop', baseURL: fake.baseURL, maxRetries: 0 });
    for (const { run, city } of RUNS.filter((r) => r.run === 'ok')) {
      const recorder = recordingExporter(makeExporter());
      const processor = new BatchSpanProcessor(recorder, { scheduledDelayMillis: BATCH_DELAY_MS });
      const provider = new BasicTracerProvider({ resource: resource(serviceName), spanProcessors: [processor] });
      openLLMetry.setTracerProvider(provider);
      // The application's own spans, in the OpenTelemetry GenAI conventions.
      const tracer = provider.getTracer('weather-app', '1.0.0');
      const loop = await tracer.startActiveSpan('invoke_agent weather_agent', {
        attributes: {
          'gen_ai.operation.name': 'invoke_agent',
          'gen_ai.agent.name': 'weather_agent',
          'gen_ai.conversation.id': sessionId,
          'user.id': userId,
        },
      }, async (span) => {
        try {
          return await openaiAgentLoop(client, modelName, city, (name, args) =>
            tracer.startActiveSpan(`execute_tool ${name}`, {
              attributes: {
                'gen_ai.operation.name': 'execute_tool',
                'gen_ai.tool.name': name,
                'gen_ai.tool.call.arguments': JSON.stringify(args),
              },
            }, async (toolSpan) => {
              try {
                const out = await getWeather(args.city);
                toolSpan.setAttribute('gen_ai.tool.call.result', JSON.stringify(out));
                return out;
              } catch (err) {
                toolSpan.recordException(err);
                toolSpan.setStatus({ code: SpanStatusCode.ERROR, message: err.message });
                throw err;
              } finally {
                toolSpan.end();
              }
            }));
        } finally {
          span.end();
        }
      });
      const spans = await finishRun(processor, recorder, `${serviceName} ${run}`);
      // OpenLLMetry exports prompt and completion tokens only: cached and reasoning counts stay null.
      const llmCalls = loop.completions.map((c) => ({
        request_model: modelName,
        response_model: c.model,
        usage: usage({ input: c.usage.prompt_tokens, output: c.usage.completion_tokens }),
        reported: { usage: c.usage },
      }));
      runs.push(runRecord({
        run,
        spans,
        isLlm: (s) => s.instrumentationScope?.name === '@traceloop/instrumentation-openai',
        isTool: (s) => s.name.startsWith('execute_tool '),
        llmCalls,
        toolCalls: loop.toolCalls,
        totalUsage: sumUsage(llmCalls.map((c) => c.usage)),
        sessionId,
        userId,
        notes: 'The server reported cached and reasoning tokens (see reported); OpenLLMetry 0.27 does not export them, so they are null here. The run total is the sum of the completions\' usage.',
      }));
    }
  } finally {
    await fake.close();
  }
  return {
    service_name: serviceName,
    producer: packageVersions(['@traceloop/instrumentation-openai', 'openai', '@opentelemetry/sdk-trace-base']),
    runs,
  };
}

async function runOpenInferenceOpenAI({ makeExporter, sessionId, userId }) {
  ensureContextManager();
  const serviceName = 'openai-openinference-agent';
  const modelName = 'o4-mini';
  if (!openInference) {
    openInference = new OpenInferenceOpenAI({ instrumentationConfig: { enabled: false } });
    openInference.manuallyInstrument(openaiEsm);
  }
  const fake = await startFakeOpenAI();
  const runs = [];
  try {
    const client = new openaiEsm.OpenAI({ apiKey: 'sk-interop', baseURL: fake.baseURL, maxRetries: 0 });
    for (const { run, city } of RUNS) {
      const recorder = recordingExporter(makeExporter());
      const processor = new BatchSpanProcessor(recorder, { scheduledDelayMillis: BATCH_DELAY_MS });
      const provider = new BasicTracerProvider({ resource: resource(serviceName), spanProcessors: [processor] });
      openInference.setTracerProvider(provider);
      const tracer = provider.getTracer('weather-app', '1.0.0');
      const weather = traceTool((args) => getWeather(args.city), { name: 'get_weather', tracer });
      const agent = traceAgent((c) => openaiAgentLoop(client, modelName, c, (_name, args) => weather(args)),
        { name: 'weather_agent', tracer });
      const ctx = setUser(setSession(context.active(), { sessionId }), { userId });
      const loop = await context.with(ctx, () => agent(city));
      const spans = await finishRun(processor, recorder, `${serviceName} ${run}`);
      const llmCalls = loop.completions.map((c) => ({
        request_model: modelName,
        response_model: c.model,
        usage: usage({
          input: c.usage.prompt_tokens,
          output: c.usage.completion_tokens,
          cacheRead: c.usage.prompt_tokens_details.cached_tokens,
          reasoning: c.usage.completion_tokens_details.reasoning_tokens,
        }),
        reported: { usage: c.usage },
      }));
      runs.push(runRecord({
        run,
        spans,
        isLlm: (s) => s.attributes['openinference.span.kind'] === 'LLM',
        isTool: (s) => s.attributes['openinference.span.kind'] === 'TOOL',
        llmCalls,
        toolCalls: loop.toolCalls,
        totalUsage: sumUsage(llmCalls.map((c) => c.usage)),
        sessionId,
        userId,
        notes: 'The run total is the sum of the completions\' usage. OpenAI reports no cache writes.',
      }));
    }
  } finally {
    await fake.close();
  }
  return {
    service_name: serviceName,
    producer: packageVersions(['@arizeai/openinference-instrumentation-openai', '@arizeai/openinference-core', 'openai', '@opentelemetry/sdk-trace-base']),
    runs,
  };
}

// ---------------------------------------------------------------------------------------------

export const SCENARIOS = [
  {
    id: 'adk-js',
    description: 'Google ADK JS: LlmAgent with a fake gemini-2.5-flash BaseLlm and a FunctionTool; run "ok", and run "tool-error" whose tool throws (ADK reports it to the model as {"error": ...}, span status unset).',
    run: runAdk,
  },
  {
    id: 'adk-js-retry',
    description: 'The Google ADK JS agent of adk-js asked what run "ok" asks, with a tool whose first call fails ("forecast service busy"): the fake model asks for the tool again and answers with the forecast; run "retry" (three model calls, two tool calls, the first failed).',
    run: (opts) => runAdk({ ...opts, runs: ADK_RETRY_RUNS }),
  },
  {
    id: 'vercel-ai',
    description: 'Vercel AI SDK 6 generateText with MockLanguageModelV3 "claude-sonnet-4" (priced by its row id) and a tool, two model calls per run; run "ok" and run "tool-error".',
    run: (opts) => runVercel({ ...opts, openInference: false }),
  },
  {
    id: 'vercel-ai-reworded',
    description: 'The AI SDK 6 agent of vercel-ai asked the same question in other words (the prompt is in the run record), with the usage the mock model reports for that prompt; run "reworded".',
    run: (opts) => runVercel({ ...opts, openInference: false, runs: VERCEL_REWORDED_RUNS }),
  },
  {
    id: 'vercel-ai-openinference',
    description: 'The same AI SDK 6 agent with the OpenInference span processor and an unpriced model "mock-model-id"; run "ok" and run "tool-error".',
    run: (opts) => runVercel({ ...opts, openInference: true }),
  },
  {
    id: 'openai-openllmetry',
    description: 'The openai client (gpt-4o-mini) instrumented by OpenLLMetry against a local OpenAI-compatible server, inside the application\'s own invoke_agent / execute_tool spans; run "ok".',
    run: runOpenLLMetry,
  },
  {
    id: 'openai-openinference',
    description: 'The openai client (o4-mini, cached and reasoning tokens) instrumented by OpenInference, with openinference-core traceAgent / traceTool spans; run "ok" and run "tool-error".',
    run: runOpenInferenceOpenAI,
  },
];

/**
 * Runs a scenario. makeExporter() is called once per run and must return a SpanExporter (an OTLP
 * exporter); each run is exported in one OTLP request at its end. Returns the expected record.
 */
export async function runScenario(id, { makeExporter, sessionId, userId }) {
  const scenario = SCENARIOS.find((s) => s.id === id);
  if (!scenario) throw new Error(`unknown scenario ${id}`);
  const result = await scenario.run({
    makeExporter,
    sessionId: sessionId ?? `${id}-session-1`,
    userId: userId ?? 'ana@example.com',
  });
  return { scenario: id, description: scenario.description, ...result };
}
