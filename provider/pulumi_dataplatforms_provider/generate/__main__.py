"""`python -m pulumi_dataplatforms_provider.generate [--check] [--root DIR]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .files import generated_files, stale_files, write_files


def main(argv: list[str] | None = None) -> int:
    """Regenerates the files under `--root`, or with `--check` lists the stale ones; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m pulumi_dataplatforms_provider.generate", description=__doc__)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 listing every stale file")
    parser.add_argument("--root", type=Path, default=Path(), help="the repository root (default: .)")
    args = parser.parse_args(argv)
    files = generated_files()
    if args.check:
        stale = stale_files(args.root, files)
        for line in stale:
            sys.stdout.write(line + "\n")
        if stale:
            sys.stdout.write("generated files are stale: run `make schema`\n")
            return 1
        sys.stdout.write(f"{len(files)} generated files are up to date\n")
        return 0
    for line in write_files(args.root, files):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
