"""The native provider plugin (`pulumi-resource-dataplatforms`) on the real Pulumi CLI, against the emulator.

The programs register resources by type token (`pulumi.CustomResource("dataplatforms:eloq:Cluster", ...)`),
so the engine loads the plugin found on PATH (`scripts/native_plugin.py` writes a shim for this
checkout) rather than the dynamic-provider host. The provider's settings are stack config under the
package's namespace (`dataplatforms:eloqApiKey`), or the properties of explicit providers. The
plugin records what the engine sent (`PULUMI_DATAPLATFORMS_NATIVE_TRACE`), never values.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_emulator.services.eloq.catalog import OTHER_API_KEY
from pulumi_dataplatforms_provider.aerostack.cache_entry import CacheEntryProvider
from pulumi_dataplatforms_provider.ardent.client import ArdentClient
from pulumi_dataplatforms_provider.core import NotFoundError
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.native.trace import TRACE_ENV
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from scripts.cli_stack import CliStack
from tests.eloq_stacks import clusters
from tests.handlers import configured
from tests.native_plugin import plugin_on_path
from tests.real_cli import PASSPHRASE, assert_no_plaintext_secrets, require_cli, writes
from tests.test_resource_properties import workbooks

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

#: The key marking a secret in a checkpoint (`{SECRET_SIG: <secret signature>, "ciphertext": ...}`).
SECRET_SIG = "4dabf18193072939515e22adb298388d"

CLUSTER = """
import pulumi

cfg = pulumi.Config()
cluster = pulumi.CustomResource(
    "dataplatforms:eloq:Cluster",
    "cache",
    {"name": "native-cache", "region": "us-west-1", "skuId": 101, "password": None, "host": None, "status": None},
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create=cfg.get("createTimeout"))),
)
pulumi.export("host", cluster.host)
pulumi.export("status", cluster.status)
pulumi.export("password", cluster.password)
"""

TWO_PROVIDERS = """
import pulumi

cfg = pulumi.Config()
for org in ("a", "b"):
    provider = pulumi.ProviderResource(
        "dataplatforms",
        f"org-{org}",
        {"eloqApiKey": cfg.require_secret(f"key{org.upper()}"), "eloqBaseUrl": cfg.require("baseUrl")},
    )
    cluster = pulumi.CustomResource(
        "dataplatforms:eloq:Cluster",
        f"cache-{org}",
        {"name": f"cache-{org}", "region": "us-west-1", "skuId": 101, "orgName": None},
        opts=pulumi.ResourceOptions(provider=provider),
    )
    pulumi.export(f"org-{org}", cluster.orgName)
"""


@pytest.fixture
def trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The plugin on PATH, no platform settings in the environment, and the file the plugin traces into."""
    require_cli()
    plugin_on_path(tmp_path / "bin", monkeypatch)
    for name in [n for n in os.environ if n.startswith(("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_"))]:
        monkeypatch.delenv(name)
    path = tmp_path / "trace.jsonl"
    monkeypatch.setenv(TRACE_ENV, str(path))
    return path


def native_stack(tmp_path: Path, body: str, emulator: EmulatorProcess, *, package_config: bool = True) -> CliStack:
    """A stack of the inline program `body`; with `package_config`, the Eloq settings as `dataplatforms:` config."""
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: native\nruntime: python\n")
    (program / "__main__.py").write_text(textwrap.dedent(body))
    stack = CliStack(program, tmp_path / "state", env={TRACE_ENV: os.environ[TRACE_ENV]}, passphrase=PASSPHRASE)
    env = emulator.env()
    if package_config:
        stack.configure(
            {"dataplatforms:eloqBaseUrl": env["ELOQ_BASE_URL"]}, {"dataplatforms:eloqApiKey": env["ELOQ_API_KEY"]}
        )
    return stack


def traced(path: Path, method: str) -> list[dict[str, Any]]:
    """The requests of `method` the plugin recorded."""
    lines = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return [line for line in lines if line["method"] == method]


def test_up_creates_the_cluster_a_second_up_changes_nothing_and_destroy_removes_it(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    stack = native_stack(tmp_path, CLUSTER, emulator)
    previewed = stack.preview()
    assert previewed.ops() == {"cache": "create"} and clusters(emulator) == {}
    assert not traced(trace, "Create"), "supports_preview=False: the engine does not call Create in a preview"
    created = stack.up()
    assert created.ops() == {"cache": "create"}
    held = clusters(emulator)
    assert set(held) == {"native-cache"}
    assert (held["native-cache"]["region"], held["native-cache"]["sku_id"]) == ("us-west-1", 101)
    assert created.outputs["status"].value == "available"
    assert created.outputs["host"].value.startswith("native-cache")
    requested = [(sev, urn) for sev, urn, message in created.diagnostics if "create requested" in message]
    assert requested == [("info", "urn:pulumi:dev::native::dataplatforms:eloq:Cluster::cache")], created.diagnostics

    configured = traced(trace, "Configure")
    assert configured and configured[0]["args"] == {"eloqApiKey": "secret", "eloqBaseUrl": "plain"}
    assert traced(trace, "Create")[0]["timeout"] == 0  # no customTimeouts given

    emulator.admin.reset_counts()
    again = stack.up()
    assert again.ops() == {"cache": "same"}
    assert again.changes == {"same": 2}
    assert writes(emulator) == {}

    stack.destroy()
    assert clusters(emulator) == {}


def test_the_cluster_password_is_a_secret_in_outputs_and_state(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    stack = native_stack(tmp_path, CLUSTER, emulator)
    created = stack.up()
    password = created.outputs["password"]
    assert password.secret and password.value
    exported = json.loads(stack.pulumi("stack", "export", "--stack", stack.stack_name).stdout)
    (state,) = [r for r in exported["deployment"]["resources"] if r["type"] == "dataplatforms:eloq:Cluster"]
    for key in ("password", "username", "connectionString"):
        assert set(state["outputs"][key]) == {SECRET_SIG, "ciphertext"}, key
    assert_no_plaintext_secrets(stack, [password.value, emulator.env()["ELOQ_API_KEY"]])
    stack.destroy()


def test_custom_timeouts_bound_the_handler(tmp_path: Path, emulator: EmulatorProcess, trace: Path) -> None:
    # The handler's clean-up waits for the cluster to finish provisioning before deleting it.
    emulator.admin.delays(provision_seconds=10.0)
    stack = native_stack(tmp_path, CLUSTER, emulator)
    stack.configure({"native:createTimeout": "1s"})
    with pytest.raises(Exception, match=r"eloq cluster native-cache: still \w+ after 1s"):
        stack.up()
    assert traced(trace, "Create")[0]["timeout"] == 1.0
    assert clusters(emulator) == {}, "the create that timed out removed its half-made cluster"


def test_two_explicit_providers_with_two_api_keys_each_see_only_their_own_cluster(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    env = emulator.env()
    stack = native_stack(tmp_path, TWO_PROVIDERS, emulator, package_config=False)
    stack.configure(
        {"native:baseUrl": env["ELOQ_BASE_URL"]}, {"native:keyA": env["ELOQ_API_KEY"], "native:keyB": OTHER_API_KEY}
    )
    created = stack.up()
    assert created.ops() == {"cache-a": "create", "cache-b": "create"}
    providers = [s.name for s in created.steps if s.type == "pulumi:providers:dataplatforms" and s.op == "create"]
    assert sorted(providers) == ["org-a", "org-b"]
    held = clusters(emulator)
    assert {name: c["org_id"] for name, c in held.items()} == {"cache-a": 1, "cache-b": 2}
    assert created.outputs["org-a"].value != created.outputs["org-b"].value

    for key, own, other in ((env["ELOQ_API_KEY"], "cache-a", "cache-b"), (OTHER_API_KEY, "cache-b", "cache-a")):
        client = EloqClient(key, env["ELOQ_BASE_URL"])
        client.describe_cluster(own)
        with pytest.raises(NotFoundError):
            client.describe_cluster(other)
    assert len({line["pid"] for line in traced(trace, "Configure")}) >= 2, "one plugin process per provider"

    assert stack.up().changes == {"same": 5}
    stack.destroy()
    assert clusters(emulator) == {}


IMPORTED = """
import pulumi

cluster = pulumi.CustomResource(
    "dataplatforms:eloq:Cluster",
    "legacy",
    {"name": "legacy", "region": "us-west-1", "skuId": 101, "zone": "us-west-1a", "password": None},
    opts=pulumi.ResourceOptions(import_=pulumi.Config().get("importId")),
)
pulumi.export("password", cluster.password)
"""


def out_of_band_cluster(tmp_path: Path, emulator: EmulatorProcess) -> tuple[CliStack, str]:
    """A cluster `legacy` made with the Eloq client, and a stack whose program imports it by id."""
    env = emulator.env()
    client = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    client.create_cluster("legacy", "us-west-1", 101)
    org_id, project_id = client.project_ids()
    cluster_id = f"{org_id}/{project_id}/legacy"
    stack = native_stack(tmp_path, IMPORTED, emulator)
    stack.configure({"native:importId": cluster_id})
    return stack, cluster_id


def test_import_reads_a_cluster_made_out_of_band_from_its_id(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    """The `import` resource option: what `pulumi import` does, without the language plugin it needs here.

    Read gets the id and no state; the handler finds the cluster and its SKU, so the program's
    inputs match what was read and the next `up` changes nothing.
    """
    stack, cluster_id = out_of_band_cluster(tmp_path, emulator)

    imported = stack.up()
    assert imported.ops() == {"legacy": "import"}, imported.text
    assert imported.outputs["password"].secret
    (read,) = traced(trace, "Read")
    assert (read["id"], read["properties"], read["inputs"]) == (cluster_id, {}, {})

    stack.stack.remove_config("native:importId")
    emulator.admin.reset_counts()
    after = stack.up()
    assert after.ops() == {"legacy": "same"}, after.text
    assert writes(emulator) == {}
    stack.destroy()
    assert clusters(emulator) == {}


ON_THE_DYNAMIC_PATH = """
import pulumi

from pulumi_dataplatforms import eloq

cluster = eloq.Cluster("cache", name="moving", region="us-west-1", sku_id=101)
pulumi.export("host", cluster.host)
"""

ON_THE_NATIVE_PATH = """
import pulumi

cfg = pulumi.Config()
cluster = pulumi.CustomResource(
    "dataplatforms:eloq:Cluster",
    "cache",
    {"name": "moving", "region": "us-west-1", "skuId": 101, "host": None},
    opts=pulumi.ResourceOptions(import_=cfg.get("importId")),
)
pulumi.export("host", cluster.host)
"""


def test_a_stack_moves_from_the_dynamic_path_to_the_native_plugin_without_recreating_its_cluster(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    """What the README prescribes: forget the dynamic resource in state, then import it on the native path by id."""
    env = emulator.env()
    stack = native_stack(tmp_path, ON_THE_DYNAMIC_PATH, emulator)
    stack.configure({"eloq:baseUrl": env["ELOQ_BASE_URL"]}, {"eloq:apiKey": env["ELOQ_API_KEY"]})
    before = stack.up()
    assert before.ops() == {"cache": "create"}
    (dynamic,) = [r for r in stack.export()["resources"] if r["type"].endswith("dynamic/eloq:Cluster")]
    created_at = clusters(emulator)["moving"]["created_at"]

    stack.pulumi("state", "delete", dynamic["urn"], "--stack", stack.stack_name, "--yes")
    (stack.program_dir / "__main__.py").write_text(textwrap.dedent(ON_THE_NATIVE_PATH))
    stack.configure({"native:importId": dynamic["id"]})
    emulator.admin.reset_counts()
    moved = stack.up()
    assert moved.ops() == {"cache": "import"}, moved.text
    assert moved.outputs["host"].value == before.outputs["host"].value
    stack.stack.remove_config("native:importId")
    assert stack.up().ops() == {"cache": "same"}
    assert writes(emulator) == {}, "the move sent the platform no write"
    assert clusters(emulator)["moving"]["created_at"] == created_at, "the same cluster, not a new one"
    (native,) = [r for r in stack.export()["resources"] if r["type"] == "dataplatforms:eloq:Cluster"]
    assert native["id"] == dynamic["id"]
    stack.destroy()
    assert clusters(emulator) == {}


IMPORTED_OTHERS = """
import pulumi

cfg = pulumi.Config()
folder = pulumi.CustomResource(
    "dataplatforms:spark:Folder",
    "shared",
    {
        "name": "shared",
        "description": "Made elsewhere",
        "category": "Other",
        "startDate": "2026-02-01",
        "launchDate": "2027-02-01",
        "folderId": None,
    },
    opts=pulumi.ResourceOptions(import_=cfg.get("folderId")),
)
entry = pulumi.CustomResource(
    "dataplatforms:aerostack:CacheEntry",
    "flags",
    {"key": "flags", "value": {"beta": True}},
    opts=pulumi.ResourceOptions(import_=cfg.get("entryId")),
)
pulumi.export("folderId", folder.folderId)
"""


def test_import_of_a_spark_folder_and_a_cache_entry_made_out_of_band(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    folders, entries = configured(FolderProvider, emulator), configured(CacheEntryProvider, emulator)
    made = {"name": "shared", "description": "Made elsewhere", "startDate": "2026-02-01", "launchDate": "2027-02-01"}
    folder = folders.create(dict(folders.check({}, made).inputs))
    entry = entries.create(dict(entries.check({}, {"key": "flags", "value": {"beta": True}}).inputs))
    env = emulator.env()
    stack = native_stack(tmp_path, IMPORTED_OTHERS, emulator)
    stack.configure(
        {
            "dataplatforms:sparkBaseUrl": env["CSPARK_BASE_URL"],
            "dataplatforms:sparkTenant": env["CSPARK_TENANT"],
            "dataplatforms:aerostackServerUrl": env["AEROSTACK_SERVER_URL"],
            "native:folderId": folder.id,
            "native:entryId": entry.id,
        },
        {"dataplatforms:sparkApiKey": env["CSPARK_API_KEY"], "dataplatforms:aerostackApiKey": env["AEROSTACK_API_KEY"]},
    )
    held = emulator.admin.state()
    imported = stack.up()
    assert imported.ops() == {"shared": "import", "flags": "import"}, imported.text
    assert imported.outputs["folderId"].value == folder.id
    for key in ("native:folderId", "native:entryId"):
        stack.stack.remove_config(key)
    assert stack.up().ops() == {"shared": "same", "flags": "same"}
    assert emulator.admin.state() == held, "importing wrote nothing to the platforms"


IMPORTED_SERVICE_AND_CONNECTOR = """
import pulumi

cfg = pulumi.Config()
service = pulumi.CustomResource(
    "dataplatforms:spark:Service",
    "quote",
    {"folder": "pricing", "name": "quote", "file": "models/quote.xlsx", "label": "ours", "versionId": None},
    opts=pulumi.ResourceOptions(import_=cfg.get("serviceId")),
)
connector = pulumi.CustomResource(
    "dataplatforms:ardent:Connector",
    "warehouse",
    {
        "serviceName": "postgresql",
        "name": "warehouse",
        "connectionDetails": {"host": "db.internal", "port": 5432, "password": "conn-pw-0001"},
        "selectedPaths": ["public.users"],
        "connectorId": None,
    },
    opts=pulumi.ResourceOptions(import_=cfg.get("connectorId")),
)
pulumi.export("versionId", service.versionId)
pulumi.export("connectorId", connector.connectorId)
"""


def test_import_of_a_spark_service_and_an_ardent_connector_made_out_of_band(
    tmp_path: Path, emulator: EmulatorProcess, trace: Path
) -> None:
    """Spark holds the service's workbook, so read hashes it; Ardent's connector list shows no connection details.

    The program declares the workbook file and the connection details; the next `up` changes nothing.
    """
    env = emulator.env()
    stack = native_stack(tmp_path, IMPORTED_SERVICE_AND_CONNECTOR, emulator)
    workbook = stack.program_dir / "models" / "quote.xlsx"
    workbook.parent.mkdir()
    workbook.write_bytes(workbooks().quote_workbook(1000.0))
    services = configured(ServiceProvider, emulator)
    services.handler.client().create_folder("pricing")
    service = services.create(
        dict(services.check({}, {"folder": "pricing", "name": "quote", "file": str(workbook)}).inputs)
    )
    ardent = ArdentClient(env["ARDENT_BASE_URL"], api_key=env["ARDENT_API_KEY"])
    details = {"host": "db.internal", "port": 5432, "password": "conn-pw-0001"}
    connector = ardent.create_connector("postgresql", details, "warehouse")
    ardent.select_paths(connector.id, ["public.users"])
    stack.configure(
        {
            "dataplatforms:sparkBaseUrl": env["CSPARK_BASE_URL"],
            "dataplatforms:sparkTenant": env["CSPARK_TENANT"],
            "dataplatforms:ardentBaseUrl": env["ARDENT_BASE_URL"],
            "native:serviceId": service.id,
            "native:connectorId": connector.id,
        },
        {"dataplatforms:sparkApiKey": env["CSPARK_API_KEY"], "dataplatforms:ardentApiKey": env["ARDENT_API_KEY"]},
    )
    held = emulator.admin.state()
    emulator.admin.reset_counts()
    imported = stack.up()
    assert imported.ops() == {"quote": "import", "warehouse": "import"}, imported.text
    assert imported.outputs["versionId"].value == dict(service.outs or {})["versionId"]
    assert imported.outputs["connectorId"].value == connector.id
    assert {read["id"] for read in traced(trace, "Read")} == {service.id, connector.id}

    for key in ("native:serviceId", "native:connectorId"):
        stack.stack.remove_config(key)
    after = stack.up()
    assert after.ops() == {"quote": "same", "warehouse": "same"}, after.text
    assert writes(emulator) == {}
    assert emulator.admin.state() == held, "importing wrote nothing to the platforms"
    assert_no_plaintext_secrets(stack, ["conn-pw-0001"])

    workbook.write_bytes(workbooks().quote_workbook(250.0))
    assert stack.preview().ops() == {"quote": "update", "warehouse": "same"}, "another workbook would be published"
