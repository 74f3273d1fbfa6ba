"""The manifest loader: every schema kind accepted and registered, value sources, YAML details, order, CLI."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataplatforms import manifests
from pulumi_dataplatforms.manifests._values import Ref, Source
from tests.harness.runner import REPO_ROOT, with_repo_on_path
from tests.manifest_program import run_in_subprocess

SCHEMA = json.loads((REPO_ROOT / "schema.json").read_text())
KINDS = sorted(f"{token.split(':')[1]}/{token.split(':')[2]}" for token in SCHEMA["resources"])
GITOPS = REPO_ROOT / "examples" / "gitops" / "manifests"


def minimal(spec: dict[str, Any], secret: bool = False) -> Any:
    """The smallest valid manifest value for a schema property (secrets as `{secret: ...}`)."""
    if secret and spec.get("type") == "string":
        return {"secret": "someSecret"}
    ref = spec.get("$ref", "")
    if ref == "pulumi.json#/Any":
        return {"any": "value"}
    if ref:
        named = SCHEMA["types"][ref.removeprefix("#/types/")]
        if "enum" in named:
            return named["enum"][0]["value"]
        return {key: minimal(named["properties"][key]) for key in named["required"]}
    kind = spec.get("type")
    if kind == "array":
        return [minimal(spec["items"])]
    return {"string": "text", "integer": 1, "number": 1.5, "boolean": True}[kind]


def minimal_document(kind: str) -> dict[str, Any]:
    resource = SCHEMA["resources"][f"dataplatforms:{kind.replace('/', ':')}"]
    inputs = resource["inputProperties"]
    spec = {key: minimal(inputs[key], inputs[key].get("secret", False)) for key in resource["requiredInputs"]}
    return {"kind": kind, "name": f"min-{kind.split('/')[1].lower()}", "spec": spec}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def mock_apply(*paths: Path) -> list[dict[str, Any]]:
    """`manifests.apply` per path under the recording mock engine (tests/manifest_program.py)."""
    return list(run_in_subprocess(paths, config={"manifests-corpus:someSecret": "s3cr3t"}).values())


def test_every_schema_kind_is_a_loader_kind_an_sdk_class_and_a_docs_page() -> None:
    """One list of kinds: schema.json, the loader, the SDK and docs/ enumerate the same resources."""
    from pulumi_dataplatforms.manifests._kinds import kinds

    assert sorted(kinds()) == KINDS
    for kind in KINDS:
        cls = kinds()[kind].sdk_class()
        platform, name = kind.split("/")
        # Generated in pulumi_dataplatforms._generated.<platform>, public as pulumi_dataplatforms.<platform>.<Name>.
        assert getattr(importlib.import_module(f"pulumi_dataplatforms.{platform}"), name) is cls
        assert cls.__name__ == name
    pages = sorted(f"{p.parent.name}/{p.stem}" for p in (REPO_ROOT / "docs").glob("*/*.md"))
    assert pages == KINDS


def test_a_minimal_document_of_every_kind_loads_and_registers_its_sdk_class(tmp_path: Path) -> None:
    """Required inputs only (derived from the schema) are enough for every kind, and each registers once."""
    text = yaml.safe_dump_all([minimal_document(kind) for kind in KINDS], sort_keys=False)
    directory = tmp_path / "all"
    write(directory / "all.yaml", text)
    loaded = manifests.load(directory)
    assert sorted(d.kind.name for d in loaded.declarations) == KINDS
    (outcome,) = mock_apply(directory)
    assert outcome["problems"] == []
    registered = sorted(
        typ.removeprefix("pulumi-python:dynamic/").replace(":", "/") for typ, _ in outcome["registered"]
    )
    assert registered == KINDS


def test_references_order_registration_and_become_dependencies(tmp_path: Path) -> None:
    """A service declared before its folder is still registered after it; dependsOn orders too."""
    write(
        tmp_path / "m" / "a.yaml",
        """
kind: spark/Service
name: quote
spec: {folder: {ref: spark/Folder/pricing.name}, file: models/quote.xlsx}
---
kind: aerostack/SqlMigration
name: second
spec: {up: [SELECT 2]}
options: {dependsOn: [aerostack/SqlMigration/first]}
---
kind: spark/Folder
name: pricing
---
kind: aerostack/SqlMigration
name: first
spec: {up: [SELECT 1]}
""",
    )
    order = [d.key for d in manifests.load(tmp_path / "m").declarations]
    assert order.index("spark/Folder/pricing") < order.index("spark/Service/quote")
    assert order.index("aerostack/SqlMigration/first") < order.index("aerostack/SqlMigration/second")
    quote = next(d for d in manifests.load(tmp_path / "m").declarations if d.name == "quote")
    assert quote.spec["folder"] == Ref("spark/Folder/pricing", "name", quote.refs[0].location, "spec.folder",
                                       quote.kind.inputs["folder"])  # fmt: skip


def test_value_sources_are_recognised_at_any_depth(tmp_path: Path) -> None:
    """secret/env/config sources inside nested objects and free-form values become run-time sources."""
    write(
        tmp_path / "m.yaml",
        """
kind: ardent/Connector
name: warehouse
spec:
  serviceName: postgresql
  connectionDetails:
    host: {config: warehouseHost}
    password: {secret: warehousePassword}
    options: [{token: {env: WAREHOUSE_TOKEN}}]
""",
    )
    (declaration,) = manifests.load(tmp_path / "m.yaml").declarations
    details = declaration.spec["connectionDetails"]
    assert isinstance(details["host"], Source) and not details["host"].secret
    assert isinstance(details["password"], Source) and details["password"].secret
    assert details["options"][0]["token"] == declaration.sources[2]
    assert [s.origin for s in declaration.sources] == ["config", "secret", "env"]


def test_yaml_details_anchors_merges_dates_nulls_and_empty_documents(tmp_path: Path) -> None:
    """Anchors and merge keys work, unquoted dates stay text for string fields, null optional fields are omitted."""
    write(
        tmp_path / "m.yaml",
        """
---
kind: spark/Folder
name: pricing
spec:
  description: Pricing
  category: Finance
  startDate: 2026-01-01
  launchDate:
---
---
kind: ardent/PostgresConfig
name: orders
spec:
  <<: &server {hostname: db.internal, port: "5432", username: reader}
  password: {secret: ordersPassword}
  databases: &databases [{name: orders}]
""",
    )
    pricing, orders = manifests.load(tmp_path / "m.yaml").declarations
    assert pricing.spec == {"description": "Pricing", "category": "Finance", "startDate": "2026-01-01"}
    assert {k: orders.spec[k] for k in ("hostname", "port", "username")} == {
        "hostname": "db.internal", "port": "5432", "username": "reader"
    }  # fmt: skip
    assert orders.spec["databases"] == [{"name": "orders"}]


def test_a_directory_is_read_recursively_in_file_name_order(tmp_path: Path) -> None:
    """Sub-directories count; both suffixes count; other files are ignored."""
    write(tmp_path / "m" / "b" / "folder.yml", "kind: spark/Folder\nname: b\n")
    write(tmp_path / "m" / "a.yaml", "kind: spark/Folder\nname: a\n")
    write(tmp_path / "m" / "notes.txt", "kind: nonsense\n")
    loaded = manifests.load(tmp_path / "m")
    assert [d.name for d in loaded.declarations] == ["a", "b"]
    assert [p.name for p in loaded.files] == ["a.yaml", "folder.yml"]


def test_missing_paths_and_empty_directories_are_problems(tmp_path: Path) -> None:
    """A typo in the path must not deploy an empty stack (which would delete everything)."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(manifests.ManifestError) as caught:
        manifests.load([tmp_path / "nope", tmp_path / "empty"])
    messages = sorted(p.message for p in caught.value.problems)
    assert messages == ["no *.yaml or *.yml files in this directory", "no such file or directory"]
    assert "nothing was registered" in str(caught.value)


def test_check_cli_accepts_the_gitops_example_and_reports_broken_manifests_with_exit_1() -> None:
    """`python -m pulumi_dataplatforms.manifests check` is what pull requests run."""
    env = with_repo_on_path(os.environ)
    ok = subprocess.run(
        [sys.executable, "-m", "pulumi_dataplatforms.manifests", "check", str(GITOPS)],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "ok: 10 resources in 4 files\n"
    broken = REPO_ROOT / "tests" / "manifests" / "broken" / "13-unknown-spec-field.yaml"
    bad = subprocess.run(
        [sys.executable, "-m", "pulumi_dataplatforms.manifests", "check", str(broken)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 1
    assert (
        'tests/manifests/broken/13-unknown-spec-field.yaml:10:3: ardent/PostgresConfig orders: spec.pasword: unknown field "pasword"; did you mean "password"?'
        in bad.stderr
    )


def test_schema_cli_prints_the_committed_manifest_schema() -> None:
    """`... schema` prints what editors read from manifest.schema.json."""
    done = subprocess.run(
        [sys.executable, "-m", "pulumi_dataplatforms.manifests", "schema"],
        env=with_repo_on_path(os.environ), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads((REPO_ROOT / "manifest.schema.json").read_text())


def test_every_gitops_manifest_names_the_committed_editor_schema() -> None:
    """The `# yaml-language-server: $schema=` line of each example manifest points at manifest.schema.json."""
    for path in sorted(GITOPS.glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == REPO_ROOT / "manifest.schema.json"
