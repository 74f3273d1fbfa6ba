"""The Aerostack client (sync and async) against a real emulator process: operations, errors, retries, streaming."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.aerostack import SERVERS, server_url
from pulumi_dataplatforms_provider.aerostack.client import AerostackClient, AsyncAerostackClient
from pulumi_dataplatforms_provider.core import AuthenticationError, ConflictError, ServerError, ValidationError

REPO_ROOT = Path(__file__).resolve().parent.parent


def client_for(emulator: EmulatorProcess) -> AerostackClient:
    env = emulator.env()
    return AerostackClient(env["AEROSTACK_API_KEY"], env["AEROSTACK_SERVER_URL"])


def count(emulator: EmulatorProcess, path: str) -> int:
    return int(emulator.admin.request_counts()["paths"].get(f"POST /aerostack/v1{path}", 0))


def test_server_selection() -> None:
    assert server_url(0) == SERVERS[0] == "https://api.aerostack.ai/v1"
    assert server_url("1") == "http://localhost:8787/v1"
    assert server_url("http://127.0.0.1:9/x/v1/") == "http://127.0.0.1:9/x/v1"
    with pytest.raises(IndexError):
        server_url(2)


def test_all_nine_operations_sync(emulator: EmulatorProcess, tmp_path: Path) -> None:
    httpx.put(f"{emulator.url}/_admin/aerostack/services/billing", json={"kind": "echo"}).raise_for_status()
    with client_for(emulator) as api:
        assert "no model was run" in (api.ai_chat([{"role": "user", "content": "hello"}]).response or "")
        signed_up = api.auth_signup("ada@example.com", "correct horse", name="Ada")
        assert signed_up.user and signed_up.user.email == "ada@example.com" and signed_up.token
        assert "correct horse" not in repr(signed_up) and signed_up.token not in repr(signed_up)
        session = api.auth_signin("ada@example.com", "correct horse")
        claims = httpx.post(f"{emulator.url}/_admin/aerostack/verify-token", json={"token": session.token}).json()
        assert claims["email"] == "ada@example.com" and claims["exp"] > claims["iat"]
        assert api.cache_set("k", {"a": [1, "é"]}, ttl=60).success
        assert api.cache_get("k").value == {"a": [1, "é"]}
        api.db_query("CREATE TABLE t (a, b)")
        assert api.db_query("INSERT INTO t VALUES (?, ?)", [1, None]).count == 1
        assert api.db_query("SELECT a, b FROM t").results == [{"a": 1, "b": None}]
        job = api.queue_enqueue("email", {"to": "ada"}, delay=30)
        assert job.job_id and job.success
        assert api.services_invoke("billing", {"n": 1}).result == {"service": "billing", "data": {"n": 1}}
        source = tmp_path / "hello.txt"
        source.write_bytes(b"hello world")
        uploaded = api.storage_upload("files/hello.txt", source)
        assert uploaded.url and httpx.get(uploaded.url).content == b"hello world"
    jobs = httpx.get(f"{emulator.url}/_admin/aerostack/jobs").json()
    assert [(j["jobId"], j["delay"]) for j in jobs] == [(job.job_id, 30)]
    users = emulator.admin.state()["aerostack"]
    assert "correct horse" not in json.dumps(users)


def test_all_nine_operations_async(emulator: EmulatorProcess, tmp_path: Path) -> None:
    httpx.put(f"{emulator.url}/_admin/aerostack/services/s", json={"result": 42}).raise_for_status()
    env = emulator.env()
    source = tmp_path / "a.bin"
    source.write_bytes(b"\x00\x01" * 1000)

    async def flow() -> None:
        async with AsyncAerostackClient(env["AEROSTACK_API_KEY"], env["AEROSTACK_SERVER_URL"]) as api:
            assert (await api.ai_chat([{"content": "x"}], model="m")).response
            await api.auth_signup("b@example.com", "password-b")
            assert (await api.auth_signin("b@example.com", "password-b")).token
            await api.cache_set("a", 1)
            assert (await api.cache_get("a")).value == 1
            assert (await api.db_query("SELECT 1 AS one")).results == [{"one": 1}]
            assert (await api.queue_enqueue("t", {})).job_id
            assert (await api.services_invoke("s", {})).result == 42
            url = (await api.storage_upload("a.bin", source)).url
            assert url and httpx.get(url).content == source.read_bytes()

    asyncio.run(flow())


def test_typed_errors_carry_status_code_message_request_id(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    with AerostackClient("wrong-key", env["AEROSTACK_SERVER_URL"]) as bad, pytest.raises(AuthenticationError) as auth:
        bad.cache_get("k")
    assert auth.value.code == "AUTH_INVALID_KEY" and auth.value.request_id
    assert "wrong-key" not in str(auth.value)
    with client_for(emulator) as api:
        with pytest.raises(ValidationError) as db:
            api.db_query("SELECT * FROM missing")
        assert db.value.status_code == 400 and db.value.code == "DB_QUERY_FAILED" and "no such table" in str(db.value)
        api.auth_signup("c@example.com", "password-c")
        with pytest.raises(ConflictError):
            api.auth_signup("c@example.com", "password-c")
        with pytest.raises(AuthenticationError) as cred:
            api.auth_signin("c@example.com", "wrong-password")
        assert cred.value.code == "AUTH_INVALID_CREDENTIALS"


def test_retries_only_what_is_safe_to_replay(emulator: EmulatorProcess) -> None:
    with client_for(emulator) as api:
        emulator.admin.faults("/aerostack/v1/cache/set", error_rate=1.0, error_statuses=[503], max_faults=2)
        assert api.cache_set("r", 1).success and count(emulator, "/cache/set") == 3
        emulator.admin.clear_faults()
        emulator.admin.faults("/aerostack/v1/queue/enqueue", error_rate=1.0, error_statuses=[503], max_faults=1)
        with pytest.raises(ServerError):
            api.queue_enqueue("t", {})
        assert count(emulator, "/queue/enqueue") == 1, "enqueue must not be replayed on 5xx"
        emulator.admin.clear_faults()
        emulator.admin.faults("/aerostack/v1/db/query", error_rate=1.0, error_statuses=[503], max_faults=1)
        with pytest.raises(ServerError):
            api.db_query("CREATE TABLE x (a)")
        emulator.admin.faults("/aerostack/v1/db/query", error_rate=1.0, error_statuses=[503], max_faults=1)
        assert api.db_query("SELECT 1 AS a").results == [{"a": 1}]
        assert count(emulator, "/db/query") == 3, "the write is sent once, the SELECT retried"


def test_token_expires(emulator: EmulatorProcess) -> None:
    with client_for(emulator) as api:
        token = api.auth_signup("d@example.com", "password-d").token
    verify = f"{emulator.url}/_admin/aerostack/verify-token"
    assert httpx.post(verify, json={"token": token}).status_code == 200
    assert httpx.post(verify, json={"token": (token or "") + "x"}).status_code == 401
    httpx.post(f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": 3601}).raise_for_status()
    assert "expired" in httpx.post(verify, json={"token": token}).json()["message"]


UPLOADER = """
import sys, tracemalloc
from pulumi_dataplatforms_provider.aerostack.client import AerostackClient
api = AerostackClient(sys.argv[1], sys.argv[2])
api.db_query("SELECT 1")  # warm up imports and the connection
tracemalloc.start()
url = api.storage_upload("big/blob.bin", sys.argv[3]).url
upload_peak = tracemalloc.get_traced_memory()[1]
tracemalloc.reset_peak()
with open(sys.argv[3], "rb") as f:
    whole = f.read()  # control: reading the file whole must show up in the same measurement
print(upload_peak, tracemalloc.get_traced_memory()[1], url)
"""


def test_50_mib_upload_streams(emulator: EmulatorProcess, tmp_path: Path) -> None:
    size = 50 * 1024 * 1024
    blob = tmp_path / "blob.bin"
    with blob.open("wb") as out:
        for i in range(50):
            out.write(bytes([i]) * (1024 * 1024))
    env = emulator.env()
    script = tmp_path / "upload.py"
    script.write_text(textwrap.dedent(UPLOADER))
    done = subprocess.run(
        [sys.executable, str(script), env["AEROSTACK_API_KEY"], env["AEROSTACK_SERVER_URL"], str(blob)],
        capture_output=True, text=True, check=True, cwd=REPO_ROOT, timeout=120,
    )  # fmt: skip
    peak, control, url = done.stdout.split()
    growth = int(peak)
    print(f"upload of 50 MiB: traced peak {growth / 2**20:.2f} MiB; control read-whole: {int(control) / 2**20:.1f} MiB")
    assert int(control) >= size, "the measurement cannot see a whole-file read"
    assert growth < size / 5, f"peak traced memory was {growth} bytes for a {size}-byte upload"
    with httpx.stream("GET", url) as response:
        received = sum(len(chunk) for chunk in response.iter_bytes())
    assert received == size
