"""examples/ardent through the real Pulumi CLI: three data-source configurations, their whole lifecycle.

Ardent has no read endpoint for configurations, so `read` returns the recorded state: refresh
cannot see a change or a deletion made outside Pulumi (README, "What cannot be read back or
detected"). The drift steps below assert exactly that documented behaviour, and that the next
change of inputs sets the declared values again (the upsert).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.ardent.auth import HmacAuth
from pulumi_dataplatforms_provider.ardent.client import compact_json
from tests.real_cli import assert_no_plaintext_secrets, example_stack, resources, secret_values, shown_outputs, writes

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

NAMES = ("orders-replica", "warehouse", "loader")
OUTPUTS = {"orders-replica": "postgresConfigId", "warehouse": "snowflakeConfigId", "loader": "airflowConfigId"}
SECRETS = {  # examples/ardent/emulator.yaml
    "pgPassword": "local-pg-password",
    "snowflakePassword": "local-snowflake-password",
    "airflowPassword": "local-airflow-password",
    "githubToken": "ghp_localgithubtoken0001",
}


def configs(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    """Config id -> the configuration's wire body as the emulator stored it."""
    stored: dict[str, dict[str, Any]] = emulator.admin.state()["ardent"]["configs"]
    return {config_id: doc["config"] for config_id, doc in stored.items()}


def ardent_call(emulator: EmulatorProcess, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
    """One request to Ardent's own API, HMAC-signed with the emulator's development keys."""
    env = emulator.env()
    request = httpx.Request(
        method, env["ARDENT_BASE_URL"] + path, content=compact_json(body), headers={"Content-Type": "application/json"}
    )
    HmacAuth(env["ARDENT_PUBLIC_KEY"], env["ARDENT_SECRET_KEY"], "/ardent", clock=time.time).apply(request)
    with httpx.Client(timeout=10) as client:
        response = client.send(request)
    response.raise_for_status()
    return response


def test_ardent_lifecycle(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = example_stack(tmp_path, "ardent", emulator, monkeypatch)
    emulator.admin.reset_counts()

    # Preview of a new stack: three creates, no write.
    plan = stack.preview()
    assert plan.ops() == dict.fromkeys(NAMES, "create")
    assert plan.changes == {"create": 4}
    previewed = shown_outputs(plan.text)
    assert set(previewed) == {*OUTPUTS.values(), "snowflakePassword"}, plan.text
    assert previewed["snowflakePassword"] == "[secret]"
    assert writes(emulator) == {}, "a preview of a new stack must not write"

    created = stack.up()
    assert created.ops() == dict.fromkeys(NAMES, "create")
    ids = {name: created.outputs[output].value for name, output in OUTPUTS.items()}
    # An id the preview showed must be the one created: a preview's check cannot mint it (no seed
    # reaches a dynamic provider), so it shows it unknown, unless the id is derived stably.
    assert all(previewed[OUTPUTS[name]] in ("[unknown]", f'"{ids[name]}"') for name in NAMES), plan.text
    stored = configs(emulator)
    assert set(stored) == set(ids.values())
    postgres, snowflake, airflow = (stored[ids[name]] for name in NAMES)
    assert postgres["type"] == "postgreSQL" and postgres["Hostname"] == "orders-replica.db.internal"
    assert postgres["Port"] == "5432" and postgres["username"] == "ardent_reader"
    assert postgres["password"] == SECRETS["pgPassword"]
    assert postgres["databases"] == [{"name": "orders"}, {"name": "customers"}]
    assert snowflake["type"] == "snowflake" and snowflake["account"] == "xy12345.eu-west-1"
    assert (snowflake["warehouse"], snowflake["password"]) == ("COMPUTE_WH", SECRETS["snowflakePassword"])
    assert airflow["type"] == "airflow" and airflow["repo"] == "acme/warehouse-dags"
    assert (airflow["github_token"], airflow["password"]) == (SECRETS["githubToken"], SECRETS["airflowPassword"])
    assert created.outputs["snowflakePassword"].secret
    assert created.outputs["snowflakePassword"].value == SECRETS["snowflakePassword"]

    emulator.admin.reset_counts()
    same = stack.preview(expect_no_changes=True)
    assert same.ops() == dict.fromkeys(NAMES, "same")
    assert writes(emulator) == {}

    # An edit: another host is an in-place upsert under the same id; the others are untouched.
    stack.configure({"ardent-warehouse:pgHost": "orders-replica-2.db.internal"})
    moved = stack.up()
    assert moved.ops() == {"orders-replica": "update", "warehouse": "same", "loader": "same"}
    assert "[diff: ~hostname]" in moved.text
    assert {name: moved.outputs[output].value for name, output in OUTPUTS.items()} == ids
    stored = configs(emulator)
    assert set(stored) == set(ids.values())
    assert stored[ids["orders-replica"]]["Hostname"] == "orders-replica-2.db.internal"
    assert stored[ids["warehouse"]] == snowflake and stored[ids["loader"]] == airflow

    # Out-of-band change through Ardent's API. No read endpoint: refresh cannot see it (documented),
    # so neither refresh nor up changes anything, and the platform keeps the foreign value...
    changed = {**stored[ids["orders-replica"]], "Hostname": "rogue.db.internal"}
    ardent_call(emulator, "POST", "/v1/configs/setpostgreSQLConfig", {"Config": changed})
    refreshed = stack.refresh()
    assert refreshed.changes == {"same": 4} and "[diff:" not in refreshed.text
    assert resources(stack)["orders-replica"]["outputs"]["hostname"] == "orders-replica-2.db.internal"
    assert stack.up().ops() == dict.fromkeys(NAMES, "same")
    assert configs(emulator)[ids["orders-replica"]]["Hostname"] == "rogue.db.internal"
    # ...until the next change of its inputs sets every declared field again.
    stack.configure({"ardent-warehouse:pgPort": "6432"})
    restored = stack.up()
    assert restored.ops() == {"orders-replica": "update", "warehouse": "same", "loader": "same"}
    assert "[diff: ~port]" in restored.text
    assert configs(emulator)[ids["orders-replica"]]["Hostname"] == "orders-replica-2.db.internal"
    assert configs(emulator)[ids["orders-replica"]]["Port"] == "6432"

    # Out-of-band delete: refresh cannot see that either (documented); the configuration stays
    # missing until an input changes, and then the upsert recreates it under the same id.
    ardent_call(emulator, "DELETE", "/v1/configs/deleteConfig", {"id": ids["warehouse"]})
    assert ids["warehouse"] not in configs(emulator)
    dropped = stack.refresh()
    assert dropped.changes == {"same": 4} and "warehouse" in resources(stack)
    assert stack.up().ops() == dict.fromkeys(NAMES, "same")
    assert ids["warehouse"] not in configs(emulator)
    stack.configure({"ardent-warehouse:snowflakeWarehouse": "LOAD_WH"})
    recreated = stack.up()
    assert recreated.ops() == {"orders-replica": "same", "warehouse": "update", "loader": "same"}
    stored = configs(emulator)
    assert set(stored) == set(ids.values())
    assert stored[ids["warehouse"]] == {**snowflake, "warehouse": "LOAD_WH"}

    # Secrets: the four from emulator.yaml, the HMAC and bearer keys, and the secret output.
    password = recreated.outputs["snowflakePassword"]
    assert password.secret
    values = secret_values(stack, [password.value])
    keys = {emulator.env()[name] for name in ("ARDENT_SECRET_KEY", "ARDENT_API_KEY")}
    assert set(SECRETS.values()) | keys <= set(values)
    assert_no_plaintext_secrets(stack, values)

    gone = stack.destroy()
    assert gone.ops() == dict.fromkeys(NAMES, "delete")
    assert configs(emulator) == {}
    assert resources(stack) == {}


def test_a_saved_plan_applies(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    """`pulumi preview --save-plan` then `pulumi up --plan`: the ids a preview cannot know must not violate the plan."""
    stack = example_stack(tmp_path, "ardent", emulator, monkeypatch)
    plan_file = tmp_path / "plan.json"
    planned = stack.preview(plan=str(plan_file))
    assert planned.ops() == dict.fromkeys(NAMES, "create") and plan_file.is_file()
    applied = stack.up(plan=str(plan_file))
    assert applied.ops() == dict.fromkeys(NAMES, "create")
    assert set(configs(emulator)) == {applied.outputs[output].value for output in OUTPUTS.values()}
    stack.destroy()
    assert configs(emulator) == {}
