import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from inspiracle.notifications.messages import render
from inspiracle.reports.models import Report
from inspiracle.reports.notices import tracking_link
from inspiracle.reports.services.decisions import reports_purge

log = logging.getLogger(__name__)
RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 60, "max_retries": 5}


@shared_task(name="reports.email_code", **RETRY)
def email_code(email: str, code: str, language: str) -> None:
    """RPT-1: the code that proves a reporter's email address."""
    with translation.override(language):
        EmailMessage(
            subject=_("Inspiracle: your code is %(code)s") % {"code": code},
            body=render_to_string("reports/email/code.txt", {"code": code}),
            to=[email],
        ).send()


@shared_task(name="reports.email_reporter", **RETRY)
def email_reporter(report_id: int, template: str, params: dict) -> bool:
    """A notice about a report to a reporter without an account, in the language they filed it in."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or not report.email:
        return False
    with translation.override(report.language):
        subject, body = render(template=template, params=params)
        EmailMessage(
            subject=_("Inspiracle: %(subject)s") % {"subject": subject},
            body=render_to_string(
                "notifications/email/notification.txt",
                {
                    "body": body,
                    "url": settings.SITE_URL + tracking_link(report),
                    "footer": _("You receive this email because you filed this report with this address."),
                },
            ),
            to=[report.email],
        ).send()
    log.info("emailed reporter of report %s (%s)", report.pk, template)
    return True


@shared_task(name="reports.purge")
def purge() -> int:
    """RPT-10: delete the documents of reports closed longer than the retention period; daily."""
    purged = reports_purge()
    log.info("purged %d report documents", purged)
    return purged
