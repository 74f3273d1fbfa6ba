"""Run a Pulumi program directory as a stack on the real Pulumi CLI (Automation API, inline program).

The CLI connects back to a language server in this process (`--client`), so the program runs
here and no `pulumi-language-python` plugin is needed: the CLI built from Go modules by
`scripts/pulumi.sh` has none. The program's `__main__.py` runs with the program directory as
the working directory, where the CLI also starts the dynamic-provider host, so relative paths
mean the same to both. A program of another runtime (`runtime: yaml`, examples/yaml) runs as a
local program through the CLI's language host (`scripts/pulumi-yaml.sh` builds the YAML one).
State lives in a local `file://` backend, secrets under a passphrase.

    python -m scripts.cli_stack up examples/quickstart           # what `make up` runs
    python -m scripts.cli_stack destroy examples/quickstart

An example may keep the values it needs for an emulator run in `emulator.yaml`
(`environment:`, `config:`, `secrets:`); `EmulatorProcess.env()`-style platform variables come
from `dataplatforms-emulator env` for `--emulator-port`.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import runpy
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pulumi import automation as auto

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI_RECORD = REPO_ROOT / ".pulumi" / "cli-path"
LANGUAGE_HOSTS = REPO_ROOT / ".pulumi" / "bin"
DEFAULT_STATE = REPO_ROOT / ".dataplatforms"
DEFAULT_PASSPHRASE = "dataplatforms-local"
REPLACEMENT_STEPS = frozenset({"replace", "create-replacement", "delete-replaced", "discard-replaced"})
# What a refresh found, in the words the harness (tests/harness) uses: read = outputs changed.
REFRESH_RESULTS = {"same": "same", "update": "read", "delete": "drop"}
OFFLINE_ENV = {
    "PULUMI_SKIP_UPDATE_CHECK": "true",
    "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
}


def find_cli() -> Path | None:
    """The CLI `scripts/pulumi.sh` chose (recorded in .pulumi/cli-path), else `pulumi` on PATH."""
    if CLI_RECORD.is_file():
        recorded = Path(CLI_RECORD.read_text().strip())
        if recorded.is_file() and os.access(recorded, os.X_OK):
            return recorded
    on_path = shutil.which("pulumi")
    return Path(on_path) if on_path else None


@dataclass
class EmulatorSettings:
    """What a program needs beyond the platforms' variables to run against the emulator."""

    environment: dict[str, str] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, program_dir: Path) -> EmulatorSettings:
        """Reads `<program_dir>/emulator.yaml` (all sections optional)."""
        path = program_dir / "emulator.yaml"
        if not path.is_file():
            return cls()
        data = yaml.safe_load(path.read_text()) or {}
        return cls(
            environment={str(k): str(v) for k, v in (data.get("environment") or {}).items()},
            config={str(k): str(v) for k, v in (data.get("config") or {}).items()},
            secrets={str(k): str(v) for k, v in (data.get("secrets") or {}).items()},
        )


@dataclass
class Step:
    """One resource step the engine reported: its operation and logical name."""

    op: str
    name: str
    type: str
    diffs: list[str]


@dataclass
class Outcome:
    """What one operation did: per-resource steps, the summary, engine diagnostics and the CLI's text."""

    steps: list[Step]
    changes: dict[str, int]
    outputs: dict[str, auto.OutputValue]
    diagnostics: list[tuple[str, str, str]]
    text: str

    def names(self, op: str) -> list[str]:
        """Logical names of the resources with step `op` (e.g. "create", "update", "replace", "delete")."""
        return sorted(step.name for step in self.steps if step.op == op)

    def ops(self) -> dict[str, str]:
        """Logical name -> operation, for the program's resources (not providers, not the stack).

        The three steps of a replacement (create-replacement, replace, delete-replaced, or
        their delete-before-replace order) count as one "replace". A refresh step is "same",
        "read" (the outputs changed) or "drop" (the resource is gone).
        """
        ops: dict[str, str] = {}
        for step in self.steps:
            if step.type.startswith("pulumi:providers:") or step.type == "pulumi:pulumi:Stack":
                continue
            replacing = step.op in REPLACEMENT_STEPS or ops.get(step.name) == "replace"
            ops[step.name] = "replace" if replacing else step.op
        return ops

    def messages(self, severity: str) -> list[str]:
        """Diagnostic messages of one severity ("info", "warning", "error", "info#err", ...)."""
        return [message for sev, _, message in self.diagnostics if sev == severity]


class CliStack:
    """A stack of the program in `program_dir`, its state in `state_dir`, on the real CLI."""

    def __init__(
        self,
        program_dir: Path,
        state_dir: Path,
        *,
        stack_name: str = "dev",
        env: Mapping[str, str] | None = None,
        passphrase: str | None = None,
        cli: Path | None = None,
    ) -> None:
        self.program_dir = program_dir.resolve()
        self.state_dir = state_dir.resolve()
        self.stack_name = stack_name
        self.passphrase = passphrase or os.environ.get("PULUMI_CONFIG_PASSPHRASE") or DEFAULT_PASSPHRASE
        cli = cli or find_cli()
        if cli is None:
            raise RuntimeError("no Pulumi CLI: run `make pulumi` (scripts/pulumi.sh)")
        self.cli = cli
        self.backend_dir = self.state_dir / "backend"
        self.env = {
            **OFFLINE_ENV,
            **(env or {}),
            "PULUMI_BACKEND_URL": f"file://{self.backend_dir}",
            "PULUMI_CONFIG_PASSPHRASE": self.passphrase,
            "PULUMI_HOME": str(self.state_dir / "pulumi-home"),
            # The dynamic-provider host (`pulumi-resource-pulumi-python`) runs this interpreter.
            "PULUMI_PYTHON_CMD": sys.executable,
            # Last, the language hosts `make pulumi` builds (scripts/pulumi-yaml.sh), for a CLI elsewhere.
            "PATH": os.pathsep.join([str(self.cli.parent), os.environ.get("PATH", ""), str(LANGUAGE_HOSTS)]),
        }
        self._stack: auto.Stack | None = None

    # -- the stack --------------------------------------------------------------------------
    def _program(self) -> None:
        """Runs `__main__.py` as `pulumi up` would: fresh, in the program directory.

        Modules the program imported from its own directory on an earlier run are forgotten,
        so an edited helper module is read again.
        """
        for name, module in list(sys.modules.items()):
            origin = getattr(module, "__file__", None) or ""
            if origin.startswith(f"{self.program_dir}{os.sep}"):
                del sys.modules[name]
        previous, path = Path.cwd(), list(sys.path)
        os.chdir(self.program_dir)
        try:
            runpy.run_path(str(self.program_dir / "__main__.py"), run_name="__main__")
        finally:
            os.chdir(previous)
            sys.path[:] = path

    @property
    def stack(self) -> auto.Stack:
        """The Automation API stack (created on first use).

        A Python program runs inline, in this process; any other (`runtime: yaml`) is a local
        program that the CLI runs with its language host.
        """
        if self._stack is None:
            self.backend_dir.mkdir(parents=True, exist_ok=True)
            opts = auto.LocalWorkspaceOptions(
                work_dir=str(self.program_dir),
                env_vars=self.env,
                secrets_provider="passphrase",
                pulumi_command=self.command,
            )
            if self.runtime == "python":
                self._stack = auto.create_or_select_stack(
                    stack_name=self.stack_name, project_name=self.project_name, program=self._program, opts=opts
                )
            else:
                self._stack = auto.create_or_select_stack(
                    stack_name=self.stack_name, work_dir=str(self.program_dir), opts=opts
                )
        return self._stack

    @functools.cached_property
    def _project(self) -> dict[str, Any]:
        return dict(yaml.safe_load((self.program_dir / "Pulumi.yaml").read_text()))

    @property
    def project_name(self) -> str:
        """The `name:` of the program's Pulumi.yaml."""
        return str(self._project["name"])

    @property
    def runtime(self) -> str:
        """The `runtime:` of the program's Pulumi.yaml (its name: `python`, `yaml`, ...)."""
        runtime = self._project["runtime"]
        return str(runtime["name"] if isinstance(runtime, dict) else runtime)

    def configure(self, config: Mapping[str, str] = {}, secrets: Mapping[str, str] = {}) -> None:
        """Sets plain and secret stack config."""
        values = {k: auto.ConfigValue(v) for k, v in config.items()}
        values.update({k: auto.ConfigValue(v, secret=True) for k, v in secrets.items()})
        if values:
            self.stack.set_all_config(values)

    # -- operations -------------------------------------------------------------------------
    def _run(self, operation: Callable[..., Any], echo: bool, **kwargs: Any) -> Outcome:
        steps: list[Step] = []
        diagnostics: list[tuple[str, str, str]] = []
        text: list[str] = []

        def on_event(event: auto.EngineEvent) -> None:
            pre = event.resource_pre_event
            if pre is not None:
                meta = pre.metadata
                name = meta.urn.rsplit("::", 1)[-1]
                steps.append(Step(str(meta.op.value), name, meta.type, list(meta.diffs or [])))
            done = event.res_outputs_event
            if done is not None and done.metadata.op.value in REFRESH_RESULTS:
                # A refresh step's outcome arrives with its outputs: same, update or delete.
                urn = done.metadata.urn
                for step in steps:
                    if (
                        step.op == "refresh"
                        and step.name == urn.rsplit("::", 1)[-1]
                        and step.type == done.metadata.type
                    ):
                        step.op = REFRESH_RESULTS[done.metadata.op.value]
            diag = event.diagnostic_event
            if diag is not None:
                diagnostics.append((diag.severity, diag.urn or "", diag.message.strip()))

        def on_output(line: str) -> None:
            text.append(line)
            if echo:
                print(line, flush=True)

        result = operation(on_event=on_event, on_output=on_output, color="never", **kwargs)
        changes = dict(getattr(result, "change_summary", None) or {})
        summary = getattr(result, "summary", None)
        if summary is not None:
            changes = dict(summary.resource_changes or {})
        outputs = dict(getattr(result, "outputs", None) or {})
        return Outcome(steps, {str(k): int(v) for k, v in changes.items()}, outputs, diagnostics, "\n".join(text))

    def up(self, echo: bool = False, **kwargs: Any) -> Outcome:
        """`pulumi up`."""
        return self._run(self.stack.up, echo, **kwargs)

    def preview(self, echo: bool = False, **kwargs: Any) -> Outcome:
        """`pulumi preview` (writes nothing)."""
        return self._run(self.stack.preview, echo, **kwargs)

    def refresh(self, echo: bool = False, **kwargs: Any) -> Outcome:
        """`pulumi refresh`."""
        return self._run(self.stack.refresh, echo, **kwargs)

    def destroy(self, echo: bool = False, **kwargs: Any) -> Outcome:
        """`pulumi destroy`."""
        return self._run(self.stack.destroy, echo, **kwargs)

    def export(self) -> dict[str, Any]:
        """`pulumi stack export` (secrets encrypted)."""
        return dict(self.stack.export_stack().deployment or {})

    def remove(self) -> None:
        """`pulumi stack rm`."""
        self.stack.workspace.remove_stack(self.stack_name)
        self._stack = None

    @functools.cached_property
    def command(self) -> auto.PulumiCommand:
        """The Automation API's handle on this CLI."""
        command = auto.PulumiCommand(root=str(self.cli.parent.parent))
        if Path(command.command).resolve() != self.cli.resolve():
            raise RuntimeError(f"{self.cli} is not at <root>/bin/pulumi")
        return command

    def pulumi(self, *args: str) -> auto.CommandResult:
        """Any other CLI command, in the program directory with this stack's environment.

        It does not select or create the stack: name it with `--stack` where the command needs one.
        """
        self.backend_dir.mkdir(parents=True, exist_ok=True)
        return self.command.run(list(args), str(self.program_dir), self.env)


def emulator_env(port: int) -> dict[str, str]:
    """The platforms' base URLs and development credentials for an emulator on 127.0.0.1:port."""
    from pulumi_dataplatforms_emulator.cli import env_vars

    return env_vars("127.0.0.1", port)


def platform_config(env: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Stack config (plain, secret) for the dynamic providers' settings (`eloq:apiKey`, ...) whose
    environment fallback `env` sets."""
    from pulumi_dataplatforms_provider.registry import PLATFORMS

    plain: dict[str, str] = {}
    secret: dict[str, str] = {}
    for setting in (s for platform in PLATFORMS for s in platform.settings):
        if setting.env in env:
            (secret if setting.secret else plain)[setting.key] = env[setting.env]
    return plain, secret


def package_config(env: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """`platform_config` for the native plugin: the same settings under the package's namespace
    (`dataplatforms:eloqApiKey`, the plugin's provider properties)."""
    from pulumi_dataplatforms_provider.registry import PLATFORMS

    plain: dict[str, str] = {}
    secret: dict[str, str] = {}
    for setting in (s for platform in PLATFORMS for s in platform.settings):
        if setting.env in env:
            (secret if setting.secret else plain)[f"dataplatforms:{setting.provider_property}"] = env[setting.env]
    return plain, secret


def main(argv: list[str] | None = None) -> int:
    """`python -m scripts.cli_stack up|preview|refresh|destroy|rm PROGRAM_DIR`."""
    parser = argparse.ArgumentParser(prog="python -m scripts.cli_stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["up", "preview", "refresh", "destroy", "rm"])
    parser.add_argument("program", type=Path, help="a directory with Pulumi.yaml (and __main__.py, or runtime: yaml)")
    parser.add_argument("--state-dir", type=Path, help="backend and PULUMI_HOME (default .dataplatforms/cli/<name>)")
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--emulator-port", type=int, default=int(os.environ.get("EMULATOR_PORT", "8790")))
    parser.add_argument("--json", action="store_true", help="print the outcome as one JSON line at the end")
    args = parser.parse_args(argv)
    program: Path = args.program.resolve()
    settings = EmulatorSettings.of(program)
    env = {**emulator_env(args.emulator_port), **settings.environment}
    os.environ.update(env)  # the inline program runs in this process
    # A YAML program's resources are served by the native plugin, the venv's console script.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    state_dir = args.state_dir or DEFAULT_STATE / "cli" / program.name
    stack = CliStack(program, state_dir, stack_name=args.stack, env=env)
    if args.action == "rm":
        stack.remove()
        return 0
    plain, secret = platform_config(env) if stack.runtime == "python" else package_config(env)
    stack.configure({**plain, **settings.config}, {**secret, **settings.secrets})
    try:
        outcome = getattr(stack, args.action)(echo=not args.json)
    except auto.CommandError as error:
        print(str(error), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"changes": outcome.changes, "ops": outcome.ops(), "text": outcome.text}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
