"""Per-resource operation timeouts, given as a `timeouts` input.

Dynamic providers never see Pulumi's `customTimeouts` option, so resources take
`timeouts={"create": "20m", "delete": "10m"}` (Terraform-style durations or seconds). Each
resource declares its own model (a subclass of `OperationTimeouts`) naming the operations it
bounds, with their defaults: the schema, the docs and check all read that one model.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import pydantic

_DURATION = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$")


def parse_duration(value: str | float | int) -> float:
    """Seconds in `value`: a number of seconds, or a duration such as `90s`, `20m`, `1h30m`."""
    if isinstance(value, bool):
        raise ValueError("must be a duration such as '20m' or a number of seconds")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip()
        try:
            seconds = float(text)
        except ValueError:
            match = _DURATION.match(text)
            if not text or not match:
                raise ValueError(f"{value!r} is not a duration; use forms like '90s', '20m' or '1h30m'") from None
            seconds = sum(float(match[g] or 0) * f for g, f in (("h", 3600), ("m", 60), ("s", 1)))
    if seconds <= 0:
        raise ValueError(f"must be positive (got {value!r})")
    return seconds


def timeout(default: str, description: str) -> Any:
    """A field of a resource's timeouts model: one operation, its default and what it bounds."""
    return pydantic.Field(
        default,
        description=f"{description} A duration such as '{default}' or a number of seconds; default {default}.",
        json_schema_extra={"fix": f"Use a positive duration such as '{default}' or '90s'."},
    )


class OperationTimeouts(pydantic.BaseModel):
    """Base of each resource's timeouts model, whose fields are the operations that resource bounds.

    An operation the resource does not bound (e.g. `update` on a resource that replaces) is refused
    by check rather than silently ignored.
    """

    model_config = pydantic.ConfigDict(extra="forbid")

    @pydantic.field_validator("*")
    @classmethod
    def _valid(cls, value: str | float | None) -> str | float | None:
        if value is not None:
            parse_duration(value)
        return value

    def seconds(self, operation: str) -> float:
        """The time `operation` may take: the given duration, or the field's default."""
        value = getattr(self, operation)
        if value is None:
            value = type(self).model_fields[operation].default
        return parse_duration(value)


@dataclass
class Deadline:
    """A point in time an operation must finish by."""

    seconds: float
    started: float = 0.0

    def __post_init__(self) -> None:
        self.started = time.monotonic()

    @property
    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    @property
    def expired(self) -> bool:
        return self.remaining <= 0
