"""The SDK in programs of their own: the atexit hook, fork(), and a host program that the SDK must
never break, whatever its configuration or its use of the API."""

from __future__ import annotations

import textwrap
import unittest
from collections import Counter
from typing import List

from support import FaultProxy, ServerTestCase, run_python

PRELUDE = """
import os, sys, time
import agentops_monitor as aom

def make_trace(label):
    with aom.agent("proc_agent", session_id=label) as a:
        with aom.llm("gpt-4o-mini") as call:
            call.set_usage(input_tokens=5, output_tokens=2)
        with aom.tool("t", arguments={"label": label}) as t:
            t.set_result("ok")
    return a.trace_id
"""


class ProcessTest(ServerTestCase):
    def run_program(self, body: str, proxy: FaultProxy, **env: str) -> List[str]:
        code = PRELUDE + textwrap.dedent(body)
        env = {
            "AGENTOPS_ENDPOINT": proxy.url,
            "AGENTOPS_SCHEDULE_DELAY": "0.05",
            "AGENTOPS_SERVICE_NAME": "proc-tests",
            **env,
        }
        r = run_python(code, env)
        self.assertEqual(r.returncode, 0, f"stdout:\n{r.stdout}\nstderr:\n{r.stderr}")
        self.assertNotIn("Traceback", r.stderr, "the SDK caught and logged its own failures")
        return r.stdout.split()

    def sent_span_ids(self, proxy: FaultProxy) -> Counter[str]:
        return Counter(s["spanId"] for r in proxy.requests() for s in r.spans())

    def test_atexit_sends_what_is_queued(self) -> None:
        proxy = FaultProxy(self.server.base_url)
        try:
            # A long delay: only the atexit hook can have sent these before the program ended.
            out = self.run_program(
                """
                aom.init(schedule_delay=60)
                print(make_trace("atexit-1"), make_trace("atexit-2"))
                """,
                proxy,
            )
        finally:
            proxy.stop()
        self.assertEqual(len(out), 2)
        for trace_id in out:
            self.assertEqual(self.server.trace(trace_id)["trace"]["span_count"], 3)

    def test_fork_child_and_parent_each_send_their_own_spans_once(self) -> None:
        proxy = FaultProxy(self.server.base_url)
        try:
            out = self.run_program(
                """
                import contextvars
                aom.init(schedule_delay=60)
                before = make_trace("fork-before")      # queued in the parent, not yet sent
                r, w = os.pipe()
                with aom.agent("forking_agent", session_id="fork-open") as open_span:
                    pid = os.fork()
                    # Each process's first new trace: the same ids if the child drew the parent's.
                    root = contextvars.Context().run(make_trace, f"fork-{pid == 0}")
                    if pid == 0:
                        with aom.tool("in_child", arguments={"pid": os.getpid()}) as t:
                            pass
                # Both processes ended the span that was open at fork time.
                if pid == 0:
                    os.close(r)
                    ok = aom.flush(10)
                    os.write(w, f"{root} {t.trace_id} {t.span_id} {ok}".encode())
                    os._exit(0)
                os.close(w)
                _, status = os.waitpid(pid, 0)
                child_out = os.read(r, 1000).decode()
                after = make_trace("fork-after")
                print(before, root, after, open_span.trace_id, open_span.span_id, child_out,
                      aom.flush(10), status)
                """,
                proxy,
            )
        finally:
            proxy.stop()
        (
            before,
            parent_root,
            after,
            open_trace,
            open_span,
            child_root,
            in_child_trace,
            in_child_span,
            child_ok,
            parent_ok,
            status,
        ) = out
        self.assertEqual((child_ok, parent_ok, status), ("True", "True", "0"))
        sent = self.sent_span_ids(proxy)
        self.assertEqual(max(sent.values()), 1, "no span was sent by both processes")
        self.assertNotEqual(parent_root, child_root, "the child draws ids of its own")
        for trace_id in (before, parent_root, child_root, after):
            self.assertEqual(self.server.trace(trace_id)["trace"]["span_count"], 3)
        # The span open at fork time: sent by the parent only, with the child's span under it.
        self.assertEqual(in_child_trace, open_trace)
        trace = self.server.trace(open_trace)
        self.assertEqual([s["span_id"] for s in trace["spans"]], [open_span, in_child_span])
        self.assertEqual(trace["spans"][1]["parent_span_id"], open_span)
        self.assertEqual(sum(sent.values()), 3 * 4 + 2)

    def test_nothing_breaks_the_host_program(self) -> None:
        proxy = FaultProxy(self.server.base_url)
        try:
            out = self.run_program(
                """
                import asyncio, decimal, logging
                logging.basicConfig(level=logging.WARNING)
                aom.init(no_such_option=1, max_queue_size="lots", timeout=-3,
                         headers={"bad\\nname": "x"}, resource_attributes=5)
                class Weird:
                    def __repr__(self):
                        raise RuntimeError("repr fails")
                    def __str__(self):
                        raise RuntimeError("str fails")
                with aom.agent(Weird(), session_id=Weird(), user_id=12) as a:
                    a.set_attribute("nested", {"a": [1, {"b": Weird()}]})
                    a.set_attribute("big", 2**80)
                    a.set_attributes({"n": None, "f": float("nan"), "d": decimal.Decimal("1.5")})
                    a.set_input(Weird())
                    a.add_event("e", {"x": Weird()})
                    with aom.llm(None, provider=Weird()) as call:
                        call.set_usage(input_tokens="many", output_tokens=-1,
                                       cache_read_tokens=2.5, reasoning_tokens=True)
                        call.set_output({"role": "assistant", "content": Weird()})
                        call.set_response(model=Weird(), finish_reasons=Weird())
                    with aom.tool("t", arguments=Weird()) as t:
                        t.set_result(Weird())
                    a.end(); a.end()
                    aom.inject(Weird())
                    aom.extract(Weird())
                    aom.extract({"traceparent": "00-zz"})
                @aom.trace_tool
                def plain(x):
                    return x * 2
                @aom.trace_tool(name="weird")
                async def coro(x):
                    return Weird()
                assert plain(21) == 42
                assert isinstance(asyncio.run(coro(Weird())), Weird)
                aom.trace_tool(42)
                aom.flush("soon")
                aom.shutdown(timeout=Weird())
                aom.shutdown()
                with aom.tool("after shutdown"):
                    pass
                print("survived", a.trace_id)
                """,
                proxy,
                AGENTOPS_SAMPLE_RATE="half",
                AGENTOPS_TIMEOUT="never",
                OTEL_EXPORTER_OTLP_HEADERS="garbage",
            )
        finally:
            proxy.stop()
        self.assertEqual(out[0], "survived")


if __name__ == "__main__":
    unittest.main()
