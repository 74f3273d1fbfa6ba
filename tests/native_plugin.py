"""Support for tests of the native provider plugin on the real CLI.

`scripts/native_plugin.py` writes the shim `pulumi-resource-dataplatforms` running this
checkout's plugin; `plugin_on_path` puts its directory first on PATH (which `CliStack` passes
on to the CLI).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scripts.native_plugin import PLUGIN, write_plugin

__all__ = ["PLUGIN", "plugin_on_path", "write_plugin"]


def plugin_on_path(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the shim into `directory` and put that directory first on PATH; returns the shim."""
    shim = write_plugin(directory)
    monkeypatch.setenv("PATH", f"{directory}{os.pathsep}{os.environ.get('PATH', '')}")
    return shim
