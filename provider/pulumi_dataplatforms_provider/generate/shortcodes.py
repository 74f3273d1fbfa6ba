"""A resource's example in its schema description, in the shortcodes Pulumi's docs generator reads.

The block follows the description after a blank line, as Pulumi-generated schemas write it:

    {{% examples %}}
    ## Example Usage
    {{% example %}}
    ### <title>

    ```yaml
    <example>```
    {{% /example %}}
    {{% /examples %}}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN = "{{% examples %}}"
_EXAMPLE = re.compile(
    r"\{\{% example %\}\}\n### .*\n\n```(?P<language>\w+)\n(?P<code>.*?)```\n\{\{% /example %\}\}", re.S
)


@dataclass(frozen=True)
class Example:
    """One example of a resource: its code and the code's language."""

    language: str
    code: str


def with_example(description: str, title: str, example: str) -> str:
    """`description` followed by the examples block holding one YAML example."""
    code = example if example.endswith("\n") else example + "\n"
    return (
        f"{description}\n\n{OPEN}\n## Example Usage\n{{{{% example %}}}}\n### {title}\n\n"
        f"```yaml\n{code}```\n{{{{% /example %}}}}\n{{{{% /examples %}}}}"
    )


def split_description(description: str) -> tuple[str, list[Example]]:
    """The description without its examples block, and the examples in it."""
    text, _, block = description.partition(OPEN)
    examples = [Example(m["language"], m["code"]) for m in _EXAMPLE.finditer(block)]
    return text.rstrip(), examples
