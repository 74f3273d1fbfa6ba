"""Aerostack HTTP routes (under `/aerostack/v1`) and admin routes (`/_admin/aerostack`).

Statuses, content types and bodies are what the official `aerostack` 0.1.2 client requires:
201 for signup and enqueue, 200 otherwise, `application/json`, and errors as
`{"code": <enum>, "message": ...}` with an `x-request-id` header. `storage/upload` takes bodies
up to :data:`~..bodies.MAX_UPLOAD_SIZE` (the platform's own limit is not documented).
"""

import uuid
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request, Security, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import FileResponse, JSONResponse, Response

from ..bodies import MAX_UPLOAD_SIZE, Name
from ..spec import ServiceContext
from .backend import AerostackBackend, AerostackError

#: Where the API lives under the platform prefix (the object URLs of `add_files_route` do not).
API_PATH = "/v1"

api_key_header = APIKeyHeader(name="X-Aerostack-Key", auto_error=False, description="The raw API key.")
CODES = {400: "VALIDATION_ERROR", 401: "AUTH_INVALID_KEY", 429: "RATE_LIMIT_EXCEEDED"}
#: Longest ttl, delay or clock step in seconds (about 68 years: datetimes stay in range).
MAX_SECONDS = 2**31 - 1


def render_error(status: int, message: str, code: str | None = None) -> Response:
    """The platform's error body; `code` is always a value of the client's enum."""
    code = code or CODES.get(status, "INTERNAL_ERROR" if status >= 500 else "VALIDATION_ERROR")
    headers = {"x-request-id": f"req_{uuid.uuid4().hex[:16]}"}
    return JSONResponse({"code": code, "message": message}, status_code=status, headers=headers)


class AerostackRoute(APIRoute):
    """Renders `AerostackError` with its code and stamps every response with a request id."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                response = await handler(request)
            except AerostackError as exc:
                return render_error(exc.status, exc.message, exc.code)
            response.headers.setdefault("x-request-id", f"req_{uuid.uuid4().hex[:16]}")
            return response

        return run


class _Body(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Message(_Body):
    content: str | None = None
    role: Literal["system", "user", "assistant"] | None = None


class ChatBody(_Body):
    messages: list[Message]
    model: str | None = None


class SigninBody(_Body):
    email: Name
    password: str


class SignupBody(SigninBody):
    name: Name | None = None
    metadata: dict[str, Any] | None = None


class CacheGetBody(_Body):
    key: Name = Field(min_length=1)


class CacheSetBody(CacheGetBody):
    value: Any = Field(...)
    ttl: int | None = Field(None, le=MAX_SECONDS)


class QueryBody(_Body):
    sql: str = Field(min_length=1)
    params: list[Any] | None = None


class EnqueueBody(_Body):
    data: dict[str, Any]
    type: Name = Field(min_length=1)
    delay: int | None = Field(None, le=MAX_SECONDS)


class InvokeBody(_Body):
    data: dict[str, Any]
    service_name: Name = Field(alias="serviceName", min_length=1)


class ServiceRegistration(BaseModel):
    """`static` answers `result`; `echo` answers the data back; `http` forwards to a loopback `url`."""

    kind: Literal["static", "echo", "http"] = "static"
    result: Any = None
    url: str | None = None


class UploadForm(_Body):
    """Multipart body of `storage/upload`: the key, an optional content type and the file."""

    key: Name | None = None
    content_type: str | None = Field(None, alias="contentType")
    file: UploadFile | None = None


class ClockStep(BaseModel):
    """Body of `POST /_admin/aerostack/clock`."""

    advance_seconds: float = Field(0, ge=-MAX_SECONDS, le=MAX_SECONDS)


class TokenCheck(BaseModel):
    """Body of `POST /_admin/aerostack/verify-token`."""

    token: str = ""


def _ok(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def build_router(ctx: ServiceContext, backend: AerostackBackend) -> APIRouter:
    """The public Aerostack API."""
    router = APIRouter(tags=["aerostack"], route_class=AerostackRoute)

    def caller(key: Annotated[str | None, Security(api_key_header)] = None) -> str:
        return backend.tenant(key)

    Tenant = Annotated[str, Depends(caller)]

    @router.post(API_PATH + "/ai/chat", summary="Deterministic labelled answer (no model)")
    def ai_chat(_: Tenant, body: ChatBody) -> JSONResponse:
        messages = [m.model_dump(exclude_none=True) for m in body.messages]
        return _ok({"response": backend.chat(messages, body.model)})

    @router.post(API_PATH + "/auth/signup", summary="Create a user (201)")
    def auth_signup(tenant: Tenant, body: SignupBody) -> JSONResponse:
        return _ok(backend.signup(tenant, body.email, body.password, body.name, body.metadata), 201)

    @router.post(API_PATH + "/auth/signin", summary="Sign a user in")
    def auth_signin(tenant: Tenant, body: SigninBody) -> JSONResponse:
        return _ok(backend.signin(tenant, body.email, body.password))

    @router.post(API_PATH + "/cache/get", summary="Read a cache entry")
    def cache_get(tenant: Tenant, body: CacheGetBody) -> JSONResponse:
        return _ok(backend.cache_get(tenant, body.key))

    @router.post(API_PATH + "/cache/set", summary="Write a cache entry (ttl in seconds)")
    def cache_set(tenant: Tenant, body: CacheSetBody) -> JSONResponse:
        backend.cache_set(tenant, body.key, body.value, body.ttl)
        return _ok({"success": True})

    @router.post(API_PATH + "/db/query", summary="Run one SQL statement on the caller's SQLite database")
    def db_query(tenant: Tenant, body: QueryBody) -> JSONResponse:
        return _ok(backend.db_query(tenant, body.sql, body.params or []))

    @router.post(API_PATH + "/queue/enqueue", summary="Persist a job (201)")
    def queue_enqueue(tenant: Tenant, body: EnqueueBody) -> JSONResponse:
        return _ok({"jobId": backend.enqueue(tenant, body.type, body.data, body.delay), "success": True}, 201)

    @router.post(API_PATH + "/services/invoke", summary="Call a service registered through the admin API")
    def services_invoke(tenant: Tenant, body: InvokeBody) -> JSONResponse:
        return _ok({"result": backend.invoke(tenant, body.service_name, body.data), "success": True})

    @router.post(
        API_PATH + "/storage/upload",
        summary="Store a multipart upload under the data dir",
        max_body_size=MAX_UPLOAD_SIZE,
    )
    async def storage_upload(tenant: Tenant, request: Request, form: Annotated[UploadForm, Form()]) -> JSONResponse:
        key, upload = form.key, form.file
        if key is None or upload is None:
            raise AerostackError(400, "VALIDATION_ERROR", "multipart parts 'key' and 'file' are required")
        content_type = form.content_type or upload.content_type or "application/octet-stream"
        await run_in_threadpool(backend.store_object, tenant, key, upload.file, content_type, upload.filename)
        url = f"{str(request.base_url).rstrip('/')}{request.scope.get('root_path', '')}"
        return _ok({"url": f"{url}/aerostack/files/{tenant}/{quote(key, safe='/')}"})

    return router


def add_files_route(router: APIRouter, backend: AerostackBackend) -> None:
    """Public, unauthenticated object URLs (as a CDN would serve them), outside the API path."""

    @router.get("/files/{tenant}/{key:path}", summary="Download an uploaded object")
    def download(tenant: str, key: str) -> FileResponse:
        path, doc = backend.object(tenant, key)
        return FileResponse(path, media_type=doc["content_type"])


def build_admin_router(backend: AerostackBackend) -> APIRouter:
    """`/_admin/aerostack`: services, keys, clock, jobs, token checks."""
    router = APIRouter(tags=["admin"], route_class=AerostackRoute)

    @router.put("/services/{name}", summary="Register (or replace) a service for services/invoke")
    def register_service(name: str, body: ServiceRegistration) -> dict[str, Any]:
        backend.register_service(name, body.model_dump())
        return {"name": name, **body.model_dump()}

    @router.post("/keys/{api_key}", summary="Accept another API key (a separate tenant)")
    def add_key(api_key: str) -> dict[str, str]:
        return {"tenant": backend.add_key(api_key)}

    @router.post("/clock", summary="Move the emulator's clock forward (cache ttl, token expiry)")
    def advance_clock(body: ClockStep) -> dict[str, float]:
        backend.clock_offset += body.advance_seconds
        return {"offset_seconds": backend.clock_offset}

    @router.get("/jobs", summary="Persisted queue jobs")
    def jobs() -> list[dict[str, Any]]:
        return [r.doc for r in ctx_jobs(backend)]

    @router.post("/verify-token", summary="Check a signed session token; 401 when invalid or expired")
    def verify_token(body: TokenCheck) -> dict[str, Any]:
        try:
            return backend.verify_token(body.token)
        except ValueError as exc:
            raise AerostackError(401, "AUTH_INVALID_CREDENTIALS", str(exc)) from None

    return router


def ctx_jobs(backend: AerostackBackend) -> list[Any]:
    return backend.ctx.store.page("aerostack", "jobs").items
