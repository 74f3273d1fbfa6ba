"""The generated files as a whole: render them, compare them with a checkout, write them.

`schema.json` is rendered first; `manifest.schema.json`, `docs/` and the SDK's resource classes
(`sdk/pulumi_dataplatforms/_generated/`) are functions of its text (and of the resource specs), the docs also
of the SDK's public functions, whose pages are `docs/<platform>/functions/<name>.md`.
`docs/` and `_generated/` belong to the generator: a file there that it does not generate is extra
(in `_generated/`, a `.py` file: the interpreter's caches are not).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import package_schema as schema
from .docs import reference_docs
from .functions import function_pages, public_functions
from .manifest_schema import manifest_schema
from .native_functions import check_sdk_functions
from .python_sdk import PACKAGE_DIR, python_sdk

DOCS = "docs"
#: The directories the generator owns, each with the pattern of the files it owns there.
OWNED = ((DOCS, "*"), (PACKAGE_DIR, "*.py"))


def generated_files() -> dict[str, str]:
    """Every generated file's text, by its path relative to the repository root."""
    schema_text = schema.render()
    package_schema = json.loads(schema_text)
    files = {
        "schema.json": schema_text,
        "manifest.schema.json": json.dumps(manifest_schema(package_schema), indent=2) + "\n",
        **python_sdk(package_schema),
    }
    functions = public_functions()
    check_sdk_functions(functions)
    pages = {**reference_docs(package_schema, functions), **function_pages(functions, package_schema)}
    files.update({f"{DOCS}/{path}": text for path, text in sorted(pages.items())})
    return files


def _extra(root: Path, files: dict[str, str]) -> list[Path]:
    found: list[Path] = []
    for directory, pattern in OWNED:
        owned = root / directory
        if owned.is_dir():
            found += sorted(path for path in owned.rglob(pattern) if path.is_file())
    return [path for path in found if path.relative_to(root).as_posix() not in files]


def stale_files(root: Path, files: dict[str, str]) -> list[str]:
    """What differs between `root` and `files`: one line per missing, out-of-date or extra file."""
    problems = []
    for path, text in files.items():
        target = root / path
        if not target.is_file():
            problems.append(f"{path}: missing")
        elif target.read_text(encoding="utf-8") != text:
            problems.append(f"{path}: out of date")
    problems += [f"{path.relative_to(root).as_posix()}: not generated" for path in _extra(root, files)]
    return problems


def write_files(root: Path, files: dict[str, str]) -> list[str]:
    """Writes the files that differ and removes extra files under `docs/`; returns what changed."""
    changed = []
    for path, text in files.items():
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            changed.append(f"wrote {path}")
    for extra in _extra(root, files):
        extra.unlink()
        changed.append(f"removed {extra.relative_to(root).as_posix()}")
    for directory in sorted((root / DOCS).rglob("*"), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return changed
