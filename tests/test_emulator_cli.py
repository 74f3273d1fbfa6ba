"""`dataplatforms-emulator`: start/stop wait for their own process, a taken port is one clear line, admin commands."""

from __future__ import annotations

import argparse
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pulumi_dataplatforms_emulator import cli
from pulumi_dataplatforms_emulator.process import free_port


def emulator_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_dataplatforms_emulator", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.fixture
def occupied_port() -> Iterator[int]:
    """A port on which another HTTP server (not the emulator) answers every GET with 200."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def test_serve_on_a_taken_port_says_so_in_one_line_naming_the_port_and_the_fix(occupied_port: int) -> None:
    done = emulator_cli("serve", "--port", str(occupied_port), "--data-dir", "unused")
    assert done.returncode == cli.EXIT_PORT_TAKEN
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"port {occupied_port}" in lines[0] and "--port" in lines[0] and "EMULATOR_PORT" in lines[0]
    assert "Traceback" not in done.stderr


def test_start_never_reports_another_server_on_the_port_as_itself(occupied_port: int, tmp_path: Path) -> None:
    done = emulator_cli("start", "--port", str(occupied_port), "--data-dir", str(tmp_path))
    assert done.returncode == 1
    assert "running" not in done.stdout
    assert done.stderr.strip() == f"dataplatforms-emulator start: {cli.port_taken_message('127.0.0.1', occupied_port)}"
    assert not (tmp_path / "emulator.pid").exists()


def test_start_status_reset_state_stop(tmp_path: Path) -> None:
    port = str(free_port())
    started = emulator_cli("start", "--port", port, "--data-dir", str(tmp_path))
    assert started.returncode == 0, started.stderr
    pid = int((tmp_path / "emulator.pid").read_text())
    try:
        health = httpx.get(f"http://127.0.0.1:{port}/healthz").json()
        assert health["pid"] == pid, "start returned before its own process answered"
        status = emulator_cli("status", "--port", port)
        assert status.returncode == 0 and f"pid {pid}" in status.stdout

        env = cli.env_vars(port=int(port))
        put = httpx.post(
            f"{env['AEROSTACK_SERVER_URL']}/cache/set",
            json={"key": "k", "value": "v"},
            headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
        )
        assert put.status_code < 300, put.text
        state = json.loads(emulator_cli("state", "--port", port).stdout)
        assert any(entries for entries in state["aerostack"].values())
        assert emulator_cli("reset", "--port", port).returncode == 0
        assert not any(json.loads(emulator_cli("state", "--port", port).stdout)["aerostack"].values())
    finally:
        stopped = emulator_cli("stop", "--data-dir", str(tmp_path))
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stop returned only after the process had exited
    assert emulator_cli("status", "--port", port).returncode == cli.EXIT_NOT_RUNNING


def test_admin_commands_without_a_server_say_how_to_start_one() -> None:
    done = emulator_cli("state", "--port", str(free_port()))
    assert done.returncode == 1
    assert "dataplatforms-emulator start" in done.stderr and "Traceback" not in done.stderr


def test_every_flag_has_help_and_shows_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cli.PORT_VARIABLE, "9911")
    parser = cli._parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == {"serve", "start", "stop", "status", "reset", "state", "env"}
    for name, sub in commands.choices.items():
        text = sub.format_help()
        for action in sub._actions:
            if action.option_strings and action.dest != "help" and action.help != argparse.SUPPRESS:
                assert action.help, f"{name} {action.option_strings[0]} has no help"
                if action.default is not None:
                    assert f"(default: {action.default})" in " ".join(text.split()), (name, action.dest)
    assert "(default: 9911)" in " ".join(commands.choices["serve"].format_help().split()), "EMULATOR_PORT sets it"


def test_the_request_log_shows_each_request_and_no_credential(tmp_path: Path) -> None:
    port = str(free_port())
    assert emulator_cli("start", "--port", port, "--data-dir", str(tmp_path), "--request-log").returncode == 0
    env = cli.env_vars(port=int(port))
    try:
        ok = httpx.get(f"{env['ELOQ_BASE_URL']}org-info", headers={"Authorization": env["ELOQ_API_KEY"]})
        refused = httpx.get(f"{env['ELOQ_BASE_URL']}org-info", headers={"Authorization": "not-a-key-4242"})
        assert (ok.status_code, refused.status_code) == (200, 401)
    finally:
        emulator_cli("stop", "--data-dir", str(tmp_path))
    log = (tmp_path / "emulator.log").read_text()
    lines = [line for line in log.splitlines() if line.startswith("GET /eloq/api/v1/org-info ")]
    assert [line.split()[2:4] for line in lines] == [["200", "eloq"], ["401", "eloq"]]
    assert all(line.endswith("ms") for line in lines)
    assert env["ELOQ_API_KEY"] not in log and "not-a-key-4242" not in log
