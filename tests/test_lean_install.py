"""The built wheel, installed alone into a fresh venv, brings the provider and nothing of the emulator."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.cli import EXTRA_HINT

ROOT = Path(__file__).resolve().parent.parent
EMULATOR_ONLY = ("fastapi", "uvicorn", "starlette", "multipart", "openpyxl", "formulas", "numpy", "scipy")
IMPORT_EVERYTHING = """
import importlib, importlib.util, json
import pulumi_dataplatforms
from pulumi_dataplatforms_provider import registry
modules = ["pulumi_dataplatforms." + m for m in pulumi_dataplatforms.__all__] + ["pulumi_dataplatforms.manifests"]
modules += sorted({spec.provider.__module__ for spec in registry.resources()})
for name in modules:
    importlib.import_module(name)
print(json.dumps({
    "imported": modules,
    "emulator_modules_present": [m for m in {emulator_only} if importlib.util.find_spec(m) is not None],
}))
"""


def run(*command: str | Path, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=900, cwd=cwd, check=False)
    assert done.returncode == 0 or not check, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def lean_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel built from this checkout, installed without extras."""
    work = tmp_path_factory.mktemp("lean")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", work / "dist", ROOT)
    (wheel,) = (work / "dist").glob("pulumi_dataplatforms-*.whl")
    venv.create(work / "venv", with_pip=True)
    run(work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", wheel)
    return work / "venv"


def test_the_wheel_installs_no_emulator_dependency_and_every_resource_module_imports(lean_venv: Path) -> None:
    script = IMPORT_EVERYTHING.replace("{emulator_only}", repr(EMULATOR_ONLY))
    report = json.loads(run(lean_venv / "bin" / "python", "-c", script, cwd=lean_venv).stdout)
    assert report["emulator_modules_present"] == []
    assert "pulumi_dataplatforms_provider.eloq.cluster" in report["imported"]
    assert len(report["imported"]) >= 10


def test_the_emulator_command_of_a_lean_install_says_which_extra_to_install(lean_venv: Path) -> None:
    done = run(lean_venv / "bin" / "dataplatforms-emulator", "serve", check=False)
    assert done.returncode == 1
    assert EXTRA_HINT in done.stderr and "Traceback" not in done.stderr


MANIFEST_MODULES = """
import json, sys
import pulumi_dataplatforms.manifests as manifests
loaded = manifests.load([sys.argv[1]])
print(json.dumps({
    "declarations": len(loaded.declarations),
    "builders_loaded": sorted(m for m in sys.modules if m.startswith("pulumi_dataplatforms_provider.generate")),
}))
"""


def test_manifests_of_a_lean_install_read_the_shipped_schema_without_the_generators(lean_venv: Path) -> None:
    python = lean_venv / "bin" / "python"
    manifests = ROOT / "examples" / "gitops" / "manifests"
    report = json.loads(run(python, "-c", MANIFEST_MODULES, manifests, cwd=lean_venv).stdout)
    assert report["declarations"] > 0
    assert report["builders_loaded"] == [], "manifests must read schema.json, not rebuild it"
    printed = run(python, "-m", "pulumi_dataplatforms.manifests", "schema", cwd=lean_venv).stdout
    assert json.loads(printed) == json.loads((ROOT / "manifest.schema.json").read_text())
