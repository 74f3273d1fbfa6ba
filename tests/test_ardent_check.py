"""Bad Ardent inputs become CheckFailures naming the property and the fix, with zero API calls."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.ardent.configuration import ConfigurationProvider
from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider
from pulumi_dataplatforms_provider.ardent.job import JobProvider
from pulumi_dataplatforms_provider.checking import is_unknown
from pulumi_dataplatforms_provider.hidden_inputs import PREVIEW_KEY
from tests.ardent_programs import write_program
from tests.ardent_stacks import ardent_calls, ardent_stack
from tests.harness import DeploymentError

DB = [{"name": "analytics"}]
#: (type, inputs, {property: words the reason must contain})
BAD: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("mongodb", {"connectionString": "postgres://x", "databases": [{"name": "a"}]},
     {"connectionString": "mongodb://", "databases[0].collections": "required"}),
    ("postgreSQL", {"hostname": "https://db", "port": 5432, "username": "u", "password": "p", "databases": []},
     {"hostname": "without a scheme", "port": "valid string", "databases": "at least one database"}),
    ("mysql", {"host": "db", "port": "99999", "username": "u", "password": "p", "databases": [{}]},
     {"port": "65535", "databases[0].name": "required"}),
    ("snowflake", {"account": "https://x", "user": "u", "password": "", "warehouse": "w", "databases": DB},
     {"account": "account identifier", "password": "Give the password"}),
    ("azureSQLServer", {"server": "bad host!", "username": "u", "password": "p", "version": "v18",
                        "databases": DB}, {"server": "host name", "version": "'18'"}),
    ("supabase", {"projectUrl": "abc.supabase.co", "apiKey": "k"}, {"projectUrl": "https"}),
    ("airflow", {"githubToken": "t", "repo": "not a repo", "dagPath": "d", "host": "h", "username": "u"},
     {"repo": "acme/", "password": "required"}),
    ("databricks", {"serverHostname": "adb.net", "httpPath": "sql", "accessToken": "t",
                    "catalogs": [{"name": "main", "databases": []}]},
     {"httpPath": "'/'", "catalogs[0].databases": "at least one"}),
    ("databricksJobs", {"workspaceUrl": "ftp://x", "accessToken": "t", "githubToken": "t", "repo": "a/b",
                        "repoPath": "p", "extra": 1}, {"workspaceUrl": "https", "extra": "remove it"}),
    ("tigerbeetle", {"clusterId": "zero", "replicaAddresses": []},
     {"clusterId": "'0'", "replicaAddresses": "at least one"}),
]  # fmt: skip


@pytest.mark.parametrize(("wire_type", "inputs", "expected"), BAD, ids=[b[0] for b in BAD])
def test_bad_config_inputs(
    emulator: EmulatorProcess,
    monkeypatch: pytest.MonkeyPatch,
    wire_type: str,
    inputs: dict[str, Any],
    expected: dict[str, str],
) -> None:
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    result = ConfigurationProvider().check({}, {"type": wire_type, **inputs, "__logicalName": "x"})
    reasons = {f.property: f.reason for f in result.failures}
    for prop, words in expected.items():
        assert prop in reasons, f"{prop} not reported; got {reasons}"
        assert words in reasons[prop], f"{prop}: {reasons[prop]!r} lacks {words!r}"
    assert ardent_calls(emulator) == 0


def test_secret_of_the_wrong_type_is_not_echoed() -> None:
    result = ConfigurationProvider().check({}, {"type": "postgreSQL", "password": 987654321})
    reason = next(f.reason for f in result.failures if f.property == "password")
    assert "987654321" not in reason and "<secret>" in reason
    conn = ConnectorProvider().check({}, {"serviceName": "pg", "connectionDetails": "pw=hunter2"})
    assert all("hunter2" not in f.reason for f in conn.failures)


def test_bad_connector_and_job_inputs() -> None:
    conn = ConnectorProvider().check({}, {"serviceName": "Postgres SQL", "connectionDetails": {}})
    settings = {"ardent"}  # unconfigured here: the missing credentials are reported too
    assert {f.property for f in conn.failures} - settings == {"serviceName", "connectionDetails"}
    job = JobProvider().check({}, {"message": "", "safeMode": "yes", "timeouts": {"create": "soon"}})
    assert {f.property for f in job.failures} - settings == {"message", "safeMode", "timeouts.create"}


def test_id_is_kept_while_the_type_stays_and_a_type_change_replaces() -> None:
    provider = ConfigurationProvider()
    news = {"type": "tigerbeetle", "clusterId": "0", "replicaAddresses": ["3000"]}
    first = provider.check({}, news).inputs
    kept = provider.check(first, news).inputs
    assert kept["configId"] == first["configId"]
    mysql = {"type": "mysql", "host": "h", "port": "1", "username": "u", "password": "p", "databases": DB}
    retyped = provider.check(first, mysql).inputs
    assert retyped["configId"] != first["configId"]
    diff = provider.diff(first["configId"], first, retyped)
    assert set(diff.replaces or []) == {"type", "configId"}
    edited = provider.check(first, {**news, "clusterId": "1"}).inputs
    in_place = provider.diff(first["configId"], first, edited)
    assert in_place.changes and not in_place.replaces


def test_a_preview_leaves_a_new_id_unknown() -> None:
    """A preview's check cannot mint the id the update's check will (the host passes no seed): it stays unknown."""
    provider = ConfigurationProvider()
    news = {"type": "tigerbeetle", "clusterId": "0", "replicaAddresses": ["3000"]}
    previewed = provider.check({}, {**news, PREVIEW_KEY: True}).inputs
    assert is_unknown(previewed["configId"]) and PREVIEW_KEY not in previewed
    first = provider.check({}, news).inputs
    assert not is_unknown(first["configId"])
    assert provider.check(first, {**news, PREVIEW_KEY: True}).inputs["configId"] == first["configId"]


def test_check_failures_through_the_engine_make_no_api_call(tmp_path: Path, emulator: EmulatorProcess) -> None:
    program = write_program(
        tmp_path / "prog",
        "badpg",
        """
        from pulumi_dataplatforms import ardent
        ardent.PostgresConfig("pg", hostname="db", port="54x", username="u", password="p", databases=[])
        """,
    )
    with pytest.raises(DeploymentError) as failed:
        ardent_stack(tmp_path, emulator, program).up()
    assert "port: must be a port number" in str(failed.value)
    assert "databases:" in str(failed.value) and "at least one database" in str(failed.value)
    assert ardent_calls(emulator) == 0
