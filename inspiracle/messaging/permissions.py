"""Who may open which thread, message and file (COM-7, PRV-3). Nobody reads a thread they are not party to:
anyone else gets "not found", exactly as for an id that does not exist. Staff read a thread only while an
abuse report about it is open, and only in the roles that handle abuse (MOD-7); that reading is audited by
``services.thread_review_open`` (MOD-8)."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import SANCTIONS_APPLY, require_capability
from inspiracle.core.errors import NotFound
from inspiracle.messaging.models import Attachment, Message, Thread, ThreadReport

# Abuse in threads leads to hidden messages and sanctions: the staff who may apply sanctions handle it.
REVIEW = SANCTIONS_APPLY


def _no_thread() -> NotFound:
    return NotFound(_("There is no such conversation."))


def access_thread_for_participant(user: User | AnonymousUser, thread_id: int) -> Thread:
    thread = None
    if user.is_authenticated:
        thread = Thread.objects.filter(pk=thread_id, participants__user=user).first()
    if thread is None:
        raise _no_thread()
    return thread


def access_message_for_report(user: User | AnonymousUser, message_id: int) -> Message:
    """A message the user may report: one they can see, in a thread they take part in."""
    message = None
    if user.is_authenticated:
        message = (
            Message.objects.filter(pk=message_id, hidden_at__isnull=True, thread__participants__user=user)
            .select_related("thread")
            .first()
        )
    if message is None:
        raise NotFound(_("There is no such message."))
    return message


def access_attachment_for_download(user: User | AnonymousUser, attachment_id: int) -> Attachment:
    """A file of a visible message, for the thread's participants."""
    attachment = None
    if user.is_authenticated:
        attachment = Attachment.objects.filter(
            pk=attachment_id, message__hidden_at__isnull=True, message__thread__participants__user=user
        ).first()
    if attachment is None:
        raise NotFound(_("There is no such file."))
    return attachment


def _open_report_on(thread_field: str) -> Exists:
    return Exists(ThreadReport.objects.filter(thread=OuterRef(thread_field), status=ThreadReport.Status.OPEN))


def access_report_for_staff(user: User | AnonymousUser, report_id: int) -> ThreadReport:
    require_capability(user, REVIEW)
    report = (
        ThreadReport.objects.select_related("thread", "message", "reporter", "reported_user", "decided_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise NotFound(_("There is no such report."))
    return report


def access_thread_for_staff_review(user: User | AnonymousUser, thread_id: int) -> Thread:
    """A thread an open abuse report names, for staff handling abuse; any other thread does not exist."""
    require_capability(user, REVIEW)
    thread = Thread.objects.filter(_open_report_on("pk"), pk=thread_id).first()
    if thread is None:
        raise _no_thread()
    return thread


def access_attachment_for_staff_review(user: User | AnonymousUser, attachment_id: int) -> Attachment:
    """A file (hidden or not) in a thread an open abuse report names, for staff handling abuse."""
    require_capability(user, REVIEW)
    attachment = Attachment.objects.filter(_open_report_on("message__thread"), pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("There is no such file."))
    return attachment
