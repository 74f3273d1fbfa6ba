"""Separate virtualenvs for the official `ardent-sdk` clients (0.2.2 and 0.8.0 are one distribution).

python -m tests.ardent_official_envs          # creates .venvs/ardent-0.2.2 and .venvs/ardent-0.8.0
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("0.2.2", "0.8.0")


def python_for(version: str) -> Path:
    """The interpreter of the venv holding `ardent-sdk==version`, created (and installed) on first use."""
    root = REPO_ROOT / ".venvs" / f"ardent-{version}"
    python = root / "bin" / "python"
    marker = root / ".installed"
    if marker.exists():
        return python
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"ardent-sdk=={version}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        text = proc.stderr + proc.stdout
        raise RuntimeError(f"pip install ardent-sdk=={version} failed:\n{text[-2000:]}")
    marker.write_text(version)
    return python


if __name__ == "__main__":
    for v in VERSIONS:
        sys.stdout.write(f"{python_for(v)}\n")
