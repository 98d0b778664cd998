"""Limits under concurrency (issue 10): how many of 40 parallel requests get through each limit.

Run: uv run --offline python bench/limits.py [--parallel 40]
     (DATABASE_URL=postgres://... to measure on PostgreSQL; SQLite in a temporary folder otherwise)

Creates a test database (as the test suite does), then for each limit starts ``--parallel`` threads, each with
its own database connection, released together by a barrier, all calling the same service as the page and
the API do, from the same client address. "Through" counts calls the limit let pass (the service did its work,
or refused for another reason than the limit); the limit is what the settings allow in one window.
Registration probes: how many of the parallel registrations with a mobile number that is already registered
were told so, and how long the 40 answers took.
"""

import argparse
import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail, signing  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from inspiracle.core.errors import ApplicationError, Throttled  # noqa: E402
from inspiracle.core.http import Origin, current_origin  # noqa: E402

ADDRESS = "203.0.113.7"


def fire(parallel: int, call: Callable[[int], None]) -> tuple[int, int, float]:
    """(through, throttled, seconds) of ``parallel`` simultaneous calls."""
    barrier = threading.Barrier(parallel)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        current_origin.set(Origin(ip=ADDRESS, user_agent="bench"))
        barrier.wait()
        try:
            call(n)
            outcome = "through"
        except Throttled:
            outcome = "throttled"
        except ApplicationError as exc:
            outcome = "throttled" if exc.status == 429 else "through"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(parallel)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes.count("through"), outcomes.count("throttled"), time.perf_counter() - started


def reset() -> None:
    """Forget every counter between limits, whatever the code under test keeps them in (the code before
    the atomic limiter counted reports and email proofs themselves)."""
    from django.apps import apps

    from inspiracle.reports.models import EmailProof, Report

    EmailProof.objects.all().delete()
    Report.objects.all().delete()

    for label, model in (("core", "RateCounter"), ("accounts", "SigninThrottle")):
        with contextlib.suppress(LookupError):  # either table, depending on the code measured
            apps.get_model(label, model).objects.all().delete()
    mail.outbox = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=int, default=40)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        measure(args.parallel)
    finally:
        runner.teardown_databases(old)


def measure(parallel: int) -> None:
    from inspiracle.accounts import security
    from inspiracle.accounts.password_reset import password_reset_request
    from inspiracle.accounts.services import RegistrationData, user_register
    from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
    from inspiracle.core.testing import accepted_labels, make_user
    from inspiracle.reports.services import ReportInput, email_proof_start, report_file

    settings.CELERY_TASK_ALWAYS_EAGER = True
    agreements_load_directory(directory=DEFAULTS_DIR)
    make_user("ana", email="ana@example.com", mobile="13900000001")
    cy = make_user("cy", email="cy@example.com")
    email_pass = signing.dumps({"email": "visitor@example.com"}, salt="reports.email-proof")
    print(f"{parallel} parallel calls from one address, database: {connection.vendor}")
    print(f"{'limit':52} {'allowed':>7} {'through':>7} {'429':>5} {'seconds':>8}")

    def row(name: str, allowed: int, call: Callable[[int], None]) -> None:
        reset()
        through, throttled, seconds = fire(parallel, call)
        print(f"{name:52} {allowed:>7} {through:>7} {throttled:>5} {seconds:>8.2f}")

    row(
        "reports per network (member)",
        settings.REPORTS_PER_HOUR_PER_IP,
        lambda n: report_file(reporter=cy, data=ReportInput(category="privacy")),
    )
    row(
        "reports per network (visitor)",
        settings.REPORTS_PER_HOUR_PER_IP,
        lambda n: report_file(reporter=None, email_pass=email_pass, data=ReportInput(category="privacy")),
    )
    row(
        "email codes per address",
        getattr(settings, "EMAIL_CODES_PER_HOUR_PER_ADDRESS", 5),
        lambda n: email_proof_start(email="visitor@example.com"),
    )
    row(
        "email codes per network",
        getattr(settings, "EMAIL_CODES_PER_HOUR_PER_IP", 20),
        lambda n: email_proof_start(email=f"visitor{n}@example.com"),
    )
    row(
        "passwords checked for one account",
        settings.SIGNIN_SLOWDOWN_AFTER,
        lambda n: security.check_password_signin(None, username="ana", password="wrong password"),
    )
    row(
        "password reset mails per address",
        getattr(settings, "PASSWORD_RESETS_PER_HOUR_PER_ADDRESS", 0),
        lambda n: password_reset_request(email="ana@example.com"),
    )
    print(f"{'':52} (mails sent to ana: {len(mail.outbox)})")
    row(
        "password reset requests per network",
        getattr(settings, "PASSWORD_RESETS_PER_HOUR_PER_IP", 0),
        lambda n: password_reset_request(email=f"someone{n}@example.com"),
    )

    def probe(n: int) -> None:
        try:
            user_register(
                data=RegistrationData(
                    username=f"probe{n}",
                    password="correct horse battery staple",
                    kind="person",
                    legal_name="Probe",
                    mailing_address="Somewhere 1",
                    mobile="13900000001",
                ),
                accepted=accepted_labels(),
                age_attested=True,
            )
        except ApplicationError as exc:
            if exc.status == 429 or "mobile" not in exc.fields:
                raise
            told.append(n)

    told: list[int] = []
    # Registration tries are slowed like sign-in (REGISTRATIONS_PER_HOUR_PER_IP caps the hour): at once,
    # only the tries before the slow-down pass. The code before the limiter had no limit at all.
    allowed = settings.SIGNIN_SLOWDOWN_AFTER if hasattr(settings, "REGISTRATIONS_PER_HOUR_PER_IP") else 0
    row("registration probes per network (mobile taken)", allowed, probe)
    print(f"{'':52} (answers that said the mobile is registered: {len(told)})")


if __name__ == "__main__":
    main()
