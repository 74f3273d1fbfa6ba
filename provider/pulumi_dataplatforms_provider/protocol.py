"""The resource-handler protocol: what a handler answers for check, diff, create, read and update.

Handlers return these plain records, not `pulumi.dynamic`'s classes, so they do not depend on the
dynamic-provider protocol. The dynamic-provider host (`python -m pulumi.dynamic`) reads its
answers by attribute (`result.outs`, `failure.reason`, ...), and these records carry the same
attribute names, so it drives the handlers as they are; another host (a native provider plugin)
can drive them just as well.
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
    """The inputs `check` accepted (defaults filled in), and its failures."""

    inputs: dict[str, Any]
    failures: Sequence[CheckFailure] = field(default_factory=list)


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
