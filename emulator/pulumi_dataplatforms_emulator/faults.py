"""Request counting, request ids and fault injection, as outermost ASGI middleware.

Per request (not for ``/_admin``, ``/healthz`` or the OpenAPI docs) the middleware

1. counts it under ``"METHOD /route/{template}"`` and ``"METHOD /actual/path"`` and tags the
   response with ``X-Request-Id`` (the request's own, else a fresh one);
2. finds the fault rules matching its path (prefix, or regex when the rule's path starts with
   ``^`` or ``regex`` is true) and method, sleeps for their summed ``latency_ms``;
3. draws once per matching rule from the rule's RNG (seedable): below ``drop_rate`` the
   connection is dropped; below ``drop_rate + error_rate`` the request is *not* handled and
   an error status from ``error_statuses`` is returned in the service's own error envelope,
   with ``Retry-After``. The first rule that fires wins. ``max_faults`` caps a rule's firings.

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
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
UNCOUNTED_PREFIXES = ("/_admin", "/healthz", "/openapi.json", "/docs", "/redoc")


def is_uncounted(path: str) -> bool:
    """Admin, health and docs paths are never counted nor faulted."""
    return any(path == p or path.startswith(p + "/") for p in UNCOUNTED_PREFIXES)


class FaultRuleIn(BaseModel):
    """Body of ``POST /_admin/faults``."""

    path: str = Field("/", description="Path prefix, or a regex (searched) if it starts with '^'")
    regex: bool | None = Field(None, description="Force regex (true) or prefix (false) matching")
    method: str | None = Field(None, description="Only this HTTP method (any if null)")
    latency_ms: float = Field(0, ge=0)
    error_rate: float = Field(0, ge=0, le=1)
    error_statuses: list[int] = Field(default_factory=lambda: [429, 503], min_length=1)
    drop_rate: float = Field(0, ge=0, le=1)
    retry_after: str | None = Field("0", description="Retry-After value on injected errors; null omits it")
    seed: int | None = None
    max_faults: int | None = Field(None, ge=0, description="Stop injecting errors/drops after this many")

    @model_validator(mode="after")
    def _check(self) -> FaultRuleIn:
        if self.error_rate + self.drop_rate > 1:
            raise ValueError("error_rate + drop_rate must be <= 1")
        if any(not 400 <= s <= 599 for s in self.error_statuses):
            raise ValueError("error_statuses must be 4xx/5xx")
        if self.use_regex:
            re.compile(self.path)
        return self

    @property
    def use_regex(self) -> bool:
        """Whether ``path`` is a regex."""
        return self.path.startswith("^") if self.regex is None else self.regex


Action = Literal["drop", "error"]


@dataclass
class FaultRule:
    """A live rule with its RNG and counters."""

    id: int
    spec: FaultRuleIn
    rng: random.Random
    pattern: re.Pattern[str] | None = None
    matched: int = 0
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Whether the rule applies to this request."""
        if self.spec.method is not None and self.spec.method.upper() != method.upper():
            return False
        if self.pattern is not None:
            return self.pattern.search(path) is not None
        return path.startswith(self.spec.path)

    def draw(self) -> Action | None:
        """One RNG draw: drop, error or nothing."""
        self.matched += 1
        r = self.rng.random()
        if self.spec.max_faults is not None and self.fired >= self.spec.max_faults:
            return None
        action: Action | None = None
        if r < self.spec.drop_rate:
            action = "drop"
        elif r < self.spec.drop_rate + self.spec.error_rate:
            action = "error"
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


@dataclass
class FaultState:
    """Fault rules and request counters (in memory; cleared on restart and by admin reset)."""

    rules: list[FaultRule] = field(default_factory=list)
    routes: Counter[str] = field(default_factory=Counter)
    paths: Counter[str] = field(default_factory=Counter)
    total: int = 0
    _next_id: int = 1
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, spec: FaultRuleIn) -> FaultRule:
        """Register a rule."""
        with self._lock:
            rule = FaultRule(
                id=self._next_id,
                spec=spec,
                rng=random.Random(spec.seed),
                pattern=re.compile(spec.path) if spec.use_regex else None,
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

    def count(self, method: str, template: str, path: str) -> None:
        """Count one request."""
        with self._lock:
            self.total += 1
            self.routes[f"{method} {template}"] += 1
            self.paths[f"{method} {path}"] += 1

    def counts(self) -> dict[str, Any]:
        """``{"total": n, "routes": {...}, "paths": {...}}``."""
        with self._lock:
            return {"total": self.total, "routes": dict(self.routes), "paths": dict(self.paths)}

    def reset_counts(self) -> None:
        """Zero the counters."""
        with self._lock:
            self.total = 0
            self.routes.clear()
            self.paths.clear()

    def plan(self, method: str, path: str) -> Plan:
        """Decide latency and fault for a request."""
        plan = Plan()
        with self._lock:
            for rule in self.rules:
                if not rule.matches(method, path):
                    continue
                plan.latency_s += rule.spec.latency_ms / 1000
                action = rule.draw()
                if action is not None and plan.action is None:
                    plan.action = action
                    plan.status = rule.rng.choice(rule.spec.error_statuses)
                    plan.retry_after = rule.spec.retry_after
        return plan


def _with_request_id(scope: Scope, send: Send) -> Send:
    """Add ``X-Request-Id`` (the client's own, else a new one) to the response headers."""
    sent = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER)
    request_id = sent or uuid.uuid4().hex.encode()

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID_HEADER]
            message = {**message, "headers": [*headers, (REQUEST_ID_HEADER, request_id)]}
        await send(message)

    return wrapped


class DroppedConnection(RuntimeError):
    """Raised when the server's transport cannot be reached to drop a connection."""


ErrorRendererFor = Callable[[str], Callable[[int, str], Response]]
TemplateFor = Callable[[str, str], str]


class FaultMiddleware:
    """ASGI middleware that counts requests and injects faults (see the module docstring)."""

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
        self.state.count(method, self.template_for(method, path), path)
        raw_send, send = send, _with_request_id(scope, send)
        plan = self.state.plan(method, path)
        if plan.latency_s > 0:
            await asyncio.sleep(plan.latency_s)
        if plan.action == "drop":
            await self._drop(raw_send)
        elif plan.action == "error":
            message = f"injected fault: {HTTPStatus(plan.status).phrase.lower()}"
            response = self.renderer_for(path)(plan.status, message)
            if plan.retry_after is not None:
                response.headers["Retry-After"] = plan.retry_after
            await response(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    @staticmethod
    async def _drop(send: Send) -> None:
        cycle = getattr(send, "__self__", None)
        transport = getattr(cycle, "transport", None)
        if not isinstance(transport, asyncio.Transport):
            raise DroppedConnection("injected fault: connection dropped")
        transport.abort()
        # Let connection_lost run so uvicorn sees the disconnect and does not log a missing response.
        for _ in range(50):
            if getattr(cycle, "disconnected", True):
                break
            await asyncio.sleep(0)
