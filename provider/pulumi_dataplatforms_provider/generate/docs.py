"""The reference docs (`docs/`), generated from the package schema.

`docs/README.md` indexes the platforms, kinds and functions, `docs/manifests.md` documents the manifest
format, and `docs/<platform>/<Name>.md` documents one resource: description, Python and
manifest examples, inputs, outputs, the platform's config keys, adoption, and its types; it links the
pages of its platform's functions (`functions.py`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pulumi_dataplatforms._resource import snake

from ..registry import PLATFORMS
from .kinds import ANY, first_sentence, kind_of, referenced_type, type_name
from .manifest_guide import GUIDE
from .markdown import anchor, table
from .python_example import args_classes, python_program, sdk_class
from .shortcodes import Example, split_description

if TYPE_CHECKING:
    from .functions import PublicFunction

HEADER = "<!-- Generated from schema.json by `python -m pulumi_dataplatforms_provider.generate`; do not edit. -->\n\n"
NO_IMPORT = (
    "Dynamic resources cannot be imported with `pulumi import`; through the native provider plugin, "
    "a resource whose provider reads it from its id alone can be (see the README)."
)

#: How to take over what already exists, for each kind without a `configId` input.
ADOPTION: dict[str, str] = {
    "eloq/Cluster": (
        "Declare the cluster with the existing cluster's `name`, `region` and `zone`, and `adoptExisting: true` "
        "(Python `adopt_existing=True`). The first `pulumi up` finds the cluster by name and takes it over instead "
        "of creating one; a cluster of that name in another region or zone is an error. Without `adoptExisting`, "
        "create fails when the name is taken, except for a cluster in the same region and zone created within the "
        "create timeout (what an interrupted `pulumi up` leaves behind), which is taken over."
    ),
    "spark/Folder": (
        "Declare the folder with the existing folder's `name` and `adoptExisting: true` (Python "
        "`adopt_existing=True`). The first `pulumi up` takes the folder over and sets its description, category "
        "and dates to the declared values. Without `adoptExisting`, create fails with a 409 "
        "`PRODUCT_ALREADY_EXISTS` error."
    ),
    "spark/Service": (
        "Declare the service with its `folder`, the existing service's `name` and `adoptExisting: true` (Python "
        "`adopt_existing=True`). The first `pulumi up` publishes the declared workbook onto it as a new version; "
        "its earlier versions stay. Without `adoptExisting`, create fails with a `SERVICE_ALREADY_EXISTS` error. "
        "On the native plugin, importing by id (`<folder>/<name>`) records the latest version and the hash of its "
        "workbook; the program declares `file`, and when it is that workbook the next `pulumi up` changes nothing. "
        "The program's `versioning`, label, notes, tags and dates are taken as recorded and apply from the next "
        "publish."
    ),
    "ardent/Connector": (
        "Not available. Ardent assigns a connector's id when it creates it, and there is no way to tell this "
        "resource to use an existing one: every create makes a new connector, even when one with the same "
        "`name` exists. To bring a connector under Pulumi, declare it and delete the old one in Ardent. On the "
        "native plugin, a connector can be imported by its id where the server lists connectors "
        "(`GET /v1/connectors`): its service, name and selected paths are read; the program declares its "
        "connection details, which cannot be read back and are taken as recorded."
    ),
    "ardent/Job": (
        "Not available. Creating the resource creates a new Ardent job and runs its `message` once; an existing "
        "job cannot be taken over."
    ),
    "aerostack/SqlMigration": (
        "Automatic. When the bookkeeping table (`bookkeepingTable`) already records this `migrationId` with the "
        "checksum of the same `up` statements, and `verify` passes, create runs no statement and takes the record "
        "over (`statementsApplied` is 0). To adopt a migration applied elsewhere, declare it with the same "
        "`migrationId`, identical `up` statements and the same `bookkeepingTable`. A record with a different "
        "checksum is refused: that migration was edited after it was applied."
    ),
    "aerostack/CacheEntry": (
        "Not needed: setting a cache entry is an upsert. Declare the entry with the existing `key`; the first "
        "`pulumi up` overwrites its value and ttl with the declared ones."
    ),
    "aerostack/StorageObject": (
        "Not needed: an upload to an existing `key` replaces the object stored there. Declare the object with "
        "that `key`; the first `pulumi up` uploads the declared content over it."
    ),
}
CONFIG_ADOPTION = (
    "Set `configId` (Python `config_id`) to the existing configuration's id. Ardent's set is an upsert, so the "
    "first `pulumi up` overwrites that configuration with the declared values; nothing is read back first. "
    "Without `configId`, a new id is generated and a new configuration created."
)


def _name_cell(name: str) -> str:
    python = snake(name)
    return f"`{name}`" if python == name else f"`{name}` / `{python}`"


class _Page:
    """One resource page; collects the named types its properties use."""

    def __init__(self, package_schema: dict[str, Any], token: str, functions: Sequence[PublicFunction]) -> None:
        self.schema = package_schema
        self.types: dict[str, Any] = package_schema.get("types", {})
        self.token = token
        self.kind = kind_of(token)
        self.resource = package_schema["resources"][token]
        self.used: set[str] = set()
        self.functions = [function for function in functions if function.module == self.kind.split("/")[0]]

    def type_text(self, prop: dict[str, Any]) -> str:
        """`string`, `list of [DatabaseArgs](#databaseargs)`, ... noting every named type used."""
        if prop.get("$ref") == ANY:
            return "any"
        token = referenced_type(prop)
        if token is not None:
            self._use(token)
            name = type_name(token)
            return f"[{name}](#{anchor(name)})"
        if "oneOf" in prop:
            return " or ".join(self.type_text(variant) for variant in prop["oneOf"])
        kind = prop.get("type")
        if kind == "array":
            return "list of " + self.type_text(prop.get("items", {"$ref": ANY}))
        if kind == "object":
            return "map of " + self.type_text(prop.get("additionalProperties", {"$ref": ANY}))
        return str(kind)

    def _use(self, token: str) -> None:
        if token in self.used:
            return
        self.used.add(token)
        for prop in self.types[token].get("properties", {}).values():
            self.type_text(prop)

    def render(self) -> str:
        description, examples = split_description(self.resource["description"])
        platform, name = self.kind.split("/")
        cls = sdk_class(self.kind)
        parts = [
            f"# {self.kind}",
            f"Python `pulumi_dataplatforms.{platform}.{name}` · schema token `{self.token}` · "
            "[all resources](../README.md) · [manifest format](../manifests.md)"
            + _function_links(self.functions, platform),
            description,
            self._examples(examples),
            "## Inputs",
            self._inputs(),
            "## Outputs",
            self._outputs(),
            "## Configuration",
            self._configuration(platform),
            "## Adopting existing resources",
            self._adoption(),
        ]
        if self.used:
            classes = args_classes(cls._args_type, self.resource["inputProperties"], self.types)
            parts += ["## Types", self._types(classes)]
        return HEADER + "\n\n".join(parts) + "\n"

    def _examples(self, examples: list[Example]) -> str:
        blocks = []
        for example in examples:
            blocks.append("## Example")
            if "\n---\n" in example.code:
                blocks.append(f"The {self.kind} comes last, after the resources it refers to or depends on.")
            blocks += ["### Python", f"```python\n{python_program(example.code)}```"]
            blocks += ["### Manifest", f"```{example.language}\n{example.code}```"]
        return "\n\n".join(blocks)

    def _inputs(self) -> str:
        inputs: dict[str, Any] = self.resource["inputProperties"]
        required = set(self.resource["requiredInputs"])
        rows = [
            [
                _name_cell(key),
                self.type_text(prop),
                "yes" if key in required else "no",
                f"`{json.dumps(prop['default'])}`" if "default" in prop else "",
                " ".join(filter(None, [_flags(prop), str(prop.get("description", ""))])),
            ]
            for key, prop in inputs.items()
        ]
        return table(["Input", "Type", "Required", "Default", "Description"], rows)

    def _outputs(self) -> str:
        inputs = self.resource["inputProperties"]
        outputs = {k: v for k, v in self.resource["properties"].items() if k not in inputs}
        intro = "Every input is also an output, with the value the provider recorded."
        if not outputs:
            return intro
        rows = [
            [_name_cell(key), self.type_text(prop), " ".join(filter(None, [_flags(prop), prop.get("description", "")]))]
            for key, prop in outputs.items()
        ]
        return intro + " Besides them:\n\n" + table(["Output", "Type", "Description"], rows)

    def _configuration(self, platform: str) -> str:
        variables = self.schema.get("config", {}).get("variables", {})
        settings = next(p.settings for p in PLATFORMS if p.name == platform)
        rows = []
        for setting in settings:
            variable = variables[setting.provider_property]
            rows.append(
                [
                    f"`{setting.key}`",
                    f"`dataplatforms:{setting.provider_property}`",
                    ", ".join(f"`{env}`" for env in variable.get("defaultInfo", {}).get("environment", [])),
                    f"`{variable['default']}`" if "default" in variable else "",
                    "yes" if variable.get("secret") else "no",
                    variable.get("description", ""),
                ]
            )
        intro = (
            "The provider reads these when it runs: from stack config (`pulumi config set [--secret] <key> <value>`), "
            "else from the environment variable. The dynamic provider reads the first key; the native plugin's "
            "default provider reads the second, and an explicit provider takes it as a property without the "
            "`dataplatforms:` prefix."
        )
        header = ["Key", "Native plugin key", "Environment variable", "Default", "Secret", "Description"]
        return intro + "\n\n" + table(header, rows)

    def _adoption(self) -> str:
        if "configId" in self.resource["inputProperties"]:
            how = CONFIG_ADOPTION
        elif self.kind in ADOPTION:
            how = ADOPTION[self.kind]
        else:
            raise KeyError(f"no adoption text for {self.kind}: add one to ADOPTION in {__name__}")
        return f"{NO_IMPORT} {how}"

    def _types(self, classes: dict[str, type]) -> str:
        sections = []
        for token in sorted(self.used, key=type_name):
            spec = self.types[token]
            name = type_name(token)
            section = [f"### {name}"]
            if spec.get("description") and spec["description"] != name:
                section.append(spec["description"])
            if "enum" in spec:
                section.append("One of " + ", ".join(f"`{json.dumps(item['value'])}`" for item in spec["enum"]) + ".")
            else:
                if token in classes:
                    section.append(_python_class(classes[token], spec))
                required = set(spec.get("required", []))
                rows = [
                    [
                        _name_cell(key),
                        self.type_text(prop),
                        "yes" if key in required else "no",
                        f"`{json.dumps(prop['default'])}`" if "default" in prop else "",
                        prop.get("description", ""),
                    ]
                    for key, prop in spec.get("properties", {}).items()
                ]
                section.append(table(["Property", "Type", "Required", "Default", "Description"], rows))
            sections.append("\n\n".join(section))
        return "\n\n".join(sections)


def _flags(prop: dict[str, Any]) -> str:
    flags = []
    if prop.get("secret"):
        flags.append("**Secret.**")
    if prop.get("replaceOnChanges"):
        flags.append("**Replaces on change.**")
    return " ".join(flags)


def _python_class(cls: type, spec: dict[str, Any]) -> str:
    module = cls.__module__.rsplit(".", 1)[-1]
    fields = [field.name for field in dataclasses.fields(cls)]
    text = f"Python: `{module}.{cls.__name__}`"
    if len(fields) < len(spec.get("properties", {})):
        text += " (fields " + ", ".join(f"`{name}`" for name in fields) + ")"
    return text + "."


def _function_links(functions: Sequence[PublicFunction], platform: str) -> str:
    """` · functions [`get_skus`](functions/get_skus.md)` on a resource page of a platform with functions."""
    links = [f"[`{function.name}`]({function.page.removeprefix(platform + '/')})" for function in functions]
    return " · functions " + ", ".join(links) if links else ""


def _function_token(function: PublicFunction) -> str:
    """The token of the package function answering the same look-up (native plugin), or nothing."""
    from .native_functions import native_function

    spec = native_function(function)
    return f"`{spec.token}`" if spec else ""


def _index(package_schema: dict[str, Any], functions: Sequence[PublicFunction]) -> str:
    resources: dict[str, Any] = package_schema["resources"]
    parts = [
        "# pulumi-dataplatforms reference",
        package_schema.get("description", ""),
        "Each resource can be declared in a Python program (`pulumi_dataplatforms.<platform>.<Name>`) or in a "
        "YAML manifest (`kind: <platform>/<Name>`, see [the manifest format](manifests.md)).",
    ]
    if functions:
        parts.append(
            "A platform's functions (`pulumi_dataplatforms.<platform>.<function>`, listed after its resources) are "
            "helpers a Python program calls itself; they read the platform's config keys in the program's process. "
            "Those with a function token are also functions of the package's schema, which the native provider "
            "plugin answers with its provider's settings (in Pulumi YAML, `fn::invoke`; see the function's page)."
        )
    for platform in PLATFORMS:
        tokens = [token for token in resources if token.split(":")[1] == platform.name]
        if not tokens:
            continue
        rows = [
            [
                f"[{kind_of(token)}]({kind_of(token)}.md)",
                f"`{platform.name}.{type_name(token)}`",
                first_sentence(split_description(resources[token]["description"])[0]),
            ]
            for token in tokens
        ]
        keys = [f"`{s.key}`" for s in platform.settings]
        native = [f"`dataplatforms:{s.provider_property}`" for s in platform.settings]
        config = f"Config keys: {', '.join(keys)} (native plugin: {', '.join(native)})." if keys else ""
        parts += [f"## {platform.display_name}", table(["Kind", "Python", "Description"], rows)]
        calls = [
            [f"[{f.name}]({f.page})", f"`{f.call()}`", _function_token(f), f.summary]
            for f in functions
            if f.module == platform.name
        ]
        if platform.functions:
            parts += [table(["Function", "Python", "Function token (native plugin)", "Description"], calls)]
        elif calls:
            parts += [table(["Function", "Python", "Description"], [[c[0], c[1], c[3]] for c in calls])]
        parts += [config] if config else []
    return HEADER + "\n\n".join(parts) + "\n"


def reference_docs(package_schema: dict[str, Any], functions: Sequence[PublicFunction]) -> dict[str, str]:
    """The index, the manifest guide and every resource page, by path under `docs/`; pages link `functions`."""
    pages = {"README.md": _index(package_schema, functions), "manifests.md": HEADER + GUIDE}
    for token in package_schema["resources"]:
        pages[f"{kind_of(token)}.md"] = _Page(package_schema, token, functions).render()
    return dict(sorted(pages.items()))
