"""One deployment operation in a fresh process: `python -m tests.harness.runner <op> ...`.

`up` runs the program under `pulumi.runtime.set_mocks` with a `HarnessMonitor`, exactly once,
inside `run_in_stack` (as the Python language host does); `refresh` and `destroy` do not run
the program. The outcome (steps, host calls, logs, encrypted stack outputs, error) is written
as JSON to `--result`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import logging
import os
import runpy
import sys
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pulumi.runtime import settings
from pulumi.runtime.mocks import set_mocks
from pulumi.runtime.stack import run_in_stack

from .crypto import DEFAULT_PASSPHRASE
from .engine import DeploymentError, Engine
from .host import ProviderHost
from .monitor import HarnessMonitor, UnsupportedMocks
from .props import is_secret
from .state import StackFiles, project_name, write_json

REPO_ROOT = Path(__file__).resolve().parents[2]
LOG_PREFIXES = ("info: ", "warning: ", "error: ")


def with_repo_on_path(env: Mapping[str, str]) -> dict[str, str]:
    """`env` with the repo root first on PYTHONPATH (so `tests.harness.toy` imports anywhere)."""
    result = dict(env)
    parts = [str(REPO_ROOT), *[p for p in result.get("PYTHONPATH", "").split(os.pathsep) if p]]
    result["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(parts))
    return result


class _Capture(logging.Handler):
    """Collects what the program logs through `pulumi.log` (the mock engine's logger)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        level = {"WARNING": "warning", "ERROR": "error"}.get(record.levelname, "info")
        self.lines.append(f"{level}: {record.getMessage()}")


def load_program(program: str) -> Callable[[], Any]:
    """A zero-argument callable running a program directory, `module:function` or module."""
    path = Path(program).resolve()
    if path.is_dir():
        sys.path.insert(0, str(path))
        os.chdir(path)
        return lambda: runpy.run_path(str(path), run_name="__main__")
    if ":" in program:
        module, func = program.split(":", 1)
        return lambda: getattr(importlib.import_module(module), func)()
    return lambda: runpy.run_module(program, run_name="__main__")


def run_program(engine: Engine, program: str, config: Mapping[str, Any], preview: bool) -> list[str]:
    """Run the program once against `engine`; returns what it logged."""
    os.environ["PULUMI_CONFIG"] = json.dumps({k: _plain(v) for k, v in config.items()})
    os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps([k for k, v in config.items() if is_secret(v)])
    capture = _Capture()
    logger = logging.getLogger("tests.harness.program")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(capture)
    target = load_program(program)
    # set_mocks eagerly registers a root Stack unless one exists; the placeholder stops that so
    # `run_in_stack` registers the real one and collects `pulumi.export`s, as the language host does.
    settings.ROOT.set(object())  # type: ignore[arg-type]
    set_mocks(
        UnsupportedMocks(),
        project=engine.files.project,
        stack=engine.files.stack,
        preview=preview,
        logger=logger,
        monitor=HarnessMonitor(engine),
    )
    settings.ROOT.set(None)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(run_in_stack(target))
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
            with contextlib.suppress(BaseException):
                loop.run_until_complete(task)
        loop.close()
    return capture.lines


def _plain(value: Any) -> Any:
    return value["value"] if is_secret(value) else value


def host_env(config: Mapping[str, Any], project: str) -> dict[str, str]:
    """The provider's environment: ours plus PULUMI_PROJECT and the full PULUMI_CONFIG."""
    env = with_repo_on_path(os.environ)
    env["PULUMI_PROJECT"] = project
    env["PULUMI_CONFIG"] = json.dumps({k: _plain(v) for k, v in config.items()})
    for key in ("PULUMI_CONFIG_SECRET_KEYS", "PULUMI_CONFIG_PASSPHRASE"):
        env.pop(key, None)
    return env


def next_log_path(workdir: Path) -> Path:
    """`<workdir>/.harness/host-NNNN.stderr`, numbered per operation."""
    logs = workdir / ".harness"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / f"host-{len(list(logs.glob('host-*.stderr'))) + 1:04d}.stderr"


def host_logs(path: Path) -> list[str]:
    """`pulumi.log` lines the host wrote (with no engine attached it prints them to stderr)."""
    if not path.exists():
        return []
    return [line for line in path.read_text(errors="replace").splitlines() if line.startswith(LOG_PREFIXES)]


def program_directory(program: str) -> Path:
    """Where the engine starts plugins: the program's directory (plugin context `Pwd`), else the repo root."""
    path = Path(program)
    return path.resolve() if path.is_dir() else REPO_ROOT


def execute(op: str, program: str, files: StackFiles, preview: bool) -> dict[str, Any]:
    """Run `op` and return the result document."""
    config = files.load_config()
    stderr_path = next_log_path(files.workdir)
    env = host_env(config, files.project)
    engine = Engine(files, lambda: ProviderHost(env, program_directory(program), stderr_path), config, preview)
    logs: list[str] = []
    error: str | None = None
    try:
        if op == "up":
            logs = run_program(engine, program, config, preview)
            engine.finish()
        elif op == "refresh":
            engine.refresh()
        elif op == "destroy":
            engine.destroy()
        else:
            raise DeploymentError(f"unknown operation {op!r}")
    except Exception as exc:
        error = "\n".join(engine.errors) or (
            str(exc)
            if isinstance(exc, DeploymentError)
            else f"program failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()}"
        )
    host = engine.shutdown()
    return {
        "error": error,
        "steps": [[s.op, s.urn, s.type, list(s.keys)] for s in engine.steps],
        "host_calls": [list(c) for c in host.calls] if host else [],
        "outputs": files.crypter.encrypt_tree(engine.stack_outputs),
        "logs": engine.logs + logs + (host_logs(stderr_path) if host else []),
        "host_stderr": str(stderr_path) if host else None,
    }


def main(argv: list[str] | None = None) -> int:
    """CLI entry of the runner subprocess."""
    parser = argparse.ArgumentParser(prog="python -m tests.harness.runner")
    parser.add_argument("op", choices=["up", "refresh", "destroy"])
    parser.add_argument("--program", required=True)
    parser.add_argument("--workdir", required=True, type=Path)
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--result", required=True, type=Path)
    parser.add_argument("--preview", action="store_true")
    args = parser.parse_args(argv)
    passphrase = os.environ.get("PULUMI_CONFIG_PASSPHRASE", DEFAULT_PASSPHRASE)
    result_path = args.result.resolve()
    files = StackFiles(args.workdir.resolve(), project_name(args.program), args.stack, passphrase)
    result = execute(args.op, args.program, files, args.preview)
    write_json(result_path, result)
    return 0 if result["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
