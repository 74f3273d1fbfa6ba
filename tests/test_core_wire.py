"""The HTTP core on the wire against a scripted local server: headers, retries, errors, transport causes."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import logging
import time
from collections.abc import Iterator

import pytest

from pulumi_dataplatforms_provider.core import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncBaseClient,
    AuthenticationError,
    BaseClient,
    BearerAuth,
    ClientOptions,
    ConflictError,
    ErrorHints,
    HeaderKeyAuth,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    ValidationError,
)
from pulumi_dataplatforms_provider.core.auth import Auth
from tests.scripted_server import Reply, ScriptedServer, closed_port, scripted_server

FAST = RetryPolicy(max_retries=3, initial_delay=0.01, max_delay=0.02, deadline=10)
ONCE = RetryPolicy(max_retries=0)
HINTS = ErrorHints(base_url="acme:baseUrl (ACME_BASE_URL)", credentials="acme:apiKey (ACME_API_KEY)")


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as started:
        yield started


def make_client(
    base_url: str,
    *,
    retry: RetryPolicy = FAST,
    auth: Auth | None = None,
    hints: ErrorHints | None = None,
    timeout: float = 5.0,
) -> BaseClient:
    options = ClientOptions(base_url, timeout=timeout, retry=retry, platform="Acme", hints=hints or ErrorHints())
    return BaseClient(options, auth=auth)


def test_requests_identify_the_provider_and_ask_for_json(server: ScriptedServer) -> None:
    server.script("/v1/ping", Reply(200, {"ok": True}))
    make_client(server.url).request("GET", "/v1/ping")
    headers = server.requests("/v1/ping")[0].headers
    assert headers["user-agent"].startswith("pulumi-dataplatforms/")
    assert headers["accept"] == "application/json"


def test_bearer_auth_sends_the_token_and_refuses_an_empty_one(server: ScriptedServer) -> None:
    server.script("/v1/ping", Reply(200, {}))
    make_client(server.url, auth=BearerAuth("tok-123")).request("GET", "/v1/ping")
    assert server.requests()[0].headers["authorization"] == "Bearer tok-123"
    with pytest.raises(ValueError):
        BearerAuth("")


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
def test_idempotent_methods_are_retried_after_a_503(server: ScriptedServer, method: str) -> None:
    server.script("/v1/thing", Reply(503), Reply(200))
    assert make_client(server.url).request(method, "/v1/thing").status_code == 200
    assert [r.method for r in server.requests()] == [method, method]


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_other_methods_are_sent_once_after_a_503(server: ScriptedServer, method: str) -> None:
    server.script("/v1/thing", Reply(503), Reply(200))
    with pytest.raises(ServerError):
        make_client(server.url).request(method, "/v1/thing")
    assert len(server.requests()) == 1


@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
def test_the_documented_statuses_are_retried_by_default(server: ScriptedServer, status: int) -> None:
    server.script("/v1/thing", Reply(status), Reply(200))
    policy = RetryPolicy(initial_delay=0.01, max_delay=0.02)
    assert make_client(server.url, retry=policy).request("GET", "/v1/thing").status_code == 200
    assert len(server.requests()) == 2


@pytest.mark.parametrize(
    "header", ["x-request-id", "request-id", "x-correlation-id", "x-ms-request-id", "x-amzn-requestid"]
)
def test_the_request_id_is_read_from_each_known_header(server: ScriptedServer, header: str) -> None:
    server.script("/v1/thing", Reply(404, {"message": "gone"}, headers={header: "rid-42"}))
    with pytest.raises(NotFoundError) as caught:
        make_client(server.url).request("GET", "/v1/thing")
    assert caught.value.request_id == "rid-42"
    assert "(request id: rid-42)" in str(caught.value)


def test_a_plain_text_error_is_reported_up_to_500_characters(server: ScriptedServer) -> None:
    text = "".join(chr(ord("a") + i % 26) for i in range(600))
    server.script("/v1/thing", Reply(400, text))
    with pytest.raises(ValidationError) as caught:
        make_client(server.url).request("POST", "/v1/thing")
    assert caught.value.message == text[:500]
    assert caught.value.body == text[:500]


def test_an_empty_error_body_is_reported_by_its_reason_phrase(server: ScriptedServer) -> None:
    server.script("/v1/thing", Reply(503, b""))
    with pytest.raises(ServerError) as caught:
        make_client(server.url).request("POST", "/v1/thing")
    assert caught.value.message == "Service Unavailable"


def test_a_json_error_that_is_not_an_object_is_reported_as_text(server: ScriptedServer) -> None:
    items = [f"conflicting item {i:03d}" for i in range(40)]
    server.script("/v1/thing", Reply(409, items))
    with pytest.raises(ConflictError) as caught:
        make_client(server.url).request("POST", "/v1/thing")
    assert caught.value.message == str(items)[:500]
    assert caught.value.body == items


def test_a_status_error_names_method_path_code_message_and_body(server: ScriptedServer) -> None:
    answer = {"code": "thing_missing", "message": "no thing 7"}
    server.script("/v1/things/7", Reply(404, answer))
    with pytest.raises(NotFoundError) as caught:
        make_client(server.url).request("PUT", "/v1/things/7", params={"force": "1"}, json={"a": 1})
    error = caught.value
    assert (error.method, error.path, error.body, error.code) == ("PUT", "/v1/things/7", answer, "thing_missing")
    assert str(error) == "Acme API error 404 [thing_missing] on PUT /v1/things/7: no thing 7 (request id: none)"


@pytest.mark.parametrize("answer", [{"code": 404, "message": "gone"}, {"message": "gone"}])
def test_an_error_code_that_adds_nothing_is_left_out(server: ScriptedServer, answer: dict[str, object]) -> None:
    server.script("/v1/thing", Reply(404, answer))
    with pytest.raises(NotFoundError) as caught:
        make_client(server.url).request("GET", "/v1/thing")
    assert str(caught.value) == "Acme API error 404 on GET /v1/thing: gone (request id: none)"


@pytest.mark.parametrize(
    ("status", "kind", "hinted"),
    [(401, AuthenticationError, True), (403, PermissionDeniedError, True), (404, NotFoundError, False)],
)
def test_only_credential_errors_name_the_credential_settings(
    server: ScriptedServer, status: int, kind: type[APIStatusError], hinted: bool
) -> None:
    server.script("/v1/thing", Reply(status, {"message": "no"}))
    with pytest.raises(kind) as caught:
        make_client(server.url, hints=HINTS).request("GET", "/v1/thing")
    assert str(caught.value).endswith(". Check acme:apiKey (ACME_API_KEY)") is hinted
    assert ("Check" in str(caught.value)) is hinted


def test_a_401_with_a_fixed_key_is_not_sent_again(server: ScriptedServer) -> None:
    server.script("/v1/thing", Reply(401, {"message": "invalid key"}), Reply(200))
    with pytest.raises(AuthenticationError):
        make_client(server.url, auth=HeaderKeyAuth("X-Acme-Key", "key-1")).request("GET", "/v1/thing")
    assert len(server.requests()) == 1


@pytest.mark.parametrize(
    ("status", "kind"),
    [(400, ValidationError), (422, ValidationError), (429, RateLimitError), (500, ServerError), (501, ServerError)],
)
def test_each_status_raises_its_error_class(server: ScriptedServer, status: int, kind: type[APIStatusError]) -> None:
    server.script("/v1/thing", Reply(status, {"message": "no"}))
    with pytest.raises(kind) as caught:
        make_client(server.url, retry=ONCE).request("POST", "/v1/thing")
    assert caught.value.status_code == status


def test_a_redirect_is_reported_not_followed(server: ScriptedServer) -> None:
    server.script("/v1/old", Reply(302, b"", headers={"Location": "/v1/new"}))
    server.script("/v1/new", Reply(200, {}))
    with pytest.raises(APIStatusError) as caught:
        make_client(server.url).request("GET", "/v1/old")
    assert caught.value.status_code == 302
    assert [r.path for r in server.requests()] == ["/v1/old"]


def test_a_refused_connection_is_named_with_host_port_and_setting() -> None:
    port = closed_port()
    with pytest.raises(APIConnectionError) as caught:
        make_client(f"http://127.0.0.1:{port}", hints=HINTS).request("GET", "/v1/ping")
    error = caught.value
    assert not isinstance(error, APITimeoutError)
    assert (error.method, error.path, error.platform) == ("GET", "/v1/ping", "Acme")
    assert str(error) == (
        f"Acme request GET /v1/ping to 127.0.0.1:{port} failed: connection refused (nothing listens there)."
        " Check acme:baseUrl (ACME_BASE_URL)"
    )


@pytest.mark.parametrize(("scheme", "port"), [("http", 80), ("https", 443)])
def test_an_unknown_host_is_named_with_the_scheme_default_port(scheme: str, port: int) -> None:
    with pytest.raises(APIConnectionError) as caught:
        make_client(f"{scheme}://no-such-host.invalid", retry=ONCE).request("GET", "/v1/ping")
    assert str(caught.value).startswith(
        f"Acme request GET /v1/ping to no-such-host.invalid:{port} failed: the host name could not be resolved (DNS: "
    )


def test_a_slow_answer_is_a_timeout_naming_the_limit(server: ScriptedServer) -> None:
    server.script("/v1/slow", Reply(200, {}, delay=1.0))
    with pytest.raises(APITimeoutError) as caught:
        make_client(server.url, retry=ONCE, timeout=0.2).request("GET", "/v1/slow")
    assert str(caught.value).endswith("failed: timed out after 0.2s waiting for the answer")


def test_a_connection_closed_without_an_answer_is_named(server: ScriptedServer) -> None:
    server.script("/v1/thing", Reply(action="close"))
    with pytest.raises(APIConnectionError) as caught:
        make_client(server.url, retry=ONCE).request("GET", "/v1/thing")
    assert str(caught.value) == (
        f"Acme request GET /v1/thing to 127.0.0.1:{server.port} failed: "
        "the server closed the connection without an answer (Server disconnected without sending a response.)"
    )


def test_a_reset_connection_names_the_transport_error(server: ScriptedServer) -> None:
    server.script("/v1/thing", Reply(action="reset"))
    with pytest.raises(APIConnectionError) as caught:
        make_client(server.url, retry=ONCE).request("GET", "/v1/thing")
    assert "failed: ReadError: " in str(caught.value)
    assert "reset" in str(caught.value).lower()


def test_tls_to_a_plain_http_server_is_named_as_a_tls_failure(server: ScriptedServer) -> None:
    with pytest.raises(APIConnectionError) as caught:
        make_client(f"https://127.0.0.1:{server.port}", retry=ONCE).request("GET", "/v1/ping")
    assert f"to 127.0.0.1:{server.port} failed: TLS failed (" in str(caught.value)


@pytest.mark.parametrize("advice", ["0", "past date"])
def test_a_retry_after_in_the_past_retries_at_once(server: ScriptedServer, advice: str) -> None:
    value = "0" if advice == "0" else email.utils.formatdate(time.time() - 3600, usegmt=True)
    server.script("/v1/thing", Reply(503, headers={"Retry-After": value}), Reply(200))
    slow_backoff = RetryPolicy(initial_delay=5.0, max_delay=5.0)
    make_client(server.url, retry=slow_backoff).request("GET", "/v1/thing")
    first, second = server.requests()
    assert second.arrived - first.arrived < 0.5


def test_backoff_doubles_with_jitter_between_half_and_full(server: ScriptedServer) -> None:
    server.script("/v1/thing", Reply(503), Reply(503), Reply(503), Reply(503), Reply(200))
    policy = RetryPolicy(max_retries=4, initial_delay=0.1, max_delay=10.0, deadline=30)
    make_client(server.url, retry=policy).request("GET", "/v1/thing")
    arrivals = [r.arrived for r in server.requests()]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    ceilings = [0.1, 0.2, 0.4, 0.8]
    assert len(gaps) == len(ceilings)
    for gap, ceiling in zip(gaps, ceilings, strict=True):
        assert ceiling / 2 <= gap < ceiling + 0.45


def test_closing_the_client_closes_its_connection(server: ScriptedServer) -> None:
    server.script("/v1/ping", Reply(200, {}))
    client = make_client(server.url)
    client.request("GET", "/v1/ping")
    assert server.wait_for_open_connections(1) == 1
    client.close()
    assert server.wait_for_open_connections(0) == 0


def test_async_client_waits_retry_after_and_logs_each_attempt(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.script("/v1/thing", Reply(503, headers={"Retry-After-Ms": "400"}), Reply(200, {}))
    options = ClientOptions(server.url, retry=FAST, platform="Acme")

    async def run() -> int:
        client = AsyncBaseClient(options, auth=BearerAuth("secret-token-9"))
        try:
            return (await client.request("GET", "/v1/thing")).status_code
        finally:
            await client.aclose()

    with caplog.at_level(logging.DEBUG, logger="pulumi_dataplatforms.http"):
        assert asyncio.run(run()) == 200
    first, second = server.requests()
    assert second.arrived - first.arrived >= 0.4
    sent = [r.getMessage() for r in caplog.records if "attempt=" in r.getMessage()]
    assert [line.split("attempt=")[1].split()[0] for line in sent] == ["0", "1"]
    assert all("<redacted>" in line and "secret-token-9" not in line for line in sent)


def test_async_redirect_is_reported_not_followed_and_aclose_closes(server: ScriptedServer) -> None:
    server.script("/v1/old", Reply(307, b"", headers={"Location": "/v1/new"}))
    server.script("/v1/new", Reply(200, {}))
    client = AsyncBaseClient(ClientOptions(server.url, retry=FAST, platform="Acme"))

    async def run() -> tuple[int, int, int]:
        status = 0
        try:
            await client.request("GET", "/v1/old")
        except APIStatusError as error:
            status = error.status_code
        open_before = server.wait_for_open_connections(1)
        await client.aclose()
        return status, open_before, server.wait_for_open_connections(0)

    assert asyncio.run(run()) == (307, 1, 0)
    assert [r.path for r in server.requests()] == ["/v1/old"]
