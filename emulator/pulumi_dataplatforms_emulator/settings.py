"""Runtime settings of the emulator."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8790
DEFAULT_DATA_DIR = Path(".dataplatforms/emulator")
DEFAULT_PROVISION_SECONDS = 3.0
DEFAULT_DELETION_SECONDS = 1.0
DB_FILE_NAME = "emulator.sqlite3"


def root_url(host: str, port: int) -> str:
    """Return ``http://host:port`` (IPv6 hosts are bracketed)."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


@dataclass
class Settings:
    """Where the emulator keeps its data, where it listens and how slow its lifecycles are.

    The delays are mutable at run time (``PUT /_admin/delays``); services read them when a
    resource is created or deleted and store the resulting deadlines, so a change applies to
    resources created or deleted afterwards.
    """

    data_dir: Path = field(default_factory=lambda: DEFAULT_DATA_DIR)
    provision_seconds: float = DEFAULT_PROVISION_SECONDS
    deletion_seconds: float = DEFAULT_DELETION_SECONDS
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    #: Reported by `/healthz`, so a starter can tell its own server from another on the port.
    instance_id: str | None = None
    #: Print one line per platform request on stderr (`serve --request-log`).
    request_log: bool = False

    def __post_init__(self) -> None:
        if self.instance_id is None:
            self.instance_id = uuid.uuid4().hex

    @property
    def db_path(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / DB_FILE_NAME

    @property
    def root_url(self) -> str:
        """The server's root URL, e.g. ``http://127.0.0.1:8790``."""
        return root_url(self.host, self.port)
