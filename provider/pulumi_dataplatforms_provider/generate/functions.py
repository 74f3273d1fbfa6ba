"""The reference pages of the SDK's public functions: `docs/<platform>/functions/<name>.md`.

A public function is a name in the `__all__` of a platform module (the modules `pulumi_dataplatforms.__all__`
lists) that is a function, e.g. `spark.execute`. Its page is made from the function itself: the signature
(every overload's, when it has them), the type hints, and its Google-style docstring:

- the text before the first section: the summary and description;
- `Args:` one entry per parameter, for every parameter;
- `Returns:` what the result holds, unless the function returns None;
- `Raises:` one entry per exception class, named as the builtins, the function's module, the shared API
  errors, the settings errors or the platform's client module name it;
- `Example:` a short program.

A docstring missing one of them (or with an entry for a parameter the function does not have) stops the
generator. The settings a function reads are found in its code: a function that uses its module's `SETTINGS`,
directly or through another function of the module (`execute` through `client`), reads all of them. The
classes of this package its hints name are described under Types: a pydantic model's fields, or another
class's public methods.
"""

from __future__ import annotations

import ast
import builtins
import collections.abc
import enum
import importlib
import inspect
import re
import sys
import textwrap
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pulumi
import pulumi.output
import pydantic

import pulumi_dataplatforms

from ..registry import PLATFORMS
from ..settings import Setting
from .kinds import first_sentence, type_name
from .markdown import anchor, table

#: Packages whose classes a page describes under Types.
PACKAGES = ("pulumi_dataplatforms", "pulumi_dataplatforms_provider")
#: Where the names in a `Raises:` section are looked up, besides the builtins and the function's module.
ERROR_MODULES = ("pulumi_dataplatforms_provider.core.errors", "pulumi_dataplatforms_provider.settings")
SECTIONS = ("Args", "Returns", "Raises", "Example")
WIDTH = 100
INDENT = "    "
_SECTION = re.compile(rf"^({'|'.join(SECTIONS)}):$")
_ENTRY = re.compile(r"^(?P<name>[A-Za-z_][\w.]*): (?P<text>.+)$")

Function = Callable[..., Any]
#: `pulumi.Input` is `Union[T, Awaitable[T], "Output[T]"]`; its forward reference resolves with these names.
_INPUT_NAMESPACE: dict[str, Any] = {"Output": pulumi.Output, "T": pulumi.output.T}

FUNCTION_HEADER = (
    "<!-- Generated from the SDK function's signature and docstring by "
    "`python -m pulumi_dataplatforms_provider.generate`; do not edit. -->\n\n"
)


@dataclass(frozen=True)
class PublicFunction:
    """A function in a platform module's `__all__`."""

    module: str
    name: str
    function: Function

    @property
    def page(self) -> str:
        """Its page's path under `docs/`."""
        return f"{self.module}/functions/{self.name}.md"

    @property
    def qualified(self) -> str:
        """`spark.execute`."""
        return f"{self.module}.{self.name}"

    @property
    def summary(self) -> str:
        """The first sentence of its docstring."""
        return first_sentence(parse_docstring(self.function).description)

    def call(self) -> str:
        """`spark.execute(folder, service, inputs=None, *, version=None, version_id=None)`."""
        return self.qualified + _parameters_text(inspect.signature(self.function), typed=False)


def sdk_modules() -> list[ModuleType]:
    """The platform modules of the SDK, as `pulumi_dataplatforms.__all__` lists them."""
    return [importlib.import_module(f"pulumi_dataplatforms.{name}") for name in pulumi_dataplatforms.__all__]


def public_functions() -> list[PublicFunction]:
    """Every public function of every platform module, in `__all__` order."""
    found = []
    for module in sdk_modules():
        short = module.__name__.rsplit(".", 1)[-1]
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                found.append(PublicFunction(short, name, value))
    return found


# docstrings ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Docstring:
    """A Google-style docstring, by section."""

    description: str
    args: dict[str, str]
    returns: str
    raises: dict[str, str]
    example: str


def _entries(text: str, where: str) -> dict[str, str]:
    """`name: text` entries, each continued by the more indented lines below it."""
    entries: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            name = match["name"]
            if name in entries:
                raise ValueError(f"{where}: {name} is listed twice")
            entries[name] = match["text"]
        elif name is not None and line.startswith(" "):
            entries[name] += " " + line.strip()
        elif line.strip():
            raise ValueError(f"{where}: expected `name: description`, got {line!r}")
    return entries


def parse_docstring(function: Function) -> Docstring:
    """The sections of a function's docstring (each may be empty)."""
    where = f"{function.__module__}.{function.__qualname__}"
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for line in inspect.cleandoc(function.__doc__ or "").splitlines():
        header = _SECTION.match(line)
        if header:
            current = header[1]
            if current in sections:
                raise ValueError(f"{where}: two {current}: sections")
            sections[current] = []
        else:
            sections[current].append(line)
    text = {key: textwrap.dedent("\n".join(lines)).strip() for key, lines in sections.items()}
    return Docstring(
        description=text[""],
        args=_entries(text.get("Args", ""), f"{where} Args"),
        returns=" ".join(text.get("Returns", "").split()),
        raises=_entries(text.get("Raises", ""), f"{where} Raises"),
        example=text.get("Example", ""),
    )


# signatures and type hints ------------------------------------------------------------------------


def _type_checking_names(module: ModuleType) -> dict[str, Any]:
    """What the module's `if TYPE_CHECKING:` imports bind: the names its hints use but it does not import."""
    names: dict[str, Any] = {}
    for node in ast.parse(inspect.getsource(module)).body:
        if not (isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")):
            continue
        for statement in node.body:
            if isinstance(statement, ast.ImportFrom):
                source = importlib.import_module("." * statement.level + (statement.module or ""), module.__package__)
                for alias in statement.names:
                    names[alias.asname or alias.name] = getattr(source, alias.name)
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    imported = importlib.import_module(alias.name)
                    names[alias.asname or alias.name.split(".")[0]] = (
                        imported if alias.asname else sys.modules[alias.name.split(".")[0]]
                    )
    return names


def _resolved(signature: inspect.Signature, annotated: Any, module: ModuleType) -> inspect.Signature:
    """`signature` with the hints of `annotated` (a function or anything with `__annotations__`) evaluated."""
    hints = typing.get_type_hints(
        annotated, globalns=vars(module), localns={**_INPUT_NAMESPACE, **_type_checking_names(module)}
    )
    parameters = [p.replace(annotation=hints.get(p.name, Any)) for p in signature.parameters.values()]
    return signature.replace(parameters=parameters, return_annotation=hints.get("return", Any))


def signature_of(function: Function) -> inspect.Signature:
    """The function's signature with its hints evaluated."""
    return _resolved(inspect.signature(function), function, sys.modules[function.__module__])


def _is_overload(decorator: ast.expr) -> bool:
    return ast.unparse(decorator) in ("overload", "typing.overload")


def _signature_from_source(node: ast.FunctionDef) -> inspect.Signature:
    """The signature a `def` statement declares, its hints left as the source writes them."""
    arguments = node.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults: list[Any] = [inspect.Parameter.empty] * (len(positional) - len(arguments.defaults))
    defaults += [ast.literal_eval(default) for default in arguments.defaults]
    kinds: list[inspect._ParameterKind] = [inspect.Parameter.POSITIONAL_ONLY] * len(arguments.posonlyargs)
    kinds += [inspect.Parameter.POSITIONAL_OR_KEYWORD] * len(arguments.args)
    entries: list[tuple[ast.arg, Any, Any]] = list(zip(positional, kinds, defaults, strict=True))
    if arguments.vararg:
        entries.append((arguments.vararg, inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.empty))
    for argument, default in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True):
        value = inspect.Parameter.empty if default is None else ast.literal_eval(default)
        entries.append((argument, inspect.Parameter.KEYWORD_ONLY, value))
    if arguments.kwarg:
        entries.append((arguments.kwarg, inspect.Parameter.VAR_KEYWORD, inspect.Parameter.empty))
    parameters = [
        inspect.Parameter(
            argument.arg,
            kind,
            default=default,
            annotation=ast.unparse(argument.annotation) if argument.annotation else inspect.Parameter.empty,
        )
        for argument, kind, default in entries
    ]
    returns = ast.unparse(node.returns) if node.returns else inspect.Signature.empty
    return inspect.Signature(parameters, return_annotation=returns)


def overloads_from_source(function: Function) -> list[inspect.Signature]:
    """The signatures of the `@overload` stubs of `function` in its module's source, hints evaluated.

    What `typing.get_overloads` gives on Python 3.11+, for 3.10, where `typing.overload` records nothing.
    """
    module = sys.modules[function.__module__]
    found = []
    for node in ast.parse(inspect.getsource(module)).body:
        if not (isinstance(node, ast.FunctionDef) and node.name == function.__name__):
            continue
        if any(_is_overload(decorator) for decorator in node.decorator_list):
            signature = _signature_from_source(node)
            annotations = {p.name: p.annotation for p in signature.parameters.values() if p.annotation != p.empty}
            if signature.return_annotation is not signature.empty:
                annotations["return"] = signature.return_annotation
            found.append(_resolved(signature, types.SimpleNamespace(__annotations__=annotations), module))
    return found


def overloads(function: Function) -> list[inspect.Signature]:
    """The signatures of the function's overloads, hints evaluated; empty when it has none."""
    if sys.version_info >= (3, 11):
        return [signature_of(stub) for stub in typing.get_overloads(function)]
    return overloads_from_source(function)


def _value(value: Any) -> str:
    """A default value as Python source, strings in double quotes."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _input_of(arguments: tuple[Any, ...]) -> Any | None:
    """T when a union's members are those of `pulumi.Input[T]` (T, Awaitable[T], Output[...]), else None."""
    if len(arguments) != 3:
        return None
    value, awaitable, output = arguments
    is_awaitable = typing.get_origin(awaitable) is collections.abc.Awaitable and typing.get_args(awaitable) == (value,)
    return value if is_awaitable and typing.get_origin(output) is pulumi.Output else None


def type_text(hint: Any) -> str:
    """A type hint as it would be written: `list[Sku]`, `dict[str, Any] | None`, `Literal["aws", "gcp"]`,
    `pulumi.Input[str]`, `pulumi.Output[list[Sku]]`."""
    if hint is type(None) or hint is None:
        return "None"
    if hint is Any:
        return "Any"
    if isinstance(hint, str):
        return hint
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Literal:
        return "Literal[" + ", ".join(_value(argument) for argument in arguments) + "]"
    if origin in (typing.Union, types.UnionType):
        value = _input_of(arguments)
        if value is not None:
            return f"pulumi.Input[{type_text(value)}]"
        return " | ".join(type_text(argument) for argument in arguments)
    if origin is pulumi.Output:
        return f"pulumi.Output[{', '.join(type_text(argument) for argument in arguments)}]"
    if origin is not None:
        name = getattr(origin, "__name__", None) or str(origin).removeprefix("typing.")
        return f"{name}[{', '.join(type_text(argument) for argument in arguments)}]" if arguments else name
    if isinstance(hint, type):
        return hint.__qualname__
    return str(hint).removeprefix("typing.")


def _parameters_text(signature: inspect.Signature, *, typed: bool = True) -> str:
    """`(a: int, b: str = "x", *, c: bool = False) -> T` on one line (without hints when not `typed`)."""
    parts = _parameter_parts(signature, typed=typed)
    text = f"({', '.join(parts)})"
    if typed and signature.return_annotation is not signature.empty:
        text += f" -> {type_text(signature.return_annotation)}"
    return text


def _parameter_parts(signature: inspect.Signature, *, typed: bool) -> list[str]:
    parts: list[str] = []
    previous = None
    for parameter in signature.parameters.values():
        kind = parameter.kind
        if previous == parameter.POSITIONAL_ONLY and kind != parameter.POSITIONAL_ONLY:
            parts.append("/")
        if kind == parameter.KEYWORD_ONLY and previous not in (parameter.KEYWORD_ONLY, parameter.VAR_POSITIONAL):
            parts.append("*")
        prefix = "*" if kind == parameter.VAR_POSITIONAL else "**" if kind == parameter.VAR_KEYWORD else ""
        text = prefix + parameter.name
        hinted = typed and parameter.annotation is not parameter.empty
        if hinted:
            text += f": {type_text(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            text += f" = {_value(parameter.default)}" if hinted else f"={_value(parameter.default)}"
        parts.append(text)
        previous = kind
    if previous == inspect.Parameter.POSITIONAL_ONLY:
        parts.append("/")
    return parts


def definition(name: str, signature: inspect.Signature, *, overload: bool = False) -> str:
    """`def name(...) -> T: ...`, one parameter per line when it does not fit on one."""
    head = "@overload\n" if overload else ""
    line = f"def {name}{_parameters_text(signature)}: ..."
    if len(line) <= WIDTH:
        return head + line
    returns = signature.return_annotation
    tail = f" -> {type_text(returns)}" if returns is not signature.empty else ""
    lines = [f"{INDENT}{part}," for part in _parameter_parts(signature, typed=True)]
    return head + "\n".join([f"def {name}(", *lines, f"){tail}: ..."])


# settings and errors ------------------------------------------------------------------------------


def _global_names(code: types.CodeType) -> Iterator[str]:
    """The global names a code object and the code nested in it (comprehensions, lambdas) use."""
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _global_names(constant)


def settings_read(function: Function) -> tuple[Setting, ...]:
    """The settings the function reads: all of its module's `SETTINGS` if it or a function it calls uses them."""
    module = sys.modules[function.__module__]
    seen: set[Function] = set()
    pending = [function]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in set(_global_names(current.__code__)):
            value = vars(module).get(name)
            if name == "SETTINGS" and value is not None:
                settings: tuple[Setting, ...] = value
                return settings
            if inspect.isfunction(value) and value.__module__ == module.__name__:
                pending.append(value)
    return ()


def exception_class(name: str, function: Function, platform: str) -> type[BaseException]:
    """The exception class a `Raises:` entry names."""
    module = sys.modules[function.__module__]
    namespaces: list[dict[str, Any]] = [vars(builtins), vars(module), _type_checking_names(module)]
    for candidate in (*ERROR_MODULES, f"pulumi_dataplatforms_provider.{platform}.client"):
        try:
            namespaces.append(vars(importlib.import_module(candidate)))
        except ModuleNotFoundError:
            continue
    for namespace in namespaces:
        value = namespace.get(name)
        if isinstance(value, type) and issubclass(value, BaseException):
            return value
    raise ValueError(f"{function.__module__}.{function.__name__}: Raises names {name}, which is no exception class")


def _exception_cell(cls: type[BaseException]) -> str:
    bases = (
        []
        if cls.__module__ == "builtins"
        else [b.__name__ for b in cls.__bases__ if b not in (Exception, BaseException)]
    )
    return f"`{cls.__name__}`" + (f" (subclass of {', '.join(f'`{base}`' for base in bases)})" if bases else "")


# types --------------------------------------------------------------------------------------------


def _classes_in(hint: Any) -> Iterator[type]:
    """The classes of this package a hint names, through unions and generics."""
    if isinstance(hint, type) and hint.__module__.split(".")[0] in PACKAGES:
        yield hint
    for argument in typing.get_args(hint):
        yield from _classes_in(argument)


def described_classes(signatures: list[inspect.Signature]) -> list[type]:
    """The classes Types describes: those the hints name, and the models their fields name, first seen first."""
    pending: list[type] = []
    for signature in signatures:
        for parameter in signature.parameters.values():
            pending += _classes_in(parameter.annotation)
        pending += _classes_in(signature.return_annotation)
    found: list[type] = []
    while pending:
        cls = pending.pop(0)
        if cls in found:
            continue
        found.append(cls)
        if issubclass(cls, pydantic.BaseModel):
            for field in cls.model_fields.values():
                pending += _classes_in(field.annotation)
    return found


def _own_doc(cls: type) -> str:
    doc = cls.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if isinstance(doc, str) else ""


def _model_fields(cls: type[pydantic.BaseModel]) -> str:
    rows = []
    for name, field in cls.model_fields.items():
        if field.is_required():
            default = "required"
        elif field.default_factory is not None:
            default = "empty" if field.default_factory in (list, dict) else "computed"
        else:
            default = f"`{_value(field.default)}`"
        alias = f" (JSON `{field.alias}`)" if field.alias and field.alias != name else ""
        rows.append([f"`{name}`{alias}", f"`{type_text(field.annotation)}`", default, field.description or ""])
    if not any(row[3] for row in rows):
        return table(["Field", "Type", "Default"], [row[:3] for row in rows])
    return table(["Field", "Type", "Default", "Description"], rows)


def _methods(cls: type) -> str:
    rows = []
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        doc = inspect.getdoc(member) or ""
        if isinstance(member, property):
            rows.append([f"`{name}` (property)", first_sentence(doc) if doc else ""])
        elif isinstance(member, staticmethod | classmethod) or inspect.isfunction(member):
            function = member.__func__ if isinstance(member, staticmethod | classmethod) else member
            signature = inspect.signature(function)
            if not isinstance(member, staticmethod):
                signature = signature.replace(parameters=list(signature.parameters.values())[1:])
            rows.append([f"`{name}{_parameters_text(signature, typed=False)}`", first_sentence(doc) if doc else ""])
    return table(["Method", "Description"], rows)


def _type_section(cls: type) -> str:
    where = f"`{cls.__module__}.{cls.__qualname__}`"
    exported = [
        f"`{module.__name__}.{cls.__name__}`"
        for module in sdk_modules()
        if cls.__name__ in getattr(module, "__all__", ()) and getattr(module, cls.__name__, None) is cls
    ]
    if exported:
        where += ", also " + ", ".join(exported)
    parts = [f"### {cls.__name__}"]
    if issubclass(cls, pydantic.BaseModel):
        parts.append(f"A pydantic model: {where}.")
        parts += [_own_doc(cls)] if _own_doc(cls) else []
        parts.append(_model_fields(cls))
    else:
        parts.append(f"{where}.")
        parts += [_own_doc(cls)] if _own_doc(cls) else []
        if hasattr(cls, "__enter__") and hasattr(cls, "__exit__"):
            parts.append("A context manager: `with` closes it.")
        parts.append(_methods(cls))
    return "\n\n".join(parts)


# the page -----------------------------------------------------------------------------------------


def _platform_links(platform: str) -> str:
    spec = next(p for p in PLATFORMS if p.name == platform)
    resources = ", ".join(f"[{type_name(r.token)}](../{type_name(r.token)}.md)" for r in spec.resources)
    return f"[{spec.display_name}](../../README.md#{anchor(spec.display_name)}) resources {resources}"


def _parameters(function: PublicFunction, signature: inspect.Signature, doc: Docstring) -> str:
    names = list(signature.parameters)
    unknown = sorted(set(doc.args) - set(names))
    missing = [name for name in names if name not in doc.args]
    if unknown or missing:
        raise ValueError(f"{function.qualified}: Args must describe {names}; missing {missing}, unknown {unknown}")
    if not names:
        return "None."
    rows = []
    for parameter in signature.parameters.values():
        description = doc.args[parameter.name]
        if parameter.kind == parameter.KEYWORD_ONLY:
            description += " Keyword-only."
        rows.append(
            [
                f"`{parameter.name}`",
                f"`{type_text(parameter.annotation)}`",
                "required" if parameter.default is parameter.empty else f"`{_value(parameter.default)}`",
                description,
            ]
        )
    return table(["Parameter", "Type", "Default", "Description"], rows)


def _returns(
    function: PublicFunction, signature: inspect.Signature, stubs: list[inspect.Signature], doc: Docstring
) -> str:
    returns = signature.return_annotation
    if returns is None or returns is type(None):
        return "None."
    if not doc.returns:
        raise ValueError(f"{function.qualified}: its docstring has no Returns: section")
    text = f"`{type_text(returns)}`"
    if stubs:
        text += " (by overload: " + ", ".join(f"`{type_text(stub.return_annotation)}`" for stub in stubs) + ")"
    text += f". {doc.returns}"
    classes = list(dict.fromkeys(_classes_in(returns)))
    if classes:
        text += " See " + ", ".join(f"[{cls.__name__}](#{anchor(cls.__name__)})" for cls in classes) + " below."
    return text


def _settings(function: PublicFunction) -> str:
    settings = settings_read(function.function)
    if not settings:
        return "None: it reads no stack config and no environment variable."
    intro = (
        "It runs in the Pulumi program's process (not the provider's) and reads these when it is called: from the "
        "program's stack config (`pulumi config set [--secret] <key> <value>`), else from the environment "
        "variable, else the default. Outside a Pulumi program only the environment variables and defaults apply. "
        "The platform's resources read the same keys."
    )
    rows = [
        [
            f"`{setting.key}`",
            f"`{setting.env}`",
            f"`{setting.default}`" if setting.default else "",
            "yes" if setting.secret else "no",
            setting.description,
        ]
        for setting in settings
    ]
    return intro + "\n\n" + table(["Key", "Environment variable", "Default", "Secret", "Description"], rows)


def _errors(function: PublicFunction, doc: Docstring) -> str:
    if not doc.raises:
        return "None of its own."
    rows = []
    for name, when in doc.raises.items():
        cls = exception_class(name, function.function, function.module)
        origin = "built-in" if cls.__module__ == "builtins" else f"`{cls.__module__}`"
        rows.append([_exception_cell(cls), origin, when])
    return table(["Exception", "Import from", "When"], rows)


def function_page(function: PublicFunction, package_schema: dict[str, Any] | None = None) -> str:
    """The page of one public function; one answering a package function too shows its Pulumi YAML call."""
    from . import package_schema as schema
    from .native_functions import invoke_section, native_function

    doc = parse_docstring(function.function)
    if not doc.example:
        raise ValueError(f"{function.qualified}: its docstring has no Example: section")
    signature = signature_of(function.function)
    stubs = overloads(function.function)
    if stubs:
        heading = "## Signatures"
        code = "\n".join(definition(function.name, stub, overload=True) for stub in stubs)
        note = (
            f"\n\n`{function.name}` has {len(stubs)} overloads, which tell a type checker the result's type; "
            "the parameters below are those of its implementation, which takes all of them."
        )
    else:
        heading, code, note = "## Signature", definition(function.name, signature), ""
    parts = [
        f"# {function.qualified}",
        f"Python `pulumi_dataplatforms.{function.qualified}` · [all resources and functions](../../README.md) · "
        + _platform_links(function.module),
        doc.description,
        heading,
        f"```python\n{code}\n```{note}",
        "## Parameters",
        _parameters(function, signature, doc),
        "## Returns",
        _returns(function, signature, stubs, doc),
        "## Settings",
        _settings(function),
        "## Errors",
        _errors(function, doc),
        "## Example",
        f"```python\n{doc.example}\n```",
    ]
    native = native_function(function)
    if native is not None:
        parts.append(invoke_section(native, package_schema or schema.build_schema()))
    classes = described_classes([signature, *stubs])
    if classes:
        parts += ["## Types", "\n\n".join(_type_section(cls) for cls in classes)]
    return FUNCTION_HEADER + "\n\n".join(parts) + "\n"


def function_pages(functions: list[PublicFunction], package_schema: dict[str, Any] | None = None) -> dict[str, str]:
    """Every public function's page, by its path under `docs/`."""
    return {function.page: function_page(function, package_schema) for function in functions}


def platform_functions(functions: list[PublicFunction], platform: str) -> list[PublicFunction]:
    """The public functions of one platform module."""
    return [function for function in functions if function.module == platform]
