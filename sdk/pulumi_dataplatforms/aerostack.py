"""Aerostack: SQL migrations, cache entries, stored objects, and helpers for its actions.

    from pulumi_dataplatforms import aerostack
    users = aerostack.SqlMigration("users", up=["CREATE TABLE users (id TEXT PRIMARY KEY)"],
                                   down=["DROP TABLE users"])
    flags = aerostack.CacheEntry("flags", key="flags", value={"beta": True}, ttl=3600)
    logo = aerostack.StorageObject("logo", key="assets/logo.svg", source="assets/logo.svg")

Credentials come from stack config `aerostack:apiKey` (secret) and `aerostack:serverUrl` (a URL
including `/v1`, or `0` production / `1` local), or `AEROSTACK_API_KEY` / `AEROSTACK_SERVER_URL`.

Aerostack has no delete endpoint for cache entries (destroy expires them with the shortest ttl)
and neither read nor delete for stored objects (no drift detection; destroy leaves them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pulumi
from pulumi.runtime.config import get_config

from pulumi_dataplatforms_provider.aerostack import SETTINGS

from ._resource import DataPlatformResource

if TYPE_CHECKING:
    from pulumi_dataplatforms_provider.aerostack.client import AerostackClient
    from pulumi_dataplatforms_provider.aerostack.models import ChatMessage, EnqueueResult, InvokeResult

__all__ = [
    "CacheEntry",
    "CacheEntryArgs",
    "SqlMigration",
    "SqlMigrationArgs",
    "StorageObject",
    "StorageObjectArgs",
    "chat",
    "client",
    "enqueue",
    "invoke_service",
]


@dataclass(kw_only=True)
class SqlMigrationArgs:
    """The arguments of a SQL migration."""

    up: pulumi.Input[Sequence[pulumi.Input[str]]]
    """SQL statements applied in order, one per `db/query` call. Editing them replaces the migration (`down` of the
    old version runs first, then the new `up`)."""
    down: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    """SQL statements run in order when the migration is destroyed or replaced. Updated in place."""
    verify: pulumi.Input[str] | None = None
    """A read-only query that must run and return at least one row while the migration is in effect; refresh uses it
    to notice a migration rolled back outside Pulumi. Updated in place."""
    migration_id: pulumi.Input[str] | None = None
    """Id recorded in the bookkeeping table. Defaults to the resource name. Changing it replaces the migration."""
    bookkeeping_table: pulumi.Input[str] | None = None
    """Table in your database that records applied migrations (id, checksum, applied_at)."""


class SqlMigration(DataPlatformResource, module="aerostack", name="SqlMigration"):
    """A SQL migration applied through Aerostack `db/query`: `up` statements run in order, one per call, and the
    migration is recorded (id + checksum) in a bookkeeping table in your database, so re-applying is a no-op.
    Refresh drops it from state when the record is gone or `verify` fails; destroy runs `down`.

    Each statement is its own transaction: a failing statement stops the migration, names its index
    and the database's message, and the migration is not recorded; statements before it stay applied.
    The bookkeeping table defaults to `_pulumi_migrations`.
    """

    _args_type = SqlMigrationArgs
    _output_names = ("checksum", "applied_at", "statements_applied")

    migration_id: pulumi.Output[str]
    checksum: pulumi.Output[str]
    """SHA-256 of the `up` statements, as recorded."""
    applied_at: pulumi.Output[str]
    """When the migration was recorded (ISO 8601)."""
    statements_applied: pulumi.Output[int]
    """How many `up` statements this stack ran (0 when it adopted a record)."""

    def __init__(
        self, resource_name: str, args: SqlMigrationArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        from pulumi_dataplatforms_provider.aerostack.sql_migration import SqlMigrationProvider

        super().__init__(SqlMigrationProvider(), resource_name, args, opts, kwargs)


@dataclass(kw_only=True)
class CacheEntryArgs:
    """The arguments of a cache entry."""

    key: pulumi.Input[str]
    """Cache key. Changing it replaces the entry."""
    value: pulumi.Input[Any] | None = None
    """The value: any JSON value (object, array, string, number, bool). Give this or `value_json`."""
    value_json: pulumi.Input[str] | None = None
    """The value as JSON text, parsed before it is stored. Give this or `value`."""
    ttl: pulumi.Input[int] | None = None
    """Time to live in seconds (at least 1); none means the entry does not expire."""


class CacheEntry(DataPlatformResource, module="aerostack", name="CacheEntry"):
    """A JSON value in the Aerostack cache. Refresh detects a changed or expired value. The API has no delete:
    destroy overwrites the entry with null and a ttl of 1s, the shortest the API allows.
    """

    _args_type = CacheEntryArgs
    _output_names = ("expires_at",)

    key: pulumi.Output[str]
    value: pulumi.Output[Any]
    ttl: pulumi.Output[int | None]
    expires_at: pulumi.Output[str | None]
    """When the ttl ends (ISO 8601)."""

    def __init__(
        self, resource_name: str, args: CacheEntryArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        from pulumi_dataplatforms_provider.aerostack.cache_entry import CacheEntryProvider

        super().__init__(CacheEntryProvider(), resource_name, args, opts, kwargs)


@dataclass(kw_only=True)
class StorageObjectArgs:
    """The arguments of a stored object."""

    key: pulumi.Input[str]
    """Storage key/path, e.g. `assets/logo.svg`. Changing it replaces the object."""
    source: pulumi.Input[str] | None = None
    """Local file to upload (streamed). Give this or `content`."""
    content: pulumi.Input[str] | None = None
    """Inline text content (UTF-8). Give this or `source`."""
    content_type: pulumi.Input[str] | None = None
    """Content type; guessed from the file name when unset."""


class StorageObject(DataPlatformResource, module="aerostack", name="StorageObject"):
    """A file uploaded to Aerostack storage (streamed), served at `url`. Aerostack has no read and no delete
    endpoint for objects: drift is never detected, and destroy leaves the object in place (with a warning).
    Editing the source file re-uploads it.

    Drift detection: none. The platform has no read endpoint, so refresh keeps the recorded state.
    """

    _args_type = StorageObjectArgs
    _output_names = ("url", "size", "source_hash")

    key: pulumi.Output[str]
    url: pulumi.Output[str]
    """Where the object is served, as the upload returned it."""
    size: pulumi.Output[int]
    """Bytes uploaded."""
    source_hash: pulumi.Output[str | None]
    """SHA-256 of `source`, computed during check (not set by you)."""

    def __init__(
        self, resource_name: str, args: StorageObjectArgs | None = None,
        opts: pulumi.ResourceOptions | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        from pulumi_dataplatforms_provider.aerostack.storage_object import StorageObjectProvider

        super().__init__(StorageObjectProvider(), resource_name, args, opts, kwargs)


def client() -> AerostackClient:
    """A client with the provider's credentials (stack config, then environment); close it when done.

    The client has every Aerostack operation (database queries, cache, queue, services, AI chat, storage);
    use it in a `with` statement to close it. Creating it sends no request.

    Returns:
        A new `AerostackClient` for `aerostack:serverUrl` with `aerostack:apiKey`.

    Raises:
        ValueError: `aerostack:apiKey` is set neither in the stack config nor as `AEROSTACK_API_KEY`, or
            `aerostack:serverUrl` is neither an http(s) URL nor a server index.
        IndexError: `aerostack:serverUrl` is a server index other than `0` (production) or `1` (local).

    Example:
        from pulumi_dataplatforms import aerostack

        with aerostack.client() as api:
            rows = api.db_query("SELECT id FROM users").results
    """
    from pulumi_dataplatforms_provider.aerostack.client import AerostackClient

    stack_config = {s.key: value for s in SETTINGS if (value := get_config(s.key)) is not None}
    api_key, server = (s.resolve(stack_config) for s in SETTINGS)
    if not api_key:
        raise ValueError(
            "aerostack:apiKey is not set: run `pulumi config set --secret aerostack:apiKey <key>` "
            "or export AEROSTACK_API_KEY"
        )
    return AerostackClient(api_key, server)


def invoke_service(service_name: str, data: Mapping[str, Any], *, idempotent: bool = False) -> InvokeResult:
    """Call an Aerostack service once (retried on 5xx only when `idempotent=True`).

    Args:
        service_name: The name of the service to invoke.
        data: The JSON object sent to the service.
        idempotent: Whether the call may be sent again after a 5xx answer or a dropped connection; only for
            services that a repeated call does no harm to. A 429 answer is retried either way.

    Returns:
        The invocation's result: the service's answer in `result` and Aerostack's `success` flag.

    Raises:
        ValueError: The settings have no API key or an invalid server URL (as for `client()`).
        IndexError: `aerostack:serverUrl` is a server index out of range (as for `client()`).
        AuthenticationError: Aerostack refused the API key (401).
        APIStatusError: Aerostack answered with another error status, or with a body that is not a result.
        APIConnectionError: Aerostack could not be reached at `aerostack:serverUrl`.

    Example:
        from pulumi_dataplatforms import aerostack

        answer = aerostack.invoke_service("billing", {"plan": "pro"}, idempotent=True)
        print(answer.result)
    """
    with client() as api:
        return api.services_invoke(service_name, data, idempotent=idempotent)


def chat(messages: Sequence[ChatMessage | Mapping[str, Any]], model: str | None = None) -> str:
    """The AI answer to `messages` (`[{"role": "user", "content": "..."}]`).

    The call is never sent twice: a 5xx answer or a dropped connection is raised, not retried.

    Args:
        messages: The conversation so far, oldest first: chat messages or dicts with `role` (`system`, `user`
            or `assistant`) and `content`.
        model: The model to answer with; Aerostack's default model when None.

    Returns:
        The answer's text; an empty string when Aerostack returns no answer.

    Raises:
        ValueError: The settings have no API key or an invalid server URL (as for `client()`).
        IndexError: `aerostack:serverUrl` is a server index out of range (as for `client()`).
        AuthenticationError: Aerostack refused the API key (401).
        APIStatusError: Aerostack answered with another error status, or with a body that is not an answer.
        APIConnectionError: Aerostack could not be reached at `aerostack:serverUrl`.

    Example:
        from pulumi_dataplatforms import aerostack

        reply = aerostack.chat([{"role": "user", "content": "Name three primary colours."}])
    """
    with client() as api:
        return api.ai_chat(messages, model).response or ""


def enqueue(type_: str, data: Mapping[str, Any], delay: int | None = None) -> EnqueueResult:
    """Queue a job (not replayed on 5xx, so it is never queued twice by a retry); returns its `job_id`.

    Args:
        type_: The job type, which selects the worker that runs it.
        data: The job's JSON payload.
        delay: Seconds to wait before the job runs; it runs as soon as possible when None.

    Returns:
        The queued job: its id in `job_id` and Aerostack's `success` flag.

    Raises:
        ValueError: The settings have no API key or an invalid server URL (as for `client()`).
        IndexError: `aerostack:serverUrl` is a server index out of range (as for `client()`).
        AuthenticationError: Aerostack refused the API key (401).
        APIStatusError: Aerostack answered with another error status, or with a body that is not a job.
        APIConnectionError: Aerostack could not be reached at `aerostack:serverUrl`.

    Example:
        from pulumi_dataplatforms import aerostack

        job = aerostack.enqueue("send-welcome-email", {"user": "u-1"}, delay=60)
        print(job.job_id)
    """
    with client() as api:
        return api.queue_enqueue(type_, data, delay)
