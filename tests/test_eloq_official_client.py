"""The official ``eloq-sdk`` 0.1.4 client, unchanged, against the emulator."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest
from eloq_sdk import EloqAPI, schema  # type: ignore[import-untyped]
from eloq_sdk.exceptions import (  # type: ignore[import-untyped]
    EloqAuthenticationError,
    EloqNotFoundError,
    EloqRateLimitError,
    EloqServerError,
    EloqValidationError,
)

from pulumi_dataplatforms_emulator.process import EmulatorProcess

pytestmark = pytest.mark.official

OTHER_KEY = "eloq-dev-key-0002"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(tmp_path_factory.mktemp("emu-eloq-sdk")) as emu:
        yield emu


@pytest.fixture
def emu(server: EmulatorProcess) -> EmulatorProcess:
    server.admin.reset()
    return server


@pytest.fixture
def client(emu: EmulatorProcess) -> EloqAPI:
    env = emu.env()
    return EloqAPI.from_key_and_url(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])


def aws_kv_serverless(client: EloqAPI) -> int:
    skus = client.get_skus(schema.SKUType.SERVERLESS, schema.EloqModule.ELOQKV, schema.CloudProvider.AWS)
    return int(skus[0].sku_id)


def test_whole_flow(emu: EmulatorProcess, client: EloqAPI) -> None:
    info = client.info()
    assert isinstance(info, schema.UserOrgInfoDTO)
    assert (info.org_info.org_id, info.org_info.projects[0].project_id) == (1, 147)

    skus = client.get_skus(schema.SKUType.SERVERLESS, schema.EloqModule.ELOQKV, schema.CloudProvider.AWS)
    assert skus and all(isinstance(s, schema.SKUInfo) for s in skus)
    assert {(s.sku_type, s.module_type, s.cloud_provider) for s in skus} == {("serverless", "EloqKV", "AWS")}
    dedicated_doc = client.get_skus(schema.SKUType.DEDICATED, schema.EloqModule.ELOQDOC, schema.CloudProvider.GCP)
    assert {s.module_type for s in dedicated_doc} == {"EloqDoc"}
    assert not {s.sku_id for s in skus} & {s.sku_id for s in dedicated_doc}

    result = client.cluster_create("flow-1", "us-west-1", skus[0].sku_id)
    assert result.success, result.message

    listed = client.clusters()
    assert isinstance(listed, schema.ClusterList)
    assert listed.total == 1
    [item] = listed.cluster_list
    assert (item.cluster_name, item.status, item.module_type, item.cloud_provider) == (
        "flow-1",
        "available",
        "EloqKV",
        "AWS",
    )

    desc = client.cluster("flow-1")
    assert isinstance(desc, schema.DescClusterDTO)
    assert (desc.status, desc.region, desc.zone, desc.display_cluster_name) == (
        "available",
        "us-west-1",
        "us-west-1a",
        "flow-1",
    )
    assert (desc.org_name, desc.project_name, desc.cloud_provider) == ("default-free-org", "project1", "aws")

    creds = client.cluster_credentials("flow-1")
    assert isinstance(creds, schema.ClusterCredentials)
    assert creds.username == "admin"
    assert creds.host == desc.elb_addr and creds.port == desc.elb_port == 6379
    assert len(creds.password) >= 16
    assert base64.b64encode(creds.password.encode()).decode() == desc.admin_password
    [stored] = emu.admin.state()["eloq"]["clusters"]
    assert stored["admin_password"] == creds.password

    deleted = client.cluster_delete("flow-1")
    assert deleted.success, deleted.message
    with pytest.raises(EloqNotFoundError):
        client.cluster("flow-1")
    assert client.clusters().total == 0


def test_bad_key_is_an_authentication_error(emu: EmulatorProcess) -> None:
    bad = EloqAPI.from_key_and_url("not-a-key", emu.env()["ELOQ_BASE_URL"])
    with pytest.raises(EloqAuthenticationError) as info:
        bad.info()
    assert info.value.status_code == 401
    assert "Invalid token" in str(info.value)
    result = bad.cluster_create("x", "us-west-1", 101)
    assert not result.success and "Authentication failed" in result.message


def test_other_orgs_cluster_is_not_found(emu: EmulatorProcess, client: EloqAPI) -> None:
    other = EloqAPI.from_key_and_url(OTHER_KEY, emu.env()["ELOQ_BASE_URL"])
    assert other.info().org_info.org_id == 2
    assert other.cluster_create("theirs", "eu-west-1", aws_kv_serverless(other)).success
    assert other.cluster("theirs").status == "available"
    with pytest.raises(EloqNotFoundError):
        client.cluster("theirs")
    assert client.clusters().total == 0
    # Addressing the other org's path directly is a 404 too.
    r = httpx.get(
        emu.env()["ELOQ_BASE_URL"] + "orgs/2/projects/248/clusters/theirs",
        headers={"Authorization": emu.env()["ELOQ_API_KEY"]},
    )
    assert r.status_code == 404
    deleted = client.cluster_delete("theirs")
    assert not deleted.success and deleted.message.startswith("Cluster not found")
    assert other.cluster("theirs").status == "available"


def test_duplicate_name_fails(client: EloqAPI) -> None:
    sku = aws_kv_serverless(client)
    assert client.cluster_create("dup", "us-west-1", sku).success
    second = client.cluster_create("dup", "us-west-1", sku)
    assert not second.success
    assert "cluster dup already exists" in second.message
    assert client.clusters().total == 1


def test_delete_while_creating_is_refused(emu: EmulatorProcess, client: EloqAPI) -> None:
    emu.admin.delays(provision_seconds=60)
    assert client.cluster_create("young", "ap-northeast-1", aws_kv_serverless(client)).success
    assert client.cluster("young").status == "creating"
    result = client.cluster_delete("young")
    assert not result.success
    assert result.message.startswith("Permission denied or cluster not in available status")
    assert "cluster young is not in available status" in result.message
    assert client.cluster("young").status == "creating"
    emu.admin.eloq_set_status(1, 147, "young", "available")
    assert client.cluster_delete("young").success


def test_invalid_create_and_paging(client: EloqAPI) -> None:
    bad = client.cluster_create("ok-name", "us-west-1", 424242)
    assert not bad.success and "invalid skuId" in bad.message
    bad = client.cluster_create("Not_DNS", "us-west-1", 101)
    assert not bad.success and "invalid clusterName" in bad.message
    bad = client.cluster_create("ok-name", "moon-1", 101)
    assert not bad.success and "invalid region" in bad.message
    for i in range(3):
        assert client.cluster_create(f"pg-{i}", "us-east-1", 101).success
    page2 = client.clusters(page=2, per_page=2)
    assert page2.total == 3
    assert [c.cluster_name for c in page2.cluster_list] == ["pg-2"]
    with pytest.raises(EloqValidationError):
        client.clusters(page=0)


def test_injected_faults_map_to_client_errors(emu: EmulatorProcess, client: EloqAPI) -> None:
    emu.admin.faults("/eloq/api/v1/org-info", error_rate=1.0, error_statuses=[503], max_faults=1)
    with pytest.raises(EloqServerError) as info:
        client.info()
    assert info.value.status_code == 503 and info.value.response_data["code"] == 503
    emu.admin.faults("/eloq/api/v1/skus-by-args", error_rate=1.0, error_statuses=[429], max_faults=1)
    with pytest.raises(EloqRateLimitError):
        aws_kv_serverless(client)
    assert aws_kv_serverless(client) == 101
