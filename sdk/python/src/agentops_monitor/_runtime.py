"""The configured SDK: init(), flush(), shutdown(), the atexit hook and the fork hooks."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from typing import Any, Dict, Optional

from . import _log, _spans, _trace
from ._config import Config, refuses_credentials, resolve
from ._export import STAT_NAMES, Exporter


class _State:
    """What init() made. Replaced whole by a later init(); read without a lock (one reference)."""

    __slots__ = ("config", "recorder", "exporter")

    def __init__(
        self, config: Config, recorder: Optional[_spans.Recorder], exporter: Optional[Exporter]
    ) -> None:
        self.config = config
        self.recorder = recorder
        self.exporter = exporter


_state: Optional[_State] = None
_init_lock = threading.Lock()
_atexit_registered = False


def recorder() -> Optional[_spans.Recorder]:
    s = _state
    return s.recorder if s is not None else None


def init(
    endpoint: Optional[str] = None,
    api_key: Optional[str] = None,
    service_name: Optional[str] = None,
    sample_rate: Optional[float] = None,
    **options: Any,
) -> Config:
    """Configures the SDK (see the README's table). A second call replaces the first."""
    try:
        return _init(resolve(os.environ, endpoint, api_key, service_name, sample_rate, options))
    except Exception:
        _log.logger.exception("init failed; traces are not recorded")
        return Config(enabled=False)


def _init(config: Config) -> Config:
    global _state, _atexit_registered
    with _init_lock:
        old = _state
        _log.reset()
        for problem in config.problems:
            _log.logger.warning("configuration: %s", problem)
        rec: Optional[_spans.Recorder] = None
        exporter: Optional[Exporter] = None
        if config.enabled and refuses_credentials(config):
            _log.logger.error(
                "not sending traces: %s is plain HTTP to another machine and would carry the API "
                "key in clear text; use https, or allow_insecure_http=True "
                "(AGENTOPS_ALLOW_INSECURE_HTTP=1) if the network is trusted",
                config.endpoint,
            )
        elif config.enabled:
            exporter = Exporter(config)
            rec = _spans.Recorder(
                exporter.enqueue,
                _trace.bound_for_rate(config.sample_rate),
                config.capture_content,
                config.max_attribute_length,
            )
        _state = _State(config, rec, exporter)
        if not _atexit_registered:
            atexit.register(_at_exit)
            _atexit_registered = True
    if old is not None and old.exporter is not None:
        # The old exporter sends what it holds in the background; nobody waits for it here.
        threading.Thread(
            target=old.exporter.shutdown, args=(old.config.shutdown_timeout,), daemon=True
        ).start()
    _log.logger.debug("configured: %r", config)
    return config


def flush(timeout: float = 10.0) -> bool:
    """Sends every span ended so far, waiting at most `timeout` seconds.

    True when all of them were delivered; False when the time ran out first, or the server refused
    some or they were given up on after retries (stats() counts them).
    """
    try:
        s = _state
        if s is None or s.exporter is None:
            return True
        return s.exporter.flush(float(timeout))
    except Exception:
        _log.limited(logging.WARNING, "flush", "flush failed")
        return False


def shutdown(timeout: float = 10.0) -> bool:
    """Sends what is queued within `timeout` and stops; spans ended later are not sent.

    True when everything queued was delivered. The atexit hook does the same with
    `shutdown_timeout` (default 5 s).
    """
    global _state
    try:
        seconds = float(timeout)
        with _init_lock:
            s = _state
            if s is None:
                return True
            _state = _State(s.config, None, None)
        if s.exporter is None:
            return True
        return s.exporter.shutdown(seconds)
    except Exception:
        _log.limited(logging.WARNING, "shutdown", "shutdown failed")
        return False


def stats() -> Dict[str, int]:
    """Counters of the current exporter: spans exported, dropped (and why), requests, retries."""
    s = _state
    out = s.exporter.stats() if s is not None and s.exporter is not None else {}
    result = {name: out.get(name, 0) for name in STAT_NAMES}
    result["traces_sampled_out"] = s.recorder.sampled_out if s and s.recorder else 0
    return result


def config() -> Optional[Config]:
    s = _state
    return s.config if s is not None else None


def _at_exit() -> None:
    try:
        s = _state
        if s is not None and s.exporter is not None:
            s.exporter.shutdown(s.config.shutdown_timeout)
    except Exception:
        pass


# ---- fork safety ---------------------------------------------------------------------------------
# The exporter's lock is held across fork() so the child never inherits it locked; the child then
# starts with an empty queue and no worker (one starts with its first span), its own random ids,
# and a new generation so spans its parent started are not sent twice.
_fork_locked: Optional[threading.Lock] = None


def _before_fork() -> None:
    global _fork_locked
    s = _state
    if s is not None and s.exporter is not None:
        lock = s.exporter.lock()
        lock.acquire()
        _fork_locked = lock


def _after_fork_in_parent() -> None:
    global _fork_locked
    lock, _fork_locked = _fork_locked, None
    if lock is not None:
        lock.release()


def _after_fork_in_child() -> None:
    global _fork_locked, _init_lock
    _fork_locked = None
    _init_lock = threading.Lock()
    _trace.reseed()
    _spans.fork_generation[0] += 1
    _log.reset()
    s = _state
    if s is not None and s.exporter is not None:
        s.exporter.after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(
        before=_before_fork,
        after_in_parent=_after_fork_in_parent,
        after_in_child=_after_fork_in_child,
    )
