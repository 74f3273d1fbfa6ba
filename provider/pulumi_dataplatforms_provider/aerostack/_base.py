"""What the three Aerostack resource providers share: settings, the client, and prop helpers."""

from __future__ import annotations

from typing import Any, ClassVar

from ..base import PlatformProvider
from ..checking import ENGINE_KEYS
from . import SETTINGS
from .client import AerostackClient


def engine_keys(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k in ENGINE_KEYS}


def pick(props: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: props[k] for k in keys if props.get(k) is not None}


class AerostackProvider(PlatformProvider[AerostackClient]):
    """Base of the Aerostack resource providers: one shared client per API key and server."""

    settings: ClassVar = SETTINGS

    def make_client(self) -> AerostackClient:
        return AerostackClient(
            self.setting("aerostack:apiKey", required=True) or "", self.setting("aerostack:serverUrl")
        )
