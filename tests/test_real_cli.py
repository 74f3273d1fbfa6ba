"""The toy program through the real Pulumi CLI (Automation API, local file:// backend, passphrase).

Skipped when `pulumi` is not on PATH. When it is, the last test also checks that the harness
(tests/harness) leaves a checkpoint of the same shape as the real engine.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.harness import Secret, Stack  # noqa: E402
from tests.harness.props import SECRET_SIG, SIG_KEY  # noqa: E402
from tests.harness.runner import with_repo_on_path  # noqa: E402
from tests.harness.toy import read_records  # noqa: E402

pytestmark = [
    pytest.mark.cli,
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        shutil.which("pulumi") is None,
        reason="pulumi CLI not on PATH; the engine contract is covered by tests/harness",
    ),
]

PROGRAM = REPO / "tests" / "harness" / "toy_program"
PASSPHRASE = "real-cli-passphrase"
RECORDS = {"alpha": {"size": 1, "zone": "a"}, "beta": {"size": 2, "zone": "b", "dependsOn": ["alpha"]}}


def cli_stack(tmp_path: Path) -> Any:
    """A `dev` stack of a copy of the toy program, state in a file:// backend under tmp_path."""
    from pulumi import automation as auto

    work = tmp_path / "program"
    shutil.copytree(PROGRAM, work, ignore=shutil.ignore_patterns("__pycache__"))
    virtualenv = Path(sys.prefix)
    (work / "Pulumi.yaml").write_text(
        f"name: toy\nruntime:\n  name: python\n  options:\n    virtualenv: {virtualenv}\n"
    )
    backend = tmp_path / "backend"
    backend.mkdir()
    env = with_repo_on_path({**os.environ})
    env_vars = {
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PYTHONPATH": env["PYTHONPATH"],
    }
    stack = auto.create_or_select_stack(
        stack_name="dev",
        work_dir=str(work),
        opts=auto.LocalWorkspaceOptions(env_vars=env_vars, secrets_provider="passphrase"),
    )
    stack.set_config("toy:dbPath", auto.ConfigValue(str(tmp_path / "db.json")))
    stack.set_config("toy:records", auto.ConfigValue(json.dumps(RECORDS)))
    stack.set_config("toy:password", auto.ConfigValue("hunter2-hunter2", secret=True))
    return stack


def test_cli_up_reapply_destroy(tmp_path: Path) -> None:
    stack = cli_stack(tmp_path)
    first = stack.up()
    assert first.summary.resource_changes.get("create") == 3
    assert first.outputs["alpha_token"].secret and first.outputs["password"].secret
    assert first.outputs["alpha_token_is_secret"].value is True
    assert sorted(r["name"] for r in read_records(tmp_path / "db.json").values()) == ["alpha", "beta"]
    for state_file in (tmp_path / "backend").rglob("*.json"):
        assert "hunter2-hunter2" not in state_file.read_text()

    again = stack.up()
    assert again.summary.resource_changes == {"same": 3}

    gone = stack.destroy()
    assert gone.summary.resource_changes.get("delete") == 3
    assert read_records(tmp_path / "db.json") == {}


def _shape(resources: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, list[str]]]:
    """Per non-provider resource (type, name): output keys, which are stored as secrets, dependencies."""
    shape = {}
    for res in resources:
        if res["type"].startswith("pulumi:providers:"):
            continue
        outputs = res.get("outputs", {})
        secret = sorted(k for k, v in outputs.items() if isinstance(v, dict) and v.get(SIG_KEY) == SECRET_SIG)
        key = (res["type"], res["urn"].rsplit("::", 1)[-1])
        shape[key] = {"outputs": sorted(outputs), "secret": secret, "deps": sorted(res.get("dependencies", []))}
    return shape


def test_harness_checkpoint_matches_the_real_engine(tmp_path: Path) -> None:
    stack = cli_stack(tmp_path / "cli")
    stack.up()
    real = stack.export_stack().deployment["resources"]

    harness = Stack(
        tmp_path / "harness",
        PROGRAM,
        config={
            "toy:dbPath": str(tmp_path / "harness-db.json"),
            "toy:records": json.dumps(RECORDS),
            "toy:password": Secret("hunter2-hunter2"),
        },
    )
    harness.up()
    ours = harness.state["checkpoint"]["latest"]["resources"]
    assert _shape(ours) == _shape(real)


def test_cli_gitops_example(tmp_path: Path, emulator: Any) -> None:
    """examples/gitops through the real CLI: relative file paths resolve in the real provider host too."""
    from pulumi import automation as auto

    work = tmp_path / "gitops"
    shutil.copytree(REPO / "examples" / "gitops", work)
    (work / "Pulumi.yaml").write_text(
        f"name: dataplatforms-gitops\nruntime:\n  name: python\n  options:\n    virtualenv: {Path(sys.prefix)}\n"
    )
    backend = tmp_path / "backend"
    backend.mkdir()
    env_vars = {
        **emulator.env(),
        "WEBHOOK_TOKEN": "cli-webhook-token",
        "PULUMI_BACKEND_URL": f"file://{backend}",
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PYTHONPATH": with_repo_on_path({**os.environ})["PYTHONPATH"],
    }
    stack = auto.create_or_select_stack(
        stack_name="dev",
        work_dir=str(work),
        opts=auto.LocalWorkspaceOptions(env_vars=env_vars, secrets_provider="passphrase"),
    )
    stack.set_config("postgresPassword", auto.ConfigValue("cli-pg-password", secret=True))
    assert stack.up().summary.resource_changes.get("create") == 11
    assert stack.up().summary.resource_changes == {"same": 11}
    for state_file in backend.rglob("*.json"):
        assert "cli-pg-password" not in state_file.read_text()
        assert "cli-webhook-token" not in state_file.read_text()
    assert stack.destroy().summary.resource_changes.get("delete") == 11
