"""Eloq wire models, field for field as the official `eloq-sdk` parses them."""

from __future__ import annotations

import base64
import binascii
from enum import Enum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class SkuType(str, Enum):
    SERVERLESS = "serverless"
    DEDICATED = "dedicated"


class EloqModule(str, Enum):
    ELOQKV = "eloqkv"
    ELOQDOC = "eloqdoc"


class CloudProvider(str, Enum):
    AWS = "aws"
    GCP = "gcp"


class Envelope(BaseModel, Generic[T]):
    """`{"code": 200, "message": "success", "data": ...}`."""

    code: int
    message: str = ""
    data: T | None = None


class Project(BaseModel):
    project_id: int
    project_name: str
    create_at: str = ""


class OrgInfo(BaseModel):
    org_id: int
    org_name: str
    org_create_at: str = ""
    roles: list[str] = []
    projects: list[Project]


class UserOrgInfo(BaseModel):
    user_name: str
    email: str = ""
    auth_provider: str = ""
    create_at: str = ""
    org_info: OrgInfo


class ClusterListItem(BaseModel):
    cluster_name: str
    cloud_provider: str
    create_at: str
    module_type: str
    region: str
    status: str
    version: str
    zone: str


class ClusterList(BaseModel):
    cluster_list: list[ClusterListItem]
    total: int


class ClusterDescription(BaseModel):
    """`DescClusterDTO`: everything describe returns."""

    model_config = ConfigDict(extra="ignore")

    admin_user: str
    admin_password: str
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

    def __repr__(self) -> str:
        return f"ClusterDescription(name={self.display_cluster_name!r}, status={self.status!r})"

    __str__ = __repr__

    def username(self) -> str:
        return _b64(self.admin_user, "admin_user")

    def password(self) -> str:
        return _b64(self.admin_password, "admin_password")


class Sku(BaseModel):
    """A SKU of the caller's plan, as `skus-by-args` lists it."""

    sku_id: int
    sku_name: str
    sku_type: str
    module_type: str
    version: str
    cloud_provider: str
    tx_cpu_limit: float
    tx_memory_mi_limit: float
    tx_ev_gi_limit: float
    tx_pv_gi_limit: float
    log_cpu_limit: float
    log_memory_mi_limit: float
    log_pv_gi_limit: float
    tx_replica: int
    log_replica: int


def _b64(value: str, field: str) -> str:
    try:
        return base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(f"Eloq returned {field} that is not base64 of UTF-8 text") from None
