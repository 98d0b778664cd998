"""Abuse in threads (COM-7, MOD-5): a participant reports a message or a whole thread; staff read the reported
thread (audited, MOD-8) and dismiss the report or act on it: the message is hidden, or the thread closed.
A sanction on the reported account is then the staff account page's work (moderation), linked from the
report; this module imposes none."""

from datetime import datetime
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import require_capability
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError, NotFound
from inspiracle.messaging.actions import Action
from inspiracle.messaging.models import Attachment, Message, Participant, Thread, ThreadReport
from inspiracle.messaging.permissions import REVIEW
from inspiracle.messaging.services.threads import clean_text, thread_close, thread_link
from inspiracle.notifications.services import notify

REASON_LIMIT = 2000
NOTE_LIMIT = 2000
Outcome = Literal["dismiss", "action"]


def thread_report(
    *, reporter: User, thread: Thread, reason: str, message: Message | None = None
) -> ThreadReport:
    """A participant reports abuse: one message of the other side, or the thread as a whole. Allowed under
    any sanction: being restricted does not take away the right to report abuse."""
    reason = clean_text(reason, limit=REASON_LIMIT, field="reason")
    others = list(
        Participant.objects.filter(thread=thread).exclude(user=reporter).values_list("user", flat=True)
    )
    if len(others) != 1 or not Participant.objects.filter(thread=thread, user=reporter).exists():
        raise NotFound(_("There is no such conversation."))
    if message is not None:
        if message.thread_id != thread.pk or message.is_hidden:
            raise NotFound(_("There is no such message."))
        if message.sender_id == reporter.pk:
            raise ApplicationError(_("This is your own message; report what the other person wrote."))
    with transaction.atomic():
        # Why the lock: two clicks on "report" must not both pass the check for an open report below.
        Thread.objects.select_for_update().filter(pk=thread.pk).first()
        if ThreadReport.objects.filter(
            thread=thread, message=message, reporter=reporter, status=ThreadReport.Status.OPEN
        ).exists():
            raise ApplicationError(
                _("You have reported this already; staff will look at it and tell you what they decided."),
                code="already_reported",
                status=409,
            )
        report = ThreadReport(
            thread=thread,
            message=message,
            reporter=reporter,
            reported_user_id=message.sender_id if message else others[0],
            reason=reason,
        )
        report.full_clean()
        report.save()
        audit_record(
            action=Action.REPORT_FILED,
            actor=reporter,
            target=report,
            data={"thread": thread.pk, "message": message.pk if message else None},
        )
    return report


def thread_review_open(*, actor: User, report: ThreadReport) -> list[Message]:
    """The reported thread's messages for the staff member handling the report, each reading audited (MOD-8:
    people put personal information in messages). The access function checked the role and the report."""
    require_capability(actor, REVIEW)
    audit_record(action=Action.THREAD_REVIEWED, actor=actor, target=report.thread, data={"report": report.pk})
    messages = Message.objects.filter(thread=report.thread).select_related("sender__profile")
    return list(messages.prefetch_related("attachments"))


def attachment_review_open(*, actor: User, attachment: Attachment) -> Attachment:
    """A file of a reported thread for the staff member handling the report, audited like the thread."""
    require_capability(actor, REVIEW)
    audit_record(
        action=Action.THREAD_REVIEWED,
        actor=actor,
        target=attachment.message.thread,
        data={"attachment": attachment.pk},
    )
    return attachment


def thread_report_decide(
    *, actor: User, report: ThreadReport, outcome: Outcome, note: str = "", now: datetime | None = None
) -> ThreadReport:
    """Dismiss the report, or act on it: hide the reported message, or close a reported thread. The reporter
    is told the outcome; the reported user is told what was done."""
    require_capability(actor, REVIEW)
    if outcome not in ("dismiss", "action"):
        raise ApplicationError(_("Choose an outcome."), fields={"outcome": [_("Choose an outcome.")]})
    note = (note or "").replace("\x00", "").strip()[:NOTE_LIMIT]
    now = now or timezone.now()
    with transaction.atomic():
        # of=("self",): PostgreSQL refuses FOR UPDATE on the nullable side of the message outer join.
        report = (
            ThreadReport.objects.select_for_update(of=("self",))
            .select_related("thread", "message")
            .get(pk=report.pk)
        )
        if report.status != ThreadReport.Status.OPEN:
            raise ApplicationError(_("This report is already decided."), code="invalid_state", status=409)
        if Participant.objects.filter(thread=report.thread, user=actor).exists():
            raise ApplicationError(
                _("You take part in this conversation; another staff member must decide the report."),
                code="own_thread",
                status=403,
            )
        if outcome == "action" and report.message is not None:
            message_hide(actor=actor, message=report.message, now=now)
        elif outcome == "action":
            thread_close(thread=report.thread, actor=actor, now=now)
            notify(
                user=report.reported_user,
                template="thread_closed",
                params={"title": report.thread.topic},
                link=thread_link(report.thread),
            )
        status = ThreadReport.Status.ACTIONED if outcome == "action" else ThreadReport.Status.DISMISSED
        report.status, report.decided_at, report.decided_by, report.staff_note = status, now, actor, note
        report.full_clean()
        report.save(update_fields=["status", "decided_at", "decided_by", "staff_note"])
        audit_record(
            action=Action.REPORT_DECIDED,
            actor=actor,
            target=report,
            reason=note,
            data={"outcome": status, "thread": report.thread_id, "message": report.message_id},
        )
        notify(
            user=report.reporter,
            template="message_report_decided",
            params={"title": report.thread.topic, "outcome": ThreadReport.Status(status).label},
            link=thread_link(report.thread),
        )
    return report


def message_hide(*, actor: User, message: Message, now: datetime | None = None) -> Message:
    """Staff hide a message: kept for the record, shown to nobody but staff, its files no longer handed out.
    Its sender is told."""
    require_capability(actor, REVIEW)
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("thread", "sender")
            .get(pk=message.pk)
        )
        if message.hidden_at is None:
            message.hidden_at, message.hidden_by = now or timezone.now(), actor
            message.save(update_fields=["hidden_at", "hidden_by"])
            audit_record(
                action=Action.MESSAGE_HIDDEN,
                actor=actor,
                target=message.thread,
                target_label=f"message {message.pk}",
                data={"message": message.pk},
            )
            notify(
                user=message.sender,
                template="message_hidden",
                params={"title": message.thread.topic},
                link=thread_link(message.thread),
            )
    return message
