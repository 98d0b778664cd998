"""RPT-11: the public transparency page: reports received by category and outcome, answer times in working
days, the share answered by the due date, strikes and counter-notices, for the last 12 months; charts drawn on
the server, with the same figures in words and in a table."""

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from inspiracle.core.fragments import cached_fragment
from inspiracle.reports.charts import Series, bar_chart
from inspiracle.reports.models import Category
from inspiracle.reports.staff_selectors import transparency_figures

# The figures are a year of aggregates, the same for every reader and costly to count and draw: the rendered
# figures are kept this long (per language), and the page says when they were counted and how often.
FIGURES_SECONDS = 10 * 60


def page(request):
    figures = cached_fragment(
        name="transparency",
        request=request,
        asked=(),
        depends_on=(),
        seconds=FIGURES_SECONDS,
        render=lambda: _figures(request),
    )
    return render(request, "reports/transparency.html", {"figures": figures})


def _figures(request) -> str:
    figures = transparency_figures()
    context = {
        **figures,
        "charts": _charts(figures),
        "categories": Category.labels,
        "deadline_days": settings.REPORT_DEADLINE_WORKING_DAYS,
        "refresh_minutes": FIGURES_SECONDS // 60,
    }
    return render_to_string("reports/_transparency_figures.html", context, request=request)


def _chart(**chart) -> dict:
    return {"title": chart["title"], "svg": bar_chart(**chart)}


def _charts(figures: dict) -> list[dict]:
    months, total = figures["months"], figures["total"]
    labels = [date_format(m.start, "M") for m in months]
    period = {
        "first": date_format(months[0].start, "YEAR_MONTH_FORMAT"),
        "last": date_format(months[-1].start, "YEAR_MONTH_FORMAT"),
    }
    see_table = _("The table below gives each month's figures.")
    by_category = pgettext("list separator", ", ").join(
        f"{label} {n}" for label, n in zip(Category.labels, total.category_counts, strict=True)
    )
    median = total.median_days
    share = total.on_time_percent
    return [
        _chart(
            ident="chart-outcome",
            title=_("Reports received per month, by outcome"),
            summary=_(
                "From %(first)s to %(last)s: %(total)d reports received, %(upheld)d upheld, %(rejected)d rejected "
                "and %(open)d still under review."
            )
            % {
                **period,
                "total": total.received,
                "upheld": total.upheld,
                "rejected": total.rejected,
                "open": total.open,
            }
            + " "
            + see_table,
            labels=labels,
            series=[
                Series(pgettext("report outcome", "Upheld"), [m.upheld for m in months]),
                Series(_("Rejected"), [m.rejected for m in months]),
                Series(_("Under review"), [m.open for m in months]),
            ],
        ),
        _chart(
            ident="chart-category",
            title=_("Reports received per month, by category"),
            summary=_("From %(first)s to %(last)s, by category: %(counts)s.")
            % {**period, "counts": by_category}
            + " "
            + see_table,
            labels=labels,
            series=[
                Series(label, [m.category_counts[k] for m in months])
                for k, label in enumerate(Category.labels)
            ],
        ),
        _chart(
            ident="chart-days",
            title=_("Median answer time, in working days"),
            summary=(
                _("Over the 12 months, half of the reports were answered within %(days)s working days.")
                % {"days": f"{median:g}"}
                if median is not None
                else _("No report was decided in these 12 months.")
            )
            + " "
            + see_table,
            labels=labels,
            series=[Series(_("Median working days"), [m.median_days for m in months])],
        ),
        _chart(
            ident="chart-on-time",
            title=_("Share answered by the due date (%)"),
            summary=(
                _("Over the 12 months, %(share)d%% of the reports were answered by their due date.")
                % {"share": share}
                if share is not None
                else _("No report reached its due date or was decided in these 12 months.")
            )
            + " "
            + see_table,
            labels=labels,
            series=[Series(_("Answered by the due date (%)"), [m.on_time_percent for m in months])],
            top=100,
        ),
        _chart(
            ident="chart-strikes",
            title=_("Strikes and counter-notices per month"),
            summary=_(
                "From %(first)s to %(last)s: %(strikes)d strikes from upheld reports, %(filed)d counter-notices "
                "filed, %(restored)d times content restored after a counter-notice."
            )
            % {
                **period,
                "strikes": total.strikes,
                "filed": total.counter_filed,
                "restored": total.counter_restored,
            }
            + " "
            + see_table,
            labels=labels,
            series=[
                Series(_("Strikes"), [m.strikes for m in months]),
                Series(_("Counter-notices filed"), [m.counter_filed for m in months]),
                Series(_("Content restored"), [m.counter_restored for m in months]),
            ],
            stacked=False,
        ),
    ]
