"""The Ed25519 key that signs the proof log's tree heads (WRK-10).

Like the PII key ring it lives outside the database (PROOF_SIGNING_KEY or PROOF_SIGNING_KEY_FILE, a PKCS#8 PEM;
generated into the data folder by the embedded default): whoever can write the database still cannot sign a
tree head that hides a rewritten log. No Django imports at module level: settings import this module.
"""

import hashlib
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class SigningKeyError(Exception):
    """The configured signing key is unusable."""


def new_signing_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode()
    )


@lru_cache(maxsize=4)
def _private_from(pem: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"PROOF_SIGNING_KEY is not an unencrypted PKCS#8 PEM: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("PROOF_SIGNING_KEY must be an Ed25519 key")
    return key


def signing_key() -> Ed25519PrivateKey:
    from django.conf import settings

    return _private_from(settings.PROOF_SIGNING_KEY)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """The key's name in tree heads and certificates: hex SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(raw_public(key)).hexdigest()


def retired_public_keys() -> list[Ed25519PublicKey]:
    """The public keys that signed earlier tree heads (PROOF_RETIRED_KEYS: PEM blocks one after another).

    Configuration, not database rows: a key added by whoever can write the database would let them sign
    tree heads of a rewritten log."""
    from django.conf import settings

    text = getattr(settings, "PROOF_RETIRED_KEYS", "") or ""
    end = "-----END PUBLIC KEY-----"
    return [load_public_pem((block + end).encode()) for block in text.split(end) if block.strip()]


def public_keys() -> dict[str, Ed25519PublicKey]:
    """Every key this installation has signed with, by key id: the signing key's first, then retired ones."""
    return {key_id(key): key for key in [public_key(), *retired_public_keys()]}


def public_key_for(kid: object) -> Ed25519PublicKey | None:
    return public_keys().get(kid) if isinstance(kid, str) else None


def load_public_pem(pem: bytes) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise SigningKeyError(f"not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("the public key is not an Ed25519 key")
    return key
