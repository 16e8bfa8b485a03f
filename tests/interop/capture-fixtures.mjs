// Captures real framework traces as test fixtures.
//
// Usage (by hand, after `npm ci` in this folder):
//   node capture-fixtures.mjs                 # every scenario of frameworks.mjs
//   node capture-fixtures.mjs adk-js ...      # only these
//
// Runs each scenario of frameworks.mjs (Google ADK JS, Vercel AI SDK 6 with and without OpenInference,
// the openai client with OpenLLMetry and with OpenInference) with the real OTLP/JSON exporter
// (@opentelemetry/exporter-trace-otlp-http) pointed at a small HTTP receiver on loopback, and writes
// into tests/fixtures/frameworks/:
//   <scenario>.otlp.json      the request bodies exactly as the exporter sent them, one
//                             ExportTraceServiceRequest per line (one per agent run): OTLP/JSON lines,
//                             which File → Open, readTraceFile and POST /v1/traces all accept
//   <scenario>.expected.json  what the producer itself reported: per model call usage (keyed by span
//                             name, span id and call order), the run totals, the tool calls and the
//                             failed ones with their messages, the error spans, session and user ids,
//                             model names, package versions
// frameworks.test.mjs replays the committed files into agentops-server and checks them against the
// .expected.json files, so a fixture and its expectations always go together: commit both.

import http from 'node:http';
import zlib from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

import { SCENARIOS, runScenario, packageVersions } from './frameworks.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURE_DIR = path.resolve(here, '../fixtures/frameworks');

/** An OTLP/HTTP receiver that keeps every request body as text. */
async function startReceiver() {
  const bodies = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !/^application\/json/.test(req.headers['content-type'] ?? '')) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end('{"code":3,"message":"expected POST /v1/traces with application/json"}');
        return;
      }
      bodies.push(body.toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/traces`,
    bodies,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function main() {
  const wanted = process.argv.slice(2);
  for (const id of wanted) {
    if (!SCENARIOS.some((s) => s.id === id)) throw new Error(`unknown scenario ${id}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  }
  const ids = wanted.length ? wanted : SCENARIOS.map((s) => s.id);
  await mkdir(FIXTURE_DIR, { recursive: true });
  const receiver = await startReceiver();
  try {
    for (const id of ids) {
      receiver.bodies.length = 0;
      const expected = await runScenario(id, { makeExporter: () => new JsonTraceExporter({ url: receiver.url }) });
      const bodies = [...receiver.bodies];
      if (bodies.some((b) => b.includes('\n'))) throw new Error(`${id}: a request body spans several lines`);
      if (bodies.length !== expected.runs.length) {
        throw new Error(`${id}: ${expected.runs.length} runs but ${bodies.length} requests`);
      }
      expected.capture = {
        exporter: packageVersions(['@opentelemetry/exporter-trace-otlp-http']),
        requests: bodies.length,
        captured_at: new Date().toISOString(),
        node: process.version,
      };
      const otlpPath = path.join(FIXTURE_DIR, `${id}.otlp.json`);
      const expectedPath = path.join(FIXTURE_DIR, `${id}.expected.json`);
      await writeFile(otlpPath, bodies.join('\n') + '\n');
      await writeFile(expectedPath, JSON.stringify(expected, null, 2) + '\n');
      const spans = expected.runs.reduce((n, r) => n + r.span_count, 0);
      console.log(`${id}: ${expected.runs.length} runs, ${spans} spans -> ${path.relative(process.cwd(), otlpPath)}`);
    }
  } finally {
    await receiver.close();
  }
}

await main();
