"""Folder routes (api/v1 ``product/*``): find, create, read, update, delete, cover image, categories.

They take the tenant from ``x-tenant-name`` and answer in the api/v1 envelope.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import JSONResponse

from ...bodies import MAX_UPLOAD_SIZE
from ..backend import CATEGORIES, SparkBackend
from ..errors import bad_request
from .common import caller, ok, spark_url
from .models import CategoryBody, CoverForm, FolderForm, FolderListBody, FolderUpdateBody


def add_folder_routes(router: APIRouter, backend: SparkBackend) -> None:
    """The ``/api/v1/product/*`` folder routes and the ``/api/v1/lookup/*`` category routes."""

    @router.post("/api/v1/product/isproductexists/{name}", summary="Does a folder exist")
    def folder_exists(name: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        return ok(backend.folder(tenant, name) is not None)

    @router.post("/api/v1/product/list", summary="Find folders")
    def folder_list(request: Request, body: FolderListBody | None = None) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
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
        _, tenant = caller(backend, request, "v1")
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
        url = f"{spark_url(request)}/api/v1/product/GetProductDetailById/{folder['id']}"
        return ok({"folderId": folder["id"], "get_product_url": url})

    @router.get("/api/v1/product/GetProductDetailById/{folder_id}", summary="One folder by id")
    def folder_get(folder_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
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
        _, tenant = caller(backend, request, "v1")
        backend.update_folder(tenant, folder_id, (body or FolderUpdateBody()).model_dump(exclude_none=True))
        return ok()

    @router.delete("/api/v1/product/delete/{folder_id}", summary="Delete a folder and all its services")
    def folder_delete(folder_id: str, request: Request) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        backend.delete_folder(tenant, folder_id)
        return ok()

    @router.post(
        "/api/v1/product/uploadcoverimage", summary="Upload a folder cover image", max_body_size=MAX_UPLOAD_SIZE
    )
    @router.post("/api/v1/product/UploadCoverImage", include_in_schema=False, max_body_size=MAX_UPLOAD_SIZE)
    async def folder_cover(request: Request, form: Annotated[CoverForm, Form()]) -> JSONResponse:
        _, tenant = caller(backend, request, "v1")
        image = form.coverImage
        if image is None:
            raise bad_request("v1", "coverImage file is required")
        backend.set_cover(tenant, form.id or "", image.filename or "cover", await image.read())
        return ok()

    @router.get("/api/v1/lookup/getcategories", summary="Folder categories")
    def categories(request: Request) -> JSONResponse:
        caller(backend, request, "v1")
        return ok(CATEGORIES)

    @router.post("/api/v1/lookup/savecategory", summary="Save a category")
    def save_category(request: Request, body: CategoryBody | None = None) -> JSONResponse:
        caller(backend, request, "v1")
        body = body or CategoryBody()
        items: list[dict[str, Any]] = [c for c in CATEGORIES if c["key"] != body.key]
        items.append({"key": body.key, "value": body.value, "icon": body.icon})
        return ok({"Metadata.ProductCategories": [{k.capitalize(): v for k, v in c.items()} for c in items]})
