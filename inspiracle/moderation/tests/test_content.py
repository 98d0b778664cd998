"""Taking down and masking published works (MOD-4)."""

import pytest
from django.test import Client

from inspiracle.core.errors import ApplicationError
from inspiracle.core.testing import image_bytes
from inspiracle.moderation.services import content_mask, content_take_down, decision_reverse
from inspiracle.notifications.models import Notification
from inspiracle.works.models import Work
from inspiracle.works.services import work_publish
from inspiracle.works.tests.test_upload import token_client, upload


@pytest.fixture
def published(ana, mo, django_capture_on_commit_callbacks) -> Work:
    response = upload(
        token_client(ana),
        [("a.png", image_bytes(seed=1)), ("b.png", image_bytes(seed=2))],
        django_capture_on_commit_callbacks,
        title="Secret title",
        description="A description.",
    )
    return work_publish(actor=mo, work=Work.objects.get(pk=response.json()["id"]))


def test_a_taken_down_work_leaves_every_public_page_and_the_owner_is_told_why(published, mo, ana, client_for):
    """REQ: MOD-4, UX-4"""
    with pytest.raises(ApplicationError):
        content_take_down(actor=mo, work=published, reason_code="")
    decision = content_take_down(
        actor=mo, work=published, reason_code="third_party_rights", message="Reported copy."
    )
    row = published.files.first()
    for url in (
        f"/works/{published.pk}/",
        f"/api/works/{published.pk}",
        f"/works/{published.pk}/files/{row.pk}/preview",
    ):
        assert Client().get(url).status_code == 404, url
    assert Client().get("/api/works/public").json()["items"] == []
    owner_page = client_for(ana).get(f"/works/{published.pk}/").content.decode()
    assert "Staff took this work down" in owner_page
    notice = Notification.objects.get(user=ana, template="work_taken_down")
    assert notice.reason_code == "third_party_rights"
    decision_reverse(actor=mo, decision=decision, reason="the report was withdrawn")
    assert Client().get(f"/works/{published.pk}/").status_code == 200


def test_masking_hides_one_part_and_leaves_the_rest_public(published, mo, ana, client_for):
    """REQ: MOD-4"""
    first, second = published.files.all()
    content_mask(actor=mo, work=published, part="title", reason_code="insult_defamation")
    content_mask(actor=mo, work=published, part="file", file_id=second.pk, reason_code="unsuitable")
    visitor = Client()
    page = visitor.get(f"/works/{published.pk}/").content.decode()
    assert "Secret title" not in page and "title hidden by the platform" in page
    assert "A description." in page
    assert visitor.get(f"/works/{published.pk}/files/{first.pk}/preview").status_code == 200
    assert visitor.get(f"/works/{published.pk}/files/{second.pk}/preview").status_code == 404
    record = visitor.get(f"/api/works/{published.pk}").json()
    assert record["title"] != "Secret title" and [f["id"] for f in record["files"]] == [first.pk]
    assert "Secret title" not in visitor.get("/gallery/").content.decode()
    owner = client_for(ana).get(f"/works/{published.pk}/").content.decode()
    assert "Secret title" in owner and "masked for the public" in owner


def test_the_owner_sees_each_masked_part_marked_as_the_banner_says(published, mo, ana, client_for):
    """REQ: MOD-4
    GIVEN staff masked the description and one file WHEN the owner opens the work THEN the banner says the
    hidden parts are marked, and the description and that file (only that one) carry the mark."""
    first, second = published.files.all()
    content_mask(actor=mo, work=published, part="description", reason_code="insult_defamation")
    owner = client_for(ana).get(f"/works/{published.pk}/").content.decode()
    assert "the parts marked as masked" in owner and "Description masked for the public" in owner
    assert "Title masked for the public" not in owner and "masked for the public</span> a.png" not in owner
    content_mask(actor=mo, work=published, part="file", file_id=second.pk, reason_code="unsuitable")
    content_mask(actor=mo, work=published, part="title", reason_code="insult_defamation")
    owner = client_for(ana).get(f"/works/{published.pk}/").content.decode()
    assert "Title masked for the public" in owner
    assert owner.count('<span class="mark exclusive">masked for the public</span>') == 1
    visitor = Client().get(f"/works/{published.pk}/").content.decode()
    assert "masked for the public" not in visitor and "the parts marked as masked" not in visitor


def test_a_work_with_only_a_masked_file_tells_its_owner_too(published, mo, ana, client_for):
    """REQ: MOD-4 — before, the banner only appeared for a masked title or description."""
    second = published.files.all()[1]
    content_mask(actor=mo, work=published, part="file", file_id=second.pk, reason_code="unsuitable")
    owner = client_for(ana).get(f"/works/{published.pk}/").content.decode()
    assert "the parts marked as masked" in owner and "masked for the public" in owner


def test_content_actions_through_the_api_and_only_by_staff(published, mo, cy, client_for):
    """REQ: MOD-4, MOD-7"""
    refused = client_for(cy).post(
        f"/api/staff/works/{published.pk}/takedown",
        {"reason_code": "rumours"},
        content_type="application/json",
    )
    assert refused.status_code in (403, 404)
    masked = client_for(mo).post(
        f"/api/staff/works/{published.pk}/mask",
        {"part": "description", "reason_code": "rumours"},
        content_type="application/json",
    )
    assert masked.status_code == 200 and masked.json()["kind"] == "mask"
    assert "A description." not in Client().get(f"/works/{published.pk}/").content.decode()
    page = client_for(mo).post(
        f"/staff/review/{published.pk}/act/", {"action": "takedown", "reason_code": "rumours"}
    )
    assert page.status_code == 302
    assert Work.objects.get(pk=published.pk).status == "taken_down"
