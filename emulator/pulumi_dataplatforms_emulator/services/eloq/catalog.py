"""Static Eloq data the emulator serves: development identities, SKUs and regions."""

from __future__ import annotations

from dataclasses import dataclass

from .models import SkuInfo


@dataclass(frozen=True)
class Identity:
    """What an API key stands for: a user in an org with one project."""

    api_key: str
    org_id: int
    org_name: str
    project_id: int
    project_name: str
    user_name: str
    email: str
    org_create_at: str = "2025-05-14 13:51:02"
    create_at: str = "2025-08-20 08:20:21"


DEFAULT_API_KEY = "eloq-dev-key-0001"
OTHER_API_KEY = "eloq-dev-key-0002"

IDENTITIES: dict[str, Identity] = {
    i.api_key: i
    for i in (
        Identity(DEFAULT_API_KEY, 1, "default-free-org", 147, "project1", "emulator-user", "dev@example.com"),
        Identity(OTHER_API_KEY, 2, "other-org", 248, "other-project", "other-user", "other@example.com"),
    )
}

REGIONS: tuple[str, ...] = (
    "us-west-1",
    "us-west-2",
    "us-east-1",
    "ap-northeast-1",
    "eu-west-1",
    "us-central1",
    "europe-west1",
)

MODULE_NAMES = {"eloqkv": "EloqKV", "eloqdoc": "EloqDoc"}
MODULE_PORTS = {"EloqKV": 6379, "EloqDoc": 27017}
VERSIONS = {"EloqKV": "nightly-2025-05-16", "EloqDoc": "nightly-2025-05-20"}


def _sku(
    sku_id: int, module: str, sku_type: str, cloud: str, size: str, cpu: float, mem: float, replicas: int = 1
) -> SkuInfo:
    module_type = MODULE_NAMES[module]
    return SkuInfo(
        sku_id=sku_id,
        sku_name=f"{module}-{sku_type}-{cloud.lower()}-{size}",
        sku_type=sku_type,
        module_type=module_type,
        version=VERSIONS[module_type],
        tx_cpu_limit=cpu,
        tx_memory_mi_limit=mem,
        tx_ev_gi_limit=20.0 if sku_type == "serverless" else 100.0,
        tx_pv_gi_limit=10.0 if sku_type == "serverless" else 50.0,
        log_cpu_limit=cpu / 2,
        log_memory_mi_limit=mem / 2,
        log_pv_gi_limit=10.0 if sku_type == "serverless" else 50.0,
        cloud_provider=cloud,
        tx_replica=replicas,
        log_replica=replicas if sku_type == "dedicated" else 1,
    )


SKUS: tuple[SkuInfo, ...] = (
    _sku(101, "eloqkv", "serverless", "AWS", "free", 0.5, 1024.0),
    _sku(102, "eloqkv", "dedicated", "AWS", "small", 2.0, 4096.0),
    _sku(103, "eloqkv", "dedicated", "AWS", "large", 8.0, 16384.0, replicas=3),
    _sku(111, "eloqdoc", "serverless", "AWS", "free", 0.5, 1024.0),
    _sku(112, "eloqdoc", "dedicated", "AWS", "small", 2.0, 4096.0),
    _sku(201, "eloqkv", "serverless", "GCP", "free", 0.5, 1024.0),
    _sku(202, "eloqkv", "dedicated", "GCP", "small", 2.0, 4096.0),
    _sku(211, "eloqdoc", "serverless", "GCP", "free", 0.5, 1024.0),
    _sku(212, "eloqdoc", "dedicated", "GCP", "small", 2.0, 4096.0),
)

SKUS_BY_ID: dict[int, SkuInfo] = {s.sku_id: s for s in SKUS}
