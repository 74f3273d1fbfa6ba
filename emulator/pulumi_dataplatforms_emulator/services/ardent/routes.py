"""Ardent HTTP routes (mounted under `/ardent`) and admin routes (`/_admin/ardent`)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import JSONResponse, Response

from ..spec import ServiceContext
from .auth import Principal, authenticate
from .backend import ArdentBackend, bad_request

PREFIX = "/ardent"


class AccountIn(BaseModel):
    """Body of `PUT /_admin/ardent/account`: credits (None = unlimited) and granted scopes (None = all)."""

    credits: int | None = None
    scopes: list[str] | None = None


def build_router(ctx: ServiceContext) -> APIRouter:
    """The public Ardent API of every client generation."""
    backend = ArdentBackend(ctx)
    router = APIRouter(tags=["ardent"])

    async def caller(request: Request) -> tuple[Principal, Any]:
        raw = await request.body()
        path = request.url.path
        api_path = path[len(PREFIX) :] if path.startswith(PREFIX + "/") else path
        principal = authenticate(request, raw, api_path, ctx.clock())
        if not raw.strip():
            return principal, None
        try:
            return principal, json.loads(raw)
        except ValueError:
            raise bad_request("Body must be JSON") from None

    async def idempotent(request: Request, route: str, status: int, run: Any) -> JSONResponse:
        principal, body = await caller(request)
        key = request.headers.get("idempotency-key")
        seen = backend.replay(principal, route, key)
        if seen is not None:
            return JSONResponse(seen["body"], status_code=seen["status"], headers={"Idempotent-Replayed": "true"})
        result = run(principal, body)
        backend.remember(principal, route, key, status, result)
        return JSONResponse(result, status_code=status)

    # configurations (0.2.x / 0.3.0) ------------------------------------------------------
    @router.post("/v1/configs/{endpoint}", summary="set_config: upsert a configuration by its client-chosen id")
    async def set_config(endpoint: str, request: Request) -> JSONResponse:
        _, body = await caller(request)
        return JSONResponse(backend.set_config(endpoint, body))

    @router.delete("/v1/configs/deleteConfig", summary="delete_config: JSON body {id}; 200 JSON (0.2.2 parses it)")
    async def delete_config(request: Request) -> JSONResponse:
        _, body = await caller(request)
        return JSONResponse(backend.delete_config(body))

    # jobs --------------------------------------------------------------------------------
    @router.post("/v1/jobs/createJob", status_code=201, summary="Create a job (honours Idempotency-Key)")
    async def create_job(request: Request) -> JSONResponse:
        return await idempotent(request, "createJob", 201, backend.create_job)

    @router.post("/v1/jobs/APIChat", summary="Run a job's message (402 out of credits; honours Idempotency-Key)")
    async def execute_job(request: Request) -> JSONResponse:
        return await idempotent(request, "APIChat", 200, lambda _principal, body: backend.execute_job(body))

    @router.get("/v1/jobs/{job_id}/files", summary="A job's files")
    async def job_files(job_id: str, request: Request) -> JSONResponse:
        await caller(request)
        return JSONResponse(backend.job_files(job_id))

    @router.delete("/v1/jobs/deleteJob", status_code=204, summary="Delete a job: JSON body {jobID}")
    async def delete_job(request: Request) -> Response:
        _, body = await caller(request)
        backend.delete_job(body)
        return Response(status_code=204)

    # connectors (0.3.9: /v2, 0.5.0+: /v1) --------------------------------------------------
    for version in ("v1", "v2"):
        base = f"/{version}/connectors"

        @router.post(base, status_code=201, summary="Create a connector (server-assigned id)")
        async def create_connector(request: Request) -> JSONResponse:
            _, body = await caller(request)
            return JSONResponse(backend.create_connector(body), status_code=201)

        @router.get(base, summary="List connectors (no connection details); not used by the official clients")
        async def list_connectors(request: Request) -> JSONResponse:
            await caller(request)
            return JSONResponse({"connectors": backend.list_connectors()})

        @router.post(base + "/{connector_id}/{step}", summary="discover | selection | index")
        async def connector_step(connector_id: str, step: str, request: Request) -> JSONResponse:
            _, body = await caller(request)
            if step not in ("discover", "selection", "index"):
                raise bad_request(f"Unknown connector step {step}")
            return JSONResponse(backend.connector_step(connector_id, step, body))

        @router.delete(base + "/{connector_id}", status_code=204, summary="Delete a connector")
        async def delete_connector(connector_id: str, request: Request) -> Response:
            await caller(request)
            backend.delete_connector(connector_id)
            return Response(status_code=204)

    return router


def build_admin_router(ctx: ServiceContext) -> APIRouter:
    """`/_admin/ardent`: the account's credits and scopes (to reach the 402/403 paths)."""
    backend = ArdentBackend(ctx)
    router = APIRouter(tags=["admin"])

    @router.get("/account", summary="Credits and scopes")
    def get_account() -> dict[str, Any]:
        return backend.account()

    @router.put("/account", summary="Set credits (null = unlimited) and scopes (null = all)")
    def put_account(body: AccountIn) -> dict[str, Any]:
        return backend.set_account(body.credits, body.scopes)

    return router
