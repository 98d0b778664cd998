"""Reads of licensing for pages and the API (COM-1, COM-2, COM-6, PRV-4)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Max, Prefetch, Q, QuerySet, When

from inspiracle.accounts.models import User
from inspiracle.agreements.diff import DiffLine, text_diff
from inspiracle.licensing.models import ContactDisclosure, Deal, Grant, LicenceRequest, Proposal
from inspiracle.licensing.permissions import Moves, moves_for
from inspiracle.licensing.terms import terms_lines, terms_text
from inspiracle.works.models import Work, WorkFile


def request_list_for_party(user: User, *, box: str = "all") -> QuerySet[LicenceRequest]:
    """The user's requests: ``box`` "sent", "received" or "all"; open ones first, newest first."""
    q = {"sent": Q(requester=user), "received": Q(creator=user)}.get(box, Q(requester=user) | Q(creator=user))
    return (
        LicenceRequest.objects.filter(q)
        .select_related("requester__profile", "creator__profile")
        .prefetch_related(Prefetch("works", queryset=Work.objects.only("pk", "title", "title_masked_at")))
        .annotate(
            latest_number=Max("proposals__number"),
            waiting=Case(When(status=LicenceRequest.Status.OPEN, then=0), default=1),
        )
        .order_by("waiting", "-created_at", "-pk")
    )


def deal_list_for_party(user: User) -> QuerySet[Deal]:
    return (
        Deal.objects.filter(Q(licensor=user) | Q(licensee=user))
        .select_related("proposal", "licensor__profile", "licensee__profile")
        .prefetch_related(Prefetch("works", queryset=Work.objects.only("pk", "title", "title_masked_at")))
    )


def deal_list_for_staff(*, state: str = "all") -> QuerySet[Deal]:
    deals = Deal.objects.select_related("proposal", "licensor", "licensee", "request").prefetch_related(
        Prefetch("works", queryset=Work.objects.only("pk", "title", "title_masked_at"))
    )
    if state == "standing":
        return deals.filter(annulled_at__isnull=True)
    if state == "annulled":
        return deals.filter(annulled_at__isnull=False)
    return deals


def register_list(*, work_id: int | None = None, exclusive_only: bool = False) -> QuerySet[Grant]:
    """COM-6: the register, newest grants first; staff see all of it."""
    grants = Grant.objects.select_related("deal", "work", "licensee").order_by("-granted_at", "-pk")
    if work_id is not None:
        grants = grants.filter(work_id=work_id)
    if exclusive_only:
        grants = grants.filter(exclusive=True)
    return grants


def disclosure_list_for_subject(user: User) -> QuerySet[ContactDisclosure]:
    """PRV-4: who saw my contact details, when, through which deal."""
    return ContactDisclosure.objects.filter(subject=user).select_related("viewer__profile", "deal")


def disclosure_list_for_staff() -> QuerySet[ContactDisclosure]:
    return ContactDisclosure.objects.select_related("viewer", "subject", "deal")


@dataclass(frozen=True)
class ProposalView:
    """One version in the thread: its terms as labelled lines, and what changed since the previous one."""

    proposal: Proposal
    lines: list[tuple[str, str]]
    changes: list[
        DiffLine
    ]  # the agreements diff of the terms as text, changed lines only; empty for the first
    changed: list[str]  # labels of the terms that changed


def proposal_views(request: LicenceRequest) -> list[ProposalView]:
    proposals = list(request.proposals.select_related("author__profile").order_by("number"))
    views: list[ProposalView] = []
    previous: dict[str, Any] | None = None
    for proposal in proposals:
        terms = proposal.terms
        lines = terms_lines(terms)
        changes, changed = [], []
        if previous is not None:
            changes = text_diff(terms_text(previous), terms_text(terms), context=0)
            before = dict(terms_lines(previous))
            changed = [label for label, value in lines if before.get(label) != value]
        views.append(ProposalView(proposal=proposal, lines=lines, changes=changes, changed=changed))
        previous = terms
    return views


# The form offers the works asked about and at most this many of the creator's other works: a prolific creator's
# whole portfolio as checkboxes would bury the form (one request covers LICENSING_MAX_WORKS at most anyway).
LICENSABLE_SHOWN = 30


def work_list_licensable(creator: User, *, including: Sequence[int] = ()) -> QuerySet[Work]:
    """COM-1: the creator's published works one request may name: the works asked about and the newest ones
    open to licensing. A closed work asked about stays in the list, so that the service says why it cannot be."""
    published = Work.objects.filter(owner=creator, status=Work.Status.PUBLISHED)
    newest = published.filter(open_to_licensing=True).order_by("-published_at", "-pk")[:LICENSABLE_SHOWN]
    return published.filter(pk__in=[*including, *newest.values_list("pk", flat=True)]).order_by(
        "-published_at", "-pk"
    )


@dataclass(frozen=True)
class RequestPage:
    """Everything a party reads on a request's page: the works, every version, what they may do next."""

    request: LicenceRequest
    works: Sequence[Work]  # each with ``ready_files``
    versions: list[ProposalView]
    latest: Proposal
    moves: Moves
    deal_reference: str


def request_page_for_party(user: User, request: LicenceRequest) -> RequestPage:
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY, masked_at__isnull=True).order_by(
        "position", "pk"
    )
    works = list(
        request.works.prefetch_related(Prefetch("files", queryset=ready, to_attr="ready_files")).order_by(
            "pk"
        )
    )
    versions = proposal_views(request)
    latest = versions[-1].proposal
    deal = Deal.objects.filter(request=request).values_list("reference", flat=True).first()
    return RequestPage(
        request=request,
        works=works,
        versions=versions,
        latest=latest,
        moves=moves_for(user, request, latest),
        deal_reference=deal or "",
    )
