"""The public profile page: one query for a visitor, the message link for members (issue 14)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_visitor_s_profile_page_costs_one_query(ana):
    Client().get(f"/u/{ana.username}/")
    with CaptureQueriesContext(connection) as captured:
        page = Client().get(f"/u/{ana.username}/")
    assert page.status_code == 200 and "/messages/" not in page.content.decode()
    assert len(captured) == 1, [q["sql"] for q in captured]


def test_a_member_still_gets_the_message_link(ana, cy, client_for):
    """REQ: COM-7"""
    page = client_for(cy).get(f"/u/{ana.username}/").content.decode()
    assert f'href="/messages/new/{ana.username}/"' in page
