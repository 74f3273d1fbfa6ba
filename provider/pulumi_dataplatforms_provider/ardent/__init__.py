"""Ardent: data-source configurations (HMAC generation), connectors and jobs."""

from ..settings import Setting

DEFAULT_BASE_URL = "https://ardentbackendwebappfinal.azurewebsites.net"

SETTINGS = (
    Setting(
        "ardent:publicKey",
        "ARDENT_PUBLIC_KEY",
        "Ardent public key for HMAC request signing (the 0.2.x/0.3.x key pair); sent as `X-API-Key`.",
    ),
    Setting(
        "ardent:secretKey",
        "ARDENT_SECRET_KEY",
        "Ardent secret key that signs every request (HMAC-SHA256); never sent.",
        secret=True,
    ),
    Setting(
        "ardent:apiKey",
        "ARDENT_API_KEY",
        "Ardent bearer API key (`sk-ard_...`, the 0.8.x generation); used for connectors and jobs when set.",
        secret=True,
    ),
    Setting(
        "ardent:baseUrl",
        "ARDENT_BASE_URL",
        "Ardent API base URL (paths `/v1/...` are appended). Defaults to the production API.",
        default=DEFAULT_BASE_URL,
    ),
)
