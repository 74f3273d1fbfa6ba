"""Check refuses an input spelled the Python way (`start_date` for `startDate`): the handler would ignore it.

Every handler reads its inputs under the names the schema publishes (camelCase); an input under
any other name is dropped. So check must report it as "not a known property", as it does for any
other misspelling (check validates by published name only, whatever a model's config says):
otherwise a StorageObject's `content_type` would pass check and never reach the upload.
"""

from __future__ import annotations

import pytest

from pulumi_dataplatforms_provider import registry
from pulumi_dataplatforms_provider.spec import ResourceSpec

SPECS = {spec.token: spec for spec in registry.resources()}


def python_spellings(spec: ResourceSpec) -> list[str]:
    """Input properties whose Python field name differs from the published name."""
    return [name for name, info in spec.inputs.model_fields.items() if info.alias and info.alias != name]


@pytest.mark.parametrize("token", sorted(t for t, s in SPECS.items() if python_spellings(s)))
def test_an_input_under_its_python_name_is_not_a_known_property(token: str) -> None:
    spec = SPECS[token]
    for name in python_spellings(spec):
        reasons = {f.property: f.reason for f in spec.provider().check({}, {name: "x"}).failures}
        assert "not a known property" in reasons.get(name, ""), f"{token}: {name!r} accepted ({reasons})"
