"""A replacement created before the delete under the same explicit name refuses the resource it replaces.

The engine creates a replacement first unless the resource is to be deleted first (the SDK says so
for explicitly named resources; a program on the generated SDKs must set the option). The create
then finds, under its name, the cluster, folder or service the checkpoint records for its own URN:
it fails saying to set deleteBeforeReplace, and leaves that resource as it was, where taking it over
would leave the state holding what the delete then removes. A resource under that name which the
checkpoint does not record for the URN (an interrupted create's) is still taken over.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import base
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.eloq.cluster import ClusterProvider
from pulumi_dataplatforms_provider.hidden_inputs import URN_KEY
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from tests.eloq_stacks import clusters
from tests.handlers import configured
from tests.test_resource_properties import workbooks

STACK = "dev"


def urn(kind: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::app::pulumi-python:dynamic/{kind}::{name}"


@pytest.fixture
def checkpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """The resources of the checkpoint the handlers read for stack `dev` (as `pulumi stack export` gives it)."""
    monkeypatch.delenv("PULUMI_PROJECT", raising=False)
    resources: list[dict[str, Any]] = []
    state = {"backend": "file:///checkpoint", "deployment": {"secrets_providers": {}, "resources": resources}}
    monkeypatch.setitem(base._stack_states, STACK, state)
    yield resources


def create(provider: DynamicProvider[Any], resource_urn: str, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    logical = resource_urn.rsplit("::", 1)[-1]
    checked = provider.check({}, {"__logicalName": logical, URN_KEY: resource_urn, **news})
    assert not checked.failures, [(f.property, f.reason) for f in checked.failures]
    created = provider.create(checked.inputs)
    return str(created.id), dict(created.outs or {})


@pytest.mark.parametrize("recorded", [True, False], ids=["replacing", "interrupted"])
def test_a_cluster(recorded: bool, emulator: EmulatorProcess, checkpoint: list[dict[str, Any]]) -> None:
    provider = configured(ClusterProvider, emulator)
    cluster_urn = urn("eloq:Cluster", "pinned")
    news = {"name": "orders-db", "region": "us-west-1", "skuId": 101}
    id_, outs = create(provider, cluster_urn, news)
    before = clusters(emulator)["orders-db"]
    if recorded:
        checkpoint.append({"urn": cluster_urn, "id": id_, "outputs": outs})
        with pytest.raises(ValueError, match="deleteBeforeReplace"):
            create(provider, cluster_urn, news)
    else:
        assert create(provider, cluster_urn, news)[0] == id_, "an interrupted create's cluster is taken over"
    assert clusters(emulator) == {"orders-db": before}


@pytest.mark.parametrize("recorded", [True, False], ids=["replacing", "interrupted"])
def test_a_folder(recorded: bool, emulator: EmulatorProcess, checkpoint: list[dict[str, Any]]) -> None:
    provider = configured(FolderProvider, emulator)
    folder_urn = urn("spark:Folder", "models")
    id_, outs = create(provider, folder_urn, {"name": "pricing", "description": "first"})
    if recorded:
        checkpoint.append({"urn": folder_urn, "id": id_, "outputs": outs})
        with pytest.raises(ValueError, match="deleteBeforeReplace"):
            create(provider, folder_urn, {"name": "pricing", "description": "second"})
    else:
        assert create(provider, folder_urn, {"name": "pricing", "description": "second"})[0] == id_
    folders = [f for f in emulator.admin.state()["spark"]["folders"].values() if f["name"] == "pricing"]
    assert [f["description"] for f in folders] == ["first" if recorded else "second"]


@pytest.mark.parametrize("recorded", [True, False], ids=["replacing", "interrupted"])
def test_a_service(recorded: bool, tmp_path: Path, emulator: EmulatorProcess, checkpoint: list[dict[str, Any]]) -> None:
    provider = configured(ServiceProvider, emulator)
    provider.handler.client().create_folder("pricing")
    book = tmp_path / "quote.xlsx"
    book.write_bytes(workbooks().quote_workbook(1000.0))
    service_urn = urn("spark:Service", "quote")
    news = {"folder": "pricing", "name": "quote", "file": str(book)}
    id_, outs = create(provider, service_urn, news)
    if recorded:
        checkpoint.append({"urn": service_urn, "id": id_, "outputs": outs})
        with pytest.raises(ValueError, match="deleteBeforeReplace"):
            create(provider, service_urn, news)
    else:
        assert create(provider, service_urn, news)[0] == id_
    services = emulator.admin.state()["spark"]["services"]
    assert list(services) == ["emulator-tenant/pricing/quote"]
    assert len(provider.handler.client().versions("pricing", "quote")) == 1, "nothing published again"
