"""`pulumi.log` in the plugin: messages go to the engine, on the row of the resource being served.

The engine starts the plugin with its own address as an argument (`server.main` reads it). The
handlers' `pulumi.log.*` calls run in worker threads, where `engine_log.request_urn`'s frame
walk finds no gRPC request, so the adapter keeps the URN of the request being served in a
context variable (the adapter runs each call in a copy of its context) and fills it in here.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Sequence
from typing import Any

import pulumi.log
from pulumi.runtime.proto import engine_pb2

from ..engine_log import EngineLog, engine_address

current_urn: contextvars.ContextVar[str] = contextvars.ContextVar("dataplatforms_native_urn", default="")


class NativeEngineLog(EngineLog):
    """`EngineLog` with the URN of the request the calling task or thread serves."""

    def Log(self, log: engine_pb2.LogRequest) -> Any:
        if not log.urn:
            log.urn = current_urn.get()
        return super().Log(log)


def install(argv: Sequence[str]) -> NativeEngineLog | None:
    """Route `pulumi.log` to the engine whose address is among `argv` (None: messages stay on stderr)."""
    address = next((a for a in reversed(argv[1:]) if engine_address(["", a])), None)
    if address is None:
        return None
    engine = NativeEngineLog(address)
    sdk_lookup: Callable[[], Any] = pulumi.log.get_engine
    pulumi.log.get_engine = lambda: sdk_lookup() or engine
    return engine
