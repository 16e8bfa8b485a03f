"""Configuration: arguments to init(), else AGENTOPS_* variables, else the OpenTelemetry ones.

Nothing here raises: a value that cannot be used is reported (the caller logs it) and the default
is used instead, so a typo in an environment variable never stops the host program.
"""

from __future__ import annotations

import ipaddress
import math
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple, TypeVar

DEFAULT_ENDPOINT = "http://127.0.0.1:4318"
TRACES_PATH = "/v1/traces"
# Headers that carry credentials: never logged, never sent over plain HTTP to another machine.
CREDENTIAL_HEADERS = frozenset({"authorization", "x-api-key", "proxy-authorization"})

T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    """Everything the SDK was configured with, resolved. `repr()` hides header values."""

    endpoint: str = DEFAULT_ENDPOINT + TRACES_PATH
    headers: Tuple[Tuple[str, str], ...] = ()
    service_name: str = "unknown_service"
    resource_attributes: Tuple[Tuple[str, str], ...] = ()
    sample_rate: float = 1.0
    enabled: bool = True
    max_queue_size: int = 2048
    max_queue_bytes: int = 64 * 1024 * 1024
    max_batch_size: int = 512
    max_request_bytes: int = 4 * 1024 * 1024
    schedule_delay: float = 2.0
    timeout: float = 10.0
    retry_budget: float = 60.0
    initial_backoff: float = 1.0
    max_backoff: float = 30.0
    compression: str = "gzip"
    allow_insecure_http: bool = False
    capture_content: bool = True
    max_attribute_length: int = 1024 * 1024
    shutdown_timeout: float = 5.0
    ca_file: Optional[str] = None
    problems: Tuple[str, ...] = field(default=(), compare=False)

    def __repr__(self) -> str:
        shown = []
        for name in self.__dataclass_fields__:
            value: Any = getattr(self, name)
            if name == "headers":
                value = tuple((k, "<redacted>") for k, _ in value)
            shown.append(f"{name}={value!r}")
        return "Config(" + ", ".join(shown) + ")"

    def has_credentials(self) -> bool:
        return any(k.lower() in CREDENTIAL_HEADERS for k, _ in self.headers)


@dataclass(frozen=True)
class _Option:
    """An option of init(): its AGENTOPS_ and OpenTelemetry variables, and how to read them."""

    env: Tuple[str, ...]
    parse: Callable[[str], Any]
    otel: Tuple[str, ...] = ()
    otel_parse: Optional[Callable[[str], Any]] = None


def _parse_bool(text: str) -> bool:
    t = text.strip().lower()
    if t in ("1", "true", "yes", "on"):
        return True
    if t in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _parse_positive_int(text: str) -> int:
    v = int(text.strip())
    if v <= 0:
        raise ValueError(f"must be positive: {text!r}")
    return v


def _parse_seconds(text: str) -> float:
    v = float(text.strip())
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"must be a non-negative number of seconds: {text!r}")
    return v


def _parse_millis(text: str) -> float:
    return _parse_seconds(text) / 1000.0


def _parse_rate(text: str) -> float:
    v = float(text.strip())
    if not 0.0 <= v <= 1.0:  # also refuses NaN
        raise ValueError(f"must be between 0 and 1: {text!r}")
    return v


def _parse_compression(text: str) -> str:
    t = text.strip().lower()
    if t not in ("gzip", "none"):
        raise ValueError(f"must be gzip or none: {text!r}")
    return t


def _parse_str(text: str) -> str:
    return text.strip()


_OPTIONS: Dict[str, _Option] = {
    "max_queue_size": _Option(
        ("AGENTOPS_MAX_QUEUE_SIZE",), _parse_positive_int, ("OTEL_BSP_MAX_QUEUE_SIZE",)
    ),
    "max_queue_bytes": _Option(("AGENTOPS_MAX_QUEUE_BYTES",), _parse_positive_int),
    "max_batch_size": _Option(
        ("AGENTOPS_MAX_BATCH_SIZE",), _parse_positive_int, ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE",)
    ),
    "max_request_bytes": _Option(("AGENTOPS_MAX_REQUEST_BYTES",), _parse_positive_int),
    "schedule_delay": _Option(
        ("AGENTOPS_SCHEDULE_DELAY",), _parse_seconds, ("OTEL_BSP_SCHEDULE_DELAY",), _parse_millis
    ),
    "timeout": _Option(
        ("AGENTOPS_TIMEOUT",),
        _parse_seconds,
        ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"),
        _parse_millis,
    ),
    "retry_budget": _Option(("AGENTOPS_RETRY_BUDGET",), _parse_seconds),
    "initial_backoff": _Option(("AGENTOPS_INITIAL_BACKOFF",), _parse_seconds),
    "max_backoff": _Option(("AGENTOPS_MAX_BACKOFF",), _parse_seconds),
    "compression": _Option(
        ("AGENTOPS_COMPRESSION",),
        _parse_compression,
        ("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "OTEL_EXPORTER_OTLP_COMPRESSION"),
    ),
    "allow_insecure_http": _Option(("AGENTOPS_ALLOW_INSECURE_HTTP",), _parse_bool),
    "capture_content": _Option(("AGENTOPS_CAPTURE_CONTENT",), _parse_bool),
    "max_attribute_length": _Option(
        ("AGENTOPS_MAX_ATTRIBUTE_LENGTH",),
        _parse_positive_int,
        ("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"),
    ),
    "shutdown_timeout": _Option(("AGENTOPS_SHUTDOWN_TIMEOUT",), _parse_seconds),
    "ca_file": _Option(
        ("AGENTOPS_CA_FILE",),
        _parse_str,
        ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", "OTEL_EXPORTER_OTLP_CERTIFICATE"),
    ),
    "enabled": _Option(
        ("AGENTOPS_ENABLED",), _parse_bool, ("OTEL_SDK_DISABLED",), lambda t: not _parse_bool(t)
    ),
}
# Options of init() that are not read from the environment on their own.
_PLAIN_OPTIONS = frozenset({"headers", "resource_attributes"})


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses, without resolving any name."""
    h = host.strip("[]").lower()
    if h == "localhost" or h.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(h.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped.is_loopback
    return addr.is_loopback


def parse_key_values(text: str) -> List[Tuple[str, str]]:
    """OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES: `k=v,k2=v2`, percent-encoded."""
    out = []
    for item in text.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            # Not quoted back: the text may hold a key.
            raise ValueError("not a list of key=value pairs")
        out.append((urllib.parse.unquote(key.strip()), urllib.parse.unquote(value.strip())))
    return out


def traces_url(base: str, append_path: bool) -> str:
    """A URL to POST spans to; `append_path` adds /v1/traces to a base URL that lacks it."""
    url = base.strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url if '@' not in url else '(not shown)'!r}")
    parts.port  # raises ValueError for a bad port
    if parts.username is not None or parts.password is not None:
        # Credentials in the URL would be logged with it, and http.client would not send them.
        raise ValueError("a user or password in the URL is not used: give the key as api_key")
    if append_path and not parts.path.rstrip("/").endswith(TRACES_PATH):
        url = urllib.parse.urlunsplit(
            (parts.scheme, parts.netloc, parts.path.rstrip("/") + TRACES_PATH, parts.query, "")
        )
    return url


class _Resolver:
    """Collects values and the problems met while reading them."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: List[str] = []

    def env(self, name: str) -> Optional[str]:
        v = self.environ.get(name)
        return v if v is not None and v.strip() != "" else None

    def read(self, name: str, parse: Callable[[str], T]) -> Optional[T]:
        text = self.env(name)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as e:
            self.problems.append(f"{name} ignored: {e}")
            return None

    def option(self, name: str, given: Any, default: T) -> T:
        spec = _OPTIONS[name]
        if given is not None:
            try:
                return spec.parse(str(given))  # type: ignore[no-any-return]
            except (ValueError, TypeError) as e:
                self.problems.append(f"option {name} ignored: {e}")
        for var in spec.env:
            v = self.read(var, spec.parse)
            if v is not None:
                return v  # type: ignore[no-any-return]
        for var in spec.otel:
            v = self.read(var, spec.otel_parse or spec.parse)
            if v is not None:
                return v  # type: ignore[no-any-return]
        return default


def _endpoint(r: _Resolver, given: Optional[str]) -> str:
    candidates: List[Tuple[str, Optional[str], bool]] = [
        ("endpoint", given, True),
        ("AGENTOPS_ENDPOINT", r.env("AGENTOPS_ENDPOINT"), True),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", r.env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), False),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", r.env("OTEL_EXPORTER_OTLP_ENDPOINT"), True),
    ]
    for source, value, append in candidates:
        if value is None:
            continue
        try:
            return traces_url(value, append)
        except ValueError as e:
            r.problems.append(f"{source} ignored: {e}")
    return DEFAULT_ENDPOINT + TRACES_PATH


def _headers(r: _Resolver, api_key: Optional[str], given: Any) -> Tuple[Tuple[str, str], ...]:
    headers: Dict[str, Tuple[str, str]] = {}  # lower-case name -> (name, value)
    for var in ("OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"):
        pairs = r.read(var, parse_key_values)
        for k, v in pairs or []:
            headers[k.lower()] = (k, v)
    if given is not None:
        try:
            for k, v in dict(given).items():
                headers[str(k).lower()] = (str(k), str(v))
        except (TypeError, ValueError) as e:
            r.problems.append(f"option headers ignored: {e}")
    key = api_key if api_key is not None else r.env("AGENTOPS_API_KEY")
    if key is not None and str(key).strip():
        headers.pop("x-api-key", None)
        headers["authorization"] = ("Authorization", "Bearer " + str(key).strip())
    for lname, (name, value) in list(headers.items()):
        if any(c in name + value for c in "\r\n\0") or not name.strip():
            r.problems.append(f"header {name[:40]!r} ignored: control characters")
            del headers[lname]
    return tuple(headers.values())


def _sample_rate(r: _Resolver, given: Any) -> float:
    if given is not None:
        try:
            return _parse_rate(str(given))
        except ValueError as e:
            r.problems.append(f"sample_rate ignored: {e}")
    v = r.read("AGENTOPS_SAMPLE_RATE", _parse_rate)
    if v is not None:
        return v
    sampler = (r.env("OTEL_TRACES_SAMPLER") or "").strip().lower()
    if sampler in ("always_on", "parentbased_always_on"):
        return 1.0
    if sampler in ("always_off", "parentbased_always_off"):
        return 0.0
    if sampler in ("", "traceidratio", "parentbased_traceidratio"):
        v = r.read("OTEL_TRACES_SAMPLER_ARG", _parse_rate)
        if v is not None:
            return v
    else:
        r.problems.append(f"OTEL_TRACES_SAMPLER={sampler!r} is not supported; sampling everything")
    return 1.0


def _resource(
    r: _Resolver, service_name: Optional[str], given: Any
) -> Tuple[str, Tuple[Tuple[str, str], ...]]:
    attrs: Dict[str, str] = dict(r.read("OTEL_RESOURCE_ATTRIBUTES", parse_key_values) or [])
    if given is not None:
        try:
            attrs.update({str(k): str(v) for k, v in dict(given).items()})
        except (TypeError, ValueError) as e:
            r.problems.append(f"option resource_attributes ignored: {e}")
    name = (
        service_name
        or r.env("AGENTOPS_SERVICE_NAME")
        or r.env("OTEL_SERVICE_NAME")
        or attrs.get("service.name")
        or "unknown_service"
    )
    attrs.pop("service.name", None)
    return str(name).strip(), tuple(attrs.items())


def resolve(
    environ: Mapping[str, str],
    endpoint: Optional[str] = None,
    api_key: Optional[str] = None,
    service_name: Optional[str] = None,
    sample_rate: Optional[float] = None,
    options: Optional[Mapping[str, Any]] = None,
) -> Config:
    """The configuration from the arguments of init() and the environment. Never raises."""
    r = _Resolver(environ)
    opts = dict(options or {})
    for name in opts:
        if name not in _OPTIONS and name not in _PLAIN_OPTIONS:
            r.problems.append(f"unknown option {name!r} ignored")
    d = Config()
    values: Dict[str, Any] = {
        name: r.option(name, opts.get(name), getattr(d, name)) for name in _OPTIONS
    }
    if values["ca_file"] == "":
        values["ca_file"] = None
    values["max_batch_size"] = min(values["max_batch_size"], values["max_queue_size"])
    name, resource = _resource(r, service_name, opts.get("resource_attributes"))
    return Config(
        endpoint=_endpoint(r, endpoint),
        headers=_headers(r, api_key, opts.get("headers")),
        service_name=name,
        resource_attributes=resource,
        sample_rate=_sample_rate(r, sample_rate),
        problems=tuple(r.problems),
        **values,
    )


def refuses_credentials(config: Config) -> bool:
    """True when the configuration would send a key in clear text to another machine."""
    if not config.has_credentials() or config.allow_insecure_http:
        return False
    parts = urllib.parse.urlsplit(config.endpoint)
    return parts.scheme == "http" and not is_loopback(parts.hostname or "")
