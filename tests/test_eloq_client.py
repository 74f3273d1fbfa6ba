"""The typed Eloq client against the emulator: org-info cached, paging, credentials, envelope errors."""

from __future__ import annotations

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.core import ConflictError, NotFoundError, PermissionDeniedError
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from tests.test_core_http import count, eloq_client


def test_org_info_is_fetched_once_per_client(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    sku = client.list_skus("serverless", "eloqkv", "aws")[0].sku_id
    client.create_cluster("c1", "us-west-1", sku)
    client.describe_cluster("c1")
    client.list_clusters()
    assert count(emulator, "GET", "/org-info") == 1


def test_iter_clusters_walks_every_page(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    sku = client.list_skus("dedicated", "eloqdoc", "gcp")[0].sku_id
    names = {f"paged-{i:02d}" for i in range(23)}
    for name in names:
        client.create_cluster(name, "us-east-1", sku)
    assert client.list_clusters(1, 10).total == 23
    assert {c.cluster_name for c in client.iter_clusters(per_page=10)} == names


def test_credentials_are_decoded_from_describe(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    client.create_cluster("creds", "us-west-1", client.list_skus("serverless", "eloqkv", "aws")[0].sku_id)
    creds = client.credentials("creds")
    described = client.describe_cluster("creds")
    assert creds["password"] and creds["password"] != described.admin_password
    assert creds["host"] == described.elb_addr and creds["port"] == described.elb_port
    assert creds["password"] not in repr(described)


def test_skus_are_filtered_by_type_module_and_cloud(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    skus = client.list_skus("dedicated", "eloqdoc", "gcp")
    assert skus and all(s.sku_type == "dedicated" and s.cloud_provider.lower() == "gcp" for s in skus)
    assert all("doc" in s.module_type.lower() for s in skus)


def test_platform_errors_are_typed(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    sku = client.list_skus("serverless", "eloqkv", "aws")[0].sku_id
    with pytest.raises(NotFoundError):
        client.describe_cluster("missing")
    client.create_cluster("dup", "us-west-1", sku)
    with pytest.raises(ConflictError) as caught:
        client.create_cluster("dup", "us-west-1", sku)
    assert "already exists" in caught.value.message
    emulator.admin.delays(provision_seconds=30)
    client.create_cluster("busy", "us-west-1", sku)
    with pytest.raises(PermissionDeniedError):
        client.delete_cluster("busy")


@pytest.mark.parametrize("base_url", ["{url}", "{url}/", "{url}//"])
def test_base_url_works_with_or_without_a_trailing_slash(emulator: EmulatorProcess, base_url: str) -> None:
    env = emulator.env()
    client = EloqClient(env["ELOQ_API_KEY"], base_url.format(url=env["ELOQ_BASE_URL"].rstrip("/")))
    assert client.info().org_info.org_id
