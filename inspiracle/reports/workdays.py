"""Working days of the People's Republic of China, for the 15-working-day answer deadline (RPT-6).

A year's statutory holidays and make-up working days (weekend days that are worked) come from the operator's
``CalendarYear`` row if there is one, else from the bundled ``chinesecalendar`` data. A year neither knows is
never guessed (RPT-16, docs/decisions/0006-prc-working-days.md and 0013): every day of it, weekends included,
counts as a working day, because any weekend day may turn out to be a make-up working day; the result is flagged
``conservative`` and staff are alerted until the operator loads the State Council notice. ``replay_unknown_years``
proves the rule is never late and measures how early it is.
"""

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from inspiracle.audit.services import audit_record
from inspiracle.core.errors import ApplicationError
from inspiracle.reports.models import CalendarYear

# The PRC calendar is kept in Beijing time whatever zone a page is shown in.
BEIJING = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
# A typo guard for loaded files (20207 for 2027), not a limit of the rule.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FILE_KEYS = {"year", "holidays", "workdays", "override", "source"}

# (holidays, make-up working days) of one year.
YearData = tuple[frozenset[date], frozenset[date]]


@functools.cache
def _bundled(year: int) -> YearData | None:
    """The chinesecalendar data for a year, or None if it does not cover it. Cached for the process: the data
    is static, and the library's own lookups scan all its years on every call."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    return (
        frozenset(day for day in chinese_calendar.holidays if day.year == year),
        frozenset(day for day in chinese_calendar.workdays if day.year == year),
    )


def _stored(row: CalendarYear) -> YearData:
    return (
        frozenset(date.fromisoformat(day) for day in row.holidays),
        frozenset(date.fromisoformat(day) for day in row.workdays),
    )


class WorkingCalendar:
    """The rule for any number of dates, each year's data read once. Build one per service call or page (a
    long-lived one would not see a calendar loaded after it read that year); pass it as ``calendar=`` to count
    many intervals, say for the transparency page, with one query."""

    def __init__(self, years: dict[int, YearData | None] | None = None) -> None:
        # ``years`` fixes the data of those years (None: unknown), read from nowhere else: the replay below.
        self._years: dict[int, YearData | None] = dict(years or {})

    def prefetch(self, years: Iterable[int]) -> None:
        wanted = {year for year in years if year not in self._years}
        if not wanted:
            return
        rows = {row.year: row for row in CalendarYear.objects.filter(year__in=wanted)}
        for year in wanted:
            # An operator's row wins over the bundled data: it exists for a covered year only if loaded with
            # "override" (the State Council changed that year's holidays after the package was released).
            self._years[year] = _stored(rows[year]) if year in rows else _bundled(year)

    def knows(self, year: int) -> bool:
        self.prefetch([year])
        return self._years[year] is not None

    def is_working_day(self, day: date) -> bool | None:
        if day.year not in self._years:
            self.prefetch([day.year])
        data = self._years[day.year]
        if data is None:
            return None
        holidays, workdays = data
        return day in workdays or (day.weekday() < 5 and day not in holidays)

    def counts(self, day: date) -> tuple[bool, bool]:
        """(whether the day counts as a working day, whether that was the conservative rule's call)."""
        working = self.is_working_day(day)
        if working is None:
            # RPT-16: no holiday is guessed, and any weekend day may be a make-up working day (the State Council
            # moves one next to most holidays), so every day counts: the deadline comes early, never late.
            # Counting weekdays only was late by 1-3 days when a make-up weekend preceded its holiday.
            return True, True
        return working, False


def _beijing_date(moment: datetime) -> date:
    return timezone.localtime(moment, BEIJING).date()


def is_working_day(day: date) -> bool | None:
    """Whether ``day`` is a PRC working day; None when no calendar knows its year."""
    return WorkingCalendar().is_working_day(day)


def add_working_days(
    start: datetime, n: int, *, calendar: WorkingCalendar | None = None
) -> tuple[datetime, bool]:
    """The end (23:59:59.999999 Beijing time) of the nth working day after ``start``'s Beijing date, and
    whether any day counted lay in a year no calendar knows (RPT-16)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    calendar = calendar or WorkingCalendar()
    day = _beijing_date(start)
    # One query for the usual case: n working days span less than 2n + 31 days even with the longest
    # holiday. A longer run (an operator's odd calendar) only costs one more query for the next year.
    calendar.prefetch(range(day.year, (day + timedelta(days=2 * n + 31)).year + 1))
    counted, conservative = 0, False
    while counted < n:
        day += ONE_DAY
        working, guessed = calendar.counts(day)
        counted += working
        conservative |= guessed
    return datetime.combine(day, time.max, tzinfo=BEIJING), conservative


def working_days_between(start: datetime, end: datetime, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days after ``start``'s Beijing date up to and including ``end``'s: 0 for the same day, 1 for
    an answer on the next working day. Unknown years count every day, like the deadline."""
    calendar = calendar or WorkingCalendar()
    first, last = _beijing_date(start), _beijing_date(end)
    calendar.prefetch(range(first.year, last.year + 1))
    total, day = 0, first + ONE_DAY
    while day <= last:
        total += calendar.counts(day)[0]
        day += ONE_DAY
    return total


@dataclass(frozen=True)
class Replay:
    """How the rule for unknown years compares with the true calendar over every replayed start day."""

    starts: int
    late: int  # starts whose conservative date came after the true one (must be 0)
    max_late_days: int
    max_early_days: int
    first_year: int
    last_year: int


def bundled_years() -> list[int]:
    return [year for year in range(EARLIEST_YEAR, LATEST_YEAR + 1) if _bundled(year) is not None]


def replay_differences(n: int) -> Iterator[int]:
    """Replay each year the bundled data covers as if it were unknown (RPT-16): for every start day whose n
    working days reach into that year, the true deadline minus the one computed without that year's calendar,
    in days (negative: the estimate was late). No database: the bundled data only."""
    known = {year: _bundled(year) for year in range(EARLIEST_YEAR, LATEST_YEAR + 1)}
    years = bundled_years()
    for year in years:
        blind = {**known, year: None}
        # Starts from far enough before 1 January that their window can reach into the year.
        day = max(date(year, 1, 1) - timedelta(days=2 * n + 31), date(years[0], 1, 1))
        while day.year <= year:
            start = datetime.combine(day, time(12), tzinfo=BEIJING)
            true_due, unsure = add_working_days(start, n, calendar=WorkingCalendar(known))
            estimate, estimated = add_working_days(start, n, calendar=WorkingCalendar(blind))
            day += ONE_DAY
            if not unsure and estimated:  # else the truth is unknown too, or the window missed the year
                yield (true_due.date() - estimate.date()).days


@functools.cache
def replay_unknown_years(n: int) -> Replay:
    """The replay summed up, for the staff alert and its test (about 0.2 s of CPU, cached per process)."""
    differences = list(replay_differences(n))
    years = bundled_years()
    return Replay(
        starts=len(differences),
        late=sum(1 for d in differences if d < 0),
        max_late_days=max([0, *(-d for d in differences)]),
        max_early_days=max([0, *differences]),
        first_year=years[0],
        last_year=years[-1],
    )


def missing_years(today: date | None = None) -> list[int]:
    """The current and next year (Beijing) that no calendar covers: the staff alert of RPT-16."""
    today = today or timezone.localdate(timezone=BEIJING)
    calendar = WorkingCalendar()
    years = [today.year, today.year + 1]
    calendar.prefetch(years)  # one query for both
    return [year for year in years if not calendar.knows(year)]


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, code="calendar_invalid")


def _dates(data: dict[str, Any], key: str, year: int) -> list[date]:
    values = data.get(key)
    if not isinstance(values, list):
        raise _refuse(
            _('The calendar for %(year)s needs "%(key)s": a list of dates like "%(year)s-01-01".')
            % {"year": year, "key": key}
        )
    days: list[date] = []
    for value in values:
        try:
            day = date.fromisoformat(value) if ISO_DATE.fullmatch(str(value)) else None
        except ValueError:
            day = None
        if day is None:
            raise _refuse(
                _('%(value)s in "%(key)s" is not a date in the form YYYY-MM-DD.')
                % {"value": repr(value), "key": key}
            )
        if day.year != year:
            raise _refuse(
                _('%(value)s in "%(key)s" is not in %(year)s.') % {"value": value, "key": key, "year": year}
            )
        if day in days:
            raise _refuse(_('%(value)s is listed twice in "%(key)s".') % {"value": value, "key": key})
        days.append(day)
    return sorted(days)


def _validated(data: Any) -> tuple[int, list[date], list[date], bool]:
    if not isinstance(data, dict):
        raise _refuse(_('A calendar year must be an object with "year", "holidays" and "workdays".'))
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise _refuse(
            _('"year" is %(value)s; it must be a year between %(earliest)s and %(latest)s.')
            % {"value": repr(year), "earliest": EARLIEST_YEAR, "latest": LATEST_YEAR}
        )
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise _refuse(
            _("The calendar for %(year)s has unknown fields %(fields)s; the fields are %(known)s.")
            % {"year": year, "fields": ", ".join(unknown), "known": ", ".join(sorted(FILE_KEYS))}
        )
    override = data.get("override", False)
    if not isinstance(override, bool):
        raise _refuse(_('"override" must be true or false, not %(value)s.') % {"value": repr(override)})
    if _bundled(year) is not None and not override:
        raise _refuse(
            _(
                "%(year)s is already covered by the bundled chinesecalendar data. To replace it (say, after "
                'the State Council changed the holidays), add "override": true.'
            )
            % {"year": year}
        )
    holidays = _dates(data, "holidays", year)
    workdays = _dates(data, "workdays", year)
    if not holidays:
        # Every PRC year has statutory holidays; an empty list is a file not yet filled in, and loading it
        # would silence the RPT-16 alert while the deadlines ignore every holiday.
        raise _refuse(
            _("The calendar for %(year)s lists no holidays. Copy them from the State Council notice.")
            % {"year": year}
        )
    for day in workdays:
        if day in holidays:
            raise _refuse(
                _("%(value)s is listed both as a holiday and as a make-up working day.")
                % {"value": day.isoformat()}
            )
        if day.weekday() < 5:
            raise _refuse(
                _(
                    '%(value)s in "workdays" is a %(weekday)s. Make-up working days are Saturdays or Sundays; '
                    "weekdays are working days anyway."
                )
                % {"value": day.isoformat(), "weekday": date_format(day, "l")}
            )
    return year, holidays, workdays, override


def calendar_load(*, data: dict[str, Any], source: str) -> CalendarYear:
    """Store (or replace) one year's holidays and make-up working days from the State Council notice.

    ``data`` is one year of a calendar file: ``{"year": 2027, "holidays": [...], "workdays": [...]}``, with
    ``"override": true`` to replace a year the bundled data covers. ``source`` names the notice."""
    year, holidays, workdays, override = _validated(data)
    source = source.strip()
    if not source:
        raise _refuse(
            _("Say which official notice the calendar for %(year)s comes from (its source).") % {"year": year}
        )
    with transaction.atomic():
        # Why the lock: two replacements of one year must not interleave their audit records (two first loads
        # of a year meet the unique constraint on year instead).
        row = CalendarYear.objects.select_for_update().filter(year=year).first() or CalendarYear(year=year)
        replaced = row.source if row.pk else None
        row.holidays = [day.isoformat() for day in holidays]
        row.workdays = [day.isoformat() for day in workdays]
        row.source = source
        row.loaded_at = timezone.now()
        # The lists were checked above; the model's blank=False would refuse a year without make-up days.
        row.full_clean(exclude=["holidays", "workdays"])
        row.save()
        audit_record(
            action="calendar.loaded",
            actor=None,
            target=row,
            data={
                "year": year,
                "source": source,
                "override": override,
                "holidays": row.holidays,
                "workdays": row.workdays,
                "replaced_source": replaced,
            },
        )
    return row
