"""W3C Trace Context (https://www.w3.org/TR/trace-context/): `traceparent` and `tracestate`.

`inject()` writes the current span's identity into outgoing headers; `extract()` reads a caller's
into a SpanContext to pass as `parent=`. Both follow the specification's parsing rules, so any
OpenTelemetry service understands them, and the sampled flag carries the sampling decision.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Mapping, MutableMapping, Optional, Union

from . import _log
from ._spans import Span
from ._trace import SpanContext, current

_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$")
# list-member = key "=" value, up to 32 of them (W3C tracestate), loosely checked.
_TRACESTATE_MEMBER = re.compile(
    r"^[a-z0-9][_0-9a-z\-*/]{0,255}(@[a-z][_0-9a-z\-*/]{0,13})?"
    r"=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$"
)


def _header(headers: Any, name: str) -> Optional[str]:
    """A header's value from a dict, an email.message.Message, or anything with get()/items()."""
    try:
        value = headers.get(name)
        if value is None and hasattr(headers, "items"):
            for k, v in headers.items():
                if isinstance(k, str) and k.lower() == name:
                    value = v
                    break
    except Exception:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    return value if isinstance(value, str) else None


def _clean_tracestate(value: Optional[str]) -> str:
    if not value:
        return ""
    members = [m.strip() for m in value.split(",") if m.strip()]
    if len(members) > 32 or not all(_TRACESTATE_MEMBER.match(m) for m in members):
        return ""
    return ",".join(members)


def extract(headers: Any) -> Optional[SpanContext]:
    """The caller's span from `traceparent` (and `tracestate`); None if absent or invalid."""
    try:
        raw = _header(headers, "traceparent")
        if raw is None:
            return None
        m = _TRACEPARENT.match(raw.strip())
        if m is None:
            return None
        version, trace_hex, span_hex, flags_hex, rest = m.groups()
        # Version ff is invalid; version 00 has nothing after the flags; later versions may.
        if version == "ff" or (version == "00" and rest is not None):
            return None
        trace_id = int(trace_hex, 16)
        span_id = int(span_hex, 16)
        if trace_id == 0 or span_id == 0:
            return None
        state = _clean_tracestate(_header(headers, "tracestate"))
        return SpanContext(trace_id, span_id, bool(int(flags_hex, 16) & 1), state)
    except Exception:
        _log.limited(logging.WARNING, "extract", "could not read a traceparent header")
        return None


def inject(
    headers: Optional[MutableMapping[str, str]] = None,
    span: Optional[Union[Span, SpanContext]] = None,
) -> MutableMapping[str, str]:
    """Adds `traceparent` (and `tracestate`) for `span`, else the current span, to `headers`.

    Returns the headers (a new dict when none were given); leaves them as they were when there is
    no span.
    """
    if headers is None:
        headers = {}
    try:
        ctx: Optional[Union[Span, SpanContext]] = span if span is not None else current.get()
        if ctx is None:
            return headers
        sc = ctx.context if isinstance(ctx, Span) else ctx
        headers["traceparent"] = "00-%032x-%016x-%s" % (
            sc.trace_id,
            sc.span_id,
            "01" if sc.sampled else "00",
        )
        if sc.trace_state:
            headers["tracestate"] = sc.trace_state
    except Exception:
        _log.limited(logging.WARNING, "inject", "could not write a traceparent header")
    return headers


def parent_from(value: Union[Span, SpanContext, Mapping[str, Any], None]) -> Any:
    """`parent=` accepts a span, a SpanContext, or incoming headers."""
    if value is None or isinstance(value, (Span, SpanContext)):
        return value
    return extract(value)
