"""Service routes: the api/v1 engine catalogue and the v3 service lifecycle.

api/v1 ``product/{folder}/engines/*``: list, versions, schema, workbook download, delete.
v3 ``folders/{folder}/services/{service}/*``: exists, upload, compilation progress, publish,
metadata, and recompile (a new version from an existing one's workbook).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import JSONResponse, Response

from ...bodies import MAX_UPLOAD_SIZE, parse_json
from ..backend import SparkBackend, now_iso
from ..errors import bad_request
from .common import LOC, caller, ok, v3
from .models import EnginesListBody, PublishBody, RecompileBody, UploadForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def add_service_routes(router: APIRouter, backend: SparkBackend) -> None:
    """The engine catalogue (api/v1) and the service lifecycle (v3)."""

    # -- api/v1 engines --------------------------------------------------------------------
    @router.post("/api/v1/product/{folder}/engines", summary="List a folder's services")
    def services_list(folder: str, request: Request, body: EnginesListBody | None = None) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        items = [
            {"serviceName": s["name"], "id": s["id"], "version": s["versions"][-1]["revision"]}
            for s in backend.services(tenant, folder)
        ]
        return ok(items, count=len(items))

    @router.get("/api/v1/product/{folder}/engines/getversions/{service}", summary="Versions, newest first")
    def versions(folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        return ok(backend.public_versions(backend.service(tenant, folder, service, "v1")))

    @router.get("/api/v1/product/{folder}/engines/get/{service}", summary="Schema of the latest version")
    def schema(folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        doc = backend.service(tenant, folder, service, "v1")
        return ok(backend.schema(doc, backend.pick_version(doc)))

    @router.get("/api/v1/product/{folder}/engines/{service}/download/", summary="Download the latest workbook")
    @router.get("/api/v1/product/{folder}/engines/{service}/download/{version_id}", summary="Download a workbook")
    def download(folder: str, service: str, request: Request, version_id: str = "") -> Response:
        _, tenant = caller(backend, request, "v1")
        doc = backend.service(tenant, folder, service, "v1")
        version = backend.pick_version(doc, version_id or None)
        filename, content = backend.file(version["document"])
        name = request.query_params.get("filename") or filename
        disposition = f"attachment; filename*=UTF-8''{quote(name)}"
        return Response(content, media_type=XLSX, headers={"content-disposition": disposition})

    @router.delete("/api/v1/product/{folder}/engines/delete/{service}", summary="Delete a service and its versions")
    def service_delete(folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        backend.delete_service(tenant, folder, service)
        return ok()

    # -- v3 services -----------------------------------------------------------------------
    @router.get(LOC + "/exists", summary="Does a service exist")
    def service_exists(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
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
        _, tenant = caller(backend, request, "v3", tenant)
        entity = _upload_entity(form.engineUploadRequestEntity or "{}")
        service_file = form.serviceFile
        if service_file is None:
            raise bad_request("v3", "serviceFile is required")
        content = await service_file.read()
        filename = service_file.filename or f"{service}.xlsx"
        return v3(backend.upload(tenant, folder, service, entity, filename, content))

    @router.get(LOC + "/getcompilationprogess/{job_id}", summary="Compilation progress (sic)")
    def compilation(tenant: str, folder: str, service: str, job_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
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
        _, tenant = caller(backend, request, "v3", tenant)
        request_data = (body or PublishBody()).request_data.model_dump()
        return v3(backend.publish(tenant, folder, service, request_data))

    @router.get(LOC + "/metadata", summary="Service metadata")
    def metadata(tenant: str, folder: str, service: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
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

    @router.post(LOC + "/recompileNodgen", summary="Recompile the latest (or a given) version as a new version")
    def recompile(
        tenant: str, folder: str, service: str, request: Request, body: RecompileBody | None = None
    ) -> JSONResponse:
        _, tenant = caller(backend, request, "v3", tenant)
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
