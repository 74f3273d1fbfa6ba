"""eloq.Cluster through the engine harness and the real provider host, against the emulator."""

from __future__ import annotations

import base64
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.eloq_stacks import clusters, eloq_stack, kill_hosts, write_program
from tests.harness import DeploymentError

CLUSTER = "pulumi-python:dynamic/eloq:Cluster"
CLUSTER_URN = f"urn:pulumi:dev::pinned::{CLUSTER}::db"


def cluster_steps(result: object) -> list[str]:
    return [s.op for s in result.steps if s.type == CLUSTER]  # type: ignore[attr-defined]


def test_quickstart_lifecycle(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = eloq_stack(tmp_path, emulator)

    first = stack.up()
    assert cluster_steps(first) == ["create"]
    name = first.outputs["clusterName"]
    assert name.startswith("cache-") and len(name) == len("cache-") + 7
    live = clusters(emulator)
    assert list(live) == [name] and live[name]["status"] == "available"
    assert first.outputs["endpoint"] == f"{live[name]['elb_addr']}:{live[name]['elb_port']}"
    assert first.outputs["password"] == live[name]["admin_password"]
    assert "password" in first.secret_outputs
    assert any("available" in line for line in first.logs)

    again = stack.up()
    assert cluster_steps(again) == ["same"]
    assert not again.calls("create") and not again.calls("update")
    assert again.outputs["clusterName"] == name

    stack.set_config("quickstart:region", "eu-west-1")
    moved = stack.up()
    assert cluster_steps(moved) == ["replace"]
    assert len(moved.calls("delete")) == 1, "the replaced cluster must be deleted after its replacement exists"
    new_name = moved.outputs["clusterName"]
    assert new_name != name and new_name.startswith("cache-")
    live = clusters(emulator)
    assert list(live) == [new_name] and live[new_name]["region"] == "eu-west-1"

    gone = stack.destroy()
    assert cluster_steps(gone) == ["delete"]
    assert clusters(emulator) == {}
    assert stack.resources() == [] or all(r["type"] != CLUSTER for r in stack.resources())


PINNED = """
import pulumi
from pulumi_dataplatforms import eloq
config = pulumi.Config()
cluster = eloq.Cluster(
    "db",
    name="orders-db",
    region="us-west-1",
    sku=eloq.ClusterSkuArgs(type="dedicated", module="eloqdoc", cloud="gcp"),
    timeouts=eloq.ClusterTimeoutsArgs(create=config.get("createTimeout") or "5m"),
)
pulumi.export("status", cluster.status)
pulumi.export("connection", cluster.connection_string)
"""


def test_explicit_name_provider_setting_update_and_drift(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = eloq_stack(tmp_path, emulator, write_program(tmp_path / "pinned", PINNED))
    stack.up()
    assert clusters(emulator)["orders-db"]["module_type"] == "EloqDoc"

    stack.set_config("pinned:createTimeout", "7m")
    emulator.admin.reset_counts()
    updated = stack.up()
    assert cluster_steps(updated) == ["update"]
    assert emulator.admin.request_counts()["total"] == 0, "a provider-side setting must not touch the API"

    emulator.admin.eloq_set_status(1, 147, "orders-db", "stopped")
    refreshed = stack.refresh()
    assert cluster_steps(refreshed) == ["read"]
    state = stack.resource("db")
    assert state is not None and state["outputs"]["status"] == "stopped"
    emulator.admin.eloq_set_status(1, 147, "orders-db", None)

    emulator.admin.eloq_remove(1, 147, "orders-db")
    dropped = stack.refresh()
    assert cluster_steps(dropped) == ["drop"]
    assert stack.resource("db") is None
    recreated = stack.up()
    assert cluster_steps(recreated) == ["create"]
    assert "orders-db" in clusters(emulator)
    stack.destroy()
    assert clusters(emulator) == {}


def test_region_changed_behind_the_engine_shows_as_replacement(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = eloq_stack(tmp_path, emulator, write_program(tmp_path / "pinned", PINNED))
    stack.up()
    emulator.admin.eloq_patch(1, 147, "orders-db", region="ap-northeast-1")
    stack.refresh()
    record = stack.resource("db")
    assert record is not None and record["inputs"]["region"] == "ap-northeast-1"
    plan = stack.up(preview=True)
    assert cluster_steps(plan) == ["replace"]
    applied = stack.up()
    assert "replace" in cluster_steps(applied)
    assert clusters(emulator)["orders-db"]["region"] == "us-west-1"
    stack.destroy()


HEADER = "from pulumi_dataplatforms import eloq\n"
BAD_CASES = {
    "types": (
        'eloq.Cluster("c", name="Bad_Name!", region=42, sku_id="seven", timeouts={"create": "-5m"})',
        {"name": "lower-case letters", "region": "valid string", "skuId": "valid integer",
         "timeouts.create": "is not a duration"},
    ),
    "sku-shape": (
        'eloq.Cluster("c", region="us-west-1", sku={"type": "huge", "modul": "eloqkv"})',
        {"sku.type": "'serverless' or 'dedicated'", "sku.modul": "not a known property"},
    ),
    "empty-and-negative": (
        'eloq.Cluster("c", name="", region="us-west-1", zone="moon", timeouts={"delete": -1})',
        {"name": "(got '')", "zone": "us-west-1a", "timeouts.delete": "must be positive", "skuId": "set skuId"},
    ),
    "both-skus": (
        'eloq.Cluster("c", region="us-west-1", sku_id=101, sku={"type": "dedicated"}, adopt_existing="yes")',
        {"sku": "not both", "adoptExisting": "valid boolean"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_fails_check_naming_each_property_with_no_api_call(
    tmp_path: Path, emulator: EmulatorProcess, case: str
) -> None:
    source, expected = BAD_CASES[case]
    stack = eloq_stack(tmp_path, emulator, write_program(tmp_path / "bad", HEADER + source))
    emulator.admin.reset_counts()
    with pytest.raises(DeploymentError) as caught:
        stack.up()
    lines = str(caught.value).splitlines()
    for prop, reason in expected.items():
        assert any(line.strip().startswith(f"- {prop}:") and reason in line for line in lines), (prop, lines)
    assert emulator.admin.request_counts()["total"] == 0
    assert stack.resource("c") is None


def test_lifecycle_converges_under_injected_429_and_503(tmp_path: Path, emulator: EmulatorProcess) -> None:
    emulator.admin.faults("/eloq/api/v1", error_rate=0.3, error_statuses=[429, 503], seed=7)
    stack = eloq_stack(tmp_path, emulator, write_program(tmp_path / "pinned", PINNED))
    created = stack.up()
    assert cluster_steps(created) == ["create"]
    assert list(clusters(emulator)) == ["orders-db"]
    assert cluster_steps(stack.up()) == ["same"]
    stack.refresh()
    record = stack.resource("db")
    assert record is not None and record["outputs"]["status"] == "available"
    stack.destroy()
    assert clusters(emulator) == {}
    fired = sum(rule.get("fired", 0) for rule in emulator.admin.list_faults())
    assert fired > 0, "the faults must actually have been injected"


def test_interrupted_create_rerun_converges_to_one_cluster(tmp_path: Path, emulator: EmulatorProcess) -> None:
    emulator.admin.delays(provision_seconds=4.0)
    stack = eloq_stack(tmp_path, emulator, write_program(tmp_path / "pinned", PINNED))
    with ThreadPoolExecutor(max_workers=1) as pool:
        first_up = pool.submit(stack.up)
        deadline = time.monotonic() + 60
        while "orders-db" not in clusters(emulator):
            assert time.monotonic() < deadline, "the create was never posted"
            time.sleep(0.1)
        assert kill_hosts(stack.marker) >= 1  # type: ignore[attr-defined]
        with pytest.raises(DeploymentError) as killed:
            first_up.result(timeout=60)
    # The engine survives its host and reports the interrupted Create of `db` as the deployment's error.
    assert re.fullmatch(
        rf"{re.escape(CLUSTER_URN)}: Create failed: .*(Socket closed|Connection reset).*", str(killed.value)
    )
    assert killed.value.result is not None and killed.value.result.error == str(killed.value)

    emulator.admin.delays(provision_seconds=0.0)
    rerun = stack.up()
    assert cluster_steps(rerun) == ["create"]
    assert list(clusters(emulator)) == ["orders-db"]
    assert any("adopting" in line for line in rerun.logs)
    assert len([r for r in stack.resources() if r["type"] == CLUSTER]) == 1
    stack.destroy()
    assert clusters(emulator) == {}


def test_create_that_cannot_finish_cleans_up(tmp_path: Path, emulator: EmulatorProcess) -> None:
    emulator.admin.delays(provision_seconds=3.0)
    stack = eloq_stack(tmp_path, emulator, write_program(tmp_path / "pinned", PINNED), **{"pinned:createTimeout": "1s"})
    with pytest.raises(DeploymentError) as caught:
        stack.up()
    assert "still creating" in str(caught.value)
    assert clusters(emulator) == {}, "the half-made cluster must be deleted"
    assert stack.resource("db") is None


def test_secrets_never_reach_state_provider_blobs_logs_or_errors(tmp_path: Path, emulator: EmulatorProcess) -> None:
    api_key = emulator.env()["ELOQ_API_KEY"]
    stack = eloq_stack(tmp_path, emulator)
    up = stack.up()
    password = up.outputs["password"]
    assert password in json.dumps(stack.decrypted_state()), "the secret is in state, encrypted"
    snapshots = [stack.state_path.read_text()]
    blobs = [base64.b64decode(b) for b in stack.provider_blobs()]
    logs = list(up.logs)
    logs += stack.refresh().logs
    snapshots.append(stack.state_path.read_text())
    emulator.admin.faults("/eloq/api/v1", error_rate=1.0, error_statuses=[500])
    with pytest.raises(DeploymentError) as caught:
        stack.destroy()
    errors = [str(caught.value)]
    emulator.admin.clear_faults()
    logs += stack.destroy().logs
    assert clusters(emulator) == {}

    stderr = "".join(Path(p).read_text(errors="replace") for p in stack.host_stderr_paths)
    assert blobs and stderr and logs
    assert "500" in errors[0]
    for secret in (api_key, password):
        assert all(secret not in text for text in snapshots)
        assert all(secret.encode() not in blob for blob in blobs)
        assert secret not in stderr
        assert all(secret not in e for e in errors)
        assert all(secret not in line for line in logs)
