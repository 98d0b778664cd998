"""Template helpers for the reports part of the staff console."""

from django import template
from django.conf import settings

from inspiracle.reports.workdays import Replay, missing_years, replay_unknown_years

register = template.Library()


@register.simple_tag
def missing_calendar_years() -> list[int]:
    """RPT-16: ``{% missing_calendar_years as years %}``, the years whose holiday calendar is missing, for the
    alert on pages whose view does not already pass them (the console's dashboard)."""
    return missing_years()


@register.simple_tag
def unknown_year_replay() -> Replay:
    """RPT-16: ``{% unknown_year_replay as replay %}``, how early a due date without a year's calendar may be,
    measured by replaying the bundled years as if unknown (computed once per process)."""
    return replay_unknown_years(settings.REPORT_DEADLINE_WORKING_DAYS)
