"""The ASGI application: every registered service, the admin API and the fault middleware."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import Receive, Scope, Send

from . import request_log
from .admin import AdminDeps, build_admin_router
from .faults import FaultMiddleware, FaultState
from .services import SERVICES, ErrorRenderer, ServiceContext, ServiceError, ServiceSpec, render_plain_error
from .settings import Settings
from .store import Store

ADMIN_PREFIX = "/_admin"


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

    def mount_router(self, router: APIRouter, prefix: str = "") -> None:
        """``include_router`` that also records the routes' path templates (for request counts)."""
        for route in router.routes:
            if isinstance(route, APIRoute):
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
        await super().__call__(scope, receive, send)

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


def create_app(settings: Settings, services: list[ServiceSpec] | None = None) -> EmulatorApp:
    """Build the emulator: store, service routers, admin API, fault middleware, ``/healthz``."""
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

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        spec = app.service_for(request.url.path)
        if spec is None:
            return await http_exception_handler(request, exc)
        response = spec.render_error(exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})
        return response

    return app
