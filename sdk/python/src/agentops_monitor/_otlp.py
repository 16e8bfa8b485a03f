"""Ended spans as an OTLP/JSON ExportTraceServiceRequest (opentelemetry-proto, JSON mapping).

Runs on the exporter's thread, never on the caller's. Ids are lower-case hex, 64-bit integers are
decimal strings, enums are numbers, as the OTLP/JSON mapping writes them.
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, Iterable, List, Sequence, Tuple

from ._spans import AttrValue, Span


def _any_value(v: AttrValue) -> Dict[str, Any]:
    if isinstance(v, str):
        return {"stringValue": v}
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        if math.isfinite(v):
            return {"doubleValue": v}
        # The protobuf JSON mapping's spellings: JSON itself has no NaN or infinities.
        return {"doubleValue": "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")}
    return {"arrayValue": {"values": [_any_value(x) for x in v]}}


def _attributes(attrs: Dict[str, AttrValue]) -> List[Dict[str, Any]]:
    return [{"key": k, "value": _any_value(v)} for k, v in attrs.items()]


def span_json(span: Span) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "traceId": "%032x" % span._tid,
        "spanId": "%016x" % span._sid,
        "name": span._name,
        "kind": span._kind,
        "startTimeUnixNano": str(span._start_ns),
        "endTimeUnixNano": str(span._end_ns),
        "attributes": _attributes(span._attrs),
        # W3C trace flags (sampled) and whether the parent is known to be remote (bits 8 and 9).
        "flags": 0x101 | (0x200 if span._remote_parent else 0),
    }
    if span._psid:
        out["parentSpanId"] = "%016x" % span._psid
    if span._trace_state:
        out["traceState"] = span._trace_state
    if span._dropped_attributes:
        out["droppedAttributesCount"] = span._dropped_attributes
    if span._events:
        out["events"] = [
            {"timeUnixNano": str(t), "name": name, "attributes": _attributes(a)}
            for name, t, a in span._events
        ]
    if span._status:
        status: Dict[str, Any] = {"code": span._status}
        if span._status_message:
            status["message"] = span._status_message
        out["status"] = status
    return out


def resource_json(service_name: str, attributes: Iterable[Tuple[str, str]]) -> Dict[str, Any]:
    from . import __version__

    attrs: Dict[str, AttrValue] = {
        "service.name": service_name,
        "telemetry.sdk.name": "agentops-monitor",
        "telemetry.sdk.language": "python",
        "telemetry.sdk.version": __version__,
    }
    for k, v in attributes:
        attrs.setdefault(k, v)
    return {"attributes": _attributes(attrs)}


def request_body(resource: Dict[str, Any], spans: Sequence[Span]) -> bytes:
    from . import __version__

    doc = {
        "resourceSpans": [
            {
                "resource": resource,
                "scopeSpans": [
                    {
                        "scope": {"name": "agentops_monitor", "version": __version__},
                        "spans": [span_json(s) for s in spans],
                    }
                ],
            }
        ]
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def estimated_size(span: Span) -> int:
    """Roughly the bytes a span takes in the queue and in a request: its strings and framing."""
    n = 300 + len(span._name)
    for k, v in span._attrs.items():
        n += 40 + len(k) + (len(v) if isinstance(v, str) else 16)
    if span._events:
        for name, _, a in span._events:
            n += 60 + len(name)
            for k, v in a.items():
                n += 40 + len(k) + (len(v) if isinstance(v, str) else 16)
    return n


def partial_success(body: bytes) -> Tuple[int, str]:
    """(rejected spans, the server's message) from an OTLP/JSON response; (0, "") when none."""
    if not body.strip():
        return 0, ""
    try:
        doc = json.loads(body)
        ps = doc.get("partialSuccess") or doc.get("partial_success") or {}
        rejected = int(ps.get("rejectedSpans") or ps.get("rejected_spans") or 0)
        message = str(ps.get("errorMessage") or ps.get("error_message") or "")
        return rejected, message[:500]
    except (ValueError, TypeError, AttributeError):
        return 0, ""
