"""What the three Aerostack resource handlers share: settings and the client built from them."""

from __future__ import annotations

from typing import ClassVar

from ..handler import Handler
from . import SETTINGS
from .client import AerostackClient


class AerostackHandler(Handler[AerostackClient]):
    """Base of the Aerostack resource handlers: one shared client per API key and server."""

    settings: ClassVar = SETTINGS

    def make_client(self) -> AerostackClient:
        return AerostackClient(
            self.setting("aerostack:apiKey", required=True) or "", self.setting("aerostack:serverUrl")
        )
