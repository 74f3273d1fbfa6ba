"""Start-up of the two provider hosts: from spawning the executable to the port on its stdout.

The engine starts a resource provider plugin as an executable with its own address as the last
argument and reads the port of the plugin's gRPC server from the first line of its stdout; only
then can it send the first request. The hosts, started as the engine starts them:

- native: `pulumi-resource-dataplatforms 127.0.0.1:PORT`, the shim `scripts/native_plugin.py`
  writes (`exec python -m pulumi_dataplatforms_provider.native`), which prints the port after
  `pulumi.provider.experimental.server` started its `grpc.aio` server;
- dynamic: `pulumi-resource-pulumi-python 127.0.0.1:PORT` from the CLI's directory, a shell
  script running `${PULUMI_PYTHON_CMD:-python3} -u -m pulumi.dynamic "$@"` (PULUMI_PYTHON_CMD is
  this interpreter, as `CliStack` sets it); `pulumi/dynamic/__main__.py` prints the port after
  its `grpc.server` started. Without a CLI, `python -u -m pulumi.dynamic` directly.

Neither host talks to the engine before it prints its port (the address is a dummy no one
answers). Each run spawns the executable in a new session, times until a whole line arrives on
stdout, then kills the session; the hosts alternate, the first round is a discarded warm-up.

    python -m benchmarks.startup --runs 9
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from scripts.cli_stack import find_cli
from scripts.native_plugin import write_plugin

ENGINE = "127.0.0.1:1"  # the engine address argument; nothing is dialled before the port is printed
DYNAMIC_HOST = "pulumi-resource-pulumi-python"


def dynamic_command() -> list[str]:
    """How the engine starts the dynamic-provider host: the CLI's script, else the module it runs."""
    cli = find_cli()
    script = cli.parent / DYNAMIC_HOST if cli is not None else None
    if script is not None and script.is_file():
        return [str(script), ENGINE]
    return [sys.executable, "-u", "-m", "pulumi.dynamic", ENGINE]


def time_to_port(command: Sequence[str], env: dict[str, str]) -> float:
    """Seconds from spawning `command` until it printed a port on stdout; then its session is killed."""
    begin = time.perf_counter()
    process = subprocess.Popen(
        list(command), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, start_new_session=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.perf_counter() - begin
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the dynamic host's script does not exec: kill the session
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if not line.strip().isdigit():
        raise RuntimeError(f"{command[0]} printed {line!r}, not a port")
    return elapsed


def measure(runs: int) -> tuple[dict[str, list[float]], dict[str, list[str]]]:
    """Per host, `runs` start-up times (after one warm-up each), the hosts alternating; and the commands."""
    with tempfile.TemporaryDirectory() as tmp:
        commands = {"native": [str(write_plugin(Path(tmp) / "bin")), ENGINE], "dynamic": dynamic_command()}
        env = {**os.environ, "PULUMI_PYTHON_CMD": sys.executable}
        times: dict[str, list[float]] = {host: [] for host in commands}
        for i in range(runs + 1):
            for host, command in commands.items():
                elapsed = time_to_port(command, env)
                if i:
                    times[host].append(elapsed)
    return times, commands


def report(times: dict[str, list[float]], commands: dict[str, list[str]], out: TextIO = sys.stdout) -> None:
    """Median, min and max per host, and the native host's median against the dynamic host's."""
    n = len(times["native"])
    out.write(f"\nProvider host start-up: spawn to the port on stdout, {n} runs each, interleaved\n")
    out.write(f"{'host':44} {'median s':>8} {'min s':>6} {'max s':>6} {'ratio':>6}\n")
    base = statistics.median(times["dynamic"])
    for host in ("dynamic", "native"):
        values = times[host]
        median = statistics.median(values)
        out.write(f"{host + ': ' + Path(commands[host][0]).name:44} {median:8.3f} {min(values):6.3f} ")
        out.write(f"{max(values):6.3f} {median / base:6.2f}\n")
    out.write("ratio: median against the dynamic host's median\n")


def main(argv: list[str] | None = None) -> None:
    """`python -m benchmarks.startup [--runs N]`."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="timed starts of each host (default 9)")
    args = parser.parse_args(argv)
    report(*measure(args.runs))


if __name__ == "__main__":
    main()
