"""Typed Aerostack client over the shared HTTP core: all nine operations, sync and async.

Each operation is built once, as an `Operation` (path, body, whether it is safe to replay,
result model), by the functions in `operations`; `AerostackClient` and `AsyncAerostackClient`
only send it. Retries follow the core policy, and only requests that are safe to replay are
retried on 5xx/connection errors: cache get/set, signin, read-only SQL, uploads (same key,
same bytes) and anything the caller marks `idempotent=True`. 429 is retried for every
operation, since a rate-limited request was not processed.
"""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

import httpx
import pydantic

from ..core import APIStatusError, AsyncBaseClient, BaseClient, ClientOptions, HeaderKeyAuth, RetryPolicy
from ..core.errors import ErrorHints
from ..settings import shown
from . import SETTINGS, server_url
from .models import (
    AuthResult,
    CacheGetResult,
    CacheSetResult,
    ChatMessage,
    ChatResult,
    DbQueryResult,
    EnqueueResult,
    InvokeResult,
    UploadResult,
)

T = TypeVar("T", bound=pydantic.BaseModel)
PLATFORM = "Aerostack"
KEY_HEADER = "X-Aerostack-Key"

_READ_ONLY = re.compile(r"^\s*(select|values|explain)\b", re.IGNORECASE)
_WITH = re.compile(r"^\s*with\b", re.IGNORECASE)
_WRITES = re.compile(r"\b(insert|update|delete|replace|create|drop|alter)\b", re.IGNORECASE)
_REPLAY_SAFE = re.compile(
    r"^\s*(create\s+(unique\s+)?(table|index|view|trigger)\s+if\s+not\s+exists"
    r"|drop\s+(table|index|view|trigger)\s+if\s+exists"
    r"|insert\s+or\s+(replace|ignore)|replace\s+into)\b",
    re.IGNORECASE,
)

ERROR_HINTS = ErrorHints(
    base_url=shown(SETTINGS, "aerostack:serverUrl"), credentials=shown(SETTINGS, "aerostack:apiKey")
)


def is_read_only(sql: str) -> bool:
    """Whether `sql` only reads (SELECT/VALUES/EXPLAIN, or a WITH query that writes nothing)."""
    if _READ_ONLY.match(sql):
        return True
    return bool(_WITH.match(sql)) and not _WRITES.search(sql)


def is_replay_safe(sql: str) -> bool:
    """Whether running `sql` twice has the same effect as once (reads, IF [NOT] EXISTS DDL, upserts)."""
    return is_read_only(sql) or bool(_REPLAY_SAFE.match(sql))


def _dump(value: Any) -> Any:
    return value.model_dump(by_alias=True, exclude_none=True) if isinstance(value, pydantic.BaseModel) else value


@dataclass
class Operation(Generic[T]):
    """One request, ready to send: everything but the I/O."""

    path: str
    result: type[T]
    idempotent: bool
    json: Any = None
    data: Mapping[str, str] | None = None
    files: Mapping[str, tuple[str, IO[bytes], str]] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def request_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if self.files is not None:
            kwargs.update(files=self.files, data=self.data)
        else:
            kwargs["json"] = self.json
        return kwargs

    def parse(self, response: httpx.Response) -> T:
        """The typed result; a non-JSON or ill-typed body raises an `APIStatusError` naming the operation."""
        try:
            return self.result.model_validate(response.json())
        except (ValueError, pydantic.ValidationError) as exc:
            raise APIStatusError(
                f"unexpected response body ({type(exc).__name__}): {response.text[:200]}",
                platform=PLATFORM,
                status_code=response.status_code,
                method="POST",
                path=response.request.url.path,
            ) from None


class operations:
    """Request builders for the nine operations (no I/O here)."""

    @staticmethod
    def ai_chat(messages: Sequence[ChatMessage | Mapping[str, Any]], model: str | None = None) -> Operation[ChatResult]:
        body: dict[str, Any] = {"messages": [_dump(m) for m in messages]}
        if model is not None:
            body["model"] = model
        return Operation("/ai/chat", ChatResult, idempotent=False, json=body)

    @staticmethod
    def auth_signin(email: str, password: str) -> Operation[AuthResult]:
        return Operation("/auth/signin", AuthResult, idempotent=True, json={"email": email, "password": password})

    @staticmethod
    def auth_signup(
        email: str, password: str, name: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> Operation[AuthResult]:
        body: dict[str, Any] = {"email": email, "password": password}
        if metadata is not None:
            body["metadata"] = dict(metadata)
        if name is not None:
            body["name"] = name
        # Not replayed on 5xx: a replayed signup of a created user answers 409.
        return Operation("/auth/signup", AuthResult, idempotent=False, json=body)

    @staticmethod
    def cache_get(key: str) -> Operation[CacheGetResult]:
        return Operation("/cache/get", CacheGetResult, idempotent=True, json={"key": key})

    @staticmethod
    def cache_set(key: str, value: Any, ttl: int | None = None) -> Operation[CacheSetResult]:
        body: dict[str, Any] = {"key": key, "value": value}
        if ttl is not None:
            body["ttl"] = ttl
        return Operation("/cache/set", CacheSetResult, idempotent=True, json=body)

    @staticmethod
    def db_query(
        sql: str, params: Sequence[Any] | None = None, *, idempotent: bool | None = None
    ) -> Operation[DbQueryResult]:
        body: dict[str, Any] = {"sql": sql}
        if params is not None:
            body["params"] = list(params)
        safe = is_read_only(sql) if idempotent is None else idempotent
        return Operation("/db/query", DbQueryResult, idempotent=safe, json=body)

    @staticmethod
    def queue_enqueue(
        type_: str, data: Mapping[str, Any], delay: int | None = None, *, idempotent: bool = False
    ) -> Operation[EnqueueResult]:
        body: dict[str, Any] = {"data": dict(data), "type": type_}
        if delay is not None:
            body["delay"] = delay
        return Operation("/queue/enqueue", EnqueueResult, idempotent=idempotent, json=body)

    @staticmethod
    def services_invoke(
        service_name: str, data: Mapping[str, Any], *, idempotent: bool = False
    ) -> Operation[InvokeResult]:
        body = {"data": dict(data), "serviceName": service_name}
        return Operation("/services/invoke", InvokeResult, idempotent=idempotent, json=body)

    @staticmethod
    @contextmanager
    def storage_upload(
        key: str,
        source: str | Path | bytes,
        *,
        file_name: str | None = None,
        content_type: str | None = None,
    ) -> Iterator[Operation[UploadResult]]:
        """Multipart `key`, `contentType`?, `file`; a path is streamed from disk in 64 KiB chunks.

        Replay-safe: the same key with the same bytes overwrites itself. The file is rewound
        (by httpx) for each attempt and closed when the context exits.
        """
        if isinstance(source, bytes):
            handle: IO[bytes] = io.BytesIO(source)
            name = file_name or Path(key).name or "file"
        else:
            handle = Path(source).open("rb")  # noqa: SIM115 - closed below
            name = file_name or Path(source).name
        part_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        data = {"key": key}
        if content_type is not None:
            data["contentType"] = content_type
        try:
            yield Operation(
                "/storage/upload",
                UploadResult,
                idempotent=True,
                data=data,
                files={"file": (name, handle, part_type)},
            )
        finally:
            handle.close()


def _options(server: str | int | None, timeout: float, retry: RetryPolicy | None) -> ClientOptions:
    return ClientOptions(
        base_url=server_url(server),
        timeout=timeout,
        retry=retry or RetryPolicy(),
        platform=PLATFORM,
        hints=ERROR_HINTS,
    )


class AerostackClient:
    """Synchronous Aerostack client for one API key; thread-safe."""

    def __init__(
        self,
        api_key: str,
        server: str | int | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._http = BaseClient(_options(server, timeout, retry), HeaderKeyAuth(KEY_HEADER, api_key), None, http_client)

    @property
    def base_url(self) -> str:
        return self._http.options.base_url

    def send(self, op: Operation[T]) -> T:
        """Send one built operation and parse its result."""
        response = self._http.request("POST", op.path, idempotent=op.idempotent, **op.request_kwargs())
        return op.parse(response)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> AerostackClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def ai_chat(self, messages: Sequence[ChatMessage | Mapping[str, Any]], model: str | None = None) -> ChatResult:
        return self.send(operations.ai_chat(messages, model))

    def auth_signin(self, email: str, password: str) -> AuthResult:
        return self.send(operations.auth_signin(email, password))

    def auth_signup(
        self, email: str, password: str, name: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> AuthResult:
        return self.send(operations.auth_signup(email, password, name, metadata))

    def cache_get(self, key: str) -> CacheGetResult:
        return self.send(operations.cache_get(key))

    def cache_set(self, key: str, value: Any, ttl: int | None = None) -> CacheSetResult:
        return self.send(operations.cache_set(key, value, ttl))

    def db_query(
        self, sql: str, params: Sequence[Any] | None = None, *, idempotent: bool | None = None
    ) -> DbQueryResult:
        return self.send(operations.db_query(sql, params, idempotent=idempotent))

    def queue_enqueue(
        self, type_: str, data: Mapping[str, Any], delay: int | None = None, *, idempotent: bool = False
    ) -> EnqueueResult:
        return self.send(operations.queue_enqueue(type_, data, delay, idempotent=idempotent))

    def services_invoke(self, service_name: str, data: Mapping[str, Any], *, idempotent: bool = False) -> InvokeResult:
        return self.send(operations.services_invoke(service_name, data, idempotent=idempotent))

    def storage_upload(
        self, key: str, source: str | Path | bytes, *, file_name: str | None = None, content_type: str | None = None
    ) -> UploadResult:
        with operations.storage_upload(key, source, file_name=file_name, content_type=content_type) as op:
            return self.send(op)


class AsyncAerostackClient:
    """Asynchronous twin of `AerostackClient`, over the same request builders."""

    def __init__(
        self,
        api_key: str,
        server: str | int | None = None,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._http = AsyncBaseClient(
            _options(server, timeout, retry), HeaderKeyAuth(KEY_HEADER, api_key), None, http_client
        )

    @property
    def base_url(self) -> str:
        return self._http.options.base_url

    async def send(self, op: Operation[T]) -> T:
        """Send one built operation and parse its result."""
        response = await self._http.request("POST", op.path, idempotent=op.idempotent, **op.request_kwargs())
        return op.parse(response)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncAerostackClient:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def ai_chat(
        self, messages: Sequence[ChatMessage | Mapping[str, Any]], model: str | None = None
    ) -> ChatResult:
        return await self.send(operations.ai_chat(messages, model))

    async def auth_signin(self, email: str, password: str) -> AuthResult:
        return await self.send(operations.auth_signin(email, password))

    async def auth_signup(
        self, email: str, password: str, name: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> AuthResult:
        return await self.send(operations.auth_signup(email, password, name, metadata))

    async def cache_get(self, key: str) -> CacheGetResult:
        return await self.send(operations.cache_get(key))

    async def cache_set(self, key: str, value: Any, ttl: int | None = None) -> CacheSetResult:
        return await self.send(operations.cache_set(key, value, ttl))

    async def db_query(
        self, sql: str, params: Sequence[Any] | None = None, *, idempotent: bool | None = None
    ) -> DbQueryResult:
        return await self.send(operations.db_query(sql, params, idempotent=idempotent))

    async def queue_enqueue(
        self, type_: str, data: Mapping[str, Any], delay: int | None = None, *, idempotent: bool = False
    ) -> EnqueueResult:
        return await self.send(operations.queue_enqueue(type_, data, delay, idempotent=idempotent))

    async def services_invoke(
        self, service_name: str, data: Mapping[str, Any], *, idempotent: bool = False
    ) -> InvokeResult:
        return await self.send(operations.services_invoke(service_name, data, idempotent=idempotent))

    async def storage_upload(
        self, key: str, source: str | Path | bytes, *, file_name: str | None = None, content_type: str | None = None
    ) -> UploadResult:
        with operations.storage_upload(key, source, file_name=file_name, content_type=content_type) as op:
            return await self.send(op)
