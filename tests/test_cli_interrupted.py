"""Interrupted `pulumi up` on the real CLI: kill -9 the whole process tree mid-create, recover, converge.

On both hosts of the handlers: the dynamic provider (the `pulumi_dataplatforms` SDK, stack config
`eloq:apiKey`, ...) and the native plugin (the generated `pulumi_dataplatforms_native` SDK, stack
config `dataplatforms:eloqApiKey`, ..., the plugin shim first on PATH). A program with five
auto-named Eloq clusters, an auto-named and an explicitly named Spark folder, an auto-named
service, an auto-named Ardent connector, an Ardent configuration (client-chosen id), an Ardent
job, a SQL migration, a cache entry and a storage object runs `pulumi up` in a process of its own
session. At a chosen moment, told by the emulator's request counts, the test sends SIGKILL to that
process and every descendant (the CLI and the provider processes it started: the dynamic-provider
host or the plugin). Then it recovers the way the README says (`pulumi cancel` for the lock the
killed run left, then `pulumi up`, with `pulumi refresh --clear-pending-creates` before or after
it, or an `--import-pending-creates` attempt) and asserts that the emulator holds exactly what the
stack declares: no duplicate, no orphan. `destroy` must then leave the emulator empty. The kill
points and recoveries are the same on both hosts.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from pulumi import automation as auto

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from scripts.cli_stack import CliStack, Outcome, package_config, platform_config
from tests.eloq_stacks import clusters
from tests.inventory import declared, held, strays
from tests.native_plugin import PLUGIN, plugin_on_path
from tests.real_cli import PASSPHRASE, REPO, require_cli, resources

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

CLUSTERS = 5
CLUSTER_POST = "POST /eloq/api/v1/orgs/{org_id}/projects/{project_id}/clusters"
CLUSTER_GET = "GET /eloq/api/v1/orgs/{org_id}/projects/{project_id}/clusters/{cluster_name}"
SPARK_PUBLISH = "POST /spark/{tenant}/api/v3/folders/{folder}/services/{service}/publish"

HOSTS = ("dynamic", "native")
PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_")
#: Each host's SDK: its package and the names that differ between the two (the resources are the same).
SDKS = {
    "dynamic": {"sdk": "pulumi_dataplatforms", "sku": "ClusterSkuArgs", "database": "DatabaseArgs"},
    "native": {"sdk": "pulumi_dataplatforms_native", "sku": "SkuSelectorArgs", "database": "DatabaseArgsArgs"},
}
PROGRAM = f"""\
import pulumi

from {{sdk}} import aerostack, ardent, eloq, spark

clusters = [
    eloq.Cluster(
        f"c{{{{i}}}}",
        region="us-west-1",
        sku=eloq.{{sku}}(type="serverless", module="eloqkv", cloud="aws"),
        timeouts=eloq.ClusterTimeoutsArgs(create="5m", delete="5m"),
    )
    for i in range({CLUSTERS})
]
folder = spark.Folder("models", description="interrupted-run test")
service = spark.Service("quote", folder=folder.name, file="models/quote.xlsx")
connector = ardent.Connector(
    "warehouse",
    service_name="postgresql",
    connection_details={{{{"host": "db.internal", "port": 5432, "database": "orders", "password": "conn-pw-0001"}}}},
)
config = ardent.PostgresConfig(
    "orders",
    hostname="db.internal",
    port="5432",
    username="reader",
    password=pulumi.Output.secret("config-pw-0001"),
    databases=[ardent.{{database}}(name="orders")],
)
migration = aerostack.SqlMigration(
    "001-users",
    up=["CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY)"],
    down=["DROP TABLE IF EXISTS users"],
)
entry = aerostack.CacheEntry("settings", key="app:settings", value={{{{"theme": "light"}}}})
named = spark.Folder("named-models", name="interrupted-named", description="an explicitly named folder")
job = ardent.Job("profile", message="Profile the orders table")
notice = aerostack.StorageObject("notice", key="docs/notice.txt", content="interrupted-run test", content_type="text/plain")
pulumi.export("clusters", [c.name for c in clusters])
"""


# -- the program and its stack ------------------------------------------------------------------
def write_program(directory: Path, source: str, workbook: bool = False) -> Path:
    directory.mkdir(parents=True)
    (directory / "Pulumi.yaml").write_text(f"name: {directory.name}\nruntime: python\n")
    (directory / "__main__.py").write_text(source)
    if workbook:
        spec = importlib.util.spec_from_file_location("_workbooks", REPO / "examples" / "spark" / "make_workbooks.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        (directory / "models").mkdir()
        (directory / "models" / "quote.xlsx").write_bytes(module.quote_workbook())
    return directory


def program_stack(
    host: str, program: Path, state: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch, sdk: Path | None
) -> CliStack:
    """A stack of `program` on the real CLI, configured for `emulator` on `host`.

    Dynamic: the platforms' variables in the environment and `platform_config`. Native: no platform
    variables (settings come from `package_config` only), the plugin shim first on PATH and the
    generated SDK `sdk` importable here and in the killed run's process (PYTHONPATH).
    """
    require_cli()
    env = emulator.env()
    if host == "native":
        assert sdk is not None
        for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
            monkeypatch.delenv(name)
        plugin_on_path(state.parent / "bin", monkeypatch)
        monkeypatch.syspath_prepend(str(sdk))
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(sdk), os.environ.get("PYTHONPATH")])))
        stack = CliStack(program, state, passphrase=PASSPHRASE)
        stack.configure(*package_config(env))
        return stack
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    stack = CliStack(program, state, env=env, passphrase=PASSPHRASE)
    stack.configure(*platform_config(env))
    return stack


def warnings(outcome: Outcome) -> list[str]:
    """The run's warnings but the engine's note that it runs the plugin shim found on PATH (native host)."""
    return [m for m in outcome.messages("warning") if not m.startswith(f"using {PLUGIN} from $PATH at ")]


# -- killing a run --------------------------------------------------------------------------------
def descendants(root: int) -> list[int]:
    """`root` and every process below it, from /proc's parent links."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children[int(stat.rsplit(")", 1)[1].split()[1])].append(int(entry))
    tree, index = [root], 0
    while index < len(tree):
        tree += children.get(tree[index], [])
        index += 1
    return tree


def signal_all(pids: list[int], sig: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def command_line(pid: int) -> str:
    """The process's arguments, space-separated ("" once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def kill_tree(proc: subprocess.Popen[bytes]) -> dict[int, str]:
    """SIGKILL the run and all it started (stopped first, so that nothing escapes while the tree is read).

    Returns the killed processes' command lines, by pid.
    """
    tree: dict[int, str] = {}
    while True:
        found = descendants(proc.pid)
        signal_all(found, signal.SIGSTOP)
        if set(found) <= set(tree):
            break
        tree.update({pid: command_line(pid) for pid in found if pid not in tree})
    signal_all(list(tree), signal.SIGKILL)
    proc.wait(30)
    return tree


def using_state(state: Path) -> list[int]:
    """Processes still running with this stack's PULUMI_HOME (the run's CLI and provider host)."""
    marker = f"PULUMI_HOME={state / 'pulumi-home'}".encode()
    alive = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                alive.append(int(entry))
        except OSError:
            continue
    return alive


#: What runs the handlers on each host: the dynamic-provider host the CLI starts, or the plugin (its shim execs this).
PROVIDER_PROCESS = {"dynamic": "pulumi.dynamic", "native": "-m pulumi_dataplatforms_provider.native"}


def interrupted_up(
    stack: CliStack, emulator: EmulatorProcess, log: Path, reached: Callable[[dict[str, int]], bool]
) -> tuple[dict[str, int], list[str]]:
    """Run `pulumi up` (the Automation API in a process of its own session, with this process's environment),
    SIGKILL its process tree once `reached(route counts)`; returns the counts and the killed command lines."""
    run = (
        "import sys; from pathlib import Path; from scripts.cli_stack import CliStack; "
        "CliStack(Path(sys.argv[1]), Path(sys.argv[2]), passphrase=sys.argv[3]).up(echo=True)"
    )
    command = [sys.executable, "-c", run, str(stack.program_dir), str(stack.state_dir), PASSPHRASE]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=REPO, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 120
    try:
        while True:
            counts: dict[str, int] = emulator.admin.request_counts()["routes"]
            if reached(counts):
                break
            assert proc.poll() is None, f"the run ended before the kill point:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"kill point never reached: {counts}\n{log.read_text()}"
            time.sleep(0.05)
    finally:
        killed = kill_tree(proc)
    deadline = time.monotonic() + 10  # SIGKILLed processes can take a moment to exit
    while using_state(stack.state_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = using_state(stack.state_dir)
    signal_all(survivors, signal.SIGKILL)
    assert survivors == [], "a process of the killed run survived"
    return counts, list(killed.values())


# -- what the stack declares and what the emulator holds ----------------------------------------
#: How many of each kind the program declares.
DECLARED = {
    "clusters": CLUSTERS, "folders": 2, "services": 1, "connectors": 1, "configs": 1, "jobs": 1,
    "migrations": 1, "cache": 1, "objects": 1,
}  # fmt: skip


def pending(stack: CliStack) -> list[tuple[str, str]]:
    return [(op["type"], op["resource"]["urn"]) for op in stack.export().get("pending_operations") or []]


# -- the kill points --------------------------------------------------------------------------------
def before_post(counts: dict[str, int]) -> bool:
    """A cluster create was sent (and dropped, like every POST): the engine recorded it, the platform has nothing."""
    return counts.get(CLUSTER_POST, 0) >= 1


def after_post(counts: dict[str, int]) -> bool:
    """Some cluster POSTs were sent, not all."""
    return counts.get(CLUSTER_POST, 0) >= 2


def while_creating(counts: dict[str, int]) -> bool:
    """Four clusters POSTed (the provider host works on four requests at a time) and polled while `creating`."""
    return counts.get(CLUSTER_POST, 0) >= 4 and counts.get(CLUSTER_GET, 0) >= 8


# Slowed down (seconds before the emulator handles them) so that the kill lands inside each create: the folder
# and the connector exist, their creates have not returned, the configuration's set is in flight (the emulator
# drops a request whose client went away while it waited).
SETUP_ROUTES = {
    "POST /ardent/v1/configs/{endpoint}": ("^/ardent/v1/configs/", 10.0),
    "POST /ardent/v1/connectors/{connector_id}/{step}": ("^/ardent/v1/connectors/[^/]+/discover$", 3.0),
    "GET /spark/api/v1/product/GetProductDetailById/{folder_id}": ("^/spark/api/v1/product/GetProductDetailById/", 3.0),
}


def mid_setup(counts: dict[str, int]) -> bool:
    """The folder created, the connector created and asked to discover, the configuration being set."""
    return all(counts.get(route, 0) >= 1 for route in SETUP_ROUTES)


def at_publish(counts: dict[str, int]) -> bool:
    """The service's publish request was sent (the kill lands before its create can return)."""
    return counts.get(SPARK_PUBLISH, 0) >= 1


# -- recoveries -------------------------------------------------------------------------------------
def cancel(stack: CliStack) -> None:
    """The killed run left the stack locked (any `up` says "the stack is currently locked"); `pulumi cancel` unlocks it."""
    locks = stack.backend_dir / ".pulumi" / "locks"
    assert list(locks.rglob("*.json")), "the killed run should have left its lock"
    stack.pulumi("cancel", "--yes", "--stack", stack.stack_name)
    assert not list(locks.rglob("*.json"))


def up_then_clear(stack: CliStack, _emulator: EmulatorProcess) -> Outcome:
    """Just `pulumi up` again; then clear the pending creates the warning names."""
    rerun = stack.up()
    warnings = "\n".join(rerun.messages("warning"))
    assert "pending operations from previous deployment" in warnings and "interrupted while creating" in warnings
    assert "pulumi refresh" in warnings, warnings
    assert pending(stack), "the engine keeps pending creates until a refresh clears them"
    stack.refresh(clear_pending_creates=True)
    return rerun


def clear_then_up(stack: CliStack, _emulator: EmulatorProcess) -> Outcome:
    """What the warning suggests first: `pulumi refresh` clearing the pending creates; then `pulumi up`."""
    stack.refresh(clear_pending_creates=True)
    assert pending(stack) == []
    return stack.up()


def import_then_up(stack: CliStack, emulator: EmulatorProcess) -> Outcome:
    """`pulumi refresh --import-pending-creates <urn> <id>` for a cluster that exists (others cleared); then up.

    The engine (3.274.1) turns the operation into an `importing` one and then drops it without
    reading the resource (checked: the cluster is not in the state), so this ends like a clear, on
    both hosts; the next `up` must converge.
    """
    ops = stack.export()["pending_operations"]
    existing = held(emulator)["clusters"]
    cluster = next(op["resource"] for op in ops if op["resource"]["inputs"].get("name") in existing)
    cluster_id = f"1/147/{cluster['inputs']['name']}"
    args = ["refresh", "--yes", "--non-interactive", "--stack", stack.stack_name]
    stack.pulumi(*args, "--import-pending-creates", cluster["urn"], "--import-pending-creates", cluster_id,
                 "--clear-pending-creates")  # fmt: skip
    assert pending(stack) == []
    assert cluster["urn"] not in {r["urn"] for r in resources(stack).values()}, "the engine read the imported cluster"
    return stack.up()


# The same on both hosts: each strategy applies to the dynamic provider and the native plugin alike.
KILL_POINTS: dict[str, tuple[Callable[[dict[str, int]], bool], Callable[[CliStack, EmulatorProcess], Outcome]]] = {
    "before-post": (before_post, up_then_clear),
    "after-post": (after_post, clear_then_up),
    "while-creating": (while_creating, import_then_up),
    "mid-setup": (mid_setup, up_then_clear),
    "at-publish": (at_publish, clear_then_up),
}


def arm(point: str, emulator: EmulatorProcess) -> None:
    """The faults that hold the run at `point`: every POST dropped unprocessed, or the setup calls slowed."""
    if point == "before-post":
        emulator.admin.faults("/", method="POST", drop_rate=1.0)
    elif point == "mid-setup":
        for path, seconds in SETUP_ROUTES.values():
            emulator.admin.faults(path, latency_ms=seconds * 1000)


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_interrupted_up_converges(
    point: str,
    host: str,
    tmp_path: Path,
    emulator: EmulatorProcess,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    reached, recover = KILL_POINTS[point]
    sdk = request.getfixturevalue("installed_sdk") if host == "native" else None
    program = write_program(tmp_path / "interrupted", PROGRAM.format(**SDKS[host]), workbook=True)
    stack = program_stack(host, program, tmp_path / "state", emulator, monkeypatch, sdk)
    emulator.admin.delays(provision_seconds=3.0)
    arm(point, emulator)
    emulator.admin.reset_counts()

    _, killed = interrupted_up(stack, emulator, tmp_path / "killed-run.log", reached)
    assert any(PROVIDER_PROCESS[host] in line for line in killed), f"the provider process was not killed: {killed}"
    emulator.admin.clear_faults()
    left_behind = held(emulator)
    ops = pending(stack)
    assert ops and all(kind == "creating" for kind, _ in ops), ops
    if point == "before-post":
        assert left_behind["clusters"] == [], "nothing may have been created before the POSTs went through"
    else:
        assert left_behind["clusters"], f"the kill came too early: {left_behind}"

    emulator.admin.delays(provision_seconds=0.5)
    cancel(stack)
    recover(stack, emulator)
    final = stack.up(expect_no_changes=True)  # converged: a further run changes nothing
    assert warnings(final) == [], warnings(final)
    assert pending(stack) == []

    want, have = declared(stack), held(emulator)
    assert {kind: len(names) for kind, names in want.items()} == DECLARED, want
    assert strays(have, want) == {}, f"orphans or duplicates on the emulator: {strays(have, want)}"
    assert have == want
    for kind, names in left_behind.items():  # what the killed run made was taken over, not re-made
        assert set(names) <= set(want[kind]), (kind, names, want[kind])

    stack.destroy()
    # Storage objects have no delete endpoint: exactly the declared one stays.
    assert {kind: names for kind, names in held(emulator).items() if names} == {"objects": want["objects"]}


REPLACE_PROGRAM = """\
import pulumi

from {sdk} import eloq

config = pulumi.Config()
sku = eloq.{sku}(type="serverless", module="eloqkv", cloud="aws")
auto = eloq.Cluster("auto", region=config.get("region") or "us-west-1", sku=sku)
# The `pulumi_dataplatforms` SDK deletes an explicitly named resource first on replacement by itself; a program
# on the generated SDK says so with the resource option (config deleteFirst).
delete_first = pulumi.ResourceOptions(delete_before_replace=config.get_bool("deleteFirst") or None)
pinned = eloq.Cluster("pinned", name="orders-db", region="us-west-1", sku=sku, opts=delete_first)
if config.get_bool("intruder"):
    eloq.Cluster("intruder", name="foreign-db", region="us-west-1", sku=sku)
pulumi.export("auto", auto.name)
"""


@pytest.mark.parametrize("host", HOSTS)
def test_replace_gives_an_auto_named_cluster_a_new_name(
    host: str,
    tmp_path: Path,
    emulator: EmulatorProcess,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    sdk = request.getfixturevalue("installed_sdk") if host == "native" else None
    program = write_program(tmp_path / "replace", REPLACE_PROGRAM.format(**SDKS[host]))
    stack = program_stack(host, program, tmp_path / "state", emulator, monkeypatch, sdk)
    first = stack.up()
    name = first.outputs["auto"].value
    assert sorted(clusters(emulator)) == sorted([name, "orders-db"])
    urns = {n: r["urn"] for n, r in resources(stack).items()}

    # `pulumi up --replace`: check runs without old inputs, yet the stable auto-name moves on.
    replaced = stack.up(replace=[urns["auto"]])
    assert replaced.ops() == {"auto": "replace", "pinned": "same"}
    new_name = replaced.outputs["auto"].value
    assert new_name != name and sorted(clusters(emulator)) == sorted([new_name, "orders-db"])
    again = stack.up(replace=[urns["auto"]]).outputs["auto"].value
    assert again != new_name and sorted(clusters(emulator)) == sorted([again, "orders-db"])

    # An explicitly named cluster is replaced delete-first: the new cluster exists and is the one in state.
    before = clusters(emulator)["orders-db"]
    if host == "native":
        # Without deleteBeforeReplace the engine creates the replacement first; its create refuses to take over
        # the cluster it replaces (which the delete would then remove), and nothing changes.
        with pytest.raises(auto.CommandError, match="deleteBeforeReplace"):
            stack.up(replace=[urns["pinned"]])
        assert clusters(emulator)["orders-db"] == before
        assert resources(stack)["pinned"]["outputs"]["host"] == before["elb_addr"], "the state holds that cluster"
        stack.configure({f"{stack.project_name}:deleteFirst": "true"})
    emulator.admin.reset_counts()
    assert stack.up(replace=[urns["pinned"]]).ops() == {"auto": "same", "pinned": "replace"}
    routes = emulator.admin.request_counts()["routes"]
    deletes = sum(n for route, n in routes.items() if route.startswith("DELETE /eloq/"))
    assert routes.get(CLUSTER_POST) == 1 and deletes == 1, routes
    assert "orders-db" in clusters(emulator) and clusters(emulator)["orders-db"] != before

    # An input change replaces create-before-delete under a new name.
    stack.configure({f"{stack.project_name}:region": "us-east-1"})
    moved = stack.up()
    assert moved.ops() == {"auto": "replace", "pinned": "same"}
    moved_name = moved.outputs["auto"].value
    assert moved_name != again and sorted(clusters(emulator)) == sorted([moved_name, "orders-db"])
    assert clusters(emulator)[moved_name]["region"] == "us-east-1"

    # A foreign cluster under an explicit name is still an error that suggests adoptExisting.
    env = emulator.env()
    EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"]).create_cluster("foreign-db", "us-east-1", 101, "us-east-1a")
    stack.configure({f"{stack.project_name}:intruder": "true"})
    with pytest.raises(auto.CommandError, match="adoptExisting=true"):
        stack.up()
    assert "intruder" not in resources(stack)
    stack.configure({f"{stack.project_name}:intruder": "false"})

    stack.destroy()
    assert sorted(clusters(emulator)) == ["foreign-db"]
