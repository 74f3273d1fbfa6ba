"""Support for tests of the native provider plugin on the real CLI.

`scripts/native_plugin.py` writes the shim `pulumi-resource-dataplatforms` running this
checkout's plugin; `plugin_on_path` puts its directory first on PATH (which `CliStack` passes
on to the CLI). `install_python_sdk` pip-installs the generated Python SDK (sdks/python).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.native_plugin import PLUGIN, REPO, write_plugin

__all__ = ["GENERATED_PYTHON_SDK", "PLUGIN", "install_python_sdk", "plugin_on_path", "write_plugin"]

GENERATED_PYTHON_SDK = REPO / "sdks" / "python"


def plugin_on_path(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the shim into `directory` and put that directory first on PATH; returns the shim."""
    shim = write_plugin(directory)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', '')}")
    return shim


def install_python_sdk(target: Path, scratch: Path) -> Path:
    """sdks/python pip-installed into `target`: without its dependencies (the venv has them), built by
    pip's isolated build from a copy in `scratch` (setuptools builds in the source tree: sdks/ stays clean)."""
    source = scratch / "python"
    shutil.copytree(GENERATED_PYTHON_SDK, source)
    command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(source)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (target / "pulumi_dataplatforms_native" / "eloq" / "cluster.py").is_file()
    return target
