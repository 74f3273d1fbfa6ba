"""The package's functions from Pulumi YAML (`fn::invoke`) on the real CLI, through the native plugin.

The programs run with the YAML language host and the plugin shim on PATH (as tests/test_native_yaml.py),
against the emulator; what they export is compared with what the emulator lists through the project's
client. Each test prints how long each CLI operation took.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pulumi import automation as auto

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_emulator.services.eloq.catalog import OTHER_API_KEY
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.eloq.skus import GET_SKUS
from scripts.cli_stack import CliStack, package_config
from tests.eloq_stacks import clusters
from tests.native_plugin import plugin_on_path
from tests.real_cli import PASSPHRASE, require_yaml_host
from tests.test_native_yaml import PLATFORM_VARIABLES, Timings

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

#: Calls of getSkus beside the documented example's: no arguments (the defaults), and every argument.
EXTRA_VARIABLES: dict[str, Any] = {
    "defaultSkus": {"fn::invoke": {"function": GET_SKUS.token, "return": "skus"}},
    "gcpDocSkus": {
        "fn::invoke": {
            "function": GET_SKUS.token,
            "arguments": {"type": "dedicated", "module": "eloqdoc", "cloud": "gcp"},
            "return": "skus",
        }
    },
}

TWO_PROVIDERS: dict[str, Any] = {
    "name": "two-orgs",
    "runtime": "yaml",
    "config": {
        "baseUrl": {"type": "string"},
        "keyA": {"type": "string", "secret": True},
        "keyB": {"type": "string", "secret": True},
    },
    "resources": {
        org: {
            "type": "pulumi:providers:dataplatforms",
            "properties": {"eloqApiKey": f"${{key{org[-1]}}}", "eloqBaseUrl": "${baseUrl}"},
        }
        for org in ("orgA", "orgB")
    },
    "variables": {
        f"skus{org[-1]}": {
            "fn::invoke": {
                "function": GET_SKUS.token,
                "arguments": {"type": "dedicated"},
                "options": {"provider": f"${{{org}}}"},
                "return": "skus",
            }
        }
        for org in ("orgA", "orgB")
    },
    "outputs": {"skusA": "${skusA}", "skusB": "${skusB}"},
}


@pytest.fixture
def timings(request: pytest.FixtureRequest) -> Iterator[Timings]:
    recorded = Timings()
    yield recorded
    print(f"\n{request.node.name}: {recorded.line()}")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The YAML host (or skip/fail), the plugin shim first on PATH, no platform settings in the environment."""
    require_yaml_host()
    for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
        monkeypatch.delenv(name)
    return plugin_on_path(tmp_path / "bin", monkeypatch)


def yaml_stack(tmp_path: Path, project: dict[str, Any]) -> CliStack:
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False))
    stack = CliStack(program, tmp_path / "state", passphrase=PASSPHRASE)
    assert stack.runtime == "yaml"
    return stack


def listed(emulator: EmulatorProcess, sku_type: str, module: str, cloud: str) -> list[dict[str, Any]]:
    """The SKUs the emulator lists, through the project's client, as the engine's JSON gives them back."""
    env = emulator.env()
    client = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    try:
        return [sku.model_dump(mode="json", by_alias=True) for sku in client.list_skus(sku_type, module, cloud)]
    finally:
        client.close()


def test_the_documented_get_skus_example_runs_and_exports_what_the_emulator_holds(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    """The schema's (and the docs') YAML example, verbatim, plus calls with no and with every argument."""
    example = yaml.safe_load(GET_SKUS.example)
    variables = {**example["variables"], **EXTRA_VARIABLES}
    outputs = {**example["outputs"], "defaultSkus": "${defaultSkus}", "gcpDocSkus": "${gcpDocSkus}"}
    project = {"name": "get-skus", "runtime": "yaml", **example, "variables": variables, "outputs": outputs}
    stack = yaml_stack(tmp_path, project)
    stack.configure(*package_config(emulator.env()))

    created = timings("up", stack.up)
    values = {name: output.value for name, output in created.outputs.items()}
    dedicated_doc_aws = listed(emulator, "dedicated", "eloqdoc", "aws")
    assert values["skuName"] == dedicated_doc_aws[0]["skuName"]
    assert values["clusterSkuId"] == dedicated_doc_aws[0]["skuId"]
    assert values["defaultSkus"] == listed(emulator, "serverless", "eloqkv", "aws")
    assert values["gcpDocSkus"] == listed(emulator, "dedicated", "eloqdoc", "gcp")
    assert values["defaultSkus"] != values["gcpDocSkus"]
    assert not any(output.secret for output in created.outputs.values())
    (cluster_name,) = clusters(emulator)
    assert cluster_name.startswith("docs-")

    timings("destroy", stack.destroy)
    assert clusters(emulator) == {}


def test_two_explicit_providers_answer_with_their_own_api_keys(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    """The default provider has no key, so each answer came from the provider given as the `provider` option;
    a provider whose key Eloq refuses fails the program with Eloq's error in the project's format."""
    env = emulator.env()
    stack = yaml_stack(tmp_path, TWO_PROVIDERS)
    stack.configure(
        {"two-orgs:baseUrl": env["ELOQ_BASE_URL"]},
        {"two-orgs:keyA": env["ELOQ_API_KEY"], "two-orgs:keyB": OTHER_API_KEY},
    )
    created = timings("up", stack.up)
    expected = listed(emulator, "dedicated", "eloqkv", "aws")
    assert created.outputs["skusA"].value == expected
    assert created.outputs["skusB"].value == expected

    stack.configure({}, {"two-orgs:keyB": "not-an-eloq-key"})
    with pytest.raises(auto.CommandError) as failed:
        timings("preview, refused key", stack.preview)
    message = str(failed.value)
    assert "Eloq API error 401" in message and "skus-by-args" in message, message[-3000:]
    assert "not-an-eloq-key" not in message


def test_a_bad_argument_fails_the_program_naming_it_before_any_request(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    call = {"fn::invoke": {"function": GET_SKUS.token, "arguments": {"type": "large"}, "return": "skus"}}
    stack = yaml_stack(tmp_path, {"name": "bad-call", "runtime": "yaml", "variables": {"skus": call}})
    stack.configure(*package_config(emulator.env()))
    emulator.admin.reset_counts()
    with pytest.raises(auto.CommandError) as failed:
        timings("preview", stack.preview)
    message = str(failed.value)
    assert "type" in message and "Use 'serverless' or 'dedicated'" in message, message[-3000:]
    routes: dict[str, int] = emulator.admin.request_counts()["routes"]
    assert not any("skus-by-args" in route and n for route, n in routes.items())
