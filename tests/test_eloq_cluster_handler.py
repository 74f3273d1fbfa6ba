"""eloq.Cluster's handler driven as the provider host drives it, judged by what the emulator holds and was sent.

Fast companions of tests/test_eloq_cluster.py (which goes through the engine): every output the
schema declares is recorded as the platform's describe answer shows it, refresh reports drift and
keeps what the next check needs, diff asks for exactly the replacements the platform forces, a
name already taken is adopted or refused as the docs say, a create that fails removes what it
made (and only that), and delete waits for the platform. Timeouts are short so that a mutant that
never finishes waiting fails fast instead of hanging.
"""

from __future__ import annotations

import base64
import itertools
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from pulumi_dataplatforms_emulator.process import EmulatorProcess, credentials
from pulumi_dataplatforms_provider import exactly_once
from pulumi_dataplatforms_provider.core import PermissionDeniedError, ServerError
from pulumi_dataplatforms_provider.eloq import cluster as cluster_module
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.eloq.cluster import ClusterOutputs, ClusterProvider
from pulumi_dataplatforms_provider.polling import WaitTimeoutError
from tests.handlers import configured

ORG, PROJECT = 1, 147
CLUSTERS_PATH = f"/eloq/api/v1/orgs/{ORG}/projects/{PROJECT}/clusters"
LIMITS = {"create": "10s", "delete": "8s"}
#: For creates expected to fail at once: a mutant that waits instead fails within seconds.
FAST = {"create": "3s", "delete": "1s"}
pytestmark = pytest.mark.timeout(60)
DECLARED = set(ClusterOutputs.model_json_schema(by_alias=True)["properties"])


@pytest.fixture
def provider(emulator: EmulatorProcess) -> ClusterProvider:
    return configured(ClusterProvider, emulator)


@pytest.fixture
def client(emulator: EmulatorProcess) -> Iterator[EloqClient]:
    env = emulator.env()
    eloq = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    yield eloq
    eloq.close()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses the cluster handler and its exactly-once create take between attempts (taken as no time)."""
    taken: list[float] = []
    for owner in (cluster_module, exactly_once):
        monkeypatch.setattr(owner, "time", SimpleNamespace(sleep=taken.append))
    return taken


def checked(provider: ClusterProvider, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    result = provider.check(olds or {}, {"__logicalName": "db", **news})
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def failures(provider: ClusterProvider, news: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in provider.check({}, {"__logicalName": "db", **news}).failures}


def live(emulator: EmulatorProcess, name: str) -> dict[str, Any] | None:
    """The cluster as the emulator stores it, or None."""
    return next((c for c in emulator.admin.state()["eloq"]["clusters"] if c["name"] == name), None)


def described(emulator: EmulatorProcess, name: str) -> dict[str, Any]:
    """The platform's describe answer, fetched without the provider's client."""
    env = emulator.env()
    url = f"{env['ELOQ_BASE_URL'].rstrip('/')}/orgs/{ORG}/projects/{PROJECT}/clusters/{name}"
    answer = httpx.get(url, headers=credentials("eloq", env), timeout=10)
    answer.raise_for_status()
    data: dict[str, Any] = answer.json()["data"]
    return data


def requests(emulator: EmulatorProcess, method: str, path: str) -> list[dict[str, Any]]:
    return [e for e in emulator.admin.request_log() if e["method"] == method and e["path"] == path]


def foreign(client: EloqClient, name: str, zone: str = "us-west-1a", sku: int = 101) -> None:
    """A cluster made outside this resource (another stack, the console)."""
    client.create_cluster(name, "us-west-1", sku, zone)


# -- outputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("sku", "scheme"), [(101, "redis"), (112, "mongodb")])
def test_create_records_every_declared_output_as_the_platform_describes_the_cluster(
    provider: ClusterProvider, emulator: EmulatorProcess, sku: int, scheme: str
) -> None:
    inputs = checked(provider, {"name": "outs-db", "region": "us-west-1", "skuId": sku, "timeouts": LIMITS})
    created = provider.create(inputs)
    assert created.id == f"{ORG}/{PROJECT}/outs-db"
    outs = dict(created.outs or {})
    data = described(emulator, "outs-db")
    user, password = (base64.b64decode(data[k]).decode() for k in ("admin_user", "admin_password"))
    expected = {
        "region": data["region"],
        "zone": data["zone"],
        "resolvedSkuId": live(emulator, "outs-db")["sku_id"],  # type: ignore[index]
        "status": "available",
        "host": data["elb_addr"],
        "port": data["elb_port"],
        "username": user,
        "password": password,
        "connectionString": f"{scheme}://{user}:{password}@{data['elb_addr']}:{data['elb_port']}",
        "version": data["version"],
        "createdAt": data["create_at"],
        "moduleType": data["module_type"],
        "cloudProvider": data["cloud_provider"],
        "deployMode": data["cluster_deploy_mode"],
        "elbState": data["elb_state"],
        "orgName": data["org_name"],
        "projectName": data["project_name"],
        "txCpuLimit": data["tx_cpu_limit"],
        "txMemoryMiLimit": data["tx_memory_mi_limit"],
        "txReplica": data["tx_replica"],
        "logCpuLimit": data["log_cpu_limit"],
        "logMemoryMiLimit": data["log_memory_mi_limit"],
        "logReplica": data["log_replica"],
    }
    assert set(expected) >= DECLARED, "every output the schema declares is compared here"
    assert {k: outs.get(k) for k in expected} == expected
    assert expected["resolvedSkuId"] == sku
    # Exactly the checked inputs (engine keys included, for later operations) and the declared outputs.
    assert set(outs) == set(inputs) | DECLARED
    assert {k: outs[k] for k in inputs} == inputs


def test_refresh_reports_what_changed_on_the_platform_and_keeps_what_the_next_check_needs(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    program = {"region": "us-west-1", "skuId": 101, "timeouts": LIMITS}
    inputs = checked(provider, program)
    name = inputs["name"]
    created = provider.create(inputs)
    outs = dict(created.outs or {})

    same = provider.read(created.id, outs)
    assert same.id == created.id
    assert same.outs == outs
    assert same.inputs == inputs
    again = checked(provider, program, olds=dict(same.inputs or {}))
    assert again["name"] == name, "an auto-name survives a refresh"
    assert not provider.diff(created.id, dict(same.outs or {}), again).changes

    emulator.admin.eloq_patch(ORG, PROJECT, name, version="nightly-2099-01-01", zone="us-west-1c", elb_port=6400)
    drifted = provider.read(created.id, outs)
    assert drifted.id == created.id
    assert drifted.inputs == {**inputs, "zone": "us-west-1c"}
    read_outs = dict(drifted.outs or {})
    assert (read_outs["version"], read_outs["zone"], read_outs["port"]) == ("nightly-2099-01-01", "us-west-1c", 6400)
    assert read_outs["resolvedSkuId"] == 101
    assert read_outs["connectionString"].endswith(":6400")
    assert set(read_outs) == set(outs)
    news = checked(provider, program, olds=dict(drifted.inputs or {}))
    plan = provider.diff(created.id, read_outs, news)
    assert (plan.changes, plan.replaces) == (True, ["zone"]), "the next up moves the cluster back"

    emulator.admin.eloq_remove(ORG, PROJECT, name)
    gone = provider.read(created.id, outs)
    assert (gone.id, gone.outs) == ("", {})


# -- check -------------------------------------------------------------------------------------


def test_check_names_each_bad_property_and_sends_nothing(
    provider: ClusterProvider, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.admin.reset_counts()
    assert set(failures(provider, {"region": "us-west-1"})) == {"skuId"}
    assert failures(provider, {"region": "us-west-1", "skuId": 101}) == {}
    assert failures(provider, {"region": "us-west-1", "sku": {"type": "dedicated"}}) == {}
    assert set(failures(provider, {"region": "us-west-1", "skuId": 101, "sku": {"type": "dedicated"}})) == {"sku"}
    assert failures(provider, {"region": "us-west-1", "skuId": rpc.UNKNOWN, "sku": {"type": "dedicated"}}) == {}
    assert failures(provider, {"region": "us-west-1", "skuId": 101, "sku": rpc.UNKNOWN}) == {}
    bad = failures(
        provider,
        {
            "name": "Bad_Name",
            "region": "mars",
            "zone": "moon",
            "adoptExisting": "yes",
            "colour": "red",
            "sku": {"type": "dedicated", "modul": "eloqkv", "name": ""},
        },
    )
    assert set(bad) == {"name", "region", "zone", "adoptExisting", "colour", "sku.modul", "sku.name"}
    assert "not a known property" in bad["colour"]
    monkeypatch.delenv("ELOQ_API_KEY", raising=False)
    keyless = configured(ClusterProvider, emulator, {"eloq:apiKey": None})
    assert set(failures(keyless, {"region": "us-west-1", "skuId": 101})) == {"eloq:apiKey"}
    assert emulator.admin.request_counts()["total"] == 0


def test_check_chooses_a_stable_name_and_the_default_zone(provider: ClusterProvider) -> None:
    first = checked(provider, {"__logicalName": "Orders DB!", "region": "us-west-1", "skuId": 101})
    assert first["name"].startswith("orders-db-") and len(first["name"]) == len("orders-db-") + 7
    assert first["zone"] == "us-west-1a"
    again = checked(provider, {"__logicalName": "Orders DB!", "region": "us-east-1", "skuId": 101}, olds=first)
    assert again["name"] == first["name"], "the auto-name is kept for the life of the resource"
    explicit = checked(provider, {"name": "pinned", "region": "us-west-1", "skuId": 101, "zone": "us-west-1b"})
    assert (explicit["name"], explicit["zone"]) == ("pinned", "us-west-1b")
    dropped = checked(provider, {"__logicalName": "Orders DB!", "region": "us-west-1", "skuId": 101}, olds=explicit)
    assert dropped["name"] != "pinned" and dropped["name"].startswith("orders-db-"), "a removed name is not kept"


# -- diff --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"name": "other-db"}, ["name"]),
        ({"region": "us-east-1"}, ["region"]),
        ({"skuId": 102}, ["skuId"]),
        ({"skuId": None, "sku": {"type": "serverless"}}, ["skuId", "sku"]),
        ({"zone": "us-west-1b"}, ["zone"]),
        ({"skuId": rpc.UNKNOWN}, ["skuId"]),
        ({"timeouts": {"create": "30m"}}, []),
        ({"adoptExisting": True}, []),
        ({}, None),
    ],
)
def test_diff_replaces_for_what_the_platform_cannot_change_and_updates_the_rest(
    provider: ClusterProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {**checked(provider, {"name": "diff-db", "region": "us-west-1", "skuId": 101}), "status": "available"}
    news = {k: v for k, v in {**olds, **change}.items() if v is not None and k != "status"}
    plan = provider.diff("1/147/diff-db", olds, news)
    if replaces is None:
        assert plan.changes is False and not plan.replaces
        return
    assert plan.changes is True
    assert plan.replaces == replaces
    assert plan.stables == ([] if replaces else ["name"])
    assert plan.delete_before_replace is bool(replaces), "an explicit name must be freed before it is reused"


def test_an_auto_named_cluster_is_replaced_before_the_old_one_is_deleted(provider: ClusterProvider) -> None:
    olds = checked(provider, {"region": "us-west-1", "skuId": 101})
    news = checked(provider, {"region": "us-east-1", "skuId": 101}, olds=olds)
    plan = provider.diff(f"1/147/{olds['name']}", olds, news)
    assert plan.replaces == ["region"]
    assert plan.delete_before_replace is False


# -- create ------------------------------------------------------------------------------------


def test_a_sku_chosen_by_attributes_is_the_one_the_cluster_gets(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    one = checked(provider, {"name": "doc-gcp", "region": "us-west-1", "sku": {"type": "serverless", "module": "eloqdoc", "cloud": "gcp"}, "timeouts": LIMITS})  # fmt: skip
    assert dict(provider.create(one).outs or {})["resolvedSkuId"] == 211
    assert live(emulator, "doc-gcp")["sku_id"] == 211  # type: ignore[index]
    named = {"type": "dedicated", "module": "eloqkv", "cloud": "aws", "name": "eloqkv-dedicated-aws-large"}
    big = checked(provider, {"name": "kv-large", "region": "us-west-1", "sku": named, "timeouts": LIMITS})
    assert dict(provider.create(big).outs or {})["resolvedSkuId"] == 103
    assert live(emulator, "kv-large")["sku_id"] == 103  # type: ignore[index]

    emulator.admin.reset_counts()
    several = checked(provider, {"name": "kv-any", "region": "us-west-1", "sku": {"type": "dedicated"}})
    with pytest.raises(ValueError) as caught:
        provider.create(several)
    assert "matches 2 SKUs" in str(caught.value)
    assert "eloqkv-dedicated-aws-small (id 102), eloqkv-dedicated-aws-large (id 103)" in str(caught.value)
    missing = checked(provider, {"name": "kv-none", "region": "us-west-1", "sku": {"name": "no-such-sku"}})
    with pytest.raises(ValueError, match=r"matches 0 SKUs \(none\)"):
        provider.create(missing)
    assert not requests(emulator, "POST", CLUSTERS_PATH), "no cluster is requested without exactly one SKU"
    assert live(emulator, "kv-any") is None and live(emulator, "kv-none") is None


def test_a_cluster_in_another_zone_is_created_there(provider: ClusterProvider, emulator: EmulatorProcess) -> None:
    inputs = checked(provider, {"name": "zone-b", "region": "us-west-1", "skuId": 101, "zone": "us-west-1b"})
    provider.create(inputs)
    assert live(emulator, "zone-b")["zone"] == "us-west-1b"  # type: ignore[index]


def test_a_refused_create_is_retried_with_backoff_until_it_is_made_once(
    provider: ClusterProvider, emulator: EmulatorProcess, sleeps: list[float]
) -> None:
    emulator.admin.faults(CLUSTERS_PATH, method="POST", error_rate=1.0, error_statuses=[503], max_faults=7)
    inputs = checked(provider, {"name": "retried", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "30s", "delete": "8s"}})  # fmt: skip
    provider.create(inputs)
    assert len(requests(emulator, "POST", CLUSTERS_PATH)) == 8
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert [c["name"] for c in emulator.admin.state()["eloq"]["clusters"]] == ["retried"]


def test_a_create_still_refused_at_its_deadline_gives_up(provider: ClusterProvider, emulator: EmulatorProcess) -> None:
    emulator.admin.faults(CLUSTERS_PATH, method="POST", error_rate=1.0, error_statuses=[503])
    inputs = checked(provider, {"name": "refused", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "1.6s"}})
    with pytest.raises(ServerError):
        provider.create(inputs)
    posts = requests(emulator, "POST", CLUSTERS_PATH)
    assert len(posts) >= 2, "a refused create is tried again while the deadline allows"
    assert 0.5 <= posts[1]["started_monotonic"] - posts[0]["started_monotonic"] < 1.0, "after half a second"
    assert live(emulator, "refused") is None


def test_a_create_that_cannot_finish_deletes_the_cluster_it_made(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.delays(provision_seconds=2.0)
    inputs = checked(
        provider,
        {"name": "too-slow", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "1s", "delete": "8s"}},
    )
    with pytest.raises(WaitTimeoutError, match="still creating after 1s"):
        provider.create(inputs)
    assert live(emulator, "too-slow") is None, "the half-made cluster must be deleted"
    assert len(requests(emulator, "DELETE", f"{CLUSTERS_PATH}/too-slow/delete")) == 1


@pytest.mark.parametrize("status", ["failed", "error", "create_failed", "creating_failed"])
def test_a_failed_provisioning_ends_the_create_at_once(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient, status: str
) -> None:
    foreign(client, "broken")
    emulator.admin.eloq_set_status(ORG, PROJECT, "broken", status)
    inputs = checked(provider, {"name": "broken", "region": "us-west-1", "skuId": 101, "adoptExisting": True, "timeouts": FAST})  # fmt: skip
    with pytest.raises(RuntimeError, match=rf"failed to provision \(status {status}\)"):
        provider.create(inputs)
    assert live(emulator, "broken") is not None, "an adopted cluster is not this resource's to delete"
    assert not requests(emulator, "DELETE", f"{CLUSTERS_PATH}/broken/delete")


# -- a name that is already taken ----------------------------------------------------------------


def test_an_auto_named_cluster_left_by_an_interrupted_create_is_taken_over_and_owned(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    inputs = checked(provider, {"region": "us-west-1", "skuId": 101, "timeouts": {"create": "10s", "delete": "1s"}})
    name = inputs["name"]
    foreign(client, name)
    emulator.admin.reset_counts()
    created = provider.create(inputs)
    assert created.id == f"{ORG}/{PROJECT}/{name}"
    assert not requests(emulator, "POST", CLUSTERS_PATH), "nothing is created twice"

    other = checked(provider, {"__logicalName": "other", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "10s", "delete": "1s"}})  # fmt: skip
    foreign(client, other["name"])
    emulator.admin.eloq_set_status(ORG, PROJECT, other["name"], "failed")
    with pytest.raises(RuntimeError, match="could not be removed"):
        provider.create(other)
    assert requests(emulator, "DELETE", f"{CLUSTERS_PATH}/{other['name']}/delete"), "its own cluster is cleaned up"


def test_an_auto_name_taken_in_another_zone_is_refused(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    inputs = checked(provider, {"region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    foreign(client, inputs["name"], zone="us-west-1b")
    with pytest.raises(ValueError, match="set adoptExisting=true to manage it"):
        provider.create(inputs)
    assert live(emulator, inputs["name"])["zone"] == "us-west-1b"  # type: ignore[index]


def test_an_explicit_name_created_moments_ago_is_taken_over_but_not_owned(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    foreign(client, "recent")
    emulator.admin.reset_counts()
    inputs = checked(provider, {"name": "recent", "region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    assert provider.create(inputs).id == f"{ORG}/{PROJECT}/recent"
    assert not requests(emulator, "POST", CLUSTERS_PATH)

    foreign(client, "recent-broken")
    emulator.admin.eloq_set_status(ORG, PROJECT, "recent-broken", "failed")
    broken = checked(provider, {"name": "recent-broken", "region": "us-west-1", "skuId": 101, "timeouts": FAST})
    with pytest.raises(RuntimeError, match="failed to provision"):
        provider.create(broken)
    assert not requests(emulator, "DELETE", f"{CLUSTERS_PATH}/recent-broken/delete")


def test_an_explicit_name_taken_elsewhere_is_refused_with_the_way_out(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    foreign(client, "elsewhere", zone="us-west-1b")
    plain = checked(provider, {"name": "elsewhere", "region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    with pytest.raises(ValueError, match="set adoptExisting=true to manage it, or choose another name"):
        provider.create(plain)
    adopting = {**plain, "adoptExisting": True}
    with pytest.raises(ValueError, match="change region/zone to match it"):
        provider.create(adopting)
    assert live(emulator, "elsewhere")["zone"] == "us-west-1b"  # type: ignore[index]


def test_an_older_cluster_of_that_name_is_adopted_only_with_adopt_existing(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    foreign(client, "older")
    time.sleep(1.1)
    limits = {"create": "1s", "delete": "1s"}
    plain = checked(provider, {"name": "older", "region": "us-west-1", "skuId": 101, "timeouts": limits})
    with pytest.raises(ValueError, match="already exists"):
        provider.create(plain)
    adopted = provider.create({**plain, "adoptExisting": True})
    assert adopted.id == f"{ORG}/{PROJECT}/older"
    assert len([c for c in emulator.admin.state()["eloq"]["clusters"] if c["name"] == "older"]) == 1


def test_a_create_answered_conflict_looks_again_before_taking_anything_over(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    foreign(client, "contested", zone="us-west-1b")
    emulator.admin.reset_counts()
    # The look-up misses it (a stale answer), so the POST is sent and the platform answers 409.
    emulator.admin.faults(
        f"{CLUSTERS_PATH}/contested", method="GET", error_rate=1.0, error_statuses=[404], max_faults=1
    )
    inputs = checked(provider, {"name": "contested", "region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    with pytest.raises(ValueError, match="already exists"):
        provider.create(inputs)
    assert [e["status"] for e in requests(emulator, "POST", CLUSTERS_PATH)] == [409]


def test_a_conflict_answered_for_a_cluster_that_is_not_there_is_tried_again(
    provider: ClusterProvider, emulator: EmulatorProcess, sleeps: list[float]
) -> None:
    # A stale 409 (the request was not processed): nothing of that name exists, so the create goes on.
    emulator.admin.faults(CLUSTERS_PATH, method="POST", error_rate=1.0, error_statuses=[409], max_faults=1)
    inputs = checked(provider, {"name": "stale", "region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    provider.create(inputs)
    assert [e["status"] for e in requests(emulator, "POST", CLUSTERS_PATH)] == [409, 200]
    assert sleeps == [0.5]
    assert live(emulator, "stale") is not None


# -- update and delete -----------------------------------------------------------------------------


def test_update_changes_only_provider_settings_and_sends_nothing(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    inputs = checked(provider, {"name": "upd", "region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    outs = dict(provider.create(inputs).outs or {})
    news = checked(provider, {"name": "upd", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "5m"}, "adoptExisting": True}, olds=inputs)  # fmt: skip
    emulator.admin.reset_counts()
    updated = dict(provider.update("1/147/upd", outs, news).outs or {})
    assert updated == {**outs, "timeouts": {"create": "5m"}, "adoptExisting": True}
    assert emulator.admin.request_counts()["total"] == 0


def test_delete_waits_until_the_platform_has_removed_the_cluster(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.delays(provision_seconds=1.0, deletion_seconds=1.0)
    inputs = checked(provider, {"name": "del", "region": "us-west-1", "skuId": 101, "timeouts": LIMITS})
    client = provider.handler.client()
    client.create_cluster("del", "us-west-1", 101)
    provider.delete("1/147/del", inputs)  # still creating: waits for `available`, deletes, waits until gone
    assert live(emulator, "del") is None
    assert len(requests(emulator, "DELETE", f"{CLUSTERS_PATH}/del/delete")) == 1

    emulator.admin.reset_counts()
    provider.delete("1/147/del", inputs)  # already gone
    assert not requests(emulator, "DELETE", f"{CLUSTERS_PATH}/del/delete")


def test_a_delete_slower_than_its_deadline_says_it_was_accepted(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.delays(deletion_seconds=3.0)
    inputs = checked(provider, {"name": "slow-del", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "10s", "delete": "1s"}})  # fmt: skip
    provider.create(inputs)
    with pytest.raises(WaitTimeoutError, match="the delete was accepted and may still complete"):
        provider.delete("1/147/slow-del", inputs)
    assert len(requests(emulator, "DELETE", f"{CLUSTERS_PATH}/slow-del/delete")) == 1


def test_a_delete_the_platform_refuses_is_retried_each_second_until_the_deadline(
    provider: ClusterProvider, emulator: EmulatorProcess, client: EloqClient
) -> None:
    foreign(client, "stuck")
    emulator.admin.eloq_set_status(ORG, PROJECT, "stuck", "failed")
    inputs = checked(provider, {"name": "stuck", "region": "us-west-1", "skuId": 101, "timeouts": {"delete": "1.5s"}})
    with pytest.raises(PermissionDeniedError, match="not in available status"):
        provider.delete("1/147/stuck", inputs)
    attempts = requests(emulator, "DELETE", f"{CLUSTERS_PATH}/stuck/delete")
    assert 2 <= len(attempts) <= 3, [e["started_monotonic"] for e in attempts]
    gaps = [b["started_monotonic"] - a["started_monotonic"] for a, b in itertools.pairwise(attempts)]
    assert all(gap >= 1.0 for gap in gaps), gaps


def test_a_cluster_whose_create_answer_was_lost_is_removed_when_the_create_then_fails(
    provider: ClusterProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.delays(provision_seconds=2.5)
    emulator.admin.faults(CLUSTERS_PATH, method="POST", lost_rate=1.0, lost_as="error", error_statuses=[503], max_faults=1)  # fmt: skip
    inputs = checked(provider, {"name": "orphan", "region": "us-west-1", "skuId": 101, "timeouts": {"create": "1.5s", "delete": "8s"}})  # fmt: skip
    with pytest.raises(WaitTimeoutError):
        provider.create(inputs)
    assert live(emulator, "orphan") is None, "the cluster this create made must not be left behind"
