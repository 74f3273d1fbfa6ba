"""Eloq: HTTP requests and seconds per operation, ours against the official eloq-sdk, side by side.

Everything runs against one emulator process with 50 ms injected latency per request. Parallel
creates through the real Pulumi CLI and provider host are measured in `benchmarks.cli_parallel`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.core import RetryPolicy
from pulumi_dataplatforms_provider.eloq.client import EloqClient

LATENCY_MS = 50
DESCRIBES = 50


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


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, EmulatorProcess(Path(tmp) / "emu") as emu:
        emu.admin.faults("/eloq/api/v1", latency_ms=LATENCY_MS)
        rows = describe_comparison(emu)
    out = sys.stdout
    out.write(f"Eloq, {LATENCY_MS} ms injected latency per request\n")
    out.write(f"{'operation':32} {'ours':>6} {'eloq-sdk':>9} {'ratio':>6} {'ours s':>7} {'sdk s':>7} {'speed-up':>8}\n")
    for label, mine, theirs, mine_s, theirs_s in rows:
        out.write(
            f"{label:32} {mine:6d} {theirs:9d} {mine / theirs:6.2f} {mine_s:7.2f} {theirs_s:7.2f} {theirs_s / mine_s:7.2f}x\n"
        )
