"""Aerostack `db/query` stays inside the caller's own database: sandbox attacks against a real emulator process.

Two tenants: the emulator's default dev key, and a second key accepted through the emulator's admin
API (`POST /_admin/aerostack/keys/{key}`), which is how the emulator defines another tenant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess

OTHER_KEY = "aerostack-sandbox-tenant-b"


def query(
    emulator: EmulatorProcess, sql: str, params: list[Any] | None = None, key: str | None = None
) -> httpx.Response:
    env = emulator.env()
    body: dict[str, Any] = {"sql": sql} if params is None else {"sql": sql, "params": params}
    headers = {"X-Aerostack-Key": key or env["AEROSTACK_API_KEY"]}
    return httpx.post(f"{env['AEROSTACK_SERVER_URL']}/db/query", json=body, headers=headers, timeout=10)


def rows(emulator: EmulatorProcess, sql: str, key: str | None = None) -> list[dict[str, Any]]:
    response = query(emulator, sql, key=key)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()["results"]
    return result


def assert_refused(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "DB_QUERY_FAILED"
    assert body["message"].startswith("not authorized: ")
    assert "x-request-id" in response.headers


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def db_files(emulator: EmulatorProcess) -> list[Path]:
    return sorted((emulator.data_dir / "aerostack").glob("*/db/*.sqlite3"))


@pytest.fixture
def other_key(emulator: EmulatorProcess) -> str:
    httpx.post(f"{emulator.url}/_admin/aerostack/keys/{OTHER_KEY}").raise_for_status()
    return OTHER_KEY


ATTACKS = {
    "attach": ("ATTACH DATABASE '{path}' AS evil", None),
    "attach-param": ("ATTACH DATABASE ? AS evil", ["{path}"]),
    "vacuum-into": ("VACUUM INTO '{path}'", None),
    "vacuum-main-into-param": ("VACUUM main INTO ?", ["{path}"]),
    "detach": ("DETACH DATABASE main", None),
    "database-list": ("PRAGMA database_list", None),
    "database-list-table": ("SELECT file FROM pragma_database_list", None),
    "load-extension": ("SELECT load_extension('{path}')", None),
    "temp-store-directory": ("PRAGMA temp_store_directory = '{dir}'", None),
    "journal-mode-change": ("PRAGMA journal_mode = WAL", None),
    "writable-schema": ("PRAGMA writable_schema = ON", None),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_sandbox_attack_is_refused_and_creates_no_file(emulator: EmulatorProcess, tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "stolen.sqlite3"
    sql, params = ATTACKS[name]
    fill = {"path": str(target), "dir": str(outside)}
    assert rows(emulator, "CREATE TABLE IF NOT EXISTS t (a)") == []
    data_before = files_under(emulator.data_dir)
    assert_refused(query(emulator, sql.format(**fill), [p.format(**fill) for p in params] if params else None))
    assert files_under(outside) == set()
    assert not target.exists()
    new_files = {p for p in files_under(emulator.data_dir) - data_before if not p.name.startswith("emulator.log")}
    assert {p for p in new_files if "aerostack" in p.parts} == set()
    assert rows(emulator, "SELECT 1 AS ok") == [{"ok": 1}]
    assert rows(emulator, "PRAGMA journal_mode") == [{"journal_mode": "delete"}]


def test_official_client_gets_error_response_for_a_refused_statement(emulator: EmulatorProcess, tmp_path: Path) -> None:
    from aerostack import SDK, errors

    env = emulator.env()
    with SDK(api_key_auth=env["AEROSTACK_API_KEY"], server_url=env["AEROSTACK_SERVER_URL"]) as sdk:
        with pytest.raises(errors.ErrorResponse) as refused:
            sdk.database.db_query(request={"sql": f"VACUUM INTO '{tmp_path / 'x.db'}'"})
        assert refused.value.status_code == 400 and refused.value.data.code.value == "DB_QUERY_FAILED"
        assert sdk.database.db_query(request={"sql": "SELECT 2 AS two"}).results == [{"two": 2}]
    assert not (tmp_path / "x.db").exists()


def test_ordinary_queries_still_work(emulator: EmulatorProcess) -> None:
    assert rows(emulator, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)") == []
    assert rows(emulator, "CREATE INDEX users_email ON users (email)") == []
    assert query(emulator, "INSERT INTO users (email) VALUES (?), (?)", ["a@x", "b@x"]).json()["count"] == 2
    assert rows(emulator, "SELECT email FROM users ORDER BY id") == [{"email": "a@x"}, {"email": "b@x"}]
    verify = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'"
    assert rows(emulator, verify) == [{"name": "users"}]
    assert [r["name"] for r in rows(emulator, "SELECT name FROM pragma_table_info('users')")] == ["id", "email"]
    assert [r["name"] for r in rows(emulator, "PRAGMA index_list(users)")] == ["users_email"]
    for sql in ("PRAGMA foreign_keys = ON", "PRAGMA user_version = 7", "BEGIN", "BEGIN IMMEDIATE", "VACUUM"):
        assert query(emulator, sql).status_code == 200, sql
    assert rows(emulator, "PRAGMA user_version") == [{"user_version": 7}]
    assert rows(emulator, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]
    assert rows(emulator, "CREATE TEMP TABLE scratch (a)") == []
    trigger = "CREATE TRIGGER users_lower AFTER INSERT ON users BEGIN UPDATE users SET email = lower(email) WHERE id = new.id; END"
    assert rows(emulator, trigger) == []
    query(emulator, "INSERT INTO users (email) VALUES ('C@X')").raise_for_status()
    assert rows(emulator, "SELECT email FROM users WHERE id = 3") == [{"email": "c@x"}]
    assert rows(emulator, "DROP TABLE users") == []


def test_tenant_cannot_reach_another_tenants_database(
    emulator: EmulatorProcess, other_key: str, tmp_path: Path
) -> None:
    env = emulator.env()
    rows(emulator, "CREATE TABLE secrets (v TEXT)")
    query(emulator, "INSERT INTO secrets VALUES ('tenant A only')").raise_for_status()
    source = tmp_path / "a.txt"
    source.write_bytes(b"public")
    with source.open("rb") as handle:
        upload = httpx.post(
            f"{env['AEROSTACK_SERVER_URL']}/storage/upload",
            headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
            data={"key": "a.txt"},
            files={"file": ("a.txt", handle, "text/plain")},
        )
    upload.raise_for_status()
    tenant_a = urlsplit(upload.json()["url"]).path.split("/")[3]  # /aerostack/files/<tenant>/a.txt
    [generation] = (emulator.data_dir / "aerostack").iterdir()
    predicted = generation / "db" / f"{tenant_a}.sqlite3"
    (real_a,) = db_files(emulator)
    assert tenant_a not in real_a.name and not predicted.exists()

    before = files_under(emulator.data_dir / "aerostack")
    for target in (predicted, real_a):  # the name from the public URL, and even the real file name
        assert_refused(query(emulator, f"ATTACH DATABASE '{target}' AS a", key=other_key))
        assert_refused(query(emulator, "VACUUM INTO ?", [str(target)], key=other_key))
        assert_refused(query(emulator, f"VACUUM INTO '{target}'", key=other_key))
    assert not predicted.exists()
    assert rows(emulator, "SELECT name FROM sqlite_master", key=other_key) == []
    assert rows(emulator, "SELECT v FROM secrets") == [{"v": "tenant A only"}]
    assert rows(emulator, "SELECT name FROM sqlite_master") == [{"name": "secrets"}]
    rows(emulator, "CREATE TABLE mine (b)", key=other_key)
    assert rows(emulator, "SELECT name FROM sqlite_master") == [{"name": "secrets"}]
    after = files_under(emulator.data_dir / "aerostack") - before
    assert len(after) == 1 and after.pop().parent == real_a.parent  # only tenant B's own database
    assert all(tenant_a not in p.name for p in db_files(emulator))
    assert sorted(emulator.admin.state()["aerostack"]["databases"]) == sorted(
        [tenant_a, httpx.post(f"{emulator.url}/_admin/aerostack/keys/{other_key}").json()["tenant"]]
    )


def test_database_survives_restart_and_legacy_file_name_is_adopted(tmp_path: Path) -> None:
    emu = EmulatorProcess(tmp_path / "data").start()
    try:
        rows(emu, "CREATE TABLE kept (v)")
        query(emu, "INSERT INTO kept VALUES ('yes')").raise_for_status()
        (current,) = db_files(emu)
        assert emu.stop() == 0
        emu.start()
        assert rows(emu, "SELECT v FROM kept") == [{"v": "yes"}]
        assert db_files(emu) == [current]
        # A data dir written before file secrets: the database is named by the public tenant id.
        tenant = httpx.post(f"{emu.url}/_admin/aerostack/keys/{emu.env()['AEROSTACK_API_KEY']}").json()["tenant"]
        assert emu.stop() == 0
        current.replace(current.with_name(f"{tenant}.sqlite3"))
        emu.start()
        assert rows(emu, "SELECT v FROM kept") == [{"v": "yes"}]
        assert db_files(emu) == [current]
    finally:
        emu.stop()
