from celery import shared_task

from inspiracle.moderation.services import sanctions_expire


@shared_task(name="moderation.expire_sanctions")
def expire_sanctions() -> int:
    return sanctions_expire()
