from celery import shared_task

from inspiracle.disclosure.services.exports import export_build


@shared_task(name="disclosure.build_export", acks_late=True)
def build_export(request_id: int) -> str:
    """PRV-5: an approved request's export, built off the request (it reads every file in scope)."""
    return export_build(request_id)
