"""Spark HTTP routes under ``/spark`` (``{value}`` = ``<root>/spark``) and admin routes (``/_admin/spark``).

api/v1 routes take the tenant from ``x-tenant-name`` only; v3/v4 routes carry it in the path
(``/spark/{tenant}/api/v3/...``) and it must match the credentials' tenant. Every response
echoes the request's ``x-request-id``.

Request bodies are declared as models (JSON) or form fields (urlencoded and multipart); the
models keep the keys the official clients send and accept any extra keys. Upload routes take
bodies up to :data:`~..bodies.MAX_UPLOAD_SIZE`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse, Response

from ..bodies import MAX_UPLOAD_SIZE, parse_json
from ..bodies import Name as NameText
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


#: Upper bound of page numbers and page sizes.
MAX_PAGE = 1_000_000
Text = str | None
Tags = str | list[str] | None


class TokenForm(BaseModel):
    """Urlencoded body of the OAuth2 token endpoint (checked by the endpoint, which answers OAuth2 errors)."""

    client_id: Text = None
    client_secret: Text = None
    grant_type: Text = None


class FolderForm(BaseModel):
    """Form body of ``POST product/create`` (urlencoded, or multipart from the TS SDK)."""

    Name: NameText | None = None
    Description: Text = None
    Category: Text = None
    Status: Text = None
    StartDate: Text = None
    LaunchDate: Text = None


class CoverForm(BaseModel):
    """Multipart body of ``POST product/uploadcoverimage``."""

    id: Text = None
    coverImage: UploadFile | None = None


class UploadForm(BaseModel):
    """Multipart body of ``upload``: the JSON entity as a text part and the workbook."""

    engineUploadRequestEntity: Text = None
    serviceFile: UploadFile | None = None


class _Body(BaseModel):
    """A JSON body: the keys the emulator reads are typed, any other key is accepted."""

    model_config = ConfigDict(extra="allow")


class SearchTerm(_Body):
    """One ``{"field", "value"}`` filter of ``product/list``."""

    field: str = ""
    value: Any = None


class FolderListBody(_Body):
    """Body of ``POST product/list``."""

    search: list[SearchTerm] | None = None
    page: int | None = Field(None, ge=0, le=MAX_PAGE)
    pageSize: int | None = Field(None, ge=0, le=MAX_PAGE)
    sort: Text = None


class FolderUpdateBody(_Body):
    """Body of ``POST product/update/{id}`` (a partial overwrite)."""

    description: Text = None
    category: Text = None
    startDate: Text = None
    launchDate: Text = None


class CategoryBody(_Body):
    """Body of ``POST lookup/savecategory``."""

    key: NameText | None = None
    value: Text = None
    icon: Text = None


class EnginesListBody(_Body):
    """Body of ``POST product/{folder}/engines`` (paging is not applied)."""

    page: int | None = Field(None, ge=0, le=MAX_PAGE)
    pageSize: int | None = Field(None, ge=0, le=MAX_PAGE)
    search: list[Any] | None = None
    sort: Text = None


class PublishData(_Body):
    """``request_data`` of ``publish``."""

    engine_file_documentid: Text = None
    version_difference: Text = None
    version_label: Text = None
    release_note: Text = None
    tags: Tags = None
    effective_start_date: Text = None
    effective_end_date: Text = None


class PublishBody(_Body):
    """Body of ``publish``."""

    request_data: PublishData = Field(default_factory=PublishData)


class ExecuteData(_Body):
    """``request_data`` of a v3 execution."""

    inputs: dict[str, Any] | None = None


class ExecuteMeta(_Body):
    """``request_meta`` of a v3 execution (the version is picked by id, else by revision)."""

    version_id: Text = None
    version: Text = None
    correlation_id: Text = None
    response_data_inputs: bool | None = None


class ExecuteBody(_Body):
    """Body of a v3 execution."""

    request_data: ExecuteData = Field(default_factory=ExecuteData)
    request_meta: ExecuteMeta = Field(default_factory=ExecuteMeta)


class SearchBody(_Body):
    """Body of ``services/search`` (filters and paging are not applied)."""

    request_data: dict[str, Any] | None = None


class RecompileData(_Body):
    """``request_data`` of ``recompileNodgen``."""

    versionId: Text = None
    upgradeType: Text = None
    releaseNotes: Text = None
    label: Text = None
    tags: Tags = None


class RecompileBody(_Body):
    """Body of ``recompileNodgen``."""

    request_data: RecompileData = Field(default_factory=RecompileData)


class V4Body(_Body):
    """Body of a v4 execution: records as objects, or a table whose first row is the header."""

    inputs: list[dict[str, Any] | list[Any]] | None = None
    service: Text = None
    version_id: Text = None
    correlation_id: Text = None
    response_data_inputs: bool | None = None


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
    def token(realm: str, form: Annotated[TokenForm, Form()]) -> JSONResponse:
        try:
            issued = backend.issue_token(realm, form.client_id, form.client_secret, form.grant_type)
        except SparkFailure as failure:
            return JSONResponse({"error": failure.code, "error_description": failure.message}, status_code=400)
        return JSONResponse(issued)

    # -- folders (api/v1) --------------------------------------------------------------------
    @router.post("/api/v1/product/isproductexists/{name}", summary="Does a folder exist")
    def folder_exists(name: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        return ok(backend.folder(tenant, name) is not None)

    @router.post("/api/v1/product/list", summary="Find folders")
    def folder_list(request: Request, body: FolderListBody | None = None) -> JSONResponse:
        _, tenant = caller(request, "v1")
        body = body or FolderListBody()
        items = [backend.folder_info(tenant, f) for f in backend.folders(tenant)]
        for term in body.search or []:
            if term.field == "name" and term.value:
                items = [f for f in items if str(term.value).lower() in f["name"].lower()]
            elif term.field == "isstarred":
                items = [f for f in items if f["isStarred"] == bool(term.value)]
        items.sort(key=lambda f: f["lastModifiedDate"], reverse=(body.sort or "-updated").startswith("-"))
        size = body.pageSize or 100
        page = body.page or 1
        sliced = items[(page - 1) * size : page * size]
        return ok(sliced, count=len(items), next=None, previous=None)

    @router.post("/api/v1/product/create", summary="Create a folder (form)")
    def folder_create(request: Request, form: Annotated[FolderForm, Form()]) -> JSONResponse:
        _, tenant = caller(request, "v1")
        folder = backend.create_folder(tenant, form.model_dump())
        if folder is None:
            return JSONResponse(
                {
                    "status": "Error",
                    "data": None,
                    "message": f"folder {form.Name} already exists",
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
    def folder_update(folder_id: str, request: Request, body: FolderUpdateBody | None = None) -> JSONResponse:
        _, tenant = caller(request, "v1")
        backend.update_folder(tenant, folder_id, (body or FolderUpdateBody()).model_dump(exclude_none=True))
        return ok()

    @router.delete("/api/v1/product/delete/{folder_id}", summary="Delete a folder and all its services")
    def folder_delete(folder_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(request, "v1")
        backend.delete_folder(tenant, folder_id)
        return ok()

    @router.post(
        "/api/v1/product/uploadcoverimage", summary="Upload a folder cover image", max_body_size=MAX_UPLOAD_SIZE
    )
    @router.post("/api/v1/product/UploadCoverImage", include_in_schema=False, max_body_size=MAX_UPLOAD_SIZE)
    async def folder_cover(request: Request, form: Annotated[CoverForm, Form()]) -> JSONResponse:
        _, tenant = caller(request, "v1")
        image = form.coverImage
        if image is None:
            raise bad_request("v1", "coverImage file is required")
        backend.set_cover(tenant, form.id or "", image.filename or "cover", await image.read())
        return ok()

    @router.get("/api/v1/lookup/getcategories", summary="Folder categories")
    def categories(request: Request) -> JSONResponse:
        caller(request, "v1")
        return ok(CATEGORIES)

    @router.post("/api/v1/lookup/savecategory", summary="Save a category")
    def save_category(request: Request, body: CategoryBody | None = None) -> JSONResponse:
        caller(request, "v1")
        body = body or CategoryBody()
        items: list[dict[str, Any]] = [c for c in CATEGORIES if c["key"] != body.key]
        items.append({"key": body.key, "value": body.value, "icon": body.icon})
        return ok({"Metadata.ProductCategories": [{k.capitalize(): v for k, v in c.items()} for c in items]})

    # -- services (api/v1 parts) ---------------------------------------------------------------
    @router.post("/api/v1/product/{folder}/engines", summary="List a folder's services")
    def services_list(folder: str, request: Request, body: EnginesListBody | None = None) -> JSONResponse:
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

    @router.post(LOC + "/upload", summary="Upload a workbook and start compiling it", max_body_size=MAX_UPLOAD_SIZE)
    async def upload(
        tenant: str,
        folder: str,
        service: str,
        request: Request,
        form: Annotated[UploadForm, Form()],
    ) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        entity = _upload_entity(form.engineUploadRequestEntity or "{}")
        service_file = form.serviceFile
        if service_file is None:
            raise bad_request("v3", "serviceFile is required")
        content = await service_file.read()
        filename = service_file.filename or f"{service}.xlsx"
        return v3(backend.upload(tenant, folder, service, entity, filename, content))

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
    def publish(
        tenant: str, folder: str, service: str, request: Request, body: PublishBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        request_data = (body or PublishBody()).request_data.model_dump()
        return v3(backend.publish(tenant, folder, service, request_data))

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

    def _execute(body: ExecuteBody | None, doc: dict[str, Any], version_id: str | None = None) -> JSONResponse:
        body = body or ExecuteBody()
        meta = body.request_meta
        inputs = body.request_data.inputs or {}
        version = backend.pick_version(doc, version_id or meta.version_id, meta.version)
        return JSONResponse(backend.execute(doc, version, inputs, meta.model_dump()))

    @router.post(LOC + "/execute", summary="Execute (v3)")
    def execute(
        tenant: str, folder: str, service: str, request: Request, body: ExecuteBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        return _execute(body, backend.service(tenant, folder, service))

    @router.post(V3 + "/service/{service_id}", summary="Execute by service id (v3)")
    def execute_by_service(
        tenant: str, service_id: str, request: Request, body: ExecuteBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        doc, _ = backend.locate(tenant, service_id=service_id)
        return _execute(body, doc)

    @router.post(V3 + "/version/{version_id}", summary="Execute by version id (v3)")
    def execute_by_version(
        tenant: str, version_id: str, request: Request, body: ExecuteBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        doc, _ = backend.locate(tenant, version_id=version_id)
        return _execute(body, doc, version_id)

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
    def search(tenant: str, request: Request, body: SearchBody | None = None) -> JSONResponse:
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
    def recompile(
        tenant: str, folder: str, service: str, request: Request, body: RecompileBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
        data = (body or RecompileBody()).request_data
        doc = backend.service(tenant, folder, service)
        version = backend.pick_version(doc, data.versionId)
        filename, content = backend.file(version["document"])
        entity = {"request_data": {"version_difference": data.upgradeType or "patch"}}
        uploaded = backend.upload(tenant, folder, service, entity, filename, content)["response_data"]
        published = backend.publish(
            tenant,
            folder,
            service,
            {
                "engine_file_documentid": uploaded["engine_file_documentid"],
                "version_difference": data.upgradeType or "patch",
                "release_note": data.releaseNotes,
                "version_label": data.label,
                "tags": data.tags,
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
    def execute_v4(tenant: str, request: Request, body: V4Body | None = None) -> JSONResponse:
        _, tenant = caller(request, "v3", tenant)
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

    return router


def _upload_entity(text: str) -> dict[str, Any]:
    """The parsed ``engineUploadRequestEntity`` form field (a JSON object)."""
    try:
        entity = parse_json(text)
    except ValueError:
        raise bad_request("v3", "engineUploadRequestEntity is not JSON") from None
    request_data = entity.get("request_data") if isinstance(entity, dict) else None
    if not isinstance(entity, dict) or not isinstance(request_data, dict | None):
        raise bad_request("v3", "engineUploadRequestEntity must be an object with an object request_data")
    return entity


def _v4_target(backend: SparkBackend, tenant: str, body: V4Body) -> tuple[dict[str, Any], dict[str, Any]]:
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
