"""The pages of the SDK's public functions (`docs/<platform>/functions/<name>.md`).

The functions are enumerated here from the modules themselves (every name in a platform module's `__all__`
that is a function), not from the generator, so a new function without a page fails. Each page's parameters
table is compared with the function's signature, its signature block with the overloads, its settings with
the config keys the function really reads, its errors with the exceptions it really raises without settings,
and its example with the function's parameters; the index and the platform's resource pages link it, and
`--check` (`make schema-check`, test_generated.py) covers it.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest

import pulumi_dataplatforms
from pulumi_dataplatforms_provider.generate.__main__ import main
from pulumi_dataplatforms_provider.generate.files import generated_files, stale_files
from pulumi_dataplatforms_provider.generate.functions import (
    PublicFunction,
    function_page,
    overloads_from_source,
    signature_of,
)

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
#: The functions the SDK had when these pages were added; the enumeration must find at least these.
KNOWN = {
    "eloq.get_skus",
    "spark.client",
    "spark.execute",
    "aerostack.client",
    "aerostack.invoke_service",
    "aerostack.chat",
    "aerostack.enqueue",
}
FENCE = re.compile(r"```python\n(?P<code>.*?)```", re.S)


def sdk_functions() -> dict[str, Callable[..., Any]]:
    """`module.name` -> function, for every function named in a platform module's `__all__`."""
    found = {}
    for module_name in pulumi_dataplatforms.__all__:
        module = importlib.import_module(f"pulumi_dataplatforms.{module_name}")
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                found[f"{module_name}.{name}"] = value
    return found


FUNCTIONS = sdk_functions()
NAMES = sorted(FUNCTIONS)


def page_path(qualified: str) -> str:
    """`spark.execute` -> `spark/functions/execute.md`."""
    module, name = qualified.split(".")
    return f"{module}/functions/{name}.md"


def page_text(qualified: str) -> str:
    return (DOCS / page_path(qualified)).read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under `## heading` up to the next `## ` heading."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no `## {heading}` section"
    return match[1]


def subsection(text: str, heading: str) -> str:
    """The text under `### heading` up to the next heading."""
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^##|\Z)", text, re.S | re.M)
    assert match, f"no `### {heading}` section"
    return match[1]


def table(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in `text`, cells unescaped and stripped."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    assert len(lines) >= 2, f"no table in {text!r}"
    return [
        [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for line in lines[2:]  # header and separator
    ]


def code(cell: str) -> str:
    assert cell.startswith("`") and cell.endswith("`"), cell
    return cell[1:-1]


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return generated_files()


def declared_overloads(function: Callable[..., Any]) -> list[Callable[..., Any]]:
    """The function's `@overload` stubs, from `typing` (which records them from Python 3.11 on)."""
    if sys.version_info < (3, 11):
        pytest.skip("typing.get_overloads needs Python 3.11")
    return list(typing.get_overloads(function))


def test_the_enumeration_finds_the_known_functions() -> None:
    """The modules' `__all__` name (at least) the functions the SDK has; classes are not functions."""
    assert set(FUNCTIONS) >= KNOWN
    assert "eloq.Sku" not in FUNCTIONS and "spark.Service" not in FUNCTIONS


@pytest.mark.parametrize("qualified", NAMES)
def test_every_public_function_has_a_generated_page(qualified: str, files: dict[str, str]) -> None:
    """The page exists in the checkout and is one of the generated files (so `--check` covers it)."""
    assert (DOCS / page_path(qualified)).is_file(), f"{qualified}: no page; run `make schema`"
    assert f"docs/{page_path(qualified)}" in files
    assert page_text(qualified).startswith("<!-- Generated from the SDK function")
    assert f"# {qualified}\n" in page_text(qualified)


def test_every_function_page_is_a_public_function(files: dict[str, str]) -> None:
    """Pages below `docs/<platform>/` are function pages, one for each public function and no other."""
    on_disk = {
        p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if p.relative_to(DOCS).as_posix().count("/") > 1
    }
    generated = {path.removeprefix("docs/") for path in files if path.startswith("docs/") and path.count("/") > 2}
    assert on_disk == generated == {page_path(name) for name in NAMES}


def documented_function(text: str) -> Callable[..., Any]:
    """A function of a test-only module, documented as the generator requires."""

    def describe_plan(plan: str, *, verbose: bool = False) -> dict[str, Any]:
        return {}

    describe_plan.__doc__ = text
    describe_plan.__module__ = __name__
    return describe_plan


GOOD_DOC = """What a plan includes.

Args:
    plan: The plan's name.
    verbose: Whether to list every limit.

Returns:
    The plan's limits by name.

Example:
    eloq.describe_plan("pro")
"""


def test_a_new_function_without_a_page_is_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    """A function added to a module's `__all__` gets a page from the generator, and the checkout lacks it."""
    from pulumi_dataplatforms import eloq

    monkeypatch.setattr(eloq, "describe_plan", documented_function(GOOD_DOC), raising=False)
    monkeypatch.setattr(eloq, "__all__", [*eloq.__all__, "describe_plan"])
    assert "eloq.describe_plan" in sdk_functions()
    stale = stale_files(ROOT, generated_files())
    assert "docs/eloq/functions/describe_plan.md: missing" in stale
    assert "docs/README.md: out of date" in stale and "docs/eloq/Cluster.md: out of date" in stale


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        (GOOD_DOC.replace("    verbose: Whether to list every limit.\n", ""), "missing ['verbose']"),
        (
            GOOD_DOC.replace("    plan: The plan's name.\n", "    plan: The plan's name.\n    level: Depth.\n"),
            "unknown",
        ),
        (GOOD_DOC.replace("Returns:\n    The plan's limits by name.\n", ""), "no Returns"),
        (GOOD_DOC.replace("Example:\n", "Examples:\n"), "no Example"),
        (GOOD_DOC + "\nRaises:\n    PlanError: Never.\n", "no exception class"),
    ],
)
def test_an_undocumented_function_stops_the_generator(doc: str, problem: str) -> None:
    """Every parameter needs an Args entry (and no other), the result a Returns, the page an Example."""
    with pytest.raises(ValueError, match=re.escape(problem)):
        function_page(PublicFunction("eloq", "describe_plan", documented_function(doc)))


@pytest.mark.parametrize("qualified", NAMES)
def test_parameters_table_lists_the_signature(qualified: str) -> None:
    """One row per parameter, in order, with its default (`required` when it has none), a type and a description."""
    signature = inspect.signature(FUNCTIONS[qualified])
    text = section(page_text(qualified), "Parameters")
    if not signature.parameters:
        assert text.strip() == "None."
        return
    rows = table(text)
    assert [code(row[0]) for row in rows] == list(signature.parameters)
    for row, parameter in zip(rows, signature.parameters.values(), strict=True):
        _, type_cell, default_cell, description = row
        if parameter.default is parameter.empty:
            assert default_cell == "required", parameter.name
        else:
            assert ast.literal_eval(code(default_cell)) == parameter.default, parameter.name
        assert code(type_cell), parameter.name
        assert description, parameter.name
        assert (parameter.kind == parameter.KEYWORD_ONLY) == description.endswith("Keyword-only."), parameter.name


def signature_block(qualified: str) -> list[ast.FunctionDef]:
    """The `def`s of the page's signature block."""
    text = page_text(qualified)
    heading = "Signatures" if "## Signatures\n" in text else "Signature"
    (block,) = FENCE.findall(section(text, heading))
    return [node for node in ast.parse(block).body if isinstance(node, ast.FunctionDef)]


def arguments(node: ast.FunctionDef) -> list[str]:
    return [argument.arg for argument in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]]


@pytest.mark.parametrize("qualified", NAMES)
def test_signature_block_shows_each_overload(qualified: str) -> None:
    """The block is Python: one `@overload` def per overload, else the one signature, with the same parameters."""
    function = FUNCTIONS[qualified]
    stubs = declared_overloads(function)
    nodes = signature_block(qualified)
    expected = stubs or [function]
    assert len(nodes) == len(expected)
    for node, stub in zip(nodes, expected, strict=True):
        assert node.name == function.__name__
        assert [ast.unparse(d) for d in node.decorator_list] == (["overload"] if stubs else [])
        assert arguments(node) == list(inspect.signature(stub).parameters)
        assert node.returns is not None
        assert ast.unparse(node.returns).replace("'", '"') == inspect.signature(stub).return_annotation


def test_spark_execute_shows_both_overloads() -> None:
    """The overloaded function there is: its two overloads and their return types."""
    nodes = signature_block("spark.execute")
    assert [ast.unparse(node.returns) for node in nodes if node.returns] == ["dict[str, Any]", "list[dict[str, Any]]"]
    assert "`execute` has 2 overloads" in page_text("spark.execute")


@pytest.mark.parametrize("qualified", NAMES)
def test_overloads_from_source_match_typing(qualified: str) -> None:
    """On 3.10 the generator reads overloads from the source; that gives what `typing.get_overloads` gives."""
    function = FUNCTIONS[qualified]
    assert overloads_from_source(function) == [signature_of(stub) for stub in declared_overloads(function)]


def test_some_function_has_overloads() -> None:
    """The overload tests above are not vacuous."""
    assert any(declared_overloads(function) for function in FUNCTIONS.values())


def links(text: str) -> set[str]:
    return set(re.findall(r"\]\(([^)#\s]+)", text))


def test_the_index_links_every_function_page() -> None:
    """docs/README.md links each function's page, under its platform."""
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert {page_path(name) for name in NAMES} <= links(index)
    for name in NAMES:
        assert f"`{name}(" in index


def test_resource_pages_link_their_platforms_functions() -> None:
    """Every resource page of a platform links each function of that platform (and no other platform's)."""
    for page in sorted(DOCS.glob("*/*.md")):
        platform = page.parent.name
        expected = {f"functions/{name.split('.')[1]}.md" for name in NAMES if name.split(".")[0] == platform}
        found = {link for link in links(page.read_text(encoding="utf-8")) if link.startswith("functions/")}
        assert found == expected, page.relative_to(DOCS).as_posix()


@pytest.mark.parametrize("qualified", NAMES)
def test_function_page_links_resolve(qualified: str) -> None:
    """Every relative link of a function page names a file that exists."""
    page = DOCS / page_path(qualified)
    for link in links(page.read_text(encoding="utf-8")):
        assert (page.parent / link).resolve().is_file(), link


def test_the_generator_check_covers_function_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--check` reports an edited, a missing and an extra function page; a plain run repairs them."""
    root = ["--root", str(tmp_path)]
    assert main(root) == 0
    functions = tmp_path / "docs" / "spark" / "functions"
    (functions / "execute.md").write_text("edited\n")
    (tmp_path / "docs" / "eloq" / "functions" / "get_skus.md").unlink()
    (functions / "retired.md").write_text("# retired\n")
    capsys.readouterr()
    assert main(["--check", *root]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        "docs/eloq/functions/get_skus.md: missing",
        "docs/spark/functions/execute.md: out of date",
        "docs/spark/functions/retired.md: not generated",
    ]
    assert main(root) == 0
    assert stale_files(tmp_path, generated_files()) == []


def calls(code_text: str) -> Iterator[tuple[str, ast.Call]]:
    """(`module.name`, call) of each call of a public function in a program."""
    for node in ast.walk(ast.parse(code_text)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            name = f"{node.func.value.id}.{node.func.attr}"
            if name in FUNCTIONS:
                yield name, node


@pytest.mark.parametrize("qualified", NAMES)
def test_example_compiles_and_calls_with_real_parameters(qualified: str) -> None:
    """The example is a program that calls the function, with arguments its signature accepts."""
    (example,) = FENCE.findall(section(page_text(qualified), "Example"))
    compile(example, qualified, "exec")
    found = list(calls(example))
    assert qualified in {name for name, _ in found}
    for name, call in found:
        keywords = {keyword.arg: None for keyword in call.keywords if keyword.arg}
        inspect.signature(FUNCTIONS[name]).bind(*[None] * len(call.args), **keywords)


def placeholder(parameter: inspect.Parameter) -> Any:
    """An argument of the parameter's type (the functions fail on their settings before using it)."""
    annotation = str(parameter.annotation)
    if annotation.startswith(("Mapping", "dict")):
        return {}
    if annotation.startswith(("Sequence", "list")):
        return []
    return "x"


@pytest.mark.parametrize("qualified", NAMES)
def test_settings_and_errors_are_what_the_function_reads_and_raises(
    qualified: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Called without any setting, the function asks the stack config for exactly the listed keys, and raises
    an error the page lists (imported from where the page says)."""
    function = FUNCTIONS[qualified]
    module = importlib.import_module(function.__module__)
    provider = importlib.import_module(f"pulumi_dataplatforms_provider.{qualified.split('.')[0]}")
    for setting in provider.SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    asked: list[str] = []
    monkeypatch.setattr(module, "get_config", lambda key: asked.append(key))
    arguments = [placeholder(p) for p in inspect.signature(function).parameters.values() if p.default is p.empty]
    with pytest.raises(Exception) as raised:  # which one: the page must list it
        function(*arguments)
    text = page_text(qualified)
    listed = [code(row[0]) for row in table(section(text, "Settings"))]
    assert sorted(set(asked)) == sorted(listed)
    errors = {code(row[0].split(" (")[0]): row[1] for row in table(section(text, "Errors"))}
    caught = [cls for cls in type(raised.value).__mro__ if cls.__name__ in errors]
    assert caught, f"raised {type(raised.value).__name__}, which the page does not list: {sorted(errors)}"
    for name, origin in errors.items():
        home = importlib.import_module("builtins" if origin == "built-in" else code(origin))
        assert issubclass(getattr(home, name), BaseException), name


@pytest.mark.parametrize("qualified", NAMES)
def test_returned_models_list_their_fields(qualified: str) -> None:
    """Each pydantic model the function returns has a Types section listing every field."""
    returns = signature_of(FUNCTIONS[qualified]).return_annotation
    models = [
        hint
        for hint in [returns, *typing.get_args(returns)]
        if isinstance(hint, type) and issubclass(hint, pydantic.BaseModel)
    ]
    text = page_text(qualified)
    for model in models:
        assert f"[{model.__name__}](#{model.__name__.lower()})" in section(text, "Returns")
        rows = table(subsection(section(text, "Types"), model.__name__))
        assert [code(row[0].split(" (JSON")[0]) for row in rows] == list(model.model_fields)


def test_get_skus_documents_the_sku_model() -> None:
    """The example of the issue: get_skus returns Sku models, whose fields its page lists."""
    from pulumi_dataplatforms_provider.eloq.models import Sku

    text = page_text("eloq.get_skus")
    assert "`list[Sku]`" in section(text, "Returns")
    assert [code(row[0].split(" (JSON ")[0]) for row in table(subsection(text, "Sku"))] == list(Sku.model_fields)
