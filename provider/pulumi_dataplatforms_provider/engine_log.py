"""The provider's `pulumi.log` messages on the Pulumi CLI: real severities, on the resource's row.

In the dynamic-provider host (`python -m pulumi.dynamic`) the SDK has no engine connection, so
`pulumi.log.info/warn/error` print `info: ...` / `warning: ...` to the host's stderr, and the
engine shows every stderr line of a plugin as an `info#err` diagnostic of the Stack
(pulumi/pulumi#6065): a warning is not counted as one and progress is not on the resource's row.

The engine does start the host with its own address as the last argument
(`pulumi-resource-pulumi-python 127.0.0.1:PORT`, `host.ServerAddr()` in the engine's
`provider_plugin.go`). `install()` connects to that address's `pulumirpc.Engine` service and
puts it behind `pulumi.log`'s engine lookup, so the existing `pulumi.log.*` calls send
`Engine/Log` requests with their severity (and `ephemeral=True` status messages). A request
without a URN gets the URN of the resource the host is serving: the engine sends it in every
Check/Diff/Create/Read/Update/Delete request, which the host keeps in its `request` argument.

Outside such a host (the program, unit tests, a host started without an engine address, as
tests/harness starts it) nothing changes: messages go to stderr as before, and so do they if
the engine stops answering.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

import grpc  # type: ignore[import-untyped]
import pulumi.log
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

HOST_MODULE = "pulumi.dynamic.__main__"
_ADDRESS = re.compile(r"^[\w.\-\[\]:]+:\d+$")
_PREFIX = {engine_pb2.INFO: "info: ", engine_pb2.WARNING: "warning: ", engine_pb2.ERROR: "error: "}
_installed: EngineLog | None = None
_install_lock = threading.Lock()


def engine_address(argv: Sequence[str]) -> str | None:
    """The engine address a plugin was started with: its last argument, `host:port` (None if absent)."""
    args = list(argv[1:])
    if not args or args[-1].startswith("-") or not _ADDRESS.match(args[-1]):
        return None
    if len(args) >= 2 and args[-2] == "--tracing":
        return None
    return args[-1]


def request_urn() -> str:
    """The URN of the engine request this thread is serving in the host ("" when there is none)."""
    frame = sys._getframe(1)
    while frame is not None:
        if "request" in frame.f_code.co_varnames:
            request: Any = frame.f_locals.get("request")
            descriptor = getattr(request, "DESCRIPTOR", None)
            name = str(getattr(descriptor, "full_name", ""))
            if name.startswith("pulumirpc.") and name != "pulumirpc.LogRequest" and hasattr(request, "urn"):
                return str(request.urn)
        frame = frame.f_back  # type: ignore[assignment]
    return ""


class EngineLog:
    """Stands in for the SDK's `EngineStub` in `pulumi.log`: `Log` fills in the URN and falls back to stderr."""

    def __init__(self, address: str) -> None:
        self.address = address
        self._stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))

    def Log(self, log: engine_pb2.LogRequest) -> Any:
        if not log.urn:
            log.urn = request_urn()
        try:
            return self._stub.Log(log, timeout=10)
        except grpc.RpcError:
            if log.severity in _PREFIX:
                print(_PREFIX[log.severity] + log.message, file=sys.stderr)
            return None


def install(argv: Sequence[str] | None = None) -> EngineLog | None:
    """In a dynamic-provider host started by an engine, route `pulumi.log` to that engine (once per process).

    Returns the `EngineLog` in use, or None where messages stay on stderr.
    """
    global _installed
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None) != HOST_MODULE:
        return None
    address = engine_address(sys.argv if argv is None else argv)
    if address is None:
        return None
    with _install_lock:
        if _installed is None:
            engine = EngineLog(address)
            sdk_lookup: Callable[[], Any] = pulumi.log.get_engine
            pulumi.log.get_engine = lambda: sdk_lookup() or engine
            _installed = engine
        return _installed
