"""Telling a reporter about their report (RPT-6, RPT-7, RPT-8): in the inbox and by email when they have an
account, by email to the proven address (with the report's tracking link) when they do not."""

from django.urls import reverse
from django.utils.http import urlencode

from inspiracle.notifications.messages import stored_params
from inspiracle.notifications.services import notify
from inspiracle.outbox.services import outbox_email
from inspiracle.reports.models import Report


def report_link(report: Report) -> str:
    """The report's page, with no secret in it: its reporter reaches it signed in, or with the cookie that
    opening the tracking link left."""
    return reverse("reports:detail", args=[report.reference])


def tracking_link(report: Report) -> str:
    """The link a reporter without an account is emailed (and shown once): the page with the secret key.
    Opening it exchanges the key for a cookie and lands on the clean address, so the key is in one request
    line only (the access log redacts it)."""
    path = report_link(report)
    return f"{path}?{urlencode({'key': report.access_token})}" if report.access_token else path


def tell_reporter(report: Report, template: str, params: dict) -> None:
    """Call inside the transaction of the change it reports."""
    if report.reporter is not None:
        notify(user=report.reporter, template=template, params=params, link=report_link(report))
        return
    outbox_email(
        kind="reports.reporter",
        payload={"report": report.pk, "template": template, "params": stored_params(params)},
    )
