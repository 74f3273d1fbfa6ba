"""Secret inputs given as plain values, and secret outputs, are secrets in the state the real Pulumi CLI writes.

One stack declares a resource of every token with secret inputs or secret outputs; each secret
input is a plain (non-secret) value of its own. `pulumi stack export` must show every declared
secret input, in the resource's inputs and outputs, and every declared secret output as a
ciphertext object, and no plaintext may reach the backend's files.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms._resource import snake
from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.spec import ResourceSpec
from scripts.cli_stack import CliStack, platform_config
from tests.real_cli import PASSPHRASE, require_cli
from tests.test_resource_properties import CASES, base_inputs

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

SECRET_SIGNATURE = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
SPECS = [spec for spec in registry.resources() if spec.secret_inputs or spec.secret_outputs]


def logical_name(spec: ResourceSpec) -> str:
    return f"{spec.platform}-{spec.name}".lower()


def plaintext(spec: ResourceSpec, prop: str) -> str:
    """A value found nowhere else: the plain value given for one secret input."""
    return f"plain-{spec.name}-{prop}-7f3a9c"


def with_plain_secrets(spec: ResourceSpec, inputs: dict[str, Any]) -> dict[str, Any]:
    """`inputs` with each secret input set to its own plaintext, in a form the input accepts."""
    values = dict(inputs)
    for prop in spec.secret_inputs:
        secret = plaintext(spec, prop)
        if prop == "connectionString":
            values[prop] = f"mongodb://ardent:{secret}@mongo.example.com:27017"
        elif prop == "connectionDetails":
            values[prop] = {**inputs[prop], "password": secret}
        else:
            values[prop] = secret
    return values


def program(directory: Path, workdir: Path) -> Path:
    """A program declaring one resource of every token in SPECS, keyword arguments as Python names."""
    lines = ["import json", "from pulumi_dataplatforms import aerostack, ardent, eloq, spark", ""]
    for spec in SPECS:
        inputs = with_plain_secrets(spec, base_inputs(spec, CASES[spec.token], workdir))
        kwargs = {snake(key): value for key, value in inputs.items()}
        lines.append(f"{spec.platform}.{spec.name}({logical_name(spec)!r}, **json.loads({json.dumps(kwargs)!r}))")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text("name: secretinputs\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent("\n".join(lines)) + "\n")
    return directory


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and SECRET_SIGNATURE.items() <= value.items() and "ciphertext" in value


@dataclass
class Deployed:
    """The stack after `pulumi up`: its export (secrets encrypted) and its backend's files."""

    resources: dict[str, dict[str, Any]]
    exported: str
    shown: dict[str, dict[str, Any]]
    files: list[Path]


@pytest.fixture(scope="module")
def deployed(emulator_session: EmulatorProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    """One stack declaring a resource of every token in SPECS, each secret input a plain value."""
    require_cli()
    emulator_session.admin.reset()
    emulator_session.admin.delays(provision_seconds=0.0, deletion_seconds=0.0)
    tmp_path = tmp_path_factory.mktemp("secret-inputs")
    env = emulator_session.env()
    with pytest.MonkeyPatch.context() as monkeypatch:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        stack = CliStack(program(tmp_path / "program", tmp_path), tmp_path / "state", env=env, passphrase=PASSPHRASE)
        plain, secret = platform_config(env)
        stack.configure(plain, secret)
        created = stack.up()
        assert created.ops() == {logical_name(spec): "create" for spec in SPECS}
        exported = stack.pulumi("stack", "export", "--stack", stack.stack_name).stdout
        shown = json.loads(stack.pulumi("stack", "export", "--show-secrets", "--stack", stack.stack_name).stdout)
        yield Deployed(
            resources=by_name(json.loads(exported)),
            exported=exported,
            shown=by_name(shown),
            files=[path for path in stack.backend_dir.rglob("*") if path.is_file()],
        )
        stack.destroy()


def by_name(export: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["urn"].rsplit("::", 1)[-1]: r for r in export["deployment"]["resources"]}


def test_the_stack_declares_secret_inputs_and_secret_outputs() -> None:
    assert any(spec.secret_inputs for spec in SPECS) and any(spec.secret_outputs for spec in SPECS)


def test_secret_inputs_and_secret_outputs_are_secret_outputs(deployed: Deployed) -> None:
    unprotected = []
    for spec in SPECS:
        outputs = deployed.resources[logical_name(spec)]["outputs"]
        declared = (*spec.secret_inputs, *spec.secret_outputs)
        unprotected += [f"{spec.token} {prop}" for prop in declared if not is_secret(outputs.get(prop))]
    assert not unprotected, f"outputs that are not secrets in `pulumi stack export`: {unprotected}"


def test_secret_inputs_given_plain_are_secret_inputs_in_state(deployed: Deployed) -> None:
    unprotected = []
    for spec in SPECS:
        inputs = deployed.resources[logical_name(spec)]["inputs"]
        unprotected += [f"{spec.token} {prop}" for prop in spec.secret_inputs if not is_secret(inputs.get(prop))]
    assert not unprotected, f"inputs that are not secrets in `pulumi stack export`: {unprotected}"


def test_no_plaintext_of_a_secret_input_reaches_the_backend(deployed: Deployed) -> None:
    assert deployed.files, "no backend files"
    for spec in SPECS:
        for prop in spec.secret_inputs:
            value = plaintext(spec, prop)
            assert value in json.dumps(deployed.shown[logical_name(spec)]["inputs"]), "searching the wrong place"
            assert value not in deployed.exported, f"{spec.token} {prop} is in plaintext in `pulumi stack export`"
            for path in deployed.files:
                assert value not in path.read_bytes().decode(errors="replace"), f"{spec.token} {prop} is in {path}"
