"""The staff console's own forms and lists against malformed input."""

import pytest

pytestmark = pytest.mark.django_db


def test_removing_with_a_malformed_id_is_not_found_rather_than_an_error(ada, client_for):
    client = client_for(ada)
    assert client.post("/staff/names/", {"remove": "abc"}).status_code == 404
    assert client.post("/staff/screening/", {"remove": "1 OR 1=1"}).status_code == 404


def test_a_negative_page_is_refused_naming_the_field(ada, client_for):
    """REQ: AUD-1, UX-2"""
    client = client_for(ada)
    refused = client.get("/api/staff/audit?page=-5&page_size=2")
    assert refused.status_code == 422 and set(refused.json()["error"]["fields"]) == {"page"}
    assert len(client.get("/api/staff/audit?page_size=2").json()["items"]) == 2
    assert client.get("/api/staff/verification").json()["items"] == []
