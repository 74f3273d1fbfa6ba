"""The dynamic-provider adapter: a handler served to `python -m pulumi.dynamic` through property dicts.

The SDK pickles a `DynamicProvider` into each resource's `__provider` input; the host unpickles it,
calls `configure`, then `check(olds, news)`, `create(props)`, ... with dicts that mix the program's
inputs with the engine's and the SDK's bookkeeping keys. This adapter owns those keys: it takes
them out before calling the handler (as an `Engine`: logical name, URN, organization, preview,
which inputs check chose) and puts them back into what the handler answers, so the recorded
state keeps them (`__defaults` included) exactly as the handler-per-key code of 0.1.0 did.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from .handler import Engine, Handler
from .hidden_inputs import ORGANIZATION_KEY, PREVIEW_KEY, URN_KEY
from .protocol import CheckResult, ConfigureRequest, CreateResult, DiffResult, ReadResult, UpdateResult

HandlerT = TypeVar("HandlerT", bound=Handler[Any])

PROVIDER_KEY = "__provider"
LOGICAL_NAME_KEY = "__logicalName"
#: The inputs check chose (`CheckResult.defaulted`), recorded among the inputs and outputs.
DEFAULTS_KEY = "__defaults"
ENGINE_KEYS = frozenset({PROVIDER_KEY, DEFAULTS_KEY, LOGICAL_NAME_KEY, PREVIEW_KEY, URN_KEY, ORGANIZATION_KEY})


def program_values(props: Mapping[str, Any]) -> dict[str, Any]:
    """`props` without the engine's keys: the inputs (or state) a handler sees."""
    return {k: v for k, v in props.items() if k not in ENGINE_KEYS}


def engine_keys(props: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's and the SDK's bookkeeping among `props`, carried into what the host records."""
    return {k: v for k, v in props.items() if k in ENGINE_KEYS}


def engine_of(props: Mapping[str, Any], defaulted_by: Mapping[str, Any] | None = None) -> Engine:
    """What the engine knows, from the keys of `props` (and `__defaults` of `defaulted_by`, default `props`)."""
    urn, organization = props.get(URN_KEY), props.get(ORGANIZATION_KEY)
    defaulted = (props if defaulted_by is None else defaulted_by).get(DEFAULTS_KEY) or ()
    return Engine(
        logical_name=str(props.get(LOGICAL_NAME_KEY) or ""),
        urn=urn if isinstance(urn, str) else None,
        organization=organization if isinstance(organization, str) else None,
        preview=props.get(PREVIEW_KEY) is True,
        defaulted=frozenset(str(key) for key in defaulted),
    )


class DynamicProvider(Generic[HandlerT]):
    """A handler as a dynamic provider: what the SDK pickles and the dynamic-provider host drives.

    Subclasses name their handler class (`handler_class`); the pickled object carries no state at
    all, so a stack's recorded `__provider` stays valid while the handler's code changes.
    """

    handler_class: ClassVar[type[Handler[Any]]]
    #: The pickled provider in a resource's state is a secret (Pulumi's dynamic-provider default).
    serialize_as_secret_always: ClassVar[bool] = True

    def __init__(self) -> None:
        self.handler: HandlerT = self.handler_class()  # type: ignore[assignment]

    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        self.handler = self.handler_class()  # type: ignore[assignment]

    def configure(self, req: ConfigureRequest) -> None:
        self.handler.configure(req)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = self.handler.check(program_values(olds), program_values(news), engine_of(news, olds))
        carried = {k: v for k, v in engine_keys(news).items() if k not in (DEFAULTS_KEY, PREVIEW_KEY)}
        inputs = {**carried, **result.inputs}
        if result.defaulted is not None:
            inputs[DEFAULTS_KEY] = list(result.defaulted)
        return CheckResult(inputs, result.failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return self.handler.diff(id_, program_values(olds), program_values(news), engine_of(news))

    def create(self, props: dict[str, Any]) -> CreateResult:
        result = self.handler.create(program_values(props), engine_of(props))
        return CreateResult(result.id, {**engine_keys(props), **(result.outs or {})})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        result = self.handler.read(id_, program_values(props), engine_of(props))
        if not result.id:
            return ReadResult(result.id, result.outs if result.outs is not None else {}, result.inputs)
        carried = engine_keys(props)
        inputs = None if result.inputs is None else {**carried, **result.inputs}
        return ReadResult(result.id, {**carried, **(result.outs or {})}, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        result = self.handler.update(id_, program_values(olds), program_values(news), engine_of(news))
        return UpdateResult(None if result.outs is None else {**engine_keys(news), **result.outs})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.handler.delete(id_, program_values(props), engine_of(props))
