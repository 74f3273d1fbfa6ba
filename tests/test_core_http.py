"""The shared HTTP core against a real emulator process: retries, typed errors, redaction, async twin."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.core import (
    APIConnectionError,
    AsyncBaseClient,
    AuthenticationError,
    BaseClient,
    ClientOptions,
    HeaderKeyAuth,
    RetryPolicy,
    ServerError,
)
from pulumi_dataplatforms_provider.core.retry import retry_after_seconds
from pulumi_dataplatforms_provider.eloq.client import EloqClient

FAST = RetryPolicy(max_retries=6, initial_delay=0.01, max_delay=0.05, deadline=10)


def eloq_client(emulator: EmulatorProcess, key: str | None = None, retry: RetryPolicy = FAST) -> EloqClient:
    env = emulator.env()
    return EloqClient(key or env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"], retry=retry)


def count(emulator: EmulatorProcess, method: str, suffix: str) -> int:
    routes = emulator.admin.request_counts()["paths"]
    return sum(n for route, n in routes.items() if route.startswith(method + " ") and route.endswith(suffix))


def test_get_is_retried_through_injected_503s(emulator: EmulatorProcess) -> None:
    emulator.admin.faults("/eloq/api/v1/org-info", error_rate=1.0, error_statuses=[503], max_faults=3)
    info = eloq_client(emulator).info()
    assert info.org_info.projects
    assert count(emulator, "GET", "/org-info") == 4


def test_post_is_not_blindly_retried_on_503(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    client.info()
    emulator.admin.faults("/eloq/api/v1/orgs", method="POST", error_rate=1.0, error_statuses=[503])
    with pytest.raises(ServerError) as caught:
        client.create_cluster("once", "us-west-1", client.list_skus("serverless", "eloqkv", "aws")[0].sku_id)
    assert caught.value.status_code == 503
    assert count(emulator, "POST", "/clusters") == 1


def test_429_is_retried_even_for_post(emulator: EmulatorProcess) -> None:
    client = eloq_client(emulator)
    sku = client.list_skus("serverless", "eloqkv", "aws")[0].sku_id
    emulator.admin.faults("/eloq/api/v1/orgs", method="POST", error_rate=1.0, error_statuses=[429], max_faults=2)
    client.create_cluster("limited", "us-west-1", sku)
    assert count(emulator, "POST", "/clusters") == 3
    assert client.describe_cluster("limited").display_cluster_name == "limited"


def test_retries_stop_at_max_retries(emulator: EmulatorProcess) -> None:
    emulator.admin.faults("/eloq/api/v1/org-info", error_rate=1.0, error_statuses=[502])
    policy = RetryPolicy(max_retries=2, initial_delay=0.01, max_delay=0.02, deadline=10)
    with pytest.raises(ServerError):
        eloq_client(emulator, retry=policy).info()
    assert count(emulator, "GET", "/org-info") == 3


def test_authentication_error_carries_status_code_message_and_hides_the_key(emulator: EmulatorProcess) -> None:
    secret_key = "eloq-wrong-key-7f3a9c"
    with pytest.raises(AuthenticationError) as caught:
        eloq_client(emulator, key=secret_key).info()
    error = caught.value
    assert error.status_code == 401
    assert error.code == "401"
    assert "invalid token" in error.message
    assert error.request_id
    text = str(error)
    assert "401" in text and "invalid token" in text and error.request_id in text
    assert secret_key not in text and secret_key not in repr(error)


def test_dropped_connection_is_retried_for_get_and_typed_otherwise(emulator: EmulatorProcess) -> None:
    emulator.admin.faults("/eloq/api/v1/org-info", drop_rate=1.0, max_faults=2)
    assert eloq_client(emulator).info().org_info.org_id
    emulator.admin.faults("/eloq/api/v1/org-info", drop_rate=1.0)
    with pytest.raises(APIConnectionError):
        eloq_client(emulator, retry=RetryPolicy(max_retries=1, initial_delay=0.01)).info()


def test_debug_log_redacts_credentials(emulator: EmulatorProcess, caplog: pytest.LogCaptureFixture) -> None:
    key = emulator.env()["ELOQ_API_KEY"]
    with caplog.at_level(logging.DEBUG, logger="pulumi_dataplatforms.http"):
        eloq_client(emulator).info()
    assert "GET /eloq/api/v1/org-info" in caplog.text
    assert "<redacted>" in caplog.text
    assert key not in caplog.text


def test_auth_objects_refuse_pickling_and_hide_their_key() -> None:
    import pickle

    auth = HeaderKeyAuth("Authorization", "k-123-secret")
    assert "k-123-secret" not in repr(auth)
    with pytest.raises(TypeError):
        pickle.dumps(auth)


def test_async_twin_retries_like_the_sync_client(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    emulator.admin.faults("/eloq/api/v1/org-info", error_rate=1.0, error_statuses=[503], max_faults=2)

    async def fetch() -> int:
        options = ClientOptions(base_url=env["ELOQ_BASE_URL"], retry=FAST)
        client = AsyncBaseClient(options, HeaderKeyAuth("Authorization", env["ELOQ_API_KEY"]))
        try:
            response = await client.request("GET", "org-info")
            return int(response.json()["code"])
        finally:
            await client.aclose()

    assert asyncio.run(fetch()) == 200
    assert count(emulator, "GET", "/org-info") == 3


def test_every_request_has_a_timeout(emulator: EmulatorProcess) -> None:
    emulator.admin.faults("/eloq/api/v1/org-info", latency_ms=1500)
    env = emulator.env()
    options = ClientOptions(base_url=env["ELOQ_BASE_URL"], timeout=0.3, retry=RetryPolicy(max_retries=0))
    client = BaseClient(options, HeaderKeyAuth("Authorization", env["ELOQ_API_KEY"]))
    with pytest.raises(APIConnectionError) as caught:
        client.request("GET", "org-info")
    assert "timed out" in str(caught.value)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"retry-after": "2"}, 2.0), ({"retry-after": "3600"}, 60.0), ({"retry-after-ms": "250"}, 0.25), ({}, None)],
)
def test_retry_after_is_honoured_and_capped(headers: dict[str, str], expected: float | None) -> None:
    response = httpx.Response(503, headers=headers)
    assert retry_after_seconds(response) == expected
    if expected is not None:
        assert RetryPolicy().delay(3, response) == expected


def test_backoff_grows_and_is_bounded() -> None:
    policy = RetryPolicy(initial_delay=0.5, max_delay=4.0)
    assert all(0.25 <= policy.delay(0) <= 0.5 for _ in range(20))
    assert all(2.0 <= policy.delay(10) <= 4.0 for _ in range(20))
