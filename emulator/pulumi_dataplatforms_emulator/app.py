"""The ASGI application: every registered service, the admin API and the fault middleware.

Requests to a platform (its prefix or ``/_admin/<platform>``) are screened before routing and
refused in the platform's error envelope: control characters in the path (400), a body larger
than the route's limit (413; :data:`~.services.bodies.MAX_BODY_SIZE` by default,
:data:`~.services.bodies.MAX_UPLOAD_SIZE` on upload routes), and a JSON body that is not valid
UTF-8 JSON or is nested too deeply (400). An unexpected exception is answered with a 500 in
the envelope and the connection stays usable.
"""

from __future__ import annotations

import logging
import os
import re
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import Message, Receive, Scope, Send

from . import request_log
from .admin import AdminDeps, build_admin_router
from .faults import FaultMiddleware, FaultState
from .services import SERVICES, ErrorRenderer, ServiceContext, ServiceError, ServiceSpec, render_plain_error
from .services.bodies import MAX_BODY_SIZE, has_control_chars, parse_json
from .settings import Settings
from .store import Store

ADMIN_PREFIX = "/_admin"
logger = logging.getLogger("uvicorn.error")


class _Refusal(Exception):
    """A request refused before routing: status and message for the platform's envelope."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class _TrackedSend:
    """A ``send`` that notes whether the response has started and finished."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False
        self.complete = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        elif message["type"] == "http.response.body" and not message.get("more_body", False):
            self.complete = True
        await self.send(message)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


class EmulatorApp(FastAPI):
    """FastAPI app whose outermost layer is the fault middleware.

    The middleware wraps ``FastAPI.__call__`` itself (not the middleware stack) so it receives
    uvicorn's own ``send``, which it needs to drop connections.
    """

    def __init__(self, *, ctx: ServiceContext, services: list[ServiceSpec], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx
        self.services = services
        self.fault_state = FaultState()
        self.route_templates: list[tuple[re.Pattern[str], str, frozenset[str]]] = []
        self.fault_middleware = FaultMiddleware(self._dispatch, self.fault_state, self.template_for, self.renderer_for)
        self._body_limits: list[tuple[re.Pattern[str], frozenset[str], int]] | None = None

    def mount_router(self, router: APIRouter, prefix: str = "") -> None:
        """``include_router`` that also records the routes' path templates (request counts, fault matching).

        The router must be flat: a router included into it would hide its routes' templates.
        """
        for route in router.routes:
            if not isinstance(route, APIRoute):
                raise TypeError(f"mount_router: {route!r} is not a route; add routes to one flat router")
            template = prefix + route.path
            regex, _, _ = compile_path(template)
            self.route_templates.append((regex, template, frozenset(route.methods or ())))
        self.include_router(router, prefix=prefix)

    def template_for(self, method: str, path: str) -> str:
        """The path template of the route serving ``path`` (any method as fallback), else ``path``."""
        fallback = path
        for regex, template, methods in self.route_templates:
            if regex.match(path):
                if method in methods:
                    return template
                if fallback == path:
                    fallback = template
        return fallback

    @property
    def store(self) -> Store:
        """The shared store."""
        return self.ctx.store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.fault_middleware(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        tracked = _TrackedSend(send)
        try:
            spec = self.service_for(scope["path"])
            if spec is not None:
                receive = await self._screen(scope, receive)
            await super().__call__(scope, receive, tracked)
        except _Refusal as refusal:
            await self.renderer_for(scope["path"])(refusal.status, refusal.message)(scope, receive, tracked)
        except Exception:
            # Starlette answers (500, in the envelope) and re-raises; a server closes the
            # connection on a raised exception, so it is logged here instead.
            if tracked.started and not tracked.complete:
                raise
            logger.exception("Exception in ASGI application")
            if not tracked.started:
                await self.renderer_for(scope["path"])(500, "internal server error")(scope, receive, tracked)

    def body_limit(self, method: str, path: str) -> int:
        """The largest body the route serving ``method path`` accepts."""
        if self._body_limits is None:
            self._body_limits = [
                (compile_path(str(c.path))[0], frozenset(c.methods or ()), c.max_body_size)
                for c in iter_route_contexts(self.routes)
                if getattr(c, "max_body_size", None) is not None
            ]
        for regex, methods, limit in self._body_limits:
            if method in methods and regex.match(path):
                return limit
        return self.max_body_size if self.max_body_size is not None else MAX_BODY_SIZE

    async def _screen(self, scope: Scope, receive: Receive) -> Receive:
        """Refuse a malformed platform request; the ``receive`` that hands on a body read here."""
        path: str = scope["path"]
        if has_control_chars(path):
            raise _Refusal(400, "the path must not contain control characters")
        headers = Headers(scope=scope)
        json_body = _is_json(headers.get("content-type", ""))
        limit = self.body_limit(scope["method"], path)
        if json_body:
            limit = min(limit, self.max_body_size if self.max_body_size is not None else MAX_BODY_SIZE)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            raise _Refusal(413, f"the request body exceeds the limit of {limit} bytes")
        if not json_body:
            return receive
        messages: deque[Message] = deque()
        size, more = 0, True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                raise _Refusal(413, f"the request body exceeds the limit of {limit} bytes")
            more = bool(message.get("more_body", False))
        body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")
        if body.strip():
            try:
                parse_json(body)
            except ValueError as exc:
                raise _Refusal(400, str(exc)) from None

        async def replay() -> Message:
            return messages.popleft() if messages else await receive()

        return replay

    def service_for(self, path: str) -> ServiceSpec | None:
        """The service owning a public or ``/_admin/<name>`` path."""
        for spec in self.services:
            if spec.owns(path) or path.startswith(f"{ADMIN_PREFIX}/{spec.name}/"):
                return spec
        return None

    def renderer_for(self, path: str) -> ErrorRenderer:
        """The error renderer of the service owning ``path``."""
        spec = self.service_for(path)
        return render_plain_error if spec is None else spec.render_error


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err.get("loc", ())[1:]) or "request"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(
    settings: Settings, services: list[ServiceSpec] | None = None, *, max_body_size: int = MAX_BODY_SIZE
) -> EmulatorApp:
    """Build the emulator: store, service routers, admin API, fault middleware, ``/healthz``.

    ``max_body_size`` bounds request bodies (413 beyond it) except on routes declaring their own limit.
    """
    services = list(SERVICES if services is None else services)
    ctx = ServiceContext(store=Store(settings.db_path), settings=settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.store.close()

    implemented = [s for s in services if s.implemented]
    app = EmulatorApp(
        ctx=ctx,
        services=services,
        title="dataplatforms emulator",
        description="Local emulation of the Eloq, Ardent, Coherent Spark and Aerostack APIs. "
        + " ".join(f"{s.name}: {s.prefix}." for s in implemented),
        version="0.1.0",
        lifespan=lifespan,
        max_body_size=max_body_size,
        openapi_tags=[{"name": s.name, "description": s.description or s.name} for s in implemented]
        + [{"name": "admin", "description": "Test controls: reset, state, faults, delays, request counts"}],
    )
    if settings.request_log:
        app.fault_state.listeners.append(request_log.printer(lambda path: getattr(app.service_for(path), "name", None)))
    for spec in implemented:
        assert spec.router_factory is not None
        app.mount_router(spec.router_factory(ctx), prefix=spec.prefix)
        if spec.admin_router_factory is not None:
            app.mount_router(spec.admin_router_factory(ctx), prefix=f"{ADMIN_PREFIX}/{spec.name}")
    app.mount_router(
        build_admin_router(
            AdminDeps(
                ctx=ctx,
                faults=app.fault_state,
                services=services,
                initial_delays=(settings.provision_seconds, settings.deletion_seconds),
            )
        )
    )

    @app.get("/healthz", tags=["health"], summary="Liveness and the emulated services")
    async def healthz() -> dict[str, Any]:
        return {
            "status": "ok",
            "services": [s.name for s in implemented],
            "instance": settings.instance_id,
            "pid": os.getpid(),
        }

    @app.exception_handler(ServiceError)
    async def on_service_error(request: Request, exc: ServiceError) -> Response:
        response = app.renderer_for(request.url.path)(exc.status, exc.message)
        response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> Response:
        spec = app.service_for(request.url.path)
        if spec is None:
            return await request_validation_exception_handler(request, exc)
        return spec.render_error(spec.validation_status, _validation_message(exc))

    @app.exception_handler(Exception)
    async def on_unexpected_error(request: Request, exc: Exception) -> Response:
        return app.renderer_for(request.url.path)(500, "internal server error")

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        spec = app.service_for(request.url.path)
        if spec is None:
            return await http_exception_handler(request, exc)
        response = spec.render_error(exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    return app
