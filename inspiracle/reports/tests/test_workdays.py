"""The 15-working-day deadline follows the PRC calendar (RPT-6) and fails closed where it is missing (RPT-16)."""

import json
from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import chinese_calendar
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string

from inspiracle.audit.models import AuditEvent
from inspiracle.core.errors import ApplicationError
from inspiracle.reports.models import CalendarYear
from inspiracle.reports.workdays import (
    BEIJING,
    WorkingCalendar,
    add_working_days,
    calendar_load,
    is_working_day,
    missing_years,
    replay_unknown_years,
    working_days_between,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "calendars" / "2027.example.json"

# Made up for these tests: New Year's Day 2027 (a Friday) with the weekend, and Saturday 9 January worked.
FABRICATED_2027 = {
    "year": 2027,
    "holidays": ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-05", "2027-02-06", "2027-02-07"],
    "workdays": ["2027-01-09"],
}


def beijing(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def end_of(year, month, day):
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=BEIJING)


def load_fabricated_2027():
    return calendar_load(data=FABRICATED_2027, source="test calendar")


@pytest.fixture(autouse=True)
def chinesecalendar_stops_at_2026():
    """The year-end tests need a year the bundled data does not know; a newer package would know 2027."""
    chinese_calendar.is_workday(date(2026, 12, 31))
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


# --- the bundled calendar (RPT-6) ---


@pytest.mark.django_db
def test_the_spring_festival_2026_is_skipped_and_its_make_up_saturdays_count():
    """REQ: RPT-6

    GIVEN complete materials on Thursday 12 February 2026, with the Spring Festival holiday from 15 to 23
    February and Saturdays 14 and 28 February worked
    WHEN the 15-working-day deadline is computed
    THEN it ends on Wednesday 11 March: 13, 14, 24-28 February, 2-6 and 9-11 March."""
    assert all(chinese_calendar.is_holiday(date(2026, 2, day)) for day in range(15, 24))
    assert chinese_calendar.is_workday(date(2026, 2, 14)) and chinese_calendar.is_workday(date(2026, 2, 28))
    assert chinese_calendar.is_workday(date(2026, 2, 24))

    assert add_working_days(beijing(2026, 2, 12), 15) == (end_of(2026, 3, 11), False)
    assert add_working_days(beijing(2026, 2, 13), 1) == (end_of(2026, 2, 14), False)
    assert add_working_days(beijing(2026, 2, 14), 1) == (end_of(2026, 2, 24), False)


@pytest.mark.django_db
def test_labour_day_2026_is_skipped_and_saturday_9_may_counts():
    """REQ: RPT-6"""
    assert all(chinese_calendar.is_holiday(date(2026, 5, day)) for day in range(1, 6))
    assert chinese_calendar.is_workday(date(2026, 5, 9))

    # 30 April, then 6, 7, 8 and Saturday 9 May.
    assert add_working_days(beijing(2026, 4, 29), 5) == (end_of(2026, 5, 9), False)


@pytest.mark.django_db
def test_national_day_2026_is_skipped_with_mid_autumn_and_both_make_up_days_count():
    """REQ: RPT-6"""
    assert all(chinese_calendar.is_holiday(date(2026, 10, day)) for day in range(1, 8))
    assert chinese_calendar.is_holiday(date(2026, 9, 25))
    assert chinese_calendar.is_workday(date(2026, 9, 20)) and chinese_calendar.is_workday(date(2026, 10, 10))

    # Sunday 20, 21-24, 28-30 September (25 is Mid-autumn), 8, 9, Saturday 10, 12-15 October.
    assert add_working_days(beijing(2026, 9, 18), 15) == (end_of(2026, 10, 15), False)


@pytest.mark.django_db
def test_the_count_starts_from_the_date_in_beijing_not_in_utc():
    """REQ: RPT-6: 16:30 UTC on 12 February is 00:30 on Friday 13 February in Beijing."""
    start = datetime(2026, 2, 12, 16, 30, tzinfo=UTC)

    assert add_working_days(start, 1) == (end_of(2026, 2, 14), False)


@pytest.mark.django_db
def test_a_deadline_needs_at_least_one_working_day():
    with pytest.raises(ValueError):
        add_working_days(beijing(2026, 3, 2), 0)


@pytest.mark.django_db
def test_is_working_day_follows_the_bundled_calendar_and_knows_no_2027():
    """REQ: RPT-6, RPT-16"""
    assert is_working_day(date(2026, 2, 14)) is True  # make-up Saturday
    assert is_working_day(date(2026, 2, 16)) is False  # Spring Festival, a Monday
    assert is_working_day(date(2026, 3, 7)) is False  # an ordinary Saturday
    assert is_working_day(date(2026, 3, 9)) is True
    assert is_working_day(date(2027, 1, 4)) is None


@pytest.mark.django_db
def test_working_days_between_counts_the_days_after_the_start_up_to_the_end():
    """REQ: RPT-6: the median response time of the transparency page, in working days."""
    assert working_days_between(beijing(2026, 2, 13), beijing(2026, 2, 13, 22)) == 0
    # 14, 24, 25, 26, 27, 28 February and 2 March.
    assert working_days_between(beijing(2026, 2, 13), beijing(2026, 3, 2)) == 7
    assert working_days_between(beijing(2026, 3, 2), beijing(2026, 2, 13)) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("start", [beijing(2026, 2, 12), beijing(2026, 4, 29), beijing(2026, 9, 18, 23, 59)])
def test_the_deadline_is_exactly_n_working_days_after_the_start(start):
    """REQ: RPT-6"""
    due, _ = add_working_days(start, 15)

    assert working_days_between(start, due) == 15


# --- a year nobody knows (RPT-16) ---


@pytest.mark.django_db
def test_across_the_year_end_without_2027_every_day_counts_and_the_date_is_early(
    django_assert_num_queries,
):
    """REQ: RPT-16

    GIVEN complete materials on Friday 18 December 2026 and no calendar for 2027
    WHEN the 15-working-day deadline is computed
    THEN 21-25 and 28-31 December count (the 2026 calendar is known), then every day of January, weekends and
    New Year's Day included: 6 January, flagged conservative, and not later than the true date under a calendar
    for 2027."""
    with django_assert_num_queries(1):
        due, conservative = add_working_days(beijing(2026, 12, 18), 15)

    assert (due, conservative) == (end_of(2027, 1, 6), True)
    # By hand under FABRICATED_2027: 1 January is off, 4-8 January are 10-14, Saturday 9 January is 15.
    true_due = end_of(2027, 1, 9)
    assert due <= true_due
    load_fabricated_2027()
    assert add_working_days(beijing(2026, 12, 18), 15) == (true_due, False)


@pytest.mark.django_db
def test_a_loaded_2027_skips_its_holidays_and_counts_its_make_up_saturday():
    """REQ: RPT-16"""
    load_fabricated_2027()

    assert is_working_day(date(2027, 1, 1)) is False
    assert is_working_day(date(2027, 1, 4)) is True
    assert is_working_day(date(2027, 1, 9)) is True
    assert is_working_day(date(2027, 1, 10)) is False
    # 4-8 January, then Saturday 9 January.
    assert add_working_days(beijing(2026, 12, 31), 6) == (end_of(2027, 1, 9), False)
    # Friday 5 February to Sunday 7 February is off: Monday 8 February.
    assert add_working_days(beijing(2027, 2, 4), 1) == (end_of(2027, 2, 8), False)


@pytest.mark.django_db
def test_a_deadline_within_known_days_is_not_conservative_even_if_the_next_year_is_unknown():
    """REQ: RPT-16"""
    assert add_working_days(beijing(2026, 12, 21), 3) == (end_of(2026, 12, 24), False)
    assert add_working_days(beijing(2026, 12, 30), 1) == (end_of(2026, 12, 31), False)
    assert add_working_days(beijing(2026, 12, 31), 1) == (end_of(2027, 1, 1), True)


@pytest.mark.django_db
def test_working_days_between_counts_every_day_of_an_unknown_year():
    """REQ: RPT-16"""
    assert working_days_between(beijing(2026, 12, 31), beijing(2027, 1, 4)) == 4
    load_fabricated_2027()
    assert working_days_between(beijing(2026, 12, 31), beijing(2027, 1, 4)) == 1


@pytest.mark.django_db
def test_one_calendar_counts_many_intervals_with_one_query(django_assert_num_queries):
    """The transparency page computes a median over many reports."""
    calendar = WorkingCalendar()
    with django_assert_num_queries(1):
        for day in range(1, 29):
            working_days_between(beijing(2026, 12, day), beijing(2027, 1, day), calendar=calendar)


@pytest.mark.django_db
def test_missing_years_are_the_current_and_next_beijing_years_without_a_calendar():
    """REQ: RPT-16"""
    assert missing_years(date(2025, 3, 1)) == []
    assert missing_years(date(2026, 3, 1)) == [2027]
    with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=UTC), tick=False):
        assert missing_years() == [2027]
    # 16:30 UTC on 31 December 2026 is already 2027 in Beijing.
    with time_machine.travel(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tick=False):
        assert missing_years() == [2027, 2028]
        load_fabricated_2027()
        assert missing_years() == [2028]


# --- loading a calendar ---


@pytest.mark.django_db
def test_calendar_load_stores_the_year_and_audits_it():
    """REQ: RPT-16"""
    row = load_fabricated_2027()

    assert row.year == 2027
    assert row.holidays == sorted(FABRICATED_2027["holidays"])
    assert row.workdays == ["2027-01-09"]
    assert row.source == "test calendar"
    event = AuditEvent.objects.get(action="calendar.loaded")
    assert event.actor_id is None
    assert event.data["year"] == 2027
    assert event.data["workdays"] == ["2027-01-09"]
    assert event.data["replaced_source"] is None


@pytest.mark.django_db
def test_calendar_load_replaces_a_year_and_records_what_it_replaced():
    """REQ: RPT-16"""
    load_fabricated_2027()
    calendar_load(data={**FABRICATED_2027, "workdays": []}, source="State Council notice, corrected")

    row = CalendarYear.objects.get()
    assert row.workdays == []
    assert row.source == "State Council notice, corrected"
    assert (
        AuditEvent.objects.filter(action="calendar.loaded").first().data["replaced_source"] == "test calendar"
    )
    assert is_working_day(date(2027, 1, 9)) is False


@pytest.mark.django_db
def test_an_override_replaces_the_bundled_data_for_that_year():
    """REQ: RPT-16: the State Council may change a year's holidays after the package was released."""
    bundled = {
        "year": 2026,
        "holidays": sorted(day.isoformat() for day in chinese_calendar.holidays if day.year == 2026),
        "workdays": sorted(day.isoformat() for day in chinese_calendar.workdays if day.year == 2026),
    }
    extra_holiday = {**bundled, "holidays": [*bundled["holidays"], "2026-03-02"], "override": True}

    calendar_load(data=extra_holiday, source="State Council notice, amended")

    assert is_working_day(date(2026, 3, 2)) is False
    assert is_working_day(date(2026, 2, 14)) is True
    assert add_working_days(beijing(2026, 2, 27), 2) == (end_of(2026, 3, 3), False)


BAD_FILES = [
    pytest.param({**FABRICATED_2027, "holidays": ["2027-13-01"]}, "'2027-13-01'", id="impossible date"),
    pytest.param({**FABRICATED_2027, "holidays": ["2027/01/01"]}, "'2027/01/01'", id="not ISO"),
    pytest.param({**FABRICATED_2027, "holidays": [20270101]}, "20270101", id="a number"),
    pytest.param({**FABRICATED_2027, "holidays": ["2028-01-01"]}, "2028-01-01", id="another year"),
    pytest.param(
        {**FABRICATED_2027, "workdays": ["2027-01-04"]}, '2027-01-04 in "workdays" is a Monday', id="weekday"
    ),
    pytest.param({**FABRICATED_2027, "workdays": ["2027-01-02"]}, "2027-01-02", id="overlap"),
    pytest.param({**FABRICATED_2027, "holidays": ["2027-01-01", "2027-01-01"]}, "2027-01-01", id="twice"),
    pytest.param({**FABRICATED_2027, "holidays": []}, "no holidays", id="no holidays"),
    pytest.param({"year": 2027, "holidays": ["2027-01-01"]}, '"workdays"', id="missing list"),
    pytest.param({**FABRICATED_2027, "holiday": []}, "holiday", id="unknown field"),
    pytest.param({**FABRICATED_2027, "year": "2027"}, "'2027'", id="year as text"),
    pytest.param({**FABRICATED_2027, "year": 20207}, "20207", id="year typo"),
    pytest.param({**FABRICATED_2027, "override": "yes"}, "'yes'", id="override not boolean"),
    pytest.param(
        {"year": 2026, "holidays": ["2026-01-01"], "workdays": []},
        "2026 is already covered",
        id="covered year",
    ),
    pytest.param([FABRICATED_2027], "must be an object", id="not an object"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "named"), BAD_FILES)
def test_calendar_load_refuses_a_bad_file_saying_what_is_wrong(data, named):
    """REQ: RPT-16"""
    with pytest.raises(ApplicationError) as refused:
        calendar_load(data=data, source="test calendar")

    assert named in refused.value.message
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.loaded").exists()


@pytest.mark.django_db
def test_calendar_load_needs_a_source():
    """REQ: RPT-16"""
    with pytest.raises(ApplicationError, match="official notice"):
        calendar_load(data=FABRICATED_2027, source="  ")


# --- the command and the alert ---


@pytest.mark.django_db
def test_the_command_loads_the_example_file_only_when_told_it_is_an_example():
    """REQ: RPT-16"""
    with pytest.raises(CommandError, match="example"):
        call_command("load_calendar", str(EXAMPLE))
    assert not CalendarYear.objects.exists()

    out = StringIO()
    call_command("load_calendar", str(EXAMPLE), "--allow-example", stdout=out)

    assert "loaded 2027: 29 holidays, 6 make-up working days" in out.getvalue()
    assert CalendarYear.objects.get().source.startswith("example:")
    assert missing_years(date(2026, 6, 1)) == []


@pytest.mark.django_db
def test_the_command_loads_a_list_of_years_all_or_none(tmp_path):
    """REQ: RPT-16"""
    calendar_2028 = {"year": 2028, "holidays": ["2028-01-01"], "workdays": [], "source": "test notice 2028"}
    good = tmp_path / "good.json"
    good.write_text(json.dumps([{**FABRICATED_2027, "source": "test notice 2027"}, calendar_2028]))
    half_bad = tmp_path / "half-bad.json"
    half_bad.write_text(
        json.dumps([{**FABRICATED_2027, "source": "n"}, {**calendar_2028, "workdays": ["2028-01-03"]}])
    )

    with pytest.raises(CommandError, match="2028-01-03") as refused:
        call_command("load_calendar", str(half_bad))
    assert refused.value.returncode == 1
    assert not CalendarYear.objects.exists()

    out = StringIO()
    call_command("load_calendar", str(good), stdout=out)
    assert "loaded 2027" in out.getvalue() and "loaded 2028" in out.getvalue()
    assert sorted(CalendarYear.objects.values_list("year", flat=True)) == [2027, 2028]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "named"),
    [("{not json", "is not JSON"), ("[]", "holds no year"), ('[{"year": 2027}, {"year": 2027}]', "twice")],
)
def test_the_command_refuses_an_unreadable_file(tmp_path, content, named):
    path = tmp_path / "calendar.json"
    path.write_text(content)

    with pytest.raises(CommandError, match=named):
        call_command("load_calendar", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("load_calendar", str(tmp_path / "missing.json"))


def test_the_alert_names_the_missing_years_the_conservative_rule_and_the_command():
    """REQ: RPT-16"""
    html = render_to_string("reports/_calendar_alert.html", {"missing_calendar_years": [2027, 2028]})

    assert 'role="alert"' in html
    assert "calendars for 2027, 2028 are missing" in html
    assert "every day of that year counts as a working day" in html
    assert "at most 14 days earlier" in html and "from 2004 to 2026" in html
    assert "./run load-calendar FILE.json" in html


def test_replaying_every_bundled_year_as_unknown_no_deadline_is_ever_late():
    """REQ: RPT-16
    GIVEN each year 2004-2026 of the bundled calendar in turn treated as unknown
    WHEN the 15-working-day deadline is computed from every start day whose window reaches into that year
    THEN no estimate is later than the true date (counting weekdays only was late for 318 starts, by 1-3 days),
    and the alert says the largest earliness measured."""
    replay = replay_unknown_years(15)
    assert (replay.first_year, replay.last_year) == (2004, 2026)
    assert replay.starts > 23 * 365 and replay.late == 0 and replay.max_late_days == 0
    assert replay.max_early_days == 14


@pytest.mark.django_db
def test_a_make_up_saturday_after_the_holiday_it_pays_for_no_longer_makes_the_estimate_late():
    """REQ: RPT-16 — the case of docs/decisions/0006: had 2026 been unknown, materials complete on Monday 23
    February 2026 were due on 16 March counting weekdays only (the worked Saturday 28 February is in the window,
    the Spring Festival before it), three days after the true 13 March. Counting every day: 10 March."""
    start = beijing(2026, 2, 23)
    true_due, _ = add_working_days(start, 15)
    estimate, conservative = add_working_days(start, 15, calendar=WorkingCalendar({2026: None}))
    assert true_due == end_of(2026, 3, 13)
    assert (estimate, conservative) == (end_of(2026, 3, 10), True)


def test_the_alert_is_empty_when_no_year_is_missing():
    assert render_to_string("reports/_calendar_alert.html", {"missing_calendar_years": []}).strip() == ""
    assert render_to_string("reports/_calendar_alert.html", {}).strip() == ""


@pytest.mark.parametrize("days, refused", [("16", True), ("0", True), ("15", False)])
def test_a_deadline_over_15_working_days_is_refused_at_start_up(days, refused):
    """REQ: RPT-6 — the agreements promise an answer within 15 working days."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "REPORT_DEADLINE_WORKING_DAYS": days,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert (run.returncode != 0) is refused
    if refused:
        assert f"REPORT_DEADLINE_WORKING_DAYS={days}: choose 1 to 15 working days" in run.stderr


@pytest.mark.django_db
def test_open_reports_with_a_late_conservative_date_get_the_corrected_one(cy, published_work):
    """REQ: RPT-16 — the migration moves a weekdays-only date that could be late to the never-late one."""
    import importlib

    from django.apps import apps
    from django.conf import settings

    from inspiracle.reports.models import Report
    from inspiracle.reports.tests.test_staff import ip_report

    migration = importlib.import_module("inspiracle.reports.migrations.0004_recompute_conservative_due_dates")
    with time_machine.travel(beijing(2026, 12, 18), tick=False):
        report = ip_report(cy, published_work())
    corrected = add_working_days(report.completed_at, settings.REPORT_DEADLINE_WORKING_DAYS)
    assert corrected == (end_of(2027, 1, 6), True)
    Report.objects.filter(pk=report.pk).update(due_at=end_of(2027, 1, 8))  # the weekdays-only date
    migration.recompute(apps, None)
    report.refresh_from_db()
    assert (report.due_at, report.due_conservative) == corrected
    assert AuditEvent.objects.filter(action="report.due_corrected", target_label=report.reference).exists()
