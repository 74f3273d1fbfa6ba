"""SQLite persistence shared by every emulated service.

One database file, WAL journal, ``synchronous=FULL``: a write that returned has been fsynced and
survives ``kill -9``. One connection guarded by a re-entrant lock, so handlers running in
uvicorn's thread pool can share it. Services get a JSON-document table keyed by
``(service, collection, key)``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

Doc = dict[str, Any]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    service TEXT NOT NULL,
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at REAL NOT NULL,
    UNIQUE (service, collection, key)
);
"""


class Record(NamedTuple):
    """One stored document and its key."""

    key: str
    doc: Doc


class Page(NamedTuple):
    """A slice of a collection plus the number of documents matching the filter."""

    items: list[Record]
    total: int


class Store:
    """Thread-safe document store over one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._script(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one SQLite transaction; nested uses join the outer one."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self._conn
            except BaseException:
                self._depth -= 1
                if outer:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if outer:
                self._conn.execute("COMMIT")

    def insert(self, service: str, collection: str, key: str, doc: Doc) -> bool:
        """Store ``doc`` unless ``key`` exists; return whether it was stored."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO documents (service, collection, key, doc, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (service, collection, key) DO NOTHING",
                (service, collection, key, json.dumps(doc), time.time()),
            )
            return cur.rowcount == 1

    def get(self, service: str, collection: str, key: str) -> Doc | None:
        """Return the document at ``key`` or None."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT doc FROM documents WHERE service = ? AND collection = ? AND key = ?",
                (service, collection, key),
            ).fetchone()
        return None if row is None else _load(row["doc"])

    def put(self, service: str, collection: str, key: str, doc: Doc) -> None:
        """Insert or replace the document at ``key`` (keeps its position in listings)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO documents (service, collection, key, doc, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (service, collection, key) DO UPDATE SET doc = excluded.doc,"
                " updated_at = excluded.updated_at",
                (service, collection, key, json.dumps(doc), time.time()),
            )

    def delete(self, service: str, collection: str, key: str) -> bool:
        """Remove the document at ``key``; return whether one existed."""
        with self.transaction() as conn:
            cur = conn.execute(
                "DELETE FROM documents WHERE service = ? AND collection = ? AND key = ?",
                (service, collection, key),
            )
            return cur.rowcount == 1

    def page(
        self,
        service: str,
        collection: str,
        *,
        key_prefix: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> Page:
        """List documents in insertion order, optionally filtered by key prefix and sliced."""
        where = "service = ? AND collection = ? AND substr(key, 1, ?) = ?"
        args: tuple[Any, ...] = (service, collection, len(key_prefix), key_prefix)
        with self.transaction() as conn:
            total = int(conn.execute(f"SELECT count(*) FROM documents WHERE {where}", args).fetchone()[0])
            rows = conn.execute(
                f"SELECT key, doc FROM documents WHERE {where} ORDER BY seq LIMIT ? OFFSET ?",
                (*args, -1 if limit is None else limit, max(offset, 0)),
            ).fetchall()
        return Page([Record(row["key"], _load(row["doc"])) for row in rows], total)

    def clear(self, service: str | None = None) -> None:
        """Delete every document, of one service or of all."""
        with self.transaction() as conn:
            if service is None:
                conn.execute("DELETE FROM documents")
            else:
                conn.execute("DELETE FROM documents WHERE service = ?", (service,))

    def dump(self, service: str) -> dict[str, Any]:
        """Return ``{collection: {key: doc}}``."""
        out: dict[str, Any] = {}
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT collection, key, doc FROM documents WHERE service = ? ORDER BY seq", (service,)
            ).fetchall()
            for row in rows:
                out.setdefault(row["collection"], {})[row["key"]] = _load(row["doc"])
        return out

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def _script(self, sql: str) -> None:
        """Run a DDL script outside any transaction (``executescript`` commits implicitly)."""
        with self._lock:
            if self._depth:
                raise RuntimeError("DDL cannot run inside Store.transaction()")
            self._conn.executescript(sql)


def _load(text: str) -> Doc:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise TypeError("stored document is not a JSON object")
    return value
