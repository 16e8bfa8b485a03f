"""One HTTP POST at a time to the OTLP endpoint, over a kept-alive connection, within a deadline.

http.client rather than urllib: it keeps the connection open between batches and never follows a
redirect (which would carry the Authorization header to wherever the redirect points).
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import time
import urllib.parse
from typing import Dict, List, Optional, Tuple

MAX_RESPONSE_BYTES = 64 * 1024


class Response:
    __slots__ = ("status", "retry_after", "body")

    def __init__(self, status: int, retry_after: Optional[float], body: bytes) -> None:
        self.status = status
        self.retry_after = retry_after
        self.body = body


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Retry-After in seconds to wait: delta-seconds or an HTTP date; None if absent/invalid."""
    if value is None:
        return None
    v = value.strip()
    if v.isdigit():
        return float(int(v))
    try:
        when = email.utils.parsedate_to_datetime(v)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class DeadlineExceeded(TimeoutError):
    pass


class Transport:
    """POSTs bodies to one URL. Not thread-safe: only the exporter's worker uses it."""

    def __init__(self, url: str, headers: Dict[str, str], ca_file: Optional[str] = None) -> None:
        parts = urllib.parse.urlsplit(url)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or "127.0.0.1"
        self._port = parts.port or (443 if self._https else 80)
        self._path = (parts.path or "/") + (("?" + parts.query) if parts.query else "")
        self._headers = dict(headers)
        self._ca_file = ca_file
        self._ssl: Optional[ssl.SSLContext] = None
        self._conn: Optional[http.client.HTTPConnection] = None

    def _connect(self, timeout: float) -> http.client.HTTPConnection:
        if self._https:
            if self._ssl is None:
                self._ssl = ssl.create_default_context(cafile=self._ca_file)
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                self._host, self._port, timeout=timeout, context=self._ssl
            )
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
        conn.connect()
        return conn

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def forget(self) -> None:
        """Drops the connection without touching it (a forked child must not use its parent's)."""
        self._conn = None

    def post(self, body: bytes, extra_headers: Dict[str, str], deadline: float) -> Response:
        """Sends `body`; raises OSError or http.client.HTTPException when no answer came in time.

        A kept-alive connection that the server closed meanwhile is retried once on a new one
        right away: that is not a failure of the server, just an idle connection timing out.
        """
        reused = self._conn is not None
        try:
            return self._post_once(body, extra_headers, deadline)
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            self.close()
            if not reused:
                raise
        return self._post_once(body, extra_headers, deadline)

    def _post_once(self, body: bytes, extra_headers: Dict[str, str], deadline: float) -> Response:
        try:
            conn = self._conn
            if conn is None:
                conn = self._conn = self._connect(_remaining(deadline))
            sock = conn.sock
            assert sock is not None
            headers = dict(self._headers)
            headers.update(extra_headers)
            headers["Content-Length"] = str(len(body))
            _arm(sock, deadline)
            conn.request("POST", self._path, body=body, headers=headers)
            _arm(sock, deadline)
            resp = conn.getresponse()
            data, complete = _read_limited(resp, sock, deadline)
            retry_after = parse_retry_after(resp.getheader("Retry-After"))
            if not complete or resp.will_close:
                self.close()
            return Response(resp.status, retry_after, data)
        except BaseException:
            self.close()
            raise


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("request deadline passed")
    return left


def _arm(sock: socket.socket, deadline: float) -> None:
    """Makes the socket's next operations time out at the deadline.

    After a `Connection: close` answer http.client has closed its own handle of the socket (the
    response reads through another); the timeout set before still applies to that one.
    """
    left = _remaining(deadline)
    try:
        sock.settimeout(left)
    except OSError:
        pass


def _read_limited(
    resp: http.client.HTTPResponse, sock: socket.socket, deadline: float
) -> Tuple[bytes, bool]:
    """The response body up to MAX_RESPONSE_BYTES; (body, whether it was read to its end)."""
    chunks: List[bytes] = []
    total = 0
    while total < MAX_RESPONSE_BYTES:
        _arm(sock, deadline)
        chunk = resp.read(min(16384, MAX_RESPONSE_BYTES - total))
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks), resp.isclosed()
