"""Manifest files to located trees: every mapping key and value keeps its `file:line:column`.

PyYAML's safe loader composes the documents; scalars are typed by its resolver (so `5432` is an
integer and `yes` a boolean, as YAML 1.1 says), timestamps are kept as their text, and
duplicate keys, non-string keys and unknown tags are problems instead of silent surprises.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ._problems import Location, Problem

SUFFIXES = (".yaml", ".yml")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


@dataclass
class Scalar:
    """A string, number, boolean or null, with the text it was written as."""

    location: Location
    value: Any
    text: str


@dataclass
class Sequence:
    location: Location
    items: list[Node]


@dataclass
class Entry:
    """A mapping entry: where its key was written, and its value."""

    key_location: Location
    value: Node


@dataclass
class Mapping:
    location: Location
    entries: dict[str, Entry] = field(default_factory=dict)


Node = Scalar | Sequence | Mapping


@dataclass
class Document:
    """One non-empty YAML document of a manifest file."""

    location: Location
    root: Node


def manifest_files(paths: str | Path | list[str | Path]) -> tuple[list[Path], list[Problem]]:
    """The `*.yaml`/`*.yml` files named or under the directories named, sorted, recursively."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in [paths] if isinstance(paths, str | Path) else paths:
        path = Path(path)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
            if not found:
                problems.append(Problem(Location(str(path), 1, 1), "no *.yaml or *.yml files in this directory"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(Location(str(path), 1, 1), "no such file or directory"))
    return list(dict.fromkeys(files)), problems


def read_documents(path: Path) -> tuple[list[Document], list[Problem]]:
    """Every document in one file, or the syntax error that stops the file."""
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(Location(str(path), 1, 1), f"cannot read the file: {exc}")]
    documents: list[Document] = []
    constructor = yaml.SafeLoader("")
    try:
        for node in _compose_all(text):
            if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
                continue  # an empty document, e.g. between two `---`
            location = _location(str(path), node.start_mark)
            documents.append(Document(location, _convert(str(path), node, problems, constructor)))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _location(str(path), mark) if mark else Location(str(path), 1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        problems.append(Problem(where, f"invalid YAML: {what}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(Location(str(path), 1, 1), f"invalid YAML: {exc}"))
    return documents, problems


def _compose_all(text: str) -> Iterator[yaml.Node]:
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                yield node
    finally:
        loader.dispose()


def _location(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _convert(file: str, node: yaml.Node, problems: list[Problem], constructor: yaml.SafeLoader) -> Node:
    location = _location(file, node.start_mark)
    if node.tag not in _STANDARD_TAGS:
        problems.append(Problem(location, f"unsupported YAML tag {node.tag}; write plain values"))
        return Scalar(location, None, "")
    if isinstance(node, yaml.MappingNode):
        constructor.flatten_mapping(node)  # resolves `<<` merge keys into the node
        mapping = Mapping(location)
        for key_node, value_node in node.value:
            key_location = _location(file, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                problems.append(Problem(key_location, "mapping keys must be strings"))
                continue
            if key_node.value in mapping.entries:
                first = mapping.entries[key_node.value].key_location
                problems.append(Problem(key_location, f'duplicate key "{key_node.value}" (first at line {first.line})'))
                continue
            mapping.entries[key_node.value] = Entry(key_location, _convert(file, value_node, problems, constructor))
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return Sequence(location, [_convert(file, item, problems, constructor) for item in node.value])
    if node.tag == _TIMESTAMP:
        return Scalar(location, node.value, node.value)
    return Scalar(location, constructor.construct_object(node), node.value)
