"""Every API error says what failed and which setting fixes it; a missing credential fails `check`, before any call."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess, free_port
from pulumi_dataplatforms_provider.aerostack.cache_entry import CacheEntryProvider
from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider
from pulumi_dataplatforms_provider.core import APIConnectionError, APIStatusError, APITimeoutError
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.eloq.cluster import ClusterProvider
from pulumi_dataplatforms_provider.registry import PLATFORMS
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from tests.handlers import configured


@dataclass(frozen=True)
class Platform:
    """One platform: a handler, a read through its client, its settings and valid inputs."""

    provider: type[DynamicProvider[Any]]
    read: Callable[[Any], object]
    url_key: str
    url_setting: str
    wrong_credentials: dict[str, str | None]
    credential_setting: str
    inputs: dict[str, Any]


PLATFORM_CASES = {
    "eloq": Platform(
        ClusterProvider, lambda c: c.info(), "eloq:baseUrl", "eloq:baseUrl (ELOQ_BASE_URL)",
        {"eloq:apiKey": "eloq-wrong-key"}, "eloq:apiKey (ELOQ_API_KEY)", {"region": "us-west-1", "skuId": 101},
    ),
    "ardent": Platform(
        ConnectorProvider, lambda c: c.list_connectors(), "ardent:baseUrl", "ardent:baseUrl (ARDENT_BASE_URL)",
        {"ardent:publicKey": None, "ardent:secretKey": None, "ardent:apiKey": "sk-ard_wrong_key"},
        "ardent:apiKey (ARDENT_API_KEY)", {"serviceName": "postgresql", "connectionDetails": {"host": "db"}},
    ),
    "spark": Platform(
        FolderProvider, lambda c: c.folder_exists("pricing"), "spark:baseUrl", "spark:baseUrl (CSPARK_BASE_URL)",
        {"spark:apiKey": "spark-wrong-key"}, "spark:apiKey (CSPARK_API_KEY)", {"name": "pricing"},
    ),
    "aerostack": Platform(
        CacheEntryProvider, lambda c: c.cache_get("k"), "aerostack:serverUrl",
        "aerostack:serverUrl (AEROSTACK_SERVER_URL)", {"aerostack:apiKey": "aerostack-wrong-key"},
        "aerostack:apiKey (AEROSTACK_API_KEY)", {"key": "k", "value": "v"},
    ),
}  # fmt: skip


def settings_of(name: str) -> list[str]:
    return [s.key for p in PLATFORMS if p.name == name for s in p.settings]


def test_every_platform_is_covered() -> None:
    assert set(PLATFORM_CASES) == {p.name for p in PLATFORMS}


@pytest.mark.parametrize("name", sorted(PLATFORM_CASES))
def test_nothing_listening_names_host_port_cause_and_setting(emulator: EmulatorProcess, name: str) -> None:
    case = PLATFORM_CASES[name]
    port = free_port()
    handler = configured(case.provider, emulator, {case.url_key: f"http://127.0.0.1:{port}/{name}"})
    with pytest.raises(APIConnectionError) as caught:
        case.read(handler.handler.client())
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message and "connection refused" in message, message
    assert f"Check {case.url_setting}" in message, message


@pytest.mark.parametrize("name", sorted(PLATFORM_CASES))
def test_a_wrong_credential_names_the_setting_and_the_status_once(emulator: EmulatorProcess, name: str) -> None:
    case = PLATFORM_CASES[name]
    handler = configured(case.provider, emulator, case.wrong_credentials)
    with pytest.raises(APIStatusError) as caught:
        case.read(handler.handler.client())
    error = caught.value
    assert error.status_code in (401, 403)
    message = str(error)
    assert len(re.findall(rf"\b{error.status_code}\b", message)) == 1, message
    assert "request id: " in message and "request id: none" not in message, message
    assert "Check " in message and case.credential_setting in message, message
    assert re.search(r"Eloq|Ardent|Spark|Aerostack", message)


def test_dns_and_tls_failures_say_so(emulator: EmulatorProcess) -> None:
    dns = configured(ClusterProvider, emulator, {"eloq:baseUrl": "http://no-such-host.invalid/eloq/api/v1/"})
    with pytest.raises(
        APIConnectionError, match=r"no-such-host\.invalid:80 failed: the host name could not be resolved"
    ):
        dns.handler.client().info()
    tls_url = emulator.env()["ELOQ_BASE_URL"].replace("http://", "https://")
    tls = configured(ClusterProvider, emulator, {"eloq:baseUrl": tls_url})
    with pytest.raises(APIConnectionError, match=r"failed: TLS failed .*Check eloq:baseUrl \(ELOQ_BASE_URL\)"):
        tls.handler.client().info()


def test_a_timeout_says_how_long_and_where(emulator: EmulatorProcess) -> None:
    from pulumi_dataplatforms_provider.core import RetryPolicy
    from pulumi_dataplatforms_provider.eloq.client import EloqClient

    env = emulator.env()
    emulator.admin.faults("/eloq/api/v1/org-info", slow_rate=1.0, slow_ms=2000)
    client = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"], timeout=0.3, retry=RetryPolicy(max_retries=0))
    with pytest.raises(APITimeoutError, match=r"org-info to 127\.0\.0\.1:\d+ failed: timed out after 0\.3s waiting"):
        client.info()
    # The held answer finishes on the server later: wait for it, so it is not logged during the next test.
    deadline = time.monotonic() + 10
    while not emulator.admin.request_log() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [e["status"] for e in emulator.admin.request_log()] == ["client_closed"]


@pytest.mark.parametrize("name", sorted(PLATFORM_CASES))
def test_a_missing_credential_fails_check_without_any_call(
    emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    case = PLATFORM_CASES[name]
    for platform in PLATFORMS:
        for setting in platform.settings:
            monkeypatch.delenv(setting.env, raising=False)
    credentials = [k for k in settings_of(name) if re.search(r"(?i)key|token|secret|client", k)]
    handler = configured(case.provider, emulator, dict.fromkeys(credentials))
    emulator.admin.reset_counts()
    result = handler.check({}, {**case.inputs, "__logicalName": "x"})
    reasons = [f"{f.property}: {f.reason}" for f in result.failures]
    assert any(case.credential_setting.split(" (")[1].rstrip(")") in r for r in reasons), reasons
    assert emulator.admin.request_counts()["total"] == 0
