"""Aerostack state: per-key SQLite databases, cache with ttl, stored objects, queue jobs, users, services.

Everything belongs to a tenant, derived from the API key (a hash, never the key itself). Files
(databases, uploads) live under `<data dir>/aerostack/<generation>/`; the generation id is a
store document, so the generic `/_admin/reset` (which empties the store) also starts every
tenant afresh, and the old generation's files are removed.

Tenant databases are sandboxed (see `sandbox.py`): an SQLite authorizer refuses statements that
reach other files (ATTACH, VACUUM INTO, load_extension, path pragmas), and each database file is
named by an HMAC of the tenant id under a random secret kept in the generation's store document,
so the tenant id shown in public file URLs does not reveal any database's file name.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import secrets
import shutil
import sqlite3
import threading
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import httpx

from ..spec import ServiceContext
from . import sandbox, security

SERVICE = "aerostack"
DEFAULT_API_KEY = "aerostack-dev-key-0001"
TOKEN_SECONDS = 3600
MIN_TTL_SECONDS = 1  # unknown for the real service; the emulator accepts any ttl of 1 s or more


class AerostackError(Exception):
    """An API error with the platform's `code` enum value."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).isoformat().replace("+00:00", "Z")


def _json_value(value: Any) -> Any:
    """A column value JSON can carry: blobs as hex, infinite reals as null."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and math.isinf(value):
        return None
    return value


class AerostackBackend:
    """The emulated platform's behaviour; routes only translate HTTP."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.clock_offset = 0.0
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.RLock()

    # -- plumbing ---------------------------------------------------------------------------
    def now(self) -> float:
        return self.ctx.clock() + self.clock_offset

    def _meta(self) -> dict[str, Any]:
        meta = self.ctx.store.get(SERVICE, "meta", "generation")
        if meta is not None and "file_secret" in meta:
            return meta
        with self._guard:
            meta = self.ctx.store.get(SERVICE, "meta", "generation")
            if meta is not None and "file_secret" not in meta:  # a data dir from before file secrets
                meta["file_secret"] = secrets.token_hex(32)
                self.ctx.store.put(SERVICE, "meta", "generation", meta)
            if meta is None:
                meta = {"id": uuid.uuid4().hex[:12], "jwt_secret": secrets.token_hex(32)}
                meta["file_secret"] = secrets.token_hex(32)
                self.ctx.store.put(SERVICE, "meta", "generation", meta)
                root = self.ctx.settings.data_dir / SERVICE
                for old in root.iterdir() if root.exists() else ():
                    if old.name != meta["id"]:
                        shutil.rmtree(old, ignore_errors=True)
            return meta

    def root(self) -> Path:
        return self.ctx.settings.data_dir / SERVICE / str(self._meta()["id"])

    def tenant(self, api_key: str | None) -> str:
        """The tenant of a valid key; 401 AUTH_INVALID_KEY otherwise."""
        keys = {DEFAULT_API_KEY, *(r.key for r in self.ctx.store.page(SERVICE, "keys").items)}
        if not api_key or api_key not in keys:
            raise AerostackError(401, "AUTH_INVALID_KEY", "Invalid or missing X-Aerostack-Key")
        return _tenant_id(api_key)

    def add_key(self, api_key: str) -> str:
        self.ctx.store.put(SERVICE, "keys", api_key, {})
        return _tenant_id(api_key)

    def _tenants(self) -> list[str]:
        keys = {DEFAULT_API_KEY, *(r.key for r in self.ctx.store.page(SERVICE, "keys").items)}
        return sorted({_tenant_id(k) for k in keys})

    def _lock(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    # -- database ---------------------------------------------------------------------------
    def db_path(self, tenant: str) -> Path:
        """`db/<HMAC(secret, tenant)>.sqlite3`: unpredictable without the data dir's secret."""
        secret = bytes.fromhex(self._meta()["file_secret"])
        name = hmac.new(secret, tenant.encode(), hashlib.sha256).hexdigest()[:32]
        return self.root() / "db" / f"{name}.sqlite3"

    def _adopt_legacy_db(self, tenant: str, path: Path) -> None:
        """Rename a database saved under the old, predictable `<tenant>.sqlite3` name (keeps its data)."""
        legacy = path.with_name(f"{tenant}.sqlite3")
        if legacy.exists() and not path.exists():
            for suffix in ("-journal", "-wal", "-shm", ""):
                old = legacy.with_name(legacy.name + suffix)
                if old.exists():
                    old.replace(path.with_name(path.name + suffix))

    def db_query(self, tenant: str, sql: str, params: list[Any]) -> dict[str, Any]:
        """One statement, autocommitted, on the tenant's own SQLite file (like a D1 prepared statement).

        The connection is sandboxed: a statement touching any other file is refused with
        400 DB_QUERY_FAILED, the status and code the platform gives a failed query.
        """
        path = self.db_path(tenant)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock(str(path)):
            self._adopt_legacy_db(tenant, path)
            conn = sqlite3.connect(str(path), isolation_level=None)
            denied = sandbox.confine(conn)
            try:
                conn.row_factory = sqlite3.Row
                cursor = conn.execute(sql, params)
                if cursor.description is not None:
                    rows = [{k: _json_value(row[k]) for k in row.keys()} for row in cursor.fetchall()]  # noqa: SIM118
                    return {"results": rows, "count": len(rows)}
                return {"results": [], "count": max(cursor.rowcount, 0)}
            except (sqlite3.Error, ValueError, OverflowError) as exc:
                if denied:
                    raise AerostackError(400, "DB_QUERY_FAILED", f"not authorized: {denied[0]}") from None
                raise AerostackError(400, "DB_QUERY_FAILED", f"{type(exc).__name__}: {exc}") from None
            finally:
                conn.close()

    # -- cache ------------------------------------------------------------------------------
    def cache_set(self, tenant: str, key: str, value: Any, ttl: int | None) -> None:
        if ttl is not None and ttl < MIN_TTL_SECONDS:
            raise AerostackError(400, "VALIDATION_ERROR", f"ttl must be at least {MIN_TTL_SECONDS} second(s)")
        expires = None if ttl is None else self.now() + ttl
        self.ctx.store.put(SERVICE, f"cache:{tenant}", key, {"value": value, "expires_at": expires})

    def cache_get(self, tenant: str, key: str) -> dict[str, Any]:
        doc = self.ctx.store.get(SERVICE, f"cache:{tenant}", key)
        if doc is None or (doc["expires_at"] is not None and doc["expires_at"] <= self.now()):
            return {"exists": False, "value": None}
        return {"exists": True, "value": doc["value"]}

    # -- storage ----------------------------------------------------------------------------
    def object_path(self, tenant: str, key: str) -> Path:
        return self.root() / "storage" / tenant / hashlib.sha256(key.encode()).hexdigest()

    def store_object(
        self, tenant: str, key: str, source: IO[bytes], content_type: str, file_name: str | None = None
    ) -> dict[str, Any]:
        """Copy the upload to disk in 1 MiB chunks, then record its metadata (size, sha256, type, file name)."""
        if not key or len(key) > 1024:
            raise AerostackError(400, "VALIDATION_ERROR", "key must be 1-1024 characters")
        path = self.object_path(tenant, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        digest, size = hashlib.sha256(), 0
        with partial.open("wb") as out:
            while chunk := source.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        partial.replace(path)
        doc = {
            "key": key,
            "size": size,
            "sha256": digest.hexdigest(),
            "content_type": content_type,
            "file_name": file_name,
        }
        self.ctx.store.put(SERVICE, f"objects:{tenant}", key, {**doc, "uploaded_at": iso(self.now())})
        return doc

    def object(self, tenant: str, key: str) -> tuple[Path, dict[str, Any]]:
        doc = self.ctx.store.get(SERVICE, f"objects:{tenant}", key)
        path = self.object_path(tenant, key)
        if doc is None or not path.exists():
            raise AerostackError(404, "VALIDATION_ERROR", f"no object {key!r}")
        return path, doc

    # -- queue ------------------------------------------------------------------------------
    def enqueue(self, tenant: str, type_: str, data: dict[str, Any], delay: int | None) -> str:
        if delay is not None and delay < 0:
            raise AerostackError(400, "VALIDATION_ERROR", "delay must be >= 0 seconds")
        job_id = f"job_{uuid.uuid4().hex}"
        now = self.now()
        job = {"jobId": job_id, "type": type_, "data": data, "delay": delay or 0, "tenant": tenant}
        job.update(enqueuedAt=iso(now), availableAt=iso(now + (delay or 0)))
        self.ctx.store.put(SERVICE, "jobs", job_id, job)
        return job_id

    # -- auth -------------------------------------------------------------------------------
    def _session(self, user: dict[str, Any], tenant: str) -> dict[str, Any]:
        now = self.now()
        claims = {"sub": user["id"], "email": user["email"], "aud": tenant, "iat": int(now)}
        claims["exp"] = int(now) + TOKEN_SECONDS
        token = security.sign_jwt(claims, bytes.fromhex(self._meta()["jwt_secret"]))
        public = {k: user.get(k) for k in ("id", "email", "name", "createdAt", "metadata")}
        return {"token": token, "expiresAt": iso(claims["exp"]), "user": public}

    def signup(
        self, tenant: str, email: str, password: str, name: str | None, metadata: dict[str, Any] | None
    ) -> dict[str, Any]:
        if "@" not in email.strip("@"):
            raise AerostackError(400, "VALIDATION_ERROR", "email is not a valid address")
        if len(password) < 8:
            raise AerostackError(400, "VALIDATION_ERROR", "password must be at least 8 characters")
        salt, digest = security.hash_password(password)
        user = {"id": f"usr_{uuid.uuid4().hex[:16]}", "email": email, "name": name, "metadata": metadata or {}}
        user.update(createdAt=iso(self.now()), salt=salt, password_hash=digest)
        if not self.ctx.store.insert(SERVICE, f"users:{tenant}", email.lower(), user):
            raise AerostackError(409, "VALIDATION_ERROR", "a user with this email already exists")
        return self._session(user, tenant)

    def signin(self, tenant: str, email: str, password: str) -> dict[str, Any]:
        user = self.ctx.store.get(SERVICE, f"users:{tenant}", email.lower())
        if user is None or not security.verify_password(password, user["salt"], user["password_hash"]):
            raise AerostackError(401, "AUTH_INVALID_CREDENTIALS", "Invalid email or password")
        return self._session(user, tenant)

    def verify_token(self, token: str) -> dict[str, Any]:
        return security.verify_jwt(token, bytes.fromhex(self._meta()["jwt_secret"]), self.now())

    # -- ai ---------------------------------------------------------------------------------
    @staticmethod
    def chat(messages: list[dict[str, Any]], model: str | None) -> str:
        """A deterministic, clearly labelled canned answer: no model runs in the emulator."""
        last = next((m.get("content") or "" for m in reversed(messages) if m.get("role") in (None, "user")), "")
        digest = hashlib.sha256(json.dumps([messages, model], sort_keys=True).encode()).hexdigest()[:12]
        return (
            f"[aerostack emulator: no model was run] model={model or 'default'}; "
            f"{len(messages)} message(s); last user message: {last!r}; digest {digest}"
        )

    # -- services ---------------------------------------------------------------------------
    def register_service(self, name: str, spec: dict[str, Any]) -> None:
        self.ctx.store.put(SERVICE, "services", name, spec)

    def invoke(self, tenant: str, name: str, data: dict[str, Any]) -> Any:
        """Route to a registered service: `static` result, `echo`, or `http` forward to a loopback URL."""
        spec = self.ctx.store.get(SERVICE, "services", name)
        if spec is None:
            raise AerostackError(404, "VALIDATION_ERROR", f"no service named {name!r} is registered")
        self.ctx.store.put(SERVICE, "invocations", uuid.uuid4().hex, {"service": name, "data": data, "tenant": tenant})
        kind = spec.get("kind", "static")
        if kind == "echo":
            return {"service": name, "data": data}
        if kind == "http":
            try:
                response = httpx.post(str(spec["url"]), json=data, timeout=10)
            except httpx.HTTPError as exc:
                raise AerostackError(502, "INTERNAL_ERROR", f"service {name!r} unreachable: {exc}") from None
            if response.is_error:
                raise AerostackError(502, "INTERNAL_ERROR", f"service {name!r} answered {response.status_code}")
            return response.json()
        return spec.get("result")

    # -- admin ------------------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        state = self.ctx.store.dump(SERVICE)
        state.pop("meta", None)
        for collection, docs in state.items():
            if collection.startswith("users:"):
                for user in docs.values():
                    user.pop("salt", None)
                    user["password_hash"] = "<scrypt hash>"
        state["databases"] = [t for t in self._tenants() if self.db_path(t).exists()]
        return state


def _tenant_id(api_key: str) -> str:
    """The public tenant id (it appears in file URLs); never used to name a database file."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:16]
