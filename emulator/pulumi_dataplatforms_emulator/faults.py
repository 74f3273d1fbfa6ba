"""Request counting, a request log, request ids and fault injection, as outermost ASGI middleware.

Per request (not for ``/_admin``, ``/healthz`` or the OpenAPI docs) the middleware

1. counts it under ``"METHOD /route/{template}"`` and ``"METHOD /actual/path"`` and tags the
   response with ``X-Request-Id`` (the request's own, else a fresh one);
2. finds the fault rules matching its path (prefix, or regex when the rule's path starts with
   ``^`` or ``regex`` is true), method and, for rules with ``body_regex``, request body (read
   in full and handed on unchanged), and sleeps for their summed ``latency_ms``;
3. draws once per matching rule from the rule's RNG (seedable) and compares the draw with the
   rule's cumulative rates, in this order:

   - ``drop_rate``: the request is *not* handled and the connection is dropped;
   - ``error_rate``: the request is *not* handled; an error status from ``error_statuses`` is
     returned in the service's own error envelope, with ``Retry-After``;
   - ``lost_rate`` (processed-then-lost): the service handles the request and commits its
     effects, its whole response is produced and thrown away, then, per ``lost_as``, the
     connection is dropped (``"drop"``) or an error from ``error_statuses`` is returned as above
     (``"error"``). Use 5xx statuses here: a real platform answers 429 only for work it did not do;
   - ``slow_rate``: the service handles the request at once and its answer is held back for
     ``slow_ms`` (meant to exceed the client's timeout, so the effects exist but the client
     gives up).

   The four rates of a rule sum to at most 1. The first rule that fires wins; ``max_faults``
   caps a rule's firings (of any kind);
4. appends an entry to the request log (bounded, oldest entries evicted): sequence number,
   wall-clock and monotonic start, method, path, route template, the status actually sent (or
   ``"dropped"``, or ``"client_closed"`` when the client left first), the fault applied (or
   null), whether the service handled the request, the status the service produced, the ids
   of the rules that matched, the request id and the duration. ``GET /_admin/requests/log`` serves it.

Dropping: raising before the response starts only makes uvicorn answer 500, so the middleware
reaches the connection's transport through uvicorn's ``send`` (a bound method of its
request-response cycle, which holds ``transport``) and calls ``transport.abort()``: the socket
closes with no response bytes and httpx raises ``RemoteProtocolError`` ("Server disconnected
without sending a response"). This needs the middleware outermost (see ``app.EmulatorApp``) and
uvicorn's h11 or httptools protocol; without a transport it raises :class:`DroppedConnection`.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
UNCOUNTED_PREFIXES = ("/_admin", "/healthz", "/openapi.json", "/docs", "/redoc")
REQUEST_LOG_CAPACITY = 10_000


def is_uncounted(path: str) -> bool:
    """Admin, health and docs paths are never counted nor faulted."""
    return any(path == p or path.startswith(p + "/") for p in UNCOUNTED_PREFIXES)


Action = Literal["drop", "error", "lost", "slow"]
LostAs = Literal["drop", "error"]


def _compiled(name: str, pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled, or a ValueError naming the field (so the API answers 422)."""
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{name} is not a valid regex: {exc}") from None


class FaultRuleIn(BaseModel):
    """Body of ``POST /_admin/faults``."""

    path: str = Field("/", description="Path prefix, or a regex (searched) if it starts with '^'")
    regex: bool | None = Field(None, description="Force regex (true) or prefix (false) matching")
    method: str | None = Field(None, description="Only this HTTP method (any if null)")
    body_regex: str | None = Field(None, description="Only requests whose body (as UTF-8) this regex searches")
    latency_ms: float = Field(0, ge=0)
    error_rate: float = Field(0, ge=0, le=1)
    error_statuses: list[int] = Field(default_factory=lambda: [429, 503], min_length=1)
    drop_rate: float = Field(0, ge=0, le=1)
    lost_rate: float = Field(0, ge=0, le=1, description="Handle the request, then lose its answer")
    lost_as: LostAs = Field("drop", description="A lost answer becomes a dropped connection or an error status")
    slow_rate: float = Field(0, ge=0, le=1, description="Handle the request, then answer after slow_ms")
    slow_ms: float = Field(0, ge=0)
    retry_after: str | None = Field("0", description="Retry-After value on injected errors; null omits it")
    seed: int | None = None
    max_faults: int | None = Field(None, ge=0, description="Stop injecting faults after this many")

    @model_validator(mode="after")
    def _check(self) -> FaultRuleIn:
        total = self.drop_rate + self.error_rate + self.lost_rate + self.slow_rate
        if total > 1:
            raise ValueError(f"drop_rate + error_rate + lost_rate + slow_rate must be <= 1 (got {total:g})")
        if self.slow_rate > 0 and self.slow_ms <= 0:
            raise ValueError("slow_rate needs slow_ms > 0")
        if any(not 400 <= s <= 599 for s in self.error_statuses):
            raise ValueError("error_statuses must be 4xx/5xx")
        if self.use_regex:
            _compiled("path", self.path)
        if self.body_regex is not None:
            _compiled("body_regex", self.body_regex)
        return self

    @property
    def use_regex(self) -> bool:
        """Whether ``path`` is a regex."""
        return self.path.startswith("^") if self.regex is None else self.regex

    def action_for(self, draw: float) -> Action | None:
        """The fault a draw in [0, 1) selects, given the cumulative rates."""
        rates: tuple[tuple[Action, float], ...] = (
            ("drop", self.drop_rate),
            ("error", self.error_rate),
            ("lost", self.lost_rate),
            ("slow", self.slow_rate),
        )
        threshold = 0.0
        for action, rate in rates:
            threshold += rate
            if draw < threshold:
                return action
        return None


@dataclass
class FaultRule:
    """A live rule with its RNG and counters."""

    id: int
    spec: FaultRuleIn
    rng: random.Random
    pattern: re.Pattern[str] | None = None
    body_pattern: re.Pattern[str] | None = None
    matched: int = 0
    fired: int = 0

    def matches_route(self, method: str, path: str) -> bool:
        """Whether the rule applies to this method and path (its body condition aside)."""
        if self.spec.method is not None and self.spec.method.upper() != method.upper():
            return False
        if self.pattern is not None:
            return self.pattern.search(path) is not None
        return path.startswith(self.spec.path)

    def matches(self, method: str, path: str, body: bytes) -> bool:
        """Whether the rule applies to this request."""
        if not self.matches_route(method, path):
            return False
        return self.body_pattern is None or self.body_pattern.search(body.decode("utf-8", "replace")) is not None

    def draw(self) -> Action | None:
        """One RNG draw: a fault or nothing."""
        self.matched += 1
        r = self.rng.random()
        if self.spec.max_faults is not None and self.fired >= self.spec.max_faults:
            return None
        action = self.spec.action_for(r)
        if action is not None:
            self.fired += 1
        return action

    def as_dict(self) -> dict[str, Any]:
        """JSON view for the admin API."""
        return {"id": self.id, **self.spec.model_dump(), "matched": self.matched, "fired": self.fired}


@dataclass
class Plan:
    """What to do with one request."""

    latency_s: float = 0.0
    action: Action | None = None
    status: int = 503
    retry_after: str | None = None
    lost_as: LostAs = "drop"
    slow_s: float = 0.0
    rule_ids: list[int] = field(default_factory=list)


@dataclass
class Exchange:
    """One request-log entry.

    ``status`` is what went on the wire, ``"dropped"`` for an injected drop, or
    ``"client_closed"`` when the client left before the answer; ``service_status`` is what the
    service produced (null when it did not handle the request).
    """

    seq: int
    started_at: float
    started_monotonic: float
    method: str
    path: str
    route: str
    request_id: str
    status: int | Literal["dropped", "client_closed"] | None = None
    fault: Action | None = None
    handled: bool = False
    service_status: int | None = None
    rules: list[int] = field(default_factory=list)
    duration_ms: float = 0.0


@dataclass
class FaultState:
    """Fault rules, request counters and the request log (in memory; cleared on restart and by reset)."""

    rules: list[FaultRule] = field(default_factory=list)
    routes: Counter[str] = field(default_factory=Counter)
    paths: Counter[str] = field(default_factory=Counter)
    total: int = 0
    log_capacity: int = REQUEST_LOG_CAPACITY
    #: Called with every finished exchange (e.g. to print the request log).
    listeners: list[Callable[[Exchange], None]] = field(default_factory=list)
    _log: deque[Exchange] = field(default_factory=deque)
    _next_id: int = 1
    _next_seq: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, spec: FaultRuleIn) -> FaultRule:
        """Register a rule."""
        with self._lock:
            rule = FaultRule(
                id=self._next_id,
                spec=spec,
                rng=random.Random(spec.seed),
                pattern=re.compile(spec.path) if spec.use_regex else None,
                body_pattern=None if spec.body_regex is None else re.compile(spec.body_regex, re.DOTALL),
            )
            self._next_id += 1
            self.rules.append(rule)
            return rule

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self.rules.clear()

    def describe(self) -> list[dict[str, Any]]:
        """Every rule as JSON."""
        with self._lock:
            return [r.as_dict() for r in self.rules]

    def count(self, method: str, template: str, path: str, request_id: str) -> Exchange:
        """Count one request and open its log entry (logged by :meth:`record` once answered)."""
        with self._lock:
            self.total += 1
            self.routes[f"{method} {template}"] += 1
            self.paths[f"{method} {path}"] += 1
            seq = self._next_seq
            self._next_seq += 1
        return Exchange(seq, time.time(), time.monotonic(), method, path, template, request_id)

    def record(self, exchange: Exchange) -> None:
        """Append a finished exchange to the log, evicting the oldest beyond capacity."""
        exchange.duration_ms = (time.monotonic() - exchange.started_monotonic) * 1000
        with self._lock:
            self._log.append(exchange)
            while len(self._log) > self.log_capacity:
                self._log.popleft()
        for listener in self.listeners:
            listener(exchange)

    def request_log(self, since: int = 0) -> list[dict[str, Any]]:
        """Logged exchanges with ``seq > since``, in sequence order."""
        with self._lock:
            entries = [asdict(e) for e in self._log if e.seq > since]
        return sorted(entries, key=lambda e: int(e["seq"]))

    def counts(self) -> dict[str, Any]:
        """``{"total": n, "routes": {...}, "paths": {...}}``."""
        with self._lock:
            return {"total": self.total, "routes": dict(self.routes), "paths": dict(self.paths)}

    def reset_counts(self) -> None:
        """Zero the counters and empty the request log (sequence numbers restart at 1)."""
        with self._lock:
            self.total = 0
            self.routes.clear()
            self.paths.clear()
            self._log.clear()
            self._next_seq = 1

    def wants_body(self, method: str, path: str) -> bool:
        """Whether a rule needs this request's body to decide whether it matches."""
        with self._lock:
            return any(r.body_pattern is not None and r.matches_route(method, path) for r in self.rules)

    def plan(self, method: str, path: str, body: bytes = b"") -> Plan:
        """Decide latency and fault for a request."""
        plan = Plan()
        with self._lock:
            for rule in self.rules:
                if not rule.matches(method, path, body):
                    continue
                plan.rule_ids.append(rule.id)
                plan.latency_s += rule.spec.latency_ms / 1000
                action = rule.draw()
                if action is not None and plan.action is None:
                    plan.action = action
                    plan.status = rule.rng.choice(rule.spec.error_statuses)
                    plan.retry_after = rule.spec.retry_after
                    plan.lost_as = rule.spec.lost_as
                    plan.slow_s = rule.spec.slow_ms / 1000
        return plan


def _request_id(scope: Scope) -> bytes:
    """The client's ``X-Request-Id``, else a fresh one."""
    sent: bytes | None = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER)
    return sent or uuid.uuid4().hex.encode()


def _with_request_id(request_id: bytes, send: Send) -> Send:
    """Add ``X-Request-Id`` to the response headers."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
            message = {**message, "headers": [*headers, (REQUEST_ID_HEADER, request_id)]}
        await send(message)

    return wrapped


def _recording_status(exchange: Exchange, send: Send) -> Send:
    """Note in ``exchange`` the status that goes on the wire."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            exchange.status = int(message["status"])
        await send(message)

    return wrapped


class DroppedConnection(RuntimeError):
    """Raised when the server's transport cannot be reached to drop a connection."""


ErrorRendererFor = Callable[[str], Callable[[int, str], Response]]
TemplateFor = Callable[[str, str], str]


class FaultMiddleware:
    """ASGI middleware that counts, logs and injects faults (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, state: FaultState, template_for: TemplateFor, renderer_for: ErrorRendererFor
    ) -> None:
        self.app = app
        self.state = state
        self.template_for = template_for
        self.renderer_for = renderer_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_uncounted(scope["path"]):
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path: str = scope["path"]
        request_id = _request_id(scope)
        exchange = self.state.count(method, self.template_for(method, path), path, request_id.decode())
        wire = _with_request_id(request_id, _recording_status(exchange, send))
        try:
            await self._serve(exchange, scope, receive, wire, send)
        finally:
            if exchange.status != "dropped" and _client_gone(send):
                exchange.status = "client_closed"
            self.state.record(exchange)

    async def _serve(self, exchange: Exchange, scope: Scope, receive: Receive, send: Send, raw_send: Send) -> None:
        """Apply the request's plan; ``raw_send`` is uvicorn's own, needed to drop the connection."""
        body = b""
        if self.state.wants_body(exchange.method, exchange.path):
            body, receive = await _read_body(receive)
        plan = self.state.plan(exchange.method, exchange.path, body)
        exchange.fault, exchange.rules = plan.action, plan.rule_ids
        if plan.latency_s > 0:
            await asyncio.sleep(plan.latency_s)
        if plan.action is None:
            exchange.handled = True
            await self.app(scope, receive, _noting_service_status(exchange, send))
        elif plan.action == "drop":
            await self._drop(exchange, raw_send)
        elif plan.action == "error":
            await self._inject_error(plan, scope, receive, send)
        elif plan.action == "slow":
            answer = await self._handle_withheld(exchange, scope, receive)
            await asyncio.sleep(plan.slow_s)
            await _replay(answer, send)
        else:
            await self._handle_withheld(exchange, scope, receive)
            if plan.lost_as == "drop":
                await self._drop(exchange, raw_send)
            else:
                await self._inject_error(plan, scope, receive, send)

    async def _handle_withheld(self, exchange: Exchange, scope: Scope, receive: Receive) -> list[Message]:
        """Let the service handle the request to the end; return its response messages unsent."""
        answer: list[Message] = []

        async def keep(message: Message) -> None:
            answer.append(message)

        exchange.handled = True
        await self.app(scope, receive, _noting_service_status(exchange, keep))
        return answer

    async def _inject_error(self, plan: Plan, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"injected fault: {HTTPStatus(plan.status).phrase.lower()}"
        response = self.renderer_for(scope["path"])(plan.status, message)
        if plan.retry_after is not None:
            response.headers["Retry-After"] = plan.retry_after
        await response(scope, receive, send)

    @staticmethod
    async def _drop(exchange: Exchange, send: Send) -> None:
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if not isinstance(transport, asyncio.Transport):
            raise DroppedConnection("injected fault: connection dropped")
        transport.abort()
        exchange.status = "dropped"
        # Let connection_lost run so uvicorn sees the disconnect and does not log a missing response.
        for _ in range(50):
            if getattr(cycle, "disconnected", True):
                break
            await asyncio.sleep(0)


def _client_gone(send: Send) -> bool:
    """Whether the client closed the connection before the response was complete (uvicorn's cycle)."""
    return bool(getattr(getattr(send, "__self__", None), "disconnected", False))


def _noting_service_status(exchange: Exchange, send: Send) -> Send:
    """Note in ``exchange`` the status the service answered with."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            exchange.service_status = int(message["status"])
        await send(message)

    return wrapped


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """The whole request body, and a ``receive`` that hands the same messages on to the service."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
    pending = deque(messages)

    async def replay() -> Message:
        return pending.popleft() if pending else await receive()

    return body, replay


async def _replay(messages: list[Message], send: Send) -> None:
    """Send a withheld response."""
    for message in messages:
        await send(message)
