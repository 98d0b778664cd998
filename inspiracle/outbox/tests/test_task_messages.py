"""Task arguments sit in the broker in clear, so tasks take ids only (PRV-1). The ``task_messages`` fixture
(inspiracle/core/pytest_task_messages.py) checks every message of every test; this test walks every flow
that sends mail or queues work and also looks for the values themselves."""

import re

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from inspiracle.agreements.tasks import announce_versions_in_force
from inspiracle.agreements.tests.test_agreements import publish_v2
from inspiracle.core.pytest_task_messages import offending
from inspiracle.core.testing import image_bytes
from inspiracle.notifications.services import notify
from inspiracle.reports.services import ReportInput, report_file
from inspiracle.reports.tests.test_flow import email_pass
from inspiracle.works.services import work_create


def test_no_task_message_carries_an_address_a_code_a_token_or_a_name(
    ana, task_messages, django_capture_on_commit_callbacks
):
    """REQ: PRV-1
    GIVEN every flow that queues a job: an upload, a notice, an e-mail code, a report notice to a visitor,
    a password reset with and without an account, the announcement of a new agreement version
    WHEN their jobs are queued THEN every message carries ids only, and none holds the e-mail addresses,
    the code, the report's key or the reporter's name."""
    with django_capture_on_commit_callbacks(execute=True):
        work_create(
            owner=ana,
            title="Spring rain",
            category="illustration",
            ai_use="none",
            rights_confirmed=True,
            files=[SimpleUploadedFile("rain.png", image_bytes("PNG"))],
        )
        notify(user=ana, template="work_approved", params={"title": "Spring rain"})
        Client().post("/accounts/password-reset/", {"email": "ana@example.com"})
        Client().post("/accounts/password-reset/", {"email": "nobody@example.com"})
        publish_v2()
        announce_versions_in_force()
    token = email_pass("rita@example.com", django_capture_on_commit_callbacks)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_file(
            reporter=None, email_pass=token, data=ReportInput(category="ip", name="Rita Holder")
        )

    names = {name for name, _args, _kwargs in task_messages}
    assert {"pipeline.process_file", "outbox.deliver"} <= names
    assert len(mail.outbox) >= 6
    assert [problem for message in task_messages for problem in offending(*message)] == []
    everything = repr(task_messages)
    for secret in (
        "ana@example.com",
        "nobody@example.com",
        "rita@example.com",
        code,
        report.access_token,
        "Rita",
    ):
        assert secret not in everything
