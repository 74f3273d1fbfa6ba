"""Toy program: one `Record` per entry of the JSON config `toy:records`.

`toy:records` maps a name to `{"size", "zone", "exclusive"?, "crash"?, "options"?, "dependsOn"?}`;
`options` takes `protect`, `retainOnDelete`, `deleteBeforeReplace`, `ignoreChanges`.
The optional secret `toy:password` is given to every record as its `password` input.
"""

import json
from typing import Any

import pulumi

from tests.harness.toy import Record

config = pulumi.Config("toy")
specs: dict[str, dict[str, Any]] = json.loads(config.get("records") or "{}")
password = config.get_secret("password")

created: dict[str, Record] = {}
for name, spec in specs.items():
    options = spec.get("options", {})
    props: dict[str, Any] = {k: spec[k] for k in ("size", "zone", "exclusive", "crash") if k in spec}
    if password is not None:
        props["password"] = password
    created[name] = Record(
        name,
        props,
        pulumi.ResourceOptions(
            protect=options.get("protect"),
            retain_on_delete=options.get("retainOnDelete"),
            delete_before_replace=options.get("deleteBeforeReplace"),
            ignore_changes=options.get("ignoreChanges"),
            depends_on=[created[d] for d in spec.get("dependsOn", [])],
        ),
    )
    pulumi.export(f"{name}_id", created[name].id)
    pulumi.export(f"{name}_size", created[name].size)
    pulumi.export(f"{name}_token", created[name].token)
    pulumi.export(f"{name}_token_is_secret", created[name].token.is_secret())

pulumi.log.info(f"toy program: {len(specs)} records")
pulumi.export("names", sorted(specs))
if password is not None:
    pulumi.export("password", password)
