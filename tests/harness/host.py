"""`ProviderHost`: the real `python -m pulumi.dynamic` host, driven over gRPC as the engine drives it.

Requests are built with `rpc.serialize_properties` and answers read with
`rpc.deserialize_properties`. The host answers Configure with acceptSecrets=False, so like the
engine we strip secret wrappers from everything we send after that.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .props import PropertyMap, make_secret, normalize, strip_secrets

DIFF_UNKNOWN = provider_pb2.DiffResponse.DIFF_UNKNOWN
DIFF_NONE = provider_pb2.DiffResponse.DIFF_NONE
DIFF_SOME = provider_pb2.DiffResponse.DIFF_SOME


class HostError(Exception):
    """A gRPC call to the provider host failed; `details` is the host's text (often a traceback)."""

    def __init__(self, method: str, urn: str, code: str, details: str) -> None:
        super().__init__(f"{method}({urn}) failed [{code}]: {details}")
        self.method = method
        self.urn = urn
        self.code = code
        self.details = details


@dataclass(frozen=True)
class CheckResult:
    """Checked inputs and `(property, reason)` failures."""

    inputs: PropertyMap
    failures: list[tuple[str, str]]


@dataclass(frozen=True)
class DiffResult:
    """The host's DiffResponse, as plain data."""

    changes: int
    replaces: list[str] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    stables: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


@dataclass(frozen=True)
class ReadResult:
    """Read answer: empty `id` means the resource is gone; `inputs` is None unless returned."""

    id: str
    outputs: PropertyMap
    inputs: PropertyMap | None


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialize a property map exactly as the SDK does (`rpc.serialize_properties`)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
    finally:
        loop.close()


def from_struct(struct: struct_pb2.Struct) -> PropertyMap:
    """Deserialize with `rpc.deserialize_properties`, keeping unknowns and secret wrappers."""
    result: PropertyMap = normalize(rpc.deserialize_properties(struct, keep_unknowns=True))
    return result


class ProviderHost:
    """One `python -u -m pulumi.dynamic` process and a gRPC client for it.

    `calls` lists every `(method, urn)` sent, in order (Configure has urn "").
    """

    def __init__(
        self,
        env: Mapping[str, str],
        cwd: Path,
        stderr_path: Path,
        python: str = sys.executable,
        startup_timeout: float = 30.0,
    ) -> None:
        self.stderr_path = stderr_path
        self.stdout_path = stderr_path.with_suffix(".stdout")
        self.calls: list[tuple[str, str]] = []
        self.accept_secrets = True
        self._lock = threading.Lock()
        stderr_path.parent.mkdir(parents=True, exist_ok=True)
        with self.stdout_path.open("wb") as out, stderr_path.open("ab") as err:
            self.process = subprocess.Popen(
                [python, "-u", "-m", "pulumi.dynamic"],
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
        self.port = self._wait_for_port(startup_timeout)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_GRPC_CHANNEL_OPTIONS)
        grpc.channel_ready_future(self.channel).result(timeout=startup_timeout)
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def _wait_for_port(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            first = self.stdout_path.read_bytes().split(b"\n", 1)
            if len(first) == 2:
                return int(first[0])
            if self.process.poll() is not None:
                raise HostError("start", "", "EXITED", self.stderr_path.read_text(errors="replace"))
            time.sleep(0.02)
        self.process.kill()
        raise HostError("start", "", "TIMEOUT", f"no port on stdout within {timeout}s")

    def _call(self, method: str, urn: str, request: Any) -> Any:
        with self._lock:
            self.calls.append((method.lower(), urn))
        try:
            return getattr(self.stub, method)(request)
        except grpc.RpcError as exc:
            code = exc.code().name if exc.code() is not None else "UNKNOWN"
            raise HostError(method, urn, code, exc.details() or str(exc)) from None

    def _out(self, props: Mapping[str, Any]) -> struct_pb2.Struct:
        return to_struct(props if self.accept_secrets else strip_secrets(dict(props)))

    def configure(self, config: Mapping[str, str], secret_keys: Iterable[str] = ()) -> bool:
        """Send the stack config (namespaced keys, string values); returns acceptSecrets."""
        secret = set(secret_keys)
        args = {k: make_secret(v) if k in secret else v for k, v in config.items()}
        request = provider_pb2.ConfigureRequest(
            variables=dict(config),
            args=to_struct(args),
            acceptSecrets=True,
            acceptResources=True,
            sends_old_inputs=True,
            sends_old_inputs_to_delete=True,
        )
        response = self._call("Configure", "", request)
        self.accept_secrets = bool(response.acceptSecrets)
        return self.accept_secrets

    def check(self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any]) -> CheckResult:
        """Check `news` against `olds` (old *inputs*; empty for a new resource)."""
        request = provider_pb2.CheckRequest(
            urn=urn, name=_name(urn), type=_type(urn), olds=self._out(olds), news=self._out(news)
        )
        response = self._call("Check", urn, request)
        failures = [(f.property, f.reason) for f in response.failures]
        return CheckResult(from_struct(response.inputs), failures)

    def diff(
        self,
        urn: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        old_inputs: Mapping[str, Any],
        ignore_changes: Iterable[str] = (),
    ) -> DiffResult:
        """Diff old *outputs* (`olds`) against checked new inputs."""
        request = provider_pb2.DiffRequest(
            id=id_,
            urn=urn,
            name=_name(urn),
            type=_type(urn),
            olds=self._out(olds),
            news=self._out(news),
            old_inputs=self._out(old_inputs),
            ignoreChanges=list(ignore_changes),
        )
        r = self._call("Diff", urn, request)
        return DiffResult(
            changes=r.changes,
            replaces=list(r.replaces),
            diffs=list(r.diffs),
            stables=list(r.stables),
            delete_before_replace=r.deleteBeforeReplace,
        )

    def create(self, urn: str, props: Mapping[str, Any]) -> tuple[str, PropertyMap]:
        """Create; returns `(id, outputs)`."""
        request = provider_pb2.CreateRequest(urn=urn, name=_name(urn), type=_type(urn), properties=self._out(props))
        response = self._call("Create", urn, request)
        return response.id, from_struct(response.properties)

    def read(self, urn: str, id_: str, props: Mapping[str, Any], inputs: Mapping[str, Any]) -> ReadResult:
        """Read live state (refresh passes old outputs as `props` and old inputs)."""
        request = provider_pb2.ReadRequest(
            id=id_,
            urn=urn,
            name=_name(urn),
            type=_type(urn),
            properties=self._out(props),
            inputs=self._out(inputs),
        )
        response = self._call("Read", urn, request)
        new_inputs = from_struct(response.inputs) if response.HasField("inputs") else None
        return ReadResult(response.id, from_struct(response.properties), new_inputs)

    def update(
        self,
        urn: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        old_inputs: Mapping[str, Any],
        ignore_changes: Iterable[str] = (),
    ) -> PropertyMap:
        """Update in place; returns the new outputs."""
        request = provider_pb2.UpdateRequest(
            id=id_,
            urn=urn,
            name=_name(urn),
            type=_type(urn),
            olds=self._out(olds),
            news=self._out(news),
            old_inputs=self._out(old_inputs),
            ignoreChanges=list(ignore_changes),
        )
        return from_struct(self._call("Update", urn, request).properties)

    def delete(self, urn: str, id_: str, props: Mapping[str, Any], old_inputs: Mapping[str, Any]) -> None:
        """Delete (`props` are the old outputs)."""
        request = provider_pb2.DeleteRequest(
            id=id_,
            urn=urn,
            name=_name(urn),
            type=_type(urn),
            properties=self._out(props),
            old_inputs=self._out(old_inputs),
        )
        self._call("Delete", urn, request)

    def kill(self) -> None:
        """SIGKILL the host (simulates an interrupted deployment)."""
        self.process.kill()
        self.process.wait()

    def close(self) -> None:
        """Close the channel and stop the host."""
        self.channel.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> ProviderHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _type(urn: str) -> str:
    return urn.split("::")[2].rsplit("$", 1)[-1]
