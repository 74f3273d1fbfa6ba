"""What the package schema knows about a resource, declared next to its provider.

The pydantic input model and output model are the single description of a resource's
properties (types, descriptions, patterns); `schema.json` is generated from these specs,
and tests prove the SDK classes agree with it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pydantic
from pulumi.dynamic import ResourceProvider

from .settings import Setting


@dataclass(frozen=True)
class ResourceSpec:
    """One resource: its token, models, and the flags the engine and docs need."""

    token: str
    description: str
    inputs: type[pydantic.BaseModel]
    outputs: type[pydantic.BaseModel]
    provider: type[ResourceProvider]
    #: A YAML manifest declaring the resource (its own document last, after any it refers to);
    #: the schema shows it as the resource's example, and the docs derive a Python program from it.
    example: str
    replace_on_changes: tuple[str, ...] = ()
    secret_inputs: tuple[str, ...] = ()
    secret_outputs: tuple[str, ...] = ()
    #: Input-model properties the provider fills in during check (e.g. a file's content hash):
    #: the schema lists them as outputs, since users do not set them.
    computed_inputs: tuple[str, ...] = ()
    drift_detection: bool = True

    @property
    def platform(self) -> str:
        return self.token.split(":")[1]

    @property
    def name(self) -> str:
        return self.token.split(":")[2]


@dataclass(frozen=True)
class PlatformSpec:
    """A platform: its config namespace, settings and resources."""

    name: str
    display_name: str
    settings: tuple[Setting, ...]
    resources: tuple[ResourceSpec, ...]
