"""The opt-in request log (`serve --request-log`): one line per platform request on stderr.

`POST /eloq/api/v1/orgs/1/projects/147/clusters 200 eloq 3.1ms`, plus the injected fault if
any. Only the method, path, status, platform and duration are written: never headers, query
strings or bodies, so no credential reaches the log.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from .faults import Exchange


def line(exchange: Exchange, platform: str | None) -> str:
    """One log line for a finished exchange."""
    fault = f" fault={exchange.fault}" if exchange.fault else ""
    return f"{exchange.method} {exchange.path} {exchange.status} {platform or '-'} {exchange.duration_ms:.1f}ms{fault}"


def printer(platform_for: Callable[[str], str | None], stream: TextIO = sys.stderr) -> Callable[[Exchange], None]:
    """A request-log listener writing `line(...)` to `stream`."""

    def write(exchange: Exchange) -> None:
        print(line(exchange, platform_for(exchange.path)), file=stream, flush=True)

    return write
