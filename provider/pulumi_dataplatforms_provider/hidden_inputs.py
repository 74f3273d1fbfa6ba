"""Names of the hidden inputs the SDK adds to every resource (a module without imports, so the SDK loads fast)."""

#: Set to true by the SDK, while the program runs as a preview, on resources whose `check` mints a random
#: identity. The dynamic-provider host passes `check` neither the preview flag nor the engine's random
#: seed, so a preview's `check` cannot mint the value the update's `check` will: it returns it unknown
#: instead, and `check` drops this key from the inputs it returns.
PREVIEW_KEY = "__preview"
#: The resource's URN and the stack's organization (what stable auto-names are derived from).
URN_KEY = "__urn"
ORGANIZATION_KEY = "__organization"
