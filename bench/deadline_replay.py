"""RPT-16: how the deadline estimate for a year without a holiday calendar compares with the true date.

Run: uv run --offline python bench/deadline_replay.py [--days 15]

Every year the bundled chinesecalendar data covers is replayed as if it were unknown: for every start day whose
working days reach into that year, the estimate (that year's days counted by the rule) against the true date
(the bundled data). Two rules: the one in force, every day of an unknown year counted (``workdays.py``), and the
earlier one, weekdays only, which this script patches in for comparison. Prints starts, how many were late and
by how much, and how early the estimates were. No database: the bundled data only.
"""

import argparse
import collections
import os
import statistics
import sys
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def weekdays_only(self, day):
    working = self.is_working_day(day)
    return (day.weekday() < 5, True) if working is None else (working, False)


def replay(n: int) -> dict:
    from inspiracle.reports.workdays import bundled_years, replay_differences

    differences = list(replay_differences(n))
    years = bundled_years()
    return {
        "years": f"{years[0]}-{years[-1]}",
        "late": collections.Counter(-d for d in differences if d < 0),
        "early": [d for d in differences if d >= 0],
    }


def show(name: str, result: dict) -> None:
    late, early = result["late"], result["early"]
    starts = sum(late.values()) + len(early)
    print(f"{name}: {starts} starts replayed ({result['years']} each as unknown)")
    by_days = ", ".join(f"{days} day(s): {count}" for days, count in sorted(late.items())) or "none"
    print(f"  late:  {sum(late.values())} starts ({by_days})")
    print(f"  early: mean {statistics.mean(early):.1f} days, max {max(early)} days")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=15, help="working days to the deadline (default 15)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from inspiracle.reports.workdays import WorkingCalendar

    show("every day counted (in force)", replay(args.days))
    with mock.patch.object(WorkingCalendar, "counts", weekdays_only):
        show("weekdays only (before issue 10)", replay(args.days))


if __name__ == "__main__":
    main()
