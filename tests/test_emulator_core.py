"""The emulator skeleton against a real server process: CLI, persistence, faults, counts, admin, docs."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_emulator.services import SERVICES

KEY = "eloq-dev-key-0001"
OTHER_KEY = "eloq-dev-key-0002"
CLUSTERS = "orgs/1/projects/147/clusters"
ENV_NAMES = {
    "ELOQ_BASE_URL",
    "ELOQ_API_KEY",
    "ARDENT_BASE_URL",
    "ARDENT_PUBLIC_KEY",
    "ARDENT_SECRET_KEY",
    "CSPARK_BASE_URL",
    "CSPARK_TENANT",
    "CSPARK_API_KEY",
    "AEROSTACK_SERVER_URL",
    "AEROSTACK_API_KEY",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(tmp_path_factory.mktemp("emu-core")) as emu:
        yield emu


@pytest.fixture
def emu(server: EmulatorProcess) -> EmulatorProcess:
    server.admin.reset()
    return server


def eloq(emu: EmulatorProcess, key: str = KEY) -> httpx.Client:
    return httpx.Client(base_url=emu.env()["ELOQ_BASE_URL"], headers={"Authorization": key}, timeout=10)


def create(client: httpx.Client, name: str, sku: int = 101, region: str = "us-west-1") -> httpx.Response:
    body = {"clusterName": name, "region": region, "skuId": sku, "requiredZone": "us-west-1a"}
    return client.post(CLUSTERS, json=body)


def parse_exports(text: str) -> dict[str, str]:
    out = {}
    for line in text.strip().splitlines():
        assert line.startswith("export "), line
        name, _, value = line.removeprefix("export ").partition("=")
        out[name] = value
    return out


# -- process, CLI ------------------------------------------------------------------------------


def test_healthz_lists_the_registered_services(emu: EmulatorProcess) -> None:
    r = httpx.get(f"{emu.url}/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok"
    assert "eloq" in body["services"]
    assert body["services"] == [s.name for s in SERVICES if s.implemented]


def test_env_command_prints_every_platform(emu: EmulatorProcess) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pulumi_dataplatforms_emulator", "env", "--port", str(emu.port)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    exports = parse_exports(out)
    assert set(exports) >= ENV_NAMES
    assert exports == emu.env()
    root = f"http://127.0.0.1:{emu.port}"
    assert exports["ELOQ_BASE_URL"] == f"{root}/eloq/api/v1/"
    assert exports["ARDENT_BASE_URL"] == f"{root}/ardent"
    assert exports["CSPARK_BASE_URL"] == f"{root}/spark"
    assert exports["AEROSTACK_SERVER_URL"] == f"{root}/aerostack/v1"
    assert exports["ELOQ_API_KEY"] == KEY
    # The base URL from `env` works as-is with string concatenation, as the official client does.
    r = httpx.get(exports["ELOQ_BASE_URL"] + "org-info", headers={"Authorization": exports["ELOQ_API_KEY"]})
    assert r.status_code == 200 and r.json()["data"]["org_info"]["org_id"] == 1


def test_console_script_env_defaults() -> None:
    script = Path(sys.executable).parent / "dataplatforms-emulator"
    assert script.exists(), f"{script} is missing: the package's install provides the `dataplatforms-emulator` script"
    exports = parse_exports(subprocess.run([str(script), "env"], check=True, capture_output=True, text=True).stdout)
    assert exports["ELOQ_BASE_URL"] == "http://127.0.0.1:8790/eloq/api/v1/"
    assert exports["CSPARK_BASE_URL"] == "http://127.0.0.1:8790/spark"


def test_restart_keeps_state_and_sigterm_exits_cleanly(tmp_path: Path) -> None:
    emu = EmulatorProcess(tmp_path / "data").start()
    try:
        with eloq(emu) as c:
            assert create(c, "keep-me").json()["code"] == 200
            before = c.get(f"{CLUSTERS}/keep-me").json()["data"]
        assert emu.stop() == 0
        assert "listening on " + emu.url in emu.log()
        assert "stopped" in emu.log()
        emu.start()
        with eloq(emu) as c:
            after = c.get(f"{CLUSTERS}/keep-me").json()["data"]
        assert after == before
    finally:
        emu.stop()


def test_kill9_right_after_acknowledged_writes_keeps_them(tmp_path: Path) -> None:
    emu = EmulatorProcess(tmp_path / "data", deletion_seconds=30).start()
    try:
        with eloq(emu) as c:
            assert create(c, "gone-soon").status_code == 200
            for i in range(10):
                assert create(c, f"crash-{i}").status_code == 200
            assert c.delete(f"{CLUSTERS}/gone-soon/delete").status_code == 200
            password = c.get(f"{CLUSTERS}/crash-9").json()["data"]["admin_password"]
        emu.kill()
        assert emu.proc is not None and emu.proc.returncode == -9
        emu.start()
        with eloq(emu) as c:
            listed = c.get(CLUSTERS, params={"perPage": 100}).json()["data"]
            assert listed["total"] == 11
            statuses = {item["cluster_name"]: item["status"] for item in listed["cluster_list"]}
            assert statuses["gone-soon"] == "deleting"
            assert statuses["crash-9"] == "available"
            assert c.get(f"{CLUSTERS}/crash-9").json()["data"]["admin_password"] == password
    finally:
        emu.stop()


# -- faults ------------------------------------------------------------------------------------


def statuses_of(client: httpx.Client, n: int) -> list[int]:
    return [client.get("org-info").status_code for _ in range(n)]


def test_error_share_is_seeded_and_uses_the_eloq_envelope(emu: EmulatorProcess) -> None:
    emu.admin.faults("/eloq/api/v1/org-info", error_rate=0.3, seed=1234, retry_after="2")
    with eloq(emu) as c:
        first = statuses_of(c, 150)
        errors = [s for s in first if s != 200]
        assert 25 <= len(errors) <= 70, len(errors)
        assert set(errors) == {429, 503}
        emu.admin.clear_faults()
        emu.admin.faults("/eloq/api/v1/org-info", error_rate=1.0, error_statuses=[503], retry_after="2")
        r = c.get("org-info")
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "2"
        assert len(r.headers["X-Request-Id"]) == 32
        body = r.json()
        assert body["code"] == 503 and body["data"] is None and "injected" in body["message"]
        # Same seed, same sequence.
        emu.admin.clear_faults()
        emu.admin.faults("/eloq/api/v1/org-info", error_rate=0.3, seed=1234)
        assert statuses_of(c, 150) == first
        # Other paths are untouched.
        assert c.get("skus-by-args").status_code == 200


def test_injected_errors_do_not_run_the_handler(emu: EmulatorProcess) -> None:
    emu.admin.faults(r"^/eloq/api/v1/orgs/\d+/projects/\d+/clusters$", method="POST", error_rate=1.0)
    with eloq(emu) as c:
        assert create(c, "never").status_code in (429, 503)
        assert c.get(CLUSTERS).status_code == 200  # GET on the same path: method filter
        assert c.get(f"{CLUSTERS}/never").status_code == 404


def test_max_faults_then_success(emu: EmulatorProcess) -> None:
    rule = emu.admin.faults("/eloq", error_rate=1.0, error_statuses=[429], max_faults=2)
    with eloq(emu) as c:
        assert statuses_of(c, 4) == [429, 429, 200, 200]
    [listed] = emu.admin.list_faults()
    assert listed["id"] == rule["id"] and listed["fired"] == 2 and listed["matched"] == 4


def test_latency_is_added_only_where_matched(emu: EmulatorProcess) -> None:
    emu.admin.faults("/eloq/api/v1/skus-by-args", latency_ms=400)
    with eloq(emu) as c:
        c.get("org-info")  # warm the connection
        t0 = time.perf_counter()
        assert c.get("skus-by-args").status_code == 200
        slow = time.perf_counter() - t0
        t0 = time.perf_counter()
        assert c.get("org-info").status_code == 200
        fast = time.perf_counter() - t0
    assert slow >= 0.4
    assert fast < 0.3


def test_dropped_connection_is_a_transport_error(emu: EmulatorProcess) -> None:
    emu.admin.faults("/eloq/api/v1/org-info", drop_rate=1.0)
    with eloq(emu) as c:
        with pytest.raises(httpx.TransportError) as info:
            c.get("org-info")
        assert isinstance(info.value, httpx.RemoteProtocolError)
        with pytest.raises(httpx.RemoteProtocolError):  # on a fresh connection too
            httpx.get(emu.env()["ELOQ_BASE_URL"] + "org-info", headers={"Authorization": KEY})
        assert c.get("skus-by-args").status_code == 200  # the server is fine
        emu.admin.clear_faults()
        assert c.get("org-info").status_code == 200
    assert emu.admin.request_counts()["routes"]["GET /eloq/api/v1/org-info"] == 3


# -- counts, reset, admin, docs ----------------------------------------------------------------


def test_request_counts_by_route_and_path(emu: EmulatorProcess) -> None:
    with eloq(emu) as c:
        create(c, "a")
        create(c, "b")
        emu.admin.reset_counts()
        for _ in range(3):
            c.get("org-info")
        c.get(f"{CLUSTERS}/a")
        c.get(f"{CLUSTERS}/a")
        c.get(f"{CLUSTERS}/b")
        c.get("no-such-route")
    httpx.get(f"{emu.url}/healthz")
    emu.admin.state()
    counts = emu.admin.request_counts()
    assert counts["total"] == 7
    assert counts["routes"]["GET /eloq/api/v1/org-info"] == 3
    assert counts["routes"]["GET /eloq/api/v1/orgs/{org_id}/projects/{project_id}/clusters/{cluster_name}"] == 3
    assert counts["paths"]["GET /eloq/api/v1/orgs/1/projects/147/clusters/a"] == 2
    assert counts["paths"]["GET /eloq/api/v1/orgs/1/projects/147/clusters/b"] == 1
    assert counts["routes"]["GET /eloq/api/v1/no-such-route"] == 1
    assert not any("_admin" in k or "healthz" in k for k in counts["paths"])
    emu.admin.reset_counts()
    assert emu.admin.request_counts() == {"total": 0, "routes": {}, "paths": {}}


def test_admin_reset_clears_everything(emu: EmulatorProcess) -> None:
    with eloq(emu) as c:
        create(c, "x")
    emu.admin.faults("/eloq", error_rate=1.0)
    emu.admin.delays(provision_seconds=60, deletion_seconds=60)
    assert [cl["name"] for cl in emu.admin.state()["eloq"]["clusters"]] == ["x"]
    result = emu.admin.reset()
    assert result["delays"] == {"provision_seconds": 0.0, "deletion_seconds": 0.0}
    assert emu.admin.state()["eloq"]["clusters"] == []
    assert emu.admin.list_faults() == []
    assert emu.admin.request_counts()["total"] == 0
    with eloq(emu) as c:
        assert c.get(f"{CLUSTERS}/x").status_code == 404


def test_openapi_describes_the_eloq_routes(emu: EmulatorProcess) -> None:
    spec: dict[str, Any] = httpx.get(f"{emu.url}/openapi.json").json()
    paths = spec["paths"]
    base = "/eloq/api/v1"
    assert set(paths[f"{base}/org-info"]) == {"get"}
    assert set(paths[f"{base}/orgs/{{org_id}}/projects/{{project_id}}/clusters"]) == {"get", "post"}
    assert "get" in paths[f"{base}/orgs/{{org_id}}/projects/{{project_id}}/clusters/{{cluster_name}}"]
    assert "delete" in paths[f"{base}/orgs/{{org_id}}/projects/{{project_id}}/clusters/{{cluster_name}}/delete"]
    assert f"{base}/skus-by-args" in paths
    schemas = spec["components"]["schemas"]
    assert set(schemas["CreateClusterRequest"]["properties"]) == {"clusterName", "region", "skuId", "requiredZone"}
    assert len(schemas["DescCluster"]["properties"]) == 22
    assert httpx.get(f"{emu.url}/docs").status_code == 200


# -- Eloq over raw HTTP: statuses and errors -----------------------------------------------------


def test_eloq_errors_use_the_envelope(emu: EmulatorProcess) -> None:
    with eloq(emu, key="wrong") as bad:
        r = bad.get("org-info")
        assert (r.status_code, r.json()) == (401, {"code": 401, "message": "invalid token", "data": None})
    with eloq(emu) as c:
        assert create(c, "ok-1").json() == {"code": 200, "message": "success", "data": None}
        dup = create(c, "ok-1")
        assert (dup.status_code, dup.json()["code"], dup.json()["message"]) == (
            409,
            409,
            "cluster ok-1 already exists",
        )
        for bad_body in (
            {"clusterName": "bad_name", "region": "us-west-1", "skuId": 101},
            {"clusterName": "", "region": "us-west-1", "skuId": 101},
            {"clusterName": "ok-2", "region": "mars-1", "skuId": 101},
            {"clusterName": "ok-2", "region": "us-west-1", "skuId": 999},
            {"clusterName": "ok-2", "region": "us-west-1", "skuId": "abc"},
            {"region": "us-west-1", "skuId": 101},
        ):
            r = c.post(CLUSTERS, json=bad_body)
            assert r.status_code == 400, bad_body
            assert r.json()["code"] == 400 and r.json()["data"] is None
        assert c.get(f"{CLUSTERS}/ok-2").status_code == 404
        # Another org's path: 404, whether or not that org has the cluster.
        with eloq(emu, OTHER_KEY) as other:
            other_path = "orgs/2/projects/248/clusters"
            body = {"clusterName": "theirs", "region": "us-west-1", "skuId": 101}
            assert other.post(other_path, json=body).status_code == 200
            assert other.get(f"{other_path}/theirs").status_code == 200
            assert create(other, "mine").status_code == 404  # org 1's path with org 2's key
        for r in (c.get("orgs/2/projects/248/clusters/theirs"), c.get("orgs/2/projects/248/clusters")):
            assert r.status_code == 404 and r.json()["code"] == 404
        r = c.delete(f"{CLUSTERS}/nope/delete")
        assert (r.status_code, r.json()["message"]) == (404, "cluster nope not found")


def test_eloq_timed_lifecycle_and_drift_helpers(emu: EmulatorProcess) -> None:
    emu.admin.delays(provision_seconds=0.6, deletion_seconds=0.6)
    with eloq(emu) as c:
        assert create(c, "slow").status_code == 200
        assert c.get(f"{CLUSTERS}/slow").json()["data"]["status"] == "creating"
        r = c.delete(f"{CLUSTERS}/slow/delete")
        assert r.status_code == 403 and "not in available status" in r.json()["message"]
        time.sleep(0.7)
        assert c.get(f"{CLUSTERS}/slow").json()["data"]["status"] == "available"
        assert c.delete(f"{CLUSTERS}/slow/delete").json()["code"] == 200
        assert c.get(f"{CLUSTERS}/slow").json()["data"]["status"] == "deleting"
        time.sleep(0.7)
        assert c.get(f"{CLUSTERS}/slow").status_code == 404
        assert c.get(CLUSTERS).json()["data"] == {"cluster_list": [], "total": 0}
        # A finished deletion frees the name.
        emu.admin.delays(provision_seconds=0)
        assert create(c, "slow").status_code == 200
        # Drift behind the provider's back.
        emu.admin.eloq_set_status(1, 147, "slow", "failed")
        assert c.get(f"{CLUSTERS}/slow").json()["data"]["status"] == "failed"
        emu.admin.eloq_set_status(1, 147, "slow", None)
        assert c.get(f"{CLUSTERS}/slow").json()["data"]["status"] == "available"
        emu.admin.eloq_patch(1, 147, "slow", version="nightly-2099-01-01")
        assert c.get(f"{CLUSTERS}/slow").json()["data"]["version"] == "nightly-2099-01-01"
        emu.admin.eloq_remove(1, 147, "slow")
        assert c.get(f"{CLUSTERS}/slow").status_code == 404


def test_eloq_paging_and_skus(emu: EmulatorProcess) -> None:
    with eloq(emu) as c:
        for i in range(5):
            create(c, f"p-{i}")
        pages = [c.get(CLUSTERS, params={"page": p, "perPage": 2}).json()["data"] for p in (1, 2, 3, 4)]
        assert [pg["total"] for pg in pages] == [5, 5, 5, 5]
        names = [item["cluster_name"] for pg in pages for item in pg["cluster_list"]]
        assert names == [f"p-{i}" for i in range(5)]
        assert pages[3]["cluster_list"] == []
        assert c.get(CLUSTERS, params={"page": 0}).status_code == 400
        skus = c.get("skus-by-args", params={"type": "dedicated", "eloqModule": "eloqdoc", "cloudProvider": "gcp"})
        data = skus.json()["data"]
        assert data and all(
            (s["sku_type"], s["module_type"], s["cloud_provider"]) == ("dedicated", "EloqDoc", "GCP") for s in data
        )
        every = c.get("skus-by-args").json()["data"]
        ids = [s["sku_id"] for s in every]
        assert len(ids) == len(set(ids)) >= 8
        kinds = Counter((s["sku_type"], s["module_type"], s["cloud_provider"]) for s in every)
        assert len(kinds) == 8  # serverless + dedicated x eloqkv + eloqdoc x aws + gcp
        assert c.get("skus-by-args", params={"type": "bogus"}).status_code == 400


def test_concurrent_writes_are_atomic(emu: EmulatorProcess) -> None:
    with eloq(emu) as c, ThreadPoolExecutor(8) as pool:
        distinct = list(pool.map(lambda i: create(c, f"par-{i}").status_code, range(24)))
        same = list(pool.map(lambda _: create(c, "contended").status_code, range(16)))
        listed = c.get(CLUSTERS, params={"perPage": 100}).json()["data"]
    assert distinct == [200] * 24
    assert sorted(same) == [200] + [409] * 15
    assert listed["total"] == 25


def test_responses_carry_a_request_id(emu: EmulatorProcess) -> None:
    with eloq(emu) as c:
        first, second = c.get("org-info"), c.get(f"{CLUSTERS}/missing")
        echoed = c.get("org-info", headers={"X-Request-Id": "trace-123"})
    assert first.headers["X-Request-Id"] != second.headers["X-Request-Id"]
    assert second.status_code == 404 and second.headers["X-Request-Id"]
    assert echoed.headers["X-Request-Id"] == "trace-123"
