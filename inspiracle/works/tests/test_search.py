"""Searching the gallery finds only what the public sees (MOD-4, PRV-3)."""

import pytest
from django.test import Client

from inspiracle.moderation.services import content_mask

pytestmark = pytest.mark.django_db

ID_NUMBER = "110101199003078888"


def test_a_title_staff_masked_is_not_found_by_its_words_in_the_gallery_or_the_api(published_work, mo):
    """REQ: MOD-4, PRV-3
    GIVEN a published title carrying someone's ID number WHEN staff mask the title THEN searching the number
    or any word of the hidden title finds nothing, on the page and through the API; other works still match."""
    exposed = published_work(title=f"Portrait of Li {ID_NUMBER}", seed=1)
    other = published_work(title="Portrait of spring", seed=2)
    visitor = Client()
    assert [w["id"] for w in visitor.get(f"/api/works/public?q={ID_NUMBER}").json()["items"]] == [exposed.pk]

    content_mask(actor=mo, work=exposed, part="title", reason_code="insult_defamation", message="ID number")

    for q in (ID_NUMBER, "Li", f"portrait {ID_NUMBER}"):
        assert visitor.get(f"/api/works/public?q={q}").json()["items"] == [], q
        page = visitor.get(f"/gallery/?q={q}").content.decode()
        assert f'href="/works/{exposed.pk}/"' not in page, q  # (the search box shows the query itself)
    assert [w["id"] for w in visitor.get("/api/works/public?q=portrait").json()["items"]] == [other.pk]
    # Unsearched, the work is still listed (its other parts stay published), under the placeholder title.
    listed = {w["id"]: w for w in visitor.get("/api/works/public").json()["items"]}
    assert exposed.pk in listed and ID_NUMBER not in str(listed[exposed.pk])
