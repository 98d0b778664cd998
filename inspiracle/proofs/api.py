"""The proof log's public face (WRK-10): the public key, signed tree heads and consistency proofs for anyone;
a work's certificate for its owner."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from inspiracle.core.api import error_responses
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.schemas import Id
from inspiracle.proofs import keys, services
from inspiracle.proofs.models import TreeHead
from inspiracle.works.permissions import access_work_for_edit

router = Router(tags=["proofs"])
PAGE = 50


class KeyOut(Schema):
    key_id: str
    algorithm: str
    public_key: str  # the 32 raw bytes, lowercase hex
    pem: str


class TreeHeadOut(Schema):
    version: int
    tree_size: int
    root_hash: str
    timestamp: str
    key_id: str
    signature: str


class TreeHeadsOut(Schema):
    latest: TreeHeadOut | None
    tree_heads: list[TreeHeadOut]


class ConsistencyOut(Schema):
    first: int
    second: int
    proof: list[str]


class ProofCertificateOut(Schema):
    version: int
    leaf: str
    leaf_hash: str
    leaf_index: int
    inclusion_proof: list[str]
    tree_head: TreeHeadOut
    key_id: str


@router.get("/proofs/key", response=KeyOut, auth=None, url_name="proofs-key")
def proof_key(request):
    """The Ed25519 public key that signs the tree heads; ``key_id`` is the hex SHA-256 of its raw bytes."""
    public = keys.public_key()
    return {
        "key_id": keys.key_id(public),
        "algorithm": "Ed25519",
        "public_key": keys.raw_public(public).hex(),
        "pem": keys.public_pem(public),
    }


@router.get("/proofs/tree-heads", response=TreeHeadsOut, auth=None, url_name="proofs-tree-heads")
def tree_heads(request, page: int = Query(1, ge=1, le=100_000)):
    """The latest signed tree head, and every one newest first, 50 a page."""
    rows = TreeHead.objects.order_by("-tree_size")[(page - 1) * PAGE : page * PAGE]
    latest = services.tree_head_latest()
    return {
        "latest": services.tree_head_json(latest) if latest else None,
        "tree_heads": [services.tree_head_json(row) for row in rows],
    }


@router.get(
    "/proofs/consistency",
    response={200: ConsistencyOut, **error_responses(400)},
    auth=None,
    url_name="proofs-consistency",
)
def consistency(request, first: int = Query(..., ge=1), second: int = Query(..., ge=1)):
    """The proof (hex hashes, RFC 9162 section 2.1.4) that the signed tree of ``first`` leaves is a prefix of
    the signed tree of ``second`` leaves."""
    proof = services.consistency(first=first, second=second)
    if proof is None:
        raise ApplicationError(
            _("Both sizes must be of signed tree heads, the first no larger than the second."),
            code="no_tree_head",
        )
    return {"first": first, "second": second, "proof": proof}


@router.get("/works/{int:work_id}/certificate", response=ProofCertificateOut, url_name="work-certificate")
def work_certificate(request, work_id: Id, file: int | None = None):
    """Your work's proof-of-creation certificate: the leaf of its first accepted file (or of ``file``), its
    inclusion proof and a signed tree head. Verify it offline with ``inspiracle verify-proof``."""
    work = access_work_for_edit(request.user, work_id)
    files = work.files.order_by("position", "pk").values_list("pk", flat=True)
    file_ids = [pk for pk in files if file is None or pk == file]
    found = next((c for pk in file_ids if (c := services.certificate(file_id=pk)) is not None), None)
    if found is None:
        raise NotFound(_("This work has no accepted file yet: its certificate follows once the checks pass."))
    return found
