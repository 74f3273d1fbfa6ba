"""examples/gitops through the real Pulumi CLI: all four platforms from YAML manifests, preview to destroy.

Resources are named `<kind>/<name>` as in the manifests (`eloq/Cluster/catalog`): two resources are
called `catalog`. Out-of-band changes go through each platform's own API (tests/cli_support.py).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import REPLACEMENT_STEPS, CliStack, Outcome
from tests.cli_support import AerostackApi, SparkApi, ardent_client, edit, provider_blobs, spark_state
from tests.real_cli import assert_no_plaintext_secrets, example_stack, secret_values, writes

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

ORG, PROJECT = 1, 147  # the Eloq development key's organisation and project
WEBHOOK_TOKEN = "local-webhook-token"  # examples/gitops/emulator.yaml
POSTGRES_PASSWORD = "local-postgres-password"  # examples/gitops/emulator.yaml
ROTATED_TOKEN = "rotated-outside-pulumi-Vb58"
RESOURCES = (
    "aerostack/SqlMigration/001-users",
    "aerostack/SqlMigration/002-posts",
    "aerostack/CacheEntry/app-settings",
    "aerostack/CacheEntry/webhook-token",
    "aerostack/StorageObject/logo",
    "ardent/PostgresConfig/orders",
    "ardent/MongoDbConfig/catalog",
    "eloq/Cluster/catalog",
    "spark/Folder/pricing",
    "spark/Service/quote",
)
ALL_SAME = dict.fromkeys(RESOURCES, "same")


def kind_name(type_: str, name: str) -> str:
    """`pulumi-python:dynamic/eloq:Cluster` + `catalog` -> `eloq/Cluster/catalog`."""
    return f"{type_.rsplit('/', 1)[-1].replace(':', '/')}/{name}"


def ops(outcome: Outcome) -> dict[str, str]:
    """`Outcome.ops()` keyed by `<kind>/<name>` (logical names are unique per type only)."""
    found: dict[str, str] = {}
    for step in outcome.steps:
        if step.type.startswith("pulumi:providers:") or step.type == "pulumi:pulumi:Stack":
            continue
        key = kind_name(step.type, step.name)
        replacing = step.op in REPLACEMENT_STEPS or found.get(key) == "replace"
        found[key] = "replace" if replacing else step.op
    return found


def state_of(stack: CliStack) -> dict[str, dict[str, Any]]:
    """Checkpoint resources by `<kind>/<name>`."""
    return {
        kind_name(res["type"], res["urn"].rsplit("::", 1)[-1]): res
        for res in stack.export().get("resources", [])
        if res["type"].startswith("pulumi-python:dynamic/")
    }


def cluster(emulator: EmulatorProcess) -> dict[str, Any]:
    """The one Eloq cluster."""
    (found,) = emulator.admin.state()["eloq"]["clusters"]
    return dict(found)


def ardent_configs(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    """Ardent configurations by wire type."""
    return {c["type"]: c for c in emulator.admin.state()["ardent"]["configs"].values()}


def mongodb_uri(emulator: EmulatorProcess) -> str:
    """The connection string the cluster's credentials make (what Ardent must have been given)."""
    c = cluster(emulator)
    return f"mongodb://{c['admin_user']}:{c['admin_password']}@{c['elb_addr']}:{c['elb_port']}"


def test_gitops_lifecycle(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = example_stack(tmp_path, "gitops", emulator, monkeypatch)
    manifests = stack.program_dir / "manifests"
    spark, aerostack = SparkApi(emulator), AerostackApi(emulator)
    outcomes: list[Outcome] = []
    emulator.admin.reset_counts()

    # 1. Preview: ten creates; the connection string that comes from the cluster (unknown until it
    # exists) is a secret input of the configuration, so it shows as [secret], as do the secrets
    # from config and environment; nothing is written.
    plan = stack.preview(diff=True)
    outcomes.append(plan)
    assert ops(plan) == dict.fromkeys(RESOURCES, "create")
    assert re.search(r"^\s+connectionString: \[secret\]$", plan.text, re.MULTILINE), plan.text
    assert re.search(r"^\s+password\s+: \[secret\]$", plan.text, re.MULTILINE)
    assert re.search(r"^\s+value\s+: \[secret\]$", plan.text, re.MULTILINE)
    assert writes(emulator) == {}, "a preview of a new stack must not write"

    # 2. Up: everything the manifests declare, on every platform.
    created = stack.up()
    outcomes.append(created)
    assert ops(created) == dict.fromkeys(RESOURCES, "create")
    eloq = cluster(emulator)
    assert (eloq["region"], eloq["zone"], eloq["module_type"]) == ("us-west-1", "us-west-1a", "EloqDoc")
    configs = ardent_configs(emulator)
    assert set(configs) == {"postgreSQL", "mongodb"}
    assert configs["postgreSQL"]["config"]["password"] == POSTGRES_PASSWORD
    assert configs["mongodb"]["config"]["connection_string"] == mongodb_uri(emulator)
    folders, services = spark_state(emulator).values()
    ((folder_name, folder),) = folders.items()
    assert (folder["description"], folder["category"]) == ("Pricing models", "Finance")
    ((service_key, service),) = services.items()
    assert service_key.startswith(f"{folder_name}/quote-")
    assert [(v["releaseNote"], v["tags"]) for v in service["versions"]] == [("Quote with volume discount", "pricing")]
    assert aerostack.cache_get("app:settings")["value"] == {"theme": "light", "signupOpen": True, "maxPostLength": 500}
    assert aerostack.cache_get("app:webhook-token")["value"] == WEBHOOK_TOKEN
    assert {"users", "posts", "_pulumi_migrations"} <= aerostack.tables()
    (objects,) = [v for k, v in emulator.admin.state()["aerostack"].items() if k.startswith("objects:")]
    logo = (stack.program_dir / "assets" / "logo.svg").read_bytes()
    assert objects["assets/logo.svg"]["size"] == len(logo)

    emulator.admin.reset_counts()
    same = stack.preview(expect_no_changes=True)
    assert ops(same) == ALL_SAME
    assert writes(emulator) == {}

    # 3. Edited manifests. The service's release notes are in its `ignoreChanges`: no change. Then a
    # folder description updates in place and a cache key replaces the entry.
    edit(manifests / "spark.yaml", "releaseNotes: Quote with volume discount", "releaseNotes: Reworded")
    ignored = stack.preview(expect_no_changes=True)
    assert ops(ignored) == ALL_SAME
    edit(manifests / "spark.yaml", "description: Pricing models", "description: Pricing models, audited")
    edit(manifests / "aerostack.yaml", "key: app:settings", "key: app:settings-v2")
    edited = stack.up()
    outcomes.append(edited)
    assert ops(edited) == {**ALL_SAME, "spark/Folder/pricing": "update", "aerostack/CacheEntry/app-settings": "replace"}
    assert "[diff: ~description]" in edited.text and "[diff: ~key]" in edited.text
    assert spark_state(emulator)["folders"][folder_name]["description"] == "Pricing models, audited"
    assert aerostack.cache_get("app:settings-v2")["value"]["theme"] == "light"
    assert aerostack.cache_get("app:settings")["value"] is None  # the replaced entry: null, expiring (no delete)
    assert state_of(stack)["spark/Service/quote"]["inputs"]["releaseNotes"] == "Quote with volume discount"
    assert len(spark_state(emulator)["services"][service_key]["versions"]) == 1

    # 4a. Out-of-band changes on every platform. Refresh shows what each platform can read back.
    spark.update_folder(folder["id"], description="Edited in the Spark UI")
    aerostack.cache_set("app:settings-v2", {"theme": "dark"})
    aerostack.cache_set("app:webhook-token", ROTATED_TOKEN)  # a secret value, read back by refresh
    emulator.admin.eloq_patch(ORG, PROJECT, eloq["name"], zone="us-west-1b")
    aerostack.upload("assets/logo.svg", b"<svg>replaced</svg>", "image/svg+xml")
    drift = stack.refresh()
    outcomes.append(drift)
    assert drift.changes == {"update": 4, "same": 7}
    # Aerostack has no read endpoint for storage objects: the replaced logo is not noticed.
    read_back = ["spark/Folder/pricing", "aerostack/CacheEntry/app-settings", "eloq/Cluster/catalog"]
    read_back.append("aerostack/CacheEntry/webhook-token")
    assert ops(drift) == {**ALL_SAME, **dict.fromkeys(read_back, "read")}
    for kind, name, field in (
        ("spark:Folder", "pricing", "description"),
        ("aerostack:CacheEntry", "app-settings", "value"),
        ("eloq:Cluster", "catalog", "zone"),
    ):
        assert re.search(rf"dynamic/{kind} {name} .*\[diff: ~{field}\]", drift.text), f"{kind} {name}:\n{drift.text}"
    # A secret's change is shown without its key: the engine compares the masked values.
    assert re.search(r"dynamic/aerostack:CacheEntry webhook-token updated \(\S+\)$", drift.text, re.MULTILINE)
    assert state_of(stack)["eloq/Cluster/catalog"]["inputs"]["zone"] == "us-west-1b"
    assert_no_plaintext_secrets(stack, [ROTATED_TOKEN])  # the value read back stays a secret

    restored = stack.up()
    outcomes.append(restored)
    assert ops(restored) == {
        **ALL_SAME,
        "spark/Folder/pricing": "update",
        "aerostack/CacheEntry/app-settings": "update",
        "aerostack/CacheEntry/webhook-token": "update",
        # Auto-named, the cluster is replaced under a new name first; Ardent gets its new connection string.
        "eloq/Cluster/catalog": "replace",
        "ardent/MongoDbConfig/catalog": "update",
    }
    assert spark_state(emulator)["folders"][folder_name]["description"] == "Pricing models, audited"
    assert aerostack.cache_get("app:settings-v2")["value"]["theme"] == "light"
    assert aerostack.cache_get("app:webhook-token")["value"] == WEBHOOK_TOKEN
    replaced_name, eloq = eloq["name"], cluster(emulator)
    assert eloq["zone"] == "us-west-1a" and eloq["name"] != replaced_name
    assert ardent_configs(emulator)["mongodb"]["config"]["connection_string"] == mongodb_uri(emulator)
    (objects,) = [v for k, v in emulator.admin.state()["aerostack"].items() if k.startswith("objects:")]
    assert objects["assets/logo.svg"]["size"] == len(b"<svg>replaced</svg>"), "no read endpoint: not restored"

    # 4b. Out-of-band deletes: refresh drops what can be read back, up creates it again.
    spark.delete_service(folder_name, service_key.split("/", 1)[1])
    aerostack.query("DROP TABLE posts")
    aerostack.query("DELETE FROM _pulumi_migrations WHERE id = '002-posts'")
    aerostack.cache_set("app:webhook-token", None, ttl=1)
    emulator.admin.eloq_remove(ORG, PROJECT, eloq["name"])
    # Ardent has no read endpoint for configurations: refresh cannot see this one is gone.
    assert ardent_client(emulator).delete_config(state_of(stack)["ardent/PostgresConfig/orders"]["id"])
    time.sleep(1.5)  # the webhook entry's ttl
    dropped = stack.refresh()
    outcomes.append(dropped)
    assert dropped.changes == {"delete": 4, "same": 7}
    gone = ["spark/Service/quote", "aerostack/SqlMigration/002-posts", "aerostack/CacheEntry/webhook-token"]
    gone.append("eloq/Cluster/catalog")
    assert ops(dropped) == {**ALL_SAME, **dict.fromkeys(gone, "drop")}  # ardent/PostgresConfig/orders: same
    assert set(RESOURCES) - set(state_of(stack)) == set(gone)
    recreated = stack.up()
    outcomes.append(recreated)
    assert ops(recreated) == {**ALL_SAME, **dict.fromkeys(gone, "create"), "ardent/MongoDbConfig/catalog": "update"}
    assert "posts" in aerostack.tables()
    assert aerostack.cache_get("app:webhook-token")["value"] == WEBHOOK_TOKEN
    assert [v["revision"] for v in spark_state(emulator)["services"][service_key]["versions"]] == ["0.1.0"]
    # The Ardent configuration stays deleted: an unchanged input never sends its upsert again.
    assert set(ardent_configs(emulator)) == {"mongodb"}
    assert ardent_configs(emulator)["mongodb"]["config"]["connection_string"] == mongodb_uri(emulator)

    # 6. Secrets: config (the postgres password, the platform keys), the environment (WEBHOOK_TOKEN)
    # and a secret output passed on by reference (the EloqDoc connection string) stay encrypted.
    connection_string = mongodb_uri(emulator)
    secrets = secret_values(stack, [WEBHOOK_TOKEN, connection_string])
    assert POSTGRES_PASSWORD in secrets
    assert_no_plaintext_secrets(stack, secrets)
    blobs = provider_blobs(stack)
    assert len(blobs) == len(RESOURCES)
    for value in (POSTGRES_PASSWORD, WEBHOOK_TOKEN, ROTATED_TOKEN, connection_string):
        assert all(value not in outcome.text for outcome in outcomes), "a secret in the CLI's output"
        assert all(value.encode() not in blob for blob in blobs), "a secret in a pickled provider"

    # 5. Destroy: nothing the stack made is left, except what the README says stays: the cache
    # entries (no delete endpoint: null, expiring) and the uploaded object (no delete endpoint).
    destroyed = stack.destroy()
    assert ops(destroyed) == dict.fromkeys(RESOURCES, "delete")
    state = emulator.admin.state()
    assert state["eloq"]["clusters"] == []
    assert state["ardent"]["configs"] == {}
    assert spark_state(emulator) == {"folders": {}, "services": {}}
    assert {"users", "posts"} & aerostack.tables() == set()
    assert aerostack.query("SELECT id FROM _pulumi_migrations") == []
    for key in ("app:settings", "app:settings-v2", "app:webhook-token"):
        assert aerostack.cache_get(key)["value"] is None
    (objects,) = [v for k, v in state["aerostack"].items() if k.startswith("objects:")]
    assert set(objects) == {"assets/logo.svg"}
