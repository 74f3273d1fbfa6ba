"""Helpers for Eloq resource tests: stacks wired to the emulator, program sources, host lookup."""

from __future__ import annotations

import os
import signal
import textwrap
import uuid
from pathlib import Path
from typing import Any

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.harness import Secret, Stack

REPO_ROOT = Path(__file__).resolve().parent.parent
QUICKSTART = REPO_ROOT / "examples" / "quickstart"


def write_program(directory: Path, body: str) -> Path:
    """A Pulumi program directory whose `__main__.py` is `body`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {directory.name}\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(body))
    return directory


def eloq_stack(tmp_path: Path, emulator: EmulatorProcess, program: Path | str = QUICKSTART, **config: Any) -> Stack:
    """A harness stack with Eloq credentials from the emulator in stack config (the key as a secret)."""
    env = emulator.env()
    stack_config: dict[str, Any] = {"eloq:apiKey": Secret(env["ELOQ_API_KEY"]), "eloq:baseUrl": env["ELOQ_BASE_URL"]}
    stack_config.update(config)
    marker = uuid.uuid4().hex
    stack = Stack(tmp_path / "stack", str(program), config=stack_config, env={"ELOQ_TEST_STACK": marker})
    stack.marker = marker  # type: ignore[attr-defined]
    return stack


def clusters(emulator: EmulatorProcess) -> dict[str, dict[str, Any]]:
    """Every cluster the emulator holds (any org), by name."""
    return {c["name"]: c for c in emulator.admin.state()["eloq"]["clusters"]}


def kill_hosts(marker: str) -> int:
    """SIGKILL every dynamic-provider host started for the stack carrying `marker`; returns how many."""
    killed = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if b"pulumi.dynamic" in cmdline and marker.encode() in environ:
            os.kill(int(pid), signal.SIGKILL)
            killed += 1
    return killed
