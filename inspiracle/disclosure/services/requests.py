"""Recording a state authority's request and deciding it (PRV-5): one officer records, a second one (or an
administrator) approves or rejects, either may withdraw while it is open. Every step audited in its transaction."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import DISCLOSURE_APPROVE, DISCLOSURE_RECORD, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError, PermissionDenied
from inspiracle.core.references import new_reference
from inspiracle.core.storage import private_storage
from inspiracle.disclosure import transitions
from inspiracle.disclosure.actions import Action
from inspiracle.disclosure.models import DataKind, DisclosureRequest
from inspiracle.pipeline.documents import Upload, document_check

DOCUMENT_PURPOSE = "disclosure-document"
MAX_ACCOUNTS = 100  # a request naming more is a bulk request: ask the authority to narrow it


@dataclass(frozen=True)
class RequestInput:
    """A request as the officer typed it (page or API), before any check."""

    authority: str
    legal_basis: str
    authority_reference: str
    usernames: str  # as written in the authority's letter: separated by spaces, commas or new lines
    kinds: list[str]
    period_from: date | None
    period_to: date | None
    deadline: date | None
    notice_prohibited: bool
    document: Upload | None


def parse_usernames(text: str) -> list[str]:
    """The usernames of a list as typed ("@ana, ben"), each once, in the order given."""
    # Usernames are lowercase (accounts.models.username_validator): "@Ana" in a letter means "ana".
    names = [name.lstrip("@").lower() for name in re.split(r"[\s,;，；、]+", text) if name.strip("@ ")]
    return list(dict.fromkeys(names))


def _check_fields(data: RequestInput, errors: dict[str, list[str]]) -> list[User]:
    """Every field's problem into ``errors``; the accounts in scope when they all exist."""
    for field, limit in (("authority", 200), ("legal_basis", 2000), ("authority_reference", 100)):
        value = getattr(data, field).strip()
        if not value:
            errors.setdefault(field, []).append(_("This field is required."))
        elif len(value) > limit:
            errors.setdefault(field, []).append(_("At most %(n)d characters.") % {"n": limit})
    unknown_kinds = [kind for kind in data.kinds if kind not in DataKind.values]
    if not data.kinds or unknown_kinds:
        errors.setdefault("kinds", []).append(
            _("Choose at least one kind of data from the list: %(kinds)s.")
            % {"kinds": ", ".join(DataKind.values)}
        )
    for field in ("period_from", "period_to", "deadline"):
        if getattr(data, field) is None:
            errors.setdefault(field, []).append(_("Enter a date as YYYY-MM-DD."))
    if data.period_from and data.period_to and data.period_to < data.period_from:
        errors.setdefault("period_to", []).append(
            _("The period ends (%(to)s) before it begins (%(from)s). Swap the two dates.")
            % {"to": data.period_to.isoformat(), "from": data.period_from.isoformat()}
        )
    names = parse_usernames(data.usernames)
    if not names:
        errors.setdefault("usernames", []).append(_("Name at least one account by its username."))
        return []
    if len(names) > MAX_ACCOUNTS:
        errors.setdefault("usernames", []).append(
            _("At most %(n)d accounts per request; ask the authority to narrow it.") % {"n": MAX_ACCOUNTS}
        )
        return []
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    missing = [name for name in names if name not in users]
    if missing:
        errors.setdefault("usernames", []).append(
            _("No account has these usernames: %(names)s. Check the spelling against the authority's letter.")
            % {"names": ", ".join(missing)}
        )
    return [users[name] for name in names if name in users]


def request_record(*, by: User, data: RequestInput) -> DisclosureRequest:
    """Record a request as it arrived, with its document (checked, then stored encrypted). Every wrong field is
    named at once; nothing is stored unless everything is right."""
    require_capability(by, DISCLOSURE_RECORD)
    errors: dict[str, list[str]] = {}
    accounts = _check_fields(data, errors)
    content_type = ""
    if data.document is None:
        errors.setdefault("document", []).append(
            _("Attach the document the authority sent (PDF, JPEG or PNG).")
        )
    else:
        try:
            content_type = document_check(data.document)  # a scanner that is down stops everything (503)
        except ApplicationError as exc:
            if exc.status == 503:
                raise
            errors.setdefault("document", []).append(str(exc.message))
    if errors:
        raise ApplicationError(_("The request was not recorded; correct the fields marked."), fields=errors)
    assert data.document is not None and data.period_from and data.period_to and data.deadline
    blob = data.document.read(settings.REPORT_EVIDENCE_MAX_BYTES)
    found = DisclosureRequest(
        reference=new_reference(DisclosureRequest, "AR-"),
        authority=data.authority.strip(),
        legal_basis=data.legal_basis.strip(),
        authority_reference=data.authority_reference.strip(),
        kinds=[kind for kind in DataKind.values if kind in data.kinds],
        period_from=data.period_from,
        period_to=data.period_to,
        deadline=data.deadline,
        notice_prohibited=data.notice_prohibited,
        document_name=Path(data.document.name).name[:200] or "document",
        document_type=content_type,
        document_size=len(blob),
        document_sha256=hashlib.sha256(blob).hexdigest(),
        recorded_by=by,
    )
    sealed = crypto.encrypt_bytes(blob, purpose=DOCUMENT_PURPOSE)
    found.document.save(f"{secrets.token_hex(16)}.bin", ContentFile(sealed), save=False)
    try:
        with transaction.atomic():
            found.full_clean()
            found.save()
            found.accounts.set(accounts)
            audit_record(
                action=Action.RECORDED,
                actor=by,
                target=found,
                target_label=found.reference,
                data={
                    "authority": found.authority,
                    "authority_reference": found.authority_reference,
                    "accounts": [user.username for user in accounts],
                    "kinds": found.kinds,
                    "period": [found.period_from.isoformat(), found.period_to.isoformat()],
                    "deadline": found.deadline.isoformat(),
                    "notice_prohibited": found.notice_prohibited,
                    "document_sha256": found.document_sha256,
                },
            )
    except BaseException:
        private_storage().delete(found.document.name)  # nothing orphaned when the row did not land
        raise
    return found


def _locked(found: DisclosureRequest) -> DisclosureRequest:
    return DisclosureRequest.objects.select_for_update().get(pk=found.pk)


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Give a reason: it is kept with the decision."),
            fields={"reason": [_("This field is required.")]},
        )
    return reason


def _second_officer(found: DisclosureRequest, by: User) -> None:
    require_capability(by, DISCLOSURE_APPROVE)
    if found.recorded_by_id == by.pk:
        raise PermissionDenied(
            _("You recorded this request, so another legal officer or an administrator must decide it."),
            code="own_request",
        )


def request_approve(*, found: DisclosureRequest, by: User, reason: str) -> DisclosureRequest:
    """PRV-5: a second officer approves; the export is built by a job once this commits."""
    from inspiracle.disclosure.tasks import build_export

    _second_officer(found, by)
    reason = _reason(reason)
    with transaction.atomic():
        # Why the lock: two officers approving at once must not both queue an export.
        found = _locked(found)
        found.decision_reason = reason
        transitions.disclosure_transition(obj=found, transition=transitions.APPROVE, by=by, reason=reason)
        transaction.on_commit(lambda: build_export.delay(found.pk), robust=True)
    return found


def request_reject(*, found: DisclosureRequest, by: User, reason: str) -> DisclosureRequest:
    _second_officer(found, by)
    reason = _reason(reason)
    with transaction.atomic():
        found = _locked(found)
        found.decision_reason = reason
        transitions.disclosure_transition(obj=found, transition=transitions.REJECT, by=by, reason=reason)
    return found


def request_withdraw(*, found: DisclosureRequest, by: User, reason: str) -> DisclosureRequest:
    """The authority withdrew it, or it was recorded by mistake: an export not yet downloaded is deleted."""
    require_capability(by, DISCLOSURE_RECORD)
    reason = _reason(reason)
    with transaction.atomic():
        found = _locked(found)
        stored = found.export_file.name
        found.withdraw_reason = reason
        transitions.disclosure_transition(obj=found, transition=transitions.WITHDRAW, by=by, reason=reason)
        if stored:
            transaction.on_commit(lambda: private_storage().delete(stored), robust=True)
    return found


def document_open(*, found: DisclosureRequest, by: User) -> bytes:
    """The authority's document, decrypted for an officer; the viewing is audited first (MOD-8)."""
    require_capability(by, DISCLOSURE_RECORD)
    with transaction.atomic():
        audit_record(action=Action.DOCUMENT_VIEWED, actor=by, target=found, target_label=found.reference)
    with found.document.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read(), purpose=DOCUMENT_PURPOSE)


def export_requeue(*, found: DisclosureRequest, by: User) -> DisclosureRequest:
    """An approved request whose export job was lost: queue it again (the job does nothing twice)."""
    from inspiracle.disclosure.tasks import build_export

    require_capability(by, DISCLOSURE_RECORD)
    if found.status != DisclosureRequest.Status.APPROVED:
        raise ApplicationError(
            _("Only an approved request waiting for its export can be queued again."),
            code="invalid_state",
            status=409,
        )
    with transaction.atomic():
        audit_record(action=Action.EXPORT_REQUEUED, actor=by, target=found, target_label=found.reference)
        transaction.on_commit(lambda: build_export.delay(found.pk), robust=True)
    return found
