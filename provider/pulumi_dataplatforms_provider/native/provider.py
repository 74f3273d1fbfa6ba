"""The native provider: the package's resource handlers served by `pulumi.provider.experimental`.

This is the second host of the handlers (the first is `dynamic.DynamicProvider`). The engine's
requests arrive as PropertyValue maps; the adapter turns them into the plain dicts handlers take,
gives them an `Engine` (logical name and URN from the request, which inputs check chose from the
`__defaults` key it records among the inputs and carries into the outputs, as the dynamic adapter
does), and turns the handler's records back into responses, with secrets marked again. Every
handler call runs in a worker thread of the plugin's own pools, so concurrent requests do not
wait for each other: asyncio's default executor has `cpu_count + 4` threads (6 on 2 cores), which
made the 12th of 12 cluster creates wait for the first six, and checks wait behind creates.
Operations that wait on the platform (create, update, delete) get a pool of `LONG_CALLS` threads;
check, diff and read, which return quickly, one of their own.

One plugin process serves one provider (the engine's default `dataplatforms` provider or an
explicit `pulumi.ProviderResource("dataplatforms", ...)`); it keeps one handler per resource type,
configured with that provider's settings. Invoke answers the package's functions (`functions`
in the schema, e.g. `dataplatforms:eloq:getSkus`) with the same settings: the arguments are
checked against the function's inputs model before any request (a bad one is a failure naming it
and its fix), and the result is secret when an argument was or the spec declares it.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    InvokeRequest,
    InvokeResponse,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)
from pulumi.runtime.proto import provider_pb2

from ..checking import unknown_paths, validate
from ..dynamic import DEFAULTS_KEY, program_values
from ..handler import Engine, Handler
from ..registry import functions, resources
from ..settings import MissingSettingError
from ..spec import FunctionSpec, ResourceSpec
from . import config, custom_timeouts, diffs, trace
from .engine_messages import current_urn
from .schema import package_schema_text
from .values import plain_map, secret_keys, to_properties

T = TypeVar("T")

#: Creates, updates and deletes running at once (each may wait minutes for the platform).
LONG_CALLS = 64
#: Checks, diffs and reads running at once.
SHORT_CALLS = 16
_LONG = ThreadPoolExecutor(LONG_CALLS, thread_name_prefix="dataplatforms-long")
_SHORT = ThreadPoolExecutor(SHORT_CALLS, thread_name_prefix="dataplatforms-short")


def resource_type(urn: str) -> str:
    """The resource's type token from its URN (the last `$`-separated part of the type)."""
    parts = urn.split("::", 3)
    return parts[2].rsplit("$", 1)[-1] if len(parts) == 4 else ""


def logical_name(urn: str) -> str:
    """The resource's logical name from its URN."""
    parts = urn.split("::", 3)
    return parts[3] if len(parts) == 4 else ""


def config_changes(changed: bool) -> bool:
    """DiffConfig's `changes` as the wire enum's value, which the SDK's DiffConfig passes on unconverted.

    Its Diff turns a bool into `DIFF_SOME`/`DIFF_NONE`; its DiffConfig does not, so `True` would arrive as 1,
    `DIFF_NONE`, and the engine would keep a provider whose settings changed (an explicit provider's new
    API key would not reach the plugin until some other change).
    """
    value = provider_pb2.DiffResponse.DIFF_SOME if changed else provider_pb2.DiffResponse.DIFF_NONE
    return cast(bool, value)


def defaulted(props: Mapping[str, Any]) -> frozenset[str]:
    """The inputs check chose, as recorded under `__defaults` in `props`."""
    recorded = props.get(DEFAULTS_KEY)
    return frozenset(str(k) for k in recorded) if isinstance(recorded, list) else frozenset()


def carried(props: Mapping[str, Any]) -> dict[str, Any]:
    """The adapter's own key (`__defaults`) of `props`, to carry into what the engine records."""
    return {DEFAULTS_KEY: props[DEFAULTS_KEY]} if DEFAULTS_KEY in props else {}


class DataPlatformsProvider(Provider):
    """Every resource and function of the package's registry, by token, for one provider configuration."""

    def __init__(
        self, specs: Iterable[ResourceSpec] | None = None, function_specs: Iterable[FunctionSpec] | None = None
    ) -> None:
        self._specs: dict[str, ResourceSpec] = {s.token: s for s in (resources() if specs is None else specs)}
        self._functions: dict[str, FunctionSpec] = {
            f.token: f for f in (functions() if function_specs is None else function_specs)
        }
        self._settings = config.ProviderConfig()
        self._handlers: dict[str, Handler[Any]] = {}

    # -- plumbing ---------------------------------------------------------------------------
    def spec(self, urn: str) -> ResourceSpec:
        """The spec of the resource `urn` names (KeyError with the known tokens otherwise)."""
        token = resource_type(urn)
        try:
            return self._specs[token]
        except KeyError:
            raise KeyError(f"unknown resource type {token!r}; this provider has {sorted(self._specs)}") from None

    def handler(self, spec: ResourceSpec) -> Handler[Any]:
        """This provider's handler of `spec`'s resource type, configured with the provider's settings."""
        handler = self._handlers.get(spec.token)
        if handler is None:
            handler = spec.handler()
            handler.configure(self._settings)
            self._handlers[spec.token] = handler
        return handler

    @staticmethod
    async def run(urn: str, pool: ThreadPoolExecutor, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` in a thread of `pool`, with `urn` as the resource `pulumi.log` messages belong to.

        An error naming a setting is raised again naming it the native way (`config.with_native_names`).
        """
        token = current_urn.set(urn)
        try:
            context = contextvars.copy_context()
            return await asyncio.get_running_loop().run_in_executor(pool, lambda: context.run(call, *args))
        except MissingSettingError:
            raise
        except Exception as exc:
            renamed = config.with_native_names(str(exc))
            if renamed == str(exc):
                raise
            raise config.PluginError(renamed) from None
        finally:
            current_urn.reset(token)

    @staticmethod
    def engine(urn: str, props: Mapping[str, Any], preview: bool = False) -> Engine:
        """What the engine knows: the URN, the logical name, the preview flag and `__defaults` of `props`."""
        return Engine(logical_name=logical_name(urn), urn=urn, preview=preview, defaulted=defaulted(props))

    @staticmethod
    def outputs_secrets(spec: ResourceSpec, *given: Mapping[str, PropertyValue]) -> set[str]:
        """The output properties to send as secrets: the declared ones and those that arrived secret."""
        keys: set[str] = {*spec.secret_outputs, *spec.secret_inputs}
        for values in given:
            keys |= secret_keys(values)
        return keys

    # -- schema and configuration -----------------------------------------------------------
    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        trace.record("GetSchema", version=request.version)
        return GetSchemaResponse(schema=package_schema_text())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        trace.record("CheckConfig", urn=request.urn, news=trace.shape(request.new_inputs))
        news = plain_map(request.new_inputs)
        failures = [
            CheckFailure(key, f"{key!r} is not a dataplatforms provider setting; use keys such as 'eloqApiKey'")
            for key in config.unknown_properties(news)
        ]
        secrets = secret_keys(request.new_inputs) | config.secret_properties()
        return CheckResponse(inputs=to_properties(news, secrets), failures=failures)

    async def diff_config(self, request: DiffRequest) -> DiffResponse:
        trace.record("DiffConfig", urn=request.urn)
        olds, news = plain_map(request.old_state), plain_map(request.new_inputs)
        names = [s.provider_property for s in config.all_settings()]
        changed = sorted(name for name in names if olds.get(name) != news.get(name))
        # No detailed diff: the SDK's DiffConfig cannot send one (it reads `PropertyDiff.inputDiff`).
        return DiffResponse(changes=config_changes(bool(changed)), diffs=changed)

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        trace.record(
            "Configure",
            args=trace.shape(request.args),
            variables=sorted(request.variables),
            accept_secrets=request.accept_secrets,
        )
        values = config.settings_values(plain_map(request.args))
        self._settings = config.ProviderConfig(values)
        self._handlers = {}
        # No preview support: during a preview the engine does not call Create/Update at all.
        return ConfigureResponse(accept_secrets=True, supports_preview=False, accept_resources=False)

    # -- functions --------------------------------------------------------------------------
    async def invoke(self, request: InvokeRequest) -> InvokeResponse:
        trace.record("Invoke", token=request.tok, args=trace.shape(request.args))
        spec = self._functions.get(request.tok)
        if spec is None:
            raise KeyError(f"unknown function {request.tok!r}; this provider has {sorted(self._functions)}")
        args = plain_map(request.args)
        unknown = [CheckFailure(".".join(map(str, path)), "is not known yet") for path in unknown_paths(args)]
        arguments, failures = validate(spec.inputs, args)
        if unknown or failures or arguments is None:
            return InvokeResponse(failures=unknown + [CheckFailure(f.property, f.reason) for f in failures])
        try:
            result = await self.run("", _SHORT, spec.call, self._settings.config, arguments)
        except MissingSettingError as exc:
            raise ValueError(f"{spec.token}: {config.missing_setting(exc.setting)}") from None
        outputs = result.model_dump(mode="json", by_alias=True)
        secrets = set(outputs) if secret_keys(request.args) else set(spec.secret_outputs)
        return InvokeResponse(return_value=to_properties(outputs, secrets))

    # -- resources --------------------------------------------------------------------------
    async def check(self, request: CheckRequest) -> CheckResponse:
        trace.record(
            "Check", urn=request.urn, olds=trace.shape(request.old_inputs), news=trace.shape(request.new_inputs)
        )
        spec = self.spec(request.urn)
        olds, news = plain_map(request.old_inputs), plain_map(request.new_inputs)
        engine = self.engine(request.urn, olds)
        result = await self.run(
            request.urn, _SHORT, self.handler(spec).check, program_values(olds), program_values(news), engine
        )
        inputs = dict(result.inputs)
        if result.defaulted is not None:
            inputs[DEFAULTS_KEY] = list(result.defaulted)
        secrets = secret_keys(request.new_inputs) | set(spec.secret_inputs)
        return CheckResponse(
            inputs=to_properties(inputs, secrets),
            failures=[
                CheckFailure(config.setting_property(f.property), config.with_native_names(f.reason))
                for f in result.failures
            ],
        )

    async def diff(self, request: DiffRequest) -> DiffResponse:
        trace.record("Diff", urn=request.urn, id=request.resource_id, ignore_changes=list(request.ignore_changes))
        spec = self.spec(request.urn)
        olds, news = plain_map(request.old_state), plain_map(request.new_inputs)
        state, inputs = program_values(olds), program_values(news)
        engine = self.engine(request.urn, news)
        result = await self.run(
            request.urn, _SHORT, self.handler(spec).diff, request.resource_id, state, inputs, engine
        )
        return diffs.detailed(result, state, inputs, spec.inputs)

    async def create(self, request: CreateRequest) -> CreateResponse:
        trace.record("Create", urn=request.urn, timeout=request.timeout, preview=request.preview)
        spec = self.spec(request.urn)
        props = plain_map(request.properties)
        if request.preview:  # not asked for (supports_preview=False), answered without side effects
            return CreateResponse(resource_id="", properties=request.properties)
        inputs = program_values(props)
        given = custom_timeouts.apply(inputs, spec.inputs, "create", request.timeout)
        engine = self.engine(request.urn, props, request.preview)
        result = await self.run(request.urn, _LONG, self.handler(spec).create, given, engine)
        outs = {**carried(props), **custom_timeouts.restore(result.outs or {}, inputs)}
        return CreateResponse(result.id, to_properties(outs, self.outputs_secrets(spec, request.properties)))

    async def read(self, request: ReadRequest) -> ReadResponse:
        trace.record(
            "Read",
            urn=request.urn,
            id=request.resource_id,
            properties=trace.shape(request.properties),
            inputs=trace.shape(request.inputs),
        )
        spec = self.spec(request.urn)
        props, given_inputs = plain_map(request.properties), plain_map(request.inputs)
        if not props and not given_inputs and not spec.readable_by_id:
            # An import: the handler would answer the empty state it was given as the resource's.
            raise ValueError(f"{spec.token} cannot be read from its id alone, so it cannot be imported")
        engine = self.engine(request.urn, props or given_inputs)
        result = await self.run(
            request.urn, _SHORT, self.handler(spec).read, request.resource_id, program_values(props), engine
        )
        if not result.id:
            return ReadResponse(resource_id="", properties={}, inputs={})
        secrets = self.outputs_secrets(spec, request.properties, request.inputs)
        outs = {**carried(props), **(result.outs or {})}
        recorded = carried(given_inputs or props)
        inputs = given_inputs if result.inputs is None else {**recorded, **result.inputs}
        return ReadResponse(
            resource_id=result.id,
            properties=to_properties(outs, secrets),
            inputs=to_properties(inputs, secret_keys(request.inputs) | set(spec.secret_inputs)),
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        trace.record(
            "Update", urn=request.urn, id=request.resource_id, timeout=request.timeout, preview=request.preview
        )
        spec = self.spec(request.urn)
        olds, news = plain_map(request.olds), plain_map(request.news)
        if request.preview:  # not asked for (supports_preview=False), answered without side effects
            return UpdateResponse(properties={**request.olds, **request.news})
        state, inputs = program_values(olds), program_values(news)
        given = custom_timeouts.apply(inputs, spec.inputs, "update", request.timeout)
        engine = self.engine(request.urn, news, request.preview)
        result = await self.run(
            request.urn, _LONG, self.handler(spec).update, request.resource_id, state, given, engine
        )
        outs = {**state, **inputs} if result.outs is None else result.outs
        outs = {**carried(news), **custom_timeouts.restore(outs, inputs)}
        return UpdateResponse(to_properties(outs, self.outputs_secrets(spec, request.olds, request.news)))

    async def delete(self, request: DeleteRequest) -> None:
        trace.record("Delete", urn=request.urn, id=request.resource_id, timeout=request.timeout)
        spec = self.spec(request.urn)
        props = plain_map(request.properties)
        given = custom_timeouts.apply(program_values(props), spec.inputs, "delete", request.timeout)
        await self.run(
            request.urn, _LONG, self.handler(spec).delete, request.resource_id, given, self.engine(request.urn, props)
        )
