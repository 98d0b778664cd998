"""Copies of a part of a work, found by local features as uploads run (WRK-9, decision 0024)."""

import io
from pathlib import Path

import pytest
import skimage.data
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw

from inspiracle.accounts.tokens import token_issue
from inspiracle.pipeline import matching
from inspiracle.pipeline.features_backfill import features_backfill
from inspiracle.works.models import FileFeatures, FileLocalKey, Match, WorkFile

SAMPLES = Path(skimage.data.__file__).parent  # pictures bundled with scikit-image; nothing is downloaded


def picture(name: str) -> Image.Image:
    return Image.open(SAMPLES / name).convert("RGB")


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def screenshot(image: Image.Image) -> Image.Image:
    """``image`` at 60% of the width of a web page with a header bar and lines of text beside it."""
    page = Image.new("RGB", (1000, 760), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1000, 60), fill=(40, 60, 120))
    for line in range(20):
        draw.text((640, 90 + 30 * line), f"comment {line}: lovely work, where can I buy it?", fill="black")
    width = 600
    page.paste(image.resize((width, round(image.height * width / image.width))), (20, 90))
    return page


def upload(user, files: list[tuple[str, bytes]], capture) -> int:
    _token, raw = token_issue(user=user, name="test", scopes=["read", "write"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    data = {
        "title": "Harbour at dawn",
        "category": "illustration",
        "ai_use": "none",
        "rights_confirmed": "true",
        "files": [SimpleUploadedFile(name, content) for name, content in files],
    }
    with capture(execute=True):
        response = client.post("/api/works", data)
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def original(ana, django_capture_on_commit_callbacks) -> WorkFile:
    work_id = upload(
        ana, [("astronaut.png", png(picture("astronaut.png")))], django_capture_on_commit_callbacks
    )
    return WorkFile.objects.get(work_id=work_id)


def test_an_accepted_file_keeps_its_local_features_and_at_most_64_keys(original):
    """REQ: WRK-9"""
    assert original.status == WorkFile.Status.READY
    assert 0 < FileLocalKey.objects.filter(file=original).count() <= 64
    assert len(bytes(FileFeatures.objects.get(file=original).blob)) < 20_000
    assert "local features" in original.timings


def test_a_centre_crop_and_a_screenshot_are_found_with_the_region_they_share(
    original, ben, django_capture_on_commit_callbacks
):
    """REQ: WRK-9
    GIVEN Ana's picture
    WHEN Ben uploads the middle half of it, the picture inside a screenshot of a web page, and an unrelated one
    THEN the first two are matched to Ana's file with the region they show, the third is not."""
    astronaut = picture("astronaut.png")
    crop = astronaut.crop((128, 128, 384, 384))
    work_id = upload(
        ben,
        [
            ("crop.png", png(crop)),
            ("page.png", png(screenshot(astronaut))),
            ("camera.png", png(picture("camera.png"))),
        ],
        django_capture_on_commit_callbacks,
    )
    matches = {m.file.original_name: m for m in Match.objects.filter(file__work_id=work_id)}
    assert set(matches) == {"crop.png", "page.png"}
    crop_match, page_match = matches["crop.png"], matches["page.png"]
    assert crop_match.other == original and crop_match.kind == Match.Kind.LOCAL
    assert crop_match.inliers >= 12 and not crop_match.mirrored
    # The crop shows the middle half of Ana's picture, and all of itself.
    for got, want in zip(crop_match.other_box, (0.25, 0.25, 0.75, 0.75), strict=True):
        assert got == pytest.approx(want, abs=0.06)
    for got, want in zip(crop_match.file_box, (0, 0, 1, 1), strict=True):
        assert got == pytest.approx(want, abs=0.06)
    # On the page, the picture sits at the left, below the header: 2% to 62% across, 12% to 91% down.
    assert page_match.other == original and page_match.kind in (Match.Kind.LOCAL, Match.Kind.NEAR)
    for got, want in zip(page_match.file_box, (0.02, 0.118, 0.62, 0.908), strict=True):
        assert got == pytest.approx(want, abs=0.06)


def test_a_mirrored_crop_is_found_and_said_to_be_mirrored(original, ben, django_capture_on_commit_callbacks):
    """REQ: WRK-9"""
    crop = picture("astronaut.png").crop((0, 0, 384, 384)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    work_id = upload(ben, [("flipped.png", png(crop))], django_capture_on_commit_callbacks)
    match = Match.objects.get(file__work_id=work_id)
    assert match.other == original and match.mirrored


def test_the_reviewer_sees_the_shared_region_outlined_on_both_pictures(
    original, ben, mo, django_capture_on_commit_callbacks
):
    """REQ: WRK-9"""
    crop = picture("astronaut.png").crop((128, 128, 384, 384))
    work_id = upload(ben, [("crop.png", png(crop))], django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(mo)
    page = client.get(reverse("moderation:item", args=[work_id])).content.decode()
    assert page.count("<rect ") == 4  # both pictures, in the matches table and in its side-by-side view
    match = Match.objects.get(file__work_id=work_id)
    x, y = match.other_rect["x"], match.other_rect["y"]
    assert f'x="{x:.4f}" y="{y:.4f}"' in page
    assert "matching points" in page


def test_a_blob_that_cannot_be_read_leaves_the_other_matches_standing(
    original, ben, django_capture_on_commit_callbacks
):
    """A damaged or outdated blob costs only the local comparison with that file, never the upload."""
    FileFeatures.objects.filter(file=original).update(blob=b"\x99broken")
    matching.reset_index()
    astronaut = picture("astronaut.png")
    small = astronaut.resize((256, 256))
    work_id = upload(ben, [("small.png", png(small))], django_capture_on_commit_callbacks)
    match = Match.objects.get(file__work_id=work_id)
    assert match.kind == Match.Kind.NEAR and match.file_box is None


def test_files_accepted_before_local_features_get_them_from_the_backfill(
    original, ben, django_capture_on_commit_callbacks
):
    """REQ: WRK-9
    GIVEN an accepted file without local features (accepted before they existed) and one whose original is gone
    WHEN the backfill runs, twice
    THEN the first gets the features the pipeline would have stored, once; the other is reported."""
    keys = sorted(FileLocalKey.objects.filter(file=original).values_list("key", flat=True))
    FileLocalKey.objects.filter(file=original).delete()
    FileFeatures.objects.filter(file=original).delete()
    lost_id = upload(ben, [("lost.png", png(picture("camera.png")))], django_capture_on_commit_callbacks)
    lost = WorkFile.objects.get(work_id=lost_id)
    FileFeatures.objects.filter(file=lost).delete()
    lost.original.storage.delete(lost.original.name)

    report = features_backfill()

    assert report.stored == 1 and report.unreadable == [lost.pk]
    assert FileFeatures.objects.filter(file=original).exists()
    # The original decoded again gives the keys the clean preview gave, give or take a few near the threshold.
    again = set(FileLocalKey.objects.filter(file=original).values_list("key", flat=True))
    assert len(again & set(keys)) >= 0.8 * len(keys)
    assert features_backfill().stored == 0
