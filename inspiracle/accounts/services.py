"""Changes to accounts: registration, registration information, profiles, roles, verification."""

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts import names
from inspiracle.accounts.models import (
    OrganizationCertificate,
    Profile,
    ProtectedName,
    RegistrationInfo,
    User,
    username_validator,
)
from inspiracle.accounts.permissions import (
    ACCOUNTS_VERIFY,
    IDENTITY_DOCUMENTS_READ,
    NAMES_MANAGE,
    PII_READ,
    ROLES_MANAGE,
    require_capability,
)
from inspiracle.accounts.validation import (
    normalize_email,
    normalize_phone,
    sniff_certificate,
)
from inspiracle.agreements.models import Consent
from inspiracle.agreements.services import check_accepted_labels, consent_accept
from inspiracle.audit.services import audit_record
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.notifications.services import notify
from inspiracle.pipeline.avatars import avatar_check
from inspiracle.similarity.index import NEAR_DISTANCE, HashIndex

FIX_BELOW = _("Nothing was saved; correct the fields marked below.")


def mobile_index(e164: str) -> str:
    return crypto.blind_index(e164, purpose="mobile")


def email_index(email: str) -> str:
    return crypto.blind_index(email.lower(), purpose="email") if email else ""


class FieldErrors(dict):
    def add(self, name: str, error: ValidationError | str) -> None:
        messages = error.messages if isinstance(error, ValidationError) else [error]
        self.setdefault(name, []).extend(str(m) for m in messages)

    def raise_if_any(self, message: str = FIX_BELOW) -> None:
        if self:
            raise ApplicationError(message, fields=dict(self))


def name_imitation(candidate: str, *, exclude_user: User | None = None) -> str | None:
    """The protected or verified name ``candidate`` would pass for, if any (ACC-1)."""
    skel = names.skeleton(candidate)
    if not skel:
        return None
    for protected in ProtectedName.objects.values_list("name", "skeleton"):
        if names.imitates(skel, protected[1]):
            return protected[0]
    verified = Profile.objects.filter(user__verified_at__isnull=False).select_related("user")
    if exclude_user is not None:
        verified = verified.exclude(user=exclude_user)
    for profile in verified:
        for name, name_skel in (
            (profile.display_name, profile.display_name_skeleton),
            (profile.user.username, names.skeleton(profile.user.username)),
        ):
            if names.imitates(skel, name_skel):
                return name
    return None


def _check_name(errors: FieldErrors, field: str, candidate: str, *, user: User | None = None) -> None:
    imitated = name_imitation(candidate, exclude_user=user)
    if imitated:
        errors.add(
            field,
            _(
                "'%(name)s' is too close to '%(protected)s', a verified or protected name, and could mislead "
                "people. Choose another name. If you are '%(protected)s', contact us to verify your account."
            )
            % {"name": candidate, "protected": imitated},
        )


@dataclass
class RegistrationData:
    username: str
    password: str
    kind: str
    legal_name: str
    mailing_address: str
    mobile: str
    landline: str = ""
    email: str = ""
    language: str = "zh-hans"


def _clean_registration_fields(errors: FieldErrors, data: dict, *, user: User | None) -> dict:
    """Shared by registration (REG-5) and correction (REG-6): normalized values of the fields given."""
    clean: dict = {}
    for field, limit in (("legal_name", 100), ("mailing_address", 300)):
        if field in data:
            value = " ".join((data[field] or "").split())
            if not value:
                errors.add(field, _("This is required."))
            elif len(value) > limit:
                errors.add(field, _("Keep this under %(limit)d characters.") % {"limit": limit})
            clean[field] = value
    if "mobile" in data:
        try:
            clean["mobile"] = normalize_phone(data["mobile"], mobile=True)
            taken = RegistrationInfo.objects.filter(mobile_index=mobile_index(clean["mobile"]))
            if user is not None:
                taken = taken.exclude(user=user)
            if taken.exists():
                errors.add(
                    "mobile",
                    _(
                        "This mobile number is registered to another account. Sign in to that "
                        "account, or reset its password."
                    ),
                )
        except ValidationError as exc:
            errors.add("mobile", exc)
    if "landline" in data:
        try:
            clean["landline"] = normalize_phone(data["landline"], mobile=False) if data["landline"] else ""
        except ValidationError as exc:
            errors.add("landline", exc)
    if "email" in data:
        try:
            clean["email"] = normalize_email(data["email"])
            if clean["email"]:
                taken = RegistrationInfo.objects.filter(email_index=email_index(clean["email"]))
                if user is not None:
                    taken = taken.exclude(user=user)
                if taken.exists():
                    errors.add("email", _("This email address is registered to another account."))
        except ValidationError as exc:
            errors.add("email", exc)
    return clean


def user_register(
    *,
    data: RegistrationData,
    accepted: list[str],
    age_attested: bool,
    certificate: bytes | None = None,
) -> User:
    """Create an account with its registration information and one consent per agreement (REG-1, 2, 5)."""
    errors = FieldErrors()
    username = (data.username or "").strip().lower()
    try:
        username_validator(username)
        if User.objects.filter(username=username).exists():
            errors.add(
                "username", _("The username '%(name)s' is taken; choose another.") % {"name": username}
            )
    except ValidationError as exc:
        errors.add("username", exc)
    _check_name(errors, "username", username)
    if data.kind not in User.Kind.values:
        errors.add("kind", _("Choose 'individual' or 'organization'."))
    candidate = User(username=username, kind=data.kind)
    try:
        validate_password(data.password or "", user=candidate)
    except ValidationError as exc:
        errors.add("password", exc)
    clean = _clean_registration_fields(
        errors,
        {
            "legal_name": data.legal_name,
            "mailing_address": data.mailing_address,
            "mobile": data.mobile,
            "landline": data.landline,
            "email": data.email,
        },
        user=None,
    )
    certificate_type = None
    if data.kind == User.Kind.ORGANIZATION:
        if not certificate:
            errors.add(
                "certificate",
                _("Organizations upload a scan of their registration certificate (PDF, JPEG or PNG)."),
            )
        else:
            try:
                certificate_type = sniff_certificate(certificate)
            except ValidationError as exc:
                errors.add("certificate", exc)
    if not age_attested:
        errors.add("age_attested", _("You must be at least 18 and confirm it to register."))
    try:
        versions = check_accepted_labels(accepted)
    except ApplicationError as exc:
        errors.add("accept", exc.message)
        versions = []
    errors.raise_if_any()

    saved_files: list[str] = []
    try:
        with transaction.atomic():
            user = User(username=username, kind=data.kind, language=data.language)
            user.set_password(data.password)
            user.full_clean()
            user.save()
            RegistrationInfo.objects.create(
                user=user,
                mobile_index=mobile_index(clean["mobile"]),
                email_index=email_index(clean["email"]),
                **clean,
            )
            Profile.objects.create(
                user=user, display_name=username, display_name_skeleton=names.skeleton(username)
            )
            audit_record(action="account.registered", actor=user, target=user, data={"kind": data.kind})
            consent_accept(
                user=user, versions=versions, method=Consent.Method.REGISTRATION, age_attested=True
            )
            if certificate_type:
                saved_files.append(_store_certificate(user, certificate, certificate_type).file.name)
    except Exception:
        _delete_files("private", saved_files)
        raise
    return user


def _delete_files(storage_name: str, names_: list[str]) -> None:
    for name in names_:
        storages[storage_name].delete(name)


def _store_certificate(user: User, data: bytes, content_type: str) -> OrganizationCertificate:
    record = OrganizationCertificate(
        user=user, content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    sealed = crypto.encrypt_bytes(data, purpose="certificate")
    record.file.save(f"{secrets.token_hex(16)}.bin", ContentFile(sealed), save=False)
    record.save()
    audit_record(action="certificate.uploaded", actor=user, target=user, data={"certificate_id": record.pk})
    return record


def certificate_add(*, user: User, data: bytes) -> OrganizationCertificate:
    if not user.is_organization:
        raise ApplicationError(_("Only organization accounts upload a registration certificate."))
    try:
        content_type = sniff_certificate(data)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], fields={"certificate": exc.messages}) from None
    saved: list[str] = []
    try:
        with transaction.atomic():
            record = _store_certificate(user, data, content_type)
            saved.append(record.file.name)
    except Exception:
        _delete_files("private", saved)
        raise
    return record


def registration_update(*, user: User, changes: dict) -> RegistrationInfo:
    """REG-6: the user corrects their registration information at any time. Only the given fields change."""
    allowed = {"legal_name", "mailing_address", "mobile", "landline", "email"}
    errors = FieldErrors()
    unknown = set(changes) - allowed
    for name in unknown:
        errors.add(name, _("This field cannot be changed here."))
    clean = _clean_registration_fields(errors, {k: v for k, v in changes.items() if k in allowed}, user=user)
    errors.raise_if_any()
    with transaction.atomic():
        info = RegistrationInfo.objects.select_for_update().get(user=user)
        changed = [field for field, value in clean.items() if getattr(info, field) != value]
        for field in changed:
            setattr(info, field, clean[field])
        if "mobile" in changed:
            info.mobile_index = mobile_index(info.mobile)
        if "email" in changed:
            info.email_index = email_index(info.email)
        if changed:
            info.save()
            # Which fields changed, never their values: the log must not become a copy of the PII.
            audit_record(
                action="registration.updated", actor=user, target=user, data={"fields": sorted(changed)}
            )
    return info


PROFILE_FIELDS = (
    "display_name",
    "bio",
    "location",
    "website",
    "show_bio",
    "show_location",
    "show_website",
    "show_joined",
)


def profile_update(*, user: User, changes: dict) -> Profile:
    errors = FieldErrors()
    for name in set(changes) - set(PROFILE_FIELDS):
        errors.add(name, _("This field cannot be changed here."))
    profile = Profile.objects.get(user=user)
    if "display_name" in changes:
        display_name = " ".join((changes["display_name"] or "").split())
        changes["display_name"] = display_name
        if not display_name:
            errors.add("display_name", _("A display name is required."))
        elif not names.skeleton(display_name):
            errors.add("display_name", _("Use letters or characters in your display name, not only symbols."))
        else:
            _check_name(errors, "display_name", display_name, user=user)
    for field in set(PROFILE_FIELDS) & set(changes):
        setattr(profile, field, changes[field])
    profile.display_name_skeleton = names.skeleton(profile.display_name)
    try:
        profile.full_clean(exclude=["avatar"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    errors.raise_if_any()
    with transaction.atomic():
        profile.save()
        audit_record(action="profile.updated", actor=user, target=user, data={"fields": sorted(changes)})
    return profile


def avatar_imitation(probes, *, exclude_user: User) -> User | None:
    """ACC-1: the verified account whose avatar this picture near-duplicates, if any."""
    verified = (
        Profile.objects.filter(user__verified_at__isnull=False)
        .exclude(user=exclude_user)
        .exclude(avatar_keys=[])
        .select_related("user")
    )
    profiles = {p.user_id: p for p in verified}
    index = HashIndex()
    for user_id, profile in profiles.items():
        index.add([user_id] * len(profile.avatar_keys), profile.avatar_keys)
    found = index.search(probes, max_distance=NEAR_DISTANCE, limit=1)
    return profiles[found[0][0]].user if found else None


def avatar_set(*, user: User, data: bytes | None) -> Profile:
    """Set (or with ``None`` remove) the avatar: checked like a work's files, refused when it copies a
    verified account's avatar (ACC-1). The stored picture is a re-encoded copy, never the upload."""
    checked = None
    if data is not None:
        checked = avatar_check(data)
        imitated = avatar_imitation(checked.fingerprint.probes, exclude_user=user)
        if imitated is not None:
            message = _(
                "This picture is too close to the avatar of the verified account @%(name)s. Choose a picture "
                "of your own."
            ) % {"name": imitated.username}
            raise ApplicationError(message, fields={"avatar": [message]}, code="impersonation")
    saved: list[str] = []
    try:
        with transaction.atomic():
            profile = Profile.objects.select_for_update().get(user=user)
            old = profile.avatar.name
            if checked is None:
                profile.avatar = ""
                profile.avatar_keys = []
            else:
                profile.avatar.save(
                    f"{user.pk}-{secrets.token_hex(8)}.webp", ContentFile(checked.webp), save=False
                )
                profile.avatar_keys = list(checked.fingerprint.keys)
                saved.append(profile.avatar.name)
            profile.save()
            audit_record(
                action="profile.avatar_changed", actor=user, target=user, data={"removed": checked is None}
            )
            if old:
                transaction.on_commit(lambda: default_storage.delete(old))
    except Exception:
        _delete_files("default", saved)
        raise
    return profile


def role_set(*, actor: User, user: User, role: str, reason: str) -> User:
    require_capability(actor, ROLES_MANAGE)
    if role not in User.StaffRole.values:
        raise ApplicationError(
            _("Unknown role '%(role)s'.") % {"role": role}, fields={"role": [_("Pick a role.")]}
        )
    if not reason.strip():
        raise ApplicationError(
            _("Say why the role changes."), fields={"reason": [_("A reason is required.")]}
        )
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = user.staff_role
        if before == role:
            return user
        if (
            before == User.StaffRole.ADMIN
            and User.objects.filter(staff_role="admin", is_active=True).count() == 1
        ):
            raise ApplicationError(
                _("This is the last administrator; make someone else administrator first.")
            )
        user.staff_role = role
        user.save(update_fields=["staff_role"])
        audit_record(
            action="role.changed", actor=actor, target=user, reason=reason, data={"from": before, "to": role}
        )
    return user


def account_verify(*, actor: User, user: User, verified: bool, reason: str) -> User:
    """ACC-2: grant or withdraw the verified badge."""
    require_capability(actor, ACCOUNTS_VERIFY)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if verified == user.is_verified:
            return user
        user.verified_at = timezone.now() if verified else None
        user.verified_by = actor if verified else None
        user.save(update_fields=["verified_at", "verified_by"])
        audit_record(
            action="account.verified" if verified else "account.unverified",
            actor=actor,
            target=user,
            reason=reason,
        )
    return user


REFUSAL_REASON_MAX = 2000


def _refuse_unless_reviewable(user: User, certificate: OrganizationCertificate) -> None:
    if not user.is_organization:
        raise ApplicationError(
            _(
                "@%(name)s is an individual account: only organizations are verified from a registration "
                "certificate. Use the verification badge on the user's page instead."
            )
            % {"name": user.username},
            code="not_organization",
            status=409,
        )
    if certificate.status != OrganizationCertificate.Status.PENDING:
        if certificate.status == OrganizationCertificate.Status.ACCEPTED:
            message = _("@%(name)s accepted this certificate already; nothing was changed.")
        else:
            message = _("@%(name)s refused this certificate already; nothing was changed.")
        decided_by = certificate.accepted_by or certificate.refused_by  # one of them: the CheckConstraints
        raise ApplicationError(message % {"name": decided_by.username}, code="already_decided", status=409)
    if user.certificates.newest() != certificate:
        raise ApplicationError(
            _("The organization uploaded a newer scan after this one; review the newest scan instead."),
            code="superseded",
            status=409,
        )


def certificate_review(
    *, actor: User, certificate: OrganizationCertificate, accept: bool, reason: str = ""
) -> OrganizationCertificate:
    """REG-5, ACC-2: accept an organization's newest certificate scan, which verifies the account, or refuse
    it with a reason the organization reads and answers with a new scan. Decided once, by one staff member."""
    require_capability(actor, ACCOUNTS_VERIFY)
    # Nobody decides on a document they may not open (MOD-7).
    require_capability(actor, IDENTITY_DOCUMENTS_READ)
    reason = (reason or "").replace("\x00", "").strip()
    if not accept and not reason:
        raise ApplicationError(
            _("Nothing was decided: write why the certificate is refused. The organization reads it."),
            fields={"reason": [_("A reason is required to refuse.")]},
        )
    if len(reason) > REFUSAL_REASON_MAX:
        raise ApplicationError(
            _("Nothing was decided: the reason is too long."),
            fields={"reason": [_("Keep the reason under 2,000 characters.")]},
        )
    now = timezone.now()
    with transaction.atomic():
        # Why the locks: two staff deciding at once would both find the scan pending and both decide (two
        # audit events, two contradicting notices). The second waits for the first's commit, then reads the
        # decision and is refused. The user row first, in the same order as account_verify takes it. (SQLite
        # has no row locks; its IMMEDIATE transactions serialize the two whole decisions instead.)
        user = User.objects.select_for_update().get(pk=certificate.user_id)
        certificate = (
            OrganizationCertificate.objects.select_for_update()
            .select_related("accepted_by", "refused_by")
            .get(pk=certificate.pk)
        )
        _refuse_unless_reviewable(user, certificate)
        certificate.status = (
            OrganizationCertificate.Status.ACCEPTED if accept else OrganizationCertificate.Status.REFUSED
        )
        if accept:
            certificate.accepted_at, certificate.accepted_by = now, actor
        else:
            certificate.refused_at, certificate.refused_by = now, actor
            certificate.refusal_reason = reason
        certificate.full_clean()
        certificate.save()
        audit_record(
            action=f"certificate.{certificate.status}",
            actor=actor,
            target=user,
            reason=reason,
            data={"certificate_id": certificate.pk},
        )
        link = reverse("accounts:registration") + "#verification"
        if accept:
            note = reason or f"registration certificate #{certificate.pk} accepted"
            account_verify(actor=actor, user=user, verified=True, reason=note)
            notify(user=user, template="org_verified", link=link)
        else:
            notify(user=user, template="org_verification_refused", params={"message": reason}, link=link)
    return certificate


def certificate_open(*, actor: User, certificate: OrganizationCertificate) -> bytes:
    """The decrypted scan, for staff who may read identity documents (MOD-7). Every opening is audited
    before the bytes leave (MOD-8): a request that cannot write the event gets nothing."""
    require_capability(actor, IDENTITY_DOCUMENTS_READ)
    with certificate.file.open("rb") as stored:
        data = crypto.decrypt_bytes(stored.read(), purpose="certificate")
    with transaction.atomic():
        audit_record(
            action="pii.viewed",
            actor=actor,
            target=certificate.user,
            data={"what": "certificate", "certificate_id": certificate.pk},
        )
    return data


REGISTRATION_FIELDS = ("legal_name", "mailing_address", "mobile", "landline", "email")


def registration_open(
    *, actor: User, user: User, fields: tuple[str, ...] = REGISTRATION_FIELDS
) -> dict[str, str]:
    """A user's registration information for staff who may read it (MOD-7), only the ``fields`` a page
    needs; audited with which fields before anything is returned (MOD-8)."""
    require_capability(actor, PII_READ)
    info = RegistrationInfo.objects.filter(user=user).first()
    if info is None:
        raise NotFound(_("@%(name)s has no registration information.") % {"name": user.username})
    shown = {field: getattr(info, field) for field in fields if field in REGISTRATION_FIELDS}
    with transaction.atomic():
        audit_record(
            action="pii.viewed",
            actor=actor,
            target=user,
            data={"what": "registration", "fields": sorted(shown)},
        )
    return shown


def protected_name_add(*, actor: User | None, name: str, note: str = "") -> ProtectedName:
    if actor is not None:
        require_capability(actor, NAMES_MANAGE)
    name = " ".join(name.split())
    skel = names.skeleton(name)
    if not skel:
        raise ApplicationError(
            _("Enter a name with letters or characters."), fields={"name": [_("Required.")]}
        )
    if ProtectedName.objects.filter(skeleton=skel).exists():
        raise ApplicationError(_("'%(name)s' is protected already.") % {"name": name})
    with transaction.atomic():
        protected = ProtectedName.objects.create(name=name, skeleton=skel, note=note, created_by=actor)
        audit_record(action="protected_name.added", actor=actor, target=protected)
    return protected


def protected_name_remove(*, actor: User, protected: ProtectedName) -> None:
    require_capability(actor, NAMES_MANAGE)
    with transaction.atomic():
        audit_record(action="protected_name.removed", actor=actor, target=protected)
        protected.delete()
