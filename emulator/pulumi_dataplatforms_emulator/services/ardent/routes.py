"""Ardent HTTP routes (mounted under `/ardent`) and admin routes (`/_admin/ardent`).

Every route authenticates first (the HMAC signature covers the raw body), then its body model
is checked; the models type the keys the emulator reads and accept any other key.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse, Response

from ..bodies import Name
from ..spec import ServiceContext
from .auth import Principal, authenticate
from .backend import ArdentBackend, bad_request

PREFIX = "/ardent"


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class ConfigIn(_Body):
    """`Config` of set_config: its type, the client-chosen id and the type's parameters."""

    type: str
    id: Name = Field(min_length=1)


class SetConfigBody(_Body):
    """Body of `POST /v1/configs/{endpoint}`."""

    Config: ConfigIn


class DeleteConfigBody(_Body):
    """Body of `DELETE /v1/configs/deleteConfig`."""

    id: Name = Field(min_length=1)


class CreateJobBody(_Body):
    """Body of `POST /v1/jobs/createJob` (0.3.9 also sends `org_id`)."""

    userMessage: str = Field(min_length=1)
    org_id: Name | None = None


class ExecuteJobBody(_Body):
    """Body of `POST /v1/jobs/APIChat`."""

    jobID: Name
    userMessage: str | None = None


class DeleteJobBody(_Body):
    """Body of `DELETE /v1/jobs/deleteJob`."""

    jobID: Name


class ConnectorIn(_Body):
    """Body of `POST /v{1,2}/connectors`."""

    service_name: Name = Field(min_length=1)
    connection_details: dict[str, Any]
    name: Name | None = None


class ConnectorStepBody(_Body):
    """Body of a connector step: `selected_paths` for `selection`, `{}` for `discover` and `index`."""

    selected_paths: list[str] | None = None


class AccountIn(BaseModel):
    """Body of `PUT /_admin/ardent/account`: credits (None = unlimited) and granted scopes (None = all)."""

    credits: int | None = None
    scopes: list[str] | None = None


def build_router(ctx: ServiceContext) -> APIRouter:
    """The public Ardent API of every client generation."""
    backend = ArdentBackend(ctx)

    async def caller(request: Request) -> Principal:
        raw = await request.body()
        path = request.url.path
        api_path = path[len(PREFIX) :] if path.startswith(PREFIX + "/") else path
        return authenticate(request, raw, api_path, ctx.clock())

    router = APIRouter(tags=["ardent"], dependencies=[Depends(caller)])
    Caller = Annotated[Principal, Depends(caller)]

    def idempotent(
        request: Request, principal: Principal, route: str, status: int, run: Callable[[], dict[str, Any]]
    ) -> JSONResponse:
        key = request.headers.get("idempotency-key")
        seen = backend.replay(principal, route, key)
        if seen is not None:
            return JSONResponse(seen["body"], status_code=seen["status"], headers={"Idempotent-Replayed": "true"})
        result = run()
        backend.remember(principal, route, key, status, result)
        return JSONResponse(result, status_code=status)

    # configurations (0.2.x / 0.3.0) ------------------------------------------------------
    @router.post("/v1/configs/{endpoint}", summary="set_config: upsert a configuration by its client-chosen id")
    def set_config(endpoint: str, body: SetConfigBody) -> JSONResponse:
        return JSONResponse(backend.set_config(endpoint, body.model_dump()))

    @router.delete("/v1/configs/deleteConfig", summary="delete_config: JSON body {id}; 200 JSON (0.2.2 parses it)")
    def delete_config(body: DeleteConfigBody) -> JSONResponse:
        return JSONResponse(backend.delete_config(body.model_dump()))

    # jobs --------------------------------------------------------------------------------
    @router.post("/v1/jobs/createJob", status_code=201, summary="Create a job (honours Idempotency-Key)")
    def create_job(request: Request, principal: Caller, body: CreateJobBody) -> JSONResponse:
        return idempotent(
            request, principal, "createJob", 201, lambda: backend.create_job(principal, body.model_dump())
        )

    @router.post("/v1/jobs/APIChat", summary="Run a job's message (402 out of credits; honours Idempotency-Key)")
    def execute_job(request: Request, principal: Caller, body: ExecuteJobBody) -> JSONResponse:
        return idempotent(
            request, principal, "APIChat", 200, lambda: backend.execute_job(body.model_dump(exclude_none=True))
        )

    @router.get("/v1/jobs/{job_id}/files", summary="A job's files")
    def job_files(job_id: str) -> JSONResponse:
        return JSONResponse(backend.job_files(job_id))

    @router.delete("/v1/jobs/deleteJob", status_code=204, summary="Delete a job: JSON body {jobID}")
    def delete_job(body: DeleteJobBody) -> Response:
        backend.delete_job(body.model_dump())
        return Response(status_code=204)

    # connectors (0.3.9: /v2, 0.5.0+: /v1) --------------------------------------------------
    for version in ("v1", "v2"):
        base = f"/{version}/connectors"

        @router.post(base, status_code=201, summary="Create a connector (server-assigned id)")
        def create_connector(body: ConnectorIn) -> JSONResponse:
            return JSONResponse(backend.create_connector(body.model_dump()), status_code=201)

        @router.get(base, summary="List connectors (no connection details); not used by the official clients")
        def list_connectors() -> JSONResponse:
            return JSONResponse({"connectors": backend.list_connectors()})

        @router.post(base + "/{connector_id}/{step}", summary="discover | selection | index")
        def connector_step(connector_id: str, step: str, body: ConnectorStepBody | None = None) -> JSONResponse:
            if step not in ("discover", "selection", "index"):
                raise bad_request(f"Unknown connector step {step}")
            return JSONResponse(backend.connector_step(connector_id, step, (body or ConnectorStepBody()).model_dump()))

        @router.delete(base + "/{connector_id}", status_code=204, summary="Delete a connector")
        def delete_connector(connector_id: str) -> Response:
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
