"""The SDK against the real agentops-server (open mode): what the app shows is what the program
reported, span by span and in the trace, session and list summaries."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import threading
import unittest
from typing import Any, Dict, List

import agentops_monitor as aom
from support import (
    FLUSH_TIMEOUT_S,
    FaultProxy,
    ServerProcess,
    ServerTestCase,
    init_sdk,
    make_trace,
    wait_for,
)


def by_name(trace: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return {s["name"]: s for s in trace["spans"]}


def price_row(server: ServerProcess, model: str) -> Dict[str, Any]:
    for row in server.get("/api/v1/models/prices")["rows"]:
        if model in row.get("models", []) or row["id"] == model:
            return row  # type: ignore[no-any-return]
    raise AssertionError(f"no price row for {model}")


def expected_cost(prices: Dict[str, float], tokens: Dict[str, int]) -> float:
    """docs/pricing.md "Cost rules", from the producer's own counts."""
    cache_read = tokens.get("cache_read", 0)
    cache_write = tokens.get("cache_write", 0)
    reasoning = tokens.get("reasoning", 0)
    uncached = max(0, tokens["input"] - cache_read - cache_write)
    return (
        uncached * prices["input"]
        + cache_read * prices.get("cache_read", prices["input"])
        + cache_write * prices.get("cache_write", prices["input"])
        + max(0, tokens["output"] - reasoning) * prices["output"]
        + reasoning * prices.get("reasoning", prices["output"])
    ) / 1e6


class OpenServerTest(ServerTestCase):
    def setUp(self) -> None:
        init_sdk(self.server.base_url)

    def flush(self) -> None:
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S), f"flush timed out: {aom.stats()}")

    # ---- the numbers of one trace ----------------------------------------------------------
    def test_agent_trace_shows_what_the_program_reported(self) -> None:
        usage = {"input": 1200, "output": 85, "cache_read": 1024, "reasoning": 0}
        question = [{"role": "user", "content": "Weather in Paris?"}]
        with aom.agent("weather_agent", session_id="sess-readme", user_id="u1") as a:
            with aom.llm("gpt-4o-mini", provider="openai") as call:
                call.set_input(question)
                call.set_output(
                    [{"role": "assistant", "content": "It is sunny.", "finish_reason": "stop"}]
                )
                call.set_usage(
                    input_tokens=usage["input"],
                    output_tokens=usage["output"],
                    cache_read_tokens=usage["cache_read"],
                    reasoning_tokens=0,
                )
                call.set_response(model="gpt-4o-mini", response_id="chatcmpl-1")
            with aom.tool("get_weather", arguments={"city": "Paris"}, call_id="call_1") as t:
                t.set_result({"forecast": "sunny"})
        self.flush()

        trace = self.server.trace(a.trace_id)
        spans = by_name(trace)
        self.assertEqual(
            [(s["name"], s["depth"]) for s in trace["spans"]],
            [
                ("invoke_agent weather_agent", 0),
                ("chat gpt-4o-mini", 1),
                ("execute_tool get_weather", 1),
            ],
        )
        agent = spans["invoke_agent weather_agent"]
        model = spans["chat gpt-4o-mini"]
        tool = spans["execute_tool get_weather"]

        self.assertEqual(agent["kind"], "agent")
        self.assertEqual(agent["agent_name"], "weather_agent")
        self.assertEqual(agent["span_id"], a.span_id)
        self.assertIsNone(agent["parent_span_id"])
        self.assertEqual(model["parent_span_id"], a.span_id)
        self.assertEqual(tool["parent_span_id"], a.span_id)
        self.assertEqual(agent["service_name"], "sdk-tests")
        self.assertEqual(agent["scope"]["name"], "agentops_monitor")
        self.assertEqual(agent["scope"]["version"], aom.__version__)

        self.assertEqual(model["kind"], "llm")
        self.assertEqual(model["request_model"], "gpt-4o-mini")
        self.assertEqual(model["response_model"], "gpt-4o-mini")
        self.assertEqual(model["provider"], "openai")
        self.assertEqual(model["otel_kind"], 3)
        tokens = model["tokens"]
        self.assertEqual(tokens["input"], usage["input"])
        self.assertEqual(tokens["output"], usage["output"])
        self.assertEqual(tokens["cache_read"], usage["cache_read"])
        self.assertEqual(tokens["reasoning"], 0)
        self.assertEqual(tokens["total"], usage["input"] + usage["output"])
        row = price_row(self.server, "gpt-4o-mini")
        self.assertIsNotNone(model["cost_usd"], "gpt-4o-mini is in the shipped price table")
        self.assertAlmostEqual(model["cost_usd"], expected_cost(row["prices"], usage), places=12)
        self.assertTrue(model["price_ref"].startswith(row["id"] + "@"))
        self.assertEqual(
            json.loads(model["input"]),
            [{"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]}],
        )
        self.assertEqual(
            json.loads(model["output"]),
            [
                {
                    "role": "assistant",
                    "parts": [{"type": "text", "content": "It is sunny."}],
                    "finish_reason": "stop",
                }
            ],
        )

        self.assertEqual(tool["kind"], "tool")
        self.assertEqual(tool["tool_name"], "get_weather")
        self.assertEqual(json.loads(tool["input"]), {"city": "Paris"})
        self.assertEqual(json.loads(tool["output"]), {"forecast": "sunny"})
        self.assertEqual(tool["attributes"]["gen_ai.tool.call.id"], "call_1")

        for s in trace["spans"]:
            self.assertEqual(s["session_id"], "sess-readme", s["name"])
            self.assertEqual(s["user_id"], "u1", s["name"])
            self.assertEqual(s["status"]["code"], "unset", s["name"])
            self.assertEqual(
                s["duration_ns"], int(s["end_time_unix_nano"]) - int(s["start_time_unix_nano"])
            )
        # Times are the SDK's own, to the nanosecond; children lie inside the agent's run.
        self.assertEqual(int(agent["start_time_unix_nano"]), a._start_ns)
        self.assertEqual(int(agent["end_time_unix_nano"]), a._end_ns)
        for child in (model, tool):
            self.assertGreaterEqual(
                int(child["start_time_unix_nano"]), int(agent["start_time_unix_nano"])
            )
            self.assertLessEqual(int(child["end_time_unix_nano"]), int(agent["end_time_unix_nano"]))

        summary = trace["trace"]
        self.assertEqual(summary["name"], "invoke_agent weather_agent")
        self.assertEqual(summary["service_name"], "sdk-tests")
        self.assertEqual(summary["span_count"], 3)
        self.assertEqual(summary["error_count"], 0)
        self.assertEqual(summary["session_id"], "sess-readme")
        self.assertEqual(summary["user_id"], "u1")
        self.assertEqual(summary["tokens"]["input"], usage["input"])
        self.assertEqual(summary["tokens"]["output"], usage["output"])
        self.assertEqual(summary["tokens"]["cache_read"], usage["cache_read"])
        self.assertEqual(summary["models"], ["gpt-4o-mini"])
        self.assertAlmostEqual(summary["cost_usd"], model["cost_usd"], places=12)
        self.assertEqual(summary["priced_spans"], 1)
        self.assertEqual(summary["unpriced_spans"], 0)

        listed = [t for t in self.server.all_traces(session="sess-readme")]
        self.assertEqual([t["trace_id"] for t in listed], [a.trace_id])
        self.assertEqual(listed[0]["tokens"], summary["tokens"])
        session = self.server.get("/api/v1/sessions/sess-readme")
        self.assertEqual([t["trace_id"] for t in session["traces"]], [a.trace_id])
        sessions = {s["session_id"]: s for s in self.server.get("/api/v1/sessions")["sessions"]}
        self.assertEqual(sessions["sess-readme"]["total_tokens"], usage["input"] + usage["output"])
        self.assertEqual(sessions["sess-readme"]["user_id"], "u1")

    def test_dashboard_counts_what_the_program_reported(self) -> None:
        # A service of its own, so the dashboard's totals are this test's spans only.
        init_sdk(self.server.base_url, service_name="sdk-dashboard")
        reported = [(1200, 85, 1024), (300, 40, 0), (5000, 700, 4096)]
        failing_tool = 1
        starts: List[int] = []
        for n, (inp, out, cached) in enumerate(reported):
            with aom.agent("dash_agent", session_id="sess-dash") as a:
                with aom.llm("gpt-4o-mini", provider="openai") as call:
                    call.set_usage(input_tokens=inp, output_tokens=out, cache_read_tokens=cached)
                try:
                    with aom.tool("lookup"):
                        if n == failing_tool:
                            raise TimeoutError("upstream timeout")
                except TimeoutError:
                    pass
            starts.append(a._start_ns)
        self.flush()
        hour = 3600 * 10**9
        metrics = self.server.get(
            f"/api/v1/metrics?from={min(starts) - hour}&to={max(starts) + hour}"
            "&service=sdk-dashboard&group_by=model"
        )
        totals = metrics["totals"]
        self.assertEqual(totals["traces"], 3)
        self.assertEqual(totals["spans"], 9)
        self.assertEqual(totals["error_spans"], 1)
        self.assertEqual(totals["error_traces"], 1, "a trace with a failed span")
        self.assertEqual(totals["tokens"]["input"], sum(r[0] for r in reported))
        self.assertEqual(totals["tokens"]["output"], sum(r[1] for r in reported))
        self.assertEqual(totals["tokens"]["cache_read"], sum(r[2] for r in reported))
        prices = price_row(self.server, "gpt-4o-mini")["prices"]
        cost = sum(
            expected_cost(prices, {"input": i, "output": o, "cache_read": c})
            for i, o, c in reported
        )
        self.assertAlmostEqual(totals["cost_usd"], cost, places=12)
        by_model = [b for b in metrics["buckets"] if b["group"] == "gpt-4o-mini"]
        self.assertEqual(sum(b["spans"] for b in by_model), 3)
        self.assertEqual(sum(b["tokens"]["input"] for b in by_model), sum(r[0] for r in reported))
        (error,) = metrics["top_errors"]
        self.assertEqual((error["span_name"], error["count"]), ("execute_tool lookup", 1))
        self.assertEqual(error["message"], "TimeoutError: upstream timeout")

    def test_unpriced_model_has_no_cost(self) -> None:
        with aom.agent("a") as a:
            with aom.llm("house-model-7", provider="in-house") as call:
                call.set_usage(input_tokens=10, output_tokens=5)
        self.flush()
        trace = self.server.trace(a.trace_id)
        self.assertIsNone(by_name(trace)["chat house-model-7"]["cost_usd"])
        self.assertIsNone(trace["trace"]["cost_usd"])
        self.assertEqual(trace["trace"]["unpriced_spans"], 1)

    # ---- errors ------------------------------------------------------------------------------
    def test_raising_tool_is_an_error_span(self) -> None:
        @aom.trace_tool
        def lookup_city(city: str, units: str = "metric") -> Dict[str, str]:
            raise ValueError(f"no such city: {city}")

        @aom.trace_agent(session_id="sess-errors")
        def planner(question: str) -> str:
            try:
                lookup_city("Atlantis")
            except ValueError:
                return "I could not find that city."
            return "found"

        answer = planner("Weather in Atlantis?")
        self.assertEqual(answer, "I could not find that city.")
        with self.assertRaises(ValueError) as caught:
            lookup_city("Nowhere", units="imperial")
        self.assertEqual(str(caught.exception), "no such city: Nowhere")
        self.flush()

        traces = self.server.all_traces(session="sess-errors")
        self.assertEqual(len(traces), 1)
        summary = traces[0]
        self.assertEqual(summary["error_count"], 1)
        trace = self.server.trace(summary["trace_id"])
        spans = by_name(trace)
        agent = spans["invoke_agent planner"]
        tool = spans["execute_tool lookup_city"]
        self.assertEqual(agent["kind"], "agent")
        self.assertEqual(agent["status"]["code"], "unset")
        self.assertEqual(
            json.loads(agent["input"])[0]["parts"][0]["content"], "Weather in Atlantis?"
        )
        self.assertEqual(
            json.loads(agent["output"])[0]["parts"][0]["content"], "I could not find that city."
        )
        self.assertEqual(tool["kind"], "tool")
        self.assertEqual(tool["status"]["code"], "error")
        self.assertEqual(tool["status"]["message"], "ValueError: no such city: Atlantis")
        self.assertEqual(json.loads(tool["input"]), {"city": "Atlantis", "units": "metric"})
        self.assertEqual(tool["attributes"]["error.type"], "ValueError")
        (event,) = [e for e in tool["events"] if e["name"] == "exception"]
        self.assertEqual(event["attributes"]["exception.type"], "ValueError")
        self.assertEqual(event["attributes"]["exception.message"], "no such city: Atlantis")
        self.assertIn("lookup_city", event["attributes"]["exception.stacktrace"])

        errors = self.server.all_traces(errors="true", name="execute_tool lookup_city")
        self.assertEqual(len(errors), 1, "the tool called outside an agent is a trace of its own")
        lone = self.server.trace(errors[0]["trace_id"])
        self.assertEqual(
            json.loads(lone["spans"][0]["input"]), {"city": "Nowhere", "units": "imperial"}
        )

    def test_exception_leaving_agent_marks_both(self) -> None:
        with self.assertRaises(KeyError):
            with aom.agent("crashing_agent", session_id="sess-crash"):
                with aom.tool("read_config"):
                    raise KeyError("api_url")
        self.flush()
        (summary,) = self.server.all_traces(session="sess-crash")
        self.assertEqual(summary["error_count"], 2)
        spans = by_name(self.server.trace(summary["trace_id"]))
        for name in ("invoke_agent crashing_agent", "execute_tool read_config"):
            self.assertEqual(spans[name]["status"]["code"], "error")
            self.assertEqual(spans[name]["status"]["message"], "KeyError: 'api_url'")

    # ---- nesting -------------------------------------------------------------------------------
    def test_asyncio_tasks_nest_under_their_own_spans(self) -> None:
        @aom.trace_tool
        async def fetch(source: str, delay: float) -> str:
            for step in range(3):
                with aom.llm(f"model-{source}") as call:
                    await asyncio.sleep(delay)
                    call.set_usage(input_tokens=step, output_tokens=1)
            return f"{source} done"

        @aom.trace_agent(name="async_agent", session_id="sess-async")
        async def run() -> List[str]:
            return list(
                await asyncio.gather(fetch("a", 0.003), fetch("b", 0.002), fetch("c", 0.001))
            )

        self.assertEqual(asyncio.run(run()), ["a done", "b done", "c done"])
        self.flush()
        (summary,) = self.server.all_traces(session="sess-async")
        trace = self.server.trace(summary["trace_id"])
        self.assertEqual(summary["span_count"], 1 + 3 + 9)
        agent = by_name(trace)["invoke_agent async_agent"]
        tools = {json.loads(s["input"])["source"]: s for s in trace["spans"] if s["kind"] == "tool"}
        self.assertEqual(sorted(tools), ["a", "b", "c"])
        for source, tool in tools.items():
            self.assertEqual(tool["parent_span_id"], agent["span_id"])
            self.assertEqual(tool["output"], f"{source} done")
            calls = [s for s in trace["spans"] if s["parent_span_id"] == tool["span_id"]]
            self.assertEqual([c["request_model"] for c in calls], [f"model-{source}"] * 3)
            self.assertEqual(sorted(c["tokens"]["input"] for c in calls), [0, 1, 2])

    def test_threads_nest_within_themselves(self) -> None:
        barrier = threading.Barrier(4)
        results: Dict[int, str] = {}

        def worker(n: int) -> None:
            with aom.agent(f"thread_agent_{n}", session_id="sess-threads") as a:
                for step in range(5):
                    barrier.wait()  # every thread is inside its agent at the same moment
                    with aom.tool(f"step_{n}", arguments={"step": step}):
                        with aom.llm(f"model_{n}"):
                            pass
            results[n] = a.trace_id

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.flush()
        self.assertEqual(len(set(results.values())), 4)
        for n, trace_id in results.items():
            trace = self.server.trace(trace_id)
            self.assertEqual(trace["trace"]["span_count"], 11)
            root = trace["spans"][0]
            self.assertEqual(root["name"], f"invoke_agent thread_agent_{n}")
            for s in trace["spans"][1:]:
                self.assertTrue(s["name"].endswith(f"_{n}"), s["name"])
                if s["kind"] == "tool":
                    self.assertEqual(s["parent_span_id"], root["span_id"])
                else:
                    self.assertEqual(by_span_id(trace, s["parent_span_id"])["kind"], "tool")

    def test_thread_pool_joins_the_trace_with_propagate(self) -> None:
        def work(n: int) -> str:
            with aom.tool("pooled", arguments={"n": n}) as t:
                return t.trace_id

        with aom.agent("pool_agent", session_id="sess-pool") as a:
            with concurrent.futures.ThreadPoolExecutor(3) as pool:
                joined = list(pool.map(aom.propagate(work), range(6)))
                apart = list(pool.map(work, range(2)))
        self.flush()
        self.assertEqual(set(joined), {a.trace_id})
        trace = self.server.trace(a.trace_id)
        self.assertEqual(trace["trace"]["span_count"], 7)
        tools = [s for s in trace["spans"] if s["kind"] == "tool"]
        self.assertEqual(sorted(json.loads(s["input"])["n"] for s in tools), list(range(6)))
        self.assertTrue(all(s["parent_span_id"] == a.span_id for s in tools))
        # Without propagate() a pool thread has an empty context: its spans start new traces.
        self.assertNotIn(a.trace_id, apart)
        for trace_id in apart:
            self.assertEqual(self.server.trace(trace_id)["trace"]["span_count"], 1)

    # ---- W3C trace context ---------------------------------------------------------------------
    def test_tool_service_joins_the_agents_trace(self) -> None:
        with aom.agent("caller", session_id="sess-w3c") as a:
            with aom.tool("remote_search") as t:
                headers = aom.inject({})
        # ... in the tool service, another process in real life:
        with aom.span("search service", kind="server", parent=headers) as served:
            with aom.llm("gpt-4o-mini") as call:
                call.set_usage(input_tokens=3, output_tokens=2)
        self.flush()
        self.assertEqual(headers["traceparent"], f"00-{a.trace_id}-{t.span_id}-01")
        self.assertEqual(served.trace_id, a.trace_id)
        trace = self.server.trace(a.trace_id)
        self.assertEqual(trace["trace"]["span_count"], 4)
        service = by_name(trace)["search service"]
        self.assertEqual(service["parent_span_id"], t.span_id)
        self.assertEqual(service["otel_kind"], 2)
        self.assertEqual(by_name(trace)["chat gpt-4o-mini"]["parent_span_id"], service["span_id"])
        self.assertFalse(any(s["orphan"] for s in trace["spans"]))

    # ---- sampling ------------------------------------------------------------------------------
    def test_sample_rate_keeps_a_quarter_of_traces_whole(self) -> None:
        init_sdk(self.server.base_url, sample_rate=0.25)
        bound = round(0.25 * 2**64)  # OpenTelemetry's TraceIdRatioBased, computed here on its own
        made = [make_trace(i, session="sess-sampling") for i in range(400)]
        self.flush()
        expected = {t for t in made if int(t[16:], 16) < bound}
        stored = {t["trace_id"]: t for t in self.server.all_traces(session="sess-sampling")}
        self.assertEqual(set(stored), expected, "the decision is OpenTelemetry's, per trace id")
        self.assertGreaterEqual(len(stored), 60, "25% of 400, within 10 points")
        self.assertLessEqual(len(stored), 140, "25% of 400, within 10 points")
        for summary in stored.values():
            self.assertEqual(summary["span_count"], 3, "a kept trace is kept whole")
        self.assertEqual(aom.stats()["traces_sampled_out"], 400 - len(stored))

    def test_remote_parent_decides_sampling(self) -> None:
        init_sdk(self.server.base_url, sample_rate=0.25)
        bound = round(0.25 * 2**64)
        # Trace ids the ratio alone would drop / keep, with the caller's decision the other way.
        dropped_by_ratio = "4bf92f3577b34da6" + "%016x" % (bound + 12345)
        kept_by_ratio = "0af7651916cd43dd" + "%016x" % (bound - 12345)
        with aom.tool("t", parent={"traceparent": f"00-{dropped_by_ratio}-00f067aa0ba902b7-01"}):
            pass
        with aom.tool("t", parent={"traceparent": f"00-{kept_by_ratio}-00f067aa0ba902b7-00"}) as t:
            self.assertFalse(t.is_recording)
            self.assertEqual(aom.inject()["traceparent"], f"00-{kept_by_ratio}-{t.span_id}-00")
        self.flush()
        kept = self.server.trace(dropped_by_ratio)
        self.assertEqual(kept["spans"][0]["parent_span_id"], "00f067aa0ba902b7")
        self.assertTrue(kept["spans"][0]["orphan"])
        self.assertIsNone(self.server.trace_or_none(kept_by_ratio))

    # ---- batching, compression, exactly once ----------------------------------------------------
    def test_batches_of_512_gzip_and_every_span_once(self) -> None:
        proxy = FaultProxy(self.server.base_url)
        try:
            init_sdk(proxy.url, schedule_delay=2.0)
            made = [make_trace(i, session="sess-batches") for i in range(400)]
            first = proxy.requests()
            self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
            requests = proxy.requests()
        finally:
            proxy.stop()
        sizes = [len(r.spans()) for r in requests]
        self.assertEqual(sum(sizes), 1200)
        self.assertEqual(sizes[:2], [512, 512], "full batches go at once")
        self.assertLessEqual(len(first), 2, "the last, partial batch waits for the delay or flush")
        for r in requests:
            self.assertEqual(r.headers["content-encoding"], "gzip")
            self.assertEqual(r.headers["content-type"], "application/json")
        sent = [s["spanId"] for r in requests for s in r.spans()]
        self.assertEqual(len(sent), len(set(sent)))
        stored = self.server.all_traces(session="sess-batches")
        self.assertEqual({t["trace_id"] for t in stored}, set(made))
        self.assertEqual(sum(t["span_count"] for t in stored), 1200)

    def test_partial_batch_goes_after_the_delay(self) -> None:
        proxy = FaultProxy(self.server.base_url)
        try:
            init_sdk(proxy.url, schedule_delay=0.3)
            make_trace(0)
            self.assertEqual(proxy.requests(), [])
            deadline_ok = wait_for(lambda: len(proxy.requests()) == 1, 3.0)
        finally:
            proxy.stop()
        self.assertTrue(deadline_ok, "a partial batch is sent after schedule_delay without flush")

    def test_long_values_are_cut_not_refused(self) -> None:
        init_sdk(self.server.base_url, max_attribute_length=1000)
        with aom.tool("big", arguments={"text": "x" * 5000}) as t:
            t.set_result("y" * 3000)
        self.flush()
        span = self.server.trace(t.trace_id)["spans"][0]
        self.assertTrue(span["output"].startswith("y" * 1000 + "… [truncated: 2000 characters]"))
        self.assertEqual(
            len(span["input"]), len(span["input"][:1000]) + len("… [truncated: 4013 characters]")
        )


def by_span_id(trace: Dict[str, Any], span_id: str) -> Dict[str, Any]:
    for s in trace["spans"]:
        if s["span_id"] == span_id:
            return s  # type: ignore[no-any-return]
    raise AssertionError(f"no span {span_id}")


if __name__ == "__main__":
    unittest.main()
