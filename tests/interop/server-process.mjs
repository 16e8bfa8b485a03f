// agentops-server as a child process for the interoperability tests: started on ephemeral loopback
// ports (OTLP/HTTP and OTLP/gRPC) with a fresh data directory, its output kept for failure messages.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';

const STARTUP_TIMEOUT_MS = 10_000;
const SHUTDOWN_TIMEOUT_MS = 15_000;
const HTTP_TIMEOUT_MS = 10_000;

/** A running agentops-server child process with its captured output. */
export class ServerProcess {
  constructor(child, dataDir) {
    this.child = child;
    this.dataDir = dataDir;
    this.stdoutLines = [];
    this.stderrText = '';
    this.exit = null; // { code, signal } once exited
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).replace(/\r$/, '');
        pending = pending.slice(nl + 1);
        if (line.length > 0) this.stdoutLines.push(line);
      }
    });
    child.stdout.on('end', () => {
      if (pending.length > 0) this.stdoutLines.push(pending);
      pending = '';
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      this.stderrText += chunk;
    });
  }

  /**
   * Starts the server on ephemeral loopback ports and waits until /readyz answers 200. Sets port and
   * baseUrl (OTLP/HTTP and the API), grpcPort and grpcUrl (OTLP/gRPC, e.g. http://127.0.0.1:40123).
   */
  static async start(extraArgs = ['--auth', 'none']) {
    const bin = process.env.AGENTOPS_SERVER;
    assert.ok(bin, 'AGENTOPS_SERVER must name the agentops-server binary to test');
    const dataDir = await mkdtemp(path.join(tmpdir(), 'agentops-interop-'));
    const args = ['--listen', '127.0.0.1:0', '--grpc-listen', '127.0.0.1:0', '--data-dir', dataDir,
      '--log-format', 'json', ...extraArgs];
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new ServerProcess(child, dataDir);
    server.args = args;
    const spawnError = new Promise((_, reject) => child.on('error', reject));
    spawnError.catch(() => {});

    try {
      server.port = await Promise.race([server.#waitForPort(), spawnError]);
      server.baseUrl = `http://127.0.0.1:${server.port}`;
      server.grpcUrl = server.#grpcEndpoint();
      server.grpcPort = server.grpcUrl ? Number(new URL(server.grpcUrl).port) : undefined;
      await server.#waitForReady();
    } catch (err) {
      await server.kill();
      throw new Error(`${err.message}\n${server.diagnostics()}`);
    }
    return server;
  }

  async #waitForPort() {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const re = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
    for (;;) {
      for (const line of this.stdoutLines) {
        const m = re.exec(line);
        if (m) return Number(m[1]);
      }
      if (this.exit) {
        throw new Error(`server exited during startup (code ${this.exit.code}, signal ${this.exit.signal})`);
      }
      if (Date.now() > deadline) {
        throw new Error(`no "listening on http://127.0.0.1:<port>" line on stdout within ${STARTUP_TIMEOUT_MS} ms`);
      }
      await sleep(25);
    }
  }

  /** The OTLP/gRPC endpoint the "listening on" line names (undefined with --grpc-listen off). */
  #grpcEndpoint() {
    for (const line of this.jsonLogLines()) {
      if (typeof line.msg === 'string' && line.msg.startsWith('listening on')) return line.otlp_grpc_endpoint;
    }
    return undefined;
  }

  async #waitForReady() {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    let last = 'no answer';
    for (;;) {
      if (this.exit) throw new Error(`server exited before it was ready (code ${this.exit.code})`);
      try {
        const res = await fetch(`${this.baseUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = String(err?.cause?.code ?? err);
      }
      if (Date.now() > deadline) {
        throw new Error(`GET /readyz did not answer 200 within ${STARTUP_TIMEOUT_MS} ms (last: ${last})`);
      }
      await sleep(50);
    }
  }

  /** Sends SIGTERM and waits for the process to exit; returns { code, signal }. */
  async stop() {
    if (!this.exit) this.child.kill('SIGTERM');
    const timedOut = sleep(SHUTDOWN_TIMEOUT_MS, 'timeout', { ref: false });
    const result = await Promise.race([this.exited, timedOut]);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw new Error(`server did not exit within ${SHUTDOWN_TIMEOUT_MS} ms of SIGTERM\n${this.diagnostics()}`);
    }
    return result;
  }

  /** Hard kill, for cleanup after failures. */
  async kill() {
    if (!this.exit) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  async removeDataDir() {
    await rm(this.dataDir, { recursive: true, force: true });
  }

  /** Stdout lines parsed as JSON objects (lines that are not JSON are skipped). */
  jsonLogLines() {
    const out = [];
    for (const line of this.stdoutLines) {
      try {
        const obj = JSON.parse(line);
        if (obj && typeof obj === 'object' && !Array.isArray(obj)) out.push(obj);
      } catch {
        // not JSON
      }
    }
    return out;
  }

  diagnostics() {
    const tail = (arr) => arr.slice(-40).join('\n');
    return `--- server args: ${JSON.stringify(this.args ?? [])}\n` +
      `--- server stdout (tail):\n${tail(this.stdoutLines)}\n` +
      `--- server stderr (tail):\n${tail(this.stderrText.split('\n'))}`;
  }
}

/** Appends the server's output to a test failure. */
export function withDiagnostics(err, srv) {
  if (err instanceof Error) {
    err.message = `${err.message}\n${srv.diagnostics()}`;
    return err;
  }
  return new Error(`${inspect(err)}\n${srv.diagnostics()}`);
}

export async function getJson(server, pathAndQuery) {
  const res = await fetch(`${server.baseUrl}${pathAndQuery}`, {
    headers: { accept: 'application/json', ...(server.token ? { authorization: `Bearer ${server.token}` } : {}) },
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `GET ${pathAndQuery} -> HTTP ${res.status}: ${text.slice(0, 2000)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/,
    `GET ${pathAndQuery}: content-type`);
  try {
    return JSON.parse(text);
  } catch (err) {
    assert.fail(`GET ${pathAndQuery}: body is not JSON (${err.message}): ${text.slice(0, 2000)}`);
  }
}
