"""Each reference page's Python example registers exactly what its manifest example registers.

Both run under the recording mock engine (tests/manifest_program.py) in one process; the
comparison covers resource types, names and every input value, so a Python example generated
wrongly from its manifest (a dropped field, a wrong nested Args class, a ref to the wrong
output) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness.runner import REPO_ROOT
from tests.manifest_program import run_in_subprocess

PAGES = sorted((REPO_ROOT / "docs").glob("*/*.md"))
BLOCK = re.compile(r"^### (Python|Manifest)\n\n```(?:python|yaml)\n(.*?)^```", re.S | re.M)


def examples(page: Path) -> dict[str, str]:
    """The page's Python and manifest example texts."""
    return dict(BLOCK.findall(page.read_text()))


def test_python_and_manifest_examples_register_the_same_resources(tmp_path: Path) -> None:
    """Same types, names and inputs for every page (secrets and env filled with the same values)."""
    paths: list[str] = []
    config: set[str] = set()
    env: dict[str, str] = {}
    for page in PAGES:
        found = examples(page)
        assert set(found) == {"Python", "Manifest"}, page
        stem = f"{page.parent.name}-{page.stem}"
        manifest = tmp_path / stem / "manifest.yaml"
        manifest.parent.mkdir()
        manifest.write_text(found["Manifest"])
        program = tmp_path / f"{stem}.py"
        program.write_text(found["Python"])
        paths += [str(manifest.parent), str(program)]
        config |= set(re.findall(r"\{(?:secret|config): ([\w:.-]+)\}", found["Manifest"]))
        env |= {name: f"env-{name}" for name in re.findall(r"\{env: (\w+)\}", found["Manifest"])}
    settings = {f"manifests-corpus:{key}": f"value-{key}" for key in sorted(config)}
    outcomes = run_in_subprocess(paths, config=settings, env=env, inputs=True, cwd=tmp_path)
    assert len(outcomes) == 2 * len(PAGES)
    for page in PAGES:
        stem = f"{page.parent.name}-{page.stem}"
        from_manifest, from_python = outcomes[str(tmp_path / stem)], outcomes[str(tmp_path / f"{stem}.py")]
        assert from_manifest["problems"] == [] and from_python["problems"] == [], page
        assert from_manifest["registered"], page
        assert from_python["registered"] == from_manifest["registered"], page
