"""What the SDK costs: per span on the program's thread, and the exporter's throughput.

    python3 sdk/python/bench/bench_sdk.py [--spans N] [--server PATH/TO/agentops-server]

1. The caller's cost of a span, by kind, with the exporter idle while it is timed (its queue large
   enough, its delay long; each round is sent between rounds, untimed), so only what the program's
   own thread does counts: ids, context, attributes, payload JSON, the queue. Best of the rounds.
2. The same while the exporter sends to agentops-server (another process) as it goes: the worker's
   encoding competes with the program for the interpreter lock.
3. The exporter's own CPU per span (OTLP/JSON encoding and gzip), and its end-to-end throughput:
   spans queued, then flush() to agentops-server over loopback, until the server has committed.

Without an agentops-server binary (--server, $AGENTOPS_SERVER, or build/ci's) only part 1 runs,
sending to a sink in this process.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import agentops_monitor as aom
from agentops_monitor import _otlp

MESSAGES = [
    {"role": "system", "content": "You are a travel assistant. " * 4},
    {"role": "user", "content": "What is the weather in Paris tomorrow, and what should I pack?"},
]
ANSWER = [{"role": "assistant", "content": "Sunny, 24 °C. Pack light clothes and sunglasses."}]


def bare() -> None:
    with aom.span("step"):
        pass


def tool() -> None:
    with aom.tool("get_weather", arguments={"city": "Paris", "days": 2}) as t:
        t.set_result({"forecast": "sunny", "temperature_c": 24})


def llm() -> None:
    with aom.llm("gpt-4o-mini", provider="openai") as call:
        call.set_input(MESSAGES)
        call.set_output(ANSWER)
        call.set_usage(input_tokens=1200, output_tokens=85, cache_read_tokens=1024)


@aom.trace_tool
def decorated(city: str, days: int = 1) -> Dict[str, Any]:
    return {"forecast": "sunny", "days": days}


def decorated_call() -> None:
    decorated("Paris", days=2)


def agent_turn() -> None:
    with aom.agent("travel_agent", session_id="bench", user_id="u1"):
        llm()
        tool()


CASES: List[Tuple[str, Callable[[], None], int]] = [
    ("span, no attributes", bare, 1),
    ("tool: arguments + result", tool, 1),
    ("@trace_tool call", decorated_call, 1),
    ("llm: messages + usage", llm, 1),
    ("agent turn (agent + llm + tool)", agent_turn, 3),
]


def per_span_us(fn: Callable[[], None], spans_each: int, n: int, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / (n * spans_each))
        aom.flush(30)
    return best * 1e6


def start_server(binary: str) -> Tuple[subprocess.Popen[bytes], str, str]:
    data = tempfile.mkdtemp(prefix="bench-sdk-")
    log = open(os.path.join(data, "log"), "wb")
    proc = subprocess.Popen(
        [
            binary,
            "--auth",
            "none",
            "--listen",
            "127.0.0.1:0",
            "--grpc-listen",
            "off",
            "--data-dir",
            data,
            "--rate-limit-client",
            "0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(500):
        with open(os.path.join(data, "log"), "rb") as f:
            m = re.search(rb"listening on (http://127\.0\.0\.1:\d+)", f.read())
        if m:
            return proc, m.group(1).decode(), data
        time.sleep(0.02)
    raise SystemExit("agentops-server did not start")


def find_server(given: Optional[str]) -> Optional[str]:
    if given:
        return given
    if os.environ.get("AGENTOPS_SERVER"):
        return os.environ["AGENTOPS_SERVER"]
    here = os.path.dirname(os.path.abspath(__file__))
    built = os.path.join(here, "..", "..", "..", "build", "ci", "app", "server", "agentops-server")
    return built if os.access(built, os.X_OK) else None


class Sink:
    """Accepts OTLP requests and discards them (part 1 without a server)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def caller_costs(n: int, rounds: int, endpoint: str, idle: bool) -> Dict[str, float]:
    options: Dict[str, Any] = {"max_queue_size": 4 * n + 16, "max_queue_bytes": 1 << 31}
    if idle:
        options["schedule_delay"] = 3600.0
        options["max_batch_size"] = 4 * n + 16
    aom.init(endpoint=endpoint, service_name="bench", **options)
    out = {name: per_span_us(fn, k, n, rounds) for name, fn, k in CASES}
    aom.init(endpoint=endpoint, service_name="bench", sample_rate=0.0, **options)
    out["agent turn, trace sampled out"] = per_span_us(agent_turn, 3, n, rounds)
    return out


def encode_cost(n: int) -> Tuple[float, float, int]:
    """µs per span to encode and to gzip, and bytes per span on the wire, for agent turns."""
    spans: List[Any] = []
    aom.init(
        endpoint="http://127.0.0.1:9",
        schedule_delay=3600.0,
        max_queue_bytes=1 << 31,
        max_queue_size=4 * n,
        max_batch_size=4 * n,
    )
    from agentops_monitor import _runtime

    state = _runtime._state
    assert state is not None and state.exporter is not None
    for _ in range(n // 3 + 1):
        agent_turn()
    with state.exporter._lock:
        spans = [s for s, _ in state.exporter._queue][:n]
        state.exporter._queue.clear()
    resource = _otlp.resource_json("bench", ())
    start = time.perf_counter()
    bodies = [_otlp.request_body(resource, spans[i : i + 512]) for i in range(0, len(spans), 512)]
    encoded = time.perf_counter() - start
    start = time.perf_counter()
    packed = [gzip.compress(b, compresslevel=5) for b in bodies]
    zipped = time.perf_counter() - start
    aom.shutdown(0)
    return (
        encoded / len(spans) * 1e6,
        zipped / len(spans) * 1e6,
        sum(map(len, packed)) // len(spans),
    )


def throughput(n: int, endpoint: str) -> float:
    aom.init(
        endpoint=endpoint,
        service_name="bench",
        max_queue_size=n + 16,
        max_queue_bytes=1 << 31,
        schedule_delay=3600.0,
        max_batch_size=512,
    )
    for _ in range(n // 3):
        agent_turn()
    queued = aom.stats()["queue_length"] + aom.stats()["spans_in_flight"]
    start = time.perf_counter()
    ok = aom.flush(120)
    took = time.perf_counter() - start
    if not ok:
        raise SystemExit(f"flush failed: {aom.stats()}")
    return queued / took


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spans", type=int, default=20000, help="spans per measurement")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--server", help="agentops-server binary (default: build/ci's)")
    args = ap.parse_args()
    n = args.spans

    print(
        f"agentops_monitor {aom.__version__}, Python {platform.python_version()} "
        f"({sys.executable}), {platform.machine()}, {os.cpu_count()} CPUs"
    )
    server = find_server(args.server)
    if server is None:
        print(f"\n1. caller's thread, exporter idle (best of {args.rounds} x {n} calls):")
        for name, us in caller_costs(n, args.rounds, Sink().url, idle=True).items():
            print(f"   {name:36s} {us:6.2f} µs per span")
        print("\n(no agentops-server: pass --server to measure sending)")
        aom.shutdown(5)
        return 0
    proc, url, data = start_server(server)
    try:
        print(f"\n1. caller's thread, exporter idle (best of {args.rounds} x {n} calls):")
        for name, us in caller_costs(n, args.rounds, url, idle=True).items():
            print(f"   {name:36s} {us:6.2f} µs per span")
        print(f"\n2. caller's thread while the exporter sends to agentops-server ({url}):")
        for name, us in caller_costs(n, args.rounds, url, idle=False).items():
            print(f"   {name:36s} {us:6.2f} µs per span")
        enc, gz, size = encode_cost(n)
        print(
            f"\n3. exporter: OTLP/JSON encoding {enc:.2f} µs + gzip {gz:.2f} µs per span "
            f"({size} bytes per span gzipped)"
        )
        rates = [throughput(n, url) for _ in range(3)]
        print(
            "   queued spans sent to agentops-server and committed: "
            + ", ".join(f"{r:,.0f}" for r in rates)
            + " spans/s"
        )
    finally:
        aom.shutdown(5)
        proc.terminate()
        proc.wait()
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
