"""examples/quickstart through the real Pulumi CLI: the whole lifecycle of one Eloq cluster."""

from __future__ import annotations

from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.eloq_stacks import clusters
from tests.real_cli import assert_no_plaintext_secrets, example_stack, resources, secret_values, writes

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

ORG, PROJECT = 1, 147


def test_quickstart_lifecycle(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = example_stack(tmp_path, "quickstart", emulator, monkeypatch)
    emulator.admin.reset_counts()

    plan = stack.preview()
    assert plan.ops() == {"cache": "create"}
    assert "endpoint   : [unknown]" in plan.text and "password   : [unknown]" in plan.text
    assert writes(emulator) == {}, "a preview of a new stack must not write"

    created = stack.up()
    assert created.ops() == {"cache": "create"}
    name = created.outputs["clusterName"].value
    assert clusters(emulator)[name]["region"] == "us-west-1"
    assert created.outputs["password"].secret

    same = stack.preview(expect_no_changes=True)
    assert same.ops() == {"cache": "same"}

    # An edit: another region replaces the cluster; auto-named, it is created under a new name first.
    stack.configure({"quickstart:region": "us-east-1"})
    replaced = stack.up()
    assert replaced.ops() == {"cache": "replace"}
    new_name = replaced.outputs["clusterName"].value
    assert new_name != name and set(clusters(emulator)) == {new_name}
    assert clusters(emulator)[new_name]["region"] == "us-east-1"

    # Out-of-band change: refresh shows the drift, up restores the declared zone (a replacement).
    emulator.admin.eloq_patch(ORG, PROJECT, new_name, zone="us-east-1b")
    drift = stack.refresh()
    assert drift.changes.get("update") == 1
    assert "cache updated" in drift.text and "[diff: ~zone]" in drift.text
    assert resources(stack)["cache"]["inputs"]["zone"] == "us-east-1b"
    restored = stack.up()
    assert restored.ops() == {"cache": "replace"}
    (restored_name,) = clusters(emulator)
    assert clusters(emulator)[restored_name]["zone"] == "us-west-1a"

    # Out-of-band delete: refresh drops it, up recreates it.
    emulator.admin.eloq_remove(ORG, PROJECT, restored_name)
    dropped = stack.refresh()
    assert dropped.changes.get("delete") == 1
    assert "cache deleted" in dropped.text
    assert "cache" not in resources(stack)
    recreated = stack.up()
    assert recreated.ops() == {"cache": "create"}
    assert len(clusters(emulator)) == 1

    password = recreated.outputs["password"]
    assert password.secret and len(password.value) >= 12
    assert_no_plaintext_secrets(stack, secret_values(stack, [password.value]))

    gone = stack.destroy()
    assert gone.ops() == {"cache": "delete"}
    assert clusters(emulator) == {}


def test_expect_no_changes_fails_on_a_pending_change(
    tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    stack = example_stack(tmp_path, "quickstart", emulator, monkeypatch)
    stack.up()
    stack.configure({"quickstart:region": "eu-west-1"})
    with pytest.raises(auto.CommandError, match="no changes were expected"):
        stack.preview(expect_no_changes=True)
    stack.destroy()
    assert clusters(emulator) == {}
