"""Typed Spark client over the shared HTTP core.

Differences from the official `cspark` client, on purpose: 5xx and dropped connections are
retried for safe calls (GETs, exists/list/execute, update, delete, upload, which only makes a
draft), compilation is polled against a deadline instead of a fixed number of polls, OAuth2
tokens are refreshed before expiry, and errors carry status, Spark error code, message and
request id. Folder create and publish are never blindly retried: the provider checks first.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlparse

import httpx
from pydantic import TypeAdapter

from ..core import (
    APIStatusError,
    Auth,
    BaseClient,
    BearerAuth,
    ClientOptions,
    ConflictError,
    ErrorBody,
    HeaderKeyAuth,
    NoAuth,
    NotFoundError,
    RetryPolicy,
)
from ..core.client import request_id_of
from ..core.errors import ErrorHints
from ..core.oauth2 import OAuth2ClientCredentials
from ..polling import wait_for
from ..settings import SettingsError, shown
from ..timeouts import Deadline
from . import SETTINGS
from .models import CompilationStatus, Execution, FolderInfo, ServiceSchema, Upload, VersionInfo

PLATFORM = "Spark"
PUBLIC = "open"
SPARK_UA = "agent=pulumi-dataplatforms/0.1.0"
_COHERENT = re.compile(r"^https://([^./]+)\.((?:[^./]+\.)?[^./]+)\.coherent\.global(/.*)?$", re.IGNORECASE)
_SERVICES = ("excel", "keycloak", "utility", "entitystore", "mcp")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ERROR_HINTS = ErrorHints(
    base_url=f"{shown(SETTINGS, 'spark:baseUrl')}, {shown(SETTINGS, 'spark:tenant')} and {shown(SETTINGS, 'spark:env')}",
    credentials=(
        f"{shown(SETTINGS, 'spark:apiKey')}, {shown(SETTINGS, 'spark:token')} or "
        f"{shown(SETTINGS, 'spark:clientId', 'spark:clientSecret')}"
    ),
)


class SparkConfigError(SettingsError, ValueError):
    """The settings do not say where Spark is or how to authenticate."""


@dataclass(frozen=True)
class Endpoint:
    """`value` = scheme://host[/path] without tenant; `full` = value/tenant; the OAuth2 token URL."""

    value: str
    tenant: str

    @property
    def full(self) -> str:
        return f"{self.value}/{self.tenant}"

    @property
    def token_url(self) -> str:
        keycloak = self.value.replace("excel", "keycloak") if _COHERENT.match(self.value + "/") else self.value
        return f"{keycloak}/auth/realms/{self.tenant}/protocol/openid-connect/token"


def resolve_endpoint(base_url: str | None, tenant: str | None, env: str | None) -> Endpoint:
    """Spark's own base-URL rules: a `*.coherent.global` URL may carry the tenant; env builds one."""
    if base_url:
        match = _COHERENT.match(base_url.rstrip("/"))
        if match:
            service, env_part, path = match.groups()
            service = service.lower() if service.lower() in _SERVICES else "excel"
            value = f"https://{service}.{env_part.lower()}.coherent.global"
            segment = (path or "").strip("/").split("/")[0]
            tenant = tenant or segment or None
        else:
            parsed = urlparse(base_url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                raise SparkConfigError(f"spark:baseUrl {base_url!r} is not an http(s) URL")
            value = base_url.rstrip("/")
    elif env:
        value = f"https://excel.{env.strip().lower()}.coherent.global"
        tenant = tenant.lower() if tenant else tenant
    else:
        raise SparkConfigError("set spark:baseUrl (or CSPARK_BASE_URL), or spark:env with spark:tenant")
    if not tenant:
        raise SparkConfigError("set spark:tenant (or CSPARK_TENANT): the base URL does not name a tenant")
    return Endpoint(value, tenant)


def choose_auth(
    endpoint: Endpoint,
    api_key: str | None,
    token: str | None,
    client_id: str | None,
    client_secret: str | None,
) -> Auth:
    """OAuth2 > API key > bearer token, as the official client; `open` means no credentials."""
    if client_id and client_secret:
        return OAuth2ClientCredentials(endpoint.token_url, client_id, client_secret, platform=PLATFORM)
    if api_key:
        return NoAuth() if api_key == PUBLIC else HeaderKeyAuth("x-synthetic-key", api_key)
    if token:
        token = re.sub(r"^bearer\s+", "", token.strip(), flags=re.IGNORECASE)
        return NoAuth() if token == PUBLIC else BearerAuth(token)
    raise SparkConfigError(
        "no Spark credentials: set spark:apiKey, spark:token, or spark:clientId + spark:clientSecret "
        "(or CSPARK_API_KEY, CSPARK_BEARER_TOKEN, CSPARK_CLIENT_ID + CSPARK_CLIENT_SECRET)"
    )


def parse_error(response: httpx.Response) -> ErrorBody:
    """v1 `{message, errorCode}`, v3/v4 `{error:{message: CODE, additional_details}}`, OAuth `{error, ...}`."""
    request_id = request_id_of(response)
    try:
        body = response.json()
    except ValueError:
        return ErrorBody(None, response.text[:300] or response.reason_phrase, request_id)
    if not isinstance(body, dict):
        return ErrorBody(None, str(body)[:300], request_id)
    error = body.get("error")
    if isinstance(error, dict):
        code = error.get("message") or error.get("error_type")
        detail = error.get("additional_details") or error.get("message") or response.reason_phrase
        return ErrorBody(None if code is None else str(code), str(detail), request_id)
    code = body.get("errorCode") or (error if isinstance(error, str) else None)
    message = body.get("message") or body.get("error_description") or response.reason_phrase
    return ErrorBody(None if code is None else str(code), str(message), request_id)


def _iso(value: str | datetime | None, default: datetime) -> str:
    if value is None:
        return default.isoformat()
    return value.isoformat() if isinstance(value, datetime) else value


class SparkClient:
    """Folders, services, versions and execution for one tenant and one set of credentials."""

    platform = PLATFORM

    def __init__(self, endpoint: Endpoint, auth: Auth, *, timeout: float = 60.0, retry: RetryPolicy | None = None):
        self.endpoint = endpoint
        options = ClientOptions(
            base_url=endpoint.value,
            timeout=timeout,
            retry=retry or RetryPolicy(max_retries=6),
            headers={"x-tenant-name": endpoint.tenant, "x-spark-ua": SPARK_UA},
            platform=self.platform,
            hints=ERROR_HINTS,
        )
        self._http = BaseClient(options, auth, parse_error)
        self.auth = auth

    def close(self) -> None:
        self._http.close()
        if isinstance(self.auth, OAuth2ClientCredentials):
            self.auth.close()

    # -- plumbing ------------------------------------------------------------------------------
    def _call(self, method: str, url: str, *, idempotent: bool | None = None, **kwargs: Any) -> httpx.Response:
        headers = {"x-request-id": str(uuid.uuid4()), **(kwargs.pop("headers", None) or {})}
        return self._http.request(method, url, idempotent=idempotent, headers=headers, **kwargs)

    def _v1(self, path: str) -> str:
        return f"{self.endpoint.value}/api/v1/{path}"

    def _v3(self, path: str) -> str:
        return f"{self.endpoint.full}/api/v3/{path}"

    @staticmethod
    def loc(folder: str, service: str) -> str:
        return f"folders/{quote(folder, safe='')}/services/{quote(service, safe='')}"

    def _ok(self, response: httpx.Response) -> dict[str, Any]:
        """A JSON object body whose `status`, when present, is Success; else a typed error."""
        body = response.json()
        if not isinstance(body, dict):
            raise self._error(response, None, f"unexpected response: {str(body)[:200]}")
        if str(body.get("status", "Success")).lower() not in ("success", "up"):
            code = body.get("errorCode")
            status = 409 if code == "PRODUCT_ALREADY_EXISTS" else 400
            raise self._error(response, code, str(body.get("message") or "operation failed"), status)
        return body

    def _error(self, response: httpx.Response, code: Any, message: str, status: int = 502) -> APIStatusError:
        return self._http.answer_error(response, message, status=status, code=None if code is None else str(code))

    # -- health ------------------------------------------------------------------------------
    def health(self) -> bool:
        try:
            body = self._call("GET", f"{self.endpoint.value}/health").json()
        except (APIStatusError, ValueError):
            return False
        return isinstance(body, dict) and str(body.get("status", "")).lower() == "up"

    # -- folders -------------------------------------------------------------------------------
    def folder_exists(self, name: str) -> bool:
        body = self._ok(
            self._call("POST", self._v1(f"product/isproductexists/{quote(name, safe='')}"), idempotent=True)
        )
        return body.get("data") is True

    def find_folders(self, name: str | None = None, page: int = 1, size: int = 100) -> list[FolderInfo]:
        search = [{"field": "name", "value": name}] if name else []
        body = {
            "search": search,
            "page": page,
            "pageSize": size,
            "sort": "-updated",
            "shouldFetchActiveServicesCount": True,
        }
        data = self._ok(self._call("POST", self._v1("product/list"), idempotent=True, json=body)).get("data") or []
        return TypeAdapter(list[FolderInfo]).validate_python(data)

    def folder_by_name(self, name: str) -> FolderInfo | None:
        """The folder named exactly `name` (the server's name filter may match substrings)."""
        return next((f for f in self.find_folders(name) if f.name == name), None)

    def folder_by_id(self, folder_id: str, page_size: int = 100) -> FolderInfo | None:
        """The folder with id `folder_id` (there is no get by id: the list, page by page)."""
        for page in itertools.count(1):
            folders = self.find_folders(page=page, size=page_size)
            found = next((f for f in folders if f.id == folder_id), None)
            if found is not None or len(folders) < page_size:
                return found
        raise AssertionError("unreachable")

    def create_folder(
        self,
        name: str,
        *,
        description: str | None = None,
        category: str | None = None,
        start_date: str | None = None,
        launch_date: str | None = None,
        status: str = "Design",
    ) -> FolderInfo:
        """Create (never retried on 5xx: a duplicate raises ConflictError), then fetch the folder."""
        now = datetime.now()
        form = {
            "Name": name,
            "Description": description or "",
            "Category": category or "Other",
            "StartDate": _iso(start_date, now),
            "LaunchDate": _iso(launch_date, now + timedelta(days=3650)),
            "Status": status,
        }
        response = self._call("POST", self._v1("product/create"), idempotent=False, data=form)
        body = self._ok(response)
        data = body.get("data") or {}
        url = data.get("get_product_url")
        if url:
            detail = self._ok(self._call("GET", url)).get("data") or {}
            if isinstance(detail, dict) and detail.get("id"):
                return FolderInfo.model_validate(detail)
        found = self.folder_by_name(name)
        if found is None:
            raise self._error(response, None, f"folder {name} was created but cannot be found")
        return found

    def update_folder(
        self,
        folder_id: str,
        *,
        description: str | None = None,
        category: str | None = None,
        start_date: str | None = None,
        launch_date: str | None = None,
    ) -> None:
        body: dict[str, Any] = {"shouldTrackUserAction": True}
        for key, value in (
            ("description", description),
            ("category", category),
            ("startDate", start_date),
            ("launchDate", launch_date),
        ):
            if value is not None:
                body[key] = value
        self._ok(
            self._call("POST", self._v1(f"product/update/{quote(folder_id, safe='')}"), idempotent=True, json=body)
        )

    def upload_cover(self, folder_id: str, image: bytes, filename: str) -> None:
        files = {"coverImage": (filename, image)}
        self._ok(
            self._call(
                "POST", self._v1("product/uploadcoverimage"), idempotent=True, data={"id": folder_id}, files=files
            )
        )

    def delete_folder(self, folder_id: str) -> None:
        """Delete a folder and ALL its services; already gone counts as done."""
        try:
            self._ok(self._call("DELETE", self._v1(f"product/delete/{quote(folder_id, safe='')}")))
        except NotFoundError:
            return

    def categories(self) -> list[dict[str, Any]]:
        data = self._ok(self._call("GET", self._v1("lookup/getcategories"))).get("data") or []
        return list(data)

    # -- services ------------------------------------------------------------------------------
    def service_exists(self, folder: str, service: str) -> bool:
        body = self._ok(self._call("GET", self._v3(f"{self.loc(folder, service)}/exists")))
        return bool((body.get("response_data") or {}).get("is_exists") is True)

    def upload(
        self,
        folder: str,
        service: str,
        content: bytes,
        filename: str,
        *,
        versioning: str = "minor",
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> Upload:
        """Upload a workbook and start compiling it. Safe to retry: an unpublished upload is only a draft."""
        now = datetime.now()
        entity = {
            "request_data": {
                "version_difference": versioning,
                "effective_start_date": _iso(start_date, now),
                "effective_end_date": _iso(end_date, now + timedelta(days=3650)),
            }
        }
        response = self._call(
            "POST",
            self._v3(f"{self.loc(folder, service)}/upload"),
            idempotent=True,
            data={"engineUploadRequestEntity": json.dumps(entity)},
            files={"serviceFile": (filename, content, XLSX_TYPE)},
        )
        return Upload.model_validate(self._ok(response).get("response_data") or {})

    def compilation_status(self, folder: str, service: str, job_id: str) -> CompilationStatus:
        url = self._v3(f"{self.loc(folder, service)}/getcompilationprogess/{quote(job_id, safe='')}")
        return CompilationStatus.model_validate(self._ok(self._call("GET", url)).get("response_data") or {})

    def wait_compiled(self, folder: str, service: str, job_id: str, deadline: Deadline) -> CompilationStatus:
        """Poll with backoff until compiled; raise CompilationFailedError with Spark's message if it failed."""

        def done(status: CompilationStatus) -> bool:
            if status.failed:
                raise CompilationFailedError(folder, service, status.last_error_message or status.status)
            return status.succeeded

        return wait_for(
            f"spark service {folder}/{service}: compiling",
            lambda: self.compilation_status(folder, service, job_id),
            done,
            deadline,
            describe=lambda s: f"{s.status} ({s.progress:g}%)",
            initial=0.2,
            maximum=5.0,
        )

    def publish(
        self,
        folder: str,
        service: str,
        upload: Upload,
        *,
        versioning: str = "minor",
        label: str | None = None,
        release_notes: str | None = None,
        tags: list[str] | None = None,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> str:
        """Publish a compiled upload as a new version; returns its version id. Not retried on 5xx."""
        now = datetime.now()
        request = {
            "draft_service_name": service,
            "effective_start_date": _iso(start_date, now),
            "effective_end_date": _iso(end_date, now + timedelta(days=3650)),
            "original_file_documentid": upload.original_file_documentid,
            "engine_file_documentid": upload.engine_file_documentid,
            "version_difference": versioning,
            "should_trck_user_action": False,
            "version_label": label,
            "release_note": release_notes,
            "tags": ",".join(tags) if tags else None,
        }
        url = self._v3(f"{self.loc(folder, service)}/publish")
        body = self._ok(self._call("POST", url, idempotent=False, json={"request_data": request}))
        return str((body.get("response_data") or {}).get("version_id") or "")

    def versions(self, folder: str, service: str) -> list[VersionInfo]:
        """Every version, newest first."""
        url = self._v1(f"product/{quote(folder, safe='')}/engines/getversions/{quote(service, safe='')}")
        data = self._ok(self._call("GET", url)).get("data") or []
        return TypeAdapter(list[VersionInfo]).validate_python(data)

    def schema(self, folder: str, service: str) -> ServiceSchema:
        url = self._v1(f"product/{quote(folder, safe='')}/engines/get/{quote(service, safe='')}")
        data = self._ok(self._call("GET", url)).get("data") or {}
        return ServiceSchema.parse(data if isinstance(data, dict) else {})

    def metadata(self, folder: str, service: str) -> dict[str, Any]:
        return self._ok(self._call("GET", self._v3(f"{self.loc(folder, service)}/metadata")))

    def swagger(self, folder: str, service: str, version_id: str | None = None) -> dict[str, Any]:
        url = self._v3(f"{self.loc(folder, service)}/downloadswagger/All/False/{version_id or ''}")
        return self._ok(self._call("GET", url))

    def search(self, page: int = 1, size: int = -1) -> Any:
        fields = ["id", "foldername", "filename", "version", "modifiedDate"]
        body = {"request_data": {"page": page, "page_size": size, "sort": "name1_co", "search": [], "fields": fields}}
        return self._ok(self._call("POST", self._v3("services/search"), idempotent=True, json=body)).get(
            "response_data"
        )

    def download(self, folder: str, service: str, version_id: str | None = None) -> bytes:
        url = self._v1(
            f"product/{quote(folder, safe='')}/engines/{quote(service, safe='')}/download/{version_id or ''}"
        )
        return self._call("GET", url, params={"filename": "", "type": ""}).content

    def recompile(
        self, folder: str, service: str, version_id: str | None = None, upgrade: str = "patch"
    ) -> dict[str, Any]:
        body = {
            "request_data": {"versionId": version_id, "upgradeType": upgrade, "neuronCompilerVersion": "StableLatest"}
        }
        url = self._v3(f"{self.loc(folder, service)}/recompileNodgen")
        return dict(self._ok(self._call("POST", url, idempotent=False, json=body)).get("response_data") or {})

    def validate(self, folder: str, service: str, inputs: dict[str, Any]) -> dict[str, Any]:
        body = {"request_data": {"inputs": inputs}, "request_meta": {"validation_type": "default_values"}}
        url = self._v3(f"{self.loc(folder, service)}/validation")
        return dict(self._ok(self._call("POST", url, idempotent=True, json=body)).get("response_data") or {})

    def delete_service(self, folder: str, service: str) -> None:
        """Delete a service and all its versions; already gone counts as done."""
        url = self._v1(f"product/{quote(folder, safe='')}/engines/delete/{quote(service, safe='')}")
        try:
            self._ok(self._call("DELETE", url))
        except NotFoundError:
            return

    # -- execute -------------------------------------------------------------------------------
    def execute(
        self,
        folder: str,
        service: str,
        inputs: dict[str, Any] | None = None,
        *,
        version: str | None = None,
        version_id: str | None = None,
    ) -> Execution:
        """Run one record on v3 (missing inputs take the workbook's defaults)."""
        meta: dict[str, Any] = {"call_purpose": "Single Execution", "source_system": "pulumi-dataplatforms"}
        if version:
            meta["version"] = version
        if version_id:
            meta["version_id"] = version_id
        body = {"request_data": {"inputs": inputs or {}}, "request_meta": meta}
        url = self._v3(f"{self.loc(folder, service)}/execute")
        data = self._ok(self._call("POST", url, idempotent=True, json=body))
        response_data = data.get("response_data") or {}
        response_meta = data.get("response_meta") or {}
        return Execution(
            outputs=response_data.get("outputs") or {},
            warnings=response_data.get("warnings"),
            errors=response_data.get("errors"),
            **{k: response_meta.get(k) for k in ("service_id", "version_id", "version", "call_id")},
        )

    def execute_batch(
        self, folder: str, service: str, records: list[dict[str, Any]], *, version_id: str | None = None
    ) -> list[dict[str, Any]]:
        """Run many records in one v4 call; returns their outputs in order."""
        body: dict[str, Any] = {
            "inputs": records,
            "service": f"{folder}/{service}",
            "call_purpose": "Sync Batch Execution",
        }
        if version_id:
            body["version_id"] = version_id
        data = self._call("POST", f"{self.endpoint.full}/api/v4/execute", idempotent=True, json=body).json()
        return list(data.get("outputs") or []) if isinstance(data, dict) else []

    def execute_url(self, folder: str, service: str) -> str:
        return self._v3(f"{self.loc(folder, service)}/execute")


class CompilationFailedError(Exception):
    """Spark could not compile the workbook (no Xinput/Xoutput names, unsupported formulas...)."""

    def __init__(self, folder: str, service: str, message: str) -> None:
        super().__init__(f"spark service {folder}/{service}: compilation failed: {message}")
        self.message = message


ProgressCallback = Callable[[str], None]
__all__ = ["CompilationFailedError", "ConflictError", "Endpoint", "SparkClient", "choose_auth", "resolve_endpoint"]
