"""Who may open which report record. A reporter reaches their own reports (signed in, or with the secret key of
the tracking link); an uploader reaches the upheld report's addresses that name their content; a rights holder
their own profiles. Anyone else gets "not found", as for a reference that does not exist (PRV-3)."""

import secrets

from django.utils.translation import gettext as _

from inspiracle.core.errors import NotFound
from inspiracle.reports.models import Report, ReportItem, RightsHolderProfile

# The measures an uploader can see and contest (RPT-8): a kept address concerns them no further.
CONTESTABLE = (ReportItem.Outcome.TAKEN_DOWN, ReportItem.Outcome.MASKED)


def _gone() -> NotFound:
    return NotFound(
        _("There is no such report, or the link is incomplete. Check the reference and the link.")
    )


def is_reporter(user, report: Report, key: str = "") -> bool:
    """The signed-in reporter, or whoever holds the key of the tracking link of a report filed without
    account."""
    if user.is_authenticated and report.reporter_id == user.pk:
        return True
    # Constant time: the key is the only secret of a reporter without account.
    return (
        bool(key)
        and bool(report.access_token)
        and secrets.compare_digest(key.encode(), report.access_token.encode())
    )


def access_report_for_reporter(user, reference: str, key: str = "") -> Report:
    report = Report.objects.select_related("profile", "cited_work").filter(reference=reference).first()
    if report is None or not is_reporter(user, report, key or ""):
        raise _gone()
    return report


def access_item_for_uploader(user, item_id) -> ReportItem:
    """An address of an upheld report that names the user's own work or account, acted on by staff."""
    item = None
    if user.is_authenticated:
        item = (
            ReportItem.objects.select_related("report", "work", "account", "decision")
            .filter(pk=item_id, report__status=Report.Status.UPHELD, outcome__in=CONTESTABLE)
            .first()
        )
    if item is None or item.owner_id != user.pk:
        raise _gone()
    return item


def access_profile_for_owner(user, profile_id) -> RightsHolderProfile:
    profile = None
    if user.is_authenticated:
        profile = RightsHolderProfile.objects.filter(pk=profile_id, owner=user).first()
    if profile is None:
        raise NotFound(_("There is no such rights holder profile."))
    return profile
