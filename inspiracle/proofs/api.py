"""The proof log's public face (WRK-10): the public key, signed tree heads and consistency proofs for anyone;
a work's certificate for its owner."""

import json
from dataclasses import asdict
from datetime import datetime

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from inspiracle.core import ratelimit
from inspiracle.core.api import Page, Rows, error_responses
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.schemas import ID_MAX, Id
from inspiracle.proofs import keys, services
from inspiracle.proofs.models import TreeHead
from inspiracle.proofs.pdf import certificate_pdf
from inspiracle.proofs.permissions import access_work_for_certificate
from inspiracle.proofs.selectors import public_key_list
from inspiracle.works.models import Work

router = Router(tags=["proofs"])
PAGE = 50

# Public and unauthenticated, and each answer reads up to the whole log's leaf hashes: a per-network limit
# keeps anyone from making the server do that in a loop.
CONSISTENCY_LIMIT = ratelimit.Limit(
    scope="proofs.consistency",
    hits=30,
    window=60,
    refusal=lambda wait: (
        _("Too many consistency proofs were asked for from your network. Try again in %(wait)s.")
        % {"wait": ratelimit.wait_text(wait)}
    ),
)


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
    response={200: ConsistencyOut, **error_responses(400, 429)},
    auth=None,
    url_name="proofs-consistency",
)
def consistency(
    request,
    # Capped at the column's range: 2**70 made SQLite raise OverflowError (a 500); now a 422 names the field.
    first: int = Query(..., ge=1, le=ID_MAX),
    second: int = Query(..., ge=1, le=ID_MAX),
):
    """The proof (hex hashes, RFC 9162 section 2.1.4) that the signed tree of ``first`` leaves is a prefix of
    the signed tree of ``second`` leaves. Limited per network (429 with Retry-After)."""
    net = ratelimit.network()
    if net:
        ratelimit.hit((CONSISTENCY_LIMIT, ratelimit.key(net)))
    proof = services.consistency(first=first, second=second)
    if proof is None:
        raise ApplicationError(
            _("Both sizes must be of signed tree heads, the first no larger than the second."),
            code="no_tree_head",
        )
    return {"first": first, "second": second, "proof": proof}


class PublicKeyOut(Schema):
    key_id: str
    algorithm: str
    public_key: str
    pem: str
    current: bool
    first_signed_at: datetime | None
    last_signed_at: datetime | None


@router.get("/proofs/keys", response=list[PublicKeyOut], auth=None, url_name="proofs-keys")
@paginate(Page)
def proof_keys(request):
    """Every key that signs or signed tree heads, the current one first, with the span of the tree heads each
    signed: after a key rotation, older certificates name a retired key and stay verifiable with it."""
    return Rows(public_key_list(), each=lambda row: {"algorithm": "Ed25519", **asdict(row)})


def _work_certificate(request, work_id: int, file: int | None) -> tuple[Work, dict]:
    # NotSignedYet (503, Retry-After) while no signed tree head covers the file yet.
    work = access_work_for_certificate(request.user, work_id)
    found = services.certificate_for_work(work_id=work.pk, file_id=file)
    if found is None:
        raise NotFound(_("This work has no accepted file yet: its certificate follows once the checks pass."))
    return work, found


@router.get(
    "/works/{int:work_id}/certificate",
    response={200: ProofCertificateOut, **error_responses(404, 503)},
    url_name="work-certificate",
)
def work_certificate(request, work_id: Id, file: Id | None = None):
    """Your work's proof-of-creation certificate: the leaf of its first accepted file (or of ``file``), its
    inclusion proof and a signed tree head. Verify it offline with ``inspiracle verify-proof``. 503 with
    Retry-After (``not_signed_yet``) until a signed tree head covers the file: the log signs one every minute."""
    return _work_certificate(request, work_id, file)[1]


@router.get(
    "/works/{int:work_id}/certificate.pdf",
    response={200: None, **error_responses(404, 503)},
    url_name="work-certificate-pdf",
)
def work_certificate_pdf(request, work_id: Id, file: Id | None = None) -> HttpResponse:
    """The same certificate as a page to print (PDF): the facts, the signed tree head, how to verify it and
    the certificate's JSON as text."""
    work, found = _work_certificate(request, work_id, file)
    name = work.files.filter(pk=found_file(found)).values_list("original_name", flat=True).first() or ""
    response = HttpResponse(certificate_pdf(work=work, certificate=found, file_name=name), "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proof-{work.pk}-{found_file(found)}.pdf"'
    add_never_cache_headers(response)
    return response


def found_file(certificate: dict) -> int:
    return json.loads(certificate["leaf"])["file"]
