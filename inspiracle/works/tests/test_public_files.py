"""A published work's thumbnail and preview at their public, content-addressed address: cacheable by anyone for a
year, found only while the work is published and the file unmasked; every other file keeps its access check
(works/files.py, issue 14)."""

import re

import pytest
from django.test import Client

from inspiracle.moderation.services import content_mask
from inspiracle.works.services import work_unpublish

pytestmark = pytest.mark.django_db

PUBLIC = re.compile(r'src="(/works/public/(\d+)/([0-9a-f]+)/(thumbnail|preview)\.webp)"')


def addresses(url: str) -> list[str]:
    return [m.group(1) for m in PUBLIC.finditer(Client().get(url).content.decode())]


def test_a_published_work_s_pictures_are_cached_by_browsers_for_a_year(published_work, ana):
    """REQ: WRK-3"""
    work = published_work(seed=1)
    row = work.files.get()
    thumbnail = f"/works/public/{row.pk}/"
    assert [a for a in addresses("/gallery/") if a.startswith(thumbnail)]
    assert [a for a in addresses(f"/u/{ana.username}/works/") if a.startswith(thumbnail)]
    [preview] = addresses(f"/works/{work.pk}/")
    assert preview.endswith("/preview.webp")

    signed_in = Client()
    signed_in.force_login(ana)
    response = signed_in.get(preview)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Type"] == "image/webp" and response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Robots-Tag"] == "noai, noimageai"  # WRK-11: the default "no AI training"
    # The same bytes for everyone: no Vary on the cookie or the language, so a shared cache keeps one copy.
    assert "Vary" not in response and "Content-Language" not in response and not response.cookies
    etag = response["ETag"]
    again = Client().get(preview, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again["ETag"] == etag


def test_only_the_right_digest_of_a_public_derivative_is_found(published_work):
    """REQ: WRK-3, PRV-3"""
    work = published_work(seed=1)
    [preview] = addresses(f"/works/{work.pk}/")
    file_id, digest = PUBLIC.search(f'src="{preview}"').group(2, 3)
    wrong = "0" * len(digest)
    for path in (
        f"/works/public/{file_id}/{wrong}/preview.webp",
        f"/works/public/{file_id}/{digest}/original.webp",
        f"/works/public/{file_id}/{digest}/thumbnail.webp",  # the preview's digest is not the thumbnail's
        f"/works/public/{int(file_id) + 1}/{digest}/preview.webp",
    ):
        assert Client().get(path).status_code == 404, path


def test_unpublishing_takes_the_address_off_every_page_and_closes_it(published_work, ana, client_for):
    """REQ: WRK-3
    GIVEN a published work's picture at its public address WHEN Ana unpublishes the work THEN no page points at
    the address any more, the address answers 404, and Ana still sees her work through the checked address,
    never cached."""
    work = published_work(seed=1)
    [preview] = addresses(f"/works/{work.pk}/")
    work_unpublish(actor=ana, work=work)
    assert not addresses("/gallery/") and not addresses(f"/u/{ana.username}/works/")
    assert Client().get(f"/works/{work.pk}/").status_code == 404
    assert Client().get(preview).status_code == 404

    row = work.files.get()
    owner_page = client_for(ana).get(f"/works/{work.pk}/").content.decode()
    assert "/works/public/" not in owner_page
    checked = f"/works/{work.pk}/files/{row.pk}/preview"
    assert f'src="{checked}"' in owner_page
    response = client_for(ana).get(checked)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert Client().get(checked).status_code == 404


def test_a_masked_file_leaves_its_public_address(published_work, mo):
    """REQ: MOD-4"""
    work = published_work(seed=1)
    row = work.files.get()
    [preview] = addresses(f"/works/{work.pk}/")
    content_mask(
        actor=mo, work=work, part="file", file_id=row.pk, reason_code="insult_defamation", message="x"
    )
    assert Client().get(preview).status_code == 404
    assert not addresses(f"/works/{work.pk}/") and not addresses("/gallery/")
    # Staff still see it, at the access-checked address, never cacheable by a proxy for others.
    staff = Client()
    staff.force_login(mo)
    response = staff.get(f"/works/{work.pk}/files/{row.pk}/preview")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store" and "Cookie" in response["Vary"]
