"""The two ways besides PATH of giving the engine the native plugin, on the real CLI.

- `plugins.providers` in Pulumi.yaml: `{name: dataplatforms, path: <directory>}`;
- `pulumi plugin install resource dataplatforms <version> --file <executable>`, into the stack's
  PULUMI_HOME.

In both tests no directory on the PATH the CLI gets holds a `pulumi-resource-dataplatforms`, so a
Spark folder created by a Pulumi YAML program proves the engine started the plugin from where it
was given.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack, package_config
from tests.inventory import held
from tests.native_plugin import PLUGIN, write_plugin
from tests.real_cli import PASSPHRASE, require_yaml_host, resources

pytestmark = [pytest.mark.cli, pytest.mark.timeout(300)]

PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_")
#: The version the installed plugin is recorded under (the schema's version).
VERSION = "0.1.0"


@pytest.fixture
def no_plugin_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The YAML host (or skip/fail), no platform settings in the environment, and no directory on
    PATH holding the plugin (a venv's console script included)."""
    require_yaml_host()
    for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
        monkeypatch.delenv(name)
    kept = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / PLUGIN).exists()]
    monkeypatch.setenv("PATH", os.pathsep.join(kept))


def folder_program(directory: Path, name: str, plugins: dict[str, object] | None = None) -> Path:
    """A Pulumi YAML project declaring one Spark folder `name`, with `plugins` in its Pulumi.yaml."""
    directory.mkdir(parents=True)
    project: dict[str, object] = {
        "name": "plugin-install",
        "runtime": "yaml",
        "resources": {
            "models": {
                "type": "dataplatforms:spark:Folder",
                "properties": {"name": name, "description": "Plugin given by its location", "category": "Finance"},
            }
        },
        "outputs": {"folderId": "${models.folderId}"},
    }
    if plugins is not None:
        project["plugins"] = plugins
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
    return directory


def stack_of(program: Path, tmp_path: Path, emulator: EmulatorProcess) -> CliStack:
    stack = CliStack(program, tmp_path / "state", passphrase=PASSPHRASE)
    stack.configure(*package_config(emulator.env()))
    assert shutil.which(PLUGIN, path=stack.env["PATH"]) is None, "a plugin on PATH would hide what is tested"
    return stack


def up_and_destroy(stack: CliStack, emulator: EmulatorProcess, name: str) -> None:
    """`up` creates the folder through the plugin; `destroy` removes it."""
    created = stack.up()
    assert created.ops() == {"models": "create"}
    assert held(emulator)["folders"] == [name]
    (folder,) = emulator.admin.state()["spark"]["folders"].values()
    assert created.outputs["folderId"].value == folder["id"]
    assert resources(stack)["models"]["type"] == "dataplatforms:spark:Folder"
    gone = stack.destroy()
    assert gone.ops() == {"models": "delete"}
    assert held(emulator)["folders"] == []


def test_plugins_providers_in_pulumi_yaml_names_the_plugins_directory(
    tmp_path: Path, emulator: EmulatorProcess, no_plugin_on_path: None
) -> None:
    plugin_dir = tmp_path / "plugin"
    write_plugin(plugin_dir)
    plugins = {"providers": [{"name": "dataplatforms", "path": str(plugin_dir)}]}
    program = folder_program(tmp_path / "program", "from-plugins-providers", plugins)
    up_and_destroy(stack_of(program, tmp_path, emulator), emulator, "from-plugins-providers")


def test_pulumi_plugin_install_with_file_installs_the_plugin_the_engine_then_runs(
    tmp_path: Path, emulator: EmulatorProcess, no_plugin_on_path: None
) -> None:
    shim = write_plugin(tmp_path / "build")
    program = folder_program(tmp_path / "program", "from-plugin-install")
    stack = stack_of(program, tmp_path, emulator)

    stack.pulumi("plugin", "install", "resource", "dataplatforms", VERSION, "--file", str(shim))
    installed = Path(stack.env["PULUMI_HOME"]) / "plugins" / f"resource-dataplatforms-v{VERSION}" / PLUGIN
    assert installed.is_file() and os.access(installed, os.X_OK)
    listed = stack.pulumi("plugin", "ls").stdout
    assert any(line.split()[:3] == ["dataplatforms", "resource", VERSION] for line in listed.splitlines()), listed

    up_and_destroy(stack, emulator, "from-plugin-install")
