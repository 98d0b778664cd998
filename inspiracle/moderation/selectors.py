"""What reviewers read (MOD-1): the queue, one item with everything needed to decide it, the uploader's record."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.moderation.models import Decision, ReviewClaim
from inspiracle.works.models import Category, Match, Work, WorkFile

FLAGS = ("matches", "screening", "not_scanned")


def review_queue(user, *, category: str = "", flag: str = "", uploader: str = "") -> QuerySet[Work]:
    """Works awaiting review, the longest waiting first, with their covers, claims and match counts."""
    require_capability(user, STAFF_CONSOLE)
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY).order_by("position", "pk")
    qs = Work.objects.filter(status=Work.Status.AWAITING_REVIEW)
    if category in Category.values:
        qs = qs.filter(category=category)
    if uploader:
        qs = qs.filter(owner__username=uploader.strip().lower().replace("\x00", ""))
    if flag == "matches":
        qs = qs.filter(Exists(Match.objects.filter(file__work=OuterRef("pk"))))
    elif flag == "screening":
        qs = qs.exclude(screening_hits=[])
    elif flag == "not_scanned":
        qs = qs.filter(files__scan=WorkFile.Scan.NOT_SCANNED).distinct()
    return (
        qs.select_related("owner__profile", "review_claim__moderator")
        .prefetch_related(Prefetch("files", queryset=ready, to_attr="ready_files"))
        .annotate(match_count=Count("files__matches", distinct=True))
        .order_by("submitted_at", "uploaded_at", "pk")
    )


def uploader_history(owner) -> dict:
    """MOD-1: the creator's earlier decisions (strikes and sanctions join them in later issues)."""
    decisions = list(
        Decision.objects.filter(work__owner=owner)
        .select_related("work", "decided_by")
        .order_by("-decided_at")[:20]
    )
    counts = Decision.objects.filter(work__owner=owner, reversed_at__isnull=True).aggregate(
        approved=Count("pk", filter=Q(kind=Decision.Kind.APPROVE)),
        rejected=Count("pk", filter=Q(kind=Decision.Kind.REJECT)),
        corrections=Count("pk", filter=Q(kind=Decision.Kind.CORRECTION)),
    )
    return {"decisions": decisions, **counts}


def claim_of(work) -> ReviewClaim | None:
    return ReviewClaim.objects.filter(work=work).select_related("moderator").first()
