"""Spark HTTP routes under ``/spark`` (``{value}`` = ``<root>/spark``) and admin routes (``/_admin/spark``).

api/v1 routes take the tenant from ``x-tenant-name`` only; v3/v4 routes carry it in the path
(``/spark/{tenant}/api/v3/...``) and it must match the credentials' tenant. Every response
echoes the request's ``x-request-id``.

One module per area, each adding its routes to the one router :func:`build_router` returns:
:mod:`.auth` (health, OAuth2 token), :mod:`.folders`, :mod:`.services` and :mod:`.execution`;
:mod:`.admin` builds the admin router. They share :mod:`.common` (route class, envelopes, the
caller check) and :mod:`.models` (request bodies). The areas add routes to one router rather
than being included as sub-routers because the app records the path templates of a router's
own routes only (request counts and faults are keyed by them).

Request bodies are declared as models (JSON) or form fields (urlencoded and multipart); the
models keep the keys the official clients send and accept any extra keys. Upload routes take
bodies up to :data:`~...bodies.MAX_UPLOAD_SIZE`.
"""

from __future__ import annotations

from fastapi import APIRouter

from ...spec import ServiceContext
from ..backend import SparkBackend
from .admin import build_admin_router
from .auth import add_auth_routes
from .common import SparkRoute
from .execution import add_execution_routes
from .folders import add_folder_routes
from .services import add_service_routes

__all__ = ["build_admin_router", "build_router"]


def build_router(ctx: ServiceContext) -> APIRouter:
    """The public Spark API."""
    backend = SparkBackend(ctx)
    router = APIRouter(tags=["spark"], route_class=SparkRoute)
    for add_routes in (add_auth_routes, add_folder_routes, add_service_routes, add_execution_routes):
        add_routes(router, backend)
    return router
