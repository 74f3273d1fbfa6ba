"""Execution routes: v3 execute (by folder and name, service id or version id), validation,
swagger and search, and the v4 batch execute.

The tenant comes from the path and must be the credentials' own; errors use the v3 envelope.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import JSONResponse

from ..backend import SparkBackend
from ..errors import bad_request
from .common import LOC, V3, caller, v3
from .models import ExecuteBody, SearchBody, V4Body


def add_execution_routes(router: APIRouter, backend: SparkBackend) -> None:
    """v3 execution and introspection of a service, service search and v4 batch execution."""

    @router.post(LOC + "/execute", summary="Execute (v3)")
    def execute(
        tenant: str, folder: str, service: str, request: Request, body: ExecuteBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        return _execute_v3(backend, body, backend.service(tenant, folder, service))

    @router.post(V3 + "/service/{service_id}", summary="Execute by service id (v3)")
    def execute_by_service(
        tenant: str, service_id: str, request: Request, body: ExecuteBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        doc, _ = backend.locate(tenant, service_id=service_id)
        return _execute_v3(backend, body, doc)

    @router.post(V3 + "/version/{version_id}", summary="Execute by version id (v3)")
    def execute_by_version(
        tenant: str, version_id: str, request: Request, body: ExecuteBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        doc, _ = backend.locate(tenant, version_id=version_id)
        return _execute_v3(backend, body, doc, version_id)

    @router.post(LOC + "/validation", summary="Input validations")
    async def validation(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        doc = backend.service(tenant, folder, service)
        version = backend.pick_version(doc)
        rules = {
            n: {
                "validation_allow": "Any",
                "validation_type": None,
                "dependent_inputs": None,
                "min": None,
                "max": None,
                "options": None,
                "ignore_blank": True,
            }
            for n in version["schema"]["inputs"]
        }
        return v3(
            {
                "response_data": {"outputs": rules},
                "response_meta": backend.execute(doc, version, {}, {})["response_meta"],
            }
        )

    @router.get(LOC + "/downloadswagger/{subservice}/{downloadable}/", summary="Swagger (latest)")
    @router.get(LOC + "/downloadswagger/{subservice}/{downloadable}/{version_id}", summary="Swagger of a version")
    def swagger(
        tenant: str,
        folder: str,
        service: str,
        subservice: str,
        downloadable: str,
        request: Request,
        version_id: str = "",
    ) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        doc = backend.service(tenant, folder, service)
        version = backend.pick_version(doc, version_id or None)
        props = {
            n: {"type": "number" if isinstance(v, int | float) else "string", "default": v}
            for n, v in version["schema"]["inputs"].items()
        }
        return JSONResponse(
            {
                "openapi": "3.0.1",
                "info": {"title": f"{folder}/{service}", "version": version["revision"]},
                "paths": {
                    f"/{tenant}/api/v3/folders/{folder}/services/{service}/execute": {
                        "post": {
                            "requestBody": {
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "object",
                                            "properties": {
                                                "request_data": {
                                                    "type": "object",
                                                    "properties": {"inputs": {"type": "object", "properties": props}},
                                                }
                                            },
                                        }
                                    }
                                }
                            },
                        }
                    }
                },
            }
        )

    @router.post(V3 + "/services/search", summary="Search services")
    def search(tenant: str, request: Request, body: SearchBody | None = None) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        items = [
            {
                "id": s["id"],
                "foldername": s["folder"],
                "filename": s["versions"][-1]["originalFileName"],
                "name": s["name"],
                "version": s["versions"][-1]["revision"],
                "modifiedDate": s["versions"][-1]["createdAt"],
            }
            for s in backend.all_services(tenant)
        ]
        return v3({"response_data": items, "response_meta": {"count": len(items)}})

    @router.post("/{tenant}/api/v4/execute", summary="Execute a batch of records (v4)")
    def execute_v4(tenant: str, request: Request, body: V4Body | None = None) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
        body = body or V4Body()
        doc, version = _v4_target(backend, tenant, body)
        records = _records(body.inputs)
        results, times = [], []
        for record in records:
            response = backend.execute(doc, version, record, body.model_dump())
            results.append(response["response_data"]["outputs"])
            times.append(response["response_meta"]["process_time"])
        meta = backend.execute(doc, version, {}, {})["response_meta"] if not records else response["response_meta"]
        return JSONResponse(
            {
                "outputs": results,
                "process_time": times,
                "warnings": [None] * len(records),
                "errors": [None] * len(records),
                "service_id": doc["id"],
                "version_id": version["id"],
                "version": version["revision"],
                "call_id": meta["call_id"],
                "compiler_version": meta["compiler_version"],
                "correlation_id": body.correlation_id,
                "request_timestamp": meta["request_timestamp"],
            }
        )


def _execute_v3(
    backend: SparkBackend, body: ExecuteBody | None, doc: dict[str, Any], version_id: str | None = None
) -> JSONResponse:
    """One v3 execution of ``doc``: the version by ``version_id``, else by the body's id or revision."""
    body = body or ExecuteBody()
    meta = body.request_meta
    inputs = body.request_data.inputs or {}
    version = backend.pick_version(doc, version_id or meta.version_id, meta.version)
    return JSONResponse(backend.execute(doc, version, inputs, meta.model_dump()))


def _v4_target(backend: SparkBackend, tenant: str, body: V4Body) -> tuple[dict[str, Any], dict[str, Any]]:
    """The service and version a v4 body names: a version id, ``folder/name[revision]`` or a service id."""
    service = body.service or ""
    version_id = body.version_id
    if version_id and not service:
        return backend.locate(tenant, version_id=version_id)  # type: ignore[return-value]
    if "/" in service:
        path, _, rest = service.partition("[")
        folder, _, name = path.partition("/")
        doc = backend.service(tenant, folder, name)
        return doc, backend.pick_version(doc, version_id, rest.rstrip("]") or None)
    if not service:
        raise bad_request("v3", "service or version_id is required")
    doc, _ = backend.locate(tenant, service_id=service)
    return doc, backend.pick_version(doc, version_id)


def _records(inputs: Any) -> list[dict[str, Any]]:
    """v4 inputs: a list of objects, or a table `[[header...], [row...], ...]`."""
    if not isinstance(inputs, list):
        raise bad_request("v3", "inputs must be a list of records")
    if inputs and all(isinstance(r, list) for r in inputs):
        header, *rows = inputs
        if not all(isinstance(name, str) for name in header):
            raise bad_request("v3", "the header row of an inputs table must hold strings")
        return [dict(zip(header, row, strict=False)) for row in rows]
    if not all(isinstance(r, dict) for r in inputs):
        raise bad_request("v3", "inputs must be a list of objects or a table with a header row")
    return list(inputs)
