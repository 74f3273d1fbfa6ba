"""``/_admin``: reset, state dump, fault rules, delays, request counts and log (never counted or faulted)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from .faults import FaultRuleIn, FaultState
from .services.spec import ServiceContext, ServiceSpec


class Delays(BaseModel):
    """Body of ``PUT /_admin/delays``; omitted fields keep their value."""

    provision_seconds: float | None = Field(None, ge=0)
    deletion_seconds: float | None = Field(None, ge=0)


@dataclass
class AdminDeps:
    """What the admin routes act on."""

    ctx: ServiceContext
    faults: FaultState
    services: list[ServiceSpec]
    initial_delays: tuple[float, float]


def build_admin_router(deps: AdminDeps) -> APIRouter:
    """The generic admin API (service-specific routes live under ``/_admin/<service>``)."""
    router = APIRouter(prefix="/_admin", tags=["admin"])
    settings = deps.ctx.settings

    def delays() -> dict[str, float]:
        return {"provision_seconds": settings.provision_seconds, "deletion_seconds": settings.deletion_seconds}

    @router.post("/reset", summary="Clear all state, fault rules, counts and the request log; restore start-up delays")
    def reset() -> dict[str, Any]:
        deps.ctx.store.clear()
        deps.faults.clear()
        deps.faults.reset_counts()
        settings.provision_seconds, settings.deletion_seconds = deps.initial_delays
        return {"reset": True, "delays": delays()}

    @router.get("/state", summary="Every service's state")
    def state() -> dict[str, Any]:
        return {s.name: s.state(deps.ctx) for s in deps.services if s.implemented}

    @router.get("/faults", summary="Active fault rules")
    async def list_faults() -> list[dict[str, Any]]:
        return deps.faults.describe()

    @router.post("/faults", summary="Add a fault rule")
    async def add_fault(rule: FaultRuleIn) -> dict[str, Any]:
        return deps.faults.add(rule).as_dict()

    @router.delete("/faults", summary="Remove every fault rule")
    async def clear_faults() -> dict[str, Any]:
        deps.faults.clear()
        return {"cleared": True}

    @router.get("/delays", summary="Current lifecycle delays")
    async def get_delays() -> dict[str, float]:
        return delays()

    @router.put("/delays", summary="Set lifecycle delays (apply to later creates/deletes)")
    async def put_delays(body: Delays) -> dict[str, float]:
        if body.provision_seconds is not None:
            settings.provision_seconds = body.provision_seconds
        if body.deletion_seconds is not None:
            settings.deletion_seconds = body.deletion_seconds
        return delays()

    @router.get("/requests", summary="Request counts per route template and per path, plus the total")
    async def requests() -> dict[str, Any]:
        return deps.faults.counts()

    @router.get(
        "/requests/log", summary="Logged requests (oldest first), optionally only those after a sequence number"
    )
    async def request_log(since: int = Query(0, ge=0, description="Only entries with seq > since")) -> dict[str, Any]:
        return {"entries": deps.faults.request_log(since), "capacity": deps.faults.log_capacity}

    @router.delete("/requests", summary="Zero the request counts and empty the request log")
    async def reset_requests() -> dict[str, Any]:
        deps.faults.reset_counts()
        return deps.faults.counts()

    return router
