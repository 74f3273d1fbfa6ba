"""`eloq.get_skus_output` in a program on the real Pulumi CLI, against the emulator.

Its arguments are outputs: the engine comes from a cluster's `module_type`, known only once the cluster
exists, and the SKU type from a secret config value, so the SKUs are a secret output, unknown in a preview.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_dataplatforms import eloq
from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.real_cli import example_stack

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

PROGRAM = """
import pulumi

from pulumi_dataplatforms import eloq

config = pulumi.Config()
cache = eloq.Cluster("cache", region="us-west-1", sku=eloq.ClusterSkuArgs(type="serverless", module="eloqkv"))
skus = eloq.get_skus_output(
    type=config.require_secret("skuType"),
    module=cache.module_type.apply(str.lower),
    cloud="aws",
)
pulumi.export("skuIds", skus.apply(lambda found: [sku.sku_id for sku in found]))
pulumi.export("skuNames", skus.apply(lambda found: [sku.sku_name for sku in found]))
"""


def test_get_skus_output_resolves_from_other_outputs(
    tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = example_stack(tmp_path, "quickstart", emulator, monkeypatch)
    (stack.program_dir / "__main__.py").write_text(PROGRAM)
    stack.configure(secrets={"quickstart:skuType": "dedicated"})

    plan = stack.preview()
    assert plan.ops() == {"cache": "create"}
    assert "skuIds" not in plan.outputs or plan.outputs["skuIds"].value is None

    expected = eloq.get_skus("dedicated", "eloqkv", "aws")  # the same settings, from the environment
    assert expected, "the emulator's catalog has dedicated EloqKV SKUs"
    created = stack.up()
    assert created.ops() == {"cache": "create"}
    assert created.outputs["skuIds"].value == [sku.sku_id for sku in expected]
    assert created.outputs["skuNames"].value == [sku.sku_name for sku in expected]
    assert created.outputs["skuIds"].secret, "a secret argument makes the SKUs a secret"

    stack.destroy()
