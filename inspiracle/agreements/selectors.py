"""Reads about agreements: which versions are in force, what a user still has to accept."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from inspiracle.agreements.models import Consent, Document, Version
from inspiracle.core.errors import NotFound


def local_today() -> date:
    """Effective dates are Beijing calendar days (AGR-3)."""
    return timezone.localdate()


def versions_in_force(on: date | None = None) -> list[Version]:
    """The version in force of every document on ``on``: its highest number already effective (AGR-3).
    A version published for a future date comes into force by itself when that day begins."""
    on = on or local_today()
    chosen: dict[int, Version] = {}
    for version in (
        Version.objects.filter(effective_date__lte=on)
        .select_related("document")
        .order_by("document_id", "-number")
    ):
        chosen.setdefault(version.document_id, version)
    return sorted(chosen.values(), key=lambda v: (v.document.position, v.document.slug))


def version_standing(version: Version, on: date | None = None) -> str:
    """Where a version stands on ``on`` (a Beijing calendar day, AGR-3): "in_force", "announced" (its
    effective day has not begun) or "earlier" (superseded). Compared day to day in Beijing time: a version
    published at 23:30 UTC is published on the next Beijing day."""
    on = on or local_today()
    if version.effective_date > on:
        return "announced"
    current = next((v for v in versions_in_force(on) if v.document_id == version.document_id), None)
    return "in_force" if current is not None and current.pk == version.pk else "earlier"


def required_versions_in_force(on: date | None = None) -> list[Version]:
    return [v for v in versions_in_force(on) if v.document.required]


def document_get(slug: str) -> Document:
    document = Document.objects.filter(slug=slug).first()
    if document is None:
        raise NotFound(f"There is no agreement called '{slug}'.")
    return document


def version_get(slug: str, number: int) -> Version:
    version = Version.objects.select_related("document").filter(document__slug=slug, number=number).first()
    if version is None:
        raise NotFound(f"Agreement '{slug}' has no version {number}.")
    return version


def version_list_for_public(slug: str) -> list[Version]:
    """Every published version, newest first, including ones not yet in force (announced in advance)."""
    return list(Version.objects.filter(document__slug=slug).select_related("document").order_by("-number"))


@dataclass
class GateStatus:
    """Where a signed-in user stands with the agreements in force (REG-3, AGR-4)."""

    missing: list[Version] = field(default_factory=list)  # must be accepted before uploading anything
    by_notice: list[Version] = field(default_factory=list)  # notice-only: continued use counts as acceptance

    @property
    def ok(self) -> bool:
        return not self.missing


def gate_status(user, on: date | None = None) -> GateStatus:
    status = GateStatus()
    if not user.is_authenticated:
        status.missing = required_versions_in_force(on)
        return status
    in_force = required_versions_in_force(on)
    if not in_force:
        return status
    # For each document: the newest version that demanded explicit acceptance (its first one always does).
    baseline: dict[int, int] = {}
    for doc_id, number, reaccept in Version.objects.filter(
        document_id__in=[v.document_id for v in in_force]
    ).values_list("document_id", "number", "requires_reacceptance"):
        current = next(v for v in in_force if v.document_id == doc_id)
        if number <= current.number and (reaccept or number == 1):
            baseline[doc_id] = max(baseline.get(doc_id, 0), number)
    accepted: dict[int, int] = {}
    for doc_id, number in Consent.objects.filter(user=user).values_list(
        "version__document_id", "version__number"
    ):
        accepted[doc_id] = max(accepted.get(doc_id, 0), number)
    for version in in_force:
        have = accepted.get(version.document_id, 0)
        if have < baseline.get(version.document_id, 1):
            status.missing.append(version)
        elif have < version.number:
            status.by_notice.append(version)
    return status


def consent_list_for_user(user) -> list[Consent]:
    return list(
        Consent.objects.filter(user=user).select_related("version__document").order_by("-accepted_at")
    )
