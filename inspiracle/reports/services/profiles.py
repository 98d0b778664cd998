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
from inspiracle.notifications.services import notify
from inspiracle.pipeline.documents import Upload
from inspiracle.reports.evidence import evidence_checked, evidence_saving
from inspiracle.reports.models import PROFILE_KINDS, Evidence, PartyKind, RightsHolderProfile

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
    if len(files) > MAX_FILES:
        errors["files"] = [_("Attach at most %(n)d documents.") % {"n": MAX_FILES}]
    checked = evidence_checked(files[:MAX_FILES], errors, kinds=PROFILE_KINDS)
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
    with evidence_saving() as save, transaction.atomic():
        profile = RightsHolderProfile(owner=owner, **fields)
        profile.full_clean()
        profile.save()
        save(checked, profile=profile)
        audit_record(
            action="rights_profile.created",
            actor=owner,
            target=owner,
            data={"profile": profile.pk, "documents": len(checked)},
        )
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
