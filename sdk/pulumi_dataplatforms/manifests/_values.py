"""Values resolved at run time instead of written in a manifest: secrets, environment, config, references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from ._problems import Location

CONFIG_KEY = re.compile(r"^(?:[A-Za-z0-9_.-]+:)?[A-Za-z0-9_.-]+$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
KIND = r"[a-z]+/[A-Za-z]+"
TARGET = re.compile(rf"^(?P<kind>{KIND})/(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)$")
REF = re.compile(rf"^(?P<kind>{KIND})/(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)\.(?P<property>[A-Za-z][A-Za-z0-9]*)$")


@dataclass(frozen=True)
class Source:
    """`{secret: key}`, `{env: NAME}` or `{config: key}`: a string read when the program runs."""

    origin: Literal["secret", "env", "config"]
    key: str
    location: Location
    path: str

    @property
    def secret(self) -> bool:
        """Secret and environment values stay secret; `config` values are plain."""
        return self.origin != "config"


@dataclass(frozen=True)
class Ref:
    """`{ref: "<kind>/<name>.<property>"}`: another resource's output, which also orders the two."""

    target: str
    property: str
    location: Location
    path: str
    expected: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.target}.{self.property}"
