"""examples/yaml, a Pulumi YAML program, on the real CLI through the native plugin, against the emulator.

The program is a local (not inline) program: the CLI runs it with its YAML language host
(`pulumi-language-yaml`, which `make pulumi` builds next to the CLI: scripts/pulumi-yaml.sh), and
the engine serves its `dataplatforms:<platform>:<Resource>` types from the plugin on PATH
(`tests/native_plugin.py`), configured by stack config `dataplatforms:<platform><Setting>` alone.
Each test prints how long each CLI operation took.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from scripts.cli_stack import DEFAULT_PASSPHRASE, CliStack, package_config
from tests.eloq_stacks import clusters
from tests.inventory import KINDS, held
from tests.native_plugin import plugin_on_path
from tests.real_cli import (
    EXAMPLES,
    PASSPHRASE,
    REPO,
    assert_no_plaintext_secrets,
    require_yaml_host,
    resources,
    secret_values,
    writes,
)

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

T = TypeVar("T")
#: Logical name -> type token of what examples/yaml declares.
DECLARED = {
    "cache": "dataplatforms:eloq:Cluster",
    "models": "dataplatforms:spark:Folder",
    "settings": "dataplatforms:aerostack:CacheEntry",
}
#: What the emulator holds after `up` with the default `prefix` (tests/inventory.py kinds).
NOTHING: dict[str, list[str]] = {kind: [] for kind in KINDS}
HELD = {**NOTHING, "clusters": ["yaml-cache"], "folders": ["yaml-models"], "cache": ["yaml:settings"]}
PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_")


class Timings:
    """Seconds per CLI operation, printed at the end of the test and kept as a JUnit property."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, label: str, operation: Callable[[], T]) -> T:
        started = time.monotonic()
        try:
            return operation()
        finally:
            self.seconds[label] = round(time.monotonic() - started, 2)

    def line(self) -> str:
        return ", ".join(f"{label} {seconds:.1f} s" for label, seconds in self.seconds.items())


@pytest.fixture
def timings(request: pytest.FixtureRequest, record_property: Callable[[str, object], None]) -> Iterator[Timings]:
    recorded = Timings()
    yield recorded
    record_property("timings", recorded.seconds)
    print(f"\n{request.node.name}: {recorded.line()}")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The YAML host (or skip/fail), the plugin shim first on PATH, no platform settings in the environment."""
    require_yaml_host()
    for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
        monkeypatch.delenv(name)
    return plugin_on_path(tmp_path / "bin", monkeypatch)


def yaml_stack(tmp_path: Path, emulator: EmulatorProcess) -> CliStack:
    """A stack of a copy of examples/yaml, the emulator's settings as `dataplatforms:` stack config."""
    work = tmp_path / "yaml"
    shutil.copytree(EXAMPLES / "yaml", work, ignore=shutil.ignore_patterns("Pulumi.*.yaml"))
    stack = CliStack(work, tmp_path / "state", passphrase=PASSPHRASE)
    assert stack.runtime == "yaml"
    plain, secret = package_config(emulator.env())
    assert "dataplatforms:eloqApiKey" in secret and "dataplatforms:sparkBaseUrl" in plain
    stack.configure(plain, secret)
    return stack


def test_up_creates_what_the_yaml_program_declares_a_second_up_writes_nothing_and_destroy_empties_the_emulator(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    stack = yaml_stack(tmp_path, emulator)

    previewed = timings("preview", stack.preview)
    assert previewed.ops() == dict.fromkeys(DECLARED, "create")
    assert held(emulator) == NOTHING

    created = timings("up", stack.up)
    assert created.ops() == dict.fromkeys(DECLARED, "create")
    assert held(emulator) == HELD
    state = emulator.admin.state()
    (cluster,) = state["eloq"]["clusters"]
    (folder,) = state["spark"]["folders"].values()
    (entry,) = [docs["yaml:settings"] for bucket, docs in state["aerostack"].items() if bucket.startswith("cache:")]
    assert (cluster["region"], cluster["sku_type"], cluster["module_type"]) == ("us-west-1", "serverless", "EloqKV")
    assert (folder["description"], folder["category"]) == ("Pricing models deployed from Pulumi YAML", "Finance")
    assert entry == {
        "value": {"theme": "light", "signupOpen": True, "maxPostLength": 500, "cluster": "yaml-cache"},
        "expires_at": None,
    }

    outputs = {name: value.value for name, value in created.outputs.items()}
    assert created.outputs["password"].secret and outputs["password"] == cluster["admin_password"]
    assert outputs == {
        "clusterName": "yaml-cache",
        "endpoint": f"{cluster['elb_addr']}:{cluster['elb_port']}",
        "status": "available",
        "password": cluster["admin_password"],
        "folderId": folder["id"],
        "settingsKey": "yaml:settings",
    }
    # The native types, served by the plugin's default provider (not the dynamic-provider host).
    assert {name: res["type"] for name, res in resources(stack).items()} == DECLARED
    providers = [r["type"] for r in stack.export()["resources"] if r["type"].startswith("pulumi:providers:")]
    assert providers == ["pulumi:providers:dataplatforms"]
    assert_no_plaintext_secrets(stack, secret_values(stack, [outputs["password"]]))

    emulator.admin.reset_counts()
    again = timings("second up", stack.up)
    assert again.ops() == dict.fromkeys(DECLARED, "same")
    assert again.changes == {"same": len(DECLARED) + 1}
    assert writes(emulator) == {}

    gone = timings("destroy", stack.destroy)
    assert gone.ops() == dict.fromkeys(DECLARED, "delete")
    # The cache entry (Aerostack has no delete endpoint) is nulled and expiring, so held() leaves it out.
    assert held(emulator) == NOTHING
    assert resources(stack) == {}


def test_make_up_runs_the_yaml_example(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    """What `make up EXAMPLE=yaml` / `make down` run (scripts/cli_stack.py) set the `dataplatforms:` config themselves."""
    work = tmp_path / "yaml"
    shutil.copytree(EXAMPLES / "yaml", work, ignore=shutil.ignore_patterns("Pulumi.*.yaml"))

    def cli_stack(action: str) -> dict[str, Any]:
        command = [sys.executable, "-m", "scripts.cli_stack", action, str(work), "--json"]
        command += ["--state-dir", str(tmp_path / "state"), "--emulator-port", str(emulator.port)]
        env = {**os.environ, "PULUMI_CONFIG_PASSPHRASE": DEFAULT_PASSPHRASE}
        done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        outcome: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return outcome

    assert timings("cli_stack up", lambda: cli_stack("up"))["ops"] == dict.fromkeys(DECLARED, "create")
    assert held(emulator) == HELD
    assert timings("cli_stack destroy", lambda: cli_stack("destroy"))["ops"] == dict.fromkeys(DECLARED, "delete")
    assert held(emulator) == NOTHING


def test_pulumi_import_generates_the_yaml_of_a_cluster_made_out_of_band_and_the_next_up_is_a_no_op(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    """`pulumi import <type> <name> <id>` in a YAML project: the CLI reads the cluster by id through the
    plugin, records it, and the YAML language host writes its declaration; that declaration, added to
    the program, makes the next `up` change nothing."""
    env = emulator.env()
    client = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    client.create_cluster("legacy", "us-west-1", 101)
    org_id, project_id = client.project_ids()
    program = tmp_path / "program"
    program.mkdir()
    project = {"name": "imported", "runtime": "yaml", "resources": {}}
    (program / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    stack = CliStack(program, tmp_path / "state", passphrase=PASSPHRASE)
    stack.configure(*package_config(env))
    timings("empty up", stack.up)

    generated = tmp_path / "imported.yaml"
    timings(
        "import",
        lambda: stack.pulumi(
            "import", "dataplatforms:eloq:Cluster", "legacy", f"{org_id}/{project_id}/legacy",
            "--yes", "--stack", stack.stack_name, "--out", str(generated),
        ),
    )  # fmt: skip
    declared = yaml.safe_load(generated.read_text())["resources"]
    assert declared["legacy"]["type"] == "dataplatforms:eloq:Cluster"
    assert declared["legacy"]["properties"] == {
        "name": "legacy",
        "region": "us-west-1",
        "skuId": 101,
        "zone": "us-west-1a",
    }
    assert declared["legacy"]["options"] == {"protect": True}, "an import is protected, as Pulumi does"

    (program / "Pulumi.yaml").write_text(yaml.safe_dump({**project, "resources": declared}))
    emulator.admin.reset_counts()
    again = timings("up", stack.up)
    assert again.ops() == {"legacy": "same"}, again.text
    assert writes(emulator) == {}
    stack.pulumi("state", "unprotect", "--all", "--yes", "--stack", stack.stack_name)
    timings("destroy", stack.destroy)
    assert clusters(emulator) == {}
