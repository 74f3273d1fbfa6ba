"""Retries seen from the emulator's request log: Retry-After honoured, non-idempotent POSTs never repeated.

The POST cases inject a processed-then-lost fault (the platform commits the create, the answer is
lost as a 503 or a dropped connection) on the create's POST only, run the handler's create as
the provider host does (and again, as a re-run would, when it raises), and count from the log
how often that POST was sent and from the platform how many resources it holds.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import CheckResult

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.aerostack.client import AerostackClient
from pulumi_dataplatforms_provider.aerostack.sql_migration import SqlMigrationProvider
from pulumi_dataplatforms_provider.ardent.connector import ConnectorProvider
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.eloq.client import EloqClient
from pulumi_dataplatforms_provider.eloq.cluster import ClusterProvider
from pulumi_dataplatforms_provider.spark.folder import FolderProvider
from pulumi_dataplatforms_provider.spark.service import ServiceProvider
from tests.handlers import configured

REPO_ROOT = Path(__file__).resolve().parent.parent
RETRY_AFTER_SECONDS = 1.0


def test_retry_after_is_honoured_between_the_two_attempts(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    emulator.admin.faults("/eloq/api/v1/org-info", error_rate=1.0, max_faults=1, error_statuses=[503], retry_after="1")
    started = time.monotonic()
    info = EloqClient(env["ELOQ_API_KEY"], env["ELOQ_BASE_URL"]).info()
    assert info.org_info.org_id
    # Only this test's requests: an earlier test's slow answer may still finish and be logged after the reset
    # (the emulator runs on this machine, so its monotonic clock is this process's).
    first, second = [e for e in emulator.admin.request_log() if e["started_monotonic"] >= started]
    assert (first["status"], first["fault"], second["status"]) == (503, "error", 200)
    gap = second["started_monotonic"] - first["started_monotonic"]
    assert RETRY_AFTER_SECONDS <= gap < RETRY_AFTER_SECONDS + 2, f"retried {gap:.3f}s after the first attempt"


# -- a non-idempotent POST whose answer is lost ----------------------------------------------------


@dataclass(frozen=True)
class LostCreate:
    """One platform's create: its handler, inputs, the POST to lose, and how many resources exist."""

    provider: type[DynamicProvider[Any]]
    path: str
    body_regex: str | None
    prepare: Callable[[EmulatorProcess, Path], dict[str, Any]]
    resources: Callable[[EmulatorProcess], int]
    #: What the user does when the provider reports that the outcome cannot be known (then one more run).
    settle: Callable[[EmulatorProcess, str], None] | None = None


def spark_service_inputs(emulator: EmulatorProcess, tmp_path: Path) -> dict[str, Any]:
    folder_provider: type[DynamicProvider[Any]] = FolderProvider
    folders = configured(folder_provider, emulator)
    folder = folders.check({}, {"name": "pricing", "description": "Pricing models"})
    folders.create(folder.inputs)
    book = tmp_path / "quote.xlsx"
    book.write_bytes(spark_workbooks().quote_workbook(1000))
    return {"folder": "pricing", "name": "quote", "file": str(book), "releaseNotes": "first"}


def spark_workbooks() -> Any:
    """The example's workbook generator."""
    spec = importlib.util.spec_from_file_location(
        "spark_make_workbooks", REPO_ROOT / "examples/spark/make_workbooks.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def spark_versions(emulator: EmulatorProcess) -> int:
    services = emulator.admin.state()["spark"]["services"]
    return sum(len(service["versions"]) for service in services.values())


def eloq_cluster_inputs(_emulator: EmulatorProcess, _tmp_path: Path) -> dict[str, Any]:
    return {"name": "lost-answer", "region": "us-west-1", "skuId": 101}


def eloq_clusters(emulator: EmulatorProcess) -> int:
    return sum(1 for c in emulator.admin.state()["eloq"]["clusters"] if c["name"] == "lost-answer")


def ardent_connector_inputs(_emulator: EmulatorProcess, _tmp_path: Path) -> dict[str, Any]:
    details = {"host": "db.internal", "port": 5432, "database": "analytics", "username": "u", "password": "p"}
    return {"serviceName": "postgresql", "name": "warehouse", "connectionDetails": details}


def ardent_connectors(emulator: EmulatorProcess) -> int:
    connectors = emulator.admin.state()["ardent"]["connectors"]
    items = connectors.values() if isinstance(connectors, dict) else connectors
    return sum(1 for c in items if c.get("name") == "warehouse")


def aerostack(emulator: EmulatorProcess) -> AerostackClient:
    env = emulator.env()
    return AerostackClient(env["AEROSTACK_API_KEY"], env["AEROSTACK_SERVER_URL"])


def aerostack_migration_inputs(emulator: EmulatorProcess, _tmp_path: Path) -> dict[str, Any]:
    aerostack(emulator).db_query("CREATE TABLE seeds (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
    return {"migrationId": "001-seed", "up": ["INSERT INTO seeds (name) VALUES ('alpha')"], "__logicalName": "seed"}


def aerostack_seed_rows(emulator: EmulatorProcess) -> int:
    rows = aerostack(emulator).db_query("SELECT COUNT(*) AS n FROM seeds WHERE name = 'alpha'").results
    return int(rows[0]["n"])


def follow_the_settling_instruction(emulator: EmulatorProcess, error: str) -> None:
    """Do what a migration's unknown-outcome error tells the user to do when the statement was applied."""
    match = re.search(r"if statement \d+ was applied, run `(UPDATE [^`]+)`", error)
    assert match, f"the error gives no instruction to settle the statement: {error}"
    aerostack(emulator).db_query(match.group(1))


CASES = {
    "spark-publish": LostCreate(ServiceProvider, r"^/spark/.*/publish$", None, spark_service_inputs, spark_versions),
    "eloq-cluster": LostCreate(
        ClusterProvider, r"^/eloq/api/v1/orgs/[^/]+/projects/[^/]+/clusters$", None, eloq_cluster_inputs, eloq_clusters
    ),
    "ardent-connector": LostCreate(
        ConnectorProvider,
        r"^/ardent/v\d/connectors$",
        None,
        ardent_connector_inputs,
        ardent_connectors,
    ),
    "aerostack-migration": LostCreate(
        SqlMigrationProvider,
        "/aerostack/v1/db/query",
        "INSERT INTO seeds",
        aerostack_migration_inputs,
        aerostack_seed_rows,
        follow_the_settling_instruction,
    ),
}


def case_params() -> list[Any]:
    return [
        pytest.param(name, lost_as, id=f"{name}-lost-as-{lost_as}") for name in CASES for lost_as in ("error", "drop")
    ]


def create_as_the_engine_does(
    provider: DynamicProvider[Any], news: dict[str, Any], settle: Callable[[str], None] | None = None
) -> list[str]:
    """check + create; when create raises, check + create once more (a re-run), and after `settle` once more.

    Returns the errors seen.
    """
    errors: list[str] = []
    for attempt in range(3 if settle is not None else 2):
        if attempt == 2 and settle is not None:
            settle(errors[-1])
        checked: CheckResult = provider.check({}, dict(news))
        assert not checked.failures, checked.failures
        try:
            provider.create(checked.inputs)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        return errors
    pytest.fail(f"create failed on every run: {errors}")


@pytest.mark.parametrize(("case", "lost_as"), case_params())
def test_a_create_post_whose_answer_is_lost_is_sent_once(
    emulator: EmulatorProcess, tmp_path: Path, case: str, lost_as: str
) -> None:
    spec = CASES[case]
    news = spec.prepare(emulator, tmp_path)
    emulator.admin.reset_counts()
    rule = emulator.admin.faults(
        spec.path,
        method="POST",
        body_regex=spec.body_regex,
        lost_rate=1.0,
        lost_as=lost_as,
        error_statuses=[503],
        max_faults=1,
    )
    settle = None if spec.settle is None else functools.partial(spec.settle, emulator)
    errors = create_as_the_engine_does(configured(spec.provider, emulator), news, settle)
    posts = [e for e in emulator.admin.request_log() if rule["id"] in e["rules"]]
    assert posts and posts[0]["fault"] == "lost" and posts[0]["handled"], "the fault must have hit the create"
    assert len(posts) == 1, f"the create POST was sent {len(posts)} times (errors: {errors})"
    assert spec.resources(emulator) == 1
