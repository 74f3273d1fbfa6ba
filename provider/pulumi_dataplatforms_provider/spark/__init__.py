"""Coherent Spark: folders and services (Excel models compiled and published as versions)."""

from ..settings import Setting

SETTINGS = (
    Setting(
        "spark:baseUrl",
        "CSPARK_BASE_URL",
        "Spark base URL, e.g. `https://excel.uat.us.coherent.global/my-tenant` (the tenant may be the first path "
        "segment of a `*.coherent.global` URL) or any other URL without a tenant (an emulator or proxy).",
    ),
    Setting("spark:tenant", "CSPARK_TENANT", "Tenant name; required unless the base URL carries it."),
    Setting("spark:env", "CSPARK_ENV", "Environment such as `uat.us`; used when no base URL is set."),
    Setting("spark:apiKey", "CSPARK_API_KEY", "API key (`x-synthetic-key`); `open` for public APIs.", secret=True),
    Setting("spark:token", "CSPARK_BEARER_TOKEN", "Bearer token (a leading `Bearer ` is stripped).", secret=True),
    Setting("spark:clientId", "CSPARK_CLIENT_ID", "OAuth2 client id (client-credentials grant)."),
    Setting("spark:clientSecret", "CSPARK_CLIENT_SECRET", "OAuth2 client secret.", secret=True),
)
