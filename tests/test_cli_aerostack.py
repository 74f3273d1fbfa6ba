"""examples/aerostack through the real Pulumi CLI: two migrations, a cache entry and an uploaded logo, whole lifecycle.

Aerostack storage has no read and no delete endpoint for objects: refresh cannot see an object
overwritten outside Pulumi and destroy leaves it in storage, with a warning (README, Aerostack).
The steps below assert that documented behaviour for the logo, and real drift detection for the
migrations (bookkeeping row + `verify`) and the cache entry (`cache/get`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from tests.real_cli import assert_no_plaintext_secrets, example_stack, resources, secret_values, shown_outputs, writes

pytestmark = [pytest.mark.cli, pytest.mark.timeout(600)]

NAMES = ("001-users", "002-posts", "app-settings", "logo")
SETTINGS = {"theme": "light", "signupOpen": True, "maxPostLength": 500}
POSTS_UP = "CREATE TABLE posts (id INTEGER PRIMARY KEY, author TEXT NOT NULL REFERENCES users (id), body TEXT)"
OBJECTS = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"


def call(emulator: EmulatorProcess, operation: str, body: dict[str, Any]) -> Any:
    """One JSON operation of Aerostack's own API with the emulator's development key."""
    env = emulator.env()
    response = httpx.post(
        f"{env['AEROSTACK_SERVER_URL']}/{operation}",
        json=body,
        headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def sql(emulator: EmulatorProcess, statement: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = call(emulator, "db/query", {"sql": statement})["results"]
    return rows


def cached(emulator: EmulatorProcess, key: str = "app:settings") -> dict[str, Any]:
    """`cache/get`: {"exists": bool, "value": ...}."""
    result: dict[str, Any] = call(emulator, "cache/get", {"key": key})
    return result


def upload(emulator: EmulatorProcess, key: str, content: bytes) -> str:
    """`storage/upload` (multipart) of `content` under `key`; returns the object's URL."""
    env = emulator.env()
    response = httpx.post(
        f"{env['AEROSTACK_SERVER_URL']}/storage/upload",
        data={"key": key},
        files={"file": ("logo.svg", content, "image/svg+xml")},
        headers={"X-Aerostack-Key": env["AEROSTACK_API_KEY"]},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["url"])


def download(url: str) -> httpx.Response:
    response = httpx.get(url, timeout=10)
    response.raise_for_status()
    return response


def advance_clock(emulator: EmulatorProcess, seconds: float) -> None:
    """Move the emulator's Aerostack clock forward (cache ttls)."""
    httpx.post(
        f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": seconds}, timeout=10
    ).raise_for_status()


def booked(emulator: EmulatorProcess) -> dict[str, tuple[str, int]]:
    """The bookkeeping table: migration id -> (checksum, statements)."""
    rows = sql(emulator, "SELECT id, checksum, statements FROM _pulumi_migrations")
    return {row["id"]: (row["checksum"], row["statements"]) for row in rows}


def unchanged_except(**ops: str) -> dict[str, str]:
    return {**dict.fromkeys(NAMES, "same"), **ops}


def test_aerostack_lifecycle(tmp_path: Path, emulator: EmulatorProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    stack = example_stack(tmp_path, "aerostack", emulator, monkeypatch)
    logo_file = stack.program_dir / "assets" / "logo.svg"
    program = stack.program_dir / "__main__.py"
    emulator.admin.reset_counts()

    # Preview of a new stack: five creates (with the stack), computed outputs unknown, no write.
    plan = stack.preview()
    assert plan.ops() == dict.fromkeys(NAMES, "create")
    assert plan.changes == {"create": 5}
    assert shown_outputs(plan.text) == {
        "logoUrl": "[unknown]",
        "postsChecksum": "[unknown]",
        "settingsKey": '"app:settings"',
        "usersChecksum": "[unknown]",
    }, plan.text
    assert writes(emulator) == {}, "a preview of a new stack must not write"

    created = stack.up()
    assert created.ops() == dict.fromkeys(NAMES, "create")
    assert [r["name"] for r in sql(emulator, OBJECTS)] == [
        "_pulumi_migrations", "_pulumi_migrations_progress", "posts", "users", "users_email"
    ]  # fmt: skip
    users_sum, posts_sum = created.outputs["usersChecksum"].value, created.outputs["postsChecksum"].value
    assert booked(emulator) == {"001-users": (users_sum, 2), "002-posts": (posts_sum, 1)}
    assert cached(emulator) == {"exists": True, "value": SETTINGS}
    # The engine carries every number as a double; the platform must still get the integer written.
    assert type(cached(emulator)["value"]["maxPostLength"]) is int
    logo_url = created.outputs["logoUrl"].value
    served = download(logo_url)
    assert served.content == logo_file.read_bytes() and served.headers["content-type"].startswith("image/svg+xml")

    emulator.admin.reset_counts()
    same = stack.preview(expect_no_changes=True)
    assert same.ops() == dict.fromkeys(NAMES, "same")
    assert writes(emulator) == {}

    # Edits. The theme (stack config) updates the cache entry in place.
    stack.configure({"aerostack-backend:theme": "dark"})
    themed = stack.up()
    assert themed.ops() == unchanged_except(**{"app-settings": "update"})
    assert "[diff: ~value]" in themed.text
    assert cached(emulator)["value"] == {**SETTINGS, "theme": "dark"}
    # An edited logo file changes its hash: re-uploaded in place, same URL.
    new_logo = logo_file.read_bytes().replace(b"</svg>", b'<circle r="1"/></svg>')
    assert new_logo != logo_file.read_bytes()
    logo_file.write_bytes(new_logo)
    reuploaded = stack.up()
    assert reuploaded.ops() == unchanged_except(logo="update")
    assert "[diff: ~sourceHash]" in reuploaded.text
    assert reuploaded.outputs["logoUrl"].value == logo_url and download(logo_url).content == new_logo
    # An edited `up` replaces the migration: the old `down` first, then the new `up`.
    source = program.read_text()
    assert POSTS_UP in source
    program.write_text(source.replace(POSTS_UP, POSTS_UP.replace("body TEXT)", "body TEXT, published_at TEXT)")))
    migrated = stack.up()
    assert migrated.ops() == unchanged_except(**{"002-posts": "replace"})
    columns = [row["name"] for row in sql(emulator, "SELECT name FROM pragma_table_info('posts')")]
    assert columns == ["id", "author", "body", "published_at"]
    posts_sum = migrated.outputs["postsChecksum"].value
    assert posts_sum != created.outputs["postsChecksum"].value
    assert booked(emulator) == {"001-users": (users_sum, 2), "002-posts": (posts_sum, 1)}

    # Out-of-band changes through Aerostack's API: refresh shows the cache drift, up sets it back.
    # The logo cannot be read back (no read endpoint): refresh reports no change for it, by design.
    call(emulator, "cache/set", {"key": "app:settings", "value": {**SETTINGS, "theme": "neon"}})
    rogue = b"<svg>rogue</svg>"
    assert upload(emulator, "assets/logo.svg", rogue) == logo_url
    drift = stack.refresh()
    assert drift.changes == {"update": 1, "same": 4}
    assert "app-settings updated" in drift.text and "[diff: ~value]" in drift.text
    assert resources(stack)["app-settings"]["inputs"]["value"]["theme"] == "neon"
    restored = stack.up()
    assert restored.ops() == unchanged_except(**{"app-settings": "update"})
    assert cached(emulator)["value"] == {**SETTINGS, "theme": "dark"}
    assert download(logo_url).content == rogue, "an overwritten object is undetectable, so it stays overwritten"

    # Out-of-band deletes: a dropped table fails 002-posts' verify, an expired entry is gone;
    # refresh drops both from state and up applies / seeds them again.
    sql(emulator, "DROP TABLE posts")
    call(emulator, "cache/set", {"key": "app:settings", "value": SETTINGS, "ttl": 1})
    advance_clock(emulator, 2)
    assert cached(emulator) == {"exists": False, "value": None}
    dropped = stack.refresh()
    assert dropped.changes == {"delete": 2, "same": 3}
    assert "002-posts deleted" in dropped.text and "app-settings deleted" in dropped.text
    assert any("verify query fails" in message for message in dropped.messages("warning"))
    assert set(resources(stack)) == {"001-users", "logo"}
    recreated = stack.up()
    assert recreated.ops() == unchanged_except(**{"002-posts": "create", "app-settings": "create"})
    assert "posts" in [r["name"] for r in sql(emulator, OBJECTS)]
    assert booked(emulator) == {"001-users": (users_sum, 2), "002-posts": (posts_sum, 1)}
    assert cached(emulator) == {"exists": True, "value": {**SETTINGS, "theme": "dark"}}

    # Secrets: the API key (stack config) is nowhere in plaintext.
    values = secret_values(stack)
    assert emulator.env()["AEROSTACK_API_KEY"] in values
    assert_no_plaintext_secrets(stack, values)

    # Destroy: `down` drops the tables and the bookkeeping rows go; the cache entry (no delete
    # endpoint) is nulled and expires; the object stays in storage and at its URL, with a warning.
    gone = stack.destroy()
    assert gone.ops() == dict.fromkeys(NAMES, "delete")
    assert [r["name"] for r in sql(emulator, OBJECTS)] == ["_pulumi_migrations", "_pulumi_migrations_progress"]
    assert booked(emulator) == {}
    (entry,) = [c["app:settings"] for k, c in emulator.admin.state()["aerostack"].items() if k.startswith("cache:")]
    assert entry["value"] is None and entry["expires_at"] is not None
    advance_clock(emulator, 2)
    assert cached(emulator) == {"exists": False, "value": None}
    assert "stays in storage" in gone.text
    assert any("stays in storage" in message for message in gone.messages("warning"))
    assert download(logo_url).content == rogue
    assert resources(stack) == {}
