"""What the SDK's tests share: the real agentops-server as a child process, its query API, a
fault-injecting HTTP proxy, and running a Python program in a fresh interpreter.

AGENTOPS_SERVER names the server binary (CTest passes the one the build made). The tests import
`agentops_monitor` from wherever the interpreter finds it: CTest runs them with a virtual
environment the package was pip-installed into, so they test the installed package.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

import agentops_monitor as aom
import unittest

# Sanitizer builds of the server run several times slower: their CMake presets set this factor
# (AGENTOPS_TEST_TIMEOUT_FACTOR), which stretches the deadlines a test waits for the server within.
# Read once here: init_sdk() clears the AGENTOPS_ variables before each test.
SLOWDOWN = float(os.environ.get("AGENTOPS_TEST_TIMEOUT_FACTOR") or 1)
STARTUP_TIMEOUT_S = 15.0 * SLOWDOWN
# How long a test waits for the SDK to deliver what it queued to a running server.
FLUSH_TIMEOUT_S = 10.0 * SLOWDOWN


def server_binary() -> str:
    path = os.environ.get("AGENTOPS_SERVER")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("AGENTOPS_SERVER must name the agentops-server binary to test against")
    return path


class ServerProcess:
    """agentops-server on a free loopback port with a fresh data directory."""

    def __init__(
        self, team: bool = False, extra_args: Optional[List[str]] = None, tls: bool = False
    ) -> None:
        self.binary = server_binary()
        self.data_dir = tempfile.mkdtemp(prefix="agentops-sdk-test-")
        self.team = team
        self.api_key: Optional[str] = None
        self.ca_file: Optional[str] = None
        if team:
            self._admin("project", "create", "sdk-tests")
            out = self._admin("key", "create", "sdk-tests")
            m = re.search(r"\b(aok_[A-Za-z0-9_-]{43})\b", out)
            if m is None:
                raise RuntimeError(f"no key in the output of key create: {out!r}")
            self.api_key = m.group(1)
        # The SDK speaks OTLP/HTTP only: no gRPC port, which could be taken (4317 by default).
        args = [self.binary, "--listen", "127.0.0.1:0", "--grpc-listen", "off"]
        args += ["--data-dir", self.data_dir]
        args += ["--log-format", "text", "--rate-limit-key", "0", "--rate-limit-client", "0"]
        if not team:
            args += ["--auth", "none"]
        args += extra_args or []
        self.scheme = "http"
        if tls:
            self.scheme = "https"
            self.ca_file = self._make_certificate()
            args += [
                "--tls-cert",
                self.ca_file,
                "--tls-key",
                os.path.join(self.data_dir, "key.pem"),
            ]
        self.log_path = os.path.join(self.data_dir, "server.log")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)
        self.port = self._wait_for_port()
        self.base_url = f"{self.scheme}://127.0.0.1:{self.port}"
        self._wait_ready()

    def _make_certificate(self) -> str:
        """A self-signed certificate for 127.0.0.1 and localhost; returns its file (the CA)."""
        cert = os.path.join(self.data_dir, "cert.pem")
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                os.path.join(self.data_dir, "key.pem"),
                "-out",
                cert,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return cert

    def _admin(self, *command: str) -> str:
        r = subprocess.run(
            [self.binary, "--data-dir", self.data_dir, *command],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if r.returncode != 0:
            raise RuntimeError(f"{command}: exit {r.returncode}: {r.stdout}{r.stderr}")
        return r.stdout

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        pattern = re.compile(rb"listening on https?://127\.0\.0\.1:(\d+)")
        while time.monotonic() < deadline:
            with open(self.log_path, "rb") as f:
                m = pattern.search(f.read())
            if m:
                return int(m.group(1))
            if self.proc.poll() is not None:
                raise RuntimeError(f"agentops-server exited at start:\n{self.output()}")
            time.sleep(0.02)
        raise RuntimeError(f"agentops-server did not report its port:\n{self.output()}")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                status, _ = http_get(self.base_url + "/readyz", ca_file=self.ca_file)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"agentops-server not ready:\n{self.output()}")

    def output(self) -> str:
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    # ---- query API ---------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        status, body = http_get(self.base_url + path, headers, self.ca_file)
        if status != 200:
            raise AssertionError(f"GET {path}: HTTP {status}: {body[:500]!r}")
        return json.loads(body)

    def trace(self, trace_id: str) -> Dict[str, Any]:
        return self.get(f"/api/v1/traces/{trace_id}")  # type: ignore[no-any-return]

    def trace_or_none(self, trace_id: str) -> Optional[Dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        status, body = http_get(f"{self.base_url}/api/v1/traces/{trace_id}", headers, self.ca_file)
        if status == 404:
            return None
        if status != 200:
            raise AssertionError(f"GET trace {trace_id}: HTTP {status}: {body[:300]!r}")
        return json.loads(body)  # type: ignore[no-any-return]

    def all_traces(self, **params: str) -> List[Dict[str, Any]]:
        """Every trace summary, following the cursor."""
        out: List[Dict[str, Any]] = []
        query = dict(params, limit="1000")
        while True:
            page = self.get("/api/v1/traces?" + urllib.parse.urlencode(query))
            out.extend(page["traces"])
            cursor = page.get("next_cursor")
            if not cursor:
                return out
            query["cursor"] = cursor


def http_get(
    url: str, headers: Optional[Dict[str, str]] = None, ca_file: Optional[str] = None
) -> Tuple[int, bytes]:
    parts = urllib.parse.urlsplit(url)
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context(cafile=ca_file)
        conn = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=10, context=context
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        path = parts.path + ("?" + parts.query if parts.query else "")
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- the fault-injecting proxy -------------------------------------------------------------------
class Received:
    """One request the proxy saw."""

    def __init__(self, headers: Dict[str, str], body: bytes, at: float, action: str) -> None:
        self.headers = headers
        self.body = body
        self.at = at
        self.action = action

    def spans(self) -> List[Dict[str, Any]]:
        raw = self.body
        if self.headers.get("content-encoding", "").lower() == "gzip":
            raw = gzip.decompress(raw)
        doc = json.loads(raw)
        return [
            span
            for rs in doc.get("resourceSpans", [])
            for ss in rs.get("scopeSpans", [])
            for span in ss.get("spans", [])
        ]


# An action answers one request: "forward", "503:<retry-after>" ("503:" for none), "429", "400"
# (any status), "307:<location>" (a redirect), "drop" (close without answering), "forward-drop"
# (the server gets it, the client no answer), "slow:<seconds>" (forward, then answer that much
# later).
Action = str


class FaultProxy:
    """A proxy in front of the server that answers requests as a script of actions says.

    Requests beyond the script are forwarded. `host` 0.0.0.0 listens on every interface.
    """

    def __init__(
        self,
        upstream: str,
        actions: Optional[List[Action]] = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.upstream = urllib.parse.urlsplit(upstream)
        self.actions = list(actions or [])
        self.received: List[Received] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                proxy._handle(self)

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def _next_action(self) -> Action:
        with self.lock:
            return self.actions.pop(0) if self.actions else "forward"

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length)
        action = self._next_action()
        with self.lock:
            self.received.append(
                Received(
                    {k.lower(): v for k, v in h.headers.items()}, body, time.monotonic(), action
                )
            )
        kind, _, arg = action.partition(":")
        if kind == "drop":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if kind.isdigit() and kind.startswith("3"):
            self._answer(h, int(kind), b"", {"Location": arg})
            return
        if kind.isdigit():
            extra = {"Retry-After": arg} if arg else {}
            self._answer(
                h, int(kind), b'{"error":{"code":"unavailable","message":"injected"}}', extra
            )
            return
        status, answer = self._forward(h.path, h.headers, body)
        if kind == "forward-drop":
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        if kind == "slow":
            time.sleep(float(arg))
        try:
            self._answer(h, status, answer, {})
        except OSError:
            pass  # the client gave up waiting

    def _forward(self, path: str, headers: Any, body: bytes) -> Tuple[int, bytes]:
        conn = http.client.HTTPConnection(
            self.upstream.hostname or "", self.upstream.port, timeout=30
        )
        try:
            keep = ("content-type", "content-encoding", "authorization", "x-api-key")
            fwd = {k: v for k, v in headers.items() if k.lower() in keep}
            fwd["Content-Length"] = str(len(body))
            conn.request("POST", path, body=body, headers=fwd)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    @staticmethod
    def _answer(h: BaseHTTPRequestHandler, status: int, body: bytes, extra: Dict[str, str]) -> None:
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        for k, v in extra.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()

    def requests(self) -> List[Received]:
        with self.lock:
            return list(self.received)

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- the SDK under test --------------------------------------------------------------------------
FAST = {"schedule_delay": 0.05, "initial_backoff": 0.05, "max_backoff": 0.5}


def init_sdk(endpoint: str, **options: Any) -> None:
    """A fresh SDK configuration, not influenced by the test process's own environment."""
    for var in list(os.environ):
        if var.startswith("AGENTOPS_") and var != "AGENTOPS_SERVER" or var.startswith("OTEL_"):
            del os.environ[var]
    merged: Dict[str, Any] = dict(FAST)
    merged.update(options)
    aom.init(endpoint=endpoint, service_name=merged.pop("service_name", "sdk-tests"), **merged)


def make_trace(index: int = 0, session: Optional[str] = None) -> str:
    """One small agent trace (agent, model call, tool); returns its trace id."""
    with aom.agent("weather_agent", session_id=session, user_id="u1") as a:
        with aom.llm("gpt-4o-mini", provider="openai") as call:
            call.set_input([{"role": "user", "content": f"Weather in Paris? #{index}"}])
            call.set_output([{"role": "assistant", "content": "It is sunny."}])
            call.set_usage(input_tokens=42 + index, output_tokens=7)
        with aom.tool("get_weather", arguments={"city": "Paris"}) as t:
            t.set_result({"forecast": "sunny"})
    return a.trace_id


def run_python(
    code: str, env: Optional[Dict[str, str]] = None, timeout: float = 60.0
) -> subprocess.CompletedProcess[str]:
    """Runs `code` in a new interpreter (the same one the tests run with)."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AGENTOPS_") and not k.startswith("OTEL_")
    }
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=full_env, timeout=timeout
    )


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class ServerTestCase(unittest.TestCase):
    """Tests that share one agentops-server process of their own (team mode when `team` is set),
    and shut the SDK down after them."""

    server: ServerProcess
    team = False

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = ServerProcess(team=cls.team)

    @classmethod
    def tearDownClass(cls) -> None:
        aom.shutdown(5)
        cls.server.stop()
