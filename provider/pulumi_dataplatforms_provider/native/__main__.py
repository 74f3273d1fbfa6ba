"""`python -m pulumi_dataplatforms_provider.native`: run the plugin (what the executable shim does)."""

from . import main

main()
