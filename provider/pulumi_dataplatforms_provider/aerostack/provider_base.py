"""What the three Aerostack resource providers share: settings and the client built from them."""

from __future__ import annotations

from typing import ClassVar

from ..base import PlatformProvider
from . import SETTINGS
from .client import AerostackClient


class AerostackProvider(PlatformProvider[AerostackClient]):
    """Base of the Aerostack resource providers: one shared client per API key and server."""

    settings: ClassVar = SETTINGS

    def make_client(self) -> AerostackClient:
        return AerostackClient(
            self.setting("aerostack:apiKey", required=True) or "", self.setting("aerostack:serverUrl")
        )
