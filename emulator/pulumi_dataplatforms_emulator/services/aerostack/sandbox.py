"""The SQLite authorizer that keeps a tenant's `db/query` inside the tenant's own database file.

What SQLite reports, and so what is refused (checked against SQLite 3.40):

- `ATTACH '<file>'` reports SQLITE_ATTACH with the file name. `VACUUM INTO '<file>'` cannot be
  told apart from it by action: at run time it attaches its target through the same callback
  (SQLITE_ATTACH, file name). Plain `VACUUM` attaches an anonymous scratch database, reported
  with the empty file name `''`. So SQLITE_ATTACH is refused for every file name except `''`
  (an anonymous temporary database that SQLite deletes on close; no tenant can name or reach
  it), which keeps plain `VACUUM` working. SQLITE_DETACH is always refused.
- `load_extension(...)` (SQLITE_FUNCTION) would load native code from any path; refused, and
  extension loading is also switched off on the connection.
- Pragmas are allowed from a list: schema introspection, constraint checks and per-database
  settings that only change the tenant's own file. A few more can be read but not set:
  `journal_mode` (WAL/OFF/MEMORY change which files exist beside the database and whether it
  survives a crash), `schema_version` (writing it corrupts the schema cache), `locking_mode`,
  `synchronous`, `temp_store` and `mmap_size`. Everything else is refused, notably
  `database_list` (shows server paths), `temp_store_directory` / `data_store_directory`
  (process-wide directories where SQLite creates files), `writable_schema` (edits
  sqlite_schema by hand), and process-wide limits (`soft_heap_limit`, `hard_heap_limit`,
  `threads`). Table-valued forms (`SELECT * FROM pragma_database_list`) report the same
  SQLITE_PRAGMA action and are refused the same way.
"""

from __future__ import annotations

import sqlite3

PRAGMAS = frozenset(
    {
        "analysis_limit",
        "application_id",
        "auto_vacuum",
        "automatic_index",
        "busy_timeout",
        "cache_size",
        "case_sensitive_like",
        "cell_size_check",
        "collation_list",
        "compile_options",
        "data_version",
        "defer_foreign_keys",
        "encoding",
        "foreign_key_check",
        "foreign_key_list",
        "foreign_keys",
        "freelist_count",
        "function_list",
        "ignore_check_constraints",
        "incremental_vacuum",
        "index_info",
        "index_list",
        "index_xinfo",
        "integrity_check",
        "max_page_count",
        "module_list",
        "optimize",
        "page_count",
        "page_size",
        "pragma_list",
        "query_only",
        "quick_check",
        "recursive_triggers",
        "reverse_unordered_selects",
        "secure_delete",
        "table_info",
        "table_list",
        "table_xinfo",
        "user_version",
    }
)
READ_ONLY_PRAGMAS = frozenset(
    {"journal_mode", "locking_mode", "mmap_size", "schema_version", "synchronous", "temp_store"}
)


def _refusal(action: int, arg1: str | None, arg2: str | None) -> str | None:
    """Why the action is refused, or None when it is allowed."""
    if action == sqlite3.SQLITE_ATTACH and arg1 != "":
        return "ATTACH and VACUUM INTO are not allowed; each API key has exactly one database"
    if action == sqlite3.SQLITE_DETACH:
        return "DETACH is not allowed"
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() == "load_extension":
        return "load_extension() is not allowed"
    if action == sqlite3.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in PRAGMAS or (name in READ_ONLY_PRAGMAS and arg2 is None):
            return None
        return f"PRAGMA {name}{' = ...' if arg2 is not None else ''} is not allowed"
    return None


def confine(conn: sqlite3.Connection) -> list[str]:
    """Install the authorizer on a tenant connection; the returned list collects refusal reasons."""
    if hasattr(conn, "enable_load_extension"):  # absent when Python is built without extension support
        conn.enable_load_extension(False)
    refused: list[str] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
        reason = _refusal(action, arg1, arg2)
        if reason is None:
            return sqlite3.SQLITE_OK
        refused.append(reason)
        return sqlite3.SQLITE_DENY

    conn.set_authorizer(authorize)
    return refused
