"""Password hashing (salted scrypt) and HMAC-SHA256 signed JWTs for the emulated auth endpoints."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


def hash_password(password: str, salt: bytes | None = None) -> tuple[str, str]:
    """`(salt_hex, hash_hex)` with a fresh 16-byte salt unless one is given."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, maxmem=64 * 1024 * 1024, **SCRYPT)
    return salt.hex(), digest.hex()


def verify_password(password: str, salt_hex: str, hash_hex: str) -> bool:
    return hmac.compare_digest(hash_password(password, bytes.fromhex(salt_hex))[1], hash_hex)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_jwt(claims: dict[str, Any], secret: bytes) -> str:
    """A compact HS256 JWT."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def verify_jwt(token: str, secret: bytes, now: float) -> dict[str, Any]:
    """The claims of a valid, unexpired token; ValueError otherwise."""
    try:
        header, payload, signature = token.split(".")
    except ValueError:
        raise ValueError("malformed token") from None
    expected = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, _unb64(signature)):
        raise ValueError("bad signature")
    claims: dict[str, Any] = json.loads(_unb64(payload))
    if float(claims.get("exp", 0)) <= now:
        raise ValueError("token expired")
    return claims
