from celery import shared_task

from inspiracle.staff.housekeeping import housekeeping_run


@shared_task(name="housekeeping.run")
def housekeeping() -> dict[str, int]:
    """Nightly (config/celery.py): expired sessions, throttle rows, e-mail codes and empty folders."""
    return housekeeping_run()
