"""The generated SDK classes, by what they do: every schema property goes in, comes out and stays secret.

The resource classes and their Args (`sdk/pulumi_dataplatforms/_generated/`) are generated from schema.json
and the resource specs, and `make schema-check` / test_generated.py fail when they are stale, so their
docstrings and fields cannot drift from the schema any more. What generation does not prove is checked here,
by constructing every resource under `pulumi.runtime.set_mocks` with a value for each input property (taken
from schema.json, not from the SDK) and reading what the engine was asked to register:

- every input property is a keyword of the class and reaches the provider under its wire name, nested
  object types too, while the keys of free-form values stay as written; secret inputs arrive as secrets;
- every property (input or output) is a `pulumi.Output` attribute of the resource;
- every secret output and secret input is in `additionalSecretOutputs`;
- the spec's engine flags take effect: an explicit name input deletes before replacing, a minted identity is
  left unknown in a preview, a resource read by id alone has `get(name, id)`, which asks the engine to read;
- the constructor takes `(name, args, opts)` and `(name, opts, **inputs)` as generated Pulumi SDKs do, refuses
  a missing required input ("Missing required property"), an unknown keyword and args mixed with keywords;
- mypy (strict, the repository's configuration) accepts a correct program and rejects a misspelled keyword
  and a value of the wrong type;
- each platform module is either wholly generated or wholly hand-written, and the hand-written one
  re-exports everything its generated module defines.
"""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import importlib
import json
import re
import subprocess
import sys
import typing
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pulumi.output
import pytest
from google.protobuf import json_format
from pulumi.runtime import settings
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks, set_mocks

import pulumi_dataplatforms
from pulumi_dataplatforms._resource import DataPlatformResource, camel, snake
from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.generate.python_sdk import HEADER, PACKAGE_DIR, translate
from pulumi_dataplatforms_provider.hidden_inputs import PREVIEW_KEY
from tests.test_schema import sdk_class

ROOT = Path(__file__).resolve().parent.parent
SCHEMA: dict[str, Any] = json.loads((ROOT / "schema.json").read_text())
RESOURCES: dict[str, Any] = SCHEMA["resources"]
TYPES: dict[str, Any] = SCHEMA["types"]
TOKENS = sorted(RESOURCES)
SPECS = {spec.token: spec for spec in registry.resources()}
SECRET_SIG = "4dabf18193072939515e22adb298388d"
#: `pulumi.Input` is `Union[T, Awaitable[T], "Output[T]"]`; its forward reference resolves with these names.
_INPUT_NAMESPACE = {"Output": pulumi.Output, "T": pulumi.output.T}


# registering under mocks ------------------------------------------------------------------------


class _NoMocks(Mocks):
    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-id", {}

    def call(self, args: MockCallArgs) -> dict[str, Any]:
        raise NotImplementedError(args.token)


class _Recording(MockMonitor):
    """A mock monitor that keeps every RegisterResource request."""

    def __init__(self) -> None:
        super().__init__(_NoMocks())
        self.requests: list[Any] = []

    def RegisterResource(self, request: Any) -> Any:
        self.requests.append(request)
        return super().RegisterResource(request)


@dataclasses.dataclass
class Registration:
    """What the engine was asked to register for one resource."""

    resource: DataPlatformResource
    inputs: dict[str, Any]
    additional_secret_outputs: list[str]
    delete_before_replace: bool


def leave_mock_deployment() -> None:
    """Put back the ambient settings a fresh process has (no engine, no monitor), as `set_mocks` found them.

    Without this, `pulumi.log` in every later test of the session would send to the mock engine
    instead of stderr.
    """
    settings.ROOT.set(None)
    settings.configure(
        settings.Settings(
            stack="stack", project="project", root_directory="root_directory", organization="organization"
        )
    )


def register(build: typing.Callable[[], DataPlatformResource], *, preview: bool = False) -> Registration:
    """Runs `build` in a fresh mock deployment and returns its one registration."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    monitor = _Recording()
    try:
        set_mocks(_NoMocks(), preview=preview, monitor=monitor)
        resource = build()
        loop.run_until_complete(resource.urn.future())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        leave_mock_deployment()
    (request,) = [r for r in monitor.requests if r.type.startswith("pulumi-python:dynamic/")]
    inputs = json_format.MessageToDict(request.object)
    return Registration(resource, inputs, list(request.additionalSecretOutputs), bool(request.deleteBeforeReplace))


# values from the schema --------------------------------------------------------------------------


def _dataclasses_in(hint: Any) -> set[type]:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return {hint}
    found: set[type] = set()
    for argument in typing.get_args(hint):
        found |= _dataclasses_in(argument)
    return found


def sample(prop: dict[str, Any], hint: Any, key: str) -> tuple[Any, Any]:
    """(value the program gives, value the provider must receive) for a property spec of schema.json.

    A nested object type is given as the SDK class the field's hint names (its Args dataclass), with a value
    for each of its properties.
    """
    ref = str(prop.get("$ref", ""))
    if ref.startswith("#/types/"):
        named = TYPES[ref.removeprefix("#/types/")]
        if "enum" in named:
            value = named["enum"][-1]["value"]
            return value, value
        (cls,) = _dataclasses_in(hint)
        return build_args(cls, named["properties"])
    if ref == "pulumi.json#/Any":
        # Free-form: its keys must reach the platform exactly as written (no snake/camel translation).
        value = {"free_form_key": [1, "two"], "camelKey": {"inner_key": True}}
        return value, value
    if "oneOf" in prop:
        return sample(prop["oneOf"][0], hint, key)
    kind = prop["type"]
    if kind == "array":
        given, wire = sample(prop["items"], hint, key)
        return [given], [wire]
    if kind == "object":
        given, wire = sample(prop["additionalProperties"], hint, key)
        return {"some_key": given}, {"some_key": wire}
    value = {"string": f"{key}-value", "integer": 7, "number": 2.5, "boolean": True}[kind]
    return value, value


def build_args(cls: type, props: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """An instance of an Args dataclass with every property of `props`, and the wire dict it must become."""
    hints = typing.get_type_hints(cls, localns=_INPUT_NAMESPACE)
    given, wire = {}, {}
    for key, prop in props.items():
        given[snake(key)], wire[key] = sample(prop, hints[snake(key)], key)
    return cls(**given), wire


def every_input(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(keyword arguments, expected wire inputs) giving every input property of a resource a value."""
    cls = sdk_class(token)
    hints = typing.get_type_hints(cls._args_type, localns=_INPUT_NAMESPACE)
    given, wire = {}, {}
    for key, prop in RESOURCES[token]["inputProperties"].items():
        given[snake(key)], wire[key] = sample(prop, hints[snake(key)], key)
    return given, wire


def unwrap(value: Any) -> Any:
    """A registered value without its secret wrapper."""
    return value["value"] if isinstance(value, dict) and SECRET_SIG in value else value


# the behaviour -----------------------------------------------------------------------------------


@pytest.mark.parametrize("token", TOKENS)
def test_every_input_is_a_keyword_and_reaches_the_provider_under_its_wire_name(token: str) -> None:
    """All input properties as keywords; each arrives camelCase (nested types too), secret inputs as secrets."""
    cls = sdk_class(token)
    given, wire = every_input(token)
    registered = register(lambda: cls("every-input", **given))
    inputs = RESOURCES[token]["inputProperties"]
    for key, expected in wire.items():
        assert key in registered.inputs, f"{key} did not reach the provider: {sorted(registered.inputs)}"
        assert unwrap(registered.inputs[key]) == expected, key
        is_secret = isinstance(registered.inputs[key], dict) and SECRET_SIG in registered.inputs[key]
        assert is_secret == bool(inputs[key].get("secret")), f"{key}: secret on the wire is {is_secret}"
    unexpected = {k for k in registered.inputs if not k.startswith("__")} - set(inputs)
    assert unexpected <= set(RESOURCES[token]["properties"]), f"inputs the schema does not have: {unexpected}"


@pytest.mark.parametrize("token", TOKENS)
def test_the_args_form_registers_what_the_keyword_form_does(token: str) -> None:
    """`Cls(name, ClsArgs(...), opts)` and `Cls(name, opts, **inputs)` send the same inputs."""
    cls = sdk_class(token)
    given, _ = every_input(token)
    by_keywords = register(lambda: cls("same", pulumi.ResourceOptions(), **given))
    by_args = register(lambda: cls("same", cls._args_type(**given), pulumi.ResourceOptions()))
    assert by_args.inputs == by_keywords.inputs


@pytest.mark.parametrize("token", TOKENS)
def test_every_property_is_an_output_attribute(token: str) -> None:
    """Each input and output property of the schema is a `pulumi.Output` attribute, under its snake_case name."""
    cls = sdk_class(token)
    given, _ = every_input(token)
    resource = register(lambda: cls("attributes", **given)).resource
    missing = [
        key
        for key in RESOURCES[token]["properties"]
        if not isinstance(getattr(resource, snake(key), None), pulumi.Output)
    ]
    assert missing == []


@pytest.mark.parametrize("token", TOKENS)
def test_every_secret_is_an_additional_secret_output(token: str) -> None:
    """Secret outputs and secret inputs (kept secret in the outputs too) are in additionalSecretOutputs."""
    cls = sdk_class(token)
    given, _ = every_input(token)
    registered = register(lambda: cls("secrets", **given))
    spec = RESOURCES[token]
    secret = {k for k, v in spec["properties"].items() if v.get("secret")}
    secret |= {k for k, v in spec["inputProperties"].items() if v.get("secret")}
    assert set(registered.additional_secret_outputs) == secret


@pytest.mark.parametrize("token", TOKENS)
def test_an_explicit_name_input_deletes_before_replacing(token: str) -> None:
    """The spec's `name_input`: given, the old resource is deleted before its replacement is created."""
    cls = sdk_class(token)
    name_input = SPECS[token].name_input
    given, _ = every_input(token)
    assert register(lambda: cls("named", **given)).delete_before_replace == (name_input is not None)
    if name_input is not None:
        unnamed = {k: v for k, v in given.items() if k != snake(name_input)}
        assert not register(lambda: cls("unnamed", **unnamed)).delete_before_replace


@pytest.mark.parametrize("token", TOKENS)
def test_a_minted_identity_is_left_unknown_in_a_preview(token: str) -> None:
    """The spec's `mints_identity`: a preview tells the provider not to mint (the value stays unknown)."""
    cls = sdk_class(token)
    given, _ = every_input(token)
    previewed = register(lambda: cls("preview", **given), preview=True)
    assert (PREVIEW_KEY in previewed.inputs) == SPECS[token].mints_identity
    assert PREVIEW_KEY not in register(lambda: cls("up", **given)).inputs


@pytest.mark.parametrize("token", TOKENS)
def test_get_exists_where_the_provider_reads_by_id_and_asks_the_engine_to_read(token: str) -> None:
    """The spec's `readable_by_id`: `Cls.get(name, id)` registers a read (ReadResource) of that id, no create."""
    cls = sdk_class(token)
    assert hasattr(cls, "get") == SPECS[token].readable_by_id
    if not SPECS[token].readable_by_id:
        return
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    monitor = _Recording()
    reads: list[Any] = []
    monitor.ReadResource = lambda request: reads.append(request) or MockMonitor.ReadResource(monitor, request)  # type: ignore[method-assign]
    try:
        set_mocks(_NoMocks(), preview=False, monitor=monitor)
        found = cls.get("found", "org/project/the-id")  # type: ignore[attr-defined]
        loop.run_until_complete(found.urn.future())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        leave_mock_deployment()
    assert not [r for r in monitor.requests if r.type.startswith("pulumi-python:dynamic/")], "a get must not register"
    (read,) = reads
    assert (read.id, read.name) == ("org/project/the-id", "found")
    secret = {k for k, v in RESOURCES[token]["properties"].items() if v.get("secret")}
    assert set(read.additionalSecretOutputs) == secret
    for key in RESOURCES[token]["properties"]:
        assert isinstance(getattr(found, snake(key)), pulumi.Output), key


# the constructor ---------------------------------------------------------------------------------


def test_a_missing_required_input_is_refused_as_generated_sdks_refuse_it() -> None:
    from pulumi_dataplatforms import ardent, eloq

    with pytest.raises(TypeError, match=r"^Missing required property 'region'$"):
        eloq.Cluster("c")
    with pytest.raises(TypeError, match=r"^Missing required property 'region'$"):
        eloq.Cluster("c", zone="us-west-1a")
    with pytest.raises(TypeError, match=r"^Missing required property 'password'$"):
        ardent.PostgresConfig(
            "p", hostname="h", port="5432", username="u", password=None, databases=[ardent.DatabaseArgs(name="d")]
        )
    with pytest.raises(TypeError, match=r"^Missing required property 'region'$"):
        eloq.Cluster("c", eloq.ClusterArgs(region=None))  # type: ignore[arg-type]


def test_unknown_keywords_and_mixed_forms_are_refused() -> None:
    from pulumi_dataplatforms import eloq

    with pytest.raises(TypeError, match=r"^Cluster\(\) got an unexpected keyword argument 'regoin'$"):
        eloq.Cluster("c", regoin="us-west-1")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^Cluster: pass either args or keyword arguments, not both$"):
        eloq.Cluster("c", eloq.ClusterArgs(region="us-west-1"), zone="us-west-1a")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^Cluster: args must be a ClusterArgs$"):
        eloq.Cluster("c", {"region": "us-west-1"})  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^Cluster\(\) got multiple values for argument 'opts'$"):
        eloq.Cluster("c", pulumi.ResourceOptions(), opts=pulumi.ResourceOptions(), region="r")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"^Cluster\(\) takes 3 positional arguments but 4 were given$"):
        eloq.Cluster("c", eloq.ClusterArgs(region="r"), None, None)  # type: ignore[call-overload]


def test_args_and_opts_are_taken_positionally_and_by_keyword() -> None:
    """Today's forms keep working: `(name, args=..., opts=...)`, `(name, None, opts, **inputs)`."""
    from pulumi_dataplatforms import eloq

    args = eloq.ClusterArgs(region="us-west-1")
    protect = pulumi.ResourceOptions(protect=True)
    forms: list[typing.Callable[[], DataPlatformResource]] = [
        lambda: eloq.Cluster("c", args, protect),
        lambda: eloq.Cluster("c", args=args, opts=protect),
        lambda: eloq.Cluster("c", protect, region="us-west-1"),
        lambda: eloq.Cluster("c", opts=protect, region="us-west-1"),
        lambda: eloq.Cluster("c", None, protect, region="us-west-1"),  # type: ignore[call-overload]
    ]
    registered = [register(form) for form in forms]
    assert all(r.inputs["region"] == "us-west-1" for r in registered)
    assert all(r.resource._protect for r in registered)  # type: ignore[attr-defined]


MYPY_PROGRAM = """
import pulumi
from pulumi_dataplatforms import ardent, eloq, spark

cache = eloq.Cluster("a", region="us-west-1", sku=eloq.ClusterSkuArgs(type="dedicated"))
eloq.Cluster("b", eloq.ClusterArgs(region="us-west-1"), pulumi.ResourceOptions(protect=True))
eloq.Cluster("c", pulumi.ResourceOptions(depends_on=[cache]), region=cache.region, sku_id=cache.resolved_sku_id)
host: pulumi.Output[str] = cache.host
skus: pulumi.Output[list[eloq.Sku]] = eloq.get_skus_output(type="dedicated", cloud=pulumi.Output.from_input("aws"))
folder = spark.Folder("f")
spark.Service("s", folder=folder.name, file="quote.xlsx", tags=["a"], timeouts=spark.TimeoutsArgs(create="5m"))
ardent.PostgresConfig(
    "p", hostname="h", port="5432", username="u", password=pulumi.Output.secret("x"),
    databases=[ardent.DatabaseArgs(name="d")],
)
eloq.Cluster("d", regoin="us-west-1")  # error: misspelled keyword
eloq.Cluster("e", region=1)  # error: wrong type
eloq.Cluster("f", region="r", sku=eloq.ClusterSkuArgs(type="huge"))  # error: not a Literal value
port: pulumi.Output[str] = cache.port  # error: the output's type
spark.Folder("g", eloq.ClusterArgs(region="r"))  # error: another resource's args
"""


def test_mypy_checks_keyword_names_and_types(tmp_path: Path) -> None:
    """The overloads make mypy (strict, the repository's config) catch misspelled and mistyped inputs."""
    # A module name of its own: mypy's cache (shared with `make lint`) must not answer for an earlier run's file.
    program = tmp_path / f"sdk_typing_{uuid.uuid4().hex}.py"
    program.write_text(MYPY_PROGRAM)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), str(program)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    errors = {int(m[1]) for m in re.finditer(rf"^{re.escape(str(program))}:(\d+): error:", done.stdout, re.M)}
    expected = {n for n, line in enumerate(MYPY_PROGRAM.splitlines(), 1) if "# error" in line}
    assert errors == expected, done.stdout


# layout ------------------------------------------------------------------------------------------


def platform_modules() -> Iterator[tuple[str, Any, Any]]:
    for name in pulumi_dataplatforms.__all__:
        yield (
            name,
            importlib.import_module(f"pulumi_dataplatforms.{name}"),
            importlib.import_module(f"pulumi_dataplatforms._generated.{name}"),
        )


@pytest.mark.parametrize("platform", pulumi_dataplatforms.__all__)
def test_the_hand_written_module_re_exports_its_generated_module(platform: str) -> None:
    """Everything generated is public under the platform module, as the very same objects."""
    public = importlib.import_module(f"pulumi_dataplatforms.{platform}")
    generated = importlib.import_module(f"pulumi_dataplatforms._generated.{platform}")
    assert set(generated.__all__) <= set(public.__all__)
    for name in generated.__all__:
        assert getattr(public, name) is getattr(generated, name), name


@pytest.mark.parametrize("platform", pulumi_dataplatforms.__all__)
def test_each_file_is_wholly_generated_or_wholly_hand_written(platform: str) -> None:
    """The generated module says so and defines the classes; the hand-written one defines none."""
    generated = (ROOT / PACKAGE_DIR / f"{platform}.py").read_text()
    assert generated.startswith(HEADER)
    hand_written = (ROOT / "sdk" / "pulumi_dataplatforms" / f"{platform}.py").read_text()
    assert "do not edit" not in hand_written
    assert not [node.name for node in ast.parse(hand_written).body if isinstance(node, ast.ClassDef)]


def test_resource_classes_come_from_the_specs() -> None:
    """One class per registered resource, each with the specs' class variables."""
    for token, spec in SPECS.items():
        cls = sdk_class(token)
        assert cls._name_input == (snake(spec.name_input) if spec.name_input else None)
        assert cls._mints_identity == spec.mints_identity
        assert cls._secret_outputs == tuple(snake(name) for name in spec.secret_outputs)
        assert {camel(name) for name in cls._output_names} == set(RESOURCES[token]["properties"]) - set(
            RESOURCES[token]["inputProperties"]
        )


def test_translation_touches_only_property_names() -> None:
    """Docstrings write backticked property names in snake_case; other backticked text (values, wire names) stays."""
    names = {"skuId", "deployMode"}
    assert translate("Give this or `skuId`.", names) == "Give this or `sku_id`."
    assert translate("e.g. `txWithInternalLog`, `us-west-1`", names) == "e.g. `txWithInternalLog`, `us-west-1`"
