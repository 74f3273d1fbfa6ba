"""Eloq behaviour over the shared store: auth, cluster lifecycle, SKUs."""

from __future__ import annotations

import re
import secrets
import string
from typing import Any

from ..spec import ServiceContext
from . import errors
from .catalog import IDENTITIES, MODULE_PORTS, REGIONS, SKUS, SKUS_BY_ID, Identity
from .models import (
    AVAILABLE,
    ClusterList,
    ClusterPatch,
    CreateClusterRequest,
    OrgInfo,
    ProjectInfo,
    SkuInfo,
    StoredCluster,
    UserOrgInfo,
)

SERVICE = "eloq"
CLUSTERS = "clusters"
ADMIN_USER = "admin"
_DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_PASSWORD_SYMBOLS = "!#%+-.:=@^_~"


def cluster_key(org_id: int, project_id: int, name: str) -> str:
    """Store key of a cluster."""
    return f"{org_id}/{project_id}/{name}"


def strong_password(length: int = 24) -> str:
    """A random password with upper, lower, digit and symbol characters."""
    alphabet = string.ascii_letters + string.digits + _PASSWORD_SYMBOLS
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        classes = (string.ascii_lowercase, string.ascii_uppercase, string.digits, _PASSWORD_SYMBOLS)
        if all(any(c in cls for c in pw) for cls in classes):
            return pw


class EloqBackend:
    """All Eloq state lives in the store under service ``eloq``, collection ``clusters``."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- identity -------------------------------------------------------------------------
    @staticmethod
    def authenticate(api_key: str | None) -> Identity:
        """The identity of a raw ``Authorization`` value, else 401 ``invalid token``."""
        identity = IDENTITIES.get(api_key or "")
        if identity is None:
            raise errors.invalid_token()
        return identity

    @staticmethod
    def org_info(identity: Identity) -> UserOrgInfo:
        """``data`` of ``GET org-info``."""
        project = ProjectInfo(
            create_at=identity.create_at, project_id=identity.project_id, project_name=identity.project_name
        )
        return UserOrgInfo(
            auth_provider="github",
            create_at=identity.create_at,
            email=identity.email,
            user_name=identity.user_name,
            org_info=OrgInfo(
                org_create_at=identity.org_create_at,
                org_id=identity.org_id,
                org_name=identity.org_name,
                projects=[project],
                roles=["project-owner", "cluster-owner"],
            ),
        )

    @staticmethod
    def check_scope(identity: Identity, org_id: int, project_id: int) -> None:
        """404 when the path's org/project is not the caller's.

        404 rather than 403: the caller learns nothing about other orgs, and the official
        client maps it to ``EloqNotFoundError``, which providers treat as "gone".
        """
        if (org_id, project_id) != (identity.org_id, identity.project_id):
            raise errors.not_found(f"org {org_id} project {project_id}")

    # -- clusters ---------------------------------------------------------------------------
    def _load(self, org_id: int, project_id: int, name: str) -> StoredCluster | None:
        key = cluster_key(org_id, project_id, name)
        with self.ctx.store.transaction():
            doc = self.ctx.store.get(SERVICE, CLUSTERS, key)
            if doc is None:
                return None
            cluster = StoredCluster.model_validate(doc)
            if cluster.is_gone(self.ctx.clock()):
                self.ctx.store.delete(SERVICE, CLUSTERS, key)
                return None
            return cluster

    def _save(self, cluster: StoredCluster) -> None:
        key = cluster_key(cluster.org_id, cluster.project_id, cluster.name)
        self.ctx.store.put(SERVICE, CLUSTERS, key, cluster.model_dump())

    def get(self, org_id: int, project_id: int, name: str) -> StoredCluster:
        """A live cluster, else 404."""
        cluster = self._load(org_id, project_id, name)
        if cluster is None:
            raise errors.not_found(f"cluster {name}")
        return cluster

    def live(self, key_prefix: str = "") -> list[StoredCluster]:
        """Every live cluster under a key prefix, purging finished deletions."""
        now = self.ctx.clock()
        out: list[StoredCluster] = []
        with self.ctx.store.transaction():
            for record in self.ctx.store.page(SERVICE, CLUSTERS, key_prefix=key_prefix).items:
                cluster = StoredCluster.model_validate(record.doc)
                if cluster.is_gone(now):
                    self.ctx.store.delete(SERVICE, CLUSTERS, record.key)
                else:
                    out.append(cluster)
        return out

    def list_clusters(self, org_id: int, project_id: int, page: int, per_page: int) -> ClusterList:
        """1-based page of the project's clusters in creation order, with the total."""
        clusters = self.live(f"{org_id}/{project_id}/")
        now = self.ctx.clock()
        start = (page - 1) * per_page
        items = [c.list_item(now) for c in clusters[start : start + per_page]]
        return ClusterList(cluster_list=items, total=len(clusters))

    def create(self, identity: Identity, req: CreateClusterRequest) -> StoredCluster:
        """Validate and store a new cluster; 400 on bad input, 409 on a duplicate name."""
        name = req.cluster_name
        if not _DNS_LABEL.fullmatch(name):
            raise errors.bad_request(
                f"invalid clusterName {name!r}: use 1-63 lower-case letters, digits or '-', "
                "starting and ending with a letter or digit"
            )
        if req.region not in REGIONS:
            raise errors.bad_request(f"invalid region {req.region!r}; known regions: {', '.join(REGIONS)}")
        sku = SKUS_BY_ID.get(req.sku_id)
        if sku is None:
            raise errors.bad_request(f"invalid skuId {req.sku_id}: no such SKU")
        zone = req.required_zone or f"{req.region}a"
        now = self.ctx.clock()
        cluster = StoredCluster(
            org_id=identity.org_id,
            project_id=identity.project_id,
            org_name=identity.org_name,
            project_name=identity.project_name,
            name=name,
            display_name=name,
            region=req.region,
            zone=zone,
            sku_id=sku.sku_id,
            sku_type=sku.sku_type,
            module_type=sku.module_type,
            cloud_provider=sku.cloud_provider,
            version=sku.version,
            deploy_mode="txWithInternalLog" if sku.sku_type == "serverless" else "txWithExternalLog",
            tx_cpu_limit=sku.tx_cpu_limit,
            tx_memory_mi_limit=sku.tx_memory_mi_limit,
            tx_replica=sku.tx_replica,
            log_cpu_limit=sku.log_cpu_limit,
            log_memory_mi_limit=sku.log_memory_mi_limit,
            log_replica=sku.log_replica,
            admin_user=ADMIN_USER,
            admin_password=strong_password(),
            elb_addr=f"{name}-{secrets.token_hex(4)}.elb.{req.region}.eloq.localhost",
            elb_port=MODULE_PORTS.get(sku.module_type, 6379),
            created_at=now,
            ready_at=now + max(self.ctx.settings.provision_seconds, 0.0),
        )
        key = cluster_key(identity.org_id, identity.project_id, name)
        with self.ctx.store.transaction():
            self._load(identity.org_id, identity.project_id, name)  # purges a finished deletion
            if not self.ctx.store.insert(SERVICE, CLUSTERS, key, cluster.model_dump()):
                raise errors.conflict(f"cluster {name} already exists")
        return cluster

    def delete(self, org_id: int, project_id: int, name: str) -> None:
        """Start deleting an ``available`` cluster (403 otherwise, 404 if unknown)."""
        with self.ctx.store.transaction():
            cluster = self.get(org_id, project_id, name)
            now = self.ctx.clock()
            status = cluster.status(now)
            if status != AVAILABLE:
                raise errors.forbidden(f"cluster {name} is not in available status (status: {status})")
            delay = max(self.ctx.settings.deletion_seconds, 0.0)
            if delay == 0:
                self.ctx.store.delete(SERVICE, CLUSTERS, cluster_key(org_id, project_id, name))
                return
            cluster.deleting_at = now
            cluster.gone_at = now + delay
            cluster.forced_status = None
            self._save(cluster)

    # -- SKUs -------------------------------------------------------------------------------
    @staticmethod
    def skus(sku_type: str | None, module: str | None, cloud: str | None) -> list[SkuInfo]:
        """SKUs matching every given filter (case-insensitive)."""

        def ok(value: str, wanted: str | None) -> bool:
            return wanted is None or value.lower() == wanted.lower()

        return [
            s for s in SKUS if ok(s.sku_type, sku_type) and ok(s.module_type, module) and ok(s.cloud_provider, cloud)
        ]

    # -- admin ------------------------------------------------------------------------------
    def force_status(self, org_id: int, project_id: int, name: str, status: str | None) -> StoredCluster:
        """Pin (or with None, unpin) a cluster's status."""
        with self.ctx.store.transaction():
            cluster = self.get(org_id, project_id, name)
            cluster.forced_status = status
            if status is not None:
                cluster.deleting_at = cluster.gone_at = None
            self._save(cluster)
        return cluster

    def patch(self, org_id: int, project_id: int, name: str, patch: ClusterPatch) -> StoredCluster:
        """Overwrite stored fields (drift behind the provider's back)."""
        with self.ctx.store.transaction():
            cluster = self.get(org_id, project_id, name)
            updated = cluster.model_copy(update=patch.model_dump(exclude_none=True))
            self._save(updated)
        return updated

    def remove(self, org_id: int, project_id: int, name: str) -> bool:
        """Remove a cluster at once, whatever its status."""
        return self.ctx.store.delete(SERVICE, CLUSTERS, cluster_key(org_id, project_id, name))

    def dump(self) -> dict[str, Any]:
        """Admin view: every live cluster with its current status and plain credentials."""
        now = self.ctx.clock()
        return {
            "clusters": [
                {**c.model_dump(), "status": c.status(now), "key": cluster_key(c.org_id, c.project_id, c.name)}
                for c in self.live()
            ],
            "api_keys": {k: {"org_id": i.org_id, "project_id": i.project_id} for k, i in IDENTITIES.items()},
        }
