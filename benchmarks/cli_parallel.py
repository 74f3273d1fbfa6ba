"""Eloq through the real Pulumi CLI: wall time of `pulumi up` for 12 independent clusters against 1.

One emulator process (4 s provisioning, 50 ms injected latency per request); each variant is a
fresh stack of one program declaring `count` clusters, run with `CliStack` (`up`, then
`destroy`). Where the time goes comes from three clocks on this machine: the emulator's
`created_at` of each cluster (when its POST arrived), and the arrival of the CLI's
"<name> creating" (the engine started the step) and "<name> created" lines.

The last two variants are a diagnosis, not how anyone runs the provider: a `sitecustomize` on the
host's PYTHONPATH widens the thread pool of the Python dynamic-provider host
(`ThreadPoolExecutor(max_workers=4)` in pulumi/dynamic/__main__.py) to show what the ratio is
once the host stops queueing calls.

    python -m benchmarks.cli_parallel --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
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
from scripts.cli_stack import CliStack, find_cli, platform_config

PROVISION_SECONDS = 4.0
LATENCY_MS = 50
MANY = 12
HOST_WORKERS = 4  # ThreadPoolExecutor(max_workers=4) in pulumi/dynamic/__main__.py
PROJECT = "benchparallel"
PROGRAM = """\
import pulumi

from pulumi_dataplatforms import eloq

for i in range(pulumi.Config().require_int("count")):
    eloq.Cluster(
        f"c{i:02d}",
        region="us-west-1",
        sku=eloq.ClusterSkuArgs(type="serverless", module="eloqkv", cloud="aws"),
    )
"""
WIDE_HOST = """\
\"\"\"Benchmark diagnosis only: widen every thread pool (the dynamic-provider host's gRPC server has 4).\"\"\"
import concurrent.futures

_init = concurrent.futures.ThreadPoolExecutor.__init__


def _wide(self, max_workers=None, *args, **kwargs):
    _init(self, max(max_workers or 0, {workers}), *args, **kwargs)


concurrent.futures.ThreadPoolExecutor.__init__ = _wide
"""
STEP_LINE = re.compile(r"eloq:Cluster (\S+) (creating|created)\b")


@dataclass(frozen=True)
class Variant:
    """One stack: how many clusters, the engine's `--parallel` (None: the CLI default), the host's workers."""

    label: str
    count: int
    parallel: int | None = None
    host_workers: int = HOST_WORKERS


def cpus() -> int:
    """CPUs this process may run on (what the CLI's default `--parallel` is 4x)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def variants() -> list[Variant]:
    """1 cluster, then 12 with the CLI's default `--parallel`, with `--parallel 12`, and the two diagnoses."""
    default = f"default {4 * cpus()}"
    return [
        Variant("1 cluster", 1),
        Variant(f"{MANY} clusters, --parallel {default}", MANY),
        Variant(f"{MANY} clusters, --parallel {MANY}", MANY, parallel=MANY),
        Variant(f"{MANY}, --parallel {MANY}, host {MANY} workers*", MANY, parallel=MANY, host_workers=MANY),
        Variant(f"{MANY}, --parallel {default}, host {MANY} workers*", MANY, host_workers=MANY),
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


def run_variant(emu: EmulatorProcess, program: Path, work: Path, variant: Variant, stack_name: str) -> Run:
    """`up` then `destroy` of a fresh stack of `program` with `variant.count` clusters."""
    env = emu.env()
    if variant.host_workers != HOST_WORKERS:
        site = work / f"{stack_name}-site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(WIDE_HOST.format(workers=variant.host_workers))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    stack = CliStack(program, work / stack_name, stack_name=stack_name, env=env)
    plain, secret = platform_config(env)
    stack.configure({**plain, f"{PROJECT}:count": str(variant.count)}, secret)
    options: dict[str, Any] = {} if variant.parallel is None else {"parallel": variant.parallel}
    emu.admin.reset_counts()
    lines = _Lines()
    begin = time.time()
    with contextlib.redirect_stdout(lines):
        outcome = stack.up(echo=True, **options)
    up = time.time() - begin
    requests = dict(emu.admin.request_counts()["routes"])
    clusters = emu.admin.state()["eloq"]["clusters"]
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
    return Run(variant, up, destroy, posts, steps["creating"], steps["created"], requests)


def measure(repeat: int) -> list[list[Run]]:
    """Every variant `repeat` times, one emulator; runs[i] is repetition i."""
    runs: list[list[Run]] = []
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(Path(tmp) / "emu") as emu:
        emu.admin.delays(provision_seconds=PROVISION_SECONDS)
        emu.admin.faults("/eloq/api/v1", latency_ms=LATENCY_MS)
        program = Path(tmp) / PROJECT
        program.mkdir()
        (program / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
        (program / "__main__.py").write_text(PROGRAM)
        with environ(emu.env()):
            for r in range(repeat):
                runs.append([run_variant(emu, program, Path(tmp), v, f"r{r}-v{i}") for i, v in enumerate(variants())])
    return runs


def where_time_goes(run: Run) -> str:
    """Concurrency and per-create times of one many-cluster run, from the three clocks."""
    created = [run.created[k] - run.posts[k] for k in run.posts if k in run.created]
    queued = [run.posts[k] - run.started[k] for k in run.posts if k in run.started]
    last = max(run.created.values(), default=run.up)
    return (
        f"  {run.variant.label}: engine steps open at once {peak(run.intervals(run.started))}, "
        f"creates at the platform at once {peak(run.intervals(run.posts))}; mean step start -> POST "
        f"{mean(queued):.2f} s, POST -> created {mean(created):.2f} s; first POST at "
        f"{min(run.posts.values()):.2f} s, last created to end of `up` {run.up - last:.2f} s\n"
    )


def per_create(run: Run) -> str:
    """Requests per cluster by route (method and last path segment)."""
    n = run.variant.count
    return ", ".join(
        f"{route.split(' ', 1)[0]} {route.rsplit('/', 1)[-1]} {count / n:g}"
        for route, count in sorted(run.requests.items())
        if count >= n
    )


def report(runs: list[list[Run]], cli: Path, out: TextIO = sys.stdout) -> None:
    """Per repetition: the table, then where the time goes for 12 clusters; then the spread of the ratios."""
    version = subprocess.run([str(cli), "version"], capture_output=True, text=True, check=False).stdout.strip()
    out.write(
        f"\nEloq through the real Pulumi CLI {version}: `pulumi up` of N independent clusters, "
        f"{PROVISION_SECONDS:g} s provisioning, {LATENCY_MS} ms latency per request, {cpus()} CPUs\n"
    )
    for r, rows in enumerate(runs, 1):
        base = rows[0].up
        out.write(f"run {r}\n{'variant':44} {'up s':>6} {'ratio':>6} {'destroy s':>9}  POST waves (n@s)\n")
        for run in rows:
            waves = " ".join(f"{n}@{t:.1f}" for n, t in run.waves())
            out.write(f"{run.variant.label:44} {run.up:6.2f} {run.up / base:6.2f} {run.destroy:9.2f}  {waves}\n")
        many = [run for run in rows if run.variant.count > 1]
        for run in many:
            out.write(where_time_goes(run))
        out.write(f"  requests per create: {per_create(many[0])}\n")
    out.write("ratio of `up` to the 1-cluster `up` of the same run, min / median / max:\n")
    for i, first in enumerate(runs[0]):
        ratios = [rows[i].up / rows[0].up for rows in runs]
        ups = [rows[i].up for rows in runs]
        out.write(
            f"  {first.variant.label:44} {min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
            f"   (up {min(ups):.1f}-{max(ups):.1f} s)\n"
        )
    out.write(f"* diagnosis only: the dynamic-provider host's thread pool widened from {HOST_WORKERS}\n")


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
