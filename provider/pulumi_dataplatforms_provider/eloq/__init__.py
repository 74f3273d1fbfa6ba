"""Eloq (EloqCloud): database clusters, SKU look-ups and connection credentials."""

from ..settings import Setting

DEFAULT_BASE_URL = "https://api-prod.eloqdata.com/api/v1/"

SETTINGS = (
    Setting("eloq:apiKey", "ELOQ_API_KEY", "Eloq API key, sent as the raw `Authorization` header.", secret=True),
    Setting(
        "eloq:baseUrl",
        "ELOQ_BASE_URL",
        "Eloq API base URL (with or without a trailing `/`). Defaults to the production API.",
        default=DEFAULT_BASE_URL,
    ),
)
