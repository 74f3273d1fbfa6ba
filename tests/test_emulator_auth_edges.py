"""The emulator's authentication at its edges: HMAC time window and headers, Spark's token endpoint, Aerostack sessions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_emulator.services.ardent.auth import CLOCK_SKEW_SECONDS, PUBLIC_KEY, SECRET_KEY
from pulumi_dataplatforms_emulator.services.spark.backend import OAUTH_CLIENTS

CONNECTORS = "/v1/connectors"


def hmac_headers(timestamp: int, method: str, path: str, body: str = "") -> dict[str, str]:
    """The headers an official Ardent HMAC client sends (string to sign: timestamp, method, path, body)."""
    message = f"{timestamp}{method}{path}{body}"
    digest = hmac.new(SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()
    return {"X-API-Key": PUBLIC_KEY, "X-Timestamp": str(timestamp), "X-Signature": digest}


@pytest.mark.parametrize(
    ("offset", "status"),
    [(0, 200), (-CLOCK_SKEW_SECONDS + 2, 200), (CLOCK_SKEW_SECONDS - 2, 200), (CLOCK_SKEW_SECONDS + 5, 401),
     (-CLOCK_SKEW_SECONDS - 5, 401)],
)  # fmt: skip
def test_ardent_accepts_a_timestamp_within_the_window_only(emulator: EmulatorProcess, offset: int, status: int) -> None:
    stamp = int(time.time()) + offset
    response = httpx.get(f"{emulator.url}/ardent{CONNECTORS}", headers=hmac_headers(stamp, "GET", CONNECTORS))
    assert response.status_code == status, response.text
    if status == 401:
        assert f"window of {CLOCK_SKEW_SECONDS} s" in response.text


@pytest.mark.parametrize("missing", ["X-API-Key", "X-Timestamp", "X-Signature"])
def test_ardent_refuses_a_request_missing_any_one_signing_header(emulator: EmulatorProcess, missing: str) -> None:
    headers = hmac_headers(int(time.time()), "GET", CONNECTORS)
    del headers[missing]
    response = httpx.get(f"{emulator.url}/ardent{CONNECTORS}", headers=headers)
    assert response.status_code == 401
    assert "Missing authentication" in response.text


def test_ardent_verifies_a_signature_over_a_body_that_is_not_json(emulator: EmulatorProcess) -> None:
    body = "not json at all"
    headers = {**hmac_headers(int(time.time()), "GET", CONNECTORS, body), "Content-Type": "text/plain"}
    response = httpx.request("GET", f"{emulator.url}/ardent{CONNECTORS}", headers=headers, content=body)
    assert response.status_code == 200, response.text


def token_url(emulator: EmulatorProcess) -> str:
    return f"{emulator.url}/spark/auth/realms/{emulator.env()['CSPARK_TENANT']}/protocol/openid-connect/token"


def test_spark_token_endpoint_answers_400_never_401(emulator: EmulatorProcess) -> None:
    """A 401 from the token endpoint would make the official client recurse (its contract)."""
    wrong = httpx.post(
        token_url(emulator), data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"}
    )
    grant = httpx.post(token_url(emulator), data={"grant_type": "password", "client_id": "x", "client_secret": "y"})
    assert (wrong.status_code, wrong.json()["error"]) == (400, "invalid_client")
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")


def spark_client_credentials() -> dict[str, str]:
    (client_id, (secret, _tenant)), *_ = OAUTH_CLIENTS.items()
    return {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}


@pytest.mark.parametrize(("lifetime", "expires_in"), [(3600.0, 3600), (0.5, 0.5)])
def test_spark_token_answer_has_the_fields_clients_read(
    emulator: EmulatorProcess, lifetime: float, expires_in: float
) -> None:
    httpx.put(f"{emulator.url}/_admin/spark/token-lifetime", json={"seconds": lifetime}).raise_for_status()
    answer = httpx.post(token_url(emulator), data=spark_client_credentials()).json()
    assert set(answer) >= {
        "access_token",
        "expires_in",
        "refresh_expires_in",
        "token_type",
        "not-before-policy",
        "scope",
    }
    assert answer["expires_in"] == expires_in and type(answer["expires_in"]) is type(expires_in)
    assert (answer["refresh_expires_in"], answer["token_type"]) == (0, "Bearer")


def b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def aerostack_session(emulator: EmulatorProcess) -> tuple[str, dict[str, str]]:
    env = emulator.env()
    api = env["AEROSTACK_SERVER_URL"]
    key = {"X-Aerostack-Key": env["AEROSTACK_API_KEY"]}
    user = {"email": "ada@example.com", "password": "correct horse battery"}
    assert httpx.post(f"{api}/auth/signup", json=user, headers=key).status_code == 201
    return api, key


def test_aerostack_session_token_is_a_standard_compact_hs256_jwt(emulator: EmulatorProcess) -> None:
    api, key = aerostack_session(emulator)
    token = httpx.post(f"{api}/auth/signin", json={"email": "ada@example.com", "password": "correct horse battery"},
                       headers=key).json()["token"]  # fmt: skip
    header, payload, _ = token.split(".")
    assert b64json(header) == {"alg": "HS256", "typ": "JWT"}
    assert "=" not in token and " " not in base64.urlsafe_b64decode(header + "==").decode()
    assert b64json(payload)["exp"] > time.time()


def test_aerostack_signin_checks_the_password(emulator: EmulatorProcess) -> None:
    api, key = aerostack_session(emulator)
    wrong = httpx.post(f"{api}/auth/signin", json={"email": "ada@example.com", "password": "wrong"}, headers=key)
    assert wrong.status_code == 401


def test_aerostack_session_expires_exactly_at_its_exp(emulator: EmulatorProcess) -> None:
    api, key = aerostack_session(emulator)
    token = httpx.post(f"{api}/auth/signin", json={"email": "ada@example.com", "password": "correct horse battery"},
                       headers=key).json()["token"]  # fmt: skip
    check = f"{emulator.url}/_admin/aerostack/verify-token"
    assert httpx.post(check, json={"token": token}).status_code == 200
    exp = b64json(token.split(".")[1])["exp"]
    httpx.post(
        f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": exp - time.time() + 1}
    ).raise_for_status()
    assert httpx.post(check, json={"token": token}).status_code == 401
