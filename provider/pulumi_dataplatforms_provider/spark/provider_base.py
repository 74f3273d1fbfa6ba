"""What the Spark resources share: the handler base (settings → client) and file hashing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

from ..handler import Handler
from . import SETTINGS
from .client import SparkClient, choose_auth, resolve_endpoint

#: 1-100 characters, the first not blank, without URL-path specials or control characters (NUL included).
NAME_PATTERN = r"^[^/\[\]?#%\s\x00-\x1f\x7f][^/\[\]?#%\x00-\x1f\x7f]{0,99}$"
NAME_FIX = (
    "Use 1-100 characters, the first not blank, without '/', '[', ']', '?', '#', '%' or control characters "
    "(lower-case letters, digits and '-' are safest)."
)


def file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).expanduser().read_bytes()).hexdigest()


class SparkHandler(Handler[SparkClient]):
    """Base of the Spark resource handlers: one client per configuration."""

    settings: ClassVar = SETTINGS

    def make_client(self) -> SparkClient:
        endpoint = resolve_endpoint(
            self.setting("spark:baseUrl"), self.setting("spark:tenant"), self.setting("spark:env")
        )
        auth = choose_auth(
            endpoint,
            self.setting("spark:apiKey"),
            self.setting("spark:token"),
            self.setting("spark:clientId"),
            self.setting("spark:clientSecret"),
        )
        return SparkClient(endpoint, auth)
