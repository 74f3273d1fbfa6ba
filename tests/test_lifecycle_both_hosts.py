"""One lifecycle, run on both hosts of the handlers: the dynamic provider and the native plugin.

The same stack (an Eloq cluster and a Spark folder) goes through create, a no-op `up`, an in-place
update, a replacement, drift found by refresh and put back by `up`, a secrets audit of the state,
and destroy, on the real CLI against the emulator; each step is judged by what the emulator holds
and was sent. Only the program's spelling differs between the hosts: the SDK's classes with stack
config `eloq:apiKey`, or the package's types with `dataplatforms:eloqApiKey` and the plugin on PATH.

An interruption, on both hosts too: `pulumi up` SIGKILLed (with its plugins) while an auto-named
cluster is being created, then recovered; the emulator ends with that one cluster.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.native.trace import TRACE_ENV
from pulumi_dataplatforms_provider.spark.client import SparkClient
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from scripts.cli_stack import CliStack, package_config, platform_config
from tests.eloq_stacks import clusters
from tests.handlers import configured
from tests.native_plugin import plugin_on_path
from tests.real_cli import PASSPHRASE, REPO, assert_no_plaintext_secrets, require_cli, resources, writes
from tests.test_cli_interrupted import CLUSTER_GET, cancel, kill_tree, pending, using_state
from tests.test_native_provider import traced

pytestmark = [pytest.mark.cli, pytest.mark.timeout(900)]

PROGRAMS = {
    "dynamic": """
        import pulumi

        from pulumi_dataplatforms import eloq, spark

        cfg = pulumi.Config()
        cluster = eloq.Cluster("cache", name="both-cache", region=cfg.require("region"), sku_id=101)
        folder = spark.Folder("models", name="both-models", description=cfg.require("description"))
        pulumi.export("password", cluster.password)
        pulumi.export("folderId", folder.folder_id)
    """,
    "native": """
        import pulumi

        cfg = pulumi.Config()
        cluster = pulumi.CustomResource(
            "dataplatforms:eloq:Cluster",
            "cache",
            {"name": "both-cache", "region": cfg.require("region"), "skuId": 101, "password": None},
        )
        folder = pulumi.CustomResource(
            "dataplatforms:spark:Folder",
            "models",
            {"name": "both-models", "description": cfg.require("description"), "folderId": None},
        )
        pulumi.export("password", cluster.password)
        pulumi.export("folderId", folder.folderId)
    """,
}


def stack_for(host: str, tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> CliStack:
    require_cli()
    for name in [n for n in os.environ if n.startswith(("ELOQ_", "CSPARK_"))]:
        monkeypatch.delenv(name)  # settings come from stack config only
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: both\nruntime: python\n")
    (program / "__main__.py").write_text(textwrap.dedent(PROGRAMS[host]))
    plain, secret = (package_config if host == "native" else platform_config)(emulator.env())
    if host == "native":
        plugin_on_path(tmp_path / "bin", monkeypatch)
    stack = CliStack(program, tmp_path / "state", passphrase=PASSPHRASE)
    stack.configure({**plain, "both:region": "us-west-1", "both:description": "first"}, secret)
    return stack


def folders(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in emulator.admin.state()["spark"]["folders"].values()}


def spark_client(emulator: EmulatorProcess) -> SparkClient:
    return configured(FolderProvider, emulator).handler.client()


@pytest.mark.parametrize("host", ["dynamic", "native"])
def test_the_same_lifecycle_on_both_hosts(
    host: str, tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = stack_for(host, tmp_path, emulator, monkeypatch)

    created = stack.up()
    assert created.ops() == {"cache": "create", "models": "create"}, created.text
    assert clusters(emulator)["both-cache"]["region"] == "us-west-1"
    assert folders(emulator)["both-models"]["description"] == "first"
    assert created.outputs["password"].secret

    emulator.admin.reset_counts()
    assert stack.up().ops() == {"cache": "same", "models": "same"}
    assert writes(emulator) == {}, "a no-op up writes nothing"

    stack.configure({"both:description": "second"})
    updated = stack.up()
    assert updated.ops() == {"cache": "same", "models": "update"}, updated.text
    assert folders(emulator)["both-models"]["description"] == "second"
    assert updated.outputs["folderId"].value == created.outputs["folderId"].value, "updated in place"

    stack.configure({"both:region": "us-east-1"})
    replaced = stack.up()
    assert replaced.ops()["cache"] == "replace", replaced.text
    assert clusters(emulator)["both-cache"]["region"] == "us-east-1"
    assert len(clusters(emulator)) == 1, "the replaced cluster is gone"

    client = spark_client(emulator)
    client.update_folder(created.outputs["folderId"].value, description="changed elsewhere")
    refreshed = stack.refresh()
    assert refreshed.ops()["models"] == "read", refreshed.text
    restored = stack.up()
    assert restored.ops()["models"] == "update"
    assert folders(emulator)["both-models"]["description"] == "second"

    assert_no_plaintext_secrets(stack, [replaced.outputs["password"].value, emulator.env()["ELOQ_API_KEY"]])

    stack.destroy()
    assert clusters(emulator) == {} and "both-models" not in folders(emulator)


INTERRUPTED = {
    "dynamic": """
        import pulumi

        from pulumi_dataplatforms import eloq

        cluster = eloq.Cluster("cache", region="us-west-1", sku_id=101)
        pulumi.export("name", cluster.name)
    """,
    "native": """
        import pulumi

        cluster = pulumi.CustomResource(
            "dataplatforms:eloq:Cluster", "cache", {"region": "us-west-1", "skuId": 101, "name": None}
        )
        pulumi.export("name", cluster.name)
    """,
}


def killed_mid_create(stack: CliStack, emulator: EmulatorProcess, log: Path) -> list[str]:
    """`pulumi up` in its own session, SIGKILLed with its whole process tree once the cluster is being created.

    Returns the clusters the emulator holds after the kill.
    """
    run = (
        "import sys; from pathlib import Path; from scripts.cli_stack import CliStack; "
        "CliStack(Path(sys.argv[1]), Path(sys.argv[2]), passphrase=sys.argv[3]).up()"
    )
    command = [sys.executable, "-c", run, str(stack.program_dir), str(stack.state_dir), PASSPHRASE]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=REPO,
            env=dict(os.environ),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 120
    try:
        while not (clusters(emulator) and emulator.admin.request_counts()["routes"].get(CLUSTER_GET, 0) >= 2):
            assert proc.poll() is None, f"the run ended before the kill point:\n{log.read_text()}"
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
    finally:
        kill_tree(proc)
    deadline = time.monotonic() + 10
    while using_state(stack.state_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert using_state(stack.state_dir) == [], "a process of the killed run survived"
    return sorted(clusters(emulator))


@pytest.mark.parametrize(
    ("host", "recovery"), [("dynamic", "rerun"), ("native", "rerun"), ("native", "import-pending-creates")]
)
def test_an_up_killed_mid_create_converges_to_one_cluster_on_both_hosts(
    host: str, recovery: str, tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL of the CLI and its plugins while an auto-named cluster is being created; then `pulumi cancel` and
    either `up` + `refresh --clear-pending-creates` or `refresh --import-pending-creates`: one cluster, no duplicate.
    """
    trace = tmp_path / "trace.jsonl"
    monkeypatch.setenv(TRACE_ENV, str(trace))
    stack = stack_for(host, tmp_path, emulator, monkeypatch)
    (stack.program_dir / "__main__.py").write_text(textwrap.dedent(INTERRUPTED[host]))
    emulator.admin.delays(provision_seconds=5.0)
    emulator.admin.reset_counts()
    left = killed_mid_create(stack, emulator, tmp_path / "killed-run.log")
    assert len(left) == 1, left
    ((kind, urn),) = pending(stack)
    assert kind == "creating" and urn.endswith("::cache"), (kind, urn)

    emulator.admin.delays(provision_seconds=0.5)
    cancel(stack)
    if recovery == "rerun":
        rerun = stack.up()
        assert rerun.ops() == {"cache": "create"}, rerun.text
        assert rerun.outputs["name"].value == left[0], "the re-run proposed the interrupted run's auto-name"
        stack.refresh(clear_pending_creates=True)
    else:
        args = ["refresh", "--yes", "--non-interactive", "--stack", stack.stack_name]
        stack.pulumi(*args, "--import-pending-creates", urn, "--import-pending-creates", f"1/147/{left[0]}")
        in_state = [r["outputs"]["name"] for r in resources(stack).values()]
        # The engine (3.274.1) drops the operation without asking the plugin to read the cluster (no Read in the
        # trace); where it reads it, the cluster is in the state. Either way the next `up` must converge.
        assert in_state == (left if traced(trace, "Read") else []), in_state
        if not in_state:
            adopted = stack.up()
            assert adopted.ops() == {"cache": "create"} and adopted.outputs["name"].value == left[0], adopted.text
    assert pending(stack) == []
    emulator.admin.reset_counts()
    final = stack.up(expect_no_changes=True)
    assert final.outputs["name"].value == left[0]
    assert writes(emulator) == {}
    assert sorted(clusters(emulator)) == left, "exactly the cluster the killed run made, no duplicate"

    stack.destroy()
    assert clusters(emulator) == {}
