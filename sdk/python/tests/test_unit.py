"""Parts of the SDK that need no server: configuration, sampling, W3C trace context, payloads."""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import random
import unittest
from email.message import Message
from typing import Any, Dict

import agentops_monitor as aom
from agentops_monitor import _config, _messages, _spans, _trace, _transport


class ConfigTest(unittest.TestCase):
    def resolve(self, env: Dict[str, str], **kwargs: Any) -> _config.Config:
        return _config.resolve(env, **kwargs)

    def test_defaults(self) -> None:
        c = self.resolve({})
        self.assertEqual(c.endpoint, "http://127.0.0.1:4318/v1/traces")
        self.assertEqual(c.headers, ())
        self.assertEqual(c.sample_rate, 1.0)
        self.assertEqual(c.service_name, "unknown_service")
        self.assertEqual((c.max_queue_size, c.max_batch_size, c.schedule_delay), (2048, 512, 2.0))
        self.assertEqual((c.timeout, c.retry_budget, c.compression), (10.0, 60.0, "gzip"))
        self.assertTrue(c.enabled)
        self.assertEqual(c.problems, ())

    def test_endpoint_precedence_and_paths(self) -> None:
        env = {
            "AGENTOPS_ENDPOINT": "http://agentops:4318",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/custom/traces",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otlp.example.com/base/",
        }
        self.assertEqual(
            self.resolve(env, endpoint="https://x.example/").endpoint, "https://x.example/v1/traces"
        )
        self.assertEqual(self.resolve(env).endpoint, "http://agentops:4318/v1/traces")
        del env["AGENTOPS_ENDPOINT"]
        # The signal's own variable is the whole URL, as OpenTelemetry says.
        self.assertEqual(self.resolve(env).endpoint, "http://collector:4318/custom/traces")
        del env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]
        self.assertEqual(self.resolve(env).endpoint, "https://otlp.example.com/base/v1/traces")
        self.assertEqual(
            self.resolve({}, endpoint="http://h:1/v1/traces").endpoint, "http://h:1/v1/traces"
        )
        bad = self.resolve({"AGENTOPS_ENDPOINT": "ftp://nope"})
        self.assertEqual(bad.endpoint, "http://127.0.0.1:4318/v1/traces")
        self.assertEqual(
            bad.problems, ("AGENTOPS_ENDPOINT ignored: not an http(s) URL: " "'ftp://nope'",)
        )

    def test_key_and_headers(self) -> None:
        env = {"OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20aok_env,x-team=a%2Cb"}
        self.assertEqual(
            dict(self.resolve(env).headers), {"Authorization": "Bearer aok_env", "x-team": "a,b"}
        )
        env["AGENTOPS_API_KEY"] = "aok_agentops"
        self.assertEqual(dict(self.resolve(env).headers)["Authorization"], "Bearer aok_agentops")
        self.assertEqual(
            dict(self.resolve(env, api_key="aok_arg").headers)["Authorization"], "Bearer aok_arg"
        )
        c = self.resolve(env, api_key="aok_secret_value")
        self.assertNotIn("aok_secret_value", repr(c))
        self.assertTrue(c.has_credentials())

    def test_problems_never_quote_a_key(self) -> None:
        for env in (
            {"OTEL_EXPORTER_OTLP_HEADERS": "Authorization Bearer aok_secret"},
            {"AGENTOPS_ENDPOINT": "http://me:aok_secret@collector:4318"},
            {"AGENTOPS_ENDPOINT": "ftp://me:aok_secret@collector"},
        ):
            c = self.resolve(env)
            self.assertEqual(len(c.problems), 1, env)
            self.assertNotIn("aok_secret", " ".join(c.problems))
            self.assertNotIn("aok_secret", repr(c))
            self.assertEqual(c.endpoint, "http://127.0.0.1:4318/v1/traces")

    def test_sample_rate_sources(self) -> None:
        self.assertEqual(self.resolve({"AGENTOPS_SAMPLE_RATE": "0.3"}).sample_rate, 0.3)
        self.assertEqual(self.resolve({"OTEL_TRACES_SAMPLER_ARG": "0.2"}).sample_rate, 0.2)
        self.assertEqual(
            self.resolve(
                {
                    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                    "OTEL_TRACES_SAMPLER_ARG": "0.1",
                }
            ).sample_rate,
            0.1,
        )
        self.assertEqual(
            self.resolve(
                {"OTEL_TRACES_SAMPLER": "always_off", "OTEL_TRACES_SAMPLER_ARG": "0.1"}
            ).sample_rate,
            0.0,
        )
        self.assertEqual(
            self.resolve({"AGENTOPS_SAMPLE_RATE": "0.5"}, sample_rate=0.05).sample_rate, 0.05
        )
        for bad in ("1.5", "-0.1", "nan", "half"):
            c = self.resolve({"AGENTOPS_SAMPLE_RATE": bad})
            self.assertEqual(c.sample_rate, 1.0, bad)
            self.assertEqual(len(c.problems), 1, bad)

    def test_options_from_environment_and_units(self) -> None:
        c = self.resolve(
            {
                "OTEL_BSP_SCHEDULE_DELAY": "500",
                "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
                "OTEL_BSP_MAX_QUEUE_SIZE": "100",
                "AGENTOPS_MAX_BATCH_SIZE": "50",
                "OTEL_SERVICE_NAME": "svc",
                "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod",
                "AGENTOPS_CAPTURE_CONTENT": "false",
                "OTEL_EXPORTER_OTLP_COMPRESSION": "none",
            }
        )
        self.assertEqual((c.schedule_delay, c.timeout), (0.5, 2.5))  # OTel variables are in ms
        self.assertEqual((c.max_queue_size, c.max_batch_size), (100, 50))
        self.assertEqual(c.service_name, "svc")
        self.assertEqual(c.resource_attributes, (("deployment.environment", "prod"),))
        self.assertFalse(c.capture_content)
        self.assertEqual(c.compression, "none")
        self.assertEqual(self.resolve({"AGENTOPS_SCHEDULE_DELAY": "0.5"}).schedule_delay, 0.5)
        self.assertFalse(self.resolve({"OTEL_SDK_DISABLED": "true"}).enabled)
        self.assertTrue(
            self.resolve({"OTEL_SDK_DISABLED": "true", "AGENTOPS_ENABLED": "1"}).enabled
        )
        self.assertEqual(
            self.resolve({}, options={"max_queue_size": 10, "max_batch_size": 512}).max_batch_size,
            10,
        )

    def test_bad_values_are_reported_not_raised(self) -> None:
        c = self.resolve(
            {"AGENTOPS_TIMEOUT": "soon"},
            options={"retry_budget": -1, "colour": "blue", "headers": 3},
        )
        self.assertEqual((c.timeout, c.retry_budget), (10.0, 60.0))
        self.assertEqual(len(c.problems), 4, c.problems)

    def test_loopback(self) -> None:
        for host in (
            "localhost",
            "127.0.0.1",
            "127.1.2.3",
            "::1",
            "[::1]",
            "::ffff:127.0.0.1",
            "api.localhost",
        ):
            self.assertTrue(_config.is_loopback(host), host)
        for host in ("10.0.0.1", "example.com", "::2", "localhost.example.com", "0.0.0.0"):
            self.assertFalse(_config.is_loopback(host), host)


class SamplingTest(unittest.TestCase):
    def test_same_decision_as_opentelemetry(self) -> None:
        # opentelemetry-sdk TraceIdRatioBased: bound = round(rate * 2^64), sampled when
        # trace_id & (2^64 - 1) < bound; the upper 64 bits do not matter.
        for rate in (0.0, 0.001, 0.25, 0.5, 0.999, 1.0):
            bound = _trace.bound_for_rate(rate)
            self.assertEqual(bound, round(rate * 18446744073709551616))
            rng = random.Random(7)
            for _ in range(2000):
                trace_id = rng.getrandbits(128)
                self.assertEqual(
                    _trace.sampled_by_ratio(trace_id, bound),
                    (trace_id & 0xFFFFFFFFFFFFFFFF) < bound,
                )
        quarter = _trace.bound_for_rate(0.25)
        self.assertEqual(quarter, 0x4000000000000000)
        self.assertTrue(_trace.sampled_by_ratio(0xFFFF_FFFF_FFFF_FFFF_3FFF_FFFF_FFFF_FFFF, quarter))
        self.assertFalse(
            _trace.sampled_by_ratio(0x0000_0000_0000_0000_4000_0000_0000_0000, quarter)
        )
        self.assertFalse(_trace.sampled_by_ratio(1, _trace.bound_for_rate(0.0)))
        self.assertTrue(_trace.sampled_by_ratio(2**128 - 1, _trace.bound_for_rate(1.0)))

    def test_children_follow_the_root(self) -> None:
        rec = _spans.Recorder(lambda s: None, _trace.bound_for_rate(0.5), True, 1000)
        for _ in range(200):
            root = _spans.Span(rec, "root", 1, None)
            with root:
                child = _spans.Span(rec, "child", 1, None)
                with child:
                    grandchild = _spans.Span(rec, "grandchild", 1, None)
            self.assertEqual(child.is_recording, root.is_recording)
            self.assertEqual(grandchild.is_recording, root.is_recording)
            self.assertEqual(
                root.is_recording, (int(root.trace_id, 16) & 0xFFFFFFFFFFFFFFFF) < 2**63
            )
        self.assertGreater(rec.sampled_out, 50)


class TraceContextTest(unittest.TestCase):
    def test_extract_the_specifications_example(self) -> None:
        ctx = aom.extract(
            {
                "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "tracestate": "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7",
            }
        )
        assert ctx is not None
        self.assertEqual(ctx.trace_id_hex, "4bf92f3577b34da6a3ce929d0e0e4736")
        self.assertEqual(ctx.span_id_hex, "00f067aa0ba902b7")
        self.assertTrue(ctx.sampled)
        self.assertEqual(ctx.trace_state, "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")

    def test_header_lookup_ignores_case(self) -> None:
        m = Message()
        m["TraceParent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
        ctx = aom.extract(m)
        assert ctx is not None
        self.assertFalse(ctx.sampled)
        self.assertIsNotNone(aom.extract({"Traceparent": m["traceparent"]}))
        self.assertIsNotNone(aom.extract({b"traceparent": None, "TRACEPARENT": m["traceparent"]}))

    def test_invalid_traceparents(self) -> None:
        for value in (
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  # upper case
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # zero trace id
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  # zero span id
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  # version ff
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  # 00 has nothing more
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  # short
            "garbage",
        ):
            self.assertIsNone(aom.extract({"traceparent": value}), value)
        self.assertIsNone(aom.extract({}))
        # A later version may add fields; the first four are read.
        later = aom.extract(
            {"traceparent": "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what"}
        )
        self.assertIsNotNone(later)
        bad_state = aom.extract(
            {
                "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "tracestate": "not a list member",
            }
        )
        assert bad_state is not None
        self.assertEqual(bad_state.trace_state, "")

    def test_inject_round_trip(self) -> None:
        rec = _spans.Recorder(lambda s: None, _trace.bound_for_rate(1.0), True, 1000)
        incoming = {
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "tracestate": "congo=t61rcWkgMzE",
        }
        with _spans.Span(rec, "server", 2, aom.extract(incoming)) as s:
            out = aom.inject()
        self.assertEqual(
            out,
            {
                "traceparent": f"00-4bf92f3577b34da6a3ce929d0e0e4736-{s.span_id}-01",
                "tracestate": "congo=t61rcWkgMzE",
            },
        )
        self.assertEqual(aom.inject({"x": "1"}), {"x": "1"}, "no current span: nothing added")


class PayloadTest(unittest.TestCase):
    def test_openai_messages_become_genai_parts(self) -> None:
        messages = [
            {"role": "system", "content": "Be brief."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "Weather?"},
                    {"type": "image_url", "image_url": {"url": "u"}},
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "c1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "c1", "content": '{"forecast": "sunny"}'},
            {"role": "model", "parts": [{"type": "text", "content": "kept as is"}]},
        ]
        self.assertEqual(
            json.loads(_messages.messages_json(messages, "user")),
            [
                {"role": "system", "parts": [{"type": "text", "content": "Be brief."}]},
                {
                    "role": "user",
                    "parts": [
                        {"type": "text", "content": "Weather?"},
                        {"type": "image_url", "image_url": {"url": "u"}},
                    ],
                },
                {
                    "role": "assistant",
                    "parts": [
                        {
                            "type": "tool_call",
                            "id": "c1",
                            "name": "get_weather",
                            "arguments": {"city": "Paris"},
                        }
                    ],
                },
                {
                    "role": "tool",
                    "parts": [
                        {
                            "type": "tool_call_response",
                            "id": "c1",
                            "response": {"forecast": "sunny"},
                        }
                    ],
                },
                {"role": "model", "parts": [{"type": "text", "content": "kept as is"}]},
            ],
        )
        self.assertEqual(
            json.loads(_messages.messages_json("hi", "assistant")),
            [{"role": "assistant", "parts": [{"type": "text", "content": "hi"}]}],
        )

    def test_attribute_values(self) -> None:
        clean = _spans.clean_value
        self.assertEqual(clean("abc", 10), "abc")
        self.assertEqual(clean("x" * 12, 10), "x" * 10 + "… [truncated: 2 characters]")
        self.assertEqual(clean(2**63 - 1, 10), 2**63 - 1)
        self.assertEqual(clean(2**63, 100), str(2**63))
        self.assertEqual(clean([1, 2], 10), (1, 2))
        self.assertEqual(clean(["a", "b"], 10), ("a", "b"))
        self.assertEqual(clean([1, "a"], 10), '[1,"a"]')
        self.assertEqual(clean({"k": [1]}, 100), '{"k":[1]}')
        self.assertIsNone(clean(None, 10))
        self.assertIs(clean(True, 10), True)

    def test_retry_after(self) -> None:
        self.assertEqual(_transport.parse_retry_after("3"), 3.0)
        self.assertEqual(
            _transport.parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0), 10.0
        )
        self.assertEqual(
            _transport.parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412500.0), 0.0
        )
        for bad in (None, "", "soon", "-1", "1.5"):
            self.assertIsNone(_transport.parse_retry_after(bad), bad)


class ApiTest(unittest.TestCase):
    def test_without_init_spans_do_nothing_but_keep_context(self) -> None:
        aom.shutdown()
        with aom.agent("a") as a:
            a.set_attribute("k", "v")
            with aom.tool("t") as t:
                headers = aom.inject()
        self.assertFalse(a.is_recording)
        self.assertEqual(t.trace_id, a.trace_id)
        self.assertTrue(headers["traceparent"].endswith("-00"))
        self.assertTrue(aom.flush(0))

    def test_children_lie_inside_their_parent_when_the_wall_clock_moves(self) -> None:
        # A wall clock stepped forward 10 ms at every read: NTP, or a thread preempted between
        # reading the wall clock and the monotonic one, as on a busy machine.
        real = _spans._time_ns
        reads = []

        def stepping() -> int:
            reads.append(1)
            return real() + len(reads) * 10_000_000

        _spans._time_ns = stepping
        try:
            with aom.agent("a") as a:
                with aom.llm("m") as call:
                    with aom.tool("t") as t:
                        pass
            with aom.agent("b"):
                pass
        finally:
            _spans._time_ns = real
        for outer, inner in ((a, call), (call, t)):
            self.assertLessEqual(outer._start_ns, inner._start_ns)
            self.assertLessEqual(inner._end_ns, outer._end_ns)
        self.assertEqual(len(reads), 2, "the wall clock is read once a trace")

    def test_decorators_keep_the_function(self) -> None:
        @aom.trace_tool
        def add(a: int, b: int = 2) -> int:
            """Adds."""
            return a + b

        @aom.trace_agent(name="x")
        async def run(q: str) -> str:
            return q.upper()

        self.assertEqual(add(1), 3)
        self.assertEqual(add.__name__, "add")
        self.assertEqual(add.__doc__, "Adds.")
        self.assertEqual(str(inspect.signature(add)), "(a: 'int', b: 'int' = 2) -> 'int'")
        self.assertTrue(inspect.iscoroutinefunction(run))
        self.assertEqual(asyncio.run(run("q")), "Q")

    def test_public_names(self) -> None:
        for name in (
            "init",
            "agent",
            "llm",
            "tool",
            "trace_tool",
            "trace_agent",
            "flush",
            "shutdown",
            "inject",
            "extract",
        ):
            self.assertTrue(callable(getattr(aom, name)), name)
        self.assertEqual(
            list(inspect.signature(aom.init).parameters),
            ["endpoint", "api_key", "service_name", "sample_rate", "options"],
        )

    def test_installed_package_is_typed(self) -> None:
        package_dir = os.path.dirname(aom.__file__)
        self.assertTrue(os.path.isfile(os.path.join(package_dir, "py.typed")))


if __name__ == "__main__":
    unittest.main()
