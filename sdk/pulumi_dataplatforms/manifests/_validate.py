"""Checks one manifest document against its kind's schema and turns it into a `Declaration`.

Every problem is collected with its location, the document's kind and name, and the field
path (`spec.databases[0].name`); nothing stops at the first one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from ._kinds import SOURCE_KEYS, Kind, kinds, schema_type, takes_string
from ._problems import Location, Problem, did_you_mean
from ._values import CONFIG_KEY, ENV_NAME, NAME, REF, TARGET, Ref, Source
from ._yaml import Document, Mapping, Node, Scalar, Sequence

TOP_LEVEL = ("kind", "name", "spec", "options")
OPTIONS = ("protect", "dependsOn", "deleteBeforeReplace", "ignoreChanges", "retainOnDelete")
ANY = {"$ref": "pulumi.json#/Any"}


@dataclass
class Options:
    """Pulumi resource options a manifest may set."""

    protect: bool | None = None
    depends_on: list[tuple[str, Location]] = field(default_factory=list)
    delete_before_replace: bool | None = None
    ignore_changes: list[str] = field(default_factory=list)
    retain_on_delete: bool | None = None


@dataclass
class Declaration:
    """A valid document: the resource to register, with its run-time values and references."""

    kind: Kind
    name: str
    spec: dict[str, Any]
    options: Options
    location: Location
    refs: list[Ref] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    @property
    def key(self) -> str:
        """`<kind>/<name>`, as refs and dependsOn name it."""
        return f"{self.kind.name}/{self.name}"


class DocumentChecker:
    """Validates one document; `problems` collects what is wrong."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.problems: list[Problem] = []
        self.kind_name = ""
        self.name = ""
        self.refs: list[Ref] = []
        self.sources: list[Source] = []

    def problem(self, location: Location, path: str, message: str) -> None:
        self.problems.append(Problem(location, message, self.kind_name, self.name, path))

    # -- the document ------------------------------------------------------------------------

    def check(self) -> Declaration | None:
        """The declaration when its kind, name and spec are readable (it is valid only if `problems` is empty)."""
        root = self.document.root
        if not isinstance(root, Mapping):
            self.problem(self.document.location, "", "a manifest document is a mapping with `kind`, `name` and `spec`")
            return None
        self.kind_name, self.name = (_text(root, key) for key in ("kind", "name"))
        name = self._name(root)
        kind = self._kind(root)
        for key, entry in root.entries.items():
            if key not in TOP_LEVEL:
                hint = "; the name is the top-level `name`" if key == "metadata" else did_you_mean(key, TOP_LEVEL)
                self.problem(entry.key_location, key, f'unknown field "{key}"{hint}')
        spec = self._spec(root, kind) if kind else None
        options = self._options(root.entries["options"].value, kind) if "options" in root.entries else Options()
        if kind is None or name is None or spec is None:
            return None
        return Declaration(kind, name, spec, options, root.location, self.refs, self.sources)

    def _kind(self, root: Mapping) -> Kind | None:
        entry = root.entries.get("kind")
        if entry is None:
            self.problem(root.location, "kind", 'missing required field "kind", e.g. `kind: eloq/Cluster`')
            return None
        value = entry.value
        if not isinstance(value, Scalar) or not isinstance(value.value, str):
            self.problem(value.location, "kind", f"expected a kind such as `eloq/Cluster`, got {_got(value)}")
            return None
        known = kinds()
        if value.value in known:
            return known[value.value]
        by_short_name = [k for k in known if k.split("/")[1].lower() == value.value.split("/")[-1].lower()]
        hint = f'; did you mean "{by_short_name[0]}"?' if by_short_name else did_you_mean(value.value, known)
        self.problem(value.location, "kind", f'unknown kind "{value.value}"{hint}')
        return None

    def _name(self, root: Mapping) -> str | None:
        entry = root.entries.get("name")
        if entry is None:
            self.problem(root.location, "name", 'missing required field "name" (the Pulumi resource name)')
            return None
        value = entry.value
        if not isinstance(value, Scalar) or not isinstance(value.value, str):
            self.problem(value.location, "name", f"expected a name (a string), got {_got(value)}")
            return None
        if not NAME.match(value.value):
            self.problem(
                value.location,
                "name",
                f'invalid name "{value.value}": use 1-100 letters, digits, `-` or `_`, starting with a letter or digit',
            )
            return None
        return value.value

    def _spec(self, root: Mapping, kind: Kind) -> dict[str, Any] | None:
        entry = root.entries.get("spec")
        if entry is None or (isinstance(entry.value, Scalar) and entry.value.value is None):
            where = entry.key_location if entry else root.location
            for key in sorted(kind.required):
                self.problem(where, f"spec.{key}", f'missing required field "{key}"')
            return {}
        if not isinstance(entry.value, Mapping):
            self.problem(
                entry.value.location, "spec", f"expected a mapping of {kind.name} inputs, got {_got(entry.value)}"
            )
            return None
        return self._fields(entry.value, kind.inputs, kind.required, "spec", kind.secret_inputs)

    # -- values ------------------------------------------------------------------------------

    def _fields(
        self,
        mapping: Mapping,
        properties: dict[str, Any],
        required: frozenset[str] | set[str],
        path: str,
        secret: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, entry in mapping.entries.items():
            where = f"{path}.{key}"
            if key not in properties:
                hint = did_you_mean(key, properties)
                if not hint and properties:
                    hint = f"; known fields: {', '.join(sorted(properties))}"
                self.problem(entry.key_location, where, f'unknown field "{key}"{hint}')
                continue
            if _is_null(entry.value):
                continue
            if key in secret and properties[key].get("type") == "string":
                if _is_literal(entry.value):
                    self._literal_secret(entry.value, where)
                    continue
                if _source_key(entry.value) == "config":
                    fix = "use `{secret: <config key>}` (set with `pulumi config set --secret`) or `{env: NAME}`"
                    self.problem(
                        entry.value.location, where, f"is a secret; `{{config: ...}}` reads a plain value: {fix}"
                    )
                    continue
            result[key] = self._value(entry.value, properties[key], where)
        for key in sorted(set(required) - {k for k, e in mapping.entries.items() if not _is_null(e.value)}):
            self.problem(mapping.location, f"{path}.{key}", f'missing required field "{key}"')
        return result

    def _value(self, node: Node, spec: dict[str, Any], path: str) -> Any:
        if isinstance(node, Mapping) and _source_key(node):
            return self._source(node, spec, path)
        ref = spec.get("$ref")
        if ref == ANY["$ref"] or not spec:
            return self._any(node, path)
        if ref:
            named = schema_type(ref) or {}
            if "enum" in named:
                return self._enum(node, named, path)
            if not isinstance(node, Mapping):
                return self._mismatch(node, f"a mapping ({named.get('description', 'an object')})", path)
            return self._fields(node, named.get("properties", {}), set(named.get("required", [])), path)
        if "oneOf" in spec:
            return self._one_of(node, spec["oneOf"], path)
        kind = spec.get("type")
        if kind == "array":
            if not isinstance(node, Sequence):
                return self._mismatch(node, describe(spec), path)
            return [self._item(item, spec.get("items", ANY), f"{path}[{i}]") for i, item in enumerate(node.items)]
        if kind == "object":
            if not isinstance(node, Mapping):
                return self._mismatch(node, describe(spec), path)
            extra = spec.get("additionalProperties", ANY)
            return {k: self._item(e.value, extra, f"{path}.{k}") for k, e in node.entries.items()}
        return self._scalar(node, kind, path)

    def _item(self, node: Node, spec: dict[str, Any], path: str) -> Any:
        if _is_null(node):
            self.problem(node.location, path, "null is not allowed here; remove the item or give a value")
            return None
        return self._value(node, spec, path)

    def _scalar(self, node: Node, kind: str | None, path: str) -> Any:
        value = node.value if isinstance(node, Scalar) else None
        ok = isinstance(node, Scalar) and (
            (kind == "string" and isinstance(value, str))
            or (kind == "boolean" and isinstance(value, bool))
            or (kind == "integer" and isinstance(value, int) and not isinstance(value, bool))
            or (kind == "number" and isinstance(value, int | float) and not isinstance(value, bool))
        )
        if ok:
            return value
        expected = describe({"type": kind})
        if kind == "string" and isinstance(node, Scalar) and isinstance(value, int | float | bool):
            self.problem(node.location, path, f'expected {expected}, got {_got(node)}; quote it: "{node.text}"')
            return None
        return self._mismatch(node, expected, path)

    def _enum(self, node: Node, named: dict[str, Any], path: str) -> Any:
        allowed = [str(item["value"]) for item in named["enum"]]
        if isinstance(node, Scalar) and isinstance(node.value, str) and node.value in allowed:
            return node.value
        text = node.text if isinstance(node, Scalar) else ""
        hint = did_you_mean(text, allowed) if text else ""
        self.problem(node.location, path, f"expected one of {', '.join(allowed)}, got {_got(node)}{hint}")
        return None

    def _one_of(self, node: Node, variants: list[dict[str, Any]], path: str) -> Any:
        for variant in variants:
            trial = DocumentChecker(self.document)
            value = trial._value(node, variant, path)
            if not trial.problems:
                self.refs += trial.refs
                self.sources += trial.sources
                return value
        return self._mismatch(node, " or ".join(describe(v) for v in variants), path)

    def _any(self, node: Node, path: str) -> Any:
        if isinstance(node, Mapping):
            if _source_key(node):
                return self._source(node, ANY, path)
            return {k: self._any(e.value, f"{path}.{k}") for k, e in node.entries.items()}
        if isinstance(node, Sequence):
            return [self._any(item, f"{path}[{i}]") for i, item in enumerate(node.items)]
        return node.value

    def _source(self, node: Mapping, spec: dict[str, Any], path: str) -> Any:
        origin, entry = next(iter(node.entries.items()))
        text = entry.value.value if isinstance(entry.value, Scalar) else None
        example = {"secret": "<config key>", "env": "NAME", "config": "<config key>", "ref": "<kind>/<name>.<output>"}
        if not isinstance(text, str) or not text:
            self.problem(entry.value.location, path, f"`{origin}` takes a string: `{{{origin}: {example[origin]}}}`")
            return None
        if origin == "ref":
            match = REF.match(text)
            if not match:
                self.problem(
                    entry.value.location,
                    path,
                    f'invalid reference "{text}": write `{{ref: <kind>/<name>.<output>}}`, e.g. `spark/Folder/pricing.name`',
                )
                return None
            ref = Ref(f"{match['kind']}/{match['name']}", match["property"], entry.value.location, path, spec)
            self.refs.append(ref)
            return ref
        if not takes_string(spec):
            self.problem(
                node.location, path, f"`{{{origin}: ...}}` gives a string, but this field takes {describe(spec)}"
            )
            return None
        pattern, what = (ENV_NAME, "an environment variable name") if origin == "env" else (CONFIG_KEY, "a config key")
        if not pattern.match(text):
            self.problem(entry.value.location, path, f'"{text}" is not {what}')
            return None
        source = Source(origin, text, entry.value.location, path)  # type: ignore[arg-type]
        self.sources.append(source)
        return source

    def _literal_secret(self, node: Node, path: str) -> None:
        fix = "use `{secret: <config key>}` (set with `pulumi config set --secret`) or `{env: NAME}`"
        if isinstance(node, Mapping):
            hint = _source_hint(next(iter(node.entries))) if len(node.entries) == 1 else ""
            self.problem(node.location, path, f"expected a secret value: {fix}, got {_got(node)}{hint}")
        else:
            self.problem(node.location, path, f"is a secret and must not be written in a manifest: {fix}")

    def _mismatch(self, node: Node, expected: str, path: str) -> None:
        hint = ""
        if isinstance(node, Mapping) and len(node.entries) == 1:
            hint = _source_hint(next(iter(node.entries)))
            hint = hint and "; a value source is one of secret, env, config, ref" + hint
        self.problem(node.location, path, f"expected {expected}, got {_got(node)}{hint}")

    # -- options -----------------------------------------------------------------------------

    def _options(self, node: Node, kind: Kind | None) -> Options:
        options = Options()
        if not isinstance(node, Mapping):
            self.problem(node.location, "options", f"expected a mapping of resource options, got {_got(node)}")
            return options
        for key, entry in node.entries.items():
            path = f"options.{key}"
            value = entry.value
            if key in ("protect", "deleteBeforeReplace", "retainOnDelete"):
                if isinstance(value, Scalar) and isinstance(value.value, bool):
                    setattr(options, {"protect": "protect", "deleteBeforeReplace": "delete_before_replace",
                                      "retainOnDelete": "retain_on_delete"}[key], value.value)  # fmt: skip
                else:
                    self.problem(value.location, path, f"expected true or false, got {_got(value)}")
            elif key == "dependsOn":
                for i, item in enumerate(self._strings(value, path)):
                    if TARGET.match(item.value):
                        options.depends_on.append((item.value, item.location))
                    else:
                        self.problem(item.location, f"{path}[{i}]", f'expected `<kind>/<name>`, got "{item.value}"')
            elif key == "ignoreChanges":
                for i, item in enumerate(self._strings(value, path)):
                    head = item.value.split(".")[0].split("[")[0]
                    if kind is not None and head not in kind.inputs:
                        message = f'"{head}" is not an input of {kind.name}{did_you_mean(head, kind.inputs)}'
                        self.problem(item.location, f"{path}[{i}]", message)
                    else:
                        options.ignore_changes.append(item.value)
            else:
                self.problem(entry.key_location, path, f'unknown option "{key}"{did_you_mean(key, OPTIONS)}')
        return options

    def _strings(self, node: Node, path: str) -> list[Scalar]:
        if not isinstance(node, Sequence):
            self.problem(node.location, path, f"expected a list of strings, got {_got(node)}")
            return []
        result = []
        for i, item in enumerate(node.items):
            if isinstance(item, Scalar) and isinstance(item.value, str):
                result.append(item)
            else:
                self.problem(item.location, f"{path}[{i}]", f"expected a string, got {_got(item)}")
        return result


def _text(mapping: Mapping, key: str) -> str:
    """A top-level string as written, for naming the document in problems."""
    entry = mapping.entries.get(key)
    value = entry.value if entry else None
    return value.value if isinstance(value, Scalar) and isinstance(value.value, str) else ""


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value is None


def _source_hint(key: str) -> str:
    """`; did you mean "secret"?` when `key` is a misspelled value source (letters swapped, or nearly equal)."""
    for source in SOURCE_KEYS:
        if sorted(key.lower()) == sorted(source) or difflib.SequenceMatcher(None, key.lower(), source).ratio() >= 0.8:
            return f'; did you mean "{source}"?'
    return ""


def _source_key(node: Node) -> str | None:
    """`secret`, `env`, `config` or `ref` when `node` is a value source."""
    if isinstance(node, Mapping) and len(node.entries) == 1 and next(iter(node.entries)) in SOURCE_KEYS:
        return next(iter(node.entries))
    return None


def _is_literal(node: Node) -> bool:
    return _source_key(node) is None


def describe(spec: dict[str, Any]) -> str:
    """`a string`, `a list of strings`, ... for messages."""
    kind = spec.get("type")
    if kind == "array":
        items = describe(spec.get("items", ANY))
        return "a list of " + items.split(" ", 1)[1] + ("s" if not items.endswith("s") else "")
    if "oneOf" in spec:
        return " or ".join(describe(v) for v in spec["oneOf"])
    if "$ref" in spec:
        return "any value" if spec["$ref"] == ANY["$ref"] else "a mapping"
    return {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
            "object": "a mapping"}.get(kind or "", "any value")  # fmt: skip


def _got(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {node.text}"
    if isinstance(value, int):
        return f"the integer {node.text}"
    if isinstance(value, float):
        return f"the number {node.text}"
    return f'the string "{value}"'
