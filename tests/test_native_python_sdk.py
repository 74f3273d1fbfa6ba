"""examples/python-native, a Python program on the SDK generated from schema.json (sdks/python), on
the real CLI through the native plugin, against the emulator.

The generated SDK (`pulumi_dataplatforms_native`) is pip-installed into a temporary directory put
first on sys.path (it reads its version from its installed metadata). The program runs as an
Automation API inline program in this process (scripts/cli_stack.py), so no Python language host
is needed; the engine serves its `dataplatforms:<platform>:<Resource>` types from the plugin on
PATH (`tests/native_plugin.py`), configured by stack config `dataplatforms:<platform><Setting>`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack, package_config
from tests.inventory import held
from tests.native_examples import DECLARED, NOTHING, Deployed, Timings, holding
from tests.native_plugin import plugin_on_path
from tests.real_cli import (
    EXAMPLES,
    PASSPHRASE,
    assert_no_plaintext_secrets,
    require_cli,
    resources,
    secret_values,
    writes,
)

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

PREFIX = "py"
PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_")


@pytest.fixture
def timings(request: pytest.FixtureRequest, record_property: Callable[[str, object], None]) -> Iterator[Timings]:
    recorded = Timings()
    yield recorded
    record_property("timings", recorded.seconds)
    print(f"\n{request.node.name}: {recorded.line()}")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, installed_sdk: Path) -> Path:
    """The CLI (or skip/fail), the generated SDK importable, the plugin shim first on PATH, no
    platform settings in the environment."""
    require_cli()
    monkeypatch.syspath_prepend(str(installed_sdk))
    for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
        monkeypatch.delenv(name)
    return plugin_on_path(tmp_path / "bin", monkeypatch)


def python_native_stack(tmp_path: Path, emulator: EmulatorProcess) -> CliStack:
    """A stack of a copy of examples/python-native, the emulator's settings as `dataplatforms:` stack config."""
    work = tmp_path / "python-native"
    shutil.copytree(EXAMPLES / "python-native", work, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    stack = CliStack(work, tmp_path / "state", passphrase=PASSPHRASE)
    assert stack.runtime == "python"
    plain, secret = package_config(emulator.env())
    assert "dataplatforms:eloqApiKey" in secret and "dataplatforms:sparkBaseUrl" in plain
    stack.configure(plain, secret)
    return stack


def test_the_generated_python_sdk_deploys_the_example_a_second_up_writes_nothing_and_destroy_empties_the_emulator(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    stack = python_native_stack(tmp_path, emulator)

    created = timings("up", stack.up)
    assert created.ops() == dict.fromkeys(DECLARED, "create")
    deployed = Deployed.of(emulator, PREFIX)
    cluster, folder = deployed.cluster, deployed.folder
    assert (cluster["region"], cluster["sku_type"], cluster["module_type"]) == ("us-west-1", "serverless", "EloqKV")
    assert (folder["description"], folder["category"]) == (
        "Pricing models deployed from the generated Python SDK",
        "Finance",
    )
    assert deployed.entry == {
        "value": {"theme": "light", "signupOpen": True, "maxPostLength": 500, "cluster": f"{PREFIX}-cache"},
        "expires_at": None,
    }
    outputs = {name: value.value for name, value in created.outputs.items()}
    assert created.outputs["password"].secret
    assert outputs == deployed.expected_outputs(PREFIX)

    # The native types, from the plugin's default provider at the version the generated SDK asks for.
    assert {name: res["type"] for name, res in resources(stack).items()} == DECLARED
    providers = [r for r in stack.export()["resources"] if r["type"].startswith("pulumi:providers:")]
    assert [(p["type"], p["inputs"].get("version")) for p in providers] == [("pulumi:providers:dataplatforms", "0.1.0")]
    assert_no_plaintext_secrets(stack, secret_values(stack, [outputs["password"]]))

    emulator.admin.reset_counts()
    again = timings("second up", stack.up)
    assert again.ops() == dict.fromkeys(DECLARED, "same")
    assert again.changes == {"same": len(DECLARED) + 1}
    assert writes(emulator) == {}
    assert held(emulator) == holding(PREFIX)

    gone = timings("destroy", stack.destroy)
    assert gone.ops() == dict.fromkeys(DECLARED, "delete")
    # The cache entry (Aerostack has no delete endpoint) is nulled and expiring, so held() leaves it out.
    assert held(emulator) == NOTHING
    assert resources(stack) == {}
