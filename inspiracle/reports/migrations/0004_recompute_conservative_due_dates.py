"""RPT-16: a due date computed without a year's calendar counted weekdays only, which could be 1-3 days later
than the true date. Open reports with such a date get the date of the corrected rule where it is earlier."""

from django.conf import settings
from django.db import migrations


def recompute(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    open_reports = Report.objects.filter(status="accepted", due_conservative=True, completed_at__isnull=False)
    if not open_reports.exists():
        return  # a new database: nothing to correct, and no live code needed
    from inspiracle.audit.services import audit_record
    from inspiracle.reports.workdays import WorkingCalendar, add_working_days

    calendar = WorkingCalendar()
    for report in open_reports:
        due, conservative = add_working_days(
            report.completed_at, settings.REPORT_DEADLINE_WORKING_DAYS, calendar=calendar
        )
        if due < report.due_at:
            Report.objects.filter(pk=report.pk).update(due_at=due, due_conservative=conservative)
            audit_record(
                action="report.due_corrected",
                target_label=report.reference,
                data={"report": report.pk, "was": report.due_at.isoformat(), "due_at": due.isoformat()},
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_evidence_name_encrypted"), ("audit", "0002_append_only")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
