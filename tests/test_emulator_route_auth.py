"""Every platform route of the emulator refuses a missing and a wrong credential, in the platform's envelope.

The routes come from the application's own route table (the app is built in-process only to
read it); the requests go over real HTTP to the emulator process. A route is exempt only when
:data:`PUBLIC` names it with the reason, so a new route is covered as soon as it exists.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import TypeAdapter

from pulumi_dataplatforms_emulator.app import create_app
from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_emulator.services import SERVICES
from pulumi_dataplatforms_emulator.settings import Settings

#: Routes anyone may call, by path template (a trailing ``/*`` covers the subtree), with the reason.
PUBLIC: dict[str, str] = {
    "/healthz": "the emulator's liveness probe, not part of any platform's API",
    "/_admin/*": "the emulator's test controls (reset, faults, state), not part of any platform's API",
    "/openapi.json": "the emulator's OpenAPI document",
    "/docs": "the emulator's interactive API docs",
    "/docs/oauth2-redirect": "the interactive docs' OAuth2 redirect page",
    "/redoc": "the emulator's API reference",
    "/spark/health": "Spark's health check is unauthenticated",
    "/spark/auth/realms/{realm}/protocol/openid-connect/token": (
        "Spark's OAuth2 token endpoint: the client credentials are the form body it exchanges for a token"
    ),
    "/aerostack/files/{tenant}/{key:path}": "Aerostack's object URLs are public, as a CDN serves them",
}

SPARK_TENANT = "emulator"
PATH_VALUES = {"org_id": "1", "project_id": "147", "key": "reports/q1.csv"}
WRONG = "wrong-credential-0000"


@dataclass(frozen=True)
class Route:
    """One method of one route, with a JSON body its handler accepts (None when it takes no model)."""

    method: str
    template: str
    body: Any

    @property
    def id(self) -> str:
        return f"{self.method} {self.template}"


def route_table() -> list[Route]:
    """Every method of every route of a freshly built emulator app."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        try:
            routes = []
            for context in iter_route_contexts(app.routes):
                original = context.original_route
                body = valid_body(original) if isinstance(original, APIRoute) else None
                for method in sorted(set(context.methods or ()) - {"HEAD"}):
                    routes.append(Route(method, str(context.path), body))
            return routes
        finally:
            app.store.close()


def valid_body(route: APIRoute) -> Any:
    """A minimal body that passes the route's body model, checked against that model."""
    params = route.dependant.body_params
    if not params:
        return None
    if len(params) > 1:
        raise NotImplementedError(f"{route.path}: embedded bodies of several models")
    annotation = params[0].field_info.annotation
    assert annotation is not None, route.path
    adapter: TypeAdapter[Any] = TypeAdapter(annotation)
    schema = adapter.json_schema()
    body = example(schema, schema.get("$defs", {}))
    adapter.validate_json(json.dumps(body))
    return body


def example(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest value a JSON schema accepts (required properties only)."""
    if "$ref" in schema:
        return example(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0], defs)
    kind = schema.get("type", "object")
    scalars: dict[str, Callable[[], Any]] = {
        "string": lambda: "sample" + "x" * max(0, int(schema.get("minLength", 0)) - 6),
        "integer": lambda: max(1, int(schema.get("minimum", 1))),
        "number": lambda: max(1.0, float(schema.get("minimum", 1))),
        "boolean": lambda: True,
        "null": lambda: None,
    }
    if kind in scalars:
        return scalars[kind]()
    if kind == "array":
        return [example(schema.get("items", {}), defs) for _ in range(int(schema.get("minItems", 0)))]
    properties = schema.get("properties", {})
    return {name: example(properties[name], defs) for name in schema.get("required", [])}


def is_public(template: str) -> bool:
    return any(template == key or (key.endswith("/*") and template.startswith(key[:-1])) for key in PUBLIC)


ROUTES = route_table()
PROTECTED = [r for r in ROUTES if not is_public(r.template)]


def concrete(template: str) -> str:
    """The template with plausible path parameter values."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return SPARK_TENANT if name == "tenant" else PATH_VALUES.get(name, f"sample-{name.replace('_', '-')}")

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, template)


def platform_of(template: str) -> str:
    owners = [s.name for s in SERVICES if s.implemented and s.owns(template)]
    assert len(owners) == 1, f"{template} belongs to {owners or 'no platform'}: classify it in PUBLIC or a platform"
    return owners[0]


# -- credentials ----------------------------------------------------------------------------------

Headers = dict[str, str]
Signer = Callable[[str, str, bytes], Headers]


def ardent_signed(public_key: str, secret: str) -> Signer:
    """HMAC headers as the Ardent clients send them, under the given key pair."""

    def sign(method: str, path: str, raw: bytes) -> Headers:
        timestamp = str(int(time.time()))
        api_path = path.removeprefix("/ardent")
        message = f"{timestamp}{method}{api_path}{raw.decode()}"
        signature = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
        return {"X-API-Key": public_key, "X-Signature": signature, "X-Timestamp": timestamp}

    return sign


def fixed(headers: Headers) -> Signer:
    return lambda _method, _path, _raw: headers


def wrong_credentials(platform: str, env: dict[str, str]) -> dict[str, Signer]:
    """Each platform's credential schemes, presented with a wrong secret."""
    if platform == "eloq":
        return {"api key": fixed({"Authorization": WRONG})}
    if platform == "ardent":
        return {
            "bearer key": fixed({"Authorization": f"Bearer {WRONG}"}),
            "unknown hmac key": ardent_signed(WRONG, env["ARDENT_SECRET_KEY"]),
            "bad hmac signature": ardent_signed(env["ARDENT_PUBLIC_KEY"], WRONG),
        }
    if platform == "spark":
        tenant = {"x-tenant-name": env["CSPARK_TENANT"]}
        return {
            "api key": fixed({**tenant, "x-synthetic-key": WRONG}),
            "bearer token": fixed({**tenant, "Authorization": f"Bearer {WRONG}"}),
        }
    return {"api key": fixed({"X-Aerostack-Key": WRONG})}


# -- envelopes ------------------------------------------------------------------------------------


def assert_refused_in_envelope(platform: str, template: str, response: httpx.Response) -> None:
    assert response.status_code in (401, 403), f"{response.status_code}: {response.text[:300]}"
    body = response.json()
    status = response.status_code
    if platform == "eloq":
        assert body == {"code": status, "message": body["message"], "data": None} and body["message"]
    elif platform == "ardent":
        assert set(body) == {"code", "message", "request_id"}
        assert body["code"] in ("unauthorized", "forbidden") and body["message"]
    elif platform == "spark" and "/api/v1/" in template:
        assert (body["status"], body["data"]) == ("Error", None) and body["errorCode"] and body["message"]
    elif platform == "spark":
        assert body["status"] == "Error" and body["error"]["error_category"] == "access_error"
    else:
        assert body["code"].startswith("AUTH_") and body["message"]


def send(emulator: EmulatorProcess, route: Route, credential: Signer | None) -> httpx.Response:
    path = concrete(route.template)
    raw = b"" if route.method == "GET" else json.dumps({} if route.body is None else route.body).encode()
    headers = {"Content-Type": "application/json"} if raw else {}
    if credential is not None:
        headers.update(credential(route.method, path, raw))
    return httpx.request(route.method, emulator.url + path, content=raw, headers=headers, timeout=10)


# -- tests ----------------------------------------------------------------------------------------


def test_the_public_table_names_only_existing_routes() -> None:
    templates = {r.template for r in ROUTES}
    for key in PUBLIC:
        if key.endswith("/*"):
            assert any(t.startswith(key[:-1]) for t in templates), key
        else:
            assert key in templates, f"PUBLIC names {key}, which is no route of the emulator"


def test_every_platform_has_protected_routes() -> None:
    platforms = {platform_of(r.template) for r in PROTECTED}
    assert platforms == {s.name for s in SERVICES if s.implemented}
    assert len(PROTECTED) > 50


@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.id)
def test_route_refuses_missing_and_wrong_credentials(emulator: EmulatorProcess, route: Route) -> None:
    platform = platform_of(route.template)
    state = emulator.admin.state()
    assert_refused_in_envelope(platform, route.template, send(emulator, route, None))
    for scheme, credential in wrong_credentials(platform, emulator.env()).items():
        response = send(emulator, route, credential)
        try:
            assert_refused_in_envelope(platform, route.template, response)
        except AssertionError as exc:
            raise AssertionError(f"wrong {scheme}: {exc}") from None
    assert emulator.admin.state() == state, "a refused request must change nothing"


def test_valid_credentials_pass_the_check_the_wrong_ones_fail(emulator: EmulatorProcess) -> None:
    """The wrong credentials above differ from working ones only in the secret."""
    env = emulator.env()
    org_info = Route("GET", "/eloq/api/v1/org-info", None)
    assert send(emulator, org_info, fixed({"Authorization": env["ELOQ_API_KEY"]})).status_code == 200
    connectors = Route("GET", "/ardent/v1/connectors", None)
    good = ardent_signed(env["ARDENT_PUBLIC_KEY"], env["ARDENT_SECRET_KEY"])
    assert send(emulator, connectors, good).status_code == 200
    categories = Route("GET", "/spark/api/v1/lookup/getcategories", None)
    spark = {"x-tenant-name": env["CSPARK_TENANT"], "x-synthetic-key": env["CSPARK_API_KEY"]}
    assert send(emulator, categories, fixed(spark)).status_code == 200
    query = Route("POST", "/aerostack/v1/db/query", {"sql": "SELECT 1"})
    assert send(emulator, query, fixed({"X-Aerostack-Key": env["AEROSTACK_API_KEY"]})).status_code == 200


def test_spark_token_endpoint_refuses_wrong_client_credentials(emulator: EmulatorProcess) -> None:
    url = f"{emulator.url}/spark/auth/realms/{SPARK_TENANT}/protocol/openid-connect/token"
    form = {"grant_type": "client_credentials", "client_id": WRONG, "client_secret": WRONG}
    response = httpx.post(url, data=form, timeout=10)
    assert response.status_code in (400, 401)
    assert response.json()["error"]


def test_every_route_has_its_template_recorded_for_request_counts_and_faults() -> None:
    """Faults and request counts match by route template: a route the app serves without one escapes both."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        try:
            recorded = {template for _, template, _ in app.route_templates}
            prefixes = (*(spec.prefix for spec in SERVICES), "/_admin")
            served = {str(c.path) for c in iter_route_contexts(app.routes) if str(c.path).startswith(prefixes)}
        finally:
            app.store.close()
    assert served - recorded == set()
    assert {"/aerostack/v1/cache/get", "/aerostack/files/{tenant}/{key:path}"} <= recorded
