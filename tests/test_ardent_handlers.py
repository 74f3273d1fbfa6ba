"""The Ardent handlers (configurations, connector, job) driven as the provider host drives them.

Judged by what the emulator holds and was sent: the exact wire body of each configuration type,
a connector discovered, narrowed and indexed, a job that ran once; what each handler records
as outputs; diffs that replace exactly what Ardent cannot change; a create that never duplicates
after a lost answer and removes what it half-made.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import exactly_once
from pulumi_dataplatforms_provider.ardent.client import ArdentClient
from pulumi_dataplatforms_provider.ardent.configuration import PROVIDERS, ConfigurationProvider
from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider
from pulumi_dataplatforms_provider.ardent.job import JobProvider
from pulumi_dataplatforms_provider.core import APIStatusError, ServerError
from tests.handlers import configured

CONNECTORS = "/ardent/v1/connectors"
DB = [{"name": "analytics"}]

#: type -> (program inputs, the `Config` parameters Ardent must receive, by their exact wire names)
CONFIGS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "mongodb": (
        {
            "connectionString": "mongodb://u:pw@mongo.example.com:27017",
            "databases": [{"name": "orders", "collections": [{"name": "events"}]}],
        },
        {
            "connection_string": "mongodb://u:pw@mongo.example.com:27017",
            "databases": [{"name": "orders", "collections": [{"name": "events"}]}],
        },
    ),
    "postgreSQL": (
        {"hostname": "db.example.com", "port": "5432", "username": "ardent", "password": "pg-pw", "databases": DB},
        {"Hostname": "db.example.com", "Port": "5432", "username": "ardent", "password": "pg-pw", "databases": DB},
    ),
    "mysql": (
        {"host": "shop.example.com", "port": "3306", "username": "reader", "password": "my-pw", "databases": DB},
        {"host": "shop.example.com", "port": "3306", "username": "reader", "password": "my-pw", "databases": DB},
    ),
    "snowflake": (
        {"account": "xy12345.eu-west-1", "user": "ARDENT", "password": "sf-pw", "warehouse": "WH", "databases": DB},
        {"account": "xy12345.eu-west-1", "user": "ARDENT", "password": "sf-pw", "warehouse": "WH", "databases": DB},
    ),
    "azureSQLServer": (
        {
            "server": "acme.database.windows.net",
            "username": "ardent",
            "password": "az-pw",
            "version": "18",
            "databases": DB,
        },
        {
            "server": "acme.database.windows.net",
            "username": "ardent",
            "password": "az-pw",
            "version": "18",
            "databases": DB,
        },
    ),
    "supabase": (
        {"projectUrl": "https://abcdefghijklmnop.supabase.co", "apiKey": "sb-key", "databases": [{"name": "public"}]},
        {
            "project_url": "https://abcdefghijklmnop.supabase.co",
            "api_key": "sb-key",
            "databases": [{"name": "public", "tables": []}],
        },
    ),
    "airflow": (
        {
            "githubToken": "ghp-1",
            "repo": "acme/pipes",
            "dagPath": "dags",
            "host": "https://airflow.example.com",
            "username": "ardent",
            "password": "af-pw",
        },
        {
            "github_token": "ghp-1",
            "repo": "acme/pipes",
            "dag_path": "dags",
            "host": "https://airflow.example.com",
            "username": "ardent",
            "password": "af-pw",
        },
    ),
    "databricks": (
        {
            "serverHostname": "adb-1.7.azuredatabricks.net",
            "httpPath": "/sql/1.0/warehouses/abc",
            "accessToken": "dapi-1",
            "catalogs": [{"name": "main", "databases": [{"name": "sales", "tables": [{"name": "orders"}]}]}],
        },
        {
            "server_hostname": "adb-1.7.azuredatabricks.net",
            "http_path": "/sql/1.0/warehouses/abc",
            "access_token": "dapi-1",
            "catalogs": [{"name": "main", "databases": [{"name": "sales", "tables": [{"name": "orders"}]}]}],
        },
    ),
    "databricksJobs": (
        {
            "workspaceUrl": "https://adb-1.7.azuredatabricks.net",
            "accessToken": "dapi-1",
            "githubToken": "ghp-2",
            "repo": "acme/jobs",
            "repoPath": "jobs",
        },
        {
            "workspace_url": "https://adb-1.7.azuredatabricks.net",
            "access_token": "dapi-1",
            "github_token": "ghp-2",
            "repo": "acme/jobs",
            "repo_path": "jobs",
        },
    ),
    "tigerbeetle": (
        {"clusterId": "0", "replicaAddresses": ["10.0.0.1:3000", "3001"]},
        {"cluster_id": "0", "replica_addresses": ["10.0.0.1:3000", "3001"]},
    ),
}
#: type -> (an input changed in place, its new value, its wire name)
UPDATES: dict[str, tuple[str, Any, str]] = {
    "mongodb": ("databases", [{"name": "app", "collections": []}], "databases"),
    "postgreSQL": ("hostname", "db2.example.com", "Hostname"),
    "mysql": ("host", "db2.example.com", "host"),
    "snowflake": ("warehouse", "OTHER_WH", "warehouse"),
    "azureSQLServer": ("server", "acme2.database.windows.net", "server"),
    "supabase": ("projectUrl", "https://qrstuvwxyzabcdef.supabase.co", "project_url"),
    "airflow": ("dagPath", "dags/v2", "dag_path"),
    "databricks": ("httpPath", "/sql/1.0/warehouses/ffff", "http_path"),
    "databricksJobs": ("repoPath", "jobs/v2", "repo_path"),
    "tigerbeetle": ("clusterId", "7", "cluster_id"),
}
#: type -> a list input that must hold at least one item
REQUIRED_LISTS = {
    "mongodb": "databases",
    "postgreSQL": "databases",
    "mysql": "databases",
    "snowflake": "databases",
    "azureSQLServer": "databases",
    "databricks": "catalogs",
    "tigerbeetle": "replicaAddresses",
}
#: type -> its secret inputs
SECRETS = {
    "mongodb": ("connectionString",),
    "postgreSQL": ("password",),
    "mysql": ("password",),
    "snowflake": ("password",),
    "azureSQLServer": ("password",),
    "supabase": ("apiKey",),
    "airflow": ("githubToken", "password"),
    "databricks": ("accessToken",),
    "databricksJobs": ("accessToken", "githubToken"),
    "tigerbeetle": (),
}


def ardent(emulator: EmulatorProcess) -> dict[str, Any]:
    state: dict[str, Any] = emulator.admin.state()["ardent"]
    return state


def set_account(emulator: EmulatorProcess, credits: int | None = None, scopes: list[str] | None = None) -> None:
    body = {"credits": credits, "scopes": scopes}
    httpx.put(f"{emulator.url}/_admin/ardent/account", json=body, timeout=10).raise_for_status()


def requests(emulator: EmulatorProcess, method: str, path: str) -> list[dict[str, Any]]:
    return [e for e in emulator.admin.request_log() if e["method"] == method and e["path"] == path]


def no_failures(result: Any) -> dict[str, Any]:
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


# -- configurations ------------------------------------------------------------------------------


@pytest.mark.parametrize("wire_type", sorted(CONFIGS))
def test_each_configuration_type_reaches_ardent_with_its_exact_wire_parameters(
    emulator: EmulatorProcess, wire_type: str
) -> None:
    program, wire = CONFIGS[wire_type]
    provider = configured(PROVIDERS[wire_type], emulator)
    inputs = no_failures(provider.check({}, {"__logicalName": "cfg", **program}))
    config_id = inputs["configId"]
    created = provider.create(inputs)
    assert created.id == config_id
    assert created.outs == inputs, "the outputs are the checked inputs, the id included"
    doc = ardent(emulator)["configs"][config_id]
    assert doc["config"] == {"type": wire_type, "id": config_id, **wire}

    assert provider.read(config_id, dict(created.outs or {})).outs == created.outs

    key, value, wire_key = UPDATES[wire_type]
    news = no_failures(provider.check(inputs, {"__logicalName": "cfg", **program, key: value}))
    plan = provider.diff(config_id, dict(created.outs or {}), news)
    assert (plan.changes, plan.replaces, plan.stables) == (True, [], ["configId"])
    updated = provider.update(config_id, dict(created.outs or {}), news)
    assert updated.outs == {**news, "configId": config_id}
    doc = ardent(emulator)["configs"][config_id]
    assert doc["revision"] == 2
    assert doc["config"] == {"type": wire_type, "id": config_id, **wire, wire_key: value}

    provider.delete(config_id, dict(updated.outs or {}))
    assert config_id not in ardent(emulator)["configs"]
    provider.delete(config_id, dict(updated.outs or {}))  # already gone counts as deleted


def test_a_configuration_id_given_by_the_program_is_the_one_ardent_gets(emulator: EmulatorProcess) -> None:
    program, _ = CONFIGS["tigerbeetle"]
    provider = configured(PROVIDERS["tigerbeetle"], emulator)
    inputs = no_failures(provider.check({}, {**program, "configId": "ledger-main"}))
    assert provider.create(inputs).id == "ledger-main"
    assert list(ardent(emulator)["configs"]) == ["ledger-main"]
    dropped = no_failures(provider.check(inputs, dict(program)))
    assert dropped["configId"] != "ledger-main", "an id the program stops giving is not kept"


def test_every_configuration_provider_survives_the_trip_to_the_provider_host() -> None:
    for wire_type, provider_class in PROVIDERS.items():
        revived = pickle.loads(pickle.dumps(provider_class()))  # noqa: S301 - as the engine hands it to the host
        assert type(revived) is provider_class and revived.handler.wire_type == wire_type


def test_the_generic_configuration_provider_takes_the_type_from_the_inputs(emulator: EmulatorProcess) -> None:
    provider = configured(ConfigurationProvider, emulator)
    program, _ = CONFIGS["mysql"]
    inputs = no_failures(provider.check({}, {"type": "mysql", **program}))
    assert inputs["type"] == "mysql"
    unknown = {f.property: f.reason for f in provider.check({}, {"type": "oracle", **program}).failures}
    assert set(unknown) == {"type"} and "mongodb" in unknown["type"] and "'oracle'" in unknown["type"]
    typed = configured(PROVIDERS["mysql"], emulator)
    assert no_failures(typed.check({}, dict(program)))["type"] == "mysql"


@pytest.mark.parametrize("wire_type", sorted(REQUIRED_LISTS))
def test_an_empty_required_list_is_refused(emulator: EmulatorProcess, wire_type: str) -> None:
    program, _ = CONFIGS[wire_type]
    prop = REQUIRED_LISTS[wire_type]
    provider = configured(PROVIDERS[wire_type], emulator)
    failures = {f.property for f in provider.check({}, {**program, prop: []}).failures}
    assert failures == {prop}


def test_bad_configuration_values_are_refused_without_echoing_secrets(emulator: EmulatorProcess) -> None:
    def failures(wire_type: str, **change: Any) -> dict[str, str]:
        provider = configured(PROVIDERS[wire_type], emulator)
        return {f.property: f.reason for f in provider.check({}, {**CONFIGS[wire_type][0], **change}).failures}

    assert set(failures("tigerbeetle", configId="bad id!")) == {"configId"}
    assert set(failures("snowflake", account="xy 123")) == {"account"}
    assert set(failures("postgreSQL", databases=[{"name": "a", "schema": "b"}])) == {"databases[0].schema"}
    assert set(failures("databricks", catalogs=[{"name": "main", "databases": []}])) == {"catalogs[0].databases"}
    for wire_type, secrets in SECRETS.items():
        for secret in secrets:
            reasons = failures(wire_type, **{secret: 987654321})
            assert set(reasons) == {secret}
            assert "987654321" not in reasons[secret] and "<secret>" in reasons[secret]


def test_configuration_diff(emulator: EmulatorProcess) -> None:
    provider = configured(PROVIDERS["postgreSQL"], emulator)
    olds = no_failures(provider.check({}, dict(CONFIGS["postgreSQL"][0])))
    same = provider.diff(olds["configId"], olds, dict(olds))
    assert (same.changes, same.replaces, same.stables) == (False, [], ["configId"])
    moved = provider.diff(olds["configId"], olds, {**olds, "configId": "other-id"})
    assert (moved.changes, moved.replaces, moved.stables) == (True, ["configId"], [])
    pending = provider.diff(olds["configId"], olds, {**olds, "password": rpc.UNKNOWN})
    assert (pending.changes, pending.replaces) == (True, [])


# -- connector ---------------------------------------------------------------------------------

DETAILS = {"host": "db.example.com", "port": 5432, "password": "pw"}


@pytest.fixture
def connectors(emulator: EmulatorProcess) -> ConnectorProvider:
    return configured(ConnectorProvider, emulator)


@pytest.fixture
def ardent_client(emulator: EmulatorProcess) -> Iterator[ArdentClient]:
    env = emulator.env()
    client = ArdentClient(env["ARDENT_BASE_URL"], api_key=env["ARDENT_API_KEY"])
    yield client
    client.close()


@pytest.fixture
def connector_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    taken: list[float] = []
    monkeypatch.setattr(exactly_once, "time", SimpleNamespace(sleep=taken.append))
    return taken


def connector_inputs(provider: ConnectorProvider, **change: Any) -> dict[str, Any]:
    news = {"__logicalName": "warehouse", "serviceName": "postgresql", "connectionDetails": DETAILS, **change}
    return no_failures(provider.check({}, {k: v for k, v in news.items() if v is not None}))


def test_a_connector_is_created_discovered_narrowed_and_indexed(
    connectors: ConnectorProvider, emulator: EmulatorProcess
) -> None:
    inputs = connector_inputs(connectors, name="wh", selectedPaths=["public.users"])
    created = connectors.create(inputs)
    stored = ardent(emulator)["connectors"][created.id]
    assert stored["name"] == "wh" and stored["service_name"] == "postgresql"
    assert stored["connection_details"] == DETAILS
    assert (stored["status"], stored["selected_paths"]) == ("indexed", ["public.users"])
    assert created.outs == {**inputs, "connectorId": created.id, "status": "created"}
    assert connectors.read(created.id, dict(created.outs or {})).outs == created.outs

    everything = connectors.create(connector_inputs(connectors, name="wh-all"))
    stored = ardent(emulator)["connectors"][everything.id]
    assert (stored["status"], stored["selected_paths"]) == ("indexed", []), "no selection: discovery decides"

    connectors.delete(created.id, dict(created.outs or {}))
    assert created.id not in ardent(emulator)["connectors"]
    connectors.delete(created.id, dict(created.outs or {}))


def test_connector_check_keeps_its_auto_name_and_hides_connection_details(connectors: ConnectorProvider) -> None:
    first = connector_inputs(connectors)
    assert first["name"].startswith("warehouse-") and len(first["name"]) == len("warehouse-") + 7
    again = no_failures(connectors.check(first, {k: v for k, v in first.items() if k not in ("name", "__defaults")}))
    assert again["name"] == first["name"]
    explicit = connector_inputs(connectors, name="pinned")
    assert explicit["name"] == "pinned"
    dropped = no_failures(connectors.check(explicit, {k: v for k, v in explicit.items() if k != "name"}))
    assert dropped["name"] != "pinned"
    bad = {f.property: f.reason for f in connectors.check({}, {"serviceName": "postgresql", "connectionDetails": {"password": "hunter2"}, "name": " leading", "colour": 1}).failures}  # fmt: skip
    assert set(bad) == {"name", "colour"}
    details = connectors.check({}, {"serviceName": "postgresql", "connectionDetails": "pw=hunter2"}).failures
    assert [f.property for f in details] == ["connectionDetails"]
    assert "hunter2" not in details[0].reason and details[0].reason


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"serviceName": "mysql"}, ["serviceName"]),
        ({"connectionDetails": {**DETAILS, "port": 5433}}, ["connectionDetails"]),
        ({"name": "renamed"}, ["name"]),
        ({"selectedPaths": ["public.orders"]}, ["selectedPaths"]),
        ({"serviceName": rpc.UNKNOWN}, ["serviceName"]),
        ({"timeouts": {"create": "5m"}}, []),
        ({}, None),
    ],
)
def test_connector_diff_replaces_every_api_visible_change(
    connectors: ConnectorProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {**connector_inputs(connectors, name="wh", selectedPaths=["public.users"]), "connectorId": "c1"}
    plan = connectors.diff("c1", olds, {**olds, **change})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
    else:
        assert (plan.changes, plan.replaces) == (True, replaces)


def test_a_connector_is_read_from_its_id_alone_through_the_list_and_its_import_changes_nothing(
    connectors: ConnectorProvider, emulator: EmulatorProcess, ardent_client: ArdentClient
) -> None:
    made = ardent_client.create_connector("postgresql", DETAILS, "wh")
    ardent_client.select_paths(made.id, ["public.users"])
    ardent_client.create_connector("postgresql", DETAILS, "other")
    emulator.admin.reset_counts()
    read = connectors.read(made.id, {})
    listed = {"serviceName": "postgresql", "name": "wh", "selectedPaths": ["public.users"]}
    assert (read.id, read.inputs) == (made.id, listed)
    assert read.outs == {**listed, "connectorId": made.id, "status": "created"}
    assert [e["path"] for e in emulator.admin.request_log()] == [CONNECTORS], "one list request, nothing written"

    program = connector_inputs(connectors, name="wh", selectedPaths=["public.users"], timeouts={"create": "5m"})
    assert connectors.diff(made.id, dict(read.outs or {}), program).changes is False, "connection details as given"
    other = connectors.diff(made.id, dict(read.outs or {}), {**program, "selectedPaths": ["public.orders"]})
    assert (other.changes, other.replaces) == (True, ["selectedPaths"])
    assert connectors.read(made.id, dict(read.outs or {})).outs == read.outs, "a recorded state is kept as it is"
    assert connectors.read("conn_missing", {}).id == ""

    emulator.admin.faults(f"^{CONNECTORS}$", method="GET", error_rate=1.0, error_statuses=[404])
    with pytest.raises(RuntimeError, match="cannot list connectors"):
        connectors.read(made.id, {})


def test_connector_update_changes_only_timeouts_and_sends_nothing(
    connectors: ConnectorProvider, emulator: EmulatorProcess
) -> None:
    inputs = connector_inputs(connectors, name="wh")
    outs = dict(connectors.create(inputs).outs or {})
    emulator.admin.reset_counts()
    news = {**inputs, "timeouts": {"create": "5m"}, "connectionDetails": {"password": "not applied"}}
    assert connectors.update(outs["connectorId"], outs, news).outs == {**outs, "timeouts": {"create": "5m"}}
    assert emulator.admin.request_counts()["total"] == 0


def test_an_auto_named_connector_left_by_an_interrupted_create_is_set_up_not_duplicated(
    connectors: ConnectorProvider, emulator: EmulatorProcess, ardent_client: ArdentClient
) -> None:
    inputs = connector_inputs(connectors)
    left = {ardent_client.create_connector("postgresql", DETAILS, inputs["name"]).id for _ in range(2)}
    emulator.admin.reset_counts()
    created = connectors.create(inputs)
    assert created.id == min(left)
    assert not requests(emulator, "POST", CONNECTORS)
    assert ardent(emulator)["connectors"][created.id]["status"] == "indexed"


def test_an_explicit_name_already_in_use_gets_a_connector_of_its_own(
    connectors: ConnectorProvider, emulator: EmulatorProcess, ardent_client: ArdentClient
) -> None:
    theirs = ardent_client.create_connector("postgresql", DETAILS, "shared-name").id
    created = connectors.create(connector_inputs(connectors, name="shared-name"))
    assert created.id != theirs
    assert sorted(ardent(emulator)["connectors"]) == sorted([theirs, created.id])


def test_a_lost_create_answer_adopts_the_connector_it_made(
    connectors: ConnectorProvider, emulator: EmulatorProcess, ardent_client: ArdentClient
) -> None:
    others = {ardent_client.create_connector("postgresql", DETAILS, f"other-{i}").id for i in range(12)}
    same_name = ardent_client.create_connector("postgresql", DETAILS, "mine").id
    emulator.admin.reset_counts()
    emulator.admin.faults(CONNECTORS, method="POST", lost_rate=1.0, lost_as="error", error_statuses=[503], max_faults=1)
    created = connectors.create(connector_inputs(connectors, name="mine"))
    stored = ardent(emulator)["connectors"]
    made = set(stored) - others - {same_name}
    assert made == {created.id}, "exactly one connector was made, and it is the one adopted"
    assert stored[created.id]["status"] == "indexed"
    assert len(requests(emulator, "POST", CONNECTORS)) == 1


def test_a_refused_create_is_retried_with_backoff(
    connectors: ConnectorProvider, emulator: EmulatorProcess, connector_sleeps: list[float]
) -> None:
    emulator.admin.faults(CONNECTORS, method="POST", error_rate=1.0, error_statuses=[503], max_faults=6)
    created = connectors.create(connector_inputs(connectors, name="patient"))
    assert connector_sleeps == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0]
    assert list(ardent(emulator)["connectors"]) == [created.id]
    assert len(requests(emulator, "POST", CONNECTORS)) == 7


def test_a_rate_limited_create_is_tried_again(connectors: ConnectorProvider, emulator: EmulatorProcess) -> None:
    # More 429s than the client retries: the handler waits and posts again (a 429 was not processed).
    emulator.admin.faults(CONNECTORS, method="POST", error_rate=1.0, error_statuses=[429], max_faults=11)
    created = connectors.create(connector_inputs(connectors, name="throttled"))
    assert list(ardent(emulator)["connectors"]) == [created.id]


def test_a_create_refused_until_its_deadline_gives_up(connectors: ConnectorProvider, emulator: EmulatorProcess) -> None:
    emulator.admin.faults(CONNECTORS, method="POST", error_rate=1.0, error_statuses=[503])
    with pytest.raises(ServerError):
        connectors.create(connector_inputs(connectors, name="never", timeouts={"create": "1.2s"}))
    assert len(requests(emulator, "POST", CONNECTORS)) >= 2, "tried again while the deadline allows"
    assert ardent(emulator)["connectors"] == {}


@pytest.mark.parametrize("status", [404, 405, 501])
def test_a_server_that_cannot_list_connectors_still_creates_but_never_guesses(
    connectors: ConnectorProvider, emulator: EmulatorProcess, status: int
) -> None:
    emulator.admin.faults(f"^{CONNECTORS}$", method="GET", error_rate=1.0, error_statuses=[status])
    created = connectors.create(connector_inputs(connectors, name="unlisted"))
    assert list(ardent(emulator)["connectors"]) == [created.id]
    emulator.admin.faults(CONNECTORS, method="POST", lost_rate=1.0, lost_as="error", error_statuses=[503], max_faults=1)
    with pytest.raises(RuntimeError, match="cannot list connectors"):
        connectors.create(connector_inputs(connectors, name="unlisted-2"))
    assert len(ardent(emulator)["connectors"]) == 2, "the lost create was not sent again"


def test_a_listing_error_that_is_not_unsupported_fails_the_create(
    connectors: ConnectorProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.faults(f"^{CONNECTORS}$", method="GET", error_rate=1.0, error_statuses=[403])
    with pytest.raises(APIStatusError):
        connectors.create(connector_inputs(connectors, name="forbidden"))
    assert ardent(emulator)["connectors"] == {}


def test_a_failed_setup_deletes_the_half_made_connector(
    connectors: ConnectorProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.faults(rf"^{CONNECTORS}/[^/]+/index$", error_rate=1.0, error_statuses=[500])
    with pytest.raises(ServerError):
        connectors.create(connector_inputs(connectors, name="half"))
    assert ardent(emulator)["connectors"] == {}
    set_account(emulator, scopes=["config:write", "job:execute", "job:delete"])
    with pytest.raises(RuntimeError, match="could not be removed"):
        connectors.create(connector_inputs(connectors, name="half-2"))
    assert len(ardent(emulator)["connectors"]) == 1


# -- job ---------------------------------------------------------------------------------------


@pytest.fixture
def jobs(emulator: EmulatorProcess) -> JobProvider:
    return configured(JobProvider, emulator)


def job_inputs(provider: JobProvider, olds: dict[str, Any] | None = None, **change: Any) -> dict[str, Any]:
    news = {"__logicalName": "report", "message": "Summarise revenue.", **change}
    return no_failures(provider.check(olds or {}, {k: v for k, v in news.items() if v is not None}))


def test_a_job_runs_its_message_once_and_records_the_answer(jobs: JobProvider, emulator: EmulatorProcess) -> None:
    inputs = job_inputs(jobs, triggers={"config": "c1"})
    created = jobs.create(inputs)
    job = ardent(emulator)["jobs"][created.id]
    assert (job["userMessage"], job["runs"]) == ("Summarise revenue.", 1)
    answer = {"jobID": created.id, "status": "completed", "response": "Completed: Summarise revenue.", "run": 1}
    assert created.outs == {
        **inputs,
        "jobId": created.id,
        "filesShareName": job["files_share_name"],
        "userId": job["userID"],
        "response": answer,
    }
    assert jobs.read(created.id, dict(created.outs or {})).outs == created.outs
    jobs.delete(created.id, dict(created.outs or {}))
    assert ardent(emulator)["jobs"] == {}
    jobs.delete(created.id, dict(created.outs or {}))


@pytest.mark.parametrize("safe_mode", [None, True, False])
def test_the_run_is_sent_in_the_safe_mode_the_program_asks_for(
    jobs: JobProvider, emulator: EmulatorProcess, safe_mode: bool | None
) -> None:
    probe = emulator.admin.faults("/ardent/v1/jobs/APIChat", method="POST", body_regex='"safeMode":true')
    jobs.create(job_inputs(jobs, safeMode=safe_mode))
    (run,) = requests(emulator, "POST", "/ardent/v1/jobs/APIChat")
    assert (probe["id"] in run["rules"]) is bool(safe_mode)


def test_a_re_run_create_with_the_same_token_finds_the_same_job_and_run(
    jobs: JobProvider, emulator: EmulatorProcess
) -> None:
    inputs = job_inputs(jobs)
    assert inputs["runToken"], "check makes the token"
    assert job_inputs(jobs, olds=inputs)["runToken"] == inputs["runToken"], "and keeps it"
    first = jobs.create(inputs)
    again = jobs.create(inputs)  # e.g. the engine lost the first answer
    assert again.id == first.id
    job = ardent(emulator)["jobs"]
    assert list(job) == [first.id] and job[first.id]["runs"] == 1


def test_a_run_is_given_at_least_a_second_even_when_the_deadline_has_passed(
    jobs: JobProvider, emulator: EmulatorProcess
) -> None:
    created = jobs.create(job_inputs(jobs, timeouts={"create": "0.001s"}))
    assert ardent(emulator)["jobs"][created.id]["runs"] == 1


def test_a_failed_run_deletes_the_job(jobs: JobProvider, emulator: EmulatorProcess) -> None:
    set_account(emulator, credits=0)
    with pytest.raises(APIStatusError, match="Out of credits"):
        jobs.create(job_inputs(jobs))
    assert ardent(emulator)["jobs"] == {}
    set_account(emulator, credits=0, scopes=["config:write", "job:execute"])
    with pytest.raises(RuntimeError, match="could not be deleted"):
        jobs.create(job_inputs(jobs, message="Another."))
    assert len(ardent(emulator)["jobs"]) == 1


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"message": "Something else."}, ["message"]),
        ({"safeMode": True}, ["safeMode"]),
        ({"triggers": {"config": "c2"}}, ["triggers"]),
        ({"message": rpc.UNKNOWN}, ["message"]),
        ({"timeouts": {"create": "5m"}}, []),
        ({}, None),
    ],
)
def test_job_diff_re_runs_for_a_new_message_mode_or_trigger(
    jobs: JobProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {**job_inputs(jobs, safeMode=False, triggers={"config": "c1"}), "jobId": "j1"}
    plan = jobs.diff("j1", olds, {**olds, **change})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
    else:
        assert (plan.changes, plan.replaces) == (True, replaces)


def test_job_update_changes_only_timeouts_and_sends_nothing(jobs: JobProvider, emulator: EmulatorProcess) -> None:
    inputs = job_inputs(jobs)
    outs = dict(jobs.create(inputs).outs or {})
    emulator.admin.reset_counts()
    news = {**inputs, "timeouts": {"create": "5m"}}
    assert jobs.update(outs["jobId"], outs, news).outs == {**outs, "timeouts": {"create": "5m"}}
    assert emulator.admin.request_counts()["total"] == 0


def test_job_check_refuses_bad_inputs(jobs: JobProvider) -> None:
    failures = {f.property for f in jobs.check({}, {"message": "m", "safeMode": "yes", "colour": 1}).failures}
    assert failures == {"safeMode", "colour"}
    assert not jobs.check({}, {"message": "m", "safeMode": True}).failures
