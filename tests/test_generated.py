"""The generated files: current, valid, and agreeing with each other.

`schema.json`, `manifest.schema.json`, `docs/` and the SDK's resource classes
(`sdk/pulumi_dataplatforms/_generated/`) are regenerated and compared with the checkout
(so CI fails when one is stale); the manifest JSON Schema is a valid schema that accepts every
example in `schema.json` and rejects broken documents; every kind has its docs page; every Python
example in the resource pages compiles and calls the SDK with arguments it has; every manifest example loads.
The pages of the SDK's functions (`docs/<platform>/functions/`) are checked in tests/test_docs_functions.py.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from pulumi_dataplatforms._resource import DataPlatformResource
from pulumi_dataplatforms_provider.generate.__main__ import main
from pulumi_dataplatforms_provider.generate.files import generated_files, stale_files
from pulumi_dataplatforms_provider.generate.kinds import kind_of
from pulumi_dataplatforms_provider.generate.shortcodes import Example, split_description

ROOT = Path(__file__).resolve().parent.parent
SCHEMA: dict[str, Any] = json.loads((ROOT / "schema.json").read_text())
MANIFEST_SCHEMA: dict[str, Any] = json.loads((ROOT / "manifest.schema.json").read_text())
TOKENS = sorted(SCHEMA["resources"])
PAGES = sorted(path.relative_to(ROOT / "docs").as_posix() for path in (ROOT / "docs").rglob("*.md"))
#: `<platform>/<Name>.md`; deeper pages are functions' (`<platform>/functions/<name>.md`).
RESOURCE_PAGES = [page for page in PAGES if page.count("/") == 1]
FENCE = re.compile(r"```(?P<language>\w+)\n(?P<code>.*?)```", re.S)


def example_of(token: str) -> Example:
    """The one example in a resource's schema description."""
    _, examples = split_description(SCHEMA["resources"][token]["description"])
    assert len(examples) == 1, f"{token}: expected one example, found {len(examples)}"
    assert examples[0].language == "yaml"
    return examples[0]


def validator() -> jsonschema.protocols.Validator:
    """A validator of manifest documents, for the draft the manifest schema declares."""
    cls = jsonschema.validators.validator_for(MANIFEST_SCHEMA)
    return cls(MANIFEST_SCHEMA)


def fences(page: str, language: str) -> list[str]:
    """The code blocks of one language on a docs page."""
    text = (ROOT / "docs" / page).read_text()
    return [match["code"] for match in FENCE.finditer(text) if match["language"] == language]


def test_generated_files_are_up_to_date() -> None:
    """schema.json, manifest.schema.json and docs/ are what the generator makes now (nothing missing or extra)."""
    stale = stale_files(ROOT, generated_files())
    assert not stale, "run `make schema` and commit the result:\n" + "\n".join(stale)


def test_the_command_writes_checks_and_removes_pages_it_does_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--check` fails on a missing, edited or extra file and writes nothing; a plain run repairs all three."""
    root = ["--root", str(tmp_path)]
    assert main(["--check", *root]) == 1
    assert not any(tmp_path.iterdir())
    assert main(root) == 0
    assert main(["--check", *root]) == 0
    (tmp_path / "docs" / "old").mkdir()
    (tmp_path / "docs" / "old" / "Gone.md").write_text("# gone\n")
    (tmp_path / "docs" / "README.md").write_text("edited\n")
    (tmp_path / "manifest.schema.json").unlink()
    capsys.readouterr()
    assert main(["--check", *root]) == 1
    listed = capsys.readouterr().out.splitlines()
    assert listed[:-1] == [
        "manifest.schema.json: missing",
        "docs/README.md: out of date",
        "docs/old/Gone.md: not generated",
    ]
    assert main(root) == 0
    assert stale_files(tmp_path, generated_files()) == []
    assert not (tmp_path / "docs" / "old").exists()


def test_the_check_covers_the_generated_sdk_modules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An edited or missing generated SDK module, or an extra one, is stale; the interpreter's caches are not."""
    root = ["--root", str(tmp_path)]
    assert main(root) == 0
    package = tmp_path / "sdk" / "pulumi_dataplatforms" / "_generated"
    edited = package / "eloq.py"
    edited.write_text(edited.read_text().replace('_name_input = "name"', "_name_input = None"))
    (package / "spark.py").unlink()
    (package / "retired.py").write_text("# a platform that is gone\n")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "eloq.cpython-311.pyc").write_bytes(b"cache")
    capsys.readouterr()
    assert main(["--check", *root]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        "sdk/pulumi_dataplatforms/_generated/eloq.py: out of date",
        "sdk/pulumi_dataplatforms/_generated/spark.py: missing",
        "sdk/pulumi_dataplatforms/_generated/retired.py: not generated",
    ]
    assert main(root) == 0
    assert stale_files(tmp_path, generated_files()) == []
    assert (package / "__pycache__" / "eloq.cpython-311.pyc").is_file()


def test_manifest_schema_is_a_valid_json_schema() -> None:
    """manifest.schema.json is valid against the metaschema of the draft it declares (draft-07)."""
    assert MANIFEST_SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.validators.validator_for(MANIFEST_SCHEMA).check_schema(MANIFEST_SCHEMA)


@pytest.mark.parametrize("token", TOKENS)
def test_example_validates_against_the_manifest_schema(token: str) -> None:
    """Every document of a resource's example is valid, and the documented resource's own document is last."""
    documents = list(yaml.safe_load_all(example_of(token).code))
    assert documents[-1]["kind"] == kind_of(token)
    for document in documents:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(document)]
        assert not errors, f"{document['kind']}/{document['name']}: {errors}"


def test_the_manifest_guide_examples_validate() -> None:
    """The manifest documents shown in docs/manifests.md are valid."""
    documents = [doc for code in fences("manifests.md", "yaml") for doc in yaml.safe_load_all(code) if doc]
    assert documents
    for document in documents:
        assert not list(validator().iter_errors(document)), document


VALID = {"kind": "spark/Folder", "name": "pricing", "spec": {"description": "Pricing models"}}
INVALID: dict[str, dict[str, Any]] = {
    "unknown kind": {**VALID, "kind": "spark/Workbook"},
    "unknown spec field": {**VALID, "spec": {"descripton": "Pricing models"}},
    "unknown top-level key": {**VALID, "metadata": {"name": "pricing"}},
    "bad name": {**VALID, "name": "-pricing"},
    "name too long": {**VALID, "name": "p" * 101},
    "no name": {"kind": "spark/Folder", "spec": {}},
    "secret input as a literal": {
        "kind": "ardent/SupabaseConfig",
        "name": "app",
        "spec": {"projectUrl": "https://x.supabase.co", "apiKey": "service-role-key"},
    },
    "secret input from plain config": {
        "kind": "ardent/SupabaseConfig",
        "name": "app",
        "spec": {"projectUrl": "https://x.supabase.co", "apiKey": {"config": "supabaseKey"}},
    },
    "missing required input": {"kind": "spark/Service", "name": "quote", "spec": {"file": "quote.xlsx"}},
    "missing spec with required inputs": {"kind": "aerostack/CacheEntry", "name": "settings"},
    "wrong value type": {**VALID, "spec": {"adoptExisting": "yes"}},
    "enum value not allowed": {"kind": "eloq/Cluster", "name": "c", "spec": {"region": "r", "sku": {"type": "huge"}}},
    "string source for an integer": {
        "kind": "eloq/Cluster",
        "name": "c",
        "spec": {"region": "r", "skuId": {"env": "SKU"}},
    },
    "two-key source": {**VALID, "spec": {"description": {"secret": "a", "env": "B"}}},
    "ref to an unknown property": {
        "kind": "spark/Service",
        "name": "quote",
        "spec": {"folder": {"ref": "spark/Folder/pricing.title"}, "file": "quote.xlsx"},
    },
    "malformed ref in a free-form value": {
        "kind": "aerostack/CacheEntry",
        "name": "settings",
        "spec": {"key": "settings", "value": {"logo": {"ref": "logo.url"}}},
    },
    "unknown option": {**VALID, "options": {"protected": True}},
    "ignoreChanges of an unknown input": {**VALID, "options": {"ignoreChanges": ["title"]}},
    "dependsOn without a kind": {**VALID, "options": {"dependsOn": ["pricing"]}},
}


def test_a_valid_document_is_accepted() -> None:
    """The document the invalid cases start from is valid, and so are sources, refs and options where they fit."""
    documents = [
        VALID,
        {"kind": "spark/Folder", "name": "empty"},
        {
            "kind": "spark/Service",
            "name": "quote",
            "spec": {"folder": {"ref": "spark/Folder/pricing.name"}, "file": {"config": "quoteFile"}},
            "options": {"ignoreChanges": ["releaseNotes", "timeouts.create"], "dependsOn": ["eloq/Cluster/cache"]},
        },
        {
            "kind": "eloq/Cluster",
            "name": "c",
            "spec": {"region": "r", "skuId": {"ref": "eloq/Cluster/other.resolvedSkuId"}},
        },
        {"kind": "ardent/SupabaseConfig", "name": "app", "spec": {"projectUrl": "https://x", "apiKey": {"env": "KEY"}}},
        {
            "kind": "ardent/MongoDbConfig",
            "name": "catalog",
            "spec": {
                "connectionString": {"ref": "eloq/Cluster/catalog.connectionString"},
                "databases": [{"name": "catalog", "collections": [{"name": "products"}]}],
            },
        },
    ]
    for document in documents:
        assert not list(validator().iter_errors(document)), document


@pytest.mark.parametrize("case", sorted(INVALID))
def test_an_invalid_document_is_rejected(case: str) -> None:
    """Broken documents fail the manifest schema."""
    assert list(validator().iter_errors(INVALID[case])), f"{case} was accepted"


def test_every_kind_has_a_docs_page_and_every_page_is_a_kind() -> None:
    """docs/<platform>/<Name>.md exists exactly for the kinds in schema.json."""
    resource_pages = {page.removesuffix(".md") for page in RESOURCE_PAGES}
    assert resource_pages == {kind_of(token) for token in TOKENS}
    assert {page for page in PAGES if "/" not in page} == {"README.md", "manifests.md"}


def sdk_object(dotted: str) -> Any:
    """`eloq.ClusterSkuArgs` -> the object in `pulumi_dataplatforms.eloq`."""
    module, name = dotted.split(".")
    return getattr(importlib.import_module(f"pulumi_dataplatforms.{module}"), name)


def sdk_calls(code: str) -> list[tuple[str, set[str]]]:
    """(`module.Name`, keyword names) of every call of an SDK class in a program."""
    tree = ast.parse(code)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    return [
        (f"{node.func.value.id}.{node.func.attr}", {k.arg for k in node.keywords if k.arg})
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in imported
    ]


@pytest.mark.parametrize("page", RESOURCE_PAGES)
def test_python_examples_compile_and_use_real_arguments(page: str) -> None:
    """Each Python example compiles, and every SDK class it calls takes the keywords it passes (and the required ones)."""
    programs = fences(page, "python")
    assert programs
    for code in programs:
        compile(code, page, "exec")
        for callee, keywords in sdk_calls(code):
            target = sdk_object(callee)
            is_resource = issubclass(target, DataPlatformResource)
            args_type = target._args_type if is_resource else target
            fields = dataclasses.fields(args_type)
            given = keywords - {"opts"} if is_resource else keywords
            assert given <= {f.name for f in fields}, f"{callee}: unknown keywords {given - {f.name for f in fields}}"
            required = {f.name for f in fields if f.default is dataclasses.MISSING}
            assert required <= given, f"{callee}: missing {required - given}"


@pytest.mark.parametrize("token", TOKENS)
def test_example_loads_with_the_manifest_loader(token: str, tmp_path: Path) -> None:
    """Every manifest example passes `pulumi_dataplatforms.manifests.load()`, its own resource included."""
    from pulumi_dataplatforms import manifests

    code = example_of(token).code
    (tmp_path / "example.yaml").write_text(code)
    loaded = manifests.load(tmp_path)
    name = list(yaml.safe_load_all(code))[-1]["name"]
    assert f"{kind_of(token)}/{name}" in {declaration.key for declaration in loaded.declarations}
