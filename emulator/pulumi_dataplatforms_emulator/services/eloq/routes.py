"""Eloq HTTP routes (mounted under ``/eloq/api/v1``) and its admin routes (``/_admin/eloq``)."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Security
from fastapi.security import APIKeyHeader

from ..spec import ServiceContext
from . import errors
from .backend import EloqBackend
from .catalog import IDENTITIES, Identity
from .models import (
    ClusterList,
    ClusterPatch,
    CreateClusterRequest,
    DescCluster,
    Envelope,
    ErrorEnvelope,
    ForceStatusRequest,
    SkuInfo,
    UserOrgInfo,
)

api_key_header = APIKeyHeader(
    name="Authorization", auto_error=False, description="The raw API key, with no `Bearer ` prefix."
)

CLUSTERS = "/orgs/{org_id}/projects/{project_id}/clusters"
_ERR: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": text}
    for status, text in (
        (400, "Invalid request"),
        (401, "Unknown API key (`invalid token`)"),
        (403, "Cluster not in `available` status"),
        (404, "Org, project or cluster not found"),
        (409, "Cluster name already used in the project"),
    )
}


def _errs(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: _ERR[s] for s in (401, *statuses)}


def build_router(ctx: ServiceContext) -> APIRouter:
    """The public Eloq API."""
    backend = EloqBackend(ctx)
    router = APIRouter(tags=["eloq"])

    def caller(authorization: Annotated[str | None, Security(api_key_header)] = None) -> Identity:
        return backend.authenticate(authorization)

    Caller = Annotated[Identity, Depends(caller)]

    def scoped(identity: Caller, org_id: int, project_id: int) -> Identity:
        backend.check_scope(identity, org_id, project_id)
        return identity

    Scoped = Annotated[Identity, Depends(scoped)]

    @router.get("/org-info", summary="Caller's org and projects", responses=_errs())
    def org_info(identity: Caller) -> Envelope[UserOrgInfo]:
        return Envelope[UserOrgInfo](data=backend.org_info(identity))

    @router.get(CLUSTERS, summary="List clusters (1-based paging)", responses=_errs(400, 404))
    def list_clusters(
        identity: Scoped,
        page: Annotated[int, Query(ge=1)] = 1,
        per_page: Annotated[int, Query(alias="perPage", ge=1, le=100)] = 20,
    ) -> Envelope[ClusterList]:
        data = backend.list_clusters(identity.org_id, identity.project_id, page, per_page)
        return Envelope[ClusterList](data=data)

    @router.get(CLUSTERS + "/{cluster_name}", summary="Describe a cluster", responses=_errs(404))
    def describe_cluster(identity: Scoped, cluster_name: str) -> Envelope[DescCluster]:
        cluster = backend.get(identity.org_id, identity.project_id, cluster_name)
        return Envelope[DescCluster](data=cluster.describe(ctx.clock()))

    @router.post(CLUSTERS, summary="Create a cluster", responses=_errs(400, 404, 409))
    def create_cluster(identity: Scoped, body: CreateClusterRequest) -> Envelope[None]:
        backend.create(identity, body)
        return Envelope[None](data=None)

    @router.delete(
        CLUSTERS + "/{cluster_name}/delete", summary="Delete an available cluster", responses=_errs(403, 404)
    )
    def delete_cluster(identity: Scoped, cluster_name: str) -> Envelope[None]:
        backend.delete(identity.org_id, identity.project_id, cluster_name)
        return Envelope[None](data=None)

    @router.get("/skus-by-args", summary="SKUs matching the filters", responses=_errs(400))
    def skus_by_args(
        identity: Caller,
        sku_type: Annotated[Literal["serverless", "dedicated"] | None, Query(alias="type")] = None,
        eloq_module: Annotated[Literal["eloqkv", "eloqdoc"] | None, Query(alias="eloqModule")] = None,
        cloud_provider: Annotated[Literal["aws", "gcp"] | None, Query(alias="cloudProvider")] = None,
    ) -> Envelope[list[SkuInfo]]:
        return Envelope[list[SkuInfo]](data=backend.skus(sku_type, eloq_module, cloud_provider))

    return router


def build_admin_router(ctx: ServiceContext) -> APIRouter:
    """Test helpers under ``/_admin/eloq``: simulate drift behind the provider's back."""
    backend = EloqBackend(ctx)
    router = APIRouter(tags=["admin: eloq"])
    one = "/clusters/{org_id}/{project_id}/{cluster_name}"

    @router.get("/clusters", summary="Every live cluster, with status and plain credentials")
    def all_clusters() -> dict[str, Any]:
        return backend.dump()

    @router.get("/api-keys", summary="Development API keys and their org/project")
    def api_keys() -> list[dict[str, Any]]:
        return [
            {
                "api_key": i.api_key,
                "org_id": i.org_id,
                "org_name": i.org_name,
                "project_id": i.project_id,
                "project_name": i.project_name,
            }
            for i in IDENTITIES.values()
        ]

    @router.post(one + "/status", summary="Force a status (null resumes the timed lifecycle)")
    def force_status(org_id: int, project_id: int, cluster_name: str, body: ForceStatusRequest) -> DescCluster:
        cluster = backend.force_status(org_id, project_id, cluster_name, body.status)
        return cluster.describe(ctx.clock())

    @router.patch(one, summary="Overwrite stored fields")
    def patch_cluster(org_id: int, project_id: int, cluster_name: str, body: ClusterPatch) -> DescCluster:
        return backend.patch(org_id, project_id, cluster_name, body).describe(ctx.clock())

    @router.delete(one, summary="Remove a cluster instantly")
    def remove_cluster(org_id: int, project_id: int, cluster_name: str) -> dict[str, bool]:
        if not backend.remove(org_id, project_id, cluster_name):
            raise errors.not_found(f"cluster {cluster_name}")
        return {"removed": True}

    return router
