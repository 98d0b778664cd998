"""E-mails of the staff console, rendered when the outbox delivers them, in the recipient's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from inspiracle.accounts.models import RegistrationInfo, User
from inspiracle.outbox.registry import Email, renderer
from inspiracle.reports.models import Report
from inspiracle.reports.workdays import BEIJING


@renderer("staff.deadline")
def deadline(payload: dict) -> Email | None:
    """RPT-6: a report nears its deadline (3 working days left) or is overdue. Nothing is sent when the report
    was decided meanwhile, or the officer left the role or has no address."""
    report = Report.objects.filter(pk=payload["report"], status=Report.Status.ACCEPTED).first()
    officer = User.objects.filter(
        pk=payload["user"], staff_role=User.StaffRole.LEGAL_OFFICER, is_active=True
    ).first()
    info = RegistrationInfo.objects.filter(user_id=payload["user"]).first()
    if report is None or officer is None or info is None or not info.email or report.due_at is None:
        return None
    overdue = payload["threshold"] == "overdue"
    with translation.override(officer.language):
        due = formats.date_format(timezone.localtime(report.due_at, BEIJING), "DATETIME_FORMAT")
        subject = (
            _("Inspiracle: report %(reference)s is overdue")
            if overdue
            else _("Inspiracle: report %(reference)s is due in 3 working days")
        ) % {"reference": report.reference}
        body = render_to_string(
            "staff/email/deadline.txt",
            {
                "reference": report.reference,
                "due": due,
                "overdue": overdue,
                "url": settings.SITE_URL + reverse("reports_staff:report", args=[report.reference]),
            },
        )
    return Email(to=info.email, subject=subject, body=body)
