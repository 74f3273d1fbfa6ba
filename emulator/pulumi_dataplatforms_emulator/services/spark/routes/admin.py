"""Test helpers under ``/_admin/spark``: token lifetime, token expiry, compiled state."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...spec import ServiceContext
from ..backend import SparkBackend
from .models import TokenLifetime


def build_admin_router(ctx: ServiceContext) -> APIRouter:
    """Test helpers under ``/_admin/spark``: token lifetime, token expiry, compiled state."""
    backend = SparkBackend(ctx)
    router = APIRouter(tags=["admin: spark"])

    @router.put("/token-lifetime", summary="Lifetime of OAuth2 tokens issued from now on")
    def put_lifetime(body: TokenLifetime) -> dict[str, float]:
        backend.set_token_lifetime(body.seconds)
        return {"seconds": body.seconds}

    @router.post("/expire-tokens", summary="Revoke every issued OAuth2 token now")
    def expire_tokens() -> dict[str, int]:
        return {"expired": backend.expire_tokens()}

    @router.get("/state", summary="Folders and services with versions")
    def state() -> dict[str, Any]:
        return backend.dump()

    return router
