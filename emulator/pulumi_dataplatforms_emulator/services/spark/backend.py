"""Spark behaviour over the shared store: tenants and credentials, folders, services, versions, execution.

Store layout (service ``spark``): ``folders`` keyed ``tenant/folder``, ``services`` keyed
``tenant/folder/service`` (each holding its versions, newest last), ``files`` keyed by
document id (base64 workbook), ``jobs`` keyed by compilation job id, ``tokens`` keyed by
OAuth2 access token, ``config`` for admin-set knobs (token lifetime).
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ..spec import ServiceContext
from .errors import Family, SparkFailure, bad_request, not_found, unauthorized
from .workbook import BookSchema, Cell, CompileError, ModelCache, compile_workbook, is_xlsx

SERVICE = "spark"
DEFAULT_TENANT = "emulator-tenant"
API_KEYS = {"spark-dev-key-0001": DEFAULT_TENANT, "spark-other-key-0001": "other-tenant"}
STATIC_TOKENS = {"spark-dev-token-0001": DEFAULT_TENANT}
OAUTH_CLIENTS = {"spark-dev-client": ("spark-dev-secret-0001", DEFAULT_TENANT)}
DEFAULT_TOKEN_LIFETIME = 300.0
VERSIONING = ("major", "minor", "patch")
CATEGORIES = [
    {"key": "Other", "value": "Other", "icon": "other.svg"},
    {"key": "Finance", "value": "Finance", "icon": "finance.svg"},
    {"key": "Pricing", "value": "Pricing", "icon": "pricing.svg"},
]
_models = ModelCache()


def now_iso(clock: float | None = None) -> str:
    moment = datetime.fromtimestamp(time.time() if clock is None else clock, timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def bump(revision: str | None, versioning: str) -> str:
    """Next semantic version: the first publish of `minor` is 0.1.0, of `major` 1.0.0, of `patch` 0.0.1."""
    major, minor, patch = (int(p) for p in (revision or "0.0.0").split("."))
    if versioning == "major":
        return f"{major + 1}.0.0"
    if versioning == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return f"{major}.{minor + 1}.0"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the tenant their credentials belong to."""

    tenant: str
    scheme: str


def _schema_doc(schema: BookSchema) -> dict[str, Any]:
    return {
        "inputs": schema.inputs,
        "outputs": schema.outputs,
        "input_cells": {k: [c.sheet, c.ref] for k, c in schema.input_cells.items()},
        "output_cells": {k: [c.sheet, c.ref] for k, c in schema.output_cells.items()},
        "sheets": schema.sheets,
        "formulas": schema.formulas,
        "cells_with_data": schema.cells_with_data,
    }


def schema_of(doc: dict[str, Any]) -> BookSchema:
    return BookSchema(
        inputs=doc["inputs"],
        outputs=doc["outputs"],
        input_cells={k: Cell("Xinput_" + k, s, r) for k, (s, r) in doc["input_cells"].items()},
        output_cells={k: Cell("Xoutput_" + k, s, r) for k, (s, r) in doc["output_cells"].items()},
        sheets=doc["sheets"],
        formulas=doc["formulas"],
        cells_with_data=doc["cells_with_data"],
    )


class SparkBackend:
    """Everything Spark does, independent of HTTP."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.store = ctx.store

    # -- credentials ----------------------------------------------------------------------
    def token_lifetime(self) -> float:
        doc = self.store.get(SERVICE, "config", "token_lifetime")
        return float(doc["seconds"]) if doc else DEFAULT_TOKEN_LIFETIME

    def set_token_lifetime(self, seconds: float) -> None:
        self.store.put(SERVICE, "config", "token_lifetime", {"seconds": seconds})

    def expire_tokens(self) -> int:
        page = self.store.page(SERVICE, "tokens")
        for record in page.items:
            self.store.delete(SERVICE, "tokens", record.key)
        return page.total

    def issue_token(
        self, realm: str, client_id: str | None, client_secret: str | None, grant: str | None
    ) -> dict[str, Any]:
        """Client-credentials grant; bad credentials give 400 (never 401, see the contract)."""
        if grant != "client_credentials":
            raise SparkFailure(400, "unsupported_grant_type", "only client_credentials is supported")
        known = OAUTH_CLIENTS.get(client_id or "")
        if known is None or not secrets.compare_digest(known[0], client_secret or "") or known[1] != realm.lower():
            raise SparkFailure(400, "invalid_client", "Invalid client or Invalid client credentials")
        lifetime = self.token_lifetime()
        token = "spk_" + secrets.token_urlsafe(24)
        self.store.put(SERVICE, "tokens", token, {"tenant": known[1], "expires_at": self.ctx.clock() + lifetime})
        return {
            "access_token": token,
            "expires_in": int(lifetime) if lifetime >= 1 else lifetime,
            "refresh_expires_in": 0,
            "token_type": "Bearer",
            "not-before-policy": 0,
            "scope": "profile email",
        }

    def authenticate(self, api_key: str | None, authorization: str | None, family: Family) -> Caller:
        """The caller's tenant from `x-synthetic-key` or `Authorization: Bearer`, else 401."""
        if api_key:
            tenant = API_KEYS.get(api_key)
            if tenant is None:
                raise unauthorized(family, "INVALID_KEY", "unknown x-synthetic-key")
            return Caller(tenant, "api_key")
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
            if token in STATIC_TOKENS:
                return Caller(STATIC_TOKENS[token], "token")
            issued = self.store.get(SERVICE, "tokens", token)
            if issued is None:
                raise unauthorized(family, "INVALID_TOKEN", "unknown bearer token")
            if issued["expires_at"] <= self.ctx.clock():
                raise unauthorized(family, "INVALID_TOKEN", "the access token has expired")
            return Caller(str(issued["tenant"]), "oauth")
        raise unauthorized(family)

    @staticmethod
    def check_tenant(caller: Caller, tenant: str | None, family: Family) -> str:
        """The tenant of the request; it must be the credentials' tenant."""
        wanted = (tenant or caller.tenant).lower()
        if wanted != caller.tenant.lower():
            raise SparkFailure(
                403 if family == "v1" else 401,
                "TENANT_MISMATCH",
                f"credentials are not valid for tenant {tenant}",
                family,
            )
        return caller.tenant

    # -- folders ----------------------------------------------------------------------------
    def _folder_key(self, tenant: str, name: str) -> str:
        return f"{tenant}/{name}"

    def folder(self, tenant: str, name: str) -> dict[str, Any] | None:
        return self.store.get(SERVICE, "folders", self._folder_key(tenant, name))

    def folders(self, tenant: str) -> list[dict[str, Any]]:
        return [r.doc for r in self.store.page(SERVICE, "folders", key_prefix=f"{tenant}/").items]

    def folder_by_id(self, tenant: str, folder_id: str) -> dict[str, Any]:
        found = next((f for f in self.folders(tenant) if f["id"] == folder_id), None)
        if found is None:
            raise not_found("v1", f"folder {folder_id}")
        return found

    def folder_info(self, tenant: str, folder: dict[str, Any]) -> dict[str, Any]:
        services = self.services(tenant, folder["name"])
        return {
            **folder,
            "activeServiceCount": len(services),
            "totalServiceCount": len(services),
            "isStarred": False,
            "kanbanStatus": None,
            "sections": None,
        }

    def create_folder(self, tenant: str, form: dict[str, Any]) -> dict[str, Any] | None:
        """Create; None when the name is taken (the caller answers PRODUCT_ALREADY_EXISTS)."""
        name = str(form.get("Name") or "").strip()
        if not name or "/" in name:
            raise bad_request("v1", "folder Name is required and may not contain '/'", "INVALID_NAME")
        stamp = now_iso(self.ctx.clock())
        doc = {
            "id": str(uuid.uuid4()),
            "name": name,
            "description": form.get("Description") or "",
            "category": form.get("Category") or "Other",
            "status": form.get("Status") or "Design",
            "startDate": form.get("StartDate"),
            "launchDate": form.get("LaunchDate"),
            "coverImagePath": None,
            "createdAt": stamp,
            "lastModifiedDate": stamp,
            "createdBy": "emulator",
        }
        if not self.store.insert(SERVICE, "folders", self._folder_key(tenant, name), doc):
            return None
        return doc

    def update_folder(self, tenant: str, folder_id: str, body: dict[str, Any]) -> None:
        with self.store.transaction():
            folder = self.folder_by_id(tenant, folder_id)
            for key in ("description", "category", "startDate", "launchDate"):
                if body.get(key) is not None:
                    folder[key] = body[key]
            folder["lastModifiedDate"] = now_iso(self.ctx.clock())
            self.store.put(SERVICE, "folders", self._folder_key(tenant, folder["name"]), folder)

    def set_cover(self, tenant: str, folder_id: str, filename: str, content: bytes) -> None:
        with self.store.transaction():
            folder = self.folder_by_id(tenant, folder_id)
            document_id = self._save_file(content, filename)
            folder["coverImagePath"] = f"/cover/{document_id}/{filename}"
            self.store.put(SERVICE, "folders", self._folder_key(tenant, folder["name"]), folder)

    def delete_folder(self, tenant: str, folder_id: str) -> None:
        """Delete a folder and, in cascade, all its services and their versions."""
        with self.store.transaction():
            folders = self.folders(tenant)
            folder = next((f for f in folders if f["id"] == folder_id or f["name"] == folder_id), None)
            if folder is None:
                raise not_found("v1", f"folder {folder_id}")
            for service in self.services(tenant, folder["name"]):
                self.store.delete(SERVICE, "services", self._service_key(tenant, folder["name"], service["name"]))
            self.store.delete(SERVICE, "folders", self._folder_key(tenant, folder["name"]))

    # -- services ---------------------------------------------------------------------------
    def _service_key(self, tenant: str, folder: str, name: str) -> str:
        return f"{tenant}/{folder}/{name}"

    def services(self, tenant: str, folder: str) -> list[dict[str, Any]]:
        return [r.doc for r in self.store.page(SERVICE, "services", key_prefix=f"{tenant}/{folder}/").items]

    def all_services(self, tenant: str) -> list[dict[str, Any]]:
        return [r.doc for r in self.store.page(SERVICE, "services", key_prefix=f"{tenant}/").items]

    def service(self, tenant: str, folder: str, name: str, family: Family = "v3") -> dict[str, Any]:
        doc = self.store.get(SERVICE, "services", self._service_key(tenant, folder, name))
        if doc is None:
            raise not_found(family, f"service {folder}/{name}")
        return doc

    def service_or_none(self, tenant: str, folder: str, name: str) -> dict[str, Any] | None:
        return self.store.get(SERVICE, "services", self._service_key(tenant, folder, name))

    def locate(
        self, tenant: str, *, service_id: str | None = None, version_id: str | None = None
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The service (and version) with a service id or version id."""
        for service in self.all_services(tenant):
            if service_id and service["id"] == service_id:
                return service, None
            if version_id:
                version = next((v for v in service["versions"] if v["id"] == version_id), None)
                if version is not None:
                    return service, version
        raise not_found("v3", f"service {service_id or version_id}")

    def _require_folder(self, tenant: str, folder: str, family: Family) -> dict[str, Any]:
        doc = self.folder(tenant, folder)
        if doc is None:
            raise not_found(family, f"folder {folder}")
        return doc

    def _save_file(self, content: bytes, filename: str) -> str:
        document_id = str(uuid.uuid4())
        self.store.put(
            SERVICE, "files", document_id, {"filename": filename, "content": base64.b64encode(content).decode()}
        )
        return document_id

    def file(self, document_id: str) -> tuple[str, bytes]:
        doc = self.store.get(SERVICE, "files", document_id)
        if doc is None:
            raise not_found("v1", f"document {document_id}")
        return str(doc["filename"]), base64.b64decode(doc["content"])

    def upload(
        self, tenant: str, folder: str, service: str, entity: dict[str, Any], filename: str, content: bytes
    ) -> dict[str, Any]:
        """Store the workbook and start an (emulated) asynchronous compilation job."""
        self._require_folder(tenant, folder, "v3")
        if not is_xlsx(content):
            raise bad_request("v3", f"{filename} is not an Excel workbook (.xlsx)", "UNSUPPORTED_FILE_TYPE")
        request = entity.get("request_data") or {}
        versioning = request.get("version_difference") or "minor"
        if versioning not in VERSIONING:
            raise bad_request("v3", f"version_difference must be one of {', '.join(VERSIONING)}")
        try:
            schema: BookSchema | None = compile_workbook(content)
            error = None
        except CompileError as exc:
            schema, error = None, str(exc)
        original = self._save_file(content, filename)
        engine = str(uuid.uuid4())
        job_id = str(uuid.uuid4())
        existing = self.service_or_none(tenant, folder, service)
        clock = self.ctx.clock()
        self.store.put(
            SERVICE,
            "jobs",
            job_id,
            {
                "tenant": tenant,
                "folder": folder,
                "service": service,
                "original": original,
                "engine": engine,
                "started": clock,
                "duration": float(self.ctx.settings.provision_seconds),
                "schema": None if schema is None else _schema_doc(schema),
                "error": error,
            },
        )
        stats = schema or BookSchema({}, [])
        return {
            "response_data": {
                "lines_of_code": stats.formulas * 3,
                "hours_saved": round(stats.formulas / 10, 2),
                "nodegen_compilation_jobid": job_id,
                "original_file_documentid": original,
                "engine_file_documentid": engine,
                "warnings": [],
                "current_statistics": None,
                "no_of_sheets": len(stats.sheets),
                "no_of_inputs": len(stats.inputs),
                "no_of_outputs": len(stats.outputs),
                "no_of_formulas": stats.formulas,
                "no_of_cellswithdata": stats.cells_with_data,
            },
            "response_meta": self._meta(existing["id"] if existing else None, None, None, clock),
        }

    def compilation(self, tenant: str, job_id: str) -> dict[str, Any]:
        """Progress grows with time until the job's duration has passed, then Success or Fail."""
        job = self.store.get(SERVICE, "jobs", job_id)
        if job is None or job["tenant"] != tenant:
            raise not_found("v3", f"compilation job {job_id}")
        elapsed = self.ctx.clock() - job["started"]
        if job["duration"] > 0 and elapsed < job["duration"]:
            return {
                "status": "In Progress",
                "last_error_message": None,
                "progress": max(5, int(elapsed / job["duration"] * 100)),
            }
        if job["error"]:
            return {"status": "Fail", "last_error_message": job["error"], "progress": 100}
        return {"status": "Success", "last_error_message": None, "progress": 100}

    def publish(self, tenant: str, folder: str, service: str, request: dict[str, Any]) -> dict[str, Any]:
        """Publish a compiled upload as the next version; creates the service on its first version."""
        engine = request.get("engine_file_documentid")
        with self.store.transaction():
            job_record = next((r for r in self.store.page(SERVICE, "jobs").items if r.doc["engine"] == engine), None)
            if job_record is None or job_record.doc["tenant"] != tenant:
                raise bad_request("v3", "engine_file_documentid does not name an upload", "INVALID_DOCUMENT")
            job = job_record.doc
            if (job["folder"], job["service"]) != (folder, service):
                raise bad_request("v3", "the upload belongs to another service", "INVALID_DOCUMENT")
            status = self.compilation(tenant, job_record.key)
            if status["status"] != "Success":
                raise bad_request(
                    "v3",
                    f"compilation is {status['status']}: {status['last_error_message'] or 'not finished'}",
                    "COMPILATION_NOT_READY",
                )
            if job.get("published_version"):
                raise SparkFailure(409, "ALREADY_PUBLISHED", "this upload was already published", "v3")
            self._require_folder(tenant, folder, "v3")
            versioning = request.get("version_difference") or "minor"
            if versioning not in VERSIONING:
                raise bad_request("v3", f"version_difference must be one of {', '.join(VERSIONING)}")
            clock = self.ctx.clock()
            doc = self.service_or_none(tenant, folder, service) or {
                "id": str(uuid.uuid4()),
                "name": service,
                "folder": folder,
                "createdAt": now_iso(clock),
                "versions": [],
            }
            latest = doc["versions"][-1]["revision"] if doc["versions"] else None
            filename, _ = self.file(job["original"])
            tags = request.get("tags")
            version = {
                "id": str(uuid.uuid4()),
                "revision": bump(latest, versioning),
                "createdAt": now_iso(clock),
                "engine": service,
                "product": folder,
                "effectiveStartDate": request.get("effective_start_date"),
                "effectiveEndDate": request.get("effective_end_date"),
                "isActive": True,
                "releaseNote": request.get("release_note"),
                "versionLabel": request.get("version_label"),
                "tags": tags,
                "author": "emulator",
                "originalFileName": filename,
                "childEngines": None,
                "defaultEngineType": "Neuron",
                "document": job["original"],
                "schema": job["schema"],
            }
            for previous in doc["versions"]:
                previous["isActive"] = False
            doc["versions"].append(version)
            self.store.put(SERVICE, "services", self._service_key(tenant, folder, service), doc)
            job["published_version"] = version["id"]
            self.store.put(SERVICE, "jobs", job_record.key, job)
        return {
            "response_data": {"version_id": version["id"]},
            "response_meta": {"system": "SPARK", "request_timestamp": now_iso(clock)},
        }

    def delete_service(self, tenant: str, folder: str, service: str) -> None:
        if not self.store.delete(SERVICE, "services", self._service_key(tenant, folder, service)):
            raise not_found("v1", f"service {folder}/{service}")

    @staticmethod
    def pick_version(
        service: dict[str, Any], version_id: str | None = None, revision: str | None = None
    ) -> dict[str, Any]:
        versions = service["versions"]
        if version_id:
            found = next((v for v in versions if v["id"] == version_id), None)
        elif revision:
            found = next((v for v in versions if v["revision"] == revision), None)
        else:
            found = versions[-1] if versions else None
        if found is None:
            raise not_found("v3", f"version {version_id or revision} of service {service['name']}")
        return dict(found)

    def public_versions(self, service: dict[str, Any]) -> list[dict[str, Any]]:
        """Newest first, without the emulator's private fields."""
        return [
            {k: v for k, v in ver.items() if k not in ("document", "schema")} for ver in reversed(service["versions"])
        ]

    def _meta(
        self, service_id: str | None, version: dict[str, Any] | None, call_id: str | None, clock: float
    ) -> dict[str, Any]:
        return {
            "service_id": service_id,
            "version_id": version["id"] if version else None,
            "version": version["revision"] if version else None,
            "process_time": 1,
            "call_id": call_id,
            "compiler_type": "Neuron",
            "compiler_version": "1.30.0",
            "source_hash": None,
            "engine_id": service_id,
            "correlation_id": None,
            "parameterset_version_id": None,
            "system": "SPARK",
            "request_timestamp": now_iso(clock),
        }

    def evaluate(self, service: dict[str, Any], version: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        _, content = self.file(version["document"])
        try:
            return _models.evaluate(version["document"], content, schema_of(version["schema"]), inputs)
        except ValueError as exc:
            raise bad_request("v3", str(exc), "INVALID_INPUTS") from None

    def execute(
        self, service: dict[str, Any], version: dict[str, Any], inputs: dict[str, Any], meta: dict[str, Any]
    ) -> dict[str, Any]:
        started = time.perf_counter()
        outputs = self.evaluate(service, version, inputs)
        clock = self.ctx.clock()
        response_meta = self._meta(service["id"], version, str(uuid.uuid4()), clock)
        response_meta["process_time"] = max(1, int((time.perf_counter() - started) * 1000))
        response_meta["correlation_id"] = meta.get("correlation_id")
        data: dict[str, Any] = {"outputs": outputs, "warnings": None, "errors": None, "service_chain": None}
        if meta.get("response_data_inputs"):
            data["inputs"] = {**schema_of(version["schema"]).inputs, **inputs}
        return {"status": "Success", "response_data": data, "response_meta": response_meta, "error": None}

    def schema(self, service: dict[str, Any], version: dict[str, Any]) -> dict[str, Any]:
        schema = schema_of(version["schema"])
        return {
            "bookSummary": {
                "noOfSheets": len(schema.sheets),
                "noOfFormulas": schema.formulas,
                "noOfInputs": len(schema.inputs),
                "noOfOutputs": len(schema.outputs),
            },
            "bookProperties": [{"name": "Sheets", "value": ",".join(schema.sheets)}],
            "engineInputs": [
                {"name": n, "defaultValue": v, "dataType": type(v).__name__ if v is not None else "string"}
                for n, v in schema.inputs.items()
            ],
            "engineOutputs": [{"name": n} for n in schema.outputs],
            "serviceId": service["id"],
            "versionId": version["id"],
            "version": version["revision"],
            "serviceName": service["name"],
            "folderName": service["folder"],
        }

    def dump(self) -> dict[str, Any]:
        out: dict[str, Any] = {"folders": {}, "services": {}}
        for record in self.store.page(SERVICE, "folders").items:
            out["folders"][record.key] = record.doc
        for record in self.store.page(SERVICE, "services").items:
            out["services"][record.key] = {**record.doc, "versions": self.public_versions(record.doc)}
        return out
