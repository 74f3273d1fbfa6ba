"""Generate the SDKs of schema.json with the real CLI's `pulumi package gen-sdk` (`make sdks`).

    python -m scripts.gen_sdks              # regenerate sdks/python and sdks/nodejs
    python -m scripts.gen_sdks --out DIR    # into DIR/python and DIR/nodejs instead

The CLI generates an SDK through the language host of its language. The official
`pulumi-language-python` and `pulumi-language-nodejs` cannot be had here, so `make pulumi` builds
a codegen-only language host under both names into .pulumi/codegen (scripts/codegen-host.sh,
scripts/codegen-host/main.go): it runs the CLI's own Python and Node.js SDK generators and
nothing else. That directory goes first on PATH for `gen-sdk` alone.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from scripts.cli_stack import OFFLINE_ENV, find_cli

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA = REPO_ROOT / "schema.json"
SDKS = REPO_ROOT / "sdks"
CODEGEN_HOSTS = REPO_ROOT / ".pulumi" / "codegen"
LANGUAGES = ("python", "nodejs")


def codegen_host_missing() -> str | None:
    """Why `generate` cannot run here (no CLI, no codegen host), or None."""
    if find_cli() is None:
        return "no Pulumi CLI: run `make pulumi` (scripts/pulumi.sh)"
    for language in LANGUAGES:
        host = CODEGEN_HOSTS / f"pulumi-language-{language}"
        if not os.access(host, os.X_OK):
            return f"no {host.relative_to(REPO_ROOT)}: run `make pulumi` (scripts/codegen-host.sh)"
    return None


def generate(out: Path, languages: tuple[str, ...] = LANGUAGES, cli: Path | None = None) -> list[Path]:
    """`pulumi package gen-sdk schema.json --language L --out out` for each language; the SDK roots.

    Each SDK lands in `out/<language>`, which the CLI empties first.
    """
    missing = codegen_host_missing()
    if missing is not None:
        raise RuntimeError(missing)
    cli = cli or find_cli()
    assert cli is not None
    with tempfile.TemporaryDirectory(prefix="gen-sdk-home-") as home:
        env = {
            **os.environ,
            **OFFLINE_ENV,
            "PULUMI_HOME": home,
            "PATH": os.pathsep.join([str(CODEGEN_HOSTS), os.environ.get("PATH", "")]),
        }
        for language in languages:
            command = [str(cli), "package", "gen-sdk", str(SCHEMA), "--language", language, "--out", str(out)]
            done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
            if done.returncode != 0:
                raise RuntimeError(f"`pulumi package gen-sdk --language {language}` failed:\n{done.stderr}")
    return [out / language for language in languages]


def tree(root: Path) -> dict[str, bytes]:
    """Relative path -> contents of every file under `root`."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    """`python -m scripts.gen_sdks [--out DIR]`."""
    parser = argparse.ArgumentParser(prog="python -m scripts.gen_sdks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SDKS, help="where the SDKs go (default sdks/)")
    args = parser.parse_args(argv)
    try:
        roots = generate(args.out.resolve())
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    for root in roots:
        print(f"{root}: {len(tree(root))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
