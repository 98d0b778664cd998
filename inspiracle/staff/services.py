"""What the staff console changes or reads with side effects: the audit log (read is audited), user search by
personal data (audited), internal notes, the dashboard's counts and the deadline reminders to legal officers."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import (
    ACCOUNTS_VERIFY,
    AUDIT_READ,
    PII_READ,
    REPORTS_HANDLE,
    STAFF_CONSOLE,
    has_capability,
    require_capability,
)
from inspiracle.accounts.services import email_index, mobile_index
from inspiracle.accounts.validation import normalize_email, normalize_phone
from inspiracle.audit.models import AuditEvent
from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.models import Appeal
from inspiracle.outbox.services import outbox_email
from inspiracle.reports.models import Report
from inspiracle.reports.workdays import add_working_days
from inspiracle.staff.models import NOTE_MAX_CHARS, DeadlineReminder, StaffNote
from inspiracle.staff.selectors import verification_queue_for_staff
from inspiracle.works.models import Work

SEARCH_LIMIT = 50
SEARCH_BY = ("name", "email", "phone")
# RPT-6: legal officers are e-mailed when a report has this many PRC working days left, and when it is overdue.
NEAR_WORKING_DAYS = 3


def audit_log_open(
    user,
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log for legal officers and administrators (AUD-1), newest first, filtered by the start of the
    action, the actor's username, the target (its label or id) and the days (inclusive, in the site's time
    zone). The log holds IP addresses and user agents, so reading it is itself recorded (MOD-8)."""
    require_capability(user, AUDIT_READ)
    if since and until and since > until:
        raise ApplicationError(
            _("The first day comes after the last day."),
            fields={"until": [_("Choose a day after the first.")]},
            status=422,  # a search's parameters, like a malformed one
        )
    events = AuditEvent.objects.order_by("-seq")
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label=actor.lower())
    if target:
        events = events.filter(Q(target_label__icontains=target) | Q(target_id=target))
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        events = events.filter(at__lte=datetime.combine(until, time.max, tzinfo=zone))
    audit_record(
        action="pii.viewed",
        actor=user,
        data={
            "what": "audit_log",
            "action": action,
            "actor": actor,
            "target": target,
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
        },
    )
    return events


def user_search(actor, *, query: str, by: str = "name") -> list[User]:
    """Accounts found by username or display name (part of either, any staff), or by the exact e-mail address
    or mobile number through their blind indexes (roles that may read personal information, MOD-7). A search
    by personal data is audited without the value searched for (MOD-8)."""
    require_capability(actor, STAFF_CONSOLE)
    query = (query or "").strip()
    if by not in SEARCH_BY:
        raise ApplicationError(
            _("Search by name, email or phone."),
            fields={"by": [_("Choose name, email or phone.")]},
            status=422,
        )
    users = User.objects.select_related("profile").order_by("username")
    if by == "name":
        if not query:
            return list(users.exclude(staff_role="")[:SEARCH_LIMIT])
        found = users.filter(Q(username__icontains=query) | Q(profile__display_name__icontains=query))
        return list(found[:SEARCH_LIMIT])
    require_capability(actor, PII_READ)
    try:
        if by == "email":
            value = normalize_email(query)
            lookup = Q(registration__email_index=email_index(value)) if value else None
        else:
            value = normalize_phone(query, mobile=None) if query else ""
            lookup = Q(registration__mobile_index=mobile_index(value)) if value else None
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], fields={"q": exc.messages}, status=422) from None
    if lookup is None:
        message = _("Enter what to search for.")
        raise ApplicationError(message, fields={"q": [message]}, status=422)
    with transaction.atomic():
        found_users = list(users.filter(lookup)[:SEARCH_LIMIT])
        audit_record(
            action="pii.searched",
            actor=actor,
            target=found_users[0] if len(found_users) == 1 else None,
            data={"by": by, "found": [u.pk for u in found_users]},
        )
    return found_users


# Notes ------------------------------------------------------------------------------------------------------

type NoteSubject = User | Work | Report


def _note_filter(subject: NoteSubject) -> dict:
    if isinstance(subject, User):
        return {"user": subject}
    if isinstance(subject, Work):
        return {"work": subject}
    return {"report": subject}


def _require_note_access(actor, subject: NoteSubject) -> None:
    # Reports, their parties and what staff think of them are for the roles that handle reports (MOD-7).
    require_capability(actor, REPORTS_HANDLE if isinstance(subject, Report) else STAFF_CONSOLE)


def note_list(actor, subject: NoteSubject) -> list[StaffNote]:
    """The internal notes on a user, work or report, newest first (staff only)."""
    _require_note_access(actor, subject)
    return list(StaffNote.objects.filter(**_note_filter(subject)).select_related("author"))


def note_add(*, actor, subject: NoteSubject, text: str) -> StaffNote:
    """Append an internal note (at most 2,000 characters); audited. Notes are never edited or deleted."""
    _require_note_access(actor, subject)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write the note first."), fields={"text": [_("Write the note first.")]})
    if len(text) > NOTE_MAX_CHARS:
        message = _("A note has at most %(max)d characters; this one has %(n)d.") % {
            "max": NOTE_MAX_CHARS,
            "n": len(text),
        }
        raise ApplicationError(message, fields={"text": [message]})
    with transaction.atomic():
        note = StaffNote.objects.create(author=actor, text=text, **_note_filter(subject))
        audit_record(action="staff.note_added", actor=actor, target=subject, data={"note": note.pk})
    return note


# Dashboard --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int
    url: str


def dashboard_counts(actor, now: datetime | None = None) -> list[Count]:
    """The console's counts, each linking to its list, only for the lists the role may open."""
    require_capability(actor, STAFF_CONSOLE)
    now = now or timezone.now()
    counts = [
        Count(
            "awaiting_review",
            _("Works awaiting review"),
            Work.objects.filter(status=Work.Status.AWAITING_REVIEW).count(),
            reverse("moderation:queue"),
        ),
        Count(
            "open_appeals",
            _("Open appeals"),
            Appeal.objects.filter(status=Appeal.Status.OPEN).count(),
            reverse("moderation_staff:appeals"),
        ),
    ]
    if has_capability(actor, REPORTS_HANDLE):
        near, _conservative = add_working_days(now, NEAR_WORKING_DAYS)
        accepted = Report.objects.filter(status=Report.Status.ACCEPTED)
        queue = reverse("reports_staff:queue")
        counts += [
            Count("reports_overdue", _("Reports overdue"), accepted.filter(due_at__lt=now).count(), queue),
            Count(
                "reports_due_soon",
                _("Reports due within 3 working days"),
                accepted.filter(due_at__gte=now, due_at__lte=near).count(),
                queue,
            ),
            Count(
                "reports_due_later", _("Reports due later"), accepted.filter(due_at__gt=near).count(), queue
            ),
        ]
    if has_capability(actor, ACCOUNTS_VERIFY):
        counts.append(
            Count(
                "awaiting_verification",
                _("Organizations awaiting verification"),
                verification_queue_for_staff(actor).count(),
                reverse("staff:verification"),
            )
        )
    return counts


# Deadline reminders -----------------------------------------------------------------------------------------


def _remind(report_id: int, threshold: str, officers: list[int]) -> bool:
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(report_id=report_id, threshold=threshold)
            for officer in officers:
                outbox_email(
                    kind="staff.deadline",
                    payload={"report": report_id, "threshold": threshold, "user": officer},
                )
    except IntegrityError:
        return False  # another run recorded it first: it sent the mail
    return True


def deadline_reminders_send(now: datetime | None = None) -> int:
    """RPT-6: e-mail every legal officer once when a report under review has 3 PRC working days left, and once
    when it is overdue. Returns the number of reminders recorded (each to every officer)."""
    now = now or timezone.now()
    near, _conservative = add_working_days(now, NEAR_WORKING_DAYS)
    officers = list(
        User.objects.filter(staff_role=User.StaffRole.LEGAL_OFFICER, is_active=True).values_list(
            "pk", flat=True
        )
    )
    accepted = Report.objects.filter(status=Report.Status.ACCEPTED, due_at__lte=near)
    sent = 0
    for report_id, due_at in (
        accepted.filter(due_at__isnull=False).values_list("pk", "due_at").order_by("due_at", "pk")
    ):
        done = set(DeadlineReminder.objects.filter(report_id=report_id).values_list("threshold", flat=True))
        if due_at is not None and due_at < now:
            if DeadlineReminder.Threshold.OVERDUE not in done:
                sent += _remind(report_id, DeadlineReminder.Threshold.OVERDUE, officers)
            if DeadlineReminder.Threshold.NEAR not in done:
                # Past the deadline already: "nearly due" would only repeat the overdue mail.
                DeadlineReminder.objects.get_or_create(
                    report_id=report_id, threshold=DeadlineReminder.Threshold.NEAR
                )
        elif DeadlineReminder.Threshold.NEAR not in done:
            sent += _remind(report_id, DeadlineReminder.Threshold.NEAR, officers)
    return sent
