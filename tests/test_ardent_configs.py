"""The ten Ardent configuration types through the engine harness and the real provider host."""

from __future__ import annotations

import base64
from pathlib import Path

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.ardent_programs import ALL_TYPES, SECRETS, write_program
from tests.ardent_stacks import CONFIG_TYPE, ardent_stack, ardent_state
from tests.harness import Secret

TYPES = {
    "mongo": "mongodb",
    "pg": "postgreSQL",
    "mysql": "mysql",
    "snow": "snowflake",
    "azure": "azureSQLServer",
    "supa": "supabase",
    "airflow": "airflow",
    "dbx": "databricks",
    "dbxjobs": "databricksJobs",
    "tb": "tigerbeetle",
}
#: the wire field the `variant` config edits in each type, and its value for variant 2
EDITED = {
    "mongo": ("databases", [{"name": "app", "collections": [{"name": "events2"}]}]),
    "pg": ("Port", "5432"),
    "mysql": ("port", "3302"),
    "snow": ("warehouse", "WH2"),
    "azure": ("version", "12"),
    "supa": ("databases", [{"name": "public2", "tables": []}]),
    "airflow": ("dag_path", "dags/2"),
    "dbx": ("http_path", "/sql/1.0/warehouses/w2"),
    "dbxjobs": ("repo_path", "jobs/2"),
    "tb": ("replica_addresses", ["10.0.0.1:3002"]),
}


def steps(result: object) -> dict[str, str]:
    return {s.name: s.op for s in result.steps if s.type.startswith(CONFIG_TYPE)}  # type: ignore[attr-defined]


def test_ten_types_lifecycle_and_secrets(tmp_path: Path, emulator: EmulatorProcess) -> None:
    program = write_program(tmp_path / "prog", "alltypes", ALL_TYPES)
    secrets = {f"alltypes:{k}": Secret(v) for k, v in SECRETS.items()}
    stack = ardent_stack(tmp_path, emulator, program, **secrets)

    first = stack.up()
    assert steps(first) == {**dict.fromkeys(TYPES, "create"), "source": "create"}
    configs = ardent_state(emulator)["configs"]
    ids = {name: stack.resource(name)["id"] for name in [*TYPES, "source"]}  # type: ignore[index]
    assert set(configs) == set(ids.values()), "one config per resource, under the client-chosen id"
    for name, wire_type in TYPES.items():
        assert configs[ids[name]]["type"] == wire_type
    assert configs[ids["pg"]]["config"]["Hostname"] == "pg.internal"
    assert configs[ids["pg"]]["config"]["password"] == SECRETS["pgPassword"]
    assert list(configs[ids["pg"]]["config"]) == ["type", "id", "Hostname", "Port", "username", "password", "databases"]

    again = stack.up()
    assert set(steps(again).values()) == {"same"}
    assert not again.calls("create") and not again.calls("update")

    stack.set_config("alltypes:variant", "2")
    edited = stack.up()
    assert steps(edited) == {**dict.fromkeys(TYPES, "update"), "source": "same"}
    configs = ardent_state(emulator)["configs"]
    for name, (wire_field, value) in EDITED.items():
        assert stack.resource(name)["id"] == ids[name], "an update keeps the config id"  # type: ignore[index]
        assert configs[ids[name]]["config"][wire_field] == value, name
        assert configs[ids[name]]["revision"] == 2

    stack.set_config("alltypes:sourceKind", "mysql")
    retyped = stack.up()
    assert retyped.names("create") == ["source"] and retyped.names("delete") == ["source"]
    configs = ardent_state(emulator)["configs"]
    new_id = stack.resource("source")["id"]  # type: ignore[index]
    assert new_id != ids["source"] and ids["source"] not in configs
    assert configs[new_id]["type"] == "mysql"

    _assert_no_plaintext_secrets(stack)

    gone = stack.destroy()
    assert set(steps(gone).values()) == {"delete"}
    assert ardent_state(emulator)["configs"] == {}


def _assert_no_plaintext_secrets(stack: object) -> None:
    from tests.harness import Stack

    assert isinstance(stack, Stack)
    raw_state = stack.state_path.read_text()
    plaintexts = {str(v) for v in stack.secret_plaintexts()}
    for value in SECRETS.values():
        assert value not in raw_state, "a secret reached the checkpoint in plaintext"
        assert value in plaintexts, "every secret input is recorded as an encrypted secret"
        for blob in stack.provider_blobs():
            assert value.encode() not in base64.b64decode(blob)
        for path in stack.host_stderr_paths:
            assert value not in path.read_text(errors="replace")
    for name in TYPES:
        record = stack.resource(name)
        assert record is not None
        secret_inputs = set(record.get("additionalSecretOutputs", []))
        assert secret_inputs or name == "tb", f"{name} declares no secret outputs"
