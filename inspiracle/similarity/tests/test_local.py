import io
import struct
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest
import skimage.data
from PIL import Image, ImageDraw, ImageOps

from inspiracle.similarity import local
from inspiracle.similarity.local import LocalFeatures, Verified

SAMPLES = Path(skimage.data.__file__).parent  # pictures bundled with scikit-image; nothing is downloaded


@cache
def picture(name: str) -> Image.Image:
    with Image.open(SAMPLES / name) as image:
        return image.convert("RGB")


@cache
def stored(name: str) -> LocalFeatures:
    return local.extract(picture(name))


def cropped(image: Image.Image, left: float, top: float, right: float, bottom: float) -> Image.Image:
    w, h = image.size
    return image.crop((round(w * left), round(h * top), round(w * right), round(h * bottom)))


def confirmed(copy: Image.Image, name: str = "astronaut.png") -> Verified:
    result = local.verify(local.extract_query(copy), stored(name))
    assert result is not None
    return result


def assert_box(
    box: tuple[float, float, float, float], truth: tuple[float, ...], tolerance: float = 0.03
) -> None:
    assert np.allclose(box, truth, atol=tolerance), (box, truth)


def shared_keys(a: LocalFeatures, b: LocalFeatures) -> int:
    return near_keys(a.keys, b.keys)


def probed(stored: LocalFeatures, query: local.Query) -> int:
    """What the index step counts: keys of ``stored`` within KEY_DISTANCE of one of the query's probes."""
    return near_keys(stored.keys, query.probes)


def near_keys(stored: tuple[int, ...], probes: tuple[int, ...]) -> int:
    keys = np.array(stored, dtype=np.int64).view(np.uint64)
    wanted = np.array(probes, dtype=np.int64).view(np.uint64)
    nearest = np.bitwise_count(keys[:, None] ^ wanted[None, :]).min(axis=1)
    return int((nearest <= local.KEY_DISTANCE).sum())


def test_a_quarter_cut_from_a_corner_is_verified_with_the_box_it_shows():
    """REQ: WRK-9"""
    result = confirmed(cropped(picture("astronaut.png"), 0.25, 0.0, 1.0, 0.75))
    assert not result.mirrored
    assert_box(result.stored_box, (0.25, 0.0, 1.0, 0.75))
    assert_box(result.query_box, (0.0, 0.0, 1.0, 1.0))


def test_a_centre_crop_keeping_half_of_each_side_is_verified():
    """REQ: WRK-9"""
    result = confirmed(cropped(picture("astronaut.png"), 0.25, 0.25, 0.75, 0.75))
    assert_box(result.stored_box, (0.25, 0.25, 0.75, 0.75))


def test_a_picture_turned_by_ten_degrees_is_verified_as_a_whole():
    """REQ: WRK-9"""
    turned = picture("astronaut.png").rotate(10, Image.Resampling.BICUBIC, expand=True, fillcolor="white")
    result = confirmed(turned)
    assert_box(result.stored_box, (0.0, 0.0, 1.0, 1.0))
    assert 0.8 < result.scale < 1.3  # the frame grew by 17% to hold the turned picture; the picture did not


def test_a_picture_inside_a_screenshot_is_found_where_it_sits_on_the_page():
    """REQ: WRK-9"""
    page = Image.new("RGB", (1000, 700), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 1000, 50), fill=(20, 120, 220))
    for y in range(80, 680, 20):
        draw.text((560, y), "lorem ipsum dolor sit amet, consectetur adipiscing", fill="black")
    page.paste(picture("astronaut.png").resize((500, 500)), (40, 80))
    result = confirmed(page)
    assert_box(result.stored_box, (0.0, 0.0, 1.0, 1.0))
    assert_box(result.query_box, (40 / 1000, 80 / 700, 540 / 1000, 580 / 700))


@cache
def face(number: int) -> Image.Image:
    """An LFW face of skimage's sample file: 25 px, enlarged to 200 px as the bench does."""
    faces = np.load(SAMPLES / "lfw_subset.npy")
    return Image.fromarray((faces[number] * 255).round().astype(np.uint8)).resize(
        (200, 200), Image.Resampling.BICUBIC
    )


def on_a_page(image: Image.Image, share: float = 0.4) -> Image.Image:
    """``image`` at 600 px inside a page of text, taking ``share`` of its area, as in bench/similarity.py."""
    shown = image.convert("RGB").resize((600, 600))
    side = 600 / np.sqrt(share)
    page = Image.new("RGB", (round(side * 1.15), round(side * 0.87)), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, page.width, 50), fill=(20, 120, 220))
    for y in range(80, page.height - 20, 20):
        draw.text((660, y), "lorem ipsum dolor sit amet, consectetur adipiscing elit sed do", fill="black")
    page.paste(shown, (20, 70))
    return page


def test_a_small_face_shown_on_a_page_of_text_is_a_candidate_and_verified():
    """REQ: WRK-9. The page's text has the strongest keypoints; the picture found on the page is looked at
    alone, at the size of a stored picture."""
    for number in (0, 20, 60, 70):
        page = on_a_page(face(number))
        query = local.extract_query(page)
        original = local.extract(face(number))
        assert local.is_candidate(probed(original, query)), number
        result = local.verify(query, original)
        assert result is not None, number
        assert_box(result.query_box, (20 / page.width, 70 / page.height, 620 / page.width, 670 / page.height))


def test_a_picture_found_on_a_page_needs_more_inliers(monkeypatch: pytest.MonkeyPatch):
    """REQ: WRK-9"""
    query = local.extract_query(on_a_page(picture("chelsea.png")))
    assert query.part is not None
    found = local.verify(query.part, stored("chelsea.png"))
    assert found is not None and found.inliers >= local.PART_INLIERS
    monkeypatch.setattr(local, "PART_INLIERS", found.inliers + 1)
    again = local.verify(query, stored("chelsea.png"))
    assert again is None or again.inliers < found.inliers  # only the page itself, at its sizes, may match


def test_a_photograph_is_not_taken_for_a_page():
    """REQ: WRK-9"""
    assert local.extract_query(picture("astronaut.png")).part is None
    assert local.extract_query(Image.new("RGB", (400, 300), "white")).part is None


def test_a_small_blurred_picture_still_stores_all_its_keys():
    """REQ: WRK-9. An enlarged 25 px face has no keypoints on the finest pyramid levels; their share of the
    keys goes to the coarse levels, which a copy shown small still shows."""
    for number in (20, 30, 90):
        assert len(local.extract(face(number)).keys) >= local.MAX_KEYS - 4


def test_a_mirrored_crop_is_verified_through_the_mirrored_query():
    """REQ: WRK-9"""
    result = confirmed(ImageOps.mirror(cropped(picture("astronaut.png"), 0.0, 0.0, 0.8, 0.8)))
    assert result.mirrored
    assert_box(result.stored_box, (0.0, 0.0, 0.8, 0.8))


def test_an_unrelated_picture_is_not_verified():
    """REQ: WRK-9"""
    query = local.extract_query(picture("coffee.png"))
    assert local.verify(query, stored("astronaut.png")) is None
    assert local.verify(query, stored("chelsea.png")) is None


def test_quadrants_of_one_picture_do_not_match_each_other():
    """REQ: WRK-9. Today's canonical global keys make mirror images equal; local features match only what the
    quadrants really share (nothing, in a picture that is not symmetric)."""
    image = picture("chelsea.png")
    quadrants = [cropped(image, x, y, x + 0.5, y + 0.5) for y in (0, 0.5) for x in (0, 0.5)]
    for a, first in enumerate(quadrants):
        for second in quadrants[a + 1 :]:
            assert local.verify(local.extract_query(first), local.extract(second)) is None


def test_two_halves_that_are_mirror_images_do_match_because_they_show_the_same_thing():
    """REQ: WRK-9. The one case where two parts of a picture match: one is a mirrored copy of the other."""
    half = cropped(picture("astronaut.png"), 0.0, 0.0, 0.5, 1.0)
    result = local.verify(local.extract_query(ImageOps.mirror(half)), local.extract(half))
    assert result is not None and result.mirrored


def test_a_crop_shares_enough_candidate_keys_and_an_unrelated_picture_does_not():
    """REQ: WRK-9"""
    copy = local.extract(cropped(picture("astronaut.png"), 0.15, 0.15, 1.0, 1.0))
    assert local.is_candidate(shared_keys(stored("astronaut.png"), copy))
    assert not local.is_candidate(shared_keys(stored("astronaut.png"), stored("coffee.png")))


def test_candidate_keys_are_the_same_for_a_mirror_image():
    """REQ: WRK-9"""
    mirrored = local.extract(ImageOps.mirror(picture("astronaut.png")))
    assert shared_keys(stored("astronaut.png"), mirrored) >= local.MAX_KEYS // 2


def test_features_are_bounded():
    features = stored("astronaut.png")
    assert 0 < len(features.points) <= local.MAX_KEYPOINTS
    assert 0 < len(local.candidate_keys(features)) <= local.MAX_KEYS
    assert len(features.to_bytes()) <= 32_000


def test_a_blank_picture_has_no_features_and_matches_nothing():
    blank = local.extract(Image.new("RGB", (300, 200), "white"))
    assert len(blank.points) == 0 and blank.keys == ()
    assert local.verify(local.extract_query(Image.new("RGB", (300, 200), "white")), blank) is None
    assert LocalFeatures.from_bytes(blank.to_bytes()).keys == ()


@pytest.mark.parametrize("size", [(1, 1), (3000, 5), (5, 3000), (40, 40)])
def test_tiny_or_sliver_pictures_do_not_fail(size):
    noise = np.random.default_rng(0).integers(0, 256, size[::-1], dtype=np.uint8)
    image = Image.fromarray(noise)
    features = local.extract(image)
    assert len(features.keys) <= local.MAX_KEYS
    local.verify(local.extract_query(image), features)  # no exception, whatever the answer
    assert LocalFeatures.from_bytes(features.to_bytes()).keys == features.keys


def test_features_survive_a_round_trip_through_bytes():
    features = stored("astronaut.png")
    again = LocalFeatures.from_bytes(features.to_bytes())
    assert (again.width, again.height, again.keys) == (features.width, features.height, features.keys)
    assert np.array_equal(again.descriptors, features.descriptors)
    assert np.abs(again.points - features.points).max() < 1e-4
    assert local.verify(local.extract_query(picture("astronaut.png")), again) is not None


def _header(blob: bytes, **changes: int) -> bytes:
    names = ("version", "width", "height", "count", "keys")
    fields = dict(zip(names, struct.unpack_from("<BHHHB", blob), strict=True)) | changes
    return struct.pack("<BHHHB", *fields.values()) + blob[struct.calcsize("<BHHHB") :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"",
        lambda blob: blob[:5],
        lambda blob: blob[:-1],
        lambda blob: blob + b"\0",
        lambda blob: _header(blob, version=2),
        lambda blob: _header(blob, width=0),
        lambda blob: _header(blob, count=65535),
        lambda blob: _header(blob, keys=255),
        lambda blob: _header(blob, count=1),
    ],
    ids=[
        "empty",
        "header only",
        "truncated",
        "trailing byte",
        "version",
        "width",
        "count",
        "keys",
        "short count",
    ],
)
def test_a_malformed_blob_is_refused(damage):
    with pytest.raises(ValueError):
        LocalFeatures.from_bytes(damage(stored("astronaut.png").to_bytes()))


def test_a_query_keeps_more_keypoints_and_probes_than_a_stored_picture_but_bounded():
    """REQ: WRK-9"""
    query = local.extract_query(picture("astronaut.png"))
    assert len(query.sides) == len(local.QUERY_SIDES)
    anchors = local.QUERY_PER_LEVEL * 8
    # Below the work size each anchor is also keyed turned by each of QUERY_TURNS: three keys an anchor there.
    most = [
        anchors * (1 + len(local.QUERY_TURNS)) if side < local.WORK_SIDE else anchors
        for side in local.QUERY_SIDES
    ]
    assert sum(most) == 1024
    for features, bound in zip((*query.sides, query.mirrored), (*most, anchors), strict=True):
        assert 0 < len(features.points) <= local.QUERY_KEYPOINTS
        assert len(features.keys) <= bound
    assert max(len(features.points) for features in query.sides) > local.MAX_KEYPOINTS
    assert max(len(features.keys) for features in query.sides) > anchors  # the turned keys
    assert len(query.probes) <= sum(most)
    page = local.extract_query(on_a_page(picture("astronaut.png")))
    assert page.part is not None and len(page.sides) == len(local.QUERY_SIDES) + 1
    # The picture found on the page takes the place of the smallest size's probes.
    smallest = local.QUERY_SIDES.index(min(local.QUERY_SIDES))
    probing = [page.part] + [features for i, features in enumerate(page.sides[1:]) if i != smallest]
    assert set(page.probes) == {key for features in probing for key in features.keys}
    assert len(page.probes) <= anchors + sum(most) - most[smallest]


def test_the_turned_keys_come_on_top_of_the_unturned_ones():
    """REQ: WRK-9. A query's sizes below the work size add the keys of each anchor's patch turned by
    QUERY_TURNS to the keys it has without them, those a stored picture has (they are in the index)."""
    grey = local._resized(local._grey(picture("astronaut.png")), 256)
    keypoints = list(cv2.ORB.create(nfeatures=64).detect(grey, None))
    plain = local._patch_keys(grey, keypoints)
    turned = local._patch_keys(grey, keypoints, local.QUERY_TURNS)
    assert set(plain) < set(turned) and len(turned) <= (1 + len(local.QUERY_TURNS)) * len(keypoints)


def test_a_match_at_a_small_scale_needs_more_inliers(monkeypatch: pytest.MonkeyPatch):
    """REQ: WRK-9"""
    copy = cropped(picture("astronaut.png"), 0.25, 0.25, 0.75, 0.75)
    whole = local.extract(copy)  # the centre crop at the work size: shown twice as large as in the original
    found = local.verify(whole, stored("astronaut.png"))
    assert found is not None and found.scale < local.SMALL_SCALE
    monkeypatch.setattr(local, "SMALL_SCALE_INLIERS", found.inliers + 1)
    assert local.verify(whole, stored("astronaut.png")) is None


def test_a_centre_crop_keeping_half_of_each_side_of_a_small_face_is_a_candidate_and_verified():
    """REQ: WRK-9. Issue 14's hardest case: 12 x 12 pixels of a 25 px face, enlarged. The stored face keys part
    of its centre, which such a crop shows whole, and the query's smallest size looks near its edges."""
    for number in (1, 2, 7, 20, 72):  # all missed before (too few keys shared, or too few inliers)
        query = local.extract_query(cropped(face(number), 0.25, 0.25, 0.75, 0.75))
        original = local.extract(face(number))
        assert local.is_candidate(probed(original, query)), number
        result = local.verify(query, original)
        assert result is not None, number
        assert_box(result.stored_box, (0.25, 0.25, 0.75, 0.75))


# 2, 46, 75, 85, 88: missed at the candidate step once (one key shared): the white corners that the turn adds
# anchored most of the query's keys on the frame's edge, where no stored key is; the small query sizes now
# anchor their keys inside the picture first. 23, 24, 56, 63, 78: shared 0 or 1 key after that: ORB's
# orientation of a turned, compressed crop is off by 5.7 degrees in the median (22 at p90), and at 256 px a
# 50% crop turned by 10 degrees shows 0.86 of the stored scale; the query's keys turned by 8 degrees either way
# and its fourth size (300 px) share 3-9.
@pytest.mark.parametrize("number", [2, 46, 75, 85, 88, 23, 24, 56, 63, 78])
def test_a_centre_crop_of_a_small_face_turned_by_ten_degrees_and_compressed_is_a_candidate_and_verified(
    number,
):
    """REQ: WRK-9"""
    turned = cropped(face(number), 0.25, 0.25, 0.75, 0.75).rotate(
        10 if number % 2 else -10, Image.Resampling.BICUBIC, expand=True, fillcolor="white"
    )
    buffer = io.BytesIO()
    turned.convert("RGB").save(buffer, "JPEG", quality=40)
    query = local.extract_query(Image.open(io.BytesIO(buffer.getvalue())))
    original = local.extract(face(number))
    assert local.is_candidate(probed(original, query))
    result = local.verify(query, original)
    assert result is not None
    # The query's whole frame, white corners too, mapped onto the face: the centre half grown by the turn
    # twice (cos 10 + sin 10 = 1.16 on each side, once to hold the turned crop, once to hold its frame).
    assert_box(result.stored_box, (0.16, 0.16, 0.84, 0.84))
