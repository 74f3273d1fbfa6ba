"""Plumbing shared by every resource class: Python names in the program, wire names in state.

A resource class names its Args dataclass, its output-only properties and its secret
outputs; property names are translated both ways (`sku_id` <-> `skuId`) the way generated
Pulumi SDKs do, from a table of the names the module declares, so keys of free-form values
(a cache entry's JSON, connection details) reach the platform exactly as written. Output
attributes are typed `pulumi.Output`s.

The resource classes themselves are generated (`_generated/`, by `python -m
pulumi_dataplatforms_provider.generate`); they are called as generated Pulumi SDKs are,
`Cls(name, args, opts)` or `Cls(name, opts, **inputs)`, which `DataPlatformResource.arguments` sorts out.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import re
import sys
from collections.abc import Awaitable, Mapping
from typing import Any, ClassVar, TypeVar, cast

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


R = TypeVar("R", bound="DataPlatformResource")


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
            args = self._args_from_keywords(kwargs)
        elif kwargs:
            raise TypeError(f"{type(self).__name__}: pass either args or keyword arguments, not both")
        if not isinstance(args, self._args_type):
            raise TypeError(f"{type(self).__name__}: args must be a {self._args_type.__name__}")
        if opts is None or not opts.urn:
            # As generated Pulumi SDKs check their required inputs (unless the resource is looked up by URN).
            for field in dataclasses.fields(cast(Any, args)):
                if _is_required(field) and getattr(args, field.name) is None:
                    raise TypeError(f"Missing required property '{field.name}'")
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

    @classmethod
    def arguments(
        cls, args: tuple[Any, ...], kwargs: Mapping[str, Any]
    ) -> tuple[Any, pulumi.ResourceOptions | None, dict[str, Any]]:
        """(args, opts, keyword inputs) of a call `Cls(name, args, opts)` or `Cls(name, opts, **inputs)`.

        `args` and `opts` may also be given by keyword; a first positional `pulumi.ResourceOptions` is `opts`.
        """
        inputs = dict(kwargs)
        given = list(args)
        names = ("opts",) if given and isinstance(given[0], pulumi.ResourceOptions) else ("args", "opts")
        if len(given) > len(names):
            raise TypeError(
                f"{cls.__name__}() takes {len(names) + 1} positional arguments but {len(given) + 1} were given"
            )
        bound: dict[str, Any] = {}
        for name, value in zip(names, given, strict=False):
            if name in inputs:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
            bound[name] = value
        resource_args = bound["args"] if "args" in bound else inputs.pop("args", None)
        opts = bound["opts"] if "opts" in bound else inputs.pop("opts", None)
        return resource_args, opts, inputs

    @classmethod
    def _read(
        cls: type[R],
        provider: pulumi.dynamic.ResourceProvider,
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None,
        secret_inputs: tuple[str, ...] = (),
    ) -> R:
        """The existing resource `id`, read by the provider (its `read`, as `pulumi refresh` runs it): `Cls.get`.

        The engine reads it (ReadResource) and the stack records it as read, never creating or deleting it;
        `secret_inputs` (snake_case) are secret outputs, as in `__init__`.
        """
        resource = cls.__new__(cls)
        props: dict[str, Any] = {field.name: None for field in dataclasses.fields(cls._args_type)}
        props.update({name: None for name in cls._output_names})
        defaults = pulumi.ResourceOptions(additional_secret_outputs=[*cls._secret_outputs, *secret_inputs])
        lookup = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        pulumi.dynamic.Resource.__init__(
            resource, provider, resource_name, props, pulumi.ResourceOptions.merge(defaults, lookup)
        )
        return resource

    @classmethod
    def _args_from_keywords(cls, kwargs: Mapping[str, Any]) -> Any:
        """The Args of keyword inputs; a required one left out is None (and refused unless looked up by URN)."""
        fields = dataclasses.fields(cls._args_type)
        names = {field.name for field in fields}
        for name in kwargs:
            if name not in names:
                raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {name!r}")
        missing = {field.name: None for field in fields if _is_required(field) and field.name not in kwargs}
        return cls._args_type(**missing, **kwargs)

    def translate_input_property(self, prop: str) -> str:
        return camel(prop) if prop in _property_names(type(self).__module__, self._output_names) else prop

    def translate_output_property(self, prop: str) -> str:
        name = snake(prop)
        return name if name in _property_names(type(self).__module__, self._output_names) else prop


def provider(module: str, name: str) -> pulumi.dynamic.ResourceProvider:
    """A new instance of the handler class `name` of `module`, imported on first use (the SDK stays light).

    Handlers do not derive from `pulumi.dynamic.ResourceProvider` (see `pulumi_dataplatforms_provider.protocol`),
    but they answer the same calls with records of the same attributes, all the dynamic-provider host reads.
    """
    handler = getattr(importlib.import_module(module), name)()
    return cast("pulumi.dynamic.ResourceProvider", handler)


def _is_required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


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
