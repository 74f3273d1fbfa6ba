"""Aerostack: SQL migrations, cache entries and stored objects over the Aerostack data-plane API."""

from __future__ import annotations

from ..settings import Setting

#: The official client's server list: index 0 is production, index 1 local development.
SERVERS: tuple[str, ...] = ("https://api.aerostack.ai/v1", "http://localhost:8787/v1")
DEFAULT_SERVER_URL = SERVERS[0]

SETTINGS = (
    Setting(
        "aerostack:apiKey",
        "AEROSTACK_API_KEY",
        "Aerostack API key, sent as the raw `X-Aerostack-Key` header.",
        secret=True,
    ),
    Setting(
        "aerostack:serverUrl",
        "AEROSTACK_SERVER_URL",
        "Aerostack server URL including its `/v1` prefix, or a server index (`0` production, `1` local). "
        "Defaults to production.",
        default=DEFAULT_SERVER_URL,
    ),
)


def server_url(server: str | int | None) -> str:
    """The base URL for a server index (0 production, 1 local) or an explicit URL (trailing `/` removed)."""
    if server is None or server == "":
        return DEFAULT_SERVER_URL
    if isinstance(server, int) or (isinstance(server, str) and server.isdigit()):
        index = int(server)
        if not 0 <= index < len(SERVERS):
            raise IndexError(f"Aerostack server index {index} is out of range (0 production, 1 local)")
        return SERVERS[index]
    if not server.startswith(("http://", "https://")):
        raise ValueError(f"Aerostack server {server!r} is neither an index nor an http(s) URL")
    return server.rstrip("/")
