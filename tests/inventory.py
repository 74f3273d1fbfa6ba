"""What the emulator holds and what a stack's checkpoint records, by kind, for no-duplicate/no-orphan checks."""

from __future__ import annotations

from typing import Any

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack
from tests.cli_support import AerostackApi
from tests.real_cli import resources

#: The type prefixes of the two hosts: the dynamic providers' and the native plugin's package.
TYPE_PREFIXES = ("pulumi-python:dynamic/", "dataplatforms:")
MIGRATIONS_TABLE = "_pulumi_migrations"
KINDS = ("clusters", "configs", "connectors", "jobs", "folders", "services", "migrations", "cache", "objects")
#: Resource type -> (kind, the output naming it on the platform); Spark services and Ardent configs are special.
OUTPUT_OF = {
    "eloq:Cluster": ("clusters", "name"),
    "ardent:Connector": ("connectors", "name"),
    "ardent:Job": ("jobs", "jobId"),
    "spark:Folder": ("folders", "name"),
    "aerostack:SqlMigration": ("migrations", "migrationId"),
    "aerostack:CacheEntry": ("cache", "key"),
    "aerostack:StorageObject": ("objects", "key"),
}


def held(emulator: EmulatorProcess) -> dict[str, list[str]]:
    """Every object the emulator holds, by kind (a name twice is a duplicate).

    A destroyed cache entry is overwritten with null (the API has no delete), so it does not count.
    """
    state = emulator.admin.state()
    aerostack: dict[str, Any] = state["aerostack"]
    cache = [
        key
        for bucket, docs in aerostack.items()
        if bucket.startswith("cache:")
        for key, doc in docs.items()
        if doc.get("value") is not None
    ]
    objects = [key for bucket, docs in aerostack.items() if bucket.startswith("objects:") for key in docs]
    return {
        "clusters": sorted(c["name"] for c in state["eloq"]["clusters"]),
        "configs": sorted(state["ardent"]["configs"]),
        "connectors": sorted(str(c["name"]) for c in state["ardent"]["connectors"].values()),
        "jobs": sorted(state["ardent"]["jobs"]),
        "folders": sorted(f["name"] for f in state["spark"]["folders"].values()),
        "services": sorted(f"{s['folder']}/{s['name']}" for s in state["spark"]["services"].values()),
        "migrations": sorted(migrations(emulator)),
        "cache": sorted(cache),
        "objects": sorted(objects),
    }


def migrations(emulator: EmulatorProcess) -> list[str]:
    """Ids in the migrations' bookkeeping table (none when the table does not exist)."""
    api = AerostackApi(emulator)
    if MIGRATIONS_TABLE not in api.tables():
        return []
    return [str(row["id"]) for row in api.query(f"SELECT id FROM {MIGRATIONS_TABLE}")]


def declared(stack: CliStack) -> dict[str, list[str]]:
    """The same inventory from the stack's checkpoint (either host's types)."""
    out: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for res in resources(stack).values():
        outputs: dict[str, Any] = res["outputs"]
        kind = next(res["type"].removeprefix(p) for p in TYPE_PREFIXES if res["type"].startswith(p))
        if kind == "spark:Service":
            out["services"].append(f"{outputs['folder']}/{outputs['name']}")
        elif kind.startswith("ardent:") and kind.endswith("Config"):
            out["configs"].append(outputs["configId"])
        else:
            inventory, output = OUTPUT_OF[kind]
            out[inventory].append(str(outputs[output]))
    return {kind: sorted(names) for kind, names in out.items()}


def strays(have: dict[str, list[str]], want: dict[str, list[str]]) -> dict[str, list[str]]:
    """What the emulator holds beyond the stack's resources: orphans and duplicates, by kind."""
    extra: dict[str, list[str]] = {}
    for kind, names in have.items():
        left = list(names)
        for name in want.get(kind, []):
            if name in left:
                left.remove(name)
        if left:
            extra[kind] = left
    return extra
