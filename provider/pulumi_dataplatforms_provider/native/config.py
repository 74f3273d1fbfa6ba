"""Provider configuration: the platforms' settings as the properties of a `dataplatforms` provider.

A setting `<platform>:<name>` (`eloq:apiKey`) is the provider property `<platform><Name>`
(`eloqApiKey`). A stack config key has one namespace and one name, so `dataplatforms:eloq:apiKey`
cannot be set (the CLI refuses it); under the package's namespace the setting is
`dataplatforms:eloqApiKey`, which the engine hands the default provider as its property
`eloqApiKey`. An explicit `pulumi.ProviderResource("dataplatforms", name, {"eloqApiKey": ...})`
takes the same properties. The platforms' own namespaces (`eloq:apiKey`, what the dynamic
providers read) are not the package's and were not among what the engine sent the default
provider. Each setting's environment fallback (`ELOQ_API_KEY`, ...) still applies, resolved in
the plugin's process environment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..registry import PLATFORMS
from ..settings import Setting

PACKAGE = "dataplatforms"
#: Keys a provider's inputs may hold besides the package's config (Pulumi's provider options).
ENGINE_PROVIDER_KEYS = frozenset({"version", "pluginDownloadURL"})


def all_settings() -> tuple[Setting, ...]:
    """Every platform's settings, in the order the schema lists them."""
    return tuple(s for p in PLATFORMS for s in p.settings)


def secret_properties() -> frozenset[str]:
    """The provider properties that hold a secret (the secret settings')."""
    return frozenset(s.provider_property for s in all_settings() if s.secret)


def unknown_properties(args: Mapping[str, Any]) -> list[str]:
    """Provider properties that are neither a setting nor one the engine adds."""
    known = {s.provider_property for s in all_settings()} | ENGINE_PROVIDER_KEYS
    return sorted(k for k in args if k not in known)


def settings_values(args: Mapping[str, Any]) -> dict[str, str]:
    """The settings' values among a provider's properties `args` (plain), by setting key (`eloq:apiKey`).

    Unset and empty values are left out, so the setting's environment fallback applies.
    """
    values: dict[str, str] = {}
    for setting in all_settings():
        value = args.get(setting.provider_property)
        if value is not None and value != "":
            values[setting.key] = str(value)
    return values


def missing_setting(setting: Setting) -> str:
    """How to give the provider a setting it lacks, for errors of the native plugin."""
    flag = "--secret " if setting.secret else ""
    return (
        f"{setting.provider_property} is not set on the dataplatforms provider: run `pulumi config set {flag}"
        f"{PACKAGE}:{setting.provider_property} <value>`, give an explicit provider `{setting.provider_property}`, "
        f"or export {setting.env}"
    )


def _setting_names() -> re.Pattern[str]:
    keys = sorted((re.escape(s.key) for s in all_settings()), key=len, reverse=True)
    return re.compile(rf"(?<![\w:])({'|'.join(keys)})(?![\w:])")


_SETTING_NAMES = _setting_names()


def native_name(key: str) -> str:
    """How the native plugin's users set the setting `key`: `eloq:apiKey` -> `dataplatforms:eloqApiKey`."""
    setting = next(s for s in all_settings() if s.key == key)
    return f"{PACKAGE}:{setting.provider_property}"


def with_native_names(text: str) -> str:
    """A handler's message with each setting named as the native plugin takes it.

    Handlers name settings by their dynamic-provider keys (`Check eloq:apiKey (ELOQ_API_KEY)`,
    `run pulumi config set --secret eloq:apiKey`), which the plugin's default provider never reads.
    """
    return _SETTING_NAMES.sub(lambda found: native_name(found.group(1)), text)


def setting_property(name: str) -> str:
    """A check failure's property: a setting key becomes the provider property (`eloqApiKey`)."""
    setting = next((s for s in all_settings() if s.key == name), None)
    return setting.provider_property if setting is not None else name


class PluginError(Exception):
    """A handler's error re-raised with its settings named the native way (`with_native_names`)."""


@dataclass(frozen=True)
class ProviderConfig:
    """What `Handler.configure` takes: an object whose `.config.get(key)` gives a setting's value."""

    config: Mapping[str, str] = field(default_factory=dict)
