"""What every Ardent resource handler shares: settings and the client built from them."""

from __future__ import annotations

from typing import ClassVar

from ..handler import Handler
from . import SETTINGS
from .client import ArdentClient


class ArdentHandler(Handler[ArdentClient]):
    """Base of the Ardent handlers: HMAC keys, bearer key and base URL from stack config or env."""

    settings: ClassVar = SETTINGS

    def make_client(self) -> ArdentClient:
        public_key, secret_key = self.setting("ardent:publicKey"), self.setting("ardent:secretKey")
        return ArdentClient(
            self.setting("ardent:baseUrl") or "",
            hmac=(public_key, secret_key) if public_key and secret_key else None,
            api_key=self.setting("ardent:apiKey"),
        )
