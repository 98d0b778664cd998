"""Telling a reporter about their report (RPT-6, RPT-7, RPT-8): in the inbox and by email when they have an
account, by email to the proven address (with the report's tracking link) when they do not."""

from django.urls import reverse

from inspiracle.notifications.messages import stored_params
from inspiracle.notifications.services import notify
from inspiracle.outbox.services import outbox_email
from inspiracle.reports.models import Report


def report_link(report: Report) -> str:
    """The report's page: its reporter's when signed in; with the secret key for a reporter without account."""
    path = reverse("reports:detail", args=[report.reference])
    return f"{path}?key={report.access_token}" if report.access_token else path


def tell_reporter(report: Report, template: str, params: dict) -> None:
    """Call inside the transaction of the change it reports."""
    if report.reporter_id:
        notify(user=report.reporter, template=template, params=params, link=report_link(report))
        return
    outbox_email(
        kind="reports.reporter",
        payload={"report": report.pk, "template": template, "params": stored_params(params)},
    )
