"""Parallel requests (ACC-4): however many arrive at once, one user gets one archive in progress (and one
count against the limit of two a day). Real threads with their own connections: on SQLite the IMMEDIATE
transactions queue them, on PostgreSQL the lock on the user's row does."""

import pytest

from inspiracle.agreements.services import DEFAULTS_DIR, agreements_load_directory
from inspiracle.core.testing import fire_parallel, make_user
from inspiracle.exports.models import Export
from inspiracle.exports.services import export_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_forty_parallel_requests_create_one_archive(transactional_db, monkeypatch):
    """REQ: ACC-4"""
    agreements_load_directory(directory=DEFAULTS_DIR)
    ana = make_user("ana")
    # The build is not what is raced here: the job message is not sent.
    monkeypatch.setattr("inspiracle.exports.services._queue", lambda export_id: None)
    outcomes = fire_parallel(lambda n: export_request(user=ana), times=40)
    assert outcomes.count("passed") == 40, outcomes
    assert Export.objects.filter(user=ana).count() == 1
