"""Aerostack emulation, wire-compatible with the official `aerostack` 0.1.2 client."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..spec import ServiceContext, ServiceSpec
from .backend import DEFAULT_API_KEY, AerostackBackend
from .routes import API_PATH, add_files_route, build_admin_router, build_router, render_error

PREFIX = "/aerostack"

_backends: dict[int, AerostackBackend] = {}


def backend_for(ctx: ServiceContext) -> AerostackBackend:
    """One backend (and so one admin clock) per emulator app."""
    return _backends.setdefault(id(ctx), AerostackBackend(ctx))


def env_exports(root: str) -> dict[str, str]:
    return {"AEROSTACK_SERVER_URL": f"{root}{PREFIX}{API_PATH}", "AEROSTACK_API_KEY": DEFAULT_API_KEY}


def router_factory(ctx: ServiceContext) -> APIRouter:
    backend = backend_for(ctx)
    router = build_router(ctx, backend)
    add_files_route(router, backend)
    return router


def admin_router_factory(ctx: ServiceContext) -> APIRouter:
    return build_admin_router(backend_for(ctx))


def dump_state(ctx: ServiceContext) -> Any:
    return backend_for(ctx).dump()


SPEC = ServiceSpec(
    name="aerostack",
    prefix=PREFIX,
    env_exports=env_exports,
    render_error=render_error,
    router_factory=router_factory,
    admin_router_factory=admin_router_factory,
    dump_state=dump_state,
    validation_status=400,
    description="Aerostack API (ai, auth, cache, db, queue, services, storage)",
)
