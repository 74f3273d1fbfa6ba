"""The resource monitor the program talks to: a `MockMonitor` that hands registrations to the engine."""

from __future__ import annotations

from typing import Any, NoReturn

from google.protobuf import empty_pb2
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.settings import get_project, get_stack

from .engine import Engine, make_urn
from .host import from_struct


class UnsupportedMocks(Mocks):
    """`HarnessMonitor` never consults mocks; invokes are not part of the dynamic-provider contract."""

    def call(self, args: MockCallArgs) -> NoReturn:
        raise NotImplementedError(f"invoke {args.token} is not supported by the harness engine")

    def new_resource(self, args: MockResourceArgs) -> NoReturn:
        raise AssertionError(f"unexpected mock registration of {args.typ} {args.name}")


class HarnessMonitor(MockMonitor):
    """Routes RegisterResource / RegisterResourceOutputs into an `Engine`."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(UnsupportedMocks())
        self.engine = engine

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return make_urn(get_stack(), get_project(), parent, type_, name)

    def RegisterResource(self, request: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        response = self.engine.register(request, urn)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, response.id, from_struct(response.object))
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        self.engine.register_outputs(request.urn, from_struct(request.outputs))
        return empty_pb2.Empty()

    def ReadResource(self, request: Any) -> NoReturn:
        raise self.engine.fail(f"{request.type} {request.name}: Resource.get is not supported by the harness")
