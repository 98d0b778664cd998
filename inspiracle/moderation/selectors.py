"""What moderation reads: the review queue and the uploader's record (MOD-1), appeals (MOD-6), a user's
own standing (sanctions and strikes with what they stop and when they end)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from inspiracle.accounts.permissions import STAFF_CONSOLE, require_capability
from inspiracle.moderation.models import (
    APPEALABLE_DECISIONS,
    Appeal,
    AppealMessage,
    Decision,
    ReviewClaim,
    Sanction,
    Strike,
)
from inspiracle.moderation.restrictions import effects_of
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
    """MOD-1: the creator's record as a reviewer needs it: earlier decisions, strikes and sanctions."""
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
    now = timezone.now()
    return {
        "decisions": decisions,
        **counts,
        "strikes": list(Strike.objects.filter(user=owner).select_related("created_by", "resolved_by")[:20]),
        "sanctions": list(Sanction.objects.filter(user=owner).select_related("created_by", "lifted_by")[:20]),
        "now": now,
    }


def account_record(subject) -> dict:
    """Everything moderation holds on one account, for the staff page of that account."""
    record = uploader_history(subject)
    record["appeals"] = list(_appeals().filter(user=subject))
    record["strikes_counting"] = sum(1 for strike in record["strikes"] if strike.counts(record["now"]))
    return record


def _appeals() -> QuerySet[Appeal]:
    return Appeal.objects.select_related(
        "user__profile",
        "handler",
        "decided_by",
        "decision__work",
        "decision__decided_by",
        "strike__created_by",
        "sanction__created_by",
    )


def appeal_queue(user, *, status: str = Appeal.Status.OPEN) -> QuerySet[Appeal]:
    """Appeals for staff: open ones waiting longest first (the user's last word is the oldest), decided
    ones newest first."""
    require_capability(user, STAFF_CONSOLE)
    if status not in Appeal.Status.values:
        status = Appeal.Status.OPEN
    qs = _appeals().filter(status=status).annotate(message_count=Count("messages"))
    return (
        qs.order_by("last_activity_at", "pk") if status == Appeal.Status.OPEN else qs.order_by("-decided_at")
    )


def appeal_messages(appeal) -> list[AppealMessage]:
    return list(appeal.messages.select_related("author__profile"))


def standing_for_user(user) -> dict:
    """What a user sees of their own standing: measures in force with what each stops, earlier ones, strikes
    with their expiry, decisions about their works that can be appealed, and their appeals."""
    now = timezone.now()
    sanctions = list(Sanction.objects.filter(user=user).select_related("appeal"))
    in_force = [s for s in sanctions if s.in_force(now)]
    for sanction in in_force:
        sanction.effects = effects_of(sanction.kind)
    strikes = list(Strike.objects.filter(user=user).select_related("decision__work", "appeal"))
    decisions = list(
        Decision.objects.filter(work__owner=user, kind__in=APPEALABLE_DECISIONS, reversed_at__isnull=True)
        .exclude(work__status=Work.Status.DELETED)
        .select_related("work", "appeal")
        .order_by("-decided_at")[:50]
    )
    return {
        "now": now,
        "in_force": in_force,
        "upcoming": [s for s in sanctions if s.lifted_at is None and s.starts_at > now],
        "past": [
            s for s in sanctions if not s.in_force(now) and not (s.lifted_at is None and s.starts_at > now)
        ],
        "strikes": strikes,
        "strikes_counting": sum(1 for strike in strikes if strike.counts(now)),
        "decisions": decisions,
        "appeals": list(_appeals().filter(user=user)),
    }


def claim_of(work) -> ReviewClaim | None:
    return ReviewClaim.objects.filter(work=work).select_related("moderator").first()
