"""examples/quickstart copied out of the repository and deployed the way README's "Use it in your own project" says.

Real: the wheel built from this checkout; a fresh venv (stdlib `venv`) inside the copied project,
into which `wheel[emulator]` is installed with pip; the copied `Pulumi.yaml` with its `virtualenv`
line changed as the README says; the emulator started and stopped with that venv's
`dataplatforms-emulator start`/`stop` (a real background process, checked to load its packages
from the venv), its settings taken from `dataplatforms-emulator env`; the real Pulumi CLI with a
local `file://` backend and a passphrase, for `pulumi stack init` and `pulumi config set`, and for
planning, applying and keeping state; the real dynamic-provider host the CLI starts
(`pulumi-resource-pulumi-python`), checked to load its packages from the venv.

Substituted: the Python language host. The CLI here was built from Go modules and has no
`pulumi-language-python`, so `pulumi up` cannot run the program itself. As in
scripts/cli_stack.py, a small runner written into the temporary directory (not the repository)
runs the copied `__main__.py` as an Automation API inline program, with that venv's Python and
the project directory as its working directory, and the CLI connects back to it. The
`virtualenv` option is read by the language host only; the provider host finds the venv's
Python first on PATH, as with an activated venv.

Nothing is imported from the repository tree inside the venv: no PYTHONPATH, the working
directory is outside the repository, and every package's file is asserted to lie in the venv.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import venv
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataplatforms_emulator.process import free_port
from tests.real_cli import require_cli

pytestmark = [pytest.mark.cli, pytest.mark.timeout(1200)]

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "quickstart"
SECTION = "## Use it in your own project"
PASSPHRASE = "own-project-test-passphrase"
PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_", "EMULATOR_PORT", "PULUMI_")

RUNNER = '''\
"""`python runner.py up|destroy CLI_ROOT`, in a Pulumi project directory: its `__main__.py` as an
Automation API inline program on the Pulumi CLI under CLI_ROOT/bin. Backend, passphrase and
PULUMI_HOME come from the environment; the stack must exist. Prints one JSON line."""

import json
import runpy
import sys
from pathlib import Path

import pulumi_dataplatforms
import pulumi_dataplatforms_provider
import yaml
from pulumi import automation as auto

project = Path.cwd()
action, cli_root = sys.argv[1], sys.argv[2]


def program():
    runpy.run_path(str(project / "__main__.py"), run_name="__main__")


stack = auto.select_stack(
    stack_name="dev",
    project_name=yaml.safe_load((project / "Pulumi.yaml").read_text())["name"],
    program=program,
    opts=auto.LocalWorkspaceOptions(work_dir=str(project), pulumi_command=auto.PulumiCommand(root=cli_root)),
)
operation = stack.up if action == "up" else stack.destroy
result = operation(on_output=lambda line: print(line, file=sys.stderr, flush=True), color="never")
outputs = getattr(result, "outputs", None) or {}
print(json.dumps({
    "changes": dict(result.summary.resource_changes or {}),
    "outputs": {name: {"value": out.value, "secret": out.secret} for name, out in outputs.items()},
    "files": [pulumi_dataplatforms.__file__, pulumi_dataplatforms_provider.__file__, auto.__file__],
    "prefix": sys.prefix,
}))
'''


def run(
    *command: str | Path, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env, check=False
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


def readme_pulumi_yaml() -> dict[str, Any]:
    """The Pulumi.yaml the README's section shows (its first yaml block)."""
    section = REPO.joinpath("README.md").read_text().split(SECTION + "\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"^```yaml\n(.*?)^```", section, re.S | re.M)
    assert block, f"README.md's {SECTION!r} shows no Pulumi.yaml"
    data: dict[str, Any] = yaml.safe_load(block[1])
    return data


def user_environment(venv_dir: Path, cli: Path, backend: Path, home: Path) -> dict[str, str]:
    """A shell with the project's venv activated: nothing of the repository's venv or of this process's settings."""
    inherited = [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not Path(entry).resolve().is_relative_to(REPO)
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not key.startswith(PLATFORM_VARIABLES)
    }
    env.update(
        PATH=os.pathsep.join([str(venv_dir / "bin"), str(cli.parent), *inherited]),
        VIRTUAL_ENV=str(venv_dir),
        PULUMI_BACKEND_URL=f"file://{backend}",
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_HOME=str(home),
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
    )
    return env


def site_packages(pid: int) -> set[str]:
    """The `site-packages` directories a live process has mapped shared objects from (empty once it is gone)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return set()
    return {line.split()[-1].split("/site-packages/")[0] for line in maps.splitlines() if "/site-packages/" in line}


@contextmanager
def provider_hosts(backend_url: str) -> Iterator[dict[int, set[str]]]:
    """While open, records each dynamic-provider host of the stack at `backend_url`: pid -> its site-packages."""
    seen: dict[int, set[str]] = {}
    stop = threading.Event()
    marker = f"PULUMI_BACKEND_URL={backend_url}\0".encode()

    def watch() -> None:
        while not stop.wait(0.05):
            for pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
                try:
                    ours = b"pulumi.dynamic" in Path(f"/proc/{pid}/cmdline").read_bytes()
                    ours = ours and marker in Path(f"/proc/{pid}/environ").read_bytes()
                except OSError:
                    continue
                if ours:
                    seen.setdefault(pid, set()).update(site_packages(pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_the_quickstart_copied_out_deploys_from_its_own_venv_against_the_emulator(tmp_path: Path) -> None:
    cli = require_cli()
    # The wheel, as the README says: `pip wheel --no-deps . -w dist` in a checkout.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", ".", "-w", tmp_path / "dist", cwd=REPO)
    (wheel,) = (tmp_path / "dist").glob("pulumi_dataplatforms-*-py3-none-any.whl")

    # The example copied out without the stack config `make up` writes, its virtualenv line changed.
    project = tmp_path / "my-stack"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    settings = project / "Pulumi.yaml"
    text = settings.read_text()
    assert "virtualenv: ../../.venv" in text
    settings.write_text(text.replace("virtualenv: ../../.venv", "virtualenv: venv"))
    assert yaml.safe_load(settings.read_text())["runtime"] == readme_pulumi_yaml()["runtime"]

    # A fresh venv in the project, the wheel with its `emulator` extra installed into it.
    venv_dir = project / "venv"
    venv.create(venv_dir, with_pip=True)
    pip_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    run(venv_dir / "bin" / "python", "-m", "pip", "install", "--quiet", f"{wheel}[emulator]", cwd=project, env=pip_env)

    backend, home = tmp_path / "backend", tmp_path / "pulumi-home"
    backend.mkdir()
    env = user_environment(venv_dir.resolve(), cli, backend, home)
    venv_site = {str(p.parent) for p in (venv_dir.resolve() / "lib").glob("python3*/site-packages")}
    assert len(venv_site) == 1
    (tmp_path / "runner.py").write_text(RUNNER)

    def emulator(*args: str | Path) -> str:
        return run(venv_dir / "bin" / "dataplatforms-emulator", *args, cwd=project, env=env).stdout

    def deploy(action: str, extra_env: Mapping[str, str] = {}) -> dict[str, Any]:
        done = run(
            venv_dir / "bin" / "python", tmp_path / "runner.py", action, cli.parent.parent,
            cwd=project, env={**env, **extra_env},
        )  # fmt: skip
        result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        for file in result["files"]:
            assert Path(file).resolve().is_relative_to(venv_dir.resolve()), f"{file} is not in the project's venv"
        assert Path(result["prefix"]).resolve() == venv_dir.resolve()
        return result

    port = free_port()
    data_dir = tmp_path / "emulator"
    emulator("start", "--port", str(port), "--data-dir", data_dir)
    try:
        pid = int(data_dir.joinpath("emulator.pid").read_text())
        assert site_packages(pid) == venv_site, "the emulator does not run from the project's venv"

        def clusters() -> dict[str, dict[str, Any]]:
            state = json.loads(emulator("state", "--port", str(port)))
            return {c["name"]: c for c in state["eloq"]["clusters"]}

        # `eval "$(dataplatforms-emulator env)"`: the platforms' variables, for a local run.
        local: dict[str, str] = {}
        for line in emulator("env", "--port", str(port)).splitlines():
            variable, value = shlex.split(line.removeprefix("export "))[0].split("=", 1)
            local[variable] = value
        assert local["ELOQ_BASE_URL"].startswith(f"http://127.0.0.1:{port}/")

        run(cli, "stack", "init", "dev", cwd=project, env=env)
        with provider_hosts(env["PULUMI_BACKEND_URL"]) as hosts:
            created = deploy("up", local)
            assert created["changes"] == {"create": 2}
            outputs = created["outputs"]
            name = outputs["clusterName"]["value"]
            assert re.fullmatch(r"cache-[0-9a-f]{7}", name)
            assert outputs["status"]["value"] == "available"
            host, _, cluster_port = outputs["endpoint"]["value"].rpartition(":")
            assert host and cluster_port.isdigit() and not outputs["endpoint"]["secret"]
            assert outputs["password"]["secret"] and len(outputs["password"]["value"]) >= 12
            assert set(clusters()) == {name} and clusters()[name]["region"] == "us-west-1"

            # The same stack with its credentials as stack config instead (README, Configuration),
            # and none of the emulator's variables: nothing changes, and destroy deletes with them.
            run(
                cli,
                "config",
                "set",
                "--secret",
                "eloq:apiKey",
                local["ELOQ_API_KEY"],
                "--stack",
                "dev",
                cwd=project,
                env=env,
            )
            run(cli, "config", "set", "eloq:baseUrl", local["ELOQ_BASE_URL"], "--stack", "dev", cwd=project, env=env)
            stack_config = yaml.safe_load((project / "Pulumi.dev.yaml").read_text())["config"]
            assert set(stack_config["eloq:apiKey"]) == {"secure"}
            assert local["ELOQ_API_KEY"] not in (project / "Pulumi.dev.yaml").read_text()

            again = deploy("up")
            assert again["changes"] == {"same": 2}
            assert again["outputs"]["clusterName"]["value"] == name
            assert set(clusters()) == {name}

            gone = deploy("destroy")
            assert gone["changes"] == {"delete": 2}
            assert clusters() == {}
        assert hosts, "no dynamic-provider host of this stack was seen"
        for host_pid, loaded in hosts.items():
            assert loaded <= venv_site, f"provider host {host_pid} loaded packages from {loaded}, not the venv"
        assert set().union(*hosts.values()) == venv_site
    finally:
        emulator("stop", "--data-dir", data_dir)
