"""Each resource's documented timeouts are the ones its handler applies, with the documented defaults.

The Timeouts table of each resource page in `docs/` (generated) is read as a user reads it: the
operations listed and their defaults. Against the emulator, every listed operation is run with no
`timeouts` input and then with a distinctive one; the deadlines the handler actually starts are
recorded (`Deadline` is the one place an operation's time limit begins). An operation the page does
not list is refused by check, naming the property and the operations the resource does bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import timeouts
from pulumi_dataplatforms_provider.timeouts import parse_duration
from tests.test_resource_properties import (
    SPECS,
    Platform,
    base_inputs,
    case_of,
    changed,
    checked,
    create,
    outputs_of,
    platform_for,
)

DOCS = Path(__file__).resolve().parent.parent / "docs"
OPERATIONS = ("create", "update", "delete")
DISTINCT = 4321.0  # seconds: a value no handler uses on its own
TIMED = sorted(
    token for token, spec in SPECS.items() if "timeouts" in spec.inputs.model_json_schema(by_alias=True)["properties"]
)


def documented_timeouts(token: str) -> dict[str, str]:
    """Operation -> default, from the Timeouts table of the resource's page."""
    spec = SPECS[token]
    page = (DOCS / spec.platform / f"{spec.name}.md").read_text()
    link = re.search(r"^\| `timeouts` \| \[(\w+)\]\(#(\w+)\)", page, re.MULTILINE)
    assert link, f"{spec.name}.md: the `timeouts` input does not link its type"
    section = page.split(f"\n### {link[1]}\n", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| [^|]+ \| no \| `\"([^\"]+)\"` \|", section, re.MULTILINE)
    assert rows, f"{spec.name}.md: the {link[1]} table lists no operation with a default"
    return dict(rows)


@pytest.fixture
def deadlines(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """The seconds of every deadline started while the test runs."""
    started: list[float] = []
    original = timeouts.Deadline.__post_init__

    def record(self: timeouts.Deadline) -> None:
        started.append(self.seconds)
        original(self)

    monkeypatch.setattr(timeouts.Deadline, "__post_init__", record)
    yield started


def run(platform: Platform, token: str, operation: str, given: dict[str, Any] | None, workdir: Path) -> None:
    """Run `operation` on a fresh resource whose `timeouts` input is `given` (None: no input)."""
    spec, case = SPECS[token], case_of(token)
    base = base_inputs(spec, case, workdir)
    base.pop("timeouts", None)
    if "name" in case.alternates(workdir):
        base["name"] = f"timeouts-{operation}-{'default' if given is None else 'given'}"
    if given is not None:
        base["timeouts"] = given
    handler = platform.handler
    inputs, created = create(handler, base)
    outs = outputs_of(created)
    try:
        if operation == "update":
            raw, _ = changed(base, case.publish_property, case.alternates(workdir)[case.publish_property])
            news = checked(handler, inputs, raw)
            diff = handler.diff(created.id, outs, news)
            assert diff.changes and not diff.replaces, f"{token}: changing {case.publish_property} must update"
            outs = outputs_of(handler.update(created.id, outs, news))
    finally:
        handler.delete(created.id, outs)


@pytest.mark.parametrize("token", TIMED)
def test_every_documented_operation_starts_its_deadline_with_the_documented_default_or_the_given_value(
    token: str, emulator: EmulatorProcess, tmp_path: Path, deadlines: list[float]
) -> None:
    platform = platform_for(token, emulator, tmp_path)
    for operation, default in documented_timeouts(token).items():
        deadlines.clear()
        run(platform, token, operation, None, tmp_path)
        assert parse_duration(default) in deadlines, (
            f"{token} {operation}: documented default {default}, deadlines started: {deadlines}"
        )
        deadlines.clear()
        run(platform, token, operation, {operation: f"{DISTINCT:g}s"}, tmp_path)
        assert DISTINCT in deadlines, f"{token} {operation}: timeouts.{operation} not applied; started: {deadlines}"


@pytest.mark.parametrize("token", TIMED)
def test_an_operation_the_page_does_not_list_is_refused_by_check_naming_the_ones_it_does(
    token: str, tmp_path: Path
) -> None:
    spec, case = SPECS[token], case_of(token)
    documented = documented_timeouts(token)
    handler = spec.provider()
    for operation in sorted(set(OPERATIONS) - set(documented)):
        inputs = {**base_inputs(spec, case, tmp_path), "timeouts": {operation: "5m"}}
        failures = {f.property: f.reason for f in handler.check({}, inputs).failures}
        reason = failures.get(f"timeouts.{operation}", "")
        assert "not a known property" in reason, f"{token}: timeouts.{operation} accepted ({failures})"
        assert all(known in reason for known in documented), reason


@pytest.mark.parametrize("token", TIMED)
def test_a_timeout_that_is_not_a_duration_is_refused_by_check(token: str, tmp_path: Path) -> None:
    spec, case = SPECS[token], case_of(token)
    inputs = {**base_inputs(spec, case, tmp_path), "timeouts": {"create": "soon"}}
    failures = {f.property: f.reason for f in spec.provider().check({}, inputs).failures}
    assert "not a duration" in failures.get("timeouts.create", ""), failures
