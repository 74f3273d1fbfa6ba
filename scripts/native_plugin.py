"""The native provider plugin of this checkout as an executable the engine can find.

The engine finds a resource plugin as an executable `pulumi-resource-<package>` on PATH. The
venv's console script would run the installed (editable) copy, so `write_plugin` writes a tiny
shim running this checkout's `pulumi_dataplatforms_provider.native` with this interpreter; put
its directory first on the PATH the CLI gets (tests do with `tests/native_plugin.py`, benchmarks
through `CliStack`'s `env`).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

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
