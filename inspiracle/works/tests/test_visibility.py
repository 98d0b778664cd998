"""Who sees a work, its files and its record, before and after publication (WRK-3, PRV-3), and what the
public pages say about its rights (WRK-4, WRK-5, WRK-6, WRK-11)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inspiracle.core.testing import image_bytes, make_user
from inspiracle.works.models import Work
from inspiracle.works.services import work_publish, work_update
from inspiracle.works.tests.test_upload import stored_files, token_client, upload

KINDS = ("thumbnail", "preview", "original")


@pytest.fixture
def work(ana, django_capture_on_commit_callbacks) -> Work:
    response = upload(
        token_client(ana), [("one.png", image_bytes(seed=3))], django_capture_on_commit_callbacks
    )
    return Work.objects.get(pk=response.json()["id"])


def addresses(work: Work) -> list[str]:
    row = work.files.get()
    pages = [f"/works/{work.pk}/", f"/api/works/{work.pk}"]
    files = [f"/works/{work.pk}/files/{row.pk}/{kind}" for kind in KINDS]
    api_files = [f"/api/works/{work.pk}/files/{row.pk}/{kind}" for kind in KINDS]
    return pages + files + api_files


def test_a_work_under_review_is_not_found_at_any_address_by_strangers(work, cy, client_for):
    """REQ: WRK-3, PRV-3"""
    for client in (Client(), client_for(cy), token_client(cy)):
        for url in addresses(work):
            assert client.get(url).status_code == 404, url
    assert Client().get("/api/works/public").json()["items"] == []
    assert work.title not in Client().get("/gallery/").content.decode()


def test_the_owner_and_staff_see_everything_of_a_private_work(work, ana, mo, client_for):
    """REQ: WRK-3, PRV-3"""
    for client in (client_for(ana), client_for(mo)):
        for url in addresses(work):
            assert client.get(url).status_code == 200, url


def test_guessed_file_addresses_of_another_work_are_not_found(
    work, ana, ben, client_for, django_capture_on_commit_callbacks
):
    """REQ: PRV-3: a file id that exists, under a work id the reader may see, is still not found."""
    bens = upload(
        token_client(ben), [("b.png", image_bytes(seed=4))], django_capture_on_commit_callbacks
    ).json()
    work_publish(actor=make_user("mod2", role="moderator"), work=Work.objects.get(pk=bens["id"]))
    ana_file = work.files.get().pk
    for kind in KINDS:
        assert Client().get(f"/works/{bens['id']}/files/{ana_file}/{kind}").status_code == 404
        assert client_for(ben).get(f"/works/{bens['id']}/files/{ana_file}/{kind}").status_code == 404
    assert Client().get(f"/works/{bens['id']}/files/{ana_file + 1000}/thumbnail").status_code == 404


def test_published_works_show_derivatives_to_everyone_but_never_the_original(work, mo, cy, client_for):
    """REQ: WRK-3"""
    work_publish(actor=mo, work=work)
    row = work.files.get()
    visitor = Client()
    assert visitor.get(f"/works/{work.pk}/").status_code == 200
    for kind in ("thumbnail", "preview"):
        response = visitor.get(f"/works/{work.pk}/files/{row.pk}/{kind}")
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert visitor.get(f"/works/{work.pk}/files/{row.pk}/original").status_code == 404
    assert client_for(cy).get(f"/api/works/{work.pk}/files/{row.pk}/original").status_code == 404
    assert visitor.get(f"/api/works/{work.pk}").json()["files"][0]["original_url"] is None


def test_the_gallery_lists_published_works_by_category_tag_and_title(work, mo, django_assert_max_num_queries):
    work_publish(actor=mo, work=work)
    visitor = Client()
    assert [w["id"] for w in visitor.get("/api/works/public").json()["items"]] == [work.pk]
    assert [w["id"] for w in visitor.get("/api/works/public?tag=INK").json()["items"]] == [work.pk]
    assert visitor.get("/api/works/public?category=logo").json()["items"] == []
    assert [w["id"] for w in visitor.get("/api/works/public?q=spring").json()["items"]] == [work.pk]
    assert visitor.get("/api/works/public?q=autumn").json()["items"] == []
    page = visitor.get("/gallery/?tag=ink")
    assert "Spring rain" in page.content.decode()
    assert "Spring rain" in visitor.get(f"/u/{work.owner.username}/works/").content.decode()


def test_the_gallery_query_count_does_not_grow_with_the_works_shown(
    ana, mo, django_capture_on_commit_callbacks
):
    client = token_client(ana)

    def publish(seed):
        response = upload(
            client, [(f"{seed}.png", image_bytes(seed=seed))], django_capture_on_commit_callbacks
        )
        work_publish(actor=mo, work=Work.objects.get(pk=response.json()["id"]))

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(url).status_code == 200
        return len(captured)

    publish(1)
    one = (queries("/gallery/"), queries("/api/works/public"))
    for seed in range(2, 6):
        publish(seed)
    assert (queries("/gallery/"), queries("/api/works/public")) == one


def test_the_work_page_states_licence_reposting_and_ai_and_forbids_ai_training(
    work, mo, ana, django_capture_on_commit_callbacks
):
    """REQ: WRK-4, WRK-5, WRK-11"""
    work_update(actor=ana, work=work, changes={"repost_allowed": True, "ai_use": "assisted"})
    work_publish(actor=mo, work=work)
    response = Client().get(f"/works/{work.pk}/")
    page = response.content.decode()
    assert response["X-Robots-Tag"] == "noai, noimageai"
    assert '<meta name="robots" content="noai, noimageai">' in page
    assert "Creator Display Authorization, version 1" in page
    assert "AI-assisted" in page
    record = Client().get(f"/api/works/{work.pk}")
    assert record["X-Robots-Tag"] == "noai, noimageai"
    body = record.json()
    assert body["licence"]["agreement"] == "creator-display-authorization@1"
    assert body["attribution"].startswith(ana.profile.display_name)
    assert body["attribution"].endswith("Source: Inspiracle")
    assert f"/works/{work.pk}/" in body["attribution"]
    assert body["attribution"] in page.replace("&quot;", '"').replace("&#x27;", "'")


def test_reposting_is_off_by_default(work, mo):
    """REQ: WRK-5"""
    work_publish(actor=mo, work=work)
    body = Client().get(f"/api/works/{work.pk}").json()
    assert body["repost_allowed"] is False and body["attribution"] is None
    assert "Not allowed" in Client().get(f"/works/{work.pk}/").content.decode()


def test_the_exclusive_mark_shows_everywhere_and_reposting_cannot_be_allowed(work, mo, ana, client_for):
    """REQ: WRK-6"""
    Work.objects.filter(pk=work.pk).update(exclusive_since=timezone.now())
    work_publish(actor=mo, work=work)
    assert "Exclusive License, No Reposting" in Client().get(f"/works/{work.pk}/").content.decode()
    assert "Exclusive License, No Reposting" in Client().get("/gallery/").content.decode()
    assert "Exclusive License, No Reposting" in Client().get(f"/api/works/{work.pk}").json()["exclusive_mark"]
    refused = client_for(ana).patch(
        f"/api/works/{work.pk}", {"repost_allowed": True}, content_type="application/json"
    )
    assert refused.status_code == 400 and "repost_allowed" in refused.json()["error"]["fields"]
    assert Work.objects.get(pk=work.pk).repost_allowed is False


def test_a_new_title_sends_a_published_work_back_to_review_but_new_tags_do_not(work, mo, ana):
    """REQ: WRK-8"""
    work_publish(actor=mo, work=work)
    work = work_update(actor=ana, work=work, changes={"tags": ["ink", "rain"]})
    assert work.status == "published"
    work = work_update(actor=ana, work=work, changes={"title": "Summer rain"})
    assert work.status == "awaiting_review" and work.revision == 2
    assert Client().get(f"/works/{work.pk}/").status_code == 404


def test_the_owner_unpublishes_and_publishes_again(work, mo, ana, client_for):
    """REQ: WRK-8"""
    work_publish(actor=mo, work=work)
    client = client_for(ana)
    assert client.post(f"/api/works/{work.pk}/unpublish").json()["status"] == "unpublished"
    assert Client().get(f"/works/{work.pk}/").status_code == 404
    assert client.post(f"/api/works/{work.pk}/republish").json()["status"] == "published"


def test_deleting_removes_the_files_and_keeps_the_upload_record(
    work, ana, mo, client_for, fresh_storage, django_capture_on_commit_callbacks
):
    """REQ: WRK-7, WRK-8"""
    assert stored_files(fresh_storage)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ana).delete(f"/api/works/{work.pk}")
    assert response.status_code == 204
    assert stored_files(fresh_storage) == []
    work.refresh_from_db()
    assert work.status == "deleted" and work.upload_ip and work.uploaded_at
    assert client_for(ana).get(f"/works/{work.pk}/").status_code == 404
    assert client_for(mo).get(f"/works/{work.pk}/").status_code == 200


def test_only_the_owner_edits_or_deletes(work, cy, client_for):
    """REQ: PRV-3"""
    client = client_for(cy)
    assert (
        client.patch(f"/api/works/{work.pk}", {"title": "x"}, content_type="application/json").status_code
        == 404
    )
    assert client.delete(f"/api/works/{work.pk}").status_code == 404
    assert client.post(f"/works/{work.pk}/delete/").status_code == 404
    assert Work.objects.get(pk=work.pk).status == "awaiting_review"
