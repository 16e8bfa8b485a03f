"""Trace and span ids, the sampler, and the context variable that says which span is current."""

from __future__ import annotations

import contextvars
import os
import random
from typing import TYPE_CHECKING, Optional, Union

if TYPE_CHECKING:
    from ._spans import Span

# A generator of our own: a host program that calls random.seed() must not make two processes
# draw the same trace ids. Reseeded from os.urandom in every forked child (_runtime.py).
_rng = random.Random()
_getrandbits = _rng.getrandbits

LOWER_64_BITS = (1 << 64) - 1


def new_trace_id() -> int:
    while True:
        v = _getrandbits(128)
        if v:
            return v


def new_span_id() -> int:
    while True:
        v = _getrandbits(64)
        if v:
            return v


def reseed() -> None:
    _rng.seed(os.urandom(32))


class SpanContext:
    """The identity of a span another process started (from a `traceparent` header)."""

    __slots__ = ("trace_id", "span_id", "sampled", "trace_state")

    def __init__(self, trace_id: int, span_id: int, sampled: bool, trace_state: str = "") -> None:
        self.trace_id = trace_id
        self.span_id = span_id
        self.sampled = sampled
        self.trace_state = trace_state

    @property
    def trace_id_hex(self) -> str:
        return "%032x" % self.trace_id

    @property
    def span_id_hex(self) -> str:
        return "%016x" % self.span_id

    def __repr__(self) -> str:
        return (
            f"SpanContext(trace_id={self.trace_id_hex}, span_id={self.span_id_hex}, "
            f"sampled={self.sampled})"
        )


Parent = Union["Span", SpanContext]

# The span that new spans nest under: per thread and per asyncio task, as contextvars are.
current: contextvars.ContextVar[Optional["Span"]] = contextvars.ContextVar(
    "agentops_monitor_current_span", default=None
)


def bound_for_rate(rate: float) -> int:
    """OpenTelemetry's TraceIdRatioBased bound: round(rate * 2^64)."""
    return round(rate * (LOWER_64_BITS + 1))


def sampled_by_ratio(trace_id: int, bound: int) -> bool:
    """OpenTelemetry's TraceIdRatioBased decision: the trace id's lower 64 bits below the bound."""
    return (trace_id & LOWER_64_BITS) < bound
