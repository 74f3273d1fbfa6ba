"""What the package schema knows about a resource or a function, declared next to its provider.

The pydantic input model and output model are the single description of a resource's
properties (types, descriptions, patterns), and of a function's arguments and result;
`schema.json` is generated from these specs, and the SDK's resource classes and their Args
(`sdk/pulumi_dataplatforms/_generated/`) from `schema.json` and the flags below
(`generate/python_sdk.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pydantic

from .dynamic import DynamicProvider
from .handler import Handler
from .settings import Setting


@dataclass(frozen=True)
class ResourceSpec:
    """One resource: its token, models, and the flags the engine and docs need."""

    token: str
    description: str
    inputs: type[pydantic.BaseModel]
    outputs: type[pydantic.BaseModel]
    #: The resource's dynamic provider (what the SDK pickles); its `handler_class` is the handler.
    provider: type[DynamicProvider[Any]]
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
    #: Optional inputs the provider always fills in (an auto-name, a default, a computed hash): the schema lists
    #: them among the resource's `required` (always present) properties, so their output types are not Optional.
    always_present: tuple[str, ...] = ()
    #: The input whose explicit value names the resource on its platform (two cannot share it), or None:
    #: a replacement under the same explicit name deletes the old resource first.
    name_input: str | None = None
    #: Whether the provider's `check` mints a random identity, which a preview must leave unknown.
    mints_identity: bool = False
    #: Whether the provider's `read` finds the resource from its id alone: then the SDK class has
    #: `get(resource_name, id)`, which reads an existing resource into the program without managing it.
    readable_by_id: bool = False
    # How the generated Python SDK presents the resource, where the package schema has nothing to say:
    #: The docstring of the resource's `<Name>Args` class (default: "The arguments of a <Name>.").
    sdk_args_description: str = ""
    #: Inputs the resource class also declares as typed output attributes, besides every output-only
    #: property (at run time every input is an output; these are the ones programs read back).
    sdk_echoed_inputs: tuple[str, ...] = ()
    #: SDK class names of nested object types not named `<type name>Args`: (type name, class name) pairs.
    sdk_type_names: tuple[tuple[str, str], ...] = ()
    #: Paragraphs the resource class docstring adds after the schema description.
    sdk_notes: tuple[str, ...] = ()

    @property
    def handler(self) -> type[Handler[Any]]:
        """The resource's handler class, which every host drives."""
        return self.provider.handler_class

    @property
    def platform(self) -> str:
        return self.token.split(":")[1]

    @property
    def name(self) -> str:
        return self.token.split(":")[2]


@dataclass(frozen=True)
class FunctionSpec:
    """One function: a read-only look-up the native plugin answers over Invoke (`fn::invoke` in Pulumi YAML)."""

    token: str
    description: str
    #: The arguments: validated before any API call; their types, enums, defaults and descriptions are the schema's.
    inputs: type[pydantic.BaseModel]
    #: The result object.
    outputs: type[pydantic.BaseModel]
    #: Answers the look-up from the provider's settings (setting key -> value, as `Handler.configure` gets them;
    #: unset ones fall back to the environment) and the validated arguments.
    call: Callable[[Mapping[str, str], Any], pydantic.BaseModel]
    #: A Pulumi YAML program calling the function; the schema and the docs show it.
    example: str
    #: The Python SDK functions of the platform module answering the same look-up in the program's process
    #: (plain first, then its `_output` form); the first one's parameters must be the inputs' properties.
    sdk_functions: tuple[str, ...] = ()
    #: Result properties that are always secret (any secret argument makes the whole result secret).
    secret_outputs: tuple[str, ...] = ()

    @property
    def platform(self) -> str:
        return self.token.split(":")[1]

    @property
    def name(self) -> str:
        return self.token.split(":")[2]


@dataclass(frozen=True)
class PlatformSpec:
    """A platform: its config namespace, settings, resources and functions."""

    name: str
    display_name: str
    settings: tuple[Setting, ...]
    resources: tuple[ResourceSpec, ...]
    functions: tuple[FunctionSpec, ...] = ()
