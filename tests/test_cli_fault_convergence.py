"""Faults on a fifth of the platforms' answers: two `pulumi up`s converge to exactly the declared resources.

The program (tests/programs/fault_convergence) declares 32 resources of every type on the four
platforms, auto-named and explicitly named. Five fault rules on "/" share the emulator's
answers, each fault mode on 4% of all requests (20% together), drawn from a fixed seed:

- a 429 or 503 before the request is handled;
- the connection dropped before the request is handled;
- the request handled and committed, then its answer dropped;
- the request handled and committed, then its answer replaced by a 503;
- the request handled at once and its answer held back beyond the 30 s client timeout of the
  Eloq, Ardent and Aerostack clients (Spark's client waits 60 s, so there the answer is only late).

`pulumi up` runs; if it fails, once more. With the faults cleared, `preview --expect-no-changes`
and a further `up` change nothing; the emulator holds exactly what the checkpoint records (no
duplicate, no orphan, names and counts per kind) and `destroy` removes all of it that the
platforms can delete (Aerostack has no delete for storage objects, and a cache entry is
overwritten with null).
"""

from __future__ import annotations

import importlib.util
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from scripts.cli_stack import CliStack, platform_config
from tests.cli_support import AerostackApi
from tests.inventory import declared, held, strays
from tests.real_cli import PASSPHRASE, REPO, require_cli, resources

pytestmark = [pytest.mark.cli, pytest.mark.timeout(1200)]

PROGRAM = Path(__file__).resolve().parent / "programs" / "fault_convergence"
FAULT_SHARE = 0.04  # per mode, of all requests: five modes make 20%
CLIENT_TIMEOUT_S = 30.0  # the Eloq, Ardent and Aerostack clients' request timeout
SEEDS = (11, 23, 37)
#: what the program declares, per kind
EXPECTED = {
    "clusters": 5,
    "configs": 7,
    "connectors": 2,
    "jobs": 1,
    "folders": 2,
    "services": 3,
    "migrations": 3,
    "cache": 5,
    "objects": 4,
}
#: the kinds `destroy` can remove (Aerostack storage has no delete endpoint)
DELETABLE = tuple(kind for kind in EXPECTED if kind != "objects")


# -- the program and its stack ------------------------------------------------------------------
def build_program(directory: Path) -> Path:
    """A copy of the program with its workbooks and its uploaded file."""
    shutil.copytree(PROGRAM, directory, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    spec = importlib.util.spec_from_file_location("_workbooks", REPO / "examples" / "spark" / "make_workbooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (directory / "models").mkdir()
    (directory / "models" / "quote.xlsx").write_bytes(module.quote_workbook())
    (directory / "models" / "tax.xlsx").write_bytes(module.tax_workbook())
    (directory / "assets").mkdir()
    (directory / "assets" / "readme.txt").write_text("fault convergence\n")
    return directory


def program_stack(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> CliStack:
    """A stack of the program on the real CLI, configured for `emulator`."""
    require_cli()
    env = emulator.env()
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    stack = CliStack(build_program(tmp_path / "fault-convergence"), tmp_path / "state", env=env, passphrase=PASSPHRASE)
    stack.configure(*platform_config(env))
    return stack


# -- faults ---------------------------------------------------------------------------------------
def inject(emulator: EmulatorProcess, seed: int) -> None:
    """Five rules on "/", one per fault mode, each firing on `FAULT_SHARE` of all requests.

    The first rule that fires wins, so the k-th rule's own rate is the share divided by the
    chance that none before it fired.
    """
    modes: list[dict[str, Any]] = [
        {"error_rate": 1.0, "error_statuses": [429, 503]},
        {"drop_rate": 1.0},
        {"lost_rate": 1.0, "lost_as": "drop"},
        {"lost_rate": 1.0, "lost_as": "error", "error_statuses": [503]},
        {"slow_rate": 1.0, "slow_ms": (CLIENT_TIMEOUT_S + 1) * 1000},
    ]
    for index, mode in enumerate(modes):
        rate = FAULT_SHARE / (1 - FAULT_SHARE * index)
        scaled: dict[str, Any] = {key: rate if key.endswith("_rate") else value for key, value in mode.items()}
        emulator.admin.faults("/", seed=seed * 100 + index, **scaled)


def injected(log: list[dict[str, Any]]) -> dict[str, int]:
    """Faults the request log shows, by mode (a lost answer as a drop or as an error status)."""
    modes: Counter[str] = Counter()
    for entry in log:
        fault = entry.get("fault")
        if fault is None:
            continue
        if fault == "lost":
            fault = "lost-as-drop" if entry["status"] == "dropped" else f"lost-as-{entry['status']}"
        elif fault == "error":
            fault = f"error-{entry['status']}"
        modes[str(fault)] += 1
    return dict(sorted(modes.items()))


# -- what the emulator holds and what the stack records ---------------------------------------------
def service_versions(emulator: EmulatorProcess) -> dict[str, int]:
    """`<folder>/<service>` -> how many versions the service has."""
    services: dict[str, Any] = emulator.admin.state()["spark"]["services"]
    return {f"{s['folder']}/{s['name']}": len(s["versions"]) for s in services.values()}


def missing(have: dict[str, list[str]], want: dict[str, list[str]]) -> dict[str, list[str]]:
    """What the checkpoint records but the emulator does not hold."""
    return {kind: gone for kind in want if (gone := sorted(set(want[kind]) - set(have.get(kind, []))))}


# -- the runs -----------------------------------------------------------------------------------------
def converge(stack: CliStack, attempts: int = 2) -> tuple[int, list[str]]:
    """`pulumi up` until one succeeds, at most `attempts` times: how many ran and the failed runs' errors."""
    errors: list[str] = []
    for attempt in range(1, attempts + 1):
        try:
            stack.up()
        except auto.CommandError as error:
            errors.append(str(error))
            continue
        return attempt, errors
    failures = "\n\n".join(error[-3000:] for error in errors)
    pytest.fail(f"{attempts} `pulumi up` runs did not converge:\n{failures}")


@pytest.mark.parametrize("seed", SEEDS)
def test_faults_on_a_fifth_of_answers_converge(
    seed: int, tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    stack = program_stack(tmp_path, emulator, monkeypatch)
    emulator.admin.delays(provision_seconds=1.0, deletion_seconds=0.5)
    inject(emulator, seed)
    emulator.admin.reset_counts()

    ups, errors = converge(stack)
    log = emulator.admin.request_log()
    faults = injected(log)
    on_writes = injected([entry for entry in log if entry["method"] not in ("GET", "HEAD")])
    requests = emulator.admin.request_counts()["total"]
    emulator.admin.clear_faults()
    assert sum(faults.values()) > 0, "no fault was injected"

    stack.preview(expect_no_changes=True)
    again = stack.up()
    assert set(again.ops().values()) == {"same"}, again.ops()

    assert len(resources(stack)) == sum(EXPECTED.values())
    assert not stack.export().get("pending_operations"), "a create or delete was left pending"
    want, have = declared(stack), held(emulator)
    assert {kind: len(names) for kind, names in want.items()} == EXPECTED, want
    assert strays(have, want) == {}, f"orphans or duplicates on the emulator: {strays(have, want)}"
    assert missing(have, want) == {}, f"recorded but not on the emulator: {missing(have, want)}"
    assert have == want
    assert set(service_versions(emulator).values()) == {1}, f"a publish was repeated: {service_versions(emulator)}"

    stack.destroy()
    left = held(emulator)
    assert {kind: left[kind] for kind in DELETABLE if left[kind]} == {}
    assert left["objects"] == want["objects"], "storage objects have no delete: exactly the declared ones stay"
    assert {"users", "posts"} & AerostackApi(emulator).tables() == set()
    print(
        f"\nseed {seed}: {requests} requests, faults {faults} (on writes: {on_writes}), ups {ups} "
        f"({len(errors)} failed), {time.monotonic() - started:.1f}s"
    )
