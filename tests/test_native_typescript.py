"""examples/typescript, a TypeScript program on the Node.js SDK generated from schema.json
(sdks/nodejs), on the real CLI through the native plugin, against the emulator.

There is no Node.js language host here (the official one cannot be had), so the example's
program (its default export) runs as an Automation API inline program of `@pulumi/pulumi/automation`
(tests/typescript/run_inline.ts), to which the CLI connects back (`--client`). The npm packages
(tests/typescript/package.json and its lockfile) are installed with `npm ci` into .node/typescript
and the generated SDK is compiled there with `tsc`, both redone only when their inputs change.
Without npm the test skips, which under CI=true fails the run (tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack, package_config
from scripts.gen_sdks import tree
from tests.inventory import held
from tests.native_examples import DECLARED, NOTHING, Deployed, Timings, holding
from tests.native_plugin import plugin_on_path
from tests.real_cli import (
    EXAMPLES,
    PASSPHRASE,
    REPO,
    assert_no_plaintext_secrets,
    require_cli,
    resources,
    secret_values,
    writes,
)

pytestmark = [pytest.mark.cli, pytest.mark.timeout(900)]

PREFIX = "ts"
PLATFORM_VARIABLES = ("ELOQ_", "ARDENT_", "CSPARK_", "AEROSTACK_")
PACKAGES = REPO / "tests" / "typescript"
NODE_WORK = REPO / ".node" / "typescript"
GENERATED_SDK = REPO / "sdks" / "nodejs"
SDK_PACKAGE = "@dataplatforms/pulumi"
NO_NPM = "no npm: the TypeScript example's tests install their packages with npm"


def digest(files: dict[str, bytes]) -> str:
    """A hash of path -> contents."""
    sha = hashlib.sha256()
    for path, contents in sorted(files.items()):
        sha.update(path.encode() + b"\0" + hashlib.sha256(contents).digest())
    return sha.hexdigest()


def run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Runs `command`, failing the test with its output if it fails."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def install_packages(npm: str) -> bool:
    """`npm ci` of tests/typescript's package.json and lockfile into NODE_WORK; False when already there."""
    manifests = {name: (PACKAGES / name).read_bytes() for name in ("package.json", "package-lock.json")}
    stamp = NODE_WORK / ".installed"
    wanted = digest(manifests)
    if (NODE_WORK / "node_modules").is_dir() and stamp.is_file() and stamp.read_text() == wanted:
        return False
    NODE_WORK.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    for name, contents in manifests.items():
        (NODE_WORK / name).write_bytes(contents)
    run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], NODE_WORK)
    stamp.write_text(wanted)
    return True


def build_sdk() -> bool:
    """sdks/nodejs compiled with `tsc` into NODE_WORK/sdk/bin, the package NODE_WORK's node_modules
    resolves `@dataplatforms/pulumi` to; False when already built from the same sources."""
    sdk = NODE_WORK / "sdk"
    stamp = NODE_WORK / ".sdk-built"
    wanted = digest(tree(GENERATED_SDK))
    link = NODE_WORK / "node_modules" / SDK_PACKAGE
    built = False
    if not (stamp.is_file() and stamp.read_text() == wanted and (sdk / "bin" / "index.js").is_file()):
        stamp.unlink(missing_ok=True)
        shutil.rmtree(sdk, ignore_errors=True)
        shutil.copytree(GENERATED_SDK, sdk)
        run(["node", str(NODE_WORK / "node_modules" / "typescript" / "bin" / "tsc"), "-p", "tsconfig.json"], sdk)
        # The compiled package reads its version from its package.json (utilities.ts getVersion).
        shutil.copy(sdk / "package.json", sdk / "bin" / "package.json")
        stamp.write_text(wanted)
        built = True
    # One @pulumi/pulumi for the program and the SDK: the SDK resolves it from NODE_WORK/node_modules.
    if not link.is_symlink():
        link.parent.mkdir(exist_ok=True)
        link.symlink_to(Path("..", "..", "sdk", "bin"))
    return built


@pytest.fixture(scope="module")
def node_packages() -> Path:
    """NODE_WORK with the npm packages installed and the generated SDK built (or skip without npm)."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip(NO_NPM)
    started = time.monotonic()
    installed = install_packages(npm)
    installing = time.monotonic() - started
    built = build_sdk()
    building = time.monotonic() - started - installing
    print(
        f"\nnpm ci: {f'{installing:.1f} s' if installed else 'cached'}, "
        f"tsc of sdks/nodejs: {f'{building:.1f} s' if built else 'cached'}"
    )
    return NODE_WORK


@pytest.fixture
def timings(request: pytest.FixtureRequest, record_property: Callable[[str, object], None]) -> Iterator[Timings]:
    recorded = Timings()
    yield recorded
    record_property("timings", recorded.seconds)
    print(f"\n{request.node.name}: {recorded.line()}")


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI (or skip/fail), the plugin shim first on PATH, no platform settings in the environment."""
    require_cli()
    for name in [n for n in os.environ if n.startswith(PLATFORM_VARIABLES)]:
        monkeypatch.delenv(name)
    return plugin_on_path(tmp_path / "bin", monkeypatch)


class InlineProgram:
    """examples/typescript compiled with the inline runner in a work dir, its stack on the real CLI."""

    def __init__(self, tmp_path: Path, node_work: Path, emulator: EmulatorProcess) -> None:
        self.work = tmp_path / "typescript"
        shutil.copytree(
            EXAMPLES / "typescript", self.work, ignore=shutil.ignore_patterns("Pulumi.*.yaml", "node_modules", "bin")
        )
        for name in ("run_inline.ts", "tsconfig.inline.json"):
            shutil.copy(PACKAGES / name, self.work / name)
        (self.work / "node_modules").symlink_to(node_work / "node_modules")
        run(
            ["node", str(node_work / "node_modules" / "typescript" / "bin" / "tsc"), "-p", "tsconfig.inline.json"],
            self.work,
        )
        # What the Node.js language host runs of a CommonJS project: its module export, if a function.
        exported = "process.exit(require('./bin/index.js') instanceof Function ? 0 : 1)"
        assert subprocess.run(["node", "-e", exported], cwd=self.work).returncode == 0, "index.ts exports no function"
        self.stack = CliStack(self.work, tmp_path / "state", passphrase=PASSPHRASE)
        assert self.stack.runtime == "nodejs"
        plain, secret = package_config(emulator.env())
        assert "dataplatforms:eloqApiKey" in secret and "dataplatforms:sparkBaseUrl" in plain
        self.stack.configure(plain, secret)

    def __call__(self, action: str) -> dict[str, Any]:
        """`run_inline.js <action>`: {"ops": {name: op}, "changes": {op: n}, "outputs": {name: {value, secret}}}."""
        command = ["node", str(self.work / "bin" / "run_inline.js"), action, str(self.work)]
        command += [self.stack.project_name, self.stack.stack_name]
        env = {**os.environ, **self.stack.env}
        done = subprocess.run(command, cwd=self.work, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"run_inline.js {action} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        outcome: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
        return outcome


def test_the_generated_typescript_sdk_deploys_the_example_a_second_up_writes_nothing_and_destroy_empties_the_emulator(
    tmp_path: Path, emulator: EmulatorProcess, node_packages: Path, plugin: Path, timings: Timings
) -> None:
    program = timings("tsc", lambda: InlineProgram(tmp_path, node_packages, emulator))
    stack = program.stack

    previewed = timings("preview", lambda: program("preview"))
    assert previewed["ops"] == dict.fromkeys(DECLARED, "create")
    assert held(emulator) == NOTHING

    created = timings("up", lambda: program("up"))
    assert created["ops"] == dict.fromkeys(DECLARED, "create")
    deployed = Deployed.of(emulator, PREFIX)
    cluster, folder = deployed.cluster, deployed.folder
    assert (cluster["region"], cluster["sku_type"], cluster["module_type"]) == ("us-west-1", "serverless", "EloqKV")
    assert (folder["description"], folder["category"]) == (
        "Pricing models deployed from the generated TypeScript SDK",
        "Finance",
    )
    assert deployed.entry == {
        "value": {"theme": "light", "signupOpen": True, "maxPostLength": 500, "cluster": f"{PREFIX}-cache"},
        "expires_at": None,
    }
    outputs = {name: output["value"] for name, output in created["outputs"].items()}
    assert created["outputs"]["password"]["secret"]
    assert outputs == deployed.expected_outputs(PREFIX)

    # The native types, from the plugin's default provider at the version the generated SDK asks for.
    assert {name: res["type"] for name, res in resources(stack).items()} == DECLARED
    providers = [r for r in stack.export()["resources"] if r["type"].startswith("pulumi:providers:")]
    assert [(p["type"], p["inputs"].get("version")) for p in providers] == [("pulumi:providers:dataplatforms", "0.1.0")]
    assert_no_plaintext_secrets(stack, secret_values(stack, [outputs["password"]]))

    emulator.admin.reset_counts()
    again = timings("second up", lambda: program("up"))
    assert again["ops"] == dict.fromkeys(DECLARED, "same")
    assert again["changes"] == {"same": len(DECLARED) + 1}
    assert writes(emulator) == {}
    assert held(emulator) == holding(PREFIX)

    gone = timings("destroy", lambda: program("destroy"))
    assert gone["ops"] == dict.fromkeys(DECLARED, "delete")
    # The cache entry (Aerostack has no delete endpoint) is nulled and expiring, so held() leaves it out.
    assert held(emulator) == NOTHING
    assert resources(stack) == {}
