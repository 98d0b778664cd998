"""The search for copies of a part, run right after an upload is accepted (WRK-9, decision 0027): its matches
reach the reviewer before anyone can publish the work, and a lost or repeated task changes nothing twice."""

from datetime import timedelta

import pytest
import time_machine
from billiard.exceptions import TimeLimitExceeded
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.services.review import review_approve
from inspiracle.pipeline import copy_search, tasks
from inspiracle.pipeline.tests.test_local_matches import picture, png, upload
from inspiracle.works.models import Match, Work, WorkFile
from inspiracle.works.services import work_delete


@pytest.fixture
def searches_held(monkeypatch) -> list[int]:
    """The searches the uploads' tasks would run after acceptance, and those the sweep queues, held back (as
    when the worker died right after the commit) instead of run: the files they were for."""
    held: list[int] = []
    monkeypatch.setattr(tasks, "_search_after_acceptance", lambda file_id, clean: held.append(file_id))
    monkeypatch.setattr(tasks.search_copies, "delay", held.append)
    return held


@pytest.fixture
def original(ana, django_capture_on_commit_callbacks) -> WorkFile:
    work_id = upload(
        ana, [("astronaut.png", png(picture("astronaut.png")))], django_capture_on_commit_callbacks
    )
    return WorkFile.objects.get(work_id=work_id)


def test_a_work_cannot_be_published_before_the_search_for_copies_has_run(
    original, ben, mo, client_for, searches_held, django_capture_on_commit_callbacks
):
    """REQ: WRK-9, MOD-1
    GIVEN Ben's upload of a crop of Ana's picture, accepted, its search for copies still queued
    WHEN a moderator opens it and tries to approve it
    THEN the page and the API say the search is running, approving is refused with a reason, and once the
    search has run the crop's match is there and the work can be approved."""
    crop = picture("astronaut.png").crop((128, 128, 384, 384))
    work_id = upload(ben, [("crop.png", png(crop))], django_capture_on_commit_callbacks)
    work = Work.objects.get(pk=work_id)
    row = work.files.get()
    assert work.status == Work.Status.AWAITING_REVIEW and row.searching and searches_held == [row.pk]
    assert not Match.objects.filter(file=row).exists()

    page = client_for(mo).get(reverse("moderation:item", args=[work_id])).content.decode()
    assert "still running" in page
    item = client_for(mo).get(f"/api/staff/review/{work_id}").json()
    assert [f["searching"] for f in item["files"]] == [True]
    with pytest.raises(ApplicationError) as refused:
        review_approve(actor=mo, work=work)
    assert refused.value.code == "search_running" and "minute" in str(refused.value)
    assert Work.objects.get(pk=work_id).status == Work.Status.AWAITING_REVIEW

    assert tasks.search_copies(row.pk) == "done"

    match = Match.objects.get(file=row)
    assert match.other == original and match.kind == Match.Kind.LOCAL and match.file_box
    row.refresh_from_db()
    assert not row.searching and "copy search" in row.timings
    assert (
        "still running" not in client_for(mo).get(reverse("moderation:item", args=[work_id])).content.decode()
    )
    review_approve(actor=mo, work=work)
    assert Work.objects.get(pk=work_id).status == Work.Status.PUBLISHED


def test_a_lost_search_is_queued_again_and_a_repeated_one_records_nothing_twice(
    original, ben, searches_held, django_capture_on_commit_callbacks
):
    """REQ: WRK-9, OPS-2
    GIVEN an accepted upload whose search task was lost (a broker restart)
    WHEN the sweep runs before and after REQUEUE_AFTER, and the search then runs a second time
    THEN it is queued again only after REQUEUE_AFTER, and its match is recorded once."""
    mirrored = picture("astronaut.png").crop((0, 0, 384, 384)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    work_id = upload(ben, [("flipped.png", png(mirrored))], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get(work_id=work_id)
    searches_held.clear()
    queued_at = row.search_queued_at
    with time_machine.travel(queued_at + copy_search.REQUEUE_AFTER - timedelta(seconds=1), tick=False):
        tasks.requeue_stalled()
    assert searches_held == []
    with time_machine.travel(queued_at + copy_search.REQUEUE_AFTER + timedelta(seconds=1), tick=False):
        tasks.requeue_stalled()
        tasks.requeue_stalled()  # marked as queued anew: not queued a second time
    assert searches_held == [row.pk]

    assert copy_search.search_copies(row.pk) == "done"
    assert copy_search.search_copies(row.pk) == "skipped"
    match = Match.objects.get(file=row)
    assert match.other == original and match.mirrored


def test_a_near_copy_keeps_its_match_and_gains_the_region_it_shares(
    original, ben, searches_held, django_capture_on_commit_callbacks
):
    """REQ: WRK-9
    The upload finds a smaller copy of the whole picture at once; the search then outlines what the two share
    on the same match (it is not found twice)."""
    small = picture("astronaut.png").resize((256, 256))
    work_id = upload(ben, [("small.png", png(small))], django_capture_on_commit_callbacks)
    near = Match.objects.get(file__work_id=work_id)
    assert near.kind == Match.Kind.NEAR and near.file_box is None

    assert copy_search.search_copies(near.file_id) == "done"

    match = Match.objects.get(file__work_id=work_id)
    assert (match.pk, match.kind, match.distance, match.found_at) == (
        near.pk,
        near.kind,
        near.distance,
        near.found_at,
    )
    assert match.file_box == pytest.approx([0, 0, 1, 1], abs=0.06) and match.inliers >= 12


def test_a_file_whose_original_is_gone_is_recorded_as_searched_with_the_uploads_matches(
    original, ben, mo, searches_held, django_capture_on_commit_callbacks
):
    """REQ: WRK-9
    An original that no longer decodes cannot be searched again and again for ever: the work keeps the
    matches its upload found and can be decided."""
    small = picture("astronaut.png").resize((256, 256))
    work_id = upload(ben, [("small.png", png(small))], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get(work_id=work_id)
    row.original.storage.delete(row.original.name)

    assert copy_search.search_copies(row.pk) == "unreadable"

    row.refresh_from_db()
    assert not row.searching
    assert Match.objects.get(file=row).kind == Match.Kind.NEAR
    review_approve(actor=mo, work=row.work)
    assert Work.objects.get(pk=work_id).status == Work.Status.PUBLISHED


def test_a_search_of_a_work_deleted_meanwhile_only_clears_its_mark(
    ben, searches_held, django_capture_on_commit_callbacks
):
    """REQ: WRK-9
    A work deleted before its search ran leaves nothing to search with: the task records nothing and the mark
    goes, so that the sweep does not queue it again and again."""
    work_id = upload(ben, [("camera.png", png(picture("camera.png")))], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        work_delete(actor=ben, work=Work.objects.get(pk=work_id))
    row = WorkFile.objects.get(work_id=work_id)

    assert copy_search.search_copies(row.pk) == "skipped"

    row.refresh_from_db()
    assert not row.searching and not Match.objects.filter(file=row).exists()
    with time_machine.travel(timezone.now() + 2 * copy_search.REQUEUE_AFTER, tick=False):
        assert copy_search.stale_searches() == []


def test_a_search_killed_at_the_time_limit_is_not_tried_for_ever(
    original, ben, searches_held, monkeypatch, django_capture_on_commit_callbacks
):
    """REQ: WRK-9, OPS-2
    The worker kills a search that outlives the task's time limit: the file keeps the matches its upload found
    and loses the mark, so its work can be decided and the sweep does not queue it again."""
    small = picture("astronaut.png").resize((256, 256))
    work_id = upload(ben, [("small.png", png(small))], django_capture_on_commit_callbacks)
    row = WorkFile.objects.get(work_id=work_id)

    # The worker's main process closes its connections afterwards (its pool forks new processes); the test's
    # own connection must stay open.
    monkeypatch.setattr(tasks.connections, "close_all", lambda: None)
    tasks.search_copies.on_failure(TimeLimitExceeded(300), "task-id", [row.pk], {}, None)

    row.refresh_from_db()
    assert not row.searching and Match.objects.get(file=row).kind == Match.Kind.NEAR
