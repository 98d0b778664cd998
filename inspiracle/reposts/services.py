"""Asking to repost a work and the owner's answers (WRK-12, WRK-5, WRK-6). Each service runs in one
transaction with its audit event and the notices it owes; status moves go through transitions.py."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from inspiracle import standing
from inspiracle.accounts.models import User
from inspiracle.accounts.services import email_index
from inspiracle.agreements.selectors import local_today
from inspiracle.audit.services import audit_record
from inspiracle.core import ratelimit
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.core.ratelimit import Limit, wait_text
from inspiracle.core.references import new_reference
from inspiracle.notifications.services import notify
from inspiracle.outbox.services import outbox_email
from inspiracle.reposts.emailcodes import email_from_pass
from inspiracle.reposts.models import MESSAGE_MAX, NAME_MAX, PURPOSE_MAX, RepostPermission
from inspiracle.reposts.rules import site_parse, term_end
from inspiracle.reposts.transitions import permission_transition
from inspiracle.works.models import Work

ASKS_PER_DAY = 20


@dataclass(frozen=True)
class AskInput:
    """What an asker sends, from the page or the API."""

    work_id: int
    site_url: str
    purpose: str
    ends_on: date | None = None
    months: int | None = None
    name: str = ""


def permission_path(permission: RepostPermission) -> str:
    return reverse("reposts:detail", args=[permission.reference])


def repost_refusal(work: Work) -> ApplicationError | None:
    """Why nobody may ask to repost ``work`` now (WRK-5 setting, WRK-6 mark), or None."""
    if work.status != Work.Status.PUBLISHED:
        return ApplicationError(
            _("This work is not published, so it cannot be reposted."), code="work_not_published", status=409
        )
    if work.is_exclusive:
        return ApplicationError(
            _(
                "This work is under an exclusive licence (Exclusive License, No Reposting): reposting cannot be "
                "allowed while the mark stands."
            ),
            code="exclusive",
            status=409,
        )
    if not work.repost_allowed:
        return ApplicationError(
            _("The creator does not allow reposting of this work. Ask the creator for a licence instead."),
            code="repost_not_allowed",
            status=409,
        )
    return None


def _clean(data: AskInput, *, member: User | None, today: date) -> dict:
    """The request's fields, or an ApplicationError naming every wrong field and how to put it right."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    try:
        clean["site_url"], clean["site_host"] = site_parse(data.site_url)
    except ValidationError as exc:
        errors["site_url"] = exc.messages
    purpose = (data.purpose or "").strip()
    if not purpose:
        errors["purpose"] = [_("Say how the work would be used (a blog post, a news article ...).")]
    elif len(purpose) > PURPOSE_MAX:
        errors["purpose"] = [_("At most %(max)d characters; shorten it.") % {"max": PURPOSE_MAX}]
    clean["purpose"] = purpose
    name = (data.name or "").strip() or (member.username if member else "")
    if not name:
        errors["name"] = [_("Give your name or your organization's name; the creator sees it.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("At most %(max)d characters; shorten it.") % {"max": NAME_MAX}]
    clean["requester_name"] = name
    try:
        clean["ends_on"] = term_end(today=today, ends_on=data.ends_on, months=data.months)
    except ValidationError as exc:
        errors["months" if data.months is not None else "ends_on"] = exc.messages
    if errors:
        raise ApplicationError(_("Some fields need correcting; see the fields marked."), fields=errors)
    return clean


def _count_ask(key: str) -> None:
    ratelimit.hit(
        (
            Limit(
                scope="reposts.asks",
                hits=ASKS_PER_DAY,
                window=24 * 3600,
                refusal=lambda wait: (
                    _("You sent the most repost requests allowed in a day; wait %(wait)s.")
                    % {"wait": wait_text(wait)}
                ),
            ),
            ratelimit.key(key),
        )
    )


def _pending_refusal() -> ApplicationError:
    return ApplicationError(
        _("You already asked to repost this work on this site; wait for the creator's answer."),
        fields={"site_url": [_("A request for this site is awaiting the creator's answer.")]},
        code="already_pending",
        status=409,
    )


def repost_ask(
    *, requester: User | None, data: AskInput, email_pass: str = "", now: datetime | None = None
) -> RepostPermission:
    """WRK-12: ask the owner of a published work to repost it on one site for a bounded term. A member asks
    as themselves; a visitor gives the pass of a proved e-mail address."""
    now = now or timezone.now()
    member = requester if requester is not None and requester.is_authenticated else None
    email = "" if member else email_from_pass(email_pass)
    if member:
        standing.require_allowed(member, standing.PARTICIPATE)
    work = Work.objects.select_related("owner").filter(pk=data.work_id, status=Work.Status.PUBLISHED).first()
    if work is None:
        raise NotFound(_("There is no such work."))
    if member and work.owner_id == member.pk:
        raise ApplicationError(_("This is your own work."), code="own_work")
    refusal = repost_refusal(work)
    if refusal is not None:
        raise refusal
    clean = _clean(data, member=member, today=local_today())
    key = f"user:{member.pk}" if member else f"email:{email_index(email)}"
    permission = RepostPermission(
        reference=new_reference(RepostPermission, "RP-"),
        work=work,
        owner=work.owner,
        requester=member,
        requester_email=email,
        requester_key=key,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        requested_at=now,
        **clean,
    )
    pending = RepostPermission.objects.filter(
        work=work, site_host=clean["site_host"], requester_key=key, status=RepostPermission.Status.REQUESTED
    )
    if pending.exists():
        raise _pending_refusal()
    _count_ask(key)
    try:
        with transaction.atomic():
            permission.full_clean(validate_constraints=False)
            permission.save()
            audit_record(
                action="repost.requested",
                actor=member,
                target=permission,
                target_label=permission.reference,
                data={
                    "work": work.pk,
                    "site": permission.site_host,
                    "ends_on": permission.ends_on.isoformat(),
                },
            )
            notify(
                user=work.owner,
                template="repost_requested",
                params={
                    "title": work.title,
                    "party": permission.requester_name,
                    "site": permission.site_host,
                    "ends": permission.ends_on.isoformat(),
                },
                link=reverse("reposts:mine") + "?box=received",
            )
    except IntegrityError:
        # Two identical asks at the same moment: the constraint let one through.
        raise _pending_refusal() from None
    return permission


def _message(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MESSAGE_MAX:
        raise ApplicationError(
            _("At most %(max)d characters; shorten the message.") % {"max": MESSAGE_MAX},
            fields={"message": [_("At most %(max)d characters.") % {"max": MESSAGE_MAX}]},
        )
    return text


def _require_owner(permission: RepostPermission, actor: User) -> None:
    if permission.owner_id != actor.pk:
        raise NotFound(_("There is no such repost request."))


def _tell_requester(permission: RepostPermission, template: str, message: str) -> None:
    """A member gets a notice (inbox and e-mail); a visitor an e-mail to the proved address, in the language
    they asked in. Inside the deciding transaction: told if and only if it was decided."""
    params = {
        "reference": permission.reference,
        "title": permission.work.shown_title,
        "site": permission.site_host,
        "ends": permission.ends_on.isoformat(),
        "message": message,
    }
    if permission.requester_id is not None:
        assert permission.requester is not None
        notify(user=permission.requester, template=template, params=params, link=permission_path(permission))
    else:
        outbox_email(
            kind="reposts.visitor",
            payload={"permission": permission.pk, "template": template, "params": params},
        )


def _answer(*, permission: RepostPermission, actor: User, move: str, template: str, message: str, now):
    _require_owner(permission, actor)
    message = _message(message)
    with transaction.atomic():
        if move == "approve":
            work = Work.objects.select_for_update().get(pk=permission.work_id)
            refusal = repost_refusal(work)
            if refusal is not None:  # WRK-6: the mark may have come after the request
                raise refusal
        done = permission_transition(permission=permission, move=move, actor=actor, now=now, message=message)
        _tell_requester(done, template, message)
    return done


def repost_approve(
    *, permission: RepostPermission, actor: User, message: str = "", now: datetime | None = None
) -> RepostPermission:
    """The owner approves: the permission gets its public address, with the attribution to use."""
    now = now or timezone.now()
    return _answer(
        permission=permission,
        actor=actor,
        move="approve",
        template="repost_approved",
        message=message,
        now=now,
    )


def repost_decline(
    *, permission: RepostPermission, actor: User, message: str = "", now: datetime | None = None
) -> RepostPermission:
    now = now or timezone.now()
    return _answer(
        permission=permission,
        actor=actor,
        move="decline",
        template="repost_declined",
        message=message,
        now=now,
    )


def repost_revoke(
    *, permission: RepostPermission, actor: User, message: str = "", now: datetime | None = None
) -> RepostPermission:
    """The owner withdraws an approved permission; its public page then says it is revoked."""
    now = now or timezone.now()
    return _answer(
        permission=permission, actor=actor, move="revoke", template="repost_revoked", message=message, now=now
    )
