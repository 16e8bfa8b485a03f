"""The SDK behind a fault-injecting proxy in front of the real server, and with no server at all:
retries (Retry-After, 429, dropped connections, a slow server, a server that comes back), what is
given up and counted, and what the program pays for all of it (nothing it can notice)."""

from __future__ import annotations

import logging
import socket
import time
import unittest
from typing import List

import agentops_monitor as aom
from support import FLUSH_TIMEOUT_S, FaultProxy, ServerTestCase, free_port, init_sdk, make_trace


class FaultsTest(ServerTestCase):
    def setUp(self) -> None:
        self.proxies: List[FaultProxy] = []

    def tearDown(self) -> None:
        aom.shutdown(2)
        for p in self.proxies:
            p.stop()

    def proxy(self, actions: List[str], port: int = 0) -> FaultProxy:
        p = FaultProxy(self.server.base_url, actions, port=port)
        self.proxies.append(p)
        return p

    def assert_stored_once(self, trace_ids: List[str], spans_each: int = 3) -> None:
        for trace_id in trace_ids:
            trace = self.server.trace(trace_id)
            self.assertEqual(trace["trace"]["span_count"], spans_each)
            self.assertEqual(len(trace["spans"]), spans_each)
            self.assertEqual(len({s["span_id"] for s in trace["spans"]}), spans_each)

    # ---- retried answers ------------------------------------------------------------------------
    def test_503_waits_as_long_as_retry_after_says(self) -> None:
        p = self.proxy(["503:1"])
        init_sdk(p.url, initial_backoff=0.01)
        made = [make_trace(i) for i in range(3)]
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        first, second = p.requests()
        self.assertEqual(first.action, "503:1")
        self.assertGreaterEqual(second.at - first.at, 1.0, "Retry-After: 1 means a second")
        self.assertLess(second.at - first.at, 1.5)
        self.assertEqual(first.body, second.body, "a retry sends the same batch")
        self.assert_stored_once(made)
        stats = aom.stats()
        self.assertEqual(stats["retries"], 1)
        self.assertEqual(stats["spans_exported"], 9)

    def test_retry_after_as_http_date(self) -> None:
        when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 2))
        p = self.proxy([f"503:{when}"])
        init_sdk(p.url, initial_backoff=0.01)
        made = [make_trace()]
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        first, second = p.requests()
        self.assertGreaterEqual(second.at - first.at, 0.9)
        self.assert_stored_once(made)

    def test_429_and_502_504_are_retried_with_backoff(self) -> None:
        p = self.proxy(["429", "502", "503:", "504"])
        init_sdk(p.url, initial_backoff=0.1, max_backoff=1.0)
        made = [make_trace()]
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        self.assertEqual([r.action for r in p.requests()], ["429", "502", "503:", "504", "forward"])
        times = [r.at for r in p.requests()]
        gaps = [b - a for a, b in zip(times, times[1:])]
        # Backoff with jitter: 0.1·2^n, each between half and all of it.
        for n, gap in enumerate(gaps):
            self.assertGreaterEqual(gap, 0.05 * 2**n, gaps)
        self.assert_stored_once(made)
        self.assertEqual(aom.stats()["retries"], 4)

    def test_dropped_connections_are_retried(self) -> None:
        p = self.proxy(["drop", "drop"])
        init_sdk(p.url)
        made = [make_trace(i) for i in range(5)]
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        self.assertEqual([r.action for r in p.requests()], ["drop", "drop", "forward"])
        self.assert_stored_once(made)

    def test_answer_lost_after_the_server_stored_it_is_not_duplicated(self) -> None:
        p = self.proxy(["forward-drop"])
        init_sdk(p.url)
        made = [make_trace(i) for i in range(5)]
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        first, second = p.requests()
        self.assertEqual(first.body, second.body)
        # The server had stored the first copy: the retry changed nothing.
        self.assert_stored_once(made)
        self.assertEqual(
            sum(t["span_count"] for t in self.server.all_traces() if t["trace_id"] in made), 15
        )

    def test_server_slower_than_the_timeout(self) -> None:
        p = self.proxy(["slow:2.5"])
        init_sdk(p.url, timeout=0.5, initial_backoff=0.05)
        made = [make_trace()]
        started = time.monotonic()
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        first, second = p.requests()
        self.assertGreaterEqual(second.at - first.at, 0.5, "the first attempt waited its timeout")
        self.assertLess(second.at - first.at, 1.5, "... and no longer")
        self.assertLess(time.monotonic() - started, 2.0)
        self.assert_stored_once(made)

    def test_server_down_then_back(self) -> None:
        port = free_port()
        init_sdk(f"http://127.0.0.1:{port}", initial_backoff=0.2, max_backoff=0.5)
        started = time.monotonic()
        made = [make_trace(i) for i in range(20)]
        self.assertLess(time.monotonic() - started, 0.5)
        time.sleep(1.0)
        self.assertGreater(aom.stats()["retries"], 0)
        self.proxy([], port=port)  # the backend is back, on the same address
        self.assertTrue(aom.flush(FLUSH_TIMEOUT_S))
        self.assert_stored_once(made)
        self.assertEqual(aom.stats()["spans_exported"], 60)
        self.assertEqual(aom.stats()["spans_dropped_export_failed"], 0)

    # ---- what is given up ---------------------------------------------------------------------
    def test_other_4xx_is_final_and_logged_once(self) -> None:
        p = self.proxy(["400", "400"])
        init_sdk(p.url)
        with self.assertLogs("agentops_monitor", logging.WARNING) as logs:
            make_trace(0)
            self.assertFalse(aom.flush(5))
            make_trace(1)
            self.assertFalse(aom.flush(5))
            self.assertTrue(aom.flush(5), "nothing left to send")
        self.assertEqual(len(p.requests()), 2, "never retried")
        self.assertEqual(len([m for m in logs.output if "answered 400" in m]), 1)
        stats = aom.stats()
        self.assertEqual(stats["spans_dropped_export_failed"], 6)
        self.assertEqual(stats["retries"], 0)

    def test_retry_budget_ends_a_batch(self) -> None:
        p = self.proxy(["503:"] * 1000)
        init_sdk(p.url, retry_budget=1.0, initial_backoff=0.1, max_backoff=0.2)
        started = time.monotonic()
        make_trace()
        self.assertFalse(aom.flush(5), "flush says when spans were given up on")
        elapsed = time.monotonic() - started
        self.assertGreater(elapsed, 0.6)
        self.assertLess(elapsed, 1.5)
        self.assertEqual(aom.stats()["spans_dropped_export_failed"], 3)
        self.assertGreater(len(p.requests()), 3)

    def test_full_queue_drops_new_spans_and_counts_them(self) -> None:
        init_sdk(
            f"http://127.0.0.1:{free_port()}",
            max_queue_size=50,
            max_batch_size=50,
            schedule_delay=60,
        )
        started = time.monotonic()
        for i in range(100):
            make_trace(i)
        self.assertLess(time.monotonic() - started, 0.5)
        stats = aom.stats()
        self.assertLessEqual(stats["queue_length"], 50)
        self.assertEqual(
            stats["spans_dropped_queue_full"]
            + stats["queue_length"]
            + stats["spans_in_flight"]
            + stats["spans_dropped_export_failed"],
            300,
        )
        self.assertEqual(stats["spans_exported"], 0)
        # The worker holds at most one batch (50) besides the full queue (50).
        self.assertGreaterEqual(stats["spans_dropped_queue_full"], 200)

    # ---- the program's cost with the backend down ------------------------------------------------
    def test_backend_down_costs_the_program_nothing(self) -> None:
        init_sdk(f"http://127.0.0.1:{free_port()}", initial_backoff=1.0)
        started = time.monotonic()
        for i in range(100):
            make_trace(i)
        made = time.monotonic() - started
        self.assertLess(made, 2.0, "100 traces with the backend down")
        started = time.monotonic()
        self.assertFalse(aom.flush(timeout=1.0))
        took = time.monotonic() - started
        self.assertGreaterEqual(took, 1.0)
        self.assertLess(took, 1.3, "flush(timeout) returns on time")
        started = time.monotonic()
        self.assertFalse(aom.shutdown(timeout=0.5))
        self.assertLess(time.monotonic() - started, 0.8, "shutdown(timeout) returns on time")

    def test_backend_that_never_answers(self) -> None:
        # Accepts connections (the kernel does) and never reads nor answers them.
        with socket.socket() as hole:
            hole.bind(("127.0.0.1", 0))
            hole.listen(64)
            init_sdk(f"http://127.0.0.1:{hole.getsockname()[1]}", timeout=5.0)
            started = time.monotonic()
            for i in range(100):
                make_trace(i)
            self.assertLess(time.monotonic() - started, 2.0)
            started = time.monotonic()
            self.assertFalse(aom.flush(timeout=0.5))
            self.assertLess(time.monotonic() - started, 0.8)
            started = time.monotonic()
            aom.shutdown(timeout=0.5)
            self.assertLess(time.monotonic() - started, 0.8)


if __name__ == "__main__":
    unittest.main()
