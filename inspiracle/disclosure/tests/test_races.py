"""Downloads and decisions that race (PRV-5): of 40 downloads of one export at the same moment exactly one gets
it, and of two approvals exactly one lands. Real threads, each with its own database connection; on SQLite
the IMMEDIATE transactions queue the writers, on PostgreSQL the row lock does."""

import pytest

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.testing import fire_parallel
from inspiracle.disclosure.models import DisclosureRequest
from inspiracle.disclosure.services.exports import export_download
from inspiracle.disclosure.services.requests import request_approve
from inspiracle.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def agreements(transactional_db):
    return agreements_load_directory(directory=DEFAULTS_DIR)


def test_forty_parallel_downloads_deliver_the_export_exactly_once(ana, lee, lena, recorded, fresh_storage):
    """REQ: PRV-5"""
    found = recorded(kinds=["registration"])
    request_approve(found=found, by=lena, reason="Checked")  # eager Celery: built on commit
    found.refresh_from_db()
    assert found.status == "exported"
    stored = fresh_storage / "private" / found.export_file.name
    officers = [lee, lena]
    outcomes = fire_parallel(lambda n: b"".join(export_download(found=found, by=officers[n % 2])))
    assert outcomes.count("passed") == 1, outcomes
    assert outcomes.count("refused") == 39
    found.refresh_from_db()
    assert found.status == "delivered" and not stored.exists()
    assert Notification.objects.filter(user=ana, template="disclosure_delivered").count() == 1


def test_two_approvals_at_once_make_one_decision_and_one_export(recorded, lena, ada, fresh_storage):
    found = recorded(kinds=["registration"])
    approvers = [lena, ada]
    outcomes = fire_parallel(
        lambda n: request_approve(found=found, by=approvers[n], reason="Checked"), times=2
    )
    assert sorted(outcomes) == ["passed", "refused"]
    found = DisclosureRequest.objects.get()
    assert found.status == "exported"
    assert len(list((fresh_storage / "private" / "disclosure" / "exports").iterdir())) == 1
