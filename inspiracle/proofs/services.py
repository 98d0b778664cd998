"""Appending to the proof-of-creation log, signing its tree heads and answering its proofs (WRK-10).

Tree heads are signed by the beat job (tasks.py), never in a request: certificates are served against a
head already signed. Proofs are computed from the stored leaf hashes (linear in the log's size; a node cache
can come when the log is large enough to need one: bench it first).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.core.errors import Busy
from inspiracle.core.schemas import ID_MAX
from inspiracle.proofs import keys
from inspiracle.proofs.bundle import VERSION, canonical, check_tree_head, hex64, tree_head_payload
from inspiracle.proofs.models import ProofLeaf, ProofLogHead, TreeHead
from inspiracle.similarity import merkle

SIZE_MAX = ID_MAX  # tree sizes are bigint columns: 2**63 - 1
RETRY_AFTER_SECONDS = 60  # the beat signs a head every minute


def iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_text(
    *,
    work_id: int,
    file_id: int,
    owner_id: int,
    sha256: str,
    phash: int,
    dhash: int,
    keys: Iterable[int],
    at: datetime,
) -> str:
    return canonical(
        {
            "version": VERSION,
            "work": work_id,
            "file": file_id,
            "owner": owner_id,
            "sha256": sha256,
            "phash": hex64(phash),
            "dhash": hex64(dhash),
            "keys": sorted(hex64(key) for key in keys),
            "accepted_at": iso_utc(at),
        }
    )


def proof_append(
    *,
    work_id: int,
    file_id: int,
    owner_id: int,
    sha256: str,
    phash: int,
    dhash: int,
    keys: Iterable[int],
    accepted_at: datetime | None = None,
) -> ProofLeaf:
    """Append an accepted file's fingerprint. Call it inside the transaction that accepts the file, so that
    the leaf exists exactly when the file is accepted. ``accepted_at`` only for the backfill of files accepted
    before the log existed: the leaf states when they were accepted, its tree head when the log saw them."""
    now = timezone.now()
    text = leaf_text(
        work_id=work_id,
        file_id=file_id,
        owner_id=owner_id,
        sha256=sha256,
        phash=phash,
        dhash=dhash,
        keys=keys,
        at=accepted_at or now,
    )
    with transaction.atomic():
        # Why the lock: two appenders reading the same size would both take that index; one would fail on the
        # unique index and lose its leaf, or (without it) the log would fork.
        # get_or_create first: two very first appends racing to create the row both end up locking it.
        ProofLogHead.objects.get_or_create(pk=1)
        head = ProofLogHead.objects.select_for_update().get(pk=1)
        leaf = ProofLeaf(
            index=head.size,
            file_id=file_id,
            work_id=work_id,
            leaf=text,
            leaf_hash=merkle.leaf_hash(text.encode()).hex(),
            created_at=now,
        )
        leaf.full_clean()
        leaf.save(force_insert=True)
        ProofLogHead.objects.filter(pk=1).update(size=head.size + 1)
    return leaf


def _leaf_hashes(size: int) -> list[bytes]:
    rows = ProofLeaf.objects.filter(index__lt=size).order_by("index").values_list("leaf_hash", flat=True)
    return [bytes.fromhex(value) for value in rows]


def tree_head_latest() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def tree_head_sign() -> TreeHead | None:
    """Sign the log at its current size, if it grew since the last tree head; the existing head otherwise."""
    with transaction.atomic():
        # The head's lock: no leaf is appended while the root is computed, and two signers do not race.
        head = ProofLogHead.objects.select_for_update().filter(pk=1).first()
        latest = tree_head_latest()
        if head is None or head.size == 0 or (latest is not None and latest.tree_size >= head.size):
            return latest
        root = merkle.root(_leaf_hashes(head.size)).hex()
        now = timezone.now()
        public = keys.public_key()
        kid = keys.key_id(public)
        payload = tree_head_payload(tree_size=head.size, root_hash=root, timestamp=iso_utc(now), key=kid)
        tree_head = TreeHead(
            tree_size=head.size,
            root_hash=root,
            signed_at=now,
            key_id=kid,
            signature=keys.signing_key().sign(payload).hex(),
        )
        tree_head.full_clean()
        tree_head.save(force_insert=True)
    return tree_head


def tree_head_json(tree_head: TreeHead) -> dict[str, Any]:
    return {
        "version": VERSION,
        "tree_size": tree_head.tree_size,
        "root_hash": tree_head.root_hash,
        "timestamp": iso_utc(tree_head.signed_at),
        "key_id": tree_head.key_id,
        "signature": tree_head.signature,
    }


def consistency(*, first: int, second: int) -> list[str] | None:
    """The consistency proof between two signed tree sizes; None when either size has no signed head."""
    # Sizes out of the column's range (2**70) made SQLite raise OverflowError in the ``__in`` lookup: no signed
    # head can have such a size, so the answer is "no tree head" rather than a 500.
    if not (1 <= first <= second <= SIZE_MAX):
        return None
    if TreeHead.objects.filter(tree_size__in=[first, second]).count() != len({first, second}):
        return None
    return [node.hex() for node in merkle.consistency_proof(first, _leaf_hashes(second))]


class NotSignedYet(Busy):
    """The file's leaf is in the log, but no signed tree head covers it yet: the beat job signs one within a
    minute (proofs.sign_tree_head). A 503 with Retry-After, so clients come back rather than give up."""

    code = "not_signed_yet"

    def __init__(self) -> None:
        super().__init__(
            _("The log has not yet signed a head covering this file; try again in a minute."),
            retry_after=RETRY_AFTER_SECONDS,
        )


def certificate(*, file_id: int) -> dict[str, Any] | None:
    """The certificate of an accepted file: its leaf, the inclusion proof and the smallest signed tree head
    that covers it. None when the file has no leaf; NotSignedYet when no signed head covers the leaf yet.

    Why not sign here: signing reads every leaf hash under the log head's lock, inside a reader's request (and
    then the proof read them all again); tree heads are signed only by the beat job (tasks.py)."""
    leaf = ProofLeaf.objects.filter(file_id=file_id).first()
    if leaf is None:
        return None
    tree_head = TreeHead.objects.filter(tree_size__gt=leaf.index).order_by("tree_size").first()
    if tree_head is None:
        raise NotSignedYet()
    proof = merkle.inclusion_proof(leaf.index, _leaf_hashes(tree_head.tree_size))
    return {
        "version": VERSION,
        "leaf": leaf.leaf,
        "leaf_hash": leaf.leaf_hash,
        "leaf_index": leaf.index,
        "inclusion_proof": [node.hex() for node in proof],
        "tree_head": tree_head_json(tree_head),
        "key_id": tree_head.key_id,
    }


def certificate_for_work(*, work_id: int, file_id: int | None = None) -> dict[str, Any] | None:
    """The certificate of a work's first file in the log (or of ``file_id``, one of its files)."""
    leaves = ProofLeaf.objects.filter(work_id=work_id).order_by("index")
    if file_id is not None:
        leaves = leaves.filter(file_id=file_id)
    leaf = leaves.first()
    return certificate(file_id=leaf.file_id) if leaf is not None else None


@dataclass(frozen=True)
class LogReport:
    leaves: int
    tree_heads: int
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem


def proofs_verify() -> LogReport:
    """Check the whole log: indexes contiguous from 0, every leaf hash, every tree head's root and signature,
    and the log head's size. Names the first bad entry."""
    hashes: list[bytes] = []
    for leaf in ProofLeaf.objects.order_by("index").iterator(chunk_size=2000):
        if leaf.index != len(hashes):
            return LogReport(len(hashes), 0, f"leaf #{len(hashes)} is missing (next is #{leaf.index})")
        computed = merkle.leaf_hash(leaf.leaf.encode())
        if computed.hex() != leaf.leaf_hash:
            return LogReport(len(hashes), 0, f"leaf #{leaf.index} does not match its leaf hash (edited)")
        hashes.append(computed)
    head = ProofLogHead.objects.filter(pk=1).first()
    if head is not None and head.size != len(hashes):
        return LogReport(len(hashes), 0, f"the log ends before leaf #{head.size - 1} (leaves removed)")
    ring = keys.public_keys()
    checked = 0
    for tree_head in TreeHead.objects.order_by("tree_size"):
        name = f"tree head at size {tree_head.tree_size}"
        if tree_head.tree_size > len(hashes):
            return LogReport(len(hashes), checked, f"{name} covers leaves the log does not have")
        if merkle.root(hashes[: tree_head.tree_size]).hex() != tree_head.root_hash:
            return LogReport(len(hashes), checked, f"{name}: its root differs from the log's")
        public = ring.get(tree_head.key_id)
        if public is None:
            return LogReport(len(hashes), checked, f"{name}: signed with a key not in PROOF_RETIRED_KEYS")
        try:
            check_tree_head(tree_head_json(tree_head), public)
        except Exception as exc:
            return LogReport(len(hashes), checked, f"{name}: {exc}")
        checked += 1
    return LogReport(len(hashes), checked)
