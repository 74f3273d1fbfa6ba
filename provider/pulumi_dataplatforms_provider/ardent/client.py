"""Typed Ardent client over the shared HTTP core.

Unlike the official clients, the JSON body is serialised once (compact, ASCII escapes, the
official key order) and those exact bytes are both signed and sent; every request has a
timeout and retries; errors carry status, code, message and request id.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from ..core import Auth, BaseClient, ClientOptions, NotFoundError, RetryPolicy
from ..core.errors import ErrorHints
from ..settings import SettingsError, shown
from . import SETTINGS
from .auth import BearerKeyAuth, HmacAuth
from .models import (
    CONFIG_TYPES,
    CONNECTORS_PATH,
    CREATE_JOB_PATH,
    DELETE_CONFIG_PATH,
    DELETE_JOB_PATH,
    EXECUTE_JOB_PATH,
    Connector,
    Job,
    as_object,
)

#: Ardent answers 429/503 under load; ten retries make a 30% transient failure rate negligible.
DEFAULT_RETRY = RetryPolicy(max_retries=10, initial_delay=0.2, max_delay=5.0, deadline=120.0)
IDEMPOTENCY_HEADER = "Idempotency-Key"

ERROR_HINTS = ErrorHints(
    base_url=shown(SETTINGS, "ardent:baseUrl"),
    credentials=f"{shown(SETTINGS, 'ardent:publicKey', 'ardent:secretKey')} or {shown(SETTINGS, 'ardent:apiKey')}",
)


def compact_json(body: Any) -> bytes:
    """`json.dumps(body, separators=(",", ":"))`: the official clients' signed serialisation."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode("ascii")


class MissingCredentialsError(SettingsError, ValueError):
    """No key of either generation is configured."""


class ArdentClient:
    """Configurations (HMAC generation first), connectors and jobs (bearer generation first)."""

    platform = "Ardent"

    def __init__(
        self,
        base_url: str,
        *,
        hmac: tuple[str, str] | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        base_path = urlsplit(self.base_url).path
        self._hmac = HmacAuth(*hmac, base_path=base_path) if hmac else None
        self._bearer = BearerKeyAuth(api_key) if api_key else None
        if self._hmac is None and self._bearer is None:
            raise MissingCredentialsError(
                "Ardent credentials are not set: set ardent:publicKey + ardent:secretKey "
                "(or ARDENT_PUBLIC_KEY + ARDENT_SECRET_KEY), or ardent:apiKey (ARDENT_API_KEY)"
            )
        self._retry = retry or DEFAULT_RETRY
        self._timeout = timeout
        self._http_pool = httpx.Client(follow_redirects=False)
        # Configuration endpoints only ever existed in the HMAC generation; connectors in both.
        self._configs = self._client(self._hmac or self._bearer, timeout, self._retry)
        self._v1 = self._client(self._bearer or self._hmac, timeout, self._retry)

    def _client(self, auth: Auth | None, timeout: float, retry: RetryPolicy) -> BaseClient:
        options = ClientOptions(
            base_url=self.base_url,
            timeout=timeout,
            retry=retry,
            headers={"Content-Type": "application/json"},
            platform=self.platform,
            hints=ERROR_HINTS,
        )
        return BaseClient(options, auth, http_client=self._http_pool)

    def close(self) -> None:
        self._http_pool.close()

    # configurations ------------------------------------------------------------------------
    def set_config(self, wire_type: str, config_id: str, params: dict[str, Any]) -> dict[str, Any]:
        """Upsert a configuration under the client-chosen id (safe to retry: same id, same body)."""
        body = {"Config": {"type": wire_type, "id": config_id, **params}}
        path = CONFIG_TYPES[wire_type].path
        response = self._configs.request("POST", path, content=compact_json(body), idempotent=True)
        return as_object(response.json())

    def delete_config(self, config_id: str) -> bool:
        """Delete by id (JSON body on DELETE); False when it was already gone."""
        try:
            self._configs.request("DELETE", DELETE_CONFIG_PATH, content=compact_json({"id": config_id}))
        except NotFoundError:
            return False
        return True

    # connectors ----------------------------------------------------------------------------
    def create_connector(self, service_name: str, details: dict[str, Any], name: str | None) -> Connector:
        """POST once; not retried on 5xx (callers check `list_connectors` before trying again)."""
        body: dict[str, Any] = {"service_name": service_name, "connection_details": details}
        if name:
            body["name"] = name
        response = self._v1.request("POST", CONNECTORS_PATH, content=compact_json(body), idempotent=False)
        return Connector.model_validate(response.json())

    def list_connectors(self) -> list[Connector]:
        """`GET /v1/connectors` (no official client calls it; raises NotFoundError where it is absent)."""
        data = self._v1.request("GET", CONNECTORS_PATH).json()
        if isinstance(data, dict):
            data = next((data[k] for k in ("connectors", "items", "data") if isinstance(data.get(k), list)), [])
        return [Connector.model_validate(item) for item in data if isinstance(item, dict) and "id" in item]

    def _connector_step(self, connector_id: str, step: str, body: dict[str, Any]) -> None:
        # discover / selection / index act on one connector and converge when repeated: retry-safe.
        path = f"{CONNECTORS_PATH}/{quote(connector_id, safe='')}/{step}"
        self._v1.request("POST", path, content=compact_json(body), idempotent=True)

    def discover_connector(self, connector_id: str) -> None:
        self._connector_step(connector_id, "discover", {})

    def select_paths(self, connector_id: str, selected_paths: list[str]) -> None:
        self._connector_step(connector_id, "selection", {"selected_paths": selected_paths})

    def index_connector(self, connector_id: str) -> None:
        self._connector_step(connector_id, "index", {})

    def delete_connector(self, connector_id: str) -> bool:
        """DELETE by path id; False when it was already gone."""
        try:
            self._v1.request("DELETE", f"{CONNECTORS_PATH}/{quote(connector_id, safe='')}")
        except NotFoundError:
            return False
        return True

    # jobs ----------------------------------------------------------------------------------
    def create_job(self, message: str, idempotency_key: str) -> Job:
        """createJob with an `Idempotency-Key`, so a retry after a lost answer finds the same job.

        Whether the production server honours the key is unknown (the emulator does).
        """
        response = self._v1.request(
            "POST",
            CREATE_JOB_PATH,
            content=compact_json({"userMessage": message}),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
            idempotent=True,
        )
        return Job.model_validate(response.json())

    def execute_job(
        self, job: Job, message: str, *, safe_mode: bool, idempotency_key: str, timeout: float
    ) -> dict[str, Any]:
        """APIChat, the long synchronous run, with its own timeout (the resource's create timeout)."""
        body: dict[str, Any] = {"jobID": job.id, "userMessage": message, "files_share_name": job.files_share_name}
        if job.userID is not None:
            body["userID"] = job.userID
        body["safeMode"] = safe_mode
        retry = RetryPolicy(
            max_retries=self._retry.max_retries,
            initial_delay=self._retry.initial_delay,
            max_delay=self._retry.max_delay,
            deadline=timeout,
        )
        long_call = self._client(self._bearer or self._hmac, timeout, retry)
        response = long_call.request(
            "POST",
            EXECUTE_JOB_PATH,
            content=compact_json(body),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
            idempotent=True,
        )
        return as_object(response.json())

    def delete_job(self, job_id: str) -> bool:
        """deleteJob (0.3.9+); False when it was already gone."""
        try:
            self._v1.request("DELETE", DELETE_JOB_PATH, content=compact_json({"jobID": job_id}))
        except NotFoundError:
            return False
        return True
