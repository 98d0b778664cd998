"""Reads of reports, counter-notices and rights holder profiles, shaped for the person who asks.

A reporter sees their report, its addresses and outcomes, never the uploader's details; an uploader sees what
was reported and the measure, never the reporter's identity or contact (RPT-8)."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.licensing.services.requests import request_path
from inspiracle.licensing.terms import terms_lines
from inspiracle.reports.checks import missing_materials
from inspiracle.reports.models import CounterNotice, Evidence, Report, ReportItem, RightsHolderProfile

# --- Reporters ----------------------------------------------------------------------------------------------


def report_list_for_reporter(user) -> list[Report]:
    return list(Report.objects.filter(reporter=user).annotate(item_count=Count("items")))


def item_target_label(item: ReportItem) -> str:
    """What an address shows, as far as the public may still see it: never who uploaded it."""
    if item.work is not None:
        if item.work.is_public:
            return _("Work “%(title)s”") % {"title": item.work.shown_title}
        return _("A work that is no longer public")
    assert item.account is not None  # an address is a work or an account (report_item_one_target)
    if item.account.is_active:
        return _("Profile @%(username)s") % {"username": item.account.username}
    return _("A profile that is no longer public")


def report_items(report: Report) -> list[ReportItem]:
    items = list(report.items.select_related("work", "account", "counter_notice", "licence_request"))
    for item in items:
        item.target_label = item_target_label(item)
        item.notice = getattr(item, "counter_notice", None)
        item.licence_path = request_path(item.licence_request) if item.licence_request is not None else ""
    return items


def licence_offer_lines(report: Report) -> list[tuple[str, str]]:
    """RPT-15: the terms the rights holder offers instead of a takedown, labelled in the reader's language."""
    return terms_lines(report.licence_offer) if report.licence_offer else []


def report_detail_for_reporter(report: Report) -> dict:
    """The report (already checked to be the caller's) with what is still missing, its addresses with their
    outcome and counter-notice state, and the documents attached (names only)."""
    incomplete = report.status == Report.Status.INCOMPLETE
    return {
        "report": report,
        "missing": missing_materials(report) if incomplete else {},
        "items": report_items(report),
        "licence_offer": licence_offer_lines(report),
        "documents": list(report.evidence.filter(purged_at__isnull=True).only("kind", "name", "uploaded_at")),
    }


# --- Uploaders ----------------------------------------------------------------------------------------------


def counter_detail_for_uploader(item: ReportItem) -> dict:
    """What was reported about the uploader's content and the measure (item already checked to be theirs)."""
    report = item.report
    notice = CounterNotice.objects.filter(item=item).first()
    return {
        "item": item,
        "target": item.work.title if item.work is not None else item_target_label(item),
        "category": report.get_category_display(),
        "ip_kind": report.get_ip_kind_display() if report.ip_kind else "",
        "decided_at": report.decided_at,
        "decision": item.decision,
        "notice": notice,
    }


# --- Rights holder profiles (RPT-13) -------------------------------------------------------------------------


def rights_profile_list_for_owner(user) -> list[RightsHolderProfile]:
    now = timezone.now()
    profiles: list[RightsHolderProfile] = []
    for profile in RightsHolderProfile.objects.filter(owner=user).annotate(evidence_count=Count("evidence")):
        profile.is_usable, profile.documents = profile.usable(now), profile.evidence_count
        profiles.append(profile)
    return profiles


def rights_profile_with_documents(profile: RightsHolderProfile) -> tuple[RightsHolderProfile, list[Evidence]]:
    """One profile (already checked to be the owner's) as the profiles page shows it, and its documents."""
    documents = list(profile.evidence.order_by("pk"))
    profile.is_usable, profile.documents = profile.usable(timezone.now()), len(documents)
    return profile, documents


def rights_profiles_usable_for(user) -> list[RightsHolderProfile]:
    if not user.is_authenticated:
        return []
    return list(
        RightsHolderProfile.objects.filter(
            owner=user, status=RightsHolderProfile.Status.VERIFIED, valid_until__gt=timezone.now()
        )
    )
