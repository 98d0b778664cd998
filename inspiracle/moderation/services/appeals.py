"""Appeals (MOD-6): a user contests a rejection, takedown, mask, strike or sanction once; a staff member who
did not take the measure handles it, in a written exchange, and decides. Upholding undoes the measure."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.models import (
    Appeal,
    AppealMessage,
    Decision,
    Sanction,
    Strike,
)
from inspiracle.moderation.selectors import decision_stands, measure_stands
from inspiracle.moderation.services.review import _undo, lock_decision
from inspiracle.moderation.services.sanctions import _clean_text, sanction_lift, strike_resolve
from inspiracle.notifications.services import notify
from inspiracle.works.services import work_publish

TEXT_LIMIT = 4000
UNANSWERED_LIMIT = 5


def _text(value: str, field: str) -> str:
    text = _clean_text(value, TEXT_LIMIT + 1)
    if not text:
        raise ApplicationError(_("Write your text first."), fields={field: [_("Required.")]})
    if len(text) > TEXT_LIMIT:
        raise ApplicationError(
            _("The text has at most 4,000 characters."),
            fields={field: [_("Shorten it to 4,000 characters.")]},
        )
    return text


def appeal_open(*, user: User, target: Decision | Strike | Sanction, statement: str) -> Appeal:
    """The user's one appeal against ``target`` (already checked to be theirs by the access function)."""
    statement = _text(statement, "statement")
    with transaction.atomic():
        # Why the lock on the user: two clicks on "appeal" must not both pass the "once" check below.
        User.objects.select_for_update().filter(pk=user.pk).first()
        field = {Decision: "decision", Strike: "strike", Sanction: "sanction"}[type(target)]
        target = type(target).objects.get(pk=target.pk)  # as it is now, not as the caller last read it
        if Appeal.objects.filter(**{field: target}).exists():
            raise ApplicationError(
                _("You have already appealed this measure; each measure can be appealed once."),
                code="already_appealed",
                status=409,
            )
        if not measure_stands(target):
            raise ApplicationError(
                _("This measure has already ended or been undone; there is nothing to appeal."),
                code="invalid_state",
                status=409,
            )
        now = timezone.now()
        appeal = Appeal.objects.create(
            user=user, statement=statement, created_at=now, last_activity_at=now, **{field: target}
        )
        audit_record(
            action="appeal.opened", actor=user, target=user, data={"appeal": appeal.pk, field: target.pk}
        )
    return appeal


def _lock_open(appeal: Appeal) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise ApplicationError(_("This appeal is already decided."), code="invalid_state", status=409)
    return appeal


def _check_handler(actor: User, appeal: Appeal) -> None:
    if actor.pk == appeal.original_decider_id:
        raise ApplicationError(
            _("You took the measure under appeal; another staff member must handle the appeal."),
            code="own_decision",
            status=403,
        )


def appeal_take(*, actor: User, appeal: Appeal) -> Appeal:
    """A staff member takes the appeal over (MOD-6: never the one who took the measure)."""
    require_capability(actor, STAFF_CONSOLE)
    with transaction.atomic():
        appeal = _lock_open(appeal)
        _check_handler(actor, appeal)
        if appeal.handler_id != actor.pk:
            appeal.handler = actor
            appeal.save(update_fields=["handler"])
            audit_record(action="appeal.taken", actor=actor, target=appeal.user, data={"appeal": appeal.pk})
    return appeal


def appeal_reply(*, author: User, appeal: Appeal, body: str) -> AppealMessage:
    """One message of the written exchange: the appellant's, or the handling staff member's (then the user
    is told)."""
    body = _text(body, "body")
    from_staff = author.pk != appeal.user_id
    with transaction.atomic():
        appeal = _lock_open(appeal)
        if from_staff:
            require_capability(author, STAFF_CONSOLE)
            if appeal.handler_id != author.pk:
                raise ApplicationError(
                    _("Take the appeal before writing to the user."), code="not_handler", status=409
                )
        elif _unanswered(appeal) >= UNANSWERED_LIMIT:
            # An exchange, not a channel for floods: the user waits for staff after a few messages. A state of
            # the exchange (a staff reply ends it), not a limit in time: 409, with no Retry-After to give.
            raise ApplicationError(
                _("You have sent %(n)d messages that staff have not answered yet; wait for their reply.")
                % {"n": UNANSWERED_LIMIT},
                code="awaiting_staff",
                status=409,
            )
        now = timezone.now()
        message = AppealMessage.objects.create(
            appeal=appeal, author=author, from_staff=from_staff, body=body, created_at=now
        )
        appeal.last_activity_at = now
        appeal.save(update_fields=["last_activity_at"])
        audit_record(
            action="appeal.message",
            actor=author,
            target=appeal.user,
            data={"appeal": appeal.pk, "message": message.pk, "from_staff": from_staff},
        )
        if from_staff:
            notify(
                user=appeal.user,
                template="appeal_message",
                params={"message": body},
                link=reverse("standing:appeal", args=[appeal.pk]),
            )
    return message


def _unanswered(appeal: Appeal) -> int:
    """How many of the user's messages in a row end the exchange."""
    latest = list(
        appeal.messages.order_by("-created_at", "-pk").values_list("from_staff", flat=True)[:UNANSWERED_LIMIT]
    )
    return next((i for i, from_staff in enumerate(latest) if from_staff), len(latest))


def appeal_decide(*, actor: User, appeal: Appeal, uphold: bool, message: str) -> Appeal:
    """Decide the appeal with reasons for the user. Upheld: the measure is undone (the work published or
    restored, the strike overruled, the sanction lifted). Denied: it stands. Either way the user is told."""
    require_capability(actor, STAFF_CONSOLE)
    message = _text(message, "message")
    with transaction.atomic():
        appeal = _lock_open(appeal)
        _check_handler(actor, appeal)
        if appeal.handler_id not in (None, actor.pk):
            raise ApplicationError(
                _("Another staff member handles this appeal; take it over first."),
                code="not_handler",
                status=409,
            )
        if uphold:
            _undo_measure(actor=actor, appeal=appeal, reason=message)
        now = timezone.now()
        appeal.status = Appeal.Status.UPHELD if uphold else Appeal.Status.DENIED
        appeal.handler = appeal.handler or actor
        appeal.decided_at, appeal.decided_by, appeal.outcome_message = now, actor, message
        appeal.last_activity_at = now
        appeal.save()
        audit_record(
            action=f"appeal.{appeal.status}",
            actor=actor,
            target=appeal.user,
            reason=message,
            data={"appeal": appeal.pk},
        )
        notify(
            user=appeal.user,
            template="appeal_decided",
            params={"outcome": Appeal.Status(appeal.status).label, "message": message},
            link=reverse("standing:appeal", args=[appeal.pk]),
        )
    return appeal


def _undo_measure(*, actor: User, appeal: Appeal, reason: str) -> None:
    if appeal.sanction is not None:
        sanction_lift(actor=actor, sanction=appeal.sanction, reason=reason, notify_user=False)
        return
    if appeal.strike is not None:
        strike_resolve(
            actor=actor,
            strike=appeal.strike,
            status=Strike.Status.OVERRULED,
            reason=reason,
            notify_user=False,
        )
        return
    assert appeal.decision is not None  # an appeal contests exactly one measure (appeal_one_target)
    decision, work = lock_decision(appeal.decision)
    if not decision_stands(decision, work):
        raise ApplicationError(
            _(
                "The work changed since the decision (it was edited or decided again); deny the appeal and explain."
            ),
            code="invalid_state",
            status=409,
        )
    _undo(actor=actor, decision=decision, work=work, reason=reason, extra={"appeal": appeal.pk})
    if decision.kind == Decision.Kind.REJECT:
        # The appeal's decider approves what the rejection refused: published as a review approval would.
        work_publish(actor=actor, work=work)
        Decision.objects.create(
            work=work, revision=work.revision, kind=Decision.Kind.APPROVE, message=reason, decided_by=actor
        )
    for strike in decision.strikes.filter(status=Strike.Status.ACTIVE):
        strike_resolve(
            actor=actor, strike=strike, status=Strike.Status.OVERRULED, reason=reason, notify_user=False
        )
