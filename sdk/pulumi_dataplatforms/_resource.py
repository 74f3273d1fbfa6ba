"""Plumbing shared by every resource class: Python names in the program, wire names in state.

A resource class names its Args dataclass, its output-only properties and its secret
outputs; property names are translated both ways (`sku_id` <-> `skuId`) the way generated
Pulumi SDKs do, from a table of the names the module declares, so keys of free-form values
(a cache entry's JSON, connection details) reach the platform exactly as written. Output
attributes are typed `pulumi.Output`s.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Awaitable, Mapping
from typing import Any, ClassVar, cast

import pulumi
import pulumi.dynamic

from pulumi_dataplatforms_provider.hidden_inputs import ORGANIZATION_KEY, PREVIEW_KEY, URN_KEY


def camel(name: str) -> str:
    """`adopt_existing` -> `adoptExisting`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """`adoptExisting` -> `adopt_existing`."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def plain(value: Any) -> Any:
    """Args dataclasses (at any depth) as dicts with wire names; everything else as is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            camel(f.name): plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not None
        }
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class DataPlatformResource(pulumi.dynamic.Resource):
    """Base of every resource class in this package."""

    _args_type: ClassVar[type]
    _output_names: ClassVar[tuple[str, ...]] = ()
    _secret_outputs: ClassVar[tuple[str, ...]] = ()
    #: Whether the provider's `check` mints a random identity, which a preview must leave unknown (`PREVIEW_KEY`).
    _mints_identity: ClassVar[bool] = False
    #: The input whose explicit value names the resource on its platform (two cannot share it), or None.
    _name_input: ClassVar[str | None] = None

    def __init__(
        self,
        provider: pulumi.dynamic.ResourceProvider,
        resource_name: str,
        args: Any,
        opts: pulumi.ResourceOptions | None,
        kwargs: Mapping[str, Any],
        secret_inputs: tuple[str, ...] = (),
    ) -> None:
        """`secret_inputs` (snake_case) are made secrets even when given as plain values, inputs and outputs alike."""
        if args is None:
            args = self._args_type(**kwargs)
        elif kwargs:
            raise TypeError(f"{type(self).__name__}: pass either args or keyword arguments, not both")
        if not isinstance(args, self._args_type):
            raise TypeError(f"{type(self).__name__}: args must be a {self._args_type.__name__}")
        props: dict[str, Any] = {name: None for name in self._output_names}
        for field in dataclasses.fields(cast(Any, args)):
            props[field.name] = plain(getattr(args, field.name))
        props["__logicalName"] = resource_name
        if self._mints_identity and pulumi.runtime.is_dry_run():
            props[PREVIEW_KEY] = True
        # What the provider's stable auto-names are derived from (pulumi_dataplatforms_provider.base.stable_value).
        props[URN_KEY] = _urn(resource_name, f"pulumi-python:{self._resource_type_name}", opts)
        props[ORGANIZATION_KEY] = pulumi.get_organization()
        for name in secret_inputs:
            if props.get(name) is not None:
                props[name] = pulumi.Output.secret(props[name])
        defaults = pulumi.ResourceOptions(additional_secret_outputs=[*self._secret_outputs, *secret_inputs])
        if self._name_input is not None and props.get(self._name_input) is not None:
            # A replacement under the same explicit name must delete first, `pulumi up --replace` included
            # (the engine asks the provider's diff only about input changes).
            defaults.delete_before_replace = True
        super().__init__(provider, resource_name, props, pulumi.ResourceOptions.merge(defaults, opts))

    def translate_input_property(self, prop: str) -> str:
        return camel(prop) if prop in _property_names(type(self).__module__, self._output_names) else prop

    def translate_output_property(self, prop: str) -> str:
        name = snake(prop)
        return name if name in _property_names(type(self).__module__, self._output_names) else prop


def _urn(name: str, type_: str, opts: pulumi.ResourceOptions | None) -> pulumi.Output[str]:
    """The URN the engine will give the resource, without depending on its parent.

    `parent.urn` would make the resource depend on a component parent, i.e. on its own siblings
    and itself, so only its value is used.
    """
    parent = opts.parent if opts is not None else None
    parent_urn: pulumi.Output[str] | None = None
    if parent is not None:
        urn = parent.urn
        parent_urn = pulumi.Output(set(), cast("Awaitable[str]", urn.future()), urn.is_known(), urn.is_secret())
    return pulumi.create_urn(name, type_, parent=parent_urn)


@functools.cache
def _property_names(module_name: str, outputs: tuple[str, ...]) -> frozenset[str]:
    """A resource class's snake_case property names: `outputs` and the fields of every Args dataclass of its module.

    Pulumi applies the translations to keys at every depth, so only these are translated.
    """
    module = vars(sys.modules[module_name]).values()
    fields = {f.name for obj in module if isinstance(obj, type) and dataclasses.is_dataclass(obj)
              for f in dataclasses.fields(obj)}  # fmt: skip
    return frozenset(fields | set(outputs))
