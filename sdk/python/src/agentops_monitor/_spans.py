"""Spans: what `agent()`, `llm()`, `tool()` and `span()` return.

A span is started when it is created and ended by `end()` or by leaving its `with` block, which
also makes it the current span (the parent of spans created inside) for that block. Ending only
hands the span to the exporter's queue. Every public method catches its own failures: whatever goes
wrong inside the SDK is logged, never raised into the program.

A span of a trace the sampler dropped (or made without init()) is not recording: its setters do
nothing, but it still carries the trace's identity so children and `inject()` agree with it.
"""

from __future__ import annotations

import logging
import time
import traceback
from types import TracebackType
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type, TypeVar, Union

from . import _log, _messages
from ._trace import (
    Parent,
    SpanContext,
    current,
    new_span_id,
    new_trace_id,
    sampled_by_ratio,
)

# What an attribute can hold once cleaned: OTLP's primitive values and homogeneous arrays of them.
AttrValue = Union[str, bool, int, float, Tuple[Any, ...]]

_S = TypeVar("_S", bound="Span")

KIND_INTERNAL = 1
KIND_CLIENT = 3
MAX_ATTRIBUTES = 128
MAX_EVENTS = 128
_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1

_perf_ns = time.perf_counter_ns
_time_ns = time.time_ns


class Recorder:
    """What recording spans need from the configured SDK (built by init())."""

    __slots__ = ("enqueue", "bound", "capture_content", "max_length", "sampled_out", "generation")

    def __init__(
        self, enqueue: Any, sample_rate_bound: int, capture_content: bool, max_length: int
    ) -> None:
        self.enqueue = enqueue
        self.bound = sample_rate_bound
        self.capture_content = capture_content
        self.max_length = max_length
        self.sampled_out = 0
        self.generation = 0


# Process generation: a forked child increments it, so spans its parent started are not exported
# twice (once by each process) when they end in both.
fork_generation = [0]


def _cut(text: str, limit: int) -> str:
    return text[:limit] + f"… [truncated: {len(text) - limit} characters]"


def clean_value(value: Any, limit: int) -> Optional[AttrValue]:
    """An attribute value as OTLP can carry it; None when the value is None."""
    t = type(value)
    if t is str:
        return value if len(value) <= limit else _cut(value, limit)
    if t is bool or t is float:
        return value  # type: ignore[no-any-return]
    if t is int:
        return value if _INT64_MIN <= value <= _INT64_MAX else str(value)
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        kinds = {type(v) for v in value}
        if len(kinds) == 1 and kinds <= {str, bool, float}:
            return tuple(v if type(v) is not str else clean_value(v, limit) for v in value)
        if kinds == {int} and all(_INT64_MIN <= v <= _INT64_MAX for v in value):
            return tuple(value)
        if not value:
            return ()
    elif isinstance(value, bool):
        return bool(value)
    elif isinstance(value, int):
        return clean_value(int(value), limit)
    elif isinstance(value, float):
        return float(value)
    elif isinstance(value, str):
        return clean_value(str(value), limit)
    text = _messages.to_json(value)
    return text if len(text) <= limit else _cut(text, limit)


def exception_type_name(exc: BaseException) -> str:
    t = type(exc)
    module = t.__module__
    return t.__qualname__ if module in ("builtins", "__main__") else f"{module}.{t.__qualname__}"


class Span:
    """A unit of work in a trace. Use it as a context manager, or call end()."""

    __slots__ = (
        "_rec",
        "_tid",
        "_sid",
        "_psid",
        "_sampled",
        "_remote_parent",
        "_trace_state",
        "_name",
        "_kind",
        "_attrs",
        "_events",
        "_status",
        "_status_message",
        "_clock",
        "_start_ns",
        "_start_perf",
        "_end_ns",
        "_ended",
        "_token",
        "_session",
        "_user",
        "_generation",
        "_dropped_attributes",
    )

    _rec: Optional[Recorder]
    _clock: int  # wall-clock time minus the monotonic clock, per trace (see __init__)
    _tid: int
    _sid: int
    _psid: int
    _sampled: bool
    _remote_parent: bool
    _trace_state: str
    _session: Optional[str]
    _user: Optional[str]

    def __init__(
        self,
        recorder: Optional[Recorder],
        name: str,
        kind: int,
        parent: Optional[Parent],
        attributes: Optional[Dict[str, AttrValue]] = None,
        session_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> None:
        if parent is None:
            parent = current.get()
        if parent is None:
            self._tid = new_trace_id()
            self._psid = 0
            self._trace_state = ""
            self._remote_parent = False
            if recorder is not None and sampled_by_ratio(self._tid, recorder.bound):
                self._sampled = True
            else:
                self._sampled = False
                if recorder is not None:
                    recorder.sampled_out += 1
            inherited_session = inherited_user = None
        elif isinstance(parent, Span):
            self._tid = parent._tid
            self._psid = parent._sid
            self._sampled = parent._sampled
            self._trace_state = parent._trace_state
            self._remote_parent = False
            inherited_session = parent._session
            inherited_user = parent._user
        else:
            self._tid = parent.trace_id
            self._psid = parent.span_id
            self._sampled = parent.sampled
            self._trace_state = parent.trace_state
            self._remote_parent = True
            inherited_session = inherited_user = None
        self._sid = new_span_id()
        self._rec = recorder if self._sampled else None
        self._name = name
        self._kind = kind
        self._attrs: Dict[str, AttrValue] = attributes if attributes is not None else {}
        self._events: Optional[List[Tuple[str, int, Dict[str, AttrValue]]]] = None
        self._status = 0
        self._status_message = ""
        self._ended = False
        self._end_ns = 0
        self._token: Any = None
        self._dropped_attributes = 0
        self._generation = fork_generation[0]
        self._session = session_id if session_id is not None else inherited_session
        self._user = user_id if user_id is not None else inherited_user
        if self._rec is not None:
            if self._session is not None:
                self._attrs["session.id"] = self._session
                self._attrs["gen_ai.conversation.id"] = self._session
            if self._user is not None:
                self._attrs["user.id"] = self._user
        # Times are the monotonic clock shifted to wall-clock time by one offset per trace in this
        # process, taken when its first span here starts: a span's children then always lie
        # inside it, even when the wall clock is stepped or the thread is preempted between the
        # two clock reads.
        now = _perf_ns()
        self._clock = parent._clock if isinstance(parent, Span) else _time_ns() - now
        self._start_perf = now
        self._start_ns = self._clock + now

    # ---- identity -------------------------------------------------------------------------
    @property
    def trace_id(self) -> str:
        """The trace id as 32 lower-case hex digits (what the app and the query API show)."""
        return "%032x" % self._tid

    @property
    def span_id(self) -> str:
        return "%016x" % self._sid

    @property
    def is_recording(self) -> bool:
        """False for spans of traces the sampler dropped, or made before init()."""
        return self._rec is not None

    @property
    def context(self) -> SpanContext:
        return SpanContext(self._tid, self._sid, self._sampled, self._trace_state)

    # ---- data ------------------------------------------------------------------------------
    def set_attribute(self, key: str, value: Any) -> None:
        """Sets one attribute; values that are not strings, numbers or lists of them become JSON."""
        if self._rec is None or self._ended:
            return
        try:
            self._set(str(key), value)
        except Exception:
            _log.limited(logging.WARNING, "attribute", "could not record attribute %r", key)

    def set_attributes(self, attributes: Mapping[str, Any]) -> None:
        if self._rec is None or self._ended:
            return
        try:
            for k, v in attributes.items():
                self._set(str(k), v)
        except Exception:
            _log.limited(logging.WARNING, "attribute", "could not record attributes")

    def _set(self, key: str, value: Any) -> None:
        assert self._rec is not None
        v = clean_value(value, self._rec.max_length)
        if v is None:
            return
        if len(self._attrs) >= MAX_ATTRIBUTES and key not in self._attrs:
            self._dropped_attributes += 1
            return
        self._attrs[key] = v

    def set_session(self, session_id: Optional[str] = None, user_id: Optional[str] = None) -> None:
        """Session and user of this span and of the spans started inside it from now on."""
        try:
            if session_id is not None:
                self._session = str(session_id)
                if self._rec is not None and not self._ended:
                    self._attrs["session.id"] = self._session
                    self._attrs["gen_ai.conversation.id"] = self._session
            if user_id is not None:
                self._user = str(user_id)
                if self._rec is not None and not self._ended:
                    self._attrs["user.id"] = self._user
        except Exception:
            _log.limited(logging.WARNING, "attribute", "could not record the session")

    def add_event(self, name: str, attributes: Optional[Mapping[str, Any]] = None) -> None:
        if self._rec is None or self._ended:
            return
        try:
            self._add_event(str(name), attributes)
        except Exception:
            _log.limited(logging.WARNING, "event", "could not record event %r", name)

    def _add_event(self, name: str, attributes: Optional[Mapping[str, Any]]) -> None:
        assert self._rec is not None
        if self._events is None:
            self._events = []
        if len(self._events) >= MAX_EVENTS:
            return
        attrs: Dict[str, AttrValue] = {}
        for k, v in (attributes or {}).items():
            c = clean_value(v, self._rec.max_length)
            if c is not None:
                attrs[str(k)] = c
        self._events.append((name, self._clock + _perf_ns(), attrs))

    def record_exception(self, exc: BaseException) -> None:
        """Marks the span failed with `exc`: an `exception` event, `error.type`, an error status."""
        if self._rec is None or self._ended:
            return
        try:
            type_name = exception_type_name(exc)
            trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
            self._add_event(
                "exception",
                {
                    "exception.type": type_name,
                    "exception.message": str(exc),
                    "exception.stacktrace": trace,
                },
            )
            self._attrs["error.type"] = type_name
            message = str(exc)
            self._status = 2
            self._status_message = f"{type(exc).__name__}: {message}" if message else type_name
        except Exception:
            _log.limited(logging.WARNING, "exception", "could not record an exception")

    def set_error(self, error: Union[str, BaseException]) -> None:
        """Marks the span failed, with a message or an exception."""
        if self._rec is None or self._ended:
            return
        if isinstance(error, BaseException):
            self.record_exception(error)
            return
        try:
            self._status = 2
            self._status_message = str(error)
            self._attrs.setdefault("error.type", "error")
        except Exception:
            _log.limited(logging.WARNING, "exception", "could not record an error")

    # ---- lifetime --------------------------------------------------------------------------
    def end(self) -> None:
        """Ends the span and queues it for sending; later calls do nothing."""
        if self._ended:
            return
        self._ended = True
        try:
            self._end_ns = self._start_ns + (_perf_ns() - self._start_perf)
            if self._rec is not None and self._generation == fork_generation[0]:
                self._rec.enqueue(self)
        except Exception:
            _log.limited(logging.WARNING, "end", "could not queue a span")

    def __enter__(self: _S) -> _S:
        try:
            self._token = current.set(self)
        except Exception:
            _log.limited(logging.WARNING, "context", "could not make a span current")
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        try:
            if exc is not None and not isinstance(exc, GeneratorExit):
                self.record_exception(exc)
            self.end()
            self._restore_context()
        except Exception:
            _log.limited(logging.WARNING, "context", "could not end a span")
        # Returns None: the program's exception, if any, goes on as it was.

    def _restore_context(self) -> None:
        token, self._token = self._token, None
        if token is None:
            return
        try:
            current.reset(token)
        except ValueError:
            # Left in another context than the one it was entered in (a generator resumed by
            # another task): make the parent current here rather than fail.
            if current.get() is self:
                current.set(token.old_value if token.old_value is not token.MISSING else None)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self._name!r} trace_id={self.trace_id} "
            f"span_id={self.span_id} recording={self.is_recording}>"
        )


class AgentSpan(Span):
    """An agent's run: `invoke_agent <name>`, with its session and user."""

    __slots__ = ()

    def set_input(self, messages: Any) -> None:
        """What the agent was asked: messages, or plain text (a user message)."""
        self._set_messages("gen_ai.input.messages", messages, "user")

    def set_output(self, messages: Any) -> None:
        """What the agent answered: messages, or plain text (an assistant message)."""
        self._set_messages("gen_ai.output.messages", messages, "assistant")

    def _set_messages(self, key: str, messages: Any, role: str) -> None:
        rec = self._rec
        if rec is None or self._ended or not rec.capture_content or messages is None:
            return
        try:
            text = _messages.messages_json(messages, role)
            self._attrs[key] = text if len(text) <= rec.max_length else _cut(text, rec.max_length)
        except Exception:
            _log.limited(logging.WARNING, "payload", "could not record %s", key)


class LlmCall(AgentSpan):
    """A model call: `chat <model>`, its messages and token usage."""

    __slots__ = ()

    def set_usage(
        self,
        input_tokens: Optional[int] = None,
        output_tokens: Optional[int] = None,
        cache_read_tokens: Optional[int] = None,
        cache_write_tokens: Optional[int] = None,
        reasoning_tokens: Optional[int] = None,
    ) -> None:
        """Token counts as the provider reported them.

        `input_tokens` includes cached input tokens (cache reads and writes), `output_tokens`
        includes reasoning tokens, as OpenAI, Gemini and the GenAI conventions count them.
        """
        if self._rec is None or self._ended:
            return
        for key, value in (
            ("gen_ai.usage.input_tokens", input_tokens),
            ("gen_ai.usage.output_tokens", output_tokens),
            ("gen_ai.usage.cache_read.input_tokens", cache_read_tokens),
            ("gen_ai.usage.cache_creation.input_tokens", cache_write_tokens),
            ("gen_ai.usage.reasoning.output_tokens", reasoning_tokens),
        ):
            if value is None:
                continue
            try:
                n = int(value)
                if n < 0 or isinstance(value, bool):
                    raise ValueError(value)
                self._attrs[key] = n
            except (TypeError, ValueError, OverflowError):
                _log.limited(logging.WARNING, "usage", "ignored %s: not a token count", key)

    def set_response(
        self,
        model: Optional[str] = None,
        response_id: Optional[str] = None,
        finish_reasons: Optional[Sequence[str]] = None,
    ) -> None:
        """The model that answered (a dated version, say), the response's id, why it stopped."""
        if self._rec is None or self._ended:
            return
        try:
            if model:
                self._attrs["gen_ai.response.model"] = str(model)
            if response_id:
                self._attrs["gen_ai.response.id"] = str(response_id)
            if finish_reasons:
                self._attrs["gen_ai.response.finish_reasons"] = tuple(
                    str(r) for r in finish_reasons
                )
        except Exception:
            _log.limited(logging.WARNING, "attribute", "could not record the response")

    def set_output(self, messages: Any) -> None:
        """The model's answer: messages, or plain text (an assistant message)."""
        super().set_output(messages)
        if self._rec is not None and "gen_ai.response.finish_reasons" not in self._attrs:
            try:
                reasons = _messages.finish_reasons(messages)
                if reasons:
                    self._attrs["gen_ai.response.finish_reasons"] = tuple(reasons)
            except Exception:
                pass


class ToolCall(Span):
    """A tool's execution: `execute_tool <name>`, its arguments and result."""

    __slots__ = ()

    def set_arguments(self, arguments: Any) -> None:
        self._set_payload("gen_ai.tool.call.arguments", arguments)

    def set_result(self, result: Any) -> None:
        """The tool's result: strings as they are, anything else as JSON."""
        self._set_payload("gen_ai.tool.call.result", result)

    def _set_payload(self, key: str, value: Any) -> None:
        rec = self._rec
        if rec is None or self._ended or not rec.capture_content:
            return
        try:
            text = _messages.payload_text(value)
            self._attrs[key] = text if len(text) <= rec.max_length else _cut(text, rec.max_length)
        except Exception:
            _log.limited(logging.WARNING, "payload", "could not record %s", key)
