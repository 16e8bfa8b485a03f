"""The SDK against agentops-server in team mode: project API keys, and keeping them secret."""

from __future__ import annotations

import logging
import os
import socket
import time
import unittest
from typing import List

import agentops_monitor as aom
from support import FaultProxy, ServerProcess, ServerTestCase, init_sdk, make_trace


def non_loopback_host() -> str:
    """A name or address of this machine that is not a loopback literal."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route's address
            addr = s.getsockname()[0]
            if not addr.startswith("127."):
                return str(addr)
    except OSError:
        pass
    # No route at all (a container without a network): the host name still is no loopback
    # literal to the SDK, which never resolves names to decide.
    return socket.gethostname()


class TeamServerTest(ServerTestCase):
    team = True
    key: str

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        assert cls.server.api_key is not None
        cls.key = cls.server.api_key

    def tearDown(self) -> None:
        os.environ.pop("OTEL_EXPORTER_OTLP_HEADERS", None)
        os.environ.pop("AGENTOPS_API_KEY", None)

    def test_api_key_argument(self) -> None:
        init_sdk(self.server.base_url, api_key=self.key)
        trace_id = make_trace(session="team-arg")
        self.assertTrue(aom.flush(10))
        trace = self.server.trace(trace_id)
        self.assertEqual(trace["trace"]["span_count"], 3)
        self.assertEqual(trace["trace"]["session_id"], "team-arg")

    def test_api_key_from_the_environment(self) -> None:
        init_sdk(self.server.base_url)
        os.environ["AGENTOPS_API_KEY"] = self.key
        aom.init(endpoint=self.server.base_url, schedule_delay=0.05)
        made = [make_trace()]
        self.assertTrue(aom.flush(10))
        os.environ.pop("AGENTOPS_API_KEY")
        os.environ["OTEL_EXPORTER_OTLP_HEADERS"] = f"Authorization=Bearer%20{self.key}"
        aom.init(endpoint=self.server.base_url, schedule_delay=0.05)
        made.append(make_trace())
        self.assertTrue(aom.flush(10))
        for trace_id in made:
            self.assertEqual(self.server.trace(trace_id)["trace"]["span_count"], 3)

    def test_no_key_or_a_wrong_key_is_refused_and_never_logged(self) -> None:
        wrong = "aok_" + "x" * 43
        records: List[logging.LogRecord] = []
        handler = _Collect(records)
        logger = logging.getLogger("agentops_monitor")
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        try:
            config = aom.init(endpoint=self.server.base_url, api_key=wrong, schedule_delay=0.05)
            trace_id = make_trace()
            self.assertFalse(aom.flush(10))
            self.assertEqual(aom.stats()["requests"], 1, "401 is final: not retried")
            self.assertEqual(aom.stats()["spans_dropped_export_failed"], 3)
            init_sdk(self.server.base_url)
            make_trace()
            self.assertFalse(aom.flush(10))
            self.assertNotIn(wrong, repr(config))
            self.assertNotIn(wrong, str(config))
        finally:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
        messages = [r.getMessage() for r in records]
        self.assertTrue(
            any("answered 401 (the API key is missing, unknown or revoked)" in m for m in messages),
            messages,
        )
        self.assertTrue(any("configured: Config(" in m for m in messages), "DEBUG logs config")
        for m in messages:
            self.assertNotIn(wrong, m)
            self.assertNotIn("x" * 20, m)
        self.assertIsNone(self.server.trace_or_none(trace_id))

    def test_key_is_not_sent_in_clear_text_to_another_machine(self) -> None:
        host = non_loopback_host()
        proxy = FaultProxy(self.server.base_url, host="0.0.0.0")
        try:
            endpoint = f"http://{host}:{proxy.port}"
            with self.assertLogs("agentops_monitor", logging.ERROR) as logs:
                init_sdk(endpoint, api_key=self.key)
            self.assertIn("would carry the API key in clear text", "\n".join(logs.output))
            refused = make_trace()
            self.assertTrue(aom.flush(2))
            time.sleep(0.3)
            self.assertEqual(proxy.requests(), [], "nothing was sent")
            # Allowed explicitly: sent, with the key.
            init_sdk(endpoint, api_key=self.key, allow_insecure_http=True)
            allowed = make_trace()
            self.assertTrue(aom.flush(10))
            (request,) = proxy.requests()
            self.assertEqual(request.headers["authorization"], f"Bearer {self.key}")
        finally:
            proxy.stop()
        self.assertIsNone(self.server.trace_or_none(refused))
        self.assertEqual(self.server.trace(allowed)["trace"]["span_count"], 3)

    def test_redirects_are_not_followed(self) -> None:
        elsewhere = FaultProxy(self.server.base_url)
        proxy = FaultProxy(self.server.base_url, [f"307:{elsewhere.url}/v1/traces"])
        try:
            with self.assertLogs("agentops_monitor", logging.ERROR) as logs:
                init_sdk(proxy.url, api_key=self.key)
                trace_id = make_trace()
                self.assertFalse(aom.flush(10))
            self.assertIn("answered 307", "\n".join(logs.output))
            self.assertEqual(len(proxy.requests()), 1)
            self.assertEqual(elsewhere.requests(), [], "the key went nowhere else")
        finally:
            proxy.stop()
            elsewhere.stop()
        self.assertIsNone(self.server.trace_or_none(trace_id))

    def test_https_with_the_servers_certificate(self) -> None:
        server = ServerProcess(team=True, tls=True)
        try:
            assert server.api_key is not None and server.ca_file is not None
            init_sdk(server.base_url, api_key=server.api_key, ca_file=server.ca_file)
            trace_id = make_trace()
            self.assertTrue(aom.flush(10))
            self.assertEqual(server.trace(trace_id)["trace"]["span_count"], 3)
            # Without the certificate authority the server is not trusted: nothing is sent.
            with self.assertLogs("agentops_monitor", logging.WARNING) as logs:
                init_sdk(server.base_url, api_key=server.api_key, retry_budget=0.5)
                untrusted = make_trace()
                self.assertFalse(aom.flush(10))
            self.assertIn("SSLCertVerificationError", "\n".join(logs.output))
            self.assertIsNone(server.trace_or_none(untrusted))
        finally:
            aom.shutdown(2)
            server.stop()

    def test_plain_http_to_loopback_and_https_need_no_permission(self) -> None:
        from agentops_monitor._config import refuses_credentials, resolve

        for endpoint in (
            "http://127.0.0.1:4318",
            "http://localhost:4318",
            "http://[::1]:4318",
            "https://traces.example.com",
            "http://127.8.9.10",
        ):
            self.assertFalse(refuses_credentials(resolve({}, endpoint, api_key="k")), endpoint)
        for endpoint in ("http://traces.example.com", "http://10.0.0.5:4318", "http://[::2]"):
            self.assertTrue(refuses_credentials(resolve({}, endpoint, api_key="k")), endpoint)
            self.assertFalse(refuses_credentials(resolve({}, endpoint)), "no key: nothing to leak")


class _Collect(logging.Handler):
    def __init__(self, records: List[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


if __name__ == "__main__":
    unittest.main()
