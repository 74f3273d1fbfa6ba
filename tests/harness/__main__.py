"""`python -m tests.harness <up|preview|refresh|destroy> --program DIR --stack-dir DIR ...`.

A stand-in for the Pulumi CLI when it is not installed: `--config k=v` / `--secret k=v` are
stored in the stack directory (like `pulumi config set [--secret]`), then the operation runs and
a `pulumi up`-style summary is printed, secrets shown as [secret].
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .crypto import DEFAULT_PASSPHRASE
from .engine import DeploymentError
from .props import UNKNOWN
from .stack import Result, Stack

SYMBOLS = {"create": "+", "update": "~", "replace": "+-", "delete": "-", "read": "~", "drop": "-", "same": " "}
DONE = {
    "create": "created",
    "update": "updated",
    "replace": "replaced",
    "delete": "deleted",
    "read": "refreshed",
    "drop": "dropped",
}
PLANNED = {"create": "to create", "update": "to update", "replace": "to replace", "delete": "to delete"}
HEADINGS = {"up": "Updating", "preview": "Previewing update", "refresh": "Refreshing", "destroy": "Destroying"}


def summary(op: str, stack_name: str, result: Result, seconds: float) -> str:
    """The text `pulumi <op>` would print for `result`."""
    lines = [f"{HEADINGS[op]} ({stack_name}):"]
    if result.steps:
        type_width = max(len(step.type) for step in result.steps)
        name_width = max(len(step.name) for step in result.steps)
        for step in result.steps:
            lines.append(f"    {SYMBOLS[step.op]:<2} {step.type:<{type_width}}  {step.name:<{name_width}}  {step.op}")
    if result.outputs:
        lines.append("Outputs:")
        width = max(len(name) for name in result.outputs)
        for name, value in sorted(result.outputs.items()):
            shown = "[secret]" if name in result.secret_outputs else _show(value)
            lines.append(f"    {name:<{width}}: {shown}")
    lines.append("Resources:")
    counts = Counter(step.op for step in result.steps)
    words = PLANNED if op == "preview" else DONE
    for step_op, word in words.items():
        if counts[step_op]:
            lines.append(f"    {SYMBOLS[step_op]} {counts[step_op]} {word}")
    if counts["same"]:
        lines.append(f"    {counts['same']} unchanged")
    lines.append(f"Duration: {seconds:.1f}s")
    return "\n".join(lines)


def _show(value: Any) -> str:
    """JSON, with values unknown during preview shown as Pulumi shows them."""
    return "[unknown]" if value == UNKNOWN else json.dumps(value)


def _pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    return key, value


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.harness", description=__doc__)
    parser.add_argument("op", choices=sorted(HEADINGS))
    parser.add_argument("--program", required=True, help="program directory or module:function")
    parser.add_argument("--stack-dir", required=True, type=Path, help="where config and state live")
    parser.add_argument("--stack", default="dev", help="stack name (default: dev)")
    parser.add_argument("--config", action="append", type=_pair, default=[], metavar="KEY=VALUE")
    parser.add_argument("--secret", action="append", type=_pair, default=[], metavar="KEY=VALUE")
    args = parser.parse_args(argv)
    passphrase = os.environ.get("PULUMI_CONFIG_PASSPHRASE", DEFAULT_PASSPHRASE)
    stack = Stack(args.stack_dir, args.program, passphrase=passphrase, stack_name=args.stack)
    for key, value in args.config:
        stack.set_config(key, value)
    for key, value in args.secret:
        stack.set_config(key, value, secret=True)
    operations = {"up": stack.up, "preview": stack.preview, "refresh": stack.refresh, "destroy": stack.destroy}
    started = time.monotonic()
    try:
        result = operations[args.op]()
    except DeploymentError as exc:
        if exc.result is not None:
            print(summary(args.op, args.stack, exc.result, time.monotonic() - started))
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summary(args.op, args.stack, result, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
