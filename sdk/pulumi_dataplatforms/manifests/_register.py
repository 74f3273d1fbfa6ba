"""Registers validated declarations as SDK resources, resolving secrets, config and references."""

from __future__ import annotations

import os
from typing import Any

import pulumi
from pulumi.runtime.config import get_config, is_config_secret

from .._resource import DataPlatformResource, snake
from ._problems import Problem
from ._validate import Declaration
from ._values import Ref, Source


def full_config_key(key: str) -> str:
    """`postgresPassword` -> `<project>:postgresPassword`; namespaced keys stay as they are."""
    return key if ":" in key else f"{pulumi.get_project()}:{key}"


def missing_sources(declarations: list[Declaration]) -> list[Problem]:
    """Config keys and environment variables the manifests use that are not set."""
    problems = []
    for declaration in declarations:
        for source in declaration.sources:
            if source.origin == "env":
                if source.key not in os.environ:
                    message = f"environment variable {source.key} is not set"
                    problems.append(_problem(declaration, source, message))
            elif get_config(full_config_key(source.key)) is None:
                flag = " --secret" if source.secret else ""
                message = (
                    f"config key {full_config_key(source.key)} is not set: "
                    f"run `pulumi config set{flag} {source.key} <value>`"
                )
                problems.append(_problem(declaration, source, message))
    return problems


def register(declarations: list[Declaration]) -> dict[str, DataPlatformResource]:
    """Registers every declaration (in the given order); returns the resources by `<kind>/<name>`."""
    resources: dict[str, DataPlatformResource] = {}
    for declaration in declarations:
        cls = declaration.kind.sdk_class()
        kwargs = {snake(key): _resolve(value, resources) for key, value in declaration.spec.items()}
        args = cls._args_type(**kwargs)
        options = declaration.options
        opts = pulumi.ResourceOptions(
            protect=options.protect,
            depends_on=[resources[key] for key, _ in options.depends_on] or None,
            delete_before_replace=options.delete_before_replace,
            ignore_changes=options.ignore_changes or None,
            retain_on_delete=options.retain_on_delete,
        )
        resources[declaration.key] = cls(declaration.name, args, opts)
    return resources


def _resolve(value: Any, resources: dict[str, DataPlatformResource]) -> Any:
    if isinstance(value, Source):
        return _source_value(value)
    if isinstance(value, Ref):
        output: pulumi.Output[Any] = getattr(resources[value.target], snake(value.property))
        return output
    if isinstance(value, dict):
        return {key: _resolve(item, resources) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, resources) for item in value]
    return value


def _source_value(source: Source) -> Any:
    if source.origin == "env":
        return pulumi.Output.secret(os.environ[source.key])
    key = full_config_key(source.key)
    value = get_config(key)
    if source.secret or is_config_secret(key):
        return pulumi.Output.secret(value)
    return value


def _problem(declaration: Declaration, source: Source, message: str) -> Problem:
    return Problem(source.location, message, declaration.kind.name, declaration.name, source.path)
