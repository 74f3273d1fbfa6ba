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
from typing import TYPE_CHECKING, Any

from pulumi.runtime.config import get_config

from pulumi_dataplatforms_provider.aerostack import SETTINGS

# The resource classes and their Args, generated from the package schema (`make schema`).
from ._generated.aerostack import *  # noqa: F403
from ._generated.aerostack import __all__ as _generated_names

if TYPE_CHECKING:
    from pulumi_dataplatforms_provider.aerostack.client import AerostackClient
    from pulumi_dataplatforms_provider.aerostack.models import ChatMessage, EnqueueResult, InvokeResult

__all__ = [
    *_generated_names,
    "chat",
    "client",
    "enqueue",
    "invoke_service",
]


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
