"""ACC-3: carrying out a cancellation once its cooling-off has ended. An ordered list of steps, each in its own
transaction and safe to run again: a job that dies half-way is resumed by the next beat run from where it
stopped (every step looks at what is left to do, not at what it did before).

Kept, because the law or another party needs them: the audit log and consents (append-only evidence, AUD-1,
REG-2; they hold no more than the username label, IP and user agent of the moment), works and files under an
open report, appeal, counter-notice, running deal or open order (unpublished, not deleted; each beat run
deletes those whose case has closed, ``kept_works_erase``), orders and ledger entries
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
from inspiracle.privacy.models import LegalHold
from inspiracle.privacy.selectors import OPEN_REPORTS, held_work_ids, legal_hold_in_force
from inspiracle.reports.models import Evidence, Report, RightsHolderProfile
from inspiracle.works.models import Work
from inspiracle.works.services import work_delete, work_unpublish

WITHDRAW_REASON = "The account was cancelled."


def anonymous_label(user: User) -> str:
    """Stable (the same on every run) and never a username anyone can register: the hyphen is outside the
    username alphabet, so it cannot collide with a real account now or later."""
    return f"deleted-{user.pk}"


def step_close_access(user: User, now: datetime) -> bool:
    """No sign-in from now on (``is_active``: passwords, sessions and tokens all check it), every session
    and token gone. The state is checked again on the locked row: a restore that won the race (it locks the
    same row and refuses once ``is_active`` is off) leaves the account alone. Returns False when the account is
    no longer due. Audited only when something was closed, so re-runs (a legal hold) add nothing."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if (
            locked.cancel_requested_at is None
            or locked.anonymized_at is not None
            or locked.cancel_effective_at is None
            or locked.cancel_effective_at > now
        ):
            return False
        was_active = locked.is_active
        User.objects.filter(pk=user.pk).update(is_active=False)
        sessions = UserSession.objects.filter(user=user).delete()[0]
        tokens = ApiToken.objects.filter(user=user).delete()[0]
        devices = TotpDevice.objects.filter(user=user).delete()[0]
        codes = RecoveryCode.objects.filter(user=user).delete()[0]
        if was_active or sessions or tokens or devices or codes:
            audit_record(
                action="privacy.access_closed", target=user, data={"sessions": sessions, "tokens": tokens}
            )
    return True


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


def step_rights_profiles(user: User, now: datetime) -> None:
    """RPT-13 rights holder profiles: the holder's name, address, phone and e-mail and the identity documents
    proving them go, unless an open report still relies on the profile (its legal officer needs them; a later
    run, after the hold, or the report's own purge (RPT-10) takes care of them). The profile rows stay, so
    closed reports still show which profile they used."""
    profiles = RightsHolderProfile.objects.filter(owner=user).exclude(
        pk__in=Report.objects.filter(status__in=OPEN_REPORTS, profile__isnull=False).values("profile_id")
    )
    to_clear = profiles.exclude(name="", mailing_address="", phone="", email="")
    evidence = Evidence.objects.filter(profile__in=profiles).exclude(file="")
    files = [e.file.name for e in evidence]
    if not to_clear.exists() and not files:
        return
    with transaction.atomic():
        count = to_clear.update(name="", mailing_address="", phone="", email="")
        evidence.update(file="", name="", purged_at=now)
        audit_record(
            action="privacy.rights_profiles_cleared",
            target=user,
            data={"profiles": count, "files": len(files)},
        )
        transaction.on_commit(lambda: [private_storage().delete(name) for name in files], robust=True)


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
    if not step_close_access(user, now):
        return "not_due"  # restored meanwhile (the check above read the row unlocked)
    step_requests(user, now)
    step_works(user, now, erase=not held)
    if held:
        return "held"
    for step in (step_profile, step_certificates, step_rights_profiles, step_finish):
        step(user, now)
    return "done"


def due_user_ids(now: datetime | None = None) -> list[int]:
    """Cancellations to carry out. An account under a legal hold that the job has already closed (inactive,
    nothing published, no open request) is left out while the hold is in force: running it again every beat
    would change nothing; it comes back the moment the hold is released."""
    now = now or timezone.now()
    held_and_closed = (
        Q(is_active=False)
        & Q(pk__in=LegalHold.objects.filter(released_at__isnull=True).values("user_id"))
        & ~Q(pk__in=Work.objects.filter(status=Work.Status.PUBLISHED).values("owner_id"))
        & ~Q(pk__in=LicenceRequest.objects.filter(status=LicenceRequest.Status.OPEN).values("requester_id"))
        & ~Q(pk__in=LicenceRequest.objects.filter(status=LicenceRequest.Status.OPEN).values("creator_id"))
    )
    return list(
        User.objects.filter(
            cancel_requested_at__isnull=False, anonymized_at__isnull=True, cancel_effective_at__lte=now
        )
        .exclude(held_and_closed)
        .order_by("cancel_effective_at", "pk")
        .values_list("pk", flat=True)
    )


def kept_works_owner_ids() -> list[int]:
    """Anonymized accounts that still have works not deleted: kept because held when the erasure ran (an open
    report, appeal, counter-notice, running deal or order). Each beat run looks at them again, so a work is
    erased once its case closes."""
    return list(
        User.objects.filter(anonymized_at__isnull=False)
        .filter(pk__in=Work.objects.exclude(status=Work.Status.DELETED).values("owner_id"))
        .exclude(pk__in=LegalHold.objects.filter(released_at__isnull=True).values("user_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def kept_works_erase(*, user_id: int, now: datetime | None = None) -> int:
    """Delete an anonymized account's kept works that are no longer held. Returns how many are left."""
    now = now or timezone.now()
    user = User.objects.filter(pk=user_id, anonymized_at__isnull=False).first()
    if user is None or legal_hold_in_force(user):
        return 0
    step_works(user, now, erase=True)
    return Work.objects.filter(owner=user).exclude(status=Work.Status.DELETED).count()
