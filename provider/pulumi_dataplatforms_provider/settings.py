"""Provider settings: each is a stack config key with an environment fallback, declared once.

The dynamic-provider host hands `configure()` the whole stack config as strings; values are
resolved from it first and from the environment at call time otherwise. `schema.json`'s
config section is generated from these declarations.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One provider setting, e.g. `eloq:apiKey` with fallback `ELOQ_API_KEY`."""

    key: str
    env: str
    description: str
    secret: bool = False
    default: str | None = None

    @property
    def namespace(self) -> str:
        return self.key.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(":", 1)[1]

    @property
    def provider_property(self) -> str:
        """The setting as a property of the package's provider (native plugin): `eloq:apiKey` -> `eloqApiKey`.

        Stack config `dataplatforms:eloqApiKey` sets it for the default provider; the dynamic
        providers read `eloq:apiKey`.
        """
        return f"{self.namespace}{self.name[:1].upper()}{self.name[1:]}"

    @property
    def shown(self) -> str:
        """How errors name it: `eloq:apiKey (ELOQ_API_KEY)`."""
        return f"{self.key} ({self.env})"

    def resolve(self, stack_config: Mapping[str, str]) -> str | None:
        """Stack config, then the environment, then the default."""
        value = stack_config.get(self.key) or os.environ.get(self.env) or self.default
        return value or None


def shown(settings: Iterable[Setting], *keys: str) -> str:
    """Settings as errors name them: `ardent:publicKey + ardent:secretKey (ARDENT_PUBLIC_KEY + ARDENT_SECRET_KEY)`."""
    by_key = {s.key: s for s in settings}
    chosen = [by_key[key] for key in keys]
    return f"{' + '.join(s.key for s in chosen)} ({' + '.join(s.env for s in chosen)})"


class SettingsError(Exception):
    """The platform's settings cannot make a client (e.g. no credentials); the message names the fix."""


class MissingSettingError(SettingsError):
    """A required setting is absent from both the stack config and the environment."""

    def __init__(self, setting: Setting) -> None:
        how = f"pulumi config set {'--secret ' if setting.secret else ''}{setting.key} <value>"
        super().__init__(f"{setting.key} is not set: run `{how}` or export {setting.env}")
        self.setting = setting
