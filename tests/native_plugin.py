"""Support for tests of the native provider plugin on the real CLI.

The engine finds a resource plugin as an executable `pulumi-resource-<package>` on PATH. The
venv's console script would run the installed (editable) copy, so `plugin_on_path` writes a
tiny shim running this checkout's `pulumi_dataplatforms_provider.native` with this interpreter,
and puts its directory first on PATH (which `CliStack` passes on to the CLI).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PLUGIN = "pulumi-resource-dataplatforms"
SOURCE_DIRS = ("provider", "sdk", "emulator", ".")


def write_plugin(directory: Path) -> Path:
    """The shim executable `pulumi-resource-dataplatforms` in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = os.pathsep.join(str((REPO / d).resolve()) for d in SOURCE_DIRS)
    shim = directory / PLUGIN
    shim.write_text(
        "#!/bin/sh\n"
        f"PYTHONPATH={shlex.quote(path)}${{PYTHONPATH:+:$PYTHONPATH}}\n"
        "export PYTHONPATH\n"
        f'exec {shlex.quote(sys.executable)} -m pulumi_dataplatforms_provider.native "$@"\n'
    )
    shim.chmod(0o755)
    return shim


def plugin_on_path(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the shim into `directory` and put that directory first on PATH; returns the shim."""
    shim = write_plugin(directory)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', '')}")
    return shim
