"""Everything generated from the package schema: `schema.json`, `manifest.schema.json` and `docs/`.

`python -m pulumi_dataplatforms_provider.generate` (`make schema`) writes them all;
`--check` (`make schema-check`) lists what is out of date and writes nothing.
"""
