import pytest

from inspiracle.core.testing import image_bytes
from inspiracle.moderation.services import review_approve
from inspiracle.works.models import Work
from inspiracle.works.tests.test_upload import token_client, upload


@pytest.fixture
def submit(ana, django_capture_on_commit_callbacks):
    """``submit(title=..., seed=...)``: one of Ana's works, through the API and the checks, awaiting review."""
    client = token_client(ana)

    def submit(title="Spring rain", seed=1):
        response = upload(
            client, [(f"{seed}.png", image_bytes(seed=seed))], django_capture_on_commit_callbacks, title=title
        )
        return Work.objects.get(pk=response.json()["id"])

    return submit


@pytest.fixture
def published_work(submit, mo):
    """``published_work(title=..., seed=...)``: one of Ana's works, approved by Mo."""

    def published_work(**kwargs):
        work = submit(**kwargs)
        review_approve(actor=mo, work=work)
        work.refresh_from_db()
        return work

    return published_work
