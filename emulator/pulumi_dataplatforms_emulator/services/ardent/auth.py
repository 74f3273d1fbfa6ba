"""Ardent request authentication: HMAC signatures (0.2.x-0.5.0 clients) and bearer keys (0.8.0).

The verifier follows the wire contract's recipe: HMAC-SHA256 over `ts + METHOD + PATH + raw
body`; when that does not match, the body is parsed (key order kept) and re-serialised the
Python way (compact, ASCII escapes) and checked again, because the official 0.2.2 client signs
its own serialisation while httpx writes different bytes. PATH is the API path without the
emulator's mount prefix (the client signs `/v1/...` even when its base URL has a path).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from ..spec import ServiceError

PUBLIC_KEY = "pk-ard_test_emulator0001"
SECRET_KEY = "sk-ard_test_emulator0001"
BEARER_KEY = "sk-ard_test_emulatorbearer0001"
#: public key -> secret key
HMAC_KEYS = {PUBLIC_KEY: SECRET_KEY}
BEARER_KEYS = frozenset({BEARER_KEY})
#: The production server's timestamp tolerance (and replay protection) is unknown; the emulator
#: accepts a timestamp within +-300 s of its clock, the window most HMAC APIs use.
CLOCK_SKEW_SECONDS = 300


@dataclass(frozen=True)
class Principal:
    """Who signed or presented the request."""

    key: str
    scheme: str
    user_id: str = "emulator-user-0001"


def unauthorized(message: str) -> ServiceError:
    return ServiceError(401, message)


def _hmac_hex(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def body_candidates(raw: bytes) -> list[str]:
    """The raw body, then its Python re-serialisation (compact, ensure_ascii, key order kept)."""
    out: list[str] = []
    with contextlib.suppress(UnicodeDecodeError):
        out.append(raw.decode("utf-8"))
    if raw.strip():
        try:
            parsed: Any = json.loads(raw)
        except (ValueError, RecursionError):
            return out
        again = json.dumps(parsed, separators=(",", ":"))
        if again not in out:
            out.append(again)
    return out


def verify_signature(secret: str, timestamp: str, method: str, path: str, raw: bytes, given: str) -> bool:
    """Whether `given` signs this request under either body form."""
    return any(
        hmac.compare_digest(_hmac_hex(secret, f"{timestamp}{method.upper()}{path}{body}"), given.lower())
        for body in body_candidates(raw)
    )


def authenticate(request: Request, raw: bytes, api_path: str, now: float) -> Principal:
    """The caller, or 401 for a missing/unknown key, a bad signature or a stale timestamp."""
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
        if key not in BEARER_KEYS:
            raise unauthorized("Invalid API key")
        return Principal(key, "bearer")
    public_key = request.headers.get("x-api-key")
    signature = request.headers.get("x-signature")
    timestamp = request.headers.get("x-timestamp")
    if not public_key or not signature or not timestamp:
        raise unauthorized("Missing authentication: send Authorization: Bearer, or X-API-Key/X-Signature/X-Timestamp")
    secret = HMAC_KEYS.get(public_key)
    if secret is None:
        raise unauthorized("Invalid API key or signature")
    if not timestamp.isdigit() or abs(now - int(timestamp)) > CLOCK_SKEW_SECONDS:
        raise unauthorized(f"X-Timestamp is outside the allowed window of {CLOCK_SKEW_SECONDS} s")
    if not verify_signature(secret, timestamp, request.method, api_path, raw, signature):
        raise unauthorized("Invalid API key or signature")
    return Principal(public_key, "hmac")
