"""One lifecycle, run on both hosts of the handlers: the dynamic provider and the native plugin.

The same stack (an Eloq cluster and a Spark folder) goes through create, a no-op `up`, an in-place
update, a replacement, drift found by refresh and put back by `up`, a secrets audit of the state,
and destroy, on the real CLI against the emulator; each step is judged by what the emulator holds
and was sent. Only the program's spelling differs between the hosts: the SDK's classes with stack
config `eloq:apiKey`, or the package's types with `dataplatforms:eloqApiKey` and the plugin on PATH.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.spark.client import SparkClient
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from scripts.cli_stack import CliStack, package_config, platform_config
from tests.eloq_stacks import clusters
from tests.handlers import configured
from tests.native_plugin import plugin_on_path
from tests.real_cli import PASSPHRASE, assert_no_plaintext_secrets, require_cli, writes

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
