"""The SDK's own logging: one logger, and messages about the same problem at most once a minute.

A backend that is down for an hour must not write thousands of lines into the host program's log.
Nothing logged here ever carries a header value: API keys stay out of every message.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Dict, Tuple

logger = logging.getLogger("agentops_monitor")

_INTERVAL_S = 60.0
_lock = threading.Lock()
# key -> (time of the last message, messages suppressed since)
_last: Dict[str, Tuple[float, int]] = {}


def limited(level: int, key: str, message: str, *args: object) -> None:
    """Logs `message` unless a message with the same key was logged in the last minute."""
    try:
        now = time.monotonic()
        with _lock:
            last, suppressed = _last.get(key, (-_INTERVAL_S * 2, 0))
            if now - last < _INTERVAL_S:
                _last[key] = (last, suppressed + 1)
                return
            _last[key] = (now, 0)
        if suppressed:
            message += " (%d similar messages suppressed)"
            args = args + (suppressed,)
        logger.log(level, message, *args)
    except Exception:  # logging must never be the thing that breaks the host program
        pass


def reset() -> None:
    """Forgets the rate limits (a new configuration, a forked child)."""
    global _lock
    _lock = threading.Lock()
    _last.clear()
