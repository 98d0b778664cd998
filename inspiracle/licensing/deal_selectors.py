"""Reads for the deal pages, the printable summary and the staff console's licensing pages (COM-2, COM-6, PRV-4).

The staff reads check the role themselves (MOD-7): a page cannot forget to."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from inspiracle.accounts.models import User
from inspiracle.accounts.permissions import LICENSING_OVERSEE, require_capability
from inspiracle.agreements.models import Version
from inspiracle.licensing.models import ContactDisclosure, Deal, Grant
from inspiracle.licensing.selectors import deal_list_for_staff, disclosure_list_for_staff, register_list
from inspiracle.licensing.terms import scope_labels, terms_lines
from inspiracle.works.models import Work, WorkFile
from inspiracle.works.permissions import can_view_original, can_view_work

DEAL_STATES = ("all", "standing", "annulled")


@dataclass(frozen=True)
class DealWork:
    work: Work
    title: str  # as this reader may see it (a title staff masked stays hidden from the licensee, MOD-4)
    cover: WorkFile | None  # None when the reader may not see the work any more (taken down, deleted)


@dataclass(frozen=True)
class GrantLine:
    grant: Grant
    title: str
    scope: dict[str, str]  # each scope dimension in words


@dataclass(frozen=True)
class DealSummary:
    """What a deal page, its printable summary and its PDF show: the record, never edited (COM-2)."""

    deal: Deal
    works: list[DealWork]
    terms: list[tuple[str, str]]
    licensor_agreements: list[Version]
    licensee_agreements: list[Version]
    grants: list[GrantLine]


def deal_summary(deal: Deal, *, viewer: User) -> DealSummary:
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY, masked_at__isnull=True).order_by(
        "position", "pk"
    )
    works = []
    for work in deal.works.prefetch_related(
        Prefetch("files", queryset=ready, to_attr="ready_files")
    ).order_by("pk"):
        title = work.title if can_view_original(viewer, work) else work.shown_title
        cover = work.ready_files[0] if work.ready_files and can_view_work(viewer, work) else None
        works.append(DealWork(work=work, title=title, cover=cover))
    titles = {shown.work.pk: shown.title for shown in works}
    grants = [
        GrantLine(grant=grant, title=titles.get(grant.work_id, ""), scope=scope_labels(grant.scope))
        for grant in deal.grants.order_by("work_id", "pk")
    ]
    return DealSummary(
        deal=deal,
        works=works,
        terms=terms_lines(deal.proposal.terms),
        licensor_agreements=_versions(deal.licensor_agreements),
        licensee_agreements=_versions(deal.licensee_agreements),
        grants=grants,
    )


def _versions(related) -> list[Version]:
    return list(related.select_related("document").order_by("document__position", "document__slug"))


def deal_list_for_oversight(user: User, *, state: str = "all", reference: str = "") -> QuerySet[Deal]:
    """Every deal, newest first: standing or annulled ones only, or those whose reference contains the text."""
    require_capability(user, LICENSING_OVERSEE)
    deals = deal_list_for_staff(state=state if state in DEAL_STATES else "all")
    reference = reference.strip().replace("\x00", "")[:16]  # PostgreSQL refuses NUL in text
    return deals.filter(reference__icontains=reference) if reference else deals


def register_for_oversight(user: User, *, work_id: int | None, exclusive_only: bool) -> QuerySet[Grant]:
    """COM-6: the register of grants, of one work and exclusive ones only if asked."""
    require_capability(user, LICENSING_OVERSEE)
    return register_list(work_id=work_id, exclusive_only=exclusive_only)


def grant_lines(grants) -> list[GrantLine]:
    """Rows of the register in words, for staff (who see titles as stored); ``grants`` come with their work."""
    return [
        GrantLine(grant=grant, title=grant.work.title, scope=scope_labels(grant.scope)) for grant in grants
    ]


def disclosures_for_oversight(user: User) -> QuerySet[ContactDisclosure]:
    """PRV-4: every showing of a party's contact details, newest first."""
    require_capability(user, LICENSING_OVERSEE)
    return disclosure_list_for_staff()
