"""OAuth2 client credentials on the wire: the token request, its failures, caching, expiry and 401 refresh."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from pulumi_dataplatforms_provider.core import (
    APIConnectionError,
    AuthenticationError,
    BaseClient,
    ClientOptions,
    RetryPolicy,
)
from pulumi_dataplatforms_provider.core.oauth2 import OAuth2ClientCredentials
from tests.scripted_server import Reply, ScriptedServer, closed_port, scripted_server

TOKEN_PATH = "/realms/acme/token"
API_PATH = "/v1/ping"
SECRET = "client-secret-5b1e"
FAST = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.02, deadline=10)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as started:
        started.script(API_PATH, Reply(200, {"ok": True}))
        yield started


def token(value: str, **extra: object) -> Reply:
    return Reply(200, {"access_token": value, "token_type": "Bearer", **extra})


def make_auth(server: ScriptedServer, scope: str | None = None, timeout: float = 5.0) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        server.url + TOKEN_PATH, "client-1", SECRET, platform="Acme", scope=scope, timeout=timeout
    )


def make_client(server: ScriptedServer, auth: OAuth2ClientCredentials) -> BaseClient:
    return BaseClient(ClientOptions(server.url, retry=FAST, platform="Acme"), auth=auth)


def bearers(server: ScriptedServer) -> list[str]:
    """The Authorization header of every API request, in order."""
    return [r.headers["authorization"] for r in server.requests(API_PATH)]


def test_credentials_need_both_id_and_secret(server: ScriptedServer) -> None:
    with pytest.raises(ValueError):
        OAuth2ClientCredentials(server.url + TOKEN_PATH, "client-1", "")
    with pytest.raises(ValueError):
        OAuth2ClientCredentials(server.url + TOKEN_PATH, "", SECRET)


@pytest.mark.parametrize("scope", ["read write", None])
def test_the_token_request_is_a_client_credentials_form(server: ScriptedServer, scope: str | None) -> None:
    server.script(TOKEN_PATH, token("tok-1"))
    make_client(server, make_auth(server, scope=scope)).request("GET", API_PATH)
    (sent,) = server.requests(TOKEN_PATH)
    expected = {"grant_type": "client_credentials", "client_id": "client-1", "client_secret": SECRET}
    if scope:
        expected["scope"] = scope
    assert (sent.method, sent.form(), sent.headers["accept"]) == ("POST", expected, "application/json")
    assert bearers(server) == ["Bearer tok-1"]


def test_a_rejected_token_request_names_status_code_reason_and_request_id(server: ScriptedServer) -> None:
    answer = {"error": "invalid_client", "error_description": "unknown client or wrong secret"}
    server.script(TOKEN_PATH, Reply(401, answer, headers={"x-request-id": "kc-7"}))
    with pytest.raises(AuthenticationError) as caught:
        make_client(server, make_auth(server)).request("GET", API_PATH)
    error = caught.value
    assert (error.status_code, error.code, error.request_id) == (401, "invalid_client", "kc-7")
    assert (error.method, error.path, error.platform) == ("POST", TOKEN_PATH, "Acme")
    assert error.message == "OAuth2 token request rejected: unknown client or wrong secret"
    assert SECRET not in str(error)
    assert server.requests(API_PATH) == []


@pytest.mark.parametrize("answer", [{"token_type": "Bearer"}, {"access_token": ""}, {"access_token": 12345}])
def test_a_success_without_a_usable_access_token_is_rejected(server: ScriptedServer, answer: dict[str, object]) -> None:
    server.script(TOKEN_PATH, Reply(200, answer))
    with pytest.raises(AuthenticationError) as caught:
        make_client(server, make_auth(server)).request("GET", API_PATH)
    assert caught.value.message == "OAuth2 token request rejected: no access_token returned"
    assert server.requests(API_PATH) == []


def test_a_failure_status_is_rejected_even_with_an_access_token(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, Reply(400, {"access_token": "tok-1", "error": "invalid_scope"}))
    with pytest.raises(AuthenticationError) as caught:
        make_client(server, make_auth(server)).request("GET", API_PATH)
    assert (caught.value.status_code, caught.value.code) == (400, "invalid_scope")
    assert server.requests(API_PATH) == []


def test_a_redirecting_token_endpoint_is_rejected_not_followed(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, Reply(307, b"", headers={"Location": "/elsewhere/token"}))
    server.script("/elsewhere/token", token("tok-elsewhere"))
    with pytest.raises(AuthenticationError) as caught:
        make_client(server, make_auth(server)).request("GET", API_PATH)
    assert caught.value.status_code == 307
    assert server.requests("/elsewhere/token") == []


def test_an_unreachable_token_endpoint_is_a_connection_error() -> None:
    auth = OAuth2ClientCredentials(f"http://127.0.0.1:{closed_port()}{TOKEN_PATH}", "client-1", SECRET, platform="Acme")
    with pytest.raises(APIConnectionError) as caught:
        auth.token()
    assert (caught.value.platform, caught.value.method, caught.value.path) == ("Acme", "POST", TOKEN_PATH)
    assert str(caught.value) == "Acme OAuth2 token request failed: ConnectError"


def test_the_token_request_obeys_its_timeout(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, Reply(200, {"access_token": "late"}, delay=1.0))
    with pytest.raises(APIConnectionError) as caught:
        make_auth(server, timeout=0.2).token()
    assert str(caught.value) == "Acme OAuth2 token request failed: ReadTimeout"


@pytest.mark.parametrize("expires_in", [None, 0, "soon"])
def test_a_token_without_a_usable_lifetime_is_cached(server: ScriptedServer, expires_in: object) -> None:
    extra = {} if expires_in is None else {"expires_in": expires_in}
    server.script(TOKEN_PATH, token("tok-1", **extra), token("tok-2"))
    auth = make_auth(server)
    client = make_client(server, auth)
    client.request("GET", API_PATH)
    client.request("GET", API_PATH)
    assert bearers(server) == ["Bearer tok-1", "Bearer tok-1"]
    assert auth.fetches == len(server.requests(TOKEN_PATH)) == 1


def test_a_one_second_token_is_replaced_after_three_quarters_of_it(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, token("tok-1", expires_in=1), token("tok-2", expires_in=1))
    client = make_client(server, make_auth(server))
    client.request("GET", API_PATH)
    time.sleep(0.85)
    client.request("GET", API_PATH)
    assert bearers(server) == ["Bearer tok-1", "Bearer tok-2"]


def test_a_token_is_refreshed_a_quarter_of_its_lifetime_early(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, token("tok-1", expires_in=4), token("tok-2", expires_in=4))
    auth = make_auth(server)
    client = make_client(server, auth)
    client.request("GET", API_PATH)
    fetched = time.monotonic()
    time.sleep(2.5)
    client.request("GET", API_PATH)
    time.sleep(max(0.0, fetched + 3.05 - time.monotonic()))
    client.request("GET", API_PATH)
    assert bearers(server) == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]
    assert auth.fetches == 2


def test_a_401_fetches_a_new_token_and_retries_at_once(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, token("tok-1"), token("tok-2"))
    server.script(API_PATH, Reply(401, {"message": "token revoked"}), Reply(200, {}))
    auth = make_auth(server)
    assert make_client(server, auth).request("GET", API_PATH).status_code == 200
    assert bearers(server) == ["Bearer tok-1", "Bearer tok-2"]
    first, second = server.requests(API_PATH)
    assert second.arrived - first.arrived < 0.5
    assert auth.fetches == 2


def test_a_second_401_is_final(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, token("tok-1"), token("tok-2"), Reply(400, {"error": "too_many_tokens"}))
    server.script(API_PATH, Reply(401, {"message": "no access"}))
    with pytest.raises(AuthenticationError) as caught:
        make_client(server, make_auth(server)).request("GET", API_PATH)
    assert caught.value.path == API_PATH
    assert bearers(server) == ["Bearer tok-1", "Bearer tok-2"]


def test_closing_the_credentials_closes_the_token_connection(server: ScriptedServer) -> None:
    server.script(TOKEN_PATH, token("tok-1"))
    auth = make_auth(server)
    auth.token()
    assert server.wait_for_open_connections(1) == 1
    auth.close()
    assert server.wait_for_open_connections(0) == 0
