"""The Aerostack handlers (SqlMigration, CacheEntry, StorageObject) driven as the provider host drives them.

Judged by what the emulator's database, cache and storage hold, what was sent (the request log;
fault rules, some matching one statement's body, make the platform fail or lose answers) and
what each handler records: a migration applied statement by statement exactly once, never
re-sending a statement whose outcome is unknown, recorded only when `verify` passes, and
rolled back by `down`; a cache value stored as the program wrote it and expiring as asked; an
object uploaded byte for byte with its content type.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from pulumi.runtime import rpc

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.aerostack import sql_migration as migration_module
from pulumi_dataplatforms_provider.aerostack.cache_entry import CacheEntryProvider
from pulumi_dataplatforms_provider.aerostack.sql_migration import MigrationError, SqlMigrationProvider
from pulumi_dataplatforms_provider.aerostack.storage_object import StorageObjectProvider
from pulumi_dataplatforms_provider.core import APIStatusError
from tests.handlers import configured

pytestmark = pytest.mark.timeout(120)

DB_QUERY = "/aerostack/v1/db/query"
TABLE = "_pulumi_migrations"
PROGRESS = "_pulumi_migrations_progress"


def sql(emulator: EmulatorProcess, statement: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    env = emulator.env()
    body: dict[str, Any] = {"sql": statement, **({"params": params} if params is not None else {})}
    answer = httpx.post(
        f"{env['AEROSTACK_SERVER_URL']}/db/query",
        json=body,
        headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
        timeout=10,
    )
    answer.raise_for_status()
    rows: list[dict[str, Any]] = answer.json()["results"]
    return rows


def sent(emulator: EmulatorProcess, rule: dict[str, Any]) -> int:
    """How many requests the fault rule (used as a probe or a fault) matched."""
    return sum(rule["id"] in entry["rules"] for entry in emulator.admin.request_log())


def statement_rule(emulator: EmulatorProcess, fragment: str, **fault: Any) -> dict[str, Any]:
    """A fault rule (or, without rates, a probe) on the `db/query` requests whose SQL contains `fragment`."""
    return emulator.admin.faults(DB_QUERY, method="POST", body_regex=re.escape(json.dumps(fragment)[1:-1]), **fault)


def no_failures(result: Any) -> dict[str, Any]:
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def tables(emulator: EmulatorProcess) -> set[str]:
    return {r["name"] for r in sql(emulator, "SELECT name FROM sqlite_master WHERE type = 'table'")}


def checksum_of(up: list[str]) -> str:
    return hashlib.sha256(json.dumps(up, separators=(",", ":")).encode()).hexdigest()


# -- SqlMigration --------------------------------------------------------------------------------


@pytest.fixture
def migrations(emulator: EmulatorProcess) -> SqlMigrationProvider:
    return configured(SqlMigrationProvider, emulator)


def migration(provider: SqlMigrationProvider, olds: dict[str, Any] | None = None, **given: Any) -> dict[str, Any]:
    news = {"__logicalName": "001-items", **given}
    return no_failures(provider.check(olds or {}, {k: v for k, v in news.items() if v is not None}))


ITEMS_UP = ["CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)", "INSERT INTO items (name) VALUES ('first')"]
ITEMS_DOWN = ["DELETE FROM items", "DROP TABLE items"]
ITEMS_VERIFY = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'items'"


def test_the_checksum_recorded_is_the_one_earlier_releases_recorded(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    # SHA-256 of the statements as compact JSON: a changed digest would make every migration that
    # an earlier release recorded look edited ("already recorded ... with checksum ...").
    created = migrations.create(migration(migrations, up=["CREATE TABLE t (id INTEGER)"]))
    pinned = "69e4720769f48fb39fe0093a13929078266130e19f3b5d1fff7008fa4d7772ad"
    assert sql(emulator, f'SELECT checksum FROM "{TABLE}"') == [{"checksum": pinned}]
    assert dict(created.outs or {})["checksum"] == pinned


def test_a_migration_is_applied_once_recorded_and_rolled_back(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, capfd: pytest.CaptureFixture[str]
) -> None:
    inputs = migration(migrations, up=ITEMS_UP, down=ITEMS_DOWN, verify=ITEMS_VERIFY)
    assert (inputs["migrationId"], inputs["bookkeepingTable"]) == ("001-items", TABLE)
    before = datetime.now(timezone.utc)
    created = migrations.create(inputs)
    assert created.id == f"{TABLE}/001-items"
    (row,) = sql(emulator, f'SELECT id, checksum, statements, applied_at FROM "{TABLE}"')
    assert (row["id"], row["checksum"], row["statements"]) == ("001-items", checksum_of(ITEMS_UP), 2)
    assert before - timedelta(seconds=1) <= datetime.fromisoformat(row["applied_at"].replace("Z", "+00:00"))
    assert sql(emulator, "SELECT name FROM items") == [{"name": "first"}]
    assert sql(emulator, f'SELECT * FROM "{PROGRESS}"') == []
    outs = dict(created.outs or {})
    assert outs == {**inputs, "checksum": row["checksum"], "appliedAt": row["applied_at"], "statementsApplied": 2}

    same = migrations.read(created.id, outs)
    assert (same.id, same.outs, same.inputs) == (created.id, outs, inputs)

    again = migrations.create(inputs)  # e.g. a second stack, or a state lost after the apply
    assert dict(again.outs or {})["statementsApplied"] == 0
    assert dict(again.outs or {})["appliedAt"] == row["applied_at"]
    assert sql(emulator, "SELECT name FROM items") == [{"name": "first"}], "nothing ran twice"

    migrations.delete(created.id, outs)
    assert "items" not in tables(emulator)
    assert sql(emulator, f'SELECT * FROM "{TABLE}"') == []
    assert "no `down` statements" not in capfd.readouterr().err


def test_a_migration_is_recorded_in_the_bookkeeping_table_it_names(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    inputs = migration(migrations, up=["CREATE TABLE c (id INTEGER)"], bookkeepingTable="schema_log")
    created = migrations.create(inputs)
    assert created.id == "schema_log/001-items"
    assert sql(emulator, "SELECT id FROM schema_log") == [{"id": "001-items"}]
    assert TABLE not in tables(emulator)
    migrations.delete(created.id, dict(created.outs or {}))
    assert sql(emulator, "SELECT id FROM schema_log") == []


def test_a_migration_without_down_says_the_schema_stays(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, capfd: pytest.CaptureFixture[str]
) -> None:
    inputs = migration(migrations, up=["CREATE TABLE kept (id INTEGER)"])
    created = migrations.create(inputs)
    migrations.delete(created.id, dict(created.outs or {}))
    assert "no `down` statements; the schema stays" in capfd.readouterr().err
    assert "kept" in tables(emulator)
    assert sql(emulator, f'SELECT * FROM "{TABLE}"') == []


def test_check_names_the_id_and_table_and_refuses_bad_statements(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    emulator.admin.reset_counts()
    assert migration(migrations, up=ITEMS_UP, **{"__logicalName": None})["migrationId"] == "migration"
    custom = migration(migrations, up=ITEMS_UP, migrationId="m-1", bookkeepingTable="schema_log")
    assert (custom["migrationId"], custom["bookkeepingTable"]) == ("m-1", "schema_log")
    assert migration(migrations, up=ITEMS_UP, bookkeepingTable=None)["bookkeepingTable"] == TABLE

    def failures(**given: Any) -> set[str]:
        return {f.property for f in migrations.check({}, {"up": ITEMS_UP, **given}).failures}

    assert failures(up=[]) == {"up"}
    assert failures(up=["SELECT 1", "   "]) == {"up"}
    assert failures(down=["  "]) == {"down"}
    assert failures(verify="DELETE FROM items") == {"verify"}
    assert failures(migrationId="bad id!", bookkeepingTable="bad-table", colour=1) == {
        "migrationId",
        "bookkeepingTable",
        "colour",
    }
    assert failures(down=ITEMS_DOWN, verify=ITEMS_VERIFY) == set()
    assert emulator.admin.request_counts()["total"] == 0


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"migrationId": "002"}, ["migrationId"]),
        ({"up": ["CREATE TABLE other (id INTEGER)"]}, ["up"]),
        ({"bookkeepingTable": "other_log"}, ["bookkeepingTable"]),
        ({"up": rpc.UNKNOWN}, ["up"]),
        ({"down": ["DROP TABLE items"]}, []),
        ({"verify": "SELECT 1"}, []),
        ({}, None),
    ],
)
def test_migration_diff_replaces_for_new_statements_id_or_table(
    migrations: SqlMigrationProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {
        **migration(migrations, up=ITEMS_UP, down=ITEMS_DOWN, verify=ITEMS_VERIFY),
        "checksum": checksum_of(ITEMS_UP),
    }
    plan = migrations.diff(f"{TABLE}/001-items", olds, {**olds, **change})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
        return
    assert (plan.changes, plan.replaces) == (True, replaces)
    assert plan.delete_before_replace is bool(replaces), "the old `down` runs before the new `up`"


def test_update_takes_new_down_and_verify_without_running_sql(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    inputs = migration(migrations, up=ITEMS_UP, down=ITEMS_DOWN)
    outs = dict(migrations.create(inputs).outs or {})
    news = migration(migrations, olds=inputs, up=ITEMS_UP, down=["DROP TABLE items"], verify=ITEMS_VERIFY)
    emulator.admin.reset_counts()
    updated = dict(migrations.update(f"{TABLE}/001-items", outs, news).outs or {})
    assert updated == {**outs, "down": ["DROP TABLE items"], "verify": ITEMS_VERIFY}
    assert emulator.admin.request_counts()["total"] == 0


def test_refresh_drops_a_migration_rolled_back_outside_and_reports_a_rewritten_record(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    inputs = migration(migrations, up=ITEMS_UP, verify=ITEMS_VERIFY)
    created = migrations.create(inputs)
    outs = dict(created.outs or {})
    sql(emulator, f"UPDATE \"{TABLE}\" SET checksum = 'edited', applied_at = '2020-01-01T00:00:00Z'")
    edited = migrations.read(created.id, outs)
    assert dict(edited.outs or {}) == {**outs, "checksum": "edited", "appliedAt": "2020-01-01T00:00:00Z"}
    plan = migrations.diff(created.id, dict(edited.outs or {}), inputs)
    assert plan.replaces == ["up"], "the recorded statements are not the declared ones: apply them again"

    sql(emulator, "DROP TABLE items")
    assert migrations.read(created.id, outs).id == "", "verify finds no table"
    sql(emulator, "CREATE TABLE items (id INTEGER)")
    sql(emulator, f'DELETE FROM "{TABLE}"')
    assert migrations.read(created.id, outs).id == "", "no bookkeeping row"
    sql(emulator, f'DROP TABLE "{TABLE}"')
    assert migrations.read(created.id, outs).id == "", "no bookkeeping table"
    migrations.delete(created.id, outs)  # the table is gone: nothing left to forget


def test_a_bookkeeping_table_that_is_not_one_is_an_error_not_a_rollback(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    inputs = migration(migrations, up=ITEMS_UP)
    created = migrations.create(inputs)
    sql(emulator, f'DROP TABLE "{TABLE}"')
    sql(emulator, f'CREATE TABLE "{TABLE}" (something TEXT)')
    with pytest.raises(APIStatusError, match="no such column"):
        migrations.read(created.id, dict(created.outs or {}))
    with pytest.raises(APIStatusError, match="no such column"):
        migrations.delete(created.id, dict(created.outs or {}))


def test_a_verify_that_cannot_run_fails_the_create_and_the_next_run_only_checks_it_again(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    inputs = migration(migrations, up=["CREATE TABLE a (id INTEGER)"], verify="SELECT id FROM b")
    with pytest.raises(MigrationError, match="verify returned no row"):
        migrations.create(inputs)
    assert sql(emulator, f'SELECT * FROM "{TABLE}"') == []
    sql(emulator, "CREATE TABLE b (id INTEGER)")
    sql(emulator, "INSERT INTO b (id) VALUES (1)")
    created = migrations.create(inputs)  # `CREATE TABLE a` would fail if it ran again
    assert dict(created.outs or {})["statementsApplied"] == 0
    assert sql(emulator, f'SELECT id FROM "{TABLE}"') == [{"id": "001-items"}]


@pytest.mark.parametrize(("status", "times"), [(500, 1), (503, 6), (429, 6)])
def test_a_verify_the_platform_cannot_answer_is_an_error_not_a_rollback(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, status: int, times: int
) -> None:
    inputs = migration(migrations, up=ITEMS_UP, verify=ITEMS_VERIFY)
    created = migrations.create(inputs)
    statement_rule(emulator, ITEMS_VERIFY, error_rate=1.0, error_statuses=[status], max_faults=times)
    with pytest.raises(APIStatusError):
        migrations.read(created.id, dict(created.outs or {}))
    emulator.admin.clear_faults()
    statement_rule(emulator, ITEMS_VERIFY, error_rate=1.0, error_statuses=[status], max_faults=times)
    with pytest.raises(APIStatusError):
        migrations.create(inputs)


def test_a_recorded_migration_whose_verify_fails_is_applied_again(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, capfd: pytest.CaptureFixture[str]
) -> None:
    up = ["CREATE TABLE IF NOT EXISTS items (id INTEGER)"]
    inputs = migration(migrations, up=up, verify=ITEMS_VERIFY)
    migrations.create(inputs)
    sql(emulator, "DROP TABLE items")
    sql(emulator, f'DELETE FROM "{PROGRESS}"')
    assert "applying again" not in capfd.readouterr().err
    again = migrations.create(inputs)
    assert "recorded but verify fails; applying again" in capfd.readouterr().err
    assert "items" in tables(emulator)
    assert dict(again.outs or {})["statementsApplied"] == 1


def test_a_migration_recorded_with_other_statements_is_refused(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    migrations.create(migration(migrations, up=["CREATE TABLE a (id INTEGER)"]))
    with pytest.raises(MigrationError, match=r"already recorded .* with checksum"):
        migrations.create(migration(migrations, up=["CREATE TABLE b (id INTEGER)"]))
    assert "b" not in tables(emulator)


@pytest.mark.parametrize(
    ("failing", "applied"),
    [
        (0, "No statement before it was applied"),
        (1, "Statement 0 was applied and remains"),
        (2, "Statements 0-1 were applied and remain"),
    ],
)
def test_a_statement_that_fails_names_what_stays_applied_and_the_fixed_run_resumes(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, failing: int, applied: str
) -> None:
    good = ["CREATE TABLE s0 (id INTEGER)", "CREATE TABLE s1 (id INTEGER)", "CREATE TABLE s2 (id INTEGER)"]
    broken = [*good[:failing], "INSERT INTO nowhere (x) VALUES (1)", *good[failing + 1 :]]
    with pytest.raises(MigrationError) as caught:
        migrations.create(migration(migrations, up=broken))
    assert f"up statement {failing} of 3 failed" in str(caught.value)
    assert f"{applied} (each statement is its own transaction)" in str(caught.value)
    assert f"resumes at statement {failing}" in str(caught.value)
    fixed = migrations.create(migration(migrations, up=good))
    assert dict(fixed.outs or {})["statementsApplied"] == 3 - failing
    assert {"s0", "s1", "s2"} <= tables(emulator)
    assert sql(emulator, f'SELECT * FROM "{PROGRESS}"') == []


def test_a_statement_already_applied_that_is_changed_stops_the_migration(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    with pytest.raises(MigrationError, match="statement 1 of 2 failed"):
        migrations.create(migration(migrations, up=["CREATE TABLE n (id INTEGER)", "INSERT INTO nope VALUES (1)"]))
    with pytest.raises(MigrationError, match="partly applied"):
        migrations.create(migration(migrations, up=["CREATE TABLE n2 (id INTEGER)", "SELECT 1"]))
    assert "n2" not in tables(emulator)


@pytest.mark.parametrize(
    ("fault", "status"),
    [
        ({"lost_rate": 1.0, "lost_as": "drop"}, None),
        ({"lost_rate": 1.0, "lost_as": "error", "error_statuses": [503]}, 503),
        ({"error_rate": 1.0, "error_statuses": [500]}, 500),
        ({"error_rate": 1.0, "error_statuses": [408]}, 408),
    ],
)
def test_a_statement_whose_outcome_is_unknown_is_never_sent_again(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, fault: dict[str, Any], status: int | None
) -> None:
    sql(emulator, "CREATE TABLE ledger (amount INTEGER)")
    up = ["CREATE TABLE IF NOT EXISTS audit (x INTEGER)", "INSERT INTO ledger (amount) VALUES (5)"]
    inputs = migration(migrations, up=up)
    rule = statement_rule(emulator, "INSERT INTO ledger", max_faults=1, **fault)
    with pytest.raises(MigrationError, match="the answer to up statement 1 of 2 was lost in this run"):
        migrations.create(inputs)
    with pytest.raises(MigrationError, match="was lost in an earlier run") as again:
        migrations.create(inputs)
    assert sent(emulator, rule) == 1, "the statement was sent once, by the first run only"
    assert "Statement 0 was applied and remains" in str(again.value)
    expected = [{"amount": 5}] if fault.get("lost_rate") else []
    assert sql(emulator, "SELECT amount FROM ledger") == expected
    # The way out the message gives: settle it by hand, then the next run finishes.
    done = 2 if expected else 1
    sql(emulator, f'UPDATE "{PROGRESS}" SET done = ?, checksum = ?, pending = NULL', [done, checksum_of(up[:done])])
    finished = migrations.create(inputs)
    assert dict(finished.outs or {})["statementsApplied"] == 2 - done
    assert sql(emulator, "SELECT amount FROM ledger") == [{"amount": 5}]


def test_a_statement_refused_with_a_definite_answer_runs_again_next_time(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    sql(emulator, "CREATE TABLE ledger (amount INTEGER)")
    up = ["INSERT INTO ledger (amount) VALUES (7)"]
    statement_rule(emulator, "INSERT INTO ledger", error_rate=1.0, error_statuses=[409], max_faults=1)
    with pytest.raises(MigrationError, match="up statement 0 of 1 failed"):
        migrations.create(migration(migrations, up=up))
    migrations.create(migration(migrations, up=up))
    assert sql(emulator, "SELECT amount FROM ledger") == [{"amount": 7}]


def test_a_replay_safe_statement_that_fails_is_simply_run_again_next_time(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    up = ["CREATE TABLE IF NOT EXISTS safe_t (id INTEGER)"]
    statement_rule(emulator, up[0], error_rate=1.0, error_statuses=[503], max_faults=6)
    with pytest.raises(MigrationError, match="up statement 0 of 1 failed"):
        migrations.create(migration(migrations, up=up))
    migrations.create(migration(migrations, up=up))
    assert "safe_t" in tables(emulator)


def test_bookkeeping_statements_are_retried_through_transient_errors(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess
) -> None:
    def fail_once(*fragments: str) -> None:
        emulator.admin.clear_faults()
        for fragment in fragments:
            statement_rule(emulator, fragment, error_rate=1.0, error_statuses=[503], max_faults=1)

    sql(emulator, "CREATE TABLE kv (k TEXT)")
    inputs = migration(migrations, up=["INSERT INTO kv (k) VALUES ('a')"], down=["DELETE FROM kv"])
    fail_once(
        "CREATE TABLE IF NOT EXISTS",
        f'INSERT OR REPLACE INTO "{PROGRESS}"',
        f'INSERT OR REPLACE INTO "{TABLE}"',
        f'DELETE FROM "{PROGRESS}"',
    )
    created = migrations.create(inputs)
    assert all(rule["fired"] == 1 for rule in emulator.admin.list_faults())
    fail_once(f'DELETE FROM "{TABLE}"', f'DELETE FROM "{PROGRESS}"')
    migrations.delete(created.id, dict(created.outs or {}))
    assert all(rule["fired"] == 1 for rule in emulator.admin.list_faults())
    assert sql(emulator, "SELECT * FROM kv") == []
    assert sql(emulator, f'SELECT * FROM "{TABLE}"') == []


def test_a_rate_limited_statement_is_tried_again_with_backoff(
    migrations: SqlMigrationProvider, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(migration_module, "time", SimpleNamespace(sleep=sleeps.append))
    sql(emulator, "CREATE TABLE hits (n INTEGER)")
    # Each attempt of the migrator is 6 requests (the client retries a 429 five times).
    rule = statement_rule(emulator, "INSERT INTO hits", error_rate=1.0, error_statuses=[429], max_faults=18)
    migrations.create(migration(migrations, up=["INSERT INTO hits (n) VALUES (1)"]))
    assert sleeps == [0.1, 0.2, 0.4]
    assert sent(emulator, rule) == 19
    assert sql(emulator, "SELECT n FROM hits") == [{"n": 1}]

    sleeps.clear()
    emulator.admin.clear_faults()
    statement_rule(emulator, "INSERT INTO hits", error_rate=1.0, error_statuses=[429])
    with pytest.raises(MigrationError, match="up statement 0 of 1 failed"):
        migrations.create(migration(migrations, up=["INSERT INTO hits (n) VALUES (2)"], migrationId="second"))
    assert sleeps == [0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0]

    sleeps.clear()
    emulator.admin.clear_faults()
    statement_rule(emulator, "CREATE TABLE IF NOT EXISTS limited", error_rate=1.0, error_statuses=[429], max_faults=6)
    with pytest.raises(MigrationError):
        migrations.create(migration(migrations, up=["CREATE TABLE IF NOT EXISTS limited (n INTEGER)"], migrationId="third"))  # fmt: skip
    assert sleeps == [], "a replay-safe statement was already retried by the client"


# -- CacheEntry ------------------------------------------------------------------------------------


@pytest.fixture
def caches(emulator: EmulatorProcess) -> CacheEntryProvider:
    return configured(CacheEntryProvider, emulator)


def cached(emulator: EmulatorProcess, key: str) -> dict[str, Any] | None:
    store = next((v for k, v in emulator.admin.state()["aerostack"].items() if k.startswith("cache:")), {})
    entry: dict[str, Any] | None = store.get(key)
    return entry


def advance_clock(emulator: EmulatorProcess, seconds: float) -> float:
    answer = httpx.post(f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": seconds}, timeout=10)
    answer.raise_for_status()
    return float(answer.json()["offset_seconds"])


def test_a_cache_value_is_stored_as_the_program_wrote_it(caches: CacheEntryProvider, emulator: EmulatorProcess) -> None:
    # The engine carries numbers as doubles: a 500 written by the program arrives as 500.0.
    value = {"limit": 500.0, "ratio": 0.5, "tiers": [1.0, 2.5, {"n": 3.0}], "name": "x", "on": True, "none": None}
    inputs = no_failures(caches.check({}, {"key": "app:settings", "value": value}))
    created = caches.create(inputs)
    stored = cached(emulator, "app:settings")
    assert stored is not None
    assert stored["value"] == {"limit": 500, "ratio": 0.5, "tiers": [1, 2.5, {"n": 3}], "name": "x", "on": True, "none": None}  # fmt: skip
    assert type(stored["value"]["limit"]) is int and type(stored["value"]["tiers"][2]["n"]) is int
    assert stored["expires_at"] is None
    assert created.id == "app:settings"
    assert created.outs == {**inputs, "expiresAt": None}
    same = caches.read(created.id, dict(created.outs or {}))
    assert (same.id, same.outs, same.inputs) == (created.id, created.outs, inputs)


def test_a_cache_value_given_as_json_text_is_stored_parsed_and_expires_as_asked(
    caches: CacheEntryProvider, emulator: EmulatorProcess
) -> None:
    inputs = no_failures(caches.check({}, {"key": "flags", "valueJson": '{"beta": false}', "ttl": 600}))
    before = datetime.now(timezone.utc)
    outs = dict(caches.create(inputs).outs or {})
    assert cached(emulator, "flags")["value"] == {"beta": False}  # type: ignore[index]
    expires = datetime.fromisoformat(outs["expiresAt"])
    assert timedelta(seconds=599) <= expires - before <= timedelta(seconds=605)
    same = caches.read("flags", outs)
    assert (same.outs, same.inputs) == (outs, inputs), "unchanged JSON text is not drift"

    caches.handler.client().cache_set("flags", {"beta": True})
    drifted = caches.read("flags", outs)
    assert drifted.inputs == {**{k: v for k, v in inputs.items() if k != "valueJson"}, "value": {"beta": True}}
    assert no_failures(caches.check(outs, dict(drifted.inputs or {})))
    plan = caches.diff("flags", dict(drifted.outs or {}), inputs)
    assert plan.changes and not plan.replaces, "the next up sets it back in place"
    updated = caches.update("flags", dict(drifted.outs or {}), inputs)
    assert cached(emulator, "flags")["value"] == {"beta": False}  # type: ignore[index]
    assert dict(updated.outs or {})["valueJson"] == '{"beta": false}'

    advance_clock(emulator, 601)
    assert caches.read("flags", outs).id == "", "an expired entry drops from state"


def test_deleting_a_cache_entry_overwrites_it_with_null_for_the_shortest_ttl(
    caches: CacheEntryProvider, emulator: EmulatorProcess
) -> None:
    outs = dict(caches.create(no_failures(caches.check({}, {"key": "gone", "value": [1]}))).outs or {})
    caches.delete("gone", outs)
    entry = cached(emulator, "gone")
    assert entry is not None and entry["value"] is None
    assert caches.read("gone", outs).id == "gone"
    advance_clock(emulator, 1.01)
    assert caches.read("gone", outs).id == ""


def test_cache_check_wants_exactly_one_json_value(caches: CacheEntryProvider, emulator: EmulatorProcess) -> None:
    emulator.admin.reset_counts()

    def failures(**given: Any) -> set[str]:
        return {f.property for f in caches.check({}, {"key": "k", **given}).failures}

    assert failures() == {"value"}
    assert failures(value=1, valueJson="1") == {"value"}
    assert failures(value=1) == set() and failures(valueJson="[1]") == set()
    assert failures(value=rpc.UNKNOWN) == set() and failures(value=1, valueJson=rpc.UNKNOWN) == set()
    assert failures(value=math.nan) == {"value"}
    assert failures(value=[math.inf]) == {"value"}
    assert failures(valueJson="{not json") == {"valueJson"}
    assert failures(value=1, ttl=0) == {"ttl"}
    assert failures(value=1, ttl=1) == set()
    assert failures(value=1, key="") == {"key"}
    assert failures(value=1, colour=1) == {"colour"}
    assert emulator.admin.request_counts()["total"] == 0


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"key": "other"}, ["key"]),
        ({"value": 2}, []),
        ({"value": None, "valueJson": "2"}, []),
        ({"ttl": 60}, []),
        ({"value": rpc.UNKNOWN}, []),
        ({}, None),
    ],
)
def test_cache_diff_replaces_only_for_a_new_key(
    caches: CacheEntryProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {"key": "k", "value": 1, "expiresAt": None}
    plan = caches.diff("k", olds, {k: v for k, v in {**olds, **change}.items() if v is not None})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
    else:
        assert (plan.changes, plan.replaces) == (True, replaces)


# -- StorageObject --------------------------------------------------------------------------------


@pytest.fixture
def objects(emulator: EmulatorProcess) -> StorageObjectProvider:
    return configured(StorageObjectProvider, emulator)


def stored_object(emulator: EmulatorProcess, key: str) -> dict[str, Any] | None:
    store = next((v for k, v in emulator.admin.state()["aerostack"].items() if k.startswith("objects:")), {})
    entry: dict[str, Any] | None = store.get(key)
    return entry


def test_a_file_is_uploaded_byte_for_byte_with_its_content_type(
    objects: StorageObjectProvider, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 5000  # over a megabyte: hashed in chunks
    source = tmp_path / "blob.bin"
    source.write_bytes(data)
    inputs = no_failures(objects.check({}, {"key": "assets/blob.bin", "source": str(source), "contentType": "application/x-test"}))  # fmt: skip
    assert inputs["sourceHash"] == hashlib.sha256(data).hexdigest()
    created = objects.create(inputs)
    held = stored_object(emulator, "assets/blob.bin")
    assert held is not None and held["sha256"] == hashlib.sha256(data).hexdigest()
    assert held["content_type"] == "application/x-test"
    assert held["file_name"] == "blob.bin", "the file part is named after the source by default"
    outs = dict(created.outs or {})
    assert outs == {**inputs, "url": outs["url"], "size": len(data)}
    served = httpx.get(outs["url"], timeout=10)
    assert served.content == data
    assert objects.read(created.id, outs).outs == outs

    source.write_bytes(b"edited after the preview")
    with pytest.raises(ValueError, match="changed between preview and update"):
        objects.update(created.id, outs, inputs)
    objects.delete(created.id, outs)
    assert stored_object(emulator, "assets/blob.bin") is not None, "there is no delete endpoint"


def test_inline_content_is_uploaded(objects: StorageObjectProvider, emulator: EmulatorProcess) -> None:
    inputs = no_failures(objects.check({}, {"key": "notes/hello.txt", "content": "héllo"}))
    assert "sourceHash" not in inputs
    created = objects.create(inputs)
    held = stored_object(emulator, "notes/hello.txt")
    assert held is not None and held["sha256"] == hashlib.sha256("héllo".encode()).hexdigest()
    assert held["file_name"] == "hello.txt", "inline content is named after the key by default"
    assert dict(created.outs or {})["size"] == len("héllo".encode())
    changed = no_failures(objects.check(inputs, {"key": "notes/hello.txt", "content": "bye"}))
    updated = objects.update(created.id, dict(created.outs or {}), changed)
    assert httpx.get(dict(updated.outs or {})["url"], timeout=10).content == b"bye"


def test_the_file_name_given_is_the_one_sent(objects: StorageObjectProvider, emulator: EmulatorProcess) -> None:
    inputs = no_failures(objects.check({}, {"key": "exports/latest", "content": "a,b", "fileName": "report 2026.csv"}))
    objects.create(inputs)
    held = stored_object(emulator, "exports/latest")
    assert held is not None and held["file_name"] == "report 2026.csv"
    renamed = no_failures(objects.check(inputs, {**inputs, "fileName": "report 2027.csv"}))
    plan = objects.diff("exports/latest", inputs, renamed)
    assert (plan.changes, plan.replaces) == (True, [])
    objects.update("exports/latest", inputs, renamed)
    assert stored_object(emulator, "exports/latest")["file_name"] == "report 2027.csv"  # type: ignore[index]


def test_storage_check_wants_exactly_one_source(objects: StorageObjectProvider, tmp_path: Path) -> None:
    file = tmp_path / "f.txt"
    file.write_text("x")

    def failures(**given: Any) -> set[str]:
        return {f.property for f in objects.check({}, {"key": "k", **given}).failures}

    assert failures() == {"source"}
    assert failures(source=str(file), content="x") == {"source"}
    assert failures(source=rpc.UNKNOWN) == set() and failures(source=rpc.UNKNOWN, content="x") == set()
    assert failures(content="x") == set() and failures(source=str(file)) == set()
    assert failures(source=str(tmp_path / "missing")) == {"source"}
    assert failures(content="x", key="") == {"key"}
    assert failures(content="x", key="k" * 1024) == set()
    assert failures(content="x", key="k" * 1025) == {"key"}
    assert failures(content="x", contentType="not a type") == {"contentType"}
    assert failures(content="x", fileName="f" * 255) == set()
    assert failures(content="x", fileName="f" * 256) == {"fileName"}
    assert failures(content="x", fileName="") == {"fileName"}
    assert failures(content="x", fileName="dir/f.txt") == {"fileName"}
    assert failures(content="x", colour=1) == {"colour"}
    hashed = no_failures(objects.check({}, {"key": "k", "source": str(file), "sourceHash": "ignored"}))
    assert hashed["sourceHash"] == hashlib.sha256(b"x").hexdigest()


@pytest.mark.parametrize(
    ("change", "replaces"),
    [
        ({"key": "other"}, ["key"]),
        ({"source": "/b"}, []),
        ({"content": "c"}, []),
        ({"contentType": "text/plain"}, []),
        ({"sourceHash": "0" * 64}, []),
        ({"key": rpc.UNKNOWN}, ["key"]),
        ({}, None),
    ],
)
def test_storage_diff_replaces_only_for_a_new_key(
    objects: StorageObjectProvider, change: dict[str, Any], replaces: list[str] | None
) -> None:
    olds = {"key": "k", "source": "/a", "sourceHash": "f" * 64, "url": "u", "size": 1}
    plan = objects.diff("k", olds, {**olds, **change})
    if replaces is None:
        assert plan.changes is False and not plan.replaces
    else:
        assert (plan.changes, plan.replaces) == (True, replaces)
