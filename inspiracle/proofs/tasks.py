"""The proof log's jobs."""

from celery import shared_task

from inspiracle.proofs.services import tree_head_sign


@shared_task(name="proofs.sign_tree_head")
def sign_tree_head() -> None:
    """Sign a new tree head when the log grew (beat, every minute)."""
    tree_head_sign()
