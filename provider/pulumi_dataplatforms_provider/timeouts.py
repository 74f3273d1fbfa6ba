"""Per-resource operation timeouts, given as a `timeouts` input.

Dynamic providers never see Pulumi's `customTimeouts` option, so resources take
`timeouts={"create": "20m", "delete": "10m"}` (Terraform-style durations or seconds).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

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


Duration = pydantic.Field(default=None, json_schema_extra={"fix": "Use a positive duration such as '20m' or '90s'."})


class Timeouts(pydantic.BaseModel):
    """How long each operation may take before the provider gives up."""

    model_config = pydantic.ConfigDict(extra="forbid")

    create: str | float | None = Duration
    update: str | float | None = Duration
    delete: str | float | None = Duration

    @pydantic.field_validator("create", "update", "delete")
    @classmethod
    def _valid(cls, value: str | float | None) -> str | float | None:
        if value is not None:
            parse_duration(value)
        return value

    def seconds(self, operation: str, default: float) -> float:
        value = getattr(self, operation)
        return default if value is None else parse_duration(value)


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
