import re

import pytest
from django.core import mail

from inspiracle.reposts.services import AskInput, repost_ask
from inspiracle.works.models import Work


@pytest.fixture
def repostable(published_work):
    """``repostable(**kwargs)``: one of Ana's published works whose owner allows reposting (WRK-5)."""

    def repostable(**kwargs):
        work = published_work(**kwargs)
        Work.objects.filter(pk=work.pk).update(repost_allowed=True)
        work.refresh_from_db()
        return work

    return repostable


@pytest.fixture
def ask():
    """``ask(user, work, **changes)``: a valid request of ``user`` to repost ``work`` on blog.example.com."""

    def ask(user, work, email_pass="", **changes):
        data = {
            "work_id": work.pk,
            "site_url": "https://blog.example.com/posts/1",
            "purpose": "A review",
            "months": 6,
        }
        data.update(changes)
        return repost_ask(requester=user, data=AskInput(**data), email_pass=email_pass)

    return ask


def code_from_outbox() -> str:
    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)
