"""Eloq wire models, field for field as the official `eloq-sdk` parses them."""

from __future__ import annotations

import base64
import binascii
from enum import Enum
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

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
    """A SKU of the caller's plan, as `skus-by-args` lists it.

    Parsed from Eloq's snake_case fields; published (schema, Invoke results) under camelCase names.
    """

    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True, validate_by_alias=True)

    sku_id: int = Field(description="The SKU's id: a cluster's `skuId`.")
    sku_name: str = Field(description="The SKU's name.")
    sku_type: str = Field(description="Its capacity: `serverless`, `dedicated` or `unspecified`.")
    module_type: str = Field(description="Its engine: `EloqKV`, `EloqDoc` or `EloqSQL`.")
    version: str = Field(description="The engine version it runs.")
    cloud_provider: str = Field(description="Its cloud: `AWS` or `GCP`.")
    tx_cpu_limit: float = Field(description="CPU cores of the transaction service.")
    tx_memory_mi_limit: float = Field(description="Memory of the transaction service, in MiB.")
    tx_ev_gi_limit: float = Field(description="Ephemeral volume of the transaction service, in GiB.")
    tx_pv_gi_limit: float = Field(description="Persistent volume of the transaction service, in GiB.")
    log_cpu_limit: float = Field(description="CPU cores of the log service.")
    log_memory_mi_limit: float = Field(description="Memory of the log service, in MiB.")
    log_pv_gi_limit: float = Field(description="Persistent volume of the log service, in GiB.")
    tx_replica: int = Field(description="Replicas of the transaction service.")
    log_replica: int = Field(description="Replicas of the log service.")


def _b64(value: str, field: str) -> str:
    try:
        return base64.b64decode(value).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError(f"Eloq returned {field} that is not base64 of UTF-8 text") from None
