"""Run the emulator in the background and talk to a running one: start, stop, status, reset, state.

`start` launches `serve` detached, with its output in `<data-dir>/emulator.log` and its pid in
`<data-dir>/emulator.pid`, and returns only once *its own* process answers `/healthz` (the
instance id it was given comes back), so a different server on the port is never mistaken
for it. `stop` returns only once the process has exited.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .settings import root_url

START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
POLL_SECONDS = 0.1
LOG_FILE_NAME = "emulator.log"
PID_FILE_NAME = "emulator.pid"
SERVE_PREFIX = "dataplatforms-emulator serve: "


class ControlError(RuntimeError):
    """A lifecycle command could not do what was asked; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where a server listens and where it keeps its files."""

    host: str
    port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return root_url(self.host, self.port)

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_FILE_NAME

    @property
    def pid_path(self) -> Path:
        return self.data_dir / PID_FILE_NAME


def health(url: str, timeout: float = 1.0) -> dict[str, Any] | None:
    """The `/healthz` answer of a server at `url`, or None when nothing (or something else) answers."""
    try:
        response = httpx.get(f"{url}/healthz", timeout=timeout)
        body = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    return body if isinstance(body, dict) and body.get("status") == "ok" else None


def recorded_pid(target: Target) -> int | None:
    """The pid in the pid file if that process is alive."""
    try:
        pid = int(target.pid_path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def start(target: Target, serve_args: list[str]) -> dict[str, Any]:
    """Start `serve` in the background; return its health once it answers with its own instance id."""
    running = recorded_pid(target)
    if running is not None:
        answer = health(target.url)
        if answer is not None and answer.get("pid") == running:
            return answer
    instance = uuid.uuid4().hex
    target.data_dir.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pulumi_dataplatforms_emulator", "serve", *serve_args, "--instance-id", instance]
    with target.log_path.open("ab") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    target.pid_path.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            target.pid_path.unlink(missing_ok=True)
            reason = (last_error_line(target.log_path) or "").removeprefix(SERVE_PREFIX)
            raise ControlError(reason or f"the emulator exited with {process.returncode}; see {target.log_path}")
        answer = health(target.url)
        if answer is not None and answer.get("instance") == instance:
            return answer
        time.sleep(POLL_SECONDS)
    process.kill()
    process.wait()
    target.pid_path.unlink(missing_ok=True)
    raise ControlError(
        f"the emulator did not answer on {target.url} within {START_TIMEOUT:.0f}s; see {target.log_path}"
    )


def stop(target: Target, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the recorded server and wait until it has exited; False when none was running."""
    pid = recorded_pid(target)
    target_was_running = pid is not None
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        if not _wait_exit(pid, timeout):
            os.kill(pid, signal.SIGKILL)
            _wait_exit(pid, timeout)
    target.pid_path.unlink(missing_ok=True)
    return target_was_running


def _wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            finished = 0
            try:
                os.kill(pid, 0)
            except OSError:
                return True
        if finished == pid:
            return True
        time.sleep(POLL_SECONDS)
    return False


def last_error_line(log_path: Path) -> str | None:
    """The last non-empty line of a server log (a failed start's one-line reason)."""
    try:
        lines = [line.strip() for line in log_path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return None
    return lines[-1] if lines else None


def admin(url: str, method: str, path: str) -> Any:
    """Call the admin API of a running server; a clear error when none answers."""
    try:
        response = httpx.request(method, f"{url}/_admin/{path}", timeout=30)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise ControlError(
            f"no emulator answered at {url} ({exc}); start one with `dataplatforms-emulator start`"
        ) from exc
    return response.json()


def dumps(value: Any) -> str:
    """Pretty JSON for the terminal."""
    return json.dumps(value, indent=2, sort_keys=True)
