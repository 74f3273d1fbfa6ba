"""`python -m pulumi_dataplatforms.manifests check PATH...` and `... schema`.

`check` validates manifests without a stack or any platform call (for pull-request checks;
config keys and environment variables are only looked up when a stack applies them);
`schema` prints the manifest JSON Schema editors use.
"""

from __future__ import annotations

import argparse
import sys

from . import ManifestError, load
from ._kinds import shipped


def build_parser() -> argparse.ArgumentParser:
    """The command line: `check PATH...` and `schema`."""
    parser = argparse.ArgumentParser(prog="python -m pulumi_dataplatforms.manifests")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate manifest files or directories; exit 1 on problems")
    check.add_argument("paths", nargs="+", metavar="PATH")
    commands.add_parser("schema", help="print the manifest JSON Schema (for yaml-language-server)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Runs one command; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "schema":
        sys.stdout.write(shipped("manifest.schema.json"))
        return 0
    try:
        manifests = load(args.paths)
    except ManifestError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    count = len(manifests.declarations)
    sys.stdout.write(f"ok: {count} resource{'s' if count != 1 else ''} in {len(manifests.files)} files\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
