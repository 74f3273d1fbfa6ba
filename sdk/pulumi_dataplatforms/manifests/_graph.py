"""Checks across documents: duplicate names, dangling and cyclic references; registration order."""

from __future__ import annotations

import os
from typing import Any

from ._kinds import kinds
from ._problems import Location, Problem, did_you_mean
from ._validate import ANY, Declaration, describe


def check_graph(declarations: list[Declaration]) -> tuple[list[Declaration], list[Problem]]:
    """The declarations in an order where every resource follows what it refers to, or the problems."""
    problems: list[Problem] = []
    by_key: dict[str, Declaration] = {}
    for declaration in declarations:
        first = by_key.get(declaration.key)
        if first is not None:
            where = _relative(first.location, declaration.location)
            message = f"duplicate name: {declaration.key} is already declared at {where}"
            problems.append(_problem(declaration, declaration.location, "name", message))
            continue
        by_key[declaration.key] = declaration
    edges: dict[str, list[tuple[str, Location]]] = {key: [] for key in by_key}
    for declaration in by_key.values():
        for ref in declaration.refs:
            target = by_key.get(ref.target)
            if target is None:
                problems.append(_problem(declaration, ref.location, ref.path, _dangling(ref.target, by_key)))
                continue
            output = target.kind.outputs.get(ref.property)
            if output is None:
                hint = did_you_mean(ref.property, target.kind.outputs)
                message = f'{target.kind.name} has no output "{ref.property}"{hint}'
                problems.append(_problem(declaration, ref.location, ref.path, message))
                continue
            if not _compatible(ref.expected, output):
                message = f"{ref} is {describe(output)}, but this field takes {describe(ref.expected)}"
                problems.append(_problem(declaration, ref.location, ref.path, message))
                continue
            edges[declaration.key].append((ref.target, ref.location))
        for target_key, location in declaration.options.depends_on:
            if target_key not in by_key:
                problems.append(_problem(declaration, location, "options.dependsOn", _dangling(target_key, by_key)))
            else:
                edges[declaration.key].append((target_key, location))
    problems += _cycles(edges, by_key)
    if problems:
        return [], problems
    return _order(list(by_key), edges, by_key), []


def _relative(first: Location, second: Location) -> str:
    """Where `first` is, said from `second`'s file: `line 3`, or `other.yaml:3:1`."""
    if first.file == second.file:
        return f"line {first.line}"
    path = os.path.relpath(first.file, os.path.dirname(second.file))
    return f"{path}:{first.line}:{first.column}"


def _problem(declaration: Declaration, location: Location, path: str, message: str) -> Problem:
    return Problem(location, message, declaration.kind.name, declaration.name, path)


def _dangling(target: str, by_key: dict[str, Declaration]) -> str:
    kind = target.rsplit("/", 1)[0]
    if kind not in kinds():
        return f'no resource {target}: unknown kind "{kind}"{did_you_mean(kind, kinds())}'
    return f"no resource {target} is declared in these manifests{did_you_mean(target, by_key)}"


def _cycles(edges: dict[str, list[tuple[str, Location]]], by_key: dict[str, Declaration]) -> list[Problem]:
    """One problem per cycle, at the reference that closes it."""
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(key: str) -> None:
        state[key] = 1
        path.append(key)
        for target, location in edges[key]:
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                message = "cyclic reference: " + " -> ".join(cycle)
                problems.append(_problem(by_key[key], location, "", message))
            elif target not in state:
                visit(target)
        path.pop()
        state[key] = 2

    for key in edges:
        if key not in state:
            visit(key)
    return problems


def _order(
    keys: list[str], edges: dict[str, list[tuple[str, Location]]], by_key: dict[str, Declaration]
) -> list[Declaration]:
    """Depth-first: what a declaration refers to first, otherwise in file order."""
    done: dict[str, None] = {}

    def visit(key: str) -> None:
        if key in done:
            return
        for target, _ in edges[key]:
            visit(target)
        done[key] = None

    for key in keys:
        visit(key)
    return [by_key[key] for key in done]


def _compatible(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    if expected == ANY or actual == ANY or not expected:
        return True
    if "oneOf" in expected:
        return any(_compatible(variant, actual) for variant in expected["oneOf"])
    want, have = expected.get("type"), actual.get("type")
    if want == "array" and have == "array":
        return _compatible(expected.get("items", ANY), actual.get("items", ANY))
    if want and have:
        return bool(want == have or (want == "number" and have == "integer"))
    return bool(expected.get("$ref") == actual.get("$ref"))
