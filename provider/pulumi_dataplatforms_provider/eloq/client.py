"""Typed Eloq client over the shared HTTP core.

Unlike the official client, org-info is fetched once per client (not before every call),
every request has a timeout and retries, and errors carry status, code, message and request id.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from ..core import APIStatusError, BaseClient, ClientOptions, HeaderKeyAuth, RetryPolicy
from ..core.errors import ErrorHints
from ..settings import shown
from . import SETTINGS
from .models import ClusterDescription, ClusterList, ClusterListItem, Envelope, Sku, UserOrgInfo

T = TypeVar("T")
DEFAULT_ZONE = "us-west-1a"

ERROR_HINTS = ErrorHints(base_url=shown(SETTINGS, "eloq:baseUrl"), credentials=shown(SETTINGS, "eloq:apiKey"))


class EloqClient:
    """Eloq clusters, SKUs and credentials for one API key."""

    platform = "Eloq"

    def __init__(self, api_key: str, base_url: str, *, timeout: float = 30.0, retry: RetryPolicy | None = None):
        options = ClientOptions(
            base_url=base_url,
            timeout=timeout,
            retry=retry or RetryPolicy(),
            headers={"Content-Type": "application/json"},
            platform=self.platform,
            hints=ERROR_HINTS,
        )
        self._http = BaseClient(options, HeaderKeyAuth("Authorization", api_key))
        self._org: UserOrgInfo | None = None
        self._org_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def _data(self, response: httpx.Response, kind: type[T]) -> T:
        envelope = Envelope[Any].model_validate(response.json())
        return TypeAdapter(kind).validate_python(envelope.data)

    def _operation(self, response: httpx.Response) -> None:
        """Create and delete answer HTTP 200 even on failure; `code` must be the integer 200."""
        envelope = Envelope[Any].model_validate(response.json())
        if envelope.code != 200:
            raise self._http.answer_error(
                response,
                envelope.message or "operation failed",
                status=envelope.code if envelope.code >= 400 else 400,
                code=str(envelope.code),
            )

    def info(self) -> UserOrgInfo:
        """The caller's user and organisation (fetched once, then cached)."""
        with self._org_lock:
            if self._org is None:
                self._org = self._data(self._http.request("GET", "org-info"), UserOrgInfo)
                if not self._org.org_info.projects:
                    raise APIStatusError(
                        "the organisation has no project; create one in the Eloq console",
                        platform=self.platform,
                        status_code=200,
                        method="GET",
                        path="org-info",
                    )
            return self._org

    def _project_path(self) -> str:
        org = self.info().org_info
        return f"orgs/{org.org_id}/projects/{org.projects[0].project_id}/clusters"

    def project_ids(self) -> tuple[int, int]:
        org = self.info().org_info
        return org.org_id, org.projects[0].project_id

    def list_clusters(self, page: int = 1, per_page: int = 20) -> ClusterList:
        response = self._http.request("GET", self._project_path(), params={"page": page, "perPage": per_page})
        return self._data(response, ClusterList)

    def iter_clusters(self, per_page: int = 50) -> Iterator[ClusterListItem]:
        """Every cluster of the project, across pages."""
        page, seen = 1, 0
        while True:
            batch = self.list_clusters(page, per_page)
            yield from batch.cluster_list
            seen += len(batch.cluster_list)
            if not batch.cluster_list or seen >= batch.total:
                return
            page += 1

    def describe_cluster(self, name: str) -> ClusterDescription:
        response = self._http.request("GET", f"{self._project_path()}/{quote(name, safe='')}")
        return self._data(response, ClusterDescription)

    def create_cluster(self, name: str, region: str, sku_id: int, zone: str = DEFAULT_ZONE) -> None:
        """POST a create. Not retried on 5xx: callers make it idempotent by looking up `name` first."""
        body = {"clusterName": name, "region": region, "skuId": sku_id, "requiredZone": zone}
        self._operation(self._http.request("POST", self._project_path(), json=body, idempotent=False))

    def delete_cluster(self, name: str) -> None:
        self._operation(self._http.request("DELETE", f"{self._project_path()}/{quote(name, safe='')}/delete"))

    def credentials(self, name: str) -> dict[str, Any]:
        """Username and password decoded from describe, with host, port and status."""
        cluster = self.describe_cluster(name)
        return {
            "username": cluster.username(),
            "password": cluster.password(),
            "host": cluster.elb_addr,
            "port": cluster.elb_port,
            "status": cluster.status,
        }

    def list_skus(self, sku_type: str, module: str, cloud: str) -> list[Sku]:
        params = {"type": sku_type, "eloqModule": module, "cloudProvider": cloud}
        return self._data(self._http.request("GET", "skus-by-args", params=params), list[Sku])
