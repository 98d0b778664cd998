"""RPT-11: the transparency figures as JSON, for anyone: the same numbers as the public page."""

from datetime import date, datetime

from ninja import Router, Schema

from inspiracle.reports.staff_selectors import MonthFigures, transparency_figures

transparency_router = Router(tags=["reports"])


class FiguresOut(Schema):
    month: date | None
    received: int
    by_category: dict[str, int]
    upheld: int
    rejected: int
    open: int
    median_working_days: float | None
    on_time_percent: int | None
    strikes: int
    counter_notices_filed: int
    counter_notices_restored: int


class TransparencyOut(Schema):
    since: date
    computed_at: datetime
    months: list[FiguresOut]
    total: FiguresOut


def _figures(figures: MonthFigures, *, month: bool = True) -> dict:
    return {
        "month": figures.start if month else None,
        "received": figures.received,
        "by_category": figures.by_category,
        "upheld": figures.upheld,
        "rejected": figures.rejected,
        "open": figures.open,
        "median_working_days": figures.median_days,
        "on_time_percent": figures.on_time_percent,
        "strikes": figures.strikes,
        "counter_notices_filed": figures.counter_filed,
        "counter_notices_restored": figures.counter_restored,
    }


@transparency_router.get(
    "/reports/transparency", response=TransparencyOut, auth=None, url_name="reports-transparency"
)
def transparency(request):
    """The last 12 months (Beijing time): reports received (materials complete) by category and outcome, the
    median answer time in PRC working days, the share answered by the due date (of those decided or past
    it), strikes from upheld reports, counter-notices filed and content restored."""
    found = transparency_figures()
    return {
        "since": found["since"],
        "computed_at": found["now"],
        "months": [_figures(m) for m in found["months"]],
        "total": _figures(found["total"], month=False),
    }
