"""Telling a reporter about their report (RPT-6, RPT-7, RPT-8): in the inbox and by email when they have an
account, by email to the proven address (with the report's tracking link) when they do not."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from inspiracle.notifications.messages import Message, stored_params
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


# RPT-15: how a licence offered instead of a takedown ended, registered with notifications (apps.py).
MESSAGES = {
    "report_licence_agreed": Message(
        "report.licence_agreed",
        _("The licence for report %(reference)s is agreed"),
        _(
            "The uploader accepted the licence you offered for “%(title)s” (licensing request %(request)s). This "
            "address of your report %(reference)s is resolved without a takedown or a strike."
        ),
    ),
    "report_licence_not_agreed": Message(
        "report.licence_not_agreed",
        _("The licence for report %(reference)s was not agreed"),
        _(
            "Licensing request %(request)s about “%(title)s” ended without agreement (%(outcome)s). As the legal "
            "officer decided for this case, the work named in your report %(reference)s is taken down."
        ),
    ),
    "report_licence_fallback": Message(
        "report.licence_fallback",
        _("“%(title)s” is taken down: the licence was not agreed"),
        _(
            "A report about “%(title)s” was upheld, and the rights holder offered you a licence instead of a "
            "takedown (licensing request %(request)s). It ended without agreement (%(outcome)s), so the work is "
            "taken down, as the legal officer decided. The reporter's personal details are not shared."
        ),
        _(
            "If you believe the report is wrong, send a counter-notice with your explanation and proof from the "
            "link below; staff may restore the content."
        ),
    ),
}
