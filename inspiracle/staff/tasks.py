from celery import shared_task

from inspiracle.staff.housekeeping import housekeeping_run
from inspiracle.staff.services import deadline_reminders_send


@shared_task(name="housekeeping.run")
def housekeeping() -> dict[str, int]:
    """Nightly (config/celery.py): expired sessions, throttle rows, e-mail codes and empty folders."""
    return housekeeping_run()


@shared_task(name="staff.deadline_reminders")
def deadline_reminders() -> int:
    """RPT-6: e-mail the legal officers about reports 3 working days from their deadline or past it; hourly
    (config/celery.py). No arguments: it finds the reports itself."""
    return deadline_reminders_send()
