"""Spark HTTP routes under ``/spark`` (``{value}`` = ``<root>/spark``) and admin routes (``/_admin/spark``).

api/v1 routes take the tenant from ``x-tenant-name`` only; v3/v4 routes carry it in the path
(``/spark/{tenant}/api/v3/...``) and it must match the credentials' tenant. Every response
echoes the request's ``x-request-id``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from ..spec import ServiceContext
from .backend import CATEGORIES, Caller, SparkBackend, now_iso
from .errors import Family, SparkFailure, bad_request

V3 = "/{tenant}/api/v3"
LOC = V3 + "/folders/{folder}/services/{service}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SparkRoute(APIRoute):
    """Renders SparkFailure in its family's envelope and echoes `x-request-id`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                response = await original(request)
            except SparkFailure as failure:
                response = failure.response()
            request_id = request.headers.get("x-request-id")
            if request_id:
                response.headers["x-request-id"] = request_id
            return response

        return handler


def ok(data: Any = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"status": "Success", "data": data, "message": None, "errorCode": None, **extra})


def v3(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"status": "Success", "error": None, **body})


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise bad_request("v3", "the request body is not JSON") from None
    return body if isinstance(body, dict) else {"_": body}


def build_router(ctx: ServiceContext) -> APIRouter:
    """The public Spark API."""
    backend = SparkBackend(ctx)
    router = APIRouter(tags=["spark"], route_class=SparkRoute)

    def caller(request: Request, family: Family, tenant: str | None = None) -> tuple[Caller, str]:
        who = backend.authenticate(request.headers.get("x-synthetic-key"), request.headers.get("authorization"), family)
        wanted = tenant if tenant is not None else request.headers.get("x-tenant-name")
        return who, backend.check_tenant(who, wanted, family)

    def base(request: Request) -> str:
        return str(request.base_url).rstrip("/") + "/spark"

    # -- health and OAuth2 -------------------------------------------------------------------
    @router.get("/health", summary="Health check")
    def health() -> dict[str, str]:
        return {"status": "UP"}

    @router.post("/auth/realms/{realm}/protocol/openid-connect/token", summary="OAuth2 client-credentials token")
    async def token(realm: str, request: Request) -> JSONResponse:
        form = await request.form()
        try:
            issued = backend.issue_token(
                realm, _s(form.get("client_id")), _s(form.get("client_secret")), _s(form.get("grant_type"))
            )
        except SparkFailure as failure:
            return JSONResponse({"error": failure.code, "error_description": failure.message}, status_code=400)
        return JSONResponse(issued)

    # -- folders (api/v1) --------------------------------------------------------------------
    @router.post("/api/v1/product/isproductexists/{name}", summary="Does a folder exist")
    def folder_exists(name: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        return ok(backend.folder(tenant, name) is not None)

    @router.post("/api/v1/product/list", summary="Find folders")
    async def folder_list(request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        body = await json_body(request)
        items = [backend.folder_info(tenant, f) for f in backend.folders(tenant)]
        for term in body.get("search") or []:
            field, value = str(term.get("field", "")), term.get("value")
            if field == "name" and value:
                items = [f for f in items if str(value).lower() in f["name"].lower()]
            elif field == "isstarred":
                items = [f for f in items if f["isStarred"] == bool(value)]
        items.sort(key=lambda f: f["lastModifiedDate"], reverse=str(body.get("sort", "-updated")).startswith("-"))
        size = int(body.get("pageSize") or 100)
        page = int(body.get("page") or 1)
        sliced = items[(page - 1) * size : page * size]
        return ok(sliced, count=len(items), next=None, previous=None)

    @router.post("/api/v1/product/create", summary="Create a folder (form)")
    async def folder_create(request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        form = {k: _s(v) for k, v in (await request.form()).items()}
        folder = backend.create_folder(tenant, form)
        if folder is None:
            return JSONResponse(
                {
                    "status": "Error",
                    "data": None,
                    "message": f"folder {form.get('Name')} already exists",
                    "errorCode": "PRODUCT_ALREADY_EXISTS",
                }
            )
        url = f"{base(request)}/api/v1/product/GetProductDetailById/{folder['id']}"
        return ok({"folderId": folder["id"], "get_product_url": url})

    @router.get("/api/v1/product/GetProductDetailById/{folder_id}", summary="One folder by id")
    def folder_get(folder_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        folder = backend.folder_info(tenant, backend.folder_by_id(tenant, folder_id))
        services = backend.services(tenant, folder["name"])
        engines = [{"serviceName": s["name"], "id": s["id"]} for s in services]
        return ok(
            {
                **folder,
                "calculationEngines": {
                    "count": len(engines),
                    "next": None,
                    "previous": None,
                    "message": None,
                    "data": engines,
                    "errorCode": None,
                    "status": "Success",
                },
            }
        )

    @router.post("/api/v1/product/update/{folder_id}", summary="Update a folder")
    async def folder_update(folder_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        backend.update_folder(tenant, folder_id, await json_body(request))
        return ok()

    @router.delete("/api/v1/product/delete/{folder_id}", summary="Delete a folder and all its services")
    def folder_delete(folder_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        backend.delete_folder(tenant, folder_id)
        return ok()

    @router.post("/api/v1/product/uploadcoverimage", summary="Upload a folder cover image")
    @router.post("/api/v1/product/UploadCoverImage", include_in_schema=False)
    async def folder_cover(request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        form = await request.form()
        image = form.get("coverImage")
        if image is None or isinstance(image, str):
            raise bad_request("v1", "coverImage file is required")
        backend.set_cover(tenant, _s(form.get("id")) or "", image.filename or "cover", await image.read())
        return ok()

    @router.get("/api/v1/lookup/getcategories", summary="Folder categories")
    def categories(request: Request) -> JSONResponse:
        caller(request, "v1")
        return ok(CATEGORIES)

    @router.post("/api/v1/lookup/savecategory", summary="Save a category")
    async def save_category(request: Request) -> JSONResponse:
        caller(request, "v1")
        body = await json_body(request)
        items: list[dict[str, Any]] = [c for c in CATEGORIES if c["key"] != body.get("key")]
        items.append({"key": body.get("key"), "value": body.get("value"), "icon": body.get("icon")})
        return ok({"Metadata.ProductCategories": [{k.capitalize(): v for k, v in c.items()} for c in items]})

    # -- services (api/v1 parts) ---------------------------------------------------------------
    @router.post("/api/v1/product/{folder}/engines", summary="List a folder's services")
    def services_list(folder: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        items = [
            {"serviceName": s["name"], "id": s["id"], "version": s["versions"][-1]["revision"]}
            for s in backend.services(tenant, folder)
        ]
        return ok(items, count=len(items))

    @router.get("/api/v1/product/{folder}/engines/getversions/{service}", summary="Versions, newest first")
    def versions(folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        return ok(backend.public_versions(backend.service(tenant, folder, service, "v1")))

    @router.get("/api/v1/product/{folder}/engines/get/{service}", summary="Schema of the latest version")
    def schema(folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        doc = backend.service(tenant, folder, service, "v1")
        return ok(backend.schema(doc, backend.pick_version(doc)))

    @router.get("/api/v1/product/{folder}/engines/{service}/download/", summary="Download the latest workbook")
    @router.get("/api/v1/product/{folder}/engines/{service}/download/{version_id}", summary="Download a workbook")
    def download(folder: str, service: str, request: Request, version_id: str = "") -> Response:
        _, tenant = caller(request, "v1")
        doc = backend.service(tenant, folder, service, "v1")
        version = backend.pick_version(doc, version_id or None)
        filename, content = backend.file(version["document"])
        name = request.query_params.get("filename") or filename
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return Response(content, media_type=XLSX, headers={"content-disposition": disposition})

    @router.delete("/api/v1/product/{folder}/engines/delete/{service}", summary="Delete a service and its versions")
    def service_delete(folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        backend.delete_service(tenant, folder, service)
        return ok()

    # -- services (v3) -------------------------------------------------------------------------
    @router.get(LOC + "/exists", summary="Does a service exist")
    def service_exists(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        return v3(
            {
                "response_data": {"is_exists": backend.service_or_none(tenant, folder, service) is not None},
                "response_meta": {"system": "SPARK", "request_timestamp": now_iso()},
            }
        )

    @router.post(LOC + "/upload", summary="Upload a workbook and start compiling it")
    async def upload(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        form = await request.form()
        entity_text = _s(form.get("engineUploadRequestEntity")) or "{}"
        try:
            entity = json.loads(entity_text)
        except ValueError:
            raise bad_request("v3", "engineUploadRequestEntity is not JSON") from None
        upload_file = form.get("serviceFile")
        if upload_file is None or isinstance(upload_file, str):
            raise bad_request("v3", "serviceFile is required")
        content = await upload_file.read()
        return v3(backend.upload(tenant, folder, service, entity, upload_file.filename or f"{service}.xlsx", content))

    @router.get(LOC + "/getcompilationprogess/{job_id}", summary="Compilation progress (sic)")
    def compilation(tenant: str, folder: str, service: str, job_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        return v3(
            {
                "response_data": backend.compilation(tenant, job_id),
                "response_meta": {"system": "SPARK", "request_timestamp": now_iso()},
            }
        )

    @router.post(LOC + "/publish", summary="Publish a compiled upload as a new version")
    async def publish(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        body = await json_body(request)
        return v3(backend.publish(tenant, folder, service, body.get("request_data") or {}))

    @router.get(LOC + "/metadata", summary="Service metadata")
    def metadata(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        doc = backend.service(tenant, folder, service)
        version = backend.pick_version(doc)
        outputs = backend.evaluate(doc, version, {})
        meta = backend.execute(doc, version, {}, {})["response_meta"]
        inputs = backend.schema(doc, version)["engineInputs"]
        return v3(
            {
                "response_data": {
                    "outputs": outputs,
                    "inputs": inputs,
                    "warnings": None,
                    "errors": None,
                    "service_chain": None,
                },
                "response_meta": meta,
            }
        )

    async def _execute(request: Request, doc: dict[str, Any], version_id: str | None = None) -> JSONResponse:
        body = await json_body(request)
        meta = body.get("request_meta") or {}
        inputs = (body.get("request_data") or {}).get("inputs") or {}
        if not isinstance(inputs, dict):
            raise bad_request("v3", "request_data.inputs must be an object")
        version = backend.pick_version(doc, version_id or meta.get("version_id"), meta.get("version"))
        return JSONResponse(backend.execute(doc, version, inputs, meta))

    @router.post(LOC + "/execute", summary="Execute (v3)")
    async def execute(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        return await _execute(request, backend.service(tenant, folder, service))

    @router.post(V3 + "/service/{service_id}", summary="Execute by service id (v3)")
    async def execute_by_service(tenant: str, service_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        doc, _ = backend.locate(tenant, service_id=service_id)
        return await _execute(request, doc)

    @router.post(V3 + "/version/{version_id}", summary="Execute by version id (v3)")
    async def execute_by_version(tenant: str, version_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        doc, _ = backend.locate(tenant, version_id=version_id)
        return await _execute(request, doc, version_id)

    @router.post(LOC + "/validation", summary="Input validations")
    async def validation(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
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
        _, tenant = caller(request, "v3", tenant)
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
    async def search(tenant: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
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

    @router.post(LOC + "/recompileNodgen", summary="Recompile the latest (or a given) version as a new version")
    async def recompile(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        body = (await json_body(request)).get("request_data") or {}
        doc = backend.service(tenant, folder, service)
        version = backend.pick_version(doc, body.get("versionId"))
        filename, content = backend.file(version["document"])
        entity = {"request_data": {"version_difference": body.get("upgradeType") or "patch"}}
        uploaded = backend.upload(tenant, folder, service, entity, filename, content)["response_data"]
        published = backend.publish(
            tenant,
            folder,
            service,
            {
                "engine_file_documentid": uploaded["engine_file_documentid"],
                "version_difference": body.get("upgradeType") or "patch",
                "release_note": body.get("releaseNotes"),
                "version_label": body.get("label"),
                "tags": body.get("tags"),
            },
        )
        new = backend.pick_version(backend.service(tenant, folder, service), published["response_data"]["version_id"])
        return v3(
            {
                "response_data": {
                    "versionId": new["id"],
                    "revision": new["revision"],
                    "jobId": uploaded["nodegen_compilation_jobid"],
                },
                "response_meta": {},
            }
        )

    # -- execute (v4) --------------------------------------------------------------------------
    @router.post("/{tenant}/api/v4/execute", summary="Execute a batch of records (v4)")
    async def execute_v4(tenant: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        body = await json_body(request)
        doc, version = _v4_target(backend, tenant, body)
        records = _records(body.get("inputs"))
        results, times = [], []
        for record in records:
            response = backend.execute(doc, version, record, body)
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
                "correlation_id": body.get("correlation_id"),
                "request_timestamp": meta["request_timestamp"],
            }
        )

    return router


def _s(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _v4_target(backend: SparkBackend, tenant: str, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    service = str(body.get("service") or "")
    version_id = body.get("version_id")
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
        return [dict(zip(header, row, strict=False)) for row in rows]
    if not all(isinstance(r, dict) for r in inputs):
        raise bad_request("v3", "inputs must be a list of objects or a table with a header row")
    return list(inputs)


class TokenLifetime(BaseModel):
    """Body of ``PUT /_admin/spark/token-lifetime``."""

    seconds: float = Field(gt=0)


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
