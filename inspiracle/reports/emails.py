"""E-mails to reporters without an account (RPT-1, RPT-6..RPT-8), rendered when the outbox delivers them."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inspiracle.notifications.messages import render
from inspiracle.outbox.registry import Email, renderer
from inspiracle.reports.models import Report
from inspiracle.reports.notices import tracking_link


@renderer("reports.code")
def code(payload: dict) -> Email:
    """RPT-1: the code that proves a reporter's address. The code exists nowhere else in clear, so the
    (encrypted) payload carries it with the address."""
    with translation.override(payload["language"]):
        return Email(
            to=payload["email"],
            subject=_("Inspiracle: your code is %(code)s") % {"code": payload["code"]},
            body=render_to_string("reports/email/code.txt", {"code": payload["code"]}),
        )


@renderer("reports.reporter")
def reporter(payload: dict) -> Email | None:
    """A notice about a report to a reporter without an account, in the language they filed it in."""
    report = Report.objects.filter(pk=payload["report"]).first()
    if report is None or not report.email:
        return None
    with translation.override(report.language):
        subject, body = render(template=payload["template"], params=payload["params"])
        return Email(
            to=report.email,
            subject=_("Inspiracle: %(subject)s") % {"subject": subject},
            body=render_to_string(
                "notifications/email/notification.txt",
                {
                    "body": body,
                    "url": settings.SITE_URL + tracking_link(report),
                    "footer": _("You receive this email because you filed this report with this address."),
                },
            ),
        )
