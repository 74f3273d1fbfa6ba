"""`Cls.get(name, id)` on the real Pulumi CLI: an existing Eloq cluster read into another stack's program.

The engine reads it through the dynamic-provider host (ReadResource -> the provider's `read`), records it
as read, and leaves it alone: no create, and `destroy` of the reading stack does not delete the cluster.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.eloq_stacks import clusters
from tests.real_cli import example_stack

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

READER = """
import pulumi

from pulumi_dataplatforms import eloq

found = eloq.Cluster.get("found", pulumi.Config().require("clusterId"))
pulumi.export("host", found.host)
pulumi.export("region", found.region)
pulumi.export("name", found.name)
pulumi.export("password", found.password)
"""


def test_get_reads_an_existing_cluster_without_managing_it(
    tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = example_stack(tmp_path / "owner", "quickstart", emulator, monkeypatch)
    created = owner.up()
    name = created.outputs["clusterName"].value
    (cluster_id,) = [r["id"] for r in owner.export()["resources"] if r["type"].endswith("eloq:Cluster")]

    reader = example_stack(tmp_path / "reader", "quickstart", emulator, monkeypatch, stack_name="reader")
    (reader.program_dir / "__main__.py").write_text(READER)
    reader.configure({"quickstart:clusterId": cluster_id})
    read = reader.up()
    assert read.ops() == {"found": "read"}
    assert read.outputs["name"].value == name
    assert read.outputs["region"].value == "us-west-1"
    assert read.outputs["host"].value == created.outputs["endpoint"].value.rsplit(":", 1)[0]
    assert read.outputs["password"].secret and read.outputs["password"].value == created.outputs["password"].value

    reader.destroy()
    assert set(clusters(emulator)) == {name}, "destroying the reader leaves the cluster it read"
    owner.destroy()
    assert clusters(emulator) == {}
