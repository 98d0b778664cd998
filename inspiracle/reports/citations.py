"""RPT-3: a reporter claiming a work of their own on this platform cites its proof-of-creation certificate
(WRK-10): the JSON file they downloaded, or the work's address, for which the platform issues it. The
certificate is checked against the proof log when it is cited; the report keeps it and the outcome, which the
legal officer's page shows ("verified: leaf N, tree head of DATE, owner X", or why it failed)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.proofs.citation import MAX_BYTES, certificate_cite, certificate_of_work
from inspiracle.reports.models import Report
from inspiracle.works.models import Work


def proof_cite(raw: bytes, errors: dict) -> dict:
    """The report's fields for a certificate as uploaded: kept as sent (to check again), with the outcome."""
    if len(raw) > MAX_BYTES:
        errors["proof_certificate"] = [
            _(
                "A certificate is a small JSON file (under 64 KB). Upload the file you downloaded from your "
                "work's “Proof of creation” page."
            )
        ]
        return {}
    check = certificate_cite(raw)
    return {"proof_certificate": raw.decode("utf-8", errors="replace"), "proof_check": check.as_json()}


def proof_cite_work(work: Work) -> dict:
    """A cited work's certificate, issued now; nothing when no file of the work is in the log yet."""
    raw = certificate_of_work(work.pk)
    return proof_cite(raw, {}) if raw is not None else {}


def proof_proves_right(report: Report) -> bool:
    """A verified certificate of the reporter's own work proves the right, as citing the work does."""
    check = report.proof_check or {}
    return (
        bool(check.get("valid"))
        and report.reporter_id is not None
        and check.get("owner") == report.reporter_id
    )


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


def proof_shown(report: Report) -> ProofShown | None:
    """The cited certificate's outcome for the legal officer's page, with the owner and work it names."""
    check = report.proof_check
    if not check:
        return None
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
    )
