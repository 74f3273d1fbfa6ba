"""Malformed requests to every platform route: a 4xx in the platform's envelope, never a 5xx.

The routes come from the application's own route table (the app is built in-process only to
read it), so a new route is covered as soon as it exists; the requests go over real HTTP to
the emulator process with valid credentials. Per route the corpus holds deeply nested JSON
(100000 levels), truncated JSON, invalid UTF-8, NaN and out-of-range numbers, a 20 MB body
(with and without ``Content-Length``), control characters in every path parameter, wrong JSON
types for every body field (one level of nesting deep), control characters in every field
that names something, and broken form bodies. After each request the next one on the same
keep-alive connection must be answered.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import params
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter, ValidationError

from pulumi_dataplatforms_emulator.app import create_app
from pulumi_dataplatforms_emulator.process import EmulatorProcess, credentials
from pulumi_dataplatforms_emulator.services import SERVICES
from pulumi_dataplatforms_emulator.settings import Settings

PATH_VALUES = {"org_id": "1", "project_id": "147", "key": "reports/q1.csv"}
#: Body fields that name something; they must refuse control characters.
NAME_FIELD = re.compile(r"(name|id|key|email)$", re.IGNORECASE)
CONTROL_VALUES = ("bad\x00name", "bad\x1bname", "bad\nname")
PATH_CONTROL_VALUES = ("bad%00name", "bad%1Bname", "bad%0Aname", "%7F")
WRONG_VALUES: tuple[Any, ...] = ("abc", 12345, 1.5, True, None, [1, "x"], {"k": "v"}, 10**30)
HUGE = 20 * 1024 * 1024
MARKER = "MALFORMED-CORPUS-20MB-MARKER"
JSON_HEADERS = {"Content-Type": "application/json"}
AEROSTACK_CODES = {
    "AUTH_INVALID_KEY",
    "AUTH_INVALID_CREDENTIALS",
    "DB_QUERY_FAILED",
    "RATE_LIMIT_EXCEEDED",
    "VALIDATION_ERROR",
    "INTERNAL_ERROR",
}


@dataclass(frozen=True)
class Route:
    """One method of one platform route, with what its body is."""

    method: str
    template: str
    platform: str
    kind: str | None  # "json", "form" or None
    schema: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    adapter: TypeAdapter[Any] | None = field(default=None, compare=False, hash=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.template}"


def platform_of(template: str) -> str | None:
    owners = [s.name for s in SERVICES if s.implemented and s.owns(template)]
    return owners[0] if owners else None


def describe(route: APIRoute) -> tuple[str | None, dict[str, Any], TypeAdapter[Any] | None]:
    """The body kind of a route, its JSON schema and a validator of JSON bodies."""
    body = route.dependant.body_params
    if not body:
        return None, {}, None
    assert len(body) == 1, f"{route.path}: one body model per route"
    info = body[0].field_info
    annotation = info.annotation
    assert annotation is not None, route.path
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    schema = adapter.json_schema()
    kind = "form" if isinstance(info, params.Form) else "json"
    return kind, schema, adapter


def route_table() -> list[Route]:
    """Every method of every platform route of a freshly built emulator app."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        try:
            routes = []
            for context in iter_route_contexts(app.routes):
                original = context.original_route
                platform = platform_of(str(context.path))
                if platform is None or not isinstance(original, APIRoute):
                    continue
                kind, schema, adapter = describe(original)
                for method in sorted(set(context.methods or ()) - {"HEAD"}):
                    routes.append(Route(method, str(context.path), platform, kind, schema, adapter))
            return routes
        finally:
            app.store.close()


ROUTES = route_table()


# -- bodies from schemas --------------------------------------------------------------------------


def resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with a ``$ref`` or a nullable ``anyOf`` unwrapped to the object it names."""
    if "$ref" in schema:
        return resolve(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return resolve(options[0], defs)
    return schema


def example(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest value a JSON schema accepts (required properties only)."""
    schema = resolve(schema, defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if kind == "string":
        return "sample" + "x" * max(0, int(schema.get("minLength", 0)) - 6)
    if kind in ("integer", "number"):
        return max(1, int(schema.get("minimum", 1)))
    if kind == "boolean":
        return True
    if kind == "array":
        return [example(schema.get("items", {}), defs) for _ in range(int(schema.get("minItems", 0)))]
    properties = schema.get("properties", {})
    return {name: example(properties[name], defs) for name in schema.get("required", [])}


def field_paths(schema: dict[str, Any], defs: dict[str, Any]) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Each property of the body and of its object-typed properties, with its schema."""
    top = resolve(schema, defs)
    for name, sub in top.get("properties", {}).items():
        yield (name,), sub
        inner = resolve(sub, defs)
        for inner_name, inner_sub in inner.get("properties", {}).items():
            yield (name, inner_name), inner_sub


def with_value(base: Any, path: tuple[str, ...], value: Any) -> Any:
    """A copy of ``base`` with ``value`` at ``path`` (missing objects on the way are created)."""
    body = json.loads(json.dumps(base)) if isinstance(base, dict) else {}
    node = body
    for key in path[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[path[-1]] = value
    return body


def is_string(schema: dict[str, Any], defs: dict[str, Any]) -> bool:
    return resolve(schema, defs).get("type") == "string"


# -- the corpus -----------------------------------------------------------------------------------


@dataclass
class Case:
    """One malformed request; ``refused`` says it must get a 4xx (else only: no 5xx)."""

    label: str
    path: str
    content: bytes | Iterator[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    refused: bool = True


def concrete(template: str, tenant: str, override: tuple[str, str] | None = None) -> str:
    """The template with plausible path parameter values (``override``: one parameter's raw value)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if override is not None and name == override[0]:
            return override[1]
        return tenant if name == "tenant" else PATH_VALUES.get(name, f"sample-{name.replace('_', '-')}")

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, template)


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def chunks(total: int) -> Iterator[bytes]:
    """A JSON body of ``total`` bytes in 1 MiB chunks (sent without Content-Length)."""
    head = b'{"x": "' + MARKER.encode()
    yield head
    left = total - len(head) - 2
    while left > 0:
        step = min(left, 1024 * 1024)
        yield b"Z" * step
        left -= step
    yield b'"}'


def huge_body() -> bytes:
    return b"".join(chunks(HUGE))


def json_cases(route: Route, path: str) -> list[Case]:
    """Undecodable and oversized JSON, sent to every route."""
    valid = json.dumps(example(route.schema, route.schema.get("$defs", {})) if route.kind == "json" else {"a": 1})
    raw = [
        ("100000 nested arrays", nested(100_000)),
        ("100000 nested objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000),
        ("900 nested arrays, closed", nested(900)),
        ("truncated JSON", valid.encode()[: max(1, len(valid) // 2)]),
        ("truncated string", b'{"a": "unterminated'),
        ("invalid UTF-8", b'{"name": "\xff\xfe\xfd"}'),
        ("overlong UTF-8", b'{"name": "\xc0\xaf"}'),
        ("lone surrogate", b'{"name": "\\ud800"}'),
        ("NaN", b'{"a": NaN}'),
        ("number out of range", b'{"a": 1e999}'),
    ]
    cases = [Case(label, path, body, JSON_HEADERS) for label, body in raw]
    cases.append(Case("20 MB body", path, huge_body(), JSON_HEADERS))
    return cases


def wrong_type_cases(route: Route, path: str) -> list[Case]:
    """Every body field with values of other JSON types, and control characters in name fields."""
    if route.kind != "json" or route.adapter is None:
        return []
    defs = route.schema.get("$defs", {})
    base = example(route.schema, defs)
    cases = []
    wholes: tuple[Any, ...] = ([], "x", 1, True, None)
    for whole in wholes:
        cases.append(json_case(route, path, f"body {whole!r}", whole))
    for keys, sub in field_paths(route.schema, defs):
        where = ".".join(keys)
        for value in WRONG_VALUES:
            cases.append(json_case(route, path, f"{where}={value!r}", with_value(base, keys, value)))
        if NAME_FIELD.search(keys[-1]) and is_string(sub, defs):
            for text in CONTROL_VALUES:
                body = with_value(base, keys, text)
                cases.append(Case(f"{where}={text!r}", path, json.dumps(body).encode(), JSON_HEADERS))
    return cases


def json_case(route: Route, path: str, label: str, body: Any) -> Case:
    """A JSON body; it must be refused when the route's own body model refuses it."""
    assert route.adapter is not None
    raw = json.dumps(body)
    try:
        route.adapter.validate_json(raw)
        refused = False
    except ValidationError:
        refused = True
    return Case(label, path, raw.encode(), JSON_HEADERS, refused)


def form_cases(route: Route, path: str) -> list[Case]:
    """Broken multipart and urlencoded bodies, and control characters in form fields that name something."""
    if route.kind != "form":
        return []
    boundary = "corpus-boundary"
    multipart = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    cases = [
        Case("garbage multipart", path, b"garbage\r\n", multipart),
        Case("multipart without boundary", path, b"--x\r\n", {"Content-Type": "multipart/form-data"}),
        Case(
            "truncated multipart", path, f'--{boundary}\r\nContent-Disposition: form-data; name="a"'.encode(), multipart
        ),
    ]
    defs = route.schema.get("$defs", {})
    properties = resolve(route.schema, defs).get("properties", {})
    for name, sub in properties.items():
        if not (NAME_FIELD.search(name) and is_string(sub, defs)) or "contentMediaType" in resolve(sub, defs):
            continue
        for text in CONTROL_VALUES:
            parts = []
            for other, other_sub in properties.items():
                value = text if other == name else "sample"
                if "contentMediaType" in resolve(other_sub, defs):
                    header = f'Content-Disposition: form-data; name="{other}"; filename="f.bin"'
                    parts.append(f"--{boundary}\r\n{header}\r\n\r\n".encode() + b"data\r\n")
                else:
                    header = f'Content-Disposition: form-data; name="{other}"'
                    data = value.encode()
                    parts.append(f"--{boundary}\r\n{header}\r\n\r\n".encode() + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            cases.append(Case(f"form {name}={text!r}", path, body, multipart))
    return cases


def path_cases(route: Route, tenant: str) -> list[Case]:
    """Control characters in each path parameter."""
    cases = []
    for name in re.findall(r"\{(\w+)(?::\w+)?\}", route.template):
        for raw in PATH_CONTROL_VALUES:
            path = concrete(route.template, tenant, (name, raw))
            cases.append(Case(f"path {name}={raw}", path, b"{}", JSON_HEADERS))
    return cases


def corpus(route: Route, tenant: str) -> list[Case]:
    path = concrete(route.template, tenant)
    return [
        *json_cases(route, path),
        Case("20 MB body without Content-Length", path, chunks(HUGE), JSON_HEADERS),
        *wrong_type_cases(route, path),
        *form_cases(route, path),
        *path_cases(route, tenant),
    ]


# -- credentials, probes and envelopes ------------------------------------------------------------


def probe(client: httpx.Client, platform: str, env: dict[str, str]) -> httpx.Response:
    """A valid request of the platform."""
    headers = credentials(platform, env)
    if platform == "eloq":
        return client.get("/eloq/api/v1/org-info", headers=headers)
    if platform == "ardent":
        return client.get("/ardent/v1/connectors", headers=headers)
    if platform == "spark":
        return client.get("/spark/api/v1/lookup/getcategories", headers=headers)
    return client.post("/aerostack/v1/db/query", json={"sql": "SELECT 1"}, headers=headers)


def assert_envelope(platform: str, template: str, response: httpx.Response) -> None:
    """The platform's own error body."""
    body = response.json()
    status = response.status_code
    if platform == "eloq":
        assert body == {"code": status, "message": body["message"], "data": None} and body["message"]
    elif platform == "ardent":
        assert set(body) == {"code", "message", "request_id"} and body["message"]
    elif platform == "spark" and template.endswith("/openid-connect/token") and "error" in body:
        assert body["error"] and "error_description" in body
    elif platform == "spark":
        assert body["status"] == "Error"
        assert (body.get("errorCode") and body.get("message")) or body["error"]["additional_details"]
    else:
        assert body["code"] in AEROSTACK_CODES and body["message"]


def client_addr(response: httpx.Response) -> Any:
    """The local address of the connection a response came on."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


def stored_bytes(data_dir: Path) -> Iterator[tuple[Path, bytes]]:
    for path in data_dir.rglob("*"):
        if path.is_file() and path.suffix != ".log":
            yield path, path.read_bytes()


# -- tests ----------------------------------------------------------------------------------------


def test_every_platform_is_covered() -> None:
    assert {r.platform for r in ROUTES} == {s.name for s in SERVICES if s.implemented}
    assert {r.kind for r in ROUTES} >= {"json", "form", None}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_malformed_requests_get_4xx_in_the_envelope_and_keep_the_connection(
    emulator: EmulatorProcess, route: Route
) -> None:
    env = emulator.env()
    headers = credentials(route.platform, env)
    failures: list[str] = []
    with httpx.Client(base_url=emulator.url, timeout=60) as client:
        assert probe(client, route.platform, env).status_code == 200
        for case in corpus(route, env["CSPARK_TENANT"]):
            response = client.request(
                route.method, case.path, content=case.content, headers={**headers, **case.headers}
            )
            after = probe(client, route.platform, env)
            problem = None
            if response.status_code >= 500:
                problem = f"{response.status_code}: {response.text[:200]}"
            elif case.refused and not 400 <= response.status_code < 500:
                problem = f"not refused: {response.status_code}: {response.text[:200]}"
            elif response.status_code >= 400:
                try:
                    assert_envelope(route.platform, route.template, response)
                except (AssertionError, KeyError, TypeError, ValueError) as exc:
                    problem = f"not the platform's envelope ({exc!r}): {response.text[:200]}"
            if problem is None and after.status_code != 200:
                problem = f"the next request got {after.status_code}: {after.text[:200]}"
            if problem is None and client_addr(after) != client_addr(response):
                problem = "the connection was not kept alive"
            if problem is not None:
                failures.append(f"{case.label}: {problem}")
    assert not failures, "\n".join(failures)


def test_a_20mb_body_is_refused_before_anything_is_stored(emulator: EmulatorProcess) -> None:
    env = emulator.env()
    state = emulator.admin.state()
    body = huge_body()
    with httpx.Client(base_url=emulator.url, timeout=60) as client:
        for route in ROUTES:
            if route.kind is None:
                continue
            headers = {**credentials(route.platform, env), **JSON_HEADERS}
            path = concrete(route.template, env["CSPARK_TENANT"])
            response = client.request(route.method, path, content=body, headers=headers)
            assert response.status_code == 413, f"{route.id}: {response.status_code} {response.text[:200]}"
            assert_envelope(route.platform, route.template, response)
    assert emulator.admin.state() == state
    marker = MARKER.encode()
    for file, data in stored_bytes(emulator.data_dir):
        assert len(data) < HUGE // 2, f"{file} holds {len(data)} bytes"
        assert marker not in data, f"{file} holds part of the refused body"
