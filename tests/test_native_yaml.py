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
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.ardent.client import ArdentClient
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from scripts.cli_stack import DEFAULT_PASSPHRASE, CliStack, package_config
from tests.cli_support import AerostackApi
from tests.eloq_stacks import clusters
from tests.handlers import configured
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
from tests.test_resource_properties import workbooks

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
CONNECTION_PASSWORD = "conn-pw-0001"
#: The key marking a secret in a checkpoint (`{SECRET_SIG: <secret signature>, "ciphertext": ...}`).
SECRET_SIG = "4dabf18193072939515e22adb298388d"
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


def made_out_of_band(emulator: EmulatorProcess, workbook: Path) -> dict[str, tuple[str, str]]:
    """A cluster, a Spark folder and service, an Ardent connector and a cache entry, made with the
    platforms' clients; logical name -> (type, import id)."""
    env = emulator.env()
    eloq = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    eloq.create_cluster("legacy", "us-west-1", 101)
    org_id, project_id = eloq.project_ids()
    services = configured(ServiceProvider, emulator)
    folder = services.handler.client().create_folder(
        "pricing", description="Made elsewhere", category="Finance", start_date="2026-02-01", launch_date="2027-02-01"
    )
    workbook.write_bytes(workbooks().quote_workbook(1000.0))
    service = services.create(
        dict(services.check({}, {"folder": "pricing", "name": "quote", "file": str(workbook)}).inputs)
    )
    ardent = ArdentClient(env["ARDENT_BASE_URL"], api_key=env["ARDENT_API_KEY"])
    details = {"host": "db.internal", "port": 5432, "password": CONNECTION_PASSWORD}
    connector = ardent.create_connector("postgresql", details, "warehouse")
    ardent.select_paths(connector.id, ["public.users"])
    AerostackApi(emulator).cache_set("flags", {"beta": True, "limit": 3})
    return {
        "legacy": ("dataplatforms:eloq:Cluster", f"{org_id}/{project_id}/legacy"),
        "pricing": ("dataplatforms:spark:Folder", folder.id),
        "quote": ("dataplatforms:spark:Service", service.id),
        "warehouse": ("dataplatforms:ardent:Connector", connector.id),
        "flags": ("dataplatforms:aerostack:CacheEntry", "flags"),
    }


def test_bulk_pulumi_import_of_five_resources_made_out_of_band(
    tmp_path: Path, emulator: EmulatorProcess, plugin: Path, timings: Timings
) -> None:
    """`pulumi import --file` in a YAML project: the generated declarations, completed with what read
    cannot recover (the workbook path, the connection details), make the next `up` change nothing."""
    program = tmp_path / "program"
    (program / "models").mkdir(parents=True)
    made = made_out_of_band(emulator, program / "models" / "quote.xlsx")
    (cluster,) = emulator.admin.state()["eloq"]["clusters"]
    project: dict[str, Any] = {
        "name": "imported",
        "runtime": "yaml",
        "config": {"warehousePassword": {"type": "string", "secret": True}},
        "resources": {},
    }
    (program / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    stack = CliStack(program, tmp_path / "state", passphrase=PASSPHRASE)
    plain, secret = package_config(emulator.env())
    stack.configure(plain, {**secret, "imported:warehousePassword": CONNECTION_PASSWORD})
    timings("empty up", stack.up)
    held_before = emulator.admin.state()

    listing = [{"type": kind, "name": name, "id": id_} for name, (kind, id_) in made.items()]
    (tmp_path / "resources.json").write_text(json.dumps({"resources": listing}))
    generated = tmp_path / "imported.yaml"
    emulator.admin.reset_counts()
    imported = timings(
        "import",
        lambda: stack.pulumi(
            "import", "--file", str(tmp_path / "resources.json"), "--generate-code",
            "--yes", "--stack", stack.stack_name, "--out", str(generated),
        ),
    )  # fmt: skip
    # Aerostack's cache get and Spark's folder list are POSTs that read; nothing else but GETs was sent.
    assert set(writes(emulator)) == {"POST /aerostack/v1/cache/get", "POST /spark/api/v1/product/list"}
    assert emulator.admin.state() == held_before
    assert {name: (res["type"], res["id"]) for name, res in resources(stack).items()} == made
    declared = yaml.safe_load(generated.read_text())["resources"]
    assert {name: (d["type"], d["options"]) for name, d in declared.items()} == {
        name: (kind, {"protect": True}) for name, (kind, _) in made.items()
    }
    assert {name: d["properties"] for name, d in declared.items()} == {
        "legacy": {"name": "legacy", "region": "us-west-1", "skuId": 101, "zone": "us-west-1a"},
        "pricing": {
            "name": "pricing",
            "description": "Made elsewhere",
            "category": "Finance",
            "startDate": date(2026, 2, 1),  # written unquoted: 2026-02-01
            "launchDate": date(2027, 2, 1),
        },
        # Spark holds no path of the workbook and Ardent shows no connection details: the CLI writes
        # placeholders and warns, naming the input and what to give.
        "quote": {"folder": "${pricing.name}", "name": "quote", "file": ""},
        "warehouse": {
            "serviceName": "postgresql",
            "name": "warehouse",
            "selectedPaths": ["public.users"],
            "connectionDetails": {},
        },
        "flags": {"key": "flags", "value": {"beta": True, "limit": 3}},
    }
    warned = imported.stdout + imported.stderr
    assert "property file value {<nil>} has a problem: is required. Give the path of an existing .xlsx file" in warned
    assert "property connectionDetails value {<nil>} has a problem: is required. Give a non-empty map" in warned

    # What a user adds: the workbook Spark's latest version was published from, and the connection
    # details, the password from secret config.
    declared["quote"]["properties"]["file"] = "models/quote.xlsx"
    declared["warehouse"]["properties"]["connectionDetails"] = {
        "host": "db.internal",
        "port": 5432,
        "password": "${warehousePassword}",
    }
    (program / "Pulumi.yaml").write_text(yaml.safe_dump({**project, "resources": declared}))
    emulator.admin.reset_counts()
    again = timings("up", stack.up)
    assert again.ops() == dict.fromkeys(made, "same"), again.text
    assert again.changes == {"same": len(made) + 1}
    assert writes(emulator) == {}
    assert emulator.admin.state() == held_before

    secrets = [CONNECTION_PASSWORD, cluster["admin_password"]]
    for text in (generated.read_text(), warned, again.text):
        assert not [value for value in secrets if value in text]
    assert_no_plaintext_secrets(stack, secret_values(stack, secrets))
    exported = json.loads(stack.pulumi("stack", "export", "--stack", stack.stack_name).stdout)
    recorded = {r["urn"].rsplit("::", 1)[-1]: r for r in exported["deployment"]["resources"]}
    assert set(recorded["warehouse"]["inputs"]["connectionDetails"]) == {SECRET_SIG, "ciphertext"}
    assert set(recorded["legacy"]["outputs"]["password"]) == {SECRET_SIG, "ciphertext"}

    stack.pulumi("state", "unprotect", "--all", "--yes", "--stack", stack.stack_name)
    gone = timings("destroy", stack.destroy)
    assert gone.ops() == dict.fromkeys(made, "delete")
    assert not [value for value in secrets if value in gone.text]
    assert held(emulator) == NOTHING
    assert resources(stack) == {}
