"""The broken-manifest corpus: each case gives exactly its expected located problems and registers nothing.

Every case under `tests/manifests/broken/` (a file, or a directory of files) states its problems
in `# expect:` lines: `line:column: <kind> <name>: <field path>: <message>`, prefixed by the file
name for directory cases. All cases run through `manifests.apply` in one worker process under a
mock engine that records registrations (tests/manifest_program.py); a case that crashes the worker
fails alone, named, and a fresh worker runs the cases after it. A valid control proves the
recorder sees registrations when there are any.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.harness.runner import REPO_ROOT
from tests.manifest_program import run_in_subprocess

pytest_plugins = ["pytester"]

CORPUS = REPO_ROOT / "tests" / "manifests" / "broken"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix == ".yaml" or p.is_dir())
CONTROL = REPO_ROOT / "examples" / "gitops" / "manifests"
CONFIG = {"manifests-corpus:postgresPassword": "pw"}
ENV: dict[str, str | None] = {"DATAPLATFORMS_CORPUS_UNSET": None, "WEBHOOK_TOKEN": "control-token"}


def expectations(case: Path) -> set[str]:
    """The `# expect:` lines of a case, as `[file:]line:column: ...` strings."""
    files = sorted(case.rglob("*.yaml")) if case.is_dir() else [case]
    lines = (line for file in files for line in file.read_text().splitlines())
    return {line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")}


def shown(problem: str, location: list[Any], case: Path) -> str:
    """A reported problem with its location said as the corpus says it."""
    file, line, column = location
    prefix = f"{os.path.relpath(file, case)}:" if case.is_dir() else ""
    return f"{prefix}{line}:{column}" + problem.split(f":{line}:{column}", 1)[1]


@pytest.fixture(scope="module")
def outcomes() -> dict[str, dict[str, Any]]:
    """Every case (and the control) applied once, in one mock-engine process."""
    found = run_in_subprocess([*CASES, CONTROL], config=CONFIG, env=ENV)
    return {Path(path).name: outcome for path, outcome in found.items()}


def test_the_corpus_has_at_least_forty_cases_each_with_expectations() -> None:
    """The issue asks for forty; every case must say what it expects."""
    assert len(CASES) >= 40
    assert all(expectations(case) for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_case_reports_exactly_its_located_problems_and_registers_nothing(
    case: Path, outcomes: dict[str, dict[str, Any]]
) -> None:
    """Exact match: no expected problem missing, no unexpected one reported, nothing registered."""
    assert_reports_exactly_its_problems(case, outcomes[case.name])


def assert_reports_exactly_its_problems(case: Path, outcome: dict[str, Any]) -> None:
    """The case ran to its end, reported exactly its expected located problems and registered nothing."""
    assert "crash" not in outcome, outcome["crash"]
    reported = {shown(p, loc, case) for p, loc in zip(outcome["problems"], outcome["locations"], strict=True)}
    assert reported == expectations(case)
    assert outcome["registered"] == []


def test_control_registers_every_resource_of_a_valid_directory(outcomes: dict[str, dict[str, Any]]) -> None:
    """The same recorder sees all ten gitops resources when the manifests are valid."""
    outcome = outcomes[CONTROL.name]
    assert outcome["problems"] == []
    assert len(outcome["registered"]) == 10
    assert ("pulumi-python:dynamic/spark:Service", "quote") in {tuple(r) for r in outcome["registered"]}


CRASHING_CORPUS = """
from pathlib import Path

import pytest

from tests.manifest_program import run_in_subprocess
from tests.test_manifests_broken import CONFIG, CORPUS, ENV, assert_reports_exactly_its_problems

CASES = [CORPUS / "01-unknown-kind-typo.yaml", Path("crash.py").resolve(), CORPUS / "02-unknown-kind-short.yaml"]


@pytest.fixture(scope="module")
def outcomes():
    return {Path(path).name: outcome for path, outcome in run_in_subprocess(CASES, config=CONFIG, env=ENV).items()}


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_case(case, outcomes):
    assert_reports_exactly_its_problems(case, outcomes[case.name])
"""


def test_a_case_that_crashes_the_worker_fails_alone_and_named(pytester: pytest.Pytester) -> None:
    """The corpus check on three cases whose middle one aborts the worker: that case fails, the other two pass."""
    pytester.makepyfile(crash="import os\nos.abort()\n", test_crashing_corpus=CRASHING_CORPUS)
    result = pytester.runpytest("-p", "no:cacheprovider", "test_crashing_corpus.py")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "E       AssertionError: */crash.py crashed the manifest worker (killed by SIGABRT):",
            "FAILED test_crashing_corpus.py::test_case[[]crash[]] - *",
        ]
    )
