"""The SqlMigration resource: ordered `up` statements through `db/query`, applied exactly once.

The API runs one SQL statement per `db/query` call, each its own transaction; no transaction
spans calls. So a migration is applied statement by statement, with its progress recorded in
the database itself, in `<bookkeepingTable>_progress` (id, done, checksum of the statements
done, pending):

- before a statement that is not replay-safe runs, `pending` is set to its index; after any
  statement succeeds, `done` moves past it and `pending` is cleared;
- a re-run (after a failure, a fix, an interrupted deployment) resumes at `done`: statements
  already applied are never run again. Fixing the statement that failed keeps the progress;
  changing one already applied stops the migration with an explanation;
- a statement that failed with a definite answer (e.g. a SQL error) was not applied: the next
  run runs it again;
- a statement that is not replay-safe and whose answer was lost (connection dropped, 5xx,
  timeout) may or may not have been applied. It is never re-sent blindly: the migration stops,
  and the next run stops too, with the two `UPDATE`s that settle it once you have looked;
- replay-safe statements (reads, `IF [NOT] EXISTS` DDL, upserts) are simply retried;
- when every statement is done and `verify` (if any) returns a row, the bookkeeping row (id +
  checksum of `up`) is written and the progress row removed. A migration whose `verify` fails
  is not recorded; the next run resumes with nothing left to run and checks `verify` again.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timezone
from typing import Any

import pulumi
import pydantic

from ..checking import changed_inputs, field, is_unknown, output_values, user_inputs, validate
from ..core import APIConnectionError, APIStatusError
from ..dynamic import DynamicProvider
from ..handler import Engine
from ..protocol import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from ..spec import ResourceSpec
from .client import AerostackClient, is_read_only, is_replay_safe
from .models import DbQueryResult
from .provider_base import AerostackHandler

DEFAULT_TABLE = "_pulumi_migrations"
REPLACE_KEYS = ("migrationId", "up", "bookkeepingTable")
RATE_LIMIT_RETRIES = 8
PROGRESS_SUFFIX = "_progress"


class MigrationError(Exception):
    """A migration statement failed; names the statement and what remains applied."""


class SqlMigrationInputs(pydantic.BaseModel):
    """The inputs of a SQL migration."""

    model_config = pydantic.ConfigDict(extra="forbid")

    migration_id: str | None = field(
        None,
        "Id recorded in the bookkeeping table. Defaults to the resource name. Changing it replaces the migration.",
        "Use 1-128 characters of letters, digits, '_', '-', '.'.",
        alias="migrationId",
        pattern=r"^[A-Za-z0-9_.\-]{1,128}$",
    )
    up: list[str] = field(
        ...,
        "SQL statements applied in order, one per `db/query` call. Editing them replaces the migration "
        "(`down` of the old version runs first, then the new `up`).",
        "Give a non-empty list of SQL statements, one statement per item.",
        min_length=1,
    )
    down: list[str] | None = field(
        None,
        "SQL statements run in order when the migration is destroyed or replaced. Updated in place.",
        "Give a list of SQL statements, one statement per item.",
    )
    verify: str | None = field(
        None,
        "A read-only query that must run and return at least one row while the migration is in effect; "
        "refresh uses it to notice a migration rolled back outside Pulumi. Updated in place.",
        "Give a SELECT such as \"SELECT name FROM sqlite_master WHERE type='table' AND name='users'\".",
    )
    bookkeeping_table: str = field(
        DEFAULT_TABLE,
        "Table in your database that records applied migrations (id, checksum, applied_at).",
        "Use a SQL identifier: letters, digits and '_', not starting with a digit.",
        alias="bookkeepingTable",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,62}$",
    )

    @pydantic.field_validator("up", "down")
    @classmethod
    def _statements(cls, value: list[str] | None) -> list[str] | None:
        for index, statement in enumerate(value or []):
            if not statement.strip():
                raise ValueError(f"statement {index} is empty")
        return value

    @pydantic.field_validator("verify")
    @classmethod
    def _read_only(cls, value: str | None) -> str | None:
        if value is not None and not is_read_only(value):
            raise ValueError("must be a read-only query (SELECT)")
        return value


class SqlMigrationOutputs(pydantic.BaseModel):
    """What a migration reports once applied."""

    checksum: str = pydantic.Field(description="SHA-256 of the `up` statements, as recorded.")
    applied_at: str = pydantic.Field(alias="appliedAt", description="When the migration was recorded (ISO 8601).")
    statements_applied: int = pydantic.Field(
        alias="statementsApplied", description="How many `up` statements this stack ran (0 when it adopted a record)."
    )


def checksum(up: list[str]) -> str:
    return hashlib.sha256(json.dumps(up, separators=(",", ":")).encode()).hexdigest()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


class Migrator:
    """Runs statements and reads/writes the bookkeeping table for one migration."""

    def __init__(self, client: AerostackClient, migration_id: str, table: str) -> None:
        self.client, self.id, self.table = client, migration_id, table

    def execute(self, sql: str, params: list[Any] | None = None, *, replay_safe: bool | None = None) -> DbQueryResult:
        """One statement. Replay-safe ones are retried by the client; others only after a 429 (not processed)."""
        safe = is_replay_safe(sql) if replay_safe is None else replay_safe
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            try:
                return self.client.db_query(sql, params, idempotent=safe)
            except APIStatusError as exc:
                if safe or exc.status_code != 429 or attempt == RATE_LIMIT_RETRIES:
                    raise
                time.sleep(min(0.1 * 2**attempt, 2.0))
        raise AssertionError("unreachable")

    @property
    def progress_table(self) -> str:
        return f"{self.table}{PROGRESS_SUFFIX}"

    def ensure_table(self) -> None:
        self.execute(
            f'CREATE TABLE IF NOT EXISTS "{self.table}" (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, '
            "statements INTEGER NOT NULL, applied_at TEXT NOT NULL)"
        )
        self.execute(
            f'CREATE TABLE IF NOT EXISTS "{self.progress_table}" (id TEXT PRIMARY KEY, checksum TEXT NOT NULL, '
            "done INTEGER NOT NULL, pending INTEGER)"
        )

    def progress(self, statements: list[str]) -> tuple[int, int | None]:
        """(statements done, index of one whose outcome is unknown) for these `up` statements; (0, None) if fresh.

        Progress carries over when the statements already applied are unchanged (e.g. after fixing the
        one that failed); otherwise the migration stops, since what ran is no longer what is declared.
        """
        rows = self.execute(
            f'SELECT checksum, done, pending FROM "{self.progress_table}" WHERE id = ?', [self.id]
        ).results
        if not rows:
            return 0, None
        row = rows[0]
        done = int(row["done"])
        if done > len(statements) or row["checksum"] != checksum(statements[:done]):
            raise MigrationError(
                f"migration {self.id!r} was partly applied (statements 0-{done - 1}) with `up` statements that "
                f"differ from the declared ones. Restore them to finish the migration, or reconcile the schema by "
                f"hand and delete its row from {self.progress_table}"
            )
        return done, None if row["pending"] is None else int(row["pending"])

    def mark(self, statements: list[str], done: int, pending: int | None) -> None:
        """Record that `statements[:done]` are applied and which one, if any, is being sent."""
        self.execute(
            f'INSERT OR REPLACE INTO "{self.progress_table}" (id, checksum, done, pending) VALUES (?, ?, ?, ?)',
            [self.id, checksum(statements[:done]), done, pending],
            replay_safe=True,
        )

    def apply(self, statements: list[str]) -> int:
        """Run the statements not yet done (see the module docstring); how many ran now."""
        done, pending = self.progress(statements)
        if pending is not None and not is_replay_safe(statements[pending]):
            raise MigrationError(self._unknown_outcome(statements, pending, "an earlier run"))
        ran = 0
        for index in range(done, len(statements)):
            sql = statements[index]
            safe = is_replay_safe(sql)
            if not safe:
                self.mark(statements, index, index)
            try:
                self.execute(sql, replay_safe=safe)
            except (APIStatusError, APIConnectionError) as exc:
                definite = isinstance(exc, APIStatusError) and exc.status_code < 500 and exc.status_code != 408
                if safe or definite:
                    if not safe:
                        self.mark(statements, index, None)  # refused: the statement did not run
                    raise MigrationError(self._failed(index, len(statements), exc)) from None
                raise MigrationError(self._unknown_outcome(statements, index, f"this run ({exc})")) from None
            self.mark(statements, index + 1, None)
            ran += 1
        return ran

    def _failed(self, index: int, total: int, exc: Exception) -> str:
        return (
            f"migration {self.id!r}: up statement {index} of {total} failed: {exc}. "
            f"{_applied(index)} (each statement is its own transaction) and will not run again: the next "
            f"`pulumi up` resumes at statement {index}. The migration was not recorded"
        )

    def _unknown_outcome(self, statements: list[str], index: int, when: str) -> str:
        table, where = f'"{self.progress_table}"', f"WHERE id = '{self.id}'"
        applied = f"SET done = {index + 1}, checksum = '{checksum(statements[: index + 1])}', pending = NULL"
        return (
            f"migration {self.id!r}: the answer to up statement {index} of {len(statements)} was lost in {when}, "
            "so whether it was applied is unknown, and it is not replay-safe, so it is not sent again. "
            f"{_applied(index)}. Look at the database; if statement {index} was applied, run "
            f"`UPDATE {table} {applied} {where}`, if not, `UPDATE {table} SET pending = NULL {where}`; "
            "then run `pulumi up` again. (Replay-safe statements, e.g. INSERT OR IGNORE, never stop here.)"
        )

    def finish(self) -> None:
        self.execute(f'DELETE FROM "{self.progress_table}" WHERE id = ?', [self.id], replay_safe=True)

    def record(self) -> dict[str, Any] | None:
        """The bookkeeping row, or None when absent (or the table itself is gone)."""
        try:
            rows = self.execute(
                f'SELECT id, checksum, statements, applied_at FROM "{self.table}" WHERE id = ?', [self.id]
            ).results
        except APIStatusError as exc:
            if exc.status_code == 400 and "no such table" in exc.message:
                return None
            raise
        return rows[0] if rows else None

    def verified(self, verify: str | None) -> bool:
        if verify is None:
            return True
        try:
            return bool(self.execute(verify).results)
        except APIStatusError as exc:
            if exc.status_code >= 500 or exc.status_code == 429:
                raise
            return False

    def run(self, statements: list[str], what: str) -> None:
        """Run every statement in order (for `down`); stop at the first failure."""
        for index, sql in enumerate(statements):
            try:
                self.execute(sql)
            except (APIStatusError, APIConnectionError) as exc:
                raise MigrationError(
                    f"migration {self.id!r}: {what} statement {index} of {len(statements)} failed: {exc}. "
                    f"{_applied(index)} (each statement is its own transaction)"
                ) from None

    def save(self, digest: str, statements: int) -> str:
        applied_at = _now()
        self.execute(
            f'INSERT OR REPLACE INTO "{self.table}" (id, checksum, statements, applied_at) VALUES (?, ?, ?, ?)',
            [self.id, digest, statements, applied_at],
        )
        self.finish()
        return applied_at

    def forget(self) -> None:
        self.execute(f'DELETE FROM "{self.table}" WHERE id = ?', [self.id], replay_safe=True)
        self.execute(f'DELETE FROM "{self.progress_table}" WHERE id = ?', [self.id], replay_safe=True)


def _applied(index: int) -> str:
    """What stays applied when statement `index` stops a run (a sentence)."""
    if index == 0:
        return "No statement before it was applied"
    return "Statement 0 was applied and remains" if index == 1 else f"Statements 0-{index - 1} were applied and remain"


class SqlMigrationHandler(AerostackHandler):
    """The handler of `aerostack.SqlMigration`."""

    def _migrator(self, props: dict[str, Any]) -> Migrator:
        return Migrator(self.client(), str(props["migrationId"]), str(props.get("bookkeepingTable") or DEFAULT_TABLE))

    # check ---------------------------------------------------------------------------------
    def check(self, _olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        """Validate without any API call; default the id to the resource name."""
        _, failures = validate(SqlMigrationInputs, news)
        inputs = dict(news)
        if inputs.get("migrationId") is None:
            inputs["migrationId"] = engine.logical_name or "migration"
        inputs.setdefault("bookkeepingTable", DEFAULT_TABLE)
        if inputs.get("bookkeepingTable") is None:
            inputs["bookkeepingTable"] = DEFAULT_TABLE
        return self.checked(inputs, failures)

    # diff ----------------------------------------------------------------------------------
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        """`up`, id or table replace (old `down` first); `down`/`verify` update in place without SQL."""
        changed = changed_inputs(olds, news, SqlMigrationInputs)
        up = news.get("up")
        if not is_unknown(up) and isinstance(up, list) and olds.get("checksum") not in (None, checksum(up)):
            changed.append("up")
        replaces = sorted({k for k in changed if k in REPLACE_KEYS})
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=bool(replaces))

    # create --------------------------------------------------------------------------------
    def create(self, props: dict[str, Any], engine: Engine) -> CreateResult:
        """Apply `up` unless this id is already recorded with the same checksum (and `verify` passes)."""
        inputs = SqlMigrationInputs.model_validate(user_inputs(props, SqlMigrationInputs))
        migrator = self._migrator(props)
        digest = checksum(inputs.up)
        migrator.ensure_table()
        existing = migrator.record()
        ran = 0
        if existing is not None and existing["checksum"] != digest:
            raise MigrationError(
                f"migration {migrator.id!r} is already recorded in {migrator.table} with checksum "
                f"{existing['checksum'][:12]}, but its `up` now has checksum {digest[:12]}: it was applied with "
                "different statements. Give the new version a new migrationId, or delete the bookkeeping row "
                "after reconciling the schema by hand"
            )
        if existing is not None and migrator.verified(inputs.verify):
            pulumi.log.info(f"aerostack migration {migrator.id}: already applied (checksum matches); nothing to run")
            applied_at = str(existing["applied_at"])
        else:
            if existing is not None:
                pulumi.log.warn(f"aerostack migration {migrator.id}: recorded but verify fails; applying again")
            ran = migrator.apply(inputs.up)
            if not migrator.verified(inputs.verify):
                raise MigrationError(
                    f"migration {migrator.id!r}: every up statement succeeded but verify returned no row; "
                    "the migration was not recorded (the next `pulumi up` checks verify again and runs no statement)"
                )
            applied_at = migrator.save(digest, len(inputs.up))
        outs = {
            **props,
            **output_values(SqlMigrationOutputs, checksum=digest, applied_at=applied_at, statements_applied=ran),
        }
        return CreateResult(f"{migrator.table}/{migrator.id}", outs)

    # read ----------------------------------------------------------------------------------
    def read(self, id_: str, props: dict[str, Any], engine: Engine) -> ReadResult:
        """Gone when the bookkeeping row is missing or `verify` fails; a changed checksum is reported."""
        migrator = self._migrator(props)
        existing = migrator.record()
        if existing is None:
            pulumi.log.warn(f"aerostack migration {migrator.id}: no bookkeeping row; it was rolled back outside Pulumi")
            return ReadResult("", {})
        if not migrator.verified(props.get("verify")):
            pulumi.log.warn(
                f"aerostack migration {migrator.id}: verify query fails; the schema was changed outside Pulumi"
            )
            return ReadResult("", {})
        outs = {
            **props,
            **output_values(SqlMigrationOutputs, checksum=existing["checksum"], applied_at=existing["applied_at"]),
        }
        return ReadResult(id_, outs, user_inputs(props, SqlMigrationInputs))

    # update --------------------------------------------------------------------------------
    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        """Only `down` and `verify` change in place; no SQL runs."""
        outs = {k: v for k, v in olds.items() if k not in ("down", "verify")}
        return UpdateResult({**outs, **{k: news[k] for k in ("down", "verify") if k in news}})

    # delete --------------------------------------------------------------------------------
    def delete(self, _id: str, props: dict[str, Any], engine: Engine) -> None:
        """Run `down` in order, then remove the bookkeeping row."""
        migrator = self._migrator(props)
        down = props.get("down") or []
        if not down:
            pulumi.log.warn(f"aerostack migration {migrator.id}: no `down` statements; the schema stays as it is")
        migrator.run(list(down), "down")
        try:
            migrator.forget()
        except APIStatusError as exc:
            if not (exc.status_code == 400 and "no such table" in exc.message):
                raise


class SqlMigrationProvider(DynamicProvider[SqlMigrationHandler]):
    """`aerostack.SqlMigration` as a dynamic provider."""

    handler_class = SqlMigrationHandler


SPEC = ResourceSpec(
    token="dataplatforms:aerostack:SqlMigration",
    description=(
        "A SQL migration applied through Aerostack `db/query`: `up` statements run in order, one per call, and "
        "the migration is recorded (id + checksum) in a bookkeeping table in your database, so re-applying is a "
        "no-op. Refresh drops it from state when the record is gone or `verify` fails; destroy runs `down`."
    ),
    inputs=SqlMigrationInputs,
    outputs=SqlMigrationOutputs,
    provider=SqlMigrationProvider,
    example=(
        "kind: aerostack/SqlMigration\n"
        "name: 001-users\n"
        "spec:\n"
        "  up:\n"
        "    - CREATE TABLE IF NOT EXISTS users (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL)\n"
        "  down:\n"
        "    - DROP TABLE IF EXISTS users\n"
        "  verify: SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'\n"
        "---\n"
        "kind: aerostack/SqlMigration\n"
        "name: 002-users-created-at\n"
        "spec:\n"
        "  up:\n"
        "    - CREATE INDEX IF NOT EXISTS users_created_at ON users (created_at)\n"
        "  down:\n"
        "    - DROP INDEX IF EXISTS users_created_at\n"
        "  verify: SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'users_created_at'\n"
        "options:\n"
        "  dependsOn: [aerostack/SqlMigration/001-users]\n"
    ),
    replace_on_changes=REPLACE_KEYS,
    always_present=("migrationId",),
    sdk_args_description="The arguments of a SQL migration.",
    sdk_echoed_inputs=("migrationId",),
    sdk_notes=(
        "Each statement is its own transaction: a failing statement stops the migration, names its index and the "
        "database's message, and the migration is not recorded; statements before it stay applied. The bookkeeping "
        "table defaults to `_pulumi_migrations`.",
    ),
)
