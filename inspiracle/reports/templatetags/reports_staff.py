"""Template helpers for the reports part of the staff console."""

from django import template

from inspiracle.reports.workdays import missing_years

register = template.Library()


@register.simple_tag
def missing_calendar_years() -> list[int]:
    """RPT-16: ``{% missing_calendar_years as years %}``, the years whose holiday calendar is missing, for the
    alert on pages whose view does not already pass them (the console's dashboard)."""
    return missing_years()
