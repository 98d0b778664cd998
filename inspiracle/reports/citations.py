"""RPT-3: a reporter claiming a work of their own on this platform cites its proof-of-creation certificate
(WRK-10): the JSON file they downloaded, or the work's address, for which the platform issues it. The
certificate is checked against the proof log when it is cited; the report keeps it and the outcome, which the
legal officer's page shows ("verified: leaf N, tree head of DATE, owner X", or why it failed)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from inspiracle.accounts.models import User
from inspiracle.proofs.citation import MAX_BYTES, CitedProof, certificate_cite, certificate_of_work
from inspiracle.reports.models import CounterNotice, Report
from inspiracle.works.models import Work

# Why a certificate that verifies is information only, not proof of the reporter's right (shown to staff in
# their language). A certificate proves that a file was in the log; it proves a right only for the reporter's
# own public work that the log had before the reported copy was uploaded: otherwise anyone could upload a
# copy of the work they report and cite that copy's certificate.
NOT_A_CERTIFICATE = gettext_noop("the file is not a certificate (not a JSON object)")
NOT_THE_REPORTERS = gettext_noop(
    "The certificate's owner is not the reporter's account: it does not prove the reporter's right by itself."
)
WORK_GONE = gettext_noop("The certified work no longer exists: the certificate is information only.")
WORK_NOT_PUBLIC = gettext_noop("The certified work is not published: the certificate is information only.")
NOT_OWNED_NOW = gettext_noop(
    "The certified work does not belong to the reporter now: the certificate is information only."
)
NOT_EARLIER = gettext_noop(
    "The certified file was not accepted before every reported work was uploaded: it may be a copy of a "
    "reported work, so the certificate is information only."
)


def _canonical(raw: bytes) -> str | None:
    """The certificate as canonical JSON text, or None when it is not a JSON object. Stored as text, and
    PostgreSQL refuses a NUL character in text: bytes of a PNG or PDF sent in its place raised a 500."""
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(value, dict):
        return None
    # ensure_ascii: NUL and lone surrogates come out as \u escapes, never as characters PostgreSQL refuses.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def proof_cite(raw: bytes, errors: dict) -> dict:
    """The report's fields for a certificate as uploaded: kept (as canonical JSON, to check again) only when
    it is a JSON object; always with the outcome of the check."""
    if len(raw) > MAX_BYTES:
        errors["proof_certificate"] = [
            _(
                "A certificate is a small JSON file (under 64 KB). Upload the file you downloaded from your "
                "work's “Proof of creation” page."
            )
        ]
        return {}
    text = _canonical(raw)
    if text is None:
        failed = CitedProof(valid=False, reason=NOT_A_CERTIFICATE)
        return {"proof_certificate": "", "proof_check": failed.as_json()}
    return {"proof_certificate": text, "proof_check": certificate_cite(raw).as_json()}


def proof_cite_work(work: Work) -> dict:
    """A cited work's certificate, issued now; nothing when no file of the work is in a signed tree head yet."""
    raw = certificate_of_work(work.pk)
    return proof_cite(raw, {}) if raw is not None else {}


def proof_information_only(report: Report) -> str:
    """Why a certificate that verifies does not prove the reporter's right (a reason to show staff), or ""
    when it does: the work it certifies exists, is published, is the reporter's now, and its file was
    accepted before every reported work was uploaded."""
    check = report.proof_check or {}
    if report.reporter_id is None or check.get("owner") != report.reporter_id:
        return NOT_THE_REPORTERS
    work = Work.objects.filter(pk=check.get("work") or 0).only("status", "owner_id").first()
    if work is None:
        return WORK_GONE
    if not work.is_public:
        return WORK_NOT_PUBLIC
    if work.owner_id != report.reporter_id:
        return NOT_OWNED_NOW
    accepted = parse_datetime(check.get("accepted_at") or "")
    reported = Work.objects.filter(pk__in=report.items.exclude(work=None).values("work"))
    if accepted is None or reported.filter(uploaded_at__lte=accepted).exists():
        return NOT_EARLIER
    return ""


def cited_work_proves_right(report: Report) -> bool:
    """A work cited by its address proves the right by the same rule as a certificate: the reporter's own
    published work, uploaded before every reported work (a copy uploaded later proves nothing)."""
    work = report.cited_work
    if work is None or not work.is_public or work.owner_id != report.reporter_id:
        return False
    reported = Work.objects.filter(pk__in=report.items.exclude(work=None).values("work"))
    return not reported.filter(uploaded_at__lte=work.uploaded_at).exists()


def proof_proves_right(report: Report) -> bool:
    """A verified certificate proves the right only as ``proof_information_only`` allows."""
    check = report.proof_check or {}
    return bool(check.get("valid")) and not proof_information_only(report)


@dataclass(frozen=True)
class ProofShown:
    valid: bool
    reason: str
    leaf_index: int | None
    tree_size: int | None
    signed_at: datetime | None
    owner: User | None
    work: Work | None
    owner_id: int | None
    # Why a certificate that verifies is information only ("" when it proves the right).
    information_only: str = ""


def _shown(check: dict, information_only: Callable[[], str]) -> ProofShown:
    owner_id, work_id = check.get("owner"), check.get("work")
    return ProofShown(
        valid=bool(check.get("valid")),
        reason=check.get("reason", ""),
        leaf_index=check.get("leaf_index"),
        tree_size=check.get("tree_size"),
        signed_at=parse_datetime(check.get("signed_at") or ""),
        owner=User.objects.select_related("profile").filter(pk=owner_id).first() if owner_id else None,
        work=Work.objects.filter(pk=work_id).first() if work_id else None,
        owner_id=owner_id,
        information_only=information_only() if check.get("valid") else "",
    )


def proof_shown(report: Report) -> ProofShown | None:
    """The cited certificate's outcome for the legal officer's page, with the owner and work it names."""
    if not report.proof_check:
        return None
    return _shown(report.proof_check, lambda: proof_information_only(report))


ACCEPTED_AFTER_REPORT = gettext_noop(
    "The contested file was accepted after the report was filed: the certificate does not show it came first."
)


def counter_proof_shown(notice: CounterNotice) -> ProofShown | None:
    """RPT-8 with WRK-10: a counter-notice cites the contested work's own certificate. The platform issues and
    checks it when staff open the counter-notice (the log is append-only, so the outcome cannot change), and
    says whether the file was in the log before the report was filed. None while no signed tree head covers it."""
    item = notice.item
    raw = certificate_of_work(item.work_id) if item.work_id else None
    if raw is None:
        return None
    check = certificate_cite(raw).as_json()
    accepted = parse_datetime(check.get("accepted_at") or "")
    filed = item.report.created_at
    return _shown(check, lambda: "" if accepted is not None and accepted < filed else ACCEPTED_AFTER_REPORT)
