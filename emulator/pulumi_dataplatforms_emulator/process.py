"""The emulator in a subprocess, with a client for its admin API: for tests, benchmarks and scripts.

As moto's server mode or LocalStack's client, this is how other code starts a private emulator
(`python -m pulumi_dataplatforms_emulator serve` on a free port and its own data directory) and
injects faults, delays and drift through `/_admin`. Usage::

    with EmulatorProcess(tmp_path / "emu") as emu:
        env = emu.env()                # ELOQ_BASE_URL, ELOQ_API_KEY, ... for this port
        emu.admin.faults(path="/eloq", error_rate=1.0)
        emu.kill()                     # SIGKILL
        emu.start()                    # same data dir and port
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from pulumi_dataplatforms_emulator.cli import env_vars


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (bind port 0, read it, release it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class AdminClient:
    """Thin client of ``/_admin``."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = httpx.request(method, f"{self.url}/_admin{path}", json=json, timeout=10)
        response.raise_for_status()
        return response.json()

    def reset(self) -> dict[str, Any]:
        """Clear all state, fault rules and counts; restore start-up delays."""
        result: dict[str, Any] = self._call("POST", "/reset")
        return result

    def faults(
        self,
        path: str = "/",
        *,
        method: str | None = None,
        body_regex: str | None = None,
        latency_ms: float = 0,
        error_rate: float = 0,
        error_statuses: list[int] | None = None,
        drop_rate: float = 0,
        lost_rate: float = 0,
        lost_as: str = "drop",
        slow_rate: float = 0,
        slow_ms: float = 0,
        retry_after: str | None = "0",
        seed: int | None = None,
        max_faults: int | None = None,
        regex: bool | None = None,
    ) -> dict[str, Any]:
        """Add a fault rule; returns it with its id.

        ``lost_rate``: handled, then the answer is lost as a drop or an error (``lost_as``);
        ``slow_rate``: handled, then answered after ``slow_ms``; ``body_regex``: only requests
        whose body it searches.
        """
        body: dict[str, Any] = {
            "path": path,
            "method": method,
            "body_regex": body_regex,
            "latency_ms": latency_ms,
            "error_rate": error_rate,
            "drop_rate": drop_rate,
            "lost_rate": lost_rate,
            "lost_as": lost_as,
            "slow_rate": slow_rate,
            "slow_ms": slow_ms,
            "retry_after": retry_after,
            "seed": seed,
            "max_faults": max_faults,
            "regex": regex,
        }
        if error_statuses is not None:
            body["error_statuses"] = error_statuses
        result: dict[str, Any] = self._call("POST", "/faults", body)
        return result

    def list_faults(self) -> list[dict[str, Any]]:
        """Active rules with their matched/fired counters."""
        result: list[dict[str, Any]] = self._call("GET", "/faults")
        return result

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._call("DELETE", "/faults")

    def delays(self, provision_seconds: float | None = None, deletion_seconds: float | None = None) -> dict[str, float]:
        """Set lifecycle delays (None keeps a value); returns the current ones."""
        body = {"provision_seconds": provision_seconds, "deletion_seconds": deletion_seconds}
        result: dict[str, float] = self._call("PUT", "/delays", body)
        return result

    def request_counts(self) -> dict[str, Any]:
        """``{"total": n, "routes": {"GET /eloq/api/v1/org-info": n}, "paths": {...}}``."""
        result: dict[str, Any] = self._call("GET", "/requests")
        return result

    def reset_counts(self) -> None:
        """Zero the request counts and empty the request log."""
        self._call("DELETE", "/requests")

    def request_log(self, since: int = 0) -> list[dict[str, Any]]:
        """Logged requests with ``seq > since``, oldest first.

        Each: ``seq, started_at, started_monotonic, method, path, route, request_id, status``
        (int, ``"dropped"`` or ``"client_closed"``), ``fault, handled, service_status, duration_ms``.
        """
        result: list[dict[str, Any]] = self._call("GET", f"/requests/log?since={since}")["entries"]
        return result

    def state(self) -> dict[str, Any]:
        """Every service's state."""
        result: dict[str, Any] = self._call("GET", "/state")
        return result

    # -- Eloq drift helpers -------------------------------------------------------------------
    def eloq_set_status(self, org_id: int, project_id: int, name: str, status: str | None) -> dict[str, Any]:
        """Force a cluster's status (None resumes the timed lifecycle)."""
        result: dict[str, Any] = self._call(
            "POST", f"/eloq/clusters/{org_id}/{project_id}/{name}/status", {"status": status}
        )
        return result

    def eloq_patch(self, org_id: int, project_id: int, name: str, **fields: Any) -> dict[str, Any]:
        """Overwrite stored cluster fields (region, zone, version, sku_id, elb_addr, ...)."""
        result: dict[str, Any] = self._call("PATCH", f"/eloq/clusters/{org_id}/{project_id}/{name}", fields)
        return result

    def eloq_remove(self, org_id: int, project_id: int, name: str) -> None:
        """Remove a cluster instantly (raises on 404)."""
        self._call("DELETE", f"/eloq/clusters/{org_id}/{project_id}/{name}")


class EmulatorProcess:
    """The emulator in a subprocess; also a context manager (start on enter, stop on exit)."""

    def __init__(
        self,
        data_dir: Path | str,
        port: int = 0,
        provision_seconds: float = 0.0,
        deletion_seconds: float = 0.0,
        host: str = "127.0.0.1",
        startup_timeout: float = 20.0,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port or free_port(host)
        self.provision_seconds = provision_seconds
        self.deletion_seconds = deletion_seconds
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.data_dir / "emulator.log"

    @property
    def url(self) -> str:
        """Root URL, e.g. ``http://127.0.0.1:41234``."""
        return f"http://{self.host}:{self.port}"

    @property
    def admin(self) -> AdminClient:
        """Admin API helpers."""
        return AdminClient(self.url)

    def env(self) -> dict[str, str]:
        """The variables ``dataplatforms-emulator env`` prints, for this host and port."""
        return env_vars(self.host, self.port)

    def command(self) -> list[str]:
        """The command line used to start the server."""
        return [
            sys.executable,
            "-m",
            "pulumi_dataplatforms_emulator",
            "serve",
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            "--provision-seconds",
            str(self.provision_seconds),
            "--deletion-seconds",
            str(self.deletion_seconds),
        ]

    def start(self) -> EmulatorProcess:
        """Start (or restart) the server and wait until ``/healthz`` answers."""
        if self.running:
            raise RuntimeError("emulator already running")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"emulator exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise TimeoutError(f"emulator did not answer /healthz within {self.startup_timeout}s:\n{self.log()}")

    @property
    def running(self) -> bool:
        """Whether the subprocess is alive."""
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        """The subprocess id."""
        return None if self.proc is None else self.proc.pid

    def log(self) -> str:
        """Everything the server printed so far (all runs on this data dir)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL, no cleanup: simulates a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM and wait (SIGKILL after ``timeout``); returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def restart(self) -> EmulatorProcess:
        """Graceful stop, then start on the same port and data dir."""
        self.stop()
        return self.start()

    def __enter__(self) -> EmulatorProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def credentials(platform: str, env: dict[str, str]) -> dict[str, str]:
    """Headers with valid credentials of `platform` on the emulator whose `env()` this is (Ardent: the bearer key)."""
    if platform == "eloq":
        return {"Authorization": env["ELOQ_API_KEY"]}
    if platform == "ardent":
        return {"Authorization": f"Bearer {env['ARDENT_API_KEY']}"}
    if platform == "spark":
        return {"x-tenant-name": env["CSPARK_TENANT"], "x-synthetic-key": env["CSPARK_API_KEY"]}
    return {"X-Aerostack-Key": env["AEROSTACK_API_KEY"]}
