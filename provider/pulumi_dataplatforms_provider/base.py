"""What every resource provider shares: settings from stack config, lazily built clients, check plumbing.

A provider object is pickled into the program's `__provider` property and unpickled in the
dynamic-provider host. It therefore carries no state at all (`__getstate__` is empty):
settings arrive through `configure()` in the host, and clients are built there on first
use and shared by the host's worker threads.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from pulumi.dynamic import ConfigureRequest, ResourceProvider

from .settings import MissingSettingError, Setting

ClientT = TypeVar("ClientT")

_clients: dict[tuple[object, ...], object] = {}
_clients_lock = threading.Lock()


def shared_client(key: tuple[object, ...], factory: Callable[[], ClientT]) -> ClientT:
    """One client per distinct configuration per process, built on first use."""
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = factory()
            _clients[key] = client
        return client  # type: ignore[return-value]


def auto_name(logical_name: str, fallback: str = "resource", max_base: int = 55) -> str:
    """`<logical>-<7 hex>`, Pulumi's auto-naming convention, in DNS-label characters (`a-z0-9-`)."""
    base = re.sub(r"[^a-z0-9-]+", "-", logical_name.lower()).strip("-")[:max_base].rstrip("-") or fallback
    return f"{base}-{secrets.token_hex(4)[:7]}"


class PlatformProvider(ResourceProvider, Generic[ClientT]):
    """Base of every resource provider of one platform."""

    settings: ClassVar[tuple[Setting, ...]] = ()

    def __init__(self) -> None:
        super().__init__()

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self._stack_config: dict[str, str] = {}

    def configure(self, req: ConfigureRequest) -> None:
        """Keep this platform's settings from the stack config (host process only)."""
        self._stack_config = {}
        for setting in self.settings:
            value = req.config.get(setting.key)
            if value is not None:
                self._stack_config[setting.key] = str(value)

    def setting(self, key: str, *, required: bool = False) -> str | None:
        """The resolved value of setting `key` (e.g. `eloq:apiKey`)."""
        setting = next(s for s in self.settings if s.key == key)
        value = setting.resolve(getattr(self, "_stack_config", {}))
        if value is None and required:
            raise MissingSettingError(setting)
        return value

    def client(self) -> ClientT:
        """The platform client for the current settings."""
        values = tuple(s.resolve(getattr(self, "_stack_config", {})) for s in self.settings)
        return shared_client((self.settings[0].namespace, *values), self.make_client)

    def make_client(self) -> ClientT:
        """Build a client from the resolved settings."""
        raise NotImplementedError
