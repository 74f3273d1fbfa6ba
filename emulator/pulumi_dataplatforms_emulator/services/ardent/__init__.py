"""Ardent emulation, wire-compatible with the official `ardent-sdk` 0.2.2 (HMAC, configs) to 0.8.0 (bearer)."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.responses import JSONResponse, Response

from ..spec import ServiceContext, ServiceSpec
from .auth import BEARER_KEY, PUBLIC_KEY, SECRET_KEY
from .backend import ArdentBackend
from .routes import PREFIX, build_admin_router, build_router

_CODES = {
    400: "invalid_request",
    401: "unauthorized",
    402: "out_of_credits",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    413: "payload_too_large",
    429: "rate_limited",
}


def render_error(status: int, message: str) -> Response:
    """`{"code", "message", "request_id"}` plus `X-Request-ID` (the real envelope is unknown)."""
    request_id = f"req_{uuid.uuid4().hex[:16]}"
    code = _CODES.get(status, "server_error" if status >= 500 else "error")
    body = {"code": code, "message": message, "request_id": request_id}
    return JSONResponse(body, status_code=status, headers={"X-Request-ID": request_id})


def env_exports(root: str) -> dict[str, str]:
    """Base URL plus both credential generations (HMAC key pair and bearer key)."""
    return {
        "ARDENT_BASE_URL": root + PREFIX,
        "ARDENT_PUBLIC_KEY": PUBLIC_KEY,
        "ARDENT_SECRET_KEY": SECRET_KEY,
        "ARDENT_API_KEY": BEARER_KEY,
    }


def dump_state(ctx: ServiceContext) -> Any:
    return ArdentBackend(ctx).dump()


SPEC = ServiceSpec(
    name="ardent",
    prefix=PREFIX,
    env_exports=env_exports,
    render_error=render_error,
    router_factory=build_router,
    admin_router_factory=build_admin_router,
    dump_state=dump_state,
    validation_status=400,
    description="Ardent API (configurations, connectors, jobs; HMAC and bearer auth)",
)
