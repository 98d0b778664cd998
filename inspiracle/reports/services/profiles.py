"""RPT-13: a rights holder registers their identity and proof of rights once; a legal officer verifies it, and
while it is valid their reports reuse it instead of attaching the same documents again."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import REPORTS_HANDLE, require_capability
from inspiracle.accounts.validation import normalize_email, normalize_phone
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.core.storage import private_storage
from inspiracle.notifications.services import notify
from inspiracle.reports.evidence import evidence_check, evidence_store
from inspiracle.reports.models import Evidence, PartyKind, RightsHolderProfile
from inspiracle.reports.services.intake import Upload

PROFILE_KINDS = (Evidence.Kind.IDENTITY, Evidence.Kind.CERTIFICATE, Evidence.Kind.PROOF)
MAX_FILES = 10
TEXT_LIMITS = {"name": 200, "mailing_address": 300, "rights": 4000}


def rights_profile_create(
    *,
    owner: User,
    party_kind: str,
    name: str,
    mailing_address: str,
    phone: str,
    email: str,
    rights: str,
    files: list[Upload],
) -> RightsHolderProfile:
    """Register a profile for verification: who holds the rights (with an ID copy or a registration
    certificate) and which rights, with proof. Nothing is kept when anything is missing or refused."""
    errors: dict[str, list[str]] = {}
    fields = _clean(party_kind, name, mailing_address, phone, email, rights, errors)
    checked = _check_files(files, errors)
    kinds = {upload.kind for upload, _type in checked}
    identity = Evidence.Kind.CERTIFICATE if party_kind == PartyKind.ORGANIZATION else Evidence.Kind.IDENTITY
    if identity not in kinds and identity not in errors:
        errors[identity] = [
            _("Attach the organization's registration certificate.")
            if identity == Evidence.Kind.CERTIFICATE
            else _("Attach a copy of the ID card or passport.")
        ]
    if Evidence.Kind.PROOF not in kinds and Evidence.Kind.PROOF not in errors:
        errors[Evidence.Kind.PROOF] = [
            _("Attach proof of the rights (a certificate, a registration, a publication).")
        ]
    if errors:
        raise ApplicationError(_("Nothing was saved; correct the fields marked below."), fields=errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            profile = RightsHolderProfile(owner=owner, **fields)
            profile.full_clean()
            profile.save()
            for upload, content_type in checked:
                evidence = evidence_store(
                    profile=profile,
                    kind=upload.kind,
                    data=upload.data,
                    name=upload.name,
                    content_type=content_type,
                )
                stored.append(evidence.file.name)
            audit_record(
                action="rights_profile.created",
                actor=owner,
                target=owner,
                data={"profile": profile.pk, "documents": len(checked)},
            )
    except Exception:
        for name in stored:
            private_storage.delete(name)
        raise
    return profile


def _clean(party_kind, name, mailing_address, phone, email, rights, errors: dict) -> dict:
    fields = {"party_kind": party_kind}
    if party_kind not in PartyKind.values:
        errors["party_kind"] = [_("Say whether the rights holder is a person or an organization.")]
    texts = {"name": name, "mailing_address": mailing_address, "rights": rights}
    for field, value in texts.items():
        value = (value or "").replace("\x00", "").strip()
        if not value:
            errors[field] = [_("Required.")]
        elif len(value) > TEXT_LIMITS[field]:
            errors[field] = [_("At most %(n)d characters.") % {"n": TEXT_LIMITS[field]}]
        fields[field] = value
    try:
        fields["phone"] = normalize_phone(phone, mobile=None)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    try:
        fields["email"] = normalize_email(email)
    except ValidationError as exc:
        errors["email"] = exc.messages
    else:
        if not fields["email"]:
            errors["email"] = [_("Required.")]
    return fields


def _check_files(files: list[Upload], errors: dict) -> list[tuple[Upload, str]]:
    if len(files) > MAX_FILES:
        errors["files"] = [_("Attach at most %(n)d documents.") % {"n": MAX_FILES}]
    checked = []
    for upload in files[:MAX_FILES]:
        if upload.kind not in PROFILE_KINDS:
            errors.setdefault("files", []).append(
                _("Unknown kind of document: %(kind)s.") % {"kind": upload.kind}
            )
            continue
        try:
            checked.append((upload, evidence_check(upload.data, upload.name)))
        except ApplicationError as exc:
            if exc.status == 503:
                raise
            errors.setdefault(upload.kind, []).append(exc.message)
    return checked


def rights_profile_decide(
    *, actor: User, profile: RightsHolderProfile, verify: bool, reason: str = ""
) -> RightsHolderProfile:
    """A legal officer verifies a profile (valid for RIGHTS_PROFILE_VALID_DAYS) or refuses it with a reason
    the owner reads."""
    require_capability(actor, REPORTS_HANDLE)
    reason = (reason or "").replace("\x00", "").strip()
    if not verify and not reason:
        raise ApplicationError(
            _("Say why the profile is refused; the rights holder reads it."),
            fields={"reason": [_("Required.")]},
        )
    if len(reason) > 2000:
        raise ApplicationError(
            _("At most %(n)d characters.") % {"n": 2000}, fields={"reason": [_("Too long.")]}
        )
    now = timezone.now()
    with transaction.atomic():
        # The lock: two officers deciding the same profile at once would both pass the status check.
        profile = RightsHolderProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.status != RightsHolderProfile.Status.PENDING:
            raise ApplicationError(_("This profile is already decided."), code="invalid_state", status=409)
        if verify:
            profile.status = RightsHolderProfile.Status.VERIFIED
            profile.verified_at, profile.verified_by = now, actor
            profile.valid_until = now + timedelta(days=settings.RIGHTS_PROFILE_VALID_DAYS)
        else:
            profile.status = RightsHolderProfile.Status.REFUSED
            profile.refused_reason = reason
        profile.full_clean()
        profile.save()
        audit_record(
            action=f"rights_profile.{profile.status}",
            actor=actor,
            target=profile.owner,
            reason=reason,
            data={"profile": profile.pk},
        )
        notify(
            user=profile.owner,
            template="rights_profile_verified" if verify else "rights_profile_refused",
            params={"until": profile.valid_until} if verify else {"message": reason},
            link=reverse("reports:profiles"),
        )
    return profile
