"""Eloq through the real Pulumi CLI: wall time of `pulumi up` for 12 independent clusters against 1.

One emulator process (4 s provisioning, 50 ms injected latency per request); each variant is a
fresh stack of one program declaring `count` clusters, run with `CliStack` (`up`, then
`destroy`), on one of the two hosts of the same handler: the dynamic provider (`eloq.Cluster`
of the SDK, served by `python -m pulumi.dynamic`) or the native plugin
`pulumi-resource-dataplatforms` (the program registers `dataplatforms:eloq:Cluster` by type
token; `scripts/native_plugin.py` writes the shim the engine finds on PATH, configured by the
stack config `dataplatforms:eloqApiKey` and `dataplatforms:eloqBaseUrl`). Each host's ratio is
against its own 1-cluster `up` of the same run, the variants interleaved. Where the time goes
comes from three clocks on this machine: the emulator's `created_at` of each cluster (when its
POST arrived), and the arrival of the CLI's "<name> creating" (the engine started the step) and
"<name> created" lines; for the native plugin also the arrival of each request it served
(its trace, `PULUMI_DATAPLATFORMS_NATIVE_TRACE`).

The last two variants are a diagnosis, not how anyone runs the provider: a `sitecustomize` on the
host's PYTHONPATH widens the Python dynamic-provider host's thread pool
(`ThreadPoolExecutor(max_workers=4)` in pulumi/dynamic/__main__.py) to show what the ratio is once
the host stops queueing calls. The native plugin has pools of its own (`native.provider.LONG_CALLS`
threads for creates). At the CLI's default `--parallel` (4 x CPUs: 8 here) the engine itself keeps
at most that many steps open, so 12 clusters take two waves whatever the host does.

    python -m benchmarks.cli_parallel --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.native.provider import LONG_CALLS
from pulumi_dataplatforms_provider.native.trace import TRACE_ENV
from scripts.cli_stack import CliStack, find_cli, platform_config
from scripts.native_plugin import write_plugin

PROVISION_SECONDS = 4.0
LATENCY_MS = 50
MANY = 12
DYNAMIC, NATIVE = "dynamic", "native"
HOST_WORKERS = {
    DYNAMIC: 4,  # ThreadPoolExecutor(max_workers=4) in pulumi/dynamic/__main__.py
    NATIVE: LONG_CALLS,  # the plugin's own pool for creates, updates and deletes
}
GOAL = 1.3  # the native plugin's ratio for 12 clusters (the physical limit is about 1.0)
PROJECT = "benchparallel"
#: The program of each host: the same clusters, the same inputs.
PROGRAMS = {
    DYNAMIC: """\
import pulumi

from pulumi_dataplatforms import eloq

for i in range(pulumi.Config().require_int("count")):
    eloq.Cluster(
        f"c{i:02d}",
        region="us-west-1",
        sku=eloq.ClusterSkuArgs(type="serverless", module="eloqkv", cloud="aws"),
    )
""",
    NATIVE: """\
import pulumi

for i in range(pulumi.Config().require_int("count")):
    pulumi.CustomResource(
        "dataplatforms:eloq:Cluster",
        f"c{i:02d}",
        {"region": "us-west-1", "sku": {"type": "serverless", "module": "eloqkv", "cloud": "aws"}},
    )
""",
}
WIDE_HOST = """\
\"\"\"Benchmark diagnosis only: widen every thread pool (a provider host's gRPC server's, asyncio's default).\"\"\"
import concurrent.futures

_init = concurrent.futures.ThreadPoolExecutor.__init__


def _wide(self, max_workers=None, *args, **kwargs):
    _init(self, max(max_workers or 0, {workers}), *args, **kwargs)


concurrent.futures.ThreadPoolExecutor.__init__ = _wide
"""
STEP_LINE = re.compile(r"eloq:Cluster (\S+) (creating|created)\b")


@dataclass(frozen=True)
class Variant:
    """One stack: how many clusters, the engine's `--parallel` (None: the CLI default), the host, its workers.

    `host_workers` widens the host's thread pool (a diagnosis); None: the host's own (HOST_WORKERS).
    """

    label: str
    count: int
    parallel: int | None = None
    host_workers: int | None = None
    host: str = DYNAMIC


def cpus() -> int:
    """CPUs this process may run on (what the CLI's default `--parallel` is 4x)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def variants() -> list[Variant]:
    """Per host 1 cluster, then 12 with the CLI's default `--parallel` and with `--parallel 12`, the hosts
    interleaved; then the diagnoses: the dynamic host's two and the native plugin's with `--parallel 12`."""
    default = f"default {4 * cpus()}"
    hosts = (DYNAMIC, NATIVE)
    return [
        *(Variant(f"{h}: 1 cluster", 1, host=h) for h in hosts),
        *(Variant(f"{h}: {MANY} clusters, --parallel {default}", MANY, host=h) for h in hosts),
        *(Variant(f"{h}: {MANY} clusters, --parallel {MANY}", MANY, parallel=MANY, host=h) for h in hosts),
        Variant(f"{DYNAMIC}: {MANY}, --parallel {MANY}, host {MANY} workers*", MANY, parallel=MANY, host_workers=MANY),
        Variant(f"{DYNAMIC}: {MANY}, --parallel {default}, host {MANY} workers*", MANY, host_workers=MANY),
    ]


class _Lines:
    """A stdout stand-in that timestamps each line the CLI prints (CliStack echoes with print)."""

    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []

    def write(self, text: str) -> int:
        if text.strip():
            self.lines.append((time.time(), text))
        return len(text)

    def flush(self) -> None:
        pass


@dataclass
class Run:
    """One variant's measurements; times in seconds, instants relative to the start of `up`."""

    variant: Variant
    up: float
    destroy: float
    posts: dict[str, float]
    started: dict[str, float]
    created: dict[str, float]
    requests: dict[str, int] = field(default_factory=dict)
    calls: dict[str, list[float]] = field(default_factory=dict)  # native: method -> arrivals, sorted

    def intervals(self, start: Mapping[str, float]) -> list[tuple[float, float]]:
        """(start, created) for every cluster with both instants."""
        return [(start[n], self.created[n]) for n in start if n in self.created]

    def waves(self, gap: float = 1.0) -> list[tuple[int, float]]:
        """POSTs grouped where they are more than `gap` apart: (how many, first instant)."""
        groups: list[list[float]] = []
        for t in sorted(self.posts.values()):
            if groups and t - groups[-1][-1] <= gap:
                groups[-1].append(t)
            else:
                groups.append([t])
        return [(len(g), g[0]) for g in groups]


def peak(intervals: list[tuple[float, float]]) -> int:
    """Most intervals open at one instant."""
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    most = current = 0
    for _, step in events:
        current += step
        most = max(most, current)
    return most


def mean(values: list[float]) -> float:
    """The mean, NaN when empty."""
    return statistics.fmean(values) if values else float("nan")


@contextlib.contextmanager
def environ(values: Mapping[str, str]) -> Iterator[None]:
    """os.environ with `values` (the inline program runs in this process), restored afterwards."""
    saved = dict(os.environ)
    os.environ.update(values)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def traced_calls(path: Path, begin: float) -> dict[str, list[float]]:
    """Method -> the instants (relative to `begin`) its requests reached the native plugin, from its trace."""
    calls: dict[str, list[float]] = {}
    if path.is_file():
        for line in path.read_text().splitlines():
            record = json.loads(line)
            calls.setdefault(record["method"], []).append(record["at"] - begin)
    return {method: sorted(at) for method, at in calls.items()}


def host_setup(
    emu_env: Mapping[str, str], work: Path, variant: Variant, stack_name: str
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """What `variant.host` needs beyond the emulator's variables `emu_env`: (CLI environment, plain config, secrets).

    Native: the plugin's trace file and its provider settings as the package's config (the shim goes on PATH
    in `run_variant`). With more workers: the diagnosis's `sitecustomize` first on PYTHONPATH.
    """
    env: dict[str, str] = {}
    plain: dict[str, str] = {}
    secret: dict[str, str] = {}
    if variant.host == NATIVE:
        env[TRACE_ENV] = str(work / f"{stack_name}-trace.jsonl")
        plain["dataplatforms:eloqBaseUrl"] = emu_env["ELOQ_BASE_URL"]
        secret["dataplatforms:eloqApiKey"] = emu_env["ELOQ_API_KEY"]
    if variant.host_workers is not None:
        site = work / f"{stack_name}-site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(WIDE_HOST.format(workers=variant.host_workers))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    return env, plain, secret


def run_variant(emu: EmulatorProcess, program: Path, work: Path, variant: Variant, stack_name: str) -> Run:
    """`up` then `destroy` of a fresh stack of `program` with `variant.count` clusters, on `variant.host`."""
    extra, host_plain, host_secret = host_setup(emu.env(), work, variant, stack_name)
    env = {**emu.env(), **extra}
    path = os.environ["PATH"]
    if variant.host == NATIVE:  # CliStack hands the CLI this process's PATH as it was when it was made
        path = os.pathsep.join((str(write_plugin(work / "bin").parent), path))
    with environ({"PATH": path}):
        stack = CliStack(program, work / stack_name, stack_name=stack_name, env=env)
        plain, secret = platform_config(env)
        stack.configure({**plain, **host_plain, f"{PROJECT}:count": str(variant.count)}, {**secret, **host_secret})
        options: dict[str, Any] = {} if variant.parallel is None else {"parallel": variant.parallel}
        emu.admin.reset_counts()
        lines = _Lines()
        begin = time.time()
        with contextlib.redirect_stdout(lines):
            outcome = stack.up(echo=True, **options)
        up = time.time() - begin
        requests = dict(emu.admin.request_counts()["routes"])
        clusters = emu.admin.state()["eloq"]["clusters"]
        calls = traced_calls(Path(extra[TRACE_ENV]), begin) if TRACE_ENV in extra else {}
        started = time.time()
        stack.destroy(**options)
        destroy = time.time() - started
        stack.remove()
    if outcome.changes.get("create") != variant.count + 1:  # the clusters and the stack
        raise RuntimeError(f"{variant.label}: expected {variant.count} creates, got {outcome.changes}")
    posts = {c["name"].rsplit("-", 1)[0]: c["created_at"] - begin for c in clusters}
    steps: dict[str, dict[str, float]] = {"creating": {}, "created": {}}
    for at, text in lines.lines:
        for match in STEP_LINE.finditer(text):
            steps[match.group(2)].setdefault(match.group(1), at - begin)
    return Run(variant, up, destroy, posts, steps["creating"], steps["created"], requests, calls)


def measure(repeat: int) -> list[list[Run]]:
    """Every variant `repeat` times, one emulator; runs[i] is repetition i."""
    runs: list[list[Run]] = []
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(Path(tmp) / "emu") as emu:
        emu.admin.delays(provision_seconds=PROVISION_SECONDS)
        emu.admin.faults("/eloq/api/v1", latency_ms=LATENCY_MS)
        programs: dict[str, Path] = {}
        for host, text in PROGRAMS.items():
            programs[host] = program = Path(tmp) / host / PROJECT
            program.mkdir(parents=True)
            (program / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
            (program / "__main__.py").write_text(text)
        with environ(emu.env()):
            for r in range(repeat):
                runs.append(
                    [run_variant(emu, programs[v.host], Path(tmp), v, f"r{r}-v{i}") for i, v in enumerate(variants())]
                )
    return runs


def where_time_goes(run: Run) -> str:
    """Concurrency and per-create times of one many-cluster run, from the three clocks (and the native trace)."""
    created = [run.created[k] - run.posts[k] for k in run.posts if k in run.created]
    queued = [run.posts[k] - run.started[k] for k in run.posts if k in run.started]
    last = max(run.created.values(), default=run.up)
    text = (
        f"  {run.variant.label}: engine steps open at once {peak(run.intervals(run.started))}, "
        f"creates at the platform at once {peak(run.intervals(run.posts))}; mean step start -> POST "
        f"{mean(queued):.2f} s, POST -> created {mean(created):.2f} s; first POST at "
        f"{min(run.posts.values()):.2f} s, last created to end of `up` {run.up - last:.2f} s\n"
    )
    if run.calls:
        text += f"    requests reaching the plugin: {arrivals(run.calls)}\n"
    return text


def arrivals(calls: Mapping[str, list[float]]) -> str:
    """Per method: how many, the first and last arrival, and the longest wait between two (after how many)."""
    parts = []
    for method, at in sorted(calls.items(), key=lambda item: item[1][0]):
        part = f"{method} {len(at)} at {at[0]:.2f}-{at[-1]:.2f} s"
        if len(at) > 1:
            gap, after = max((b - a, i + 1) for i, (a, b) in enumerate(itertools.pairwise(at)))
            part += f" (longest gap {gap:.2f} s, after {after})"
        parts.append(part)
    return ", ".join(parts)


def per_create(run: Run) -> str:
    """Requests per cluster by route (method and last path segment)."""
    n = run.variant.count
    return ", ".join(
        f"{route.split(' ', 1)[0]} {route.rsplit('/', 1)[-1]} {count / n:g}"
        for route, count in sorted(run.requests.items())
        if count >= n
    )


def ratio(rows: list[Run], run: Run) -> float:
    """`run`'s `up` against the 1-cluster `up` of the same host in the same repetition `rows`."""
    base = next(r for r in rows if r.variant.host == run.variant.host and r.variant.count == 1)
    return run.up / base.up


def side_by_side(runs: list[list[Run]]) -> str:
    """The median ratio of each host for each many-cluster setting both hosts ran."""
    text = f"side by side, median ratio of {len(runs)} run(s) (goal: native at most {GOAL:g}):\n"
    settings = {(v.count, v.parallel) for v in variants() if v.host == NATIVE and v.count > 1}
    for count, parallel in sorted(settings, key=lambda s: (s[0], s[1] or 0)):
        medians = {}
        for i, first in enumerate(runs[0]):
            v = first.variant
            if (v.count, v.parallel, v.host_workers) == (count, parallel, None):
                medians[v.host] = statistics.median(ratio(rows, rows[i]) for rows in runs)
        label = f"{count} clusters, --parallel {parallel or f'default {4 * cpus()}'}"
        verdict = "met" if medians[NATIVE] <= GOAL else "NOT met"
        text += f"  {label:44} dynamic {medians[DYNAMIC]:.2f}  native {medians[NATIVE]:.2f}  ({verdict})\n"
    return text


def report(runs: list[list[Run]], cli: Path, out: TextIO = sys.stdout) -> None:
    """Per repetition: the table, then where the time goes for 12 clusters; then the spread of the ratios."""
    version = subprocess.run([str(cli), "version"], capture_output=True, text=True, check=False).stdout.strip()
    out.write(
        f"\nEloq through the real Pulumi CLI {version}: `pulumi up` of N independent clusters, "
        f"{PROVISION_SECONDS:g} s provisioning, {LATENCY_MS} ms latency per request, {cpus()} CPUs; "
        "ratio: against the same host's 1-cluster `up`\n"
    )
    for r, rows in enumerate(runs, 1):
        out.write(f"run {r}\n{'variant':52} {'up s':>6} {'ratio':>6} {'destroy s':>9}  POST waves (n@s)\n")
        for run in rows:
            waves = " ".join(f"{n}@{t:.1f}" for n, t in run.waves())
            out.write(f"{run.variant.label:52} {run.up:6.2f} {ratio(rows, run):6.2f} {run.destroy:9.2f}  {waves}\n")
        many = [run for run in rows if run.variant.count > 1]
        for run in many:
            out.write(where_time_goes(run))
        for host in (DYNAMIC, NATIVE):
            first = next(run for run in many if run.variant.host == host)
            out.write(f"  {host}: requests per create: {per_create(first)}\n")
    out.write("ratio of `up` to the same host's 1-cluster `up` of the same run, min / median / max:\n")
    for i, first in enumerate(runs[0]):
        ratios = [ratio(rows, rows[i]) for rows in runs]
        ups = [rows[i].up for rows in runs]
        out.write(
            f"  {first.variant.label:52} {min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
            f"   (up {min(ups):.1f}-{max(ups):.1f} s)\n"
        )
    out.write(side_by_side(runs))
    pools = f"{DYNAMIC}'s from {HOST_WORKERS[DYNAMIC]}"
    out.write(f"* diagnosis only: the host's thread pool widened ({pools})\n")


def main(argv: list[str] | None = None) -> None:
    """`python -m benchmarks.cli_parallel [--repeat N]` (skips without a Pulumi CLI)."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli_parallel", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="repetitions of every variant (default 1)")
    args = parser.parse_args(argv)
    cli = find_cli()
    if cli is None:
        print("cli_parallel: skipped, no Pulumi CLI (run `make pulumi`)")
        return
    report(measure(args.repeat), cli)


if __name__ == "__main__":
    main()
