"""Eloq wire DTOs (as the official ``eloq-sdk`` 0.1.4 parses them) and the stored cluster."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..bodies import Name

T = TypeVar("T")

CREATING = "creating"
AVAILABLE = "available"
DELETING = "deleting"


class Envelope(BaseModel, Generic[T]):
    """Every success response: ``{"code": 200, "message": "success", "data": ...}``."""

    code: int = 200
    message: str = "success"
    data: T


class ErrorEnvelope(BaseModel):
    """Every error response; ``code`` repeats the HTTP status."""

    code: int
    message: str
    data: None = None


class ProjectInfo(BaseModel):
    """``SimpleProjectInfo``."""

    create_at: str
    project_id: int
    project_name: str


class OrgInfo(BaseModel):
    """``OrgInfo``: the caller's org and its projects (the client uses ``projects[0]``)."""

    org_create_at: str
    org_id: int
    org_name: str
    projects: list[ProjectInfo]
    roles: list[str]


class UserOrgInfo(BaseModel):
    """``UserOrgInfoDTO``, the ``data`` of ``GET org-info``."""

    auth_provider: str
    create_at: str
    email: str
    org_info: OrgInfo
    user_name: str


class ClusterListItem(BaseModel):
    """One entry of ``GET .../clusters`` (all strings; cloud provider upper case)."""

    cloud_provider: str
    cluster_name: str
    create_at: str
    module_type: str
    region: str
    status: str
    version: str
    zone: str


class ClusterList(BaseModel):
    """``data`` of ``GET .../clusters``."""

    cluster_list: list[ClusterListItem]
    total: int


class DescCluster(BaseModel):
    """``DescClusterDTO``: the 22 fields of ``GET .../clusters/{name}``."""

    admin_password: str = Field(description="base64 of the admin password")
    admin_user: str = Field(description="base64 of the admin user name")
    cloud_provider: str
    cluster_deploy_mode: str
    create_at: str
    display_cluster_name: str
    elb_addr: str
    elb_port: int
    elb_state: str
    log_cpu_limit: float
    log_memory_mi_limit: float
    log_replica: int
    module_type: str
    org_name: str
    project_name: str
    region: str
    status: str
    tx_cpu_limit: float
    tx_memory_mi_limit: float
    tx_replica: int
    version: str
    zone: str


class SkuInfo(BaseModel):
    """``SKUInfo``, an element of ``GET skus-by-args``."""

    sku_id: int
    sku_name: str
    sku_type: str
    module_type: str
    version: str
    tx_cpu_limit: float
    tx_memory_mi_limit: float
    tx_ev_gi_limit: float
    tx_pv_gi_limit: float
    log_cpu_limit: float
    log_memory_mi_limit: float
    log_pv_gi_limit: float
    cloud_provider: str
    tx_replica: int
    log_replica: int


class CreateClusterRequest(BaseModel):
    """Body of ``POST .../clusters`` (camelCase on the wire)."""

    model_config = ConfigDict(populate_by_name=True)

    cluster_name: str = Field(alias="clusterName")
    region: str
    sku_id: int = Field(alias="skuId")
    required_zone: Name | None = Field(default=None, alias="requiredZone")


class ForceStatusRequest(BaseModel):
    """Admin body: pin a cluster's status, or ``null`` to resume the timed lifecycle."""

    status: str | None


class ClusterPatch(BaseModel):
    """Admin body: overwrite stored cluster fields behind the API's back (drift)."""

    model_config = ConfigDict(extra="forbid")

    region: str | None = None
    zone: str | None = None
    version: str | None = None
    sku_id: int | None = None
    elb_addr: str | None = None
    elb_port: int | None = None
    admin_user: str | None = None
    admin_password: str | None = None
    display_name: str | None = None


class StoredCluster(BaseModel):
    """A cluster as persisted; status is derived from the timestamps at read time."""

    org_id: int
    project_id: int
    org_name: str
    project_name: str
    name: str
    display_name: str
    region: str
    zone: str
    sku_id: int
    sku_type: str
    module_type: str
    cloud_provider: str
    version: str
    deploy_mode: str
    tx_cpu_limit: float
    tx_memory_mi_limit: float
    tx_replica: int
    log_cpu_limit: float
    log_memory_mi_limit: float
    log_replica: int
    admin_user: str
    admin_password: str
    elb_addr: str
    elb_port: int
    created_at: float
    ready_at: float
    deleting_at: float | None = None
    gone_at: float | None = None
    forced_status: str | None = None

    def is_gone(self, now: float) -> bool:
        """Whether a finished deletion has removed the cluster."""
        return self.gone_at is not None and now >= self.gone_at

    def status(self, now: float) -> str:
        """``deleting`` once deleted, else a forced status, else ``creating`` until ready."""
        if self.deleting_at is not None:
            return DELETING
        if self.forced_status is not None:
            return self.forced_status
        return AVAILABLE if now >= self.ready_at else CREATING

    def list_item(self, now: float) -> ClusterListItem:
        """The list-view DTO."""
        return ClusterListItem(
            cloud_provider=self.cloud_provider,
            cluster_name=self.name,
            create_at=iso(self.created_at),
            module_type=self.module_type,
            region=self.region,
            status=self.status(now),
            version=self.version,
            zone=self.zone,
        )

    def describe(self, now: float) -> DescCluster:
        """The describe DTO (credentials base64-encoded, cloud provider lower case)."""
        status = self.status(now)
        elb_state = {AVAILABLE: "active", CREATING: "provisioning", DELETING: "deleting"}.get(status, "inactive")
        return DescCluster(
            admin_password=b64(self.admin_password),
            admin_user=b64(self.admin_user),
            cloud_provider=self.cloud_provider.lower(),
            cluster_deploy_mode=self.deploy_mode,
            create_at=iso(self.created_at),
            display_cluster_name=self.display_name,
            elb_addr=self.elb_addr,
            elb_port=self.elb_port,
            elb_state=elb_state,
            log_cpu_limit=self.log_cpu_limit,
            log_memory_mi_limit=self.log_memory_mi_limit,
            log_replica=self.log_replica,
            module_type=self.module_type,
            org_name=self.org_name,
            project_name=self.project_name,
            region=self.region,
            status=status,
            tx_cpu_limit=self.tx_cpu_limit,
            tx_memory_mi_limit=self.tx_memory_mi_limit,
            tx_replica=self.tx_replica,
            version=self.version,
            zone=self.zone,
        )


def iso(ts: float) -> str:
    """``2025-08-26T08:06:41Z``."""
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def b64(text: str) -> str:
    """Standard padded base64 of UTF-8 text."""
    return base64.b64encode(text.encode()).decode("ascii")
