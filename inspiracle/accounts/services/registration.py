"""Registration and registration information (REG-1, REG-2, REG-5, REG-6), certificate uploads."""

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspiracle.accounts import names
from inspiracle.accounts.models import (
    OrganizationCertificate,
    Profile,
    ProtectedName,
    RegistrationInfo,
    User,
    username_validator,
)
from inspiracle.accounts.services.email_address import email_confirmation_send, email_index
from inspiracle.accounts.validation import normalize_email, normalize_phone, sniff_certificate
from inspiracle.agreements.models import Consent
from inspiracle.agreements.services import check_accepted_labels, consent_accept
from inspiracle.audit.services import audit_record
from inspiracle.core import crypto, ratelimit
from inspiracle.core.errors import ApplicationError
from inspiracle.core.ratelimit import Limit, wait_text

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIX_BELOW = gettext_lazy("Nothing was saved; correct the fields marked below.")


def mobile_index(e164: str) -> str:
    return crypto.blind_index(e164, purpose="mobile")


class FieldErrors(dict):
    def add(self, name: str, error: "ValidationError | StrOrPromise") -> None:
        messages = error.messages if isinstance(error, ValidationError) else [error]
        self.setdefault(name, []).extend(str(m) for m in messages)

    def raise_if_any(self, message: "StrOrPromise" = FIX_BELOW) -> None:
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
    # A verified organization is known by its registered name too ("奔牌文创有限公司"), whatever its display
    # name. It is decrypted here rather than kept as a clear skeleton (PRV-1); a blind index would only find
    # exact copies, not "奔牌文创有限公司官方店". Only organizations: a person's legal name is private, and
    # refusing names by it would let anyone test what a verified creator's real name is.
    registered = RegistrationInfo.objects.filter(
        user__verified_at__isnull=False, user__kind=User.Kind.ORGANIZATION
    ).only("legal_name")
    if exclude_user is not None:
        registered = registered.exclude(user=exclude_user)
    for info in registered:
        if any(names.imitates(skel, known) for known in names.organization_skeletons(info.legal_name)):
            return info.legal_name
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
        # Whether another account has the address is never said here: the address is confirmed by mail
        # (email_confirmation_send), and its owner is the one told (issue 10: no account discovery).
        try:
            clean["email"] = normalize_email(data["email"])
        except ValidationError as exc:
            errors.add("email", exc)
    return clean


def user_register(
    *,
    data: RegistrationData,
    accepted: list[str],
    age_attested: bool,
    certificate: bytes | None = None,
    email_confirmed: bool = False,
) -> User:
    """Create an account with its registration information and one consent per agreement (REG-1, 2, 5).
    An email address is added once confirmed by the link mailed to it; only operators' own commands and
    tests pass ``email_confirmed``. Tries are limited per network, since every answer says whether a
    username or mobile number is taken."""
    registration_throttle()
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
            email = clean.pop("email")
            confirmed = email if email_confirmed else ""
            RegistrationInfo.objects.create(
                user=user,
                mobile_index=mobile_index(clean["mobile"]),
                email=confirmed,
                email_index=email_index(confirmed),
                **clean,
            )
            Profile.objects.create(
                user=user, display_name=username, display_name_skeleton=names.skeleton(username)
            )
            audit_record(action="account.registered", actor=user, target=user, data={"kind": data.kind})
            consent_accept(
                user=user, versions=versions, method=Consent.Method.REGISTRATION, age_attested=True
            )
            if certificate and certificate_type:  # sniffed from the certificate
                stored = _store_certificate(user, certificate, certificate_type)
                # Just stored, so it has a name (the stubs allow None, for a field without a file).
                saved_files.append(cast(str, stored.file.name))
            if email and not confirmed:
                email_confirmation_send(user=user, email=email)
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
            saved.append(cast(str, record.file.name))  # just stored: the stubs allow None for no file
    except Exception:
        _delete_files("private", saved)
        raise
    return record


def registration_update(*, user: User, changes: dict) -> RegistrationInfo:
    """REG-6: the user corrects their registration information at any time. Only the given fields change; a
    new email address once it is confirmed (a link is mailed to it), removing it at once."""
    allowed = {"legal_name", "mailing_address", "mobile", "landline", "email"}
    errors = FieldErrors()
    unknown = set(changes) - allowed
    for name in unknown:
        errors.add(name, _("This field cannot be changed here."))
    if changes.get("mobile"):
        _mobile_change_throttle(user, changes["mobile"])
    clean = _clean_registration_fields(errors, {k: v for k, v in changes.items() if k in allowed}, user=user)
    errors.raise_if_any()
    with transaction.atomic():
        info = RegistrationInfo.objects.select_for_update().get(user=user)
        new_email = clean.get("email", "")
        if new_email and new_email != info.email:
            del clean["email"]  # changed when its owner confirms it
            email_confirmation_send(user=user, email=new_email)
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


# --- Registration tries (issue 10: nothing helps account discovery) -------------------------------------
def _probe_limit(scope: str, refusal) -> Limit:
    """Answers that may say a username or mobile number is taken (REG-5 wants one account per mobile) are
    slowed like guessing passwords, and capped per hour."""
    return Limit(
        scope=scope,
        hits=settings.REGISTRATIONS_PER_HOUR_PER_IP,
        window=3600,
        slowdown_after=settings.SIGNIN_SLOWDOWN_AFTER,
        refusal=lambda wait: refusal % {"wait": wait_text(wait)},
    )


def registration_throttle() -> None:
    """Registration tries per network, counted before anything is looked up. Nothing is counted outside a
    request (operators' commands, tests)."""
    net = ratelimit.network()
    if net:
        refusal = _("Too many registrations were tried from your network; wait %(wait)s.")
        ratelimit.hit((_probe_limit("registration.network", refusal), ratelimit.key(net)))


def _mobile_change_throttle(user: User, raw: str) -> None:
    """A signed-in account trying other mobile numbers is a probe too: changes are counted per account."""
    try:
        mobile = normalize_phone(raw, mobile=True)
    except ValidationError:
        return  # refused for its form anyway, without a look-up
    if mobile != user.registration.mobile:
        refusal = _("Too many changes of the mobile number were tried; wait %(wait)s.")
        ratelimit.hit((_probe_limit("registration.mobile", refusal), ratelimit.key(f"user:{user.pk}")))
