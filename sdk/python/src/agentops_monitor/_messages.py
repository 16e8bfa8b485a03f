"""Payloads as the OpenTelemetry GenAI conventions write them.

`gen_ai.input.messages` and `gen_ai.output.messages` hold a JSON list of messages, each a role and
a list of typed parts (`text`, `tool_call`, `tool_call_response`, ...). Programs usually have their
messages in the OpenAI chat shape (`{"role": ..., "content": ..., "tool_calls": [...]}`), so those
are converted; messages that already have `parts` are kept as they are.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional


def to_json(value: Any) -> str:
    """JSON text of any value; what JSON cannot hold is written as its repr()."""
    return json.dumps(value, ensure_ascii=False, default=repr, separators=(",", ":"))


def payload_text(value: Any) -> str:
    """A tool's arguments or result: strings as they are, anything else as JSON."""
    if isinstance(value, str):
        return value
    return to_json(value)


def _maybe_json(text: Any) -> Any:
    if isinstance(text, str):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _content_parts(content: Any) -> List[Dict[str, Any]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"type": "text", "content": content}]
    if isinstance(content, (list, tuple)):
        parts: List[Dict[str, Any]] = []
        for item in content:
            if isinstance(item, str):
                parts.append({"type": "text", "content": item})
            elif isinstance(item, dict) and item.get("type") == "text" and "content" not in item:
                parts.append({"type": "text", "content": item.get("text", "")})
            elif isinstance(item, dict):
                parts.append(dict(item))
            else:
                parts.append({"type": "text", "content": payload_text(item)})
        return parts
    return [{"type": "text", "content": payload_text(content)}]


def _tool_call_part(call: Any) -> Dict[str, Any]:
    if not isinstance(call, dict):
        return {"type": "tool_call", "name": str(call)}
    inner = call.get("function")
    fn: Dict[str, Any] = inner if isinstance(inner, dict) else call
    part: Dict[str, Any] = {"type": "tool_call"}
    if call.get("id") is not None:
        part["id"] = call["id"]
    part["name"] = fn.get("name", "")
    if "arguments" in fn:
        part["arguments"] = _maybe_json(fn["arguments"])
    return part


def _message(m: Any, default_role: str) -> Dict[str, Any]:
    if not isinstance(m, dict):
        return {"role": default_role, "parts": _content_parts(m if isinstance(m, str) else [m])}
    if "parts" in m:
        return dict(m)
    role = str(m.get("role") or default_role)
    out: Dict[str, Any] = {"role": role}
    if m.get("name") is not None:
        out["name"] = m["name"]
    if role == "tool" and m.get("tool_call_id") is not None:
        parts: List[Dict[str, Any]] = [
            {
                "type": "tool_call_response",
                "id": m["tool_call_id"],
                "response": _maybe_json(m.get("content")),
            }
        ]
    else:
        parts = _content_parts(m.get("content"))
    for call in m.get("tool_calls") or ():
        parts.append(_tool_call_part(call))
    out["parts"] = parts
    if m.get("finish_reason") is not None:
        out["finish_reason"] = m["finish_reason"]
    return out


def messages_json(messages: Any, default_role: str) -> str:
    """`messages` (a list of messages, one message, or plain text) as GenAI messages JSON."""
    if isinstance(messages, (list, tuple)):
        items: List[Any] = list(messages)
    else:
        items = [messages]
    return to_json([_message(m, default_role) for m in items])


def finish_reasons(messages: Any) -> Optional[List[str]]:
    if not isinstance(messages, (list, tuple)):
        return None
    out = [
        str(m["finish_reason"]) for m in messages if isinstance(m, dict) and m.get("finish_reason")
    ]
    return out or None
