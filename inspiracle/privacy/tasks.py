"""ACC-3 jobs: ids only in every message (no personal data in task arguments)."""

from celery import shared_task

from inspiracle.privacy.anonymize import (
    account_anonymize,
    due_user_ids,
    kept_works_erase,
    kept_works_owner_ids,
)


@shared_task(name="privacy.anonymize_due")
def anonymize_due() -> int:
    """Beat: queue every cancellation whose cooling-off has ended and that is not done yet. A job that died
    half-way is queued again on the next run and resumes (each step is re-runnable)."""
    ids = due_user_ids()
    for user_id in ids:
        anonymize_account.delay(user_id)
    # Works kept through an erasure (an open case) are deleted once no case holds them any more.
    for user_id in kept_works_owner_ids():
        erase_kept_works.delay(user_id)
    return len(ids)


@shared_task(name="privacy.anonymize_account")
def anonymize_account(user_id: int) -> str:
    return account_anonymize(user_id=user_id)


@shared_task(name="privacy.erase_kept_works")
def erase_kept_works(user_id: int) -> int:
    return kept_works_erase(user_id=user_id)
