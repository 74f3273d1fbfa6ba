"""Coherent Spark emulation, wire-compatible with the official ``cspark`` 0.3.3 client.

Point ``cspark`` at it with ``Spark.Client(base_url=Spark.BaseUrl('<root>/spark', '<tenant>'), ...)``.
"""

from __future__ import annotations

from typing import Any

from ..spec import ServiceContext, ServiceSpec
from .backend import API_KEYS, DEFAULT_TENANT, SparkBackend
from .errors import render_error
from .routes import build_admin_router, build_router

PREFIX = "/spark"


def env_exports(root: str) -> dict[str, str]:
    """Base URL (no tenant), tenant and the development API key.

    The OAuth2 client and static bearer token (``OAUTH_CLIENTS``, ``STATIC_TOKENS``) are not
    exported: with ``CSPARK_CLIENT_ID``/``SECRET`` set, clients prefer OAuth2 over the API key.
    """
    return {
        "CSPARK_BASE_URL": root + PREFIX,
        "CSPARK_TENANT": DEFAULT_TENANT,
        "CSPARK_API_KEY": next(k for k, t in API_KEYS.items() if t == DEFAULT_TENANT),
    }


def dump_state(ctx: ServiceContext) -> Any:
    return SparkBackend(ctx).dump()


SPEC = ServiceSpec(
    name="spark",
    prefix=PREFIX,
    env_exports=env_exports,
    render_error=render_error,
    router_factory=build_router,
    admin_router_factory=build_admin_router,
    dump_state=dump_state,
    validation_status=400,
    description="Coherent Spark API (folders, services, versions, execute, OAuth2)",
)
