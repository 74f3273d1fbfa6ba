"""Self-tests of the engine harness (tests/harness) against the real dynamic-provider host.

Every test drives `tests/harness/toy_program` (records from the `toy:records` config) through
`Stack`, which runs the program in a fresh process and the provider in `python -m pulumi.dynamic`.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.harness import DeploymentError, HostError, ProviderHost, Result, Secret, Stack  # noqa: E402
from tests.harness.props import SECRET_SIG, SIG_KEY, is_secret  # noqa: E402
from tests.harness.runner import with_repo_on_path  # noqa: E402
from tests.harness.toy import edit_records, read_records  # noqa: E402

PROGRAM = REPO / "tests" / "harness" / "toy_program"
RECORD = "pulumi-python:dynamic/toy:Record"
pytestmark = pytest.mark.timeout(120)


def urn(name: str) -> str:
    return f"urn:pulumi:dev::toy::{RECORD}::{name}"


def make_stack(tmp_path: Path, records: dict[str, Any], **config: str | Secret) -> Stack:
    return Stack(
        tmp_path / "stack",
        PROGRAM,
        config={"toy:dbPath": str(tmp_path / "db.json"), "toy:records": json.dumps(records), **config},
    )


def set_records(stack: Stack, records: dict[str, Any]) -> None:
    stack.set_config("toy:records", json.dumps(records))


def db(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return read_records(tmp_path / "db.json")


def by_name(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return {rec["name"]: {**rec, "id": id_} for id_, rec in db(tmp_path).items()}


def index(result: Result, method: str, name: str) -> int:
    return result.host_calls.index((method, urn(name)))


def live(stack: Stack, name: str) -> dict[str, Any]:
    record = stack.resource(name)
    assert record is not None, f"{name} is not in state"
    return record


TWO = {"alpha": {"size": 1, "zone": "a"}, "beta": {"size": 2, "zone": "b", "dependsOn": ["alpha"]}}


def test_create_then_reapply_makes_no_changes(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, TWO)
    first = stack.up()
    assert first.calls("create") == ["alpha", "beta"]
    assert first.names("create") == ["toy-dev", "alpha", "beta"]
    assert first.host_calls[0] == ("configure", "")
    assert sorted(by_name(tmp_path)) == ["alpha", "beta"]
    assert first.outputs["alpha_id"] == by_name(tmp_path)["alpha"]["id"]
    assert "info: toy program: 2 records" in first.logs
    assert f"info: toy: created alpha as {first.outputs['alpha_id']}" in first.logs
    assert live(stack, "beta")["dependencies"] == [urn("alpha")]

    again = stack.up()
    assert [m for m, _ in again.host_calls] == ["configure", "check", "diff", "check", "diff"]
    assert not again.changed
    assert {step.op for step in again.steps} == {"same"}
    assert again.outputs["alpha_id"] == first.outputs["alpha_id"]


def test_many_concurrent_registrations_all_land_in_state(tmp_path: Path) -> None:
    records = {f"r{i:02d}": {"size": i, "zone": "z"} for i in range(12)}
    stack = make_stack(tmp_path, records)
    result = stack.up()
    assert sorted(result.calls("create")) == sorted(records)
    assert sorted(by_name(tmp_path)) == sorted(records)
    assert sorted(r["urn"] for r in stack.resources() if r["type"] == RECORD) == sorted(map(urn, records))


def test_edit_updates_in_place_unless_the_change_is_ignored(tmp_path: Path) -> None:
    frozen = {"size": 1, "zone": "c", "options": {"ignoreChanges": ["size"]}}
    stack = make_stack(tmp_path, {**TWO, "frozen": frozen})
    created = stack.up()
    set_records(stack, {**TWO, "alpha": {"size": 5, "zone": "a"}, "frozen": {**frozen, "size": 99}})
    result = stack.up()
    assert result.names("update") == ["alpha"]
    assert result.calls("update") == ["alpha"]
    assert result.calls("create") == [] and result.calls("delete") == []
    assert sorted(result.names("same")) == ["beta", "frozen", "toy-dev"]
    alpha = by_name(tmp_path)["alpha"]
    assert (alpha["id"], alpha["size"], alpha["version"]) == (created.outputs["alpha_id"], 5, 2)
    assert result.outputs["alpha_size"] == 5
    assert "warning: toy: updated alpha to version 2" in result.logs
    assert live(stack, "alpha")["inputs"]["size"] == 5
    assert live(stack, "frozen")["inputs"]["size"] == 1  # ignoreChanges kept the old input
    assert by_name(tmp_path)["frozen"]["size"] == 1


def test_replace_creates_before_deleting_at_the_end(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, TWO)
    old_id = stack.up().outputs["alpha_id"]
    set_records(stack, {**TWO, "alpha": {"size": 1, "zone": "moved"}})
    result = stack.up()
    assert result.names("replace") == ["alpha"]
    assert [s.keys for s in result.steps if s.op == "replace"] == [("zone",)]
    assert index(result, "create", "alpha") < index(result, "delete", "alpha")
    assert result.host_calls[-1] == ("delete", urn("alpha"))
    assert index(result, "diff", "beta") < index(result, "delete", "alpha")
    alpha = by_name(tmp_path)["alpha"]
    assert alpha["id"] == result.outputs["alpha_id"] != old_id
    assert alpha["zone"] == "moved"
    assert not any(r.get("delete") for r in stack.resources())


def test_delete_before_replace_by_option_or_by_provider(tmp_path: Path) -> None:
    records = {
        "opt": {"size": 1, "zone": "a", "options": {"deleteBeforeReplace": True}},
        "excl": {"size": 1, "zone": "a", "exclusive": True},
    }
    stack = make_stack(tmp_path, records)
    stack.up()
    set_records(stack, {name: {**spec, "zone": "b"} for name, spec in records.items()})
    result = stack.up()
    assert sorted(result.names("replace")) == ["excl", "opt"]
    for name in records:
        assert index(result, "delete", name) < index(result, "create", name), name
    assert {rec["zone"] for rec in db(tmp_path).values()} == {"b"}
    assert len(db(tmp_path)) == 2


def test_removed_resources_then_destroy_delete_dependents_first(tmp_path: Path) -> None:
    second = {"gamma": {"size": 3, "zone": "c"}, "delta": {"size": 4, "zone": "d", "dependsOn": ["gamma"]}}
    stack = make_stack(tmp_path, {**TWO, **second})
    stack.up()
    set_records(stack, second)
    result = stack.up()
    assert result.calls("delete") == ["beta", "alpha"]
    assert result.names("delete") == ["beta", "alpha"]
    assert result.names("same") == ["toy-dev", "gamma", "delta"]
    assert sorted(by_name(tmp_path)) == ["delta", "gamma"]
    assert stack.resource("alpha") is None and stack.resource("beta") is None

    destroyed = stack.destroy()
    assert destroyed.calls("delete") == ["delta", "gamma"]
    assert sorted(destroyed.names("delete")) == ["delta", "gamma", "toy-dev"]
    assert db(tmp_path) == {}
    assert stack.resources() == []


def test_refresh_drops_vanished_and_reads_changed_then_up_converges(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, TWO)
    ids = stack.up().outputs

    def drift(data: dict[str, dict[str, Any]]) -> None:
        del data[ids["alpha_id"]]
        data[ids["beta_id"]]["size"] = 9

    edit_records(tmp_path / "db.json", drift)
    refreshed = stack.refresh()
    assert refreshed.names("drop") == ["alpha"]
    assert refreshed.names("read") == ["beta"]
    assert sorted(refreshed.calls("read")) == ["alpha", "beta"]
    assert stack.resource("alpha") is None
    beta = live(stack, "beta")
    assert beta["outputs"]["size"] == 9 and beta["inputs"]["size"] == 9
    assert is_secret(beta["outputs"]["token"]) and is_secret(beta["inputs"]["__provider"])

    result = stack.up()
    assert result.calls("create") == ["alpha"]
    assert result.calls("update") == ["beta"]
    assert by_name(tmp_path)["beta"]["size"] == 2


def test_check_failure_aborts_naming_the_property(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, {"alpha": {"size": -1, "zone": "a"}})
    with pytest.raises(DeploymentError, match=r"size: must be a non-negative integer") as caught:
        stack.up()
    assert "alpha" in str(caught.value)
    assert caught.value.result.calls("check") == ["alpha"]
    assert caught.value.result.calls("create") == []
    assert db(tmp_path) == {}
    assert stack.resource("alpha") is None


def test_failed_update_keeps_old_state_and_failed_program_deletes_nothing(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, {"alpha": {"size": 1, "zone": "a"}})
    stack.up()
    set_records(stack, {"alpha": {"size": 13, "zone": "a"}})
    with pytest.raises(DeploymentError, match="unlucky"):
        stack.up()
    alpha = live(stack, "alpha")
    assert (alpha["inputs"]["size"], alpha["outputs"]["version"]) == (1, 1)
    assert stack.decrypted_state()["checkpoint"]["latest"]["pending_operations"] == []

    stack.set_config("toy:records", "{not json")
    with pytest.raises(DeploymentError, match=r"(?s)program failed: JSONDecodeError.*__main__.py"):
        stack.up()
    assert stack.resource("alpha") is not None
    assert sorted(by_name(tmp_path)) == ["alpha"]


def test_secrets_are_encrypted_at_rest_and_secret_in_the_program(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, TWO, **{"toy:password": Secret("hunter2-hunter2")})
    result = stack.up()
    raw = stack.state_path.read_text()
    tokens = [rec["token"] for rec in db(tmp_path).values()]
    blobs = stack.provider_blobs()
    assert len(blobs) == 4  # inputs and outputs of both records
    assert all(b"tests.harness.toy" in base64.b64decode(blob) for blob in blobs)  # pickled by reference
    for plaintext in ["hunter2-hunter2", *tokens, *blobs]:
        assert plaintext not in raw
    assert "hunter2-hunter2" not in stack.files.config_path.read_text()
    assert f'"{SIG_KEY}": "{SECRET_SIG}",\n' in raw and '"ciphertext": "v1:' in raw

    plaintexts = stack.secret_plaintexts()
    assert "hunter2-hunter2" in plaintexts and set(tokens) <= set(plaintexts)
    alpha = live(stack, "alpha")
    assert alpha["outputs"]["password"] == {SIG_KEY: SECRET_SIG, "value": "hunter2-hunter2"}
    assert not is_secret(alpha["outputs"]["size"])

    assert result.outputs["alpha_token_is_secret"] is True
    assert {"alpha_token", "beta_token", "password"} <= result.secret_outputs
    assert "alpha_size" not in result.secret_outputs
    assert result.outputs["password"] == "hunter2-hunter2"


def test_preview_plans_without_changing_anything(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, TWO)
    stack.up()
    before = (stack.state_path.read_bytes(), db(tmp_path))
    set_records(stack, {"alpha": {"size": 7, "zone": "a"}, "gamma": {"size": 3, "zone": "c"}})
    plan = stack.preview()
    assert (plan.names("update"), plan.names("create"), plan.names("delete")) == (["alpha"], ["gamma"], ["beta"])
    assert {m for m, _ in plan.host_calls} == {"configure", "check", "diff"}
    assert plan.changed
    assert (stack.state_path.read_bytes(), db(tmp_path)) == before


def test_protect_refuses_delete_and_retain_on_delete_keeps_the_resource(tmp_path: Path) -> None:
    records = {
        "keep": {"size": 1, "zone": "a", "options": {"protect": True}},
        "left": {"size": 1, "zone": "a", "options": {"retainOnDelete": True}},
    }
    stack = make_stack(tmp_path, records)
    stack.up()
    set_records(stack, {"keep": records["keep"]})
    result = stack.up()
    assert result.names("delete") == ["left"] and result.calls("delete") == []
    assert sorted(by_name(tmp_path)) == ["keep", "left"]
    assert stack.resource("left") is None

    set_records(stack, {})
    with pytest.raises(DeploymentError, match="cannot be deleted because it is protected"):
        stack.up()
    assert stack.resource("keep") is not None
    assert sorted(by_name(tmp_path)) == ["keep", "left"]


def test_host_crash_fails_cleanly_and_interrupted_engine_leaves_a_pending_create(tmp_path: Path) -> None:
    stack = make_stack(tmp_path, {"boom": {"size": 1, "zone": "a", "crash": "host"}})
    with pytest.raises(DeploymentError, match="boom: Create failed") as caught:
        stack.up()
    assert caught.value.result.calls("create") == ["boom"]
    assert stack.state["checkpoint"]["latest"]["pending_operations"] == []
    assert stack.resource("boom") is None

    set_records(stack, {"boom": {"size": 1, "zone": "a", "crash": "engine"}})
    with pytest.raises(DeploymentError, match="runner crashed"):
        stack.up()
    pending = stack.state["checkpoint"]["latest"]["pending_operations"]
    assert [(op["type"], op["resource"]["urn"]) for op in pending] == [("creating", urn("boom"))]

    set_records(stack, {"alpha": {"size": 1, "zone": "a"}})
    result = stack.up()
    assert result.logs[0].startswith(f"warning: dropping pending operation 'creating' on {urn('boom')}")
    assert stack.state["checkpoint"]["latest"]["pending_operations"] == []
    assert result.calls("create") == ["alpha"]


def test_provider_host_speaks_the_engine_protocol(tmp_path: Path) -> None:
    from pulumi.dynamic.dynamic import serialize_provider

    from tests.harness.toy import ToyProvider

    env = with_repo_on_path({**os.environ, "PULUMI_PROJECT": "toy"})
    host = ProviderHost(env, REPO, tmp_path / "host.stderr")
    try:
        assert host.configure({"toy:dbPath": str(tmp_path / "db.json")}) is False
        blob = {SIG_KEY: SECRET_SIG, "value": serialize_provider(ToyProvider())}
        news = {"__provider": blob, "name": "solo", "size": 2, "zone": "a"}
        checked = host.check(urn("solo"), {}, news)
        assert checked.failures == [] and checked.inputs["size"] == 2
        id_, outs = host.create(urn("solo"), news)
        assert outs["token"] and db(tmp_path)[id_]["name"] == "solo"
        assert [m for m, _ in host.calls] == ["configure", "check", "create"]
        host.kill()
        assert host.process.returncode is not None
        with pytest.raises(HostError):
            host.check(urn("solo"), {}, news)
    finally:
        host.close()
    assert "info: toy: created solo" in (tmp_path / "host.stderr").read_text()
