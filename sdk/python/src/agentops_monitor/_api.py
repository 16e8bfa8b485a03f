"""The span factories and decorators of the public API."""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
from typing import Any, Callable, Dict, Mapping, Optional, Tuple, TypeVar, Union, cast, overload

from . import _log, _messages, _runtime
from ._propagation import parent_from
from ._spans import KIND_CLIENT, KIND_INTERNAL, AgentSpan, AttrValue, LlmCall, Span, ToolCall
from ._trace import SpanContext, current

F = TypeVar("F", bound=Callable[..., Any])
ParentArg = Union[Span, SpanContext, Mapping[str, Any], None]

_SPAN_KINDS = {"internal": 1, "server": 2, "client": 3, "producer": 4, "consumer": 5}


def _recorder() -> Any:
    rec = _runtime.recorder()
    if rec is None and _runtime.config() is None:
        _log.limited(
            logging.INFO, "no-init", "agentops_monitor.init() was not called: spans are not sent"
        )
    return rec


def _extra(span: Span, attributes: Optional[Mapping[str, Any]]) -> None:
    if attributes:
        span.set_attributes(attributes)


def agent(
    name: str,
    session_id: Optional[str] = None,
    user_id: Optional[str] = None,
    *,
    description: Optional[str] = None,
    parent: ParentArg = None,
    attributes: Optional[Mapping[str, Any]] = None,
) -> AgentSpan:
    """A span for an agent's run (`invoke_agent <name>`); session and user pass to spans inside."""
    try:
        attrs: Dict[str, AttrValue] = {
            "gen_ai.operation.name": "invoke_agent",
            "gen_ai.agent.name": str(name),
        }
        if description:
            attrs["gen_ai.agent.description"] = str(description)
        s = AgentSpan(
            _recorder(),
            "invoke_agent " + str(name),
            KIND_INTERNAL,
            parent_from(parent),
            attrs,
            None if session_id is None else str(session_id),
            None if user_id is None else str(user_id),
        )
        _extra(s, attributes)
        return s
    except Exception:
        _log.limited(logging.WARNING, "start", "could not start an agent span")
        return AgentSpan(None, "invoke_agent", KIND_INTERNAL, None)


def llm(
    model: str,
    provider: Optional[str] = None,
    *,
    operation: str = "chat",
    parent: ParentArg = None,
    attributes: Optional[Mapping[str, Any]] = None,
) -> LlmCall:
    """A span for one model call (`chat <model>`): messages, usage, response."""
    try:
        attrs: Dict[str, AttrValue] = {
            "gen_ai.operation.name": str(operation),
            "gen_ai.request.model": str(model),
        }
        if provider:
            attrs["gen_ai.provider.name"] = str(provider)
        s = LlmCall(_recorder(), f"{operation} {model}", KIND_CLIENT, parent_from(parent), attrs)
        _extra(s, attributes)
        return s
    except Exception:
        _log.limited(logging.WARNING, "start", "could not start a model-call span")
        return LlmCall(None, "chat", KIND_CLIENT, None)


def tool(
    name: str,
    arguments: Any = None,
    *,
    call_id: Optional[str] = None,
    description: Optional[str] = None,
    tool_type: str = "function",
    parent: ParentArg = None,
    attributes: Optional[Mapping[str, Any]] = None,
) -> ToolCall:
    """A span for one tool execution (`execute_tool <name>`): arguments and result."""
    try:
        attrs: Dict[str, AttrValue] = {
            "gen_ai.operation.name": "execute_tool",
            "gen_ai.tool.name": str(name),
            "gen_ai.tool.type": str(tool_type),
        }
        if call_id:
            attrs["gen_ai.tool.call.id"] = str(call_id)
        if description:
            attrs["gen_ai.tool.description"] = str(description)
        s = ToolCall(
            _recorder(), "execute_tool " + str(name), KIND_INTERNAL, parent_from(parent), attrs
        )
        if arguments is not None:
            s.set_arguments(arguments)
        _extra(s, attributes)
        return s
    except Exception:
        _log.limited(logging.WARNING, "start", "could not start a tool span")
        return ToolCall(None, "execute_tool", KIND_INTERNAL, None)


def span(
    name: str,
    *,
    kind: str = "internal",
    parent: ParentArg = None,
    attributes: Optional[Mapping[str, Any]] = None,
) -> Span:
    """A plain span for any other step (retrieval, a guardrail, a sub-step of a run)."""
    try:
        s = Span(_recorder(), str(name), _SPAN_KINDS.get(kind, 1), parent_from(parent))
        _extra(s, attributes)
        return s
    except Exception:
        _log.limited(logging.WARNING, "start", "could not start a span")
        return Span(None, str(name), 1, None)


def current_span() -> Optional[Span]:
    """The span that new spans would nest under here, if any."""
    return current.get()


def propagate(fn: F) -> F:
    """`fn` bound to the current context: spans it makes in another thread nest under this one.

    Threads (and thread pools) start with an empty context; asyncio tasks copy it by themselves.
    """
    ctx = contextvars.copy_context()

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        return ctx.copy().run(fn, *args, **kwargs)

    return cast(F, run)


# ---- decorators ----------------------------------------------------------------------------------
class _Arguments:
    """A call's arguments by parameter name, defaults filled in; the signature is read once."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self._fn = fn
        self._sig: Optional[inspect.Signature] = None
        self._skip_first = False
        self._failed = False

    def of(self, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        if self._failed:
            return None
        try:
            if self._sig is None:
                self._sig = inspect.signature(self._fn)
                params = list(self._sig.parameters)
                self._skip_first = bool(params) and params[0] in ("self", "cls")
            bound = self._sig.bind(*args, **kwargs)
            bound.apply_defaults()
        except (TypeError, ValueError):
            self._failed = self._sig is None
            return None
        out = dict(bound.arguments)
        if self._skip_first and out:
            out.pop(next(iter(out)))
        return out


def _instrument(
    fn: F,
    start: Callable[[Tuple[Any, ...], Dict[str, Any]], Any],
    finish: Callable[[Any, Any], None],
) -> F:
    """Wraps a sync or async function: each call runs inside the span `start(args, kwargs)` opens,
    and `finish(span, result)` records what it returned."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            with start(args, kwargs) as span:
                result = await fn(*args, **kwargs)
                finish(span, result)
                return result

        return cast(F, async_wrapper)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with start(args, kwargs) as span:
            result = fn(*args, **kwargs)
            finish(span, result)
            return result

    return cast(F, wrapper)


def _start_tool(
    name: str, binder: _Arguments, args: Tuple[Any, ...], kwargs: Dict[str, Any], capture: bool
) -> ToolCall:
    t = tool(name)
    try:
        if capture and t.is_recording:
            arguments = binder.of(args, kwargs)
            if arguments is not None:
                t.set_arguments(arguments)
    except Exception:
        _log.limited(logging.WARNING, "arguments", "could not record the arguments of %s", name)
    return t


def _start_agent(
    name: str,
    binder: _Arguments,
    args: Tuple[Any, ...],
    kwargs: Dict[str, Any],
    capture: bool,
    session_id: Optional[str],
    user_id: Optional[str],
) -> AgentSpan:
    a = agent(name, session_id=session_id, user_id=user_id)
    try:
        if capture and a.is_recording:
            arguments = binder.of(args, kwargs)
            if arguments:
                values = list(arguments.values())
                text = values[0] if len(values) == 1 and isinstance(values[0], str) else None
                a.set_input(text if text is not None else _messages.to_json(arguments))
    except Exception:
        _log.limited(logging.WARNING, "arguments", "could not record the input of %s", name)
    return a


def _output(value: Any) -> Any:
    try:
        return value if isinstance(value, str) else _messages.to_json(value)
    except Exception:
        return None


@overload
def trace_tool(func: F) -> F:
    ...


@overload
def trace_tool(
    func: None = None,
    *,
    name: Optional[str] = None,
    capture_arguments: bool = True,
    capture_result: bool = True,
) -> Callable[[F], F]:
    ...


def trace_tool(
    func: Optional[F] = None,
    *,
    name: Optional[str] = None,
    capture_arguments: bool = True,
    capture_result: bool = True,
) -> Union[F, Callable[[F], F]]:
    """Records each call of a (sync or async) function as a tool span with arguments and result.

    An exception is recorded on the span (error status, `exception` event) and re-raised as it is.
    """

    def decorate(fn: F) -> F:
        try:
            tool_name = str(name or getattr(fn, "__name__", "tool"))
            binder = _Arguments(fn)

            def start(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> ToolCall:
                return _start_tool(tool_name, binder, args, kwargs, capture_arguments)

            def finish(t: ToolCall, result: Any) -> None:
                if capture_result:
                    t.set_result(result)

            return _instrument(fn, start, finish)
        except Exception:
            _log.limited(logging.WARNING, "decorate", "could not instrument %r", fn)
            return fn

    return decorate(func) if func is not None else decorate


@overload
def trace_agent(func: F) -> F:
    ...


@overload
def trace_agent(
    func: None = None,
    *,
    name: Optional[str] = None,
    session_id: Optional[str] = None,
    user_id: Optional[str] = None,
    capture_input: bool = True,
    capture_output: bool = True,
) -> Callable[[F], F]:
    ...


def trace_agent(
    func: Optional[F] = None,
    *,
    name: Optional[str] = None,
    session_id: Optional[str] = None,
    user_id: Optional[str] = None,
    capture_input: bool = True,
    capture_output: bool = True,
) -> Union[F, Callable[[F], F]]:
    """Records each call of a (sync or async) function as an agent span.

    A single string argument is recorded as the user's message, other arguments as JSON; the
    return value as the agent's answer. An exception is recorded and re-raised as it is.
    """

    def decorate(fn: F) -> F:
        try:
            agent_name = str(name or getattr(fn, "__name__", "agent"))
            binder = _Arguments(fn)

            def start(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> AgentSpan:
                return _start_agent(
                    agent_name, binder, args, kwargs, capture_input, session_id, user_id
                )

            def finish(a: AgentSpan, result: Any) -> None:
                if capture_output and result is not None:
                    a.set_output(_output(result))

            return _instrument(fn, start, finish)
        except Exception:
            _log.limited(logging.WARNING, "decorate", "could not instrument %r", fn)
            return fn

    return decorate(func) if func is not None else decorate
