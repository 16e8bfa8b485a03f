"""The background sender: a bounded queue of ended spans, and one worker thread that sends them.

The caller's thread only appends to the queue (or counts the span as dropped when the queue is
full); everything else happens on the worker: encoding, gzip, HTTP, retries. The worker sends a
batch when `max_batch_size` spans are waiting or `schedule_delay` has passed, and at once when
flush() or shutdown() asks it to.

Retries: connection errors, timeouts, 429, 502, 503 and 504 are retried with exponential backoff
and jitter, waiting what Retry-After asks for; every batch has `retry_budget` seconds in all. Any
other answer is final: the batch is dropped and the cause logged. A retried batch is the same
bytes with the same span ids, which the server stores once.
"""

from __future__ import annotations

import gzip
import http.client
import logging
import random
import threading
import time
from collections import deque
from typing import Deque, Dict, List, Optional, Tuple

from . import _log, _otlp
from ._config import Config
from ._spans import Span
from ._transport import Response, Transport

RETRYABLE_STATUS = frozenset({429, 502, 503, 504})

# Counters reported by stats(): names are part of the public API.
STAT_NAMES = (
    "queue_length",
    "spans_in_flight",
    "spans_exported",
    "spans_dropped_queue_full",
    "spans_dropped_export_failed",
    "spans_dropped_after_shutdown",
    "spans_rejected_by_server",
    "requests",
    "retries",
)


class Exporter:
    """Owns the queue, the worker thread and the connection."""

    def __init__(self, config: Config, transport: Optional[Transport] = None) -> None:
        self._config = config
        self._resource = _otlp.resource_json(config.service_name, config.resource_attributes)
        self._transport = transport or Transport(
            config.endpoint, dict(config.headers), config.ca_file
        )
        self._extra_headers = {"Content-Type": "application/json"}
        if config.compression == "gzip":
            self._extra_headers["Content-Encoding"] = "gzip"
        self._random = random.Random()
        self._init_state()

    def _init_state(self) -> None:
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._queue: Deque[Tuple[Span, int]] = deque()
        self._queued_bytes = 0
        self._enqueued = 0  # spans accepted into the queue, ever
        self._settled = 0  # of those, spans sent or given up on
        self._flush_target = 0  # flush() wants everything up to here settled now
        self._failed_through = 0  # _settled just after the latest batch that was given up on
        self._stopping = False
        self._hard_deadline: Optional[float] = None  # after it, give up on retries
        self._thread: Optional[threading.Thread] = None
        self._stats: Dict[str, int] = {name: 0 for name in STAT_NAMES}

    # ---- the caller's side -------------------------------------------------------------------
    def enqueue(self, span: Span) -> None:
        """Never blocks beyond a short lock; drops and counts when the queue is full."""
        size = _otlp.estimated_size(span)
        cfg = self._config
        with self._lock:
            if self._stopping:
                self._stats["spans_dropped_after_shutdown"] += 1
                return
            if (
                len(self._queue) >= cfg.max_queue_size
                or self._queued_bytes + size > cfg.max_queue_bytes
            ):
                self._stats["spans_dropped_queue_full"] += 1
            else:
                self._queue.append((span, size))
                self._queued_bytes += size
                self._enqueued += 1
                if self._thread is None:
                    self._start_worker()
                if len(self._queue) == cfg.max_batch_size:
                    self._cond.notify_all()
                return
        _log.limited(
            logging.WARNING,
            "queue-full",
            "span queue full (%d spans): dropping new spans until the exporter catches up",
            cfg.max_queue_size,
        )

    def flush(self, timeout: float) -> bool:
        """Waits until every span queued before the call is sent or given up, or the timeout.

        True when all of them were sent.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        with self._lock:
            target = self._enqueued
            start = self._settled
            if start >= target:
                return True
            self._flush_target = max(self._flush_target, target)
            self._cond.notify_all()
            if self._thread is None or not self._thread.is_alive():
                self._thread = None
                self._start_worker()
            while self._settled < target:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return self._failed_through <= start

    def shutdown(self, timeout: float) -> bool:
        """Sends what is queued within `timeout`, then stops the worker; later spans are dropped.

        True when everything queued was sent.
        """
        deadline = time.monotonic() + max(0.0, timeout)
        with self._lock:
            start = self._settled
            self._stopping = True
            self._hard_deadline = deadline
            self._flush_target = self._enqueued
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread.is_alive():
            if thread is not threading.current_thread():
                thread.join(max(0.0, deadline - time.monotonic()))
        elif self._queue:
            # No worker (it never started, or interpreter shutdown stopped it): send from here.
            try:
                self._run(until_empty=True)
            except Exception:
                pass
        self._transport.close()
        with self._lock:
            return self._settled >= self._enqueued and self._failed_through <= start

    def stats(self) -> Dict[str, int]:
        with self._lock:
            out = dict(self._stats)
            out["queue_length"] = len(self._queue)
            out["spans_in_flight"] = self._enqueued - self._settled - len(self._queue)
            return out

    def after_fork_in_child(self) -> None:
        """The child starts empty: the parent sends what it had queued."""
        self._transport.forget()
        self._init_state()

    def lock(self) -> threading.Lock:
        return self._lock

    # ---- the worker ----------------------------------------------------------------------------
    def _start_worker(self) -> None:
        t = threading.Thread(target=self._worker, name="agentops-monitor-exporter", daemon=True)
        self._thread = t
        try:
            t.start()
        except RuntimeError:  # no new threads at interpreter shutdown: shutdown() sends inline
            self._thread = None

    def _worker(self) -> None:
        try:
            self._run(until_empty=False)
        except BaseException:
            _log.limited(logging.ERROR, "worker", "the exporter thread stopped unexpectedly")
            with self._lock:
                self._thread = None

    def _run(self, until_empty: bool) -> None:
        cfg = self._config
        next_send = time.monotonic() + cfg.schedule_delay
        while True:
            with self._lock:
                while True:
                    urgent = self._stopping or self._flush_target > self._settled or until_empty
                    if len(self._queue) >= cfg.max_batch_size or (urgent and self._queue):
                        break
                    if urgent and not self._queue:
                        if self._stopping or until_empty:
                            self._cond.notify_all()
                            return
                    wait = next_send - time.monotonic()
                    if wait <= 0:
                        if self._queue:
                            break
                        next_send = time.monotonic() + cfg.schedule_delay
                        wait = cfg.schedule_delay
                    self._cond.wait(wait)
                batch = self._take_batch()
            sent = self._export(batch)
            with self._lock:
                self._settled += len(batch)
                self._queued_bytes -= sum(size for _, size in batch)
                if sent:
                    self._stats["spans_exported"] += len(batch)
                else:
                    self._stats["spans_dropped_export_failed"] += len(batch)
                    self._failed_through = self._settled
                self._cond.notify_all()
                if len(self._queue) < cfg.max_batch_size:
                    next_send = time.monotonic() + cfg.schedule_delay

    def _take_batch(self) -> List[Tuple[Span, int]]:
        """Up to max_batch_size spans, and no more than max_request_bytes of them (at least one)."""
        cfg = self._config
        batch: List[Tuple[Span, int]] = []
        size = 0
        q = self._queue
        while q and len(batch) < cfg.max_batch_size:
            if batch and size + q[0][1] > cfg.max_request_bytes:
                break
            item = q.popleft()
            size += item[1]
            batch.append(item)
        return batch

    # ---- sending -------------------------------------------------------------------------------
    def _export(self, batch: List[Tuple[Span, int]]) -> bool:
        try:
            body = _otlp.request_body(self._resource, [s for s, _ in batch])
            if self._config.compression == "gzip":
                body = gzip.compress(body, compresslevel=5)
        except Exception:
            _log.limited(logging.ERROR, "encode", "could not encode %d spans", len(batch))
            return False
        return self._send_with_retries(body, len(batch))

    def _send_with_retries(self, body: bytes, count: int) -> bool:
        cfg = self._config
        started = time.monotonic()
        budget_end = started + cfg.retry_budget
        attempt = 0
        while True:
            deadline = min(time.monotonic() + cfg.timeout, budget_end)
            hard = self._hard_deadline
            if hard is not None:
                if time.monotonic() >= hard:
                    _log.limited(
                        logging.WARNING,
                        "shutdown-drop",
                        "dropped %d spans: shutdown's timeout passed before they were sent",
                        count,
                    )
                    return False
                deadline = min(deadline, hard)
            outcome, retry_after = self._attempt(body, count, deadline)
            if outcome is not None:
                return outcome
            wait = self._backoff(attempt, retry_after)
            attempt += 1
            now = time.monotonic()
            limit = budget_end if hard is None else min(budget_end, hard)
            if now + wait >= limit:
                _log.limited(
                    logging.WARNING,
                    "give-up",
                    "dropped %d spans: %s still failing after %d attempts in %.0f s",
                    count,
                    self._config.endpoint,
                    attempt,
                    now - started,
                )
                return False
            with self._lock:
                self._stats["retries"] += 1
            if not self._sleep(wait):
                return False

    def _attempt(
        self, body: bytes, count: int, deadline: float
    ) -> Tuple[Optional[bool], Optional[float]]:
        """(True/False when the batch is done, None to retry; the server's Retry-After)."""
        with self._lock:
            self._stats["requests"] += 1
        try:
            resp = self._transport.post(body, self._extra_headers, deadline)
        except (OSError, http.client.HTTPException, ValueError) as e:
            _log.limited(
                logging.WARNING,
                "connect",
                "cannot send spans to %s (%s); retrying",
                self._config.endpoint,
                type(e).__name__,
            )
            return None, None
        return self._outcome(resp, count)

    def _outcome(self, resp: Response, count: int) -> Tuple[Optional[bool], Optional[float]]:
        status = resp.status
        if 200 <= status < 300:
            rejected, message = _otlp.partial_success(resp.body)
            if rejected:
                with self._lock:
                    self._stats["spans_rejected_by_server"] += rejected
                _log.limited(
                    logging.WARNING,
                    "partial",
                    "the server rejected %d spans: %s",
                    rejected,
                    message,
                )
            return True, None
        if status in RETRYABLE_STATUS:
            _log.limited(
                logging.WARNING,
                f"status-{status}",
                "%s answered %d; retrying",
                self._config.endpoint,
                status,
            )
            return None, resp.retry_after
        hint = {
            401: " (the API key is missing, unknown or revoked)",
            403: " (the API key may not write to this project)",
            413: " (the batch is larger than the server accepts: lower max_request_bytes)",
        }.get(status, "")
        _log.limited(
            logging.ERROR,
            f"status-{status}",
            "dropped %d spans: %s answered %d%s",
            count,
            self._config.endpoint,
            status,
            hint,
        )
        return False, None

    def _backoff(self, attempt: int, retry_after: Optional[float]) -> float:
        cfg = self._config
        if retry_after is not None:
            # Retry-After is a minimum; a little jitter keeps many clients from coming back at once.
            return retry_after * (1.0 + 0.1 * self._random.random())
        base = min(cfg.max_backoff, cfg.initial_backoff * (2.0**attempt))
        return base * (0.5 + 0.5 * self._random.random())

    def _sleep(self, seconds: float) -> bool:
        """Waits `seconds`, or until shutdown's deadline; False once that deadline has passed."""
        end = time.monotonic() + seconds
        with self._lock:
            while True:
                now = time.monotonic()
                hard = self._hard_deadline
                if hard is not None and now >= hard:
                    return False
                if now >= end:
                    return True
                self._cond.wait(min(end, hard if hard is not None else end) - now)
