"""The examples, run as a user runs them, against the real server; the OpenAI-compatible one
against a small local endpoint that answers as the chat completions API does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List

from support import ServerTestCase

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")

# What the endpoint answers, call by call: a tool call, then the final answer.
COMPLETIONS: List[Dict[str, Any]] = [
    {
        "id": "chatcmpl-1",
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_abc",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                        }
                    ],
                },
            }
        ],
        "usage": {
            "prompt_tokens": 1350,
            "completion_tokens": 18,
            "total_tokens": 1368,
            "prompt_tokens_details": {"cached_tokens": 1024},
        },
    },
    {
        "id": "chatcmpl-2",
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": "It is sunny in Paris, 24 °C."},
            }
        ],
        "usage": {
            "prompt_tokens": 1402,
            "completion_tokens": 31,
            "total_tokens": 1433,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 12},
        },
    },
]


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.auth: List[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                fake.auth.append(self.headers.get("Authorization", ""))
                answer = json.dumps(COMPLETIONS[min(len(fake.requests), 2) - 1]).encode()
                ok = self.path == "/v1/chat/completions"
                self.send_response(200 if ok else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class ExamplesTest(ServerTestCase):
    def run_example(self, name: str, **env: str) -> List[str]:
        full = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("AGENTOPS_", "OTEL_", "OPENAI_"))
        }
        full.update(AGENTOPS_ENDPOINT=self.server.base_url, **env)
        r = subprocess.run(
            [sys.executable, os.path.join(EXAMPLES, name)],
            env=full,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(r.returncode, 0, f"{name}:\n{r.stdout}\n{r.stderr}")
        self.assertEqual(r.stderr, "", "nothing logged: everything was delivered")
        return r.stdout.strip().splitlines()

    def test_tool_agent(self) -> None:
        answer, trace_id = self.run_example("tool_agent.py")
        trace = self.server.trace(trace_id)
        spans = trace["spans"]
        self.assertEqual(
            [(s["kind"], s["name"]) for s in spans],
            [
                ("agent", "invoke_agent trip_planner"),
                ("llm", "chat rules-v1"),
                ("tool", "execute_tool get_weather"),
                ("llm", "chat rules-v1"),
                ("tool", "execute_tool get_weather"),
                ("llm", "chat rules-v1"),
                ("tool", "execute_tool convert_currency"),
                ("llm", "chat rules-v1"),
            ],
        )
        tools = [s for s in spans if s["kind"] == "tool"]
        self.assertEqual(
            [json.loads(t["input"]) for t in tools],
            [
                {"city": "Paris"},
                {"city": "Atlantis"},
                {"amount": 120.0, "source": "EUR", "target": "GBP"},
            ],
        )
        self.assertEqual([t["status"]["code"] for t in tools], ["unset", "error", "unset"])
        self.assertEqual(tools[1]["status"]["message"], "LookupError: no forecast for Atlantis")
        self.assertEqual(json.loads(tools[2]["output"]), {"amount": 102.0, "currency": "GBP"})
        summary = trace["trace"]
        self.assertEqual(summary["error_count"], 1)
        self.assertEqual(summary["session_id"], "example-session")
        self.assertEqual(summary["service_name"], "trip-planner-example")
        self.assertEqual(summary["tokens"]["output"], 4 * 12)
        self.assertEqual(json.loads(spans[0]["output"])[0]["parts"][0]["content"], answer)

    def test_openai_agent_records_the_providers_usage(self) -> None:
        fake = FakeOpenAI()
        try:
            answer, trace_id = self.run_example(
                "openai_agent.py",
                OPENAI_BASE_URL=fake.url,
                OPENAI_API_KEY="sk-example",
                OPENAI_MODEL="gpt-4o-mini",
                SESSION_ID="openai-example",
            )
        finally:
            fake.stop()
        self.assertEqual(answer, "It is sunny in Paris, 24 °C.")
        self.assertEqual(fake.auth, ["Bearer sk-example"] * 2)
        tool_message = fake.requests[1]["messages"][-1]
        self.assertEqual(tool_message["role"], "tool")
        self.assertEqual(json.loads(tool_message["content"])["forecast"], "sunny")

        trace = self.server.trace(trace_id)
        calls = [s for s in trace["spans"] if s["kind"] == "llm"]
        self.assertEqual(len(calls), 2)
        prices = {r["id"]: r for r in self.server.get("/api/v1/models/prices")["rows"]}
        total_cost = 0.0
        for span, completion in zip(calls, COMPLETIONS):
            usage = completion["usage"]
            self.assertEqual(span["request_model"], "gpt-4o-mini")
            self.assertEqual(span["response_model"], completion["model"])
            self.assertEqual(span["attributes"]["gen_ai.response.id"], completion["id"])
            self.assertEqual(span["tokens"]["input"], usage["prompt_tokens"])
            self.assertEqual(span["tokens"]["output"], usage["completion_tokens"])
            self.assertEqual(span["tokens"]["total"], usage["total_tokens"])
            self.assertEqual(
                span["tokens"]["cache_read"], usage["prompt_tokens_details"]["cached_tokens"]
            )
            self.assertEqual(
                span["tokens"]["reasoning"],
                usage.get("completion_tokens_details", {}).get("reasoning_tokens"),
            )
            self.assertIsNotNone(span["cost_usd"])
            self.assertIn(span["price_ref"].split("@")[0], prices)
            total_cost += span["cost_usd"]
        self.assertEqual(
            json.loads(calls[0]["output"])[0]["parts"],
            [
                {
                    "type": "tool_call",
                    "id": "call_abc",
                    "name": "get_weather",
                    "arguments": {"city": "Paris"},
                }
            ],
        )
        (tool,) = [s for s in trace["spans"] if s["kind"] == "tool"]
        self.assertEqual(json.loads(tool["input"]), {"city": "Paris"})
        self.assertEqual(tool["parent_span_id"], trace["spans"][0]["span_id"])
        summary = trace["trace"]
        self.assertEqual(summary["tokens"]["input"], 1350 + 1402)
        self.assertEqual(summary["tokens"]["output"], 18 + 31)
        self.assertEqual(summary["tokens"]["cache_read"], 1024)
        self.assertEqual(summary["tokens"]["reasoning"], 12)
        self.assertEqual(summary["models"], ["gpt-4o-mini-2024-07-18"])
        self.assertAlmostEqual(summary["cost_usd"], total_cost, places=12)
        self.assertEqual(summary["session_id"], "openai-example")


if __name__ == "__main__":
    unittest.main()
