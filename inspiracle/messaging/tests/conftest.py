"""Messaging's cast: Cy writes to Ana (a creator) in a direct thread; Olga is another member who is party to
nothing of theirs. Helpers send through the services, as the pages and the API do."""

from collections.abc import Callable, Sequence

import pytest
from django.test import Client

from inspiracle.accounts.models import User
from inspiracle.core.testing import PDF, make_user
from inspiracle.messaging.models import Message, Thread
from inspiracle.messaging.services import direct_thread_open, message_send
from inspiracle.pipeline.documents import Upload
from inspiracle.works.tests.test_upload import token_client

Send = Callable[..., Message]


@pytest.fixture
def olga(agreements) -> User:
    return make_user("olga", email="olga@example.com")


@pytest.fixture
def cy(agreements) -> User:
    """Cy with registration information of his own, which must never show in a thread (PRV-4)."""
    return make_user(
        "cy",
        email="cy.private@example.com",
        legal_name="崔小宇",
        mobile="13811112222",
        mailing_address="上海市徐汇区漕溪北路 88 号",
    )


@pytest.fixture
def thread(ana, cy, django_capture_on_commit_callbacks) -> Thread:
    """Cy's direct thread with Ana, with his first message."""
    with django_capture_on_commit_callbacks(execute=True):
        return direct_thread_open(sender=cy, creator=ana, topic="Commission a poster", body="Hello Ana!")


@pytest.fixture
def send(django_capture_on_commit_callbacks) -> Send:
    """``send(thread, sender, body, files=[("a.pdf", bytes)])``: a message, and what its commit starts."""

    def send(
        thread: Thread, sender: User, body: str = "Hi", files: Sequence[tuple[str, bytes]] = ()
    ) -> Message:
        uploads = [Upload("files", name, data) for name, data in files]
        with django_capture_on_commit_callbacks(execute=True):
            return message_send(thread=thread, sender=sender, body=body, files=uploads)

    return send


@pytest.fixture
def api() -> Callable[[User], Client]:
    return token_client


PDF_FILE = ("brief.pdf", PDF)
