"""Apply manifests under a mock engine in a fresh process, reporting problems and registrations.

    python -m tests.manifest_program --config proj:key=value [--inputs] PATH...

The mock engine (`pulumi.runtime.set_mocks`) stands in for the Pulumi engine, which cannot run
here; it records every resource the program registers. A PATH is manifests (a file or directory)
or a Python program (`*.py`, run as `__main__`). One JSON line per PATH on stdout:
`{"path", "problems": [str...], "locations": [[file, line, column]...], "registered": [[type, name]...]}`
(with `--inputs`, each registration also carries its inputs).
Running in its own process keeps the runtime's global settings out of the test process.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import Mocks, set_mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs
from pulumi.runtime.mocks import test as settle

from pulumi_dataplatforms import manifests
from tests.harness.runner import REPO_ROOT, with_repo_on_path

PROJECT = "manifests-corpus"
READY = {"ready": True}


class RecordingMocks(Mocks):
    """Mock engine: records registrations and answers with the inputs as outputs."""

    def __init__(self, with_inputs: bool = False) -> None:
        self.with_inputs = with_inputs
        self.registered: list[tuple[Any, ...]] = []

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        self.registered.append((args.typ, args.name, inputs) if self.with_inputs else (args.typ, args.name))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        raise NotImplementedError(f"invoke {args.token}")


def apply_one(path: str, mocks: RecordingMocks) -> dict[str, Any]:
    """Applies `path`; what went wrong and what got registered."""
    mocks.registered.clear()
    problems: list[manifests.Problem] = []

    @settle  # type: ignore[untyped-decorator]
    def run() -> Any:
        if path.endswith(".py"):
            runpy.run_path(path, run_name="__main__")
            return None
        try:
            resources = manifests.apply(path)
        except manifests.ManifestError as exc:
            problems.extend(exc.problems)
            return None
        return pulumi.Output.all(*[resource.urn for resource in resources.values()])

    run()
    return {
        "path": path,
        "problems": [str(p) for p in problems],
        "locations": [[p.location.file, p.location.line, p.location.column] for p in problems],
        "registered": sorted(mocks.registered, key=lambda r: (r[0], r[1])),
    }


class CrashedOutcome(dict[str, Any]):
    """The outcome of a path that crashed the worker: `path` and `crash`; reading any other key fails, naming both."""

    def __missing__(self, key: str) -> Any:
        raise AssertionError(f"no {key!r} for {self['path']}: {self['crash']}")


def text_of(output: str | bytes | None) -> str:
    """A subprocess's captured output as text (a timed-out run's is bytes, or None)."""
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def run_worker(args: list[str], cwd: Path, env: Mapping[str, str], timeout: float) -> tuple[str, str, str]:
    """Runs a worker to its end: its stdout, its stderr and how it ended, in words."""
    try:
        done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        return text_of(exc.stdout), text_of(exc.stderr), f"timed out after {timeout:g}s"
    if done.returncode < 0:
        return done.stdout, done.stderr, f"killed by {signal.Signals(-done.returncode).name}"
    return done.stdout, done.stderr, f"exit code {done.returncode}"


def worker_outcomes(stdout: str) -> list[dict[str, Any]] | None:
    """The outcomes a worker reported (complete lines after its ready line); None if it never got ready."""
    lines = [json.loads(line) for line in stdout.splitlines(keepends=True) if line.endswith("\n")]
    return lines[1:] if lines and lines[0] == READY else None


def run_in_subprocess(
    paths: Sequence[str | Path],
    config: Mapping[str, str] | None = None,
    env: Mapping[str, str | None] | None = None,
    inputs: bool = False,
    cwd: Path = REPO_ROOT,
    timeout: float = 300,
) -> dict[str, dict[str, Any]]:
    """This module on `paths` in a fresh process; outcomes by path as given. `env` None values unset variables.

    A path that crashes the worker (it dies, exits or runs out of `timeout`) gets a `CrashedOutcome`
    saying how, and a fresh worker goes on with the paths after it.
    """
    environment = with_repo_on_path(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    settings = [f"--config={key}={value}" for key, value in (config or {}).items()]
    cmd = [sys.executable, "-m", "tests.manifest_program", *settings, *(["--inputs"] if inputs else [])]
    outcomes: dict[str, dict[str, Any]] = {}
    pending = [str(path) for path in paths]
    while pending:
        stdout, stderr, ending = run_worker([*cmd, *pending], cwd, environment, timeout)
        reported = worker_outcomes(stdout)
        assert reported is not None, f"the manifest worker crashed before it was ready ({ending}):\n{stderr}"
        outcomes.update((outcome["path"], outcome) for outcome in reported)
        if len(reported) == len(pending):
            assert ending == "exit code 0", f"the manifest worker failed after its last path ({ending}):\n{stderr}"
            break
        culprit = pending[len(reported)]
        crash = f"{culprit} crashed the manifest worker ({ending}):\n{stderr}"
        outcomes[culprit] = CrashedOutcome(path=culprit, crash=crash)
        pending = pending[len(reported) + 1 :]
    return outcomes


def report(line: Mapping[str, Any]) -> None:
    """One JSON line on stdout, flushed: what a crash right after it cannot lose."""
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.manifest_program")
    parser.add_argument("--config", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--inputs", action="store_true", help="record each registration's inputs too")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    mocks = RecordingMocks(args.inputs)
    set_mocks(mocks, project=PROJECT, stack="dev")
    set_all_config(dict(pair.split("=", 1) for pair in args.config))
    report(READY)
    for path in args.paths:
        report(apply_one(path, mocks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
