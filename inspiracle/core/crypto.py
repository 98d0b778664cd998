"""Encryption of personal information at rest (PRV-1).

AES-256-GCM with a key ring: every ciphertext names the key that made it, so keys can be rotated (new writes
use the active key; ``inspiracle keys rotate`` re-encrypts old rows). Each ciphertext is bound to its place
(``purpose``, e.g. "accounts.RegistrationInfo.mobile") as associated data, so a value copied into another
column does not decrypt. Look-ups use HMAC-SHA256 "blind indexes" under a separate key.

A value that cannot be decrypted raises DecryptionError: ciphertext is never handed back as if it were text.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "enc1"


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong or missing key, or the value was altered."""


class KeyringError(Exception):
    """The key ring configuration is unusable."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, bytes]
    index_key: bytes

    @classmethod
    def from_json(cls, raw: str) -> "Keyring":
        try:
            data = json.loads(raw)
            keys = {kid: base64.b64decode(value) for kid, value in data["keys"].items()}
            ring = cls(active=data["active"], keys=keys, index_key=base64.b64decode(data["index_key"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyringError(f"PII key ring is not valid JSON of the documented shape: {exc}") from exc
        if ring.active not in ring.keys:
            raise KeyringError(f"PII key ring: the active key {ring.active!r} is not among its keys")
        if any(len(key) != 32 for key in ring.keys.values()) or len(ring.index_key) < 32:
            raise KeyringError("PII key ring: every key must be 32 bytes (base64-encoded)")
        if any(":" in kid for kid in ring.keys):
            raise KeyringError("PII key ring: key ids may not contain ':'")
        return ring

    def to_json(self) -> str:
        return json.dumps(
            {
                "active": self.active,
                "keys": {kid: base64.b64encode(key).decode() for kid, key in self.keys.items()},
                "index_key": base64.b64encode(self.index_key).decode(),
            },
            indent=2,
        )

    def with_new_active_key(self, kid: str) -> "Keyring":
        if kid in self.keys:
            raise KeyringError(f"a key named {kid!r} exists already")
        return Keyring(active=kid, keys={**self.keys, kid: os.urandom(32)}, index_key=self.index_key)


def new_keyring_json(kid: str = "k1") -> str:
    return Keyring(active=kid, keys={kid: os.urandom(32)}, index_key=os.urandom(32)).to_json()


@lru_cache(maxsize=4)
def _ring_from(raw: str) -> Keyring:
    return Keyring.from_json(raw)


def keyring() -> Keyring:
    from django.conf import settings

    return _ring_from(settings.PII_KEYRING)


def encrypt(plaintext: str, *, purpose: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(ring.keys[ring.active]).encrypt(nonce, plaintext.encode("utf-8"), purpose.encode())
    return f"{PREFIX}:{ring.active}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(ciphertext: str) -> str:
    parts = ciphertext.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("the stored value is not in the encrypted format")
    return parts[1]


def decrypt(ciphertext: str, *, purpose: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    kid = key_id_of(ciphertext)
    key = ring.keys.get(kid)
    if key is None:
        raise DecryptionError(f"no key {kid!r} in the key ring")
    try:
        blob = base64.b64decode(ciphertext.split(":", 2)[2], validate=True)
        return AESGCM(key).decrypt(blob[:12], blob[12:], purpose.encode()).decode("utf-8")
    except Exception as exc:  # InvalidTag, bad base64, bad UTF-8: all mean "not ours or altered"
        raise DecryptionError(f"the stored value for {purpose} could not be decrypted") from exc


def encrypt_bytes(data: bytes, *, purpose: str) -> bytes:
    ring = keyring()
    nonce = secrets.token_bytes(12)
    header = f"{PREFIX}:{ring.active}:".encode()
    return header + nonce + AESGCM(ring.keys[ring.active]).encrypt(nonce, data, purpose.encode())


def decrypt_bytes(blob: bytes, *, purpose: str) -> bytes:
    ring = keyring()
    try:
        prefix, kid, rest = blob.split(b":", 2)
        if prefix.decode() != PREFIX:
            raise ValueError("prefix")
        return AESGCM(ring.keys[kid.decode()]).decrypt(rest[:12], rest[12:], purpose.encode())
    except Exception as exc:
        raise DecryptionError(f"the stored file for {purpose} could not be decrypted") from exc


def blind_index(value: str, *, purpose: str, ring: Keyring | None = None) -> str:
    """Keyed hash for equality look-ups of an encrypted value; callers normalize ``value`` first."""
    ring = ring or keyring()
    digest = hmac.new(ring.index_key, f"{purpose}\x00{value}".encode(), hashlib.sha256)
    return digest.hexdigest()
