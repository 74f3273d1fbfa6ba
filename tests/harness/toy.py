"""A toy dynamic provider for the harness self-tests: records in a JSON file.

Config `toy:dbPath` names the file (read in `configure`, i.e. in the host). A record has
`name`, `size` (non-negative int, updated in place), `zone` (changing it forces a replacement;
with `exclusive: true` the provider asks for delete-before-replace) and an optional `password`.
Outputs add `token` (made secret with additionalSecretOutputs) and `version`. `size == 13`
makes `update` fail, to exercise failed updates. `crash: "host"` makes `create` SIGKILL the host;
`crash: "engine"` SIGKILLs the engine process too (an interrupted deployment).
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)

INPUTS = ("name", "size", "zone", "exclusive", "password")
_lock = threading.Lock()


@contextmanager
def records(db_path: Path) -> Iterator[dict[str, dict[str, Any]]]:
    """Lock the file (threads and processes), yield its records, write them back."""
    with _lock, open(db_path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = json.loads(db_path.read_text()) if db_path.exists() else {}
        yield data
        db_path.write_text(json.dumps(data, indent=2, sort_keys=True))


def read_records(db_path: Path) -> dict[str, dict[str, Any]]:
    """A snapshot of the records (for tests)."""
    with records(db_path) as data:
        return dict(data)


def edit_records(db_path: Path, change: Callable[[dict[str, dict[str, Any]]], None]) -> None:
    """Change records behind the engine's back (for refresh tests)."""
    with records(db_path) as data:
        change(data)


class ToyProvider(ResourceProvider):
    """CRUD over the JSON file; logs each change with `pulumi.log.info`."""

    db_path: Path

    def configure(self, req: ConfigureRequest) -> None:
        self.db_path = Path(req.config.require("toy:dbPath"))

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = []
        size = news.get("size")
        if not isinstance(size, (int, float)) or size < 0 or int(size) != size:
            failures.append(CheckFailure("size", f"must be a non-negative integer, got {size!r}"))
        if not news.get("name"):
            failures.append(CheckFailure("name", "is required"))
        return CheckResult(news, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [k for k in INPUTS if olds.get(k) != news.get(k)]
        replaces: list[str] = [k for k in ("zone", "name") if k in changed]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=bool(news.get("exclusive")),
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props.get("crash") == "engine":
            os.kill(os.getppid(), signal.SIGKILL)  # the engine (runner) process that started this host
        if props.get("crash"):
            os.kill(os.getpid(), signal.SIGKILL)
        id_ = secrets.token_hex(4)
        outs = {k: props[k] for k in INPUTS if k in props}
        outs.update(token=secrets.token_hex(8), version=1)
        with records(self.db_path) as data:
            data[id_] = outs
        pulumi.log.info(f"toy: created {props['name']} as {id_}")
        return CreateResult(id_, outs)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        with records(self.db_path) as data:
            live = data.get(id_)
        if live is None:
            return ReadResult("", {})
        return ReadResult(id_, dict(live), {k: live[k] for k in INPUTS if k in live})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        if news.get("size") == 13:
            raise ValueError("toy: size 13 is unlucky")
        with records(self.db_path) as data:
            outs = {k: news[k] for k in INPUTS if k in news}
            outs.update(token=olds["token"], version=int(olds.get("version", 1)) + 1)
            data[id_] = outs
        pulumi.log.warn(f"toy: updated {news['name']} to version {outs['version']}")
        return UpdateResult(outs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        with records(self.db_path) as data:
            data.pop(id_, None)
        pulumi.log.info(f"toy: deleted {props['name']} ({id_})")


class Record(Resource, module="toy", name="Record"):
    """A toy record; `token` is always a secret output."""

    token: pulumi.Output[str]
    version: pulumi.Output[int]
    size: pulumi.Output[int]
    zone: pulumi.Output[str]

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        secret_opts = pulumi.ResourceOptions(additional_secret_outputs=["token"])
        super().__init__(
            ToyProvider(),
            name,
            {"name": name, "token": None, "version": None, **props},
            pulumi.ResourceOptions.merge(secret_opts, opts),
        )
