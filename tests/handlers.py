"""Resource handlers driven directly, as the provider host drives them, against a real emulator process."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from scripts.cli_stack import platform_config

ProviderT = TypeVar("ProviderT", bound=DynamicProvider[Any])


def configured(
    provider_class: type[ProviderT], emulator: EmulatorProcess, overrides: Mapping[str, str | None] | None = None
) -> ProviderT:
    """A handler as the host has it after unpickling and `configure`: settings from stack config only.

    The stack config is what `make up` gives a stack for `emulator` (every platform's keys), so
    no environment variable of the test process takes part; `overrides` replaces keys (None removes one).
    """
    provider = provider_class()
    provider.__setstate__({})
    plain, secret = platform_config(emulator.env())
    config: dict[str, str | None] = {**plain, **secret, **(overrides or {})}
    provider.configure(ConfigureRequest(Config({k: v for k, v in config.items() if v is not None}, "tests")))
    return provider
