"""What staff change on accounts: roles, verification and certificate review, reading registration
information and scans (audited, MOD-7, MOD-8), protected names."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts import names
from inspiracle.accounts.models import OrganizationCertificate, ProtectedName, RegistrationInfo, User
from inspiracle.accounts.permissions import (
    ACCOUNTS_VERIFY,
    IDENTITY_DOCUMENTS_READ,
    NAMES_MANAGE,
    PII_READ,
    ROLES_MANAGE,
    require_capability,
)
from inspiracle.accounts.services.registration import RegistrationData, user_register
from inspiracle.audit.services import audit_record
from inspiracle.core import crypto
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.generations import generation_bump
from inspiracle.notifications.services import notify


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


def admin_create(*, data: RegistrationData, accepted: list[str], reason: str) -> User:
    """The operator makes an administrator from the command line (the first one on a new install): a full
    account like any other (registration information, consents to the agreements in force, REG-1, REG-5)
    that is given the admin role in the same transaction. The audit names no actor: the operator acted."""
    if not reason.strip():
        raise ApplicationError(_("Say why the administrator is created."))
    with transaction.atomic():
        # The operator typed the address on the machine itself: there is nobody to confirm it by mail.
        user = user_register(data=data, accepted=accepted, age_attested=True, email_confirmed=True)
        User.objects.filter(pk=user.pk).update(staff_role=User.StaffRole.ADMIN)
        user.refresh_from_db()
        audit_record(
            action="role.changed",
            actor=None,
            target=user,
            reason=reason,
            data={"from": "", "to": User.StaffRole.ADMIN, "by": "operator command"},
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
        generation_bump("profiles")  # the badge is on cached pages (a work page's byline)
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
        assert decided_by is not None
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
            # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the reviewer outer joins.
            OrganizationCertificate.objects.select_for_update(of=("self",))
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
