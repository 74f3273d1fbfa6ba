"""examples/ardent (postgres + snowflake + airflow, secrets from config) through the engine harness."""

from __future__ import annotations

from pathlib import Path

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.ardent_stacks import EXAMPLE, ardent_stack, ardent_state
from tests.harness import Secret

SECRETS = {"pgPassword": "pg-EX-pw", "snowflakePassword": "sf-EX-pw", "airflowPassword": "af-EX-pw",
           "githubToken": "ghp_EXtoken"}  # fmt: skip


def test_example(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = ardent_stack(
        tmp_path, emulator, EXAMPLE, **{f"ardent-warehouse:{k}": Secret(v) for k, v in SECRETS.items()}
    )
    first = stack.up()
    assert sorted(first.names("create")) == ["ardent-warehouse-dev", "loader", "orders-replica", "warehouse"]
    configs = ardent_state(emulator)["configs"]
    assert {c["type"] for c in configs.values()} == {"postgreSQL", "snowflake", "airflow"}
    assert first.outputs["postgresConfigId"] in configs
    assert "snowflakePassword" in first.secret_outputs
    assert not stack.up().changed
    stack.set_config("ardent-warehouse:pgPort", "6432")
    moved = stack.up()
    assert moved.names("update") == ["orders-replica"]
    assert configs.keys() == ardent_state(emulator)["configs"].keys()
    raw = stack.state_path.read_text()
    assert all(v not in raw for v in SECRETS.values())
    stack.destroy()
    assert ardent_state(emulator)["configs"] == {}
