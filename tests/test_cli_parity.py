"""Parity: the engine harness (tests/harness) and the real Pulumi CLI, given the same scenario.

One scenario on the toy program (tests/harness/toy_program) — create, no-op, update, replace
(create-before-delete and delete-before-replace), protect, retainOnDelete, refresh with drift,
removal, destroy — runs through both. After every operation both must report the same step
per resource and leave the same records and the same checkpoint shape (output keys, which
outputs are secret, dependencies). Differences the harness does not reproduce are listed in
tests/harness/README.md.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scripts.cli_stack import REPLACEMENT_STEPS, CliStack
from tests.harness import Secret, Stack
from tests.harness.engine import Step
from tests.harness.props import SECRET_SIG, SIG_KEY
from tests.harness.toy import edit_records, read_records
from tests.real_cli import REPO, require_cli

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

PROGRAM = REPO / "tests" / "harness" / "toy_program"
PASSWORD = "parity-password-0001"

Records = dict[str, dict[str, Any]]


def harness_ops(steps: list[Step]) -> dict[str, str]:
    """Name -> op of a harness result, a replacement's steps counted as one "replace" (as the CLI's)."""
    ops: dict[str, str] = {}
    for step in steps:
        if step.type.startswith("pulumi:providers:") or step.type == "pulumi:pulumi:Stack":
            continue
        ops[step.name] = "replace" if step.op in REPLACEMENT_STEPS or ops.get(step.name) == "replace" else step.op
    return ops


def shape(resources: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per program resource: output keys, which are secret, dependencies, protect."""
    out = {}
    for res in resources:
        if res["type"].startswith("pulumi:providers:") or res.get("delete"):
            continue
        outputs = res.get("outputs", {})
        secret = sorted(k for k, v in outputs.items() if isinstance(v, dict) and v.get(SIG_KEY) == SECRET_SIG)
        deps = sorted(d.rsplit("::", 1)[-1] for d in res.get("dependencies", []))
        out[res["urn"].rsplit("::", 1)[-1]] = {
            "outputs": sorted(outputs),
            "secret": secret,
            "deps": deps,
            "protect": bool(res.get("protect")),
        }
    return out


def live(db: Path) -> dict[str, tuple[Any, ...]]:
    """The records by name: (size, zone, version)."""
    return {r["name"]: (r["size"], r["zone"], r["version"]) for r in read_records(db).values()}


class Pair:
    """The same toy stack on the harness and on the real CLI, each with its own records file."""

    def __init__(self, tmp_path: Path) -> None:
        self.harness_db = tmp_path / "harness-db.json"
        self.cli_db = tmp_path / "cli-db.json"
        self.harness = Stack(
            tmp_path / "harness",
            PROGRAM,
            config={"toy:dbPath": str(self.harness_db), "toy:records": "{}", "toy:password": Secret(PASSWORD)},
        )
        work = tmp_path / "toy"
        shutil.copytree(PROGRAM, work, ignore=shutil.ignore_patterns("__pycache__"))
        self.cli = CliStack(work, tmp_path / "cli", env={"PYTHONPATH": str(REPO)})
        self.cli.configure({"toy:dbPath": str(self.cli_db), "toy:records": "{}"}, {"toy:password": PASSWORD})

    def records(self, records: Records) -> None:
        self.harness.set_config("toy:records", json.dumps(records))
        self.cli.configure({"toy:records": json.dumps(records)})

    def run(self, operation: str) -> tuple[dict[str, str], dict[str, str]]:
        """Runs `operation` on both; returns (harness ops, CLI ops)."""
        ours = getattr(self.harness, operation)()
        real = getattr(self.cli, operation)()
        return harness_ops(ours.steps), real.ops()

    def drift(self, change: Callable[[Records, dict[str, str]], None]) -> None:
        """Changes both records files behind the engines' backs (`change(records, ids by name)`)."""
        for db in (self.harness_db, self.cli_db):
            ids = {r["name"]: rid for rid, r in read_records(db).items()}
            edit_records(db, lambda data, ids=ids: change(data, ids))

    def assert_same_state(self) -> None:
        assert live(self.harness_db) == live(self.cli_db)
        ours = self.harness.state["checkpoint"]["latest"].get("resources") or []
        real = self.cli.export().get("resources") or []
        assert shape(ours) == shape(real)


SCENARIO: list[tuple[str, Records | None, dict[str, str]]] = [
    # (operation, records for the program or None to keep them, expected ops)
    (
        "up",
        {"alpha": {"size": 1, "zone": "a"}, "beta": {"size": 2, "zone": "b", "dependsOn": ["alpha"]}},
        {"alpha": "create", "beta": "create"},
    ),
    ("up", None, {"alpha": "same", "beta": "same"}),
    (
        "up",
        {"alpha": {"size": 5, "zone": "a"}, "beta": {"size": 2, "zone": "c", "dependsOn": ["alpha"]}},
        {"alpha": "update", "beta": "replace"},
    ),
    (
        "up",
        {
            "alpha": {"size": 5, "zone": "a", "options": {"ignoreChanges": ["size"]}},
            "beta": {"size": 2, "zone": "d", "exclusive": True, "dependsOn": ["alpha"]},
            "gamma": {"size": 3, "zone": "g", "options": {"retainOnDelete": True}},
        },
        {"alpha": "same", "beta": "replace", "gamma": "create"},
    ),
    (
        "up",
        {
            "alpha": {"size": 7, "zone": "a", "options": {"ignoreChanges": ["size"], "protect": True}},
            "beta": {"size": 2, "zone": "d", "exclusive": True, "dependsOn": ["alpha"]},
        },
        {"alpha": "same", "beta": "same", "gamma": "delete"},
    ),
]


def test_harness_and_real_cli_take_the_same_steps_and_leave_the_same_state(tmp_path: Path) -> None:
    require_cli()
    pair = Pair(tmp_path)
    for operation, records, expected in SCENARIO:
        if records is not None:
            pair.records(records)
        ours, real = pair.run(operation)
        assert real == expected, f"{operation} {records}: real CLI"
        assert ours == real, f"{operation} {records}: harness {ours} vs real CLI {real}"
        pair.assert_same_state()
    # gamma was retained: still in both records files, gone from both states.
    assert "gamma" in live(pair.cli_db)

    def drift(data: Records, ids: dict[str, str]) -> None:
        del data[ids["beta"]]
        data[ids["alpha"]]["size"] = 9

    pair.drift(drift)
    ours, real = pair.run("refresh")
    assert real == {"alpha": "read", "beta": "drop"}
    assert ours == real
    pair.assert_same_state()

    ours, real = pair.run("up")
    assert real == {"alpha": "same", "beta": "create"}, "alpha ignores size changes"
    assert ours == real
    pair.assert_same_state()

    # Unprotect, then destroy: everything but the retained record goes.
    pair.records({"alpha": {"size": 9, "zone": "a"}, "beta": {"size": 2, "zone": "d", "exclusive": True}})
    ours, real = pair.run("up")
    assert ours == real == {"alpha": "same", "beta": "same"}
    ours, real = pair.run("destroy")
    assert ours == real == {"alpha": "delete", "beta": "delete"}
    assert live(pair.harness_db) == live(pair.cli_db) == {"gamma": (3, "g", 1)}
