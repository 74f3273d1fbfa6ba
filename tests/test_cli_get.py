"""`Cls.get(name, id)` on the real Pulumi CLI: existing resources read into another stack's program.

The engine reads it through the dynamic-provider host (ReadResource -> the provider's `read`), records it
as read, and leaves it alone: no create, and `destroy` of the reading stack does not delete the cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.aerostack.cache_entry import CacheEntryProvider
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from tests.eloq_stacks import clusters
from tests.handlers import configured
from tests.real_cli import example_stack
from tests.test_resource_properties import workbooks

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


OTHERS_READER = """
import pulumi

from pulumi_dataplatforms import aerostack, spark

config = pulumi.Config()
folder = spark.Folder.get("folder", config.require("folderId"))
service = spark.Service.get("service", config.require("serviceId"))
entry = aerostack.CacheEntry.get("entry", config.require("entryId"))
pulumi.export("folder", {"name": folder.name, "description": folder.description, "startDate": folder.start_date})
pulumi.export("service", {"versionId": service.version_id, "inputNames": service.input_names})
pulumi.export("entry", entry.value)
"""


def test_get_reads_a_folder_a_service_and_a_cache_entry_made_elsewhere(
    tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made through the handlers (outside any stack), then read by id alone on the real CLI; never touched."""
    folders, services = configured(FolderProvider, emulator), configured(ServiceProvider, emulator)
    entries = configured(CacheEntryProvider, emulator)
    folder = folders.create(checked(folders, name="shared", description="Made elsewhere", startDate="2026-02-01"))
    book = tmp_path / "quote.xlsx"
    book.write_bytes(workbooks().quote_workbook(1000.0))
    service = services.create(checked(services, folder="shared", name="quote", file=str(book)))
    entry = entries.create(checked(entries, key="flags", value={"beta": True}))

    reader = example_stack(tmp_path / "reader", "quickstart", emulator, monkeypatch, stack_name="reader")
    (reader.program_dir / "__main__.py").write_text(OTHERS_READER)
    reader.configure(
        {"quickstart:folderId": folder.id, "quickstart:serviceId": service.id, "quickstart:entryId": entry.id}
    )
    held = emulator.admin.state()
    read = reader.up()
    assert read.ops() == {"folder": "read", "service": "read", "entry": "read"}
    assert read.outputs["folder"].value == {
        "name": "shared",
        "description": "Made elsewhere",
        "startDate": "2026-02-01",
    }
    assert read.outputs["service"].value["versionId"] == dict(service.outs or {})["versionId"]
    assert read.outputs["service"].value["inputNames"] == dict(service.outs or {})["inputNames"]
    assert read.outputs["entry"].value == {"beta": True}
    reader.destroy()
    assert emulator.admin.state() == held, "reading and destroying the reader must leave the platforms as they were"


def checked(provider: DynamicProvider[Any], **inputs: Any) -> dict[str, Any]:
    result = provider.check({}, {"__logicalName": "elsewhere", **inputs})
    assert not result.failures, result.failures
    return dict(result.inputs)
