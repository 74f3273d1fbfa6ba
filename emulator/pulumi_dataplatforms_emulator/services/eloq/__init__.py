"""Eloq (EloqCloud) emulation, wire-compatible with the official ``eloq-sdk`` 0.1.4."""

from __future__ import annotations

from typing import Any

from ..spec import ServiceContext, ServiceSpec
from .backend import EloqBackend
from .catalog import DEFAULT_API_KEY
from .errors import render_error
from .routes import build_admin_router, build_router

PREFIX = "/eloq/api/v1"


def env_exports(root: str) -> dict[str, str]:
    """``ELOQ_BASE_URL`` (with the trailing ``/`` the client needs) and ``ELOQ_API_KEY``."""
    return {"ELOQ_BASE_URL": f"{root}{PREFIX}/", "ELOQ_API_KEY": DEFAULT_API_KEY}


def dump_state(ctx: ServiceContext) -> Any:
    """Live clusters with derived statuses."""
    return EloqBackend(ctx).dump()


SPEC = ServiceSpec(
    name="eloq",
    prefix=PREFIX,
    env_exports=env_exports,
    render_error=render_error,
    router_factory=build_router,
    admin_router_factory=build_admin_router,
    dump_state=dump_state,
    validation_status=400,
    description="EloqCloud API (org-info, clusters, SKUs)",
)
