"""The records a resource handler answers with, for check, diff, create, read and update.

Handlers (`handler.Handler`) return these plain records, not `pulumi.dynamic`'s classes. The
dynamic-provider adapter (`dynamic.DynamicProvider`) adds the engine's bookkeeping keys to them
and hands them to the dynamic-provider host, which reads them by attribute (`result.outs`,
`failure.reason`, ...); another host (a native provider plugin) can read them just as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class CheckFailure:
    """An input `property` (dotted path, or a setting key) that cannot be accepted, and why."""

    property: str
    reason: str


@dataclass
class CheckResult:
    """The inputs `check` accepted (defaults filled in), its failures, and which inputs it chose.

    `defaulted` names the inputs check filled in rather than the program (an auto-name, a minted
    id, a default zone); the host records it with the inputs and gives it back as
    `Engine.defaulted`. None when the resource has no such inputs (nothing is recorded).
    """

    inputs: dict[str, Any]
    failures: Sequence[CheckFailure] = field(default_factory=list)
    defaulted: list[str] | None = None


@dataclass
class DiffResult:
    """What changed between the recorded and the new inputs, and which of those force a replacement."""

    changes: bool | None = None
    replaces: Sequence[str] | None = None
    stables: Sequence[str] | None = None
    delete_before_replace: bool | None = None


@dataclass
class CreateResult:
    """The new resource's id and outputs."""

    id: str
    outs: dict[str, Any] | None = None


@dataclass
class ReadResult:
    """The resource as the platform holds it; an empty id means it is gone."""

    id: str | None = None
    outs: dict[str, Any] | None = None
    inputs: dict[str, Any] | None = None


@dataclass
class UpdateResult:
    """The outputs after an in-place update."""

    outs: dict[str, Any] | None = None


class Config(Protocol):
    """Stack configuration as a host hands it over: values by `<namespace>:<key>`."""

    def get(self, key: str) -> Any: ...


class ConfigureRequest(Protocol):
    """What `configure` receives (`pulumi.dynamic.ConfigureRequest` is one)."""

    @property
    def config(self) -> Config: ...
