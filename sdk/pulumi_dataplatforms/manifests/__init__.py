"""Resources declared in YAML manifests, for GitOps repositories.

A stack's whole program:

    from pulumi_dataplatforms import manifests

    manifests.apply("manifests/")

Each YAML document declares one resource::

    kind: spark/Folder            # <platform>/<Resource>, as in schema.json
    name: pricing                 # the Pulumi resource name
    spec:                         # the resource's inputs, named as in schema.json
      description: Pricing models
    options:                      # protect, dependsOn, deleteBeforeReplace, ignoreChanges, retainOnDelete
      protect: true

A value may instead be `{secret: <config key>}`, `{env: NAME}` (both stay secret),
`{config: <config key>}`, or `{ref: "<kind>/<name>.<output>"}` (another resource's output,
which also orders the two). Every document is checked before anything is registered; all
problems are reported at once, each with `file:line:column`. See `docs/manifests.md`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .._resource import DataPlatformResource
from ._graph import check_graph
from ._problems import Location, ManifestError, Problem
from ._register import missing_sources, register
from ._validate import Declaration, DocumentChecker
from ._yaml import manifest_files, read_documents

__all__ = ["Declaration", "Location", "ManifestError", "Manifests", "Problem", "apply", "load"]

Paths = str | Path | list[str | Path]


@dataclass(frozen=True)
class Manifests:
    """Valid manifests: the files read and the declarations in registration order."""

    files: list[Path]
    declarations: list[Declaration]


def load(paths: Paths) -> Manifests:
    """Reads and checks every manifest under `paths` (files or directories) without registering anything.

    Raises `ManifestError` listing every problem found.
    """
    files, problems = manifest_files(paths)
    declarations: list[Declaration] = []
    for file in files:
        documents, file_problems = read_documents(file)
        problems += file_problems
        for document in documents:
            checker = DocumentChecker(document)
            declaration = checker.check()
            problems += checker.problems
            if declaration is not None:
                declarations.append(declaration)
    ordered, graph_problems = check_graph(declarations)
    problems += graph_problems
    if problems:
        raise ManifestError(problems)
    return Manifests(files, ordered)


def apply(paths: Paths) -> dict[str, DataPlatformResource]:
    """Registers every resource the manifests under `paths` declare; returns them by `<kind>/<name>`.

    Nothing is registered unless every document is valid and every config key and
    environment variable they use is set; otherwise `ManifestError` lists every problem.
    """
    manifests = load(paths)
    problems = missing_sources(manifests.declarations)
    if problems:
        raise ManifestError(problems)
    return register(manifests.declarations)
