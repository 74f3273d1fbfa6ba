"""Ardent data-source configurations (ten typed classes), connectors and jobs.

    from pulumi_dataplatforms import ardent
    cfg = pulumi.Config()
    pg = ardent.PostgresConfig(
        "warehouse",
        hostname="db.example.com",
        port="5432",
        username="ardent",
        password=cfg.require_secret("pgPassword"),
        databases=[ardent.DatabaseArgs(name="analytics")],
    )

Credentials come from stack config `ardent:publicKey` + `ardent:secretKey` (HMAC signing; the
only generation that serves configurations) and/or `ardent:apiKey` (bearer `sk-ard_...`, used
for connectors and jobs when set), plus `ardent:baseUrl`; or the environment variables
`ARDENT_PUBLIC_KEY`, `ARDENT_SECRET_KEY`, `ARDENT_API_KEY`, `ARDENT_BASE_URL`.

Ardent has no read endpoint for configurations, connectors or jobs: `pulumi refresh` keeps the
recorded state and cannot detect drift, and `pulumi import` is impossible. A configuration's
id is chosen client-side; to take over one that already exists, pass its id as `config_id`
(set is an upsert, so the first `up` overwrites it with the declared values).
"""

from __future__ import annotations

# The resource classes and their Args, generated from the package schema (`make schema`).
from ._generated.ardent import *  # noqa: F403
from ._generated.ardent import __all__ as _generated_names

__all__ = [
    *_generated_names,
]

NO_DRIFT = "Ardent has no read endpoint: refresh keeps the recorded state and drift cannot be detected."
