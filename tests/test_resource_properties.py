"""Every registered resource's input properties, checked by what the platform does, against the emulator.

For each resource the inputs of its `example` manifest (with values it cannot give: files,
references, secrets as plain strings) create it; then each input property in turn takes another
valid value. When the provider's diff asks for a replacement, a resource with the new value must
be creatable and the platform must hold the value; when it asks for an in-place update, after
`update` the platform must hold the new value and `read` must show it. Properties the platform
does not hold are listed, each with the reason. A resource deleted outside Pulumi must destroy
without error and, where the platform can be read, refresh as gone.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import yaml

from pulumi_dataplatforms_emulator.process import EmulatorProcess
from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.aerostack.sql_migration import checksum
from pulumi_dataplatforms_provider.ardent.configuration import CONFIG_MODELS
from pulumi_dataplatforms_provider.core import APIStatusError
from pulumi_dataplatforms_provider.dynamic import DynamicProvider
from pulumi_dataplatforms_provider.protocol import CreateResult, UpdateResult
from pulumi_dataplatforms_provider.spec import ResourceSpec
from tests.handlers import configured

REPO_ROOT = Path(__file__).resolve().parent.parent
SPECS = {spec.token: spec for spec in registry.resources()}
Provider = DynamicProvider[Any]  # a resource handler as the dynamic-provider host drives it


@dataclass
class Platform:
    """The emulator, a configured handler of the resource under test, and a directory for its files."""

    emulator: EmulatorProcess
    handler: Provider
    workdir: Path

    @property
    def client(self) -> Any:
        return self.handler.handler.client()

    def state(self) -> dict[str, Any]:
        return self.emulator.admin.state()


class Patch(dict[str, Any]):
    """Inputs changed together (None removes one), e.g. `skuId` given in place of `sku`."""


Observer = Callable[[Platform, str, dict[str, Any]], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Case:
    """How to exercise one resource token."""

    #: What the platform holds of the resource with this id and these outputs, by input property; None when gone.
    observe: Observer
    #: Input property -> another valid value (or a Patch of several inputs).
    alternates: Callable[[Path], dict[str, Any]]
    #: Inputs the example manifest cannot give (files, references), laid over its spec.
    overrides: Callable[[Path], dict[str, Any]] = lambda _: {}
    #: Input property -> why the platform does not hold it (only the provider uses it).
    provider_only: dict[str, str] = field(default_factory=dict)
    #: Input property -> how the platform holds a value of it (e.g. a file as its SHA-256).
    held_as: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    #: Input property -> why the platform takes it only with the next change of `publish_property`.
    deferred: dict[str, str] = field(default_factory=dict)
    publish_property: str = ""
    #: Deletes the resource outside Pulumi, or None when the platform offers no way (`cannot_remove` says why).
    remove: Callable[[Platform, str, dict[str, Any]], None] | None = None
    cannot_remove: str = ""
    #: What must exist on the platform before the resource can be created.
    setup: Callable[[Platform], None] = lambda _: None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Any) -> str:
    return sha256(Path(str(path)).read_bytes())


# Eloq ----------------------------------------------------------------------------------------


def eloq_cluster(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    name = id_.rsplit("/", 1)[-1]
    cluster = next((c for c in platform.state()["eloq"]["clusters"] if c["name"] == name), None)
    if cluster is None:
        return None
    return {
        "name": cluster["name"],
        "region": cluster["region"],
        "zone": cluster["zone"],
        "skuId": cluster["sku_id"],
        "sku": {
            "type": cluster["sku_type"],
            "module": cluster["module_type"].lower(),
            "cloud": cluster["cloud_provider"].lower(),
        },
    }


def remove_eloq_cluster(platform: Platform, id_: str, _outs: dict[str, Any]) -> None:
    org, project, name = id_.split("/")
    platform.emulator.admin.eloq_remove(int(org), int(project), name)


TIMEOUTS_REASON = "bounds how long the provider waits; nothing is sent to the platform"

ELOQ = Case(
    observe=eloq_cluster,
    alternates=lambda _: {
        "name": "props-cluster",
        "region": "us-east-1",
        "skuId": Patch(skuId=102, sku=None),
        "sku": {"type": "dedicated", "module": "eloqdoc", "cloud": "gcp"},
        "zone": "us-west-1b",
        "adoptExisting": True,
        "timeouts": {"create": "10m", "delete": "10m"},
    },
    provider_only={
        "adoptExisting": "decides whether create takes over a cluster of the same name; nothing is sent",
        "timeouts": TIMEOUTS_REASON,
    },
    remove=remove_eloq_cluster,
)

# Ardent ----------------------------------------------------------------------------------------


def ardent_config(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    doc = platform.state()["ardent"]["configs"].get(id_)
    if doc is None:
        return None
    model = CONFIG_MODELS[doc["type"]]
    held: dict[str, Any] = {"configId": doc["id"]}
    for name, info in model.model_fields.items():
        if name not in ("type", "config_id"):
            held[info.alias or name] = doc["config"].get(model.wire_names.get(name, name))
    return held


def remove_ardent_config(platform: Platform, id_: str, _outs: dict[str, Any]) -> None:
    assert platform.client.delete_config(id_), "the configuration was not there to delete"


def config_case(overrides: dict[str, Any], alternates: dict[str, Any]) -> Case:
    return Case(
        observe=ardent_config,
        overrides=lambda _: overrides,
        alternates=lambda _: {"configId": "props-config-2", **alternates},
        remove=remove_ardent_config,
    )


DATABASES = [{"name": "analytics-2"}]

ARDENT_CONFIGS = {
    "dataplatforms:ardent:MongoDbConfig": config_case(
        {"connectionString": "mongodb://ardent:pw@mongo.example.com:27017"},
        {
            "connectionString": "mongodb+srv://ardent:pw2@cluster0.example.net",
            "databases": [{"name": "app", "collections": [{"name": "events"}]}],
        },
    ),
    "dataplatforms:ardent:PostgresConfig": config_case(
        {},
        {
            "hostname": "db2.example.com",
            "port": "5433",
            "username": "ardent2",
            "password": "pg-password-2",
            "databases": DATABASES,
        },
    ),
    "dataplatforms:ardent:MySqlConfig": config_case(
        {"host": "shop-db.example.com"},
        {
            "host": "shop-db-2.example.com",
            "port": "3307",
            "username": "reader2",
            "password": "mysql-password-2",
            "databases": DATABASES,
        },
    ),
    "dataplatforms:ardent:SnowflakeConfig": config_case(
        {},
        {
            "account": "ab12345.us-east-1",
            "user": "ARDENT2",
            "password": "snow-password-2",
            "warehouse": "OTHER_WH",
            "databases": DATABASES,
        },
    ),
    "dataplatforms:ardent:AzureSqlServerConfig": config_case(
        {},
        {
            "server": "acme2.database.windows.net",
            "username": "ardent2",
            "password": "azure-password-2",
            "version": "17",
            "databases": DATABASES,
        },
    ),
    "dataplatforms:ardent:SupabaseConfig": config_case(
        {},
        {
            "projectUrl": "https://qrstuvwxyzabcdef.supabase.co",
            "apiKey": "supabase-key-2",
            "databases": [{"name": "public", "tables": [{"name": "invoices"}]}],
        },
    ),
    "dataplatforms:ardent:AirflowConfig": config_case(
        {},
        {
            "githubToken": "ghp_other0000000000000000000000000000",
            "repo": "acme/other-pipelines",
            "dagPath": "dags/v2",
            "host": "https://airflow2.example.com",
            "username": "ardent2",
            "password": "airflow-password-2",
        },
    ),
    "dataplatforms:ardent:DatabricksConfig": config_case(
        {},
        {
            "serverHostname": "adb-2.8.azuredatabricks.net",
            "httpPath": "/sql/1.0/warehouses/ffff",
            "accessToken": "dapi-other-token",
            "catalogs": [{"name": "hive", "databases": [{"name": "ops", "tables": [{"name": "runs"}]}]}],
        },
    ),
    "dataplatforms:ardent:DatabricksJobsConfig": config_case(
        {},
        {
            "workspaceUrl": "https://adb-2.8.azuredatabricks.net",
            "accessToken": "dapi-other-token",
            "githubToken": "ghp_other0000000000000000000000000000",
            "repo": "acme/other-jobs",
            "repoPath": "jobs/v2",
        },
    ),
    "dataplatforms:ardent:TigerBeetleConfig": config_case(
        {}, {"clusterId": "7", "replicaAddresses": ["10.0.1.1:3001"]}
    ),
}


def ardent_connector(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    connector = platform.state()["ardent"]["connectors"].get(id_)
    if connector is None:
        return None
    return {
        "serviceName": connector["service_name"],
        "connectionDetails": connector["connection_details"],
        "name": connector["name"],
        "selectedPaths": connector["selected_paths"],
    }


def ardent_job(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    job = platform.state()["ardent"]["jobs"].get(id_)
    return None if job is None else {"message": job["userMessage"]}


CONNECTOR = Case(
    observe=ardent_connector,
    alternates=lambda _: {
        "serviceName": "mysql",
        "connectionDetails": {"host": "db2.example.com", "port": 3306, "password": "other"},
        "name": "warehouse-postgres-2",
        "selectedPaths": ["public.users"],
        "timeouts": {"create": "5m"},
    },
    provider_only={"timeouts": TIMEOUTS_REASON},
    remove=lambda platform, id_, _: platform.client.delete_connector(id_),
)

JOB = Case(
    observe=ardent_job,
    overrides=lambda _: {"triggers": {"warehouseConfig": "config-1"}},
    alternates=lambda _: {
        "message": "List last week's five largest orders.",
        "safeMode": False,
        "triggers": {"warehouseConfig": "config-2"},
        "timeouts": {"create": "20m"},
    },
    provider_only={
        "safeMode": "sent with the run only; Ardent keeps no record of it",
        "triggers": "only decides when the job runs again; nothing is sent",
        "timeouts": TIMEOUTS_REASON,
    },
    remove=lambda platform, id_, _: platform.client.delete_job(id_),
)

# Spark -----------------------------------------------------------------------------------------


def spark_folder(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    folder = next((f for f in platform.state()["spark"]["folders"].values() if f["id"] == id_), None)
    if folder is None:
        return None
    cover = folder.get("coverImagePath")
    return {
        "name": folder["name"],
        "description": folder["description"],
        "category": folder["category"],
        "startDate": folder["startDate"],
        "launchDate": folder["launchDate"],
        "coverImage": cover.rsplit("/", 1)[-1] if cover else None,
    }


def bump(older: str, newer: str) -> str:
    """Which part of a semantic version changed from `older` to `newer`."""
    parts = list(zip(older.split("."), newer.split("."), strict=True))
    return next(kind for kind, (a, b) in zip(("major", "minor", "patch"), parts, strict=True) if a != b)


def spark_service(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    folder_name, name = id_.split("/", 1)
    docs = platform.state()["spark"]["services"]
    doc = next((d for key, d in docs.items() if key.endswith(f"/{folder_name}/{name}")), None)
    if doc is None:
        return None
    versions = sorted(doc["versions"], key=lambda v: tuple(int(part) for part in v["revision"].split(".")))
    latest = versions[-1]
    tags = latest["tags"]
    return {
        "folder": doc["folder"],
        "name": doc["name"],
        "file": sha256(platform.client.download(folder_name, name, latest["id"])),
        "label": latest["versionLabel"],
        "releaseNotes": latest["releaseNote"],
        "tags": tags.split(",") if isinstance(tags, str) else tags,
        "effectiveStartDate": latest["effectiveStartDate"],
        "effectiveEndDate": latest["effectiveEndDate"],
        "versioning": bump(versions[-2]["revision"], latest["revision"]) if len(versions) > 1 else None,
    }


def workbooks() -> Any:
    """The Spark example's workbook generator."""
    path = REPO_ROOT / "examples" / "spark" / "make_workbooks.py"
    spec = importlib.util.spec_from_file_location("spark_make_workbooks", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def workbook(workdir: Path, name: str, discount_threshold: float) -> str:
    path = workdir / name
    if not path.exists():
        path.write_bytes(workbooks().quote_workbook(discount_threshold))
    return str(path)


def image(workdir: Path, name: str, content: bytes) -> str:
    path = workdir / name
    path.write_bytes(content)
    return str(path)


def spark_folders(platform: Platform) -> None:
    for name in ("pricing", "pricing-other"):
        platform.client.create_folder(name, description="Pricing models", category="Finance")


FOLDER = Case(
    observe=spark_folder,
    overrides=lambda workdir: {"coverImage": image(workdir, "cover-a.png", b"\x89PNG first cover")},
    alternates=lambda workdir: {
        "name": "pricing-2",
        "description": "Pricing models of the whole company",
        "category": "Other",
        "startDate": "2026-02-01",
        "launchDate": "2027-06-01",
        "coverImage": image(workdir, "cover-b.png", b"\x89PNG second cover"),
        "adoptExisting": True,
        "timeouts": {"create": "1m"},
    },
    held_as={"coverImage": lambda path: Path(path).name},
    provider_only={
        "adoptExisting": "decides whether create takes over a folder of the same name; nothing is sent",
        "timeouts": TIMEOUTS_REASON,
    },
    remove=lambda platform, id_, _: platform.client.delete_folder(id_),
)

LATER_VERSIONS = "applies to the versions published from now on; a change alone publishes none"

SERVICE = Case(
    observe=spark_service,
    setup=spark_folders,
    overrides=lambda workdir: {"folder": "pricing", "file": workbook(workdir, "quote.xlsx", 1000.0)},
    alternates=lambda workdir: {
        "folder": "pricing-other",
        "name": "quote-2",
        "file": workbook(workdir, "quote-v2.xlsx", 500.0),
        "versioning": "major",
        "label": "spring prices",
        "releaseNotes": "Volume discount from 20 units",
        "tags": ["pricing", "spring"],
        "effectiveStartDate": "2026-03-01T00:00:00Z",
        "effectiveEndDate": "2026-12-31T00:00:00Z",
        "adoptExisting": True,
        "timeouts": {"create": "5m", "update": "5m"},
    },
    held_as={"file": file_sha256},
    deferred=dict.fromkeys(
        ("versioning", "label", "releaseNotes", "tags", "effectiveStartDate", "effectiveEndDate"), LATER_VERSIONS
    ),
    publish_property="file",
    provider_only={
        "adoptExisting": "decides whether create publishes onto an existing service; nothing is sent",
        "timeouts": TIMEOUTS_REASON,
    },
    remove=lambda platform, id_, _: platform.client.delete_service(*id_.split("/", 1)),
)

# Aerostack -------------------------------------------------------------------------------------


def advance_aerostack_clock(emulator: EmulatorProcess, seconds: float) -> float:
    """Moves the emulator's Aerostack clock forward; returns its offset from real time."""
    response = httpx.post(f"{emulator.url}/_admin/aerostack/clock", json={"advance_seconds": seconds}, timeout=10)
    response.raise_for_status()
    return float(response.json()["offset_seconds"])


def aerostack_store(platform: Platform, prefix: str) -> dict[str, Any]:
    stores = [v for k, v in platform.state()["aerostack"].items() if k.startswith(prefix)]
    assert len(stores) <= 1, "one Aerostack tenant expected"
    return stores[0] if stores else {}


def cache_entry(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    entry = aerostack_store(platform, "cache:").get(id_)
    now = time.time() + advance_aerostack_clock(platform.emulator, 0)
    if entry is None or (entry["expires_at"] is not None and entry["expires_at"] <= now):
        return None
    ttl = None if entry["expires_at"] is None else round((entry["expires_at"] - now) / 10) * 10
    return {"key": id_, "value": entry["value"], "valueJson": entry["value"], "ttl": ttl}


def expire_cache_entry(platform: Platform, id_: str, _outs: dict[str, Any]) -> None:
    platform.client.cache_set(id_, "set elsewhere", 1)
    advance_aerostack_clock(platform.emulator, 2)


def storage_object(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    stored = aerostack_store(platform, "objects:").get(id_)
    if stored is None:
        return None
    return {
        "key": id_,
        "source": stored["sha256"],
        "content": stored["sha256"],
        "contentType": stored["content_type"],
        "fileName": stored["file_name"],
    }


def sql_migration(platform: Platform, id_: str, _outs: dict[str, Any]) -> dict[str, Any] | None:
    table, migration_id = id_.split("/", 1)
    try:
        rows = platform.client.db_query(f'SELECT id, checksum FROM "{table}" WHERE id = ?', [migration_id]).results
    except APIStatusError as exc:
        if "no such table" in exc.message:
            return None
        raise
    if not rows:
        return None
    return {"migrationId": rows[0]["id"], "up": rows[0]["checksum"], "bookkeepingTable": table}


def roll_back_migration(platform: Platform, id_: str, outs: dict[str, Any]) -> None:
    table, migration_id = id_.split("/", 1)
    for statement in outs["down"]:
        platform.client.db_query(statement)
    platform.client.db_query(f'DELETE FROM "{table}" WHERE id = ?', [migration_id])


CACHE_ENTRY = Case(
    observe=cache_entry,
    overrides=lambda _: {"value": {"theme": "light", "signupsOpen": True}},
    alternates=lambda _: {
        "key": "app:settings-2",
        "value": {"theme": "dark", "signupsOpen": False},
        "valueJson": Patch(valueJson='{"theme": "blue"}', value=None),
        "ttl": 3600,
    },
    held_as={"valueJson": json.loads},
    remove=expire_cache_entry,
)

STORAGE_OBJECT = Case(
    observe=storage_object,
    overrides=lambda workdir: {"source": image(workdir, "logo.svg", b"<svg>first</svg>")},
    alternates=lambda workdir: {
        "key": "assets/logo-2.svg",
        "source": image(workdir, "logo-2.svg", b"<svg>second</svg>"),
        "content": Patch(content="<svg>inline</svg>", source=None),
        "contentType": "text/plain",
        "fileName": "logo-as-uploaded.svg",
    },
    held_as={"source": file_sha256, "content": lambda text: sha256(str(text).encode())},
    cannot_remove="Aerostack storage has no delete endpoint, and the emulator no admin route that removes an object",
)

SQL_MIGRATION = Case(
    observe=sql_migration,
    setup=lambda platform: platform.client.db_query(
        "CREATE TABLE users (id TEXT PRIMARY KEY, email TEXT NOT NULL, created_at TEXT NOT NULL)"
    ),
    alternates=lambda _: {
        "migrationId": "002-users-created-at-b",
        "up": ["CREATE INDEX IF NOT EXISTS users_created_at ON users (created_at, id)"],
        "down": ["DROP INDEX IF EXISTS users_created_at", "DELETE FROM users WHERE email = ''"],
        "verify": "SELECT name FROM sqlite_master WHERE name = 'users_created_at'",
        "bookkeepingTable": "_other_migrations",
    },
    held_as={"up": checksum},
    provider_only={
        "down": "statements the provider runs on destroy; the platform stores nothing of them",
        "verify": "a query the provider runs on refresh; the platform stores nothing of it",
    },
    remove=roll_back_migration,
)

CASES: dict[str, Case] = {
    "dataplatforms:eloq:Cluster": ELOQ,
    **ARDENT_CONFIGS,
    "dataplatforms:ardent:Connector": CONNECTOR,
    "dataplatforms:ardent:Job": JOB,
    "dataplatforms:spark:Folder": FOLDER,
    "dataplatforms:spark:Service": SERVICE,
    "dataplatforms:aerostack:CacheEntry": CACHE_ENTRY,
    "dataplatforms:aerostack:StorageObject": STORAGE_OBJECT,
    "dataplatforms:aerostack:SqlMigration": SQL_MIGRATION,
}

# driving the handler ---------------------------------------------------------------------------


def plain_value(reference: Any) -> Any:
    """A `{secret|env|config: name}` reference of a manifest as a plain string; anything else as is."""
    if isinstance(reference, dict):
        if len(reference) == 1 and next(iter(reference)) in ("secret", "env", "config"):
            return f"plain-{next(iter(reference.values()))}"
        return {k: plain_value(v) for k, v in reference.items()}
    if isinstance(reference, list):
        return [plain_value(v) for v in reference]
    return reference


def base_inputs(spec: ResourceSpec, case: Case, workdir: Path) -> dict[str, Any]:
    """The spec of the example manifest's own (last) document, with plain values and the case's overrides."""
    document = list(yaml.safe_load_all(spec.example))[-1]
    return {**plain_value(document["spec"]), **case.overrides(workdir)}


def input_properties(spec: ResourceSpec) -> set[str]:
    """The input model's properties that a program sets (computed ones follow from others)."""
    return set(spec.inputs.model_json_schema(by_alias=True)["properties"]) - set(spec.computed_inputs)


def changed(inputs: dict[str, Any], prop: str, alternate: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """`inputs` with `prop` set to `alternate`, and the inputs that changed."""
    change = dict(alternate) if isinstance(alternate, Patch) else {prop: alternate}
    news = {**inputs, **change}
    return {k: v for k, v in news.items() if v is not None}, change


def outputs_of(result: CreateResult | UpdateResult) -> dict[str, Any]:
    assert result.outs is not None, "the handler returned no outputs"
    return dict(result.outs)


def checked(handler: Provider, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    result = handler.check(olds, news)
    assert not result.failures, [(f.property, f.reason) for f in result.failures]
    return dict(result.inputs)


def create(handler: Provider, inputs: dict[str, Any]) -> tuple[dict[str, Any], CreateResult]:
    """Check then create, as the engine does for a new resource; returns the checked inputs too."""
    news = checked(handler, {}, inputs)
    created = handler.create(news)
    assert created.id, "create returned no id"
    return news, created


def case_of(token: str) -> Case:
    assert token in CASES, f"{token} has no test data in CASES: add its alternate input values and observer"
    return CASES[token]


def platform_for(token: str, emulator: EmulatorProcess, workdir: Path) -> Platform:
    handler = configured(cast(Any, SPECS[token].provider), emulator)
    platform = Platform(emulator, handler, workdir)
    case_of(token).setup(platform)
    return platform


def assert_held(case: Case, prop: str, change: dict[str, Any], held: dict[str, Any] | None) -> None:
    """The platform holds every value of `change` the platform keeps."""
    assert held is not None, f"{prop}: the resource is not on the platform"
    for key, value in change.items():
        if value is None or key in case.provider_only:
            continue
        assert key in held, f"{prop}: the observer does not report {key!r}; list it as provider-only, with why"
        expected = case.held_as.get(key, lambda v: v)(value)
        assert held[key] == expected, f"{prop}: the platform holds {key}={held[key]!r}, not {expected!r}"


class Resources:
    """Resources made during one property's check, each deleted at the end."""

    def __init__(self, handler: Provider) -> None:
        self.handler = handler
        self.live: dict[str, dict[str, Any]] = {}

    def forget(self, id_: str) -> None:
        self.live.pop(id_, None)

    def delete_all(self) -> None:
        for id_, outs in reversed(list(self.live.items())):
            self.handler.delete(id_, outs)
        self.live.clear()


def check_property(platform: Platform, case: Case, base: dict[str, Any], prop: str, alternate: Any) -> None:
    """Change `prop` on a fresh resource, then prove the replacement or the update by the platform."""
    handler = platform.handler
    resources = Resources(handler)
    try:
        inputs, created = create(handler, base)
        resources.live[created.id] = outputs_of(created)
        raw_news, change = changed(base, prop, alternate)
        news = checked(handler, inputs, raw_news)
        diff = handler.diff(created.id, outputs_of(created), news)
        assert diff.changes, f"{prop}: diff reports no change for {change}"
        if diff.replaces:
            assert set(diff.replaces) & set(change), f"{prop}: replacement asked for {diff.replaces}, not {change}"
            if diff.delete_before_replace:
                handler.delete(created.id, outputs_of(created))
                resources.forget(created.id)
            _, replacement = create(handler, raw_news)
            resources.live[replacement.id] = outputs_of(replacement)
            assert_held(case, prop, change, case.observe(platform, replacement.id, outputs_of(replacement)))
            return
        updated = handler.update(created.id, outputs_of(created), news)
        resources.live[created.id] = outputs_of(updated)
        read = handler.read(created.id, outputs_of(updated))
        assert read.id == created.id, f"{prop}: read after the update reports the resource gone"
        shown = {**dict(read.outs or {}), **dict(read.inputs or {})}
        for key, value in change.items():
            if value is not None:
                assert shown.get(key) == news[key], f"{prop}: read shows {key}={shown.get(key)!r}, not {news[key]!r}"
        if prop in case.deferred:
            published_news, published = changed(
                raw_news, case.publish_property, case.alternates(platform.workdir)[case.publish_property]
            )
            again = checked(handler, news, published_news)
            republished = handler.update(created.id, outputs_of(updated), again)
            resources.live[created.id] = outputs_of(republished)
            assert_held(
                case, prop, {**change, **published}, case.observe(platform, created.id, outputs_of(republished))
            )
        else:
            assert_held(case, prop, change, case.observe(platform, created.id, outputs_of(updated)))
    finally:
        resources.delete_all()


# tests -----------------------------------------------------------------------------------------

TOKENS = sorted(SPECS)


@pytest.mark.parametrize("token", TOKENS)
def test_every_input_property_has_an_alternate_value(token: str, tmp_path: Path) -> None:
    spec, case = SPECS[token], case_of(token)
    properties = input_properties(spec)
    assert set(case.alternates(tmp_path)) == properties, "each input property needs an alternate value"
    assert set(case.provider_only) | set(case.deferred) <= properties
    assert case.remove is not None or case.cannot_remove, "say how to delete it outside Pulumi, or why it cannot be"


@pytest.mark.timeout(900)
@pytest.mark.parametrize("token", TOKENS)
def test_each_input_change_replaces_or_updates_what_the_platform_holds(
    token: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    spec, case = SPECS[token], case_of(token)
    platform = platform_for(token, emulator, tmp_path)
    base = base_inputs(spec, case, tmp_path)
    alternates = case.alternates(tmp_path)
    assert set(alternates) == input_properties(spec), "each input property needs an alternate value"
    for prop in sorted(alternates):
        check_property(platform, case, base, prop, alternates[prop])


@pytest.mark.parametrize("token", TOKENS)
def test_destroy_and_refresh_of_a_resource_deleted_outside_pulumi(
    token: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    spec, case = SPECS[token], case_of(token)
    platform = platform_for(token, emulator, tmp_path)
    _, created = create(platform.handler, base_inputs(spec, case, tmp_path))
    outs = outputs_of(created)
    assert case.observe(platform, created.id, outs) is not None, "create left nothing on the platform"
    if case.remove is None:
        assert case.cannot_remove
    else:
        case.remove(platform, created.id, outs)
        assert case.observe(platform, created.id, outs) is None, "the resource is still on the platform"
    read = platform.handler.read(created.id, outs)
    if spec.drift_detection and case.remove is not None:
        assert not read.id, "refresh must report a resource deleted outside Pulumi as gone"
    platform.handler.delete(created.id, outs)


#: What `read` cannot give back from the id alone, per token: inputs only the program knows.
NOT_READ_BACK: dict[str, dict[str, str]] = {
    "dataplatforms:eloq:Cluster": {"sku": "a selector the program resolves; the platform keeps only the SKU id"},
    "dataplatforms:spark:Folder": {"coverImage": "a local path", "coverImageHash": "the hash of that local file"},
    "dataplatforms:spark:Service": {
        "file": "a local path",
        **dict.fromkeys(
            ("versioning", "label", "releaseNotes", "tags", "effectiveStartDate", "effectiveEndDate"),
            "applies to the versions published from now on; read does not take it from a version",
        ),
    },
    "dataplatforms:ardent:Connector": {
        "connectionDetails": "the connector list never shows it",
        "timeouts": "the program's own",
        "status": "the create answer's; the list shows the current one",
    },
    "dataplatforms:aerostack:CacheEntry": {
        "ttl": "the cache's get does not return it",
        "expiresAt": "the cache's get does not return it",
    },
}
READABLE = sorted(token for token, spec in SPECS.items() if spec.readable_by_id)


def test_every_resource_readable_by_id_says_what_it_cannot_read_back() -> None:
    assert set(NOT_READ_BACK) == set(READABLE)


@pytest.mark.parametrize("token", READABLE)
def test_a_resource_readable_by_id_reads_from_its_id_alone_what_create_recorded(
    token: str, emulator: EmulatorProcess, tmp_path: Path
) -> None:
    """As `Cls.get(name, id)` has the engine read it: every property the SDK declares, all None, and the id."""
    spec, case = SPECS[token], case_of(token)
    platform = platform_for(token, emulator, tmp_path)
    _, created = create(platform.handler, base_inputs(spec, case, tmp_path))
    outs = outputs_of(created)
    declared = set(spec.inputs.model_json_schema(by_alias=True)["properties"])
    declared |= set(spec.outputs.model_json_schema(by_alias=True)["properties"])
    try:
        read = platform.handler.read(created.id, dict.fromkeys(declared))
        assert read.id == created.id, "a resource that exists must be found from its id"
        shown = dict(read.outs or {})
        skipped = set(NOT_READ_BACK[token]) | set(case.provider_only)
        for key in sorted(declared - skipped):
            if outs.get(key) is not None:
                assert shown.get(key) == outs[key], (
                    f"{key}: read from the id gives {shown.get(key)!r}, not {outs[key]!r}"
                )
    finally:
        platform.handler.delete(created.id, outs)
