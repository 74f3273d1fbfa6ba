"""A passphrase secrets manager shaped like Pulumi's.

Key: PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes), as Pulumi derives it.
Values: AES-256-GCM with a random 96-bit nonce, written `v1:<nonce b64>:<ciphertext+tag b64>`.
The salt state `v1:<salt b64>:<encryption of "pulumi">` both carries the salt and proves the
passphrase. In state a secret is `{SIG_KEY: SECRET_SIG, "ciphertext": "v1:..."}` whose
plaintext is the JSON encoding of the value.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .props import SECRET_SIG, SIG_KEY, is_secret

DEFAULT_PASSPHRASE = "harness-passphrase"
"""Used when neither `Stack(passphrase=...)` nor `PULUMI_CONFIG_PASSPHRASE` says otherwise."""

_ITERATIONS = 1_000_000
_CHECK_TEXT = b"pulumi"


class PassphraseError(Exception):
    """The passphrase does not open this stack's secrets."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class Crypter:
    """Encrypts and decrypts values with a key derived from a passphrase and a salt."""

    def __init__(self, passphrase: str, salt_state: str | None = None) -> None:
        if salt_state is None:
            salt = os.urandom(8)
            self._aes = AESGCM(self._derive(passphrase, salt))
            self.salt_state = f"v1:{_b64(salt)}:{self.encrypt_bytes(_CHECK_TEXT)}"
            return
        version, salt_b64, check = salt_state.split(":", 2)
        if version != "v1":
            raise PassphraseError(f"unsupported salt state version {version!r}")
        self._aes = AESGCM(self._derive(passphrase, base64.b64decode(salt_b64)))
        self.salt_state = salt_state
        try:
            ok = self.decrypt_bytes(check) == _CHECK_TEXT
        except (InvalidTag, ValueError):
            ok = False
        if not ok:
            raise PassphraseError("incorrect passphrase for this stack's secrets")

    @staticmethod
    def _derive(passphrase: str, salt: bytes) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, _ITERATIONS, 32)

    def encrypt_bytes(self, plaintext: bytes) -> str:
        """`v1:<nonce>:<ciphertext>` for `plaintext`."""
        nonce = os.urandom(12)
        return f"v1:{_b64(nonce)}:{_b64(self._aes.encrypt(nonce, plaintext, None))}"

    def decrypt_bytes(self, ciphertext: str) -> bytes:
        """Inverse of `encrypt_bytes`."""
        version, nonce_b64, body_b64 = ciphertext.split(":", 2)
        if version != "v1":
            raise ValueError(f"unsupported ciphertext version {version!r}")
        return self._aes.decrypt(base64.b64decode(nonce_b64), base64.b64decode(body_b64), None)

    def encrypt_value(self, value: Any) -> str:
        """Ciphertext of the JSON encoding of `value`."""
        return self.encrypt_bytes(json.dumps(value, sort_keys=True).encode())

    def decrypt_value(self, ciphertext: str) -> Any:
        """Inverse of `encrypt_value`."""
        return json.loads(self.decrypt_bytes(ciphertext))

    def encrypt_tree(self, value: Any) -> Any:
        """Copy of `value` with every `{sig, value}` secret replaced by `{sig, ciphertext}`."""
        if is_secret(value):
            return {SIG_KEY: SECRET_SIG, "ciphertext": self.encrypt_value(value["value"])}
        if isinstance(value, dict):
            return {k: self.encrypt_tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.encrypt_tree(v) for v in value]
        return value

    def decrypt_tree(self, value: Any) -> Any:
        """Inverse of `encrypt_tree`: ciphertext secrets become `{sig, value}` wrappers."""
        if isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG and "ciphertext" in value:
            return {SIG_KEY: SECRET_SIG, "value": self.decrypt_value(value["ciphertext"])}
        if isinstance(value, dict):
            return {k: self.decrypt_tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.decrypt_tree(v) for v in value]
        return value
