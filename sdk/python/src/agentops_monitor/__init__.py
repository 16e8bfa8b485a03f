"""agentops-monitor: traces of AI agents, sent to AgentOps Monitor or any OpenTelemetry backend.

    import agentops_monitor as aom
    aom.init()                       # AGENTOPS_ENDPOINT, AGENTOPS_API_KEY, ... or OTEL_* variables
    with aom.agent("weather_agent", session_id="s1"):
        with aom.llm("gpt-4o-mini", provider="openai") as call:
            call.set_usage(input_tokens=42, output_tokens=7)

Spans are OpenTelemetry spans with GenAI attributes, sent over OTLP/HTTP (JSON) from a background
thread. Nothing the SDK does raises into the program; problems go to the "agentops_monitor" logger.
"""

from __future__ import annotations

__version__ = "0.1.0"

from ._api import (
    agent,
    current_span,
    llm,
    propagate,
    span,
    tool,
    trace_agent,
    trace_tool,
)
from ._config import Config
from ._propagation import extract, inject
from ._runtime import flush, init, shutdown, stats
from ._spans import AgentSpan, LlmCall, Span, ToolCall
from ._trace import SpanContext

__all__ = [
    "AgentSpan",
    "Config",
    "LlmCall",
    "Span",
    "SpanContext",
    "ToolCall",
    "__version__",
    "agent",
    "current_span",
    "extract",
    "flush",
    "init",
    "inject",
    "llm",
    "propagate",
    "shutdown",
    "span",
    "stats",
    "tool",
    "trace_agent",
    "trace_tool",
]
