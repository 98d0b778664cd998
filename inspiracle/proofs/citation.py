"""A certificate someone cites elsewhere on the platform (a report, RPT-3; a counter-notice, RPT-8), checked
offline like ``verify-proof`` does and then against this installation's log (WRK-10).

The outcome is a small JSON-ready record that the citing app stores next to the certificate: what a legal
officer sees is what was checked when it was cited, and the certificate is kept to check again.
"""

import json
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_noop

from inspiracle.proofs import keys
from inspiracle.proofs.bundle import ProofInvalid, verify_bundle
from inspiracle.proofs.models import ProofLeaf, TreeHead
from inspiracle.proofs.services import NotSignedYet, certificate_for_work

MAX_BYTES = 64 * 1024  # a certificate of a log of 2**40 leaves is under 4 KB: anything far larger is not one

# The reasons this module adds to bundle.py's (shown to staff in their language).
NOT_IN_LOG = gettext_noop("the log has no such leaf at that index: the certificate is not from this platform")
HEAD_UNKNOWN = gettext_noop("the platform never published that tree head")
UNKNOWN_KEY = gettext_noop("the certificate names a key this platform never signed with")
TOO_LARGE = gettext_noop("the file is too large to be a certificate")


@dataclass(frozen=True)
class CitedProof:
    """What a cited certificate proved: ``valid`` with the leaf's facts, or the reason it failed."""

    valid: bool
    reason: str = ""
    leaf_index: int | None = None
    tree_size: int | None = None
    signed_at: str = ""
    owner: int | None = None
    work: int | None = None
    file: int | None = None
    sha256: str = ""
    # When the file was accepted, as the leaf states it: whether it predates a reported copy (RPT-3).
    accepted_at: str = ""

    def as_json(self) -> dict:
        return asdict(self)


def certificate_cite(raw: bytes) -> CitedProof:
    """Check a certificate as sent: the offline checks with the key it names (current or retired), then that
    the log holds its leaf at its index and published its tree head."""
    if len(raw) > MAX_BYTES:
        return CitedProof(valid=False, reason=TOO_LARGE)
    try:
        named = json.loads(raw).get("key_id")
    except (ValueError, AttributeError, RecursionError):
        named = None
    public = keys.public_key_for(named)
    if public is None:
        try:
            verify_bundle(raw, public_key=keys.public_key())
        except ProofInvalid as exc:
            # Unreadable or malformed first: "another key" is the reason only for a well-formed certificate.
            if "another key" not in str(exc):
                return CitedProof(valid=False, reason=str(exc))
        return CitedProof(valid=False, reason=UNKNOWN_KEY)
    try:
        result = verify_bundle(raw, public_key=public)
    except ProofInvalid as exc:
        return CitedProof(valid=False, reason=str(exc))
    head = json.loads(raw)["tree_head"]
    leaf_hash = json.loads(raw)["leaf_hash"]
    if not ProofLeaf.objects.filter(index=result.leaf_index, leaf_hash=leaf_hash).exists():
        return CitedProof(valid=False, reason=NOT_IN_LOG)
    published = TreeHead.objects.filter(
        tree_size=result.tree_size, root_hash=head["root_hash"], signature=head["signature"]
    ).exists()
    if not published:
        return CitedProof(valid=False, reason=HEAD_UNKNOWN)
    leaf = result.leaf
    return CitedProof(
        valid=True,
        leaf_index=result.leaf_index,
        tree_size=result.tree_size,
        signed_at=head["timestamp"],
        owner=leaf["owner"],
        work=leaf["work"],
        file=leaf["file"],
        sha256=leaf["sha256"],
        accepted_at=leaf.get("accepted_at", ""),
    )


def certificate_of_work(work_id: int) -> bytes | None:
    """The certificate of a work cited by its address, as its owner would download it; None also while no
    signed tree head covers its file yet (NotSignedYet: the citation is kept without a certificate)."""
    try:
        found = certificate_for_work(work_id=work_id)
    except NotSignedYet:
        return None
    return json.dumps(found).encode() if found is not None else None


# bundle.py's fixed reasons, for the catalogue: staff read them in their language ({% translate reason %}).
BUNDLE_REASONS = (
    gettext_noop("the certificate is not JSON"),
    gettext_noop("the leaf is not text"),
    gettext_noop("the leaf is not JSON"),
    gettext_noop("the leaf is not in canonical form"),
    gettext_noop("the leaf does not match its leaf hash"),
    gettext_noop("the tree head's signature does not verify"),
    gettext_noop("the inclusion proof is not a list"),
    gettext_noop("the inclusion proof does not lead to the signed root"),
)
