"""Progress and warnings from the dynamic providers on the real Pulumi CLI (pulumi/pulumi#6065).

The dynamic-provider host has no engine connection of its own, so `pulumi.log` there would only
print to stderr, which the engine shows as `info#err` messages of the Stack. `engine_log` sends
them to the engine's Log service instead: real severities, on the resource that is being worked
on, and polling progress as ephemeral status messages on that resource's row while it waits.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import engine_log
from scripts.cli_stack import CliStack, platform_config
from tests.real_cli import PASSPHRASE, require_cli, resources

PROVISION_SECONDS = 4

PROGRAM = """\
import pulumi
from pulumi_dataplatforms import aerostack, eloq

cluster = eloq.Cluster(
    "slow",
    region="us-west-1",
    sku=eloq.ClusterSkuArgs(type="serverless", module="eloqkv", cloud="aws"),
    timeouts=eloq.ClusterTimeoutsArgs(create="5m", delete="5m"),
)
note = aerostack.StorageObject("note", key="notes/progress.txt", content="hello")
pulumi.export("clusterName", cluster.name)
"""


def program_stack(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> CliStack:
    """A stack of PROGRAM on the real CLI, configured for `emulator`."""
    require_cli()
    work = tmp_path / "progress"
    work.mkdir()
    (work / "Pulumi.yaml").write_text("name: progress\nruntime: python\n")
    (work / "__main__.py").write_text(PROGRAM)
    env = emulator.env()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    stack = CliStack(work, tmp_path / "state", env=env, passphrase=PASSPHRASE)
    stack.configure(*platform_config(env))
    return stack


def row_lines(text: str, name: str) -> list[str]:
    """The progress lines of resource `name`'s row, in the order the CLI printed them."""
    return [
        line.strip()
        for line in text.splitlines()
        if re.search(rf"\s{re.escape(name)} (creating|created|deleting|deleted) \(", line)
    ]


def diagnostics_section(text: str) -> str:
    """The `Diagnostics:` summary the CLI prints at the end of an operation."""
    return text.split("\nDiagnostics:", 1)[1].split("\nResources:", 1)[0] if "\nDiagnostics:" in text else ""


@pytest.mark.cli
@pytest.mark.timeout(600)
def test_progress_and_warnings_reach_the_cli(
    tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = program_stack(tmp_path, emulator, monkeypatch)
    emulator.admin.delays(provision_seconds=PROVISION_SECONDS)

    up = stack.up()
    cluster_name = up.outputs["clusterName"].value
    urns = {name: res["urn"] for name, res in resources(stack).items()}
    what = f"eloq cluster {cluster_name}"

    # Nothing the provider says arrives as a plugin's stderr line any more.
    assert [d for d in up.diagnostics if d[0] == "info#err"] == []

    # Status changes while the cluster provisions: info messages on the cluster, in order.
    cluster_messages = [(sev, msg) for sev, urn, msg in up.diagnostics if urn == urns["slow"]]
    statuses = [msg for sev, msg in cluster_messages if msg.startswith(f"{what}: ") and sev == "info"]
    assert statuses[0].startswith(f"{what}: create requested")
    assert statuses[-2:] == [f"{what}: creating", f"{what}: available"]

    # ... shown on the cluster's row as they happened: "creating" early, before the create finished.
    rows = row_lines(up.text, "slow")
    shown = [i for i, line in enumerate(rows) if line.endswith(f"{what}: creating")]
    done = [i for i, line in enumerate(rows) if " slow created (" in line]
    assert shown and done and shown[0] < done[0], up.text
    early = re.search(r"creating \((\d+)s\)", rows[shown[0]])
    finished = re.search(r"created \((\d+)s\)", rows[done[0]])
    assert early and finished, rows
    assert int(early.group(1)) < PROVISION_SECONDS <= int(finished.group(1)), rows

    # The status messages are ephemeral (progress only); the one-off info message stays in the summary,
    # under the cluster, as an info message and not as a warning.
    summary = diagnostics_section(up.text)
    assert "pulumi-python:dynamic/eloq:Cluster (slow):" in summary
    assert f"{what}: create requested" in summary
    assert f"{what}: creating" not in summary and "warning" not in summary
    assert up.messages("warning") == []

    gone = stack.destroy()
    assert [d for d in gone.diagnostics if d[0] == "info#err"] == []
    stays = [(sev, urn) for sev, urn, msg in gone.diagnostics if "the object stays in storage" in msg]
    assert stays == [("warning", urns["note"])]
    summary = diagnostics_section(gone.text)
    assert "pulumi-python:dynamic/aerostack:StorageObject (note):" in summary
    assert "warning: aerostack storage object notes/progress.txt: Aerostack has no delete endpoint" in summary
    assert f"{what}: deleted" not in summary
    assert gone.messages("warning") == [msg for sev, _, msg in gone.diagnostics if "stays in storage" in msg]


def test_engine_address_is_the_last_plugin_argument() -> None:
    host = "/venv/lib/python3.11/site-packages/pulumi/dynamic/__main__.py"
    assert engine_log.engine_address([host, "127.0.0.1:38879"]) == "127.0.0.1:38879"
    assert engine_log.engine_address([host, "--logtostderr", "-v=9", "127.0.0.1:1234"]) == "127.0.0.1:1234"
    assert engine_log.engine_address([host, "--tracing", "127.0.0.1:9", "127.0.0.1:1234"]) == "127.0.0.1:1234"
    assert engine_log.engine_address([host]) is None  # tests/harness starts the host this way
    assert engine_log.engine_address([host, "--tracing", "127.0.0.1:9"]) is None


def test_outside_the_host_nothing_is_installed() -> None:
    assert engine_log.install([sys.argv[0], "127.0.0.1:1234"]) is None


def test_an_unreachable_engine_falls_back_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    from pulumi.runtime.proto import engine_pb2

    engine = engine_log.EngineLog("127.0.0.1:1")
    engine.Log(engine_pb2.LogRequest(severity=engine_pb2.WARNING, message="the object stays"))
    engine.Log(engine_pb2.LogRequest(severity=engine_pb2.INFO, message="creating", ephemeral=True))
    assert capsys.readouterr().err == "warning: the object stays\ninfo: creating\n"
