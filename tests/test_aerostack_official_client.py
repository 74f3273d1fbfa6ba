"""The official `aerostack` 0.1.2 client, unchanged, against the emulator: every operation, sync and async."""

from __future__ import annotations

import asyncio
from pathlib import Path

# aerostack==0.1.2 is pinned in the dev extra; it fits the main venv (httpx 0.28.1, pydantic 2.x), so a
# missing install is a failure here, not a skip.
import aerostack  # noqa: F401
import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess

pytestmark = pytest.mark.official


def test_official_client_sync(emulator: EmulatorProcess, tmp_path: Path) -> None:
    from aerostack import SDK, errors

    env = emulator.env()
    httpx.put(f"{emulator.url}/_admin/aerostack/services/billing", json={"kind": "echo"}).raise_for_status()
    photo = tmp_path / "avatar.jpg"
    photo.write_bytes(b"\xff\xd8 not really a jpeg")
    with SDK(api_key_auth=env["AEROSTACK_API_KEY"], server_url=env["AEROSTACK_SERVER_URL"]) as sdk:
        assert "no model" in (sdk.ai.ai_chat(request={"messages": [{"role": "user", "content": "hi"}]}).response or "")
        up = sdk.authentication.auth_signup(request={"email": "o@example.com", "password": "password-o", "name": "O"})
        assert up.user is not None and up.user.name == "O" and up.expires_at is not None
        assert sdk.authentication.auth_signin(request={"email": "o@example.com", "password": "password-o"}).token
        with pytest.raises(errors.ErrorResponse) as bad:
            sdk.authentication.auth_signin(request={"email": "o@example.com", "password": "nope-nope"})
        assert bad.value.data.code.value == "AUTH_INVALID_CREDENTIALS"
        with pytest.raises(errors.ErrorResponse):
            sdk.authentication.auth_signup(request={"email": "o@example.com", "password": "password-o"})
        assert sdk.cache.cache_set(request={"key": "k", "value": None, "ttl": 5}).success
        assert sdk.cache.cache_get(request={"key": "k"}).exists is True
        sdk.database.db_query(request={"sql": "CREATE TABLE t (a)"})
        sdk.database.db_query(request={"sql": "INSERT INTO t VALUES (?)", "params": ["x"]})
        assert sdk.database.db_query(request={"sql": "SELECT a FROM t"}).results == [{"a": "x"}]
        with pytest.raises(errors.ErrorResponse) as db:
            sdk.database.db_query(request={"sql": "SELEC"})
        assert db.value.data.code.value == "DB_QUERY_FAILED"
        assert sdk.queue.queue_enqueue(request={"data": {"a": 1}, "type": "email", "delay": 5}).job_id
        assert sdk.services.services_invoke(request={"data": {"a": 1}, "service_name": "billing"}).success
        with photo.open("rb") as handle:
            url = sdk.storage.storage_upload(
                request={"file": {"content": handle, "file_name": "avatar.jpg"}, "key": "avatars/u1.jpg"}
            ).url
        assert url and httpx.get(url).content == photo.read_bytes()
        assert httpx.get(url).headers["content-type"] == "image/jpeg"
    with SDK(api_key_auth="wrong", server_url=env["AEROSTACK_SERVER_URL"]) as sdk, pytest.raises(errors.ErrorResponse):
        sdk.database.db_query(request={"sql": "SELECT 1"})


def test_official_client_async(emulator: EmulatorProcess) -> None:
    from aerostack import SDK

    env = emulator.env()
    httpx.put(f"{emulator.url}/_admin/aerostack/services/s", json={"result": [1, 2]}).raise_for_status()

    async def flow() -> None:
        async with SDK(api_key_auth=env["AEROSTACK_API_KEY"], server_url=env["AEROSTACK_SERVER_URL"]) as sdk:
            assert (await sdk.ai.ai_chat_async(request={"messages": [{}]})).response
            await sdk.authentication.auth_signup_async(request={"email": "p@example.com", "password": "password-p"})
            assert (
                await sdk.authentication.auth_signin_async(request={"email": "p@example.com", "password": "password-p"})
            ).token
            await sdk.cache.cache_set_async(request={"key": "a", "value": [1]})
            assert (await sdk.cache.cache_get_async(request={"key": "a"})).value == [1]
            assert (await sdk.database.db_query_async(request={"sql": "SELECT 2 AS two"})).results == [{"two": 2}]
            assert (await sdk.queue.queue_enqueue_async(request={"data": {}, "type": "x"})).success
            assert (await sdk.services.services_invoke_async(request={"data": {}, "service_name": "s"})).result == [
                1,
                2,
            ]
            upload = {"file": {"content": b"abc", "file_name": "a.txt"}, "key": "a.txt", "content_type": "text/plain"}
            url = (await sdk.storage.storage_upload_async(request=upload)).url
            assert url and httpx.get(url).content == b"abc"

    asyncio.run(flow())
