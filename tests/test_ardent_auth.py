"""HMAC signing and bearer keys against the emulator's verifier (real HTTP, real emulator process)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.ardent.auth import HmacAuth, signature, string_to_sign
from pulumi_dataplatforms_provider.ardent.client import ArdentClient, compact_json
from pulumi_dataplatforms_provider.core import AuthenticationError, NotFoundError
from tests.ardent_stacks import ardent_state

PATH = "/v1/configs/setTigerBeetleConfig"
BODY = {"Config": {"type": "tigerbeetle", "id": "tb-1", "cluster_id": "0", "replica_addresses": ["3000"]}}


def signed(emulator: EmulatorProcess, body: bytes, *, clock: float | None = None) -> httpx.Request:
    env = emulator.env()
    url = env["ARDENT_BASE_URL"] + PATH
    request = httpx.Request("POST", url, content=body, headers={"Content-Type": "application/json"})
    auth = HmacAuth(env["ARDENT_PUBLIC_KEY"], env["ARDENT_SECRET_KEY"], "/ardent", clock=lambda: clock or time.time())
    auth.apply(request)
    return request


def with_body(request: httpx.Request, content: bytes) -> httpx.Request:
    """The same signed headers over other bytes."""
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return httpx.Request(request.method, request.url, content=content, headers=headers)


def send(request: httpx.Request) -> httpx.Response:
    with httpx.Client() as client:
        return client.send(request)


def test_the_providers_signed_requests_are_accepted(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    client = ArdentClient(env["ARDENT_BASE_URL"], hmac=(env["ARDENT_PUBLIC_KEY"], env["ARDENT_SECRET_KEY"]))
    params = {"cluster_id": "0", "replica_addresses": ["réplica:3000"]}  # non-ASCII: signed bytes == sent bytes
    assert client.set_config("tigerbeetle", "tb-1", params)["id"] == "tb-1"
    assert ardent_state(emulator)["configs"]["tb-1"]["config"]["replica_addresses"] == ["réplica:3000"]
    assert client.delete_config("tb-1") is True


def test_altered_body_or_timestamp_is_rejected(emulator: EmulatorProcess) -> None:
    body = compact_json(BODY)
    assert send(signed(emulator, body)).status_code == 200

    tampered = signed(emulator, body)
    forged = with_body(tampered, body.replace(b'"0"', b'"7"'))
    answer = send(forged)
    assert answer.status_code == 401 and answer.json()["code"] == "unauthorized"

    moved = signed(emulator, body)
    moved.headers["X-Timestamp"] = str(int(moved.headers["X-Timestamp"]) + 1)
    assert send(moved).status_code == 401

    stale = signed(emulator, body, clock=time.time() - 301)
    assert "window" in send(stale).json()["message"]

    wrong_key = signed(emulator, body)
    wrong_key.headers["X-API-Key"] = "pk-ard_test_unknown"
    assert send(wrong_key).status_code == 401
    assert ardent_state(emulator)["configs"]["tb-1"]["revision"] == 1, "rejected requests change nothing"


def test_the_official_serialisation_gotcha_is_accepted(emulator: EmulatorProcess) -> None:
    """0.2.2 signs `json.dumps(..., ensure_ascii=True)` but httpx sends UTF-8 with other spacing."""
    body = {"Config": {**BODY["Config"], "replica_addresses": ["pé:3000"]}}
    request = signed(emulator, compact_json(body))
    sent_as_httpx_does = json.dumps(body, ensure_ascii=False).encode()  # ", " / ": " separators
    loose = with_body(request, sent_as_httpx_does)
    assert send(loose).status_code == 200


def test_bearer_keys_and_error_details(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    bearer = ArdentClient(env["ARDENT_BASE_URL"], api_key=env["ARDENT_API_KEY"])
    job = bearer.create_job("hello", "k-1")
    assert bearer.delete_job(job.id) is True
    with pytest.raises(ValueError, match="sk-ard_"):
        ArdentClient(env["ARDENT_BASE_URL"], api_key="not-a-key")
    forged = ArdentClient(env["ARDENT_BASE_URL"], api_key="sk-ard_test_forged")
    with pytest.raises(AuthenticationError) as denied:
        forged.create_job("hello", "k-2")
    err = denied.value
    assert err.status_code == 401 and err.code == "unauthorized" and err.request_id
    assert "sk-ard_test_forged" not in str(err)
    assert str(err.request_id) in str(err) and "Invalid API key" in str(err)
    with pytest.raises(NotFoundError):
        bearer.execute_job(job, "hello", safe_mode=False, idempotency_key="k-3", timeout=10)


def test_string_to_sign_is_the_contracts() -> None:
    message = string_to_sign("1700000000", "post", "/v1/jobs/createJob", '{"userMessage":"hi"}')
    assert message == '1700000000POST/v1/jobs/createJob{"userMessage":"hi"}'
    assert len(signature("s", message)) == 64
