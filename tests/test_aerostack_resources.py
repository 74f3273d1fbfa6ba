"""Aerostack resources through the engine harness and the real provider host, against the emulator."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any, cast

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.aerostack.sql_migration import MigrationError, SqlMigrationProvider
from tests.handlers import configured
from tests.harness import DeploymentError, Secret, Stack

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = REPO_ROOT / "examples" / "aerostack"
MIGRATION = "pulumi-python:dynamic/aerostack:SqlMigration"
CACHE = "pulumi-python:dynamic/aerostack:CacheEntry"
OBJECT = "pulumi-python:dynamic/aerostack:StorageObject"


def program(directory: Path, body: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {directory.name}\nruntime: python\n")
    (directory / "__main__.py").write_text(textwrap.dedent(body))
    return directory


def stack_for(tmp_path: Path, emulator: EmulatorProcess, prog: Path, name: str = "stack", **config: Any) -> Stack:
    env = emulator.env()
    settings: dict[str, Any] = {
        "aerostack:apiKey": Secret(env["AEROSTACK_API_KEY"]),
        "aerostack:serverUrl": env["AEROSTACK_SERVER_URL"],
        **config,
    }
    return Stack(tmp_path / name, str(prog), config=settings)


def sql(emulator: EmulatorProcess, statement: str) -> list[dict[str, Any]]:
    env = emulator.env()
    response = httpx.post(
        f"{env['AEROSTACK_SERVER_URL']}/db/query",
        json={"sql": statement},
        headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
        timeout=10,
    )
    response.raise_for_status()
    rows: list[dict[str, Any]] = response.json()["results"]
    return rows


def db_requests(emulator: EmulatorProcess) -> int:
    return int(emulator.admin.request_counts()["paths"].get("POST /aerostack/v1/db/query", 0))


def aerostack_requests(emulator: EmulatorProcess) -> int:
    paths = emulator.admin.request_counts()["paths"]
    return sum(n for p, n in paths.items() if "/aerostack/" in p)


def ops(result: Any, type_: str) -> list[str]:
    return [s.op for s in result.steps if s.type == type_]


MIGRATIONS = """
import pulumi
from pulumi_dataplatforms import aerostack
config = pulumi.Config()
aerostack.SqlMigration(
    "users",
    up=["CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT)",
        config.get("second") or "CREATE INDEX users_email ON users (email)",
        "INSERT INTO audit_log (note) VALUES ('users applied')"],
    down=["DROP TABLE users", "INSERT INTO audit_log (note) VALUES ('users rolled back')"],
    verify="SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'",
)
"""


def test_sql_migration_lifecycle(tmp_path: Path, emulator: EmulatorProcess) -> None:
    sql(emulator, "CREATE TABLE audit_log (note TEXT)")
    stack = stack_for(tmp_path, emulator, program(tmp_path / "mig", MIGRATIONS))

    first = stack.up()
    assert ops(first, MIGRATION) == ["create"]
    assert sql(emulator, "SELECT count(*) AS n FROM users") == [{"n": 0}]
    booked = sql(emulator, "SELECT id, checksum, statements FROM _pulumi_migrations")
    assert [(r["id"], r["statements"]) for r in booked] == [("users", 3)]
    assert booked[0]["checksum"] == stack.resource("users")["outputs"]["checksum"]  # type: ignore[index]

    # Re-apply: no SQL at all.
    emulator.admin.reset_counts()
    again = stack.up()
    assert ops(again, MIGRATION) == ["same"] and db_requests(emulator) == 0

    # The same migration from a fresh stack (state lost): recorded + verified, so no `up` statement runs.
    other = stack_for(tmp_path, emulator, program(tmp_path / "mig", MIGRATIONS), name="other")
    adopted = other.up()
    assert ops(adopted, MIGRATION) == ["create"]
    assert other.resource("users")["outputs"]["statementsApplied"] == 0  # type: ignore[index]
    assert sql(emulator, "SELECT note FROM audit_log") == [{"note": "users applied"}]
    other.files.state_path.unlink()

    # Edit: replaced, old `down` first, then the new `up`; the record carries the new checksum.
    stack.set_config("mig:second", "CREATE UNIQUE INDEX users_email ON users (email)")
    edited = stack.up()
    assert ops(edited, MIGRATION) == ["replace"]
    notes = [r["note"] for r in sql(emulator, "SELECT note FROM audit_log")]
    assert notes == ["users applied", "users rolled back", "users applied"]
    index_sql = sql(emulator, "SELECT sql FROM sqlite_master WHERE name = 'users_email'")[0]["sql"]
    assert "UNIQUE" in index_sql
    new_sum = stack.resource("users")["outputs"]["checksum"]  # type: ignore[index]
    assert sql(emulator, "SELECT checksum FROM _pulumi_migrations") == [{"checksum": new_sum}]

    # Out-of-band DROP TABLE: refresh notices (verify fails) and drops it; up re-applies.
    sql(emulator, "DROP TABLE users")
    refreshed = stack.refresh()
    assert ops(refreshed, MIGRATION) == ["drop"]
    assert any("verify" in line for line in refreshed.logs)
    reapplied = stack.up()
    assert ops(reapplied, MIGRATION) == ["create"]
    assert sql(emulator, "SELECT count(*) AS n FROM users") == [{"n": 0}]

    # Destroy runs `down` and removes the record.
    gone = stack.destroy()
    assert ops(gone, MIGRATION) == ["delete"]
    assert sql(emulator, "SELECT name FROM sqlite_master WHERE name = 'users'") == []
    assert sql(emulator, "SELECT * FROM _pulumi_migrations") == []


FAILING = """
from pulumi_dataplatforms import aerostack
aerostack.SqlMigration(
    "broken",
    up=["CREATE TABLE a (x)", "CREATE TABLE b (y", "CREATE TABLE c (z)"],
)
"""


def test_failing_statement_names_index_and_records_nothing(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = stack_for(tmp_path, emulator, program(tmp_path / "bad", FAILING))
    with pytest.raises(DeploymentError) as info:
        stack.up()
    message = str(info.value)
    assert "statement 1 of 3 failed" in message and "DB_QUERY_FAILED" in message
    assert "incomplete input" in message and "request id: none" not in message
    assert "Statement 0 was applied and remains" in message
    assert sql(emulator, "SELECT * FROM _pulumi_migrations") == []
    assert stack.resource("broken") is None
    tables = {r["name"] for r in sql(emulator, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "a" in tables and "c" not in tables


CACHE_PROGRAM = """
import pulumi
from pulumi_dataplatforms import aerostack
config = pulumi.Config()
ttl = config.get_int("ttl")
entry = aerostack.CacheEntry("flags", key="flags", value={"beta": config.get_bool("beta") or False}, ttl=ttl)
pulumi.export("key", entry.key)
"""


def cache(emulator: EmulatorProcess, key: str, value: Any = None, ttl: int | None = None, *, set_: bool = False) -> Any:
    env = emulator.env()
    headers = {"X-Aerostack-Key": env["AEROSTACK_API_KEY"]}
    if set_:
        body: dict[str, Any] = {"key": key, "value": value}
        if ttl is not None:
            body["ttl"] = ttl
        return httpx.post(f"{env['AEROSTACK_SERVER_URL']}/cache/set", json=body, headers=headers).json()
    return httpx.post(f"{env['AEROSTACK_SERVER_URL']}/cache/get", json={"key": key}, headers=headers).json()


def test_cache_entry_drift_expiry_and_delete(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = stack_for(tmp_path, emulator, program(tmp_path / "cache", CACHE_PROGRAM), **{"cache:ttl": "600"})
    assert ops(stack.up(), CACHE) == ["create"]
    assert cache(emulator, "flags") == {"exists": True, "value": {"beta": False}}

    # Changed behind Pulumi's back: refresh shows it, up sets it back.
    cache(emulator, "flags", {"beta": "tampered"}, set_=True)
    assert ops(stack.refresh(), CACHE) == ["read"]
    assert ops(stack.up(), CACHE) == ["update"]
    assert cache(emulator, "flags")["value"] == {"beta": False}

    # Input change updates in place.
    stack.set_config("cache:beta", "true")
    assert ops(stack.up(), CACHE) == ["update"]
    assert cache(emulator, "flags")["value"] == {"beta": True}

    # Expiry (the emulator's clock moves past the ttl): refresh drops it; up seeds it again.
    httpx.post(f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": 601}).raise_for_status()
    assert cache(emulator, "flags")["exists"] is False
    assert ops(stack.refresh(), CACHE) == ["drop"]
    assert ops(stack.up(), CACHE) == ["create"]
    assert cache(emulator, "flags")["exists"] is True

    # Destroy: null value at once, gone after the shortest ttl.
    assert ops(stack.destroy(), CACHE) == ["delete"]
    assert cache(emulator, "flags")["value"] is None
    httpx.post(f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": 2}).raise_for_status()
    assert cache(emulator, "flags")["exists"] is False


OBJECT_PROGRAM = """
import pulumi
from pulumi_dataplatforms import aerostack
config = pulumi.Config()
obj = aerostack.StorageObject("asset", key="assets/data.bin", source=config.require("path"))
pulumi.export("url", obj.url)
"""


def test_storage_object_reupload_on_change_and_delete_warns(tmp_path: Path, emulator: EmulatorProcess) -> None:
    asset = tmp_path / "data.bin"
    asset.write_bytes(b"version one\n" * 1000)
    stack = stack_for(tmp_path, emulator, program(tmp_path / "obj", OBJECT_PROGRAM), **{"obj:path": str(asset)})
    first = stack.up()
    assert ops(first, OBJECT) == ["create"]
    assert httpx.get(first.outputs["url"]).content == asset.read_bytes()

    emulator.admin.reset_counts()
    assert ops(stack.up(), OBJECT) == ["same"] and aerostack_requests(emulator) == 0

    asset.write_bytes(b"version two, longer\n" * 2000)
    second = stack.up()
    assert ops(second, OBJECT) == ["update"]
    assert httpx.get(second.outputs["url"]).content == asset.read_bytes()

    # No read endpoint: refresh never claims drift and makes no call.
    emulator.admin.reset_counts()
    assert ops(stack.refresh(), OBJECT) == ["same"] and aerostack_requests(emulator) == 0

    gone = stack.destroy()
    assert ops(gone, OBJECT) == ["delete"]
    assert any("no delete endpoint" in line and "stays" in line for line in gone.logs)
    assert httpx.get(second.outputs["url"]).content == asset.read_bytes()


BAD_INPUTS = {
    "empty-sql": ('aerostack.SqlMigration("m", up=["   "])', ["up:", "statement 0 is empty"]),
    "non-json": ('aerostack.CacheEntry("c", key="k", value_json="{not json")', ["valueJson", "not valid JSON"]),
    "negative-ttl": ('aerostack.CacheEntry("c", key="k", value=1, ttl=-5)', ["ttl", "greater than or equal to 1"]),
    "missing-file": (
        'aerostack.StorageObject("o", key="x", source="/nonexistent/f.bin")',
        ["source", "does not exist"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_inputs_fail_check_with_zero_api_calls(tmp_path: Path, emulator: EmulatorProcess, case: str) -> None:
    line, expected = BAD_INPUTS[case]
    body = f"from pulumi_dataplatforms import aerostack\n{line}\n"
    stack = stack_for(tmp_path, emulator, program(tmp_path / case, body))
    with pytest.raises(DeploymentError) as info:
        stack.up()
    message = str(info.value)
    assert "is invalid" in message
    assert all(part in message for part in expected), message
    assert aerostack_requests(emulator) == 0


SECRETS = """
import pulumi
from pulumi_dataplatforms import aerostack
config = pulumi.Config()
aerostack.CacheEntry("session", key="session:admin", value=config.require_secret("adminPassword").apply(
    lambda p: {"user": "admin", "password": p}))
"""


def test_secrets_never_reach_state_or_provider_blobs(tmp_path: Path, emulator: EmulatorProcess) -> None:
    api_key = emulator.env()["AEROSTACK_API_KEY"]
    password = "hunter2-very-secret-pw"
    stack = stack_for(tmp_path, emulator, program(tmp_path / "sec", SECRETS), **{"sec:adminPassword": Secret(password)})
    stack.up()
    raw = stack.state_path.read_text()
    assert api_key not in raw and password not in raw
    assert all(api_key not in blob and password not in blob for blob in stack.provider_blobs())
    assert any(password in str(v) for v in stack.secret_plaintexts())
    for path in stack.host_stderr_paths:
        text = path.read_text(errors="replace")
        assert api_key not in text and password not in text
    stack.destroy()


FAULTY = """
from pulumi_dataplatforms import aerostack
m = aerostack.SqlMigration("orders", up=[
    "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)",
    "INSERT INTO applied (what) VALUES ('orders')",
], down=["DROP TABLE orders"], verify="SELECT 1 FROM sqlite_master WHERE name = 'orders'")
aerostack.CacheEntry("cfg", key="cfg", value={"v": 1})
aerostack.StorageObject("readme", key="docs/readme.txt", content="hello from pulumi")
"""


def test_lifecycles_converge_under_injected_429_and_503(tmp_path: Path, emulator: EmulatorProcess) -> None:
    sql(emulator, "CREATE TABLE applied (what TEXT)")
    emulator.admin.faults("/aerostack/v1", error_rate=0.3, error_statuses=[429, 503], seed=7)
    stack = stack_for(tmp_path, emulator, program(tmp_path / "faulty", FAULTY))
    stack.up()
    stack.up()
    fired = sum(rule["fired"] for rule in emulator.admin.list_faults())
    emulator.admin.clear_faults()
    assert fired > 0, "the fault rule never fired; the test proves nothing"
    assert sql(emulator, "SELECT what FROM applied") == [{"what": "orders"}], "a migration ran twice"
    assert cache(emulator, "cfg")["value"] == {"v": 1}
    emulator.admin.faults("/aerostack/v1", error_rate=0.3, error_statuses=[429, 503], seed=11)
    stack.destroy()
    emulator.admin.clear_faults()
    assert sql(emulator, "SELECT name FROM sqlite_master WHERE name = 'orders'") == []


def test_example_app_backend(tmp_path: Path, emulator: EmulatorProcess) -> None:
    stack = stack_for(tmp_path, emulator, EXAMPLE)
    result = stack.up()
    assert sorted(ops(result, MIGRATION)) == ["create", "create"]
    assert sql(emulator, "SELECT count(*) AS n FROM posts") == [{"n": 0}]
    assert cache(emulator, "app:settings")["value"]["theme"] == "light"
    logo = httpx.get(result.outputs["logoUrl"])
    assert logo.content == (EXAMPLE / "assets" / "logo.svg").read_bytes()
    assert logo.headers["content-type"].startswith("image/svg+xml")
    stack.destroy()
    assert sql(emulator, "SELECT name FROM sqlite_master WHERE name IN ('users', 'posts')") == []


def test_migration_whose_verify_fails_is_not_recorded_nor_applied_twice(emulator: EmulatorProcess) -> None:
    sql(emulator, "CREATE TABLE applied (what TEXT)")
    handler = configured(cast(Any, SqlMigrationProvider), emulator)
    checked = handler.check(
        {},
        {
            "migrationId": "orders",
            "up": ["INSERT INTO applied (what) VALUES ('orders')"],
            "verify": "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'orders'",
        },
    )
    assert not checked.failures

    # `up` succeeds, `verify` finds no table: the migration fails and is not recorded.
    with pytest.raises(MigrationError, match="verify returned no row"):
        handler.create(checked.inputs)
    assert sql(emulator, "SELECT what FROM applied") == [{"what": "orders"}]
    assert sql(emulator, "SELECT * FROM _pulumi_migrations") == []

    # Once verify can pass, the next apply records it without running the applied statement again.
    sql(emulator, "CREATE TABLE orders (id INTEGER PRIMARY KEY)")
    created = handler.create(checked.inputs)
    assert created.outs is not None and created.outs["statementsApplied"] == 0
    assert sql(emulator, "SELECT what FROM applied") == [{"what": "orders"}]
    assert sql(emulator, "SELECT id, statements FROM _pulumi_migrations") == [{"id": "orders", "statements": 1}]


def test_a_fixed_migration_resumes_after_the_statements_already_applied(emulator: EmulatorProcess) -> None:
    handler = configured(cast(Any, SqlMigrationProvider), emulator)
    broken = ["CREATE TABLE ledger (id INTEGER PRIMARY KEY, amount INTEGER)", "INSERT INTO ledgr (amount) VALUES (5)"]
    checked = handler.check({}, {"migrationId": "ledger", "up": broken})
    with pytest.raises(MigrationError, match=r"statement 1 of 2 failed.*resumes at statement 1"):
        handler.create(checked.inputs)

    # The fix keeps statement 0, which already ran and would fail if run again (no IF NOT EXISTS).
    fixed = [broken[0], "INSERT INTO ledger (amount) VALUES (5)"]
    created = handler.create(handler.check({}, {"migrationId": "ledger", "up": fixed}).inputs)
    assert created.outs is not None and created.outs["statementsApplied"] == 1
    assert sql(emulator, "SELECT amount FROM ledger") == [{"amount": 5}]
    assert sql(emulator, "SELECT id FROM _pulumi_migrations") == [{"id": "ledger"}]
    assert sql(emulator, "SELECT * FROM _pulumi_migrations_progress") == []


def test_changing_a_statement_already_applied_stops_the_migration(emulator: EmulatorProcess) -> None:
    handler = configured(cast(Any, SqlMigrationProvider), emulator)
    first = ["CREATE TABLE notes (id INTEGER)", "INSERT INTO missing (x) VALUES (1)"]
    with pytest.raises(MigrationError, match="statement 1 of 2 failed"):
        handler.create(handler.check({}, {"migrationId": "notes", "up": first}).inputs)
    rewritten = ["CREATE TABLE notes (id INTEGER, body TEXT)", "INSERT INTO notes (id) VALUES (1)"]
    with pytest.raises(MigrationError, match=r"partly applied .*differ from the declared ones"):
        handler.create(handler.check({}, {"migrationId": "notes", "up": rewritten}).inputs)
    assert sql(emulator, "SELECT COUNT(*) AS n FROM notes") == [{"n": 0}]
