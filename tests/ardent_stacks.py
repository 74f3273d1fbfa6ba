"""Helpers for Ardent resource tests: stacks wired to the emulator and the emulator's Ardent state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.harness import Secret, Stack

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "examples" / "ardent"
CONFIG_TYPE = "pulumi-python:dynamic/ardent:"


def ardent_stack(tmp_path: Path, emulator: EmulatorProcess, program: Path | str, **config: Any) -> Stack:
    """A harness stack with both Ardent key generations from the emulator in stack config (keys as secrets)."""
    env = emulator.env()
    stack_config: dict[str, Any] = {
        "ardent:publicKey": env["ARDENT_PUBLIC_KEY"],
        "ardent:secretKey": Secret(env["ARDENT_SECRET_KEY"]),
        "ardent:apiKey": Secret(env["ARDENT_API_KEY"]),
        "ardent:baseUrl": env["ARDENT_BASE_URL"],
    }
    stack_config.update(config)
    return Stack(tmp_path / "stack", str(program), config=stack_config)


def ardent_state(emulator: EmulatorProcess) -> dict[str, Any]:
    """The emulator's Ardent configs, connectors and jobs."""
    state: dict[str, Any] = emulator.admin.state()["ardent"]
    return state


def ardent_calls(emulator: EmulatorProcess) -> int:
    """How many Ardent API requests the emulator has counted."""
    paths = emulator.admin.request_counts()["paths"]
    return sum(n for p, n in paths.items() if " /ardent/" in p)
