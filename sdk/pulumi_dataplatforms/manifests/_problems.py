"""Located problems: what is wrong, where (`file:line:column`), in which document and field."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Location:
    """A position in a manifest file; line and column count from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{_shown(self.file)}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the manifests."""

    location: Location
    message: str
    kind: str = ""
    name: str = ""
    path: str = ""

    def __str__(self) -> str:
        subject = " ".join(part for part in (self.kind, self.name) if part)
        parts = [str(self.location), subject, self.path, self.message]
        return ": ".join(part for part in parts if part)


class ManifestError(Exception):
    """The manifests are invalid; nothing was registered. `problems` lists every one found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.location, p.path, p.message))
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the manifests; nothing was registered:\n{lines}"
        )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean "x"?` for the closest choice (case-insensitive), or ``."""
    options = list(choices)
    lowered = {choice.lower(): choice for choice in options}
    if word.lower() in lowered:
        return f'; did you mean "{lowered[word.lower()]}"?'
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f'; did you mean "{lowered[close[0]]}"?' if close else ""


def _shown(path: str) -> str:
    """A path relative to the working directory when it is under it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative
