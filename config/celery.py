import os
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("inspiracle")
app.config_from_object("django.conf:settings", namespace="CELERY")

if app.conf.broker_url.startswith("sqla+"):
    # The embedded SQLite broker is polled, once a second by default; a quarter second keeps an upload's
    # "processing" short. Set on the class because this transport hands its options to create_engine().
    from kombu.transport.sqlalchemy import Transport

    Transport.polling_interval = 0.25
app.autodiscover_tasks()

# Every periodic job, in code (DESIGN.md: not django-celery-beat).
app.conf.beat_schedule = {
    "agreements-announce-versions-in-force": {
        "task": "agreements.announce_versions_in_force",
        # Just after midnight Beijing time, when a version's effective date begins, and hourly as a catch-up.
        "schedule": crontab(minute=5),
    },
    # A file whose worker died is resumed within a minute: its claim stops beating after 20 s (runner.STALE).
    "pipeline-requeue-stalled": {"task": "pipeline.requeue_stalled", "schedule": 20.0},
    # E-mails whose job was lost (broker down at commit, a worker died) or whose retry is due.
    "outbox-sweep": {"task": "outbox.sweep", "schedule": 60.0},
    # MOD-5: timed sanctions end on their own (enforcement reads the end time; this records it and tells).
    "moderation-expire-sanctions": {"task": "moderation.expire_sanctions", "schedule": 60.0},
    # COM-2: unanswered licensing requests expire; COM-3: exclusive marks follow their grants' terms.
    "licensing-expire-requests": {"task": "licensing.expire_requests", "schedule": 300.0},
    "licensing-sync-exclusive-marks": {"task": "licensing.sync_exclusive_marks", "schedule": 60.0},
    # RPT-15: a licence offered instead of a takedown was agreed (resolved) or not (the takedown applies).
    "reports-settle-licences": {"task": "reports.settle_licences", "schedule": 60.0},
    # RPT-10: identity documents and proofs go a set time after their report closed; daily, at night.
    "reports-purge": {"task": "reports.purge", "schedule": crontab(hour=3, minute=30)},
    # WRK-10: a new signed tree head when the proof log grew.
    "proofs-sign-tree-head": {"task": "proofs.sign_tree_head", "schedule": 60.0},
    # COM-4: mockups whose job was lost (broker down at commit, a worker died) are rendered again.
    "shop-requeue-mockups": {"task": "shop.requeue_mockups", "schedule": 60.0},
    # ACC-4: archives past their 7 days are deleted; builds whose job was lost are queued again.
    "exports-sweep": {"task": "exports.sweep", "schedule": 60.0},
    # RPT-6: legal officers are e-mailed when a report has 3 working days left and when it is overdue (once each).
    "staff-deadline-reminders": {"task": "staff.deadline_reminders", "schedule": crontab(minute=20)},
    "housekeeping": {"task": "housekeeping.run", "schedule": crontab(hour=4, minute=10)},  # OPS-3
    # ACC-3: cancellations whose cooling-off ended are carried out (and ones a dead job left half-done resumed).
    "privacy-anonymize-due": {"task": "privacy.anonymize_due", "schedule": 600.0},
}
app.conf.timezone = "Asia/Shanghai"

# `serve` says the platform is ready only once the worker takes jobs; the worker says so with this file.
WORKER_READY_FILE = "worker.ready"


@worker_ready.connect
def _tell_serve(**kwargs):
    from django.conf import settings

    Path(settings.DATA_DIR, WORKER_READY_FILE).touch()
