"""The staff console's own forms and lists against malformed input."""

import pytest

pytestmark = pytest.mark.django_db


def test_removing_with_a_malformed_id_is_not_found_rather_than_an_error(ada, client_for):
    client = client_for(ada)
    assert client.post("/staff/names/", {"remove": "abc"}).status_code == 404
    assert client.post("/staff/screening/", {"remove": "1 OR 1=1"}).status_code == 404


def test_a_negative_offset_lists_from_the_start(ada, client_for):
    """REQ: AUD-1"""
    client = client_for(ada)
    assert client.get("/api/staff/audit?offset=-5&limit=2").status_code == 200
    assert client.get("/api/staff/verification?offset=-5").json() == []
