"""What moderation reads: the review queue and the uploader's record (MOD-1), appeals (MOD-6), a user's
own standing (sanctions and strikes with what they stop and when they end)."""

from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext as _

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
from inspiracle.reasons import reason_label
from inspiracle.standing import effects_of, until_text
from inspiracle.works.models import Category, Match, Work, WorkFile

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

FLAGS = ("matches", "screening", "not_scanned")


class _MatchCount(TypedDict):
    match_count: int


# A work in the review queue, annotated with how many similar files its files have.
type QueuedWork = WithAnnotations[Work, _MatchCount]


def review_queue(user, *, category: str = "", flag: str = "", uploader: str = "") -> QuerySet[QueuedWork]:
    """Works awaiting review, the longest waiting first, with their covers, claims and match counts."""
    require_capability(user, STAFF_CONSOLE)
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY).order_by("position", "pk")
    # A closed (cancelled) account's kept works wait for their case, not for review (ACC-3).
    qs = Work.objects.filter(status=Work.Status.AWAITING_REVIEW, owner__is_active=True)
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


def appeal_records() -> QuerySet[Appeal]:
    """Appeals with what every page of them shows: the appellant, the handler, the measure and its author."""
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
    qs = appeal_records().filter(status=status).annotate(message_count=Count("messages"))
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
        "appeals": list(appeal_records().filter(user=user)),
    }


# The state each decision leaves its work in: while the work is so, and the decision is its latest, it stands.
EXPECTED_STATUS: dict[str, Work.Status] = {
    Decision.Kind.APPROVE: Work.Status.PUBLISHED,
    Decision.Kind.REJECT: Work.Status.DECLINED,
    Decision.Kind.CORRECTION: Work.Status.CHANGES_REQUESTED,
    Decision.Kind.TAKEDOWN: Work.Status.TAKEN_DOWN,
    Decision.Kind.MASK: Work.Status.PUBLISHED,
}


def decision_stands(decision: Decision, work: Work) -> bool:
    """Whether ``decision`` still shapes ``work``: not undone, the latest one, the work as it left it."""
    latest = work.decisions.filter(reversed_at__isnull=True).order_by("-decided_at", "-pk").first()
    return not decision.reversed_at and latest == decision and work.status == EXPECTED_STATUS[decision.kind]


def measure_stands(target, now=None) -> bool:
    """Whether a measure can still be appealed: a decision still shaping its work, an active strike, a
    sanction not yet ended."""
    now = now or timezone.now()
    if isinstance(target, Decision):
        return target.kind in APPEALABLE_DECISIONS and decision_stands(target, target.work)
    if isinstance(target, Strike):
        return target.status == Strike.Status.ACTIVE
    return target.lifted_at is None and (target.ends_at is None or target.ends_at > now)


def claim_of(work) -> ReviewClaim | None:
    return ReviewClaim.objects.filter(work=work).select_related("moderator").first()


# --- A user's own measures and appeals, as the standing pages and the API show them (MOD-5, MOD-6) ----------
# Never who took a measure or who answers an appeal: staff identities are not shown to users.

_FIELD = {Decision: "decision", Strike: "strike", Sanction: "sanction"}


def measure_for_user(measure, *, appeal: Appeal | None = None, stands: bool = False, now=None) -> dict:
    """One decision, strike or sanction as its user reads it: what, why, since and until when, what it stops,
    and whether it can still be appealed (``stands`` and no ``appeal`` yet)."""
    now = now or timezone.now()
    reason, explanation = reason_label(measure.reason_code) if measure.reason_code else ("", "")
    summary = {
        "type": _FIELD[type(measure)],
        "id": measure.pk,
        "kind": "strike",
        "label": "",
        "reason_code": measure.reason_code,
        "reason": reason,
        "explanation": explanation,
        "message": "",
        "statement": "",
        "starts_at": None,
        "ends_at": None,
        "ended_at": None,
        "until": "",
        "effects": [],
        "work": None,
        "status": "",
        "status_label": "",
        "counts": False,
        "appeal": appeal,
        "appealable": stands and appeal is None,
    }
    if isinstance(measure, Decision):
        label = measure.get_kind_display()
        if measure.masked_part:
            label = f"{label} ({measure.get_masked_part_display()})"
        summary.update(
            kind=measure.kind,
            label=label,
            message=measure.shown_message,
            statement=measure.statement,
            starts_at=measure.decided_at,
            work=measure.work,
        )
    elif isinstance(measure, Strike):
        summary.update(
            label=_("Strike"),
            message=measure.note,
            starts_at=measure.created_at,
            ends_at=measure.expires_at,
            work=measure.decision.work if measure.decision is not None else None,
            status=measure.status,
            status_label=measure.get_status_display(),
            counts=measure.counts(now),
        )
    else:
        ended = measure.lifted_at or (measure.ends_at if measure.ends_at and measure.ends_at <= now else None)
        summary.update(
            kind=measure.kind,
            label=measure.get_kind_display(),
            message=measure.shown_message,
            statement=measure.statement,
            starts_at=measure.starts_at,
            ends_at=measure.ends_at,
            ended_at=ended,
            until=until_text(measure),
            effects=effects_of(measure.kind),
        )
    return summary


def _appeal_of(measure) -> Appeal | None:
    """The appeal already loaded with the measure (``select_related("appeal")``), if there is one."""
    try:
        return measure.appeal
    except Appeal.DoesNotExist:
        return None


def _decisions_standing(decisions: list[Decision]) -> set[int]:
    """The ids of ``decisions`` that still shape their works, as ``decision_stands`` decides it for one, in
    one query for all of them: not undone, the latest decision on the work, the work as it left it."""
    latest = Decision.objects.filter(work=OuterRef("pk"), reversed_at__isnull=True).order_by(
        "-decided_at", "-pk"
    )
    latest_by_work = dict(
        Work.objects.filter(pk__in={d.work_id for d in decisions})
        .annotate(latest=Subquery(latest.values("pk")[:1]))
        .values_list("pk", "latest")
    )
    return {
        d.pk
        for d in decisions
        if d.reversed_at is None
        and latest_by_work.get(d.work_id) == d.pk
        and d.work.status == EXPECTED_STATUS[d.kind]
    }


def _with_measures(appeals: list[Appeal], now) -> list[Appeal]:
    """Each appeal with ``.measure``, the summary of what it contests."""
    prefetch_related_objects(appeals, "strike__decision__work")
    for appeal in appeals:
        appeal.measure = measure_for_user(appeal.target, appeal=appeal, now=now)
    return appeals


def standing_page_for_user(user) -> dict:
    """``standing_for_user`` with every measure summarised for its reader, in a number of queries that does not
    grow with the number of measures."""
    standing = standing_for_user(user)
    now = standing["now"]
    standing_decisions = _decisions_standing(standing["decisions"])

    def summarise(key: str) -> list[dict]:
        return [
            measure_for_user(
                m,
                appeal=_appeal_of(m),
                # Strikes and sanctions stand or not by their own row; decisions were checked above.
                stands=m.pk in standing_decisions if key == "decisions" else measure_stands(m, now),
                now=now,
            )
            for m in standing[key]
        ]

    return {
        "now": now,
        **{key: summarise(key) for key in ("in_force", "upcoming", "past", "strikes", "decisions")},
        "strikes_counting": standing["strikes_counting"],
        "appeals": _with_measures(standing["appeals"], now),
    }


def measure_detail_for_user(measure) -> dict:
    """One measure (already checked to be the user's) with its appeal, if any, and whether it still stands."""
    appeal = Appeal.objects.filter(**{_FIELD[type(measure)]: measure}).first()
    return measure_for_user(measure, appeal=appeal, stands=measure_stands(measure))


def appeal_list_for_appellant(user) -> list[Appeal]:
    return _with_measures(list(appeal_records().filter(user=user)), timezone.now())


def appeal_detail_for_appellant(appeal: Appeal) -> dict:
    """One of the user's appeals (already checked to be theirs): the measure, the statement, the exchange."""
    return {
        "appeal": appeal,
        "measure": measure_for_user(appeal.target, appeal=appeal),
        "exchange": appeal_messages(appeal),
    }


# --- One account's record for staff (UX-3: the console's account page and its API) ------------------------

DECISIONS_SHOWN = 50


def sanction_state(sanction: Sanction, now) -> str:
    """Where a measure stands at ``now``: "in_force", "upcoming", or "ended" (lifted, or past its end)."""
    if sanction.in_force(now):
        return "in_force"
    if sanction.lifted_at is None and sanction.starts_at > now:
        return "upcoming"
    return "ended"


def mark_states(record: dict) -> dict:
    """Give each of the record's sanctions its ``state`` and each strike ``counting``, at the record's ``now``
    (templates cannot call ``in_force(now)``)."""
    for sanction in record["sanctions"]:
        sanction.state = sanction_state(sanction, record["now"])
    for strike in record["strikes"]:
        strike.counting = strike.counts(record["now"])
    return record


def account_moderation(subject) -> dict:
    """Everything moderation holds on one account, for staff: every sanction (in force, upcoming, ended) and
    every strike, each with who took it and who ended it and why, the latest decisions on the account's works,
    and its appeals. Unlike ``uploader_history`` (a reviewer's glance, 20 of each) nothing is cut off: a new
    measure is weighed against the whole record."""
    record = mark_states(
        {
            "now": timezone.now(),
            "sanctions": list(
                Sanction.objects.filter(user=subject).select_related(
                    "user", "created_by", "lifted_by", "appeal"
                )
            ),
            "strikes": list(
                Strike.objects.filter(user=subject).select_related(
                    "user", "created_by", "resolved_by", "decision__work", "appeal"
                )
            ),
            "decisions": list(
                Decision.objects.filter(work__owner=subject)
                .select_related("work", "decided_by", "reversed_by", "appeal")
                .order_by("-decided_at", "-pk")[:DECISIONS_SHOWN]
            ),
            "appeals": list(appeal_records().filter(user=subject)),
        }
    )
    for state in ("in_force", "upcoming", "ended"):
        record[state] = [s for s in record["sanctions"] if s.state == state]
    record["strikes_counting"] = sum(1 for strike in record["strikes"] if strike.counting)
    return record


def appeal_records_for_appellant(user) -> QuerySet[Appeal]:
    """The user's appeals as ``appeal_list_for_appellant`` orders them, still a query, so that the API pages
    it in the database; ``appeals_with_measures`` then summarises the page's measures."""
    return appeal_records().filter(user=user)


def appeals_with_measures(appeals: list[Appeal]) -> list[Appeal]:
    return _with_measures(appeals, timezone.now())
