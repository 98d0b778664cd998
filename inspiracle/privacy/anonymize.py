"""ACC-3: carrying out a cancellation once its cooling-off has ended. An ordered list of steps, each in its own
transaction and safe to run again: a job that dies half-way is resumed by the next beat run from where it
stopped (every step looks at what is left to do, not at what it did before).

Kept, because the law or another party needs them: the audit log and consents (append-only evidence, AUD-1,
REG-2; they hold no more than the username label, IP and user agent of the moment), works and files under an
open report, appeal, running deal or open order (unpublished, not deleted), orders and ledger entries
(commercial records), deals (never edited, COM-2). While a legal hold is in force, access is closed and works
are unpublished, but nothing is erased; the next run after the hold is released completes the erasure.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from inspiracle.accounts import names
from inspiracle.accounts.cancellation import Step, cancellation_transition
from inspiracle.accounts.models import (
    ApiToken,
    OrganizationCertificate,
    Profile,
    RecoveryCode,
    RegistrationInfo,
    TotpDevice,
    User,
    UserSession,
)
from inspiracle.accounts.services.profile import avatar_set
from inspiracle.audit.services import audit_record
from inspiracle.core.generations import generation_bump
from inspiracle.core.storage import private_storage
from inspiracle.licensing.models import LicenceRequest
from inspiracle.licensing.services.requests import request_withdraw
from inspiracle.notifications.models import Notification
from inspiracle.outbox.services import outbox_email
from inspiracle.privacy.selectors import held_work_ids, legal_hold_in_force
from inspiracle.works.models import Work
from inspiracle.works.services import work_delete, work_unpublish

WITHDRAW_REASON = "The account was cancelled."


def anonymous_label(user: User) -> str:
    """Stable (the same on every run) and never a username anyone can register: the hyphen is outside the
    username alphabet, so it cannot collide with a real account now or later."""
    return f"deleted-{user.pk}"


def step_close_access(user: User, now: datetime) -> None:
    """No sign-in from now on (``is_active``: passwords, sessions and tokens all check it), every session
    and token gone."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        sessions = UserSession.objects.filter(user=user).delete()[0]
        tokens = ApiToken.objects.filter(user=user).delete()[0]
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        audit_record(
            action="privacy.access_closed", target=user, data={"sessions": sessions, "tokens": tokens}
        )


def step_works(user: User, now: datetime, *, erase: bool) -> None:
    """Each work through the works services (its own transaction, audited there): published ones are
    unpublished; the rest, unless held, deleted with their files and derivatives."""
    held = held_work_ids(user) if erase else set()
    for work in Work.objects.filter(owner=user).exclude(status=Work.Status.DELETED):
        if work.status == Work.Status.PUBLISHED:
            work = work_unpublish(actor=user, work=work)
        if erase and work.pk not in held:
            work_delete(actor=user, work=work)


def step_requests(user: User, now: datetime) -> None:
    """Open licensing negotiations end: the other party is told the request was withdrawn."""
    open_requests = LicenceRequest.objects.filter(
        Q(requester=user) | Q(creator=user), status=LicenceRequest.Status.OPEN
    )
    for request in open_requests:
        request_withdraw(request=request, by=user, reason=WITHDRAW_REASON, now=now)


def step_profile(user: User, now: datetime) -> None:
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.avatar:
        avatar_set(user=user, data=None)  # the file goes after its commit, audited by accounts
    label = anonymous_label(user)
    with transaction.atomic():
        Profile.objects.filter(user=user).update(
            display_name=label,
            display_name_skeleton=names.skeleton(label),
            bio="",
            location="",
            website="",
            avatar_keys=[],
            show_bio=False,
            show_location=False,
            show_website=False,
            show_joined=False,
        )
        Notification.objects.filter(user=user).delete()
        generation_bump("profiles")
        audit_record(action="privacy.profile_cleared", target=user)


def step_certificates(user: User, now: datetime) -> None:
    """An organization's certificate scans (identity documents): the files go, the review records stay."""
    names_ = [c.file.name for c in OrganizationCertificate.objects.filter(user=user) if c.file]
    if not names_:
        return
    with transaction.atomic():
        OrganizationCertificate.objects.filter(user=user).update(file="")
        audit_record(action="privacy.certificates_deleted", target=user, data={"count": len(names_)})
        transaction.on_commit(lambda: [private_storage().delete(name) for name in names_], robust=True)


def step_finish(user: User, now: datetime) -> None:
    """The last step, all at once: the address is captured into the outbox message, then the registration
    information is cleared, the username replaced, and the account marked anonymized. If this transaction is
    ever run twice, the transition refuses the second and the e-mail goes with its rollback."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        info = RegistrationInfo.objects.filter(user=locked).first()
        email = info.email if info is not None else ""
        cancellation_transition(user=locked, step=Step.ANONYMIZE, now=now)
        if email:
            outbox_email(kind="privacy.cancel_done", payload={"email": email, "language": locked.language})
        RegistrationInfo.objects.filter(user=locked).update(
            legal_name="",
            mailing_address="",
            mobile="",
            # Unique: a value no real number's keyed hash can take.
            mobile_index=f"deleted-{locked.pk}",
            landline="",
            email="",
            email_index="",
        )
        locked.set_unusable_password()
        User.objects.filter(pk=locked.pk).update(
            username=anonymous_label(locked), password=locked.password, is_active=False, verified_at=None
        )


def account_anonymize(*, user_id: int, now: datetime | None = None) -> str:
    """Carry out one due cancellation. Returns what happened: ``done``, ``held`` (a legal hold: closed, not
    erased), ``not_due`` or ``already``."""
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.cancel_requested_at is None:
        return "not_due"
    if user.anonymized_at is not None:
        return "already"
    if user.cancel_effective_at is None or user.cancel_effective_at > now:
        return "not_due"
    held = legal_hold_in_force(user)
    step_close_access(user, now)
    step_requests(user, now)
    step_works(user, now, erase=not held)
    if held:
        return "held"
    for step in (step_profile, step_certificates, step_finish):
        step(user, now)
    return "done"


def due_user_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        User.objects.filter(
            cancel_requested_at__isnull=False, anonymized_at__isnull=True, cancel_effective_at__lte=now
        )
        .order_by("cancel_effective_at", "pk")
        .values_list("pk", flat=True)
    )
