"""Mutation testing of the provider core, the resource handlers and the emulator's authentication.

Every mutant runs in a copy of the working tree (`.mutation/tree`) with PYTHONPATH naming the
copy's provider/, sdk/, emulator/ and root first, so the test process and every process it starts
(the emulator server, provider hosts) import the mutated code; the editable install only appends
the original tree to sys.path after site-packages. Mutants come from the AST of each target and
are applied as exact source-segment replacements; each one runs the fast test files that exercise
its module with `-x`, under a timeout derived from an unmutated baseline run of the same files.

    python scripts/mutation.py --canary                # proof that the tests run the mutated copy
    python scripts/mutation.py --planted               # named, realistic bugs, one at a time
    python scripts/mutation.py --target core --target emulator-auth
    python scripts/mutation.py --target handlers --sample 100 --seed 1 --jobs 2
    python scripts/mutation.py --list --target 'provider/*/core/retry.py'

(`make mutation MUTATION_ARGS="..."` runs the same.) Results go to `.mutation/mutants.json`,
`planted.json` and `canary.json`; a mutant already decided for the same source and tests is
not run again unless `--fresh` is given.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import contextlib
import difflib
import fnmatch
import hashlib
import itertools
import json
import os
import queue
import random
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PROVIDER = "provider/pulumi_dataplatforms_provider"
EMULATOR = "emulator/pulumi_dataplatforms_emulator"
SDK = "sdk/pulumi_dataplatforms"

#: Path components never copied into the work tree.
COPY_EXCLUDED = frozenset(
    {
        ".venv",
        ".venvs",
        ".pulumi",
        ".git",
        ".dataplatforms",
        ".mutation",
        "__pycache__",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)
#: Tool directories the tests find under the repository root: linked, not copied (CLI, official-client venvs).
LINKED_DIRS = (".pulumi", ".venvs")
#: sys.path order inside the copy.
IMPORT_ROOTS = ("provider", "sdk", "emulator", ".")
#: Module -> file whose origin must lie inside the copy.
IMPORT_PROBES = (
    "pulumi_dataplatforms",
    "pulumi_dataplatforms_provider",
    "pulumi_dataplatforms_emulator",
    "tests",
)
PYTEST_FLAGS = ("-x", "-q", "-p", "no:cacheprovider")


# -- targets and the tests that exercise them -------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A module to mutate; `scope` limits mutation to the named (dotted) functions."""

    path: str
    group: str
    scope: tuple[str, ...] = ()


HANDLER_FILES = (
    "exactly_once.py",
    "eloq/cluster.py",
    "ardent/configuration.py",
    "ardent/connector.py",
    "ardent/job.py",
    "spark/folder.py",
    "spark/service.py",
    "aerostack/cache_entry.py",
    "aerostack/storage_object.py",
    "aerostack/sql_migration.py",
)

TARGETS: tuple[Target, ...] = (
    *(Target(f"{PROVIDER}/core/{name}.py", "core") for name in ("auth", "client", "errors", "oauth2", "retry")),
    Target(f"{EMULATOR}/services/ardent/auth.py", "emulator-auth"),
    Target(f"{EMULATOR}/services/aerostack/security.py", "emulator-auth"),
    Target(f"{EMULATOR}/services/ardent/routes.py", "emulator-auth", ("build_router.caller",)),
    Target(f"{EMULATOR}/services/eloq/routes.py", "emulator-auth", ("build_router.caller", "build_router.scoped")),
    Target(f"{EMULATOR}/services/spark/routes/common.py", "emulator-auth", ("caller",)),
    Target(f"{EMULATOR}/services/aerostack/routes.py", "emulator-auth", ("build_router.caller",)),
    Target(
        f"{EMULATOR}/services/eloq/backend.py", "emulator-auth", ("EloqBackend.authenticate", "EloqBackend.check_scope")
    ),
    Target(
        f"{EMULATOR}/services/spark/backend.py",
        "emulator-auth",
        ("SparkBackend.issue_token", "SparkBackend.authenticate", "SparkBackend.check_tenant"),
    ),
    Target(f"{EMULATOR}/services/aerostack/backend.py", "emulator-auth", ("AerostackBackend.tenant", "_tenant_id")),
    *(Target(f"{PROVIDER}/{name}", "handlers") for name in HANDLER_FILES),
)

#: Target path glob -> test files that exercise it, fastest first (files that do not exist are skipped).
#: Measured with `pytest --durations`: the test_cli_* files, test_harness_engine and the docs,
#: manifest and gitops corpora take minutes or do not reach these modules, so none is listed.
#: Handlers: their fast tests/test_*_handler(s).py first; test_generated checks that each spec's
#: declarations (replace-on-change, secrets, SDK names) are what the shipped schema, SDK and docs say
#: (not test_schema: its metaschema test needs ../shared beside the tree, which the work copy lacks).
TEST_MAP: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        f"{PROVIDER}/core/*.py",
        (
            "tests/test_core_wire.py",
            "tests/test_core_oauth2.py",
            "tests/test_core_http.py",
            "tests/test_eloq_client.py",
            "tests/test_ardent_auth.py",
            "tests/test_aerostack_client.py",
            "tests/test_spark_client.py",
            "tests/test_error_messages.py",
            "tests/test_retries_end_to_end.py",
        ),
    ),
    (f"{EMULATOR}/services/*/*.py", ("tests/test_emulator_auth_edges.py",)),
    (
        f"{EMULATOR}/services/ardent/*.py",
        ("tests/test_ardent_auth.py", "tests/test_ardent_official.py", "tests/test_emulator_route_auth.py"),
    ),
    (
        f"{EMULATOR}/services/eloq/*.py",
        (
            "tests/test_eloq_client.py",
            "tests/test_eloq_official_client.py",
            "tests/test_emulator_core.py",
            "tests/test_emulator_route_auth.py",
        ),
    ),
    (
        f"{EMULATOR}/services/spark/*.py",
        ("tests/test_spark_client.py", "tests/test_emulator_route_auth.py"),
    ),
    (
        f"{EMULATOR}/services/aerostack/*.py",
        (
            "tests/test_aerostack_official_client.py",
            "tests/test_aerostack_client.py",
            "tests/test_aerostack_sandbox.py",
            "tests/test_emulator_route_auth.py",
        ),
    ),
    (
        f"{PROVIDER}/exactly_once.py",
        (
            "tests/test_eloq_cluster_handler.py",
            "tests/test_spark_handlers.py",
            "tests/test_ardent_handlers.py",
            "tests/test_retries_end_to_end.py",
        ),
    ),
    (
        f"{PROVIDER}/eloq/cluster.py",
        (
            "tests/test_eloq_cluster_handler.py",
            "tests/test_check_input_names.py",
            "tests/test_generated.py",
            "tests/test_retries_end_to_end.py",
            "tests/test_resource_properties.py",
            "tests/test_eloq_cluster.py",
        ),
    ),
    (
        f"{PROVIDER}/ardent/*.py",
        (
            "tests/test_ardent_check.py",
            "tests/test_ardent_handlers.py",
            "tests/test_check_input_names.py",
            "tests/test_generated.py",
            "tests/test_ardent_example.py",
            "tests/test_ardent_configs.py",
            "tests/test_ardent_faults.py",
            "tests/test_retries_end_to_end.py",
            "tests/test_resource_properties.py",
        ),
    ),
    (
        f"{PROVIDER}/spark/*.py",
        (
            "tests/test_spark_handlers.py",
            "tests/test_check_input_names.py",
            "tests/test_generated.py",
            "tests/test_spark_folder_takeover.py",
            "tests/test_retries_end_to_end.py",
            "tests/test_resource_properties.py",
            "tests/test_spark_lifecycle.py",
        ),
    ),
    (
        f"{PROVIDER}/aerostack/*.py",
        (
            "tests/test_aerostack_handlers.py",
            "tests/test_check_input_names.py",
            "tests/test_generated.py",
            "tests/test_retries_end_to_end.py",
            "tests/test_resource_properties.py",
            "tests/test_aerostack_resources.py",
        ),
    ),
)


def tests_for(path: str, tree: Path) -> tuple[str, ...]:
    """The existing test files mapped to `path`, in map order, without repeats."""
    found: dict[str, None] = {}
    for pattern, files in TEST_MAP:
        if fnmatch.fnmatch(path, pattern):
            found.update((name, None) for name in files if (tree / name).is_file())
    return tuple(found)


# -- planted bugs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlantedBug:
    """A realistic bug as exact text patches (each `old` must occur once), and the tests expected to catch it."""

    name: str
    path: str
    patches: tuple[tuple[str, str], ...]
    tests: tuple[str, ...]


PLANTED_BUGS: tuple[PlantedBug, ...] = (
    PlantedBug(
        "retry-after-ignored",
        f"{PROVIDER}/core/client.py",
        (("wait = self._policy.delay(self._attempt, response)", "wait = self._policy.delay(self._attempt)"),),
        ("tests/test_core_http.py", "tests/test_retries_end_to_end.py", "tests/test_ardent_faults.py"),
    ),
    PlantedBug(
        "spark-publish-idempotent",
        f"{PROVIDER}/spark/client.py",
        (
            (
                'self._call("POST", url, idempotent=False, json={"request_data": request})',
                'self._call("POST", url, idempotent=True, json={"request_data": request})',
            ),
        ),
        ("tests/test_spark_client.py", "tests/test_retries_end_to_end.py", "tests/test_spark_lifecycle.py"),
    ),
    PlantedBug(
        "eloq-zone-not-replacing",
        f"{PROVIDER}/eloq/cluster.py",
        (
            (
                'REPLACE_KEYS = ("name", "region", "skuId", "sku", "zone")',
                'REPLACE_KEYS = ("name", "region", "skuId", "sku")',
            ),
        ),
        ("tests/test_resource_properties.py", "tests/test_eloq_cluster.py"),
    ),
    PlantedBug(
        "ardent-config-delete-404-raises",
        f"{PROVIDER}/ardent/client.py",
        (
            (
                'compact_json({"id": config_id}))\n        except NotFoundError:\n            return False\n',
                'compact_json({"id": config_id}))\n        except NotFoundError:\n            raise\n',
            ),
        ),
        (
            "tests/test_ardent_check.py",
            "tests/test_ardent_configs.py",
            "tests/test_ardent_faults.py",
            "tests/test_resource_properties.py",
        ),
    ),
    PlantedBug(
        "ardent-only-first-secret-input-secret",
        f"{SDK}/_resource.py",
        (
            (
                "        for name in secret_inputs:\n",
                "        for name in secret_inputs[:1]:\n",
            ),
        ),
        (
            "tests/test_ardent_check.py",
            "tests/test_ardent_configs.py",
            "tests/test_resource_properties.py",
            "tests/test_cli_secret_inputs.py",
        ),
    ),
    PlantedBug(
        "eloq-skus-by-args-unauthenticated",
        f"{EMULATOR}/services/eloq/routes.py",
        (("    def skus_by_args(\n        identity: Caller,\n", "    def skus_by_args(\n"),),
        (
            "tests/test_eloq_client.py",
            "tests/test_eloq_official_client.py",
            "tests/test_emulator_core.py",
            "tests/test_emulator_route_auth.py",
        ),
    ),
    PlantedBug(
        "aerostack-migration-recorded-before-verify",
        f"{PROVIDER}/aerostack/sql_migration.py",
        (
            (
                "            ran = migrator.apply(inputs.up, digest)\n"
                "            if not migrator.verified(inputs.verify):\n",
                "            ran = migrator.apply(inputs.up, digest)\n"
                "            applied_at = migrator.save(digest, len(inputs.up))\n"
                "            if not migrator.verified(inputs.verify):\n",
            ),
            (
                "                )\n            applied_at = migrator.save(digest, len(inputs.up))\n",
                "                )\n",
            ),
        ),
        ("tests/test_retries_end_to_end.py", "tests/test_resource_properties.py", "tests/test_aerostack_resources.py"),
    ),
)

#: A mutant that must be killed: the emulator's Ardent verifier accepts every request.
CANARY = PlantedBug(
    "canary-ardent-auth-accepts-everything",
    f"{EMULATOR}/services/ardent/auth.py",
    (
        (
            '    """The caller, or 401 for a missing/unknown key, a bad signature or a stale timestamp."""\n',
            '    """The caller, or 401 for a missing/unknown key, a bad signature or a stale timestamp."""\n'
            '    return Principal(PUBLIC_KEY, "hmac")\n',
        ),
    ),
    ("tests/test_ardent_auth.py",),
)


def apply_patches(source: str, patches: Sequence[tuple[str, str]]) -> str:
    """`source` with each patch applied; ValueError when an `old` text is not there exactly once."""
    for old, new in patches:
        count = source.count(old)
        if count != 1:
            raise ValueError(f"patch text found {count} times, expected once: {old.strip()[:80]!r}")
        source = source.replace(old, new)
    return source


# -- mutant generation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    """One source-segment replacement in one file."""

    path: str
    line: int
    operator: str
    start: int
    end: int
    replacement: str
    original: str

    @property
    def id(self) -> str:
        digest = hashlib.sha256(f"{self.path}|{self.start}|{self.end}|{self.replacement}".encode()).hexdigest()
        return digest[:10]

    @property
    def summary(self) -> str:
        def short(text: str) -> str:
            flat = " ".join(text.split())
            return flat if len(flat) <= 48 else flat[:45] + "..."

        return f"{short(self.original)!r} -> {short(self.replacement)!r}"

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.replacement.encode() + source[self.end :]


COMPARE_SWAPS: dict[type[ast.cmpop], tuple[str, str]] = {
    ast.Eq: (r"==", "!="),
    ast.NotEq: (r"!=", "=="),
    ast.LtE: (r"<=", "<"),
    ast.GtE: (r">=", ">"),
    ast.Lt: (r"<", "<="),
    ast.Gt: (r">", ">="),
    ast.NotIn: (r"\bnot\s+in\b", "in"),
    ast.In: (r"\bin\b", "not in"),
    ast.IsNot: (r"\bis\s+not\b", "is"),
    ast.Is: (r"\bis\b", "is not"),
}
BOOL_SWAPS: dict[type[ast.boolop], tuple[str, str]] = {ast.And: (r"\band\b", "or"), ast.Or: (r"\bor\b", "and")}
LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
#: Keyword arguments that only document (schema descriptions, route summaries).
DOC_KEYWORDS = frozenset({"description", "summary", "help", "doc", "title", "example", "examples"})
COLLECTION_CALLS = frozenset({"frozenset", "set", "tuple", "list"})


def dotted_name(node: ast.expr) -> str:
    """`a.b.c` for a Name/Attribute chain, else ''."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def is_logging_call(node: ast.Call) -> bool:
    """`log.debug(...)`, `pulumi.log.warn(...)`, `self.log_request(...)` and the like."""
    name = dotted_name(node.func)
    if not name:
        return False
    *receiver, method = name.split(".")
    if method.startswith("log_"):
        return True
    return method in LOG_METHODS and any("log" in part.lower() for part in receiver)


def is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


class MutantFinder(ast.NodeVisitor):
    """Walks one module and collects mutants inside its scope (everything, or the named functions)."""

    def __init__(self, path: str, source: bytes, scope: tuple[str, ...]) -> None:
        self.path = path
        self.source = source
        self.scope = scope
        self.line_starts = [0]
        for line in source.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        #: Enclosing classes and functions: (name, is_function).
        self.enclosing: list[tuple[str, bool]] = []
        self.mutants: list[Mutant] = []

    # positions (AST columns are UTF-8 byte offsets)
    def start(self, node: ast.AST | _Span) -> int:
        if isinstance(node, _Span):
            return node.start
        return self.line_starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined,no-any-return]

    def end(self, node: ast.AST) -> int:
        end_line: int = node.end_lineno  # type: ignore[attr-defined]
        end_col: int = node.end_col_offset  # type: ignore[attr-defined]
        return self.line_starts[end_line - 1] + end_col

    def text(self, start: int, end: int) -> str:
        return self.source[start:end].decode()

    @property
    def active(self) -> bool:
        """Whether the current position is inside the scope."""
        if not self.scope:
            return True
        qualname = ".".join(name for name, _ in self.enclosing)
        return any(qualname == name or qualname.startswith(name + ".") for name in self.scope)

    @property
    def at_top_level(self) -> bool:
        """Directly in the module or a class body, not inside a function."""
        return not any(is_function for _, is_function in self.enclosing)

    def add(self, line: int, operator: str, start: int, end: int, replacement: str) -> None:
        if self.active:
            self.mutants.append(Mutant(self.path, line, operator, start, end, replacement, self.text(start, end)))

    def replace_between(self, operator: str, left: ast.AST, right: ast.AST, pattern: str, new: str) -> None:
        """Replace the operator token found between two operands."""
        gap_start = self.end(left)
        gap = self.text(gap_start, self.start(right))
        found = re.search(pattern, gap)
        if found is not None:
            offset = gap_start + len(gap[: found.start()].encode())
            self.add(left.lineno, operator, offset, offset + len(found.group().encode()), new)  # type: ignore[attr-defined]

    def remove_item(self, line: int, operator: str, items: Sequence[ast.AST | _Span], index: int) -> None:
        """Delete one element of a comma-separated list, with its separator."""
        if index < len(items) - 1:
            start, end = self.start(items[index]), self.start(items[index + 1])
        elif index > 0:
            start, end = self.span_end(items[index - 1]), self.span_end(items[index])
        else:
            start, end = self.start(items[index]), self.span_end(items[index])
        self.add(line, operator, start, end, "")

    def span_end(self, node: ast.AST | _Span) -> int:
        return node.end if isinstance(node, _Span) else self.end(node)

    # structure: scope and skipped parts (docstrings, decorators, annotations)
    def _visit_body(self, body: Sequence[ast.stmt]) -> None:
        for statement in body[1:] if body and is_docstring(body[0]) else body:
            self.visit(statement)

    def visit_Module(self, node: ast.Module) -> None:
        self._visit_body(node.body)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.enclosing.append((node.name, False))
        self._visit_body(node.body)
        self.enclosing.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self.enclosing.append((node.name, True))
        self._visit_body(node.body)
        self.enclosing.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._collection_elements(node.value)
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        self._collection_elements(node.value)
        self.visit(node.value)

    def visit_arg(self, node: ast.arg) -> None:
        """Annotations are not mutated."""

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """Message text is not mutated."""

    def visit_Import(self, node: ast.Import) -> None:
        """Nothing to mutate."""

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Nothing to mutate."""

    # operators
    def _collection_elements(self, value: ast.expr) -> None:
        """Module- and class-level constant collections: remove one element (or one dict entry) at a time."""
        if not self.at_top_level:
            return
        if (
            isinstance(value, ast.Call)
            and dotted_name(value.func) in COLLECTION_CALLS
            and len(value.args) == 1
            and not value.keywords
        ):
            value = value.args[0]
        if isinstance(value, ast.Tuple | ast.List | ast.Set):
            elements = value.elts
            if len(elements) >= 2 and all(isinstance(e, ast.Constant) for e in elements):
                for index, element in enumerate(elements):
                    self.remove_item(element.lineno, "collection_element", elements, index)
        elif isinstance(value, ast.Dict) and len(value.keys) >= 2:
            entries = [
                _Span(self.start(k), self.end(v), k.lineno)
                for k, v in zip(value.keys, value.values, strict=True)
                if k is not None
            ]
            if len(entries) == len(value.keys):
                for index, entry in enumerate(entries):
                    self.remove_item(entry.lineno, "dict_entry", entries, index)

    def visit_If(self, node: ast.If) -> None:
        if dotted_name(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            return
        if isinstance(node.test, ast.Compare) and dotted_name(node.test.left) == "__name__":
            return
        if isinstance(node.test, ast.Call) and dotted_name(node.test.func).endswith(".isEnabledFor"):
            return
        self._negate(node.test)
        self.generic_visit(node)

    def visit_While(self, node: ast.While) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._negate(node.test)
        self.generic_visit(node)

    def _negate(self, test: ast.expr) -> None:
        start, end = self.start(test), self.end(test)
        self.add(test.lineno, "negate_condition", start, end, f"not ({self.text(start, end)})")

    def visit_Compare(self, node: ast.Compare) -> None:
        operands = [node.left, *node.comparators]
        for index, op in enumerate(node.ops):
            pattern, new = COMPARE_SWAPS[type(op)]
            self.replace_between("compare", operands[index], operands[index + 1], pattern, new)
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        """Every operator of the chain at once: `a and b and c` -> `a or b or c`."""
        pattern, new = BOOL_SWAPS[type(node.op)]
        start, end = self.start(node), self.end(node)
        pieces, cursor = [], start
        for left, right in itertools.pairwise(node.values):
            gap_start = self.end(left)
            gap = self.text(gap_start, self.start(right))
            found = re.search(pattern, gap)
            if found is None:
                break
            offset = gap_start + len(gap[: found.start()].encode())
            pieces += [self.text(cursor, offset), new]
            cursor = offset + len(found.group().encode())
        else:
            pieces.append(self.text(cursor, end))
            self.add(node.lineno, "boolean", start, end, "".join(pieces))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        start, end = self.start(node), self.end(node)
        if isinstance(value, bool):
            self.add(node.lineno, "boolean_constant", start, end, repr(not value))
        elif isinstance(value, int | float):
            changed = 1 if value == 0 else 0 if value == 1 else value + 1
            self.add(node.lineno, "number", start, end, repr(type(value)(changed)))

    def visit_Dict(self, node: ast.Dict) -> None:
        """String keys of dicts built in functions are renamed; values are visited."""
        if not self.at_top_level:
            for key in node.keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value:
                    start, end = self.start(key), self.end(key)
                    self.add(key.lineno, "dict_key", start, end, repr(key.value + "_mutated"))
        for value in node.values:
            self.visit(value)

    def visit_Return(self, node: ast.Return) -> None:
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            self.add(node.lineno, "return_none", self.start(node), self.end(node), "return None")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        call = node.value.value if isinstance(node.value, ast.Await) else node.value
        if isinstance(call, ast.Call) and not is_logging_call(call):
            self.add(node.lineno, "remove_call", self.start(node), self.end(node), "pass")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        """Each keyword argument removed in turn; logging calls and documentation keywords left alone."""
        if is_logging_call(node):
            return
        items: list[ast.AST] = sorted([*node.args, *node.keywords], key=self.start)
        for keyword in node.keywords:
            if keyword.arg is not None and keyword.arg not in DOC_KEYWORDS:
                self.remove_item(keyword.lineno, "remove_keyword", items, items.index(keyword))
        self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            if keyword.arg not in DOC_KEYWORDS:
                self.visit(keyword.value)

    def visit_Break(self, node: ast.Break) -> None:
        self.add(node.lineno, "break_continue", self.start(node), self.end(node), "continue")

    def visit_Continue(self, node: ast.Continue) -> None:
        self.add(node.lineno, "break_continue", self.start(node), self.end(node), "break")


@dataclass(frozen=True)
class _Span:
    """A source range that is not a single AST node (a dict entry)."""

    start: int
    end: int
    lineno: int


def find_mutants(tree: Path, target: Target) -> list[Mutant]:
    """Every compilable, distinct mutant of `target`, in source order."""
    source = (tree / target.path).read_bytes()
    finder = MutantFinder(target.path, source, target.scope)
    finder.visit(ast.parse(source, target.path))
    seen: set[tuple[int, int, str]] = set()
    mutants: list[Mutant] = []
    for mutant in sorted(finder.mutants, key=lambda m: (m.start, m.end, m.operator, m.replacement)):
        key = (mutant.start, mutant.end, mutant.replacement)
        if key in seen or mutant.replacement == mutant.original:
            continue
        seen.add(key)
        try:
            compile(mutant.apply(source), target.path, "exec")
        except SyntaxError:
            continue
        mutants.append(mutant)
    return mutants


# -- the work tree --------------------------------------------------------------------------------


def project_files() -> list[str]:
    """Tracked and untracked (not ignored) files of the working tree, minus excluded directories."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    names = sorted({name for name in listed.split("\0") if name})
    return [name for name in names if not COPY_EXCLUDED.intersection(Path(name).parts) and (REPO_ROOT / name).is_file()]


def prepare_tree(tree: Path) -> None:
    """A fresh copy of the working tree at `tree`, tool directories linked."""
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    for name in project_files():
        destination = tree / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, destination)
    for name in LINKED_DIRS:
        if (REPO_ROOT / name).exists():
            (tree / name).symlink_to(REPO_ROOT / name)


def tree_env(tree: Path) -> dict[str, str]:
    """The environment of a test run in `tree`: the copy first on sys.path, no bytecode written."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str((tree / root).resolve()) for root in IMPORT_ROOTS)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYTEST_ADDOPTS", None)
    return env


def check_imports(tree: Path) -> dict[str, str]:
    """Where the test process and a process it starts import each package from; SystemExit unless inside `tree`."""
    code = (
        "import importlib, json, sys; print(json.dumps({n: importlib.import_module(n).__file__ for n in sys.argv[1:]}))"
    )
    launcher = (
        f"import subprocess, sys; sys.exit(subprocess.run([sys.executable, '-c', {code!r}, *sys.argv[1:]]).returncode)"
    )
    origins: dict[str, str] = {}
    for label, program in (("test process", code), ("its subprocess", launcher)):
        done = subprocess.run(
            [PYTHON, "-c", program, *IMPORT_PROBES], cwd=tree, env=tree_env(tree), capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"import check failed in the {label}:\n{done.stderr}")
        for name, origin in json.loads(done.stdout).items():
            if not Path(origin).resolve().is_relative_to(tree.resolve()):
                raise SystemExit(f"{name} imports from {origin} in the {label}, not from the copy {tree}")
            origins[f"{label}: {name}"] = origin
    return origins


# -- running tests ----------------------------------------------------------------------------------


@dataclass
class TestRun:
    """One pytest run's outcome."""

    returncode: int | None
    seconds: float
    failures: list[str]
    output: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


FAILURE_LINE = re.compile(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", re.MULTILINE)


def run_pytest(
    tree: Path, tests: Sequence[str], timeout: float, extra: Sequence[str] = (), stop_early: bool = True
) -> TestRun:
    """pytest on `tests` inside `tree`; on timeout the whole process group (emulator included) is killed."""
    flags = PYTEST_FLAGS if stop_early else tuple(flag for flag in PYTEST_FLAGS if flag != "-x")
    basetemp = tree.parent / f"{tree.name}-tmp"  # per tree: concurrent runs never clean up each other's
    command = [PYTHON, "-m", "pytest", *flags, f"--basetemp={basetemp}", *extra, *tests]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        cwd=tree,
        env=tree_env(tree),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        returncode: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        returncode = None
    finally:
        _kill_leftovers(process.pid)
    text = output.decode(errors="replace")
    return TestRun(returncode, time.monotonic() - started, FAILURE_LINE.findall(text), text)


def _kill_leftovers(group: int) -> None:
    """Kill what is left of the run's process group (an emulator orphaned by a crashed test process)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


@dataclass(frozen=True)
class Baseline:
    """Seconds per test file of an unmutated run, and the fixed cost of starting one."""

    file_seconds: dict[str, float]
    overhead: float
    #: Tests that fail unmutated, left out of every mutant's run (`--deselect-failing`).
    deselected: tuple[str, ...] = ()

    @property
    def pytest_args(self) -> list[str]:
        return [arg for node in self.deselected for arg in ("--deselect", node)]

    def timeout(self, tests: Sequence[str], factor: float, minimum: float) -> float:
        expected = self.overhead + sum(self.file_seconds.get(name, 30.0) for name in tests)
        return max(minimum, factor * expected + 30.0)


DURATION_LINE = re.compile(r"^([0-9.]+)s (?:setup|call|teardown)\s+(\S+?\.py)::", re.MULTILINE)


def run_baseline(tree: Path, tests: Sequence[str], deselect_failing: bool) -> Baseline:
    """Run `tests` unmutated once (no -x); SystemExit when any fails, unless failing tests are to be deselected."""
    print(f"baseline: {len(tests)} test files unmutated ...", flush=True)
    run = run_pytest(tree, tests, timeout=3600, extra=("--durations=0", "--durations-min=0"), stop_early=False)
    if run.returncode != 0 and not (deselect_failing and run.returncode == 1 and run.failures):
        print(run.output[-6000:])
        raise SystemExit(
            f"the unmutated tests fail (exit {run.returncode}): {', '.join(run.failures) or 'see above'}; "
            "fix them, or pass --deselect-failing to leave them out"
        )
    for node in run.failures:
        print(f"baseline: fails unmutated, deselected: {node}")
    per_file: dict[str, float] = dict.fromkeys(tests, 0.0)
    for seconds, name in DURATION_LINE.findall(run.output):
        if name in per_file:
            per_file[name] += float(seconds)
    overhead = max(5.0, run.seconds - sum(per_file.values()))
    print(f"baseline: passed in {run.seconds:.0f}s", flush=True)
    for name, seconds in sorted(per_file.items(), key=lambda item: -item[1]):
        print(f"  {seconds:6.1f}s {name}")
    return Baseline(per_file, overhead, tuple(run.failures))


# -- results --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """A decided mutant (or planted bug)."""

    id: str
    path: str
    line: int
    operator: str
    mutation: str
    status: str
    seconds: float
    tests: list[str]
    failures: list[str] = field(default_factory=list)
    diff: str = ""
    fingerprint: str = ""


def fingerprint(tree: Path, path: str, tests: Iterable[str]) -> str:
    """Hash of the mutated file and its selected tests: a stored result holds while these are unchanged."""
    digest = hashlib.sha256()
    for name in (path, *tests):
        digest.update(name.encode() + b"\0" + (tree / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def unified_diff(path: str, before: bytes, after: bytes) -> str:
    lines = difflib.unified_diff(
        before.decode().splitlines(keepends=True),
        after.decode().splitlines(keepends=True),
        f"a/{path}",
        f"b/{path}",
        n=1,
    )
    return "".join(lines)


class ResultStore:
    """Outcomes by id in a JSON file, saved after every change."""

    def __init__(self, path: Path, fresh: bool) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.outcomes: dict[str, dict[str, Any]] = {}
        if path.is_file() and not fresh:
            self.outcomes = json.loads(path.read_text()).get("outcomes", {})

    def decided(self, mutant_id: str, expected_fingerprint: str) -> Outcome | None:
        """The stored outcome, when it was decided for the same source and tests."""
        stored = self.outcomes.get(mutant_id)
        if stored is None or stored.get("fingerprint") != expected_fingerprint:
            return None
        return Outcome(**stored)

    def save(self, outcome: Outcome, summary: dict[str, Any]) -> None:
        with self.lock:
            self.outcomes[outcome.id] = asdict(outcome)
            self.write(summary)

    def write(self, summary: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"summary": summary, "outcomes": self.outcomes}, indent=1))
        temporary.replace(self.path)


def status_of(run: TestRun) -> str:
    if run.timed_out:
        return "timeout"
    return "survived" if run.returncode == 0 else "killed"


def print_outcome(index: int, total: int, outcome: Outcome, resumed: bool = False) -> None:
    width = len(str(total))
    note = " (previous run)" if resumed else ""
    print(
        f"[{index:>{width}}/{total}] {outcome.id} {outcome.path}:{outcome.line} {outcome.operator} "
        f"{outcome.mutation} {outcome.status} {outcome.seconds:.1f}s{note}",
        flush=True,
    )


def score_summary(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    killed = sum(o.status == "killed" for o in outcomes)
    timeouts = sum(o.status == "timeout" for o in outcomes)
    survived = sum(o.status == "survived" for o in outcomes)
    total = len(outcomes)
    return {
        "total": total,
        "killed": killed,
        "timeout": timeouts,
        "survived": survived,
        "score": round((killed + timeouts) / total, 4) if total else None,
        "seconds": round(sum(o.seconds for o in outcomes), 1),
    }


def report(outcomes: Sequence[Outcome], summary: dict[str, Any]) -> None:
    survivors = [o for o in outcomes if o.status == "survived"]
    by_file: dict[str, list[Outcome]] = {}
    for outcome in survivors:
        by_file.setdefault(outcome.path, []).append(outcome)
    for path, group in by_file.items():
        print(f"\nsurvivors in {path} ({len(group)}):")
        for outcome in sorted(group, key=lambda o: o.line):
            print(f"- {outcome.id} line {outcome.line} {outcome.operator} {outcome.mutation}")
            print(textwrap.indent(outcome.diff.rstrip("\n"), "    "))
    score = "n/a" if summary["score"] is None else f"{summary['score']:.1%}"
    print(
        f"\nscore: {summary['killed'] + summary['timeout']}/{summary['total']} = {score} "
        f"(killed {summary['killed']}, timeout {summary['timeout']}, survived {summary['survived']}); "
        f"test time {summary['seconds']:.0f}s"
    )


# -- modes --------------------------------------------------------------------------------------


@dataclass
class Options:
    """Parsed command line."""

    mode: str
    targets: list[str]
    limit: int | None
    sample: int | None
    seed: int
    jobs: int
    work: Path
    fresh: bool
    timeout_factor: float
    minimum_timeout: float
    bugs: list[str]
    deselect_failing: bool


def select_targets(patterns: Sequence[str]) -> list[Target]:
    """Targets whose group or path matches one of `patterns` (all when none is given)."""
    if not patterns:
        return list(TARGETS)
    chosen = [t for t in TARGETS if any(p == t.group or fnmatch.fnmatch(t.path, p) for p in patterns)]
    if not chosen:
        raise SystemExit(f"no target matches {patterns}; groups: core, emulator-auth, handlers")
    return chosen


def select_mutants(tree: Path, options: Options) -> list[Mutant]:
    mutants = [m for target in select_targets(options.targets) for m in find_mutants(tree, target)]
    if options.sample is not None and options.sample < len(mutants):
        picked = set(random.Random(options.seed).sample(range(len(mutants)), options.sample))
        mutants = [m for index, m in enumerate(mutants) if index in picked]
    if options.limit is not None:
        mutants = mutants[: options.limit]
    return mutants


def worker_trees(work: Path, jobs: int) -> list[Path]:
    return [work / ("tree" if index == 0 else f"tree-{index + 1}") for index in range(jobs)]


def run_mutants(options: Options) -> int:
    trees = worker_trees(options.work, options.jobs)
    for tree in trees:
        prepare_tree(tree)
    check_imports(trees[0])
    mutants = select_mutants(trees[0], options)
    if options.mode == "list":
        for index, mutant in enumerate(mutants, 1):
            print(f"{index:4d} {mutant.id} {mutant.path}:{mutant.line} {mutant.operator} {mutant.summary}")
        print(f"{len(mutants)} mutants")
        return 0
    tests_by_path = {m.path: tests_for(m.path, trees[0]) for m in mutants}
    untested = sorted(path for path, tests in tests_by_path.items() if not tests)
    if untested:
        raise SystemExit(f"no test file mapped to {untested}")
    store = ResultStore(options.work / "mutants.json", options.fresh)
    prints = {path: fingerprint(trees[0], path, tests) for path, tests in tests_by_path.items()}
    pending = [m for m in mutants if store.decided(m.id, prints[m.path]) is None]
    print(f"{len(mutants)} mutants, {len(mutants) - len(pending)} decided by a previous run", flush=True)
    baseline = Baseline({}, 0.0)
    if pending:
        needed = list(dict.fromkeys(name for m in pending for name in tests_by_path[m.path]))
        baseline = run_baseline(trees[0], needed, options.deselect_failing)
    outcomes: dict[str, Outcome] = {}
    order = {m.id: index for index, m in enumerate(mutants, 1)}
    started = time.monotonic()
    for mutant in mutants:
        previous = store.decided(mutant.id, prints[mutant.path])
        if previous is not None:
            outcomes[mutant.id] = previous
            print_outcome(order[mutant.id], len(mutants), previous, resumed=True)
    free_trees: queue.Queue[Path] = queue.Queue()
    for tree in trees:
        free_trees.put(tree)
    print_lock = threading.Lock()

    def run_one(mutant: Mutant) -> Outcome:
        tree = free_trees.get()
        try:
            tests = tests_by_path[mutant.path]
            file = tree / mutant.path
            original = file.read_bytes()
            mutated = mutant.apply(original)
            file.write_bytes(mutated)
            try:
                timeout = baseline.timeout(tests, options.timeout_factor, options.minimum_timeout)
                run = run_pytest(tree, tests, timeout, extra=baseline.pytest_args)
            finally:
                file.write_bytes(original)
        finally:
            free_trees.put(tree)
        outcome = Outcome(
            mutant.id,
            mutant.path,
            mutant.line,
            mutant.operator,
            mutant.summary,
            status_of(run),
            round(run.seconds, 1),
            list(tests),
            run.failures[:3],
            unified_diff(mutant.path, original, mutated),
            prints[mutant.path],
        )
        with print_lock:
            outcomes[mutant.id] = outcome
            store.save(outcome, score_summary(list(outcomes.values())))
            print_outcome(order[mutant.id], len(mutants), outcome)
        return outcome

    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        for future in concurrent.futures.as_completed([pool.submit(run_one, m) for m in pending]):
            future.result()
    ordered = [outcomes[m.id] for m in mutants]
    summary = {**score_summary(ordered), "wall_seconds": round(time.monotonic() - started, 1)}
    store.write(summary)
    report(ordered, summary)
    print(f"results: {store.path}")
    return 0


def run_planted(options: Options) -> int:
    tree = worker_trees(options.work, 1)[0]
    prepare_tree(tree)
    check_imports(tree)
    bugs = [b for b in PLANTED_BUGS if not options.bugs or b.name in options.bugs]
    broken = failing_unmutated(tree, [name for bug in bugs for name in bug.tests])
    store = ResultStore(options.work / "planted.json", options.fresh)
    outcomes: list[Outcome] = []
    for index, bug in enumerate(bugs, 1):
        outcome = run_bug(tree, bug, options, broken)
        outcomes.append(outcome)
        store.save(outcome, {})
        print(f"[{index}/{len(bugs)}] {bug.name} ({bug.path}): {outcome.status} {outcome.seconds:.0f}s", flush=True)
        if outcome.failures:
            print(f"    caught by {', '.join(outcome.failures)}")
        if outcome.status == "not-applied":
            print(f"    {outcome.mutation}")
        print(f"    tests: {' '.join(outcome.tests)}", flush=True)
    caught = [o for o in outcomes if o.status in ("killed", "timeout")]
    print(f"\nplanted bugs caught: {len(caught)}/{len(outcomes)}")
    for outcome in outcomes:
        if outcome.status not in ("killed", "timeout"):
            print(f"- {outcome.status}: {outcome.id} ({outcome.path})")
    store.write({"caught": len(caught), "total": len(outcomes)})
    print(f"results: {store.path}")
    return 0


def failing_unmutated(tree: Path, tests: Sequence[str]) -> set[str]:
    """Test files (of those that exist) with a failure in an unmutated run; they are left out of planted runs."""
    existing = [name for name in dict.fromkeys(tests) if (tree / name).is_file()]
    print(f"baseline: {len(existing)} test files unmutated ...", flush=True)
    run = run_pytest(tree, existing, timeout=3600, stop_early=False)
    broken = {failure.split("::")[0] for failure in run.failures}
    if run.returncode not in (0, 1) and not broken:
        print(run.output[-6000:])
        raise SystemExit(f"the unmutated tests could not run (exit {run.returncode})")
    for name in sorted(broken):
        print(f"baseline: {name} fails unmutated, left out: {[f for f in run.failures if f.startswith(name)][:3]}")
    print(f"baseline: {run.seconds:.0f}s", flush=True)
    return broken


def run_bug(tree: Path, bug: PlantedBug, options: Options, broken: Collection[str] = ()) -> Outcome:
    """Apply one planted bug in `tree`, run its tests (minus `broken` ones), restore the file."""
    tests = [name for name in bug.tests if (tree / name).is_file() and name not in broken]
    file = tree / bug.path
    original = file.read_bytes()
    try:
        mutated = apply_patches(original.decode(), bug.patches).encode()
    except ValueError as exc:
        return Outcome(bug.name, bug.path, 0, "planted", str(exc), "not-applied", 0.0, tests)
    line = next(
        (i for i, (a, b) in enumerate(zip(original.splitlines(), mutated.splitlines(), strict=False), 1) if a != b), 0
    )
    file.write_bytes(mutated)
    try:
        run = run_pytest(tree, tests, timeout=max(options.minimum_timeout, 1800.0))
    finally:
        file.write_bytes(original)
    return Outcome(
        bug.name,
        bug.path,
        line,
        "planted",
        bug.name,
        status_of(run),
        round(run.seconds, 1),
        tests,
        run.failures[:3],
        unified_diff(bug.path, original, mutated),
    )


def run_canary(options: Options) -> int:
    """Prove that the emulator subprocess and the test process run the mutated copy."""
    tree = worker_trees(options.work, 1)[0]
    prepare_tree(tree)
    for origin in check_imports(tree).items():
        print(f"import {origin[0]} <- {origin[1]}")
    unmutated = probe_ardent_auth(tree)
    file = tree / CANARY.path
    original = file.read_bytes()
    file.write_bytes(apply_patches(original.decode(), CANARY.patches).encode())
    try:
        mutated = probe_ardent_auth(tree)
    finally:
        file.write_bytes(original)
    print(f"unsigned Ardent request to an emulator started from the copy: {unmutated} unmutated, {mutated} with canary")
    outcome = run_bug(tree, CANARY, options)
    print(f"canary {CANARY.name}: {outcome.status} in {outcome.seconds:.0f}s by {', '.join(outcome.failures) or '-'}")
    ResultStore(options.work / "canary.json", fresh=True).save(
        outcome, {"probe_unmutated": unmutated, "probe_mutated": mutated}
    )
    proven = unmutated == 401 and mutated != 401 and outcome.status == "killed"
    print("canary: mutated code reaches the emulator subprocess" if proven else "canary: NOT PROVEN")
    return 0 if proven else 1


ARDENT_PROBE = textwrap.dedent(
    """
    import json, sys, tempfile, httpx
    from pulumi_dataplatforms_emulator.process import EmulatorProcess
    with tempfile.TemporaryDirectory() as data, EmulatorProcess(data) as emulator:
        url = emulator.env()["ARDENT_BASE_URL"].rstrip("/") + "/v1/configs/deleteConfig"
        answer = httpx.request("DELETE", url, content=json.dumps({"id": "none"}), timeout=10)
        print(answer.status_code)
    """
)


def probe_ardent_auth(tree: Path) -> int:
    """Status of an unsigned Ardent request to an emulator started (as the tests start it) from `tree`."""
    done = subprocess.run(
        [PYTHON, "-c", ARDENT_PROBE], cwd=tree, env=tree_env(tree), capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        raise SystemExit(f"probe failed:\n{done.stderr}")
    return int(done.stdout.split()[-1])


# -- command line -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--canary", action="store_const", dest="mode", const="canary", help="prove the setup")
    modes.add_argument("--planted", action="store_const", dest="mode", const="planted", help="named planted bugs")
    modes.add_argument("--list", action="store_const", dest="mode", const="list", help="print mutants, run none")
    parser.add_argument(
        "--target", action="append", default=[], help="group (core, emulator-auth, handlers) or path glob"
    )
    parser.add_argument("--bug", action="append", default=[], help="planted bug name (default: all)")
    parser.add_argument("--limit", type=int, help="run only the first N mutants")
    parser.add_argument("--sample", type=int, help="run a random sample of N mutants")
    parser.add_argument("--seed", type=int, default=0, help="seed of --sample")
    parser.add_argument("--jobs", type=int, choices=(1, 2), default=1, help="mutants run at once")
    parser.add_argument("--work", type=Path, default=REPO_ROOT / ".mutation", help="work directory")
    parser.add_argument("--fresh", action="store_true", help="ignore results of previous runs")
    parser.add_argument(
        "--deselect-failing", action="store_true", help="leave out tests that fail unmutated instead of stopping"
    )
    parser.add_argument("--timeout-factor", type=float, default=3.0, help="timeout = factor x baseline + 30 s")
    parser.add_argument("--minimum-timeout", type=float, default=60.0, help="seconds")
    args = parser.parse_args(argv)
    return Options(
        mode=args.mode or "mutants",
        targets=args.target,
        limit=args.limit,
        sample=args.sample,
        seed=args.seed,
        jobs=args.jobs,
        work=args.work.resolve(),
        fresh=args.fresh,
        timeout_factor=args.timeout_factor,
        minimum_timeout=args.minimum_timeout,
        bugs=args.bug,
        deselect_failing=args.deselect_failing,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(sys.argv[1:] if argv is None else argv)
    runners = {"canary": run_canary, "planted": run_planted}
    return runners.get(options.mode, run_mutants)(options)


if __name__ == "__main__":
    sys.exit(main())
