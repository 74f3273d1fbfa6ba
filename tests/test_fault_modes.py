"""The emulator's processed-then-lost and slow fault modes and its request log, over real HTTP."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess

ELOQ_KEY = "eloq-dev-key-0001"
CLUSTERS = "orgs/1/projects/147/clusters"
CLUSTERS_PATH = "/eloq/api/v1/orgs/1/projects/147/clusters"
CLUSTERS_ROUTE = "/eloq/api/v1/orgs/{org_id}/projects/{project_id}/clusters"


@pytest.fixture
def eloq(emulator: EmulatorProcess) -> Iterator[httpx.Client]:
    base = emulator.env()["ELOQ_BASE_URL"]
    # One request id for the test's requests, so a slow answer left over from an earlier test is told apart.
    headers = {"Authorization": ELOQ_KEY, "X-Request-Id": f"fault-modes-{uuid.uuid4().hex}"}
    with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
        yield client


def create_body(name: str) -> dict[str, Any]:
    return {"clusterName": name, "region": "us-west-1", "skuId": 101, "requiredZone": "us-west-1a"}


def cluster_exists(eloq: httpx.Client, name: str) -> bool:
    response = eloq.get(f"{CLUSTERS}/{name}")
    assert response.status_code in (200, 404), response.text
    return response.status_code == 200


def logged(
    emulator: EmulatorProcess, request_id: str, path: str, count: int = 1, timeout: float = 5.0
) -> list[dict[str, Any]]:
    """This test's log entries of `path`, once `count` of them are logged (a slow answer is logged when it ends)."""
    deadline = time.monotonic() + timeout
    while True:
        entries = [e for e in emulator.admin.request_log() if e["path"] == path and e["request_id"] == request_id]
        if len(entries) >= count or time.monotonic() > deadline:
            return entries
        time.sleep(0.05)


def add_rule(emulator: EmulatorProcess, **body: Any) -> httpx.Response:
    return httpx.post(f"{emulator.url}/_admin/faults", json={"path": "/eloq", **body}, timeout=10)


# -- processed-then-lost ---------------------------------------------------------------------------


def test_lost_answer_as_drop_commits_the_create_but_sends_nothing(
    emulator: EmulatorProcess, eloq: httpx.Client
) -> None:
    emulator.admin.faults(CLUSTERS_PATH, method="POST", lost_rate=1.0, lost_as="drop", max_faults=1)
    with pytest.raises(httpx.RemoteProtocolError):
        eloq.post(CLUSTERS, json=create_body("lost-drop"))
    assert cluster_exists(eloq, "lost-drop"), "the service must have handled the request"
    assert "lost-drop" in str(emulator.admin.state()["eloq"]), "and its effect is in the emulator's state"
    (entry,) = [e for e in logged(emulator, eloq.headers["x-request-id"], CLUSTERS_PATH) if e["method"] == "POST"]
    assert entry["fault"] == "lost"
    assert entry["status"] == "dropped"
    assert entry["handled"] is True
    assert entry["service_status"] == 200
    assert entry["route"] == CLUSTERS_ROUTE


def test_lost_answer_as_error_commits_the_create_and_answers_in_the_service_envelope(
    emulator: EmulatorProcess, eloq: httpx.Client
) -> None:
    emulator.admin.faults(
        CLUSTERS_PATH, method="POST", lost_rate=1.0, lost_as="error", error_statuses=[503], retry_after="2"
    )
    response = eloq.post(CLUSTERS, json=create_body("lost-error"))
    assert response.status_code == 503
    assert response.json() == {"code": 503, "message": "injected fault: service unavailable", "data": None}
    assert response.headers["Retry-After"] == "2"
    assert response.headers["x-request-id"]
    assert cluster_exists(eloq, "lost-error")
    again = eloq.post(CLUSTERS, json=create_body("lost-error"))
    assert again.status_code == 503, "the retry is handled too (409 conflict), and its answer lost again"
    (first, second) = [
        e for e in logged(emulator, eloq.headers["x-request-id"], CLUSTERS_PATH, 2) if e["method"] == "POST"
    ]
    assert (first["status"], first["service_status"], first["fault"]) == (503, 200, "lost")
    assert (second["status"], second["service_status"]) == (503, 409)


def test_a_rule_without_faults_left_lets_requests_through(emulator: EmulatorProcess, eloq: httpx.Client) -> None:
    emulator.admin.faults(CLUSTERS_PATH, method="POST", lost_rate=1.0, lost_as="error", max_faults=1)
    assert eloq.post(CLUSTERS, json=create_body("first")).status_code in (429, 503)
    assert eloq.post(CLUSTERS, json=create_body("second")).status_code == 200
    assert [r["fired"] for r in emulator.admin.list_faults()] == [1]
    assert cluster_exists(eloq, "first") and cluster_exists(eloq, "second")


# -- slow answers ----------------------------------------------------------------------------------


def test_slow_answer_arrives_after_slow_ms(emulator: EmulatorProcess, eloq: httpx.Client) -> None:
    emulator.admin.faults("/eloq/api/v1/org-info", slow_rate=1.0, slow_ms=700)
    started = time.monotonic()
    response = eloq.get("org-info")
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["data"]["org_info"]["org_id"]
    assert elapsed >= 0.7
    (entry,) = logged(emulator, eloq.headers["x-request-id"], "/eloq/api/v1/org-info")
    assert (entry["fault"], entry["status"], entry["handled"]) == ("slow", 200, True)
    assert entry["duration_ms"] >= 700


def test_slow_create_is_committed_although_the_client_timed_out(emulator: EmulatorProcess, eloq: httpx.Client) -> None:
    emulator.admin.faults(CLUSTERS_PATH, method="POST", slow_rate=1.0, slow_ms=1500)
    with pytest.raises(httpx.ReadTimeout):
        eloq.post(CLUSTERS, json=create_body("slow"), timeout=0.3)
    assert cluster_exists(eloq, "slow"), "the service handled the request before the answer was held back"
    posts = [
        e for e in logged(emulator, eloq.headers["x-request-id"], CLUSTERS_PATH, 2, timeout=5) if e["method"] == "POST"
    ]
    assert len(posts) == 1
    assert posts[0]["status"] == "client_closed"
    assert posts[0]["service_status"] == 200


# -- rule validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rates",
    [
        {"drop_rate": 0.3, "error_rate": 0.3, "lost_rate": 0.3, "slow_rate": 0.2, "slow_ms": 100},
        {"lost_rate": 0.6, "error_rate": 0.5},
        {"slow_rate": 0.8, "drop_rate": 0.3, "slow_ms": 100},
    ],
)
def test_rates_summing_above_one_are_refused(emulator: EmulatorProcess, rates: dict[str, float]) -> None:
    response = add_rule(emulator, **rates)
    assert response.status_code == 422
    assert "drop_rate + error_rate + lost_rate + slow_rate must be <= 1" in response.text
    assert emulator.admin.list_faults() == []


def test_rates_summing_to_one_are_accepted_with_their_fields(emulator: EmulatorProcess) -> None:
    body = {"drop_rate": 0.25, "error_rate": 0.25, "lost_rate": 0.25, "slow_rate": 0.25, "slow_ms": 50}
    response = add_rule(emulator, lost_as="error", **body)
    assert response.status_code == 200, response.text
    (rule,) = emulator.admin.list_faults()
    assert {k: rule[k] for k in body} == body
    assert rule["lost_as"] == "error"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"slow_rate": 0.5}, "slow_rate needs slow_ms > 0"),
        ({"lost_rate": 1, "lost_as": "vanish"}, "lost_as"),
        ({"lost_rate": 1.5}, "lost_rate"),
        ({"body_regex": "("}, "body_regex is not a valid regex"),
        ({"path": "^(", "method": "GET"}, "path is not a valid regex"),
    ],
)
def test_malformed_rules_are_refused(emulator: EmulatorProcess, body: dict[str, Any], message: str) -> None:
    response = add_rule(emulator, **body)
    assert response.status_code == 422
    assert message in response.text


# -- body matching ---------------------------------------------------------------------------------


def test_body_regex_targets_one_request_among_same_route_calls(emulator: EmulatorProcess, eloq: httpx.Client) -> None:
    rule = emulator.admin.faults(CLUSTERS_PATH, method="POST", body_regex='"clusterName": ?"target"', error_rate=1.0)
    assert eloq.post(CLUSTERS, json=create_body("bystander")).status_code == 200
    assert eloq.post(CLUSTERS, json=create_body("target")).status_code in (429, 503)
    assert cluster_exists(eloq, "bystander") and not cluster_exists(eloq, "target")
    posts = [e for e in emulator.admin.request_log() if e["method"] == "POST"]
    assert [e["rules"] for e in posts] == [[], [rule["id"]]]


# -- the request log -------------------------------------------------------------------------------


def test_request_log_records_what_was_sent_for_every_mode(emulator: EmulatorProcess, eloq: httpx.Client) -> None:
    emulator.admin.faults(
        "/eloq/api/v1/org-info",
        drop_rate=0.2,
        error_rate=0.2,
        lost_rate=0.2,
        slow_rate=0.2,
        slow_ms=20,
        lost_as="error",
        error_statuses=[502],
        seed=3,
    )
    outcomes: list[int | str] = []
    for _ in range(40):
        try:
            outcomes.append(eloq.get("org-info").status_code)
        except httpx.TransportError:
            outcomes.append("dropped")
    entries = emulator.admin.request_log()
    assert [e["status"] for e in entries] == outcomes
    assert [e["seq"] for e in entries] == list(range(1, 41))
    by_fault = Counter(e["fault"] for e in entries)
    assert set(by_fault) == {None, "drop", "error", "lost", "slow"}
    expected = {None: (200, True), "drop": ("dropped", False), "error": (502, False)}
    expected |= {"lost": (502, True), "slow": (200, True)}
    for entry in entries:
        assert (entry["status"], entry["handled"]) == expected[entry["fault"]], entry
        assert entry["route"] == "/eloq/api/v1/org-info"
        assert entry["method"] == "GET"
    slow = [e for e in entries if e["fault"] == "slow"]
    assert all(e["duration_ms"] >= 20 for e in slow)


def test_request_log_times_since_and_clearing(emulator: EmulatorProcess, eloq: httpx.Client) -> None:
    before = time.time()
    eloq.get("org-info")
    httpx.get(f"{emulator.url}/healthz", timeout=10)
    eloq.get(f"{CLUSTERS}/nope")
    first, second = emulator.admin.request_log()
    assert (first["seq"], second["seq"]) == (1, 2)
    assert before <= first["started_at"] <= second["started_at"] <= time.time()
    assert first["started_monotonic"] <= second["started_monotonic"]
    assert (second["status"], second["route"]) == (404, CLUSTERS_ROUTE + "/{cluster_name}")
    assert first["fault"] is None and first["request_id"]
    assert [e["seq"] for e in emulator.admin.request_log(since=1)] == [2]
    emulator.admin.reset_counts()
    assert emulator.admin.request_log() == []
    eloq.get("org-info")
    assert [e["seq"] for e in emulator.admin.request_log()] == [1]
    emulator.admin.reset()
    assert emulator.admin.request_log() == []
