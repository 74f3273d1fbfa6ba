"""`docs/manifests.md`: the manifest format, for the people who write manifests."""

from __future__ import annotations

GUIDE = """\
# Manifests

Resources can be declared in YAML files instead of Python code: a repository keeps a directory of
manifests, and a three-line Pulumi program applies them.

## The program

The project's `__main__.py`:

```python
from pulumi_dataplatforms import manifests

manifests.apply("manifests/")
```

`manifests.apply(paths)` reads every `*.yaml` and `*.yml` file under the given files or directories
(recursively, in sorted order), checks them all, and registers every resource after the resources it
refers to. It returns the resources by `<kind>/<name>`, so the program can export outputs:

```python
resources = manifests.apply("manifests/")
pulumi.export("quoteVersion", resources["spark/Service/quote"].version)
```

`manifests.load(paths)` only checks: it registers nothing and raises `manifests.ManifestError` when
something is wrong.

## File layout

A file holds one or more YAML documents, separated by `---`. Each document declares one resource:

```yaml
# yaml-language-server: $schema=../manifest.schema.json
kind: spark/Folder
name: pricing
spec:
  description: Pricing models
  category: Finance
---
kind: spark/Service
name: quote
spec:
  folder: {ref: spark/Folder/pricing.name}
  file: models/quote.xlsx
  releaseNotes: Volume discount
options:
  protect: true
```

| Key | |
|---|---|
| `kind` | Required. The resource type, `<platform>/<Name>`; the [reference](README.md) lists every kind. |
| `name` | Required. The Pulumi resource name: 1-100 letters, digits, `-` or `_`, starting with a letter or digit, unique per kind. |
| `spec` | The resource's inputs, named as in its reference page (camelCase, e.g. `releaseNotes`). It may be left out when the kind has no required input. |
| `options` | Pulumi resource options (below). |

No other top-level key is allowed, and `spec` takes only the kind's inputs. File paths in `spec` (a
workbook, a cover image, a file to upload) are relative to the project directory, where `Pulumi.yaml`
is: the program and the provider both run there, so the same path works in a Python program too.

YAML decides the type of an unquoted value: `5432` is an integer, `yes`, `no`, `on` and `off` are
booleans, and `2026-01-01` is a date. Quote a string input that looks like one of them:
`port: "5432"`, `startDate: "2026-01-01"`.

## Value sources

Wherever a value goes in `spec`, at any depth, a mapping with exactly one of these keys stands for a
value that is read when the program runs:

| Source | Gives | Secret |
|---|---|---|
| `{secret: key}` | the stack config value `key` (in the project's namespace) or `namespace:key`, set with `pulumi config set --secret key <value>` | yes |
| `{env: NAME}` | the environment variable `NAME` of the `pulumi` process | yes |
| `{config: key}` | the stack config value `key` or `namespace:key` | only if the config value is a secret |
| `{ref: <kind>/<name>.<property>}` | a property of another resource in the manifests | as that property |

`secret`, `env` and `config` give strings, so they go where the input takes a string (or any value).
Inputs marked **Secret** on a resource's page (passwords, tokens, keys) must be given as
`{secret: ...}` or `{env: ...}`; a value written there is an error, so secrets never land in the
repository. `manifests.apply` checks that every config key and environment variable the manifests use
is set before it registers anything.

## References

`{ref: spark/Folder/pricing.name}` is the `name` property of the `spark/Folder` named `pricing`. The
resource referred to must be declared in the same manifests (any file); it is registered first, and
Pulumi creates it first. The property may be any input or output listed on the kind's page, and its
type must fit where the reference is used. A reference that names an undeclared resource or an
unknown property, or a cycle of references, is an error.

## Options

| Option | |
|---|---|
| `protect: true` | Pulumi refuses to delete the resource. |
| `dependsOn: [<kind>/<name>, ...]` | Create these resources of the manifests first (references do this on their own). |
| `deleteBeforeReplace: true` | When the resource must be replaced, delete the old one before creating the new one. |
| `ignoreChanges: [<input>, ...]` | Ignore changes of these inputs (camelCase) after creation; a dotted path such as `sku.type` names a nested value. |
| `retainOnDelete: true` | Keep the resource on the platform when Pulumi deletes it. |

## Errors

Nothing is registered unless every document is valid. `ManifestError` lists every problem found, one
per line, each with `file:line:column`, the resource and the field:

```text
3 problems in the manifests; nothing was registered:
  manifests/pricing.yaml:13:3: spark/Service quote: spec.relaseNotes: unknown field "relaseNotes"; did you mean "releaseNotes"?
  manifests/warehouse.yaml:5:9: ardent/PostgresConfig warehouse: spec.port: expected a string, got the integer 5432; quote it: "5432"
  manifests/warehouse.yaml:7:13: ardent/PostgresConfig warehouse: spec.password: is a secret and must not be written in a manifest: use `{secret: <config key>}` (set with `pulumi config set --secret`) or `{env: NAME}`
```

## Checking without a stack

```sh
python -m pulumi_dataplatforms.manifests check manifests/
```

checks manifest files or directories without a stack and without calling any platform, for example in
a pull-request check. It prints the problems and exits with status 1, or prints how many resources the
files declare. Config keys and environment variables are looked up only when a stack applies the
manifests.

## Editor support

`manifest.schema.json` is the JSON Schema (draft-07) of a manifest document. It is at the top of this
repository, in the installed package as `pulumi_dataplatforms/manifest.schema.json`, and printed by
`python -m pulumi_dataplatforms.manifests schema`. With the YAML extension of VS Code (or any editor
using yaml-language-server), point a manifest at it with a first line

```yaml
# yaml-language-server: $schema=<path of manifest.schema.json, relative to this file>
```

or, for a whole directory, in `.vscode/settings.json`:

```json
{"yaml.schemas": {"./manifest.schema.json": "manifests/**/*.yaml"}}
```

The editor then completes kinds, inputs and value sources, shows each input's description, and marks
unknown fields, values of the wrong type, and secrets written as values. Whether a reference names a
declared resource is checked by `check` and `apply`, not by the editor.
"""
