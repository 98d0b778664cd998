"""What staff read about reports: the queue by due date (RPT-6), one report with its addresses, documents and
similarity matches, counter-notices (RPT-8), rights holder profiles (RPT-13), a notifier's record (RPT-14); and
the public transparency figures (RPT-11).

Every ``access_*`` and list function checks the reader's role first: reports and their documents are for the
roles that handle them (MOD-7), others get "not found" or a refusal from ``require_capability``."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Substr, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import REPORTS_HANDLE, require_capability
from inspiracle.core.errors import NotFound
from inspiracle.licensing.services.requests import request_path
from inspiracle.moderation.models import Strike
from inspiracle.reports.models import (
    Category,
    CounterNotice,
    Evidence,
    Report,
    ReportItem,
    RightsHolderProfile,
)
from inspiracle.reports.workdays import BEIJING, WorkingCalendar, working_days_between
from inspiracle.works.models import Match, WorkFile

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ReporterKey(TypedDict):
    reporter_key: str


# A report as staff read it, annotated with its notifier's key (_reporter_key).
type StaffReport = WithAnnotations[Report, _ReporterKey]

QUEUE_STATUSES = ("accepted", "incomplete", "decided", "upheld", "rejected")
# RPT-14: when a notifier's pattern deserves a second look. They only raise a flag for a legal officer, who
# judges each report on its own; tune them here.
MANY_CREATORS, MANY_CREATORS_DAYS, MANY_REJECTED = 5, 30, 3
TRANSPARENCY_MONTHS = 12


def _not_found() -> NotFound:
    return NotFound(_("There is no such report."))


def _reporter_key() -> Case:
    """A notifier's key in SQL: "u<user id>" for a member, "e<16 hex of the email's blind index>" otherwise,
    so that a visitor is recognised across reports without showing their address."""
    return Case(
        When(reporter__isnull=False, then=Concat(Value("u"), Cast("reporter_id", CharField()))),
        default=Concat(Value("e"), Substr("email_index", 1, 16)),
        output_field=CharField(),
    )


def report_queue(user, *, status: str = "accepted") -> QuerySet[StaffReport]:
    """RPT-6: reports under review by due date, so that the overdue come first; not accepted ones newest
    first; decided ones latest decision first."""
    require_capability(user, REPORTS_HANDLE)
    reports = Report.objects.select_related("reporter").annotate(
        address_count=Count("items"), reporter_key=_reporter_key()
    )
    if status == "incomplete":
        return reports.filter(status=Report.Status.INCOMPLETE).order_by("-created_at", "-pk")
    if status in ("decided", "upheld", "rejected"):
        wanted = [status] if status != "decided" else [Report.Status.UPHELD, Report.Status.REJECTED]
        return reports.filter(status__in=wanted).order_by("-decided_at", "-pk")
    return reports.filter(status=Report.Status.ACCEPTED).order_by("due_at", "pk")


def access_report_for_staff(user, reference: str) -> StaffReport:
    require_capability(user, REPORTS_HANDLE)
    report = (
        Report.objects.select_related("reporter", "profile", "cited_work__owner", "decided_by")
        .annotate(reporter_key=_reporter_key())
        .filter(reference=reference)
        .first()
    )
    if report is None:
        raise _not_found()
    return report


def _ready_files() -> QuerySet[WorkFile]:
    return WorkFile.objects.filter(status=WorkFile.Status.READY).order_by("position", "pk")


def report_items(report: Report) -> list[ReportItem]:
    """The addresses with what they show (the work and its files, or the account), the measure taken, any
    counter-notice, and ``matches``: the similarity hits between the reporter's cited work and this one."""
    ready = _ready_files()
    items = list(
        report.items.select_related(
            "work__owner", "account__profile", "decision", "strike", "counter_notice", "licence_request"
        ).prefetch_related(Prefetch("work__files", queryset=ready, to_attr="ready_files"))
    )
    found = _matches(report.cited_work_id, [item.work_id for item in items if item.work_id])
    for item in items:
        item.matches = found.get(item.work_id, []) if item.work_id is not None else []
        item.licence_path = request_path(item.licence_request) if item.licence_request is not None else ""
    return items


@dataclass
class Similar:
    cited: WorkFile
    reported: WorkFile
    kind: str
    distance: int
    inliers: int | None = None
    cited_rect: dict[str, float] | None = None  # the shared region in each file, when local features found it
    reported_rect: dict[str, float] | None = None


def _matches(cited_id: int | None, work_ids: list[int]) -> dict[int, list[Similar]]:
    """Matches are stored from the newer file to the older one, so both directions are read, in one query."""
    if not cited_id or not work_ids:
        return {}
    rows = Match.objects.filter(
        Q(file__work_id=cited_id, other__work_id__in=work_ids)
        | Q(other__work_id=cited_id, file__work_id__in=work_ids)
    ).select_related("file", "other")
    found: dict[int, list[Similar]] = defaultdict(list)
    for m in rows:
        if m.file.work_id == cited_id:
            cited, reported, rects = m.file, m.other, (m.file_rect, m.other_rect)
        else:
            cited, reported, rects = m.other, m.file, (m.other_rect, m.file_rect)
        found[reported.work_id].append(
            Similar(cited, reported, m.get_kind_display(), m.distance, m.inliers, *rects)
        )
    return found


def report_evidence(report: Report) -> list[Evidence]:
    """The reporter's documents, and those of the verified profile the report reuses."""
    owners = Q(report=report) | Q(profile_id=report.profile_id) if report.profile_id else Q(report=report)
    return list(Evidence.objects.filter(owners).order_by("pk"))


def access_evidence_for_staff(user, evidence_id: int) -> Evidence:
    require_capability(user, REPORTS_HANDLE)
    evidence = Evidence.objects.filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(_("There is no such document."))
    return evidence


# --- RPT-14: the notifier's record ---------------------------------------------------------------------------


def notifier_filter(key: str) -> Q:
    if re.fullmatch(r"u\d{1,12}", key):
        return Q(reporter_id=int(key[1:]))
    if re.fullmatch(r"e[0-9a-f]{16}", key):
        return Q(reporter__isnull=True, email_index__startswith=key[1:])
    raise NotFound(_("There is no such reporter."))


def reporter_record(user, key: str, *, now: datetime | None = None) -> dict:
    """Upheld, rejected and open reports of one notifier, and the flags: many creators reported within a short
    time, or reports rejected again and again."""
    require_capability(user, REPORTS_HANDLE)
    now = now or timezone.now()
    reports = Report.objects.filter(notifier_filter(key))
    counts = reports.aggregate(
        total=Count("pk"),
        upheld=Count("pk", filter=Q(status=Report.Status.UPHELD)),
        rejected=Count("pk", filter=Q(status=Report.Status.REJECTED)),
        open=Count("pk", filter=Q(status__in=[Report.Status.INCOMPLETE, Report.Status.ACCEPTED])),
    )
    since = now - timedelta(days=MANY_CREATORS_DAYS)
    creators = ReportItem.objects.filter(report__in=reports, report__created_at__gte=since).aggregate(
        n=Count(Coalesce("work__owner_id", "account_id"), distinct=True)
    )["n"]
    flags = []
    if creators >= MANY_CREATORS:
        flags.append(
            _("Reported %(n)d different creators within %(days)d days.")
            % {"n": creators, "days": MANY_CREATORS_DAYS}
        )
    if counts["rejected"] >= MANY_REJECTED:
        flags.append(_("%(n)d reports rejected.") % {"n": counts["rejected"]})
    return {"key": key, **counts, "recent_creators": creators, "flags": flags}


def reporter_reports(user, key: str) -> QuerySet[StaffReport]:
    require_capability(user, REPORTS_HANDLE)
    return (
        Report.objects.filter(notifier_filter(key))
        .select_related("reporter")
        .annotate(address_count=Count("items"), reporter_key=_reporter_key())
        .order_by("-created_at", "-pk")
    )


# --- Counter-notices (RPT-8) and rights holder profiles (RPT-13) ---------------------------------------------


def counter_notice_queue(user) -> QuerySet[CounterNotice]:
    """Open ones first, the longest waiting first; then the decided, latest first."""
    require_capability(user, REPORTS_HANDLE)
    is_open = Q(status=CounterNotice.Status.OPEN)
    return (
        CounterNotice.objects.select_related("uploader", "item__report", "item__work", "decided_by")
        .annotate(
            rank=Case(When(is_open, then=0), default=1, output_field=IntegerField()),
            open_since=Case(When(is_open, then="created_at")),
        )
        .order_by("rank", "open_since", "-decided_at", "-pk")
    )


def access_counter_notice_for_staff(user, notice_id: int) -> CounterNotice:
    require_capability(user, REPORTS_HANDLE)
    notice = (
        CounterNotice.objects.select_related(
            "uploader", "item__report", "item__work__owner", "item__decision", "item__strike", "decided_by"
        )
        .prefetch_related(Prefetch("item__work__files", queryset=_ready_files(), to_attr="ready_files"))
        .filter(pk=notice_id)
        .first()
    )
    if notice is None:
        raise NotFound(_("There is no such counter-notice."))
    return notice


def profile_queue(user) -> QuerySet[RightsHolderProfile]:
    """Awaiting verification first, the longest waiting first; then the others, newest first."""
    require_capability(user, REPORTS_HANDLE)
    pending = Q(status=RightsHolderProfile.Status.PENDING)
    return (
        RightsHolderProfile.objects.select_related("owner", "verified_by")
        .annotate(
            rank=Case(When(pending, then=0), default=1, output_field=IntegerField()),
            pending_since=Case(When(pending, then="created_at")),
        )
        .order_by("rank", "pending_since", "-created_at", "-pk")
    )


def access_profile_for_staff(user, profile_id: int) -> RightsHolderProfile:
    require_capability(user, REPORTS_HANDLE)
    profile = RightsHolderProfile.objects.select_related("owner", "verified_by").filter(pk=profile_id).first()
    if profile is None:
        raise NotFound(_("There is no such rights holder profile."))
    return profile


# --- RPT-11: the public transparency figures ----------------------------------------------------------------


@dataclass
class MonthFigures:
    start: date
    by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Category.values, 0))
    upheld: int = 0
    rejected: int = 0
    open: int = 0
    on_time: int = 0
    # Decided, or still open after their due date: the reports whose deadline has been tested.
    due_tested: int = 0
    days: Counter = field(default_factory=Counter)
    strikes: int = 0
    counter_filed: int = 0
    counter_restored: int = 0

    @property
    def received(self) -> int:
        return self.upheld + self.rejected + self.open

    @property
    def category_counts(self) -> list[int]:
        """In the order of ``Category``, for tables and charts."""
        return [self.by_category[category] for category in Category.values]

    @property
    def median_days(self) -> float | None:
        return _median(self.days)

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.due_tested) if self.due_tested else None

    def add(self, other: "MonthFigures") -> None:
        for category, n in other.by_category.items():
            self.by_category[category] += n
        for name in ("upheld", "rejected", "open", "on_time", "due_tested", "strikes"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.counter_filed += other.counter_filed
        self.counter_restored += other.counter_restored
        self.days.update(other.days)


def _median(days: Counter) -> float | None:
    total = sum(days.values())
    if not total:
        return None
    ordered = sorted(days.items())

    def nth(n: int) -> int:  # the nth smallest value, from 0
        for value, count in ordered:
            if n < count:
                return value
            n -= count
        raise IndexError(n)

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def _month_starts(now: datetime) -> list[date]:
    month = timezone.localtime(now, BEIJING).date().replace(day=1)
    starts = [month]
    for _i in range(TRANSPARENCY_MONTHS - 1):
        month = (month - timedelta(days=1)).replace(day=1)
        starts.append(month)
    return starts[::-1]


def transparency_figures(*, now: datetime | None = None) -> dict:
    """RPT-11: for each of the last 12 months (Beijing time), the reports whose materials were complete that
    month, by category and outcome; the median answer time in PRC working days (complete -> decided); the
    share answered by the due date, of those decided or past it; strikes from upheld reports; counter-notices
    filed and content restored. Each figure is a grouped SQL aggregate: the page's cost does not grow with
    the number of reports (only the answer times, grouped by (received, decided) day, pass through Python)."""
    now = now or timezone.now()
    starts = _month_starts(now)
    since = datetime.combine(starts[0], time.min, tzinfo=BEIJING)
    months = {start: MonthFigures(start) for start in starts}
    in_month = TruncMonth("completed_at", tzinfo=BEIJING)
    received = Report.objects.filter(completed_at__gte=since).exclude(status=Report.Status.INCOMPLETE)
    by_outcome = (
        received.annotate(month=in_month)
        .values("month", "category", "status")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(decided_at__lte=F("due_at"))),
            tested=Count("pk", filter=Q(decided_at__isnull=False) | Q(due_at__lt=now)),
        )
        .order_by()
    )
    for row in by_outcome:
        figures = _month(months, row["month"])
        figures.by_category[row["category"]] += row["n"]
        status = "open" if row["status"] == Report.Status.ACCEPTED else row["status"]
        setattr(figures, status, getattr(figures, status) + row["n"])
        figures.on_time += row["on_time"]
        figures.due_tested += row["tested"]
    _answer_days(received, in_month, months)
    _strikes_and_counters(since, months)
    total = MonthFigures(starts[0])
    for figures in months.values():
        total.add(figures)
    return {"months": list(months.values()), "total": total, "since": starts[0], "now": now}


def _month(months: dict[date, MonthFigures], value) -> MonthFigures:
    """The month a truncated value falls in; a date after this month (a clock set back) lands in a
    throwaway."""
    day = timezone.localtime(value, BEIJING).date() if isinstance(value, datetime) else value
    start = day.replace(day=1)
    return months.get(start) or MonthFigures(start)


def _answer_days(received: QuerySet[Report], in_month, months: dict[date, MonthFigures]) -> None:
    pairs = (
        received.filter(decided_at__isnull=False)
        .annotate(
            month=in_month,
            received_on=TruncDate("completed_at", tzinfo=BEIJING),
            decided_on=TruncDate("decided_at", tzinfo=BEIJING),
        )
        .values("month", "received_on", "decided_on")
        .annotate(n=Count("pk"))
        .order_by()
    )
    calendar = WorkingCalendar()  # each year's holidays read once for all the pairs
    for row in pairs:
        start, end = (
            datetime.combine(row[key], time(12), tzinfo=BEIJING) for key in ("received_on", "decided_on")
        )
        _month(months, row["month"]).days[working_days_between(start, end, calendar=calendar)] += row["n"]


def _strikes_and_counters(since: datetime, months: dict[date, MonthFigures]) -> None:
    from_reports = ReportItem.objects.filter(strike__isnull=False).values("strike_id")
    strikes = (
        Strike.objects.filter(created_at__gte=since, pk__in=from_reports)
        .annotate(month=TruncMonth("created_at", tzinfo=BEIJING))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in strikes:
        _month(months, row["month"]).strikes += row["n"]
    filed = (
        CounterNotice.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at", tzinfo=BEIJING))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in filed:
        _month(months, row["month"]).counter_filed += row["n"]
    restored = (
        CounterNotice.objects.filter(status=CounterNotice.Status.RESTORED, decided_at__gte=since)
        .annotate(month=TruncMonth("decided_at", tzinfo=BEIJING))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in restored:
        _month(months, row["month"]).counter_restored += row["n"]
