"""Sanctions on accounts (MOD-5) and strikes (MOD-6): applying, lifting, expiring, overruling.

Each change is one transaction with its audit event and its notice to the user.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts import names
from inspiracle.accounts.models import Profile, User, UserSession
from inspiracle.accounts.permissions import SANCTIONS_APPLY, SANCTIONS_SEVERE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.models import Decision, Sanction, Strike
from inspiracle.moderation.statements import notice_params, statement_check
from inspiracle.notifications.services import notify
from inspiracle.reasons import BY_CODE
from inspiracle.standing import SIGN_IN, STOPS
from inspiracle.works.models import Work
from inspiracle.works.transitions import UNPUBLISH, work_transition

Kind = Sanction.Kind
SEVERE = (Kind.TERMINATION, Kind.RECLAIM)


def _clean_text(value: str | None, limit: int = 2000) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def sanction_apply(
    *,
    actor: User,
    user: User,
    kind: str,
    reason_code: str,
    message: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    statement: str = "",
    statement_params: Mapping[str, object] | None = None,
) -> Sanction:
    """MOD-5: put a measure on ``user``: from ``starts_at`` (now if none) to ``ends_at`` (none: until lifted).
    ``statement`` is what the platform says about it (statements.py), shown in each reader's language."""
    require_capability(actor, SANCTIONS_SEVERE if kind in SEVERE else SANCTIONS_APPLY)
    statement_check(statement)
    now = timezone.now()
    starts_at = starts_at or now
    message = _clean_text(message)
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Choose one of the measures.")]
    if reason_code not in BY_CODE:
        errors["reason_code"] = [_("Choose the reason from the catalogue.")]
    if starts_at < now - timedelta(minutes=5):  # a measure is not backdated: its record says when it began
        errors["starts_at"] = [_("The start cannot be in the past; leave it empty to start now.")]
    if ends_at is not None and ends_at <= max(starts_at, now):
        errors["ends_at"] = [_("The end must be later than the start and than now.")]
    if kind == Kind.TERMINATION and ends_at is not None:
        errors["ends_at"] = [_("A termination is permanent: leave the end empty.")]
    if kind in SEVERE and starts_at > now:
        errors["starts_at"] = [_("This measure takes effect at once: leave the start empty.")]
    if user.pk == actor.pk:
        errors["user"] = [_("Staff cannot sanction their own account.")]
    elif user.is_staff:
        errors["user"] = [_("Remove the staff role first: staff accounts are not sanctioned.")]
    if errors:
        raise ApplicationError(_("No measure was applied; correct the fields marked below."), fields=errors)
    with transaction.atomic():
        # Why the lock: two measures on one account (a reclaim renames it) must not interleave.
        user = User.objects.select_for_update().get(pk=user.pk)
        sanction = Sanction(
            user=user,
            kind=kind,
            reason_code=reason_code,
            message=message,
            statement=statement,
            statement_params=dict(statement_params or {}),
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=actor,
        )
        if kind == Kind.RECLAIM:
            _reclaim(user, sanction)
        sanction.full_clean()
        sanction.save()
        withdrawn = (
            _withdraw_works(actor=actor, sanction=sanction, now=now) if kind == Kind.TERMINATION else []
        )
        if SIGN_IN in STOPS[kind] and starts_at <= now:
            # Sessions would be refused anyway (the backend checks every request); ending them is tidier.
            UserSession.objects.filter(user=user).delete()
        audit_record(
            action="sanction.applied",
            actor=actor,
            target=user,
            reason=reason_code,
            data={
                "sanction": sanction.pk,
                "kind": kind,
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat() if ends_at else None,
                "works_unpublished": withdrawn,
            },
        )
        notify(
            user=user,
            template="account_reclaimed" if kind == Kind.RECLAIM else "sanction_applied",
            params={
                # The label itself, not its text in the actor's language: stored as its msgid, shown in the
                # recipient's (notifications/messages.py).
                "kind": Kind(kind).label,
                "until": ends_at,
                "username": user.username,
                "message": message,
                **notice_params(statement, statement_params),
            },
            reason_code=reason_code,
            link=reverse("standing:standing"),
        )
    return sanction


def _withdraw_works(*, actor: User, sanction: Sanction, now: datetime) -> list[int]:
    """A terminated account's published works leave the public pages (unpublished, as their owner could do:
    if an appeal undoes the termination, the owner publishes them again)."""
    # Why one by one under row locks: each work's change is audited on its own (AUD-1), and a moderator's
    # decision or the owner's edit on one of them waits for this instead of being overwritten.
    works = list(Work.objects.select_for_update().filter(owner=sanction.user, status=Work.Status.PUBLISHED))
    for work in works:
        work_transition(
            work=work,
            transition=UNPUBLISH,
            by=actor,
            now=now,
            reason=sanction.reason_code,
            data={"sanction": sanction.pk},
        )
    return [work.pk for work in works]


def _reclaim(user: User, sanction: Sanction) -> None:
    """MOD-5: an impersonating account loses the names and picture it used: renamed, display name and avatar
    reset. The old names are kept on the sanction so that an upheld appeal can give them back."""
    profile = Profile.objects.select_for_update().get(user=user)
    sanction.previous_username, sanction.previous_display_name = user.username, profile.display_name
    user.username = f"reclaimed_{user.pk}"
    user.save(update_fields=["username"])
    old_avatar = profile.avatar.name
    profile.display_name = user.username
    profile.display_name_skeleton = names.skeleton(user.username)
    profile.avatar, profile.avatar_keys = "", []
    profile.save()
    if old_avatar:
        transaction.on_commit(lambda: default_storage.delete(old_avatar), robust=True)


def _unreclaim(sanction: Sanction) -> None:
    """Give the names back if nobody took them meanwhile; the avatar was deleted and is not restored."""
    user = sanction.user
    if sanction.previous_username and not User.objects.filter(username=sanction.previous_username).exists():
        user.username = sanction.previous_username
        user.save(update_fields=["username"])
    profile = Profile.objects.select_for_update().get(user=user)
    profile.display_name = sanction.previous_display_name or user.username
    profile.display_name_skeleton = names.skeleton(profile.display_name)
    profile.save()


def sanction_lift(
    *, actor: User | None, sanction: Sanction, reason: str, now=None, notify_user: bool = True
) -> Sanction:
    """End a measure before its time (staff, an upheld appeal), or record that it reached its end (``actor``
    None: the periodic job). The user is told either way."""
    if actor is not None:
        require_capability(actor, SANCTIONS_APPLY)
        reason = _clean_text(reason)
        if not reason:
            raise ApplicationError(_("Say why the measure is lifted."), fields={"reason": [_("Required.")]})
    now = now or timezone.now()
    with transaction.atomic():
        sanction = Sanction.objects.select_for_update().select_related("user").get(pk=sanction.pk)
        if actor is not None:
            # Ending a termination or a reclaim takes the same standing as imposing one.
            require_capability(actor, SANCTIONS_SEVERE if sanction.kind in SEVERE else SANCTIONS_APPLY)
        if sanction.lifted_at is not None:
            raise ApplicationError(_("This measure has already ended."), code="invalid_state", status=409)
        if actor is None and (sanction.ends_at is None or sanction.ends_at > now):
            raise ApplicationError(
                _("This measure has not reached its end."), code="invalid_state", status=409
            )
        sanction.lifted_at = sanction.ends_at if actor is None else now
        sanction.lifted_by = actor
        sanction.lift_reason = reason
        sanction.save()
        if actor is not None and sanction.kind == Kind.RECLAIM:
            _unreclaim(sanction)
        audit_record(
            action="sanction.lifted" if actor else "sanction.ended",
            actor=actor,
            target=sanction.user,
            reason=reason,
            data={"sanction": sanction.pk, "kind": sanction.kind},
        )
        if notify_user:
            notify(
                user=sanction.user,
                template="sanction_lifted",
                params={"kind": Kind(sanction.kind).label, "message": reason if actor else ""},
                link=reverse("standing:standing"),
            )
    return sanction


def sanctions_expire(*, now=None) -> int:
    """Record the end of every timed measure whose time is up (beat, every minute). Enforcement does not wait
    for this: it reads the end time itself."""
    now = now or timezone.now()
    due = Sanction.objects.filter(lifted_at__isnull=True, ends_at__lte=now).values_list("pk", flat=True)
    ended = 0
    for pk in list(due):
        try:
            sanction_lift(actor=None, sanction=Sanction(pk=pk), reason="", now=now)
        except ApplicationError:
            continue  # lifted by staff meanwhile
        ended += 1
    return ended


def strike_record(
    *,
    actor: User,
    user: User,
    reason_code: str,
    decision: Decision | None = None,
    note: str = "",
) -> Strike:
    """MOD-6: a strike on ``user``'s record, for a decision about their content or on its own."""
    require_capability(actor, SANCTIONS_APPLY)
    if reason_code not in BY_CODE:
        raise ApplicationError(
            _("Nothing was recorded; correct the fields marked below."),
            fields={"reason_code": [_("Choose the reason from the catalogue.")]},
        )
    if user.is_staff:
        raise ApplicationError(_("Staff accounts do not get strikes."), code="invalid_state", status=409)
    now = timezone.now()
    with transaction.atomic():
        strike = Strike(
            user=user,
            reason_code=reason_code,
            decision=decision,
            note=_clean_text(note),
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=settings.STRIKE_EXPIRY_DAYS),
        )
        strike.full_clean()
        strike.save()
        audit_record(
            action="strike.recorded",
            actor=actor,
            target=user,
            reason=reason_code,
            data={"strike": strike.pk, "decision": decision.pk if decision else None},
        )
        notify(
            user=user,
            template="strike_recorded",
            params={"message": strike.note},
            reason_code=reason_code,
            link=reverse("standing:standing"),
        )
    return strike


def strike_resolve(
    *, actor: User, strike: Strike, status: str, reason: str, notify_user: bool = True
) -> Strike:
    """MOD-6: overrule a strike (it should not have been given) or dismiss it (it no longer counts). Who did
    it and why stay on the record."""
    require_capability(actor, SANCTIONS_APPLY)
    reason = _clean_text(reason)
    errors: dict[str, list[str]] = {}
    if status not in (Strike.Status.OVERRULED, Strike.Status.DISMISSED):
        errors["status"] = [_("Choose overrule or dismiss.")]
    if not reason:
        errors["reason"] = [_("Say why.")]
    if errors:
        raise ApplicationError(
            _("The strike was not changed; correct the fields marked below."), fields=errors
        )
    with transaction.atomic():
        strike = Strike.objects.select_for_update().select_related("user").get(pk=strike.pk)
        if strike.status != Strike.Status.ACTIVE:
            raise ApplicationError(
                _("This strike was already overruled or dismissed."), code="invalid_state", status=409
            )
        strike.status = status
        strike.resolved_at, strike.resolved_by, strike.resolution_reason = timezone.now(), actor, reason
        strike.save()
        audit_record(
            action=f"strike.{status}",
            actor=actor,
            target=strike.user,
            reason=reason,
            data={"strike": strike.pk},
        )
        if notify_user:
            notify(
                user=strike.user,
                template="strike_resolved",
                params={"outcome": Strike.Status(strike.status).label, "message": reason},
                link=reverse("standing:standing"),
            )
    return strike
