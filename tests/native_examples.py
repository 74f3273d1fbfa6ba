"""Support for the tests that deploy the native examples (YAML, generated Python and TypeScript SDKs).

Each example declares the same three resources (an Eloq cluster `<prefix>-cache`, a Spark folder
`<prefix>-models` and an Aerostack cache entry `<prefix>:settings`); `Deployed` reads them back
from the emulator. The generated-SDK examples also call `getSkus` and export the first SKU's name.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from tests.inventory import KINDS, held

T = TypeVar("T")
#: Logical name -> type token of what each native example declares.
DECLARED = {
    "cache": "dataplatforms:eloq:Cluster",
    "models": "dataplatforms:spark:Folder",
    "settings": "dataplatforms:aerostack:CacheEntry",
}
#: What the emulator holds when nothing is deployed (tests/inventory.py kinds).
NOTHING: dict[str, list[str]] = {kind: [] for kind in KINDS}


def holding(prefix: str) -> dict[str, list[str]]:
    """What the emulator holds after an example with `prefix` is up."""
    return {
        **NOTHING,
        "clusters": [f"{prefix}-cache"],
        "folders": [f"{prefix}-models"],
        "cache": [f"{prefix}:settings"],
    }


class Timings:
    """Seconds per operation, by label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, label: str, operation: Callable[[], T]) -> T:
        started = time.monotonic()
        try:
            return operation()
        finally:
            self.seconds[label] = round(time.monotonic() - started, 2)

    def line(self) -> str:
        return ", ".join(f"{label} {seconds:.1f} s" for label, seconds in self.seconds.items())


@dataclass
class Deployed:
    """An example's three resources as the emulator holds them."""

    cluster: dict[str, Any]
    folder: dict[str, Any]
    entry: dict[str, Any]
    #: The name of the first serverless EloqKV SKU on AWS, as the emulator lists it (`getSkus`).
    first_sku_name: str

    @classmethod
    def of(cls, emulator: EmulatorProcess, prefix: str) -> Deployed:
        """Reads them; fails unless the emulator holds exactly the example's resources."""
        assert held(emulator) == holding(prefix)
        state = emulator.admin.state()
        (cluster,) = state["eloq"]["clusters"]
        (folder,) = state["spark"]["folders"].values()
        (entry,) = [
            docs[f"{prefix}:settings"] for bucket, docs in state["aerostack"].items() if bucket.startswith("cache:")
        ]
        env = emulator.env()
        client = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
        try:
            first_sku = client.list_skus("serverless", "eloqkv", "aws")[0]
        finally:
            client.close()
        return cls(cluster, folder, entry, first_sku.sku_name)

    def expected_outputs(self, prefix: str) -> dict[str, Any]:
        """The stack outputs every native example exports, from what the emulator holds."""
        return {
            "clusterName": f"{prefix}-cache",
            "endpoint": f"{self.cluster['elb_addr']}:{self.cluster['elb_port']}",
            "status": "available",
            "password": self.cluster["admin_password"],
            "folderId": self.folder["id"],
            "settingsKey": f"{prefix}:settings",
            "skuName": self.first_sku_name,
        }
