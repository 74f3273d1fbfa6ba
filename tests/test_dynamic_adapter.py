"""Handlers see clean inputs and an `Engine`; the dynamic-provider adapter owns the engine's keys.

A handler is driven here as a second host would drive it (no `__` key anywhere), against the
emulator; and the adapter's translation is checked on a recording handler: what the handler is
given holds no engine key, what the adapter answers carries them back (`__defaults` exactly when
the handler reports what check chose), and the pickled adapter names its class and nothing else.
"""

from __future__ import annotations

import ast
import inspect
import pickle
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.dynamic import ENGINE_KEYS, DynamicProvider
from pulumi_dataplatforms_provider.eloq.cluster import ClusterHandler
from pulumi_dataplatforms_provider.handler import Engine, Handler
from pulumi_dataplatforms_provider.protocol import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult
from scripts.cli_stack import platform_config

PROVIDER_ROOT = Path(__file__).resolve().parents[1] / "provider" / "pulumi_dataplatforms_provider"
ENGINE = {
    "__provider": "pickled",
    "__logicalName": "db",
    "__urn": "urn:pulumi:dev::proj::pulumi-python:dynamic/eloq:Cluster::db",
    "__organization": "org",
}


class Recording(Handler[object]):
    """Answers with what it was given, so the test sees both sides of the adapter."""

    seen: list[tuple[str, dict[str, Any], Engine]]
    defaulted: list[str] | None = ["name"]

    def __init__(self) -> None:
        super().__init__()
        self.seen = []

    def check(self, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> CheckResult:
        self.seen.append(("check", {**olds, **news}, engine))
        return CheckResult({**news, "name": "db-1234567"}, [], self.defaulted)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> DiffResult:
        self.seen.append(("diff", {**olds, **news}, engine))
        return DiffResult(changes=False)

    def create(self, inputs: dict[str, Any], engine: Engine) -> CreateResult:
        self.seen.append(("create", inputs, engine))
        return CreateResult("id-1", {**inputs, "host": "h"})

    def read(self, id_: str, state: dict[str, Any], engine: Engine) -> ReadResult:
        self.seen.append(("read", state, engine))
        return ReadResult(id_ if state.get("present", True) else "", {**state, "host": "h2"}, {"region": "r"})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any], engine: Engine) -> UpdateResult:
        self.seen.append(("update", {**olds, **news}, engine))
        return UpdateResult({**olds, **news})

    def delete(self, id_: str, state: dict[str, Any], engine: Engine) -> None:
        self.seen.append(("delete", state, engine))


class RecordingProvider(DynamicProvider[Recording]):
    handler_class = Recording


def test_the_handler_sees_no_engine_key_and_gets_them_as_an_engine() -> None:
    adapter = RecordingProvider()
    checked = adapter.check({"name": "old", "__defaults": ["name"]}, {**ENGINE, "__preview": True, "region": "r"})
    op, given, engine = adapter.handler.seen[-1]
    assert not set(given) & ENGINE_KEYS, given
    assert engine == Engine("db", ENGINE["__urn"], "org", preview=True, defaulted=frozenset({"name"}))
    assert checked.inputs == {**ENGINE, "region": "r", "name": "db-1234567", "__defaults": ["name"]}

    adapter.handler.defaulted = None  # a resource whose check never chooses an input records no __defaults
    assert "__defaults" not in adapter.check({}, {**ENGINE, "region": "r"}).inputs

    props = dict(checked.inputs)
    created = adapter.create(props)
    assert created.outs == {**props, "host": "h"}
    assert adapter.handler.seen[-1][2].chose("name") and not set(adapter.handler.seen[-1][1]) & ENGINE_KEYS

    read = adapter.read("id-1", dict(created.outs or {}))
    assert read.inputs == {**ENGINE, "__defaults": ["name"], "region": "r"}
    assert (read.outs or {})["host"] == "h2" and (read.outs or {})["__logicalName"] == "db"
    gone = adapter.read("id-1", {**ENGINE, "present": False})
    assert (gone.id, gone.outs) == ("", {"present": False, "host": "h2"}), "a gone resource gets no engine keys"

    updated = adapter.update("id-1", dict(created.outs or {}), {**props, "timeouts": {"create": "1m"}})
    assert updated.outs is not None and updated.outs["timeouts"] == {"create": "1m"}
    assert {k: updated.outs[k] for k in ENGINE_KEYS & set(updated.outs)} == {**ENGINE, "__defaults": ["name"]}
    assert adapter.diff("id-1", props, props).changes is False
    adapter.delete("id-1", dict(created.outs or {}))
    for op, given, _ in adapter.handler.seen:
        assert not set(given) & ENGINE_KEYS, (op, given)


def test_every_resource_pickles_as_a_reference_to_its_adapter_and_unpickles_with_its_handler() -> None:
    for spec in registry.resources():
        adapter = spec.provider()
        assert isinstance(adapter, DynamicProvider) and isinstance(adapter.handler, spec.handler)
        data = pickle.dumps(adapter)
        assert spec.provider.__name__.encode() in data and spec.handler.__name__.encode() not in data
        assert isinstance(pickle.loads(data).handler, spec.handler)  # noqa: S301 (our own bytes)


def test_no_handler_module_knows_the_engine_keys_or_pulumi_dynamic() -> None:
    """Only the adapter and the SDK's hidden-input names speak of `__provider`, `__defaults`, ..."""
    allowed = {"dynamic.py", "hidden_inputs.py"}
    for path in PROVIDER_ROOT.rglob("*.py"):
        if path.name in allowed or "generate" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value not in ENGINE_KEYS, f"{path}:{node.lineno} names {node.value!r}"
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.startswith("pulumi.dynamic") for n in names), f"{path}:{node.lineno}"


def test_a_handler_runs_a_cluster_lifecycle_with_no_engine_key(emulator: EmulatorProcess) -> None:
    """As a host other than the dynamic one drives it: plain inputs, an Engine, the records back."""
    handler = ClusterHandler()
    plain, secret = platform_config(emulator.env())
    handler.configure(ConfigureRequest(Config({**plain, **secret}, "tests")))
    engine = Engine(logical_name="Orders Cache")
    checked = handler.check({}, {"region": "us-west-1", "skuId": 101, "timeouts": {"create": "20s"}}, engine)
    assert not checked.failures and checked.defaulted == ["name", "zone"]
    assert checked.inputs["name"].startswith("orders-cache-") and checked.inputs["zone"] == "us-west-1a"
    created = handler.create(checked.inputs, Engine(defaulted=frozenset(checked.defaulted)))
    outs = dict(created.outs or {})
    assert not set(outs) & ENGINE_KEYS and outs["status"] == "available"
    assert created.id.endswith("/" + checked.inputs["name"])
    read = handler.read(created.id, outs, Engine())
    assert read.id == created.id and (read.outs or {})["host"] == outs["host"]
    handler.delete(created.id, outs, Engine())
    assert handler.read(created.id, outs, Engine()).id == ""


@pytest.mark.parametrize("spec", registry.resources(), ids=lambda s: s.token)
def test_every_handler_operation_has_the_handler_protocol_signature(spec: Any) -> None:
    for operation in ("check", "diff", "create", "read", "update", "delete"):
        mine, protocol = getattr(spec.handler, operation), getattr(Handler, operation)
        given = list(inspect.signature(mine).parameters)
        assert len(given) == len(inspect.signature(protocol).parameters), f"{spec.token}.{operation}{given}"
