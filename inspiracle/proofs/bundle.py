"""The bytes that the proof log hashes and signs, and the offline check of a certificate (WRK-10).

Model-free, so that ``verify_proof`` (and another implementation following docs/proof-of-creation.md) needs
nothing but the certificate, the public key and, optionally, the original file. Every value is canonical JSON
(keys sorted, no whitespace, ASCII) and every hash lowercase hex: one meaning has one spelling, so changing
any byte of a certificate changes what is hashed or signed, or makes it unreadable.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from inspiracle.proofs.keys import key_id
from inspiracle.similarity import merkle

VERSION = 1
_HEX32 = re.compile(r"[0-9a-f]{64}")
_HEX64 = re.compile(r"[0-9a-f]{128}")
LEAF_FIELDS = {"version", "work", "file", "owner", "sha256", "phash", "dhash", "keys", "accepted_at"}
HEAD_FIELDS = {"version", "tree_size", "root_hash", "timestamp", "key_id"}
BUNDLE_FIELDS = {"version", "leaf", "leaf_hash", "leaf_index", "inclusion_proof", "tree_head", "key_id"}


class ProofInvalid(Exception):
    """A certificate or log entry does not verify; the message says which check failed."""


def canonical(value: dict[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def hex64(value: int) -> str:
    """A 64-bit perceptual key (signed or unsigned) as 16 lowercase hex digits of its unsigned value."""
    return f"{value & 0xFFFFFFFFFFFFFFFF:016x}"


def tree_head_payload(*, tree_size: int, root_hash: str, timestamp: str, key: str) -> bytes:
    """What the Ed25519 signature of a tree head covers."""
    return canonical(
        {
            "version": VERSION,
            "tree_size": tree_size,
            "root_hash": root_hash,
            "timestamp": timestamp,
            "key_id": key,
        }
    ).encode()


def _hex(value: Any, pattern: re.Pattern[str], what: str) -> bytes:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ProofInvalid(f"{what} is not lowercase hex of the right length")
    return bytes.fromhex(value)


def _int(value: Any, what: str) -> int:
    if type(value) is not int or value < 0:
        raise ProofInvalid(f"{what} is not a non-negative integer")
    return value


def _object(value: Any, fields: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != fields:
        raise ProofInvalid(f"{what} does not have exactly the fields {sorted(fields)}")
    if value["version"] != VERSION or type(value["version"]) is not int:
        raise ProofInvalid(f"{what} has an unknown version")
    return value


def check_tree_head(head: Any, public_key: Ed25519PublicKey) -> tuple[int, bytes]:
    """The size and root of a signed tree head whose signature holds under ``public_key``."""
    head = _object(head, HEAD_FIELDS | {"signature"}, "the tree head")
    size = _int(head["tree_size"], "the tree size")
    root = _hex(head["root_hash"], _HEX32, "the root hash")
    signature = _hex(head["signature"], _HEX64, "the signature")
    if head["key_id"] != key_id(public_key):
        raise ProofInvalid("the tree head was signed with another key than the one given")
    if not isinstance(head["timestamp"], str):
        raise ProofInvalid("the tree head's timestamp is not text")
    payload = tree_head_payload(
        tree_size=size, root_hash=head["root_hash"], timestamp=head["timestamp"], key=head["key_id"]
    )
    try:
        public_key.verify(signature, payload)
    except InvalidSignature:
        raise ProofInvalid("the tree head's signature does not verify") from None
    return size, root


@dataclass(frozen=True)
class Verified:
    leaf: dict[str, Any]
    leaf_index: int
    tree_size: int
    image_checked: bool


def verify_bundle(raw: bytes, *, public_key: Ed25519PublicKey, image: bytes | None = None) -> Verified:
    """Check a certificate: its leaf hash, the leaf's inclusion in the signed tree, the signature, and with
    ``image`` that the original file is the one fingerprinted. Raises ProofInvalid naming the first failure."""
    try:
        bundle = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nesting deep enough to exhaust the stack
        raise ProofInvalid("the certificate is not JSON") from None
    bundle = _object(bundle, BUNDLE_FIELDS, "the certificate")
    if not isinstance(bundle["leaf"], str):
        raise ProofInvalid("the leaf is not text")
    leaf_bytes = bundle["leaf"].encode("ascii", errors="replace")
    try:
        leaf = _object(json.loads(bundle["leaf"]), LEAF_FIELDS, "the leaf")
    except (ValueError, RecursionError):
        raise ProofInvalid("the leaf is not JSON") from None
    if canonical(leaf) != bundle["leaf"]:
        raise ProofInvalid("the leaf is not in canonical form")
    if merkle.leaf_hash(leaf_bytes) != _hex(bundle["leaf_hash"], _HEX32, "the leaf hash"):
        raise ProofInvalid("the leaf does not match its leaf hash")
    if bundle["key_id"] != key_id(public_key):
        raise ProofInvalid("the certificate names another key than the one given")
    size, root = check_tree_head(bundle["tree_head"], public_key)
    index = _int(bundle["leaf_index"], "the leaf index")
    if not isinstance(bundle["inclusion_proof"], list):
        raise ProofInvalid("the inclusion proof is not a list")
    proof = [_hex(node, _HEX32, "a proof hash") for node in bundle["inclusion_proof"]]
    if not merkle.verify_inclusion(
        leaf=merkle.leaf_hash(leaf_bytes), index=index, tree_size=size, proof=proof, root_hash=root
    ):
        raise ProofInvalid("the inclusion proof does not lead to the signed root")
    if image is not None and hashlib.sha256(image).hexdigest() != leaf["sha256"]:
        raise ProofInvalid("the file's SHA-256 differs from the one in the certificate")
    return Verified(leaf=leaf, leaf_index=index, tree_size=size, image_checked=image is not None)
