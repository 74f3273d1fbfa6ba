"""Support for the tests that run programs through the real Pulumi CLI against the test emulator.

`require_cli()` finds the CLI `make pulumi` recorded; without one the test is skipped, saying
why, except where a Go toolchain could have built it (then the test fails: `make pulumi` broke).
`require_yaml_host()` does the same for the YAML language host that `runtime: yaml` programs need.
`example_stack()` copies an example into a temporary directory and returns a `CliStack` of it
configured for the emulator the way `make up` configures it.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import LANGUAGE_HOSTS, CliStack, EmulatorSettings, find_cli, platform_config

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
PASSPHRASE = "real-cli-test-passphrase"


def require_cli() -> Path:
    """The Pulumi CLI, or skip (no CLI and no way to build one) / fail (Go is here, so `make pulumi` broke)."""
    cli = find_cli()
    if cli is not None:
        return cli
    if shutil.which("go") is not None:
        pytest.fail("a Go toolchain is here but no Pulumi CLI was recorded: run `make pulumi` (scripts/pulumi.sh)")
    pytest.skip("no Pulumi CLI: none on PATH, no installer reachable and no Go toolchain to build one")


YAML_HOST = "pulumi-language-yaml"
NO_YAML_HOST = "no pulumi-language-yaml: none beside the Pulumi CLI or on PATH, and no Go toolchain to build one"


def require_yaml_host() -> Path:
    """The YAML language host the CLI will use, or skip / fail as `require_cli` does.

    `make pulumi` builds it into .pulumi/bin (scripts/pulumi-yaml.sh), beside the CLI it built; the
    CLI also finds one on PATH.
    """
    cli = require_cli()
    for directory in (cli.parent, LANGUAGE_HOSTS):  # CliStack puts LANGUAGE_HOSTS last on PATH
        beside = directory / YAML_HOST
        if beside.is_file() and os.access(beside, os.X_OK):
            return beside
    on_path = shutil.which(YAML_HOST)
    if on_path is not None:
        return Path(on_path)
    if shutil.which("go") is not None:
        pytest.fail(
            f"a Go toolchain is here but no {YAML_HOST} beside {cli}: run `make pulumi` "
            "(scripts/pulumi-yaml.sh; its build log is .pulumi/build-yaml/build.log)"
        )
    pytest.skip(NO_YAML_HOST)


CODEGEN_HOSTS = REPO / ".pulumi" / "codegen"
NO_CODEGEN_HOST = "no codegen language host in .pulumi/codegen and no Go toolchain to build one"


def require_codegen_host() -> Path:
    """The CLI plus the codegen-only language hosts `pulumi package gen-sdk` needs here, or skip / fail
    as `require_cli` does.

    `make pulumi` builds them into .pulumi/codegen (scripts/codegen-host.sh); they stand in for the
    official pulumi-language-python and pulumi-language-nodejs, which cannot be had here.
    """
    cli = require_cli()
    hosts = [CODEGEN_HOSTS / f"pulumi-language-{language}" for language in ("python", "nodejs")]
    if all(host.is_file() and os.access(host, os.X_OK) for host in hosts):
        return cli
    if shutil.which("go") is not None:
        pytest.fail(
            f"a Go toolchain is here but no codegen language host in {CODEGEN_HOSTS}: run `make pulumi` "
            "(scripts/codegen-host.sh; its build log is .pulumi/codegen/build/build.log)"
        )
    pytest.skip(NO_CODEGEN_HOST)


def example_stack(
    tmp_path: Path,
    example: str,
    emulator: EmulatorProcess,
    monkeypatch: pytest.MonkeyPatch,
    *,
    stack_name: str = "dev",
) -> CliStack:
    """A stack of a copy of `examples/<example>` on the real CLI, configured for `emulator`.

    The platforms' settings go into stack config (credentials as secrets) and, with the
    example's `emulator.yaml` environment, into this process's environment, where the inline
    program runs.
    """
    require_cli()
    work = tmp_path / example
    shutil.copytree(EXAMPLES / example, work, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    settings = EmulatorSettings.of(work)
    env = {**emulator.env(), **settings.environment}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    stack = CliStack(work, tmp_path / "state", stack_name=stack_name, env=env, passphrase=PASSPHRASE)
    plain, secret = platform_config(env)
    stack.configure({**plain, **settings.config}, {**secret, **settings.secrets})
    return stack


def writes(emulator: EmulatorProcess) -> dict[str, int]:
    """Requests other than GET/HEAD the emulator served since its counts were last reset, by route."""
    routes: dict[str, int] = emulator.admin.request_counts()["routes"]
    return {route: n for route, n in routes.items() if not route.startswith(("GET ", "HEAD ")) and n}


def secret_values(stack: CliStack, extra: Iterable[str] = ()) -> list[str]:
    """Every secret value the stack was given: its secret config plus `extra`."""
    values = [v.value for v in stack.stack.get_all_config().values() if v.secret]
    return [v for v in [*values, *extra] if v]


def assert_no_plaintext_secrets(stack: CliStack, secrets: Iterable[str]) -> None:
    """No secret in the backend's files, the stack config file or `pulumi stack export`; all in `--show-secrets`."""
    secrets = list(secrets)
    assert secrets, "nothing to look for"
    files = [p for p in stack.backend_dir.rglob("*") if p.is_file()]
    files += list(stack.program_dir.glob("Pulumi.*.yaml"))
    assert any(p.suffix == ".json" for p in files), f"no checkpoint under {stack.backend_dir}"
    for path in files:
        text = path.read_bytes().decode(errors="replace")
        for value in secrets:
            assert value not in text, f"a secret ({value[:4]}...) is in plaintext in {path}"
    exported = stack.pulumi("stack", "export", "--stack", stack.stack_name).stdout
    shown = stack.pulumi("stack", "export", "--show-secrets", "--stack", stack.stack_name).stdout
    for value in secrets:
        assert value not in exported, f"a secret ({value[:4]}...) is in plaintext in `pulumi stack export`"
    state_secrets = [v for v in secrets if v in shown]
    assert state_secrets, (
        "`pulumi stack export --show-secrets` shows none of the secrets: the search looked in the wrong place"
    )


def resources(stack: CliStack) -> dict[str, dict[str, Any]]:
    """Logical name -> checkpoint resource, for the stack's non-provider, non-stack resources."""
    out: dict[str, dict[str, Any]] = {}
    for res in stack.export().get("resources", []):
        kind = res["type"]
        if kind.startswith("pulumi:providers:") or kind == "pulumi:pulumi:Stack":
            continue
        out[res["urn"].rsplit("::", 1)[-1]] = res
    return out


def shown_outputs(text: str) -> dict[str, str]:
    """The `Outputs:` block of the CLI's text: name -> value as displayed."""
    block = text.split("\nOutputs:\n", 1)[1].split("\n\n", 1)[0]
    lines = (re.fullmatch(r"\s+(\w+)\s*: (.*)", line) for line in block.splitlines())
    return {match[1]: match[2] for match in lines if match}


def environ_with(**values: str) -> dict[str, str]:
    """os.environ plus `values` (for subprocesses)."""
    return {**os.environ, **values}
