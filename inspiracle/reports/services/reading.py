"""Staff reading a report's personal information and documents (MOD-7, MOD-8, RPT-10): only the roles that
handle reports, and every reading is written to the audit log before anything is returned."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import REPORTS_HANDLE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.reports.evidence import evidence_read
from inspiracle.reports.models import Evidence, Report, RightsHolderProfile

CONTACT_FIELDS = ("name", "mailing_address", "phone", "email")


def contact_open(*, actor: User, record: Report | RightsHolderProfile) -> dict[str, str]:
    """The name, mailing address, phone and email of a report or a rights holder profile (a report that reuses
    a verified profile shows the profile's)."""
    require_capability(actor, REPORTS_HANDLE)
    source: Report | RightsHolderProfile
    if isinstance(record, Report):
        source = record.profile if record.profile is not None else record
        target, label, what, key = record.reporter, record.reference, "report_contact", "report"
    else:
        source, target, label = record, record.owner, str(record)
        what, key = "rights_profile_contact", "profile"
    shown = {field: getattr(source, field) for field in CONTACT_FIELDS}
    with transaction.atomic():
        audit_record(
            action="pii.viewed",
            actor=actor,
            target=target,
            target_label=label,
            data={
                "what": what,
                key: record.pk,
                "from_profile": source.pk if isinstance(source, RightsHolderProfile) else None,
                "fields": sorted(shown),
            },
        )
    return shown


def evidence_open(*, actor: User, evidence: Evidence) -> bytes:
    """One decrypted document. A purged one is gone for everyone: the answer says when it went (RPT-10)."""
    require_capability(actor, REPORTS_HANDLE)
    if evidence.purged_at is not None or not evidence.file:
        raise ApplicationError(
            _("This document was deleted on %(date)s, a set time after its report was closed.")
            % {"date": date_format(timezone.localtime(evidence.purged_at)) if evidence.purged_at else "—"},
            code="purged",
            status=410,
        )
    data = evidence_read(evidence)
    with transaction.atomic():
        audit_record(
            action="pii.viewed",
            actor=actor,
            target_label=f"evidence {evidence.pk}",
            data={
                "what": "report_evidence",
                "evidence": evidence.pk,
                "kind": evidence.kind,
                "report": evidence.report_id,
                "profile": evidence.profile_id,
                "counter_notice": evidence.counter_notice_id,
            },
        )
    return data
