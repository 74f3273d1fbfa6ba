"""Eloq: HTTP requests per operation against the official eloq-sdk, and parallel creates through the real host.

Everything runs against one emulator process with 50 ms injected latency per request.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pulumi.dynamic.dynamic import serialize_provider

from pulumi_dataplatforms_provider.core import RetryPolicy
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.eloq.cluster import ClusterProvider
from tests.emulator_process import EmulatorProcess
from tests.harness import ProviderHost

LATENCY_MS = 50
DESCRIBES = 50
PARALLEL_CLUSTERS = 8
HOST_WORKERS = 4
PROVISION_SECONDS = 2.0
ROOT = Path(__file__).resolve().parent.parent


def _requests(emu: EmulatorProcess) -> int:
    return int(emu.admin.request_counts()["total"])


def describe_comparison(emu: EmulatorProcess) -> list[tuple[str, int, int, float, float]]:
    """(operation, our requests, official requests, our seconds, official seconds)."""
    import eloq_sdk  # the official client, a test dependency

    env = emu.env()
    ours = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"], retry=RetryPolicy())
    official = eloq_sdk.from_key_and_url(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    sku = ours.list_skus("serverless", "eloqkv", "aws")[0].sku_id
    names = [f"bench-{i:02d}" for i in range(DESCRIBES)]
    for name in names:
        ours.create_cluster(name, "us-west-1", sku)
    rows = []

    def measure(label: str, mine: Any, theirs: Any) -> None:
        emu.admin.reset_counts()
        started = time.perf_counter()
        mine()
        mine_seconds, mine_requests = time.perf_counter() - started, _requests(emu)
        emu.admin.reset_counts()
        started = time.perf_counter()
        theirs()
        rows.append((label, mine_requests, _requests(emu), mine_seconds, time.perf_counter() - started))

    fresh = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"])
    measure(
        f"describe {DESCRIBES} clusters",
        lambda: [fresh.describe_cluster(n) for n in names],
        lambda: [official.cluster(n) for n in names],
    )
    measure(
        f"credentials of {DESCRIBES} clusters",
        lambda: [fresh.credentials(n) for n in names],
        lambda: [official.cluster_credentials(n) for n in names],
    )
    measure("list clusters (1 page)", lambda: fresh.list_clusters(1, 100), lambda: official.clusters(1, 100))
    return rows


def parallel_creates(emu: EmulatorProcess) -> tuple[float, float]:
    """(measured seconds, lower bound) for creating 8 clusters through the real host (4 workers)."""
    env = emu.env()
    emu.admin.delays(provision_seconds=PROVISION_SECONDS)
    provider = serialize_provider(ClusterProvider())
    host_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory() as tmp, ProviderHost(host_env, ROOT, Path(tmp) / "host.stderr") as host:
        host.configure({"eloq:apiKey": env["ELOQ_API_KEY"], "eloq:baseUrl": env["ELOQ_BASE_URL"]})

        def create(i: int) -> str:
            urn = f"urn:pulumi:bench::bench::pulumi-python:dynamic/eloq:Cluster::c{i}"
            news = {"__provider": provider, "__logicalName": f"c{i}", "region": "us-west-1", "skuId": 101}
            checked = host.check(urn, {}, news)
            id_, _ = host.create(urn, checked.inputs)
            return id_

        started = time.perf_counter()
        with ThreadPoolExecutor(PARALLEL_CLUSTERS) as pool:
            ids = list(pool.map(create, range(PARALLEL_CLUSTERS)))
        elapsed = time.perf_counter() - started
    assert len(set(ids)) == PARALLEL_CLUSTERS
    # Each create needs the provisioning delay plus at least 3 round trips (describe, POST, describe);
    # the host runs 4 calls at once, so 8 creates take at least two such waves.
    waves = math.ceil(PARALLEL_CLUSTERS / HOST_WORKERS)
    lower_bound = waves * (PROVISION_SECONDS + 3 * LATENCY_MS / 1000)
    return elapsed, lower_bound


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(Path(tmp) / "emu") as emu:
        emu.admin.faults("/eloq/api/v1", latency_ms=LATENCY_MS)
        rows = describe_comparison(emu)
        emu.admin.reset()
        emu.admin.faults("/eloq/api/v1", latency_ms=LATENCY_MS)
        elapsed, bound = parallel_creates(emu)
    out = sys.stdout
    out.write(f"Eloq, {LATENCY_MS} ms injected latency per request\n")
    out.write(f"{'operation':32} {'ours':>6} {'eloq-sdk':>9} {'ratio':>6} {'ours s':>7} {'sdk s':>7} {'speed-up':>8}\n")
    for label, mine, theirs, mine_s, theirs_s in rows:
        out.write(
            f"{label:32} {mine:6d} {theirs:9d} {mine / theirs:6.2f} {mine_s:7.2f} {theirs_s:7.2f} {theirs_s / mine_s:7.2f}x\n"
        )
    out.write(
        f"create {PARALLEL_CLUSTERS} clusters via the real host ({HOST_WORKERS} workers, {PROVISION_SECONDS:g}s provisioning): "
        f"{elapsed:.2f}s vs lower bound {bound:.2f}s (ratio {elapsed / bound:.2f})\n"
    )
